//! The data model shared by every later step: national catalogs of camera stations and
//! detections of identified individuals ([`Catalog`]), the joint catalog ([`joint`]), capture
//! histories ([`histories`]), species and their sensitivity ([`species`]), the five languages
//! ([`lang`]) and the messages a user sees ([`message`]).
//!
//! Layer: the bottom; imports nothing else of the crate.
//!
//! Coordinates here are exact WGS84 degrees. They are never drawn or exported for the public
//! except through the `privacy` step of the pipeline.

pub mod country;
pub mod histories;
pub mod joint;
pub mod lang;
pub mod message;
pub mod secr;
pub mod species;

use crate::model::message::Message;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A timestamp that keeps the UTC offset it was recorded with (Camtrap DP requires ISO 8601
/// with an offset; deployments and observations may use different offsets).
pub type Timestamp = DateTime<FixedOffset>;

/// How precisely a time was written in its source: `2024-11-04` is known to the day,
/// `2024-11-04 16:05` to the minute, `2024-11-04 16:05:31` to the second. A coarse time is stored
/// as the start of its interval; the true instant lies in `[t, t + precision)`
/// ([`TimePrecision::end`]).
///
/// ```
/// use borderless::model::TimePrecision;
/// let t = chrono::DateTime::parse_from_rfc3339("2024-11-04T00:00:00+08:00").unwrap();
/// assert_eq!(TimePrecision::Day.end(&t).to_rfc3339(), "2024-11-05T00:00:00+08:00");
/// assert_eq!(TimePrecision::Day.format(&t), "2024-11-04");
/// assert_eq!(TimePrecision::Minute.format(&t), "2024-11-04T00:00+08:00");
/// assert_eq!(TimePrecision::Second.format(&t), "2024-11-04T00:00:00+08:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimePrecision {
    /// Only the date is known (date-only text, or a whole-number spreadsheet serial date).
    Day,
    /// Hours and minutes, no seconds.
    Minute,
    /// To the second (or finer): what a camera writes; the default of analyses saved before
    /// precision was kept.
    #[default]
    Second,
}

impl TimePrecision {
    /// Length of the interval a time of this precision stands for, in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            TimePrecision::Day => 86_400,
            TimePrecision::Minute => 60,
            TimePrecision::Second => 1,
        }
    }

    /// The end (exclusive) of the interval `[t, t + precision)` that a time `t` of this precision
    /// stands for.
    pub fn end(self, t: &Timestamp) -> Timestamp {
        *t + chrono::Duration::seconds(self.seconds())
    }

    /// The time as ISO 8601 without invented precision: `2024-11-04` (day, local date of its
    /// offset), `2024-11-04T16:05+08:00` (minute) or RFC 3339 (second).
    pub fn format(self, t: &Timestamp) -> String {
        match self {
            TimePrecision::Day => t.format("%Y-%m-%d").to_string(),
            TimePrecision::Minute => t.format("%Y-%m-%dT%H:%M%:z").to_string(),
            TimePrecision::Second => t.to_rfc3339(),
        }
    }
}

/// A WGS84 position in decimal degrees, checked on construction.
///
/// ```
/// use borderless::model::LatLon;
/// assert!(LatLon::new(43.1, 131.0).is_ok());
/// assert!(LatLon::new(131.0, 43.1).is_err()); // latitude out of range: looks swapped
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north, in [-90, 90].
    pub lat: f64,
    /// Longitude, degrees east, in [-180, 180].
    pub lon: f64,
}

impl LatLon {
    /// Checks ranges and says when the pair looks swapped (the reason in English; see
    /// [`LatLon::checked`] for it as a message).
    pub fn new(lat: f64, lon: f64) -> Result<Self, String> {
        Self::checked(lat, lon).map_err(|m| m.to_string())
    }

    /// As [`LatLon::new`], the reason as a message to show in any language.
    ///
    /// ```
    /// use borderless::model::{lang::Lang, LatLon};
    /// let e = LatLon::checked(130.5, 42.9).unwrap_err();
    /// assert_eq!(e.to_string(), "latitude 130.5 is outside [-90, 90]; latitude and longitude look swapped");
    /// assert!(e.text(Lang::Zh).contains("130.5"));
    /// ```
    pub fn checked(lat: f64, lon: f64) -> Result<Self, Message> {
        let (la, lo) = (lat.to_string(), lon.to_string());
        if !lat.is_finite() || !lon.is_finite() {
            return Err(Message::new("general.coords.not_finite").with("lat", la).with("lon", lo));
        }
        let lat_ok = (-90.0..=90.0).contains(&lat);
        let lon_ok = (-180.0..=180.0).contains(&lon);
        match (lat_ok, lon_ok) {
            (true, true) => Ok(LatLon { lat, lon }),
            (false, true) if (-90.0..=90.0).contains(&lon) => {
                Err(Message::new("general.coords.swapped").with("lat", la))
            }
            (false, _) => Err(Message::new("general.coords.lat_range").with("lat", la)),
            (true, false) => Err(Message::new("general.coords.lon_range").with("lon", lo)),
        }
    }
}

