//! Joining national catalogs into one catalog of individuals through the links table.
//!
//! Links are transitive (union–find). A link that would put two different IDs of the same
//! catalog into one animal is a conflict: it is reported with its row and not applied.

use crate::io::FileReport;
use crate::model::joint::{Conflict, JointCatalog, JointIndividual, Link, NationalId};
use crate::model::message::Message;
use crate::model::{Catalog, TimePrecision};
use std::collections::HashMap;

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
}

/// Builds the joint catalog. Problems with link rows (unknown catalog or ID, conflicts,
/// repeats) go into `links_report` with their row and column.
///
/// ```
/// use borderless::model::joint::{Link, NationalId};
/// use borderless::identity::join::join;
/// # use borderless::model::*;
/// # fn cat(name: &str, ids: &[&str]) -> Catalog {
/// #   let t = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00+08:00").unwrap();
/// #   Catalog { name: name.into(), title: None, source: name.into(), simulated: false,
/// #     stations: vec![Station { id: "s".into(), location_id: None, position: LatLon { lat: 43.0, lon: 131.0 }, start: t, end: t, problems: vec![] }],
/// #     detections: ids.iter().map(|i| Detection { station: 0, individual: i.to_string(), species: None, sex: None, time: t, precision: TimePrecision::Second, source_row: 2 }).collect() }
/// # }
/// let cats = [cat("CN", &["T1", "T2"]), cat("RU", &["A"])];
/// let links = [Link { row: 2, a: NationalId::new("CN", "T1"), b: NationalId::new("RU", "A") }];
/// let joint = join(&cats, &links, None);
/// assert_eq!(joint.individuals.len(), 2); // CN:T1+RU:A and CN:T2
/// ```
pub fn join(catalogs: &[Catalog], links: &[Link], links_report: Option<&mut FileReport>) -> JointCatalog {
    join_tables(catalogs, vec![(links, links_report)])
}

