//! The waterbird workspace over dropped files: tells what each file is (count table, sites,
//! population thresholds) from its content unless the options name it, runs
//! [`crate::waterbirds::analyze`] — the function `borderless waterbirds` calls — and returns its
//! result with every message's `text` written in the chosen language, the joint species list as
//! CSV, and the map of the sites with their peak counts.
//!
//! ```
//! use borderless::io::InputFile;
//! use borderless::pipeline::waterbirds::{run_waterbirds, WaterbirdRunOptions};
//! let mut rows = String::from("site,date,species,count\n");
//! for y in 2015..2020 {
//!     rows += &format!("A,{y}-04-10,Platalea minor,50\nB,{y}-04-10,Platalea minor,40\n");
//! }
//! let files = vec![
//!     InputFile::new("c.csv", rows),
//!     InputFile::new("s.csv", "site,country,latitude,longitude,complex\nA,CN,42.5,130.6,T\nB,RU,42.6,130.7,T\n"),
//! ];
//! let run = run_waterbirds(files, &WaterbirdRunOptions::default(), &[]).unwrap();
//! assert_eq!(run.roles.iter().map(|r| r.role).collect::<Vec<_>>(), ["counts", "sites"]);
//! let c6 = run.result["criterion6"].as_array().unwrap();
//! assert!(c6.iter().any(|r| r["unit"] == "T" && r["season"] == "spring" && r["qualifies"] == true));
//! ```

use crate::io::sheet::is_spreadsheet;
use crate::io::topojson::Country;
use crate::io::{FileReport, InputFile, Issue};
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::render::maps::sites::{site_map, SiteMapOptions, SitePoint};
use crate::waterbirds::criteria::EaafpParams;
use crate::waterbirds::peaks::UnitKind;
use crate::waterbirds::{analyze, counts, grid, species_list, WaterbirdOptions, WaterbirdResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options of the workspace, as one serde struct (the page sends it as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WaterbirdRunOptions {
    /// Seasons as `NAME=MM-MM` (e.g. `winter=11-03`); default spring=03-05 and autumn=09-11.
    pub seasons: Vec<String>,
    /// Language of species names and of every message's `text`.
    pub lang: Lang,
    /// A file's role by its name: `counts`, `sites` or `thresholds` (told from content otherwise).
    pub roles: BTreeMap<String, String>,
    /// EAAFP: share of a population on migration at one time, in percent (default 0.25).
    pub eaafp_share: Option<f64>,
    /// EAAFP: total of waterbirds at one time during migration (default 5,000).
    pub eaafp_total: Option<f64>,
    /// EAAFP: the migration seasons by name; default every season.
    pub migration_seasons: Vec<String>,
    /// Draw the site map with these words (and the `basemap` file, if given); none: no map.
    pub map: Option<SiteMapOptions>,
}

impl Default for WaterbirdRunOptions {
    fn default() -> Self {
        WaterbirdRunOptions {
            seasons: vec!["spring=03-05".into(), "autumn=09-11".into()],
            lang: Lang::En,
            roles: BTreeMap::new(),
            eaafp_share: None,
            eaafp_total: None,
            migration_seasons: Vec::new(),
            map: None,
        }
    }
}

/// What a file was taken for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRole {
    pub file: String,
    /// `counts`, `sites` or `thresholds`.
    pub role: &'static str,
}

/// The workspace's answer.
#[derive(Debug, Clone, Serialize)]
pub struct WaterbirdRun {
    /// The result as `borderless waterbirds --json` prints it, with each message's `text` (and
    /// each issue's added `text`) in the chosen language.
    pub result: serde_json::Value,
    pub roles: Vec<FileRole>,
    /// The joint species list as CSV in the chosen language (what `--species-list FILE.csv` writes).
    pub species_list_csv: String,
    /// The same list as an xlsx workbook (what `--species-list FILE.xlsx` writes).
    pub species_list_xlsx: Vec<u8>,
    /// The site map (SVG) when `map` options were given.
    pub map_svg: Option<String>,
}

const ROLES: [&str; 3] = ["counts", "sites", "thresholds"];

/// The role of a file: named in the options, or else GeoJSON → sites; a table with a threshold
/// or estimate column and no count column → thresholds; with coordinates or a `complex` column
/// and no count column → sites; anything else → counts (its reader reports what is missing).
fn role_of(file: &InputFile, named: &BTreeMap<String, String>) -> Result<&'static str, Message> {
    if let Some(r) = named.get(&file.name) {
        return ROLES.into_iter().find(|k| k == r).ok_or_else(|| {
            Message::new("pipeline.waterbirds.bad_role").with("name", file.name.as_str()).with("role", r.as_str())
        });
    }
    let first = file.bytes.iter().find(|b| !b.is_ascii_whitespace() && ![0xEF, 0xBB, 0xBF].contains(*b));
    if first == Some(&b'{') && !is_spreadsheet(&file.bytes) {
        return Ok("sites");
    }
    let mut scratch = FileReport::new(&file.name, "");
    let Ok(g) = grid::read_grid(file, &mut scratch) else { return Ok("counts") };
    let has = |names: &[&str]| g.column(names).is_some();
    let counted = has(counts::COUNT) && has(counts::DATE);
    if !counted && has(&["threshold", "1%", "one_percent", "estimate", "population_estimate"]) {
        return Ok("thresholds");
    }
    if !counted && has(&["latitude", "lat", "decimallatitude", "complex"]) {
        return Ok("sites");
    }
    Ok("counts")
}

