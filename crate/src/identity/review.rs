//! Expert decisions on candidate links (who, when, why), the links CSV and the Camtrap DP individuals resource.
//!
//! A [`Decision`] says that two national IDs are one animal (`accept`, also a hand-added link) or
//! are not (`reject`, which also removes a link of the links file). The latest decision per
//! unordered pair wins ([`latest_decisions`]); [`effective_links`] applies them to the links read
//! from files. The result is written as a links CSV ([`links_csv`], readable by
//! [`crate::io::links::read_links`]) and as a Camtrap DP-style `individuals` table
//! ([`individuals_csv`], [`individuals_resource`]); [`parse_decisions`] reads either back.

use crate::io::table::Table;
use crate::io::{FileReport, IoError};
use crate::model::joint::{Conflict, JointIndividual};
use crate::model::joint::{Link, NationalId};
use crate::model::message::Message;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Accept (one animal) or reject (two animals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
        }
    }
}

/// One expert decision on a pair of national IDs (JSON field names as agreed with the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub catalog_a: String,
    pub id_a: String,
    pub catalog_b: String,
    pub id_b: String,
    pub verdict: Verdict,
    pub who: String,
    /// RFC 3339 instant of the decision.
    pub when: String,
    pub why: String,
}

impl Decision {
    /// The unordered pair this decision is about.
    pub fn pair(&self) -> (NationalId, NationalId) {
        pair_key(&NationalId::new(&self.catalog_a, &self.id_a), &NationalId::new(&self.catalog_b, &self.id_b))
    }

    fn instant(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        chrono::DateTime::parse_from_rfc3339(&self.when).ok()
    }
}

/// The two IDs of a pair in a fixed order, so that (a, b) and (b, a) are one key.
pub fn pair_key(a: &NationalId, b: &NationalId) -> (NationalId, NationalId) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

/// Bad decision input: the located error of every reader ([`IoError`]), naming the file, row and
/// column.
pub type ReviewError = IoError;

/// The latest decision per unordered pair: latest `when` (as an instant), and among equal or
/// unreadable times the later one in `decisions`. Unreadable times count as oldest.
///
/// ```
/// use borderless::identity::review::{latest_decisions, Decision, Verdict};
/// let d = |v, when: &str| Decision { catalog_a: "CN".into(), id_a: "T1".into(), catalog_b: "RU".into(),
///     id_b: "A".into(), verdict: v, who: "me".into(), when: when.into(), why: String::new() };
/// // Stated in the other order, a day later: the reject wins.
/// let mut late = d(Verdict::Reject, "2026-01-02T00:00:00Z");
/// std::mem::swap(&mut late.catalog_a, &mut late.catalog_b);
/// std::mem::swap(&mut late.id_a, &mut late.id_b);
/// let all = [late, d(Verdict::Accept, "2026-01-01T00:00:00Z")];
/// let latest = latest_decisions(&all);
/// assert_eq!(latest.len(), 1);
/// assert_eq!(latest.values().next().unwrap().verdict, Verdict::Reject);
/// ```
pub fn latest_decisions(decisions: &[Decision]) -> BTreeMap<(NationalId, NationalId), &Decision> {
    let mut out: BTreeMap<(NationalId, NationalId), &Decision> = BTreeMap::new();
    for d in decisions {
        let key = d.pair();
        let replace = match out.get(&key) {
            None => true,
            Some(prev) => match (prev.instant(), d.instant()) {
                (Some(p), Some(n)) => n >= p,
                (None, _) => true,
                (Some(_), None) => false,
            },
        };
        if replace {
            out.insert(key, d);
        }
    }
    out
}

