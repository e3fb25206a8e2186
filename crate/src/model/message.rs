//! Messages a user sees: a stable code plus named parameters, translated when shown.
//!
//! The core never writes a sentence for a user directly: it builds a [`Message`]
//! (`Message::new("io.csv.missing_columns").with("columns", "lat, lon").with("n", 2)`), and
//! whoever shows it — the CLI, the page — turns it into text in the user's language with
//! [`Message::text`]. The English text is also the stable form partners' scripts read (the
//! CLI's `FILE, row N, column 'C': error: …` lines and the JSON report's `message` fields).
//!
//! The catalogue is one JSON file per area, `crate/i18n/<area>.json` (listed in
//! [`CATALOGUE_FILES`]), shared by the core and the page (the page reads the same files): each
//! `{"en": {code: entry}, "zh": {…}, "ru": {…}, "ko": {…}, "mn": {…}}`, codes prefixed with their
//! area. An entry is a template with `{name}` placeholders, or an object of CLDR plural
//! forms (`one`, `few`, `many`, `other`) chosen by the parameter `n`. A code missing in a
//! language falls back to English; a code missing everywhere shows as the code and its
//! parameters, never as an empty string.
//!
//! ```
//! use borderless::model::{lang::Lang, message::Message};
//! let m = Message::new("io.csv.missing_columns").with("columns", "lat, lon").with("n", 2);
//! assert_eq!(m.text(Lang::En), "required columns missing from the header: lat, lon");
//! assert_eq!(m.to_string(), m.text(Lang::En));
//! assert!(m.text(Lang::Ru).contains("lat, lon"));
//! ```

use super::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// One parameter of a message: an integer, a number, a text, or another message (translated
/// with it: `{"code": …, "params": …}` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Param {
    Int(i64),
    Num(f64),
    Text(String),
    Msg(Box<Message>),
}

impl Param {
    /// The parameter as written in `lang` (a message is translated).
    fn text(&self, lang: Lang) -> String {
        match self {
            Param::Msg(m) => m.text(lang),
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Int(i) => write!(f, "{i}"),
            Param::Num(x) => write!(f, "{x}"),
            Param::Text(s) => f.write_str(s),
            Param::Msg(m) => write!(f, "{m}"),
        }
    }
}

impl From<Message> for Param {
    fn from(m: Message) -> Self {
        Param::Msg(Box::new(m))
    }
}

macro_rules! param_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Param {
            fn from(v: $t) -> Self {
                Param::Int(v as i64)
            }
        }
    )*};
}
param_from_int!(i32, i64, u8, u16, u32, u64, usize);

impl From<f64> for Param {
    fn from(v: f64) -> Self {
        Param::Num(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_string())
    }
}
impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}
impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(v.clone())
    }
}

/// The code of a message whose text was written before codes existed, or comes from outside
/// (a library's error): shown as it is, in every language.
pub const UNTRANSLATED: &str = "text";

fn untranslated_code() -> String {
    UNTRANSLATED.to_string()
}

/// A message for a user: a code and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The code; a message read without one is untranslated (code `text`).
    #[serde(default = "untranslated_code")]
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Param>,
}

impl Message {
    /// A message with no parameters yet.
    pub fn new(code: &str) -> Message {
        Message { code: code.to_string(), params: BTreeMap::new() }
    }

    /// Adds (or replaces) the parameter `name`.
    pub fn with(mut self, name: &str, value: impl Into<Param>) -> Message {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// A text that has no code: shown as it is, in every language. For text from outside the
    /// core (a library's error message) and for messages not yet given a code.
    pub fn untranslated(text: impl Into<String>) -> Message {
        Message::new(UNTRANSLATED).with("text", text.into())
    }

    /// Whether this message has a code of its own (is translated).
    pub fn is_translated(&self) -> bool {
        self.code != UNTRANSLATED
    }

    /// The message in `lang` (falling back to English, then to the code and its parameters).
    pub fn text(&self, lang: Lang) -> String {
        let cat = catalogue();
        let entry = cat.get(&(lang, self.code.clone())).or_else(|| cat.get(&(Lang::En, self.code.clone())));
        match entry {
            Some(e) => fill(e.pick(lang, self.params.get("n")), &self.params, lang),
            None if !self.is_translated() => self.params.get("text").map(Param::to_string).unwrap_or_default(),
            None => {
                let args: Vec<String> = self.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                if args.is_empty() {
                    self.code.clone()
                } else {
                    format!("{}({})", self.code, args.join(", "))
                }
            }
        }
    }
}

impl std::fmt::Display for Message {
    /// The English text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::untranslated(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::untranslated(text)
    }
}

impl From<&String> for Message {
    fn from(text: &String) -> Self {
        Message::untranslated(text.clone())
    }
}

/// A catalogue entry: one template, or CLDR plural forms.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

impl Entry {
    fn pick(&self, lang: Lang, n: Option<&Param>) -> &str {
        match self {
            Entry::Text(t) => t,
            Entry::Plural(forms) => {
                let n = match n {
                    Some(Param::Int(i)) => *i as f64,
                    Some(Param::Num(x)) => *x,
                    _ => f64::NAN,
                };
                let cat = plural_category(lang, n);
                forms.get(cat).or_else(|| forms.get("other")).map(String::as_str).unwrap_or("")
            }
        }
    }
}

