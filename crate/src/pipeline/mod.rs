//! The whole cross-border pipeline over a set of dropped files: recognise what each file is,
//! read catalogs, border and links, join, summarise. Used identically by the CLI, the WASM
//! module and the tests.
//!
//! Layer: the only orchestrator — may import every layer below it (`model` … `render`).

pub mod chartset;
pub mod demo;
pub mod estimates;
pub mod export;
pub mod inputs;
pub mod review;
pub mod snow_demo;
pub mod waterbirds;

use crate::identity::join::join_tables;
use crate::io::archive::{expand_zip_within, is_zip, ZipLimits};
use crate::io::camtrapdp::{read_package_with_progress, PackageOptions};
use crate::io::camtrapr::{parse_offset, read_tables, CamtraprOptions};
use crate::io::links::read_links;
use crate::io::{FileReport, InputFile};
use crate::model::joint::{JointCatalog, Link};
use crate::model::message::Message;
use crate::model::Catalog;
use crate::spatial::border::read_border;
use crate::spatial::Border;
use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::identity::summary::build_analysis;
pub use crate::identity::summary::{Analysis, CatalogView, InputDigest, StationView};
use std::collections::BTreeMap;

/// Options, as one serde struct (the same JSON in the CLI, the page and tests).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisOptions {
    /// Catalog name per source (package folder, zip name or camtrapR folder), overriding the
    /// name found in the package.
    pub catalog_names: BTreeMap<String, String>,
    /// Keep only detections of this scientific name / species.
    pub species: Option<String>,
    /// CRS of projected camtrapR station coordinates, e.g. `utm:50N`.
    pub crs: Option<String>,
    /// UTC offset of camtrapR local times, e.g. `+08:00` (default `+00:00`, with a note).
    pub utc_offset: Option<String>,
    /// Date format of camtrapR station tables (`dmy`, `ymd`, `mdy` or chrono); detected if absent.
    pub date_format: Option<String>,
    /// Expert decisions applied over the links of the files (latest per pair wins), so that the
    /// summary and every estimate use the joint catalog the expert reviewed.
    pub decisions: Vec<crate::identity::review::Decision>,
    /// Text encoding per file, by the file's name as its report shows it (`cn/observations.csv`
    /// for a file of a zip), overriding detection: a WHATWG label such as `windows-1251` or
    /// `gbk`. An entry that names no file gets a warning; an unknown label is that file's error.
    pub encodings: BTreeMap<String, String>,
    /// How far a dropped zip may expand (per entry, per archive, compression ratio); a zip past
    /// them is refused with the entry named. Defaults: [`ZipLimits::default`].
    #[serde(skip_serializing_if = "ZipLimits::is_default")]
    pub zip_limits: ZipLimits,
}

/// A stage of the pipeline, reported as it starts: a message code (`pipeline.stage.*`, with
/// parameters such as the file's `name`) translated where it is shown, and how far the run is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub stage: Message,
    /// 0..1 over the whole run.
    pub fraction: f64,
}

impl Progress {
    pub fn new(stage: Message, fraction: f64) -> Progress {
        Progress { stage, fraction }
    }

    /// The same stage, its fraction mapped into `from..to` (a part of a longer run).
    pub fn scaled(self, from: f64, to: f64) -> Progress {
        Progress { stage: self.stage, fraction: from + (to - from) * self.fraction.clamp(0.0, 1.0) }
    }
}

/// A reader's error with its place (file, row, column) as one message: in English exactly as
/// the error's own text, `FILE, row N, column 'C': …`.
pub fn located(e: &crate::io::IoError) -> Message {
    let code = match (e.row, &e.column) {
        (None, None) => "general.at.file",
        (Some(_), None) => "general.at.row",
        (None, Some(_)) => "general.at.column",
        (Some(_), Some(_)) => "general.at.row_column",
    };
    let mut m = Message::new(code).with("file", &e.file).with("message", e.message.clone());
    if let Some(r) = e.row {
        m = m.with("row", r);
    }
    if let Some(c) = &e.column {
        m = m.with("column", c);
    }
    m
}

