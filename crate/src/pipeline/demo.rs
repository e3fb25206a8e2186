//! The built-in **simulated** demo survey: a transboundary camera-trap survey of Amur tigers
//! modelled on the lower Tumen border between Land of the Leopard National Park (Russia) and
//! Northeast China Tiger and Leopard National Park (China).
//!
//! How it is made (all seeded, so the files are reproducible byte for byte):
//! - Border: the China–Russia boundary shared by the Natural Earth 1:10m country polygons
//!   (`shared/basemap/ne-asia-countries-10m.topo.json`), clipped to 42.35–43.75°N, 130.2–131.6°E.
//! - Stations: a 4 km grid in UTM zone 52N; on each side the 60 grid points closest to the
//!   border (inside that country's polygon, 42.45–43.65°N) become camera stations, each
//!   deployed for about six months (1 Nov 2024 – 30 Apr 2025, start and end jittered by up to
//!   four days; a few cameras fail early).
//! - Tigers: activity centres uniform on land of either country within 30 km of the border;
//!   each station-day an animal is photographed with the half-normal probability
//!   g0·exp(−d²/2σ²) (Efford 2004), g0 = 0.0055, σ = 5 km; times of day cluster around dusk
//!   and night. Prey species are added without individual IDs.
//! - The population seed is the first one from [`DemoConfig::first_seed`] upwards for which
//!   exactly 45 tigers are photographed, 19 of them on both sides — the numbers of the joint
//!   China–Russia study, so the demo shows its 42.2% over-count.
//!
//! China's files use UTC+08:00 and Russia's UTC+10:00, as the two field teams would.

use crate::io::archive::write_zip;
use crate::io::topojson::read_countries;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::pipeline::located;
use crate::spatial::{shared_boundary, Border, Utm};
use chrono::{Duration, FixedOffset, TimeZone};
use geo::{Contains, Coord, LineString, MultiLineString, MultiPolygon, Point};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

/// Errors while making the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("basemap: {0}")]
    Basemap(Message),
    #[error("no seed in {0} tries gave the target counts")]
    NoSeed(u64),
}

impl DemoError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            DemoError::Basemap(m) => Message::new("pipeline.demo.basemap").with("message", m.clone()),
            DemoError::NoSeed(n) => Message::new("pipeline.demo.no_seed").with("n", *n),
        }
    }
}

/// Settings of the simulation (defaults are the shipped demo).
#[derive(Debug, Clone, Serialize)]
pub struct DemoConfig {
    pub first_seed: u64,
    pub layout_seed: u64,
    pub stations_per_side: usize,
    pub grid_spacing_m: f64,
    pub animals: usize,
    pub sigma_m: f64,
    pub g0_per_day: f64,
    pub target_unique: usize,
    pub target_transboundary: usize,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            first_seed: 1,
            layout_seed: 20241101,
            stations_per_side: 60,
            grid_spacing_m: 4000.0,
            animals: 95,
            sigma_m: 5000.0,
            g0_per_day: 0.0055,
            target_unique: 45,
            target_transboundary: 19,
        }
    }
}

/// The generated survey: files to ship, and what was simulated (for tests of estimators).
#[derive(Debug, Clone)]
pub struct DemoSurvey {
    /// (path relative to the demo folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub seed: u64,
    pub truth: Truth,
}

/// The simulated truth, shipped as `truth.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub note: &'static str,
    pub config: DemoConfig,
    pub seed: u64,
    pub animals_in_population: usize,
    pub photographed: usize,
    pub photographed_both_sides: usize,
    pub activity_centres: Vec<LatLon>,
}

struct Side {
    code: &'static str,
    country: &'static str,
    offset: FixedOffset,
    stations: Vec<DemoStation>,
}

struct DemoStation {
    id: String,
    pos: LatLon,
    xy: (f64, f64),
    start: chrono::DateTime<FixedOffset>,
    end: chrono::DateTime<FixedOffset>,
}

