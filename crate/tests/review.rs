//! Expert decisions: latest per pair wins, effective links, conflicts, and round trips through
//! the links CSV and the Camtrap DP individuals table.

use borderless::identity::join::join;
use borderless::identity::review::{
    effective_links, individuals_csv, individuals_resource, joint_evidence, latest_decisions, links_csv,
    parse_decisions, Decision, Verdict,
};
use borderless::io::links::read_links;
use borderless::io::{FileReport, InputFile};
use borderless::model::joint::{Link, NationalId};
use borderless::model::{Catalog, Detection, LatLon, Station};
use borderless::pipeline::Loaded;

fn cat(name: &str, ids: &[&str]) -> Catalog {
    let t = chrono::DateTime::parse_from_rfc3339("2024-12-01T00:00:00+08:00").unwrap();
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
            end: t + chrono::Duration::days(30),
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

fn dec(a: &str, b: &str, v: Verdict, when: &str) -> Decision {
    let (ca, ia) = a.split_once(':').unwrap();
    let (cb, ib) = b.split_once(':').unwrap();
    Decision {
        catalog_a: ca.into(),
        id_a: ia.into(),
        catalog_b: cb.into(),
        id_b: ib.into(),
        verdict: v,
        who: "Dr. Tester, \"quoted\"".into(),
        when: when.into(),
        why: "stripes, left flank; see photo 12".into(),
    }
}

fn link(row: usize, a: &str, b: &str) -> Link {
    let (ca, ia) = a.split_once(':').unwrap();
    let (cb, ib) = b.split_once(':').unwrap();
    Link { row, a: NationalId::new(ca, ia), b: NationalId::new(cb, ib) }
}

/// CN: T1 T2 T3; RU: A B C. File links CN:T1=RU:A (row 2), CN:T2=RU:B (row 3).
fn loaded() -> Loaded {
    let catalogs = vec![cat("CN", &["T1", "T2", "T3"]), cat("RU", &["A", "B", "C"])];
    let links = vec![link(2, "CN:T1", "RU:A"), link(3, "CN:T2", "RU:B")];
    let joint = join(&catalogs, &links, None);
    Loaded {
        catalogs,
        joint,
        border: None,
        reports: vec![],
        links: vec![("links.csv".into(), links)],
        genotypes: vec![],
        decisions: vec![],
        inputs: vec![],
    }
}

#[test]
fn latest_decision_per_unordered_pair_wins() {
    let d = [
        dec("CN:T3", "RU:C", Verdict::Accept, "2026-11-21T10:00:00+08:00"),
        // Same pair, other order, one hour later in UTC terms (03:00Z vs 02:00Z): wins.
        dec("RU:C", "CN:T3", Verdict::Reject, "2026-11-21T03:00:00Z"),
        // Earlier than both, listed last: loses.
        dec("CN:T3", "RU:C", Verdict::Accept, "2026-11-20T00:00:00Z"),
    ];
    let latest = latest_decisions(&d);
    assert_eq!(latest.len(), 1);
    assert_eq!(latest.values().next().unwrap().verdict, Verdict::Reject);
}

#[test]
fn decisions_add_and_remove_links_and_conflicts_are_reported() {
    let l = loaded();
    let decisions = [
        dec("CN:T2", "RU:B", Verdict::Reject, "2026-11-21T10:00:00Z"),
        dec("CN:T3", "RU:C", Verdict::Accept, "2026-11-21T10:01:00Z"),
        // T3 is now C: linking T1 to C too would make T1 and T3 one animal.
        dec("CN:T1", "RU:C", Verdict::Accept, "2026-11-21T10:02:00Z"),
    ];
    let eff = effective_links(&l.links, &decisions);
    let pairs: Vec<(String, String)> =
        eff.iter().map(|s| (format!("{}:{}", s.link.a.catalog, s.link.a.id), s.link.b.id.clone())).collect();
    assert_eq!(
        pairs,
        [("CN:T1".to_string(), "A".to_string()), ("CN:T3".into(), "C".into()), ("CN:T1".into(), "C".into())]
    );
    let a = l.analysis_with(&decisions, &[], &mut |_| {});
    let ids: Vec<&str> = a.joint.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["CN:T1+RU:A", "CN:T2", "CN:T3+RU:C", "RU:B"]);
    assert_eq!(a.conflicts.len(), 1);
    assert_eq!(a.conflicts[0].row, 3, "the third decision");
    assert!(a.conflicts[0].reason.contains("CN:T1 and CN:T3"), "{:?}", a.conflicts);
    assert_eq!(a.crossborder.summary.unique_individuals, 4);
    assert_eq!(a.crossborder.summary.transboundary_individuals, 2);
    // Evidence: T1+A from the file (row 2), T3+C from the decision with who/when/why.
    assert_eq!(a.evidence.len(), 2);
    assert_eq!(a.evidence[0].links[0].source.row, Some(2));
    assert_eq!(a.evidence[1].links[0].source.when, "2026-11-21T10:01:00Z");
    assert_eq!(a.evidence[1].links[0].source.why, "stripes, left flank; see photo 12");
}

