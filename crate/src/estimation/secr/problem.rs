//! One session × group as the optimiser sees it: the likelihood engine with its scratch space,
//! the design rows that turn the coefficients into real parameters per detector and density
//! weights per mask point (links: logit g0 or log λ0, log σ, log z, log D), and a small cache
//! of recent evaluations.

use super::engine::{ln_fact, Engine};
use super::formula::{CompDesign, Row};
use super::likelihood::{CoreGrad, CoreOut, DetParams, Extra, Work};
use super::{Capthist, DetectFn, Mask, SecrError, SecrModel, Traps};

/// Recent evaluations: coefficients → values.
type CoreCache = Vec<(Vec<f64>, Option<CoreOut>)>;

fn dot(r: &Row, beta: &[f64]) -> f64 {
    r.iter().map(|(j, v)| v * beta[*j]).sum()
}

/// The likelihood of one component (session × group) at link-scale coefficients.
pub(crate) struct Problem {
    pub engine: Engine,
    pub design: CompDesign,
    pub work: Work,
    cache: CoreCache,
    pub evals: usize,
    /// Number of animals.
    pub n: usize,
}

impl Problem {
    /// Real detection parameters per detector, or None outside the domain.
    pub fn det_params(&self, beta: &[f64]) -> Option<DetParams> {
        let e = &self.engine;
        let hazard = e.detectfn.is_hazard();
        let inv = |b: f64| if hazard { b.exp() } else { 1.0 / (1.0 + (-b).exp()) };
        let nk = e.nk;
        let mut a = Vec::with_capacity(e.n_sets());
        for c in 0..e.n_sets() {
            a.push((0..nk).map(|k| inv(dot(&self.design.a[c * nk + k], beta))).collect::<Vec<f64>>());
        }
        let sigma: Vec<f64> = self.design.sigma.iter().map(|r| dot(r, beta).exp()).collect();
        let z: Vec<f64> = if e.detectfn == DetectFn::HR {
            self.design.z.iter().map(|r| dot(r, beta).exp()).collect()
        } else {
            vec![1.0; nk]
        };
        let ok = a.iter().flatten().all(|v| v.is_finite() && *v > 0.0 && (hazard || *v < 1.0))
            && sigma.iter().all(|v| v.is_finite() && *v > 0.0)
            && z.iter().all(|v| v.is_finite() && *v > 0.0);
        ok.then_some(DetParams { a, sigma, z })
    }

    /// The density shape η(x) (non-profiled D columns), if any.
    pub fn eta(&self, beta: &[f64]) -> Option<Vec<f64>> {
        self.design.d.as_ref().map(|rows| rows.iter().map(|r| dot(r, beta)).collect())
    }

    fn remember(&mut self, beta: &[f64], r: Option<CoreOut>) {
        if self.cache.len() > 64 {
            self.cache.remove(0);
        }
        self.cache.push((beta.to_vec(), r));
    }

    /// cl, A_w, S and esa at coefficients `beta` (the profiled D column is not read).
    pub fn core(&mut self, beta: &[f64]) -> Option<CoreOut> {
        if beta.iter().any(|v| !v.is_finite()) {
            return None;
        }
        if let Some((_, r)) = self.cache.iter().find(|(t, _)| t.as_slice() == beta) {
            return *r;
        }
        let r = match self.det_params(beta) {
            Some(p) => {
                self.evals += 1;
                let eta = self.eta(beta);
                self.engine.core(&p, eta.as_deref(), &mut self.work, None)
            }
            None => None,
        };
        self.remember(beta, r);
        r
    }

    /// As [`Problem::core`], with the gradient of cl + extra.a·A_w + extra.lns·log S with
    /// respect to every coefficient (zero for the profiled column and other components').
    pub fn core_grad(&mut self, beta: &[f64], extra: Extra) -> Option<(CoreOut, Vec<f64>)> {
        if beta.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let p = self.det_params(beta)?;
        self.evals += 1;
        let eta = self.eta(beta);
        let mut g = CoreGrad::default();
        let out = self.engine.core(&p, eta.as_deref(), &mut self.work, Some((&mut g, extra)))?;
        self.remember(beta, Some(out));
        let grad = self.map_grad(&g, beta.len());
        grad.iter().all(|v| v.is_finite()).then_some((out, grad))
    }

