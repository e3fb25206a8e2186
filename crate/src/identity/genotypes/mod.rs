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

use crate::io::IoError;
use crate::model::message::Message;
use serde::Serialize;
use std::collections::HashMap;

/// Bad genotype input: the located error of every reader ([`IoError`]), naming the file, the row
/// (as a spreadsheet shows it) and the column.
pub type GenotypeError = IoError;

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

/// A located error; row 0 means no row (the whole file), an empty column no column.
fn gerr(file: &str, row: usize, column: &str, message: impl Into<Message>) -> GenotypeError {
    IoError::at(file, (row > 0).then_some(row), (!column.is_empty()).then_some(column), message)
}

mod cluster;
mod files;
mod pid;
mod profile;
mod read;
mod unique;

pub use cluster::cluster_unique;
use cluster::*;
pub use files::*;
pub use pid::*;
pub use profile::*;
pub use read::{table_header, TableFormat};
pub use unique::*;

impl GenotypeTable {
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
