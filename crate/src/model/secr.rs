//! The data of spatially explicit capture–recapture: detector layouts ([`Traps`], with usage),
//! capture histories ([`Capthist`]: animal × occasion × detector) and habitat masks ([`Mask`]).
//!
//! Every constructor checks its input, so an estimator never sees a malformed value. Readers
//! for secr's CSV and text formats live in `io` (`io::secr_csv`, `io::secr_text`); the fits
//! in `estimation::secr`. Coordinates are projected metres; areas are hectares.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Errors from reading, checking or fitting SECR data. Messages name the file, row and column
/// where there is one.
#[derive(Debug, thiserror::Error)]
pub enum SecrError {
    #[error("{file}: row {row}, column '{column}': {message}")]
    Csv { file: String, row: usize, column: String, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("no detections: nothing to estimate from")]
    NoDetections,
    #[error("no recaptures: no animal was detected more than once, so sigma cannot be estimated")]
    NoRecaptures,
    #[error("only one detector: sigma is not identifiable from a single detector")]
    OneDetector,
    #[error("the mask does not cover detector '{0}': no mask point within one cell of it")]
    MaskNotCovering(String),
    #[error("likelihood could not be evaluated at the starting values: {0}")]
    BadStart(String),
    #[error("numerical failure: {0}")]
    Numerical(String),
}

impl SecrError {
    /// An error located at a row and column of a file.
    pub fn at(file: &str, row: usize, column: &str, message: impl Into<String>) -> Self {
        SecrError::Csv { file: file.into(), row, column: column.into(), message: message.into() }
    }
    /// An error about a whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        SecrError::File { file: file.into(), message: message.into() }
    }
}

/// Detector type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectorType {
    /// Multi-catch traps (also used for single-catch traps, as secr does).
    Multi,
    /// Binary proximity detectors (camera traps, hair snares).
    Proximity,
    /// Count detectors: Poisson counts per occasion, or binomial counts (secr's `binomN`).
    Count,
}

impl DetectorType {
    /// Parses "multi", "single", "proximity", "count".
    pub fn parse(s: &str) -> Result<Self, SecrError> {
        match s.to_ascii_lowercase().as_str() {
            "multi" | "single" | "multi-catch" => Ok(Self::Multi),
            "proximity" | "prox" => Ok(Self::Proximity),
            "count" => Ok(Self::Count),
            _ => Err(SecrError::Invalid(format!("unknown detector type '{s}' (multi, proximity or count)"))),
        }
    }
}

/// Detector layout with optional usage (effort) per occasion.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Traps {
    ids: Vec<String>,
    x: Vec<f64>,
    y: Vec<f64>,
    /// usage[k][s]; None means all ones.
    usage: Option<Vec<Vec<f64>>>,
    /// Detector type named in the file, if any (first row).
    detector_type: Option<String>,
}

