//! `borderless secr`: spatially explicit capture–recapture on traps + captures or on catalogs.

use super::common::{file_error, gather, lang, print_issues, read_text_bytes, say, CatalogArgs};
use borderless::io::InputFile;
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct SecrArgs {
    /// Traps: CSV (detector id, x, y, optional detector_type and usage1..usageK columns) or secr's
    /// text format (`id x y [usage]`).
    #[arg(long, required_unless_present_any = ["catalogs", "camtrapr"])]
    pub(crate) traps: Option<PathBuf>,
    /// Captures: CSV (session, id, occasion, trapid) or secr's text format (`session id occasion detector`).
    #[arg(long, required_unless_present_any = ["catalogs", "camtrapr"])]
    pub(crate) captures: Option<PathBuf>,
    /// Or: camera-trap catalogs, joined by --links (stations become detectors, projected to UTM).
    #[command(flatten)]
    pub(crate) inputs: Box<CatalogArgs>,
    /// With catalogs: occasion length in days.
    #[arg(long, default_value_t = 15.0)]
    pub(crate) occasion_days: f64,
    /// With catalogs: usage as days the camera worked per occasion ("days") or 0/1 ("binary").
    #[arg(long, default_value = "days")]
    pub(crate) usage: String,
    /// UTM zone (utm:52N) for catalogs or WGS84 traps; default: the zone of the detectors' centroid.
    #[arg(long)]
    pub(crate) utm: Option<String>,
    /// With catalogs: TopoJSON country outlines; keeps the mask on land and gives N per country.
    #[arg(long)]
    pub(crate) basemap: Option<PathBuf>,
    /// With catalogs: GeoJSON habitat polygons; the mask keeps only cells inside them.
    #[arg(long)]
    pub(crate) habitat: Option<PathBuf>,
    /// With catalogs: GeoJSON regions (features with a "name"), e.g. protected areas: expected N in each.
    #[arg(long)]
    pub(crate) regions: Option<PathBuf>,
    /// Mask CSV (x, y); spacing inferred from the points. Otherwise built from --buffer/--spacing.
    #[arg(long)]
    pub(crate) mask: Option<PathBuf>,
    /// Mask buffer around the detectors (m), for a 'trapbuffer' mask as secr's make.mask
    /// [default: 100 with traps, as secr; 20000 with catalogs].
    #[arg(long)]
    pub(crate) buffer: Option<f64>,
    /// Mask spacing (m); default: x extent / 64 as secr.
    #[arg(long)]
    pub(crate) spacing: Option<f64>,
    /// Detector type: multi (also for single-catch traps), proximity or count. Default: from the traps file, else multi.
    #[arg(long)]
    pub(crate) detector: Option<String>,
    /// Detection function: HN, HHN, EX, HEX or HR.
    #[arg(long, default_value = "HN")]
    pub(crate) detectfn: String,
    /// Conditional likelihood (density derived as n / a).
    #[arg(long)]
    pub(crate) cl: bool,
    /// Learned (trap-independent) response on g0 / lambda0 (secr's g0 ~ b).
    #[arg(long)]
    pub(crate) learned_response: bool,
    /// Proximity/count: occasion-by-occasion likelihood instead of secr's default collapsed (fastproximity) form.
    #[arg(long)]
    pub(crate) occasion_by_occasion: bool,
    /// Captures CSV column with each animal's group (e.g. sex, or the catalog): fit by groups.
    #[arg(long)]
    pub(crate) groups_column: Option<String>,
    /// With --groups-column: parameters that differ between groups, e.g. "sigma,g0" or "D,sigma"
    /// (secr's sigma ~ g, g0 ~ g, D ~ g); default none (D per group, common detection).
    #[arg(long)]
    pub(crate) vary: Option<String>,
    /// Fit every session of the captures' session column: D per session, detection shared.
    #[arg(long)]
    pub(crate) sessions: bool,
    /// Use only this session of the captures' session column.
    #[arg(long, conflicts_with = "sessions")]
    pub(crate) session: Option<String>,
    /// Model formula in secr's notation, repeatable: --model "D~elev" --model "g0~trail"
    /// (D ~ mask covariates, x, y, x2, y2, xy, session, Session, g; g0/lambda0/sigma ~ detector
    /// covariates, session, Session, g, b). Mask and traps CSV columns are the covariates.
    #[arg(long = "model")]
    pub(crate) model: Vec<String>,
    /// Mask covariate from a GeoTIFF raster (projected metres), repeatable:
    /// --mask-covariate elev=dem.tif samples the raster at every mask point.
    #[arg(long = "mask-covariate")]
    pub(crate) mask_covariate: Vec<String>,
    /// Also print the fitted density surface (D and SE per mask point) in the JSON.
    #[arg(long)]
    pub(crate) surface: bool,
    /// Count detectors: 0 Poisson counts; 1 binomial with size = usage; N > 1 binomial with size N (secr's binomN).
    #[arg(long, default_value_t = 0)]
    pub(crate) binomn: u32,
    /// Number of occasions (default: the usage columns, else the largest occasion in the captures).
    #[arg(long)]
    pub(crate) occasions: Option<usize>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// SECR on catalogs: the same pipeline function, options struct and JSON as the page's `fitSecr`.
pub(crate) fn secr_catalogs(a: &SecrArgs) -> Result<i32, Message> {
    use borderless::estimation::catalog_secr::{CatalogSecrOptions, UsageKind};
    use borderless::estimation::secr::{DetectFn, DetectorType};
    use borderless::pipeline::estimates::{fit_loaded_secr, SecrOptions};
    use borderless::pipeline::inputs::{Inputs, Role};
    let (files, opts) = gather(&a.inputs)?;
    let loaded = borderless::pipeline::load_files(files, &opts, &mut |_| {});
    if print_issues(&loaded.reports).0 {
        return Ok(2);
    }
    let mut roles = Inputs::default();
    // With catalogs, one --mask-covariate NAME=FILE.tif: NAME is the raster's file stem.
    let covariate = match a.mask_covariate.as_slice() {
        [] => None,
        [spec] => {
            let (name, path) =
                spec.split_once('=').ok_or_else(|| format!("--mask-covariate '{spec}': expected NAME=FILE.tif"))?;
            let stem = std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().to_string());
            if stem.as_deref() != Some(name.trim()) {
                let m = Message::new("cli.secr.covariate_name").with("spec", spec.as_str());
                return Err(m.with("stem", stem.unwrap_or_default()));
            }
            Some(PathBuf::from(path))
        }
        _ => return Err(Message::new("cli.secr.one_covariate")),
    };
    for (role, path) in [
        (Role::Basemap, &a.basemap),
        (Role::Habitat, &a.habitat),
        (Role::Regions, &a.regions),
        (Role::Covariate, &covariate),
    ] {
        if let Some(p) = path {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            roles.set(role, InputFile::new(p.display().to_string(), bytes))?;
        }
    }
    let secr = CatalogSecrOptions {
        occasion_days: a.occasion_days,
        detector: DetectorType::parse(a.detector.as_deref().unwrap_or("proximity")).map_err(|e| e.to_string())?,
        detectfn: DetectFn::parse(&a.detectfn).map_err(|e| e.to_string())?,
        buffer_m: a.buffer.unwrap_or(CatalogSecrOptions::default().buffer_m),
        spacing_m: a.spacing,
        conditional: a.cl,
        learned_response: a.learned_response,
        usage: match a.usage.as_str() {
            "days" => UsageKind::Days,
            "binary" => UsageKind::Binary,
            other => return Err(Message::new("cli.secr.usage").with("value", other)),
        },
        utm: a.utm.clone(),
        formulas: a.model.clone(),
        ..Default::default()
    };
    let options = SecrOptions { analysis: opts, secr, ..Default::default() };
    let r = fit_loaded_secr(loaded, &roles, &options, &mut |_| {}).map_err(|e| e.to_string())?;
    for n in &r.notes {
        eprintln!("note: {n}");
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?);
    } else {
        print_secr(&r.fit, r.occasions);
        for c in r.n_per_country.iter().chain(&r.n_per_region) {
            let ci = match (c.n.lcl, c.n.ucl) {
                (Some(l), Some(u)) => format!(" [{l:.1}, {u:.1}]"),
                _ => String::new(),
            };
            let name = borderless::model::country::country_name(&c.name, lang());
            let m = Message::new("cli.secr.expected_n").with("name", name).with("area", c.area_km2);
            println!("{}{ci}", say(m.with("n", c.n.estimate)));
        }
    }
    Ok(if r.fit.converged { 0 } else { 1 })
}

