//! The interactive map's geometry, projected once (Web Mercator, through
//! [`crate::spatial::projection`]) into `f32` metres relative to an origin near the data, and drawn for
//! any view (centre, zoom, size) by the [`super::raster`] rasteriser; [`MapScene::pick`]
//! finds what is under the pointer through a grid index.
//!
//! Layers, bottom to top: basemap countries, SECR habitat mask / density, user polygons,
//! minimum convex polygons (MCP) per individual, the international border, movement lines of
//! joint individuals with their border crossings marked, camera stations (area ∝ camera-days)
//! and detections (one dot each on a golden-angle spiral around the station, in pixels).

use super::raster::{Raster, RasterError, Rgba};
use super::{nice_km, xml_escape};
use crate::identity::summary::Analysis;
use crate::io::topojson::Country;
use crate::model::country::country_name;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::render::charts::catalog_colour;
use crate::spatial::projection::{web_mercator_forward, web_mercator_inverse, Project, Projection};
use geo::{Area, ConvexHull, Coord, LineString, MultiPoint, Point};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write;

/// The layers a user can switch on and off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Basemap,
    Density,
    Polygons,
    Mcps,
    Border,
    Movements,
    Stations,
    Detections,
}

impl Layer {
    pub const ALL: [Layer; 8] = [
        Layer::Basemap,
        Layer::Density,
        Layer::Polygons,
        Layer::Mcps,
        Layer::Border,
        Layer::Movements,
        Layer::Stations,
        Layer::Detections,
    ];

    /// Parses `stations`, `detections`, … as the page names them.
    pub fn parse(s: &str) -> Result<Layer, String> {
        Self::read(s).map_err(|m| m.to_string())
    }

    /// As [`Layer::parse`], the reason as a message to show in any language.
    pub fn read(s: &str) -> Result<Layer, Message> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Message::new("render.map.unknown_layer").with("layer", format!("{s:?}")))
    }

    /// The layer's name in `lang`.
    pub fn label(self, lang: Lang) -> String {
        Message::new(match self {
            Layer::Basemap => "render.layer.basemap",
            Layer::Density => "render.layer.density",
            Layer::Polygons => "render.layer.polygons",
            Layer::Mcps => "render.layer.mcps",
            Layer::Border => "render.layer.border",
            Layer::Movements => "render.layer.movements",
            Layer::Stations => "render.layer.stations",
            Layer::Detections => "render.layer.detections",
        })
        .text(lang)
    }
}

const SEA: Rgba = Rgba::rgb(0xdc, 0xeb, 0xf5);
const LAND: Rgba = Rgba::rgb(0xf4, 0xf1, 0xe8);
const COAST: Rgba = Rgba::rgb(0x9a, 0x9a, 0x9a);
const BORDER: Rgba = Rgba::rgb(0x7a, 0x1f, 0x1f);
const MOVE: Rgba = Rgba { r: 0x6a, g: 0x3d, b: 0x9a, a: 150 };
const CROSS: Rgba = Rgba::rgb(0x00, 0x00, 0x00);
const MCP: Rgba = Rgba::rgb(0x00, 0x9e, 0x73);
const POLY: Rgba = Rgba::rgb(0x2b, 0x7a, 0x2b);
const MASK: Rgba = Rgba::rgb(0xe6, 0x9f, 0x00);

/// A polygon in local metres, with its bounding box.
#[derive(Debug, Clone)]
struct Shape {
    name: String,
    rings: Vec<Vec<(f32, f32)>>,
    bbox: [f32; 4],
}

impl Shape {
    fn new(name: String, rings: Vec<Vec<(f32, f32)>>) -> Shape {
        let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for p in rings.iter().flatten() {
            bbox = [bbox[0].min(p.0), bbox[1].min(p.1), bbox[2].max(p.0), bbox[3].max(p.1)];
        }
        Shape { name, rings, bbox }
    }

    /// Even-odd point-in-polygon in local metres.
    fn contains(&self, x: f32, y: f32) -> bool {
        if x < self.bbox[0] || x > self.bbox[2] || y < self.bbox[1] || y > self.bbox[3] {
            return false;
        }
        let mut inside = false;
        for ring in &self.rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0) {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// A named user polygon layer (protected areas, habitat, parks).
#[derive(Debug, Clone)]
struct UserLayer {
    name: String,
    shapes: Vec<Shape>,
}

#[derive(Debug, Clone)]
struct Track {
    individual: u32,
    /// Distinct segments of the path (a back-and-forth is drawn once).
    segs: Vec<[(f32, f32); 2]>,
    crossings: Vec<(f32, f32)>,
}

#[derive(Debug, Clone)]
struct Mcp {
    individual: u32,
    shape: Shape,
    area_km2: f64,
}

/// One detection to show: where (its station), which catalog (colour) and who.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionPoint {
    pub position: LatLon,
    pub catalog: usize,
    pub individual: String,
    pub time: String,
}

/// What is under the pointer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    pub layer: Layer,
    /// One line of text in the scene's language.
    pub label: String,
    /// Station or individual ID, or polygon name.
    pub id: String,
}

/// A legend entry: the layer, its label in the scene's language, and a small SVG swatch
/// (the inside of a 16×16 `<svg>`, presentation attributes only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegendEntry {
    pub layer: Layer,
    pub label: String,
    pub swatch: String,
    pub visible: bool,
}

/// A view of the scene: centre in local metres, pixels per metre, size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub cx_m: f64,
    pub cy_m: f64,
    pub px_per_m: f64,
    pub width_px: u32,
    pub height_px: u32,
    /// Symbol scale (1 on screen, dpi/96 for print).
    pub symbol_scale: f32,
}

impl View {
    #[inline]
    fn sx(&self, x: f32) -> f32 {
        ((x as f64 - self.cx_m) * self.px_per_m) as f32 + self.width_px as f32 / 2.0
    }
    #[inline]
    fn sy(&self, y: f32) -> f32 {
        ((self.cy_m - y as f64) * self.px_per_m) as f32 + self.height_px as f32 / 2.0
    }
    /// Local metres of screen pixel (x, y).
    fn world(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.cx_m + (x - self.width_px as f64 / 2.0) / self.px_per_m,
            self.cy_m - (y - self.height_px as f64 / 2.0) / self.px_per_m,
        )
    }
    /// Moves the view by (dx, dy) screen pixels (content follows the pointer).
    pub fn pan_px(&mut self, dx: f64, dy: f64) {
        self.cx_m -= dx / self.px_per_m;
        self.cy_m += dy / self.px_per_m;
    }
    /// Zooms by `factor` keeping the point under pixel (x, y) fixed.
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        let (wx, wy) = self.world(x, y);
        self.px_per_m = (self.px_per_m * factor).clamp(1e-6, 2.0);
        let (nx, ny) = self.world(x, y);
        self.cx_m += wx - nx;
        self.cy_m += wy - ny;
    }
}

