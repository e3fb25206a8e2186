//! Clustering: the pair index, complete linkage inside connected components and allelematch's hybrid tree cut.

use super::*;

/// Smallest half-unit count `h` whose dissimilarity `1 − (h/2)/ncol` is ≤ `cut` (R arithmetic).
pub(super) fn min_half_for_cut(cut: f64, ncol: usize) -> u32 {
    (0..=2 * ncol as u32).find(|&h| 1.0 - sim_from_half(h, ncol) <= cut).unwrap_or(u32::MAX)
}

/// Smallest half-unit count whose similarity is ≥ `threshold`.
pub(super) fn min_half_for_threshold(threshold: f64, ncol: usize) -> u32 {
    (0..=2 * ncol as u32).find(|&h| sim_from_half(h, ncol) >= threshold).unwrap_or(u32::MAX)
}

pub(super) fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// One merge of the complete-linkage dendrogram: height and the two clusters' representatives
/// (smallest position in the cluster), as R `hclust` records them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Merge {
    height: f64,
    i2: usize,
    j2: usize,
}

/// Every pair of samples whose similarity reaches a floor, found once per table and floor and then
/// shared by all clustering passes and the final matching (a pair's similarity does not depend on
/// which other samples remain). Symmetric adjacency in compressed rows: the neighbours of sample
/// `i` are `nb[start[i]..start[i + 1]]`, ascending, with their half-unit counts in `half`.
///
/// Candidates come from a pigeonhole filter when it is selective: a pair within the floor differs
/// in at most `d = 2·columns − floor` columns (a column costs 2 half units when both alleles are
/// present and differ, 1 when one is missing), so splitting the columns into `d + 1` blocks leaves
/// at least one block in which the two samples' codes are identical. Samples are bucketed by each
/// block's codes; only pairs sharing a bucket are scored, each at the first block they share.
/// When the buckets are too coarse (many allowed mismatches, few alleles) every pair is scored.
/// Either way the result is the exact set of pairs at or above the floor.
pub(super) struct PairIndex {
    hmin: u32,
    start: Vec<usize>,
    nb: Vec<u32>,
    half: Vec<u16>,
}

impl PairIndex {
    pub(super) fn build(table: &GenotypeTable, hmin: u32) -> PairIndex {
        let n = table.len();
        let ncol = table.n_columns();
        let mut edges: Vec<(u32, u32, u16)> = Vec::new();
        if n >= 2 && hmin <= 2 * ncol as u32 {
            let blocks = (2 * ncol as u32 - hmin) as usize + 1;
            let bucketed = blocks <= ncol && Self::bucketed_pairs(table, hmin, blocks, &mut edges);
            if !bucketed {
                edges.clear();
                Self::all_pairs(table, hmin, &mut edges);
            }
        }
        let mut deg = vec![0usize; n + 1];
        for &(i, j, _) in &edges {
            deg[i as usize] += 1;
            deg[j as usize] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + deg[i];
        }
        let mut fill = start.clone();
        let mut nb = vec![0u32; start[n]];
        let mut half = vec![0u16; start[n]];
        edges.sort_unstable();
        // Each row lists its lower neighbours, then its upper ones; (i, j) sorted keeps both ascending.
        for &(i, j, h) in &edges {
            let k = fill[j as usize];
            nb[k] = i;
            half[k] = h;
            fill[j as usize] += 1;
        }
        for &(i, j, h) in &edges {
            let k = fill[i as usize];
            nb[k] = j;
            half[k] = h;
            fill[i as usize] += 1;
        }
        PairIndex { hmin, start, nb, half }
    }

    /// Neighbours of `i` (ascending) with their half-unit counts.
    pub(super) fn of(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let r = self.start[i]..self.start[i + 1];
        self.nb[r.clone()].iter().zip(&self.half[r]).map(|(&j, &h)| (j as usize, h as u32))
    }

    fn all_pairs(table: &GenotypeTable, hmin: u32, edges: &mut Vec<(u32, u32, u16)>) {
        let n = table.len();
        for a in 0..n {
            let ra = table.row(a);
            let ma = table.missing_per_row[a] as u32;
            for b in a + 1..n {
                let h = 2 * equal_present(ra, table.row(b)) + ma + table.missing_per_row[b] as u32;
                if h >= hmin {
                    edges.push((a as u32, b as u32, h as u16));
                }
            }
        }
    }

