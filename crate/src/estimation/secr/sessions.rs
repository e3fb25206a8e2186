//! Grouped and multi-session likelihoods: the components (session × group) of a fit and the
//! positions of their coefficients.
//!
//! The likelihood is secr's (5.x `generalsecrloglikfn`, `logmultinom`): with groups, every
//! session × group is an independent component with its own Poisson count of detected animals,
//! its own multinomial constant log(n_g!) − Σ log(n_ω!) over the group's distinct histories,
//! and its own probability of detection p·_g; the log-likelihood is the sum over components.
//! Density refers to each group separately (secr's density design has one row per mask point,
//! group and session): `D ~ 1` with groups means every group has the same density D, so the
//! total density is G·D; `D ~ g` gives each group its own D_g. Several sessions share the
//! detection parameters and each has its own density.
//!
//! Link-scale coefficients (`beta`) are, in this order: the log densities (one per session,
//! or per session and group with `D ~ g`, sessions outer; none under the conditional
//! likelihood), the g0/lambda0 intercepts (one, or one per group level with `g0 ~ g`), the
//! learned-response coefficient (if any), the log sigmas (one, or one per group level with
//! `sigma ~ g`) and log z (hazard rate). Each group level has its own coefficient (cell means,
//! not treatment contrasts); the real parameters, log-likelihood and AIC are those of secr's
//! `~ g` models.
//!
//! The densities are profiled out while the detection coefficients are optimised with the
//! hand-coded gradient of each component; a density shared by several components (groups with
//! `D ~ 1`) adds D̂·∂a/∂θ terms, which the likelihood engine takes as an extra adjoint of Σ p·.

use super::engine::ln_fact;
use super::optimise::Objective;
use super::problem::{build_problem, Problem};
use super::{Capthist, DetectFn, Mask, SecrError, SecrModel, Traps};
use serde::{Deserialize, Serialize};

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
    ///
    /// ```
    /// use borderless::estimation::secr::GroupModel;
    /// assert_eq!(GroupModel::parse("sigma, D").unwrap(), GroupModel { d: true, g0: false, sigma: true });
    /// ```
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

/// Positions of the coefficients in beta.
pub(crate) struct Layout {
    pub levels: Vec<String>,
    pub ng: usize,
    pub ns: usize,
    pub vary: GroupModel,
    pub full: bool,
    pub nd: usize,
    pub a_off: usize,
    pub n_a: usize,
    pub b_idx: Option<usize>,
    pub sig_off: usize,
    pub n_sig: usize,
    pub z_idx: Option<usize>,
    pub np: usize,
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
    /// The density set (coefficient index under the full likelihood) of session s, group g.
    pub fn d_set(&self, s: usize, g: usize) -> usize {
        if self.vary.d {
            s * self.ng + g
        } else {
            s
        }
    }
    pub fn a_idx(&self, g: usize) -> usize {
        self.a_off + if self.n_a > 1 { g } else { 0 }
    }
    pub fn sig_idx(&self, g: usize) -> usize {
        self.sig_off + if self.n_sig > 1 { g } else { 0 }
    }
    /// Indices in beta of the detection coefficients of group g, in the engine's order.
    pub fn th_map(&self, g: usize) -> Vec<usize> {
        let mut v = vec![self.a_idx(g)];
        v.extend(self.b_idx);
        v.push(self.sig_idx(g));
        v.extend(self.z_idx);
        v
    }
    /// secr-style coefficient names.
    pub fn names(&self, model: &SecrModel, sessions: &[String]) -> Vec<String> {
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

/// One session × group.
pub(crate) struct Comp {
    pub prob: Problem,
    pub s: usize,
    pub g: usize,
    pub n: usize,
    pub map: Vec<usize>,
}

/// All components of a fit and their layout.
pub(crate) struct Setup {
    pub lay: Layout,
    pub comps: Vec<Comp>,
    /// Number of components sharing each density coefficient.
    pub set_size: Vec<usize>,
}

/// (N_j, A_j) of every density set.
pub(crate) type SetTotals = Vec<(f64, f64)>;

fn group_levels(sessions: &[SessionData], model: &SecrModel) -> Result<Vec<String>, SecrError> {
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
    Ok(levels)
}

/// Builds every component; fails when a session (or a group with `D ~ g`) has no detected
/// animals under the full likelihood.
pub(crate) fn setup(sessions: &[SessionData], model: &SecrModel) -> Result<Setup, SecrError> {
    if sessions.is_empty() {
        return Err(SecrError::Invalid("no sessions".into()));
    }
    let lay = Layout::new(group_levels(sessions, model)?, sessions.len(), model);
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
    pub fn th(&self, c: &Comp, beta: &[f64]) -> Vec<f64> {
        c.map.iter().map(|&i| beta[i]).collect()
    }
    /// Log-likelihood at link-scale beta (full or conditional).
    pub fn loglik(&mut self, beta: &[f64]) -> Option<f64> {
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
    pub fn sets(&mut self, beta: &[f64]) -> Option<SetTotals> {
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
    pub fn profile_grad(&mut self, det: &[f64]) -> Option<(f64, Vec<f64>)> {
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
    pub fn evals(&self) -> usize {
        self.comps.iter().map(|c| c.prob.evals).sum()
    }
}

/// The negative profile log-likelihood of the detection coefficients.
pub(crate) struct NegProfile<'a>(pub &'a mut Setup);

impl Objective for NegProfile<'_> {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.0.profile_grad(x).map(|(f, g)| (-f, g.into_iter().map(|v| -v).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_gradient, toy_inputs};
    use super::super::DetectorType;
    use super::*;
    use std::collections::HashMap;

    fn toy_sessions(usage: bool) -> Vec<SessionData> {
        let (traps, recs, mask) = toy_inputs(usage);
        let groups: HashMap<String, String> =
            [("a", "F"), ("b", "M"), ("c", "F"), ("d", "M"), ("e", "M")].map(|(a, g)| (a.into(), g.into())).into();
        let ch = Capthist::new_grouped(&traps, 3, &recs, &groups).unwrap();
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
                        let sessions = toy_sessions(binom_n == 2 && dfn != DetectFn::HN);
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
                        assert_gradient(&th, &g, |t| st.profile_grad(t).unwrap().0, &label);
                    }
                }
            }
        }
    }
}
