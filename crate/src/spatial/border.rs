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
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use std::collections::HashSet;
use std::sync::OnceLock;

/// An international border as WGS84 polylines (x = longitude, y = latitude), with a spatial
/// index of its segments (built on first use) so that a distance costs about log(n) segments.
#[derive(Clone)]
pub struct Border {
    lines: MultiLineString<f64>,
    index: OnceLock<RTree<SegmentBox>>,
}

impl PartialEq for Border {
    fn eq(&self, other: &Self) -> bool {
        self.lines == other.lines
    }
}

impl std::fmt::Debug for Border {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Border").field("lines", &self.lines.0.len()).finish_non_exhaustive()
    }
}

/// A box in WGS84 Earth-centred Cartesian coordinates (metres) holding one segment's geodesic:
/// (line, segment) index.
type SegmentBox = GeomWithData<Rectangle<[f64; 3]>, (u32, u32)>;

/// WGS84 semi-major axis and first eccentricity squared (NIMA TR8350.2).
const WGS84_A: f64 = 6_378_137.0;
const WGS84_E2: f64 = 6.694_379_990_14e-3;
/// The smallest radius of curvature of the WGS84 ellipsoid, a(1 − e²) (meridional, at the
/// equator): no geodesic bends more sharply than a circle of this radius.
const WGS84_MIN_RADIUS_M: f64 = WGS84_A * (1.0 - WGS84_E2);

/// Earth-centred, Earth-fixed coordinates (metres) of a point on the WGS84 ellipsoid.
fn ecef_m(c: Coord<f64>) -> [f64; 3] {
    let (lat, lon) = (c.y.to_radians(), c.x.to_radians());
    let n = WGS84_A / (1.0 - WGS84_E2 * lat.sin().powi(2)).sqrt();
    [n * lat.cos() * lon.cos(), n * lat.cos() * lon.sin(), n * (1.0 - WGS84_E2) * lat.sin()]
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
        Ok(Border { lines, index: OnceLock::new() })
    }

    pub fn lines(&self) -> &MultiLineString<f64> {
        &self.lines
    }

    /// Number of segments (vertex pairs) of all lines.
    pub fn segment_count(&self) -> usize {
        self.lines.0.iter().map(|l| l.0.len() - 1).sum()
    }

    /// The R-tree of segment boxes. Each segment's geodesic lies in the box of its two vertices'
    /// Earth-centred coordinates grown by κL²/8 (L its length bounded by 1.01 × the spherical
    /// length, κ = 1 / [`WGS84_MIN_RADIUS_M`]): a curve of curvature ≤ κ and length L strays
    /// at most that far from its chord.
    fn index(&self) -> &RTree<SegmentBox> {
        self.index.get_or_init(|| {
            let mut boxes = Vec::with_capacity(self.segment_count());
            for (i, line) in self.lines.0.iter().enumerate() {
                let mut prev = ecef_m(line.0[0]);
                for (k, seg) in line.lines().enumerate() {
                    let next = ecef_m(seg.end);
                    let len = 1.01 * Haversine.distance(Point::from(seg.start), Point::from(seg.end));
                    let grow = 2.0 * len * len / (8.0 * WGS84_MIN_RADIUS_M) + 1e-3;
                    let lo = std::array::from_fn(|j| prev[j].min(next[j]) - grow);
                    let hi = std::array::from_fn(|j| prev[j].max(next[j]) + grow);
                    boxes.push(GeomWithData::new(Rectangle::from_corners(lo, hi), (i as u32, k as u32)));
                    prev = next;
                }
            }
            RTree::bulk_load(boxes)
        })
    }

    /// Shortest geodesic distance (km, WGS84 ellipsoid) from `p` to the border. Each segment is
    /// taken as the geodesic between its vertices; the closest point on it is found by golden
    /// section search to 1 mm.
    ///
    /// Segments are visited nearest box first (an R-tree in Earth-centred coordinates). A straight
    /// line through space is never longer than a path on the surface, so a box's Euclidean distance
    /// is a lower bound on the geodesic distance to its segment: the search stops at the first box
    /// no closer than the best distance found. Within that, a segment is searched only when the
    /// triangle inequality (no point of it is closer than max(da, db) − length) lets it come closer.
    /// The result equals [`Border::geodesic_distance_km_scan`], which tries every segment.
    pub fn geodesic_distance_km(&self, p: LatLon) -> f64 {
        let q = Point::new(p.lon, p.lat);
        let mut best = f64::INFINITY;
        for (item, d2) in self.index().nearest_neighbor_iter_with_distance_2(&ecef_m(q.0)) {
            if d2.sqrt() >= best {
                break;
            }
            let (i, k) = item.data;
            let line = &self.lines.0[i as usize];
            let (a, b) = (Point::from(line.0[k as usize]), Point::from(line.0[k as usize + 1]));
            let (da, db) = (Geodesic.distance(q, a), Geodesic.distance(q, b));
            best = best.min(da).min(db);
            best = best.min(segment_distance_m(q, a, b, da.max(db), best));
        }
        best / 1000.0
    }

    /// [`Border::geodesic_distance_km`] by trying every segment (no index): the cost grows with
    /// the number of vertices. Kept to check the indexed search and to benchmark it against.
    #[doc(hidden)]
    pub fn geodesic_distance_km_scan(&self, p: LatLon) -> f64 {
        let p = Point::new(p.lon, p.lat);
        let to_vertex: Vec<Vec<f64>> =
            self.lines.0.iter().map(|l| l.0.iter().map(|c| Geodesic.distance(p, Point::from(*c))).collect()).collect();
        let mut best = to_vertex.iter().flatten().fold(f64::INFINITY, |m, &d| m.min(d));
        for (line, d) in self.lines.0.iter().zip(&to_vertex) {
            for (k, seg) in line.lines().enumerate() {
                let (a, b) = (Point::from(seg.start), Point::from(seg.end));
                best = best.min(segment_distance_m(p, a, b, d[k].max(d[k + 1]), best));
            }
        }
        best / 1000.0
    }
}

