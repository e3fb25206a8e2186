//! The second built-in **simulated** demo: snow leopards (*Panthera uncia*) surveyed by camera
//! traps on both sides of the Mongolia–Russia border in the Chikhachev ridge region, in two
//! years, to show density that depends on habitat and a decline between years (issue 13).
//!
//! How it is made (all seeded, so the files are reproducible byte for byte):
//! - Border: the Mongolia–Russia boundary shared by the Natural Earth 1:10m country polygons
//!   (`www/basemap/ne-asia-countries-10m.topo.json`), clipped to 48.8–51°N, 87.8–91°E.
//! - Stations: a 10 km grid in UTM zone 45N over 49.3–50.4°N, 88.4–90.2°E (the Chikhachev
//!   ridge region, ≈ 49.5–50.2°N, 88.8–89.8°E, widened so that a survey photographs enough animals), kept where it lies in
//!   Mongolia or Russia; the same stations work 90 days (1 Sep – 30 Nov) in each year.
//! - Ruggedness: a simulated index in [0.02, 1] on a 2.5 km grid (UTM 45N, the stations'
//!   extent plus a 24 km buffer): high along the border ridge (a Gaussian of the geodesic distance to
//!   the border, scale 20 km) plus seeded bumps; written as a GeoTIFF (`rugged.tif`, EPSG 32645).
//!   Its cells are the habitat mask of the simulation.
//! - Density (animals/ha) is log-linear in ruggedness with a session effect, in secr's notation
//!   D ~ rugged + session: D = exp(β₀ + β₁·rugged + β₂·[year = 2024]) (Borchers & Efford 2008;
//!   Efford 2025, secr "Density surfaces"); with the defaults 0.07–0.18 animals/100 km² in 2023
//!   and 30% fewer (0.049–0.126) in 2024. Each year the animals of a cell are Poisson with mean
//!   D·area, placed uniformly in the cell.
//! - Detection: each station-day an animal is photographed with the half-normal probability
//!   g0·exp(−d²/2σ²) (Efford 2004), g0 = 0.02, σ = 6 km, so that binary proximity detectors with
//!   usage K days per occasion follow secr's p = 1 − (1 − g)^K exactly.
//!
//! Output: per year a Camtrap DP package per country (`2023/mn.zip`, `2023/ru.zip`) and the
//! expert links of animals seen on both sides (`2023/links.csv`); the same survey as secr input
//! (`secr/traps.csv` with usage, `secr/captures.csv` with the year as session); `rugged.tif`;
//! `border.geojson`; `truth.json`; `README.md`. Every file says SIMULATED.

use super::demo::{clip_lines, csv_bytes, round6, DemoError};
use crate::io::archive::write_zip;
use crate::io::geotiff::write_geotiff;
use crate::io::topojson::read_countries;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::pipeline::located;
use crate::spatial::{shared_boundary, Border, Utm};
use chrono::{Duration, FixedOffset, TimeZone};
use geo::{Contains, MultiLineString, MultiPolygon, Point};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

/// Settings of the simulation (defaults are the shipped demo).
#[derive(Debug, Clone, Serialize)]
pub struct SnowConfig {
    /// Seed of the populations and photographs.
    pub seed: u64,
    /// Seed of the ruggedness surface and the deployments' times.
    pub layout_seed: u64,
    pub station_spacing_m: f64,
    pub cell_m: f64,
    pub buffer_m: f64,
    pub sigma_m: f64,
    pub g0_per_day: f64,
    pub days: i64,
    pub occasion_days: i64,
    pub years: [i32; 2],
    /// β₀ (log animals/ha at rugged = 0 in the first year), β₁ (rugged), β₂ (second year).
    pub beta: [f64; 3],
}

