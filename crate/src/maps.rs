//! The expert map, written as SVG: Natural Earth country outlines, the border, camera stations
//! coloured by catalog (area ∝ detections), one dot per detection around its station, and the
//! movement lines of transboundary individuals; legend, scale bar and north arrow.
//!
//! It shows exact station positions and is for the expert view only. Display projection: Web
//! Mercator ([`crate::spatial::web_mercator`]); the scale bar is corrected for latitude.
//! It draws no text through plotters, so it runs in a Web Worker too.

use crate::analysis::Analysis;
use crate::charts::catalog_colour;
use crate::io::topojson::Country;
use crate::model::LatLon;
use crate::spatial::web_mercator;
use geo::BoundingRect;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Size and wording of the map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapOptions {
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub simulated_note: String,
    pub font: String,
    /// Labels of the legend entries: stations (per catalog, prefixed), border, detections, movements.
    pub legend_border: String,
    pub legend_detection: String,
    pub legend_movement: String,
    pub legend_stations: String,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            width: 900.0,
            height: 700.0,
            title: "Camera stations, detections and cross-border movements".into(),
            simulated_note: "SIMULATED DATA — not real tiger locations".into(),
            font: "sans-serif".into(),
            legend_border: "international border".into(),
            legend_detection: "detection (one dot each)".into(),
            legend_movement: "movement of a transboundary individual".into(),
            legend_stations: "camera stations".into(),
        }
    }
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

struct View {
    x0: f64,
    y1: f64,
    scale: f64,
    ox: f64,
    oy: f64,
}

impl View {
    fn px(&self, p: LatLon) -> (f64, f64) {
        let (x, y) = web_mercator(p);
        (self.ox + (x - self.x0) * self.scale, self.oy + (self.y1 - y) * self.scale)
    }
}

