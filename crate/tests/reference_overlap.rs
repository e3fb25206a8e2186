//! overlap (R package) reference numbers for Kerinci zone 3, tiger vs tapir.
//!
//! Expected numbers are overlap 0.3.9's, from /work/shared/reference/README.md (section "overlap,
//! kerinci zone 3, tiger vs tapir": the exact-root values, not `uniroot`'s default-tolerance ones)
//! and /work/shared/reference/overlap-kerinci/kerinci_z3_vonMises_density_grid128.csv.
//! Bootstrap intervals are random, so only their behaviour is tested, never their digits.

mod support;
use support::Shared;

use borderless::activity::overlap::{
    analyze_overlap, bandwidth, bootstrap, circle_grid, density_fit, overlap_est, read_times_csv, select_times,
    OverlapError, OverlapOptions, TimeRecord,
};

const DIR: Shared = Shared("reference/overlap-kerinci");

fn kerinci() -> Vec<TimeRecord> {
    let text = std::fs::read_to_string(format!("{DIR}/kerinci.csv")).unwrap();
    read_times_csv(&text, "kerinci.csv").unwrap()
}

fn zone3(sp: &str) -> Vec<f64> {
    select_times(&kerinci(), sp, Some("3"), "kerinci.csv").unwrap()
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "{what}: got {got:.12}, want {want:.12} (diff {:.3e})", got - want);
}

#[test]
fn bandwidths_match_overlap() {
    skip_without!(DIR);
    let (tiger, tapir) = (zone3("tiger"), zone3("tapir"));
    assert_eq!((tiger.len(), tapir.len()), (52, 42));
    // README's "von Mises kernel concentration" = getBandWidth (Ridout & Linkie 2009 rule).
    close("tiger bandwidth", bandwidth(&tiger, 3).unwrap(), 6.18742509322, 1e-6);
    close("tapir bandwidth", bandwidth(&tapir, 3).unwrap(), 14.2658959578, 1e-6);
}

#[test]
fn estimators_match_overlap() {
    skip_without!(DIR);
    let est = overlap_est(&zone3("tiger"), &zone3("tapir"), &OverlapOptions::default()).unwrap();
    close("Dhat1", est.dhat1, 0.484931395782, 1e-6);
    close("Dhat4", est.dhat4, 0.475134085847, 1e-6);
    close("Dhat5", est.dhat5, 0.4752747253, 1e-6);
}

