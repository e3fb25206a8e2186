//! SECR model features beyond the single-session model: groups (secr's `groups` with `D ~ g`,
//! `g0 ~ g`, `sigma ~ g`), several sessions (D ~ session), binomial count detectors (binomN)
//! and the AIC model table. Reference numbers are secr 5.4.1 on captdata
//! (shared/reference/secr-captdata/expected.md).

use borderless::estimation::secr::{
    fit_secr, fit_secr_sessions, model_table, secr_loglik, secr_loglik_sessions, Capthist, DetectFn, DetectorType,
    GroupModel, Mask, RealParameters, SecrModel, SessionData, Traps,
};
use std::collections::HashMap;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/secr-captdata"))
}

fn data(usage: bool) -> (Traps, Capthist, Mask) {
    let d = dir();
    let traps = Traps::from_csv(&d.join(if usage { "usage_traps.csv" } else { "traps.csv" })).unwrap();
    let ch = Capthist::from_csv(&d.join("captures.csv"), &traps, Some(5)).unwrap();
    let mask = Mask::from_csv(&d.join("mask_buffer100.csv"), None).unwrap();
    (traps, ch, mask)
}

fn model(detectfn: DetectFn, detector: DetectorType) -> SecrModel {
    SecrModel { detectfn, detector, ..Default::default() }
}

