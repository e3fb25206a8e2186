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

//!
//! The exports are built as two modules from the same crate (features, see `crate/Cargo.toml`):
//! `main-exports` — what the page needs from the start (analysis, closed models, maps, charts,
//! identity review, outreach, the report) — and `estimate-exports`: SECR, survey design and the
//! waterbird workspace and slides, which the worker loads only on first use (`pkg/estimate/`). Native builds and
//! the wasm-bindgen tests take both.
// With one of the two features, some helpers below serve only the other module.
#![cfg_attr(not(all(feature = "main-exports", feature = "estimate-exports")), allow(dead_code, unused_imports))]

use crate::io::InputFile;
use crate::pipeline::inputs::{Inputs, Role};
use crate::pipeline::{Analysis, Progress};
use wasm_bindgen::prelude::*;

// One submodule per capability; each adds its exports and nothing else.
#[cfg(feature = "main-exports")]
mod analysis;
#[cfg(feature = "main-exports")]
mod charts;
#[cfg(feature = "estimate-exports")]
mod estimate;
#[cfg(feature = "main-exports")]
mod identity;
#[cfg(feature = "main-exports")]
mod maps;
#[cfg(feature = "main-exports")]
mod outreach;
#[cfg(feature = "estimate-exports")]
mod waterbirds;

// The exports stay reachable at `borderless::wasm::NAME`, as the wasm-bindgen tests call them.
#[cfg(feature = "main-exports")]
pub use analysis::*;
#[cfg(feature = "estimate-exports")]
pub use estimate::*;

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
