//! Fit assembly, one for single- and multi-session models: optimise the free coefficients with
//! the density levels profiled out (on a scale where every coefficient moves by about one unit),
//! put the levels back, take the covariance from the Hessian, and turn coefficients into real
//! parameters, predictions, numbers of animals and density surfaces per session and group.

use super::formula::{NewData, Par};
use super::hessian::{hessian, invert};
use super::optimise::{minimise, OptResult};
use super::result::{lognormal, real_log, real_logit, DensitySurface, Prediction, RegionN};
use super::sessions::{setup, NegProfile, SetTotals, Setup};
use super::spec::SessionData;
use super::start::start_candidates;
use super::{
    Capthist, GroupEstimate, Mask, RealParam, RealParameters, SecrError, SecrFit, SecrModel, SessionEstimate,
    Termination, Traps,
};
use crate::estimation::secr::likelihood::CoreOut;

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
    let s = [SessionData { name: "1".into(), traps: traps.clone(), capthist: capthist.clone(), mask: mask.clone() }];
    let m = SecrModel { groups: None, formulas: Vec::new(), ..model.clone() };
    let mut st = setup(&s, &m)?;
    let link_a = |a: f64| if m.detectfn.is_hazard() { a.ln() } else { (a / (1.0 - a)).ln() };
    let beta: Vec<f64> = st
        .design
        .names
        .iter()
        .map(|n| match n.as_str() {
            "D" => params.d.ln(),
            "sigma" => params.sigma.ln(),
            "z" => params.z.unwrap_or(5.0).ln(),
            x if x.ends_with(".bTRUE") => link_a(params.g0_b.unwrap_or(params.g0)) - link_a(params.g0),
            _ => link_a(params.g0),
        })
        .collect();
    st.loglik(&beta).ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// Log-likelihood of a grouped and/or multi-session model at link-scale coefficients `beta`
/// (in the order of [`SecrFit::beta_names`]).
pub fn secr_loglik_sessions(sessions: &[SessionData], model: &SecrModel, beta: &[f64]) -> Result<f64, SecrError> {
    let mut st = setup(sessions, model)?;
    if beta.len() != st.np() {
        return Err(SecrError::Invalid(format!("beta needs {} values ({})", st.np(), st.design.names.join(", "))));
    }
    st.loglik(beta).ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// One worker's part of a log-likelihood evaluation: the terms of the animals `animals` of
/// session `session` (ungrouped models), plus, when `global`, every term that belongs to no
/// animal. Over a partition of every session's animals with one global part per session, the
/// parts' values and gradients (in the order of [`SecrFit::beta_names`]) sum to the
/// log-likelihood of [`secr_loglik_sessions`] and its gradient, so that a pool of workers can
/// share one evaluation. A pure function of its inputs (each call rebuilds the session's
/// likelihood data; a worker keeps them between calls in practice).
pub fn secr_loglik_part(
    sessions: &[SessionData],
    model: &SecrModel,
    beta: &[f64],
    session: usize,
    animals: std::ops::Range<usize>,
    global: bool,
) -> Result<(f64, Vec<f64>), SecrError> {
    let mut st = setup(sessions, model)?;
    if st.ng > 1 {
        return Err(SecrError::Invalid("parts of grouped models are not supported: split by session".into()));
    }
    if beta.len() != st.np() || session >= st.ns || animals.end > st.comps[session].n || animals.start > animals.end {
        return Err(SecrError::Invalid("part out of range".into()));
    }
    let full = st.full;
    st.comps[session]
        .prob
        .partial(beta, animals, global, full)
        .ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// Fits an SECR model by maximum likelihood.
///
/// With [`SecrModel::groups`] set, the capture histories must carry group labels and the model
/// is fitted by groups (see [`fit_secr_sessions`]).
pub fn fit_secr(traps: &Traps, capthist: &Capthist, mask: &Mask, model: &SecrModel) -> Result<SecrFit, SecrError> {
    let s = SessionData { name: "1".into(), traps: traps.clone(), capthist: capthist.clone(), mask: mask.clone() };
    fit_secr_sessions(std::slice::from_ref(&s), model)
}

/// Scale of each coefficient for the optimiser and the Hessian (1 / nlm's `typsize`, chosen
/// from the data): for a slope whose covariate reaches beyond ±10 (e.g. metres), the largest
/// absolute value of the covariate over its rows; 1 otherwise (levels, contrasts, standardised
/// coordinates), as secr's default typsize. A slope then moves by about one unit.
fn scales(st: &Setup, typsize: Option<&Vec<f64>>) -> Vec<f64> {
    let np = st.np();
    if let Some(t) = typsize.filter(|t| t.len() == np && t.iter().all(|v| v.is_finite() && *v > 0.0)) {
        return t.iter().map(|v| 1.0 / v).collect();
    }
    let mut mx = vec![0.0f64; np];
    for c in &st.comps {
        let d = &c.prob.design;
        let rows = d.d.iter().flatten().chain(&d.a).chain(&d.sigma).chain(&d.z);
        for r in rows {
            for &(j, v) in r {
                mx[j] = mx[j].max(v.abs());
            }
        }
    }
    (0..np).map(|j| if st.design.level[j] || mx[j] <= 10.0 { 1.0 } else { mx[j].min(1e9) }).collect()
}

/// The optimiser's objective in scaled coordinates u = β · scale.
struct Scaled<'a> {
    inner: NegProfile<'a>,
    scale: Vec<f64>,
}

impl super::optimise::Objective for Scaled<'_> {
    fn value_grad(&mut self, u: &[f64]) -> Option<(f64, Vec<f64>)> {
        let beta: Vec<f64> = u.iter().zip(&self.scale).map(|(a, s)| a / s).collect();
        let (f, g) = self.inner.value_grad(&beta)?;
        Some((f, g.iter().zip(&self.scale).map(|(a, s)| a / s).collect()))
    }
}

