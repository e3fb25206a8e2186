//! Minimising a negative log-likelihood with its gradient: argmin's BFGS with a Moré–Thuente
//! (strong Wolfe) line search by default, or the project's own step-limited BFGS with a
//! backtracking (Armijo) line search ([`Optimiser::Bfgs`], kept for the side-by-side benchmark
//! in `benches/secr_fit.rs`). Both start the same way: one steepest-descent step no longer
//! than 0.5 on the link scale, after which the inverse Hessian is scaled by sᵀy / yᵀy
//! (Nocedal & Wright 2006, eq. 6.20). Each reports why it stopped ([`Termination`]).

use super::{Optimiser, SecrError, Termination};
use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::BFGS;
use std::cell::RefCell;

/// Minimisation target: value and gradient, or None outside the domain (a non-finite
/// likelihood).
pub(crate) trait Objective {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)>;
}

/// Where the optimiser stopped and why.
pub(crate) struct OptResult {
    pub x: Vec<f64>,
    pub iterations: usize,
    pub termination: Termination,
}

fn gmax(g: &[f64]) -> f64 {
    g.iter().fold(0.0f64, |a, v| a.max(v.abs()))
}

/// Gradient small relative to the objective: max |g_i| ≤ 1e-8 · max(|f|, 1).
fn converged(g: &[f64], fx: f64) -> bool {
    gmax(g) <= 1e-8 * fx.abs().max(1.0)
}

fn identity(n: usize, scale: f64) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { scale } else { 0.0 }).collect()).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `obj` from `x0` with the chosen optimiser.
pub(crate) fn minimise(
    which: Optimiser,
    obj: &mut dyn Objective,
    x0: &[f64],
    max_iter: usize,
) -> Result<OptResult, SecrError> {
    match which {
        Optimiser::Argmin => argmin_bfgs(obj, x0, max_iter),
        Optimiser::Bfgs => bfgs(obj, x0, max_iter),
    }
}

/// Backtracking (Armijo) search along `p` from x with value fx and slope gᵀp < 0; steps are
/// limited to `maxstep` in length on the link scale as nlm's stepmax does.
fn backtrack(
    obj: &mut dyn Objective,
    x: &[f64],
    fx: f64,
    p: &[f64],
    slope: f64,
    maxstep: f64,
) -> Option<(Vec<f64>, f64, Vec<f64>)> {
    let norm = dot(p, p).sqrt();
    let mut t = if norm > maxstep { maxstep / norm } else { 1.0 };
    for _ in 0..50 {
        let xn: Vec<f64> = x.iter().zip(p).map(|(a, b)| a + t * b).collect();
        if let Some((fnew, gnew)) = obj.value_grad(&xn) {
            if fnew <= fx + 1e-4 * t * slope {
                return Some((xn, fnew, gnew));
            }
        }
        t *= 0.5;
    }
    None
}

