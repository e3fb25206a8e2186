//! Public outreach exports: only what the privacy module has generalised.
//!
//! Every function here takes [`PublicRecords`], which only [`crate::privacy::generalise`] can
//! make: slides (SVG maps of generalised cells over the Natural Earth basemap, and the key
//! numbers in large type), the key numbers formatted for a language, a GeoJSON
//! FeatureCollection of the cells and a Darwin Core occurrence CSV.
//!
//! ```
//! use borderless::{pipeline::{analyze_files, AnalysisOptions}, outreach, privacy};
//! let a = analyze_files(Vec::new(), &AnalysisOptions::default(), &mut |_| {});
//! let public = privacy::generalise(&a, &privacy::PrivacyOptions::default()).unwrap();
//! let geojson: serde_json::Value = serde_json::from_str(&outreach::geojson(&public)).unwrap();
//! assert_eq!(geojson["features"].as_array().unwrap().len(), 0);
//! ```

pub mod report;
pub mod waterbird_slides;

use crate::io::topojson::Country;
use crate::model::country::country_name;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::species::{self, Sensitivity};
use crate::model::LatLon;
use crate::privacy::{GeneralisedCell, Grid, PrivacyOptions, PublicRecords};
use crate::render::maps::{basemap_layer, border_layer, xml_escape, Rect, View};
use crate::spatial::web_mercator;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Options of the outreach view, as one serde struct (the same JSON in the CLI and the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutreachOptions {
    /// Cell size (km) of the equal-area grid of the most sensitive species (default 10).
    pub grid_km: f64,
    /// Cells with fewer records are hidden (default 3).
    pub min_records: usize,
    /// Language of the slides, numbers and statement.
    pub lang: Lang,
}

impl Default for OutreachOptions {
    fn default() -> Self {
        let p = PrivacyOptions::default();
        OutreachOptions { grid_km: p.grid_km, min_records: p.min_records, lang: Lang::En }
    }
}

impl OutreachOptions {
    /// The privacy part of the options.
    pub fn privacy(&self) -> PrivacyOptions {
        PrivacyOptions { grid_km: self.grid_km, min_records: self.min_records }
    }
}

/// One slide: an SVG drawn only from generalised data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slide {
    pub key: String,
    pub title: String,
    pub subtitle: String,
    pub svg: String,
    pub alt: String,
}

/// One key number, formatted for the language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyNumber {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// Everything the outreach page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutreachView {
    pub lang: Lang,
    pub slides: Vec<Slide>,
    pub numbers: Vec<KeyNumber>,
    /// The human-readable generalisation statement.
    pub generalisation: String,
    /// What is shown and what is not, in numbers that add up (for the kiosk's footer).
    pub shown_and_withheld: String,
}

/// The key numbers: unique individuals, individuals per country, their sum, transboundary
/// individuals and the over-count of adding national counts.
pub fn key_numbers(p: &PublicRecords, lang: Lang) -> Vec<KeyNumber> {
    let n = p.numbers();
    let int = |x: usize| lang.number(x as f64, 0);
    let say = |m: Message| m.text(lang);
    let mut out = vec![KeyNumber {
        key: "unique".into(),
        label: say(Message::new("outreach.number.unique")),
        value: int(n.unique_individuals),
    }];
    for (c, count) in &n.national_counts {
        out.push(KeyNumber {
            key: format!("national:{c}"),
            label: say(Message::new("outreach.number.national").with("c", c)),
            value: int(*count),
        });
    }
    out.push(KeyNumber {
        key: "sum_national".into(),
        label: say(Message::new("outreach.number.sum")),
        value: int(n.sum_of_national_counts),
    });
    out.push(KeyNumber {
        key: "transboundary".into(),
        label: say(Message::new("outreach.number.transboundary")),
        value: int(n.transboundary_individuals),
    });
    out.push(KeyNumber {
        key: "overcount".into(),
        label: say(Message::new("outreach.number.overcount")),
        value: n.overcount_percent.map(|x| percent(x, lang)).unwrap_or_else(|| "—".into()),
    });
    out
}

/// A country's name in `lang` from its ISO 3166-1 alpha-2 code (catalogs and sites are often named
/// by one); anything else is returned as given.
fn country_of_code(code: &str, lang: Lang) -> String {
    let english = match code.trim().to_uppercase().as_str() {
        "CN" => "China",
        "KP" => "North Korea",
        "KR" => "South Korea",
        "RU" => "Russia",
        "MN" => "Mongolia",
        "JP" => "Japan",
        _ => return code.to_string(),
    };
    country_name(english, lang)
}

