//! SECR on the joint catalog: camera stations projected to UTM become detectors with their
//! effort per occasion as usage, joint individuals become animals, and the habitat mask is a
//! buffer around the detectors kept on land (inside the basemap's country polygons, which also
//! excludes sea). The answer partners need is then the expected number of animals in each
//! country's part of the mask.

use super::occasions::{self, OccasionError};
use super::secr::{
    fit_secr, Capthist, DetectFn, DetectorType, GroupModel, Mask, RealParam, SecrError, SecrFit, SecrModel, Traps,
};
use crate::io::geotiff::Raster;
use crate::io::topojson::Country;
use crate::model::joint::JointSurvey;
use crate::model::message::Message;
use crate::model::LatLon;
use crate::spatial::Utm;
use geo::{Contains, MultiPolygon, Point};
use serde::{Deserialize, Serialize};

/// How trap usage is given to the likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UsageKind {
    /// Days the camera worked in the occasion (secr: p = 1 − (1 − g)^K).
    #[default]
    Days,
    /// 1 if the camera worked at all in the occasion, else 0.
    Binary,
}

/// Options of a SECR fit on catalogs (one serde struct, as the page and CLI send it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogSecrOptions {
    pub occasion_days: f64,
    pub detector: DetectorType,
    pub detectfn: DetectFn,
    /// Mask buffer around the detectors, metres.
    pub buffer_m: f64,
    /// Mask spacing, metres (default: buffer extent / 64 as secr).
    pub spacing_m: Option<f64>,
    pub conditional: bool,
    pub learned_response: bool,
    pub usage: UsageKind,
    /// UTM zone, e.g. `utm:52N`; chosen from the stations' centroid if absent.
    pub utm: Option<String>,
    /// Also fit these detection functions and compare them by AIC.
    pub compare: Vec<DetectFn>,
    /// Fit by groups of animals (secr's `groups`): their recorded sex, or the catalog that first
    /// detected them.
    pub group_by: Option<GroupBy>,
    /// With groups: which parameters differ between them (e.g. σ ~ sex); density is per group.
    pub vary: GroupModel,
    /// Model formulas in secr's notation, e.g. `D~rugged` (the covariate raster of
    /// [`MaskPolygons::covariate`]) or `D~x+y`; empty: the null model.
    pub formulas: Vec<String>,
}

/// What defines the groups of a grouped fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// The sex recorded with the animal's detections (`unknown` if none or contradictory).
    Sex,
    /// The catalog (country) where the animal was first detected.
    Catalog,
}

impl Default for CatalogSecrOptions {
    fn default() -> Self {
        CatalogSecrOptions {
            occasion_days: 15.0,
            detector: DetectorType::Proximity,
            detectfn: DetectFn::HN,
            buffer_m: 20_000.0,
            spacing_m: None,
            conditional: false,
            learned_response: false,
            usage: UsageKind::Days,
            utm: None,
            compare: Vec::new(),
            group_by: None,
            vary: GroupModel::default(),
            formulas: Vec::new(),
        }
    }
}

