//! SECR detectors given in WGS84: read by `io::secr_text::read_latlon_rows`, projected here to
//! UTM so that distances are metres.

use crate::io::secr_text::read_latlon_rows;
use crate::model::secr::{SecrError, Traps};
use crate::spatial::Utm;

/// Reads a traps CSV with WGS84 `latitude`/`longitude` (or `lat`/`lon`) columns, an ID column
/// (`detector`, `trapid`, `id` or the first column) and optional `usage1..usageK` columns, and
/// projects the detectors to UTM (the stated zone, or the zone of their centroid).
pub fn read_traps_latlon_csv(file: &str, bytes: &[u8], zone: Option<Utm>) -> Result<(Traps, Utm), SecrError> {
    let (ids, pos, usage) = read_latlon_rows(file, bytes)?;
    let zone = match zone {
        Some(z) => z,
        None => Utm::for_centroid(&pos).expect("rows are checked non-empty"),
    };
    let (xs, ys): (Vec<f64>, Vec<f64>) = pos.iter().map(|p| zone.from_latlon(*p)).unzip();
    let traps = Traps::new(ids, xs, ys, (!usage.is_empty()).then_some(usage))?;
    Ok((traps, zone))
}
