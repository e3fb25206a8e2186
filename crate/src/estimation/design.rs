//! Survey design by simulation and by expected counts: simulate populations and detections
//! from a density, a detection function and a detector layout (secr's `sim.popn` over a mask
//! and `sim.capthist`), and answer secrdesign's question for a proposed layout — how many
//! animals will be detected, how many recaptures and movements, and how precise will D̂ be.
//!
//! Expected counts follow Efford & Boulanger (2019) "Fast evaluation of study designs for
//! spatially explicit capture–recapture", Methods Ecol Evol 10:1529–1535 (secrdesign's `Enrm`):
//! with per-occasion hazard `h_k(x)` at detector k and usage `u_ks`,
//!
//! * Λ(x) = Σ_k Σ_s u_ks h_k(x) (total hazard), E(n) = D Σ_x a (1 − exp(−Λ(x))),
//! * expected detections c(x): proximity Σ_k Σ_s (1 − exp(−u_ks h_k)); multi-catch
//!   Σ_s (1 − exp(−Σ_k u_ks h_k)); count Λ(x); E(r) = D Σ_x a c(x) − E(n),
//! * E(m) = D Σ_x a (c(x) − (1 − exp(−Λ(x)))) (1 − q²(x)), with q²(x) = Σ_k H_k² / (Σ_k H_k)²,
//!   H_k = h_k Σ_s u_ks: each re-detection moves unless it is at the same detector as the
//!   previous one, approximated by independent draws in proportion to the hazard,
//! * RSE(D̂) ≈ 1/√min(E(n), E(r)) (their rule of thumb, secrdesign's `minnrRSE`, CF = 1).
//!
//! Unlike secrdesign, which first approximates HN/EX/HR by their hazard forms (`dfcast`), the
//! hazard of a probability-type function is taken exactly, h = −ln(1 − g(d)).

use super::occasions::{self, OccasionError};
use super::secr::{
    fit_secr, Capthist, DetectFn, DetectorType, Mask, SecrError, SecrFit, SecrModel, StartValues, Termination, Traps,
};
use crate::io::topojson::Country;
use crate::model::joint::JointSurvey;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::spatial::Utm;
use geo::{Contains, Point};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// Errors of survey design and simulation.
#[derive(Debug, thiserror::Error)]
pub enum DesignError {
    #[error("invalid design: {0}")]
    Invalid(Message),
    #[error("{file}: row {row}, column '{column}': {message}")]
    Csv { file: String, row: usize, column: String, message: Message },
    #[error("{file}: {message}")]
    File { file: String, message: Message },
    #[error(transparent)]
    Secr(#[from] SecrError),
    #[error(transparent)]
    Occasions(#[from] OccasionError),
    #[error("{0}")]
    Crs(Message),
    #[error("no mask point is on land: check the basemap and the buffer")]
    NoLand,
}

impl DesignError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            DesignError::Invalid(m) => Message::new("estimation.design.invalid").with("message", m.clone()),
            DesignError::Csv { file, row, column, message } => Message::new("general.at.row_column")
                .with("file", file)
                .with("row", *row)
                .with("column", column)
                .with("message", message.clone()),
            DesignError::File { file, message } => {
                Message::new("general.at.file").with("file", file).with("message", message.clone())
            }
            DesignError::Secr(e) => Message::untranslated(e.to_string()),
            DesignError::Occasions(e) => e.message(),
            DesignError::Crs(m) => m.clone(),
            DesignError::NoLand => Message::new("estimation.design.no_land"),
        }
    }
}

/// An invalid value: `{name} must be > 0, not {value}`.
fn not_positive(name: &str, value: impl ToString) -> DesignError {
    DesignError::Invalid(
        Message::new("estimation.design.not_positive").with("name", name).with("value", value.to_string()),
    )
}

/// Detection function and its parameters (distances in the layout's units, metres).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DetectionParams {
    pub detectfn: DetectFn,
    /// g0 (HN, EX, HR) or λ0 (HHN, HEX), per occasion and unit of usage.
    pub g0: f64,
    pub sigma: f64,
    /// Shape of the hazard-rate function (HR only).
    pub z: Option<f64>,
}

