//! SECR on surveys shaped as partners run them, generated here with a fixed seed: a habitat
//! mask exported from a GIS raster (slightly rotated, clipped to habitat cells, one detector
//! outside habitat) and a large camera grid (162 cameras × 48 occasions, effort in camera-days)
//! fitted with HN and HHN — the two real-survey failures of issue 13.

use borderless::estimation::secr::{fit_secr, Capthist, DetectFn, DetectorType, Mask, SecrModel, Traps};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Proximity detections of a Poisson population (hazard half-normal, usage in days) over the
/// mask: (animal, occasion 1-based, detector).
fn simulate(
    rng: &mut Xoshiro256PlusPlus,
    traps: &Traps,
    mask: &Mask,
    d_per_ha: f64,
    lambda0: f64,
    sigma: f64,
    occasions: usize,
) -> Vec<(String, usize, String)> {
    use rand_distr::{Distribution, Poisson};
    let n = Poisson::new(d_per_ha * mask.area_ha()).unwrap().sample(rng) as usize;
    let mut out = Vec::new();
    for a in 0..n {
        let m = rng.gen_range(0..mask.len());
        let half = mask.spacing() / 2.0;
        let (cx, cy) = (mask.x()[m] + rng.gen_range(-half..half), mask.y()[m] + rng.gen_range(-half..half));
        for k in 0..traps.len() {
            let d2 = (traps.x()[k] - cx).powi(2) + (traps.y()[k] - cy).powi(2);
            let h = lambda0 * (-d2 / (2.0 * sigma * sigma)).exp();
            if h < 1e-12 {
                continue;
            }
            for s in 0..occasions {
                let u = traps.usage().map_or(1.0, |u| u[k][s]);
                if u > 0.0 && rng.gen::<f64>() < -(-h * u).exp_m1() {
                    out.push((format!("A{a}"), s + 1, traps.ids()[k].clone()));
                }
            }
        }
    }
    out
}

