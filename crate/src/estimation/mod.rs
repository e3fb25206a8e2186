//! Population estimation: detection histories from camera catalogs ([`occasions`]), closed
//! capture–recapture models ([`closed`], as Rcapture fits them) and spatially explicit
//! capture–recapture ([`secr`], as secr fits it).

pub mod catalog_secr;
pub mod closed;
pub mod design;
pub mod occasions;
pub mod secr;

use crate::model::joint::JointSurvey;
use closed::{fit_all, jackknife, ClosedFit, Jackknife};
use serde::Serialize;
use std::collections::BTreeMap;

/// One closed model's result, or why it could not be fitted.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedModelResult {
    pub model: String,
    pub fit: Option<ClosedFit>,
    /// Why it could not be fitted, in English.
    pub error: Option<String>,
    /// The same as a message, to show it in any language.
    pub error_code: Option<crate::model::message::Message>,
}

/// Closed-population estimates of the joint catalog, beside the naive sum of national counts.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedPopulation {
    pub occasion_days: f64,
    pub occasions: usize,
    /// Station-days of effort per occasion, over all catalogs.
    pub effort_per_occasion: Vec<f64>,
    /// Joint individuals detected (n).
    pub animals: usize,
    pub national_counts: BTreeMap<String, usize>,
    pub sum_of_national_counts: usize,
    pub models: Vec<ClosedModelResult>,
    pub jackknife: Jackknife,
    /// The model with the lowest AIC among those fitted without a warning code.
    pub best_by_aic: Option<String>,
}

/// Errors of the estimation pipeline.
#[derive(Debug, thiserror::Error)]
pub enum EstimationError {
    #[error(transparent)]
    Occasions(#[from] occasions::OccasionError),
}

impl EstimationError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> crate::model::message::Message {
        match self {
            EstimationError::Occasions(e) => e.message(),
        }
    }
}

/// Builds joint detection histories with occasions of `occasion_days` and fits every closed
/// model of Rcapture's `closedp.t` plus the Burnham–Overton jackknife.
pub fn closed_population(survey: JointSurvey<'_>, occasion_days: f64) -> Result<ClosedPopulation, EstimationError> {
    let h = occasions::build(survey.catalogs, survey.joint, occasion_days)?;
    let ch = h.closed_histories()?;
    let models: Vec<ClosedModelResult> = fit_all(&ch)
        .into_iter()
        .map(|(m, r)| match r {
            Ok(fit) => ClosedModelResult { model: m.name().to_string(), fit: Some(fit), error: None, error_code: None },
            Err(e) => ClosedModelResult {
                model: m.name().to_string(),
                fit: None,
                error: Some(e.to_string()),
                error_code: Some(e.message()),
            },
        })
        .collect();
    let best_by_aic = models
        .iter()
        .filter_map(|m| m.fit.as_ref().filter(|f| f.converged && f.info_fit == 0).map(|f| (&m.model, f.aic)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(m, _)| m.clone());
    let national_counts: BTreeMap<String, usize> =
        survey.catalogs.iter().map(|c| (c.name.clone(), c.individuals().len())).collect();
    Ok(ClosedPopulation {
        occasion_days,
        occasions: h.occasions,
        effort_per_occasion: h.effort_per_occasion(),
        animals: ch.animals(),
        sum_of_national_counts: national_counts.values().sum(),
        national_counts,
        models,
        jackknife: jackknife(&ch),
        best_by_aic,
    })
}