impl DetectionParams {
    fn check(&self) -> Result<(), DesignError> {
        let name = self.detectfn.intercept_name();
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            return Err(not_positive("sigma", self.sigma));
        }
        if self.detectfn.is_hazard() {
            if !(self.g0.is_finite() && self.g0 > 0.0) {
                return Err(not_positive(name, self.g0));
            }
        } else if !(self.g0 > 0.0 && self.g0 < 1.0) {
            return Err(DesignError::Invalid(
                Message::new("estimation.design.not_probability").with("name", name).with("value", self.g0.to_string()),
            ));
        }
        if self.detectfn == DetectFn::HR && !self.z.is_some_and(|z| z.is_finite() && z > 0.0) {
            return Err(DesignError::Invalid(Message::new("estimation.design.no_shape")));
        }
        Ok(())
    }

    /// Hazard per occasion and unit of usage at squared distance `d2`: λ for hazard functions,
    /// −ln(1 − g) for probability functions (so that p = 1 − (1 − g)^usage).
    pub fn hazard(&self, d2: f64) -> f64 {
        let (a, s) = (self.g0, self.sigma);
        let g = match self.detectfn {
            DetectFn::HN | DetectFn::HHN => a * (-d2 / (2.0 * s * s)).exp(),
            DetectFn::EX | DetectFn::HEX => a * (-d2.sqrt() / s).exp(),
            DetectFn::HR => {
                if d2 == 0.0 {
                    a
                } else {
                    a * (1.0 - (-(d2.sqrt() / s).powf(-self.z.unwrap_or(1.0))).exp())
                }
            }
        };
        if self.detectfn.is_hazard() {
            g
        } else {
            -(-g).ln_1p()
        }
    }
}

fn usage_of(traps: &Traps, n_occasions: usize) -> Result<Vec<Vec<f64>>, DesignError> {
    if n_occasions == 0 {
        return Err(DesignError::Invalid(Message::new("estimation.design.no_occasions")));
    }
    match traps.usage() {
        Some(u) => {
            if u[0].len() != n_occasions {
                return Err(DesignError::Invalid(
                    Message::new("estimation.design.usage_occasions").with("n", u[0].len()).with("want", n_occasions),
                ));
            }
            Ok(u.clone())
        }
        None => Ok(vec![vec![1.0; n_occasions]; traps.len()]),
    }
}

/// A homogeneous Poisson population over the mask (secr's `sim.popn(D, mask)`): the number of
/// activity centres is Poisson with mean D × mask area, each in a uniformly chosen cell and
/// uniform within it. `d_per_ha` is animals per hectare.
pub fn simulate_population(mask: &Mask, d_per_ha: f64, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mean = d_per_ha * mask.area_ha();
    if !(mean.is_finite() && mean > 0.0) {
        return Vec::new();
    }
    let n = Poisson::new(mean).map_or(0, |p| p.sample(&mut rng) as usize);
    let sp = mask.spacing();
    (0..n)
        .map(|_| {
            let i = rng.gen_range(0..mask.len());
            (mask.x()[i] + (rng.gen::<f64>() - 0.5) * sp, mask.y()[i] + (rng.gen::<f64>() - 0.5) * sp)
        })
        .collect()
}