impl Default for SnowConfig {
    fn default() -> Self {
        SnowConfig {
            seed: 1,
            layout_seed: 49_89,
            station_spacing_m: 10_000.0,
            cell_m: 2500.0,
            buffer_m: 24_000.0,
            sigma_m: 6000.0,
            g0_per_day: 0.02,
            days: 90,
            occasion_days: 15,
            years: [2023, 2024],
            // 0.07 /100 km² = 7e-6 /ha at rugged 0; ×18/7 at rugged 1 (0.18); ×0.7 in the second year.
            beta: [(7e-6f64).ln(), (18.0f64 / 7.0).ln(), 0.7f64.ln()],
        }
    }
}

/// The simulated truth, shipped as `truth.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SnowTruth {
    pub note: &'static str,
    pub config: SnowConfig,
    /// secr's coefficient names of the generating model D ~ rugged + session.
    pub beta_names: [&'static str; 3],
    pub years: Vec<YearTruth>,
    pub raster: RasterInfo,
}

/// What was simulated in one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearTruth {
    pub year: i32,
    /// Expected number of animals in the raster (Σ D·cell area).
    pub expected_n: f64,
    /// Animals simulated in the raster.
    pub n: usize,
    /// Density range over the raster, animals per 100 km².
    pub d_min_per_100km2: f64,
    pub d_max_per_100km2: f64,
    pub photographed: usize,
    pub photographed_both_sides: usize,
    pub countries: Vec<CountryTruth>,
}

/// One country's part of a year's truth (cells by the country their centre lies in).
#[derive(Debug, Clone, Serialize)]
pub struct CountryTruth {
    pub code: &'static str,
    pub area_km2: f64,
    pub expected_n: f64,
    pub n: usize,
    pub photographed: usize,
}

/// Where the ruggedness raster lies.
#[derive(Debug, Clone, Serialize)]
pub struct RasterInfo {
    pub file: &'static str,
    pub epsg: u16,
    pub width: usize,
    pub height: usize,
    pub cell_m: f64,
    /// Top-left corner (easting, northing), metres.
    pub origin: (f64, f64),
}

/// The generated survey: files to ship and the truth behind them.
#[derive(Debug, Clone)]
pub struct SnowSurvey {
    /// (path relative to the demo folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub truth: SnowTruth,
}

const CODES: [&str; 2] = ["MN", "RU"];
const CLIP: (f64, f64, f64, f64) = (87.8, 48.8, 91.0, 51.0); // lon0, lat0, lon1, lat1
const BOX: (f64, f64, f64, f64) = (88.4, 49.3, 90.2, 50.4);
const UTM45: Utm = Utm { zone: 45, north: true };
const PREY: &[&str] = &["Capra sibirica", "Ovis ammon", "Vulpes vulpes"];

struct Station {
    id: String,
    side: usize,
    pos: LatLon,
    xy: (f64, f64),
}

struct Cell {
    xy: (f64, f64),
    rugged: f64,
    side: Option<usize>,
}

/// What does not change between replicates: border, stations, ruggedness raster.
pub struct SnowLayout {
    cfg: SnowConfig,
    border: MultiLineString<f64>,
    stations: Vec<Station>,
    cells: Vec<Cell>,
    width: usize,
    height: usize,
    origin: (f64, f64),
    tif: Vec<u8>,
}

