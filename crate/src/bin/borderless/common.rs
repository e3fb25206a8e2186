//! Shared by the commands: the output language, reading the catalog arguments into the files the page would receive (`gather`), `--encoding` overrides, and printing issues and tables.

use borderless::io::encoding::Encoding;
use borderless::io::InputFile;
use borderless::io::Severity;
use borderless::model::lang::Lang;
use borderless::model::message::Message;
use borderless::pipeline::AnalysisOptions;
use std::path::Path;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The language of everything the command writes for people (tables, notes, errors); JSON
/// stays English, with message codes beside the texts.
pub(crate) static LANG: OnceLock<Lang> = OnceLock::new();

pub(crate) fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// A message in the command's language.
pub(crate) fn say(m: Message) -> String {
    m.text(lang())
}

/// A file's name and why it could not be read or written (the system's reason as it is).
pub(crate) fn file_error(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Message {
    Message::new("general.at.file").with("file", path.to_string()).with("message", Message::untranslated(e.to_string()))
}

/// National catalogs and what joins them (shared by `crossborder` and `secr`).
#[derive(clap::Args)]
pub(crate) struct CatalogArgs {
    /// NAME=PATH: a Camtrap DP package (folder or .zip) for catalog NAME. Repeat per catalog.
    #[arg(long = "catalog", value_name = "NAME=PATH")]
    pub(crate) catalogs: Vec<String>,
    /// NAME=STATIONS.csv,RECORDS.csv: camtrapR station and record tables for catalog NAME.
    #[arg(long = "camtrapr", value_name = "NAME=STATIONS,RECORDS")]
    pub(crate) camtrapr: Vec<String>,
    /// Links table (catalog_a,id_a,catalog_b,id_b).
    #[arg(long)]
    pub(crate) links: Option<PathBuf>,
    /// Border as GeoJSON (lines, or country polygons).
    #[arg(long)]
    pub(crate) border: Option<PathBuf>,
    /// Keep only this scientific name.
    #[arg(long)]
    pub(crate) species: Option<String>,
    /// CRS of projected camtrapR coordinates (utm:50N, EPSG:32650).
    #[arg(long)]
    pub(crate) crs: Option<String>,
    /// UTC offset of camtrapR local times (+08:00).
    #[arg(long)]
    pub(crate) utc_offset: Option<String>,
    /// Date format of camtrapR station tables (dmy, ymd, mdy or a chrono format).
    #[arg(long)]
    pub(crate) date_format: Option<String>,
    /// FILE=LABEL: read FILE (its path, or a file of a --catalog folder) in this text encoding
    /// (windows-1251, koi8-r, gbk, gb18030, big5, euc-kr, shift_jis, windows-1252, …) instead
    /// of detecting it. Repeatable; an entry that matches no file read is warned about.
    #[arg(long = "encoding", value_name = "FILE=LABEL")]
    pub(crate) encodings: Vec<String>,
    /// Language of tables, notes and errors (en, zh, ru, ko, mn); JSON stays English, with codes.
    #[arg(long)]
    pub(crate) lang: Option<Lang>,
}

/// The `--encoding FILE=LABEL` overrides of this run, by path, each with whether a file read
/// by the command matched it (set once by `main` from the command's `--encoding` arguments).
static ENCODINGS: Mutex<Vec<(PathBuf, &'static Encoding, bool)>> = Mutex::new(Vec::new());

/// Sets this run's `--encoding FILE=LABEL` overrides; an unknown label is an error.
pub(crate) fn set_encodings(args: &[String]) -> Result<(), Message> {
    let parsed = args
        .iter()
        .map(|a| {
            let (file, label) = split_named(a)?;
            Ok((PathBuf::from(file), borderless::io::encoding::encoding_for_label(label)?, false))
        })
        .collect::<Result<Vec<_>, Message>>()?;
    *ENCODINGS.lock().unwrap_or_else(|e| e.into_inner()) = parsed;
    Ok(())
}

/// Whether `--encoding`'s path `given` names the file read from `path` (the same path as
/// written, or the same file once both are resolved).
fn same_file(given: &Path, path: &Path) -> bool {
    given == path || matches!((std::fs::canonicalize(given), std::fs::canonicalize(path)), (Ok(a), Ok(b)) if a == b)
}

/// The encoding `--encoding` gives the file at `path`, if any (marking that entry as used).
pub(crate) fn encoding_for(path: &Path) -> Option<&'static Encoding> {
    let mut all = ENCODINGS.lock().unwrap_or_else(|e| e.into_inner());
    let hit = all.iter_mut().find(|(p, _, _)| same_file(p, path))?;
    hit.2 = true;
    Some(hit.1)
}

/// `file`, read from `path`, with the encoding `--encoding` gives that path, if any.
pub(crate) fn encoded(mut file: InputFile, path: &Path) -> InputFile {
    file.encoding = encoding_for(path).or(file.encoding);
    file
}

/// Reads the file at `path` as the command's input named `name`, with its `--encoding`.
pub(crate) fn read_input(path: &Path, name: impl Into<String>) -> Result<InputFile, Message> {
    let bytes = std::fs::read(path).map_err(|e| file_error(path.display(), e))?;
    Ok(encoded(InputFile::new(name, bytes), path))
}

/// The bytes of the text file at `path` for a reader that detects the encoding itself: as they
/// are, or, when `--encoding` names the file (and it is not a zipped or OLE spreadsheet), decoded
/// in that encoding and handed on as UTF-8.
pub(crate) fn read_text_bytes(path: &Path) -> Result<Vec<u8>, Message> {
    let file = read_input(path, path.display().to_string())?;
    let spreadsheet = file.bytes.starts_with(b"PK\x03\x04") || file.bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    match file.encoding {
        Some(_) if !spreadsheet => Ok(file.text(None).map_err(|e| borderless::pipeline::located(&e))?.into_bytes()),
        _ => Ok(file.bytes),
    }
}

/// Warns about every `--encoding` entry that matched no file the command read.
pub(crate) fn warn_unused_encodings() {
    for (p, enc, used) in ENCODINGS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        if !used {
            let m = Message::new("cli.encoding.unused").with("file", p.display().to_string()).with("label", enc.name());
            eprintln!("{}", say(m));
        }
    }
}

