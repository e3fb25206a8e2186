//! Universal Transverse Mercator zones on WGS84 (Snyder 1987, pp. 60–64): the projected
//! coordinates camtrapR tables and SECR analyses use.

use crate::model::message::Message;
use crate::model::LatLon;

/// A Universal Transverse Mercator zone on WGS84.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Utm {
    pub zone: u8,
    pub north: bool,
}

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;
const K0: f64 = 0.9996;

impl Utm {
    /// Parses `utm:50N`, `UTM 50S`, `EPSG:32650` (north) or `EPSG:32750` (south).
    ///
    /// ```
    /// use borderless::spatial::Utm;
    /// assert_eq!(Utm::parse("EPSG:32652").unwrap(), Utm { zone: 52, north: true });
    /// assert_eq!(Utm::parse("utm:50S").unwrap(), Utm { zone: 50, north: false });
    /// ```
    pub fn parse(s: &str) -> Result<Utm, String> {
        Self::read(s).map_err(|m| m.to_string())
    }

    /// As [`Utm::parse`], the reason as a message to show in any language.
    pub fn read(s: &str) -> Result<Utm, Message> {
        let t = s.trim().to_ascii_uppercase();
        let err = || Message::new("general.crs.unknown").with("crs", s);
        if let Some(code) = t.strip_prefix("EPSG:") {
            let n: u32 = code.parse().map_err(|_| err())?;
            let (zone, north) = match n {
                32601..=32660 => (n - 32600, true),
                32701..=32760 => (n - 32700, false),
                _ => return Err(err()),
            };
            return Ok(Utm { zone: zone as u8, north });
        }
        let rest = t.strip_prefix("UTM").ok_or_else(err)?.trim_start_matches([':', ' ']);
        let (num, hemi) = rest.split_at(rest.len().saturating_sub(1));
        let zone: u8 = num.trim().parse().map_err(|_| err())?;
        if !(1..=60).contains(&zone) {
            return Err(err());
        }
        match hemi {
            "N" => Ok(Utm { zone, north: true }),
            "S" => Ok(Utm { zone, north: false }),
            _ => Err(err()),
        }
    }

    /// The zone that contains a position (no Norway/Svalbard exceptions).
    pub fn for_position(p: LatLon) -> Utm {
        let zone = (((p.lon + 180.0) / 6.0).floor() as i32).clamp(0, 59) as u8 + 1;
        Utm { zone, north: p.lat >= 0.0 }
    }

    /// The zone that contains the centroid (mean latitude and longitude) of `positions`;
    /// `None` when there are none. Used to choose the metric projection from the data.
    ///
    /// ```
    /// use borderless::{model::LatLon, spatial::Utm};
    /// let pts = [LatLon { lat: 42.9, lon: 130.7 }, LatLon { lat: 43.3, lon: 131.3 }];
    /// assert_eq!(Utm::for_centroid(&pts), Some(Utm { zone: 52, north: true }));
    /// ```
    pub fn for_centroid(positions: &[LatLon]) -> Option<Utm> {
        let n = positions.len() as f64;
        (!positions.is_empty()).then(|| {
            Utm::for_position(LatLon {
                lat: positions.iter().map(|p| p.lat).sum::<f64>() / n,
                lon: positions.iter().map(|p| p.lon).sum::<f64>() / n,
            })
        })
    }

    fn central_meridian_rad(&self) -> f64 {
        ((self.zone as f64 - 1.0) * 6.0 - 180.0 + 3.0).to_radians()
    }

    /// Easting/northing (m) to WGS84 (Snyder 1987, *Map Projections — A Working Manual*,
    /// USGS PP 1395, eqs. 8-12 to 8-25; sub-millimetre within a zone).
    pub fn to_latlon(&self, easting: f64, northing: f64) -> Result<LatLon, String> {
        self.position(easting, northing).map_err(|m| m.to_string())
    }