impl Traps {
    /// Checked constructor: equal lengths, unique non-empty ids, finite coordinates, usage finite and
    /// non-negative with the same number of occasions for every trap.
    ///
    /// ```
    /// use borderless::model::secr::Traps;
    /// let t = Traps::new(vec!["A".into(), "B".into()], vec![0.0, 20.0], vec![0.0, 0.0], None).unwrap();
    /// assert_eq!(t.len(), 2);
    /// assert!(Traps::new(vec!["A".into(), "A".into()], vec![0.0, 1.0], vec![0.0, 0.0], None).is_err());
    /// ```
    pub fn new(ids: Vec<String>, x: Vec<f64>, y: Vec<f64>, usage: Option<Vec<Vec<f64>>>) -> Result<Self, SecrError> {
        if ids.is_empty() {
            return Err(SecrError::Invalid("no detectors".into()));
        }
        if ids.len() != x.len() || ids.len() != y.len() {
            return Err(SecrError::Invalid("detector ids, x and y differ in length".into()));
        }
        let mut seen = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() {
                return Err(SecrError::Invalid(format!("detector {} has an empty id", i + 1)));
            }
            if seen.insert(id.clone(), i).is_some() {
                return Err(SecrError::Invalid(format!("detector id '{id}' is repeated")));
            }
            if !x[i].is_finite() || !y[i].is_finite() {
                return Err(SecrError::Invalid(format!("detector '{id}' has non-finite coordinates")));
            }
        }
        if let Some(u) = &usage {
            if u.len() != ids.len() {
                return Err(SecrError::Invalid("usage must have one row per detector".into()));
            }
            let s = u[0].len();
            if s == 0 {
                return Err(SecrError::Invalid("usage has no occasions".into()));
            }
            for (k, row) in u.iter().enumerate() {
                if row.len() != s {
                    return Err(SecrError::Invalid(format!(
                        "usage of detector '{}' has {} occasions, not {s}",
                        ids[k],
                        row.len()
                    )));
                }
                if row.iter().any(|v| !v.is_finite() || *v < 0.0) {
                    return Err(SecrError::Invalid(format!("usage of detector '{}' must be finite and >= 0", ids[k])));
                }
            }
        }
        Ok(Self { ids, x, y, usage, detector_type: None })
    }

    /// Number of detectors.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    /// True when there are no detectors (never, for a checked value).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// Detector ids.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
    /// Detector x coordinates (m).
    pub fn x(&self) -> &[f64] {
        &self.x
    }
    /// Detector y coordinates (m).
    pub fn y(&self) -> &[f64] {
        &self.y
    }
    /// Usage per detector and occasion, if given.
    pub fn usage(&self) -> Option<&Vec<Vec<f64>>> {
        self.usage.as_ref()
    }
    /// Detector type named in the file (e.g. "single", "proximity"), if any.
    pub fn detector_type(&self) -> Option<&str> {
        self.detector_type.as_deref()
    }
    /// Records the detector type named by the source (e.g. "single").
    pub fn with_detector_type(mut self, detector_type: Option<String>) -> Self {
        self.detector_type = detector_type;
        self
    }
    /// Replaces the usage matrix (usage[k][s]).
    pub fn with_usage(self, usage: Option<Vec<Vec<f64>>>) -> Result<Self, SecrError> {
        let dt = self.detector_type.clone();
        Ok(Self::new(self.ids, self.x, self.y, usage)?.with_detector_type(dt))
    }
    /// Map detector id → index.
    pub fn index(&self) -> HashMap<&str, usize> {
        self.ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect()
    }
}

/// One detection: animal index, occasion (0-based) and trap index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub animal: usize,
    pub occasion: usize,
    pub trap: usize,
}

/// Capture histories: animal × occasion × trap detections (single session).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Capthist {
    n_occasions: usize,
    animal_ids: Vec<String>,
    detections: Vec<Detection>,
    /// Group label of each animal (e.g. sex, or the national catalog), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
}

impl Capthist {
    /// Checked constructor from (animal id, occasion 1-based, trap id) records.
    ///
    /// ```
    /// use borderless::model::secr::{Capthist, Traps};
    /// let t = Traps::new(vec!["A".into(), "B".into()], vec![0.0, 20.0], vec![0.0, 0.0], None).unwrap();
    /// let ch = Capthist::new(&t, 3, &[("a".into(), 1, "A".into()), ("a".into(), 3, "B".into())]).unwrap();
    /// assert_eq!((ch.n_animals(), ch.n_detections()), (1, 2));
    /// assert!(Capthist::new(&t, 3, &[("a".into(), 4, "A".into())]).is_err()); // occasion 4 of 3
    /// ```
    pub fn new(traps: &Traps, n_occasions: usize, records: &[(String, usize, String)]) -> Result<Self, SecrError> {
        if n_occasions == 0 {
            return Err(SecrError::Invalid("number of occasions must be >= 1".into()));
        }
        if let Some(u) = traps.usage() {
            if u[0].len() != n_occasions {
                return Err(SecrError::Invalid(format!(
                    "traps have usage for {} occasions but the captures have {n_occasions}",
                    u[0].len()
                )));
            }
        }
        let tindex = traps.index();
        let mut animals: HashMap<String, usize> = HashMap::new();
        let mut animal_ids = Vec::new();
        let mut detections = Vec::with_capacity(records.len());
        for (i, (a, s, t)) in records.iter().enumerate() {
            if *s == 0 || *s > n_occasions {
                return Err(SecrError::Invalid(format!("record {}: occasion {s} outside 1..{n_occasions}", i + 1)));
            }
            let trap = *tindex
                .get(t.as_str())
                .ok_or_else(|| SecrError::Invalid(format!("record {}: trap '{t}' is not in the traps", i + 1)))?;
            let next = animal_ids.len();
            let animal = *animals.entry(a.clone()).or_insert(next);
            if animal == next {
                animal_ids.push(a.clone());
            }
            detections.push(Detection { animal, occasion: s - 1, trap });
        }
        Ok(Self { n_occasions, animal_ids, detections, groups: None })
    }