/// The English label of a file kind (FileReport's `kind` stays English; the page translates the
/// kinds of [`FILE_KINDS`]).
fn kind(code: &str) -> String {
    Message::new(code).to_string()
}

/// Codes of the file kinds the pipeline reports (the page shows `kind` in any language by
/// finding its English text here).
pub const FILE_KINDS: &[&str] = &[
    "pipeline.kind.zip",
    "pipeline.kind.unrecognised",
    "pipeline.kind.options",
    "pipeline.kind.border",
    "pipeline.kind.links",
    "pipeline.kind.genotypes",
    "pipeline.kind.analysis",
    "pipeline.kind.camtrapr_stations",
    "pipeline.kind.camtrapr_records",
    "pipeline.kind.catalog",
    "pipeline.kind.observations_all",
    "pipeline.kind.genotype_tables",
];

/// What a dropped file turned out to be.
enum Role<'a> {
    Package(String),
    Border(&'a InputFile),
    Links(&'a InputFile),
    Stations(&'a InputFile),
    Records(&'a InputFile),
    Genotypes(&'a InputFile),
}

fn dir_of(name: &str) -> &str {
    name.rfind('/').map(|i| &name[..=i]).unwrap_or("")
}

fn header_of(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let line = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    line.split(',').map(|h| h.trim().trim_matches('"').to_string()).collect()
}

/// Catalogs, joint catalog and border read from dropped files, before any summary: the input
/// of the cross-border summary and of the estimators.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub catalogs: Vec<Catalog>,
    pub joint: JointCatalog,
    pub border: Option<Border>,
    /// One report per file, in the order read.
    pub reports: Vec<FileReport>,
    /// The links of every links table, by file name, in the order read.
    pub links: Vec<(String, Vec<Link>)>,
    /// Genotype tables recognised among the files (a catalog/country and an individual column).
    pub genotypes: Vec<crate::identity::genotypes::GenotypeTable>,
    /// Expert decisions over the links of the files ([`AnalysisOptions::decisions`]); `joint`
    /// already reflects them.
    pub decisions: Vec<crate::identity::review::Decision>,
    /// The files as given (before zips are expanded), with size and SHA-256: carried into every
    /// [`Analysis`] made from these files.
    pub inputs: Vec<InputDigest>,
}

/// The SHA-256 (FIPS 180-4) of `bytes` in lower-case hex, as `sha256sum` prints it.
///
/// ```
/// // The digest of "abc" from FIPS 180-4, appendix B.1.
/// assert_eq!(
///     borderless::pipeline::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The fingerprints of files as given: name, size and SHA-256 each, in order.
pub fn fingerprints(files: &[InputFile]) -> Vec<InputDigest> {
    files
        .iter()
        .map(|f| InputDigest { name: f.name.clone(), bytes: f.bytes.len() as u64, sha256: sha256_hex(&f.bytes) })
        .collect()
}

/// Runs the pipeline on dropped files (zips are expanded first).
pub fn analyze_files(files: Vec<InputFile>, opts: &AnalysisOptions, progress: &mut dyn FnMut(Progress)) -> Analysis {
    let loaded = load_files(files, opts, progress);
    loaded.analysis(progress)
}

/// Reads dropped files (zips are expanded first) and joins the catalogs.
pub fn load_files(files: Vec<InputFile>, opts: &AnalysisOptions, progress: &mut dyn FnMut(Progress)) -> Loaded {
    progress(Progress::new(Message::new("pipeline.stage.unpacking"), 0.0));
    let inputs = fingerprints(&files);
    let (mut all, mut reports) = expand_archives(files, &opts.zip_limits);
    apply_encodings(&mut all, &opts.encodings, &mut reports);
    Loaded { inputs, ..load_expanded(all.iter(), reports, opts, progress) }
}

/// Sets each file's encoding override from `encodings` (by name). A file whose label is unknown
/// gets a report with that error and is not read; an entry naming no file gets a warning.
pub fn apply_encodings(all: &mut Vec<InputFile>, encodings: &BTreeMap<String, String>, reports: &mut Vec<FileReport>) {
    if encodings.is_empty() {
        return;
    }
    let mut kept = Vec::with_capacity(all.len());
    for f in all.drain(..) {
        match encodings.get(&f.name) {
            None => kept.push(f),
            Some(label) => {
                let name = f.name.clone();
                match f.with_encoding(label) {
                    Ok(f) => kept.push(f),
                    Err(e) => {
                        let mut r = FileReport::new(&name, &kind("pipeline.kind.options"));
                        r.file_error(None, e.message);
                        reports.push(r);
                    }
                }
            }
        }
    }
    for name in encodings.keys().filter(|n| !kept.iter().any(|f| &&f.name == n)) {
        if reports.iter().any(|r| &r.file == name) {
            continue;
        }
        let mut r = FileReport::new(name, &kind("pipeline.kind.options"));
        r.warn(None, None, Message::new("pipeline.encoding.unmatched").with("file", name));
        reports.push(r);
    }
    *all = kept;
}

/// Expands zip archives into their files (a spreadsheet is a zip too, and stays whole); an
/// archive that cannot be read gets a report saying why.
pub fn expand_archives(files: Vec<InputFile>, limits: &ZipLimits) -> (Vec<InputFile>, Vec<FileReport>) {
    let mut reports = Vec::new();
    let mut all: Vec<InputFile> = Vec::new();
    for f in files {
        if is_zip(&f.bytes) && !is_spreadsheet(&f) {
            match expand_zip_within(&f, limits) {
                Ok(inner) => all.extend(inner),
                Err(e) => {
                    let mut r = FileReport::new(&f.name, &kind("pipeline.kind.zip"));
                    r.file_error(None, e.message);
                    reports.push(r);
                }
            }
        } else {
            all.push(f);
        }
    }
    (all, reports)
}

/// Folders holding a Camtrap DP package (a `datapackage.json`). A package in a folder owns the
/// folder; one dropped loose (no folder) owns only the standard Camtrap DP file names, so a
/// links table or border beside it stays separate.
struct Packages {
    dirs: Vec<String>,
}

impl Packages {
    fn find<'a>(all: impl Iterator<Item = &'a InputFile>) -> Packages {
        let mut dirs: Vec<String> = all
            .filter(|f| f.name == "datapackage.json" || f.name.ends_with("/datapackage.json"))
            .map(|f| dir_of(&f.name).to_string())
            .collect();
        dirs.sort();
        Packages { dirs }
    }

    fn owns(&self, name: &str) -> bool {
        self.dirs.iter().any(|d| {
            name.starts_with(d.as_str()) && (!d.is_empty() || crate::io::camtrapdp::STANDARD_FILES.contains(&name))
        })
    }
}

/// What each dropped file is, by name and header; files recognised as nothing get a report.
fn classify<'a>(all: &[&'a InputFile], packages: &Packages, reports: &mut Vec<FileReport>) -> Vec<Role<'a>> {
    let mut roles: Vec<Role> = packages.dirs.iter().cloned().map(Role::Package).collect();
    for &f in all {
        if packages.owns(&f.name) {
            continue;
        }
        let lower = f.name.to_ascii_lowercase();
        if lower.ends_with(".geojson") || lower.ends_with(".json") {
            roles.push(Role::Border(f));
            continue;
        }
        let h = if is_spreadsheet(f) {
            crate::identity::genotypes::table_header(&f.name, &f.bytes).unwrap_or_default()
        } else {
            header_of(&f.bytes)
        };
        let has = |c: &str| h.iter().any(|x| x.eq_ignore_ascii_case(c));
        if has("catalog_a") && has("id_a") {
            roles.push(Role::Links(f));
        } else if crate::identity::genotype_links::CATALOG_COLUMNS.iter().any(|c| has(c))
            && crate::identity::genotype_links::INDIVIDUAL_COLUMNS.iter().any(|c| has(c))
            && !has("Station")
        {
            roles.push(Role::Genotypes(f));
        } else if has("Station") && has("Setup_date") {
            roles.push(Role::Stations(f));
        } else if has("Station") && has("DateTimeOriginal") {
            roles.push(Role::Records(f));
        } else if String::from_utf8_lossy(&f.bytes).trim_start_matches('\u{feff}').trim().is_empty() {
            let mut r = FileReport::new(&f.name, &kind("pipeline.kind.unrecognised"));
            r.file_error(None, Message::new("pipeline.file.empty"));
            reports.push(r);
        } else {
            let mut r = FileReport::new(&f.name, &kind("pipeline.kind.unrecognised"));
            r.file_error(None, Message::new("pipeline.file.unrecognised"));
            reports.push(r);
        }
    }
    roles
}

