//! Times as written in users' files, with the precision they were written to
//! ([`TimePrecision`]): `2024-11-04` is known to the day, `2024-11-04 16:05` to the minute,
//! `2024-11-04 16:05:31` to the second. The precision is read from the text itself (or from a
//! stated format), never guessed from the value: `2024-11-04 00:00:00` is a time to the second.

use super::FileReport;
use crate::model::message::Message;
use crate::model::{TimePrecision, Timestamp};
use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Local date-time formats tried, in order, when no format is stated (chrono syntax).
pub const LOCAL_FORMATS: &[(&str, TimePrecision)] = &[
    ("%Y-%m-%d %H:%M:%S", TimePrecision::Second),
    ("%Y-%m-%dT%H:%M:%S", TimePrecision::Second),
    ("%Y-%m-%d %H:%M:%S%.f", TimePrecision::Second),
    ("%Y-%m-%dT%H:%M:%S%.f", TimePrecision::Second),
    ("%Y:%m:%d %H:%M:%S", TimePrecision::Second),
    ("%Y-%m-%d %H:%M", TimePrecision::Minute),
    ("%Y-%m-%dT%H:%M", TimePrecision::Minute),
];

/// The precision a chrono format writes: seconds (`%S`, `%T`, `%s`), else minutes (`%M`, `%R`),
/// else days.
///
/// ```
/// use borderless::{io::times::format_precision, model::TimePrecision};
/// assert_eq!(format_precision("%d/%m/%Y %H:%M:%S"), TimePrecision::Second);
/// assert_eq!(format_precision("%d/%m/%Y %H:%M"), TimePrecision::Minute);
/// assert_eq!(format_precision("%d/%m/%Y"), TimePrecision::Day);
/// ```
pub fn format_precision(fmt: &str) -> TimePrecision {
    if ["%S", "%T", "%s"].iter().any(|c| fmt.contains(c)) {
        TimePrecision::Second
    } else if ["%M", "%R"].iter().any(|c| fmt.contains(c)) {
        TimePrecision::Minute
    } else {
        TimePrecision::Day
    }
}

/// A spreadsheet serial date: days since 1899-12-30 (Excel's and LibreOffice's 1900 date system,
/// exact from 1900-03-01 on). A whole number is a date (day precision), a fraction a date and
/// time (to the second). Only plain digits from 1 to 2,958,465 (9999-12-31) are taken.
///
/// ```
/// use borderless::{io::times::excel_serial, model::TimePrecision};
/// let (t, p) = excel_serial("45600").unwrap();
/// assert_eq!((t.to_string().as_str(), p), ("2024-11-04 00:00:00", TimePrecision::Day));
/// let (t, p) = excel_serial("45600.5").unwrap();
/// assert_eq!((t.to_string().as_str(), p), ("2024-11-04 12:00:00", TimePrecision::Second));
/// ```
pub fn excel_serial(raw: &str) -> Option<(NaiveDateTime, TimePrecision)> {
    let t = raw.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: f64 = t.parse().ok()?;
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let whole = frac.trim_matches('0').is_empty();
    let secs = (v * 86_400.0).round() as i64;
    let precision = if whole { TimePrecision::Day } else { TimePrecision::Second };
    Some((epoch + chrono::Duration::seconds(secs), precision))
}

