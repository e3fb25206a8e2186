//! Grouped and multi-session SECR likelihoods, and a model-selection table.
//!
//! The likelihood is secr's (5.x `generalsecrloglikfn`, `logmultinom`): with groups, every
//! session × group is an independent component with its own Poisson count of detected animals,
//! its own multinomial constant log(n_g!) − Σ log(n_ω!) over the group's distinct histories,
//! and its own probability of detection p·_g; the log-likelihood is the sum over components.
//! Density refers to each group separately (secr's density design has one row per mask point,
//! group and session): `D ~ 1` with groups means every group has the same density D, so the
//! total density is G·D; `D ~ g` gives each group its own D_g. Several sessions share the
//! detection parameters and each has its own density (secr's `D ~ session`).
//!
//! Link-scale coefficients (`beta`) are, in this order: the log densities (one per session,
//! or per session and group with `D ~ g`, sessions outer; none under the conditional
//! likelihood), the g0/lambda0 intercepts (one, or one per group level with `g0 ~ g`), the
//! learned-response coefficient (if any), the log sigmas (one, or one per group level with
//! `sigma ~ g`) and log z (hazard rate). Each group level has its own coefficient (cell means,
//! not treatment contrasts); the real parameters, log-likelihood and AIC are those of secr's
//! `~ g` models.
//!
//! As in [`fit_secr`], the densities are profiled out while the detection coefficients are
//! found by BFGS with the hand-coded gradient of each component; a density shared by several
//! components (groups with `D ~ 1`) adds D̂·∂a/∂θ terms, which the likelihood engine takes as
//! an extra adjoint of Σ p·.

use super::*;

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

/// Real parameters of one group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupEstimate {
    pub group: String,
    pub n_animals: usize,
    /// Density of the group (per ha); derived under the conditional likelihood.
    #[serde(rename = "D")]
    pub d: RealParam,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0: Option<RealParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda0: Option<RealParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g0_b: Option<RealParam>,
    pub sigma: RealParam,
    /// Effective sampling area of the group (ha).
    pub esa_ha: f64,
}

/// Density and counts of one session.
#[derive(Clone, Debug, Serialize)]
pub struct SessionEstimate {
    pub session: String,
    pub n_animals: usize,
    pub n_detections: usize,
    pub mask_points: usize,
    /// Density per ha, summed over groups.
    #[serde(rename = "D")]
    pub d: RealParam,
    /// Per-group estimates in this session (grouped models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupEstimate>>,
}

/// One row of [`model_table`].
#[derive(Clone, Debug, Serialize)]
pub struct ModelTableRow {
    pub model: String,
    pub n_parameters: usize,
    pub n_animals: usize,
    pub loglik: f64,
    pub aic: f64,
    pub aicc: f64,
    #[serde(rename = "dAIC")]
    pub delta_aic: f64,
    #[serde(rename = "dAICc")]
    pub delta_aicc: f64,
    /// Akaike weight exp(−ΔAIC/2) / Σ exp(−ΔAIC/2).
    #[serde(rename = "AICwt")]
    pub aic_weight: f64,
    /// The same from AICc (secr's default `AICcwt`).
    #[serde(rename = "AICcwt")]
    pub aicc_weight: f64,
    pub converged: bool,
}

/// Model-selection table as secr's `AIC()` / `collate` give it: rows sorted by AICc (ties by
/// AIC), with ΔAIC, ΔAICc and Akaike weights. Only models fitted to the same data (and the same
/// likelihood form) are comparable.
pub fn model_table(fits: &[(&str, &SecrFit)]) -> Vec<ModelTableRow> {
    let min = |f: &dyn Fn(&SecrFit) -> f64| fits.iter().map(|(_, x)| f(x)).fold(f64::INFINITY, f64::min);
    let (min_aic, min_aicc) = (min(&|x| x.aic), min(&|x| x.aicc));
    let wsum = |f: &dyn Fn(&SecrFit) -> f64, m: f64| fits.iter().map(|(_, x)| (-(f(x) - m) / 2.0).exp()).sum::<f64>();
    let (sa, sc) = (wsum(&|x| x.aic, min_aic), wsum(&|x| x.aicc, min_aicc));
    let mut rows: Vec<ModelTableRow> = fits
        .iter()
        .map(|(name, f)| ModelTableRow {
            model: name.to_string(),
            n_parameters: f.n_parameters,
            n_animals: f.n_animals,
            loglik: f.loglik,
            aic: f.aic,
            aicc: f.aicc,
            delta_aic: f.aic - min_aic,
            delta_aicc: f.aicc - min_aicc,
            aic_weight: (-(f.aic - min_aic) / 2.0).exp() / sa,
            aicc_weight: (-(f.aicc - min_aicc) / 2.0).exp() / sc,
            converged: f.converged,
        })
        .collect();
    rows.sort_by(|a, b| a.aicc.total_cmp(&b.aicc).then(a.aic.total_cmp(&b.aic)));
    rows
}