/// The reading options given as text (CRS of projected camtrapR coordinates, UTC offset of
/// local times), checked; a bad one gets an `options` report and is not used.
fn reading_options(
    opts: &AnalysisOptions,
    reports: &mut Vec<FileReport>,
) -> (Option<crate::spatial::Utm>, Option<FixedOffset>) {
    let crs = match opts.crs.as_deref().map(crate::spatial::Utm::parse) {
        Some(Ok(u)) => Some(u),
        Some(Err(m)) => {
            let mut r = FileReport::new("options", &kind("pipeline.kind.options"));
            r.file_error(Some("crs"), m);
            reports.push(r);
            None
        }
        None => None,
    };
    let offset = match opts.utc_offset.as_deref().map(parse_offset) {
        Some(Ok(o)) => Some(o),
        Some(Err(m)) => {
            let mut r = FileReport::new("options", &kind("pipeline.kind.options"));
            r.file_error(Some("utc_offset"), m);
            reports.push(r);
            None
        }
        None => None,
    };
    (crs, offset)
}

/// What the files hold, as they are read.
#[derive(Default)]
struct Read<'a> {
    catalogs: Vec<Catalog>,
    borders: Vec<Border>,
    /// (report index, links)
    links: Vec<(usize, Vec<Link>)>,
    stations_tables: Vec<&'a InputFile>,
    record_tables: Vec<&'a InputFile>,
    genotypes: Vec<crate::identity::genotypes::GenotypeTable>,
}

