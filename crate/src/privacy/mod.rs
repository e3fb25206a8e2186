//! The only path from exact coordinates to anything public: species sensitivity, fixed-grid
//! generalisation, minimum-records cells, seasons.
//!
//! [`generalise`] reads an [`Analysis`] (exact station positions, exact times, individual IDs)
//! and returns [`PublicRecords`]: its fields are private and it can only be built here, it holds
//! grid-cell indices instead of positions, seasons instead of times, and counts instead of
//! individual IDs for sensitive species. Every outreach renderer and exporter
//! ([`crate::outreach`], the WASM exports, the CLI) takes a `PublicRecords`, so nothing finer than a
//! cell can reach them. `PublicRecords` implements `Serialize` but not `Deserialize`.
//!
//! Following Chapman (2020, *Current Best Practices for Generalizing Sensitive Species Occurrence
//! Data*, GBIF, <https://doi.org/10.15468/doc-5jp4-5g10>):
//! - positions are snapped to a **fixed** grid (no random jitter, which averages away over
//!   repeated records): for the big-cat category an equal-area metric grid of `grid_km` km
//!   (cells of [`Grid::EqualArea`], anchored at the fixed origin of [`LAEA_ORIGIN`], never at
//!   the data), 0.1° or 0.01° cells for the lower categories; only cell centres and corners are
//!   ever output;
//! - a unit (species × cell × season × country) with fewer than `min_records` records is hidden
//!   and counted as withheld;
//! - dates are coarsened to meteorological seasons (DJF, MAM, JJA, SON) in the recorded offset;
//! - individual IDs of sensitive species are withheld (counts only); people on camera are never
//!   mapped.
//!
//! ```
//! use borderless::privacy::{Grid, LAEA_ORIGIN};
//! use borderless::model::LatLon;
//! let g = Grid::EqualArea { cell_m: 10_000.0 };
//! // The origin of the projection is the corner of four cells.
//! assert_eq!(g.cell_of(LatLon { lat: LAEA_ORIGIN.lat + 0.01, lon: LAEA_ORIGIN.lon + 0.01 }), (0, 0));
//! assert_eq!(g.cell_of(LatLon { lat: LAEA_ORIGIN.lat - 0.01, lon: LAEA_ORIGIN.lon - 0.01 }), (-1, -1));
//! ```

use crate::identity::summary::Analysis;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::species::{self, Sensitivity};
use crate::model::LatLon;
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Errors of the privacy module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrivacyError {
    #[error("privacy options: {0}")]
    Options(Message),
    #[error("analysis: detection {index} ({what})")]
    Detection { index: usize, what: Message },
}

impl PrivacyError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            PrivacyError::Options(m) => Message::new("privacy.error.options").with("message", m.clone()),
            PrivacyError::Detection { index, what } => {
                Message::new("privacy.error.detection").with("index", *index).with("what", what.clone())
            }
        }
    }
}

/// Options of the generalisation, as one serde struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyOptions {
    /// Cell size (km) of the equal-area grid for the big-cat category (default 10).
    pub grid_km: f64,
    /// Units with fewer records are hidden (default 3).
    pub min_records: usize,
}

impl Default for PrivacyOptions {
    fn default() -> Self {
        PrivacyOptions { grid_km: Sensitivity::BIG_CAT_GRID_KM, min_records: 3 }
    }
}

impl PrivacyOptions {
    /// Checks the options: a grid of 1–500 km, at least one record per cell.
    pub fn check(&self) -> Result<(), PrivacyError> {
        if !(self.grid_km.is_finite() && (1.0..=500.0).contains(&self.grid_km)) {
            return Err(PrivacyError::Options(
                Message::new("privacy.options.grid_km").with("value", self.grid_km.to_string()),
            ));
        }
        if self.min_records == 0 {
            return Err(PrivacyError::Options(Message::new("privacy.options.min_records")));
        }
        Ok(())
    }
}

/// The fixed origin of the Lambert azimuthal equal-area projection of [`Grid::EqualArea`]
/// (45°N 125°E, the middle of the Amur–Tumen region). Fixed, so that cells never depend on the data.
pub const LAEA_ORIGIN: LatLon = LatLon { lat: 45.0, lon: 125.0 };

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

fn e2() -> f64 {
    F * (2.0 - F)
}

