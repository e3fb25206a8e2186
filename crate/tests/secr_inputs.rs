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
    assert!(v["n_per_country"].as_array().unwrap().iter().any(|c| c["name"] == "Russia"));
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

#[test]
fn wgs84_traps_are_projected_to_utm_before_fitting() {
    use borderless::io::secr_text::is_latlon_csv;
    use borderless::spatial::secr_traps::read_traps_latlon_csv;
    use borderless::spatial::Utm;
    // captdata's trap grid placed in UTM 52N (x + 600 km, y + 4,760 km, near 43°N 131°E) and
    // written as WGS84 latitude/longitude: fitting it must equal fitting the metric grid.
    let zone = Utm { zone: 52, north: true };
    let rows = csv_rows("traps.csv");
    let mut metric = String::from("detector,x,y\n");
    let mut wgs = String::from("detector,latitude,longitude\n");
    for r in &rows {
        let (x, y) = (r[1].parse::<f64>().unwrap() + 600_000.0, r[2].parse::<f64>().unwrap() + 4_760_000.0);
        metric.push_str(&format!("{},{x},{y}\n", r[0]));
        let p = zone.to_latlon(x, y).unwrap();
        wgs.push_str(&format!("{},{:.10},{:.10}\n", r[0], p.lat, p.lon));
    }
    assert!(is_latlon_csv(wgs.as_bytes()) && !is_latlon_csv(metric.as_bytes()));
    let t_m = Traps::from_csv_bytes("m.csv", metric.as_bytes()).unwrap();
    let (t_w, z) = read_traps_latlon_csv("w.csv", wgs.as_bytes(), None).unwrap();
    assert_eq!(z, zone, "zone chosen from the data");
    for (a, b) in t_m.x().iter().zip(t_w.x()).chain(t_m.y().iter().zip(t_w.y())) {
        assert!((a - b).abs() < 1e-3, "{a} vs {b}"); // 1e-10° of latitude ≈ 1e-5 m
    }
    let caps = std::fs::read(format!("{REF}/captures.csv")).unwrap();
    let fit = |t: &Traps| {
        let ch = Capthist::from_csv_bytes("captures.csv", &caps, t, None).unwrap();
        let mask = Mask::trap_buffer(t, 100.0, None).unwrap();
        fit_secr(t, &ch, &mask, &SecrModel::default()).unwrap()
    };
    let (a, b) = (fit(&t_m), fit(&t_w));
    assert!(
        (a.d.estimate / b.d.estimate - 1.0).abs() < 1e-6 && (a.sigma.estimate / b.sigma.estimate - 1.0).abs() < 1e-6
    );
    // Out-of-range coordinates are named.
    let e =
        read_traps_latlon_csv("w.csv", b"detector,latitude,longitude\nA,131.2,43.1\n", None).unwrap_err().to_string();
    assert!(e.contains("row 2") && e.contains("swapped"), "{e}");
}

/// secr's CSVs as partners' spreadsheets save them: semicolons, CRLF, a Windows-1251 detector
/// name, a quoted line break in a comment column; rows numbered as a spreadsheet shows them,
/// also in a multi-session captures file split by session.
#[test]
fn secr_csvs_in_excel_dialects_and_encodings_keep_names_and_row_numbers() {
    let traps = "detector;x;y;note\r\nЛазовский-1;0;0;\"хребет над рекой\r\nтропа зверя\"\r\nЛазовский-2;500;0;долина ручья Прямого\r\n";
    let bytes = encoding_rs::WINDOWS_1251.encode(traps).0.into_owned();
    let t = Traps::from_csv_bytes("traps.csv", &bytes).unwrap();
    assert_eq!(t.ids(), ["Лазовский-1", "Лазовский-2"]);
    // Row 3 as a spreadsheet shows it: the quoted line break stays inside its cell (line 4 of the text).
    let bad = "detector,x,y,note\r\nA,0,0,\"a\r\nb\"\r\nB,x500,0,c\r\n";
    let e = Traps::from_csv_bytes("traps.csv", bad.as_bytes()).unwrap_err().to_string();
    assert_eq!(e, "traps.csv: row 3, column 'x': 'x500' is not a number");
    let layouts = "session,detector,x,y\n2019,A,0,0\n2019,B,500,0\n2020,A,0,0\n2020,B,500,0\n";
    let t2 = Traps::sessions_from_csv_bytes("traps.csv", layouts.as_bytes()).unwrap();
    let occ: Vec<(String, usize)> = vec![("2019".into(), 3), ("2020".into(), 3)];
    // Row 5 holds an unknown detector of session 2020: its own row, not its row within 2020.
    let caps = "session,id,occasion,trapid\n2019,1,1,A\n2019,1,2,B\n2020,2,1,A\n2020,2,2,Z\n";
    let e = Capthist::sessions_with_traps_from_csv_bytes("caps.csv", caps.as_bytes(), &t2, &occ, None)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("caps.csv: row 5, column 'trapid'"), "{e}");
}