/// Reads already expanded files (see [`expand_archives`]) and joins the catalogs; `reports`
/// are the reports so far (e.g. of archives that could not be expanded).
pub fn load_expanded<'a>(
    all: impl Iterator<Item = &'a InputFile>,
    mut reports: Vec<FileReport>,
    opts: &AnalysisOptions,
    progress: &mut dyn FnMut(Progress),
) -> Loaded {
    let all: Vec<&InputFile> = all.collect();
    let mut step = |stage: Message, fraction: f64| progress(Progress::new(stage, fraction));
    let packages = Packages::find(all.iter().copied());
    let roles = classify(&all, &packages, &mut reports);
    let total = roles.len().max(1) as f64;
    let (crs, offset) = reading_options(opts, &mut reports);
    let mut read = Read::default();
    for (k, role) in roles.iter().enumerate() {
        match role {
            Role::Package(dir) => {
                let label = if dir.is_empty() { "." } else { dir.as_str() };
                step(Message::new("pipeline.stage.package").with("name", label), k as f64 / total * 0.7);
                let files: Vec<&InputFile> = all
                    .iter()
                    .copied()
                    .filter(|f| f.name.starts_with(dir.as_str()) && packages.owns(&f.name))
                    .collect();
                let key = dir.trim_end_matches('/');
                let top = key.split('/').next().unwrap_or(key);
                let name = opts.catalog_names.get(key).or_else(|| opts.catalog_names.get(top));
                let po = PackageOptions { name: name.map(String::as_str), species: opts.species.as_deref() };
                // The observations' parse moves the bar through this package's share of it.
                let at = k as f64 / total * 0.7;
                let (cat, rs) = read_package_with_progress(dir, &files, &po, &mut |f| {
                    let stage = Message::new("pipeline.stage.package").with("name", label);
                    step(stage, at + f * 0.7 / total)
                });
                reports.extend(rs);
                read.catalogs.extend(cat);
            }
            Role::Border(f) => {
                step(Message::new("pipeline.stage.border").with("name", &f.name), k as f64 / total * 0.7);
                let mut r = FileReport::new(&f.name, &kind("pipeline.kind.border"));
                match read_border(f, &mut r) {
                    Ok(b) => read.borders.push(b),
                    Err(e) => r.file_error(e.column.as_deref(), located(&e)),
                }
                reports.push(r);
            }
            Role::Links(f) => {
                step(Message::new("pipeline.stage.links").with("name", &f.name), k as f64 / total * 0.7);
                let mut r = FileReport::new(&f.name, &kind("pipeline.kind.links"));
                match read_links(f, &mut r) {
                    Ok(l) => read.links.push((reports.len(), l)),
                    Err(e) => r.file_error(e.column.as_deref(), located(&e)),
                }
                reports.push(r);
            }
            Role::Genotypes(f) => {
                step(Message::new("pipeline.stage.genotypes").with("name", &f.name), k as f64 / total * 0.7);
                let mut r = FileReport::new(&f.name, &kind("pipeline.kind.genotypes"));
                match read_genotypes(f) {
                    Ok(t) => {
                        r.rows_read = t.len();
                        r.rows_used = t.len();
                        read.genotypes.push(t);
                    }
                    Err(e) => r.file_error(e.column.as_deref(), e.to_message()),
                }
                reports.push(r);
            }
            Role::Stations(f) => read.stations_tables.push(f),
            Role::Records(f) => read.record_tables.push(f),
        }
    }
    read_camtrapr_pairs(&mut read, opts, crs.as_ref(), offset, &mut reports);
    unique_catalog_names(&mut read.catalogs, &mut reports);
    let Read { catalogs, borders, links, genotypes, .. } = read;
    step(Message::new("pipeline.stage.joining"), 0.75);
    let border = match borders.len() {
        0 => None,
        _ => Border::new(geo::MultiLineString(borders.iter().flat_map(|b| b.lines().0.clone()).collect())).ok(),
    };
    // Every links table, in order, each with its own report.
    let joint = {
        let mut link_reports: BTreeMap<usize, &mut FileReport> =
            reports.iter_mut().enumerate().filter(|(i, _)| links.iter().any(|(j, _)| j == i)).collect();
        let tables = links.iter().map(|(i, l)| (l.as_slice(), link_reports.remove(i))).collect();
        join_tables(&catalogs, tables)
    };
    // One animal at the same instant in two countries: said on the (first) links table.
    if let Some((i, _)) = links.first() {
        for m in crate::identity::join::same_instant_in_two_catalogs(&catalogs, &joint) {
            reports[*i].warn(None, None, m);
        }
    }
    if catalogs.is_empty() {
        let mut r = FileReport::new("(all files)", &kind("pipeline.kind.analysis"));
        r.warn(None, None, Message::new("pipeline.file.no_catalog"));
        reports.push(r);
    }
    let links = links.into_iter().map(|(i, l)| (reports[i].file.clone(), l)).collect();
    let mut loaded = Loaded {
        catalogs,
        joint,
        border,
        reports,
        links,
        genotypes,
        decisions: opts.decisions.clone(),
        // The expanded files are not the files as given: `load_files` sets these.
        inputs: Vec::new(),
    };
    if !loaded.decisions.is_empty() {
        loaded.joint = loaded.relink_with(&loaded.decisions).1;
    }
    loaded
}