// ------------------------------------------------------------------------------------------------

/// Positions of the coefficients in beta.
struct Layout {
    levels: Vec<String>,
    ng: usize,
    ns: usize,
    vary: GroupModel,
    full: bool,
    nd: usize,
    a_off: usize,
    n_a: usize,
    b_idx: Option<usize>,
    sig_off: usize,
    n_sig: usize,
    z_idx: Option<usize>,
    np: usize,
}

impl Layout {
    fn new(levels: Vec<String>, ns: usize, model: &SecrModel) -> Self {
        let ng = levels.len().max(1);
        let vary = model.groups.unwrap_or_default();
        let full = !model.conditional;
        let nd = if full { ns * if vary.d { ng } else { 1 } } else { 0 };
        let n_a = if vary.g0 { ng } else { 1 };
        let mut i = nd + n_a;
        let b_idx = model.learned_response.then(|| {
            i += 1;
            i - 1
        });
        let n_sig = if vary.sigma { ng } else { 1 };
        let sig_off = i;
        i += n_sig;
        let z_idx = (model.detectfn == DetectFn::HR).then(|| {
            i += 1;
            i - 1
        });
        Self { levels, ng, ns, vary, full, nd, a_off: nd, n_a, b_idx, sig_off, n_sig, z_idx, np: i }
    }
    fn d_set(&self, s: usize, g: usize) -> usize {
        if self.vary.d {
            s * self.ng + g
        } else {
            s
        }
    }
    fn a_idx(&self, g: usize) -> usize {
        self.a_off + if self.n_a > 1 { g } else { 0 }
    }
    fn sig_idx(&self, g: usize) -> usize {
        self.sig_off + if self.n_sig > 1 { g } else { 0 }
    }
    /// Indices in beta of the detection coefficients of group g, in the engine's order.
    fn th_map(&self, g: usize) -> Vec<usize> {
        let mut v = vec![self.a_idx(g)];
        v.extend(self.b_idx);
        v.push(self.sig_idx(g));
        v.extend(self.z_idx);
        v
    }
    fn names(&self, model: &SecrModel, sessions: &[String]) -> Vec<String> {
        let gl = |g: usize| format!("g{}", self.levels[g]);
        let mut v = Vec::with_capacity(self.np);
        if self.full {
            for sn in sessions {
                let ss = (self.ns > 1).then(|| format!("session{sn}"));
                let ngd = if self.vary.d { self.ng } else { 1 };
                for g in 0..ngd {
                    let mut parts = vec!["D".to_string()];
                    parts.extend(ss.clone());
                    if self.vary.d && !self.levels.is_empty() {
                        parts.push(gl(g));
                    }
                    v.push(parts.join("."));
                }
            }
        }
        let a = model.detectfn.intercept_name();
        for g in 0..self.n_a {
            v.push(if self.n_a > 1 { format!("{a}.{}", gl(g)) } else { a.to_string() });
        }
        if self.b_idx.is_some() {
            v.push(format!("{a}.bTRUE"));
        }
        for g in 0..self.n_sig {
            v.push(if self.n_sig > 1 { format!("sigma.{}", gl(g)) } else { "sigma".to_string() });
        }
        if self.z_idx.is_some() {
            v.push("z".into());
        }
        v
    }
}

struct Comp {
    prob: Problem,
    s: usize,
    g: usize,
    n: usize,
    map: Vec<usize>,
}

struct Setup {
    lay: Layout,
    comps: Vec<Comp>,
    /// Number of components sharing each density coefficient.
    set_size: Vec<usize>,
}

