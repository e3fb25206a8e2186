//! Model formulas in secr's notation (`D ~ elev + session`, `g0 ~ trail`, `sigma ~ g`) and the
//! design they make: one column per coefficient, named as secr names them (`D`, `D.elev`,
//! `D.session2006`, `g0.trailon`, `sigma.gM`), and for every session × group the rows of each
//! real parameter — mask points for D, parameter set × detector for g0/λ0, detectors for σ
//! and z.
//!
//! Covariates, as secr's `D.designdata` and `secr.design.MS` build them: mask and detector
//! covariates enter unscaled; factors use treatment contrasts (first level the baseline);
//! `x`, `y` (and `x2`, `y2`, `xy`) are the mask coordinates standardised by the mask's mean
//! and SD (n − 1), per session; `session` is a factor over sessions, `Session` the session
//! number 0, 1, …; `g` the group factor; `b` (detection) the learned response.

use super::spec::SessionData;
use super::{DetectFn, SecrError, SecrModel};
use crate::model::secr::Covariate;

/// A real parameter of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Par {
    D,
    A,
    Sigma,
    Z,
}

/// The right-hand sides of a model's formulas (terms; empty = `~ 1`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Formulas {
    pub d: Vec<String>,
    pub a: Vec<String>,
    pub sigma: Vec<String>,
    pub z: Vec<String>,
}

impl Formulas {
    /// Parses formulas such as `D ~ x + y`, `g0 ~ trail`, `lambda0 ~ session`, `sigma ~ g`.
    pub fn parse(list: &[String], detectfn: DetectFn) -> Result<Self, SecrError> {
        let mut f = Formulas::default();
        for text in list {
            let (lhs, rhs) = text
                .split_once('~')
                .ok_or_else(|| SecrError::Invalid(format!("model '{text}': expected 'parameter ~ terms'")))?;
            let terms: Vec<String> =
                rhs.split('+').map(|t| t.trim().to_string()).filter(|t| !t.is_empty() && t != "1").collect();
            if let Some(bad) = terms.iter().find(|t| t.contains(['*', ':', '(', ')', '-', '^', '/'])) {
                return Err(SecrError::Invalid(format!(
                    "model '{text}': term '{bad}' is not supported (use main effects joined by '+')"
                )));
            }
            let slot = match lhs.trim() {
                "D" => &mut f.d,
                "g0" if !detectfn.is_hazard() => &mut f.a,
                "lambda0" if detectfn.is_hazard() => &mut f.a,
                "g0" | "lambda0" => {
                    return Err(SecrError::Invalid(format!(
                        "model '{text}': detection function {detectfn:?} has {}, not {}",
                        detectfn.intercept_name(),
                        lhs.trim()
                    )))
                }
                "sigma" => &mut f.sigma,
                "z" if detectfn == DetectFn::HR => &mut f.z,
                other => {
                    return Err(SecrError::Invalid(format!(
                        "model '{text}': unknown parameter '{other}' (D, {}, sigma{})",
                        detectfn.intercept_name(),
                        if detectfn == DetectFn::HR { ", z" } else { "" }
                    )))
                }
            };
            *slot = terms;
        }
        Ok(f)
    }
    /// True when some formula uses the group factor `g`.
    pub fn uses_groups(&self) -> bool {
        [&self.d, &self.a, &self.sigma, &self.z].iter().any(|t| t.iter().any(|x| x == "g"))
    }
}

/// Sparse design row: (column, value).
pub(crate) type Row = Vec<(usize, f64)>;

/// The design of one session × group.
pub(crate) struct CompDesign {
    /// D rows per mask point (non-profiled columns only), or None for a uniform shape.
    pub d: Option<Vec<Row>>,
    /// The profiled D column (full likelihood).
    pub prof: Option<usize>,
    /// g0/λ0 rows per set c and detector k, at c · nk + k.
    pub a: Vec<Row>,
    pub sigma: Vec<Row>,
    pub z: Vec<Row>,
}

