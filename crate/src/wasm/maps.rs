//! The interactive map: a [`MapView`] keeps the projected layers in WASM memory and draws any
//! view into an RGBA buffer (for `putImageData` on the page's canvas); `pick` names what is
//! under the pointer; `exportSvg` writes the print map.

use super::{analysis_from_js, err, from_js, inputs_from_js, to_js};
use crate::render::maps::raster::Raster;
use crate::render::maps::scene::{Layer, MapScene, View};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Options of `new MapView(…)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct MapViewOptions {
    lang: crate::model::lang::Lang,
    width: Option<u32>,
    height: Option<u32>,
}

/// Options of `exportSvg`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ExportOptions {
    title: String,
    source: String,
    date: String,
    width_mm: f64,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { title: String::new(), source: String::new(), date: String::new(), width_mm: 190.0 }
    }
}

/// An interactive map of one analysis.
#[wasm_bindgen]
pub struct MapView {
    scene: MapScene,
    view: View,
    home: View,
    raster: Raster,
}

#[wasm_bindgen]
impl MapView {
    /// `new MapView(analysis, files, {lang, width, height})`; `files` may hold a `basemap`
    /// (TopoJSON) file: `[{name, bytes, role: 'basemap'}]`.
    #[wasm_bindgen(constructor)]
    pub fn new(analysis: JsValue, files: JsValue, options: JsValue) -> Result<MapView, JsError> {
        let a = analysis_from_js(analysis)?;
        let o: MapViewOptions = from_js(options, "map view options")?;
        let countries = inputs_from_js(&files)?.countries().map_err(err)?;
        let scene = MapScene::from_analysis(&a, &countries, o.lang);
        let view = scene.fit_view(o.width.unwrap_or(900), o.height.unwrap_or(640));
        let raster = Raster::new(
            view.width_px.max(1),
            view.height_px.max(1),
            crate::render::maps::raster::Rgba::rgb(255, 255, 255),
        )
        .map_err(err)?;
        Ok(MapView { scene, view, home: view, raster })
    }

    /// Resizes the view to `width`×`height` px (keeping its centre and scale).
    pub fn resize(&mut self, width: u32, height: u32) -> Result<(), JsError> {
        if width == 0 || height == 0 || width > 8192 || height > 8192 {
            return Err(JsError::new(&format!("map size {width}×{height} px is not drawable")));
        }
        self.view.width_px = width;
        self.view.height_px = height;
        self.home = self.scene.fit_view(width, height);
        Ok(())
    }

    /// Draws the current view and returns its RGBA pixels (`new ImageData(pixels, width, height)`).
    pub fn render(&mut self) -> Result<wasm_bindgen::Clamped<Vec<u8>>, JsError> {
        self.scene.render(&self.view, &mut self.raster).map_err(err)?;
        Ok(wasm_bindgen::Clamped(self.raster.data().to_vec()))
    }

    /// Pans by (dx, dy) screen pixels.
    #[wasm_bindgen(js_name = panBy)]
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        self.view.pan_px(dx, dy);
    }

    /// Zooms by `factor` around pixel (x, y).
    #[wasm_bindgen(js_name = zoomAt)]
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        self.view.zoom_at(factor, x, y);
    }

    /// Back to the view that fits the data.
    pub fn reset(&mut self) {
        self.view = self.home;
    }

    /// The current view `{cx_m, cy_m, px_per_m, width_px, height_px, symbol_scale}`.
    #[wasm_bindgen(js_name = viewState)]
    pub fn view_state(&self) -> Result<JsValue, JsError> {
        to_js(&self.view)
    }

    /// What is under pixel (x, y): `{layer, label, id}` or `null`.
    pub fn pick(&self, x: f64, y: f64, radius_px: f64) -> Result<JsValue, JsError> {
        match self.scene.pick(&self.view, x, y, radius_px) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    /// Shows or hides a layer (`stations`, `detections`, `movements`, `mcps`, `polygons`,
    /// `density`, `border`, `basemap`).
    #[wasm_bindgen(js_name = setLayerVisible)]
    pub fn set_layer_visible(&mut self, layer: &str, visible: bool) -> Result<(), JsError> {
        self.scene.set_visible(Layer::parse(layer).map_err(err)?, visible);
        Ok(())
    }

    /// Legend entries `[{layer, label, swatch, visible}]` in the view's language.
    pub fn legend(&self) -> Result<JsValue, JsError> {
        to_js(&self.scene.legend())
    }

    /// Scale bar and north arrow for the current view (SVG of the view's size).
    #[wasm_bindgen(js_name = furnitureSvg)]
    pub fn furniture_svg(&self) -> String {
        self.scene.furniture_svg(&self.view)
    }

    /// Adds a user polygon layer from each file (GeoJSON or a zipped Shapefile); returns the
    /// number of features read. Throws with the file and feature on bad input.
    #[wasm_bindgen(js_name = addPolygons)]
    pub fn add_polygons(&mut self, files: JsValue) -> Result<usize, JsError> {
        let mut n = 0;
        for file in inputs_from_js(&files)?.files {
            let polys = crate::io::polygons::read_user_polygons(&file).map_err(err)?;
            let layer = file.name.rsplit('/').next().unwrap_or(&file.name).to_string();
            self.scene.add_polygons(&layer, &polys);
            n += polys.len();
        }
        Ok(n)
    }

    /// The print map of the current view as SVG (title, data source and date in the margin).
    #[wasm_bindgen(js_name = exportSvg)]
    pub fn export_svg(&self, options: JsValue) -> Result<String, JsError> {
        let o: ExportOptions = from_js(options, "export options")?;
        if !(o.width_mm > 10.0 && o.width_mm < 2000.0) {
            return Err(JsError::new(&format!("export width {} mm is not a paper width", o.width_mm)));
        }
        Ok(self.scene.print_svg(&self.view, &o.title, &o.source, &o.date, o.width_mm))
    }

    /// Number of detections drawn by this view.
    #[wasm_bindgen(js_name = detectionCount)]
    pub fn detection_count(&self) -> usize {
        self.scene.detection_count()
    }
}
