//! The cross-border summary: per joint individual, detections per catalog, border crossings
//! and distance from the border; overall, how much summing national counts over-counts.

use crate::model::joint::JointCatalog;
use crate::model::joint::NationalId;
use crate::model::{Catalog, TimePrecision, Timestamp};
use crate::spatial::Border;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Totals over the joint catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Individuals of the joint catalog with at least one detection.
    pub unique_individuals: usize,
    /// Individuals detected in more than one catalog.
    pub transboundary_individuals: usize,
    /// Distinct individuals each catalog would report alone.
    pub national_counts: BTreeMap<String, usize>,
    pub sum_of_national_counts: usize,
    /// (sum − unique) / unique × 100; `None` when there is no individual.
    pub overcount_percent: Option<f64>,
}

/// One joint individual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndividualSummary {
    pub id: String,
    pub national_ids: BTreeMap<String, String>,
    /// Detections per catalog (every loaded catalog appears, with 0 where not detected).
    pub detections: BTreeMap<String, usize>,
    /// Changes of catalog (country) between chronologically consecutive detections: the
    /// **minimum** consistent with the data when times tie (see [`crossing_bounds`] for the rule).
    pub crossings: usize,
    /// The maximum number of changes consistent with the data under the same rule (equal to
    /// `crossings` unless times tie across catalogs); `None` in analyses saved before it was kept.
    #[serde(default)]
    pub max_crossings: Option<usize>,
    /// True when the order of tied detections matters: `max_crossings` > `crossings`.
    #[serde(default)]
    pub ambiguous_crossings: bool,
    /// Largest geodesic distance (km) from the border of any station where it was detected;
    /// `None` without a border.
    pub max_distance_from_border_km: Option<f64>,
    /// First and last detection, ISO 8601 with the offset they were recorded in, to the precision
    /// they were written with (`2024-11-04` for a date-only record; see [`TimePrecision::format`]).
    pub first_seen: String,
    pub last_seen: String,
    pub species: Option<String>,
}

/// One detection placed in the joint catalog, in chronological order (for maps and charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JointDetection {
    /// Index into [`CrossBorder::individuals`].
    pub individual: usize,
    /// Index of the catalog in load order.
    pub catalog: usize,
    /// Index of the station within its catalog.
    pub station: usize,
    /// RFC 3339; for a coarse time, the start of its interval (see `precision`).
    pub time: String,
    /// How precisely the time was written (absent in analyses saved before it was kept: seconds).
    #[serde(default)]
    pub precision: TimePrecision,
    /// Scientific name as recorded for this detection (absent in analyses saved before it was added).
    #[serde(default)]
    pub species: Option<String>,
}

/// The result of [`summarise`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossBorder {
    pub summary: Summary,
    pub individuals: Vec<IndividualSummary>,
    pub detections: Vec<JointDetection>,
    /// Distance (km) of each catalog's stations from the border, if there is one.
    pub station_distance_km: Vec<Vec<Option<f64>>>,
}

/// Over-count of the sum of national counts relative to the unique count, in percent.
///
/// ```
/// // The joint China–Russia tiger study: 45 unique tigers, 19 seen on both sides, so the two
/// // national counts sum to 64 and over-count by 19/45 = 42.2%.
/// let p = borderless::identity::crossings::overcount_percent(64, 45).unwrap();
/// assert!((p - 42.222).abs() < 1e-3);
/// ```
pub fn overcount_percent(sum_of_national: usize, unique: usize) -> Option<f64> {
    (unique > 0).then(|| (sum_of_national as f64 - unique as f64) / unique as f64 * 100.0)
}

/// One detection placed in the joint catalog: (time, catalog, station, joint individual, species,
/// precision).
type Placed<'a> = (Timestamp, usize, usize, usize, Option<&'a str>, TimePrecision);

