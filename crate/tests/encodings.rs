//! Partners' own files: camtrapR tables saved by Excel in their locale's encoding (Windows-1251,
//! KOI8-R, GBK, GB18030, Big5, EUC-KR, Shift_JIS, UTF-16 and UTF-8 with BOM), with semicolons or
//! tabs, CRLF line ends, quoted line breaks and an unterminated quote; a BOM'd datapackage.json.
//! Every file is written by the test itself; expected names are the ones written.

use borderless::io::camtrapr::{read_tables, CamtraprOptions};
use borderless::io::{FileReport, InputFile, Severity};
use borderless::pipeline::{analyze_files, AnalysisOptions};
use encoding_rs::Encoding;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_borderless");

/// A station table and a record table (text), with the station and individual names used.
struct Survey {
    stations: String,
    records: String,
    station: &'static str,
    individual: &'static str,
}

fn survey(station: &'static str, other: &'static str, individual: &'static str, d: char, eol: &str) -> Survey {
    let stations = [
        format!("Station{d}lat{d}lon{d}Setup_date{d}Retrieval_date"),
        format!("{station}{d}43.10{d}131.90{d}01/05/2023{d}30/06/2023"),
        format!("{other}{d}43.20{d}131.95{d}01/05/2023{d}30/06/2023"),
    ]
    .join(eol)
        + eol;
    let records = [
        format!("Station{d}Species{d}Individual{d}DateTimeOriginal"),
        format!("{station}{d}Panthera tigris{d}{individual}{d}2023-05-10 21:15:00"),
        format!("{other}{d}Panthera tigris{d}{individual}{d}2023-05-20 03:40:00"),
    ]
    .join(eol)
        + eol;
    Survey { stations, records, station, individual }
}

fn russian() -> Survey {
    survey("Уссурийский-01", "Земля леопарда-02", "Тигрица Лазовская", ',', "\r\n")
}

fn chinese() -> Survey {
    survey("珲春-01", "汪清-02", "东北虎-雌-07", ',', "\r\n")
}

fn korean() -> Survey {
    survey("두만강-01", "백두산-02", "호랑이-수컷-03", ',', "\r\n")
}

fn encode(text: &str, enc: &'static Encoding) -> Vec<u8> {
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let mut out = if enc == encoding_rs::UTF_16LE { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            out.extend(if enc == encoding_rs::UTF_16LE { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        return out;
    }
    if enc == encoding_rs::UTF_8 {
        return [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    }
    let (bytes, _, bad) = enc.encode(text);
    assert!(!bad, "{} cannot encode {text}", enc.name());
    bytes.into_owned()
}

fn read(s: &Survey, enc: &'static Encoding) -> (Option<borderless::model::Catalog>, Vec<FileReport>) {
    let st = InputFile::new("p/stations.csv", encode(&s.stations, enc));
    let rec = InputFile::new("p/records.csv", encode(&s.records, enc));
    read_tables(&st, &rec, &opts())
}

fn opts() -> CamtraprOptions<'static> {
    CamtraprOptions {
        name: "p",
        crs: None,
        utc_offset: Some(chrono::FixedOffset::east_opt(10 * 3600).unwrap()),
        date_format: Some("dmy"),
        datetime_format: None,
        species: None,
    }
}

fn assert_intact(s: &Survey, enc: &'static Encoding, want_encoding: &[&str]) {
    let (cat, reports) = read(s, enc);
    let cat = cat.unwrap_or_else(|| panic!("{}: {:#?}", enc.name(), reports));
    assert_eq!(cat.stations[0].id, s.station, "{}", enc.name());
    assert_eq!(cat.detections.len(), 2, "{}", enc.name());
    assert!(cat.detections.iter().all(|d| d.individual == s.individual), "{}", enc.name());
    for r in &reports {
        assert!(want_encoding.contains(&r.encoding.as_str()), "{}: reported {}", enc.name(), r.encoding);
        assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 2, 0), "{}", enc.name());
        let guessed = r.issues.iter().any(|i| i.code == "io.encoding.guessed");
        let bom_or_utf8 = r.encoding.starts_with("UTF-");
        assert_eq!(guessed, !bom_or_utf8, "{}: {:?}", enc.name(), r.issues);
    }
}

#[test]
fn russian_tables_in_windows_1251_and_koi8_r() {
    assert_intact(&russian(), encoding_rs::WINDOWS_1251, &["windows-1251"]);
    assert_intact(&russian(), encoding_rs::KOI8_R, &["KOI8-R", "KOI8-U"]);
    let (_, reports) = read(&russian(), encoding_rs::WINDOWS_1251);
    let w = reports[0].issues.iter().find(|i| i.code == "io.encoding.guessed").unwrap();
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("Уссурийский-01,43.10,131.90"), "{}", w.message);
}

