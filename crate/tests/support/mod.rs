//! Shared test support: where the fixtures are, the demo survey's files, and comparisons at a
//! stated tolerance. Every integration test that needs it says `mod support;`.
//!
//! Fixtures from `../shared` (reference data produced by the R packages, the Natural Earth
//! basemap) are found through [`shared`] only. Without `../shared` a test that needs it is
//! skipped with one printed line saying which and why — unless the `CI` environment variable is
//! set, where the fixtures are required and their absence fails the test.
#![allow(dead_code)]

use borderless::io::InputFile;
use std::path::{Path, PathBuf};

/// The repository root (the folder holding `crate/`, `www/`, `tests/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("crate/ has a parent").to_path_buf()
}

/// `../shared` beside the repository (or `$BORDERLESS_SHARED`), joined with `rel`, when it
/// exists. When it does not: under `CI` this panics (the fixtures are required there);
/// elsewhere it prints one line naming the test and returns `None`, so the test can return.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    if std::env::var_os("CI").is_some() {
        panic!("{test}: needs {} (../shared is required under CI)", path.display());
    }
    // Straight to stderr (not `eprintln!`, which the test harness captures): the line is seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs ../shared/{rel}, which is not here (check out ../shared beside the repository, or set BORDERLESS_SHARED)"
    );
    None
}

/// A place in `../shared`, named at compile time and found at run time: shows as its path
/// (`format!("{REF}/file.csv")`), and [`Shared::available`] says whether it is there (see
/// [`shared`] for what happens when it is not).
#[derive(Debug, Clone, Copy)]
pub struct Shared(pub &'static str);

impl Shared {
    /// Whether the place exists; when not, one line says the test is skipped (or, under `CI`,
    /// the test fails).
    pub fn available(self) -> bool {
        shared(self.0).is_some()
    }

    /// The path (whether or not it exists).
    pub fn path(self) -> PathBuf {
        shared_root().join(self.0)
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path().display())
    }
}

fn shared_root() -> PathBuf {
    std::env::var_os("BORDERLESS_SHARED").map(PathBuf::from).unwrap_or_else(|| repo().join("../shared"))
}

/// Returns from the calling test unless every given [`Shared`] place is there.
#[macro_export]
macro_rules! skip_without {
    ($($s:expr),+) => {
        if !($($s.available())&&+) {
            return;
        }
    };
}

/// `shared(rel)` or return from the calling test (skipped, with its one line printed).
#[macro_export]
macro_rules! shared_or_skip {
    ($rel:expr) => {
        match $crate::support::shared($rel) {
            Some(p) => p,
            None => return,
        }
    };
}

/// A file of `../shared` as bytes (see [`shared`]; the caller has checked it is there).
pub fn read_shared(rel: &str) -> Vec<u8> {
    let p = shared(rel).unwrap_or_else(|| panic!("../shared/{rel} is missing"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The shipped demo surveys (`www/demo`).
pub fn demo_dir() -> PathBuf {
    repo().join("www/demo")
}

/// The tiger demo as a user drops it: the CN package as a folder, the RU package as a zip, the
/// links table and the border.
pub fn demo_files() -> Vec<InputFile> {
    let demo = demo_dir();
    let mut files = Vec::new();
    for f in ["datapackage.json", "deployments.csv", "media.csv", "observations.csv"] {
        files.push(InputFile::new(format!("cn/{f}"), std::fs::read(demo.join("cn").join(f)).unwrap()));
    }
    for f in ["ru.zip", "links.csv", "border.geojson"] {
        files.push(InputFile::new(f, std::fs::read(demo.join(f)).unwrap()));
    }
    files
}

/// The tiger demo with both packages as folders (no media files): every file a test may edit
/// as text.
pub fn demo_files_as_folders() -> Vec<InputFile> {
    let demo = demo_dir();
    let mut files = Vec::new();
    for side in ["cn", "ru"] {
        for f in ["datapackage.json", "deployments.csv", "observations.csv"] {
            let name = format!("{side}/{f}");
            files.push(InputFile::new(name.clone(), std::fs::read(demo.join(&name)).unwrap()));
        }
    }
    for f in ["links.csv", "border.geojson"] {
        files.push(InputFile::new(f, std::fs::read(demo.join(f)).unwrap()));
    }
    files
}

/// The basemap shipped with the site.
pub fn site_basemap() -> Vec<u8> {
    std::fs::read(repo().join("www/basemap/ne-asia-countries-10m.topo.json")).unwrap()
}

/// Asserts `|got − want| ≤ tol·|want|` (relative), naming what is compared.
#[track_caller]
pub fn assert_rel(got: f64, want: f64, tol: f64, what: &str) {
    let err = if want == 0.0 { got.abs() } else { ((got - want) / want).abs() };
    assert!(err <= tol, "{what}: got {got}, want {want} (relative error {err:.3e} > {tol:e})");
}

/// Asserts `|got − want| ≤ tol` (absolute), naming what is compared.
#[track_caller]
pub fn assert_abs(got: f64, want: f64, tol: f64, what: &str) {
    let err = (got - want).abs();
    assert!(err <= tol, "{what}: got {got}, want {want} (absolute error {err:.3e} > {tol:e})");
}