    /// Part of the log-likelihood of this component for a worker: the history terms of the
    /// animals in `range`, plus (when `global`) everything else — −n log P_w, the multinomial
    /// constant and, under the full likelihood, n log μ − μ − log n! at the density level of
    /// the profiled column. Values and gradients (in every coefficient) of a partition of the
    /// animals with one global part sum to the component's log-likelihood and its gradient.
    pub fn partial(
        &mut self,
        beta: &[f64],
        range: std::ops::Range<usize>,
        global: bool,
        full: bool,
    ) -> Option<(f64, Vec<f64>)> {
        let p = self.det_params(beta)?;
        let eta = self.eta(beta);
        let whole = self.engine.core(&p, eta.as_deref(), &mut self.work, None)?;
        let n = self.n as f64;
        let (extra, poisson) = match (full, self.design.prof) {
            (true, Some(j)) if global => {
                let d = beta[j].exp();
                let mu = d * whole.s_mean * whole.a_w;
                let e = Extra { a: n / whole.a_w - d * whole.s_mean, lns: n - d * whole.s_mean * whole.a_w };
                (e, (if self.n > 0 { n * mu.ln() } else { 0.0 } - mu - ln_fact(self.n), Some((j, n - mu))))
            }
            _ => (Extra::default(), (0.0, None)),
        };
        let mut g = CoreGrad::default();
        let out = self.engine.core_part(&p, eta.as_deref(), &mut self.work, range, global, Some((&mut g, extra)))?;
        let mut grad = self.map_grad(&g, beta.len());
        // extra.a and extra.lns stand for the Poisson term's dependence on A_w and S; its
        // derivative in the profiled level is n − μ
        if let Some((j, d)) = poisson.1 {
            grad[j] += d;
        }
        Some((out.cl + poisson.0, grad))
    }

    fn map_grad(&self, g: &CoreGrad, np: usize) -> Vec<f64> {
        let mut grad = vec![0.0; np];
        let nk = self.engine.nk;
        for (c, da) in g.da.iter().enumerate() {
            for (k, v) in da.iter().enumerate() {
                for (j, x) in &self.design.a[c * nk + k] {
                    grad[*j] += v * x;
                }
            }
        }
        for (k, v) in g.dsigma.iter().enumerate() {
            for (j, x) in &self.design.sigma[k] {
                grad[*j] += v * x;
            }
        }
        if self.engine.detectfn == DetectFn::HR {
            for (k, v) in g.dz.iter().enumerate() {
                for (j, x) in &self.design.z[k] {
                    grad[*j] += v * x;
                }
            }
        }
        if let Some(rows) = &self.design.d {
            for (v, r) in g.deta.iter().zip(rows) {
                for (j, x) in r {
                    grad[*j] += v * x;
                }
            }
        }
        grad
    }

    /// Full log-likelihood of this component at a density level log D̄ = `log_d` (the profiled
    /// column's coefficient) and coefficients `beta`.
    pub fn full(&mut self, log_d: f64, beta: &[f64]) -> Option<f64> {
        let o = self.core(beta)?;
        let mu = log_d.exp() * o.s_mean * o.a_w;
        let n = self.n as f64;
        let v = o.cl + if self.n > 0 { n * mu.ln() } else { 0.0 } - mu - ln_fact(self.n);
        v.is_finite().then_some(v)
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
    design: CompDesign,
) -> Result<Problem, SecrError> {
    if traps.len() < 2 {
        return Err(SecrError::OneDetector);
    }
    let engine = Engine::new(traps, capthist, mask, model)?;
    let work = engine.work();
    Ok(Problem { engine, design, work, cache: Vec::new(), evals: 0, n: capthist.n_animals() })
}

#[cfg(test)]
mod tests {
    use super::super::formula::build;
    use super::super::spec::SessionData;
    use super::super::testutil::{assert_gradient, toy_inputs};
    use super::super::DetectorType;
    use super::*;
    use crate::model::secr::{Covariate, Covariates};

