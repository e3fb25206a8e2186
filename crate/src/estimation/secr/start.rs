//! Starting values of the detection parameters.

use super::{Capthist, RealParameters, SecrError, SecrModel, Traps};

/// Starting values: sigma from the root pooled spatial variance (RPSV) of recaptures, g0 / lambda0 0.2.
pub(crate) fn start_values(traps: &Traps, ch: &Capthist, model: &SecrModel) -> Result<RealParameters, SecrError> {
    let mut by_animal: Vec<Vec<usize>> = vec![Vec::new(); ch.n_animals()];
    for d in ch.detections() {
        by_animal[d.animal].push(d.trap);
    }
    let (tx, ty) = (traps.x(), traps.y());
    let (mut ss, mut df, mut recaps) = (0.0, 0usize, 0usize);
    for t in &by_animal {
        if t.len() > 1 {
            recaps += t.len() - 1;
            let mx = t.iter().map(|&k| tx[k]).sum::<f64>() / t.len() as f64;
            let my = t.iter().map(|&k| ty[k]).sum::<f64>() / t.len() as f64;
            ss += t.iter().map(|&k| (tx[k] - mx).powi(2) + (ty[k] - my).powi(2)).sum::<f64>();
            df += t.len() - 1;
        }
    }
    if recaps == 0 {
        return Err(SecrError::NoRecaptures);
    }
    let mut sigma = (ss / (2.0 * df as f64)).sqrt();
    if sigma.is_nan() || sigma <= 0.0 {
        // all recaptures at the same detector: use the nearest-neighbour detector spacing
        let mut nn = f64::INFINITY;
        for i in 0..traps.len() {
            for j in 0..traps.len() {
                if i != j {
                    nn = nn.min(((tx[i] - tx[j]).powi(2) + (ty[i] - ty[j]).powi(2)).sqrt());
                }
            }
        }
        sigma = if nn.is_finite() && nn > 0.0 { nn / 2.0 } else { 1.0 };
    }
    let (g0, z) = match &model.start {
        Some(s) => {
            sigma = s.sigma;
            (s.g0, s.z)
        }
        None => (0.2, Some(5.0)),
    };
    Ok(RealParameters { d: 1.0, g0, g0_b: None, sigma, z })
}
