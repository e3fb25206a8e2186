//! Reading users' files: Camtrap DP packages, camtrapR tables, borders, links tables and the
//! Natural Earth basemap. Every reader returns what it kept plus a [`FileReport`] that accounts
//! for every data row: read, kept, or rejected with file, row, column and reason.

pub mod archive;
pub mod border;
pub mod camtrapdp;
pub mod camtrapr;
pub mod encoding;
pub mod geotiff;
pub mod histories;
pub mod links;
pub mod polygons;
pub mod secr_csv;
pub mod secr_text;
pub mod sheet;
pub mod table;
pub mod times;
pub mod topojson;

use crate::model::message::{Message, Param, UNTRANSLATED};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A file as the user gave it: its (relative) path, raw bytes and, if the user said so, the
/// text encoding to read it in (else it is detected: see [`encoding::decode_as`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to what was dropped (e.g. `cn/deployments.csv`, or a bare file name).
    pub name: String,
    /// The file's content.
    pub bytes: Vec<u8>,
    /// The user's encoding override (a byte-order mark still wins).
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl InputFile {
    /// A file whose text encoding is detected.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile { name: name.into(), bytes: bytes.into(), encoding: None }
    }

    /// The same file, read in the encoding named by `label` (e.g. `windows-1251`, `gbk`,
    /// `euc-kr`); an unknown label is an error naming the file.
    pub fn with_encoding(mut self, label: &str) -> Result<Self, IoError> {
        self.encoding = Some(encoding::encoding_for_label(label).map_err(|m| IoError::new(&self.name, m))?);
        Ok(self)
    }

    /// The file's text, decoded as [`encoding::decode_as`] does (with this file's override).
    pub fn text(&self, report: Option<&mut FileReport>) -> Result<String, IoError> {
        encoding::decode_as(&self.name, &self.bytes, self.encoding, report)
    }
}

/// How serious an issue is: an `Error` rejects a row or a file, a `Warning` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One problem found in one place of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    /// 1-based line of the file as a spreadsheet shows it (the header is row 1); `None` for
    /// whole-file problems.
    pub row: Option<usize>,
    /// Column name (or JSON path) concerned, if any.
    pub column: Option<String>,
    /// The message in English (the stable form scripts read).
    pub message: String,
    /// The message's code, to show it in another language ([`Message`]); `text` when it has none.
    #[serde(default = "untranslated_code")]
    pub code: String,
    /// The message's parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Param>,
}

fn untranslated_code() -> String {
    UNTRANSLATED.to_string()
}

impl Issue {
    /// A problem in one place of `file`.
    pub fn new(
        severity: Severity,
        file: &str,
        row: Option<usize>,
        column: Option<&str>,
        message: impl Into<Message>,
    ) -> Issue {
        let m: Message = message.into();
        Issue {
            severity,
            file: file.to_string(),
            row,
            column: column.map(str::to_string),
            message: m.to_string(),
            code: m.code,
            params: m.params,
        }
    }

    /// The message, to show in any language.
    pub fn msg(&self) -> Message {
        if self.code == UNTRANSLATED && self.params.is_empty() {
            Message::untranslated(self.message.clone())
        } else {
            Message { code: self.code.clone(), params: self.params.clone() }
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, ": {sev}: {}", self.message)
    }
}

/// What happened to every row of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    /// What the file was recognised as (e.g. "Camtrap DP observations").
    pub kind: String,
    /// Data rows read (or features, for GeoJSON).
    pub rows_read: usize,
    /// Rows kept for the analysis.
    pub rows_used: usize,
    /// Rows not used by design, with the reason (in English) and count (e.g. "observationType is blank").
    pub rows_skipped: Vec<(String, usize)>,
    /// The reasons of `rows_skipped` as messages, in the same order (to show them in any language).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows_skipped_codes: Vec<Message>,
    /// Rows rejected because they are wrong (each has an `Error` issue).
    pub rows_rejected: usize,
    /// Every problem found, in file order.
    pub issues: Vec<Issue>,
    /// The text encoding the file was read in (`encoding_rs` name, e.g. `UTF-8`, `windows-1251`,
    /// `GBK`); empty for binary files and files not read as text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub encoding: String,
    /// The file as a whole could not be used (its error may still name a row, e.g. the header
    /// row of a missing column).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub file_failed: bool,
}

impl FileReport {
    pub fn new(file: &str, kind: &str) -> Self {
        FileReport { file: file.to_string(), kind: kind.to_string(), ..Default::default() }
    }

