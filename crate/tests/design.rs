//! Survey design: seeded simulation recovers known parameters, the expected counts of
//! Efford & Boulanger (2019) agree with simulation, and bad input gives clear errors.

use borderless::estimation::design::{
    count_nrm, design_survey, expected_counts, simulate_capthist, simulate_population, DesignOptions, DetectionParams,
};
use borderless::estimation::secr::{DetectFn, DetectorType, Mask, Traps};

const SIGMA: f64 = 20.0;

/// A 10 × 10 grid of detectors 2σ apart.
fn grid(n: usize, spacing: f64) -> Traps {
    let (mut ids, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        for j in 0..n {
            ids.push(format!("T{i}_{j}"));
            x.push(j as f64 * spacing);
            y.push(i as f64 * spacing);
        }
    }
    Traps::new(ids, x, y, None).unwrap()
}

fn options(d_per_ha: f64, replicates: usize, seed: u64) -> DesignOptions {
    DesignOptions {
        d_per_ha,
        detectfn: DetectFn::HN,
        g0: 0.2,
        sigma: SIGMA,
        z: None,
        detector: DetectorType::Proximity,
        n_occasions: 5,
        replicates,
        seed,
    }
}

fn layout() -> (Traps, Mask) {
    let traps = grid(10, 2.0 * SIGMA);
    // A mask of σ cells (about 600 points) keeps 40 fits quick in debug builds.
    let mask = Mask::trap_buffer(&traps, 4.0 * SIGMA, Some(SIGMA)).unwrap();
    (traps, mask)
}

/// (a) Simulate → fit replicates recover D and σ; (b) the expected counts agree with the
/// simulated means.
#[test]
fn simulation_recovers_parameters_and_matches_expected_counts() {
    let (traps, mask) = layout();
    let d = 5.0; // per ha: about 69 animals detected
    let reps = 40;
    let r = design_survey(&traps, &mask, &options(d, reps, 20261121)).unwrap();
    let sim = r.simulation.as_ref().unwrap();
    let e = &r.expected;
    let (n, rr, m) = (sim.n.as_ref().unwrap(), sim.r.as_ref().unwrap(), sim.m.as_ref().unwrap());
    let dh = sim.d_hat.as_ref().unwrap();
    let sh = sim.sigma_hat.as_ref().unwrap();
    println!(
        "E(n) {:.2} sim {:.2} ± {:.2}; E(r) {:.2} sim {:.2} ± {:.2}; E(m) {:.2} sim {:.2} ± {:.2}",
        e.n,
        n.mean,
        n.se_mean.unwrap(),
        e.r,
        rr.mean,
        rr.se_mean.unwrap(),
        e.m,
        m.mean,
        m.se_mean.unwrap()
    );
    println!(
        "mean D̂ {:.4} (true {d}), mean σ̂ {:.3} (true {SIGMA}), mean ĝ0 {:.4} (0.2); RSE(D̂) {:.4} vs rule of \
         thumb {:.4}, mean estimated RSE {:.4}; bias {:.4}; coverage {:.3}; failed {}",
        dh.mean,
        sh.mean,
        sim.g0_hat.as_ref().unwrap().mean,
        sim.rse_d.unwrap(),
        e.rse_d.unwrap(),
        sim.mean_estimated_rse_d.unwrap(),
        sim.relative_bias.unwrap(),
        sim.coverage.unwrap(),
        sim.failed
    );
    assert!((50.0..80.0).contains(&n.mean), "mean n {}", n.mean);
    assert_eq!(sim.failed, 0, "{:?}", sim.failures);
    assert!((dh.mean / d - 1.0).abs() < 0.05, "mean D̂ {}", dh.mean);
    assert!((sh.mean / SIGMA - 1.0).abs() < 0.05, "mean σ̂ {}", sh.mean);
    assert!((e.n - n.mean).abs() < 3.0 * n.se_mean.unwrap(), "E(n) {} vs {}", e.n, n.mean);
    assert!((e.r - rr.mean).abs() < 3.0 * rr.se_mean.unwrap(), "E(r) {} vs {}", e.r, rr.mean);
    // E(m) is an approximation (Efford & Boulanger 2019): within 15%.
    assert!((e.m / m.mean - 1.0).abs() < 0.15, "E(m) {} vs {}", e.m, m.mean);
    // The empirical RSE is near the rule of thumb.
    assert!((sim.rse_d.unwrap() / e.rse_d.unwrap() - 1.0).abs() < 0.5);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("NaN") && !json.contains("null,\"sd\""), "{json}");
}

