//! allelematch reference tests. Every expected value here is an output of allelematch 3.0.0
//! (R 4.2.2), stored in /work/shared/reference/allelematch (see its README, "allelematch notes"):
//! ex1_amMatrix.csv, ex1_profile.csv, ex2_profile.csv, ex1_m2_unique_genotypes.csv,
//! ex2_m3_summary.csv, pid_amExample2_per_locus.csv, pid_amExample2_cumulative.csv.
//! Counts are compared exactly, scores and PID to 1e-9.

mod support;
use support::Shared;

use borderless::identity::genotypes::{
    am_unique, am_unique_profile, merge_country_tables, probability_of_identity, GenotypeOptions, GenotypeTable,
};

const REF: Shared = Shared("reference/allelematch");

fn read(f: &str) -> Vec<u8> {
    std::fs::read(format!("{REF}/{f}")).unwrap_or_else(|e| panic!("{REF}/{f}: {e}"))
}

fn csv_rows(f: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = read(f);
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (h, rows)
}

fn col(h: &[String], name: &str) -> usize {
    h.iter().position(|x| x == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn opts() -> GenotypeOptions {
    GenotypeOptions { meta_columns: vec!["knownIndividual".into()], missing: -99, ..Default::default() }
}

fn table(f: &str) -> GenotypeTable {
    GenotypeTable::from_csv_bytes(f, &read(f), &opts()).unwrap()
}

#[test]
fn example1_dissimilarity_matrix() {
    skip_without!(REF);
    let t = table("amExample1.csv");
    assert_eq!((t.len(), t.n_columns(), t.loci.len()), (20, 20, 10));
    let (h, rows) = csv_rows("ex1_amMatrix.csv");
    assert_eq!(rows.len(), 20);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], t.ids[i]);
        for j in 0..20 {
            assert_eq!(h[j + 1], t.ids[j]);
            let want: f64 = row[j + 1].parse().unwrap();
            let got = t.dissimilarity(i, j);
            assert!((got - want).abs() <= 1e-9, "[{i},{j}] got {got} want {want}");
        }
    }
}

fn check_profile(input: &str, expected: &str) {
    let t = table(input);
    let p = am_unique_profile(&t);
    let (h, rows) = csv_rows(expected);
    assert_eq!(p.rows.len(), rows.len());
    for (got, want) in p.rows.iter().zip(&rows) {
        let f = |n: &str| want[col(&h, n)].clone();
        let num = |n: &str| f(n).parse::<f64>().unwrap();
        assert!((got.match_threshold - num("matchThreshold")).abs() < 1e-9);
        assert!((got.cut_height - num("cutHeight")).abs() < 1e-9);
        assert_eq!(got.allele_mismatch, num("alleleMismatch"));
        let m = got.allele_mismatch;
        assert_eq!(got.samples, num("samples") as usize, "{input} m={m} samples");
        assert_eq!(got.unique, num("unique") as usize, "{input} m={m} unique");
        assert_eq!(got.unclassified, num("unclassified") as usize, "{input} m={m} unclassified");
        assert_eq!(got.multiple_matches, num("multipleMatch") as usize, "{input} m={m} multipleMatch");
        assert_eq!(got.guess_optimum, f("guessOptimum") == "TRUE", "{input} m={m} guessOptimum");
        assert_eq!(p.missing_data_load, num("missingDataLoad"), "{input} missingDataLoad");
        assert_eq!(p.allelic_diversity, num("allelicDiversity"), "{input} allelicDiversity");
        assert_eq!(p.morphology, f("guessMorphology"));
    }
}

#[test]
fn example1_profile() {
    skip_without!(REF);
    check_profile("amExample1.csv", "ex1_profile.csv");
}

#[test]
fn example2_profile() {
    skip_without!(REF);
    check_profile("amExample2.csv", "ex2_profile.csv");
}

