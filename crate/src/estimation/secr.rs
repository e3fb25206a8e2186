//! Spatially explicit capture–recapture (SECR) by maximum likelihood.
//!
//! The likelihood is that of Borchers & Efford (2008, Biometrics 64:377) and Efford, Borchers &
//! Byrom (2009), evaluated the way the R package secr (5.4.x) evaluates it, so that log-likelihoods,
//! estimates, standard errors and intervals agree with `secr.fit` on the same mask:
//!
//! * the animal's range centre is integrated over a discrete [`Mask`] (uniform density);
//! * detectors are multi-catch traps (competing hazards; secr uses this likelihood for 'single'
//!   traps too), binary proximity detectors, or count detectors with Poisson or binomial counts
//!   (secr's `binomN`: 1 = size from usage, N > 1 = size N);
//! * proximity and count histories are by default collapsed to counts per detector
//!   (secr's `fastproximity = TRUE`), which only adds a constant to the log-likelihood;
//!   the occasion-by-occasion form is available with [`SecrModel::fast_proximity`] = false;
//! * trap × occasion usage (effort) scales hazards: multi-catch hazards are multiplied by usage,
//!   binary proximity uses p = 1 − (1 − g)^usage;
//! * the full likelihood (Poisson n, density estimated) or the conditional likelihood (density
//!   derived as n / a(θ̂) with secr's `derived()` variance);
//! * an optional trap-independent learned response on g0 / lambda0 (secr's `g0 ~ b`);
//! * groups (secr's `groups` with `D ~ g`, `g0 ~ g`, `sigma ~ g`) and several sessions with a
//!   density per session ([`fit_secr_sessions`], module `multi`), and an AIC model table
//!   ([`model_table`]).
//!
//! Parameters are estimated on the link scale (log D, logit g0 or log lambda0, log sigma, log z).
//! For the full likelihood with homogeneous density the profile over D is the conditional
//! likelihood plus a constant, so the detection coefficients are found by BFGS on the conditional
//! likelihood with an analytic (hand-coded reverse-mode) gradient, and D̂ = n / a(θ̂). The
//! covariance of the link-scale estimates is the inverse of a finite-difference Hessian of the
//! negative log-likelihood computed exactly as R's `nlm` does (forward differences, step
//! 1e-4·max(β, 1)), which is what secr reports; [`HessianMethod::Central`] gives a more accurate
//! central-difference Hessian instead. Real-scale SEs follow secr (delta method: p(1−p)·SE for
//! logit, exp(β)·√(exp(SE²)−1) for log) and intervals are back-transformed Wald intervals.
//!
//! Reported log-likelihood: for multi-catch traps the occasion-by-occasion likelihood (secr has no
//! collapsing for them); for proximity and count detectors secr's default collapsed
//! ("fastproximity") form unless `fast_proximity` is false. Both include secr's multinomial
//! constant log(n!) − Σ log(n_ω!) over distinct histories, so logLik and AIC equal secr's.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

mod multi;
pub use multi::{
    fit_secr_sessions, model_table, secr_loglik_sessions, GroupEstimate, GroupModel, ModelTableRow, SessionData,
    SessionEstimate,
};

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

/// Detection function (secr codes 0 HN, 14 HHN, 2 EX, 16 HEX, 1 HR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetectFn {
    /// Half-normal: g0·exp(−d²/2σ²).
    HN,
    /// Hazard half-normal: 1 − exp(−λ0·exp(−d²/2σ²)).
    HHN,
    /// Negative exponential: g0·exp(−d/σ).
    EX,
    /// Hazard negative exponential: 1 − exp(−λ0·exp(−d/σ)).
    HEX,
    /// Hazard rate: g0·(1 − exp(−(d/σ)^−z)).
    HR,
}

impl DetectFn {
    /// Parses "HN", "HHN", "EX", "HEX", "HR" (case-insensitive).
    pub fn parse(s: &str) -> Result<Self, SecrError> {
        match s.to_ascii_uppercase().as_str() {
            "HN" | "HALFNORMAL" => Ok(Self::HN),
            "HHN" => Ok(Self::HHN),
            "EX" | "EXPONENTIAL" => Ok(Self::EX),
            "HEX" => Ok(Self::HEX),
            "HR" | "HAZARDRATE" => Ok(Self::HR),
            _ => Err(SecrError::Invalid(format!("unknown detection function '{s}' (HN, HHN, EX, HEX or HR)"))),
        }
    }
    /// True when the function is a hazard (lambda0, log link) rather than a probability (g0, logit link).
    pub fn is_hazard(self) -> bool {
        matches!(self, Self::HHN | Self::HEX)
    }
    fn uses_distance(self) -> bool {
        !matches!(self, Self::HN | Self::HHN)
    }
    /// Name of the intercept parameter: "g0" or "lambda0".
    pub fn intercept_name(self) -> &'static str {
        if self.is_hazard() {
            "lambda0"
        } else {
            "g0"
        }
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
    /// Count detectors: Poisson counts per occasion, or binomial counts with
    /// [`SecrModel::binom_n`] > 0 (secr's `binomN`).
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

// ------------------------------------------------------------------------------------------------
// Data

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

