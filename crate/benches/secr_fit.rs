//! Benchmark (a bench binary, `cargo bench --bench secr_fit`): native SECR fits on secr's
//! captdata (../shared/reference/secr-captdata), half-normal, multi-catch and proximity, on the
//! exact mask secr used. Prints the median of repeated fits beside secr 5.4.1's times on the
//! same 2-core machine (expected.md: 2.21 s and 16.90 s) and the ratio, for argmin's BFGS (the
//! default) and the project's own BFGS side by side (same fits, interleaved runs).
//! The WASM side is measured in Chromium by tests/bench/secr-wasm.mjs; scripts/bench.sh runs both.

use borderless::estimation::secr::{fit_secr, Capthist, DetectorType, Mask, Optimiser, SecrModel, Traps};
use std::time::Instant;

const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/secr-captdata");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let read = |f: &str| std::fs::read(format!("{REF}/{f}")).unwrap_or_else(|e| panic!("{REF}/{f}: {e}"));
    let traps = Traps::from_csv_bytes("traps.csv", &read("traps.csv")).unwrap();
    let ch = Capthist::from_csv_bytes("captures.csv", &read("captures.csv"), &traps, None).unwrap();
    let mask = Mask::from_csv_bytes("mask_buffer100.csv", &read("mask_buffer100.csv"), None).unwrap();
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);
    println!("native SECR fits, captdata, HN, median of {runs} runs (secr 5.4.1: 2 threads, same machine)");
    for (label, detector, secr_s) in
        [("multi-catch", DetectorType::Multi, 2.21), ("proximity", DetectorType::Proximity, 16.90)]
    {
        let opts = [Optimiser::Argmin, Optimiser::Bfgs];
        let mut times: [Vec<f64>; 2] = [Vec::with_capacity(runs), Vec::with_capacity(runs)];
        let mut fits = [None, None];
        for _ in 0..runs {
            for (i, &o) in opts.iter().enumerate() {
                let model = SecrModel { detector, optimiser: o, ..Default::default() };
                let t = Instant::now();
                fits[i] = Some(fit_secr(&traps, &ch, &mask, &model).expect("fit"));
                times[i].push(t.elapsed().as_secs_f64());
            }
        }
        for (i, o) in opts.iter().enumerate() {
            let fit = fits[i].take().unwrap();
            let m = median(std::mem::take(&mut times[i]));
            println!(
                "{label:<12} {:<7} median {:>8.1} ms   secr {:>6.2} s   ratio {:.4} (target ≤ 0.05)   D/ha {:.6}  logLik {:.6}  {:?}, {} evaluations",
                format!("{o:?}"),
                m * 1000.0,
                secr_s,
                m / secr_s,
                fit.d_per_ha,
                fit.loglik,
                fit.termination,
                fit.function_evaluations
            );
        }
    }
}
