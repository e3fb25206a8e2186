//! Reading genotype tables: CSV and spreadsheets (xlsx, xls, ods, told apart by content) into
//! text cells, then into a [`GenotypeTable`].

use super::*;
use crate::io::sheet::Grid;

/// How a genotype table is stored, told apart by its first bytes (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Delimited text.
    Csv,
    /// Office Open XML (xlsx) or OpenDocument (ods) spreadsheet: a zip archive.
    Zipped,
    /// Legacy Excel (xls): an OLE compound document.
    Xls,
}

impl TableFormat {
    /// Detects the format from the content.
    ///
    /// ```
    /// use borderless::identity::genotypes::TableFormat;
    /// assert_eq!(TableFormat::detect(b"PK\x03\x04rest"), TableFormat::Zipped);
    /// assert_eq!(TableFormat::detect(b"id,A1,A2\n"), TableFormat::Csv);
    /// ```
    pub fn detect(bytes: &[u8]) -> TableFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            TableFormat::Zipped
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            TableFormat::Xls
        } else {
            TableFormat::Csv
        }
    }
}

/// A genotype CSV as a grid of trimmed cells (delimiter sniffed among `,` `;` tab `|` as
/// [`crate::io::table::sniff_delimiter`] does; spreadsheet row numbers).
pub(super) fn csv_grid(file: &str, bytes: &[u8]) -> Result<Grid, GenotypeError> {
    let text = crate::io::decode_text(file, bytes, None)?;
    let delimiter = crate::io::table::sniff_delimiter(&text);
    Ok(trimmed(Grid::read_delimited(file, &text, delimiter, false)?))
}

/// The first sheet of a genotype spreadsheet as a grid of trimmed cells.
pub(super) fn sheet_grid(file: &str, bytes: &[u8]) -> Result<Grid, GenotypeError> {
    Ok(trimmed(Grid::read_sheet(file, bytes)?))
}

fn trimmed(mut g: Grid) -> Grid {
    for (_, r) in &mut g.rows {
        for c in r.iter_mut() {
            *c = c.trim().to_string();
        }
    }
    g
}

/// The header of a table in any format [`GenotypeTable::from_bytes`] reads (CSV, xlsx, xls, ods),
/// so that a dropped spreadsheet can be recognised by its columns.
///
/// ```
/// assert_eq!(borderless::identity::genotypes::table_header("g.csv", b"id,country,A1,A2\n").unwrap(), ["id", "country", "A1", "A2"]);
/// ```
pub fn table_header(file: &str, bytes: &[u8]) -> Result<Vec<String>, GenotypeError> {
    Ok(match TableFormat::detect(bytes) {
        TableFormat::Csv => csv_grid(file, bytes)?.header,
        TableFormat::Zipped | TableFormat::Xls => sheet_grid(file, bytes)?.header,
    })
}

impl GenotypeTable {
    /// Reads a genotype CSV. Every column that is not the ID, a metadata or the sex column is an
    /// allele column; allele columns come in pairs, one pair per locus.
    ///
    /// ```
    /// use borderless::identity::genotypes::{GenotypeOptions, GenotypeTable};
    /// let t = GenotypeTable::from_csv_bytes("cn.csv", b"id,A1,A2\nx,120,124\ny,120,-99\n", &GenotypeOptions::default())?;
    /// assert_eq!((t.len(), t.n_columns()), (2, 2));
    /// assert_eq!(t.similarity(0, 1), 0.75); // one equal column, one missing (half credit), of two
    /// # Ok::<(), borderless::identity::genotypes::GenotypeError>(())
    /// ```
    pub fn from_csv_bytes(file: &str, bytes: &[u8], opts: &GenotypeOptions) -> Result<Self, GenotypeError> {
        Self::from_grid(file, csv_grid(file, bytes)?, opts)
    }

    /// Reads a genotype table from CSV, Excel (xlsx, xls) or OpenDocument (ods) bytes, telling the
    /// format from the content ([`TableFormat::detect`]); a spreadsheet's first sheet is read.
    pub fn from_bytes(file: &str, bytes: &[u8], opts: &GenotypeOptions) -> Result<Self, GenotypeError> {
        let grid = match TableFormat::detect(bytes) {
            TableFormat::Csv => csv_grid(file, bytes)?,
            TableFormat::Zipped | TableFormat::Xls => sheet_grid(file, bytes)?,
        };
        Self::from_grid(file, grid, opts)
    }