    /// The pigeonhole filter; returns false (and leaves `edges` partial) when the buckets would
    /// score more than a quarter of all pairs, so scoring every pair is cheaper.
    fn bucketed_pairs(table: &GenotypeTable, hmin: u32, blocks: usize, edges: &mut Vec<(u32, u32, u16)>) -> bool {
        let n = table.len();
        let ncol = table.n_columns();
        let bounds: Vec<usize> = (0..=blocks).map(|b| b * ncol / blocks).collect();
        let block = |i: usize, b: usize| &table.row(i)[bounds[b]..bounds[b + 1]];
        let key = |i: usize, b: usize| -> u64 {
            // FNV-1a over the block's codes; equal keys are confirmed code by code.
            block(i, b).iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| (h ^ c as u64).wrapping_mul(0x0100_0000_01b3))
        };
        let mut orders: Vec<Vec<(u64, u32)>> = Vec::with_capacity(blocks);
        let mut work = 0f64;
        for b in 0..blocks {
            let mut o: Vec<(u64, u32)> = (0..n).map(|i| (key(i, b), i as u32)).collect();
            o.sort_unstable();
            let mut s = 0;
            while s < n {
                let e = s + o[s..].iter().take_while(|x| x.0 == o[s].0).count();
                work += ((e - s) * (e - s - 1) / 2) as f64;
                s = e;
            }
            orders.push(o);
        }
        if work > 0.25 * (n * (n - 1) / 2) as f64 {
            return false;
        }
        for (b, o) in orders.iter().enumerate() {
            let mut s = 0;
            while s < n {
                let e = s + o[s..].iter().take_while(|x| x.0 == o[s].0).count();
                let bucket = &o[s..e];
                for (x, &(_, i)) in bucket.iter().enumerate() {
                    let i = i as usize;
                    for &(_, j) in &bucket[x + 1..] {
                        let j = j as usize;
                        if block(i, b) != block(j, b) || (0..b).any(|c| block(i, c) == block(j, c)) {
                            continue;
                        }
                        let h = table.half_units(i, j);
                        if h >= hmin {
                            edges.push((i.min(j) as u32, i.max(j) as u32, h as u16));
                        }
                    }
                }
                s = e;
            }
        }
        true
    }
}

