//! `borderless overlap`: activity overlap of two species (R package overlap).

use super::common::{read_input, say, EncodingArgs};
use borderless::model::lang::Lang;
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct OverlapArgs {
    /// CSV with columns Zone (optional), Sps, Time (fraction of the day in [0, 1]), as overlap's kerinci.
    #[arg(long)]
    pub(crate) input: PathBuf,
    /// First species (value of the Sps column).
    #[arg(long)]
    pub(crate) species_a: String,
    /// Second species.
    #[arg(long)]
    pub(crate) species_b: String,
    /// Keep only records of this zone (value of the Zone column).
    #[arg(long)]
    pub(crate) zone: Option<String>,
    /// Number of smoothed bootstrap resamples for confidence intervals.
    #[arg(long)]
    pub(crate) bootstrap: Option<usize>,
    /// Seed of the bootstrap's random numbers (same seed, same intervals).
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) encoding: EncodingArgs,
    /// Language of what is printed (en, zh, ru, ko, mn).
    #[arg(long)]
    pub(crate) lang: Option<Lang>,
}

pub(crate) fn overlap(a: OverlapArgs) -> Result<i32, Message> {
    use borderless::activity::overlap::{analyze_overlap, read_times_csv, select_times};
    let file = a.input.display().to_string();
    let text = read_input(&a.input, file.as_str())?.text(None).map_err(|e| borderless::pipeline::located(&e))?;
    let recs = read_times_csv(&text, &file).map_err(|e| e.message())?;
    let zone = a.zone.as_deref();
    let ta = select_times(&recs, &a.species_a, zone, &file).map_err(|e| e.message())?;
    let tb = select_times(&recs, &a.species_b, zone, &file).map_err(|e| e.message())?;
    let boot = a.bootstrap.map(|n| (n, a.seed));
    let r = analyze_overlap(&ta, &tb, (&a.species_a, &a.species_b), zone, boot).map_err(|e| e.message())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?);
        return Ok(0);
    }
    println!(
        "{}",
        say(Message::new("cli.overlap.pair")
            .with("a", r.species_a.as_str())
            .with("na", r.n_a)
            .with("b", r.species_b.as_str())
            .with("nb", r.n_b))
    );
    println!("{}", say(Message::new("cli.overlap.bandwidth").with("a", r.bandwidth_a).with("b", r.bandwidth_b)));
    let ci = |c: Option<&borderless::activity::overlap::BootCi>| match c {
        Some(c) => {
            format!("  basic [{:.4}, {:.4}]  perc [{:.4}, {:.4}]", c.basic[0], c.basic[1], c.perc[0], c.perc[1])
        }
        None => String::new(),
    };
    let b = r.bootstrap.as_ref();
    println!("Dhat1 {:.6}{}", r.dhat1, ci(b.map(|b| &b.ci_dhat1)));
    println!("Dhat4 {:.6}{}", r.dhat4, ci(b.map(|b| &b.ci_dhat4)));
    println!("Dhat5 {:.6}{}", r.dhat5, ci(b.map(|b| &b.ci_dhat5)));
    println!(
        "{}",
        say(Message::new("cli.overlap.recommended")
            .with("estimator", r.recommended.as_str())
            .with("value", r.recommended_estimate))
    );
    Ok(0)
}
