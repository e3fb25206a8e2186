//! Closed-population capture–recapture models fitted as Rcapture's `closedp.t` fits them.
//!
//! Every model is a Poisson log-linear model (GLM, log link) on the frequencies of the
//! `2^t − 1` observable capture histories (Cormack 1989; Rivest & Baillargeon / Baillargeon &
//! Rivest 2007, *J. Stat. Softw.* 19(5)). The intercept estimates the log of the number of
//! animals never caught, so for the M0, Mt, Mh and Mth models N̂ = n + exp(β̂₀) and, by the delta
//! method, SE(N̂) = √(exp(β̂₀) + exp(2β̂₀)·Var(β̂₀)) (Rivest & Lévesque 2001). Mb and Mbh use
//! the closed forms of Rcapture (see [`ClosedModel::Mb`] and [`ClosedModel::Mbh`]).
//!
//! The design columns, as functions of a history `x = (x₁, …, x_t)` with `k = Σ xⱼ` captures:
//!
//! | model | columns besides the intercept |
//! |---|---|
//! | M0 | `k` |
//! | Mt | `x₁, …, x_t` |
//! | Mh Chao (LB) | `k`, `ηⱼ = max(k − j + 1, 0)` for `j = 3..t` (Rivest & Baillargeon 2007) |
//! | Mh Poisson2 | `k`, `2^k − 1` |
//! | Mh Darroch | `k`, `k²/2` |
//! | Mh Gamma3.5 | `k`, `−log(3.5 + k) + log(3.5)` |
//! | Mth … | `x₁, …, x_t` and the same heterogeneity column(s) |
//! | Mb | captures before the first capture, `k − 1` |
//! | Mbh | `1 − x₁`, captures before the first capture, `k − 1` |
//!
//! For the Chao lower-bound models a negative `η` is set to zero (its column is removed and the
//! model refitted, first negative first), as Rcapture does with `neg = TRUE`; the removed
//! columns are listed in [`ClosedFit::removed_eta`].
//!
//! The fit is iteratively reweighted least squares done exactly as R's `glm.fit` does it
//! (start μ = y + 0.1, convergence when |D − D_old|/(|D| + 0.1) < 1e-8, at most 25 iterations,
//! covariance from the weighted QR of the last iteration), so that the numbers agree with
//! Rcapture to many digits. Deviance is against the saturated model; AIC = −2·log L + 2p on the
//! Poisson likelihood of the observed frequencies and BIC = −2·log L + log(n)·p with `n` the
//! number of animals caught (Rcapture's definitions).
//!
//! ```
//! use borderless::estimation::closed::{fit, CaptureHistories, ClosedModel};
//!
//! let rows = vec![
//!     vec![1, 0, 1], vec![1, 1, 0], vec![0, 1, 1], vec![1, 0, 0], vec![0, 1, 0],
//!     vec![0, 0, 1], vec![1, 1, 1], vec![1, 0, 0], vec![0, 1, 0], vec![0, 0, 1],
//! ];
//! let h = CaptureHistories::new(rows).unwrap();
//! let m0 = fit(&h, ClosedModel::M0).unwrap();
//! assert_eq!(m0.model, "M0");
//! assert!(m0.abundance >= 10.0 && m0.se > 0.0);
//! ```

use crate::model::message::Message;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Standard normal quantile used for the 95% intervals (Chao 1987 uses 1.96).
const Z95: f64 = 1.96;

pub use crate::model::histories::{CaptureHistories, HistoryError, MAX_OCCASIONS};

/// History `idx` of Rcapture's ordering as 0/1 values.
fn history(idx: usize, t: usize) -> Vec<f64> {
    (0..t).map(|j| if (idx >> (t - 1 - j)) & 1 == 1 { 0.0 } else { 1.0 }).collect()
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/// The twelve models of Rcapture's `closedp.t`, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ClosedModel {
    /// Constant capture probability.
    M0,
    /// Capture probability varying with the occasion.
    Mt,
    /// Heterogeneity, Chao's lower bound as a log-linear model (Rivest & Baillargeon 2007).
    MhChao,
    /// Heterogeneity, Poisson column `2^k − 1` (Rivest & Lévesque 2001).
    MhPoisson2,
    /// Heterogeneity, Darroch column `k²/2` (Darroch et al. 1993).
    MhDarroch,
    /// Heterogeneity, gamma column `−log(3.5 + k) + log(3.5)` (Rivest & Lévesque 2001).
    MhGamma35,
    /// Time and heterogeneity, Chao lower bound.
    MthChao,
    /// Time and heterogeneity, Poisson2.
    MthPoisson2,
    /// Time and heterogeneity, Darroch.
    MthDarroch,
    /// Time and heterogeneity, Gamma3.5.
    MthGamma35,
    /// Behavioural response (trap-happy/shy). Coefficients (β₀, β₁ on captures before the first,
    /// β₂ on recaptures); N̂ = e^β₀ (1 + e^β₂)^t / (1 + e^β₂ − e^β₁), SE as Rcapture computes it:
    /// √(vᵀ V v − N̂) with v the gradient of N̂ (Rivest & Baillargeon 2007).
    Mb,
    /// Behavioural response and heterogeneity (Rcapture's `Mbh`, Rivest & Baillargeon 2007).
    Mbh,
}

impl ClosedModel {
    /// All twelve models, in Rcapture's order.
    pub const ALL: [ClosedModel; 12] = [
        ClosedModel::M0,
        ClosedModel::Mt,
        ClosedModel::MhChao,
        ClosedModel::MhPoisson2,
        ClosedModel::MhDarroch,
        ClosedModel::MhGamma35,
        ClosedModel::MthChao,
        ClosedModel::MthPoisson2,
        ClosedModel::MthDarroch,
        ClosedModel::MthGamma35,
        ClosedModel::Mb,
        ClosedModel::Mbh,
    ];