/// camtrapR: pairs station and record tables by folder (or the only loose pair) and reads them.
fn read_camtrapr_pairs(
    read: &mut Read,
    opts: &AnalysisOptions,
    crs: Option<&crate::spatial::Utm>,
    offset: Option<FixedOffset>,
    reports: &mut Vec<FileReport>,
) {
    let (stations_tables, record_tables) = (&read.stations_tables, &read.record_tables);
    let catalogs = &mut read.catalogs;
    // camtrapR: pair station and record tables by folder (or the only loose pair).
    for st in stations_tables {
        let dir = dir_of(&st.name);
        let same: Vec<&&InputFile> = record_tables.iter().filter(|r| dir_of(&r.name) == dir).collect();
        let rec = match same.as_slice() {
            [one] => Some(**one),
            _ => None,
        };
        let Some(rec) = rec else {
            let mut r = FileReport::new(&st.name, &kind("pipeline.kind.camtrapr_stations"));
            r.file_error(None, Message::new("pipeline.file.camtrapr_records").with("n", same.len()));
            reports.push(r);
            continue;
        };
        let key = if dir.is_empty() {
            st.name.trim_end_matches(".csv").to_string()
        } else {
            dir.trim_end_matches('/').to_string()
        };
        let name =
            opts.catalog_names.get(&key).cloned().unwrap_or_else(|| key.rsplit('/').next().unwrap_or(&key).to_string());
        let co = CamtraprOptions {
            name: &name,
            crs: crs.map(|u| u as &dyn crate::model::ProjectedCrs),
            utc_offset: offset,
            date_format: opts.date_format.as_deref(),
            datetime_format: None,
            species: opts.species.as_deref(),
        };
        let (cat, rs) = read_tables(st, rec, &co);
        reports.extend(rs);
        // The source is the key the page uses to rename this catalog.
        catalogs.extend(cat.map(|c| Catalog { source: key.clone(), ..c }));
    }
    for rec in record_tables {
        let dir = dir_of(&rec.name);
        if !stations_tables.iter().any(|s| dir_of(&s.name) == dir) {
            let mut r = FileReport::new(&rec.name, &kind("pipeline.kind.camtrapr_records"));
            r.file_error(None, Message::new("pipeline.file.camtrapr_stations"));
            reports.push(r);
        }
    }
}

