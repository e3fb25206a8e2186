//! What to fit: the data of each session ([`SessionData`]), which parameters vary by group
//! ([`GroupModel`]), the model specification ([`SecrModel`], one serde struct as the page and the
//! CLI send it), starting values and real parameters for evaluating the likelihood.

use super::{Capthist, DetectFn, DetectorType, Mask, SecrError, Traps};
use serde::{Deserialize, Serialize};

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
    /// Maximum optimiser iterations.
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
    /// Which optimiser finds the MLE.
    pub optimiser: Optimiser,
    /// Model formulas in secr's notation, e.g. `["D ~ elev + session", "g0 ~ trail"]` (empty:
    /// D per session, detection shared, or the [`SecrModel::groups`] layout). Mask covariates,
    /// `x`, `y`, `x2`, `y2`, `xy`, `session`, `Session`, `g` for D; detector covariates,
    /// `session`, `Session`, `g`, `b` for g0/λ0, σ and z.
    #[serde(alias = "model")]
    pub formulas: Vec<String>,
    /// Extra covariate values at which to predict the real parameters (besides secr's
    /// defaults), e.g. `[[("elev", "1200")], [("trail", "on")]]`.
    pub newdata: Vec<super::NewData>,
    /// nlm's `typsize` per coefficient (in the order of the fit's `beta_names`): the optimiser
    /// and the Hessian's steps work on β / typsize. None: 1 for every coefficient except slopes
    /// on covariates beyond ±10, which get 1 / max |covariate|.
    pub typsize: Option<Vec<f64>>,
    /// Also return the fitted density surface (D and SE at every mask point, per session): a
    /// map layer.
    pub surface: bool,
}

/// The optimiser of the detection coefficients (densities are profiled out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Optimiser {
    /// argmin's BFGS with a backtracking (Armijo) line search.
    #[default]
    Argmin,
    /// The project's own BFGS (step-limited, backtracking), kept for the side-by-side benchmark.
    Bfgs,
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
            optimiser: Optimiser::default(),
            formulas: Vec::new(),
            newdata: Vec::new(),
            surface: false,
            typsize: None,
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

/// Which parameters differ between groups (`D ~ g`, `g0 ~ g` (or lambda0), `sigma ~ g`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupModel {
    #[serde(rename = "D")]
    pub d: bool,
    pub g0: bool,
    pub sigma: bool,
}

impl GroupModel {
    /// Parses a comma-separated list of parameters that vary by group: "D", "g0" (or
    /// "lambda0"), "sigma"; "" or "none" for none.
    ///
    /// ```
    /// use borderless::estimation::secr::GroupModel;
    /// assert_eq!(GroupModel::parse("sigma, D").unwrap(), GroupModel { d: true, g0: false, sigma: true });
    /// ```
    pub fn parse(s: &str) -> Result<Self, SecrError> {
        let mut m = Self::default();
        for p in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match p.to_ascii_lowercase().as_str() {
                "d" | "density" => m.d = true,
                "g0" | "lambda0" => m.g0 = true,
                "sigma" => m.sigma = true,
                "none" => {}
                _ => return Err(SecrError::Invalid(format!("'{p}' cannot vary by group (D, g0, lambda0 or sigma)"))),
            }
        }
        Ok(m)
    }
}

/// One session of a multi-session survey: its own detectors, capture histories and mask.
#[derive(Clone, Debug)]
pub struct SessionData {
    pub name: String,
    pub traps: Traps,
    pub capthist: Capthist,
    pub mask: Mask,
}