    /// Checked constructor with a group label per animal: `groups` maps every animal id of the
    /// records to a non-empty label (e.g. "F"/"M", or the catalog "CN"/"RU").
    pub fn new_grouped(
        traps: &Traps,
        n_occasions: usize,
        records: &[(String, usize, String)],
        groups: &HashMap<String, String>,
    ) -> Result<Self, SecrError> {
        Self::new(traps, n_occasions, records)?.with_groups(groups)
    }

    /// Sets the group label of each animal from a map animal id → label (every animal needs a
    /// non-empty label).
    pub fn with_groups(mut self, groups: &HashMap<String, String>) -> Result<Self, SecrError> {
        let mut labels = Vec::with_capacity(self.animal_ids.len());
        for a in &self.animal_ids {
            match groups.get(a).map(|g| g.trim()) {
                Some(g) if !g.is_empty() => labels.push(g.to_string()),
                _ => return Err(SecrError::Invalid(format!("animal '{a}' has no group label"))),
            }
        }
        self.groups = Some(labels);
        Ok(self)
    }

    /// Group label of each animal (in the order of [`Capthist::animal_ids`]), if set.
    pub fn groups(&self) -> Option<&[String]> {
        self.groups.as_deref()
    }

    /// Distinct group labels, sorted (as R orders factor levels).
    pub fn group_levels(&self) -> Vec<String> {
        let mut v: Vec<String> = self.groups.iter().flatten().cloned().collect();
        v.sort();
        v.dedup();
        v
    }

    /// The histories of the animals whose index satisfies `keep` (labels kept).
    pub fn subset(&self, keep: &dyn Fn(usize) -> bool) -> Capthist {
        let mut map = vec![usize::MAX; self.animal_ids.len()];
        let mut animal_ids = Vec::new();
        let mut groups = self.groups.as_ref().map(|_| Vec::new());
        for (i, id) in self.animal_ids.iter().enumerate() {
            if keep(i) {
                map[i] = animal_ids.len();
                animal_ids.push(id.clone());
                if let (Some(g), Some(src)) = (groups.as_mut(), self.groups.as_ref()) {
                    g.push(src[i].clone());
                }
            }
        }
        let detections = self
            .detections
            .iter()
            .filter(|d| map[d.animal] != usize::MAX)
            .map(|d| Detection { animal: map[d.animal], ..*d })
            .collect();
        Capthist { n_occasions: self.n_occasions, animal_ids, detections, groups }
    }

    /// Number of occasions.
    pub fn n_occasions(&self) -> usize {
        self.n_occasions
    }
    /// Number of distinct animals detected.
    pub fn n_animals(&self) -> usize {
        self.animal_ids.len()
    }
    /// Number of detections.
    pub fn n_detections(&self) -> usize {
        self.detections.len()
    }
    /// Animal ids in order of first appearance.
    pub fn animal_ids(&self) -> &[String] {
        &self.animal_ids
    }
    /// All detections.
    pub fn detections(&self) -> &[Detection] {
        &self.detections
    }
}

/// Habitat mask: candidate range centres, each representing a cell of `cell_area_ha` hectares.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mask {
    x: Vec<f64>,
    y: Vec<f64>,
    cell_area_ha: f64,
    spacing: f64,
}

impl Mask {
    /// Checked constructor from points on a square grid of the given spacing (m); cell area = spacing²/10⁴ ha.
    ///
    /// ```
    /// use borderless::model::secr::Mask;
    /// let m = Mask::new(vec![0.0, 10.0], vec![0.0, 0.0], 10.0).unwrap();
    /// assert_eq!(m.area_ha(), 0.02);
    /// ```
    pub fn new(x: Vec<f64>, y: Vec<f64>, spacing: f64) -> Result<Self, SecrError> {
        if !(spacing.is_finite() && spacing > 0.0) {
            return Err(SecrError::Invalid("mask spacing must be > 0".into()));
        }
        Self::with_cell_area(x, y, spacing * spacing / 1e4, spacing)
    }

