//! Camtrap DP 1.0.x packages (TDWG, Bubnicki et al. 2023): `datapackage.json` +
//! `deployments.csv` + `observations.csv` (+ optional `media.csv`, not needed here).
//!
//! Event-level observations are used when the package has any; media-level rows are then
//! counted as skipped. Every timestamp keeps its own UTC offset.

pub mod upgrade;

use super::table::{Row, Table, TableStream};
use super::{FileReport, InputFile, IoError};
use crate::model::message::Message;
use crate::model::{Catalog, Detection, LatLon, SpeciesRecord, Station, TimePrecision, Timestamp};
use std::collections::HashMap;
use upgrade::{Declared, Resource, Version};

/// The file names of a Camtrap DP package as the standard lays it out.
pub const STANDARD_FILES: &[&str] = &["datapackage.json", "deployments.csv", "media.csv", "observations.csv"];

/// Parses an ISO 8601 timestamp that must carry a UTC offset (`Z` or `±hh:mm`), with or without
/// seconds; its precision is dropped (see [`super::times::parse_iso`] to keep it).
pub fn parse_timestamp(s: &str) -> Result<Timestamp, Message> {
    super::times::parse_iso(s, None).map(|(t, _)| t)
}

/// "`column` is empty" (`io.camtrapdp.empty`).
fn empty(column: &str) -> Message {
    Message::new("io.camtrapdp.empty").with("column", column)
}

/// What to read and how.
#[derive(Debug, Clone, Default)]
pub struct PackageOptions<'a> {
    /// The catalog's name as given by the user; otherwise taken from the package.
    pub name: Option<&'a str>,
    /// Keep only this scientific name (exact), if given.
    pub species: Option<&'a str>,
}

/// Reads one Camtrap DP package from its files (paths relative to the package folder, or all
/// under one prefix such as `cn/`). Returns the catalog (if the package was usable) and one
/// report per file.
pub fn read_package(prefix: &str, files: &[&InputFile], opts: &PackageOptions) -> (Option<Catalog>, Vec<FileReport>) {
    read_package_with_progress(prefix, files, opts, &mut |_| {})
}

/// [`read_package`], telling `progress` the fraction of `observations.csv` read (0..1) every
/// [`PROGRESS_ROWS`](super::table::PROGRESS_ROWS) rows, so a page can show a big file's parse.
pub fn read_package_with_progress(
    prefix: &str,
    files: &[&InputFile],
    opts: &PackageOptions,
    progress: &mut dyn FnMut(f64),
) -> (Option<Catalog>, Vec<FileReport>) {
    let mut reports = Vec::new();
    let catalog = read_inner(prefix, files, opts, &mut reports, progress);
    (catalog, reports)
}

fn find<'f>(prefix: &str, files: &[&'f InputFile], rel: &str) -> Option<&'f InputFile> {
    let want = format!("{prefix}{rel}");
    files.iter().copied().find(|f| f.name == want)
}

/// What `datapackage.json` says: the resource paths and the package's names.
struct Descriptor {
    paths: HashMap<&'static str, String>,
    title: Option<String>,
    acronym: Option<String>,
    pkg_name: Option<String>,
    /// The version, when the package is older than 1.0 and upgraded on read.
    legacy: Option<String>,
}

