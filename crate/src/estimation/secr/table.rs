//! Model selection: an AIC/AICc table over fits to the same data, as secr's `AIC()` gives it.

use super::SecrFit;
use serde::Serialize;

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