/// (b) for multi-catch and count detectors: expected n and r agree with many cheap simulations
/// (no fits).
#[test]
fn expected_counts_match_simulation_for_multi_and_count() {
    let (traps, mask) = layout();
    let d = 5.0;
    for (detector, fnc, a) in [
        (DetectorType::Multi, DetectFn::HN, 0.2),
        (DetectorType::Count, DetectFn::HHN, 0.2),
        (DetectorType::Proximity, DetectFn::EX, 0.3),
    ] {
        let p = DetectionParams { detectfn: fnc, g0: a, sigma: SIGMA, z: None };
        let e = expected_counts(&traps, &mask, d, &p, detector, 5).unwrap();
        let reps = 200u64;
        let (mut ns, mut rs) = (Vec::new(), Vec::new());
        for s in 0..reps {
            let centres = simulate_population(&mask, d, 1000 + s);
            let ch = simulate_capthist(&traps, &centres, &p, detector, 5, 5000 + s).unwrap();
            let (n, r, _) = count_nrm(&ch);
            ns.push(n as f64);
            rs.push(r as f64);
        }
        let ms = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt();
            (m, sd / (v.len() as f64).sqrt())
        };
        let ((mn, sen), (mr, ser)) = (ms(&ns), ms(&rs));
        println!(
            "{detector:?} {fnc:?}: E(n) {:.2} sim {mn:.2} ± {sen:.2}; E(r) {:.2} sim {mr:.2} ± {ser:.2}",
            e.n, e.r
        );
        assert!((e.n - mn).abs() < 3.0 * sen, "{detector:?} E(n) {} vs {mn}", e.n);
        assert!((e.r - mr).abs() < 3.0 * ser, "{detector:?} E(r) {} vs {mr}", e.r);
    }
}

/// Usage is honoured: a detector never used detects nothing, and doubling usage behaves as
/// doubling the hazard.
#[test]
fn usage_is_honoured() {
    let base = grid(4, 2.0 * SIGMA);
    let mut usage = vec![vec![1.0; 3]; base.len()];
    usage[0] = vec![0.0; 3];
    usage[5] = vec![2.0, 0.0, 2.0];
    let traps = base.clone().with_usage(Some(usage)).unwrap();
    let mask = Mask::trap_buffer(&traps, 4.0 * SIGMA, Some(SIGMA / 2.0)).unwrap();
    let p = DetectionParams { detectfn: DetectFn::HN, g0: 0.3, sigma: SIGMA, z: None };
    for det in [DetectorType::Proximity, DetectorType::Multi, DetectorType::Count] {
        for s in 0..20 {
            let centres = simulate_population(&mask, 20.0, s);
            let ch = simulate_capthist(&traps, &centres, &p, det, 3, s + 99).unwrap();
            assert!(ch.detections().iter().all(|d| d.trap != 0 && !(d.trap == 5 && d.occasion == 1)));
        }
    }
    assert!(expected_counts(&traps, &mask, 20.0, &p, DetectorType::Proximity, 4).is_err(), "usage has 3 occasions");
}

