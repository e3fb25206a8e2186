//! The interactive map scene: crossings of the border by movement lines, minimum convex
//! polygon areas, picking, layer toggles, rasterised pixels, print SVG, user polygon layers
//! (GeoJSON, zipped Shapefile) and the demo survey's map in five languages.

use borderless::io::archive::write_zip;
use borderless::io::polygons::read_user_polygons;
use borderless::io::InputFile;
use borderless::model::lang::Lang;
use borderless::model::LatLon;
use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions};
use borderless::render::maps::scene::{DetectionPoint, Layer, MapScene};
use geo::{polygon, GeodesicArea, MultiPolygon};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");

fn ll(lat: f64, lon: f64) -> LatLon {
    LatLon { lat, lon }
}

/// Two stations west of a meridian border at 131°E and one east; individual T1 goes
/// W1 → E1 → W2 (two crossings), T2 stays at W1.
fn toy() -> MapScene {
    let mut s = MapScene::new(Lang::En, ll(43.0, 131.0));
    s.set_catalogs(&["CN".to_string(), "RU".to_string()]);
    s.set_border(&[vec![[131.0, 42.0], [131.0, 44.0]]]);
    s.add_station(0, "W1", ll(43.0, 130.9), 100.0, 3, Some(8.1));
    s.add_station(0, "W2", ll(43.1, 130.9), 50.0, 1, None);
    s.add_station(1, "E1", ll(43.0, 131.1), 25.0, 1, None);
    let d = |p: LatLon, c: usize, i: &str, t: &str| DetectionPoint {
        position: p,
        catalog: c,
        individual: i.into(),
        time: t.into(),
    };
    let dets = [
        d(ll(43.0, 130.9), 0, "T1", "2025-01-01T00:00:00Z"),
        d(ll(43.0, 131.1), 1, "T1", "2025-01-05T00:00:00Z"),
        d(ll(43.1, 130.9), 0, "T1", "2025-01-09T00:00:00Z"),
        d(ll(43.0, 130.9), 0, "T2", "2025-01-02T00:00:00Z"),
    ];
    s.add_detections(&dets);
    s.finish_tracks(&dets);
    s
}

#[test]
fn movement_crossings_are_where_segments_meet_the_border() {
    let s = toy();
    let c = s.crossings();
    assert_eq!(c.len(), 2, "{c:?}");
    // W1 (43.0N) → E1 (43.0N): a straight Web Mercator segment along the parallel meets the
    // meridian 131°E at exactly 43.0°N.
    assert_eq!(c[0].0, "T1");
    assert!((c[0].1.lon - 131.0).abs() < 1e-6 && (c[0].1.lat - 43.0).abs() < 1e-6, "{:?}", c[0]);
    // E1 (43.0N, 131.1E) → W2 (43.1N, 130.9E): halfway in x, so halfway in Mercator y —
    // the latitude whose Mercator y is the mean of those of 43.0 and 43.1 (≈ 43.05).
    let merc = |lat: f64| (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln();
    let mid = (merc(43.0) + merc(43.1)) / 2.0;
    let lat = (2.0 * mid.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    assert!((c[1].1.lon - 131.0).abs() < 1e-5 && (c[1].1.lat - lat).abs() < 1e-5, "{:?} vs {lat}", c[1]);
}

#[test]
fn mcp_area_matches_the_geodesic_area() {
    let s = toy();
    let a = s.mcp_areas_km2();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].0, "T1");
    // The same triangle's area on the WGS84 ellipsoid (Karney 2013 through geo's
    // GeodesicArea); UTM 52N's scale factor at 131°E (≈ 0.99993) changes areas by < 0.03%.
    let tri = polygon![(x: 130.9, y: 43.0), (x: 131.1, y: 43.0), (x: 130.9, y: 43.1)];
    let geodesic_km2 = tri.geodesic_area_unsigned() / 1e6;
    assert!((a[0].1 / geodesic_km2 - 1.0).abs() < 3e-4, "{} vs {geodesic_km2}", a[0].1);
}

