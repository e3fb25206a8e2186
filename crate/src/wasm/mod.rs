//! The thin WebAssembly boundary: files in as bytes, options as one serde struct, results as
//! serde structs or SVG strings. Every export returns a `Result` that becomes a JS error.

use crate::io::InputFile;
use crate::pipeline::{analyze_files, Analysis, AnalysisOptions};
use wasm_bindgen::prelude::*;

// One submodule per capability; each adds its exports and nothing else.
mod charts;
mod identity;
mod maps;
mod outreach;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version, for the page footer and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

pub(crate) fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
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

/// Files from JS: an array of `{name, bytes: Uint8Array}`.
pub(crate) fn inputs_from_js(files: &js_sys::Array) -> Result<Vec<InputFile>, JsError> {
    let mut inputs = Vec::with_capacity(files.length() as usize);
    for (i, f) in files.iter().enumerate() {
        let name = js_sys::Reflect::get(&f, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .ok_or_else(|| JsError::new(&format!("files[{i}] has no name")))?;
        let bytes = js_sys::Reflect::get(&f, &"bytes".into())
            .map_err(|_| JsError::new(&format!("files[{i}] ({name}) has no bytes")))?;
        let bytes: js_sys::Uint8Array =
            bytes.dyn_into().map_err(|_| JsError::new(&format!("files[{i}] ({name}): bytes must be a Uint8Array")))?;
        inputs.push(InputFile::new(name, bytes.to_vec()));
    }
    Ok(inputs)
}

pub(crate) fn progress_fn(progress: &Option<js_sys::Function>) -> impl FnMut(crate::pipeline::Progress) + '_ {
    move |p: crate::pipeline::Progress| {
        if let Some(f) = progress {
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(&p.stage), &JsValue::from_f64(p.fraction));
        }
    }
}

/// Runs the cross-border pipeline. `files` is an array of `{name, bytes: Uint8Array}`;
/// `progress(stage, fraction)` is called as stages start.
#[wasm_bindgen]
pub fn analyze(files: js_sys::Array, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let opts: AnalysisOptions = from_js(options, "options")?;
    let inputs = inputs_from_js(&files)?;
    let mut report = progress_fn(&progress);
    let analysis = analyze_files(inputs, &opts, &mut report);
    to_js(&analysis)
}

/// Closed-population models (Rcapture's `closedp.t` set and the jackknife) on the joint
/// detection histories, with occasions of `occasion_days` days.
#[wasm_bindgen(js_name = fitClosed)]
pub fn fit_closed(
    files: js_sys::Array,
    options: JsValue,
    occasion_days: f64,
    progress: Option<js_sys::Function>,
) -> Result<JsValue, JsError> {
    let opts: AnalysisOptions = from_js(options, "options")?;
    let inputs = inputs_from_js(&files)?;
    let mut report = progress_fn(&progress);
    let loaded = crate::pipeline::load_files(inputs, &opts, &mut report);
    let result = crate::estimation::closed_population(loaded.survey(), occasion_days)
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&result)
}

/// The expert map as SVG. `basemap` is TopoJSON bytes of country outlines (optional).
#[wasm_bindgen(js_name = renderMap)]
pub fn render_map(analysis: JsValue, basemap: Option<js_sys::Uint8Array>, options: JsValue) -> Result<String, JsError> {
    let a = analysis_from_js(analysis)?;
    let opts: crate::render::maps::MapOptions = from_js(options, "map options")?;
    let countries = match basemap {
        Some(b) => {
            crate::io::topojson::read_countries("basemap", &b.to_vec()).map_err(|e| JsError::new(&e.to_string()))?
        }
        None => Vec::new(),
    };
    Ok(crate::render::maps::expert_map(&a, &countries, &opts))
}

/// The charts as SVG strings `{detections, crossings, distance}`. Needs a document (plotters
/// measures text through the DOM): call it on the main thread, not in a worker.
#[wasm_bindgen(js_name = renderCharts)]
pub fn render_charts(analysis: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let a = analysis_from_js(analysis)?;
    let opts: crate::render::charts::ChartOptions = from_js(options, "chart options")?;
    let charts = crate::render::charts::cross_border_charts(&a, &opts).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&charts)
}

