//! The page's waterbird workspace (`pipeline::waterbirds::run_waterbirds`, behind the WASM export
//! `waterbirds`) gives the same numbers as `borderless waterbirds --json` on the SIMULATED Tumen
//! demo; files are told apart by content; the errors are messages with codes.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use borderless::io::InputFile;
use borderless::model::lang::Lang;
use borderless::pipeline::waterbirds::{run_waterbirds, WaterbirdRunOptions};
use borderless::render::maps::sites::SiteMapOptions;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const COUNTS: [&str; 3] =
    ["SIMULATED-tumen-CN-counts.csv", "SIMULATED-tumen-KP-counts.csv", "SIMULATED-tumen-RU-counts.csv"];
const SITES: &str = "SIMULATED-tumen-sites.csv";

fn dir() -> PathBuf {
    support::demo_dir().join("waterbirds")
}

fn cli_json(lang: &str) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_borderless"));
    cmd.current_dir(dir()).arg("waterbirds");
    for c in COUNTS {
        cmd.args(["--counts", c]);
    }
    cmd.args(["--sites", SITES, "--season", "spring=03-05", "--season", "autumn=09-11", "--lang", lang, "--json"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The demo files as the page drops them: the sites file among the count tables, no roles given.
fn dropped() -> Vec<InputFile> {
    let read = |n: &str| InputFile::new(n, std::fs::read(dir().join(n)).unwrap());
    vec![read(COUNTS[0]), read(SITES), read(COUNTS[1]), read(COUNTS[2])]
}

/// The value without the `text` fields (the only ones written in the chosen language).
fn without_text(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(without_text).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().filter(|(k, _)| *k != "text").map(|(k, x)| (k.clone(), without_text(x))).collect())
        }
        x => x.clone(),
    }
}

/// The first place where two values differ (a JSON path), if any.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, &format!("{path}.{k}")),
                _ => Some(format!("{path}.{k}: only on one side")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]")))
        }
        _ if a == b => None,
        // serde_json reads a printed float back to within one unit in the last place (without
        // its float_roundtrip feature): the CLI's numbers are compared to that precision.
        (Value::Number(x), Value::Number(y))
            if (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= 1e-12 * x.as_f64().unwrap().abs().max(1.0) =>
        {
            None
        }
        _ => Some(format!("{path}: {a} ≠ {b}")),
    }
}

#[test]
fn the_workspace_gives_the_cli_json_on_the_demo() {
    let run = run_waterbirds(dropped(), &WaterbirdRunOptions::default(), &[]).unwrap();
    let roles: Vec<(&str, &str)> = run.roles.iter().map(|r| (r.file.as_str(), r.role)).collect();
    assert_eq!(roles, [(COUNTS[0], "counts"), (SITES, "sites"), (COUNTS[1], "counts"), (COUNTS[2], "counts")]);
    let cli = cli_json("en");
    // The count tables come in the CLI's order (the sites file between them changes nothing).
    for part in ["criterion6", "criterion5", "joint", "species_list", "unmatched_names", "eaafp"] {
        assert_eq!(first_difference(&run.result[part], &cli[part], part), None);
    }
    assert_eq!(first_difference(&run.result, &cli, ""), None);
    // The README's headline, read from the numbers: the complex qualifies for Black-faced
    // Spoonbill in spring, and no single wetland does.
    let c6 = cli["criterion6"].as_array().unwrap();
    let spoonbill = |unit: &str| {
        c6.iter().find(|r| r["unit"] == unit && r["season"] == "spring" && r["species"] == "Platalea minor").unwrap()
    };
    let complex = spoonbill("Tumen estuary");
    let peaks: Vec<f64> = complex["peaks"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).collect();
    let threshold = complex["threshold"].as_f64().unwrap();
    let reached = peaks.iter().filter(|&&p| p >= threshold).count();
    assert!(peaks.len() >= 3 && 3 * reached >= 2 * peaks.len(), "{reached} of {}", peaks.len());
    assert_eq!(complex["qualifies"], true);
    for site in ["CN-JX", "KP-RS", "RU-KH"] {
        assert_eq!(spoonbill(site)["qualifies"], false, "{site}");
    }
}

