//! The `borderless` command line on the shipped demo survey and on broken inputs.
//!
//! Expected demo numbers: 30 distinct individualID values in www/demo/cn/observations.csv and
//! 34 in www/demo/ru/observations.csv (python3 csv module), 19 rows in links.csv each linking a
//! different pair, so 45 unique and 64 summed, (64 − 45)/45 = 19/45 = 42.22…% (issue text).

mod support;
use support::Shared;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_borderless");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
const CAMTRAPR: Shared = Shared("reference/camtrapR-example");

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the borderless binary runs")
}

fn demo_args<'a>(cn: &'a str, border: &'a str) -> Vec<String> {
    vec![
        "crossborder".into(),
        "--catalog".into(),
        format!("CN={cn}"),
        "--catalog".into(),
        format!("RU={DEMO}/ru.zip"),
        "--links".into(),
        format!("{DEMO}/links.csv"),
        "--border".into(),
        border.to_string(),
    ]
}

fn run_strings(args: &[String]) -> Output {
    Command::new(BIN).args(args).output().expect("the borderless binary runs")
}

/// A fresh scratch folder for this test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("borderless-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn json_summary_and_individuals_on_the_demo() {
    let mut args = demo_args(&format!("{DEMO}/cn"), &format!("{DEMO}/border.geojson"));
    args.push("--json".into());
    let out = run_strings(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}, stderr:\n{stderr}", out.status);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let s = &v["summary"];
    assert_eq!(s["unique_individuals"], 45);
    assert_eq!(s["transboundary_individuals"], 19);
    assert_eq!(s["national_counts"], serde_json::json!({"CN": 30, "RU": 34}));
    assert_eq!(s["sum_of_national_counts"], 64);
    let p = s["overcount_percent"].as_f64().unwrap();
    assert!((p - 19.0 / 45.0 * 100.0).abs() < 1e-9, "{p}");
    assert!((p - 42.222).abs() < 1e-3);
    assert_eq!(v["simulated"], true);
    let inds = v["individuals"].as_array().unwrap();
    assert_eq!(inds.len(), 45);
    for i in inds {
        for key in
            ["id", "national_ids", "detections", "crossings", "max_distance_from_border_km", "first_seen", "last_seen"]
        {
            assert!(i.get(key).is_some_and(|x| !x.is_null()), "{key} missing in {i}");
        }
        assert!(i["crossings"].is_u64());
        assert!(i["max_distance_from_border_km"].as_f64().unwrap() >= 0.0);
        // first/last seen keep the offset of the catalog that saw them.
        let first = i["first_seen"].as_str().unwrap();
        assert!(first.ends_with("+08:00") || first.ends_with("+10:00"), "{first}");
    }
    // 19 individuals carry two national IDs.
    assert_eq!(inds.iter().filter(|i| i["national_ids"].as_object().unwrap().len() == 2).count(), 19);
    // One report per file, each balanced.
    for r in v["reports"].as_array().unwrap() {
        let skipped: u64 = r["rows_skipped"].as_array().unwrap().iter().map(|x| x[1].as_u64().unwrap()).sum();
        let (read, used, rejected) =
            (r["rows_read"].as_u64().unwrap(), r["rows_used"].as_u64().unwrap(), r["rows_rejected"].as_u64().unwrap());
        assert_eq!(used + skipped + rejected, read, "{r}");
    }
}

