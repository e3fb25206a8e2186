//! The numbers behind the survey charts, computed apart from the drawing so that they can be
//! tested and exported: capture-history matrix, relative abundance index, species
//! accumulation, diel activity densities and the estimator comparison.

use crate::activity::sun::time_of_day_rad;
use crate::estimation::occasions::DetectionHistories;
use crate::estimation::ClosedPopulation;
use crate::identity::summary::Analysis;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::{Catalog, SpeciesRecord, TimePrecision};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Individuals × occasions: how many times each joint individual was detected in each occasion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureMatrix {
    pub animals: Vec<String>,
    pub occasion_days: f64,
    pub occasions: usize,
    /// `counts[animal][occasion]`.
    pub counts: Vec<Vec<u32>>,
}

impl CaptureMatrix {
    /// Counts detections of [`DetectionHistories`] per animal and occasion.
    pub fn from_histories(h: &DetectionHistories) -> Self {
        let mut counts = vec![vec![0u32; h.occasions]; h.animals.len()];
        for d in &h.detections {
            counts[d.animal][d.occasion] += 1;
        }
        CaptureMatrix { animals: h.animals.clone(), occasion_days: h.occasion_days, occasions: h.occasions, counts }
    }

    /// 0/1 histories (detected at least once in the occasion), as closed models use them.
    pub fn binary(&self) -> Vec<Vec<u8>> {
        self.counts.iter().map(|r| r.iter().map(|&c| u8::from(c > 0)).collect()).collect()
    }
}

/// Relative abundance index of one station: detections per 100 trap-nights (camera-days of
/// effort: the active period minus malfunctions), e.g. O'Brien et al. (2003, Anim Conserv 6:131).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationRai {
    pub catalog: String,
    pub station: String,
    pub detections: usize,
    pub active_days: f64,
    /// `detections / active_days × 100`; `None` without effort.
    pub rai: Option<f64>,
}

/// RAI of every station, from the identified detections of the analysis.
pub fn rai_per_station(a: &Analysis) -> Vec<StationRai> {
    a.catalogs
        .iter()
        .flat_map(|c| {
            c.stations.iter().map(|s| StationRai {
                catalog: c.name.clone(),
                station: s.id.clone(),
                detections: s.detections,
                active_days: s.active_days,
                rai: (s.active_days > 0.0).then(|| s.detections as f64 / s.active_days * 100.0),
            })
        })
        .collect()
}

/// RAI of every station for one species, from all its observations (identified or not).
pub fn rai_per_station_species(catalogs: &[Catalog], records: &[SpeciesRecord], species: &str) -> Vec<StationRai> {
    let mut n: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r.species == species) {
        *n.entry((r.catalog, r.station)).or_default() += 1;
    }
    catalogs
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            let n = &n;
            c.stations.iter().enumerate().map(move |(si, s)| {
                let d = n.get(&(ci, si)).copied().unwrap_or(0);
                let days = s.active_days();
                StationRai {
                    catalog: c.name.clone(),
                    station: s.id.clone(),
                    detections: d,
                    active_days: days,
                    rai: (days > 0.0).then(|| d as f64 / days * 100.0),
                }
            })
        })
        .collect()
}

/// Expected number of species in `h` = 1..=H samples drawn without replacement from `H`
/// samples, from each species' incidence count `H_k` (the number of samples it occurs in):
/// `S(h) = Σ_k [1 − C(H − H_k, h) / C(H, h)]` (Colwell, Mao & Chang 2004, Ecology 85:2717,
/// eq. 5 — sample-based rarefaction, the exact mean over all orders of the samples).
///
/// ```
/// use borderless::render::charts::data::expected_accumulation;
/// // Two samples: species A in both, B in one. One sample holds 1 + 1/2 species on average.
/// assert_eq!(expected_accumulation(&[2, 1], 2), vec![1.5, 2.0]);
/// ```
pub fn expected_accumulation(incidence: &[usize], samples: usize) -> Vec<f64> {
    let hh = samples as f64;
    let mut out = vec![0.0; samples];
    for &hk in incidence {
        // ratio(h) = C(H − H_k, h) / C(H, h) = Π_{j<h} (H − H_k − j) / (H − j)
        let mut ratio = 1.0;
        for (h, o) in out.iter_mut().enumerate() {
            let j = h as f64;
            ratio *= ((hh - hk as f64 - j) / (hh - j)).max(0.0);
            *o += 1.0 - ratio;
        }
    }
    out
}

/// A species accumulation curve over one kind of sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulation {
    /// `"stations"` or `"days"`.
    pub sample: String,
    pub samples: usize,
    /// Expected species in 1..=samples samples.
    pub expected: Vec<f64>,
    /// Species observed in all samples.
    pub observed: usize,
    /// Species and the number of samples each occurs in.
    pub incidence: BTreeMap<String, usize>,
}

