//! WASM API tests, run by wasm-bindgen-test-runner in Node.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod wasm_common;
use wasm_bindgen_test::*;

wasm_suite!();
