//! Multilocus genotypes: reading genotype tables, allelematch-style identification of unique
//! genotypes (Galpern, Manseau & Wilson 2012, *Mol Ecol Resources*), and probability of identity
//! (Waits, Luikart & Taberlet 2001).
//!
//! Method, as in allelematch's `amMatrix` / `amCluster` / `amUnique` / `amUniqueProfile`:
//! * similarity of two samples = (columns equal and present in both + ½·missing columns of the first
//!   + ½·missing columns of the second) / columns; dissimilarity = 1 − similarity;
//! * complete-linkage clustering (R `hclust`, same tie-breaking) cut at height = allowed mismatches /
//!   columns with allelematch's tree cut — dynamicTreeCut's `cutreeHybrid(minClusterSize = 1)`,
//!   whose core-scatter/gap criteria and PAM stage can keep branches below the cut apart (a plain
//!   static cut does not reproduce allelematch's counts); each cluster is replaced by its first
//!   member (allelematch's default consensus), and clustering is repeated on the reduced set until
//!   no cluster forms;
//! * every unique genotype is then compared with all samples (similarity ≥ 1 − mismatches/columns);
//!   samples matching no unique genotype are *unclassified*, samples matching several are
//!   *multiple matches*.
//!
//! Speed without changing a result: a pair's similarity is a whole number of half units, and only
//! pairs within the cut (or the match threshold) matter. They are found once per call (the pair
//! index: a pigeonhole filter — two samples within `d` half units agree exactly on at least one of
//! `d + 1` column blocks — then exact scores; every pair is scored when that filter is not
//! selective) and shared by every clustering pass, the final matching and all rows of the profile.
//! Clustering never builds a dense n×n matrix: connected components of the sparse pair graph are
//! formed (complete linkage cannot merge across them), and exact complete linkage (with R
//! `hclust`'s tie-breaking) runs inside each component only.

use crate::model::message::Message;
use serde::Serialize;
use std::collections::HashMap;

/// Bad genotype input, naming the file, the row (1-based line in the file) and the column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: row {row}, column {column}: {message}")]
pub struct GenotypeError {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub message: Message,
}

impl GenotypeError {
    /// The whole error (file, row, column and what is wrong) as a message.
    pub fn to_message(&self) -> Message {
        Message::new("identity.genotypes.error")
            .with("file", &self.file)
            .with("row", self.row)
            .with("column", &self.column)
            .with("message", self.message.clone())
    }
}

/// How to read a genotype table.
#[derive(Debug, Clone)]
pub struct GenotypeOptions {
    /// Sample ID column (name); `None` = the first column.
    pub id_column: Option<String>,
    /// Metadata columns: kept, never compared.
    pub meta_columns: Vec<String>,
    /// Sex column: one single-column marker (allelematch's `multilocusMap` treatment).
    pub sex_column: Option<String>,
    /// Missing-allele code, e.g. -99.
    pub missing: i64,
    /// Country/catalog of each sample (kept as metadata, never compared).
    pub catalog_column: Option<String>,
    /// Photo-ID individual a sample is linked to, if any (kept as metadata, never compared).
    pub individual_column: Option<String>,
}

impl Default for GenotypeOptions {
    fn default() -> Self {
        GenotypeOptions {
            id_column: None,
            meta_columns: Vec::new(),
            sex_column: None,
            missing: -99,
            catalog_column: None,
            individual_column: None,
        }
    }
}

/// A genotype table in compact form: one `u16` code per sample and column, 0 = missing.
#[derive(Debug, Clone)]
pub struct GenotypeTable {
    pub file: String,
    pub ids: Vec<String>,
    pub meta_names: Vec<String>,
    /// `meta[sample][k]` for `meta_names[k]`.
    pub meta: Vec<Vec<String>>,
    /// Compared column names (sex first if present, then allele columns in file order).
    pub columns: Vec<String>,
    /// Locus of each compared column.
    pub column_locus: Vec<usize>,
    /// Locus names (one per single-column marker or allele pair).
    pub loci: Vec<String>,
    /// Raw allele values by code (`values[code]`, `values[0]` = missing code).
    pub values: Vec<i64>,
    pub missing: i64,
    codes: Vec<u16>,
    missing_per_row: Vec<u16>,
    /// Name of the sample ID column.
    id_name: String,
    /// Positions in `meta_names` of the catalog and individual columns.
    catalog_meta: Option<usize>,
    individual_meta: Option<usize>,
    /// File of each sample (index into `sources`) and its 1-based row there.
    sources: Vec<String>,
    origin: Vec<(u32, u32)>,
}

fn gerr(file: &str, row: usize, column: &str, message: impl Into<Message>) -> GenotypeError {
    GenotypeError { file: file.to_string(), row, column: column.to_string(), message: message.into() }
}

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

/// A table as text cells: the header and the data rows with their 1-based row numbers in the file.
struct Grid {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn csv_grid(file: &str, bytes: &[u8]) -> Result<Grid, GenotypeError> {
    let text = crate::io::decode_text(file, bytes, None).map_err(|e| gerr(file, 1, "", e.message))?;
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| gerr(file, 1, "", Message::new("identity.genotypes.header").with("reason", e.to_string())))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let row = e.position().map_or(0, |p| p.line() as usize);
            gerr(file, row, "", Message::new("identity.genotypes.csv").with("reason", e.to_string()))
        })?;
        let row = rec.position().map_or(rows.len() + 2, |p| p.line() as usize);
        rows.push((row, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Grid { header, rows })
}

/// Text of one spreadsheet cell: whole numbers without a decimal point, dates as ISO 8601.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
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

