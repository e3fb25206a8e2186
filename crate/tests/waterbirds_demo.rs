//! The SIMULATED Tumen estuary demo: the shipped files are what the seeded generator writes, and
//! the CLI's JSON on them shows the headline property — the complex qualifies as one
//! transboundary site for species (and for Criterion 5) for which no single wetland does.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use borderless::waterbirds::demo::{demo_files, DEMO_SEED};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn demo_dir() -> PathBuf {
    support::demo_dir().join("waterbirds")
}

#[test]
fn shipped_files_are_reproducible() {
    for (name, bytes) in demo_files(DEMO_SEED) {
        let shipped = std::fs::read(demo_dir().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            shipped == bytes,
            "{name} differs from the generator: run `borderless waterbirds --write-demo www/demo/waterbirds`"
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            name == "README.md" || (name.starts_with("SIMULATED-") && text.starts_with("# SIMULATED DATA")),
            "{name}"
        );
        assert!(text.contains("SIMULATED"));
    }
    // The CLI's check mode agrees.
    let st = Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["waterbirds", "--write-demo"])
        .arg(demo_dir())
        .arg("--check")
        .status()
        .unwrap();
    assert!(st.success());
}

/// `borderless waterbirds` on the three national demo files, with extra arguments.
fn run_demo(extra: &[&str]) -> std::process::Output {
    let d = demo_dir();
    let counts = ["CN", "KP", "RU"].map(|c| d.join(format!("SIMULATED-tumen-{c}-counts.csv")));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_borderless"));
    cmd.arg("waterbirds");
    for c in &counts {
        cmd.arg("--counts").arg(c);
    }
    cmd.arg("--sites").arg(d.join("SIMULATED-tumen-sites.csv"));
    cmd.args(["--season", "spring=03-05", "--season", "autumn=09-11"]).args(extra).output().unwrap()
}

#[test]
fn cli_shows_joint_only_qualification() {
    let out = run_demo(&["--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Every row of every file was used; no name failed to match.
    assert_eq!(j["unmatched_names"].as_array().unwrap().len(), 0);
    for rep in j["reports"].as_array().unwrap() {
        assert_eq!(rep["rows_rejected"], 0, "{rep}");
    }
    let c6 = j["criterion6"].as_array().unwrap();
    let cell = |unit: &str, season: &str, species: &str| {
        c6.iter().find(|c| c["unit"] == unit && c["season"] == season && c["species"] == species).cloned()
    };
    for (season, species) in [("spring", "Platalea minor"), ("autumn", "Antigone vipio"), ("autumn", "Anser cygnoides")]
    {
        let complex = cell("Tumen estuary", season, species).unwrap();
        assert_eq!(complex["qualifies"], true, "{species}");
        // The JSON shape of issue 11.
        for key in ["unit", "season", "species", "threshold", "peaks", "two_thirds", "five_year_mean", "qualifies"] {
            assert!(complex.get(key).is_some(), "{key}");
        }
        assert_eq!(complex["five_year_mean"]["seasons"].as_array().unwrap().len(), 5);
        for site in ["CN-JX", "CN-FC", "KP-RS", "RU-KH"] {
            let s = cell(site, season, species).unwrap();
            assert_eq!(s["qualifies"], false, "{site} {species}");
        }
    }
    let c5 = j["criterion5"].as_array().unwrap();
    let c5_of = |unit: &str| c5.iter().find(|c| c["unit"] == unit && c["season"] == "autumn").unwrap();
    assert_eq!(c5_of("Tumen estuary")["qualifies"], true);
    for site in ["CN-JX", "CN-FC", "KP-RS", "RU-KH"] {
        assert_eq!(c5_of(site)["qualifies"], false, "{site}");
    }
    // Adding national peaks over-counts: for each complex row, sum of site peaks >= synchronised.
    let joint = j["joint"].as_array().unwrap();
    assert!(!joint.is_empty());
    for r in joint {
        assert!(r["sum_of_site_peaks"].as_u64() >= r["synchronised_peak"].as_u64());
        for key in ["unit", "season", "species", "label", "overcount_percent"] {
            assert!(r.get(key).is_some());
        }
    }
    // The plain-text output names the same result.
    let text = run_demo(&["--lang", "zh"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.contains("Tumen estuary") && l.contains("黑脸琵鹭") && l.contains("QUALIFIES")),
        "{text}"
    );
}
