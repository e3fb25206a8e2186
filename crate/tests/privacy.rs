//! The privacy layer: hand-computed cells for each sensitivity category, minimum-records
//! hiding, seasons in the recorded offset, withheld identities, suppressed people; and a
//! property test that nothing outreach renders or exports (GeoJSON, slide SVG in data space,
//! Darwin Core) is finer than its species' grid, and that no hidden unit leaks.
#![cfg(not(target_arch = "wasm32"))] // proptest is a native dev-dependency

use borderless::identity::crossings::{CrossBorder, IndividualSummary, JointDetection, Summary};
use borderless::io::InputFile;
use borderless::model::lang::Lang;
use borderless::model::species::{self, Sensitivity};
use borderless::model::LatLon;
use borderless::outreach::{darwin_core_csv, geojson, outreach_view};
use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions, CatalogView, StationView};
use borderless::privacy::{generalise, Grid, PrivacyOptions, PublicRecords, Season, LAEA_ORIGIN};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const PROFILE: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json";

/// A Camtrap DP package for catalog `code`: stations (id, lat, lon) and event-level
/// observations (station, individual, species, eventStart).
fn package(code: &str, stations: &[(&str, f64, f64)], dets: &[(&str, &str, &str, &str)]) -> Vec<InputFile> {
    let dp = serde_json::json!({
        "profile": PROFILE,
        "name": format!("test-{code}"),
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}
        ]
    });
    let mut dep = String::from("deploymentID,latitude,longitude,deploymentStart,deploymentEnd,deploymentGroups\n");
    for (id, lat, lon) in stations {
        dep.push_str(&format!("{id},{lat},{lon},2024-01-01T00:00:00+08:00,2026-01-01T00:00:00+08:00,catalog:{code}\n"));
    }
    let mut obs = String::from(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n",
    );
    for (k, (st, ind, sp, t)) in dets.iter().enumerate() {
        obs.push_str(&format!("{code}-o{k},{st},{t},event,animal,{sp},{ind}\n"));
    }
    vec![
        InputFile::new(format!("{code}/datapackage.json"), dp.to_string()),
        InputFile::new(format!("{code}/deployments.csv"), dep),
        InputFile::new(format!("{code}/observations.csv"), obs),
    ]
}

