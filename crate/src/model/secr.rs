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
    /// Detector covariates (e.g. `trail`), one value per detector.
    #[serde(default)]
    covariates: Covariates,
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
        Ok(Self { ids, x, y, usage, detector_type: None, covariates: Covariates::default() })
    }

    /// Adds detector covariates (one value per detector each).
    pub fn with_covariates(mut self, covariates: Covariates) -> Result<Self, SecrError> {
        covariates.check_len(self.len(), "detector")?;
        self.covariates = covariates;
        Ok(self)
    }
    /// Detector covariates.
    pub fn covariates(&self) -> &Covariates {
        &self.covariates
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
        let cov = self.covariates.clone();
        Self::new(self.ids, self.x, self.y, usage)?.with_detector_type(dt).with_covariates(cov)
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
    /// Occasion (0-based) after which each animal was removed (died or was taken), if any:
    /// secr's negative entries in a capture history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    removed: Option<Vec<Option<usize>>>,
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
        Ok(Self { n_occasions, animal_ids, detections, groups: None, removed: None })
    }

    /// Marks animals as removed after an occasion (1-based), as secr codes a death by a negative
    /// occasion: the animal is not exposed to detection on later occasions. It must not be
    /// detected after its removal.
    ///
    /// ```
    /// use borderless::model::secr::{Capthist, Traps};
    /// let t = Traps::new(vec!["A".into(), "B".into()], vec![0.0, 20.0], vec![0.0, 0.0], None).unwrap();
    /// let ch = Capthist::new(&t, 3, &[("a".into(), 1, "A".into()), ("a".into(), 2, "B".into())]).unwrap();
    /// let ch = ch.with_removals(&[("a".into(), 2)]).unwrap();
    /// assert_eq!(ch.removed_after(0), Some(1));
    /// ```
    pub fn with_removals(mut self, removals: &[(String, usize)]) -> Result<Self, SecrError> {
        let mut removed = self.removed.take().unwrap_or_else(|| vec![None; self.animal_ids.len()]);
        for (id, occ) in removals {
            let a = self
                .animal_ids
                .iter()
                .position(|x| x == id)
                .ok_or_else(|| SecrError::Invalid(format!("removed animal '{id}' has no detections")))?;
            if *occ == 0 || *occ > self.n_occasions {
                return Err(SecrError::Invalid(format!(
                    "animal '{id}' removed on occasion {occ} of {}",
                    self.n_occasions
                )));
            }
            if let Some(d) = self.detections.iter().find(|d| d.animal == a && d.occasion + 1 > *occ) {
                return Err(SecrError::Invalid(format!(
                    "animal '{id}' is detected on occasion {} after its removal on occasion {occ}",
                    d.occasion + 1
                )));
            }
            removed[a] = Some(occ - 1);
        }
        self.removed = Some(removed);
        Ok(self)
    }

    /// Occasion (0-based) after which animal `a` was removed, if it was.
    pub fn removed_after(&self, a: usize) -> Option<usize> {
        self.removed.as_ref().and_then(|r| r[a])
    }

    /// True when some animal was removed.
    pub fn has_removals(&self) -> bool {
        self.removed.as_ref().is_some_and(|r| r.iter().any(Option::is_some))
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
        let mut removed = self.removed.as_ref().map(|_| Vec::new());
        for (i, id) in self.animal_ids.iter().enumerate() {
            if keep(i) {
                map[i] = animal_ids.len();
                animal_ids.push(id.clone());
                if let (Some(g), Some(src)) = (groups.as_mut(), self.groups.as_ref()) {
                    g.push(src[i].clone());
                }
                if let (Some(r), Some(src)) = (removed.as_mut(), self.removed.as_ref()) {
                    r.push(src[i]);
                }
            }
        }
        let detections = self
            .detections
            .iter()
            .filter(|d| map[d.animal] != usize::MAX)
            .map(|d| Detection { animal: map[d.animal], ..*d })
            .collect();
        Capthist { n_occasions: self.n_occasions, animal_ids, detections, groups, removed }
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
    /// Mask covariates (e.g. elevation, habitat class), one value per point.
    #[serde(default)]
    covariates: Covariates,
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
        Ok(Self { x, y, cell_area_ha, spacing, covariates: Covariates::default() })
    }

    /// Adds mask covariates (one value per point each).
    pub fn with_covariates(mut self, covariates: Covariates) -> Result<Self, SecrError> {
        covariates.check_len(self.len(), "mask point")?;
        self.covariates = covariates;
        Ok(self)
    }
    /// Mask covariates.
    pub fn covariates(&self) -> &Covariates {
        &self.covariates
    }
    /// The points (and covariate values) for which `keep` is true; None when none is kept.
    pub fn subset(&self, keep: &dyn Fn(usize) -> bool) -> Option<Mask> {
        let idx: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        if idx.is_empty() {
            return None;
        }
        let pick = |v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let covariates = self.covariates.subset(&idx);
        Some(Mask {
            x: pick(&self.x),
            y: pick(&self.y),
            cell_area_ha: self.cell_area_ha,
            spacing: self.spacing,
            covariates,
        })
    }
    /// Mean and standard deviation (denominator n − 1) of x and y over the points: secr's
    /// `meanSD` attribute, by which `D ~ x + y` standardises coordinates.
    pub fn mean_sd(&self) -> [(f64, f64); 2] {
        let ms = |v: &[f64]| {
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            let var = if v.len() > 1 { v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
            (m, var.sqrt())
        };
        [ms(&self.x), ms(&self.y)]
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

/// Spacing (m) and cell area (ha) of mask points on a grid that may be rotated, sheared,
/// clipped to habitat or irregular at its edges, as GIS exports give them: from the median
/// distance to each point's nearest neighbour (the spacing), and the median area of the cell
/// spanned by the nearest neighbour and the nearest neighbour in another direction. None for
/// fewer than two distinct points.
///
/// ```
/// use borderless::model::secr::infer_grid;
/// // a 567.6 m grid rotated so that y drifts 2 m per step in x
/// let (mut x, mut y) = (Vec::new(), Vec::new());
/// for i in 0..20 {
///     for j in 0..15 {
///         x.push(i as f64 * 567.6 - j as f64 * 2.0);
///         y.push(j as f64 * 567.6 + i as f64 * 2.0);
///     }
/// }
/// let (spacing, area) = infer_grid(&x, &y).unwrap();
/// assert!((spacing - (567.6f64.powi(2) + 4.0).sqrt()).abs() < 1e-6);
/// assert!((area - (567.6f64.powi(2) + 4.0) / 1e4).abs() < 1e-6);
/// ```
pub fn infer_grid(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let coarse = infer_spacing(x, y)?;
    let fold = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &z| (a.min(z), b.max(z)));
    let ((x0, x1), (y0, y1)) = (fold(x), fold(y));
    let extent = (x1 - x0).max(y1 - y0);
    let cell = (extent / (n as f64).sqrt()).max(coarse);
    let index = PointIndex::new(x, y, cell);
    let step = (n / 2000).max(1);
    let (mut spacings, mut areas) = (Vec::new(), Vec::new());
    for i in (0..n).step_by(step) {
        let mut r = cell;
        let mut near: Vec<(f64, f64, f64)> = Vec::new();
        while near.len() < 4 && r <= 4.0 * extent + cell {
            near = index
                .within(x[i], y[i], r)
                .into_iter()
                .filter(|&(_, d)| d > 1e-9 * (1.0 + extent))
                .map(|(j, d)| (d, x[j] - x[i], y[j] - y[i]))
                .collect();
            r *= 2.0;
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let Some(&(d1, ux, uy)) = near.first() else { continue };
        spacings.push(d1);
        if let Some(&(_, vx, vy)) = near.iter().find(|(d, vx, vy)| ((ux * vy - uy * vx) / (d1 * d)).abs() > 0.5) {
            areas.push((ux * vy - uy * vx).abs());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let spacing = median(&mut spacings)?;
    let area = median(&mut areas).unwrap_or(spacing * spacing);
    Some((spacing, area / 1e4))
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

/// Values of one covariate: numbers, or a factor (R's: levels sorted, values as level codes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Covariate {
    Numeric(Vec<f64>),
    Factor { levels: Vec<String>, codes: Vec<usize> },
}

impl Covariate {
    /// A covariate from text values: numeric when every value parses as a finite number, else a
    /// factor with levels sorted as R's `factor()` sorts them. Empty values are refused (None).
    ///
    /// ```
    /// use borderless::model::secr::Covariate;
    /// let c = Covariate::from_text(&["on", "off", "on"]).unwrap();
    /// assert_eq!(c, Covariate::Factor { levels: vec!["off".into(), "on".into()], codes: vec![1, 0, 1] });
    /// assert_eq!(Covariate::from_text(&["1.5", "2"]).unwrap(), Covariate::Numeric(vec![1.5, 2.0]));
    /// ```
    pub fn from_text<S: AsRef<str>>(values: &[S]) -> Option<Self> {
        if values.iter().any(|v| v.as_ref().trim().is_empty()) {
            return None;
        }
        let nums: Option<Vec<f64>> =
            values.iter().map(|v| v.as_ref().trim().parse::<f64>().ok().filter(|x| x.is_finite())).collect();
        if let Some(n) = nums {
            return Some(Covariate::Numeric(n));
        }
        Some(Self::factor(values))
    }
    /// A factor from labels (levels sorted).
    pub fn factor<S: AsRef<str>>(values: &[S]) -> Self {
        let mut levels: Vec<String> = values.iter().map(|v| v.as_ref().trim().to_string()).collect();
        levels.sort();
        levels.dedup();
        let codes = values.iter().map(|v| levels.binary_search(&v.as_ref().trim().to_string()).unwrap_or(0)).collect();
        Covariate::Factor { levels, codes }
    }
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Covariate::Numeric(v) => v.len(),
            Covariate::Factor { codes, .. } => codes.len(),
        }
    }
    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn subset(&self, idx: &[usize]) -> Self {
        match self {
            Covariate::Numeric(v) => Covariate::Numeric(idx.iter().map(|&i| v[i]).collect()),
            Covariate::Factor { levels, codes } => {
                Covariate::Factor { levels: levels.clone(), codes: idx.iter().map(|&i| codes[i]).collect() }
            }
        }
    }
}

/// Named covariates, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Covariates(pub Vec<(String, Covariate)>);

impl Covariates {
    /// The covariate named `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Covariate> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
    /// Adds or replaces a covariate.
    pub fn insert(&mut self, name: &str, c: Covariate) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = c,
            None => self.0.push((name.to_string(), c)),
        }
    }
    /// Names in order.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|(n, _)| n.as_str()).collect()
    }
    fn check_len(&self, n: usize, what: &str) -> Result<(), SecrError> {
        for (name, c) in &self.0 {
            if c.len() != n {
                return Err(SecrError::Invalid(format!("covariate '{name}' has {} values for {n} {what}s", c.len())));
            }
        }
        Ok(())
    }
    fn subset(&self, idx: &[usize]) -> Self {
        Covariates(self.0.iter().map(|(n, c)| (n.clone(), c.subset(idx))).collect())
    }
}