/// Rejected pairs (latest decision per pair) that the other links still join into one animal,
/// as conflicts: the reject removed their direct link, but a chain such as A–C–B remains.
///
/// ```
/// use borderless::model::joint::NationalId;
/// use borderless::model::joint::{JointCatalog, JointIndividual};
/// use borderless::identity::review::{rejected_but_joined, Decision, Verdict};
/// let (a, b) = (NationalId::new("CN", "T1"), NationalId::new("RU", "A"));
/// let joint = JointCatalog {
///     individuals: vec![JointIndividual { id: "CN:T1+RU:A".into(), national_ids: Default::default() }],
///     conflicts: vec![],
///     index: [(a.clone(), 0), (b.clone(), 0)].into_iter().collect(),
/// };
/// let d = Decision { catalog_a: "CN".into(), id_a: "T1".into(), catalog_b: "RU".into(), id_b: "A".into(),
///     verdict: Verdict::Reject, who: "Expert".into(), when: "2026-11-21T10:00:00Z".into(), why: String::new() };
/// let c = rejected_but_joined(&joint, &[d]);
/// assert_eq!((c.len(), c[0].row), (1, 0));
/// ```
pub fn rejected_but_joined(joint: &crate::model::joint::JointCatalog, decisions: &[Decision]) -> Vec<Conflict> {
    latest_decisions(decisions)
        .into_iter()
        .filter(|(_, d)| d.verdict == Verdict::Reject)
        .filter_map(|((a, b), d)| {
            let (ia, ib) = (joint.index.get(&a)?, joint.index.get(&b)?);
            let why = Message::new("identity.review.rejected_but_joined")
                .with("who", &d.who)
                .with("joint_id", &joint.individuals[*ia].id);
            (ia == ib).then(|| Conflict::new(0, a, b, why))
        })
        .collect()
}

/// Where an applied link came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSource {
    /// `file:<name>` for a links-table row, or the decision's author.
    pub who: String,
    pub when: String,
    pub why: String,
    /// Links-table name and row, for links from a file.
    pub file: Option<String>,
    pub row: Option<usize>,
}

/// A link as applied: the pair and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedLink {
    pub link: Link,
    pub source: LinkSource,
}

/// File links ⊕ decisions: every file link whose pair has no later reject, then every accepted
/// pair not already linked by a file. Links from decisions get `row` = 1-based position of the
/// decision in `decisions` (as conflicts name it).
pub fn effective_links(file_links: &[(String, Vec<Link>)], decisions: &[Decision]) -> Vec<SourcedLink> {
    let latest = latest_decisions(decisions);
    let mut out = Vec::new();
    let mut seen: HashMap<(NationalId, NationalId), ()> = HashMap::new();
    for (name, links) in file_links {
        for l in links {
            let key = pair_key(&l.a, &l.b);
            if latest.get(&key).is_some_and(|d| d.verdict == Verdict::Reject) {
                continue;
            }
            seen.insert(key, ());
            out.push(SourcedLink {
                link: l.clone(),
                source: LinkSource {
                    who: format!("file:{name}"),
                    when: String::new(),
                    why: format!("links table {name}, row {}", l.row),
                    file: Some(name.clone()),
                    row: Some(l.row),
                },
            });
        }
    }
    for (k, d) in decisions.iter().enumerate() {
        let key = d.pair();
        if d.verdict != Verdict::Accept || seen.contains_key(&key) || !std::ptr::eq(latest[&key], d) {
            continue;
        }
        seen.insert(key, ());
        let row = k + 1;
        out.push(SourcedLink {
            link: Link { row, a: NationalId::new(&d.catalog_a, &d.id_a), b: NationalId::new(&d.catalog_b, &d.id_b) },
            source: LinkSource { who: d.who.clone(), when: d.when.clone(), why: d.why.clone(), file: None, row: None },
        });
    }
    out
}

const LINKS_HEADER: [&str; 8] = ["catalog_a", "id_a", "catalog_b", "id_b", "verdict", "who", "when", "why"];

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The links CSV (`catalog_a,id_a,catalog_b,id_b,verdict,who,when,why`): every applied link as
/// `accept` (file links keep `who` = `file:<name>`), then every pair whose latest decision is
/// `reject`, so that reading it back gives the same decisions. The links reader skips the reject
/// rows, so the file is also a plain links table.
pub fn links_csv(file_links: &[(String, Vec<Link>)], decisions: &[Decision]) -> String {
    let mut w = csv_writer();
    let _ = w.write_record(LINKS_HEADER);
    for s in effective_links(file_links, decisions) {
        let (a, b) = (&s.link.a, &s.link.b);
        let _ = w.write_record([
            &a.catalog,
            &a.id,
            &b.catalog,
            &b.id,
            "accept",
            &s.source.who,
            &s.source.when,
            &s.source.why,
        ]);
    }
    for d in latest_decisions(decisions).values().filter(|d| d.verdict == Verdict::Reject) {
        let _ = w.write_record([&d.catalog_a, &d.id_a, &d.catalog_b, &d.id_b, "reject", &d.who, &d.when, &d.why]);
    }
    finish(w)
}

