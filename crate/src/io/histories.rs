//! Capture-history tables (e.g. Rcapture's `hare`): a header row, then one row per animal with
//! one 0/1 column per occasion, optionally preceded by an ID column.
//!
//! The first column is taken as an ID column when its header is `id`, `ID`, `animal`,
//! `individual` or `individualID`, or when any of its values is not a number. Blank lines are
//! skipped, and so are rows with no capture (all zeros), which are counted. Errors name the
//! file, the row (as a spreadsheet shows it: the header is row 1) and the column.

use super::table::Table;
use super::{FileReport, InputFile, IoError};
use crate::model::histories::CaptureHistories;
use crate::model::message::Message;

const ID_HEADERS: [&str; 5] = ["id", "animal", "individual", "individualid", "animal_id"];

/// Reads a capture-history CSV file into checked [`CaptureHistories`] (see [`read_histories`],
/// which also gives the file's report).
///
/// ```
/// use borderless::io::histories::read_histories_csv;
///
/// let csv = "id,c1,c2,c3\nA,1,0,1\nB,0,1,1\n";
/// let h = read_histories_csv("h.csv", csv.as_bytes()).unwrap();
/// assert_eq!((h.animals(), h.occasions()), (2, 3));
///
/// let err = read_histories_csv("h.csv", b"c1,c2\n1,0\n1,x\n").unwrap_err();
/// assert_eq!((err.row, err.column.as_deref()), (Some(3), Some("c2")));
/// ```
pub fn read_histories_csv(file: &str, bytes: &[u8]) -> Result<CaptureHistories, IoError> {
    read_histories(&InputFile::new(file, bytes)).map(|(h, _)| h)
}

/// Reads a capture-history file (in its `--encoding` override, if any) into checked
/// [`CaptureHistories`], with the file's report.
///
/// Rows with no capture at all (all zeros: animals of other periods, as in a robust design) are
/// skipped and counted, as Rcapture does: its closed-population estimators (`closedp`,
/// Baillargeon & Rivest 2007, *J. Stat. Softw.* 19(5)) are functions of the frequencies of the
/// observed histories, and a history of zeros is no observed animal. The count is in the
/// report's `rows_skipped` and a note naming the first such row.
///
/// ```
/// use borderless::io::{histories::read_histories, InputFile};
///
/// let (h, report) = read_histories(&InputFile::new("h.csv", "c1,c2\n1,0\n0,0\n1,1\n")).unwrap();
/// assert_eq!((h.animals(), report.rows_read, report.rows_used), (2, 3, 2));
/// assert_eq!(report.rows_skipped_codes[0].code, "io.histories.no_capture_skipped");
/// ```
pub fn read_histories(input: &InputFile) -> Result<(CaptureHistories, FileReport), IoError> {
    let file = input.name.as_str();
    // The shared CSV layer: encoding, delimiter, spreadsheet row numbers, unterminated quotes.
    let mut report = FileReport::new(file, "capture histories");
    let table = Table::parse_input(input, &mut report)?;
    let headers = table.header;
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    for rec in table.rows {
        let cells: Vec<String> = rec.fields.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        records.push((rec.line, cells));
    }
    let first_is_id = ID_HEADERS.contains(&headers[0].to_lowercase().as_str())
        || records.iter().any(|(_, c)| c.first().is_some_and(|v| v.parse::<f64>().is_err()));
    let skip = usize::from(first_is_id);
    let occasions = headers.len() - skip;
    if occasions == 0 {
        return Err(IoError::at(file, Some(1), None, Message::new("io.histories.no_occasions")));
    }
    report.rows_read = records.len();
    let mut rows = Vec::with_capacity(records.len());
    let mut kept: Vec<usize> = Vec::with_capacity(records.len());
    let mut zero_rows = Vec::new();
    for (row, cells) in &records {
        if cells.len() != headers.len() {
            return Err(IoError::at(
                file,
                Some(*row),
                None,
                Message::new("io.histories.width").with("values", cells.len()).with("columns", headers.len()),
            ));
        }
        let mut bits = Vec::with_capacity(occasions);
        for (j, v) in cells.iter().enumerate().skip(skip) {
            match v.as_str() {
                "0" => bits.push(0u8),
                "1" => bits.push(1u8),
                _ => {
                    let what = if v.is_empty() {
                        Message::new("io.histories.empty")
                    } else {
                        Message::new("io.histories.not_binary").with("value", v.as_str())
                    };
                    return Err(IoError::at(file, Some(*row), Some(&headers[j]), what));
                }
            }
        }
        if bits.iter().all(|&b| b == 0) {
            zero_rows.push(*row);
            report.skip(Message::new("io.histories.no_capture_skipped"));
            continue;
        }
        kept.push(*row);
        rows.push(bits);
    }
    if let (Some(first), n) = (zero_rows.first(), zero_rows.len()) {
        report.note(Message::new("io.histories.zero_rows").with("n", n).with("first", *first));
    }
    report.rows_used = rows.len();
    let h = CaptureHistories::new(rows).map_err(|e| {
        let row = e.row.and_then(|r| kept.get(r - 1)).copied();
        let column = e.column.map(|c| headers[c - 1 + skip].as_str());
        IoError::at(file, row, column, e.message)
    })?;
    Ok((h, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_row_and_column() {
        let e = read_histories_csv("a.csv", b"c1,c2,c3\n1,0,1\n1,0\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.row, e.column.as_deref()), ("a.csv", Some(3), None));
        // An all-zero row is skipped (as Rcapture does); only zeros left is "no animals".
        let e = read_histories_csv("a.csv", b"c1,c2\n0,0\n0,0\n").unwrap_err();
        assert!(e.message.to_string().contains("no animals"), "{e}");
        let e = read_histories_csv("a.csv", b"c1,c2\n").unwrap_err();
        assert!(e.message.to_string().contains("no animals"), "{e}");
        let e = read_histories_csv("a.csv", b"id,c1,c2\nA,1,2\n").unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("c2")));
        assert!(e.to_string().starts_with("a.csv, row 2, column 'c2'"), "{e}");
    }

    #[test]
    fn id_column_is_detected() {
        let h = read_histories_csv("b.csv", b"animal,o1,o2\n7,1,0\n8,1,1\n").unwrap();
        assert_eq!(h.occasions(), 2);
        let h = read_histories_csv("b.csv", b"o1,o2,o3\n1,0,1\n\n0,1,1\n").unwrap();
        assert_eq!((h.animals(), h.occasions()), (2, 3));
    }

    #[test]
    fn rows_are_spreadsheet_rows_in_every_dialect() {
        let e = read_histories_csv("c.csv", b"id;o1;o2\r\n\"A\r\nB\";1;0\r\nC;1;x\r\n").unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("o2")));
        let e = read_histories_csv("c.csv", b"id\to1\nA\t1\n\"B\t1\n").unwrap_err();
        assert_eq!((e.row, e.message.code.as_str()), (Some(3), "io.csv.unterminated_quote"));
        let h = read_histories_csv("c.csv", "id|o1|o2\r\nТигр|1|0\r\n".as_bytes()).unwrap();
        assert_eq!((h.animals(), h.occasions()), (1, 2));
    }
}
