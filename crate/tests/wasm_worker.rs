//! WASM API tests, run by wasm-bindgen-test-runner in a dedicated Web Worker in Chromium (the charts render here too:
//! they measure text themselves, not through the DOM).
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod wasm_common;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_dedicated_worker);

wasm_suite!();
