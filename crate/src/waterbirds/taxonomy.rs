//! Species names: the AviList 2025 backbone with the names of BirdLife/HBW 2024 and eBird/Clements
//! 2021–2024 linked to it (generated from the PyPI package `birdnames`, MIT, by
//! `scripts/waterbirds_data.py`), and curated common names in Chinese, Russian, Korean and
//! Mongolian for the region's waterbirds (each with its source, `data/names.tsv`).
//!
//! Matching normalises case, spacing, hyphens, apostrophes and dots, ё/е, full-width forms and
//! author citations (`Grus vipio Pallas, 1811`); a trinomial resolves to its species. A name
//! that matches nothing, or two or more species, is never guessed: it comes back as
//! [`Match::Unmatched`] or [`Match::Ambiguous`] with the closest names as suggestions.
//!
//! ```
//! use borderless::waterbirds::taxonomy::{Taxonomy, Match};
//! let t = Taxonomy::get();
//! let a = t.lookup("Grus vipio").species().unwrap();          // BirdLife 2024 name
//! let b = t.lookup("antigone  VIPIO").species().unwrap();     // AviList 2025, any spacing/case
//! let c = t.lookup("白枕鹤").species().unwrap();               // Chinese
//! let d = t.lookup("Даурский журавль").species().unwrap();    // Russian
//! assert!(a == b && b == c && c == d);
//! assert_eq!(t.species(a).scientific, "Antigone vipio");
//! assert!(matches!(t.lookup("Bean Goose"), Match::Ambiguous { .. })); // a lump: two AviList species
//! ```

use crate::model::lang::Lang;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Waterbird families as counted by Wetlands International's *Waterbird Population Estimates*,
/// the source of the 1% thresholds used for Ramsar Criterion 6 (Resolution VI.4): the species of
/// these families make up the total of Criterion 5. Keep in step with the generator.
pub const WATERBIRD_FAMILIES: [&str; 30] = [
    "Gaviidae",
    "Podicipedidae",
    "Pelecanidae",
    "Phalacrocoracidae",
    "Anhingidae",
    "Ardeidae",
    "Balaenicipitidae",
    "Scopidae",
    "Ciconiidae",
    "Threskiornithidae",
    "Phoenicopteridae",
    "Anhimidae",
    "Anatidae",
    "Pedionomidae",
    "Gruidae",
    "Aramidae",
    "Rallidae",
    "Heliornithidae",
    "Eurypygidae",
    "Jacanidae",
    "Rostratulidae",
    "Dromadidae",
    "Haematopodidae",
    "Ibidorhynchidae",
    "Recurvirostridae",
    "Burhinidae",
    "Glareolidae",
    "Charadriidae",
    "Scolopacidae",
    "Laridae",
];

/// The checklist the accepted names follow.
pub const ACCEPTED_CHECKLIST: &str = "AviList 2025";

const TAXONOMY_TSV: &str = include_str!("data/taxonomy.tsv");
const NAMES_TSV: &str = include_str!("data/names.tsv");

/// Index of a species in [`Taxonomy::all`].
pub type SpeciesId = u32;

/// One accepted species (AviList 2025).
#[derive(Debug, Clone, Serialize)]
pub struct Species {
    pub id: SpeciesId,
    pub scientific: String,
    pub english: String,
    pub family: String,
    /// IUCN Red List category as AviList 2025 gives it ("NE" where it is not assessed as a species).
    pub iucn: String,
    /// Whether the family is a waterbird family (counts towards Criterion 5).
    pub waterbird: bool,
    /// Curated names in zh, ru, ko, mn (empty = not confirmed), with their sources.
    pub names: [String; 4],
    pub sources: [String; 4],
}

impl Species {
    /// The name in a language: English, or the curated name, or the scientific name where no
    /// name is confirmed.
    pub fn name(&self, lang: Lang) -> &str {
        let n = match lang {
            Lang::En => &self.english,
            Lang::Zh => &self.names[0],
            Lang::Ru => &self.names[1],
            Lang::Ko => &self.names[2],
            Lang::Mn => &self.names[3],
        };
        if n.is_empty() {
            &self.scientific
        } else {
            n
        }
    }
}

