//! allelematch's `amUnique`: unique genotypes, unclassified samples and multiple matches.

use super::*;

/// One sample matched to a unique genotype.
#[derive(Debug, Clone, Serialize)]
pub struct GenotypeMatch {
    pub id: String,
    /// Similarity (unrounded).
    pub score: f64,
    /// Similarity rounded to 2 significant digits, as allelematch prints it.
    pub score_2sig: f64,
    /// Matches another unique genotype too.
    pub multiple_match: bool,
    /// The sample's country/catalog, when the table has a catalog column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// The photo-ID individual the sample is linked to, when the table says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individual: Option<String>,
}

/// A unique genotype and the samples that match it.
#[derive(Debug, Clone, Serialize)]
pub struct UniqueGenotype {
    pub id: String,
    pub meta: Vec<String>,
    pub alleles: Vec<i64>,
    /// `UNIQUE`, or `CHECK_UNIQUE` when one of its matches also matches another unique genotype.
    pub flag: String,
    /// Probability of identity among siblings of this genotype (allelematch's `psib`), from allele
    /// frequencies among the unique genotypes; loci with missing data are skipped.
    pub psib: f64,
    /// Matching samples, best score first (the unique genotype itself included).
    pub matches: Vec<GenotypeMatch>,
}

/// Result of `amUnique` at one number of allowed mismatches.
#[derive(Debug, Clone, Serialize)]
pub struct UniqueResult {
    pub samples: usize,
    pub columns: usize,
    pub allele_mismatch: f64,
    pub match_threshold: f64,
    pub cut_height: f64,
    pub unique: usize,
    pub unclassified: usize,
    pub multiple_matches: usize,
    pub unclassified_ids: Vec<String>,
    pub multiple_match_ids: Vec<String>,
    pub genotypes: Vec<UniqueGenotype>,
    /// Mean number of alleles per locus among the unique genotypes.
    pub allelic_diversity: f64,
}

pub(super) fn signif2(x: f64) -> f64 {
    format!("{x:.1e}").parse().unwrap_or(x)
}

/// allelematch `amUnique(alleleMismatch = mismatches)`.
pub fn am_unique(table: &GenotypeTable, mismatches: f64) -> UniqueResult {
    let ncol = table.n_columns();
    let threshold = 1.0 - mismatches / ncol as f64;
    am_unique_threshold(table, threshold, mismatches)
}

/// Cut height and half-unit floors (clustering, matching) of `amUnique` at a match threshold.
pub(super) fn unique_floors(table: &GenotypeTable, threshold: f64) -> (f64, u32, u32) {
    let mut cut = 1.0 - threshold;
    if threshold == 1.0 && cut == 0.0 {
        cut = 0.00001;
    }
    let ncol = table.n_columns();
    (cut, min_half_for_cut(cut, ncol), min_half_for_threshold(threshold, ncol))
}

pub(super) fn am_unique_threshold(table: &GenotypeTable, threshold: f64, mismatches: f64) -> UniqueResult {
    let (_, hcut, hmatch) = unique_floors(table, threshold);
    let pairs = PairIndex::build(table, hcut.min(hmatch));
    am_unique_with(table, &pairs, threshold, mismatches)
}

