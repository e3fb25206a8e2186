//! # Borderless
//!
//! Transboundary wildlife analytics. National camera-trap catalogs go in; one joint catalog of
//! individuals, who crossed the border, how often and how far from it come out — the same code
//! natively (the `borderless` CLI) and in the browser (WebAssembly in a Web Worker).
//!
//! Data flow: [`io`] → [`model`] → [`matching`] → [`crossborder`]/[`spatial`] → [`charts`]/[`maps`].
//! [`analysis`] runs the whole pipeline over dropped files; [`demo`] makes the simulated survey.

pub mod analysis;
pub mod candidates;
pub mod charts;
pub mod crossborder;
pub mod demo;
pub mod estimation;
pub mod export;
pub mod genotypes;
pub mod io;
pub mod lang;
pub mod maps;
pub mod matching;
pub mod model;
pub mod outreach;
pub mod overlap;
pub mod privacy;
pub mod projection;
pub mod review;
pub mod spatial;
pub mod species;
pub mod waterbirds;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use analysis::{analyze_files, Analysis, AnalysisOptions};
