//! Benchmark (a bench binary, `cargo bench --bench big_parse`; `scripts/bench-big.sh` adds the
//! peak memory): reading a big Camtrap DP 1.0 package shaped like an Agouti export — 200
//! deployments and 1,450,000 observations (≈ 200 MB) with every column of the 1.0
//! `observations` table, written once (seeded xoshiro) to `$BORDERLESS_BIG_DIR` or
//! `<temp dir>/borderless-big-parse` and reused — through the CLI's own entry,
//! `pipeline::load_files`. Prints the median wall time of the runs.
//!
//! `cargo bench --bench big_parse -- --write-only` writes the package and exits (the memory
//! script and the WASM benchmark read the same files).

use borderless::io::InputFile;
use borderless::pipeline::{load_files, AnalysisOptions};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Observations in the package (the 200 MB Agouti export had 1.45 M rows).
const OBSERVATIONS: usize = 1_450_000;
/// Deployments in the package.
const DEPLOYMENTS: usize = 200;
/// Timed runs (the median is reported).
const RUNS: usize = 5;

/// The 1.0 `observations` columns, in the standard's order.
const COLUMNS: &[&str] = &[
    "observationID",
    "deploymentID",
    "mediaID",
    "eventID",
    "eventStart",
    "eventEnd",
    "observationLevel",
    "observationType",
    "cameraSetupType",
    "scientificName",
    "count",
    "lifeStage",
    "sex",
    "behavior",
    "individualID",
    "individualPositionRadius",
    "individualPositionAngle",
    "individualSpeed",
    "bboxX",
    "bboxY",
    "bboxWidth",
    "bboxHeight",
    "classificationMethod",
    "classifiedBy",
    "classificationTimestamp",
    "classificationProbability",
    "observationTags",
    "observationComments",
];

/// Species of the Land of the Leopard / Hunchun camera traps, with their share of animal rows
/// and how many individuals are identified (0: never identified to individual).
const SPECIES: &[(&str, f64, usize)] = &[
    ("Capreolus pygargus", 0.30, 0),
    ("Sus scrofa", 0.22, 0),
    ("Cervus nippon", 0.18, 0),
    ("Meles leucurus", 0.08, 0),
    ("Nyctereutes procyonoides", 0.07, 0),
    ("Panthera pardus orientalis", 0.08, 120),
    ("Panthera tigris altaica", 0.05, 60),
    ("Lepus mandshuricus", 0.02, 0),
];