/// Columns, their names and which D columns are profiled.
pub(crate) struct Design {
    pub names: Vec<String>,
    pub par: Vec<Par>,
    /// True for intercepts and cell means (a starting value of the parameter's level), false
    /// for contrasts and slopes (starting value 0).
    pub level: Vec<bool>,
    /// The columns of D, g0/λ0, σ and z, to evaluate rows at new covariate values.
    cols: Vec<(Par, ParCols)>,
    /// Profiled D columns (indicators of disjoint sets of components), in order.
    pub profiled: Vec<usize>,
    /// Group levels (empty without groups).
    pub levels: Vec<String>,
    /// Designs of session s, group g at s · ng + g.
    pub comps: Vec<CompDesign>,
}

/// A row context: session, group, and the point (mask point for D, detector for the rest).
struct Ctx<'a> {
    s: usize,
    g: usize,
    set: usize,
    i: usize,
    data: &'a SessionData,
    xy: [(f64, f64); 2],
}

/// One term: how many columns, their name suffixes, and their values in a context.
enum Term {
    Session {
        names: Vec<String>,
    },
    SessionNumber,
    Group {
        levels: Vec<String>,
    },
    Learned,
    Coord {
        which: u8,
    },
    Covariate {
        name: String,
        factor: Option<Vec<String>>,
        on_mask: bool,
    },
    /// Legacy cell means over session × group (every combination its own column).
    Cell {
        ns: usize,
        ng: usize,
        by_session: bool,
        by_group: bool,
    },
}

impl Term {
    fn suffixes(&self, cell_means: bool) -> Vec<String> {
        let from = usize::from(!cell_means);
        match self {
            Term::Session { names } => names[from..].iter().map(|n| format!("session{n}")).collect(),
            Term::SessionNumber => vec!["Session".into()],
            Term::Group { levels } => levels[from..].iter().map(|l| format!("g{l}")).collect(),
            Term::Learned => vec!["bTRUE".into()],
            Term::Coord { which } => vec![["x", "y", "x2", "y2", "xy"][*which as usize].to_string()],
            Term::Covariate { name, factor: None, .. } => vec![name.clone()],
            Term::Covariate { name, factor: Some(levels), .. } => {
                levels[from..].iter().map(|l| format!("{name}{l}")).collect()
            }
            Term::Cell { .. } => Vec::new(),
        }
    }

    /// Values of this term's columns in a context (treatment contrasts unless `cell_means`).
    fn values(&self, cx: &Ctx, cell_means: bool) -> Result<Vec<f64>, SecrError> {
        let onehot = |n: usize, at: usize| -> Vec<f64> {
            let from = usize::from(!cell_means);
            (from..n).map(|l| f64::from(u8::from(l == at))).collect()
        };
        Ok(match self {
            Term::Session { names } => onehot(names.len(), cx.s),
            Term::SessionNumber => vec![cx.s as f64],
            Term::Group { levels } => onehot(levels.len(), cx.g),
            Term::Learned => vec![cx.set as f64],
            Term::Cell { ns, ng, by_session, by_group } => {
                let at = if *by_session { cx.s } else { 0 } * ng + if *by_group { cx.g } else { 0 };
                (0..ns * ng).map(|l| f64::from(u8::from(l == at))).collect()
            }
            Term::Coord { which } => {
                let m = &cx.data.mask;
                let [(mx, sx), (my, sy)] = cx.xy;
                let (x, y) = ((m.x()[cx.i] - mx) / sx, (m.y()[cx.i] - my) / sy);
                vec![[x, y, x * x, y * y, x * y][*which as usize]]
            }
            Term::Covariate { name, factor, on_mask } => {
                let cov = if *on_mask { cx.data.mask.covariates() } else { cx.data.traps.covariates() };
                let what = if *on_mask { "mask" } else { "detector" };
                let c = cov.get(name).ok_or_else(|| {
                    SecrError::Invalid(format!("session '{}': no {what} covariate '{name}'", cx.data.name))
                })?;
                match (c, factor) {
                    (Covariate::Numeric(v), None) => vec![v[cx.i]],
                    (Covariate::Factor { levels, codes }, Some(all)) => {
                        let label = &levels[codes[cx.i]];
                        let at = all.iter().position(|l| l == label).unwrap_or(0);
                        onehot(all.len(), at)
                    }
                    _ => {
                        return Err(SecrError::Invalid(format!(
                            "{what} covariate '{name}' is numeric in one session and a factor in another"
                        )))
                    }
                }
            }
        })
    }
}

