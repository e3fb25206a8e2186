//! Bad input: every problem is reported with its file (and row and column where they apply),
//! the rest of the analysis still runs, and every row is accounted for (`balanced()`).
//!
//! Each case modifies, in memory, one file of the shipped demo survey (www/demo). Row numbers
//! are spreadsheet rows: the header is row 1. Untouched, the demo gives 45 unique tigers, 19 on
//! both sides, CN 30 + RU 34 (see tests/overcount.rs for where those come from).

mod support;

use borderless::io::{FileReport, InputFile, Issue, Severity};
use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions};

fn text(files: &[InputFile], name: &str) -> String {
    String::from_utf8(files.iter().find(|f| f.name == name).unwrap().bytes.clone()).unwrap()
}

/// The demo with file `name` replaced by `edit(old text)`.
fn demo_with(name: &str, edit: impl FnOnce(&str) -> String) -> Vec<InputFile> {
    let mut files = support::demo_files_as_folders();
    let f = files.iter_mut().find(|f| f.name == name).unwrap_or_else(|| panic!("no {name}"));
    f.bytes = edit(&String::from_utf8(f.bytes.clone()).unwrap()).into_bytes();
    files
}

/// Sets `column` of spreadsheet row `row` (demo CSVs have no quoted fields).
fn set_field(text: &str, row: usize, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let c = lines[0].split(',').position(|h| h == column).unwrap();
    assert!(!lines[row - 1].contains('"'));
    let mut fields: Vec<&str> = lines[row - 1].split(',').collect();
    fields[c] = value;
    lines[row - 1] = fields.join(",");
    lines.join("\n") + "\n"
}

fn field(text: &str, row: usize, column: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let c = lines[0].split(',').position(|h| h == column).unwrap();
    lines[row - 1].split(',').nth(c).unwrap().to_string()
}

fn analyse(files: Vec<InputFile>) -> Analysis {
    let a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    for r in &a.reports {
        assert!(r.balanced(), "not balanced: {r:#?}");
        for i in &r.issues {
            assert_eq!(i.file, r.file);
        }
    }
    a
}

fn report<'a>(a: &'a Analysis, file: &str) -> &'a FileReport {
    a.reports.iter().find(|r| r.file == file).unwrap_or_else(|| panic!("no report for {file}: {:#?}", a.reports))
}

fn errors<'a>(a: &'a Analysis, file: &str) -> Vec<&'a Issue> {
    a.issues().filter(|i| i.file == file && i.severity == Severity::Error).collect()
}

/// The one error of `file`, at `row`/`column`, whose message contains `words`.
fn assert_error(a: &Analysis, file: &str, row: Option<usize>, column: Option<&str>, words: &[&str]) {
    let found = errors(a, file)
        .into_iter()
        .find(|i| i.row == row && i.column.as_deref() == column && words.iter().all(|w| i.message.contains(w)));
    assert!(found.is_some(), "no error in {file} at {row:?}/{column:?} with {words:?}: {:#?}", errors(a, file));
}

/// The demo's full result (45 / 19) despite the bad file.
fn assert_demo_intact(a: &Analysis) {
    let s = &a.crossborder.summary;
    assert_eq!((s.unique_individuals, s.transboundary_individuals, s.sum_of_national_counts), (45, 19, 64), "{s:#?}");
}

#[test]
fn empty_csv() {
    // An empty observations.csv fails its package; Russia is still analysed.
    let a = analyse(demo_with("cn/observations.csv", |_| String::new()));
    assert_error(&a, "cn/observations.csv", None, None, &["empty"]);
    assert!(report(&a, "cn/observations.csv").failed());
    assert_eq!(a.catalogs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["RU"]);
    // The 19 links (rows 2..20) name catalog CN, which is not loaded: each is rejected.
    let links = report(&a, "links.csv");
    assert_eq!((links.rows_read, links.rows_rejected), (19, 19));
    assert_error(&a, "links.csv", Some(2), Some("catalog_a"), &["'CN' is not loaded"]);
    let s = &a.crossborder.summary;
    assert_eq!((s.unique_individuals, s.transboundary_individuals), (34, 0));

    // An empty links table: no links, so every animal counts once per country.
    let a = analyse(demo_with("links.csv", |_| String::new()));
    assert_error(&a, "links.csv", None, None, &["empty"]);
    let s = &a.crossborder.summary;
    assert_eq!((s.unique_individuals, s.transboundary_individuals), (64, 0));

    // An empty deployments.csv: the observations of that package are reported as not read.
    let a = analyse(demo_with("ru/deployments.csv", |_| "\n".into()));
    assert_error(&a, "ru/deployments.csv", None, None, &["empty"]);
    assert_error(&a, "ru/observations.csv", None, None, &["not read"]);
    assert_eq!(a.crossborder.summary.unique_individuals, 30);
}

