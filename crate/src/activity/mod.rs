//! When animals are active: diel activity overlap between species ([`overlap`], as R's
//! `overlap` package) and sun time (time of day relative to sunrise and sunset, [`sun`]).
//!
//! Layer: may import `model`, `io` and `spatial` only.

pub mod overlap;
pub mod sun;
