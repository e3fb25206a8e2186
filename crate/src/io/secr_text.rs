//! secr's own text formats (Efford, secr `read.traps` / `read.capthist`, format "trapID"):
//! a trap file with lines `id x y [usage]` and a capture file with lines
//! `session id occasion detector`, whitespace-separated, `#` starting a comment. Usage is either
//! a string of 0/1 digits, one per occasion (`11001`), or one number per occasion.

use crate::model::secr::{Capthist, SecrError, Traps};

fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.split('#').next().unwrap_or("").trim();
        (!l.is_empty()).then(|| (i + 1, l.split_whitespace().collect()))
    })
}

fn err(file: &str, row: usize, column: &str, message: String) -> SecrError {
    SecrError::Csv { file: file.to_string(), row, column: column.to_string(), message }
}

/// Whether bytes look like secr's whitespace text format rather than CSV.
pub fn is_secr_text(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find(|l| !l.is_empty())
        .is_some_and(|l| !l.contains(','))
}

/// Reads a trap file `id x y [usage]`.
///
/// ```
/// let t = borderless::io::secr_text::read_traps("traps.txt", b"# id x y usage\nA 0 0 111\nB 30 0 101\n").unwrap();
/// assert_eq!(t.len(), 2);
/// assert_eq!(t.usage().unwrap()[1], vec![1.0, 0.0, 1.0]);
/// ```
pub fn read_traps(file: &str, bytes: &[u8]) -> Result<Traps, SecrError> {
    let text = String::from_utf8_lossy(bytes);
    let (mut ids, mut xs, mut ys, mut usage) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (row, f) in lines(&text) {
        if f.len() < 3 {
            return Err(err(file, row, "x/y", format!("expected 'id x y [usage]', found {} field(s)", f.len())));
        }
        let num = |k: usize, col: &str| {
            f[k].parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| err(file, row, col, format!("'{}' is not a number", f[k])))
        };
        ids.push(f[0].to_string());
        xs.push(num(1, "x")?);
        ys.push(num(2, "y")?);
        if f.len() > 3 {
            let u: Vec<f64> = if f.len() == 4 && f[3].chars().all(|c| c == '0' || c == '1') && f[3].len() > 1 {
                f[3].chars().map(|c| if c == '1' { 1.0 } else { 0.0 }).collect()
            } else {
                (3..f.len()).map(|k| num(k, "usage")).collect::<Result<_, _>>()?
            };
            if u.iter().any(|v| *v < 0.0) {
                return Err(err(file, row, "usage", "usage cannot be negative".into()));
            }
            usage.push((row, u));
        }
    }
    if ids.is_empty() {
        return Err(SecrError::File { file: file.into(), message: "no traps".into() });
    }
    let usage = match usage.len() {
        0 => None,
        n if n == ids.len() => {
            let k = usage[0].1.len();
            if let Some((row, u)) = usage.iter().find(|(_, u)| u.len() != k) {
                return Err(err(
                    file,
                    *row,
                    "usage",
                    format!("{} occasions of usage, the first trap has {k}", u.len()),
                ));
            }
            Some(usage.into_iter().map(|(_, u)| u).collect())
        }
        _ => {
            return Err(SecrError::File {
                file: file.into(),
                message: "usage is given for some traps but not all".into(),
            })
        }
    };
    Traps::new(ids, xs, ys, usage)
}