/// Species accumulation over stations (every station of every catalog is a sample) and over
/// survey days (every calendar day, UTC, from the earliest deployment start to the latest end).
pub fn accumulation(catalogs: &[Catalog], records: &[SpeciesRecord]) -> (Accumulation, Accumulation) {
    let stations: usize = catalogs.iter().map(|c| c.stations.len()).sum();
    let base: Vec<usize> = catalogs
        .iter()
        .scan(0, |acc, c| {
            let b = *acc;
            *acc += c.stations.len();
            Some(b)
        })
        .collect();
    let all = || catalogs.iter().flat_map(|c| c.stations.iter());
    let start = all().map(|s| s.start.timestamp()).min().unwrap_or(0);
    let end = all().map(|s| s.end.timestamp()).max().unwrap_or(0);
    let days = ((end - start) as f64 / 86_400.0).ceil().max(1.0) as usize;
    let mut by_station: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut by_day: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for r in records {
        by_station.entry(&r.species).or_default().insert(base[r.catalog] + r.station);
        let d = (((r.time.timestamp() - start) as f64 / 86_400.0).floor().max(0.0) as usize).min(days - 1);
        by_day.entry(&r.species).or_default().insert(d);
    }
    let make = |sample: &str, n: usize, m: &BTreeMap<&str, BTreeSet<usize>>| {
        let incidence: BTreeMap<String, usize> = m.iter().map(|(k, v)| (k.to_string(), v.len())).collect();
        let inc: Vec<usize> = incidence.values().copied().collect();
        Accumulation {
            sample: sample.into(),
            samples: n,
            expected: expected_accumulation(&inc, n),
            observed: incidence.len(),
            incidence,
        }
    };
    (make("stations", stations, &by_station), make("days", days, &by_day))
}

/// Times of day (radians) of one species' records: local clock time in each record's own UTC
/// offset, or sun time at its station (see [`crate::activity::sun`]). Records known only to the
/// day (no time of day) and records whose day has no sunrise or sunset are counted in `dropped`.
pub fn species_times(catalogs: &[Catalog], records: &[SpeciesRecord], species: &str, sun: bool) -> (Vec<f64>, usize) {
    let mut times = Vec::new();
    let mut dropped = 0;
    for r in records.iter().filter(|r| r.species == species) {
        if r.precision == TimePrecision::Day {
            dropped += 1;
            continue;
        }
        let p = catalogs[r.catalog].stations[r.station].position;
        match time_of_day_rad(&r.time, p.lat, p.lon, sun) {
            Some(t) => times.push(t),
            None => dropped += 1,
        }
    }
    (times, dropped)
}

/// Species with their number of records, most recorded first.
pub fn species_counts(records: &[SpeciesRecord]) -> Vec<(String, usize)> {
    let mut m: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        *m.entry(&r.species).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// One population estimate for the comparison chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateInterval {
    /// Short label (`M0`, `Mh Chao (LB)`, `SECR`, …).
    pub label: String,
    /// `"closed"`, `"jackknife"`, `"secr"` or `"naive"`.
    pub kind: String,
    pub estimate: f64,
    #[serde(default)]
    pub lcl: Option<f64>,
    #[serde(default)]
    pub ucl: Option<f64>,
    /// The label as a message, to show it in any language (`label` stays as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

impl EstimateInterval {
    /// The label in `lang` (`label` itself when it has no message).
    pub fn label_in(&self, lang: Lang) -> String {
        self.message.as_ref().map_or_else(|| self.label.clone(), |m| m.text(lang))
    }
}

/// The comparison: every fitted closed model (Rcapture's log-normal CI), the jackknife, the
/// given SECR estimates, and the naive sum of national counts (no interval).
pub fn estimate_comparison(
    closed: Option<&ClosedPopulation>,
    secr: &[EstimateInterval],
    naive_sum: usize,
) -> Vec<EstimateInterval> {
    let mut out = Vec::new();
    if let Some(cp) = closed {
        for m in &cp.models {
            if let Some(f) = m.fit.as_ref().filter(|f| f.converged && f.abundance.is_finite()) {
                out.push(EstimateInterval {
                    label: m.model.clone(),
                    kind: "closed".into(),
                    estimate: f.abundance,
                    lcl: f.lcl,
                    ucl: f.ucl,
                    message: None,
                });
            }
        }
        let j = &cp.jackknife;
        if j.abundance.is_finite() {
            let m = Message::new("estimation.model.jackknife").with("order", j.selected_order);
            out.push(EstimateInterval {
                label: m.to_string(),
                kind: "jackknife".into(),
                estimate: j.abundance,
                lcl: j.lcl,
                ucl: j.ucl,
                message: Some(m),
            });
        }
    }
    out.extend(secr.iter().cloned());
    let m = Message::new("estimation.model.naive_sum");
    out.push(EstimateInterval {
        label: m.to_string(),
        kind: "naive".into(),
        estimate: naive_sum as f64,
        lcl: None,
        ucl: None,
        message: Some(m),
    });
    out
}
