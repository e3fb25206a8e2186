//! The cross-border result as the page, the CLI and the tests show it: per catalog its stations
//! (with effort, detections and distance from the border), the joint catalog, conflicts, the
//! crossings summary, every file's report and the evidence behind each joint individual.

use crate::identity::crossings::{summarise, CrossBorder};
use crate::identity::review::JointEvidence;
use crate::io::{FileReport, Issue};
use crate::model::joint::{Conflict, JointCatalog, JointIndividual};
use crate::model::message::Message;
use crate::model::{Catalog, LatLon};
use crate::spatial::Border;
use serde::{Deserialize, Serialize};

/// A station as shown in the expert view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationView {
    pub id: String,
    pub position: LatLon,
    pub active_days: f64,
    pub detections: usize,
    pub distance_from_border_km: Option<f64>,
}

/// A catalog as shown in the expert view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogView {
    pub name: String,
    pub title: Option<String>,
    pub source: String,
    pub stations: Vec<StationView>,
    pub individuals: usize,
    pub detections: usize,
}

/// One input file as the user gave it (before any zip is expanded): its name, its size in bytes
/// and its SHA-256 (FIPS 180-4) in lower-case hex, so that a partner can check a report against
/// their own copy of the files (`sha256sum FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDigest {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Everything the page, CLI and tests need from one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub catalogs: Vec<CatalogView>,
    pub joint: Vec<JointIndividual>,
    pub conflicts: Vec<Conflict>,
    pub crossborder: CrossBorder,
    /// Border polylines, `[[lon, lat], …]` per line.
    pub border: Vec<Vec<[f64; 2]>>,
    /// One report per file, in the order read.
    pub reports: Vec<FileReport>,
    /// True when the inputs came from the built-in simulated demo survey.
    pub simulated: bool,
    /// Per joint individual with more than one national ID: the photo links and genotype links
    /// that join them.
    #[serde(default)]
    pub evidence: Vec<JointEvidence>,
    /// The files of the run as given (name, size, SHA-256), in the order given.
    #[serde(default)]
    pub inputs: Vec<InputDigest>,
}

impl Analysis {
    /// Every issue of every file.
    pub fn issues(&self) -> impl Iterator<Item = &Issue> {
        self.reports.iter().flat_map(|r| r.issues.iter())
    }
    /// Files that could not be used at all.
    pub fn failed_files(&self) -> Vec<&FileReport> {
        self.reports.iter().filter(|r| r.failed()).collect()
    }
}

/// Builds the [`Analysis`] of joined catalogs; `progress(stage, fraction)` is told as stages start.
pub fn build_analysis(
    catalogs: &[Catalog],
    joint: JointCatalog,
    border: Option<&Border>,
    reports: Vec<FileReport>,
    evidence: Vec<JointEvidence>,
    progress: &mut dyn FnMut(Message, f64),
) -> Analysis {
    {
        progress(Message::new("pipeline.stage.distances"), 0.85);
        let crossborder = summarise(catalogs, &joint, border);
        progress(Message::new("pipeline.stage.done"), 1.0);
        let catalog_views = catalogs
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let mut per_station = vec![0usize; c.stations.len()];
                for d in &c.detections {
                    per_station[d.station] += 1;
                }
                CatalogView {
                    name: c.name.clone(),
                    title: c.title.clone(),
                    source: c.source.clone(),
                    stations: c
                        .stations
                        .iter()
                        .enumerate()
                        .map(|(si, s)| StationView {
                            id: s.id.clone(),
                            position: s.position,
                            active_days: s.active_days(),
                            detections: per_station[si],
                            distance_from_border_km: crossborder.station_distance_km[ci][si],
                        })
                        .collect(),
                    individuals: c.individuals().len(),
                    detections: c.detections.len(),
                }
            })
            .collect();
        let simulated = catalogs.iter().any(|c| c.simulated);
        Analysis {
            catalogs: catalog_views,
            joint: joint.individuals,
            conflicts: joint.conflicts,
            crossborder,
            border: border
                .map(|b| b.lines().0.iter().map(|l| l.0.iter().map(|c| [c.x, c.y]).collect()).collect())
                .unwrap_or_default(),
            reports,
            simulated,
            evidence,
            inputs: Vec::new(),
        }
    }
}