fn setup(sessions: &[SessionData], model: &SecrModel) -> Result<Setup, SecrError> {
    if sessions.is_empty() {
        return Err(SecrError::Invalid("no sessions".into()));
    }
    let mut levels: Vec<String> = Vec::new();
    if model.groups.is_some() {
        for s in sessions {
            if s.capthist.groups().is_none() {
                return Err(SecrError::Invalid(format!(
                    "session '{}': the model is fitted by groups but the animals have no group labels",
                    s.name
                )));
            }
            levels.extend(s.capthist.group_levels());
        }
        levels.sort();
        levels.dedup();
    }
    let lay = Layout::new(levels, sessions.len(), model);
    let plain = SecrModel { groups: None, ..model.clone() };
    let mut comps = Vec::new();
    for (si, s) in sessions.iter().enumerate() {
        if s.capthist.n_detections() == 0 && !model.conditional {
            return Err(SecrError::Invalid(format!(
                "session '{}' has no detections: its D cannot be estimated",
                s.name
            )));
        }
        for g in 0..lay.ng {
            let ch = match (lay.levels.get(g), s.capthist.groups()) {
                (Some(level), Some(labels)) => s.capthist.subset(&|i| labels[i] == *level),
                _ => s.capthist.clone(),
            };
            let prob = build_problem(&s.traps, &ch, &s.mask, &plain)?;
            comps.push(Comp { n: ch.n_animals(), prob, s: si, g, map: lay.th_map(g) });
        }
    }
    let nsets = if lay.full { lay.nd } else { lay.ns * if lay.vary.d { lay.ng } else { 1 } };
    let mut set_size = vec![0usize; nsets];
    let mut set_n = vec![0usize; nsets];
    for c in &comps {
        let j = lay.d_set(c.s, c.g);
        set_size[j] += 1;
        set_n[j] += c.n;
    }
    if lay.full {
        if let Some(j) = set_n.iter().position(|&n| n == 0) {
            let (s, g) = if lay.vary.d { (j / lay.ng, Some(j % lay.ng)) } else { (j, None) };
            let what = match g {
                Some(g) => format!("group '{}' in session '{}'", lay.levels[g], sessions[s].name),
                None => format!("session '{}'", sessions[s].name),
            };
            return Err(SecrError::Invalid(format!("{what} has no detected animals: its density cannot be estimated")));
        }
    }
    Ok(Setup { lay, comps, set_size })
}

impl Setup {
    fn th(&self, c: &Comp, beta: &[f64]) -> Vec<f64> {
        c.map.iter().map(|&i| beta[i]).collect()
    }
    /// Log-likelihood at link-scale beta (full or conditional).
    fn loglik(&mut self, beta: &[f64]) -> Option<f64> {
        let mut tot = 0.0;
        for i in 0..self.comps.len() {
            let th = self.th(&self.comps[i], beta);
            let j = self.lay.d_set(self.comps[i].s, self.comps[i].g);
            let c = &mut self.comps[i];
            let (cl, a) = c.prob.core(&th)?;
            if self.lay.full {
                let mu = beta[j].exp() * a;
                tot += cl + c.n as f64 * mu.ln() - mu - ln_fact(c.n);
            } else {
                tot += cl;
            }
        }
        tot.is_finite().then_some(tot)
    }
    /// (N_j, A_j) of each density set at detection coefficients `beta` (only the detection
    /// part is read).
    fn sets(&mut self, beta: &[f64]) -> Option<Vec<(f64, f64)>> {
        let mut v = vec![(0.0, 0.0); self.set_size.len()];
        for i in 0..self.comps.len() {
            let th = self.th(&self.comps[i], beta);
            let j = self.lay.d_set(self.comps[i].s, self.comps[i].g);
            let a = self.comps[i].prob.core(&th)?.1;
            v[j].0 += self.comps[i].n as f64;
            v[j].1 += a;
        }
        Some(v)
    }
    /// Profile log-likelihood (densities at their conditional MLE) or conditional
    /// log-likelihood, and its gradient, at the detection coefficients `det` (beta without the
    /// density part).
    fn profile_grad(&mut self, det: &[f64]) -> Option<(f64, Vec<f64>)> {
        let nd = self.lay.nd;
        let mut beta = vec![0.0; nd];
        beta.extend_from_slice(det);
        let shared = self.lay.full && self.set_size.iter().any(|&k| k > 1);
        let sets = if shared { Some(self.sets(&beta)?) } else { None };
        let mut value = 0.0;
        let mut grad = vec![0.0; det.len()];
        for i in 0..self.comps.len() {
            let th = self.th(&self.comps[i], &beta);
            let j = self.lay.d_set(self.comps[i].s, self.comps[i].g);
            let multi = self.set_size[j] > 1;
            let c = &mut self.comps[i];
            let n = c.n as f64;
            let dhat_shared = sets.as_ref().filter(|_| multi && self.lay.full).map(|v| v[j].0 / v[j].1);
            if let Some(dh) = dhat_shared {
                let a = c.prob.core(&th)?.1;
                c.prob.work.pdot_weight = (n / a - dh) * c.prob.engine.cell;
            }
            let r = c.prob.core_grad(&th);
            c.prob.work.pdot_weight = 0.0;
            let (cl, g) = r?;
            value += cl;
            if self.lay.full {
                let a = c.prob.core(&th)?.1;
                let d = dhat_shared.unwrap_or(n / a);
                value += n * (d * a).ln() - d * a - ln_fact(c.n);
            }
            for (k, &idx) in c.map.iter().enumerate() {
                grad[idx - nd] += g[k];
            }
        }
        (value.is_finite() && grad.iter().all(|v| v.is_finite())).then_some((value, grad))
    }
    fn evals(&self) -> usize {
        self.comps.iter().map(|c| c.prob.evals).sum()
    }
}