impl SnowLayout {
    /// Border, stations and the ruggedness raster from the Natural Earth TopoJSON basemap.
    pub fn new(basemap: &[u8], cfg: &SnowConfig) -> Result<SnowLayout, DemoError> {
        let countries = read_countries("basemap", basemap).map_err(|e| DemoError::Basemap(located(&e)))?;
        let shape = |n: &str| -> Result<MultiPolygon<f64>, DemoError> {
            countries
                .iter()
                .find(|c| c.name == n)
                .map(|c| c.shape.clone())
                .ok_or_else(|| DemoError::Basemap(Message::new("pipeline.demo.no_country").with("name", n)))
        };
        let shapes = [shape("Mongolia")?, shape("Russia")?];
        let border_lines = clip_lines(&shared_boundary(&shapes[0], &shapes[1], 1e-7), CLIP);
        let border =
            Border::new(border_lines.clone()).map_err(|e| DemoError::Basemap(Message::untranslated(e.to_string())))?;
        let side_of = |p: LatLon| shapes.iter().position(|s| s.contains(&Point::new(p.lon, p.lat)));
        // Stations: the grid points of the box, north to south, west to east.
        let corners = [(BOX.0, BOX.1), (BOX.2, BOX.1), (BOX.0, BOX.3), (BOX.2, BOX.3)]
            .map(|(lon, lat)| UTM45.from_latlon(LatLon { lat, lon }));
        let (sx0, sx1) = corners.iter().fold((f64::MAX, f64::MIN), |m, c| (m.0.min(c.0), m.1.max(c.0)));
        let (sy0, sy1) = corners.iter().fold((f64::MAX, f64::MIN), |m, c| (m.0.min(c.1), m.1.max(c.1)));
        let sp = cfg.station_spacing_m;
        let mut grid = Vec::new();
        let mut y = (sy1 / sp).floor() * sp;
        while y >= sy0 {
            let mut x = (sx0 / sp).ceil() * sp;
            while x <= sx1 {
                if let Ok(p) = UTM45.to_latlon(x, y) {
                    let in_box = (BOX.0..=BOX.2).contains(&p.lon) && (BOX.1..=BOX.3).contains(&p.lat);
                    if let (true, Some(side)) = (in_box, side_of(p)) {
                        grid.push((side, p, (x, y)));
                    }
                }
                x += sp;
            }
            y -= sp;
        }
        let mut stations = Vec::new();
        for (side, code) in CODES.iter().enumerate() {
            for (k, (_, p, xy)) in grid.iter().filter(|g| g.0 == side).enumerate() {
                stations.push(Station { id: format!("{code}-{:02}", k + 1), side, pos: *p, xy: *xy });
            }
        }
        // Raster: the stations' extent plus the buffer, snapped to the cell size.
        let c = cfg.cell_m;
        let (x0, y1) = (((sx0 - cfg.buffer_m) / c).floor() * c, ((sy1 + cfg.buffer_m) / c).ceil() * c);
        let width = (((sx1 + cfg.buffer_m) - x0) / c).ceil() as usize;
        let height = ((y1 - (sy0 - cfg.buffer_m)) / c).ceil() as usize;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(cfg.layout_seed);
        let bumps: Vec<(f64, f64, f64)> = (0..8)
            .map(|_| {
                let bx = x0 + rng.gen_range(0.0..width as f64 * c);
                let by = y1 - rng.gen_range(0.0..height as f64 * c);
                (bx, by, rng.gen_range(-0.25..0.3))
            })
            .collect();
        let mut cells = Vec::with_capacity(width * height);
        for row in 0..height {
            for col in 0..width {
                let xy = (x0 + (col as f64 + 0.5) * c, y1 - (row as f64 + 0.5) * c);
                let p = UTM45.to_latlon(xy.0, xy.1).map_err(|e| DemoError::Basemap(Message::untranslated(e)))?;
                let d = border.geodesic_distance_km(p);
                let mut r = 0.15 + 0.75 * (-d * d / (2.0 * 20.0 * 20.0)).exp();
                for &(bx, by, a) in &bumps {
                    let d2 = ((xy.0 - bx).powi(2) + (xy.1 - by).powi(2)) / 1e6;
                    r += a * (-d2 / (2.0 * 10.0 * 10.0)).exp();
                }
                // Stored as f32 in the GeoTIFF: the simulation uses exactly the stored value.
                let rugged = f64::from(r.clamp(0.02, 1.0) as f32);
                cells.push(Cell { xy, rugged, side: side_of(p) });
            }
        }
        let values: Vec<f32> = cells.iter().map(|c| c.rugged as f32).collect();
        let tif = write_geotiff(width, height, &values, (x0, y1), c, Some(32645), None)
            .map_err(|e| DemoError::Basemap(Message::untranslated(e)))?;
        Ok(SnowLayout { cfg: cfg.clone(), border: border_lines, stations, cells, width, height, origin: (x0, y1), tif })
    }

