//! `borderless`: the native command line over the same core as the browser.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use borderless::analysis::{analyze_files, Analysis, AnalysisOptions};
    use borderless::io::{InputFile, Severity};
    use clap::{Parser, Subcommand};
    use std::path::{Path, PathBuf};

    #[derive(Parser)]
    #[command(
        name = "borderless",
        version,
        about = "Transboundary wildlife analytics (same core as the Borderless web page)"
    )]
    struct Cli {
        #[command(subcommand)]
        cmd: Cmd,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Join national catalogs and report cross-border individuals.
        Crossborder(CrossArgs),
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
        },
    }

    #[derive(clap::Args)]
    struct CrossArgs {
        /// NAME=PATH: a Camtrap DP package (folder or .zip) for catalog NAME. Repeat per catalog.
        #[arg(long = "catalog", value_name = "NAME=PATH")]
        catalogs: Vec<String>,
        /// NAME=STATIONS.csv,RECORDS.csv: camtrapR station and record tables for catalog NAME.
        #[arg(long = "camtrapr", value_name = "NAME=STATIONS,RECORDS")]
        camtrapr: Vec<String>,
        /// Links table (catalog_a,id_a,catalog_b,id_b).
        #[arg(long)]
        links: Option<PathBuf>,
        /// Border as GeoJSON (lines, or country polygons).
        #[arg(long)]
        border: Option<PathBuf>,
        /// Keep only this scientific name.
        #[arg(long)]
        species: Option<String>,
        /// CRS of projected camtrapR coordinates (utm:50N, EPSG:32650).
        #[arg(long)]
        crs: Option<String>,
        /// UTC offset of camtrapR local times (+08:00).
        #[arg(long)]
        utc_offset: Option<String>,
        /// Date format of camtrapR station tables (dmy, ymd, mdy or a chrono format).
        #[arg(long)]
        date_format: Option<String>,
        /// Print JSON (summary + individuals + reports) instead of a table.
        #[arg(long)]
        json: bool,
        /// Exit non-zero if any row was rejected, not only if a file failed.
        #[arg(long)]
        strict: bool,
        /// Also write map.svg and the charts (detections.svg, crossings.svg, distance.svg) here.
        #[arg(long, value_name = "DIR")]
        svg_dir: Option<PathBuf>,
        /// TopoJSON country outlines for the map background (e.g. www/basemap/ne-asia-countries-10m.topo.json).
        #[arg(long)]
        basemap: Option<PathBuf>,
    }

    fn read_dir(root: &Path, prefix: &str, out: &mut Vec<InputFile>) -> Result<(), String> {
        let entries = std::fs::read_dir(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let name = format!("{prefix}/{}", e.file_name().to_string_lossy());
            if p.is_dir() {
                read_dir(&p, &name, out)?;
            } else {
                out.push(InputFile::new(name, std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?));
            }
        }
        Ok(())
    }

    fn split_named(arg: &str) -> Result<(&str, &str), String> {
        arg.split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
            .ok_or_else(|| format!("'{arg}' must be NAME=PATH"))
    }

    fn crossborder(a: CrossArgs) -> Result<i32, String> {
        let mut files = Vec::new();
        let mut opts = AnalysisOptions {
            species: a.species,
            crs: a.crs,
            utc_offset: a.utc_offset,
            date_format: a.date_format,
            ..Default::default()
        };
        for c in &a.catalogs {
            let (name, path) = split_named(c)?;
            let p = Path::new(path);
            if p.is_dir() {
                read_dir(p, name, &mut files)?;
            } else {
                let bytes = std::fs::read(p).map_err(|e| format!("{path}: {e}"))?;
                files.push(InputFile::new(format!("{name}.zip"), bytes));
            }
            opts.catalog_names.insert(name.to_string(), name.to_string());
        }
        for c in &a.camtrapr {
            let (name, paths) = split_named(c)?;
            let (st, rec) =
                paths.split_once(',').ok_or_else(|| format!("'{c}' must be NAME=STATIONS.csv,RECORDS.csv"))?;
            for (label, p) in [("stations.csv", st), ("records.csv", rec)] {
                let bytes = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
                files.push(InputFile::new(format!("{name}/{label}"), bytes));
            }
            opts.catalog_names.insert(name.to_string(), name.to_string());
        }
        for p in [&a.links, &a.border].into_iter().flatten() {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            files.push(InputFile::new(name, bytes));
        }
        if files.is_empty() {
            return Err(
                "nothing to read: give --catalog NAME=PATH (twice or more) and usually --links and --border".into()
            );
        }
        let analysis = analyze_files(files, &opts, &mut |_| {});
        let mut failed = false;
        let mut rejected = false;
        for i in analysis.issues() {
            eprintln!("{i}");
            failed |= i.severity == Severity::Error && i.row.is_none();
            rejected |= i.severity == Severity::Error;
        }
        if failed {
            eprintln!("borderless: some files could not be used (see above)");
            return Ok(2);
        }
        if let Some(dir) = &a.svg_dir {
            write_svgs(&analysis, dir, a.basemap.as_deref())?;
        }
        if a.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&borderless::export::report_json(&analysis)).map_err(|e| e.to_string())?
            );
        } else {
            print_table(&analysis);
        }
        Ok(if a.strict && rejected { 1 } else { 0 })
    }

    fn write_svgs(analysis: &Analysis, dir: &Path, basemap: Option<&Path>) -> Result<(), String> {
        let countries = match basemap {
            Some(p) => {
                let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                borderless::io::topojson::read_countries(&p.display().to_string(), &bytes).map_err(|e| e.to_string())?
            }
            None => Vec::new(),
        };
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let charts =
            borderless::charts::cross_border_charts(analysis, &Default::default()).map_err(|e| e.to_string())?;
        let map = borderless::maps::expert_map(analysis, &countries, &Default::default());
        for (name, svg) in [
            ("map.svg", &map),
            ("detections.svg", &charts.detections),
            ("crossings.svg", &charts.crossings),
            ("distance.svg", &charts.distance),
        ] {
            let p = dir.join(name);
            std::fs::write(&p, svg).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(())
    }

    fn print_table(a: &Analysis) {
        let s = &a.crossborder.summary;
        if a.simulated {
            println!("NOTE: these inputs are the SIMULATED demo survey, not real observations.\n");
        }
        println!("unique individuals        {}", s.unique_individuals);
        println!("transboundary individuals {}", s.transboundary_individuals);
        for (k, v) in &s.national_counts {
            println!("  counted by {k:<14} {v}");
        }
        println!("sum of national counts    {}", s.sum_of_national_counts);
        match s.overcount_percent {
            Some(p) => println!("over-count of the sum     {p:.1}%"),
            None => println!("over-count of the sum     n/a (no individuals)"),
        }
        println!();
        println!(
            "{:<28} {:>10} {:>9} {:>10}  first seen .. last seen",
            "individual", "detections", "crossings", "max km"
        );
        for i in &a.crossborder.individuals {
            let dets = i.detections.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(" ");
            let km = i.max_distance_from_border_km.map(|d| format!("{d:.2}")).unwrap_or_else(|| "-".into());
            println!("{:<28} {:>10} {:>9} {:>10}  {} .. {}", i.id, dets, i.crossings, km, i.first_seen, i.last_seen);
        }
    }

    fn demo(basemap: &Path, out: &Path, check: bool) -> Result<i32, String> {
        let bytes = std::fs::read(basemap).map_err(|e| format!("{}: {e}", basemap.display()))?;
        let survey = borderless::demo::generate(&bytes, &Default::default()).map_err(|e| e.to_string())?;
        let mut differ = Vec::new();
        for (rel, data) in &survey.files {
            let p = out.join(rel);
            if check {
                if std::fs::read(&p).ok().as_deref() != Some(data.as_slice()) {
                    differ.push(p.display().to_string());
                }
            } else {
                if let Some(d) = p.parent() {
                    std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
                }
                std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
        eprintln!("demo: seed {}, {} files", survey.seed, survey.files.len());
        if !differ.is_empty() {
            eprintln!("differ from the generator: {}", differ.join(", "));
            return Ok(1);
        }
        Ok(0)
    }

    pub fn run() -> i32 {
        let cli = Cli::parse();
        let r = match cli.cmd {
            Cmd::Crossborder(a) => crossborder(a),
            Cmd::Demo { basemap, out, check } => demo(&basemap, &out, check),
        };
        match r {
            Ok(code) => code,
            Err(e) => {
                eprintln!("borderless: {e}");
                2
            }
        }
    }
}