fn sheet_grid(file: &str, bytes: &[u8]) -> Result<Grid, GenotypeError> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| gerr(file, 0, "", Message::new("identity.genotypes.spreadsheet").with("reason", e.to_string())))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| gerr(file, 0, "", Message::new("identity.genotypes.no_sheet")))?
        .map_err(|e| gerr(file, 0, "", Message::new("identity.genotypes.sheet").with("reason", e.to_string())))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut it = range.rows();
    let header: Vec<String> = it.next().map(|r| r.iter().map(cell_text).collect()).unwrap_or_default();
    let rows = it.enumerate().map(|(k, r)| (first_row + k + 2, r.iter().map(cell_text).collect())).collect();
    Ok(Grid { header, rows })
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
        let sex_col = opts.sex_column.as_deref().map(find).transpose()?;
        let mut compared: Vec<usize> = Vec::new();
        if let Some(s) = sex_col {
            compared.push(s);
        }
        let allele_cols: Vec<usize> =
            (0..header.len()).filter(|c| *c != id_col && !meta_cols.contains(c) && Some(*c) != sex_col).collect();
        if !allele_cols.len().is_multiple_of(2) {
            let last = &header[*allele_cols.last().unwrap()];
            return Err(gerr(
                file,
                1,
                last,
                Message::new("identity.genotypes.odd_columns").with("n", allele_cols.len()),
            ));
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

        let mut values = vec![opts.missing];
        let mut code_of: HashMap<i64, u16> = HashMap::new();
        let mut ids = Vec::new();
        let mut meta = Vec::new();
        let mut codes = Vec::new();
        let mut missing_per_row = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut origin = Vec::new();
        for (row, rec) in &rows {
            let row = *row;
            if rec.iter().all(|f| f.is_empty()) {
                continue;
            }
            let field = |c: usize| rec.get(c).map_or("", |s| s.as_str());
            let id = field(id_col).to_string();
            if id.is_empty() {
                return Err(gerr(file, row, &header[id_col], Message::new("identity.genotypes.empty_id")));
            }
            if let Some(first) = seen.insert(id.clone(), row) {
                return Err(gerr(
                    file,
                    row,
                    &header[id_col],
                    Message::new("identity.genotypes.duplicate_id").with("id", format!("{id:?}")).with("first", first),
                ));
            }
            let mut miss = 0u16;
            for &c in &compared {
                let s = field(c);
                let v: i64 = match s.parse::<i64>() {
                    Ok(v) => v,
                    Err(_) => match s.parse::<f64>() {
                        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => f as i64,
                        Ok(f) if f.is_finite() => {
                            return Err(gerr(
                                file,
                                row,
                                &header[c],
                                Message::new("identity.genotypes.fractional_allele").with("value", s),
                            ))
                        }
                        _ if s.is_empty() || s.eq_ignore_ascii_case("NA") => opts.missing,
                        _ => {
                            let m = Message::new("identity.genotypes.not_a_number").with("value", format!("{s:?}"));
                            return Err(gerr(file, row, &header[c], m));
                        }
                    },
                };
                if v == opts.missing {
                    codes.push(0);
                    miss += 1;
                    continue;
                }
                if v <= 0 {
                    return Err(gerr(
                        file,
                        row,
                        &header[c],
                        Message::new("identity.genotypes.negative_allele")
                            .with("value", v)
                            .with("missing", opts.missing),
                    ));
                }
                let next = values.len();
                let code = *code_of.entry(v).or_insert_with(|| {
                    values.push(v);
                    next as u16
                });
                if values.len() > u16::MAX as usize {
                    return Err(gerr(file, row, &header[c], Message::new("identity.genotypes.too_many_values")));
                }
                codes.push(code);
            }
            ids.push(id);
            meta.push(meta_cols.iter().map(|&c| field(c).to_string()).collect());
            missing_per_row.push(miss);
            origin.push((0, row as u32));
        }
        Ok(GenotypeTable {
            file: file.to_string(),
            ids,
            meta_names: meta_cols.iter().map(|&c| header[c].clone()).collect(),
            meta,
            columns,
            column_locus,
            loci,
            values,
            missing: opts.missing,
            codes,
            missing_per_row,
            id_name: header[id_col].clone(),
            catalog_meta,
            individual_meta,
            sources: vec![file.to_string()],
            origin,
        })
    }

    /// Builds a table directly from allele values (`alleles[sample][column]`, `missing` = missing),
    /// columns in pairs per locus. Used by benchmarks and simulations.
    pub fn from_alleles(ids: Vec<String>, columns: Vec<String>, alleles: &[Vec<i64>], missing: i64) -> Self {
        let mut values = vec![missing];
        let mut code_of: HashMap<i64, u16> = HashMap::new();
        let mut codes = Vec::with_capacity(alleles.len() * columns.len());
        let mut missing_per_row = Vec::with_capacity(alleles.len());
        for row in alleles {
            assert_eq!(row.len(), columns.len(), "row length differs from the number of columns");
            let mut miss = 0;
            for &v in row {
                if v == missing {
                    codes.push(0);
                    miss += 1;
                } else {
                    let next = values.len();
                    codes.push(*code_of.entry(v).or_insert_with(|| {
                        values.push(v);
                        next as u16
                    }));
                }
            }
            missing_per_row.push(miss);
        }
        let loci: Vec<String> = columns.chunks(2).map(|p| p[0].clone()).collect();
        let column_locus = (0..columns.len()).map(|c| c / 2).collect();
        GenotypeTable {
            file: String::new(),
            meta: vec![Vec::new(); ids.len()],
            ids,
            meta_names: Vec::new(),
            columns,
            column_locus,
            loci,
            values,
            missing,
            codes,
            missing_per_row,
            id_name: "id".to_string(),
            catalog_meta: None,
            individual_meta: None,
            sources: vec![String::new()],
            origin: (1..=alleles.len()).map(|r| (0, r as u32 + 1)).collect(),
        }
    }

    /// Country/catalog of sample `i`, when the table has a catalog column.
    pub fn catalog(&self, i: usize) -> Option<&str> {
        self.catalog_meta.map(|k| self.meta[i][k].as_str())
    }

    /// Photo-ID individual linked to sample `i` (`None` without an individual column or when blank).
    pub fn individual(&self, i: usize) -> Option<&str> {
        self.individual_meta.map(|k| self.meta[i][k].as_str()).filter(|s| !s.is_empty())
    }

    /// File and 1-based row that sample `i` was read from.
    pub fn origin(&self, i: usize) -> (&str, usize) {
        let (f, r) = self.origin[i];
        (&self.sources[f as usize], r as usize)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    fn row(&self, i: usize) -> &[u16] {
        let c = self.columns.len();
        &self.codes[i * c..(i + 1) * c]
    }

    /// Allele value of sample `i`, column `c` (the missing code if missing).
    pub fn allele(&self, i: usize, c: usize) -> i64 {
        self.values[self.row(i)[c] as usize]
    }

    /// Allele values of sample `i`.
    pub fn alleles(&self, i: usize) -> Vec<i64> {
        self.row(i).iter().map(|&k| self.values[k as usize]).collect()
    }

    /// Twice the similarity numerator: 2·(equal present columns) + missing(i) + missing(j).
    #[inline]
    fn half_units(&self, i: usize, j: usize) -> u32 {
        2 * equal_present(self.row(i), self.row(j)) + self.missing_per_row[i] as u32 + self.missing_per_row[j] as u32
    }

    /// allelematch similarity of samples `i` and `j` (`amMatrix`, missingMethod 2).
    pub fn similarity(&self, i: usize, j: usize) -> f64 {
        sim_from_half(self.half_units(i, j), self.n_columns())
    }

    /// allelematch dissimilarity (1 − similarity), computed as `amMatrix` does.
    pub fn dissimilarity(&self, i: usize, j: usize) -> f64 {
        1.0 - sim_from_half(self.half_units(i, j), self.n_columns())
    }

    /// Share of missing allele cells.
    pub fn missing_load(&self) -> f64 {
        self.missing_per_row.iter().map(|&m| m as f64).sum::<f64>() / (self.len() * self.n_columns()).max(1) as f64
    }
}

#[inline]
fn equal_present(a: &[u16], b: &[u16]) -> u32 {
    a.iter().zip(b).map(|(&x, &y)| ((x == y) & (x != 0)) as u32).sum()
}

#[inline]
fn sim_from_half(h: u32, ncol: usize) -> f64 {
    (h as f64 * 0.5) / ncol as f64
}

/// Merges several national genotype tables (same loci required). IDs get no prefix; they must be
/// unique across files. Returns the merged table and the country of each sample (its file's name).
pub fn merge_country_tables(tables: &[(String, GenotypeTable)]) -> Result<(GenotypeTable, Vec<String>), GenotypeError> {
    for (name, t) in tables {
        if name.trim().is_empty() {
            return Err(gerr(&t.file, 0, "", Message::new("identity.genotypes.no_country")));
        }
    }
    let refs: Vec<&GenotypeTable> = tables.iter().map(|(_, t)| t).collect();
    merge(&refs, |k, _| Ok(tables[k].0.clone()))
}

/// Merges genotype tables read with a catalog column (one file per country, or several countries
/// in one file): every sample's catalog must be non-empty and, when `catalogs` is not empty, one of
/// them. Loci must agree across files (in any column order); sample IDs must be unique across
/// files. Returns the merged table and the catalog of each sample. Errors name the file, the row
/// and the column.
///
/// ```
/// use borderless::identity::genotypes::{merge_tables, GenotypeOptions, GenotypeTable};
/// let o = GenotypeOptions { catalog_column: Some("country".into()), ..Default::default() };
/// let cn = GenotypeTable::from_bytes("cn.csv", b"id,country,A1,A2\nc1,CN,120,124\n", &o)?;
/// let ru = GenotypeTable::from_bytes("ru.csv", b"id,country,A1,A2\nr1,RU,120,124\n", &o)?;
/// let (t, catalog) = merge_tables(&[cn, ru], &["CN".into(), "RU".into()])?;
/// assert_eq!((t.len(), catalog.join(" ")), (2, "CN RU".to_string()));
/// # Ok::<(), borderless::identity::genotypes::GenotypeError>(())
/// ```
pub fn merge_tables(
    tables: &[GenotypeTable],
    catalogs: &[String],
) -> Result<(GenotypeTable, Vec<String>), GenotypeError> {
    let refs: Vec<&GenotypeTable> = tables.iter().collect();
    merge(&refs, |k, i| {
        let t = &tables[k];
        let (file, row) = t.origin(i);
        let Some(m) = t.catalog_meta else {
            return Err(gerr(file, 1, "", Message::new("identity.genotypes.no_catalog_column")));
        };
        let column = &t.meta_names[m];
        let c = t.meta[i][m].trim();
        if c.is_empty() {
            return Err(gerr(
                file,
                row,
                column,
                Message::new("identity.genotypes.no_catalog").with("id", format!("{:?}", t.ids[i])),
            ));
        }
        if !catalogs.is_empty() && !catalogs.iter().any(|x| x == c) {
            return Err(gerr(
                file,
                row,
                column,
                Message::new("identity.genotypes.unknown_catalog")
                    .with("id", format!("{:?}", t.ids[i]))
                    .with("catalog", format!("{c:?}"))
                    .with("expected", catalogs.join(", ")),
            ));
        }
        Ok(c.to_string())
    })
}