    /// Number of camera stations (both countries).
    pub fn stations(&self) -> usize {
        self.stations.len()
    }

    /// D (animals/ha) of a cell in session `s` (0 or 1).
    fn density(&self, cell: &Cell, s: usize) -> f64 {
        let b = &self.cfg.beta;
        (b[0] + b[1] * cell.rugged + b[2] * s as f64).exp()
    }

    /// The survey of population seed `seed` (the layout's stations and raster).
    pub fn survey(&self, seed: u64) -> SnowSurvey {
        let cfg = &self.cfg;
        let cell_ha = cfg.cell_m * cfg.cell_m / 1e4;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut years = Vec::new();
        let mut captures: Vec<Vec<String>> = Vec::new();
        for (s, &year) in cfg.years.iter().enumerate() {
            let animals = self.population(s, &mut rng);
            let photos = self.photograph(&animals, &mut rng);
            let ids = national_ids(&photos, self, year);
            let start = |o: &FixedOffset| o.with_ymd_and_hms(year, 9, 1, 10, 0, 0).unwrap();
            let offset = FixedOffset::east_opt(7 * 3600).unwrap();
            // secr captures: one record per animal, occasion and station (binary proximity).
            let mut recs = std::collections::BTreeSet::new();
            for (a, ph) in photos.iter().enumerate() {
                for &(k, day, _) in ph {
                    let id = ids[a].iter().flatten().next().unwrap().clone();
                    recs.insert((id, day / cfg.occasion_days + 1, self.stations[k].id.clone()));
                }
            }
            captures.extend(recs.into_iter().map(|(id, occ, st)| vec![year.to_string(), id, occ.to_string(), st]));
            for side in 0..2 {
                files.push(self.package(year, side, start(&offset), &photos, &ids, &mut rng));
            }
            let mut links: Vec<Vec<String>> = ids
                .iter()
                .filter_map(|n| match n {
                    [Some(a), Some(b)] => Some(vec!["MN".into(), a.clone(), "RU".into(), b.clone()]),
                    _ => None,
                })
                .collect();
            links.sort();
            files.push((format!("{year}/links.csv"), csv_bytes(&["catalog_a", "id_a", "catalog_b", "id_b"], &links)));
            years.push(self.year_truth(year, s, cell_ha, &animals, &photos));
        }
        files.push(("secr/traps.csv".into(), self.traps_csv()));
        files.push(("secr/captures.csv".into(), csv_bytes(&["session", "id", "occasion", "detector"], &captures)));
        files.push(("rugged.tif".into(), self.tif.clone()));
        files.push(("border.geojson".into(), self.border_geojson()));
        let truth = SnowTruth {
            note: "SIMULATED: the truth behind the Borderless snow-leopard demo survey (not real observations)",
            config: SnowConfig { seed, ..cfg.clone() },
            beta_names: ["D", "D.rugged", "D.session2024"],
            years,
            raster: RasterInfo {
                file: "rugged.tif",
                epsg: 32645,
                width: self.width,
                height: self.height,
                cell_m: cfg.cell_m,
                origin: self.origin,
            },
        };
        files.push(("truth.json".into(), (serde_json::to_string_pretty(&truth).unwrap() + "\n").into_bytes()));
        files.push(("README.md".into(), readme(&truth, self.stations.len()).into_bytes()));
        SnowSurvey { files, truth }
    }

    /// Activity centres of session `s`: (x, y, cell index).
    fn population(&self, s: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<(f64, f64, usize)> {
        let (c, cell_ha) = (self.cfg.cell_m, self.cfg.cell_m * self.cfg.cell_m / 1e4);
        let mut out = Vec::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let n = Poisson::new(self.density(cell, s) * cell_ha).unwrap().sample(rng) as usize;
            for _ in 0..n {
                let x = cell.xy.0 + rng.gen_range(-0.5..0.5) * c;
                let y = cell.xy.1 + rng.gen_range(-0.5..0.5) * c;
                out.push((x, y, i));
            }
        }
        out
    }