/// Summarises the joint catalog. `border` gives distances; without it they are `None`.
pub fn summarise(catalogs: &[Catalog], joint: &JointCatalog, border: Option<&Border>) -> CrossBorder {
    let station_distance_km: Vec<Vec<Option<f64>>> = catalogs
        .iter()
        .map(|c| c.stations.iter().map(|s| border.map(|b| b.geodesic_distance_km(s.position))).collect())
        .collect();
    // Every detection, placed.
    let mut placed: Vec<Placed> = Vec::new();
    for (ci, c) in catalogs.iter().enumerate() {
        for d in &c.detections {
            let ji = joint.index[&NationalId::new(&c.name, &d.individual)];
            placed.push((d.time, ci, d.station, ji, d.species.as_deref(), d.precision));
        }
    }
    // Chronological (by instant, the finer precision first), ties broken by catalog, station,
    // individual and species: the same order whatever the order of the input rows. Crossings do
    // not depend on this order (see `crossing_bounds`).
    placed.sort_by(|a, b| {
        (a.0, std::cmp::Reverse(a.5), a.1, a.2, a.3, a.4).cmp(&(b.0, std::cmp::Reverse(b.5), b.1, b.2, b.3, b.4))
    });
    let n = joint.individuals.len();
    let mut per: Vec<Vec<&Placed>> = vec![Vec::new(); n];
    for p in &placed {
        per[p.3].push(p);
    }
    let mut individuals = Vec::with_capacity(n);
    for (ji, ind) in joint.individuals.iter().enumerate() {
        let dets = &per[ji];
        let mut detections: BTreeMap<String, usize> = catalogs.iter().map(|c| (c.name.clone(), 0)).collect();
        for d in dets {
            *detections.get_mut(&catalogs[d.1].name).unwrap() += 1;
        }
        let bounds = crossing_bounds(&dets.iter().map(|d| (d.0, d.5, d.1)).collect::<Vec<_>>());
        let max_distance_from_border_km = border.and_then(|_| {
            dets.iter()
                .filter_map(|d| station_distance_km[d.1][d.2])
                .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
        });
        let species = dets.iter().find_map(|d| d.4.map(str::to_string));
        individuals.push(IndividualSummary {
            id: ind.id.clone(),
            national_ids: ind.national_ids.clone(),
            detections,
            crossings: bounds.min,
            max_crossings: Some(bounds.max),
            ambiguous_crossings: bounds.max > bounds.min,
            max_distance_from_border_km,
            first_seen: dets.first().map(|d| d.5.format(&d.0)).unwrap_or_default(),
            last_seen: last_seen(dets),
            species,
        });
    }
    let unique_individuals = individuals.iter().filter(|i| i.detections.values().any(|&v| v > 0)).count();
    let transboundary_individuals =
        individuals.iter().filter(|i| i.detections.values().filter(|&&v| v > 0).count() > 1).count();
    let national_counts: BTreeMap<String, usize> =
        catalogs.iter().map(|c| (c.name.clone(), c.individuals().len())).collect();
    let sum_of_national_counts = national_counts.values().sum();
    let detections = placed
        .iter()
        .map(|p| JointDetection {
            individual: p.3,
            catalog: p.1,
            station: p.2,
            time: p.0.to_rfc3339(),
            precision: p.5,
            species: p.4.map(str::to_string),
        })
        .collect();
    CrossBorder {
        summary: Summary {
            unique_individuals,
            transboundary_individuals,
            national_counts,
            sum_of_national_counts,
            overcount_percent: overcount_percent(sum_of_national_counts, unique_individuals),
        },
        individuals,
        detections,
        station_distance_km,
    }
}

/// The last detection (latest start; of equal starts, the finest precision), as
/// [`TimePrecision::format`] writes it.
fn last_seen(dets: &[&Placed]) -> String {
    dets.iter().max_by_key(|d| (d.0, std::cmp::Reverse(d.5))).map(|d| d.5.format(&d.0)).unwrap_or_default()
}

/// The fewest and the most changes of catalog consistent with one individual's detections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossingBounds {
    /// The minimum: what [`IndividualSummary::crossings`] reports.
    pub min: usize,
    /// The maximum.
    pub max: usize,
}

/// Groups detections, each `(time, precision, catalog)`, into tie blocks: a detection stands for
/// the interval `[time, time + precision)`, and detections whose intervals overlap, directly or
/// through others, are one block. Blocks are returned in time order, each as its catalogs with
/// their numbers of detections; the result does not depend on the order of `dets`.
pub fn tie_blocks(dets: &[(Timestamp, TimePrecision, usize)]) -> Vec<BTreeMap<usize, usize>> {
    let mut iv: Vec<(Timestamp, Timestamp, usize)> = dets.iter().map(|(t, p, c)| (*t, p.end(t), *c)).collect();
    iv.sort();
    let mut blocks: Vec<BTreeMap<usize, usize>> = Vec::new();
    let mut block_end: Option<Timestamp> = None;
    for (start, end, c) in iv {
        match block_end {
            Some(e) if start < e => block_end = Some(e.max(end)),
            _ => {
                blocks.push(BTreeMap::new());
                block_end = Some(end);
            }
        }
        *blocks.last_mut().expect("a block was pushed").entry(c).or_insert(0) += 1;
    }
    blocks
}