fn percent(x: f64, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{}\u{a0}%", lang.number(x, 1)),
        _ => format!("{}%", lang.number(x, 1)),
    }
}

const W: f64 = 1280.0;
const H: f64 = 720.0;
const MAP_TOP: f64 = 150.0;
const MAP_BOTTOM: f64 = 660.0;
const MAP_LEFT: f64 = 40.0;
const MAP_RIGHT: f64 = 1240.0;
/// The map area of a slide.
const MAP_AREA: Rect = (MAP_LEFT, MAP_TOP, MAP_RIGHT, MAP_BOTTOM);

fn svg_open(svg: &mut String, lang: Lang, title: &str, subtitle: &str) {
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" lang="{}" class="outreach-slide" font-family="sans-serif"><rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##,
        lang.bcp47()
    );
    // The title at 44 px, smaller where it would not fit the slide's width; the subtitle at 24 px
    // on one line, or at 20 (then 17) px on two lines where it is longer. The measured widths get
    // a margin: bold text runs ~10% wider than the measured regular text, and Cyrillic and Hangul
    // in the viewer's font up to ~20% wider than measured.
    let avail = W - 80.0;
    let width = |text: &str, size: f64| crate::render::charts::measure_text(text, size * 1.24).0 as f64;
    let title_w = width(title, 44.0) * 1.25;
    let title_size = if title_w > avail { (44.0 * avail / title_w).floor().max(22.0) } else { 44.0 };
    let _ = write!(
        svg,
        r##"<text x="40" y="70" class="slide-title" font-size="{title_size}" font-weight="bold" fill="#1a1a1a">{}</text>"##,
        xml_escape(title)
    );
    let (size, lines) = if width(subtitle, 24.0) * 1.2 <= avail {
        (24.0, vec![subtitle.to_string()])
    } else {
        let two = wrap_lines(subtitle, avail / 1.2, 20.0);
        if two.len() <= 2 {
            (20.0, two)
        } else {
            (17.0, wrap_lines(subtitle, avail / 1.2, 17.0))
        }
    };
    let y0 = if lines.len() > 1 { 105.0 } else { 115.0 };
    for (i, l) in lines.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="40" y="{:.1}" class="slide-subtitle" font-size="{size}" fill="#444444">{}</text>"##,
            y0 + i as f64 * size * 1.2,
            xml_escape(l)
        );
    }
}

/// The SIMULATED stamp, drawn last (over the map's top-right corner).
fn stamp(svg: &mut String, lang: Lang, simulated: bool) {
    if simulated {
        let stamp = Message::new("render.chart.simulated").text(lang);
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" class="slide-stamp" font-size="26" font-weight="bold" fill="#b00020" stroke="#ffffff" stroke-width="4" paint-order="stroke">{}</text>"##,
            MAP_RIGHT - 12.0,
            MAP_TOP + 36.0,
            xml_escape(&stamp)
        );
    }
}

