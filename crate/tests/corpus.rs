//! The project's own corpus (issue 10): one small real-world-shaped file per format
//! (tests/formats), written by this test in every encoding partners' Excel saves (UTF-8 with BOM,
//! UTF-16LE, Windows-1251, GBK, EUC-KR), every dialect (`;`, tab, `|`, CRLF, a quoted line
//! break), with an unterminated quote, a required column missing and a wrong value in a cell —
//! each with its expected outcome: accepted with these counts and these names intact, or refused
//! at this spreadsheet row (header = row 1) and column with this message.
//!
//! tests/encodings.rs covers the camtrapR pair through the CLI and the pipeline, and
//! tests/camtrapdp_versions.rs the Camtrap DP versions' semantics; this table covers every format
//! reader under every encoding and dialect, and the row numbers after quoted line breaks.
//! All-zero history rows, letter-coded sex columns and zip size limits are left to their own
//! tests (being changed elsewhere).

mod formats;

use borderless::io::{FileReport, InputFile, IoError, Severity};
use encoding_rs::Encoding;
use formats::Cells;
use std::collections::BTreeSet;

/// What a reader made of a file: rows used, the names it kept, its errors.
#[derive(Debug, Default)]
struct Got {
    used: usize,
    names: BTreeSet<String>,
    /// (code, row, column, English message).
    errors: Vec<(String, Option<usize>, Option<String>, String)>,
}

impl Got {
    fn from_reports(reports: &[FileReport], file: &str) -> Got {
        let mut g = Got::default();
        for r in reports.iter().filter(|r| r.file == file) {
            assert!(r.balanced(), "{r:#?}");
            g.used = r.rows_used;
            for i in r.issues.iter().filter(|i| i.severity == Severity::Error) {
                g.errors.push((i.code.clone(), i.row, i.column.clone(), i.message.clone()));
            }
        }
        g
    }

    fn error(e: IoError) -> Got {
        Got { errors: vec![(e.message.code.clone(), e.row, e.column.clone(), e.message.to_string())], ..Got::default() }
    }
}

/// How a file is written.
#[derive(Debug, Clone, Copy)]
struct Dialect {
    delimiter: char,
    eol: &'static str,
    encoding: &'static Encoding,
    /// Whether a byte-order mark starts the file (UTF-8 and UTF-16 only).
    bom: bool,
}

const PLAIN: Dialect = Dialect { delimiter: ',', eol: "\n", encoding: encoding_rs::UTF_8, bom: false };

impl Dialect {
    fn with(self, delimiter: char, eol: &'static str) -> Dialect {
        Dialect { delimiter, eol, ..self }
    }

    fn bytes(self, cells: &Cells) -> Vec<u8> {
        let text = formats::write(cells, self.delimiter, self.eol);
        if self.encoding == encoding_rs::UTF_16LE {
            let mut out = vec![0xFF, 0xFE];
            text.encode_utf16().for_each(|u| out.extend(u.to_le_bytes()));
            return out;
        }
        let (bytes, _, bad) = self.encoding.encode(&text);
        assert!(!bad, "{} cannot encode {text}", self.encoding.name());
        let bom: &[u8] = if self.bom { b"\xEF\xBB\xBF" } else { b"" };
        [bom, &bytes].concat()
    }
}

/// The encodings of the corpus: how Excel saves a CSV in each locale, and the prefix given to
/// the names so that each holds that script.
fn encodings() -> Vec<(&'static str, Dialect, &'static str)> {
    let d = |encoding, bom, delimiter, eol| Dialect { delimiter, eol, encoding, bom };
    vec![
        ("UTF-8 BOM (Excel 'CSV UTF-8')", d(encoding_rs::UTF_8, true, ',', "\r\n"), "Тигр-虎-범-"),
        ("UTF-16LE (Excel 'Unicode text')", d(encoding_rs::UTF_16LE, true, '\t', "\r\n"), "Тигр-虎-범-"),
        ("Windows-1251 (Russian Excel)", d(encoding_rs::WINDOWS_1251, false, ';', "\r\n"), "Тигрица-Лазовская-"),
        ("GBK (Chinese Excel)", d(encoding_rs::GBK, false, ',', "\r\n"), "东北虎-雌-"),
        ("EUC-KR (Korean Excel)", d(encoding_rs::EUC_KR, false, ',', "\r\n"), "호랑이-수컷-"),
    ]
}

