//! Closed-population models against Rcapture.
//!
//! The expected numbers in shared/reference/rcapture-hare/expected_closedp.csv come from
//! Rcapture 1.4-4 `closedp.t` run on the hare data (R 4.2.2; see shared/reference/README.md):
//! N̂, SE, deviance, df, AIC and BIC for the 12 models, compared here at 1e-6 relative.

mod support;
use support::Shared;

use borderless::estimation::closed::{fit, fit_all, jackknife, CaptureHistories, ClosedModel};
use borderless::io::histories::read_histories_csv;

const HARE: Shared = Shared("reference/rcapture-hare/hare.csv");
const EXPECTED: Shared = Shared("reference/rcapture-hare/expected_closedp.csv");
const TOL: f64 = 1e-6;

struct Expected {
    model: String,
    values: [f64; 6], // abundance, stderr, deviance, df, AIC, BIC
    info_fit: f64,
    bias: Option<f64>,
}

fn expected() -> Vec<Expected> {
    let mut r = csv::Reader::from_path(EXPECTED.path()).expect("expected_closedp.csv is readable");
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let num = |i: usize| rec[i].parse::<f64>().unwrap();
            Expected {
                model: rec[0].to_string(),
                values: [num(1), num(2), num(3), num(4), num(5), num(6)],
                info_fit: num(7),
                bias: rec[8].parse::<f64>().ok(),
            }
        })
        .collect()
}

fn hare() -> CaptureHistories {
    let bytes = std::fs::read(HARE.path()).unwrap();
    read_histories_csv("hare.csv", &bytes).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn hare_all_twelve_models_match_rcapture() {
    skip_without!(HARE, EXPECTED);
    let h = hare();
    assert_eq!((h.animals(), h.occasions()), (68, 6));
    let exp = expected();
    assert_eq!(exp.len(), 12);
    let fits = fit_all(&h);
    assert_eq!(fits.len(), 12);
    let names = ["N", "SE", "deviance", "df", "AIC", "BIC"];
    let mut failures = Vec::new();
    for ((model, res), e) in fits.iter().zip(&exp) {
        let f = res.as_ref().unwrap_or_else(|err| panic!("{model}: {err}"));
        assert_eq!(f.model, e.model);
        assert!(f.converged, "{}: {:?}", f.model, f.termination);
        assert_eq!(f.info_fit as f64, e.info_fit, "{}: {:?}", f.model, f.warnings);
        let got = [f.abundance, f.se, f.deviance, f.df as f64, f.aic, f.bic];
        let mut worst = 0f64;
        for i in 0..6 {
            let r = rel(got[i], e.values[i]);
            worst = worst.max(r);
            if r > TOL {
                failures
                    .push(format!("{} {}: got {} expected {} (rel {r:.2e})", f.model, names[i], got[i], e.values[i]));
            }
        }
        println!("{:<14} worst relative error {worst:.3e}", f.model);
        if let (Some(b), Some(want)) = (f.bias, e.bias) {
            let r = rel(b, want);
            println!("{:<14} bias {b} vs {want} (rel {r:.2e})", f.model);
            if r > TOL {
                failures.push(format!("{} bias: got {b} expected {want} (rel {r:.2e})", f.model));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hare_chao_lower_bound_closed_form() {
    skip_without!(HARE, EXPECTED);
    // README "Rcapture notes": Mh Chao (LB) = n + ((t−1)/t)·f1²/(2·f2) = 79.837 for hare.
    let h = hare();
    let f = h.capture_frequencies();
    let (n, t) = (h.animals() as f64, h.occasions() as f64);
    let (f1, f2) = (f[0] as f64, f[1] as f64);
    let closed_form = n + (t - 1.0) / t * f1 * f1 / (2.0 * f2);
    assert!((closed_form - 79.837).abs() < 5e-4);
    let lb = fit(&h, ClosedModel::MhChao).unwrap();
    assert!(rel(lb.abundance, closed_form) < 1e-9, "{} vs {closed_form}", lb.abundance);
}

#[test]
fn hare_confidence_intervals_and_jackknife() {
    skip_without!(HARE, EXPECTED);
    let h = hare();
    for (_, r) in fit_all(&h) {
        let f = r.unwrap();
        let (l, u) = (f.lcl.unwrap(), f.ucl.unwrap());
        assert!(l >= 68.0 && l < f.abundance && u > f.abundance, "{}: [{l}, {u}]", f.model);
        // Chao (1987): (N − n)/C and (N − n)·C are reciprocal around N − n.
        assert!(rel((l - 68.0) * (u - 68.0), (f.abundance - 68.0).powi(2)) < 1e-12);
    }
    let j = jackknife(&h);
    assert_eq!(j.estimates.len(), 5);
    let f = h.capture_frequencies();
    let (n, t, f1) = (68.0, 6.0, f[0] as f64);
    assert!((j.estimates[0].abundance - (n + (t - 1.0) / t * f1)).abs() < 1e-9);
    // Hare: f = (25, 22, 13, 5, 1, 2); the test of order 1 against 2 is not significant
    // (T = 1.187), so the first order is selected: 68 + 5/6·25 = 88.833.
    assert_eq!(f, vec![25, 22, 13, 5, 1, 2]);
    assert_eq!(j.selected_order, 1);
    assert!((j.abundance - (68.0 + 5.0 / 6.0 * 25.0)).abs() < 1e-9);
    assert!(j.se > 0.0 && j.lcl.unwrap() < j.abundance && j.ucl.unwrap() > j.abundance);
}

#[test]
fn cli_closed_json_on_hare() {
    skip_without!(HARE);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["closed", "--histories", &HARE.to_string(), "--json"])
        .output()
        .expect("the borderless binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let rows = v.as_array().unwrap();
    let exp = expected();
    assert_eq!(rows.len(), exp.len());
    for (r, e) in rows.iter().zip(&exp) {
        assert_eq!(r["model"], e.model.as_str());
        for (key, want) in ["N", "se", "deviance", "df", "aic", "bic"].iter().zip(e.values) {
            let got = r[key].as_f64().unwrap_or_else(|| panic!("{} {key} missing", e.model));
            assert!(rel(got, want) < TOL, "{} {key}: {got} vs {want}", e.model);
        }
        assert!(r["lcl"].as_f64().unwrap() < r["N"].as_f64().unwrap());
        assert_eq!(r["converged"], true);
        assert_eq!(r["termination"], "converged");
    }

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["closed", "--histories", &HARE.to_string(), "--models", "M0,Mh Chao (LB),mbh"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("Mh Chao (LB)") && table.contains("79.8") && table.contains("jackknife"), "{table}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["closed", "--histories", &HARE.to_string(), "--models", "Mx"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown model 'Mx'"));
}
