//! `borderless waterbirds`: waterbird counts, peaks and Ramsar/EAAFP criteria.

use super::common::EncodingArgs;
use borderless::io::InputFile;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct WaterbirdArgs {
    /// A count table (CSV, xlsx, xls, ods) or Darwin Core occurrence export. Repeat per file.
    #[arg(long = "counts", value_name = "FILE")]
    pub(crate) counts: Vec<PathBuf>,
    /// Sites: CSV site,name,country,latitude,longitude,complex or GeoJSON with those properties.
    #[arg(long)]
    pub(crate) sites: Option<PathBuf>,
    /// Your population thresholds (species,population,estimate,threshold); they take precedence.
    #[arg(long)]
    pub(crate) thresholds: Option<PathBuf>,
    /// A season, NAME=MM-MM (e.g. spring=03-05, winter=11-03). Repeat per season.
    #[arg(long = "season", value_name = "NAME=MM-MM")]
    pub(crate) seasons: Vec<String>,
    /// EAAFP: share of a population on migration at one time, in percent.
    #[arg(long, default_value_t = 0.25)]
    pub(crate) eaafp_share: f64,
    /// EAAFP: total of waterbirds at one time during migration.
    #[arg(long, default_value_t = 5000.0)]
    pub(crate) eaafp_total: f64,
    /// EAAFP: the migration seasons (by name); default every season.
    #[arg(long = "migration-season", value_name = "NAME")]
    pub(crate) migration_seasons: Vec<String>,
    /// Language of species names (en, zh, ru, ko, mn).
    #[arg(long, default_value = "en")]
    pub(crate) lang: borderless::model::lang::Lang,
    #[command(flatten)]
    pub(crate) encoding: EncodingArgs,
    /// Print the results as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also write the joint species list (.csv or .xlsx, in --lang).
    #[arg(long, value_name = "FILE")]
    pub(crate) species_list: Option<PathBuf>,
    /// Also write the records used as a Darwin Core occurrence CSV.
    #[arg(long, value_name = "FILE")]
    pub(crate) darwin_core: Option<PathBuf>,
    /// Write the SIMULATED Tumen estuary demo files into DIR (www/demo/waterbirds) and stop.
    #[arg(long, value_name = "DIR")]
    pub(crate) write_demo: Option<PathBuf>,
    /// With --write-demo: do not write; fail if the files in DIR differ from the generator's.
    #[arg(long)]
    pub(crate) check: bool,
}

pub(crate) fn waterbirds(a: WaterbirdArgs) -> Result<i32, String> {
    use borderless::waterbirds::{analyze, criteria::EaafpParams, demo, species_list, text, WaterbirdOptions};
    if let Some(dir) = &a.write_demo {
        let mut differ = Vec::new();
        for (name, bytes) in demo::demo_files(demo::DEMO_SEED) {
            let p = dir.join(&name);
            if a.check {
                if std::fs::read(&p).ok().as_deref() != Some(bytes.as_slice()) {
                    differ.push(p.display().to_string());
                }
            } else {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
        if !differ.is_empty() {
            eprintln!("differ from the generator: {}", differ.join(", "));
            return Ok(1);
        }
        return Ok(0);
    }
    let sites = a.sites.as_ref().ok_or("--sites FILE is required")?;
    if a.counts.is_empty() {
        return Err("give at least one --counts FILE".into());
    }
    let read = |p: &PathBuf| -> Result<InputFile, String> {
        let name = p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned());
        super::common::read_input(p, name).map_err(super::common::say)
    };
    let counts = a.counts.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    let sites = read(sites)?;
    let thresholds = a.thresholds.as_ref().map(read).transpose()?;
    let seasons = a
        .seasons
        .iter()
        .map(|s| s.parse().map_err(|e: borderless::waterbirds::message::Msg| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    if seasons.is_empty() {
        return Err("give at least one --season NAME=MM-MM".into());
    }
    let opts = WaterbirdOptions {
        seasons,
        eaafp: EaafpParams {
            population_share_percent: a.eaafp_share,
            staging_total: a.eaafp_total,
            migration_seasons: a.migration_seasons.clone(),
            ..EaafpParams::default()
        },
        lang: a.lang,
    };
    let r = analyze(&counts, &sites, thresholds.as_ref(), &opts).map_err(|e| e.to_string())?;
    if let Some(p) = &a.species_list {
        let bytes = if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
            species_list::species_list_xlsx(&r.species_list, a.lang)
        } else {
            species_list::species_list_csv(&r.species_list, a.lang).into_bytes()
        };
        std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    if let Some(p) = &a.darwin_core {
        let csv = borderless::waterbirds::counts::darwin_core_csv(
            &r.records,
            &r.sites,
            borderless::waterbirds::taxonomy::Taxonomy::get(),
        );
        std::fs::write(p, csv).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r.to_json()).map_err(|e| e.to_string())?);
    } else {
        print!("{}", text::summary(&r, a.lang));
    }
    let failed = r.reports.iter().any(|rep| rep.failed());
    Ok(if failed { 2 } else { 0 })
}
