//! Every parser under generated input (issue 10, "Fuzzing"): cargo-fuzz needs a nightly
//! toolchain, so these are generator-based property tests. For each parser, (a) structure-aware
//! inputs — the format's own columns and values, plus wrong types, empty cells, huge numbers,
//! NaN/inf, unicode, very long cells, missing/extra/duplicated columns, BOMs, mixed line ends,
//! other delimiters, unterminated quotes — and (b) mutations of a small real-world-shaped file
//! (tests/formats: byte flips, truncation anywhere, inserted bytes/quotes/newlines, duplicated
//! and deleted chunks; zip members mutated then re-zipped). Each call must return (`Ok`, or an
//! error naming the file: no panic) and return soon: a call over [`SLOW`] fails as a hang, and
//! one not back within [`HANG`] fails without waiting further.
//!
//! The default run keeps the whole file under a minute in debug on two cores. `FUZZ_CASES=N`
//! sets the number of cases of every property (e.g. `FUZZ_CASES=20000 cargo test --release
//! --test fuzz_parsers`). Crashes found are kept as named tests at the end of this file.
#![cfg(not(target_arch = "wasm32"))] // proptest is a native dev-dependency

mod formats;

use borderless::io::{FileReport, InputFile, IoError};
use formats::Cells;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A call slower than this on a small input is a hang.
const SLOW: Duration = Duration::from_secs(2);
/// A call not back after this is abandoned (the test fails instead of hanging).
const HANG: Duration = Duration::from_secs(20);

/// Cases per property: `FUZZ_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig { cases: cases(default), max_shrink_iters: 4096, ..ProptestConfig::default() }
}

/// Runs `f` on its own thread, bounded in time; a panic in `f` is re-raised here.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    let handle = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let r = f();
            let _ = tx.send(());
            r
        })
        .expect("thread");
    match rx.recv_timeout(HANG) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer after {HANG:?} (hang)"),
    }
    let out = handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
    let took = start.elapsed();
    assert!(took < SLOW, "{what}: took {took:?} on a small input (hang)");
    out
}

/// An error located in one of `names`.
fn located(e: &IoError, names: &[&str]) {
    assert!(names.contains(&e.file.as_str()), "error names file '{}', not one of {names:?}: {e}", e.file);
    assert!(!e.message.to_string().is_empty(), "empty message: {e:?}");
}

/// Reports accounting for every row, their issues naming their own file.
fn accounted(reports: &[FileReport]) {
    for r in reports {
        assert!(r.balanced(), "rows not accounted for: {r:#?}");
        for i in &r.issues {
            assert_eq!(i.file, r.file, "{i:?}");
        }
    }
}