/// The fewest and the most changes of catalog between consecutive detections of one individual,
/// over every order its detections could have happened in.
///
/// **Rule.** Detections are grouped into tie blocks ([`tie_blocks`]: intervals
/// `[time, time + precision)` that overlap, directly or through others). Blocks follow each other
/// in time; within a block any order is taken as possible. The count is the number of
/// consecutive pairs of detections from different catalogs. Its minimum and maximum over all
/// such orders are found by carrying, block by block, the best count for each possible catalog
/// of the last detection so far (a dynamic programme over blocks):
///
/// * minimum, block with `k` catalogs entered after catalog `p`: its detections grouped by
///   catalog give `k − 1` changes, plus one on entering unless the block can start with `p`
///   (possible when `p` is in the block and is not the catalog it ends with, or `k = 1`);
/// * maximum: the block preceded by `p` is a sequence of `L` detections (`p` first, then the
///   block's `m`) ending with `l`; the changes are its `L − 1` adjacent pairs minus the fewest
///   equal ones, `max(0, max_c(n_c − (L − n_c) − 1 + e_c))`, where `n_c` counts catalog `c` in it
///   and `e_c` the fixed ends (`p`, `l`) that are not `c` (the `n_c` detections of `c` form at
///   most `L − n_c + 1 − e_c` runs).
///
/// Times known to the second never tie unless equal, so for camera data the minimum and the
/// maximum are the plain count of changes between consecutive detections.
///
/// ```
/// use borderless::identity::crossings::crossing_bounds;
/// use borderless::model::TimePrecision::{Day, Second};
/// let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// let day = t("2024-11-04T00:00:00+08:00");
/// // Two records in China (0) and two in Russia (1), all dated 4 November only: from 1 (CN CN RU RU)
/// // to 3 (CN RU CN RU) changes are consistent with the data.
/// let b = crossing_bounds(&[(day, Day, 0), (day, Day, 1), (day, Day, 0), (day, Day, 1)]);
/// assert_eq!((b.min, b.max), (1, 3));
/// // The same with times to the second, an hour apart: exactly 3.
/// let h = |k: i64| day + chrono::Duration::hours(k);
/// let b = crossing_bounds(&[(h(1), Second, 0), (h(2), Second, 1), (h(3), Second, 0), (h(4), Second, 1)]);
/// assert_eq!((b.min, b.max), (3, 3));
/// ```
pub fn crossing_bounds(dets: &[(Timestamp, TimePrecision, usize)]) -> CrossingBounds {
    // Best count for each catalog of the last detection so far (`None`: nothing placed yet).
    let mut lo: BTreeMap<Option<usize>, usize> = BTreeMap::from([(None, 0)]);
    let mut hi: BTreeMap<Option<usize>, usize> = BTreeMap::from([(None, 0)]);
    for block in tie_blocks(dets) {
        let (mut next_lo, mut next_hi) = (BTreeMap::new(), BTreeMap::new());
        for &l in block.keys() {
            let best_lo = lo.iter().map(|(p, c)| c + block_min(&block, *p, l)).min();
            let best_hi = hi.iter().map(|(p, c)| c + block_max(&block, *p, l)).max();
            next_lo.insert(Some(l), best_lo.expect("a state"));
            next_hi.insert(Some(l), best_hi.expect("a state"));
        }
        (lo, hi) = (next_lo, next_hi);
    }
    CrossingBounds { min: lo.values().copied().min().unwrap_or(0), max: hi.values().copied().max().unwrap_or(0) }
}

/// The fewest changes placing `block` after catalog `p` and ending it with `l` (in the block).
fn block_min(block: &BTreeMap<usize, usize>, p: Option<usize>, l: usize) -> usize {
    let k = block.len();
    let enter = match p {
        None => 0,
        Some(p) if k == 1 => usize::from(p != l),
        // The block can open with p only if p is in it and is not the catalog it closes with.
        Some(p) => usize::from(!(block.contains_key(&p) && p != l)),
    };
    k - 1 + enter
}

