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
//! assert_eq!(tiger.common[0], "Amur tiger");
//! assert_eq!(species::common_name("  panthera   TIGRIS  ", Lang::Zh), "虎");
//! // A subspecies Borderless does not list falls back to its species.
//! assert_eq!(species::lookup("Panthera tigris sumatrae").unwrap().scientific, "Panthera tigris");
//! assert_eq!(species::common_name("Felis catus", Lang::En), "Felis catus");
//! ```

use crate::model::lang::Lang;
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

/// One species (or higher taxon) Borderless knows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpeciesInfo {
    pub scientific: &'static str,
    /// Common names in the order of [`Lang::pick`]: en, zh (simplified), ru, ko, mn.
    pub common: [&'static str; 5],
    pub sensitivity: Sensitivity,
}

const BIG_CAT: Sensitivity = Sensitivity::Withhold { grid_km: Sensitivity::BIG_CAT_GRID_KM };
const G01: Sensitivity = Sensitivity::Generalise01;
const G001: Sensitivity = Sensitivity::Generalise001;
const OPEN: Sensitivity = Sensitivity::Open;

macro_rules! sp {
    ($sci:literal, [$en:literal, $zh:literal, $ru:literal, $ko:literal, $mn:literal], $s:expr) => {
        SpeciesInfo { scientific: $sci, common: [$en, $zh, $ru, $ko, $mn], sensitivity: $s }
    };
}

/// Every species Borderless knows. Big cats, bears, musk deer and cranes/spoonbills are
/// poached or disturbed; their locations are generalised most.
pub static SPECIES: &[SpeciesInfo] = &[
    sp!("Panthera tigris altaica", ["Amur tiger", "东北虎", "Амурский тигр", "시베리아호랑이", "Амарын бар"], BIG_CAT),
    sp!("Panthera tigris", ["Tiger", "虎", "Тигр", "호랑이", "Бар"], BIG_CAT),
    sp!(
        "Panthera pardus orientalis",
        ["Amur leopard", "远东豹", "Дальневосточный леопард", "아무르표범", "Амарын цоохор ирвэс"],
        BIG_CAT
    ),
    sp!("Panthera pardus", ["Leopard", "豹", "Леопард", "표범", "Цоохор ирвэс"], BIG_CAT),
    sp!("Panthera uncia", ["Snow leopard", "雪豹", "Снежный барс", "눈표범", "Ирвэс"], BIG_CAT),
    sp!("Homo sapiens", ["Person", "人", "Человек", "사람", "Хүн"], Sensitivity::Suppress),
    sp!(
        "Platalea minor",
        ["Black-faced spoonbill", "黑脸琵鹭", "Малая колпица", "저어새", "Хар нүүрт халбагар хошуут"],
        G01
    ),
    sp!("Grus vipio", ["White-naped crane", "白枕鹤", "Даурский журавль", "재두루미", "Цэн тогоруу"], G01),
    sp!("Grus monacha", ["Hooded crane", "白头鹤", "Чёрный журавль", "흑두루미", "Хар тогоруу"], G01),
    sp!("Lynx lynx", ["Eurasian lynx", "猞猁", "Обыкновенная рысь", "스라소니", "Шилүүс"], G01),
    sp!("Ursus arctos", ["Brown bear", "棕熊", "Бурый медведь", "불곰", "Хүрэн баавгай"], G01),
    sp!(
        "Ursus thibetanus",
        ["Asiatic black bear", "亚洲黑熊", "Гималайский медведь", "반달가슴곰", "Хар баавгай"],
        G01
    ),
    sp!("Moschus moschiferus", ["Siberian musk deer", "原麝", "Кабарга", "사향노루", "Хүдэр"], G01),
    sp!("Prionailurus bengalensis", ["Leopard cat", "豹猫", "Бенгальская кошка", "삵", "Бенгал муур"], G01),
    sp!("Canis lupus", ["Grey wolf", "狼", "Волк", "늑대", "Чоно"], G01),
    sp!("Cervus canadensis", ["Wapiti", "马鹿", "Вапити", "와피티사슴", "Халиун буга"], G001),
    sp!("Cervus elaphus", ["Red deer", "西方马鹿", "Благородный олень", "붉은사슴", "Халиун буга"], G001),
    sp!("Cervus nippon", ["Sika deer", "梅花鹿", "Пятнистый олень", "꽃사슴", "Цоохор буга"], G001),
    sp!("Sus scrofa", ["Wild boar", "野猪", "Кабан", "멧돼지", "Зэрлэг гахай"], G001),
    sp!("Capreolus pygargus", ["Siberian roe deer", "西伯利亚狍", "Сибирская косуля", "노루", "Бор гөрөөс"], G001),
    // Camtrap DP 1.0 example package (../shared/reference/camtrapdp-example).
    sp!("Vulpes vulpes", ["Red fox", "赤狐", "Обыкновенная лисица", "붉은여우", "Үнэг"], OPEN),
    sp!("Martes foina", ["Beech marten", "石貂", "Каменная куница", "흰가슴담비", "Суусар булга"], OPEN),
    sp!("Mustela putorius", ["European polecat", "欧洲林鼬", "Лесной хорь", "유럽긴털족제비", "Өмхий хүрэн"], OPEN),
    sp!("Anas platyrhynchos", ["Mallard", "绿头鸭", "Кряква", "청둥오리", "Хошуут нугас"], OPEN),
    sp!("Anas strepera", ["Gadwall", "赤膀鸭", "Серая утка", "알락오리", "Бор нугас"], OPEN),
    sp!("Mareca strepera", ["Gadwall", "赤膀鸭", "Серая утка", "알락오리", "Бор нугас"], OPEN),
    sp!("Ardea cinerea", ["Grey heron", "苍鹭", "Серая цапля", "왜가리", "Саарал дэглий"], OPEN),
    sp!("Ardea", ["Herons", "鹭属", "Цапли", "왜가리속", "Дэглий"], OPEN),
    sp!("Aves", ["Birds", "鸟类", "Птицы", "조류", "Шувууд"], OPEN),
    sp!("Rattus norvegicus", ["Brown rat", "褐家鼠", "Серая крыса", "시궁쥐", "Саарал харх"], OPEN),
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
/// use borderless::model::species::{lookup, Sensitivity};
/// assert_eq!(lookup("grus  vipio").unwrap().common[4], "Цэн тогоруу");
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
    lookup(scientific).map(|s| lang.pick(s.common).to_string()).unwrap_or_else(|| scientific.trim().to_string())
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
    pub common: std::collections::BTreeMap<&'static str, &'static str>,
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
            common: Lang::ALL.iter().map(|l| (l.code(), l.pick(s.common))).collect(),
            sensitivity: s.sensitivity,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_complete() {
        for (i, s) in SPECIES.iter().enumerate() {
            assert_eq!(normalise(s.scientific), s.scientific, "{} is not in normal form", s.scientific);
            assert!(s.common.iter().all(|c| !c.trim().is_empty()), "{} lacks a common name", s.scientific);
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
        assert_eq!(lookup("PANTHERA\tuncia\n").unwrap().common[1], "雪豹");
    }
}