/// How a name was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Scientific,
    English,
    /// A scientific or English name of another checklist (a synonym).
    Synonym,
    Subspecies,
    Chinese,
    Russian,
    Korean,
    Mongolian,
}

/// What a name matched.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    One { species: SpeciesId, kind: NameKind, checklists: String },
    Ambiguous { species: Vec<SpeciesId>, checklists: String },
    Unmatched { suggestions: Vec<String> },
}

impl Match {
    /// The species if the name matched exactly one.
    pub fn species(&self) -> Option<SpeciesId> {
        match self {
            Match::One { species, .. } => Some(*species),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    species: Vec<SpeciesId>,
    kind: NameKind,
    checklists: String,
}

/// The species backbone and the name index.
#[derive(Debug)]
pub struct Taxonomy {
    species: Vec<Species>,
    index: HashMap<String, Entry>,
    /// Display form of every indexed name, by normalised key (for suggestions).
    display: Vec<(String, String)>,
    /// Accepted names whose meaning differs in another checklist: (species, checklist, other species).
    concepts: Vec<(SpeciesId, String, Vec<SpeciesId>)>,
}

/// Normalises a name for matching: case, spacing, hyphens, apostrophes, dots and underscores,
/// ё/е, full-width forms; drops an author citation after a binomial.
///
/// ```
/// use borderless::waterbirds::taxonomy::normalize;
/// assert_eq!(normalize("Taiga Bean-Goose"), normalize("taiga bean goose"));
/// assert_eq!(normalize("Чёрный журавль"), normalize("черный  журавль"));
/// assert_eq!(normalize("Grus vipio Pallas, 1811"), normalize("Grus vipio"));
/// assert_eq!(normalize("Anser cygnoid (Linnaeus, 1758)"), "ansercygnoid");
/// ```
pub fn normalize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            // Full-width ASCII forms (U+FF01..U+FF5E) to ASCII; ideographic space to space.
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    // Author citation: "Genus species Author, 1811" or "Genus species (Author, 1811)".
    if let Some(p) = s.find(['(', ',']) {
        let head = &s[..p];
        if head.split_whitespace().count() >= 2 && head.chars().all(|c| c.is_ascii() || c.is_whitespace()) {
            s = head.to_string();
        }
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() >= 3
        && words[0].chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && words[1].chars().all(|c| c.is_ascii_lowercase())
        && words[2].chars().next().is_some_and(|c| c.is_ascii_uppercase())
    {
        s = words[..2].join(" "); // "Grus vipio Pallas" (author without year)
    }
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '‑' | '–' | '—' | '\'' | '’' | '.' | '_' | '·'))
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

impl Taxonomy {
    /// The embedded taxonomy (parsed once).
    pub fn get() -> &'static Taxonomy {
        static T: OnceLock<Taxonomy> = OnceLock::new();
        T.get_or_init(|| Taxonomy::parse(TAXONOMY_TSV, NAMES_TSV))
    }