/// Resolves a term name for parameter `par`.
fn resolve(name: &str, par: Par, sessions: &[SessionData], levels: &[String]) -> Result<Term, SecrError> {
    let names: Vec<String> = sessions.iter().map(|s| s.name.clone()).collect();
    Ok(match name {
        "session" => Term::Session { names },
        "Session" => Term::SessionNumber,
        "g" if !levels.is_empty() => Term::Group { levels: levels.to_vec() },
        "g" => return Err(SecrError::Invalid("'g' needs group labels (a groups column)".into())),
        "b" if par != Par::D => Term::Learned,
        "x" | "y" | "x2" | "y2" | "xy" if par == Par::D => {
            Term::Coord { which: ["x", "y", "x2", "y2", "xy"].iter().position(|n| *n == name).unwrap() as u8 }
        }
        _ => {
            let on_mask = par == Par::D;
            let mut factor_levels: Option<Vec<String>> = None;
            let mut numeric = false;
            for s in sessions {
                let cov = if on_mask { s.mask.covariates() } else { s.traps.covariates() };
                match cov.get(name) {
                    Some(Covariate::Numeric(_)) => numeric = true,
                    Some(Covariate::Factor { levels, .. }) => {
                        let all = factor_levels.get_or_insert_with(Vec::new);
                        all.extend(levels.iter().cloned());
                    }
                    None => {
                        let what = if on_mask { "mask" } else { "detector" };
                        let have = cov.names().join(", ");
                        return Err(SecrError::Invalid(format!(
                            "session '{}': '{name}' is not a {what} covariate (have: {})",
                            s.name,
                            if have.is_empty() { "none".to_string() } else { have }
                        )));
                    }
                }
            }
            if numeric && factor_levels.is_some() {
                return Err(SecrError::Invalid(format!(
                    "covariate '{name}' is numeric in one session, a factor in another"
                )));
            }
            if let Some(l) = factor_levels.as_mut() {
                l.sort();
                l.dedup();
            }
            Term::Covariate { name: name.to_string(), factor: factor_levels, on_mask }
        }
    })
}

/// Columns of one parameter: its intercept (unless cell means) and its terms.
struct ParCols {
    terms: Vec<(Term, usize)>,
    intercept: Option<usize>,
    cell_means: bool,
}

struct Builder<'a> {
    sessions: &'a [SessionData],
    levels: Vec<String>,
    names: Vec<String>,
    par: Vec<Par>,
    level: Vec<bool>,
}

impl Builder<'_> {
    fn cols(&mut self, par: Par, label: &str, terms: &[String], cell_means: bool) -> Result<ParCols, SecrError> {
        let mut pc = ParCols { terms: Vec::new(), intercept: None, cell_means };
        if !cell_means {
            pc.intercept = Some(self.names.len());
            self.names.push(label.to_string());
            self.par.push(par);
            self.level.push(true);
        }
        for t in terms {
            let term = resolve(t, par, self.sessions, &self.levels)?;
            let first = self.names.len();
            let is_level = cell_means && !matches!(term, Term::Learned);
            for suffix in term.suffixes(cell_means) {
                self.names.push(format!("{label}.{suffix}"));
                self.par.push(par);
                self.level.push(is_level);
            }
            pc.terms.push((term, first));
        }
        Ok(pc)
    }
}

impl ParCols {
    fn row(&self, cx: &Ctx) -> Result<Row, SecrError> {
        let mut r: Row = Vec::new();
        if let Some(i) = self.intercept {
            r.push((i, 1.0));
        }
        for (t, first) in &self.terms {
            for (j, v) in t.values(cx, self.cell_means)?.into_iter().enumerate() {
                if v != 0.0 {
                    r.push((first + j, v));
                }
            }
        }
        Ok(r)
    }
}

