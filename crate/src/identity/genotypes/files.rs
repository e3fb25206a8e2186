//! One call for the command line and the page: read, merge and match genotype files.

use super::*;

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
    /// What the reading decided on its own, e.g. which column was taken as the samples' sex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
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
    // A sex column found by name or content: the only compared column that is a locus alone.
    let notes = tables
        .iter()
        .filter(|t| topts.sex_column.is_none() && t.column_locus.len() > 1 && t.column_locus[0] != t.column_locus[1])
        .map(|t| {
            let m = Message::new("identity.genotypes.sex_column").with("column", t.columns[0].as_str());
            Message::new("general.at.file").with("file", t.file.as_str()).with("message", m)
        })
        .collect();
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
        notes,
    })
}