/// A non-empty message (errors whose type does not carry a file).
fn said(e: impl std::fmt::Display) {
    assert!(!e.to_string().trim().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Cell values that parsers trip on.
const WEIRD: &[&str] = &[
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "-0",
    "0",
    "-1",
    "99999999999999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "2147483648",
    "0x1F",
    "1,5",
    "1.5.5",
    "+",
    "-",
    ".",
    "e",
    "١٢٣",
    "１２３",
    "  ",
    "\t",
    "\"",
    "\"\"",
    "a\"b",
    "=1+2",
    "NA",
    "NULL",
    "null",
    "TRUE",
    "#N/A",
    "0000-00-00",
    "2023-02-30",
    "2023-13-01",
    "9999-12-31T23:59:59+14:00",
    "2024-01-01T00:00:00+25:00",
    "0001-01-01T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:00:00",
    "31/12/2023",
    "12/31/2023",
    "2023-05-10 25:61:61",
    "+99:99",
    "-12:00",
    "Z",
    "UTC",
    "90.0000001",
    "-180.1",
    "400",
    "Тигр",
    "东北虎",
    "호랑이",
    "Бар ☃",
    "\u{FEFF}x",
    "\u{0}",
    "\u{202E}rtl",
    "𝕋𝕚𝕘𝕖𝕣",
    "1\n2",
    "a\r\nb",
];

/// One cell: a value from the format's own `pool`, or one that trips parsers.
fn cell(pool: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(pool.clone()),
        1 => Just(String::new()),
        2 => select(WEIRD).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => (select(pool), 1..3000usize).prop_map(|(s, n)| if s.is_empty() { "x".repeat(n) } else { s.repeat(n.min(400)) }),
        1 => any::<f64>().prop_map(|f| f.to_string()),
        1 => any::<i64>().prop_map(|i| i.to_string()),
    ]
}

/// Headers to try: the format's own, each column dropped, one duplicated, an extra one, in upper
/// case, padded, reversed.
fn header_variants(header: &[String]) -> Vec<Vec<String>> {
    let mut out = vec![header.to_vec()];
    for i in 0..header.len() {
        let mut h = header.to_vec();
        h.remove(i);
        out.push(h);
        let mut h = header.to_vec();
        h.insert(i, header[i].clone());
        out.push(h);
    }
    out.push([header.to_vec(), vec!["extra".into()]].concat());
    out.push(header.iter().map(|h| h.to_uppercase()).collect());
    out.push(header.iter().map(|h| format!(" {h} ")).collect());
    out.push(header.iter().rev().cloned().collect());
    out.push(vec![String::new(); header.len()]);
    out
}

/// A rendered text table.
#[derive(Debug, Clone)]
struct Shape {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    delimiter: char,
    /// Line end per row (`\n`, `\r\n`, `\r`).
    eols: Vec<&'static str>,
    /// 0 none, 1 UTF-8 BOM, 2 UTF-16LE with BOM, 3 Windows-1251, 4 GBK.
    encoding: u8,
    /// Quote every cell.
    quote_all: bool,
    /// End with an unterminated quote.
    unterminated: bool,
    /// Insert blank lines.
    blanks: Vec<Index>,
}

impl Shape {
    fn render(&self) -> Vec<u8> {
        let mut lines = Vec::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let fields: Vec<String> = row
                .iter()
                .map(|c| {
                    if self.quote_all || c.contains(self.delimiter) || c.contains('"') || c.contains(['\n', '\r']) {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect();
            lines.push(fields.join(&self.delimiter.to_string()));
        }
        for b in &self.blanks {
            let at = b.index(lines.len() + 1);
            lines.insert(at, String::new());
        }
        let mut text = String::new();
        for (i, l) in lines.iter().enumerate() {
            text += l;
            text += self.eols[i % self.eols.len()];
        }
        if self.unterminated {
            text += "\"unterminated,1,2";
        }
        match self.encoding {
            1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            2 => {
                let mut out = vec![0xFF, 0xFE];
                text.encode_utf16().for_each(|u| out.extend(u.to_le_bytes()));
                out
            }
            3 => encoding_rs::WINDOWS_1251.encode(&text).0.into_owned(),
            4 => encoding_rs::GBK.encode(&text).0.into_owned(),
            _ => text.into_bytes(),
        }
    }
}

/// Structure-aware tables of the format of `fixture`: its header variants, rows that are the
/// fixture's own with cells replaced or rows of any cells, in any dialect and encoding.
fn table(fixture: Cells) -> impl Strategy<Value = Vec<u8>> {
    let header = fixture[0].clone();
    let data: Vec<Vec<String>> = fixture[1..].to_vec();
    let pool: Vec<String> = data.iter().flatten().cloned().chain(header.iter().cloned()).collect();
    let width = header.len();
    let edited =
        (select(data), prop::collection::vec((any::<Index>(), cell(pool.clone())), 0..4)).prop_map(|(mut r, edits)| {
            for (i, c) in edits {
                let k = i.index(r.len());
                r[k] = c;
            }
            r
        });
    let row = prop_oneof![3 => edited, 1 => prop::collection::vec(cell(pool), 0..width + 3)];
    (
        select(header_variants(&header)),
        prop::collection::vec(row, 0..8),
        select(vec![',', ',', ';', '\t', '|', ' ', ':']),
        prop::collection::vec(select(vec!["\n", "\r\n", "\r"]), 1..3),
        0u8..5,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.1),
        prop::collection::vec(any::<Index>(), 0..2),
    )
        .prop_map(|(header, rows, delimiter, eols, encoding, quote_all, unterminated, blanks)| {
            Shape { header, rows, delimiter, eols, encoding, quote_all, unterminated, blanks }.render()
        })
}

/// One edit of a file's bytes.
#[derive(Debug, Clone)]
enum Op {
    Flip(Index, u8),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, u16),
    Duplicate(Index, u16, Index),
}

const INSERTS: &[&[u8]] = &[
    b"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b",",
    b";",
    b"\t",
    b"|",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\xEF\xBB\xBF",
    b"\x00",
    b"\xFF\xFE",
    b"\xFF",
    b"\xC3",
    b"NaN",
    b"1e999",
    b"-",
    b"\\",
    b"\"\"",
    b",,,,",
    b"\n\n\n",
    b"PK\x03\x04",
];

fn op() -> impl Strategy<Value = Op> {
    let bytes = prop_oneof![select(INSERTS).prop_map(<[u8]>::to_vec), prop::collection::vec(any::<u8>(), 1..16)];
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Op::Flip(i, b)),
        1 => any::<Index>().prop_map(Op::Truncate),
        3 => (any::<Index>(), bytes).prop_map(|(i, b)| Op::Insert(i, b)),
        1 => (any::<Index>(), 1..64u16).prop_map(|(i, n)| Op::Delete(i, n)),
        1 => (any::<Index>(), 1..256u16, any::<Index>()).prop_map(|(i, n, j)| Op::Duplicate(i, n, j)),
    ]
}