/// The numbers slide: the key numbers in large type.
fn numbers_slide(p: &PublicRecords, lang: Lang) -> Slide {
    let nums = key_numbers(p, lang);
    let get = |k: &str| nums.iter().find(|n| n.key == k).cloned();
    let n = p.numbers();
    let int = |x: usize| lang.number(x as f64, 0);
    let title = Message::new("outreach.numbers.title").text(lang);
    let subtitle = Message::new("outreach.numbers.subtitle")
        .with("sum", int(n.sum_of_national_counts))
        .with("unique", int(n.unique_individuals))
        .text(lang);
    let mut svg = String::new();
    svg_open(&mut svg, lang, &title, &subtitle);
    let big: Vec<KeyNumber> =
        ["sum_national", "unique", "transboundary", "overcount"].iter().filter_map(|k| get(k)).collect();
    let col_w = (W - 80.0) / big.len().max(1) as f64;
    // One size for all numbers: the largest (≤ 110 px) at which the widest fits its column
    // (bold digits run ~10% wider than the measured regular ones).
    let widest = big
        .iter()
        .map(|k| crate::render::charts::measure_text(&k.value, 100.0 * 1.24).0 as f64 * 1.1)
        .fold(1.0, f64::max);
    let size = (100.0 * (col_w - 30.0) / widest).min(110.0).floor();
    for (i, k) in big.iter().enumerate() {
        let cx = 40.0 + col_w * (i as f64 + 0.5);
        let _ = write!(
            svg,
            r##"<text x="{cx:.1}" y="380" text-anchor="middle" class="slide-number" font-size="{size}" font-weight="bold" fill="{}">{}</text>"##,
            if k.key == "unique" { "#0072b2" } else { "#d55e00" },
            xml_escape(&k.value)
        );
        wrap_text(&mut svg, &k.label, cx, 440.0, col_w - 30.0, 26.0, "slide-number-label");
    }
    // "Individuals counted in China: 30 · … in Russia: 34": what each national number counts.
    let national: Vec<String> = nums
        .iter()
        .filter(|k| k.key.starts_with("national:"))
        .map(|k| {
            let c = country_of_code(&k.key["national:".len()..], lang);
            format!("{}: {}", Message::new("outreach.number.national").with("c", c).text(lang), k.value)
        })
        .collect();
    let _ = write!(
        svg,
        r##"<text x="{}" y="600" text-anchor="middle" class="slide-note" font-size="30" fill="#333333">{}</text>"##,
        W / 2.0,
        xml_escape(&national.join("  ·  "))
    );
    stamp(&mut svg, lang, p.simulated());
    svg.push_str("</svg>");
    let alt = nums.iter().map(|k| format!("{}: {}", k.label, k.value)).collect::<Vec<_>>().join("; ");
    Slide { key: "numbers".into(), title, subtitle, svg, alt }
}

/// Text centred at `cx`, wrapped to `width` px with [`crate::render::charts::measure_text`].
fn wrap_text(svg: &mut String, text: &str, cx: f64, y: f64, width: f64, size: f64, class: &str) {
    for (i, l) in wrap_lines(text, width, size).iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="{class}" font-size="{size}" fill="#333333">{}</text>"##,
            y + i as f64 * size * 1.25,
            xml_escape(l)
        );
    }
}

/// `text` broken into lines no wider than `width` px at font size `size` (words, or characters
/// in CJK text), measured with [`crate::render::charts::measure_text`].
fn wrap_lines(text: &str, width: f64, size: f64) -> Vec<String> {
    let measure = |s: &str| crate::render::charts::measure_text(s, size * 1.24).0 as f64;
    let mut lines: Vec<String> = Vec::new();
    let cjk = text.chars().any(|c| c as u32 >= 0x2E80);
    let tokens: Vec<String> =
        if cjk { text.chars().map(String::from).collect() } else { text.split(' ').map(String::from).collect() };
    let joiner = if cjk { "" } else { " " };
    let mut cur = String::new();
    for t in tokens {
        let cand = if cur.is_empty() { t.clone() } else { format!("{cur}{joiner}{t}") };
        if measure(&cand) > width && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, t));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Cells of one species merged over seasons and countries: cell → records.
fn merged_cells<'a>(cells: impl Iterator<Item = &'a GeneralisedCell>) -> BTreeMap<(i64, i64), (Grid, usize)> {
    let mut out: BTreeMap<(i64, i64), (Grid, usize)> = BTreeMap::new();
    for c in cells {
        out.entry(c.cell()).or_insert((c.grid(), 0)).1 += c.records();
    }
    out
}

