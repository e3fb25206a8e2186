//! Who is who across the border: joining national catalogs through links ([`join`]), the
//! crossings and distances of each joint individual ([`crossings`]), ranked cross-border
//! candidates ([`candidates`]), multilocus genotype matching ([`genotypes`]) and the expert's
//! decisions over all of them ([`review`]), summarised for display in [`summary`].
//!
//! Layer: may import `model`, `io` and `spatial` only.

pub mod candidates;
pub mod crossings;
pub mod genotype_links;
pub mod genotypes;
pub mod join;
pub mod review;
pub mod summary;