fn apply(base: &[u8], ops: &[Op]) -> Vec<u8> {
    let mut b = base.to_vec();
    for op in ops {
        match op {
            Op::Flip(i, x) if !b.is_empty() => {
                let k = i.index(b.len());
                b[k] ^= x | 1;
            }
            Op::Truncate(i) => b.truncate(i.index(b.len() + 1)),
            Op::Insert(i, x) => {
                let k = i.index(b.len() + 1);
                b.splice(k..k, x.iter().copied());
            }
            Op::Delete(i, n) if !b.is_empty() => {
                let k = i.index(b.len());
                let end = (k + *n as usize).min(b.len());
                b.drain(k..end);
            }
            Op::Duplicate(i, n, j) if !b.is_empty() => {
                let k = i.index(b.len());
                let chunk = b[k..(k + *n as usize).min(b.len())].to_vec();
                let at = j.index(b.len() + 1);
                b.splice(at..at, chunk);
            }
            _ => {}
        }
    }
    b
}

/// Mutations of `base`.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(op(), 1..6).prop_map(move |ops| apply(&base, &ops))
}

/// The members of a zip (name, bytes), in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().to_string(), b)
        })
        .collect()
}

/// A zip with one member mutated (then re-zipped, so its checksum is right), or the zip's own
/// bytes mutated.
fn zip_mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let members = unzip(&base);
    let inner = (any::<Index>(), prop::collection::vec(op(), 1..6)).prop_map(move |(i, ops)| {
        let k = i.index(members.len());
        let files: Vec<(String, Vec<u8>)> = members
            .iter()
            .enumerate()
            .map(|(j, (n, b))| (n.clone(), if j == k { apply(b, &ops) } else { b.clone() }))
            .collect();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        borderless::io::archive::write_zip(&refs)
    });
    prop_oneof![3 => inner, 1 => mutated(base)]
}

/// A table's bytes, generated or mutated.
fn table_input(fixture: Cells) -> impl Strategy<Value = Vec<u8>> {
    let base = formats::csv(&fixture).into_bytes();
    prop_oneof![table(fixture), mutated(base)]
}

/// JSON keys the readers look for.
const KEYS: &[&str] = &[
    "type",
    "features",
    "geometry",
    "geometries",
    "coordinates",
    "properties",
    "name",
    "arcs",
    "objects",
    "transform",
    "scale",
    "translate",
    "resources",
    "path",
    "profile",
    "schema",
    "project",
    "title",
    "acronym",
    "iso_a2",
    "a",
    "b",
    "bbox",
    "x",
];

/// JSON strings the readers look for.
const WORDS: &[&str] = &[
    "FeatureCollection",
    "Feature",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "Point",
    "GeometryCollection",
    "Topology",
    "deployments",
    "observations",
    "media",
    "deployments.csv",
    "observations.csv",
    formats::PROFILE_1_0,
    formats::PROFILE_0_1_6,
    "CN",
    "RU",
    "",
    "../x.csv",
    "/etc/passwd",
];

/// Any JSON, with the readers' keys and words, numbers of any size and nesting.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let number = prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        (-200.0..200.0f64).prop_map(Value::from),
        (-5..5i64).prop_map(Value::from),
    ];
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number,
        2 => select(WORDS).prop_map(Value::from),
        1 => "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::vec((select(KEYS), inner), 0..6).prop_map(|kv| {
                serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Coordinates: positions (of any length and size) nested to any depth.
