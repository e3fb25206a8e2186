//! Time precision (issue 10): readers keep how precisely each time was written; crossings are
//! the fewest changes of catalog consistent with tied times, whatever the order of the rows;
//! candidate time checks allow the uncertainty of coarse times.
#![cfg(not(target_arch = "wasm32"))] // proptest is a native dev-dependency

use borderless::identity::candidates::{CandidateOptions, EvidenceKind, Prepared};
use borderless::identity::crossings::{summarise, CrossBorder};
use borderless::identity::join::{join, same_instant_in_two_catalogs};
use borderless::io::camtrapdp::{read_package, PackageOptions};
use borderless::io::camtrapr::{read_tables, CamtraprOptions};
use borderless::io::{FileReport, InputFile, Issue};
use borderless::model::joint::{JointCatalog, Link, NationalId};
use borderless::model::lang::Lang;
use borderless::model::message::Param;
use borderless::model::{Catalog, Detection, LatLon, Station, TimePrecision};
use chrono::FixedOffset;
use proptest::prelude::*;

const STATIONS: &str = "Station,lat,lon,Setup_date,Retrieval_date\n\
    c1,43.0,131.0,2024-11-01,2024-12-31\n\
    c2,43.05,131.05,2024-11-01,2024-12-31\n";

fn camtrapr(name: &str, records: &str, fmt: Option<&str>) -> (Option<Catalog>, Vec<FileReport>) {
    let opts = CamtraprOptions {
        name,
        crs: None,
        utc_offset: Some(FixedOffset::east_opt(8 * 3600).unwrap()),
        date_format: None,
        datetime_format: fmt,
        species: None,
    };
    read_tables(&InputFile::new("stations.csv", STATIONS), &InputFile::new("records.csv", records.to_string()), &opts)
}

fn camtrapdp(name: &str, deployments: &str, observations: &str) -> (Option<Catalog>, Vec<FileReport>) {
    let descriptor = serde_json::json!({
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
        "name": "test-package",
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}
        ]
    })
    .to_string();
    let files = [
        InputFile::new("p/datapackage.json", descriptor),
        InputFile::new("p/deployments.csv", deployments.to_string()),
        InputFile::new("p/observations.csv", observations.to_string()),
    ];
    let refs: Vec<&InputFile> = files.iter().collect();
    read_package("p/", &refs, &PackageOptions { name: Some(name), species: None })
}

fn coarse_note(r: &FileReport) -> Vec<&Issue> {
    r.issues.iter().filter(|i| i.code == "io.time.coarse").collect()
}

fn times(c: &Catalog) -> Vec<(String, TimePrecision)> {
    c.detections.iter().map(|d| (d.time.to_rfc3339(), d.precision)).collect()
}

#[test]
fn camtrapr_keeps_the_precision_written() {
    use TimePrecision::*;
    let records = "Station,Species,Individual,DateTimeOriginal\n\
        c1,Panthera tigris,T1,2024-11-04\n\
        c1,Panthera tigris,T1,2024-11-04 16:05\n\
        c1,Panthera tigris,T1,2024-11-04 16:05:31\n\
        c2,Panthera tigris,T1,45600\n\
        c2,Panthera tigris,T1,2024-11-05T07:30:00\n";
    let (cat, reports) = camtrapr("CN", records, None);
    let cat = cat.unwrap();
    let rec = &reports[1];
    assert_eq!((rec.rows_read, rec.rows_used, rec.rows_rejected), (5, 5, 0), "{:#?}", rec.issues);
    // 45600 days after 1899-12-30 is 2024-11-04 (45658 is 2025-01-01, 58 days later).
    assert_eq!(
        times(&cat),
        [
            ("2024-11-04T00:00:00+08:00".to_string(), Day),
            ("2024-11-04T16:05:00+08:00".to_string(), Minute),
            ("2024-11-04T16:05:31+08:00".to_string(), Second),
            ("2024-11-04T00:00:00+08:00".to_string(), Day),
            ("2024-11-05T07:30:00+08:00".to_string(), Second),
        ]
    );
    let notes = coarse_note(rec);
    assert_eq!(notes.len(), 1, "{:#?}", rec.issues);
    assert_eq!(notes[0].params.get("day"), Some(&Param::Int(2)));
    assert_eq!(notes[0].params.get("minute"), Some(&Param::Int(1)));
    assert_eq!(
        notes[0].message,
        "times known only to the day: 2; only to the minute: 1 (as written); crossings and candidate checks allow for this"
    );

    // A stated format gives its own precision: without %S minutes, without %M days.
    let records = "Station,Individual,DateTimeOriginal\nc1,T1,04.11.2024 16:05\nc2,T1,05.11.2024 08:00\n";
    let (cat, _) = camtrapr("CN", records, Some("%d.%m.%Y %H:%M"));
    assert_eq!(times(&cat.unwrap()).iter().map(|t| t.1).collect::<Vec<_>>(), [Minute, Minute]);
    let (cat, _) = camtrapr("CN", "Station,Individual,DateTimeOriginal\nc1,T1,04.11.2024\n", Some("%d.%m.%Y"));
    assert_eq!(times(&cat.unwrap()), [("2024-11-04T00:00:00+08:00".to_string(), Day)]);

    // Second-precision files have no note.
    let (_, reports) = camtrapr("CN", "Station,Individual,DateTimeOriginal\nc1,T1,2024-11-04 16:05:31\n", None);
    assert!(coarse_note(&reports[1]).is_empty());
    // Nonsense is still rejected at its row.
    let (_, reports) = camtrapr("CN", "Station,Individual,DateTimeOriginal\nc1,T1,4th of November\n", None);
    assert_eq!((reports[1].rows_rejected, reports[1].issues[0].row), (1, Some(2)));
}