/// Catalog names must be unique (the links table refers to them): a second catalog of one name
/// is refused, with its source named.
fn unique_catalog_names(catalogs: &mut Vec<Catalog>, reports: &mut Vec<FileReport>) {
    // Catalog names must be unique: the links table refers to them.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    catalogs.retain(|c| match seen.get(&c.name) {
        Some(first) => {
            let mut r = FileReport::new(&c.source, &kind("pipeline.kind.catalog"));
            r.file_error(
                None,
                Message::new("pipeline.file.duplicate_catalog").with("name", &c.name).with("first", first),
            );
            reports.push(r);
            false
        }
        None => {
            seen.insert(c.name.clone(), c.source.clone());
            true
        }
    });
}

/// Metadata columns of a dropped genotype table (case-insensitive): everything a genotype table
/// may carry besides the sample ID and the allele columns.
const GENOTYPE_META: [&str; 16] = [
    "catalog",
    "country",
    "individualID",
    "individual",
    "individual_id",
    "photo_id",
    "date",
    "time",
    "latitude",
    "longitude",
    "lat",
    "lon",
    "location",
    "site",
    "sex",
    "notes",
];

/// A spreadsheet (xlsx, xlsm, ods, xls) by name and content: read as a table, never expanded as a zip.
fn is_spreadsheet(f: &InputFile) -> bool {
    let lower = f.name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".ods", ".xls"].iter().any(|e| lower.ends_with(e))
        && crate::identity::genotypes::TableFormat::detect(&f.bytes) != crate::identity::genotypes::TableFormat::Csv
}

