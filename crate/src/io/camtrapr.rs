//! camtrapR-style tables (Niedballa et al. 2016): a station table (`Station`, coordinates,
//! `Setup_date`, `Retrieval_date`, optional `ProblemN_from`/`ProblemN_to`) and a record table
//! with `Station`, `Individual` and `DateTimeOriginal`.
//!
//! camtrapR tables carry no CRS and no UTC offset, so both are options: coordinates are either
//! latitude/longitude columns or projected x/y (`utm_x`/`utm_y`, `x`/`y`) with a stated UTM
//! zone; local times get the stated UTC offset. Setup/retrieval/problem values are whole days
//! (camtrapR: "first day / last day of camera malfunction"), taken inclusively.

use super::table::{Row, Table};
use super::{FileReport, InputFile, IoError};
use crate::model::message::Message;
use crate::model::{Catalog, Detection, LatLon, ProjectedCrs, Station, TimePrecision, Timestamp};
use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use std::collections::HashMap;

/// Date formats tried when none is stated (chrono syntax, with the camtrapR/lubridate names).
pub const DATE_FORMATS: &[(&str, &str)] = &[
    ("ymd", "%Y-%m-%d"),
    ("dmy", "%d/%m/%Y"),
    ("mdy", "%m/%d/%Y"),
    ("dmy.", "%d.%m.%Y"),
    ("ymd/", "%Y/%m/%d"),
    ("dmy-", "%d-%m-%Y"),
];

/// Options for reading camtrapR tables.
#[derive(Debug, Clone)]
pub struct CamtraprOptions<'a> {
    /// Catalog name (required: camtrapR tables do not name their catalog).
    pub name: &'a str,
    /// CRS of projected station coordinates (e.g. `spatial::Utm::parse("utm:50N")`), needed
    /// when the station table has x/y rather than lat/lon columns.
    pub crs: Option<&'a dyn ProjectedCrs>,
    /// UTC offset of the local times, e.g. `+08:00`; `None` reads them as UTC and says so in
    /// the record table's report.
    pub utc_offset: Option<FixedOffset>,
    /// Date format of the station table (`dmy`, `ymd`, `mdy` or a chrono format); detected if `None`.
    pub date_format: Option<&'a str>,
    /// Format of `DateTimeOriginal` (its precision follows the format: without `%S` minutes,
    /// without `%M` days); if `None`, camtrapR's `%Y-%m-%d %H:%M:%S` or, as written, the same
    /// without seconds, a date alone or a spreadsheet serial date ([`super::times::parse_local`]).
    pub datetime_format: Option<&'a str>,
    /// Keep only this species (the `Species` column), if given.
    pub species: Option<&'a str>,
}

impl CamtraprOptions<'_> {
    fn offset(&self) -> FixedOffset {
        self.utc_offset.unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
    }
}

/// Parses `+08:00`, `-0330`, `Z` or `UTC` into an offset.
pub fn parse_offset(s: &str) -> Result<FixedOffset, Message> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Ok(FixedOffset::east_opt(0).unwrap());
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(Message::new("io.camtrapr.offset_form").with("value", s)),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Message::new("io.camtrapr.offset_form").with("value", s));
    }
    let h: i32 = digits[..2].parse().unwrap();
    let m: i32 = digits[2..].parse().unwrap();
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        .ok_or_else(|| Message::new("io.camtrapr.offset_range").with("value", s))
}

/// "`column` is empty" (`io.camtrapr.empty`).
fn empty(column: &str) -> Message {
    Message::new("io.camtrapr.empty").with("column", column)
}

fn resolve_format(f: &str) -> &str {
    DATE_FORMATS.iter().find(|(n, _)| *n == f).map(|(_, c)| *c).unwrap_or(f)
}

/// Reads a station table and a record table into one catalog.
pub fn read_tables(
    stations_file: &InputFile,
    records_file: &InputFile,
    opts: &CamtraprOptions,
) -> (Option<Catalog>, Vec<FileReport>) {
    let mut st_report = FileReport::new(&stations_file.name, "camtrapR station table");
    let stations = match read_stations(stations_file, opts, &mut st_report) {
        Ok(s) => s,
        Err(e) => {
            st_report.fail(e);
            // The record table is reported too: nothing is dropped silently.
            let mut rec_report = FileReport::new(&records_file.name, "camtrapR record table");
            rec_report
                .file_error(None, Message::new("io.camtrapr.stations_unusable").with("file", &stations_file.name));
            return (None, vec![st_report, rec_report]);
        }
    };
    let mut rec_report = FileReport::new(&records_file.name, "camtrapR record table");
    let detections = match read_records(records_file, &stations, opts, &mut rec_report) {
        Ok(d) => d,
        Err(e) => {
            rec_report.fail(e);
            return (None, vec![st_report, rec_report]);
        }
    };
    let catalog = Catalog {
        name: opts.name.to_string(),
        title: None,
        source: format!("{} + {}", stations_file.name, records_file.name),
        stations: stations.into_iter().map(|(_, s)| s).collect(),
        detections,
        simulated: false,
    };
    (Some(catalog), vec![st_report, rec_report])
}