    /// Checked constructor with an explicit cell area (ha) and nominal spacing (m).
    pub fn with_cell_area(x: Vec<f64>, y: Vec<f64>, cell_area_ha: f64, spacing: f64) -> Result<Self, SecrError> {
        if x.is_empty() {
            return Err(SecrError::Invalid("mask has no points".into()));
        }
        if x.len() != y.len() {
            return Err(SecrError::Invalid("mask x and y differ in length".into()));
        }
        if x.iter().chain(&y).any(|v| !v.is_finite()) {
            return Err(SecrError::Invalid("mask has non-finite coordinates".into()));
        }
        if !(cell_area_ha.is_finite() && cell_area_ha > 0.0) {
            return Err(SecrError::Invalid("mask cell area must be > 0".into()));
        }
        Ok(Self { x, y, cell_area_ha, spacing })
    }

    /// secr's `make.mask(type = "trapbuffer")`: a grid over the detectors' bounding box extended by
    /// `buffer`, with points at cell centres, kept when within `buffer` of a detector. Without
    /// `spacing`, the spacing is the x extent / 64 (secr's nx = 64).
    pub fn trap_buffer(traps: &Traps, buffer: f64, spacing: Option<f64>) -> Result<Self, SecrError> {
        if !(buffer.is_finite() && buffer >= 0.0) {
            return Err(SecrError::Invalid("buffer must be >= 0".into()));
        }
        let minmax = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &z| (a.min(z), b.max(z)));
        let (x0, x1) = minmax(&traps.x);
        let (y0, y1) = minmax(&traps.y);
        let (xl0, xl1, yl0, yl1) = (x0 - buffer, x1 + buffer, y0 - buffer, y1 + buffer);
        let sp = spacing.unwrap_or((xl1 - xl0) / 64.0);
        if !(sp.is_finite() && sp > 0.0) {
            return Err(SecrError::Invalid("mask spacing must be > 0 (give a spacing or a buffer > 0)".into()));
        }
        let seq = |a: f64, b: f64| {
            let mut v = Vec::new();
            let mut i = 0usize;
            loop {
                let z = a + sp / 2.0 + i as f64 * sp;
                if z > b + 1e-9 * sp {
                    break;
                }
                v.push(z);
                i += 1;
            }
            v
        };
        let (gx, gy) = (seq(xl0, xl1), seq(yl0, yl1));
        if gx.len() * gy.len() > 20_000_000 {
            return Err(SecrError::Invalid("mask would have more than 20 million points: increase the spacing".into()));
        }
        let b2 = buffer * buffer;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for &yy in &gy {
            for &xx in &gx {
                let near = traps.x.iter().zip(&traps.y).any(|(tx, ty)| (xx - tx).powi(2) + (yy - ty).powi(2) <= b2);
                if near {
                    x.push(xx);
                    y.push(yy);
                }
            }
        }
        Self::new(x, y, sp)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.x.len()
    }
    /// True when the mask has no points (never, for a checked value).
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
    /// Cell area (ha).
    pub fn cell_area_ha(&self) -> f64 {
        self.cell_area_ha
    }
    /// Total area (ha).
    pub fn area_ha(&self) -> f64 {
        self.cell_area_ha * self.x.len() as f64
    }
    /// Grid spacing (m).
    pub fn spacing(&self) -> f64 {
        self.spacing
    }
    /// x coordinates (m).
    pub fn x(&self) -> &[f64] {
        &self.x
    }
    /// y coordinates (m).
    pub fn y(&self) -> &[f64] {
        &self.y
    }
}

/// Grid spacing of mask points: the smallest positive difference between sorted x (or y)
/// coordinates, or None for a single point.
pub fn infer_spacing(x: &[f64], y: &[f64]) -> Option<f64> {
    let mut best = f64::INFINITY;
    for v in [x, y] {
        let mut s: Vec<f64> = v.to_vec();
        s.sort_by(|a, b| a.total_cmp(b));
        for w in s.windows(2) {
            let d = w[1] - w[0];
            if d > 1e-9 * (1.0 + w[1].abs()) && d < best {
                best = d;
            }
        }
    }
    best.is_finite().then_some(best)
}
