//! Count sites: CSV `site,name,country,latitude,longitude,complex` or GeoJSON features (points or
//! polygons) with the same properties. `complex` groups sites into one transboundary site.
//!
//! ```
//! use borderless::io::InputFile;
//! use borderless::waterbirds::sites::read_sites;
//! let f = InputFile::new("sites.csv", "site,name,country,latitude,longitude,complex\n\
//!     JX,Jingxin,CN,42.55,130.62,Tumen estuary\nRS,Rason,KP,42.33,130.39,Tumen estuary\n");
//! let (sites, report) = read_sites(&f).unwrap();
//! assert_eq!(sites.complexes(), vec![("Tumen estuary".to_string(), vec![0, 1])]);
//! assert!(report.balanced());
//! ```

use super::message::Msg;
use crate::io::{FileReport, InputFile, IoError};
use crate::model::message::Message;
use crate::model::LatLon;
use serde::Serialize;

/// One count site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// Country code as given (e.g. CN, KP, RU).
    pub country: String,
    /// Exact position (a polygon's centroid for GeoJSON polygons); `None` if not given.
    pub position: Option<LatLon>,
    /// The transboundary site (complex) this site belongs to, if any.
    pub complex: Option<String>,
}

/// The sites of an analysis.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sites {
    pub sites: Vec<Site>,
}

impl Sites {
    /// Index of a site by its ID (exact, then ignoring case and surrounding spaces).
    pub fn find(&self, id: &str) -> Option<usize> {
        let id = id.trim();
        self.sites
            .iter()
            .position(|s| s.id == id)
            .or_else(|| self.sites.iter().position(|s| s.id.to_lowercase() == id.to_lowercase()))
    }

    /// Complexes with the indices of their sites, in order of first appearance.
    pub fn complexes(&self) -> Vec<(String, Vec<usize>)> {
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, s) in self.sites.iter().enumerate() {
            if let Some(c) = &s.complex {
                match out.iter_mut().find(|(n, _)| n == c) {
                    Some((_, v)) => v.push(i),
                    None => out.push((c.clone(), vec![i])),
                }
            }
        }
        out
    }
}

fn cell(fields: &[String], col: Option<usize>) -> Option<&str> {
    col.and_then(|c| fields.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Reads a sites file, CSV or GeoJSON (told by content).
pub fn read_sites(file: &InputFile) -> Result<(Sites, FileReport), IoError> {
    let text_start = file.bytes.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if text_start.is_some_and(|i| file.bytes[i] == b'{') {
        return read_geojson(file);
    }
    let mut report = FileReport::new(&file.name, "waterbird sites (CSV)");
    let grid = super::grid::read_grid(file, &mut report)?;
    let col = |names: &[&str]| grid.column(names);
    let Some(site_col) = col(&["site", "site_id", "id", "locationid"]) else {
        return Err(IoError::at(
            &file.name,
            Some(1),
            Some("site"),
            Msg::MissingColumns { columns: "site".into(), kind: "sites file".into() },
        ));
    };
    let (name_col, country_col, complex_col) =
        (col(&["name", "site_name"]), col(&["country", "countrycode", "country_code"]), col(&["complex"]));
    let (lat_col, lon_col) =
        (col(&["latitude", "lat", "decimallatitude"]), col(&["longitude", "lon", "lng", "decimallongitude"]));
    let mut sites = Sites::default();
    for (row, fields) in &grid.rows {
        report.rows_read += 1;
        let Some(id) = cell(fields, Some(site_col)) else {
            report.reject(*row, Some("site"), Msg::EmptyField);
            continue;
        };
        if sites.sites.iter().any(|s| s.id == id) {
            report.reject(*row, Some("site"), Msg::DuplicateSite { site: id.into() });
            continue;
        }
        let position = match (cell(fields, lat_col), cell(fields, lon_col)) {
            (None, None) => None,
            (Some(la), Some(lo)) => match (la.parse::<f64>(), lo.parse::<f64>()) {
                (Ok(la), Ok(lo)) => match LatLon::checked(la, lo) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        report.reject(*row, Some("latitude"), Msg::BadCoordinate { detail: e });
                        continue;
                    }
                },
                _ => {
                    let detail = Message::new("waterbirds.site.coordinates_not_numbers")
                        .with("latitude", format!("{la:?}"))
                        .with("longitude", format!("{lo:?}"));
                    report.reject(*row, Some("latitude"), Msg::BadCoordinate { detail });
                    continue;
                }
            },
            _ => {
                let detail = Message::new("waterbirds.site.one_coordinate");
                report.reject(*row, Some("latitude"), Msg::BadCoordinate { detail });
                continue;
            }
        };
        sites.sites.push(Site {
            id: id.to_string(),
            name: cell(fields, name_col).unwrap_or(id).to_string(),
            country: cell(fields, country_col).unwrap_or("").to_uppercase(),
            position,
            complex: cell(fields, complex_col).map(str::to_string),
        });
        report.rows_used += 1;
    }
    Ok((sites, report))
}

