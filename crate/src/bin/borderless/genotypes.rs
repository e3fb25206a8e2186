//! `borderless genotypes`: unique multilocus genotypes (allelematch).

use super::common::{pad, read_text_bytes, say, width, EncodingArgs};
use borderless::model::lang::Lang;
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct GenotypesArgs {
    /// Genotype table, CSV or spreadsheet (xlsx, xls, ods; told by content): sample ID, metadata
    /// columns, optional sex column, two allele columns per locus. Repeat for one file per country.
    #[arg(long, required = true)]
    pub(crate) input: Vec<PathBuf>,
    /// Missing-allele code.
    #[arg(long, default_value_t = -99, allow_hyphen_values = true)]
    pub(crate) missing: i64,
    /// Allowed mismatching allele columns (allelematch's alleleMismatch).
    #[arg(long, conflicts_with = "profile")]
    pub(crate) mismatches: Option<f64>,
    /// Instead: one row per allowed-mismatch count, 0 … 40% of the columns (amUniqueProfile).
    #[arg(long)]
    pub(crate) profile: bool,
    /// Sample ID column (default: the first column).
    #[arg(long)]
    pub(crate) id_column: Option<String>,
    /// Metadata column (date, location, …): kept, not compared. Repeat for several.
    #[arg(long = "meta-column")]
    pub(crate) meta_columns: Vec<String>,
    /// Sex column, compared as one single-column marker.
    #[arg(long)]
    pub(crate) sex_column: Option<String>,
    /// Column with each sample's country/catalog (kept, not compared).
    #[arg(long)]
    pub(crate) catalog_column: Option<String>,
    /// Column with the photo-ID individual each sample is linked to (kept, not compared).
    #[arg(long)]
    pub(crate) individual_column: Option<String>,
    /// Known catalog: with --catalog-column, every sample's must be one of these. Repeat for several.
    #[arg(long = "catalog")]
    pub(crate) catalogs: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) encoding: EncodingArgs,
    /// Language of what is printed (en, zh, ru, ko, mn).
    #[arg(long)]
    pub(crate) lang: Option<Lang>,
}

pub(crate) fn genotypes(a: GenotypesArgs) -> Result<i32, Message> {
    use borderless::identity::genotypes::{match_files, MatchOptions};
    let mut files = Vec::with_capacity(a.input.len());
    for path in &a.input {
        let file = path.display().to_string();
        let bytes = read_text_bytes(path)?;
        files.push((file, bytes));
    }
    let opts = MatchOptions {
        missing: a.missing,
        // Without --mismatches, the profile (which suggests a number of mismatches).
        profile: a.profile || a.mismatches.is_none(),
        mismatches: a.mismatches,
        id_column: a.id_column,
        meta_columns: a.meta_columns,
        sex_column: a.sex_column,
        catalog_column: a.catalog_column,
        individual_column: a.individual_column,
        catalogs: a.catalogs,
    };
    let report = match_files(&files, &opts).map_err(|e| e.to_message())?;
    for n in &report.notes {
        eprintln!("{}: {}", say(Message::new("cli.severity.note")), say(n.clone()));
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
        return Ok(0);
    }
    if let Some(p) = &report.profile {
        let samples = p.rows.first().map_or(0, |r| r.samples);
        println!(
            "{}",
            say(Message::new("cli.genotypes.load").with("samples", samples).with("load", p.missing_data_load))
        );
        let heads = ["cli.genotypes.mismatches", "cli.genotypes.unique", "cli.genotypes.unclassified"];
        let [h0, h1, h2] = heads.map(|c| say(Message::new(c)));
        let h3 = say(Message::new("cli.genotypes.multiple"));
        let (w0, w1, w2, w3) = (width(&h0).max(10), width(&h1).max(6), width(&h2).max(12), width(&h3).max(16));
        println!("{}  {}  {}  {}", pad(&h0, w0, true), pad(&h1, w1, true), pad(&h2, w2, true), pad(&h3, w3, true));
        for r in &p.rows {
            let mark = if r.guess_optimum {
                format!("  <- {}", say(Message::new("cli.genotypes.best")))
            } else {
                String::new()
            };
            println!(
                "{}  {}  {}  {}{mark}",
                pad(&r.allele_mismatch.to_string(), w0, true),
                pad(&r.unique.to_string(), w1, true),
                pad(&r.unclassified.to_string(), w2, true),
                pad(&r.multiple_matches.to_string(), w3, true)
            );
        }
        println!("{}", say(Message::new("cli.genotypes.morphology").with("morphology", p.morphology.as_str())));
        return Ok(0);
    }
    let r = report.result.as_ref().ok_or_else(|| Message::new("cli.genotypes.no_result"))?;
    println!(
        "{}",
        say(Message::new("cli.genotypes.summary")
            .with("samples", r.samples)
            .with("mismatches", r.allele_mismatch)
            .with("columns", r.columns)
            .with("unique", r.unique)
            .with("unclassified", r.unclassified)
            .with("multiple", r.multiple_matches))
    );
    for g in &r.genotypes {
        let m: Vec<String> = g.matches.iter().map(|m| format!("{} ({})", m.id, m.score_2sig)).collect();
        println!("{} [{}]: {}", g.id, g.flag, m.join(", "));
    }
    Ok(0)
}
