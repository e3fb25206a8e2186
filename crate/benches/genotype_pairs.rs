//! Benchmark (a bench binary, `cargo bench --bench genotype_pairs`): allelematch-style all-pairs
//! similarity and clustering of 10,000 random genotypes × 15 loci (30 allele columns, seeded
//! xoshiro), natively. Prints the median of repeated runs. The target in WASM (Chromium) is ≤ 2 s.

use borderless::identity::genotypes::{cluster_unique, GenotypeTable};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let loci = 15;
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20260);
    let columns: Vec<String> = (0..loci).flat_map(|l| [format!("L{l}a"), format!("L{l}b")]).collect();
    // Individuals sampled 1–3 times, with a few allele errors and missing cells per resample.
    let mut alleles = Vec::with_capacity(n);
    while alleles.len() < n {
        let base: Vec<i64> = (0..loci)
            .flat_map(|l| {
                let (a, b) = (100 * (l as i64 + 1) + rng.gen_range(1..12), 100 * (l as i64 + 1) + rng.gen_range(1..12));
                [a.min(b), a.max(b)]
            })
            .collect();
        for _ in 0..rng.gen_range(1..=3) {
            let mut g = base.clone();
            for v in g.iter_mut() {
                let r: f64 = rng.gen();
                if r < 0.02 {
                    *v = -99;
                } else if r < 0.03 {
                    *v += 1;
                }
            }
            alleles.push(g);
        }
    }
    alleles.truncate(n);
    let ids = (1..=n).map(|i| i.to_string()).collect();
    let table = GenotypeTable::from_alleles(ids, columns, &alleles, -99);
    let cut = 3.0 / (2 * loci) as f64;
    println!("all-pairs similarity + complete-linkage clustering (allelematch amCluster), {n} samples × {loci} loci, cut {cut:.3}");
    let mut times = Vec::with_capacity(runs);
    let mut unique = 0;
    for _ in 0..runs {
        let t = Instant::now();
        unique = cluster_unique(&table, cut).len();
        times.push(t.elapsed().as_secs_f64());
    }
    println!("unique genotypes: {unique}");
    // BENCH_DUMP=FILE: amUnique at 0…6 allowed mismatches as JSON, to compare two builds' results.
    if let Ok(path) = std::env::var("BENCH_DUMP") {
        let all: Vec<_> = (0..=6).map(|k| borderless::identity::genotypes::am_unique(&table, k as f64)).collect();
        std::fs::write(&path, serde_json::to_string(&all).unwrap()).unwrap();
        println!("amUnique at 0…6 mismatches written to {path}");
    }
    println!(
        "median of {runs} runs: {:.3} s (min {:.3} s)",
        median(times.clone()),
        times.iter().cloned().fold(f64::INFINITY, f64::min)
    );
}
