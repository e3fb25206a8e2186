//! The SECR log-likelihood of one session × group (Borchers & Efford 2008; secr 5.x's
//! `generalsecrloglikfn`) and its gradient by hand-coded reverse mode.
//!
//! For detection parameters θ (each detector k may have its own g0/λ0, σ and z, from detector
//! covariates) and a density surface D(x) = D̄·S⁻¹·exp(η(x)) over the M mask points (η from mask
//! covariates; S the mean of exp(η)), with normalised weights w(x) = exp(η(x)) / Σ exp(η), the
//! conditional log-likelihood is
//! `cl = Σ_i log Σ_x w(x) Pr(ω_i | x) − n log P_w + log(n! / Π n_ω!)`, P_w = Σ_x w(x) p·(x),
//! and the full likelihood is `cl + n log μ − μ − log n!` with μ = D̄·A_w, A_w = cell·M·P_w (ha):
//! for uniform density A_w is the effective sampling area a. Removed animals (deaths) are not
//! exposed after their last occasion.
//!
//! Evaluation runs in phases: hazards of every (mask point, detector) pair, their sums over
//! detectors per usage pattern and the cumulative sums over occasions, the log-hazard vectors of
//! the events, one pass over the animals (a log-sum-exp over the mask each) and, for the
//! gradient, the adjoints back through the same phases. [`Engine::histories`] evaluates any
//! slice of animals, so the sum over animals can be split between workers.

use super::detectfn::hazard_derivs;
use super::engine::{ln_expm1, Engine, Kind};
use super::DetectFn;

/// Real detection parameters of one component: `a[c][k]` (g0 or λ0 of parameter set c at
/// detector k), `sigma[k]`, `z[k]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DetParams {
    pub a: Vec<Vec<f64>>,
    pub sigma: Vec<f64>,
    pub z: Vec<f64>,
}

/// Values of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CoreOut {
    /// Conditional log-likelihood.
    pub cl: f64,
    /// cell · M · Σ_x w(x) p·(x) (ha): the effective sampling area under the density shape.
    pub a_w: f64,
    /// Mean of exp(η) over the mask (1 for uniform density).
    pub s_mean: f64,
    /// Unweighted effective sampling area cell · Σ_x p·(x) (ha).
    pub esa: f64,
}

/// Gradient of cl (plus the callers' extra terms, see [`Engine::core`]) with respect to the
/// link-scale g0/λ0 of each set and detector, log σ and log z of each detector, and η of each
/// mask point (empty without a density shape).
#[derive(Clone, Debug, Default)]
pub(crate) struct CoreGrad {
    pub da: Vec<Vec<f64>>,
    pub dsigma: Vec<f64>,
    pub dz: Vec<f64>,
    pub deta: Vec<f64>,
}

/// Adjoints a caller adds to cl: `extra_a` · A_w + `extra_lns` · log S (the full and profile
/// likelihoods with a shared or free density level).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extra {
    pub a: f64,
    pub lns: f64,
}

/// Scratch space of one likelihood evaluation (allocated once per fit).
pub(crate) struct Work {
    h: Vec<Vec<f64>>,
    hp: Vec<Vec<f64>>,
    q: Vec<Vec<f64>>,
    keyv: Vec<Vec<f64>>,
    /// prefix0[f] = sum over occasions 0..=f of naive H; suffix1[f] = sum over occasions > f of H after detection.
    prefix0: Vec<Vec<f64>>,
    suffix1: Vec<Vec<f64>>,
    pm: Vec<f64>,
    /// log w(x), normalised (None: uniform, −log M).
    lw: Vec<f64>,
    /// Detection probabilities per set (g-type detection functions; for the gradient).
    g: Vec<Vec<f64>>,
    /// Adjoints: per key vector, per multi-catch correction, per (set, pattern) hazard sum,
    /// and summed posterior weights per span.
    bar_key: Vec<Vec<f64>>,
    bar_q: Vec<Vec<f64>>,
    bar_hp: Vec<Vec<f64>>,
    wspan: Vec<Vec<f64>>,
    bar_h: Vec<f64>,
}

