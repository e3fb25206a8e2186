//! Small real-world-shaped files of every format the crate reads, written by the tests
//! themselves (tests/fuzz_parsers.rs mutates them, tests/corpus.rs varies their encoding and
//! dialect). Tables are kept as cells so a test can write them with any delimiter and line end.
#![allow(dead_code)]

use borderless::io::InputFile;

/// A table as cells: `rows[0]` is the header (spreadsheet row 1).
pub type Cells = Vec<Vec<String>>;

/// Cells from `|`-separated lines (no cell here contains `|`).
pub fn cells(lines: &[&str]) -> Cells {
    lines.iter().map(|l| l.split('|').map(str::to_string).collect()).collect()
}

/// Writes cells as delimited text: cells holding the delimiter, a quote or a line break are
/// quoted (quotes doubled), as Excel and R's write.csv do.
pub fn write(cells: &Cells, delimiter: char, eol: &str) -> String {
    let mut out = String::new();
    for row in cells {
        let fields: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains(delimiter) || c.contains('"') || c.contains('\n') || c.contains('\r') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out += &fields.join(&delimiter.to_string());
        out += eol;
    }
    out
}

/// Comma-separated, LF.
pub fn csv(cells: &Cells) -> String {
    write(cells, ',', "\n")
}

/// camtrapR station table: two stations, one each side of the Tumen (dates dmy, as camtrapR's
/// own example `camtraps` has them).
pub fn camtrapr_stations() -> Cells {
    cells(&[
        "Station|utm_y|utm_x|lat|lon|Setup_date|Retrieval_date|Problem1_from|Problem1_to",
        "StationA|4774000|604000|43.1000|131.9000|01/05/2023|30/06/2023||",
        "StationB|4785000|608000|43.2000|131.9500|01/05/2023|30/06/2023||",
        "StationC|4790000|612000|43.2500|132.0000|02/05/2023|29/06/2023||",
    ])
}

/// camtrapR record table (recordTableIndividual's columns).
pub fn camtrapr_records() -> Cells {
    cells(&[
        "Station|Species|Individual|DateTimeOriginal|Date|Time|delta.time.secs|Directory|FileName",
        "StationA|Panthera tigris|T01|2023-05-10 21:15:00|2023-05-10|21:15:00|0|StationA/PTig|IMG_0001.JPG",
        "StationB|Panthera tigris|T01|2023-05-20 03:40:00|2023-05-20|03:40:00|0|StationB/PTig|IMG_0002.JPG",
        "StationC|Panthera tigris|T02|2023-05-21 04:10:00|2023-05-21|04:10:00|0|StationC/PTig|IMG_0003.JPG",
        "StationA|Panthera tigris|T02|2023-06-01 22:05:30|2023-06-01|22:05:30|0|StationA/PTig|IMG_0004.JPG",
    ])
}

/// Camtrap DP profile URLs by version.
pub const PROFILE_1_0: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json";
pub const PROFILE_1_0_RC: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0-rc.1/camtrap-dp-profile.json";
pub const PROFILE_0_1_6: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/0.1.6/camtrap-dp-profile.json";

/// A Camtrap DP `datapackage.json` naming deployments, media and observations.
pub fn camtrapdp_descriptor(profile: &str) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "profile": profile,
        "name": "amur-tiger-hunchun",
        "project": {"title": "Hunchun tiger survey", "acronym": "CN", "observationLevel": ["event"]},
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource", "format": "csv"},
            {"name": "media", "path": "media.csv", "profile": "tabular-data-resource", "format": "csv"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource", "format": "csv"}
        ]
    }))
    .unwrap()
}

/// Camtrap DP 1.0 deployments: three stations.
pub fn camtrapdp_deployments() -> Cells {
    cells(&[
        "deploymentID|locationID|locationName|latitude|longitude|coordinateUncertainty|deploymentStart|deploymentEnd|cameraModel",
        "CN-001|loc-1|Hunchun ridge|43.62111|131.13179|10|2024-11-03T04:05:00+08:00|2025-04-29T05:52:00+08:00|Browning-BTC-8E",
        "CN-002|loc-2|Jingxin valley|43.58512|131.13052|10|2024-11-04T19:20:00+08:00|2025-05-02T01:10:00+08:00|Browning-BTC-8E",
        "CN-003|loc-3|Fangchuan|43.55000|131.10000|10|2024-11-04T19:20:00+08:00|2025-05-02T01:10:00+08:00|Reconyx-HF2X",
    ])
}