fn records(traps: &Traps, ch: &Capthist, prefix: &str) -> Vec<(String, usize, String)> {
    ch.detections()
        .iter()
        .map(|d| (format!("{prefix}{}", ch.animal_ids()[d.animal]), d.occasion + 1, traps.ids()[d.trap].clone()))
        .collect()
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

fn close(name: &str, got: f64, want: f64, tol: f64) {
    println!("{name}: got {got:.10}, want {want:.10}, diff {:.3e}", got - want);
    assert!((got - want).abs() <= tol, "{name}: got {got}, want {want}");
}

const LL_HN_MLE: f64 = -759.025745810583;
const HN_MLE: (f64, f64, f64) = (5.4798, 0.2732, 29.3658);

// (a) ---------------------------------------------------------------------------------------------

#[test]
fn without_groups_results_are_unchanged() {
    let (t, c, k) = data(false);
    let m = model(DetectFn::HN, DetectorType::Multi);
    let p = RealParameters { d: HN_MLE.0, g0: HN_MLE.1, g0_b: None, sigma: HN_MLE.2, z: None };
    close("secr_loglik multi HN at MLE", secr_loglik(&t, &c, &k, &m, &p).unwrap(), LL_HN_MLE, 1e-6);
    // the grouped / multi-session path with one session and no groups is the same likelihood
    let s = [SessionData { name: "1".into(), traps: t.clone(), capthist: c.clone(), mask: k.clone() }];
    let beta = [HN_MLE.0.ln(), logit(HN_MLE.1), HN_MLE.2.ln()];
    close("sessions path, one session", secr_loglik_sessions(&s, &m, &beta).unwrap(), LL_HN_MLE, 1e-6);
    let single = fit_secr(&t, &c, &k, &m).unwrap();
    assert!(single.groups.is_none() && single.sessions.is_none());
    close("fit_secr D", single.d.estimate, 5.4798, 5e-5);
    close("fit_secr logLik", single.loglik, -759.0257, 5e-5);
    let json = serde_json::to_value(&single).unwrap();
    assert!(json.get("groups").is_none() && json.get("sessions").is_none() && json.get("D").is_some());
    let multi = fit_secr_sessions(&s, &m).unwrap();
    close("sessions path logLik", multi.loglik, single.loglik, 1e-7);
    close("sessions path D", multi.d.estimate, single.d.estimate, 1e-5 * single.d.estimate);
    close("sessions path D SE", multi.d.se.unwrap(), single.d.se.unwrap(), 1e-3 * single.d.se.unwrap());
    close("sessions path sigma", multi.sigma.estimate, single.sigma.estimate, 1e-5 * single.sigma.estimate);
    assert_eq!(multi.beta_names, single.beta_names);
}

// (b) ---------------------------------------------------------------------------------------------

#[test]
fn grouped_likelihood_identities() {
    let (t, c, k) = data(false);
    let ungrouped = LL_HN_MLE;
    let (d, g0, sigma) = HN_MLE;
    // two groups holding identical data, with identical parameters: twice the single-group value
    let mut recs = records(&t, &c, "A");
    recs.extend(records(&t, &c, "B"));
    let labels: HashMap<String, String> =
        recs.iter().map(|r| (r.0.clone(), if r.0.starts_with('A') { "A" } else { "B" }.to_string())).collect();
    let ch2 = Capthist::new_grouped(&t, 5, &recs, &labels).unwrap();
    assert_eq!(ch2.group_levels(), vec!["A".to_string(), "B".to_string()]);
    let all = GroupModel { d: true, g0: true, sigma: true };
    let m = SecrModel { groups: Some(all), ..model(DetectFn::HN, DetectorType::Multi) };
    let s = [SessionData { name: "1".into(), traps: t.clone(), capthist: ch2, mask: k.clone() }];
    let beta = [d.ln(), d.ln(), logit(g0), logit(g0), sigma.ln(), sigma.ln()];
    close("two identical groups", secr_loglik_sessions(&s, &m, &beta).unwrap(), 2.0 * ungrouped, 1e-6);
    // captdata split into two groups with common parameters (D ~ 1: each group has density D/2):
    // the grouped likelihood is that of the labelled data, so it equals the ungrouped one less
    // n·log 2 (the probability 1/2 of each label), all histories being distinct.
    let labels: HashMap<String, String> = c
        .animal_ids()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), if i % 3 == 0 { "F" } else { "M" }.to_string()))
        .collect();
    let chg = c.clone().with_groups(&labels).unwrap();
    let m1 = SecrModel { groups: Some(GroupModel::default()), ..model(DetectFn::HN, DetectorType::Multi) };
    let s = [SessionData { name: "1".into(), traps: t.clone(), capthist: chg, mask: k.clone() }];
    let ll = secr_loglik_sessions(&s, &m1, &[(d / 2.0).ln(), logit(g0), sigma.ln()]).unwrap();
    let n = c.n_animals() as f64;
    close("split groups + n log 2", ll + n * 2f64.ln(), ungrouped, 1e-6);
    // and the grouped MLE with nothing varying by group has the ungrouped detection MLE, with the
    // total density (2 × D per group) equal to the ungrouped D
    let fit = fit_secr_sessions(&s, &m1).unwrap();
    let single = fit_secr(&t, &c, &k, &model(DetectFn::HN, DetectorType::Multi)).unwrap();
    println!("grouped D~1: {:?}", fit.beta_names);
    close("total D", fit.d.estimate, single.d.estimate, 1e-5 * single.d.estimate);
    close("sigma", fit.sigma.estimate, single.sigma.estimate, 1e-5 * single.sigma.estimate);
    close("logLik", fit.loglik + n * 2f64.ln(), single.loglik, 1e-6);
    let g = fit.groups.as_ref().unwrap();
    assert_eq!(g.len(), 2);
    close("D per group", g[0].d.estimate, single.d.estimate / 2.0, 1e-5 * single.d.estimate);
    assert_eq!(g[0].n_animals + g[1].n_animals, 76);
}

// (c) ---------------------------------------------------------------------------------------------

fn grid_traps(n: usize, spacing: f64) -> Traps {
    let (mut ids, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        for j in 0..n {
            ids.push(format!("T{i}_{j}"));
            x.push(i as f64 * spacing);
            y.push(j as f64 * spacing);
        }
    }
    Traps::new(ids, x, y, None).unwrap()
}