    /// Reads a traps CSV: an id column (`detector`, `trapid`, `trap` or `id`, else the first column),
    /// `x`, `y`, optional `detector_type` and optional `usage1..usageK`.
    pub fn from_csv(path: &Path) -> Result<Self, SecrError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| SecrError::File { file: file.clone(), message: e.to_string() })?;
        Self::from_csv_bytes(&file, &bytes)
    }

    /// As [`Traps::from_csv`] from bytes; `file` names the source in error messages.
    pub fn from_csv_bytes(file: &str, bytes: &[u8]) -> Result<Self, SecrError> {
        let (header, rows) = read_csv(file, bytes)?;
        let col = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
        let id_col = col(&["detector", "trapid", "trap", "id"]).unwrap_or(0);
        let x_col =
            col(&["x"]).ok_or_else(|| SecrError::File { file: file.into(), message: "no column 'x'".into() })?;
        let y_col =
            col(&["y"]).ok_or_else(|| SecrError::File { file: file.into(), message: "no column 'y'".into() })?;
        let type_col = col(&["detector_type", "detectortype"]);
        let mut usage_cols: Vec<(usize, usize)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let l = h.to_ascii_lowercase();
                l.strip_prefix("usage").and_then(|n| n.parse::<usize>().ok()).map(|n| (n, i))
            })
            .collect();
        usage_cols.sort();
        for (j, (n, _)) in usage_cols.iter().enumerate() {
            if *n != j + 1 {
                return Err(SecrError::File {
                    file: file.into(),
                    message: format!("usage columns must be usage1..usageK (found usage{n})"),
                });
            }
        }
        let (mut ids, mut x, mut y, mut usage) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut dtype = None;
        for (r, row) in rows.iter().enumerate() {
            let rown = r + 2;
            let id = row[id_col].trim().to_string();
            if id.is_empty() {
                return Err(csv_err(file, rown, &header[id_col], "empty detector id"));
            }
            x.push(parse_num(file, rown, &header[x_col], &row[x_col])?);
            y.push(parse_num(file, rown, &header[y_col], &row[y_col])?);
            if let (Some(tc), None) = (type_col, &dtype) {
                dtype = Some(row[tc].trim().to_string());
            }
            if !usage_cols.is_empty() {
                let mut u = Vec::with_capacity(usage_cols.len());
                for &(_, c) in &usage_cols {
                    let v = parse_num(file, rown, &header[c], &row[c])?;
                    if v < 0.0 {
                        return Err(csv_err(file, rown, &header[c], "usage must be >= 0"));
                    }
                    u.push(v);
                }
                usage.push(u);
            }
            if ids.contains(&id) {
                return Err(csv_err(file, rown, &header[id_col], &format!("detector id '{id}' is repeated")));
            }
            ids.push(id);
        }
        let usage = if usage_cols.is_empty() { None } else { Some(usage) };
        let mut t =
            Self::new(ids, x, y, usage).map_err(|e| SecrError::File { file: file.into(), message: e.to_string() })?;
        t.detector_type = dtype;
        Ok(t)
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
    /// Replaces the usage matrix (usage[k][s]).
    pub fn with_usage(self, usage: Option<Vec<Vec<f64>>>) -> Result<Self, SecrError> {
        let dt = self.detector_type.clone();
        let mut t = Self::new(self.ids, self.x, self.y, usage)?;
        t.detector_type = dt;
        Ok(t)
    }
    fn index(&self) -> HashMap<&str, usize> {
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

/// One checked row of a captures CSV.
struct CaptureRow {
    /// 1-based line (the header is row 1).
    row: usize,
    session: String,
    id: String,
    occasion: usize,
    trap: String,
    group: Option<String>,
}

/// The rows of a captures CSV (`session`, `id`, `occasion`, `trapid`, optional group column),
/// each checked against the traps and the number of occasions, with errors naming file, row
/// and column.
struct CaptureRows {
    records: Vec<CaptureRow>,
    session_header: Option<String>,
    group_header: Option<String>,
}

impl CaptureRows {
    fn read(
        file: &str,
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Self, SecrError> {
        let (header, rows) = read_csv(file, bytes)?;
        let col = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
        let miss = |c: &str| SecrError::File { file: file.into(), message: format!("no column '{c}'") };
        let sess_col = col(&["session"]);
        let id_col = col(&["id", "animal", "animalid"]).ok_or_else(|| miss("id"))?;
        let occ_col = col(&["occasion"]).ok_or_else(|| miss("occasion"))?;
        let trap_col = col(&["trapid", "trap", "detector"]).ok_or_else(|| miss("trapid"))?;
        let grp_col = match group_column {
            Some(g) => Some(col(&[g]).ok_or_else(|| miss(g))?),
            None => None,
        };
        let tindex = traps.index();
        let max_occ = n_occasions.or_else(|| traps.usage().map(|u| u[0].len()));
        let mut records = Vec::with_capacity(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let rown = r + 2;
            let session = sess_col.map(|c| row[c].trim().to_string()).unwrap_or_else(|| "1".into());
            let id = row[id_col].trim().to_string();
            if id.is_empty() {
                return Err(csv_err(file, rown, &header[id_col], "empty animal id"));
            }
            let occasion: usize = row[occ_col].trim().parse().map_err(|_| {
                csv_err(file, rown, &header[occ_col], &format!("'{}' is not an occasion number", row[occ_col]))
            })?;
            if occasion == 0 {
                return Err(csv_err(file, rown, &header[occ_col], "occasions are numbered from 1"));
            }
            if let Some(n) = max_occ {
                if occasion > n {
                    let m = format!("occasion {occasion} > number of occasions {n}");
                    return Err(csv_err(file, rown, &header[occ_col], &m));
                }
            }
            let trap = row[trap_col].trim().to_string();
            if !tindex.contains_key(trap.as_str()) {
                return Err(csv_err(file, rown, &header[trap_col], &format!("trap '{trap}' is not in the traps file")));
            }
            let group = match grp_col {
                Some(gc) => {
                    let g = row[gc].trim().to_string();
                    if g.is_empty() {
                        return Err(csv_err(file, rown, &header[gc], "empty group label"));
                    }
                    Some(g)
                }
                None => None,
            };
            records.push(CaptureRow { row: rown, session, id, occasion, trap, group });
        }
        Ok(CaptureRows {
            records,
            session_header: sess_col.map(|c| header[c].clone()),
            group_header: grp_col.map(|c| header[c].clone()),
        })
    }
}

impl Capthist {
    /// Checked constructor from (animal id, occasion 1-based, trap id) records.
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
    fn subset(&self, keep: &dyn Fn(usize) -> bool) -> Capthist {
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

    /// Reads a captures CSV that may hold several sessions and a group column: returns one
    /// capture history per value of the `session` column (in order of first appearance; one
    /// session named "1" without that column). With `group_column` (e.g. "sex"), each animal
    /// takes its label from that column; an animal must have the same label on every row.
    /// Occasions as in [`Capthist::from_csv`] (the largest occasion over all sessions).
    pub fn sessions_from_csv_bytes(
        file: &str,
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Vec<(String, Capthist)>, SecrError> {
        let rows = CaptureRows::read(file, bytes, traps, n_occasions, group_column)?;
        type Records = Vec<(String, usize, String)>;
        let mut sessions: Vec<(String, Records, HashMap<String, String>)> = Vec::new();
        for rec in rows.records {
            let si = match sessions.iter().position(|s| s.0 == rec.session) {
                Some(i) => i,
                None => {
                    sessions.push((rec.session.clone(), Vec::new(), HashMap::new()));
                    sessions.len() - 1
                }
            };
            if let Some(g) = rec.group {
                match sessions[si].2.get(&rec.id) {
                    Some(g0) if *g0 != g => {
                        let m = format!("animal '{}' is in group '{g0}' on an earlier row, '{g}' here", rec.id);
                        return Err(csv_err(file, rec.row, rows.group_header.as_deref().unwrap_or("group"), &m));
                    }
                    _ => {
                        sessions[si].2.insert(rec.id.clone(), g);
                    }
                }
            }
            sessions[si].1.push((rec.id, rec.occasion, rec.trap));
        }
        let s = n_occasions
            .or_else(|| traps.usage().map(|u| u[0].len()))
            .unwrap_or_else(|| sessions.iter().flat_map(|x| x.1.iter().map(|r| r.1)).max().unwrap_or(1));
        let ferr = |e: SecrError| SecrError::File { file: file.into(), message: e.to_string() };
        sessions
            .into_iter()
            .map(|(name, recs, groups)| {
                let ch = Self::new(traps, s, &recs).map_err(ferr)?;
                let ch = if group_column.is_some() { ch.with_groups(&groups).map_err(ferr)? } else { ch };
                Ok((name, ch))
            })
            .collect()
    }

    /// Reads a captures CSV with columns session, id, occasion, trapid (session optional; one session only).
    /// The number of occasions is taken from `n_occasions`, else from the traps' usage, else the largest occasion.
    pub fn from_csv(path: &Path, traps: &Traps, n_occasions: Option<usize>) -> Result<Self, SecrError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| SecrError::File { file: file.clone(), message: e.to_string() })?;
        Self::from_csv_bytes(&file, &bytes, traps, n_occasions)
    }

    /// As [`Capthist::from_csv`] from bytes.
    pub fn from_csv_bytes(
        file: &str,
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
    ) -> Result<Self, SecrError> {
        let rows = CaptureRows::read(file, bytes, traps, n_occasions, None)?;
        if let Some(first) = rows.records.first() {
            if let Some(other) = rows.records.iter().find(|r| r.session != first.session) {
                return Err(csv_err(file, other.row, rows.session_header.as_deref().unwrap_or("session"), "more than one session (fit them together with --sessions / fit_secr_sessions, or pick one with --session)"));
            }
        }
        let records: Vec<(String, usize, String)> =
            rows.records.into_iter().map(|r| (r.id, r.occasion, r.trap)).collect();
        let s = n_occasions
            .or_else(|| traps.usage().map(|u| u[0].len()))
            .unwrap_or_else(|| records.iter().map(|r| r.1).max().unwrap_or(1));
        Self::new(traps, s, &records).map_err(|e| SecrError::File { file: file.into(), message: e.to_string() })
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

    /// Reads a mask CSV with columns x, y. The spacing is inferred as the smallest positive difference
    /// between x (or y) coordinates unless given; cell area = spacing²/10⁴ ha.
    pub fn from_csv(path: &Path, spacing: Option<f64>) -> Result<Self, SecrError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| SecrError::File { file: file.clone(), message: e.to_string() })?;
        Self::from_csv_bytes(&file, &bytes, spacing)
    }

    /// As [`Mask::from_csv`] from bytes.
    pub fn from_csv_bytes(file: &str, bytes: &[u8], spacing: Option<f64>) -> Result<Self, SecrError> {
        let (header, rows) = read_csv(file, bytes)?;
        let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
        let xc = col("x").ok_or_else(|| SecrError::File { file: file.into(), message: "no column 'x'".into() })?;
        let yc = col("y").ok_or_else(|| SecrError::File { file: file.into(), message: "no column 'y'".into() })?;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for (r, row) in rows.iter().enumerate() {
            x.push(parse_num(file, r + 2, &header[xc], &row[xc])?);
            y.push(parse_num(file, r + 2, &header[yc], &row[yc])?);
        }
        let sp = match spacing {
            Some(s) => s,
            None => infer_spacing(&x, &y)
                .ok_or_else(|| SecrError::File { file: file.into(), message: "cannot infer mask spacing".into() })?,
        };
        Self::new(x, y, sp).map_err(|e| SecrError::File { file: file.into(), message: e.to_string() })
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

fn infer_spacing(x: &[f64], y: &[f64]) -> Option<f64> {
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

fn csv_err(file: &str, row: usize, column: &str, message: &str) -> SecrError {
    SecrError::Csv { file: file.into(), row, column: column.into(), message: message.into() }
}

fn parse_num(file: &str, row: usize, column: &str, s: &str) -> Result<f64, SecrError> {
    let v: f64 = s.trim().parse().map_err(|_| csv_err(file, row, column, &format!("'{s}' is not a number")))?;
    if !v.is_finite() {
        return Err(csv_err(file, row, column, "value must be finite"));
    }
    Ok(v)
}

type CsvTable = (Vec<String>, Vec<Vec<String>>);

fn read_csv(file: &str, bytes: &[u8]) -> Result<CsvTable, SecrError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| SecrError::File { file: file.into(), message: e.to_string() })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| csv_err(file, i + 2, "-", &e.to_string()))?;
        if rec.len() != header.len() {
            return Err(csv_err(file, i + 2, "-", &format!("{} fields, header has {}", rec.len(), header.len())));
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    if rows.is_empty() {
        return Err(SecrError::File { file: file.into(), message: "no data rows".into() });
    }
    Ok((header, rows))
}

// ------------------------------------------------------------------------------------------------
// Model specification and results

/// Model specification (one serde struct).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SecrModel {
    pub detectfn: DetectFn,
    pub detector: DetectorType,
    /// Conditional likelihood (density derived) instead of the full likelihood.
    pub conditional: bool,
    /// Trap-independent learned response on g0/lambda0 (secr's `g0 ~ b`).
    pub learned_response: bool,
    /// Collapse proximity/count histories to counts per detector (secr's default fastproximity = TRUE).
    /// Ignored (occasion-by-occasion form used) with a learned response, as in secr.
    pub fast_proximity: bool,
    /// Maximum BFGS iterations.
    pub max_iterations: usize,
    /// Optional starting values on the real scale: g0 or lambda0, sigma (m), z.
    pub start: Option<StartValues>,
    /// How the Hessian behind the standard errors is approximated (default: as secr/nlm does).
    pub hessian: HessianMethod,
    /// Count detectors: 0 Poisson counts (default); 1 binomial with size round(usage) per occasion;
    /// N > 1 binomial with size N and g adjusted for usage, 1 − (1 − g)^usage (secr's `binomN`).
    pub binom_n: u32,
    /// Fit by groups (the capture histories' group labels, e.g. sex or national catalog) and say
    /// which parameters differ between groups (secr's `groups` with `D ~ g`, `g0 ~ g`, `sigma ~ g`).
    /// None (default): no groups, labels ignored.
    pub groups: Option<GroupModel>,
}

/// Finite-difference scheme for the Hessian of the negative log-likelihood at the MLE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HessianMethod {
    /// R nlm's forward differences (step 1e-4·max(β, 1)): reproduces secr's SEs.
    #[default]
    Nlm,
    /// Central differences (step 1e-4·max(|β|, 1)): closer to the exact Hessian.
    Central,
}