fn coordinates() -> impl Strategy<Value = serde_json::Value> {
    let n = prop_oneof![
        4 => (-190.0..190.0f64).prop_map(serde_json::Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or_default()),
        1 => Just(serde_json::Value::from(1e308)),
        1 => Just(serde_json::Value::from("1")),
    ];
    let position = prop::collection::vec(n, 0..4).prop_map(serde_json::Value::Array);
    position.prop_recursive(3, 64, 6, |inner| prop::collection::vec(inner, 0..6).prop_map(serde_json::Value::Array))
}

/// Structure-aware GeoJSON: features of any geometry type with any coordinates.
fn geojson() -> impl Strategy<Value = Vec<u8>> {
    let types = vec!["LineString", "MultiLineString", "Polygon", "MultiPolygon", "Point", "GeometryCollection", "x"];
    let geometry = (select(types), coordinates()).prop_map(|(t, c)| serde_json::json!({"type": t, "coordinates": c}));
    let feature = (geometry, prop::option::of("\\PC{0,10}"))
        .prop_map(|(g, name)| serde_json::json!({"type": "Feature", "properties": {"name": name}, "geometry": g}))
        .boxed();
    let doc = prop_oneof![
        prop::collection::vec(feature.clone(), 0..5)
            .prop_map(|f| serde_json::json!({"type": "FeatureCollection", "features": f})),
        feature,
        json(),
    ];
    (doc, 0u8..3).prop_map(|(d, bom)| {
        let text = d.to_string();
        if bom == 1 {
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
        } else {
            text.into_bytes()
        }
    })
}

/// Structure-aware TopoJSON: arcs of any deltas, geometries with any arc indices (negative,
/// out of range), transforms of any scale.
fn topojson() -> impl Strategy<Value = Vec<u8>> {
    let arc = prop::collection::vec(prop::collection::vec(-3000..3000i64, 0..3), 0..6);
    let index = prop_oneof![-6..6i64, any::<i64>()];
    let rings = prop::collection::vec(prop::collection::vec(index, 0..4), 0..3);
    let geom =
        (select(vec!["Polygon", "MultiPolygon", "LineString", "Point"]), rings, "\\PC{0,6}").prop_map(|(t, r, n)| {
            let arcs = if t == "MultiPolygon" { serde_json::json!([r]) } else { serde_json::json!(r) };
            serde_json::json!({"type": t, "properties": {"name": n, "iso_a2": "CN"}, "arcs": arcs})
        });
    let scale = prop_oneof![Just(0.001), Just(0.0), Just(1e308), -1.0..1.0f64];
    (prop::collection::vec(arc, 0..5), prop::collection::vec(geom, 0..4), prop::option::of(scale)).prop_map(
        |(arcs, geoms, scale)| {
            let mut t = serde_json::json!({"type": "Topology", "arcs": arcs,
                "objects": {"countries": {"type": "GeometryCollection", "geometries": geoms}}});
            if let Some(s) = scale {
                t["transform"] = serde_json::json!({"scale": [s, s], "translate": [130.0, 42.0]});
            }
            t.to_string().into_bytes()
        },
    )
}

/// JSON text: generated or a mutation of `base`.
fn json_input(base: String, generated: BoxedStrategy<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![generated, mutated(base.into_bytes())]
}