/// A projected coordinate reference system that gives WGS84 degrees for its coordinates.
/// Implemented in `spatial` (e.g. `spatial::Utm`) and taken by readers of projected tables, so
/// that reading needs no projection code.
pub trait ProjectedCrs: std::fmt::Debug {
    /// The WGS84 position of projected coordinates (metres), or why there is none (a message
    /// to show in any language).
    fn to_latlon(&self, x_m: f64, y_m: f64) -> Result<LatLon, Message>;
}

/// A camera station (Camtrap DP deployment, or camtrapR station) of one national catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Deployment ID (Camtrap DP) or station name (camtrapR), unique within its catalog.
    pub id: String,
    /// Location ID shared by several deployments at one place, if the source has one.
    pub location_id: Option<String>,
    /// Exact position (sensitive).
    pub position: LatLon,
    /// Start of the active period.
    pub start: Timestamp,
    /// End of the active period.
    pub end: Timestamp,
    /// Periods inside `[start, end]` when the camera did not work (camtrapR `ProblemN_from/to`).
    pub problems: Vec<(Timestamp, Timestamp)>,
}

impl Station {
    /// Days of effort: the active period minus malfunction periods.
    pub fn active_days(&self) -> f64 {
        let secs = |a: &Timestamp, b: &Timestamp| (*b - *a).num_seconds() as f64;
        let total = secs(&self.start, &self.end);
        let broken: f64 = self.problems.iter().map(|(a, b)| secs(a, b)).sum();
        ((total - broken) / 86_400.0).max(0.0)
    }

    /// Whether the camera was working at `t` (inside its period and outside problems).
    pub fn is_active(&self, t: &Timestamp) -> bool {
        *t >= self.start && *t <= self.end && !self.problems.iter().any(|(a, b)| t >= a && t <= b)
    }
}

/// One detection of an identified individual at a station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Index into the catalog's `stations`.
    pub station: usize,
    /// The individual's ID in its national catalog.
    pub individual: String,
    /// Scientific name as recorded.
    pub species: Option<String>,
    /// Sex as recorded (`female`, `male`, …), if any.
    pub sex: Option<String>,
    /// When the detection happened, with its recorded UTC offset (for a coarse time, the start of
    /// its interval: see `precision`).
    pub time: Timestamp,
    /// How precisely `time` was written in the source (analyses saved before it was kept load
    /// as [`TimePrecision::Second`]).
    #[serde(default)]
    pub precision: TimePrecision,
    /// Where it came from: file and 1-based data row (header is row 1).
    pub source_row: usize,
}

/// One animal observation of any species, identified to individual or not: what species
/// accumulation, relative abundance per species and diel activity need (a [`Catalog`] keeps only
/// detections of identified individuals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeciesRecord {
    /// Index of the catalog in the list of catalogs read.
    pub catalog: usize,
    /// Index of the station in its catalog.
    pub station: usize,
    pub species: String,
    /// When, with the UTC offset it was recorded in (for a coarse time, the start of its interval).
    pub time: Timestamp,
    /// How precisely `time` was written (analyses saved before it was kept: seconds). A record
    /// known only to the day has no time of day and is left out of diel activity.
    #[serde(default)]
    pub precision: TimePrecision,
    /// The individual, when identified.
    pub individual: Option<String>,
}

/// One national catalog: its stations and detections of identified individuals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The catalog's short name (e.g. `CN`, `RU`), used by the links table.
    pub name: String,
    /// Human title from the source, if any.
    pub title: Option<String>,
    /// The files it was read from (for reports).
    pub source: String,
    pub stations: Vec<Station>,
    pub detections: Vec<Detection>,
    /// True when the source declares its data simulated (Camtrap DP `deploymentTags`
    /// `simulated:true`, as the built-in demo surveys do).
    #[serde(default)]
    pub simulated: bool,
}

impl Catalog {
    /// Distinct individual IDs with at least one detection, sorted.
    pub fn individuals(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.detections.iter().map(|d| d.individual.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}