    /// Per animal: (station, day index, hour of day) of each photograph, in time order.
    fn photograph(&self, animals: &[(f64, f64, usize)], rng: &mut Xoshiro256PlusPlus) -> Vec<Vec<(usize, i64, f64)>> {
        let cfg = &self.cfg;
        // Crepuscular and nocturnal: hours around dusk (Normal, mean 20 h, sd 5 h, wrapped).
        let hour = Normal::new(20.0f64, 5.0).unwrap();
        animals
            .iter()
            .map(|&(ax, ay, _)| {
                let mut ph = Vec::new();
                for (k, st) in self.stations.iter().enumerate() {
                    let d2 = (st.xy.0 - ax).powi(2) + (st.xy.1 - ay).powi(2);
                    let p = cfg.g0_per_day * (-d2 / (2.0 * cfg.sigma_m * cfg.sigma_m)).exp();
                    for day in 0..cfg.days {
                        if rng.gen::<f64>() < p {
                            // Between 10:00 of the deployment day + day and 10:00 of the next day.
                            let h = 10.0 + (hour.sample(rng) - 10.0).rem_euclid(24.0);
                            ph.push((k, day, h));
                        }
                    }
                }
                ph.sort_by(|a, b| (a.1, a.2).partial_cmp(&(b.1, b.2)).unwrap());
                ph
            })
            .collect()
    }

    fn year_truth(
        &self,
        year: i32,
        s: usize,
        cell_ha: f64,
        animals: &[(f64, f64, usize)],
        photos: &[Vec<(usize, i64, f64)>],
    ) -> YearTruth {
        let d: Vec<f64> = self.cells.iter().map(|c| self.density(c, s)).collect();
        let seen = |a: usize, side: Option<usize>| {
            photos[a].iter().any(|p| side.is_none_or(|sd| self.stations[p.0].side == sd))
        };
        let countries = (0..2)
            .map(|side| {
                let inside: Vec<usize> = (0..self.cells.len()).filter(|&i| self.cells[i].side == Some(side)).collect();
                CountryTruth {
                    code: CODES[side],
                    area_km2: inside.len() as f64 * cell_ha / 100.0,
                    expected_n: round6(inside.iter().map(|&i| d[i] * cell_ha).sum()),
                    n: animals.iter().filter(|a| self.cells[a.2].side == Some(side)).count(),
                    photographed: (0..animals.len()).filter(|&a| seen(a, Some(side))).count(),
                }
            })
            .collect();
        YearTruth {
            year,
            expected_n: round6(d.iter().sum::<f64>() * cell_ha),
            n: animals.len(),
            d_min_per_100km2: round6(d.iter().copied().fold(f64::MAX, f64::min) * 1e4),
            d_max_per_100km2: round6(d.iter().copied().fold(f64::MIN, f64::max) * 1e4),
            photographed: (0..animals.len()).filter(|&a| seen(a, None)).count(),
            photographed_both_sides: (0..animals.len()).filter(|&a| seen(a, Some(0)) && seen(a, Some(1))).count(),
            countries,
        }
    }
}

/// National IDs per animal and country ("MN-SL23-01": 2023, first in Mongolia), numbered by first photograph there.
fn national_ids(photos: &[Vec<(usize, i64, f64)>], layout: &SnowLayout, year: i32) -> Vec<[Option<String>; 2]> {
    let mut out = vec![[None, None]; photos.len()];
    for (side, code) in CODES.iter().enumerate() {
        let first = |a: usize| photos[a].iter().find(|p| layout.stations[p.0].side == side).map(|p| (p.1, p.2));
        let mut order: Vec<(usize, (i64, f64))> = (0..photos.len()).filter_map(|a| first(a).map(|f| (a, f))).collect();
        order.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap().then(a.0.cmp(&b.0)));
        for (k, (a, _)) in order.into_iter().enumerate() {
            out[a][side] = Some(format!("{code}-SL{:02}-{:02}", year % 100, k + 1));
        }
    }
    out
}

