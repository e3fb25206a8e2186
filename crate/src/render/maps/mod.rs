//! The expert map, written as SVG: Natural Earth country outlines, the border, camera stations
//! coloured by catalog (area ∝ detections), one dot per detection around its station, and the
//! movement lines of transboundary individuals; legend, scale bar and north arrow.
//!
//! It shows exact station positions and is for the expert view only. Display projection: Web
//! Mercator ([`crate::spatial::projection`]); the scale bar is corrected for latitude.
//!
//! The interactive map is [`scene::MapScene`] (layers projected once, drawn per view by the
//! [`raster`] rasteriser, picked through a grid index, printed as SVG).
//! It draws no text through plotters, so it runs in a Web Worker too.

use crate::estimation::catalog_secr::CatalogSecr;
use crate::identity::summary::Analysis;
use crate::io::topojson::Country;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::render::charts::catalog_colour;
use crate::spatial::projection::web_mercator_forward as web_mercator;
use geo::BoundingRect;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

pub mod raster;
pub mod scene;
pub mod sites;

/// Size, language and wording of the map. The words come from the message catalogue in
/// `lang`; a text given here replaces its catalogue entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapOptions {
    pub width: f64,
    pub height: f64,
    pub lang: Lang,
    pub title: Option<String>,
    pub simulated_note: Option<String>,
    pub font: String,
    /// Labels of the legend entries: stations (per catalog, prefixed), border, detections, movements.
    pub legend_border: Option<String>,
    pub legend_detection: Option<String>,
    pub legend_movement: Option<String>,
    pub legend_stations: Option<String>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            width: 900.0,
            height: 700.0,
            lang: Lang::En,
            title: None,
            simulated_note: None,
            font: "sans-serif".into(),
            legend_border: None,
            legend_detection: None,
            legend_movement: None,
            legend_stations: None,
        }
    }
}

impl MapOptions {
    /// `given`, or the catalogue's `code` in the map's language.
    fn word(&self, given: &Option<String>, code: &str) -> String {
        given.clone().unwrap_or_else(|| Message::new(code).text(self.lang))
    }

    /// A message in the map's language.
    fn say(&self, m: Message) -> String {
        m.text(self.lang)
    }
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A screen rectangle in pixels: left, top, right, bottom.
pub(crate) type Rect = (f64, f64, f64, f64);

/// The screen transform of an SVG map: Web Mercator metres to pixels (y down).
pub(crate) struct View {
    x0: f64,
    y1: f64,
    scale: f64,
    ox: f64,
    oy: f64,
}

impl View {
    /// A view showing the Web Mercator box `(x0, y0, x1, y1)` whole and centred in `rect`.
    pub(crate) fn fit(x0: f64, y0: f64, x1: f64, y1: f64, rect: Rect) -> View {
        let (w, h) = (rect.2 - rect.0, rect.3 - rect.1);
        let scale = (w / (x1 - x0)).min(h / (y1 - y0));
        let ox = rect.0 + (w - (x1 - x0) * scale) / 2.0;
        let oy = rect.1 + (h - (y1 - y0) * scale) / 2.0;
        View { x0, y1, scale, ox, oy }
    }

    pub(crate) fn px(&self, p: LatLon) -> (f64, f64) {
        let (x, y) = web_mercator(p);
        (self.ox + (x - self.x0) * self.scale, self.oy + (self.y1 - y) * self.scale)
    }

    /// The SVG `transform` that maps Web Mercator metres to pixels (for drawing in data space).
    pub(crate) fn matrix(&self) -> String {
        format!(
            "matrix({} 0 0 {} {} {})",
            self.scale,
            -self.scale,
            self.ox - self.x0 * self.scale,
            self.oy + self.y1 * self.scale
        )
    }

