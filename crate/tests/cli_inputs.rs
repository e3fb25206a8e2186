//! Every analysis from every input the command line lists (issue 10): camtrapR station + record
//! tables feed `closed`, `secr`, `candidates` and `outreach` on their own; `closed` chooses an
//! occasion length that fits the survey and says so; all-zero history rows are skipped and
//! counted; `--encoding` works on every command that reads a text file, and an entry that
//! matches no file is warned about.
//!
//! The camtrapR tables are written by the tests (no `../shared` needed): six stations in the
//! Russian Far East, all set up on 01/01/2024 and retrieved on 31/12/2024 (a leap year: 366
//! days, setup and retrieval days taken inclusively), and ten tigers T0…T9 photographed at
//! noon local time (UTC+08:00) on days worked out below.

use borderless::io::{histories::read_histories, InputFile};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_borderless");

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env_remove("BORDERLESS_LANG").output().expect("the borderless binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {}\nstderr {}", String::from_utf8_lossy(&o.stdout), stderr(o)))
}

/// A fresh scratch folder for this test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("borderless-cli-inputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// Detections of animal `i` (of ten): `(day of the survey, 0-based; station index)`. Animal i is
/// seen 2 + i mod 4 times, on days (37 i + 53 j + 11 k) mod 366 for j = 0, 1, …, at station
/// (i + j) mod 6 (`k` shifts the second catalog's animals).
fn sightings(i: usize, k: usize) -> Vec<(usize, usize)> {
    (0..2 + i % 4).map(|j| ((37 * i + 53 * j + 11 * k) % 366, (i + j) % 6)).collect()
}

/// Writes the camtrapR station and record tables of catalog `k` (0 or 1; catalog 1's stations
/// are 0.3° further east) and returns `NAME=STATIONS,RECORDS` for `--camtrapr`.
fn camtrapr(dir: &Path, name: &str, k: usize) -> String {
    let mut st = String::from("Station,lat,lon,Setup_date,Retrieval_date\n");
    for s in 0..6 {
        let (lat, lon) = (43.10 + 0.03 * (s / 3) as f64, 131.00 + 0.3 * k as f64 + 0.03 * (s % 3) as f64);
        st.push_str(&format!("{name}-S{s},{lat:.2},{lon:.2},01/01/2024,31/12/2024\n"));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut rec = String::from("Station,Species,Individual,DateTimeOriginal\n");
    for i in 0..10 {
        for (day, s) in sightings(i, k) {
            let date = start + chrono::Duration::days(day as i64);
            rec.push_str(&format!("{name}-S{s},Panthera tigris altaica,{name}-T{i},{date} 12:00:00\n"));
        }
    }
    let st = write(dir, &format!("{name}-stations.csv"), st);
    let rec = write(dir, &format!("{name}-records.csv"), rec);
    format!("{name}={st},{rec}")
}

/// The closed models' estimates, by model name, from `closed --json`.
fn estimates(v: &serde_json::Value) -> Vec<(String, Option<f64>)> {
    v.as_array().unwrap().iter().map(|m| (m["model"].as_str().unwrap().to_string(), m["N"].as_f64())).collect()
}

#[test]
fn closed_runs_on_camtrapr_tables_alone_with_a_fitting_default_occasion_length() {
    let dir = scratch("closed");
    let tables = camtrapr(&dir, "RU", 0);
    let out = run(&["closed", "--camtrapr", &tables, "--utc-offset", "+08:00", "--json"]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(2), "{err}");
    // 366 days: 15-day occasions would be ⌈366/15⌉ = 25 > 12, so ⌈366/12⌉ = 31 days, giving
    // ⌈366/31⌉ = 12 occasions.
    assert!(err.contains("no --occasion-days given: 31-day occasions, 12 of them over the 366.0-day survey"), "{err}");
    let from_tables = estimates(&json(&out));
    // The same histories written by hand: animal i is caught in occasion ⌊(day + ½) / 31⌋.
    let mut csv = String::from("id");
    for k in 1..=12 {
        csv.push_str(&format!(",o{k}"));
    }
    csv.push('\n');
    for i in 0..10 {
        let mut bits = [0u8; 12];
        for (day, _) in sightings(i, 0) {
            bits[((day as f64 + 0.5) / 31.0).floor() as usize] = 1;
        }
        csv.push_str(&format!("T{i}"));
        for b in bits {
            csv.push_str(&format!(",{b}"));
        }
        csv.push('\n');
    }
    let h = write(&dir, "hand.csv", csv);
    let by_hand = estimates(&json(&run(&["closed", "--histories", &h, "--json"])));
    assert_eq!(from_tables.len(), by_hand.len());
    for ((ma, na), (mb, nb)) in from_tables.iter().zip(&by_hand) {
        assert_eq!(ma, mb);
        match (na, nb) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{ma}: {a} vs {b}"),
            _ => assert_eq!(na, nb, "{ma}"),
        }
    }
    assert!(from_tables.iter().any(|(m, n)| m == "M0" && n.is_some()), "{from_tables:?}");
}