/// Complete-linkage merges of `members` (positions) up to height `cut`, in R `hclust`'s order.
/// Pairs at most `cut` apart come from the pair index; complete linkage never merges across
/// connected components of that graph below the cut, so exact linkage runs per component and the
/// component sequences are interleaved by hclust's (height, i, j) rule.
pub(super) fn merges_below(table: &GenotypeTable, pairs: &PairIndex, members: &[usize], cut: f64) -> Vec<Merge> {
    let n = members.len();
    let hmin = min_half_for_cut(cut, table.n_columns());
    debug_assert!(hmin >= pairs.hmin);
    let mut pos = vec![u32::MAX; table.len()];
    for (a, &s) in members.iter().enumerate() {
        pos[s] = a as u32;
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut any = false;
    for (a, &s) in members.iter().enumerate() {
        for (j, h) in pairs.of(s) {
            let b = pos[j];
            if b != u32::MAX && b as usize > a && h >= hmin {
                any = true;
                let (x, y) = (find(&mut parent, a as u32), find(&mut parent, b));
                if x != y {
                    parent[x.max(y) as usize] = x.min(y);
                }
            }
        }
    }
    if !any {
        return Vec::new();
    }
    let mut comp_of: Vec<u32> = vec![u32::MAX; n];
    let mut comps: Vec<Vec<usize>> = Vec::new();
    for a in 0..n {
        let r = find(&mut parent, a as u32) as usize;
        if comp_of[r] == u32::MAX {
            comp_of[r] = comps.len() as u32;
            comps.push(Vec::new());
        }
        comps[comp_of[r] as usize].push(a);
    }
    let seqs: Vec<Vec<Merge>> =
        comps.into_iter().filter(|c| c.len() > 1).map(|c| hclust_complete(table, members, &c, cut)).collect();
    // k-way merge by (height, i2, j2): hclust's global choice of the next agglomeration. Components
    // are disjoint, so no two heads tie on all three.
    #[derive(PartialEq)]
    struct Head(f64, usize, usize, usize);
    impl Eq for Head {}
    impl PartialOrd for Head {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Head {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            // Reversed: BinaryHeap is a max-heap.
            o.0.total_cmp(&self.0).then(o.1.cmp(&self.1)).then(o.2.cmp(&self.2))
        }
    }
    let total: usize = seqs.iter().map(Vec::len).sum();
    let mut heap: std::collections::BinaryHeap<Head> =
        seqs.iter().enumerate().filter_map(|(k, s)| s.first().map(|m| Head(m.height, m.i2, m.j2, k))).collect();
    let mut next = vec![1usize; seqs.len()];
    let mut out = Vec::with_capacity(total);
    while let Some(Head(_, _, _, k)) = heap.pop() {
        out.push(seqs[k][next[k] - 1]);
        if let Some(m) = seqs[k].get(next[k]) {
            heap.push(Head(m.height, m.i2, m.j2, k));
        }
        next[k] += 1;
    }
    out
}

/// Exact complete linkage inside one component with R `hclust`'s nearest-neighbour bookkeeping and
/// tie-breaking, stopped at the first merge above `cut`.
pub(super) fn hclust_complete(table: &GenotypeTable, members: &[usize], comp: &[usize], cut: f64) -> Vec<Merge> {
    let m = comp.len();
    let mut d = vec![0f64; m * m];
    for i in 0..m {
        for j in i + 1..m {
            let v = table.dissimilarity(members[comp[i]], members[comp[j]]);
            d[i * m + j] = v;
            d[j * m + i] = v;
        }
    }
    let mut active = vec![true; m];
    let mut nn = vec![0usize; m];
    let mut disnn = vec![f64::INFINITY; m];
    let renn = |i: usize, d: &[f64], active: &[bool], nn: &mut [usize], disnn: &mut [f64]| {
        let mut best = f64::INFINITY;
        let mut jj = i;
        for j in i + 1..m {
            if active[j] && d[i * m + j] < best {
                best = d[i * m + j];
                jj = j;
            }
        }
        nn[i] = jj;
        disnn[i] = best;
    };
    for i in 0..m - 1 {
        renn(i, &d, &active, &mut nn, &mut disnn);
    }
    let mut out = Vec::new();
    for _ in 0..m - 1 {
        let mut best = f64::INFINITY;
        let (mut im, mut jm) = (usize::MAX, usize::MAX);
        for i in 0..m - 1 {
            if active[i] && disnn[i] < best {
                best = disnn[i];
                im = i;
                jm = nn[i];
            }
        }
        if im == usize::MAX || best > cut {
            break;
        }
        let (i2, j2) = (im.min(jm), im.max(jm));
        out.push(Merge { height: best, i2: comp[i2], j2: comp[j2] });
        active[j2] = false;
        for k in 0..m {
            if active[k] && k != i2 {
                let v = d[i2 * m + k].max(d[j2 * m + k]);
                d[i2 * m + k] = v;
                d[k * m + i2] = v;
            }
        }
        renn(i2, &d, &active, &mut nn, &mut disnn);
        for i in 0..m - 1 {
            if active[i] && i != i2 && (nn[i] == i2 || nn[i] == j2) {
                renn(i, &d, &active, &mut nn, &mut disnn);
            }
        }
    }
    out
}

/// R's `round` (IEC 60559: half to even) for the reference merge index.
pub(super) fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Branch {
    is_basic: bool,
    is_top_basic: bool,
    fail_size: bool,
    attach: Option<f64>,
    size: usize,
    singletons: Vec<usize>,
    basic_clusters: Vec<usize>,
}

/// allelematch's tree cut: dynamicTreeCut `cutreeHybrid(minClusterSize = 1)` with its defaults
/// (deepSplit 1, PAM stage respecting the dendrogram, maxPamDist = cutHeight), re-implemented from
/// the algorithm's description and source. Returns a label per position (0 = unassigned).
// long function: one port of cutreeHybrid's stages (branch building, core scatter and gap tests,
// the PAM stage), kept in the order of the original so that it can be read against it.
pub(super) fn hybrid_cut(table: &GenotypeTable, pairs: &PairIndex, members: &[usize], cut: f64) -> Vec<usize> {
    let n = members.len();
    let merges = merges_below(table, pairs, members, cut);
    let dist = |a: usize, b: usize| if a == b { 0.0 } else { table.dissimilarity(members[a], members[b]) };
    if merges.is_empty() {
        return vec![0; n];
    }
    let n_merge = n - 1;
    let mut cut_height = cut;
    if merges.len() == n_merge {
        cut_height = cut_height.min(merges.last().unwrap().height);
    }
    let ref_merge = (round_half_even(n_merge as f64 * 0.05) as usize).max(1);
    // A reference height above the cut only enters the criteria through signs; ±∞ is equivalent.
    let ref_height = merges.get(ref_merge - 1).map(|m| m.height);
    let max_core_scatter = 0.73;
    let min_gap = (1.0 - 0.73) * 3.0 / 4.0;
    let (max_abs_core_scatter, min_abs_gap, min_abs_split_height) = match ref_height {
        Some(r) => (r + max_core_scatter * (cut_height - r), min_gap * (cut_height - r), r),
        None => (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY),
    };
    let max_pam_dist = cut_height;
    let core_size = |ns: usize| -> usize {
        let base = 1.0 / 2.0 + 1.0;
        if base < ns as f64 {
            (base + (ns as f64 - base).sqrt()) as usize
        } else {
            ns
        }
    };
    let core_scatter = |sing: &[usize]| -> f64 {
        let cs = core_size(sing.len());
        let core = &sing[..cs];
        let mut total = 0.0;
        for &b in core {
            let col: f64 = core.iter().map(|&a| dist(a, b)).sum();
            total += col / (cs as f64 - 1.0);
        }
        total / cs as f64
    };
    // Branches are 1-based as in the R code; index 0 is unused.
    let mut br: Vec<Branch> = vec![Branch::default()];
    let mut merge_branch = vec![0usize; merges.len()];
    let mut on_branch = vec![0usize; n];
    let mut last_step: Vec<Option<usize>> = vec![None; n];
    for (step, m) in merges.iter().enumerate() {
        let h = m.height;
        let (na, nb) = (last_step[m.i2], last_step[m.j2]);
        // hclust's merge row: singletons first; two clusters by step number.
        match (na, nb) {
            (None, None) => {
                br.push(Branch {
                    is_basic: true,
                    is_top_basic: true,
                    size: 2,
                    singletons: vec![m.i2, m.j2],
                    ..Default::default()
                });
                merge_branch[step] = br.len() - 1;
            }
            (None, Some(s)) | (Some(s), None) => {
                let gene = if na.is_none() { m.i2 } else { m.j2 };
                let c = merge_branch[s];
                if br[c].is_basic {
                    br[c].singletons.push(gene);
                } else {
                    on_branch[gene] = c;
                }
                br[c].size += 1;
                merge_branch[step] = c;
            }
            (Some(sa), Some(sb)) => {
                let (c1, c2) = (merge_branch[sa.min(sb)], merge_branch[sa.max(sb)]);
                let (mut small, mut large) = if br[c1].size <= br[c2].size { (c1, c2) } else { (c2, c1) };
                let ave = |b: &Branch| if b.is_basic { core_scatter(&b.singletons) } else { 0.0 };
                let (sm_ave, lg_ave) = (ave(&br[small]), ave(&br[large]));
                let scores = |ave: f64| [ave > max_abs_core_scatter, h - ave < min_abs_gap, h < min_abs_split_height];
                let ss = scores(sm_ave);
                let mut do_merge = false;
                let mut fail_size = false;
                if br[small].is_basic && ss.iter().any(|&x| x) {
                    do_merge = true;
                    fail_size = !(ss[0] || ss[1]);
                } else {
                    let ls = scores(lg_ave);
                    if br[large].is_basic && ls.iter().any(|&x| x) {
                        do_merge = true;
                        fail_size = !(ls[0] || ls[1]);
                        std::mem::swap(&mut small, &mut large);
                    }
                }
                if do_merge {
                    br[small].fail_size = fail_size;
                    br[small].attach = Some(h);
                    br[small].is_top_basic = false;
                    let moved = br[small].singletons.clone();
                    if br[large].is_basic {
                        br[large].singletons.extend(moved);
                    } else {
                        for g in moved {
                            on_branch[g] = large;
                        }
                    }
                    br[large].size += br[small].size;
                    merge_branch[step] = large;
                } else {
                    if br[large].is_basic && !br[small].is_basic {
                        std::mem::swap(&mut small, &mut large);
                    }
                    br[large].attach = Some(h);
                    br[small].attach = Some(h);
                    let mut basic = if br[small].is_basic { vec![small] } else { br[small].basic_clusters.clone() };
                    if br[large].is_basic {
                        basic.push(large);
                    } else {
                        basic.extend(br[large].basic_clusters.iter().copied());
                    }
                    br.push(Branch {
                        size: br[small].size + br[large].size,
                        basic_clusters: basic,
                        ..Default::default()
                    });
                    merge_branch[step] = br.len() - 1;
                }
            }
        }
        last_step[m.i2] = Some(step);
    }
    let nb = br.len() - 1;
    let mut small_labels = vec![0usize; n];
    let mut is_cluster = vec![false; nb + 1];
    for c in 1..=nb {
        let attach = br[c].attach.unwrap_or(cut_height);
        if br[c].is_top_basic {
            let sc = core_scatter(&br[c].singletons);
            is_cluster[c] = sc < max_abs_core_scatter && attach - sc > min_abs_gap;
        }
        if br[c].fail_size {
            for &g in &br[c].singletons {
                small_labels[g] = c;
            }
        }
    }
    let mut colors = vec![0i64; n];
    let mut branch_label = vec![0i64; nb + 1];
    let mut color = 0;
    for c in (1..=nb).filter(|&c| is_cluster[c]) {
        color += 1;
        for &g in &br[c].singletons {
            colors[g] = color;
            small_labels[g] = 0;
        }
        branch_label[c] = color;
    }
    let n_labels = color as usize;
    if n_labels > 0 && colors.contains(&0) {
        // Positions carrying each label (0 = none yet), ascending: the sums below run in position
        // order, as in R. Label 0 can be the nearest, which leaves the objects unassigned.
        let mut with_label: Vec<Vec<usize>> = vec![Vec::new(); n_labels + 1];
        for (p, &c) in colors.iter().enumerate() {
            with_label[c as usize].push(p);
        }
        let mut diam = vec![0.0; n_labels + 1];
        for (k, dk) in diam.iter_mut().enumerate().skip(1) {
            let inside = &with_label[k];
            if inside.len() > 1 {
                *dk = inside
                    .iter()
                    .map(|&b| inside.iter().map(|&a| dist(a, b)).sum::<f64>() / (inside.len() - 1) as f64)
                    .fold(f64::NEG_INFINITY, f64::max);
            }
        }
        // Mean distance from `objs` to each label present among `labels` (label order ascending).
        let nearest = |objs: &[usize], labels: &[i64]| -> Option<(i64, f64)> {
            let mut present: Vec<i64> = labels.to_vec();
            present.sort_unstable();
            present.dedup();
            let mut best: Option<(i64, f64)> = None;
            for l in present {
                let inside = &with_label[l as usize];
                if inside.is_empty() {
                    continue;
                }
                let s: f64 =
                    inside.iter().map(|&u| objs.iter().map(|&o| dist(o, u)).sum::<f64>() / objs.len() as f64).sum();
                let v = s / inside.len() as f64;
                if best.is_none_or(|(_, bv)| v < bv) {
                    best = Some((l, v));
                }
            }
            best
        };
        let labels_on = |b: usize| -> Vec<i64> { br[b].basic_clusters.iter().map(|&c| branch_label[c]).collect() };
        let mut small_levels: Vec<usize> = small_labels.iter().copied().filter(|&s| s != 0).collect();
        small_levels.sort_unstable();
        small_levels.dedup();
        let mut with_small: Vec<Vec<usize>> = vec![Vec::new(); nb + 1];
        for (p, &s) in small_labels.iter().enumerate() {
            if s != 0 {
                with_small[s].push(p);
            }
        }
        for s in small_levels {
            let inside = &with_small[s];
            let on = on_branch[inside[0]];
            if on > 0 {
                // A label 0 among them (R would stop with an error) is left unassigned.
                colors_assign(&mut colors, inside, nearest(inside, &labels_on(on)), &diam, max_pam_dist);
            }
        }
        let unlabeled: Vec<usize> = (0..n).filter(|&p| colors[p] == 0 && on_branch[p] > 0).collect();
        for obj in unlabeled {
            let near = nearest(&[obj], &labels_on(on_branch[obj]));
            if let Some((l, v)) = near {
                if l > 0 && (v < diam[l as usize] || v < max_pam_dist) {
                    colors[obj] = l;
                }
            }
        }
    }
    colors.iter().map(|&c| c.max(0) as usize).collect()
}

pub(super) fn colors_assign(
    colors: &mut [i64],
    inside: &[usize],
    near: Option<(i64, f64)>,
    diam: &[f64],
    max_pam: f64,
) {
    let label = match near {
        Some((l, v)) if l > 0 && (v < diam[l as usize] || v < max_pam) => l,
        _ => -1,
    };
    for &p in inside {
        colors[p] = label;
    }
}

/// allelematch's ordering of a unique set: numeric by ID when all IDs are numbers, else by string.
pub(super) fn sort_by_id(table: &GenotypeTable, idx: &mut [usize]) {
    let nums: Option<Vec<f64>> = idx.iter().map(|&i| table.ids[i].parse::<f64>().ok()).collect();
    if let Some(nums) = nums {
        let mut keyed: Vec<(f64, usize)> = nums.into_iter().zip(idx.iter().copied()).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (slot, (_, i)) in idx.iter_mut().zip(keyed) {
            *slot = i;
        }
    } else {
        idx.sort_by(|&a, &b| table.ids[a].cmp(&table.ids[b]));
    }
}

/// `amCluster(runUntilSingletons = TRUE, consensusMethod = 1)`: sample indices of the unique
/// genotypes, sorted as allelematch sorts them.
pub fn cluster_unique(table: &GenotypeTable, cut: f64) -> Vec<usize> {
    let pairs = PairIndex::build(table, min_half_for_cut(cut, table.n_columns()));
    cluster_unique_with(table, &pairs, cut)
}

/// [`cluster_unique`] on a pair index built with a floor at most the cut's.
pub(super) fn cluster_unique_with(table: &GenotypeTable, pairs: &PairIndex, cut: f64) -> Vec<usize> {
    let mut current: Vec<usize> = (0..table.len()).collect();
    loop {
        if current.len() < 2 {
            return current;
        }
        let labels = hybrid_cut(table, pairs, &current, cut);
        let k = labels.iter().copied().max().unwrap_or(0);
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k + 1];
        for (p, &l) in labels.iter().enumerate() {
            groups[l].push(p);
        }
        let mut keep: Vec<usize> = groups[0].clone();
        let mut clusters: Vec<Vec<usize>> = groups.into_iter().skip(1).filter(|g| !g.is_empty()).collect();
        // allelematch quirk: when no sample is left unassigned, its loop over cluster labels stops one
        // short, so the last cluster in cutreeHybrid's order (largest first, ties by label) is lost.
        if keep.is_empty() && clusters.len() > 1 {
            let mut order: Vec<usize> = (0..clusters.len()).collect();
            order.sort_by_key(|&c| std::cmp::Reverse(clusters[c].len()));
            clusters.remove(*order.last().unwrap());
        }
        let formed = !clusters.is_empty();
        keep.extend(clusters.iter().map(|c| c[0]));
        let mut next: Vec<usize> = keep.into_iter().map(|p| current[p]).collect();
        sort_by_id(table, &mut next);
        current = next;
        if !formed {
            return current;
        }
    }
}