/// [`join`] over several links tables, applied in order; problems with a row go to the report
/// of the table it came from.
pub fn join_tables(catalogs: &[Catalog], tables: Vec<(&[Link], Option<&mut FileReport>)>) -> JointCatalog {
    let order: HashMap<&str, usize> = catalogs.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
    let mut nodes: Vec<NationalId> = Vec::new();
    let mut node_of: HashMap<NationalId, usize> = HashMap::new();
    for c in catalogs {
        for id in c.individuals() {
            let n = NationalId::new(&c.name, id);
            node_of.insert(n.clone(), nodes.len());
            nodes.push(n);
        }
    }
    let mut uf = UnionFind { parent: (0..nodes.len()).collect() };
    // Members per root, to detect same-catalog merges.
    let mut members: Vec<Vec<usize>> = (0..nodes.len()).map(|i| vec![i]).collect();
    let mut conflicts = Vec::new();
    let known: Vec<&str> = catalogs.iter().map(|c| c.name.as_str()).collect();
    for (links, mut links_report) in tables {
        for link in links {
            let mut check = |n: &NationalId, side: &str| -> Option<usize> {
                if !order.contains_key(n.catalog.as_str()) {
                    if let Some(r) = links_report.as_deref_mut() {
                        r.reject(
                            link.row,
                            Some(&format!("catalog_{side}")),
                            Message::new("identity.links.catalog_not_loaded")
                                .with("catalog", &n.catalog)
                                .with("loaded", known.join(", ")),
                        );
                    }
                    return None;
                }
                match node_of.get(n) {
                    Some(&i) => Some(i),
                    None => {
                        if let Some(r) = links_report.as_deref_mut() {
                            r.reject(
                                link.row,
                                Some(&format!("id_{side}")),
                                Message::new("identity.links.no_detection")
                                    .with("id", &n.id)
                                    .with("catalog", &n.catalog),
                            );
                        }
                        None
                    }
                }
            };
            let Some(ia) = check(&link.a, "a") else { continue };
            let Some(ib) = check(&link.b, "b") else { continue };
            if ia == ib {
                if let Some(r) = links_report.as_deref_mut() {
                    r.skip(Message::new("identity.links.skip_self"));
                    r.warn(
                        Some(link.row),
                        Some("id_b"),
                        Message::new("identity.links.self").with("catalog", &link.a.catalog).with("id", &link.a.id),
                    );
                }
                continue;
            }
            let (ra, rb) = (uf.find(ia), uf.find(ib));
            if ra == rb {
                if let Some(r) = links_report.as_deref_mut() {
                    r.skip(Message::new("identity.links.skip_implied"));
                }
                continue;
            }
            let clash = members[ra]
                .iter()
                .find_map(|&x| members[rb].iter().find(|&&y| nodes[x].catalog == nodes[y].catalog).map(|&y| (x, y)));
            if let Some((x, y)) = clash {
                let reason = Message::new("identity.links.conflict")
                    .with("catalog_a", &nodes[x].catalog)
                    .with("id_a", &nodes[x].id)
                    .with("catalog_b", &nodes[y].catalog)
                    .with("id_b", &nodes[y].id);
                // Name the link's own ID that clashes (the other one came in through earlier rows).
                let column = if nodes[y] == link.b || nodes[x] != link.a { "id_b" } else { "id_a" };
                if let Some(r) = links_report.as_deref_mut() {
                    r.reject(
                        link.row,
                        Some(column),
                        Message::new("identity.links.conflict_row").with("reason", reason.clone()),
                    );
                }
                conflicts.push(Conflict::new(link.row, link.a.clone(), link.b.clone(), reason));
                continue;
            }
            uf.parent[rb] = ra;
            let moved = std::mem::take(&mut members[rb]);
            members[ra].extend(moved);
            if let Some(r) = links_report.as_deref_mut() {
                r.rows_used += 1;
            }
        }
    }
    let mut individuals = Vec::new();
    let mut index = HashMap::new();
    let mut roots: Vec<usize> = (0..nodes.len()).filter(|&i| uf.find(i) == i).collect();
    let key = |m: &Vec<usize>| -> Vec<(usize, String)> {
        let mut k: Vec<(usize, String)> =
            m.iter().map(|&i| (order[nodes[i].catalog.as_str()], nodes[i].id.clone())).collect();
        k.sort();
        k
    };
    roots.sort_by_key(|&r| key(&members[r]));
    for r in roots {
        let mut ms = members[r].clone();
        ms.sort_by_key(|&i| (order[nodes[i].catalog.as_str()], nodes[i].id.clone()));
        let id = ms.iter().map(|&i| format!("{}:{}", nodes[i].catalog, nodes[i].id)).collect::<Vec<_>>().join("+");
        let national_ids = ms.iter().map(|&i| (nodes[i].catalog.clone(), nodes[i].id.clone())).collect();
        for &i in &ms {
            index.insert(nodes[i].clone(), individuals.len());
        }
        individuals.push(JointIndividual { id, national_ids });
    }
    JointCatalog { individuals, conflicts, index }
}

/// Detections of one joint individual at the same instant in two catalogs (countries): one
/// animal cannot be on both sides at once, so a link or a camera clock is wrong. One message
/// per pair, naming the individual, the instant and both observation rows.
pub fn same_instant_in_two_catalogs(catalogs: &[Catalog], joint: &JointCatalog) -> Vec<Message> {
    let mut by_ind: HashMap<usize, Vec<(usize, &crate::model::Detection)>> = HashMap::new();
    for (ci, c) in catalogs.iter().enumerate() {
        for d in &c.detections {
            if let Some(&j) = joint.index.get(&NationalId::new(&c.name, &d.individual)) {
                by_ind.entry(j).or_default().push((ci, d));
            }
        }
    }
    let mut keys: Vec<usize> = by_ind.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for j in keys {
        let mut dets = by_ind[&j].clone();
        dets.sort_by_key(|(ci, d)| (d.time, *ci, d.source_row));
        for w in dets.windows(2) {
            let ((ca, a), (cb, b)) = (w[0], w[1]);
            // Only times known to the second are one instant: two records of the same date (or
            // minute) in two countries may well be hours apart.
            let exact = a.precision == TimePrecision::Second && b.precision == TimePrecision::Second;
            if ca != cb && exact && a.time == b.time {
                out.push(
                    Message::new("identity.joint.same_instant")
                        .with("id", joint.individuals[j].id.as_str())
                        .with("time", a.time.to_rfc3339())
                        .with("catalog_a", catalogs[ca].name.as_str())
                        .with("row_a", a.source_row)
                        .with("catalog_b", catalogs[cb].name.as_str())
                        .with("row_b", b.source_row),
                );
            }
        }
    }
    out
}