    /// Geographic bounds (lon0, lon1, lat0, lat1) of the screen rectangle `rect`.
    pub(crate) fn latlon_bounds(&self, rect: Rect) -> (f64, f64, f64, f64) {
        let r = 6_378_137.0;
        let lon = |px: f64| ((self.x0 + (px - self.ox) / self.scale) / r).to_degrees();
        let lat = |py: f64| {
            let v = (self.y1 - (py - self.oy) / self.scale) / r;
            (2.0 * v.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
        };
        (lon(rect.0), lon(rect.2), lat(rect.3), lat(rect.1))
    }
}

/// Country outlines of the basemap as one `<g data-layer="basemap">`: polygons outside the
/// geographic `bounds` (lon0, lon1, lat0, lat1) are skipped, the others clipped to `rect`.
pub(crate) fn basemap_layer(
    svg: &mut String,
    countries: &[Country],
    view: &View,
    bounds: (f64, f64, f64, f64),
    rect: Rect,
    stroke_width: f64,
    lang: Lang,
) {
    let (lon0, lon1, lat0, lat1) = bounds;
    svg.push_str(r#"<g data-layer="basemap">"#);
    for c in countries {
        let mut d = String::new();
        for poly in &c.shape.0 {
            let Some(bb) = poly.bounding_rect() else { continue };
            if bb.max().x < lon0 || bb.min().x > lon1 || bb.max().y < lat0 || bb.min().y > lat1 {
                continue;
            }
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let screen: Vec<(f64, f64)> = ring.0.iter().map(|c| view.px(LatLon { lat: c.y, lon: c.x })).collect();
                let clipped = clip_ring(&screen, rect);
                if clipped.len() >= 3 {
                    d.push_str(&path_d(&clipped, true));
                }
            }
        }
        if !d.is_empty() {
            let _ = write!(
                svg,
                r##"<path d="{d}" fill="#f4f1e8" stroke="#9a9a9a" stroke-width="{stroke_width}" fill-rule="evenodd"><title>{}</title></path>"##,
                xml_escape(&crate::model::country::country_name(&c.name, lang))
            );
        }
    }
    svg.push_str("</g>");
}

/// The international border, `[[lon, lat], …]` per line, as one `<g data-layer="border">` of
/// dashed lines `width` px wide with dashes of `dash` (an SVG dash array).
pub(crate) fn border_layer(svg: &mut String, border: &[Vec<[f64; 2]>], view: &View, width: f64, dash: &str) {
    svg.push_str(r#"<g data-layer="border">"#);
    for line in border {
        let screen: Vec<(f64, f64)> = line.iter().map(|c| view.px(LatLon { lat: c[1], lon: c[0] })).collect();
        let _ = write!(
            svg,
            r##"<path d="{}" fill="none" stroke="#7a1f1f" stroke-width="{width}" stroke-dasharray="{dash}" stroke-linejoin="round"/>"##,
            path_d(&screen, false)
        );
    }
    svg.push_str("</g>");
}

/// Sutherland–Hodgman clipping of a closed ring to the rectangle `rect`.
fn clip_ring(ring: &[(f64, f64)], rect: Rect) -> Vec<(f64, f64)> {
    let (x0, y0, x1, y1) = rect;
    // Edge k of the rectangle: x ≥ x0, x ≤ x1, y ≥ y0, y ≤ y1.
    let inside = |k: usize, p: (f64, f64)| match k {
        0 => p.0 >= x0,
        1 => p.0 <= x1,
        2 => p.1 >= y0,
        _ => p.1 <= y1,
    };
    let cross = |k: usize, a: (f64, f64), b: (f64, f64)| -> (f64, f64) {
        let t = match k {
            0 => (x0 - a.0) / (b.0 - a.0),
            1 => (x1 - a.0) / (b.0 - a.0),
            2 => (y0 - a.1) / (b.1 - a.1),
            _ => (y1 - a.1) / (b.1 - a.1),
        };
        (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    };
    let mut pts = ring.to_vec();
    for k in 0..4 {
        if pts.is_empty() {
            break;
        }
        let input = std::mem::take(&mut pts);
        for i in 0..input.len() {
            let cur = input[i];
            let prev = input[(i + input.len() - 1) % input.len()];
            match (inside(k, cur), inside(k, prev)) {
                (true, true) => pts.push(cur),
                (true, false) => {
                    pts.push(cross(k, prev, cur));
                    pts.push(cur);
                }
                (false, true) => pts.push(cross(k, prev, cur)),
                (false, false) => {}
            }
        }
    }
    pts
}

/// An SVG path from screen points, to 0.1 px.
pub(crate) fn path_d(pts: &[(f64, f64)], close: bool) -> String {
    let mut d = String::with_capacity(pts.len() * 14);
    for (i, p) in pts.iter().enumerate() {
        let _ = write!(d, "{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, p.0, p.1);
    }
    if close {
        d.push('Z');
    }
    d
}

/// A "nice" scale-bar length (1, 2 or 5 × 10^k km) near `target_km`.
pub(crate) fn nice_km(target_km: f64) -> f64 {
    let p = 10f64.powf(target_km.log10().floor());
    [10.0, 5.0, 2.0, 1.0].iter().map(|m| m * p).find(|v| *v <= target_km).unwrap_or(p)
}

/// A map frame: the SVG canvas, the Web Mercator view fitted to some points, and the drawing
/// of the parts every map shares (background, basemap, border, scale bar, north arrow).
struct Frame {
    w: f64,
    h: f64,
    view: View,
    /// Geographic bounds of the view (lon0, lon1, lat0, lat1), to skip far basemap polygons.
    bounds: (f64, f64, f64, f64),
    centre_lat: f64,
}

fn lat_of(my: f64) -> f64 {
    crate::spatial::projection::web_mercator_inverse(0.0, my).lat
}

impl Frame {
    /// Opens the SVG and fits the view to `pts` (12% padding, at least 2 km); `None` when there
    /// is nothing to show (the SVG then says so and is closed).
    fn open(svg: &mut String, pts: &[LatLon], w: f64, h: f64, title: &str, font: &str, empty: &str) -> Option<Frame> {
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="map-title" font-family="{}">"#,
            xml_escape(font)
        );
        let _ = write!(svg, r#"<title id="map-title">{}</title>"#, xml_escape(title));
        let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="#dcebf5"/>"##);
        if pts.is_empty() {
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="16" fill="#333">{}</text></svg>"##,
                w / 2.0,
                h / 2.0,
                xml_escape(empty)
            );
            return None;
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in pts.iter().map(|p| web_mercator(*p)) {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let pad = ((x1 - x0).max(y1 - y0) * 0.12).max(2000.0);
        let (x0, x1, y0, y1) = (x0 - pad, x1 + pad, y0 - pad, y1 + pad);
        let scale = (w / (x1 - x0)).min(h / (y1 - y0));
        let view = View { x0, y1, scale, ox: (w - (x1 - x0) * scale) / 2.0, oy: (h - (y1 - y0) * scale) / 2.0 };
        let lon_of = |mx: f64| crate::spatial::projection::web_mercator_inverse(mx, 0.0).lon;
        let (vx0, vx1) = (x0 - view.ox / scale, x1 + view.ox / scale);
        let (vy0, vy1) = (y0 - view.oy / scale, y1 + view.oy / scale);
        Some(Frame {
            w,
            h,
            bounds: (lon_of(vx0), lon_of(vx1), lat_of(vy0), lat_of(vy1)),
            centre_lat: lat_of((vy0 + vy1) / 2.0),
            view,
        })
    }

    fn px(&self, p: LatLon) -> (f64, f64) {
        self.view.px(p)
    }

    /// Country outlines, clipped to the frame.
    fn basemap(&self, svg: &mut String, countries: &[Country], lang: Lang) {
        basemap_layer(svg, countries, &self.view, self.bounds, (0.0, 0.0, self.w, self.h), 0.8, lang);
    }

    /// The international border, `[[lon, lat], …]` per line.
    fn border(&self, svg: &mut String, border: &[Vec<[f64; 2]>]) {
        border_layer(svg, border, &self.view, 2.5, "9 4");
    }

    /// Scale bar (ground metres per pixel at the view's centre latitude) and north arrow.
    fn scale_and_north(&self, svg: &mut String, opts: &MapOptions) {
        let (w, h) = (self.w, self.h);
        let m_per_px = self.centre_lat.to_radians().cos() / self.view.scale;
        let km = nice_km(w * 0.2 * m_per_px / 1000.0);
        let bar = km * 1000.0 / m_per_px;
        let (sx, sy) = (w - 24.0 - bar, h - 24.0);
        let _ = write!(
            svg,
            r##"<g data-layer="scalebar"><rect x="{}" y="{}" width="{}" height="30" fill="#ffffff" fill-opacity="0.85"/><line x1="{sx:.1}" y1="{sy}" x2="{:.1}" y2="{sy}" stroke="#222" stroke-width="3"/><line x1="{sx:.1}" y1="{}" x2="{sx:.1}" y2="{}" stroke="#222" stroke-width="2"/><line x1="{:.1}" y1="{}" x2="{:.1}" y2="{}" stroke="#222" stroke-width="2"/><text x="{:.1}" y="{}" text-anchor="middle" font-size="13" fill="#222">{}</text></g>"##,
            sx - 8.0,
            sy - 22.0,
            bar + 16.0,
            sx + bar,
            sy - 5.0,
            sy + 5.0,
            sx + bar,
            sy - 5.0,
            sx + bar,
            sy + 5.0,
            sx + bar / 2.0,
            sy - 8.0,
            xml_escape(&opts.say(Message::new("render.map.km").with("km", km)))
        );
        let (nx, ny) = (w - 36.0, 70.0);
        let _ = write!(
            svg,
            r##"<g data-layer="north"><path d="M{nx},{} L{},{} L{nx},{} L{},{} Z" fill="#222"/><text x="{nx}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">{}</text></g>"##,
            ny - 18.0,
            nx + 8.0,
            ny + 8.0,
            ny + 2.0,
            nx - 8.0,
            ny + 8.0,
            ny - 22.0,
            xml_escape(&opts.say(Message::new("render.map.north")))
        );
    }

    /// Title bar, and the SIMULATED stamp when `simulated`.
    fn title(&self, svg: &mut String, title: &str, simulated: Option<&str>) {
        let _ = write!(
            svg,
            r##"<rect x="8" y="8" width="{}" height="30" fill="#ffffff" fill-opacity="0.85"/><text x="16" y="29" font-size="17" font-weight="bold" fill="#222">{}</text>"##,
            self.w - 16.0,
            xml_escape(title)
        );
        if let Some(note) = simulated {
            let _ = write!(
                svg,
                r##"<text x="{}" y="29" text-anchor="end" font-size="15" font-weight="bold" fill="#b00020" data-simulated="1">{}</text>"##,
                self.w - 16.0,
                xml_escape(note)
            );
        }
    }

    /// A legend box at the bottom left: (symbol centred at 0,0, label) per row.
    fn legend(&self, svg: &mut String, rows: &[(String, String)]) {
        let lh = 19.0;
        let (lx, ly) = (12.0, self.h - 16.0 - rows.len() as f64 * lh);
        // 13 px labels, measured as the charts measure text (plotters size = px × 1.24).
        let width = rows.iter().map(|(_, l)| crate::render::charts::measure_text(l, 13.0 * 1.24).0).max().unwrap_or(0)
            as f64
            + 40.0;
        let _ = write!(
            svg,
            r##"<rect x="{lx}" y="{}" width="{width}" height="{}" fill="#ffffff" fill-opacity="0.9" stroke="#888"/>"##,
            ly - 14.0,
            rows.len() as f64 * lh + 8.0
        );
        for (k, (symbol, label)) in rows.iter().enumerate() {
            let y = ly + k as f64 * lh;
            let _ = write!(
                svg,
                r##"<g transform="translate({},{})">{symbol}</g><text x="{}" y="{y}" font-size="13" fill="#222">{}</text>"##,
                lx + 14.0,
                y - 4.0,
                lx + 28.0,
                xml_escape(label)
            );
        }
    }
}

fn station_points(a: &Analysis) -> Vec<LatLon> {
    let mut pts: Vec<LatLon> = a.catalogs.iter().flat_map(|c| c.stations.iter().map(|s| s.position)).collect();
    if pts.is_empty() {
        pts.extend(a.border.iter().flatten().map(|c| LatLon { lat: c[1], lon: c[0] }));
    }
    pts
}

fn station_legend_rows(a: &Analysis, label: &str) -> Vec<(String, String)> {
    a.catalogs
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let col = catalog_colour(ci);
            (
                format!(r##"<circle cx="0" cy="0" r="6" fill="{col}" fill-opacity="0.35" stroke="{col}" stroke-width="1.3"/>"##),
                format!("{label} — {}", c.name),
            )
        })
        .collect()
}

const BORDER_SYMBOL: &str =
    r##"<line x1="-8" y1="0" x2="8" y2="0" stroke="#7a1f1f" stroke-width="2.5" stroke-dasharray="9 4"/>"##;

/// Draws the expert map of an analysis. `countries` are basemap outlines (may be empty).
pub fn expert_map(a: &Analysis, countries: &[Country], opts: &MapOptions) -> String {
    let mut svg = String::new();
    let title = opts.word(&opts.title, "render.map.title");
    let empty = opts.say(Message::new("render.map.no_stations"));
    let Some(frame) = Frame::open(&mut svg, &station_points(a), opts.width, opts.height, &title, &opts.font, &empty)
    else {
        return svg;
    };
    let view = &frame.view;
    frame.basemap(&mut svg, countries, opts.lang);
    frame.border(&mut svg, &a.border);

    // Movement lines of transboundary individuals.
    let _ = write!(svg, r#"<g data-layer="movements">"#);
    let n_ind = a.crossborder.individuals.len();
    let mut tracks: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_ind];
    for d in &a.crossborder.detections {
        let t = &mut tracks[d.individual];
        if t.last() != Some(&(d.catalog, d.station)) {
            t.push((d.catalog, d.station));
        }
    }
    for (i, t) in tracks.iter().enumerate() {
        let ind = &a.crossborder.individuals[i];
        if ind.detections.values().filter(|&&v| v > 0).count() < 2 || t.len() < 2 {
            continue;
        }
        let screen: Vec<(f64, f64)> = t.iter().map(|&(c, s)| view.px(a.catalogs[c].stations[s].position)).collect();
        let _ = write!(
            svg,
            r##"<path d="{}" fill="none" stroke="#6a3d9a" stroke-opacity="0.55" stroke-width="1.6" data-individual="{}"><title>{}</title></path>"##,
            path_d(&screen, false),
            xml_escape(&ind.id),
            xml_escape(&opts.say(Message::new("render.map.movement_tip").with("id", &ind.id).with("n", ind.crossings)))
        );
    }
    svg.push_str("</g>");

    // Stations, sized by detections.
    let _ = write!(svg, r#"<g data-layer="stations">"#);
    for (ci, c) in a.catalogs.iter().enumerate() {
        let col = catalog_colour(ci);
        for s in &c.stations {
            let (x, y) = view.px(s.position);
            let r = 3.5 + (s.detections as f64).sqrt() * 1.6;
            let tip = Message::new(match s.distance_from_border_km {
                Some(_) => "render.map.station_tip_border",
                None => "render.map.station_tip",
            })
            .with("catalog", &c.name)
            .with("id", &s.id)
            .with("n", s.detections)
            .with("days", s.active_days)
            .with("km", s.distance_from_border_km.unwrap_or(f64::NAN));
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{col}" fill-opacity="0.35" stroke="{col}" stroke-width="1.3" data-catalog="{}"><title>{}</title></circle>"##,
                xml_escape(&c.name),
                xml_escape(&opts.say(tip)),
            );
        }
    }
    svg.push_str("</g>");

    // Detections: one dot each, on a golden-angle spiral around the station.
    let _ = write!(svg, r#"<g data-layer="detections">"#);
    let mut k_at: Vec<Vec<usize>> = a.catalogs.iter().map(|c| vec![0; c.stations.len()]).collect();
    for d in &a.crossborder.detections {
        let k = k_at[d.catalog][d.station];
        k_at[d.catalog][d.station] += 1;
        let (x, y) = view.px(a.catalogs[d.catalog].stations[d.station].position);
        let ang = k as f64 * 2.399_963;
        let rad = 1.8 * (k as f64 + 0.5).sqrt();
        let ind = &a.crossborder.individuals[d.individual];
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="1.6" fill="{}"><title>{}</title></circle>"##,
            x + rad * ang.cos(),
            y + rad * ang.sin(),
            catalog_colour(d.catalog),
            xml_escape(&opts.say(Message::new("render.map.detection_tip").with("id", &ind.id).with("time", &d.time))),
        );
    }
    svg.push_str("</g>");

    // Title, simulated stamp, legend, scale bar, north arrow.
    let _ = write!(svg, r#"<g data-layer="furniture">"#);
    let note = opts.word(&opts.simulated_note, "render.map.simulated");
    frame.title(&mut svg, &title, a.simulated.then_some(note.as_str()));
    let mut rows = station_legend_rows(a, &opts.word(&opts.legend_stations, "render.map.legend_stations"));
    rows.push((BORDER_SYMBOL.into(), opts.word(&opts.legend_border, "render.layer.border")));
    rows.push((
        r##"<circle cx="0" cy="0" r="2" fill="#333"/>"##.into(),
        opts.word(&opts.legend_detection, "render.layer.detections"),
    ));
    rows.push((
        r##"<line x1="-8" y1="0" x2="8" y2="0" stroke="#6a3d9a" stroke-opacity="0.7" stroke-width="2"/>"##.into(),
        opts.word(&opts.legend_movement, "render.map.legend_movement"),
    ));
    frame.legend(&mut svg, &rows);
    frame.scale_and_north(&mut svg, opts);
    svg.push_str("</g></svg>");
    svg
}

/// The SECR density map: the habitat mask cells (on land) shaded by the fitted density, the
/// stations and the border, with the density and the expected number per country in the legend.
pub fn density_map(a: &Analysis, secr: &CatalogSecr, countries: &[Country], opts: &MapOptions) -> String {
    let mut svg = String::new();
    let mut pts: Vec<LatLon> = secr.mask.iter().map(|c| c.position).collect();
    pts.extend(station_points(a));
    let title = opts.say(Message::new("render.layer.density"));
    let empty = opts.say(Message::new("render.map.no_mask"));
    let Some(frame) = Frame::open(&mut svg, &pts, opts.width, opts.height, &title, &opts.font, &empty) else {
        return svg;
    };
    frame.basemap(&mut svg, countries, opts.lang);
    let d100 = secr.fit.d_per_100km2;
    let _ = write!(svg, r#"<g data-layer="mask" data-cells="{}">"#, secr.mask.len());
    for cell in &secr.mask {
        let (x, y) = frame.px(cell.position);
        // Ground metres to Web Mercator metres: 1 / cos(latitude).
        let side = secr.mask_spacing_m / cell.position.lat.to_radians().cos() * frame.view.scale + 0.4;
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{side:.1}" height="{side:.1}" fill="#e69f00" fill-opacity="0.45"/>"##,
            x - side / 2.0,
            y - side / 2.0
        );
    }
    svg.push_str("</g>");
    frame.border(&mut svg, &a.border);
    let _ = write!(svg, r#"<g data-layer="stations">"#);
    for (ci, c) in a.catalogs.iter().enumerate() {
        let col = catalog_colour(ci);
        for s in &c.stations {
            let (x, y) = frame.px(s.position);
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="{col}" stroke="#fff" stroke-width="0.6"><title>{} {}</title></circle>"##,
                xml_escape(&c.name),
                xml_escape(&s.id)
            );
        }
    }
    svg.push_str("</g>");
    let _ = write!(svg, r#"<g data-layer="furniture">"#);
    let note = opts.word(&opts.simulated_note, "render.map.simulated");
    frame.title(&mut svg, &title, a.simulated.then_some(note.as_str()));
    let mut rows = vec![(
        r##"<rect x="-6" y="-6" width="12" height="12" fill="#e69f00" fill-opacity="0.45"/>"##.to_string(),
        opts.say(Message::new("render.density.mask").with("d", d100)),
    )];
    for c in secr.n_per_country.iter().chain(&secr.n_per_region) {
        let m = match (c.n.lcl, c.n.ucl) {
            (Some(l), Some(u)) => Message::new("render.density.area_ci").with("lcl", l).with("ucl", u),
            _ => Message::new("render.density.area"),
        };
        let name = crate::model::country::country_name(&c.name, opts.lang);
        let m = m.with("name", name).with("n", c.n.estimate).with("area", c.area_km2);
        rows.push((String::new(), opts.say(m)));
    }
    rows.extend(station_legend_rows(a, &opts.word(&opts.legend_stations, "render.map.legend_stations")));
    rows.push((BORDER_SYMBOL.into(), opts.word(&opts.legend_border, "render.layer.border")));
    frame.legend(&mut svg, &rows);
    frame.scale_and_north(&mut svg, opts);
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_inside_and_cuts_outside() {
        let sq = [(-10.0, -10.0), (50.0, -10.0), (50.0, 50.0), (-10.0, 50.0)];
        let c = clip_ring(&sq, (0.0, 0.0, 20.0, 20.0));
        assert!(c.iter().all(|p| p.0 >= 0.0 && p.0 <= 20.0 && p.1 >= 0.0 && p.1 <= 20.0));
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn nice_scale_lengths() {
        assert_eq!(nice_km(7.3), 5.0);
        assert_eq!(nice_km(23.0), 20.0);
        assert_eq!(nice_km(1.0), 1.0);
    }
}