#[test]
fn pick_names_the_station_detection_and_movement_under_the_pointer() {
    let mut s = toy();
    let v = s.fit_view(800, 600);
    // E1 has one detection drawn 1.8·√0.5 px from the station centre: picking the centre
    // with a 0.5 px radius misses the dot but hits the station disc (radius 3 + 0.45·√25 px).
    let (x, y) = s.to_screen(&v, ll(43.0, 131.1));
    s.set_visible(Layer::Detections, false);
    let p = s.pick(&v, x, y, 0.5).expect("station under the pointer");
    assert_eq!((p.layer, p.id.as_str()), (Layer::Stations, "E1"));
    assert!(p.label.contains("25 camera-days"), "{}", p.label);
    s.set_visible(Layer::Detections, true);
    let off = 1.8 * 0.5f64.sqrt();
    let p = s.pick(&v, x + off, y, 1.0).expect("detection under the pointer");
    assert_eq!((p.layer, p.id.as_str()), (Layer::Detections, "T1"));
    // Midway between W2 and E1, away from stations: the movement line.
    let (x2, y2) = s.to_screen(&v, ll(43.1, 130.9));
    let p = s.pick(&v, (x + 3.0 * x2) / 4.0, (y + 3.0 * y2) / 4.0, 3.0).expect("movement line");
    assert_eq!((p.layer, p.id.as_str()), (Layer::Movements, "T1"));
    assert!(p.label.contains("2 border crossing"), "{}", p.label);
    // Far from everything, outside the MCP, no basemap: nothing.
    assert!(s.pick(&v, 2.0, 2.0, 3.0).is_none());
}

#[test]
fn pixels_show_the_layers_and_toggles_hide_them() {
    let mut s = toy();
    let v = s.fit_view(400, 300);
    let img = s.render_image(&v).unwrap();
    let (x, y) = s.to_screen(&v, ll(43.0, 131.1));
    let off = 1.8 * 0.5f64.sqrt();
    // The detection dot of catalog 1 in its colour (charts::catalog_colour(1)).
    let c1 = borderless::render::charts::catalog_colour(1);
    let px = img.pixel((x + off) as u32, y as u32);
    let hex = format!("#{:02x}{:02x}{:02x}", px[0], px[1], px[2]);
    assert_eq!(hex, c1);
    // Background sea where nothing is drawn.
    assert_eq!(img.pixel(1, 1), [0xdc, 0xeb, 0xf5, 255]);
    for layer in Layer::ALL {
        s.set_visible(layer, false);
    }
    let img = s.render_image(&v).unwrap();
    assert!(img.data().chunks_exact(4).all(|p| p == [0xdc, 0xeb, 0xf5, 255]));
}

#[test]
fn print_svg_has_margin_text_and_no_inline_style() {
    let s = toy();
    let v = s.fit_view(800, 600);
    let svg = s.print_svg(&v, "Toy map", "toy survey", "2026-11-21", 190.0);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains("width=\"190.0mm\""));
    assert!(svg.contains(">Toy map</text>"));
    assert!(svg.contains("Data: toy survey · Date: 2026-11-21"));
    assert!(!svg.contains("style="), "CSP: no inline styles");
    // 3 stations + 4 detections + legend swatches (2 catalogs × stations and detections).
    assert_eq!(svg.matches("<circle").count(), 3 + 4 + 2 + 2);
}

fn geojson_park() -> InputFile {
    InputFile::new(
        "parks.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Land of the Leopard"},
        "geometry":{"type":"Polygon","coordinates":[[[130.95,42.95],[131.05,42.95],[131.05,43.05],[130.95,43.05],[130.95,42.95]]]}}]}"#,
    )
}

#[test]
fn user_polygons_from_geojson_are_drawn_and_picked() {
    let mut s = toy();
    let polys = read_user_polygons(&geojson_park()).unwrap();
    s.add_polygons("parks", &polys);
    let v = s.fit_view(800, 600);
    s.set_visible(Layer::Movements, false);
    s.set_visible(Layer::Mcps, false);
    let (x, y) = s.to_screen(&v, ll(43.02, 131.0));
    let p = s.pick(&v, x, y, 2.0).expect("polygon");
    assert_eq!(p.layer, Layer::Polygons);
    assert_eq!(p.id, "parks: Land of the Leopard");
}

#[test]
fn bad_polygon_files_say_which_file_and_feature() {
    let line = InputFile::new(
        "roads.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[130,42],[131,43]]}}]}"#,
    );
    let e = read_user_polygons(&line).unwrap_err().to_string();
    assert!(e.contains("roads.geojson") && e.contains("features[0]"), "{e}");
    let utm = InputFile::new(
        "utm.geojson",
        r#"{"type":"Feature","properties":{"name":"Park"},"geometry":{"type":"Polygon","coordinates":[[[650000,4760000],[660000,4760000],[660000,4770000],[650000,4760000]]]}}"#,
    );
    let e = read_user_polygons(&utm).unwrap_err().to_string();
    assert!(e.contains("utm.geojson") && e.contains("Park") && e.contains("EPSG:4326"), "{e}");
    let prj = r#"PROJCS["WGS_1984_UTM_Zone_52N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]],PROJECTION["Transverse_Mercator"]]"#;
    let zip = write_zip(&[("p.shp", b"x"), ("p.shx", b"x"), ("p.dbf", b"x"), ("p.prj", prj.as_bytes())]);
    let e = read_user_polygons(&InputFile::new("parks.zip", zip)).unwrap_err().to_string();
    assert!(e.contains("parks/p.prj") && e.contains("not WGS84"), "{e}");
}