/// The legacy layout (no formulas): D per session (and group with `D ~ g`) as cell means,
/// detection with cell means by group where [`GroupModel`] says so.
fn legacy_terms(model: &SecrModel, ns: usize) -> (Vec<String>, bool, Vec<String>, bool, Vec<String>, bool) {
    let vary = model.groups.unwrap_or_default();
    let grouped = model.groups.is_some();
    let mut d = Vec::new();
    if ns > 1 {
        d.push("session".to_string());
    }
    if grouped && vary.d {
        d.push("g".to_string());
    }
    let mut a = Vec::new();
    if grouped && vary.g0 {
        a.push("g".to_string());
    }
    if model.learned_response {
        a.push("b".to_string());
    }
    let s = if grouped && vary.sigma { vec!["g".to_string()] } else { Vec::new() };
    let (dc, ac, sc) = (!d.is_empty(), grouped && vary.g0, grouped && vary.sigma);
    (d, dc, a, ac, s, sc)
}

/// Builds the design of a model over sessions (and groups, given their sorted levels).
pub(crate) fn build(sessions: &[SessionData], model: &SecrModel, levels: Vec<String>) -> Result<Design, SecrError> {
    let label_a = model.detectfn.intercept_name();
    let legacy = model.formulas.is_empty();
    let ng = levels.len().max(1);
    let mut b = Builder { sessions, levels: levels.clone(), names: Vec::new(), par: Vec::new(), level: Vec::new() };
    let (fd, fa, fs, fz) = if legacy {
        let (d, dc, a, ac, s, sc) = legacy_terms(model, sessions.len());
        let dcols = if model.conditional { None } else { Some(legacy_d(&mut b, &d, dc)?) };
        let acols = legacy_a(&mut b, label_a, &a, ac)?;
        (dcols, acols, b.cols(Par::Sigma, "sigma", &s, sc)?, (model.detectfn == DetectFn::HR).then_some(()))
    } else {
        let f = Formulas::parse(&model.formulas, model.detectfn)?;
        if model.conditional && !f.d.is_empty() {
            return Err(SecrError::Invalid("a density model (D ~ …) needs the full likelihood, not CL".into()));
        }
        let mut a = f.a.clone();
        if model.learned_response && !a.iter().any(|t| t == "b") {
            a.push("b".into());
        }
        let dcols = if model.conditional { None } else { Some(b.cols(Par::D, "D", &f.d, false)?) };
        let acols = b.cols(Par::A, label_a, &a, false)?;
        let scols = b.cols(Par::Sigma, "sigma", &f.sigma, false)?;
        (dcols, acols, scols, (model.detectfn == DetectFn::HR).then_some(()))
    };
    let zcols = match fz {
        Some(()) => {
            let terms = if legacy { Vec::new() } else { Formulas::parse(&model.formulas, model.detectfn)?.z };
            Some(b.cols(Par::Z, "z", &terms, false)?)
        }
        None => None,
    };
    let np = b.names.len();
    let nc = if model.learned_response { 2 } else { 1 };
    let mut comps = Vec::new();
    for (s, data) in sessions.iter().enumerate() {
        let xy = data.mask.mean_sd();
        for g in 0..ng {
            let cx = |set: usize, i: usize| Ctx { s, g, set, i, data, xy };
            let d_rows = match &fd {
                Some(pc) => Some((0..data.mask.len()).map(|i| pc.row(&cx(0, i))).collect::<Result<Vec<_>, _>>()?),
                None => None,
            };
            let nk = data.traps.len();
            let mut a = Vec::with_capacity(nc * nk);
            for set in 0..nc {
                for k in 0..nk {
                    a.push(fa.row(&cx(set, k))?);
                }
            }
            let sigma = (0..nk).map(|k| fs.row(&cx(0, k))).collect::<Result<Vec<_>, _>>()?;
            let z = match &zcols {
                Some(pc) => (0..nk).map(|k| pc.row(&cx(0, k))).collect::<Result<Vec<_>, _>>()?,
                None => Vec::new(),
            };
            comps.push(CompDesign { d: d_rows, prof: None, a, sigma, z });
        }
    }
    let profiled = profile_columns(&mut comps, &b.par, np);
    let mut cols = vec![(Par::A, fa), (Par::Sigma, fs)];
    cols.extend(fd.map(|c| (Par::D, c)));
    cols.extend(zcols.map(|c| (Par::Z, c)));
    Ok(Design { names: b.names, par: b.par, level: b.level, cols, profiled, levels, comps })
}

