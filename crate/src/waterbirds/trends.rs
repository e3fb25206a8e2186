//! Trends: a log-linear trend of seasonal peaks with a confidence interval.
//!
//! The model is a quasi-Poisson log-linear regression, log E[peak] = a + b·t (t = the season's
//! start year), fitted by iteratively reweighted least squares (McCullagh & Nelder 1989, §2.5);
//! zeros are data. The dispersion is Pearson's χ² / (n − 2) and the 95% interval of b is
//! b ± t(0.975, n − 2)·SE (the quasi-likelihood interval, as R's `glm(family = quasipoisson)` with
//! `confint.default` on the t scale). The annual change is (e^b − 1) × 100%.
//!
//! ```
//! use borderless::waterbirds::trends::log_linear_trend;
//! // Exactly +10% a season: the fit is exact.
//! let pts: Vec<(f64, f64)> = (0..6).map(|t| (2015.0 + t as f64, 100.0 * 1.1f64.powi(t))).collect();
//! let tr = log_linear_trend(&pts).unwrap();
//! assert!((tr.annual_change_percent - 10.0).abs() < 1e-9);
//! assert!(tr.ci_high_percent - tr.ci_low_percent < 1e-6);
//! ```

use serde::Serialize;

/// A fitted trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// b: change of log(peak) per season.
    pub slope: f64,
    pub slope_se: f64,
    pub annual_change_percent: f64,
    pub ci_low_percent: f64,
    pub ci_high_percent: f64,
    pub seasons: usize,
    /// Pearson χ² / (n − 2).
    pub dispersion: f64,
    pub iterations: usize,
    pub converged: bool,
    pub method: &'static str,
}

/// Two-sided 97.5% quantiles of Student's t for 1..=30 degrees of freedom.
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
    2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

fn t975(df: usize) -> f64 {
    match df {
        0 => f64::NAN,
        1..=30 => T975[df - 1],
        31..=60 => 2.042 - (df - 30) as f64 * (2.042 - 2.000) / 30.0,
        _ => 1.96,
    }
}

/// Fits the trend to `(t, peak)` points; `None` with fewer than 3 points, all peaks zero, or all
/// points in one season.
pub fn log_linear_trend(points: &[(f64, f64)]) -> Option<Trend> {
    let n = points.len();
    if n < 3 || points.iter().all(|p| p.1 == 0.0) {
        return None;
    }
    let t0 = points.iter().map(|p| p.0).sum::<f64>() / n as f64;
    if points.iter().all(|p| (p.0 - t0).abs() < 1e-12) {
        return None;
    }
    let ybar = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut a, mut b) = ((ybar + 0.5).ln(), 0.0);
    let mut converged = false;
    let mut iterations = 0;
    let mut info = [[0.0; 2]; 2];
    for it in 1..=100 {
        iterations = it;
        // Weighted least squares on the working response.
        let (mut s00, mut s01, mut s11, mut r0, mut r1) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(t, y) in points {
            let x = t - t0;
            let mu = (a + b * x).exp();
            let z = a + b * x + (y - mu) / mu;
            s00 += mu;
            s01 += mu * x;
            s11 += mu * x * x;
            r0 += mu * z;
            r1 += mu * x * z;
        }
        let det = s00 * s11 - s01 * s01;
        if det.abs() < 1e-300 {
            return None;
        }
        let na = (s11 * r0 - s01 * r1) / det;
        let nb = (s00 * r1 - s01 * r0) / det;
        info = [[s00, s01], [s01, s11]];
        let done = (na - a).abs() < 1e-12 && (nb - b).abs() < 1e-12;
        a = na;
        b = nb;
        if done {
            converged = true;
            break;
        }
    }
    let chi2: f64 = points
        .iter()
        .map(|&(t, y)| {
            let mu = (a + b * (t - t0)).exp();
            (y - mu).powi(2) / mu
        })
        .sum();
    let df = n - 2;
    let dispersion = chi2 / df as f64;
    let det = info[0][0] * info[1][1] - info[0][1] * info[0][1];
    let var_b = info[0][0] / det * dispersion;
    let se = var_b.max(0.0).sqrt();
    let q = t975(df);
    let pct = |x: f64| (x.exp() - 1.0) * 100.0;
    Some(Trend {
        slope: b,
        slope_se: se,
        annual_change_percent: pct(b),
        ci_low_percent: pct(b - q * se),
        ci_high_percent: pct(b + q * se),
        seasons: n,
        dispersion,
        iterations,
        converged,
        method: "quasi-Poisson log-linear regression of seasonal peaks on season (IRLS); 95% t interval",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_fit() {
        // Peaks 10, 20, 40, 20 at t = 0..3. The Poisson score equations are Σ(y − μ) = 0 and
        // Σ t(y − μ) = 0; the fitted slope must satisfy them.
        let pts = [(0.0, 10.0), (1.0, 20.0), (2.0, 40.0), (3.0, 20.0)];
        let tr = log_linear_trend(&pts).unwrap();
        assert!(tr.converged);
        let t0 = 1.5;
        // Recover a from Σμ = Σy.
        let sum_y: f64 = pts.iter().map(|p| p.1).sum();
        let s: f64 = pts.iter().map(|p| (tr.slope * (p.0 - t0)).exp()).sum();
        let a = (sum_y / s).ln();
        let score_t: f64 = pts.iter().map(|p| (p.0 - t0) * (p.1 - (a + tr.slope * (p.0 - t0)).exp())).sum();
        assert!(score_t.abs() < 1e-8, "{score_t}");
        assert!(tr.ci_low_percent < tr.annual_change_percent && tr.annual_change_percent < tr.ci_high_percent);
        assert!(log_linear_trend(&pts[..2]).is_none());
        assert!(log_linear_trend(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]).is_none());
    }
}
