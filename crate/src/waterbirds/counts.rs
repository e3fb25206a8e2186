//! Count tables and Darwin Core occurrence exports.
//!
//! A count table has one row per species per site per count: `site,date,species,count` at least,
//! optionally `time`, `coverage` (complete/partial), `observer`, `method`, `count_id`, `notes`
//! (column names also in zh, ru, ko, mn). A Darwin Core export (eBird, GBIF) is recognised by its
//! terms: `eventDate`, `scientificName` or `vernacularName`, `individualCount`, `locationID`,
//! `countryCode`. Files may be CSV (comma, semicolon or tab, told from the header line; lines
//! starting with `#` are comments), xlsx, xls or ods (first sheet). Text is decoded by
//! [`crate::io::decode_text`].
//!
//! Every row is accounted for in the [`FileReport`]: used, skipped by design (an exact duplicate)
//! or rejected with its spreadsheet row (header = 1), column and reason. A row whose species name
//! matches no species, or several, is rejected and listed in [`CountTable::unmatched`] with the
//! closest names; it is left out of every total.
//!
//! ```
//! use borderless::io::InputFile;
//! use borderless::waterbirds::{counts::read_counts, sites::read_sites, taxonomy::Taxonomy};
//! let (sites, _) = read_sites(&InputFile::new("s.csv", "site,country\nJX,CN\n")).unwrap();
//! let f = InputFile::new("cn.csv", "site;date;species;count\nJX;2019-04-02;黑脸琵鹭;12\nJX;2019-04-02;Grus monacka;3\n");
//! let t = read_counts(&f, &sites, Taxonomy::get()).unwrap();
//! assert_eq!(t.records.len(), 1);
//! assert_eq!(t.unmatched[0].row, 3);
//! assert_eq!(t.unmatched[0].suggestions[0], "Grus monacha");
//! ```

use super::grid::read_grid;
use super::message::Msg;
use super::sites::Sites;
use super::taxonomy::{Match, SpeciesId, Taxonomy};
use crate::io::sheet::Grid;
use crate::io::{FileReport, InputFile, IoError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Column names accepted for each field, in the five languages and Darwin Core.
const SITE: &[&str] = &[
    "site",
    "site_id",
    "location",
    "locationID",
    "location_id",
    "地点",
    "样点",
    "站点",
    "участок",
    "место",
    "지점",
    "조사지점",
    "цэг",
];
/// Column names of the count date (a table with one is a count table).
pub const DATE: &[&str] = &["date", "eventDate", "event_date", "日期", "дата", "날짜", "조사일", "огноо"];
const SPECIES: &[&str] =
    &["species", "scientificName", "scientific_name", "taxon", "name", "物种", "鸟种", "вид", "종", "종명", "зүйл"];
const VERNACULAR: &[&str] = &["vernacularName", "vernacular_name", "common_name"];
/// Column names of the count (a table with one is a count table).
pub const COUNT: &[&str] =
    &["count", "individualCount", "individual_count", "number", "数量", "количество", "численность", "개체수", "тоо"];
const TIME: &[&str] = &["time", "eventTime", "时间", "время", "시간", "цаг"];
const COVERAGE: &[&str] = &["coverage", "覆盖", "охват", "조사범위", "хамрах"];
const OBSERVER: &[&str] = &["observer", "recordedBy", "观察者", "наблюдатель", "조사자", "ажиглагч"];
const METHOD: &[&str] = &["method", "samplingProtocol", "方法", "метод", "방법", "арга"];
const COUNT_ID: &[&str] = &["count_id", "eventID", "event_id"];
const NOTES: &[&str] = &["notes", "occurrenceRemarks", "remarks", "备注", "примечания", "비고", "тэмдэглэл"];
const COUNTRY: &[&str] = &["countryCode", "country", "国家", "страна", "국가", "улс"];
const STATUS: &[&str] = &["occurrenceStatus"];

/// One count event of one species: site, date, time, count ID, species.
type EventKey = (usize, NaiveDate, Option<String>, Option<String>, SpeciesId);

/// One count of one species at one site on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountRecord {
    pub file: String,
    /// Spreadsheet row (header = 1).
    pub row: usize,
    /// Index into the sites.
    pub site: usize,
    pub date: NaiveDate,
    pub time: Option<String>,
    pub count_id: Option<String>,
    pub species: SpeciesId,
    /// The name as the file wrote it.
    pub name: String,
    pub count: u64,
    /// The row says coverage was partial.
    pub partial: bool,
    pub observer: Option<String>,
    pub method: Option<String>,
    pub notes: Option<String>,
}