/// Snyder (1987, *Map Projections — A Working Manual*, USGS PP 1395) eq. 3-12.
fn q_of(phi: f64) -> f64 {
    let e2 = e2();
    let e = e2.sqrt();
    let s = phi.sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

fn qp() -> f64 {
    q_of(std::f64::consts::FRAC_PI_2)
}

/// Authalic radius R_q = a √(q_p / 2) (Snyder eq. 3-13).
fn r_q() -> f64 {
    A * (qp() / 2.0).sqrt()
}

/// Authalic latitude β = asin(q/q_p) (Snyder eq. 3-11).
fn authalic(phi: f64) -> f64 {
    (q_of(phi) / qp()).clamp(-1.0, 1.0).asin()
}

/// Geodetic latitude from authalic: series (Snyder eq. 3-18), then Newton on q (eq. 3-16).
fn geodetic(beta: f64) -> f64 {
    let e2 = e2();
    let (e4, e6) = (e2 * e2, e2 * e2 * e2);
    let mut phi = beta
        + (e2 / 3.0 + 31.0 * e4 / 180.0 + 517.0 * e6 / 5040.0) * (2.0 * beta).sin()
        + (23.0 * e4 / 360.0 + 251.0 * e6 / 3780.0) * (4.0 * beta).sin()
        + (761.0 * e6 / 45360.0) * (6.0 * beta).sin();
    let q = qp() * beta.sin();
    let e = e2.sqrt();
    for _ in 0..4 {
        let s = phi.sin();
        let c = phi.cos();
        if c.abs() < 1e-12 {
            break;
        }
        let d = (1.0 - e2 * s * s).powi(2) / (2.0 * c)
            * (q / (1.0 - e2) - s / (1.0 - e2 * s * s) + (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln());
        phi += d;
    }
    phi
}

/// Lambert azimuthal equal-area (oblique, on the authalic sphere after mapping geodetic to
/// authalic latitude, which preserves area exactly; Snyder eqs. 24-2 to 24-4), metres, centred
/// on [`LAEA_ORIGIN`].
pub fn laea_forward(p: LatLon) -> (f64, f64) {
    let r = r_q();
    let b1 = authalic(LAEA_ORIGIN.lat.to_radians());
    let b = authalic(p.lat.to_radians());
    let dl = (p.lon - LAEA_ORIGIN.lon).to_radians();
    let denominator = 1.0 + b1.sin() * b.sin() + b1.cos() * b.cos() * dl.cos();
    if denominator < 1e-12 {
        // The antipode of the origin: undefined.
        return (f64::NAN, f64::NAN);
    }
    let k = (2.0 / denominator).sqrt();
    (r * k * b.cos() * dl.sin(), r * k * (b1.cos() * b.sin() - b1.sin() * b.cos() * dl.cos()))
}

/// The inverse of [`laea_forward`] (Snyder eqs. 24-16, 20-14, 20-15).
pub fn laea_inverse(x: f64, y: f64) -> LatLon {
    let r = r_q();
    let b1 = authalic(LAEA_ORIGIN.lat.to_radians());
    let rho = x.hypot(y);
    if rho < 1e-9 {
        return LAEA_ORIGIN;
    }
    let c = 2.0 * (rho / (2.0 * r)).clamp(-1.0, 1.0).asin();
    let b = (c.cos() * b1.sin() + y * c.sin() * b1.cos() / rho).clamp(-1.0, 1.0).asin();
    let dl = (x * c.sin()).atan2(rho * b1.cos() * c.cos() - y * b1.sin() * c.sin());
    let mut lon = LAEA_ORIGIN.lon + dl.to_degrees();
    if lon > 180.0 {
        lon -= 360.0;
    } else if lon < -180.0 {
        lon += 360.0;
    }
    LatLon { lat: geodetic(b).to_degrees(), lon }
}

/// A fixed grid: cell `(i, j)` is column `i` (east) and row `j` (north).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Grid {
    /// Square cells of `cell_m` metres in [`laea_forward`] coordinates; cell (0, 0) has its
    /// south-west corner at the projection origin.
    EqualArea { cell_m: f64 },
    /// Cells of `step_deg` degrees of latitude and longitude; cell (0, 0) has its south-west
    /// corner at 0°N 0°E.
    Degrees { step_deg: f64 },
}

impl Grid {
    /// The grid of a sensitivity category; `None` for suppressed species.
    pub fn for_sensitivity(s: Sensitivity, grid_km: f64) -> Option<Grid> {
        match s {
            Sensitivity::Suppress => None,
            Sensitivity::Withhold { .. } => Some(Grid::EqualArea { cell_m: grid_km * 1000.0 }),
            Sensitivity::Generalise01 => Some(Grid::Degrees { step_deg: 0.1 }),
            Sensitivity::Generalise001 | Sensitivity::Open => Some(Grid::Degrees { step_deg: 0.01 }),
        }
    }

    fn step(&self) -> f64 {
        match *self {
            Grid::EqualArea { cell_m } => cell_m,
            Grid::Degrees { step_deg } => step_deg,
        }
    }

    /// Grid coordinates (projected metres or degrees) of a position.
    fn coords(&self, p: LatLon) -> (f64, f64) {
        match self {
            Grid::EqualArea { .. } => laea_forward(p),
            Grid::Degrees { .. } => (p.lon, p.lat),
        }
    }

    fn position(&self, x: f64, y: f64) -> LatLon {
        match self {
            Grid::EqualArea { .. } => laea_inverse(x, y),
            Grid::Degrees { .. } => LatLon { lat: y, lon: x },
        }
    }

    /// The cell that contains a position; `None` only at the antipode of [`LAEA_ORIGIN`]
    /// (45°S 55°W), where the equal-area projection is undefined.
    pub fn try_cell_of(&self, p: LatLon) -> Option<(i64, i64)> {
        let (x, y) = self.coords(p);
        let s = self.step();
        (x.is_finite() && y.is_finite()).then(|| ((x / s).floor() as i64, (y / s).floor() as i64))
    }

    /// The cell that contains a position.
    ///
    /// # Panics
    /// At the antipode of [`LAEA_ORIGIN`] for [`Grid::EqualArea`] (see [`Grid::try_cell_of`]).
    pub fn cell_of(&self, p: LatLon) -> (i64, i64) {
        self.try_cell_of(p).expect("position at the antipode of the equal-area grid's origin")
    }

    /// The centre of cell `(i, j)`.
    pub fn centre(&self, (i, j): (i64, i64)) -> LatLon {
        let s = self.step();
        self.position((i as f64 + 0.5) * s, (j as f64 + 0.5) * s)
    }

    /// The corners of cell `(i, j)`: south-west, south-east, north-east, north-west.
    pub fn corners(&self, (i, j): (i64, i64)) -> [LatLon; 4] {
        let s = self.step();
        let (x0, y0, x1, y1) = (i as f64 * s, j as f64 * s, (i + 1) as f64 * s, (j + 1) as f64 * s);
        [self.position(x0, y0), self.position(x1, y0), self.position(x1, y1), self.position(x0, y1)]
    }

    /// Largest distance (m) from the centre to a corner: the coordinate uncertainty of a
    /// centre (Chapman & Wieczorek 2020, *Georeferencing Best Practices*, §3.4). Haversine on
    /// the mean Earth radius, rounded up to the metre.
    pub fn half_diagonal_m(&self, cell: (i64, i64)) -> f64 {
        let c = self.centre(cell);
        self.corners(cell).iter().map(|k| haversine_m(c, *k)).fold(0.0, f64::max).ceil()
    }

    /// How far (as a fraction of a cell) a position is from the nearest cell centre (`centre =
    /// true`) or corner, in grid coordinates; 0 for an exact centre / corner.
    pub fn offset_from_lattice(&self, p: LatLon, centre: bool) -> f64 {
        let (x, y) = self.coords(p);
        let s = self.step();
        let shift = if centre { 0.5 } else { 0.0 };
        let f = |v: f64| {
            let u = v / s - shift;
            (u - u.round()).abs()
        };
        f(x).max(f(y))
    }

    /// A short description in `lang`, e.g. `10 km equal-area grid` or `0.1° grid`.
    pub fn describe(&self, lang: Lang) -> String {
        self.description(lang).text(lang)
    }

    /// The description as a message (numbers formatted for `lang`).
    pub fn description(&self, lang: Lang) -> Message {
        match *self {
            Grid::EqualArea { cell_m } => {
                let km = lang.number(cell_m / 1000.0, if (cell_m / 1000.0).fract() == 0.0 { 0 } else { 1 });
                Message::new("privacy.grid.equal_area").with("km", km)
            }
            Grid::Degrees { step_deg } => {
                let d = if step_deg >= 0.1 { 1 } else { 2 };
                Message::new("privacy.grid.degrees").with("deg", lang.number(step_deg, d))
            }
        }
    }
}

fn haversine_m(a: LatLon, b: LatLon) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

/// A meteorological season: `quarter` 0 = winter (Dec of `year` to Feb of the next), 1 = spring
/// (Mar–May), 2 = summer (Jun–Aug), 3 = autumn (Sep–Nov).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Season {
    year: i32,
    quarter: u8,
}

