//! The message catalogue (`crate/i18n/<area>.json`, shared by the core and the page): every
//! code the core uses exists, in all five languages, with the same placeholders everywhere.

use borderless::model::lang::Lang;
use borderless::model::message::{catalogue_entries, Entry, CATALOGUE_FILES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn placeholders(entry: &Entry) -> BTreeSet<String> {
    let texts: Vec<&String> = match entry {
        Entry::Text(t) => vec![t],
        Entry::Plural(forms) => forms.values().collect(),
    };
    let mut out = BTreeSet::new();
    for t in texts {
        let mut rest = t.as_str();
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            let Some(j) = after.find('}') else { break };
            out.insert(after[..j].to_string());
            rest = &after[j + 1..];
        }
    }
    out
}

#[test]
fn catalogue_is_complete_and_consistent() {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (area, json) in CATALOGUE_FILES {
        let raw: serde_json::Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("crate/i18n/{area}.json is not valid JSON: {e}"));
        let langs: BTreeSet<&str> = raw.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(langs, ["en", "ko", "mn", "ru", "zh"].into_iter().collect(), "{area}.json");
        for code in raw["en"].as_object().unwrap().keys() {
            if !code.starts_with(&format!("{area}.")) {
                problems.push(format!("{area}.json: code {code} is not prefixed with '{area}.'"));
            }
            if let Some(other) = seen.insert(code.clone(), area) {
                problems.push(format!("{code} is in both {other}.json and {area}.json"));
            }
        }
    }
    for (code, per_lang) in catalogue_entries() {
        let Some(en) = per_lang.get(&Lang::En) else {
            problems.push(format!("{code}: no English entry"));
            continue;
        };
        let want = placeholders(en);
        for lang in Lang::ALL {
            match per_lang.get(&lang) {
                None => problems.push(format!("{code}: no {lang} entry")),
                Some(e) => {
                    let got = placeholders(e);
                    // A language may leave out `n` when its wording needs no number.
                    let extra: Vec<_> = got.difference(&want).collect();
                    let missing: Vec<_> = want.difference(&got).filter(|p| *p != "n").collect();
                    if !extra.is_empty() || !missing.is_empty() {
                        problems.push(format!(
                            "{code} [{lang}]: placeholders differ (extra {extra:?}, missing {missing:?})"
                        ));
                    }
                    if let Entry::Plural(forms) = e {
                        if !forms.contains_key("other") {
                            problems.push(format!("{code} [{lang}]: plural forms without 'other'"));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every `Message::new("code")` of the sources has a catalogue entry.
#[test]
fn every_code_in_the_sources_is_in_the_catalogue() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let known = catalogue_entries();
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("Message::new(\"") {
            let after = &rest[i + "Message::new(\"".len()..];
            let code: String = after.chars().take_while(|&c| c != '"').collect();
            if !known.contains_key(&code) && code != "no.such.code" {
                missing.insert(code, f.display().to_string());
            }
            rest = after;
        }
    }
    assert!(missing.is_empty(), "codes used but not in crate/i18n/*.json: {missing:#?}");
}

/// One issue as seen: file, row, column, code and English text.
type Seen = (String, Option<usize>, Option<String>, String, String);

/// Every issue of `reports` has a code of its own and reads differently in Chinese than in
/// English (so a partner reading in Chinese sees no English sentence); returns the issues as
/// (file, row, column, code, English text).
fn all_translated(reports: &[borderless::io::FileReport]) -> Vec<Seen> {
    let mut out = Vec::new();
    for r in reports {
        for i in &r.issues {
            let m = i.msg();
            let (en, zh) = (m.text(Lang::En), m.text(Lang::Zh));
            assert_ne!(m.code, "text", "{}: untranslated message {:?}", r.file, i.message);
            assert_ne!(zh, en, "{}: {} reads the same in Chinese: {en:?}", r.file, m.code);
            assert_eq!(en, i.message, "{}: the English text is the issue's message", r.file);
            out.push((r.file.clone(), i.row, i.column.clone(), m.code.clone(), en));
        }
    }
    out
}

#[test]
fn malformed_reader_inputs_give_translated_messages() {
    use borderless::io::{camtrapdp, camtrapr, InputFile};
    // camtrapR: one good record; then an unknown station, a time in the wrong format, a
    // truncated row, a duplicate of row 2, a time after retrieval and an empty station.
    let stations = InputFile::new(
        "st.csv",
        "Station,lat,lon,Setup_date,Retrieval_date\n\
         StationA,43.1,131.9,01/05/2023,30/06/2023\n\
         StationB,43.2,131.95,01/05/2023,30/06/2023\n",
    );
    let records = InputFile::new(
        "rec.csv",
        "Station,Species,Individual,DateTimeOriginal\n\
         StationA,Panthera tigris,T01,2023-05-10 21:15:00\n\
         StationZ,Panthera tigris,T01,2023-05-11 21:15:00\n\
         StationB,Panthera tigris,T02,20.05.2023 03:40\n\
         StationB,Panthera tigris\n\
         StationA,Panthera tigris,T01,2023-05-10 21:15:00\n\
         StationB,Panthera tigris,T02,2023-07-02 01:00:00\n\
         ,Panthera tigris,T02,2023-05-12 01:00:00\n",
    );
    let opts = camtrapr::CamtraprOptions {
        name: "CN",
        crs: None,
        utc_offset: None,
        date_format: None,
        datetime_format: None,
        species: None,
    };
    let (cat, reports) = camtrapr::read_tables(&stations, &records, &opts);
    assert_eq!(cat.expect("the good record is read").detections.len(), 1);
    let got = all_translated(&reports);
    let at = |row: usize| {
        got.iter().find(|g| g.0 == "rec.csv" && g.1 == Some(row)).map(|g| (g.2.as_deref(), g.3.as_str(), g.4.as_str()))
    };
    assert_eq!(
        at(3),
        Some((
            Some("Station"),
            "io.camtrapr.unknown_station",
            "station 'StationZ' is not in the station table (or was rejected there)"
        ))
    );
    assert_eq!(
        at(4),
        Some((
            Some("DateTimeOriginal"),
            "io.camtrapr.datetime_mismatch",
            "'20.05.2023 03:40' does not match %Y-%m-%d %H:%M:%S"
        ))
    );
    assert_eq!(
        at(5),
        Some((Some("Individual"), "io.csv.too_few_fields", "row has 2 fields but the header has 4 (truncated?)"))
    );
    assert_eq!(
        at(6),
        Some((
            Some("DateTimeOriginal"),
            "io.camtrapr.duplicate",
            "duplicate of row 2 (same station, individual and time); counted once"
        ))
    );
    assert_eq!(
        at(7),
        Some((
            Some("DateTimeOriginal"),
            "io.camtrapr.outside_station",
            "2023-07-02 01:00:00 is outside station 'StationB' setup..retrieval (2023-05-01 to 2023-06-30)"
        ))
    );
    assert_eq!(at(8), Some((Some("Station"), "io.camtrapr.empty", "Station is empty")));
    let notes: Vec<&str> = got.iter().filter(|g| g.1.is_none()).map(|g| g.3.as_str()).collect();
    assert!(notes.contains(&"io.camtrapr.date_format_detected"), "{notes:?}");
    assert!(notes.contains(&"io.camtrapr.no_offset"), "{notes:?}");

    // Camtrap DP: a deployment with a latitude that is not a number, one that ends before it
    // starts; observations at an unknown and a rejected deployment, with a time without
    // offset, an unknown observationLevel, a truncated row and a time outside its deployment.
    let descriptor = r#"{"profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
        "name": "t", "resources": [
        {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
        {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}]}"#;
    let deployments = "deploymentID,latitude,longitude,deploymentStart,deploymentEnd\n\
        D1,43.6,131.1,2024-11-03T04:05:00+08:00,2025-04-29T05:52:00+08:00\n\
        D2,N43.5,131.1,2024-11-03T04:05:00+08:00,2025-04-29T05:52:00+08:00\n\
        D3,43.5,131.2,2025-04-29T05:52:00+08:00,2024-11-03T04:05:00+08:00\n";
    let observations =
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,D1,2024-12-01T02:00:00+08:00,event,animal,Panthera tigris,T1\n\
        o2,D9,2024-12-01T02:00:00+08:00,event,animal,Panthera tigris,T1\n\
        o3,D2,2024-12-01T02:00:00+08:00,event,animal,Panthera tigris,T1\n\
        o4,D1,2024-12-01T02:00:00,event,animal,Panthera tigris,T1\n\
        o5,D1,2024-12-01T02:00:00+08:00,frame,animal,Panthera tigris,T1\n\
        o6,D1,2024-12-01T02:00:00+08:00\n\
        o7,D1,2026-01-01T00:00:00+08:00,event,animal,Panthera tigris,T1\n";
    let files = [
        InputFile::new("p/datapackage.json", descriptor),
        InputFile::new("p/deployments.csv", deployments),
        InputFile::new("p/observations.csv", observations),
    ];
    let refs: Vec<&InputFile> = files.iter().collect();
    let (cat, reports) = camtrapdp::read_package("p/", &refs, &camtrapdp::PackageOptions::default());
    assert_eq!(cat.expect("the package is read").detections.len(), 1);
    let got = all_translated(&reports);
    let at = |file: &str, row: usize| {
        got.iter().find(|g| g.0 == file && g.1 == Some(row)).map(|g| (g.2.as_deref(), g.3.as_str(), g.4.as_str()))
    };
    let dep = "p/deployments.csv";
    let obs = "p/observations.csv";
    assert_eq!(at(dep, 3), Some((Some("latitude"), "io.camtrapdp.not_number", "'N43.5' is not a number")));
    assert_eq!(
        at(dep, 4),
        Some((
            Some("deploymentEnd"),
            "io.camtrapdp.end_before_start",
            "deploymentEnd 2024-11-03 04:05:00 +08:00 is before deploymentStart 2025-04-29 05:52:00 +08:00"
        ))
    );
    assert_eq!(
        at(obs, 3),
        Some((
            Some("deploymentID"),
            "io.camtrapdp.unknown_deployment",
            "deploymentID 'D9' is not in the deployments table"
        ))
    );
    assert_eq!(
        at(obs, 4),
        Some((
            Some("deploymentID"),
            "io.camtrapdp.deployment_rejected",
            "deployment 'D2' was rejected (deployments row 3), so its observations cannot be placed"
        ))
    );
    assert_eq!(
        at(obs, 5),
        Some((
            Some("eventStart"),
            "io.time.no_offset",
            "timestamp '2024-12-01T02:00:00' has no UTC offset (Camtrap DP requires e.g. 2021-03-27T21:38:18+01:00)"
        ))
    );
    assert_eq!(
        at(obs, 6),
        Some((
            Some("observationLevel"),
            "io.camtrapdp.bad_level",
            "observationLevel 'frame' is not 'media' or 'event'"
        ))
    );
    assert_eq!(
        at(obs, 7),
        Some((Some("observationLevel"), "io.csv.too_few_fields", "row has 3 fields but the header has 7 (truncated?)"))
    );
    assert_eq!(
        at(obs, 8),
        Some((
            Some("eventStart"),
            "io.camtrapdp.outside_deployment_dates",
            "eventStart 2026-01-01T00:00:00+08:00 is outside deployment 'D1' (2024-11-03T04:05:00+08:00 to 2025-04-29T05:52:00+08:00)"
        ))
    );
}