/// Reads and checks `datapackage.json`, pushing its report; `None` when the package cannot be read
/// (its other files are then reported as not read).
fn read_descriptor(prefix: &str, files: &[&InputFile], reports: &mut Vec<FileReport>) -> Option<Descriptor> {
    let dp_name = format!("{prefix}datapackage.json");
    let mut dp_report = FileReport::new(&dp_name, "Camtrap DP descriptor");
    let Some(dp_file) = find(prefix, files, "datapackage.json") else {
        dp_report.file_error(None, Message::new("io.camtrapdp.no_descriptor"));
        reports.push(dp_report);
        return None;
    };
    let text = match super::encoding::decode_as(&dp_name, &dp_file.bytes, dp_file.encoding, Some(&mut dp_report)) {
        Ok(t) => t,
        Err(e) => {
            dp_report.issues.push(e.to_issue());
            reports.push(dp_report);
            not_read(prefix, files, "datapackage.json", reports);
            return None;
        }
    };
    let dp: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            // A whole-file failure (row `None`, so `failed()` sees it); the line and character
            // go into the column and the message.
            dp_report.file_error(
                Some(&format!("line {}, character {}", e.line(), e.column())),
                Message::new("io.camtrapdp.invalid_json")
                    .with("line", e.line())
                    .with("character", e.column())
                    .with("reason", e.to_string()),
            );
            reports.push(dp_report);
            not_read(prefix, files, "datapackage.json", reports);
            return None;
        }
    };
    let version = match upgrade::declared_version(&dp) {
        Declared::Known(v) => {
            if v.upgraded() {
                dp_report.note(Message::new("io.camtrapdp.upgraded").with("version", v.as_str()));
            }
            Some(v)
        }
        Declared::Unknown(v) => {
            dp_report.file_error(Some("profile"), upgrade::unknown_version_message(&v));
            None
        }
        Declared::Unstated => {
            match dp.get("profile").and_then(|p| p.as_str()) {
                Some(profile) => dp_report.warn(
                    None,
                    Some("profile"),
                    Message::new("io.camtrapdp.other_profile").with("profile", profile),
                ),
                None => dp_report.warn(None, Some("profile"), Message::new("io.camtrapdp.no_profile")),
            }
            None
        }
    };
    let resource_path = |name: &str| -> Result<Option<String>, Message> {
        let Some(res) = dp
            .get("resources")
            .and_then(|r| r.as_array())
            .and_then(|a| a.iter().find(|r| r.get("name").and_then(|n| n.as_str()) == Some(name)))
        else {
            return Ok(None);
        };
        let path = match res.get("path") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(a)) if a.len() == 1 => a[0].as_str().unwrap_or_default().to_string(),
            Some(_) => return Err(Message::new("io.camtrapdp.resource_many_paths").with("resource", name)),
            None => return Err(Message::new("io.camtrapdp.resource_no_path").with("resource", name)),
        };
        if path.contains("://") {
            return Err(Message::new("io.camtrapdp.resource_remote").with("resource", name).with("path", path));
        }
        Ok(Some(path))
    };
    let mut paths = HashMap::new();
    for (res, required) in [("deployments", true), ("observations", true), ("media", false)] {
        match resource_path(res) {
            Ok(Some(p)) => {
                paths.insert(res, p);
            }
            Ok(None) if required => {
                dp_report
                    .file_error(Some("resources"), Message::new("io.camtrapdp.resource_missing").with("resource", res));
            }
            Ok(None) => {}
            Err(msg) => dp_report.file_error(Some("resources"), msg),
        }
    }
    let title = dp.get("title").and_then(|t| t.as_str()).map(str::to_string);
    let acronym = dp.pointer("/project/acronym").and_then(|t| t.as_str()).map(str::to_string);
    let pkg_name = dp.get("name").and_then(|t| t.as_str()).map(str::to_string);
    if let Some(media) = paths.get("media") {
        if find(prefix, files, media).is_none() {
            dp_report.note(Message::new("io.camtrapdp.media_absent").with("path", media));
        }
    }
    let failed = dp_report.failed();
    reports.push(dp_report);
    if failed {
        not_read(prefix, files, "datapackage.json", reports);
        return None;
    }
    let legacy = version.filter(Version::upgraded).map(|v| v.as_str().to_string());
    Some(Descriptor { paths, title, acronym, pkg_name, legacy })
}

fn read_inner(
    prefix: &str,
    files: &[&InputFile],
    opts: &PackageOptions,
    reports: &mut Vec<FileReport>,
    progress: &mut dyn FnMut(f64),
) -> Option<Catalog> {
    let Descriptor { paths, title, acronym, pkg_name, legacy } = read_descriptor(prefix, files, reports)?;
    // Deployments.
    let dep_path = &paths["deployments"];
    let dep_name = format!("{prefix}{dep_path}");
    let mut dep_report = FileReport::new(&dep_name, "Camtrap DP deployments");
    let Some(dep_file) = find(prefix, files, dep_path) else {
        dep_report.file_error(None, Message::new("io.camtrapdp.file_absent").with("path", dep_path));
        reports.push(dep_report);
        return None;
    };
    let (stations, groups, dep_rows) = match read_deployments(dep_file, &dep_name, legacy.as_deref(), &mut dep_report) {
        Ok(v) => v,
        Err(e) => {
            dep_report.fail(e);
            reports.push(dep_report);
            let obs_path = &paths["observations"];
            if let Some(obs) = find(prefix, files, obs_path) {
                let mut r = FileReport::new(&obs.name, "Camtrap DP observations");
                r.file_error(None, Message::new("io.camtrapdp.not_read").with("path", dep_path));
                reports.push(r);
            }
            return None;
        }
    };
    reports.push(dep_report);

    let name = opts
        .name
        .map(str::to_string)
        .or_else(|| common_group_tag(&groups))
        .or(acronym)
        .or(pkg_name)
        .unwrap_or_else(|| prefix.trim_end_matches('/').to_string());

    // Observations.
    let obs_path = &paths["observations"];
    let obs_name = format!("{prefix}{obs_path}");
    let mut obs_report = FileReport::new(&obs_name, "Camtrap DP observations");
    let Some(obs_file) = find(prefix, files, obs_path) else {
        obs_report.file_error(None, Message::new("io.camtrapdp.file_absent").with("path", obs_path));
        reports.push(obs_report);
        return None;
    };
    let detections = match read_observations(
        obs_file,
        &obs_name,
        &stations,
        &dep_rows,
        opts,
        legacy.as_deref(),
        &mut obs_report,
        progress,
    ) {
        Ok(d) => d,
        Err(e) => {
            obs_report.fail(e);
            reports.push(obs_report);
            return None;
        }
    };
    reports.push(obs_report);
    report_other_files(prefix, files, &paths, &name, reports);
    let stations = stations.into_iter().flatten().collect::<Vec<_>>();
    let simulated =
        groups.iter().flatten().any(|g| g.split('|').any(|t| t.trim().eq_ignore_ascii_case("simulated:true")));
    Some(Catalog { name, title, source: prefix.trim_end_matches('/').to_string(), stations, detections, simulated })
}

