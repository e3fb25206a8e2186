//! The likelihood's precomputed data: distances between mask points and detectors, usage
//! patterns over occasions, and every animal's capture history reduced to a list of events
//! (detector, parameter set, usage) whose log-hazard vectors the likelihood adds up. Built once
//! per fit by [`Engine::new`], which also checks the histories against the detector type.

use super::{Capthist, DetectorType, Mask, SecrError, SecrModel, Traps};
use crate::model::secr::Detection;
use std::collections::HashMap;

/// How the histories enter the likelihood.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Kind {
    Multi,
    ProxOcc,
    ProxFast,
    CountOcc,
    CountFast,
    /// Binomial counts (secr binomN >= 1), occasion by occasion.
    BinOcc,
    /// Binomial counts collapsed over occasions.
    BinFast,
}

impl Kind {
    fn choose(traps: &Traps, model: &SecrModel) -> Self {
        let learned = model.learned_response;
        match model.detector {
            DetectorType::Multi => Kind::Multi,
            DetectorType::Proximity if model.fast_proximity && !learned => Kind::ProxFast,
            DetectorType::Proximity => Kind::ProxOcc,
            DetectorType::Count if model.binom_n > 0 => {
                // collapsing needs a per-trial hazard multiplier that is constant over occasions
                let constant =
                    model.binom_n == 1 || traps.usage().is_none_or(|u| u.iter().all(|r| r.iter().all(|v| *v == r[0])));
                if model.fast_proximity && !learned && constant {
                    Kind::BinFast
                } else {
                    Kind::BinOcc
                }
            }
            DetectorType::Count if model.fast_proximity && !learned => Kind::CountFast,
            DetectorType::Count => Kind::CountOcc,
        }
    }
    /// Histories collapsed over occasions (secr's fastproximity).
    pub(crate) fn collapsed(self) -> bool {
        matches!(self, Kind::ProxFast | Kind::CountFast | Kind::BinFast)
    }
    fn binomial(self) -> bool {
        matches!(self, Kind::BinOcc | Kind::BinFast)
    }
}

/// A distinct (parameter set, detector, usage) whose log-hazard vector over the mask is needed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    pub c: usize,
    pub k: usize,
    pub u: f64,
}

/// One term of an animal's history: weight × key vector (+ multi-catch correction q) + constant.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ev {
    pub key: usize,
    pub weight: f64,
    /// Index c * npat + pattern of the multi-catch correction vector, or usize::MAX.
    pub q: usize,
    pub konst: f64,
}

pub(crate) struct AnimalLik {
    /// First detection occasion (effective occasions).
    pub first: usize,
    pub events: Vec<Ev>,
}

/// Precomputed data for evaluating the SECR log-likelihood.
pub(crate) struct Engine {
    pub detectfn: super::DetectFn,
    pub kind: Kind,
    pub learned: bool,
    pub nm: usize,
    pub nk: usize,
    pub cell: f64,
    pub d2: Vec<f64>,
    pub d: Vec<f64>,
    /// Distinct usage columns (each nk long).
    pub patterns: Vec<Vec<f64>>,
    /// Pattern of each effective occasion.
    pub occ_pattern: Vec<usize>,
    pub keys: Vec<Key>,
    pub animals: Vec<AnimalLik>,
    pub logmult: f64,
    pub n: usize,
}

pub(crate) fn ln_fact(n: usize) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

/// ln(exp(x) − 1) without overflow.
pub(crate) fn ln_expm1(x: f64) -> f64 {
    if x > 1.0 {
        x + (-(-x).exp()).ln_1p()
    } else {
        x.exp_m1().ln()
    }
}

/// Effort of each detector and occasion as the likelihood uses it.
struct Effort {
    /// Usage as given (ones without usage).
    usage: Vec<Vec<f64>>,
    /// Binomial size per detector and occasion (binomial counts only).
    trials: Vec<Vec<f64>>,
    /// Multiplier of the hazard of one trial.
    keyu: Vec<Vec<f64>>,
    /// Total hazard multiplier: trials × keyu (binomial) or usage.
    eff: Vec<Vec<f64>>,
}