    /// Rcapture's name for the model (e.g. `"Mh Chao (LB)"`).
    ///
    /// ```
    /// use borderless::estimation::closed::ClosedModel;
    /// assert_eq!(ClosedModel::MthGamma35.name(), "Mth Gamma3.5");
    /// assert_eq!("mhc".parse::<ClosedModel>().unwrap(), ClosedModel::MhChao);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ClosedModel::M0 => "M0",
            ClosedModel::Mt => "Mt",
            ClosedModel::MhChao => "Mh Chao (LB)",
            ClosedModel::MhPoisson2 => "Mh Poisson2",
            ClosedModel::MhDarroch => "Mh Darroch",
            ClosedModel::MhGamma35 => "Mh Gamma3.5",
            ClosedModel::MthChao => "Mth Chao (LB)",
            ClosedModel::MthPoisson2 => "Mth Poisson2",
            ClosedModel::MthDarroch => "Mth Darroch",
            ClosedModel::MthGamma35 => "Mth Gamma3.5",
            ClosedModel::Mb => "Mb",
            ClosedModel::Mbh => "Mbh",
        }
    }

    /// Rcapture's short name (`"MhC"`, `"MthG"`, …).
    pub fn short_name(self) -> &'static str {
        match self {
            ClosedModel::M0 => "M0",
            ClosedModel::Mt => "Mt",
            ClosedModel::MhChao => "MhC",
            ClosedModel::MhPoisson2 => "MhP",
            ClosedModel::MhDarroch => "MhD",
            ClosedModel::MhGamma35 => "MhG",
            ClosedModel::MthChao => "MthC",
            ClosedModel::MthPoisson2 => "MthP",
            ClosedModel::MthDarroch => "MthD",
            ClosedModel::MthGamma35 => "MthG",
            ClosedModel::Mb => "Mb",
            ClosedModel::Mbh => "Mbh",
        }
    }

    /// Least number of occasions the model needs (Rcapture fits only M0, Mt and Mb when t = 2).
    pub fn min_occasions(self) -> usize {
        match self {
            ClosedModel::M0 | ClosedModel::Mt | ClosedModel::Mb => 2,
            _ => 3,
        }
    }

    fn time_effects(self) -> bool {
        matches!(
            self,
            ClosedModel::Mt
                | ClosedModel::MthChao
                | ClosedModel::MthPoisson2
                | ClosedModel::MthDarroch
                | ClosedModel::MthGamma35
        )
    }

    fn heterogeneity(self) -> bool {
        !matches!(self, ClosedModel::M0 | ClosedModel::Mt | ClosedModel::Mb | ClosedModel::Mbh)
    }

    fn is_chao(self) -> bool {
        matches!(self, ClosedModel::MhChao | ClosedModel::MthChao)
    }
}

impl fmt::Display for ClosedModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ClosedModel {
    type Err = String;
    /// Accepts Rcapture's long or short names, case- and space-insensitively.
    fn from_str(s: &str) -> Result<Self, String> {
        let key: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        ClosedModel::ALL
            .into_iter()
            .find(|m| {
                let long: String = m.name().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
                key == long || key == m.short_name().to_lowercase()
            })
            .ok_or_else(|| {
                let names: Vec<&str> = ClosedModel::ALL.iter().map(|m| m.short_name()).collect();
                Message::new("estimation.closed.unknown_model")
                    .with("model", s)
                    .with("known", names.join(", "))
                    .to_string()
            })
    }
}

/// One column of a design matrix, with Rcapture's coefficient name.
struct Column {
    name: String,
    values: Vec<f64>,
}

/// The design (without the intercept) of `model` for `t` occasions, and `nca`, the number of
/// leading coefficients (intercept included) that do not model heterogeneity.
fn design(model: ClosedModel, t: usize) -> (Vec<Column>, usize) {
    let rows = (1usize << t) - 1;
    let hist: Vec<Vec<f64>> = (0..rows).map(|i| history(i, t)).collect();
    let k: Vec<f64> = hist.iter().map(|h| h.iter().sum()).collect();
    let col =
        |name: &str, f: &dyn Fn(usize) -> f64| Column { name: name.to_string(), values: (0..rows).map(f).collect() };
    let mut cols = Vec::new();
    if model.time_effects() {
        cols.extend((0..t).map(|j| col(&format!("beta{}", j + 1), &|i| hist[i][j])));
    } else if matches!(model, ClosedModel::Mb | ClosedModel::Mbh) {
        // Captures before the first capture (Rcapture's nbcap_av) and after it (nbcap_ap).
        let before = |i: usize| hist[i].iter().position(|&x| x == 1.0).unwrap_or(t) as f64;
        if model == ClosedModel::Mbh {
            cols.push(col("eta", &|i| 1.0 - hist[i][0]));
        }
        cols.push(col("beta1", &before));
        cols.push(col("beta2", &|i| k[i] - 1.0));
    } else {
        cols.push(col("beta", &|i| k[i]));
    }
    let nca = cols.len() + 1;
    match model {
        ClosedModel::MhChao | ClosedModel::MthChao => {
            for j in 3..=t {
                cols.push(col(&format!("eta{j}"), &|i| (k[i] - j as f64 + 1.0).max(0.0)));
            }
        }
        ClosedModel::MhPoisson2 | ClosedModel::MthPoisson2 => cols.push(col("tau", &|i| 2f64.powf(k[i]) - 1.0)),
        ClosedModel::MhDarroch | ClosedModel::MthDarroch => cols.push(col("tau", &|i| k[i] * k[i] / 2.0)),
        ClosedModel::MhGamma35 | ClosedModel::MthGamma35 => {
            cols.push(col("tau", &|i| -(3.5 + k[i]).ln() + 3.5f64.ln()))
        }
        _ => {}
    }
    (cols, nca)
}

