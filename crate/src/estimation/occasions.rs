//! From camera catalogs to detection histories: sampling occasions of a chosen length from the
//! survey start, effort per station and occasion, and who was detected where and when.
//!
//! Effort follows camtrapR's camera-operation logic (Niedballa et al. 2016): a station that is
//! not set up, or is malfunctioning, has *no effort* in that time — not "no detection". Here
//! effort is measured exactly, as the days of each occasion during which the station worked
//! (deployment period minus malfunction periods), so partial days count in proportion.
//! Joint histories across national catalogs use the joint individuals of
//! [`crate::model::joint::JointCatalog`].

use crate::model::histories::{CaptureHistories, HistoryError};
use crate::model::joint::JointCatalog;
use crate::model::joint::NationalId;
use crate::model::message::Message;
use crate::model::{Catalog, LatLon, Timestamp};
use serde::{Deserialize, Serialize};

/// Errors of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OccasionError {
    #[error("occasion length must be a positive number of days, not {0}")]
    BadLength(f64),
    #[error("no station with a deployment period: nothing to build histories from")]
    NoStations,
    #[error("{0} occasions of {1} days: too many (at most {2})")]
    TooMany(usize, f64, usize),
    #[error("detection histories: {0}")]
    Histories(#[from] HistoryError),
}

impl OccasionError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            OccasionError::BadLength(d) => Message::new("estimation.occasions.bad_length").with("days", d.to_string()),
            OccasionError::NoStations => Message::new("estimation.occasions.no_stations"),
            OccasionError::TooMany(n, d, max) => Message::new("estimation.occasions.too_many")
                .with("n", *n)
                .with("days", d.to_string())
                .with("max", *max),
            OccasionError::Histories(h) => {
                Message::new("estimation.occasions.histories").with("message", h.to_message())
            }
        }
    }
}

/// At most this many occasions (about 27 years of daily occasions).
pub const MAX_OCCASIONS: usize = 10_000;

/// One station with its effort per occasion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationEffort {
    pub catalog: String,
    pub station: String,
    pub position: LatLon,
    /// Days the camera worked in each occasion (0 = no effort).
    pub effort_days: Vec<f64>,
}

/// One detection placed on the occasion grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedDetection {
    /// Index into [`DetectionHistories::animals`].
    pub animal: usize,
    pub occasion: usize,
    /// Index into [`DetectionHistories::stations`].
    pub station: usize,
    /// Rank of the detection's instant among all detections (0 = earliest), for "first".
    pub time_order: usize,
}

/// Detection histories of the joint individuals over the stations of all catalogs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectionHistories {
    /// Start of occasion 1 (the earliest deployment start).
    pub start: Timestamp,
    pub occasion_days: f64,
    pub occasions: usize,
    pub stations: Vec<StationEffort>,
    /// Joint IDs of the animals detected at least once.
    pub animals: Vec<String>,
    /// Every detection, in catalog order.
    pub detections: Vec<PlacedDetection>,
}