impl Default for SecrModel {
    fn default() -> Self {
        Self {
            detectfn: DetectFn::HN,
            detector: DetectorType::Multi,
            conditional: false,
            learned_response: false,
            fast_proximity: true,
            max_iterations: 200,
            start: None,
            hessian: HessianMethod::Nlm,
            binom_n: 0,
            groups: None,
        }
    }
}

/// Real-scale starting values.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StartValues {
    pub g0: f64,
    pub sigma: f64,
    pub z: Option<f64>,
}

/// Real parameters at which to evaluate the log-likelihood.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RealParameters {
    /// Density per hectare (ignored by the conditional likelihood).
    pub d: f64,
    /// g0 or lambda0 (naive, b = 0).
    pub g0: f64,
    /// g0 or lambda0 after first detection (learned response only).
    pub g0_b: Option<f64>,
    pub sigma: f64,
    pub z: Option<f64>,
}

/// Estimate with standard error and 95% interval. SE and limits are None when the Hessian could not
/// be inverted.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RealParam {
    pub estimate: f64,
    pub se: Option<f64>,
    pub lcl: Option<f64>,
    pub ucl: Option<f64>,
}

/// Why the optimiser stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Gradient below tolerance.
    Converged,
    /// Iteration limit reached before the gradient tolerance.
    MaxIterations,
    /// No step along the search direction improved the likelihood and the gradient is not small.
    LineSearchFailed,
}

/// Result of [`fit_secr`].
#[derive(Clone, Debug, Serialize)]
pub struct SecrFit {
    #[serde(rename = "D_per_ha")]
    pub d_per_ha: f64,
    #[serde(rename = "D_per_100km2")]
    pub d_per_100km2: f64,
    /// Density per hectare; derived (n / a) under the conditional likelihood.
    #[serde(rename = "D")]
    pub d: RealParam,
    /// True when D was derived from a conditional-likelihood fit.
    pub d_derived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0: Option<RealParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda0: Option<RealParam>,
    /// g0 / lambda0 after first detection (learned response).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0_b: Option<RealParam>,
    pub sigma: RealParam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<RealParam>,
    /// Effective sampling area a(θ̂) in ha.
    pub esa_ha: f64,
    pub loglik: f64,
    pub aic: f64,
    pub aicc: f64,
    pub n_parameters: usize,
    pub n_animals: usize,
    pub n_detections: usize,
    pub mask_points: usize,
    pub mask_area_ha: f64,
    pub converged: bool,
    pub termination: Termination,
    pub iterations: usize,
    pub function_evaluations: usize,
    pub detectfn: DetectFn,
    pub detector: DetectorType,
    pub conditional: bool,
    /// "fastproximity" (collapsed counts per detector, secr's default and reported logLik) or
    /// "occasion-by-occasion".
    pub likelihood_form: String,
    /// Link-scale coefficients, their names and covariance (None if the Hessian was singular).
    pub beta_names: Vec<String>,
    pub beta: Vec<f64>,
    pub beta_vcv: Option<Vec<Vec<f64>>>,
    pub warnings: Vec<String>,
    /// Grouped fits: real parameters of each group (single session). The top-level `D` is then
    /// the total over groups and g0/lambda0/sigma are those of the first group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupEstimate>>,
    /// Multi-session fits: D (total over groups) and counts of each session. The top-level `D`
    /// is then the first session's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Vec<SessionEstimate>>,
}

// ------------------------------------------------------------------------------------------------
// Likelihood engine

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Multi,
    ProxOcc,
    ProxFast,
    CountOcc,
    CountFast,
    /// Binomial counts (secr binomN >= 1), occasion by occasion.
    BinOcc,
    /// Binomial counts collapsed over occasions.
    BinFast,
}

#[derive(Clone, Copy, Debug)]
struct Key {
    c: usize,
    k: usize,
    u: f64,
}

#[derive(Clone, Copy, Debug)]
struct Ev {
    key: usize,
    weight: f64,
    /// Index c * npat + pattern of the multi-catch correction vector, or usize::MAX.
    q: usize,
    konst: f64,
}

struct AnimalLik {
    /// First detection occasion (effective occasions).
    first: usize,
    events: Vec<Ev>,
}

/// Precomputed data for evaluating the SECR log-likelihood.
struct Engine {
    detectfn: DetectFn,
    kind: Kind,
    learned: bool,
    nm: usize,
    nk: usize,
    cell: f64,
    d2: Vec<f64>,
    d: Vec<f64>,
    /// Distinct usage columns (each nk long).
    patterns: Vec<Vec<f64>>,
    /// Pattern of each effective occasion.
    occ_pattern: Vec<usize>,
    keys: Vec<Key>,
    animals: Vec<AnimalLik>,
    logmult: f64,
    n: usize,
}

struct Work {
    h: Vec<Vec<f64>>,
    hp: Vec<Vec<f64>>,
    q: Vec<Vec<f64>>,
    keyv: Vec<Vec<f64>>,
    /// prefix0[f] = sum over occasions 0..=f of naive H; suffix1[f] = sum over occasions > f of H after detection.
    prefix0: Vec<Vec<f64>>,
    suffix1: Vec<Vec<f64>>,
    pm: Vec<f64>,
    /// Detection probabilities per set (g-type detection functions; for the gradient).
    g: Vec<Vec<f64>>,
    /// Adjoints: per key vector, per multi-catch correction, per (set, pattern) hazard sum,
    /// and summed posterior weights by first-detection occasion.
    bar_key: Vec<Vec<f64>>,
    bar_q: Vec<Vec<f64>>,
    bar_hp: Vec<Vec<f64>>,
    wfirst: Vec<Vec<f64>>,
    bar_h: Vec<f64>,
    /// Extra adjoint of Σ_x p·(x) added by callers that differentiate cl + f(a) (grouped and
    /// multi-session likelihoods with a shared density); 0 for the conditional likelihood.
    pdot_weight: f64,
}

/// Gradient of the conditional log-likelihood and of a (ha) with respect to the link-scale
/// intercept of each parameter set, log sigma and log z.
#[derive(Clone, Debug, Default)]
struct CoreGrad {
    cl_a: [f64; 2],
    cl_sigma: f64,
    cl_z: f64,
}

fn ln_fact(n: usize) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

fn ln_expm1(x: f64) -> f64 {
    if x > 1.0 {
        x + (-(-x).exp()).ln_1p()
    } else {
        x.exp_m1().ln()
    }
}

