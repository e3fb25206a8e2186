//! The SECR log-likelihood of one session (Borchers & Efford 2008; secr 5.x's `generalsecrloglikfn`)
//! and its gradient by hand-coded reverse mode.
//!
//! For detection parameters θ, the conditional log-likelihood is
//! `Σ_i log( (1/M) Σ_x Pr(ω_i | x) ) − n log p̄ + log(n! / Π n_ω!)`, with p̄ = (1/M) Σ_x p·(x)
//! over the M mask points; a = cell · Σ_x p·(x) is the effective sampling area (ha). Evaluation
//! runs in phases: hazards of every (mask point, detector) pair, their sums over detectors per
//! usage pattern and the cumulative sums over occasions, the log-hazard vectors of the events,
//! then one pass over the animals (a log-sum-exp over the mask each) and, for the gradient, the
//! adjoints back through the same phases.

use super::detectfn::{fill_hazards, hazard_derivs};
use super::engine::{ln_expm1, Engine, Kind};
use super::DetectFn;

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
    /// Detection probabilities per set (g-type detection functions; for the gradient).
    g: Vec<Vec<f64>>,
    /// Adjoints: per key vector, per multi-catch correction, per (set, pattern) hazard sum,
    /// and summed posterior weights by first-detection occasion.
    bar_key: Vec<Vec<f64>>,
    bar_q: Vec<Vec<f64>>,
    bar_hp: Vec<Vec<f64>>,
    wfirst: Vec<Vec<f64>>,
    bar_h: Vec<f64>,
    /// Extra adjoint of Σ_x p·(x) added by callers that differentiate cl + f(a) (grouped and
    /// multi-session likelihoods with a shared density); 0 for the conditional likelihood.
    pub pdot_weight: f64,
}

