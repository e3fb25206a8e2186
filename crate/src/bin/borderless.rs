//! `borderless`: the native command line over the same core as the browser.
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
mod cli {
    use borderless::io::{InputFile, Severity};
    use borderless::model::lang::Lang;
    use borderless::model::message::Message;
    use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions};
    use clap::{Parser, Subcommand};
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;

    /// The language of everything the command writes for people (tables, notes, errors); JSON
    /// stays English, with message codes beside the texts.
    static LANG: OnceLock<Lang> = OnceLock::new();

    fn lang() -> Lang {
        LANG.get().copied().unwrap_or_default()
    }

    /// A message in the command's language.
    fn say(m: Message) -> String {
        m.text(lang())
    }

    /// A file's name and why it could not be read or written (the system's reason as it is).
    fn file_error(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Message {
        Message::new("general.at.file")
            .with("file", path.to_string())
            .with("message", Message::untranslated(e.to_string()))
    }

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
        Crossborder(CrossArgs),
        /// Closed-population capture–recapture models (Rcapture's closedp.t) on a histories CSV.
        Closed(ClosedArgs),
        /// Activity overlap of two species (R package overlap: Dhat1/Dhat4/Dhat5, smoothed bootstrap CIs).
        Overlap(OverlapArgs),
        /// Unique multilocus genotypes (allelematch's amUnique / amUniqueProfile) and probability of identity.
        Genotypes(GenotypesArgs),
        /// Candidate cross-border matches between photo-ID individuals, ranked with their evidence.
        Candidates(CandidatesArgs),
        /// Spatially explicit capture–recapture (secr-style maximum likelihood) on traps + captures CSVs.
        Secr(SecrArgs),
        /// The public outreach view: slides, key numbers, GeoJSON and Darwin Core of generalised cells only.
        Outreach(OutreachArgs),
        /// One operation of the web page on files, with the page's options JSON: prints the same JSON.
        Run(crate::run::RunArgs),
        /// Waterbird counts: joint species list, synchronised peaks, Ramsar Criteria 5 and 6, EAAFP tests.
        Waterbirds(WaterbirdArgs),
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
            /// Language of what is printed (en, zh, ru, ko, mn).
            #[arg(long)]
            lang: Option<Lang>,
        },
    }

    #[derive(clap::Args)]
    struct WaterbirdArgs {
        /// A count table (CSV, xlsx, xls, ods) or Darwin Core occurrence export. Repeat per file.
        #[arg(long = "counts", value_name = "FILE")]
        counts: Vec<PathBuf>,
        /// Sites: CSV site,name,country,latitude,longitude,complex or GeoJSON with those properties.
        #[arg(long)]
        sites: Option<PathBuf>,
        /// Your population thresholds (species,population,estimate,threshold); they take precedence.
        #[arg(long)]
        thresholds: Option<PathBuf>,
        /// A season, NAME=MM-MM (e.g. spring=03-05, winter=11-03). Repeat per season.
        #[arg(long = "season", value_name = "NAME=MM-MM")]
        seasons: Vec<String>,
        /// EAAFP: share of a population on migration at one time, in percent.
        #[arg(long, default_value_t = 0.25)]
        eaafp_share: f64,
        /// EAAFP: total of waterbirds at one time during migration.
        #[arg(long, default_value_t = 5000.0)]
        eaafp_total: f64,
        /// EAAFP: the migration seasons (by name); default every season.
        #[arg(long = "migration-season", value_name = "NAME")]
        migration_seasons: Vec<String>,
        /// Language of species names (en, zh, ru, ko, mn).
        #[arg(long, default_value = "en")]
        lang: borderless::model::lang::Lang,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Also write the joint species list (.csv or .xlsx, in --lang).
        #[arg(long, value_name = "FILE")]
        species_list: Option<PathBuf>,
        /// Also write the records used as a Darwin Core occurrence CSV.
        #[arg(long, value_name = "FILE")]
        darwin_core: Option<PathBuf>,
        /// Write the SIMULATED Tumen estuary demo files into DIR (www/demo/waterbirds) and stop.
        #[arg(long, value_name = "DIR")]
        write_demo: Option<PathBuf>,
        /// With --write-demo: do not write; fail if the files in DIR differ from the generator's.
        #[arg(long)]
        check: bool,
    }

    fn waterbirds(a: WaterbirdArgs) -> Result<i32, String> {
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
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok(InputFile::new(
                p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned()),
                bytes,
            ))
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

    /// National catalogs and what joins them (shared by `crossborder` and `secr`).
    #[derive(clap::Args)]
    struct CatalogArgs {
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
        /// FILE=LABEL: read FILE (its path, or a file of a --catalog folder) in this text encoding
        /// (windows-1251, koi8-r, gbk, gb18030, big5, euc-kr, shift_jis, windows-1252, …) instead
        /// of detecting it. Repeatable.
        #[arg(long = "encoding", value_name = "FILE=LABEL")]
        encodings: Vec<String>,
        /// Language of tables, notes and errors (en, zh, ru, ko, mn); JSON stays English, with codes.
        #[arg(long)]
        lang: Option<Lang>,
    }

    /// The `--encoding FILE=LABEL` overrides, by path.
    type Encodings = Vec<(PathBuf, &'static borderless::io::encoding::Encoding)>;

    fn encodings(args: &[String]) -> Result<Encodings, Message> {
        args.iter()
            .map(|a| {
                let (file, label) = split_named(a)?;
                Ok((PathBuf::from(file), borderless::io::encoding::encoding_for_label(label)?))
            })
            .collect()
    }

    /// `file`, read from `path`, with the encoding `--encoding` gives that path, if any.
    fn encoded(mut file: InputFile, path: &Path, overrides: &Encodings) -> InputFile {
        file.encoding = overrides.iter().find(|(p, _)| p.as_path() == path).map(|(_, e)| *e).or(file.encoding);
        file
    }

    #[derive(clap::Args)]
    struct CrossArgs {
        #[command(flatten)]
        inputs: CatalogArgs,
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

    fn read_dir(root: &Path, prefix: &str, enc: &Encodings, out: &mut Vec<InputFile>) -> Result<(), Message> {
        let entries = std::fs::read_dir(root).map_err(|e| file_error(root.display(), e))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let name = format!("{prefix}/{}", e.file_name().to_string_lossy());
            if p.is_dir() {
                read_dir(&p, &name, enc, out)?;
            } else {
                let bytes = std::fs::read(&p).map_err(|e| file_error(p.display(), e))?;
                out.push(encoded(InputFile::new(name, bytes), &p, enc));
            }
        }
        Ok(())
    }

    fn split_named(arg: &str) -> Result<(&str, &str), Message> {
        arg.split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
            .ok_or_else(|| Message::new("cli.args.name_path").with("arg", arg))
    }

    /// Reads the files the catalog arguments name, as the page would receive them dropped.
    fn gather(a: &CatalogArgs) -> Result<(Vec<InputFile>, AnalysisOptions), Message> {
        let mut files = Vec::new();
        let mut opts = AnalysisOptions {
            species: a.species.clone(),
            crs: a.crs.clone(),
            utc_offset: a.utc_offset.clone(),
            date_format: a.date_format.clone(),
            ..Default::default()
        };
        let enc = encodings(&a.encodings)?;
        for c in &a.catalogs {
            let (name, path) = split_named(c)?;
            let p = Path::new(path);
            if p.is_dir() {
                read_dir(p, name, &enc, &mut files)?;
            } else {
                let bytes = std::fs::read(p).map_err(|e| file_error(path, e))?;
                files.push(InputFile::new(format!("{name}.zip"), bytes));
            }
            opts.catalog_names.insert(name.to_string(), name.to_string());
        }
        for c in &a.camtrapr {
            let (name, paths) = split_named(c)?;
            let (st, rec) =
                paths.split_once(',').ok_or_else(|| Message::new("cli.args.camtrapr_pair").with("arg", c.as_str()))?;
            for (label, p) in [("stations.csv", st), ("records.csv", rec)] {
                let bytes = std::fs::read(p).map_err(|e| file_error(p, e))?;
                files.push(encoded(InputFile::new(format!("{name}/{label}"), bytes), Path::new(p), &enc));
            }
            opts.catalog_names.insert(name.to_string(), name.to_string());
        }
        for p in [&a.links, &a.border].into_iter().flatten() {
            let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            files.push(encoded(InputFile::new(name, bytes), p, &enc));
        }
        if files.is_empty() {
            return Err(Message::new("cli.args.nothing"));
        }
        Ok((files, opts))
    }

    /// Prints every issue to stderr; `(failed, rejected)`: a file could not be used / a row was
    /// rejected.
    fn print_issues<'a>(issues: impl Iterator<Item = &'a borderless::io::Issue>) -> (bool, bool) {
        let (mut failed, mut rejected) = (false, false);
        for i in issues {
            eprintln!("{}", say(issue_message(i)));
            failed |= i.severity == Severity::Error && i.row.is_none();
            rejected |= i.severity == Severity::Error;
        }
        if failed {
            eprintln!("borderless: {}", say(Message::new("cli.files_failed")));
        }
        (failed, rejected)
    }

    /// An issue as the line it is printed as: `FILE, row R, column 'C': error: …` in English.
    fn issue_message(i: &borderless::io::Issue) -> Message {
        let severity = Message::new(match i.severity {
            Severity::Error => "cli.severity.error",
            Severity::Warning => "cli.severity.warning",
            Severity::Note => "cli.severity.note",
        });
        let code = match (i.row, &i.column) {
            (None, None) => "cli.issue.file",
            (Some(_), None) => "cli.issue.row",
            (None, Some(_)) => "cli.issue.column",
            (Some(_), Some(_)) => "cli.issue.row_column",
        };
        let mut m = Message::new(code).with("file", &i.file).with("severity", severity).with("message", i.msg());
        if let Some(r) = i.row {
            m = m.with("row", r);
        }
        if let Some(c) = &i.column {
            m = m.with("column", c);
        }
        m
    }

    fn crossborder(a: CrossArgs) -> Result<i32, Message> {
        let (files, opts) = gather(&a.inputs)?;
        let analysis = analyze_files(files, &opts, &mut |_| {});
        let (failed, rejected) = print_issues(analysis.issues());
        if failed {
            return Ok(2);
        }
        if let Some(dir) = &a.svg_dir {
            write_svgs(&analysis, dir, a.basemap.as_deref())?;
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

    #[derive(clap::Args)]
    struct OutreachArgs {
        #[command(flatten)]
        inputs: CatalogArgs,
        /// Cell size (km) of the equal-area grid for the most sensitive species (big cats).
        #[arg(long, default_value_t = 10.0)]
        grid_km: f64,
        /// Cells with fewer records are hidden.
        #[arg(long, default_value_t = 3)]
        min_records: usize,
        /// TopoJSON country outlines for the slide maps.
        #[arg(long)]
        basemap: Option<PathBuf>,
        /// Output folder: cells.geojson, occurrence.csv (Darwin Core), numbers.json, slide-N-KEY.svg.
        #[arg(long)]
        out: PathBuf,
    }

    /// Writes exactly what the outreach page shows, generalised by `privacy::generalise` only.
    fn outreach(a: OutreachArgs) -> Result<i32, Message> {
        use borderless::outreach::{darwin_core_csv, geojson, outreach_view, OutreachOptions};
        let (files, opts) = gather(&a.inputs)?;
        let analysis = analyze_files(files, &opts, &mut |_| {});
        let (failed, _) = print_issues(analysis.issues());
        if failed {
            return Ok(2);
        }
        let l = lang();
        let o = OutreachOptions { grid_km: a.grid_km, min_records: a.min_records, lang: l };
        let public = borderless::privacy::generalise(&analysis, &o.privacy()).map_err(|e| e.message())?;
        drop(analysis);
        let countries = match &a.basemap {
            Some(p) => {
                let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
                borderless::io::topojson::read_countries(&p.display().to_string(), &bytes).map_err(|e| e.to_string())?
            }
            None => Vec::new(),
        };
        let view = outreach_view(&public, &countries, l);
        let dir = &a.out;
        std::fs::create_dir_all(dir).map_err(|e| file_error(dir.display(), e))?;
        let write = |name: &str, text: &str| -> Result<(), Message> {
            let p = dir.join(name);
            std::fs::write(&p, text).map_err(|e| file_error(p.display(), e))
        };
        write("cells.geojson", &geojson(&public))?;
        write("occurrence.csv", &darwin_core_csv(&public, l))?;
        for (i, s) in view.slides.iter().enumerate() {
            let key: String = s.key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            write(&format!("slide-{}-{}.svg", i + 1, key.trim_matches('-')), &s.svg)?;
        }
        let numbers = serde_json::json!({
            "lang": view.lang,
            "numbers": view.numbers,
            "generalisation": view.generalisation,
            "withheld": public.withheld(),
            "species": public.species(),
            "slides": view.slides.iter().map(|s| serde_json::json!({"key": s.key, "title": s.title, "subtitle": s.subtitle, "alt": s.alt})).collect::<Vec<_>>(),
        });
        write("numbers.json", &serde_json::to_string_pretty(&numbers).map_err(|e| e.to_string())?)?;
        eprintln!(
            "{}",
            say(Message::new("cli.outreach.done")
                .with("cells", public.cells().len())
                .with("slides", view.slides.len())
                .with("units", public.withheld().units)
                .with("records", public.withheld().records)
                .with("dir", dir.display().to_string()))
        );
        Ok(0)
    }

    fn write_svgs(analysis: &Analysis, dir: &Path, basemap: Option<&Path>) -> Result<(), Message> {
        let countries = match basemap {
            Some(p) => {
                let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
                borderless::io::topojson::read_countries(&p.display().to_string(), &bytes)
                    .map_err(|e| borderless::pipeline::located(&e))?
            }
            None => Vec::new(),
        };
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

    /// Display width of text in a terminal: CJK and Hangul take two columns.
    fn width(s: &str) -> usize {
        s.chars().map(|c| if matches!(c as u32, 0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFF60) { 2 } else { 1 }).sum()
    }

    /// `s` padded with spaces to `w` columns (left-aligned), or right-aligned with `right`.
    fn pad(s: &str, w: usize, right: bool) -> String {
        let fill = " ".repeat(w.saturating_sub(width(s)));
        if right {
            format!("{fill}{s}")
        } else {
            format!("{s}{fill}")
        }
    }

    fn print_table(a: &Analysis) {
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
            println!("{:<28} {:>10} {:>9} {:>10}  {} .. {}", i.id, dets, i.crossings, km, i.first_seen, i.last_seen);
        }
        // When nothing is left, say why under the (empty) table, not only among the warnings.
        if a.crossborder.individuals.is_empty() {
            for i in a.issues().filter(|i| borderless::io::camtrapdp::NOTHING_LEFT.contains(&i.code.as_str())) {
                println!("{}", say(issue_message(i)));
            }
        }
    }

    #[derive(clap::Args)]
    struct ClosedArgs {
        /// Capture histories CSV: header row, one 0/1 column per occasion (optional ID column first).
        #[arg(long, required_unless_present = "catalogs")]
        histories: Option<PathBuf>,
        /// Or: camera-trap catalogs joined by --links: one history per joint individual.
        #[command(flatten)]
        inputs: Box<CatalogArgs>,
        /// With catalogs: occasion length in days.
        #[arg(long, default_value_t = 15.0)]
        occasion_days: f64,
        /// Models to fit: "all" or a comma-separated list of Rcapture names (M0,Mt,MhC,MhP,MhD,MhG,MthC,...,Mb,Mbh).
        #[arg(long, default_value = "all")]
        models: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    }

    #[derive(clap::Args)]
    struct OverlapArgs {
        /// CSV with columns Zone (optional), Sps, Time (fraction of the day in [0, 1]), as overlap's kerinci.
        #[arg(long)]
        input: PathBuf,
        /// First species (value of the Sps column).
        #[arg(long)]
        species_a: String,
        /// Second species.
        #[arg(long)]
        species_b: String,
        /// Keep only records of this zone (value of the Zone column).
        #[arg(long)]
        zone: Option<String>,
        /// Number of smoothed bootstrap resamples for confidence intervals.
        #[arg(long)]
        bootstrap: Option<usize>,
        /// Seed of the bootstrap's random numbers (same seed, same intervals).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Language of what is printed (en, zh, ru, ko, mn).
        #[arg(long)]
        lang: Option<Lang>,
    }

    fn overlap(a: OverlapArgs) -> Result<i32, Message> {
        use borderless::activity::overlap::{analyze_overlap, read_times_csv, select_times};
        let file = a.input.display().to_string();
        let text = std::fs::read_to_string(&a.input).map_err(|e| file_error(&file, e))?;
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

    #[derive(clap::Args)]
    struct GenotypesArgs {
        /// Genotype table, CSV or spreadsheet (xlsx, xls, ods; told by content): sample ID, metadata
        /// columns, optional sex column, two allele columns per locus. Repeat for one file per country.
        #[arg(long, required = true)]
        input: Vec<PathBuf>,
        /// Missing-allele code.
        #[arg(long, default_value_t = -99, allow_hyphen_values = true)]
        missing: i64,
        /// Allowed mismatching allele columns (allelematch's alleleMismatch).
        #[arg(long, conflicts_with = "profile")]
        mismatches: Option<f64>,
        /// Instead: one row per allowed-mismatch count, 0 … 40% of the columns (amUniqueProfile).
        #[arg(long)]
        profile: bool,
        /// Sample ID column (default: the first column).
        #[arg(long)]
        id_column: Option<String>,
        /// Metadata column (date, location, …): kept, not compared. Repeat for several.
        #[arg(long = "meta-column")]
        meta_columns: Vec<String>,
        /// Sex column, compared as one single-column marker.
        #[arg(long)]
        sex_column: Option<String>,
        /// Column with each sample's country/catalog (kept, not compared).
        #[arg(long)]
        catalog_column: Option<String>,
        /// Column with the photo-ID individual each sample is linked to (kept, not compared).
        #[arg(long)]
        individual_column: Option<String>,
        /// Known catalog: with --catalog-column, every sample's must be one of these. Repeat for several.
        #[arg(long = "catalog")]
        catalogs: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Language of what is printed (en, zh, ru, ko, mn).
        #[arg(long)]
        lang: Option<Lang>,
    }

    fn genotypes(a: GenotypesArgs) -> Result<i32, Message> {
        use borderless::identity::genotypes::{match_files, MatchOptions};
        let mut files = Vec::with_capacity(a.input.len());
        for path in &a.input {
            let file = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| file_error(&file, e))?;
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

    #[derive(clap::Args)]
    struct CandidatesArgs {
        #[command(flatten)]
        inputs: CatalogArgs,
        /// Genotype CSV with a catalog (or country) and an individual column; repeat per file.
        #[arg(long = "genotypes", value_name = "FILE")]
        genotypes: Vec<PathBuf>,
        /// Movement scale σ in km (e.g. from an SECR fit). Default: secr's RPSV of the catalogs.
        #[arg(long, conflicts_with = "home_range_radius_km")]
        sigma_km: Option<f64>,
        /// Or a 95% home-range radius in km (σ = radius / 2.4477).
        #[arg(long)]
        home_range_radius_km: Option<f64>,
        /// Faster movement between two detections rules a pair out (default 50 km/day).
        #[arg(long)]
        max_speed_km_per_day: Option<f64>,
        /// Leave ruled-out pairs out of the list.
        #[arg(long)]
        exclude_ruled_out: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    }

    fn candidates(a: CandidatesArgs) -> Result<i32, Message> {
        use borderless::identity::candidates::CandidateOptions;
        let (mut files, opts) = gather(&a.inputs)?;
        let enc = encodings(&a.inputs.encodings)?;
        for p in &a.genotypes {
            let bytes = std::fs::read(p).map_err(|e| file_error(p.display(), e))?;
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            files.push(encoded(InputFile::new(name, bytes), p, &enc));
        }
        let session = borderless::pipeline::review::ReviewSession::open(files, &opts, &mut |_| {});
        let (failed, _) = print_issues(session.loaded.reports.iter().flat_map(|r| r.issues.iter()));
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
            let ev: Vec<String> =
                c.evidence.iter().map(|e| format!("{} {:.3}", evidence_kind(e.kind), e.weight)).collect();
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
                if c.ruled_out {
                    format!("  {}", say(Message::new("cli.candidates.ruled_out")))
                } else {
                    String::new()
                }
            );
        }
        Ok(0)
    }

    /// The name of an evidence kind, as the candidates table prints it.
    fn evidence_kind(k: borderless::identity::candidates::EvidenceKind) -> String {
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

    fn closed(a: ClosedArgs) -> Result<i32, Message> {
        use borderless::estimation::closed::{fit, jackknife, ClosedModel};
        let h = match &a.histories {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| file_error(path.display(), e))?;
                borderless::io::histories::read_histories_csv(&path.display().to_string(), &bytes)
                    .map_err(|e| borderless::pipeline::located(&e))?
            }
            None => {
                let (files, opts) = gather(&a.inputs)?;
                let loaded = borderless::pipeline::load_files(files, &opts, &mut |_| {});
                if print_issues(loaded.reports.iter().flat_map(|r| r.issues.iter())).0 {
                    return Ok(2);
                }
                let dh = borderless::estimation::occasions::build(&loaded.catalogs, &loaded.joint, a.occasion_days)
                    .map_err(|e| e.message())?;
                eprintln!(
                    "{}",
                    say(Message::new("cli.closed.note")
                        .with("animals", dh.animals.len())
                        .with("occasions", dh.occasions)
                        .with("days", a.occasion_days))
                );
                dh.closed_histories().map_err(|e| e.message())?
            }
        };
        let models: Vec<ClosedModel> = if a.models.trim().eq_ignore_ascii_case("all") {
            ClosedModel::ALL.into_iter().filter(|m| h.occasions() >= m.min_occasions()).collect()
        } else {
            a.models.split(',').map(|m| m.parse::<ClosedModel>()).collect::<Result<_, _>>()?
        };
        let fits: Vec<_> = models.iter().map(|&m| (m, fit(&h, m))).collect();
        let failed = fits.iter().any(|(_, r)| r.is_err());
        if a.json {
            let rows: Vec<serde_json::Value> = fits
                .iter()
                .map(|(m, r)| match r {
                    Ok(f) => serde_json::json!({
                        "model": f.model, "N": f.abundance, "se": f.se, "deviance": f.deviance, "df": f.df,
                        "aic": f.aic, "bic": f.bic, "lcl": f.lcl, "ucl": f.ucl, "converged": f.converged,
                        "iterations": f.iterations, "termination": f.termination, "info_fit": f.info_fit,
                        "warnings": f.warnings, "warnings_codes": f.warnings_codes,
                    }),
                    Err(e) => {
                        serde_json::json!({ "model": m.name(), "error": e.to_string(), "error_code": e.message() })
                    }
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?);
        } else {
            println!(
                "{}\n",
                say(Message::new("cli.closed.units").with("n", h.animals()).with("occasions", h.occasions()))
            );
            println!(
                "{} {:>10} {:>8} {} {:>4} {:>9} {:>9} {:>9} {:>9}  {}",
                pad(&say(Message::new("cli.closed.model")), 14, false),
                "N",
                "se",
                pad(&say(Message::new("cli.closed.deviance")), 9, true),
                "df",
                "AIC",
                "BIC",
                "lcl",
                "ucl",
                say(Message::new("cli.closed.fit"))
            );
            let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into());
            for (m, r) in &fits {
                match r {
                    Ok(f) => println!(
                        "{:<14} {:>10.1} {:>8.1} {:>9.3} {:>4} {:>9.3} {:>9.3} {:>9} {:>9}  {}{}",
                        f.model,
                        f.abundance,
                        f.se,
                        f.deviance,
                        f.df,
                        f.aic,
                        f.bic,
                        opt(f.lcl),
                        opt(f.ucl),
                        say(Message::new(if f.converged {
                            "cli.closed.converged"
                        } else {
                            "cli.closed.max_iterations"
                        })),
                        if f.warnings_codes.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " ({})",
                                f.warnings_codes.iter().map(|w| say(w.clone())).collect::<Vec<_>>().join("; ")
                            )
                        }
                    ),
                    Err(e) => println!(
                        "{:<14} {}",
                        m.name(),
                        say(Message::new("cli.closed.error").with("message", e.message()))
                    ),
                }
            }
            let j = jackknife(&h);
            println!(
                "\n{}",
                say(Message::new("cli.closed.jackknife")
                    .with("order", j.selected_order)
                    .with("n", j.abundance)
                    .with("se", j.se)
                    .with("lcl", opt(j.lcl))
                    .with("ucl", opt(j.ucl)))
            );
        }
        Ok(if failed { 1 } else { 0 })
    }

    #[derive(clap::Args)]
    struct SecrArgs {
        /// Traps: CSV (detector id, x, y, optional detector_type and usage1..usageK columns) or secr's
        /// text format (`id x y [usage]`).
        #[arg(long, required_unless_present = "catalogs")]
        traps: Option<PathBuf>,
        /// Captures: CSV (session, id, occasion, trapid) or secr's text format (`session id occasion detector`).
        #[arg(long, required_unless_present = "catalogs")]
        captures: Option<PathBuf>,
        /// Or: camera-trap catalogs, joined by --links (stations become detectors, projected to UTM).
        #[command(flatten)]
        inputs: Box<CatalogArgs>,
        /// With catalogs: occasion length in days.
        #[arg(long, default_value_t = 15.0)]
        occasion_days: f64,
        /// With catalogs: usage as days the camera worked per occasion ("days") or 0/1 ("binary").
        #[arg(long, default_value = "days")]
        usage: String,
        /// UTM zone (utm:52N) for catalogs or WGS84 traps; default: the zone of the detectors' centroid.
        #[arg(long)]
        utm: Option<String>,
        /// With catalogs: TopoJSON country outlines; keeps the mask on land and gives N per country.
        #[arg(long)]
        basemap: Option<PathBuf>,
        /// With catalogs: GeoJSON habitat polygons; the mask keeps only cells inside them.
        #[arg(long)]
        habitat: Option<PathBuf>,
        /// With catalogs: GeoJSON regions (features with a "name"), e.g. protected areas: expected N in each.
        #[arg(long)]
        regions: Option<PathBuf>,
        /// Mask CSV (x, y); spacing inferred from the points. Otherwise built from --buffer/--spacing.
        #[arg(long)]
        mask: Option<PathBuf>,
        /// Mask buffer around the detectors (m), for a 'trapbuffer' mask as secr's make.mask
        /// [default: 100 with traps, as secr; 20000 with catalogs].
        #[arg(long)]
        buffer: Option<f64>,
        /// Mask spacing (m); default: x extent / 64 as secr.
        #[arg(long)]
        spacing: Option<f64>,
        /// Detector type: multi (also for single-catch traps), proximity or count. Default: from the traps file, else multi.
        #[arg(long)]
        detector: Option<String>,
        /// Detection function: HN, HHN, EX, HEX or HR.
        #[arg(long, default_value = "HN")]
        detectfn: String,
        /// Conditional likelihood (density derived as n / a).
        #[arg(long)]
        cl: bool,
        /// Learned (trap-independent) response on g0 / lambda0 (secr's g0 ~ b).
        #[arg(long)]
        learned_response: bool,
        /// Proximity/count: occasion-by-occasion likelihood instead of secr's default collapsed (fastproximity) form.
        #[arg(long)]
        occasion_by_occasion: bool,
        /// Captures CSV column with each animal's group (e.g. sex, or the catalog): fit by groups.
        #[arg(long)]
        groups_column: Option<String>,
        /// With --groups-column: parameters that differ between groups, e.g. "sigma,g0" or "D,sigma"
        /// (secr's sigma ~ g, g0 ~ g, D ~ g); default none (D per group, common detection).
        #[arg(long)]
        vary: Option<String>,
        /// Fit every session of the captures' session column: D per session, detection shared.
        #[arg(long)]
        sessions: bool,
        /// Use only this session of the captures' session column.
        #[arg(long, conflicts_with = "sessions")]
        session: Option<String>,
        /// Model formula in secr's notation, repeatable: --model "D~elev" --model "g0~trail"
        /// (D ~ mask covariates, x, y, x2, y2, xy, session, Session, g; g0/lambda0/sigma ~ detector
        /// covariates, session, Session, g, b). Mask and traps CSV columns are the covariates.
        #[arg(long = "model")]
        model: Vec<String>,
        /// Mask covariate from a GeoTIFF raster (projected metres), repeatable:
        /// --mask-covariate elev=dem.tif samples the raster at every mask point.
        #[arg(long = "mask-covariate")]
        mask_covariate: Vec<String>,
        /// Also print the fitted density surface (D and SE per mask point) in the JSON.
        #[arg(long)]
        surface: bool,
        /// Count detectors: 0 Poisson counts; 1 binomial with size = usage; N > 1 binomial with size N (secr's binomN).
        #[arg(long, default_value_t = 0)]
        binomn: u32,
        /// Number of occasions (default: the usage columns, else the largest occasion in the captures).
        #[arg(long)]
        occasions: Option<usize>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    }

    /// SECR on catalogs: the same pipeline function, options struct and JSON as the page's `fitSecr`.
    fn secr_catalogs(a: &SecrArgs) -> Result<i32, Message> {
        use borderless::estimation::catalog_secr::{CatalogSecrOptions, UsageKind};
        use borderless::estimation::secr::{DetectFn, DetectorType};
        use borderless::pipeline::estimates::{fit_loaded_secr, SecrOptions};
        use borderless::pipeline::inputs::{Inputs, Role};
        let (files, opts) = gather(&a.inputs)?;
        let loaded = borderless::pipeline::load_files(files, &opts, &mut |_| {});
        if print_issues(loaded.reports.iter().flat_map(|r| r.issues.iter())).0 {
            return Ok(2);
        }
        let mut roles = Inputs::default();
        for (role, path) in [(Role::Basemap, &a.basemap), (Role::Habitat, &a.habitat), (Role::Regions, &a.regions)] {
            if let Some(p) = path {
                let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                roles.set(role, InputFile::new(p.display().to_string(), bytes))?;
            }
        }
        let secr = CatalogSecrOptions {
            occasion_days: a.occasion_days,
            detector: DetectorType::parse(a.detector.as_deref().unwrap_or("proximity")).map_err(|e| e.to_string())?,
            detectfn: DetectFn::parse(&a.detectfn).map_err(|e| e.to_string())?,
            buffer_m: a.buffer.unwrap_or(CatalogSecrOptions::default().buffer_m),
            spacing_m: a.spacing,
            conditional: a.cl,
            learned_response: a.learned_response,
            usage: match a.usage.as_str() {
                "days" => UsageKind::Days,
                "binary" => UsageKind::Binary,
                other => return Err(Message::new("cli.secr.usage").with("value", other)),
            },
            utm: a.utm.clone(),
            ..Default::default()
        };
        let options = SecrOptions { analysis: opts, secr, ..Default::default() };
        let r = fit_loaded_secr(loaded, &roles, &options, &mut |_| {}).map_err(|e| e.to_string())?;
        for n in &r.notes {
            eprintln!("note: {n}");
        }
        if a.json {
            println!("{}", serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?);
        } else {
            print_secr(&r.fit, r.occasions);
            for c in r.n_per_country.iter().chain(&r.n_per_region) {
                let ci = match (c.n.lcl, c.n.ucl) {
                    (Some(l), Some(u)) => format!(" [{l:.1}, {u:.1}]"),
                    _ => String::new(),
                };
                let name = borderless::model::country::country_name(&c.name, lang());
                let m = Message::new("cli.secr.expected_n").with("name", name).with("area", c.area_km2);
                println!("{}{ci}", say(m.with("n", c.n.estimate)));
            }
        }
        Ok(if r.fit.converged { 0 } else { 1 })
    }

    // long function: reads every SECR input form (CSV, secr text, WGS84, GeoTIFF), sessions and groups, then prints; split with the CLI rework
    fn secr(a: SecrArgs) -> Result<i32, Message> {
        use borderless::estimation::secr::{fit_secr, Capthist, DetectFn, DetectorType, Mask, SecrModel, Traps};
        use borderless::io::secr_text;
        let (Some(traps_path), Some(captures_path)) = (&a.traps, &a.captures) else {
            return secr_catalogs(&a);
        };
        let read = |p: &PathBuf| std::fs::read(p).map_err(|e| file_error(p.display(), e));
        let (tb, cb) = (read(traps_path)?, read(captures_path)?);
        let (tn, cn) = (traps_path.display().to_string(), captures_path.display().to_string());
        let traps = if secr_text::is_secr_text(&tb) {
            secr_text::read_traps(&tn, &tb)
        } else if secr_text::is_latlon_csv(&tb) {
            // WGS84 detectors are projected to UTM before fitting (zone stated or from the data).
            let zone = a.utm.as_deref().map(borderless::spatial::Utm::read).transpose()?;
            borderless::spatial::secr_traps::read_traps_latlon_csv(&tn, &tb, zone).map(|(t, z)| {
                eprintln!("{}", say(Message::new("cli.secr.projected").with("zone", z.to_string())));
                t
            })
        } else {
            Traps::from_csv_bytes(&tn, &tb)
        }
        .map_err(|e| e.to_string())?;
        let by_session = a.groups_column.is_some() || a.sessions || a.session.is_some();
        let mut sessions = Vec::new();
        if by_session {
            if secr_text::is_secr_text(&cb) {
                return Err(Message::new("cli.secr.sessions_csv"));
            }
            sessions = Capthist::sessions_from_csv_bytes(&cn, &cb, &traps, a.occasions, a.groups_column.as_deref())
                .map_err(|e| e.to_string())?;
            let names: Vec<String> = sessions.iter().map(|s| s.0.clone()).collect();
            if let Some(name) = &a.session {
                sessions.retain(|s| &s.0 == name);
                if sessions.is_empty() {
                    let m =
                        Message::new("cli.secr.no_session").with("session", name).with("sessions", names.join(", "));
                    return Err(Message::new("general.at.file").with("file", cn.as_str()).with("message", m));
                }
            } else if !a.sessions && sessions.len() > 1 {
                let m =
                    Message::new("cli.secr.many_sessions").with("n", names.len()).with("sessions", names.join(", "));
                return Err(Message::new("general.at.file").with("file", cn.as_str()).with("message", m));
            }
        }
        if a.vary.is_some() && a.groups_column.is_none() {
            return Err(Message::new("cli.secr.vary"));
        }
        let ch = if by_session {
            Ok(sessions[0].1.clone())
        } else if secr_text::is_secr_text(&cb) {
            secr_text::read_captures(&cn, &cb, &traps, a.occasions)
        } else {
            Capthist::from_csv_bytes(&cn, &cb, &traps, a.occasions)
        }
        .map_err(|e| e.to_string())?;
        let mask = match &a.mask {
            // a GeoTIFF mask: habitat = non-zero cells
            Some(p)
                if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff")) =>
            {
                let name = p.display().to_string();
                borderless::io::geotiff::read_geotiff(&name, &read(p)?)
                    .and_then(|r| r.habitat_mask(&name, &|v| v != 0.0))
            }
            Some(p) => Mask::from_csv(p, a.spacing),
            None => Mask::trap_buffer(&traps, a.buffer.unwrap_or(100.0), a.spacing),
        }
        .map_err(|e| e.to_string())?;
        let mut mask = mask;
        for spec in &a.mask_covariate {
            let (name, path) =
                spec.split_once('=').ok_or_else(|| format!("--mask-covariate '{spec}': expected NAME=FILE.tif"))?;
            let path = PathBuf::from(path);
            let file = path.display().to_string();
            let cov = borderless::io::geotiff::read_geotiff(&file, &read(&path)?)
                .and_then(|r| r.covariate_at(&file, &mask))
                .map_err(|e| e.to_string())?;
            let mut all = mask.covariates().clone();
            all.insert(name.trim(), cov);
            mask = mask.with_covariates(all).map_err(|e| e.to_string())?;
        }
        eprintln!(
            "note: mask of {} points, spacing {:.4} m, cell area {:.6} ha{}",
            mask.len(),
            mask.spacing(),
            mask.cell_area_ha(),
            if a.mask.is_some() && a.spacing.is_none() {
                " (inferred from the points; --spacing overrides)"
            } else {
                ""
            }
        );
        let detector = match a.detector.as_deref().or(traps.detector_type()) {
            Some(d) => DetectorType::parse(d).map_err(|e| e.to_string())?,
            None => DetectorType::Multi,
        };
        let model = SecrModel {
            detectfn: DetectFn::parse(&a.detectfn).map_err(|e| e.to_string())?,
            detector,
            conditional: a.cl,
            learned_response: a.learned_response,
            fast_proximity: !a.occasion_by_occasion,
            binom_n: a.binomn,
            formulas: a.model.clone(),
            surface: a.surface,
            groups: match &a.groups_column {
                Some(_) => Some(
                    borderless::estimation::secr::GroupModel::parse(a.vary.as_deref().unwrap_or(""))
                        .map_err(|e| e.to_string())?,
                ),
                None => None,
            },
            ..Default::default()
        };
        let fit = if sessions.len() > 1 {
            let data: Vec<borderless::estimation::secr::SessionData> = sessions
                .iter()
                .map(|(name, c)| borderless::estimation::secr::SessionData {
                    name: name.clone(),
                    traps: traps.clone(),
                    capthist: c.clone(),
                    mask: mask.clone(),
                })
                .collect();
            borderless::estimation::secr::fit_secr_sessions(&data, &model)
        } else {
            fit_secr(&traps, &ch, &mask, &model)
        }
        .map_err(|e| e.to_string())?;
        for n in &fit.notes {
            eprintln!("note: {n}");
        }
        if a.json {
            println!("{}", serde_json::to_string_pretty(&fit).map_err(|e| e.to_string())?);
        } else {
            print_secr(&fit, ch.n_occasions());
            println!("\n{:<24} {:>14} {:>12}", "coefficient", "beta", "SE");
            for (i, name) in fit.beta_names.iter().enumerate() {
                let se = fit.beta_vcv.as_ref().map(|v| format!("{:.6}", v[i][i].sqrt())).unwrap_or_else(|| "-".into());
                println!("{name:<24} {:>14.6} {se:>12}", fit.beta[i]);
            }
            for r in &fit.region_n {
                let ci = |p: &borderless::estimation::secr::RealParam| match (p.lcl, p.ucl) {
                    (Some(l), Some(u)) => format!(" [{l:.1}, {u:.1}]"),
                    _ => String::new(),
                };
                println!(
                    "session {}: E(N) in the mask {:.1}{}, realised N {:.1}{} (n = {})",
                    r.session,
                    r.e_n.estimate,
                    ci(&r.e_n),
                    r.r_n.estimate,
                    ci(&r.r_n),
                    r.n
                );
            }
            let ci = |p: &borderless::estimation::secr::RealParam| match (p.se, p.lcl, p.ucl) {
                (Some(s), Some(l), Some(u)) => format!("{:.5} (SE {s:.5}) [{l:.5}, {u:.5}]", p.estimate),
                _ => format!("{:.5}", p.estimate),
            };
            let print_groups = |gs: &[borderless::estimation::secr::GroupEstimate], indent: &str| {
                for g in gs {
                    let a0 = g.g0.as_ref().or(g.lambda0.as_ref()).map(&ci).unwrap_or_default();
                    println!("{indent}group {} ({} animals): D/ha {}", g.group, g.n_animals, ci(&g.d));
                    println!("{indent}  {} {a0}; sigma {}", fit.detectfn.intercept_name(), ci(&g.sigma));
                }
            };
            if let Some(gs) = &fit.groups {
                println!("\nby group (top-level D is the total over groups):");
                print_groups(gs, "  ");
            }
            if let Some(ss) = &fit.sessions {
                println!("\nby session (top-level D is the first session's):");
                for s in ss {
                    println!(
                        "  session {} ({} animals, {} detections): D/ha {}",
                        s.session,
                        s.n_animals,
                        s.n_detections,
                        ci(&s.d)
                    );
                    if let Some(gs) = &s.groups {
                        print_groups(gs, "    ");
                    }
                }
            }
        }
        Ok(if fit.converged { 0 } else { 1 })
    }

    fn print_secr(fit: &borderless::estimation::secr::SecrFit, occasions: usize) {
        {
            println!(
                "{} animals, {} detections, {} occasions; mask {} points, {:.4} ha; {:?} detectors, {:?}{}",
                fit.n_animals,
                fit.n_detections,
                occasions,
                fit.mask_points,
                fit.mask_area_ha,
                fit.detector,
                fit.detectfn,
                if fit.conditional { ", conditional likelihood" } else { "" }
            );
            println!("\n{:<10} {:>12} {:>10} {:>12} {:>12}", "parameter", "estimate", "SE", "lcl", "ucl");
            // Five significant digits, whatever the scale (D per ha can be 1e-4 for big cats).
            let sig = |v: f64| {
                let digits = (4 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
                format!("{v:.digits$}")
            };
            let opt = |v: Option<f64>| v.map(sig).unwrap_or_else(|| "-".into());
            let mut rows = vec![(if fit.d_derived { "D (derived)" } else { "D" }, &fit.d)];
            for (name, p) in [("g0", &fit.g0), ("lambda0", &fit.lambda0), ("g0 (b=1)", &fit.g0_b), ("z", &fit.z)] {
                if let Some(p) = p {
                    rows.push((name, p));
                }
            }
            rows.insert(rows.len() - usize::from(fit.z.is_some()), ("sigma", &fit.sigma));
            for (name, p) in rows {
                println!(
                    "{:<10} {:>12} {:>10} {:>12} {:>12}",
                    name,
                    sig(p.estimate),
                    opt(p.se),
                    opt(p.lcl),
                    opt(p.ucl)
                );
            }
            println!("\nD = {} /ha = {} /100 km^2", sig(fit.d_per_ha), sig(fit.d_per_100km2));
            println!(
                "logLik {:.4} ({} form), AIC {:.3}, AICc {:.3}; {:?} after {} iterations",
                fit.loglik, fit.likelihood_form, fit.aic, fit.aicc, fit.termination, fit.iterations
            );
            for w in &fit.warnings {
                eprintln!("warning: {w}");
            }
        }
    }

    fn demo(basemap: &Path, out: &Path, check: bool) -> Result<i32, Message> {
        let bytes = std::fs::read(basemap).map_err(|e| file_error(basemap.display(), e))?;
        let survey = borderless::pipeline::demo::generate(&bytes, &Default::default()).map_err(|e| e.message())?;
        let mut differ = Vec::new();
        for (rel, data) in &survey.files {
            let p = out.join(rel);
            if check {
                if std::fs::read(&p).ok().as_deref() != Some(data.as_slice()) {
                    differ.push(p.display().to_string());
                }
            } else {
                if let Some(d) = p.parent() {
                    std::fs::create_dir_all(d).map_err(|e| file_error(d.display(), e))?;
                }
                std::fs::write(&p, data).map_err(|e| file_error(p.display(), e))?;
            }
        }
        eprintln!("{}", say(Message::new("cli.demo.done").with("seed", survey.seed).with("n", survey.files.len())));
        if !differ.is_empty() {
            eprintln!("{}", say(Message::new("cli.demo.differ").with("files", differ.join(", "))));
            return Ok(1);
        }
        Ok(0)
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
        let r = match cli.cmd {
            Cmd::Crossborder(a) => crossborder(a),
            Cmd::Secr(a) => secr(a),
            Cmd::Closed(a) => closed(a),
            Cmd::Overlap(a) => overlap(a),
            Cmd::Genotypes(a) => genotypes(a),
            Cmd::Outreach(a) => outreach(a),
            Cmd::Candidates(a) => candidates(a),
            Cmd::Run(a) => crate::run::run(a).map_err(Message::untranslated),
            Cmd::Waterbirds(a) => waterbirds(a).map_err(Message::untranslated),
            Cmd::Demo { basemap, out, check, .. } => demo(&basemap, &out, check),
        };
        match r {
            Ok(code) => code,
            Err(e) => {
                eprintln!("borderless: {}", say(e));
                2
            }
        }
    }
}