fn detect_date_format(t: &Table, cols: &[usize]) -> Result<&'static str, IoError> {
    let values: Vec<&str> = t.rows.iter().flat_map(|r| cols.iter().filter_map(|&c| r.get(c))).collect();
    let fits: Vec<&(&str, &str)> = DATE_FORMATS
        .iter()
        .filter(|(_, f)| !values.is_empty() && values.iter().all(|v| NaiveDate::parse_from_str(v, f).is_ok()))
        .collect();
    match fits.as_slice() {
        [one] => Ok(one.1),
        [] => Err(IoError::at(&t.file, None, Some("Setup_date"), Message::new("io.camtrapr.date_format_unknown"))),
        many => Err(IoError::at(
            &t.file,
            None,
            Some("Setup_date"),
            Message::new("io.camtrapr.date_format_ambiguous")
                .with("formats", many.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")),
        )),
    }
}

/// Where a station's position is read from.
enum Coords<'a> {
    LatLon(usize, usize),
    Projected(usize, usize, &'a dyn ProjectedCrs),
}

/// The coordinate columns of a station table: lat/lon, or projected x/y with the stated CRS.
fn station_coords<'a>(t: &Table, file: &InputFile, opts: &CamtraprOptions<'a>) -> Result<Coords<'a>, IoError> {
    if let (Some(la), Some(lo)) =
        (t.col_any(&["lat", "latitude", "Latitude"]), t.col_any(&["lon", "long", "longitude", "Longitude"]))
    {
        Ok(Coords::LatLon(la, lo))
    } else if let (Some(x), Some(y)) =
        (t.col_any(&["utm_x", "x", "X", "easting"]), t.col_any(&["utm_y", "y", "Y", "northing"]))
    {
        let Some(crs) = opts.crs else {
            return Err(IoError::at(
                &file.name,
                Some(1),
                Some(&t.header[x]),
                Message::new("io.camtrapr.projected_no_crs").with("x", &t.header[x]).with("y", &t.header[y]),
            ));
        };
        Ok(Coords::Projected(x, y, crs))
    } else {
        Err(IoError::at(&file.name, Some(1), None, Message::new("io.camtrapr.no_coordinates")))
    }
}

/// The `ProblemN_from` / `ProblemN_to` column pairs (malfunction periods) of a station table.
fn problem_columns(t: &Table, file: &InputFile) -> Result<Vec<(usize, usize)>, IoError> {
    let mut problems = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        if let Some(n) = h.strip_prefix("Problem").and_then(|r| r.strip_suffix("_from")) {
            let to = format!("Problem{n}_to");
            let Some(j) = t.col(&to) else {
                let m = Message::new("io.camtrapr.problem_unpaired").with("from", h).with("to", &to);
                return Err(IoError::at(&file.name, Some(1), Some(h), m));
            };
            problems.push((i, j));
        }
    }
    Ok(problems)
}

/// A station row's position from its coordinate columns, or `None` with the row rejected at its
/// first bad value (one rejection per row).
fn row_position(t: &Table, row: &Row, coords: &Coords, report: &mut FileReport) -> Option<LatLon> {
    let num = |c: usize, report: &mut FileReport| -> Option<f64> {
        match row.get(c).map(|v| v.parse::<f64>()) {
            Some(Ok(v)) if v.is_finite() => Some(v),
            Some(_) => {
                let m = Message::new("io.camtrapr.not_number").with("value", row.get(c).unwrap());
                report.reject(row.line, Some(&t.header[c]), m);
                None
            }
            None => {
                report.reject(row.line, Some(&t.header[c]), empty(&t.header[c]));
                None
            }
        }
    };
    match coords {
        Coords::LatLon(la, lo) => {
            let lat = num(*la, report)?;
            let lon = num(*lo, report)?;
            LatLon::checked(lat, lon)
                .map_err(|m| {
                    let col = if (-90.0..=90.0).contains(&lat) { *lo } else { *la };
                    report.reject(row.line, Some(&t.header[col]), m);
                })
                .ok()
        }
        Coords::Projected(x, y, utm) => {
            let e = num(*x, report)?;
            let n = num(*y, report)?;
            utm.to_latlon(e, n).map_err(|m| report.reject(row.line, Some(&t.header[*x]), m)).ok()
        }
    }
}