fn merge(
    tables: &[&GenotypeTable],
    mut catalog_of: impl FnMut(usize, usize) -> Result<String, GenotypeError>,
) -> Result<(GenotypeTable, Vec<String>), GenotypeError> {
    let Some(first) = tables.first() else {
        return Err(gerr("", 0, "", Message::new("identity.genotypes.no_tables")));
    };
    let mut out = GenotypeTable::from_alleles(Vec::new(), first.columns.clone(), &[], first.missing);
    out.loci = first.loci.clone();
    out.column_locus = first.column_locus.clone();
    out.file = tables.iter().map(|t| t.file.as_str()).collect::<Vec<_>>().join(", ");
    out.meta_names = first.meta_names.clone();
    out.id_name = first.id_name.clone();
    out.catalog_meta = first.catalog_meta;
    out.individual_meta = first.individual_meta;
    out.sources.clear();
    let mut country = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    let mut code_of: HashMap<i64, u16> = HashMap::new();
    for (k, t) in tables.iter().enumerate() {
        for l in &first.loci {
            if !t.loci.contains(l) {
                return Err(gerr(
                    &t.file,
                    1,
                    l,
                    Message::new("identity.genotypes.missing_locus").with("locus", l).with("other", &first.file),
                ));
            }
        }
        for l in &t.loci {
            if !first.loci.contains(l) {
                return Err(gerr(
                    &first.file,
                    1,
                    l,
                    Message::new("identity.genotypes.missing_locus").with("locus", l).with("other", &t.file),
                ));
            }
        }
        if t.missing != first.missing {
            return Err(gerr(&t.file, 0, "", Message::new("identity.genotypes.missing_code_differs")));
        }
        let map: Vec<usize> = first
            .columns
            .iter()
            .map(|c| t.columns.iter().position(|x| x == c))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| gerr(&t.file, 1, "", Message::new("identity.genotypes.columns_differ")))?;
        let meta_map: Vec<Option<usize>> =
            first.meta_names.iter().map(|m| t.meta_names.iter().position(|x| x == m)).collect();
        let base = out.sources.len() as u32;
        out.sources.extend(t.sources.iter().cloned());
        for i in 0..t.len() {
            let (file, row) = t.origin(i);
            if let Some((pf, pr)) = seen.insert(t.ids[i].clone(), (file.to_string(), row)) {
                return Err(gerr(
                    file,
                    row,
                    &t.id_name,
                    Message::new("identity.genotypes.duplicate_across")
                        .with("id", format!("{:?}", t.ids[i]))
                        .with("other", pf)
                        .with("row", pr),
                ));
            }
            country.push(catalog_of(k, i)?);
            let mut miss = 0;
            for &c in &map {
                let v = t.allele(i, c);
                if v == t.missing {
                    out.codes.push(0);
                    miss += 1;
                } else {
                    let next = out.values.len();
                    let values = &mut out.values;
                    out.codes.push(*code_of.entry(v).or_insert_with(|| {
                        values.push(v);
                        next as u16
                    }));
                }
            }
            out.missing_per_row.push(miss);
            out.ids.push(t.ids[i].clone());
            out.meta.push(meta_map.iter().map(|m| m.map_or(String::new(), |m| t.meta[i][m].clone())).collect());
            out.origin.push((base + t.origin[i].0, t.origin[i].1));
        }
    }
    Ok((out, country))
}

// ---------------------------------------------------------------------------------------------
// Clustering
// ---------------------------------------------------------------------------------------------

/// Smallest half-unit count `h` whose dissimilarity `1 − (h/2)/ncol` is ≤ `cut` (R arithmetic).
fn min_half_for_cut(cut: f64, ncol: usize) -> u32 {
    (0..=2 * ncol as u32).find(|&h| 1.0 - sim_from_half(h, ncol) <= cut).unwrap_or(u32::MAX)
}

/// Smallest half-unit count whose similarity is ≥ `threshold`.
fn min_half_for_threshold(threshold: f64, ncol: usize) -> u32 {
    (0..=2 * ncol as u32).find(|&h| sim_from_half(h, ncol) >= threshold).unwrap_or(u32::MAX)
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// One merge of the complete-linkage dendrogram: height and the two clusters' representatives
/// (smallest position in the cluster), as R `hclust` records them.
#[derive(Debug, Clone, Copy)]
struct Merge {
    height: f64,
    i2: usize,
    j2: usize,
}

/// Every pair of samples whose similarity reaches a floor, found once per table and floor and then
/// shared by all clustering passes and the final matching (a pair's similarity does not depend on
/// which other samples remain). Symmetric adjacency in compressed rows: the neighbours of sample
/// `i` are `nb[start[i]..start[i + 1]]`, ascending, with their half-unit counts in `half`.
///
/// Candidates come from a pigeonhole filter when it is selective: a pair within the floor differs
/// in at most `d = 2·columns − floor` columns (a column costs 2 half units when both alleles are
/// present and differ, 1 when one is missing), so splitting the columns into `d + 1` blocks leaves
/// at least one block in which the two samples' codes are identical. Samples are bucketed by each
/// block's codes; only pairs sharing a bucket are scored, each at the first block they share.
/// When the buckets are too coarse (many allowed mismatches, few alleles) every pair is scored.
/// Either way the result is the exact set of pairs at or above the floor.
struct PairIndex {
    hmin: u32,
    start: Vec<usize>,
    nb: Vec<u32>,
    half: Vec<u16>,
}

impl PairIndex {
    fn build(table: &GenotypeTable, hmin: u32) -> PairIndex {
        let n = table.len();
        let ncol = table.n_columns();
        let mut edges: Vec<(u32, u32, u16)> = Vec::new();
        if n >= 2 && hmin <= 2 * ncol as u32 {
            let blocks = (2 * ncol as u32 - hmin) as usize + 1;
            let bucketed = blocks <= ncol && Self::bucketed_pairs(table, hmin, blocks, &mut edges);
            if !bucketed {
                edges.clear();
                Self::all_pairs(table, hmin, &mut edges);
            }
        }
        let mut deg = vec![0usize; n + 1];
        for &(i, j, _) in &edges {
            deg[i as usize] += 1;
            deg[j as usize] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + deg[i];
        }
        let mut fill = start.clone();
        let mut nb = vec![0u32; start[n]];
        let mut half = vec![0u16; start[n]];
        edges.sort_unstable();
        // Each row lists its lower neighbours, then its upper ones; (i, j) sorted keeps both ascending.
        for &(i, j, h) in &edges {
            let k = fill[j as usize];
            nb[k] = i;
            half[k] = h;
            fill[j as usize] += 1;
        }
        for &(i, j, h) in &edges {
            let k = fill[i as usize];
            nb[k] = j;
            half[k] = h;
            fill[i as usize] += 1;
        }
        PairIndex { hmin, start, nb, half }
    }

    /// Neighbours of `i` (ascending) with their half-unit counts.
    fn of(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let r = self.start[i]..self.start[i + 1];
        self.nb[r.clone()].iter().zip(&self.half[r]).map(|(&j, &h)| (j as usize, h as u32))
    }

    fn all_pairs(table: &GenotypeTable, hmin: u32, edges: &mut Vec<(u32, u32, u16)>) {
        let n = table.len();
        for a in 0..n {
            let ra = table.row(a);
            let ma = table.missing_per_row[a] as u32;
            for b in a + 1..n {
                let h = 2 * equal_present(ra, table.row(b)) + ma + table.missing_per_row[b] as u32;
                if h >= hmin {
                    edges.push((a as u32, b as u32, h as u16));
                }
            }
        }
    }

    /// The pigeonhole filter; returns false (and leaves `edges` partial) when the buckets would
    /// score more than a quarter of all pairs, so scoring every pair is cheaper.
    fn bucketed_pairs(table: &GenotypeTable, hmin: u32, blocks: usize, edges: &mut Vec<(u32, u32, u16)>) -> bool {
        let n = table.len();
        let ncol = table.n_columns();
        let bounds: Vec<usize> = (0..=blocks).map(|b| b * ncol / blocks).collect();
        let block = |i: usize, b: usize| &table.row(i)[bounds[b]..bounds[b + 1]];
        let key = |i: usize, b: usize| -> u64 {
            // FNV-1a over the block's codes; equal keys are confirmed code by code.
            block(i, b).iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| (h ^ c as u64).wrapping_mul(0x0100_0000_01b3))
        };
        let mut orders: Vec<Vec<(u64, u32)>> = Vec::with_capacity(blocks);
        let mut work = 0f64;
        for b in 0..blocks {
            let mut o: Vec<(u64, u32)> = (0..n).map(|i| (key(i, b), i as u32)).collect();
            o.sort_unstable();
            let mut s = 0;
            while s < n {
                let e = s + o[s..].iter().take_while(|x| x.0 == o[s].0).count();
                work += ((e - s) * (e - s - 1) / 2) as f64;
                s = e;
            }
            orders.push(o);
        }
        if work > 0.25 * (n * (n - 1) / 2) as f64 {
            return false;
        }
        for (b, o) in orders.iter().enumerate() {
            let mut s = 0;
            while s < n {
                let e = s + o[s..].iter().take_while(|x| x.0 == o[s].0).count();
                let bucket = &o[s..e];
                for (x, &(_, i)) in bucket.iter().enumerate() {
                    let i = i as usize;
                    for &(_, j) in &bucket[x + 1..] {
                        let j = j as usize;
                        if block(i, b) != block(j, b) || (0..b).any(|c| block(i, c) == block(j, c)) {
                            continue;
                        }
                        let h = table.half_units(i, j);
                        if h >= hmin {
                            edges.push((i.min(j) as u32, i.max(j) as u32, h as u16));
                        }
                    }
                }
                s = e;
            }
        }
        true
    }
}