    fn from_grid(file: &str, grid: Grid, opts: &GenotypeOptions) -> Result<Self, GenotypeError> {
        let Grid { header, rows } = grid;
        let layout = Layout::of(file, &header, &rows, opts)?;
        let mut cells = Cells { values: vec![opts.missing], ..Default::default() };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (row, rec) in &rows {
            let row = *row;
            if rec.iter().all(|f| f.is_empty()) {
                continue;
            }
            let field = |c: usize| rec.get(c).map_or("", |s| s.as_str());
            let id = field(layout.id_col).to_string();
            let id_name = &header[layout.id_col];
            if id.is_empty() {
                return Err(gerr(file, row, id_name, Message::new("identity.genotypes.empty_id")));
            }
            if let Some(first) = seen.insert(id.clone(), row) {
                let m =
                    Message::new("identity.genotypes.duplicate_id").with("id", format!("{id:?}")).with("first", first);
                return Err(gerr(file, row, id_name, m));
            }
            let mut miss = 0u16;
            for &c in &layout.compared {
                let value = if Some(c) == layout.sex_col {
                    sex_value(field(c), opts.missing)
                } else {
                    allele_value(field(c), opts.missing)
                };
                match value {
                    Ok(v) if v == opts.missing => {
                        cells.codes.push(0);
                        miss += 1;
                    }
                    Ok(v) => {
                        let code = cells.code(v).map_err(|m| gerr(file, row, &header[c], m))?;
                        cells.codes.push(code);
                    }
                    Err(m) => return Err(gerr(file, row, &header[c], m)),
                }
            }
            cells.ids.push(id);
            cells.meta.push(layout.meta_cols.iter().map(|&c| field(c).to_string()).collect());
            cells.missing_per_row.push(miss);
            cells.origin.push((0, row as u32));
        }
        Ok(GenotypeTable {
            file: file.to_string(),
            ids: cells.ids,
            meta_names: layout.meta_cols.iter().map(|&c| header[c].clone()).collect(),
            meta: cells.meta,
            columns: layout.columns,
            column_locus: layout.column_locus,
            loci: layout.loci,
            values: cells.values,
            missing: opts.missing,
            codes: cells.codes,
            missing_per_row: cells.missing_per_row,
            id_name: header[layout.id_col].clone(),
            catalog_meta: layout.catalog_meta,
            individual_meta: layout.individual_meta,
            sources: vec![file.to_string()],
            origin: cells.origin,
        })
    }
}

/// Which column of a genotype table is what: the ID, metadata, the sex marker and the allele
/// pairs, with the locus of each compared column.
struct Layout {
    id_col: usize,
    meta_cols: Vec<usize>,
    catalog_meta: Option<usize>,
    individual_meta: Option<usize>,
    /// The sex column (given, or recognised by [`sex_column`]), compared as one single-column
    /// marker with letters read by [`sex_value`].
    sex_col: Option<usize>,
    /// Columns compared, in order: the sex column (if any), then the allele columns.
    compared: Vec<usize>,
    columns: Vec<String>,
    column_locus: Vec<usize>,
    loci: Vec<String>,
}

