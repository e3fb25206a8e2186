//! The international border from GeoJSON: LineString/MultiLineString features, or the boundary
//! shared by country polygons.

use super::{FileReport, InputFile, IoError};
use crate::model::message::Message;
use geo::{LineString, MultiLineString, MultiPolygon};

/// What a border file holds: border lines, or country polygons whose shared boundary is the
/// border (computed by [`crate::spatial::border::border_from_geometry`]).
#[derive(Debug, Clone, PartialEq)]
pub enum BorderGeometry {
    /// LineString / MultiLineString features, in file order.
    Lines(MultiLineString<f64>),
    /// Named country polygons (two or more).
    Countries(Vec<(String, MultiPolygon<f64>)>),
}

/// Reads the geometry of a border file (GeoJSON): lines, or the polygons of two or more
/// countries. Every feature is accounted for in `report`.
///
/// ```
/// use borderless::io::{border::{read_border_geometry, BorderGeometry}, InputFile, FileReport};
/// let f = InputFile::new("b.geojson", r#"{"type":"LineString","coordinates":[[130.6,42.4],[131.0,43.5]]}"#);
/// let mut r = FileReport::new("b.geojson", "border");
/// let BorderGeometry::Lines(l) = read_border_geometry(&f, &mut r).unwrap() else { panic!() };
/// assert_eq!(l.0.len(), 1);
/// ```
pub fn read_border_geometry(file: &InputFile, report: &mut FileReport) -> Result<BorderGeometry, IoError> {
    let text = file.text(Some(report))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        IoError::at(
            &file.name,
            Some(e.line()),
            Some(&format!("character {}", e.column())),
            Message::new("io.geojson.invalid_json").with("reason", e.to_string()),
        )
    })?;
    let gj = geojson::GeoJson::from_json_value(value).map_err(|e| IoError::new(&file.name, invalid_geojson(&e)))?;
    let mut lines: Vec<LineString<f64>> = Vec::new();
    let mut polygons: Vec<(String, MultiPolygon<f64>)> = Vec::new();
    let mut features: Vec<(Option<String>, Option<geojson::Geometry>)> = Vec::new();
    match gj {
        geojson::GeoJson::FeatureCollection(fc) => {
            for f in fc.features {
                let name = f.property("name").and_then(|v| v.as_str()).map(str::to_string);
                features.push((name, f.geometry));
            }
        }
        geojson::GeoJson::Feature(f) => {
            let name = f.property("name").and_then(|v| v.as_str()).map(str::to_string);
            features.push((name, f.geometry));
        }
        geojson::GeoJson::Geometry(g) => features.push((None, Some(g))),
    }
    for (i, (name, geom)) in features.into_iter().enumerate() {
        report.rows_read += 1;
        let label = format!("features[{i}]");
        let Some(geom) = geom else {
            report.reject(i + 1, Some(&label), Message::new("io.geojson.no_geometry"));
            continue;
        };
        let g: geo::Geometry<f64> = match geom.try_into() {
            Ok(g) => g,
            Err(e) => {
                let m = Message::new("io.geojson.bad_geometry").with("reason", e.to_string());
                report.reject(i + 1, Some(&label), m);
                continue;
            }
        };
        match g {
            geo::Geometry::LineString(l) => lines.push(l),
            geo::Geometry::MultiLineString(m) => lines.extend(m.0),
            geo::Geometry::Polygon(p) => polygons.push((name.unwrap_or(label), MultiPolygon(vec![p]))),
            geo::Geometry::MultiPolygon(m) => polygons.push((name.unwrap_or(label), m)),
            other => {
                let m = match geometry_name(&other) {
                    Some(t) => Message::new("io.border.not_line_or_polygon").with("type", t),
                    None => Message::new("io.border.other_geometry"),
                };
                report.reject(i + 1, Some(&label), m);
                continue;
            }
        }
        report.rows_used += 1;
    }
    if !lines.is_empty() && !polygons.is_empty() {
        return Err(IoError::new(&file.name, Message::new("io.border.mixed")));
    }
    if polygons.is_empty() {
        return Ok(BorderGeometry::Lines(MultiLineString(lines)));
    }
    if polygons.len() < 2 {
        return Err(IoError::new(&file.name, Message::new("io.border.single_polygon")));
    }
    Ok(BorderGeometry::Countries(polygons))
}

/// The GeoJSON type name of a geometry a border cannot be made of (`None`: one with no name
/// of its own in GeoJSON).
fn geometry_name(g: &geo::Geometry<f64>) -> Option<&'static str> {
    match g {
        geo::Geometry::Point(_) => Some("Point"),
        geo::Geometry::MultiPoint(_) => Some("MultiPoint"),
        geo::Geometry::GeometryCollection(_) => Some("GeometryCollection"),
        _ => None,
    }
}

/// "not valid GeoJSON: …" with the parser's own reason (`io.geojson.invalid`).
fn invalid_geojson(e: &geojson::Error) -> Message {
    Message::new("io.geojson.invalid").with("reason", e.to_string())
}

/// Reads habitat polygons (Polygon/MultiPolygon features or geometries) from GeoJSON bytes.
pub fn read_polygons(file: &str, bytes: &[u8]) -> Result<MultiPolygon<f64>, IoError> {
    let named = read_named_polygons(file, bytes)?;
    Ok(MultiPolygon(named.into_iter().flat_map(|(_, m)| m.0).collect()))
}

/// Reads named polygons (each feature's `name` property, else `features[i]`) from GeoJSON.
pub fn read_named_polygons(file: &str, bytes: &[u8]) -> Result<Vec<(String, MultiPolygon<f64>)>, IoError> {
    let text = super::decode_text(file, bytes, None)?;
    let gj: geojson::GeoJson = text.parse().map_err(|e| IoError::new(file, invalid_geojson(&e)))?;
    let name_of = |f: &geojson::Feature| f.property("name").and_then(|v| v.as_str()).map(str::to_string);
    let geoms: Vec<(Option<String>, Option<geojson::Geometry>)> = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc.features.into_iter().map(|f| (name_of(&f), f.geometry)).collect(),
        geojson::GeoJson::Feature(f) => vec![(name_of(&f), f.geometry)],
        geojson::GeoJson::Geometry(g) => vec![(None, Some(g))],
    };
    let mut polys = Vec::new();
    for (i, (name, g)) in geoms.into_iter().enumerate() {
        let label = format!("features[{i}]");
        let Some(g) = g else {
            return Err(IoError::at(file, Some(i + 1), Some(&label), Message::new("io.geojson.no_geometry")));
        };
        let g: geo::Geometry<f64> = g.try_into().map_err(|e: geojson::Error| {
            // The parser's own words (a library's error): shown as written.
            IoError::at(file, Some(i + 1), Some(&label), Message::untranslated(e.to_string()))
        })?;
        let name = name.unwrap_or(label.clone());
        match g {
            geo::Geometry::Polygon(p) => polys.push((name, MultiPolygon(vec![p]))),
            geo::Geometry::MultiPolygon(m) => polys.push((name, m)),
            _ => return Err(IoError::at(file, Some(i + 1), Some(&label), Message::new("io.geojson.not_polygon"))),
        }
    }
    if polys.is_empty() {
        return Err(IoError::new(file, Message::new("io.geojson.no_polygon")));
    }
    Ok(polys)
}