/// Complete-linkage merges of `members` (positions) up to height `cut`, in R `hclust`'s order.
/// Pairs at most `cut` apart come from the pair index; complete linkage never merges across
/// connected components of that graph below the cut, so exact linkage runs per component and the
/// component sequences are interleaved by hclust's (height, i, j) rule.
fn merges_below(table: &GenotypeTable, pairs: &PairIndex, members: &[usize], cut: f64) -> Vec<Merge> {
    let n = members.len();
    let hmin = min_half_for_cut(cut, table.n_columns());
    debug_assert!(hmin >= pairs.hmin);
    let mut pos = vec![u32::MAX; table.len()];
    for (a, &s) in members.iter().enumerate() {
        pos[s] = a as u32;
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut any = false;
    for (a, &s) in members.iter().enumerate() {
        for (j, h) in pairs.of(s) {
            let b = pos[j];
            if b != u32::MAX && b as usize > a && h >= hmin {
                any = true;
                let (x, y) = (find(&mut parent, a as u32), find(&mut parent, b));
                if x != y {
                    parent[x.max(y) as usize] = x.min(y);
                }
            }
        }
    }
    if !any {
        return Vec::new();
    }
    let mut comp_of: Vec<u32> = vec![u32::MAX; n];
    let mut comps: Vec<Vec<usize>> = Vec::new();
    for a in 0..n {
        let r = find(&mut parent, a as u32) as usize;
        if comp_of[r] == u32::MAX {
            comp_of[r] = comps.len() as u32;
            comps.push(Vec::new());
        }
        comps[comp_of[r] as usize].push(a);
    }
    let seqs: Vec<Vec<Merge>> =
        comps.into_iter().filter(|c| c.len() > 1).map(|c| hclust_complete(table, members, &c, cut)).collect();
    // k-way merge by (height, i2, j2): hclust's global choice of the next agglomeration. Components
    // are disjoint, so no two heads tie on all three.
    #[derive(PartialEq)]
    struct Head(f64, usize, usize, usize);
    impl Eq for Head {}
    impl PartialOrd for Head {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Head {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            // Reversed: BinaryHeap is a max-heap.
            o.0.total_cmp(&self.0).then(o.1.cmp(&self.1)).then(o.2.cmp(&self.2))
        }
    }
    let total: usize = seqs.iter().map(Vec::len).sum();
    let mut heap: std::collections::BinaryHeap<Head> =
        seqs.iter().enumerate().filter_map(|(k, s)| s.first().map(|m| Head(m.height, m.i2, m.j2, k))).collect();
    let mut next = vec![1usize; seqs.len()];
    let mut out = Vec::with_capacity(total);
    while let Some(Head(_, _, _, k)) = heap.pop() {
        out.push(seqs[k][next[k] - 1]);
        if let Some(m) = seqs[k].get(next[k]) {
            heap.push(Head(m.height, m.i2, m.j2, k));
        }
        next[k] += 1;
    }
    out
}

/// Exact complete linkage inside one component with R `hclust`'s nearest-neighbour bookkeeping and
/// tie-breaking, stopped at the first merge above `cut`.
fn hclust_complete(table: &GenotypeTable, members: &[usize], comp: &[usize], cut: f64) -> Vec<Merge> {
    let m = comp.len();
    let mut d = vec![0f64; m * m];
    for i in 0..m {
        for j in i + 1..m {
            let v = table.dissimilarity(members[comp[i]], members[comp[j]]);
            d[i * m + j] = v;
            d[j * m + i] = v;
        }
    }
    let mut active = vec![true; m];
    let mut nn = vec![0usize; m];
    let mut disnn = vec![f64::INFINITY; m];
    let renn = |i: usize, d: &[f64], active: &[bool], nn: &mut [usize], disnn: &mut [f64]| {
        let mut best = f64::INFINITY;
        let mut jj = i;
        for j in i + 1..m {
            if active[j] && d[i * m + j] < best {
                best = d[i * m + j];
                jj = j;
            }
        }
        nn[i] = jj;
        disnn[i] = best;
    };
    for i in 0..m - 1 {
        renn(i, &d, &active, &mut nn, &mut disnn);
    }
    let mut out = Vec::new();
    for _ in 0..m - 1 {
        let mut best = f64::INFINITY;
        let (mut im, mut jm) = (usize::MAX, usize::MAX);
        for i in 0..m - 1 {
            if active[i] && disnn[i] < best {
                best = disnn[i];
                im = i;
                jm = nn[i];
            }
        }
        if im == usize::MAX || best > cut {
            break;
        }
        let (i2, j2) = (im.min(jm), im.max(jm));
        out.push(Merge { height: best, i2: comp[i2], j2: comp[j2] });
        active[j2] = false;
        for k in 0..m {
            if active[k] && k != i2 {
                let v = d[i2 * m + k].max(d[j2 * m + k]);
                d[i2 * m + k] = v;
                d[k * m + i2] = v;
            }
        }
        renn(i2, &d, &active, &mut nn, &mut disnn);
        for i in 0..m - 1 {
            if active[i] && i != i2 && (nn[i] == i2 || nn[i] == j2) {
                renn(i, &d, &active, &mut nn, &mut disnn);
            }
        }
    }
    out
}

/// R's `round` (IEC 60559: half to even) for the reference merge index.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

#[derive(Debug, Clone, Default)]
struct Branch {
    is_basic: bool,
    is_top_basic: bool,
    fail_size: bool,
    attach: Option<f64>,
    size: usize,
    singletons: Vec<usize>,
    basic_clusters: Vec<usize>,
}

/// allelematch's tree cut: dynamicTreeCut `cutreeHybrid(minClusterSize = 1)` with its defaults
/// (deepSplit 1, PAM stage respecting the dendrogram, maxPamDist = cutHeight), re-implemented from
/// the algorithm's description and source. Returns a label per position (0 = unassigned).
fn hybrid_cut(table: &GenotypeTable, pairs: &PairIndex, members: &[usize], cut: f64) -> Vec<usize> {
    let n = members.len();
    let merges = merges_below(table, pairs, members, cut);
    let dist = |a: usize, b: usize| if a == b { 0.0 } else { table.dissimilarity(members[a], members[b]) };
    if merges.is_empty() {
        return vec![0; n];
    }
    let n_merge = n - 1;
    let mut cut_height = cut;
    if merges.len() == n_merge {
        cut_height = cut_height.min(merges.last().unwrap().height);
    }
    let ref_merge = (round_half_even(n_merge as f64 * 0.05) as usize).max(1);
    // A reference height above the cut only enters the criteria through signs; ±∞ is equivalent.
    let ref_height = merges.get(ref_merge - 1).map(|m| m.height);
    let max_core_scatter = 0.73;
    let min_gap = (1.0 - 0.73) * 3.0 / 4.0;
    let (max_abs_core_scatter, min_abs_gap, min_abs_split_height) = match ref_height {
        Some(r) => (r + max_core_scatter * (cut_height - r), min_gap * (cut_height - r), r),
        None => (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY),
    };
    let max_pam_dist = cut_height;
    let core_size = |ns: usize| -> usize {
        let base = 1.0 / 2.0 + 1.0;
        if base < ns as f64 {
            (base + (ns as f64 - base).sqrt()) as usize
        } else {
            ns
        }
    };
    let core_scatter = |sing: &[usize]| -> f64 {
        let cs = core_size(sing.len());
        let core = &sing[..cs];
        let mut total = 0.0;
        for &b in core {
            let col: f64 = core.iter().map(|&a| dist(a, b)).sum();
            total += col / (cs as f64 - 1.0);
        }
        total / cs as f64
    };
    // Branches are 1-based as in the R code; index 0 is unused.
    let mut br: Vec<Branch> = vec![Branch::default()];
    let mut merge_branch = vec![0usize; merges.len()];
    let mut on_branch = vec![0usize; n];
    let mut last_step: Vec<Option<usize>> = vec![None; n];
    for (step, m) in merges.iter().enumerate() {
        let h = m.height;
        let (na, nb) = (last_step[m.i2], last_step[m.j2]);
        // hclust's merge row: singletons first; two clusters by step number.
        match (na, nb) {
            (None, None) => {
                br.push(Branch {
                    is_basic: true,
                    is_top_basic: true,
                    size: 2,
                    singletons: vec![m.i2, m.j2],
                    ..Default::default()
                });
                merge_branch[step] = br.len() - 1;
            }
            (None, Some(s)) | (Some(s), None) => {
                let gene = if na.is_none() { m.i2 } else { m.j2 };
                let c = merge_branch[s];
                if br[c].is_basic {
                    br[c].singletons.push(gene);
                } else {
                    on_branch[gene] = c;
                }
                br[c].size += 1;
                merge_branch[step] = c;
            }
            (Some(sa), Some(sb)) => {
                let (c1, c2) = (merge_branch[sa.min(sb)], merge_branch[sa.max(sb)]);
                let (mut small, mut large) = if br[c1].size <= br[c2].size { (c1, c2) } else { (c2, c1) };
                let ave = |b: &Branch| if b.is_basic { core_scatter(&b.singletons) } else { 0.0 };
                let (sm_ave, lg_ave) = (ave(&br[small]), ave(&br[large]));
                let scores = |ave: f64| [ave > max_abs_core_scatter, h - ave < min_abs_gap, h < min_abs_split_height];
                let ss = scores(sm_ave);
                let mut do_merge = false;
                let mut fail_size = false;
                if br[small].is_basic && ss.iter().any(|&x| x) {
                    do_merge = true;
                    fail_size = !(ss[0] || ss[1]);
                } else {
                    let ls = scores(lg_ave);
                    if br[large].is_basic && ls.iter().any(|&x| x) {
                        do_merge = true;
                        fail_size = !(ls[0] || ls[1]);
                        std::mem::swap(&mut small, &mut large);
                    }
                }
                if do_merge {
                    br[small].fail_size = fail_size;
                    br[small].attach = Some(h);
                    br[small].is_top_basic = false;
                    let moved = br[small].singletons.clone();
                    if br[large].is_basic {
                        br[large].singletons.extend(moved);
                    } else {
                        for g in moved {
                            on_branch[g] = large;
                        }
                    }
                    br[large].size += br[small].size;
                    merge_branch[step] = large;
                } else {
                    if br[large].is_basic && !br[small].is_basic {
                        std::mem::swap(&mut small, &mut large);
                    }
                    br[large].attach = Some(h);
                    br[small].attach = Some(h);
                    let mut basic = if br[small].is_basic { vec![small] } else { br[small].basic_clusters.clone() };
                    if br[large].is_basic {
                        basic.push(large);
                    } else {
                        basic.extend(br[large].basic_clusters.iter().copied());
                    }
                    br.push(Branch {
                        size: br[small].size + br[large].size,
                        basic_clusters: basic,
                        ..Default::default()
                    });
                    merge_branch[step] = br.len() - 1;
                }
            }
        }
        last_step[m.i2] = Some(step);
    }
    let nb = br.len() - 1;
    let mut small_labels = vec![0usize; n];
    let mut is_cluster = vec![false; nb + 1];
    for c in 1..=nb {
        let attach = br[c].attach.unwrap_or(cut_height);
        if br[c].is_top_basic {
            let sc = core_scatter(&br[c].singletons);
            is_cluster[c] = sc < max_abs_core_scatter && attach - sc > min_abs_gap;
        }
        if br[c].fail_size {
            for &g in &br[c].singletons {
                small_labels[g] = c;
            }
        }
    }
    let mut colors = vec![0i64; n];
    let mut branch_label = vec![0i64; nb + 1];
    let mut color = 0;
    for c in (1..=nb).filter(|&c| is_cluster[c]) {
        color += 1;
        for &g in &br[c].singletons {
            colors[g] = color;
            small_labels[g] = 0;
        }
        branch_label[c] = color;
    }
    let n_labels = color as usize;
    if n_labels > 0 && colors.contains(&0) {
        // Positions carrying each label (0 = none yet), ascending: the sums below run in position
        // order, as in R. Label 0 can be the nearest, which leaves the objects unassigned.
        let mut with_label: Vec<Vec<usize>> = vec![Vec::new(); n_labels + 1];
        for (p, &c) in colors.iter().enumerate() {
            with_label[c as usize].push(p);
        }
        let mut diam = vec![0.0; n_labels + 1];
        for (k, dk) in diam.iter_mut().enumerate().skip(1) {
            let inside = &with_label[k];
            if inside.len() > 1 {
                *dk = inside
                    .iter()
                    .map(|&b| inside.iter().map(|&a| dist(a, b)).sum::<f64>() / (inside.len() - 1) as f64)
                    .fold(f64::NEG_INFINITY, f64::max);
            }
        }
        // Mean distance from `objs` to each label present among `labels` (label order ascending).
        let nearest = |objs: &[usize], labels: &[i64]| -> Option<(i64, f64)> {
            let mut present: Vec<i64> = labels.to_vec();
            present.sort_unstable();
            present.dedup();
            let mut best: Option<(i64, f64)> = None;
            for l in present {
                let inside = &with_label[l as usize];
                if inside.is_empty() {
                    continue;
                }
                let s: f64 =
                    inside.iter().map(|&u| objs.iter().map(|&o| dist(o, u)).sum::<f64>() / objs.len() as f64).sum();
                let v = s / inside.len() as f64;
                if best.is_none_or(|(_, bv)| v < bv) {
                    best = Some((l, v));
                }
            }
            best
        };
        let labels_on = |b: usize| -> Vec<i64> { br[b].basic_clusters.iter().map(|&c| branch_label[c]).collect() };
        let mut small_levels: Vec<usize> = small_labels.iter().copied().filter(|&s| s != 0).collect();
        small_levels.sort_unstable();
        small_levels.dedup();
        let mut with_small: Vec<Vec<usize>> = vec![Vec::new(); nb + 1];
        for (p, &s) in small_labels.iter().enumerate() {
            if s != 0 {
                with_small[s].push(p);
            }
        }
        for s in small_levels {
            let inside = &with_small[s];
            let on = on_branch[inside[0]];
            if on > 0 {
                // A label 0 among them (R would stop with an error) is left unassigned.
                colors_assign(&mut colors, inside, nearest(inside, &labels_on(on)), &diam, max_pam_dist);
            }
        }
        let unlabeled: Vec<usize> = (0..n).filter(|&p| colors[p] == 0 && on_branch[p] > 0).collect();
        for obj in unlabeled {
            let near = nearest(&[obj], &labels_on(on_branch[obj]));
            if let Some((l, v)) = near {
                if l > 0 && (v < diam[l as usize] || v < max_pam_dist) {
                    colors[obj] = l;
                }
            }
        }
    }
    colors.iter().map(|&c| c.max(0) as usize).collect()
}

fn colors_assign(colors: &mut [i64], inside: &[usize], near: Option<(i64, f64)>, diam: &[f64], max_pam: f64) {
    let label = match near {
        Some((l, v)) if l > 0 && (v < diam[l as usize] || v < max_pam) => l,
        _ => -1,
    };
    for &p in inside {
        colors[p] = label;
    }
}

/// allelematch's ordering of a unique set: numeric by ID when all IDs are numbers, else by string.
fn sort_by_id(table: &GenotypeTable, idx: &mut [usize]) {
    let nums: Option<Vec<f64>> = idx.iter().map(|&i| table.ids[i].parse::<f64>().ok()).collect();
    if let Some(nums) = nums {
        let mut keyed: Vec<(f64, usize)> = nums.into_iter().zip(idx.iter().copied()).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (slot, (_, i)) in idx.iter_mut().zip(keyed) {
            *slot = i;
        }
    } else {
        idx.sort_by(|&a, &b| table.ids[a].cmp(&table.ids[b]));
    }
}

/// `amCluster(runUntilSingletons = TRUE, consensusMethod = 1)`: sample indices of the unique
/// genotypes, sorted as allelematch sorts them.
pub fn cluster_unique(table: &GenotypeTable, cut: f64) -> Vec<usize> {
    let pairs = PairIndex::build(table, min_half_for_cut(cut, table.n_columns()));
    cluster_unique_with(table, &pairs, cut)
}

/// [`cluster_unique`] on a pair index built with a floor at most the cut's.
fn cluster_unique_with(table: &GenotypeTable, pairs: &PairIndex, cut: f64) -> Vec<usize> {
    let mut current: Vec<usize> = (0..table.len()).collect();
    loop {
        if current.len() < 2 {
            return current;
        }
        let labels = hybrid_cut(table, pairs, &current, cut);
        let k = labels.iter().copied().max().unwrap_or(0);
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k + 1];
        for (p, &l) in labels.iter().enumerate() {
            groups[l].push(p);
        }
        let mut keep: Vec<usize> = groups[0].clone();
        let mut clusters: Vec<Vec<usize>> = groups.into_iter().skip(1).filter(|g| !g.is_empty()).collect();
        // allelematch quirk: when no sample is left unassigned, its loop over cluster labels stops one
        // short, so the last cluster in cutreeHybrid's order (largest first, ties by label) is lost.
        if keep.is_empty() && clusters.len() > 1 {
            let mut order: Vec<usize> = (0..clusters.len()).collect();
            order.sort_by_key(|&c| std::cmp::Reverse(clusters[c].len()));
            clusters.remove(*order.last().unwrap());
        }
        let formed = !clusters.is_empty();
        keep.extend(clusters.iter().map(|c| c[0]));
        let mut next: Vec<usize> = keep.into_iter().map(|p| current[p]).collect();
        sort_by_id(table, &mut next);
        current = next;
        if !formed {
            return current;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// amUnique
// ---------------------------------------------------------------------------------------------

/// One sample matched to a unique genotype.
#[derive(Debug, Clone, Serialize)]
pub struct GenotypeMatch {
    pub id: String,
    /// Similarity (unrounded).
    pub score: f64,
    /// Similarity rounded to 2 significant digits, as allelematch prints it.
    pub score_2sig: f64,
    /// Matches another unique genotype too.
    pub multiple_match: bool,
    /// The sample's country/catalog, when the table has a catalog column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// The photo-ID individual the sample is linked to, when the table says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individual: Option<String>,
}

/// A unique genotype and the samples that match it.
#[derive(Debug, Clone, Serialize)]
pub struct UniqueGenotype {
    pub id: String,
    pub meta: Vec<String>,
    pub alleles: Vec<i64>,
    /// `UNIQUE`, or `CHECK_UNIQUE` when one of its matches also matches another unique genotype.
    pub flag: String,
    /// Probability of identity among siblings of this genotype (allelematch's `psib`), from allele
    /// frequencies among the unique genotypes; loci with missing data are skipped.
    pub psib: f64,
    /// Matching samples, best score first (the unique genotype itself included).
    pub matches: Vec<GenotypeMatch>,
}

/// Result of `amUnique` at one number of allowed mismatches.
#[derive(Debug, Clone, Serialize)]
pub struct UniqueResult {
    pub samples: usize,
    pub columns: usize,
    pub allele_mismatch: f64,
    pub match_threshold: f64,
    pub cut_height: f64,
    pub unique: usize,
    pub unclassified: usize,
    pub multiple_matches: usize,
    pub unclassified_ids: Vec<String>,
    pub multiple_match_ids: Vec<String>,
    pub genotypes: Vec<UniqueGenotype>,
    /// Mean number of alleles per locus among the unique genotypes.
    pub allelic_diversity: f64,
}

fn signif2(x: f64) -> f64 {
    format!("{x:.1e}").parse().unwrap_or(x)
}

/// allelematch `amUnique(alleleMismatch = mismatches)`.
pub fn am_unique(table: &GenotypeTable, mismatches: f64) -> UniqueResult {
    let ncol = table.n_columns();
    let threshold = 1.0 - mismatches / ncol as f64;
    am_unique_threshold(table, threshold, mismatches)
}

/// Cut height and half-unit floors (clustering, matching) of `amUnique` at a match threshold.
fn unique_floors(table: &GenotypeTable, threshold: f64) -> (f64, u32, u32) {
    let mut cut = 1.0 - threshold;
    if threshold == 1.0 && cut == 0.0 {
        cut = 0.00001;
    }
    let ncol = table.n_columns();
    (cut, min_half_for_cut(cut, ncol), min_half_for_threshold(threshold, ncol))
}

fn am_unique_threshold(table: &GenotypeTable, threshold: f64, mismatches: f64) -> UniqueResult {
    let (_, hcut, hmatch) = unique_floors(table, threshold);
    let pairs = PairIndex::build(table, hcut.min(hmatch));
    am_unique_with(table, &pairs, threshold, mismatches)
}

/// `amUnique` on a pair index whose floor is at most both floors of `threshold`.
fn am_unique_with(table: &GenotypeTable, pairs: &PairIndex, threshold: f64, mismatches: f64) -> UniqueResult {
    let ncol = table.n_columns();
    let (cut, _, hmin) = unique_floors(table, threshold);
    let uniq = cluster_unique_with(table, pairs, cut);
    let n = table.len();
    let mut match_count = vec![0u32; n];
    let mut lists: Vec<Vec<(usize, u32)>> = Vec::with_capacity(uniq.len());
    for &u in &uniq {
        // Every sample at or above the threshold, in sample order (the genotype itself included).
        let own = table.half_units(u, u);
        let mut l: Vec<(usize, u32)> = Vec::new();
        let mut own_done = own < hmin;
        for (j, h) in pairs.of(u) {
            if !own_done && j > u {
                l.push((u, own));
                own_done = true;
            }
            if h >= hmin {
                l.push((j, h));
            }
        }
        if !own_done {
            l.push((u, own));
        }
        l.sort_by_key(|x| std::cmp::Reverse(x.1));
        for &(j, _) in &l {
            match_count[j] += 1;
        }
        lists.push(l);
    }
    let mut classified = vec![false; n];
    for &u in &uniq {
        classified[u] = true;
    }
    for l in &lists {
        for &(j, _) in l {
            classified[j] = true;
        }
    }
    // Allele frequencies among unique genotypes, per locus.
    let nloci = table.loci.len();
    let mut freq: Vec<HashMap<u16, f64>> = vec![HashMap::new(); nloci];
    let mut present = vec![0usize; nloci];
    for &u in &uniq {
        for (c, &k) in table.row(u).iter().enumerate() {
            if k != 0 {
                *freq[table.column_locus[c]].entry(k).or_default() += 1.0;
                present[table.column_locus[c]] += 1;
            }
        }
    }
    for (l, f) in freq.iter_mut().enumerate() {
        for v in f.values_mut() {
            *v /= present[l] as f64;
        }
    }
    let allelic_diversity = freq.iter().map(|f| f.len() as f64).sum::<f64>() / nloci.max(1) as f64;
    let genotypes = uniq
        .iter()
        .zip(&lists)
        .map(|(&u, l)| {
            let matches: Vec<GenotypeMatch> = l
                .iter()
                .map(|&(j, h)| {
                    let s = sim_from_half(h, ncol);
                    GenotypeMatch {
                        id: table.ids[j].clone(),
                        score: s,
                        score_2sig: signif2(s),
                        multiple_match: match_count[j] > 1,
                        catalog: table.catalog(j).map(str::to_string),
                        individual: table.individual(j).map(str::to_string),
                    }
                })
                .collect();
            let flag = if l.iter().any(|&(j, _)| match_count[j] > 1) { "CHECK_UNIQUE" } else { "UNIQUE" };
            let first = l.first().map_or(u, |&(j, _)| j);
            UniqueGenotype {
                id: table.ids[u].clone(),
                meta: table.meta[u].clone(),
                alleles: table.alleles(u),
                flag: flag.to_string(),
                psib: psib_of(table, u, first, &freq),
                matches,
            }
        })
        .collect();
    let mut multiple_match_ids = Vec::new();
    let mut seen = vec![false; n];
    for l in &lists {
        for &(j, _) in l {
            if match_count[j] > 1 && !seen[j] {
                seen[j] = true;
                multiple_match_ids.push(table.ids[j].clone());
            }
        }
    }
    let unclassified_ids: Vec<String> = (0..n).filter(|&j| !classified[j]).map(|j| table.ids[j].clone()).collect();
    UniqueResult {
        samples: n,
        columns: ncol,
        allele_mismatch: mismatches,
        match_threshold: threshold,
        cut_height: cut,
        unique: uniq.len(),
        unclassified: unclassified_ids.len(),
        multiple_matches: multiple_match_ids.len(),
        unclassified_ids,
        multiple_match_ids,
        genotypes,
        allelic_diversity,
    }
}

/// Psib of the genotype of sample `g` (first match of unique genotype `u`): product over loci whose
/// columns are present in both and equal, of (1+2p+p²)/4 (homozygote/single column) or
/// (1+p+q+2pq)/4 (heterozygote).
fn psib_of(table: &GenotypeTable, u: usize, g: usize, freq: &[HashMap<u16, f64>]) -> f64 {
    let (ru, rg) = (table.row(u), table.row(g));
    let mut psib = 1.0;
    for (l, f) in freq.iter().enumerate() {
        let cols: Vec<usize> = (0..table.n_columns()).filter(|&c| table.column_locus[c] == l).collect();
        if !cols.iter().all(|&c| ru[c] != 0 && rg[c] != 0 && ru[c] == rg[c]) {
            continue;
        }
        let p = |c: usize| f.get(&rg[c]).copied().unwrap_or(0.0);
        if cols.len() == 1 || rg[cols[0]] == rg[cols[1]] {
            let pa = p(cols[0]);
            psib *= (1.0 + 2.0 * pa + pa * pa) / 4.0;
        } else {
            let (pa, pb) = (p(cols[0]), p(cols[1]));
            psib *= (1.0 + pa + pb + 2.0 * pa * pb) / 4.0;
        }
    }
    psib
}

// ---------------------------------------------------------------------------------------------
// amUniqueProfile
// ---------------------------------------------------------------------------------------------

/// One row of the mismatch profile.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub match_threshold: f64,
    pub cut_height: f64,
    pub allele_mismatch: f64,
    pub samples: usize,
    pub unique: usize,
    pub unclassified: usize,
    pub multiple_matches: usize,
    pub guess_optimum: bool,
}

/// The profile over 0…40% of columns (`amUniqueProfile` defaults).
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub rows: Vec<ProfileRow>,
    /// `ZeroFlat`, `NoSecondMinimum`, `NonZeroSecondMinimum` or `ZeroSecondMinimum`.
    pub morphology: String,
    /// Allowed mismatches at the guessed optimum.
    pub optimum_mismatches: f64,
    /// Share of missing cells (rounded to 3 decimals, as allelematch reports it).
    pub missing_data_load: f64,
    /// Mean alleles per locus among unique genotypes of the last run (1 decimal).
    pub allelic_diversity: f64,
}

fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// allelematch `amUniqueProfile` with default parameters: mismatches 0, 1, … ⌊0.4·columns⌋.
pub fn am_unique_profile(table: &GenotypeTable) -> Profile {
    let ncol = table.n_columns();
    let top = (ncol as f64 * 0.4).floor() as usize;
    let mut rows = Vec::new();
    let mut last = None;
    // One pair index at the lowest floor of the profile serves every row.
    let floor = (0..=top)
        .map(|m| {
            let (_, hcut, hmatch) = unique_floors(table, 1.0 - m as f64 / ncol as f64);
            hcut.min(hmatch)
        })
        .min()
        .unwrap_or(u32::MAX);
    let pairs = PairIndex::build(table, floor);
    for m in 0..=top {
        let mm = m as f64;
        let threshold = 1.0 - mm / ncol as f64;
        let r = am_unique_with(table, &pairs, threshold, mm);
        rows.push(ProfileRow {
            match_threshold: threshold,
            cut_height: 1.0 - threshold,
            allele_mismatch: mm,
            samples: r.samples,
            unique: r.unique,
            unclassified: r.unclassified,
            multiple_matches: r.multiple_matches,
            guess_optimum: false,
        });
        last = Some(r);
    }
    let mm: Vec<usize> = rows.iter().map(|r| r.multiple_matches).collect();
    let nrow = rows.len();
    // Second minimum of the multiple-match curve (1-based positions as in the R code).
    let mut i = 0;
    let minimum = loop {
        i += 1;
        let slice = &mm[i - 1..];
        let mut wmin = 0;
        for (k, &v) in slice.iter().enumerate() {
            if v < slice[wmin] {
                wmin = k;
            }
        }
        let minimum = wmin + i;
        let slope = if minimum == 1 { 0i64 } else { mm[minimum - 1] as i64 - mm[minimum - 2] as i64 };
        if slope < 0 || minimum == nrow {
            break minimum;
        }
    };
    let leading = mm.iter().take_while(|&&v| v == 0).count();
    let morphology = if leading == nrow {
        "ZeroFlat"
    } else if mm[leading..].iter().all(|&v| v != 0) {
        if minimum == nrow {
            "NoSecondMinimum"
        } else {
            "NonZeroSecondMinimum"
        }
    } else {
        "ZeroSecondMinimum"
    };
    let guess = if matches!(morphology, "ZeroFlat" | "NoSecondMinimum") && nrow >= 3 {
        let mut best = 1;
        let mut bestv = f64::INFINITY;
        for x in 1..nrow - 1 {
            let v = ((rows[x - 1].unique as f64 - rows[x + 1].unique as f64) / 2.0).abs();
            if v < bestv {
                bestv = v;
                best = x;
            }
        }
        best
    } else {
        minimum - 1
    };
    rows[guess].guess_optimum = true;
    Profile {
        optimum_mismatches: rows[guess].allele_mismatch,
        rows,
        morphology: morphology.to_string(),
        missing_data_load: round_to(table.missing_load(), 3),
        allelic_diversity: round_to(last.map_or(0.0, |r| r.allelic_diversity), 1),
    }
}

// ---------------------------------------------------------------------------------------------
// Probability of identity
// ---------------------------------------------------------------------------------------------

/// Probability of identity at one locus (Waits, Luikart & Taberlet 2001).
#[derive(Debug, Clone, Serialize)]
pub struct LocusPid {
    pub locus: String,
    /// Individuals typed at this locus (both alleles present).
    pub n_ind: usize,
    pub n_alleles: usize,
    /// Expected heterozygosity 1 − Σp².
    pub he: f64,
    /// 2·a2² − a4.
    pub pid: f64,
    /// Unbiased PID (Paetkau et al. 1998 / Kendall & Stuart) with n = individuals.
    pub pid_unbiased_n_ind: f64,
    /// Unbiased PID with n = gene copies (2N).
    pub pid_unbiased: f64,
    /// 0.25 + 0.5·a2 + 0.5·a2² − 0.25·a4.
    pub pid_sib: f64,
}

/// PID per locus and cumulative (running products in locus order).
#[derive(Debug, Clone, Serialize)]
pub struct PidReport {
    pub loci: Vec<LocusPid>,
    pub cumulative: Vec<LocusPid>,
}

fn unbiased_pid(n: f64, a2: f64, a3: f64, a4: f64) -> f64 {
    (n.powi(3) * (2.0 * a2 * a2 - a4) - 2.0 * n * n * (a3 + 2.0 * a2) + n * (9.0 * a2 + 2.0) - 6.0)
        / ((n - 1.0) * (n - 2.0) * (n - 3.0))
}

/// PID over the diploid loci of a table (single-column markers such as sex are skipped). Allele
/// frequencies count the individuals typed at both alleles of the locus.
pub fn probability_of_identity(table: &GenotypeTable) -> PidReport {
    let mut loci = Vec::new();
    for (l, name) in table.loci.iter().enumerate() {
        let cols: Vec<usize> = (0..table.n_columns()).filter(|&c| table.column_locus[c] == l).collect();
        if cols.len() != 2 {
            continue;
        }
        let mut counts: HashMap<u16, f64> = HashMap::new();
        let mut n_ind = 0usize;
        for i in 0..table.len() {
            let r = table.row(i);
            let (a, b) = (r[cols[0]], r[cols[1]]);
            if a == 0 || b == 0 {
                continue;
            }
            n_ind += 1;
            *counts.entry(a).or_default() += 1.0;
            *counts.entry(b).or_default() += 1.0;
        }
        let genes = 2.0 * n_ind as f64;
        let mut keys: Vec<u16> = counts.keys().copied().collect();
        keys.sort_unstable_by_key(|k| table.values[*k as usize]);
        let p: Vec<f64> = keys.iter().map(|k| counts[k] / genes).collect();
        let a = |k: i32| p.iter().map(|x| x.powi(k)).sum::<f64>();
        let (a2, a3, a4) = (a(2), a(3), a(4));
        loci.push(LocusPid {
            locus: name.clone(),
            n_ind,
            n_alleles: p.len(),
            he: 1.0 - a2,
            pid: 2.0 * a2 * a2 - a4,
            pid_unbiased_n_ind: unbiased_pid(n_ind as f64, a2, a3, a4),
            pid_unbiased: unbiased_pid(genes, a2, a3, a4),
            pid_sib: 0.25 + 0.5 * a2 + 0.5 * a2 * a2 - 0.25 * a4,
        });
    }
    let mut cumulative: Vec<LocusPid> = Vec::with_capacity(loci.len());
    for l in &loci {
        let mut c = l.clone();
        if let Some(prev) = cumulative.last() {
            c.pid *= prev.pid;
            c.pid_unbiased_n_ind *= prev.pid_unbiased_n_ind;
            c.pid_unbiased *= prev.pid_unbiased;
            c.pid_sib *= prev.pid_sib;
        }
        cumulative.push(c);
    }
    PidReport { loci, cumulative }
}

// ---------------------------------------------------------------------------------------------
// One call for the command line and the page
// ---------------------------------------------------------------------------------------------

/// Options of [`match_files`], as the command line and the WASM `matchGenotypes` take them (JSON
/// field names as written here; unknown fields are refused).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchOptions {
    /// Missing-allele code.
    pub missing: i64,
    /// Allowed mismatching allele columns (allelematch's `alleleMismatch`); ignored with `profile`.
    pub mismatches: Option<f64>,
    /// The mismatch profile (one row per allowed-mismatch count, 0 … 40% of the columns) instead.
    pub profile: bool,
    pub id_column: Option<String>,
    pub meta_columns: Vec<String>,
    pub sex_column: Option<String>,
    pub catalog_column: Option<String>,
    pub individual_column: Option<String>,
    /// Known catalogs: with a catalog column, every sample's must be one of these (when given).
    pub catalogs: Vec<String>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            missing: -99,
            mismatches: None,
            profile: false,
            id_column: None,
            meta_columns: Vec::new(),
            sex_column: None,
            catalog_column: None,
            individual_column: None,
            catalogs: Vec::new(),
        }
    }
}