/// One map slide: the cells of one species over the basemap and the border.
fn map_slide(p: &PublicRecords, species_name: &str, countries: &[Country], lang: Lang) -> Slide {
    let cells = merged_cells(p.cells().iter().filter(|c| c.species() == species_name));
    let name = if species_name.is_empty() {
        Message::new("privacy.unnamed_species").text(lang)
    } else {
        species::common_name(species_name, lang)
    };
    let title = Message::new("outreach.map.title").with("s", name.as_str()).text(lang);
    let grid = cells.values().next().map(|g| g.0);
    let grid_text = grid.map(|g| g.describe(lang)).unwrap_or_default();
    let min = lang.number(p.options().min_records as f64, 0);
    let subtitle =
        Message::new("outreach.map.subtitle").with("grid", grid_text.as_str()).with("min", min.as_str()).text(lang);
    let mut svg = String::new();
    svg_open(&mut svg, lang, &title, &subtitle);
    // Frame: the cells' corners only (never the stations), padded; at least ~4 cells wide.
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for (&cell, &(g, _)) in &cells {
        pts.extend(g.corners(cell).iter().map(|c| web_mercator(*c)));
    }
    if pts.is_empty() {
        pts.extend(p.border().iter().flatten().map(|c| web_mercator(LatLon { lat: c[1], lon: c[0] })));
    }
    if pts.is_empty() {
        pts.push(web_mercator(crate::privacy::LAEA_ORIGIN));
    }
    let (mut x0, mut y0, mut x1, mut y1) = pts
        .iter()
        .fold((f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY), |(a, b, c, d), &(x, y)| {
            (a.min(x), b.min(y), c.max(x), d.max(y))
        });
    let pad = ((x1 - x0).max(y1 - y0) * 0.2).max(40_000.0);
    x0 -= pad;
    y0 -= pad;
    x1 += pad;
    y1 += pad;
    let view = View::fit(x0, y0, x1, y1, MAP_AREA);
    let _ = write!(
        svg,
        r##"<defs><clipPath id="map-area"><rect x="{MAP_LEFT}" y="{MAP_TOP}" width="{}" height="{}"/></clipPath></defs><rect x="{MAP_LEFT}" y="{MAP_TOP}" width="{}" height="{}" fill="#dfeaf2"/><g clip-path="url(#map-area)">"##,
        MAP_RIGHT - MAP_LEFT,
        MAP_BOTTOM - MAP_TOP,
        MAP_RIGHT - MAP_LEFT,
        MAP_BOTTOM - MAP_TOP
    );
    // Basemap (public geography), culled and clipped to the map area; the international border.
    basemap_layer(&mut svg, countries, &view, view.latlon_bounds(MAP_AREA), MAP_AREA, 1.0, lang);
    border_layer(&mut svg, p.border(), &view, 3.0, "10 5");
    // Cells, drawn in data space (Web Mercator metres of the cell corners).
    let max = cells.values().map(|c| c.1).max().unwrap_or(1) as f64;

    let _ = write!(svg, r#"<g data-layer="cells" transform="{}">"#, view.matrix());
    for (&cell, &(g, n)) in &cells {
        let pts: Vec<String> = g
            .corners(cell)
            .iter()
            .map(|c| {
                let (x, y) = web_mercator(*c);
                format!("{x:.2},{y:.2}")
            })
            .collect();
        let _ = write!(
            svg,
            r##"<polygon class="cell" points="{}" fill="#d55e00" fill-opacity="{:.2}" stroke="#7f3800" stroke-width="1.2" vector-effect="non-scaling-stroke"><title>{}</title></polygon>"##,
            pts.join(" "),
            0.35 + 0.6 * n as f64 / max,
            xml_escape(&Message::new("outreach.map.cell_records").with("n", lang.number(n as f64, 0)).text(lang))
        );
    }
    svg.push_str("</g>");
    country_labels(&mut svg, countries, &view, lang);
    svg.push_str("</g>");
    scale_bar(&mut svg, &view, lang);
    let _ = write!(
        svg,
        r##"<rect x="{MAP_LEFT}" y="{MAP_TOP}" width="{}" height="{}" fill="none" stroke="#666666" stroke-width="1"/>"##,
        MAP_RIGHT - MAP_LEFT,
        MAP_BOTTOM - MAP_TOP
    );
    map_legend(&mut svg, &grid_text, lang);
    stamp(&mut svg, lang, p.simulated());
    svg.push_str("</svg>");
    let total: usize = cells.values().map(|c| c.1).sum();
    let alt = Message::new("outreach.map.alt")
        .with("s", name.as_str())
        .with("n", lang.number(cells.len() as f64, 0))
        .with("grid", grid_text.as_str())
        .with("r", lang.number(total as f64, 0))
        .with("min", min.as_str())
        .text(lang);
    Slide { key: format!("map:{species_name}"), title, subtitle, svg, alt }
}

/// Country names (in `lang`) at a point inside each country's part of the map area, where the
/// name fits; a white halo keeps them readable over cells and the border.
fn country_labels(svg: &mut String, countries: &[Country], view: &View, lang: Lang) {
    use geo::{Area, BooleanOps, BoundingRect, InteriorPoint};
    let inset: Rect = (MAP_LEFT + 30.0, MAP_TOP + 30.0, MAP_RIGHT - 30.0, MAP_BOTTOM - 30.0);
    let (lon0, lon1, lat0, lat1) = view.latlon_bounds(inset);
    let frame = geo::MultiPolygon::new(vec![geo::Rect::new(
        geo::Coord { x: lon0.min(lon1), y: lat0.min(lat1) },
        geo::Coord { x: lon0.max(lon1), y: lat0.max(lat1) },
    )
    .to_polygon()]);
    let size = 28.0;
    for c in countries {
        let Some(bb) = c.shape.bounding_rect() else { continue };
        if bb.max().x < lon0 || bb.min().x > lon1 || bb.max().y < lat0 || bb.min().y > lat1 {
            continue;
        }
        let part = c.shape.intersection(&frame);
        let Some(largest) = part.0.iter().max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area())) else {
            continue;
        };
        let (Some(p), Some(r)) = (largest.interior_point(), largest.bounding_rect()) else { continue };
        let name = country_name(&c.name, lang);
        let (x, y) = view.px(LatLon { lat: p.y(), lon: p.x() });
        let (xa, _) = view.px(LatLon { lat: r.min().y, lon: r.min().x });
        let (xb, _) = view.px(LatLon { lat: r.max().y, lon: r.max().x });
        let width = crate::render::charts::measure_text(&name, size * 1.24).0 as f64;
        if (xb - xa).abs() < width * 0.8 {
            continue;
        }
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" class="slide-country" font-size="{size}" font-weight="bold" fill="#5a5a5a" fill-opacity="0.85" stroke="#ffffff" stroke-width="5" paint-order="stroke" letter-spacing="1">{}</text>"##,
            xml_escape(&name)
        );
    }
}

