//! GeoTIFF rasters (habitat masks and mask covariates from GIS), read with the `tiff` crate:
//! one band of 8/16/32/64-bit integers or 32/64-bit floats, placed by the GeoTIFF tags
//! ModelPixelScale + ModelTiepoint or ModelTransformation (rotated and sheared rasters), the
//! CRS from the GeoKey directory (ProjectedCSTypeGeoKey 3072 / GeographicTypeGeoKey 2048) and
//! GDAL's no-data value. Coordinates must be projected metres: a geographic CRS is refused.

use crate::model::secr::{Covariate, Mask, SecrError};
use std::io::Cursor;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

/// One band of a GeoTIFF with its placement.
#[derive(Clone, Debug, PartialEq)]
pub struct Raster {
    pub width: usize,
    pub height: usize,
    /// Values row by row from the top-left cell (NaN where no-data).
    pub values: Vec<f64>,
    /// Affine transform of cell (column, row) corners: x = t0 + t1·col + t2·row,
    /// y = t3 + t4·col + t5·row (GDAL's order).
    pub transform: [f64; 6],
    /// EPSG code of the projected CRS, if stated.
    pub epsg: Option<u16>,
}

impl Raster {
    /// Centre of cell (col, row).
    pub fn centre(&self, col: usize, row: usize) -> (f64, f64) {
        let (c, r) = (col as f64 + 0.5, row as f64 + 0.5);
        let t = &self.transform;
        (t[0] + t[1] * c + t[2] * r, t[3] + t[4] * c + t[5] * r)
    }
    /// Value of the cell containing (x, y), if inside the raster and not no-data.
    pub fn sample(&self, x: f64, y: f64) -> Option<f64> {
        let t = &self.transform;
        let det = t[1] * t[5] - t[2] * t[4];
        let (dx, dy) = (x - t[0], y - t[3]);
        let col = (t[5] * dx - t[2] * dy) / det;
        let row = (-t[4] * dx + t[1] * dy) / det;
        if col < 0.0 || row < 0.0 || col >= self.width as f64 || row >= self.height as f64 {
            return None;
        }
        let v = self.values[row as usize * self.width + col as usize];
        (!v.is_nan()).then_some(v)
    }
    /// Area of one cell (ha).
    pub fn cell_area_ha(&self) -> f64 {
        let t = &self.transform;
        (t[1] * t[5] - t[2] * t[4]).abs() / 1e4
    }
    /// A habitat mask of the centres of the cells for which `habitat(value)` holds (e.g.
    /// non-zero), with this raster's cell area and the cell's shorter side as spacing.
    pub fn habitat_mask(&self, file: &str, habitat: &dyn Fn(f64) -> bool) -> Result<Mask, SecrError> {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for row in 0..self.height {
            for col in 0..self.width {
                let v = self.values[row * self.width + col];
                if !v.is_nan() && habitat(v) {
                    let (cx, cy) = self.centre(col, row);
                    x.push(cx);
                    y.push(cy);
                }
            }
        }
        if x.is_empty() {
            return Err(SecrError::file(file, "no habitat cell in the raster"));
        }
        let t = &self.transform;
        let spacing = (t[1].hypot(t[4])).min(t[2].hypot(t[5]));
        Mask::with_cell_area(x, y, self.cell_area_ha(), spacing).map_err(|e| SecrError::file(file, e.to_string()))
    }
    /// The raster's values at the mask points, as a numeric covariate; an error names the
    /// first point outside the raster or on no-data.
    pub fn covariate_at(&self, file: &str, mask: &Mask) -> Result<Covariate, SecrError> {
        let mut v = Vec::with_capacity(mask.len());
        for (i, (&x, &y)) in mask.x().iter().zip(mask.y()).enumerate() {
            v.push(self.sample(x, y).ok_or_else(|| {
                SecrError::file(
                    file,
                    format!("mask point {} ({x:.1}, {y:.1}) is outside the raster or on no-data", i + 1),
                )
            })?);
        }
        Ok(Covariate::Numeric(v))
    }
}

fn terr(file: &str, e: impl std::fmt::Display) -> SecrError {
    SecrError::file(file, format!("not a readable GeoTIFF: {e}"))
}

