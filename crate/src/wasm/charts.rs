//! Chart exports: the survey chart set and the activity overlap of two species.

use super::{from_js, inputs_from_js, to_js};
use crate::pipeline::chartset::{activity_overlap, chart_set, ChartSetOptions, OverlapChartOptions, Survey};
use crate::pipeline::AnalysisOptions;
use wasm_bindgen::prelude::*;

/// Every survey chart with its title and text alternative:
/// `renderChartSet(files, analysisOptions, chartSetOptions)` with `files` an array of `{name, bytes}` →
/// `{charts: [{key, title, svg, alt}], species: [{species, records}], notes: [string]}`.
/// `chartSetOptions` is a [`ChartSetOptions`] (`lang`, `occasion_days`, `secr`, `species_a`,
/// `species_b`, `sun_time`, `width`, `height`, `font`).
#[wasm_bindgen(js_name = renderChartSet)]
pub fn render_chart_set(files: js_sys::Array, options: JsValue, chart_options: JsValue) -> Result<JsValue, JsError> {
    let opts: AnalysisOptions = from_js(options, "options")?;
    let co: ChartSetOptions = from_js(chart_options, "chart set options")?;
    let survey = Survey::from_files(inputs_from_js(&files)?, &opts);
    let set = chart_set(&survey, &co).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&set)
}

/// Activity overlap of two species:
/// `activityOverlap(files, analysisOptions, {species_a, species_b, sun_time, bootstrap, seed, lang})`
/// → `{report: {dhat1, dhat4, dhat5, bandwidth_a, bandwidth_b, activity_a, activity_b,
/// bootstrap: {ci_dhat1, …} | null, …}, time_basis, dropped_a, dropped_b, chart: {key, title, svg, alt}}`.
#[wasm_bindgen(js_name = activityOverlap)]
pub fn activity_overlap_js(
    files: js_sys::Array,
    options: JsValue,
    overlap_options: JsValue,
) -> Result<JsValue, JsError> {
    let opts: AnalysisOptions = from_js(options, "options")?;
    let oo: OverlapChartOptions = from_js(overlap_options, "overlap options")?;
    let survey = Survey::from_files(inputs_from_js(&files)?, &opts);
    let r = activity_overlap(&survey, &oo).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&r)
}