/// Multi-catch HN detections of a Poisson population over the buffered detector box.
fn simulate(
    rng: &mut rand_xoshiro::Xoshiro256PlusPlus,
    traps: &Traps,
    (d, g0, sigma): (f64, f64, f64),
    buffer: f64,
    occasions: usize,
    prefix: &str,
) -> Vec<(String, usize, String)> {
    use rand::Rng;
    use rand_distr::{Distribution, Poisson};
    let (x0, x1) = traps.x().iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let (y0, y1) = traps.y().iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let (w, h) = (x1 - x0 + 2.0 * buffer, y1 - y0 + 2.0 * buffer);
    let n = Poisson::new(d * w * h / 1e4).unwrap().sample(rng) as usize;
    let mut records = Vec::new();
    for i in 0..n {
        let (cx, cy) = (x0 - buffer + rng.gen::<f64>() * w, y0 - buffer + rng.gen::<f64>() * h);
        let hz: Vec<f64> = traps
            .x()
            .iter()
            .zip(traps.y())
            .map(|(tx, ty)| {
                let g = g0 * (-((tx - cx).powi(2) + (ty - cy).powi(2)) / (2.0 * sigma * sigma)).exp();
                -(-g).ln_1p()
            })
            .collect();
        let total: f64 = hz.iter().sum();
        for s in 1..=occasions {
            if rng.gen::<f64>() < -(-total).exp_m1() {
                let mut r = rng.gen::<f64>() * total;
                let mut k = 0;
                while k + 1 < hz.len() && r > hz[k] {
                    r -= hz[k];
                    k += 1;
                }
                records.push((format!("{prefix}{i}"), s, traps.ids()[k].clone()));
            }
        }
    }
    records
}

#[test]
fn simulation_recovers_group_sigmas() {
    use rand::SeedableRng;
    let traps = grid_traps(8, 25.0);
    let buffer = 150.0;
    let mask = Mask::trap_buffer(&traps, buffer, Some(7.5)).unwrap();
    let (sf, sm, d, g0) = (20.0, 35.0, 3.0, 0.25);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(20261121);
    let m = SecrModel {
        groups: Some(GroupModel { d: true, g0: false, sigma: true }),
        ..model(DetectFn::HN, DetectorType::Multi)
    };
    let reps = 20;
    let (mut tf, mut tm, mut td_f, mut td_m) = (0.0, 0.0, 0.0, 0.0);
    for _ in 0..reps {
        let mut recs = simulate(&mut rng, &traps, (d, g0, sf), buffer, 5, "F");
        recs.extend(simulate(&mut rng, &traps, (d, g0, sm), buffer, 5, "M"));
        let labels: HashMap<String, String> = recs.iter().map(|r| (r.0.clone(), r.0[..1].to_string())).collect();
        let ch = Capthist::new_grouped(&traps, 5, &recs, &labels).unwrap();
        let fit = fit_secr(&traps, &ch, &mask, &m).unwrap();
        assert!(fit.converged, "{:?}", fit.termination);
        let g = fit.groups.as_ref().unwrap();
        assert_eq!((g[0].group.as_str(), g[1].group.as_str()), ("F", "M"));
        tf += g[0].sigma.estimate;
        tm += g[1].sigma.estimate;
        td_f += g[0].d.estimate;
        td_m += g[1].d.estimate;
    }
    let r = reps as f64;
    let (mf, mm) = (tf / r, tm / r);
    println!(
        "mean sigma F {mf:.2} (true {sf}), M {mm:.2} (true {sm}); mean D F {:.3}, M {:.3} (true {d})",
        td_f / r,
        td_m / r
    );
    assert!((mf / sf - 1.0).abs() < 0.05, "sigma F {mf}");
    assert!((mm / sm - 1.0).abs() < 0.05, "sigma M {mm}");
    assert!((td_f / r / d - 1.0).abs() < 0.15 && (td_m / r / d - 1.0).abs() < 0.15);
}

// (d) ---------------------------------------------------------------------------------------------