/// `amUnique` on a pair index whose floor is at most both floors of `threshold`.
pub(super) fn am_unique_with(
    table: &GenotypeTable,
    pairs: &PairIndex,
    threshold: f64,
    mismatches: f64,
) -> UniqueResult {
    let ncol = table.n_columns();
    let (cut, _, hmin) = unique_floors(table, threshold);
    let uniq = cluster_unique_with(table, pairs, cut);
    let n = table.len();
    let mut match_count = vec![0u32; n];
    let mut lists: Vec<Vec<(usize, u32)>> = Vec::with_capacity(uniq.len());
    for &u in &uniq {
        // Every sample at or above the threshold, in sample order (the genotype itself included).
        let own = table.half_units(u, u);
        let mut l: Vec<(usize, u32)> = Vec::new();
        let mut own_done = own < hmin;
        for (j, h) in pairs.of(u) {
            if !own_done && j > u {
                l.push((u, own));
                own_done = true;
            }
            if h >= hmin {
                l.push((j, h));
            }
        }
        if !own_done {
            l.push((u, own));
        }
        l.sort_by_key(|x| std::cmp::Reverse(x.1));
        for &(j, _) in &l {
            match_count[j] += 1;
        }
        lists.push(l);
    }
    let mut classified = vec![false; n];
    for &u in &uniq {
        classified[u] = true;
    }
    for l in &lists {
        for &(j, _) in l {
            classified[j] = true;
        }
    }
    // Allele frequencies among unique genotypes, per locus.
    let nloci = table.loci.len();
    let mut freq: Vec<HashMap<u16, f64>> = vec![HashMap::new(); nloci];
    let mut present = vec![0usize; nloci];
    for &u in &uniq {
        for (c, &k) in table.row(u).iter().enumerate() {
            if k != 0 {
                *freq[table.column_locus[c]].entry(k).or_default() += 1.0;
                present[table.column_locus[c]] += 1;
            }
        }
    }
    for (l, f) in freq.iter_mut().enumerate() {
        for v in f.values_mut() {
            *v /= present[l] as f64;
        }
    }
    let allelic_diversity = freq.iter().map(|f| f.len() as f64).sum::<f64>() / nloci.max(1) as f64;
    let genotypes = uniq
        .iter()
        .zip(&lists)
        .map(|(&u, l)| {
            let matches: Vec<GenotypeMatch> = l
                .iter()
                .map(|&(j, h)| {
                    let s = sim_from_half(h, ncol);
                    GenotypeMatch {
                        id: table.ids[j].clone(),
                        score: s,
                        score_2sig: signif2(s),
                        multiple_match: match_count[j] > 1,
                        catalog: table.catalog(j).map(str::to_string),
                        individual: table.individual(j).map(str::to_string),
                    }
                })
                .collect();
            let flag = if l.iter().any(|&(j, _)| match_count[j] > 1) { "CHECK_UNIQUE" } else { "UNIQUE" };
            let first = l.first().map_or(u, |&(j, _)| j);
            UniqueGenotype {
                id: table.ids[u].clone(),
                meta: table.meta[u].clone(),
                alleles: table.alleles(u),
                flag: flag.to_string(),
                psib: psib_of(table, u, first, &freq),
                matches,
            }
        })
        .collect();
    let mut multiple_match_ids = Vec::new();
    let mut seen = vec![false; n];
    for l in &lists {
        for &(j, _) in l {
            if match_count[j] > 1 && !seen[j] {
                seen[j] = true;
                multiple_match_ids.push(table.ids[j].clone());
            }
        }
    }
    let unclassified_ids: Vec<String> = (0..n).filter(|&j| !classified[j]).map(|j| table.ids[j].clone()).collect();
    UniqueResult {
        samples: n,
        columns: ncol,
        allele_mismatch: mismatches,
        match_threshold: threshold,
        cut_height: cut,
        unique: uniq.len(),
        unclassified: unclassified_ids.len(),
        multiple_matches: multiple_match_ids.len(),
        unclassified_ids,
        multiple_match_ids,
        genotypes,
        allelic_diversity,
    }
}

/// Psib of the genotype of sample `g` (first match of unique genotype `u`): product over loci whose
/// columns are present in both and equal, of (1+2p+p²)/4 (homozygote/single column) or
/// (1+p+q+2pq)/4 (heterozygote).
pub(super) fn psib_of(table: &GenotypeTable, u: usize, g: usize, freq: &[HashMap<u16, f64>]) -> f64 {
    let (ru, rg) = (table.row(u), table.row(g));
    let mut psib = 1.0;
    for (l, f) in freq.iter().enumerate() {
        let cols: Vec<usize> = (0..table.n_columns()).filter(|&c| table.column_locus[c] == l).collect();
        if !cols.iter().all(|&c| ru[c] != 0 && rg[c] != 0 && ru[c] == rg[c]) {
            continue;
        }
        let p = |c: usize| f.get(&rg[c]).copied().unwrap_or(0.0);
        if cols.len() == 1 || rg[cols[0]] == rg[cols[1]] {
            let pa = p(cols[0]);
            psib *= (1.0 + 2.0 * pa + pa * pa) / 4.0;
        } else {
            let (pa, pb) = (p(cols[0]), p(cols[1]));
            psib *= (1.0 + pa + pb + 2.0 * pa * pb) / 4.0;
        }
    }
    psib
}
