//! International borders as WGS84 polylines: geodesic distance to them, and the boundary two
//! country polygons share.
//!
//! Distances are on the WGS84 ellipsoid (Karney 2013, through `geo`'s `Geodesic`); the unit is
//! in every function name.

use super::SpatialError;
use crate::io::border::{read_border_geometry, BorderGeometry};
use crate::io::{FileReport, InputFile, IoError};
use crate::model::message::Message;
use crate::model::LatLon;
use geo::{Coord, Distance, Geodesic, Haversine, InterpolatePoint, LineString, MultiLineString, MultiPolygon, Point};
use std::collections::HashSet;

/// An international border as WGS84 polylines (x = longitude, y = latitude).
#[derive(Debug, Clone, PartialEq)]
pub struct Border {
    lines: MultiLineString<f64>,
}

impl Border {
    /// Checks that there is at least one line with two points and that all coordinates are
    /// valid degrees.
    ///
    /// ```
    /// use borderless::spatial::Border;
    /// use geo::{line_string, MultiLineString};
    /// let b = Border::new(MultiLineString(vec![line_string![(x: 130.0, y: 42.0), (x: 130.0, y: 44.0)]])).unwrap();
    /// let d = b.geodesic_distance_km(borderless::model::LatLon { lat: 43.0, lon: 131.0 });
    /// assert!((d - 81.5).abs() < 0.5); // one degree of longitude at 43°N ≈ 81.5 km
    /// ```
    pub fn new(lines: MultiLineString<f64>) -> Result<Self, SpatialError> {
        let lines = MultiLineString(lines.0.into_iter().filter(|l| l.0.len() >= 2).collect());
        if lines.0.is_empty() {
            return Err(SpatialError::EmptyBorder);
        }
        for c in lines.0.iter().flat_map(|l| l.0.iter()) {
            LatLon::checked(c.y, c.x).map_err(SpatialError::Crs)?;
        }
        Ok(Border { lines })
    }

    pub fn lines(&self) -> &MultiLineString<f64> {
        &self.lines
    }

    /// Shortest geodesic distance (km, WGS84 ellipsoid) from `p` to the border. Each segment is
    /// taken as the geodesic between its vertices; the closest point on it is found by golden
    /// section search to 1 mm. The nearest vertex is found first: by the triangle inequality no
    /// point of a segment is closer than max(da, db) − length, so only the segments that could
    /// come closer than that vertex are searched (the same result as searching all of them).
    pub fn geodesic_distance_km(&self, p: LatLon) -> f64 {
        let p = Point::new(p.lon, p.lat);
        let to_vertex: Vec<Vec<f64>> =
            self.lines.0.iter().map(|l| l.0.iter().map(|c| Geodesic.distance(p, Point::from(*c))).collect()).collect();
        let mut best = to_vertex.iter().flatten().fold(f64::INFINITY, |m, &d| m.min(d));
        for (line, d) in self.lines.0.iter().zip(&to_vertex) {
            for (k, seg) in line.lines().enumerate() {
                let (a, b) = (Point::from(seg.start), Point::from(seg.end));
                let far = d[k].max(d[k + 1]);
                // The spherical length + 1 % is more than the ellipsoidal one (they differ by
                // < 0.6 %): a cheap first test before the geodesic length.
                if far - 1.01 * Haversine.distance(a, b) >= best {
                    continue;
                }
                let len = Geodesic.distance(a, b);
                if far - len >= best || len == 0.0 {
                    continue;
                }
                best = best.min(closest_on_geodesic_m(p, a, b, len));
            }
        }
        best / 1000.0
    }
}

/// Golden-section search along the geodesic a→b for the point closest to p (metres).
fn closest_on_geodesic_m(p: Point<f64>, a: Point<f64>, b: Point<f64>, len_m: f64) -> f64 {
    let f = |t: f64| Geodesic.distance(p, Geodesic.point_at_ratio_between(a, b, t));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let (mut f1, mut f2) = (f(x1), f(x2));
    while (hi - lo) * len_m > 1e-3 {
        if f1 < f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = f(x2);
        }
    }
    f1.min(f2)
}