#[test]
fn camtrapdp_keeps_the_precision_written() {
    use TimePrecision::*;
    // d1 starts at 10:00 on 4 November: a record dated 4 November may lie after that, so it is kept.
    let dep = "deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n\
        d1,L1,43.1,131.1,2024-11-04T10:00:00+10:00,2024-12-31T00:00:00+10:00\n";
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-11-04,event,animal,Panthera tigris,A1\n\
        o2,d1,2024-11-04T16:05+10:00,event,animal,Panthera tigris,A1\n\
        o3,d1,2024-11-04T16:05:31+10:00,event,animal,Panthera tigris,A1\n\
        o4,d1,2024-11-05T06:05Z,event,animal,Panthera tigris,A1\n\
        o5,d1,2024-11-03,event,animal,Panthera tigris,A1\n";
    let (cat, reports) = camtrapdp("RU", dep, obs);
    let cat = cat.unwrap();
    let or = reports.iter().find(|r| r.file == "p/observations.csv").unwrap();
    assert_eq!((or.rows_read, or.rows_used, or.rows_rejected), (5, 4, 1), "{:#?}", or.issues);
    // A date alone takes its deployment's offset (+10:00).
    assert_eq!(
        times(&cat),
        [
            ("2024-11-04T00:00:00+10:00".to_string(), Day),
            ("2024-11-04T16:05:00+10:00".to_string(), Minute),
            ("2024-11-04T16:05:31+10:00".to_string(), Second),
            ("2024-11-05T06:05:00+00:00".to_string(), Minute),
        ]
    );
    // 3 November ends before the deployment starts.
    let rejected = or.issues.iter().find(|i| i.row == Some(6)).unwrap();
    assert!(rejected.message.contains("is outside deployment 'd1'"), "{rejected:?}");
    let notes = coarse_note(or);
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].params.get("day"), notes[0].params.get("minute")),
        (Some(&Param::Int(1)), Some(&Param::Int(2)))
    );
}

#[test]
fn analyses_saved_without_precision_load_as_seconds() {
    let json = r#"{"station":0,"individual":"T1","species":null,"sex":null,
        "time":"2024-11-04T16:05:31+08:00","source_row":2}"#;
    let d: Detection = serde_json::from_str(json).unwrap();
    assert_eq!(d.precision, TimePrecision::Second);
    let back = serde_json::to_value(&d).unwrap();
    assert_eq!(back["precision"], "second");
}

// ---------------------------------------------------------------------------------------------
// Crossings: the same animal, same-day records in two countries, rows in two orders.

const CN_RECORDS: [&str; 3] =
    ["c1,Panthera tigris,T1,2024-11-04", "c2,Panthera tigris,T1,2024-11-04", "c1,Panthera tigris,T1,2024-11-08"];