#[test]
fn another_language_changes_only_names_and_texts() {
    let opts = WaterbirdRunOptions { lang: Lang::Ru, ..WaterbirdRunOptions::default() };
    let run = run_waterbirds(dropped(), &opts, &[]).unwrap();
    assert_eq!(first_difference(&without_text(&run.result), &without_text(&cli_json("ru")), ""), None);
    // Explanations are written in Russian: "reached in k of n seasons" keeps its numbers.
    let cell = &run.result["criterion6"][0]["explanation"][0];
    let text = cell["text"].as_str().unwrap();
    assert!(text.chars().any(|c| ('а'..='я').contains(&c)), "{text}");
    let reached = cell["params"]["reached"].as_i64().unwrap().to_string();
    assert!(text.contains(&reached), "{text}");
    // The species list CSV names the spoonbill in Russian.
    assert!(run.species_list_csv.contains("Малая колпица"));
    // The workbook is what the CLI writes with --species-list FILE.xlsx --lang ru.
    let path = std::env::temp_dir().join(format!("wb-species-{}.xlsx", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_borderless"));
    cmd.current_dir(dir()).arg("waterbirds");
    for c in COUNTS {
        cmd.args(["--counts", c]);
    }
    cmd.args(["--sites", SITES, "--season", "spring=03-05", "--season", "autumn=09-11", "--lang", "ru"]);
    assert!(cmd.arg("--species-list").arg(&path).output().unwrap().status.success());
    assert_eq!(std::fs::read(&path).unwrap(), run.species_list_xlsx);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn the_site_map_shows_each_sites_highest_total() {
    let opts = WaterbirdRunOptions { map: Some(SiteMapOptions::default()), ..WaterbirdRunOptions::default() };
    let run = run_waterbirds(dropped(), &opts, &[]).unwrap();
    let svg = run.map_svg.unwrap();
    assert_eq!(svg.matches("data-site=").count(), 4);
    let cli = cli_json("en");
    for site in cli["sites"]["sites"].as_array().unwrap() {
        let id = site["id"].as_str().unwrap();
        let peak = cli["criterion5"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["unit"] == id)
            .flat_map(|r| r["peaks"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()))
            .max()
            .unwrap();
        let label = format!(">{}: {peak}<", site["name"].as_str().unwrap());
        assert!(svg.contains(&label), "{label} not on the map");
    }
}

#[test]
fn roles_are_told_by_content_or_named() {
    let counts = InputFile::new("a.csv", "site,date,species,count\nA,2019-04-01,Grus monacha,5\n");
    let sites = InputFile::new("b.csv", "site,country,latitude,longitude\nA,CN,42.5,130.6\n");
    let thresholds = InputFile::new("c.csv", "species,population,estimate\nGrus monacha,EAAF,16000\n");
    let run =
        run_waterbirds(vec![thresholds.clone(), counts.clone(), sites.clone()], &Default::default(), &[]).unwrap();
    let roles: Vec<&str> = run.roles.iter().map(|r| r.role).collect();
    assert_eq!(roles, ["thresholds", "counts", "sites"]);
    // The user's estimate 16,000 gives the 1% level 160 (Ramsar rounding keeps 160).
    let t = run.result["thresholds"].as_array().unwrap();
    let hooded = t.iter().find(|x| x["scientific"] == "Grus monacha").unwrap();
    assert_eq!((hooded["threshold"].as_f64(), hooded["user_supplied"].as_bool()), (Some(160.0), Some(true)));

    // A sites file without coordinates is named by the options.
    let bare = InputFile::new("s.txt", "site,country\nA,CN\n");
    let mut opts = WaterbirdRunOptions::default();
    opts.roles.insert("s.txt".into(), "sites".into());
    let run = run_waterbirds(vec![counts.clone(), bare.clone()], &opts, &[]).unwrap();
    assert_eq!(run.roles[1].role, "sites");

    let err = |files: Vec<InputFile>, o: &WaterbirdRunOptions| run_waterbirds(files, o, &[]).unwrap_err();
    assert_eq!(err(vec![counts.clone()], &Default::default()).code, "pipeline.waterbirds.no_sites");
    let two = err(vec![counts.clone(), sites.clone(), sites.clone()], &Default::default());
    assert_eq!(
        (two.code.as_str(), two.text(Lang::En).contains("b.csv, b.csv")),
        ("pipeline.waterbirds.two_sites", true)
    );
    assert_eq!(err(vec![sites.clone()], &Default::default()).code, "pipeline.waterbirds.no_counts");
    opts.roles.insert("s.txt".into(), "stations".into());
    assert_eq!(err(vec![counts.clone(), bare], &opts).code, "pipeline.waterbirds.bad_role");
    let bad_season = WaterbirdRunOptions { seasons: vec!["spring=13-05".into()], ..Default::default() };
    assert_eq!(err(vec![counts, sites], &bad_season).code, "waterbirds.season.bad");
}