/// The most changes placing `block` after catalog `p` and ending it with `l` (in the block).
fn block_max(block: &BTreeMap<usize, usize>, p: Option<usize>, l: usize) -> usize {
    let mut counts = block.clone();
    if let Some(p) = p {
        *counts.entry(p).or_insert(0) += 1;
    }
    let len: usize = counts.values().sum();
    let fewest_equal = counts
        .iter()
        .map(|(&c, &n)| {
            let fixed_other = usize::from(p.is_some_and(|p| p != c)) + usize::from(l != c);
            (n + fixed_other).saturating_sub(len - n + 1)
        })
        .max()
        .unwrap_or(0);
    len - 1 - fewest_equal
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(day: i64, hour: i64) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2024-11-01T00:00:00+08:00").unwrap()
            + chrono::Duration::hours(24 * day + hour)
    }

    /// Every order of `dets` in which a detection whose interval ends before another's starts
    /// (directly or through a chain of overlaps, i.e. in an earlier block) comes first; the
    /// fewest and most changes of catalog over them. Blocks by union–find over overlapping pairs
    /// (independent of `tie_blocks`' sweep).
    fn brute_force(dets: &[(Timestamp, TimePrecision, usize)]) -> (usize, usize) {
        let n = dets.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(p: &mut Vec<usize>, i: usize) -> usize {
            if p[i] == i {
                i
            } else {
                let r = root(p, p[i]);
                p[i] = r;
                r
            }
        }
        for i in 0..n {
            for j in 0..n {
                let (a, b) = (&dets[i], &dets[j]);
                if a.0 < b.1.end(&b.0) && b.0 < a.1.end(&a.0) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri] = rj;
                }
            }
        }
        // Block of each detection, as the earliest start among its members.
        let key: Vec<Timestamp> = (0..n)
            .map(|i| {
                let r = root(&mut parent, i);
                (0..n).filter(|&j| root(&mut parent, j) == r).map(|j| dets[j].0).min().unwrap()
            })
            .collect();
        let (mut lo, mut hi) = (usize::MAX, 0);
        let mut order: Vec<usize> = (0..n).collect();
        permute(&mut order, 0, &mut |o| {
            if o.windows(2).all(|w| key[w[0]] <= key[w[1]]) {
                let c = o.windows(2).filter(|w| dets[w[0]].2 != dets[w[1]].2).count();
                lo = lo.min(c);
                hi = hi.max(c);
            }
        });
        (if n == 0 { 0 } else { lo }, hi)
    }

    fn permute(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
        if k == v.len() {
            return f(v);
        }
        for i in k..v.len() {
            v.swap(k, i);
            permute(v, k + 1, f);
            v.swap(k, i);
        }
    }

    #[test]
    fn same_day_records_in_two_countries() {
        use TimePrecision::*;
        // Nov 4: CN, CN, RU, RU (date only); Nov 6 12:00 RU; Nov 8 CN.
        // Fewest: CN CN RU RU | RU | CN = 2. Most: RU CN RU CN | RU | CN = 3 + 1 + 1 = 5.
        let d = [(at(3, 0), Day, 0), (at(3, 0), Day, 0), (at(3, 0), Day, 1), (at(3, 0), Day, 1)];
        let mut all = d.to_vec();
        all.push((at(5, 12), Second, 1));
        all.push((at(7, 0), Day, 0));
        assert_eq!(crossing_bounds(&all), CrossingBounds { min: 2, max: 5 });
        assert_eq!(brute_force(&all), (2, 5));
        // One block of one catalog: no change.
        assert_eq!(crossing_bounds(&d[..2]), CrossingBounds { min: 0, max: 0 });
        assert_eq!(crossing_bounds(&[]), CrossingBounds { min: 0, max: 0 });
        // A minute-precision record at 16:05 ties with a second-precision one at 16:05:30 but
        // not with one at 16:06:00.
        let m = at(3, 16) + chrono::Duration::minutes(5);
        let s30 = m + chrono::Duration::seconds(30);
        assert_eq!(tie_blocks(&[(m, Minute, 0), (s30, Second, 1)]).len(), 1);
        assert_eq!(tie_blocks(&[(m, Minute, 0), (m + chrono::Duration::seconds(60), Second, 1)]).len(), 2);
    }

    fn precision(k: u8) -> TimePrecision {
        [TimePrecision::Day, TimePrecision::Minute, TimePrecision::Second][k as usize % 3]
    }

    proptest! {
        /// The dynamic programme agrees with enumerating every order the rule allows.
        #[test]
        fn bounds_match_brute_force(
            raw in prop::collection::vec((0i64..3, 0i64..3, 0u8..3, 0usize..3), 0..8)
        ) {
            let dets: Vec<(Timestamp, TimePrecision, usize)> = raw
                .iter()
                .map(|&(day, hour, p, c)| {
                    let p = precision(p);
                    let t = if p == TimePrecision::Day { at(day, 0) } else { at(day, hour) };
                    (t, p, c)
                })
                .collect();
            let b = crossing_bounds(&dets);
            prop_assert_eq!((b.min, b.max), brute_force(&dets), "{:?}", dets);
        }
    }
}
