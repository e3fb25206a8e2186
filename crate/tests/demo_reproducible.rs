//! The shipped demo (www/demo) is exactly what the seeded generator makes from the Natural
//! Earth basemap, its truth has the study's numbers (45 photographed, 19 on both sides — issue
//! text), and it says SIMULATED wherever a reader would look.
//!
//! CI checks out ../shared beside the repository, so the basemap is at
//! CARGO_MANIFEST_DIR/../../shared/basemap.

mod support;
use support::Shared;

use borderless::io::archive::expand_zip;
use borderless::io::InputFile;
use std::collections::BTreeSet;
use std::path::Path;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
const BASEMAP: Shared = Shared("basemap/ne-asia-countries-10m.topo.json");

fn files_under(root: &Path, rel: &str, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(root.join(rel)).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        let r = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        if e.path().is_dir() {
            files_under(root, &r, out);
        } else {
            out.insert(r);
        }
    }
}

fn title(dp: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(dp).unwrap();
    v["title"].as_str().unwrap().to_string()
}

#[test]
fn regenerated_demo_is_byte_identical_and_labelled() {
    skip_without!(BASEMAP);
    let basemap = std::fs::read(BASEMAP.path()).unwrap_or_else(|e| panic!("{BASEMAP}: {e}"));
    let survey = borderless::pipeline::demo::generate(&basemap, &Default::default()).unwrap();

    // Byte for byte, and the same set of files (besides the hand-written README.md, which
    // describes how they are made).
    let generated: BTreeSet<String> = survey.files.iter().map(|(p, _)| p.clone()).collect();
    let mut shipped = BTreeSet::new();
    files_under(Path::new(DEMO), "", &mut shipped);
    assert!(shipped.remove("README.md"), "www/demo/README.md documents the demo");
    // www/demo/waterbirds is the waterbird demo, checked by tests/waterbirds_demo.rs.
    shipped.retain(|f| !f.starts_with("waterbirds/"));
    // www/demo/snowleopard is the snow-leopard demo, checked by tests/snow_demo.rs.
    shipped.retain(|f| !f.starts_with("snowleopard/"));
    assert_eq!(generated, shipped);
    for (rel, bytes) in &survey.files {
        let on_disk = std::fs::read(format!("{DEMO}/{rel}")).unwrap();
        assert!(
            on_disk == *bytes,
            "www/demo/{rel} differs from the generator ({} vs {} bytes)",
            on_disk.len(),
            bytes.len()
        );
    }

    // The truth: 45 tigers photographed, 19 on both sides (the joint study's numbers).
    assert_eq!(survey.truth.photographed, 45);
    assert_eq!(survey.truth.photographed_both_sides, 19);
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(format!("{DEMO}/truth.json")).unwrap()).unwrap();
    assert_eq!(truth["photographed"], 45);
    assert_eq!(truth["photographed_both_sides"], 19);
    assert!(truth["note"].as_str().unwrap().contains("SIMULATED"));

    // SIMULATED in the title of each package, in its folder and in its zip.
    for side in ["cn", "ru"] {
        let t = title(&std::fs::read(format!("{DEMO}/{side}/datapackage.json")).unwrap());
        assert!(t.contains("SIMULATED"), "{side}: {t}");
        let zip = InputFile::new(format!("{side}.zip"), std::fs::read(format!("{DEMO}/{side}.zip")).unwrap());
        let inner = expand_zip(&zip).unwrap();
        let dp = inner.iter().find(|f| f.name == format!("{side}/datapackage.json")).unwrap();
        assert!(title(&dp.bytes).contains("SIMULATED"));
    }
}
