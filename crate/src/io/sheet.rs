//! Text grids: delimited text or a spreadsheet's first sheet (xlsx, xls, ods, read with
//! `calamine` and told apart by content, not by name) as a header and data rows of text cells,
//! each row with its number as a spreadsheet shows it (header = row 1; right for CRLF line ends
//! and quoted line breaks, see [`RowIndex`]). The one CSV/spreadsheet layer under
//! [`Table`](super::table::Table), the genotype tables and the waterbird counts.

use super::IoError;
use crate::model::message::Message;

/// A table as text cells: the header (trimmed) and the data rows with their spreadsheet row
/// numbers. Cells are as written; blank rows are kept (readers say how they count them).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Whether the bytes are a spreadsheet (a zip: xlsx/ods, or an OLE compound document: xls).
///
/// ```
/// assert!(borderless::io::sheet::is_spreadsheet(b"PK\x03\x04rest"));
/// assert!(!borderless::io::sheet::is_spreadsheet(b"id,A1\n"));
/// ```
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

impl Grid {
    /// Reads delimited text with a stated delimiter; with `comments`, lines starting with `#`
    /// are comments (they keep their place in the row numbers). A malformed record or an
    /// unterminated quote is an error at its row.
    ///
    /// ```
    /// use borderless::io::sheet::Grid;
    /// let g = Grid::read_delimited("a.csv", "id;n\r\n\"x\r\ny\";1\r\nz;2\r\n", b';', false).unwrap();
    /// assert_eq!(g.header, ["id", "n"]);
    /// assert_eq!(g.rows[1], (3, vec!["z".to_string(), "2".to_string()]));
    /// ```
    pub fn read_delimited(file: &str, text: &str, delimiter: u8, comments: bool) -> Result<Grid, IoError> {
        let text = text.trim_start_matches('\u{feff}');
        let index = RowIndex::new(file, text, delimiter)?;
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .comment(comments.then_some(b'#'))
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = read_header(file, &mut rdr)?;
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let row = e.position().map(|p| index.row(text, past_comments(text, p.byte() as usize, comments)));
                IoError::at(file, row, None, Message::new("io.csv.malformed").with("reason", e.to_string()))
            })?;
            let row = rec.position().map_or(0, |p| index.row(text, past_comments(text, p.byte() as usize, comments)));
            rows.push((row, rec.iter().map(str::to_string).collect()));
        }
        Ok(Grid { header, rows })
    }

    /// Reads the first sheet of a spreadsheet; row numbers are the sheet's own.
    pub fn read_sheet(file: &str, bytes: &[u8]) -> Result<Grid, IoError> {
        use calamine::Reader;
        let unreadable = |e: String| IoError::new(file, Message::new("io.sheet.unreadable").with("reason", e));
        let mut book =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| IoError::new(file, Message::new("io.sheet.no_sheet")))?
            .map_err(|e| unreadable(e.to_string()))?;
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut it = range.rows();
        let header: Vec<String> =
            it.next().map(|r| r.iter().map(|c| cell_text(c).trim().to_string()).collect()).unwrap_or_default();
        let rows = it.enumerate().map(|(k, r)| (first_row + k + 2, r.iter().map(cell_text).collect())).collect();
        Ok(Grid { header, rows })
    }

    /// The first column whose name (trimmed, case-insensitive, ignoring spaces and `_`) is one
    /// of `names`.
    ///
    /// ```
    /// use borderless::io::sheet::Grid;
    /// let g = Grid { header: vec!["Site ID".into(), "count".into()], rows: vec![] };
    /// assert_eq!(g.column(&["site_id"]), Some(0));
    /// ```
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let key = |s: &str| s.trim().to_lowercase().replace([' ', '_'], "");
        names.iter().find_map(|n| self.header.iter().position(|h| key(h) == key(n)))
    }
}

/// The csv crate places a record that follows comment lines at the first of them: the offset of
/// the record itself, past those lines (and their line ends).
fn past_comments(text: &str, mut offset: usize, comments: bool) -> usize {
    let b = text.as_bytes();
    if !comments {
        return offset;
    }
    loop {
        while matches!(b.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if b.get(offset) != Some(&b'#') {
            break;
        }
        offset = b[offset..].iter().position(|&c| c == b'\n').map_or(b.len(), |k| offset + k + 1);
    }
    offset
}

/// The header row of a CSV reader, fields trimmed; a header that cannot be read is an error at row 1.
pub(crate) fn read_header<R: std::io::Read>(file: &str, rdr: &mut csv::Reader<R>) -> Result<Vec<String>, IoError> {
    Ok(rdr
        .headers()
        .map_err(|e| IoError::at(file, Some(1), None, Message::new("io.csv.header").with("reason", e.to_string())))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect())
}

/// Text of one spreadsheet cell: whole numbers without a decimal point, dates as ISO 8601
/// (date only at midnight), errors as `#ERROR`; text as written.
pub fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// Spreadsheet row numbers of a CSV text: the header is row 1 and every line end outside quotes
/// (LF, CRLF or a lone CR) starts the next row, so CRLF files and fields with quoted line breaks
/// are numbered as a spreadsheet shows them.
#[derive(Debug, Clone)]
pub struct RowIndex {
    /// Byte offset where each row starts.
    starts: Vec<usize>,
}

impl RowIndex {
    /// Indexes `text` (fields separated by `delimiter`); a quote still open at the end of the
    /// file is an error at the row where it opens.
    pub fn new(file: &str, text: &str, delimiter: u8) -> Result<RowIndex, IoError> {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let (mut i, mut field_start) = (0, true);
        while i < b.len() {
            let c = b[i];
            i += 1;
            if field_start && c == b'"' {
                let open_row = starts.len();
                loop {
                    match b.get(i) {
                        None => {
                            return Err(IoError::at(
                                file,
                                Some(open_row),
                                None,
                                Message::new("io.csv.unterminated_quote"),
                            ))
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                field_start = false;
            } else if c == b'\n' || (c == b'\r' && b.get(i) != Some(&b'\n')) {
                starts.push(i);
                field_start = true;
            } else {
                field_start = c == delimiter || (c == b'\r' && field_start);
            }
        }
        Ok(RowIndex { starts })
    }

    /// The row (1-based) of the record the csv crate places at byte `offset` of `text` (it may
    /// place it at the line ends before it: the LF of a CRLF, skipped blank lines).
    pub fn row(&self, text: &str, offset: usize) -> usize {
        let skip = text.as_bytes().get(offset..).unwrap_or_default().iter().take_while(|c| matches!(c, b'\r' | b'\n'));
        let offset = offset + skip.count();
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_their_rows_and_errors_are_located() {
        let g = Grid::read_delimited("c.csv", "# note\nsite,n\nA,1\n# mid\nB,2\n", b',', true).unwrap();
        assert_eq!(g.header, ["site", "n"]);
        assert_eq!(g.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 5]);
        let e = Grid::read_delimited("q.csv", "a,b\n1,\"open\n", b',', false).unwrap_err();
        assert_eq!((e.row, e.message.code.as_str()), (Some(2), "io.csv.unterminated_quote"));
        let e = Grid::read_sheet("x.xlsx", b"PK\x03\x04 not really a zip").unwrap_err();
        assert_eq!(e.message.code, "io.sheet.unreadable");
    }
}
