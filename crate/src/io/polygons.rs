//! User polygon layers (protected areas, habitat, national parks) for the map: GeoJSON
//! (Polygon/MultiPolygon features) or a zipped ESRI Shapefile (`.zip` holding `.shp`, `.shx`,
//! `.dbf` and `.prj`). Coordinates must be WGS84 longitude/latitude: a `.prj` naming another
//! coordinate system is rejected with a message that says so (reproject to EPSG:4326 first).
//!
//! Each feature is named by its `name` (GeoJSON property, or a Shapefile attribute `name`/`NAME`
//! and common variants); else `features[i]` / `record i`.

use super::archive::{expand_zip, is_zip};
use super::{InputFile, IoError};
use crate::model::message::Message;
use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Named polygons from GeoJSON or zipped Shapefile bytes (told apart by content).
///
/// ```
/// use borderless::io::{polygons::read_user_polygons, InputFile};
/// let f = InputFile::new("park.geojson", r#"{"type":"Feature","properties":{"name":"Park"},
///   "geometry":{"type":"Polygon","coordinates":[[[130,42],[131,42],[131,43],[130,42]]]}}"#);
/// let p = read_user_polygons(&f).unwrap();
/// assert_eq!(p[0].0, "Park");
/// ```
pub fn read_user_polygons(file: &InputFile) -> Result<Vec<(String, MultiPolygon<f64>)>, IoError> {
    let polys = if is_zip(&file.bytes) {
        read_shapefile_zip(file)?
    } else {
        super::border::read_named_polygons(&file.name, &file.bytes)?
    };
    check_wgs84(&file.name, &polys)?;
    Ok(polys)
}

/// Longitude/latitude range check, naming the first feature outside it.
fn check_wgs84(file: &str, polys: &[(String, MultiPolygon<f64>)]) -> Result<(), IoError> {
    for (i, (name, mp)) in polys.iter().enumerate() {
        if let Some(c) = mp.0.iter().flat_map(|p| p.exterior().0.iter()).find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
        {
            return Err(IoError::at(
                file,
                Some(i + 1),
                Some(name),
                Message::new("io.polygons.not_wgs84_coordinate").with("x", c.x).with("y", c.y),
            ));
        }
    }
    Ok(())
}

/// Whether a `.prj` (WKT) describes geographic WGS84 coordinates.
fn prj_is_wgs84(wkt: &str) -> bool {
    let t = wkt.trim_start().to_ascii_uppercase();
    (t.starts_with("GEOGCS") || t.starts_with("GEOGCRS"))
        && (t.contains("WGS_1984") || t.contains("WGS 84") || t.contains("WGS84") || t.contains("\"4326\""))
}

/// Reads the polygons of a zipped Shapefile.
pub fn read_shapefile_zip(file: &InputFile) -> Result<Vec<(String, MultiPolygon<f64>)>, IoError> {
    let entries = expand_zip(file)?;
    let find = |ext: &str| entries.iter().find(|e| e.name.to_ascii_lowercase().ends_with(ext));
    let (Some(shp), Some(shx), Some(dbf)) = (find(".shp"), find(".shx"), find(".dbf")) else {
        return Err(IoError::new(&file.name, Message::new("io.polygons.shapefile_parts")));
    };
    match find(".prj") {
        Some(prj) => {
            let wkt = String::from_utf8_lossy(&prj.bytes);
            if !prj_is_wgs84(&wkt) {
                let head: String = wkt.chars().take(60).collect();
                return Err(IoError::new(&prj.name, Message::new("io.polygons.not_wgs84_layer").with("crs", head)));
            }
        }
        None => return Err(IoError::new(&file.name, Message::new("io.polygons.no_prj"))),
    }
    let cursor = |f: &InputFile| std::io::Cursor::new(f.bytes.clone());
    let shapes = shapefile::ShapeReader::with_shx(cursor(shp), cursor(shx))
        .map_err(|e| IoError::new(&shp.name, Message::new("io.polygons.bad_shp").with("reason", e.to_string())))?;
    let table = shapefile::dbase::Reader::new(cursor(dbf))
        .map_err(|e| IoError::new(&dbf.name, Message::new("io.polygons.bad_dbf").with("reason", e.to_string())))?;
    let mut reader = shapefile::Reader::new(shapes, table);
    let mut out = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| {
            IoError::at(
                &shp.name,
                Some(i + 1),
                Some("record"),
                Message::new("io.polygons.bad_record").with("reason", e.to_string()),
            )
        })?;
        let name = ["name", "NAME", "Name", "NAME_EN", "name_en", "ORIG_NAME", "WDPA_NAME"]
            .iter()
            .find_map(|k| match record.get(k) {
                Some(shapefile::dbase::FieldValue::Character(Some(s))) if !s.trim().is_empty() => {
                    Some(s.trim().to_string())
                }
                _ => None,
            })
            .unwrap_or_else(|| format!("record {}", i + 1));
        let rings: Vec<(bool, Vec<Coord<f64>>)> = match shape {
            shapefile::Shape::Polygon(p) => p.rings().iter().map(|r| ring_of(r, |q| (q.x, q.y))).collect(),
            shapefile::Shape::PolygonM(p) => p.rings().iter().map(|r| ring_of(r, |q| (q.x, q.y))).collect(),
            shapefile::Shape::PolygonZ(p) => p.rings().iter().map(|r| ring_of(r, |q| (q.x, q.y))).collect(),
            shapefile::Shape::NullShape => {
                return Err(IoError::at(&shp.name, Some(i + 1), Some(&name), Message::new("io.polygons.null_shape")))
            }
            other => {
                return Err(IoError::at(
                    &shp.name,
                    Some(i + 1),
                    Some(&name),
                    Message::new("io.polygons.not_polygon").with("type", format!("{:?}", other.shapetype())),
                ))
            }
        };
        // Shapefile rings: outer rings (clockwise) each followed by their holes.
        let mut polys: Vec<Polygon<f64>> = Vec::new();
        for (outer, ring) in rings {
            if outer || polys.is_empty() {
                polys.push(Polygon::new(LineString::new(ring), vec![]));
            } else if let Some(last) = polys.last_mut() {
                last.interiors_push(LineString::new(ring));
            }
        }
        out.push((name, MultiPolygon(polys)));
    }
    if out.is_empty() {
        return Err(IoError::new(&shp.name, Message::new("io.polygons.no_polygon")));
    }
    Ok(out)
}

fn ring_of<P>(r: &shapefile::PolygonRing<P>, xy: impl Fn(&P) -> (f64, f64)) -> (bool, Vec<Coord<f64>>) {
    let (outer, pts) = match r {
        shapefile::PolygonRing::Outer(p) => (true, p),
        shapefile::PolygonRing::Inner(p) => (false, p),
    };
    (
        outer,
        pts.iter()
            .map(|p| {
                let (x, y) = xy(p);
                Coord { x, y }
            })
            .collect(),
    )
}
