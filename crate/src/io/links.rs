//! The links table: `catalog_a,id_a,catalog_b,id_b`, one row per pair of national IDs that
//! experts judged to be the same animal. Tables written by the review step
//! ([`crate::identity::review`]) add `verdict,who,when,why`: rows with verdict `reject` record that two
//! IDs are *not* one animal and are skipped here by design.

use super::table::Table;
use super::{FileReport, InputFile, IoError};
use crate::model::joint::{Link, NationalId};
use crate::model::message::Message;

/// Reads the links table. Rows with empty fields are rejected; whether the IDs exist is checked
/// when the links are applied (see `matching`).
pub fn read_links(file: &InputFile, report: &mut FileReport) -> Result<Vec<Link>, IoError> {
    let t = Table::parse_input(file, report)?;
    let c = t.require(&["catalog_a", "id_a", "catalog_b", "id_b"])?;
    let verdict = t.col("verdict");
    let mut out = Vec::new();
    for row in &t.rows {
        report.rows_read += 1;
        if !t.check_width(row, report) {
            continue;
        }
        let names = ["catalog_a", "id_a", "catalog_b", "id_b"];
        if let Some(k) = (0..4).find(|&k| row.get(c[k]).is_none()) {
            report.reject(row.line, Some(names[k]), Message::new("io.links.empty").with("column", names[k]));
            continue;
        }
        if let Some(vc) = verdict {
            match row.get(vc).map(str::to_ascii_lowercase).as_deref() {
                None | Some("accept") => {}
                Some("reject") => {
                    report.skip(Message::new("io.links.rejected_pair"));
                    continue;
                }
                Some(other) => {
                    let m = Message::new("io.links.bad_verdict").with("verdict", other);
                    report.reject(row.line, Some("verdict"), m);
                    continue;
                }
            }
        }
        let v = |k: usize| row.get(c[k]).unwrap();
        out.push(Link { row: row.line, a: NationalId::new(v(0), v(1)), b: NationalId::new(v(2), v(3)) });
    }
    Ok(out)
}
