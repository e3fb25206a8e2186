//! camtrapR 3.0.3 example tables (shared/reference/camtrapR-example): the station table
//! `camtraps.csv` (dd/mm/yyyy dates, UTM coordinates, a malfunction period at station C) with
//! the individual record table `recordTableIndividualSample.csv`.
//!
//! The camtrapR sample data are from Sabah, Borneo: UTM zone 50N, local time UTC+08:00.
//! Expected numbers were counted from the CSV files independently (commands in comments).

mod support;
use support::Shared;

use borderless::io::camtrapr::{read_tables, CamtraprOptions};
use borderless::io::{InputFile, Severity};
use borderless::model::ProjectedCrs;
use borderless::pipeline::{analyze_files, Analysis, AnalysisOptions};
use chrono::FixedOffset;

const DIR: Shared = Shared("reference/camtrapR-example");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{DIR}/{name}: {e}"))
}

fn stations() -> InputFile {
    InputFile::new("borneo/camtraps.csv", read("camtraps.csv"))
}

fn records() -> InputFile {
    InputFile::new("borneo/recordTableIndividualSample.csv", read("recordTableIndividualSample.csv"))
}

fn opts<'a>(crs: Option<&'a str>, date_format: Option<&'a str>) -> CamtraprOptions<'a> {
    // The CRS is parsed by the spatial layer; a leaked zone lives as long as the test.
    let crs = crs.map(|c| &*Box::leak(Box::new(borderless::spatial::Utm::parse(c).unwrap())) as &dyn ProjectedCrs);
    CamtraprOptions {
        name: "borneo",
        crs,
        utc_offset: Some(FixedOffset::east_opt(8 * 3600).unwrap()),
        date_format,
        datetime_format: None,
        species: None,
    }
}

fn analysis(files: Vec<InputFile>, crs: Option<&str>, date_format: Option<&str>) -> Analysis {
    let o = AnalysisOptions {
        crs: crs.map(str::to_string),
        utc_offset: Some("+08:00".into()),
        date_format: date_format.map(str::to_string),
        ..Default::default()
    };
    analyze_files(files, &o, &mut |_| {})
}

/// The reference record table with extra rows (17 fields like the others) appended.
fn records_with(extra: &[&str]) -> InputFile {
    let mut text = String::from_utf8(read("recordTableIndividualSample.csv")).unwrap();
    assert!(text.ends_with('\n'));
    for line in extra {
        assert_eq!(line.split(',').count(), 17, "{line}");
        text.push_str(line);
        text.push('\n');
    }
    InputFile::new("borneo/recordTableIndividualSample.csv", text)
}

#[test]
fn station_table_dates_utm_and_malfunction() {
    skip_without!(DIR);
    let (cat, reports) = read_tables(&stations(), &records(), &opts(Some("utm:50N"), None));
    let cat = cat.expect("usable with the CRS stated");
    let st = &reports[0];
    // 3 stations (camtraps.csv has 4 lines: header + StationA, StationB, StationC).
    assert_eq!((st.rows_read, st.rows_used, st.rows_rejected), (3, 3, 0), "{st:#?}");
    assert!(st.balanced());
    // 14/05/2009 only parses as day/month/year, so dd/mm/yyyy is detected.
    assert!(st.issues.iter().any(|i| i.message.contains("%d/%m/%Y")), "{:#?}", st.issues);
    let ids: Vec<&str> = cat.stations.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["StationA", "StationB", "StationC"]);
    // Positions: pyproj 3.7.2, `Transformer.from_crs("EPSG:32650", "EPSG:4326",
    // always_xy=True).transform(x, y)` on utm_x/utm_y of camtraps.csv gives
    // A (526000, 604000) -> 5.464365523 N, 117.234714330 E
    // B (523000, 606000) -> 5.482468354 N, 117.207638277 E
    // C (525000, 607050) -> 5.491960550 N, 117.225697258 E
    let want = [(5.464_365_523, 117.234_714_330), (5.482_468_354, 117.207_638_277), (5.491_960_550, 117.225_697_258)];
    for (s, (lat, lon)) in cat.stations.iter().zip(want) {
        assert!(
            (s.position.lat - lat).abs() < 1e-8 && (s.position.lon - lon).abs() < 1e-8,
            "{}: {:?}",
            s.id,
            s.position
        );
    }
    // Setup/retrieval are whole days in local time (+08:00): StationA 02/04/2009 .. 14/05/2009.
    let a = &cat.stations[0];
    assert_eq!(a.start.to_rfc3339(), "2009-04-02T00:00:00+08:00");
    assert_eq!(a.end.to_rfc3339(), "2009-05-14T23:59:59+08:00");
    assert!(a.problems.is_empty());
    // StationC: Problem1_from 12/05/2009, Problem1_to 17/05/2009 (camtraps.csv row 4).
    let c = &cat.stations[2];
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].0.to_rfc3339(), "2009-05-12T00:00:00+08:00");
    assert_eq!(c.problems[0].1.to_rfc3339(), "2009-05-17T23:59:59+08:00");
    // Effort of C: 04/04..17/05 inclusive is 44 days, minus 12/05..17/05 inclusive, 6 days = 38
    // (python: (date(2009,5,17)-date(2009,4,4)).days + 1 - ((date(2009,5,17)-date(2009,5,12)).days + 1)).
    assert!((c.active_days() - 38.0).abs() < 1e-9, "{}", c.active_days());
    // A: 02/04..14/05 inclusive = 43 days (less the last second of the last day).
    assert!((a.active_days() - 43.0).abs() < 1e-4, "{}", a.active_days());
}

