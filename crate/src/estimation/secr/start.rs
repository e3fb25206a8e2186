//! Starting values of the detection parameters: secr's `autoini` (Efford; `naivecap3`,
//! Efford & Boulanger 2019) for every detector type and detection function, then fallbacks.
//!
//! σ₀ = 1.2 · RPSV (the root pooled spatial variance of the recaptures, `RPSV(CC = TRUE)`);
//! λ₀ solves E(detections per detected animal | λ₀, σ₀) = observed detections per animal for
//! the hazard half-normal over the (thinned) mask with the detectors' usage; g₀ = 1 − e^(−λ₀),
//! divided by the mean non-zero usage (`adjustg0`). Hazard forms start from λ₀ = −log(1 − g₀).
//! If the likelihood is not finite there, the fit tries σ₀ × {½, 2, ¼, 4} and smaller g₀.

use super::spec::SessionData;
use super::{Capthist, DetectorType, Mask, RealParameters, SecrError, SecrModel, Traps};

/// Root pooled spatial variance of the recaptures (secr's `RPSV(CC = TRUE)`), or None
/// without recaptures.
fn rpsv(traps: &Traps, ch: &Capthist) -> Option<f64> {
    let mut by_animal: Vec<Vec<usize>> = vec![Vec::new(); ch.n_animals()];
    for d in ch.detections() {
        by_animal[d.animal].push(d.trap);
    }
    let (tx, ty) = (traps.x(), traps.y());
    let (mut ss, mut df) = (0.0, 0usize);
    for t in by_animal.iter().filter(|t| t.len() > 1) {
        let mx = t.iter().map(|&k| tx[k]).sum::<f64>() / t.len() as f64;
        let my = t.iter().map(|&k| ty[k]).sum::<f64>() / t.len() as f64;
        ss += t.iter().map(|&k| (tx[k] - mx).powi(2) + (ty[k] - my).powi(2)).sum::<f64>();
        df += t.len() - 1;
    }
    (df > 0).then(|| (ss / (2.0 * df as f64)).sqrt())
}

fn nearest_neighbour(traps: &Traps) -> f64 {
    let (tx, ty) = (traps.x(), traps.y());
    let mut nn = f64::INFINITY;
    for i in 0..traps.len() {
        for j in 0..traps.len() {
            if i != j {
                nn = nn.min(((tx[i] - tx[j]).powi(2) + (ty[i] - ty[j]).powi(2)).sqrt());
            }
        }
    }
    if nn.is_finite() && nn > 0.0 {
        nn
    } else {
        1.0
    }
}

/// Expected detections per detected animal for hazard half-normal λ0, σ (secr's `naivecap3`):
/// kernels per mask point × detector, usage columns with their multiplicities.
struct Naive {
    kern: Vec<f64>,
    nk: usize,
    cols: Vec<(Vec<f64>, f64)>,
    detector: DetectorType,
}

impl Naive {
    fn new(traps: &Traps, mask: &Mask, ns: usize, sigma: f64, detector: DetectorType) -> Self {
        let nk = traps.len();
        // every 5th point of a large mask (secr thins at random to 20%)
        let step = if mask.len() > 1000 { 5 } else { 1 };
        let mut kern = Vec::new();
        for m in (0..mask.len()).step_by(step) {
            for k in 0..nk {
                let d2 = (mask.x()[m] - traps.x()[k]).powi(2) + (mask.y()[m] - traps.y()[k]).powi(2);
                kern.push((-d2 / (2.0 * sigma * sigma)).exp());
            }
        }
        let mut cols: Vec<(Vec<f64>, f64)> = Vec::new();
        for s in 0..ns {
            let col: Vec<f64> = (0..nk).map(|k| traps.usage().map_or(1.0, |u| u[k][s])).collect();
            match cols.iter_mut().find(|c| c.0 == col) {
                Some(c) => c.1 += 1.0,
                None => cols.push((col, 1.0)),
            }
        }
        Naive { kern, nk, cols, detector }
    }