/// Gradient of the conditional log-likelihood with respect to the link-scale intercept of each
/// parameter set, log sigma and log z.
#[derive(Clone, Debug, Default)]
pub(crate) struct CoreGrad {
    pub cl_a: [f64; 2],
    pub cl_sigma: f64,
    pub cl_z: f64,
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
            g: if self.detectfn.is_hazard() { Vec::new() } else { vec![vec![0.0; self.nm * self.nk]; nc] },
            bar_key: vec![vec![0.0; self.nm]; self.keys.len()],
            bar_q: if multi { vec![vec![0.0; self.nm]; nc * npat] } else { Vec::new() },
            bar_hp: vec![vec![0.0; self.nm]; nc * npat],
            wfirst: vec![vec![0.0; self.nm]; if self.learned { nocc } else { 1 }],
            bar_h: vec![0.0; self.nm * self.nk],
            pdot_weight: 0.0,
        }
    }

    /// Phase 1: hazards, their sums per (set, usage pattern), the multi-catch corrections and
    /// the cumulative sums over occasions.
    fn hazard_sums(&self, a_sets: &[f64], sigma: f64, z: f64, w: &mut Work) {
        let (nk, nc, npat) = (self.nk, self.n_sets(), self.patterns.len());
        for (c, &ac) in a_sets.iter().enumerate().take(nc) {
            let gbuf: &mut [f64] = if w.g.is_empty() { &mut [] } else { &mut w.g[c] };
            fill_hazards(self.detectfn, ac, sigma, z, &self.d2, &self.d, &mut w.h[c], gbuf);
        }
        for c in 0..nc {
            for p in 0..npat {
                let pat = &self.patterns[p];
                let hc = &w.h[c];
                let out = &mut w.hp[c * npat + p];
                for (m, o) in out.iter_mut().enumerate() {
                    let row = &hc[m * nk..(m + 1) * nk];
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
    fn key_vectors(&self, a_sets: &[f64], sigma: f64, w: &mut Work) {
        let nk = self.nk;
        for (ki, key) in self.keys.iter().enumerate() {
            let hc = &w.h[key.c];
            let out = &mut w.keyv[ki];
            let (k, u) = (key.k, key.u);
            match self.kind {
                Kind::Multi | Kind::CountOcc | Kind::CountFast => {
                    let lu = u.ln();
                    match self.detectfn {
                        // log hazard directly, without a logarithm per point
                        DetectFn::HHN => {
                            let (la, inv2s2) = (lu + a_sets[key.c].ln(), 0.5 / (sigma * sigma));
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = la - self.d2[m * nk + k] * inv2s2;
                            }
                        }
                        DetectFn::HEX => {
                            let la = lu + a_sets[key.c].ln();
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = la - self.d[m * nk + k] / sigma;
                            }
                        }
                        _ => {
                            for (m, o) in out.iter_mut().enumerate() {
                                *o = lu + hc[m * nk + k].ln();
                            }
                        }
                    }
                }
                Kind::ProxOcc | Kind::BinOcc | Kind::BinFast => {
                    for (m, o) in out.iter_mut().enumerate() {
                        *o = ln_expm1(u * hc[m * nk + k]);
                    }
                }
                Kind::ProxFast => {
                    for (m, o) in out.iter_mut().enumerate() {
                        *o = ln_expm1(hc[m * nk + k]);
                    }
                }
            }
        }
    }

    /// Phase 3: Σ_i log((1/M) Σ_x Pr(ω_i | x)) over the animals `range`; with `want_grad`, adds
    /// each animal's posterior weights over the mask to the adjoints. None when a history has
    /// probability 0 everywhere.
    pub(crate) fn histories(&self, range: std::ops::Range<usize>, w: &mut Work, want_grad: bool) -> Option<f64> {
        let nocc = self.occ_pattern.len();
        let lnm = (self.nm as f64).ln();
        let mut sum_lp = 0.0;
        for an in &self.animals[range] {
            let pm = &mut w.pm;
            if self.learned {
                let (p0, s1) = (&w.prefix0[an.first], &w.suffix1[an.first]);
                for ((v, a), b) in pm.iter_mut().zip(p0).zip(s1) {
                    *v = -(a + b);
                }
            } else {
                for (v, t) in pm.iter_mut().zip(&w.prefix0[nocc - 1]) {
                    *v = -t;
                }
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
            sum_lp += mx + s.ln() + konst - lnm;
            if want_grad {
                // posterior weights of range centres
                let inv = 1.0 / s;
                pm.iter_mut().for_each(|v| *v *= inv);
                let wf = &mut w.wfirst[if self.learned { an.first } else { 0 }];
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

    /// Conditional log-likelihood (secr's, including the multinomial constant) and the effective
    /// sampling area a (ha) at real detection parameters. `a_sets[c]` is g0/lambda0 for parameter set c.
    /// With `grad`, also the gradient of the conditional log-likelihood (reverse mode, by hand).
    pub(crate) fn core(
        &self,
        a_sets: &[f64],
        sigma: f64,
        z: f64,
        w: &mut Work,
        grad: Option<&mut CoreGrad>,
    ) -> Option<(f64, f64)> {
        let want_grad = grad.is_some();
        self.hazard_sums(a_sets, sigma, z, w);
        self.key_vectors(a_sets, sigma, w);
        if want_grad {
            for v in
                w.bar_key.iter_mut().chain(w.bar_q.iter_mut()).chain(w.bar_hp.iter_mut()).chain(w.wfirst.iter_mut())
            {
                v.iter_mut().for_each(|x| *x = 0.0);
            }
        }
        let sum_lp = self.histories(0..self.animals.len(), w, want_grad)?;
        let nocc = self.occ_pattern.len();
        let sum_pdot: f64 = w.prefix0[nocc - 1].iter().map(|&t| -(-t).exp_m1()).sum();
        let pbar = sum_pdot / self.nm as f64;
        if pbar.is_nan() || pbar <= 0.0 {
            return None;
        }
        let n = self.n as f64;
        let cl = sum_lp - n * pbar.ln() + self.logmult;
        let a = self.cell * sum_pdot;
        if !(cl.is_finite() && a.is_finite()) {
            return None;
        }
        if let Some(gr) = grad {
            *gr = self.backprop(a_sets, sigma, z, w, sum_pdot);
        }
        Some((cl, a))
    }

    /// Phase 4 (gradient): adjoints of the hazard sums, then of every hazard, reduced to the
    /// derivatives with respect to the link-scale parameters.
    fn backprop(&self, a_sets: &[f64], sigma: f64, z: f64, w: &mut Work, sum_pdot: f64) -> CoreGrad {
        let (nm, nk, nc, npat) = (self.nm, self.nk, self.n_sets(), self.patterns.len());
        let nocc = self.occ_pattern.len();
        let n = self.n as f64;
        let total0 = &w.prefix0[nocc - 1];
        // d(-n ln pbar)/d(sum_pdot), plus any caller's adjoint of Σ p·
        let fpd = -n / sum_pdot + w.pdot_weight;
        for s in 0..nocc {
            let p = self.occ_pattern[s];
            if self.learned {
                for f in 0..nocc {
                    let target = if f >= s { p } else { npat + p };
                    let (wf, bh) = (&w.wfirst[f], &mut w.bar_hp[target]);
                    bh.iter_mut().zip(wf).for_each(|(b, x)| *b -= x);
                }
            } else {
                let (wf, bh) = (&w.wfirst[0], &mut w.bar_hp[p]);
                bh.iter_mut().zip(wf).for_each(|(b, x)| *b -= x);
            }
            let bh = &mut w.bar_hp[p];
            for (b, &t) in bh.iter_mut().zip(total0) {
                *b += fpd * (-t).exp();
            }
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
        let mut acc = [[0.0f64; 3]; 2];
        for c in 0..nc {
            // adjoint of every hazard h_c[m, k]
            let bar_h = &mut w.bar_h;
            for m in 0..nm {
                let row = &mut bar_h[m * nk..(m + 1) * nk];
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
            acc[c] = self.reduce_hazard_adjoint(c, a_sets[c], sigma, z, w);
        }
        CoreGrad { cl_a: [acc[0][0], acc[1][0]], cl_sigma: acc[0][1] + acc[1][1], cl_z: acc[0][2] + acc[1][2] }
    }

    /// Σ over pairs of bar_h · ∂h/∂(link intercept, log sigma, log z) for parameter set c.
    fn reduce_hazard_adjoint(&self, c: usize, ac: f64, sigma: f64, z: f64, w: &Work) -> [f64; 3] {
        let (bar_h, hc) = (&w.bar_h, &w.h[c]);
        let s2 = sigma * sigma;
        match self.detectfn {
            DetectFn::HN | DetectFn::EX => {
                let gc = &w.g[c];
                let dist = if self.detectfn == DetectFn::HN { &self.d2 } else { &self.d };
                let (mut sa, mut ss) = (0.0, 0.0);
                for ((b, g), dd) in bar_h.iter().zip(gc).zip(dist) {
                    let t = b * g / (1.0 - g);
                    sa += t;
                    ss += t * dd;
                }
                [sa * (1.0 - ac), if self.detectfn == DetectFn::HN { ss / s2 } else { ss / sigma }, 0.0]
            }
            DetectFn::HHN | DetectFn::HEX => {
                let dist = if self.detectfn == DetectFn::HHN { &self.d2 } else { &self.d };
                let (mut sa, mut ss) = (0.0, 0.0);
                for ((b, h), dd) in bar_h.iter().zip(hc).zip(dist) {
                    let t = b * h;
                    sa += t;
                    ss += t * dd;
                }
                [sa, if self.detectfn == DetectFn::HHN { ss / s2 } else { ss / sigma }, 0.0]
            }
            DetectFn::HR => {
                let gc = &w.g[c];
                let mut acc = [0.0; 3];
                for (i, b) in bar_h.iter().enumerate() {
                    let dv = hazard_derivs(self.detectfn, hc[i], gc[i], self.d2[i], self.d[i], ac, sigma, z);
                    for j in 0..3 {
                        acc[j] += b * dv[j];
                    }
                }
                acc
            }
        }
    }
}