impl Season {
    /// The season of a calendar month (1–12) of a year.
    ///
    /// ```
    /// use borderless::privacy::Season;
    /// assert_eq!(Season::of(2025, 1).event_date(), "2024-12/2025-02");
    /// assert_eq!(Season::of(2024, 7).event_date(), "2024-06/2024-08");
    /// ```
    pub fn of(year: i32, month: u32) -> Season {
        match month {
            12 => Season { year, quarter: 0 },
            1 | 2 => Season { year: year - 1, quarter: 0 },
            m => Season { year, quarter: ((m - 3) / 3 + 1) as u8 },
        }
    }

    /// The Darwin Core `eventDate` interval, `YYYY-MM/YYYY-MM`.
    pub fn event_date(&self) -> String {
        match self.quarter {
            0 => format!("{}-12/{}-02", self.year, self.year + 1),
            q => {
                let m0 = 3 * q as u32;
                format!("{y}-{:02}/{y}-{:02}", m0, m0 + 2, y = self.year)
            }
        }
    }

    /// The season's name and year in `lang`, e.g. `summer 2024`, `winter 2024–25`.
    pub fn label(&self, lang: Lang) -> String {
        let code = ["privacy.season.winter", "privacy.season.spring", "privacy.season.summer", "privacy.season.autumn"]
            [self.quarter as usize];
        let year = if self.quarter == 0 {
            format!("{}–{:02}", self.year, (self.year + 1).rem_euclid(100))
        } else {
            self.year.to_string()
        };
        Message::new(code).with("year", year).text(lang)
    }
}

