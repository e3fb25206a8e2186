//! What a fit returns: real parameters with SEs and Wald intervals back-transformed from the
//! link scale as secr does (delta method: p(1−p)·SE for logit, exp(β)·√(exp(SE²)−1) for log),
//! the log-likelihood and AIC, the link-scale coefficients with their covariance, and why the
//! optimiser stopped. Serde shapes are what the CLI prints as JSON and the page shows.

use super::{DetectFn, DetectorType};
use serde::{Deserialize, Serialize};

/// 97.5% quantile of the standard normal.
pub(crate) const Z975: f64 = 1.959963984540054;

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

/// Real parameters of one group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupEstimate {
    pub group: String,
    pub n_animals: usize,
    /// Density of the group (per ha); derived under the conditional likelihood.
    #[serde(rename = "D")]
    pub d: RealParam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0: Option<RealParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda0: Option<RealParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0_b: Option<RealParam>,
    pub sigma: RealParam,
    /// Effective sampling area of the group (ha).
    pub esa_ha: f64,
}

/// Density and counts of one session.
#[derive(Clone, Debug, Serialize)]
pub struct SessionEstimate {
    pub session: String,
    pub n_animals: usize,
    pub n_detections: usize,
    pub mask_points: usize,
    /// Density per ha, summed over groups.
    #[serde(rename = "D")]
    pub d: RealParam,
    /// Per-group estimates in this session (grouped models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupEstimate>>,
}

/// Result of [`super::fit_secr`] and [`super::fit_secr_sessions`].
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

/// Real parameter of a log-link coefficient: exp(β), SE exp(β)·√(exp(SE²) − 1) (secr's
/// `se.untransform`), Wald limits exp(β ± 1.96 SE).
pub(crate) fn real_log(beta: f64, se: Option<f64>) -> RealParam {
    let est = beta.exp();
    RealParam {
        estimate: est,
        se: se.map(|s| est * ((s * s).exp() - 1.0).sqrt()),
        lcl: se.map(|s| (beta - Z975 * s).exp()),
        ucl: se.map(|s| (beta + Z975 * s).exp()),
    }
}

/// Real parameter of a logit-link coefficient: p = 1/(1 + e^−β), SE p(1−p)·SE, Wald limits on
/// the logit scale.
pub(crate) fn real_logit(beta: f64, se: Option<f64>) -> RealParam {
    let inv = |b: f64| 1.0 / (1.0 + (-b).exp());
    let est = inv(beta);
    RealParam {
        estimate: est,
        se: se.map(|s| est * (1.0 - est) * s),
        lcl: se.map(|s| inv(beta - Z975 * s)),
        ucl: se.map(|s| inv(beta + Z975 * s)),
    }
}

/// A positive estimate with its SE and a log-normal 95% interval (secr's derived densities
/// and region.N): est / c, est · c with c = exp(1.96 √log(1 + (SE/est)²)).
pub(crate) fn lognormal(est: f64, se: Option<f64>) -> RealParam {
    let c = se.map(|s| (Z975 * (1.0 + (s / est).powi(2)).ln().sqrt()).exp());
    RealParam { estimate: est, se, lcl: c.map(|c| est / c), ucl: c.map(|c| est * c) }
}