#[test]
fn table_output_says_simulated() {
    let out = run_strings(&demo_args(&format!("{DEMO}/cn"), &format!("{DEMO}/border.geojson")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SIMULATED"), "{text}");
    assert!(text.contains("42.2%"), "{text}");
}

#[test]
fn missing_package_path_fails_with_message() {
    let missing = format!("{DEMO}/no-such-package");
    let out = run_strings(&demo_args(&missing, &format!("{DEMO}/border.geojson")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-package"), "{stderr}");
    assert!(out.stdout.is_empty());
    // A catalog argument without NAME=.
    let out = run(&["crossborder", "--catalog", DEMO]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME=PATH"));
}

#[test]
fn broken_datapackage_fails_with_message() {
    let dir = scratch("broken-dp");
    let cn = dir.join("cn");
    copy_dir(Path::new(&format!("{DEMO}/cn")), &cn);
    // Drop the final closing brace: not valid JSON.
    let dp = std::fs::read_to_string(cn.join("datapackage.json")).unwrap();
    std::fs::write(cn.join("datapackage.json"), dp.trim_end().trim_end_matches('}')).unwrap();
    let mut args = demo_args(cn.to_str().unwrap(), &format!("{DEMO}/border.geojson"));
    args.push("--json".into());
    let out = run_strings(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("CN/datapackage.json") && stderr.contains("not valid JSON"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn broken_border_fails_with_message() {
    let dir = scratch("broken-border");
    let border = dir.join("border.geojson");
    std::fs::write(
        &border,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[130.5,43.0]}}"#,
    )
    .unwrap();
    let out = run_strings(&demo_args(&format!("{DEMO}/cn"), border.to_str().unwrap()));
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("border.geojson") && stderr.contains("Point"), "{stderr}");
}

#[test]
fn camtrapr_tables_need_their_crs() {
    skip_without!(CAMTRAPR);
    let tables = format!("BORNEO={CAMTRAPR}/camtraps.csv,{CAMTRAPR}/recordTableIndividualSample.csv");
    let base = ["crossborder", "--camtrapr", tables.as_str(), "--utc-offset", "+08:00", "--json"];
    let out = run(&base);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CRS") && stderr.contains("utm:50N"), "{stderr}");
    // With the CRS (Borneo: UTM zone 50N): 3 leopard cats (Individual 1, 2, 3 in
    // recordTableIndividualSample.csv).
    let mut args = base.to_vec();
    args.extend(["--crs", "utm:50N"]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["unique_individuals"], 3);
    assert_eq!(v["summary"]["national_counts"], serde_json::json!({"BORNEO": 3}));
}

// ---- genotypes ----

const ALLELEMATCH: Shared = Shared("reference/allelematch");

#[test]
fn genotypes_json_matches_allelematch_and_merges_country_files() {
    skip_without!(ALLELEMATCH);
    // allelematch 3.0.0 on amExample1, ex1_profile.csv: 2 allowed mismatches → 12 unique, 0
    // unclassified, 0 multiple matches; 1 mismatch → 2 multiple matches; 9 profile rows (0 … 8).
    let input = format!("{ALLELEMATCH}/amExample1.csv");
    let base = ["genotypes", "--input", input.as_str(), "--missing", "-99", "--meta-column", "knownIndividual"];
    let mut args = base.to_vec();
    args.extend(["--mismatches", "2", "--json"]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["unique"].as_u64(), v["unclassified"].as_u64(), v["multiple_matches"].as_u64()),
        (Some(12), Some(0), Some(0))
    );
    assert_eq!(v["genotypes"].as_array().unwrap().len(), 12);
    assert_eq!(v["genotypes"][0]["matches"][0]["score"], 1.0);
    assert!(v["pid"]["loci"].as_array().unwrap().len() == 10);
    let mut args = base.to_vec();
    args.extend(["--profile", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!((rows[1]["unique"].as_u64(), rows[1]["multiple_matches"].as_u64()), (Some(13), Some(2)));

    // The same samples, in the same order, split into two country files with a country column.
    let d = scratch("genotypes");
    let text = std::fs::read_to_string(&input).unwrap();
    let mut lines = text.lines();
    let header = format!("{},\"country\"", lines.next().unwrap());
    let (mut cn, mut ru) = (vec![header.clone()], vec![header]);
    for (k, l) in lines.enumerate() {
        if k < 10 {
            cn.push(format!("{l},CN"))
        } else {
            ru.push(format!("{l},RU"))
        }
    }
    std::fs::write(d.join("cn.csv"), cn.join("\n")).unwrap();
    std::fs::write(d.join("ru.csv"), ru.join("\n")).unwrap();
    let (cn, ru) = (d.join("cn.csv").display().to_string(), d.join("ru.csv").display().to_string());
    let args = [
        "genotypes",
        "--input",
        &cn,
        "--input",
        &ru,
        "--meta-column",
        "knownIndividual",
        "--catalog-column",
        "country",
        "--catalog",
        "CN",
        "--catalog",
        "RU",
        "--mismatches",
        "2",
        "--json",
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["unique"].as_u64(), v["unclassified"].as_u64()), (Some(12), Some(0)));
    assert_eq!(v["sample_catalogs"].as_array().unwrap().len(), 20);
    // A country outside the given catalogs is refused, naming file, row and column.
    let args = [
        "genotypes",
        "--input",
        &cn,
        "--input",
        &ru,
        "--catalog-column",
        "country",
        "--catalog",
        "CN",
        "--meta-column",
        "knownIndividual",
        "--mismatches",
        "2",
        "--json",
    ];
    let out = run(&args);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{ru}, row 2, column 'country': sample \"11\": unknown country/catalog \"RU\"")),
        "{stderr}"
    );
}