#[test]
fn truncated_csv() {
    // Row 10 of cn/observations.csv loses its last 3 of 14 fields: the first missing column is
    // the 12th, "sex" (header: observationID,...,lifeStage,sex,individualID,classificationMethod).
    let a = analyse(demo_with("cn/observations.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let f: Vec<&str> = lines[9].split(',').collect();
        assert_eq!(f.len(), 14);
        lines[9] = f[..11].join(",");
        lines.join("\n") + "\n"
    }));
    assert_error(&a, "cn/observations.csv", Some(10), Some("sex"), &["11 fields", "14", "truncated"]);
    assert_eq!(report(&a, "cn/observations.csv").rows_rejected, 1);
    // Row 10 is a roe deer (Capreolus pygargus, no individualID): the tigers are unchanged.
    assert_demo_intact(&a);

    // The file cut in the middle of its last row (row 528: `wc -l` gives 528 lines), inside
    // eventEnd: 6 fields remain, so observationLevel is the first missing column.
    let a = analyse(demo_with("cn/observations.csv", |t| {
        let last = t.trim_end().rfind('\n').unwrap() + 1;
        let fifth_comma = t[last..].match_indices(',').nth(4).unwrap().0;
        t[..last + fifth_comma + 12].to_string()
    }));
    let obs = report(&a, "cn/observations.csv");
    assert_eq!(obs.rows_read, 527);
    assert_error(&a, "cn/observations.csv", Some(528), Some("observationLevel"), &["6 fields", "truncated"]);
    assert_eq!(obs.rows_rejected, 1);
    assert_eq!(a.catalogs.len(), 2);
}

#[test]
fn deployments_missing_a_required_column() {
    let a = analyse(demo_with("cn/deployments.csv", |t| {
        t.lines()
            .map(|l| {
                let mut f: Vec<&str> = l.split(',').collect();
                f.remove(3); // latitude
                f.join(",") + "\n"
            })
            .collect()
    }));
    assert_error(&a, "cn/deployments.csv", Some(1), Some("latitude"), &["required column", "latitude"]);
    assert!(report(&a, "cn/deployments.csv").failed());
    // Not silently dropped: the observations are reported as not read.
    assert_error(&a, "cn/observations.csv", None, None, &["not read", "deployments.csv"]);
    assert_eq!(a.crossborder.summary.national_counts.len(), 1);
    assert_eq!(a.crossborder.summary.unique_individuals, 34);
}