pub(crate) fn read_dir(root: &Path, prefix: &str, out: &mut Vec<InputFile>) -> Result<(), Message> {
    let entries = std::fs::read_dir(root).map_err(|e| file_error(root.display(), e))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let name = format!("{prefix}/{}", e.file_name().to_string_lossy());
        if p.is_dir() {
            read_dir(&p, &name, out)?;
        } else {
            let bytes = std::fs::read(&p).map_err(|e| file_error(p.display(), e))?;
            out.push(encoded(InputFile::new(name, bytes), &p));
        }
    }
    Ok(())
}

pub(crate) fn split_named(arg: &str) -> Result<(&str, &str), Message> {
    arg.split_once('=')
        .filter(|(n, p)| !n.is_empty() && !p.is_empty())
        .ok_or_else(|| Message::new("cli.args.name_path").with("arg", arg))
}

/// Reads the files the catalog arguments name, as the page would receive them dropped.
pub(crate) fn gather(a: &CatalogArgs) -> Result<(Vec<InputFile>, AnalysisOptions), Message> {
    let mut files = Vec::new();
    let mut opts = AnalysisOptions {
        species: a.species.clone(),
        crs: a.crs.clone(),
        utc_offset: a.utc_offset.clone(),
        date_format: a.date_format.clone(),
        ..Default::default()
    };
    for c in &a.catalogs {
        let (name, path) = split_named(c)?;
        let p = Path::new(path);
        if p.is_dir() {
            read_dir(p, name, &mut files)?;
        } else {
            let bytes = std::fs::read(p).map_err(|e| file_error(path, e))?;
            files.push(InputFile::new(format!("{name}.zip"), bytes));
        }
        opts.catalog_names.insert(name.to_string(), name.to_string());
    }
    for c in &a.camtrapr {
        let (name, paths) = split_named(c)?;
        let (st, rec) =
            paths.split_once(',').ok_or_else(|| Message::new("cli.args.camtrapr_pair").with("arg", c.as_str()))?;
        for (label, p) in [("stations.csv", st), ("records.csv", rec)] {
            let bytes = std::fs::read(p).map_err(|e| file_error(p, e))?;
            files.push(encoded(InputFile::new(format!("{name}/{label}"), bytes), Path::new(p)));
        }
        opts.catalog_names.insert(name.to_string(), name.to_string());
    }
    for p in [&a.links, &a.border].into_iter().flatten() {
        let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        files.push(encoded(InputFile::new(name, bytes), p));
    }
    if files.is_empty() {
        return Err(Message::new("cli.args.nothing"));
    }
    Ok((files, opts))
}

/// Prints every issue of the reports to stderr; `(failed, rejected)`: a file could not be used /
/// a row was rejected.
pub(crate) fn print_issues<'a>(reports: impl IntoIterator<Item = &'a borderless::io::FileReport>) -> (bool, bool) {
    let (mut failed, mut rejected) = (false, false);
    for r in reports {
        failed |= r.failed();
        for i in &r.issues {
            eprintln!("{}", say(issue_message(i)));
            rejected |= i.severity == Severity::Error;
        }
    }
    if failed {
        eprintln!("borderless: {}", say(Message::new("cli.files_failed")));
    }
    (failed, rejected)
}

/// An issue as the line it is printed as: `FILE, row R, column 'C': error: …` in English.
pub(crate) fn issue_message(i: &borderless::io::Issue) -> Message {
    let severity = Message::new(match i.severity {
        Severity::Error => "cli.severity.error",
        Severity::Warning => "cli.severity.warning",
        Severity::Note => "cli.severity.note",
    });
    let code = match (i.row, &i.column) {
        (None, None) => "cli.issue.file",
        (Some(_), None) => "cli.issue.row",
        (None, Some(_)) => "cli.issue.column",
        (Some(_), Some(_)) => "cli.issue.row_column",
    };
    let mut m = Message::new(code).with("file", &i.file).with("severity", severity).with("message", i.msg());
    if let Some(r) = i.row {
        m = m.with("row", r);
    }
    if let Some(c) = &i.column {
        m = m.with("column", c);
    }
    m
}

/// Display width of text in a terminal: CJK and Hangul take two columns.
pub(crate) fn width(s: &str) -> usize {
    s.chars().map(|c| if matches!(c as u32, 0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFF60) { 2 } else { 1 }).sum()
}

/// `s` padded with spaces to `w` columns (left-aligned), or right-aligned with `right`.
pub(crate) fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// `--encoding FILE=LABEL` of the commands that read their files by path.
#[derive(clap::Args)]
pub(crate) struct EncodingArgs {
    /// FILE=LABEL: read FILE (its path as given) in this text encoding (windows-1251, koi8-r,
    /// gbk, gb18030, big5, euc-kr, shift_jis, windows-1252, …) instead of detecting it.
    /// Repeatable; an entry that matches no file read is warned about.
    #[arg(long = "encoding", value_name = "FILE=LABEL")]
    pub(crate) encodings: Vec<String>,
}