/// The table headers of the demo's Camtrap DP resources.
const DEPLOYMENT_HEADER: [&str; 11] = [
    "deploymentID",
    "locationID",
    "locationName",
    "latitude",
    "longitude",
    "coordinateUncertainty",
    "deploymentStart",
    "deploymentEnd",
    "cameraModel",
    "featureType",
    "deploymentGroups",
];
const MEDIA_HEADER: [&str; 6] = ["mediaID", "deploymentID", "captureMethod", "timestamp", "filePath", "fileMediatype"];
const OBSERVATION_HEADER: [&str; 12] = [
    "observationID",
    "deploymentID",
    "eventID",
    "eventStart",
    "eventEnd",
    "observationLevel",
    "observationType",
    "scientificName",
    "count",
    "lifeStage",
    "individualID",
    "classificationMethod",
];

/// One photograph event: (day, hour, station, scientific name, individual ID if a snow leopard).
type Event = (i64, f64, usize, &'static str, Option<String>);

impl SnowLayout {
    /// One country's Camtrap DP package of one year, as a zip.
    fn package(
        &self,
        year: i32,
        side: usize,
        start: chrono::DateTime<FixedOffset>,
        photos: &[Vec<(usize, i64, f64)>],
        ids: &[[Option<String>; 2]],
        rng: &mut Xoshiro256PlusPlus,
    ) -> (String, Vec<u8>) {
        let code = CODES[side];
        let mut events: Vec<Event> = Vec::new();
        for (a, ph) in photos.iter().enumerate() {
            for &(k, day, h) in ph.iter().filter(|p| self.stations[p.0].side == side) {
                events.push((day, h, k, "Panthera uncia", ids[a][side].clone()));
            }
        }
        for (k, _) in self.stations.iter().enumerate().filter(|s| s.1.side == side) {
            for _ in 0..rng.gen_range(2..8) {
                events.push((
                    rng.gen_range(0..self.cfg.days),
                    rng.gen_range(10.5..33.5),
                    k,
                    PREY[rng.gen_range(0..3)],
                    None,
                ));
            }
        }
        events.sort_by(|a, b| (a.0, a.1, a.2).partial_cmp(&(b.0, b.1, b.2)).unwrap());
        let end = start + Duration::days(self.cfg.days);
        let deployments: Vec<Vec<String>> = self
            .stations
            .iter()
            .filter(|s| s.side == side)
            .map(|st| {
                let id = format!("{}-{year}", st.id);
                let group = format!("catalog:{code} | year:{year} | simulated:true");
                vec![
                    id,
                    format!("loc-{}", st.id),
                    format!("{} (SIMULATED)", st.id),
                    format!("{:.5}", st.pos.lat),
                    format!("{:.5}", st.pos.lon),
                    "10".into(),
                    start.to_rfc3339(),
                    end.to_rfc3339(),
                    "Reconyx-HyperFire-2".into(),
                    "ridge".into(),
                    group,
                ]
            })
            .collect();
        let (mut media, mut observations) = (Vec::new(), Vec::new());
        for (e, (day, h, k, sci, ind)) in events.iter().enumerate() {
            let dep = format!("{}-{year}", self.stations[*k].id);
            let t = start + Duration::days(*day) + Duration::seconds(((h - 10.0) * 3600.0) as i64);
            let media_id = format!("{code}{year}-m{:05}", e + 1);
            media.push(vec![
                media_id.clone(),
                dep.clone(),
                "activityDetection".into(),
                t.to_rfc3339(),
                format!("simulated/{media_id}.jpg"),
                "image/jpeg".into(),
            ]);
            observations.push(vec![
                format!("{code}{year}-o{:05}", e + 1),
                dep,
                format!("{code}{year}-e{:05}", e + 1),
                t.to_rfc3339(),
                (t + Duration::seconds(rng.gen_range(3..40))).to_rfc3339(),
                "event".into(),
                "animal".into(),
                sci.to_string(),
                "1".into(),
                "adult".into(),
                ind.clone().unwrap_or_default(),
                "human".into(),
            ]);
        }
        let dp = (serde_json::to_string_pretty(&self.datapackage(year, side)).unwrap() + "\n").into_bytes();
        let zip = write_zip(&[
            ("datapackage.json", &dp),
            ("deployments.csv", &csv_bytes(&DEPLOYMENT_HEADER, &deployments)),
            ("media.csv", &csv_bytes(&MEDIA_HEADER, &media)),
            ("observations.csv", &csv_bytes(&OBSERVATION_HEADER, &observations)),
        ]);
        (format!("{year}/{}.zip", code.to_lowercase()), zip)
    }

    /// The `datapackage.json` of one country and year.
    fn datapackage(&self, year: i32, side: usize) -> serde_json::Value {
        let country = ["Mongolia", "Russia"][side];
        let st: Vec<&Station> = self.stations.iter().filter(|s| s.side == side).collect();
        let (lat0, lat1) = st.iter().fold((90.0f64, -90.0f64), |m, s| (m.0.min(s.pos.lat), m.1.max(s.pos.lat)));
        let (lon0, lon1) = st.iter().fold((180.0f64, -180.0f64), |m, s| (m.0.min(s.pos.lon), m.1.max(s.pos.lon)));
        let res = |name: &str| serde_json::json!({"name": name, "path": format!("{name}.csv"), "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": format!("https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/{name}-table-schema.json")});
        serde_json::json!({
            "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
            "name": format!("borderless-snow-leopard-demo-{}-{year}", CODES[side].to_lowercase()),
            "title": format!("SIMULATED snow leopard survey {year} — {country} side (Chikhachev ridge): camera traps"),
            "description": "SIMULATED DATA, not real observations. Generated by Borderless (crate/src/pipeline/snow_demo.rs, `borderless demo --snow-leopard`) to demonstrate density models and trends across years; see README.md beside this package.",
            "version": "1.0",
            "created": "2026-12-07T00:00:00Z",
            "contributors": [{"title": "Borderless demo generator (SIMULATED)", "role": "contributor"}],
            "licenses": [{"name": "CC0-1.0", "scope": "data"}],
            "project": {
                "id": "borderless-snow-leopard-demo",
                "title": "Borderless SIMULATED transboundary snow leopard survey (Mongolia–Russia, Chikhachev ridge)",
                "acronym": CODES[side],
                "samplingDesign": "systematic",
                "captureMethod": ["activityDetection"],
                "individualAnimals": true,
                "observationLevel": ["event"]
            },
            "coordinatePrecision": 0.00001,
            "spatial": {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]},
            "temporal": {"start": format!("{year}-09-01"), "end": format!("{year}-11-30")},
            "taxonomic": [
                {"scientificName": "Panthera uncia", "taxonRank": "species", "vernacularNames": {"eng": "snow leopard"}},
                {"scientificName": "Capra sibirica", "taxonRank": "species"},
                {"scientificName": "Ovis ammon", "taxonRank": "species"},
                {"scientificName": "Vulpes vulpes", "taxonRank": "species"}
            ],
            "resources": [res("deployments"), res("media"), res("observations")]
        })
    }

    /// secr traps: UTM 45N metres, proximity detectors, usage = days worked per occasion.
    fn traps_csv(&self) -> Vec<u8> {
        let k = (self.cfg.days / self.cfg.occasion_days) as usize;
        let mut header = vec!["detector".to_string(), "x".into(), "y".into(), "detector_type".into()];
        header.extend((1..=k).map(|i| format!("usage{i}")));
        let rows: Vec<Vec<String>> = self
            .stations
            .iter()
            .map(|s| {
                let mut r = vec![s.id.clone(), format!("{:.1}", s.xy.0), format!("{:.1}", s.xy.1), "proximity".into()];
                r.extend((0..k).map(|_| self.cfg.occasion_days.to_string()));
                r
            })
            .collect();
        csv_bytes(&header.iter().map(String::as_str).collect::<Vec<_>>(), &rows)
    }

    /// The border as GeoJSON (coordinates to 6 decimals).
    fn border_geojson(&self) -> Vec<u8> {
        let coords: Vec<Vec<[f64; 2]>> =
            self.border.0.iter().map(|l| l.0.iter().map(|c| [round6(c.x), round6(c.y)]).collect()).collect();
        let gj = serde_json::json!({
            "type": "FeatureCollection",
            "features": [{
                "type": "Feature",
                "properties": {
                    "name": "Mongolia–Russia border, Chikhachev ridge section (for the SIMULATED snow leopard demo)",
                    "source": "Natural Earth 1:10m admin-0 countries (public domain): boundary shared by Mongolia and Russia, clipped to 48.8–51°N, 87.8–91°E"
                },
                "geometry": {"type": "MultiLineString", "coordinates": coords}
            }]
        });
        (serde_json::to_string(&gj).unwrap() + "\n").into_bytes()
    }
}

