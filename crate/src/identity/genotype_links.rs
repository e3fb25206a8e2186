//! Links between photo-ID individuals made by their genotype samples: tables whose samples
//! name a catalog (country) and an individual are matched as allelematch's `amUnique` does
//! ([`crate::identity::genotypes`]), and two national IDs whose samples share one unique
//! genotype are linked.

use crate::identity::genotypes::{am_unique, am_unique_profile, merge_country_tables, GenotypeError, GenotypeTable};
use crate::model::joint::NationalId;
use crate::model::message::Message;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Two national IDs whose genotype samples match one unique genotype.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenotypeLink {
    pub a: NationalId,
    pub b: NationalId,
    /// The unique genotype (its first sample's ID).
    pub genotype: String,
    pub samples_a: Vec<String>,
    pub samples_b: Vec<String>,
}

/// Unique-genotype counts and the genotype links between national IDs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenotypeSummary {
    pub samples: usize,
    pub allele_mismatch: f64,
    /// How the allowed mismatches were chosen (in English).
    pub mismatch_source: String,
    /// The same as a message, to show it in any language.
    pub mismatch_source_code: Message,
    pub unique: usize,
    pub unclassified: usize,
    pub multiple_matches: usize,
    /// Samples with no photo-ID individual.
    pub samples_without_individual: usize,
    /// Pairs of national IDs of different catalogs sharing a unique genotype.
    pub links: Vec<GenotypeLink>,
    /// Pairs of national IDs of one catalog sharing a unique genotype (a photo-ID question).
    pub same_catalog: Vec<GenotypeLink>,
}

/// Column names (case-insensitive) that name a sample's catalog / country.
pub const CATALOG_COLUMNS: [&str; 2] = ["catalog", "country"];
/// Column names (case-insensitive) that name a sample's photo-ID individual.
pub const INDIVIDUAL_COLUMNS: [&str; 4] = ["individualID", "individual", "individual_id", "photo_id"];

fn meta_index(t: &GenotypeTable, names: &[&str]) -> Option<usize> {
    t.meta_names.iter().position(|m| names.iter().any(|n| m.eq_ignore_ascii_case(n)))
}

/// Genotype links from genotype tables whose metadata include a catalog and an individual column
/// (see [`CATALOG_COLUMNS`], [`INDIVIDUAL_COLUMNS`]). `mismatches`: allowed mismatching allele
/// columns; `None` = allelematch's profile guess (`amUniqueProfile`).
pub fn genotype_links(tables: &[GenotypeTable], mismatches: Option<f64>) -> Result<GenotypeSummary, GenotypeError> {
    let named: Vec<(String, GenotypeTable)> = tables.iter().map(|t| (t.file.clone(), t.clone())).collect();
    let (merged, _) = merge_country_tables(&named)?;
    let (cat_col, ind_col) = (meta_index(&merged, &CATALOG_COLUMNS), meta_index(&merged, &INDIVIDUAL_COLUMNS));
    let no_col = |code: &str, names: &[&str]| {
        GenotypeError::at(
            &merged.file,
            Some(1),
            Some(&names.join("/")),
            Message::new(code).with("names", names.join(", ")),
        )
    };
    let cat_col = cat_col.ok_or_else(|| no_col("identity.genotypes.no_catalog_in", &CATALOG_COLUMNS))?;
    let ind_col = ind_col.ok_or_else(|| no_col("identity.genotypes.no_individual_in", &INDIVIDUAL_COLUMNS))?;
    let (k, source) = match mismatches {
        Some(k) => (k, Message::new("identity.genotypes.mismatch_stated")),
        None => {
            let p = am_unique_profile(&merged);
            (
                p.optimum_mismatches,
                Message::new("identity.genotypes.mismatch_profile").with("morphology", &p.morphology),
            )
        }
    };
    let r = am_unique(&merged, k);
    let pos: HashMap<&str, usize> = merged.ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let mut links = Vec::new();
    let mut same = Vec::new();
    for g in &r.genotypes {
        let mut by_ind: BTreeMap<NationalId, Vec<String>> = BTreeMap::new();
        for m in &g.matches {
            let i = pos[m.id.as_str()];
            let (c, ind) = (merged.meta[i][cat_col].trim(), merged.meta[i][ind_col].trim());
            if !c.is_empty() && !ind.is_empty() && !ind.eq_ignore_ascii_case("NA") {
                by_ind.entry(NationalId::new(c, ind)).or_default().push(m.id.clone());
            }
        }
        let ids: Vec<(&NationalId, &Vec<String>)> = by_ind.iter().collect();
        for x in 0..ids.len() {
            for y in x + 1..ids.len() {
                let l = GenotypeLink {
                    a: ids[x].0.clone(),
                    b: ids[y].0.clone(),
                    genotype: g.id.clone(),
                    samples_a: ids[x].1.clone(),
                    samples_b: ids[y].1.clone(),
                };
                if l.a.catalog == l.b.catalog {
                    same.push(l);
                } else {
                    links.push(l);
                }
            }
        }
    }
    let without = (0..merged.len())
        .filter(|&i| merged.meta[i][ind_col].trim().is_empty() || merged.meta[i][ind_col].trim() == "NA")
        .count();
    Ok(GenotypeSummary {
        samples: r.samples,
        allele_mismatch: k,
        mismatch_source: source.to_string(),
        mismatch_source_code: source,
        unique: r.unique,
        unclassified: r.unclassified,
        multiple_matches: r.multiple_matches,
        samples_without_individual: without,
        links,
        same_catalog: same,
    })
}