#[test]
fn example1_unique_genotypes_m2() {
    skip_without!(REF);
    let t = table("amExample1.csv");
    let r = am_unique(&t, 2.0);
    let (h, rows) = csv_rows("ex1_m2_unique_genotypes.csv");
    assert_eq!((r.unique, r.unclassified, r.multiple_matches), (12, 0, 0));
    assert_eq!(r.genotypes.len(), rows.len());
    for (g, want) in r.genotypes.iter().zip(&rows) {
        assert_eq!(g.id, want[col(&h, "index")]);
        assert_eq!(g.flag, want[col(&h, "rowFlag")]);
        let psib: f64 = want[col(&h, "psib")].parse().unwrap();
        assert!((g.psib - psib).abs() <= 1e-9 * psib.max(1e-300) || (g.psib - psib).abs() <= 1e-15, "{}", g.id);
        let alleles: Vec<i64> = h.iter().skip(3).map(|c| want[col(&h, c)].parse().unwrap()).collect();
        assert_eq!(g.alleles, alleles, "{}", g.id);
    }
    // Every sample is matched by exactly one unique genotype; the 20 samples fall into the 12
    // known individuals (`knownIndividual`), and each group holds one individual.
    let mut all: Vec<&str> = r.genotypes.iter().flat_map(|g| g.matches.iter().map(|m| m.id.as_str())).collect();
    all.sort_by_key(|s| s.parse::<u32>().unwrap());
    assert_eq!(all, (1..=20).map(|i| i.to_string()).collect::<Vec<_>>());
    for g in &r.genotypes {
        let known: Vec<&str> =
            g.matches.iter().map(|m| t.meta[t.ids.iter().position(|x| *x == m.id).unwrap()][0].as_str()).collect();
        assert!(known.iter().all(|k| *k == known[0]), "{}: {known:?}", g.id);
    }
}

#[test]
fn example2_summary_m3() {
    skip_without!(REF);
    let t = table("amExample2.csv");
    let r = am_unique(&t, 3.0);
    let (h, rows) = csv_rows("ex2_m3_summary.csv");
    let (ui, rt, mi, ng, sc) =
        (col(&h, "uniqueIndex"), col(&h, "rowType"), col(&h, "matchIndex"), col(&h, "nUniqueGroup"), col(&h, "score"));
    let psib_c = col(&h, "Psib");
    let uniques: Vec<&Vec<String>> = rows.iter().filter(|r| r[rt] == "UNIQUE").collect();
    assert_eq!((r.unique, r.unclassified, r.multiple_matches), (100, 0, 0));
    assert_eq!(r.genotypes.len(), uniques.len());
    for (g, u) in r.genotypes.iter().zip(&uniques) {
        assert_eq!(g.id, u[ui]);
        assert_eq!(g.matches.len(), u[ng].parse::<usize>().unwrap(), "group size of {}", g.id);
        let psib: f64 = u[psib_c].parse().unwrap();
        assert!((g.psib - psib).abs() <= 1e-9 * psib, "psib {}: {} vs {psib}", g.id, g.psib);
        let want: Vec<(&str, f64)> = rows
            .iter()
            .filter(|r| r[rt] == "MATCH" && r[ui] == g.id)
            .map(|r| (r[mi].as_str(), r[sc].parse::<f64>().unwrap()))
            .collect();
        let got: Vec<(&str, f64)> =
            g.matches.iter().filter(|m| m.id != g.id).map(|m| (m.id.as_str(), m.score_2sig)).collect();
        assert_eq!(got.len(), want.len(), "{}", g.id);
        for ((gi, gs), (wi, ws)) in got.iter().zip(&want) {
            assert_eq!(gi, wi, "match order of {}", g.id);
            assert!((gs - ws).abs() <= 1e-9, "score {} ~ {gi}: {gs} vs {ws}", g.id);
        }
    }
}

#[test]
fn pid_per_locus_and_cumulative() {
    skip_without!(REF);
    let t = table("amExample2_one_per_individual.csv");
    let p = probability_of_identity(&t);
    let close = |a: f64, b: f64, what: &str| assert!((a - b).abs() <= 1e-9, "{what}: {a} vs {b}");
    let (h, rows) = csv_rows("pid_amExample2_per_locus.csv");
    assert_eq!(p.loci.len(), rows.len());
    for (l, w) in p.loci.iter().zip(&rows) {
        let f = |n: &str| w[col(&h, n)].parse::<f64>().unwrap();
        assert_eq!(l.locus, w[0]);
        assert_eq!(l.n_ind, f("nInd") as usize, "{} nInd", l.locus);
        assert_eq!(l.n_alleles, f("nAlleles") as usize, "{} nAlleles", l.locus);
        close(l.he, f("He"), "He");
        close(l.pid, f("PID"), "PID");
        close(l.pid_unbiased_n_ind, f("PIDunb_nInd"), "PIDunb_nInd");
        close(l.pid_unbiased, f("PIDunb_nGenes"), "PIDunb_nGenes");
        close(l.pid_unbiased, f("Ustat_check"), "Ustat_check");
        close(l.pid_sib, f("PIDsib"), "PIDsib");
    }
    let (h, rows) = csv_rows("pid_amExample2_cumulative.csv");
    for (l, w) in p.cumulative.iter().zip(&rows) {
        let f = |n: &str| w[col(&h, n)].parse::<f64>().unwrap();
        close(l.pid, f("cumPID"), "cumPID");
        close(l.pid_unbiased_n_ind, f("cumPIDunb_nInd"), "cumPIDunb_nInd");
        close(l.pid_unbiased, f("cumPIDunb_nGenes"), "cumPIDunb_nGenes");
        close(l.pid_sib, f("cumPIDsib"), "cumPIDsib");
    }
}