#[test]
fn datapackage_that_is_not_json() {
    // Without the comma that ends line 17 (`"name": "borderless-demo-cn",`), the JSON breaks
    // where line 18 starts its next key, at character 3 (python3 json.loads on the same text:
    // "Expecting ',' delimiter: line 18 column 3").
    let a = analyse(demo_with("cn/datapackage.json", |t| {
        assert_eq!(t.lines().nth(16), Some(r#"  "name": "borderless-demo-cn","#));
        t.replacen(r#""name": "borderless-demo-cn","#, r#""name": "borderless-demo-cn""#, 1)
    }));
    assert_error(&a, "cn/datapackage.json", None, Some("line 18, character 3"), &["not valid JSON", "line 18"]);
    // A whole-file failure: the CLI exits non-zero on it.
    assert!(report(&a, "cn/datapackage.json").failed());
    assert!(a.failed_files().iter().any(|r| r.file == "cn/datapackage.json"));
    assert_error(&a, "cn/observations.csv", None, None, &["not read"]);
    assert_error(&a, "cn/deployments.csv", None, None, &["not read"]);
    assert_eq!(a.crossborder.summary.unique_individuals, 34);
}

#[test]
fn observation_with_unknown_deployment() {
    let a = analyse(demo_with("cn/observations.csv", |t| set_field(t, 5, "deploymentID", "CN-999")));
    assert_error(
        &a,
        "cn/observations.csv",
        Some(5),
        Some("deploymentID"),
        &["'CN-999'", "not in the deployments table"],
    );
    assert_eq!(report(&a, "cn/observations.csv").rows_rejected, 1);
    assert_eq!(a.catalogs.len(), 2);
}

#[test]
fn observation_outside_its_deployment() {
    // Unidentified rows (prey) are skipped before their time is checked, so take the first
    // tiger row: the first with an individualID.
    let files = support::demo_files_as_folders();
    let obs = text(&files, "cn/observations.csv");
    let row = (2..=obs.lines().count()).find(|&r| !field(&obs, r, "individualID").is_empty()).unwrap();
    let dep = field(&obs, row, "deploymentID");
    let a = analyse(demo_with("cn/observations.csv", |t| set_field(t, row, "eventStart", "2023-06-01T12:00:00+08:00")));
    assert_error(&a, "cn/observations.csv", Some(row), Some("eventStart"), &["outside deployment", &dep]);
    assert_eq!(report(&a, "cn/observations.csv").rows_rejected, 1);
    assert_eq!(a.catalogs.len(), 2);
}

#[test]
fn coordinates_out_of_range_or_swapped() {
    let files = support::demo_files_as_folders();
    let dep = text(&files, "cn/deployments.csv");
    // Row 3 (CN-002) as written: 43.58512, 131.13052 — written swapped below.
    let (lat3, lon3) = (field(&dep, 3, "latitude"), field(&dep, 3, "longitude"));
    let a = analyse(demo_with("cn/deployments.csv", |t| {
        let t = set_field(t, 2, "latitude", "95");
        let t = set_field(&t, 3, "latitude", &lon3);
        let t = set_field(&t, 3, "longitude", &lat3);
        set_field(&t, 4, "longitude", "200")
    }));
    let f = "cn/deployments.csv";
    assert_error(&a, f, Some(2), Some("latitude"), &["95", "outside [-90, 90]"]);
    assert_error(&a, f, Some(3), Some("latitude"), &["swapped"]);
    assert_error(&a, f, Some(4), Some("longitude"), &["200", "outside [-180, 180]"]);
    assert_eq!(report(&a, f).rows_rejected, 3);
    assert_eq!(a.catalogs.iter().find(|c| c.name == "CN").unwrap().stations.len(), 57);
    // Their observations are rejected too, naming the deployments row, not dropped: as many as
    // observations.csv has rows for CN-001, CN-002 and CN-003.
    let obs = text(&files, "cn/observations.csv");
    let n =
        obs.lines().skip(1).filter(|l| ["CN-001", "CN-002", "CN-003"].contains(&l.split(',').nth(1).unwrap())).count();
    assert!(n > 0);
    let r = report(&a, "cn/observations.csv");
    assert_eq!(r.rows_rejected, n);
    assert!(r
        .issues
        .iter()
        .any(|i| i.column.as_deref() == Some("deploymentID") && i.message.contains("deployments row 3")));
}

#[test]
fn links_naming_an_individual_no_catalog_has() {
    let a = analyse(demo_with("links.csv", |t| format!("{t}CN,CN-T99,RU,RU-T05\nCN,CN-T30,RU,RU-T99\n")));
    assert_error(&a, "links.csv", Some(21), Some("id_a"), &["'CN-T99'", "CN"]);
    assert_error(&a, "links.csv", Some(22), Some("id_b"), &["'RU-T99'", "RU"]);
    let r = report(&a, "links.csv");
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (21, 19, 2));
    assert_demo_intact(&a);
}

#[test]
fn malformed_geojson() {
    let cases: [(&str, &[&str]); 3] = [
        (r#"{"type": "FeatureCollection", "features": ["#, &["not valid JSON"]),
        (r#"{"hello": "world"}"#, &["not valid GeoJSON"]),
        (r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[130.5,43.0]}}"#, &["no line"]),
    ];
    for (json, words) in cases {
        let a = analyse(demo_with("border.geojson", |_| json.to_string()));
        let r = report(&a, "border.geojson");
        assert!(r.failed(), "{r:#?}");
        assert!(
            r.issues.iter().any(|i| i.row.is_none() && words.iter().all(|w| i.message.contains(w))),
            "{json}: {:#?}",
            r.issues
        );
        // Everything else is computed; only the distances are missing.
        assert_demo_intact(&a);
        assert!(a.crossborder.individuals.iter().all(|i| i.max_distance_from_border_km.is_none()));
    }
    // The Point feature itself is rejected as feature 1 (features[0]), saying why.
    let a = analyse(demo_with("border.geojson", |_| cases[2].0.to_string()));
    assert_error(&a, "border.geojson", Some(1), Some("features[0]"), &["Point"]);
    let r = report(&a, "border.geojson");
    assert_eq!((r.rows_read, r.rows_rejected), (1, 1));
    // Invalid JSON names where it broke: character 43 of line 1, the end of the text.
    let a = analyse(demo_with("border.geojson", |_| cases[0].0.to_string()));
    assert!(errors(&a, "border.geojson")
        .iter()
        .any(|i| i.column.as_deref() == Some("character 43") && i.message.contains("line 1")));
}

#[test]
fn timestamp_without_utc_offset() {
    // Row 7 is a tiger (`sed -n 7p www/demo/cn/observations.csv`: individualID CN-T01).
    let a = analyse(demo_with("cn/observations.csv", |t| {
        assert_eq!(field(t, 7, "individualID"), "CN-T01");
        set_field(t, 7, "eventStart", "2024-11-05T05:00:44")
    }));
    assert_error(&a, "cn/observations.csv", Some(7), Some("eventStart"), &["no UTC offset"]);
    let a = analyse(demo_with("ru/deployments.csv", |t| set_field(t, 5, "deploymentStart", "2024-11-03T10:00:00")));
    assert_error(&a, "ru/deployments.csv", Some(5), Some("deploymentStart"), &["no UTC offset"]);
    assert_eq!(a.catalogs.iter().find(|c| c.name == "RU").unwrap().stations.len(), 59);
}

#[test]
fn unrecognised_file() {
    let mut files = support::demo_files_as_folders();
    files.push(InputFile::new("notes.txt", "hello, world\n"));
    let a = analyse(files);
    assert_error(&a, "notes.txt", None, None, &["not recognised"]);
    assert_eq!(a.failed_files().len(), 1);
    assert_demo_intact(&a);
}