    fn toy(model: &SecrModel, usage: bool, covariates: bool) -> (Problem, usize) {
        let (traps, recs, mask) = toy_inputs(usage);
        let (traps, mask) = if covariates {
            let mut tc = Covariates::default();
            tc.insert("trail", Covariate::factor(&(0..16).map(|k| ["off", "on"][k % 3 % 2]).collect::<Vec<_>>()));
            let mut mc = Covariates::default();
            mc.insert(
                "elev",
                Covariate::Numeric(mask.x().iter().zip(mask.y()).map(|(x, y)| (x - 2.0 * y) / 40.0).collect()),
            );
            (traps.with_covariates(tc).unwrap(), mask.with_covariates(mc).unwrap())
        } else {
            (traps, mask)
        };
        let ch = Capthist::new(&traps, 3, &recs).unwrap().with_removals(&[("b".into(), 2)]).unwrap();
        let s = [SessionData { name: "1".into(), traps: traps.clone(), capthist: ch.clone(), mask: mask.clone() }];
        let mut d = build(&s, model, Vec::new()).unwrap();
        let np = d.names.len();
        (build_problem(&traps, &ch, &mask, model, d.comps.remove(0)).unwrap(), np)
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        for det in [DetectorType::Multi, DetectorType::Proximity, DetectorType::Count] {
            for dfn in [DetectFn::HN, DetectFn::HHN, DetectFn::EX, DetectFn::HEX, DetectFn::HR] {
                for learned in [false, true] {
                    for (usage, cov) in [(false, false), (true, false), (false, true), (true, true)] {
                        let formulas = if cov {
                            vec![
                                "D ~ elev".to_string(),
                                format!("{} ~ trail", dfn.intercept_name()),
                                "sigma ~ trail".into(),
                            ]
                        } else {
                            Vec::new()
                        };
                        let model = SecrModel {
                            detector: det,
                            detectfn: dfn,
                            learned_response: learned,
                            formulas,
                            ..Default::default()
                        };
                        let (mut p, np) = toy(&model, usage, cov);
                        let beta: Vec<f64> = (0..np).map(|j| [0.3, -0.7, 0.4, 3.2, -0.2, 1.1, 0.25][j % 7]).collect();
                        let mut beta = beta;
                        for (j, n) in p_names(&model, usage, cov).iter().enumerate() {
                            if n.starts_with("sigma") && !n.contains('.') {
                                beta[j] = 25f64.ln();
                            }
                            if n == "z" {
                                beta[j] = 3f64.ln();
                            }
                        }
                        let extra = Extra { a: 0.3, lns: -0.8 };
                        let (_, g) = p.core_grad(&beta, extra).unwrap();
                        let label = format!("{det:?} {dfn:?} learned {learned} usage {usage} covariates {cov}");
                        let prof = p.design.prof;
                        let val = |t: &[f64]| {
                            let o = p.core(t).unwrap();
                            o.cl + extra.a * o.a_w + extra.lns * o.s_mean.ln()
                        };
                        let mut g2 = g.clone();
                        if let Some(j) = prof {
                            g2[j] = 0.0;
                        }
                        assert_gradient(&beta, &g2, val, &label);
                    }
                }
            }
        }
    }

    fn p_names(model: &SecrModel, usage: bool, cov: bool) -> Vec<String> {
        let (traps, recs, mask) = toy_inputs(usage);
        let _ = (recs, cov);
        let mut tc = Covariates::default();
        tc.insert("trail", Covariate::factor(&(0..16).map(|k| ["off", "on"][k % 3 % 2]).collect::<Vec<_>>()));
        let mut mc = Covariates::default();
        mc.insert("elev", Covariate::Numeric(vec![0.0; mask.len()]));
        let ch = Capthist::new(&traps, 3, &[("a".into(), 1, "0-0".into())]).unwrap();
        let s = [SessionData {
            name: "1".into(),
            traps: traps.with_covariates(tc).unwrap(),
            capthist: ch,
            mask: mask.with_covariates(mc).unwrap(),
        }];
        build(&s, model, Vec::new()).unwrap().names
    }
}