#[test]
fn two_identical_sessions() {
    let (t, c, k) = data(false);
    let m = model(DetectFn::HN, DetectorType::Multi);
    let single = fit_secr(&t, &c, &k, &m).unwrap();
    let s: Vec<SessionData> = ["1", "2"]
        .iter()
        .map(|n| SessionData { name: n.to_string(), traps: t.clone(), capthist: c.clone(), mask: k.clone() })
        .collect();
    let fit = fit_secr_sessions(&s, &m).unwrap();
    assert!(fit.converged);
    println!("{:?}\n{:?}", fit.beta_names, fit.beta);
    assert_eq!(fit.beta_names, vec!["D.session1", "D.session2", "g0", "sigma"]);
    let ss = fit.sessions.as_ref().unwrap();
    for se in ss {
        close(&format!("D session {}", se.session), se.d.estimate, single.d.estimate, 1e-5 * single.d.estimate);
        assert!(se.d.se.unwrap() > 0.0);
        assert_eq!(se.n_animals, 76);
    }
    close("logLik", fit.loglik, 2.0 * single.loglik, 1e-6);
    close("sigma", fit.sigma.estimate, single.sigma.estimate, 1e-5 * single.sigma.estimate);
    // shared detection: its SE shrinks by about √2
    let ratio = single.sigma.se.unwrap() / fit.sigma.se.unwrap();
    println!("sigma SE ratio single / two sessions: {ratio:.4}");
    assert!((ratio - 2f64.sqrt()).abs() < 0.01);
    assert_eq!(fit.n_animals, 152);
    // at fixed parameters, exactly twice
    let beta = [HN_MLE.0.ln(), HN_MLE.0.ln(), logit(HN_MLE.1), HN_MLE.2.ln()];
    close("fixed-parameter logLik", secr_loglik_sessions(&s, &m, &beta).unwrap(), 2.0 * LL_HN_MLE, 1e-6);
}

#[test]
fn sessions_and_groups_from_csv() {
    let traps = grid_traps(3, 20.0);
    let csv = b"session,id,occasion,trapid,sex\n\
        A,a,1,T0_0,F\nA,a,2,T1_1,F\nA,b,1,T2_2,M\nB,c,3,T0_1,M\nB,c,1,T1_1,M\nB,d,2,T2_1,F\n";
    let s = Capthist::sessions_from_csv_bytes("c.csv", csv, &traps, None, Some("sex")).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].0.as_str(), s[1].0.as_str()), ("A", "B"));
    assert_eq!(s[0].1.n_occasions(), 3);
    assert_eq!(s[0].1.groups().unwrap(), &["F".to_string(), "M".to_string()]);
    assert_eq!(s[1].1.groups().unwrap(), &["M".to_string(), "F".to_string()]);
    let bad = b"session,id,occasion,trapid,sex\n1,a,1,T0_0,F\n1,a,2,T1_1,M\n";
    let e = Capthist::sessions_from_csv_bytes("c.csv", bad, &traps, None, Some("sex")).unwrap_err().to_string();
    assert!(e.contains("row 3") && e.contains("sex"), "{e}");
    let e = Capthist::sessions_from_csv_bytes("c.csv", bad, &traps, None, Some("age")).unwrap_err().to_string();
    assert!(e.contains("no column 'age'"), "{e}");
    // a grouped model needs labels
    let (t, c, k) = data(false);
    let m = SecrModel { groups: Some(GroupModel::parse("sigma").unwrap()), ..Default::default() };
    assert!(fit_secr(&t, &c, &k, &m).unwrap_err().to_string().contains("no group labels"));
    assert_eq!(GroupModel::parse("sigma, g0,D").unwrap(), GroupModel { d: true, g0: true, sigma: true });
    assert!(GroupModel::parse("z").is_err());
}

// (e) ---------------------------------------------------------------------------------------------

