//! The Camtrap DP 1.0.2 example package (tdwg/camtrap-dp `example/`, in
//! shared/reference/camtrapdp-example): read, validated, offsets kept, every row accounted for.
//!
//! Every expected count below was counted independently from the CSV files with Python's csv
//! module, e.g. (run in shared/reference/camtrapdp-example):
//!
//! ```text
//! python3 -c "import csv,collections; r=list(csv.DictReader(open('observations.csv',newline='')));
//!   print(len(r), collections.Counter((x['observationLevel'],x['observationType']) for x in r),
//!   sum(1 for x in r if x['individualID']))"
//! -> 549 rows; media: 513 (animal 337, blank 112, human 33, vehicle 20, unknown 11);
//!    event: 36 (animal 29, blank 3, unknown 2, unclassified 1, vehicle 1); 0 with an individualID
//! ```

mod support;
use support::Shared;

use borderless::io::camtrapdp::{read_package, PackageOptions};
use borderless::io::{FileReport, InputFile, Severity};
use borderless::pipeline::{analyze_files, AnalysisOptions};

const DIR: Shared = Shared("reference/camtrapdp-example");
const PREFIX: &str = "camtrapdp-example/";

fn files() -> Vec<InputFile> {
    ["datapackage.json", "deployments.csv", "media.csv", "observations.csv"]
        .iter()
        .map(|f| {
            let bytes = std::fs::read(format!("{DIR}/{f}")).unwrap_or_else(|e| panic!("{DIR}/{f}: {e}"));
            InputFile::new(format!("{PREFIX}{f}"), bytes)
        })
        .collect()
}

fn report<'a>(reports: &'a [FileReport], file: &str) -> &'a FileReport {
    reports
        .iter()
        .find(|r| r.file == format!("{PREFIX}{file}"))
        .unwrap_or_else(|| panic!("no report for {file}: {reports:#?}"))
}

fn skipped(r: &FileReport, reason: &str) -> usize {
    r.rows_skipped.iter().filter(|(k, _)| k == reason).map(|(_, n)| n).sum()
}

/// Rewrites observations.csv with an individualID on every event-level animal observation, so
/// that the detections (and their timestamps) can be inspected.
fn with_individual_ids(files: &[InputFile]) -> Vec<InputFile> {
    files
        .iter()
        .map(|f| {
            if !f.name.ends_with("observations.csv") {
                return f.clone();
            }
            let mut rdr = csv::Reader::from_reader(&f.bytes[..]);
            let header = rdr.headers().unwrap().clone();
            let col = |n: &str| header.iter().position(|h| h == n).unwrap();
            let (c_level, c_type, c_ind, c_id) =
                (col("observationLevel"), col("observationType"), col("individualID"), col("observationID"));
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&header).unwrap();
            for rec in rdr.records() {
                let rec = rec.unwrap();
                let mut fields: Vec<String> = rec.iter().map(str::to_string).collect();
                if fields[c_level] == "event" && fields[c_type] == "animal" {
                    fields[c_ind] = format!("ind-{}", fields[c_id]);
                }
                w.write_record(&fields).unwrap();
            }
            InputFile::new(f.name.clone(), w.into_inner().unwrap())
        })
        .collect()
}

#[test]
fn deployments_are_read_and_keep_their_offsets() {
    skip_without!(DIR);
    let fs = files();
    let refs: Vec<&InputFile> = fs.iter().collect();
    let (cat, reports) = read_package(PREFIX, &refs, &PackageOptions::default());
    let cat = cat.expect("the example package is usable");
    // deployments.csv has 4 data rows (`python3 -c "import csv; print(sum(1 for _ in
    // csv.DictReader(open('deployments.csv'))))"` -> 4), all valid.
    let dep = report(&reports, "deployments.csv");
    assert_eq!((dep.rows_read, dep.rows_used, dep.rows_rejected), (4, 4, 0), "{dep:#?}");
    assert_eq!(cat.stations.len(), 4);
    // IDs, starts and ends as written in deployments.csv (columns deploymentID,
    // deploymentStart, deploymentEnd): the first three in summer time +02:00, the last +01:00.
    let expect = [
        ("00a2c20d", "2020-05-30T04:57:37+02:00", "2020-07-01T11:41:41+02:00", 7200),
        ("29b7d356", "2020-07-29T07:29:41+02:00", "2020-08-08T06:20:40+02:00", 7200),
        ("577b543a", "2020-06-19T23:00:00+02:00", "2020-06-29T01:33:22+02:00", 7200),
        ("62c200a9", "2021-03-27T21:38:18+01:00", "2021-04-18T22:25:00+01:00", 3600),
    ];
    for (s, (id, start, end, offset)) in cat.stations.iter().zip(expect) {
        assert_eq!(s.id, id);
        assert_eq!(s.start.offset().local_minus_utc(), offset, "{id} start offset");
        assert_eq!(s.end.offset().local_minus_utc(), offset, "{id} end offset");
        assert_eq!(s.start.to_rfc3339(), start);
        assert_eq!(s.end.to_rfc3339(), end);
    }
    // 62c200a9 at 50.699 N, 4.013 E (latitude/longitude columns).
    assert_eq!((cat.stations[3].position.lat, cat.stations[3].position.lon), (50.699, 4.013));
    for r in &reports {
        assert!(r.balanced(), "{r:#?}");
        assert!(!r.failed(), "{r:#?}");
    }
}

