//! `borderless crossborder`: join national catalogs and report cross-border individuals.

use super::common::{file_error, gather, issue_message, lang, pad, print_issues, say, width, CatalogArgs};
use borderless::model::message::Message;
use borderless::pipeline::analyze_files;
use borderless::pipeline::Analysis;
use std::path::Path;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct CrossArgs {
    #[command(flatten)]
    pub(crate) inputs: CatalogArgs,
    /// Print JSON (summary + individuals + reports) instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Exit non-zero if any row was rejected, not only if a file failed.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Also write map.svg and the charts (detections.svg, crossings.svg, distance.svg) here.
    #[arg(long, value_name = "DIR")]
    pub(crate) svg_dir: Option<PathBuf>,
    /// TopoJSON country outlines for the map background (e.g. www/basemap/ne-asia-countries-10m.topo.json).
    #[arg(long)]
    pub(crate) basemap: Option<PathBuf>,
    /// Also write the print-ready HTML report (inputs with SHA-256, options, summary, catalog,
    /// map, charts, parse report, methods, how to check) here, in the language of --lang.
    #[arg(long, value_name = "FILE.html")]
    pub(crate) report: Option<PathBuf>,
    /// The report's public edition: no joint catalog table, only the privacy-generalised map.
    #[arg(long, requires = "report")]
    pub(crate) public: bool,
    /// Occasion length (days) of the report's closed-population estimates; default: as `closed`.
    #[arg(long, requires = "report")]
    pub(crate) occasion_days: Option<f64>,
}

pub(crate) fn crossborder(a: CrossArgs) -> Result<i32, Message> {
    let (files, opts) = gather(&a.inputs)?;
    let report_files = if a.report.is_some() { files.clone() } else { Vec::new() };
    let analysis = analyze_files(files, &opts, &mut |_| {});
    let (failed, rejected) = print_issues(&analysis.reports);
    if failed {
        return Ok(2);
    }
    if let Some(dir) = &a.svg_dir {
        write_svgs(&analysis, dir, a.basemap.as_deref())?;
    }
    if let Some(path) = &a.report {
        let report =
            ReportArgs { path, basemap: a.basemap.as_deref(), public: a.public, occasion_days: a.occasion_days };
        write_report(&analysis, &opts, report_files, &report)?;
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&borderless::pipeline::export::report_json(&analysis))
                .map_err(|e| e.to_string())?
        );
    } else {
        print_table(&analysis);
    }
    Ok(if a.strict && rejected { 1 } else { 0 })
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs as i64, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The command line of this run with `--json` in place of the report options, so that a partner
/// re-running it gets the JSON to compare.
fn reproducing_command() -> String {
    let mut args: Vec<String> = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--report" | "--svg-dir" => {
                it.next();
            }
            "--public" | "--json" => {}
            _ if a.starts_with("--report=") || a.starts_with("--svg-dir=") => {}
            _ => args.push(shell_quote(&a)),
        }
    }
    format!("borderless {} --json", args.join(" "))
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Where and how to write the report.
pub(crate) struct ReportArgs<'a> {
    pub(crate) path: &'a Path,
    pub(crate) basemap: Option<&'a Path>,
    pub(crate) public: bool,
    pub(crate) occasion_days: Option<f64>,
}

/// Writes the report; `files` are the analysis' inputs, read again for its closed-population
/// estimates.
pub(crate) fn write_report(
    analysis: &Analysis,
    options: &borderless::pipeline::AnalysisOptions,
    files: Vec<borderless::io::InputFile>,
    r: &ReportArgs<'_>,
) -> Result<(), Message> {
    use borderless::outreach::report::{closed_estimates, report_html, ReportOptions};
    let countries = read_basemap(r.basemap)?;
    let ro = ReportOptions {
        lang: lang(),
        public: r.public,
        date: today(),
        options: options.clone(),
        command: Some(reproducing_command()),
        occasion_days: r.occasion_days,
        ..Default::default()
    };
    let closed = closed_estimates(files, &ro);
    let html = report_html(analysis, &countries, closed.as_ref(), &ro)?;
    std::fs::write(r.path, html).map_err(|e| file_error(r.path.display(), e))
}