impl MatchOptions {
    /// The table-reading part.
    pub fn table_options(&self) -> GenotypeOptions {
        GenotypeOptions {
            id_column: self.id_column.clone(),
            meta_columns: self.meta_columns.clone(),
            sex_column: self.sex_column.clone(),
            missing: self.missing,
            catalog_column: self.catalog_column.clone(),
            individual_column: self.individual_column.clone(),
        }
    }
}

/// Result of [`match_files`]: with `mismatches`, `amUnique`'s fields at the top level (`unique`,
/// `unclassified`, `multiple_matches`, `genotypes` with their matched samples and scores, …); with
/// `profile`, the profile's (`rows`, `morphology`, …). Always the files read, each sample's
/// catalog (when known) and the probability of identity.
#[derive(Debug, Clone, Serialize)]
pub struct MatchReport {
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub result: Option<UniqueResult>,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub profile: Option<Profile>,
    /// Catalog of each sample, in table order: the catalog column's value, else the file's name
    /// when several files were given; empty for one file without a catalog column.
    pub sample_catalogs: Vec<String>,
    pub pid: PidReport,
}

/// Reads one or several genotype tables (CSV or spreadsheets, `(name, bytes)`), merges them
/// ([`merge_tables`] with a catalog column, else each file's name as its catalog) and runs
/// `amUnique` at `mismatches` (0 when not given) or the mismatch profile.
///
/// ```
/// use borderless::identity::genotypes::{match_files, MatchOptions};
/// let csv = b"id,A1,A2,B1,B2\ns1,120,124,200,204\ns2,120,124,200,-99\ns3,130,134,210,214\n";
/// let o = MatchOptions { mismatches: Some(1.0), ..Default::default() };
/// let r = match_files(&[("a.csv".to_string(), csv.to_vec())], &o)?;
/// let u = r.result.unwrap();
/// assert_eq!((u.unique, u.unclassified, u.multiple_matches), (2, 0, 0));
/// # Ok::<(), borderless::identity::genotypes::GenotypeError>(())
/// ```
pub fn match_files(files: &[(String, Vec<u8>)], opts: &MatchOptions) -> Result<MatchReport, GenotypeError> {
    let topts = opts.table_options();
    let tables = files
        .iter()
        .map(|(name, bytes)| GenotypeTable::from_bytes(name, bytes, &topts))
        .collect::<Result<Vec<_>, _>>()?;
    let (table, sample_catalogs) = if opts.catalog_column.is_some() {
        merge_tables(&tables, &opts.catalogs)?
    } else if tables.len() > 1 {
        let named: Vec<(String, GenotypeTable)> = tables.into_iter().map(|t| (t.file.clone(), t)).collect();
        merge_country_tables(&named)?
    } else {
        let t =
            tables.into_iter().next().ok_or_else(|| gerr("", 0, "", Message::new("identity.genotypes.no_files")))?;
        let n = t.len();
        (t, vec![String::new(); n])
    };
    let (result, profile) = if opts.profile {
        (None, Some(am_unique_profile(&table)))
    } else {
        (Some(am_unique(&table, opts.mismatches.unwrap_or(0.0))), None)
    };
    Ok(MatchReport {
        files: files.iter().map(|(n, _)| n.clone()).collect(),
        result,
        profile,
        sample_catalogs,
        pid: probability_of_identity(&table),
    })
}
