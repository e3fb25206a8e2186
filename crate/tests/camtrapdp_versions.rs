//! Camtrap DP packages older and newer than 1.0 (0.1.6 as Agouti exported before 2023 and as
//! camtraptor's example ships, 1.0-rc.1), an unknown version, controlled values in another
//! case, species filters by rank, the words said when nothing is left, and the data quality
//! flags (repeated observationIDs, overlapping deployments, per-event individual IDs). Every
//! package is written here, in the shape of the real ones.

mod support;

use borderless::io::camtrapdp::{read_package, PackageOptions, PER_EVENT_MIN_DETECTIONS};
use borderless::io::{FileReport, InputFile, Issue, Severity};
use borderless::model::lang::Lang;
use borderless::model::Catalog;

const V1: &str = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json";

fn descriptor(profile: &str) -> String {
    serde_json::json!({
        "profile": profile,
        "name": "test-package",
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource"},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource"}
        ]
    })
    .to_string()
}

fn pkg(profile: &str, deployments: &str, observations: &str) -> Vec<InputFile> {
    vec![
        InputFile::new("p/datapackage.json", descriptor(profile)),
        InputFile::new("p/deployments.csv", deployments.to_string()),
        InputFile::new("p/observations.csv", observations.to_string()),
    ]
}

fn read(files: &[InputFile], species: Option<&str>) -> (Option<Catalog>, Vec<FileReport>) {
    let refs: Vec<&InputFile> = files.iter().collect();
    read_package("p/", &refs, &PackageOptions { name: Some("CN"), species })
}

fn report<'a>(reports: &'a [FileReport], file: &str) -> &'a FileReport {
    reports.iter().find(|r| r.file == format!("p/{file}")).unwrap_or_else(|| panic!("no {file}: {reports:#?}"))
}

fn with_code<'a>(r: &'a FileReport, code: &str) -> Vec<&'a Issue> {
    r.issues.iter().filter(|i| i.code == code).collect()
}

/// 1.0 deployments: two stations.
const DEP_V1: &str = "deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n\
    d1,L1,43.1,131.1,2024-01-01T00:00:00+08:00,2024-06-01T00:00:00+08:00\n\
    d2,L2,43.2,131.2,2024-01-01T00:00:00+08:00,2024-06-01T00:00:00+08:00\n";

// ---------------------------------------------------------------------------------------------
// Versions