fn package_dir() -> PathBuf {
    std::env::var_os("BORDERLESS_BIG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("borderless-big-parse"))
}

fn hex8(rng: &mut Xoshiro256PlusPlus) -> String {
    format!("{:08x}", rng.gen::<u32>())
}

/// Marks a complete package (beside it, so the package holds only its own files).
fn marker(dir: &Path) -> PathBuf {
    dir.with_extension("complete")
}

/// Writes the package into `dir` unless a complete one is there.
fn write_package(dir: &Path) -> std::io::Result<()> {
    if marker(dir).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20_240_517);
    let t0 = chrono::DateTime::parse_from_rfc3339("2022-01-01T00:00:00+10:00").unwrap();
    let mut deps = std::io::BufWriter::new(std::fs::File::create(dir.join("deployments.csv"))?);
    writeln!(
        deps,
        "deploymentID,locationID,locationName,latitude,longitude,coordinateUncertainty,deploymentStart,\
         deploymentEnd,setupBy,cameraID,cameraModel,cameraDelay,cameraHeight,cameraDepth,cameraTilt,\
         cameraHeading,detectionDistance,timestampIssues,baitUse,featureType,habitat,deploymentGroups,\
         deploymentTags,deploymentComments"
    )?;
    let mut dep_ids = Vec::new();
    for k in 0..DEPLOYMENTS {
        let id = hex8(&mut rng);
        let (lat, lon) = (42.9 + rng.gen::<f64>() * 0.6, 130.7 + rng.gen::<f64>() * 0.8);
        let start = t0 + chrono::Duration::days(rng.gen_range(0..30));
        writeln!(
            deps,
            "{id},LOC{k:03},Station {k},{lat:.5},{lon:.5},30,{},{},Ranger team,CAM{k:04},Bushnell Core DS,0,0.5,,0,,,false,false,,forest,\
             country:RU,,",
            start.to_rfc3339(),
            (start + chrono::Duration::days(540)).to_rfc3339()
        )?;
        dep_ids.push((id, start));
    }
    deps.flush()?;
    let mut obs = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("observations.csv"))?);
    writeln!(obs, "{}", COLUMNS.join(","))?;
    for k in 0..OBSERVATIONS {
        let (dep, start) = &dep_ids[rng.gen_range(0..DEPLOYMENTS)];
        let t = (*start + chrono::Duration::seconds(rng.gen_range(0..540 * 86_400))).naive_utc();
        let t_end = t + chrono::Duration::seconds(rng.gen_range(5..120));
        let media_level = rng.gen_bool(0.5);
        let (level, media) = if media_level { ("media", hex8(&mut rng)) } else { ("event", String::new()) };
        let u: f64 = rng.gen();
        let (kind, species, individual, sex, life) = if u < 0.35 {
            ("blank", "", String::new(), "", "")
        } else if u < 0.42 {
            ("human", "", String::new(), "", "")
        } else {
            let mut x: f64 = rng.gen();
            let &(name, _, n_ind) = SPECIES
                .iter()
                .find(|(_, p, _)| {
                    x -= p;
                    x < 0.0
                })
                .unwrap_or(&SPECIES[0]);
            let ind = if n_ind > 0 && rng.gen_bool(0.9) {
                format!("{}{:03}", &name[8..10].to_uppercase(), rng.gen_range(0..n_ind))
            } else {
                String::new()
            };
            // Sex and life stage are written for the identified cats only.
            let (sex, life) = if n_ind > 0 { (["female", "male", ""][rng.gen_range(0..3)], "adult") } else { ("", "") };
            ("animal", name, ind, sex, life)
        };
        let bbox = if media_level && kind == "animal" {
            format!(
                "{:.3},{:.3},{:.3},{:.3}",
                rng.gen::<f64>() * 0.5,
                rng.gen::<f64>() * 0.5,
                rng.gen::<f64>() * 0.5,
                rng.gen::<f64>() * 0.5
            )
        } else {
            ",,,".to_string()
        };
        let count = if kind == "animal" { "1" } else { "" };
        let (method, by, prob) = if rng.gen_bool(0.7) { ("human", "AP", "") } else { ("machine", "Agouti", "0.93") };
        writeln!(
            obs,
            "{:08x},{dep},{media},{},{},{},{level},{kind},,{species},{count},{life},{sex},,{individual},,,,{bbox},\
             {method},{by},{},{prob},,",
            // Unique, in a shuffled-looking order: k times an odd number is a bijection mod 2^32.
            (k as u32).wrapping_mul(0x9E37_79B1),
            hex8(&mut rng),
            t.format("%Y-%m-%dT%H:%M:%SZ"),
            t_end.format("%Y-%m-%dT%H:%M:%SZ"),
            (t_end + chrono::Duration::days(3)).format("%Y-%m-%dT%H:%M:%SZ"),
        )?;
    }
    obs.flush()?;
    let dp = serde_json::json!({
        "name": "land-of-leopard-big",
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json",
        "title": "Synthetic Agouti-shaped export (benchmark)",
        "project": {"acronym": "LOL-BIG"},
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}
        ]
    });
    std::fs::write(dir.join("datapackage.json"), serde_json::to_vec_pretty(&dp).unwrap())?;
    std::fs::write(marker(dir), b"")?;
    Ok(())
}

fn read_inputs(dir: &Path) -> Vec<InputFile> {
    ["datapackage.json", "deployments.csv", "observations.csv"]
        .iter()
        .map(|f| InputFile::new(format!("big/{f}"), std::fs::read(dir.join(f)).expect("package file")))
        .collect()
}

/// This process's peak resident memory so far (`VmHWM` of `/proc/self/status`), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<f64>().ok().map(|kib| kib / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = package_dir();
    let t = Instant::now();
    write_package(&dir).expect("writing the benchmark package");
    let size = std::fs::metadata(dir.join("observations.csv")).map(|m| m.len()).unwrap_or(0);
    println!(
        "big_parse: package in {} ({:.1} MB observations.csv, {OBSERVATIONS} rows, {DEPLOYMENTS} deployments; ready in {:.1} s)",
        dir.display(),
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    if std::env::args().any(|a| a == "--write-only") {
        return;
    }
    let opts = AnalysisOptions::default();
    let mut times = Vec::new();
    for run in 0..RUNS {
        let files = read_inputs(&dir);
        let t = Instant::now();
        let loaded = load_files(files, &opts, &mut |_| {});
        let secs = t.elapsed().as_secs_f64();
        if run == 0 {
            let r = loaded.reports.iter().find(|r| r.file.ends_with("observations.csv")).expect("observations report");
            println!(
                "big_parse: observations rows read {}, used {}, rejected {}, skipped {}",
                r.rows_read,
                r.rows_used,
                r.rows_rejected,
                r.rows_skipped.iter().map(|(_, n)| n).sum::<usize>()
            );
        }
        times.push(secs);
    }
    println!(
        "big_parse: load_files on the {:.0} MB package, native: median {:.2} s of {RUNS} runs (min {:.2} s); \
         peak RSS of the process {:.0} MiB (input bytes included)",
        size as f64 / 1e6,
        median(times.clone()),
        times.iter().copied().fold(f64::INFINITY, f64::min),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
}
