//! The page's per-file encoding override (`AnalysisOptions::encodings`, by the name a file's
//! report shows, including files inside a zip): it decides over detection, an entry naming no
//! file is a warning, an unknown label is that file's error. Files are written by the test.

use borderless::io::archive::write_zip;
use borderless::io::{InputFile, Severity};
use borderless::pipeline::{analyze_files, AnalysisOptions};

const STATIONS: &str = "Station,lat,lon,Setup_date,Retrieval_date\r\nЛазо-01,43.10,131.90,01/05/2023,30/06/2023\r\nЛазо-02,43.20,131.95,01/05/2023,30/06/2023\r\n";
const RECORDS: &str = "Station,Species,Individual,DateTimeOriginal\r\nЛазо-01,Panthera tigris,Тигрица Лазовская,2023-05-10 21:15:00\r\nЛазо-02,Panthera tigris,Тигрица Лазовская,2023-05-20 03:40:00\r\n";

fn koi8(text: &str) -> Vec<u8> {
    encoding_rs::KOI8_R.encode(text).0.into_owned()
}

/// camtrapR tables in KOI8-R, zipped as `p.zip` (entries `p/stations.csv`, `p/records.csv`).
fn files() -> Vec<InputFile> {
    let (st, rec) = (koi8(STATIONS), koi8(RECORDS));
    vec![InputFile::new("p.zip", write_zip(&[("stations.csv", st.as_slice()), ("records.csv", rec.as_slice())]))]
}

fn options(encodings: &[(&str, &str)]) -> AnalysisOptions {
    AnalysisOptions {
        utc_offset: Some("+10:00".into()),
        date_format: Some("dmy".into()),
        encodings: encodings.iter().map(|(f, l)| (f.to_string(), l.to_string())).collect(),
        ..Default::default()
    }
}

#[test]
fn an_override_for_a_file_inside_a_zip_decides_over_the_guess() {
    // Detected: chardetng names KOI8-R "KOI8-U" and warns with a sample.
    let a = analyze_files(files(), &options(&[]), &mut |_| {});
    let r = a.reports.iter().find(|r| r.file == "p/stations.csv").expect("stations report");
    assert_eq!(r.encoding, "KOI8-U");
    assert!(r.issues.iter().any(|i| i.code == "io.encoding.guessed"), "{:?}", r.issues);

    let a = analyze_files(files(), &options(&[("p/stations.csv", "koi8-r"), ("p/records.csv", "koi8-r")]), &mut |_| {});
    for name in ["p/stations.csv", "p/records.csv"] {
        let r = a.reports.iter().find(|r| r.file == name).expect("report");
        assert_eq!(r.encoding, "KOI8-R", "{name}");
        assert!(r.issues.iter().all(|i| i.code != "io.encoding.guessed"), "{name}: {:?}", r.issues);
    }
    assert_eq!(a.catalogs[0].stations[0].id, "Лазо-01");
    assert_eq!(a.joint[0].national_ids.values().collect::<Vec<_>>(), ["Тигрица Лазовская"]);
}

#[test]
fn an_override_naming_no_file_is_a_warning_and_an_unknown_label_an_error() {
    let a = analyze_files(files(), &options(&[("p/stations.cvs", "koi8-r")]), &mut |_| {});
    let r = a.reports.iter().find(|r| r.file == "p/stations.cvs").expect("a report for the unmatched entry");
    let w = &r.issues[0];
    assert_eq!((w.code.as_str(), w.severity), ("pipeline.encoding.unmatched", Severity::Warning));
    assert!(w.message.contains("p/stations.cvs"), "{}", w.message);
    // The files themselves are still read (detected).
    assert_eq!(a.catalogs.len(), 1);

    let a = analyze_files(files(), &options(&[("p/records.csv", "klingon")]), &mut |_| {});
    let r = a.reports.iter().find(|r| r.file == "p/records.csv").expect("records report");
    let e = r.issues.iter().find(|i| i.severity == Severity::Error).expect("an error");
    assert_eq!(e.code, "io.encoding.unknown_label");
    assert!(e.message.contains("klingon"), "{}", e.message);
}
