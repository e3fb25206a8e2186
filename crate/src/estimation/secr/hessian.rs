//! The covariance of the link-scale estimates: the inverse of a finite-difference Hessian of
//! the negative log-likelihood at the MLE. By default the Hessian is computed exactly as R's
//! `nlm` does (forward differences, Dennis & Schnabel A5.6.2), which is what secr reports;
//! central differences are more accurate. The inverse is nalgebra's (Cholesky when positive
//! definite, else LU).

use super::HessianMethod;
use nalgebra::DMatrix;

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

/// Hessian of `f` (a negative log-likelihood) at `x` by the chosen scheme; None if `f` is not
/// finite at a step.
pub(crate) fn hessian(
    method: HessianMethod,
    f: &mut dyn FnMut(&[f64]) -> Option<f64>,
    x: &[f64],
) -> Option<Vec<Vec<f64>>> {
    match method {
        HessianMethod::Nlm => nlm_hessian(f, x),
        HessianMethod::Central => central_hessian(f, x),
    }
}

/// Inverse of a symmetric matrix: Cholesky when it is positive definite, LU otherwise; None
/// when singular or not finite.
pub(crate) fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let m = DMatrix::from_fn(n, n, |i, j| a[i][j]);
    let inv = match m.clone().cholesky() {
        Some(c) => c.inverse(),
        None => m.try_inverse()?,
    };
    let out: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| inv[(i, j)]).collect()).collect();
    out.iter().flatten().all(|v| v.is_finite()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_spd_and_indefinite_matrices() {
        let a = vec![vec![4.0, 1.0], vec![1.0, 3.0]];
        let inv = invert(&a).unwrap();
        let det = 11.0;
        assert!((inv[0][0] - 3.0 / det).abs() < 1e-15 && (inv[0][1] + 1.0 / det).abs() < 1e-15);
        let b = vec![vec![1.0, 2.0], vec![2.0, 1.0]]; // indefinite: LU
        let inv = invert(&b).unwrap();
        assert!((inv[0][0] + 1.0 / 3.0).abs() < 1e-15);
        assert!(invert(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_none());
    }

    #[test]
    fn hessians_of_a_quadratic() {
        let mut f = |x: &[f64]| Some(x[0] * x[0] + 3.0 * x[0] * x[1] + 2.0 * x[1] * x[1]);
        for m in [HessianMethod::Nlm, HessianMethod::Central] {
            let h = hessian(m, &mut f, &[0.3, -0.2]).unwrap();
            assert!((h[0][0] - 2.0).abs() < 1e-6 && (h[0][1] - 3.0).abs() < 1e-6 && (h[1][1] - 4.0).abs() < 1e-6);
        }
    }
}