/// The dialects of the corpus (UTF-8, no BOM).
fn dialects() -> Vec<(&'static str, Dialect)> {
    vec![
        ("semicolon", PLAIN.with(';', "\n")),
        ("tab", PLAIN.with('\t', "\n")),
        ("pipe", PLAIN.with('|', "\n")),
        ("CRLF", PLAIN.with(',', "\r\n")),
        ("semicolon CRLF", PLAIN.with(';', "\r\n")),
    ]
}

/// An expected refusal: the message code (or `text` for an untranslated one), row, column and
/// words of the English message.
#[derive(Debug, Clone, Copy)]
struct Refusal {
    code: &'static str,
    row: Option<usize>,
    column: Option<&'static str>,
    words: &'static [&'static str],
}

/// One format of the corpus.
struct Format {
    name: &'static str,
    cells: fn() -> Cells,
    read: fn(Vec<u8>) -> Got,
    /// Rows used when the file is read as written.
    used: usize,
    /// The column holding the names checked for intactness, and the names expected (before the
    /// script prefix).
    names: Option<(&'static str, &'static [&'static str])>,
    /// A free-text column where a quoted line break can go.
    text_column: Option<&'static str>,
    /// A required column, and how its absence is refused.
    required: Option<(&'static str, Refusal)>,
    /// A cell (spreadsheet row, column) given a wrong value, how it is refused, and the rows used.
    wrong: (usize, &'static str, &'static str, Refusal, usize),
}

fn col(cells: &Cells, name: &str) -> usize {
    cells[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn names_in(got: &Got) -> Vec<String> {
    got.names.iter().cloned().collect()
}

fn check_refused(format: &str, case: &str, got: &Got, want: &Refusal) {
    let found = got.errors.iter().any(|(code, row, column, message)| {
        code == want.code
            && *row == want.row
            && column.as_deref() == want.column
            && want.words.iter().all(|w| message.contains(w))
    });
    assert!(found, "{format} / {case}: no error {want:?} among {:#?}", got.errors);
}

/// Runs every case of the corpus on `f`.
fn run(f: &Format) {
    let base = (f.cells)();
    // Accepted as written, and in every dialect.
    let mut cases: Vec<(String, Dialect, &str)> = vec![("plain".into(), PLAIN, "")];
    cases.extend(dialects().into_iter().map(|(n, d)| (n.to_string(), d, "")));
    cases.extend(encodings().into_iter().map(|(n, d, p)| (n.to_string(), d, p)));
    for (case, dialect, prefix) in &cases {
        let mut cells = base.clone();
        if let Some((c, _)) = f.names {
            let k = col(&cells, c);
            for row in cells.iter_mut().skip(1).filter(|r| !r[k].is_empty()) {
                row[k] = format!("{prefix}{}", row[k]);
            }
        }
        let got = (f.read)(dialect.bytes(&cells));
        assert!(got.errors.is_empty(), "{} / {case}: {:#?}", f.name, got.errors);
        assert_eq!(got.used, f.used, "{} / {case}: rows used", f.name);
        if let Some((_, names)) = f.names {
            let want: BTreeSet<String> = names.iter().map(|n| format!("{prefix}{n}")).collect();
            assert_eq!(names_in(&got), want.into_iter().collect::<Vec<_>>(), "{} / {case}: names", f.name);
        }
    }

    // A wrong value: refused at its row and column, in every dialect and encoding.
    let (row, column, value, refusal, used) = f.wrong;
    let mut wrong = base.clone();
    let c = col(&wrong, column);
    wrong[row - 1][c] = value.to_string();
    for (case, dialect) in
        std::iter::once(("plain", PLAIN)).chain(dialects()).chain(encodings().into_iter().map(|(n, d, _)| (n, d)))
    {
        let got = (f.read)(dialect.bytes(&wrong));
        check_refused(f.name, case, &got, &refusal);
        assert_eq!(got.used, used, "{} / wrong value / {case}: rows used", f.name);
    }

    // A quoted line break in row 2 stays in row 2, as a spreadsheet shows it: later records keep
    // their row numbers although they start one line further down the file.
    if let Some(text) = f.text_column {
        let mut cells = wrong.clone();
        let k = col(&cells, text);
        cells[1][k] = format!("{}\nsecond line", cells[1][k]);
        for (case, dialect) in [("quoted LF", PLAIN), ("quoted CRLF", PLAIN.with(';', "\r\n"))] {
            let got = (f.read)(dialect.bytes(&cells));
            check_refused(f.name, case, &got, &refusal);
        }
    }

    // An unterminated quote opening the last record: refused at that record's row.
    let last = base.len();
    let mut text = formats::write(&base, ',', "\r\n");
    let at = text.trim_end().rfind('\n').unwrap() + 1;
    text.insert(at, '"');
    let got = (f.read)(text.into_bytes());
    let want = Refusal { code: "io.csv.unterminated_quote", row: Some(last), column: None, words: &["never closed"] };
    check_unterminated(f.name, &got, &want);

    // A required column missing.
    if let Some((name, refusal)) = f.required {
        let mut cells = base.clone();
        let k = col(&cells, name);
        cells.iter_mut().for_each(|r| {
            r.remove(k);
        });
        let got = (f.read)(PLAIN.bytes(&cells));
        check_refused(f.name, "missing column", &got, &refusal);
    }
}

/// An unterminated quote is refused at its row: as a located error, or (camtrapR and Camtrap
/// DP, whose whole-file errors keep the location in the message only) with the row in the text.
fn check_unterminated(format: &str, got: &Got, want: &Refusal) {
    let row = want.row.unwrap();
    let found = got.errors.iter().any(|(code, r, _, message)| {
        (code == want.code && *r == Some(row))
            || (message.contains(&format!("row {row}")) && message.contains("never closed"))
    });
    assert!(found, "{format} / unterminated quote: not refused at row {row}: {:#?}", got.errors);
}

// ---------------------------------------------------------------------------------------------
// Readers

fn camtrapr_opts() -> borderless::io::camtrapr::CamtraprOptions<'static> {
    borderless::io::camtrapr::CamtraprOptions {
        name: "CN",
        crs: None,
        utc_offset: Some(chrono::FixedOffset::east_opt(8 * 3600).unwrap()),
        date_format: Some("dmy"),
        datetime_format: None,
        species: None,
    }
}

fn camtrapr(stations: Vec<u8>, records: Vec<u8>, which: &str) -> Got {
    let st = InputFile::new("st.csv", stations);
    let rec = InputFile::new("rec.csv", records);
    let (cat, reports) = borderless::io::camtrapr::read_tables(&st, &rec, &camtrapr_opts());
    let mut g = Got::from_reports(&reports, which);
    if let Some(c) = cat {
        g.names = c.detections.iter().map(|d| d.individual.clone()).collect();
    }
    g
}

fn camtrapdp(profile: &str, deployments: Vec<u8>, observations: Vec<u8>, which: &str) -> Got {
    let mut files = formats::camtrapdp_files("p/", &formats::camtrapdp_descriptor(profile), "", "");
    files[1].bytes = deployments;
    files[3].bytes = observations;
    let refs: Vec<&InputFile> = files.iter().collect();
    let opts = borderless::io::camtrapdp::PackageOptions { name: Some("CN"), species: None };
    let (cat, reports) = borderless::io::camtrapdp::read_package("p/", &refs, &opts);
    let mut g = Got::from_reports(&reports, &format!("p/{which}"));
    if let Some(c) = cat {
        g.names = c.detections.iter().map(|d| d.individual.clone()).collect();
    }
    g
}

fn csv_of(cells: fn() -> Cells) -> Vec<u8> {
    formats::csv(&cells()).into_bytes()
}

fn dp_observations(bytes: Vec<u8>) -> Got {
    camtrapdp(formats::PROFILE_1_0, csv_of(formats::camtrapdp_deployments), bytes, "observations.csv")
}

fn dp_rc_observations(bytes: Vec<u8>) -> Got {
    camtrapdp(formats::PROFILE_1_0_RC, csv_of(formats::camtrapdp_deployments), bytes, "observations.csv")
}

fn dp_deployments(bytes: Vec<u8>) -> Got {
    camtrapdp(formats::PROFILE_1_0, bytes, csv_of(formats::camtrapdp_observations), "deployments.csv")
}

fn dp_0_1_6_observations(bytes: Vec<u8>) -> Got {
    camtrapdp(formats::PROFILE_0_1_6, csv_of(formats::camtrapdp_0_1_6_deployments), bytes, "observations.csv")
}

fn links(bytes: Vec<u8>) -> Got {
    let mut report = FileReport::new("links.csv", "links");
    match borderless::io::links::read_links(&InputFile::new("links.csv", bytes), &mut report) {
        Ok(l) => Got {
            used: l.len(),
            names: l.iter().map(|l| l.a.id.clone()).collect(),
            errors: report
                .issues
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .map(|i| (i.code.clone(), i.row, i.column.clone(), i.message.clone()))
                .collect(),
        },
        Err(e) => Got::error(e),
    }
}

fn histories(bytes: Vec<u8>) -> Got {
    match borderless::io::histories::read_histories_csv("h.csv", &bytes) {
        Ok(h) => Got { used: h.animals(), ..Got::default() },
        Err(e) => Got::error(e),
    }
}

fn genotypes(bytes: Vec<u8>) -> Got {
    use borderless::identity::genotypes::{GenotypeOptions, GenotypeTable};
    let opts = GenotypeOptions { meta_columns: vec!["knownIndividual".into()], ..GenotypeOptions::default() };
    match GenotypeTable::from_bytes("g.csv", &bytes, &opts) {
        Ok(t) => Got { used: t.len(), names: t.ids.iter().cloned().collect(), ..Got::default() },
        Err(e) => Got::error(e),
    }
}

fn counts(bytes: Vec<u8>) -> Got {
    let sites = borderless::waterbirds::sites::read_sites(&InputFile::new("s.csv", csv_of(formats::waterbird_sites)))
        .unwrap()
        .0;
    let f = InputFile::new("c.csv", bytes);
    match borderless::waterbirds::counts::read_counts(&f, &sites, borderless::waterbirds::taxonomy::Taxonomy::get()) {
        Ok(t) => Got::from_reports(&[t.report], "c.csv"),
        Err(e) => Got::error(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The table

#[test]
fn camtrapr_records() {
    run(&Format {
        name: "camtrapR records",
        cells: formats::camtrapr_records,
        read: |b| camtrapr(csv_of(formats::camtrapr_stations), b, "rec.csv"),
        used: 4,
        names: Some(("Individual", &["T01", "T02"])),
        text_column: Some("Directory"),
        required: Some((
            "DateTimeOriginal",
            Refusal {
                code: "io.csv.missing_columns",
                row: Some(1),
                column: Some("DateTimeOriginal"),
                words: &["DateTimeOriginal"],
            },
        )),
        wrong: (
            3,
            "DateTimeOriginal",
            "20.05.2023 03:40",
            Refusal {
                code: "io.camtrapr.datetime_mismatch",
                row: Some(3),
                column: Some("DateTimeOriginal"),
                words: &["20.05.2023 03:40"],
            },
            3,
        ),
    });
}

#[test]
fn camtrapr_stations() {
    run(&Format {
        name: "camtrapR stations",
        cells: formats::camtrapr_stations,
        read: |b| camtrapr(b, csv_of(formats::camtrapr_records), "st.csv"),
        used: 3,
        names: None,
        text_column: None,
        required: Some((
            "Station",
            Refusal { code: "io.csv.missing_columns", row: Some(1), column: Some("Station"), words: &["Station"] },
        )),
        wrong: (
            3,
            "lat",
            "43,2",
            Refusal { code: "io.camtrapr.not_number", row: Some(3), column: Some("lat"), words: &["43,2"] },
            2,
        ),
    });
}

fn dp_observations_format(name: &'static str, read: fn(Vec<u8>) -> Got) -> Format {
    Format {
        name,
        cells: formats::camtrapdp_observations,
        read,
        used: 3,
        names: Some(("individualID", &["CN-T01", "CN-T02"])),
        text_column: Some("classificationMethod"),
        required: Some((
            "eventStart",
            Refusal {
                code: "io.csv.missing_columns",
                row: Some(1),
                column: Some("eventStart"),
                words: &["eventStart"],
            },
        )),
        wrong: (
            3,
            "eventStart",
            "05/12/2024 03:30",
            Refusal { code: "io.time.not_iso", row: Some(3), column: Some("eventStart"), words: &["05/12/2024 03:30"] },
            2,
        ),
    }
}

#[test]
fn camtrap_dp_1_0_observations() {
    run(&dp_observations_format("Camtrap DP 1.0 observations", dp_observations));
}

#[test]
fn camtrap_dp_1_0_rc_observations() {
    run(&dp_observations_format("Camtrap DP 1.0-rc observations", dp_rc_observations));
}

#[test]
fn camtrap_dp_1_0_deployments() {
    run(&Format {
        name: "Camtrap DP 1.0 deployments",
        cells: formats::camtrapdp_deployments,
        read: dp_deployments,
        used: 3,
        names: None,
        text_column: Some("locationName"),
        required: Some((
            "latitude",
            Refusal { code: "io.csv.missing_columns", row: Some(1), column: Some("latitude"), words: &["latitude"] },
        )),
        wrong: (
            3,
            "latitude",
            "N43.585",
            Refusal { code: "io.camtrapdp.not_number", row: Some(3), column: Some("latitude"), words: &["N43.585"] },
            2,
        ),
    });
}

#[test]
fn camtrap_dp_0_1_6_observations() {
    run(&Format {
        name: "Camtrap DP 0.1.6 observations",
        cells: formats::camtrapdp_0_1_6_observations,
        read: dp_0_1_6_observations,
        used: 3,
        names: Some(("individualID", &["T1", "T2"])),
        text_column: None,
        required: Some((
            "timestamp",
            Refusal {
                code: "io.csv.missing_columns",
                row: Some(1),
                column: Some("eventStart"),
                words: &["eventStart"],
            },
        )),
        wrong: (
            3,
            "timestamp",
            "yesterday",
            Refusal { code: "io.time.not_iso", row: Some(3), column: Some("eventStart"), words: &["yesterday"] },
            2,
        ),
    });
}

#[test]
fn links_table() {
    run(&Format {
        name: "links",
        cells: formats::links,
        read: links,
        used: 3,
        names: Some(("id_a", &["CN-T01", "CN-T02", "CN-T05"])),
        text_column: Some("note"),
        required: Some((
            "id_b",
            Refusal { code: "io.csv.missing_columns", row: Some(1), column: Some("id_b"), words: &["id_b"] },
        )),
        wrong: (
            3,
            "id_b",
            "",
            Refusal { code: "io.links.empty", row: Some(3), column: Some("id_b"), words: &["id_b is empty"] },
            2,
        ),
    });
}

#[test]
fn capture_histories() {
    run(&Format {
        name: "capture histories",
        cells: formats::histories,
        read: histories,
        used: 4,
        names: None,
        text_column: None,
        required: None,
        wrong: (
            3,
            "c4",
            "2",
            Refusal {
                code: "io.histories.not_binary",
                row: Some(3),
                column: Some("c4"),
                words: &["'2' is not 0 or 1"],
            },
            0,
        ),
    });
}

#[test]
fn genotypes_allelematch_layout() {
    run(&Format {
        name: "genotypes",
        cells: formats::genotypes,
        read: genotypes,
        used: 4,
        names: Some(("sampleId", &["S01", "S02", "S03", "S04"])),
        text_column: Some("knownIndividual"),
        required: None,
        wrong: (
            4,
            "LOC2a",
            "20b",
            Refusal {
                code: "identity.genotypes.not_a_number",
                row: Some(4),
                column: Some("LOC2a"),
                words: &["\"20b\""],
            },
            0,
        ),
    });
}

#[test]
fn waterbird_counts() {
    run(&Format {
        name: "waterbird counts",
        cells: formats::waterbird_counts,
        read: counts,
        used: 4,
        names: None,
        text_column: Some("observer"),
        required: Some((
            "count",
            Refusal { code: "waterbirds.columns.missing", row: Some(1), column: Some("count"), words: &["count"] },
        )),
        wrong: (
            3,
            "count",
            "many",
            Refusal { code: "waterbirds.count.not_number", row: Some(3), column: Some("count"), words: &["\"many\""] },
            3,
        ),
    });
}

// ---------------------------------------------------------------------------------------------
// secr text and GeoJSON: formats without a delimiter

/// secr's text traps and captures (`read.traps`/`read.capthist` layout): spaces or tabs, LF or
/// CRLF, comment lines; a wrong value is refused at its line.
#[test]
fn secr_text_traps_and_captures() {
    use borderless::io::secr_text::{read_captures, read_traps};
    for (case, sep, eol) in [("spaces LF", " ", "\n"), ("tabs CRLF", "\t", "\r\n"), ("padded CRLF", "   ", "\r\n")] {
        let text = |s: &str| s.replace(' ', sep).replace('\n', eol);
        let traps =
            read_traps("traps.txt", text(formats::SECR_TRAPS_TXT).as_bytes()).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(traps.ids(), ["A", "B", "C", "D"], "{case}");
        assert_eq!(traps.usage().unwrap()[2], vec![1.0, 0.0, 1.0], "{case}");
        let ch = read_captures("capt.txt", text(formats::SECR_CAPTURES_TXT).as_bytes(), &traps, None)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        // Animals 1, 2, 3; occasions up to 3 (the traps' usage has 3).
        assert_eq!((ch.n_animals(), ch.n_occasions()), (3, 3), "{case}");
        // Line 3 of the traps file (after the comment line) is B: its x is not a number.
        let bad = text(&formats::SECR_TRAPS_TXT.replace("B 300 0", "B 3OO 0"));
        let e = read_traps("traps.txt", bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("traps.txt") && e.contains("row 3") && e.contains("3OO"), "{case}: {e}");
        // Line 4 of the captures file names detector E, which the traps do not have.
        let bad = text(&formats::SECR_CAPTURES_TXT.replace("1 2 1 C", "1 2 1 E"));
        let e = read_captures("capt.txt", bad.as_bytes(), &traps, None).unwrap_err().to_string();
        assert!(e.contains("capt.txt") && e.contains("row 4") && e.contains("'E'"), "{case}: {e}");
    }
}

/// The GeoJSON border with a BOM, in UTF-16LE, pretty-printed with CRLF: one line of 7
/// vertices; cut short, it is refused as invalid JSON at the line where it stops.
#[test]
fn geojson_border_encodings() {
    use borderless::spatial::border::read_border;
    let compact = formats::border_geojson();
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&compact).unwrap())
        .unwrap()
        .replace('\n', "\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(compact.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let cases: [(&str, Vec<u8>); 4] = [
        ("plain", compact.clone().into_bytes()),
        ("UTF-8 BOM", [b"\xEF\xBB\xBF".as_slice(), compact.as_bytes()].concat()),
        ("UTF-16LE", utf16),
        ("pretty CRLF", pretty.clone().into_bytes()),
    ];
    for (case, bytes) in cases {
        let mut r = FileReport::new("b.geojson", "border");
        let b = read_border(&InputFile::new("b.geojson", bytes), &mut r).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(b.lines().0.len(), 1, "{case}");
        assert_eq!(b.lines().0[0].0.len(), 7, "{case}");
    }
    // Cut after the 10th line of the pretty-printed text.
    let cut: String = pretty.split_inclusive("\r\n").take(10).collect();
    let mut r = FileReport::new("b.geojson", "border");
    let e = read_border(&InputFile::new("b.geojson", cut), &mut r).unwrap_err();
    assert_eq!(e.file, "b.geojson");
    assert!(e.message.to_string().contains("not valid JSON"), "{e}");
    assert!(e.row.is_some_and(|row| row >= 10), "{e:?}");
}