fn read_stations<'a>(
    file: &InputFile,
    opts: &CamtraprOptions<'a>,
    report: &mut FileReport,
) -> Result<Vec<(usize, Station)>, IoError> {
    let t = Table::parse_input(file, report)?;
    let c = t.require(&["Station", "Setup_date", "Retrieval_date"])?;
    let (c_st, c_setup, c_ret) = (c[0], c[1], c[2]);
    let coords = station_coords(&t, file, opts)?;
    let problems = problem_columns(&t, file)?;
    let mut date_cols = vec![c_setup, c_ret];
    date_cols.extend(problems.iter().flat_map(|(a, b)| [*a, *b]));
    let fmt = match opts.date_format {
        Some(f) => resolve_format(f),
        None => {
            let f = detect_date_format(&t, &date_cols)?;
            report.note(Message::new("io.camtrapr.date_format_detected").with("format", f));
            f
        }
    };
    let day = |v: &str, end: bool| -> Option<Timestamp> {
        let d = NaiveDate::parse_from_str(v, fmt).ok()?;
        let time = if end { NaiveTime::from_hms_opt(23, 59, 59)? } else { NaiveTime::MIN };
        opts.offset().from_local_datetime(&d.and_time(time)).single()
    };
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &t.rows {
        report.rows_read += 1;
        if !t.check_width(row, report) {
            continue;
        }
        let Some(id) = row.get(c_st) else {
            report.reject(row.line, Some("Station"), empty("Station"));
            continue;
        };
        if let Some(first) = seen.get(id) {
            let m = Message::new("io.camtrapr.station_repeated").with("station", id).with("first", *first);
            report.reject(row.line, Some("Station"), m);
            continue;
        }
        let Some(position) = row_position(&t, row, &coords, report) else { continue };
        let date = |c: usize, end: bool, report: &mut FileReport| -> Option<Timestamp> {
            match row.get(c) {
                None => {
                    report.reject(row.line, Some(&t.header[c]), empty(&t.header[c]));
                    None
                }
                Some(v) => day(v, end).or_else(|| {
                    let m = Message::new("io.camtrapr.date_mismatch").with("value", v).with("format", fmt);
                    report.reject(row.line, Some(&t.header[c]), m);
                    None
                }),
            }
        };
        let Some(start) = date(c_setup, false, report) else { continue };
        let Some(end) = date(c_ret, true, report) else { continue };
        if end < start {
            report.reject(row.line, Some("Retrieval_date"), Message::new("io.camtrapr.retrieval_before_setup"));
            continue;
        }
        let mut periods = Vec::new();
        let mut bad = false;
        for &(a, b) in &problems {
            match (row.get(a), row.get(b)) {
                (None, None) => {}
                (Some(_), None) | (None, Some(_)) => {
                    let missing = if row.get(a).is_none() { a } else { b };
                    report.reject(
                        row.line,
                        Some(&t.header[missing]),
                        Message::new("io.camtrapr.pair_empty").with("column", &t.header[missing]),
                    );
                    bad = true;
                }
                (Some(_), Some(_)) => {
                    let Some(pa) = date(a, false, report) else {
                        bad = true;
                        break;
                    };
                    let Some(pb) = date(b, true, report) else {
                        bad = true;
                        break;
                    };
                    if pb < pa || pa < start || pb > end {
                        report.reject(
                            row.line,
                            Some(&t.header[a]),
                            Message::new("io.camtrapr.malfunction_invalid")
                                .with("from", row.get(a).unwrap())
                                .with("to", row.get(b).unwrap()),
                        );
                        bad = true;
                    } else {
                        periods.push((pa, pb));
                    }
                }
            }
            if bad {
                break;
            }
        }
        if bad {
            continue;
        }
        seen.insert(id.to_string(), row.line);
        report.rows_used += 1;
        out.push((
            row.line,
            Station { id: id.to_string(), location_id: None, position, start, end, problems: periods },
        ));
    }
    Ok(out)
}