/// Distance (m) from p to the geodesic a→b when it can be below `best`, else infinity; `far` is
/// the larger of the distances from p to a and b.
fn segment_distance_m(p: Point<f64>, a: Point<f64>, b: Point<f64>, far: f64, best: f64) -> f64 {
    // The spherical length + 1 % is more than the ellipsoidal one (they differ by < 0.6 %): a
    // cheap first test before the geodesic length.
    if far - 1.01 * Haversine.distance(a, b) >= best {
        return f64::INFINITY;
    }
    let len = Geodesic.distance(a, b);
    if far - len >= best || len == 0.0 {
        return f64::INFINITY;
    }
    closest_on_geodesic_m(p, a, b, len)
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

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
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

    /// A wiggly border of `n` vertices from (130.5E, 42.3N) north-east, seeded.
    fn wiggly(n: usize, seed: u64) -> Border {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let (mut x, mut y) = (130.5, 42.3);
        let mut pts = Vec::with_capacity(n);
        for _ in 0..n {
            pts.push(Coord { x, y });
            x += rng.gen_range(-0.3..1.0) * 2.0 / n as f64;
            y += rng.gen_range(-0.3..1.0) * 2.0 / n as f64;
        }
        let half = n / 2;
        let second = pts.split_off(half);
        Border::new(MultiLineString(vec![LineString::new(pts), LineString::new(second)])).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// The indexed search gives exactly the distance of trying every segment, for points
        /// near, on, and far from borders of any vertex count (long and short segments).
        #[test]
        fn indexed_distance_equals_the_full_scan(
            n in 4usize..400, seed in 0u64..1000, lat in 38.0f64..48.0, lon in 126.0f64..136.0
        ) {
            let b = wiggly(n, seed);
            let p = LatLon { lat, lon };
            proptest::prop_assert_eq!(b.geodesic_distance_km(p), b.geodesic_distance_km_scan(p));
            let v = b.lines().0[0].0[n / 4];
            let on = LatLon { lat: v.y, lon: v.x };
            proptest::prop_assert_eq!(b.geodesic_distance_km(on), 0.0);
        }
    }

    #[test]
    fn a_border_of_a_million_vertices_answers_each_station_from_a_few_segments() {
        let b = wiggly(1_000_000, 7);
        assert_eq!(b.segment_count(), 999_998);
        for (lat, lon) in [(43.0, 131.0), (42.31, 130.51), (44.5, 133.0)] {
            let p = LatLon { lat, lon };
            let d = b.geodesic_distance_km(p);
            // The distance to the nearest vertex bounds it from above, and it is within
            // the length of the longest segment (< 10 m here) of it.
            let nearest_vertex = b
                .lines()
                .0
                .iter()
                .flat_map(|l| l.0.iter())
                .map(|c| Geodesic.distance(Point::new(lon, lat), Point::from(*c)))
                .fold(f64::INFINITY, f64::min)
                / 1000.0;
            assert!(d <= nearest_vertex && nearest_vertex - d < 0.01, "{d} vs {nearest_vertex}");
        }
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