impl Layout {
    fn of(
        file: &str,
        header: &[String],
        rows: &[(usize, Vec<String>)],
        opts: &GenotypeOptions,
    ) -> Result<Layout, GenotypeError> {
        let find = |name: &str| -> Result<usize, GenotypeError> {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| gerr(file, 1, name, Message::new("identity.genotypes.no_column")))
        };
        if header.is_empty() {
            return Err(gerr(file, 1, "", Message::new("identity.genotypes.empty_header")));
        }
        let id_col = match &opts.id_column {
            Some(c) => find(c)?,
            None => 0,
        };
        let mut meta_cols = opts.meta_columns.iter().map(|c| find(c)).collect::<Result<Vec<_>, _>>()?;
        let mut meta_slot = |name: &Option<String>| -> Result<Option<usize>, GenotypeError> {
            let Some(name) = name else { return Ok(None) };
            let c = find(name)?;
            if c == id_col {
                return Err(gerr(file, 1, name, Message::new("identity.genotypes.id_is_meta")));
            }
            Ok(Some(meta_cols.iter().position(|&m| m == c).unwrap_or_else(|| {
                meta_cols.push(c);
                meta_cols.len() - 1
            })))
        };
        let catalog_meta = meta_slot(&opts.catalog_column)?;
        let individual_meta = meta_slot(&opts.individual_column)?;
        let sex_col = match opts.sex_column.as_deref() {
            Some(name) => Some(find(name)?),
            None => sex_column(header, rows, |c| c == id_col || meta_cols.contains(&c)),
        };
        let mut compared: Vec<usize> = sex_col.into_iter().collect();
        let allele_cols: Vec<usize> =
            (0..header.len()).filter(|c| *c != id_col && !meta_cols.contains(c) && Some(*c) != sex_col).collect();
        if !allele_cols.len().is_multiple_of(2) {
            let last = &header[*allele_cols.last().unwrap()];
            let m = Message::new("identity.genotypes.odd_columns").with("n", allele_cols.len());
            return Err(gerr(file, 1, last, m));
        }
        if allele_cols.is_empty() {
            return Err(gerr(file, 1, "", Message::new("identity.genotypes.no_alleles")));
        }
        let mut loci = Vec::new();
        let mut column_locus = Vec::new();
        if let Some(s) = sex_col {
            loci.push(header[s].clone());
            column_locus.push(0);
        }
        for pair in allele_cols.chunks(2) {
            let (a, b) = (&header[pair[0]], &header[pair[1]]);
            let common: String = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x).collect();
            let name = common.trim_end_matches(['_', '.', '-', ' ']).to_string();
            column_locus.push(loci.len());
            column_locus.push(loci.len());
            loci.push(if name.is_empty() { format!("{a}-{b}") } else { name });
        }
        compared.extend(&allele_cols);
        let columns: Vec<String> = compared.iter().map(|&c| header[c].clone()).collect();
        Ok(Layout { id_col, meta_cols, catalog_meta, individual_meta, sex_col, compared, columns, column_locus, loci })
    }
}

/// The samples read so far: IDs, metadata, allele codes (0 = missing) and the distinct values.
#[derive(Default)]
struct Cells {
    ids: Vec<String>,
    meta: Vec<Vec<String>>,
    codes: Vec<u16>,
    values: Vec<i64>,
    code_of: HashMap<i64, u16>,
    missing_per_row: Vec<u16>,
    origin: Vec<(u32, u32)>,
}

impl Cells {
    /// The code of allele value `v` (a new one for a new value).
    fn code(&mut self, v: i64) -> Result<u16, Message> {
        let next = self.values.len();
        let values = &mut self.values;
        let code = *self.code_of.entry(v).or_insert_with(|| {
            values.push(v);
            next as u16
        });
        if self.values.len() > u16::MAX as usize {
            return Err(Message::new("identity.genotypes.too_many_values"));
        }
        Ok(code)
    }
}

/// Headers of a sex column, lower case: English, Russian, Chinese, Korean, Mongolian.
const SEX_HEADERS: &[&str] = &["sex", "gender", "пол", "性别", "性別", "성별", "хүйс"];

/// What a sex cell's text means (lower case): 1 female, 2 male, `None` unknown; `Err` when it
/// is not a word for a sex. Numbers are not words (a numeric sex column is read as numbers).
fn sex_word(v: &str) -> Result<Option<i64>, ()> {
    const FEMALE: &[&str] = &["f", "female", "fem", "♀", "ж", "жен", "самка", "雌", "雌性", "母", "암", "암컷", "эм"];
    const MALE: &[&str] = &["m", "male", "♂", "м", "муж", "самец", "雄", "雄性", "公", "수", "수컷", "эр"];
    const UNKNOWN: &[&str] = &["", "u", "unknown", "?", "na", "n/a", "未知", "미상", "тодорхойгүй", "неизв"];
    let v = v.trim().to_lowercase();
    if FEMALE.contains(&v.as_str()) {
        Ok(Some(1))
    } else if MALE.contains(&v.as_str()) {
        Ok(Some(2))
    } else if UNKNOWN.contains(&v.as_str()) {
        Ok(None)
    } else {
        Err(())
    }
}