/// Camtrap DP 1.0 media (referenced by no event-level observation: the reader ignores it).
pub fn camtrapdp_media() -> Cells {
    cells(&[
        "mediaID|deploymentID|captureMethod|timestamp|filePath|filePublic|fileMediatype",
        "m1|CN-001|activityDetection|2024-12-01T02:00:00+08:00|m1.jpg|false|image/jpeg",
    ])
}

/// Camtrap DP 1.0 observations: three tiger events (two individuals) and one roe deer.
pub fn camtrapdp_observations() -> Cells {
    cells(&[
        "observationID|deploymentID|mediaID|eventID|eventStart|eventEnd|observationLevel|observationType|scientificName|count|lifeStage|sex|individualID|classificationMethod",
        "o1|CN-001||e1|2024-12-01T02:00:00+08:00|2024-12-01T02:00:10+08:00|event|animal|Panthera tigris altaica|1|adult|female|CN-T01|human",
        "o2|CN-002||e2|2024-12-05T03:30:00+08:00|2024-12-05T03:30:10+08:00|event|animal|Panthera tigris altaica|1|adult|female|CN-T01|human",
        "o3|CN-003||e3|2025-01-10T22:00:00+08:00|2025-01-10T22:00:10+08:00|event|animal|Panthera tigris altaica|1|adult|male|CN-T02|human",
        "o4|CN-001||e4|2025-01-11T08:00:00+08:00|2025-01-11T08:00:10+08:00|event|animal|Capreolus pygargus|2|adult|||human",
    ])
}

/// Camtrap DP 0.1.6 deployments (`start`/`end`, longitude before latitude), as Agouti exported
/// before 2023.
pub fn camtrapdp_0_1_6_deployments() -> Cells {
    cells(&[
        "deploymentID|locationID|locationName|longitude|latitude|start|end|cameraID",
        "d1|L1|North|131.1|43.1|2020-05-01T10:00:00Z|2020-06-01T10:00:00Z|c1",
        "d2|L2|South|131.2|43.2|2020-05-01T10:00:00Z|2020-06-01T10:00:00Z|c2",
    ])
}

/// Camtrap DP 0.1.6 observations (`sequenceID`, `timestamp`, no `observationLevel`).
pub fn camtrapdp_0_1_6_observations() -> Cells {
    cells(&[
        "observationID|deploymentID|sequenceID|mediaID|timestamp|observationType|scientificName|count|individualID",
        "o1|d1|s1||2020-05-02T01:00:00Z|animal|Panthera tigris altaica|1|T1",
        "o2|d2|s2||2020-05-03T01:00:00Z|animal|Panthera tigris altaica|1|T1",
        "o3|d2|s3||2020-05-04T01:00:00Z|animal|Panthera tigris altaica|1|T2",
    ])
}

/// A Camtrap DP package under `prefix` (e.g. `cn/`) with the given descriptor and tables.
pub fn camtrapdp_files(prefix: &str, descriptor: &str, deployments: &str, observations: &str) -> Vec<InputFile> {
    vec![
        InputFile::new(format!("{prefix}datapackage.json"), descriptor.to_string()),
        InputFile::new(format!("{prefix}deployments.csv"), deployments.to_string()),
        InputFile::new(format!("{prefix}media.csv"), csv(&camtrapdp_media())),
        InputFile::new(format!("{prefix}observations.csv"), observations.to_string()),
    ]
}

/// The 1.0 package under `prefix`.
pub fn camtrapdp_package(prefix: &str) -> Vec<InputFile> {
    camtrapdp_files(
        prefix,
        &camtrapdp_descriptor(PROFILE_1_0),
        &csv(&camtrapdp_deployments()),
        &csv(&camtrapdp_observations()),
    )
}

/// A links table joining the Chinese and Russian catalogs.
pub fn links() -> Cells {
    cells(&[
        "catalog_a|id_a|catalog_b|id_b|note",
        "CN|CN-T01|RU|RU-T12|stripes left flank",
        "CN|CN-T02|RU|RU-T10|",
        "CN|CN-T05|RU|RU-T03|both flanks",
    ])
}