#[test]
fn chinese_korean_and_japanese_tables() {
    assert_intact(&chinese(), encoding_rs::GBK, &["GBK", "gb18030"]);
    assert_intact(&chinese(), encoding_rs::GB18030, &["GBK", "gb18030"]);
    let big5 = survey("琿春-01", "汪清-02", "東北虎-雌-07", ',', "\r\n");
    assert_intact(&big5, encoding_rs::BIG5, &["Big5"]);
    assert_intact(&korean(), encoding_rs::EUC_KR, &["EUC-KR"]);
    let ja = survey("知床-01", "阿寒-02", "ヒグマ-オス-04", ',', "\r\n");
    assert_intact(&ja, encoding_rs::SHIFT_JIS, &["Shift_JIS"]);
}

#[test]
fn utf16_and_utf8_with_a_bom() {
    assert_intact(&korean(), encoding_rs::UTF_16LE, &["UTF-16LE"]);
    assert_intact(&russian(), encoding_rs::UTF_16BE, &["UTF-16BE"]);
    assert_intact(&chinese(), encoding_rs::UTF_8, &["UTF-8"]);
}

#[test]
fn semicolon_and_tab_separated_tables_are_read_and_noted() {
    for (d, shown) in [(';', "';'"), ('\t', "TAB")] {
        let s = survey("Уссурийский-01", "Земля леопарда-02", "Тигрица Лазовская", d, "\r\n");
        let (cat, reports) = read(&s, encoding_rs::WINDOWS_1251);
        assert_eq!(cat.unwrap().detections.len(), 2);
        let note = reports[1].issues.iter().find(|i| i.code == "io.csv.delimiter").unwrap();
        assert_eq!(note.to_string(), format!("p/records.csv: note: fields are separated by {shown}, not commas"));
    }
}

#[test]
fn an_override_decides_and_an_unknown_label_is_refused() {
    let s = russian();
    let st =
        InputFile::new("p/stations.csv", encode(&s.stations, encoding_rs::KOI8_R)).with_encoding("koi8-r").unwrap();
    let rec = InputFile::new("p/records.csv", encode(&s.records, encoding_rs::KOI8_R)).with_encoding("koi8-r").unwrap();
    let (cat, reports) = read_tables(&st, &rec, &opts());
    assert_eq!(cat.unwrap().stations[0].id, "Уссурийский-01");
    assert_eq!(reports[0].encoding, "KOI8-R");
    assert!(reports[0].issues.is_empty(), "{:?}", reports[0].issues);
    let e = InputFile::new("p/stations.csv", Vec::new()).with_encoding("cp-nope").unwrap_err();
    assert_eq!(e.message.code, "io.encoding.unknown_label");
    assert!(e.to_string().starts_with("p/stations.csv: unknown text encoding 'cp-nope'"), "{e}");
}

#[test]
fn rejected_rows_are_numbered_as_a_spreadsheet_shows_them() {
    // CRLF, a quoted station note over two lines (row 3), then a bad date on row 5.
    let stations = "Station,lat,lon,Setup_date,Retrieval_date,Note\r\n\
        S1,43.1,131.9,01/05/2023,30/06/2023,plain\r\n\
        S2,43.2,131.8,01/05/2023,30/06/2023,\"two\r\nlines\"\r\n\
        S3,43.3,131.7,01/05/2023,30/06/2023,x\r\n\
        S4,43.4,131.6,not a date,30/06/2023,x\r\n";
    let records = "Station,Species,Individual,DateTimeOriginal\r\nS1,Panthera tigris,T1,2023-05-10 21:15:00\r\n";
    let (_, reports) = read_tables(
        &InputFile::new("p/stations.csv", stations.as_bytes()),
        &InputFile::new("p/records.csv", records.as_bytes()),
        &opts(),
    );
    let rows: Vec<Option<usize>> =
        reports[0].issues.iter().filter(|i| i.severity == Severity::Error).map(|i| i.row).collect();
    assert_eq!(rows, [Some(5)], "{:#?}", reports[0].issues);
}