impl Engine {
    pub(crate) fn work(&self) -> Work {
        let nc = self.n_sets();
        let npat = self.patterns.len();
        let nocc = self.occ_pattern.len();
        let multi = self.kind == Kind::Multi;
        Work {
            h: vec![vec![0.0; self.nm * self.nk]; nc],
            hp: vec![vec![0.0; self.nm]; nc * npat],
            q: if multi { vec![vec![0.0; self.nm]; nc * npat] } else { Vec::new() },
            keyv: vec![vec![0.0; self.nm]; self.keys.len()],
            prefix0: vec![vec![0.0; self.nm]; nocc],
            suffix1: if self.learned { vec![vec![0.0; self.nm]; nocc] } else { Vec::new() },
            pm: vec![0.0; self.nm],
            lw: Vec::new(),
            g: if self.detectfn.is_hazard() { Vec::new() } else { vec![vec![0.0; self.nm * self.nk]; nc] },
            bar_key: vec![vec![0.0; self.nm]; self.keys.len()],
            bar_q: if multi { vec![vec![0.0; self.nm]; nc * npat] } else { Vec::new() },
            bar_hp: vec![vec![0.0; self.nm]; nc * npat],
            wspan: vec![vec![0.0; self.nm]; self.spans.len()],
            bar_h: vec![0.0; self.nm * self.nk],
        }
    }

    /// Phase 1: hazards of every pair, row-major over mask points.
    fn hazards(&self, p: &DetParams, w: &mut Work) {
        let nk = self.nk;
        let inv2s2: Vec<f64> = p.sigma.iter().map(|s| 0.5 / (s * s)).collect();
        let invs: Vec<f64> = p.sigma.iter().map(|s| 1.0 / s).collect();
        for c in 0..self.n_sets() {
            let a = &p.a[c];
            let (h, g) = (&mut w.h[c], w.g.get_mut(c));
            match self.detectfn {
                DetectFn::HN => {
                    let g = g.expect("g for HN");
                    for ((hr, gr), dr) in h.chunks_mut(nk).zip(g.chunks_mut(nk)).zip(self.d2.chunks(nk)) {
                        for k in 0..nk {
                            let gg = a[k] * (-dr[k] * inv2s2[k]).exp();
                            gr[k] = gg;
                            hr[k] = -(-gg).ln_1p();
                        }
                    }
                }
                DetectFn::HHN => {
                    for (hr, dr) in h.chunks_mut(nk).zip(self.d2.chunks(nk)) {
                        for k in 0..nk {
                            hr[k] = a[k] * (-dr[k] * inv2s2[k]).exp();
                        }
                    }
                }
                DetectFn::EX => {
                    let g = g.expect("g for EX");
                    for ((hr, gr), dr) in h.chunks_mut(nk).zip(g.chunks_mut(nk)).zip(self.d.chunks(nk)) {
                        for k in 0..nk {
                            let gg = a[k] * (-dr[k] * invs[k]).exp();
                            gr[k] = gg;
                            hr[k] = -(-gg).ln_1p();
                        }
                    }
                }
                DetectFn::HEX => {
                    for (hr, dr) in h.chunks_mut(nk).zip(self.d.chunks(nk)) {
                        for k in 0..nk {
                            hr[k] = a[k] * (-dr[k] * invs[k]).exp();
                        }
                    }
                }
                DetectFn::HR => {
                    let g = g.expect("g for HR");
                    for ((hr, gr), dr) in h.chunks_mut(nk).zip(g.chunks_mut(nk)).zip(self.d.chunks(nk)) {
                        for k in 0..nk {
                            let gg = a[k] * (1.0 - (-(dr[k] * invs[k]).powf(-p.z[k])).exp());
                            gr[k] = gg;
                            hr[k] = -(-gg).ln_1p();
                        }
                    }
                }
            }
        }
    }