    fn push(&mut self, severity: Severity, row: Option<usize>, column: Option<&str>, message: Message) {
        let file = self.file.clone();
        self.issues.push(Issue::new(severity, &file, row, column, message));
    }

    /// Rejects one data row, with the reason.
    pub fn reject(&mut self, row: usize, column: Option<&str>, message: impl Into<Message>) {
        self.rows_rejected += 1;
        self.push(Severity::Error, Some(row), column, message.into());
    }

    /// Records a reader's error that made the whole file unusable, keeping its row, column and
    /// message code (a missing column is at the header, row 1; an unterminated quote at its row).
    pub fn fail(&mut self, e: IoError) {
        self.file_failed = true;
        self.push(Severity::Error, e.row, e.column.as_deref(), e.message);
    }

    /// Records a problem with the whole file (it was not used).
    pub fn file_error(&mut self, column: Option<&str>, message: impl Into<Message>) {
        self.file_failed = true;
        self.push(Severity::Error, None, column, message.into());
    }

    pub fn warn(&mut self, row: Option<usize>, column: Option<&str>, message: impl Into<Message>) {
        self.push(Severity::Warning, row, column, message.into());
    }

    pub fn note(&mut self, message: impl Into<Message>) {
        self.push(Severity::Note, None, None, message.into());
    }

    /// Counts a row skipped by design under `reason` (`rows_skipped` keeps the English text,
    /// `rows_skipped_codes` the message at the same position).
    pub fn skip(&mut self, reason: impl Into<Message>) {
        let m: Message = reason.into();
        let text = m.to_string();
        match self.rows_skipped.iter_mut().find(|(r, _)| *r == text) {
            Some((_, n)) => *n += 1,
            None => {
                self.rows_skipped.push((text, 1));
                self.rows_skipped_codes.push(m);
            }
        }
    }

    /// Whether the file as a whole failed (an error with no row).
    pub fn failed(&self) -> bool {
        self.file_failed || self.issues.iter().any(|i| i.severity == Severity::Error && i.row.is_none())
    }

    /// Every row accounted for: used + skipped + rejected == read.
    pub fn balanced(&self) -> bool {
        let skipped: usize = self.rows_skipped.iter().map(|(_, n)| n).sum();
        self.rows_used + skipped + self.rows_rejected == self.rows_read
    }
}

/// The located error of every reader: what went wrong (a [`Message`]), in which file, at which
/// row (as a spreadsheet shows it: header = row 1) and column. Shown in English as
/// `FILE, row N, column 'C': message`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", location(.row, .column))]
pub struct IoError {
    pub file: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: Message,
}

fn location(row: &Option<usize>, column: &Option<String>) -> String {
    let mut s = String::new();
    if let Some(r) = row {
        s.push_str(&format!(", row {r}"));
    }
    if let Some(c) = column {
        s.push_str(&format!(", column '{c}'"));
    }
    s
}

impl IoError {
    /// A problem with the whole file.
    pub fn new(file: &str, message: impl Into<Message>) -> Self {
        IoError { file: file.to_string(), row: None, column: None, message: message.into() }
    }

    /// A problem at a row and/or column of the file.
    pub fn at(file: &str, row: Option<usize>, column: Option<&str>, message: impl Into<Message>) -> Self {
        IoError { file: file.to_string(), row, column: column.map(str::to_string), message: message.into() }
    }

    /// The whole error (file, and row and column where known, and what is wrong) as one message,
    /// for the places that show it as text.
    ///
    /// ```
    /// use borderless::io::IoError;
    /// let m = IoError::at("cn.csv", Some(3), Some("A1"), "not a number").to_message();
    /// assert_eq!(m.code, "io.located.row_column");
    /// ```
    pub fn to_message(&self) -> Message {
        let code = match (self.row, &self.column) {
            (Some(_), Some(_)) => "io.located.row_column",
            (Some(_), None) => "io.located.row",
            (None, Some(_)) => "io.located.column",
            (None, None) => "io.located.file",
        };
        let mut m = Message::new(code).with("file", &self.file).with("message", self.message.clone());
        if let Some(r) = self.row {
            m = m.with("row", r);
        }
        if let Some(c) = &self.column {
            m = m.with("column", c);
        }
        m
    }

    /// The error as an issue of severity `Error`.
    pub fn to_issue(&self) -> Issue {
        Issue::new(Severity::Error, &self.file, self.row, self.column.as_deref(), self.message.clone())
    }
}

/// Decodes a file's text, detecting its encoding (see [`encoding::decode_as`]).
pub fn decode_text(file: &str, bytes: &[u8], report: Option<&mut FileReport>) -> Result<String, IoError> {
    encoding::decode_as(file, bytes, None, report)
}
