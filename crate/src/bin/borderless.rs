//! `borderless`: the native command line over the same core as the browser. Each command lives in
//! its own module under `src/bin/borderless/`; `common` holds what they share.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run());
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/run.rs"]
mod run;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/common.rs"]
mod common;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/crossborder.rs"]
mod crossborder;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/outreach.rs"]
mod outreach;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/closed.rs"]
mod closed;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/overlap.rs"]
mod overlap;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/genotypes.rs"]
mod genotypes;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/candidates.rs"]
mod candidates;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/secr.rs"]
mod secr;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/waterbirds.rs"]
mod waterbirds;

#[cfg(not(target_arch = "wasm32"))]
#[path = "borderless/demo.rs"]
mod demo;

/// The command line: the commands and their dispatch.
#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use super::common::{say, set_encodings, warn_unused_encodings, LANG};
    use super::{candidates, closed, crossborder, demo, genotypes, outreach, overlap, secr, waterbirds};
    use borderless::model::lang::Lang;
    use borderless::model::message::Message;
    use clap::{Parser, Subcommand};
    use std::path::PathBuf;

    #[derive(Parser)]
    #[command(
        name = "borderless",
        version,
        about = "Transboundary wildlife analytics (same core as the Borderless web page)"
    )]
    struct Cli {
        /// Language of tables, notes and errors: en, zh, ru, ko, mn (also after the command;
        /// default $BORDERLESS_LANG, else en). JSON output stays English, with message codes.
        #[arg(long)]
        lang: Option<Lang>,
        #[command(subcommand)]
        cmd: Cmd,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Join national catalogs and report cross-border individuals.
        Crossborder(crossborder::CrossArgs),
        /// Closed-population capture–recapture models (Rcapture's closedp.t) on a histories CSV.
        Closed(closed::ClosedArgs),
        /// Activity overlap of two species (R package overlap: Dhat1/Dhat4/Dhat5, smoothed bootstrap CIs).
        Overlap(overlap::OverlapArgs),
        /// Unique multilocus genotypes (allelematch's amUnique / amUniqueProfile) and probability of identity.
        Genotypes(genotypes::GenotypesArgs),
        /// Candidate cross-border matches between photo-ID individuals, ranked with their evidence.
        Candidates(candidates::CandidatesArgs),
        /// Spatially explicit capture–recapture (secr-style maximum likelihood) on traps + captures CSVs.
        Secr(secr::SecrArgs),
        /// The public outreach view: slides, key numbers, GeoJSON and Darwin Core of generalised cells only.
        Outreach(outreach::OutreachArgs),
        /// One operation of the web page on files, with the page's options JSON: prints the same JSON.
        Run(crate::run::RunArgs),
        /// Waterbird counts: joint species list, synchronised peaks, Ramsar Criteria 5 and 6, EAAFP tests.
        Waterbirds(waterbirds::WaterbirdArgs),
        /// Regenerate the simulated demo survey from the Natural Earth basemap.
        Demo {
            /// TopoJSON basemap (shared/basemap/ne-asia-countries-10m.topo.json).
            #[arg(long)]
            basemap: PathBuf,
            /// Output folder (www/demo).
            #[arg(long)]
            out: PathBuf,
            /// Do not write: fail if the files in --out differ from what would be written.
            #[arg(long)]
            check: bool,
            /// The SIMULATED snow-leopard survey (Mongolia–Russia, two years) instead of the tiger
            /// demo; --out is then www/demo/snowleopard.
            #[arg(long)]
            snow_leopard: bool,
            /// With --snow-leopard: the population seed (default: the shipped demo's).
            #[arg(long, requires = "snow_leopard")]
            seed: Option<u64>,
            /// Language of what is printed (en, zh, ru, ko, mn).
            #[arg(long)]
            lang: Option<Lang>,
        },
    }

    pub fn run() -> i32 {
        let cli = Cli::parse();
        let sub = match &cli.cmd {
            Cmd::Crossborder(a) => a.inputs.lang,
            Cmd::Secr(a) => a.inputs.lang,
            Cmd::Closed(a) => a.inputs.lang,
            Cmd::Overlap(a) => a.lang,
            Cmd::Genotypes(a) => a.lang,
            Cmd::Outreach(a) => a.inputs.lang,
            Cmd::Candidates(a) => a.inputs.lang,
            Cmd::Waterbirds(a) => Some(a.lang),
            Cmd::Run(_) => None,
            Cmd::Demo { lang, .. } => *lang,
        };
        let from_env = std::env::var("BORDERLESS_LANG").ok().and_then(|l| l.parse().ok());
        let _ = LANG.set(sub.or(cli.lang).or(from_env).unwrap_or_default());
        let encodings: &[String] = match &cli.cmd {
            Cmd::Crossborder(a) => &a.inputs.encodings,
            Cmd::Secr(a) => &a.inputs.encodings,
            Cmd::Closed(a) => &a.inputs.encodings,
            Cmd::Outreach(a) => &a.inputs.encodings,
            Cmd::Candidates(a) => &a.inputs.encodings,
            Cmd::Overlap(a) => &a.encoding.encodings,
            Cmd::Genotypes(a) => &a.encoding.encodings,
            Cmd::Waterbirds(a) => &a.encoding.encodings,
            Cmd::Run(_) | Cmd::Demo { .. } => &[],
        };
        if let Err(e) = set_encodings(encodings) {
            eprintln!("borderless: {}", say(e));
            return 2;
        }
        let r = match cli.cmd {
            Cmd::Crossborder(a) => crossborder::crossborder(a),
            Cmd::Secr(a) => secr::secr(a),
            Cmd::Closed(a) => closed::closed(a),
            Cmd::Overlap(a) => overlap::overlap(a),
            Cmd::Genotypes(a) => genotypes::genotypes(a),
            Cmd::Outreach(a) => outreach::outreach(a),
            Cmd::Candidates(a) => candidates::candidates(a),
            Cmd::Run(a) => crate::run::run(a).map_err(Message::untranslated),
            Cmd::Waterbirds(a) => waterbirds::waterbirds(a).map_err(Message::untranslated),
            Cmd::Demo { basemap, out, check, snow_leopard: false, .. } => demo::demo(&basemap, &out, check),
            Cmd::Demo { basemap, out, check, seed, .. } => demo::snow_demo(&basemap, &out, check, seed),
        };
        // Said after the command, so that every file it read has had its chance to match.
        warn_unused_encodings();
        match r {
            Ok(code) => code,
            Err(e) => {
                eprintln!("borderless: {}", say(e));
                2
            }
        }
    }
}