// ---------------------------------------------------------------------------------------------
// CSV layer and spreadsheets

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn csv_table_and_grid(bytes in table_input(formats::camtrapr_records()), d in select(vec![b',', b';', b'\t', b'|'])) {
        bounded("csv table", move || {
            let mut report = FileReport::new("t.csv", "table");
            match borderless::io::table::Table::parse("t.csv", &bytes, &mut report) {
                Ok(t) => {
                    let mut last = 1;
                    for r in &t.rows {
                        assert!(r.line > last, "row numbers not increasing: {} after {last}", r.line);
                        last = r.line;
                    }
                }
                Err(e) => located(&e, &["t.csv"]),
            }
            let text = String::from_utf8_lossy(&bytes);
            for comments in [false, true] {
                if let Err(e) = borderless::io::sheet::Grid::read_delimited("g.csv", &text, d, comments) {
                    located(&e, &["g.csv"]);
                }
            }
        });
    }

    #[test]
    fn spreadsheet_xlsx(bytes in zip_mutated(formats::counts_xlsx())) {
        bounded("xlsx", move || {
            if let Err(e) = borderless::io::sheet::Grid::read_sheet("c.xlsx", &bytes) {
                located(&e, &["c.xlsx"]);
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Camera-trap catalogs

fn camtrapr_opts() -> borderless::io::camtrapr::CamtraprOptions<'static> {
    borderless::io::camtrapr::CamtraprOptions {
        name: "CN",
        crs: None,
        utc_offset: Some(chrono::FixedOffset::east_opt(8 * 3600).unwrap()),
        date_format: None,
        datetime_format: None,
        species: None,
    }
}

fn read_camtrapr(stations: Vec<u8>, records: Vec<u8>) {
    bounded("camtrapR", move || {
        let st = InputFile::new("st.csv", stations);
        let rec = InputFile::new("rec.csv", records);
        let (_, reports) = borderless::io::camtrapr::read_tables(&st, &rec, &camtrapr_opts());
        accounted(&reports);
    });
}

/// The 1.0 package with file `k` (0 descriptor, 1 deployments, 2 media, 3 observations) replaced.
fn read_camtrapdp(k: usize, bytes: Vec<u8>) {
    bounded("Camtrap DP", move || {
        let mut files = formats::camtrapdp_package("p/");
        files[k].bytes = bytes;
        let refs: Vec<&InputFile> = files.iter().collect();
        let opts = borderless::io::camtrapdp::PackageOptions { name: None, species: Some("Panthera tigris") };
        let (_, reports) = borderless::io::camtrapdp::read_package("p/", &refs, &opts);
        accounted(&reports);
    });
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn camtrapr_stations(bytes in table_input(formats::camtrapr_stations())) {
        read_camtrapr(bytes, formats::csv(&formats::camtrapr_records()).into_bytes());
    }

    #[test]
    fn camtrapr_records(bytes in table_input(formats::camtrapr_records())) {
        read_camtrapr(formats::csv(&formats::camtrapr_stations()).into_bytes(), bytes);
    }

    #[test]
    fn camtrapdp_descriptor(bytes in json_input(formats::camtrapdp_descriptor(formats::PROFILE_1_0),
        json().prop_map(|j| j.to_string().into_bytes()).boxed())) {
        read_camtrapdp(0, bytes);
    }

    #[test]
    fn camtrapdp_deployments(bytes in table_input(formats::camtrapdp_deployments())) {
        read_camtrapdp(1, bytes);
    }

    #[test]
    fn camtrapdp_media(bytes in table_input(formats::camtrapdp_media())) {
        read_camtrapdp(2, bytes);
    }

    #[test]
    fn camtrapdp_observations(bytes in table_input(formats::camtrapdp_observations())) {
        read_camtrapdp(3, bytes);
    }

    #[test]
    fn camtrapdp_0_1_6_observations(bytes in table_input(formats::camtrapdp_0_1_6_observations())) {
        bounded("Camtrap DP 0.1.6", move || {
            let files = formats::camtrapdp_files(
                "p/",
                &formats::camtrapdp_descriptor(formats::PROFILE_0_1_6),
                &formats::csv(&formats::camtrapdp_0_1_6_deployments()),
                &String::from_utf8_lossy(&bytes),
            );
            let refs: Vec<&InputFile> = files.iter().collect();
            let opts = borderless::io::camtrapdp::PackageOptions { name: Some("CN"), species: None };
            let (_, reports) = borderless::io::camtrapdp::read_package("p/", &refs, &opts);
            accounted(&reports);
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Links, histories, decisions, genotypes, overlap

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn links(bytes in table_input(formats::links())) {
        bounded("links", move || {
            let mut report = FileReport::new("links.csv", "links");
            match borderless::io::links::read_links(&InputFile::new("links.csv", bytes), &mut report) {
                // rows_used is counted when the links are applied (pipeline), not here.
                Ok(_) => assert!(report.issues.iter().all(|i| i.file == "links.csv"), "{report:#?}"),
                Err(e) => located(&e, &["links.csv"]),
            }
        });
    }

    #[test]
    fn histories(bytes in table_input(formats::histories())) {
        bounded("histories", move || {
            if let Err(e) = borderless::io::histories::read_histories_csv("h.csv", &bytes) {
                located(&e, &["h.csv"]);
            }
        });
    }

    #[test]
    fn review_decisions(bytes in table_input(formats::decisions())) {
        bounded("decisions", move || {
            if let Err(e) = borderless::identity::review::parse_decisions("d.csv", &bytes) {
                said(e);
            }
        });
    }

    #[test]
    fn genotypes_csv(bytes in table_input(formats::genotypes())) {
        bounded("genotypes", move || {
            use borderless::identity::genotypes::{table_header, GenotypeOptions, GenotypeTable};
            let opts = GenotypeOptions { meta_columns: vec!["knownIndividual".into()], ..GenotypeOptions::default() };
            if let Err(e) = GenotypeTable::from_bytes("g.csv", &bytes, &opts) {
                said(e);
            }
            if let Err(e) = table_header("g.csv", &bytes) {
                said(e);
            }
        });
    }

    #[test]
    fn genotypes_xlsx(bytes in zip_mutated(formats::genotypes_xlsx())) {
        bounded("genotypes xlsx", move || {
            use borderless::identity::genotypes::{GenotypeOptions, GenotypeTable};
            let opts = GenotypeOptions { meta_columns: vec!["knownIndividual".into()], ..GenotypeOptions::default() };
            if let Err(e) = GenotypeTable::from_bytes("g.xlsx", &bytes, &opts) {
                said(e);
            }
        });
    }

    #[test]
    fn overlap_times(bytes in table_input(formats::overlap_times())) {
        bounded("overlap", move || {
            let text = String::from_utf8_lossy(&bytes);
            if let Err(e) = borderless::activity::overlap::read_times_csv(&text, "k.csv") {
                said(e);
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// secr inputs

fn traps() -> borderless::model::secr::Traps {
    borderless::io::secr_text::read_traps("traps.txt", formats::SECR_TRAPS_TXT.as_bytes()).unwrap()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn secr_csv_traps_and_mask(bytes in prop_oneof![table_input(formats::secr_traps_csv()), table_input(formats::secr_mask_csv())]) {
        bounded("secr csv traps/mask", move || {
            use borderless::model::secr::{Mask, Traps};
            if let Err(e) = Traps::from_csv_bytes("t.csv", &bytes) {
                said(e);
            }
            if let Err(e) = Traps::sessions_from_csv_bytes("t.csv", &bytes) {
                said(e);
            }
            if let Err(e) = Mask::from_csv_bytes("m.csv", &bytes, None) {
                said(e);
            }
            if let Err(e) = Mask::from_csv_bytes("m.csv", &bytes, Some(300.0)) {
                said(e);
            }
        });
    }

    #[test]
    fn secr_csv_captures(bytes in table_input(formats::secr_captures_csv())) {
        bounded("secr csv captures", move || {
            use borderless::model::secr::Capthist;
            let t = traps();
            if let Err(e) = Capthist::from_csv_bytes("c.csv", &bytes, &t, None) {
                said(e);
            }
            if let Err(e) = Capthist::sessions_from_csv_bytes("c.csv", &bytes, &t, Some(3), Some("id")) {
                said(e);
            }
            let sessions = vec![("1".to_string(), t.clone())];
            if let Err(e) = Capthist::sessions_with_traps_from_csv_bytes("c.csv", &bytes, &sessions, &[("1".into(), 3)], None) {
                said(e);
            }
        });
    }

    #[test]
    fn secr_text(bytes in prop_oneof![mutated(formats::SECR_TRAPS_TXT.into()), mutated(formats::SECR_CAPTURES_TXT.into()),
        table(formats::cells(&["id|x|y|usage", "A|0|0|111", "B|300|0|101"])).prop_map(|b| b.iter().map(|&c| if c == b',' { b' ' } else { c }).collect())]) {
        bounded("secr text", move || {
            use borderless::io::secr_text::{read_captures, read_traps};
            if let Err(e) = read_traps("traps.txt", &bytes) {
                said(e);
            }
            if let Err(e) = read_captures("capt.txt", &bytes, &traps(), None) {
                said(e);
            }
            if let Err(e) = read_captures("capt.txt", &bytes, &traps(), Some(2)) {
                said(e);
            }
        });
    }

    #[test]
    fn secr_latlon_traps(bytes in table_input(formats::latlon_traps())) {
        bounded("latlon traps", move || {
            if let Err(e) = borderless::io::secr_text::read_latlon_rows("ll.csv", &bytes) {
                said(e);
            }
            if let Err(e) = borderless::spatial::secr_traps::read_traps_latlon_csv("ll.csv", &bytes, None) {
                said(e);
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Waterbirds

fn sites() -> borderless::waterbirds::sites::Sites {
    borderless::waterbirds::sites::read_sites(&InputFile::new("sites.csv", formats::csv(&formats::waterbird_sites())))
        .unwrap()
        .0
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn waterbird_sites(bytes in table_input(formats::waterbird_sites())) {
        bounded("sites", move || {
            match borderless::waterbirds::sites::read_sites(&InputFile::new("sites.csv", bytes)) {
                Ok((_, r)) => accounted(&[r]),
                Err(e) => located(&e, &["sites.csv"]),
            }
        });
    }

    #[test]
    fn waterbird_sites_geojson(bytes in json_input(formats::polygons_geojson(), geojson().boxed())) {
        bounded("sites geojson", move || {
            if let Err(e) = borderless::waterbirds::sites::read_sites(&InputFile::new("sites.geojson", bytes)) {
                located(&e, &["sites.geojson"]);
            }
        });
    }

    #[test]
    fn waterbird_counts(bytes in prop_oneof![3 => table_input(formats::waterbird_counts()), 1 => zip_mutated(formats::counts_xlsx())]) {
        bounded("counts", move || {
            let f = InputFile::new("c.csv", bytes);
            match borderless::waterbirds::counts::read_counts(&f, &sites(), borderless::waterbirds::taxonomy::Taxonomy::get()) {
                Ok(t) => accounted(&[t.report]),
                Err(e) => located(&e, &["c.csv"]),
            }
        });
    }

    #[test]
    fn waterbird_thresholds(bytes in table_input(formats::waterbird_thresholds())) {
        bounded("thresholds", move || {
            let f = InputFile::new("th.csv", bytes);
            match borderless::waterbirds::criteria::read_thresholds(&f, borderless::waterbirds::taxonomy::Taxonomy::get()) {
                Ok((_, r)) => accounted(&[r]),
                Err(e) => located(&e, &["th.csv"]),
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry: GeoJSON, TopoJSON, Shapefile, GeoTIFF, zip

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn border_geojson(bytes in json_input(formats::border_geojson(), geojson().boxed())) {
        bounded("border", move || {
            let f = InputFile::new("b.geojson", bytes.clone());
            let mut r = FileReport::new("b.geojson", "border");
            if let Err(e) = borderless::spatial::border::read_border(&f, &mut r) {
                located(&e, &["b.geojson"]);
            }
            if let Err(e) = borderless::io::border::read_named_polygons("b.geojson", &bytes) {
                located(&e, &["b.geojson"]);
            }
            if let Err(e) = borderless::io::border::read_polygons("b.geojson", &bytes) {
                located(&e, &["b.geojson"]);
            }
        });
    }

    #[test]
    fn polygons_geojson(bytes in json_input(formats::polygons_geojson(), geojson().boxed())) {
        bounded("polygons", move || {
            if let Err(e) = borderless::io::polygons::read_user_polygons(&InputFile::new("p.geojson", bytes)) {
                located(&e, &["p.geojson"]);
            }
        });
    }

    #[test]
    fn topojson_countries(bytes in json_input(formats::topojson(), topojson().boxed())) {
        bounded("topojson", move || {
            if let Err(e) = borderless::io::topojson::read_countries("w.topojson", &bytes) {
                located(&e, &["w.topojson"]);
            }
        });
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn shapefile_zip(bytes in zip_mutated(formats::shapefile_zip("fuzz"))) {
        bounded("shapefile", move || {
            if let Err(e) = borderless::io::polygons::read_user_polygons(&InputFile::new("parks.zip", bytes)) {
                // Errors name the archive, or the member of it at fault.
                let members = ["parks.zip", "parks/parks.shp", "parks/parks.shx", "parks/parks.dbf", "parks/parks.prj"];
                located(&e, &members);
            }
        });
    }

    #[test]
    fn geotiff(bytes in mutated(formats::geotiff())) {
        bounded("geotiff", move || {
            if let Err(e) = borderless::io::geotiff::read_geotiff("c.tif", &bytes) {
                said(e);
            }
        });
    }

    #[test]
    fn zip_archive(bytes in zip_mutated(package_zip())) {
        bounded("zip", move || {
            if let Err(e) = borderless::io::archive::expand_zip(&InputFile::new("cn.zip", bytes)) {
                located(&e, &["cn.zip"]);
            }
        });
    }
}

/// The 1.0 package zipped (members at the zip's root).
fn package_zip() -> Vec<u8> {
    let files = formats::camtrapdp_package("");
    let refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    borderless::io::archive::write_zip(&refs)
}

// ---------------------------------------------------------------------------------------------
// The whole loading pipeline on a random mix

/// Every kind of file the page accepts, valid.
fn all_files() -> Vec<InputFile> {
    let mut files = formats::camtrapdp_package("cn/");
    files.extend([
        InputFile::new("ru.zip", package_zip()),
        InputFile::new("links.csv", formats::csv(&formats::links())),
        InputFile::new("border.geojson", formats::border_geojson()),
        InputFile::new("camtrapr/stations.csv", formats::csv(&formats::camtrapr_stations())),
        InputFile::new("camtrapr/records.csv", formats::csv(&formats::camtrapr_records())),
        InputFile::new("genotypes.csv", formats::csv(&formats::genotypes())),
        InputFile::new("genotypes.xlsx", formats::genotypes_xlsx()),
        InputFile::new("histories.csv", formats::csv(&formats::histories())),
    ]);
    files
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn load_files_on_a_random_mix(
        pick in prop::collection::vec(any::<bool>(), 13),
        edits in prop::collection::vec((any::<Index>(), prop::collection::vec(op(), 1..4)), 0..3),
        renames in prop::collection::vec((any::<Index>(), select(vec!["x.csv", "cn/x.json", "datapackage.json", "a.zip", "b.geojson", "c.xlsx", "", "/"])), 0..2),
    ) {
        let mut files: Vec<InputFile> = all_files().into_iter().zip(&pick).filter(|(_, &p)| p).map(|(f, _)| f).collect();
        if !files.is_empty() {
            for (i, ops) in &edits {
                let k = i.index(files.len());
                files[k].bytes = apply(&files[k].bytes, ops);
            }
            for (i, name) in &renames {
                let k = i.index(files.len());
                files[k].name = name.to_string();
            }
        }
        bounded("load_files", move || {
            let loaded = borderless::pipeline::load_files(files, &borderless::pipeline::AnalysisOptions::default(), &mut |_| {});
            accounted(&loaded.reports);
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that crashed or hung a parser, kept by name.
//
// A release run of 20,000 then 60,000 cases per property found one crash (below); the two reader
// gaps found meanwhile (a genotype CSV read only with commas, a waterbird table not split on `|`)
// were wrong results, not crashes: tests/corpus.rs keeps them (every format in every dialect).

/// An empty arc referenced after another one: `Vec::remove(0)` on no positions panicked
/// (topojson_countries, FUZZ_CASES=60000). Now refused, naming the file and the arc.
#[test]
fn topojson_empty_arc_is_refused() {
    let input = r#"{"arcs":[[],[],[[0,0]]],"objects":{"countries":{"geometries":[{"arcs":[[2,0]],"properties":{"iso_a2":"CN","name":""},"type":"Polygon"}],"type":"GeometryCollection"}},"type":"Topology"}"#;
    let e = bounded("topojson", move || borderless::io::topojson::read_countries("w.topojson", input.as_bytes()))
        .unwrap_err();
    assert_eq!((e.file.as_str(), e.message.code.as_str()), ("w.topojson", "io.topojson.empty_arc"));
    assert_eq!(e.to_string(), "w.topojson: arc 0 has no position (a TopoJSON arc needs at least two)");
    // The same arc first in its ring is refused too, and a ring of non-empty arcs still reads.
    let first = input.replace("[[2,0]]", "[[0,2]]");
    assert_eq!(
        borderless::io::topojson::read_countries("w", first.as_bytes()).unwrap_err().message.code,
        "io.topojson.empty_arc"
    );
    let fine = input.replace("[[2,0]]", "[[2,2]]");
    let countries = borderless::io::topojson::read_countries("w", fine.as_bytes()).unwrap();
    assert_eq!(countries[0].shape.0[0].exterior().0.len(), 1);
}

/// The hang detector itself: a call slower than [`SLOW`] fails.
#[test]
#[should_panic(expected = "(hang)")]
fn a_slow_call_fails_as_a_hang() {
    bounded("sleeper", || std::thread::sleep(SLOW + Duration::from_millis(100)));
}

/// A panic inside a bounded call fails the test calling it.
#[test]
#[should_panic(expected = "parser panicked")]
fn a_panic_in_a_bounded_call_fails() {
    bounded("panicker", || panic!("parser panicked"));
}
