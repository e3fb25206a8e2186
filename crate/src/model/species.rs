//! Species known to Borderless: scientific names, common names in the five interface languages
//! (en, zh, ru, ko, mn) and how sensitive their locations are.
//!
//! Sensitivity follows GBIF's guidance (Chapman 2020, *Current Best Practices for Generalizing
//! Sensitive Species Occurrence Data*, GBIF Secretariat, Copenhagen,
//! <https://doi.org/10.15468/doc-5jp4-5g10>): species at risk from poaching or disturbance are
//! generalised to a coarse grid or withheld, less sensitive ones to 0.1° or 0.01°. Unknown
//! species are treated as the most sensitive mapped category (big cats).
//!
//! ```
//! use borderless::model::{lang::Lang, species};
//! let tiger = species::lookup("Panthera tigris altaica").unwrap();
//! assert_eq!(tiger.common(Lang::En), "Amur tiger");
//! assert_eq!(species::common_name("  panthera   TIGRIS  ", Lang::Zh), "虎");
//! // A subspecies Borderless does not list falls back to its species.
//! assert_eq!(species::lookup("Panthera tigris sumatrae").unwrap().scientific, "Panthera tigris");
//! assert_eq!(species::common_name("Felis catus", Lang::En), "Felis catus");
//! ```

use crate::model::lang::Lang;
use crate::model::message::Message;
use serde::{Deserialize, Serialize};

/// How precisely a species' locations may be made public (Chapman 2020, §3 and table 2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sensitivity {
    /// Never mapped at all: only counted as withheld (people on camera).
    Suppress,
    /// Generalised to cells of a fixed equal-area grid of `grid_km` km (the outreach option
    /// `grid_km` replaces this default); individual identities withheld.
    Withhold { grid_km: f64 },
    /// Generalised to 0.1° cells; individual identities withheld.
    Generalise01,
    /// Generalised to 0.01° cells.
    Generalise001,
    /// Not sensitive; still published at no finer than 0.01° (camera positions are not public).
    Open,
}

impl Sensitivity {
    /// The default grid of the big-cat category (km).
    pub const BIG_CAT_GRID_KM: f64 = 10.0;

    /// The category of species Borderless does not know: as sensitive as a big cat.
    pub const UNKNOWN: Sensitivity = Sensitivity::Withhold { grid_km: Self::BIG_CAT_GRID_KM };

    /// Whether individual identities are withheld (counts only).
    pub fn withholds_individuals(self) -> bool {
        !matches!(self, Sensitivity::Generalise001 | Sensitivity::Open)
    }
}

/// One species (or higher taxon) Borderless knows. Its common names are in the message
/// catalogue (`crate/i18n/general.json`, code `general.species.<scientific name in lower case,
/// spaces as _>`), with every other word Borderless shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpeciesInfo {
    pub scientific: &'static str,
    pub sensitivity: Sensitivity,
}

impl SpeciesInfo {
    /// The message code of the common name, e.g. `general.species.panthera_tigris_altaica`.
    pub fn code(&self) -> String {
        format!("general.species.{}", self.scientific.to_lowercase().replace(' ', "_"))
    }

    /// The common name in `lang`.
    ///
    /// ```
    /// use borderless::model::{lang::Lang, species::lookup};
    /// assert_eq!(lookup("Panthera uncia").unwrap().common(Lang::Ru), "Снежный барс");
    /// ```
    pub fn common(&self, lang: Lang) -> String {
        Message::new(&self.code()).text(lang)
    }
}

const BIG_CAT: Sensitivity = Sensitivity::Withhold { grid_km: Sensitivity::BIG_CAT_GRID_KM };
const G01: Sensitivity = Sensitivity::Generalise01;
const G001: Sensitivity = Sensitivity::Generalise001;
const OPEN: Sensitivity = Sensitivity::Open;

macro_rules! sp {
    ($sci:literal, $s:expr) => {
        SpeciesInfo { scientific: $sci, sensitivity: $s }
    };
}

/// Every species Borderless knows. Big cats, bears, musk deer and cranes/spoonbills are
/// poached or disturbed; their locations are generalised most.
pub static SPECIES: &[SpeciesInfo] = &[
    sp!("Panthera tigris altaica", BIG_CAT),
    sp!("Panthera tigris", BIG_CAT),
    sp!("Panthera pardus orientalis", BIG_CAT),
    sp!("Panthera pardus", BIG_CAT),
    sp!("Panthera uncia", BIG_CAT),
    sp!("Homo sapiens", Sensitivity::Suppress),
    sp!("Platalea minor", G01),
    sp!("Grus vipio", G01),
    sp!("Grus monacha", G01),
    sp!("Lynx lynx", G01),
    sp!("Ursus arctos", G01),
    sp!("Ursus thibetanus", G01),
    sp!("Moschus moschiferus", G01),
    sp!("Prionailurus bengalensis", G01),
    sp!("Canis lupus", G01),
    sp!("Cervus canadensis", G001),
    sp!("Cervus elaphus", G001),
    sp!("Cervus nippon", G001),
    sp!("Sus scrofa", G001),
    sp!("Capreolus pygargus", G001),
    // Camtrap DP 1.0 example package (../shared/reference/camtrapdp-example).
    sp!("Vulpes vulpes", OPEN),
    sp!("Martes foina", OPEN),
    sp!("Mustela putorius", OPEN),
    sp!("Anas platyrhynchos", OPEN),
    sp!("Anas strepera", OPEN),
    sp!("Mareca strepera", OPEN),
    sp!("Ardea cinerea", OPEN),
    sp!("Ardea", OPEN),
    sp!("Aves", OPEN),
    sp!("Rattus norvegicus", OPEN),
];

