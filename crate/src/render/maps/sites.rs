//! The map of survey sites (waterbird count sites): Natural Earth country outlines, one circle per
//! site coloured by country with its area ∝ a value (a peak count), the site's name and value
//! beside it, a legend of countries, scale bar and north arrow. Sites are drawn at the positions
//! given; the caller decides what may be shown (waterbird count sites are not sensitive).
//!
//! ```
//! use borderless::model::LatLon;
//! use borderless::render::maps::sites::{site_map, SiteMapOptions, SitePoint};
//! let p = |lat, lon| LatLon::checked(lat, lon).unwrap();
//! let sites = [
//!     SitePoint { id: "A".into(), label: "A: 120".into(), country: "CN".into(), position: p(42.5, 130.6), value: 120.0 },
//!     SitePoint { id: "B".into(), label: "B: 30".into(), country: "RU".into(), position: p(42.6, 130.7), value: 30.0 },
//! ];
//! let svg = site_map(&sites, &[], &SiteMapOptions::default());
//! assert_eq!(svg.matches("data-site=").count(), 2);
//! assert!(svg.contains(">A: 120<"));
//! ```

use super::{xml_escape, Frame, MapOptions};
use crate::io::topojson::Country;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::render::charts::catalog_colour;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One site on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SitePoint {
    pub id: String,
    /// The text beside the marker (e.g. "Jingxin wetland: 2,340").
    pub label: String,
    /// Country code; sites of one country share a colour.
    pub country: String,
    pub position: LatLon,
    /// Sizes the marker (area ∝ value); 0 draws the smallest marker.
    pub value: f64,
}

/// Size, language and words of the site map. A word left out comes from the catalogue in `lang`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteMapOptions {
    pub width: f64,
    pub height: f64,
    pub lang: Lang,
    pub title: Option<String>,
    /// Shown in red at the top right (e.g. "SIMULATED DATA").
    pub simulated_note: Option<String>,
    /// Country names by code, for the legend (the code itself when absent).
    pub country_names: BTreeMap<String, String>,
    pub font: String,
}

impl Default for SiteMapOptions {
    fn default() -> Self {
        SiteMapOptions {
            width: 900.0,
            height: 620.0,
            lang: Lang::En,
            title: None,
            simulated_note: None,
            country_names: BTreeMap::new(),
            font: "sans-serif".into(),
        }
    }
}

/// Draws the sites over the country outlines (`countries` may be empty).
pub fn site_map(sites: &[SitePoint], countries: &[Country], opts: &SiteMapOptions) -> String {
    let mut svg = String::new();
    let title = opts.title.clone().unwrap_or_else(|| Message::new("render.sites.title").text(opts.lang));
    let empty = Message::new("render.sites.none").text(opts.lang);
    let pts: Vec<LatLon> = sites.iter().map(|s| s.position).collect();
    let Some(frame) = Frame::open(&mut svg, &pts, opts.width, opts.height, &title, &opts.font, &empty) else {
        return svg;
    };
    frame.basemap(&mut svg, countries, opts.lang);
    let mut order: Vec<String> = Vec::new();
    for s in sites {
        if !order.contains(&s.country) {
            order.push(s.country.clone());
        }
    }
    let colour = |c: &str| catalog_colour(order.iter().position(|o| o == c).unwrap_or(0));
    let max = sites.iter().map(|s| s.value).fold(0.0_f64, f64::max);
    let _ = write!(svg, r#"<g data-layer="sites">"#);
    // Largest first, so a small marker is never hidden under a large one.
    let mut by_size: Vec<&SitePoint> = sites.iter().collect();
    by_size.sort_by(|a, b| b.value.total_cmp(&a.value));
    for s in by_size {
        let (x, y) = frame.px(s.position);
        let r = 6.0 + if max > 0.0 { 30.0 * (s.value.max(0.0) / max).sqrt() } else { 0.0 };
        let col = colour(&s.country);
        let _ = write!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{col}" fill-opacity="0.4" stroke="{col}" stroke-width="1.6" data-site="{}"><title>{}</title></circle>"##,
            xml_escape(&s.id),
            xml_escape(&s.label),
        );
    }
    for s in sites {
        let (x, y) = frame.px(s.position);
        let r = 6.0 + if max > 0.0 { 30.0 * (s.value.max(0.0) / max).sqrt() } else { 0.0 };
        // Labels of sites in the right half go to the left of their marker, so none leaves the map.
        let (lx, anchor) = if x > opts.width / 2.0 { (x - r - 4.0, "end") } else { (x + r + 4.0, "start") };
        let _ = write!(
            svg,
            r##"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" font-size="14" fill="#111" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            y + 5.0,
            xml_escape(&s.label)
        );
    }
    svg.push_str("</g>");
    let _ = write!(svg, r#"<g data-layer="furniture">"#);
    frame.title(&mut svg, &title, opts.simulated_note.as_deref());
    let rows: Vec<(String, String)> = order
        .iter()
        .map(|c| {
            let col = colour(c);
            (
                format!(r##"<circle cx="0" cy="0" r="6" fill="{col}" fill-opacity="0.4" stroke="{col}" stroke-width="1.3"/>"##),
                opts.country_names.get(c).cloned().unwrap_or_else(|| c.clone()),
            )
        })
        .collect();
    frame.legend(&mut svg, &rows);
    let words = MapOptions { lang: opts.lang, ..MapOptions::default() };
    frame.scale_and_north(&mut svg, &words);
    svg.push_str("</g></svg>");
    svg
}
