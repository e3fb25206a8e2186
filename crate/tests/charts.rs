//! The survey charts: their data helpers against numbers computed here independently from the
//! demo CSVs, the SVGs (no inline styles) and their text alternatives, and sunrise/sunset
//! against published NOAA-algorithm values.

mod support;

use borderless::activity::overlap::analyze_overlap;
use borderless::activity::sun::{sun_time, sunrise_sunset_local, sunrise_sunset_utc_min, time_of_day_rad};
use borderless::estimation::occasions;
use borderless::model::lang::Lang;
use borderless::pipeline::chartset::{activity_overlap, chart_set, ChartSetOptions, OverlapChartOptions, Survey};
use borderless::render::charts::data::{
    accumulation, expected_accumulation, rai_per_station, species_times, CaptureMatrix,
};
use borderless::AnalysisOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::PI;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");

/// A CSV of the demo as (header → column) maps, read with the csv crate only.
fn rows(path: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(format!("{DEMO}/{path}")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records().map(|rec| h.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect()
}

fn seconds(ts: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(ts).unwrap().timestamp()
}

/// Animal event observations of both demo countries: (country, deployment, species, eventStart, individual).
fn demo_observations() -> Vec<(String, String, String, String, String)> {
    let mut out = Vec::new();
    for c in ["cn", "ru"] {
        for r in rows(&format!("{c}/observations.csv")) {
            if r["observationLevel"] == "event" && r["observationType"] == "animal" {
                out.push((
                    c.to_uppercase(),
                    r["deploymentID"].clone(),
                    r["scientificName"].clone(),
                    r["eventStart"].clone(),
                    r["individualID"].clone(),
                ));
            }
        }
    }
    out
}

fn survey() -> Survey {
    Survey::from_files(support::demo_files(), &AnalysisOptions::default())
}

#[test]
fn species_records_are_every_animal_event_of_the_csvs() {
    let s = survey();
    let obs = demo_observations();
    assert_eq!(s.records.len(), obs.len());
    for r in &s.record_reports {
        assert!(r.balanced(), "{r:?}");
    }
    let count = |sp: &str| obs.iter().filter(|o| o.2 == sp).count();
    for sp in ["Sus scrofa", "Cervus nippon", "Capreolus pygargus", "Panthera tigris altaica"] {
        assert_eq!(s.records.iter().filter(|r| r.species == sp).count(), count(sp), "{sp}");
    }
}

#[test]
fn rai_is_detections_per_100_active_days_from_the_csvs() {
    let s = survey();
    // Independently: identified detections per deployment / deployment length in days × 100
    // (Camtrap DP deployments have no malfunction periods).
    let obs = demo_observations();
    let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
    for c in ["cn", "ru"] {
        for d in rows(&format!("{c}/deployments.csv")) {
            let days = (seconds(&d["deploymentEnd"]) - seconds(&d["deploymentStart"])) as f64 / 86_400.0;
            let n = obs.iter().filter(|o| o.1 == d["deploymentID"] && !o.4.is_empty()).count() as f64;
            expected.insert((c.to_uppercase(), d["deploymentID"].clone()), n / days * 100.0);
        }
    }
    let rai = rai_per_station(&s.analysis);
    assert_eq!(rai.len(), expected.len());
    for r in &rai {
        let want = expected[&(r.catalog.clone(), r.station.clone())];
        assert!((r.rai.unwrap() - want).abs() < 1e-9, "{}: {:?} vs {want}", r.station, r.rai);
    }
    // The alt text carries the mean, formatted to two decimals.
    let mean = expected.values().sum::<f64>() / expected.len() as f64;
    let set = chart_set(&s, &ChartSetOptions::default()).unwrap();
    let alt = &set.charts.iter().find(|c| c.key == "rai").unwrap().alt;
    assert!(alt.contains(&format!("mean {:.2}", mean)), "{alt}");
}

#[test]
fn accumulation_curve_endpoints() {
    let s = survey();
    let obs = demo_observations();
    let (by_station, by_day) = accumulation(&s.loaded.catalogs, &s.records);
    // All samples: every species seen; one sample: the mean number of species per sample.
    let species: BTreeSet<&str> = obs.iter().map(|o| o.2.as_str()).collect();
    let deployments: Vec<String> = ["cn", "ru"]
        .iter()
        .flat_map(|c| rows(&format!("{c}/deployments.csv")).into_iter().map(|d| d["deploymentID"].clone()))
        .collect();
    assert_eq!(by_station.samples, deployments.len());
    assert!((by_station.expected.last().unwrap() - species.len() as f64).abs() < 1e-9);
    let per_station: f64 = deployments
        .iter()
        .map(|d| obs.iter().filter(|o| &o.1 == d).map(|o| o.2.as_str()).collect::<BTreeSet<_>>().len() as f64)
        .sum::<f64>()
        / deployments.len() as f64;
    assert!((by_station.expected[0] - per_station).abs() < 1e-9, "{} vs {per_station}", by_station.expected[0]);
    // Days: from the earliest deployment start, whole days of 86 400 s.
    let starts: Vec<i64> = ["cn", "ru"]
        .iter()
        .flat_map(|c| rows(&format!("{c}/deployments.csv")).into_iter().map(|d| seconds(&d["deploymentStart"])))
        .collect();
    let ends: Vec<i64> = ["cn", "ru"]
        .iter()
        .flat_map(|c| rows(&format!("{c}/deployments.csv")).into_iter().map(|d| seconds(&d["deploymentEnd"])))
        .collect();
    let t0 = *starts.iter().min().unwrap();
    let days = ((*ends.iter().max().unwrap() - t0) as f64 / 86_400.0).ceil() as usize;
    assert_eq!(by_day.samples, days);
    let mut per_day: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
    for o in &obs {
        per_day.entry((seconds(&o.3) - t0).div_euclid(86_400)).or_default().insert(&o.2);
    }
    let mean_day = per_day.values().map(|s| s.len()).sum::<usize>() as f64 / days as f64;
    assert!((by_day.expected[0] - mean_day).abs() < 1e-9);
    assert!((by_day.expected[days - 1] - species.len() as f64).abs() < 1e-9);
    // Brute force over every order of 4 samples equals the exact formula (Colwell et al. 2004).
    let inc: Vec<BTreeSet<u8>> = vec![[0u8, 1].into(), [1].into(), [].into(), [2, 0].into()];
    let counts: Vec<usize> = (0..3u8).map(|k| inc.iter().filter(|s| s.contains(&k)).count()).collect();
    let exact = expected_accumulation(&counts, 4);
    for (h, got) in exact.iter().enumerate() {
        // Mean over all subsets of size h+1 (the mean over orders of the first h+1 samples).
        let mut total = 0.0;
        let mut n = 0.0;
        for mask in 0u32..16 {
            if mask.count_ones() as usize == h + 1 {
                let u: BTreeSet<u8> = (0..4).filter(|i| mask >> i & 1 == 1).flat_map(|i| inc[i].clone()).collect();
                total += u.len() as f64;
                n += 1.0;
            }
        }
        assert!((got - total / n).abs() < 1e-12, "h = {}", h + 1);
    }
}

#[test]
fn capture_matrix_equals_the_occasion_histories() {
    let s = survey();
    let h = occasions::build(&s.loaded.catalogs, &s.loaded.joint, 15.0).unwrap();
    let m = CaptureMatrix::from_histories(&h);
    let closed = h.closed_histories().unwrap();
    let as_bool: Vec<Vec<bool>> = m.binary().iter().map(|r| r.iter().map(|&c| c == 1).collect()).collect();
    assert_eq!(as_bool, closed.rows().to_vec());
    // Every identified detection of the CSVs is in one cell.
    let identified = demo_observations().iter().filter(|o| !o.4.is_empty()).count() as u32;
    assert_eq!(m.counts.iter().flatten().sum::<u32>(), identified);
    assert_eq!(m.animals.len(), 45);
    let set = chart_set(&s, &ChartSetOptions::default()).unwrap();
    let alt = &set.charts.iter().find(|c| c.key == "capture_matrix").unwrap().alt;
    assert!(alt.contains(&format!("45 individuals × {} occasions of 15 days", h.occasions)), "{alt}");
}

#[test]
fn every_chart_has_an_svg_without_inline_styles_and_an_alt_text() {
    let s = survey();
    for lang in Lang::ALL {
        let set = chart_set(&s, &ChartSetOptions { lang, ..Default::default() }).unwrap();
        let keys: Vec<&str> = set.charts.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "detections_country",
                "detections_individual",
                "crossings",
                "distance",
                "capture_matrix",
                "estimates",
                "rai",
                "accumulation_days",
                "accumulation_stations",
                "diel"
            ],
            "{:?}",
            set.notes
        );
        for c in &set.charts {
            assert!(c.svg.starts_with("<svg"), "{}", c.key);
            assert!(!c.svg.contains("style="), "{} ({lang}) has an inline style", c.key);
            assert!(c.alt.len() > 30 && !c.alt.contains('{'), "{} ({lang}): {}", c.key, c.alt);
            assert!(!c.title.is_empty());
        }
    }
    // Detections per country: the CSV counts of identified events are in the alt text.
    let obs = demo_observations();
    let n = |c: &str| obs.iter().filter(|o| o.0 == c && !o.4.is_empty()).count();
    let set = chart_set(&s, &ChartSetOptions::default()).unwrap();
    let alt = &set.charts[0].alt;
    assert!(alt.contains(&format!("CN {}", n("CN"))) && alt.contains(&format!("RU {}", n("RU"))), "{alt}");
    // Estimates: the naive sum 30 + 34 = 64 and the closed models' N̂ with their CIs.
    let alt = &set.charts.iter().find(|c| c.key == "estimates").unwrap().alt;
    assert!(alt.contains("Σ national 64.0"), "{alt}");
    let cp = borderless::estimation::closed_population(s.loaded.survey(), 15.0).unwrap();
    let m0 = cp.models.iter().find(|m| m.model == "M0").unwrap().fit.as_ref().unwrap();
    assert!(alt.contains(&format!("M0 {:.1} ({:.1}–{:.1})", m0.abundance, m0.lcl.unwrap(), m0.ucl.unwrap())), "{alt}");
    // Russian alt texts use Russian words and a decimal comma.
    let ru = chart_set(&s, &ChartSetOptions { lang: Lang::Ru, ..Default::default() }).unwrap();
    let alt = &ru.charts.iter().find(|c| c.key == "rai").unwrap().alt;
    assert!(alt.contains("регистраций на 100") && alt.contains(','), "{alt}");
}