#[test]
fn rotated_clipped_gis_grid_with_a_detector_outside_habitat() {
    // A raster exported from GIS: x-step 567.6 m with a 2 m drift in y per step (rotated),
    // clipped to an irregular habitat patch; written as a CSV of cell centres with a covariate.
    let (step, drift) = (567.6, 2.0);
    let mut csv = String::from("x,y,forest\n");
    let mut kept = 0;
    for i in 0..70 {
        for j in 0..60 {
            let (x, y) =
                (500_000.0 + i as f64 * step - j as f64 * drift, 4_700_000.0 + j as f64 * step + i as f64 * drift);
            let (u, v) = ((i as f64 - 35.0) / 35.0, (j as f64 - 30.0) / 30.0);
            // habitat: an irregular blob with a bay cut out of it
            if u * u + v * v < 1.0 && !(u > 0.3 && v.abs() < 0.15) {
                csv.push_str(&format!("{x:.3},{y:.3},{}\n", if (i + j) % 3 == 0 { "closed" } else { "open" }));
                kept += 1;
            }
        }
    }
    let mask = Mask::from_csv_bytes("habitat.csv", csv.as_bytes(), None).unwrap();
    assert_eq!(mask.len(), kept);
    let true_spacing = (step * step + drift * drift).sqrt();
    assert!((mask.spacing() - true_spacing).abs() < 1e-3, "spacing {}", mask.spacing());
    assert!((mask.cell_area_ha() - (step * step + drift * drift) / 1e4).abs() < 1e-6, "{}", mask.cell_area_ha());
    // 8 × 8 cameras 2.5 km apart in the middle, snapped near cell centres but not on them,
    // plus one in the bay (outside habitat)
    let (mut ids, mut xs, mut ys) = (Vec::new(), Vec::new(), Vec::new());
    for a in 0..8 {
        for b in 0..8 {
            ids.push(format!("C{a}{b}"));
            xs.push(500_000.0 + 15.0 * step + a as f64 * 2500.0 + 37.0);
            ys.push(4_700_000.0 + 12.0 * step + b as f64 * 2500.0 - 81.0);
        }
    }
    ids.push("BAY".into());
    xs.push(500_000.0 + 62.0 * step);
    ys.push(4_700_000.0 + 30.0 * step);
    let usage = Some(vec![vec![1.0; 6]; ids.len()]);
    let traps = Traps::new(ids, xs, ys, usage).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(13);
    let recs = simulate(&mut rng, &traps, &mask, 0.0008, 0.15, 2200.0, 6);
    let ch = Capthist::new(&traps, 6, &recs).unwrap();
    println!("{} animals, {} detections on {} mask points", ch.n_animals(), ch.n_detections(), mask.len());
    for dfn in [DetectFn::HN, DetectFn::HHN] {
        let m = SecrModel { detector: DetectorType::Proximity, detectfn: dfn, ..Default::default() };
        let fit = fit_secr(&traps, &ch, &mask, &m).unwrap();
        println!("{dfn:?}: D {:.6}/ha sigma {:.0} m; notes {:?}", fit.d.estimate, fit.sigma.estimate, fit.notes);
        assert!(fit.converged, "{:?}", fit.termination);
        assert!(
            fit.notes.iter().any(|n| n.contains("BAY") && n.contains("outside the habitat mask")),
            "{:?}",
            fit.notes
        );
        assert!((fit.mask_spacing_m - true_spacing).abs() < 1e-3);
        assert!((fit.d.estimate / 0.0008 - 1.0).abs() < 0.5 && (fit.sigma.estimate / 2200.0 - 1.0).abs() < 0.3);
    }
    // the covariate column came along, as a factor
    let m = SecrModel { detector: DetectorType::Proximity, formulas: vec!["D ~ forest".into()], ..Default::default() };
    let fit = fit_secr(&traps, &ch, &mask, &m).unwrap();
    assert_eq!(fit.beta_names, ["D", "D.forestopen", "g0", "sigma"]);
    // a mask nowhere near the detectors is still refused, naming a detector
    let far = Mask::new(vec![0.0, 10.0], vec![0.0, 0.0], 10.0).unwrap();
    assert!(fit_secr(&traps, &ch, &far, &SecrModel::default()).unwrap_err().to_string().contains("does not cover"));
}

#[test]
fn large_camera_grid_many_occasions_hn_and_hhn_start_and_converge() {
    // 162 cameras (18 × 9, 2 km apart) × 48 occasions of 1–7 camera-days (some cameras down),
    // tiger-like σ 3 km; mask buffer 12 km at 800 m.
    let (mut ids, mut xs, mut ys, mut usage) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(162);
    for a in 0..18 {
        for b in 0..9 {
            ids.push(format!("T{a:02}{b}"));
            xs.push(a as f64 * 2000.0);
            ys.push(b as f64 * 2000.0);
            usage.push(
                (0..48).map(|_| if rng.gen::<f64>() < 0.1 { 0.0 } else { rng.gen_range(1..=7) as f64 }).collect(),
            );
        }
    }
    let traps = Traps::new(ids, xs, ys, Some(usage)).unwrap();
    let mask = Mask::trap_buffer(&traps, 12_000.0, Some(800.0)).unwrap();
    let recs = simulate(&mut rng, &traps, &mask, 0.0003, 0.01, 3000.0, 48);
    let ch = Capthist::new(&traps, 48, &recs).unwrap();
    println!("{} animals, {} detections, {} mask points", ch.n_animals(), ch.n_detections(), mask.len());
    assert!(ch.n_animals() > 20);
    for dfn in [DetectFn::HN, DetectFn::HHN, DetectFn::EX] {
        let m = SecrModel { detector: DetectorType::Proximity, detectfn: dfn, ..Default::default() };
        let t = std::time::Instant::now();
        let fit = fit_secr(&traps, &ch, &mask, &m).unwrap_or_else(|e| panic!("{dfn:?}: {e}"));
        println!(
            "{dfn:?}: {:.2} s, D {:.3}/100 km² sigma {:.0} m, {:?} after {} iterations; notes {:?}",
            t.elapsed().as_secs_f64(),
            fit.d_per_100km2,
            fit.sigma.estimate,
            fit.termination,
            fit.iterations,
            fit.notes
        );
        assert!(fit.converged, "{dfn:?}: {:?}", fit.termination);
        if dfn != DetectFn::EX {
            assert!((fit.d.estimate / 0.0003 - 1.0).abs() < 0.5, "{dfn:?} D {}", fit.d.estimate);
            assert!((fit.sigma.estimate / 3000.0 - 1.0).abs() < 0.25, "{dfn:?} sigma {}", fit.sigma.estimate);
        }
    }
    // The real survey's failure: a start σ small against the mask (most recaptures at the same
    // camera) makes hazards underflow to 0 far away; the likelihood and its gradient must stay
    // finite there ("could not be evaluated at the starting values" before).
    for dfn in [DetectFn::HN, DetectFn::HHN] {
        let start = borderless::estimation::secr::StartValues { g0: 0.2, sigma: 300.0, z: None };
        let m =
            SecrModel { detector: DetectorType::Proximity, detectfn: dfn, start: Some(start), ..Default::default() };
        let fit = fit_secr(&traps, &ch, &mask, &m).unwrap_or_else(|e| panic!("{dfn:?} from σ 300 m: {e}"));
        println!("{dfn:?} from σ 300 m: sigma {:.0} m, {:?}", fit.sigma.estimate, fit.termination);
        assert!(fit.converged && (fit.sigma.estimate / 3000.0 - 1.0).abs() < 0.25);
    }
}