/// Starting coefficients from real starting values: levels of g0/λ0, σ and z at their link
/// values, everything else 0.
fn start_beta(st: &Setup, start: &RealParameters, hazard: bool) -> Vec<f64> {
    let link_a = |a: f64| if hazard { a.ln() } else { (a / (1.0 - a)).ln() };
    (0..st.np())
        .map(|j| match (st.design.par[j], st.design.level[j]) {
            (Par::A, true) => link_a(start.g0),
            (Par::Sigma, true) => start.sigma.ln(),
            (Par::Z, true) => start.z.unwrap_or(5.0).ln(),
            _ => 0.0,
        })
        .collect()
}

/// Optimises the free coefficients from the first start whose likelihood is finite (the
/// data-derived start, then fallbacks), and returns the full beta with the density levels at
/// their MLE given the rest.
fn optimise(
    st: &mut Setup,
    sessions: &[SessionData],
    model: &SecrModel,
    notes: &mut Vec<String>,
) -> Result<(Vec<f64>, OptResult), SecrError> {
    let starts = start_candidates(sessions, model)?;
    let free = st.free();
    let all_scale = scales(st, model.typsize.as_ref());
    let scale: Vec<f64> = free.iter().map(|&j| all_scale[j]).collect();
    let mut last_err = None;
    for (i, start) in starts.iter().enumerate() {
        let b0 = start_beta(st, start, model.detectfn.is_hazard());
        let u0: Vec<f64> = free.iter().zip(&scale).map(|(&j, s)| b0[j] * s).collect();
        let mut obj = Scaled { inner: NegProfile(st), scale: scale.clone() };
        match minimise(model.optimiser, &mut obj, &u0, model.max_iterations) {
            Ok(mut opt) => {
                if i > 0 {
                    notes.push(format!(
                        "the data-derived starting values gave a non-finite likelihood; fitted from fallback start {i} ({} {:.4}, sigma {:.1} m)",
                        model.detectfn.intercept_name(),
                        start.g0,
                        start.sigma
                    ));
                }
                let mut beta = vec![0.0; st.np()];
                for ((&j, u), s) in free.iter().zip(&opt.x).zip(&scale) {
                    beta[j] = u / s;
                }
                opt.x = beta.clone();
                if st.full {
                    st.profile_levels(&mut beta)
                        .ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
                }
                return Ok((beta, opt));
            }
            Err(e @ SecrError::BadStart(_)) => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| SecrError::BadStart("no starting values".into())))
}

/// Why a fit did not converge and what to try.
fn advice(t: Termination, detectfn: super::DetectFn) -> String {
    match t {
        Termination::Converged => String::new(),
        Termination::MaxIterations => "the optimiser reached its iteration limit: raise max_iterations, or simplify the model (fewer covariates, a coarser mask)".into(),
        Termination::LineSearchFailed => format!(
            "the optimiser could not improve the likelihood although its gradient is not small: the estimates may not be the maximum; try other starting values, another detection function than {detectfn:?}, a mask with a wider buffer, or rescale covariates (e.g. km instead of m)"
        ),
    }
}