impl Engine {
    fn new(traps: &Traps, ch: &Capthist, mask: &Mask, model: &SecrModel) -> Result<Self, SecrError> {
        let nk = traps.len();
        let nm = mask.len();
        let ns = ch.n_occasions();
        let learned = model.learned_response;
        let kind = match model.detector {
            DetectorType::Multi => Kind::Multi,
            DetectorType::Proximity if model.fast_proximity && !learned => Kind::ProxFast,
            DetectorType::Proximity => Kind::ProxOcc,
            DetectorType::Count if model.binom_n > 0 => {
                // collapsing needs a per-trial hazard multiplier that is constant over occasions
                let constant =
                    model.binom_n == 1 || traps.usage().is_none_or(|u| u.iter().all(|r| r.iter().all(|v| *v == r[0])));
                if model.fast_proximity && !learned && constant {
                    Kind::BinFast
                } else {
                    Kind::BinOcc
                }
            }
            DetectorType::Count if model.fast_proximity && !learned => Kind::CountFast,
            DetectorType::Count => Kind::CountOcc,
        };
        let usage: Vec<Vec<f64>> = match traps.usage() {
            Some(u) => u.clone(),
            None => vec![vec![1.0; ns]; nk],
        };
        if usage[0].len() != ns {
            return Err(SecrError::Invalid("usage and capture histories differ in number of occasions".into()));
        }
        // Binomial counts (secr's countp/gbinom): binomN = 1 gives size round(usage) with the
        // per-occasion g; binomN = N > 1 gives size N with g adjusted to 1 − (1 − g)^usage.
        // `trials` is the binomial size, `keyu` multiplies the hazard of one trial, and the
        // hazard total of a detector and occasion is trials × keyu × h.
        let binomial = matches!(kind, Kind::BinOcc | Kind::BinFast);
        let (trials, keyu): (Vec<Vec<f64>>, Vec<Vec<f64>>) = if !binomial {
            (Vec::new(), usage.clone())
        } else if model.binom_n == 1 {
            (usage.iter().map(|r| r.iter().map(|v| v.round()).collect()).collect(), vec![vec![1.0; ns]; nk])
        } else {
            (vec![vec![model.binom_n as f64; ns]; nk], usage.clone())
        };
        let eff: Vec<Vec<f64>> = if binomial {
            trials.iter().zip(&keyu).map(|(t, u)| t.iter().zip(u).map(|(a, b)| a * b).collect()).collect()
        } else {
            usage.clone()
        };
        // distances
        let need_d = model.detectfn.uses_distance();
        let mut d2 = vec![0.0; nm * nk];
        let mut d = if need_d { vec![0.0; nm * nk] } else { Vec::new() };
        for m in 0..nm {
            for k in 0..nk {
                let dd = (mask.x[m] - traps.x[k]).powi(2) + (mask.y[m] - traps.y[k]).powi(2);
                d2[m * nk + k] = dd;
                if need_d {
                    d[m * nk + k] = dd.sqrt();
                }
            }
        }
        // group detections by animal
        let na = ch.n_animals();
        let mut by_animal: Vec<Vec<Detection>> = vec![Vec::new(); na];
        for det in ch.detections() {
            if eff[det.trap][det.occasion] <= 0.0 {
                return Err(SecrError::Invalid(format!(
                    "animal '{}' detected at detector '{}' on occasion {} when its usage is 0",
                    ch.animal_ids[det.animal],
                    traps.ids[det.trap],
                    det.occasion + 1
                )));
            }
            by_animal[det.animal].push(*det);
        }
        for (a, dets) in by_animal.iter_mut().enumerate() {
            dets.sort_by_key(|x| (x.occasion, x.trap));
            for w in dets.windows(2) {
                let same_occ = w[0].occasion == w[1].occasion;
                if kind == Kind::Multi && same_occ {
                    return Err(SecrError::Invalid(format!(
                        "animal '{}' detected more than once on occasion {} at multi-catch traps",
                        ch.animal_ids[a],
                        w[0].occasion + 1
                    )));
                }
                if matches!(kind, Kind::ProxOcc | Kind::ProxFast) && same_occ && w[0].trap == w[1].trap {
                    return Err(SecrError::Invalid(format!(
                        "animal '{}' detected twice at proximity detector '{}' on occasion {} (binary detectors)",
                        ch.animal_ids[a],
                        traps.ids[w[0].trap],
                        w[0].occasion + 1
                    )));
                }
            }
        }
        if binomial {
            // counts per occasion and detector may not exceed the binomial size (checked here
            // because the collapsed form only sees totals over occasions)
            for (a, dets) in by_animal.iter().enumerate() {
                let mut run = 0usize;
                for (i, det) in dets.iter().enumerate() {
                    run = if i > 0 && (dets[i - 1].occasion, dets[i - 1].trap) == (det.occasion, det.trap) {
                        run + 1
                    } else {
                        1
                    };
                    let size = trials[det.trap][det.occasion];
                    if run as f64 > size {
                        return Err(SecrError::Invalid(format!(
                            "animal '{}' has {run} detections at detector '{}' on occasion {} but the binomial size is {size}",
                            ch.animal_ids[a],
                            traps.ids[det.trap],
                            det.occasion + 1
                        )));
                    }
                }
            }
        }
        let collapsed = matches!(kind, Kind::ProxFast | Kind::CountFast);
        // effective occasions and usage patterns
        let collapsed = collapsed || kind == Kind::BinFast;
        let (patterns, occ_pattern) = if collapsed {
            let tot: Vec<f64> = eff
                .iter()
                .map(|r| {
                    let s: f64 = r.iter().sum();
                    if kind == Kind::ProxFast {
                        s.round()
                    } else {
                        s
                    }
                })
                .collect();
            (vec![tot], vec![0usize])
        } else {
            let mut pats: Vec<Vec<f64>> = Vec::new();
            let mut occ = Vec::with_capacity(ns);
            for s in 0..ns {
                let col: Vec<f64> = eff.iter().map(|r| r[s]).collect();
                let idx = match pats.iter().position(|p| *p == col) {
                    Some(i) => i,
                    None => {
                        pats.push(col);
                        pats.len() - 1
                    }
                };
                occ.push(idx);
            }
            (pats, occ)
        };
        let npat = patterns.len();
        let mut keys: Vec<Key> = Vec::new();
        let key_of = |c: usize, k: usize, u: f64, keys: &mut Vec<Key>| -> usize {
            match keys.iter().position(|kk| kk.c == c && kk.k == k && kk.u == u) {
                Some(i) => i,
                None => {
                    keys.push(Key { c, k, u });
                    keys.len() - 1
                }
            }
        };
        let mut animals = Vec::with_capacity(na);
        let mut hist_keys: Vec<Vec<(usize, usize, usize)>> = Vec::with_capacity(na);
        for dets in &by_animal {
            let first = dets.first().map(|x| x.occasion).unwrap_or(0);
            let mut events = Vec::new();
            let mut hk: Vec<(usize, usize, usize)> = Vec::new();
            if collapsed {
                let mut counts: Vec<(usize, usize)> = Vec::new();
                for det in dets {
                    match counts.iter_mut().find(|(k, _)| *k == det.trap) {
                        Some(c) => c.1 += 1,
                        None => counts.push((det.trap, 1)),
                    }
                }
                counts.sort();
                for &(k, w) in &counts {
                    let t = patterns[0][k];
                    if kind == Kind::BinFast {
                        let size: f64 = trials[k].iter().sum();
                        let si = size as usize;
                        if w > si {
                            return Err(SecrError::Invalid(format!(
                                "detector '{}' has {w} detections of one animal but a binomial size of {si}",
                                traps.ids[k]
                            )));
                        }
                        let key = key_of(0, k, keyu[k][0], &mut keys);
                        let konst = ln_fact(si) - ln_fact(w) - ln_fact(si - w);
                        events.push(Ev { key, weight: w as f64, q: usize::MAX, konst });
                        hk.push((0, k, w));
                        continue;
                    }
                    let konst = if kind == Kind::ProxFast {
                        let ti = t as usize;
                        if w > ti {
                            return Err(SecrError::Invalid(format!(
                                "detector '{}' has {w} detections of one animal but only {ti} occasions of use",
                                traps.ids[k]
                            )));
                        }
                        ln_fact(ti) - ln_fact(w) - ln_fact(ti - w)
                    } else {
                        -ln_fact(w)
                    };
                    let key = key_of(0, k, t, &mut keys);
                    events.push(Ev { key, weight: w as f64, q: usize::MAX, konst });
                    hk.push((0, k, w));
                }
            } else if matches!(kind, Kind::CountOcc | Kind::BinOcc) {
                let mut counts: Vec<(usize, usize, usize)> = Vec::new();
                for det in dets {
                    match counts.iter_mut().find(|(s, k, _)| *s == det.occasion && *k == det.trap) {
                        Some(c) => c.2 += 1,
                        None => counts.push((det.occasion, det.trap, 1)),
                    }
                }
                for &(s, k, w) in &counts {
                    let c = usize::from(learned && s > first);
                    let key = key_of(c, k, keyu[k][s], &mut keys);
                    let konst = if kind == Kind::BinOcc {
                        let si = trials[k][s] as usize;
                        if w > si {
                            return Err(SecrError::Invalid(format!(
                                "detector '{}' has {w} detections of one animal on occasion {} but a binomial size of {si}",
                                traps.ids[k],
                                s + 1
                            )));
                        }
                        ln_fact(si) - ln_fact(w) - ln_fact(si - w)
                    } else {
                        -ln_fact(w)
                    };
                    events.push(Ev { key, weight: w as f64, q: usize::MAX, konst });
                    hk.push((s, k, w));
                }
            } else {
                for det in dets {
                    let (s, k) = (det.occasion, det.trap);
                    let c = usize::from(learned && s > first);
                    let key = key_of(c, k, usage[k][s], &mut keys);
                    let q = if kind == Kind::Multi { c * npat + occ_pattern[s] } else { usize::MAX };
                    events.push(Ev { key, weight: 1.0, q, konst: 0.0 });
                    hk.push((s, k, 1));
                }
            }
            hist_keys.push(hk);
            animals.push(AnimalLik { first, events });
        }
        // multinomial coefficient over distinct histories
        let mut counts: HashMap<Vec<(usize, usize, usize)>, usize> = HashMap::new();
        for h in hist_keys {
            *counts.entry(h).or_insert(0) += 1;
        }
        let logmult = ln_fact(na) - counts.values().map(|&c| ln_fact(c)).sum::<f64>();
        Ok(Self {
            detectfn: model.detectfn,
            kind,
            learned,
            nm,
            nk,
            cell: mask.cell_area_ha,
            d2,
            d,
            patterns,
            occ_pattern,
            keys,
            animals,
            logmult,
            n: na,
        })
    }

    fn n_sets(&self) -> usize {
        if self.learned {
            2
        } else {
            1
        }
    }

    fn work(&self) -> Work {
        let nc = self.n_sets();
        let npat = self.patterns.len();
        let nocc = self.occ_pattern.len();
        Work {
            h: vec![vec![0.0; self.nm * self.nk]; nc],
            hp: vec![vec![0.0; self.nm]; nc * npat],
            q: if self.kind == Kind::Multi { vec![vec![0.0; self.nm]; nc * npat] } else { Vec::new() },
            keyv: vec![vec![0.0; self.nm]; self.keys.len()],
            prefix0: vec![vec![0.0; self.nm]; nocc],
            suffix1: if self.learned { vec![vec![0.0; self.nm]; nocc] } else { Vec::new() },
            pm: vec![0.0; self.nm],
            g: if self.detectfn.is_hazard() { Vec::new() } else { vec![vec![0.0; self.nm * self.nk]; nc] },
            bar_key: vec![vec![0.0; self.nm]; self.keys.len()],
            bar_q: if self.kind == Kind::Multi { vec![vec![0.0; self.nm]; nc * npat] } else { Vec::new() },
            bar_hp: vec![vec![0.0; self.nm]; nc * npat],
            wfirst: vec![vec![0.0; self.nm]; if self.learned { nocc } else { 1 }],
            bar_h: vec![0.0; self.nm * self.nk],
            pdot_weight: 0.0,
        }
    }

    /// Fills `h` with hazards (and `g` with detection probabilities for g-type functions) for
    /// intercept `a` (g0 or lambda0), sigma and z.
    fn hazards(&self, a: f64, sigma: f64, z: f64, h: &mut [f64], g: &mut [f64]) {
        let inv2s2 = 0.5 / (sigma * sigma);
        let invs = 1.0 / sigma;
        match self.detectfn {
            DetectFn::HN => {
                for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(&self.d2) {
                    *gg = a * (-dd * inv2s2).exp();
                    *hh = -(-*gg).ln_1p();
                }
            }
            DetectFn::HHN => {
                for (hh, &dd) in h.iter_mut().zip(&self.d2) {
                    *hh = a * (-dd * inv2s2).exp();
                }
            }
            DetectFn::EX => {
                for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(&self.d) {
                    *gg = a * (-dd * invs).exp();
                    *hh = -(-*gg).ln_1p();
                }
            }
            DetectFn::HEX => {
                for (hh, &dd) in h.iter_mut().zip(&self.d) {
                    *hh = a * (-dd * invs).exp();
                }
            }
            DetectFn::HR => {
                for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(&self.d) {
                    *gg = a * (1.0 - (-(dd * invs).powf(-z)).exp());
                    *hh = -(-*gg).ln_1p();
                }
            }
        }
    }