/// (c) The same seed gives the same population and capture histories, and the same report.
#[test]
fn same_seed_same_capthist() {
    let (traps, mask) = layout();
    let p = options(5.0, 0, 1).detection_params();
    let a = simulate_population(&mask, 5.0, 42);
    let b = simulate_population(&mask, 5.0, 42);
    assert_eq!(a, b);
    assert_ne!(a, simulate_population(&mask, 5.0, 43));
    for det in [DetectorType::Proximity, DetectorType::Multi, DetectorType::Count] {
        let x = simulate_capthist(&traps, &a, &p, det, 5, 7).unwrap();
        let y = simulate_capthist(&traps, &b, &p, det, 5, 7).unwrap();
        assert_eq!(x.detections(), y.detections());
        assert_eq!(x.animal_ids(), y.animal_ids());
        assert!(x.n_animals() > 0);
    }
    let r1 = serde_json::to_string(&design_survey(&traps, &mask, &options(5.0, 2, 9)).unwrap()).unwrap();
    let r2 = serde_json::to_string(&design_survey(&traps, &mask, &options(5.0, 2, 9)).unwrap()).unwrap();
    assert_eq!(r1, r2);
}

/// (d) Bad input: clear errors, not NaN.
#[test]
fn bad_input_gives_clear_errors() {
    let (traps, mask) = layout();
    let err = |o: DesignOptions| design_survey(&traps, &mask, &o).unwrap_err().to_string();
    assert!(err(DesignOptions { sigma: 0.0, ..options(5.0, 0, 1) }).contains("sigma must be > 0"));
    assert!(err(DesignOptions { sigma: -3.0, ..options(5.0, 0, 1) }).contains("sigma must be > 0"));
    assert!(err(options(0.0, 0, 1)).contains("density must be > 0"));
    assert!(err(options(-1.0, 0, 1)).contains("density must be > 0"));
    assert!(err(DesignOptions { g0: 1.5, ..options(5.0, 0, 1) }).contains("g0 must be in (0, 1)"));
    assert!(err(DesignOptions { n_occasions: 0, ..options(5.0, 0, 1) }).contains("occasions"));
    assert!(err(DesignOptions { detectfn: DetectFn::HR, ..options(5.0, 0, 1) }).contains("shape z"));
    // An empty layout cannot be built.
    let e = Traps::new(vec![], vec![], vec![], None).unwrap_err().to_string();
    assert!(e.contains("no detectors"), "{e}");
    // Proposed-layout CSVs: errors name file, row and column.
    use borderless::estimation::design::{design_layout, Layout, LayoutDesignOptions};
    let run = |csv: &str, o: &LayoutDesignOptions| {
        design_layout(Layout::Csv { file: "proposed.csv", bytes: csv.as_bytes() }, &[], o, &mut |_, _| {})
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let o = LayoutDesignOptions::default();
    assert_eq!(run("id,lat,lon\n", &o), "proposed.csv: no stations");
    assert_eq!(
        run("id,lat,lon\nA,43.1,131.2\nB,43.2,east\n", &o),
        "proposed.csv: row 3, column 'lon': 'east' is not a number"
    );
    assert_eq!(
        run("id,lat,lon\nA,43.1,131.2\nA,43.2,131.3\n", &o),
        "proposed.csv: row 3, column 'id': station id 'A' is repeated"
    );
    assert_eq!(run("id,x,y\nA,1,2\n", &o), "proposed.csv: stations given as x,y need a UTM zone (e.g. utm:52N)");
    assert_eq!(run("id,a,b\nA,1,2\n", &o), "proposed.csv: needs columns id,lat,lon or id,x,y");
    let bad = LayoutDesignOptions { d_per_100km2: 0.0, ..Default::default() };
    assert!(run("id,lat,lon\nA,43.1,131.2\n", &bad).contains("density must be > 0"));
    let bad = LayoutDesignOptions { sigma_km: 0.0, ..Default::default() };
    assert!(run("id,lat,lon\nA,43.1,131.2\n", &bad).contains("sigma must be > 0"));
}

/// A proposed layout as a lat/lon CSV, and the same in UTM x,y, give the same expected counts.
#[test]
fn proposed_layout_csv() {
    use borderless::estimation::design::{design_layout, Layout, LayoutDesignOptions};
    let mut ll = String::from("id,lat,lon\n");
    for i in 0..5 {
        for j in 0..5 {
            ll.push_str(&format!("S{i}{j},{},{}\n", 43.0 + 0.05 * i as f64, 131.0 + 0.07 * j as f64));
        }
    }
    let o = LayoutDesignOptions { d_per_100km2: 2.0, g0: 0.1, sigma_km: 3.0, ..Default::default() };
    let a = design_layout(Layout::Csv { file: "ll.csv", bytes: ll.as_bytes() }, &[], &o, &mut |_, _| {}).unwrap();
    assert_eq!(a.utm_zone, "UTM 52N (WGS84)");
    assert_eq!(a.report.detectors, 25);
    assert_eq!(a.buffer_m, 12_000.0);
    let e = &a.report.expected;
    assert!(e.n > 0.0 && e.r > 0.0 && e.m > 0.0 && e.m < e.r, "{e:?}");
    let utm = borderless::spatial::Utm::parse("utm:52N").unwrap();
    let mut xy = String::from("id,x,y\n");
    for s in &a.stations {
        let (x, y) = utm.from_latlon(s.position);
        xy.push_str(&format!("{},{x},{y}\n", s.id));
    }
    let o2 = LayoutDesignOptions { utm: Some("utm:52N".into()), ..o };
    let b = design_layout(Layout::Csv { file: "xy.csv", bytes: xy.as_bytes() }, &[], &o2, &mut |_, _| {}).unwrap();
    assert!((b.report.expected.n / e.n - 1.0).abs() < 1e-6);
}

/// The layout of the loaded demo catalogs, on land: 120 stations in UTM 52N; with
/// `occasion_days`, the catalogs' effort is the usage.
#[test]
fn demo_stations_design() {
    use borderless::estimation::design::{design_layout, Layout, LayoutDesignOptions};
    use borderless::io::{topojson::read_countries, InputFile};
    use borderless::pipeline::{load_files, AnalysisOptions};
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
    let basemap = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json");
    let files = ["cn.zip", "ru.zip", "links.csv", "border.geojson"]
        .map(|f| InputFile::new(f, std::fs::read(format!("{demo}/{f}")).unwrap()))
        .to_vec();
    let loaded = load_files(files, &AnalysisOptions::default(), &mut |_| {});
    let countries = read_countries("basemap", &std::fs::read(basemap).unwrap()).unwrap();
    let o = LayoutDesignOptions { d_per_100km2: 1.5, g0: 0.08, sigma_km: 5.0, n_occasions: 12, ..Default::default() };
    let a = design_layout(Layout::Catalogs(loaded.survey()), &countries, &o, &mut |_, _| {}).unwrap();
    assert_eq!(a.utm_zone, "UTM 52N (WGS84)");
    assert_eq!(a.report.detectors, 120);
    assert!(a.notes.iter().any(|n| n.contains("off land")), "{:?}", a.notes);
    let e = &a.report.expected;
    println!("demo layout, 12 occasions, g0 0.08: {e:?}");
    assert!(e.n > 10.0 && e.r > e.m && e.m > 0.0);
    // The survey's own effort: 13 occasions of 15 days, g0 per camera-day as the demo simulated it.
    let o2 = LayoutDesignOptions { g0: 0.0055, occasion_days: Some(15.0), ..o };
    let b = design_layout(Layout::Catalogs(loaded.survey()), &countries, &o2, &mut |_, _| {}).unwrap();
    assert_eq!(b.report.options.n_occasions, 13);
    println!("demo layout with its effort, g0 0.0055 per camera-day: {:?}", b.report.expected);
    assert!(b.report.expected.n > 10.0);
}