fn read_records(
    file: &InputFile,
    stations: &[(usize, Station)],
    opts: &CamtraprOptions,
    report: &mut FileReport,
) -> Result<Vec<Detection>, IoError> {
    let t = Table::parse_input(file, report)?;
    let c = t.require(&["Station", "Individual", "DateTimeOriginal"])?;
    let (c_st, c_ind, c_dt) = (c[0], c[1], c[2]);
    let c_sp = t.col("Species");
    let c_sex = t.col_any(&["Sex", "sex"]);
    let fmt = opts.datetime_format.unwrap_or("%Y-%m-%d %H:%M:%S");
    let mut coarse = super::times::CoarseTimes::default();
    if opts.utc_offset.is_none() {
        report.note(Message::new("io.camtrapr.no_offset"));
    }
    let index: HashMap<&str, usize> = stations.iter().enumerate().map(|(i, (_, s))| (s.id.as_str(), i)).collect();
    let mut seen: HashMap<(usize, String, Timestamp, TimePrecision), usize> = HashMap::new();
    let mut out = Vec::new();
    let mut present = super::camtrapdp::SpeciesPresent::default();
    for row in &t.rows {
        report.rows_read += 1;
        if !t.check_width(row, report) {
            continue;
        }
        let Some(st) = row.get(c_st) else {
            report.reject(row.line, Some("Station"), empty("Station"));
            continue;
        };
        let Some(&si) = index.get(st) else {
            report.reject(row.line, Some("Station"), Message::new("io.camtrapr.unknown_station").with("station", st));
            continue;
        };
        let species = c_sp.and_then(|c| row.get(c)).map(str::to_string);
        present.add(species.as_deref());
        if let Some(want) = opts.species {
            if !species.as_deref().is_some_and(|s| crate::model::species::matches_filter(want, s)) {
                report.skip(Message::new("io.camtrapr.other_species").with("species", want));
                continue;
            }
        }
        let Some(ind) = row.get(c_ind) else {
            report.skip(Message::new("io.camtrapr.no_individual"));
            continue;
        };
        let Some(raw) = row.get(c_dt) else {
            report.reject(row.line, Some("DateTimeOriginal"), empty("DateTimeOriginal"));
            continue;
        };
        let Some((time, precision)) = super::times::parse_local(raw, opts.datetime_format)
            .and_then(|(n, p)| opts.offset().from_local_datetime(&n).single().map(|t| (t, p)))
        else {
            let m = Message::new("io.camtrapr.datetime_mismatch").with("value", raw).with("format", fmt);
            report.reject(row.line, Some("DateTimeOriginal"), m);
            continue;
        };
        let station = &stations[si].1;
        // A coarse time stands for [time, time + precision): kept when that meets the station's period.
        if precision.end(&time) <= station.start || time > station.end {
            report.reject(
                row.line,
                Some("DateTimeOriginal"),
                Message::new("io.camtrapr.outside_station")
                    .with("time", raw)
                    .with("station", st)
                    .with("from", station.start.date_naive().to_string())
                    .with("to", station.end.date_naive().to_string()),
            );
            continue;
        }
        if let Some((a, b)) = station.problems.iter().find(|(a, b)| time >= *a && time <= *b) {
            report.reject(
                row.line,
                Some("DateTimeOriginal"),
                Message::new("io.camtrapr.in_malfunction")
                    .with("time", raw)
                    .with("station", st)
                    .with("from", a.date_naive().to_string())
                    .with("to", b.date_naive().to_string()),
            );
            continue;
        }
        let key = (si, ind.to_string(), time, precision);
        if let Some(first) = seen.get(&key) {
            report.skip(Message::new("io.camtrapr.duplicate_skip"));
            report.warn(
                Some(row.line),
                Some("DateTimeOriginal"),
                Message::new("io.camtrapr.duplicate").with("first", *first),
            );
            continue;
        }
        seen.insert(key, row.line);
        report.rows_used += 1;
        coarse.add(precision);
        let sex = c_sex.and_then(|c| row.get(c)).map(str::to_lowercase);
        out.push(Detection {
            station: si,
            individual: ind.to_string(),
            species,
            sex,
            time,
            precision,
            source_row: row.line,
        });
    }
    coarse.report(report);
    if out.is_empty() && report.rows_read > 0 {
        report.warn(None, None, super::camtrapdp::nothing_left(report, opts.species, &present));
    }
    Ok(out)
}