/// A 0.1.6 package as camtraptor's `mica` example and Agouti's pre-2023 exports have it:
/// `start`/`end`, `sequenceID`, `mediaID`, `timestamp`, no `observationLevel`.
#[test]
fn camtrap_dp_0_1_6_is_upgraded_on_read() {
    let dep = "deploymentID,locationID,locationName,longitude,latitude,start,end,cameraID\n\
        d1,L1,North,131.1,43.1,2020-05-01T10:00:00Z,2020-06-01T10:00:00Z,c1\n\
        d2,L2,South,131.2,43.2,2020-05-01T10:00:00Z,2020-06-01T10:00:00Z,c2\n";
    let obs = "observationID,deploymentID,sequenceID,mediaID,timestamp,observationType,cameraSetup,taxonID,\
        scientificName,count,countNew,lifeStage,sex,behaviour,individualID\n\
        o1,d1,s1,,2020-05-02T01:00:00Z,animal,FALSE,,Panthera tigris altaica,1,,adult,female,,T1\n\
        o2,d2,s2,,2020-05-03T01:00:00Z,animal,FALSE,,Panthera tigris altaica,1,,adult,female,,T1\n\
        o3,d2,s3,,2020-05-04T01:00:00Z,blank,FALSE,,,,,,,,\n\
        o4,d1,s1,m1,2020-05-02T01:00:00Z,animal,FALSE,,Panthera tigris altaica,1,,adult,female,,T1\n\
        o5,d1,s4,,2020-05-05T01:00:00Z,animal,FALSE,,Capreolus pygargus,1,,,,,\n";
    let profile = "https://raw.githubusercontent.com/tdwg/camtrap-dp/0.1.6/camtrap-dp-profile.json";
    let files = pkg(profile, dep, obs);
    let (cat, reports) = read(&files, None);
    let cat = cat.expect("the 0.1.6 package is read");
    assert_eq!(cat.stations.len(), 2);
    assert_eq!(cat.detections.len(), 2, "two sequence-level tiger observations");
    assert_eq!(cat.detections.iter().map(|d| d.source_row).collect::<Vec<_>>(), vec![2, 3]);

    let dp = report(&reports, "datapackage.json");
    let notes = with_code(dp, "io.camtrapdp.upgraded");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].severity, Severity::Note);
    assert_eq!(notes[0].message, "read as Camtrap DP 0.1.6, upgraded to 1.0");
    assert!(!dp.failed());

    let dr = report(&reports, "deployments.csv");
    assert_eq!(dr.rows_used, 2);
    let renamed = &with_code(dr, "io.camtrapdp.columns_renamed")[0].message;
    assert!(renamed.contains("start → deploymentStart") && renamed.contains("end → deploymentEnd"), "{renamed}");

    let or = report(&reports, "observations.csv");
    assert_eq!((or.rows_read, or.rows_used), (5, 2));
    assert!(or.balanced());
    let renamed = &with_code(or, "io.camtrapdp.columns_renamed")[0].message;
    assert!(renamed.contains("timestamp → eventStart") && renamed.contains("sequenceID → eventID"), "{renamed}");
    assert_eq!(with_code(or, "io.camtrapdp.level_derived").len(), 1);
    let skipped: std::collections::BTreeMap<&str, usize> =
        or.rows_skipped.iter().map(|(r, n)| (r.as_str(), *n)).collect();
    assert_eq!(skipped["media-level observation (event-level observations are used)"], 1);
    assert_eq!(skipped["observationType is 'blank', not 'animal'"], 1);
    assert_eq!(skipped["no individualID (not identified to individual)"], 1);
}

/// Older Agouti exports wrote snake_case columns (`deployment_id`, `observation_type`, …).
#[test]
fn snake_case_0_1_package_is_read() {
    let dep = "deployment_id,location_id,longitude,latitude,start,end\n\
        d1,L1,131.1,43.1,2020-05-01T10:00:00Z,2020-06-01T10:00:00Z\n";
    let obs =
        "observation_id,deployment_id,sequence_id,timestamp,observation_type,scientific_name,count,individual_id\n\
        o1,d1,s1,2020-05-02T01:00:00Z,animal,Panthera tigris altaica,1,T1\n\
        o2,d1,s2,2020-05-03T01:00:00Z,animal,Panthera tigris altaica,1,T2\n";
    let files = pkg("https://raw.githubusercontent.com/tdwg/camtrap-dp/0.1/camtrap-dp-profile.json", dep, obs);
    let (cat, reports) = read(&files, None);
    let cat = cat.unwrap_or_else(|| panic!("{reports:#?}"));
    assert_eq!(cat.stations[0].location_id.as_deref(), Some("L1"));
    let inds: Vec<&str> = cat.detections.iter().map(|d| d.individual.as_str()).collect();
    assert_eq!(inds, ["T1", "T2"]);
    assert_eq!(report(&reports, "observations.csv").rows_used, 2);
}

/// A 1.0-rc.1 package (its version only in the resources' schemas here) is read with a note.
#[test]
fn camtrap_dp_1_0_rc_is_upgraded_on_read() {
    let obs = "observationID,deploymentID,eventID,eventStart,eventEnd,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,e1,2024-02-01T01:00:00+08:00,2024-02-01T01:01:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let dp = serde_json::json!({
        "name": "rc",
        "resources": [
            {"name": "deployments", "path": "deployments.csv",
             "schema": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0-rc.1/deployments-table-schema.json"},
            {"name": "observations", "path": "observations.csv",
             "schema": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0-rc.1/observations-table-schema.json"}
        ]
    });
    let files = vec![
        InputFile::new("p/datapackage.json", dp.to_string()),
        InputFile::new("p/deployments.csv", DEP_V1),
        InputFile::new("p/observations.csv", obs),
    ];
    let (cat, reports) = read(&files, None);
    assert_eq!(cat.expect("read").detections.len(), 1);
    let dp = report(&reports, "datapackage.json");
    assert_eq!(with_code(dp, "io.camtrapdp.upgraded")[0].message, "read as Camtrap DP 1.0-rc.1, upgraded to 1.0");
    // Its columns are 1.0's already: nothing renamed, no warning about the profile.
    assert!(with_code(report(&reports, "observations.csv"), "io.camtrapdp.columns_renamed").is_empty());
    assert!(dp.issues.iter().all(|i| i.severity == Severity::Note), "{:#?}", dp.issues);
}