    /// Phase 1b: hazard sums per (set, usage pattern), the multi-catch corrections and the
    /// cumulative sums over occasions.
    fn hazard_sums(&self, w: &mut Work) {
        let (nk, nc, npat) = (self.nk, self.n_sets(), self.patterns.len());
        for c in 0..nc {
            for p in 0..npat {
                let pat = &self.patterns[p];
                let hc = &w.h[c];
                let out = &mut w.hp[c * npat + p];
                for (o, row) in out.iter_mut().zip(hc.chunks(nk)) {
                    *o = row.iter().zip(pat).map(|(hv, u)| hv * u).sum();
                }
                if self.kind == Kind::Multi {
                    let hp = &w.hp[c * npat + p];
                    let q = &mut w.q[c * npat + p];
                    for (qm, &hh) in q.iter_mut().zip(hp) {
                        *qm = if hh > 1e-200 { (-(-hh).exp_m1()).ln() - hh.ln() + hh } else { 0.0 };
                    }
                }
            }
        }
        let nocc = self.occ_pattern.len();
        for s in 0..nocc {
            let p = self.occ_pattern[s];
            let (before, rest) = w.prefix0.split_at_mut(s);
            let cur = &mut rest[0];
            let hp = &w.hp[p];
            if s == 0 {
                cur.copy_from_slice(hp);
            } else {
                for ((c, pv), h) in cur.iter_mut().zip(&before[s - 1]).zip(hp) {
                    *c = pv + h;
                }
            }
        }
        if self.learned {
            for s in (0..nocc).rev() {
                if s == nocc - 1 {
                    w.suffix1[s].iter_mut().for_each(|v| *v = 0.0);
                } else {
                    let p = self.occ_pattern[s + 1];
                    let (left, right) = w.suffix1.split_at_mut(s + 1);
                    let hp = &w.hp[npat + p];
                    for ((l, r), h) in left[s].iter_mut().zip(&right[0]).zip(hp) {
                        *l = r + h;
                    }
                }
            }
        }
    }

    /// Phase 2: the log-hazard (or log-odds) vector over the mask of every event key.
    fn key_vectors(&self, p: &DetParams, w: &mut Work) {
        let nk = self.nk;
        for (ki, key) in self.keys.iter().enumerate() {
            let hc = &w.h[key.c];
            let out = &mut w.keyv[ki];
            let (k, u) = (key.k, key.u);
            let column = hc.iter().skip(k).step_by(nk);
            match self.kind {
                Kind::Multi | Kind::CountOcc | Kind::CountFast => {
                    let lu = u.ln();
                    let la = lu + p.a[key.c][k].ln();
                    match self.detectfn {
                        // log hazard directly, without a logarithm per point
                        DetectFn::HHN => {
                            let inv2s2 = 0.5 / (p.sigma[k] * p.sigma[k]);
                            for (o, dd) in out.iter_mut().zip(self.d2.iter().skip(k).step_by(nk)) {
                                *o = la - dd * inv2s2;
                            }
                        }
                        DetectFn::HEX => {
                            let invs = 1.0 / p.sigma[k];
                            for (o, dd) in out.iter_mut().zip(self.d.iter().skip(k).step_by(nk)) {
                                *o = la - dd * invs;
                            }
                        }
                        _ => {
                            for (o, hh) in out.iter_mut().zip(column) {
                                *o = lu + hh.ln();
                            }
                        }
                    }
                }
                Kind::ProxOcc | Kind::BinOcc | Kind::BinFast => {
                    for (o, hh) in out.iter_mut().zip(column) {
                        *o = ln_expm1(u * hh);
                    }
                }
                Kind::ProxFast => {
                    for (o, hh) in out.iter_mut().zip(column) {
                        *o = ln_expm1(*hh);
                    }
                }
            }
        }
    }

