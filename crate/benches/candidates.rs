//! Benchmark (a bench binary, `cargo bench --bench candidates`): candidate scoring of two
//! simulated national catalogs of 500 individuals each (2,000 stations per side on a 2 km grid
//! either side of a straight border, 2–8 detections per individual, seeded xoshiro), natively.
//! Prints the median of repeated runs of `Prepared::new` (projection, border distances) and of
//! `Prepared::candidates` (pruning, scoring, ranking).

use borderless::identity::candidates::{CandidateOptions, Prepared};
use borderless::identity::join::join;
use borderless::model::{Catalog, Detection, LatLon, Station};
use borderless::spatial::Border;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn catalog(name: &str, side: f64, n: usize, rng: &mut Xoshiro256PlusPlus) -> Catalog {
    let t0 = chrono::DateTime::parse_from_rfc3339("2024-11-01T00:00:00+08:00").unwrap();
    // Border along lon 131.0; 40 × 50 stations, 0.025° (≈ 2 km) apart, on this side.
    let stations: Vec<Station> = (0..2000)
        .map(|k| Station {
            id: format!("{name}-{k}"),
            location_id: None,
            position: LatLon {
                lat: 42.5 + (k / 40) as f64 * 0.02,
                lon: 131.0 + side * (0.01 + (k % 40) as f64 * 0.025),
            },
            start: t0,
            end: t0 + chrono::Duration::days(180),
            problems: vec![],
        })
        .collect();
    let mut detections = Vec::new();
    for i in 0..n {
        let centre = rng.gen_range(0..2000usize);
        for _ in 0..rng.gen_range(2..=8) {
            let s = (centre as i64 + rng.gen_range(-41..=41)).clamp(0, 1999) as usize;
            detections.push(Detection {
                station: s,
                individual: format!("{name}-T{i:03}"),
                species: None,
                sex: Some(if i % 2 == 0 { "female" } else { "male" }.into()),
                time: t0 + chrono::Duration::minutes(rng.gen_range(0..180 * 1440)),
                precision: Default::default(),
                source_row: detections.len() + 2,
            });
        }
    }
    Catalog { name: name.into(), title: None, source: name.into(), stations, detections, simulated: false }
}

fn main() {
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20261121);
    let cats = vec![catalog("A", -1.0, n, &mut rng), catalog("B", 1.0, n, &mut rng)];
    let line = geo::LineString::from(vec![(131.0, 42.0), (131.0, 44.0)]);
    let border = Border::new(geo::MultiLineString(vec![line])).unwrap();
    let joint = join(&cats, &[], None);
    let o = CandidateOptions { sigma_km: Some(3.0), ..Default::default() };
    let (mut prep, mut score) = (Vec::new(), Vec::new());
    let mut listed = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let p = Prepared::new(&cats, Some(&border));
        prep.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let l = p.candidates(&joint, &[], &[], &o).unwrap();
        score.push(t.elapsed().as_secs_f64() * 1000.0);
        listed = l.candidates.len();
    }
    println!(
        "candidates: {n} × {n} individuals, {listed} pairs listed; median of {runs}: prepare {:.1} ms, score {:.1} ms",
        median(prep),
        median(score)
    );
}