impl Effort {
    /// Binomial counts (secr's countp/gbinom): binomN = 1 gives size round(usage) with the
    /// per-occasion g; binomN = N > 1 gives size N with g adjusted to 1 − (1 − g)^usage.
    fn new(traps: &Traps, ns: usize, kind: Kind, binom_n: u32) -> Result<Self, SecrError> {
        let nk = traps.len();
        let usage: Vec<Vec<f64>> = match traps.usage() {
            Some(u) => u.clone(),
            None => vec![vec![1.0; ns]; nk],
        };
        if usage[0].len() != ns {
            return Err(SecrError::Invalid("usage and capture histories differ in number of occasions".into()));
        }
        let (trials, keyu): (Vec<Vec<f64>>, Vec<Vec<f64>>) = if !kind.binomial() {
            (Vec::new(), usage.clone())
        } else if binom_n == 1 {
            (usage.iter().map(|r| r.iter().map(|v| v.round()).collect()).collect(), vec![vec![1.0; ns]; nk])
        } else {
            (vec![vec![binom_n as f64; ns]; nk], usage.clone())
        };
        let eff: Vec<Vec<f64>> = if kind.binomial() {
            trials.iter().zip(&keyu).map(|(t, u)| t.iter().zip(u).map(|(a, b)| a * b).collect()).collect()
        } else {
            usage.clone()
        };
        Ok(Self { usage, trials, keyu, eff })
    }
}

/// Squared distances (and distances, when the detection function needs them), mask-major.
fn distances(traps: &Traps, mask: &Mask, need_d: bool) -> (Vec<f64>, Vec<f64>) {
    let (nm, nk) = (mask.len(), traps.len());
    let mut d2 = vec![0.0; nm * nk];
    let mut d = if need_d { vec![0.0; nm * nk] } else { Vec::new() };
    for m in 0..nm {
        for k in 0..nk {
            let dd = (mask.x()[m] - traps.x()[k]).powi(2) + (mask.y()[m] - traps.y()[k]).powi(2);
            d2[m * nk + k] = dd;
            if need_d {
                d[m * nk + k] = dd.sqrt();
            }
        }
    }
    (d2, d)
}

/// Detections of each animal sorted by (occasion, trap), checked against usage and the
/// detector type.
fn histories(traps: &Traps, ch: &Capthist, ef: &Effort, kind: Kind) -> Result<Vec<Vec<Detection>>, SecrError> {
    let mut by_animal: Vec<Vec<Detection>> = vec![Vec::new(); ch.n_animals()];
    let ids = ch.animal_ids();
    for det in ch.detections() {
        if ef.eff[det.trap][det.occasion] <= 0.0 {
            return Err(SecrError::Invalid(format!(
                "animal '{}' detected at detector '{}' on occasion {} when its usage is 0",
                ids[det.animal],
                traps.ids()[det.trap],
                det.occasion + 1
            )));
        }
        by_animal[det.animal].push(*det);
    }
    for (a, dets) in by_animal.iter_mut().enumerate() {
        dets.sort_by_key(|x| (x.occasion, x.trap));
        for w in dets.windows(2) {
            let same_occ = w[0].occasion == w[1].occasion;
            if kind == Kind::Multi && same_occ {
                return Err(SecrError::Invalid(format!(
                    "animal '{}' detected more than once on occasion {} at multi-catch traps",
                    ids[a],
                    w[0].occasion + 1
                )));
            }
            if matches!(kind, Kind::ProxOcc | Kind::ProxFast) && same_occ && w[0].trap == w[1].trap {
                return Err(SecrError::Invalid(format!(
                    "animal '{}' detected twice at proximity detector '{}' on occasion {} (binary detectors)",
                    ids[a],
                    traps.ids()[w[0].trap],
                    w[0].occasion + 1
                )));
            }
        }
    }
    if kind.binomial() {
        // counts per occasion and detector may not exceed the binomial size (checked here
        // because the collapsed form only sees totals over occasions)
        for (a, dets) in by_animal.iter().enumerate() {
            let mut run = 0usize;
            for (i, det) in dets.iter().enumerate() {
                let same = i > 0 && (dets[i - 1].occasion, dets[i - 1].trap) == (det.occasion, det.trap);
                run = if same { run + 1 } else { 1 };
                let size = ef.trials[det.trap][det.occasion];
                if run as f64 > size {
                    return Err(SecrError::Invalid(format!(
                        "animal '{}' has {run} detections at detector '{}' on occasion {} but the binomial size is {size}",
                        ids[a],
                        traps.ids()[det.trap],
                        det.occasion + 1
                    )));
                }
            }
        }
    }
    Ok(by_animal)
}