/// Detection histories of the animals with activity centres `centres` (secr's `sim.capthist`),
/// honouring the layout's usage: proximity detectors detect independently with
/// p = 1 − exp(−u·h) (= 1 − (1 − g)^u); a multi-catch animal is caught at most once per
/// occasion, with competing hazards u_k h_k; count detectors record Poisson(u·h) detections.
/// Undetected animals are left out; animal ids are `A{index of the centre}`.
pub fn simulate_capthist(
    traps: &Traps,
    centres: &[(f64, f64)],
    params: &DetectionParams,
    detector: DetectorType,
    n_occasions: usize,
    seed: u64,
) -> Result<Capthist, DesignError> {
    params.check()?;
    let usage = usage_of(traps, n_occasions)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let nk = traps.len();
    let mut h = vec![0.0; nk];
    let by_occasion: Vec<Vec<f64>> = (0..n_occasions).map(|s| usage.iter().map(|u| u[s]).collect()).collect();
    let mut records = Vec::new();
    for (i, &(cx, cy)) in centres.iter().enumerate() {
        for (k, hk) in h.iter_mut().enumerate() {
            *hk = params.hazard((traps.x()[k] - cx).powi(2) + (traps.y()[k] - cy).powi(2));
        }
        let id = format!("A{i}");
        for (s, u) in by_occasion.iter().enumerate() {
            let mut record = |k: usize| records.push((id.clone(), s + 1, traps.ids()[k].clone()));
            match detector {
                DetectorType::Proximity => {
                    for (k, (&uk, &hk)) in u.iter().zip(&h).enumerate() {
                        let p = -(-uk * hk).exp_m1();
                        if p > 0.0 && rng.gen::<f64>() < p {
                            record(k);
                        }
                    }
                }
                DetectorType::Count => {
                    for (k, (&uk, &hk)) in u.iter().zip(&h).enumerate() {
                        let mu = uk * hk;
                        if mu > 0.0 {
                            let c = Poisson::new(mu).map_or(0, |p| p.sample(&mut rng) as usize);
                            for _ in 0..c {
                                record(k);
                            }
                        }
                    }
                }
                DetectorType::Multi => {
                    let total: f64 = u.iter().zip(&h).map(|(uk, hk)| uk * hk).sum();
                    if total > 0.0 && rng.gen::<f64>() < -(-total).exp_m1() {
                        // The detector, with probability proportional to its hazard.
                        let mut r = rng.gen::<f64>() * total;
                        let mut k = 0;
                        while k + 1 < nk && r >= u[k] * h[k] {
                            r -= u[k] * h[k];
                            k += 1;
                        }
                        record(k);
                    }
                }
            }
        }
    }
    Ok(Capthist::new(traps, n_occasions, &records)?)
}

/// Counts of a capture history as secrdesign summarises a simulated one: n animals, r
/// recaptures (detections − n) and m movements (successive detections of an animal, in
/// occasion then detector order, at different detectors; secr's `moves` > 0).
pub fn count_nrm(capthist: &Capthist) -> (usize, usize, usize) {
    let mut d: Vec<_> = capthist.detections().to_vec();
    d.sort_by_key(|x| (x.animal, x.occasion, x.trap));
    let moves = d.windows(2).filter(|w| w[0].animal == w[1].animal && w[0].trap != w[1].trap).count();
    let n = capthist.n_animals();
    (n, d.len().saturating_sub(n), moves)
}

/// Expected counts of a design (Efford & Boulanger 2019).
#[derive(Debug, Clone, Serialize)]
pub struct ExpectedCounts {
    /// Expected number of animals with centres in the mask (D × area).
    pub animals_in_mask: f64,
    /// E(n): animals detected.
    pub n: f64,
    /// E(r): recaptures (detections − n).
    pub r: f64,
    /// E(m): movements (re-detections at a different detector than the previous one).
    pub m: f64,
    /// Expected detections E(n) + E(r).
    pub detections: f64,
    /// Rule-of-thumb RSE(D̂) ≈ 1/√min(E(n), E(r)); None when that minimum is 0.
    pub rse_d: Option<f64>,
}

