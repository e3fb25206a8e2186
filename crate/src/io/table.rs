//! CSV tables with named columns and spreadsheet row numbers, on top of the `csv` crate.

use super::{decode_text, FileReport, IoError};
use crate::model::message::Message;

/// A parsed CSV table: the header and the data rows with their spreadsheet row numbers
/// (header = row 1, so the first data row is row 2 unless quoted fields span lines).
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line number where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
}

impl Table {
    /// Parses CSV bytes. An empty file, a missing header or a malformed record is a file error;
    /// a record with a wrong number of fields is kept and flagged by [`Table::check_width`].
    pub fn parse(file: &str, bytes: &[u8], report: &mut FileReport) -> Result<Table, IoError> {
        let text = decode_text(file, bytes, Some(report))?;
        if text.trim().is_empty() {
            return Err(IoError::new(file, "the file is empty (no header row)"));
        }
        let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| IoError::at(file, Some(1), None, format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if header.iter().all(|h| h.is_empty()) {
            return Err(IoError::at(file, Some(1), None, "the header row is empty"));
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                IoError::at(file, line, None, format!("malformed CSV: {e}"))
            })?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
            if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim().is_empty()) {
                continue; // a blank line is not a row
            }
            rows.push(Row { line, fields: rec.iter().map(str::to_string).collect() });
        }
        Ok(Table { file: file.to_string(), header, rows })
    }

    /// Index of a column, matched exactly first and then case-insensitively.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .or_else(|| self.header.iter().position(|h| h.eq_ignore_ascii_case(name)))
    }

    /// The first of several alternative column names that exists.
    pub fn col_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.col(n))
    }

    /// Indices of required columns, or one error naming every missing one.
    pub fn require(&self, names: &[&str]) -> Result<Vec<usize>, IoError> {
        let missing: Vec<&str> = names.iter().copied().filter(|n| self.col(n).is_none()).collect();
        if missing.is_empty() {
            Ok(names.iter().map(|n| self.col(n).unwrap()).collect())
        } else {
            Err(IoError::at(
                &self.file,
                Some(1),
                Some(&missing.join(", ")),
                Message::new("io.csv.missing_columns").with("columns", missing.join(", ")).with("n", missing.len()),
            ))
        }
    }

    /// Rejects (in `report`) a row whose field count differs from the header's; true if fine.
    pub fn check_width(&self, row: &Row, report: &mut FileReport) -> bool {
        if row.fields.len() == self.header.len() {
            return true;
        }
        let col = self.header.get(row.fields.len()).map(String::as_str);
        report.reject(
            row.line,
            col,
            format!(
                "row has {} fields but the header has {}{}",
                row.fields.len(),
                self.header.len(),
                if row.fields.len() < self.header.len() { " (truncated?)" } else { "" }
            ),
        );
        false
    }
}

impl Row {
    /// The trimmed field at `i`, `None` if absent or empty (or `NA`, as R writes missing values).
    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields.get(i).map(|s| s.trim()).filter(|s| !s.is_empty() && *s != "NA")
    }
}
