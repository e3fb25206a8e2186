//! Estimates from dropped files: closed-population models, SECR on the joint catalog and
//! survey design. Each is one function taking the operation's files ([`Inputs`]) and one serde
//! options struct, and returning one serde result; the page's WASM exports and the CLI
//! (`borderless run closed|secr|design`, `borderless secr --catalog`) call these same functions,
//! so both give the same JSON for the same files and options.
//!
//! Progress is reported as a stage code (`pipeline.stage.*`, translated where it is shown) and
//! the fraction of the run done: reading the files takes the first part, the fit the rest.

use super::inputs::{Inputs, Role};
use super::{load_files, AnalysisOptions, Loaded, Progress};
use crate::estimation::catalog_secr::{
    fit_catalogs, AreaN, CatalogSecr, CatalogSecrError, CatalogSecrOptions, MaskPolygons, ModelRow, UsageKind,
};
use crate::estimation::design::{design_layout, DesignError, Layout, LayoutDesign, LayoutDesignOptions};
use crate::estimation::secr::SecrFit;
use crate::estimation::{closed_population, ClosedPopulation, EstimationError};
use crate::io::IoError;
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::render::charts::{detection_function_chart, ChartError, ChartOptions};
use crate::render::maps::{density_map, MapOptions};
use serde::{Deserialize, Serialize};