#[test]
fn closed_refuses_an_occasion_length_that_does_not_fit_and_names_those_that_do() {
    let dir = scratch("closed-days");
    let tables = camtrapr(&dir, "RU", 0);
    let out = run(&["closed", "--camtrapr", &tables, "--utc-offset", "+08:00", "--occasion-days", "15"]);
    assert_eq!(out.status.code(), Some(2));
    // ⌈366/15⌉ = 25 occasions; whole-day lengths giving 2…16: ⌈366/16⌉ = 23 to 366 − 1 = 365.
    let err = stderr(&out);
    assert!(err.contains("--occasion-days 15 makes 25 occasions over the 366.0-day survey"), "{err}");
    assert!(err.contains("from 23 to 365"), "{err}");
    let out = run(&["closed", "--camtrapr", &tables, "--utc-offset", "+08:00", "--occasion-days", "30", "--json"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("over 13 occasions of 30 days"), "{}", stderr(&out));
    // ⌈366/30⌉ = 13
}

#[test]
fn secr_runs_on_camtrapr_tables_alone() {
    let dir = scratch("secr");
    let tables = camtrapr(&dir, "RU", 0);
    let out = run(&["secr", "--camtrapr", &tables, "--utc-offset", "+08:00", "--buffer", "8000", "--json"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let v = json(&out);
    fn find<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        match v {
            serde_json::Value::Object(m) => m.get(key).or_else(|| m.values().find_map(|x| find(x, key))),
            serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, key)),
            _ => None,
        }
    }
    assert_eq!(find(&v, "n_animals").and_then(|n| n.as_u64()), Some(10));
    assert_eq!(find(&v, "detectors").and_then(|n| n.as_u64()), Some(6));
}