/// Reads the first band of a GeoTIFF.
pub fn read_geotiff(file: &str, bytes: &[u8]) -> Result<Raster, SecrError> {
    let mut d = Decoder::new(Cursor::new(bytes)).map_err(|e| terr(file, e))?;
    let (w, h) = d.dimensions().map_err(|e| terr(file, e))?;
    let scale = d.find_tag(Tag::ModelPixelScaleTag).map_err(|e| terr(file, e))?;
    let transform = if let Some(m) = d.find_tag(Tag::ModelTransformationTag).map_err(|e| terr(file, e))? {
        let m = m.into_f64_vec().map_err(|e| terr(file, e))?;
        if m.len() < 8 {
            return Err(SecrError::file(file, "ModelTransformation needs 16 values"));
        }
        [m[3], m[0], m[1], m[7], m[4], m[5]]
    } else if let Some(s) = scale {
        let s = s.into_f64_vec().map_err(|e| terr(file, e))?;
        let tp = d
            .get_tag_f64_vec(Tag::ModelTiepointTag)
            .map_err(|_| SecrError::file(file, "ModelPixelScale without ModelTiepoint: the raster cannot be placed"))?;
        if s.len() < 2 || tp.len() < 6 {
            return Err(SecrError::file(file, "ModelPixelScale/ModelTiepoint too short"));
        }
        // tie point (i, j) → (x, y); y decreases down the rows
        [tp[3] - tp[0] * s[0], s[0], 0.0, tp[4] + tp[1] * s[1], 0.0, -s[1]]
    } else {
        return Err(SecrError::file(
            file,
            "no GeoTIFF placement (ModelPixelScale + ModelTiepoint or ModelTransformation)",
        ));
    };
    let mut epsg = None;
    if let Ok(keys) = d.get_tag_u16_vec(Tag::GeoKeyDirectoryTag) {
        for k in keys.chunks(4).skip(1) {
            if k.len() == 4 && k[1] == 0 {
                match k[0] {
                    3072 => epsg = Some(k[3]),
                    2048 if epsg.is_none() => {
                        return Err(SecrError::file(
                            file,
                            format!("geographic CRS (EPSG:{}): reproject the raster to metres (e.g. UTM) first", k[3]),
                        ))
                    }
                    _ => {}
                }
            }
        }
    }
    let nodata =
        d.get_tag_ascii_string(Tag::GdalNodata).ok().and_then(|s| s.trim().trim_end_matches('\0').parse::<f64>().ok());
    let values: Vec<f64> = match d.read_image().map_err(|e| terr(file, e))? {
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U64(v) => v.into_iter().map(|x| x as f64).collect(),
        DecodingResult::I8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I64(v) => v.into_iter().map(|x| x as f64).collect(),
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
    };
    let (w, h) = (w as usize, h as usize);
    if values.len() != w * h {
        return Err(SecrError::file(
            file,
            format!("{} values for {w} × {h} cells: one band only, please", values.len()),
        ));
    }
    let values = values.into_iter().map(|v| if Some(v) == nodata { f64::NAN } else { v }).collect();
    Ok(Raster { width: w, height: h, values, transform, epsg })
}

/// Writes one band of f32 values as a GeoTIFF (ModelPixelScale + ModelTiepoint, north up,
/// optional EPSG code and no-data): for demos and tests.
pub fn write_geotiff(
    width: usize,
    height: usize,
    values: &[f32],
    origin: (f64, f64),
    cell: f64,
    epsg: Option<u16>,
    nodata: Option<f32>,
) -> Result<Vec<u8>, String> {
    use tiff::encoder::{colortype::Gray32Float, TiffEncoder};
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).map_err(|e| e.to_string())?;
        let mut img = enc.new_image::<Gray32Float>(width as u32, height as u32).map_err(|e| e.to_string())?;
        let dir = img.encoder();
        dir.write_tag(Tag::ModelPixelScaleTag, &[cell, cell, 0.0][..]).map_err(|e| e.to_string())?;
        dir.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, origin.0, origin.1, 0.0][..])
            .map_err(|e| e.to_string())?;
        let mut keys: Vec<u16> = vec![1, 1, 0, 1, 1024, 0, 1, 1];
        if let Some(code) = epsg {
            keys[3] = 2;
            keys.extend([3072, 0, 1, code]);
        }
        dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).map_err(|e| e.to_string())?;
        if let Some(nd) = nodata {
            dir.write_tag(Tag::GdalNodata, &format!("{nd}")[..]).map_err(|e| e.to_string())?;
        }
        img.write_data(values).map_err(|e| e.to_string())?;
    }
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_places_cells_and_reads_the_crs_and_no_data() {
        // 4 × 3 cells of 500 m, top-left corner at (400000, 5000000), EPSG:32647 (UTM 47N)
        let vals: Vec<f32> = (0..12).map(|i| if i == 5 { -9999.0 } else { i as f32 * 10.0 }).collect();
        let bytes = write_geotiff(4, 3, &vals, (400_000.0, 5_000_000.0), 500.0, Some(32647), Some(-9999.0)).unwrap();
        let r = read_geotiff("dem.tif", &bytes).unwrap();
        assert_eq!((r.width, r.height, r.epsg), (4, 3, Some(32647)));
        assert_eq!(r.centre(0, 0), (400_250.0, 4_999_750.0));
        assert_eq!(r.sample(401_100.0, 4_999_900.0), Some(20.0)); // column 2, row 0
        assert_eq!(r.sample(400_600.0, 4_999_400.0), None); // cell 5 is no-data
        assert_eq!(r.sample(399_000.0, 4_999_400.0), None); // outside
        assert!((r.cell_area_ha() - 25.0).abs() < 1e-12);
        let m = r.habitat_mask("dem.tif", &|v| v > 0.0).unwrap();
        assert_eq!(m.len(), 10); // 12 cells less cell 0 (value 0) and the no-data cell
        assert!((m.spacing() - 500.0).abs() < 1e-12);
        let c = r.covariate_at("dem.tif", &m).unwrap();
        assert_eq!(c.len(), 10);
        assert!(read_geotiff("x.tif", b"not a tiff").unwrap_err().to_string().contains("x.tif"));
    }
}