/// Expert decisions (a links table with verdicts).
pub fn decisions() -> Cells {
    cells(&[
        "catalog_a|id_a|catalog_b|id_b|verdict|who|when|why",
        "CN|CN-T01|RU|RU-T12|accept|Li Wei|2025-03-01T10:00:00Z|stripes",
        "CN|CN-T02|RU|RU-T10|reject|Ivanova|2025-03-02T10:00:00Z|different tail",
    ])
}

/// Capture histories (Rcapture layout: one row per animal, one 0/1 column per occasion).
pub fn histories() -> Cells {
    cells(&["id|c1|c2|c3|c4|c5", "T01|1|0|1|0|0", "T02|0|1|1|0|1", "T03|1|1|0|0|0", "T04|0|0|0|1|0"])
}

/// An allelematch-style genotype table (amExample1's layout: sample ID, a metadata column, two
/// columns per locus, -99 missing).
pub fn genotypes() -> Cells {
    cells(&[
        "sampleId|knownIndividual|LOC1a|LOC1b|LOC2a|LOC2b|LOC3a|LOC3b|LOC4a|LOC4b",
        "S01|T01|132|136|210|214|88|92|150|150",
        "S02|T01|132|136|210|214|88|92|150|150",
        "S03|T02|128|132|206|210|-99|-99|146|150",
        "S04|T03|136|140|214|218|92|96|150|154",
    ])
}

/// secr text traps (`id x y usage`, a comment header as secr's write.traps writes).
pub const SECR_TRAPS_TXT: &str = "# id x y usage\nA 0 0 111\nB 300 0 111\nC 0 300 101\nD 300 300 111\n";

/// secr text captures (`session id occasion detector`).
pub const SECR_CAPTURES_TXT: &str = "# session ID occasion detector\n1 1 1 A\n1 1 2 B\n1 2 1 C\n1 2 3 D\n1 3 2 A\n";

/// secr CSV traps.
pub fn secr_traps_csv() -> Cells {
    cells(&["detector|x|y", "A|0|0", "B|300|0", "C|0|300", "D|300|300"])
}

/// secr CSV captures.
pub fn secr_captures_csv() -> Cells {
    cells(&["session|id|occasion|trapid", "1|1|1|A", "1|1|2|B", "1|2|1|C", "1|2|3|D", "1|3|2|A"])
}

/// secr CSV mask (a 3×3 grid, 300 m).
pub fn secr_mask_csv() -> Cells {
    let mut c = cells(&["x|y|forest"]);
    for i in 0..3 {
        for j in 0..3 {
            c.push(vec![(i * 300 - 300).to_string(), (j * 300 - 300).to_string(), ((i + j) % 2).to_string()]);
        }
    }
    c
}

/// A WGS84 traps CSV.
pub fn latlon_traps() -> Cells {
    cells(&["detector|latitude|longitude", "A|43.10|131.90", "B|43.11|131.90", "C|43.10|131.92"])
}

/// overlap's kerinci layout: `Zone`, `Sps`, `Time` (fraction of the day).
pub fn overlap_times() -> Cells {
    cells(&["Zone|Sps|Time", "1|tiger|0.0937", "1|tiger|0.8512", "2|sambar|0.4101", "2|tiger|0.9620"])
}

/// Waterbird count sites.
pub fn waterbird_sites() -> Cells {
    cells(&[
        "site|name|country|latitude|longitude|complex",
        "JX|Jingxin|CN|42.58|130.62|T",
        "RS|Rason|KP|42.36|130.44|T",
        "KH|Khasan|RU|42.43|130.69|T",
    ])
}

/// Waterbird counts.
pub fn waterbird_counts() -> Cells {
    cells(&[
        "site|date|species|count|observer",
        "JX|2019-04-01|Platalea minor|12|Jin",
        "KH|2019-04-02|Anser cygnoides|340|Smirnov",
        "RS|2019-04-02|Cygnus cygnus|25|Kim",
        "JX|2019-10-15|Anser albifrons|1200|Jin",
    ])
}

/// Population thresholds.
pub fn waterbird_thresholds() -> Cells {
    cells(&[
        "species|population|estimate|threshold",
        "Anser albifrons|East Asia|220000|",
        "Cygnus cygnus|East Asia||100",
    ])
}

