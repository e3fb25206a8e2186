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
use super::formula::{build, group_levels, CompDesign, Design};
use super::likelihood::Extra;
use super::optimise::Objective;
use super::problem::{build_problem, Problem};
use super::spec::SessionData;
use super::{SecrError, SecrModel};

/// One session × group.
pub(crate) struct Comp {
    pub prob: Problem,
    pub s: usize,
    pub g: usize,
    pub n: usize,
}

/// All components of a fit, the design of their coefficients and the density sets.
pub(crate) struct Setup {
    pub design: Design,
    pub comps: Vec<Comp>,
    pub ns: usize,
    pub ng: usize,
    /// Full likelihood (densities estimated) rather than conditional.
    pub full: bool,
    /// Components of each profiled D column (full likelihood).
    pub prof_sets: Vec<(usize, Vec<usize>)>,
    /// Conditional likelihood: the set of each component for derived densities, and how many
    /// groups one set's density stands for.
    pub cl_set: Vec<usize>,
    pub cl_sets: usize,
    pub cl_mult: f64,
    /// Notes for the user (e.g. detectors outside the mask).
    pub notes: Vec<String>,
}

/// (N_j, A_j) of every density set.
pub(crate) type SetTotals = Vec<(f64, f64)>;

/// Detectors farther than a cell diagonal from every mask point: allowed (secr fits them) but
/// noted; an error when no detector is near the mask at all.
fn detectors_outside(s: &SessionData) -> Result<Option<String>, SecrError> {
    let (mask, traps) = (&s.mask, &s.traps);
    let reach2 = (mask.spacing() * std::f64::consts::SQRT_2).powi(2) * 1.0001;
    let grid = crate::model::secr::PointIndex::new(mask.x(), mask.y(), mask.spacing());
    let outside: Vec<usize> =
        (0..traps.len()).filter(|&k| !grid.any_within(traps.x()[k], traps.y()[k], reach2.sqrt())).collect();
    if outside.len() == traps.len() {
        return Err(SecrError::MaskNotCovering(traps.ids()[0].clone()));
    }
    if outside.is_empty() {
        return Ok(None);
    }
    let ids: Vec<&str> = outside.iter().take(8).map(|&k| traps.ids()[k].as_str()).collect();
    let more = if outside.len() > 8 { format!(" and {} more", outside.len() - 8) } else { String::new() };
    Ok(Some(format!(
        "session '{}': {} detector(s) lie outside the habitat mask ({}{more}); they are kept, as secr keeps them",
        s.name,
        outside.len(),
        ids.join(", ")
    )))
}

/// Builds every component; fails when a session (or a group with its own density) has no
/// detected animals under the full likelihood.
pub(crate) fn setup(sessions: &[SessionData], model: &SecrModel) -> Result<Setup, SecrError> {
    if sessions.is_empty() {
        return Err(SecrError::Invalid("no sessions".into()));
    }
    let levels = group_levels(sessions, model)?;
    let mut design = build(sessions, model, levels.clone())?;
    let ng = levels.len().max(1);
    let plain = SecrModel { groups: None, ..model.clone() };
    let mut comps = Vec::new();
    let mut notes = Vec::new();
    for (si, s) in sessions.iter().enumerate() {
        if s.capthist.n_detections() == 0 && !model.conditional && sessions.len() > 1 && model.formulas.is_empty() {
            return Err(SecrError::Invalid(format!(
                "session '{}' has no detections: its D cannot be estimated",
                s.name
            )));
        }
        notes.extend(detectors_outside(s)?);
        for g in 0..ng {
            let ch = match (levels.get(g), s.capthist.groups()) {
                (Some(level), Some(labels)) => s.capthist.subset(&|i| labels[i] == *level),
                _ => s.capthist.clone(),
            };
            let cd = std::mem::replace(&mut design.comps[si * ng + g], empty_design());
            let prob = build_problem(&s.traps, &ch, &s.mask, &plain, cd)?;
            comps.push(Comp { n: ch.n_animals(), prob, s: si, g });
        }
    }
    let full = !model.conditional;
    let prof_sets: Vec<(usize, Vec<usize>)> = design
        .profiled
        .iter()
        .map(|&j| (j, (0..comps.len()).filter(|&c| comps[c].prob.design.prof == Some(j)).collect()))
        .collect();
    if full {
        if let Some(c) = comps.iter().find(|c| c.prob.design.prof.is_none()) {
            return Err(SecrError::Invalid(format!(
                "session '{}': the density model has no level for this session (give D an intercept)",
                sessions[c.s].name
            )));
        }
        for (j, members) in &prof_sets {
            if members.iter().all(|&c| comps[c].n == 0) {
                return Err(SecrError::Invalid(format!(
                    "{} has no detected animals: its density cannot be estimated",
                    design.names[*j]
                )));
            }
        }
    }
    let vary_d = model.groups.is_some_and(|g| g.d);
    let per = if vary_d { ng } else { 1 };
    let cl_set: Vec<usize> = comps.iter().map(|c| c.s * per + if vary_d { c.g } else { 0 }).collect();
    let cl_mult = if vary_d { 1.0 } else { ng as f64 };
    Ok(Setup {
        design,
        comps,
        ns: sessions.len(),
        ng,
        full,
        prof_sets,
        cl_set,
        cl_sets: sessions.len() * per,
        cl_mult,
        notes,
    })
}

