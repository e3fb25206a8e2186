//! SECR data from CSV: detector layouts (`detector,x,y[,detector_type][,usage1..usageK]`),
//! captures (`session,id,occasion,trapid[,group]`) and masks (`x,y`), as secr's `read.traps`,
//! `make.capthist(fmt = "trapID")` and `read.mask` take them. Every error names the file, row
//! and column. The readers build the checked types of [`crate::model::secr`].

use crate::model::secr::{infer_spacing, Capthist, Mask, SecrError, Traps};
use std::collections::HashMap;
use std::path::Path;

type CsvTable = (Vec<String>, Vec<Vec<String>>);

/// Header and rows of a CSV file (fields trimmed, a UTF-8 BOM dropped); every row must have as
/// many fields as the header, and there must be at least one row.
pub(crate) fn read_csv(file: &str, bytes: &[u8]) -> Result<CsvTable, SecrError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| SecrError::file(file, e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| SecrError::at(file, i + 2, "-", e.to_string()))?;
        if rec.len() != header.len() {
            return Err(SecrError::at(file, i + 2, "-", format!("{} fields, header has {}", rec.len(), header.len())));
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    if rows.is_empty() {
        return Err(SecrError::file(file, "no data rows"));
    }
    Ok((header, rows))
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
        let (header, rows) = read_csv(file, bytes)?;
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
        for (r, row) in rows.iter().enumerate() {
            let rown = r + 2;
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
        Ok(t.with_detector_type(dtype))
    }
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
        bytes: &[u8],
        traps: &Traps,
        n_occasions: Option<usize>,
        group_column: Option<&str>,
    ) -> Result<Self, SecrError> {
        let (header, rows) = read_csv(file, bytes)?;
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
        for (r, row) in rows.iter().enumerate() {
            let rown = r + 2;
            let at = |c: usize, m: &str| SecrError::at(file, rown, &header[c], m);
            let session = sess_col.map(|c| row[c].trim().to_string()).unwrap_or_else(|| "1".into());
            let id = row[id_col].trim().to_string();
            if id.is_empty() {
                return Err(at(id_col, "empty animal id"));
            }
            let occasion: usize = row[occ_col]
                .trim()
                .parse()
                .map_err(|_| at(occ_col, &format!("'{}' is not an occasion number", row[occ_col])))?;
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
            records.push(CaptureRow { row: rown, session, id, occasion, trap, group });
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
        let rows = CaptureRows::read(file, bytes, traps, n_occasions, group_column)?;
        type Records = Vec<(String, usize, String)>;
        let mut sessions: Vec<(String, Records, HashMap<String, String>)> = Vec::new();
        for rec in rows.records {
            let si = match sessions.iter().position(|s| s.0 == rec.session) {
                Some(i) => i,
                None => {
                    sessions.push((rec.session.clone(), Vec::new(), HashMap::new()));
                    sessions.len() - 1
                }
            };
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
            .map(|(name, recs, groups)| {
                let ch = Self::new(traps, s, &recs).map_err(ferr)?;
                let ch = if group_column.is_some() { ch.with_groups(&groups).map_err(ferr)? } else { ch };
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
        let rows = CaptureRows::read(file, bytes, traps, n_occasions, None)?;
        if let Some(first) = rows.records.first() {
            if let Some(other) = rows.records.iter().find(|r| r.session != first.session) {
                let m = "more than one session (fit them together with --sessions / fit_secr_sessions, or pick one with --session)";
                return Err(SecrError::at(file, other.row, rows.session_header.as_deref().unwrap_or("session"), m));
            }
        }
        let records: Vec<(String, usize, String)> =
            rows.records.into_iter().map(|r| (r.id, r.occasion, r.trap)).collect();
        let s = n_occasions
            .or_else(|| traps.usage().map(|u| u[0].len()))
            .unwrap_or_else(|| records.iter().map(|r| r.1).max().unwrap_or(1));
        Self::new(traps, s, &records).map_err(|e| SecrError::file(file, e.to_string()))
    }
}

impl Mask {
    /// Reads a mask CSV with columns x, y. The spacing is inferred as the smallest positive difference
    /// between x (or y) coordinates unless given; cell area = spacing²/10⁴ ha.
    pub fn from_csv(path: &Path, spacing: Option<f64>) -> Result<Self, SecrError> {
        let (file, bytes) = read_file(path)?;
        Self::from_csv_bytes(&file, &bytes, spacing)
    }

    /// As [`Mask::from_csv`] from bytes.
    pub fn from_csv_bytes(file: &str, bytes: &[u8], spacing: Option<f64>) -> Result<Self, SecrError> {
        let (header, rows) = read_csv(file, bytes)?;
        let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
        let xc = col("x").ok_or_else(|| SecrError::file(file, "no column 'x'"))?;
        let yc = col("y").ok_or_else(|| SecrError::file(file, "no column 'y'"))?;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for (r, row) in rows.iter().enumerate() {
            x.push(parse_num(file, r + 2, &header[xc], &row[xc])?);
            y.push(parse_num(file, r + 2, &header[yc], &row[yc])?);
        }
        let sp = match spacing {
            Some(s) => s,
            None => infer_spacing(&x, &y).ok_or_else(|| SecrError::file(file, "cannot infer mask spacing"))?,
        };
        Self::new(x, y, sp).map_err(|e| SecrError::file(file, e.to_string()))
    }
}
