//! Chart exports: the survey chart set and the activity overlap of two species.

use super::{err, from_js, inputs_from_js, to_js};
use crate::pipeline::chartset::{activity_overlap, chart_set, ChartSetOptions, OverlapChartOptions, Survey};
use wasm_bindgen::prelude::*;

/// Every survey chart with its title and text alternative:
/// `renderChartSet(files, options)` with `files` an array of `{name, bytes}` and `options` a
/// [`ChartSetOptions`] (`analysis`, `lang`, `occasion_days`, `secr`, `species_a`, `species_b`,
/// `sun_time`, `width`, `height`, `font`) → `{charts: [{key, title, svg, alt}], species:
/// [{species, records}], notes: [string]}`.
#[wasm_bindgen(js_name = renderChartSet)]
pub fn render_chart_set(files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let co: ChartSetOptions = from_js(options, "chart set options")?;
    let survey = Survey::from_files(inputs_from_js(&files)?.files, &co.analysis);
    to_js(&chart_set(&survey, &co).map_err(err)?)
}

/// Activity overlap of two species: `activityOverlap(files, options)` with `options` an
/// [`OverlapChartOptions`] (`analysis`, `species_a`, `species_b`, `sun_time`, `bootstrap`, `seed`,
/// `lang`) → `{report: {dhat1, dhat4, dhat5, bandwidth_a, bandwidth_b, activity_a, activity_b,
/// bootstrap: {ci_dhat1, …} | null, …}, time_basis, dropped_a, dropped_b, chart: {key, title, svg, alt}}`.
#[wasm_bindgen(js_name = activityOverlap)]
pub fn activity_overlap_js(files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let oo: OverlapChartOptions = from_js(options, "overlap options")?;
    let survey = Survey::from_files(inputs_from_js(&files)?.files, &oo.analysis);
    to_js(&activity_overlap(&survey, &oo).map_err(err)?)
}