fn legacy_d(b: &mut Builder, terms: &[String], cell_means: bool) -> Result<ParCols, SecrError> {
    // cell means over session × group: one column per combination, named D.session<s>.g<l>
    if !cell_means {
        return b.cols(Par::D, "D", &[], false);
    }
    let by_session = terms.iter().any(|t| t == "session");
    let by_group = terms.iter().any(|t| t == "g");
    let first = b.names.len();
    let ns = if by_session { b.sessions.len() } else { 1 };
    let ng = if by_group { b.levels.len() } else { 1 };
    for s in 0..ns {
        for g in 0..ng {
            let mut parts = vec!["D".to_string()];
            if by_session {
                parts.push(format!("session{}", b.sessions[s].name));
            }
            if by_group {
                parts.push(format!("g{}", b.levels[g]));
            }
            b.names.push(parts.join("."));
            b.par.push(Par::D);
            b.level.push(true);
        }
    }
    let term = Term::Cell { ns, ng, by_session, by_group };
    Ok(ParCols { terms: vec![(term, first)], intercept: None, cell_means: true })
}

fn legacy_a(b: &mut Builder, label: &str, terms: &[String], cell_means: bool) -> Result<ParCols, SecrError> {
    if !cell_means {
        return b.cols(Par::A, label, terms, false);
    }
    // g0 ~ g as cell means, then the learned response (if any) as a contrast
    let first = b.names.len();
    for l in b.levels.clone() {
        b.names.push(format!("{label}.g{l}"));
        b.par.push(Par::A);
        b.level.push(true);
    }
    let ng = b.levels.len();
    let term = Term::Cell { ns: 1, ng, by_session: false, by_group: true };
    let mut pc = ParCols { terms: vec![(term, first)], intercept: None, cell_means: true };
    if terms.iter().any(|t| t == "b") {
        pc.terms.push((Term::Learned, b.names.len()));
        b.names.push(format!("{label}.bTRUE"));
        b.par.push(Par::A);
        b.level.push(false);
    }
    Ok(pc)
}

/// Picks D columns that are indicators of disjoint sets of components (constant 0 or 1 over
/// every component's mask), first come first served: their coefficients have a closed-form
/// MLE given the rest and are profiled out. Removes them from the components' D rows and sets
/// each component's profiled column.
fn profile_columns(comps: &mut [CompDesign], par: &[Par], np: usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut covered = vec![false; comps.len()];
    for j in (0..np).filter(|&j| par[j] == Par::D) {
        let mut members = Vec::new();
        let mut ok = true;
        for (ci, c) in comps.iter().enumerate() {
            let Some(rows) = &c.d else {
                ok = false;
                break;
            };
            let val = |r: &Row| r.iter().find(|(k, _)| *k == j).map_or(0.0, |e| e.1);
            let v0 = val(&rows[0]);
            if !(v0 == 0.0 || v0 == 1.0) || rows.iter().any(|r| val(r) != v0) {
                ok = false;
                break;
            }
            if v0 == 1.0 {
                members.push(ci);
            }
        }
        if ok && !members.is_empty() && members.iter().all(|&c| !covered[c]) {
            for &c in &members {
                covered[c] = true;
                comps[c].prof = Some(j);
            }
            chosen.push(j);
        }
    }
    for c in comps.iter_mut() {
        if let Some(rows) = c.d.as_mut() {
            for r in rows.iter_mut() {
                r.retain(|(k, _)| !chosen.contains(k));
            }
            if rows.iter().all(|r| r.is_empty()) {
                c.d = None;
            }
        }
    }
    chosen
}

