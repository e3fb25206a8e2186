//! Waterbird slides of the public view, for a Ramsar or CBD audience: what a transboundary
//! wetland complex regularly holds (Ramsar Criteria 6 and 5, both tests of "regularly", from
//! [`crate::waterbirds::analyze`]) and why the countries must count together (the sum of site
//! peaks against the synchronised peak).
//!
//! Only aggregated results of complexes are shown: the 1% levels, the complex's own seasonal
//! figures (how many seasons reached the level, the five-season mean, the synchronised peak) and
//! the sum over its sites of their peaks. No count of a single site, no date and no location
//! appears on a slide, so nothing here needs the privacy grid.
//!
//! Ramsar Criterion 6: "A wetland should be considered internationally important if it regularly
//! supports 1% of the individuals in a population of one species or subspecies of waterbird";
//! Criterion 5: "… regularly supports 20,000 or more waterbirds" (Ramsar Convention,
//! *Strategic Framework for the Ramsar List*, Resolution XI.8 Annex 2, 2012).

use super::{stamp, svg_open, wrap_lines, Slide, H, W};
use crate::io::{InputFile, IoError};
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::render::maps::xml_escape;
use crate::waterbirds::peaks::UnitKind;
use crate::waterbirds::seasons::Season;
use crate::waterbirds::taxonomy::Taxonomy;
use crate::waterbirds::{analyze, CriterionRow, JointRow, WaterbirdOptions, WaterbirdResult};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Options of the waterbird slides, as one serde struct (the same JSON in the CLI and the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WaterbirdSlideOptions {
    /// Language of the slides.
    pub lang: Lang,
    /// Seasons as `NAME=MM-MM`; empty = [`DEFAULT_SEASONS`].
    pub seasons: Vec<String>,
    /// Name of the sites file among the files; empty = the file whose name contains "sites".
    pub sites: String,
    /// Name of a thresholds table among the files (optional).
    pub thresholds: String,
    /// Label the slides SIMULATED; `None` = when a file's name contains "SIMULATED".
    pub simulated: Option<bool>,
}

impl Default for WaterbirdSlideOptions {
    fn default() -> Self {
        WaterbirdSlideOptions {
            lang: Lang::En,
            seasons: Vec::new(),
            sites: String::new(),
            thresholds: String::new(),
            simulated: None,
        }
    }
}

/// The seasons used when none are given (those of the Tumen demo survey).
pub const DEFAULT_SEASONS: [&str; 2] = ["spring=03-05", "autumn=09-11"];

/// One statement of a slide: a complex regularly holding 1% of a species' population
/// (`species` = its accepted scientific name) or 20,000 waterbirds (`species` = `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub unit: String,
    pub season: String,
    pub species: Option<String>,
    /// The sentence in the chosen language.
    pub sentence: String,
    /// The figures behind it (level, seasons reached, five-season mean), in the chosen language.
    pub detail: String,
    /// True when no site of the complex qualifies alone for the same species and season.
    pub only_together: bool,
}

/// The waterbird part of the public view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterbirdSlides {
    pub lang: Lang,
    pub simulated: bool,
    pub findings: Vec<Finding>,
    pub slides: Vec<Slide>,
}

/// Reads the waterbird files (count tables, one sites file, optionally a thresholds table),
/// analyses them and builds the slides.
pub fn waterbird_slides_from_files(
    files: Vec<InputFile>,
    opts: &WaterbirdSlideOptions,
) -> Result<WaterbirdSlides, IoError> {
    let pick = |wanted: &str, contains: &str| {
        files.iter().position(|f| {
            if wanted.is_empty() {
                !contains.is_empty() && f.name.to_lowercase().contains(contains)
            } else {
                f.name == wanted
            }
        })
    };
    let Some(si) = pick(&opts.sites, "sites") else {
        return Err(IoError::new("", Message::new("outreach.wb.no_sites")));
    };
    let ti = pick(&opts.thresholds, "");
    let simulated = opts.simulated.unwrap_or_else(|| files.iter().any(|f| f.name.contains("SIMULATED")));
    let mut seasons = Vec::new();
    let given: Vec<&str> = if opts.seasons.is_empty() {
        DEFAULT_SEASONS.to_vec()
    } else {
        opts.seasons.iter().map(String::as_str).collect()
    };
    for s in given {
        let season: Season = s.parse().map_err(|m: crate::waterbirds::message::Msg| IoError::new("", m))?;
        seasons.push(season);
    }
    let counts: Vec<InputFile> =
        files.iter().enumerate().filter(|(i, _)| *i != si && Some(*i) != ti).map(|(_, f)| f.clone()).collect();
    let wopts = WaterbirdOptions { seasons, lang: opts.lang, ..Default::default() };
    let r = analyze(&counts, &files[si], ti.map(|i| &files[i]), &wopts)?;
    Ok(waterbird_slides(&r, opts.lang, simulated))
}

