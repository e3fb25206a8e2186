//! Map projections: Web Mercator for display, a metric projection (UTM / Lambert azimuthal
//! equal-area) for analysis — one module used by the maps (display) and by measurements of
//! areas and lengths (analysis).
//!
//! * [`Projection::WebMercator`]: spherical Mercator on the WGS84 semi-major axis (EPSG:3857).
//!   Conformal but not equal-area: for display only.
//! * [`Projection::Utm`]: Universal Transverse Mercator on WGS84 ([`crate::spatial::Utm`],
//!   Snyder 1987 §8).
//! * [`Projection::Laea`]: Lambert azimuthal equal-area with a stated centre, on an ellipsoid
//!   or a sphere (Snyder 1987, *Map Projections — A Working Manual*, USGS Professional Paper
//!   1395, §24, eqs. 24-2, 24-3, 24-4, 24-13 … 24-22, 3-11 … 3-16). Areas are true everywhere.
//!
//! ```
//! use borderless::{model::LatLon, spatial::projection::{Projection, Project, Laea}};
//! let p = LatLon { lat: 43.0, lon: 131.0 };
//! let laea = Projection::Laea(Laea::wgs84(43.0, 131.0).unwrap());
//! let (x_m, y_m) = laea.forward(p);
//! assert!(x_m.abs() < 1e-6 && y_m.abs() < 1e-6); // the centre maps to the origin
//! let back = laea.inverse(1000.0, 2000.0).unwrap();
//! let (x2, y2) = laea.forward(back);
//! assert!((x2 - 1000.0).abs() < 1e-6 && (y2 - 2000.0).abs() < 1e-6);
//! ```

use super::utm::Utm;
use crate::model::message::Message;
use crate::model::LatLon;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// Errors of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    #[error("projection centre {lat_deg}°, {lon_deg}° is not a valid latitude/longitude")]
    BadCentre { lat_deg: f64, lon_deg: f64 },
    #[error("ellipsoid with semi-major axis {a_m} m and e² = {e2} is not valid")]
    BadEllipsoid { a_m: f64, e2: f64 },
    #[error("x = {x_m} m, y = {y_m} m is outside the {projection} projection")]
    OutOfRange { x_m: f64, y_m: f64, projection: &'static str },
}

impl ProjectionError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            ProjectionError::BadCentre { lat_deg, lon_deg } => Message::new("general.projection.centre")
                .with("lat", lat_deg.to_string())
                .with("lon", lon_deg.to_string()),
            ProjectionError::BadEllipsoid { a_m, e2 } => {
                Message::new("general.projection.ellipsoid").with("a", a_m.to_string()).with("e2", e2.to_string())
            }
            ProjectionError::OutOfRange { x_m, y_m, projection } => Message::new("general.projection.range")
                .with("x", x_m.to_string())
                .with("y", y_m.to_string())
                .with("projection", *projection),
        }
    }
}

/// WGS84 semi-major axis (m); also the sphere radius of Web Mercator (EPSG:3857).
pub const WGS84_A_M: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// Largest latitude Web Mercator shows (the map is square at ±85.0511°).
pub const WEB_MERCATOR_MAX_LAT_DEG: f64 = 85.051_128_779_806_59;

/// An ellipsoid of revolution (semi-major axis and squared eccentricity); `e2 = 0` is a sphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipsoid {
    pub a_m: f64,
    pub e2: f64,
}

impl Ellipsoid {
    /// WGS84.
    pub const WGS84: Ellipsoid = Ellipsoid { a_m: WGS84_A_M, e2: WGS84_F * (2.0 - WGS84_F) };
    /// Clarke 1866 (Snyder's examples): a = 6 378 206.4 m, e² = 0.00676866.
    pub const CLARKE_1866: Ellipsoid = Ellipsoid { a_m: 6_378_206.4, e2: 0.006_768_66 };

    /// A sphere of radius `r_m`.
    pub fn sphere(r_m: f64) -> Result<Ellipsoid, ProjectionError> {
        Ellipsoid::new(r_m, 0.0)
    }

    /// Checks a > 0 and 0 ≤ e² < 1.
    pub fn new(a_m: f64, e2: f64) -> Result<Ellipsoid, ProjectionError> {
        if !(a_m.is_finite() && a_m > 0.0 && (0.0..1.0).contains(&e2)) {
            return Err(ProjectionError::BadEllipsoid { a_m, e2 });
        }
        Ok(Ellipsoid { a_m, e2 })
    }