/// The CLDR plural category of `n` in `lang` (cardinal): `one`, `few`, `many` or `other`.
///
/// ```
/// use borderless::model::{lang::Lang, message::plural_category};
/// assert_eq!(plural_category(Lang::Ru, 21.0), "one");
/// assert_eq!(plural_category(Lang::Ru, 3.0), "few");
/// assert_eq!(plural_category(Lang::Ru, 11.0), "many");
/// assert_eq!(plural_category(Lang::En, 1.0), "one");
/// assert_eq!(plural_category(Lang::Zh, 1.0), "other");
/// ```
pub fn plural_category(lang: Lang, n: f64) -> &'static str {
    let integer = n.is_finite() && n.fract() == 0.0;
    match lang {
        Lang::En | Lang::Mn => {
            if n == 1.0 {
                "one"
            } else {
                "other"
            }
        }
        Lang::Zh | Lang::Ko => "other",
        Lang::Ru => {
            if !integer {
                return "other";
            }
            let i = n.abs() as u64;
            let (m10, m100) = (i % 10, i % 100);
            if m10 == 1 && m100 != 11 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
    }
}

/// Fills `{name}` placeholders; an unknown placeholder is left as it is. `{name:D}` (D a digit)
/// writes a number with D decimals and the language's decimal mark (`4.0`, in Russian `4,0`),
/// without thousands grouping, so English reads exactly as Rust's `{:.D}` writes it.
fn fill(template: &str, params: &BTreeMap<String, Param>, lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if is_placeholder(&after[..j]) => {
                let (name, digits) = match after[..j].split_once(':') {
                    Some((n, d)) => (n, d.parse::<usize>().ok()),
                    None => (&after[..j], None),
                };
                match (params.get(name), digits) {
                    (Some(Param::Num(x)), Some(d)) => out.push_str(&fixed(*x, d, lang)),
                    (Some(Param::Int(x)), Some(d)) => out.push_str(&fixed(*x as f64, d, lang)),
                    (Some(v), _) => out.push_str(&v.text(lang)),
                    (None, _) => out.push_str(&rest[i..i + j + 2]),
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name` or `name:D` (D one or two digits).
fn is_placeholder(s: &str) -> bool {
    let (name, spec) = s.split_once(':').unwrap_or((s, "0"));
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (1..=2).contains(&spec.len())
        && spec.chars().all(|c| c.is_ascii_digit())
}

/// `x` with `digits` decimals and the decimal mark of `lang` (a comma in Russian, as
/// [`Lang::number`]), not grouped.
pub fn fixed(x: f64, digits: usize, lang: Lang) -> String {
    let s = format!("{x:.digits$}");
    match lang {
        Lang::Ru => s.replace('.', ","),
        _ => s,
    }
}

/// The catalogue as shipped: one JSON file per area (`crate/i18n/<area>.json`), in this order.
pub const CATALOGUE_FILES: &[(&str, &str)] = &[
    ("general", include_str!("../../i18n/general.json")),
    ("io", include_str!("../../i18n/io.json")),
    ("identity", include_str!("../../i18n/identity.json")),
    ("estimation", include_str!("../../i18n/estimation.json")),
    ("secr", include_str!("../../i18n/secr.json")),
    ("activity", include_str!("../../i18n/activity.json")),
    ("waterbirds", include_str!("../../i18n/waterbirds.json")),
    ("privacy", include_str!("../../i18n/privacy.json")),
    ("render", include_str!("../../i18n/render.json")),
    ("pipeline", include_str!("../../i18n/pipeline.json")),
    ("outreach", include_str!("../../i18n/outreach.json")),
    ("cli", include_str!("../../i18n/cli.json")),
];

type Catalogue = HashMap<(Lang, String), Entry>;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut out = HashMap::new();
        for (area, json) in CATALOGUE_FILES {
            let raw: BTreeMap<String, BTreeMap<String, Entry>> = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("crate/i18n/{area}.json is not valid (a test checks it): {e}"));
            for (lang, entries) in raw {
                let Ok(lang) = lang.parse::<Lang>() else { continue };
                for (code, entry) in entries {
                    out.insert((lang, code), entry);
                }
            }
        }
        out
    })
}

/// Whether the catalogue has an English entry for `code`.
pub fn has_code(code: &str) -> bool {
    catalogue().contains_key(&(Lang::En, code.to_string()))
}

/// Every code of the catalogue with its entry per language (for checks and for the page).
pub fn catalogue_entries() -> BTreeMap<String, BTreeMap<Lang, Entry>> {
    let mut out: BTreeMap<String, BTreeMap<Lang, Entry>> = BTreeMap::new();
    for ((lang, code), e) in catalogue() {
        out.entry(code.clone()).or_default().insert(*lang, e.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_plurals() {
        let p: BTreeMap<String, Param> = [("a".to_string(), Param::Int(3))].into();
        assert_eq!(fill("x {a} {b} {", &p, Lang::En), "x 3 {b} {");
        let q: BTreeMap<String, Param> = [("d".to_string(), Param::Num(4.04)), ("k".to_string(), Param::Int(3))].into();
        assert_eq!(fill("{d:1} km, {k:2}, {d}", &q, Lang::En), "4.0 km, 3.00, 4.04");
        assert_eq!(fill("{d:1} км", &q, Lang::Ru), "4,0 км");
        assert_eq!(fill("{d:x}", &q, Lang::En), "{d:x}");
        let e = Entry::Plural([("one".into(), "{n} row".into()), ("other".into(), "{n} rows".into())].into());
        assert_eq!(e.pick(Lang::En, Some(&Param::Int(1))), "{n} row");
        assert_eq!(e.pick(Lang::En, Some(&Param::Int(2))), "{n} rows");
        assert_eq!(e.pick(Lang::Ru, Some(&Param::Int(2))), "{n} rows"); // no `few`: falls back to other
    }

    #[test]
    fn unknown_codes_show_code_and_parameters() {
        assert_eq!(Message::new("no.such.code").with("x", 1).text(Lang::Zh), "no.such.code(x=1)");
        assert_eq!(Message::untranslated("as is").text(Lang::Ko), "as is");
    }
}