fn empty_design() -> CompDesign {
    CompDesign { d: None, prof: None, a: Vec::new(), sigma: Vec::new(), z: Vec::new() }
}

impl Setup {
    /// Number of coefficients.
    pub fn np(&self) -> usize {
        self.design.names.len()
    }
    /// Columns the optimiser moves (all but the profiled D columns).
    pub fn free(&self) -> Vec<usize> {
        let prof: Vec<usize> = self.prof_sets.iter().map(|p| p.0).collect();
        (0..self.np()).filter(|j| !prof.contains(j)).collect()
    }
    /// Log-likelihood at link-scale beta (full or conditional).
    pub fn loglik(&mut self, beta: &[f64]) -> Option<f64> {
        let mut tot = 0.0;
        for c in self.comps.iter_mut() {
            tot += match (self.full, c.prob.design.prof) {
                (true, Some(j)) => c.prob.full(beta[j], beta)?,
                _ => c.prob.core(beta)?.cl,
            };
        }
        tot.is_finite().then_some(tot)
    }
    /// Profiled D coefficients: log(N_j / Σ_{c ∈ j} S_c A_c) at `beta` (detection and shape).
    pub fn profile_levels(&mut self, beta: &mut [f64]) -> Option<()> {
        for (j, members) in self.prof_sets.clone() {
            let (mut n, mut t) = (0.0, 0.0);
            for c in members {
                let o = self.comps[c].prob.core(beta)?;
                n += self.comps[c].n as f64;
                t += o.s_mean * o.a_w;
            }
            beta[j] = (n / t).ln();
        }
        Some(())
    }
    /// (N_j, A_j) of the conditional likelihood's density sets at `beta`.
    pub fn cl_totals(&mut self, beta: &[f64]) -> Option<SetTotals> {
        let mut v = vec![(0.0, 0.0); self.cl_sets];
        for i in 0..self.comps.len() {
            let o = self.comps[i].prob.core(beta)?;
            let j = self.cl_set[i];
            v[j].0 += self.comps[i].n as f64;
            v[j].1 += o.esa;
        }
        Some(v)
    }
    fn expand(&self, free: &[f64]) -> Vec<f64> {
        let mut beta = vec![0.0; self.np()];
        for (j, v) in self.free().into_iter().zip(free) {
            beta[j] = *v;
        }
        beta
    }
    /// Profile log-likelihood (density levels at their MLE given the rest) or conditional
    /// log-likelihood, and its gradient, at the free coefficients.
    pub fn profile_grad(&mut self, free: &[f64]) -> Option<(f64, Vec<f64>)> {
        let mut beta = self.expand(free);
        let shared = self.full && self.prof_sets.iter().any(|p| p.1.len() > 1);
        if shared {
            self.profile_levels(&mut beta)?;
        }
        let mut value = 0.0;
        let mut grad = vec![0.0; self.np()];
        for c in self.comps.iter_mut() {
            let n = c.n as f64;
            let extra = match (self.full, shared, c.prob.design.prof) {
                (true, true, Some(j)) => {
                    let o = c.prob.core(&beta)?;
                    let d = beta[j].exp();
                    Extra { a: n / o.a_w - d * o.s_mean, lns: n - d * o.s_mean * o.a_w }
                }
                _ => Extra::default(),
            };
            let (o, g) = c.prob.core_grad(&beta, extra)?;
            value += o.cl;
            if let (true, Some(j)) = (self.full, c.prob.design.prof) {
                let mu = if shared { beta[j].exp() * o.s_mean * o.a_w } else { n };
                value += if c.n > 0 { n * mu.ln() } else { 0.0 } - mu - ln_fact(c.n);
            }
            grad.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        }
        let gf: Vec<f64> = self.free().into_iter().map(|j| grad[j]).collect();
        (value.is_finite() && gf.iter().all(|v| v.is_finite())).then_some((value, gf))
    }
    pub fn evals(&self) -> usize {
        self.comps.iter().map(|c| c.prob.evals).sum()
    }
}

