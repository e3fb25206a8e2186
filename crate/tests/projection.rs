//! The projection module against published values: EPSG:3857 bounds, Snyder's worked LAEA
//! example, UTM through `spatial::Utm`, and the equal-area property of LAEA.

use borderless::model::LatLon;
use borderless::spatial::projection::{web_mercator_forward, Ellipsoid, Laea, Project, Projection};
use borderless::spatial::Utm;

#[test]
fn web_mercator_known_points() {
    // EPSG:3857's published bounds: ±20037508.342789244 m at 180° and ±85.05112878°.
    let (x, y) = web_mercator_forward(LatLon { lat: -85.051_128_779_806_59, lon: -180.0 });
    assert!((x + 20_037_508.342_789_244).abs() < 1e-6, "{x}");
    assert!((y + 20_037_508.342_789_244).abs() < 1e-4, "{y}");
    // The origin, and 45°N (y = R·ln tan(67.5°) = 5621521.486192066 m, from the definition).
    let (x0, y0) = web_mercator_forward(LatLon { lat: 0.0, lon: 0.0 });
    assert!(x0.abs() < 1e-9 && y0.abs() < 1e-6, "{x0} {y0}");
    let (_, y45) = Projection::WebMercator.forward(LatLon { lat: 45.0, lon: 10.0 });
    assert!((y45 - 5_621_521.486_192_066).abs() < 1e-6, "{y45}");
    let back = Projection::WebMercator.inverse(1_458_268.6, y45).unwrap();
    assert!((back.lat - 45.0).abs() < 1e-12);
}

#[test]
fn laea_snyder_worked_example_ellipsoid() {
    // Snyder (1987), Map Projections — A Working Manual, p. 187 (numerical example for the
    // ellipsoidal oblique LAEA): Clarke 1866, φ1 = 40°N, λ0 = 100°W; φ = 30°N, λ = 110°W
    // → x = −965,932.1 m, y = −1,056,814.9 m.
    let l = Laea::new(40.0, -100.0, Ellipsoid::CLARKE_1866).unwrap();
    let p = Projection::Laea(l);
    let (x, y) = p.forward(LatLon { lat: 30.0, lon: -110.0 });
    assert!((x + 965_932.1).abs() < 0.1, "{x}");
    assert!((y + 1_056_814.9).abs() < 0.1, "{y}");
    let back = p.inverse(x, y).unwrap();
    assert!((back.lat - 30.0).abs() < 1e-10 && (back.lon + 110.0).abs() < 1e-10, "{back:?}");
}

#[test]
fn laea_sphere_distance_from_centre_is_chord() {
    // On the sphere, LAEA maps a point at great-circle angle c from the centre to radius
    // ρ = 2R sin(c/2) (Snyder eq. 24-1 with 22-x geometry): check 10°, 60° and 120° due east/north.
    let r = 6_371_000.0;
    let l = Projection::Laea(Laea::new(0.0, 0.0, Ellipsoid::sphere(r).unwrap()).unwrap());
    for c_deg in [10.0f64, 60.0, 120.0] {
        let (x, y) = l.forward(LatLon { lat: 0.0, lon: c_deg });
        assert!((x - 2.0 * r * (c_deg.to_radians() / 2.0).sin()).abs() < 1e-6 && y.abs() < 1e-6);
        let (x, y) = l.forward(LatLon { lat: c_deg.min(89.0), lon: 0.0 });
        let c = c_deg.min(89.0).to_radians();
        assert!(x.abs() < 1e-6 && (y - 2.0 * r * (c / 2.0).sin()).abs() < 1e-6);
    }
}

/// Shoelace area of a ring in the plane.
fn ring_area(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n).map(|i| pts[i].0 * pts[(i + 1) % n].1 - pts[(i + 1) % n].0 * pts[i].1).sum::<f64>().abs() / 2.0
}