const CLIP: (f64, f64, f64, f64) = (130.2, 42.35, 131.6, 43.75); // lon0, lat0, lon1, lat1
const PREY: &[&str] = &["Capreolus pygargus", "Sus scrofa", "Cervus nippon"];

/// The runs of at least two vertices of `lines` inside the box `clip` (lon0, lat0, lon1, lat1);
/// also the snow-leopard demo's (`super::snow_demo`).
pub(super) fn clip_lines(lines: &MultiLineString<f64>, clip: (f64, f64, f64, f64)) -> MultiLineString<f64> {
    let inside = |c: &Coord<f64>| c.x >= clip.0 && c.x <= clip.2 && c.y >= clip.1 && c.y <= clip.3;
    let mut out = Vec::new();
    for l in &lines.0 {
        let mut run: Vec<Coord<f64>> = Vec::new();
        for c in &l.0 {
            if inside(c) {
                run.push(*c);
            } else if run.len() >= 2 {
                out.push(LineString::new(std::mem::take(&mut run)));
            } else {
                run.clear();
            }
        }
        if run.len() >= 2 {
            out.push(LineString::new(run));
        }
    }
    MultiLineString(out)
}

/// Generates the demo from the Natural Earth TopoJSON basemap.
pub fn generate(basemap: &[u8], cfg: &DemoConfig) -> Result<DemoSurvey, DemoError> {
    let countries = read_countries("basemap", basemap).map_err(|e| DemoError::Basemap(located(&e)))?;
    let shape = |n: &str| -> Result<MultiPolygon<f64>, DemoError> {
        countries
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.shape.clone())
            .ok_or_else(|| DemoError::Basemap(Message::new("pipeline.demo.no_country").with("name", n)))
    };
    let (china, russia) = (shape("China")?, shape("Russia")?);
    let border_lines = clip_lines(&shared_boundary(&china, &russia, 1e-7), CLIP);
    let border =
        Border::new(border_lines.clone()).map_err(|e| DemoError::Basemap(Message::untranslated(e.to_string())))?;
    let utm = Utm { zone: 52, north: true };

    // Station layout.
    let mut layout_rng = Xoshiro256PlusPlus::seed_from_u64(cfg.layout_seed);
    let (x0, y0) = utm.from_latlon(LatLon { lat: 42.45, lon: CLIP.0 });
    let (x1, y1) = utm.from_latlon(LatLon { lat: 43.65, lon: CLIP.2 });
    let mut candidates: Vec<(usize, f64, LatLon, (f64, f64))> = Vec::new(); // (side, dist, pos, xy)
    let mut y = (y0 / cfg.grid_spacing_m).ceil() * cfg.grid_spacing_m;
    while y <= y1 {
        let mut x = (x0 / cfg.grid_spacing_m).ceil() * cfg.grid_spacing_m;
        while x <= x1 {
            if let Ok(p) = utm.to_latlon(x, y) {
                let pt = Point::new(p.lon, p.lat);
                let side = if china.contains(&pt) {
                    Some(0)
                } else if russia.contains(&pt) {
                    Some(1)
                } else {
                    None
                };
                if let (Some(side), true) = (side, (42.45..=43.65).contains(&p.lat)) {
                    let d = border.geodesic_distance_km(p);
                    if d > 0.5 {
                        candidates.push((side, d, p, (x, y)));
                    }
                }
            }
            x += cfg.grid_spacing_m;
        }
        y += cfg.grid_spacing_m;
    }
    candidates.sort_by(|a, b| a.1.total_cmp(&b.1));
    let season_start = |o: &FixedOffset| o.with_ymd_and_hms(2024, 11, 1, 0, 0, 0).unwrap();
    let mut sides = vec![
        Side { code: "CN", country: "China", offset: FixedOffset::east_opt(8 * 3600).unwrap(), stations: vec![] },
        Side { code: "RU", country: "Russia", offset: FixedOffset::east_opt(10 * 3600).unwrap(), stations: vec![] },
    ];
    for (si, side) in sides.iter_mut().enumerate() {
        let mut chosen: Vec<_> = candidates.iter().filter(|c| c.0 == si).take(cfg.stations_per_side).collect();
        chosen.sort_by(|a, b| b.2.lat.total_cmp(&a.2.lat).then(a.2.lon.total_cmp(&b.2.lon)));
        for (k, c) in chosen.into_iter().enumerate() {
            let start = season_start(&side.offset) + Duration::minutes(layout_rng.gen_range(0..4 * 24 * 60) + 8 * 60);
            let nominal_days = if layout_rng.gen_bool(0.05) {
                layout_rng.gen_range(40..120)
            } else {
                180 - layout_rng.gen_range(0..4)
            };
            let end = start + Duration::days(nominal_days) + Duration::minutes(layout_rng.gen_range(0..600));
            side.stations.push(DemoStation {
                id: format!("{}-{:03}", side.code, k + 1),
                pos: c.2,
                xy: c.3,
                start,
                end,
            });
        }
    }

    // Land within 30 km of the border for activity centres.
    let (ax0, ay0) = utm.from_latlon(LatLon { lat: CLIP.1, lon: CLIP.0 });
    let (ax1, ay1) = utm.from_latlon(LatLon { lat: CLIP.3, lon: CLIP.2 });
    let mut centre_pool_rng = Xoshiro256PlusPlus::seed_from_u64(cfg.layout_seed + 1);
    let mut pool: Vec<(LatLon, (f64, f64))> = Vec::new();
    while pool.len() < 4000 {
        let (x, y) = (centre_pool_rng.gen_range(ax0..ax1), centre_pool_rng.gen_range(ay0..ay1));
        let Ok(p) = utm.to_latlon(x, y) else { continue };
        let pt = Point::new(p.lon, p.lat);
        if (china.contains(&pt) || russia.contains(&pt)) && border.geodesic_distance_km(p) <= 30.0 {
            pool.push((p, (x, y)));
        }
    }

    for seed in cfg.first_seed..cfg.first_seed + 100_000 {
        let sim = simulate(&sides, &pool, cfg, seed);
        let unique = sim.iter().filter(|a| a.iter().any(|s| !s.is_empty())).count();
        let both = sim.iter().filter(|a| a.iter().all(|s| !s.is_empty())).count();
        if unique == cfg.target_unique && both == cfg.target_transboundary {
            return Ok(write_files(&sides, &pool, &border_lines, cfg, seed, &sim));
        }
    }
    Err(DemoError::NoSeed(100_000))
}