const RU_DEPLOYMENTS: &str = "deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n\
    r1,L1,43.1,131.4,2024-11-01T00:00:00+10:00,2024-12-31T00:00:00+10:00\n\
    r2,L2,43.15,131.45,2024-11-01T00:00:00+10:00,2024-12-31T00:00:00+10:00\n";
const RU_OBSERVATIONS: [&str; 3] = [
    "o1,r1,2024-11-04,event,animal,Panthera tigris,A1",
    "o2,r2,2024-11-04,event,animal,Panthera tigris,A1",
    "o3,r1,2024-11-06T12:00:00+10:00,event,animal,Panthera tigris,A1",
];

fn catalogs_in_order(reverse: bool) -> (Vec<Catalog>, JointCatalog) {
    let order = |rows: &[&str]| -> String {
        let mut v: Vec<&str> = rows.to_vec();
        if reverse {
            v.reverse();
        }
        v.join("\n") + "\n"
    };
    let cn = format!("Station,Species,Individual,DateTimeOriginal\n{}", order(&CN_RECORDS));
    let ru = format!(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n{}",
        order(&RU_OBSERVATIONS)
    );
    let cats = vec![camtrapr("CN", &cn, None).0.unwrap(), camtrapdp("RU", RU_DEPLOYMENTS, &ru).0.unwrap()];
    let links = [Link { row: 2, a: NationalId::new("CN", "T1"), b: NationalId::new("RU", "A1") }];
    let joint = join(&cats, &links, None);
    (cats, joint)
}

fn summary_in_order(reverse: bool) -> CrossBorder {
    let (cats, joint) = catalogs_in_order(reverse);
    summarise(&cats, &joint, None)
}

/// Every order of the detections that keeps 4 November before 6 November before 8 November:
/// the fewest and the most changes of country (enumerated here, independently of the crate).
fn enumerated_bounds() -> (usize, usize) {
    let day4 = ["CN", "CN", "RU", "RU"];
    let mut counts = Vec::new();
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    let idx = [a, b, c, d];
                    if (0..4).all(|i| idx.iter().filter(|&&x| x == i).count() == 1) {
                        let mut seq: Vec<&str> = idx.iter().map(|&i| day4[i]).collect();
                        seq.extend(["RU", "CN"]);
                        counts.push(seq.windows(2).filter(|w| w[0] != w[1]).count());
                    }
                }
            }
        }
    }
    (*counts.iter().min().unwrap(), *counts.iter().max().unwrap())
}

