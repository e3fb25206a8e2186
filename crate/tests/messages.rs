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
