//! SECR data from CSV: detector layouts (`detector,x,y[,detector_type][,usage1..usageK]`),
//! captures (`session,id,occasion,trapid[,group]`) and masks (`x,y`), as secr's `read.traps`,
//! `make.capthist(fmt = "trapID")` and `read.mask` take them. Every error names the file, row
//! and column. The readers build the checked types of [`crate::model::secr`].

use crate::model::secr::{infer_grid, Capthist, Covariate, Covariates, Mask, SecrError, Traps};
use std::collections::HashMap;
use std::path::Path;

/// Header and rows of a CSV file (fields trimmed), each row with its spreadsheet row number.
#[derive(Debug, Clone)]
pub(crate) struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Spreadsheet row number of each row (header = row 1; right after quoted line breaks).
    pub lines: Vec<usize>,
}

impl CsvTable {
    /// The rows `keep` selects, with their row numbers.
    fn subset(&self, keep: impl Fn(&[String]) -> bool) -> CsvTable {
        let (rows, lines) =
            self.rows.iter().zip(&self.lines).filter(|(r, _)| keep(r)).map(|(r, l)| (r.clone(), *l)).unzip();
        CsvTable { header: self.header.clone(), rows, lines }
    }
}

/// Reads a CSV through the shared table layer ([`crate::io::table::Table`]: text encoding
/// detected, delimiter sniffed among `,` `;` tab `|`, spreadsheet row numbers); every row must
/// have as many fields as the header, and there must be at least one row.
pub(crate) fn read_csv(file: &str, bytes: &[u8]) -> Result<CsvTable, SecrError> {
    let mut report = crate::io::FileReport::new(file, "secr");
    let table = crate::io::table::Table::parse(file, bytes, &mut report).map_err(|e| match e.row {
        Some(row) => SecrError::at(file, row, e.column.as_deref().unwrap_or("-"), e.message.to_string()),
        None => SecrError::file(file, e.message.to_string()),
    })?;
    let header: Vec<String> = table.header.iter().map(|h| h.trim().to_string()).collect();
    let (mut rows, mut lines) = (Vec::with_capacity(table.rows.len()), Vec::with_capacity(table.rows.len()));
    for row in table.rows {
        if row.fields.len() != header.len() {
            let m = format!("{} fields, header has {}", row.fields.len(), header.len());
            return Err(SecrError::at(file, row.line, "-", m));
        }
        rows.push(row.fields.iter().map(|f| f.trim().to_string()).collect());
        lines.push(row.line);
    }
    if rows.is_empty() {
        return Err(SecrError::file(file, "no data rows"));
    }
    Ok(CsvTable { header, rows, lines })
}

pub(crate) fn parse_num(file: &str, row: usize, column: &str, s: &str) -> Result<f64, SecrError> {
    let v: f64 = s.trim().parse().map_err(|_| SecrError::at(file, row, column, format!("'{s}' is not a number")))?;
    if !v.is_finite() {
        return Err(SecrError::at(file, row, column, "value must be finite"));
    }
    Ok(v)
}

fn read_file(path: &Path) -> Result<(String, Vec<u8>), SecrError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| SecrError::file(&file, e.to_string()))?;
    Ok((file, bytes))
}

impl Traps {
    /// Reads a traps CSV: an id column (`detector`, `trapid`, `trap` or `id`, else the first column),
    /// `x`, `y`, optional `detector_type` and optional `usage1..usageK`.
    pub fn from_csv(path: &Path) -> Result<Self, SecrError> {
        let (file, bytes) = read_file(path)?;
        Self::from_csv_bytes(&file, &bytes)
    }

    /// As [`Traps::from_csv`] from bytes; `file` names the source in error messages.
    ///
    /// ```
    /// use borderless::model::secr::Traps;
    /// let t = Traps::from_csv_bytes("t.csv", b"detector,x,y\nA,0,0\nB,20,0\n").unwrap();
    /// assert_eq!(t.ids(), ["A", "B"]);
    /// ```
    pub fn from_csv_bytes(file: &str, bytes: &[u8]) -> Result<Self, SecrError> {
        Self::from_table(file, &read_csv(file, bytes)?)
    }