/// Local time of day from the eventStart text itself (hh:mm:ss before the offset), radians.
fn clock_from_text(ts: &str) -> f64 {
    let t = &ts[11..19];
    let p: Vec<f64> = t.split(':').map(|x| x.parse().unwrap()).collect();
    (p[0] * 3600.0 + p[1] * 60.0 + p[2]) / 86_400.0 * 2.0 * PI
}

#[test]
fn diel_overlap_uses_local_clock_times_and_reports_dhat() {
    let s = survey();
    let obs = demo_observations();
    let (a, b) = ("Panthera tigris altaica", "Sus scrofa");
    let ta: Vec<f64> = obs.iter().filter(|o| o.2 == a).map(|o| clock_from_text(&o.3)).collect();
    let tb: Vec<f64> = obs.iter().filter(|o| o.2 == b).map(|o| clock_from_text(&o.3)).collect();
    let (got_a, _) = species_times(&s.loaded.catalogs, &s.records, a, false);
    let mut x = got_a.clone();
    let mut y = ta.clone();
    x.sort_by(f64::total_cmp);
    y.sort_by(f64::total_cmp);
    assert_eq!(x.len(), y.len());
    for (p, q) in x.iter().zip(&y) {
        assert!((p - q).abs() < 1e-12);
    }
    let want = analyze_overlap(&ta, &tb, (a, b), None, None).unwrap();
    let o =
        OverlapChartOptions { species_a: a.into(), species_b: b.into(), bootstrap: 20, seed: 7, ..Default::default() };
    let got = activity_overlap(&s, &o).unwrap();
    assert!((got.report.dhat4 - want.dhat4).abs() < 1e-12 && (got.report.dhat1 - want.dhat1).abs() < 1e-12);
    assert_eq!(got.report.recommended, "Dhat4"); // both samples have ≥ 50 records
    let boot = got.report.bootstrap.as_ref().unwrap();
    assert!(boot.ci_dhat4.norm0[0] < got.report.dhat4 && got.report.dhat4 < boot.ci_dhat4.norm0[1]);
    assert!(got.chart.alt.contains(&format!("Δ̂ = {:.3}", want.dhat4)), "{}", got.chart.alt);
    assert!(got.chart.alt.contains(&format!("{} records", ta.len())));
    assert!(!got.chart.svg.contains("style="));
    // Same seed, same intervals.
    let again = activity_overlap(&s, &o).unwrap();
    assert_eq!(again.report.bootstrap.unwrap().ci_dhat4.norm, boot.ci_dhat4.norm);
    // Unknown species: a clear error naming the species present.
    let bad = activity_overlap(&s, &OverlapChartOptions { species_a: "Felis catus".into(), species_b: b.into(), ..o });
    let msg = bad.unwrap_err().to_string();
    assert!(msg.contains("Felis catus") && msg.contains("Sus scrofa"), "{msg}");
}