/// Distinct usage columns and the pattern of each effective occasion (one collapsed occasion
/// with total usage for the fast forms).
fn usage_patterns(ef: &Effort, kind: Kind, ns: usize) -> (Vec<Vec<f64>>, Vec<usize>) {
    if kind.collapsed() {
        let tot: Vec<f64> = ef
            .eff
            .iter()
            .map(|r| {
                let s: f64 = r.iter().sum();
                if kind == Kind::ProxFast {
                    s.round()
                } else {
                    s
                }
            })
            .collect();
        return (vec![tot], vec![0usize]);
    }
    let mut pats: Vec<Vec<f64>> = Vec::new();
    let mut occ = Vec::with_capacity(ns);
    for s in 0..ns {
        let col: Vec<f64> = ef.eff.iter().map(|r| r[s]).collect();
        let idx = match pats.iter().position(|p| *p == col) {
            Some(i) => i,
            None => {
                pats.push(col);
                pats.len() - 1
            }
        };
        occ.push(idx);
    }
    (pats, occ)
}

/// Builds the event lists of every animal, the keys they refer to, and the multinomial
/// constant over distinct histories.
struct EventBuilder<'a> {
    traps: &'a Traps,
    ef: &'a Effort,
    kind: Kind,
    learned: bool,
    npat: usize,
    occ_pattern: &'a [usize],
    patterns: &'a [Vec<f64>],
    keys: Vec<Key>,
}

type HistKey = Vec<(usize, usize, usize)>;

