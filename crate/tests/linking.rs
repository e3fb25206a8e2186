//! The links table and the joint catalog: transitive links, conflicts (two IDs of one catalog
//! made one animal), unknown catalogs and IDs, repeated links, stable joint IDs.
//!
//! Rows are spreadsheet rows: the header is row 1, the first link row 2.

use borderless::identity::crossings::summarise;
use borderless::io::links::read_links;
use borderless::io::{FileReport, InputFile, Issue, Severity};
use borderless::model::{Catalog, Detection, LatLon, Station};
use borderless::pipeline::{analyze_files, AnalysisOptions};
use borderless::{identity::join::join, model::joint::JointCatalog};
use std::collections::BTreeMap;

/// A catalog with one station and one detection per individual ID.
fn cat(name: &str, ids: &[&str]) -> Catalog {
    let t = chrono::DateTime::parse_from_rfc3339("2024-12-01T00:00:00+08:00").unwrap();
    let end = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00+08:00").unwrap();
    Catalog {
        name: name.into(),
        title: None,
        simulated: false,
        source: name.into(),
        stations: vec![Station {
            id: format!("{name}-s1"),
            location_id: None,
            position: LatLon { lat: 43.0, lon: 131.0 },
            start: t,
            end,
            problems: vec![],
        }],
        detections: ids
            .iter()
            .enumerate()
            .map(|(k, i)| Detection {
                station: 0,
                individual: i.to_string(),
                species: None,
                sex: None,
                time: t + chrono::Duration::hours(k as i64 + 1),
                precision: Default::default(),
                source_row: k + 2,
            })
            .collect(),
    }
}

fn three() -> Vec<Catalog> {
    vec![cat("A", &["A1", "A2"]), cat("B", &["B1", "B2"]), cat("C", &["C1"])]
}

/// Reads `rows` (after the header) as links.csv and joins `cats` with them.
fn link(cats: &[Catalog], rows: &[&str]) -> (JointCatalog, FileReport) {
    let mut text = String::from("catalog_a,id_a,catalog_b,id_b\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    let f = InputFile::new("links.csv", text);
    let mut report = FileReport::new("links.csv", "links table");
    let links = read_links(&f, &mut report).unwrap();
    let joint = join(cats, &links, Some(&mut report));
    assert!(report.balanced(), "{report:#?}");
    (joint, report)
}

fn ids(j: &JointCatalog) -> Vec<&str> {
    j.individuals.iter().map(|i| i.id.as_str()).collect()
}

fn errors(r: &FileReport) -> Vec<(usize, &str)> {
    r.issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.row.unwrap(), i.column.as_deref().unwrap()))
        .collect()
}

#[test]
fn links_are_transitive_across_three_catalogs() {
    let cats = three();
    let (j, r) = link(&cats, &["A,A1,B,B1", "B,B1,C,C1"]);
    // A1–B1 and B1–C1: one animal known in A, B and C; A2 and B2 stay alone.
    assert_eq!(ids(&j), ["A:A1+B:B1+C:C1", "A:A2", "B:B2"]);
    let nat: BTreeMap<String, String> =
        [("A", "A1"), ("B", "B1"), ("C", "C1")].iter().map(|(c, i)| (c.to_string(), i.to_string())).collect();
    assert_eq!(j.individuals[0].national_ids, nat);
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 2, 0));
    assert!(j.conflicts.is_empty());
    // Counted once jointly: A counts 2, B 2, C 1 -> sum 5, unique 3, of which 1 transboundary.
    let s = summarise(&cats, &j, None).summary;
    assert_eq!((s.unique_individuals, s.transboundary_individuals, s.sum_of_national_counts), (3, 1, 5));
}

