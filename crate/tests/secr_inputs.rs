//! SECR inputs beyond the reference CSVs: secr's own text formats (the same captdata written as
//! `id x y [usage]` and `session id occasion detector` must give the same fit), their errors,
//! and the CLI on Camtrap DP catalogs.

use borderless::estimation::secr::{fit_secr, Capthist, Mask, SecrModel, Traps};
use borderless::io::secr_text::{is_secr_text, read_captures, read_traps};
use std::process::Command;

const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/secr-captdata");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");

fn csv_rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{REF}/{file}")).unwrap();
    text.lines().skip(1).map(|l| l.split(',').map(|f| f.trim_matches('"').to_string()).collect()).collect()
}

#[test]
fn secr_text_formats_give_the_same_fit_as_the_csvs() {
    // usage_traps.csv rewritten as secr's trap file with a 0/1 usage string per trap.
    let traps_txt: String = std::iter::once("# detector x y usage\n".to_string())
        .chain(csv_rows("usage_traps.csv").iter().map(|r| format!("{} {} {} {}\n", r[0], r[1], r[2], r[4..9].concat())))
        .collect();
    let caps_txt: String = std::iter::once("# session id occasion detector\n".to_string())
        .chain(csv_rows("captures.csv").iter().map(|r| format!("{} {} {} {}\n", r[0], r[1], r[2], r[3])))
        .collect();
    assert!(is_secr_text(traps_txt.as_bytes()) && is_secr_text(caps_txt.as_bytes()));
    let t_txt = read_traps("traps.txt", traps_txt.as_bytes()).unwrap();
    let c_txt = read_captures("captures.txt", caps_txt.as_bytes(), &t_txt, None).unwrap();
    let read = |f: &str| std::fs::read(format!("{REF}/{f}")).unwrap();
    let t_csv = Traps::from_csv_bytes("usage_traps.csv", &read("usage_traps.csv")).unwrap();
    let c_csv = Capthist::from_csv_bytes("captures.csv", &read("captures.csv"), &t_csv, None).unwrap();
    let mask = Mask::from_csv_bytes("mask.csv", &read("mask_buffer100.csv"), None).unwrap();
    assert_eq!(t_txt.usage(), t_csv.usage());
    assert_eq!((c_txt.n_animals(), c_txt.n_detections()), (76, 235));
    let m = SecrModel::default();
    let (a, b) = (fit_secr(&t_txt, &c_txt, &mask, &m).unwrap(), fit_secr(&t_csv, &c_csv, &mask, &m).unwrap());
    assert_eq!(a.loglik, b.loglik);
    // secr 5.4.1, captdata_usage_HN (expected.md): logLik −756.9089, D 5.4735.
    assert!((a.loglik - -756.9089).abs() < 1e-4 && (a.d.estimate / 5.4735 - 1.0).abs() < 1e-4);
}

#[test]
fn secr_text_errors_name_file_row_and_column() {
    let e = read_traps("t.txt", b"A 0 0\nB 30 x\n").unwrap_err().to_string();
    assert!(e.contains("t.txt") && e.contains("row 2") && e.contains("'y'"), "{e}");
    let t = read_traps("t.txt", b"A 0 0\nB 30 0\n").unwrap();
    let e = read_captures("c.txt", b"1 a 1 A\n1 b 1 Z\n", &t, None).unwrap_err().to_string();
    assert!(e.contains("row 2") && e.contains("'detector'") && e.contains("'Z'"), "{e}");
    let e = read_captures("c.txt", b"1 a 1 A\n2 b 1 B\n", &t, None).unwrap_err().to_string();
    assert!(e.contains("row 2") && e.contains("session"), "{e}");
    let e = read_traps("t.txt", b"A 0 0 11\nB 30 0\n").unwrap_err().to_string();
    assert!(e.contains("some traps but not all"), "{e}");
}

#[test]
fn cli_secr_on_camtrap_dp_catalogs() {
    let out = Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["secr", "--json", "--catalog"])
        .arg(format!("CN={DEMO}/cn"))
        .arg("--catalog")
        .arg(format!("RU={DEMO}/ru.zip"))
        .arg("--links")
        .arg(format!("{DEMO}/links.csv"))
        .arg("--basemap")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in ["D_per_ha", "D_per_100km2", "loglik", "aic", "n_animals", "n_detections", "mask_points", "mask_area_ha"] {
        assert!(v[k].is_number(), "{k}");
    }
    for k in ["D", "g0", "sigma"] {
        for f in ["estimate", "se", "lcl", "ucl"] {
            assert!(v[k][f].is_number(), "{k}.{f}");
        }
    }
    assert_eq!(v["n_animals"], 45);
    assert_eq!(v["converged"], true);
    assert_eq!(v["utm_zone"], "UTM 52N (WGS84)");
    assert!(v["n_per_country"].as_array().unwrap().iter().any(|c| c["country"] == "Russia"));
    // Without traps or catalogs, the command says what it needs.
    let out = Command::new(env!("CARGO_BIN_EXE_borderless")).args(["secr"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--traps"));
}

#[test]
fn detection_at_a_detector_with_zero_usage_is_explained() {
    // usage_traps.csv: traps 14 and 15 have usage 0 on occasions 1–3.
    let read = |f: &str| std::fs::read(format!("{REF}/{f}")).unwrap();
    let traps = Traps::from_csv_bytes("usage_traps.csv", &read("usage_traps.csv")).unwrap();
    let caps = b"session,id,occasion,trapid\n1,a,1,14\n1,a,4,15\n1,b,2,1\n1,b,3,2\n";
    let ch = Capthist::from_csv_bytes("c.csv", caps, &traps, None).unwrap();
    let mask = Mask::from_csv_bytes("mask.csv", &read("mask_buffer100.csv"), None).unwrap();
    let e = fit_secr(&traps, &ch, &mask, &SecrModel::default()).unwrap_err().to_string();
    assert!(e.contains("'a'") && e.contains("'14'") && e.contains("usage is 0"), "{e}");
}