/// Fits a grouped and/or multi-session SECR model (sessions share the detection parameters
/// unless the formulas say otherwise; see the `sessions` and `formula` modules for secr's
/// conventions). With one session and no groups this is the model of [`fit_secr`].
pub fn fit_secr_sessions(sessions: &[SessionData], model: &SecrModel) -> Result<SecrFit, SecrError> {
    if sessions.iter().all(|s| s.capthist.n_detections() == 0) {
        return Err(SecrError::NoDetections);
    }
    let mut st = setup(sessions, model)?;
    if let Some(t) = &model.typsize {
        if t.len() != st.np() || t.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(SecrError::Invalid(format!(
                "typsize needs {} positive values ({})",
                st.np(),
                st.design.names.join(", ")
            )));
        }
    }
    let mut notes = std::mem::take(&mut st.notes);
    let (beta, opt) = optimise(&mut st, sessions, model, &mut notes)?;
    let loglik = st.loglik(&beta).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
    // Hessian on the optimiser's scale (nlm's typsize), then back to the coefficients
    let scale = scales(&st, model.typsize.as_ref());
    let vcv = {
        let u: Vec<f64> = beta.iter().zip(&scale).map(|(b, s)| b * s).collect();
        let mut f = |u: &[f64]| {
            let b: Vec<f64> = u.iter().zip(&scale).map(|(a, s)| a / s).collect();
            st.loglik(&b).map(|v| -v)
        };
        hessian(model.hessian, &mut f, &u).and_then(|h| invert(&h)).map(|v| {
            (0..v.len())
                .map(|i| (0..v.len()).map(|j| v[i][j] / (scale[i] * scale[j])).collect::<Vec<f64>>())
                .collect::<Vec<_>>()
        })
    };
    let vcv: Option<Vec<Vec<f64>>> = vcv.filter(|v| (0..v.len()).all(|i| v[i][i] > 0.0));
    let mut warnings = Vec::new();
    if vcv.is_none() {
        warnings.push("Hessian not negative definite at the optimum: no standard errors".into());
    }
    if opt.termination != Termination::Converged {
        warnings.push(format!("optimiser stopped before convergence: {:?}", opt.termination));
        notes.push(advice(opt.termination, model.detectfn));
    }
    let derived = DerivedSets::new(&mut st, &beta, vcv.is_some());
    let outs: Vec<CoreOut> = (0..st.comps.len())
        .map(|i| {
            st.comps[i]
                .prob
                .core(&beta)
                .ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))
        })
        .collect::<Result<_, _>>()?;
    let rn_parts = undetected_parts(&mut st, sessions, &beta)?;
    let asm = Assembly {
        st: &st,
        sessions,
        beta: &beta,
        vcv: vcv.as_ref(),
        model,
        derived: &derived,
        outs: &outs,
        rn_parts: &rn_parts,
    };
    let (session_d, group_d) = asm.densities()?;
    let grouped = !st.design.levels.is_empty();
    let sessions_out = (st.ns > 1).then(|| {
        sessions
            .iter()
            .enumerate()
            .map(|(s, sd)| {
                Ok(SessionEstimate {
                    session: sd.name.clone(),
                    n_animals: sd.capthist.n_animals(),
                    n_detections: sd.capthist.n_detections(),
                    mask_points: sd.mask.len(),
                    d: session_d[s].clone(),
                    groups: if grouped { Some(asm.groups(s, &group_d[s])?) } else { None },
                })
            })
            .collect::<Result<Vec<_>, SecrError>>()
    });
    let sessions_out = sessions_out.transpose()?;
    let groups_out = if grouped && st.ns == 1 { Some(asm.groups(0, &group_d[0])?) } else { None };
    let (a0, a_b, sigma, z) = asm.detection(0, 0, &Vec::new())?;
    let hazard = model.detectfn.is_hazard();
    let n: usize = sessions.iter().map(|s| s.capthist.n_animals()).sum();
    let np = beta.len();
    let aic = -2.0 * loglik + 2.0 * np as f64;
    let aicc = if n > np + 1 { aic + 2.0 * (np * (np + 1)) as f64 / (n - np - 1) as f64 } else { aic };
    let d = session_d[0].clone();
    let form = if st.comps[0].prob.engine.kind.collapsed() { "fastproximity" } else { "occasion-by-occasion" };
    let predictions = asm.predictions()?;
    let region_n = asm.region_n(&session_d)?;
    let density_surface = if model.surface { asm.surfaces()? } else { Vec::new() };
    Ok(SecrFit {
        d_per_ha: d.estimate,
        d_per_100km2: d.estimate * 1e4,
        d,
        d_derived: model.conditional,
        g0: (!hazard).then(|| a0.clone()),
        lambda0: hazard.then_some(a0),
        g0_b: a_b,
        sigma,
        z,
        esa_ha: outs[0].esa,
        loglik,
        aic,
        aicc,
        n_parameters: np,
        n_animals: n,
        n_detections: sessions.iter().map(|s| s.capthist.n_detections()).sum(),
        mask_points: sessions[0].mask.len(),
        mask_area_ha: sessions[0].mask.area_ha(),
        mask_spacing_m: sessions[0].mask.spacing(),
        mask_cell_area_ha: sessions[0].mask.cell_area_ha(),
        converged: opt.termination == Termination::Converged,
        termination: opt.termination,
        iterations: opt.iterations,
        function_evaluations: st.evals(),
        detectfn: model.detectfn,
        detector: model.detector,
        conditional: model.conditional,
        likelihood_form: form.to_string(),
        beta_names: st.design.names.clone(),
        beta: beta.clone(),
        beta_vcv: vcv.clone(),
        warnings,
        groups: groups_out,
        sessions: sessions_out,
        predictions,
        region_n,
        density_surface,
        notes,
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
        if st.full {
            return d;
        }
        d.base = st.cl_totals(beta).unwrap_or_default();
        if !have_vcv {
            return d;
        }
        let mut tt = beta.to_vec();
        for i in 0..beta.len() {
            let h = 1e-4 * beta[i].abs().max(1.0);
            tt[i] = beta[i] + h;
            let p = st.cl_totals(&tt);
            tt[i] = beta[i] - h;
            let m = st.cl_totals(&tt);
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
    sessions: &'a [SessionData],
    beta: &'a [f64],
    vcv: Option<&'a Vec<Vec<f64>>>,
    model: &'a SecrModel,
    derived: &'a DerivedSets,
    outs: &'a [CoreOut],
    /// Per session: μ, the expected number of animals detected.
    rn_parts: &'a [f64],
}

type Detection4 = (RealParam, Option<RealParam>, RealParam, Option<RealParam>);

impl Assembly<'_> {
    fn eta_se(&self, row: &[(usize, f64)]) -> (f64, Option<f64>) {
        let eta = row.iter().map(|(j, v)| v * self.beta[*j]).sum();
        let se = self.vcv.map(|v| {
            let mut q = 0.0;
            for (i, a) in row {
                for (j, b) in row {
                    q += a * b * v[*i][*j];
                }
            }
            q.max(0.0).sqrt()
        });
        (eta, se)
    }

    fn quad(&self, g: &[f64]) -> Option<f64> {
        self.vcv.map(|v| {
            let mut q = 0.0;
            for i in 0..g.len() {
                for j in 0..g.len() {
                    q += g[i] * v[i][j] * g[j];
                }
            }
            q.max(0.0).sqrt()
        })
    }

    fn intercept(&self, b: f64, s: Option<f64>) -> RealParam {
        if self.model.detectfn.is_hazard() {
            real_log(b, s)
        } else {
            real_logit(b, s)
        }
    }

    /// D of session s, group g at covariate values `nd` (full likelihood): exp(x·β).
    fn d_at(&self, s: usize, g: usize, nd: &NewData) -> Result<(RealParam, Vec<f64>), SecrError> {
        let row = self.st.design.row_at(Par::D, s, g, 0, &self.sessions[s], nd)?.unwrap_or_default();
        let (eta, se) = self.eta_se(&row);
        let mut grad = vec![0.0; self.beta.len()];
        for (j, v) in &row {
            grad[*j] = v * eta.exp();
        }
        Ok((real_log(eta, se), grad))
    }

    /// Derived density (conditional likelihood) of a combination Σ c·N_j/A_j of sets.
    fn derived_d(&self, terms: &[(f64, usize)]) -> RealParam {
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

    /// Density of each session (summed over groups) and of each session × group, at secr's
    /// default covariate values.
    fn densities(&self) -> Result<(Vec<RealParam>, Vec<Vec<RealParam>>), SecrError> {
        let st = self.st;
        let (mut session_d, mut group_d) = (Vec::new(), Vec::new());
        for s in 0..st.ns {
            if !st.full {
                let per = st.cl_sets / st.ns;
                let terms: Vec<(f64, usize)> = (0..per).map(|j| (st.cl_mult, s * per + j)).collect();
                session_d.push(self.derived_d(&terms));
                group_d
                    .push((0..st.ng).map(|g| self.derived_d(&[(1.0, st.cl_set[s * st.ng + g])])).collect::<Vec<_>>());
                continue;
            }
            let mut gs = Vec::new();
            let mut total = 0.0;
            let mut grad = vec![0.0; self.beta.len()];
            for g in 0..st.ng {
                let (d, gr) = self.d_at(s, g, &Vec::new())?;
                total += d.estimate;
                grad.iter_mut().zip(&gr).for_each(|(a, b)| *a += b);
                gs.push(d);
            }
            session_d.push(if st.ng == 1 { gs[0].clone() } else { lognormal(total, self.quad(&grad)) });
            group_d.push(gs);
        }
        Ok((session_d, group_d))
    }

    /// g0/λ0, g0/λ0 after detection, σ and z of session s, group g at covariate values `nd`.
    fn detection(&self, s: usize, g: usize, nd: &NewData) -> Result<Detection4, SecrError> {
        let (d, data) = (&self.st.design, &self.sessions[s]);
        let row = |par, set| d.row_at(par, s, g, set, data, nd);
        let (ea, sa) = self.eta_se(&row(Par::A, 0)?.unwrap_or_default());
        let a0 = self.intercept(ea, sa);
        let ab = if self.model.learned_response {
            let (e, s) = self.eta_se(&row(Par::A, 1)?.unwrap_or_default());
            Some(self.intercept(e, s))
        } else {
            None
        };
        let (es, ss) = self.eta_se(&row(Par::Sigma, 0)?.unwrap_or_default());
        let z = match row(Par::Z, 0)? {
            Some(r) => {
                let (e, s) = self.eta_se(&r);
                Some(real_log(e, s))
            }
            None => None,
        };
        Ok((a0, ab, real_log(es, ss), z))
    }

    fn groups(&self, s: usize, group_d: &[RealParam]) -> Result<Vec<GroupEstimate>, SecrError> {
        let hazard = self.model.detectfn.is_hazard();
        (0..self.st.ng)
            .map(|g| {
                let (a0, ab, sigma, _) = self.detection(s, g, &Vec::new())?;
                let ci = s * self.st.ng + g;
                Ok(GroupEstimate {
                    group: self.st.design.levels[g].clone(),
                    n_animals: self.st.comps[ci].n,
                    d: group_d[g].clone(),
                    g0: (!hazard).then(|| a0.clone()),
                    lambda0: hazard.then_some(a0),
                    g0_b: ab,
                    sigma,
                    esa_ha: self.outs[ci].esa,
                })
            })
            .collect()
    }

    /// Real parameters per session × group at the defaults and at each new-data row.
    fn predictions(&self) -> Result<Vec<Prediction>, SecrError> {
        let mut out = Vec::new();
        let mut rows: Vec<NewData> = vec![Vec::new()];
        rows.extend(self.model.newdata.iter().cloned());
        let (alabel, alink) = if self.model.detectfn.is_hazard() { ("lambda0", "log") } else { ("g0", "logit") };
        for (s, data) in self.sessions.iter().enumerate() {
            for g in 0..self.st.ng {
                for nd in &rows {
                    let label = if nd.is_empty() {
                        "default".to_string()
                    } else {
                        nd.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
                    };
                    let group = self.st.design.levels.get(g).cloned();
                    let mut push = |parameter: &str, link: &str, value: RealParam| {
                        out.push(Prediction {
                            session: data.name.clone(),
                            group: group.clone(),
                            newdata: label.clone(),
                            parameter: parameter.into(),
                            link: link.into(),
                            value,
                        })
                    };
                    if self.st.full {
                        push("D", "log", self.d_at(s, g, nd)?.0);
                    }
                    let (a0, _, sigma, z) = self.detection(s, g, nd)?;
                    push(alabel, alink, a0);
                    push("sigma", "log", sigma);
                    if let Some(z) = z {
                        push("z", "log", z);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Expected and realised N in each session's mask (secr's `region.N`, RN.method "MSPE").
    fn region_n(&self, session_d: &[RealParam]) -> Result<Vec<RegionN>, SecrError> {
        let st = self.st;
        let mut out = Vec::new();
        for (s, data) in self.sessions.iter().enumerate() {
            let (area, cell) = (data.mask.area_ha(), data.mask.cell_area_ha());
            let n = data.capthist.n_animals();
            let comps: Vec<usize> = (0..st.comps.len()).filter(|&c| st.comps[c].s == s).collect();
            if !st.full {
                let d = &session_d[s];
                let e_n = lognormal(d.estimate * area, d.se.map(|v| v * area));
                let esa: f64 = comps.iter().map(|&c| self.outs[c].esa).sum::<f64>() / comps.len() as f64;
                let r = n as f64 + d.estimate * (area - esa);
                out.push(RegionN { session: data.name.clone(), area_ha: area, e_n, r_n: bounded(r, None, n), n });
                continue;
            }
            // E.N = Σ_g Σ_x D_g(x)·cell and its gradient in β
            let mut e_n = 0.0;
            let mut grad = vec![0.0; self.beta.len()];
            for g in 0..st.ng {
                let rows = st.design.d_rows(s, g, data)?.unwrap_or_default();
                for r in &rows {
                    let d = r.iter().map(|(j, v)| v * self.beta[*j]).sum::<f64>().exp() * cell;
                    e_n += d;
                    for (j, v) in r {
                        grad[*j] += v * d;
                    }
                }
            }
            // secr: SE(D̂) × area for D ~ 1, else the delta method on the D coefficients
            let d_cols = st.design.par.iter().filter(|p| **p == Par::D).count();
            let se_en = if d_cols == 1 { session_d[s].se.map(|v| v * area) } else { self.quad(&grad) };
            let e = lognormal(e_n, se_en);
            // R.N = n + Σ_x D(x)(1 − p·(x)) cell = n + E.N − μ; SE as secr's default
            // RN.method = "poisson": √(SE(E.N)² − E.N)
            let notdet = e_n - self.rn_parts[s];
            let se_rn = se_en.map(|v| (v * v - e_n).max(0.0).sqrt());
            out.push(RegionN {
                session: data.name.clone(),
                area_ha: area,
                e_n: e,
                r_n: bounded(n as f64 + notdet, se_rn, n),
                n,
            });
        }
        Ok(out)
    }

    /// D and SE at every mask point, per session (summed over groups).
    fn surfaces(&self) -> Result<Vec<DensitySurface>, SecrError> {
        let st = self.st;
        let mut out = Vec::new();
        for (s, data) in self.sessions.iter().enumerate() {
            let m = data.mask.len();
            let (mut d, mut grads) = (vec![0.0; m], vec![vec![0.0; self.beta.len()]; m]);
            if st.full {
                for g in 0..st.ng {
                    for (i, r) in st.design.d_rows(s, g, data)?.unwrap_or_default().iter().enumerate() {
                        let v = r.iter().map(|(j, x)| x * self.beta[*j]).sum::<f64>().exp();
                        d[i] += v;
                        for (j, x) in r {
                            grads[i][*j] += x * v;
                        }
                    }
                }
            }
            let se = grads.iter().map(|g| self.quad(g)).collect();
            out.push(DensitySurface {
                session: data.name.clone(),
                x: data.mask.x().to_vec(),
                y: data.mask.y().to_vec(),
                d,
                se,
            });
        }
        Ok(out)
    }
}

/// μ_s = Σ_g D̄ S A_w (the expected number of animals detected in session s) at `beta`.
fn detected_at(st: &mut Setup, s: usize, beta: &[f64]) -> Option<f64> {
    let mut tot = 0.0;
    for c in st.comps.iter_mut().filter(|c| c.s == s) {
        let j = c.prob.design.prof?;
        let o = c.prob.core(beta)?;
        tot += beta[j].exp() * o.s_mean * o.a_w;
    }
    Some(tot)
}

/// For R.N: μ of every session (0 under the conditional likelihood).
fn undetected_parts(st: &mut Setup, sessions: &[SessionData], beta: &[f64]) -> Result<Vec<f64>, SecrError> {
    if !st.full {
        return Ok(vec![0.0; sessions.len()]);
    }
    (0..sessions.len())
        .map(|s| detected_at(st, s, beta).ok_or_else(|| SecrError::Numerical("R.N not finite".into())))
        .collect()
}

/// secr's interval for a number with lower bound n: n + (N − n)/C, n + (N − n)·C with
/// C = exp(1.96 √log(1 + (SE/(N − n))²)).
fn bounded(est: f64, se: Option<f64>, n: usize) -> RealParam {
    let n = n as f64;
    let c = se.map(|s| (1.959963984540054 * (1.0 + (s / (est - n)).powi(2)).ln().sqrt()).exp());
    RealParam { estimate: est, se, lcl: c.map(|c| n + (est - n) / c), ucl: c.map(|c| n + (est - n) * c) }
}