#[test]
fn binomial_count_with_binomn_1_is_proximity() {
    let p = RealParameters { d: 5.0, g0: 0.25, g0_b: None, sigma: 30.0, z: None };
    for usage in [false, true] {
        let (t, c, k) = data(usage);
        for fast in [true, false] {
            let prox = SecrModel { fast_proximity: fast, ..model(DetectFn::HN, DetectorType::Proximity) };
            let bin = SecrModel { binom_n: 1, ..model(DetectFn::HN, DetectorType::Count) };
            let bin = SecrModel { fast_proximity: fast, ..bin };
            let a = secr_loglik(&t, &c, &k, &prox, &p).unwrap();
            let b = secr_loglik(&t, &c, &k, &bin, &p).unwrap();
            close(&format!("usage {usage} fast {fast}: binomN 1 vs proximity"), b, a, 1e-9);
            if !usage {
                let want = if fast { -566.173838545167 } else { -903.334375530923 };
                close("proximity reference", b, want, 1e-6);
            }
        }
    }
    let (t, c, k) = data(false);
    let prox = fit_secr(&t, &c, &k, &model(DetectFn::HN, DetectorType::Proximity)).unwrap();
    let bin = fit_secr(&t, &c, &k, &SecrModel { binom_n: 1, ..model(DetectFn::HN, DetectorType::Count) }).unwrap();
    close("fitted logLik", bin.loglik, prox.loglik, 1e-7);
    close("fitted D (secr 6.3656, 1e-4 relative)", bin.d.estimate, 6.3656, 1e-4 * 6.3656);
    // binomN = 2: size 2 per occasion; converges, and fitted g0 per trial is below the proximity one
    let b2 = fit_secr(&t, &c, &k, &SecrModel { binom_n: 2, ..model(DetectFn::HN, DetectorType::Count) }).unwrap();
    println!(
        "binomN 2: D {:.4} g0 {:.4} sigma {:.3} logLik {:.4} ({})",
        b2.d.estimate,
        b2.g0.as_ref().unwrap().estimate,
        b2.sigma.estimate,
        b2.loglik,
        b2.likelihood_form
    );
    assert!(b2.converged && b2.g0.as_ref().unwrap().estimate < prox.g0.as_ref().unwrap().estimate);
    // a count above the binomial size is an error
    let recs = vec![("a".to_string(), 1, "1".to_string()), ("a".to_string(), 1, "1".to_string())];
    let ch = Capthist::new(&t, 5, &recs).unwrap();
    let e = fit_secr(&t, &ch, &k, &SecrModel { binom_n: 1, ..model(DetectFn::HN, DetectorType::Count) });
    assert!(e.unwrap_err().to_string().contains("binomial size"));
}

// (g) ---------------------------------------------------------------------------------------------

#[test]
fn model_table_orders_by_aicc() {
    let (t, c, k) = data(false);
    let fits: Vec<(&str, _)> = [("HN", DetectFn::HN), ("HHN", DetectFn::HHN), ("EX", DetectFn::EX)]
        .into_iter()
        .map(|(n, f)| (n, fit_secr(&t, &c, &k, &model(f, DetectorType::Multi)).unwrap()))
        .collect();
    let gb = fit_secr(&t, &c, &k, &SecrModel { learned_response: true, ..model(DetectFn::HN, DetectorType::Multi) })
        .unwrap();
    let mut refs: Vec<(&str, &borderless::estimation::secr::SecrFit)> = fits.iter().map(|(n, f)| (*n, f)).collect();
    refs.insert(0, ("HN g0~b", &gb));
    let table = model_table(&refs);
    for r in &table {
        println!(
            "{:<8} np {} logLik {:.4} AIC {:.3} AICc {:.3} dAIC {:.3} dAICc {:.3} AICcwt {:.4}",
            r.model, r.n_parameters, r.loglik, r.aic, r.aicc, r.delta_aic, r.delta_aicc, r.aicc_weight
        );
    }
    let order: Vec<&str> = table.iter().map(|r| r.model.as_str()).collect();
    assert_eq!(order, vec!["HHN", "HN", "HN g0~b", "EX"]);
    assert_eq!(table[0].delta_aicc, 0.0);
    assert_eq!(table[0].delta_aic, 0.0);
    assert!(table.windows(2).all(|w| w[0].aicc <= w[1].aicc && w[1].delta_aicc >= 0.0));
    close("HN dAIC (secr 1524.051 − 1523.736)", table[1].delta_aic, 0.315, 2e-3);
    let wsum: f64 = table.iter().map(|r| r.aicc_weight).sum();
    close("weights sum", wsum, 1.0, 1e-12);
    let v = serde_json::to_value(&table).unwrap();
    assert!(v[0].get("dAICc").is_some() && v[0].get("AICcwt").is_some());
}