/// A 1.0.2 package is read as it is: no upgrade note.
#[test]
fn camtrap_dp_1_0_is_not_upgraded() {
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let (cat, reports) = read(&pkg(V1, DEP_V1, obs), None);
    assert_eq!(cat.expect("read").detections.len(), 1);
    assert!(reports.iter().all(|r| r.issues.is_empty()), "{reports:#?}");
}

/// An unknown version is refused, naming it and the versions read.
#[test]
fn unknown_version_is_refused_by_name() {
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let profile = "https://raw.githubusercontent.com/tdwg/camtrap-dp/2.0/camtrap-dp-profile.json";
    let (cat, reports) = read(&pkg(profile, DEP_V1, obs), None);
    assert!(cat.is_none());
    let dp = report(&reports, "datapackage.json");
    assert!(dp.failed());
    let e = &with_code(dp, "io.camtrapdp.unknown_version")[0];
    assert_eq!(e.column.as_deref(), Some("profile"));
    assert_eq!(
        e.message,
        "Camtrap DP version '2.0' is not supported; supported versions: 0.1.x (e.g. 0.1.6), 1.0-rc.x, 1.0.x"
    );
    assert!(e.msg().text(Lang::Ru).contains("'2.0'") || e.msg().text(Lang::Ru).contains("«2.0»"));
    // The package's tables are reported as not read.
    assert!(report(&reports, "observations.csv").failed());
    assert!(report(&reports, "deployments.csv").failed());
}

// ---------------------------------------------------------------------------------------------
// Controlled values, species filter, nothing left

/// `Animal`, `Event`, `BLANK`: matched without regard to case, with one note per file.
#[test]
fn vocabularies_are_case_insensitive_with_one_note() {
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,Event,Animal,Panthera tigris altaica,T1\n\
        o2,d2,2024-02-02T01:00:00+08:00,EVENT,animal,Panthera tigris altaica,T1\n\
        o3,d2,2024-02-03T01:00:00+08:00,event,BLANK,,\n\
        o4,d2,2024-02-03T01:00:00+08:00,Media,Animal,Panthera tigris altaica,T1\n";
    let (cat, reports) = read(&pkg(V1, DEP_V1, obs), None);
    assert_eq!(cat.expect("read").detections.len(), 2);
    let or = report(&reports, "observations.csv");
    assert_eq!(or.rows_used, 2);
    assert_eq!(or.rows_rejected, 0);
    assert!(or.rows_skipped.contains(&("observationType is 'blank', not 'animal'".to_string(), 1)));
    assert!(or.rows_skipped.contains(&("media-level observation (event-level observations are used)".to_string(), 1)));
    let notes = with_code(or, "io.camtrapdp.case_insensitive");
    assert_eq!(notes.len(), 1, "one note per file");
    assert_eq!(
        notes[0].message,
        "controlled values were matched without regard to case (e.g. 'Event' read as 'event')"
    );
}

/// Tigers (subspecies) and roe deer at two stations.
fn tigers_and_deer() -> Vec<InputFile> {
    let mut obs = String::from(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n",
    );
    for k in 0..7 {
        obs.push_str(&format!(
            "t{k},d1,2024-02-0{}T01:00:00+08:00,event,animal,Panthera tigris altaica,T{}\n",
            k + 1,
            k % 2
        ));
    }
    for k in 0..3 {
        obs.push_str(&format!("c{k},d2,2024-03-0{}T01:00:00+08:00,event,animal,Capreolus pygargus,\n", k + 1));
    }
    obs.push_str("b0,d2,2024-03-09T01:00:00+08:00,event,blank,,\n");
    pkg(V1, DEP_V1, &obs)
}