/// One published unit: the records of one species in one grid cell, one season and one country.
/// It holds the cell index, never a position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneralisedCell {
    species: String,
    sensitivity: Sensitivity,
    grid: Grid,
    cell: (i64, i64),
    season: Season,
    country: String,
    records: usize,
    individuals: usize,
    /// Only for species whose identities are not withheld.
    individual_ids: Vec<String>,
}

impl GeneralisedCell {
    /// Scientific name as recorded (normalised spacing), or `""` when the records had none.
    pub fn species(&self) -> &str {
        &self.species
    }
    pub fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    pub fn grid(&self) -> Grid {
        self.grid
    }
    /// Column and row of the cell in its grid.
    pub fn cell(&self) -> (i64, i64) {
        self.cell
    }
    pub fn season(&self) -> Season {
        self.season
    }
    /// The catalog (country) the records came from.
    pub fn country(&self) -> &str {
        &self.country
    }
    /// Detections in this unit.
    pub fn records(&self) -> usize {
        self.records
    }
    /// Distinct individuals in this unit.
    pub fn individuals(&self) -> usize {
        self.individuals
    }
    /// Joint-catalog IDs, empty for species whose identities are withheld.
    pub fn individual_ids(&self) -> &[String] {
        &self.individual_ids
    }
    /// The cell centre: the only point position ever published.
    pub fn centre(&self) -> LatLon {
        self.grid.centre(self.cell)
    }
    /// The cell's corners (south-west, south-east, north-east, north-west).
    pub fn corners(&self) -> [LatLon; 4] {
        self.grid.corners(self.cell)
    }
    /// Coordinate uncertainty of the centre (m).
    pub fn uncertainty_m(&self) -> f64 {
        self.grid.half_diagonal_m(self.cell)
    }
    /// Darwin Core `dataGeneralizations`.
    pub fn data_generalizations(&self) -> String {
        let grid = match self.grid {
            Grid::EqualArea { cell_m } => format!(
                "Coordinates generalised to the centre of a {} km cell of a fixed Lambert azimuthal equal-area grid (origin {}°N {}°E)",
                fmt_num(cell_m / 1000.0),
                LAEA_ORIGIN.lat,
                LAEA_ORIGIN.lon
            ),
            Grid::Degrees { step_deg } => {
                format!("Coordinates generalised to the centre of a {}° cell of a fixed latitude/longitude grid", step_deg)
            }
        };
        format!("{grid}; event date coarsened to the meteorological season")
    }
    /// Darwin Core `informationWithheld`.
    pub fn information_withheld(&self, min_records: usize) -> String {
        let ids = if self.sensitivity.withholds_individuals() { ", individual identities" } else { "" };
        format!(
            "Exact coordinates, camera stations, dates and times{ids} withheld; cells with fewer than {min_records} records not published"
        )
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// What was withheld.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Withheld {
    /// Units hidden for having fewer than `min_records` records.
    pub units: usize,
    /// Records in those units.
    pub records: usize,
    /// Records of species never mapped (people on camera).
    pub suppressed_records: usize,
}

/// Counts of individuals (no positions): national counts, their sum, unique and transboundary
/// individuals and the over-count; people on camera excluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicNumbers {
    pub national_counts: BTreeMap<String, usize>,
    pub sum_of_national_counts: usize,
    pub unique_individuals: usize,
    pub transboundary_individuals: usize,
    pub overcount_percent: Option<f64>,
}