/// Sutherland–Hodgman clipping of a closed ring to the rectangle [0,w]×[0,h].
fn clip_ring(ring: &[(f64, f64)], w: f64, h: f64) -> Vec<(f64, f64)> {
    // Edge k of the rectangle: x ≥ 0, x ≤ w, y ≥ 0, y ≤ h.
    let inside = |k: usize, p: (f64, f64)| match k {
        0 => p.0 >= 0.0,
        1 => p.0 <= w,
        2 => p.1 >= 0.0,
        _ => p.1 <= h,
    };
    let cross = |k: usize, a: (f64, f64), b: (f64, f64)| -> (f64, f64) {
        let t = match k {
            0 => (0.0 - a.0) / (b.0 - a.0),
            1 => (w - a.0) / (b.0 - a.0),
            2 => (0.0 - a.1) / (b.1 - a.1),
            _ => (h - a.1) / (b.1 - a.1),
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

fn path_d(pts: &[(f64, f64)], close: bool) -> String {
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
fn nice_km(target_km: f64) -> f64 {
    let p = 10f64.powf(target_km.log10().floor());
    [10.0, 5.0, 2.0, 1.0].iter().map(|m| m * p).find(|v| *v <= target_km).unwrap_or(p)
}

/// Draws the expert map of an analysis. `countries` are basemap outlines (may be empty).
pub fn expert_map(a: &Analysis, countries: &[Country], opts: &MapOptions) -> String {
    let (w, h) = (opts.width, opts.height);
    let mut pts: Vec<LatLon> = a.catalogs.iter().flat_map(|c| c.stations.iter().map(|s| s.position)).collect();
    if pts.is_empty() {
        pts.extend(a.border.iter().flatten().map(|c| LatLon { lat: c[1], lon: c[0] }));
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="map-title" font-family="{}">"#,
        xml_escape(&opts.font)
    );
    let _ = write!(svg, r#"<title id="map-title">{}</title>"#, xml_escape(&opts.title));
    let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="#dcebf5"/>"##);
    if pts.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="16" fill="#333">no stations loaded</text></svg>"##,
            w / 2.0,
            h / 2.0
        );
        return svg;
    }
    let merc: Vec<(f64, f64)> = pts.iter().map(|p| web_mercator(*p)).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in &merc {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(*y);
        y1 = y1.max(*y);
    }
    // Padding: 12% each side, at least 2 km.
    let pad = ((x1 - x0).max(y1 - y0) * 0.12).max(2000.0);
    let (x0, x1, y0, y1) = (x0 - pad, x1 + pad, y0 - pad, y1 + pad);
    let scale = (w / (x1 - x0)).min(h / (y1 - y0));
    let view = View { x0, y1, scale, ox: (w - (x1 - x0) * scale) / 2.0, oy: (h - (y1 - y0) * scale) / 2.0 };
    // Geographic bounds of the view, to skip far-away basemap polygons.
    let lat_of = |my: f64| (2.0 * (my / 6_378_137.0).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    let lon_of = |mx: f64| (mx / 6_378_137.0).to_degrees();
    let vx0 = x0 - (view.ox / scale);
    let vx1 = x1 + (view.ox / scale);
    let vy0 = y0 - (view.oy / scale);
    let vy1 = y1 + (view.oy / scale);
    let (lon0, lon1, lat0, lat1) = (lon_of(vx0), lon_of(vx1), lat_of(vy0), lat_of(vy1));

    // Basemap.
    let _ = write!(svg, r#"<g data-layer="basemap">"#);
    for c in countries {
        let mut d = String::new();
        for poly in &c.shape.0 {
            let Some(bb) = poly.bounding_rect() else { continue };
            if bb.max().x < lon0 || bb.min().x > lon1 || bb.max().y < lat0 || bb.min().y > lat1 {
                continue;
            }
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let screen: Vec<(f64, f64)> = ring.0.iter().map(|c| view.px(LatLon { lat: c.y, lon: c.x })).collect();
                let clipped = clip_ring(&screen, w, h);
                if clipped.len() >= 3 {
                    d.push_str(&path_d(&clipped, true));
                }
            }
        }
        if !d.is_empty() {
            let _ = write!(
                svg,
                r##"<path d="{d}" fill="#f4f1e8" stroke="#9a9a9a" stroke-width="0.8" fill-rule="evenodd"><title>{}</title></path>"##,
                xml_escape(&c.name)
            );
        }
    }
    svg.push_str("</g>");

    // Border.
    let _ = write!(svg, r#"<g data-layer="border">"#);
    for line in &a.border {
        let screen: Vec<(f64, f64)> = line.iter().map(|c| view.px(LatLon { lat: c[1], lon: c[0] })).collect();
        let _ = write!(
            svg,
            r##"<path d="{}" fill="none" stroke="#7a1f1f" stroke-width="2.5" stroke-dasharray="9 4" stroke-linejoin="round"/>"##,
            path_d(&screen, false)
        );
    }
    svg.push_str("</g>");

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
            r##"<path d="{}" fill="none" stroke="#6a3d9a" stroke-opacity="0.55" stroke-width="1.6" data-individual="{}"><title>{} — {} crossing(s)</title></path>"##,
            path_d(&screen, false),
            xml_escape(&ind.id),
            xml_escape(&ind.id),
            ind.crossings
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
            let dist = s.distance_from_border_km.map(|d| format!(", {d:.1} km from the border")).unwrap_or_default();
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{col}" fill-opacity="0.35" stroke="{col}" stroke-width="1.3" data-catalog="{}"><title>{} {}: {} detection(s), {:.0} camera-days{}</title></circle>"##,
                xml_escape(&c.name),
                xml_escape(&c.name),
                xml_escape(&s.id),
                s.detections,
                s.active_days,
                dist
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
            r##"<circle cx="{:.1}" cy="{:.1}" r="1.6" fill="{}"><title>{} at {}</title></circle>"##,
            x + rad * ang.cos(),
            y + rad * ang.sin(),
            catalog_colour(d.catalog),
            xml_escape(&ind.id),
            xml_escape(&d.time)
        );
    }
    svg.push_str("</g>");

    // Title, simulated stamp, legend, scale bar, north arrow.
    let _ = write!(
        svg,
        r##"<g data-layer="furniture"><rect x="8" y="8" width="{}" height="30" fill="#ffffff" fill-opacity="0.85"/>"##,
        w - 16.0
    );
    let _ = write!(
        svg,
        r##"<text x="16" y="29" font-size="17" font-weight="bold" fill="#222">{}</text>"##,
        xml_escape(&opts.title)
    );
    if a.simulated {
        let _ = write!(
            svg,
            r##"<text x="{}" y="29" text-anchor="end" font-size="15" font-weight="bold" fill="#b00020" data-simulated="1">{}</text>"##,
            w - 16.0,
            xml_escape(&opts.simulated_note)
        );
    }
    let entries = a.catalogs.len() + 3;
    let lh = 19.0;
    let (lx, ly) = (12.0, h - 16.0 - entries as f64 * lh);
    let _ = write!(
        svg,
        r##"<rect x="{lx}" y="{}" width="300" height="{}" fill="#ffffff" fill-opacity="0.9" stroke="#888"/>"##,
        ly - 14.0,
        entries as f64 * lh + 8.0
    );
    // Each legend row: a symbol centred at (lx + 14, y − 4) and its label.
    let mut rows: Vec<(String, String)> = a
        .catalogs
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let col = catalog_colour(ci);
            (
                format!(r##"<circle cx="0" cy="0" r="6" fill="{col}" fill-opacity="0.35" stroke="{col}" stroke-width="1.3"/>"##),
                format!("{} — {}", opts.legend_stations, c.name),
            )
        })
        .collect();
    rows.push((
        r##"<line x1="-8" y1="0" x2="8" y2="0" stroke="#7a1f1f" stroke-width="2.5" stroke-dasharray="9 4"/>"##.into(),
        opts.legend_border.clone(),
    ));
    rows.push((r##"<circle cx="0" cy="0" r="2" fill="#333"/>"##.into(), opts.legend_detection.clone()));
    rows.push((
        r##"<line x1="-8" y1="0" x2="8" y2="0" stroke="#6a3d9a" stroke-opacity="0.7" stroke-width="2"/>"##.into(),
        opts.legend_movement.clone(),
    ));
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
    // Scale bar: metres on the ground per pixel at the view's centre latitude.
    let centre_lat = lat_of((vy0 + vy1) / 2.0);
    let m_per_px = centre_lat.to_radians().cos() / scale;
    let km = nice_km(w * 0.2 * m_per_px / 1000.0);
    let bar = km * 1000.0 / m_per_px;
    let (sx, sy) = (w - 24.0 - bar, h - 24.0);
    let _ = write!(
        svg,
        r##"<g data-layer="scalebar"><rect x="{}" y="{}" width="{}" height="30" fill="#ffffff" fill-opacity="0.85"/><line x1="{sx:.1}" y1="{sy}" x2="{:.1}" y2="{sy}" stroke="#222" stroke-width="3"/><line x1="{sx:.1}" y1="{}" x2="{sx:.1}" y2="{}" stroke="#222" stroke-width="2"/><line x1="{:.1}" y1="{}" x2="{:.1}" y2="{}" stroke="#222" stroke-width="2"/><text x="{:.1}" y="{}" text-anchor="middle" font-size="13" fill="#222">{} km</text></g>"##,
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
        km
    );
    let (nx, ny) = (w - 36.0, 70.0);
    let _ = write!(
        svg,
        r##"<g data-layer="north"><path d="M{nx},{} L{},{} L{nx},{} L{},{} Z" fill="#222"/><text x="{nx}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">N</text></g>"##,
        ny - 18.0,
        nx + 8.0,
        ny + 8.0,
        ny + 2.0,
        nx - 8.0,
        ny + 8.0,
        ny - 22.0
    );
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_inside_and_cuts_outside() {
        let sq = [(-10.0, -10.0), (50.0, -10.0), (50.0, 50.0), (-10.0, 50.0)];
        let c = clip_ring(&sq, 20.0, 20.0);
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
