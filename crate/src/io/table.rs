//! CSV tables with named columns and spreadsheet row numbers, on top of the `csv` crate.

use super::sheet::Grid;
pub use super::sheet::RowIndex;
use super::{FileReport, InputFile, IoError};
use crate::model::message::Message;

/// The delimiters [`Table::parse`] recognises, in order of preference.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records the delimiter sniffer looks at.
const SNIFF_RECORDS: usize = 20;

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
    /// Parses CSV bytes, detecting the text encoding (see [`super::encoding::decode_as`]). An
    /// empty file, a missing header, a malformed record or an unterminated quote is a file error;
    /// a record with a wrong number of fields is kept and flagged by [`Table::check_width`].
    pub fn parse(file: &str, bytes: &[u8], report: &mut FileReport) -> Result<Table, IoError> {
        let text = super::encoding::decode_as(file, bytes, None, Some(&mut *report))?;
        Table::parse_text(file, &text, report)
    }

    /// Parses a user's file as [`Table::parse`] does, in the file's encoding override if it has one.
    pub fn parse_input(file: &InputFile, report: &mut FileReport) -> Result<Table, IoError> {
        Table::parse_named(&file.name, file, report)
    }

    /// [`Table::parse_input`], naming the file `name` in messages.
    pub fn parse_named(name: &str, file: &InputFile, report: &mut FileReport) -> Result<Table, IoError> {
        let text = super::encoding::decode_as(name, &file.bytes, file.encoding, Some(&mut *report))?;
        Table::parse_text(name, &text, report)
    }

    /// Parses decoded CSV text: the delimiter is sniffed among `,` `;` tab `|` (a non-comma one
    /// is noted in `report`); every row gets its spreadsheet row number (see [`RowIndex`]).
    pub fn parse_text(file: &str, text: &str, report: &mut FileReport) -> Result<Table, IoError> {
        if text.trim().is_empty() {
            return Err(IoError::new(file, Message::new("io.csv.empty_file")));
        }
        let delimiter = sniff_delimiter(text);
        if delimiter != b',' {
            report.note(Message::new("io.csv.delimiter").with("delimiter", delimiter_name(delimiter)));
        }
        let grid = Grid::read_delimited(file, text, delimiter, false)?;
        if grid.header.iter().all(|h| h.is_empty()) {
            return Err(IoError::at(file, Some(1), None, Message::new("io.csv.empty_header")));
        }
        let rows = grid
            .rows
            .into_iter()
            // a blank line is not a row
            .filter(|(_, f)| !(f.len() == 1 && f[0].trim().is_empty()))
            .map(|(line, fields)| Row { line, fields })
            .collect();
        Ok(Table { file: file.to_string(), header: grid.header, rows })
    }

    /// Starts reading decoded CSV text row by row (see [`TableStream`]): the delimiter is sniffed
    /// and noted, and the header read, as by [`Table::parse_text`], but no data row is kept.
    pub fn stream<'t>(file: &str, text: &'t str, report: &mut FileReport) -> Result<TableStream<'t>, IoError> {
        if text.trim().is_empty() {
            return Err(IoError::new(file, Message::new("io.csv.empty_file")));
        }
        let delimiter = sniff_delimiter(text);
        if delimiter != b',' {
            report.note(Message::new("io.csv.delimiter").with("delimiter", delimiter_name(delimiter)));
        }
        let text = text.trim_start_matches('\u{feff}');
        let index = RowIndex::new(file, text, delimiter)?;
        let mut rdr = reader(text, delimiter);
        let header = super::sheet::read_header(file, &mut rdr)?;
        if header.iter().all(|h| h.is_empty()) {
            return Err(IoError::at(file, Some(1), None, Message::new("io.csv.empty_header")));
        }
        Ok(TableStream { head: Table { file: file.to_string(), header, rows: Vec::new() }, text, delimiter, index })
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
        let code =
            if row.fields.len() < self.header.len() { "io.csv.too_few_fields" } else { "io.csv.too_many_fields" };
        let m = Message::new(code).with("fields", row.fields.len()).with("header", self.header.len());
        report.reject(row.line, col, m);
        false
    }
}

/// A CSV file read row by row, for files too big to hold as a [`Table`] (a 200 MB
/// `observations.csv`): only the decoded text (borrowed), the header and the row starts are
/// kept; each pass over the rows reuses one [`Row`]. Rows, blank lines and row numbers are as
/// [`Table::parse_text`] gives them, and an unterminated quote is found when the stream opens.
#[derive(Debug)]
pub struct TableStream<'t> {
    /// The file name and header, without rows: the column look-ups and width checks of
    /// [`Table`] work on it.
    pub head: Table,
    text: &'t str,
    delimiter: u8,
    index: RowIndex,
}

/// Rows between two progress reports of [`TableStream::for_each_row`].
pub const PROGRESS_ROWS: usize = 1 << 16;