/// A scale bar in the map area's lower right corner (ground kilometres at the map's centre).
fn scale_bar(svg: &mut String, view: &View, lang: Lang) {
    let (lon0, lon1, lat0, lat1) = view.latlon_bounds(MAP_AREA);
    let mid = LatLon { lat: (lat0 + lat1) / 2.0, lon: (lon0 + lon1) / 2.0 };
    let (xa, _) = view.px(mid);
    let (xb, _) = view.px(LatLon { lat: mid.lat, lon: mid.lon + 1.0 });
    // Ground km per pixel along the parallel: 111.32 km per degree × cos φ.
    let km_per_px = 111.32 * mid.lat.to_radians().cos() / (xb - xa).abs().max(1e-9);
    let km = crate::render::maps::nice_km(200.0 * km_per_px);
    let bar = km / km_per_px;
    let (x1, y) = (MAP_RIGHT - 24.0, MAP_BOTTOM - 24.0);
    let x0 = x1 - bar;
    let label = Message::new("render.map.km").with("km", lang.number(km, 0)).text(lang);
    let _ = write!(
        svg,
        r##"<g class="slide-scale"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="52" fill="#ffffff" fill-opacity="0.9"/><path d="M{x0:.1},{:.1} V{y:.1} H{x1:.1} V{:.1}" fill="none" stroke="#222222" stroke-width="3"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="22" fill="#222222">{}</text></g>"##,
        x0 - 14.0,
        y - 40.0,
        bar + 28.0,
        y - 10.0,
        y - 10.0,
        (x0 + x1) / 2.0,
        y - 16.0,
        xml_escape(&label)
    );
}

/// The legend under the map: a cell swatch with one sentence on the grid, and the border.
fn map_legend(svg: &mut String, grid_text: &str, lang: Lang) {
    let cells = Message::new("outreach.map.legend_cells").with("grid", grid_text).text(lang);
    let border = Message::new("outreach.map.legend_border").text(lang);
    let x_text = 40.0 + 34.0;
    let w_cells = crate::render::charts::measure_text(&cells, 22.0 * 1.24).0 as f64;
    let xb = x_text + w_cells + 36.0;
    let _ = write!(
        svg,
        r##"<g class="slide-legend"><rect x="40" y="680" width="24" height="24" fill="#d55e00" fill-opacity="0.7" stroke="#7f3800"/><text x="{x_text}" y="700" font-size="22" fill="#333333">{}</text><line x1="{xb:.1}" y1="692" x2="{:.1}" y2="692" stroke="#7a1f1f" stroke-width="3" stroke-dasharray="10 5"/><text x="{:.1}" y="700" font-size="22" fill="#333333">{}</text></g>"##,
        xml_escape(&cells),
        xb + 40.0,
        xb + 50.0,
        xml_escape(&border)
    );
}

