//! `borderless outreach` on the demo survey writes exactly the outreach view (GeoJSON, slides,
//! Darwin Core, numbers) and nothing finer than the grid: every coordinate in every written file
//! is a cell corner or centre, and no station position appears anywhere.

use borderless::model::lang::Lang;
use borderless::model::LatLon;
use borderless::privacy::Grid;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_borderless");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
const BASEMAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json");

/// Tolerance in cells for printed coordinates (1e-6° ≈ 0.1 m on a 10 km cell: 1e-5).
const TOL: f64 = 1e-4;

fn run_outreach(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "outreach".to_string(),
        "--catalog".into(),
        format!("CN={DEMO}/cn"),
        "--catalog".into(),
        format!("RU={DEMO}/ru.zip"),
        "--links".into(),
        format!("{DEMO}/links.csv"),
        "--border".into(),
        format!("{DEMO}/border.geojson"),
        "--out".into(),
        out.display().to_string(),
    ];
    if Path::new(BASEMAP).exists() {
        args.extend(["--basemap".into(), BASEMAP.into()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(BIN).args(&args).output().expect("the borderless binary runs")
}

fn inverse_mercator(x: f64, y: f64) -> LatLon {
    const R: f64 = 6_378_137.0;
    LatLon { lat: (2.0 * (y / R).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(), lon: (x / R).to_degrees() }
}

/// The Chinese stations' latitude and longitude as the demo's deployments file prints them.
fn station_positions() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(format!("{DEMO}/cn/deployments.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records().map(|row| row.unwrap()).map(|row| (row[3].to_string(), row[4].to_string())).collect()
}

#[test]
fn demo_outreach_is_no_finer_than_the_grid() {
    let out = std::env::temp_dir().join(format!("borderless-outreach-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = run_outreach(&out, &["--grid-km", "10", "--min-records", "3", "--lang", "ru"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    // The demo survey photographs only Amur tigers: one numbers slide and one map.
    assert_eq!(
        names,
        [
            "cells.geojson",
            "numbers.json",
            "occurrence.csv",
            "slide-1-numbers.svg",
            "slide-2-map-Panthera-tigris-altaica.svg"
        ]
    );
    let tiger = Grid::EqualArea { cell_m: 10_000.0 };

    // GeoJSON: every coordinate a corner of a 10 km cell.
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("cells.geojson")).unwrap()).unwrap();
    let features = gj["features"].as_array().unwrap();
    assert!(!features.is_empty());
    let mut n = 0;
    for f in features {
        for c in f["geometry"]["coordinates"][0].as_array().unwrap() {
            let q = LatLon { lat: c[1].as_f64().unwrap(), lon: c[0].as_f64().unwrap() };
            assert!(tiger.offset_from_lattice(q, false) < TOL, "{q:?}");
            n += 1;
        }
        assert!(f["properties"]["records"].as_u64().unwrap() >= 3);
        assert!(f["properties"].get("individualIDs").is_none(), "tiger identities are withheld");
    }
    assert_eq!(n, features.len() * 5);

    // Darwin Core: every row at a cell centre, with the cell's half-diagonal as uncertainty.
    let csv_text = std::fs::read_to_string(out.join("occurrence.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = 0;
    for row in r.records() {
        let row = row.unwrap();
        let q = LatLon { lat: row[5].parse().unwrap(), lon: row[6].parse().unwrap() };
        assert!(tiger.offset_from_lattice(q, true) < TOL, "{q:?}");
        // 10 km square: half-diagonal 7,071 m on the plane; on the ground within 0.2%.
        let u: f64 = row[8].parse().unwrap();
        assert!((u - 7071.0).abs() < 15.0, "{u}");
        assert_eq!(&row[3], "Амурский тигр");
        assert!(["CN", "RU"].contains(&&row[12]));
        assert!(row[4].len() == 15 && row[4].as_bytes()[7] == b'/', "eventDate {} is a season interval", &row[4]);
        rows += 1;
    }
    assert_eq!(rows, features.len());

    // The map slide: every cell polygon point (Web Mercator metres) is a grid corner.
    let svg = std::fs::read_to_string(out.join("slide-2-map-Panthera-tigris-altaica.svg")).unwrap();
    let mut points = 0;
    for part in svg.split(r#"<polygon class="cell" points=""#).skip(1) {
        for xy in part[..part.find('"').unwrap()].split(' ') {
            let (x, y) = xy.split_once(',').unwrap();
            let q = inverse_mercator(x.parse().unwrap(), y.parse().unwrap());
            assert!(tiger.offset_from_lattice(q, false) < TOL, "{q:?}");
            points += 1;
        }
    }
    assert!(points >= 4, "the map draws cells");
    for name in &names {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(!text.contains("style="), "{name} has an inline style");
        // No exact station position appears in any file.
        for (lat, lon) in station_positions() {
            assert!(!(text.contains(&lat) && text.contains(&lon)), "{name} contains station {lat},{lon}");
        }
        // No camera station ID, national individual ID or exact timestamp either.
        // (demo station IDs are CN-001…, individual IDs CN-T01…, RU-…; times carry +08:00/+10:00).
        for leak in ["CN-0", "CN-T", "RU-", "+08:00", "+10:00"] {
            assert!(!text.contains(leak), "{name} contains {leak}");
        }
    }

    // The numbers: the demo's 30 + 34 = 64, 45 unique, 19 transboundary, 42,2 % in Russian.
    let numbers: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("numbers.json")).unwrap()).unwrap();
    let value = |k: &str| {
        numbers["numbers"].as_array().unwrap().iter().find(|n| n["key"] == k).unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(value("sum_national"), "64");
    assert_eq!(value("unique"), "45");
    assert_eq!(value("transboundary"), "19");
    assert_eq!(value("overcount"), format!("{}\u{a0}%", Lang::Ru.number(19.0 / 45.0 * 100.0, 1)));
    assert_eq!(numbers["lang"], "ru");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn outreach_rejects_a_grid_under_one_km() {
    let out = std::env::temp_dir().join(format!("borderless-outreach-bad-{}", std::process::id()));
    let o = run_outreach(&out, &["--grid-km", "0.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("grid_km is 0.5"));
    assert!(!out.join("cells.geojson").exists());
}