/// The JSON report (same as `borderless crossborder --json`).
#[wasm_bindgen(js_name = exportJson)]
pub fn export_json(analysis: JsValue) -> Result<String, JsError> {
    let a = analysis_from_js(analysis)?;
    serde_json::to_string_pretty(&crate::pipeline::export::report_json(&a)).map_err(|e| JsError::new(&e.to_string()))
}

/// The joint catalog as CSV.
#[wasm_bindgen(js_name = exportIndividualsCsv)]
pub fn export_individuals_csv(analysis: JsValue) -> Result<String, JsError> {
    Ok(crate::pipeline::export::individuals_csv(&analysis_from_js(analysis)?))
}

/// SECR fit on secr-style CSV bytes (traps with optional usage columns, captures
/// `session,id,occasion,trapid`, mask `x,y`); `model` is a [`crate::estimation::secr::SecrModel`]
/// as JSON-like object. Returns the fit with its termination reason.
#[wasm_bindgen(js_name = fitSecrCsv)]
pub fn fit_secr_csv(
    traps: js_sys::Uint8Array,
    captures: js_sys::Uint8Array,
    mask: js_sys::Uint8Array,
    model: JsValue,
) -> Result<JsValue, JsError> {
    use crate::estimation::secr::{fit_secr, Capthist, Mask, SecrModel, Traps};
    let model: SecrModel = from_js(model, "SECR model")?;
    let e = |e: crate::estimation::secr::SecrError| JsError::new(&e.to_string());
    let traps = Traps::from_csv_bytes("traps.csv", &traps.to_vec()).map_err(e)?;
    let capthist = Capthist::from_csv_bytes("captures.csv", &captures.to_vec(), &traps, None).map_err(e)?;
    let mask = Mask::from_csv_bytes("mask.csv", &mask.to_vec(), None).map_err(e)?;
    let fit = fit_secr(&traps, &capthist, &mask, &model).map_err(e)?;
    to_js(&fit)
}

/// SECR on the joint catalog of the dropped files: `secrOptions` is a
/// [`crate::estimation::catalog_secr::CatalogSecrOptions`]; `basemap` (TopoJSON) keeps the mask
/// on land and gives expected N per country; `habitat` and `regions` (GeoJSON polygons) clip the
/// mask and name areas to report N for. Returns `{secr, densityMap, detectionChart}`.
#[wasm_bindgen(js_name = fitSecr)]
pub fn fit_secr_catalogs(
    files: js_sys::Array,
    options: JsValue,
    secr_options: JsValue,
    basemap: Option<js_sys::Uint8Array>,
    habitat: Option<js_sys::Uint8Array>,
    regions: Option<js_sys::Uint8Array>,
    progress: Option<js_sys::Function>,
) -> Result<JsValue, JsError> {
    use crate::estimation::catalog_secr::{fit_catalogs, CatalogSecrOptions, MaskPolygons};
    use crate::io::border::{read_named_polygons, read_polygons};
    let habitat = habitat
        .map(|b| read_polygons("habitat GeoJSON", &b.to_vec()))
        .transpose()
        .map_err(|e| JsError::new(&e.to_string()))?;
    let regions = regions
        .map(|b| read_named_polygons("regions GeoJSON", &b.to_vec()))
        .transpose()
        .map_err(|e| JsError::new(&e.to_string()))?
        .unwrap_or_default();
    let opts: AnalysisOptions = from_js(options, "options")?;
    let secr_opts: CatalogSecrOptions = from_js(secr_options, "SECR options")?;
    let inputs = inputs_from_js(&files)?;
    let mut report = progress_fn(&progress);
    let loaded = crate::pipeline::load_files(inputs, &opts, &mut report);
    let countries = match basemap {
        Some(b) => {
            crate::io::topojson::read_countries("basemap", &b.to_vec()).map_err(|e| JsError::new(&e.to_string()))?
        }
        None => Vec::new(),
    };
    report(crate::pipeline::Progress::new(crate::model::message::Message::new("pipeline.stage.fitting_secr"), 0.5));
    let polygons = MaskPolygons { countries: &countries, habitat: habitat.as_ref(), regions: &regions };
    let secr = fit_catalogs(loaded.survey(), &polygons, &secr_opts).map_err(|e| JsError::new(&e.to_string()))?;
    let analysis = loaded.analysis(&mut report);
    let density_map = crate::render::maps::density_map(&analysis, &secr, &countries, &Default::default());
    let detection_chart = crate::render::charts::detection_function_chart(
        &secr.detection_curve,
        &format!("{:?}", secr_opts.detectfn),
        match secr_opts.usage {
            crate::estimation::catalog_secr::UsageKind::Days => "detection probability per camera-day",
            crate::estimation::catalog_secr::UsageKind::Binary => "detection probability per occasion",
        },
        analysis.simulated,
        &Default::default(),
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        secr: &'a crate::estimation::catalog_secr::CatalogSecr,
        density_map: String,
        detection_chart: String,
    }
    to_js(&Out { secr: &secr, density_map, detection_chart })
}