#[test]
fn candidates_and_outreach_run_on_camtrapr_tables_alone() {
    let dir = scratch("candidates");
    let (ru, cn) = (camtrapr(&dir, "RU", 0), camtrapr(&dir, "CN", 1));
    let out = run(&["candidates", "--camtrapr", &ru, "--camtrapr", &cn, "--utc-offset", "+08:00", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Ten animals in each catalog: 10 × 10 cross-catalog pairs.
    assert_eq!(json(&out)["options_used"]["pairs_total"], 100);
    let out_dir = dir.join("outreach");
    let o = out_dir.display().to_string();
    let out = run(&["outreach", "--camtrapr", &ru, "--camtrapr", &cn, "--utc-offset", "+08:00", "--out", &o]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let numbers: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("numbers.json")).unwrap()).unwrap();
    let text = numbers.to_string();
    assert!(text.contains("numbers"), "{text}");
    assert!(out_dir.join("cells.geojson").exists());
}

#[test]
fn all_zero_history_rows_are_skipped_and_counted_and_change_no_estimate() {
    let dir = scratch("zeros");
    let rows = ["A,1,0,1,1", "B,0,1,1,0", "C,1,1,0,0", "D,0,0,0,1", "E,1,0,0,1", "F,0,1,0,1", "G,1,1,1,0"];
    let zeros = ["Z1,0,0,0,0", "Z2,0,0,0,0", "Z3,0,0,0,0"];
    let plain = format!("id,o1,o2,o3,o4\n{}\n", rows.join("\n"));
    // Zero rows at rows 3, 6 and 10 as a spreadsheet shows them (header = row 1).
    let mixed = format!(
        "id,o1,o2,o3,o4\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        rows[0], zeros[0], rows[1], rows[2], zeros[1], rows[3], rows[4], rows[5], zeros[2], rows[6]
    );
    let (hp, hm) = (write(&dir, "plain.csv", &plain), write(&dir, "mixed.csv", &mixed));
    let a = run(&["closed", "--histories", &hp, "--json"]);
    let b = run(&["closed", "--histories", &hm, "--json"]);
    assert_ne!(b.status.code(), Some(2), "{}", stderr(&b));
    assert_eq!(estimates(&json(&a)), estimates(&json(&b)));
    assert!(estimates(&json(&a)).iter().filter(|(_, n)| n.is_some()).count() >= 3);
    let err = stderr(&b);
    assert!(err.contains("3 row(s) with no capture (all zeros, first at row 3) skipped"), "{err}");
    let (h, report) = read_histories(&InputFile::new("mixed.csv", mixed.as_bytes())).unwrap();
    assert_eq!((h.animals(), h.occasions()), (7, 4));
    assert_eq!((report.rows_read, report.rows_used, report.rows_rejected), (10, 7, 0));
    assert_eq!(report.rows_skipped, vec![("no capture in the row (all zeros)".to_string(), 3)]);
    assert!(report.balanced());
}

/// A Windows-1251 genotype table (Russian sample IDs, Excel-style CRLF): read right with
/// `--encoding` and, being long enough, also when the encoding is guessed.
#[test]
fn encoding_override_on_genotypes_and_histories_and_unused_entries_warned() {
    let dir = scratch("encoding");
    let mut text = String::from("образец,A1,A2,B1,B2\r\n");
    let names = ["Тигрица-Лазовская", "Тигр-Кедровая-Падь", "Амба-Уссурийский", "Тигрёнок-Бикинский"];
    for (i, n) in names.iter().enumerate() {
        text.push_str(&format!("{n},{},{},{},{}\r\n", 120 + 2 * i, 124, 200, 204 + 2 * i));
    }
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!bad);
    let g = write(&dir, "genotypes.csv", &bytes);
    let with =
        run(&["genotypes", "--input", &g, "--encoding", &format!("{g}=windows-1251"), "--mismatches", "0", "--json"]);
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    let ids = |o: &Output| -> Vec<String> {
        let mut v: Vec<String> =
            json(o)["genotypes"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_string()).collect();
        v.sort();
        v
    };
    let mut sorted = names.map(str::to_string);
    sorted.sort();
    assert_eq!(ids(&with), sorted);
    assert!(!stderr(&with).contains("--encoding"), "{}", stderr(&with));
    let guessed = run(&["genotypes", "--input", &g, "--mismatches", "0", "--json"]);
    assert_eq!(ids(&guessed), sorted);
    // Read as KOI8-R on purpose: other letters, so the override is really used.
    let koi = run(&["genotypes", "--input", &g, "--encoding", &format!("{g}=koi8-r"), "--mismatches", "0", "--json"]);
    assert!(ids(&koi).iter().all(|id| !sorted.contains(id)), "{:?}", ids(&koi));
    // An entry naming a file the command does not read is warned about, not ignored.
    let other = dir.join("elsewhere.csv").display().to_string();
    let out = run(&["genotypes", "--input", &g, "--encoding", &format!("{other}=windows-1251"), "--mismatches", "0"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("warning: --encoding {other}=windows-1251: no file read by this command has this path")),
        "{err}"
    );
    // Histories in Windows-1251 with Cyrillic IDs: the same estimates as the UTF-8 file.
    let hist = "особь,o1,o2,o3\nТигр-1,1,0,1\nТигр-2,0,1,1\nТигр-3,1,1,0\nТигр-4,1,0,0\n";
    let (hb, _, _) = encoding_rs::WINDOWS_1251.encode(hist);
    let (h1251, h8) = (write(&dir, "h1251.csv", &hb), write(&dir, "h8.csv", hist));
    let a = run(&["closed", "--histories", &h1251, "--encoding", &format!("{h1251}=windows-1251"), "--json"]);
    let b = run(&["closed", "--histories", &h8, "--json"]);
    assert_eq!(estimates(&json(&a)), estimates(&json(&b)));
    assert!(!stderr(&a).contains("no file read"), "{}", stderr(&a));
}

