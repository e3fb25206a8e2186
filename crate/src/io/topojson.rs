//! TopoJSON (Bostock 2013) country outlines, as the Natural Earth basemap ships in
//! `shared/basemap/`: quantized, delta-encoded arcs referenced by polygons.

use super::IoError;
use crate::model::message::Message;
use geo::{Coord, LineString, MultiPolygon, Polygon};

/// A named country outline.
#[derive(Debug, Clone)]
pub struct Country {
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

/// Decodes every Polygon/MultiPolygon of every object into named shapes.
pub fn read_countries(file: &str, bytes: &[u8]) -> Result<Vec<Country>, IoError> {
    let text = super::decode_text(file, bytes, None)?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        IoError::at(file, Some(e.line()), None, Message::new("io.topojson.invalid_json").with("reason", e.to_string()))
    })?;
    if v.get("type").and_then(|t| t.as_str()) != Some("Topology") {
        return Err(IoError::new(file, Message::new("io.topojson.not_topology")));
    }
    let (scale, translate) = match v.get("transform") {
        Some(t) => {
            let f = |k: &str, i: usize| t.get(k).and_then(|a| a.get(i)).and_then(|x| x.as_f64());
            match (f("scale", 0), f("scale", 1), f("translate", 0), f("translate", 1)) {
                (Some(a), Some(b), Some(c), Some(d)) => (Some((a, b)), (c, d)),
                _ => return Err(IoError::new(file, Message::new("io.topojson.bad_transform"))),
            }
        }
        None => (None, (0.0, 0.0)),
    };
    let arcs_json = v
        .get("arcs")
        .and_then(|a| a.as_array())
        .ok_or_else(|| IoError::new(file, Message::new("io.topojson.no_arcs")))?;
    let mut arcs: Vec<Vec<Coord<f64>>> = Vec::with_capacity(arcs_json.len());
    for (i, arc) in arcs_json.iter().enumerate() {
        let pts = arc
            .as_array()
            .ok_or_else(|| IoError::new(file, Message::new("io.topojson.arc_not_array").with("index", i)))?;
        let (mut x, mut y) = (0.0, 0.0);
        let mut out = Vec::with_capacity(pts.len());
        for p in pts {
            let (dx, dy) = match (p.get(0).and_then(|a| a.as_f64()), p.get(1).and_then(|a| a.as_f64())) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(IoError::new(file, Message::new("io.topojson.bad_position").with("index", i))),
            };
            match scale {
                Some((sx, sy)) => {
                    x += dx;
                    y += dy;
                    out.push(Coord { x: x * sx + translate.0, y: y * sy + translate.1 });
                }
                None => out.push(Coord { x: dx, y: dy }),
            }
        }
        arcs.push(out);
    }
    let ring = |refs: &serde_json::Value| -> Result<LineString<f64>, IoError> {
        let mut coords: Vec<Coord<f64>> = Vec::new();
        for r in refs.as_array().ok_or_else(|| IoError::new(file, Message::new("io.topojson.bad_ring")))? {
            let k = r.as_i64().ok_or_else(|| IoError::new(file, Message::new("io.topojson.index_not_integer")))?;
            let (idx, rev) = if k < 0 { ((!k) as usize, true) } else { (k as usize, false) };
            let arc = arcs
                .get(idx)
                .ok_or_else(|| IoError::new(file, Message::new("io.topojson.index_out_of_range").with("index", k)))?;
            if arc.is_empty() {
                // An arc is "an array of two or more positions" (TopoJSON specification, Bostock 2013).
                let m = Message::new("io.topojson.empty_arc").with("index", k.to_string());
                return Err(IoError::new(file, m));
            }
            let mut pts: Vec<Coord<f64>> = arc.clone();
            if rev {
                pts.reverse();
            }
            if !coords.is_empty() {
                pts.remove(0);
            }
            coords.extend(pts);
        }
        Ok(LineString::new(coords))
    };
    let polygon = |rings: &serde_json::Value| -> Result<Polygon<f64>, IoError> {
        let rs = rings.as_array().ok_or_else(|| IoError::new(file, Message::new("io.topojson.bad_polygon")))?;
        let mut it = rs.iter().map(ring);
        let ext = it.next().ok_or_else(|| IoError::new(file, Message::new("io.topojson.no_ring")))??;
        Ok(Polygon::new(ext, it.collect::<Result<_, _>>()?))
    };
    let mut out = Vec::new();
    for obj in v.get("objects").and_then(|o| o.as_object()).into_iter().flat_map(|o| o.values()) {
        let geoms = obj.get("geometries").and_then(|g| g.as_array()).cloned().unwrap_or_else(|| vec![obj.clone()]);
        for g in &geoms {
            let name = g.pointer("/properties/name").and_then(|n| n.as_str()).unwrap_or("").to_string();
            let arcs_v = g.get("arcs").cloned().unwrap_or(serde_json::Value::Null);
            let shape = match g.get("type").and_then(|t| t.as_str()) {
                Some("Polygon") => MultiPolygon(vec![polygon(&arcs_v)?]),
                Some("MultiPolygon") => {
                    MultiPolygon(arcs_v.as_array().into_iter().flatten().map(polygon).collect::<Result<_, _>>()?)
                }
                _ => continue,
            };
            out.push(Country { name, shape });
        }
    }
    Ok(out)
}