/// A GeoJSON border: one LineString along the Tumen.
pub fn border_geojson() -> String {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"name": "CN-RU border", "a": "CN", "b": "RU"},
            "geometry": {"type": "LineString", "coordinates": [
                [131.1763, 43.7262], [131.1763, 43.7009], [131.1871, 43.6671], [131.1799, 43.6300],
                [131.1907, 43.5962], [131.1655, 43.5489], [131.1619, 43.5320]
            ]}
        }]
    })
    .to_string()
}

/// GeoJSON polygons with names (protected areas).
pub fn polygons_geojson() -> String {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Hunchun reserve"},
             "geometry": {"type": "Polygon", "coordinates": [[[130.0, 42.0], [130.0, 43.0], [131.0, 43.0], [131.0, 42.0], [130.0, 42.0]]]}},
            {"type": "Feature", "properties": {"name": "Land of the Leopard"},
             "geometry": {"type": "MultiPolygon", "coordinates": [[[[131.0, 42.5], [131.0, 43.5], [132.0, 43.5], [131.0, 42.5]]]]}}
        ]
    })
    .to_string()
}

/// A TopoJSON with two countries sharing an arc (quantized, delta-encoded).
pub fn topojson() -> String {
    serde_json::json!({
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [130.0, 42.0]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "properties": {"name": "China", "iso_a2": "CN"}, "arcs": [[0, 1]]},
            {"type": "Polygon", "properties": {"name": "Russia", "iso_a2": "RU"}, "arcs": [[-1, 2]]}
        ]}},
        "arcs": [
            [[1000, 0], [0, 1000]],
            [[1000, 1000], [-1000, 0], [0, -1000], [1000, 0]],
            [[1000, 0], [1000, 0], [0, 1000], [-1000, 0]]
        ]
    })
    .to_string()
}

/// A zipped Shapefile (shp, shx, dbf, prj) of one named polygon, written through a temporary
/// folder named by `tag` (the shapefile crate writes to paths).
pub fn shapefile_zip(tag: &str) -> Vec<u8> {
    use shapefile::dbase::{FieldValue, Record, TableWriterBuilder};
    let dir = std::env::temp_dir().join(format!("borderless-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("parks.shp");
    {
        let table = TableWriterBuilder::new().add_character_field("NAME".try_into().unwrap(), 40);
        let mut w = shapefile::Writer::from_path(&path, table).unwrap();
        let ring = [(130.0, 42.0), (130.0, 43.0), (131.0, 43.0), (131.0, 42.0), (130.0, 42.0)]
            .iter()
            .map(|&(x, y)| shapefile::Point::new(x, y))
            .collect();
        let poly = shapefile::Polygon::new(shapefile::PolygonRing::Outer(ring));
        let mut rec = Record::default();
        rec.insert("NAME".into(), FieldValue::Character(Some("Hunchun reserve".into())));
        w.write_shape_and_record(&poly, &rec).unwrap();
    }
    let prj = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    let read = |ext: &str| std::fs::read(path.with_extension(ext)).unwrap();
    let (shp, shx, dbf) = (read("shp"), read("shx"), read("dbf"));
    std::fs::remove_dir_all(&dir).ok();
    borderless::io::archive::write_zip(&[
        ("parks.shp", &shp),
        ("parks.shx", &shx),
        ("parks.dbf", &dbf),
        ("parks.prj", prj.as_bytes()),
    ])
}

/// A 4×3 GeoTIFF (UTM 52N, 1 km cells, one no-data cell).
pub fn geotiff() -> Vec<u8> {
    let values: Vec<f32> = (0..12).map(|i| if i == 5 { -9999.0 } else { i as f32 * 0.5 }).collect();
    borderless::io::geotiff::write_geotiff(4, 3, &values, (600000.0, 4800000.0), 1000.0, Some(32652), Some(-9999.0))
        .unwrap()
}

/// The genotype table as an xlsx workbook.
pub fn genotypes_xlsx() -> Vec<u8> {
    borderless::waterbirds::species_list::xlsx_bytes(&genotypes())
}

/// The waterbird counts as an xlsx workbook.
pub fn counts_xlsx() -> Vec<u8> {
    borderless::waterbirds::species_list::xlsx_bytes(&waterbird_counts())
}
