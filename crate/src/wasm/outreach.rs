//! Outreach exports: the public view of an analysis, generalised by [`crate::privacy`] first.
//! Every export goes through [`crate::privacy::generalise`]; nothing here sees a position.

use super::{analysis_from_js, err, from_js, inputs_from_js, to_js};
use crate::outreach::{darwin_core_csv, geojson, outreach_view, OutreachOptions};
use crate::privacy::{generalise, PublicRecords};
use wasm_bindgen::prelude::*;

fn public(analysis: JsValue, options: JsValue) -> Result<(PublicRecords, OutreachOptions), JsError> {
    let a = analysis_from_js(analysis)?;
    let opts: OutreachOptions = from_js(options, "outreach options")?;
    let p = generalise(&a, &opts.privacy()).map_err(err)?;
    Ok((p, opts))
}

/// `outreachView(analysis, options?: {grid_km?, min_records?, lang?}, files?: [{name, bytes,
/// role: 'basemap'}])` → `{lang, slides: [{key, title, subtitle, svg, alt}], numbers: [{key,
/// label, value}], generalisation}`.
#[wasm_bindgen(js_name = outreachView)]
pub fn outreach_view_js(analysis: JsValue, options: JsValue, files: JsValue) -> Result<JsValue, JsError> {
    let (p, opts) = public(analysis, options)?;
    let countries = inputs_from_js(&files)?.countries().map_err(err)?;
    to_js(&outreach_view(&p, &countries, opts.lang))
}

/// `outreachGeoJson(analysis, options?)` → GeoJSON FeatureCollection text of the generalised cells.
#[wasm_bindgen(js_name = outreachGeoJson)]
pub fn outreach_geojson_js(analysis: JsValue, options: JsValue) -> Result<String, JsError> {
    let (p, _) = public(analysis, options)?;
    Ok(geojson(&p))
}

/// `outreachDarwinCore(analysis, options?)` → Darwin Core occurrence CSV text of the generalised cells.
#[wasm_bindgen(js_name = outreachDarwinCore)]
pub fn outreach_darwin_core_js(analysis: JsValue, options: JsValue) -> Result<String, JsError> {
    let (p, opts) = public(analysis, options)?;
    Ok(darwin_core_csv(&p, opts.lang))
}

/// `speciesList()` → `[{scientific, common: {en, zh, ru, ko, mn}, sensitivity: {kind, grid_km?}}]`.
#[wasm_bindgen(js_name = speciesList)]
pub fn species_list_js() -> Result<JsValue, JsError> {
    to_js(&crate::model::species::species_list())
}

/// `reportHtml(analysis, options?: {lang?, public?, date?, options?: AnalysisOptions, command?,
/// grid_km?, min_records?, occasion_days?}, files?: [{name, bytes, role?: 'basemap'}])` → the
/// print-ready HTML report ([`crate::outreach::report`]); the public edition draws only
/// privacy-generalised cells. The files without a role are the analysis' inputs, read again for
/// the closed-population estimates (none: the report says it has none).
#[wasm_bindgen(js_name = reportHtml)]
pub fn report_html_js(analysis: JsValue, options: JsValue, files: JsValue) -> Result<String, JsError> {
    use crate::outreach::report::{closed_estimates, report_html, ReportOptions};
    let a = analysis_from_js(analysis)?;
    let opts: ReportOptions = from_js(options, "report options")?;
    let inputs = inputs_from_js(&files)?;
    let countries = inputs.countries().map_err(err)?;
    let closed = closed_estimates(inputs.files, &opts);
    report_html(&a, &countries, closed.as_ref(), &opts).map_err(err)
}

/// Options of [`message_texts_js`]: the messages (code + params, as the core reports them) and
/// the language to write them in.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MessageTexts {
    messages: Vec<crate::model::message::Message>,
    lang: crate::model::lang::Lang,
}

/// `messageTexts({messages: [{code, params?}], lang?})` → each message's text in `lang` (the
/// catalogue of `crate/i18n/*.json`), so the page shows the core's evidence, notes and reasons in
/// the chosen language; a message without a code (untranslated) keeps its text.
#[wasm_bindgen(js_name = messageTexts)]
pub fn message_texts_js(options: JsValue) -> Result<JsValue, JsError> {
    let o: MessageTexts = from_js(options, "message options")?;
    to_js(&o.messages.iter().map(|m| m.text(o.lang)).collect::<Vec<_>>())
}
