//! The report partners can check: one self-contained, print-ready HTML document (inline CSS with
//! `@media print`, A4, a page break between sections; no script, no external resource) in one
//! language, holding what was computed from what — the inputs' names, sizes and SHA-256, the
//! Borderless version and options, the summary, the closed-population estimates with their 95%
//! intervals, the joint catalog, the map and charts, the parse report, a short methods section
//! with citations, and how to re-run and compare.
//!
//! Two editions: **expert** (everything) and **public**: no joint catalog table, and the map is
//! the outreach map of cells generalised by [`crate::privacy::generalise`] — no exact location
//! reaches the public edition.
//!
//! ```
//! use borderless::outreach::report::{report_html, ReportOptions};
//! use borderless::pipeline::{analyze_files, AnalysisOptions};
//! let a = analyze_files(Vec::new(), &AnalysisOptions::default(), &mut |_| {});
//! let html = report_html(&a, &[], None, &ReportOptions::default()).unwrap();
//! assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
//! ```

use super::{outreach_view, OutreachOptions};
use crate::estimation::occasions::{default_closed_occasion_days, survey_days};
use crate::estimation::{closed_population, ClosedPopulation};
use crate::io::topojson::Country;
use crate::io::InputFile;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::pipeline::{load_files, Analysis, AnalysisOptions};
use crate::render::charts::{cross_border_charts, ChartOptions};
use crate::render::maps::{expert_map, xml_escape, MapOptions};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Options of the report, as one serde struct (the same JSON in the CLI and the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportOptions {
    /// Language of every text of the report.
    pub lang: Lang,
    /// The public edition: no joint catalog table, only the privacy-generalised map.
    pub public: bool,
    /// The date printed under the title (e.g. `2026-12-07`), given by the caller (the core has
    /// no clock).
    pub date: String,
    /// The analysis options of the run, printed as JSON.
    pub options: AnalysisOptions,
    /// The command line that reproduces the run; when absent one is written from the inputs.
    pub command: Option<String>,
    /// Grid and minimum count of the public edition's map (defaults of [`OutreachOptions`]).
    pub grid_km: Option<f64>,
    pub min_records: Option<usize>,
    /// Occasion length (days) of the closed-population estimates in the report (the page's
    /// estimate form); when absent, the CLI `closed` command's default for the survey's span
    /// ([`default_closed_occasion_days`]).
    pub occasion_days: Option<f64>,
}

/// The closed-population estimates of the report, fitted on the same files with the same
/// options as the analysis (the functions of `borderless closed` and the page's `fitClosed`), or
/// the reason they could not be made, as a message. `None` when no file was given.
///
/// ```
/// use borderless::outreach::report::{closed_estimates, ReportOptions};
/// assert!(closed_estimates(Vec::new(), &ReportOptions::default()).is_none());
/// ```
pub fn closed_estimates(files: Vec<InputFile>, opts: &ReportOptions) -> Option<Result<ClosedPopulation, Message>> {
    if files.is_empty() {
        return None;
    }
    let loaded = load_files(files, &opts.options, &mut |_| {});
    let days = opts.occasion_days.or_else(|| survey_days(&loaded.catalogs).map(default_closed_occasion_days));
    Some(closed_population(loaded.survey(), days.unwrap_or(15.0)).map_err(|e| e.message()))
}

/// The version printed in the report (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const CSS: &str = "body{font-family:system-ui,'Noto Sans','Noto Sans CJK SC','Microsoft YaHei',sans-serif;\
color:#1a1a1a;max-width:190mm;margin:1.5em auto;padding:0 1em;line-height:1.4;font-size:11pt}\
h1{font-size:20pt;margin:0 0 .2em}h2{font-size:14pt;border-bottom:1px solid #888;margin-top:1.6em}\
table{border-collapse:collapse;width:100%;font-size:9pt;margin:.5em 0}\
th,td{border:1px solid #bbb;padding:2px 5px;text-align:left;vertical-align:top}\
th{background:#eee}td.nowrap{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}\
code,pre,.hash{font-family:'DejaVu Sans Mono',Consolas,monospace;font-size:8.5pt;word-break:break-all}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em;border:1px solid #ddd}\
.meta{color:#444}.sim{color:#a00;font-weight:bold}.note{color:#444;font-style:italic}\
dl.summary{display:grid;grid-template-columns:auto auto;gap:2px 1.5em;width:max-content}\
dl.summary dt{font-weight:normal}dl.summary dd{margin:0;text-align:right;font-weight:bold}\
figure{margin:.5em 0;break-inside:avoid}figure svg{max-width:100%;height:auto}\
@page{size:A4;margin:15mm}\
@media print{body{margin:0;max-width:none;padding:0}section{break-before:page}\
section.first{break-before:auto}tr,figure{break-inside:avoid}h2{break-after:avoid}}";

fn t(code: &str, lang: Lang) -> String {
    xml_escape(&Message::new(code).text(lang))
}

fn section(out: &mut String, id: &str, heading: &str, lang: Lang) {
    let _ = write!(out, "<section id=\"{id}\"><h2>{}</h2>", t(heading, lang));
}

fn table_head(out: &mut String, headings: &[String]) {
    out.push_str("<table><thead><tr>");
    for h in headings {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead><tbody>");
}

/// The report as one HTML document; `countries` (from a TopoJSON basemap, may be empty) are
/// drawn behind the map.
pub fn report_html(
    a: &Analysis,
    countries: &[Country],
    closed: Option<&Result<ClosedPopulation, Message>>,
    opts: &ReportOptions,
) -> Result<String, Message> {
    let lang = opts.lang;
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>",
        lang.bcp47(),
        t("outreach.report.title", lang)
    );
    header(&mut out, a, opts);
    inputs(&mut out, a, lang);
    summary(&mut out, a, lang);
    estimates(&mut out, closed, lang);
    if opts.public {
        section(&mut out, "catalog", "outreach.report.h_catalog", lang);
        let _ = write!(out, "<p class=\"note\">{}</p></section>", t("outreach.report.catalog_omitted", lang));
    } else {
        catalog(&mut out, a, lang);
    }
    map(&mut out, a, countries, opts)?;
    charts(&mut out, a, lang)?;
    parse_report(&mut out, a, lang);
    methods(&mut out, a, lang);
    how_to_check(&mut out, a, opts);
    out.push_str("</body></html>\n");
    Ok(out)
}

fn header(out: &mut String, a: &Analysis, opts: &ReportOptions) {
    let lang = opts.lang;
    let edition = if opts.public { "outreach.report.edition_public" } else { "outreach.report.edition_expert" };
    let generated = Message::new("outreach.report.generated").with("date", opts.date.as_str()).with("version", VERSION);
    let _ = write!(
        out,
        "<section class=\"first\" id=\"title\"><h1>{}</h1><p class=\"meta\">{}</p><p class=\"meta\">{}</p>",
        t("outreach.report.title", lang),
        t(edition, lang),
        xml_escape(&generated.text(lang))
    );
    if a.simulated {
        let _ = write!(out, "<p class=\"sim\">{}</p>", t("outreach.report.simulated", lang));
    }
    let options = serde_json::to_string_pretty(&opts.options).unwrap_or_default();
    let _ =
        write!(out, "<h2>{}</h2><pre>{}</pre></section>", t("outreach.report.h_options", lang), xml_escape(&options));
}

fn inputs(out: &mut String, a: &Analysis, lang: Lang) {
    section(out, "inputs", "outreach.report.h_inputs", lang);
    if a.inputs.is_empty() {
        let _ = write!(out, "<p class=\"note\">{}</p></section>", t("outreach.report.no_inputs", lang));
        return;
    }
    let heads: Vec<String> = ["outreach.report.col_file", "outreach.report.col_bytes", "outreach.report.col_sha256"]
        .map(|c| t(c, lang))
        .into();
    table_head(out, &heads);
    for f in &a.inputs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"hash\">{}</td></tr>",
            xml_escape(&f.name),
            f.bytes,
            f.sha256
        );
    }
    out.push_str("</tbody></table></section>");
}

fn summary(out: &mut String, a: &Analysis, lang: Lang) {
    let s = &a.crossborder.summary;
    section(out, "summary", "outreach.report.h_summary", lang);
    out.push_str("<dl class=\"summary\">");
    let mut row = |label: String, value: String| {
        let _ = write!(out, "<dt>{label}</dt><dd>{value}</dd>");
    };
    row(t("outreach.report.unique", lang), s.unique_individuals.to_string());
    row(t("outreach.report.transboundary", lang), s.transboundary_individuals.to_string());
    for (k, v) in &s.national_counts {
        row(
            xml_escape(&Message::new("outreach.report.counted_by").with("catalog", k.as_str()).text(lang)),
            v.to_string(),
        );
    }
    row(t("outreach.report.sum", lang), s.sum_of_national_counts.to_string());
    let over = match s.overcount_percent {
        Some(p) => format!("{p:.1}%"),
        None => "—".to_string(),
    };
    row(t("outreach.report.overcount", lang), over);
    out.push_str("</dl></section>");
}

fn opt_number(v: Option<f64>, decimals: usize) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.decimals$}")).unwrap_or_else(|| "—".to_string())
}

/// The closed models (Rcapture's `closedp.t` set) and the Burnham–Overton jackknife: N̂, SE and
/// the 95% interval of each, the best model by AIC marked, beside the sum of national counts.
fn estimates(out: &mut String, closed: Option<&Result<ClosedPopulation, Message>>, lang: Lang) {
    section(out, "estimates", "outreach.report.h_estimates", lang);
    let c = match closed {
        None => {
            let _ = write!(out, "<p class=\"note\">{}</p></section>", t("outreach.report.no_estimates", lang));
            return;
        }
        Some(Err(m)) => {
            let m = Message::new("outreach.report.estimates_failed").with("reason", m.clone());
            let _ = write!(out, "<p class=\"note\">{}</p></section>", xml_escape(&m.text(lang)));
            return;
        }
        Some(Ok(c)) => c,
    };
    let intro = Message::new("outreach.report.estimates_intro")
        .with("animals", c.animals)
        .with("occasions", c.occasions)
        .with("days", c.occasion_days)
        .with("sum", c.sum_of_national_counts);
    let _ = write!(out, "<p>{}</p>", xml_escape(&intro.text(lang)));
    let heads: Vec<String> = [
        "outreach.report.col_model",
        "outreach.report.col_n",
        "outreach.report.col_se",
        "outreach.report.col_ci",
        "outreach.report.col_aic",
    ]
    .map(|c| t(c, lang))
    .into();
    table_head(out, &heads);
    for m in &c.models {
        let best = c.best_by_aic.as_deref() == Some(m.model.as_str());
        let name = if best {
            format!("{} ({})", xml_escape(&m.model), t("outreach.report.best_aic", lang))
        } else {
            xml_escape(&m.model)
        };
        match &m.fit {
            Some(f) => {
                let _ = write!(
                    out,
                    "<tr><td>{name}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{} – {}</td><td class=\"num\">{:.2}</td></tr>",
                    f.abundance,
                    f.se,
                    opt_number(f.lcl, 1),
                    opt_number(f.ucl, 1),
                    f.aic
                );
            }
            None => {
                let why = m.error_code.as_ref().map(|e| e.text(lang)).or_else(|| m.error.clone()).unwrap_or_default();
                let _ = write!(out, "<tr><td>{name}</td><td colspan=\"4\">{}</td></tr>", xml_escape(&why));
            }
        }
    }
    let j = &c.jackknife;
    let jname = Message::new("outreach.report.jackknife").with("order", j.selected_order);
    let _ = write!(
        out,
        "<tr><td>{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{} – {}</td><td class=\"num\">—</td></tr>",
        xml_escape(&jname.text(lang)),
        j.abundance,
        j.se,
        opt_number(j.lcl, 1),
        opt_number(j.ucl, 1)
    );
    out.push_str("</tbody></table></section>");
}

fn catalog(out: &mut String, a: &Analysis, lang: Lang) {
    section(out, "catalog", "outreach.report.h_catalog", lang);
    let names: Vec<&str> = a.catalogs.iter().map(|c| c.name.as_str()).collect();
    let mut heads = vec![t("outreach.report.col_joint", lang)];
    heads.extend(
        names.iter().map(|n| xml_escape(&Message::new("outreach.report.col_id_in").with("name", *n).text(lang))),
    );
    heads.extend(
        names.iter().map(|n| xml_escape(&Message::new("outreach.report.col_detections").with("name", *n).text(lang))),
    );
    heads.extend(
        [
            "outreach.report.col_crossings",
            "outreach.report.col_max_km",
            "outreach.report.col_first",
            "outreach.report.col_last",
        ]
        .map(|c| t(c, lang)),
    );
    table_head(out, &heads);
    for i in &a.crossborder.individuals {
        let _ = write!(out, "<tr><td class=\"nowrap\">{}</td>", xml_escape(&i.id));
        for n in &names {
            let _ = write!(out, "<td>{}</td>", xml_escape(i.national_ids.get(*n).map(String::as_str).unwrap_or("—")));
        }
        for n in &names {
            let _ = write!(out, "<td class=\"num\">{}</td>", i.detections.get(*n).copied().unwrap_or(0));
        }
        // Tied coarse times allow several orders: the fewest crossings, and the most as a range.
        let crossings = match i.max_crossings {
            Some(max) if i.ambiguous_crossings => format!("{}–{max}", i.crossings),
            _ => i.crossings.to_string(),
        };
        let km = i.max_distance_from_border_km.map(|d| lang.number(d, 2)).unwrap_or_else(|| "—".into());
        let _ = write!(
            out,
            "<td class=\"num\">{crossings}</td><td class=\"num\">{km}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td></tr>",
            xml_escape(&i.first_seen),
            xml_escape(&i.last_seen)
        );
    }
    out.push_str("</tbody></table></section>");
}

fn map(out: &mut String, a: &Analysis, countries: &[Country], opts: &ReportOptions) -> Result<(), Message> {
    let lang = opts.lang;
    section(out, "map", "outreach.report.h_map", lang);
    if opts.public {
        // Only what privacy generalised: the outreach view's map slides.
        let defaults = OutreachOptions::default();
        let o = OutreachOptions {
            grid_km: opts.grid_km.unwrap_or(defaults.grid_km),
            min_records: opts.min_records.unwrap_or(defaults.min_records),
            lang,
        };
        let p = crate::privacy::generalise(a, &o.privacy()).map_err(|e| e.message())?;
        let view = outreach_view(&p, countries, lang);
        let _ = write!(
            out,
            "<p class=\"note\">{} {}</p>",
            t("outreach.report.map_public_note", lang),
            xml_escape(&view.generalisation)
        );
        for s in view.slides.iter().filter(|s| s.key.starts_with("map:")) {
            // The slide's SVG carries its own title.
            let _ = write!(out, "<figure>{}</figure>", s.svg);
        }
    } else {
        let mo = MapOptions { lang, ..Default::default() };
        let _ = write!(out, "<figure>{}</figure>", expert_map(a, countries, &mo));
    }
    out.push_str("</section>");
    Ok(())
}

fn charts(out: &mut String, a: &Analysis, lang: Lang) -> Result<(), Message> {
    section(out, "charts", "outreach.report.h_charts", lang);
    let co = ChartOptions { lang, ..Default::default() };
    let c = cross_border_charts(a, &co).map_err(|e| e.to_message())?;
    for svg in [&c.detections, &c.crossings, &c.distance] {
        let _ = write!(out, "<figure>{svg}</figure>");
    }
    out.push_str("</section>");
    Ok(())
}

fn parse_report(out: &mut String, a: &Analysis, lang: Lang) {
    section(out, "parse", "outreach.report.h_parse", lang);
    let heads: Vec<String> = [
        "outreach.report.col_file",
        "outreach.report.col_kind",
        "outreach.report.col_read",
        "outreach.report.col_used",
        "outreach.report.col_skipped",
        "outreach.report.col_rejected",
        "outreach.report.col_encoding",
    ]
    .map(|c| t(c, lang))
    .into();
    table_head(out, &heads);
    for r in &a.reports {
        let skipped: usize = r.rows_skipped.iter().map(|(_, n)| n).sum();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{skipped}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            xml_escape(&r.file),
            xml_escape(&r.kind),
            r.rows_read,
            r.rows_used,
            r.rows_rejected,
            xml_escape(&r.encoding)
        );
    }
    out.push_str("</tbody></table><ul>");
    let mut any = false;
    for r in &a.reports {
        for (k, (why, n)) in r.rows_skipped.iter().enumerate() {
            let why = r.rows_skipped_codes.get(k).map(|m| m.text(lang)).unwrap_or_else(|| why.clone());
            let line = Message::new("outreach.report.skipped_line").with("file", r.file.as_str()).with("n", *n);
            let _ = write!(out, "<li>{}: {}</li>", xml_escape(&line.text(lang)), xml_escape(&why));
            any = true;
        }
        for i in &r.issues {
            let place = match (i.row, &i.column) {
                (Some(row), Some(c)) => format!("{}, {row}, '{c}'", i.file),
                (Some(row), None) => format!("{}, {row}", i.file),
                (None, Some(c)) => format!("{}, '{c}'", i.file),
                (None, None) => i.file.clone(),
            };
            let _ = write!(out, "<li>{}: {}</li>", xml_escape(&place), xml_escape(&i.msg().text(lang)));
            any = true;
        }
    }
    out.push_str("</ul>");
    if !any {
        let _ = write!(out, "<p>{}</p>", t("outreach.report.no_issues", lang));
    }
    out.push_str("</section>");
}