impl TableStream<'_> {
    /// Hands every data row (blank lines left out) to `f` in file order, until `f` breaks;
    /// `progress` gets the fraction of the text read every [`PROGRESS_ROWS`] rows. A record the
    /// csv crate cannot read is an error at its row.
    pub fn for_each_row(
        &self,
        progress: &mut dyn FnMut(f64),
        mut f: impl FnMut(&Row) -> std::ops::ControlFlow<()>,
    ) -> Result<(), IoError> {
        let file = &self.head.file;
        let mut rdr = reader(self.text, self.delimiter);
        rdr.headers().map_err(|e| {
            IoError::at(file, Some(1), None, Message::new("io.csv.header").with("reason", e.to_string()))
        })?;
        let mut rec = csv::StringRecord::new();
        let mut row = Row { line: 0, fields: Vec::new() };
        let total = self.text.len().max(1) as f64;
        for n in 1.. {
            let more = rdr.read_record(&mut rec).map_err(|e| {
                let row = e.position().map(|p| self.index.row(self.text, p.byte() as usize));
                IoError::at(file, row, None, Message::new("io.csv.malformed").with("reason", e.to_string()))
            })?;
            if !more {
                break;
            }
            // a blank line is not a row
            if rec.len() == 1 && rec[0].trim().is_empty() {
                continue;
            }
            row.line = rec.position().map_or(0, |p| self.index.row(self.text, p.byte() as usize));
            row.fields.truncate(rec.len());
            for (i, field) in rec.iter().enumerate() {
                match row.fields.get_mut(i) {
                    Some(s) => {
                        s.clear();
                        s.push_str(field);
                    }
                    None => row.fields.push(field.to_string()),
                }
            }
            if f(&row).is_break() {
                break;
            }
            if n % PROGRESS_ROWS == 0 {
                progress(rec.position().map_or(0.0, |p| p.byte() as f64 / total));
            }
        }
        Ok(())
    }
}

/// The csv reader every table uses: flexible widths (checked by [`Table::check_width`]), header.
fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text.as_bytes())
}

impl Row {
    /// The trimmed field at `i`, `None` if absent or empty (or `NA`, as R writes missing values).
    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields.get(i).map(|s| s.trim()).filter(|s| !s.is_empty() && *s != "NA")
    }
}

/// The header of CSV text (trimmed names, delimiter sniffed), without reading further; empty if
/// it cannot be read.
pub fn header_of(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    reader(text, sniff_delimiter(text))
        .headers()
        .map(|h| h.iter().map(|h| h.trim().to_string()).collect())
        .unwrap_or_default()
}

/// How a delimiter is named in messages.
fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "TAB".to_string(),
        d => format!("'{}'", d as char),
    }
}

/// The delimiter among [`DELIMITERS`] that splits the header into more than one field and the
/// first records into as many (ties go to the earlier one, so `,` first); if none is consistent,
/// the one most records agree with; `,` when nothing splits the header.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in DELIMITERS {
        let mut rdr =
            csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(d).from_reader(text.as_bytes());
        let widths: Vec<usize> = rdr
            .records()
            .take(SNIFF_RECORDS + 1)
            .map_while(Result::ok)
            .filter(|r| !(r.len() == 1 && r.get(0).is_some_and(|f| f.trim().is_empty())))
            .map(|r| r.len())
            .collect();
        let Some((&head, rest)) = widths.split_first() else { continue };
        if head < 2 {
            continue;
        }
        let agree = rest.iter().filter(|&&w| w == head).count();
        if agree == rest.len() {
            return d;
        }
        if agree > best.1 {
            best = (d, agree);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Result<Table, IoError>, FileReport) {
        let mut r = FileReport::new("t.csv", "t");
        (Table::parse("t.csv", text.as_bytes(), &mut r), r)
    }

    #[test]
    fn sniffs_the_delimiter_and_notes_a_non_comma_one() {
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;x\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(sniff_delimiter("a,b;c\n1,2;3\n"), b',');
        assert_eq!(sniff_delimiter("name\nx\n"), b',');
        let (t, r) = parse("station;lat;lon\r\nS1;43,1;131,9\r\n");
        let t = t.unwrap();
        assert_eq!(t.header, ["station", "lat", "lon"]);
        assert_eq!(t.rows[0].fields, ["S1", "43,1", "131,9"]);
        assert_eq!(r.issues[0].code, "io.csv.delimiter");
        assert_eq!(r.issues[0].to_string(), "t.csv: note: fields are separated by ';', not commas");
        assert!(parse("a,b\n1,2\n").1.issues.is_empty());
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "id,note\r\n1,\"two\r\nlines\"\r\n2,x\r\n\r\n3,\"a \"\"b\"\"\nc\nd\"\r\n4,y\r\n";
        let (t, _) = parse(text);
        let lines: Vec<usize> = t.unwrap().rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5, 6]);
        let (t, _) = parse("id,note\r1,x\r2,y\r");
        assert_eq!(t.unwrap().rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_its_row() {
        let (t, _) = parse("id,note\n1,x\n2,\"never closed\n3,y\n");
        let e = t.unwrap_err();
        assert_eq!(e.row, Some(3));
        assert_eq!(e.message.code, "io.csv.unterminated_quote");
        assert_eq!(e.to_string(), "t.csv, row 3: a quoted field opened on this row is never closed (a missing '\"')");
        assert!(parse("id,note\n1,5\"\n2,\"ok\"\n").0.is_ok());
    }
}