/// One photograph event: time, station index, scientific name, (national ID, sex) if a tiger.
type Event<'a> = (chrono::DateTime<FixedOffset>, usize, String, Option<(String, &'a str)>);

/// Per animal, per side: (station index, time) of each photograph.
type Photos = Vec<[Vec<(usize, chrono::DateTime<FixedOffset>)>; 2]>;

fn centres(pool: &[(LatLon, (f64, f64))], n: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
    (0..n).map(|_| rng.gen_range(0..pool.len())).collect()
}

fn simulate(sides: &[Side], pool: &[(LatLon, (f64, f64))], cfg: &DemoConfig, seed: u64) -> Photos {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let idx = centres(pool, cfg.animals, &mut rng);
    let hour = Normal::new(21.0f64, 4.5).unwrap();
    let mut out: Photos = Vec::new();
    for &a in &idx {
        let (cx, cy) = pool[a].1;
        let mut photos: [Vec<_>; 2] = [vec![], vec![]];
        for (si, side) in sides.iter().enumerate() {
            for (k, st) in side.stations.iter().enumerate() {
                let d2 = (st.xy.0 - cx).powi(2) + (st.xy.1 - cy).powi(2);
                let p = cfg.g0_per_day * (-d2 / (2.0 * cfg.sigma_m * cfg.sigma_m)).exp();
                let days = (st.end - st.start).num_days();
                for day in 1..days {
                    if rng.gen::<f64>() < p {
                        let h = hour.sample(&mut rng).rem_euclid(24.0);
                        let local_midnight =
                            (st.start + Duration::days(day)).date_naive().and_hms_opt(0, 0, 0).unwrap();
                        let t = side.offset.from_local_datetime(&local_midnight).unwrap()
                            + Duration::seconds((h * 3600.0) as i64);
                        if t > st.start && t < st.end {
                            photos[si].push((k, t));
                        }
                    }
                }
            }
        }
        for p in photos.iter_mut() {
            p.sort_by_key(|x| x.1);
        }
        out.push(photos);
    }
    out
}

