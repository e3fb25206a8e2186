//! Spatial work on exact coordinates: geodesic distance to a border and the boundary country
//! polygons share ([`border`]), UTM zones ([`utm`]), and the projections used for analysis
//! (UTM, Lambert azimuthal equal-area) and display (Web Mercator) ([`projection`]).
//!
//! Distances are on the WGS84 ellipsoid (Karney 2013, through `geo`'s `Geodesic`) unless a call
//! says otherwise; the unit is in every function name.
//!
//! Layer: may import `model` and `io` only.

pub mod border;
pub mod projection;
pub mod secr_traps;
pub mod utm;

pub use border::{shared_boundary, Border};
pub use projection::web_mercator_forward as web_mercator;
pub use utm::Utm;

/// Errors of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpatialError {
    #[error("the border has no line with two or more points")]
    EmptyBorder,
    #[error("{0}")]
    Crs(crate::model::message::Message),
}

impl SpatialError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> crate::model::message::Message {
        match self {
            SpatialError::EmptyBorder => crate::model::message::Message::new("general.border.empty"),
            SpatialError::Crs(m) => m.clone(),
        }
    }
}