#[test]
fn links_csv_round_trips_and_reads_as_a_plain_links_table() {
    let l = loaded();
    let decisions = [
        dec("CN:T2", "RU:B", Verdict::Reject, "2026-11-21T10:00:00Z"),
        dec("CN:T3", "RU:C", Verdict::Accept, "2026-11-21T10:01:00Z"),
    ];
    let text = links_csv(&l.links, &decisions);
    assert!(text.starts_with("catalog_a,id_a,catalog_b,id_b,verdict,who,when,why\r\n"), "{text}");
    // The existing links reader: the two accepted links, the reject row skipped by design.
    let mut report = FileReport::new("out.csv", "links table");
    let read = read_links(&InputFile::new("out.csv", text.clone()), &mut report).unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!((read[0].b.id.as_str(), read[1].b.id.as_str()), ("A", "C"));
    assert_eq!(report.rows_read, 3);
    assert_eq!(report.rows_skipped.iter().map(|(_, n)| n).sum::<usize>(), 1);
    // Read back as decisions: applied with no file links, the same links and rejects.
    let back = parse_decisions("out.csv", text.as_bytes()).unwrap();
    assert_eq!(back.len(), 3);
    assert_eq!(back[0].who, "file:links.csv");
    assert_eq!(back[1], decisions[1]);
    assert_eq!(back[2], decisions[0]);
    // Written again from the decisions alone: the file link now carries the epoch as its time
    // (a links table has no time), everything else is the same, and it reads back identically.
    let again = links_csv(&[], &back);
    assert_eq!(again, text.replacen("file:links.csv,,", "file:links.csv,1970-01-01T00:00:00Z,", 1));
    assert_eq!(parse_decisions("again.csv", again.as_bytes()).unwrap(), back);
}

#[test]
fn individuals_table_round_trips() {
    let l = loaded();
    let decisions = [dec("CN:T3", "RU:C", Verdict::Accept, "2026-11-21T10:01:00Z")];
    let eff = effective_links(&l.links, &decisions);
    let joint = l.relink(&eff);
    let ev = joint_evidence(&joint.individuals, &joint.index, &eff, &[]);
    let names = vec!["CN".to_string(), "RU".to_string()];
    let text = individuals_csv(&names, &joint.individuals, &ev);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "individualID,CN,RU,evidence");
    assert_eq!(lines[1], "CN:T1+RU:A,T1,A,CN:T1=RU:A (links.csv row 2)");
    assert_eq!(lines.len(), 1 + 3);
    // Back to decisions, then to the same joint catalog.
    let back = parse_decisions("individuals.csv", text.as_bytes()).unwrap();
    assert_eq!(back.len(), 3);
    assert!(back.iter().all(|d| d.verdict == Verdict::Accept && d.who == "file:individuals.csv"));
    let links: Vec<Link> = effective_links(&[], &back).into_iter().map(|s| s.link).collect();
    let rejoined = join(&l.catalogs, &links, None);
    assert_eq!(rejoined.individuals, joint.individuals);
    // The descriptor names the same columns.
    let r = individuals_resource(&names);
    assert_eq!(r["profile"], "tabular-data-resource");
    assert_eq!(r["name"], "individuals");
    let fields: Vec<&str> =
        r["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(fields, lines[0].split(',').collect::<Vec<_>>());
}

#[test]
fn bad_decision_files_name_row_and_column() {
    let e = parse_decisions("d.csv", b"catalog_a,id_a,catalog_b,id_b,verdict\nCN,T1,RU,A,maybe\n").unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("verdict")));
    let e =
        parse_decisions("d.csv", b"catalog_a,id_a,catalog_b,id_b,when\nCN,T1,RU,,2026-01-01T00:00:00Z\n").unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("id_b")));
    let e = parse_decisions("d.csv", b"catalog_a,id_a,catalog_b,id_b,when\nCN,T1,RU,A,yesterday\n").unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("when")));
    assert!(parse_decisions("d.csv", b"x,y\n1,2\n").is_err());
    // Decision JSON: field names as agreed with the page; unknown fields refused.
    let d: Decision = serde_json::from_str(
        r#"{"catalog_a":"CN","id_a":"T1","catalog_b":"RU","id_b":"A","verdict":"reject","who":"x","when":"2026-01-01T00:00:00Z","why":""}"#,
    )
    .unwrap();
    assert_eq!(d.verdict, Verdict::Reject);
    assert!(serde_json::from_str::<Decision>(r#"{"catalog_a":"CN","id_a":"T1","catalog_b":"RU","id_b":"A","verdict":"accept","who":"x","when":"","why":"","extra":1}"#).is_err());
}

/// A reject that other links override is flagged, not silently ignored: with a third catalog,
/// CN:T1 = KP:X = RU:A keeps CN:T1 and RU:A one animal after their direct pair is rejected.
#[test]
fn rejected_pair_joined_through_a_third_catalog_is_a_conflict() {
    let mut l = loaded();
    l.catalogs.push(cat("KP", &["X"]));
    let chain = vec![link(2, "CN:T1", "KP:X"), link(3, "KP:X", "RU:A")];
    l.links = vec![("chain.csv".into(), chain)];
    let reject = dec("CN:T1", "RU:A", Verdict::Reject, "2026-11-21T10:00:00Z");
    let (_, joint) = l.relink_with(std::slice::from_ref(&reject));
    let one = joint.index[&NationalId::new("CN", "T1")];
    assert_eq!(joint.index[&NationalId::new("RU", "A")], one, "the chain still joins them");
    assert_eq!(joint.conflicts.len(), 1);
    let c = &joint.conflicts[0];
    assert_eq!((c.a.catalog.as_str(), c.a.id.as_str(), c.b.catalog.as_str(), c.b.id.as_str()), ("CN", "T1", "RU", "A"));
    assert!(c.reason.contains("rejected by Dr. Tester") && c.reason.contains("CN:T1+RU:A+KP:X"), "{}", c.reason);
    // Rejecting one link of the chain instead honours it: no conflict, three animals.
    let cut = dec("KP:X", "RU:A", Verdict::Reject, "2026-11-21T11:00:00Z");
    let (_, joint) = l.relink_with(&[reject, cut]);
    assert!(joint.conflicts.is_empty(), "{:?}", joint.conflicts);
    assert_ne!(joint.index[&NationalId::new("RU", "A")], joint.index[&NationalId::new("CN", "T1")]);
}