#[test]
fn direct_link_within_one_catalog_is_a_conflict_not_applied() {
    let (j, r) = link(&three(), &["A,A1,A,A2"]);
    assert_eq!(ids(&j), ["A:A1", "A:A2", "B:B1", "B:B2", "C:C1"]);
    assert_eq!(errors(&r), [(2, "id_b")]);
    assert_eq!((r.rows_used, r.rows_rejected), (0, 1));
    assert_eq!(j.conflicts.len(), 1);
    assert_eq!(j.conflicts[0].row, 2);
    assert!(j.conflicts[0].reason.contains("A:A1") && j.conflicts[0].reason.contains("A:A2"));
}

#[test]
fn transitive_merge_within_one_catalog_is_a_conflict_not_applied() {
    // Row 3 would join A2 to the animal A1+B1 made in row 2; the clashing ID is in id_b.
    let (j, r) = link(&three(), &["A,A1,B,B1", "B,B1,A,A2"]);
    assert_eq!(ids(&j), ["A:A1+B:B1", "A:A2", "B:B2", "C:C1"]);
    assert_eq!(errors(&r), [(3, "id_b")]);
    assert_eq!(j.conflicts.iter().map(|c| c.row).collect::<Vec<_>>(), [3]);
    // The same with the clashing ID in id_a.
    let (j, r) = link(&three(), &["A,A1,B,B1", "A,A2,B,B1"]);
    assert_eq!(ids(&j), ["A:A1+B:B1", "A:A2", "B:B2", "C:C1"]);
    assert_eq!(errors(&r), [(3, "id_a")]);
    let msg = &r.issues.iter().find(|i| i.row == Some(3)).unwrap().message;
    assert!(msg.contains("conflict") && msg.contains("A:A1") && msg.contains("A:A2"), "{msg}");
    // Through a third catalog: A1–B1, A2–C1, then B1–C1 would make A1 and A2 one animal.
    let (j, r) = link(&three(), &["A,A1,B,B1", "A,A2,C,C1", "B,B1,C,C1"]);
    assert_eq!(ids(&j), ["A:A1+B:B1", "A:A2+C:C1", "B:B2"]);
    assert_eq!(errors(&r).iter().map(|e| e.0).collect::<Vec<_>>(), [4]);
    assert_eq!((r.rows_used, r.rows_rejected), (2, 1));
    assert_eq!(j.conflicts[0].row, 4);
}

#[test]
fn unknown_catalog_or_individual_is_rejected_with_row_and_column() {
    let (j, r) = link(&three(), &["X,X1,B,B1", "A,A1,Z,B1", "A,A9,B,B1", "A,A1,B,B9", "A,A1,B,B1"]);
    assert_eq!(errors(&r), [(2, "catalog_a"), (3, "catalog_b"), (4, "id_a"), (5, "id_b")]);
    let msg = |row: usize| r.issues.iter().find(|i| i.row == Some(row)).unwrap().message.clone();
    assert!(msg(2).contains("'X'") && msg(2).contains("A, B, C"), "{}", msg(2));
    assert!(msg(3).contains("'Z'"), "{}", msg(3));
    assert!(msg(4).contains("'A9'"), "{}", msg(4));
    assert!(msg(5).contains("'B9'"), "{}", msg(5));
    // Only the good row 6 is applied.
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (5, 1, 4));
    assert_eq!(ids(&j), ["A:A1+B:B1", "A:A2", "B:B2", "C:C1"]);
}

#[test]
fn empty_fields_are_rejected_with_their_column() {
    let (_, r) = link(&three(), &["A,,B,B1", "A,A1,B,"]);
    assert_eq!(errors(&r), [(2, "id_a"), (3, "id_b")]);
}

#[test]
fn repeated_links_are_skipped() {
    let (j, r) = link(&three(), &["A,A1,B,B1", "A,A1,B,B1", "B,B1,A,A1"]);
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (3, 1, 0));
    assert_eq!(r.rows_skipped, vec![("link already implied by earlier rows".to_string(), 2)]);
    assert_eq!(ids(&j), ["A:A1+B:B1", "A:A2", "B:B2", "C:C1"]);
    // A link implied transitively is a repeat too.
    let (_, r) = link(&three(), &["A,A1,B,B1", "B,B1,C,C1", "A,A1,C,C1"]);
    assert_eq!((r.rows_used, r.rows_skipped.len()), (2, 1));
}