/// The column taken as the samples' sex when none is named: the first column (not the ID or
/// a metadata column, as `excluded` says) headed sex, gender, пол, 性别, 성별 or хүйс, else the
/// first whose every value is a sex word (F/M/U/?, female/male, самка/самец, 雌/雄, 암/수, эм/эр)
/// with at least one female or male, as the letter-coded sex column of allelematch's examples.
fn sex_column(header: &[String], rows: &[(usize, Vec<String>)], excluded: impl Fn(usize) -> bool) -> Option<usize> {
    let candidates = || (0..header.len()).filter(|&c| !excluded(c));
    candidates().find(|&c| SEX_HEADERS.contains(&header[c].trim().to_lowercase().as_str())).or_else(|| {
        candidates().find(|&c| {
            let cells = || rows.iter().map(|(_, r)| r.get(c).map_or("", |s| s.as_str()));
            !rows.is_empty()
                && cells().all(|v| sex_word(v).is_ok())
                && cells().any(|v| matches!(sex_word(v), Ok(Some(_))))
        })
    })
}

/// A sex cell's value: a sex word (female 1, male 2, unknown `missing`), else a number as an
/// allele is read; other text is an error at its row and column.
fn sex_value(s: &str, missing: i64) -> Result<i64, Message> {
    match sex_word(s) {
        Ok(v) => Ok(v.unwrap_or(missing)),
        Err(()) if s.trim().parse::<f64>().is_ok() => allele_value(s, missing),
        Err(()) => Err(Message::new("identity.genotypes.bad_sex").with("value", format!("{s:?}"))),
    }
}

/// An allele cell's value: a whole positive number, or `missing` (also for blank and `NA`).
fn allele_value(s: &str, missing: i64) -> Result<i64, Message> {
    let v: i64 = match s.parse::<i64>() {
        Ok(v) => v,
        Err(_) => match s.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => f as i64,
            Ok(f) if f.is_finite() => return Err(Message::new("identity.genotypes.fractional_allele").with("value", s)),
            _ if s.is_empty() || s.eq_ignore_ascii_case("NA") => missing,
            _ => return Err(Message::new("identity.genotypes.not_a_number").with("value", format!("{s:?}"))),
        },
    };
    if v != missing && v <= 0 {
        return Err(Message::new("identity.genotypes.negative_allele").with("value", v).with("missing", missing));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_coded_sex_column_is_recognised() {
        let o = GenotypeOptions::default();
        // allelematch's layout: sample ID, a sex letter column, then allele pairs.
        let csv = b"sampleId,gender,A1,A2,B1,B2\ns1,F,120,124,200,204\ns2,M,120,124,200,204\ns3,?,130,134,-99,214\n";
        let t = GenotypeTable::from_csv_bytes("g.csv", csv, &o).unwrap();
        assert_eq!((t.columns[0].as_str(), t.loci.len(), t.n_columns()), ("gender", 3, 5));
        // s1 and s2 share every allele column and differ in sex only: 4 of 5 columns equal.
        assert_eq!(t.similarity(0, 1), 0.8);
        // By content, under a header that is no sex word.
        let csv = b"id,s,A1,A2\nx,f,120,124\ny,M,120,126\n";
        let t = GenotypeTable::from_csv_bytes("g.csv", csv, &o).unwrap();
        assert_eq!((t.columns[0].as_str(), t.n_columns()), ("s", 3));
        // Other text in a sex column is an error at its row and column.
        let e = GenotypeTable::from_csv_bytes("g.csv", b"id,sex,A1,A2\nx,F,1,2\ny,Q,1,2\n", &o).unwrap_err();
        assert_eq!(
            (e.row, e.column.as_deref(), e.message.code.as_str()),
            (Some(3), Some("sex"), "identity.genotypes.bad_sex")
        );
        // A column of other words is no sex column: still "not a number" at its row and column.
        let e = GenotypeTable::from_csv_bytes("g.csv", b"id,A1,A2\nx,120,cat\n", &o).unwrap_err();
        assert_eq!(
            (e.row, e.column.as_deref(), e.message.code.as_str()),
            (Some(2), Some("A2"), "identity.genotypes.not_a_number")
        );
    }

    #[test]
    fn csv_rows_are_spreadsheet_rows() {
        let g = csv_grid("g.csv", b"id,a1,a2\r\n\"T1\r\nnote\",120,124\r\nT2,120,x\r\n").unwrap();
        assert_eq!(g.rows.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [2, 3]);
        let Err(e) = csv_grid("g.csv", b"id,a1\nT1,1\nT2,\"1\n") else { panic!("an open quote is an error") };
        assert_eq!((e.row, e.message.code.as_str()), (Some(3), "io.csv.unterminated_quote"));
    }
}
