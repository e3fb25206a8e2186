//! SECR on the joint catalog of the demo survey: stations projected to UTM, effort as usage,
//! a land-only mask, expected N per country.

use borderless::estimation::catalog_secr::{fit_catalogs, CatalogSecrOptions, MaskPolygons};
use borderless::estimation::secr::{DetectFn, Termination};
use borderless::io::topojson::read_countries;
use borderless::io::InputFile;
use borderless::pipeline::{load_files, AnalysisOptions};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
const BASEMAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/basemap/ne-asia-countries-10m.topo.json");

#[test]
fn demo_secr_fit_gives_density_and_n_per_country() {
    let files = ["cn.zip", "ru.zip", "links.csv", "border.geojson"]
        .map(|f| InputFile::new(f, std::fs::read(format!("{DEMO}/{f}")).unwrap()))
        .to_vec();
    let loaded = load_files(files, &AnalysisOptions::default(), &mut |_| {});
    let countries = read_countries("basemap", &std::fs::read(BASEMAP).unwrap()).unwrap();
    let opts = CatalogSecrOptions { compare: vec![DetectFn::HHN, DetectFn::EX], ..Default::default() };
    // Regions: one box holding the whole study area, one holding nothing.
    let regions = borderless::io::border::read_named_polygons(
        "regions.geojson",
        br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"everything"},"geometry":{"type":"Polygon","coordinates":[[[129,41],[133,41],[133,45],[129,45],[129,41]]]}},
            {"type":"Feature","properties":{"name":"elsewhere"},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10],[101,11],[100,11],[100,10]]]}}]}"#,
    )
    .unwrap();
    let polygons = MaskPolygons { countries: &countries, regions: &regions, ..Default::default() };
    let r = fit_catalogs(loaded.survey(), &polygons, &opts).unwrap();
    assert_eq!(r.n_per_region.len(), 2);
    assert!((r.n_per_region[0].area_km2 * 100.0 / r.fit.mask_area_ha - 1.0).abs() < 1e-9);
    assert!((r.n_per_region[0].n.estimate / (r.fit.d.estimate * r.fit.mask_area_ha) - 1.0).abs() < 1e-9);
    assert_eq!(r.n_per_region[1].n.estimate, 0.0);
    assert_eq!(r.utm_zone, "UTM 52N (WGS84)");
    assert_eq!(r.detectors, 120);
    assert_eq!(r.occasions, 13);
    assert_eq!(r.fit.n_animals, 45, "joint individuals, not 64");
    // 81 + 96 camera detections; as binary proximity records, one per animal, occasion and
    // station (counted here from the histories).
    let h = borderless::estimation::occasions::build(&loaded.catalogs, &loaded.joint, 15.0).unwrap();
    assert_eq!(h.detections.len(), 81 + 96);
    let distinct: std::collections::HashSet<_> =
        h.detections.iter().map(|d| (d.animal, d.occasion, d.station)).collect();
    assert_eq!(r.fit.n_detections, distinct.len());
    assert_eq!(r.fit.termination, Termination::Converged);
    // The simulation used a half-normal with sigma = 5 km (www/demo/README.md); one fit of 45
    // animals should land within a factor of 1.5.
    let sigma_km = r.fit.sigma.estimate / 1000.0;
    assert!((3.3..7.5).contains(&sigma_km), "sigma {sigma_km} km");
    // The mask stays on land: China and Russia (the demo is on their border), and its
    // per-country expected numbers add up to D × mask area.
    let names: Vec<&str> = r.n_per_country.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"China") && names.contains(&"Russia"), "{names:?}");
    let total: f64 = r.n_per_country.iter().map(|c| c.n.estimate).sum();
    assert!((total - r.fit.d.estimate * r.fit.mask_area_ha).abs() < 1e-6 * total);
    assert!(r.notes.iter().any(|n| n.contains("off land")), "{:?}", r.notes);
    // The comparison table: three detection functions, sorted by AIC, ΔAIC 0 first.
    assert_eq!(r.models.len(), 3);
    assert_eq!(r.models[0].delta_aic, Some(0.0));
    assert!(r.models.windows(2).all(|w| w[0].aic <= w[1].aic));
    // g(0) of the curve equals the fitted g0.
    assert!((r.detection_curve[0].1 - r.fit.g0.as_ref().unwrap().estimate).abs() < 1e-12);
}

#[test]
fn demo_secr_by_sex_and_by_catalog() {
    use borderless::estimation::catalog_secr::GroupBy;
    use borderless::estimation::secr::GroupModel;
    let files = ["cn.zip", "ru.zip", "links.csv"]
        .map(|f| InputFile::new(f, std::fs::read(format!("{DEMO}/{f}")).unwrap()))
        .to_vec();
    let loaded = load_files(files, &AnalysisOptions::default(), &mut |_| {});
    let vary = GroupModel { sigma: true, ..Default::default() };
    for (by, levels) in [(GroupBy::Sex, ["female", "male"]), (GroupBy::Catalog, ["CN", "RU"])] {
        let opts = CatalogSecrOptions { group_by: Some(by), vary, ..Default::default() };
        let r = fit_catalogs(loaded.survey(), &MaskPolygons::default(), &opts).unwrap();
        let groups = r.fit.groups.as_ref().expect("per-group estimates");
        let names: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(names, levels, "{by:?}");
        // Every one of the 45 animals is in exactly one group, and D is per group (secr).
        assert_eq!(groups.iter().map(|g| g.n_animals).sum::<usize>(), 45);
        let total: f64 = groups.iter().map(|g| g.d.estimate).sum();
        assert!((total / r.fit.d.estimate - 1.0).abs() < 1e-9, "{total} vs {}", r.fit.d.estimate);
        // sigma ~ g: one sigma per group; the demo simulated 5 km for both sexes.
        for g in groups {
            assert!((2.5..10.0).contains(&(g.sigma.estimate / 1000.0)), "{} sigma {}", g.group, g.sigma.estimate);
        }
        assert!(r.notes.iter().any(|n| n.starts_with("groups by")), "{:?}", r.notes);
    }
}