/// A local date-time as written, with its precision: `fmt` when stated (its precision from
/// [`format_precision`]), else the first of [`LOCAL_FORMATS`], a date `%Y-%m-%d`, or a spreadsheet
/// serial date ([`excel_serial`]).
///
/// ```
/// use borderless::{io::times::parse_local, model::TimePrecision};
/// assert_eq!(parse_local("2024-11-04", None).unwrap().1, TimePrecision::Day);
/// assert_eq!(parse_local("2024-11-04 16:05", None).unwrap().1, TimePrecision::Minute);
/// assert_eq!(parse_local("2024-11-04 16:05:31", None).unwrap().1, TimePrecision::Second);
/// assert_eq!(parse_local("04.11.2024", Some("%d.%m.%Y")).unwrap().1, TimePrecision::Day);
/// assert!(parse_local("yesterday", None).is_none());
/// ```
pub fn parse_local(raw: &str, fmt: Option<&str>) -> Option<(NaiveDateTime, TimePrecision)> {
    let raw = raw.trim();
    if let Some(f) = fmt {
        let p = format_precision(f);
        return match p {
            TimePrecision::Day => NaiveDate::parse_from_str(raw, f).ok().map(|d| (d.and_time(NaiveTime::MIN), p)),
            _ => NaiveDateTime::parse_from_str(raw, f).ok().map(|t| (t, p)),
        };
    }
    LOCAL_FORMATS
        .iter()
        .find_map(|(f, p)| NaiveDateTime::parse_from_str(raw, f).ok().map(|t| (t, *p)))
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().map(|d| (d.and_time(NaiveTime::MIN), TimePrecision::Day))
        })
        .or_else(|| excel_serial(raw))
}

/// An ISO 8601 timestamp as Camtrap DP writes it, with its precision: with seconds (`Z` or
/// `±hh:mm`) to the second, `2024-11-04T16:05+08:00` to the minute, and a date alone
/// (`2024-11-04`) to the day, placed in `date_offset` (the offset of its deployment) when given.
///
/// ```
/// use borderless::{io::times::parse_iso, model::TimePrecision};
/// let plus8 = chrono::FixedOffset::east_opt(8 * 3600);
/// let (t, p) = parse_iso("2024-11-04", plus8).unwrap();
/// assert_eq!((t.to_rfc3339().as_str(), p), ("2024-11-04T00:00:00+08:00", TimePrecision::Day));
/// assert_eq!(parse_iso("2024-11-04T16:05Z", None).unwrap().1, TimePrecision::Minute);
/// assert_eq!(parse_iso("2024-11-04T16:05:31+08:00", None).unwrap().1, TimePrecision::Second);
/// assert!(parse_iso("2024-11-04", None).is_err());
/// ```
pub fn parse_iso(s: &str, date_offset: Option<FixedOffset>) -> Result<(Timestamp, TimePrecision), Message> {
    let second = chrono::DateTime::parse_from_rfc3339(s)
        .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
        .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"));
    if let Ok(t) = second {
        return Ok((t, TimePrecision::Second));
    }
    let zulu = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')).map(|r| format!("{r}+00:00"));
    let text = zulu.as_deref().unwrap_or(s);
    if let Ok(t) = chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%z") {
        return Ok((t, TimePrecision::Minute));
    }
    let no_offset = || Message::new("io.time.no_offset").with("value", s);
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let local = d.and_time(NaiveTime::MIN);
        return match date_offset.and_then(|o| o.from_local_datetime(&local).single()) {
            Some(t) => Ok((t, TimePrecision::Day)),
            None => Err(no_offset()),
        };
    }
    if NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
        || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok()
    {
        Err(no_offset())
    } else {
        Err(Message::new("io.time.not_iso").with("value", s))
    }
}

/// Counts of the coarse times a reader kept, reported once per file.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoarseTimes {
    /// Times known only to the day.
    pub day: usize,
    /// Times known to the minute.
    pub minute: usize,
}

impl CoarseTimes {
    /// Counts one kept time.
    pub fn add(&mut self, p: TimePrecision) {
        match p {
            TimePrecision::Day => self.day += 1,
            TimePrecision::Minute => self.minute += 1,
            TimePrecision::Second => {}
        }
    }

    /// Notes in `report` how many kept times were coarse, if any (`io.time.coarse`).
    pub fn report(&self, report: &mut FileReport) {
        if self.day + self.minute > 0 {
            report.note(Message::new("io.time.coarse").with("day", self.day).with("minute", self.minute));
        }
    }
}