#[test]
fn likelihood_parts_over_animals_sum_to_the_whole() {
    use borderless::estimation::secr::{secr_loglik_part, secr_loglik_sessions, SessionData};
    // two sessions, a density covariate and a detector covariate: every kind of term
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut sessions = Vec::new();
    for name in ["2024", "2025"] {
        let (mut ids, mut xs, mut ys) = (Vec::new(), Vec::new(), Vec::new());
        for a in 0..6 {
            for b in 0..6 {
                ids.push(format!("T{a}{b}"));
                xs.push(a as f64 * 30.0);
                ys.push(b as f64 * 30.0);
            }
        }
        let mut tc = borderless::model::secr::Covariates::default();
        let trail: Vec<&str> = (0..36).map(|k| if k % 3 == 0 { "on" } else { "off" }).collect();
        tc.insert("trail", borderless::model::secr::Covariate::factor(&trail));
        let traps = Traps::new(ids, xs, ys, None).unwrap().with_covariates(tc).unwrap();
        let mask = Mask::trap_buffer(&traps, 90.0, Some(10.0)).unwrap();
        let mut mc = borderless::model::secr::Covariates::default();
        mc.insert("elev", borderless::model::secr::Covariate::Numeric(mask.x().iter().map(|x| x / 100.0).collect()));
        let mask = mask.with_covariates(mc).unwrap();
        let recs = simulate(&mut rng, &traps, &mask, 3.0, 0.1, 25.0, 5);
        let ch = Capthist::new(&traps, 5, &recs).unwrap();
        sessions.push(SessionData { name: name.into(), traps, capthist: ch, mask });
    }
    let model = SecrModel {
        detector: DetectorType::Proximity,
        formulas: vec!["D ~ elev + session".into(), "g0 ~ trail".into()],
        ..Default::default()
    };
    let beta = [1.0, 0.3, -0.2, -1.5, 0.4, 25f64.ln()];
    let whole = secr_loglik_sessions(&sessions, &model, &beta).unwrap();
    let (mut total, mut grad) = (0.0, vec![0.0; beta.len()]);
    for (s, data) in sessions.iter().enumerate() {
        let n = data.capthist.n_animals();
        let cuts = [0, n / 3, n / 2, n];
        for w in cuts.windows(2) {
            let (v, g) = secr_loglik_part(&sessions, &model, &beta, s, w[0]..w[1], w[0] == 0).unwrap();
            total += v;
            grad.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        }
    }
    println!("whole {whole:.10}, sum of parts {total:.10}");
    assert!((total - whole).abs() < 1e-8 * whole.abs(), "{total} vs {whole}");
    // gradient of the sum of parts against central differences of the whole
    for j in 0..beta.len() {
        let h = 1e-6;
        let mut b = beta;
        b[j] += h;
        let fp = secr_loglik_sessions(&sessions, &model, &b).unwrap();
        b[j] -= 2.0 * h;
        let fm = secr_loglik_sessions(&sessions, &model, &b).unwrap();
        let num = (fp - fm) / (2.0 * h);
        assert!((num - grad[j]).abs() < 1e-5 * (1.0 + num.abs()), "coefficient {j}: parts {} numeric {num}", grad[j]);
    }
}

