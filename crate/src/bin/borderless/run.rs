//! `borderless run OP FILE… --options JSON`: one operation of the web page, on the same files and
//! with the same options struct, printing the same JSON the page receives from the core. The page's
//! WASM export of each operation and this command call one and the same pipeline function, so a
//! partner can re-run what the page computed and compare the numbers.

use borderless::io::InputFile;
use borderless::pipeline::inputs::{Inputs, Role};
use borderless::pipeline::{chartset, estimates, Progress};
use std::path::{Path, PathBuf};

/// The page's operations (the WASM export each one matches).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Op {
    /// `analyze`: the cross-border analysis (options: AnalysisOptions).
    Analyze,
    /// `fitClosed`: closed-population models (options: {analysis, occasion_days}).
    Closed,
    /// `fitSecr`: SECR on the joint catalog (options: {analysis, secr, drawings, lang}).
    Secr,
    /// `designSurvey`: survey design (options: {analysis, design}).
    Design,
    /// `renderChartSet`: the survey charts (options: ChartSetOptions).
    Chartset,
    /// `activityOverlap`: activity overlap of two species (options: OverlapChartOptions).
    Overlap,
}

#[derive(clap::Args)]
pub struct RunArgs {
    op: Op,
    /// Files and folders as they would be dropped on the page: a file is named by its file name, the
    /// files of a folder by the folder's name and their path inside it (e.g. cn/observations.csv).
    files: Vec<PathBuf>,
    /// The operation's options as JSON, the same object the page passes (or @FILE to read it).
    #[arg(long, default_value = "{}")]
    options: String,
    /// TopoJSON country outlines (the page sends the basemap it ships).
    #[arg(long)]
    basemap: Option<PathBuf>,
    /// GeoJSON habitat polygons (SECR).
    #[arg(long)]
    habitat: Option<PathBuf>,
    /// GeoJSON named regions (SECR).
    #[arg(long)]
    regions: Option<PathBuf>,
    /// A CSV of proposed stations (design).
    #[arg(long)]
    layout: Option<PathBuf>,
    /// Print each stage to stderr as it starts, in this language (en, zh, ru, ko, mn).
    #[arg(long, value_name = "LANG")]
    progress: Option<borderless::model::lang::Lang>,
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| p.display().to_string())
}

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Every file under `dir`, named `prefix/relative/path`, in name order.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<InputFile>) -> Result<(), String> {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}/{}", e.file_name().to_string_lossy());
        if e.path().is_dir() {
            walk(&e.path(), &name, out)?;
        } else {
            out.push(InputFile::new(name, read(&e.path())?));
        }
    }
    Ok(())
}

fn inputs(a: &RunArgs) -> Result<Inputs, String> {
    let mut files = Vec::new();
    for p in &a.files {
        if p.is_dir() {
            walk(p, &file_name(p), &mut files)?;
        } else {
            files.push(InputFile::new(file_name(p), read(p)?));
        }
    }
    let mut inputs = Inputs::new(files);
    for (role, path) in [
        (Role::Basemap, &a.basemap),
        (Role::Habitat, &a.habitat),
        (Role::Regions, &a.regions),
        (Role::Layout, &a.layout),
    ] {
        if let Some(p) = path {
            inputs.set(role, InputFile::new(file_name(p), read(p)?))?;
        }
    }
    Ok(inputs)
}

fn options<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let json = match text.strip_prefix('@') {
        Some(path) => String::from_utf8(read(Path::new(path))?).map_err(|e| format!("{path}: {e}"))?,
        None => text.to_string(),
    };
    serde_json::from_str(&json).map_err(|e| format!("--options: {e}"))
}

fn print(v: &impl serde::Serialize) -> Result<i32, String> {
    println!("{}", serde_json::to_string_pretty(v).map_err(|e| e.to_string())?);
    Ok(0)
}

pub fn run(a: RunArgs) -> Result<i32, String> {
    let inputs = inputs(&a)?;
    let lang = a.progress;
    let mut progress = |p: Progress| {
        if let Some(l) = lang {
            eprintln!("{:>3.0}% {}", p.fraction * 100.0, p.stage.text(l));
        }
    };
    let e = |e: estimates::EstimateError| e.to_string();
    match a.op {
        Op::Analyze => print(&borderless::analyze_files(inputs.files, &options(&a.options)?, &mut progress)),
        Op::Closed => print(&estimates::fit_closed(inputs, &options(&a.options)?, &mut progress).map_err(e)?),
        Op::Secr => print(&estimates::fit_catalog_secr(inputs, &options(&a.options)?, &mut progress).map_err(e)?),
        Op::Design => print(&estimates::design_survey(inputs, &options(&a.options)?, &mut progress).map_err(e)?),
        Op::Chartset => {
            let o: chartset::ChartSetOptions = options(&a.options)?;
            let survey = chartset::Survey::from_files(inputs.files, &o.analysis);
            print(&chartset::chart_set(&survey, &o).map_err(|e| e.to_string())?)
        }
        Op::Overlap => {
            let o: chartset::OverlapChartOptions = options(&a.options)?;
            let survey = chartset::Survey::from_files(inputs.files, &o.analysis);
            print(&chartset::activity_overlap(&survey, &o).map_err(|e| e.to_string())?)
        }
    }
}