// long function: reads every SECR input form (CSV, secr text, WGS84, GeoTIFF), sessions and groups, then prints; split with the CLI rework
pub(crate) fn secr(a: SecrArgs) -> Result<i32, Message> {
    use borderless::estimation::secr::{fit_secr, Capthist, DetectFn, DetectorType, Mask, SecrModel, Traps};
    use borderless::io::secr_text;
    let (Some(traps_path), Some(captures_path)) = (&a.traps, &a.captures) else {
        return secr_catalogs(&a);
    };
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| file_error(p.display(), e));
    let (tb, cb) = (read_text_bytes(traps_path)?, read_text_bytes(captures_path)?);
    let (tn, cn) = (traps_path.display().to_string(), captures_path.display().to_string());
    let traps = if secr_text::is_secr_text(&tb) {
        secr_text::read_traps(&tn, &tb)
    } else if secr_text::is_latlon_csv(&tb) {
        // WGS84 detectors are projected to UTM before fitting (zone stated or from the data).
        let zone = a.utm.as_deref().map(borderless::spatial::Utm::read).transpose()?;
        borderless::spatial::secr_traps::read_traps_latlon_csv(&tn, &tb, zone).map(|(t, z)| {
            eprintln!("{}", say(Message::new("cli.secr.projected").with("zone", z.to_string())));
            t
        })
    } else {
        Traps::from_csv_bytes(&tn, &tb)
    }
    .map_err(|e| e.to_string())?;
    let by_session = a.groups_column.is_some() || a.sessions || a.session.is_some();
    let mut sessions = Vec::new();
    if by_session {
        if secr_text::is_secr_text(&cb) {
            return Err(Message::new("cli.secr.sessions_csv"));
        }
        sessions = Capthist::sessions_from_csv_bytes(&cn, &cb, &traps, a.occasions, a.groups_column.as_deref())
            .map_err(|e| e.to_string())?;
        let names: Vec<String> = sessions.iter().map(|s| s.0.clone()).collect();
        if let Some(name) = &a.session {
            sessions.retain(|s| &s.0 == name);
            if sessions.is_empty() {
                let m = Message::new("cli.secr.no_session").with("session", name).with("sessions", names.join(", "));
                return Err(Message::new("general.at.file").with("file", cn.as_str()).with("message", m));
            }
        } else if !a.sessions && sessions.len() > 1 {
            let m = Message::new("cli.secr.many_sessions").with("n", names.len()).with("sessions", names.join(", "));
            return Err(Message::new("general.at.file").with("file", cn.as_str()).with("message", m));
        }
    }
    if a.vary.is_some() && a.groups_column.is_none() {
        return Err(Message::new("cli.secr.vary"));
    }
    let ch = if by_session {
        Ok(sessions[0].1.clone())
    } else if secr_text::is_secr_text(&cb) {
        secr_text::read_captures(&cn, &cb, &traps, a.occasions)
    } else {
        Capthist::from_csv_bytes(&cn, &cb, &traps, a.occasions)
    }
    .map_err(|e| e.to_string())?;
    let mask = match &a.mask {
        // a GeoTIFF mask: habitat = non-zero cells
        Some(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff")) => {
            let name = p.display().to_string();
            borderless::io::geotiff::read_geotiff(&name, &read(p)?).and_then(|r| r.habitat_mask(&name, &|v| v != 0.0))
        }
        Some(p) => Mask::from_csv_bytes(&p.display().to_string(), &read_text_bytes(p)?, a.spacing),
        None => Mask::trap_buffer(&traps, a.buffer.unwrap_or(100.0), a.spacing),
    }
    .map_err(|e| e.to_string())?;
    let mut mask = mask;
    for spec in &a.mask_covariate {
        let (name, path) =
            spec.split_once('=').ok_or_else(|| format!("--mask-covariate '{spec}': expected NAME=FILE.tif"))?;
        let path = PathBuf::from(path);
        let file = path.display().to_string();
        let cov = borderless::io::geotiff::read_geotiff(&file, &read(&path)?)
            .and_then(|r| r.covariate_at(&file, &mask))
            .map_err(|e| e.to_string())?;
        let mut all = mask.covariates().clone();
        all.insert(name.trim(), cov);
        mask = mask.with_covariates(all).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "note: mask of {} points, spacing {:.4} m, cell area {:.6} ha{}",
        mask.len(),
        mask.spacing(),
        mask.cell_area_ha(),
        if a.mask.is_some() && a.spacing.is_none() { " (inferred from the points; --spacing overrides)" } else { "" }
    );
    let detector = match a.detector.as_deref().or(traps.detector_type()) {
        Some(d) => DetectorType::parse(d).map_err(|e| e.to_string())?,
        None => DetectorType::Multi,
    };
    let model = SecrModel {
        detectfn: DetectFn::parse(&a.detectfn).map_err(|e| e.to_string())?,
        detector,
        conditional: a.cl,
        learned_response: a.learned_response,
        fast_proximity: !a.occasion_by_occasion,
        binom_n: a.binomn,
        formulas: a.model.clone(),
        surface: a.surface,
        groups: match &a.groups_column {
            Some(_) => Some(
                borderless::estimation::secr::GroupModel::parse(a.vary.as_deref().unwrap_or(""))
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        },
        ..Default::default()
    };
    let fit = if sessions.len() > 1 {
        let data: Vec<borderless::estimation::secr::SessionData> = sessions
            .iter()
            .map(|(name, c)| borderless::estimation::secr::SessionData {
                name: name.clone(),
                traps: traps.clone(),
                capthist: c.clone(),
                mask: mask.clone(),
            })
            .collect();
        borderless::estimation::secr::fit_secr_sessions(&data, &model)
    } else {
        fit_secr(&traps, &ch, &mask, &model)
    }
    .map_err(|e| e.to_string())?;
    for n in &fit.notes {
        eprintln!("note: {n}");
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&fit).map_err(|e| e.to_string())?);
    } else {
        print_secr(&fit, ch.n_occasions());
        println!("\n{:<24} {:>14} {:>12}", "coefficient", "beta", "SE");
        for (i, name) in fit.beta_names.iter().enumerate() {
            let se = fit.beta_vcv.as_ref().map(|v| format!("{:.6}", v[i][i].sqrt())).unwrap_or_else(|| "-".into());
            println!("{name:<24} {:>14.6} {se:>12}", fit.beta[i]);
        }
        for r in &fit.region_n {
            let ci = |p: &borderless::estimation::secr::RealParam| match (p.lcl, p.ucl) {
                (Some(l), Some(u)) => format!(" [{l:.1}, {u:.1}]"),
                _ => String::new(),
            };
            println!(
                "session {}: E(N) in the mask {:.1}{}, realised N {:.1}{} (n = {})",
                r.session,
                r.e_n.estimate,
                ci(&r.e_n),
                r.r_n.estimate,
                ci(&r.r_n),
                r.n
            );
        }
        let ci = |p: &borderless::estimation::secr::RealParam| match (p.se, p.lcl, p.ucl) {
            (Some(s), Some(l), Some(u)) => format!("{:.5} (SE {s:.5}) [{l:.5}, {u:.5}]", p.estimate),
            _ => format!("{:.5}", p.estimate),
        };
        let print_groups = |gs: &[borderless::estimation::secr::GroupEstimate], indent: &str| {
            for g in gs {
                let a0 = g.g0.as_ref().or(g.lambda0.as_ref()).map(&ci).unwrap_or_default();
                println!("{indent}group {} ({} animals): D/ha {}", g.group, g.n_animals, ci(&g.d));
                println!("{indent}  {} {a0}; sigma {}", fit.detectfn.intercept_name(), ci(&g.sigma));
            }
        };
        if let Some(gs) = &fit.groups {
            println!("\nby group (top-level D is the total over groups):");
            print_groups(gs, "  ");
        }
        if let Some(ss) = &fit.sessions {
            println!("\nby session (top-level D is the first session's):");
            for s in ss {
                println!(
                    "  session {} ({} animals, {} detections): D/ha {}",
                    s.session,
                    s.n_animals,
                    s.n_detections,
                    ci(&s.d)
                );
                if let Some(gs) = &s.groups {
                    print_groups(gs, "    ");
                }
            }
        }
    }
    Ok(if fit.converged { 0 } else { 1 })
}

