//! The cross-border summary: the 42.2% over-count of summed national counts (45 unique tigers,
//! 19 of them on both sides of the China–Russia border, national counts summing to 64), border
//! crossings in instant order across UTC offsets, and the geodesic distance from the border.

mod support;

use borderless::identity::crossings::{overcount_percent, IndividualSummary};
use borderless::io::InputFile;
use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions};
use std::collections::BTreeMap;

const PROFILE: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json";

/// A minimal Camtrap DP package in folder `dir` for catalog `code`: stations
/// (id, latitude, longitude) deployed 2024-11-01 .. 2025-05-01 in UTC `offset`, and event-level
/// observations (station, individual, eventStart).
fn package(
    dir: &str,
    code: &str,
    offset: &str,
    stations: &[(&str, f64, f64)],
    dets: &[(&str, String, String)],
) -> Vec<InputFile> {
    let dp = serde_json::json!({
        "profile": PROFILE,
        "name": format!("test-{dir}"),
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}
        ]
    });
    let mut dep = String::from("deploymentID,latitude,longitude,deploymentStart,deploymentEnd,deploymentGroups\n");
    for (id, lat, lon) in stations {
        dep.push_str(&format!(
            "{id},{lat},{lon},2024-11-01T00:00:00{offset},2025-05-01T00:00:00{offset},catalog:{code}\n"
        ));
    }
    let mut obs = String::from(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n",
    );
    for (k, (st, ind, t)) in dets.iter().enumerate() {
        obs.push_str(&format!("{dir}-o{k},{st},{t},event,animal,Panthera tigris altaica,{ind}\n"));
    }
    vec![
        InputFile::new(format!("{dir}/datapackage.json"), dp.to_string()),
        InputFile::new(format!("{dir}/deployments.csv"), dep),
        InputFile::new(format!("{dir}/observations.csv"), obs),
    ]
}

fn links(pairs: &[(&str, &str)]) -> InputFile {
    let mut s = String::from("catalog_a,id_a,catalog_b,id_b\n");
    for (a, b) in pairs {
        s.push_str(&format!("CN,{a},RU,{b}\n"));
    }
    InputFile::new("links.csv", s)
}

fn run(files: Vec<InputFile>) -> Analysis {
    let a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    assert!(a.failed_files().is_empty(), "{:#?}", a.reports);
    for r in &a.reports {
        assert!(r.balanced(), "{r:#?}");
        assert_eq!(r.rows_rejected, 0, "{r:#?}");
    }
    a
}

fn individual<'a>(a: &'a Analysis, id: &str) -> &'a IndividualSummary {
    a.crossborder.individuals.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no {id}"))
}

/// 19/45 × 100 (issue text: 45 unique individuals, 19 transboundary, national counts summing
/// to 64 over-count by 42.2%).
const PERCENT: f64 = 19.0 / 45.0 * 100.0;

#[test]
fn forty_five_tigers_nineteen_transboundary_overcount_42_2_percent() {
    assert!((PERCENT - 42.222_222_222_222_22).abs() < 1e-9);
    // China sees C01..C30, Russia R01..R34; C01..C19 are R01..R19.
    let cn_dets: Vec<(&str, String, String)> =
        (1..=30).map(|k| ("CN-1", format!("C{k:02}"), format!("2024-12-{k:02}T20:00:00+08:00"))).collect();
    let ru_dets: Vec<(&str, String, String)> = (1..=34)
        .map(|k| ("RU-1", format!("R{k:02}"), format!("2025-01-{:02}T21:00:00+10:00", (k - 1) % 31 + 1)))
        .collect();
    let pairs: Vec<(String, String)> = (1..=19).map(|k| (format!("C{k:02}"), format!("R{k:02}"))).collect();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut files = package("cn", "CN", "+08:00", &[("CN-1", 43.0, 130.3)], &cn_dets);
    files.extend(package("ru", "RU", "+10:00", &[("RU-1", 43.1, 130.9)], &ru_dets));
    files.push(links(&pairs));
    let a = run(files);
    let s = &a.crossborder.summary;
    assert_eq!(s.unique_individuals, 45);
    assert_eq!(s.transboundary_individuals, 19);
    assert_eq!(s.national_counts, BTreeMap::from([("CN".to_string(), 30), ("RU".to_string(), 34)]));
    assert_eq!(s.sum_of_national_counts, 64);
    let p = s.overcount_percent.unwrap();
    assert!((p - PERCENT).abs() < 1e-9, "{p}");
    assert_eq!(a.crossborder.individuals.len(), 45);
    assert_eq!(individual(&a, "CN:C07+RU:R07").national_ids.len(), 2);
    assert_eq!(individual(&a, "RU:R34").detections, BTreeMap::from([("CN".to_string(), 0), ("RU".to_string(), 1)]));
    // The formula itself, and no individuals -> no percentage.
    assert!((overcount_percent(64, 45).unwrap() - PERCENT).abs() < 1e-9);
    assert_eq!(overcount_percent(0, 0), None);
}