fn run(files: Vec<InputFile>) -> Analysis {
    let mut opts = AnalysisOptions::default();
    opts.catalog_names.insert("CN".into(), "CN".into());
    opts.catalog_names.insert("RU".into(), "RU".into());
    let a = analyze_files(files, &opts, &mut |_| {});
    assert!(a.failed_files().is_empty(), "{:#?}", a.reports);
    a
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn degree_cells_are_hand_computed() {
    // Sus scrofa (0.01°) at 43.1234°N 130.9876°E: cell (13098, 4312), centre 43.125, 130.985.
    // Lynx lynx (0.1°) at the same station: cell (1309, 431), centre 43.15, 130.95.
    let st = [("S1", 43.1234, 130.9876)];
    let mut dets = Vec::new();
    for (k, t) in
        ["2024-07-01T10:00:00+08:00", "2024-07-02T10:00:00+08:00", "2024-08-31T23:00:00+08:00"].iter().enumerate()
    {
        dets.push(("S1", ["B1", "B2", "B1"][k], "Sus scrofa", *t));
        dets.push(("S1", "L1", "Lynx lynx", *t));
    }
    let a = run(package("CN", &st, &dets));
    let p = generalise(&a, &PrivacyOptions::default()).unwrap();
    assert_eq!(p.cells().len(), 2);
    let boar = p.cells().iter().find(|c| c.species() == "Sus scrofa").unwrap();
    assert_eq!(boar.grid(), Grid::Degrees { step_deg: 0.01 });
    assert_eq!(boar.cell(), (13098, 4312));
    assert!(close(boar.centre().lat, 43.125, 1e-9) && close(boar.centre().lon, 130.985, 1e-9));
    assert_eq!(boar.season().event_date(), "2024-06/2024-08");
    assert_eq!((boar.records(), boar.individuals()), (3, 2));
    // Sus scrofa is not sensitive: its identities are published; the lynx's are not.
    assert_eq!(boar.individual_ids(), ["CN:B1", "CN:B2"]);
    let lynx = p.cells().iter().find(|c| c.species() == "Lynx lynx").unwrap();
    assert_eq!(lynx.cell(), (1309, 431));
    assert!(close(lynx.centre().lat, 43.15, 1e-9) && close(lynx.centre().lon, 130.95, 1e-9));
    assert!(lynx.individual_ids().is_empty());
    // Half-diagonal of a 0.1° cell at 43.15°N: haversine on R = 6371.0088 km from the centre to
    // the farther (southern) corners, 0.05° south and east: Δφ = 8.7266e-4 rad, Δλ = 8.7266e-4
    // rad, h = sin²(Δφ/2) + cos 43.15° cos 43.1° sin²(Δλ/2) ≈ 2.918e-7, d = 2R asin √h =
    // 6,883.1 m (by hand), rounded up to 6,884 m.
    assert_eq!(lynx.uncertainty_m(), 6884.0);
    let csv = darwin_core_csv(&p, Lang::En);
    assert!(csv.contains(",Lynx lynx,Eurasian lynx,2024-06/2024-08,43.150000,130.950000,WGS84,"), "{csv}");
    assert!(csv.contains(",Sus scrofa,Wild boar,2024-06/2024-08,43.125000,130.985000,WGS84,"), "{csv}");
}

#[test]
fn equal_area_cells_are_anchored_at_the_fixed_origin() {
    let g = Grid::EqualArea { cell_m: 10_000.0 };
    // 0.127° east of the origin along its parallel is ≈ 10.0 km (0.127 × 111.32 km × cos 45° ×
    // 1.0017 for the ellipsoid's prime-vertical radius) — just past the first cell boundary;
    // the parallel curves north of the projection's x axis, so the row is 0.
    assert_eq!(g.cell_of(LatLon { lat: 45.0, lon: 125.127 }), (1, 0));
    assert_eq!(g.cell_of(LatLon { lat: 45.0, lon: 125.125 }), (0, 0));
    assert_eq!(g.cell_of(LatLon { lat: 44.99, lon: 124.99 }), (-1, -1));
    // The centre of cell (0, 0) is 5 km north and 5 km east of the origin: ≈ 0.045° of latitude
    // (5 / 111.13 km per degree) and ≈ 0.0634° of longitude (5 / 78.85 km per degree at 45°N).
    let c = g.centre((0, 0));
    assert!(close(c.lat, 45.045, 2e-4) && close(c.lon, 125.0634, 2e-4), "{c:?}");
    // Cells are the same whatever the data: the cell of a point never depends on other points.
    assert_eq!(g.cell_of(LatLon { lat: 42.70, lon: 130.40 }), g.cell_of(LatLon { lat: 42.70, lon: 130.40 }));
    assert_eq!(LAEA_ORIGIN, LatLon { lat: 45.0, lon: 125.0 });
}

#[test]
fn cells_under_min_records_are_hidden_and_counted() {
    // Two tiger records in one 10 km cell (hidden at min_records 3), three in another (shown).
    let st = [("A", 43.00, 131.00), ("B", 43.30, 131.30)];
    let dets = [
        ("A", "T1", "Panthera tigris altaica", "2024-07-01T10:00:00+08:00"),
        ("A", "T2", "Panthera tigris altaica", "2024-07-05T10:00:00+08:00"),
        ("B", "T1", "Panthera tigris altaica", "2024-07-03T10:00:00+08:00"),
        ("B", "T3", "Panthera tigris altaica", "2024-07-04T10:00:00+08:00"),
        ("B", "T3", "Panthera tigris altaica", "2024-08-04T10:00:00+08:00"),
        ("A", "P1", "Homo sapiens", "2024-08-04T10:00:00+08:00"),
    ];
    let a = run(package("CN", &st, &dets));
    let p = generalise(&a, &PrivacyOptions::default()).unwrap();
    assert_eq!(p.cells().len(), 1);
    let c = &p.cells()[0];
    let g = Grid::EqualArea { cell_m: 10_000.0 };
    assert_eq!(c.cell(), g.cell_of(LatLon { lat: 43.30, lon: 131.30 }));
    assert_eq!((c.records(), c.individuals()), (3, 2));
    assert!(c.individual_ids().is_empty(), "tiger identities are withheld");
    assert_eq!((p.withheld().units, p.withheld().records, p.withheld().suppressed_records), (1, 2, 1));
    // People are never mapped nor counted as individuals: T1, T2, T3 only.
    assert_eq!(p.numbers().unique_individuals, 3);
    let s = p.statement(Lang::En);
    assert!(s.contains("Amur tiger: 10 km equal-area grid"), "{s}");
    assert!(s.contains("fewer than 3 records are hidden (1 hidden, 2 records)"), "{s}");
    assert!(s.contains("(1 records)") || s.contains("never shown (1"), "{s}");
    assert!(!geojson(&p).contains("Homo sapiens"));
    // The statement in every language names the species and its grid in that language.
    for (lang, name, grid) in [
        (Lang::Zh, "东北虎", "10 公里等面积网格"),
        (Lang::Ru, "Амурский тигр", "равновеликая сетка 10 км"),
        (Lang::Ko, "시베리아호랑이", "10 km 등적 격자"),
        (Lang::Mn, "Амарын бар", "10 км тэнцүү талбайт тор"),
    ] {
        let s = p.statement(lang);
        assert!(s.contains(name) && s.contains(grid), "{lang}: {s}");
    }
    // With min_records 1 both cells are shown; a 20 km grid keeps the two stations ~43 km apart
    // in different cells.
    let p1 = generalise(&a, &PrivacyOptions { grid_km: 20.0, min_records: 1 }).unwrap();
    assert_eq!(p1.cells().len(), 2);
    assert!(p1.cells().iter().all(|c| c.grid() == Grid::EqualArea { cell_m: 20_000.0 }));
}

#[test]
fn seasons_use_the_recorded_offset() {
    // 2024-11-30 20:00 at −05:00 is 1 December in UTC, but autumn where it was recorded.
    let st = [("A", 43.0, 131.0)];
    let t = ["2024-11-30T20:00:00-05:00", "2024-11-29T20:00:00-05:00", "2024-11-28T20:00:00-05:00"];
    let dets: Vec<_> = t.iter().map(|t| ("A", "T1", "Panthera tigris", *t)).collect();
    let p = generalise(&run(package("CN", &st, &dets)), &PrivacyOptions::default()).unwrap();
    assert_eq!(p.cells()[0].season().event_date(), "2024-09/2024-11");
    assert_eq!(Season::of(2025, 2).label(Lang::En), "winter 2024–25");
    assert_eq!(Season::of(2024, 4).label(Lang::Zh), "2024 春季");
}

#[test]
fn the_antipode_of_the_grid_origin_is_an_error_not_a_cell() {
    let a = run(package("CN", &[("A", -45.0, -55.0)], &[("A", "T1", "Panthera tigris", "2024-07-01T10:00:00+08:00")]));
    let e = generalise(&a, &PrivacyOptions::default()).unwrap_err();
    assert!(e.to_string().contains("antipode"), "{e}");
    assert_eq!(Grid::EqualArea { cell_m: 1000.0 }.try_cell_of(LatLon { lat: -45.0, lon: -55.0 }), None);
}

#[test]
fn bad_options_are_rejected() {
    let a = run(package("CN", &[("A", 43.0, 131.0)], &[]));
    let e = generalise(&a, &PrivacyOptions { grid_km: 0.1, min_records: 3 }).unwrap_err();
    assert!(e.to_string().contains("grid_km is 0.1"), "{e}");
    let e = generalise(&a, &PrivacyOptions { grid_km: 10.0, min_records: 0 }).unwrap_err();
    assert!(e.to_string().contains("min_records is 0"), "{e}");
}

#[test]
fn demo_numbers_pass_through_unchanged() {
    // The demo survey: 30 + 34 = 64 national, 45 unique, 19 transboundary, 42.2% (www/demo/README.md).
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
    let mut files = Vec::new();
    for f in ["cn.zip", "ru.zip", "links.csv", "border.geojson"] {
        files.push(InputFile::new(f, std::fs::read(format!("{demo}/{f}")).unwrap()));
    }
    let a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    let p = generalise(&a, &PrivacyOptions::default()).unwrap();
    let n = p.numbers();
    assert_eq!((n.sum_of_national_counts, n.unique_individuals, n.transboundary_individuals), (64, 45, 19));
    assert!(close(n.overcount_percent.unwrap(), 19.0 / 45.0 * 100.0, 1e-9));
    assert_eq!(n.sum_of_national_counts, a.crossborder.summary.sum_of_national_counts);
    assert_eq!(n.national_counts, a.crossborder.summary.national_counts);
    let shown: usize = p.cells().iter().map(|c| c.records()).sum();
    assert_eq!(shown + p.withheld().records, a.crossborder.detections.len(), "every record is shown or withheld");
}

// ---------------------------------------------------------------------------------------------
// Property test.

const SPECIES: [Option<&str>; 8] = [
    Some("Panthera tigris altaica"),
    Some("Panthera pardus orientalis"),
    Some("Grus vipio"),
    Some("Sus scrofa"),
    Some("Vulpes vulpes"),
    Some("Homo sapiens"),
    Some("Felis catus"), // unknown: treated as a big cat
    None,
];

/// An analysis with `stations` (two catalogs, alternating) and detections
/// (station, individual, species, month).
fn synthetic(stations: &[(f64, f64)], dets: &[(usize, usize, usize, u32)]) -> Analysis {
    let names = ["CN", "RU"];
    let mut catalogs: Vec<CatalogView> = names
        .iter()
        .map(|n| CatalogView {
            name: n.to_string(),
            title: None,
            source: n.to_string(),
            stations: Vec::new(),
            individuals: 0,
            detections: 0,
        })
        .collect();
    let mut where_: Vec<(usize, usize)> = Vec::new();
    for (k, &(lat, lon)) in stations.iter().enumerate() {
        let c = &mut catalogs[k % 2];
        where_.push((k % 2, c.stations.len()));
        c.stations.push(StationView {
            id: format!("S{k}"),
            position: LatLon { lat, lon },
            active_days: 100.0,
            detections: 0,
            distance_from_border_km: None,
        });
    }
    let n_ind = dets.iter().map(|d| d.1 + 1).max().unwrap_or(0);
    let mut individuals: Vec<IndividualSummary> = (0..n_ind)
        .map(|i| IndividualSummary {
            id: format!("I{i}"),
            national_ids: BTreeMap::new(),
            detections: names.iter().map(|n| (n.to_string(), 0)).collect(),
            crossings: 0,
            max_crossings: Some(0),
            ambiguous_crossings: false,
            max_distance_from_border_km: None,
            first_seen: String::new(),
            last_seen: String::new(),
            species: None,
        })
        .collect();
    let mut detections = Vec::new();
    for &(s, i, sp, month) in dets {
        let (c, si) = where_[s % stations.len()];
        *individuals[i].detections.get_mut(names[c]).unwrap() += 1;
        individuals[i].species = individuals[i].species.take().or(SPECIES[sp].map(str::to_string));
        detections.push(JointDetection {
            individual: i,
            catalog: c,
            station: si,
            time: format!("2024-{month:02}-15T12:00:00+09:00"),
            precision: Default::default(),
            species: SPECIES[sp].map(str::to_string),
        });
    }
    Analysis {
        catalogs,
        joint: Vec::new(),
        evidence: Vec::new(),
        inputs: Vec::new(),
        conflicts: Vec::new(),
        crossborder: CrossBorder {
            summary: Summary {
                unique_individuals: 0,
                transboundary_individuals: 0,
                national_counts: BTreeMap::new(),
                sum_of_national_counts: 0,
                overcount_percent: None,
            },
            individuals,
            detections,
            station_distance_km: Vec::new(),
        },
        border: Vec::new(),
        reports: Vec::new(),
        simulated: false,
    }
}

/// The grid outreach must use for a species, from the species table alone.
fn grid_of(name: &str, grid_km: f64) -> Option<Grid> {
    Grid::for_sensitivity(species::sensitivity((!name.is_empty()).then_some(name)), grid_km)
}

/// Tolerance (fraction of a cell) for printed coordinates: 1e-6° is ≤ 0.12 m, ≤ 1.2e-4 of the
/// smallest cell (1 km); 0.01 m in Web Mercator likewise.
const TOL: f64 = 2e-4;

fn inverse_mercator(x: f64, y: f64) -> LatLon {
    const R: f64 = 6_378_137.0;
    LatLon { lat: (2.0 * (y / R).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(), lon: (x / R).to_degrees() }
}

/// Every `points="…"` of `<polygon class="cell"` in an SVG, as pairs of numbers.
fn svg_cell_points(svg: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for part in svg.split(r#"<polygon class="cell" points=""#).skip(1) {
        let pts = &part[..part.find('"').unwrap()];
        out.push(
            pts.split(' ')
                .map(|xy| {
                    let (x, y) = xy.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect(),
        );
    }
    out
}

/// Checks every output of `p` against the species' grids; returns the number of points checked.
fn check_outputs(p: &PublicRecords, grid_km: f64) -> usize {
    let mut checked = 0;
    // GeoJSON: every coordinate is a corner of its species' grid.
    let gj: serde_json::Value = serde_json::from_str(&geojson(p)).unwrap();
    for f in gj["features"].as_array().unwrap() {
        let name = f["properties"]["scientificName"].as_str().unwrap();
        let g = grid_of(name, grid_km).expect("suppressed species are never exported");
        for c in f["geometry"]["coordinates"][0].as_array().unwrap() {
            let q = LatLon { lat: c[1].as_f64().unwrap(), lon: c[0].as_f64().unwrap() };
            let off = g.offset_from_lattice(q, false);
            assert!(off < TOL, "GeoJSON point {q:?} of {name} is {off} cells off the {g:?} lattice");
            checked += 1;
        }
    }
    // Darwin Core: every decimalLatitude/Longitude is a cell centre.
    let csv = darwin_core_csv(p, Lang::En);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    for row in r.records() {
        let row = row.unwrap();
        let g = grid_of(&row[2], grid_km).expect("suppressed species are never exported");
        let q = LatLon { lat: row[5].parse().unwrap(), lon: row[6].parse().unwrap() };
        let off = g.offset_from_lattice(q, true);
        assert!(off < TOL, "DwC point {q:?} of {} is {off} cells off the centres of {g:?}", &row[2]);
        checked += 1;
    }
    // Slides: every cell polygon, in data space (Web Mercator metres), is made of grid corners.
    let view = outreach_view(p, &[], Lang::En);
    for s in &view.slides {
        assert!(!s.svg.contains("style="), "slide {} has an inline style", s.key);
        let Some(name) = s.key.strip_prefix("map:") else { continue };
        let polys = svg_cell_points(&s.svg);
        if let Some(g) = grid_of(name, grid_km) {
            for poly in polys {
                for (x, y) in poly {
                    let q = inverse_mercator(x, y);
                    let off = g.offset_from_lattice(q, false);
                    assert!(off < TOL, "slide point {q:?} of {name} is {off} cells off {g:?}");
                    checked += 1;
                }
            }
        } else {
            assert!(polys.is_empty());
        }
    }
    checked
}

/// Species, cell, season (`eventDate`), country.
type UnitKey = (String, (i64, i64), String, String);

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn nothing_published_is_finer_than_its_grid(
        stations in prop::collection::vec((-10.0f64..70.0, 60.0f64..179.0), 1..12),
        dets in prop::collection::vec((0usize..12, 0usize..10, 0usize..SPECIES.len(), 1u32..=12), 0..120),
        grid_km in 1.0f64..50.0,
        min_records in 1usize..5,
    ) {
        let a = synthetic(&stations, &dets);
        let opts = PrivacyOptions { grid_km, min_records };
        let p = generalise(&a, &opts).unwrap();
        check_outputs(&p, grid_km);
        // Independently: the units that must be published (≥ min_records) and no others.
        let mut expect: BTreeMap<UnitKey, BTreeSet<usize>> = BTreeMap::new();
        let mut count: BTreeMap<UnitKey, usize> = BTreeMap::new();
        for d in &a.crossborder.detections {
            // The detection's species, else its individual's (as documented for `generalise`).
            let name = d.species.clone().or(a.crossborder.individuals[d.individual].species.clone()).unwrap_or_default();
            let Some(g) = grid_of(&name, grid_km) else { continue };
            let pos = a.catalogs[d.catalog].stations[d.station].position;
            let month: u32 = d.time[5..7].parse().unwrap();
            let key = (name, g.cell_of(pos), Season::of(2024, month).event_date(), a.catalogs[d.catalog].name.clone());
            expect.entry(key.clone()).or_default().insert(d.individual);
            *count.entry(key).or_default() += 1;
        }
        let published: BTreeMap<_, _> = p
            .cells()
            .iter()
            .map(|c| ((c.species().to_string(), c.cell(), c.season().event_date(), c.country().to_string()), (c.records(), c.individuals())))
            .collect();
        let wanted: BTreeMap<_, _> = count
            .iter()
            .filter(|(_, &n)| n >= min_records)
            .map(|(k, &n)| (k.clone(), (n, expect[k].len())))
            .collect();
        prop_assert_eq!(&published, &wanted);
        let hidden: usize = count.values().filter(|&&n| n < min_records).sum();
        prop_assert_eq!(p.withheld().records, hidden);
        prop_assert!(p.cells().iter().all(|c| c.sensitivity() != Sensitivity::Suppress));
        for c in p.cells() {
            prop_assert_eq!(c.individual_ids().is_empty(), c.sensitivity().withholds_individuals() || c.individuals() == 0);
        }
    }
}