#[test]
fn cli_density_on_a_geotiff_covariate() {
    use borderless::io::geotiff::write_geotiff;
    let dir = std::env::temp_dir().join(format!("secr_surveys_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut ids, mut xs, mut ys) = (Vec::new(), Vec::new(), Vec::new());
    let mut traps_csv = String::from("detector,x,y\n");
    for a in 0..6 {
        for b in 0..6 {
            let (x, y) = (600_000.0 + a as f64 * 30.0, 5_500_000.0 + b as f64 * 30.0);
            ids.push(format!("T{a}{b}"));
            xs.push(x);
            ys.push(y);
            traps_csv.push_str(&format!("T{a}{b},{x},{y}\n"));
        }
    }
    let traps = Traps::new(ids, xs, ys, None).unwrap();
    let mask = Mask::trap_buffer(&traps, 90.0, Some(10.0)).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let recs = simulate(&mut rng, &traps, &mask, 4.0, 0.1, 25.0, 5);
    let mut caps = String::from("session,id,occasion,trapid\n");
    for (a, s, t) in &recs {
        caps.push_str(&format!("1,{a},{s},{t}\n"));
    }
    let mut mask_csv = String::from("x,y\n");
    for (x, y) in mask.x().iter().zip(mask.y()) {
        mask_csv.push_str(&format!("{x},{y}\n"));
    }
    // an elevation raster of 5 m cells over the mask, EPSG:32652 (UTM 52N), rising eastwards
    let (w, h) = (80, 80);
    let vals: Vec<f32> = (0..w * h).map(|i| 300.0 + (i % w) as f32 * 2.5).collect();
    let tif = write_geotiff(w, h, &vals, (599_850.0, 5_500_250.0), 5.0, Some(32652), None).unwrap();
    for (f, b) in [
        ("traps.csv", traps_csv.as_bytes()),
        ("caps.csv", caps.as_bytes()),
        ("mask.csv", mask_csv.as_bytes()),
        ("elev.tif", &tif[..]),
    ] {
        std::fs::write(dir.join(f), b).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .current_dir(&dir)
        .args([
            "secr",
            "--traps",
            "traps.csv",
            "--captures",
            "caps.csv",
            "--mask",
            "mask.csv",
            "--detector",
            "proximity",
        ])
        .args(["--model", "D~elev", "--mask-covariate", "elev=elev.tif", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["beta_names"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert_eq!(names, ["D", "D.elev", "g0", "sigma"]);
    assert_eq!(v["converged"], true);
    // a raster that does not cover the mask is refused, naming the point
    let small = write_geotiff(4, 4, &[1.0; 16], (600_000.0, 5_500_000.0), 5.0, Some(32652), None).unwrap();
    std::fs::write(dir.join("small.tif"), small).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .current_dir(&dir)
        .args(["secr", "--traps", "traps.csv", "--captures", "caps.csv", "--mask", "mask.csv"])
        .args(["--model", "D~elev", "--mask-covariate", "elev=small.tif", "--json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("outside the raster"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