/// Builds histories with occasions of `occasion_days` from the earliest deployment start.
///
/// ```
/// use borderless::estimation::occasions::build;
/// # use borderless::model::*;
/// # use borderless::identity::join::join;
/// let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// let station = Station { id: "A".into(), location_id: None, position: LatLon { lat: 43.0, lon: 131.0 },
///     start: t("2024-01-01T00:00:00+00:00"), end: t("2024-01-21T00:00:00+00:00"), problems: vec![] };
/// let det = Detection { station: 0, individual: "T1".into(), species: None, sex: None, time: t("2024-01-12T03:00:00+00:00"), precision: TimePrecision::Second, source_row: 2 };
/// let cat = Catalog { name: "CN".into(), title: None, source: "cn".into(), stations: vec![station], detections: vec![det], simulated: false };
/// let h = build(&[cat.clone()], &join(&[cat], &[], None), 10.0).unwrap();
/// assert_eq!(h.occasions, 2);
/// assert_eq!(h.stations[0].effort_days, vec![10.0, 10.0]);
/// assert_eq!(h.detections[0].occasion, 1); // day 11.1 falls in the second occasion
/// ```
pub fn build(
    catalogs: &[Catalog],
    joint: &JointCatalog,
    occasion_days: f64,
) -> Result<DetectionHistories, OccasionError> {
    if !(occasion_days.is_finite() && occasion_days > 0.0) {
        return Err(OccasionError::BadLength(occasion_days));
    }
    let all = || catalogs.iter().flat_map(|c| c.stations.iter());
    let start = all().map(|s| s.start).min_by_key(|t| t.timestamp()).ok_or(OccasionError::NoStations)?;
    let end = all().map(|s| s.end).max_by_key(|t| t.timestamp()).ok_or(OccasionError::NoStations)?;
    let secs = |a: &Timestamp, b: &Timestamp| (b.timestamp_millis() - a.timestamp_millis()) as f64 / 1000.0;
    let occ_secs = occasion_days * 86_400.0;
    let span = secs(&start, &end);
    let occasions = ((span / occ_secs).ceil() as usize).max(1);
    if occasions > MAX_OCCASIONS {
        return Err(OccasionError::TooMany(occasions, occasion_days, MAX_OCCASIONS));
    }
    let mut stations = Vec::new();
    let mut base = Vec::with_capacity(catalogs.len());
    for c in catalogs {
        base.push(stations.len());
        for s in &c.stations {
            // Working intervals (seconds since start): deployment minus problems.
            let mut working = vec![(secs(&start, &s.start), secs(&start, &s.end))];
            for (a, b) in &s.problems {
                let (pa, pb) = (secs(&start, a), secs(&start, b));
                working = working
                    .into_iter()
                    .flat_map(|(x, y)| {
                        let mut parts = Vec::new();
                        if pa > x {
                            parts.push((x, pa.min(y)));
                        }
                        if pb < y {
                            parts.push((pb.max(x), y));
                        }
                        parts.into_iter().filter(|(a, b)| b > a)
                    })
                    .collect();
            }
            let effort_days = (0..occasions)
                .map(|k| {
                    let (o0, o1) = (k as f64 * occ_secs, (k + 1) as f64 * occ_secs);
                    working.iter().map(|(x, y)| (y.min(o1) - x.max(o0)).max(0.0)).sum::<f64>() / 86_400.0
                })
                .collect();
            stations.push(StationEffort {
                catalog: c.name.clone(),
                station: s.id.clone(),
                position: s.position,
                effort_days,
            });
        }
    }
    let mut animal_of = vec![None; joint.individuals.len()];
    let mut animals = Vec::new();
    let mut detections = Vec::new();
    let mut instants: Vec<i64> =
        catalogs.iter().flat_map(|c| c.detections.iter().map(|d| d.time.timestamp_millis())).collect();
    instants.sort_unstable();
    for (ci, c) in catalogs.iter().enumerate() {
        for d in &c.detections {
            let ms = d.time.timestamp_millis();
            let time_order = instants.partition_point(|&t| t < ms);
            let ji = joint.index[&NationalId::new(&c.name, &d.individual)];
            let a = *animal_of[ji].get_or_insert_with(|| {
                animals.push(joint.individuals[ji].id.clone());
                animals.len() - 1
            });
            let k = ((secs(&start, &d.time) / occ_secs).floor() as usize).min(occasions - 1);
            detections.push(PlacedDetection { animal: a, occasion: k, station: base[ci] + d.station, time_order });
        }
    }
    Ok(DetectionHistories { start, occasion_days, occasions, stations, animals, detections })
}

impl DetectionHistories {
    /// Non-spatial histories for closed-population models: animal × occasion, 1 if detected at
    /// any station in that occasion.
    pub fn closed_histories(&self) -> Result<CaptureHistories, OccasionError> {
        let mut rows = vec![vec![0u8; self.occasions]; self.animals.len()];
        for d in &self.detections {
            rows[d.animal][d.occasion] = 1;
        }
        Ok(CaptureHistories::new(rows)?)
    }