/// The negative profile log-likelihood of the free coefficients.
pub(crate) struct NegProfile<'a>(pub &'a mut Setup);

impl Objective for NegProfile<'_> {
    fn value_grad(&mut self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.0.profile_grad(x).map(|(f, g)| (-f, g.into_iter().map(|v| -v).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_gradient, toy_inputs};
    use super::super::{Capthist, DetectFn, DetectorType, GroupModel};
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
    /// (legacy cell means and secr formulas, shared and free density levels) against central
    /// differences.
    #[test]
    fn grouped_profile_gradient_matches_finite_differences() {
        for det in [DetectorType::Multi, DetectorType::Proximity, DetectorType::Count] {
            for binom_n in [0u32, 2] {
                if binom_n > 0 && det != DetectorType::Count {
                    continue;
                }
                for dfn in [DetectFn::HN, DetectFn::HHN, DetectFn::HR] {
                    for (vd, conditional, learned, formulas) in [
                        (false, false, false, vec![]),
                        (true, false, false, vec![]),
                        (false, true, false, vec![]),
                        (false, false, true, vec![]),
                        (false, false, false, vec!["D ~ Session".to_string(), "sigma ~ g".to_string()]),
                        (false, false, false, vec!["D ~ session + g".to_string()]),
                    ] {
                        let sessions = toy_sessions(binom_n == 2 && dfn != DetectFn::HN);
                        let groups = formulas.is_empty().then_some(GroupModel { d: vd, g0: true, sigma: true });
                        let model = SecrModel {
                            detector: det,
                            detectfn: dfn,
                            binom_n,
                            conditional,
                            learned_response: learned,
                            groups,
                            formulas: formulas.clone(),
                            ..Default::default()
                        };
                        let mut st = setup(&sessions, &model).unwrap();
                        let free = st.free();
                        let th: Vec<f64> = free
                            .iter()
                            .enumerate()
                            .map(|(i, &j)| {
                                let n = &st.design.names[j];
                                if n.starts_with("sigma") {
                                    [25f64.ln(), 18f64.ln()][i % 2]
                                } else if n == "z" {
                                    3f64.ln()
                                } else if n.starts_with('D') {
                                    [0.2, -0.3][i % 2]
                                } else {
                                    [-0.7, -1.1, 0.4][i % 3]
                                }
                            })
                            .collect();
                        let (_, g) = st.profile_grad(&th).unwrap();
                        let label = format!(
                            "{det:?} binomN {binom_n} {dfn:?} D~g {vd} CL {conditional} b {learned} {formulas:?}"
                        );
                        assert_gradient(&th, &g, |t| st.profile_grad(t).unwrap().0, &label);
                    }
                }
            }
        }
    }
}
