//! The thin WebAssembly boundary. Every export takes the operation's files as bytes — an array
//! of `{name, bytes: Uint8Array, role?}`, `role` naming a part such as `basemap`, `habitat`,
//! `regions` or `layout` (see [`crate::pipeline::inputs`]) — and one serde options struct, calls
//! one function of [`crate::pipeline`] (the same one the CLI calls) and returns its serde result;
//! every export returns a `Result` that becomes a JS error. Nothing here orchestrates, labels or
//! validates: that is the pipeline's.
//!
//! Progress, where an export takes a `progress` function, is `progress(stage, fraction)` with
//! `stage` a message `{code, params}` (`pipeline.stage.*`, translated by the page) and `fraction`
//! in 0..1.

use crate::io::InputFile;
use crate::pipeline::estimates::{self, ClosedOptions, DesignOptions, SecrOptions};
use crate::pipeline::inputs::{Inputs, Role};
use crate::pipeline::{analyze_files, Analysis, AnalysisOptions, Progress};
use wasm_bindgen::prelude::*;

// One submodule per capability; each adds its exports and nothing else.
mod charts;
mod identity;
mod maps;
mod outreach;
mod waterbirds;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version, for the page footer and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

pub(crate) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

pub(crate) fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(err)
}

/// Reads a JS value through JSON, so that `deny_unknown_fields` and every other serde check
/// apply exactly as in the CLI (serde-wasm-bindgen only looks up the fields it knows).
pub(crate) fn parse_js<T: serde::de::DeserializeOwned>(v: &JsValue, what: &str) -> Result<T, JsError> {
    let text: String =
        js_sys::JSON::stringify(v).map_err(|_| JsError::new(&format!("{what}: cannot be converted to JSON")))?.into();
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

pub(crate) fn from_js<T: serde::de::DeserializeOwned + Default>(v: JsValue, what: &str) -> Result<T, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    parse_js(&v, what)
}

pub(crate) fn analysis_from_js(v: JsValue) -> Result<Analysis, JsError> {
    parse_js(&v, "analysis")
}

/// One file from JS: `{name, bytes: Uint8Array, role?, encoding?}` (`encoding`: a label such as
/// `windows-1251` or `gbk`, to read the file in instead of detecting its encoding).
fn file_from_js(i: usize, f: &JsValue) -> Result<(InputFile, Option<Role>), JsError> {
    let get = |k: &str| js_sys::Reflect::get(f, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let name = get("name").as_string().ok_or_else(|| JsError::new(&format!("files[{i}] has no name")))?;
    let bytes: js_sys::Uint8Array = get("bytes")
        .dyn_into()
        .map_err(|_| JsError::new(&format!("files[{i}] ({name}): bytes must be a Uint8Array")))?;
    let role = match get("role").as_string() {
        Some(r) => Some(r.parse::<Role>().map_err(|e| JsError::new(&format!("files[{i}] ({name}): {e}")))?),
        None => None,
    };
    let file = InputFile::new(name, bytes.to_vec());
    let file = match get("encoding").as_string().filter(|l| !l.trim().is_empty()) {
        Some(label) => file.with_encoding(&label).map_err(|e| JsError::new(&format!("files[{i}]: {e}")))?,
        None => file,
    };
    Ok((file, role))
}

/// The files of an operation: an array of `{name, bytes: Uint8Array, role?, encoding?}` (or undefined).
pub(crate) fn inputs_from_js(files: &JsValue) -> Result<Inputs, JsError> {
    let mut inputs = Inputs::default();
    if files.is_undefined() || files.is_null() {
        return Ok(inputs);
    }
    let files: &js_sys::Array =
        files.dyn_ref().ok_or_else(|| JsError::new("files must be an array of {name, bytes}"))?;
    for (i, f) in files.iter().enumerate() {
        match file_from_js(i, &f)? {
            (file, Some(role)) => inputs.set(role, file).map_err(|e| JsError::new(&e))?,
            (file, None) => inputs.files.push(file),
        }
    }
    Ok(inputs)
}

/// `progress(stage: {code, params}, fraction)`, if given.
pub(crate) fn progress_fn(progress: &Option<js_sys::Function>) -> impl FnMut(Progress) + '_ {
    move |p: Progress| {
        if let (Some(f), Ok(stage)) = (progress, to_js(&p.stage)) {
            let _ = f.call2(&JsValue::NULL, &stage, &JsValue::from_f64(p.fraction));
        }
    }
}

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

/// SECR on the joint catalog ([`SecrOptions`]: `{analysis, secr, drawings, lang}`); files with
/// the roles `basemap`, `habitat` and `regions` shape the mask and the areas N is given for.
/// The same JSON as `borderless run secr` (and `borderless secr --catalog … --json`).
#[wasm_bindgen(js_name = fitSecr)]
pub fn fit_secr(files: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let opts: SecrOptions = from_js(options, "options")?;
    to_js(&estimates::fit_catalog_secr(inputs_from_js(&files)?, &opts, &mut progress_fn(&progress)).map_err(err)?)
}

/// Survey design ([`DesignOptions`]: `{analysis, design}`) for the stations of the `layout`
/// file, or else of the catalogs; a `basemap` file keeps the mask on land. The same JSON as
/// `borderless run design`.
#[wasm_bindgen(js_name = designSurvey)]
pub fn design_survey(files: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let opts: DesignOptions = from_js(options, "options")?;
    to_js(&estimates::design_survey(inputs_from_js(&files)?, &opts, &mut progress_fn(&progress)).map_err(err)?)
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

/// SECR on secr-style files: the files whose names start with `traps`, `captures` and `mask`
/// (traps with optional usage columns, captures `session,id,occasion,trapid`, mask `x,y`);
/// `model` is a [`crate::estimation::secr::SecrModel`]. Returns the fit with its termination
/// reason.
#[wasm_bindgen(js_name = fitSecrCsv)]
pub fn fit_secr_csv(files: JsValue, model: JsValue) -> Result<JsValue, JsError> {
    use crate::estimation::secr::{fit_secr, Capthist, Mask, SecrModel, Traps};
    let model: SecrModel = from_js(model, "SECR model")?;
    let inputs = inputs_from_js(&files)?;
    let file = |stem: &str| {
        inputs
            .files
            .iter()
            .find(|f| f.name.rsplit('/').next().is_some_and(|n| n.starts_with(stem)))
            .ok_or_else(|| JsError::new(&format!("no {stem} file (a file named {stem}….csv)")))
    };
    let (t, c, m) = (file("traps")?, file("captures")?, file("mask")?);
    let traps = Traps::from_csv_bytes(&t.name, &t.bytes).map_err(err)?;
    let capthist = Capthist::from_csv_bytes(&c.name, &c.bytes, &traps, None).map_err(err)?;
    let mask = Mask::from_csv_bytes(&m.name, &m.bytes, None).map_err(err)?;
    to_js(&fit_secr(&traps, &capthist, &mask, &model).map_err(err)?)
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