// ---- bad input: errors name the file, the row and the column ----

fn bad(csv: &str, o: &GenotypeOptions) -> borderless::identity::genotypes::GenotypeError {
    GenotypeTable::from_csv_bytes("bad.csv", csv.as_bytes(), o).unwrap_err()
}

#[test]
fn bad_input_errors_name_row_and_column() {
    let o = GenotypeOptions::default();
    let e = bad("id,A1,A2,B1\nx,1,2,3\n", &o);
    assert_eq!((e.file.as_str(), e.row, e.column.as_deref()), ("bad.csv", Some(1), Some("B1")));
    assert!(e.to_string().contains("odd number"), "{e}");

    let e = bad("id,A1,A2,B1,B2\nx,1,2,3,4\ny,1,abc,3,4\n", &o);
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("A2")));
    assert!(e.to_string().contains("not a number"), "{e}");

    let e = bad("id,A1,A2,B1,B2\nx,1,2,3,4\ny,1,2,0,4\n", &o);
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("B1")));
    assert!(e.to_string().contains("impossible"), "{e}");

    let e = bad("id,A1,A2,B1,B2\nx,1,2,3,4\ny,1,2,-5,4\n", &o);
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("B1")));

    let e = bad("id,A1,A2,B1,B2\nx,1,2,3,4\ny,1,2,3,4\nx,1,2,-99,4\n", &o);
    assert_eq!((e.row, e.column.as_deref()), (Some(4), Some("id")));
    assert!(e.to_string().contains("duplicate"), "{e}");
    assert!(e.to_string().contains("bad.csv, row 4, column 'id'"), "{e}");

    // -99 is the missing code, not an error; a sex column is one single-column marker.
    let s = GenotypeOptions { sex_column: Some("sex".into()), ..Default::default() };
    let t = GenotypeTable::from_csv_bytes("ok.csv", b"id,sex,A1,A2,B1,B2\nx,1,1,2,-99,4\ny,2,1,2,3,4\n", &s).unwrap();
    assert_eq!((t.n_columns(), t.loci.len()), (5, 3));
    assert!((t.similarity(0, 1) - (3.0 + 0.5) / 5.0).abs() < 1e-12);
}

#[test]
fn country_files_need_the_same_loci_and_a_country() {
    let o = GenotypeOptions::default();
    let cn = GenotypeTable::from_csv_bytes("cn.csv", b"id,A1,A2,B1,B2\nc1,1,2,3,4\n", &o).unwrap();
    let ru = GenotypeTable::from_csv_bytes("ru.csv", b"id,A1,A2,C1,C2\nr1,1,2,3,4\n", &o).unwrap();
    let e = merge_country_tables(&[("CN".into(), cn.clone()), ("RU".into(), ru)]).unwrap_err();
    assert_eq!((e.file.as_str(), e.column.as_deref()), ("ru.csv", Some("B")));
    let ru = GenotypeTable::from_csv_bytes("ru.csv", b"id,B1,B2,A1,A2\nr1,3,4,1,2\n", &o).unwrap();
    let e = merge_country_tables(&[("CN".into(), cn.clone()), ("".into(), ru.clone())]).unwrap_err();
    assert!(e.to_string().contains("unknown country"), "{e}");
    let (t, country) = merge_country_tables(&[("CN".into(), cn), ("RU".into(), ru)]).unwrap();
    assert_eq!(country, ["CN", "RU"]);
    assert_eq!(t.similarity(0, 1), 1.0);
}