/// E(n), E(r), E(m) and the rule-of-thumb RSE for a homogeneous density `d_per_ha` over `mask`.
pub fn expected_counts(
    traps: &Traps,
    mask: &Mask,
    d_per_ha: f64,
    params: &DetectionParams,
    detector: DetectorType,
    n_occasions: usize,
) -> Result<ExpectedCounts, DesignError> {
    params.check()?;
    check_density(d_per_ha)?;
    let usage = usage_of(traps, n_occasions)?;
    let nk = traps.len();
    let total_use: Vec<f64> = usage.iter().map(|u| u.iter().sum()).collect();
    let (mut en, mut ec, mut em) = (0.0, 0.0, 0.0);
    let mut h = vec![0.0; nk];
    for (&mx, &my) in mask.x().iter().zip(mask.y()) {
        for (k, hk) in h.iter_mut().enumerate() {
            *hk = params.hazard((traps.x()[k] - mx).powi(2) + (traps.y()[k] - my).powi(2));
        }
        let (mut lambda, mut sum_h2) = (0.0, 0.0);
        for k in 0..nk {
            let hk = h[k] * total_use[k];
            lambda += hk;
            sum_h2 += hk * hk;
        }
        let pdot = -(-lambda).exp_m1();
        let c = match detector {
            DetectorType::Count => lambda,
            DetectorType::Proximity => {
                (0..nk).map(|k| usage[k].iter().map(|u| -(-u * h[k]).exp_m1()).sum::<f64>()).sum::<f64>()
            }
            DetectorType::Multi => {
                (0..n_occasions).map(|s| -(-(0..nk).map(|k| usage[k][s] * h[k]).sum::<f64>()).exp_m1()).sum()
            }
        };
        let q2 = if lambda > 0.0 { sum_h2 / (lambda * lambda) } else { 1.0 };
        en += pdot;
        ec += c;
        em += (c - pdot).max(0.0) * (1.0 - q2);
    }
    let a = d_per_ha * mask.cell_area_ha();
    let (n, detections, m) = (en * a, ec * a, em * a);
    let r = (detections - n).max(0.0);
    let low = n.min(r);
    Ok(ExpectedCounts {
        animals_in_mask: d_per_ha * mask.area_ha(),
        n,
        r,
        m,
        detections,
        rse_d: (low > 0.0).then(|| 1.0 / low.sqrt()),
    })
}

fn check_density(d: f64) -> Result<(), DesignError> {
    if !(d.is_finite() && d > 0.0) {
        return Err(not_positive("density", d));
    }
    Ok(())
}

/// Options of [`design_survey`] (distances in metres, density per hectare).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DesignOptions {
    pub d_per_ha: f64,
    pub detectfn: DetectFn,
    /// g0 (HN, EX, HR) or λ0 (HHN, HEX).
    #[serde(alias = "lambda0")]
    pub g0: f64,
    pub sigma: f64,
    pub z: Option<f64>,
    pub detector: DetectorType,
    pub n_occasions: usize,
    /// Simulate → fit replicates (0: expected counts only).
    pub replicates: usize,
    pub seed: u64,
}

impl DesignOptions {
    /// The detection function and its parameters.
    pub fn detection_params(&self) -> DetectionParams {
        DetectionParams { detectfn: self.detectfn, g0: self.g0, sigma: self.sigma, z: self.z }
    }
}

/// Mean, SD and the standard error of the mean of a simulated quantity.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub mean: f64,
    /// None with fewer than two values.
    pub sd: Option<f64>,
    pub se_mean: Option<f64>,
}

fn summarise(v: &[f64]) -> Option<Summary> {
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.len() > 1).then(|| (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
    Some(Summary { mean, sd, se_mean: sd.map(|s| s / n.sqrt()) })
}

/// One reason replicates failed, and how many did.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The reason, in English.
    pub reason: String,
    pub count: usize,
    /// The reason as a message, to show it in any language.
    pub reason_code: Message,
}

/// Empirical results of simulate → fit replicates.
#[derive(Debug, Clone, Serialize)]
pub struct SimulationResults {
    pub replicates: usize,
    /// Replicates whose fit converged to a finite estimate.
    pub fitted: usize,
    pub failed: usize,
    pub failures: Vec<Failure>,
    /// Counts over all replicates.
    pub n: Option<Summary>,
    pub r: Option<Summary>,
    pub m: Option<Summary>,
    /// D̂ per hectare over the fitted replicates.
    pub d_hat: Option<Summary>,
    pub d_hat_per_100km2: Option<f64>,
    /// SD(D̂) / mean(D̂) (needs two fits).
    pub rse_d: Option<f64>,
    /// Mean of the fits' own SE(D̂)/D̂.
    pub mean_estimated_rse_d: Option<f64>,
    /// (mean D̂ − D) / D.
    pub relative_bias: Option<f64>,
    /// Share of fitted replicates whose 95% interval holds the true D.
    pub coverage: Option<f64>,
    pub sigma_hat: Option<Summary>,
    /// g0 or λ0 estimates.
    pub g0_hat: Option<Summary>,
}