/// A species name that was not matched to exactly one species.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmatchedName {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub name: String,
    /// Species the name could mean (for an ambiguous name), as scientific names.
    pub candidates: Vec<String>,
    /// The closest names of the checklists.
    pub suggestions: Vec<String>,
    pub message: Msg,
}

/// One file read.
#[derive(Debug, Clone, Serialize)]
pub struct CountTable {
    pub records: Vec<CountRecord>,
    pub unmatched: Vec<UnmatchedName>,
    pub report: FileReport,
}

/// Parses a date as count sheets write it: ISO (`2019-04-02`, also with `/` or `.`, or followed
/// by a time), `02.04.2019`, `2019年4月2日`, `2019. 4. 2.`, and `d/m/yyyy` only when the day is
/// over 12. A Darwin Core interval is accepted when it is one day.
///
/// ```
/// use borderless::waterbirds::counts::parse_date;
/// let d = chrono::NaiveDate::from_ymd_opt(2019, 4, 2).unwrap();
/// for s in ["2019-04-02", "2019/4/2", "02.04.2019", "2019年4月2日", "2019. 4. 2.", "2019-04-02T07:30:00+09:00", "2019-04-02/2019-04-02"] {
///     assert_eq!(parse_date(s).unwrap(), d, "{s}");
/// }
/// assert!(parse_date("04/02/2019").is_err()); // day/month or month/day?
/// assert!(parse_date("2019-02-30").is_err());
/// ```
pub fn parse_date(s: &str) -> Result<NaiveDate, Msg> {
    let raw = s.trim();
    let bad = || Msg::BadDate { value: raw.to_string() };
    if let Some((a, b)) = raw.split_once('/').filter(|(a, b)| a.len() >= 10 && b.len() >= 10) {
        let (a, b) = (parse_date(a)?, parse_date(b)?);
        return if a == b { Ok(a) } else { Err(Msg::DateRange { value: raw.to_string() }) };
    }
    // Drop a time part.
    let mut d = raw;
    if let Some(p) = d.find('T').filter(|&p| p >= 8) {
        d = &d[..p];
    } else if let Some((head, tail)) = d.split_once(' ').filter(|(_, t)| t.contains(':')) {
        let _ = tail;
        d = head;
    }
    let cleaned: String =
        d.replace(['年', '月'], "-").replace('日', "").replace(". ", ".").trim_end_matches('.').to_string();
    let parts: Vec<&str> = cleaned.split(['-', '/', '.']).map(str::trim).collect();
    let num = |p: &str| p.parse::<u32>().ok();
    let ymd = |y: u32, m: u32, dd: u32| {
        (1900..=2100).contains(&y).then(|| NaiveDate::from_ymd_opt(y as i32, m, dd)).flatten().ok_or_else(bad)
    };
    match parts.as_slice() {
        [one] if one.len() == 8 && one.bytes().all(|c| c.is_ascii_digit()) => {
            ymd(num(&one[..4]).ok_or_else(bad)?, num(&one[4..6]).ok_or_else(bad)?, num(&one[6..]).ok_or_else(bad)?)
        }
        [a, b, c] => {
            let (x, y, z) = (num(a).ok_or_else(bad)?, num(b).ok_or_else(bad)?, num(c).ok_or_else(bad)?);
            if a.len() == 4 {
                ymd(x, y, z)
            } else if c.len() == 4 {
                let dotted = cleaned.contains('.');
                if dotted || x > 12 {
                    ymd(z, y, x) // d.m.yyyy (as Russian sheets write) or d/m/yyyy with day > 12
                } else if y > 12 {
                    ymd(z, x, y)
                } else {
                    Err(Msg::AmbiguousDate { value: raw.to_string() })
                }
            } else {
                Err(bad())
            }
        }
        _ => Err(bad()),
    }
}