// ---------------------------------------------------------------------------------------------
// Results and errors
// ---------------------------------------------------------------------------------------------

/// Why IRLS stopped. Always reported, never hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// |D − D_old| / (|D| + 0.1) < 1e-8 (R's `glm.control` default).
    Converged,
    /// 25 iterations (R's default `maxit`) without meeting the criterion.
    MaxIterations,
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Termination::Converged => "converged",
            Termination::MaxIterations => "max_iterations",
        })
    }
}

/// A fitted coefficient of the log-linear model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    /// Rcapture's name (`Intercept`, `beta`, `beta1`, `eta3`, `tau`, …).
    pub name: String,
    pub estimate: f64,
    pub stderr: f64,
}

/// One fitted model: the row of Rcapture's `closedp.t` table and more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedFit {
    /// Rcapture's model name, e.g. `"Mh Chao (LB)"`.
    pub model: String,
    /// Number of occasions.
    pub t: usize,
    /// Number of animals seen.
    pub n: usize,
    /// Abundance estimate N̂.
    #[serde(rename = "N")]
    pub abundance: f64,
    /// Standard error of N̂ (delta method).
    pub se: f64,
    /// Deviance against the saturated model.
    pub deviance: f64,
    /// Residual degrees of freedom: `2^t − 1` minus the number of coefficients.
    pub df: usize,
    pub aic: f64,
    pub bic: f64,
    /// 95% log-normal interval of Chao (1987): n + (N̂ − n)/C and n + (N̂ − n)·C with
    /// C = exp(1.96·√log(1 + SE²/(N̂ − n)²)). `None` (with a warning) when N̂ − n ≤ 0.
    pub lcl: Option<f64>,
    pub ucl: Option<f64>,
    /// Rcapture's asymptotic bias of exp(β̂₀) (`closedp.t`'s `bias`), for M0, Mt, Mb and Mbh
    /// (Rcapture reports NA for the heterogeneity models); `None` there or if not finite.
    pub bias: Option<f64>,
    pub converged: bool,
    pub iterations: usize,
    pub termination: Termination,
    /// Rcapture-style `infoFit` code: 0 = no warning; digits 1 = non-convergence, large
    /// asymptotic bias or a boundary fit where N is not identifiable (no recaptures, or more
    /// than 100·n unseen animals), 3 = other warnings (e.g. fitted frequencies numerically 0).
    pub info_fit: u32,
    /// Warnings explaining `info_fit`, and other notes about this fit (in English).
    pub warnings: Vec<String>,
    /// The same warnings as messages, to show them in any language.
    pub warnings_codes: Vec<Message>,
    /// Chao models: η parameters set to zero because they were estimated negative.
    pub removed_eta: Vec<String>,
    pub coefficients: Vec<Coefficient>,
}