/// Per species: its category, grid and how many records were shown or withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeciesGeneralisation {
    pub species: String,
    pub sensitivity: Sensitivity,
    pub grid: Option<Grid>,
    pub records_shown: usize,
    pub records_withheld: usize,
}

/// Everything outreach may show: generalised units, counts and the generalisation statement.
/// Built only by [`generalise`]; holds no exact position, time or (for sensitive species) ID.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicRecords {
    options: PrivacyOptions,
    cells: Vec<GeneralisedCell>,
    withheld: Withheld,
    numbers: PublicNumbers,
    species: Vec<SpeciesGeneralisation>,
    catalogs: Vec<String>,
    /// Border polylines `[[lon, lat], …]`: public geography (e.g. Natural Earth), not records.
    border: Vec<Vec<[f64; 2]>>,
    simulated: bool,
}

impl PublicRecords {
    pub fn options(&self) -> &PrivacyOptions {
        &self.options
    }
    /// The published units, ordered by species, grid cell, season and country.
    pub fn cells(&self) -> &[GeneralisedCell] {
        &self.cells
    }
    pub fn withheld(&self) -> &Withheld {
        &self.withheld
    }
    pub fn numbers(&self) -> &PublicNumbers {
        &self.numbers
    }
    pub fn species(&self) -> &[SpeciesGeneralisation] {
        &self.species
    }
    /// Catalog (country) names in load order.
    pub fn catalogs(&self) -> &[String] {
        &self.catalogs
    }
    pub fn border(&self) -> &[Vec<[f64; 2]>] {
        &self.border
    }
    /// True when the records come from the simulated demo survey.
    pub fn simulated(&self) -> bool {
        self.simulated
    }

    /// What is shown and what is not, in words that add up: records shown in how many cells,
    /// records not shown in cells with fewer than `min_records`, records of people (never shown).
    ///
    /// ```
    /// use borderless::{model::lang::Lang, pipeline::{analyze_files, AnalysisOptions}, privacy};
    /// let a = analyze_files(Vec::new(), &AnalysisOptions::default(), &mut |_| {});
    /// let p = privacy::generalise(&a, &Default::default()).unwrap();
    /// assert!(p.shown_and_withheld(Lang::En).starts_with("Shown: 0 records"));
    /// ```
    pub fn shown_and_withheld(&self, lang: Lang) -> String {
        let n = |x: usize| lang.number(x as f64, 0);
        let shown: usize = self.cells.iter().map(|c| c.records()).sum();
        let cells: BTreeSet<(&str, (i64, i64))> = self.cells.iter().map(|c| (c.species(), c.cell())).collect();
        Message::new("privacy.shown_withheld")
            .with("shown", n(shown))
            .with("cells", n(cells.len()))
            .with("recs", n(self.withheld.records))
            .with("units", n(self.withheld.units))
            .with("min", n(self.options.min_records))
            .with("people", n(self.withheld.suppressed_records))
            .text(lang)
    }

