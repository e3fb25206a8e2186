//! The waterbird workspace: count tables, sites and thresholds in, criteria, joint counts, species
//! list and site map out; and the public view's waterbird slides. In the lazily loaded module
//! (`estimate-exports`, `pkg/estimate/`) with SECR and design: the taxonomy and the criteria are
//! needed only when someone opens the Waterbirds view or the public view's waterbird slides.

use super::{err, from_js, inputs_from_js, to_js};
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

/// `outreachWaterbirds(files: [{name, bytes}], options?: {lang?, seasons?: ["spring=03-05", …],
/// sites?, thresholds?, simulated?})` → `{lang, simulated, findings: [{unit, season, species,
/// sentence, detail, only_together}], slides: [{key, title, subtitle, svg, alt}]}`: the public
/// view's waterbird slides ([`crate::outreach::waterbird_slides`]), from the count tables and the
/// sites file (the one whose name contains "sites" unless `sites` names it). Only figures of whole
/// complexes appear.
#[wasm_bindgen(js_name = outreachWaterbirds)]
pub fn outreach_waterbirds_js(files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    use crate::outreach::waterbird_slides::{waterbird_slides_from_files, WaterbirdSlideOptions};
    let opts: WaterbirdSlideOptions = from_js(options, "waterbird slide options")?;
    let inputs = inputs_from_js(&files)?;
    let slides = waterbird_slides_from_files(inputs.files, &opts).map_err(|e| {
        // A located error where a file is at fault; the bare message for the options or the set of files.
        let m = if e.file.is_empty() { e.message } else { e.to_message() };
        err(m.text(opts.lang))
    })?;
    to_js(&slides)
}