#[test]
fn species_filter_matches_by_rank_and_case() {
    for want in ["Panthera tigris", "panthera TIGRIS", "Panthera  tigris altaica", "Panthera"] {
        let (cat, reports) = read(&tigers_and_deer(), Some(want));
        let cat = cat.expect("read");
        assert_eq!(cat.detections.len(), 7, "{want}");
        let or = report(&reports, "observations.csv");
        assert!(or.rows_skipped.contains(&(format!("species is not {want}"), 3)), "{want}: {:?}", or.rows_skipped);
        assert!(with_code(or, "io.camtrapdp.no_species").is_empty());
    }
    // A subspecies does not include its species, nor another subspecies.
    let (cat, _) = read(&tigers_and_deer(), Some("Panthera tigris tigris"));
    assert!(cat.expect("read").detections.is_empty());
}

/// A misspelt species leaves nothing: said in words, with the species present and the rows
/// skipped by reason.
#[test]
fn misspelt_species_says_why_nothing_is_left() {
    let (cat, reports) = read(&tigers_and_deer(), Some("Panthera tigirs"));
    assert!(cat.expect("read").detections.is_empty());
    let or = report(&reports, "observations.csv");
    let w = with_code(or, "io.camtrapdp.no_species");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        w[0].message,
        "no observation of 'Panthera tigirs' — species present: Panthera tigris altaica (7), Capreolus pygargus (3); \
         rows skipped: species is not Panthera tigirs (10); observationType is 'blank', not 'animal' (1); rows rejected: 0"
    );
    assert!(w[0].to_string().starts_with("p/observations.csv: warning: no observation of 'Panthera tigirs'"));
    assert!(w[0].msg().text(Lang::Zh).contains("Panthera tigris altaica (7)"));
}

/// No filter, but every row skipped or rejected: said too.
#[test]
fn nothing_used_says_why() {
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,blank,,\n\
        o2,d9,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let (_, reports) = read(&pkg(V1, DEP_V1, obs), None);
    let or = report(&reports, "observations.csv");
    let w = with_code(or, "io.camtrapdp.nothing_used");
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].message,
        "no observation was used — rows skipped: observationType is 'blank', not 'animal' (1); rows rejected: 1; \
         species present: none"
    );
}

