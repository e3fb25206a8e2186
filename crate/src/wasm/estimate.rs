//! The estimation module's exports (`pkg/estimate/`, loaded by the worker on first use): SECR on
//! the joint catalog and on secr-style CSV files, and survey design.

use super::{err, from_js, inputs_from_js, progress_fn, to_js};
use crate::pipeline::estimates::{self, DesignOptions, SecrOptions};
use wasm_bindgen::prelude::*;

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