#[test]
fn shipped_demo_gives_the_same_numbers() {
    let a = run(support::demo_files());
    let s = &a.crossborder.summary;
    // Distinct non-empty individualID values: 30 in cn/observations.csv and 34 in
    // ru/observations.csv (python3 csv: len({r['individualID'] for r in rows if r['individualID']})),
    // 19 rows in links.csv, each linking a different pair.
    assert_eq!(s.national_counts, BTreeMap::from([("CN".to_string(), 30), ("RU".to_string(), 34)]));
    assert_eq!(s.sum_of_national_counts, 64);
    assert_eq!(s.unique_individuals, 45);
    assert_eq!(s.transboundary_individuals, 19);
    assert!((s.overcount_percent.unwrap() - PERCENT).abs() < 1e-9);
    assert!(a.conflicts.is_empty());
    assert!(a.simulated);
    // Rows with an individualID: 81 in China, 96 in Russia (python3 csv count).
    let total = |c: &str| a.crossborder.individuals.iter().map(|i| i.detections[c]).sum::<usize>();
    assert_eq!((total("CN"), total("RU")), (81, 96));
    // Crossings, counted in python by sorting each animal's detections (RU IDs mapped through
    // links.csv) by datetime.fromisoformat(eventStart), i.e. by instant, and counting changes of
    // country: 58 in all, 7 at most, 19 animals with any. Sorting by the local clock text
    // instead would give 59.
    let crossings: Vec<usize> = a.crossborder.individuals.iter().map(|i| i.crossings).collect();
    assert_eq!(crossings.iter().sum::<usize>(), 58);
    assert_eq!(crossings.iter().max(), Some(&7));
    assert_eq!(crossings.iter().filter(|&&c| c > 0).count(), 19);
    // CN-T01 (linked to RU-T12): 4 detections, first 2024-11-04T16:02:31+08:00, last
    // 2025-01-28T03:01:45+08:00, 2 crossings (same python run).
    let t01 = individual(&a, "CN:CN-T01+RU:RU-T12");
    assert_eq!(t01.detections.values().sum::<usize>(), 4);
    assert_eq!(
        (t01.first_seen.as_str(), t01.last_seen.as_str()),
        ("2024-11-04T16:02:31+08:00", "2025-01-28T03:01:45+08:00")
    );
    assert_eq!(t01.crossings, 2);
    assert!(a.crossborder.individuals.iter().all(|i| i.max_distance_from_border_km.is_some()));
}

#[test]
fn crossings_follow_instants_not_local_clock_times() {
    // One tiger, CN:T1 = RU:A1. By local clock: CN 08:00, CN 09:00, RU 10:30 (one change).
    // By instant: CN 00:00Z, RU 00:30Z, CN 01:00Z (two changes).
    let cn = package(
        "cn",
        "CN",
        "+08:00",
        &[("CN-1", 43.0, 130.3)],
        &[
            ("CN-1", "T1".into(), "2025-01-01T09:00:00+08:00".into()),
            ("CN-1", "T1".into(), "2025-01-01T08:00:00+08:00".into()),
        ],
    );
    let ru = package(
        "ru",
        "RU",
        "+10:00",
        &[("RU-1", 43.1, 130.9)],
        &[("RU-1", "A1".into(), "2025-01-01T10:30:00+10:00".into())],
    );
    let mut files = cn;
    files.extend(ru);
    files.push(links(&[("T1", "A1")]));
    let a = run(files);
    let t = individual(&a, "CN:T1+RU:A1");
    assert_eq!(t.crossings, 2);
    // First and last by instant, each in the offset it was recorded with.
    assert_eq!(t.first_seen, "2025-01-01T08:00:00+08:00");
    assert_eq!(t.last_seen, "2025-01-01T09:00:00+08:00");
    let order: Vec<(usize, &str)> = a.crossborder.detections.iter().map(|d| (d.catalog, d.time.as_str())).collect();
    assert_eq!(
        order,
        [(0, "2025-01-01T08:00:00+08:00"), (1, "2025-01-01T10:30:00+10:00"), (0, "2025-01-01T09:00:00+08:00")]
    );
}