/// A CSV file (`\n` line ends) of `header` and `rows`.
pub(super) fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// The table headers of the demo's Camtrap DP resources.
const DEPLOYMENT_HEADER: [&str; 13] = [
    "deploymentID",
    "locationID",
    "locationName",
    "latitude",
    "longitude",
    "coordinateUncertainty",
    "deploymentStart",
    "deploymentEnd",
    "cameraModel",
    "cameraHeight",
    "baitUse",
    "featureType",
    "deploymentGroups",
];
const MEDIA_HEADER: [&str; 8] =
    ["mediaID", "deploymentID", "captureMethod", "timestamp", "filePath", "filePublic", "fileName", "fileMediatype"];
const OBSERVATION_HEADER: [&str; 14] = [
    "observationID",
    "deploymentID",
    "mediaID",
    "eventID",
    "eventStart",
    "eventEnd",
    "observationLevel",
    "observationType",
    "scientificName",
    "count",
    "lifeStage",
    "sex",
    "individualID",
    "classificationMethod",
];

fn write_files(
    sides: &[Side],
    pool: &[(LatLon, (f64, f64))],
    border: &MultiLineString<f64>,
    cfg: &DemoConfig,
    seed: u64,
    sim: &Photos,
) -> DemoSurvey {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5EED_CAFE);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // National IDs: numbered by first photograph on each side; sexes fixed per animal.
    let sexes: Vec<&str> = sim.iter().map(|_| if rng.gen_bool(0.5) { "female" } else { "male" }).collect();
    let mut national: Vec<[Option<String>; 2]> = vec![[None, None]; sim.len()];
    for (si, side) in sides.iter().enumerate() {
        let mut order: Vec<usize> = (0..sim.len()).filter(|&a| !sim[a][si].is_empty()).collect();
        order.sort_by_key(|&a| sim[a][si][0].1);
        for (k, a) in order.into_iter().enumerate() {
            national[a][si] = Some(format!("{}-T{:02}", side.code, k + 1));
        }
    }
    for (si, side) in sides.iter().enumerate() {
        let events = side_events(side, si, sim, &national, &sexes, &mut rng);
        files.extend(side_files(side, si, &events, &mut rng));
    }
    // Links: every animal photographed on both sides, as the experts would have matched it.
    let mut links: Vec<Vec<String>> = national
        .iter()
        .filter_map(|n| match n {
            [Some(a), Some(b)] => Some(vec!["CN".into(), a.clone(), "RU".into(), b.clone()]),
            _ => None,
        })
        .collect();
    links.sort();
    files.push(("links.csv".into(), csv_bytes(&["catalog_a", "id_a", "catalog_b", "id_b"], &links)));
    files.push(("border.geojson".into(), border_geojson(border)));
    let mut r2 = Xoshiro256PlusPlus::seed_from_u64(seed);
    let idx = centres(pool, cfg.animals, &mut r2);
    let truth = Truth {
        note: "SIMULATED: the truth behind the Borderless demo survey",
        config: cfg.clone(),
        seed,
        animals_in_population: cfg.animals,
        photographed: sim.iter().filter(|a| a.iter().any(|s| !s.is_empty())).count(),
        photographed_both_sides: sim.iter().filter(|a| a.iter().all(|s| !s.is_empty())).count(),
        activity_centres: idx
            .iter()
            .map(|&i| LatLon { lat: round6(pool[i].0.lat), lon: round6(pool[i].0.lon) })
            .collect(),
    };
    files.push(("truth.json".into(), (serde_json::to_string_pretty(&truth).unwrap() + "\n").into_bytes()));
    DemoSurvey { files, seed, truth }
}