/// Parses a count: a whole number ≥ 0 (`12`, `12.0`).
pub fn parse_count(s: &str) -> Result<u64, Msg> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Msg::CountMissing);
    }
    if let Ok(v) = t.parse::<i64>() {
        return u64::try_from(v).map_err(|_| Msg::NegativeCount { value: t.to_string() });
    }
    match t.replace(',', ".").parse::<f64>() {
        Ok(v) if v < 0.0 => Err(Msg::NegativeCount { value: t.to_string() }),
        Ok(v) if v.fract() == 0.0 && v < 1e15 => Ok(v as u64),
        _ => Err(Msg::BadCount { value: t.to_string() }),
    }
}

fn parse_coverage(s: &str) -> Result<bool, Msg> {
    match s.trim().to_lowercase().as_str() {
        "complete" | "full" | "total" | "完整" | "全部" | "полный" | "полное" | "전체" | "бүрэн" => {
            Ok(false)
        }
        "partial" | "incomplete" | "部分" | "частичный" | "частичное" | "부분" | "хэсэгчилсэн" => {
            Ok(true)
        }
        _ => Err(Msg::BadCoverage { value: s.trim().to_string() }),
    }
}

/// Site, date and count columns; species and vernacular name columns.
type RequiredColumns = ([usize; 3], Option<usize>, Option<usize>);

/// The site, date and count columns and the species / vernacular name columns, or an error
/// naming every missing one. Recognises a Darwin Core export by its terms.
fn required_columns(grid: &Grid, file: &str, report: &mut FileReport) -> Result<RequiredColumns, IoError> {
    let darwin_core = ["eventDate", "individualCount", "scientificName", "vernacularName", "locationID"]
        .iter()
        .filter(|c| grid.column(&[c]).is_some())
        .count()
        >= 2;
    if darwin_core {
        report.kind = "waterbird counts (Darwin Core occurrences)".into();
    }
    let species_col = grid.column(SPECIES);
    let vernacular_col = grid.column(VERNACULAR);
    let required = [("site", grid.column(SITE)), ("date", grid.column(DATE)), ("count", grid.column(COUNT))];
    let mut missing: Vec<&str> = required.iter().filter(|(_, c)| c.is_none()).map(|(n, _)| *n).collect();
    if species_col.is_none() && vernacular_col.is_none() {
        missing.insert(2.min(missing.len()), "species");
    }
    if !missing.is_empty() {
        let kind = if darwin_core { "Darwin Core export" } else { "count table" };
        let columns = missing.join(", ");
        return Err(IoError::at(
            file,
            Some(1),
            Some(&columns),
            Msg::MissingColumns { columns: columns.clone(), kind: kind.into() },
        ));
    }
    let [site_col, date_col, count_col] = required.map(|(_, c)| c.unwrap_or(0));
    Ok(([site_col, date_col, count_col], species_col, vernacular_col))
}

