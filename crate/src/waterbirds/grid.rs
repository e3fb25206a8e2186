//! Count, site and threshold tables as text grids: CSV (comma, semicolon, tab or `|`, told from the
//! header line; lines starting with `#` are comments) or a spreadsheet's first sheet, through
//! [`crate::io::sheet`]. Blank rows are left out; an empty table is refused.

use super::message::Msg;
use crate::io::sheet::{is_spreadsheet, Grid};
use crate::io::{FileReport, InputFile, IoError};

/// Reads a waterbird table (counts, sites, thresholds) as a grid with spreadsheet row numbers.
pub fn read_grid(file: &InputFile, report: &mut FileReport) -> Result<Grid, IoError> {
    let mut grid = if is_spreadsheet(&file.bytes) {
        Grid::read_sheet(&file.name, &file.bytes)?
    } else {
        let text = crate::io::encoding::decode_as(&file.name, &file.bytes, file.encoding, Some(report))?;
        let text = text.trim_start_matches('\u{feff}');
        if text.lines().all(|l| l.trim().is_empty() || l.starts_with('#')) {
            return Err(IoError::new(&file.name, Msg::EmptyFile));
        }
        let first = text.lines().find(|l| !l.trim().is_empty() && !l.starts_with('#')).unwrap_or("");
        let delimiter = [b',', b';', b'\t', b'|']
            .into_iter()
            .max_by_key(|d| (first.bytes().filter(|c| c == d).count(), *d == b','))
            .unwrap_or(b',');
        Grid::read_delimited(&file.name, text, delimiter, true)?
    };
    if grid.header.iter().all(String::is_empty) {
        return Err(IoError::new(&file.name, Msg::EmptyFile));
    }
    grid.rows.retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_rows_are_spreadsheet_rows() {
        let text = "# survey\r\nsite;species;count\r\nA;\"Anser\r\ncygnoides\";3\r\nB;Grus;2\r\n";
        let mut r = FileReport::new("c.csv", "counts");
        let g = read_grid(&InputFile::new("c.csv", text.as_bytes()), &mut r).unwrap();
        assert_eq!(g.rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [3, 4]);
        let e = read_grid(&InputFile::new("c.csv", "site,count\nA,1\n\"B,2\n".as_bytes()), &mut r).unwrap_err();
        assert_eq!((e.row, e.message.code.as_str()), (Some(3), "io.csv.unterminated_quote"));
    }
}