    /// As [`Utm::to_latlon`], the reason as a message to show in any language.
    pub fn position(&self, easting: f64, northing: f64) -> Result<LatLon, Message> {
        if !(100_000.0..=900_000.0).contains(&easting) || !(0.0..=10_000_000.0).contains(&northing) {
            return Err(Message::new("general.crs.not_utm")
                .with("easting", easting.to_string())
                .with("northing", northing.to_string()));
        }
        let e2 = F * (2.0 - F);
        let ep2 = e2 / (1.0 - e2);
        let x = easting - 500_000.0;
        let y = if self.north { northing } else { northing - 10_000_000.0 };
        let m = y / K0;
        let mu = m / (A * (1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2.powi(3) / 256.0));
        let e1 = (1.0 - (1.0 - e2).sqrt()) / (1.0 + (1.0 - e2).sqrt());
        let phi1 = mu
            + (3.0 * e1 / 2.0 - 27.0 * e1.powi(3) / 32.0) * (2.0 * mu).sin()
            + (21.0 * e1 * e1 / 16.0 - 55.0 * e1.powi(4) / 32.0) * (4.0 * mu).sin()
            + (151.0 * e1.powi(3) / 96.0) * (6.0 * mu).sin()
            + (1097.0 * e1.powi(4) / 512.0) * (8.0 * mu).sin();
        let (s1, c1) = phi1.sin_cos();
        let t1 = (s1 / c1).powi(2);
        let c1e = ep2 * c1 * c1;
        let n1 = A / (1.0 - e2 * s1 * s1).sqrt();
        let r1 = A * (1.0 - e2) / (1.0 - e2 * s1 * s1).powf(1.5);
        let d = x / (n1 * K0);
        let lat = phi1
            - (n1 * s1 / c1 / r1)
                * (d * d / 2.0 - (5.0 + 3.0 * t1 + 10.0 * c1e - 4.0 * c1e * c1e - 9.0 * ep2) * d.powi(4) / 24.0
                    + (61.0 + 90.0 * t1 + 298.0 * c1e + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1e * c1e) * d.powi(6)
                        / 720.0);
        let lon = self.central_meridian_rad()
            + (d - (1.0 + 2.0 * t1 + c1e) * d.powi(3) / 6.0
                + (5.0 - 2.0 * c1e + 28.0 * t1 - 3.0 * c1e * c1e + 8.0 * ep2 + 24.0 * t1 * t1) * d.powi(5) / 120.0)
                / c1;
        LatLon::checked(lat.to_degrees(), lon.to_degrees())
    }

    /// WGS84 to easting/northing (m) (Snyder 1987, eqs. 8-9 to 8-10).
    pub fn from_latlon(&self, p: LatLon) -> (f64, f64) {
        let e2 = F * (2.0 - F);
        let ep2 = e2 / (1.0 - e2);
        let phi = p.lat.to_radians();
        let (s, c) = phi.sin_cos();
        let n = A / (1.0 - e2 * s * s).sqrt();
        let t = (s / c).powi(2);
        let cc = ep2 * c * c;
        let a = (p.lon.to_radians() - self.central_meridian_rad()) * c;
        let m = A
            * ((1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2.powi(3) / 256.0) * phi
                - (3.0 * e2 / 8.0 + 3.0 * e2 * e2 / 32.0 + 45.0 * e2.powi(3) / 1024.0) * (2.0 * phi).sin()
                + (15.0 * e2 * e2 / 256.0 + 45.0 * e2.powi(3) / 1024.0) * (4.0 * phi).sin()
                - (35.0 * e2.powi(3) / 3072.0) * (6.0 * phi).sin());
        let x = K0
            * n
            * (a + (1.0 - t + cc) * a.powi(3) / 6.0
                + (5.0 - 18.0 * t + t * t + 72.0 * cc - 58.0 * ep2) * a.powi(5) / 120.0);
        let y = K0
            * (m + n
                * phi.tan()
                * (a * a / 2.0
                    + (5.0 - t + 9.0 * cc + 4.0 * cc * cc) * a.powi(4) / 24.0
                    + (61.0 - 58.0 * t + t * t + 600.0 * cc - 330.0 * ep2) * a.powi(6) / 720.0));
        (x + 500_000.0, if self.north { y } else { y + 10_000_000.0 })
    }
}

impl crate::model::ProjectedCrs for Utm {
    fn to_latlon(&self, x_m: f64, y_m: f64) -> Result<LatLon, Message> {
        self.position(x_m, y_m)
    }
}

impl std::fmt::Display for Utm {
    /// `UTM 52N (WGS84)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UTM {}{} (WGS84)", self.zone, if self.north { "N" } else { "S" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_round_trip_and_known_point() {
        // Known value: 43°N 131°E lies in zone 52N; PROJ 9 through pyproj 3.7
        // (Transformer EPSG:4326 -> EPSG:32652) gives 663019.0701, 4762755.6417.
        let z = Utm::for_position(LatLon { lat: 43.0, lon: 131.0 });
        assert_eq!(z, Utm { zone: 52, north: true });
        let (e, n) = z.from_latlon(LatLon { lat: 43.0, lon: 131.0 });
        assert!((e - 663_019.070_1).abs() < 0.01, "{e}");
        assert!((n - 4_762_755.641_7).abs() < 0.01, "{n}");
        let back = z.to_latlon(e, n).unwrap();
        assert!((back.lat - 43.0).abs() < 1e-8 && (back.lon - 131.0).abs() < 1e-8);
        // camtrapR's example station A (526000 E, 604000 N) read as zone 50N; pyproj gives
        // 117.23471433 E, 5.46436552 N.
        let a = Utm::parse("utm:50N").unwrap().to_latlon(526_000.0, 604_000.0).unwrap();
        assert!((a.lon - 117.234_714_33).abs() < 1e-7 && (a.lat - 5.464_365_52).abs() < 1e-7, "{a:?}");
    }
}
