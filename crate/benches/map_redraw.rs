//! Benchmark (`cargo bench --bench map_redraw`): redraw of the interactive map with 50,000
//! detections (the demo survey's detections repeated to 50,000, so they pile up at its 120
//! stations as on a dense survey) into a 900×640 RGBA buffer, at zoom ×1 (whole survey), ×4
//! and ×16 around the centre, with the 10m Natural Earth basemap, border, movements and MCPs.
//! Prints the median per zoom; the target is one frame (16 ms). The Chromium/WASM twin is
//! tests/bench/map-wasm.mjs.

use borderless::io::InputFile;
use borderless::model::lang::Lang;
use borderless::pipeline::{analyze_files, AnalysisOptions};
use borderless::render::maps::raster::{Raster, Rgba};
use borderless::render::maps::scene::MapScene;
use std::time::Instant;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(50_000);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(41);
    let files = ["cn.zip", "ru.zip", "links.csv", "border.geojson"]
        .iter()
        .map(|f| InputFile::new(*f, std::fs::read(format!("{ROOT}/demo/{f}")).expect("demo file")))
        .collect();
    let mut a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    let base = a.crossborder.detections.clone();
    a.crossborder.detections = base.iter().cycle().take(n).cloned().collect();
    let basemap = std::fs::read(format!("{ROOT}/basemap/ne-asia-countries-10m.topo.json")).expect("basemap");
    let countries = borderless::io::topojson::read_countries("basemap", &basemap).expect("basemap");
    let t = Instant::now();
    let scene = MapScene::from_analysis(&a, &countries, Lang::En);
    println!(
        "map scene: {} detections, {} stations, prepared in {:.0} ms",
        scene.detection_count(),
        a.catalogs.iter().map(|c| c.stations.len()).sum::<usize>(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let home = scene.fit_view(900, 640);
    let mut raster = Raster::new(900, 640, Rgba::rgb(255, 255, 255)).expect("raster");
    for zoom in [1.0, 4.0, 16.0] {
        let mut v = home;
        v.zoom_at(zoom, 450.0, 320.0);
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            scene.render(&v, &mut raster).expect("render");
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let mut pick_times = Vec::with_capacity(runs);
        for k in 0..runs {
            let t = Instant::now();
            std::hint::black_box(scene.pick(&v, 300.0 + k as f64, 300.0, 8.0));
            pick_times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "redraw 900×640, zoom ×{zoom}: median {:.2} ms of {runs} (target ≤ 16 ms); pick median {:.3} ms",
            median(times),
            median(pick_times)
        );
    }
}
