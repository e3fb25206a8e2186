//! # Borderless
//!
//! Transboundary wildlife analytics: national camera-trap catalogs, genotype tables and bird
//! counts go in; one joint catalog of individuals, who crossed the border, abundance and
//! density with confidence intervals, maps, charts and public views come out — the same code
//! natively (the `borderless` CLI) and in the browser (WebAssembly in a Web Worker).
//!
//! The layers, bottom to top; each may import only the layers listed before it (a test,
//! `tests/layering.rs`, fails on any other import):
//!
//! 1. [`model`] — the data types (catalogs, joint catalog, capture histories, species,
//!    languages, messages), with checked constructors.
//! 2. [`io`] — every reader and writer of users' files; one report per file accounting for
//!    every row.
//! 3. [`spatial`] — projections, geodesic distances, borders.
//! 4. [`identity`] (who is who across the border), [`estimation`] (abundance and density),
//!    [`activity`] (diel activity), [`waterbirds`] (wetland counts, Ramsar and EAAFP criteria) —
//!    siblings that do not import each other.
//! 5. [`privacy`] — the only way from exact coordinates to anything public.
//! 6. [`render`] — charts and maps as pure drawing.
//! 7. [`pipeline`] — the only orchestrator: dropped files → joint catalog → estimates → products.
//! 8. [`outreach`] — public slides from what `privacy` generalised.
//!
//! The bindings sit on top: `wasm` (the browser) and the `borderless` binary.

pub mod activity;
pub mod estimation;
pub mod identity;
pub mod io;
pub mod model;
pub mod outreach;
pub mod pipeline;
pub mod privacy;
pub mod render;
pub mod spatial;
pub mod waterbirds;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use pipeline::{analyze_files, Analysis, AnalysisOptions};
