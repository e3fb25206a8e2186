//! `borderless outreach`: the public outreach view, generalised cells only.

use super::common::{file_error, gather, lang, print_issues, say, CatalogArgs};
use borderless::model::message::Message;
use borderless::pipeline::analyze_files;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct OutreachArgs {
    #[command(flatten)]
    pub(crate) inputs: CatalogArgs,
    /// Cell size (km) of the equal-area grid for the most sensitive species (big cats).
    #[arg(long, default_value_t = 10.0)]
    pub(crate) grid_km: f64,
    /// Cells with fewer records are hidden.
    #[arg(long, default_value_t = 3)]
    pub(crate) min_records: usize,
    /// TopoJSON country outlines for the slide maps.
    #[arg(long)]
    pub(crate) basemap: Option<PathBuf>,
    /// Output folder: cells.geojson, occurrence.csv (Darwin Core), numbers.json, slide-N-KEY.svg.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// Writes exactly what the outreach page shows, generalised by `privacy::generalise` only.
pub(crate) fn outreach(a: OutreachArgs) -> Result<i32, Message> {
    use borderless::outreach::{darwin_core_csv, geojson, outreach_view, OutreachOptions};
    let (files, opts) = gather(&a.inputs)?;
    let analysis = analyze_files(files, &opts, &mut |_| {});
    let (failed, _) = print_issues(&analysis.reports);
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