/// The group levels a model needs: those of the capture histories when the model is fitted by
/// groups (legacy `groups`, or a formula with `g`).
pub(crate) fn group_levels(sessions: &[SessionData], model: &SecrModel) -> Result<Vec<String>, SecrError> {
    let by_formula = !model.formulas.is_empty() && Formulas::parse(&model.formulas, model.detectfn)?.uses_groups();
    let mut levels: Vec<String> = Vec::new();
    if model.groups.is_some() || by_formula {
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

/// Covariate values for predictions: name → value as text (a number, or a factor level).
pub type NewData = Vec<(String, String)>;

impl Term {
    /// Values at new covariate values `nd` (absent: secr's `makeNewData` defaults — 0 for the
    /// standardised coordinates, the mean of the distinct values of a numeric mask covariate,
    /// the first value of a numeric detector covariate, the first level of a factor).
    fn values_at(
        &self,
        s: usize,
        g: usize,
        set: usize,
        data: &SessionData,
        nd: &NewData,
    ) -> Result<Vec<f64>, SecrError> {
        let given = |name: &str| nd.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let num = |name: &str, v: &str| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| SecrError::Invalid(format!("new value of '{name}': '{v}' is not a number")))
        };
        let onehot = |n: usize, at: usize| (1..n).map(|l| f64::from(u8::from(l == at))).collect::<Vec<f64>>();
        Ok(match self {
            Term::Coord { which } => {
                let x = given("x").map(|v| num("x", v)).transpose()?.unwrap_or(0.0);
                let y = given("y").map(|v| num("y", v)).transpose()?.unwrap_or(0.0);
                vec![[x, y, x * x, y * y, x * y][*which as usize]]
            }
            Term::Covariate { name, factor, on_mask } => {
                let cov = if *on_mask { data.mask.covariates() } else { data.traps.covariates() };
                match (factor, given(name)) {
                    (None, Some(v)) => vec![num(name, v)?],
                    (None, None) => {
                        let Some(Covariate::Numeric(v)) = cov.get(name) else { return Ok(vec![0.0]) };
                        if *on_mask {
                            let mut u = v.clone();
                            u.sort_by(f64::total_cmp);
                            u.dedup();
                            vec![u.iter().sum::<f64>() / u.len() as f64]
                        } else {
                            vec![v[0]]
                        }
                    }
                    (Some(levels), v) => {
                        let at = match v {
                            Some(l) => levels.iter().position(|x| x == l).ok_or_else(|| {
                                SecrError::Invalid(format!("'{l}' is not a level of '{name}' ({})", levels.join(", ")))
                            })?,
                            None => 0,
                        };
                        onehot(levels.len(), at)
                    }
                }
            }
            Term::Session { names } => onehot(names.len(), s),
            Term::SessionNumber => vec![s as f64],
            Term::Group { levels } => onehot(levels.len(), g),
            Term::Learned => vec![set as f64],
            Term::Cell { .. } => {
                return Err(SecrError::Invalid("internal: cell means evaluated as contrasts".into()));
            }
        })
    }
}

impl Design {
    /// The design row of parameter `par` for session s, group g, parameter set `set`, at new
    /// covariate values (see [`Term::values_at`]); None when the model has no such parameter.
    pub(crate) fn row_at(
        &self,
        par: Par,
        s: usize,
        g: usize,
        set: usize,
        data: &SessionData,
        nd: &NewData,
    ) -> Result<Option<Row>, SecrError> {
        let Some((_, pc)) = self.cols.iter().find(|(p, _)| *p == par) else { return Ok(None) };
        let mut r: Row = Vec::new();
        if let Some(i) = pc.intercept {
            r.push((i, 1.0));
        }
        for (t, first) in &pc.terms {
            let vals = match t {
                Term::Cell { ns, ng, by_session, by_group } => {
                    let at = if *by_session { s } else { 0 } * ng + if *by_group { g } else { 0 };
                    (0..ns * ng).map(|l| f64::from(u8::from(l == at))).collect()
                }
                Term::Group { levels } if pc.cell_means => {
                    (0..levels.len()).map(|l| f64::from(u8::from(l == g))).collect()
                }
                _ => t.values_at(s, g, set, data, nd)?,
            };
            for (j, v) in vals.into_iter().enumerate() {
                if v != 0.0 {
                    r.push((first + j, v));
                }
            }
        }
        Ok(Some(r))
    }

    /// The full D rows (profiled column included) of every mask point of session s, group g.
    pub(crate) fn d_rows(&self, s: usize, g: usize, data: &SessionData) -> Result<Option<Vec<Row>>, SecrError> {
        let Some((_, pc)) = self.cols.iter().find(|(p, _)| *p == Par::D) else { return Ok(None) };
        let xy = data.mask.mean_sd();
        (0..data.mask.len())
            .map(|i| pc.row(&Ctx { s, g, set: 0, i, data, xy }))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}