/// Accounts for the package's files other than the descriptor, deployments and observations:
/// nothing is passed over silently.
fn report_other_files(
    prefix: &str,
    files: &[&InputFile],
    paths: &HashMap<&'static str, String>,
    name: &str,
    reports: &mut Vec<FileReport>,
) {
    let (dep_path, obs_path) = (&paths["deployments"], &paths["observations"]);
    for f in files {
        let Some(rel) = f.name.strip_prefix(prefix) else { continue };
        if rel == "datapackage.json" || rel == dep_path.as_str() || rel == obs_path.as_str() {
            continue;
        }
        let mut r;
        if paths.get("media").map(String::as_str) == Some(rel) {
            r = FileReport::new(&f.name, "Camtrap DP media");
            r.note(Message::new("io.camtrapdp.media_not_read"));
        } else {
            r = FileReport::new(&f.name, "not a Camtrap DP resource");
            r.note(Message::new("io.camtrapdp.other_resource").with("package", name));
        }
        reports.push(r);
    }
}

/// Reports the package's CSV files as not read (nothing is dropped silently) when `failed`
/// stopped the package.
fn not_read(prefix: &str, files: &[&InputFile], failed: &str, reports: &mut Vec<FileReport>) {
    for f in files {
        let Some(rel) = f.name.strip_prefix(prefix) else { continue };
        let kind = match rel {
            "deployments.csv" => "Camtrap DP deployments",
            "observations.csv" => "Camtrap DP observations",
            _ => continue,
        };
        let mut r = FileReport::new(&f.name, kind);
        r.file_error(None, Message::new("io.camtrapdp.not_read").with("path", failed));
        reports.push(r);
    }
}

/// A `catalog:XX` or `country:XX` tag shared by every deployment's `deploymentGroups`.
fn common_group_tag(groups: &[Option<String>]) -> Option<String> {
    let mut found: Option<String> = None;
    for g in groups {
        let tag = g.as_deref().and_then(|g| {
            g.split('|').map(str::trim).find_map(|t| {
                t.strip_prefix("catalog:").or_else(|| t.strip_prefix("country:")).map(|v| v.trim().to_string())
            })
        })?;
        match &found {
            None => found = Some(tag),
            Some(f) if *f == tag => {}
            Some(_) => return None,
        }
    }
    found
}

/// Stations in file order (`None` for a rejected row), each row's `deploymentGroups`, and each
/// row's (line, deploymentID as written).
type Deployments = (Vec<Option<Station>>, Vec<Option<String>>, Vec<(usize, Option<String>)>);

fn read_deployments(
    file: &InputFile,
    name: &str,
    legacy: Option<&str>,
    report: &mut FileReport,
) -> Result<Deployments, IoError> {
    let mut t = Table::parse_named(name, file, report)?;
    if let Some(v) = legacy {
        upgrade::upgrade_table(&mut t, Resource::Deployments, v, report);
    }
    let c = t.require(&["deploymentID", "latitude", "longitude", "deploymentStart", "deploymentEnd"])?;
    let (c_id, c_lat, c_lon, c_start, c_end) = (c[0], c[1], c[2], c[3], c[4]);
    let c_loc = t.col("locationID");
    let c_groups = t.col("deploymentGroups");
    let mut stations = Vec::new();
    let mut groups = Vec::new();
    let mut lines = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &t.rows {
        report.rows_read += 1;
        lines.push((row.line, row.get(c_id).map(str::to_string)));
        groups.push(c_groups.and_then(|g| row.get(g)).map(str::to_string));
        let station = (|| {
            if !t.check_width(row, report) {
                return None;
            }
            let Some(id) = row.get(c_id) else {
                report.reject(row.line, Some("deploymentID"), empty("deploymentID"));
                return None;
            };
            if let Some(first) = seen.get(id) {
                let m = Message::new("io.camtrapdp.deployment_repeated").with("id", id).with("first", *first);
                report.reject(row.line, Some("deploymentID"), m);
                return None;
            }
            seen.insert(id.to_string(), row.line);
            let num = |col: usize, label: &str, report: &mut FileReport| -> Option<f64> {
                match row.get(col).map(|v| v.parse::<f64>()) {
                    Some(Ok(v)) => Some(v),
                    Some(Err(_)) => {
                        let m = Message::new("io.camtrapdp.not_number").with("value", row.get(col).unwrap());
                        report.reject(row.line, Some(label), m);
                        None
                    }
                    None => {
                        report.reject(row.line, Some(label), empty(label));
                        None
                    }
                }
            };
            let lat = num(c_lat, "latitude", report)?;
            let lon = num(c_lon, "longitude", report)?;
            let position = match LatLon::checked(lat, lon) {
                Ok(p) => p,
                Err(msg) => {
                    let col = if (-90.0..=90.0).contains(&lat) { "longitude" } else { "latitude" };
                    report.reject(row.line, Some(col), msg);
                    return None;
                }
            };
            let ts = |col: usize, label: &str, report: &mut FileReport| -> Option<Timestamp> {
                match row.get(col).map(parse_timestamp) {
                    Some(Ok(t)) => Some(t),
                    Some(Err(msg)) => {
                        report.reject(row.line, Some(label), msg);
                        None
                    }
                    None => {
                        report.reject(row.line, Some(label), empty(label));
                        None
                    }
                }
            };
            let start = ts(c_start, "deploymentStart", report)?;
            let end = ts(c_end, "deploymentEnd", report)?;
            if end < start {
                report.reject(
                    row.line,
                    Some("deploymentEnd"),
                    Message::new("io.camtrapdp.end_before_start")
                        .with("end", end.to_string())
                        .with("start", start.to_string()),
                );
                return None;
            }
            report.rows_used += 1;
            Some(Station {
                id: id.to_string(),
                location_id: c_loc.and_then(|c| row.get(c)).map(str::to_string),
                position,
                start,
                end,
                problems: Vec::new(),
            })
        })();
        stations.push(station);
    }
    if t.rows.is_empty() {
        report.warn(None, None, Message::new("io.camtrapdp.no_deployments"));
    }
    flag_overlapping_deployments(&stations, &lines, report);
    Ok((stations, groups, lines))
}