fn read_geojson(file: &InputFile) -> Result<(Sites, FileReport), IoError> {
    use geo::Centroid;
    let mut report = FileReport::new(&file.name, "waterbird sites (GeoJSON)");
    let text = file.text(Some(&mut report))?;
    let gj: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| {
        IoError::new(&file.name, Message::new("waterbirds.site.invalid_geojson").with("reason", e.to_string()))
    })?;
    let features = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(_) => {
            return Err(IoError::new(&file.name, Message::new("waterbirds.site.bare_geometry")));
        }
    };
    let mut sites = Sites::default();
    for (i, f) in features.into_iter().enumerate() {
        let row = i + 1;
        report.rows_read += 1;
        let prop = |k: &str| -> Option<String> {
            f.properties.as_ref()?.get(k).and_then(|v| match v {
                serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let Some(id) = prop("site").or_else(|| prop("id")) else {
            report.reject(row, Some("site"), Msg::EmptyField);
            continue;
        };
        if sites.sites.iter().any(|s| s.id == id) {
            report.reject(row, Some("site"), Msg::DuplicateSite { site: id });
            continue;
        }
        let from_props = match (prop("latitude"), prop("longitude")) {
            (Some(a), Some(b)) => a.parse::<f64>().ok().zip(b.parse::<f64>().ok()),
            _ => None,
        };
        let centroid = f.geometry.as_ref().and_then(|g| {
            let g: geo::Geometry<f64> = g.clone().try_into().ok()?;
            g.centroid().map(|p| (p.y(), p.x()))
        });
        let position = match from_props.or(centroid) {
            Some((la, lo)) => match LatLon::checked(la, lo) {
                Ok(p) => Some(p),
                Err(e) => {
                    report.reject(row, Some("geometry"), Msg::BadCoordinate { detail: e });
                    continue;
                }
            },
            None => None,
        };
        sites.sites.push(Site {
            name: prop("name").unwrap_or_else(|| id.clone()),
            country: prop("country").unwrap_or_default().to_uppercase(),
            complex: prop("complex"),
            id,
            position,
        });
        report.rows_used += 1;
    }
    Ok((sites, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_polygons_give_centroids() {
        let f = InputFile::new(
            "s.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"site":"A","country":"ru","complex":"X"},
            "geometry":{"type":"Polygon","coordinates":[[[130,42],[131,42],[131,43],[130,43],[130,42]]]}}]}"#,
        );
        let (s, r) = read_sites(&f).unwrap();
        let p = s.sites[0].position.unwrap();
        assert!((p.lat - 42.5).abs() < 1e-9 && (p.lon - 130.5).abs() < 1e-9);
        assert_eq!(s.sites[0].country, "RU");
        assert!(r.balanced());
    }

    #[test]
    fn bad_rows_are_rejected_with_row_and_column() {
        let f = InputFile::new(
            "s.csv",
            "site,country,latitude,longitude\nA,CN,42,130\nA,CN,42,130\nB,CN,131,42\n,CN,1,1\n",
        );
        let (s, r) = read_sites(&f).unwrap();
        assert_eq!(s.sites.len(), 1);
        let rows: Vec<_> = r.issues.iter().map(|i| (i.row, i.column.clone())).collect();
        assert_eq!(
            rows,
            vec![(Some(3), Some("site".into())), (Some(4), Some("latitude".into())), (Some(5), Some("site".into()))]
        );
    }
}