/// The CLI prints the reason under its (empty) table, on stdout.
#[test]
fn cli_table_says_why_nothing_is_left() {
    let dir = std::env::temp_dir().join(format!("borderless-dpv-{}", std::process::id()));
    let pkg_dir = dir.join("cn");
    std::fs::create_dir_all(&pkg_dir).unwrap();
    for f in tigers_and_deer() {
        std::fs::write(pkg_dir.join(f.name.trim_start_matches("p/")), &f.bytes).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borderless"))
        .args(["crossborder", "--catalog"])
        .arg(format!("CN={}", pkg_dir.display()))
        .args(["--species", "Panthera tigirs"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        stdout.contains("warning: no observation of 'Panthera tigirs' — species present: Panthera tigris altaica (7)"),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stderr.contains("observations.csv: warning: no observation of 'Panthera tigirs'"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Quality flags

#[test]
fn repeated_observation_ids_count_once_and_name_the_rows() {
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n\
        o2,d2,2024-02-02T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let (cat, reports) = read(&pkg(V1, DEP_V1, obs), None);
    assert_eq!(cat.expect("read").detections.len(), 2, "o1 counted once");
    let or = report(&reports, "observations.csv");
    assert_eq!((or.rows_read, or.rows_used), (4, 2));
    assert!(or.rows_skipped.contains(&("repeated observationID (counted once)".to_string(), 2)));
    assert!(or.balanced());
    let w = with_code(or, "io.camtrapdp.duplicate_observation");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].row, Some(4));
    assert_eq!(w[0].message, "observationID 'o1' is on 3 rows (2, 4, 5); counted once");
}

#[test]
fn overlapping_deployments_at_one_location_name_both_rows() {
    let dep = "deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n\
        d1,L1,43.1,131.1,2024-01-01T00:00:00+08:00,2024-06-01T00:00:00+08:00\n\
        d2,L2,43.2,131.2,2024-01-01T00:00:00+08:00,2024-06-01T00:00:00+08:00\n\
        d3,L1,43.1,131.1,2024-05-01T00:00:00+08:00,2024-09-01T00:00:00+08:00\n\
        d4,L2,43.2,131.2,2024-06-01T00:00:00+08:00,2024-09-01T00:00:00+08:00\n";
    let obs = "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n\
        o1,d1,2024-02-01T01:00:00+08:00,event,animal,Panthera tigris altaica,T1\n";
    let (cat, reports) = read(&pkg(V1, dep, obs), None);
    assert_eq!(cat.expect("read").stations.len(), 4);
    let dr = report(&reports, "deployments.csv");
    let w = with_code(dr, "io.camtrapdp.overlapping_deployments");
    assert_eq!(w.len(), 1, "d2 and d4 only touch: {:#?}", dr.issues);
    assert_eq!(w[0].row, Some(4));
    assert_eq!(
        w[0].message,
        "deployments 'd1' (row 2) and 'd3' (row 4) at location 'L1' overlap in time \
         (2024-05-01T00:00:00+08:00 to 2024-06-01T00:00:00+08:00): one camera listed twice, or two cameras counting the same animals"
    );
}

#[test]
fn per_event_individual_ids_are_flagged() {
    let mut obs = String::from(
        "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n",
    );
    let n = PER_EVENT_MIN_DETECTIONS + 2;
    for k in 0..n {
        obs.push_str(&format!(
            "o{k},d1,2024-02-01T{:02}:00:00+08:00,event,animal,Panthera tigris altaica,event-{k}\n",
            k
        ));
    }
    let (cat, reports) = read(&pkg(V1, DEP_V1, &obs), None);
    assert_eq!(cat.expect("read").detections.len(), n);
    let w = with_code(report(&reports, "observations.csv"), "io.camtrapdp.per_event_ids");
    assert_eq!(w.len(), 1);
    assert!(w[0]
        .message
        .starts_with(&format!("every individualID is seen exactly once over {n} detections (e.g. rows 2, 3, 4)")));

    // One animal seen twice: no flag.
    let obs = obs.replace("event-1\n", "event-0\n");
    let (_, reports) = read(&pkg(V1, DEP_V1, &obs), None);
    assert!(with_code(report(&reports, "observations.csv"), "io.camtrapdp.per_event_ids").is_empty());
}

/// One linked animal detected at the same instant in two countries: a warning on the links
/// table naming the individual, the instant and both rows.
#[test]
fn same_instant_in_two_countries_is_flagged() {
    use borderless::pipeline::{analyze_files, AnalysisOptions};
    let obs = |rows: &[(&str, &str, &str)]| {
        let mut s = String::from(
            "observationID,deploymentID,eventStart,observationLevel,observationType,scientificName,individualID\n",
        );
        for (k, (ind, dep, t)) in rows.iter().enumerate() {
            s.push_str(&format!("o{k},{dep},{t},event,animal,Panthera tigris altaica,{ind}\n"));
        }
        s
    };
    let mut files = Vec::new();
    for (dir, rows) in [
        ("cn", obs(&[("T1", "d1", "2024-02-01T01:00:00+08:00"), ("T1", "d2", "2024-02-03T01:00:00+08:00")])),
        // The same instant written in another offset (+10:00).
        ("ru", obs(&[("A", "d1", "2024-02-02T01:00:00+10:00"), ("A", "d1", "2024-02-03T03:00:00+10:00")])),
    ] {
        for f in pkg(V1, DEP_V1, &rows) {
            files.push(InputFile::new(f.name.replacen("p/", &format!("{dir}/"), 1), f.bytes));
        }
    }
    files.push(InputFile::new("links.csv", "catalog_a,id_a,catalog_b,id_b\nCN,T1,RU,A\n"));
    let mut opts = AnalysisOptions::default();
    opts.catalog_names.insert("cn".into(), "CN".into());
    opts.catalog_names.insert("ru".into(), "RU".into());
    let a = analyze_files(files, &opts, &mut |_| {});
    let lr = a.reports.iter().find(|r| r.file == "links.csv").expect("links report");
    let w: Vec<&Issue> = lr.issues.iter().filter(|i| i.code == "identity.joint.same_instant").collect();
    assert_eq!(w.len(), 1, "{:#?}", a.reports);
    assert!(
        w[0].message.starts_with(
            "joint individual CN:T1+RU:A is detected at the same instant 2024-02-03T01:00:00+08:00 in CN (observations row 3) and RU (observations row 3)"
        ),
        "{}",
        w[0].message
    );
}

/// camtrapR record tables: the same species filter by rank, and the same words when nothing
/// is left.
#[test]
fn camtrapr_species_filter_by_rank_and_nothing_left() {
    use borderless::io::camtrapr::{read_tables, CamtraprOptions};
    let st = InputFile::new(
        "cn/stations.csv",
        "Station,lat,lon,Setup_date,Retrieval_date\nS1,43.1,131.1,01/01/2024,01/06/2024\n",
    );
    let rec = InputFile::new(
        "cn/records.csv",
        "Station,Species,Individual,DateTimeOriginal\n\
         S1,Panthera tigris altaica,T1,2024-02-01 01:00:00\n\
         S1,Panthera tigris altaica,T2,2024-02-02 01:00:00\n\
         S1,Capreolus pygargus,C1,2024-02-03 01:00:00\n",
    );
    let opts = |species| CamtraprOptions {
        name: "CN",
        crs: None,
        utc_offset: None,
        date_format: Some("dmy"),
        datetime_format: None,
        species,
    };
    let (cat, _) = read_tables(&st, &rec, &opts(Some("PANTHERA tigris")));
    assert_eq!(cat.expect("read").detections.len(), 2);
    let (cat, reports) = read_tables(&st, &rec, &opts(Some("Panthera tigirs")));
    assert!(cat.expect("read").detections.is_empty());
    let r = reports.iter().find(|r| r.file == "cn/records.csv").unwrap();
    let w: Vec<&Issue> = r.issues.iter().filter(|i| i.code == "io.camtrapdp.no_species").collect();
    assert_eq!(w.len(), 1, "{:#?}", r.issues);
    assert_eq!(
        w[0].message,
        "no observation of 'Panthera tigirs' — species present: Panthera tigris altaica (2), Capreolus pygargus (1); \
         rows skipped: species is not Panthera tigirs (3); rows rejected: 0"
    );
}

/// The all-species reader (charts, activity overlap) reads a 0.1.6 package's observations too.
#[test]
fn all_species_reader_reads_0_1_6_observations() {
    use borderless::pipeline::{chartset::species_records, load_files, AnalysisOptions};
    let dep = "deploymentID,locationID,longitude,latitude,start,end\n\
        d1,L1,131.1,43.1,2020-05-01T10:00:00Z,2020-06-01T10:00:00Z\n";
    let obs =
        "observationID,deploymentID,sequenceID,mediaID,timestamp,observationType,scientificName,count,individualID\n\
        o1,d1,s1,,2020-05-02T01:00:00Z,animal,Panthera tigris altaica,1,T1\n\
        o2,d1,s2,,2020-05-03T01:00:00Z,Animal,Capreolus pygargus,1,\n\
        o3,d1,s2,m9,2020-05-03T01:00:00Z,animal,Capreolus pygargus,1,\n";
    let files = pkg("https://raw.githubusercontent.com/tdwg/camtrap-dp/0.1.6/camtrap-dp-profile.json", dep, obs);
    let loaded = load_files(files.clone(), &AnalysisOptions::default(), &mut |_| {});
    let (records, reports) = species_records(&files, &loaded);
    let species: Vec<&str> = records.iter().map(|r| r.species.as_str()).collect();
    assert_eq!(species, ["Panthera tigris altaica", "Capreolus pygargus"], "{reports:#?}");
}