/// Normalises a scientific name: trimmed, inner whitespace collapsed, genus capitalised and
/// the rest lower case.
fn normalise(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let mut out = words.join(" ");
    if let Some(first) = out.get(..1) {
        out = first.to_uppercase() + &out[1..];
    }
    out
}

/// The species with this scientific name, tolerant of case and whitespace; a trinomial that is
/// not listed falls back to its binomial (subspecies → species).
///
/// ```
/// use borderless::model::{lang::Lang, species::{lookup, Sensitivity}};
/// assert_eq!(lookup("grus  vipio").unwrap().common(Lang::Mn), "Цэн тогоруу");
/// assert_eq!(lookup("Homo sapiens").unwrap().sensitivity, Sensitivity::Suppress);
/// assert!(lookup("").is_none());
/// ```
pub fn lookup(scientific: &str) -> Option<&'static SpeciesInfo> {
    let n = normalise(scientific);
    if n.is_empty() {
        return None;
    }
    let find = |name: &str| SPECIES.iter().find(|s| s.scientific == name);
    find(&n).or_else(|| {
        let words: Vec<&str> = n.split(' ').collect();
        (words.len() > 2).then(|| find(&words[..2].join(" "))).flatten()
    })
}

/// The species' common name in `lang`; the scientific name as given when unknown.
pub fn common_name(scientific: &str, lang: Lang) -> String {
    lookup(scientific).map(|s| s.common(lang)).unwrap_or_else(|| scientific.trim().to_string())
}

/// The sensitivity of a species; unknown or missing species are as sensitive as a big cat.
///
/// ```
/// use borderless::model::species::{sensitivity, Sensitivity};
/// assert_eq!(sensitivity(Some("Sus scrofa")), Sensitivity::Generalise001);
/// assert_eq!(sensitivity(Some("Felis catus")), Sensitivity::UNKNOWN);
/// assert_eq!(sensitivity(None), Sensitivity::UNKNOWN);
/// ```
pub fn sensitivity(scientific: Option<&str>) -> Sensitivity {
    scientific.and_then(lookup).map(|s| s.sensitivity).unwrap_or(Sensitivity::UNKNOWN)
}

/// One entry of [`species_list`]: common names keyed by language code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeciesEntry {
    pub scientific: &'static str,
    pub common: std::collections::BTreeMap<&'static str, String>,
    pub sensitivity: Sensitivity,
}

/// Every known species, for the page (`speciesList()`).
///
/// ```
/// let list = borderless::model::species::species_list();
/// assert_eq!(list[0].common["ko"], "시베리아호랑이");
/// ```
pub fn species_list() -> Vec<SpeciesEntry> {
    SPECIES
        .iter()
        .map(|s| SpeciesEntry {
            scientific: s.scientific,
            common: Lang::ALL.iter().map(|&l| (l.code(), s.common(l))).collect(),
            sensitivity: s.sensitivity,
        })
        .collect()
}

/// Whether the scientific name `name` is covered by the filter `want`: compared without regard
/// to case or repeated spaces, and by rank, so that a species includes its subspecies
/// (`Panthera tigris` covers `Panthera tigris altaica`) and a genus its species.
///
/// ```
/// use borderless::model::species::matches_filter;
/// assert!(matches_filter("panthera TIGRIS", "Panthera tigris altaica"));
/// assert!(!matches_filter("Panthera tigris altaica", "Panthera tigris"));
/// assert!(!matches_filter("Panthera tig", "Panthera tigris"));
/// ```
pub fn matches_filter(want: &str, name: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    let (w, n) = (norm(want), norm(name));
    !w.is_empty() && n.len() >= w.len() && n[..w.len()] == w[..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_complete() {
        for (i, s) in SPECIES.iter().enumerate() {
            assert_eq!(normalise(s.scientific), s.scientific, "{} is not in normal form", s.scientific);
            for l in Lang::ALL {
                let c = s.common(l);
                assert!(!c.trim().is_empty() && c != s.code(), "{} lacks a common name in {l}", s.scientific);
            }
            assert!(SPECIES[..i].iter().all(|o| o.scientific != s.scientific), "{} listed twice", s.scientific);
        }
    }

    #[test]
    fn required_species_are_known() {
        for name in [
            "Panthera tigris altaica",
            "Panthera pardus orientalis",
            "Panthera uncia",
            "Platalea minor",
            "Grus vipio",
            "Grus monacha",
            "Lynx lynx",
            "Ursus arctos",
            "Ursus thibetanus",
            "Sus scrofa",
            "Capreolus pygargus",
            "Cervus canadensis",
            "Cervus elaphus",
            "Moschus moschiferus",
            "Prionailurus bengalensis",
            "Canis lupus",
            "Homo sapiens",
            "Cervus nippon",
        ] {
            assert_eq!(lookup(name).map(|s| s.scientific), Some(name));
        }
        assert_eq!(lookup("Panthera pardus japonensis").unwrap().scientific, "Panthera pardus");
        assert_eq!(lookup("PANTHERA\tuncia\n").unwrap().common(Lang::Zh), "雪豹");
    }
}