/// An allelematch-shaped genotype table (sample ID, a letter-coded sex column, allele pairs):
/// the sex column is recognised, said in a note and compared as one single-column marker.
#[test]
fn genotypes_with_a_letter_coded_sex_column() {
    let dir = scratch("sex");
    // s1 and s2 are the same genotype and sex; s3 has their alleles but the other sex; s4
    // differs everywhere. Five compared columns (sex + 2 loci × 2 alleles).
    let csv = "sampleID,sex,LocA.1,LocA.2,LocB.1,LocB.2\n\
               s1,F,120,124,200,204\n\
               s2,F,120,124,200,204\n\
               s3,M,120,124,200,204\n\
               s4,M,130,134,210,214\n";
    let g = write(&dir, "am.csv", csv);
    let out = run(&["genotypes", "--input", &g, "--mismatches", "0", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    // No mismatch allowed: {s1, s2}, {s3}, {s4}.
    assert_eq!(v["unique"], 3, "{v}");
    // Alleles [sex code, …]: F = 1, M = 2; the probability of identity stays on the two loci.
    let alleles: Vec<&serde_json::Value> =
        v["genotypes"].as_array().unwrap().iter().map(|g| &g["alleles"][0]).collect();
    assert_eq!(alleles, [1, 2, 2]);
    assert_eq!(v["pid"]["loci"].as_array().map(Vec::len), Some(2), "{v}");
    assert!(stderr(&out).contains("note: ") && stderr(&out).contains("column 'sex' is taken as the samples' sex"));
    // One mismatch allowed (the sex column): s3 joins s1 and s2.
    let out = run(&["genotypes", "--input", &g, "--mismatches", "1", "--json"]);
    assert_eq!(json(&out)["unique"], 2);
    // A non-numeric column that is no sex column stays an error at its row and column.
    let bad = write(&dir, "bad.csv", "sampleID,LocA.1,LocA.2\ns1,120,124\ns2,120,big\n");
    let out = run(&["genotypes", "--input", &bad, "--mismatches", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("row 3, column 'LocA.2'"), "{}", stderr(&out));
}

/// `overlap` reads a Windows-1251 file with Russian species names: by `--encoding`, and the
/// same numbers when the file is UTF-8.
#[test]
fn overlap_reads_its_file_in_the_given_encoding() {
    let dir = scratch("overlap");
    let mut text = String::from("Sps,Time\n");
    // Tiger at 0.05, 0.10, …; roe deer at 0.07, 0.14, … (fractions of the day).
    for k in 1..=12 {
        text.push_str(&format!("тигр,{:.2}\nкосуля,{:.2}\n", 0.05 * k as f64 % 1.0, 0.07 * k as f64 % 1.0));
    }
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!bad);
    let (w, u) = (write(&dir, "times1251.csv", &bytes), write(&dir, "times8.csv", &text));
    let enc = format!("{w}=windows-1251");
    let a =
        run(&["overlap", "--input", &w, "--encoding", &enc, "--species-a", "тигр", "--species-b", "косуля", "--json"]);
    let b = run(&["overlap", "--input", &u, "--species-a", "тигр", "--species-b", "косуля", "--json"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let (va, vb) = (json(&a), json(&b));
    assert_eq!((va["n_a"].as_u64(), va["n_b"].as_u64()), (Some(12), Some(12)));
    assert_eq!(va["dhat4"], vb["dhat4"]);
    assert!(!stderr(&a).contains("--encoding"), "{}", stderr(&a));
}