/// Reads the files by role and computes every result. `countries` (basemap outlines) are drawn
/// under the site map. Errors: no sites file or two, no count table, a season that does not
/// parse, or a sites or thresholds file that cannot be read at all (located).
pub fn run_waterbirds(
    files: Vec<InputFile>,
    opts: &WaterbirdRunOptions,
    countries: &[Country],
) -> Result<WaterbirdRun, Message> {
    let mut roles = Vec::new();
    let (mut count_files, mut sites, mut thresholds) = (Vec::new(), Vec::new(), Vec::new());
    for f in files {
        let role = role_of(&f, &opts.roles)?;
        roles.push(FileRole { file: f.name.clone(), role });
        match role {
            "sites" => sites.push(f),
            "thresholds" => thresholds.push(f),
            _ => count_files.push(f),
        }
    }
    let names = |v: &[InputFile]| v.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ");
    if sites.len() != 1 {
        let m = if sites.is_empty() { "pipeline.waterbirds.no_sites" } else { "pipeline.waterbirds.two_sites" };
        return Err(Message::new(m).with("names", names(&sites)));
    }
    if thresholds.len() > 1 {
        return Err(Message::new("pipeline.waterbirds.two_thresholds").with("names", names(&thresholds)));
    }
    if count_files.is_empty() {
        return Err(Message::new("pipeline.waterbirds.no_counts"));
    }
    let seasons = opts
        .seasons
        .iter()
        .map(|s| s.parse().map_err(|e: crate::waterbirds::message::Msg| e.message()))
        .collect::<Result<Vec<_>, _>>()?;
    if seasons.is_empty() {
        return Err(Message::new("pipeline.waterbirds.no_seasons"));
    }
    let defaults = EaafpParams::default();
    let wo = WaterbirdOptions {
        seasons,
        eaafp: EaafpParams {
            population_share_percent: opts.eaafp_share.unwrap_or(defaults.population_share_percent),
            staging_total: opts.eaafp_total.unwrap_or(defaults.staging_total),
            migration_seasons: opts.migration_seasons.clone(),
            ..defaults
        },
        lang: opts.lang,
    };
    let r = analyze(&count_files, &sites[0], thresholds.first(), &wo).map_err(|e| e.to_message())?;
    let mut result = r.to_json();
    translate(&mut result, opts.lang);
    Ok(WaterbirdRun {
        result,
        roles,
        species_list_csv: species_list::species_list_csv(&r.species_list, opts.lang),
        species_list_xlsx: species_list::species_list_xlsx(&r.species_list, opts.lang),
        map_svg: opts.map.as_ref().map(|m| site_map(&site_points(&r, opts.lang), countries, m)),
    })
}

/// Each site with a position, its value the highest total of waterbirds on one date (the
/// Criterion 5 peaks of the site as a unit).
fn site_points(r: &WaterbirdResult, lang: Lang) -> Vec<SitePoint> {
    r.sites
        .sites
        .iter()
        .filter_map(|s| {
            let peak = r
                .criterion5
                .iter()
                .filter(|c| c.unit_kind == UnitKind::Site && c.unit == s.id)
                .flat_map(|c| c.peaks.values().copied())
                .max()
                .unwrap_or(0);
            let name = if s.name.is_empty() { s.id.clone() } else { s.name.clone() };
            let label = Message::new("pipeline.waterbirds.site_label")
                .with("name", name.as_str())
                .with("n", peak as i64)
                .text(lang);
            s.position.map(|position| SitePoint {
                id: s.id.clone(),
                label,
                country: s.country.clone(),
                position,
                value: peak as f64,
            })
        })
        .collect()
}

/// Writes every message of the result in `lang`: objects `{code, params, text}` get their
/// `text` translated; issues `{severity, message, code, params}` get a `text` beside their
/// English `message`.
fn translate(v: &mut serde_json::Value, lang: Lang) {
    match v {
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| translate(x, lang)),
        serde_json::Value::Object(o) => {
            if o.get("code").is_some_and(|c| c.is_string()) {
                if o.contains_key("severity") && o.contains_key("message") {
                    if let Ok(issue) = serde_json::from_value::<Issue>(serde_json::Value::Object(o.clone())) {
                        o.insert("text".into(), issue.msg().text(lang).into());
                    }
                    return;
                }
                if o.get("text").is_some_and(|t| t.is_string()) {
                    let m = serde_json::json!({"code": o["code"], "params": o.get("params").cloned().unwrap_or_else(|| serde_json::json!({}))});
                    if let Ok(m) = serde_json::from_value::<Message>(m) {
                        o.insert("text".into(), m.text(lang).into());
                    }
                    return;
                }
            }
            o.values_mut().for_each(|x| translate(x, lang));
        }
        _ => {}
    }
}