/// Survey design (secrdesign's question, Efford & Boulanger 2019): expected animals detected,
/// recaptures and movements, the rule-of-thumb RSE(D̂) and, with replicates, simulate → fit
/// results for a layout. The layout is the stations of the dropped `files`, or the proposed
/// stations of `layoutCsv` (`id,lat,lon`, or `id,x,y` with a UTM zone) when given, named
/// `layoutName` in errors. `designOptions` is a
/// [`crate::estimation::design::LayoutDesignOptions`]; `basemap` (TopoJSON) keeps the mask on
/// land. `progress(stage, fraction)` is called after each replicate.
#[wasm_bindgen(js_name = designSurvey)]
pub fn design_survey(
    files: js_sys::Array,
    options: JsValue,
    design_options: JsValue,
    layout_csv: Option<js_sys::Uint8Array>,
    layout_name: Option<String>,
    basemap: Option<js_sys::Uint8Array>,
    progress: Option<js_sys::Function>,
) -> Result<JsValue, JsError> {
    use crate::estimation::design::{design_layout, Layout, LayoutDesignOptions};
    let design_opts: LayoutDesignOptions = from_js(design_options, "design options")?;
    let countries = match basemap {
        Some(b) => {
            crate::io::topojson::read_countries("basemap", &b.to_vec()).map_err(|e| JsError::new(&e.to_string()))?
        }
        None => Vec::new(),
    };
    let mut report = progress_fn(&progress);
    let mut on_rep = |done: usize, total: usize| {
        report(crate::pipeline::Progress::new(
            crate::model::message::Message::new("pipeline.stage.replicate").with("done", done).with("total", total),
            done as f64 / total.max(1) as f64,
        ))
    };
    let e = |e: crate::estimation::design::DesignError| JsError::new(&e.to_string());
    let design = match layout_csv {
        Some(csv) => {
            let name = layout_name.unwrap_or_else(|| "layout.csv".into());
            let bytes = csv.to_vec();
            design_layout(Layout::Csv { file: &name, bytes: &bytes }, &countries, &design_opts, &mut on_rep)
                .map_err(e)?
        }
        None => {
            let opts: AnalysisOptions = from_js(options, "options")?;
            let inputs = inputs_from_js(&files)?;
            let mut report = progress_fn(&progress);
            let loaded = crate::pipeline::load_files(inputs, &opts, &mut report);
            design_layout(Layout::Catalogs(loaded.survey()), &countries, &design_opts, &mut on_rep).map_err(e)?
        }
    };
    to_js(&design)
}

/// Genotype matching as allelematch's `amUnique` / `amUniqueProfile`, plus probability of identity.
/// `files` is an array of `{name, bytes: Uint8Array}` (CSV, xlsx, xls or ods genotype tables, one
/// per country or one for all); `options` is a `MatchOptions` object: `{ missing: -99,
/// mismatches?: number, profile?: bool, id_column?, meta_columns?: [], sex_column?,
/// catalog_column?, individual_column?, catalogs?: [] }`. Returns the same JSON as
/// `borderless genotypes --json` (`MatchReport`).
#[wasm_bindgen(js_name = matchGenotypes)]
pub fn match_genotypes(files: js_sys::Array, options: JsValue) -> Result<JsValue, JsError> {
    use crate::identity::genotypes::{match_files, MatchOptions};
    let opts: MatchOptions = from_js(options, "options")?;
    let files: Vec<(String, Vec<u8>)> = inputs_from_js(&files)?.into_iter().map(|f| (f.name, f.bytes)).collect();
    let report = match_files(&files, &opts).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&report)
}