/// Why an estimate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    #[error(transparent)]
    Input(#[from] IoError),
    #[error(transparent)]
    Closed(#[from] EstimationError),
    #[error(transparent)]
    Secr(#[from] CatalogSecrError),
    #[error(transparent)]
    Design(#[from] DesignError),
    #[error(transparent)]
    Chart(#[from] ChartError),
}

fn stage(code: &str, fraction: f64) -> Progress {
    Progress::new(Message::new(code), fraction)
}

/// Options of [`fit_closed`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClosedOptions {
    /// How the files are read and joined (and the expert's decisions).
    pub analysis: AnalysisOptions,
    /// Occasion length in days.
    pub occasion_days: f64,
}

impl Default for ClosedOptions {
    fn default() -> Self {
        ClosedOptions { analysis: AnalysisOptions::default(), occasion_days: 15.0 }
    }
}

/// Closed-population models (Rcapture's `closedp.t` set and the Burnham–Overton jackknife) on
/// the joint detection histories of the files' catalogs.
pub fn fit_closed(
    inputs: Inputs,
    o: &ClosedOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ClosedPopulation, EstimateError> {
    let loaded = load_files(inputs.files, &o.analysis, &mut |p| progress(p.scaled(0.0, 0.5)));
    progress(stage("pipeline.stage.closed", 0.5));
    let result = closed_population(loaded.survey(), o.occasion_days)?;
    progress(stage("pipeline.stage.done", 1.0));
    Ok(result)
}

/// Options of [`fit_catalog_secr`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecrOptions {
    /// How the files are read and joined (and the expert's decisions).
    pub analysis: AnalysisOptions,
    /// The fit: detectors, detection function, mask, groups, comparison.
    pub secr: CatalogSecrOptions,
    /// Also draw the density map and the detection curve (SVG), in `lang`.
    pub drawings: bool,
    pub lang: Lang,
}

/// SECR on the joint catalog: the fit (its fields at the top level, as `borderless secr
/// --catalog --json` has always printed them) with what the catalogs add to it.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogSecrEstimate {
    #[serde(flatten)]
    pub fit: SecrFit,
    pub options: CatalogSecrOptions,
    pub utm_zone: String,
    pub occasions: usize,
    pub detectors: usize,
    /// `(distance m, g(d))` of the fitted detection function per occasion-day.
    pub detection_curve: Vec<(f64, f64)>,
    pub mask_spacing_m: f64,
    pub n_per_country: Vec<AreaN>,
    pub n_per_region: Vec<AreaN>,
    pub models: Vec<ModelRow>,
    pub notes: Vec<String>,
    /// With [`SecrOptions::drawings`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drawings: Option<SecrDrawings>,
}

/// The density map and the fitted detection curve, as SVG.
#[derive(Debug, Clone, Serialize)]
pub struct SecrDrawings {
    pub density_map: String,
    pub detection_chart: String,
}

/// SECR on the joint catalog of the files. The basemap ([`Role::Basemap`]) keeps the mask on
/// land and gives N per country; habitat and regions ([`Role::Habitat`], [`Role::Regions`]) clip
/// the mask and name areas to report N for; a covariate raster ([`Role::Covariate`]) is a mask
/// covariate for the density formula.
pub fn fit_catalog_secr(
    mut inputs: Inputs,
    o: &SecrOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CatalogSecrEstimate, EstimateError> {
    let files = std::mem::take(&mut inputs.files);
    let loaded = load_files(files, &o.analysis, &mut |p| progress(p.scaled(0.0, 0.2)));
    fit_loaded_secr(loaded, &inputs, o, progress)
}

/// [`fit_catalog_secr`] on files already read (the CLI checks their reports first); `inputs`
/// gives the basemap, habitat and regions.
pub fn fit_loaded_secr(
    loaded: Loaded,
    inputs: &Inputs,
    o: &SecrOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CatalogSecrEstimate, EstimateError> {
    let countries = inputs.countries()?;
    let habitat = inputs.habitat()?;
    let regions = inputs.regions()?;
    let covariate = inputs.covariate()?;
    progress(stage("pipeline.stage.secr", 0.2));
    let polygons = MaskPolygons {
        countries: &countries,
        habitat: habitat.as_ref(),
        regions: &regions,
        covariate: covariate.as_ref().map(|(name, r)| (name.as_str(), r)),
    };
    let secr = fit_catalogs(loaded.survey(), &polygons, &o.secr)?;
    let drawings = if o.drawings {
        progress(stage("pipeline.stage.drawing", 0.95));
        let analysis = loaded.analysis(&mut |_| {});
        let density = density_map(&analysis, &secr, &countries, &MapOptions { lang: o.lang, ..Default::default() });
        let chart = detection_function_chart(
            &secr.detection_curve,
            &format!("{:?}", secr.options.detectfn),
            detection_axis(o.lang, secr.options.usage),
            analysis.simulated,
            &ChartOptions { lang: o.lang, ..Default::default() },
        )?;
        Some(SecrDrawings { density_map: density, detection_chart: chart })
    } else {
        None
    };
    progress(stage("pipeline.stage.done", 1.0));
    let CatalogSecr {
        options,
        utm_zone,
        occasions,
        detectors,
        fit,
        detection_curve,
        mask_spacing_m,
        n_per_country,
        n_per_region,
        models,
        notes,
        ..
    } = secr;
    Ok(CatalogSecrEstimate {
        fit,
        options,
        utm_zone,
        occasions,
        detectors,
        detection_curve,
        mask_spacing_m,
        n_per_country,
        n_per_region,
        models,
        notes,
        drawings,
    })
}

/// The y axis of the detection curve: probability per camera-day (usage in days) or per occasion.
fn detection_axis(lang: Lang, usage: UsageKind) -> &'static str {
    match usage {
        UsageKind::Days => lang.pick([
            "detection probability per camera-day",
            "每相机日的检测概率",
            "вероятность регистрации за ловушко-сутки",
            "카메라-일당 탐지 확률",
            "камер-өдөрт бүртгэгдэх магадлал",
        ]),
        UsageKind::Binary => lang.pick([
            "detection probability per occasion",
            "每个调查期的检测概率",
            "вероятность регистрации за период",
            "조사 기간당 탐지 확률",
            "үе тутамд бүртгэгдэх магадлал",
        ]),
    }
}

/// Options of [`design_survey`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DesignOptions {
    /// How the files are read and joined (when their stations are the layout).
    pub analysis: AnalysisOptions,
    pub design: LayoutDesignOptions,
}

/// Survey design (secrdesign's question, Efford & Boulanger 2019) for the proposed stations of
/// the [`Role::Layout`] file, or else for the stations of the files' catalogs; the basemap keeps
/// the mask on land. Progress after each simulated replicate.
pub fn design_survey(
    mut inputs: Inputs,
    o: &DesignOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<LayoutDesign, EstimateError> {
    let countries = inputs.countries()?;
    let layout_file = inputs.take(Role::Layout);
    let loaded = match layout_file {
        Some(_) => None,
        None => Some(load_files(inputs.files, &o.analysis, &mut |p| progress(p.scaled(0.0, 0.1)))),
    };
    let layout = match (&layout_file, &loaded) {
        (Some(f), _) => Layout::Csv { file: &f.name, bytes: &f.bytes },
        (None, Some(l)) => Layout::Catalogs(l.survey()),
        (None, None) => unreachable!("the catalogs are loaded when there is no layout file"),
    };
    let mut on_replicate = |done: usize, total: usize| {
        let message = Message::new("pipeline.stage.design").with("done", done).with("total", total);
        progress(Progress::new(message, 0.1 + 0.9 * done as f64 / total.max(1) as f64));
    };
    let design = design_layout(layout, &countries, &o.design, &mut on_replicate)?;
    progress(stage("pipeline.stage.done", 1.0));
    Ok(design)
}