/// Errors of this module.
#[derive(Debug, thiserror::Error)]
pub enum CatalogSecrError {
    #[error(transparent)]
    Occasions(#[from] OccasionError),
    #[error(transparent)]
    Secr(#[from] SecrError),
    #[error("{0}")]
    Crs(Message),
    #[error("no mask point is on land: check the basemap and the buffer")]
    NoLand,
}

impl CatalogSecrError {
    /// The error as a message, to show it in any language (SECR's own errors as their text).
    pub fn message(&self) -> Message {
        match self {
            CatalogSecrError::Occasions(e) => e.message(),
            CatalogSecrError::Secr(e) => Message::untranslated(e.to_string()),
            CatalogSecrError::Crs(m) => m.clone(),
            CatalogSecrError::NoLand => Message::new("estimation.design.no_land"),
        }
    }
}

/// Expected number of animals in one area of the mask — a country's part, or a user's region
/// such as a national park (secr's `region.N` E.N for a homogeneous density: D·A,
/// SE = SE(D)·A, interval D's interval × A).
#[derive(Debug, Clone, Serialize)]
pub struct AreaN {
    pub name: String,
    /// Area of the mask cells whose centre lies in the area.
    pub area_km2: f64,
    pub n: RealParam,
}

/// Polygons that shape the mask and name the areas to report N for (all WGS84).
#[derive(Debug, Clone, Copy, Default)]
pub struct MaskPolygons<'a> {
    /// Basemap country outlines: the mask keeps cells on land, N is given per country.
    pub countries: &'a [Country],
    /// Habitat: the mask keeps only cells inside.
    pub habitat: Option<&'a MultiPolygon<f64>>,
    /// Named regions (e.g. protected areas) to report N for.
    pub regions: &'a [(String, MultiPolygon<f64>)],
    /// A mask covariate raster (projected metres in the fit's UTM zone) and its name in the
    /// formulas: sampled at every mask point.
    pub covariate: Option<(&'a str, &'a Raster)>,
}

/// One mask cell, for the density map.
#[derive(Debug, Clone, Serialize)]
pub struct MaskCell {
    pub position: LatLon,
    pub country: Option<String>,
}

/// One model of the comparison table.
#[derive(Debug, Clone, Serialize)]
pub struct ModelRow {
    pub detectfn: DetectFn,
    pub loglik: Option<f64>,
    pub aic: Option<f64>,
    pub aicc: Option<f64>,
    pub delta_aic: Option<f64>,
    pub d_per_100km2: Option<f64>,
    pub converged: bool,
    pub error: Option<String>,
}

/// Result of [`fit_catalogs`].
#[derive(Debug, Clone, Serialize)]
pub struct CatalogSecr {
    pub options: CatalogSecrOptions,
    pub utm_zone: String,
    pub occasions: usize,
    pub detectors: usize,
    pub fit: SecrFit,
    /// Fitted detection probability (or hazard-based probability) per occasion-day at distance
    /// (m): `(d, g(d))`.
    pub detection_curve: Vec<(f64, f64)>,
    pub mask: Vec<MaskCell>,
    pub mask_spacing_m: f64,
    pub n_per_country: Vec<AreaN>,
    pub n_per_region: Vec<AreaN>,
    /// The comparison of detection functions, sorted by AIC (the chosen one included).
    pub models: Vec<ModelRow>,
    /// Notes on how the data became SECR input, in English.
    pub notes: Vec<String>,
    /// The same notes as messages, to show them in any language.
    pub notes_codes: Vec<Message>,
}

/// Value of the fitted detection function at distance `d` metres (Efford 2004; secr's
/// detection functions 0, 14, 2, 16, 1).
pub fn detection_value(fit: &SecrFit, detectfn: DetectFn, d: f64) -> f64 {
    let s = fit.sigma.estimate;
    let a = fit.g0.as_ref().or(fit.lambda0.as_ref()).map_or(0.0, |p| p.estimate);
    match detectfn {
        DetectFn::HN => a * (-d * d / (2.0 * s * s)).exp(),
        DetectFn::HHN => 1.0 - (-a * (-d * d / (2.0 * s * s)).exp()).exp(),
        DetectFn::EX => a * (-d / s).exp(),
        DetectFn::HEX => 1.0 - (-a * (-d / s).exp()).exp(),
        DetectFn::HR => {
            let z = fit.z.as_ref().map_or(1.0, |z| z.estimate);
            if d == 0.0 {
                a
            } else {
                a * (1.0 - (-(d / s).powf(-z)).exp())
            }
        }
    }
}

/// Group label of each detected joint animal.
fn group_labels(
    survey: JointSurvey<'_>,
    h: &occasions::DetectionHistories,
    by: GroupBy,
) -> std::collections::HashMap<String, String> {
    let joint_index: std::collections::HashMap<&str, usize> =
        survey.joint.individuals.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let mut out = std::collections::HashMap::new();
    for id in &h.animals {
        let Some(&ji) = joint_index.get(id.as_str()) else { continue };
        let ind = &survey.joint.individuals[ji];
        let mut dets: Vec<(&crate::model::Detection, &str)> = Vec::new();
        for c in survey.catalogs {
            if let Some(nid) = ind.national_ids.get(&c.name) {
                dets.extend(c.detections.iter().filter(|d| &d.individual == nid).map(|d| (d, c.name.as_str())));
            }
        }
        let label = match by {
            GroupBy::Catalog => dets
                .iter()
                .min_by_key(|(d, _)| d.time.timestamp_millis())
                .map(|(_, c)| c.to_string())
                .unwrap_or_default(),
            GroupBy::Sex => {
                let mut sexes: Vec<&str> = dets
                    .iter()
                    .filter_map(|(d, _)| d.sex.as_deref())
                    .filter(|s| *s == "female" || *s == "male")
                    .collect();
                sexes.sort_unstable();
                sexes.dedup();
                match sexes.as_slice() {
                    [one] => one.to_string(),
                    _ => "unknown".to_string(),
                }
            }
        };
        out.insert(id.clone(), label);
    }
    out
}

/// Fits SECR to the joint catalog. The basemap countries of `polygons` keep the mask on land and
/// give the per-country expected numbers; its habitat, if given, keeps only the cells inside;
/// with neither, the whole buffer is habitat. N is also given for each named region.
pub fn fit_catalogs(
    survey: JointSurvey<'_>,
    polygons: &MaskPolygons,
    opts: &CatalogSecrOptions,
) -> Result<CatalogSecr, CatalogSecrError> {
    let (countries, habitat) = (polygons.countries, polygons.habitat);
    let h = occasions::build(survey.catalogs, survey.joint, opts.occasion_days)?;
    let mut notes: Vec<Message> = Vec::new();
    let positions: Vec<LatLon> = h.stations.iter().map(|s| s.position).collect();
    let utm = match &opts.utm {
        Some(z) => Utm::read(z).map_err(CatalogSecrError::Crs)?,
        None => Utm::for_centroid(&positions).ok_or(OccasionError::NoStations)?,
    };
    let utm_zone = utm.to_string();
    let (xs, ys): (Vec<f64>, Vec<f64>) = positions.iter().map(|p| utm.from_latlon(*p)).unzip();
    let ids: Vec<String> = h.stations.iter().map(|s| format!("{}:{}", s.catalog, s.station)).collect();
    // usage[s][k]: one row per detector, one column per occasion.
    let usage: Vec<Vec<f64>> = h
        .stations
        .iter()
        .map(|s| {
            s.effort_days
                .iter()
                .map(|&e| match opts.usage {
                    UsageKind::Days => e,
                    UsageKind::Binary => f64::from(e > 0.0),
                })
                .collect()
        })
        .collect();
    let traps = Traps::new(ids.clone(), xs, ys, Some(usage))?;
    // Camera detections become secr records as camtrapR's spatialDetectionHistory makes them:
    // binary proximity detectors keep one record per animal, occasion and station; multi-catch
    // traps one per animal and occasion (the first); count detectors keep every detection.
    let mut seen = std::collections::HashSet::new();
    let mut records: Vec<(String, usize, String)> = Vec::new();
    let mut detections: Vec<_> = h.detections.clone();
    detections.sort_by_key(|d| (d.animal, d.occasion, d.time_order));
    for d in &detections {
        let key = match opts.detector {
            DetectorType::Proximity => Some((d.animal, d.occasion, d.station)),
            DetectorType::Multi => Some((d.animal, d.occasion, usize::MAX)),
            DetectorType::Count => None,
        };
        if key.is_some_and(|k| !seen.insert(k)) {
            continue;
        }
        records.push((h.animals[d.animal].clone(), d.occasion + 1, ids[d.station].clone()));
    }
    if records.len() < h.detections.len() {
        let code = match opts.detector {
            DetectorType::Proximity => "estimation.catalog.records_proximity",
            _ => "estimation.catalog.records_multi",
        };
        notes.push(Message::new(code).with("detections", h.detections.len()).with("records", records.len()));
    }
    let mut capthist = Capthist::new(&traps, h.occasions, &records)?;
    if let Some(by) = opts.group_by {
        let labels = group_labels(survey, &h, by);
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for l in labels.values() {
            *counts.entry(l.as_str()).or_default() += 1;
        }
        let code =
            if by == GroupBy::Sex { "estimation.catalog.groups_sex" } else { "estimation.catalog.groups_catalog" };
        let list = counts.iter().map(|(g, n)| format!("{g} {n}")).collect::<Vec<_>>().join(", ");
        notes.push(Message::new(code).with("groups", list));
        capthist = capthist.with_groups(&labels)?;
    }
    let full = Mask::trap_buffer(&traps, opts.buffer_m, opts.spacing_m)?;
    let spacing = full.spacing();
    // Keep the mask on land, and note which country each cell is in.
    let mut cells = Vec::with_capacity(full.len());
    let (mut mx, mut my) = (Vec::new(), Vec::new());
    for (&x, &y) in full.x().iter().zip(full.y()) {
        let Ok(p) = utm.to_latlon(x, y) else { continue };
        let pt = Point::new(p.lon, p.lat);
        let country = countries.iter().find(|c| c.shape.contains(&pt)).map(|c| c.name.clone());
        let in_habitat = habitat.is_none_or(|h| h.contains(&pt));
        if (countries.is_empty() || country.is_some()) && in_habitat {
            mx.push(x);
            my.push(y);
            cells.push(MaskCell { position: p, country });
        }
    }
    if cells.is_empty() {
        return Err(CatalogSecrError::NoLand);
    }
    if (!countries.is_empty() || habitat.is_some()) && cells.len() < full.len() {
        let code = if habitat.is_some() { "estimation.mask.off_land_habitat" } else { "estimation.mask.off_land" };
        notes.push(Message::new(code).with("off", full.len() - cells.len()).with("n", full.len()));
    }
    let mut mask = Mask::new(mx, my, spacing)?;
    if let Some((name, raster)) = polygons.covariate {
        let mut all = mask.covariates().clone();
        all.insert(name, raster.covariate_at(name, &mask)?);
        mask = mask.with_covariates(all)?;
    }
    let model = SecrModel {
        detectfn: opts.detectfn,
        detector: opts.detector,
        conditional: opts.conditional,
        learned_response: opts.learned_response,
        groups: opts.group_by.map(|_| opts.vary),
        formulas: opts.formulas.clone(),
        // A density that varies over the mask is summed cell by cell for N per area.
        surface: !opts.formulas.is_empty(),
        ..Default::default()
    };
    let fit = fit_secr(&traps, &capthist, &mask, &model)?;
    let reach = match opts.detectfn {
        DetectFn::HN | DetectFn::HHN => 3.5 * fit.sigma.estimate,
        _ => 6.0 * fit.sigma.estimate,
    }
    .min(opts.buffer_m.max(fit.sigma.estimate));
    let detection_curve =
        (0..=60).map(|i| reach * i as f64 / 60.0).map(|d| (d, detection_value(&fit, opts.detectfn, d))).collect();
    let (n_per_country, n_per_region) = area_estimates(&fit, &cells, mask.cell_area_ha(), polygons);
    if !fit.density_surface.is_empty() {
        notes.push(Message::new("estimation.catalog.n_surface").with("formulas", opts.formulas.join(", ")));
    }
    let models = compare_detection_functions(&traps, &capthist, &mask, &model, &fit, opts);
    Ok(CatalogSecr {
        options: opts.clone(),
        utm_zone,
        occasions: h.occasions,
        detectors: traps.len(),
        fit,
        detection_curve,
        mask: cells,
        mask_spacing_m: spacing,
        n_per_country,
        n_per_region,
        models,
        notes: notes.iter().map(Message::to_string).collect(),
        notes_codes: notes,
    })
}

/// Expected N per country of the mask and per user region: D × area (homogeneous density).
fn area_estimates(
    fit: &SecrFit,
    cells: &[MaskCell],
    cell_ha: f64,
    polygons: &MaskPolygons,
) -> (Vec<AreaN>, Vec<AreaN>) {
    let mut names: Vec<String> = cells.iter().filter_map(|c| c.country.clone()).collect();
    names.sort();
    names.dedup();
    // With a density surface (D ~ covariates): N = Σ D(x)·a over the area's cells, estimate
    // only; otherwise D·A with D's interval scaled by the area.
    let surface = fit.density_surface.first().filter(|s| s.d.len() == cells.len());
    let n_of = |inside: &dyn Fn(&MaskCell) -> bool| {
        let area_ha = cells.iter().filter(|c| inside(c)).count() as f64 * cell_ha;
        let n = match surface {
            Some(s) => RealParam {
                estimate: cells.iter().zip(&s.d).filter(|(c, _)| inside(c)).map(|(_, d)| d * cell_ha).sum(),
                se: None,
                lcl: None,
                ucl: None,
            },
            None => RealParam {
                estimate: fit.d.estimate * area_ha,
                se: fit.d.se.map(|s| s * area_ha),
                lcl: fit.d.lcl.map(|l| l * area_ha),
                ucl: fit.d.ucl.map(|u| u * area_ha),
            },
        };
        (area_ha / 100.0, n)
    };
    let n_per_country = names
        .into_iter()
        .map(|name| {
            let (area_km2, n) = n_of(&|c: &MaskCell| c.country.as_deref() == Some(name.as_str()));
            AreaN { name, area_km2, n }
        })
        .collect();
    let n_per_region = polygons
        .regions
        .iter()
        .map(|(name, poly)| {
            let (area_km2, n) = n_of(&|c: &MaskCell| poly.contains(&Point::new(c.position.lon, c.position.lat)));
            AreaN { name: name.clone(), area_km2, n }
        })
        .collect();
    (n_per_country, n_per_region)
}

/// The chosen detection function's fit beside the others of `opts.compare`, sorted by AIC.
fn compare_detection_functions(
    traps: &Traps,
    capthist: &Capthist,
    mask: &Mask,
    model: &SecrModel,
    fit: &SecrFit,
    opts: &CatalogSecrOptions,
) -> Vec<ModelRow> {
    let mut fns = vec![opts.detectfn];
    for f in &opts.compare {
        if !fns.contains(f) {
            fns.push(*f);
        }
    }
    let mut models: Vec<ModelRow> = fns
        .iter()
        .map(|&f| {
            let r = if f == opts.detectfn {
                Ok(fit.clone())
            } else {
                fit_secr(traps, capthist, mask, &SecrModel { detectfn: f, ..model.clone() })
            };
            match r {
                Ok(m) => ModelRow {
                    detectfn: f,
                    loglik: Some(m.loglik),
                    aic: Some(m.aic),
                    aicc: Some(m.aicc),
                    delta_aic: None,
                    d_per_100km2: Some(m.d_per_100km2),
                    converged: m.converged,
                    error: None,
                },
                Err(e) => ModelRow {
                    detectfn: f,
                    loglik: None,
                    aic: None,
                    aicc: None,
                    delta_aic: None,
                    d_per_100km2: None,
                    converged: false,
                    error: Some(e.to_string()),
                },
            }
        })
        .collect();
    let best = models.iter().filter_map(|m| m.aic).fold(f64::INFINITY, f64::min);
    for m in &mut models {
        m.delta_aic = m.aic.map(|a| a - best);
    }
    models.sort_by(|a, b| a.aic.unwrap_or(f64::INFINITY).total_cmp(&b.aic.unwrap_or(f64::INFINITY)));
    models
}
