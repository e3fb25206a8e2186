//! One session × group as the optimiser sees it: link functions between the real detection
//! parameters and their coefficients ([`Param`]), and the likelihood engine with its scratch
//! space and a small cache of recent evaluations ([`Problem`]).

use super::engine::{ln_fact, Engine};
use super::likelihood::{CoreGrad, Work};
use super::{Capthist, DetectFn, Mask, RealParameters, SecrError, SecrModel, Traps};

/// Link functions of the detection parameters: logit g0 (log lambda0), learned-response
/// offset, log sigma, log z.
pub(crate) struct Param {
    pub detectfn: DetectFn,
    pub learned: bool,
}

impl Param {
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
    pub fn real(&self, th: &[f64]) -> ([f64; 2], f64, f64) {
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
    /// Detection coefficients from real parameters.
    pub fn link(&self, p: &RealParameters) -> Vec<f64> {
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

/// The likelihood of one component (session × group) at detection coefficients.
pub(crate) struct Problem {
    pub engine: Engine,
    pub param: Param,
    pub work: Work,
    cache: CoreCache,
    pub evals: usize,
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
    fn remember(&mut self, th: &[f64], r: Option<(f64, f64)>) {
        if self.cache.len() > 64 {
            self.cache.remove(0);
        }
        self.cache.push((th.to_vec(), r));
    }
    /// Conditional log-likelihood and effective sampling area (ha) at detection coefficients.
    pub fn core(&mut self, th: &[f64]) -> Option<(f64, f64)> {
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
        self.remember(th, r);
        r
    }
    /// Conditional log-likelihood and its gradient with respect to the detection coefficients.
    pub fn core_grad(&mut self, th: &[f64]) -> Option<(f64, Vec<f64>)> {
        let (a, sigma, z) = self.real_ok(th)?;
        self.evals += 1;
        let mut g = CoreGrad::default();
        let (cl, area) = self.engine.core(&a, sigma, z, &mut self.work, Some(&mut g))?;
        self.remember(th, Some((cl, area)));
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
    /// Full log-likelihood at beta = (log D, detection coefficients).
    pub fn full(&mut self, beta: &[f64]) -> Option<f64> {
        let (cl, a) = self.core(&beta[1..])?;
        let n = self.engine.n as f64;
        let mu = beta[0].exp() * a;
        Some(cl + n * mu.ln() - mu - ln_fact(self.engine.n))
    }
}

/// Builds the problem of one component; fails on a single detector, a mask that misses a
/// detector, or histories that do not suit the detector type. Histories without detections
/// are accepted (a group or session in which no animal was detected).
pub(crate) fn build_problem(
    traps: &Traps,
    capthist: &Capthist,
    mask: &Mask,
    model: &SecrModel,
) -> Result<Problem, SecrError> {
    if traps.len() < 2 {
        return Err(SecrError::OneDetector);
    }
    // every detector must lie within the mask (a mask point within ~one cell)
    let reach2 = (mask.spacing() * std::f64::consts::SQRT_2).powi(2) * 1.0001;
    for k in 0..traps.len() {
        let (tx, ty) = (traps.x()[k], traps.y()[k]);
        let near = mask.x().iter().zip(mask.y()).any(|(x, y)| (x - tx).powi(2) + (y - ty).powi(2) <= reach2);
        if !near {
            return Err(SecrError::MaskNotCovering(traps.ids()[k].clone()));
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

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_gradient, toy_inputs};
    use super::super::DetectorType;
    use super::*;

    fn toy(detector: DetectorType, detectfn: DetectFn, learned: bool, usage: bool) -> Problem {
        let (traps, recs, mask) = toy_inputs(usage);
        let ch = Capthist::new(&traps, 3, &recs).unwrap();
        let model = SecrModel { detector, detectfn, learned_response: learned, ..Default::default() };
        build_problem(&traps, &ch, &mask, &model).unwrap()
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