#[test]
fn laea_is_equal_area() {
    // A 1°×1° cell at 43–44°N, 130–131°E. Sphere: area = R²·Δλ·(sin φ2 − sin φ1) exactly.
    // Ellipsoid: authalic area = (a²(1−e²)/2)·Δλ·(q(φ2) − q(φ1))/(1−e²)… i.e. (a²/2)·Δλ·Δq
    // (Snyder eq. 3-12 with the zone-area relation). The projected ring (dense edges) must match.
    let dense = |lat0: f64, lat1: f64, lon0: f64, lon1: f64| {
        let n = 400;
        let mut v = Vec::new();
        for i in 0..n {
            v.push(LatLon { lat: lat0, lon: lon0 + (lon1 - lon0) * i as f64 / n as f64 });
        }
        for i in 0..n {
            v.push(LatLon { lat: lat0 + (lat1 - lat0) * i as f64 / n as f64, lon: lon1 });
        }
        for i in 0..n {
            v.push(LatLon { lat: lat1, lon: lon1 - (lon1 - lon0) * i as f64 / n as f64 });
        }
        for i in 0..n {
            v.push(LatLon { lat: lat1 - (lat1 - lat0) * i as f64 / n as f64, lon: lon0 });
        }
        v
    };
    let cell = dense(43.0, 44.0, 130.0, 131.0);
    let r = 6_371_000.0;
    let sphere = Projection::Laea(Laea::new(40.0, 125.0, Ellipsoid::sphere(r).unwrap()).unwrap());
    let a = ring_area(&cell.iter().map(|p| sphere.forward(*p)).collect::<Vec<_>>());
    let exact = r * r * 1f64.to_radians() * (44f64.to_radians().sin() - 43f64.to_radians().sin());
    assert!((a / exact - 1.0).abs() < 1e-5, "{a} vs {exact}");

    let e = Ellipsoid::WGS84;
    let ell = Projection::Laea(Laea::wgs84(40.0, 125.0).unwrap());
    let a = ring_area(&cell.iter().map(|p| ell.forward(*p)).collect::<Vec<_>>());
    let q = |phi_deg: f64| {
        let s = phi_deg.to_radians().sin();
        let ecc = e.e2.sqrt();
        (1.0 - e.e2) * (s / (1.0 - e.e2 * s * s) - (1.0 / (2.0 * ecc)) * ((1.0 - ecc * s) / (1.0 + ecc * s)).ln())
    };
    let exact = e.a_m * e.a_m / 2.0 * 1f64.to_radians() * (q(44.0) - q(43.0));
    assert!((a / exact - 1.0).abs() < 1e-5, "{a} vs {exact}");
}

#[test]
fn laea_round_trips_over_north_east_asia() {
    let l = Projection::Laea(Laea::for_centroid(&[LatLon { lat: 43.0, lon: 131.0 }]).unwrap());
    for lat in [35.0, 40.0, 43.0, 50.0, 60.0] {
        for lon in [100.0, 120.0, 131.0, 140.0, 160.0] {
            let (x, y) = l.forward(LatLon { lat, lon });
            let b = l.inverse(x, y).unwrap();
            assert!((b.lat - lat).abs() < 1e-9 && (b.lon - lon).abs() < 1e-9, "{lat},{lon} -> {b:?}");
        }
    }
    assert!(l.inverse(2.0e8, 0.0).is_err());
    assert!(Laea::wgs84(95.0, 0.0).is_err());
}

#[test]
fn utm_through_the_projection_enum() {
    // PROJ 9 (pyproj 3.7, EPSG:4326 → EPSG:32652): 43°N 131°E → 663019.0701, 4762755.6417
    // (the same reference as spatial::Utm's own test).
    let p = Projection::metric_for(&[LatLon { lat: 43.0, lon: 131.0 }]).unwrap();
    assert_eq!(p, Projection::Utm(Utm { zone: 52, north: true }));
    let (e, n) = p.forward(LatLon { lat: 43.0, lon: 131.0 });
    assert!((e - 663_019.070_1).abs() < 0.01 && (n - 4_762_755.641_7).abs() < 0.01);
    let b = p.inverse(e, n).unwrap();
    assert!((b.lat - 43.0).abs() < 1e-8);
}