/// Result of [`design_survey`].
#[derive(Debug, Clone, Serialize)]
pub struct DesignReport {
    pub options: DesignOptions,
    pub detectors: usize,
    pub mask_points: usize,
    pub mask_area_km2: f64,
    pub d_per_100km2: f64,
    pub expected: ExpectedCounts,
    pub simulation: Option<SimulationResults>,
}

/// Expected counts and, with `replicates` > 0, simulate → fit replicates of a design.
pub fn design_survey(traps: &Traps, mask: &Mask, opts: &DesignOptions) -> Result<DesignReport, DesignError> {
    design_survey_with_progress(traps, mask, opts, &mut |_, _| {})
}

/// Largest number of replicates accepted.
pub const MAX_REPLICATES: usize = 2000;

/// As [`design_survey`], calling `progress(done, replicates)` after each replicate.
pub fn design_survey_with_progress(
    traps: &Traps,
    mask: &Mask,
    opts: &DesignOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<DesignReport, DesignError> {
    let params = opts.detection_params();
    if opts.replicates > MAX_REPLICATES {
        return Err(DesignError::Invalid(
            Message::new("estimation.design.too_many_replicates")
                .with("max", MAX_REPLICATES)
                .with("n", opts.replicates),
        ));
    }
    let expected = expected_counts(traps, mask, opts.d_per_ha, &params, opts.detector, opts.n_occasions)?;
    let simulation = (opts.replicates > 0).then(|| replicate(traps, mask, opts, progress));
    Ok(DesignReport {
        options: opts.clone(),
        detectors: traps.len(),
        mask_points: mask.len(),
        mask_area_km2: mask.area_ha() / 100.0,
        d_per_100km2: opts.d_per_ha * 1e4,
        expected,
        simulation,
    })
}

fn replicate(
    traps: &Traps,
    mask: &Mask,
    opts: &DesignOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> SimulationResults {
    let params = opts.detection_params();
    let mut master = Xoshiro256PlusPlus::seed_from_u64(opts.seed);
    let model = SecrModel {
        detectfn: opts.detectfn,
        detector: opts.detector,
        // secrdesign starts each fit at the true values.
        start: Some(StartValues { g0: opts.g0, sigma: opts.sigma, z: opts.z }),
        ..Default::default()
    };
    let (mut ns, mut rs, mut ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ds, mut sigmas, mut g0s, mut rses) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut covered = 0usize;
    let mut failures: Vec<Failure> = Vec::new();
    let mut fail = |m: Message| {
        let reason = m.to_string();
        match failures.iter_mut().find(|f| f.reason == reason) {
            Some(f) => f.count += 1,
            None => failures.push(Failure { reason, count: 1, reason_code: m }),
        }
    };
    for rep in 0..opts.replicates {
        let (s1, s2) = (master.gen::<u64>(), master.gen::<u64>());
        let centres = simulate_population(mask, opts.d_per_ha, s1);
        let ch = match simulate_capthist(traps, &centres, &params, opts.detector, opts.n_occasions, s2) {
            Ok(ch) => ch,
            Err(e) => {
                fail(Message::new("estimation.design.simulation_failed").with("message", e.message()));
                progress(rep + 1, opts.replicates);
                continue;
            }
        };
        let (n, r, m) = count_nrm(&ch);
        ns.push(n as f64);
        rs.push(r as f64);
        ms.push(m as f64);
        // A fit that stops short from the true values is retried from secr's default start.
        let fit = fit_secr(traps, &ch, mask, &model).and_then(|f| match usable(&f) {
            Ok(()) => Ok(f),
            Err(_) => fit_secr(traps, &ch, mask, &SecrModel { start: None, ..model.clone() }).map(|g| {
                if usable(&g).is_ok() {
                    g
                } else {
                    f
                }
            }),
        });
        match fit {
            Ok(fit) => match usable(&fit) {
                Ok(()) => {
                    ds.push(fit.d.estimate);
                    sigmas.push(fit.sigma.estimate);
                    if let Some(a) = fit.g0.as_ref().or(fit.lambda0.as_ref()) {
                        g0s.push(a.estimate);
                    }
                    if let Some(se) = fit.d.se.filter(|s| s.is_finite()) {
                        rses.push(se / fit.d.estimate);
                    }
                    if let (Some(l), Some(u)) = (fit.d.lcl, fit.d.ucl) {
                        covered += usize::from(l <= opts.d_per_ha && opts.d_per_ha <= u);
                    }
                }
                Err(reason) => fail(reason),
            },
            Err(e) => fail(Message::untranslated(e.to_string())),
        }
        progress(rep + 1, opts.replicates);
    }
    let d_hat = summarise(&ds);
    let rse_d = d_hat.as_ref().and_then(|s| s.sd.filter(|_| s.mean > 0.0).map(|sd| sd / s.mean));
    SimulationResults {
        replicates: opts.replicates,
        fitted: ds.len(),
        failed: opts.replicates - ds.len(),
        failures,
        n: summarise(&ns),
        r: summarise(&rs),
        m: summarise(&ms),
        d_hat_per_100km2: d_hat.as_ref().map(|s| s.mean * 1e4),
        rse_d,
        mean_estimated_rse_d: (!rses.is_empty()).then(|| rses.iter().sum::<f64>() / rses.len() as f64),
        relative_bias: d_hat.as_ref().map(|s| (s.mean - opts.d_per_ha) / opts.d_per_ha),
        coverage: (!ds.is_empty()).then(|| covered as f64 / ds.len() as f64),
        d_hat,
        sigma_hat: summarise(&sigmas),
        g0_hat: summarise(&g0s),
    }
}

fn usable(fit: &SecrFit) -> Result<(), Message> {
    if !fit.converged {
        return Err(Message::new(match fit.termination {
            Termination::MaxIterations => "estimation.design.fit_iterations",
            Termination::LineSearchFailed => "estimation.design.fit_line_search",
            Termination::Converged => "estimation.design.fit_not_converged",
        }));
    }
    if !(fit.d.estimate.is_finite() && fit.d.estimate > 0.0 && fit.sigma.estimate.is_finite()) {
        return Err(Message::new("estimation.design.fit_not_finite"));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Designs from the page: the loaded stations or a CSV of proposed stations

/// Where the proposed layout comes from.
pub enum Layout<'a> {
    /// The stations of the loaded catalogs.
    Catalogs(JointSurvey<'a>),
    /// A CSV of proposed stations: `id,lat,lon`, or `id,x,y` in the UTM zone of the options.
    Csv { file: &'a str, bytes: &'a [u8] },
}

/// Options of a design on a layout from the page (one serde struct, as the page sends it):
/// density per 100 km², σ in km, buffer in metres.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LayoutDesignOptions {
    pub d_per_100km2: f64,
    pub detectfn: DetectFn,
    /// g0 (HN, EX, HR) or λ0 (HHN, HEX), per occasion (or per camera-day with `occasion_days`).
    #[serde(alias = "lambda0")]
    pub g0: f64,
    pub sigma_km: f64,
    pub z: Option<f64>,
    pub detector: DetectorType,
    pub n_occasions: usize,
    pub replicates: usize,
    pub seed: u64,
    /// Mask buffer around the detectors, metres (default 4σ).
    pub buffer_m: Option<f64>,
    /// Mask spacing, metres (default: buffer extent / 64 as secr).
    pub spacing_m: Option<f64>,
    /// UTM zone, e.g. `utm:52N` (needed for `id,x,y` layouts; else from the stations' centroid).
    pub utm: Option<String>,
    /// Loaded catalogs only: use their effort (camera-days per occasion of this many days) as
    /// usage, so that g0 is per camera-day and the number of occasions is the survey's.
    pub occasion_days: Option<f64>,
}

impl Default for LayoutDesignOptions {
    fn default() -> Self {
        LayoutDesignOptions {
            d_per_100km2: 1.0,
            detectfn: DetectFn::HN,
            g0: 0.1,
            sigma_km: 5.0,
            z: None,
            detector: DetectorType::Proximity,
            n_occasions: 10,
            replicates: 0,
            seed: 1,
            buffer_m: None,
            spacing_m: None,
            utm: None,
            occasion_days: None,
        }
    }
}

/// One detector of the layout, for the map.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutStation {
    pub id: String,
    pub position: LatLon,
}

/// Result of [`design_layout`].
#[derive(Debug, Clone, Serialize)]
pub struct LayoutDesign {
    pub options: LayoutDesignOptions,
    pub utm_zone: String,
    pub stations: Vec<LayoutStation>,
    pub buffer_m: f64,
    pub mask_spacing_m: f64,
    pub report: DesignReport,
    /// Notes on how the design was built, in English.
    pub notes: Vec<String>,
    /// The same notes as messages, to show them in any language.
    pub notes_codes: Vec<Message>,
}

struct ProposedStations {
    ids: Vec<String>,
    /// Either lat/lon or x/y (metres in the given UTM zone).
    coords: Vec<(f64, f64)>,
    latlon: bool,
}

fn read_stations_csv(file: &str, bytes: &[u8]) -> Result<ProposedStations, DesignError> {
    let ferr = |message: Message| DesignError::File { file: file.into(), message };
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| ferr(Message::untranslated(e.to_string())))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').into())
        .collect();
    let col = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
    let id_col = col(&["id", "station", "detector", "trapid", "trap"]).unwrap_or(0);
    let (a, b, latlon) = match (col(&["lat", "latitude"]), col(&["lon", "lng", "longitude"]), col(&["x"]), col(&["y"]))
    {
        (Some(la), Some(lo), _, _) => (la, lo, true),
        (_, _, Some(x), Some(y)) => (x, y, false),
        _ => return Err(ferr(Message::new("estimation.design.layout_columns"))),
    };
    let (mut ids, mut coords) = (Vec::new(), Vec::new());
    for (r, rec) in rdr.records().enumerate() {
        let row = r + 2;
        let rec = rec.map_err(|e| {
            ferr(Message::new("estimation.design.layout_row").with("row", row).with("reason", e.to_string()))
        })?;
        let cell = |c: usize| rec.get(c).unwrap_or("");
        let err = |c: usize, message: Message| DesignError::Csv {
            file: file.into(),
            row,
            column: header[c].clone(),
            message,
        };
        let num = |c: usize| -> Result<f64, DesignError> {
            let v = cell(c);
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| err(c, Message::new("estimation.design.not_a_number").with("value", v)))
        };
        let id = cell(id_col).to_string();
        if id.is_empty() {
            return Err(err(id_col, Message::new("estimation.design.empty_id")));
        }
        if ids.contains(&id) {
            return Err(err(id_col, Message::new("estimation.design.repeated_id").with("id", id)));
        }
        let (u, v) = (num(a)?, num(b)?);
        if latlon {
            if !(-90.0..=90.0).contains(&u) {
                return Err(err(a, Message::new("general.coords.lat_range").with("lat", u.to_string())));
            }
            if !(-180.0..=180.0).contains(&v) {
                return Err(err(b, Message::new("general.coords.lon_range").with("lon", v.to_string())));
            }
        }
        ids.push(id);
        coords.push((u, v));
    }
    if ids.is_empty() {
        return Err(ferr(Message::new("estimation.design.no_stations")));
    }
    Ok(ProposedStations { ids, coords, latlon })
}