    /// The human-readable generalisation statement in `lang`.
    pub fn statement(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        for s in &self.species {
            let Some(grid) = s.grid else { continue };
            let name = if s.species.is_empty() {
                Message::new("privacy.unnamed_species").text(lang)
            } else {
                species::common_name(&s.species, lang)
            };
            parts.push(
                Message::new("privacy.statement.species")
                    .with("name", name)
                    .with("grid", grid.describe(lang))
                    .text(lang),
            );
        }
        let n = |x: usize| lang.number(x as f64, 0);
        let rules = Message::new("privacy.statement.rules")
            .with("min", n(self.options.min_records))
            .with("units", n(self.withheld.units))
            .with("recs", n(self.withheld.records))
            .with("people", n(self.withheld.suppressed_records));
        let m = if parts.is_empty() {
            Message::new("privacy.statement.plain")
        } else {
            let sep = Message::new("privacy.statement.sep").text(lang);
            Message::new("privacy.statement.species_grids").with("species", parts.join(&sep))
        };
        m.with("rules", rules).text(lang)
    }
}

/// Generalises an analysis for the public: the only way to make [`PublicRecords`].
///
/// The species of a detection is the one recorded with it, else its individual's; unknown and
/// missing species are treated as big cats ([`Sensitivity::UNKNOWN`]).
pub fn generalise(a: &Analysis, opts: &PrivacyOptions) -> Result<PublicRecords, PrivacyError> {
    opts.check()?;
    type Key = (String, (i64, i64), Season, usize);
    struct Acc {
        records: usize,
        individuals: BTreeSet<usize>,
    }
    // Per species (normalised scientific name): its sensitivity and grid.
    let mut units: BTreeMap<Key, Acc> = BTreeMap::new();
    let mut species_sens: BTreeMap<String, Sensitivity> = BTreeMap::new();
    let mut suppressed_records = 0usize;
    let mut suppressed_individuals: BTreeSet<usize> = BTreeSet::new();
    for (index, d) in a.crossborder.detections.iter().enumerate() {
        let err = |what: Message| PrivacyError::Detection { index, what };
        let ind = a
            .crossborder
            .individuals
            .get(d.individual)
            .ok_or_else(|| err(Message::new("privacy.error.no_individual")))?;
        let raw = d.species.as_deref().or(ind.species.as_deref()).unwrap_or("");
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let sens = species::sensitivity((!name.is_empty()).then_some(name.as_str()));
        if sens == Sensitivity::Suppress {
            suppressed_records += 1;
            suppressed_individuals.insert(d.individual);
            continue;
        }
        species_sens.insert(name.clone(), sens);
        let station = a.catalogs.get(d.catalog).and_then(|c| c.stations.get(d.station)).ok_or_else(|| {
            err(Message::new("privacy.error.no_station").with("catalog", d.catalog).with("station", d.station))
        })?;
        let grid = Grid::for_sensitivity(sens, opts.grid_km).expect("suppressed species were skipped");
        let cell = grid.try_cell_of(station.position).ok_or_else(|| {
            err(Message::new("privacy.error.antipode")
                .with("lat", station.position.lat.to_string())
                .with("lon", station.position.lon.to_string()))
        })?;
        let time = chrono::DateTime::parse_from_rfc3339(&d.time).map_err(|e| {
            err(Message::new("privacy.error.time").with("time", format!("{:?}", d.time)).with("reason", e.to_string()))
        })?;
        let season = Season::of(time.year(), time.month());
        let acc =
            units.entry((name, cell, season, d.catalog)).or_insert(Acc { records: 0, individuals: BTreeSet::new() });
        acc.records += 1;
        acc.individuals.insert(d.individual);
    }
    let mut cells = Vec::new();
    let mut withheld = Withheld { suppressed_records, ..Default::default() };
    let mut shown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for ((name, cell, season, catalog), acc) in units {
        let sens = species_sens[&name];
        let tally = shown.entry(name.clone()).or_default();
        if acc.records < opts.min_records {
            withheld.units += 1;
            withheld.records += acc.records;
            tally.1 += acc.records;
            continue;
        }
        tally.0 += acc.records;
        let individual_ids = if sens.withholds_individuals() {
            Vec::new()
        } else {
            acc.individuals.iter().map(|&i| a.crossborder.individuals[i].id.clone()).collect()
        };
        cells.push(GeneralisedCell {
            species: name,
            sensitivity: sens,
            grid: Grid::for_sensitivity(sens, opts.grid_km).expect("suppressed species were skipped"),
            cell,
            season,
            country: a.catalogs[catalog].name.clone(),
            records: acc.records,
            individuals: acc.individuals.len(),
            individual_ids,
        });
    }
    let species = shown
        .into_iter()
        .map(|(name, (records_shown, records_withheld))| {
            let sensitivity = species_sens[&name];
            SpeciesGeneralisation {
                grid: Grid::for_sensitivity(sensitivity, opts.grid_km),
                species: name,
                sensitivity,
                records_shown,
                records_withheld,
            }
        })
        .collect();
    // Counts of individuals, people excluded.
    let catalogs: Vec<String> = a.catalogs.iter().map(|c| c.name.clone()).collect();
    let mut national_counts: BTreeMap<String, usize> = catalogs.iter().map(|c| (c.clone(), 0)).collect();
    let (mut unique, mut transboundary) = (0, 0);
    for (i, ind) in a.crossborder.individuals.iter().enumerate() {
        let sens = species::sensitivity(ind.species.as_deref());
        if sens == Sensitivity::Suppress || suppressed_individuals.contains(&i) {
            continue;
        }
        let seen: Vec<&String> = ind.detections.iter().filter(|(_, &n)| n > 0).map(|(c, _)| c).collect();
        if seen.is_empty() {
            continue;
        }
        unique += 1;
        if seen.len() > 1 {
            transboundary += 1;
        }
        for c in seen {
            *national_counts.entry(c.clone()).or_default() += 1;
        }
    }
    let sum: usize = national_counts.values().sum();
    Ok(PublicRecords {
        options: opts.clone(),
        cells,
        withheld,
        numbers: PublicNumbers {
            national_counts,
            sum_of_national_counts: sum,
            unique_individuals: unique,
            transboundary_individuals: transboundary,
            overcount_percent: crate::identity::crossings::overcount_percent(sum, unique),
        },
        species,
        catalogs,
        border: a.border.clone(),
        simulated: a.simulated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laea_round_trip_and_equal_area() {
        for &(lat, lon) in &[(43.1, 130.9), (45.0, 125.0), (-2.0, 101.5), (51.0, 4.5), (70.0, 170.0)] {
            let p = LatLon { lat, lon };
            let (x, y) = laea_forward(p);
            let q = laea_inverse(x, y);
            assert!((q.lat - lat).abs() < 1e-10 && (q.lon - lon).abs() < 1e-10, "{p:?} → {q:?}");
        }
        // Equal area: the product of the north-south and east-west scale factors is 1. Ground
        // lengths per radian on WGS84 (Snyder eqs. 4-18, 4-20): M = a(1−e²)/(1−e² sin²φ)^1.5,
        // N cos φ with N = a/(1−e² sin²φ)^0.5.
        for &(lat, lon) in &[(43.1_f64, 130.9_f64), (45.0, 125.0), (30.0, 100.0)] {
            let (phi, h) = (lat.to_radians(), 1e-6_f64);
            let w = (1.0 - e2() * phi.sin().powi(2)).sqrt();
            let (m, n) = (A * (1.0 - e2()) / w.powi(3), A / w);
            let p0 = laea_forward(LatLon { lat, lon });
            let pn = laea_forward(LatLon { lat: lat + h.to_degrees(), lon });
            let pe = laea_forward(LatLon { lat, lon: lon + h.to_degrees() });
            let (dn, de) = ((pn.0 - p0.0, pn.1 - p0.1), (pe.0 - p0.0, pe.1 - p0.1));
            // Area of the image of a small ground rectangle over the rectangle's area.
            let ratio = (dn.0 * de.1 - dn.1 * de.0).abs() / (m * h * n * phi.cos() * h);
            assert!((ratio - 1.0).abs() < 1e-6, "({lat}, {lon}): area ratio {ratio}");
        }
    }
}
