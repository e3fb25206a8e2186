//! Benchmark (`cargo bench --bench border_distance`): geodesic distance from stations to a
//! border of 1,000,000 vertices (a seeded random walk across the Tumen–Ussuri region, written
//! as GeoJSON and read as a user's file would be). Prints the read time, the index build time,
//! and side by side the median time per station of the indexed search and of the full scan
//! (every segment, the method before the index), then the total for 4 and 100 stations.
//! Override the size with BENCH_VERTICES, the repetitions with BENCH_RUNS.

use borderless::io::{FileReport, InputFile};
use borderless::model::LatLon;
use borderless::spatial::border::read_border;
use rand::{Rng, SeedableRng};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn border_geojson(n: usize, seed: u64) -> String {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let (mut x, mut y) = (130.6_f64, 42.4_f64);
    let mut s = String::with_capacity(n * 40);
    s.push_str(r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("[{x:.7},{y:.7}]"));
        x += rng.gen_range(-0.4..1.0) * 1.5 / n as f64;
        y += rng.gen_range(-0.4..1.0) * 2.5 / n as f64;
    }
    s.push_str("]}}");
    s
}

fn main() {
    let n: usize = std::env::var("BENCH_VERTICES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let text = border_geojson(n, 11);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    let stations: Vec<LatLon> =
        (0..100).map(|_| LatLon { lat: rng.gen_range(42.0..45.5), lon: rng.gen_range(129.5..133.5) }).collect();

    let mut read_ms = Vec::new();
    let mut build_ms = Vec::new();
    let mut indexed_100_ms = Vec::new();
    let mut border = None;
    for _ in 0..runs {
        let file = InputFile::new("border.geojson", text.clone().into_bytes());
        let mut report = FileReport::new("border.geojson", "border");
        let t = Instant::now();
        let b = read_border(&file, &mut report).expect("border");
        read_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let first = b.geodesic_distance_km(stations[0]);
        build_ms.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(first);
        let t = Instant::now();
        for s in &stations {
            std::hint::black_box(b.geodesic_distance_km(*s));
        }
        indexed_100_ms.push(t.elapsed().as_secs_f64() * 1e3);
        border = Some(b);
    }
    let b = border.expect("runs ≥ 1");
    let mut scan_ms = Vec::new();
    for s in stations.iter().take(4) {
        let t = Instant::now();
        let d = b.geodesic_distance_km_scan(*s);
        scan_ms.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(d, b.geodesic_distance_km(*s), "indexed and scanned distances differ");
    }
    let read = median(read_ms);
    let build = median(build_ms);
    let per_indexed = median(indexed_100_ms) / 100.0;
    let per_scan = median(scan_ms);
    println!("border of {n} vertices ({} segments), {runs} runs, medians:", b.segment_count());
    println!("  read GeoJSON: {read:.0} ms; index build + first station: {build:.0} ms");
    println!("  per station: indexed {per_indexed:.3} ms, full scan {per_scan:.0} ms (×{:.0})", per_scan / per_indexed);
    for k in [4usize, 100] {
        println!(
            "  {k:>3} stations incl. read and index: indexed {:.2} s, full scan {:.1} s",
            (read + build + per_indexed * k as f64) / 1e3,
            (read + per_scan * k as f64) / 1e3
        );
    }
}
