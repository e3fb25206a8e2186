//! Every message the waterbird module shows a user, as a typed value: a stable code and its
//! parameters. [`Msg::message`] turns it into the crate's [`Message`], whose text in each of the
//! five languages is in `crate/i18n/waterbirds.json` (a test checks that every code is there).
//!
//! ```
//! use borderless::model::lang::Lang;
//! use borderless::waterbirds::message::Msg;
//! let m = Msg::NegativeCount { value: "-3".into() };
//! assert_eq!(m.code(), "waterbirds.count.negative");
//! assert_eq!(m.to_string(), "count -3 is negative");
//! assert!(m.text(Lang::Ru).contains("-3"));
//! ```

use crate::model::lang::Lang;
use crate::model::message::{Message, Param};
use serde::{Serialize, Serializer};
use std::fmt;

/// One user-visible message of the waterbird module.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Required columns missing (names joined by ", ").
    MissingColumns {
        columns: String,
        kind: String,
    },
    EmptyFile,
    EmptyField,
    NegativeCount {
        value: String,
    },
    BadCount {
        value: String,
    },
    CountMissing,
    BadDate {
        value: String,
    },
    AmbiguousDate {
        value: String,
    },
    DateRange {
        value: String,
    },
    UnknownSite {
        site: String,
    },
    SiteCountryMismatch {
        site: String,
        country: String,
        file_country: String,
    },
    BadCoverage {
        value: String,
    },
    WrongWidth {
        fields: usize,
        header: usize,
    },
    UnmatchedName {
        name: String,
    },
    AmbiguousName {
        name: String,
        candidates: String,
    },
    DuplicateRow {
        first_row: usize,
    },
    ConflictingDuplicate {
        first_row: usize,
        first_count: u64,
        count: u64,
    },
    OutsideSeasons,
    SeveralCountsOneDay {
        site: String,
        date: String,
        events: usize,
    },
    DuplicateSite {
        site: String,
    },
    BadCoordinate {
        /// Why, as a message of its own (translated with this one).
        detail: Message,
    },
    BadThreshold {
        value: String,
    },
    NoThreshold,
    NotUtf8 {
        detail: String,
    },
    BadSeason {
        value: String,
    },
    ConceptDiffers {
        name: String,
        checklist: String,
        species: String,
    },
    SynonymResolved {
        name: String,
        checklist: String,
        accepted: String,
    },
    /// Criterion explanations.
    TwoThirdsPass {
        reached: usize,
        seasons: usize,
    },
    TwoThirdsFail {
        reached: usize,
        seasons: usize,
    },
    TooFewSeasons {
        seasons: usize,
    },
    FiveYearPass {
        mean: f64,
        threshold: f64,
    },
    FiveYearFail {
        mean: f64,
        threshold: f64,
    },
    FiveYearNotEnough {
        seasons: usize,
    },
}

impl Msg {
    /// The stable code the page translates.
    pub fn code(&self) -> &'static str {
        use Msg::*;
        match self {
            MissingColumns { .. } => "waterbirds.columns.missing",
            EmptyFile => "waterbirds.file.empty",
            EmptyField => "waterbirds.field.empty",
            NegativeCount { .. } => "waterbirds.count.negative",
            BadCount { .. } => "waterbirds.count.not_number",
            CountMissing => "waterbirds.count.missing",
            BadDate { .. } => "waterbirds.date.bad",
            AmbiguousDate { .. } => "waterbirds.date.ambiguous",
            DateRange { .. } => "waterbirds.date.range",
            UnknownSite { .. } => "waterbirds.site.unknown",
            SiteCountryMismatch { .. } => "waterbirds.site.country_mismatch",
            BadCoverage { .. } => "waterbirds.coverage.bad",
            WrongWidth { .. } => "waterbirds.row.width",
            UnmatchedName { .. } => "waterbirds.name.unmatched",
            AmbiguousName { .. } => "waterbirds.name.ambiguous",
            DuplicateRow { .. } => "waterbirds.row.duplicate",
            ConflictingDuplicate { .. } => "waterbirds.row.conflicting_duplicate",
            OutsideSeasons => "waterbirds.row.outside_seasons",
            SeveralCountsOneDay { .. } => "waterbirds.count.several_one_day",
            DuplicateSite { .. } => "waterbirds.site.duplicate",
            BadCoordinate { .. } => "waterbirds.site.bad_coordinate",
            BadThreshold { .. } => "waterbirds.threshold.bad",
            NoThreshold => "waterbirds.threshold.none",
            NotUtf8 { .. } => "waterbirds.file.encoding",
            BadSeason { .. } => "waterbirds.season.bad",
            ConceptDiffers { .. } => "waterbirds.taxonomy.concept_differs",
            SynonymResolved { .. } => "waterbirds.taxonomy.synonym",
            TwoThirdsPass { .. } => "waterbirds.c6.two_thirds.pass",
            TwoThirdsFail { .. } => "waterbirds.c6.two_thirds.fail",
            TooFewSeasons { .. } => "waterbirds.c6.two_thirds.too_few",
            FiveYearPass { .. } => "waterbirds.c6.five_year.pass",
            FiveYearFail { .. } => "waterbirds.c6.five_year.fail",
            FiveYearNotEnough { .. } => "waterbirds.c6.five_year.not_enough",
        }
    }

    /// The parameters, by name, as the translated text uses them.
    pub fn params(&self) -> Vec<(&'static str, Param)> {
        use Msg::*;
        let t = |s: &String| Param::Text(s.clone());
        let i = |n: usize| Param::Int(n as i64);
        match self {
            MissingColumns { columns, kind } => vec![("columns", t(columns)), ("kind", t(kind))],
            EmptyFile | EmptyField | CountMissing | OutsideSeasons | NoThreshold => vec![],
            NotUtf8 { detail } => vec![("detail", t(detail))],
            BadCoordinate { detail } => vec![("detail", Param::Msg(Box::new(detail.clone())))],
            NegativeCount { value }
            | BadCount { value }
            | BadDate { value }
            | AmbiguousDate { value }
            | DateRange { value }
            | BadCoverage { value }
            | BadThreshold { value }
            | BadSeason { value } => vec![("value", t(value))],
            UnknownSite { site } | DuplicateSite { site } => vec![("site", t(site))],
            SiteCountryMismatch { site, country, file_country } => {
                vec![("site", t(site)), ("country", t(country)), ("file_country", t(file_country))]
            }
            WrongWidth { fields, header } => vec![("fields", i(*fields)), ("header", i(*header))],
            UnmatchedName { name } => vec![("name", t(name))],
            AmbiguousName { name, candidates } => vec![("name", t(name)), ("candidates", t(candidates))],
            DuplicateRow { first_row } => vec![("first_row", i(*first_row))],
            ConflictingDuplicate { first_row, first_count, count } => vec![
                ("first_row", i(*first_row)),
                ("first_count", Param::Int(*first_count as i64)),
                ("count", Param::Int(*count as i64)),
            ],
            SeveralCountsOneDay { site, date, events } => {
                vec![("site", t(site)), ("date", t(date)), ("events", i(*events))]
            }
            ConceptDiffers { name, checklist, species } | SynonymResolved { name, checklist, accepted: species } => {
                vec![("name", t(name)), ("checklist", t(checklist)), ("species", t(species))]
            }
            TwoThirdsPass { reached, seasons } | TwoThirdsFail { reached, seasons } => {
                vec![("reached", i(*reached)), ("seasons", i(*seasons)), ("n", i(*seasons))]
            }
            TooFewSeasons { seasons } | FiveYearNotEnough { seasons } => {
                vec![("seasons", i(*seasons)), ("n", i(*seasons))]
            }
            FiveYearPass { mean, threshold } | FiveYearFail { mean, threshold } => {
                vec![("mean", Param::Num((mean * 10.0).round() / 10.0)), ("threshold", Param::Num(*threshold))]
            }
        }
    }

    /// The crate-wide message (code and parameters), translated at display.
    pub fn message(&self) -> Message {
        self.params().into_iter().fold(Message::new(self.code()), |m, (k, v)| m.with(k, v))
    }

    /// The text in a language (from `crate/i18n/waterbirds.json`).
    pub fn text(&self, lang: Lang) -> String {
        self.message().text(lang)
    }
}