#[test]
fn max_distance_from_a_meridian_border_is_geodesic() {
    // Border: the meridian 130.5 E from 42 N to 44 N (a geodesic). Expected distances are
    // WGS84 geodesics to the closest point of the meridian, from pyproj 3.7.2 with a
    // golden-section search over the foot latitude:
    //   python3 -c "from pyproj import Geod; g=Geod(ellps='WGS84')
    //   def d(lat,lon):
    //     f=lambda p: g.inv(lon,lat,130.5,p)[2]; lo,hi=42.0,44.0; r=(5**.5-1)/2
    //     for _ in range(200):
    //       a=hi-r*(hi-lo); b=lo+r*(hi-lo); (hi:=b) if f(a)<f(b) else (lo:=a)
    //     return f((lo+hi)/2)
    //   print([round(d(*p),4) for p in [(43.0,130.3),(43.2,130.1),(43.1,130.9),(42.9,131.2)]])"
    //   -> [16308.1781, 32510.2757, 32563.3197, 57170.4954] metres
    let cn_st = [("CN-1", 43.0, 130.3), ("CN-2", 43.2, 130.1)];
    let ru_st = [("RU-1", 43.1, 130.9), ("RU-2", 42.9, 131.2)];
    let want_m = [16_308.178_1, 32_510.275_7, 32_563.319_7, 57_170.495_4];
    let t = |h: u32, o: &str| format!("2025-02-01T{h:02}:00:00{o}");
    let cn = package(
        "cn",
        "CN",
        "+08:00",
        &cn_st,
        &[
            ("CN-1", "T1".into(), t(1, "+08:00")),
            ("CN-2", "T1".into(), t(2, "+08:00")),
            ("CN-1", "T2".into(), t(3, "+08:00")),
        ],
    );
    let ru = package(
        "ru",
        "RU",
        "+10:00",
        &ru_st,
        &[("RU-1", "A1".into(), t(9, "+10:00")), ("RU-2", "A3".into(), t(9, "+10:00"))],
    );
    let mut files = cn;
    files.extend(ru);
    files.push(links(&[("T1", "A1")]));
    files.push(InputFile::new(
        "border.geojson",
        r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[130.5,42.0],[130.5,44.0]]}}"#,
    ));
    let a = run(files);
    let km = |m: f64| m / 1000.0;
    // Station distances (1 m tolerance).
    let got: Vec<f64> = a.crossborder.station_distance_km.iter().flatten().map(|d| d.unwrap()).collect();
    assert_eq!(got.len(), 4);
    for (g, w) in got.iter().zip(want_m) {
        assert!((g - km(w)).abs() < 0.001, "{g} km vs {w} m");
    }
    // T1 = A1 seen at CN-1, CN-2 and RU-1: the farthest is RU-1.
    let d = |id: &str| individual(&a, id).max_distance_from_border_km.unwrap();
    assert!((d("CN:T1+RU:A1") - km(32_563.319_7)).abs() < 0.001);
    assert!((d("CN:T2") - km(16_308.178_1)).abs() < 0.001);
    assert!((d("RU:A3") - km(57_170.495_4)).abs() < 0.001);
    // Without a border there is no distance.
    let mut files = package("cn", "CN", "+08:00", &cn_st, &[("CN-1", "T1".into(), t(1, "+08:00"))]);
    files.extend(package("ru", "RU", "+10:00", &ru_st, &[("RU-1", "A1".into(), t(9, "+10:00"))]));
    let a = run(files);
    assert!(a.crossborder.individuals.iter().all(|i| i.max_distance_from_border_km.is_none()));
}