/// Designs a survey on a layout from the page: projects the stations to UTM, builds a
/// trap-buffer mask kept on land (inside the basemap `countries`, if any) and runs
/// [`design_survey`].
pub fn design_layout(
    layout: Layout,
    countries: &[Country],
    opts: &LayoutDesignOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<LayoutDesign, DesignError> {
    check_density(opts.d_per_100km2)?;
    if !(opts.sigma_km.is_finite() && opts.sigma_km > 0.0) {
        return Err(DesignError::Invalid(
            Message::new("estimation.design.sigma_km").with("value", opts.sigma_km.to_string()),
        ));
    }
    let mut notes: Vec<Message> = Vec::new();
    let given_utm = opts.utm.as_deref().map(Utm::read).transpose().map_err(DesignError::Crs)?;
    let pick_utm = |pos: &[LatLon]| {
        given_utm.unwrap_or_else(|| Utm::for_centroid(pos).unwrap_or(Utm::for_position(LatLon { lat: 0.0, lon: 0.0 })))
    };
    let mut n_occasions = opts.n_occasions;
    let (utm, ids, xy, positions, usage) = match layout {
        Layout::Catalogs(survey) => {
            let h = occasions::build(survey.catalogs, survey.joint, opts.occasion_days.unwrap_or(15.0))?;
            if h.stations.is_empty() {
                return Err(DesignError::Invalid(Message::new("estimation.design.catalogs_no_stations")));
            }
            let positions: Vec<LatLon> = h.stations.iter().map(|s| s.position).collect();
            let utm = pick_utm(&positions);
            let xy: Vec<(f64, f64)> = positions.iter().map(|p| utm.from_latlon(*p)).collect();
            let ids: Vec<String> = h.stations.iter().map(|s| format!("{}:{}", s.catalog, s.station)).collect();
            let usage = opts.occasion_days.map(|d| {
                n_occasions = h.occasions;
                notes.push(
                    Message::new("estimation.design.usage_note").with("n", h.occasions).with("days", d.to_string()),
                );
                h.stations.iter().map(|s| s.effort_days.clone()).collect::<Vec<_>>()
            });
            (utm, ids, xy, positions, usage)
        }
        Layout::Csv { file, bytes } => {
            let st = read_stations_csv(file, bytes)?;
            if st.latlon {
                let positions: Vec<LatLon> = st.coords.iter().map(|&(lat, lon)| LatLon { lat, lon }).collect();
                let utm = pick_utm(&positions);
                let xy = positions.iter().map(|p| utm.from_latlon(*p)).collect();
                (utm, st.ids, xy, positions, None)
            } else {
                let utm = given_utm.ok_or_else(|| DesignError::File {
                    file: file.into(),
                    message: Message::new("estimation.design.xy_needs_zone"),
                })?;
                let positions = st
                    .coords
                    .iter()
                    .map(|&(x, y)| utm.position(x, y))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| DesignError::File { file: file.into(), message: e })?;
                (utm, st.ids, st.coords, positions, None)
            }
        }
    };
    let utm_zone = utm.to_string();
    let (xs, ys): (Vec<f64>, Vec<f64>) = xy.into_iter().unzip();
    let traps = Traps::new(ids.clone(), xs, ys, usage)?;
    let sigma = opts.sigma_km * 1000.0;
    let buffer = opts.buffer_m.unwrap_or(4.0 * sigma);
    let full = Mask::trap_buffer(&traps, buffer, opts.spacing_m)?;
    let spacing = full.spacing();
    let (mut mx, mut my) = (Vec::new(), Vec::new());
    for (&x, &y) in full.x().iter().zip(full.y()) {
        let on_land = countries.is_empty()
            || utm.to_latlon(x, y).is_ok_and(|p| countries.iter().any(|c| c.shape.contains(&Point::new(p.lon, p.lat))));
        if on_land {
            mx.push(x);
            my.push(y);
        }
    }
    if mx.is_empty() {
        return Err(DesignError::NoLand);
    }
    if mx.len() < full.len() {
        notes.push(Message::new("estimation.mask.off_land").with("off", full.len() - mx.len()).with("n", full.len()));
    }
    let mask = Mask::new(mx, my, spacing)?;
    let design = DesignOptions {
        d_per_ha: opts.d_per_100km2 / 1e4,
        detectfn: opts.detectfn,
        g0: opts.g0,
        sigma,
        z: opts.z,
        detector: opts.detector,
        n_occasions,
        replicates: opts.replicates,
        seed: opts.seed,
    };
    let report = design_survey_with_progress(&traps, &mask, &design, progress)?;
    let stations = ids.into_iter().zip(positions).map(|(id, position)| LayoutStation { id, position }).collect();
    Ok(LayoutDesign {
        options: opts.clone(),
        utm_zone,
        stations,
        buffer_m: buffer,
        mask_spacing_m: spacing,
        report,
        notes: notes.iter().map(Message::to_string).collect(),
        notes_codes: notes,
    })
}