    /// Derivatives of the hazard at pair index i of set c with respect to the link-scale
    /// intercept, log sigma and log z.
    #[inline]
    fn dh(&self, i: usize, h: f64, g: &[f64], a: f64, sigma: f64, z: f64) -> (f64, f64, f64) {
        match self.detectfn {
            DetectFn::HN => {
                let gi = g[i];
                let r = 1.0 / (1.0 - gi);
                (gi * (1.0 - a) * r, gi * self.d2[i] / (sigma * sigma) * r, 0.0)
            }
            DetectFn::HHN => (h, h * self.d2[i] / (sigma * sigma), 0.0),
            DetectFn::EX => {
                let gi = g[i];
                let r = 1.0 / (1.0 - gi);
                (gi * (1.0 - a) * r, gi * self.d[i] / sigma * r, 0.0)
            }
            DetectFn::HEX => (h, h * self.d[i] / sigma, 0.0),
            DetectFn::HR => {
                let gi = g[i];
                let r = 1.0 / (1.0 - gi);
                let rr = (self.d[i] / sigma).powf(-z);
                let (ds, dz) = if rr.is_finite() && rr < 700.0 {
                    let e = a * (-rr).exp() * rr;
                    (e * z * r, e * rr.ln() * r)
                } else {
                    (0.0, 0.0)
                };
                (gi * (1.0 - a) * r, ds, dz)
            }
        }
    }

    /// Conditional log-likelihood (secr's, including the multinomial constant) and the effective
    /// sampling area a (ha) at real detection parameters. `a_sets[c]` is g0/lambda0 for parameter set c.
    /// With `grad`, also the gradient of the conditional log-likelihood (reverse mode, by hand).
    fn core(
        &self,
        a_sets: &[f64],
        sigma: f64,
        z: f64,
        w: &mut Work,
        grad: Option<&mut CoreGrad>,
    ) -> Option<(f64, f64)> {
        let nm = self.nm;
        let nk = self.nk;
        let nc = self.n_sets();
        let npat = self.patterns.len();
        let want_grad = grad.is_some();
        for (c, &ac) in a_sets.iter().enumerate().take(nc) {
            let gbuf: &mut [f64] = if w.g.is_empty() { &mut [] } else { &mut w.g[c] };
            self.hazards(ac, sigma, z, &mut w.h[c], gbuf);
        }
        // H per set and usage pattern
        for c in 0..nc {
            for p in 0..npat {
                let pat = &self.patterns[p];
                let hc = &w.h[c];
                let out = &mut w.hp[c * npat + p];
                for (m, o) in out.iter_mut().enumerate() {
                    let row = &hc[m * nk..(m + 1) * nk];
                    *o = row.iter().zip(pat).map(|(hv, u)| hv * u).sum();
                }
                if self.kind == Kind::Multi {
                    let hp = &w.hp[c * npat + p];
                    let q = &mut w.q[c * npat + p];
                    for (qm, &hh) in q.iter_mut().zip(hp) {
                        *qm = if hh > 1e-200 { (-(-hh).exp_m1()).ln() - hh.ln() + hh } else { 0.0 };
                    }
                }
            }
        }
        // cumulative occasion sums
        let nocc = self.occ_pattern.len();
        for s in 0..nocc {
            let p = self.occ_pattern[s];
            let (before, rest) = w.prefix0.split_at_mut(s);
            let cur = &mut rest[0];
            let hp = &w.hp[p];
            if s == 0 {
                cur.copy_from_slice(hp);
            } else {
                for ((c, pv), h) in cur.iter_mut().zip(&before[s - 1]).zip(hp) {
                    *c = pv + h;
                }
            }
        }
        if self.learned {
            for s in (0..nocc).rev() {
                if s == nocc - 1 {
                    w.suffix1[s].iter_mut().for_each(|v| *v = 0.0);
                } else {
                    let p = self.occ_pattern[s + 1];
                    let (left, right) = w.suffix1.split_at_mut(s + 1);
                    let hp = &w.hp[npat + p];
                    for ((l, r), h) in left[s].iter_mut().zip(&right[0]).zip(hp) {
                        *l = r + h;
                    }
                }
            }
        }
        // key vectors
        for (ki, key) in self.keys.iter().enumerate() {
            let hc = &w.h[key.c];
            let out = &mut w.keyv[ki];
            let (k, u) = (key.k, key.u);
            match self.kind {
                Kind::Multi | Kind::CountOcc | Kind::CountFast => {
                    let lu = u.ln();
                    match self.detectfn {
                        // log hazard directly, without a logarithm per point
                        DetectFn::HHN => {
                            let (la, inv2s2) = (lu + a_sets[key.c].ln(), 0.5 / (sigma * sigma));
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = la - self.d2[m * nk + k] * inv2s2;
                            }
                        }
                        DetectFn::HEX => {
                            let la = lu + a_sets[key.c].ln();
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = la - self.d[m * nk + k] / sigma;
                            }
                        }
                        _ => {
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = lu + hc[m * nk + k].ln();
                            }
                        }
                    }
                }
                Kind::ProxOcc | Kind::BinOcc | Kind::BinFast => {
                    for (m, o) in out.iter_mut().enumerate() {
                        *o = ln_expm1(u * hc[m * nk + k]);
                    }
                }
                Kind::ProxFast => {
                    for (m, o) in out.iter_mut().enumerate() {
                        *o = ln_expm1(hc[m * nk + k]);
                    }
                }
            }
        }
        if want_grad {
            for v in
                w.bar_key.iter_mut().chain(w.bar_q.iter_mut()).chain(w.bar_hp.iter_mut()).chain(w.wfirst.iter_mut())
            {
                v.iter_mut().for_each(|x| *x = 0.0);
            }
        }
        // histories
        let lnm = (nm as f64).ln();
        let mut sum_lp = 0.0;
        for an in &self.animals {
            let pm = &mut w.pm;
            if self.learned {
                let p0 = &w.prefix0[an.first];
                let s1 = &w.suffix1[an.first];
                for ((v, a), b) in pm.iter_mut().zip(p0).zip(s1) {
                    *v = -(a + b);
                }
            } else {
                for (v, t) in pm.iter_mut().zip(&w.prefix0[nocc - 1]) {
                    *v = -t;
                }
            }
            for ev in &an.events {
                let kv = &w.keyv[ev.key];
                if ev.weight == 1.0 {
                    pm.iter_mut().zip(kv).for_each(|(v, k)| *v += k);
                } else {
                    pm.iter_mut().zip(kv).for_each(|(v, k)| *v += ev.weight * k);
                }
                if ev.q != usize::MAX {
                    pm.iter_mut().zip(&w.q[ev.q]).for_each(|(v, q)| *v += q);
                }
            }
            let konst: f64 = an.events.iter().map(|e| e.konst).sum();
            let mx = pm.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            if !mx.is_finite() {
                return None;
            }
            let mut s = 0.0;
            for v in pm.iter_mut() {
                *v = (*v - mx).exp();
                s += *v;
            }
            sum_lp += mx + s.ln() + konst - lnm;
            if want_grad {
                // posterior weights of range centres
                let inv = 1.0 / s;
                pm.iter_mut().for_each(|v| *v *= inv);
                let wf = &mut w.wfirst[if self.learned { an.first } else { 0 }];
                wf.iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += b);
                for ev in &an.events {
                    let bk = &mut w.bar_key[ev.key];
                    bk.iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += ev.weight * b);
                    if ev.q != usize::MAX {
                        w.bar_q[ev.q].iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += b);
                    }
                }
            }
        }
        let total0 = &w.prefix0[nocc - 1];
        let sum_pdot: f64 = total0.iter().map(|&t| -(-t).exp_m1()).sum();
        let pbar = sum_pdot / nm as f64;
        if pbar.is_nan() || pbar <= 0.0 {
            return None;
        }
        let n = self.n as f64;
        let cl = sum_lp - n * pbar.ln() + self.logmult;
        let a = self.cell * sum_pdot;
        if !(cl.is_finite() && a.is_finite()) {
            return None;
        }
        if let Some(gr) = grad {
            *gr = CoreGrad::default();
            // adjoint of the per-(set, pattern) hazard sums
            let mut fpd = -n / sum_pdot; // d(-n ln pbar)/d(sum_pdot)
            if w.pdot_weight != 0.0 {
                fpd += w.pdot_weight;
            }
            for s in 0..nocc {
                let p = self.occ_pattern[s];
                if self.learned {
                    for f in 0..nocc {
                        let target = if f >= s { p } else { npat + p };
                        let (wf, bh) = (&w.wfirst[f], &mut w.bar_hp[target]);
                        bh.iter_mut().zip(wf).for_each(|(b, x)| *b -= x);
                    }
                } else {
                    let (wf, bh) = (&w.wfirst[0], &mut w.bar_hp[p]);
                    bh.iter_mut().zip(wf).for_each(|(b, x)| *b -= x);
                }
                let bh = &mut w.bar_hp[p];
                for (b, &t) in bh.iter_mut().zip(total0) {
                    *b += fpd * (-t).exp();
                }
            }
            if self.kind == Kind::Multi {
                for (bh, (bq, hp)) in w.bar_hp.iter_mut().zip(w.bar_q.iter().zip(&w.hp)) {
                    for ((b, &q), &hh) in bh.iter_mut().zip(bq).zip(hp) {
                        if hh > 1e-200 {
                            *b += q * (1.0 / hh.exp_m1() - 1.0 / hh + 1.0);
                        }
                    }
                }
            }
            let mut acc = [[0.0f64; 3]; 2];
            for c in 0..nc {
                // adjoint of every hazard h_c[m, k]
                let bar_h = &mut w.bar_h;
                for m in 0..nm {
                    let row = &mut bar_h[m * nk..(m + 1) * nk];
                    if npat == 1 {
                        let b = w.bar_hp[c * npat][m];
                        row.iter_mut().zip(&self.patterns[0]).for_each(|(r, u)| *r = b * u);
                    } else {
                        row.iter_mut().for_each(|r| *r = 0.0);
                        for p in 0..npat {
                            let b = w.bar_hp[c * npat + p][m];
                            row.iter_mut().zip(&self.patterns[p]).for_each(|(r, u)| *r += b * u);
                        }
                    }
                }
                let hc = &w.h[c];
                for (ki, key) in self.keys.iter().enumerate() {
                    if key.c != c {
                        continue;
                    }
                    let (k, u) = (key.k, key.u);
                    for (m, &bk) in w.bar_key[ki].iter().enumerate() {
                        let i = m * nk + k;
                        let hh = hc[i];
                        let dkey = match self.kind {
                            Kind::Multi | Kind::CountOcc | Kind::CountFast => 1.0 / hh,
                            Kind::ProxOcc | Kind::BinOcc | Kind::BinFast => u / (-(-u * hh).exp_m1()),
                            Kind::ProxFast => 1.0 / (-(-hh).exp_m1()),
                        };
                        bar_h[i] += bk * dkey;
                    }
                }
                let ac = a_sets[c];
                let s2 = sigma * sigma;
                match self.detectfn {
                    DetectFn::HN | DetectFn::EX => {
                        let gc = &w.g[c];
                        let dist = if self.detectfn == DetectFn::HN { &self.d2 } else { &self.d };
                        let (mut sa, mut ss) = (0.0, 0.0);
                        for ((b, g), dd) in bar_h.iter().zip(gc).zip(dist) {
                            let t = b * g / (1.0 - g);
                            sa += t;
                            ss += t * dd;
                        }
                        acc[c][0] = sa * (1.0 - ac);
                        acc[c][1] = if self.detectfn == DetectFn::HN { ss / s2 } else { ss / sigma };
                    }
                    DetectFn::HHN | DetectFn::HEX => {
                        let dist = if self.detectfn == DetectFn::HHN { &self.d2 } else { &self.d };
                        let (mut sa, mut ss) = (0.0, 0.0);
                        for ((b, h), dd) in bar_h.iter().zip(hc).zip(dist) {
                            let t = b * h;
                            sa += t;
                            ss += t * dd;
                        }
                        acc[c][0] = sa;
                        acc[c][1] = if self.detectfn == DetectFn::HHN { ss / s2 } else { ss / sigma };
                    }
                    DetectFn::HR => {
                        let gc = &w.g[c];
                        for (i, b) in bar_h.iter().enumerate() {
                            let (da, ds, dz) = self.dh(i, hc[i], gc, ac, sigma, z);
                            acc[c][0] += b * da;
                            acc[c][1] += b * ds;
                            acc[c][2] += b * dz;
                        }
                    }
                }
            }
            gr.cl_a = [acc[0][0], acc[1][0]];
            gr.cl_sigma = acc[0][1] + acc[1][1];
            gr.cl_z = acc[0][2] + acc[1][2];
        }
        Some((cl, a))
    }
}