/// A bucket grid over points for "is there a point within r of (x, y)?" queries.
pub struct PointIndex<'a> {
    x: &'a [f64],
    y: &'a [f64],
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    buckets: Vec<Vec<u32>>,
}

impl<'a> PointIndex<'a> {
    /// Index of the points with buckets of about `cell` (m).
    pub fn new(x: &'a [f64], y: &'a [f64], cell: f64) -> Self {
        let fold = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &z| (a.min(z), b.max(z)));
        let ((x0, x1), (y0, y1)) = (fold(x), fold(y));
        let span = (x1 - x0).max(y1 - y0).max(1e-9);
        let cell = if cell.is_finite() && cell > 0.0 { cell.max(span / 4096.0) } else { span / 64.0 };
        let nx = ((x1 - x0) / cell).floor() as usize + 1;
        let ny = ((y1 - y0) / cell).floor() as usize + 1;
        let mut buckets = vec![Vec::new(); nx * ny];
        for i in 0..x.len() {
            let (bx, by) = (((x[i] - x0) / cell) as usize, ((y[i] - y0) / cell) as usize);
            buckets[by.min(ny - 1) * nx + bx.min(nx - 1)].push(i as u32);
        }
        PointIndex { x, y, x0, y0, cell, nx, ny, buckets }
    }
    /// Distance from (x, y) to the nearest point within `r`, if any.
    pub fn nearest_within(&self, x: f64, y: f64, r: f64) -> Option<f64> {
        let span = (r / self.cell).ceil() as i64;
        let (bx, by) = (((x - self.x0) / self.cell).floor() as i64, ((y - self.y0) / self.cell).floor() as i64);
        let mut best = f64::INFINITY;
        for j in (by - span).max(0)..=(by + span).min(self.ny as i64 - 1) {
            for i in (bx - span).max(0)..=(bx + span).min(self.nx as i64 - 1) {
                for &p in &self.buckets[j as usize * self.nx + i as usize] {
                    let d2 = (self.x[p as usize] - x).powi(2) + (self.y[p as usize] - y).powi(2);
                    best = best.min(d2);
                }
            }
        }
        (best <= r * r).then(|| best.sqrt())
    }
    /// Points within `r` of (x, y), with their distances.
    pub fn within(&self, x: f64, y: f64, r: f64) -> Vec<(usize, f64)> {
        let span = (r / self.cell).ceil() as i64;
        let (bx, by) = (((x - self.x0) / self.cell).floor() as i64, ((y - self.y0) / self.cell).floor() as i64);
        let mut out = Vec::new();
        for j in (by - span).max(0)..=(by + span).min(self.ny as i64 - 1) {
            for i in (bx - span).max(0)..=(bx + span).min(self.nx as i64 - 1) {
                for &p in &self.buckets[j as usize * self.nx + i as usize] {
                    let d = ((self.x[p as usize] - x).powi(2) + (self.y[p as usize] - y).powi(2)).sqrt();
                    if d <= r {
                        out.push((p as usize, d));
                    }
                }
            }
        }
        out
    }
    /// True when a point lies within `r` of (x, y).
    pub fn any_within(&self, x: f64, y: f64, r: f64) -> bool {
        self.nearest_within(x, y, r).is_some()
    }
}