/// The outreach view: the numbers slide, then one map slide per species with published cells
/// (most sensitive first, then by records); one empty map when no cell can be shown.
pub fn outreach_view(p: &PublicRecords, countries: &[Country], lang: Lang) -> OutreachView {
    let mut slides = vec![numbers_slide(p, lang)];
    let rank = |s: Sensitivity| match s {
        Sensitivity::Withhold { .. } | Sensitivity::Suppress => 0,
        Sensitivity::Generalise01 => 1,
        Sensitivity::Generalise001 => 2,
        Sensitivity::Open => 3,
    };
    let mut shown: Vec<_> = p.species().iter().filter(|s| s.records_shown > 0).collect();
    shown.sort_by(|a, b| rank(a.sensitivity).cmp(&rank(b.sensitivity)).then(b.records_shown.cmp(&a.records_shown)));
    if shown.is_empty() {
        slides.push(map_slide(p, "", countries, lang));
    }
    for s in shown {
        slides.push(map_slide(p, &s.species, countries, lang));
    }
    OutreachView {
        lang,
        slides,
        numbers: key_numbers(p, lang),
        generalisation: p.statement(lang),
        shown_and_withheld: p.shown_and_withheld(lang),
    }
}

fn coord(x: f64) -> serde_json::Value {
    // Six decimals (0.1 m): far finer than any cell, so the printed point stays a centre/corner.
    serde_json::Value::from((x * 1e6).round() / 1e6)
}

/// A GeoJSON FeatureCollection: one Polygon feature per published unit (species × cell ×
/// season × country), with the cell's corners as its only coordinates.
pub fn geojson(p: &PublicRecords) -> String {
    let features: Vec<serde_json::Value> = p
        .cells()
        .iter()
        .map(|c| {
            let mut ring: Vec<serde_json::Value> =
                c.corners().iter().map(|k| serde_json::json!([coord(k.lon), coord(k.lat)])).collect();
            ring.push(ring[0].clone());
            let mut props = serde_json::json!({
                "scientificName": c.species(),
                "vernacularName": if c.species().is_empty() { String::new() } else { species::common_name(c.species(), Lang::En) },
                "eventDate": c.season().event_date(),
                "country": c.country(),
                "records": c.records(),
                "individuals": c.individuals(),
                "grid": c.grid().describe(Lang::En),
                "coordinateUncertaintyInMeters": c.uncertainty_m(),
                "dataGeneralizations": c.data_generalizations(),
                "informationWithheld": c.information_withheld(p.options().min_records),
            });
            if !c.sensitivity().withholds_individuals() {
                props["individualIDs"] = serde_json::json!(c.individual_ids());
            }
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [ring] },
                "properties": props,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "type": "FeatureCollection", "features": features }))
        .expect("JSON values always serialise")
}

/// ISO 3166-1 alpha-2 code of a catalog named by one (`CN`, `ru`), else empty.
fn country_code(catalog: &str) -> String {
    let t = catalog.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        t.to_ascii_uppercase()
    } else {
        String::new()
    }
}

/// The Darwin Core occurrence CSV: one row per published unit, at the cell centre.
pub fn darwin_core_csv(p: &PublicRecords, lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "occurrenceID",
        "basisOfRecord",
        "scientificName",
        "vernacularName",
        "eventDate",
        "decimalLatitude",
        "decimalLongitude",
        "geodeticDatum",
        "coordinateUncertaintyInMeters",
        "dataGeneralizations",
        "informationWithheld",
        "individualCount",
        "countryCode",
    ];
    w.write_record(header).expect("writing to memory");
    for c in p.cells() {
        let centre = c.centre();
        let grid = match c.grid() {
            Grid::EqualArea { cell_m } => format!("laea{}m", cell_m),
            Grid::Degrees { step_deg } => format!("deg{}", step_deg),
        };
        let slug = if c.species().is_empty() { "unknown".to_string() } else { c.species().replace(' ', "_") };
        let (i, j) = c.cell();
        let id = format!("borderless:{slug}:{grid}:{i}:{j}:{}:{}", c.season().event_date(), c.country());
        w.write_record([
            id,
            "MachineObservation".into(),
            c.species().to_string(),
            if c.species().is_empty() { String::new() } else { species::common_name(c.species(), lang) },
            c.season().event_date(),
            format!("{:.6}", centre.lat),
            format!("{:.6}", centre.lon),
            "WGS84".into(),
            format!("{:.0}", c.uncertainty_m()),
            c.data_generalizations(),
            c.information_withheld(p.options().min_records),
            c.individuals().to_string(),
            country_code(c.country()),
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}