#[test]
fn an_unterminated_quote_fails_the_file_at_its_row() {
    let s = russian();
    let records = format!("{}Уссурийский-01,Panthera tigris,\"Тигрица,2023-05-21 03:40:00\r\n", s.records);
    let (cat, reports) = read_tables(
        &InputFile::new("p/stations.csv", encode(&s.stations, encoding_rs::WINDOWS_1251)),
        &InputFile::new("p/records.csv", encode(&records, encoding_rs::WINDOWS_1251)),
        &opts(),
    );
    assert!(cat.is_none());
    let e = reports[1].issues.iter().find(|i| i.severity == Severity::Error).unwrap();
    // The file fails at the quote's row, kept as the issue's row (FileReport::fail), not repeated
    // in the message.
    assert_eq!(
        (e.file.as_str(), e.row, e.code.as_str()),
        ("p/records.csv", Some(4), "io.csv.unterminated_quote"),
        "{e}"
    );
    assert!(e.message.contains("a quoted field opened on this row is never closed"), "{e}");
    assert!(
        e.to_string().contains("p/records.csv, row 4: error: a quoted field opened on this row is never closed"),
        "{e}"
    );
}

#[test]
fn a_bom_in_datapackage_json_is_not_a_json_error() {
    let dp = "\u{feff}{\"name\":\"x\",\"profile\":\"https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json\",\"resources\":[]}";
    let files = vec![InputFile::new("cn/datapackage.json", dp.as_bytes())];
    let a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    let r = a.reports.iter().find(|r| r.file == "cn/datapackage.json").unwrap();
    assert!(r.issues.iter().all(|i| !i.message.contains("not valid JSON")), "{:#?}", r.issues);
    assert_eq!(r.encoding, "UTF-8");
}

/// The pipeline the page's worker calls: names intact, encodings in the reports.
#[test]
fn russian_chinese_and_korean_round_trip_through_the_pipeline() {
    for (s, enc) in
        [(russian(), encoding_rs::WINDOWS_1251), (chinese(), encoding_rs::GBK), (korean(), encoding_rs::EUC_KR)]
    {
        let files = vec![
            InputFile::new("p/stations.csv", encode(&s.stations, enc)),
            InputFile::new("p/records.csv", encode(&s.records, enc)),
        ];
        let o = AnalysisOptions {
            utc_offset: Some("+10:00".into()),
            date_format: Some("dmy".into()),
            ..Default::default()
        };
        let a = analyze_files(files, &o, &mut |_| {});
        assert_eq!(a.catalogs[0].stations[0].id, s.station, "{}", enc.name());
        assert_eq!(a.joint[0].national_ids.values().collect::<Vec<_>>(), [s.individual], "{}", enc.name());
        assert!(a.reports.iter().all(|r| r.encoding == enc.name()), "{:?}", a.reports);
    }
}

/// The CLI: `crossborder --camtrapr` with and without `--encoding`.
#[test]
fn russian_chinese_and_korean_round_trip_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("borderless-encodings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (s, enc, label)) in [
        (russian(), encoding_rs::WINDOWS_1251, None),
        (russian(), encoding_rs::KOI8_R, Some("koi8-r")),
        (chinese(), encoding_rs::GBK, None),
        (korean(), encoding_rs::EUC_KR, Some("euc-kr")),
    ]
    .into_iter()
    .enumerate()
    {
        let (st, rec) = (dir.join(format!("st{i}.csv")), dir.join(format!("rec{i}.csv")));
        std::fs::write(&st, encode(&s.stations, enc)).unwrap();
        std::fs::write(&rec, encode(&s.records, enc)).unwrap();
        let mut args = vec![
            "crossborder".to_string(),
            "--camtrapr".into(),
            format!("P={},{}", st.display(), rec.display()),
            "--utc-offset".into(),
            "+10:00".into(),
            "--date-format".into(),
            "dmy".into(),
            "--json".into(),
        ];
        if let Some(l) = label {
            args.extend(["--encoding".into(), format!("{}={l}", st.display())]);
            args.extend(["--encoding".into(), format!("{}={l}", rec.display())]);
        }
        let out = Command::new(BIN).args(&args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", enc.name());
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["individuals"][0]["id"], format!("P:{}", s.individual), "{}", enc.name());
        let want = if enc == encoding_rs::KOI8_R && label.is_none() { "KOI8-U" } else { enc.name() };
        assert!(v.to_string().contains(&format!("\"encoding\":\"{want}\"")), "{}: {stdout}", enc.name());
        assert_eq!(label.is_none(), stderr.contains("warning: the file is neither UTF-8"), "{}: {stderr}", enc.name());
    }
    let out = Command::new(BIN)
        .args(["crossborder", "--camtrapr", "P=a.csv,b.csv", "--encoding", "a.csv=klingon"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown text encoding 'klingon'"));
    std::fs::remove_dir_all(&dir).unwrap();
}