#[test]
fn zipped_shapefile_polygons_are_read_with_their_names() {
    use shapefile::dbase::{FieldValue, Record, TableWriterBuilder};
    let dir = std::env::temp_dir().join(format!("borderless-shp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("parks.shp");
    {
        let table = TableWriterBuilder::new().add_character_field("NAME".try_into().unwrap(), 40);
        let mut w = shapefile::Writer::from_path(&path, table).unwrap();
        let ring = vec![
            shapefile::Point::new(130.0, 42.0),
            shapefile::Point::new(130.0, 43.0),
            shapefile::Point::new(131.0, 43.0),
            shapefile::Point::new(131.0, 42.0),
            shapefile::Point::new(130.0, 42.0),
        ];
        let poly = shapefile::Polygon::new(shapefile::PolygonRing::Outer(ring));
        let mut rec = Record::default();
        rec.insert("NAME".into(), FieldValue::Character(Some("Hunchun reserve".into())));
        w.write_shape_and_record(&poly, &rec).unwrap();
    }
    let prj = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    let read = |ext: &str| std::fs::read(path.with_extension(ext)).unwrap();
    let (shp, shx, dbf) = (read("shp"), read("shx"), read("dbf"));
    let zip =
        write_zip(&[("parks.shp", &shp), ("parks.shx", &shx), ("parks.dbf", &dbf), ("parks.prj", prj.as_bytes())]);
    let polys = read_user_polygons(&InputFile::new("parks.zip", zip)).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(polys.len(), 1);
    assert_eq!(polys[0].0, "Hunchun reserve");
    let mp: &MultiPolygon<f64> = &polys[0].1;
    assert_eq!(mp.0[0].exterior().0.len(), 5);
    // 1°×1° at 42–43°N: same geodesic area as the ring read back.
    let expect = polygon![(x: 130.0, y: 42.0), (x: 130.0, y: 43.0), (x: 131.0, y: 43.0), (x: 131.0, y: 42.0)];
    assert!((mp.geodesic_area_unsigned() - expect.geodesic_area_unsigned()).abs() < 1.0);
}

fn demo() -> Analysis {
    let files = ["cn.zip", "ru.zip", "links.csv", "border.geojson"]
        .iter()
        .map(|f| InputFile::new(*f, std::fs::read(format!("{DEMO}/{f}")).unwrap()))
        .collect();
    analyze_files(files, &AnalysisOptions::default(), &mut |_| {})
}

#[test]
fn demo_map_in_five_languages() {
    let a = demo();
    let basemap =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json")).unwrap();
    let countries = borderless::io::topojson::read_countries("basemap", &basemap).unwrap();
    let s = MapScene::from_analysis(&a, &countries, Lang::Ru);
    assert_eq!(s.detection_count(), a.crossborder.detections.len());
    // Crossings: at least one per transboundary individual seen on both sides in sequence
    // (a.crossborder counts crossings in time order between countries).
    let crossing_inds: std::collections::BTreeSet<String> = s.crossings().into_iter().map(|c| c.0).collect();
    let trans: Vec<&str> =
        a.crossborder.individuals.iter().filter(|i| i.crossings > 0).map(|i| i.id.as_str()).collect();
    for id in &trans {
        assert!(crossing_inds.contains(*id), "{id} crosses but no crossing point is drawn");
    }
    let legend = s.legend();
    assert!(legend.iter().any(|e| e.label == "государственная граница"));
    let v = s.fit_view(900, 640);
    let svg = s.furniture_svg(&v);
    assert!(svg.contains(" км</text>"), "{svg}");
    for lang in Lang::ALL {
        let s = MapScene::from_analysis(&a, &countries, lang);
        assert_eq!(s.legend().len(), legend.len());
    }
}

#[test]
fn expert_map_names_basemap_countries_in_its_language() {
    // The static map's basemap outlines carry the country's name (a <title>) in the map's language:
    // general.country.* of crate/i18n/general.json (俄罗斯 / Россия for Russia), not the basemap's English.
    use borderless::render::maps::{expert_map, MapOptions};
    let a = demo();
    let basemap =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json")).unwrap();
    let countries = borderless::io::topojson::read_countries("basemap", &basemap).unwrap();
    let map = |lang| expert_map(&a, &countries, &MapOptions { lang, ..Default::default() });
    let (en, zh, ru) = (map(Lang::En), map(Lang::Zh), map(Lang::Ru));
    assert!(en.contains("<title>Russia</title>") && en.contains("<title>China</title>"), "English names in English");
    assert!(zh.contains("<title>俄罗斯</title>") && !zh.contains("<title>Russia</title>"), "Chinese names in Chinese");
    assert!(ru.contains("<title>Россия</title>") && !ru.contains("<title>China</title>"), "Russian names in Russian");
}