/// The `--basemap` TopoJSON's countries, or none without it.
fn read_basemap(basemap: Option<&Path>) -> Result<Vec<borderless::io::topojson::Country>, Message> {
    let Some(p) = basemap else { return Ok(Vec::new()) };
    let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
    borderless::io::topojson::read_countries(&p.display().to_string(), &bytes)
        .map_err(|e| borderless::pipeline::located(&e))
}

pub(crate) fn write_svgs(analysis: &Analysis, dir: &Path, basemap: Option<&Path>) -> Result<(), Message> {
    let countries = read_basemap(basemap)?;
    std::fs::create_dir_all(dir).map_err(|e| file_error(dir.display(), e))?;
    let co = borderless::render::charts::ChartOptions { lang: lang(), ..Default::default() };
    let charts = borderless::render::charts::cross_border_charts(analysis, &co).map_err(|e| e.to_message())?;
    let mo = borderless::render::maps::MapOptions { lang: lang(), ..Default::default() };
    let map = borderless::render::maps::expert_map(analysis, &countries, &mo);
    for (name, svg) in [
        ("map.svg", &map),
        ("detections.svg", &charts.detections),
        ("crossings.svg", &charts.crossings),
        ("distance.svg", &charts.distance),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, svg).map_err(|e| file_error(p.display(), e))?;
    }
    Ok(())
}

pub(crate) fn print_table(a: &Analysis) {
    let s = &a.crossborder.summary;
    if a.simulated {
        println!("{}\n", say(Message::new("cli.table.simulated")));
    }
    let label = |code: &str| say(Message::new(code));
    let rows = [
        label("cli.table.unique"),
        label("cli.table.transboundary"),
        label("cli.table.sum"),
        label("cli.table.overcount"),
    ];
    let w = rows.iter().map(|r| width(r)).max().unwrap_or(0).max(25) + 1;
    println!("{}{}", pad(&rows[0], w, false), s.unique_individuals);
    println!("{}{}", pad(&rows[1], w, false), s.transboundary_individuals);
    for (k, v) in &s.national_counts {
        println!("  {} {v}", pad(&say(Message::new("cli.table.counted_by").with("catalog", k)), w - 1, false));
    }
    println!("{}{}", pad(&rows[2], w, false), s.sum_of_national_counts);
    match s.overcount_percent {
        Some(p) => println!("{}{p:.1}%", pad(&rows[3], w, false)),
        None => println!("{}{}", pad(&rows[3], w, false), label("cli.table.no_overcount")),
    }
    println!();
    println!(
        "{} {} {} {}  {}",
        pad(&label("cli.table.individual"), 28, false),
        pad(&label("cli.table.detections"), 10, true),
        pad(&label("cli.table.crossings"), 9, true),
        pad(&label("cli.table.max_km"), 10, true),
        label("cli.table.seen")
    );
    for i in &a.crossborder.individuals {
        let dets = i.detections.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(" ");
        let km = i.max_distance_from_border_km.map(|d| format!("{d:.2}")).unwrap_or_else(|| "-".into());
        // Tied coarse times allow several orders: the fewest crossings, and the most as a range.
        let crossings = match i.max_crossings {
            Some(max) if i.ambiguous_crossings => format!("{}–{max}", i.crossings),
            _ => i.crossings.to_string(),
        };
        println!("{:<28} {:>10} {:>9} {:>10}  {} .. {}", i.id, dets, crossings, km, i.first_seen, i.last_seen);
    }
    // When nothing is left, say why under the (empty) table, not only among the warnings.
    if a.crossborder.individuals.is_empty() {
        for i in a.issues().filter(|i| borderless::io::camtrapdp::NOTHING_LEFT.contains(&i.code.as_str())) {
            println!("{}", say(issue_message(i)));
        }
    }
}