/// Reads a capture file `session id occasion detector` (one session).
pub fn read_captures(
    file: &str,
    bytes: &[u8],
    traps: &Traps,
    n_occasions: Option<usize>,
) -> Result<Capthist, SecrError> {
    let text = String::from_utf8_lossy(bytes);
    let mut records = Vec::new();
    let mut session: Option<String> = None;
    for (row, f) in lines(&text) {
        if f.len() != 4 {
            return Err(err(
                file,
                row,
                "detector",
                format!("expected 'session id occasion detector', found {} field(s)", f.len()),
            ));
        }
        match &session {
            None => session = Some(f[0].to_string()),
            Some(s) if s != f[0] => {
                return Err(err(
                    file,
                    row,
                    "session",
                    format!("a second session '{}' (only one session per fit)", f[0]),
                ))
            }
            _ => {}
        }
        let occ: usize = f[2]
            .parse()
            .ok()
            .filter(|&o| o >= 1)
            .ok_or_else(|| err(file, row, "occasion", format!("'{}' is not an occasion number (1, 2, …)", f[2])))?;
        records.push((row, f[1].to_string(), occ, f[3].to_string()));
    }
    if records.is_empty() {
        return Err(SecrError::NoDetections);
    }
    let k = n_occasions
        .or_else(|| traps.usage().map(|u| u[0].len()))
        .unwrap_or_else(|| records.iter().map(|r| r.2).max().unwrap_or(1));
    let ids = traps.ids();
    if let Some((row, .., t)) = records.iter().find(|r| !ids.contains(&r.3)) {
        return Err(err(file, *row, "detector", format!("detector '{t}' is not in the trap file")));
    }
    if let Some((row, _, o, _)) = records.iter().find(|r| r.2 > k) {
        return Err(err(file, *row, "occasion", format!("occasion {o} is beyond the {k} occasions")));
    }
    Capthist::new(traps, k, &records.into_iter().map(|(_, a, o, t)| (a, o, t)).collect::<Vec<_>>())
}

/// Whether a traps CSV gives WGS84 positions (`latitude`/`longitude` or `lat`/`lon` columns)
/// rather than metric x/y.
pub fn is_latlon_csv(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let header: Vec<String> =
        text.lines().next().unwrap_or("").split(',').map(|h| h.trim().trim_matches('"').to_ascii_lowercase()).collect();
    let has = |names: &[&str]| header.iter().any(|h| names.contains(&h.as_str()));
    has(&["latitude", "lat"]) && has(&["longitude", "lon", "long"])
}

/// Detector rows of a traps CSV with WGS84 `latitude`/`longitude` (or `lat`/`lon`) columns:
/// ids, checked positions and optional `usage1..usageK` (projection is the spatial layer's:
/// `spatial::secr_traps::read_traps_latlon_csv`).
pub type LatLonTraps = (Vec<String>, Vec<crate::model::LatLon>, Vec<Vec<f64>>);

/// Reads the rows of a WGS84 traps CSV (see [`LatLonTraps`]), errors naming file, row, column.
pub fn read_latlon_rows(file: &str, bytes: &[u8]) -> Result<LatLonTraps, SecrError> {
    use crate::io::{table::Table, FileReport};
    use crate::model::LatLon;
    let mut report = FileReport::new(file, "traps");
    let t = Table::parse(file, bytes, &mut report)
        .map_err(|e| SecrError::File { file: file.into(), message: e.message.to_string() })?;
    let (Some(la), Some(lo)) = (t.col_any(&["latitude", "lat"]), t.col_any(&["longitude", "lon", "long"])) else {
        return Err(SecrError::File { file: file.into(), message: "no latitude/longitude columns".into() });
    };
    let id = t.col_any(&["detector", "trapid", "trap", "id"]).unwrap_or(0);
    let usage_cols: Vec<usize> = (1..).map_while(|k| t.col(&format!("usage{k}"))).collect();
    let (mut ids, mut pos, mut usage) = (Vec::new(), Vec::new(), Vec::new());
    for row in &t.rows {
        let num = |c: usize| {
            row.get(c).and_then(|v| v.parse::<f64>().ok()).ok_or_else(|| {
                err(file, row.line, &t.header[c], format!("'{}' is not a number", row.get(c).unwrap_or("")))
            })
        };
        let (lat, lon) = (num(la)?, num(lo)?);
        let p = LatLon::new(lat, lon).map_err(|m| err(file, row.line, &t.header[la], m))?;
        ids.push(
            row.get(id).ok_or_else(|| err(file, row.line, &t.header[id], "empty detector ID".into()))?.to_string(),
        );
        pos.push(p);
        if !usage_cols.is_empty() {
            usage.push(usage_cols.iter().map(|&c| num(c)).collect::<Result<Vec<f64>, _>>()?);
        }
    }
    if pos.is_empty() {
        return Err(SecrError::File { file: file.into(), message: "no traps".into() });
    }
    Ok((ids, pos, usage))
}
