//! The page's analysis exports: the cross-border analysis, closed models, the expert map and
//! charts, the JSON and CSV exports, genotype matching.

use super::{analysis_from_js, err, from_js, inputs_from_js, progress_fn, to_js};
use crate::pipeline::estimates::{self, ClosedOptions};
use crate::pipeline::{analyze_files, AnalysisOptions};
use wasm_bindgen::prelude::*;

/// The cross-border analysis of the files (`AnalysisOptions`): joint catalog, summary, reports.
/// The same JSON as `borderless run analyze`.
#[wasm_bindgen]
pub fn analyze(files: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let opts: AnalysisOptions = from_js(options, "options")?;
    let inputs = inputs_from_js(&files)?;
    to_js(&analyze_files(inputs.files, &opts, &mut progress_fn(&progress)))
}

/// Closed-population models on the joint histories ([`ClosedOptions`]: `{analysis,
/// occasion_days}`). The same JSON as `borderless run closed`.
#[wasm_bindgen(js_name = fitClosed)]
pub fn fit_closed(files: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let opts: ClosedOptions = from_js(options, "options")?;
    to_js(&estimates::fit_closed(inputs_from_js(&files)?, &opts, &mut progress_fn(&progress)).map_err(err)?)
}

/// The expert map of an analysis as SVG ([`crate::render::maps::MapOptions`], with `lang`); a
/// `basemap` file (TopoJSON) draws the countries.
#[wasm_bindgen(js_name = renderMap)]
pub fn render_map(analysis: JsValue, files: JsValue, options: JsValue) -> Result<String, JsError> {
    let a = analysis_from_js(analysis)?;
    let opts: crate::render::maps::MapOptions = from_js(options, "map options")?;
    let countries = inputs_from_js(&files)?.countries().map_err(err)?;
    Ok(crate::render::maps::expert_map(&a, &countries, &opts))
}

/// The cross-border charts as SVG strings `{detections, crossings, distance}`
/// ([`crate::render::charts::ChartOptions`], with `lang`).
#[wasm_bindgen(js_name = renderCharts)]
pub fn render_charts(analysis: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let a = analysis_from_js(analysis)?;
    let opts: crate::render::charts::ChartOptions = from_js(options, "chart options")?;
    to_js(&crate::render::charts::cross_border_charts(&a, &opts).map_err(err)?)
}

/// The JSON report (the same as `borderless crossborder --json`).
#[wasm_bindgen(js_name = exportJson)]
pub fn export_json(analysis: JsValue) -> Result<String, JsError> {
    let a = analysis_from_js(analysis)?;
    serde_json::to_string_pretty(&crate::pipeline::export::report_json(&a)).map_err(err)
}

/// The joint catalog as CSV.
#[wasm_bindgen(js_name = exportIndividualsCsv)]
pub fn export_individuals_csv(analysis: JsValue) -> Result<String, JsError> {
    Ok(crate::pipeline::export::individuals_csv(&analysis_from_js(analysis)?))
}

/// Genotype matching as allelematch's `amUnique` / `amUniqueProfile`, plus probability of identity.
/// `files`: CSV, xlsx, xls or ods genotype tables, one per country or one for all; `options` is a
/// `MatchOptions` object: `{ missing: -99, mismatches?: number, profile?: bool, id_column?,
/// meta_columns?: [], sex_column?, catalog_column?, individual_column?, catalogs?: [] }`. Returns
/// the same JSON as `borderless genotypes --json` (`MatchReport`).
#[wasm_bindgen(js_name = matchGenotypes)]
pub fn match_genotypes(files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    use crate::identity::genotypes::{match_files, MatchOptions};
    let opts: MatchOptions = from_js(options, "options")?;
    let files: Vec<(String, Vec<u8>)> = inputs_from_js(&files)?.files.into_iter().map(|f| (f.name, f.bytes)).collect();
    to_js(&match_files(&files, &opts).map_err(err)?)
}