/// A genotype table dropped with the catalogs: the first column is the sample ID, the columns
/// named in `GENOTYPE_META` are metadata, every other column an allele column; missing = -99.
fn read_genotypes(
    f: &InputFile,
) -> Result<crate::identity::genotypes::GenotypeTable, crate::identity::genotypes::GenotypeError> {
    let h = crate::identity::genotypes::table_header(&f.name, &f.bytes)?;
    let meta_columns: Vec<String> =
        h.iter().skip(1).filter(|c| GENOTYPE_META.iter().any(|m| m.eq_ignore_ascii_case(c))).cloned().collect();
    let opts = crate::identity::genotypes::GenotypeOptions { meta_columns, ..Default::default() };
    crate::identity::genotypes::GenotypeTable::from_bytes(&f.name, &f.bytes, &opts)
}

impl Loaded {
    /// The catalogs and the joint catalog, as the estimators take them.
    pub fn survey(&self) -> crate::model::joint::JointSurvey<'_> {
        crate::model::joint::JointSurvey { catalogs: &self.catalogs, joint: &self.joint }
    }

    /// The cross-border summary and the views the page, CLI and tests show.
    pub fn analysis(self, progress: &mut dyn FnMut(Progress)) -> Analysis {
        let sourced = crate::identity::review::effective_links(&self.links, &self.decisions);
        let geno = self.genotype_links();
        let evidence =
            crate::identity::review::joint_evidence(&self.joint.individuals, &self.joint.index, &sourced, &geno);
        let Loaded { catalogs, joint, border, reports, inputs, .. } = self;
        let a = build_analysis(&catalogs, joint, border.as_ref(), reports, evidence, &mut |stage, fraction| {
            progress(Progress::new(stage, fraction))
        });
        Analysis { inputs, ..a }
    }

    /// Genotype links of the genotype tables (allowed mismatches from allelematch's profile), or
    /// none when there is no table or the tables cannot be matched (their report says why).
    pub fn genotype_links(&self) -> Vec<crate::identity::genotype_links::GenotypeLink> {
        if self.genotypes.is_empty() {
            return Vec::new();
        }
        crate::identity::genotype_links::genotype_links(&self.genotypes, None).map(|g| g.links).unwrap_or_default()
    }

    /// The joint catalog under other links (no re-parsing): `links` in order, problems reported
    /// only as conflicts.
    pub fn relink(&self, links: &[crate::identity::review::SourcedLink]) -> JointCatalog {
        let plain: Vec<Link> = links.iter().map(|s| s.link.clone()).collect();
        join_tables(&self.catalogs, vec![(plain.as_slice(), None)])
    }

    /// The links of the files ⊕ `decisions` (latest per pair wins) and the joint catalog they make.
    /// A rejected pair that other links still join into one animal is a conflict: the reject
    /// cannot be honoured without removing one of those links, which is the expert's choice.
    pub fn relink_with(
        &self,
        decisions: &[crate::identity::review::Decision],
    ) -> (Vec<crate::identity::review::SourcedLink>, JointCatalog) {
        let sourced = crate::identity::review::effective_links(&self.links, decisions);
        let mut joint = self.relink(&sourced);
        let rejected = crate::identity::review::rejected_but_joined(&joint, decisions);
        joint.conflicts.extend(rejected);
        (sourced, joint)
    }

    /// The analysis with the links of the files ⊕ `decisions` (latest per pair wins), with the
    /// evidence of each joint individual; `genotype_links` as from [`Loaded::genotype_links`].
    pub fn analysis_with(
        &self,
        decisions: &[crate::identity::review::Decision],
        genotype_links: &[crate::identity::genotype_links::GenotypeLink],
        progress: &mut dyn FnMut(Progress),
    ) -> Analysis {
        let (sourced, joint) = self.relink_with(decisions);
        let evidence =
            crate::identity::review::joint_evidence(&joint.individuals, &joint.index, &sourced, genotype_links);
        let a = build_analysis(
            &self.catalogs,
            joint,
            self.border.as_ref(),
            self.reports.clone(),
            evidence,
            &mut |stage, fraction| progress(Progress::new(stage, fraction)),
        );
        Analysis { inputs: self.inputs.clone(), ..a }
    }
}
