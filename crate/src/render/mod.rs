//! Pure drawing: chart SVGs ([`charts`]) and maps ([`maps`]: a projected scene rasterised or
//! written as SVG) from results computed below. Nothing here reads files or runs an estimator.
//!
//! Layer: may import every layer below it (`model` … `privacy`), never `pipeline` or above.

pub mod charts;
pub mod maps;