/// Reads one count table or Darwin Core export.
pub fn read_counts(file: &InputFile, sites: &Sites, taxonomy: &Taxonomy) -> Result<CountTable, IoError> {
    let mut report = FileReport::new(&file.name, "waterbird counts");
    let grid = read_grid(file, &mut report)?;
    let ([site_col, date_col, count_col], species_col, vernacular_col) =
        required_columns(&grid, &file.name, &mut report)?;
    let opt = |names: &[&str]| grid.column(names);
    let (time_col, coverage_col, observer_col, method_col) = (opt(TIME), opt(COVERAGE), opt(OBSERVER), opt(METHOD));
    let (count_id_col, notes_col, country_col, status_col) = (opt(COUNT_ID), opt(NOTES), opt(COUNTRY), opt(STATUS));
    let name_of = |c: usize| grid.header[c].clone();
    let get = |f: &[String], c: Option<usize>| {
        c.and_then(|c| f.get(c)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };

    let mut out = CountTable { records: Vec::new(), unmatched: Vec::new(), report: FileReport::default() };
    let mut seen: HashMap<EventKey, (usize, u64)> = HashMap::new();
    for (row, f) in &grid.rows {
        let row = *row;
        report.rows_read += 1;
        // A short row, or a long one with something in the extra fields, is malformed
        // (spreadsheet exports often add empty trailing fields).
        if f.len() < grid.header.len() || f[grid.header.len()..].iter().any(|x| !x.trim().is_empty()) {
            let col = grid.header.get(f.len()).cloned();
            report.reject(row, col.as_deref(), Msg::WrongWidth { fields: f.len(), header: grid.header.len() });
            continue;
        }
        let Some(site_txt) = get(f, Some(site_col)) else {
            report.reject(row, Some(&name_of(site_col)), Msg::EmptyField);
            continue;
        };
        let Some(site) = sites.find(&site_txt) else {
            report.reject(row, Some(&name_of(site_col)), Msg::UnknownSite { site: site_txt });
            continue;
        };
        let date = match get(f, Some(date_col)).ok_or(Msg::EmptyField).and_then(|d| parse_date(&d)) {
            Ok(d) => d,
            Err(m) => {
                report.reject(row, Some(&name_of(date_col)), m);
                continue;
            }
        };
        // The species: scientific name, else the vernacular name (Darwin Core).
        let (name, name_col) = match (get(f, species_col), get(f, vernacular_col)) {
            (Some(n), _) => (n, species_col.unwrap_or(0)),
            (None, Some(v)) => (v, vernacular_col.unwrap_or(0)),
            (None, None) => {
                let c = species_col.or(vernacular_col).unwrap_or(0);
                report.reject(row, Some(&name_of(c)), Msg::EmptyField);
                continue;
            }
        };
        let Some(species) =
            resolve(taxonomy, &file.name, row, &name_of(name_col), &name, &mut report, &mut out.unmatched)
        else {
            continue;
        };
        let absent = get(f, status_col).is_some_and(|s| s.eq_ignore_ascii_case("absent"));
        let count = match get(f, Some(count_col)) {
            None if absent => Ok(0),
            None => Err(Msg::CountMissing),
            Some(c) => parse_count(&c),
        };
        let count = match count {
            Ok(c) => c,
            Err(m) => {
                report.reject(row, Some(&name_of(count_col)), m);
                continue;
            }
        };
        let partial = match get(f, coverage_col).map(|c| parse_coverage(&c)) {
            None => false,
            Some(Ok(p)) => p,
            Some(Err(m)) => {
                report.reject(row, coverage_col.map(name_of).as_deref(), m);
                continue;
            }
        };
        if let Some(cc) = get(f, country_col) {
            let sc = &sites.sites[site].country;
            if !sc.is_empty() && !cc.eq_ignore_ascii_case(sc) {
                let m = Msg::SiteCountryMismatch {
                    site: sites.sites[site].id.clone(),
                    country: sc.clone(),
                    file_country: cc,
                };
                report.warn(Some(row), country_col.map(name_of).as_deref(), m);
            }
        }
        // The time: its column, else a time written in the date field (Darwin Core eventDate).
        let time = get(f, time_col).or_else(|| {
            let d = get(f, Some(date_col))?;
            let t = d.split_once('T').or_else(|| d.split_once(' ')).map(|x| x.1.trim().to_string())?;
            t.contains(':').then_some(t)
        });
        let count_id = get(f, count_id_col);
        match seen.get(&(site, date, time.clone(), count_id.clone(), species)) {
            Some(&(first_row, first_count)) if first_count == count => {
                report.skip("duplicate row");
                report.warn(Some(row), None, Msg::DuplicateRow { first_row });
                continue;
            }
            Some(&(first_row, first_count)) => {
                let m = Msg::ConflictingDuplicate { first_row, first_count, count };
                report.reject(row, Some(&name_of(count_col)), m);
                continue;
            }
            None => {
                seen.insert((site, date, time.clone(), count_id.clone(), species), (row, count));
            }
        }
        out.records.push(CountRecord {
            file: file.name.clone(),
            row,
            site,
            date,
            time,
            count_id,
            species,
            name,
            count,
            partial,
            observer: get(f, observer_col),
            method: get(f, method_col),
            notes: get(f, notes_col),
        });
        report.rows_used += 1;
    }
    note_repeat_counts(&out.records, sites, &mut report);
    out.report = report;
    Ok(out)
}

/// Matches a species name; an unmatched or ambiguous name rejects the row and is listed.
fn resolve(
    taxonomy: &Taxonomy,
    file: &str,
    row: usize,
    column: &str,
    name: &str,
    report: &mut FileReport,
    unmatched: &mut Vec<UnmatchedName>,
) -> Option<SpeciesId> {
    let (candidates, suggestions, message) = match taxonomy.lookup(name) {
        Match::One { species, .. } => return Some(species),
        Match::Ambiguous { species, .. } => {
            let c: Vec<String> = species.iter().map(|&s| taxonomy.species(s).scientific.clone()).collect();
            let m = Msg::AmbiguousName { name: name.to_string(), candidates: c.join(", ") };
            (c.clone(), c, m)
        }
        Match::Unmatched { suggestions } => (Vec::new(), suggestions, Msg::UnmatchedName { name: name.to_string() }),
    };
    report.reject(row, Some(column), message.clone());
    unmatched.push(UnmatchedName {
        file: file.to_string(),
        row,
        column: column.to_string(),
        name: name.to_string(),
        candidates,
        suggestions,
        message,
    });
    None
}

/// Notes every site and day counted more than once (different times or count IDs).
fn note_repeat_counts(records: &[CountRecord], sites: &Sites, report: &mut FileReport) {
    type Event<'a> = (Option<&'a str>, Option<&'a str>);
    let mut events: HashMap<(usize, NaiveDate), Vec<Event>> = HashMap::new();
    for r in records {
        let e = events.entry((r.site, r.date)).or_default();
        let k = (r.time.as_deref(), r.count_id.as_deref());
        if !e.contains(&k) {
            e.push(k);
        }
    }
    let mut many: Vec<_> = events.into_iter().filter(|(_, v)| v.len() > 1).collect();
    many.sort_by_key(|((s, d), _)| (*s, *d));
    for ((s, d), v) in many {
        let m = Msg::SeveralCountsOneDay { site: sites.sites[s].id.clone(), date: d.to_string(), events: v.len() };
        report.note(m);
    }
}

/// Writes count records as a Darwin Core occurrence CSV (the columns eBird and GBIF exports
/// share): `occurrenceID,eventDate,eventTime,scientificName,vernacularName,individualCount,
/// occurrenceStatus,locationID,countryCode`. Names are the accepted scientific names.
pub fn darwin_core_csv(records: &[CountRecord], sites: &Sites, taxonomy: &Taxonomy) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "occurrenceID",
        "eventDate",
        "eventTime",
        "scientificName",
        "vernacularName",
        "individualCount",
        "occurrenceStatus",
        "locationID",
        "countryCode",
    ]);
    for (i, r) in records.iter().enumerate() {
        let s = taxonomy.species(r.species);
        let site = &sites.sites[r.site];
        let _ = w.write_record([
            format!("occ-{}", i + 1),
            r.date.to_string(),
            r.time.clone().unwrap_or_default(),
            s.scientific.clone(),
            s.english.clone(),
            r.count.to_string(),
            if r.count == 0 { "absent" } else { "present" }.to_string(),
            site.id.clone(),
            site.country.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count("12.0"), Ok(12));
        assert!(matches!(parse_count("-1"), Err(Msg::NegativeCount { .. })));
        assert!(matches!(parse_count("many"), Err(Msg::BadCount { .. })));
        assert!(matches!(parse_count("2.5"), Err(Msg::BadCount { .. })));
        assert!(matches!(parse_count(""), Err(Msg::CountMissing)));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("25/12/2019").unwrap(), NaiveDate::from_ymd_opt(2019, 12, 25).unwrap());
        assert_eq!(parse_date("20190402").unwrap(), NaiveDate::from_ymd_opt(2019, 4, 2).unwrap());
        assert!(matches!(parse_date("2019-04-01/2019-04-03"), Err(Msg::DateRange { .. })));
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("1850-01-01").is_err());
    }
}
