//! Every message code the sources name exists in the catalogue (`crate/i18n/<area>.json`), in all
//! five languages — wherever the code is written (`Message::new("…")`, a `match` arm, a table of
//! codes), not only in `Message::new` calls; and the messages the demo survey produces read in
//! each language without English words (beyond symbols, IDs, names and units).

use borderless::model::lang::Lang;
use borderless::model::message::{catalogue_entries, Message, Param};
use std::collections::BTreeMap;
use std::path::Path;

mod support;

/// Areas whose codes are checked (every area of the catalogue).
const AREAS: &[&str] = &[
    "general",
    "io",
    "identity",
    "estimation",
    "secr",
    "activity",
    "waterbirds",
    "privacy",
    "render",
    "pipeline",
    "outreach",
    "cli",
];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// String literals of the form `"area.word.word…"` (lower case, digits, `_`, dots).
fn code_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('"') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('"') else { break };
        let lit = &after[..j];
        let looks = lit.contains('.')
            && lit.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            && !lit.ends_with('.')
            && !lit.contains("..");
        if looks {
            let area = lit.split('.').next().unwrap();
            if AREAS.contains(&area) && lit.split('.').count() >= 2 {
                out.push(lit.to_string());
            }
        }
        rest = &after[j + 1..];
    }
    out
}

#[test]
fn every_code_literal_is_in_the_catalogue() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let known = catalogue_entries();
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for code in code_literals(&text) {
            // File names such as "general.json" are not codes.
            if code.ends_with(".json") || code.ends_with(".rs") || code.ends_with(".csv") {
                continue;
            }
            if !known.contains_key(&code) {
                missing.insert(code, f.display().to_string());
            }
        }
    }
    assert!(missing.is_empty(), "codes named in the sources but not in crate/i18n/*.json: {missing:#?}");
}

#[test]
fn species_names_are_in_the_catalogue() {
    for s in borderless::model::species::SPECIES {
        for l in Lang::ALL {
            let name = s.common(l);
            assert!(!name.is_empty() && name != s.code(), "{} has no name in {l}", s.scientific);
        }
    }
}

/// Words that may stay as they are in any language: statistical symbols and model names as
/// ecologists write them, units, file formats and identifiers.
const ALLOWED: &[&str] = &[
    "SECR",
    "RPSV",
    "CC",
    "TRUE",
    "AIC",
    "BIC",
    "IRLS",
    "glm",
    "eta",
    "beta1",
    "beta2",
    "exp",
    "intercept",
    "CSV",
    "GeoJSON",
    "Camtrap",
    "DP",
    "camtrapR",
    "datapackage",
    "json",
    "zip",
    "UTM",
    "EPSG",
    "utm",
    "km",
    "Dhat1",
    "Dhat4",
    "M0",
    "Mt",
    "Mh",
    "Mth",
    "Mb",
    "Mbh",
    "Chao",
    "LB",
    "Poisson2",
    "Darroch",
    "Gamma3",
    "CN",
    "RU",
    "links",
    "csv",
    "SIMULATED",
    "secr",
];

/// Latin-letter words of a text that are not allowed, IDs (with digits or dashes) and names
/// given as parameters left aside.
fn english_words(text: &str, params: &[String]) -> Vec<String> {
    let mut cleaned = text.to_string();
    for p in params {
        if !p.is_empty() {
            cleaned = cleaned.replace(p.as_str(), " ");
        }
    }
    cleaned
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == ':' || c == '-'))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '_' || c == '-' || c == ':' || c == '.'))
        .filter(|w| w.len() > 1 && !ALLOWED.contains(w))
        .map(str::to_string)
        .collect()
}

fn text_params(m: &Message, out: &mut Vec<String>) {
    for p in m.params.values() {
        match p {
            Param::Text(t) => out.push(t.clone()),
            Param::Msg(inner) => text_params(inner, out),
            _ => {}
        }
    }
}

/// The messages of the demo's candidate evidence, joint catalog, chart notes and closed models
/// contain no English word in zh, ru, ko or mn.
#[test]
fn demo_messages_are_translated() {
    use borderless::identity::candidates::CandidateOptions;
    use borderless::pipeline::review::ReviewSession;
    let files: Vec<_> = support::demo_files().into_iter().filter(|f| f.name != "links.csv").collect();
    let session = ReviewSession::open(files, &Default::default(), &mut |_| {});
    let list = session.candidates(&[], &CandidateOptions::default()).unwrap();
    let mut messages: Vec<Message> =
        list.candidates.iter().flat_map(|c| c.evidence.iter().map(|e| e.message.clone())).collect();
    messages.push(list.options_used.sigma_source_code.clone());
    let cp = borderless::estimation::closed_population(session.loaded.survey(), 15.0).unwrap();
    for m in &cp.models {
        if let Some(f) = &m.fit {
            messages.extend(f.warnings_codes.iter().cloned());
        }
        messages.extend(m.error_code.iter().cloned());
    }
    assert!(messages.len() > 100, "{} messages", messages.len());
    let mut problems = Vec::new();
    for m in &messages {
        assert!(m.is_translated(), "untranslated: {m}");
        let mut params = Vec::new();
        text_params(m, &mut params);
        for l in [Lang::Zh, Lang::Ru, Lang::Ko, Lang::Mn] {
            let t = m.text(l);
            let words = english_words(&t, &params);
            if !words.is_empty() {
                problems.push(format!("[{l}] {t}: {words:?}"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