    fn cap(&self, lambda0: f64) -> f64 {
        let (mut captures, mut animals) = (0.0, 0.0);
        for row in self.kern.chunks(self.nk) {
            let mut total = 0.0;
            for (col, mult) in &self.cols {
                let mut lam_s = 0.0;
                for k in 0..self.nk {
                    let ls = lambda0 * row[k] * col[k];
                    lam_s += ls;
                    if self.detector == DetectorType::Proximity {
                        captures += mult * -(-ls).exp_m1();
                    }
                }
                match self.detector {
                    DetectorType::Multi => captures += mult * -(-lam_s).exp_m1(),
                    DetectorType::Count => captures += mult * lam_s,
                    DetectorType::Proximity => {}
                }
                total += mult * lam_s;
            }
            animals += -(-total).exp_m1();
        }
        if animals > 0.0 {
            captures / animals
        } else {
            0.0
        }
    }
}

/// secr's `autoini` for one session: (g0, σ), or None without recaptures.
fn autoini(traps: &Traps, ch: &Capthist, mask: &Mask, model: &SecrModel) -> Option<(f64, f64)> {
    let r = rpsv(traps, ch)?;
    let sigma = if r > 1e-10 { 1.2 * r } else { nearest_neighbour(traps) / 2.0 };
    let cpa = ch.n_detections() as f64 / ch.n_animals().max(1) as f64;
    let naive = Naive::new(traps, mask, ch.n_occasions(), sigma, model.detector);
    let f = |l: f64| naive.cap(l) - cpa;
    let (mut lo, mut hi) = (1e-6f64, 100.0f64);
    let (flo, fhi) = (f(lo), f(hi));
    let g0 = if flo.is_finite() && fhi.is_finite() && flo.signum() != fhi.signum() {
        for _ in 0..60 {
            let mid = (lo * hi).sqrt();
            if f(mid).signum() == flo.signum() {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi / lo < 1.0 + 1e-4 {
                break;
            }
        }
        -(-(lo * hi).sqrt()).exp_m1()
    } else {
        0.1
    };
    // adjustg0: per unit of usage
    let used: Vec<f64> =
        traps.usage().map(|u| u.iter().flatten().copied().filter(|v| *v > 0.0).collect()).unwrap_or_default();
    let g0 = if used.is_empty() {
        g0
    } else if model.binom_n == 0 {
        used.iter().map(|u| g0 / u).sum::<f64>() / used.len() as f64
    } else {
        used.iter().map(|u| 1.0 - (1.0 - g0).powf(1.0 / (u * model.binom_n as f64))).sum::<f64>() / used.len() as f64
    };
    Some((g0.clamp(1e-6, 0.95), sigma))
}

/// Starting values to try in order: the user's, else secr's `autoini` on the first session
/// with recaptures, then fallbacks.
pub(crate) fn start_candidates(sessions: &[SessionData], model: &SecrModel) -> Result<Vec<RealParameters>, SecrError> {
    let base = sessions.iter().find_map(|s| autoini(&s.traps, &s.capthist, &s.mask, model));
    let Some((g0, sigma)) = base else { return Err(SecrError::NoRecaptures) };
    let to_real = |g0: f64, sigma: f64| {
        let a = if model.detectfn.is_hazard() { -(-g0).ln_1p() } else { g0 };
        RealParameters { d: 1.0, g0: a, g0_b: None, sigma, z: Some(5.0) }
    };
    let mut v = Vec::new();
    if let Some(s) = &model.start {
        v.push(RealParameters { d: 1.0, g0: s.g0, g0_b: None, sigma: s.sigma, z: s.z.or(Some(5.0)) });
    }
    v.push(to_real(g0, sigma));
    for (fg, fs) in [(1.0, 0.5), (1.0, 2.0), (0.5, 0.25), (0.5, 4.0), (0.2, 1.0), (0.05, 1.0)] {
        v.push(to_real((g0 * fg).max(1e-6), sigma * fs));
    }
    Ok(v)
}