#[test]
fn records_duplicates_counted_once_with_warnings() {
    skip_without!(DIR);
    let (cat, reports) = read_tables(&stations(), &records(), &opts(Some("utm:50N"), None));
    let cat = cat.unwrap();
    let rec = &reports[1];
    // 21 records (`python3 -c "import csv; print(sum(1 for _ in csv.DictReader(open(
    // 'recordTableIndividualSample.csv'))))"` -> 21).
    assert_eq!(rec.rows_read, 21);
    // Duplicates of (Station, Individual, DateTimeOriginal), counted with
    //   python3 -c "import csv; s={}
    //   for i,r in enumerate(csv.DictReader(open('recordTableIndividualSample.csv'))):
    //     k=(r['Station'],r['Individual'],r['DateTimeOriginal']); print(i+2,s[k]) if k in s else s.setdefault(k,i+2)"
    // -> row 14 repeats row 13 (StationB, 3, 2009-04-25 04:33:00), row 16 repeats 15 and row 18
    //    repeats 17 (StationC, 1, 2009-04-06 03:00:00 and 2009-04-14 23:30:00): 18 unique.
    assert_eq!(rec.rows_used, 18);
    assert_eq!(rec.rows_skipped, vec![("duplicate record (same station, individual and time)".to_string(), 3)]);
    assert_eq!(rec.rows_rejected, 0, "{:#?}", rec.issues);
    assert!(rec.balanced());
    let dups: Vec<(usize, &str)> = rec
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| (i.row.unwrap(), i.column.as_deref().unwrap()))
        .collect();
    assert_eq!(dups, [(14, "DateTimeOriginal"), (16, "DateTimeOriginal"), (18, "DateTimeOriginal")]);
    assert!(rec.issues.iter().any(|i| i.row == Some(14) && i.message.contains("row 13")));
    assert_eq!(cat.detections.len(), 18);
    // Three leopard cats, Individual 1, 2 and 3.
    assert_eq!(cat.individuals(), ["1", "2", "3"]);
    // Local times get the stated offset: row 2 is 2009-05-07 17:11:00 at StationA.
    let d = cat.detections.iter().find(|d| d.source_row == 2).unwrap();
    assert_eq!(d.time.to_rfc3339(), "2009-05-07T17:11:00+08:00");
}

#[test]
fn records_inside_the_malfunction_period_are_rejected() {
    skip_without!(DIR);
    // Rows 23-26 are added: StationC is broken 12/05/2009 00:00 .. 17/05/2009 23:59:59.
    let extra = [
        "StationC,LeopardCat,2,2009-05-11 23:59:00,2009-05-11,23:59:00,0,0,0,0,dir,x1.JPG,s,CUDDEBACK,G4,Leopard Cat,2", // row 23: before, kept
        "StationC,LeopardCat,2,2009-05-12 00:00:00,2009-05-12,00:00:00,0,0,0,0,dir,x2.JPG,s,CUDDEBACK,G4,Leopard Cat,2", // row 24: first instant
        "StationC,LeopardCat,3,2009-05-15 21:05:00,2009-05-15,21:05:00,0,0,0,0,dir,x3.JPG,s,CUDDEBACK,G4,Leopard Cat,3", // row 25: inside
        "StationC,LeopardCat,3,2009-05-17 22:00:00,2009-05-17,22:00:00,0,0,0,0,dir,x4.JPG,s,CUDDEBACK,G4,Leopard Cat,3", // row 26: last day
    ];
    let (cat, reports) = read_tables(&stations(), &records_with(&extra), &opts(Some("utm:50N"), None));
    let cat = cat.unwrap();
    let rec = &reports[1];
    // 21 + 4 rows read; 18 + 1 used; 3 duplicates skipped; 3 rejected.
    assert_eq!((rec.rows_read, rec.rows_used, rec.rows_rejected), (25, 19, 3), "{:#?}", rec.issues);
    assert!(rec.balanced());
    let rejected: Vec<(usize, &str)> = rec
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.row.unwrap(), i.column.as_deref().unwrap()))
        .collect();
    assert_eq!(rejected, [(24, "DateTimeOriginal"), (25, "DateTimeOriginal"), (26, "DateTimeOriginal")]);
    for i in rec.issues.iter().filter(|i| i.severity == Severity::Error) {
        assert!(i.message.contains("malfunction") && i.message.contains("StationC"), "{i}");
        assert_eq!(i.file, "borneo/recordTableIndividualSample.csv");
    }
    assert!(cat.detections.iter().any(|d| d.source_row == 23));
}

