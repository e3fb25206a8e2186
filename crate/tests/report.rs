//! The report partners can check: input fingerprints (name, size, SHA-256) carried by the
//! analysis and the JSON, equal in the CLI and the pipeline; the HTML report's contents in two
//! languages; the public edition without exact station coordinates or external resources.

use borderless::io::InputFile;
use borderless::model::lang::Lang;
use borderless::model::message::Message;
use borderless::outreach::report::{report_html, ReportOptions, VERSION};
use borderless::pipeline::{analyze_files, sha256_hex, Analysis, AnalysisOptions};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_borderless");

/// The demo as the page loads it (www/main.js `DEMO`), with the SHA-256 of each file computed
/// independently with coreutils: `cd www/demo && sha256sum cn.zip ru.zip links.csv border.geojson`
/// (sizes from `stat -c %s`).
const DEMO: [(&str, u64, &str); 4] = [
    ("cn.zip", 22658, "c153a48e57fac3ffc96682dacb723b3fbb5db8626405112708f5bd78bf48f52c"),
    ("ru.zip", 22574, "f08d1ba9fadd6720dfdd3a08146d97f526ef76e2eaf4b6d6f54810aa8fe6e5ba"),
    ("links.csv", 410, "e4f55a805236611a33bf46bfcba59af4ae3c888395c4f035eeb545947719af54"),
    ("border.geojson", 2230, "fd982d07e15246943ffa178e79b38416a66c41dd53c1da1c31056f8f5dd3e63f"),
];

fn page_demo() -> Vec<InputFile> {
    let dir = support::demo_dir();
    DEMO.iter().map(|(n, _, _)| InputFile::new(*n, std::fs::read(dir.join(n)).unwrap())).collect()
}

fn demo_analysis() -> Analysis {
    analyze_files(page_demo(), &AnalysisOptions::default(), &mut |_| {})
}