/// The README shipped beside the files.
fn readme(t: &SnowTruth, stations: usize) -> String {
    let c = &t.config;
    let mut s = String::from("# SIMULATED snow leopard demo survey (Mongolia–Russia, Chikhachev ridge)\n\n");
    s += "**SIMULATED DATA — not real observations.** Every file here was generated by Borderless \
          (`crate/src/pipeline/snow_demo.rs`) and is regenerated byte for byte by\n\n";
    s += &format!(
        "    borderless demo --snow-leopard --seed {} --basemap www/basemap/ne-asia-countries-10m.topo.json --out www/demo/snowleopard\n\n",
        c.seed
    );
    s += &format!(
        "- {stations} camera stations on a {:.0} km grid (UTM 45N) over 49.3–50.4°N, 88.4–90.2°E, on both sides of the \
         real Mongolia–Russia border (Natural Earth 1:10m), each working {} days (1 Sep – 30 Nov) in {} and {}.\n",
        c.station_spacing_m / 1000.0,
        c.days,
        c.years[0],
        c.years[1]
    );
    s += &format!(
        "- `rugged.tif`: a simulated ruggedness index (0.02–1, {:.0} m cells, EPSG:32645), high along the border ridge.\n",
        c.cell_m
    );
    s += "- Density D ~ rugged + session (secr notation), log link: D = exp(β₀ + β₁·rugged + β₂·[2024]) animals/ha, \
          with β in `truth.json`.\n";
    s += &format!(
        "- Half-normal detection per camera-day, g0 = {}, σ = {:.0} m; occasions of {} days.\n\n",
        c.g0_per_day, c.sigma_m, c.occasion_days
    );
    s += "| year | D range (/100 km²) | expected N | simulated N | photographed | on both sides |\n|---|---|---|---|---|---|\n";
    for y in &t.years {
        s += &format!(
            "| {} | {:.3}–{:.3} | {:.2} | {} | {} | {} |\n",
            y.year,
            y.d_min_per_100km2,
            y.d_max_per_100km2,
            y.expected_n,
            y.n,
            y.photographed,
            y.photographed_both_sides
        );
    }
    s += "\nFiles: `YEAR/mn.zip`, `YEAR/ru.zip` (Camtrap DP 1.0.2 per country and year), `YEAR/links.csv` (animals \
          matched across the border), `secr/traps.csv` + `secr/captures.csv` (the same surveys as secr input, \
          session = year), `rugged.tif`, `border.geojson`, `truth.json` (the simulated truth).\n\n";
    s += "Fit the generating model with\n\n    borderless secr --traps secr/traps.csv --captures secr/captures.csv --sessions \\\n        --mask rugged.tif --mask-covariate rugged=rugged.tif --model \"D~rugged+session\"\n";
    s
}