impl fmt::Display for Msg {
    /// The English text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<Msg> for Message {
    fn from(m: Msg) -> Message {
        m.message()
    }
}

impl From<&Msg> for Message {
    fn from(m: &Msg) -> Message {
        m.message()
    }
}

/// A message as results carry it: code, parameters and the English text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub params: std::collections::BTreeMap<&'static str, Param>,
    pub text: String,
}

impl From<&Msg> for Note {
    fn from(m: &Msg) -> Self {
        Note { code: m.code(), params: m.params().into_iter().collect(), text: m.to_string() }
    }
}

impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Note::from(self).serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::message::{catalogue_entries, Entry};

    /// One of every message.
    fn all() -> Vec<Msg> {
        use Msg::*;
        let s = || "x".to_string();
        vec![
            MissingColumns { columns: s(), kind: s() },
            EmptyFile,
            EmptyField,
            NegativeCount { value: s() },
            BadCount { value: s() },
            CountMissing,
            BadDate { value: s() },
            AmbiguousDate { value: s() },
            DateRange { value: s() },
            UnknownSite { site: s() },
            SiteCountryMismatch { site: s(), country: s(), file_country: s() },
            BadCoverage { value: s() },
            WrongWidth { fields: 1, header: 2 },
            UnmatchedName { name: s() },
            AmbiguousName { name: s(), candidates: s() },
            DuplicateRow { first_row: 2 },
            ConflictingDuplicate { first_row: 2, first_count: 1, count: 3 },
            OutsideSeasons,
            SeveralCountsOneDay { site: s(), date: s(), events: 2 },
            DuplicateSite { site: s() },
            BadCoordinate { detail: Message::new("waterbirds.site.one_coordinate") },
            BadThreshold { value: s() },
            NoThreshold,
            NotUtf8 { detail: s() },
            BadSeason { value: s() },
            ConceptDiffers { name: s(), checklist: s(), species: s() },
            SynonymResolved { name: s(), checklist: s(), accepted: s() },
            TwoThirdsPass { reached: 2, seasons: 3 },
            TwoThirdsFail { reached: 1, seasons: 3 },
            TooFewSeasons { seasons: 2 },
            FiveYearPass { mean: 1.0, threshold: 1.0 },
            FiveYearFail { mean: 1.0, threshold: 1.0 },
            FiveYearNotEnough { seasons: 4 },
        ]
    }

    #[test]
    fn every_message_is_in_the_catalogue_with_its_parameters() {
        let cat = catalogue_entries();
        for m in all() {
            let per_lang =
                cat.get(m.code()).unwrap_or_else(|| panic!("{} not in crate/i18n/waterbirds.json", m.code()));
            assert_eq!(per_lang.len(), 5, "{}", m.code());
            assert!(matches!(per_lang.get(&Lang::En), Some(Entry::Text(_) | Entry::Plural(_))));
            for lang in Lang::ALL {
                let text = m.text(lang);
                assert!(!text.contains('{'), "{} [{lang}]: unfilled placeholder in {text:?}", m.code());
            }
        }
    }
}