    fn from_table(file: &str, table: &CsvTable) -> Result<Self, SecrError> {
        let (header, rows) = (&table.header, &table.rows);
        let col = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
        let id_col = col(&["detector", "trapid", "trap", "id"]).unwrap_or(0);
        let x_col = col(&["x"]).ok_or_else(|| SecrError::file(file, "no column 'x'"))?;
        let y_col = col(&["y"]).ok_or_else(|| SecrError::file(file, "no column 'y'"))?;
        let type_col = col(&["detector_type", "detectortype"]);
        let mut usage_cols: Vec<(usize, usize)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let l = h.to_ascii_lowercase();
                l.strip_prefix("usage").and_then(|n| n.parse::<usize>().ok()).map(|n| (n, i))
            })
            .collect();
        usage_cols.sort();
        for (j, (n, _)) in usage_cols.iter().enumerate() {
            if *n != j + 1 {
                return Err(SecrError::file(file, format!("usage columns must be usage1..usageK (found usage{n})")));
            }
        }
        let (mut ids, mut x, mut y, mut usage) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut dtype = None;
        for (row, &rown) in rows.iter().zip(&table.lines) {
            let id = row[id_col].trim().to_string();
            if id.is_empty() {
                return Err(SecrError::at(file, rown, &header[id_col], "empty detector id"));
            }
            x.push(parse_num(file, rown, &header[x_col], &row[x_col])?);
            y.push(parse_num(file, rown, &header[y_col], &row[y_col])?);
            if let (Some(tc), None) = (type_col, &dtype) {
                dtype = Some(row[tc].trim().to_string());
            }
            if !usage_cols.is_empty() {
                let mut u = Vec::with_capacity(usage_cols.len());
                for &(_, c) in &usage_cols {
                    let v = parse_num(file, rown, &header[c], &row[c])?;
                    if v < 0.0 {
                        return Err(SecrError::at(file, rown, &header[c], "usage must be >= 0"));
                    }
                    u.push(v);
                }
                usage.push(u);
            }
            if ids.contains(&id) {
                return Err(SecrError::at(file, rown, &header[id_col], format!("detector id '{id}' is repeated")));
            }
            ids.push(id);
        }
        let usage = if usage_cols.is_empty() { None } else { Some(usage) };
        let t = Self::new(ids, x, y, usage).map_err(|e| SecrError::file(file, e.to_string()))?;
        let known = |i: usize| {
            i == id_col || i == x_col || i == y_col || Some(i) == type_col || usage_cols.iter().any(|u| u.1 == i)
        };
        let cov = covariate_columns(file, table, &|i| !known(i) && !header[i].eq_ignore_ascii_case("session"))?;
        t.with_detector_type(dtype).with_covariates(cov).map_err(|e| SecrError::file(file, e.to_string()))
    }

    /// Reads a traps CSV with a `session` column (secr's multi-session layouts, e.g. one
    /// layout per survey year): one layout per session, in order of first appearance.
    pub fn sessions_from_csv_bytes(file: &str, bytes: &[u8]) -> Result<Vec<(String, Traps)>, SecrError> {
        let table = read_csv(file, bytes)?;
        let Some(sc) = table.header.iter().position(|h| h.eq_ignore_ascii_case("session")) else {
            return Ok(vec![("1".to_string(), Self::from_table(file, &table)?)]);
        };
        let mut names: Vec<String> = Vec::new();
        for r in &table.rows {
            if !names.contains(&r[sc]) {
                names.push(r[sc].clone());
            }
        }
        let mut out = Vec::new();
        for name in names {
            let part = table.subset(|r| r[sc] == name);
            let t = Self::from_table(file, &part).map_err(|e| match e {
                SecrError::Csv { .. } => e,
                e => SecrError::file(file, format!("session '{name}': {e}")),
            })?;
            out.push((name, t));
        }
        Ok(out)
    }
}