/// A season's name in `lang` where it is one of the usual four (spring, summer, autumn/fall,
/// winter); the user's name otherwise.
fn season_name(name: &str, lang: Lang) -> String {
    let key = match name.trim().to_lowercase().as_str() {
        "spring" => "spring",
        "summer" => "summer",
        "autumn" | "fall" => "autumn",
        "winter" => "winter",
        _ => return name.to_string(),
    };
    Message::new(&format!("outreach.wb.season.{key}")).text(lang)
}

fn species_name(scientific: &str, lang: Lang) -> String {
    let t = Taxonomy::get();
    t.by_scientific(scientific).map(|id| t.species(id).name(lang).to_string()).unwrap_or_else(|| scientific.into())
}

/// Whether the threshold's population is the whole species ("global …" in the thresholds table).
fn global_population(r: &WaterbirdResult, scientific: &str) -> bool {
    r.thresholds.iter().any(|t| t.scientific == scientific && t.population.trim_start().starts_with("global"))
}

/// The statements: every complex × season × species that qualifies under Criterion 6, then every
/// complex × season that qualifies under Criterion 5.
pub fn findings(r: &WaterbirdResult, lang: Lang) -> Vec<Finding> {
    let n = |x: f64| lang.number(x, 0);
    let alone = |rows: &[CriterionRow], c: &CriterionRow| {
        rows.iter().any(|s| {
            s.unit_kind == UnitKind::Site
                && s.qualifies
                && s.season == c.season
                && s.species == c.species
                && r.sites.sites.iter().any(|site| site.id == s.unit && site.complex.as_deref() == Some(&c.unit))
        })
    };
    let detail = |c: &CriterionRow, code: &str| {
        let mean = c.five_year_mean.as_ref().map(|m| n(m.mean)).unwrap_or_else(|| "—".into());
        let mut m = Message::new(code)
            .with("t", n(c.threshold))
            .with("reached", n(c.two_thirds.reached as f64))
            .with("seasons", n(c.two_thirds.seasons as f64))
            .with("mean", mean);
        if let Some(y) = c.threshold_year {
            m = m.with("year", y.to_string());
        }
        m.text(lang)
    };
    let mut out = Vec::new();
    for c in r.criterion6.iter().filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies) {
        let sp = c.species.clone().unwrap_or_default();
        let code = if global_population(r, &sp) { "outreach.wb.c6_world" } else { "outreach.wb.c6_flyway" };
        let sentence = Message::new(code)
            .with("unit", c.unit.as_str())
            .with("s", species_name(&sp, lang))
            .with("season", season_name(&c.season, lang))
            .text(lang);
        let code = if c.threshold_year.is_some() { "outreach.wb.c6_detail" } else { "outreach.wb.c6_detail_no_year" };
        out.push(Finding {
            unit: c.unit.clone(),
            season: c.season.clone(),
            species: Some(sp),
            sentence,
            detail: detail(c, code),
            only_together: !alone(&r.criterion6, c),
        });
    }
    for c in r.criterion5.iter().filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies) {
        let sentence = Message::new("outreach.wb.c5")
            .with("unit", c.unit.as_str())
            .with("season", season_name(&c.season, lang))
            .text(lang);
        out.push(Finding {
            unit: c.unit.clone(),
            season: c.season.clone(),
            species: None,
            sentence,
            detail: detail(c, "outreach.wb.c5_detail"),
            only_together: !alone(&r.criterion5, c),
        });
    }
    out
}

/// Text lines from `x` (left-aligned), wrapped to `width`; returns the y after the last line.
#[allow(clippy::too_many_arguments)]
fn left_text(svg: &mut String, text: &str, x: f64, y: f64, width: f64, size: f64, fill: &str, class: &str) -> f64 {
    let lines = wrap_lines(text, width, size);
    for (i, l) in lines.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{:.1}" class="{class}" font-size="{size}" fill="{fill}">{}</text>"##,
            y + i as f64 * size * 1.25,
            xml_escape(l)
        );
    }
    y + lines.len().max(1) as f64 * size * 1.25
}