/// The geometry of one map, prepared once.
#[derive(Debug, Clone)]
pub struct MapScene {
    lang: Lang,
    origin: (f64, f64),
    extent: [f64; 4],
    countries: Vec<Shape>,
    border: Vec<Vec<(f32, f32)>>,
    catalogs: Vec<String>,
    station_xy: Vec<f32>,
    station_r: Vec<f32>,
    station_cat: Vec<u8>,
    station_label: Vec<(String, String)>,
    det_xy: Vec<f32>,
    det_off: Vec<f32>,
    det_cat: Vec<u8>,
    det_ind: Vec<u32>,
    det_time: Vec<String>,
    det_at: HashMap<(u32, u32), u32>,
    individuals: Vec<String>,
    ind_index: HashMap<String, u32>,
    tracks: Vec<Track>,
    mcps: Vec<Mcp>,
    polygons: Vec<UserLayer>,
    mask: Vec<(f32, f32, f32)>,
    mask_label: String,
    simulated: bool,
    hidden: Vec<Layer>,
    grid: Grid,
}

/// A uniform grid over local metres indexing points (stations then detections).
#[derive(Debug, Clone, Default)]
struct Grid {
    x0: f32,
    y0: f32,
    cell: f32,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn build(xy: &[f32]) -> Grid {
        if xy.is_empty() {
            return Grid::default();
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in xy.chunks_exact(2) {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let cell = ((x1 - x0).max(y1 - y0) / 128.0).max(1.0);
        let nx = ((x1 - x0) / cell) as usize + 1;
        let ny = ((y1 - y0) / cell) as usize + 1;
        let mut cells = vec![Vec::new(); nx * ny];
        for (i, p) in xy.chunks_exact(2).enumerate() {
            let cx = ((p[0] - x0) / cell) as usize;
            let cy = ((p[1] - y0) / cell) as usize;
            cells[cy * nx + cx].push(i as u32);
        }
        Grid { x0, y0, cell, nx, ny, cells }
    }

    /// Indices of points within the box [x ± r, y ± r] (local metres), cell-exact.
    fn near(&self, x: f32, y: f32, r: f32, mut f: impl FnMut(u32)) {
        if self.nx == 0 {
            return;
        }
        let c = |v: f32, v0: f32, n: usize| (((v - v0) / self.cell).floor().max(0.0) as usize).min(n - 1);
        if x + r < self.x0 || y + r < self.y0 {
            return;
        }
        let (cx0, cx1) = (c(x - r, self.x0, self.nx), c(x + r, self.x0, self.nx));
        let (cy0, cy1) = (c(y - r, self.y0, self.ny), c(y + r, self.y0, self.ny));
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                for &i in &self.cells[cy * self.nx + cx] {
                    f(i);
                }
            }
        }
    }
}

/// Map errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SceneError {
    #[error(transparent)]
    Raster(#[from] RasterError),
    #[error("{0}")]
    Input(String),
}

fn golden_offset(k: u32) -> (f32, f32) {
    let ang = k as f32 * 2.399_963;
    let rad = 1.8 * (k as f32 + 0.5).sqrt();
    (rad * ang.cos(), rad * ang.sin())
}