    /// Total effort per occasion over all stations (station-days).
    pub fn effort_per_occasion(&self) -> Vec<f64> {
        (0..self.occasions).map(|k| self.stations.iter().map(|s| s.effort_days[k]).sum()).collect()
    }
}

/// The survey's span in days, as [`build`] measures it: from the earliest station start to the
/// latest station end over all catalogs; `None` without stations.
pub fn survey_days(catalogs: &[Catalog]) -> Option<f64> {
    let all = || catalogs.iter().flat_map(|c| c.stations.iter());
    let start = all().map(|s| s.start.timestamp_millis()).min()?;
    let end = all().map(|s| s.end.timestamp_millis()).max()?;
    Some((end - start) as f64 / 86_400_000.0)
}

/// The number of occasions of `occasion_days` over `span_days`, as [`build`] counts them:
/// ⌈span / length⌉, at least 1.
pub fn occasion_count(span_days: f64, occasion_days: f64) -> usize {
    ((span_days / occasion_days).ceil() as usize).max(1)
}

/// At most this many occasions in the default of [`default_closed_occasion_days`]: the
/// log-linear closed models work on all 2^t possible histories, so 16 occasions (65,536
/// histories, the most [`crate::model::histories::MAX_OCCASIONS`] allows) take about 50 times
/// as long as 12 (4,096; measured on ten animals: 23 s against 0.5 s).
pub const DEFAULT_CLOSED_MAX_OCCASIONS: usize = 12;

/// The occasion length used when a closed-population analysis of catalogs is not given one.
///
/// The closed models (Rcapture's `closedp`) take 2 to [`crate::model::histories::MAX_OCCASIONS`]
/// (16) occasions; the default keeps to [`DEFAULT_CLOSED_MAX_OCCASIONS`] (12). The rule, for a
/// survey of `span_days`:
/// - 15 days (half a month, the usual camera-trap occasion) when that gives 2 to 12 occasions
///   (surveys of more than 15 and at most 180 days);
/// - for longer surveys, the shortest whole number of days that gives at most 12 occasions,
///   ⌈span / 12⌉ (a 365-day survey: 31-day occasions, 12 of them);
/// - for surveys of at most 15 days, whole days giving about 5 occasions, ⌊span / 5⌋, at least 1.
///
/// ```
/// use borderless::estimation::occasions::{default_closed_occasion_days, occasion_count};
/// assert_eq!(default_closed_occasion_days(120.0), 15.0);
/// assert_eq!(default_closed_occasion_days(365.0), 31.0);
/// assert_eq!(occasion_count(365.0, 31.0), 12);
/// assert_eq!(default_closed_occasion_days(12.0), 2.0);
/// ```
pub fn default_closed_occasion_days(span_days: f64) -> f64 {
    let max = DEFAULT_CLOSED_MAX_OCCASIONS;
    let n15 = occasion_count(span_days, 15.0);
    if (2..=max).contains(&n15) {
        15.0
    } else if n15 > max {
        (span_days / max as f64).ceil()
    } else {
        (span_days / 5.0).floor().max(1.0)
    }
}

/// The whole-day occasion lengths that give the closed models 2 to 16 occasions over
/// `span_days`: from ⌈span / 16⌉ (at least 1) to ⌈span⌉ − 1; `None` when no whole-day length
/// does (a survey of at most one day).
pub fn closed_occasion_day_range(span_days: f64) -> Option<(u64, u64)> {
    let max = crate::model::histories::MAX_OCCASIONS as f64;
    let lo = ((span_days / max).ceil() as u64).max(1);
    let hi = (span_days.ceil() as u64).saturating_sub(1);
    (lo <= hi).then_some((lo, hi))
}