// ------------------------------------------------------------------------------------------------
// Parameterisation

struct Param {
    detectfn: DetectFn,
    learned: bool,
}

impl Param {
    fn names(&self, with_d: bool) -> Vec<String> {
        let mut v = Vec::new();
        if with_d {
            v.push("D".to_string());
        }
        let a = self.detectfn.intercept_name();
        v.push(a.to_string());
        if self.learned {
            v.push(format!("{a}.bTRUE"));
        }
        v.push("sigma".into());
        if self.detectfn == DetectFn::HR {
            v.push("z".into());
        }
        v
    }
    fn link_a(&self, a: f64) -> f64 {
        if self.detectfn.is_hazard() {
            a.ln()
        } else {
            (a / (1.0 - a)).ln()
        }
    }
    fn inv_a(&self, b: f64) -> f64 {
        if self.detectfn.is_hazard() {
            b.exp()
        } else {
            1.0 / (1.0 + (-b).exp())
        }
    }
    /// (intercepts per set, sigma, z) from detection coefficients.
    fn real(&self, th: &[f64]) -> ([f64; 2], f64, f64) {
        let a0 = self.inv_a(th[0]);
        let mut i = 1;
        let a1 = if self.learned {
            i += 1;
            self.inv_a(th[0] + th[1])
        } else {
            a0
        };
        let sigma = th[i].exp();
        let z = if self.detectfn == DetectFn::HR { th[i + 1].exp() } else { 1.0 };
        ([a0, a1], sigma, z)
    }
    fn link(&self, p: &RealParameters) -> Vec<f64> {
        let mut v = vec![self.link_a(p.g0)];
        if self.learned {
            v.push(self.link_a(p.g0_b.unwrap_or(p.g0)) - v[0]);
        }
        v.push(p.sigma.ln());
        if self.detectfn == DetectFn::HR {
            v.push(p.z.unwrap_or(5.0).ln());
        }
        v
    }
}

/// Recent evaluations: detection coefficients → (conditional log-likelihood, a).
type CoreCache = Vec<(Vec<f64>, Option<(f64, f64)>)>;

struct Problem {
    engine: Engine,
    param: Param,
    work: Work,
    cache: CoreCache,
    evals: usize,
}

impl Problem {
    fn real_ok(&self, th: &[f64]) -> Option<([f64; 2], f64, f64)> {
        if th.iter().any(|v| !v.is_finite() || v.abs() > 50.0) {
            return None;
        }
        let (a, sigma, z) = self.param.real(th);
        let ok = sigma > 0.0 && sigma.is_finite() && a.iter().all(|v| v.is_finite() && *v > 0.0) && z.is_finite();
        ok.then_some((a, sigma, z))
    }
    fn core(&mut self, th: &[f64]) -> Option<(f64, f64)> {
        if let Some((_, r)) = self.cache.iter().find(|(t, _)| t.as_slice() == th) {
            return *r;
        }
        let r = match self.real_ok(th) {
            Some((a, sigma, z)) => {
                self.evals += 1;
                self.engine.core(&a, sigma, z, &mut self.work, None)
            }
            None => None,
        };
        if self.cache.len() > 64 {
            self.cache.remove(0);
        }
        self.cache.push((th.to_vec(), r));
        r
    }
    /// Conditional log-likelihood and its gradient with respect to the detection coefficients.
    fn core_grad(&mut self, th: &[f64]) -> Option<(f64, Vec<f64>)> {
        let (a, sigma, z) = self.real_ok(th)?;
        self.evals += 1;
        let mut g = CoreGrad::default();
        let (cl, area) = self.engine.core(&a, sigma, z, &mut self.work, Some(&mut g))?;
        if self.cache.len() > 64 {
            self.cache.remove(0);
        }
        self.cache.push((th.to_vec(), Some((cl, area))));
        let mut out = vec![g.cl_a[0] + g.cl_a[1]];
        if self.param.learned {
            out.push(g.cl_a[1]);
        }
        out.push(g.cl_sigma);
        if self.param.detectfn == DetectFn::HR {
            out.push(g.cl_z);
        }
        out.iter().all(|v| v.is_finite()).then_some((cl, out))
    }
    fn full(&mut self, beta: &[f64]) -> Option<f64> {
        let (cl, a) = self.core(&beta[1..])?;
        let n = self.engine.n as f64;
        let mu = beta[0].exp() * a;
        Some(cl + n * mu.ln() - mu - ln_fact(self.engine.n))
    }
}

/// Log-likelihood at fixed real parameters, as secr.fit(..., method = "none") reports it
/// (full likelihood unless `model.conditional`). Groups are ignored here (use
/// [`secr_loglik_sessions`] for grouped or multi-session models).
pub fn secr_loglik(
    traps: &Traps,
    capthist: &Capthist,
    mask: &Mask,
    model: &SecrModel,
    params: &RealParameters,
) -> Result<f64, SecrError> {
    let mut prob = problem(traps, capthist, mask, model)?;
    let th = prob.param.link(params);
    let r = if model.conditional {
        prob.core(&th).map(|x| x.0)
    } else {
        let mut beta = vec![params.d.ln()];
        beta.extend(th);
        prob.full(&beta)
    };
    r.ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

fn problem(traps: &Traps, capthist: &Capthist, mask: &Mask, model: &SecrModel) -> Result<Problem, SecrError> {
    if capthist.n_detections() == 0 {
        return Err(SecrError::NoDetections);
    }
    build_problem(traps, capthist, mask, model)
}

/// As [`problem`] but accepting capture histories without detections (a group or session in
/// which no animal was detected).
fn build_problem(traps: &Traps, capthist: &Capthist, mask: &Mask, model: &SecrModel) -> Result<Problem, SecrError> {
    if traps.len() < 2 {
        return Err(SecrError::OneDetector);
    }
    // every detector must lie within the mask (a mask point within ~one cell)
    let reach2 = (mask.spacing * std::f64::consts::SQRT_2).powi(2) * 1.0001;
    for k in 0..traps.len() {
        let near =
            mask.x.iter().zip(&mask.y).any(|(x, y)| (x - traps.x[k]).powi(2) + (y - traps.y[k]).powi(2) <= reach2);
        if !near {
            return Err(SecrError::MaskNotCovering(traps.ids[k].clone()));
        }
    }
    let engine = Engine::new(traps, capthist, mask, model)?;
    let work = engine.work();
    Ok(Problem {
        engine,
        param: Param { detectfn: model.detectfn, learned: model.learned_response },
        work,
        cache: Vec::new(),
        evals: 0,
    })
}

// ------------------------------------------------------------------------------------------------
// Optimisation

struct OptResult {
    x: Vec<f64>,
    iterations: usize,
    termination: Termination,
}

/// Minimisation target: value and gradient.
trait Objective {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)>;
}