/// (N_j, A_j) of every density set.
type SetTotals = Vec<(f64, f64)>;

struct NegProfile<'a>(&'a mut Setup);

impl Objective for NegProfile<'_> {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.0.profile_grad(x).map(|(f, g)| (-f, g.into_iter().map(|v| -v).collect()))
    }
}

/// Log-likelihood of a grouped and/or multi-session model at link-scale coefficients `beta`
/// (layout in the module documentation; the names are those of [`SecrFit::beta_names`]).
pub fn secr_loglik_sessions(sessions: &[SessionData], model: &SecrModel, beta: &[f64]) -> Result<f64, SecrError> {
    let mut st = setup(sessions, model)?;
    if beta.len() != st.lay.np {
        let names = st.lay.names(model, &sessions.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
        return Err(SecrError::Invalid(format!("beta needs {} values ({})", st.lay.np, names.join(", "))));
    }
    st.loglik(beta).ok_or_else(|| SecrError::Numerical("log-likelihood is not finite at these parameters".into()))
}

/// Fits a grouped and/or multi-session SECR model (sessions share the detection parameters,
/// each has its own density; see the module documentation for secr's conventions). With one
/// session and no groups this is the model of [`fit_secr`].
pub fn fit_secr_sessions(sessions: &[SessionData], model: &SecrModel) -> Result<SecrFit, SecrError> {
    let mut st = setup(sessions, model)?;
    if sessions.iter().all(|s| s.capthist.n_detections() == 0) {
        return Err(SecrError::NoDetections);
    }
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
    let opt = bfgs(&mut NegProfile(&mut st), &det0, model.max_iterations)?;
    let nd = st.lay.nd;
    let mut beta = vec![0.0; nd];
    beta.extend_from_slice(&opt.x);
    let sets = st.sets(&beta).ok_or_else(|| SecrError::Numerical("likelihood not finite at the optimum".into()))?;
    if st.lay.full {
        for (j, (n, a)) in sets.iter().enumerate() {
            beta[j] = (n / a).ln();
        }
    }
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
    let se = |i: usize| vcv.as_ref().map(|v| v[i][i].sqrt());
    // Conditional likelihood: (N_j, A_j) at θ̂ and at θ̂ ± h_i for secr's derived() variance.
    let mut cl_sets: Vec<(SetTotals, SetTotals, f64)> = Vec::new();
    let base_sets = if st.lay.full { Vec::new() } else { sets.clone() };
    if !st.lay.full && vcv.is_some() {
        let mut tt = beta.clone();
        for i in 0..beta.len() {
            let h = 1e-4 * beta[i].abs().max(1.0);
            tt[i] = beta[i] + h;
            let p = st.sets(&tt);
            tt[i] = beta[i] - h;
            let m = st.sets(&tt);
            tt[i] = beta[i];
            match (p, m) {
                (Some(p), Some(m)) => cl_sets.push((p, m, h)),
                _ => {
                    cl_sets.clear();
                    break;
                }
            }
        }
    }
    let esa: Vec<f64> = (0..st.comps.len())
        .map(|i| {
            let th = st.th(&st.comps[i], &beta);
            st.comps[i].prob.core(&th).map(|r| r.1).unwrap_or(f64::NAN)
        })
        .collect();
    let lay = &st.lay;
    let hazard = model.detectfn.is_hazard();
    let intercept = |b: f64, s: Option<f64>| if hazard { real_log(b, s) } else { real_logit(b, s) };
    let lognormal = |est: f64, s: Option<f64>| {
        let c = s.map(|s| (Z975 * (1.0 + (s / est).powi(2)).ln().sqrt()).exp());
        RealParam { estimate: est, se: s, lcl: c.map(|c| est / c), ucl: c.map(|c| est * c) }
    };
    // density of a linear combination Σ c·D_j of density sets (coefficient, set)
    let density = |terms: &[(f64, usize)]| -> RealParam {
        if lay.full {
            if let [(c, j)] = terms {
                if *c == 1.0 {
                    return real_log(beta[*j], se(*j));
                }
            }
            let est: f64 = terms.iter().map(|(c, j)| c * beta[*j].exp()).sum();
            let s = vcv.as_ref().map(|v| {
                let mut q = 0.0;
                for (ci, i) in terms {
                    for (cj, j) in terms {
                        q += ci * beta[*i].exp() * cj * beta[*j].exp() * v[*i][*j];
                    }
                }
                q.max(0.0).sqrt()
            });
            lognormal(est, s)
        } else {
            // secr derived(): var = Σ c² N / A² (Poisson n) + g' V g, g = gradient of Σ c N / A(θ)
            let value = |sets: &[(f64, f64)]| -> f64 { terms.iter().map(|(c, j)| c * sets[*j].0 / sets[*j].1).sum() };
            let est = value(&base_sets);
            let s = vcv.as_ref().filter(|_| !cl_sets.is_empty()).map(|v| {
                let g: Vec<f64> = cl_sets.iter().map(|(p, m, h)| (value(p) - value(m)) / (2.0 * h)).collect();
                let mut q: f64 =
                    terms.iter().map(|(c, j)| c * c * base_sets[*j].0 / (base_sets[*j].1 * base_sets[*j].1)).sum();
                for i in 0..g.len() {
                    for j in 0..g.len() {
                        q += g[i] * v[i][j] * g[j];
                    }
                }
                q.max(0.0).sqrt()
            });
            lognormal(est, s)
        }
    };
    let ngd = if lay.vary.d { lay.ng } else { 1 };
    let mult = if lay.vary.d { 1.0 } else { lay.ng as f64 };
    let mut session_d = Vec::new();
    let mut group_d = Vec::new();
    for s in 0..lay.ns {
        let terms: Vec<(f64, usize)> = (0..ngd).map(|g| (mult, lay.d_set(s, g))).collect();
        session_d.push(density(&terms));
        group_d.push((0..lay.ng).map(|g| density(&[(1.0, lay.d_set(s, g))])).collect::<Vec<_>>());
    }
    let group_real = |g: usize| {
        let ai = lay.a_idx(g);
        let a0 = intercept(beta[ai], se(ai));
        let ab = lay.b_idx.map(|bi| {
            let s = vcv.as_ref().map(|v| (v[ai][ai] + v[bi][bi] + 2.0 * v[ai][bi]).max(0.0).sqrt());
            intercept(beta[ai] + beta[bi], s)
        });
        let si = lay.sig_idx(g);
        (a0, ab, real_log(beta[si], se(si)))
    };
    let groups_of = |s: usize| -> Vec<GroupEstimate> {
        (0..lay.ng)
            .map(|g| {
                let (a0, ab, sigma) = group_real(g);
                let ci = s * lay.ng + g;
                GroupEstimate {
                    group: lay.levels[g].clone(),
                    n_animals: st.comps[ci].n,
                    d: group_d[s][g].clone(),
                    g0: (!hazard).then(|| a0.clone()),
                    lambda0: hazard.then_some(a0),
                    g0_b: ab,
                    sigma,
                    esa_ha: esa[ci],
                }
            })
            .collect()
    };
    let grouped = !lay.levels.is_empty();
    let sessions_out = (lay.ns > 1).then(|| {
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
    let groups_out = (grouped && lay.ns == 1).then(|| groups_of(0));
    let (a0, a_b, sigma) = group_real(0);
    let z = lay.z_idx.map(|i| real_log(beta[i], se(i)));
    let n: usize = sessions.iter().map(|s| s.capthist.n_animals()).sum();
    let np = beta.len();
    let aic = -2.0 * loglik + 2.0 * np as f64;
    let aicc = if n > np + 1 { aic + 2.0 * (np * (np + 1)) as f64 / (n - np - 1) as f64 } else { aic };
    let d = session_d[0].clone();
    let names = lay.names(model, &sessions.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
    let likelihood_form = match st.comps[0].prob.engine.kind {
        Kind::ProxFast | Kind::CountFast | Kind::BinFast => "fastproximity",
        _ => "occasion-by-occasion",
    }
    .to_string();
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
        likelihood_form,
        beta_names: names,
        beta,
        beta_vcv: vcv,
        warnings,
        groups: groups_out,
        sessions: sessions_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy_sessions(detector: DetectorType, usage: bool) -> Vec<SessionData> {
        let (traps, recs, mask) = super::super::toy_inputs(usage);
        let groups: HashMap<String, String> =
            [("a", "F"), ("b", "M"), ("c", "F"), ("d", "M"), ("e", "M")].map(|(a, g)| (a.into(), g.into())).into();
        let ch = Capthist::new_grouped(&traps, 3, &recs, &groups).unwrap();
        let _ = detector;
        let s1 = SessionData { name: "1".into(), traps: traps.clone(), capthist: ch.clone(), mask: mask.clone() };
        let ch2 = ch.subset(&|i| i != 1);
        let s2 = SessionData { name: "2".into(), traps, capthist: ch2, mask };
        vec![s1, s2]
    }

    /// Gradient of the profile (and conditional) likelihood of grouped, multi-session models
    /// with respect to the group-specific coefficients, against central differences.
    #[test]
    fn grouped_profile_gradient_matches_finite_differences() {
        for det in [DetectorType::Multi, DetectorType::Proximity, DetectorType::Count] {
            for binom_n in [0u32, 2] {
                if binom_n > 0 && det != DetectorType::Count {
                    continue;
                }
                for dfn in [DetectFn::HN, DetectFn::HHN, DetectFn::HR] {
                    for (vd, conditional, learned) in
                        [(false, false, false), (true, false, false), (false, true, false), (false, false, true)]
                    {
                        let sessions = toy_sessions(det, binom_n == 2 && dfn != DetectFn::HN);
                        let model = SecrModel {
                            detector: det,
                            detectfn: dfn,
                            binom_n,
                            conditional,
                            learned_response: learned,
                            groups: Some(GroupModel { d: vd, g0: true, sigma: true }),
                            ..Default::default()
                        };
                        let mut st = setup(&sessions, &model).unwrap();
                        let nd = st.lay.nd;
                        let mut th = vec![0.0; st.lay.np - nd];
                        th[st.lay.a_idx(0) - nd] = -0.7;
                        th[st.lay.a_idx(1) - nd] = -1.1;
                        if let Some(b) = st.lay.b_idx {
                            th[b - nd] = 0.4;
                        }
                        th[st.lay.sig_idx(0) - nd] = 25f64.ln();
                        th[st.lay.sig_idx(1) - nd] = 18f64.ln();
                        if let Some(z) = st.lay.z_idx {
                            th[z - nd] = 3f64.ln();
                        }
                        let (_, g) = st.profile_grad(&th).unwrap();
                        let label = format!("{det:?} binomN {binom_n} {dfn:?} D~g {vd} CL {conditional} b {learned}");
                        super::super::assert_gradient(&th, &g, |t| st.profile_grad(t).unwrap().0, &label);
                    }
                }
            }
        }
    }
}