/// Codes of the messages saying why no observation of a file was used (the CLI repeats them
/// under an empty table).
pub const NOTHING_LEFT: &[&str] = &["io.camtrapdp.no_species", "io.camtrapdp.nothing_used"];

/// Individuals seen exactly once each over at least this many detections look like per-event
/// IDs (a new ID for every sequence), not individuals.
pub const PER_EVENT_MIN_DETECTIONS: usize = 10;

#[allow(clippy::too_many_arguments)]
fn read_observations(
    file: &InputFile,
    name: &str,
    stations: &[Option<Station>],
    dep_rows: &[(usize, Option<String>)],
    opts: &PackageOptions,
    legacy: Option<&str>,
    report: &mut FileReport,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<Detection>, IoError> {
    let text = super::encoding::decode_borrowed(name, &file.bytes, file.encoding, Some(&mut *report))?;
    let source = ObservationSource::open(name, &text, legacy, report)?;
    let t = source.head();
    let c = t.require(&["observationID", "deploymentID", "eventStart", "observationLevel", "observationType"])?;
    let (c_oid, c_dep, c_start, c_level, c_type) = (c[0], c[1], c[2], c[3], c[4]);
    let c_ind = t.col("individualID");
    let c_sci = t.col("scientificName");
    let c_sex = t.col("sex");
    if c_ind.is_none() {
        report.warn(Some(1), Some("individualID"), Message::new("io.camtrapdp.no_individual_column"));
    }
    // Deployment ID -> (index among kept stations, or the row where it was rejected).
    let mut kept_index = HashMap::new();
    let mut rejected_line = HashMap::new();
    for (s, (line, id)) in stations.iter().zip(dep_rows) {
        match (s, id) {
            (Some(st), _) => {
                let k = kept_index.len();
                kept_index.insert(st.id.clone(), k);
            }
            (None, Some(id)) => {
                rejected_line.entry(id.clone()).or_insert(*line);
            }
            (None, None) => {}
        }
    }
    let has_event = source.has_event(c_level)?;
    let rows = ObservationRows::with_levels(t, c_level, c_type, c_start, ObservationWording::CATALOG, has_event);
    let kept: Vec<&Station> = stations.iter().flatten().collect();
    let mut out = Vec::new();
    let mut ids = ObservationIds::default();
    let mut present = SpeciesPresent::default();
    let mut coarse = super::times::CoarseTimes::default();
    // The deployment is placed before observationType is looked at: a row of an unknown or
    // rejected deployment is rejected whatever its type.
    source.walk(&rows, report, progress, |row, report| {
        if !ids.first(row, c_oid, report) {
            return false;
        }
        let Some(dep) = row.get(c_dep) else {
            report.reject(row.line, Some("deploymentID"), empty("deploymentID"));
            return false;
        };
        let Some(&si) = kept_index.get(dep) else {
            let why = match rejected_line.get(dep) {
                Some(line) => Message::new("io.camtrapdp.deployment_rejected").with("id", dep).with("row", *line),
                None => Message::new("io.camtrapdp.unknown_deployment").with("id", dep),
            };
            report.reject(row.line, Some("deploymentID"), why);
            return false;
        };
        if !rows.animal(row, report) {
            return false;
        }
        let species = c_sci.and_then(|c| row.get(c)).map(str::to_string);
        present.add(species.as_deref());
        if let Some(want) = opts.species {
            if !species.as_deref().is_some_and(|s| crate::model::species::matches_filter(want, s)) {
                report.skip(Message::new("io.camtrapdp.other_species").with("species", want));
                return false;
            }
        }
        let Some(ind) = c_ind.and_then(|c| row.get(c)) else {
            report.skip(Message::new("io.camtrapdp.no_individual"));
            return false;
        };
        let Some((time, precision)) = rows.event_start(row, kept[si], report) else {
            return false;
        };
        if !rows.within(row, time, precision, kept[si], report) {
            return false;
        }
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
        true
    })?;
    coarse.report(report);
    ids.report(report);
    let unidentified = report.rows_skipped.iter().any(|(r, _)| r.starts_with("no individualID"));
    if c_ind.is_some() && out.is_empty() && unidentified {
        report.warn(None, Some("individualID"), Message::new("io.camtrapdp.no_individuals"));
    }
    if out.is_empty() && report.rows_read > 0 {
        report.warn(None, None, nothing_left(report, opts.species, &present));
    }
    flag_per_event_ids(&out, report);
    Ok(out)
}

/// The `observationID`s seen, to count a repeated observation once and name its rows. Kept
/// small, as a big file has a million of them: one boxed ID and its first row each, and the
/// rows of an ID only when it repeats.
#[derive(Default)]
struct ObservationIds {
    /// ID -> the row it is first on.
    first: HashMap<Box<str>, usize>,
    /// Repeated ID -> every row it is on, in file order.
    repeats: HashMap<Box<str>, Vec<usize>>,
}

impl ObservationIds {
    /// Whether the row is the first with its `observationID` (a repeat is skipped).
    fn first(&mut self, row: &Row, c_oid: usize, report: &mut FileReport) -> bool {
        let Some(id) = row.get(c_oid) else { return true };
        match self.first.get(id) {
            Some(&line) => {
                self.repeats.entry(id.into()).or_insert_with(|| vec![line]).push(row.line);
                report.skip(Message::new("io.camtrapdp.duplicate_skip"));
                false
            }
            None => {
                self.first.insert(id.into(), row.line);
                true
            }
        }
    }

    /// One warning per repeated `observationID`, at its second row, naming every row, in the
    /// order the IDs first appear.
    fn report(&self, report: &mut FileReport) {
        let mut repeats: Vec<(&str, &Vec<usize>)> = self.repeats.iter().map(|(id, l)| (&**id, l)).collect();
        repeats.sort_by_key(|(_, lines)| lines[0]);
        for (id, lines) in repeats {
            let list = lines.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
            report.warn(
                Some(lines[1]),
                Some("observationID"),
                Message::new("io.camtrapdp.duplicate_observation")
                    .with("id", id)
                    .with("rows", list)
                    .with("n", lines.len()),
            );
        }
    }
}

/// Animal observations per scientific name, before any species filter.
#[derive(Default)]
pub(crate) struct SpeciesPresent {
    counts: HashMap<String, usize>,
}

impl SpeciesPresent {
    pub(crate) fn add(&mut self, species: Option<&str>) {
        match species.map(|s| (s, self.counts.get_mut(s))) {
            Some((_, Some(n))) => *n += 1,
            Some((s, None)) => {
                self.counts.insert(s.to_string(), 1);
            }
            None => {}
        }
    }

    /// `Name (n), …`, most observed first; `none` when no animal had a name.
    fn list(&self) -> String {
        let mut v: Vec<(&String, &usize)> = self.counts.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        if v.is_empty() {
            return "none".to_string();
        }
        v.iter().map(|(s, n)| format!("{s} ({n})")).collect::<Vec<_>>().join(", ")
    }
}

/// Why no observation was used, in words: the rows skipped by reason, the rows rejected and
/// the species present.
pub(crate) fn nothing_left(report: &FileReport, species: Option<&str>, present: &SpeciesPresent) -> Message {
    let skipped = report.rows_skipped.iter().map(|(r, n)| format!("{r} ({n})")).collect::<Vec<_>>().join("; ");
    let skipped = if skipped.is_empty() { "none".to_string() } else { skipped };
    let m = match species {
        Some(s) => Message::new("io.camtrapdp.no_species").with("species", s),
        None => Message::new("io.camtrapdp.nothing_used"),
    };
    m.with("present", present.list()).with("skipped", skipped).with("rejected", report.rows_rejected)
}

/// Warns when every individual is seen exactly once over at least
/// [`PER_EVENT_MIN_DETECTIONS`] detections: the IDs look like one per event, not per animal.
fn flag_per_event_ids(out: &[Detection], report: &mut FileReport) {
    if out.len() < PER_EVENT_MIN_DETECTIONS {
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for d in out {
        *seen.entry(d.individual.as_str()).or_default() += 1;
    }
    if seen.values().all(|&n| n == 1) {
        let rows = out.iter().take(3).map(|d| d.source_row.to_string()).collect::<Vec<_>>().join(", ");
        report.warn(
            None,
            Some("individualID"),
            Message::new("io.camtrapdp.per_event_ids").with("n", out.len()).with("rows", rows),
        );
    }
}

/// Warns, naming both rows, when two kept deployments at one location (the same `locationID`,
/// or the same coordinates when there is none) overlap in time: one camera listed twice, or
/// two cameras at one place, which count the same animals twice.
fn flag_overlapping_deployments(
    stations: &[Option<Station>],
    lines: &[(usize, Option<String>)],
    report: &mut FileReport,
) {
    let kept: Vec<(usize, &Station)> =
        stations.iter().zip(lines).filter_map(|(s, (line, _))| s.as_ref().map(|s| (*line, s))).collect();
    let place = |s: &Station| match &s.location_id {
        Some(l) => format!("'{l}'"),
        None => format!("{:.6}, {:.6}", s.position.lat, s.position.lon),
    };
    for (i, (la, a)) in kept.iter().enumerate() {
        for (lb, b) in &kept[i + 1..] {
            if place(a) != place(b) || a.end <= b.start || b.end <= a.start {
                continue;
            }
            let (from, to) = (a.start.max(b.start), a.end.min(b.end));
            report.warn(
                Some(*lb),
                Some("deploymentStart"),
                Message::new("io.camtrapdp.overlapping_deployments")
                    .with("a", a.id.as_str())
                    .with("row_a", *la)
                    .with("b", b.id.as_str())
                    .with("row_b", *lb)
                    .with("location", place(a))
                    .with("from", from.to_rfc3339())
                    .with("to", to.to_rfc3339()),
            );
        }
    }
}

/// How the two readers of `observations.csv` (the catalog reader here and the all-species
/// reader of `charts::records`) word the same rejections differently; kept as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObservationWording {
    /// An empty `observationLevel` is rejected as "observationLevel is empty" (`true`) or as
    /// "observationLevel '' is not 'media' or 'event'" (`false`).
    pub empty_level_named: bool,
    /// An `eventStart` outside its deployment is rejected with the deployment's start and end
    /// (`true`) or with its ID only (`false`).
    pub range_with_dates: bool,
}

impl ObservationWording {
    /// The catalog reader's wording.
    pub const CATALOG: ObservationWording = ObservationWording { empty_level_named: true, range_with_dates: true };
    /// The all-species reader's wording (`charts::records`).
    pub const ALL_SPECIES: ObservationWording =
        ObservationWording { empty_level_named: false, range_with_dates: false };
}

/// The data rows of a Camtrap DP `observations.csv` and the checks every reader of it makes:
/// the row's width, its `observationLevel` (event-level observations when the file has any,
/// media-level ones otherwise), `observationType` = `animal`, and an `eventStart` with its UTC
/// offset inside its deployment. What else a reader needs (which deployment, species,
/// individual), and in which order, stays with the reader.
pub struct ObservationRows<'t> {
    table: &'t Table,
    c_level: usize,
    c_type: usize,
    c_start: usize,
    wording: ObservationWording,
    has_event: bool,
    /// The first controlled value written in another case (as written, as read), for the note.
    folded: std::cell::RefCell<Option<(String, &'static str)>>,
}

/// Whether a row's `observationLevel` (column `c_level`) is `event`, in any case.
fn is_event(r: &Row, c_level: usize) -> bool {
    r.get(c_level).is_some_and(|v| v.eq_ignore_ascii_case("event"))
}

/// An `observations.csv` as read: streamed row by row (a 1.0 file, however big), or whole
/// when an older package's table is upgraded to 1.0 first (those are small).
enum ObservationSource<'t> {
    Whole(Table),
    Stream(TableStream<'t>),
}

impl<'t> ObservationSource<'t> {
    /// Opens decoded `text`; with `legacy` (an older package's version) the table is read
    /// whole and upgraded; `legacy` = `Some("")` upgrades only if it looks older (see
    /// [`upgrade::upgrade_if_older`]).
    fn open(name: &str, text: &'t str, legacy: Option<&str>, report: &mut FileReport) -> Result<Self, IoError> {
        match legacy {
            None => Ok(ObservationSource::Stream(Table::stream(name, text, report)?)),
            Some(v) => {
                let mut t = Table::parse_text(name, text, report)?;
                if v.is_empty() {
                    upgrade::upgrade_if_older(&mut t, report);
                } else {
                    upgrade::upgrade_table(&mut t, Resource::Observations, v, report);
                }
                Ok(ObservationSource::Whole(t))
            }
        }
    }

    /// The header (and, when read whole, the rows).
    fn head(&self) -> &Table {
        match self {
            ObservationSource::Whole(t) => t,
            ObservationSource::Stream(s) => &s.head,
        }
    }

    /// Whether any row is event-level (a stream stops at the first).
    fn has_event(&self, c_level: usize) -> Result<bool, IoError> {
        match self {
            ObservationSource::Whole(t) => Ok(t.rows.iter().any(|r| is_event(r, c_level))),
            ObservationSource::Stream(s) => {
                let mut found = false;
                s.for_each_row(&mut |_| {}, |r| {
                    found = is_event(r, c_level);
                    if found {
                        std::ops::ControlFlow::Break(())
                    } else {
                        std::ops::ControlFlow::Continue(())
                    }
                })?;
                Ok(found)
            }
        }
    }

    /// Every row through [`ObservationRows::visit`], then [`ObservationRows::finish`];
    /// `progress` gets the fraction read.
    fn walk(
        &self,
        rows: &ObservationRows,
        report: &mut FileReport,
        progress: &mut dyn FnMut(f64),
        mut row: impl FnMut(&Row, &mut FileReport) -> bool,
    ) -> Result<(), IoError> {
        match self {
            ObservationSource::Whole(t) => t.rows.iter().for_each(|r| rows.visit(r, report, &mut row)),
            ObservationSource::Stream(s) => s.for_each_row(progress, |r| {
                rows.visit(r, report, &mut row);
                std::ops::ControlFlow::Continue(())
            })?,
        }
        rows.finish(report);
        Ok(())
    }
}

/// The `observationLevel` values of Camtrap DP.
const LEVELS: &[&str] = &["event", "media"];
/// The `observationType` values of Camtrap DP.
const TYPES: &[&str] = &["animal", "human", "vehicle", "blank", "unknown", "unclassified"];

impl<'t> ObservationRows<'t> {
    /// `c_level`, `c_type` and `c_start` are the columns `observationLevel`,
    /// `observationType` and `eventStart` of `table`.
    pub fn new(table: &'t Table, c_level: usize, c_type: usize, c_start: usize, wording: ObservationWording) -> Self {
        let has_event = table.rows.iter().any(|r| is_event(r, c_level));
        ObservationRows::with_levels(table, c_level, c_type, c_start, wording, has_event)
    }

    /// [`ObservationRows::new`] for rows that are not in `table` (streamed ones: `table` is then
    /// the header, see [`TableStream`]), told whether the file has event-level rows.
    pub fn with_levels(
        table: &'t Table,
        c_level: usize,
        c_type: usize,
        c_start: usize,
        wording: ObservationWording,
        has_event: bool,
    ) -> Self {
        ObservationRows { table, c_level, c_type, c_start, wording, has_event, folded: Default::default() }
    }

    /// The controlled value `v` of `vocabulary` matched without regard to case (remembering
    /// the first value written in another case), or `v` itself when it is not in it.
    fn fold<'v>(&self, v: &'v str, vocabulary: &[&'static str]) -> &'v str {
        match vocabulary.iter().find(|w| w.eq_ignore_ascii_case(v)) {
            Some(w) if *w != v => {
                self.folded.borrow_mut().get_or_insert_with(|| (v.to_string(), w));
                w
            }
            Some(w) => w,
            None => v,
        }
    }

    /// Walks every data row once: counts it as read, rejects it if its width or
    /// `observationLevel` is wrong, skips a media-level row when event-level ones are used,
    /// and hands the others to `row`, which either uses the row (returns `true`; it is
    /// counted as used) or skips or rejects it in `report` (returns `false`). So
    /// used + skipped + rejected = read.
    pub fn walk(&self, report: &mut FileReport, mut row: impl FnMut(&Row, &mut FileReport) -> bool) {
        for r in &self.table.rows {
            self.visit(r, report, &mut row);
        }
        self.finish(report);
    }

    /// One row of [`ObservationRows::walk`] (for rows streamed one at a time); call
    /// [`ObservationRows::finish`] after the last.
    pub fn visit(&self, r: &Row, report: &mut FileReport, row: &mut impl FnMut(&Row, &mut FileReport) -> bool) {
        report.rows_read += 1;
        if !self.table.check_width(r, report) || !self.level(r, report) {
            return;
        }
        if row(r, report) {
            report.rows_used += 1;
        }
    }

    /// What [`ObservationRows::walk`] says after the last row (a vocabulary read without
    /// regard to case).
    pub fn finish(&self, report: &mut FileReport) {
        if let Some((written, read)) = self.folded.borrow().as_ref() {
            report.note(
                Message::new("io.camtrapdp.case_insensitive").with("written", written.as_str()).with("read", *read),
            );
        }
    }

    /// Whether the row's `observationLevel` is the one used (skipped or rejected otherwise).
    fn level(&self, row: &Row, report: &mut FileReport) -> bool {
        match row.get(self.c_level).map(|v| self.fold(v, LEVELS)) {
            Some("event") => true,
            Some("media") if self.has_event => {
                report.skip(Message::new("io.camtrapdp.media_level_skip"));
                false
            }
            Some("media") => true,
            None if self.wording.empty_level_named => {
                report.reject(row.line, Some("observationLevel"), empty("observationLevel"));
                false
            }
            other => {
                report.reject(
                    row.line,
                    Some("observationLevel"),
                    Message::new("io.camtrapdp.bad_level").with("value", other.unwrap_or("")),
                );
                false
            }
        }
    }

    /// Whether the row's `observationType` is `animal` (skipped with the type otherwise).
    pub fn animal(&self, row: &Row, report: &mut FileReport) -> bool {
        let t = row.get(self.c_type).map(|v| self.fold(v, TYPES));
        if t == Some("animal") {
            return true;
        }
        report.skip(Message::new("io.camtrapdp.not_animal").with("value", t.unwrap_or("")));
        false
    }

    /// The row's `eventStart` and its precision (rejected if empty or without a UTC offset; a
    /// date alone is placed in the offset of its deployment's start).
    pub fn event_start(&self, row: &Row, st: &Station, report: &mut FileReport) -> Option<(Timestamp, TimePrecision)> {
        match row.get(self.c_start).map(|s| super::times::parse_iso(s, Some(*st.start.offset()))) {
            Some(Ok(t)) => Some(t),
            Some(Err(msg)) => {
                report.reject(row.line, Some("eventStart"), msg);
                None
            }
            None => {
                report.reject(row.line, Some("eventStart"), empty("eventStart"));
                None
            }
        }
    }

    /// Whether `time` (standing for `[time, time + precision)`) meets deployment `st` (the row is
    /// rejected otherwise).
    pub fn within(
        &self,
        row: &Row,
        time: Timestamp,
        precision: TimePrecision,
        st: &Station,
        report: &mut FileReport,
    ) -> bool {
        if precision.end(&time) > st.start && time <= st.end {
            return true;
        }
        let msg = if self.wording.range_with_dates {
            Message::new("io.camtrapdp.outside_deployment_dates")
                .with("from", st.start.to_rfc3339())
                .with("to", st.end.to_rfc3339())
        } else {
            Message::new("io.camtrapdp.outside_deployment")
        };
        let msg = msg.with("time", time.to_rfc3339()).with("id", st.id.as_str());
        report.reject(row.line, Some("eventStart"), msg);
        false
    }
}

/// Every animal observation of catalog `cat` (number `ci` of the catalogs read) in its
/// `observations.csv`, identified or not, with the catalog reader's rules: event-level rows when
/// the package has any, `observationType` = `animal`, a `scientificName`, an `eventStart` with its
/// UTC offset inside its deployment. Every row is used, skipped (with a reason) or rejected
/// (with row and column) in `report`.
pub fn read_species_records(
    file: &InputFile,
    ci: usize,
    cat: &Catalog,
    report: &mut FileReport,
    out: &mut Vec<SpeciesRecord>,
) {
    let text = match super::encoding::decode_borrowed(&file.name, &file.bytes, file.encoding, Some(&mut *report)) {
        Ok(t) => t,
        Err(e) => return report.fail(e),
    };
    // An older table (no eventStart and no observationLevel) is read whole and upgraded.
    let head = Table { file: file.name.clone(), header: super::table::header_of(&text), rows: Vec::new() };
    let looks_older = head.col("eventStart").is_none() && head.col("observationLevel").is_none();
    let source = match ObservationSource::open(&file.name, &text, looks_older.then_some(""), report) {
        Ok(s) => s,
        Err(e) => return report.fail(e),
    };
    let t = source.head();
    let c = match t.require(&["deploymentID", "eventStart", "observationLevel", "observationType", "scientificName"]) {
        Ok(c) => c,
        Err(e) => return report.fail(e),
    };
    let (c_dep, c_start, c_level, c_type, c_sci) = (c[0], c[1], c[2], c[3], c[4]);
    let c_ind = t.col("individualID");
    let has_event = match source.has_event(c_level) {
        Ok(h) => h,
        Err(e) => return report.fail(e),
    };
    let rows = ObservationRows::with_levels(t, c_level, c_type, c_start, ObservationWording::ALL_SPECIES, has_event);
    // Unlike the catalog reader, observationType and scientificName are looked at before the
    // deployment: a row that is not an animal is skipped whatever its deployment.
    let walked = source.walk(&rows, report, &mut |_| {}, |row, report| {
        if !rows.animal(row, report) {
            return false;
        }
        let Some(species) = row.get(c_sci) else {
            report.skip(Message::new("io.camtrapdp.no_scientific_name"));
            return false;
        };
        let dep = row.get(c_dep).unwrap_or("");
        let Some(si) = cat.stations.iter().position(|s| s.id == dep) else {
            report.reject(
                row.line,
                Some("deploymentID"),
                Message::new("io.camtrapdp.unusable_deployment").with("id", dep).with("catalog", cat.name.as_str()),
            );
            return false;
        };
        let Some((time, precision)) = rows.event_start(row, &cat.stations[si], report) else {
            return false;
        };
        if !rows.within(row, time, precision, &cat.stations[si], report) {
            return false;
        }
        out.push(SpeciesRecord {
            catalog: ci,
            station: si,
            species: species.to_string(),
            time,
            precision,
            individual: c_ind.and_then(|c| row.get(c)).map(str::to_string),
        });
        true
    });
    if let Err(e) = walked {
        report.fail(e);
    }
}