#[test]
fn whole_pipeline_with_crs_and_offset() {
    skip_without!(DIR);
    let a = analysis(vec![stations(), records()], Some("utm:50N"), None);
    assert!(a.failed_files().is_empty(), "{:#?}", a.reports);
    for r in &a.reports {
        assert!(r.balanced(), "{r:#?}");
    }
    assert_eq!(a.catalogs.len(), 1);
    let c = &a.catalogs[0];
    assert_eq!(c.name, "borneo");
    assert_eq!((c.individuals, c.detections), (3, 18));
    // Detections per station after removing duplicates: A 4, B 8 (9 rows, one duplicate),
    // C 6 (8 rows, two duplicates) — `tail -n +2 recordTableIndividualSample.csv | cut -d, -f1 |
    // sort | uniq -c` gives 4 StationA, 9 StationB, 8 StationC rows.
    let per: Vec<usize> = c.stations.iter().map(|s| s.detections).collect();
    assert_eq!(per, [4, 8, 6]);
    assert_eq!(a.crossborder.summary.unique_individuals, 3);
    assert_eq!(a.crossborder.summary.transboundary_individuals, 0);
}

#[test]
fn projected_coordinates_without_crs_ask_for_it() {
    skip_without!(DIR);
    let a = analysis(vec![stations(), records()], None, None);
    let st = a.reports.iter().find(|r| r.file == "borneo/camtraps.csv").unwrap();
    assert!(st.failed());
    let e = st.issues.iter().find(|i| i.severity == Severity::Error).unwrap();
    assert!(e.message.contains("CRS") && e.message.contains("utm:50N"), "{e}");
    assert_eq!(e.column.as_deref(), Some("utm_x"));
    // The record table is not silently dropped: it is reported as not read.
    let rec = a.reports.iter().find(|r| r.file == "borneo/recordTableIndividualSample.csv" && r.failed());
    assert!(rec.is_some(), "{:#?}", a.reports);
    assert!(a.catalogs.is_empty());
}

#[test]
fn ambiguous_dates_ask_for_the_format() {
    skip_without!(DIR);
    // Every day <= 12: 02/04/2009 fits both dd/mm/yyyy and mm/dd/yyyy.
    let table = "Station,utm_y,utm_x,Setup_date,Retrieval_date\n\
                 StationA,604000,526000,02/04/2009,11/05/2009\n\
                 StationB,606000,523000,03/04/2009,12/05/2009\n";
    let st = InputFile::new("borneo/camtraps.csv", table);
    let (cat, reports) = read_tables(&st, &records(), &opts(Some("utm:50N"), None));
    assert!(cat.is_none());
    assert!(reports[0].failed());
    let e = reports[0].issues.iter().find(|i| i.severity == Severity::Error).unwrap();
    assert!(e.message.contains("dmy") && e.message.contains("mdy") && e.message.contains("state"), "{e}");
    // Stating it resolves the ambiguity: 02/04/2009 is 2 April.
    let (cat, reports) = read_tables(&st, &records(), &opts(Some("utm:50N"), Some("dmy")));
    let cat = cat.unwrap();
    assert!(reports[0].balanced() && !reports[0].failed());
    assert_eq!(cat.stations[0].start.to_rfc3339(), "2009-04-02T00:00:00+08:00");
    // Without StationC, its 8 records (uniq -c above) are rejected, not silently dropped.
    let rec = &reports[1];
    assert!(rec.balanced());
    assert_eq!(rec.issues.iter().filter(|i| i.message.contains("'StationC' is not in the station table")).count(), 8);
}

#[test]
fn both_coordinates_bad_rejects_the_row_once() {
    skip_without!(DIR);
    let table = "Station,utm_y,utm_x,Setup_date,Retrieval_date\n\
                 StationA,north,east,02/04/2009,14/05/2009\n\
                 StationB,606000,523000,03/04/2009,16/05/2009\n";
    let st = InputFile::new("borneo/camtraps.csv", table);
    let (cat, reports) = read_tables(&st, &records(), &opts(Some("utm:50N"), None));
    let r = &reports[0];
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 1, 1), "{r:#?}");
    assert!(r.balanced());
    assert_eq!(cat.unwrap().stations.len(), 1);
}