#[test]
fn grouped_conditional_likelihood_derives_the_same_density() {
    // CL with groups and nothing varying by group: same detection MLE, and the derived total
    // density (G × n / Σ_g a_g) and its SE equal the ungrouped ones.
    let (t, c, k) = data(false);
    let labels: HashMap<String, String> = c
        .animal_ids()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), if i % 2 == 0 { "F" } else { "M" }.to_string()))
        .collect();
    let cl = SecrModel { conditional: true, ..model(DetectFn::HN, DetectorType::Multi) };
    let single = fit_secr(&t, &c, &k, &cl).unwrap();
    let grouped = SecrModel { groups: Some(GroupModel::default()), ..cl.clone() };
    let fit = fit_secr(&t, &c.clone().with_groups(&labels).unwrap(), &k, &grouped).unwrap();
    assert!(fit.d_derived && fit.converged);
    close("sigma", fit.sigma.estimate, single.sigma.estimate, 1e-5 * single.sigma.estimate);
    close("derived total D", fit.d.estimate, single.d.estimate, 1e-5 * single.d.estimate);
    close("derived total D SE", fit.d.se.unwrap(), single.d.se.unwrap(), 1e-3 * single.d.se.unwrap());
    close("derived D SE (secr 0.6446)", fit.d.se.unwrap(), 0.6446, 1e-4);
    let g = fit.groups.as_ref().unwrap();
    close("per-group D", g[0].d.estimate + g[1].d.estimate, fit.d.estimate, 1e-9);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn cli_groups_sessions_binomn() {
    let d = dir();
    // captdata twice (sessions 1 and 2) with a sex column
    let text = std::fs::read_to_string(d.join("captures.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut csv = format!("{header},sex\n");
    for s in ["1", "2"] {
        for l in &body {
            let f: Vec<&str> = l.splitn(2, ',').collect();
            let id: String = f[1].split(',').next().unwrap().trim_matches('"').to_string();
            let sex = if id.parse::<usize>().unwrap() % 2 == 1 { "F" } else { "M" };
            csv.push_str(&format!("\"{s}\",{},{sex}\n", f[1]));
        }
    }
    let path = std::env::temp_dir().join(format!("secr_models_cli_{}.csv", std::process::id()));
    std::fs::write(&path, csv).unwrap();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
            .args(["secr", "--traps"])
            .arg(d.join("traps.csv"))
            .arg("--captures")
            .arg(&path)
            .arg("--mask")
            .arg(d.join("mask_buffer100.csv"))
            .args(extra)
            .arg("--json")
            .output()
            .unwrap();
        (out.status.success(), out.stdout, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, _, err) = run(&[]);
    assert!(!ok && err.contains("--sessions"), "{err}");
    let (ok, out, err) = run(&["--sessions", "--groups-column", "sex", "--vary", "sigma"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(v["sessions"][0]["groups"].as_array().unwrap().len(), 2);
    assert_eq!(v["n_parameters"], 5);
    let (ok, out, err) = run(&["--session", "2", "--detector", "count", "--binomn", "1"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!((v["loglik"].as_f64().unwrap() + 527.1049).abs() < 1e-4, "{}", v["loglik"]);
    std::fs::remove_file(&path).ok();
}