#[test]
fn sunrise_and_sunset_match_published_noaa_algorithm_values() {
    // suntools (NOAA equations) test suite, tests/testthat/test-sun-methods.R: Helsinki
    // (60.17 N, 24.97 E, the coordinates NOAA's site lists), 2004-12-24, sunrise at day fraction
    // 0.392424945734093 of EET (UTC+2) = 09:25:05.5 local = 07:25:05.5 UTC.
    let (rise, _) = sunrise_sunset_utc_min(60.17, 24.97, 2004, 12, 24).unwrap();
    let want = 0.392424945734093 * 1440.0 - 120.0;
    assert!((rise - want).abs() < 1.0, "{rise} vs {want} min");
    // suntools README: Ithaca NY (42.48 N, 76.4511 W), 2023-06-01, sunset 20:36:25 EDT (UTC−4).
    let (_, set) = sunrise_sunset_utc_min(42.48, -76.4511, 2023, 6, 1).unwrap();
    let want = (20.0 * 60.0 + 36.0 + 25.0 / 60.0) + 240.0;
    assert!((set - want).abs() < 1.0, "{set} vs {want} min");
    // The same through a timestamp with its own offset; sun time puts that sunrise at π/2.
    let t = chrono::DateTime::parse_from_rfc3339("2004-12-24T09:25:05+02:00").unwrap();
    let (r, s) = sunrise_sunset_local(&t, 60.17, 24.97).unwrap();
    assert!((r * 1440.0 - 0.392424945734093 * 1440.0).abs() < 1.0);
    assert!(s > r);
    let st = time_of_day_rad(&t, 60.17, 24.97, true).unwrap();
    assert!((st - PI / 2.0).abs() < 2.0 * PI / 1440.0, "{st}");
    // Polar night: no sun time.
    let polar = chrono::DateTime::parse_from_rfc3339("2004-12-24T12:00:00+01:00").unwrap();
    assert_eq!(time_of_day_rad(&polar, 78.22, 15.65, true), None);
    assert!((sun_time(PI, PI / 2.0, 3.0 * PI / 2.0) - PI).abs() < 1e-15);
}