impl MapScene {
    /// An empty scene in `lang` whose origin is at `centre`.
    pub fn new(lang: Lang, centre: LatLon) -> MapScene {
        let o = web_mercator_forward(centre);
        MapScene {
            lang,
            origin: o,
            extent: [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
            countries: Vec::new(),
            border: Vec::new(),
            catalogs: Vec::new(),
            station_xy: Vec::new(),
            station_r: Vec::new(),
            station_cat: Vec::new(),
            station_label: Vec::new(),
            det_xy: Vec::new(),
            det_off: Vec::new(),
            det_cat: Vec::new(),
            det_ind: Vec::new(),
            det_time: Vec::new(),
            det_at: HashMap::new(),
            individuals: Vec::new(),
            ind_index: HashMap::new(),
            tracks: Vec::new(),
            mcps: Vec::new(),
            polygons: Vec::new(),
            mask: Vec::new(),
            mask_label: String::new(),
            simulated: false,
            hidden: Vec::new(),
            grid: Grid::default(),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn local(&self, p: LatLon) -> (f32, f32) {
        let (x, y) = web_mercator_forward(p);
        ((x - self.origin.0) as f32, (y - self.origin.1) as f32)
    }

    fn grow(&mut self, p: (f32, f32)) {
        let e = &mut self.extent;
        *e = [e[0].min(p.0 as f64), e[1].min(p.1 as f64), e[2].max(p.0 as f64), e[3].max(p.1 as f64)];
    }

    fn individual(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.ind_index.get(id) {
            return i;
        }
        let i = self.individuals.len() as u32;
        self.individuals.push(id.to_string());
        self.ind_index.insert(id.to_string(), i);
        i
    }

    /// The whole expert map of an analysis: basemap, border, stations, detections, movements
    /// with crossings, and MCPs.
    pub fn from_analysis(a: &Analysis, countries: &[Country], lang: Lang) -> MapScene {
        let pts: Vec<LatLon> = a.catalogs.iter().flat_map(|c| c.stations.iter().map(|s| s.position)).collect();
        let centre = if pts.is_empty() {
            a.border
                .iter()
                .flatten()
                .next()
                .map(|c| LatLon { lat: c[1], lon: c[0] })
                .unwrap_or(LatLon { lat: 0.0, lon: 0.0 })
        } else {
            LatLon {
                lat: pts.iter().map(|p| p.lat).sum::<f64>() / pts.len() as f64,
                lon: pts.iter().map(|p| p.lon).sum::<f64>() / pts.len() as f64,
            }
        };
        let mut s = MapScene::new(lang, centre);
        s.simulated = a.simulated;
        s.set_countries(countries);
        s.set_border(&a.border);
        s.catalogs = a.catalogs.iter().map(|c| c.name.clone()).collect();
        for (ci, c) in a.catalogs.iter().enumerate() {
            for st in &c.stations {
                s.add_station(ci, &st.id, st.position, st.active_days, st.detections, st.distance_from_border_km);
            }
        }
        let dets: Vec<DetectionPoint> = a
            .crossborder
            .detections
            .iter()
            .map(|d| DetectionPoint {
                position: a.catalogs[d.catalog].stations[d.station].position,
                catalog: d.catalog,
                individual: a.crossborder.individuals[d.individual].id.clone(),
                time: d.time.clone(),
            })
            .collect();
        s.add_detections(&dets);
        s.finish_tracks(&dets);
        s
    }

    /// Names the catalogs (colour index = position); call before adding stations.
    pub fn set_catalogs(&mut self, names: &[String]) {
        self.catalogs = names.to_vec();
    }

    /// Sets the basemap countries.
    pub fn set_countries(&mut self, countries: &[Country]) {
        self.countries = countries
            .iter()
            .flat_map(|c| {
                c.shape.0.iter().map(|poly| {
                    let rings = std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .map(|r| r.0.iter().map(|c| self.local(LatLon { lat: c.y, lon: c.x })).collect())
                        .collect();
                    Shape::new(c.name.clone(), rings)
                })
            })
            .collect();
    }

    /// Sets the border, `[[lon, lat], …]` per line.
    pub fn set_border(&mut self, border: &[Vec<[f64; 2]>]) {
        self.border =
            border.iter().map(|l| l.iter().map(|c| self.local(LatLon { lat: c[1], lon: c[0] })).collect()).collect();
        if self.station_xy.is_empty() {
            let pts: Vec<(f32, f32)> = self.border.iter().flatten().copied().collect();
            for p in pts {
                self.grow(p);
            }
        }
    }

    /// Adds a camera station of catalog `catalog` (colour) sized by effort (camera-days).
    pub fn add_station(
        &mut self,
        catalog: usize,
        id: &str,
        p: LatLon,
        camera_days: f64,
        detections: usize,
        border_km: Option<f64>,
    ) {
        let xy = self.local(p);
        self.grow(xy);
        self.station_xy.extend([xy.0, xy.1]);
        // Area ∝ camera-days: radius ∝ √days (3 px for a station that never ran).
        self.station_r.push(3.0 + 0.45 * camera_days.max(0.0).sqrt() as f32);
        self.station_cat.push(catalog.min(255) as u8);
        let cat = self.catalogs.get(catalog).cloned().unwrap_or_default();
        let l = self.lang;
        let m = Message::new(if border_km.is_some() { "render.map.station_border" } else { "render.map.station" })
            .with("catalog", cat)
            .with("id", id)
            .with("n", l.number(detections as f64, 0))
            .with("days", l.number(camera_days, 0))
            .with("km", border_km.map(|d| l.number(d, 1)).unwrap_or_default());
        self.station_label.push((id.to_string(), m.text(l)));
    }

    /// Adds detections (one dot each, spread on a golden-angle spiral around their station in
    /// screen pixels so that they stay readable at any zoom) and rebuilds the pick index.
    pub fn add_detections(&mut self, dets: &[DetectionPoint]) {
        self.det_xy.reserve(dets.len() * 2);
        for d in dets {
            let xy = self.local(d.position);
            let key = (xy.0.to_bits(), xy.1.to_bits());
            let k = self.det_at.entry(key).or_insert(0);
            let off = golden_offset(*k);
            *k += 1;
            self.det_xy.extend([xy.0, xy.1]);
            self.det_off.extend([off.0, off.1]);
            self.det_cat.push(d.catalog.min(255) as u8);
            let ind = self.individual(&d.individual);
            self.det_ind.push(ind);
            self.det_time.push(d.time.clone());
        }
        self.rebuild_index();
    }

    fn rebuild_index(&mut self) {
        let mut xy = self.station_xy.clone();
        xy.extend_from_slice(&self.det_xy);
        self.grid = Grid::build(&xy);
    }

    /// Movement lines of individuals seen at two or more places, with the points where a
    /// movement segment crosses the border line, and each individual's minimum convex polygon
    /// (≥ 3 distinct places; area measured in the metric projection — the data's UTM zone).
    pub fn finish_tracks(&mut self, dets: &[DetectionPoint]) {
        let mut by_ind: Vec<Vec<LatLon>> = vec![Vec::new(); self.individuals.len()];
        for d in dets {
            let i = self.ind_index[&d.individual] as usize;
            if by_ind[i].last() != Some(&d.position) {
                by_ind[i].push(d.position);
            }
        }
        let border_segs: Vec<((f32, f32), (f32, f32))> =
            self.border.iter().flat_map(|l| l.windows(2).map(|w| (w[0], w[1]))).collect();
        let all: Vec<LatLon> = dets.iter().map(|d| d.position).collect();
        let metric = Projection::metric_for(&all);
        for (i, path) in by_ind.iter().enumerate() {
            let mut distinct: Vec<LatLon> = Vec::new();
            for p in path {
                if !distinct.contains(p) {
                    distinct.push(*p);
                }
            }
            if distinct.len() < 2 {
                continue;
            }
            let pts: Vec<(f32, f32)> = path.iter().map(|p| self.local(*p)).collect();
            let mut segs: Vec<[(f32, f32); 2]> = Vec::new();
            for w in pts.windows(2) {
                if !segs.iter().any(|s| (s[0] == w[0] && s[1] == w[1]) || (s[0] == w[1] && s[1] == w[0])) {
                    segs.push([w[0], w[1]]);
                }
            }
            let mut crossings = Vec::new();
            for s in &segs {
                for &(b0, b1) in &border_segs {
                    if let Some(p) = segment_intersection(s[0], s[1], b0, b1) {
                        crossings.push(p);
                    }
                }
            }
            self.tracks.push(Track { individual: i as u32, segs, crossings });
            if distinct.len() >= 3 {
                let Some(metric) = metric else { continue };
                let mp = MultiPoint::from(distinct.iter().map(|p| Point::new(p.lon, p.lat)).collect::<Vec<_>>());
                let hull = mp.convex_hull();
                let ring: Vec<(f32, f32)> =
                    hull.exterior().0.iter().map(|c| self.local(LatLon { lat: c.y, lon: c.x })).collect();
                let metric_ring = LineString::new(
                    hull.exterior()
                        .0
                        .iter()
                        .map(|c| {
                            let (x, y) = metric.forward(LatLon { lat: c.y, lon: c.x });
                            Coord { x, y }
                        })
                        .collect(),
                );
                let area_km2 = geo::Polygon::new(metric_ring, vec![]).unsigned_area() / 1e6;
                self.mcps.push(Mcp {
                    individual: i as u32,
                    shape: Shape::new(self.individuals[i].clone(), vec![ring]),
                    area_km2,
                });
            }
        }
    }

    /// Adds a named layer of user polygons (WGS84); returns its index.
    pub fn add_polygons(&mut self, name: &str, features: &[(String, geo::MultiPolygon<f64>)]) -> usize {
        let shapes = features
            .iter()
            .flat_map(|(fname, mp)| {
                mp.0.iter()
                    .map(|poly| {
                        let rings = std::iter::once(poly.exterior())
                            .chain(poly.interiors())
                            .map(|r| r.0.iter().map(|c| self.local(LatLon { lat: c.y, lon: c.x })).collect())
                            .collect();
                        Shape::new(format!("{name}: {fname}"), rings)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        self.polygons.push(UserLayer { name: name.to_string(), shapes });
        self.hidden.retain(|l| *l != Layer::Polygons);
        self.polygons.len() - 1
    }

    /// Sets the SECR habitat mask: cell centres, spacing (ground metres) and the density label.
    pub fn set_mask(&mut self, cells: &[LatLon], spacing_m: f64, label: &str) {
        self.mask = cells
            .iter()
            .map(|p| {
                let xy = self.local(*p);
                // Ground metres → Web Mercator metres: ÷ cos φ.
                (xy.0, xy.1, (spacing_m / p.lat.to_radians().cos()) as f32)
            })
            .collect();
        self.mask_label = label.to_string();
    }

    /// Where movement lines cross the border (WGS84), per individual.
    pub fn crossings(&self) -> Vec<(String, LatLon)> {
        self.tracks
            .iter()
            .flat_map(|t| {
                t.crossings.iter().map(move |p| {
                    let ll = web_mercator_inverse(self.origin.0 + p.0 as f64, self.origin.1 + p.1 as f64);
                    (self.individuals[t.individual as usize].clone(), ll)
                })
            })
            .collect()
    }

    /// Minimum convex polygon area (km², in the data's UTM zone) per individual.
    pub fn mcp_areas_km2(&self) -> Vec<(String, f64)> {
        self.mcps.iter().map(|m| (self.individuals[m.individual as usize].clone(), m.area_km2)).collect()
    }

    /// Screen pixel of a WGS84 position in view `v`.
    pub fn to_screen(&self, v: &View, p: LatLon) -> (f64, f64) {
        let (x, y) = self.local(p);
        (v.sx(x) as f64, v.sy(y) as f64)
    }

    /// Number of detections in the scene.
    pub fn detection_count(&self) -> usize {
        self.det_ind.len()
    }

    /// Shows or hides a layer.
    pub fn set_visible(&mut self, layer: Layer, visible: bool) {
        self.hidden.retain(|l| *l != layer);
        if !visible {
            self.hidden.push(layer);
        }
    }

    pub fn is_visible(&self, layer: Layer) -> bool {
        !self.hidden.contains(&layer)
    }

    /// The view that fits the data (stations, else border) into `width`×`height` px with 8%
    /// padding and at least 4 km across.
    pub fn fit_view(&self, width_px: u32, height_px: u32) -> View {
        let e = if self.extent[0] <= self.extent[2] { self.extent } else { [-1000.0, -1000.0, 1000.0, 1000.0] };
        let pad = ((e[2] - e[0]).max(e[3] - e[1]) * 0.08).max(2000.0);
        let (w, h) = ((e[2] - e[0]) + 2.0 * pad, (e[3] - e[1]) + 2.0 * pad);
        View {
            cx_m: (e[0] + e[2]) / 2.0,
            cy_m: (e[1] + e[3]) / 2.0,
            px_per_m: (width_px.max(1) as f64 / w).min(height_px.max(1) as f64 / h),
            width_px,
            height_px,
            symbol_scale: 1.0,
        }
    }

    fn screen_ring(&self, v: &View, ring: &[(f32, f32)]) -> Vec<(f32, f32)> {
        // Drop vertices closer than half a pixel to the last kept one.
        let mut out: Vec<(f32, f32)> = Vec::with_capacity(ring.len().min(4096));
        for p in ring {
            let s = (v.sx(p.0), v.sy(p.1));
            if let Some(l) = out.last() {
                if (l.0 - s.0).abs() < 0.5 && (l.1 - s.1).abs() < 0.5 {
                    continue;
                }
            }
            out.push(s);
        }
        out
    }

    fn on_screen(v: &View, bbox: [f32; 4], margin_m: f32) -> bool {
        let (hw, hh) = (v.width_px as f64 / 2.0 / v.px_per_m, v.height_px as f64 / 2.0 / v.px_per_m);
        !(bbox[2] as f64 + (margin_m as f64) < v.cx_m - hw
            || bbox[0] as f64 - (margin_m as f64) > v.cx_m + hw
            || bbox[3] as f64 + (margin_m as f64) < v.cy_m - hh
            || bbox[1] as f64 - (margin_m as f64) > v.cy_m + hh)
    }

    /// Draws the scene for `view` into `out` (resized to the view).
    pub fn render(&self, v: &View, out: &mut Raster) -> Result<(), SceneError> {
        out.resize(v.width_px, v.height_px)?;
        out.clear(SEA);
        let k = v.symbol_scale;
        if self.is_visible(Layer::Basemap) {
            for c in &self.countries {
                if !Self::on_screen(v, c.bbox, 0.0) {
                    continue;
                }
                let rings: Vec<Vec<(f32, f32)>> = c.rings.iter().map(|r| self.screen_ring(v, r)).collect();
                out.fill_polygon(&rings, LAND);
                for r in &rings {
                    let mut closed = r.clone();
                    if let Some(f) = r.first() {
                        closed.push(*f);
                    }
                    out.polyline(&closed, 0.8 * k, COAST, None);
                }
            }
        }
        if self.is_visible(Layer::Density) {
            for &(x, y, side) in &self.mask {
                let s = side * v.px_per_m as f32 + 0.4;
                out.rect(v.sx(x) - s / 2.0, v.sy(y) - s / 2.0, s, s, MASK.with_alpha(115));
            }
        }
        if self.is_visible(Layer::Polygons) {
            for layer in &self.polygons {
                for sh in &layer.shapes {
                    if !Self::on_screen(v, sh.bbox, 0.0) {
                        continue;
                    }
                    let rings: Vec<Vec<(f32, f32)>> = sh.rings.iter().map(|r| self.screen_ring(v, r)).collect();
                    out.fill_polygon(&rings, POLY.with_alpha(60));
                    for r in &rings {
                        let mut closed = r.clone();
                        closed.extend(r.first());
                        out.polyline(&closed, 1.5 * k, POLY, None);
                    }
                }
            }
        }
        if self.is_visible(Layer::Mcps) {
            for m in &self.mcps {
                let ring = self.screen_ring(v, &m.shape.rings[0]);
                // Outline only on screen: translucent fills of dozens of overlapping hulls cost
                // more than the rest of the frame (the print SVG fills them).
                let mut closed = ring.clone();
                closed.extend(ring.first());
                out.polyline(&closed, 1.2 * k, MCP, Some((4.0 * k, 3.0 * k)));
            }
        }
        if self.is_visible(Layer::Border) {
            for l in &self.border {
                let pts: Vec<(f32, f32)> = l.iter().map(|p| (v.sx(p.0), v.sy(p.1))).collect();
                out.polyline(&pts, 2.5 * k, BORDER, Some((9.0 * k, 4.0 * k)));
            }
        }
        if self.is_visible(Layer::Movements) {
            for t in &self.tracks {
                for sg in &t.segs {
                    out.line(v.sx(sg[0].0), v.sy(sg[0].1), v.sx(sg[1].0), v.sy(sg[1].1), 1.6 * k, MOVE);
                }
            }
            for t in &self.tracks {
                for p in &t.crossings {
                    let (x, y) = (v.sx(p.0), v.sy(p.1));
                    let a = 4.0 * k;
                    out.line(x - a, y - a, x + a, y + a, 2.0 * k, CROSS);
                    out.line(x - a, y + a, x + a, y - a, 2.0 * k, CROSS);
                }
            }
        }
        if self.is_visible(Layer::Stations) {
            for (i, p) in self.station_xy.chunks_exact(2).enumerate() {
                let (x, y) = (v.sx(p[0]), v.sy(p[1]));
                let col = palette(self.station_cat[i] as usize);
                let r = self.station_r[i] * k;
                out.disc(x, y, r, col.with_alpha(90));
                out.circle(x, y, r, col);
            }
        }
        if self.is_visible(Layer::Detections) {
            let r = 1.6 * k;
            let cols: Vec<Rgba> = (0..self.catalogs.len().max(1 + *self.det_cat.iter().max().unwrap_or(&0) as usize))
                .map(palette)
                .collect();
            let (w, h) = (v.width_px as f32 + 50.0 * k, v.height_px as f32 + 50.0 * k);
            for ((p, o), c) in self.det_xy.chunks_exact(2).zip(self.det_off.chunks_exact(2)).zip(&self.det_cat) {
                let (x, y) = (v.sx(p[0]), v.sy(p[1]));
                if x < -50.0 * k || y < -50.0 * k || x > w || y > h {
                    continue;
                }
                out.disc(x + o[0] * k, y + o[1] * k, r, cols[*c as usize]);
            }
        }
        Ok(())
    }

    /// What is under pixel (x, y) of `view`: the nearest detection or station within
    /// `radius_px` (detections first), else a movement line within `radius_px`, else the MCP,
    /// user polygon or country containing the point.
    pub fn pick(&self, v: &View, x: f64, y: f64, radius_px: f64) -> Option<Pick> {
        let l = self.lang;
        let (wx, wy) = v.world(x, y);
        let max_off = self.det_at.values().map(|&n| golden_offset(n).0.hypot(golden_offset(n).1)).fold(0.0, f32::max);
        let max_r = self.station_r.iter().copied().fold(0.0, f32::max);
        let reach = ((radius_px as f32 + max_off.max(max_r) + 2.0) / v.px_per_m as f32).max(1.0);
        let ns = self.station_r.len() as u32;
        let mut best: Option<(f32, u32)> = None;
        let mut best_station: Option<(f32, u32)> = None;
        self.grid.near(wx as f32, wy as f32, reach, |i| {
            if i < ns {
                if !self.is_visible(Layer::Stations) {
                    return;
                }
                let p = &self.station_xy[i as usize * 2..i as usize * 2 + 2];
                let d = (v.sx(p[0]) - x as f32).hypot(v.sy(p[1]) - y as f32) - self.station_r[i as usize];
                if d <= radius_px as f32 && best_station.is_none_or(|b| d < b.0) {
                    best_station = Some((d, i));
                }
            } else {
                if !self.is_visible(Layer::Detections) {
                    return;
                }
                let j = (i - ns) as usize;
                let (p, o) = (&self.det_xy[j * 2..j * 2 + 2], &self.det_off[j * 2..j * 2 + 2]);
                let d = (v.sx(p[0]) + o[0] - x as f32).hypot(v.sy(p[1]) + o[1] - y as f32);
                if d <= radius_px as f32 && best.is_none_or(|b| d < b.0) {
                    best = Some((d, i - ns));
                }
            }
        });
        if let Some((_, j)) = best {
            let j = j as usize;
            let ind = &self.individuals[self.det_ind[j] as usize];
            let cat = self.catalogs.get(self.det_cat[j] as usize).cloned().unwrap_or_default();
            return Some(Pick {
                layer: Layer::Detections,
                id: ind.clone(),
                label: Message::new("render.map.pick_detection")
                    .with("id", ind)
                    .with("catalog", cat)
                    .with("time", &self.det_time[j])
                    .text(l),
            });
        }
        if let Some((_, i)) = best_station {
            let (id, label) = &self.station_label[i as usize];
            return Some(Pick {
                layer: Layer::Stations,
                id: id.clone(),
                label: Message::new("render.map.pick_station").with("label", label).text(l),
            });
        }
        if self.is_visible(Layer::Movements) {
            let mut near: Option<(f32, u32)> = None;
            for t in &self.tracks {
                for w in &t.segs {
                    let d = point_segment_px(
                        (x as f32, y as f32),
                        (v.sx(w[0].0), v.sy(w[0].1)),
                        (v.sx(w[1].0), v.sy(w[1].1)),
                    );
                    if d <= radius_px as f32 && near.is_none_or(|b| d < b.0) {
                        near = Some((d, t.individual));
                    }
                }
            }
            if let Some((_, i)) = near {
                let t = self.tracks.iter().find(|t| t.individual == i).expect("track of a picked individual");
                let id = &self.individuals[i as usize];
                return Some(Pick {
                    layer: Layer::Movements,
                    id: id.clone(),
                    label: Message::new("render.map.pick_movement")
                        .with("id", id)
                        .with("n", l.number(t.crossings.len() as f64, 0))
                        .text(l),
                });
            }
        }
        let (fx, fy) = (wx as f32, wy as f32);
        if self.is_visible(Layer::Mcps) {
            if let Some(m) = self.mcps.iter().find(|m| m.shape.contains(fx, fy)) {
                let id = &self.individuals[m.individual as usize];
                return Some(Pick {
                    layer: Layer::Mcps,
                    id: id.clone(),
                    label: Message::new("render.map.pick_mcp")
                        .with("id", id)
                        .with("area", l.number(m.area_km2, 1))
                        .text(l),
                });
            }
        }
        if self.is_visible(Layer::Polygons) {
            for layer in self.polygons.iter().rev() {
                if let Some(s) = layer.shapes.iter().find(|s| s.contains(fx, fy)) {
                    return Some(Pick { layer: Layer::Polygons, id: s.name.clone(), label: s.name.clone() });
                }
            }
        }
        if self.is_visible(Layer::Basemap) {
            if let Some(c) = self.countries.iter().find(|c| c.contains(fx, fy)) {
                return Some(Pick { layer: Layer::Basemap, id: c.name.clone(), label: country_name(&c.name, l) });
            }
        }
        None
    }

    /// Legend entries with the current visibility (only layers that have something to show).
    pub fn legend(&self) -> Vec<LegendEntry> {
        let mut out = Vec::new();
        let has = |layer: Layer| match layer {
            Layer::Basemap => !self.countries.is_empty(),
            Layer::Density => !self.mask.is_empty(),
            Layer::Polygons => !self.polygons.is_empty(),
            Layer::Mcps => !self.mcps.is_empty(),
            Layer::Border => !self.border.is_empty(),
            Layer::Movements => !self.tracks.is_empty(),
            Layer::Stations => !self.station_r.is_empty(),
            Layer::Detections => !self.det_ind.is_empty(),
        };
        for layer in Layer::ALL.into_iter().rev() {
            if !has(layer) {
                continue;
            }
            let swatch = match layer {
                Layer::Basemap => r##"<rect x="1" y="3" width="14" height="10" fill="#f4f1e8" stroke="#9a9a9a"/>"##.to_string(),
                Layer::Density => r##"<rect x="2" y="2" width="12" height="12" fill="#e69f00" fill-opacity="0.45"/>"##.to_string(),
                Layer::Polygons => r##"<rect x="2" y="2" width="12" height="12" fill="#2b7a2b" fill-opacity="0.25" stroke="#2b7a2b" stroke-width="1.5"/>"##.to_string(),
                Layer::Mcps => r##"<path d="M2,13 L8,2 L14,11 Z" fill="#009e73" fill-opacity="0.12" stroke="#009e73" stroke-dasharray="3 2"/>"##.to_string(),
                Layer::Border => r##"<line x1="0" y1="8" x2="16" y2="8" stroke="#7a1f1f" stroke-width="2.5" stroke-dasharray="6 3"/>"##.to_string(),
                Layer::Movements => r##"<line x1="0" y1="12" x2="16" y2="4" stroke="#6a3d9a" stroke-opacity="0.6" stroke-width="2"/><path d="M5,5 L11,11 M5,11 L11,5" stroke="#000" stroke-width="1.6"/>"##.to_string(),
                Layer::Stations => self
                    .catalogs
                    .iter()
                    .enumerate()
                    .map(|(i, _)| {
                        let c = catalog_colour(i);
                        format!(r#"<circle cx="{}" cy="8" r="4" fill="{c}" fill-opacity="0.35" stroke="{c}"/>"#, 4 + 8 * (i % 2))
                    })
                    .collect(),
                Layer::Detections => (0..self.catalogs.len().max(1))
                    .map(|i| format!(r#"<circle cx="{}" cy="8" r="2" fill="{}"/>"#, 4 + 8 * (i % 2), catalog_colour(i)))
                    .collect(),
            };
            let mut label = layer.label(self.lang);
            if layer == Layer::Stations || layer == Layer::Detections {
                label = format!("{label}: {}", self.catalogs.join(", "));
            }
            if layer == Layer::Density && !self.mask_label.is_empty() {
                label = format!("{label}: {}", self.mask_label);
            }
            if layer == Layer::Polygons {
                label = format!(
                    "{label}: {}",
                    self.polygons.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                );
            }
            out.push(LegendEntry { layer, label, swatch, visible: self.is_visible(layer) });
        }
        out
    }

    /// Ground metres per pixel at the view's centre (Web Mercator scale 1/cos φ removed).
    pub fn ground_m_per_px(&self, v: &View) -> f64 {
        let lat = web_mercator_inverse(self.origin.0 + v.cx_m, self.origin.1 + v.cy_m).lat;
        lat.to_radians().cos() / v.px_per_m
    }

    /// Scale bar and north arrow for the view, as an SVG of the view's size (for an overlay on
    /// the canvas, or inside the printed map).
    pub fn furniture_svg(&self, v: &View) -> String {
        let (w, h) = (v.width_px as f64, v.height_px as f64);
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true">"#
        );
        self.scale_and_north(&mut svg, v, 0.0, 0.0, 1.0);
        svg.push_str("</svg>");
        svg
    }

    fn scale_and_north(&self, svg: &mut String, v: &View, ox: f64, oy: f64, k: f64) {
        let (w, h) = (v.width_px as f64, v.height_px as f64);
        let m_per_px = self.ground_m_per_px(v);
        let km = nice_km((w * 0.2 * m_per_px / 1000.0).max(1e-3));
        let bar = km * 1000.0 / m_per_px;
        let (sx, sy) = (ox + w - 24.0 * k - bar, oy + h - 24.0 * k);
        let label = Message::new("render.map.km")
            .with("km", self.lang.number(km, if km < 1.0 { 1 } else { 0 }))
            .text(self.lang);
        let _ = write!(
            svg,
            r##"<g data-layer="scalebar"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.85"/><path d="M{sx:.1},{:.1} V{sy:.1} H{:.1} V{:.1}" fill="none" stroke="#222" stroke-width="{:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{:.1}" fill="#222">{}</text></g>"##,
            sx - 8.0 * k,
            sy - 22.0 * k,
            bar + 16.0 * k,
            30.0 * k,
            sy - 5.0 * k,
            sx + bar,
            sy - 5.0 * k,
            2.0 * k,
            sx + bar / 2.0,
            sy - 8.0 * k,
            13.0 * k,
            xml_escape(&label)
        );
        let (nx, ny) = (ox + w - 30.0 * k, oy + 40.0 * k);
        let _ = write!(
            svg,
            r##"<g data-layer="north"><path d="M{nx:.1},{:.1} L{:.1},{:.1} L{nx:.1},{:.1} L{:.1},{:.1} Z" fill="#222"/><text x="{nx:.1}" y="{:.1}" text-anchor="middle" font-size="{:.1}" font-weight="bold" fill="#222">{}</text></g>"##,
            ny - 18.0 * k,
            nx + 8.0 * k,
            ny + 8.0 * k,
            ny + 2.0 * k,
            nx - 8.0 * k,
            ny + 8.0 * k,
            ny - 22.0 * k,
            14.0 * k,
            Message::new("render.map.north").text(self.lang)
        );
    }

    /// A print-ready SVG of the view: the map (vector) with legend, scale bar and north arrow,
    /// and a margin with the title, data source and date. `width_mm` wide (e.g. 190 on A4).
    pub fn print_svg(&self, v: &View, title: &str, source: &str, date: &str, width_mm: f64) -> String {
        let (w, h) = (v.width_px as f64, v.height_px as f64);
        let (m, top, bottom) = (24.0, 56.0, 48.0);
        let (tw, th) = (w + 2.0 * m, h + top + bottom);
        let height_mm = width_mm * th / tw;
        let l = self.lang;
        let mut svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {tw} {th}" width="{width_mm:.1}mm" height="{height_mm:.1}mm" font-family="Noto Sans, DejaVu Sans, sans-serif" role="img" aria-labelledby="print-title"><title id="print-title">{}</title><rect width="{tw}" height="{th}" fill="#ffffff"/><text x="{m}" y="36" font-size="20" font-weight="bold" fill="#111">{}</text><defs><clipPath id="map-clip"><rect x="0" y="0" width="{w}" height="{h}"/></clipPath></defs><g transform="translate({m},{top})"><g clip-path="url(#map-clip)"><rect width="{w}" height="{h}" fill="#dcebf5"/>"##,
            xml_escape(title),
            xml_escape(title),
        );
        self.print_areas(&mut svg, v);
        self.print_lines_and_points(&mut svg, v);
        svg.push_str("</g>");
        self.print_legend(&mut svg, h);
        self.scale_and_north(&mut svg, v, 0.0, 0.0, 1.0);
        let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="none" stroke="#444"/></g>"##);
        let foot = Message::new("render.map.print_source").with("source", source).with("date", date).text(l);
        if self.simulated {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="36" text-anchor="end" font-size="15" font-weight="bold" fill="#b00020" data-simulated="1">{}</text>"##,
                tw - m,
                xml_escape(&Message::new("render.map.print_simulated").text(l))
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{m}" y="{:.1}" font-size="12" fill="#333" data-margin="source">{}</text></svg>"##,
            top + h + 30.0,
            xml_escape(&foot)
        );
        svg
    }

    /// An SVG path through screen points.
    fn path_d(pts: &[(f32, f32)], close: bool) -> String {
        let mut d = String::new();
        for (i, p) in pts.iter().enumerate() {
            let _ = write!(d, "{}{:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, p.0, p.1);
        }
        if close {
            d.push('Z');
        }
        d
    }

    /// The rings of a shape as one path, in screen pixels.
    fn rings_d(&self, v: &View, s: &Shape) -> String {
        s.rings.iter().map(|r| Self::path_d(&self.screen_ring(v, r), true)).collect()
    }

    /// The printed area layers: basemap, density mask, user polygons, minimum convex polygons.
    fn print_areas(&self, svg: &mut String, v: &View) {
        if self.is_visible(Layer::Basemap) {
            svg.push_str(r#"<g data-layer="basemap">"#);
            for c in self.countries.iter().filter(|c| Self::on_screen(v, c.bbox, 0.0)) {
                let _ = write!(
                    svg,
                    r##"<path d="{}" fill="#f4f1e8" stroke="#9a9a9a" stroke-width="0.8" fill-rule="evenodd"/>"##,
                    self.rings_d(v, c)
                );
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Density) && !self.mask.is_empty() {
            svg.push_str(r##"<g data-layer="density" fill="#e69f00" fill-opacity="0.45">"##);
            for &(x, y, side) in &self.mask {
                let s = side as f64 * v.px_per_m + 0.4;
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{:.1}" width="{s:.1}" height="{s:.1}"/>"#,
                    v.sx(x) as f64 - s / 2.0,
                    v.sy(y) as f64 - s / 2.0
                );
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Polygons) {
            svg.push_str(r##"<g data-layer="polygons" fill="#2b7a2b" fill-opacity="0.24" stroke="#2b7a2b" stroke-width="1.5" fill-rule="evenodd">"##);
            for s in self.polygons.iter().flat_map(|p| &p.shapes).filter(|s| Self::on_screen(v, s.bbox, 0.0)) {
                let _ =
                    write!(svg, r#"<path d="{}"><title>{}</title></path>"#, self.rings_d(v, s), xml_escape(&s.name));
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Mcps) {
            svg.push_str(r##"<g data-layer="mcps" fill="#009e73" fill-opacity="0.12" stroke="#009e73" stroke-width="1.2" stroke-dasharray="4 3">"##);
            for mcp in &self.mcps {
                let _ = write!(
                    svg,
                    r#"<path d="{}"><title>MCP {}</title></path>"#,
                    self.rings_d(v, &mcp.shape),
                    xml_escape(&self.individuals[mcp.individual as usize])
                );
            }
            svg.push_str("</g>");
        }
    }

    /// The printed line and point layers: border, movements with crossings, stations, detections.
    fn print_lines_and_points(&self, svg: &mut String, v: &View) {
        let (w, h) = (v.width_px as f64, v.height_px as f64);
        if self.is_visible(Layer::Border) {
            svg.push_str(
                r##"<g data-layer="border" fill="none" stroke="#7a1f1f" stroke-width="2.5" stroke-dasharray="9 4">"##,
            );
            for b in &self.border {
                let pts: Vec<(f32, f32)> = b.iter().map(|p| (v.sx(p.0), v.sy(p.1))).collect();
                let _ = write!(svg, r#"<path d="{}"/>"#, Self::path_d(&pts, false));
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Movements) {
            svg.push_str(
                r##"<g data-layer="movements" fill="none" stroke="#6a3d9a" stroke-opacity="0.6" stroke-width="1.6">"##,
            );
            for t in &self.tracks {
                let d: String = t
                    .segs
                    .iter()
                    .map(|sg| Self::path_d(&[(v.sx(sg[0].0), v.sy(sg[0].1)), (v.sx(sg[1].0), v.sy(sg[1].1))], false))
                    .collect();
                let _ = write!(
                    svg,
                    r#"<path d="{}"><title>{}</title></path>"#,
                    d,
                    xml_escape(&self.individuals[t.individual as usize])
                );
            }
            svg.push_str(r##"</g><g data-layer="crossings" stroke="#000" stroke-width="2">"##);
            for p in self.tracks.iter().flat_map(|t| &t.crossings) {
                let (x, y) = (v.sx(p.0), v.sy(p.1));
                let _ = write!(svg, r#"<path d="M{:.1},{:.1} l8,8 m0,-8 l-8,8"/>"#, x - 4.0, y - 4.0);
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Stations) {
            svg.push_str(r#"<g data-layer="stations" fill-opacity="0.35" stroke-width="1.3">"#);
            for (i, p) in self.station_xy.chunks_exact(2).enumerate() {
                let c = catalog_colour(self.station_cat[i] as usize);
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="{c}" stroke="{c}"><title>{}</title></circle>"#,
                    v.sx(p[0]),
                    v.sy(p[1]),
                    self.station_r[i],
                    xml_escape(&self.station_label[i].1)
                );
            }
            svg.push_str("</g>");
        }
        if self.is_visible(Layer::Detections) {
            svg.push_str(r#"<g data-layer="detections">"#);
            for ((p, o), c) in self.det_xy.chunks_exact(2).zip(self.det_off.chunks_exact(2)).zip(&self.det_cat) {
                let (x, y) = (v.sx(p[0]) + o[0], v.sy(p[1]) + o[1]);
                if x < -10.0 || y < -10.0 || x as f64 > w + 10.0 || y as f64 > h + 10.0 {
                    continue;
                }
                let _ =
                    write!(svg, r#"<circle cx="{x:.1}" cy="{y:.1}" r="1.6" fill="{}"/>"#, catalog_colour(*c as usize));
            }
            svg.push_str("</g>");
        }
    }

    /// The printed legend (bottom left) of the visible layers; `h` the map's height.
    fn print_legend(&self, svg: &mut String, h: f64) {
        let rows: Vec<LegendEntry> = self.legend().into_iter().filter(|e| e.visible).collect();
        let lh = 19.0;
        let lw = rows.iter().map(|e| crate::render::charts::measure_text(&e.label, 12.0 * 1.24).0).max().unwrap_or(0)
            as f64
            + 36.0;
        let ly = h - 10.0 - rows.len() as f64 * lh;
        let _ = write!(
            svg,
            r##"<g data-layer="legend"><rect x="8" y="{:.1}" width="{lw:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.9" stroke="#888"/>"##,
            ly - 6.0,
            rows.len() as f64 * lh + 4.0
        );
        for (i, e) in rows.iter().enumerate() {
            let y = ly + i as f64 * lh;
            let _ = write!(
                svg,
                r##"<svg x="12" y="{y:.1}" width="16" height="16" viewBox="0 0 16 16">{}</svg><text x="34" y="{:.1}" font-size="12" fill="#222">{}</text>"##,
                e.swatch,
                y + 12.0,
                xml_escape(&e.label)
            );
        }
        svg.push_str("</g>");
    }

    /// Rasterises the view into a new image (RGBA8).
    pub fn render_image(&self, v: &View) -> Result<Raster, SceneError> {
        let mut r = Raster::new(v.width_px.max(1), v.height_px.max(1), SEA)?;
        self.render(v, &mut r)?;
        Ok(r)
    }
}

fn palette(i: usize) -> Rgba {
    Rgba::hex(&catalog_colour(i)).unwrap_or(Rgba::rgb(0x33, 0x33, 0x33))
}

fn point_segment_px(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// The intersection of segments a0–a1 and b0–b1 (proper or touching), if any.
fn segment_intersection(a0: (f32, f32), a1: (f32, f32), b0: (f32, f32), b1: (f32, f32)) -> Option<(f32, f32)> {
    let (a0, a1, b0, b1) = (
        (a0.0 as f64, a0.1 as f64),
        (a1.0 as f64, a1.1 as f64),
        (b0.0 as f64, b0.1 as f64),
        (b1.0 as f64, b1.1 as f64),
    );
    let r = (a1.0 - a0.0, a1.1 - a0.1);
    let s = (b1.0 - b0.0, b1.1 - b0.1);
    let den = r.0 * s.1 - r.1 * s.0;
    if den == 0.0 {
        return None;
    }
    let q = (b0.0 - a0.0, b0.1 - a0.1);
    let t = (q.0 * s.1 - q.1 * s.0) / den;
    let u = (q.0 * r.1 - q.1 * r.0) / den;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(((a0.0 + t * r.0) as f32, (a0.1 + t * r.1) as f32))
}
