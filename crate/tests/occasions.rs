//! Detection histories from camera catalogs: effort per station and occasion (camtrapR's
//! camera-operation logic, measured exactly in days) and joint histories for closed models.

mod support;
use support::Shared;

use borderless::estimation::closed::{fit, ClosedModel};
use borderless::estimation::occasions::build;
use borderless::io::InputFile;
use borderless::pipeline::{load_files, AnalysisOptions};

const REF: Shared = Shared("reference/camtrapR-example");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");

fn camtrapr() -> borderless::pipeline::Loaded {
    let files = vec![
        InputFile::new("ex/camtraps.csv", std::fs::read(format!("{REF}/camtraps.csv")).unwrap()),
        InputFile::new(
            "ex/recordTableIndividualSample.csv",
            std::fs::read(format!("{REF}/recordTableIndividualSample.csv")).unwrap(),
        ),
    ];
    let opts = AnalysisOptions { crs: Some("utm:50N".into()), utc_offset: Some("+08:00".into()), ..Default::default() };
    load_files(files, &opts, &mut |_| {})
}

#[test]
fn daily_effort_follows_setup_retrieval_and_malfunction() {
    skip_without!(REF);
    let l = camtrapr();
    let h = build(&l.catalogs, &l.joint, 1.0).unwrap();
    // camtraps.csv: StationA 02/04/2009–14/05/2009, StationB 03/04–16/05, StationC 04/04–17/05
    // with a malfunction 12/05–17/05; whole days, inclusive. The survey starts 2 April 00:00
    // (+08:00) and ends 17 May 24:00: 46 daily occasions.
    assert_eq!(h.occasions, 46);
    let eff = |s: &str| h.stations.iter().find(|x| x.station == s).unwrap().effort_days.clone();
    let (a, b, c) = (eff("StationA"), eff("StationB"), eff("StationC"));
    let near = |x: f64, y: f64| (x - y).abs() < 1e-4; // 1 s of the inclusive end is 1.16e-5 days
                                                      // Not yet set up is "no effort" (0), not "no detection".
    assert!(near(b[0], 0.0) && near(c[0], 0.0) && near(c[1], 0.0));
    assert!(near(a[0], 1.0) && near(b[1], 1.0) && near(c[2], 1.0));
    // StationC days 12–17 May (occasions 40..=45) are malfunction days: no effort.
    assert!(c[40..46].iter().all(|&e| near(e, 0.0)), "{:?}", &c[38..46]);
    assert!(near(c[39], 1.0));
    // Totals: A 43 days, B 44 days, C 44 − 6 = 38 days.
    let total = |v: &[f64]| v.iter().sum::<f64>();
    assert!(near(total(&a), 43.0) && near(total(&b), 44.0) && near(total(&c), 38.0));
    // Every detection falls in an occasion in which its station worked.
    for d in &h.detections {
        assert!(h.stations[d.station].effort_days[d.occasion] > 0.0, "{d:?}");
    }
    // recordTableIndividualSample: 3 leopard cats, 18 records once duplicates are counted once.
    assert_eq!(h.animals.len(), 3);
    assert_eq!(h.detections.len(), 18);
}

#[test]
fn joint_histories_of_the_demo_feed_closed_models() {
    let mut files = Vec::new();
    for f in ["cn.zip", "ru.zip", "links.csv", "border.geojson"] {
        files.push(InputFile::new(f, std::fs::read(format!("{DEMO}/{f}")).unwrap()));
    }
    let l = load_files(files, &AnalysisOptions::default(), &mut |_| {});
    let h = build(&l.catalogs, &l.joint, 15.0).unwrap();
    // 1 Nov 2024 (earliest start, +10:00 in Russia) to about 3 May 2025: 183 days → 13
    // occasions of 15 days.
    assert_eq!(h.occasions, 13);
    assert_eq!(h.stations.len(), 120);
    // One row per joint individual: 45, not 30 + 34 = 64.
    let ch = h.closed_histories().unwrap();
    assert_eq!(ch.animals(), 45);
    let n_detections: usize = h.detections.len();
    assert_eq!(n_detections, 81 + 96);
    let m0 = fit(&ch, ClosedModel::M0).unwrap();
    assert!(m0.abundance >= 45.0 && m0.abundance.is_finite());
}

#[test]
fn cli_closed_on_camtrap_dp_catalogs_uses_joint_histories() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["closed", "--models", "M0,Mt", "--occasion-days", "15", "--json", "--catalog"])
        .arg(format!("CN={DEMO}/cn"))
        .arg("--catalog")
        .arg(format!("RU={DEMO}/ru.zip"))
        .arg("--links")
        .arg(format!("{DEMO}/links.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("45 joint individuals over 13 occasions of 15 days"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["model"].as_str().unwrap()).collect::<Vec<_>>(), ["M0", "Mt"]);
    for r in rows {
        for k in ["N", "se", "deviance", "df", "aic", "bic", "lcl", "ucl"] {
            assert!(r[k].is_number(), "{k}");
        }
        assert!(r["N"].as_f64().unwrap() >= 45.0);
    }
}