#[test]
fn joint_ids_are_stable() {
    let cats = three();
    let (j1, _) = link(&cats, &["A,A1,B,B1", "B,B1,C,C1", "A,A2,B,B2"]);
    // Other row order, sides swapped.
    let (j2, _) = link(&cats, &["B,B2,A,A2", "C,C1,B,B1", "B,B1,A,A1"]);
    // Detections in another order inside each catalog.
    let mut rev = cats.clone();
    for c in &mut rev {
        c.detections.reverse();
    }
    let (j3, _) = link(&rev, &["A,A2,B,B2", "A,A1,B,B1", "C,C1,B,B1"]);
    assert_eq!(ids(&j1), ["A:A1+B:B1+C:C1", "A:A2+B:B2"]);
    assert_eq!(j1.individuals, j2.individuals);
    assert_eq!(j1.individuals, j3.individuals);
    // And the index points to the same animal.
    for j in [&j1, &j2, &j3] {
        let k = j.index[&borderless::model::joint::NationalId::new("C", "C1")];
        assert_eq!(j.individuals[k].id, "A:A1+B:B1+C:C1");
    }
}

/// Two links tables given together: each row's problem is reported in its own file.
#[test]
fn several_links_tables_report_into_their_own_file() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo");
    let mut files = Vec::new();
    for side in ["cn", "ru"] {
        for f in ["datapackage.json", "deployments.csv", "observations.csv"] {
            files.push(InputFile::new(format!("{side}/{f}"), std::fs::read(format!("{demo}/{side}/{f}")).unwrap()));
        }
    }
    // links.csv has 19 link rows (`tail -n +2 www/demo/links.csv | wc -l` -> 19).
    let text = std::fs::read_to_string(format!("{demo}/links.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20);
    // First file: header + 10 links + an unknown ID (row 12). Second: header + 9 links + a
    // repeat of its row 2 (row 11) + an unknown catalog (row 12).
    let first = format!("{}\n{}\nCN,CN-T99,RU,RU-T01\n", lines[0], lines[1..11].join("\n"));
    let second = format!("{}\n{}\n{}\nKP,KP-T01,RU,RU-T01\n", lines[0], lines[11..20].join("\n"), lines[11]);
    files.push(InputFile::new("links-1.csv", first));
    files.push(InputFile::new("links-2.csv", second));
    let a = analyze_files(files, &AnalysisOptions::default(), &mut |_| {});
    let r1 = a.reports.iter().find(|r| r.file == "links-1.csv").unwrap();
    let r2 = a.reports.iter().find(|r| r.file == "links-2.csv").unwrap();
    assert!(r1.balanced() && r2.balanced(), "{r1:#?} {r2:#?}");
    assert_eq!((r1.rows_read, r1.rows_used, r1.rows_rejected), (11, 10, 1));
    assert_eq!((r2.rows_read, r2.rows_used, r2.rows_rejected), (11, 9, 1));
    let where_ = |r: &FileReport| -> Vec<(usize, String)> {
        r.issues
            .iter()
            .filter(|i: &&Issue| i.severity == Severity::Error)
            .map(|i| (i.row.unwrap(), i.column.clone().unwrap()))
            .collect()
    };
    assert_eq!(where_(r1), [(12, "id_a".to_string())]);
    assert_eq!(where_(r2), [(12, "catalog_a".to_string())]);
    assert_eq!(r2.rows_skipped.iter().map(|(_, n)| n).sum::<usize>(), 1);
    // All 19 links applied.
    assert_eq!(a.crossborder.summary.transboundary_individuals, 19);
}
