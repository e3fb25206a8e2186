//! Every animal observation of a survey, identified to individual or not: what species
//! accumulation, relative abundance per species and diel activity need (the catalogs keep only
//! identified individuals).
//!
//! Camtrap DP packages are read again for their `observations.csv` (standard layout), with the
//! same rules as the catalog reader: event-level observations when the package has any,
//! `observationType` = `animal`, a `scientificName`, an `eventStart` with its UTC offset inside
//! its deployment. Each file gets its own report in which every row is used, skipped (with a
//! reason) or rejected (with row and column). Catalogs read from camtrapR tables contribute
//! their detections (every record there is identified).

use crate::io::archive::{expand_zip, is_zip};
use crate::io::camtrapdp::{ObservationRows, ObservationWording};
use crate::io::table::Table;
use crate::io::{FileReport, InputFile};
use crate::model::Timestamp;
use crate::pipeline::Loaded;
use serde::{Deserialize, Serialize};

/// One animal observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeciesRecord {
    /// Index of the catalog in [`Loaded::catalogs`].
    pub catalog: usize,
    /// Index of the station in its catalog.
    pub station: usize,
    pub species: String,
    /// When, with the UTC offset it was recorded in.
    pub time: Timestamp,
    /// The individual, when identified.
    pub individual: Option<String>,
}

/// Reads every animal observation of the catalogs in `loaded` from `files` (the same files
/// `loaded` was read from; zips are expanded).
pub fn species_records(files: &[InputFile], loaded: &Loaded) -> (Vec<SpeciesRecord>, Vec<FileReport>) {
    let mut all: Vec<InputFile> = Vec::new();
    for f in files {
        if is_zip(&f.bytes) {
            if let Ok(inner) = expand_zip(f) {
                all.extend(inner);
            }
        } else {
            all.push(f.clone());
        }
    }
    let mut out = Vec::new();
    let mut reports = Vec::new();
    for (ci, cat) in loaded.catalogs.iter().enumerate() {
        let name = if cat.source.is_empty() {
            "observations.csv".to_string()
        } else {
            format!("{}/observations.csv", cat.source)
        };
        match all.iter().find(|f| f.name == name) {
            Some(file) => {
                let mut report = FileReport::new(&file.name, "observations (all species)");
                read_observations(file, ci, loaded, &mut report, &mut out);
                reports.push(report);
            }
            None => out.extend(cat.detections.iter().filter_map(|d| {
                d.species.as_ref().map(|s| SpeciesRecord {
                    catalog: ci,
                    station: d.station,
                    species: s.clone(),
                    time: d.time,
                    individual: Some(d.individual.clone()),
                })
            })),
        }
    }
    (out, reports)
}

fn read_observations(
    file: &InputFile,
    ci: usize,
    loaded: &Loaded,
    report: &mut FileReport,
    out: &mut Vec<SpeciesRecord>,
) {
    let t = match Table::parse(&file.name, &file.bytes, report) {
        Ok(t) => t,
        Err(e) => return report.file_error(e.column.as_deref(), e.to_string()),
    };
    let c = match t.require(&["deploymentID", "eventStart", "observationLevel", "observationType", "scientificName"]) {
        Ok(c) => c,
        Err(e) => return report.file_error(e.column.as_deref(), e.to_string()),
    };
    let (c_dep, c_start, c_level, c_type, c_sci) = (c[0], c[1], c[2], c[3], c[4]);
    let c_ind = t.col("individualID");
    let cat = &loaded.catalogs[ci];
    let rows = ObservationRows::new(&t, c_level, c_type, c_start, ObservationWording::ALL_SPECIES);
    // Unlike the catalog reader, observationType and scientificName are looked at before the
    // deployment: a row that is not an animal is skipped whatever its deployment.
    rows.walk(report, |row, report| {
        if !rows.animal(row, report) {
            return false;
        }
        let Some(species) = row.get(c_sci) else {
            report.skip("no scientificName");
            return false;
        };
        let dep = row.get(c_dep).unwrap_or("");
        let Some(si) = cat.stations.iter().position(|s| s.id == dep) else {
            report.reject(
                row.line,
                Some("deploymentID"),
                format!("deployment '{dep}' is not a usable station of {}", cat.name),
            );
            return false;
        };
        let Some(time) = rows.event_start(row, report) else {
            return false;
        };
        if !rows.within(row, time, &cat.stations[si], report) {
            return false;
        }
        out.push(SpeciesRecord {
            catalog: ci,
            station: si,
            species: species.to_string(),
            time,
            individual: c_ind.and_then(|c| row.get(c)).map(str::to_string),
        });
        true
    });
}
