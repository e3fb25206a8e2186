//! Big and hostile files: a Camtrap DP `observations.csv` read row by row (the same rows,
//! row numbers and counts as a whole-table read, with progress), and zip archives that would
//! expand past their limits — an entry too large, an archive too large in sum, a bomb by its
//! compression ratio, a size header that lies — refused with a message naming the entry,
//! without allocating what the headers claim. Every archive is written here.

use borderless::io::archive::{expand_zip, expand_zip_within, write_zip, ZipLimits};
use borderless::io::camtrapdp::{read_package_with_progress, PackageOptions};
use borderless::io::table::Table;
use borderless::io::{FileReport, InputFile, IoError};
use borderless::pipeline::{load_files, AnalysisOptions};

const MIB: usize = 1 << 20;

fn limits(entry: u64, total: u64, ratio: u64, above: u64) -> ZipLimits {
    ZipLimits { max_entry_bytes: entry, max_total_bytes: total, max_ratio: ratio, ratio_above_bytes: above }
}

fn zip_file(name: &str, entries: &[(&str, &[u8])]) -> InputFile {
    InputFile::new(name, write_zip(entries))
}

fn param(e: &IoError, key: &str) -> String {
    e.message.params[key].to_string().trim_matches('"').to_string()
}

/// Bytes that deflate hardly shrinks (a xorshift stream, fixed seed).
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// Overwrites the uncompressed size of every entry, in its local header (offset 22) and its
/// central directory record (offset 24), as a hostile archive would.
fn lie_about_size(zip: &mut [u8], size: u32) {
    for (sig, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let starts: Vec<usize> = zip.windows(4).enumerate().filter(|(_, w)| w == sig).map(|(i, _)| i).collect();
        for s in starts {
            zip[s + at..s + at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn an_entry_over_the_limit_is_refused_by_its_declared_size() {
    let data = noise(2 * MIB);
    let z = zip_file("big.zip", &[("pkg/observations.csv", &data)]);
    let e = expand_zip_within(&z, &limits(MIB as u64, 8 * MIB as u64, 1000, 16 * MIB as u64)).unwrap_err();
    assert_eq!(e.message.code, "io.zip.too_large");
    assert_eq!(param(&e, "entry"), "pkg/observations.csv");
    assert_eq!(param(&e, "size"), "2.0 MiB");
    assert_eq!(param(&e, "limit"), "1.0 MiB");
    assert_eq!(e.file, "big.zip");
    assert_eq!(
        e.to_string(),
        "big.zip, column 'pkg/observations.csv': zip entry 'pkg/observations.csv' is 2.0 MiB uncompressed, \
         over the limit of 1.0 MiB per entry; the archive is not expanded"
    );
    // Within the limits the same archive expands whole.
    let files = expand_zip(&z).unwrap();
    assert_eq!(files[0].name, "big/pkg/observations.csv");
    assert_eq!(files[0].bytes, data);
}

#[test]
fn an_archive_over_its_total_is_refused_at_the_entry_that_passes_it() {
    let a = noise(600 * 1024);
    let z = zip_file("two.zip", &[("a.csv", &a), ("b.csv", &a)]);
    let e = expand_zip_within(&z, &limits(MIB as u64, MIB as u64, 1000, 16 * MIB as u64)).unwrap_err();
    assert_eq!(e.message.code, "io.zip.total_too_large");
    assert_eq!(param(&e, "entry"), "b.csv");
    // 2 × 600 KiB = 1200 KiB = 1.17 MiB.
    assert_eq!(param(&e, "size"), "1.2 MiB");
}

#[test]
fn a_bomb_is_refused_by_its_compression_ratio() {
    let zeros = vec![0u8; 8 * MIB];
    let z = zip_file("bomb.zip", &[("observations.csv", &zeros)]);
    let e = expand_zip_within(&z, &limits(u64::MAX, u64::MAX, 100, MIB as u64)).unwrap_err();
    assert_eq!(e.message.code, "io.zip.bomb");
    assert_eq!(param(&e, "size"), "8.0 MiB");
    // Deflate shrinks zeros about 1000-fold (its limit is 1032:1).
    let ratio: u64 = param(&e, "ratio").parse().unwrap();
    assert!((500..=1032).contains(&ratio), "{ratio}");
    // Below ratio_above_bytes the ratio is not looked at.
    assert_eq!(expand_zip_within(&z, &limits(u64::MAX, u64::MAX, 100, 16 * MIB as u64)).unwrap()[0].bytes, zeros);
}

#[test]
fn a_header_that_understates_the_size_cannot_get_past_the_cap() {
    let zeros = vec![0u8; 8 * MIB];
    let mut bytes = write_zip(&[("observations.csv", &zeros)]);
    lie_about_size(&mut bytes, 1000);
    let z = InputFile::new("liar.zip", bytes);
    let e = expand_zip_within(&z, &limits(u64::MAX, u64::MAX, 100, MIB as u64)).unwrap_err();
    assert_eq!(e.message.code, "io.zip.lying_size");
    assert_eq!(param(&e, "declared"), "1000 bytes");
    // The cap is the larger of 100 × the compressed size (≈ 8 KiB) and 1 MiB.
    assert_eq!(param(&e, "limit"), "1.0 MiB");
}

#[test]
fn a_header_that_claims_three_gib_is_refused_without_allocating_it() {
    let mut bytes = write_zip(&[("observations.csv", b"observationID\n1\n")]);
    lie_about_size(&mut bytes, 3 << 30);
    let z = InputFile::new("claims.zip", bytes);
    let e = expand_zip(&z).unwrap_err();
    assert_eq!(e.message.code, "io.zip.too_large");
    assert_eq!(param(&e, "size"), "3.0 GiB");
    assert_eq!(param(&e, "limit"), "2.0 GiB");
}

#[test]
fn the_pipeline_reports_a_refused_zip_and_takes_its_limits_from_the_options() {
    let zeros = vec![0u8; 4 * MIB];
    let z = zip_file("bomb.zip", &[("cn/observations.csv", &zeros)]);
    let opts = AnalysisOptions { zip_limits: limits(u64::MAX, u64::MAX, 100, MIB as u64), ..Default::default() };
    let loaded = load_files(vec![z.clone()], &opts, &mut |_| {});
    let r = loaded.reports.iter().find(|r| r.file == "bomb.zip").expect("a report for the archive");
    assert!(r.failed());
    assert_eq!(r.issues[0].code, "io.zip.bomb");
    // The options' JSON names the limits only when they are not the defaults.
    let json = serde_json::to_value(&opts).unwrap();
    assert_eq!(json["zip_limits"]["max_ratio"], 100);
    assert!(serde_json::to_value(AnalysisOptions::default()).unwrap().get("zip_limits").is_none());
    let back: AnalysisOptions = serde_json::from_value(json).unwrap();
    assert_eq!(back.zip_limits, opts.zip_limits);
}

/// A package of `n` observations, every one of a known deployment: every third a tiger
/// identified as `T{k % 7}`, every third of the others blank, the rest roe deer; event-level,
/// CRLF line ends and a quoted comment with a line break on every 1000th row.
fn package(n: usize) -> Vec<InputFile> {
    let dp = serde_json::json!({
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json",
        "name": "big",
        "resources": [
            {"name": "deployments", "path": "deployments.csv"},
            {"name": "observations", "path": "observations.csv"}
        ]
    });
    let deployments = "deploymentID,latitude,longitude,deploymentStart,deploymentEnd\r\n\
                       D1,43.1,131.2,2023-01-01T00:00:00Z,2023-12-31T00:00:00Z\r\n";
    let mut obs = String::from(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID,observationComments\r\n",
    );
    for k in 0..n {
        let (kind, sci, ind) = match k % 3 {
            0 => ("animal", "Panthera tigris altaica", format!("T{}", k % 7)),
            1 if k % 9 == 1 => ("blank", "", String::new()),
            _ => ("animal", "Capreolus pygargus", String::new()),
        };
        let comment = if k % 1000 == 999 { "\"seen\r\nat dusk\"" } else { "" };
        obs.push_str(&format!(
            "o{k},D1,2023-03-{:02}T10:{:02}:00Z,event,{kind},{sci},{ind},{comment}\r\n",
            1 + k % 28,
            k % 60
        ));
    }
    vec![
        InputFile::new("big/datapackage.json", dp.to_string()),
        InputFile::new("big/deployments.csv", deployments),
        InputFile::new("big/observations.csv", obs),
    ]
}

#[test]
fn observations_are_streamed_with_progress_and_spreadsheet_row_numbers() {
    let n = 70_000;
    let files = package(n);
    let refs: Vec<&InputFile> = files.iter().collect();
    let mut fractions = Vec::new();
    let (cat, reports) =
        read_package_with_progress("big/", &refs, &PackageOptions::default(), &mut |f| fractions.push(f));
    let cat = cat.unwrap();
    let r = reports.iter().find(|r| r.file == "big/observations.csv").unwrap();
    // Tigers: k ≡ 0 (mod 3); blanks: k ≡ 1 (mod 9); roe deer: the rest, skipped as unidentified.
    let tigers = (0..n).filter(|k| k % 3 == 0).count();
    let blanks = (0..n).filter(|k| k % 9 == 1).count();
    assert_eq!(r.rows_read, n);
    assert_eq!(r.rows_used, tigers);
    assert_eq!(r.rows_rejected, 0);
    assert_eq!(r.rows_skipped.iter().map(|(_, c)| c).sum::<usize>(), n - tigers);
    assert!(r.rows_skipped.iter().any(|(why, c)| why.contains("'blank'") && *c == blanks));
    assert_eq!(cat.detections.len(), tigers);
    // Observation k is on spreadsheet row k + 2 (one row each, line breaks in quotes
    // included), whatever the CRLF line ends.
    for d in &cat.detections {
        let k: usize = d.source_row - 2;
        assert_eq!(k % 3, 0);
        assert_eq!(d.individual, format!("T{}", k % 7));
    }
    assert_eq!(cat.detections.last().unwrap().source_row, (n - 1) / 3 * 3 + 2);
    // One progress report per 65,536 rows, as a fraction of the text read.
    assert_eq!(fractions.len(), 1);
    let bytes = files[2].bytes.len() as f64;
    assert!(fractions[0] > 65_536.0 * 40.0 / bytes && fractions[0] < 1.0, "{fractions:?}");
}

#[test]
fn a_streamed_table_has_the_rows_of_a_whole_one() {
    let text = "\u{feff}id;note\r\n1;\"two\r\nlines\"\r\n2;x\r\n\r\n3;\"a \"\"b\"\"\nc\nd\"\r\n4;y\r\n";
    let mut whole_report = FileReport::new("t.csv", "t");
    let whole = Table::parse_text("t.csv", text, &mut whole_report).unwrap();
    let mut report = FileReport::new("t.csv", "t");
    let stream = Table::stream("t.csv", text, &mut report).unwrap();
    assert_eq!(stream.head.header, ["id", "note"]);
    assert_eq!(report.issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["io.csv.delimiter"]);
    let mut rows = Vec::new();
    stream
        .for_each_row(&mut |_| {}, |r| {
            rows.push((r.line, r.fields.clone()));
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    let want: Vec<(usize, Vec<String>)> = vec![
        (2, vec!["1".into(), "two\r\nlines".into()]),
        (3, vec!["2".into(), "x".into()]),
        (5, vec!["3".into(), "a \"b\"\nc\nd".into()]),
        (6, vec!["4".into(), "y".into()]),
    ];
    assert_eq!(rows, want);
    assert_eq!(whole.rows.iter().map(|r| (r.line, r.fields.clone())).collect::<Vec<_>>(), want);
    let e = Table::stream("q.csv", "a,b\n1,x\n2,\"open\n", &mut FileReport::new("q.csv", "t")).unwrap_err();
    assert_eq!((e.row, e.message.code.as_str()), (Some(3), "io.csv.unterminated_quote"));
}