/// The evidence behind one joint individual: the photo links and genotype links that join its
/// national IDs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JointEvidence {
    /// Joint ID, as in [`JointIndividual::id`].
    pub id: String,
    pub links: Vec<EvidenceLink>,
    pub genotype_links: Vec<crate::identity::genotype_links::GenotypeLink>,
}

/// One applied photo-ID link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub a: NationalId,
    pub b: NationalId,
    pub source: LinkSource,
}

/// Evidence per joint individual with more than one national ID.
pub fn joint_evidence(
    individuals: &[JointIndividual],
    index: &HashMap<NationalId, usize>,
    links: &[SourcedLink],
    genotype_links: &[crate::identity::genotype_links::GenotypeLink],
) -> Vec<JointEvidence> {
    let mut ev: Vec<JointEvidence> =
        individuals.iter().map(|j| JointEvidence { id: j.id.clone(), ..Default::default() }).collect();
    for s in links {
        if let (Some(&i), Some(&k)) = (index.get(&s.link.a), index.get(&s.link.b)) {
            if i == k {
                ev[i].links.push(EvidenceLink { a: s.link.a.clone(), b: s.link.b.clone(), source: s.source.clone() });
            }
        }
    }
    for g in genotype_links {
        if let (Some(&i), Some(&k)) = (index.get(&g.a), index.get(&g.b)) {
            if i == k {
                ev[i].genotype_links.push(g.clone());
            }
        }
    }
    ev.into_iter().zip(individuals).filter(|(_, j)| j.national_ids.len() > 1).map(|(e, _)| e).collect()
}

/// Column of the joint ID in the individuals table.
pub const INDIVIDUAL_ID: &str = "individualID";
/// Column of the evidence text in the individuals table.
pub const EVIDENCE: &str = "evidence";

/// The `individuals` table: `individualID`, one column per catalog (national ID, empty where the
/// animal is not in that catalog), `evidence` (how the IDs were joined).
pub fn individuals_csv(catalogs: &[String], individuals: &[JointIndividual], evidence: &[JointEvidence]) -> String {
    let by_id: HashMap<&str, &JointEvidence> = evidence.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut w = csv_writer();
    let mut header = vec![INDIVIDUAL_ID.to_string()];
    header.extend(catalogs.iter().cloned());
    header.push(EVIDENCE.into());
    let _ = w.write_record(&header);
    for j in individuals {
        let mut rec = vec![j.id.clone()];
        rec.extend(catalogs.iter().map(|c| j.national_ids.get(c).cloned().unwrap_or_default()));
        let text = by_id.get(j.id.as_str()).map(|e| evidence_text(e)).unwrap_or_default();
        rec.push(text);
        let _ = w.write_record(&rec);
    }
    finish(w)
}

/// One line of human-readable evidence, e.g. `CN:T1=RU:A (links.csv row 2); genotype G3`.
pub fn evidence_text(e: &JointEvidence) -> String {
    let mut parts: Vec<String> = e
        .links
        .iter()
        .map(|l| {
            let by = match (&l.source.file, l.source.row) {
                (Some(f), Some(r)) => format!("{f} row {r}"),
                _ => format!("{} {}", l.source.who, l.source.when).trim().to_string(),
            };
            format!("{}:{}={}:{} ({by})", l.a.catalog, l.a.id, l.b.catalog, l.b.id)
        })
        .collect();
    parts.extend(
        e.genotype_links
            .iter()
            .map(|g| format!("{}:{}={}:{} (genotype {})", g.a.catalog, g.a.id, g.b.catalog, g.b.id, g.genotype)),
    );
    parts.join("; ")
}

/// The Camtrap DP-style tabular data resource descriptor of the `individuals` table
/// (Frictionless Table Schema: name, path, profile, schema.fields, primaryKey).
pub fn individuals_resource(catalogs: &[String]) -> serde_json::Value {
    let mut fields = vec![serde_json::json!({
        "name": INDIVIDUAL_ID, "type": "string",
        "description": "Joint individual: its national IDs in catalog order, e.g. CN:T07+RU:A12",
        "constraints": { "required": true, "unique": true }
    })];
    for c in catalogs {
        fields.push(serde_json::json!({
            "name": c, "type": "string",
            "description": format!("individualID of this animal in national catalog {c} (empty if not in it)")
        }));
    }
    fields.push(serde_json::json!({
        "name": EVIDENCE, "type": "string",
        "description": "How the national IDs were joined: photo links (file and row, or who and when) and genotype links"
    }));
    serde_json::json!({
        "name": "individuals",
        "path": "individuals.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": { "fields": fields, "primaryKey": INDIVIDUAL_ID }
    })
}