/// Columns selected by `keep` as covariates: numeric when every value is a number, else a
/// factor; an empty value is an error naming its row.
pub(crate) fn covariate_columns(
    file: &str,
    table: &CsvTable,
    keep: &dyn Fn(usize) -> bool,
) -> Result<Covariates, SecrError> {
    let mut cov = Covariates::default();
    for (i, name) in table.header.iter().enumerate().filter(|(i, _)| keep(*i)) {
        if let Some(r) = table.rows.iter().position(|r| r[i].trim().is_empty()) {
            return Err(SecrError::at(file, table.lines[r], name, "empty covariate value"));
        }
        let vals: Vec<&str> = table.rows.iter().map(|r| r[i].as_str()).collect();
        cov.insert(name, Covariate::from_text(&vals).expect("no empty values"));
    }
    Ok(cov)
}

/// One checked row of a captures CSV.
struct CaptureRow {
    /// 1-based line (the header is row 1).
    row: usize,
    session: String,
    id: String,
    occasion: usize,
    trap: String,
    group: Option<String>,
    /// A negative occasion in the file: the animal was removed (died) after this detection.
    removed: bool,
}

/// The rows of a captures CSV (`session`, `id`, `occasion`, `trapid`, optional group column),
/// each checked against the traps and the number of occasions, with errors naming file, row
/// and column.
struct CaptureRows {
    records: Vec<CaptureRow>,
    session_header: Option<String>,
    group_header: Option<String>,
}