    /// Snyder eq. 3-12: q(φ) = (1−e²)[sinφ/(1−e²sin²φ) − 1/(2e)·ln((1−e sinφ)/(1+e sinφ))];
    /// on a sphere q = 2 sinφ.
    fn q(&self, phi: f64) -> f64 {
        let s = phi.sin();
        if self.e2 == 0.0 {
            return 2.0 * s;
        }
        let e = self.e2.sqrt();
        (1.0 - self.e2) * (s / (1.0 - self.e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
    }
}

/// Lambert azimuthal equal-area, oblique aspect, centred at (`lat0_deg`, `lon0_deg`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Laea {
    lat0_deg: f64,
    lon0_deg: f64,
    ellipsoid: Ellipsoid,
    // Derived constants (Snyder eqs. 3-12, 3-11, 24-2 … 24-4 / 24-20).
    qp: f64,
    rq: f64,
    beta1: f64,
    d: f64,
}

impl Laea {
    /// LAEA on `ellipsoid` centred at (`lat0_deg`, `lon0_deg`); checks the centre.
    pub fn new(lat0_deg: f64, lon0_deg: f64, ellipsoid: Ellipsoid) -> Result<Laea, ProjectionError> {
        if !(lat0_deg.is_finite() && lon0_deg.is_finite() && lat0_deg.abs() < 90.0 && lon0_deg.abs() <= 180.0) {
            return Err(ProjectionError::BadCentre { lat_deg: lat0_deg, lon_deg: lon0_deg });
        }
        let phi1 = lat0_deg.to_radians();
        let qp = ellipsoid.q(FRAC_PI_2);
        let rq = ellipsoid.a_m * (qp / 2.0).sqrt();
        let beta1 = (ellipsoid.q(phi1) / qp).clamp(-1.0, 1.0).asin();
        let m1 = phi1.cos() / (1.0 - ellipsoid.e2 * phi1.sin().powi(2)).sqrt();
        let d = ellipsoid.a_m * m1 / (rq * beta1.cos());
        Ok(Laea { lat0_deg, lon0_deg, ellipsoid, qp, rq, beta1, d })
    }

    /// LAEA on WGS84 with the given centre.
    pub fn wgs84(lat0_deg: f64, lon0_deg: f64) -> Result<Laea, ProjectionError> {
        Laea::new(lat0_deg, lon0_deg, Ellipsoid::WGS84)
    }

    /// LAEA centred on the mean latitude/longitude of `positions` (`None` when empty).
    pub fn for_centroid(positions: &[LatLon]) -> Option<Laea> {
        let n = positions.len() as f64;
        if positions.is_empty() {
            return None;
        }
        let lat = positions.iter().map(|p| p.lat).sum::<f64>() / n;
        let lon = positions.iter().map(|p| p.lon).sum::<f64>() / n;
        Laea::wgs84(lat, lon).ok()
    }

    pub fn centre(&self) -> LatLon {
        LatLon { lat: self.lat0_deg, lon: self.lon0_deg }
    }

    /// Forward (Snyder eqs. 24-19, 24-18, 24-17; β from 3-11).
    fn forward(&self, p: LatLon) -> (f64, f64) {
        let beta = (self.ellipsoid.q(p.lat.to_radians()) / self.qp).clamp(-1.0, 1.0).asin();
        let dl = (p.lon - self.lon0_deg).to_radians();
        let (sb, cb) = beta.sin_cos();
        let (sb1, cb1) = self.beta1.sin_cos();
        let denom = 1.0 + sb1 * sb + cb1 * cb * dl.cos();
        // The antipode of the centre has no image; map it to the rim.
        let b = self.rq * (2.0 / denom.max(1e-300)).sqrt();
        let x = b * self.d * cb * dl.sin();
        let y = (b / self.d) * (cb1 * sb - sb1 * cb * dl.cos());
        (x, y)
    }

    /// Inverse (Snyder eqs. 24-28, 24-29, 24-30, 14-9 / 24-26; φ from β by iterating 3-16).
    fn inverse(&self, x_m: f64, y_m: f64) -> Result<LatLon, ProjectionError> {
        let rho = ((x_m / self.d).powi(2) + (self.d * y_m).powi(2)).sqrt();
        if rho > 2.0 * self.rq * (1.0 + 1e-12) || !rho.is_finite() {
            return Err(ProjectionError::OutOfRange { x_m, y_m, projection: "Lambert azimuthal equal-area" });
        }
        if rho == 0.0 {
            return Ok(self.centre());
        }
        let ce = 2.0 * (rho / (2.0 * self.rq)).min(1.0).asin();
        let (sce, cce) = ce.sin_cos();
        let (sb1, cb1) = self.beta1.sin_cos();
        let sin_beta = (cce * sb1 + self.d * y_m * sce * cb1 / rho).clamp(-1.0, 1.0);
        let q = self.qp * sin_beta;
        let lon = self.lon0_deg
            + (x_m * sce).atan2(self.d * rho * cb1 * cce - self.d * self.d * y_m * sb1 * sce).to_degrees();
        let lat = self.lat_from_q(q);
        let lon = (lon + 540.0).rem_euclid(360.0) - 180.0;
        Ok(LatLon { lat: lat.to_degrees(), lon })
    }