    fn parse(taxonomy: &str, names: &str) -> Taxonomy {
        let mut species = Vec::new();
        let mut synonyms: Vec<(&str, &str, Vec<SpeciesId>)> = Vec::new();
        for line in taxonomy.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            match f[0] {
                "S" => species.push(Species {
                    id: species.len() as SpeciesId,
                    scientific: f[1].to_string(),
                    english: f[2].to_string(),
                    family: f[3].to_string(),
                    iucn: f.get(4).unwrap_or(&"").to_string(),
                    waterbird: WATERBIRD_FAMILIES.contains(&f[3]),
                    names: Default::default(),
                    sources: Default::default(),
                }),
                "N" => synonyms.push((f[1], f[2], f[3].split('|').filter_map(|i| i.parse().ok()).collect())),
                _ => {}
            }
        }
        let by_sci: HashMap<String, SpeciesId> = species.iter().map(|s| (s.scientific.clone(), s.id)).collect();
        for line in names.lines().filter(|l| !l.starts_with('#') && !l.starts_with("scientific\t")) {
            let f: Vec<&str> = line.split('\t').collect();
            if let Some(&id) = by_sci.get(f[0]) {
                let s = &mut species[id as usize];
                for k in 0..4 {
                    s.names[k] = f.get(1 + 2 * k).unwrap_or(&"").to_string();
                    s.sources[k] = f.get(2 + 2 * k).unwrap_or(&"").to_string();
                }
            }
        }
        let mut t = Taxonomy { species, index: HashMap::new(), display: Vec::new(), concepts: Vec::new() };
        let accepted: Vec<(String, SpeciesId, NameKind)> = t
            .species
            .iter()
            .flat_map(|s| {
                let mut v = vec![(s.scientific.clone(), s.id, NameKind::Scientific)];
                if !s.english.is_empty() {
                    v.push((s.english.clone(), s.id, NameKind::English));
                }
                let kinds = [NameKind::Chinese, NameKind::Russian, NameKind::Korean, NameKind::Mongolian];
                for (n, k) in s.names.iter().zip(kinds) {
                    if !n.is_empty() {
                        v.push((n.clone(), s.id, k));
                    }
                }
                v
            })
            .collect();
        for (name, id, kind) in accepted {
            t.insert(&name, vec![id], kind, ACCEPTED_CHECKLIST);
        }
        for (name, checklists, ids) in synonyms {
            let key = normalize(name);
            // An accepted AviList name keeps its AviList meaning; a wider meaning elsewhere is
            // a concept conflict shown in the joint species list.
            if let Some(e) = t.index.get(&key) {
                if e.kind == NameKind::Scientific && e.species.len() == 1 {
                    let own = e.species[0];
                    let others: Vec<SpeciesId> = ids.iter().copied().filter(|&i| i != own).collect();
                    if !others.is_empty() {
                        t.concepts.push((own, checklist_label(checklists), others));
                    }
                    continue;
                }
            }
            let kind = if name.split_whitespace().count() == 3 && name.chars().next().is_some_and(|c| c.is_uppercase())
            {
                NameKind::Subspecies
            } else {
                NameKind::Synonym
            };
            t.insert(name, ids, kind, &checklist_label(checklists));
        }
        t.display.sort();
        t
    }

    fn insert(&mut self, name: &str, ids: Vec<SpeciesId>, kind: NameKind, checklists: &str) {
        let key = normalize(name);
        if key.is_empty() {
            return;
        }
        match self.index.get_mut(&key) {
            Some(e) => {
                for i in ids {
                    if !e.species.contains(&i) {
                        e.species.push(i);
                    }
                }
                e.species.sort_unstable();
            }
            None => {
                self.display.push((key.clone(), name.to_string()));
                self.index.insert(key, Entry { species: ids, kind, checklists: checklists.to_string() });
            }
        }
    }

    /// All accepted species.
    pub fn all(&self) -> &[Species] {
        &self.species
    }

    /// One species by id.
    pub fn species(&self, id: SpeciesId) -> &Species {
        &self.species[id as usize]
    }

    /// The species with this accepted (AviList 2025) scientific name.
    pub fn by_scientific(&self, name: &str) -> Option<SpeciesId> {
        match self.index.get(&normalize(name)) {
            Some(e) if e.kind == NameKind::Scientific => e.species.first().copied(),
            _ => None,
        }
    }

    /// Other checklists in which the accepted name of `id` covers more species.
    pub fn concept_conflicts(&self, id: SpeciesId) -> impl Iterator<Item = (&str, &[SpeciesId])> {
        self.concepts.iter().filter(move |c| c.0 == id).map(|c| (c.1.as_str(), c.2.as_slice()))
    }

    /// Looks a name up (see the module docs for the normalisation).
    pub fn lookup(&self, name: &str) -> Match {
        let key = normalize(name);
        let hit = self.index.get(&key).or_else(|| {
            // A trinomial not listed: try its species.
            let w: Vec<&str> = name.split_whitespace().collect();
            (w.len() == 3 && w[0].chars().next().is_some_and(|c| c.is_ascii_uppercase()))
                .then(|| self.index.get(&normalize(&w[..2].join(" "))))
                .flatten()
        });
        match hit {
            Some(e) if e.species.len() == 1 => {
                Match::One { species: e.species[0], kind: e.kind, checklists: e.checklists.clone() }
            }
            Some(e) => Match::Ambiguous { species: e.species.clone(), checklists: e.checklists.clone() },
            None => Match::Unmatched { suggestions: self.suggest(&key, 3) },
        }
    }

    /// The `n` indexed names closest to a normalised key (Levenshtein distance over characters,
    /// at most a third of the name's length), each shown as "name (Scientific name)".
    pub fn suggest(&self, key: &str, n: usize) -> Vec<String> {
        let k: Vec<char> = key.chars().collect();
        if k.is_empty() {
            return Vec::new();
        }
        let limit = (k.len() / 3).max(1);
        let mut scored: Vec<(usize, &str, &str)> = self
            .display
            .iter()
            .filter(|(dk, _)| dk.chars().count().abs_diff(k.len()) <= limit)
            .filter_map(|(dk, shown)| {
                let d = levenshtein(&k, dk, limit)?;
                Some((d, dk.as_str(), shown.as_str()))
            })
            .collect();
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, dk, shown) in scored {
            let e = &self.index[dk];
            let label = if e.species.len() == 1 {
                let s = &self.species[e.species[0] as usize];
                if s.scientific == shown {
                    shown.to_string()
                } else {
                    format!("{shown} ({})", s.scientific)
                }
            } else {
                shown.to_string()
            };
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

fn checklist_label(tags: &str) -> String {
    let mut bl = false;
    let mut eb: Vec<&str> = Vec::new();
    let mut avi = false;
    for t in tags.split(',') {
        match t {
            "birdlife2024" => bl = true,
            "avilist2025" => avi = true,
            t if t.starts_with("ebird") => eb.push(&t[5..]),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    if avi {
        parts.push("AviList 2025".to_string());
    }
    if bl {
        parts.push("BirdLife/HBW 2024".to_string());
    }
    match eb.as_slice() {
        [] => {}
        [y] => parts.push(format!("eBird/Clements {y}")),
        [a, .., b] => parts.push(format!("eBird/Clements {a}–{b}")),
    }
    parts.join(", ")
}

/// Levenshtein distance, or `None` once it must exceed `limit`.
fn levenshtein(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= limit).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_languages() {
        let t = Taxonomy::get();
        let swan_goose = t.by_scientific("Anser cygnoides").unwrap();
        for n in ["Anser cygnoid", "anser cygnoides", "Swan Goose", "鸿雁", "Сухонос", "개리"] {
            assert_eq!(t.lookup(n).species(), Some(swan_goose), "{n}");
        }
        let hooded = t.by_scientific("Grus monacha").unwrap();
        for n in ["Hooded Crane", "白头鹤", "Черный журавль", "흑두루미", "Хар тогоруу"] {
            assert_eq!(t.lookup(n).species(), Some(hooded), "{n}");
        }
        assert_eq!(t.lookup("Cygnus columbianus bewickii").species(), t.by_scientific("Cygnus columbianus"));
        assert!(t.species(hooded).waterbird);
    }

    #[test]
    fn unmatched_names_get_suggestions() {
        let t = Taxonomy::get();
        match t.lookup("Grus monacka") {
            Match::Unmatched { suggestions } => assert_eq!(suggestions[0], "Grus monacha"),
            m => panic!("{m:?}"),
        }
        match t.lookup("Zzzz qqqq") {
            Match::Unmatched { suggestions } => assert!(suggestions.is_empty()),
            m => panic!("{m:?}"),
        }
    }

    #[test]
    fn lumps_are_concept_conflicts() {
        let t = Taxonomy::get();
        let fabalis = t.by_scientific("Anser fabalis").unwrap();
        let c: Vec<_> = t.concept_conflicts(fabalis).collect();
        assert_eq!(c.len(), 1);
        assert_eq!(t.species(c[0].1[0]).scientific, "Anser serrirostris");
    }
}