/// Reads decisions from a links CSV (with or without `verdict,who,when,why`; plain rows become
/// `accept` decisions by `file:<name>`) or from an individuals table (each row's national IDs are
/// accepted as one animal, chained from the first).
pub fn parse_decisions(name: &str, bytes: &[u8]) -> Result<Vec<Decision>, ReviewError> {
    let mut report = FileReport::new(name, "decisions");
    let t = Table::parse(name, bytes, &mut report)?;
    let err = |row: usize, column: &str, message: Message| ReviewError::at(name, Some(row), Some(column), message);
    let width = |row: &crate::io::table::Row| -> Result<(), ReviewError> {
        if row.fields.len() != t.header.len() {
            return Err(err(
                row.line,
                t.header.get(row.fields.len()).map_or("", String::as_str),
                Message::new("identity.review.width").with("fields", row.fields.len()).with("header", t.header.len()),
            ));
        }
        Ok(())
    };
    let epoch = "1970-01-01T00:00:00Z".to_string();
    let mut out = Vec::new();
    if t.col("catalog_a").is_some() {
        let c = t.require(&["catalog_a", "id_a", "catalog_b", "id_b"])?;
        let (verdict, who, when, why) = (t.col("verdict"), t.col("who"), t.col("when"), t.col("why"));
        for row in &t.rows {
            width(row)?;
            let names = ["catalog_a", "id_a", "catalog_b", "id_b"];
            let mut v = Vec::with_capacity(4);
            for k in 0..4 {
                v.push(row.get(c[k]).ok_or_else(|| {
                    err(row.line, names[k], Message::new("identity.review.empty").with("column", names[k]))
                })?);
            }
            let verdict = match verdict.and_then(|i| row.get(i)).map(str::to_ascii_lowercase).as_deref() {
                None | Some("accept") => Verdict::Accept,
                Some("reject") => Verdict::Reject,
                Some(o) => {
                    return Err(err(row.line, "verdict", Message::new("identity.review.verdict").with("value", o)))
                }
            };
            let when = match when.and_then(|i| row.get(i)) {
                Some(w) => {
                    chrono::DateTime::parse_from_rfc3339(w).map_err(|e| {
                        err(
                            row.line,
                            "when",
                            Message::new("identity.review.when").with("value", w).with("reason", e.to_string()),
                        )
                    })?;
                    w.to_string()
                }
                None => epoch.clone(),
            };
            out.push(Decision {
                catalog_a: v[0].into(),
                id_a: v[1].into(),
                catalog_b: v[2].into(),
                id_b: v[3].into(),
                verdict,
                who: who.and_then(|i| row.get(i)).map_or_else(|| format!("file:{name}"), str::to_string),
                when,
                why: why
                    .and_then(|i| row.get(i))
                    .map_or_else(|| format!("links table {name}, row {}", row.line), str::to_string),
            });
        }
        return Ok(out);
    }
    let Some(idc) = t.col(INDIVIDUAL_ID) else {
        return Err(err(1, "", Message::new("identity.review.unknown_table")));
    };
    let ev = t.col(EVIDENCE);
    let cats: Vec<usize> = (0..t.header.len()).filter(|&i| i != idc && Some(i) != ev).collect();
    if cats.len() < 2 {
        return Err(err(1, "", Message::new("identity.review.one_catalog")));
    }
    for row in &t.rows {
        width(row)?;
        let ids: Vec<(usize, &str)> = cats.iter().filter_map(|&i| row.get(i).map(|v| (i, v))).collect();
        for &(ci, id) in ids.iter().skip(1) {
            let (c0, id0) = ids[0];
            out.push(Decision {
                catalog_a: t.header[c0].clone(),
                id_a: id0.into(),
                catalog_b: t.header[ci].clone(),
                id_b: id.into(),
                verdict: Verdict::Accept,
                who: format!("file:{name}"),
                when: epoch.clone(),
                why: format!("individuals table {name}, row {}", row.line),
            });
        }
    }
    Ok(out)
}