/// The boundary two polygons share: edges present in both (either direction, vertices equal
/// to within `tolerance_deg`), joined into polylines. Country polygons cut from one topology
/// (e.g. Natural Earth) share their border vertices exactly.
pub fn shared_boundary(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, tolerance_deg: f64) -> MultiLineString<f64> {
    let q = |c: &Coord<f64>| ((c.x / tolerance_deg).round() as i64, (c.y / tolerance_deg).round() as i64);
    let mut edges_b = HashSet::new();
    for poly in &b.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for seg in ring.lines() {
                let (s, e) = (q(&seg.start), q(&seg.end));
                edges_b.insert((s.min(e), s.max(e)));
            }
        }
    }
    let mut out: Vec<LineString<f64>> = Vec::new();
    for poly in &a.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let mut current: Vec<Coord<f64>> = Vec::new();
            let mut pieces: Vec<Vec<Coord<f64>>> = Vec::new();
            for seg in ring.lines() {
                let (s, e) = (q(&seg.start), q(&seg.end));
                if edges_b.contains(&(s.min(e), s.max(e))) {
                    if current.is_empty() {
                        current.push(seg.start);
                    }
                    current.push(seg.end);
                } else if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
            }
            if !current.is_empty() {
                // A ring's last shared run may continue into its first.
                if let Some(first) = pieces.first_mut() {
                    if first[0] == *current.last().unwrap() && ring.0.first() == Some(&first[0]) {
                        current.extend_from_slice(&first[1..]);
                        *first = current;
                    } else {
                        pieces.push(current);
                    }
                } else {
                    pieces.push(current);
                }
            }
            out.extend(pieces.into_iter().map(LineString::new));
        }
    }
    MultiLineString(out)
}

/// Reads a border file (GeoJSON lines, or country polygons whose shared boundary is the border).
///
/// ```
/// use borderless::io::{InputFile, FileReport};
/// use borderless::spatial::border::read_border;
/// let f = InputFile::new("b.geojson", r#"{"type":"LineString","coordinates":[[130.6,42.4],[131.0,43.5]]}"#);
/// let mut r = FileReport::new("b.geojson", "border");
/// let b = read_border(&f, &mut r).unwrap();
/// assert_eq!(b.lines().0.len(), 1);
/// ```
pub fn read_border(file: &InputFile, report: &mut FileReport) -> Result<Border, IoError> {
    let geometry = read_border_geometry(file, report)?;
    border_from_geometry(&file.name, geometry, report)
}

/// The border a [`BorderGeometry`] describes: its lines, or every boundary two of its country
/// polygons share (vertices equal to 1e-7°), each pair named in a note of `report`.
pub fn border_from_geometry(file: &str, geometry: BorderGeometry, report: &mut FileReport) -> Result<Border, IoError> {
    let lines = match geometry {
        BorderGeometry::Lines(lines) => lines.0,
        BorderGeometry::Countries(polygons) => {
            let mut lines = Vec::new();
            for i in 0..polygons.len() {
                for j in i + 1..polygons.len() {
                    let shared = shared_boundary(&polygons[i].1, &polygons[j].1, 1e-7);
                    if !shared.0.is_empty() {
                        report.note(
                            Message::new("general.border.shared")
                                .with("a", &polygons[i].0)
                                .with("b", &polygons[j].0)
                                .with("n", shared.0.len()),
                        );
                    }
                    lines.extend(shared.0);
                }
            }
            if lines.is_empty() {
                return Err(IoError::new(file, Message::new("general.border.no_shared")));
            }
            lines
        }
    };
    Border::new(MultiLineString(lines)).map_err(|e| IoError::new(file, e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon};

    #[test]
    fn distance_to_a_meridian_segment_is_the_parallel_distance_at_its_foot() {
        let b = Border::new(MultiLineString(vec![line_string![(x: 130.0, y: 42.0), (x: 130.0, y: 44.0)]])).unwrap();
        // The geodesic from (43N, 130.5E) meets the meridian 130E perpendicularly, slightly
        // north of 43N; its length equals Geodesic distance to that foot point.
        let d = b.geodesic_distance_km(LatLon { lat: 43.0, lon: 130.5 });
        let direct = Geodesic.distance(Point::new(130.5, 43.0), Point::new(130.0, 43.0)) / 1000.0;
        assert!(d <= direct && direct - d < 0.01, "{d} vs {direct}");
        // Beyond the segment's end, the distance is to the end vertex.
        let d2 = b.geodesic_distance_km(LatLon { lat: 45.0, lon: 130.0 });
        let v = Geodesic.distance(Point::new(130.0, 45.0), Point::new(130.0, 44.0)) / 1000.0;
        assert!((d2 - v).abs() < 1e-6);
    }

    #[test]
    fn shared_boundary_of_two_squares() {
        let a = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
        let b = MultiPolygon(vec![polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]]);
        let s = shared_boundary(&a, &b, 1e-9);
        assert_eq!(s.0.len(), 1);
        assert_eq!(s.0[0].0, vec![Coord { x: 1.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }]);
    }
}