/// Negative conditional log-likelihood of the detection coefficients.
struct NegCl<'a>(&'a mut Problem);

impl Objective for NegCl<'_> {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.0.core_grad(x).map(|(f, g)| (-f, g.into_iter().map(|v| -v).collect()))
    }
}

/// BFGS minimisation with analytic gradients and a backtracking (Armijo) line search; steps are
/// limited in length on the link scale as nlm's stepmax does.
fn bfgs(obj: &mut dyn Objective, x0: &[f64], max_iter: usize) -> Result<OptResult, SecrError> {
    let n = x0.len();
    let mut x = x0.to_vec();
    let (mut fx, mut g) =
        obj.value_grad(&x).ok_or_else(|| SecrError::BadStart("log-likelihood or its gradient is not finite".into()))?;
    let identity = |scale: f64| -> Vec<Vec<f64>> {
        (0..n).map(|i| (0..n).map(|j| if i == j { scale } else { 0.0 }).collect()).collect()
    };
    let mut hinv = identity(1.0);
    let gmax = |g: &[f64]| g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let converged = |g: &[f64], fx: f64| gmax(g) <= 1e-8 * fx.abs().max(1.0);
    let mut it = 0;
    let mut termination = Termination::MaxIterations;
    while it < max_iter {
        if converged(&g, fx) {
            termination = Termination::Converged;
            break;
        }
        it += 1;
        let mut p: Vec<f64> = (0..n).map(|i| -(0..n).map(|j| hinv[i][j] * g[j]).sum::<f64>()).collect();
        let mut slope: f64 = p.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 {
            hinv = identity(1.0);
            p = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        let norm = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        let maxstep = if it == 1 { 0.5 } else { 2.0 };
        let mut t = if norm > maxstep { maxstep / norm } else { 1.0 };
        let mut accepted = None;
        for _ in 0..50 {
            let xn: Vec<f64> = x.iter().zip(&p).map(|(a, b)| a + t * b).collect();
            if let Some((fnew, gnew)) = obj.value_grad(&xn) {
                if fnew <= fx + 1e-4 * t * slope {
                    accepted = Some((xn, fnew, gnew));
                    break;
                }
            }
            t *= 0.5;
        }
        let Some((xn, fnew, gn)) = accepted else {
            // no decrease possible: converged if the gradient is already tiny relative to f
            termination = if gmax(&g) <= 1e-6 * fx.abs().max(1.0) {
                Termination::Converged
            } else {
                Termination::LineSearchFailed
            };
            break;
        };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-14 {
            if it == 1 {
                let yy: f64 = y.iter().map(|v| v * v).sum();
                hinv = identity(sy / yy);
            }
            let hy: Vec<f64> = (0..n).map(|i| (0..n).map(|j| hinv[i][j] * y[j]).sum()).collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    hinv[i][j] += (sy + yhy) * s[i] * s[j] / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy;
                }
            }
        }
        x = xn;
        fx = fnew;
        g = gn;
    }
    if termination == Termination::MaxIterations && converged(&g, fx) {
        termination = Termination::Converged;
    }
    Ok(OptResult { x, iterations: it, termination })
}

/// Forward-difference Hessian as R's nlm computes it (`fdhess`, Dennis & Schnabel A5.6.2, with
/// ndigit = 12 and typsize = 1): step_i = 10^-4 · max(x_i, 1). secr takes its covariance matrix from
/// this Hessian, so the same approximation is used to reproduce secr's standard errors.
fn nlm_hessian(f: &mut dyn FnMut(&[f64]) -> Option<f64>, x: &[f64]) -> Option<Vec<Vec<f64>>> {
    let n = x.len();
    let f0 = f(x)?;
    let eta = 1e-4;
    let mut xx = x.to_vec();
    let mut step = vec![0.0; n];
    let mut fi = vec![0.0; n];
    for i in 0..n {
        let st = eta * x[i].max(1.0);
        xx[i] = x[i] + st;
        step[i] = xx[i] - x[i];
        fi[i] = f(&xx)?;
        xx[i] = x[i];
    }
    let mut hess = vec![vec![0.0; n]; n];
    for i in 0..n {
        xx[i] = x[i] + 2.0 * step[i];
        let fii = f(&xx)?;
        hess[i][i] = (f0 - fi[i] + (fii - fi[i])) / (step[i] * step[i]);
        xx[i] = x[i] + step[i];
        for j in (i + 1)..n {
            xx[j] = x[j] + step[j];
            let fij = f(&xx)?;
            hess[i][j] = (f0 - fi[i] + (fij - fi[j])) / (step[i] * step[j]);
            hess[j][i] = hess[i][j];
            xx[j] = x[j];
        }
        xx[i] = x[i];
    }
    Some(hess)
}

fn hessian(method: HessianMethod, f: &mut dyn FnMut(&[f64]) -> Option<f64>, x: &[f64]) -> Option<Vec<Vec<f64>>> {
    match method {
        HessianMethod::Nlm => nlm_hessian(f, x),
        HessianMethod::Central => central_hessian(f, x),
    }
}

/// Central-difference Hessian (more accurate than nlm's forward differences).
fn central_hessian(f: &mut dyn FnMut(&[f64]) -> Option<f64>, x: &[f64]) -> Option<Vec<Vec<f64>>> {
    let n = x.len();
    let f0 = f(x)?;
    let h: Vec<f64> = x.iter().map(|v| 1e-4 * v.abs().max(1.0)).collect();
    let mut hess = vec![vec![0.0; n]; n];
    let mut xx = x.to_vec();
    for i in 0..n {
        xx[i] = x[i] + h[i];
        let fp = f(&xx)?;
        xx[i] = x[i] - h[i];
        let fm = f(&xx)?;
        xx[i] = x[i];
        hess[i][i] = (fp - 2.0 * f0 + fm) / (h[i] * h[i]);
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let mut val = 0.0;
            for (si, sj, sign) in [(1.0, 1.0, 1.0), (1.0, -1.0, -1.0), (-1.0, 1.0, -1.0), (-1.0, -1.0, 1.0)] {
                xx[i] = x[i] + si * h[i];
                xx[j] = x[j] + sj * h[j];
                val += sign * f(&xx)?;
            }
            xx[i] = x[i];
            xx[j] = x[j];
            hess[i][j] = val / (4.0 * h[i] * h[j]);
            hess[j][i] = hess[i][j];
        }
    }
    Some(hess)
}