pub(crate) fn print_secr(fit: &borderless::estimation::secr::SecrFit, occasions: usize) {
    {
        println!(
            "{} animals, {} detections, {} occasions; mask {} points, {:.4} ha; {:?} detectors, {:?}{}",
            fit.n_animals,
            fit.n_detections,
            occasions,
            fit.mask_points,
            fit.mask_area_ha,
            fit.detector,
            fit.detectfn,
            if fit.conditional { ", conditional likelihood" } else { "" }
        );
        println!("\n{:<10} {:>12} {:>10} {:>12} {:>12}", "parameter", "estimate", "SE", "lcl", "ucl");
        // Five significant digits, whatever the scale (D per ha can be 1e-4 for big cats).
        let sig = |v: f64| {
            let digits = (4 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
            format!("{v:.digits$}")
        };
        let opt = |v: Option<f64>| v.map(sig).unwrap_or_else(|| "-".into());
        let mut rows = vec![(if fit.d_derived { "D (derived)" } else { "D" }, &fit.d)];
        for (name, p) in [("g0", &fit.g0), ("lambda0", &fit.lambda0), ("g0 (b=1)", &fit.g0_b), ("z", &fit.z)] {
            if let Some(p) = p {
                rows.push((name, p));
            }
        }
        rows.insert(rows.len() - usize::from(fit.z.is_some()), ("sigma", &fit.sigma));
        for (name, p) in rows {
            println!("{:<10} {:>12} {:>10} {:>12} {:>12}", name, sig(p.estimate), opt(p.se), opt(p.lcl), opt(p.ucl));
        }
        println!("\nD = {} /ha = {} /100 km^2", sig(fit.d_per_ha), sig(fit.d_per_100km2));
        println!(
            "logLik {:.4} ({} form), AIC {:.3}, AICc {:.3}; {:?} after {} iterations",
            fit.loglik, fit.likelihood_form, fit.aic, fit.aicc, fit.termination, fit.iterations
        );
        for w in &fit.warnings {
            eprintln!("warning: {w}");
        }
    }
}