/// The project's BFGS with analytic gradients and a backtracking (Armijo) line search.
fn bfgs(obj: &mut dyn Objective, x0: &[f64], max_iter: usize) -> Result<OptResult, SecrError> {
    let n = x0.len();
    let mut x = x0.to_vec();
    let (mut fx, mut g) =
        obj.value_grad(&x).ok_or_else(|| SecrError::BadStart("log-likelihood or its gradient is not finite".into()))?;
    let mut hinv = identity(n, 1.0);
    let mut it = 0;
    let mut termination = Termination::MaxIterations;
    while it < max_iter {
        if converged(&g, fx) {
            termination = Termination::Converged;
            break;
        }
        it += 1;
        let mut p: Vec<f64> = (0..n).map(|i| -dot(&hinv[i], &g)).collect();
        let mut slope = dot(&p, &g);
        if slope >= 0.0 {
            hinv = identity(n, 1.0);
            p = g.iter().map(|v| -v).collect();
            slope = -dot(&g, &g);
        }
        let maxstep = if it == 1 { 0.5 } else { 2.0 };
        let Some((xn, fnew, gn)) = backtrack(obj, &x, fx, &p, slope, maxstep) else {
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
        let sy = dot(&s, &y);
        if sy > 1e-14 {
            if it == 1 {
                hinv = identity(n, sy / dot(&y, &y));
            }
            let hy: Vec<f64> = (0..n).map(|i| dot(&hinv[i], &y)).collect();
            let yhy = dot(&y, &hy);
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

/// Value and gradient.
type ValueGrad = (f64, Vec<f64>);
/// A point with its value and gradient.
type Point = (Vec<f64>, f64, Vec<f64>);

/// The objective as argmin sees it: cost and gradient from one evaluation (cached), +∞ outside
/// the domain, and the best point seen (argmin's executor returns no state on a line-search
/// error).
struct ArgminObjective<'a> {
    obj: RefCell<&'a mut dyn Objective>,
    last: RefCell<Option<(Vec<f64>, Option<ValueGrad>)>>,
    best: RefCell<Option<Point>>,
    /// Gradients asked for by argmin (once per iteration, plus line-search trials).
    gradients: std::cell::Cell<usize>,
}

impl ArgminObjective<'_> {
    fn eval(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        if let Some((lx, r)) = self.last.borrow().as_ref() {
            if lx.as_slice() == x {
                return r.clone();
            }
        }
        let r = self.obj.borrow_mut().value_grad(x);
        if let Some((f, g)) = &r {
            let mut best = self.best.borrow_mut();
            if best.as_ref().is_none_or(|b| *f < b.1 && !converged(&b.2, b.1)) || converged(g, *f) {
                *best = Some((x.to_vec(), *f, g.clone()));
            }
        }
        *self.last.borrow_mut() = Some((x.to_vec(), r.clone()));
        r
    }

    /// Once a point meets our gradient test (max |g_i| ≤ 1e-8 · max(|f|, 1)) argmin is stopped
    /// by an error: its own tests (L2 norm of the gradient, change of the cost) can keep a line
    /// search bisecting in the rounding noise of the log-likelihood.
    fn stop_when_converged(&self) -> Result<(), argmin::core::Error> {
        match self.best.borrow().as_ref() {
            Some((_, f, g)) if converged(g, *f) => Err(argmin::core::Error::msg("converged")),
            _ => Ok(()),
        }
    }

    /// Outside the domain (a non-finite likelihood) a steep finite wall: far above the best
    /// value, rising away from the best point, so that the Moré–Thuente interpolation backs off
    /// instead of meeting an infinity.
    fn eval_or_wall(&self, x: &[f64]) -> (f64, Vec<f64>) {
        if let Some(r) = self.eval(x) {
            return r;
        }
        let best = self.best.borrow();
        let (bx, bf, _) = best.as_ref().expect("the first step is finite");
        let wall = 1e6 * bf.abs().max(1.0);
        (bf + wall, x.iter().zip(bx).map(|(a, b)| wall * (a - b)).collect())
    }
}

/// What argmin's executor owns: a reference, so that the best point survives an error.
struct ByRef<'a, 'b>(&'a ArgminObjective<'b>);

impl CostFunction for ByRef<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Self::Param) -> Result<f64, argmin::core::Error> {
        self.0.stop_when_converged()?;
        Ok(self.0.eval_or_wall(x).0)
    }
}

impl Gradient for ByRef<'_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, x: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        self.0.stop_when_converged()?;
        self.0.gradients.set(self.0.gradients.get() + 1);
        Ok(self.0.eval_or_wall(x).1)
    }
}