impl CaptureRows {
    fn read(
        file: &str,
        table: &CsvTable,
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Self, SecrError> {
        let (header, rows) = (&table.header, &table.rows);
        let col = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
        let miss = |c: &str| SecrError::file(file, format!("no column '{c}'"));
        let sess_col = col(&["session"]);
        let id_col = col(&["id", "animal", "animalid"]).ok_or_else(|| miss("id"))?;
        let occ_col = col(&["occasion"]).ok_or_else(|| miss("occasion"))?;
        let trap_col = col(&["trapid", "trap", "detector"]).ok_or_else(|| miss("trapid"))?;
        let grp_col = match group_column {
            Some(g) => Some(col(&[g]).ok_or_else(|| miss(g))?),
            None => None,
        };
        let tindex = traps.index();
        let max_occ = n_occasions.or_else(|| traps.usage().map(|u| u[0].len()));
        let mut records = Vec::with_capacity(rows.len());
        for (row, &rown) in rows.iter().zip(&table.lines) {
            let at = |c: usize, m: &str| SecrError::at(file, rown, &header[c], m);
            let session = sess_col.map(|c| row[c].trim().to_string()).unwrap_or_else(|| "1".into());
            let id = row[id_col].trim().to_string();
            if id.is_empty() {
                return Err(at(id_col, "empty animal id"));
            }
            let signed: i64 = row[occ_col]
                .trim()
                .parse()
                .map_err(|_| at(occ_col, &format!("'{}' is not an occasion number", row[occ_col])))?;
            let (occasion, removed) = (signed.unsigned_abs() as usize, signed < 0);
            if occasion == 0 {
                return Err(at(occ_col, "occasions are numbered from 1"));
            }
            if let Some(n) = max_occ {
                if occasion > n {
                    return Err(at(occ_col, &format!("occasion {occasion} > number of occasions {n}")));
                }
            }
            let trap = row[trap_col].trim().to_string();
            if !tindex.contains_key(trap.as_str()) {
                return Err(at(trap_col, &format!("trap '{trap}' is not in the traps file")));
            }
            let group = match grp_col {
                Some(gc) => {
                    let g = row[gc].trim().to_string();
                    if g.is_empty() {
                        return Err(at(gc, "empty group label"));
                    }
                    Some(g)
                }
                None => None,
            };
            records.push(CaptureRow { row: rown, session, id, occasion, trap, group, removed });
        }
        Ok(CaptureRows {
            records,
            session_header: sess_col.map(|c| header[c].clone()),
            group_header: grp_col.map(|c| header[c].clone()),
        })
    }
}

impl Capthist {
    /// Reads a captures CSV that may hold several sessions and a group column: returns one
    /// capture history per value of the `session` column (in order of first appearance; one
    /// session named "1" without that column). With `group_column` (e.g. "sex"), each animal
    /// takes its label from that column; an animal must have the same label on every row.
    /// Occasions as in [`Capthist::from_csv`] (the largest occasion over all sessions).
    pub fn sessions_from_csv_bytes(
        file: &str,
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Vec<(String, Capthist)>, SecrError> {
        Self::sessions_from_table(file, &read_csv(file, bytes)?, traps, n_occasions, group_column)
    }

    fn sessions_from_table(
        file: &str,
        table: &CsvTable,
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Vec<(String, Capthist)>, SecrError> {
        let rows = CaptureRows::read(file, table, traps, n_occasions, group_column)?;
        type Records = Vec<(String, usize, String)>;
        let mut sessions: Vec<(String, Records, HashMap<String, String>)> = Vec::new();
        let mut removals: Vec<Vec<(String, usize)>> = Vec::new();
        for rec in rows.records {
            let si = match sessions.iter().position(|s| s.0 == rec.session) {
                Some(i) => i,
                None => {
                    sessions.push((rec.session.clone(), Vec::new(), HashMap::new()));
                    removals.push(Vec::new());
                    sessions.len() - 1
                }
            };
            if rec.removed {
                removals[si].push((rec.id.clone(), rec.occasion));
            }
            if let Some(g) = rec.group {
                match sessions[si].2.get(&rec.id) {
                    Some(g0) if *g0 != g => {
                        let m = format!("animal '{}' is in group '{g0}' on an earlier row, '{g}' here", rec.id);
                        return Err(SecrError::at(file, rec.row, rows.group_header.as_deref().unwrap_or("group"), m));
                    }
                    _ => {
                        sessions[si].2.insert(rec.id.clone(), g);
                    }
                }
            }
            sessions[si].1.push((rec.id, rec.occasion, rec.trap));
        }
        let s = n_occasions
            .or_else(|| traps.usage().map(|u| u[0].len()))
            .unwrap_or_else(|| sessions.iter().flat_map(|x| x.1.iter().map(|r| r.1)).max().unwrap_or(1));
        let ferr = |e: SecrError| SecrError::file(file, e.to_string());
        sessions
            .into_iter()
            .zip(removals)
            .map(|((name, recs, groups), rem)| {
                let ch = Self::new(traps, s, &recs).map_err(ferr)?;
                let ch = if group_column.is_some() { ch.with_groups(&groups).map_err(ferr)? } else { ch };
                let ch = if rem.is_empty() { ch } else { ch.with_removals(&rem).map_err(ferr)? };
                Ok((name, ch))
            })
            .collect()
    }

    /// Reads a captures CSV with columns session, id, occasion, trapid (session optional; one session only).
    /// The number of occasions is taken from `n_occasions`, else from the traps' usage, else the largest occasion.
    pub fn from_csv(path: &Path, traps: &Traps, n_occasions: Option<usize>) -> Result<Self, SecrError> {
        let (file, bytes) = read_file(path)?;
        Self::from_csv_bytes(&file, &bytes, traps, n_occasions)
    }

    /// As [`Capthist::from_csv`] from bytes.
    pub fn from_csv_bytes(
        file: &str,
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
    ) -> Result<Self, SecrError> {
        let rows = CaptureRows::read(file, &read_csv(file, bytes)?, traps, n_occasions, None)?;
        if let Some(first) = rows.records.first() {
            if let Some(other) = rows.records.iter().find(|r| r.session != first.session) {
                let m = "more than one session (fit them together with --sessions / fit_secr_sessions, or pick one with --session)";
                return Err(SecrError::at(file, other.row, rows.session_header.as_deref().unwrap_or("session"), m));
            }
        }
        let removals: Vec<(String, usize)> =
            rows.records.iter().filter(|r| r.removed).map(|r| (r.id.clone(), r.occasion)).collect();
        let records: Vec<(String, usize, String)> =
            rows.records.into_iter().map(|r| (r.id, r.occasion, r.trap)).collect();
        let s = n_occasions
            .or_else(|| traps.usage().map(|u| u[0].len()))
            .unwrap_or_else(|| records.iter().map(|r| r.1).max().unwrap_or(1));
        let ch = Self::new(traps, s, &records).map_err(|e| SecrError::file(file, e.to_string()))?;
        if removals.is_empty() {
            return Ok(ch);
        }
        ch.with_removals(&removals).map_err(|e| SecrError::file(file, e.to_string()))
    }

    /// Reads a captures CSV whose sessions each have their own detector layout and number of
    /// occasions (`traps` and `occasions` by session name, e.g. from
    /// [`Traps::sessions_from_csv_bytes`]); sessions without captures are kept, empty.
    pub fn sessions_with_traps_from_csv_bytes(
        file: &str,
        bytes: &[u8],
        traps: &[(String, Traps)],
        occasions: &[(String, usize)],
        group_column: Option<&str>,
    ) -> Result<Vec<(String, Capthist)>, SecrError> {
        let table = read_csv(file, bytes)?;
        let sc = table
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case("session"))
            .ok_or_else(|| SecrError::file(file, "no column 'session'"))?;
        if let Some((r, line)) = table.rows.iter().zip(&table.lines).find(|(r, _)| !traps.iter().any(|t| t.0 == r[sc]))
        {
            let m = format!("session '{}' has no detector layout", r[sc]);
            return Err(SecrError::at(file, *line, &table.header[sc], m));
        }
        let mut out = Vec::new();
        for (name, t) in traps {
            let occ = occasions.iter().find(|o| &o.0 == name).map(|o| o.1);
            let part = table.subset(|r| &r[sc] == name);
            if part.rows.is_empty() {
                let s = occ.or_else(|| t.usage().map(|u| u[0].len())).unwrap_or(1);
                out.push((name.clone(), Self::new(t, s, &[])?));
                continue;
            }
            let mut got = Self::sessions_from_table(file, &part, t, occ, group_column)?;
            out.push((name.clone(), got.remove(0).1));
        }
        Ok(out)
    }
}

impl Mask {
    /// Reads a mask CSV with columns x, y (other columns are covariates). Unless `spacing` is
    /// given (then cell area = spacing²/10⁴ ha), spacing and cell area are inferred from the
    /// points ([`infer_grid`]: rotated, clipped and irregular grids as GIS exports them).
    pub fn from_csv(path: &Path, spacing: Option<f64>) -> Result<Self, SecrError> {
        let (file, bytes) = read_file(path)?;
        Self::from_csv_bytes(&file, &bytes, spacing)
    }

    /// As [`Mask::from_csv`] from bytes.
    pub fn from_csv_bytes(file: &str, bytes: &[u8], spacing: Option<f64>) -> Result<Self, SecrError> {
        let table = read_csv(file, bytes)?;
        let header = &table.header;
        let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
        let xc = col("x").ok_or_else(|| SecrError::file(file, "no column 'x'"))?;
        let yc = col("y").ok_or_else(|| SecrError::file(file, "no column 'y'"))?;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for (row, &line) in table.rows.iter().zip(&table.lines) {
            x.push(parse_num(file, line, &header[xc], &row[xc])?);
            y.push(parse_num(file, line, &header[yc], &row[yc])?);
        }
        let (sp, area) = match spacing {
            Some(s) => (s, s * s / 1e4),
            None => {
                infer_grid(&x, &y).ok_or_else(|| SecrError::file(file, "cannot infer mask spacing (one point?)"))?
            }
        };
        let cov = covariate_columns(file, &table, &|i| i != xc && i != yc)?;
        Self::with_cell_area(x, y, area, sp)
            .and_then(|m| m.with_covariates(cov))
            .map_err(|e| SecrError::file(file, e.to_string()))
    }
}
