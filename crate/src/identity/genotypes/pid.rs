//! Probability of identity: PID, unbiased PID and PIDsib (Waits, Luikart & Taberlet 2001).

use super::*;

/// Probability of identity at one locus (Waits, Luikart & Taberlet 2001).
#[derive(Debug, Clone, Serialize)]
pub struct LocusPid {
    pub locus: String,
    /// Individuals typed at this locus (both alleles present).
    pub n_ind: usize,
    pub n_alleles: usize,
    /// Expected heterozygosity 1 − Σp².
    pub he: f64,
    /// 2·a2² − a4.
    pub pid: f64,
    /// Unbiased PID (Paetkau et al. 1998 / Kendall & Stuart) with n = individuals.
    pub pid_unbiased_n_ind: f64,
    /// Unbiased PID with n = gene copies (2N).
    pub pid_unbiased: f64,
    /// 0.25 + 0.5·a2 + 0.5·a2² − 0.25·a4.
    pub pid_sib: f64,
}

/// PID per locus and cumulative (running products in locus order).
#[derive(Debug, Clone, Serialize)]
pub struct PidReport {
    pub loci: Vec<LocusPid>,
    pub cumulative: Vec<LocusPid>,
}

pub(super) fn unbiased_pid(n: f64, a2: f64, a3: f64, a4: f64) -> f64 {
    (n.powi(3) * (2.0 * a2 * a2 - a4) - 2.0 * n * n * (a3 + 2.0 * a2) + n * (9.0 * a2 + 2.0) - 6.0)
        / ((n - 1.0) * (n - 2.0) * (n - 3.0))
}

/// PID over the diploid loci of a table (single-column markers such as sex are skipped). Allele
/// frequencies count the individuals typed at both alleles of the locus.
pub fn probability_of_identity(table: &GenotypeTable) -> PidReport {
    let mut loci = Vec::new();
    for (l, name) in table.loci.iter().enumerate() {
        let cols: Vec<usize> = (0..table.n_columns()).filter(|&c| table.column_locus[c] == l).collect();
        if cols.len() != 2 {
            continue;
        }
        let mut counts: HashMap<u16, f64> = HashMap::new();
        let mut n_ind = 0usize;
        for i in 0..table.len() {
            let r = table.row(i);
            let (a, b) = (r[cols[0]], r[cols[1]]);
            if a == 0 || b == 0 {
                continue;
            }
            n_ind += 1;
            *counts.entry(a).or_default() += 1.0;
            *counts.entry(b).or_default() += 1.0;
        }
        let genes = 2.0 * n_ind as f64;
        let mut keys: Vec<u16> = counts.keys().copied().collect();
        keys.sort_unstable_by_key(|k| table.values[*k as usize]);
        let p: Vec<f64> = keys.iter().map(|k| counts[k] / genes).collect();
        let a = |k: i32| p.iter().map(|x| x.powi(k)).sum::<f64>();
        let (a2, a3, a4) = (a(2), a(3), a(4));
        loci.push(LocusPid {
            locus: name.clone(),
            n_ind,
            n_alleles: p.len(),
            he: 1.0 - a2,
            pid: 2.0 * a2 * a2 - a4,
            pid_unbiased_n_ind: unbiased_pid(n_ind as f64, a2, a3, a4),
            pid_unbiased: unbiased_pid(genes, a2, a3, a4),
            pid_sib: 0.25 + 0.5 * a2 + 0.5 * a2 * a2 - 0.25 * a4,
        });
    }
    let mut cumulative: Vec<LocusPid> = Vec::with_capacity(loci.len());
    for l in &loci {
        let mut c = l.clone();
        if let Some(prev) = cumulative.last() {
            c.pid *= prev.pid;
            c.pid_unbiased_n_ind *= prev.pid_unbiased_n_ind;
            c.pid_unbiased *= prev.pid_unbiased;
            c.pid_sib *= prev.pid_sib;
        }
        cumulative.push(c);
    }
    PidReport { loci, cumulative }
}