/// Why a model could not be fitted or gave no usable estimate.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
pub enum ClosedError {
    #[error("{model}: needs at least {needed} occasions, the histories have {t}")]
    TooFewOccasions { model: &'static str, needed: usize, t: usize },
    #[error("{model}: design matrix not of full rank (column '{column}' is aliased)")]
    Singular { model: &'static str, column: String },
    #[error("{model}: no valid set of coefficients (the deviance is not finite at the start)")]
    NoValidStart { model: &'static str },
    #[error("{model}: the deviance stayed infinite after step halving (IRLS cannot correct the step)")]
    StepHalvingFailed { model: &'static str },
    #[error("{model}: {what} is not a finite number: {why}")]
    NotIdentifiable { model: &'static str, what: &'static str, why: Message },
}

impl ClosedError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            ClosedError::TooFewOccasions { model, needed, t } => Message::new("estimation.closed.too_few_occasions")
                .with("model", *model)
                .with("needed", *needed)
                .with("t", *t),
            ClosedError::Singular { model, column } => {
                Message::new("estimation.closed.singular").with("model", *model).with("column", column)
            }
            ClosedError::NoValidStart { model } => Message::new("estimation.closed.no_start").with("model", *model),
            ClosedError::StepHalvingFailed { model } => {
                Message::new("estimation.closed.step_halving").with("model", *model)
            }
            ClosedError::NotIdentifiable { model, what, why } => Message::new("estimation.closed.not_finite")
                .with("model", *model)
                .with("what", *what)
                .with("why", why.clone()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IRLS (as R's glm.fit for the Poisson family with log link)
// ---------------------------------------------------------------------------------------------

const GLM_EPSILON: f64 = 1e-8;
const GLM_MAXIT: usize = 25;
/// Rank tolerance of R's `Cdqrls` call in `glm.fit`: min(1e-7, epsilon/1000).
const QR_TOL: f64 = 1e-11;

struct GlmFit {
    coef: Vec<f64>,
    cov: Vec<Vec<f64>>,
    mu: Vec<f64>,
    deviance: f64,
    loglik: f64,
    iterations: usize,
    termination: Termination,
    warnings: Vec<Message>,
}

fn poisson_deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y.iter().zip(mu).map(|(&y, &m)| if y > 0.0 { y * (y / m).ln() - (y - m) } else { m }).sum::<f64>()
}

/// log(y!) for a non-negative integer count.
fn ln_factorial(y: f64) -> f64 {
    let mut s = 0.0;
    let mut i = 2.0;
    while i <= y {
        s += f64::ln(i);
        i += 1.0;
    }
    s
}

fn linkinv(eta: f64) -> f64 {
    eta.exp().max(f64::EPSILON)
}

/// Least squares by Householder QR of `a` (columns), refusing a column whose norm falls below
/// `QR_TOL` times its original norm (R's `dqrdc2` would pivot it out). Returns the coefficients
/// and the upper-triangular `R` (row-major, `p × p`).
fn qr_least_squares(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Result<(Vec<f64>, Vec<Vec<f64>>), usize> {
    let p = a.len();
    let m = b.len();
    let orig: Vec<f64> = a.iter().map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt()).collect();
    for j in 0..p {
        let norm = a[j][j..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm.is_nan() || norm <= QR_TOL * orig[j] || orig[j] == 0.0 {
            return Err(j);
        }
        let alpha = if a[j][j] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = a[j][j..].to_vec();
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|x| x * x).sum();
        if vnorm2 > 0.0 {
            for col in a.iter_mut().skip(j) {
                let s: f64 = v.iter().zip(&col[j..]).map(|(x, y)| x * y).sum::<f64>() * 2.0 / vnorm2;
                for (c, x) in col[j..].iter_mut().zip(&v) {
                    *c -= s * x;
                }
            }
            let s: f64 = v.iter().zip(&b[j..]).map(|(x, y)| x * y).sum::<f64>() * 2.0 / vnorm2;
            for (c, x) in b[j..].iter_mut().zip(&v) {
                *c -= s * x;
            }
        }
        debug_assert!(j < m);
    }
    let r: Vec<Vec<f64>> = (0..p).map(|i| (0..p).map(|j| if j >= i { a[j][i] } else { 0.0 }).collect()).collect();
    let mut coef = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|j| r[i][j] * coef[j]).sum();
        coef[i] = (b[i] - s) / r[i][i];
    }
    Ok((coef, r))
}

/// (RᵀR)⁻¹ for an upper-triangular R (R's `chol2inv`).
fn chol2inv(r: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let p = r.len();
    // Rinv, upper triangular.
    let mut rinv = vec![vec![0.0; p]; p];
    for j in 0..p {
        rinv[j][j] = 1.0 / r[j][j];
        for i in (0..j).rev() {
            let s: f64 = (i + 1..=j).map(|k| r[i][k] * rinv[k][j]).sum();
            rinv[i][j] = -s / r[i][i];
        }
    }
    let mut out = vec![vec![0.0; p]; p];
    for i in 0..p {
        for j in 0..p {
            out[i][j] = (i.max(j)..p).map(|k| rinv[i][k] * rinv[j][k]).sum();
        }
    }
    out
}

/// Poisson log-linear GLM with an intercept and the columns `x`, fitted like R's `glm.fit`.
fn glm_poisson(model: &'static str, y: &[f64], x: &[&Column]) -> Result<GlmFit, ClosedError> {
    let m = y.len();
    let p = x.len() + 1;
    let eta_of = |beta: &[f64]| -> Vec<f64> {
        (0..m).map(|i| beta[0] + x.iter().zip(&beta[1..]).map(|(c, b)| c.values[i] * b).sum::<f64>()).collect()
    };
    let mut mu: Vec<f64> = y.iter().map(|v| v + 0.1).collect();
    let mut eta: Vec<f64> = mu.iter().map(|v| v.ln()).collect();
    let mut devold = poisson_deviance(y, &mu);
    let mut coefold: Option<Vec<f64>> = None;
    let mut last_r = Vec::new();
    let mut beta = vec![0.0; p];
    let mut termination = Termination::MaxIterations;
    let mut iterations = 0;
    for iter in 1..=GLM_MAXIT {
        iterations = iter;
        // Working response and weights: z = η + (y − μ)/μ, w = √μ.
        let w: Vec<f64> = eta.iter().map(|&e| linkinv(e).sqrt()).collect();
        let z: Vec<f64> = (0..m).map(|i| eta[i] + (y[i] - mu[i]) / linkinv(eta[i])).collect();
        let mut a = Vec::with_capacity(p);
        a.push(w.clone());
        for c in x {
            a.push(c.values.iter().zip(&w).map(|(v, w)| v * w).collect());
        }
        let b: Vec<f64> = z.iter().zip(&w).map(|(z, w)| z * w).collect();
        let (start, r) = qr_least_squares(a, b).map_err(|j| ClosedError::Singular {
            model,
            column: if j == 0 { "Intercept".into() } else { x[j - 1].name.clone() },
        })?;
        last_r = r;
        beta = start;
        eta = eta_of(&beta);
        mu = eta.iter().map(|&e| linkinv(e)).collect();
        let mut dev = poisson_deviance(y, &mu);
        if !dev.is_finite() {
            let old = coefold.as_ref().ok_or(ClosedError::NoValidStart { model })?;
            let mut ii = 0;
            while !dev.is_finite() {
                if ii > GLM_MAXIT {
                    return Err(ClosedError::StepHalvingFailed { model });
                }
                ii += 1;
                beta = beta.iter().zip(old).map(|(s, o)| (s + o) / 2.0).collect();
                eta = eta_of(&beta);
                mu = eta.iter().map(|&e| linkinv(e)).collect();
                dev = poisson_deviance(y, &mu);
            }
        }
        if (dev - devold).abs() / (dev.abs() + 0.1) < GLM_EPSILON {
            termination = Termination::Converged;
            break;
        }
        devold = dev;
        coefold = Some(beta.clone());
    }
    let deviance = poisson_deviance(y, &mu);
    let loglik: f64 = y.iter().zip(&mu).map(|(&y, &m)| y * m.ln() - m - ln_factorial(y)).sum();
    let mut warnings = Vec::new();
    if termination != Termination::Converged {
        warnings.push(Message::new("estimation.closed.glm_not_converged").with("n", GLM_MAXIT));
    }
    if mu.iter().any(|&v| v < 10.0 * f64::EPSILON) {
        warnings.push(Message::new("estimation.closed.glm_zero_rates"));
    }
    Ok(GlmFit { coef: beta, cov: chol2inv(&last_r), mu, deviance, loglik, iterations, termination, warnings })
}

// ---------------------------------------------------------------------------------------------
// Fitting
// ---------------------------------------------------------------------------------------------

/// Chao (1987) log-normal 95% interval for N̂ given the number seen `n`.
///
/// Returns `None` when N̂ − n ≤ 0 or the SE is not finite (the interval is then undefined).
///
/// ```
/// use borderless::estimation::closed::lognormal_ci;
/// let (l, u) = lognormal_ci(68.0, 75.4336186292542, 3.45499994181963).unwrap();
/// assert!(l > 68.0 && l < 75.43 && u > 75.44);
/// ```
pub fn lognormal_ci(n: f64, abundance: f64, se: f64) -> Option<(f64, f64)> {
    let f0 = abundance - n;
    if f0.is_nan() || f0 <= 0.0 || !se.is_finite() || se < 0.0 {
        return None;
    }
    let c = (Z95 * (1.0 + se * se / (f0 * f0)).ln().sqrt()).exp();
    let (l, u) = (n + f0 / c, n + f0 * c);
    (l.is_finite() && u.is_finite()).then_some((l, u))
}

/// Fits one model to the histories.
///
/// ```
/// use borderless::estimation::closed::{fit, CaptureHistories, ClosedModel};
///
/// let rows = [[1u8, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 1], [1, 0, 0, 0], [0, 1, 0, 0],
///             [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]];
/// let h = CaptureHistories::new(rows).unwrap();
/// let mt = fit(&h, ClosedModel::Mt).unwrap();
/// assert_eq!((mt.model.as_str(), mt.df), ("Mt", 15 - 5));
/// assert!(mt.converged && mt.abundance > 10.0);
/// ```
pub fn fit(histories: &CaptureHistories, model: ClosedModel) -> Result<ClosedFit, ClosedError> {
    let t = histories.occasions();
    let name = model.name();
    if t < model.min_occasions() {
        return Err(ClosedError::TooFewOccasions { model: name, needed: model.min_occasions(), t });
    }
    let n = histories.animals();
    let y = histories.history_frequencies();
    let (cols, nca) = design(model, t);
    let mut keep: Vec<&Column> = cols.iter().collect();
    let mut g = glm_poisson(name, &y, &keep)?;
    let mut warnings: Vec<Message> = Vec::new();
    let mut removed_eta = Vec::new();
    if model.is_chao() {
        // Set negative η to zero, the first (leftmost) negative one at a time (Rcapture's Chao.neg).
        while let Some(pos) = (nca..g.coef.len()).find(|&j| g.coef[j] < 0.0) {
            let mut trial = keep.clone();
            let removed = trial.remove(pos - 1);
            match glm_poisson(name, &y, &trial) {
                Ok(g2) => {
                    removed_eta.push(removed.name.clone());
                    keep = trial;
                    g = g2;
                }
                Err(e) => {
                    warnings.push(
                        Message::new("estimation.closed.eta_kept").with("eta", &removed.name).with("why", e.message()),
                    );
                    break;
                }
            }
        }
    }
    warnings.extend(g.warnings.iter().cloned());
    let p = g.coef.len();
    let b = &g.coef;
    let v = &g.cov;
    let e0 = b[0].exp();
    let tf = t as f64;
    let not_finite = |what: &'static str, why: Message| ClosedError::NotIdentifiable { model: name, what, why };
    let den_not_positive = |den: f64| Message::new("estimation.closed.den_not_positive").with("den", den.to_string());
    let (abundance, var) = match model {
        ClosedModel::Mb => {
            let (e1, e2) = (b[1].exp(), b[2].exp());
            let den = 1.0 + e2 - e1;
            if den.is_nan() || den <= 0.0 {
                return Err(not_finite("N", den_not_positive(den)));
            }
            let nh = e0 * (1.0 + e2).powf(tf) / den;
            let grad = [nh, nh * e1 / den, nh * (tf * e2 / (1.0 + e2) - e2 / den)];
            (nh, quad(&grad, v) - nh)
        }
        ClosedModel::Mbh => {
            let (e2, e3) = (b[2].exp(), b[3].exp());
            let den = 1.0 + e3 - e2;
            if den.is_nan() || den <= 0.0 {
                return Err(not_finite("N", den_not_positive(den)));
            }
            let a = (b[1] + b[2]).exp() / den;
            let scale = e0 * (1.0 + e3).powf(tf - 1.0);
            let nh = scale * (1.0 + a);
            let grad = [
                scale * (1.0 + a),
                scale * a,
                scale * (a + (b[1] + 2.0 * b[2]).exp() / (den * den)),
                scale * ((tf - 1.0) * e3 / (1.0 + e3) - (b[1] + b[2] + b[3]).exp() / (den * den)),
            ];
            (nh, quad(&grad, v) - nh)
        }
        _ => (n as f64 + e0, e0 + e0 * e0 * v[0][0]),
    };
    if !abundance.is_finite() {
        return Err(not_finite("N", Message::new("estimation.closed.overflow").with("intercept", b[0].to_string())));
    }
    if !var.is_finite() || var < 0.0 {
        return Err(not_finite("SE", Message::new("estimation.closed.variance").with("var", var.to_string())));
    }
    let se = var.sqrt();
    // The reference run of Rcapture 1.4-4 reports the bias only for the models without a
    // heterogeneity column (NA for Mh and Mth); we do the same.
    let bias = if model.heterogeneity() { None } else { asymptotic_bias(&keep, &g) };
    if let Some(bv) = bias {
        if bv.abs() > 0.1 * abundance {
            warnings.push(Message::new("estimation.closed.large_bias"));
        }
    }
    let freqs = histories.capture_frequencies();
    if freqs[1..].iter().all(|&f| f == 0) {
        warnings.push(Message::new("estimation.closed.no_recapture"));
    } else if abundance - n as f64 > 100.0 * n as f64 {
        let unseen = format!("{:.3e}", abundance - n as f64);
        warnings.push(Message::new("estimation.closed.near_boundary").with("unseen", unseen));
    }
    let ci = lognormal_ci(n as f64, abundance, se);
    if ci.is_none() {
        let d = (abundance - n as f64).to_string();
        warnings.push(Message::new("estimation.closed.no_interval").with("d", d));
    }
    let pf = p as f64;
    let aic = -2.0 * g.loglik + 2.0 * pf;
    let bic = -2.0 * g.loglik + (n as f64).ln() * pf;
    let warnings_codes = warnings;
    let warnings: Vec<String> = warnings_codes.iter().map(Message::to_string).collect();
    let mut info: Vec<u32> = warnings
        .iter()
        .filter(|w| !w.starts_with("no log-normal"))
        .map(|w| if w.contains("converge") || w.contains("asymptotic bias") || w.contains("boundary") { 1 } else { 3 })
        .collect();
    info.sort_unstable();
    info.dedup();
    let info_fit = info.iter().fold(0, |acc, d| acc * 10 + d);
    let mut names = vec!["Intercept".to_string()];
    names.extend(keep.iter().map(|c| c.name.clone()));
    let coefficients = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Coefficient { name, estimate: b[i], stderr: v[i][i].max(0.0).sqrt() })
        .collect();
    Ok(ClosedFit {
        model: name.to_string(),
        t,
        n,
        abundance,
        se,
        deviance: g.deviance,
        df: y.len() - p,
        aic,
        bic,
        lcl: ci.map(|c| c.0),
        ucl: ci.map(|c| c.1),
        bias,
        converged: g.termination == Termination::Converged,
        iterations: g.iterations,
        termination: g.termination,
        info_fit,
        warnings,
        warnings_codes,
        removed_eta,
        coefficients,
    })
}

fn quad(g: &[f64], v: &[Vec<f64>]) -> f64 {
    g.iter().enumerate().map(|(i, gi)| g.iter().enumerate().map(|(j, gj)| gi * v[i][j] * gj).sum::<f64>()).sum()
}

/// Rcapture's asymptotic bias of exp(β̂₀): with ξᵢ = −½ xᵢᵀ V xᵢ and ψ = −2 Xᵀ diag(μ) ξ − e₁,
/// bias = ½ exp(β̂₀) (−V ψ)₁.
fn asymptotic_bias(cols: &[&Column], g: &GlmFit) -> Option<f64> {
    let p = g.coef.len();
    let m = g.mu.len();
    let row = |i: usize| -> Vec<f64> {
        let mut r = vec![1.0];
        r.extend(cols.iter().map(|c| c.values[i]));
        r
    };
    let mut psi = vec![0.0; p];
    for i in 0..m {
        let xi = row(i);
        let q = -0.5 * quad(&xi, &g.cov);
        for (ps, x) in psi.iter_mut().zip(&xi) {
            *ps += -2.0 * x * g.mu[i] * q;
        }
    }
    psi[0] -= 1.0;
    let vec1: f64 = -(0..p).map(|j| g.cov[0][j] * psi[j]).sum::<f64>();
    let bias = 0.5 * g.coef[0].exp() * vec1;
    bias.is_finite().then_some(bias)
}

/// Fits every model Rcapture's `closedp.t` fits for these histories (all twelve when t ≥ 3;
/// M0, Mt and Mb when t = 2), in Rcapture's order. A model that cannot be fitted gives its
/// error in place; the others are unaffected.
///
/// ```
/// use borderless::estimation::closed::{fit_all, CaptureHistories};
///
/// let rows = [[1u8, 1, 0], [1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 0, 0]];
/// let all = fit_all(&CaptureHistories::new(rows).unwrap());
/// assert_eq!(all.len(), 12);
/// ```
pub fn fit_all(histories: &CaptureHistories) -> Vec<(ClosedModel, Result<ClosedFit, ClosedError>)> {
    ClosedModel::ALL
        .into_iter()
        .filter(|m| histories.occasions() >= m.min_occasions())
        .map(|m| (m, fit(histories, m)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Burnham–Overton jackknife
// ---------------------------------------------------------------------------------------------

/// One order of the jackknife.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JackknifeEstimate {
    pub order: usize,
    #[serde(rename = "N")]
    pub abundance: f64,
    pub se: f64,
    pub lcl: Option<f64>,
    pub ucl: Option<f64>,
    /// Coefficients `a_ik` with N̂_Jk = Σᵢ a_ik fᵢ (i = 1..t).
    pub coefficients: Vec<f64>,
}

/// Test of order k against order k + 1 (Burnham & Overton 1979).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JackknifeTest {
    pub order: usize,
    /// (N̂_J(k+1) − N̂_Jk) / SE of the difference; `None` when the variance is not positive.
    pub statistic: Option<f64>,
    /// |statistic| ≥ 1.96 (5% level, two-sided).
    pub significant: bool,
}

/// The Burnham–Overton jackknife estimator for model Mh (Burnham & Overton 1978, 1979).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jackknife {
    pub t: usize,
    pub n: usize,
    /// Orders 1..=min(5, t − 1).
    pub estimates: Vec<JackknifeEstimate>,
    pub tests: Vec<JackknifeTest>,
    /// The selected order: the first k whose test against k + 1 is not significant, else the
    /// highest order computed.
    pub selected_order: usize,
    #[serde(rename = "N")]
    pub abundance: f64,
    pub se: f64,
    pub lcl: Option<f64>,
    pub ucl: Option<f64>,
    /// Warnings, in English.
    pub warnings: Vec<String>,
    /// The same warnings as messages, to show them in any language.
    pub warnings_codes: Vec<Message>,
}

fn binom(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Coefficients `a_ik`, i = 1..t, of the order-k jackknife for t occasions.
///
/// The generalized jackknife (Burnham & Overton 1978) combines n̄₍ⱼ₎, the mean number of
/// animals seen when j occasions are deleted (j = 0..k), with weights
/// wⱼ = (−1)ʲ (t − j)ᵏ / (j! (k − j)!), which remove the 1/t, …, 1/tᵏ bias terms. Since
/// n̄₍ⱼ₎ = n − Σ_{i≤j} fᵢ C(t−i, j−i)/C(t, j) and Σ wⱼ = 1,
/// a_ik = 1 − Σ_{j=i..k} wⱼ C(t−i, j−i)/C(t, j). For k = 1 this gives N̂_J1 = n + (t−1)/t·f₁.
fn jackknife_coefficients(t: usize, k: usize) -> Vec<f64> {
    let tf = t as f64;
    let fact = |m: usize| (1..=m).fold(1.0, |a, i| a * i as f64);
    let w: Vec<f64> = (0..=k)
        .map(|j| {
            let sign = if j % 2 == 0 { 1.0 } else { -1.0 };
            sign * (tf - j as f64).powi(k as i32) / (fact(j) * fact(k - j))
        })
        .collect();
    (1..=t).map(|i| 1.0 - (i..=k).map(|j| w[j] * binom(t - i, j - i) / binom(t, j)).sum::<f64>()).collect()
}

/// Burnham & Overton's jackknife, orders 1 to 5 (at most t − 1), with their sequential test
/// for the order.
///
/// N̂_Jk = Σ a_ik fᵢ; Var(N̂_Jk) = Σ a_ik² fᵢ − N̂_Jk (Burnham & Overton 1978). The order is
/// chosen by testing E(N̂_J(k+1) − N̂_Jk) = 0 with
/// T_k = D / √(n/(n−1) · (Σ (a_i,k+1 − a_ik)² fᵢ − D²/n)), D = N̂_J(k+1) − N̂_Jk
/// (Burnham & Overton 1979), taking the first k for which |T_k| < 1.96. The interpolated
/// estimator between two orders (Burnham & Overton 1979) is not implemented. The interval is
/// the log-normal one of [`lognormal_ci`].
///
/// ```
/// use borderless::estimation::closed::{jackknife, CaptureHistories};
///
/// let rows = [[1u8, 1, 0], [1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 0, 0]];
/// let h = CaptureHistories::new(rows).unwrap();
/// let j = jackknife(&h);
/// // first order: n + (t − 1)/t · f1 = 8 + 2/3 · 4
/// assert!((j.estimates[0].abundance - (8.0 + 2.0 / 3.0 * 4.0)).abs() < 1e-12);
/// assert_eq!(j.estimates.len(), 2); // orders 1..=t − 1
/// ```
pub fn jackknife(histories: &CaptureHistories) -> Jackknife {
    let t = histories.occasions();
    let n = histories.animals();
    let nf = n as f64;
    let f: Vec<f64> = histories.capture_frequencies().into_iter().map(|v| v as f64).collect();
    let max_order = 5.min(t - 1);
    let mut warnings: Vec<Message> = Vec::new();
    let estimates: Vec<JackknifeEstimate> = (1..=max_order)
        .map(|k| {
            let a = jackknife_coefficients(t, k);
            let est: f64 = a.iter().zip(&f).map(|(a, f)| a * f).sum();
            let var: f64 = a.iter().zip(&f).map(|(a, f)| a * a * f).sum::<f64>() - est;
            let se = var.max(0.0).sqrt();
            let ci = lognormal_ci(nf, est, se);
            JackknifeEstimate {
                order: k,
                abundance: est,
                se,
                lcl: ci.map(|c| c.0),
                ucl: ci.map(|c| c.1),
                coefficients: a,
            }
        })
        .collect();
    let tests: Vec<JackknifeTest> = estimates
        .windows(2)
        .map(|w| {
            let d = w[1].abundance - w[0].abundance;
            let s: f64 =
                w[1].coefficients.iter().zip(&w[0].coefficients).zip(&f).map(|((b, a), f)| (b - a).powi(2) * f).sum();
            let var = if n > 1 { nf / (nf - 1.0) * (s - d * d / nf) } else { f64::NAN };
            let statistic = (var > 0.0).then(|| d / var.sqrt());
            JackknifeTest { order: w[0].order, statistic, significant: statistic.is_some_and(|z| z.abs() >= Z95) }
        })
        .collect();
    let selected_order = tests.iter().find(|t| !t.significant).map(|t| t.order).unwrap_or(max_order);
    let sel = &estimates[selected_order - 1];
    if sel.lcl.is_none() {
        warnings.push(Message::new("estimation.jackknife.no_interval"));
    }
    if estimates.iter().any(|e| e.abundance < nf) {
        warnings.push(Message::new("estimation.jackknife.below_n"));
    }
    Jackknife {
        t,
        n,
        selected_order,
        abundance: sel.abundance,
        se: sel.se,
        lcl: sel.lcl,
        ucl: sel.ucl,
        estimates,
        tests,
        warnings: warnings.iter().map(Message::to_string).collect(),
        warnings_codes: warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_order_matches_histpos() {
        // histpos.t(3): 111, 110, 101, 100, 011, 010, 001
        let got: Vec<Vec<f64>> = (0..7).map(|i| history(i, 3)).collect();
        let want = [[1., 1., 1.], [1., 1., 0.], [1., 0., 1.], [1., 0., 0.], [0., 1., 1.], [0., 1., 0.], [0., 0., 1.]];
        assert_eq!(got, want.map(|r| r.to_vec()).to_vec());
    }

    #[test]
    fn bad_histories_are_refused_with_position() {
        let e = CaptureHistories::new([vec![1u8, 0, 1], vec![0, 1]]).unwrap_err();
        assert_eq!((e.row, e.column), (Some(2), None));
        assert!(e.message.to_string().contains("occasions"), "{e}");
        let e = CaptureHistories::new([[1u8, 0, 1], [0, 3, 1]]).unwrap_err();
        assert_eq!((e.row, e.column), (Some(2), Some(2)));
        assert_eq!(e.to_string(), "row 2, occasion 2: 3 is not 0 or 1");
        let e = CaptureHistories::new([[1u8, 0, 1], [0, 0, 0]]).unwrap_err();
        assert_eq!((e.row, e.column), (Some(2), None));
        let e = CaptureHistories::new(Vec::<Vec<u8>>::new()).unwrap_err();
        assert!(e.message.to_string().contains("no animals"));
        let e = CaptureHistories::new([[1u8], [1]]).unwrap_err();
        assert!(e.message.to_string().contains("at least 2"));
        let e = CaptureHistories::new([vec![1u8; MAX_OCCASIONS + 1]]).unwrap_err();
        assert!(e.message.to_string().contains("at most"));
    }

    #[test]
    fn two_occasions_fit_only_m0_mt_mb() {
        let h = CaptureHistories::new([[1u8, 1], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 1]]).unwrap();
        let all = fit_all(&h);
        let names: Vec<_> = all.iter().map(|(m, _)| m.name()).collect();
        assert_eq!(names, ["M0", "Mt", "Mb"]);
        // Mt with t = 2 is the Lincoln–Petersen (Chapman-free) estimate n1·n2/m2 = 4·5/2 = 10.
        let mt = all[1].1.as_ref().unwrap();
        assert!((mt.abundance - 10.0).abs() < 1e-9 && mt.df == 0, "{mt:?}");
        let err = fit(&h, ClosedModel::MhChao).unwrap_err();
        assert!(matches!(err, ClosedError::TooFewOccasions { needed: 3, t: 2, .. }));
    }

    #[test]
    fn no_recapture_gives_error_or_flag_not_nan() {
        // Nobody caught twice: the MLE of N is infinite. Every result must be an error or a
        // finite, flagged fit.
        let h = CaptureHistories::new([[1u8, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]).unwrap();
        for (m, r) in fit_all(&h) {
            match r {
                Ok(f) => {
                    let nums = [f.abundance, f.se, f.deviance, f.aic, f.bic];
                    assert!(nums.iter().all(|v| v.is_finite()), "{m}: {f:?}");
                    assert!(f.info_fit.to_string().contains('1'), "{m}: {:?}", f.warnings);
                    assert!(f.warnings.iter().any(|w| w.contains("not identifiable")), "{m}");
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        let j = jackknife(&h);
        assert!(j.abundance.is_finite() && j.se.is_finite());
    }

    #[test]
    fn chao_lower_bound_closed_form() {
        // Rcapture notes (shared/reference/README.md): Mh Chao (LB) = n + ((t−1)/t)·f1²/(2·f2)
        // when no eta is removed.
        let rows = [
            [1u8, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
            [1, 0, 0, 0],
            [0, 1, 0, 0],
            [1, 1, 0, 0],
            [0, 1, 1, 0],
            [0, 0, 1, 1],
            [1, 0, 1, 0],
            [1, 1, 1, 0],
            [0, 1, 1, 1],
            [1, 1, 1, 1],
        ];
        let h = CaptureHistories::new(rows).unwrap();
        let f = h.capture_frequencies();
        let (n, t) = (h.animals() as f64, h.occasions() as f64);
        let want = n + (t - 1.0) / t * (f[0] * f[0]) as f64 / (2.0 * f[1] as f64);
        let lb = fit(&h, ClosedModel::MhChao).unwrap();
        assert!(lb.removed_eta.is_empty(), "{:?}", lb.removed_eta);
        assert!((lb.abundance - want).abs() < 1e-8 * want, "{} vs {want}", lb.abundance);
    }

    #[test]
    fn jackknife_matches_textbook_orders() {
        let t = 6usize;
        let tf = t as f64;
        let a2 = jackknife_coefficients(t, 2);
        assert!((a2[0] - (1.0 + (2.0 * tf - 3.0) / tf)).abs() < 1e-12);
        assert!((a2[1] - (1.0 - (tf - 2.0).powi(2) / (tf * (tf - 1.0)))).abs() < 1e-12);
        let a3 = jackknife_coefficients(t, 3);
        assert!((a3[0] - (1.0 + (3.0 * tf - 6.0) / tf)).abs() < 1e-12);
        assert!((a3[1] - (1.0 - (3.0 * tf * tf - 15.0 * tf + 19.0) / (tf * (tf - 1.0)))).abs() < 1e-12);
        assert!((a3[2] - (1.0 + (tf - 3.0).powi(3) / (tf * (tf - 1.0) * (tf - 2.0)))).abs() < 1e-12);
        assert!(a3[3..].iter().all(|&a| a == 1.0));
        // Orders 4 and 5 as tabulated by Burnham & Overton (1978) / Otis et al. (1978).
        let a4 = jackknife_coefficients(t, 4);
        let d = [tf, tf * (tf - 1.0), tf * (tf - 1.0) * (tf - 2.0), tf * (tf - 1.0) * (tf - 2.0) * (tf - 3.0)];
        let want4 = [
            1.0 + (4.0 * tf - 10.0) / d[0],
            1.0 - (6.0 * tf * tf - 36.0 * tf + 55.0) / d[1],
            1.0 + (4.0 * tf.powi(3) - 42.0 * tf * tf + 148.0 * tf - 175.0) / d[2],
            1.0 - (tf - 4.0).powi(4) / d[3],
        ];
        let a5 = jackknife_coefficients(t, 5);
        let want5 = [
            1.0 + (5.0 * tf - 15.0) / d[0],
            1.0 - (10.0 * tf * tf - 70.0 * tf + 125.0) / d[1],
            1.0 + (10.0 * tf.powi(3) - 120.0 * tf * tf + 485.0 * tf - 660.0) / d[2],
            1.0 - ((tf - 4.0).powi(5) - (tf - 5.0).powi(5)) / d[3],
            1.0 + (tf - 5.0).powi(5) / (d[3] * (tf - 4.0)),
        ];
        for (got, want) in a4.iter().zip(want4).chain(a5.iter().zip(want5)) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }
}
