//! WASM API tests, run by wasm-bindgen-test-runner in a Chromium page.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod wasm_common;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

wasm_suite!();
