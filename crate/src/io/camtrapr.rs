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
pub fn parse_offset(s: &str) -> Result<FixedOffset, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Ok(FixedOffset::east_opt(0).unwrap());
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(format!("UTC offset '{s}' must look like +08:00")),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("UTC offset '{s}' must look like +08:00"));
    }
    let h: i32 = digits[..2].parse().unwrap();
    let m: i32 = digits[2..].parse().unwrap();
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(|| format!("UTC offset '{s}' is out of range"))
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
                .file_error(None, format!("not read: its station table '{}' could not be used", stations_file.name));
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
        [] => Err(IoError::at(
            &t.file,
            None,
            Some("Setup_date"),
            "cannot detect the date format; state it (e.g. dmy, ymd, mdy or %d/%m/%Y)",
        )),
        many => Err(IoError::at(
            &t.file,
            None,
            Some("Setup_date"),
            format!(
                "the dates fit several formats ({}); state which one",
                many.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
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
                format!(
                    "station coordinates '{}'/'{}' are projected; state their CRS (e.g. utm:50N or EPSG:32650)",
                    t.header[x], t.header[y]
                ),
            ));
        };
        Ok(Coords::Projected(x, y, crs))
    } else {
        Err(IoError::at(
            &file.name,
            Some(1),
            None,
            "no coordinate columns: expected lat/lon, latitude/longitude, utm_x/utm_y or x/y",
        ))
    }
}

/// The `ProblemN_from` / `ProblemN_to` column pairs (malfunction periods) of a station table.
fn problem_columns(t: &Table, file: &InputFile) -> Result<Vec<(usize, usize)>, IoError> {
    let mut problems = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        if let Some(n) = h.strip_prefix("Problem").and_then(|r| r.strip_suffix("_from")) {
            let to = format!("Problem{n}_to");
            let Some(j) = t.col(&to) else {
                return Err(IoError::at(&file.name, Some(1), Some(h), format!("'{h}' has no matching '{to}' column")));
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
                report.reject(row.line, Some(&t.header[c]), format!("'{}' is not a number", row.get(c).unwrap()));
                None
            }
            None => {
                report.reject(row.line, Some(&t.header[c]), format!("{} is empty", t.header[c]));
                None
            }
        }
    };
    match coords {
        Coords::LatLon(la, lo) => {
            let lat = num(*la, report)?;
            let lon = num(*lo, report)?;
            LatLon::new(lat, lon)
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
            report.note(format!("date format detected: {f}"));
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
            report.reject(row.line, Some("Station"), "Station is empty");
            continue;
        };
        if let Some(first) = seen.get(id) {
            report.reject(row.line, Some("Station"), format!("station '{id}' repeats row {first} (one row per station; several cameras per station are not supported yet)"));
            continue;
        }
        let Some(position) = row_position(&t, row, &coords, report) else { continue };
        let date = |c: usize, end: bool, report: &mut FileReport| -> Option<Timestamp> {
            match row.get(c) {
                None => {
                    report.reject(row.line, Some(&t.header[c]), format!("{} is empty", t.header[c]));
                    None
                }
                Some(v) => day(v, end).or_else(|| {
                    report.reject(row.line, Some(&t.header[c]), format!("'{v}' does not match the date format {fmt}"));
                    None
                }),
            }
        };
        let Some(start) = date(c_setup, false, report) else { continue };
        let Some(end) = date(c_ret, true, report) else { continue };
        if end < start {
            report.reject(row.line, Some("Retrieval_date"), "Retrieval_date is before Setup_date");
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
                        format!("{} is empty but its pair is given", t.header[missing]),
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
                            format!(
                                "malfunction period {} to {} is reversed or outside setup..retrieval",
                                row.get(a).unwrap(),
                                row.get(b).unwrap()
                            ),
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
        report.note("camtrapR times carry no UTC offset and none was given: read as UTC (+00:00)");
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
            report.reject(row.line, Some("Station"), "Station is empty");
            continue;
        };
        let Some(&si) = index.get(st) else {
            report.reject(
                row.line,
                Some("Station"),
                format!("station '{st}' is not in the station table (or was rejected there)"),
            );
            continue;
        };
        let species = c_sp.and_then(|c| row.get(c)).map(str::to_string);
        present.add(species.as_deref());
        if let Some(want) = opts.species {
            if !species.as_deref().is_some_and(|s| crate::model::species::matches_filter(want, s)) {
                report.skip(format!("species is not {want}"));
                continue;
            }
        }
        let Some(ind) = row.get(c_ind) else {
            report.skip("no Individual (not identified to individual)");
            continue;
        };
        let Some(raw) = row.get(c_dt) else {
            report.reject(row.line, Some("DateTimeOriginal"), "DateTimeOriginal is empty");
            continue;
        };
        let Some((time, precision)) = super::times::parse_local(raw, opts.datetime_format)
            .and_then(|(n, p)| opts.offset().from_local_datetime(&n).single().map(|t| (t, p)))
        else {
            report.reject(row.line, Some("DateTimeOriginal"), format!("'{raw}' does not match {fmt}"));
            continue;
        };
        let station = &stations[si].1;
        // A coarse time stands for [time, time + precision): kept when that meets the station's period.
        if precision.end(&time) <= station.start || time > station.end {
            report.reject(
                row.line,
                Some("DateTimeOriginal"),
                format!(
                    "{raw} is outside station '{st}' setup..retrieval ({} to {})",
                    station.start.date_naive(),
                    station.end.date_naive()
                ),
            );
            continue;
        }
        if let Some((a, b)) = station.problems.iter().find(|(a, b)| time >= *a && time <= *b) {
            report.reject(
                row.line,
                Some("DateTimeOriginal"),
                format!(
                    "{raw} falls in a malfunction period of station '{st}' ({} to {})",
                    a.date_naive(),
                    b.date_naive()
                ),
            );
            continue;
        }
        let key = (si, ind.to_string(), time, precision);
        if let Some(first) = seen.get(&key) {
            report.skip("duplicate record (same station, individual and time)");
            report.warn(
                Some(row.line),
                Some("DateTimeOriginal"),
                format!("duplicate of row {first} (same station, individual and time); counted once"),
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
