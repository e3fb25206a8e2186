//! allelematch's `amUniqueProfile`: unique genotypes against the allowed mismatches.

use super::*;

/// One row of the mismatch profile.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub match_threshold: f64,
    pub cut_height: f64,
    pub allele_mismatch: f64,
    pub samples: usize,
    pub unique: usize,
    pub unclassified: usize,
    pub multiple_matches: usize,
    pub guess_optimum: bool,
}

/// The profile over 0…40% of columns (`amUniqueProfile` defaults).
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub rows: Vec<ProfileRow>,
    /// `ZeroFlat`, `NoSecondMinimum`, `NonZeroSecondMinimum` or `ZeroSecondMinimum`.
    pub morphology: String,
    /// Allowed mismatches at the guessed optimum.
    pub optimum_mismatches: f64,
    /// Share of missing cells (rounded to 3 decimals, as allelematch reports it).
    pub missing_data_load: f64,
    /// Mean alleles per locus among unique genotypes of the last run (1 decimal).
    pub allelic_diversity: f64,
}

pub(super) fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// allelematch `amUniqueProfile` with default parameters: mismatches 0, 1, … ⌊0.4·columns⌋.
pub fn am_unique_profile(table: &GenotypeTable) -> Profile {
    let ncol = table.n_columns();
    let top = (ncol as f64 * 0.4).floor() as usize;
    let mut rows = Vec::new();
    let mut last = None;
    // One pair index at the lowest floor of the profile serves every row.
    let floor = (0..=top)
        .map(|m| {
            let (_, hcut, hmatch) = unique_floors(table, 1.0 - m as f64 / ncol as f64);
            hcut.min(hmatch)
        })
        .min()
        .unwrap_or(u32::MAX);
    let pairs = PairIndex::build(table, floor);
    for m in 0..=top {
        let mm = m as f64;
        let threshold = 1.0 - mm / ncol as f64;
        let r = am_unique_with(table, &pairs, threshold, mm);
        rows.push(ProfileRow {
            match_threshold: threshold,
            cut_height: 1.0 - threshold,
            allele_mismatch: mm,
            samples: r.samples,
            unique: r.unique,
            unclassified: r.unclassified,
            multiple_matches: r.multiple_matches,
            guess_optimum: false,
        });
        last = Some(r);
    }
    let mm: Vec<usize> = rows.iter().map(|r| r.multiple_matches).collect();
    let nrow = rows.len();
    // Second minimum of the multiple-match curve (1-based positions as in the R code).
    let mut i = 0;
    let minimum = loop {
        i += 1;
        let slice = &mm[i - 1..];
        let mut wmin = 0;
        for (k, &v) in slice.iter().enumerate() {
            if v < slice[wmin] {
                wmin = k;
            }
        }
        let minimum = wmin + i;
        let slope = if minimum == 1 { 0i64 } else { mm[minimum - 1] as i64 - mm[minimum - 2] as i64 };
        if slope < 0 || minimum == nrow {
            break minimum;
        }
    };
    let leading = mm.iter().take_while(|&&v| v == 0).count();
    let morphology = if leading == nrow {
        "ZeroFlat"
    } else if mm[leading..].iter().all(|&v| v != 0) {
        if minimum == nrow {
            "NoSecondMinimum"
        } else {
            "NonZeroSecondMinimum"
        }
    } else {
        "ZeroSecondMinimum"
    };
    let guess = if matches!(morphology, "ZeroFlat" | "NoSecondMinimum") && nrow >= 3 {
        let mut best = 1;
        let mut bestv = f64::INFINITY;
        for x in 1..nrow - 1 {
            let v = ((rows[x - 1].unique as f64 - rows[x + 1].unique as f64) / 2.0).abs();
            if v < bestv {
                bestv = v;
                best = x;
            }
        }
        best
    } else {
        minimum - 1
    };
    rows[guess].guess_optimum = true;
    Profile {
        optimum_mismatches: rows[guess].allele_mismatch,
        rows,
        morphology: morphology.to_string(),
        missing_data_load: round_to(table.missing_load(), 3),
        allelic_diversity: round_to(last.map_or(0.0, |r| r.allelic_diversity), 1),
    }
}