/// Inverse of a symmetric positive-definite matrix by Gauss–Jordan with partial pivoting.
fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = a.to_vec();
    let mut inv = vec![vec![0.0; n]; n];
    for (i, r) in inv.iter_mut().enumerate() {
        r[i] = 1.0;
    }
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if m[piv][col].abs() < 1e-300 {
            return None;
        }
        m.swap(col, piv);
        inv.swap(col, piv);
        let d = m[col][col];
        for j in 0..n {
            m[col][j] /= d;
            inv[col][j] /= d;
        }
        for i in 0..n {
            if i != col {
                let fct = m[i][col];
                if fct != 0.0 {
                    for j in 0..n {
                        m[i][j] -= fct * m[col][j];
                        inv[i][j] -= fct * inv[col][j];
                    }
                }
            }
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

// ------------------------------------------------------------------------------------------------
// Fitting

const Z975: f64 = 1.959963984540054;

fn real_log(beta: f64, se: Option<f64>) -> RealParam {
    let est = beta.exp();
    RealParam {
        estimate: est,
        se: se.map(|s| est * ((s * s).exp() - 1.0).sqrt()),
        lcl: se.map(|s| (beta - Z975 * s).exp()),
        ucl: se.map(|s| (beta + Z975 * s).exp()),
    }
}

fn real_logit(beta: f64, se: Option<f64>) -> RealParam {
    let inv = |b: f64| 1.0 / (1.0 + (-b).exp());
    let est = inv(beta);
    RealParam {
        estimate: est,
        se: se.map(|s| est * (1.0 - est) * s),
        lcl: se.map(|s| inv(beta - Z975 * s)),
        ucl: se.map(|s| inv(beta + Z975 * s)),
    }
}

/// Starting values: sigma from the root pooled spatial variance (RPSV) of recaptures, g0 / lambda0 0.2.
fn start_values(traps: &Traps, ch: &Capthist, model: &SecrModel) -> Result<RealParameters, SecrError> {
    let mut by_animal: Vec<Vec<usize>> = vec![Vec::new(); ch.n_animals()];
    for d in ch.detections() {
        by_animal[d.animal].push(d.trap);
    }
    let (mut ss, mut df, mut recaps) = (0.0, 0usize, 0usize);
    for t in &by_animal {
        if t.len() > 1 {
            recaps += t.len() - 1;
            let mx = t.iter().map(|&k| traps.x[k]).sum::<f64>() / t.len() as f64;
            let my = t.iter().map(|&k| traps.y[k]).sum::<f64>() / t.len() as f64;
            ss += t.iter().map(|&k| (traps.x[k] - mx).powi(2) + (traps.y[k] - my).powi(2)).sum::<f64>();
            df += t.len() - 1;
        }
    }
    if recaps == 0 {
        return Err(SecrError::NoRecaptures);
    }
    let mut sigma = (ss / (2.0 * df as f64)).sqrt();
    if sigma.is_nan() || sigma <= 0.0 {
        // all recaptures at the same detector: use the nearest-neighbour detector spacing
        let mut nn = f64::INFINITY;
        for i in 0..traps.len() {
            for j in 0..traps.len() {
                if i != j {
                    nn = nn.min(((traps.x[i] - traps.x[j]).powi(2) + (traps.y[i] - traps.y[j]).powi(2)).sqrt());
                }
            }
        }
        sigma = if nn.is_finite() && nn > 0.0 { nn / 2.0 } else { 1.0 };
    }
    let (g0, z) = match &model.start {
        Some(s) => {
            sigma = s.sigma;
            (s.g0, s.z)
        }
        None => (0.2, Some(5.0)),
    };
    Ok(RealParameters { d: 1.0, g0, g0_b: None, sigma, z })
}

/// Fits an SECR model by maximum likelihood.
///
/// With [`SecrModel::groups`] set, the capture histories must carry group labels and the model
/// is fitted by groups (see [`fit_secr_sessions`]).
pub fn fit_secr(traps: &Traps, capthist: &Capthist, mask: &Mask, model: &SecrModel) -> Result<SecrFit, SecrError> {
    if model.groups.is_some() {
        let s = SessionData { name: "1".into(), traps: traps.clone(), capthist: capthist.clone(), mask: mask.clone() };
        return fit_secr_sessions(std::slice::from_ref(&s), model);
    }
    let mut prob = problem(traps, capthist, mask, model)?;
    let start = start_values(traps, capthist, model)?;
    let n = prob.engine.n;
    let th0 = prob.param.link(&start);
    // The profile of the full Poisson likelihood over D is the conditional likelihood plus a
    // constant, so the detection parameters are estimated from the conditional likelihood and
    // D̂ = n / a(θ̂).
    let opt = bfgs(&mut NegCl(&mut prob), &th0, model.max_iterations)?;
    let th = opt.x.clone();
    let (cl, a) = prob.core(&th).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
    let mut warnings = Vec::new();
    let names = prob.param.names(!model.conditional);
    let (beta, loglik, vcv) = if model.conditional {
        let mut f = |t: &[f64]| prob.core(t).map(|r| -r.0);
        let vcv = hessian(model.hessian, &mut f, &th).and_then(|h| invert(&h));
        (th.clone(), cl, vcv)
    } else {
        let mut beta = vec![(n as f64 / a).ln()];
        beta.extend(&th);
        let ll = prob.full(&beta).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
        let mut f = |b: &[f64]| prob.full(b).map(|v| -v);
        let vcv = hessian(model.hessian, &mut f, &beta).and_then(|h| invert(&h));
        (beta, ll, vcv)
    };
    let vcv = vcv.filter(|v| (0..v.len()).all(|i| v[i][i] > 0.0));
    if vcv.is_none() {
        warnings.push("Hessian not negative definite at the optimum: no standard errors".into());
    }
    let se = |i: usize| vcv.as_ref().map(|v| v[i][i].sqrt());
    let off = usize::from(!model.conditional);
    // density
    let d = if model.conditional {
        let dhat = n as f64 / a;
        let se_d = vcv.as_ref().and_then(|v| {
            // secr derived(): var = n / a² (Poisson n) + g' V g, g = gradient of n / a(θ)
            let k = th.len();
            let mut g = vec![0.0; k];
            let mut tt = th.clone();
            for i in 0..k {
                let h = 1e-4 * th[i].abs().max(1.0);
                tt[i] = th[i] + h;
                let ap = prob.core(&tt)?.1;
                tt[i] = th[i] - h;
                let am = prob.core(&tt)?.1;
                tt[i] = th[i];
                g[i] = (n as f64 / ap - n as f64 / am) / (2.0 * h);
            }
            let mut q = 0.0;
            for i in 0..k {
                for j in 0..k {
                    q += g[i] * v[i][j] * g[j];
                }
            }
            Some((n as f64 / (a * a) + q).sqrt())
        });
        let c = se_d.map(|s| (Z975 * (1.0 + (s / dhat).powi(2)).ln().sqrt()).exp());
        RealParam { estimate: dhat, se: se_d, lcl: c.map(|c| dhat / c), ucl: c.map(|c| dhat * c) }
    } else {
        real_log(beta[0], se(0))
    };
    let hazard = model.detectfn.is_hazard();
    let intercept = |b: f64, s: Option<f64>| if hazard { real_log(b, s) } else { real_logit(b, s) };
    let a0 = intercept(beta[off], se(off));
    let mut idx = off + 1;
    let a_b = if model.learned_response {
        let b = beta[off] + beta[off + 1];
        let s = vcv.as_ref().map(|v| (v[off][off] + v[off + 1][off + 1] + 2.0 * v[off][off + 1]).max(0.0).sqrt());
        idx += 1;
        Some(intercept(b, s))
    } else {
        None
    };
    let sigma = real_log(beta[idx], se(idx));
    let z = (model.detectfn == DetectFn::HR).then(|| real_log(beta[idx + 1], se(idx + 1)));
    let np = beta.len();
    let aic = -2.0 * loglik + 2.0 * np as f64;
    let aicc = if n > np + 1 { aic + 2.0 * (np * (np + 1)) as f64 / (n - np - 1) as f64 } else { aic };
    if opt.termination != Termination::Converged {
        warnings.push(format!("optimiser stopped before convergence: {:?}", opt.termination));
    }
    let likelihood_form = match prob.engine.kind {
        Kind::ProxFast | Kind::CountFast | Kind::BinFast => "fastproximity",
        _ => "occasion-by-occasion",
    }
    .to_string();
    Ok(SecrFit {
        d_per_ha: d.estimate,
        d_per_100km2: d.estimate * 1e4,
        d,
        d_derived: model.conditional,
        g0: (!hazard).then(|| a0.clone()),
        lambda0: hazard.then(|| a0.clone()),
        g0_b: a_b,
        sigma,
        z,
        esa_ha: a,
        loglik,
        aic,
        aicc,
        n_parameters: np,
        n_animals: n,
        n_detections: capthist.n_detections(),
        mask_points: mask.len(),
        mask_area_ha: mask.area_ha(),
        converged: opt.termination == Termination::Converged,
        termination: opt.termination,
        iterations: opt.iterations,
        function_evaluations: prob.evals,
        detectfn: model.detectfn,
        detector: model.detector,
        conditional: model.conditional,
        likelihood_form,
        beta_names: names,
        beta,
        beta_vcv: vcv,
        warnings,
        groups: None,
        sessions: None,
    })
}

/// A 4×4 grid of traps 20 m apart (usage optional, with a trap off on two occasions), nine
/// detections of five animals over three occasions, and a 10 m mask: the gradient checks' toy.
#[cfg(test)]
pub(crate) fn toy_inputs(usage: bool) -> (Traps, Vec<(String, usize, String)>, Mask) {
    let (mut ids, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..4 {
        for j in 0..4 {
            ids.push(format!("{i}-{j}"));
            x.push(i as f64 * 20.0);
            y.push(j as f64 * 20.0);
        }
    }
    let u = usage.then(|| {
        (0..16).map(|k| (0..3).map(|s| if k == 3 && s < 2 { 0.0 } else { 1.0 + (k % 2) as f64 }).collect()).collect()
    });
    let traps = Traps::new(ids, x, y, u).unwrap();
    let recs: Vec<(String, usize, String)> = [
        ("a", 1, "0-0"),
        ("a", 2, "0-1"),
        ("a", 3, "1-1"),
        ("b", 2, "2-2"),
        ("c", 1, "3-3"),
        ("c", 3, "3-2"),
        ("d", 3, "1-2"),
        ("e", 1, "2-1"),
        ("e", 2, "2-1"),
    ]
    .iter()
    .map(|(a, s, t)| (a.to_string(), *s, t.to_string()))
    .collect();
    let mask = Mask::trap_buffer(&traps, 50.0, Some(10.0)).unwrap();
    (traps, recs, mask)
}

/// Checks an analytic gradient against central differences (step 1e-6) of `value`, to
/// 1e-5·(1 + |numeric|) per parameter.
#[cfg(test)]
pub(crate) fn assert_gradient(th: &[f64], analytic: &[f64], mut value: impl FnMut(&[f64]) -> f64, label: &str) {
    for i in 0..th.len() {
        let h = 1e-6;
        let mut tp = th.to_vec();
        tp[i] += h;
        let fp = value(&tp);
        tp[i] -= 2.0 * h;
        let fm = value(&tp);
        let num = (fp - fm) / (2.0 * h);
        assert!(
            (num - analytic[i]).abs() < 1e-5 * (1.0 + num.abs()),
            "{label} param {i}: analytic {} numeric {num}",
            analytic[i]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy(detector: DetectorType, detectfn: DetectFn, learned: bool, usage: bool) -> Problem {
        let (traps, recs, mask) = toy_inputs(usage);
        let ch = Capthist::new(&traps, 3, &recs).unwrap();
        let model = SecrModel { detector, detectfn, learned_response: learned, ..Default::default() };
        problem(&traps, &ch, &mask, &model).unwrap()
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        for det in [DetectorType::Multi, DetectorType::Proximity, DetectorType::Count] {
            for dfn in [DetectFn::HN, DetectFn::HHN, DetectFn::EX, DetectFn::HEX, DetectFn::HR] {
                for learned in [false, true] {
                    for usage in [false, true] {
                        let mut p = toy(det, dfn, learned, usage);
                        let mut th = vec![-0.7];
                        if learned {
                            th.push(0.4);
                        }
                        th.push(25f64.ln());
                        if dfn == DetectFn::HR {
                            th.push(3f64.ln());
                        }
                        let (_, g) = p.core_grad(&th).unwrap();
                        let label = format!("{det:?} {dfn:?} learned {learned} usage {usage}");
                        assert_gradient(&th, &g, |t| p.core(t).unwrap().0, &label);
                    }
                }
            }
        }
    }
}