impl EventBuilder<'_> {
    fn key(&mut self, c: usize, k: usize, u: f64) -> usize {
        match self.keys.iter().position(|kk| kk.c == c && kk.k == k && kk.u == u) {
            Some(i) => i,
            None => {
                self.keys.push(Key { c, k, u });
                self.keys.len() - 1
            }
        }
    }

    fn too_many(&self, k: usize, w: usize, what: &str) -> SecrError {
        SecrError::Invalid(format!("detector '{}' has {w} detections of one animal but {what}", self.traps.ids()[k]))
    }

    /// Collapsed forms: counts per detector over all occasions.
    fn collapsed(&mut self, dets: &[Detection], events: &mut Vec<Ev>, hk: &mut HistKey) -> Result<(), SecrError> {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for det in dets {
            match counts.iter_mut().find(|(k, _)| *k == det.trap) {
                Some(c) => c.1 += 1,
                None => counts.push((det.trap, 1)),
            }
        }
        counts.sort();
        for &(k, w) in &counts {
            let t = self.patterns[0][k];
            let (key, konst) = match self.kind {
                Kind::BinFast => {
                    let si = self.ef.trials[k].iter().sum::<f64>() as usize;
                    if w > si {
                        return Err(self.too_many(k, w, &format!("a binomial size of {si}")));
                    }
                    (self.key(0, k, self.ef.keyu[k][0]), ln_fact(si) - ln_fact(w) - ln_fact(si - w))
                }
                Kind::ProxFast => {
                    let ti = t as usize;
                    if w > ti {
                        return Err(self.too_many(k, w, &format!("only {ti} occasions of use")));
                    }
                    (self.key(0, k, t), ln_fact(ti) - ln_fact(w) - ln_fact(ti - w))
                }
                _ => (self.key(0, k, t), -ln_fact(w)),
            };
            events.push(Ev { key, weight: w as f64, q: usize::MAX, konst });
            hk.push((0, k, w));
        }
        Ok(())
    }

    /// Count detectors occasion by occasion: counts per (occasion, detector).
    fn counts(
        &mut self,
        dets: &[Detection],
        first: usize,
        events: &mut Vec<Ev>,
        hk: &mut HistKey,
    ) -> Result<(), SecrError> {
        let mut counts: Vec<(usize, usize, usize)> = Vec::new();
        for det in dets {
            match counts.iter_mut().find(|(s, k, _)| *s == det.occasion && *k == det.trap) {
                Some(c) => c.2 += 1,
                None => counts.push((det.occasion, det.trap, 1)),
            }
        }
        for &(s, k, w) in &counts {
            let c = usize::from(self.learned && s > first);
            let key = self.key(c, k, self.ef.keyu[k][s]);
            let konst = if self.kind == Kind::BinOcc {
                let si = self.ef.trials[k][s] as usize;
                if w > si {
                    return Err(self.too_many(k, w, &format!("a binomial size of {si} on occasion {}", s + 1)));
                }
                ln_fact(si) - ln_fact(w) - ln_fact(si - w)
            } else {
                -ln_fact(w)
            };
            events.push(Ev { key, weight: w as f64, q: usize::MAX, konst });
            hk.push((s, k, w));
        }
        Ok(())
    }

    /// Multi-catch and binary proximity occasion by occasion: one event per detection.
    fn binary(&mut self, dets: &[Detection], first: usize, events: &mut Vec<Ev>, hk: &mut HistKey) {
        for det in dets {
            let (s, k) = (det.occasion, det.trap);
            let c = usize::from(self.learned && s > first);
            let key = self.key(c, k, self.ef.usage[k][s]);
            let q = if self.kind == Kind::Multi { c * self.npat + self.occ_pattern[s] } else { usize::MAX };
            events.push(Ev { key, weight: 1.0, q, konst: 0.0 });
            hk.push((s, k, 1));
        }
    }

    fn build(mut self, by_animal: &[Vec<Detection>]) -> Result<(Vec<Key>, Vec<AnimalLik>, f64), SecrError> {
        let mut animals = Vec::with_capacity(by_animal.len());
        let mut hist_counts: HashMap<HistKey, usize> = HashMap::new();
        for dets in by_animal {
            let first = dets.first().map(|x| x.occasion).unwrap_or(0);
            let (mut events, mut hk) = (Vec::new(), Vec::new());
            if self.kind.collapsed() {
                self.collapsed(dets, &mut events, &mut hk)?;
            } else if matches!(self.kind, Kind::CountOcc | Kind::BinOcc) {
                self.counts(dets, first, &mut events, &mut hk)?;
            } else {
                self.binary(dets, first, &mut events, &mut hk);
            }
            *hist_counts.entry(hk).or_insert(0) += 1;
            animals.push(AnimalLik { first, events });
        }
        // multinomial coefficient over distinct histories
        let logmult = ln_fact(by_animal.len()) - hist_counts.values().map(|&c| ln_fact(c)).sum::<f64>();
        Ok((self.keys, animals, logmult))
    }
}

impl Engine {
    pub(crate) fn new(traps: &Traps, ch: &Capthist, mask: &Mask, model: &SecrModel) -> Result<Self, SecrError> {
        let ns = ch.n_occasions();
        let kind = Kind::choose(traps, model);
        let ef = Effort::new(traps, ns, kind, model.binom_n)?;
        let (d2, d) = distances(traps, mask, model.detectfn.uses_distance());
        let by_animal = histories(traps, ch, &ef, kind)?;
        let (patterns, occ_pattern) = usage_patterns(&ef, kind, ns);
        let builder = EventBuilder {
            traps,
            ef: &ef,
            kind,
            learned: model.learned_response,
            npat: patterns.len(),
            occ_pattern: &occ_pattern,
            patterns: &patterns,
            keys: Vec::new(),
        };
        let (keys, animals, logmult) = builder.build(&by_animal)?;
        Ok(Self {
            detectfn: model.detectfn,
            kind,
            learned: model.learned_response,
            nm: mask.len(),
            nk: traps.len(),
            cell: mask.cell_area_ha(),
            d2,
            d,
            patterns,
            occ_pattern,
            keys,
            animals,
            logmult,
            n: ch.n_animals(),
        })
    }

    /// Parameter sets: naive, and after first detection with a learned response.
    pub(crate) fn n_sets(&self) -> usize {
        if self.learned {
            2
        } else {
            1
        }
    }
}
