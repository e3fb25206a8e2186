//! `borderless candidates`: candidate cross-border matches between photo-ID individuals.

use super::common::{gather, pad, print_issues, read_input, say, CatalogArgs};
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct CandidatesArgs {
    #[command(flatten)]
    pub(crate) inputs: CatalogArgs,
    /// Genotype CSV with a catalog (or country) and an individual column; repeat per file.
    #[arg(long = "genotypes", value_name = "FILE")]
    pub(crate) genotypes: Vec<PathBuf>,
    /// Movement scale σ in km (e.g. from an SECR fit). Default: secr's RPSV of the catalogs.
    #[arg(long, conflicts_with = "home_range_radius_km")]
    pub(crate) sigma_km: Option<f64>,
    /// Or a 95% home-range radius in km (σ = radius / 2.4477).
    #[arg(long)]
    pub(crate) home_range_radius_km: Option<f64>,
    /// Faster movement between two detections rules a pair out (default 50 km/day).
    #[arg(long)]
    pub(crate) max_speed_km_per_day: Option<f64>,
    /// Leave ruled-out pairs out of the list.
    #[arg(long)]
    pub(crate) exclude_ruled_out: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn candidates(a: CandidatesArgs) -> Result<i32, Message> {
    use borderless::identity::candidates::CandidateOptions;
    let (mut files, opts) = gather(&a.inputs)?;
    for p in &a.genotypes {
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        files.push(read_input(p, name)?);
    }
    let session = borderless::pipeline::review::ReviewSession::open(files, &opts, &mut |_| {});
    let (failed, _) = print_issues(&session.loaded.reports);
    if failed {
        return Ok(2);
    }
    let mut o = CandidateOptions {
        sigma_km: a.sigma_km,
        home_range_radius_km: a.home_range_radius_km,
        include_ruled_out: !a.exclude_ruled_out,
        ..Default::default()
    };
    if let Some(v) = a.max_speed_km_per_day {
        o.max_speed_km_per_day = v;
    }
    let list = session.candidates(&[], &o).map_err(|e| e.message())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?);
        return Ok(0);
    }
    let u = &list.options_used;
    println!(
        "{}",
        say(Message::new("cli.candidates.options")
            .with("sigma", u.sigma_km)
            .with("source", u.sigma_source_code.clone())
            .with("speed", u.max_speed_km_per_day)
            .with("scored", u.pairs_scored)
            .with("total", u.pairs_total))
    );
    let head = |c: &str, w: usize, right: bool| pad(&say(Message::new(c)), w, right);
    println!(
        "{}  {}  {}  {}  {}",
        head("cli.candidates.rank", 4, false),
        head("cli.candidates.score", 8, false),
        head("cli.candidates.pair", 28, false),
        head("cli.candidates.status", 7, false),
        say(Message::new("cli.candidates.evidence"))
    );
    for c in &list.candidates {
        let ev: Vec<String> = c.evidence.iter().map(|e| format!("{} {:.3}", evidence_kind(e.kind), e.weight)).collect();
        let status = Message::new(match c.status {
            borderless::identity::candidates::Status::Linked => "cli.candidates.linked",
            borderless::identity::candidates::Status::Rejected => "cli.candidates.rejected",
            borderless::identity::candidates::Status::Open => "cli.candidates.open",
        });
        println!(
            "{:>4}  {:<8.5}  {}  {}  {}{}",
            c.rank,
            c.score,
            pad(&format!("{}:{} – {}:{}", c.catalog_a, c.id_a, c.catalog_b, c.id_b), 28, false),
            pad(&say(status), 7, false),
            ev.join(", "),
            if c.ruled_out { format!("  {}", say(Message::new("cli.candidates.ruled_out"))) } else { String::new() }
        );
    }
    Ok(0)
}

/// The name of an evidence kind, as the candidates table prints it.
pub(crate) fn evidence_kind(k: borderless::identity::candidates::EvidenceKind) -> String {
    use borderless::identity::candidates::EvidenceKind as K;
    say(Message::new(match k {
        K::Distance => "cli.evidence.distance",
        K::Border => "cli.evidence.border",
        K::Sex => "cli.evidence.sex",
        K::Time => "cli.evidence.time",
        K::Genotype => "cli.evidence.genotype",
        K::Link => "cli.evidence.link",
    }))
}
