//! The cross-border summary: per joint individual, detections per catalog, border crossings
//! and distance from the border; overall, how much summing national counts over-counts.

use crate::model::joint::JointCatalog;
use crate::model::joint::NationalId;
use crate::model::{Catalog, Timestamp};
use crate::spatial::Border;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Totals over the joint catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Individuals of the joint catalog with at least one detection.
    pub unique_individuals: usize,
    /// Individuals detected in more than one catalog.
    pub transboundary_individuals: usize,
    /// Distinct individuals each catalog would report alone.
    pub national_counts: BTreeMap<String, usize>,
    pub sum_of_national_counts: usize,
    /// (sum − unique) / unique × 100; `None` when there is no individual.
    pub overcount_percent: Option<f64>,
}

/// One joint individual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndividualSummary {
    pub id: String,
    pub national_ids: BTreeMap<String, String>,
    /// Detections per catalog (every loaded catalog appears, with 0 where not detected).
    pub detections: BTreeMap<String, usize>,
    /// Changes of catalog (country) between chronologically consecutive detections.
    pub crossings: usize,
    /// Largest geodesic distance (km) from the border of any station where it was detected;
    /// `None` without a border.
    pub max_distance_from_border_km: Option<f64>,
    /// First and last detection, ISO 8601 with the offset they were recorded in.
    pub first_seen: String,
    pub last_seen: String,
    pub species: Option<String>,
}

/// One detection placed in the joint catalog, in chronological order (for maps and charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JointDetection {
    /// Index into [`CrossBorder::individuals`].
    pub individual: usize,
    /// Index of the catalog in load order.
    pub catalog: usize,
    /// Index of the station within its catalog.
    pub station: usize,
    pub time: String,
    /// Scientific name as recorded for this detection (absent in analyses saved before it was added).
    #[serde(default)]
    pub species: Option<String>,
}

/// The result of [`summarise`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossBorder {
    pub summary: Summary,
    pub individuals: Vec<IndividualSummary>,
    pub detections: Vec<JointDetection>,
    /// Distance (km) of each catalog's stations from the border, if there is one.
    pub station_distance_km: Vec<Vec<Option<f64>>>,
}

/// Over-count of the sum of national counts relative to the unique count, in percent.
///
/// ```
/// // The joint China–Russia tiger study: 45 unique tigers, 19 seen on both sides, so the two
/// // national counts sum to 64 and over-count by 19/45 = 42.2%.
/// let p = borderless::identity::crossings::overcount_percent(64, 45).unwrap();
/// assert!((p - 42.222).abs() < 1e-3);
/// ```
pub fn overcount_percent(sum_of_national: usize, unique: usize) -> Option<f64> {
    (unique > 0).then(|| (sum_of_national as f64 - unique as f64) / unique as f64 * 100.0)
}

/// One detection placed in the joint catalog: (time, catalog, station, joint individual, species).
type Placed<'a> = (Timestamp, usize, usize, usize, Option<&'a str>);

/// Summarises the joint catalog. `border` gives distances; without it they are `None`.
pub fn summarise(catalogs: &[Catalog], joint: &JointCatalog, border: Option<&Border>) -> CrossBorder {
    let station_distance_km: Vec<Vec<Option<f64>>> = catalogs
        .iter()
        .map(|c| c.stations.iter().map(|s| border.map(|b| b.geodesic_distance_km(s.position))).collect())
        .collect();
    // Every detection, placed.
    let mut placed: Vec<Placed> = Vec::new();
    for (ci, c) in catalogs.iter().enumerate() {
        for d in &c.detections {
            let ji = joint.index[&NationalId::new(&c.name, &d.individual)];
            placed.push((d.time, ci, d.station, ji, d.species.as_deref()));
        }
    }
    // Chronological (by instant), ties broken by catalog, station and individual: deterministic.
    placed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    let n = joint.individuals.len();
    let mut per: Vec<Vec<&Placed>> = vec![Vec::new(); n];
    for p in &placed {
        per[p.3].push(p);
    }
    let mut individuals = Vec::with_capacity(n);
    for (ji, ind) in joint.individuals.iter().enumerate() {
        let dets = &per[ji];
        let mut detections: BTreeMap<String, usize> = catalogs.iter().map(|c| (c.name.clone(), 0)).collect();
        for d in dets {
            *detections.get_mut(&catalogs[d.1].name).unwrap() += 1;
        }
        let crossings = dets.windows(2).filter(|w| w[0].1 != w[1].1).count();
        let max_distance_from_border_km = border.and_then(|_| {
            dets.iter()
                .filter_map(|d| station_distance_km[d.1][d.2])
                .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
        });
        let species = dets.iter().find_map(|d| d.4.map(str::to_string));
        individuals.push(IndividualSummary {
            id: ind.id.clone(),
            national_ids: ind.national_ids.clone(),
            detections,
            crossings,
            max_distance_from_border_km,
            first_seen: dets.first().map(|d| d.0.to_rfc3339()).unwrap_or_default(),
            last_seen: dets.last().map(|d| d.0.to_rfc3339()).unwrap_or_default(),
            species,
        });
    }
    let unique_individuals = individuals.iter().filter(|i| i.detections.values().any(|&v| v > 0)).count();
    let transboundary_individuals =
        individuals.iter().filter(|i| i.detections.values().filter(|&&v| v > 0).count() > 1).count();
    let national_counts: BTreeMap<String, usize> =
        catalogs.iter().map(|c| (c.name.clone(), c.individuals().len())).collect();
    let sum_of_national_counts = national_counts.values().sum();
    let detections = placed
        .iter()
        .map(|p| JointDetection {
            individual: p.3,
            catalog: p.1,
            station: p.2,
            time: p.0.to_rfc3339(),
            species: p.4.map(str::to_string),
        })
        .collect();
    CrossBorder {
        summary: Summary {
            unique_individuals,
            transboundary_individuals,
            national_counts,
            sum_of_national_counts,
            overcount_percent: overcount_percent(sum_of_national_counts, unique_individuals),
        },
        individuals,
        detections,
        station_distance_km,
    }
}