    /// Phase 3: Σ_i log Σ_x w(x) Pr(ω_i | x) over the animals `range`; with `want_grad`, adds
    /// each animal's posterior weights over the mask to the adjoints. None when a history has
    /// probability 0 everywhere. A slice of animals gives a partial sum: the sum over a
    /// partition of the animals is the whole.
    pub(crate) fn histories(&self, range: std::ops::Range<usize>, w: &mut Work, want_grad: bool) -> Option<f64> {
        let lnm = (self.nm as f64).ln();
        let weighted = !w.lw.is_empty();
        let mut sum_lp = 0.0;
        for an in &self.animals[range] {
            let (first, last) = self.spans[an.span];
            let pm = &mut w.pm;
            if self.learned {
                let (p0, s1, s1l) = (&w.prefix0[first], &w.suffix1[first], &w.suffix1[last]);
                for (((v, a), b), c) in pm.iter_mut().zip(p0).zip(s1).zip(s1l) {
                    *v = c - (a + b);
                }
            } else {
                for (v, t) in pm.iter_mut().zip(&w.prefix0[last]) {
                    *v = -t;
                }
            }
            if weighted {
                pm.iter_mut().zip(&w.lw).for_each(|(v, l)| *v += l);
            }
            for ev in &an.events {
                let kv = &w.keyv[ev.key];
                if ev.weight == 1.0 {
                    pm.iter_mut().zip(kv).for_each(|(v, k)| *v += k);
                } else {
                    pm.iter_mut().zip(kv).for_each(|(v, k)| *v += ev.weight * k);
                }
                if ev.q != usize::MAX {
                    pm.iter_mut().zip(&w.q[ev.q]).for_each(|(v, q)| *v += q);
                }
            }
            let konst: f64 = an.events.iter().map(|e| e.konst).sum();
            let mx = pm.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            if !mx.is_finite() {
                return None;
            }
            let mut s = 0.0;
            for v in pm.iter_mut() {
                *v = (*v - mx).exp();
                s += *v;
            }
            sum_lp += mx + s.ln() + konst - if weighted { 0.0 } else { lnm };
            if want_grad {
                // posterior weights of range centres
                let inv = 1.0 / s;
                pm.iter_mut().for_each(|v| *v *= inv);
                let wf = &mut w.wspan[an.span];
                wf.iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += b);
                for ev in &an.events {
                    let bk = &mut w.bar_key[ev.key];
                    bk.iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += ev.weight * b);
                    if ev.q != usize::MAX {
                        w.bar_q[ev.q].iter_mut().zip(pm.iter()).for_each(|(a, b)| *a += b);
                    }
                }
            }
        }
        Some(sum_lp)
    }

    /// Sets the density shape η (None: uniform); returns S = mean exp(η), or None if not finite.
    fn set_shape(&self, eta: Option<&[f64]>, w: &mut Work) -> Option<f64> {
        w.lw.clear();
        let Some(eta) = eta else { return Some(1.0) };
        let mx = eta.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        if !mx.is_finite() {
            return None;
        }
        let sum: f64 = eta.iter().map(|e| (e - mx).exp()).sum();
        let lse = mx + sum.ln();
        w.lw.extend(eta.iter().map(|e| e - lse));
        let s = (lse - (self.nm as f64).ln()).exp();
        s.is_finite().then_some(s)
    }

    /// Conditional log-likelihood (secr's, including the multinomial constant), A_w and S at
    /// real detection parameters `p` and density shape `eta`. With `grad`, also the gradient of
    /// cl + extra.a · A_w + extra.lns · log S (reverse mode, by hand).
    pub(crate) fn core(
        &self,
        p: &DetParams,
        eta: Option<&[f64]>,
        w: &mut Work,
        grad: Option<(&mut CoreGrad, Extra)>,
    ) -> Option<CoreOut> {
        self.core_part(p, eta, w, 0..self.animals.len(), true, grad)
    }

    /// A part of the conditional log-likelihood, for splitting one evaluation between workers:
    /// the history terms Σ_i log Σ_x w(x) Pr(ω_i | x) of the animals in `range`, plus, when
    /// `global`, the terms that belong to no animal (−n log P_w + log multinomial, and the
    /// caller's `extra`). Summed over a partition of the animals with exactly one `global`
    /// part, values and gradients equal those of [`Engine::core`]. `cl` of the returned value
    /// holds the part; `a_w`, `s_mean` and `esa` are the whole's.
    pub(crate) fn core_part(
        &self,
        p: &DetParams,
        eta: Option<&[f64]>,
        w: &mut Work,
        range: std::ops::Range<usize>,
        global: bool,
        grad: Option<(&mut CoreGrad, Extra)>,
    ) -> Option<CoreOut> {
        let want_grad = grad.is_some();
        let s_mean = self.set_shape(eta, w)?;
        self.hazards(p, w);
        self.hazard_sums(w);
        self.key_vectors(p, w);
        if want_grad {
            for v in w.bar_key.iter_mut().chain(w.bar_q.iter_mut()).chain(w.bar_hp.iter_mut()).chain(w.wspan.iter_mut())
            {
                v.iter_mut().for_each(|x| *x = 0.0);
            }
        }
        let sum_lp = self.histories(range, w, want_grad)?;
        let nocc = self.occ_pattern.len();
        let total0 = &w.prefix0[nocc - 1];
        let sum_pdot: f64 = total0.iter().map(|&t| -(-t).exp_m1()).sum();
        let p_w = if w.lw.is_empty() {
            sum_pdot / self.nm as f64
        } else {
            total0.iter().zip(&w.lw).map(|(&t, l)| -(-t).exp_m1() * l.exp()).sum()
        };
        if p_w.is_nan() || p_w <= 0.0 {
            return None;
        }
        let n = self.n as f64;
        let cl = sum_lp + if global { -n * p_w.ln() + self.logmult } else { 0.0 };
        let a_w = self.cell * self.nm as f64 * p_w;
        let esa = self.cell * sum_pdot;
        if !(cl.is_finite() && a_w.is_finite()) {
            return None;
        }
        if let Some((gr, extra)) = grad {
            self.backprop(p, w, p_w, extra, global, gr);
        }
        Some(CoreOut { cl, a_w, s_mean, esa })
    }

    /// Phase 4 (gradient): adjoints of the hazard sums, then of every hazard, reduced to the
    /// derivatives with respect to the link-scale parameters of each detector.
    fn backprop(&self, p: &DetParams, w: &mut Work, p_w: f64, extra: Extra, global: bool, gr: &mut CoreGrad) {
        let (nm, nk, nc, npat) = (self.nm, self.nk, self.n_sets(), self.patterns.len());
        let nocc = self.occ_pattern.len();
        let n = self.n as f64;
        // adjoint of P_w: d(−n ln P_w)/dP_w plus the caller's adjoint of A_w = cell·M·P_w
        // (terms of the global part only)
        let fpd = if global { -n / p_w + extra.a * self.cell * nm as f64 } else { 0.0 };
        let extra = if global { extra } else { Extra::default() };
        let weighted = !w.lw.is_empty();
        let wts: Vec<f64> = if weighted { w.lw.iter().map(|l| l.exp()).collect() } else { vec![1.0 / nm as f64; nm] };
        let total0 = w.prefix0[nocc - 1].clone();
        let fpd_x: Vec<f64> = (0..nm).map(|x| fpd * wts[x] * (-total0[x]).exp()).collect();
        for s in 0..nocc {
            let pat = self.occ_pattern[s];
            for (si, &(f, l)) in self.spans.iter().enumerate() {
                if s > l {
                    continue;
                }
                let target = if !self.learned || s <= f { pat } else { npat + pat };
                let (ws, bh) = (&w.wspan[si], &mut w.bar_hp[target]);
                bh.iter_mut().zip(ws).for_each(|(b, x)| *b -= x);
            }
            let bh = &mut w.bar_hp[pat];
            bh.iter_mut().zip(&fpd_x).for_each(|(b, f)| *b += f);
        }
        if self.kind == Kind::Multi {
            for (bh, (bq, hp)) in w.bar_hp.iter_mut().zip(w.bar_q.iter().zip(&w.hp)) {
                for ((b, &q), &hh) in bh.iter_mut().zip(bq).zip(hp) {
                    if hh > 1e-200 {
                        *b += q * (1.0 / hh.exp_m1() - 1.0 / hh + 1.0);
                    }
                }
            }
        }
        gr.da = vec![vec![0.0; nk]; nc];
        gr.dsigma = vec![0.0; nk];
        gr.dz = vec![0.0; nk];
        for c in 0..nc {
            self.hazard_adjoint(c, w);
            let [da, ds, dz] = self.reduce_hazard_adjoint(c, p, w);
            gr.da[c] = da;
            gr.dsigma.iter_mut().zip(ds).for_each(|(a, b)| *a += b);
            gr.dz.iter_mut().zip(dz).for_each(|(a, b)| *a += b);
        }
        gr.deta.clear();
        if weighted {
            // ρ(x): adjoint of log w(x); through the normalisation, η gets ρ − w Σρ, and log S
            // (= log Σ exp η − log M) gets extra.lns · w.
            let rho: Vec<f64> = (0..nm)
                .map(|x| {
                    let post: f64 = w.wspan.iter().map(|v| v[x]).sum();
                    post + fpd * wts[x] * -(-total0[x]).exp_m1()
                })
                .collect();
            let srho: f64 = rho.iter().sum();
            gr.deta.extend((0..nm).map(|x| rho[x] - wts[x] * srho + extra.lns * wts[x]));
        }
    }

    /// Adjoint of every hazard h_c[m, k] of set c, into `w.bar_h`.
    fn hazard_adjoint(&self, c: usize, w: &mut Work) {
        let (nk, npat) = (self.nk, self.patterns.len());
        let bar_h = &mut w.bar_h;
        for (m, row) in bar_h.chunks_mut(nk).enumerate() {
            if npat == 1 {
                let b = w.bar_hp[c * npat][m];
                row.iter_mut().zip(&self.patterns[0]).for_each(|(r, u)| *r = b * u);
            } else {
                row.iter_mut().for_each(|r| *r = 0.0);
                for p in 0..npat {
                    let b = w.bar_hp[c * npat + p][m];
                    row.iter_mut().zip(&self.patterns[p]).for_each(|(r, u)| *r += b * u);
                }
            }
        }
        let hc = &w.h[c];
        for (ki, key) in self.keys.iter().enumerate() {
            if key.c != c {
                continue;
            }
            let (k, u) = (key.k, key.u);
            for (m, &bk) in w.bar_key[ki].iter().enumerate() {
                // a zero posterior weight where the hazard underflowed adds nothing (not 0·∞)
                if bk == 0.0 {
                    continue;
                }
                let i = m * nk + k;
                let hh = hc[i];
                let dkey = match self.kind {
                    Kind::Multi | Kind::CountOcc | Kind::CountFast => 1.0 / hh,
                    Kind::ProxOcc | Kind::BinOcc | Kind::BinFast => u / (-(-u * hh).exp_m1()),
                    Kind::ProxFast => 1.0 / (-(-hh).exp_m1()),
                };
                bar_h[i] += bk * dkey;
            }
        }
    }

    /// Per detector: Σ over mask points of bar_h · ∂h/∂(link intercept, log sigma, log z) for
    /// parameter set c.
    fn reduce_hazard_adjoint(&self, c: usize, p: &DetParams, w: &Work) -> [Vec<f64>; 3] {
        let nk = self.nk;
        let (bar_h, hc) = (&w.bar_h, &w.h[c]);
        let (mut sa, mut ss, mut sz) = (vec![0.0; nk], vec![0.0; nk], vec![0.0; nk]);
        match self.detectfn {
            DetectFn::HN | DetectFn::EX => {
                let gc = &w.g[c];
                let dist = if self.detectfn == DetectFn::HN { &self.d2 } else { &self.d };
                for ((br, gr), dr) in bar_h.chunks(nk).zip(gc.chunks(nk)).zip(dist.chunks(nk)) {
                    for k in 0..nk {
                        let t = br[k] * gr[k] / (1.0 - gr[k]);
                        sa[k] += t;
                        ss[k] += t * dr[k];
                    }
                }
                for k in 0..nk {
                    sa[k] *= 1.0 - p.a[c][k];
                    let s = p.sigma[k];
                    ss[k] /= if self.detectfn == DetectFn::HN { s * s } else { s };
                }
            }
            DetectFn::HHN | DetectFn::HEX => {
                let dist = if self.detectfn == DetectFn::HHN { &self.d2 } else { &self.d };
                for ((br, hr), dr) in bar_h.chunks(nk).zip(hc.chunks(nk)).zip(dist.chunks(nk)) {
                    for k in 0..nk {
                        let t = br[k] * hr[k];
                        sa[k] += t;
                        ss[k] += t * dr[k];
                    }
                }
                for (v, s) in ss.iter_mut().zip(&p.sigma) {
                    *v /= if self.detectfn == DetectFn::HHN { s * s } else { *s };
                }
            }
            DetectFn::HR => {
                let gc = &w.g[c];
                for (i, b) in bar_h.iter().enumerate() {
                    let k = i % nk;
                    let dv = hazard_derivs(
                        self.detectfn,
                        hc[i],
                        gc[i],
                        self.d2[i],
                        self.d[i],
                        p.a[c][k],
                        p.sigma[k],
                        p.z[k],
                    );
                    sa[k] += b * dv[0];
                    ss[k] += b * dv[1];
                    sz[k] += b * dv[2];
                }
            }
        }
        [sa, ss, sz]
    }
}
