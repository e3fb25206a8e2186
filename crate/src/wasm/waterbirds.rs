//! The waterbird workspace: count tables, sites and thresholds in, criteria, joint counts, species
//! list and site map out.

use super::{from_js, inputs_from_js, to_js};
use crate::pipeline::waterbirds::{run_waterbirds, WaterbirdRunOptions};
use wasm_bindgen::prelude::*;

/// `waterbirds(files, options)`: `files` an array of `{name, bytes: Uint8Array, role?}` (count
/// tables, one sites file, an optional thresholds table; a `basemap` file draws the countries
/// under the site map) and `options` a [`WaterbirdRunOptions`] (`seasons: ["spring=03-05", …]`,
/// `lang`, `roles: {name: "counts" | "sites" | "thresholds"}`, `eaafp_share`, `eaafp_total`,
/// `migration_seasons`, `map`) → `{result, roles: [{file, role}], species_list_csv, map_svg}`,
/// `result` being what `borderless waterbirds --json` prints (messages' `text` in `lang`). The
/// error, if any, is in `lang`.
#[wasm_bindgen]
pub fn waterbirds(files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let opts: WaterbirdRunOptions = from_js(options, "options")?;
    let inputs = inputs_from_js(&files)?;
    let countries = inputs.countries().map_err(|e| JsError::new(&e.to_message().text(opts.lang)))?;
    let run = run_waterbirds(inputs.files, &opts, &countries).map_err(|m| JsError::new(&m.text(opts.lang)))?;
    to_js(&run)
}