#[test]
fn sha256_of_known_strings() {
    // FIPS 180-4 examples (NIST CSRC "Example Algorithms", SHA-256): "" and the 448-bit message.
    assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(
        sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

#[test]
fn the_analysis_carries_each_input_as_given() {
    let a = demo_analysis();
    let got: Vec<(&str, u64, &str)> = a.inputs.iter().map(|i| (i.name.as_str(), i.bytes, i.sha256.as_str())).collect();
    assert_eq!(got, DEMO.to_vec());
    // And the JSON report (the page's "report (JSON)" download) holds them.
    let json = borderless::pipeline::export::report_json(&a);
    assert_eq!(json["inputs"][1]["sha256"], DEMO[1].2);
    assert_eq!(json["inputs"][2]["bytes"], 410);
    // An analysis read back without the field (older JSON) has no inputs.
    let mut v = serde_json::to_value(&a).unwrap();
    v.as_object_mut().unwrap().remove("inputs");
    assert!(serde_json::from_value::<Analysis>(v).unwrap().inputs.is_empty());
}

#[test]
fn cli_json_has_the_same_hashes_and_numbers_as_the_pipeline() {
    let dir = support::demo_dir();
    let out = std::process::Command::new(BIN)
        .current_dir(&dir)
        .args(["crossborder", "--catalog", "CN=cn.zip", "--catalog", "RU=ru.zip"])
        .args(["--links", "links.csv", "--border", "border.geojson", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = demo_analysis();
    let page = borderless::pipeline::export::report_json(&a);
    for k in 0..4 {
        // The CLI names a catalog's zip after the catalog (CN.zip); the bytes are the same.
        assert_eq!(cli["inputs"][k]["sha256"], page["inputs"][k]["sha256"], "input {k}");
        assert_eq!(cli["inputs"][k]["bytes"], page["inputs"][k]["bytes"], "input {k}");
    }
    assert_eq!(cli["inputs"][2]["name"], "links.csv");
    assert_eq!(cli["summary"], page["summary"]);
}

fn opts(lang: Lang, public: bool) -> ReportOptions {
    ReportOptions { lang, public, date: "2026-12-07".into(), ..Default::default() }
}

#[test]
fn expert_report_in_english_and_chinese() {
    let a = demo_analysis();
    let countries = borderless::io::topojson::read_countries("basemap", &support::site_basemap()).unwrap();
    // Numbers worked out from the demo's truth: 30 CN + 34 RU individuals, 45 unique, 19 in
    // both; (64 − 45) / 45 = 42.2 %.
    assert_eq!(a.crossborder.summary.unique_individuals, 45);
    for lang in [Lang::En, Lang::Zh] {
        let html = report_html(&a, &countries, None, &opts(lang, false)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("Borderless {VERSION}")) || html.contains(VERSION), "version");
        for (_, bytes, sha) in DEMO {
            assert!(html.contains(sha), "{sha} in {lang:?}");
            assert!(html.contains(&format!(">{bytes}<")), "{bytes} bytes");
        }
        for n in ["<dd>45</dd>", "<dd>19</dd>", "<dd>30</dd>", "<dd>34</dd>", "<dd>64</dd>", "<dd>42.2%</dd>"] {
            assert!(html.contains(n), "{n} in {lang:?}");
        }
        assert!(html.contains("Karney"), "methods cite Karney 2013");
        assert!(html.contains("@media print") && html.contains("size:A4"));
        assert!(
            html.contains("--catalog CN=cn.zip --catalog RU=ru.zip --links links.csv --border border.geojson --json")
        );
        // The joint catalog table: one row per individual.
        assert_eq!(html.matches("<tr><td class=\"nowrap\">").count(), a.crossborder.individuals.len());
        assert!(html.matches("<svg").count() >= 4, "map and three charts");
    }
    let zh = report_html(&a, &countries, None, &opts(Lang::Zh, false)).unwrap();
    assert!(zh.contains("<h2>方法</h2>") && zh.contains("<h2>如何核对</h2>") && zh.contains("<html lang=\"zh-Hans\""));
    let en = report_html(&a, &countries, None, &opts(Lang::En, false)).unwrap();
    assert!(en.contains("<h2>Methods</h2>") && en.contains("<h2>How to check</h2>"));
    // Russian numbers in the catalog use a decimal comma.
    let ru = report_html(&a, &countries, None, &opts(Lang::Ru, false)).unwrap();
    assert!(ru.contains(&format!("<h2>{}</h2>", Message::new("outreach.report.h_methods").text(Lang::Ru))));
}

#[test]
fn public_report_has_no_exact_station_location_and_nothing_external() {
    let a = demo_analysis();
    let countries = borderless::io::topojson::read_countries("basemap", &support::site_basemap()).unwrap();
    let html = report_html(&a, &countries, None, &opts(Lang::En, true)).unwrap();
    let expert = report_html(&a, &countries, None, &opts(Lang::En, false)).unwrap();
    let mut checked = 0;
    for c in &a.catalogs {
        for s in &c.stations {
            for x in [s.position.lat, s.position.lon] {
                let text = format!("{x}");
                assert!(text.len() >= 7, "{text}: a demo coordinate has five decimals");
                assert!(!html.contains(&text), "station {} coordinate {text} in the public report", s.id);
                checked += 1;
            }
            assert!(!html.contains(&format!(">{}<", s.id)), "station id {}", s.id);
        }
    }
    assert!(checked > 20);
    // Still the numbers and hashes, but no catalog table and the generalised map only.
    assert!(html.contains("<dd>45</dd>") && html.contains(DEMO[0].2));
    for i in &a.crossborder.individuals {
        assert!(!html.contains(&format!(">{}</td>", i.id)), "{}", i.id);
        assert!(expert.contains(&format!(">{}</td>", i.id)), "{}", i.id);
    }
    assert!(html.contains(&Message::new("outreach.report.catalog_omitted").text(Lang::En)));
    for doc in [&html, &expert] {
        let lower = doc.to_lowercase();
        for bad in ["<script", "<link", "<img", "<iframe", "src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!lower.contains(bad), "{bad}");
        }
    }
}

/// The report's estimates section holds each closed model's N̂, SE and 95% interval as
/// `borderless closed --json` prints them for the same files and occasion length (a separate
/// process and code path: the CLI's `closed` command builds the histories itself).
#[test]
fn report_estimates_equal_the_closed_command() {
    use borderless::outreach::report::closed_estimates;
    let dir = support::demo_dir();
    let out = std::process::Command::new(BIN)
        .current_dir(&dir)
        .args(["closed", "--catalog", "CN=cn.zip", "--catalog", "RU=ru.zip"])
        .args(["--links", "links.csv", "--occasion-days", "15", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success() || out.status.code() == Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let a = demo_analysis();
    let countries = borderless::io::topojson::read_countries("basemap", &support::site_basemap()).unwrap();
    let mut o = opts(Lang::En, false);
    o.occasion_days = Some(15.0);
    let closed = closed_estimates(page_demo(), &o);
    let html = report_html(&a, &countries, closed.as_ref(), &o).unwrap();
    let section = &html[html.find("<section id=\"estimates\">").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    let mut fitted = 0;
    for row in &cli {
        let model = row["model"].as_str().unwrap();
        assert!(section.contains(&format!("<td>{model}")), "{model}");
        let Some(n) = row["N"].as_f64() else { continue };
        let se = row["se"].as_f64().unwrap();
        let cells = format!("<td class=\"num\">{n:.1}</td><td class=\"num\">{se:.1}</td>");
        assert!(section.contains(&cells), "{model}: {cells}");
        if let (Some(l), Some(u)) = (row["lcl"].as_f64(), row["ucl"].as_f64()) {
            assert!(section.contains(&format!("{l:.1} – {u:.1}")), "{model} interval");
        }
        fitted += 1;
    }
    assert!(fitted >= 5, "most closed models fit the demo: {fitted}");
    // 45 joint individuals against the sum of national counts, 64, in the introduction.
    assert!(section.contains("45 individuals") && section.contains("is 64"), "{section}");
    assert!(section.contains("Jackknife (Burnham–Overton, order"));
    // The best model by AIC is marked once.
    assert_eq!(section.matches("(lowest AIC)").count(), 1);
    // Without files the report says it has no estimates; in Chinese too.
    let none = report_html(&a, &countries, None, &opts(Lang::Zh, false)).unwrap();
    assert!(none.contains(&Message::new("outreach.report.no_estimates").text(Lang::Zh)));
}
