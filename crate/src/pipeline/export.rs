//! Result exports shared by the CLI and the page: the JSON report and the joint catalog as CSV.

use crate::pipeline::Analysis;

/// The JSON the CLI prints with `--json` and the page offers for download; `inputs` holds each
/// file's name, size and SHA-256 as given, to check a report against.
pub fn report_json(a: &Analysis) -> serde_json::Value {
    serde_json::json!({
        "summary": a.crossborder.summary,
        "individuals": a.crossborder.individuals,
        "conflicts": a.conflicts,
        "reports": a.reports,
        "simulated": a.simulated,
        "inputs": a.inputs,
    })
}

/// The joint catalog as CSV: one row per joint individual, one national-ID and one detection
/// column per catalog.
///
/// ```
/// # use borderless::{analyze_files, AnalysisOptions};
/// let a = analyze_files(vec![], &AnalysisOptions::default(), &mut |_| {});
/// assert!(borderless::pipeline::export::individuals_csv(&a).starts_with("joint_id,"));
/// ```
pub fn individuals_csv(a: &Analysis) -> String {
    let names: Vec<&str> = a.catalogs.iter().map(|c| c.name.as_str()).collect();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    let mut header = vec!["joint_id".to_string()];
    header.extend(names.iter().map(|n| format!("id_{n}")));
    header.extend(names.iter().map(|n| format!("detections_{n}")));
    header.extend(["crossings", "max_distance_from_border_km", "first_seen", "last_seen", "species"].map(String::from));
    w.write_record(&header).expect("in-memory CSV");
    for i in &a.crossborder.individuals {
        let mut row = vec![i.id.clone()];
        row.extend(names.iter().map(|n| i.national_ids.get(*n).cloned().unwrap_or_default()));
        row.extend(names.iter().map(|n| i.detections.get(*n).copied().unwrap_or(0).to_string()));
        row.push(i.crossings.to_string());
        row.push(i.max_distance_from_border_km.map(|d| format!("{d:.3}")).unwrap_or_default());
        row.push(i.first_seen.clone());
        row.push(i.last_seen.clone());
        row.push(i.species.clone().unwrap_or_default());
        w.write_record(&row).expect("in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("CSV of UTF-8 strings")
}
