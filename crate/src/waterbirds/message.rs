//! Every message the waterbird module shows a user: a stable code, its parameters and the English
//! text. The page translates by code; the English text is the fallback. (Kept in one place so
//! that it maps one to one onto the crate-wide message type when that lands.)
//!
//! ```
//! use borderless::waterbirds::message::Msg;
//! let m = Msg::NegativeCount { value: "-3".into() };
//! assert_eq!(m.code(), "waterbirds.count.negative");
//! assert!(m.to_string().contains("-3"));
//! ```

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
    NotATable {
        detail: String,
    },
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
        detail: String,
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
            NotATable { .. } => "waterbirds.file.not_table",
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
    pub fn params(&self) -> Vec<(&'static str, String)> {
        use Msg::*;
        match self {
            MissingColumns { columns, kind } => vec![("columns", columns.clone()), ("kind", kind.clone())],
            EmptyFile | EmptyField | CountMissing | OutsideSeasons | NoThreshold => vec![],
            NotATable { detail } | NotUtf8 { detail } | BadCoordinate { detail } => vec![("detail", detail.clone())],
            NegativeCount { value }
            | BadCount { value }
            | BadDate { value }
            | AmbiguousDate { value }
            | DateRange { value }
            | BadCoverage { value }
            | BadThreshold { value }
            | BadSeason { value } => vec![("value", value.clone())],
            UnknownSite { site } | DuplicateSite { site } => vec![("site", site.clone())],
            SiteCountryMismatch { site, country, file_country } => {
                vec![("site", site.clone()), ("country", country.clone()), ("file_country", file_country.clone())]
            }
            WrongWidth { fields, header } => vec![("fields", fields.to_string()), ("header", header.to_string())],
            UnmatchedName { name } => vec![("name", name.clone())],
            AmbiguousName { name, candidates } => vec![("name", name.clone()), ("candidates", candidates.clone())],
            DuplicateRow { first_row } => vec![("first_row", first_row.to_string())],
            ConflictingDuplicate { first_row, first_count, count } => vec![
                ("first_row", first_row.to_string()),
                ("first_count", first_count.to_string()),
                ("count", count.to_string()),
            ],
            SeveralCountsOneDay { site, date, events } => {
                vec![("site", site.clone()), ("date", date.clone()), ("events", events.to_string())]
            }
            ConceptDiffers { name, checklist, species } | SynonymResolved { name, checklist, accepted: species } => {
                vec![("name", name.clone()), ("checklist", checklist.clone()), ("species", species.clone())]
            }
            TwoThirdsPass { reached, seasons } | TwoThirdsFail { reached, seasons } => {
                vec![("reached", reached.to_string()), ("seasons", seasons.to_string())]
            }
            TooFewSeasons { seasons } | FiveYearNotEnough { seasons } => vec![("seasons", seasons.to_string())],
            FiveYearPass { mean, threshold } | FiveYearFail { mean, threshold } => {
                vec![("mean", format!("{mean:.1}")), ("threshold", format!("{threshold}"))]
            }
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Msg::*;
        match self {
            MissingColumns { columns, kind } => write!(f, "required column(s) missing for a {kind}: {columns}"),
            EmptyFile => write!(f, "the file is empty (no header row)"),
            NotATable { detail } => write!(f, "cannot read the file as a table: {detail}"),
            EmptyField => write!(f, "the field is empty"),
            NegativeCount { value } => write!(f, "count {value} is negative"),
            BadCount { value } => write!(f, "count {value:?} is not a whole number"),
            CountMissing => write!(f, "the count is empty (write 0 for a count of zero: zeros are data)"),
            BadDate { value } => write!(f, "{value:?} is not a date (write YYYY-MM-DD)"),
            AmbiguousDate { value } => {
                write!(f, "date {value:?} could be day/month or month/day (write YYYY-MM-DD)")
            }
            DateRange { value } => write!(f, "{value:?} spans several days; a count is on one date"),
            UnknownSite { site } => write!(f, "site {site:?} is not in the sites file"),
            SiteCountryMismatch { site, country, file_country } => {
                write!(f, "site {site:?} is in {country} in the sites file but the row says {file_country}")
            }
            BadCoverage { value } => write!(f, "coverage {value:?} is not 'complete' or 'partial'"),
            WrongWidth { fields, header } => write!(f, "the row has {fields} fields but the header has {header}"),
            UnmatchedName { name } => write!(f, "species name {name:?} matches no name of the checklists"),
            AmbiguousName { name, candidates } => {
                write!(f, "species name {name:?} matches several species ({candidates}); name one")
            }
            DuplicateRow { first_row } => write!(f, "duplicate of row {first_row}; counted once"),
            ConflictingDuplicate { first_row, first_count, count } => write!(
                f,
                "same site, date, time and species as row {first_row} but count {count} instead of {first_count}"
            ),
            OutsideSeasons => write!(f, "the date is in none of the seasons"),
            SeveralCountsOneDay { site, date, events } => write!(
                f,
                "site {site:?} was counted {events} times on {date}: the largest count is used (counts of one day are not added)"
            ),
            DuplicateSite { site } => write!(f, "site {site:?} is listed twice"),
            BadCoordinate { detail } => write!(f, "{detail}"),
            BadThreshold { value } => write!(f, "{value:?} is not a positive number"),
            NoThreshold => write!(f, "neither an estimate nor a threshold is given"),
            NotUtf8 { detail } => write!(f, "{detail}"),
            BadSeason { value } => {
                write!(f, "season {value:?} is not NAME=MM-MM (e.g. spring=03-05, winter=11-03)")
            }
            ConceptDiffers { name, checklist, species } => {
                write!(f, "under {checklist}, {name} also covers {species}: counts under this name may include it")
            }
            SynonymResolved { name, checklist, accepted: species } => {
                write!(f, "{name} ({checklist}) is {species} in AviList 2025")
            }
            TwoThirdsPass { reached, seasons } => {
                write!(f, "threshold reached in {reached} of {seasons} seasons (at least two thirds, at least 3 seasons)")
            }
            TwoThirdsFail { reached, seasons } => {
                write!(f, "threshold reached in {reached} of {seasons} seasons (fewer than two thirds)")
            }
            TooFewSeasons { seasons } => write!(f, "only {seasons} season(s) with data; the two-thirds test needs 3"),
            FiveYearPass { mean, threshold } => {
                write!(f, "mean of the five most recent seasonal peaks {mean:.1} reaches {threshold}")
            }
            FiveYearFail { mean, threshold } => {
                write!(f, "mean of the five most recent seasonal peaks {mean:.1} is below {threshold}")
            }
            FiveYearNotEnough { seasons } => write!(f, "only {seasons} season(s) with data; the five-season mean needs 5"),
        }
    }
}

/// A message as results carry it: code, parameters and English text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub params: std::collections::BTreeMap<&'static str, String>,
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
