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
//!   density per session ([`fit_secr_sessions`]), and an AIC model table ([`model_table`]).
//!
//! Parameters are estimated on the link scale (log D, logit g0 or log lambda0, log sigma, log z).
//! For the full likelihood with homogeneous density the profile over D is the conditional
//! likelihood plus a constant, so the detection coefficients are found by BFGS (argmin) on the
//! profile likelihood with an analytic (hand-coded reverse-mode) gradient, and D̂ = n / a(θ̂). The
//! covariance of the link-scale estimates is the inverse of a finite-difference Hessian of the
//! negative log-likelihood computed exactly as R's `nlm` does (forward differences, step
//! 1e-4·max(β, 1)), which is what secr reports; [`HessianMethod::Central`] gives a more accurate
//! central-difference Hessian instead.
//!
//! Reported log-likelihood: for multi-catch traps the occasion-by-occasion likelihood (secr has no
//! collapsing for them); for proximity and count detectors secr's default collapsed
//! ("fastproximity") form unless `fast_proximity` is false. Both include secr's multinomial
//! constant log(n!) − Σ log(n_ω!) over distinct histories, so logLik and AIC equal secr's.
//!
//! Modules: [`detectfn`] (detection functions), `engine` (histories → likelihood terms),
//! `likelihood` (the log-likelihood and its gradient), `problem` (link functions, one
//! component), `sessions` (groups and sessions), `optimise` (argmin BFGS), `hessian`
//! (covariance), `start` (starting values), `fit` (assembly), `result` and `table` (outputs).
//! The data types live in [`crate::model::secr`] and their readers in `io`.

pub mod detectfn;
mod engine;
mod fit;
mod formula;
mod hessian;
mod likelihood;
mod optimise;
mod problem;
mod result;
mod sessions;
mod spec;
mod start;
mod table;
#[cfg(test)]
mod testutil;

pub use crate::model::secr::{Capthist, Detection, DetectorType, Mask, SecrError, Traps};
pub use detectfn::DetectFn;
pub use fit::{fit_secr, fit_secr_sessions, secr_loglik, secr_loglik_part, secr_loglik_sessions};
pub use formula::NewData;
pub use result::{
    DensitySurface, GroupEstimate, Prediction, RealParam, RegionN, SecrFit, SessionEstimate, Termination,
};
pub use spec::{GroupModel, HessianMethod, Optimiser, RealParameters, SecrModel, SessionData, StartValues};
pub use table::{model_table, ModelTableRow};
