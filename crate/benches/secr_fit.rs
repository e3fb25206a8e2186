//! Benchmark (a bench binary, `cargo bench --bench secr_fit`): native SECR fits beside secr
//! 5.4.1's times on the same kind of 2-core machine — captdata (../shared/reference/secr-captdata,
//! expected.md: 2.21 s and 16.90 s) with argmin's BFGS (the default) and the project's own BFGS
//! side by side (same fits, interleaved runs), and every covariate, session and trend fit of
//! ../shared/reference/secr-covariates (secr's `elapsed_s` from fits.csv). Prints medians and
//! the ratio to secr (target ≤ 0.05). The WASM side is measured in Chromium by
//! tests/bench/secr-wasm.mjs; scripts/bench.sh runs both.

use borderless::estimation::secr::{
    fit_secr, fit_secr_sessions, Capthist, DetectorType, Mask, Optimiser, SecrFit, SecrModel, SessionData, Traps,
};
use std::time::Instant;

const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/secr-captdata");
const COV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/secr-covariates");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut() -> SecrFit) -> (f64, SecrFit) {
    let mut times = Vec::with_capacity(runs);
    let mut fit = None;
    for _ in 0..runs {
        let t = Instant::now();
        fit = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    (median(times), fit.unwrap())
}

fn row(label: &str, secs: f64, secr_s: f64, fit: &SecrFit) {
    println!(
        "{label:<34} median {:>8.1} ms   secr {:>6.2} s   ratio {:.4} (target ≤ 0.05)   logLik {:.6}  {:?}, {} evaluations",
        secs * 1000.0,
        secr_s,
        secs / secr_s,
        fit.loglik,
        fit.termination,
        fit.function_evaluations
    );
}

#[allow(clippy::approx_constant)] // possum_D1 took 3.14 s in secr: a time, not π
fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);
    let read = |d: &str, f: &str| std::fs::read(format!("{d}/{f}")).unwrap_or_else(|e| panic!("{d}/{f}: {e}"));
    let traps = Traps::from_csv_bytes("traps.csv", &read(REF, "traps.csv")).unwrap();
    let ch = Capthist::from_csv_bytes("captures.csv", &read(REF, "captures.csv"), &traps, None).unwrap();
    let mask = Mask::from_csv_bytes("mask_buffer100.csv", &read(REF, "mask_buffer100.csv"), None).unwrap();
    println!("native SECR fits, median of {runs} runs (secr 5.4.1: 2 threads, same kind of machine)");
    for (label, detector, secr_s) in
        [("captdata multi-catch", DetectorType::Multi, 2.21), ("captdata proximity", DetectorType::Proximity, 16.90)]
    {
        for o in [Optimiser::Argmin, Optimiser::Bfgs] {
            let model = SecrModel { detector, optimiser: o, ..Default::default() };
            let (m, fit) = time(runs, || fit_secr(&traps, &ch, &mask, &model).expect("fit"));
            row(&format!("{label} ({o:?})"), m, secr_s, &fit);
        }
    }
    if std::path::Path::new(COV).is_dir() {
        let one = |t: &str, c: &str, m: &str| {
            let traps = Traps::from_csv_bytes(t, &read(COV, t)).unwrap();
            let ch = Capthist::from_csv_bytes(c, &read(COV, c), &traps, Some(5)).unwrap();
            let mask = Mask::from_csv_bytes(m, &read(COV, m), None).unwrap();
            vec![SessionData { name: "1".into(), traps, capthist: ch, mask }]
        };
        let possum = one("possum_traps.csv", "possum_captures.csv", "possum_mask.csv");
        let capt = one("captdata_traps_trail.csv", "captdata_captures.csv", "captdata_mask_buffer100.csv");
        let otraps = Traps::sessions_from_csv_bytes("t", &read(COV, "ovenbird_traps.csv")).unwrap();
        let occ: Vec<(String, usize)> = ["2005", "2006", "2007", "2008", "2009"]
            .iter()
            .zip([9, 10, 10, 10, 10])
            .map(|(s, o)| (s.to_string(), o))
            .collect();
        let och =
            Capthist::sessions_with_traps_from_csv_bytes("c", &read(COV, "ovenbird_captures.csv"), &otraps, &occ, None)
                .unwrap();
        let omask = Mask::from_csv_bytes("m", &read(COV, "ovenbird_mask.csv"), None).unwrap();
        let oven: Vec<SessionData> = otraps
            .into_iter()
            .zip(och)
            .map(|((n, t), (_, c))| SessionData { name: n, traps: t, capthist: c, mask: omask.clone() })
            .collect();
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: Vec<(&str, &Vec<SessionData>, SecrModel, f64)> = vec![
            ("possum D~1", &possum, SecrModel::default(), 3.14),
            (
                "possum D~d.to.shore",
                &possum,
                SecrModel {
                    formulas: f(&["D ~ d.to.shore"]),
                    typsize: Some(vec![1.0, 0.001, 1.0, 1.0]),
                    ..Default::default()
                },
                3.77,
            ),
            ("captdata D~x+y", &capt, SecrModel { formulas: f(&["D ~ x + y"]), ..Default::default() }, 1.84),
            ("captdata g0~trail", &capt, SecrModel { formulas: f(&["g0 ~ trail"]), ..Default::default() }, 1.79),
            ("ovenbird D~session", &oven, SecrModel { formulas: f(&["D ~ session"]), ..Default::default() }, 96.78),
            ("ovenbird D~Session", &oven, SecrModel { formulas: f(&["D ~ Session"]), ..Default::default() }, 33.09),
        ];
        let runs = runs.min(5);
        for (label, s, m, secr_s) in cases {
            let (t, fit) = time(runs, || fit_secr_sessions(s, &m).expect("fit"));
            row(label, t, secr_s, &fit);
        }
    }
}
