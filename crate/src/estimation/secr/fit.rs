//! Fit assembly, one for single- and multi-session models: optimise the detection
//! coefficients with the densities profiled out, put the densities back, take the covariance
//! from the Hessian, and turn coefficients into real parameters per session and group.

use super::hessian::{hessian, invert};
use super::optimise::{minimise, OptResult};
use super::problem::{build_problem, Param};
use super::result::{lognormal, real_log, real_logit};
use super::sessions::{setup, NegProfile, SessionData, SetTotals, Setup};
use super::start::start_values;
use super::{
    Capthist, GroupEstimate, Mask, RealParam, RealParameters, SecrError, SecrFit, SecrModel, SessionEstimate,
    Termination, Traps,
};

/// Log-likelihood at fixed real parameters, as secr.fit(..., method = "none") reports it
/// (full likelihood unless `model.conditional`). Groups are ignored here (use
/// [`secr_loglik_sessions`] for grouped or multi-session models).
pub fn secr_loglik(
    traps: &Traps,
    capthist: &Capthist,
    mask: &Mask,
    model: &SecrModel,
    params: &RealParameters,
) -> Result<f64, SecrError> {
    if capthist.n_detections() == 0 {
        return Err(SecrError::NoDetections);
    }
    let mut prob = build_problem(traps, capthist, mask, model)?;
    let th = prob.param.link(params);
    let r = if model.conditional {
        prob.core(&th).map(|x| x.0)
    } else {
        let mut beta = vec![params.d.ln()];
        beta.extend(th);
        prob.full(&beta)
    };
    r.ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// Log-likelihood of a grouped and/or multi-session model at link-scale coefficients `beta`
/// (layout in the `sessions` module documentation; the names are those of [`SecrFit::beta_names`]).
pub fn secr_loglik_sessions(sessions: &[SessionData], model: &SecrModel, beta: &[f64]) -> Result<f64, SecrError> {
    let mut st = setup(sessions, model)?;
    if beta.len() != st.lay.np {
        let names = st.lay.names(model, &sessions.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
        return Err(SecrError::Invalid(format!("beta needs {} values ({})", st.lay.np, names.join(", "))));
    }
    st.loglik(beta).ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// Fits an SECR model by maximum likelihood.
///
/// With [`SecrModel::groups`] set, the capture histories must carry group labels and the model
/// is fitted by groups (see [`fit_secr_sessions`]).
pub fn fit_secr(traps: &Traps, capthist: &Capthist, mask: &Mask, model: &SecrModel) -> Result<SecrFit, SecrError> {
    let s = SessionData { name: "1".into(), traps: traps.clone(), capthist: capthist.clone(), mask: mask.clone() };
    fit_secr_sessions(std::slice::from_ref(&s), model)
}

/// Optimises the detection coefficients (densities profiled out) and returns the full beta
/// with the densities at their MLE given the detection coefficients.
fn optimise(st: &mut Setup, sessions: &[SessionData], model: &SecrModel) -> Result<(Vec<f64>, OptResult), SecrError> {
    let start = {
        let mut r = Err(SecrError::NoRecaptures);
        for s in sessions {
            r = start_values(&s.traps, &s.capthist, model);
            if r.is_ok() {
                break;
            }
        }
        r?
    };
    let lay = &st.lay;
    let param = Param { detectfn: model.detectfn, learned: model.learned_response };
    let th1 = param.link(&start);
    let mut det0 = vec![0.0; lay.np - lay.nd];
    for g in 0..lay.ng {
        for (k, &idx) in lay.th_map(g).iter().enumerate() {
            det0[idx - lay.nd] = th1[k];
        }
    }
    let opt = minimise(model.optimiser, &mut NegProfile(st), &det0, model.max_iterations)?;
    let nd = st.lay.nd;
    let mut beta = vec![0.0; nd];
    beta.extend_from_slice(&opt.x);
    let sets = st.sets(&beta).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
    if st.lay.full {
        for (j, (n, a)) in sets.iter().enumerate() {
            beta[j] = (n / a).ln();
        }
    }
    Ok((beta, opt))
}

/// Fits a grouped and/or multi-session SECR model (sessions share the detection parameters,
/// each has its own density; see the `sessions` module for secr's conventions). With one
/// session and no groups this is the model of [`fit_secr`].
pub fn fit_secr_sessions(sessions: &[SessionData], model: &SecrModel) -> Result<SecrFit, SecrError> {
    if sessions.iter().all(|s| s.capthist.n_detections() == 0) {
        return Err(SecrError::NoDetections);
    }
    let mut st = setup(sessions, model)?;
    let (beta, opt) = optimise(&mut st, sessions, model)?;
    let loglik = st.loglik(&beta).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
    let vcv = {
        let mut f = |b: &[f64]| st.loglik(b).map(|v| -v);
        hessian(model.hessian, &mut f, &beta).and_then(|h| invert(&h))
    };
    let vcv = vcv.filter(|v| (0..v.len()).all(|i| v[i][i] > 0.0));
    let mut warnings = Vec::new();
    if vcv.is_none() {
        warnings.push("Hessian not negative definite at the optimum: no standard errors".into());
    }
    if opt.termination != Termination::Converged {
        warnings.push(format!("optimiser stopped before convergence: {:?}", opt.termination));
    }
    let derived = DerivedSets::new(&mut st, &beta, vcv.is_some());
    let esa: Vec<f64> = (0..st.comps.len())
        .map(|i| {
            let th = st.th(&st.comps[i], &beta);
            st.comps[i].prob.core(&th).map(|r| r.1).unwrap_or(f64::NAN)
        })
        .collect();
    let asm = Assembly { st: &st, beta: &beta, vcv: vcv.as_ref(), model, derived: &derived };
    let (session_d, group_d) = asm.densities();
    let grouped = !st.lay.levels.is_empty();
    let groups_of = |s: usize| asm.groups(s, &group_d[s], &esa);
    let sessions_out = (st.lay.ns > 1).then(|| {
        sessions
            .iter()
            .enumerate()
            .map(|(s, sd)| SessionEstimate {
                session: sd.name.clone(),
                n_animals: sd.capthist.n_animals(),
                n_detections: sd.capthist.n_detections(),
                mask_points: sd.mask.len(),
                d: session_d[s].clone(),
                groups: grouped.then(|| groups_of(s)),
            })
            .collect()
    });
    let groups_out = (grouped && st.lay.ns == 1).then(|| groups_of(0));
    let (a0, a_b, sigma) = asm.group_real(0);
    let hazard = model.detectfn.is_hazard();
    let n: usize = sessions.iter().map(|s| s.capthist.n_animals()).sum();
    let np = beta.len();
    let aic = -2.0 * loglik + 2.0 * np as f64;
    let aicc = if n > np + 1 { aic + 2.0 * (np * (np + 1)) as f64 / (n - np - 1) as f64 } else { aic };
    let d = session_d[0].clone();
    let names = st.lay.names(model, &sessions.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
    let form = if st.comps[0].prob.engine.kind.collapsed() { "fastproximity" } else { "occasion-by-occasion" };
    Ok(SecrFit {
        d_per_ha: d.estimate,
        d_per_100km2: d.estimate * 1e4,
        d,
        d_derived: model.conditional,
        g0: (!hazard).then(|| a0.clone()),
        lambda0: hazard.then_some(a0),
        g0_b: a_b,
        sigma,
        z: st.lay.z_idx.map(|i| real_log(beta[i], asm.se(i))),
        esa_ha: esa[0],
        loglik,
        aic,
        aicc,
        n_parameters: np,
        n_animals: n,
        n_detections: sessions.iter().map(|s| s.capthist.n_detections()).sum(),
        mask_points: sessions[0].mask.len(),
        mask_area_ha: sessions[0].mask.area_ha(),
        converged: opt.termination == Termination::Converged,
        termination: opt.termination,
        iterations: opt.iterations,
        function_evaluations: st.evals(),
        detectfn: model.detectfn,
        detector: model.detector,
        conditional: model.conditional,
        likelihood_form: form.to_string(),
        beta_names: names,
        beta: beta.clone(),
        beta_vcv: vcv,
        warnings,
        groups: groups_out,
        sessions: sessions_out,
    })
}

/// Conditional likelihood: (N_j, A_j) of the density sets at θ̂ and at θ̂ ± h_i for secr's
/// `derived()` variance of D̂ = N / A.
struct DerivedSets {
    base: SetTotals,
    steps: Vec<(SetTotals, SetTotals, f64)>,
}

impl DerivedSets {
    fn new(st: &mut Setup, beta: &[f64], have_vcv: bool) -> Self {
        let mut d = DerivedSets { base: Vec::new(), steps: Vec::new() };
        if st.lay.full {
            return d;
        }
        d.base = st.sets(beta).unwrap_or_default();
        if !have_vcv {
            return d;
        }
        let mut tt = beta.to_vec();
        for i in 0..beta.len() {
            let h = 1e-4 * beta[i].abs().max(1.0);
            tt[i] = beta[i] + h;
            let p = st.sets(&tt);
            tt[i] = beta[i] - h;
            let m = st.sets(&tt);
            tt[i] = beta[i];
            match (p, m) {
                (Some(p), Some(m)) => d.steps.push((p, m, h)),
                _ => {
                    d.steps.clear();
                    break;
                }
            }
        }
        d
    }
}

/// Real parameters from the coefficients and their covariance.
struct Assembly<'a> {
    st: &'a Setup,
    beta: &'a [f64],
    vcv: Option<&'a Vec<Vec<f64>>>,
    model: &'a SecrModel,
    derived: &'a DerivedSets,
}

type GroupReal = (RealParam, Option<RealParam>, RealParam);

impl Assembly<'_> {
    fn se(&self, i: usize) -> Option<f64> {
        self.vcv.map(|v| v[i][i].sqrt())
    }

    fn intercept(&self, b: f64, s: Option<f64>) -> RealParam {
        if self.model.detectfn.is_hazard() {
            real_log(b, s)
        } else {
            real_logit(b, s)
        }
    }

    /// Density of a linear combination Σ c·D_j of density sets (coefficient, set).
    fn density(&self, terms: &[(f64, usize)]) -> RealParam {
        let beta = self.beta;
        if self.st.lay.full {
            if let [(c, j)] = terms {
                if *c == 1.0 {
                    return real_log(beta[*j], self.se(*j));
                }
            }
            let est: f64 = terms.iter().map(|(c, j)| c * beta[*j].exp()).sum();
            let s = self.vcv.map(|v| {
                let mut q = 0.0;
                for (ci, i) in terms {
                    for (cj, j) in terms {
                        q += ci * beta[*i].exp() * cj * beta[*j].exp() * v[*i][*j];
                    }
                }
                q.max(0.0).sqrt()
            });
            return lognormal(est, s);
        }
        // secr derived(): var = Σ c² N / A² (Poisson n) + g' V g, g = gradient of Σ c N / A(θ)
        let base = &self.derived.base;
        let value = |sets: &[(f64, f64)]| -> f64 { terms.iter().map(|(c, j)| c * sets[*j].0 / sets[*j].1).sum() };
        let est = value(base);
        let s = self.vcv.filter(|_| !self.derived.steps.is_empty()).map(|v| {
            let g: Vec<f64> = self.derived.steps.iter().map(|(p, m, h)| (value(p) - value(m)) / (2.0 * h)).collect();
            let mut q: f64 = terms.iter().map(|(c, j)| c * c * base[*j].0 / (base[*j].1 * base[*j].1)).sum();
            for i in 0..g.len() {
                for j in 0..g.len() {
                    q += g[i] * v[i][j] * g[j];
                }
            }
            q.max(0.0).sqrt()
        });
        lognormal(est, s)
    }

    /// Density of each session (summed over groups) and of each session × group.
    fn densities(&self) -> (Vec<RealParam>, Vec<Vec<RealParam>>) {
        let lay = &self.st.lay;
        let ngd = if lay.vary.d { lay.ng } else { 1 };
        let mult = if lay.vary.d { 1.0 } else { lay.ng as f64 };
        let mut session_d = Vec::new();
        let mut group_d = Vec::new();
        for s in 0..lay.ns {
            let terms: Vec<(f64, usize)> = (0..ngd).map(|g| (mult, lay.d_set(s, g))).collect();
            session_d.push(self.density(&terms));
            group_d.push((0..lay.ng).map(|g| self.density(&[(1.0, lay.d_set(s, g))])).collect());
        }
        (session_d, group_d)
    }

    /// g0/lambda0, g0/lambda0 after detection, and sigma of group g.
    fn group_real(&self, g: usize) -> GroupReal {
        let (lay, beta) = (&self.st.lay, self.beta);
        let ai = lay.a_idx(g);
        let a0 = self.intercept(beta[ai], self.se(ai));
        let ab = lay.b_idx.map(|bi| {
            let s = self.vcv.map(|v| (v[ai][ai] + v[bi][bi] + 2.0 * v[ai][bi]).max(0.0).sqrt());
            self.intercept(beta[ai] + beta[bi], s)
        });
        let si = lay.sig_idx(g);
        (a0, ab, real_log(beta[si], self.se(si)))
    }

    fn groups(&self, s: usize, group_d: &[RealParam], esa: &[f64]) -> Vec<GroupEstimate> {
        let lay = &self.st.lay;
        let hazard = self.model.detectfn.is_hazard();
        (0..lay.ng)
            .map(|g| {
                let (a0, ab, sigma) = self.group_real(g);
                let ci = s * lay.ng + g;
                GroupEstimate {
                    group: lay.levels[g].clone(),
                    n_animals: self.st.comps[ci].n,
                    d: group_d[g].clone(),
                    g0: (!hazard).then(|| a0.clone()),
                    lambda0: hazard.then_some(a0),
                    g0_b: ab,
                    sigma,
                    esa_ha: esa[ci],
                }
            })
            .collect()
    }
}