/// One side's events: its tiger photographs plus prey (drawn from `rng`), in time order.
fn side_events<'a>(
    side: &Side,
    si: usize,
    sim: &Photos,
    national: &[[Option<String>; 2]],
    sexes: &[&'a str],
    rng: &mut Xoshiro256PlusPlus,
) -> Vec<Event<'a>> {
    let mut events: Vec<Event> = Vec::new();
    for (a, photos) in sim.iter().enumerate() {
        for (k, t) in &photos[si] {
            events.push((*t, *k, "Panthera tigris altaica".into(), Some((national[a][si].clone().unwrap(), sexes[a]))));
        }
    }
    for (k, st) in side.stations.iter().enumerate() {
        let n = rng.gen_range(3..12);
        let secs = (st.end - st.start).num_seconds();
        for _ in 0..n {
            let t = st.start + Duration::seconds(rng.gen_range(60..secs - 60));
            events.push((t, k, PREY[rng.gen_range(0..PREY.len())].to_string(), None));
        }
    }
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    events
}

/// One side's Camtrap DP package: its files in a folder and as a zip.
fn side_files(side: &Side, si: usize, events: &[Event], rng: &mut Xoshiro256PlusPlus) -> Vec<(String, Vec<u8>)> {
    let deployments: Vec<Vec<String>> = side
        .stations
        .iter()
        .map(|st| {
            vec![
                st.id.clone(),
                format!("loc-{}", st.id),
                st.id.clone(),
                format!("{:.5}", st.pos.lat),
                format!("{:.5}", st.pos.lon),
                "10".into(),
                st.start.to_rfc3339(),
                st.end.to_rfc3339(),
                "Browning-BTC-8E".into(),
                "0.60".into(),
                "false".into(),
                "roadTrail".into(),
                format!("catalog:{} | simulated:true", side.code),
            ]
        })
        .collect();
    let mut media = Vec::new();
    let mut observations = Vec::new();
    for (e, (t, k, sci, ind)) in events.iter().enumerate() {
        let st = &side.stations[*k];
        let event_id = format!("{}-e{:05}", side.code, e + 1);
        let media_id = format!("{}-m{:05}", side.code, e + 1);
        let t_end = *t + Duration::seconds(rng.gen_range(3..40));
        media.push(vec![
            media_id.clone(),
            st.id.clone(),
            "activityDetection".into(),
            t.to_rfc3339(),
            format!("simulated/{media_id}.jpg"),
            "false".into(),
            format!("{media_id}.jpg"),
            "image/jpeg".into(),
        ]);
        let (individual, sex) = match ind {
            Some((id, sex)) => (id.clone(), sex.to_string()),
            None => (String::new(), String::new()),
        };
        observations.push(vec![
            format!("{}-o{:05}", side.code, e + 1),
            st.id.clone(),
            String::new(),
            event_id,
            t.to_rfc3339(),
            t_end.to_rfc3339(),
            "event".into(),
            "animal".into(),
            sci.clone(),
            "1".into(),
            "adult".into(),
            sex,
            individual,
            "human".into(),
        ]);
    }
    let dep_csv = csv_bytes(&DEPLOYMENT_HEADER, &deployments);
    let media_csv = csv_bytes(&MEDIA_HEADER, &media);
    let obs_csv = csv_bytes(&OBSERVATION_HEADER, &observations);
    let dp_bytes = (serde_json::to_string_pretty(&datapackage(side, si)).unwrap() + "\n").into_bytes();
    let dir = side.code.to_lowercase();
    let zip = write_zip(&[
        ("datapackage.json", &dp_bytes),
        ("deployments.csv", &dep_csv),
        ("media.csv", &media_csv),
        ("observations.csv", &obs_csv),
    ]);
    vec![
        (format!("{dir}/datapackage.json"), dp_bytes),
        (format!("{dir}/deployments.csv"), dep_csv),
        (format!("{dir}/media.csv"), media_csv),
        (format!("{dir}/observations.csv"), obs_csv),
        (format!("{dir}.zip"), zip),
    ]
}

