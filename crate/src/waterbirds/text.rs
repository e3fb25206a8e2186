//! A plain-text summary of a [`WaterbirdResult`] for people reading a terminal: the criteria
//! matrix (qualifying cells first), the over-counts of national peak sums, the names that were not
//! matched and every file problem. Species are named in the chosen language.

use super::{CriterionRow, WaterbirdResult};
use crate::model::lang::Lang;
use std::fmt::Write;

fn verdict(r: &CriterionRow) -> String {
    match r.test {
        Some("both") => "QUALIFIES (two thirds and five-season mean)".into(),
        Some("two_thirds") => "QUALIFIES (two thirds)".into(),
        Some("five_year_mean") => "QUALIFIES (five-season mean)".into(),
        _ => "does not qualify".into(),
    }
}

fn row_line(out: &mut String, r: &CriterionRow, lang: Lang) {
    let peaks = r
        .peak_details
        .iter()
        .map(|c| format!("{} {}{}", c.label, c.peak, if c.partial { "*" } else { "" }))
        .collect::<Vec<_>>()
        .join(", ");
    let name = r.name.clone().unwrap_or_else(|| "all waterbirds".into());
    let mean = r.five_year_mean.as_ref().map_or("n/a".to_string(), |m| lang.number(m.mean, 1));
    let _ = writeln!(
        out,
        "  {:<18} {:<8} {:<28} level {:>7}  reached {}/{} seasons, 5-season mean {:>8}  {}\n      peaks: {}",
        r.unit,
        r.season,
        name,
        lang.number(r.threshold, 0),
        r.two_thirds.reached,
        r.two_thirds.seasons,
        mean,
        verdict(r),
        peaks
    );
}

/// The summary text.
pub fn summary(r: &WaterbirdResult, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Ramsar Criterion 6 (1% of a population, regularly) — {} unit/season/species cells",
        r.criterion6.len()
    );
    let mut c6: Vec<&CriterionRow> = r.criterion6.iter().collect();
    c6.sort_by_key(|c| !c.qualifies);
    for c in c6 {
        row_line(&mut out, c, lang);
    }
    let _ = writeln!(out, "\nRamsar Criterion 5 (20,000 waterbirds, regularly)");
    for c in &r.criterion5 {
        row_line(&mut out, c, lang);
    }
    let _ =
        writeln!(out, "\n(* = a peak on a date when not all sites of the unit were counted, or coverage was partial)");
    let _ = writeln!(out, "\nEAAFP staging tests ({})", r.eaafp_params.source);
    for e in r.eaafp.iter().filter(|e| e.passes) {
        let _ = writeln!(
            out,
            "  {:<18} {:<8} {:<28} {} >= {}: {}",
            e.unit,
            e.season,
            e.species.clone().unwrap_or_else(|| "all waterbirds".into()),
            e.test,
            lang.number(e.level, 1),
            e.reached_in.join(", ")
        );
    }
    let _ = writeln!(out, "\nSum of site peaks vs synchronised peak (complexes)");
    for j in &r.joint {
        let pct = j.overcount_percent.map_or("—".to_string(), |p| format!("{}%", lang.number(p, 1)));
        let _ = writeln!(
            out,
            "  {:<18} {:<8} {:<9} {:<28} sum of site peaks {:>7}  synchronised {:>7}  over-count {}",
            j.unit, j.season, j.label, j.species, j.sum_of_site_peaks, j.synchronised_peak, pct
        );
    }
    if !r.unmatched_names.is_empty() {
        let _ = writeln!(out, "\nSpecies names not matched (left out of every total)");
        for u in &r.unmatched_names {
            let _ = writeln!(
                out,
                "  {}, row {}, column '{}': {}; closest: {}",
                u.file,
                u.row,
                u.column,
                u.message,
                u.suggestions.join(" | ")
            );
        }
    }
    let _ = writeln!(out, "\nFiles");
    for rep in &r.reports {
        let _ = writeln!(
            out,
            "  {} ({}): {} rows read, {} used, {} rejected",
            rep.file, rep.kind, rep.rows_read, rep.rows_used, rep.rows_rejected
        );
        for i in &rep.issues {
            let _ = writeln!(out, "    {i}");
        }
    }
    out
}
