//! Detection functions (secr codes 0 HN, 14 HHN, 2 EX, 16 HEX, 1 HR; Efford 2004, Borchers &
//! Efford 2008): the per-occasion hazard of detection at distance d from a range centre, and
//! its derivatives with respect to the link-scale parameters.

use super::SecrError;
use serde::{Deserialize, Serialize};

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
    ///
    /// ```
    /// use borderless::estimation::secr::DetectFn;
    /// assert_eq!(DetectFn::parse("hhn").unwrap(), DetectFn::HHN);
    /// assert!(DetectFn::parse("gamma").is_err());
    /// ```
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
    /// True when the function needs distances (not only squared distances).
    pub(crate) fn uses_distance(self) -> bool {
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
    /// Probability of detection at distance `d` (m) on one occasion: g(d) for HN, EX and HR,
    /// 1 − exp(−λ(d)) for the hazard forms.
    ///
    /// ```
    /// use borderless::estimation::secr::DetectFn;
    /// assert!((DetectFn::HN.probability(0.0, 0.3, 20.0, 1.0) - 0.3).abs() < 1e-15);
    /// ```
    pub fn probability(self, d: f64, a: f64, sigma: f64, z: f64) -> f64 {
        match self {
            Self::HN => a * (-d * d / (2.0 * sigma * sigma)).exp(),
            Self::HHN => -(-a * (-d * d / (2.0 * sigma * sigma)).exp()).exp_m1(),
            Self::EX => a * (-d / sigma).exp(),
            Self::HEX => -(-a * (-d / sigma).exp()).exp_m1(),
            Self::HR => a * (1.0 - (-(d / sigma).powf(-z)).exp()),
        }
    }
}

/// Fills `h` with hazards −ln(1 − g) (or λ for hazard forms) of intercept `a` (g0 or lambda0),
/// `sigma` and `z` at squared distances `d2` (or distances `d`), and `g` with the detection
/// probabilities of probability-type functions (left untouched for hazard forms).
#[allow(clippy::too_many_arguments)]
pub(crate) fn fill_hazards(
    f: DetectFn,
    a: f64,
    sigma: f64,
    z: f64,
    d2: &[f64],
    d: &[f64],
    h: &mut [f64],
    g: &mut [f64],
) {
    let inv2s2 = 0.5 / (sigma * sigma);
    let invs = 1.0 / sigma;
    match f {
        DetectFn::HN => {
            for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(d2) {
                *gg = a * (-dd * inv2s2).exp();
                *hh = -(-*gg).ln_1p();
            }
        }
        DetectFn::HHN => {
            for (hh, &dd) in h.iter_mut().zip(d2) {
                *hh = a * (-dd * inv2s2).exp();
            }
        }
        DetectFn::EX => {
            for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(d) {
                *gg = a * (-dd * invs).exp();
                *hh = -(-*gg).ln_1p();
            }
        }
        DetectFn::HEX => {
            for (hh, &dd) in h.iter_mut().zip(d) {
                *hh = a * (-dd * invs).exp();
            }
        }
        DetectFn::HR => {
            for ((hh, gg), &dd) in h.iter_mut().zip(g.iter_mut()).zip(d) {
                *gg = a * (1.0 - (-(dd * invs).powf(-z)).exp());
                *hh = -(-*gg).ln_1p();
            }
        }
    }
}

/// Derivatives of the hazard h at one pair (probability g, squared distance d2, distance d)
/// with respect to the link-scale intercept, log sigma and log z.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn hazard_derivs(f: DetectFn, h: f64, g: f64, d2: f64, d: f64, a: f64, sigma: f64, z: f64) -> [f64; 3] {
    match f {
        DetectFn::HN => {
            let r = 1.0 / (1.0 - g);
            [g * (1.0 - a) * r, g * d2 / (sigma * sigma) * r, 0.0]
        }
        DetectFn::HHN => [h, h * d2 / (sigma * sigma), 0.0],
        DetectFn::EX => {
            let r = 1.0 / (1.0 - g);
            [g * (1.0 - a) * r, g * d / sigma * r, 0.0]
        }
        DetectFn::HEX => [h, h * d / sigma, 0.0],
        DetectFn::HR => {
            let r = 1.0 / (1.0 - g);
            let rr = (d / sigma).powf(-z);
            let (ds, dz) = if rr.is_finite() && rr < 700.0 {
                let e = a * (-rr).exp() * rr;
                (e * z * r, e * rr.ln() * r)
            } else {
                (0.0, 0.0)
            };
            [g * (1.0 - a) * r, ds, dz]
        }
    }
}