/// argmin's BFGS (Moré–Thuente line search) after one limited steepest-descent step that
/// scales the initial inverse Hessian.
fn argmin_bfgs(obj: &mut dyn Objective, x0: &[f64], max_iter: usize) -> Result<OptResult, SecrError> {
    let n = x0.len();
    let (f0, g0) =
        obj.value_grad(x0).ok_or_else(|| SecrError::BadStart("log-likelihood or its gradient is not finite".into()))?;
    if converged(&g0, f0) || max_iter == 0 {
        let t = if converged(&g0, f0) { Termination::Converged } else { Termination::MaxIterations };
        return Ok(OptResult { x: x0.to_vec(), iterations: 0, termination: t });
    }
    let p: Vec<f64> = g0.iter().map(|v| -v).collect();
    let Some((x1, f1, g1)) = backtrack(obj, x0, f0, &p, -dot(&g0, &g0), 0.5) else {
        return Ok(OptResult { x: x0.to_vec(), iterations: 1, termination: Termination::LineSearchFailed });
    };
    let s: Vec<f64> = x1.iter().zip(x0).map(|(a, b)| a - b).collect();
    let y: Vec<f64> = g1.iter().zip(&g0).map(|(a, b)| a - b).collect();
    let sy = dot(&s, &y);
    let h0 = identity(n, if sy > 1e-14 { sy / dot(&y, &y) } else { 1.0 });
    let scale = f1.abs().max(1.0);
    let problem = ArgminObjective {
        obj: RefCell::new(obj),
        last: RefCell::new(None),
        best: RefCell::new(Some((x1.clone(), f1, g1.clone()))),
        gradients: std::cell::Cell::new(0),
    };
    let run = (|| {
        let ls = MoreThuenteLineSearch::new();
        // argmin's gradient test is on the L2 norm; ours (below) on the largest component
        let solver = BFGS::new(ls).with_tolerance_grad(1e-8 * scale)?.with_tolerance_cost(1e-13 * scale)?;
        Executor::new(ByRef(&problem), solver)
            .configure(|st| st.param(x1.clone()).gradient(g1.clone()).inv_hessian(h0).max_iters(max_iter as u64 - 1))
            .timer(false)
            .ctrlc(false)
            .run()
    })();
    let (status, iters) = match &run {
        Ok(r) => (Some(r.state().get_termination_status().clone()), r.state().get_iter() as usize + 1),
        Err(_) => (None, problem.gradients.get() + 1),
    };
    let (x, fx, g) = problem.best.into_inner().expect("the first step is finite");
    let termination = if converged(&g, fx) {
        Termination::Converged
    } else {
        match status {
            Some(TerminationStatus::Terminated(TerminationReason::MaxItersReached)) => Termination::MaxIterations,
            // the cost stopped changing, or the line search found no better point
            _ if gmax(&g) <= 1e-6 * fx.abs().max(1.0) => Termination::Converged,
            _ => Termination::LineSearchFailed,
        }
    };
    Ok(OptResult { x, iterations: iters, termination })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function (minimum 0 at (1, 1)).
    struct Rosen;
    impl Objective for Rosen {
        fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
            let (a, b) = (x[0], x[1]);
            let f = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
            Some((f, vec![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)]))
        }
    }

    #[test]
    fn both_optimisers_find_the_rosenbrock_minimum() {
        for which in [Optimiser::Argmin, Optimiser::Bfgs] {
            let r = minimise(which, &mut Rosen, &[-1.2, 1.0], 500).unwrap();
            assert_eq!(r.termination, Termination::Converged, "{which:?}");
            assert!((r.x[0] - 1.0).abs() < 1e-5 && (r.x[1] - 1.0).abs() < 1e-5, "{which:?}: {:?}", r.x);
        }
    }

    /// A domain edge: the objective is undefined for x < 0.
    struct Edge;
    impl Objective for Edge {
        fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
            (x[0] > 0.0).then(|| ((x[0] - 0.2).powi(2) - x[0].ln() * 0.01, vec![2.0 * (x[0] - 0.2) - 0.01 / x[0]]))
        }
    }

    #[test]
    fn infinite_values_shrink_the_step() {
        for which in [Optimiser::Argmin, Optimiser::Bfgs] {
            let r = minimise(which, &mut Edge, &[3.0], 100).unwrap();
            let want = (0.2 + (0.04f64 + 0.02).sqrt()) / 2.0;
            assert!((r.x[0] - want).abs() < 1e-6, "{which:?} {:?} {:?}", r.x, r.termination);
        }
    }
}