#[test]
fn observations_event_level_used_media_level_skipped() {
    skip_without!(DIR);
    let fs = files();
    let refs: Vec<&InputFile> = fs.iter().collect();
    let (cat, reports) = read_package(PREFIX, &refs, &PackageOptions::default());
    let cat = cat.unwrap();
    let obs = report(&reports, "observations.csv");
    // 549 data rows (python csv count above; `wc -l observations.csv` = 550 with the header).
    assert_eq!(obs.rows_read, 549);
    // 513 media-level rows, skipped because the package has event-level observations.
    assert_eq!(skipped(obs, "media-level observation (event-level observations are used)"), 513);
    // Event-level rows that are not animals: blank 3, unknown 2, unclassified 1, vehicle 1.
    assert_eq!(skipped(obs, "observationType is 'blank', not 'animal'"), 3);
    assert_eq!(skipped(obs, "observationType is 'unknown', not 'animal'"), 2);
    assert_eq!(skipped(obs, "observationType is 'unclassified', not 'animal'"), 1);
    assert_eq!(skipped(obs, "observationType is 'vehicle', not 'animal'"), 1);
    // The 29 event-level animal observations have no individualID (0 rows have one).
    assert_eq!(skipped(obs, "no individualID (not identified to individual)"), 29);
    assert_eq!(obs.rows_used, 0);
    assert_eq!(obs.rows_rejected, 0, "{:#?}", obs.issues);
    // 513 + 7 + 29 = 549: every row accounted for.
    assert!(obs.balanced());
    // No individuals, and a warning that says why.
    assert!(cat.detections.is_empty());
    assert!(cat.individuals().is_empty());
    assert!(
        obs.issues.iter().any(|i| i.severity == Severity::Warning
            && i.column.as_deref() == Some("individualID")
            && i.message.contains("individualID")),
        "{:#?}",
        obs.issues
    );
}

#[test]
fn observations_in_utc_keep_their_offset_and_are_compared_by_instant() {
    skip_without!(DIR);
    // With an individualID given to each event-level animal observation, all 29 are used.
    let fs = with_individual_ids(&files());
    let refs: Vec<&InputFile> = fs.iter().collect();
    let (cat, reports) = read_package(PREFIX, &refs, &PackageOptions::default());
    let cat = cat.unwrap();
    let obs = report(&reports, "observations.csv");
    assert_eq!(obs.rows_used, 29, "{:#?}", obs.issues);
    assert_eq!(obs.rows_rejected, 0, "{:#?}", obs.issues);
    assert!(obs.balanced());
    assert_eq!(cat.detections.len(), 29);
    // Every eventStart in observations.csv ends in Z (python: set(r['eventStart'][-1] ...) ==
    // {'Z'}), so every detection keeps offset +00:00.
    for d in &cat.detections {
        assert_eq!(d.time.offset().local_minus_utc(), 0, "{d:?}");
        assert!(d.time.to_rfc3339().ends_with("+00:00"));
    }
    // Row 2 (observation 705e6036) happened at 2020-05-30T02:57:37Z, which is the very instant
    // deployment 00a2c20d started (04:57:37+02:00): in by instant, though 02:57 < 04:57 locally.
    let first = cat.detections.iter().find(|d| d.source_row == 2).expect("row 2 is used");
    assert_eq!(first.time.to_rfc3339(), "2020-05-30T02:57:37+00:00");
    assert_eq!(first.time, cat.stations[first.station].start);
    assert_eq!(cat.stations[first.station].id, "00a2c20d");
}

#[test]
fn whole_pipeline_accepts_the_example_package() {
    skip_without!(DIR);
    let a = analyze_files(files(), &AnalysisOptions::default(), &mut |_| {});
    assert!(a.failed_files().is_empty(), "{:#?}", a.reports);
    for r in &a.reports {
        assert!(r.balanced(), "{r:#?}");
    }
    assert_eq!(a.catalogs.len(), 1);
    let c = &a.catalogs[0];
    // No catalog:/country: deployment group, so the name is project.acronym in
    // datapackage.json ("MICA").
    assert_eq!(c.name, "MICA");
    assert_eq!(c.stations.len(), 4);
    assert_eq!((c.individuals, c.detections), (0, 0));
    assert!(a.joint.is_empty());
    assert_eq!(a.crossborder.summary.unique_individuals, 0);
    assert_eq!(a.crossborder.summary.overcount_percent, None);
    assert!(!a.simulated);
}