#[test]
fn densities_on_the_128_grid_match_overlap() {
    skip_without!(DIR);
    let text = std::fs::read_to_string(format!("{DIR}/kerinci_z3_vonMises_density_grid128.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["x", "tiger_z3_adj1", "tapir_z3_adj1", "tiger_z3_adj0.8", "tapir_z3_adj0.8"]);
    let rows: Vec<Vec<f64>> =
        rdr.records().map(|r| r.unwrap().iter().map(|v| v.parse::<f64>().unwrap()).collect()).collect();
    assert_eq!(rows.len(), 128);
    let x: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    let grid = circle_grid(128);
    for (a, b) in x.iter().zip(&grid) {
        close("grid", *a, *b, 1e-12);
    }
    let (tiger, tapir) = (zone3("tiger"), zone3("tapir"));
    let (bt, bp) = (bandwidth(&tiger, 3).unwrap(), bandwidth(&tapir, 3).unwrap());
    let cols = [(1, &tiger, bt, 1.0), (2, &tapir, bp, 1.0), (3, &tiger, bt, 0.8), (4, &tapir, bp, 0.8)];
    for (col, data, bw, adj) in cols {
        let d = density_fit(data, &x, bw / adj);
        for (i, r) in rows.iter().enumerate() {
            close(&format!("{} row {}", header[col], i + 1), d[i], r[col], 1e-6);
        }
    }
}

#[test]
fn bootstrap_is_reproducible_and_sensible() {
    skip_without!(DIR);
    let (tiger, tapir) = (zone3("tiger"), zone3("tapir"));
    let est = overlap_est(&tiger, &tapir, &OverlapOptions::default()).unwrap();
    let n = 200;
    let b1 = bootstrap(&tiger, &tapir, &est, n, 42, 0.95).unwrap();
    let b2 = bootstrap(&tiger, &tapir, &est, n, 42, 0.95).unwrap();
    assert_eq!(b1.samples, b2.samples);
    assert_eq!((b1.ci_dhat1, b1.ci_dhat4, b1.ci_dhat5), (b2.ci_dhat1, b2.ci_dhat4, b2.ci_dhat5));
    let b3 = bootstrap(&tiger, &tapir, &est, n, 43, 0.95).unwrap();
    assert_ne!(b1.samples, b3.samples);
    assert_eq!(b1.samples.len(), n);
    for (name, t0, ci, mean, sd) in [
        ("Dhat1", est.dhat1, b1.ci_dhat1, b1.mean.dhat1, b1.sd.dhat1),
        ("Dhat4", est.dhat4, b1.ci_dhat4, b1.mean.dhat4, b1.sd.dhat4),
        ("Dhat5", est.dhat5, b1.ci_dhat5, b1.mean.dhat5, b1.sd.dhat5),
    ] {
        for (kind, iv) in [("basic", ci.basic), ("perc", ci.perc), ("norm0", ci.norm0)] {
            assert!(iv[0] < t0 && t0 < iv[1], "{name} {kind} {iv:?} does not contain {t0}");
        }
        assert!(sd > 0.01 && sd < 0.2, "{name} bootstrap sd {sd}");
        // The smoothed bootstrap is biased (by roughly one SE here); its mean stays within a few SE.
        assert!((mean - t0).abs() < 3.0 * sd, "{name}: bootstrap mean {mean} vs estimate {t0}, sd {sd}");
    }
}

#[test]
fn report_fields() {
    skip_without!(DIR);
    let (tiger, tapir) = (zone3("tiger"), zone3("tapir"));
    let r = analyze_overlap(&tiger, &tapir, ("tiger", "tapir"), Some("3"), None).unwrap();
    assert_eq!((r.n_a, r.n_b), (52, 42));
    assert_eq!(r.recommended, "Dhat1"); // min n = 42 < 50
    close("bandwidth_a", r.bandwidth_a, 6.18742509322, 1e-6);
    close("bandwidth_b", r.bandwidth_b, 14.2658959578, 1e-6);
    let act = r.activity_a.unwrap();
    assert!(act > 0.0 && act <= 1.0, "activity {act}");
}

fn err(text: &str) -> String {
    match read_times_csv(text, "bad.csv") {
        Err(e) => e.to_string(),
        Ok(recs) => match select_times(&recs, "tiger", None, "bad.csv") {
            Err(e) => e.to_string(),
            Ok(_) => match select_times(&recs, "tapir", Some("1"), "bad.csv") {
                Err(e) => e.to_string(),
                Ok(_) => panic!("no error"),
            },
        },
    }
}

#[test]
fn rows_are_spreadsheet_rows_with_crlf_and_quoted_newlines() {
    let e = err("Zone,Sps,Time\r\n1,\"tiger\r\ncub\",0.2\r\n1,tiger,1.5\r\n");
    assert!(e.contains("row 3") && e.contains("column Time"), "{e}");
    let e = err("Zone,Sps,Time\n1,tiger,0.2\n1,\"tiger,0.3\n");
    assert!(e.contains("row 3") && e.contains("never closed"), "{e}");
}

#[test]
fn bad_input_errors_name_file_row_and_column() {
    skip_without!(DIR);
    let e = err("Zone,Sps,Time\n1,tiger,0.2\n1,tiger,1.5\n");
    assert!(e.contains("bad.csv") && e.contains("row 3") && e.contains("column Time") && e.contains("1.5"), "{e}");
    let e = err("Zone,Sps,Time\n1,tiger,-0.1\n");
    assert!(e.contains("bad.csv") && e.contains("row 2") && e.contains("column Time"), "{e}");
    let e = err("Zone,Sps,Time\n1,tiger,0.2\n1,tiger,noon\n");
    assert!(e.contains("row 3") && e.contains("column Time") && e.contains("noon"), "{e}");
    let e = err("Zone,Sps,Time\n1,tiger,0.2\n1,tapir,0.3\n");
    assert!(e.contains("bad.csv") && e.contains("column Sps") && e.contains("'tiger' has 1 record"), "{e}");
    let e = err("Zone,Sps,Time\n1,tiger,0.2\n1,tiger,0.3\n1,boar,0.3\n");
    assert!(e.contains("bad.csv") && e.contains("column Sps") && e.contains("unknown species 'tapir'"), "{e}");
    let e = err("Zone,Species,Time\n1,tiger,0.2\n");
    assert!(e.contains("bad.csv") && e.contains("column Sps") && e.contains("missing"), "{e}");
    assert!(matches!(
        select_times(&kerinci(), "sambar", Some("3"), "kerinci.csv"),
        Ok(v) if v.len() == 5
    ));
    let e = select_times(&kerinci(), "tiger", Some("9"), "kerinci.csv").unwrap_err();
    assert!(matches!(e, OverlapError::Column { .. }) && e.to_string().contains("column Zone"), "{e}");
}

#[test]
fn cli_json() {
    skip_without!(DIR);
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
            .args(["overlap", "--input", &format!("{DIR}/kerinci.csv"), "--species-a", "tiger", "--species-b", "tapir"])
            .args(["--zone", "3", "--json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = run(&[]);
    close("dhat1", v["dhat1"].as_f64().unwrap(), 0.484931395782, 1e-6);
    close("dhat4", v["dhat4"].as_f64().unwrap(), 0.475134085847, 1e-6);
    close("dhat5", v["dhat5"].as_f64().unwrap(), 0.4752747253, 1e-6);
    close("bandwidth_a", v["bandwidth_a"].as_f64().unwrap(), 6.18742509322, 1e-6);
    close("bandwidth_b", v["bandwidth_b"].as_f64().unwrap(), 14.2658959578, 1e-6);
    assert_eq!((v["n_a"].as_u64(), v["n_b"].as_u64()), (Some(52), Some(42)));
    assert_eq!(v["recommended"], "Dhat1");
    assert!(v["bootstrap"].is_null());
    let b1 = run(&["--bootstrap", "50", "--seed", "5"]);
    let b2 = run(&["--bootstrap", "50", "--seed", "5"]);
    assert_eq!(b1["bootstrap"], b2["bootstrap"]);
    assert!(b1["bootstrap"]["ci_dhat1"]["basic"][0].as_f64().unwrap() < v["dhat1"].as_f64().unwrap());

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["overlap", "--input", &format!("{DIR}/kerinci.csv"), "--species-a", "tiger", "--species-b", "lion"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kerinci.csv") && err.contains("column Sps") && err.contains("'lion'"), "{err}");
}