/// The `datapackage.json` of one side (its extent from its stations).
fn datapackage(side: &Side, si: usize) -> serde_json::Value {
    let (lat0, lat1) = side.stations.iter().fold((90.0f64, -90.0f64), |m, s| (m.0.min(s.pos.lat), m.1.max(s.pos.lat)));
    let (lon0, lon1) =
        side.stations.iter().fold((180.0f64, -180.0f64), |m, s| (m.0.min(s.pos.lon), m.1.max(s.pos.lon)));
    let park =
        if si == 0 { "Northeast China Tiger and Leopard National Park" } else { "Land of the Leopard National Park" };
    serde_json::json!({
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
        "name": format!("borderless-demo-{}", side.code.to_lowercase()),
        "title": format!("SIMULATED demo survey — {} side ({park}): Amur tiger camera traps", side.country),
        "description": "SIMULATED DATA, not real observations. Generated by Borderless (crate/src/demo.rs) to demonstrate cross-border analysis; see README.md beside this package.",
        "version": "1.0",
        "created": "2026-11-21T00:00:00Z",
        "contributors": [{"title": "Borderless demo generator", "role": "contributor"}],
        "licenses": [{"name": "CC0-1.0", "scope": "data"}],
        "project": {
            "id": "borderless-demo",
            "title": "Borderless simulated transboundary tiger survey (lower Tumen)",
            "acronym": side.code,
            "samplingDesign": "systematic",
            "captureMethod": ["activityDetection"],
            "individualAnimals": true,
            "observationLevel": ["event"]
        },
        "coordinatePrecision": 0.00001,
        "spatial": {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]},
        "temporal": {"start": "2024-11-01", "end": "2025-04-30"},
        "taxonomic": [
            {"scientificName": "Panthera tigris altaica", "taxonRank": "subspecies", "vernacularNames": {"eng": "Amur tiger"}},
            {"scientificName": "Capreolus pygargus", "taxonRank": "species"},
            {"scientificName": "Sus scrofa", "taxonRank": "species"},
            {"scientificName": "Cervus nippon", "taxonRank": "species"}
        ],
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/deployments-table-schema.json"},
            {"name": "media", "path": "media.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/media-table-schema.json"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/observations-table-schema.json"}
        ]
    })
}

/// The demo's border as GeoJSON (coordinates to 6 decimals).
fn border_geojson(border: &MultiLineString<f64>) -> Vec<u8> {
    let gj = serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {
                "name": "China–Russia border, lower Tumen section",
                "source": "Natural Earth 1:10m admin-0 countries (public domain): boundary shared by China and Russia, clipped to 42.35–43.75°N, 130.2–131.6°E"
            },
            "geometry": {
                "type": "MultiLineString",
                "coordinates": border.0.iter().map(|l| l.0.iter().map(|c| [round6(c.x), round6(c.y)]).collect::<Vec<_>>()).collect::<Vec<_>>()
            }
        }]
    });
    (serde_json::to_string(&gj).unwrap() + "\n").into_bytes()
}

/// `x` rounded to 6 decimals (coordinates and truths written by the demos).
pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