/// The countries of a complex, named in `lang` and joined.
fn countries_of(r: &WaterbirdResult, unit: &str, lang: Lang) -> String {
    let codes = r.units.iter().find(|u| u.name == unit).map(|u| u.countries.clone()).unwrap_or_default();
    let sep = Message::new("outreach.wb.sep").text(lang);
    codes.iter().map(|c| super::country_of_code(c, lang)).collect::<Vec<_>>().join(&sep)
}

/// The statements slide of one complex.
fn criteria_slide(r: &WaterbirdResult, unit: &str, found: &[&Finding], lang: Lang, simulated: bool) -> Slide {
    let title =
        Message::new("outreach.wb.title").with("unit", unit).with("countries", countries_of(r, unit, lang)).text(lang);
    let subtitle = Message::new("outreach.wb.subtitle").text(lang);
    let mut svg = String::new();
    svg_open(&mut svg, lang, &title, &subtitle);
    let mut y = 230.0;
    if found.is_empty() {
        let none = Message::new("outreach.wb.none").with("unit", unit).text(lang);
        left_text(&mut svg, &none, 40.0, y, W - 80.0, 32.0, "#1a1a1a", "slide-finding");
    }
    // Font size: the largest of 32/28/24 px at which every statement fits above the footnote.
    let size = [32.0, 28.0, 24.0]
        .into_iter()
        .find(|&s| {
            let h: f64 = found
                .iter()
                .map(|f| {
                    let main = wrap_lines(&f.sentence, W - 130.0, s).len() as f64 * s * 1.25;
                    main + wrap_lines(&f.detail, W - 130.0, s * 0.7).len() as f64 * s * 0.875 + 22.0
                })
                .sum();
            y + h < H - 60.0
        })
        .unwrap_or(22.0);
    for f in found {
        let colour = if f.species.is_some() { "#0072b2" } else { "#009e73" };
        let _ =
            write!(svg, r##"<rect x="40" y="{:.1}" width="22" height="22" rx="4" fill="{colour}"/>"##, y - size * 0.75);
        y = left_text(&mut svg, &f.sentence, 80.0, y, W - 130.0, size, "#1a1a1a", "slide-finding");
        let mut detail = f.detail.clone();
        if f.only_together {
            detail = format!("{detail} · {}", Message::new("outreach.wb.only_together").text(lang));
        }
        y = left_text(&mut svg, &detail, 80.0, y - size * 0.2, W - 130.0, size * 0.7, "#444444", "slide-detail");
        y += 22.0;
    }
    let note = Message::new("outreach.wb.note").text(lang);
    left_text(&mut svg, &note, 40.0, H - 30.0, W - 80.0, 20.0, "#555555", "slide-note");
    stamp(&mut svg, lang, simulated);
    svg.push_str("</svg>");
    let alt = std::iter::once(title.clone())
        .chain(found.iter().map(|f| format!("{} {}", f.sentence, f.detail)))
        .collect::<Vec<_>>()
        .join(" ");
    Slide { key: format!("waterbirds:{unit}"), title, subtitle, svg, alt }
}

/// The "count together" slide of one complex: for each species of the statements (or the
/// complex's largest over-counts where there are none), the most recent season's sum of site
/// peaks against the peak counted on one day, as two bars under a legend.
fn joint_slide(unit: &str, rows: &[&JointRow], lang: Lang, simulated: bool) -> Slide {
    let n = |x: f64| lang.number(x, 0);
    let title = Message::new("outreach.wb.joint_title").with("unit", unit).text(lang);
    let subtitle = Message::new("outreach.wb.joint_subtitle").text(lang);
    let mut svg = String::new();
    svg_open(&mut svg, lang, &title, &subtitle);
    let sum_label = Message::new("outreach.wb.sum_label").text(lang);
    let sync_label = Message::new("outreach.wb.sync_label").text(lang);
    // Legend: the two bars' colours, on one line under the subtitle.
    let w_sum = crate::render::charts::measure_text(&sum_label, 22.0 * 1.24).0 as f64;
    let _ = write!(
        svg,
        r##"<g class="slide-legend"><rect x="40" y="158" width="22" height="22" fill="#d55e00"/><text x="72" y="177" font-size="22" fill="#333333">{}</text><rect x="{:.1}" y="158" width="22" height="22" fill="#0072b2"/><text x="{:.1}" y="177" font-size="22" fill="#333333">{}</text></g>"##,
        xml_escape(&sum_label),
        104.0 + w_sum,
        136.0 + w_sum,
        xml_escape(&sync_label)
    );
    let max = rows.iter().map(|j| j.sum_of_site_peaks.max(j.synchronised_peak)).max().unwrap_or(1).max(1) as f64;
    let (x0, bar_w) = (440.0, 620.0);
    let band = ((H - 215.0 - 70.0) / rows.len().max(1) as f64).min(120.0);
    let mut alt = vec![title.clone()];
    for (i, j) in rows.iter().enumerate() {
        let y = 215.0 + band * i as f64;
        let when = format!("{} {}", season_name(&j.season, lang), j.label);
        let name = species_name(&j.species, lang);
        for (k, line) in [name.as_str(), when.as_str()].iter().enumerate() {
            let _ = write!(
                svg,
                r##"<text x="40" y="{:.1}" class="slide-bar-label" font-size="{}" fill="{}">{}</text>"##,
                y + 26.0 + 30.0 * k as f64,
                if k == 0 { 26 } else { 22 },
                if k == 0 { "#1a1a1a" } else { "#555555" },
                xml_escape(line)
            );
        }
        for (k, (v, colour)) in [(j.sum_of_site_peaks, "#d55e00"), (j.synchronised_peak, "#0072b2")].iter().enumerate()
        {
            let by = y + k as f64 * 34.0;
            let w = (bar_w * *v as f64 / max).max(2.0);
            let _ = write!(
                svg,
                r##"<rect x="{x0}" y="{by:.1}" width="{w:.1}" height="28" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="slide-bar-value" font-size="24" font-weight="bold" fill="#1a1a1a">{}</text>"##,
                x0 + w + 10.0,
                by + 22.0,
                xml_escape(&n(*v as f64))
            );
        }
        let over = j.overcount_percent.map(|p| super::percent(p, lang)).unwrap_or_else(|| "—".into());
        let line = Message::new("outreach.wb.overcount").with("p", over).text(lang);
        let _ = write!(
            svg,
            r##"<text x="{x0}" y="{:.1}" class="slide-detail" font-size="21" fill="#7f3800">{}</text>"##,
            y + 90.0,
            xml_escape(&line)
        );
        alt.push(format!(
            "{name}, {when}: {sum_label} {}; {sync_label} {}; {line}",
            n(j.sum_of_site_peaks as f64),
            n(j.synchronised_peak as f64)
        ));
    }
    let note = Message::new("outreach.wb.joint_note").text(lang);
    left_text(&mut svg, &note, 40.0, H - 42.0, W - 80.0, 20.0, "#555555", "slide-note");
    stamp(&mut svg, lang, simulated);
    svg.push_str("</svg>");
    Slide { key: format!("waterbirds-joint:{unit}"), title, subtitle, svg, alt: alt.join(" ") }
}

/// The waterbird slides of every complex in `r`: its statements, then the count-together bars.
pub fn waterbird_slides(r: &WaterbirdResult, lang: Lang, simulated: bool) -> WaterbirdSlides {
    let found = findings(r, lang);
    let mut slides = Vec::new();
    for unit in r.units.iter().filter(|u| u.kind == UnitKind::Complex) {
        let mine: Vec<&Finding> = found.iter().filter(|f| f.unit == unit.name).collect();
        // At most three statements a slide, so that each reads in large type.
        for (i, part) in mine.chunks(3).enumerate() {
            let mut slide = criteria_slide(r, &unit.name, part, lang, simulated);
            if i > 0 {
                slide.key = format!("{}:{}", slide.key, i + 1);
            }
            slides.push(slide);
        }
        if mine.is_empty() {
            slides.push(criteria_slide(r, &unit.name, &[], lang, simulated));
        }
        // Most recent season occurrence of each species of the statements (by season order).
        let mut rows: Vec<&JointRow> = Vec::new();
        for f in mine.iter().filter(|f| f.species.is_some()) {
            let latest = r
                .joint
                .iter()
                .filter(|j| j.unit == unit.name && j.season == f.season && Some(&j.species) == f.species.as_ref())
                .max_by(|a, b| a.peak_date.cmp(&b.peak_date));
            rows.extend(latest);
        }
        if rows.is_empty() {
            let mut all: Vec<&JointRow> = r.joint.iter().filter(|j| j.unit == unit.name).collect();
            all.sort_by(|a, b| {
                b.sum_of_site_peaks
                    .saturating_sub(b.synchronised_peak)
                    .cmp(&a.sum_of_site_peaks.saturating_sub(a.synchronised_peak))
            });
            rows = all.into_iter().take(3).collect();
        }
        rows.truncate(4);
        if !rows.is_empty() {
            slides.push(joint_slide(&unit.name, &rows, lang, simulated));
        }
    }
    WaterbirdSlides { lang, simulated, findings: found, slides }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waterbirds::demo::{demo_files, DEMO_SEED};
    use std::collections::BTreeSet;

    fn demo_inputs() -> Vec<InputFile> {
        demo_files(DEMO_SEED)
            .into_iter()
            .filter(|(name, _)| name.ends_with(".csv"))
            .map(|(name, bytes)| InputFile::new(name, bytes))
            .collect()
    }

    fn demo_analysis() -> WaterbirdResult {
        let files = demo_inputs();
        let sites = files.iter().find(|f| f.name.contains("sites")).unwrap().clone();
        let counts: Vec<InputFile> = files.into_iter().filter(|f| !f.name.contains("sites")).collect();
        let seasons = DEFAULT_SEASONS.iter().map(|s| s.parse().unwrap()).collect();
        analyze(&counts, &sites, None, &WaterbirdOptions { seasons, ..Default::default() }).unwrap()
    }

    /// Text content of every `<text>` element of an SVG.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once("</text>")))
            .map(|(t, _)| t.to_string())
            .collect()
    }

    /// Every number written in a text in `lang` (digits joined across the thousands separator:
    /// "," in English and Chinese, a no-break space in Russian, where "," is the decimal mark).
    fn numbers_in(text: &str, lang: Lang) -> Vec<u64> {
        let cleaned: String = if lang == Lang::Ru { text.replace('\u{a0}', "") } else { text.replace(',', "") };
        cleaned.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect()
    }

    fn numbers(text: &str) -> Vec<u64> {
        numbers_in(text, Lang::En)
    }

    #[test]
    fn demo_statements_are_the_complex_rows_that_qualify() {
        let r = demo_analysis();
        let s = waterbird_slides(&r, Lang::En, true);
        // The statements expected, straight from the analysis: complex rows that qualify.
        let want: BTreeSet<(String, String)> = r
            .criterion6
            .iter()
            .filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies)
            .map(|c| (c.species.clone().unwrap(), c.season.clone()))
            .collect();
        let got: BTreeSet<(String, String)> =
            s.findings.iter().filter_map(|f| f.species.clone().map(|sp| (sp, f.season.clone()))).collect();
        assert_eq!(got, want);
        // The demo is built so that these three qualify only as one transboundary site.
        for (sp, season) in [("Platalea minor", "spring"), ("Antigone vipio", "autumn"), ("Anser cygnoides", "autumn")]
        {
            assert!(want.contains(&(sp.to_string(), season.to_string())), "{sp} {season}");
            let f = s.findings.iter().find(|f| f.species.as_deref() == Some(sp) && f.season == season).unwrap();
            assert!(f.only_together, "{sp}: no single wetland qualifies");
            assert!(!r.criterion6.iter().any(|c| c.unit_kind == UnitKind::Site
                && c.species.as_deref() == Some(sp)
                && c.season == season
                && c.qualifies));
        }
        let spoonbill = s.findings.iter().find(|f| f.species.as_deref() == Some("Platalea minor")).unwrap();
        assert_eq!(
            spoonbill.sentence,
            "Together, the Tumen estuary wetlands regularly hold at least 1% of the world population of Black-faced Spoonbill in spring."
        );
        // The figures behind it are the complex's own: threshold 70 (IBSC 2025), seasons reached.
        let row = r
            .criterion6
            .iter()
            .find(|c| {
                c.unit == "Tumen estuary" && c.species.as_deref() == Some("Platalea minor") && c.season == "spring"
            })
            .unwrap();
        assert_eq!(row.threshold, 70.0);
        let reached = row.peaks.values().filter(|&&p| p >= 70).count();
        assert!(
            spoonbill.detail.contains(&format!("in {reached} of {} seasons", row.peaks.len())),
            "{}",
            spoonbill.detail
        );
        // Criterion 5: the complex's autumn total (the demo's design), as its own statement.
        let c5: Vec<&Finding> = s.findings.iter().filter(|f| f.species.is_none()).collect();
        let want5: Vec<&String> = r
            .criterion5
            .iter()
            .filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies)
            .map(|c| &c.season)
            .collect();
        assert_eq!(c5.iter().map(|f| &f.season).collect::<Vec<_>>(), want5);
        assert!(want5.contains(&&"autumn".to_string()));
        // Statement slides (three statements each) and one count-together slide for the one
        // complex, all SIMULATED.
        assert_eq!(s.slides.len(), s.findings.len().div_ceil(3) + 1);
        assert!(s.slides.iter().all(|sl| sl.svg.contains("SIMULATED")));
        let statements = texts(&s.slides[0].svg).join(" ");
        assert!(statements.contains("Black-faced Spoonbill") && statements.contains("White-naped Crane"));
    }

    #[test]
    fn no_site_level_count_appears() {
        let r = demo_analysis();
        // Every number the slides may show: the complex's levels, reached/seasons counts, means,
        // synchronised peaks and sums of site peaks, over-count percentages, years and 1/20,000.
        let mut allowed: BTreeSet<u64> = [1, 5, 20_000].into_iter().collect();
        for c in r.criterion6.iter().chain(&r.criterion5).filter(|c| c.unit_kind == UnitKind::Complex) {
            allowed.extend([c.threshold as u64, c.two_thirds.reached as u64, c.two_thirds.seasons as u64]);
            allowed.extend(c.five_year_mean.as_ref().map(|m| m.mean.round() as u64));
            allowed.extend(c.threshold_year.map(|y| y as u64));
        }
        for j in &r.joint {
            allowed.extend([j.sum_of_site_peaks, j.synchronised_peak]);
            allowed.extend(numbers(&j.label));
            // Percent with one decimal, e.g. "23.4%": both parts are numbers of the text.
            allowed.extend(j.overcount_percent.map(|p| numbers(&format!("{p:.1}"))).unwrap_or_default());
        }
        let site_counts: BTreeSet<u64> = r
            .criterion6
            .iter()
            .filter(|c| c.unit_kind == UnitKind::Site)
            .flat_map(|c| c.peaks.values().copied())
            .chain(r.joint.iter().flat_map(|j| j.site_peaks.iter().map(|s| s.1)))
            .collect();
        for lang in [Lang::En, Lang::Ru, Lang::Zh] {
            let s = waterbird_slides(&r, lang, true);
            for sl in &s.slides {
                for t in texts(&sl.svg) {
                    for n in numbers_in(&t, lang) {
                        assert!(allowed.contains(&n), "{lang:?}: {n} in {t:?} is not a complex-level figure");
                    }
                }
            }
        }
        // And the site peaks are numbers the check above would catch (not all also complex figures).
        assert!(site_counts.iter().any(|v| !allowed.contains(v)));
    }

    #[test]
    fn files_are_found_by_name_and_simulated_by_file_name() {
        let opts = WaterbirdSlideOptions { lang: Lang::Zh, ..Default::default() };
        let s = waterbird_slides_from_files(demo_inputs(), &opts).unwrap();
        assert!(s.simulated);
        let r = demo_analysis();
        let n = r.criterion6.iter().filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies).count()
            + r.criterion5.iter().filter(|c| c.unit_kind == UnitKind::Complex && c.qualifies).count();
        assert_eq!(s.findings.len(), n);
        assert!(s.findings.iter().any(|f| f.sentence.contains("黑脸琵鹭") && f.sentence.starts_with("春季")));
        let without_sites: Vec<InputFile> = demo_inputs().into_iter().filter(|f| !f.name.contains("sites")).collect();
        let e = waterbird_slides_from_files(without_sites, &opts).unwrap_err();
        assert_eq!(e.message.code, "outreach.wb.no_sites");
        let bad = WaterbirdSlideOptions { seasons: vec!["spring".into()], ..Default::default() };
        assert!(waterbird_slides_from_files(demo_inputs(), &bad).is_err());
    }
}