    /// φ from q by Snyder's iteration, eq. 3-16 (exact to 1e-14 rad in a few steps).
    fn lat_from_q(&self, q: f64) -> f64 {
        let e2 = self.ellipsoid.e2;
        if e2 == 0.0 {
            return (q / 2.0).clamp(-1.0, 1.0).asin();
        }
        if (q.abs() - self.qp).abs() < 1e-15 {
            return FRAC_PI_2.copysign(q);
        }
        let e = e2.sqrt();
        let mut phi = (q / 2.0).clamp(-1.0, 1.0).asin();
        for _ in 0..30 {
            let (s, c) = phi.sin_cos();
            let one = 1.0 - e2 * s * s;
            let dphi = one * one / (2.0 * c)
                * (q / (1.0 - e2) - s / one + (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln());
            phi += dphi;
            if dphi.abs() < 1e-15 {
                break;
            }
        }
        phi
    }
}

/// Forward and inverse projection between WGS84 latitude/longitude and plane metres.
pub trait Project {
    /// (x, y) in metres.
    fn forward(&self, p: LatLon) -> (f64, f64);
    /// Latitude/longitude of (x, y) metres.
    fn inverse(&self, x_m: f64, y_m: f64) -> Result<LatLon, ProjectionError>;
}

/// The projections of the toolkit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Projection {
    /// EPSG:3857, display only.
    WebMercator,
    /// A UTM zone on WGS84 (metric, conformal).
    Utm(Utm),
    /// Lambert azimuthal equal-area (metric, equal-area).
    Laea(Laea),
}

impl Project for Projection {
    fn forward(&self, p: LatLon) -> (f64, f64) {
        match self {
            Projection::WebMercator => web_mercator_forward(p),
            Projection::Utm(z) => z.from_latlon(p),
            Projection::Laea(l) => l.forward(p),
        }
    }

    fn inverse(&self, x_m: f64, y_m: f64) -> Result<LatLon, ProjectionError> {
        match self {
            Projection::WebMercator => Ok(web_mercator_inverse(x_m, y_m)),
            Projection::Utm(z) => {
                z.to_latlon(x_m, y_m).map_err(|_| ProjectionError::OutOfRange { x_m, y_m, projection: "UTM" })
            }
            Projection::Laea(l) => l.inverse(x_m, y_m),
        }
    }
}

impl Projection {
    /// The metric projection for analysis of data around `positions`: the UTM zone of their
    /// centroid (as [`Utm::for_centroid`]); `None` when there are none.
    pub fn metric_for(positions: &[LatLon]) -> Option<Projection> {
        Utm::for_centroid(positions).map(Projection::Utm)
    }
}

/// Spherical Web Mercator (EPSG:3857) metres; latitude clamped to ±85.0511°.
///
/// ```
/// use borderless::{model::LatLon, spatial::projection::web_mercator_forward};
/// let (x, y) = web_mercator_forward(LatLon { lat: 85.051_128_779_806_59, lon: 180.0 });
/// assert!((x - 20_037_508.342_789_244).abs() < 1e-6 && (y - 20_037_508.342_789_244).abs() < 1e-4);
/// ```
pub fn web_mercator_forward(p: LatLon) -> (f64, f64) {
    let lat = p.lat.clamp(-WEB_MERCATOR_MAX_LAT_DEG, WEB_MERCATOR_MAX_LAT_DEG).to_radians();
    (WGS84_A_M * p.lon.to_radians(), WGS84_A_M * (FRAC_PI_4 + lat / 2.0).tan().ln())
}

/// Inverse of [`web_mercator_forward`].
pub fn web_mercator_inverse(x_m: f64, y_m: f64) -> LatLon {
    LatLon { lat: (2.0 * (y_m / WGS84_A_M).exp().atan() - FRAC_PI_2).to_degrees(), lon: (x_m / WGS84_A_M).to_degrees() }
}

/// Ground metres per Web Mercator metre at latitude `lat_deg` (the Mercator scale factor is
/// 1/cos φ on the sphere).
pub fn web_mercator_ground_factor(lat_deg: f64) -> f64 {
    lat_deg.to_radians().cos()
}