#[test]
fn crossings_do_not_depend_on_row_order() {
    let (lo, hi) = enumerated_bounds();
    // CN CN RU RU | RU | CN gives 2; RU CN RU CN | RU | CN gives 5.
    assert_eq!((lo, hi), (2, 5));
    let a = summary_in_order(false);
    let b = summary_in_order(true);
    assert_eq!(a, b, "the summary must not depend on the order of the rows");
    let t = &a.individuals[0];
    assert_eq!(t.national_ids.len(), 2);
    assert_eq!((t.crossings, t.max_crossings, t.ambiguous_crossings), (lo, Some(hi), true));
    // First and last seen as written: dates alone. The earliest interval is Russia's 4 November
    // (+10:00), which starts two hours before China's (+08:00).
    assert_eq!((t.first_seen.as_str(), t.last_seen.as_str()), ("2024-11-04", "2024-11-08"));
    // Each joint detection keeps its precision; the RU record of 6 November is to the second.
    let precisions: Vec<TimePrecision> = a.detections.iter().map(|d| d.precision).collect();
    use TimePrecision::*;
    assert_eq!(precisions, [Day, Day, Day, Day, Second, Day]);
    // Serialised: the added fields are there, the old ones unchanged.
    let v = serde_json::to_value(t).unwrap();
    assert_eq!((v["crossings"].as_u64(), v["max_crossings"].as_u64()), (Some(2), Some(5)));
    assert_eq!(v["ambiguous_crossings"], true);
    // Same-date records in two countries are not "the same instant" (that needs seconds).
    let (cats, joint) = catalogs_in_order(false);
    assert!(same_instant_in_two_catalogs(&cats, &joint).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Candidates: a true cross-border pair seen on the same date ~30 km apart.

fn station(id: &str, lat: f64, lon: f64) -> Station {
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    Station {
        id: id.into(),
        location_id: None,
        position: LatLon { lat, lon },
        start: t("2024-11-01T00:00:00+08:00"),
        end: t("2024-12-31T00:00:00+08:00"),
        problems: vec![],
    }
}

fn one(name: &str, st: Station, id: &str, time: &str, precision: TimePrecision) -> Catalog {
    Catalog {
        name: name.into(),
        title: None,
        source: name.into(),
        stations: vec![st],
        detections: vec![Detection {
            station: 0,
            individual: id.into(),
            species: None,
            sex: None,
            time: chrono::DateTime::parse_from_rfc3339(time).unwrap(),
            precision,
            source_row: 2,
        }],
        simulated: false,
    }
}

fn time_evidence(cats: &[Catalog]) -> (bool, borderless::identity::candidates::Evidence) {
    let p = Prepared::new(cats, None);
    let o = CandidateOptions { sigma_km: Some(10.0), max_pair_distance_km: Some(100.0), ..Default::default() };
    let list = p.candidates(&join(cats, &[], None), &[], &[], &o).unwrap();
    assert_eq!(list.candidates.len(), 1);
    let c = &list.candidates[0];
    (c.ruled_out, c.evidence.iter().find(|e| e.kind == EvidenceKind::Time).unwrap().clone())
}

fn geodesic_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    use geo::{Distance, Geodesic, Point};
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

#[test]
fn same_date_pair_30_km_apart_is_not_ruled_out() {
    use TimePrecision::*;
    let (cn, ru) = ((43.0, 131.0), (43.0, 131.37));
    let d = geodesic_km(cn, ru);
    assert!((d - 30.0).abs() < 0.5, "{d}");
    let pair = |ta: &str, pa, tb: &str, pb| {
        vec![one("CN", station("c1", cn.0, cn.1), "T1", ta, pa), one("RU", station("r1", ru.0, ru.1), "A1", tb, pb)]
    };
    // Dated 4 November only (China +08:00 on both sides here): up to 24 h apart, so 30 km needs
    // at least d / ((24 + 1 h tolerance) / 24) ≈ 28.9 km/day ≤ 50: feasible.
    let (out, ev) = time_evidence(&pair("2024-11-04T00:00:00+08:00", Day, "2024-11-04T00:00:00+08:00", Day));
    assert!(!out, "{ev:?}");
    assert_eq!(ev.message.code, "identity.evidence.time_feasible_coarse");
    let speed = match ev.message.params.get("speed") {
        Some(Param::Num(x)) => *x,
        other => panic!("{other:?}"),
    };
    assert!((speed - d * 24.0 / 25.0).abs() < 0.05 * d, "{speed} vs {}", d * 24.0 / 25.0);
    assert!(ev.text.contains("times known only to the day") && ev.text.contains("2024-11-04 and"), "{}", ev.text);
    assert!(ev.text.contains("at most 24.0 h apart"), "{}", ev.text);
    assert!(ev.message.text(Lang::Ru).contains("с точностью до дня"));
    // The same to the second, 5 minutes apart: d / ((5/60 + 1) / 24) ≈ 665 km/day > 50: ruled out.
    let (out, ev) = time_evidence(&pair("2024-11-04T16:05:00+08:00", Second, "2024-11-04T16:10:00+08:00", Second));
    assert!(out, "{ev:?}");
    assert_eq!(ev.message.code, "identity.evidence.time_ruled_out");
    assert!(d / ((5.0 / 60.0 + 1.0) / 24.0) > 50.0);
    // To the minute, the same minute: at most 1 min apart, still ruled out, and the sentence says so.
    let (out, ev) = time_evidence(&pair("2024-11-04T16:05:00+08:00", Minute, "2024-11-04T16:05:00+08:00", Minute));
    assert!(out, "{ev:?}");
    assert_eq!(ev.message.code, "identity.evidence.time_ruled_out_coarse");
    assert!(ev.text.contains("times known only to the minute") && ev.text.contains("2024-11-04T16:05+08:00"));
}

// ---------------------------------------------------------------------------------------------
// Permutation invariance.

/// Two catalogs, two linked individuals each side, detections from `(catalog, station,
/// individual, day, hour, precision)` in the order given.
fn catalogs_from(rows: &[(usize, usize, usize, i64, i64, u8)]) -> Vec<Catalog> {
    let base = chrono::DateTime::parse_from_rfc3339("2024-11-01T00:00:00+08:00").unwrap();
    (0..2)
        .map(|ci| Catalog {
            name: ["CN", "RU"][ci].into(),
            title: None,
            source: String::new(),
            stations: vec![station("s0", 43.0, 131.0 + ci as f64 * 0.3), station("s1", 43.1, 131.1 + ci as f64 * 0.3)],
            detections: rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.0 == ci)
                .map(|(k, &(_, st, ind, day, hour, p))| {
                    let precision = [TimePrecision::Day, TimePrecision::Minute, TimePrecision::Second][p as usize];
                    let hours = if precision == TimePrecision::Day { 24 * day } else { 24 * day + hour };
                    Detection {
                        station: st,
                        individual: format!("I{ind}"),
                        species: None,
                        sex: None,
                        time: base + chrono::Duration::hours(hours),
                        precision,
                        source_row: k + 2,
                    }
                })
                .collect(),
            simulated: false,
        })
        .collect()
}

fn summary_of(rows: &[(usize, usize, usize, i64, i64, u8)]) -> CrossBorder {
    let cats = catalogs_from(rows);
    let links: Vec<Link> = (0..2)
        .map(|i| Link {
            row: i + 2,
            a: NationalId::new("CN", &format!("I{i}")),
            b: NationalId::new("RU", &format!("I{i}")),
        })
        .collect();
    let joint = join(&cats, &links, None);
    summarise(&cats, &joint, None)
}

proptest! {
    /// The cross-border summary (crossings, their maximum and flag, first/last seen, the joint
    /// detections) is the same for any permutation of the input rows.
    #[test]
    fn summary_is_the_same_for_any_row_order(
        (rows, shuffled) in prop::collection::vec((0usize..2, 0usize..2, 0usize..2, 0i64..3, 0i64..3, 0u8..3), 1..12)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let a = summary_of(&rows);
        let b = summary_of(&shuffled);
        let strip = |c: &CrossBorder| c.individuals.iter()
            .map(|i| (i.id.clone(), i.detections.clone(), i.crossings, i.max_crossings, i.ambiguous_crossings, i.first_seen.clone(), i.last_seen.clone()))
            .collect::<Vec<_>>();
        prop_assert_eq!(strip(&a), strip(&b));
        let dets = |c: &CrossBorder| c.detections.iter()
            .map(|d| (d.individual, d.catalog, d.station, d.time.clone(), d.precision))
            .collect::<Vec<_>>();
        prop_assert_eq!(dets(&a), dets(&b));
        for i in &a.individuals {
            prop_assert!(i.crossings <= i.max_crossings.unwrap());
            prop_assert_eq!(i.ambiguous_crossings, i.crossings < i.max_crossings.unwrap());
        }
    }
}

/// A record known only to the day has no time of day: diel activity leaves it out (counted as
/// dropped) instead of placing it at midnight; minute precision is kept.
#[test]
fn date_only_records_are_left_out_of_diel_activity() {
    use borderless::model::SpeciesRecord;
    use borderless::render::charts::data::species_times;
    let cat = one("CN", station("c1", 43.0, 131.0), "T1", "2024-11-04T00:00:00+08:00", TimePrecision::Day);
    let rec = |time: &str, precision| SpeciesRecord {
        catalog: 0,
        station: 0,
        species: "Panthera tigris".into(),
        time: chrono::DateTime::parse_from_rfc3339(time).unwrap(),
        precision,
        individual: None,
    };
    let records = [
        rec("2024-11-04T00:00:00+08:00", TimePrecision::Day),
        rec("2024-11-04T06:00:00+08:00", TimePrecision::Minute),
        rec("2024-11-04T18:00:00+08:00", TimePrecision::Second),
    ];
    let (times, dropped) = species_times(&[cat], &records, "Panthera tigris", false);
    // Local clock time: 06:00 is π/2, 18:00 is 3π/2.
    assert_eq!(dropped, 1);
    assert_eq!(times.len(), 2);
    assert!((times[0] - std::f64::consts::FRAC_PI_2).abs() < 1e-9, "{times:?}");
    assert!((times[1] - 3.0 * std::f64::consts::FRAC_PI_2).abs() < 1e-9, "{times:?}");
}