fn methods(out: &mut String, a: &Analysis, lang: Lang) {
    section(out, "methods", "outreach.report.h_methods", lang);
    for code in [
        "outreach.report.m_overcount",
        "outreach.report.m_crossings",
        "outreach.report.m_closed",
        "outreach.report.m_geodesic",
        "outreach.report.m_encodings",
        "outreach.report.m_privacy",
    ] {
        let _ = write!(out, "<p>{}</p>", t(code, lang));
    }
    let mut encodings: Vec<&str> = a.reports.iter().map(|r| r.encoding.as_str()).filter(|e| !e.is_empty()).collect();
    encodings.sort_unstable();
    encodings.dedup();
    if !encodings.is_empty() {
        let m = Message::new("outreach.report.encodings_used").with("list", encodings.join(", "));
        let _ = write!(out, "<p>{}</p>", xml_escape(&m.text(lang)));
    }
    out.push_str("</section>");
}

/// A shell word, quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The `borderless crossborder` command that reads the same files with the same options,
/// written from the inputs (a zip is the catalog whose source it is; links and border files by
/// their report's kind; a folder's files as that folder).
pub fn command_line(a: &Analysis, opts: &AnalysisOptions) -> String {
    let kind_of = |name: &str| a.reports.iter().find(|r| r.file == name).map(|r| r.kind.as_str()).unwrap_or("");
    let links_kind = Message::new("pipeline.kind.links").to_string();
    let border_kind = Message::new("pipeline.kind.border").to_string();
    let mut args = vec!["borderless".to_string(), "crossborder".to_string()];
    let mut folders: Vec<&str> = Vec::new();
    for f in &a.inputs {
        let name = f.name.as_str();
        if let Some(stem) = name.strip_suffix(".zip") {
            let cat = a.catalogs.iter().find(|c| c.source.trim_end_matches('/') == stem);
            let cat = cat.map(|c| c.name.as_str()).unwrap_or(stem);
            args.extend(["--catalog".to_string(), shell_word(&format!("{cat}={name}"))]);
        } else if kind_of(name) == links_kind {
            args.extend(["--links".to_string(), shell_word(name)]);
        } else if kind_of(name) == border_kind {
            args.extend(["--border".to_string(), shell_word(name)]);
        } else if let Some((top, _)) = name.split_once('/') {
            if !folders.contains(&top) {
                folders.push(top);
                args.extend(["--catalog".to_string(), shell_word(&format!("{top}={top}"))]);
            }
        }
    }
    for (flag, v) in [("--species", &opts.species), ("--crs", &opts.crs), ("--utc-offset", &opts.utc_offset)] {
        if let Some(v) = v {
            args.extend([flag.to_string(), shell_word(v)]);
        }
    }
    if let Some(v) = &opts.date_format {
        args.extend(["--date-format".to_string(), shell_word(v)]);
    }
    for (file, label) in &opts.encodings {
        args.extend(["--encoding".to_string(), shell_word(&format!("{file}={label}"))]);
    }
    args.push("--json".to_string());
    args.join(" ")
}

fn how_to_check(out: &mut String, a: &Analysis, opts: &ReportOptions) {
    let lang = opts.lang;
    section(out, "check", "outreach.report.h_check", lang);
    let command = opts.command.clone().unwrap_or_else(|| command_line(a, &opts.options));
    let _ = write!(
        out,
        "<p>{}</p><pre>{}</pre><p>{}</p>",
        t("outreach.report.check_cli", lang),
        xml_escape(&command),
        t("outreach.report.check_compare", lang)
    );
    if !a.reports.is_empty() && a.inputs.is_empty() {
        let _ = write!(out, "<p class=\"note\">{}</p>", t("outreach.report.no_inputs", lang));
    }
    out.push_str("</section>");
}
