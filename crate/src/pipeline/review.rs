//! A review session: files parsed once, then candidates, analyses and exports under the
//! expert's changing decisions without re-reading anything. The WASM `IdentitySession` and the
//! CLI wrap it.

use super::{load_files, Analysis, AnalysisOptions, Loaded, Progress};
use crate::identity::review::{individuals_csv, individuals_resource, joint_evidence, links_csv, Decision};
use crate::io::FileReport;

/// Files parsed once, for repeated review: candidates, analyses and exports under changing
/// decisions without re-reading anything. The WASM `IdentitySession` and the CLI wrap it.
#[derive(Debug, Clone)]
pub struct ReviewSession {
    pub loaded: Loaded,
    prepared: crate::identity::candidates::Prepared,
    genotypes: Option<crate::identity::genotype_links::GenotypeSummary>,
}

impl ReviewSession {
    /// Reads the files (catalogs, border, links tables, genotype tables). Genotype tables that
    /// cannot be matched together get an error in their report.
    pub fn open(
        files: Vec<crate::io::InputFile>,
        options: &AnalysisOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> ReviewSession {
        let mut loaded = load_files(files, options, progress);
        let genotypes = if loaded.genotypes.is_empty() {
            None
        } else {
            match crate::identity::genotype_links::genotype_links(&loaded.genotypes, None) {
                Ok(g) => Some(g),
                Err(e) => {
                    let kind = crate::model::message::Message::new("pipeline.kind.genotype_tables").to_string();
                    let mut r = FileReport::new(&e.file, &kind);
                    let why = crate::model::message::Message::new("pipeline.file.genotypes_not_matched")
                        .with("message", e.to_message());
                    r.file_error(e.column.as_deref(), why);
                    loaded.reports.push(r);
                    None
                }
            }
        };
        let prepared = crate::identity::candidates::Prepared::new(&loaded.catalogs, loaded.border.as_ref());
        ReviewSession { loaded, prepared, genotypes }
    }

    /// Catalog names in load order.
    pub fn catalog_names(&self) -> Vec<String> {
        self.loaded.catalogs.iter().map(|c| c.name.clone()).collect()
    }

    fn genotype_links(&self) -> &[crate::identity::genotype_links::GenotypeLink] {
        self.genotypes.as_ref().map_or(&[], |g| g.links.as_slice())
    }

    /// The genotype summary, when genotype tables were among the files and could be matched.
    pub fn genotypes(&self) -> Option<&crate::identity::genotype_links::GenotypeSummary> {
        self.genotypes.as_ref()
    }

    /// Ranked candidates under the file links ⊕ `decisions`.
    pub fn candidates(
        &self,
        decisions: &[Decision],
        options: &crate::identity::candidates::CandidateOptions,
    ) -> Result<crate::identity::candidates::CandidateList, crate::identity::candidates::CandidateError> {
        let joint = self.loaded.relink_with(decisions).1;
        self.prepared.candidates(&joint, decisions, self.genotype_links(), options)
    }

    /// The analysis under the file links ⊕ `decisions`.
    pub fn analysis(&self, decisions: &[Decision]) -> Analysis {
        self.loaded.analysis_with(decisions, self.genotype_links(), &mut |_| {})
    }

    /// The links CSV under `decisions` (see [`links_csv`]).
    pub fn links_csv(&self, decisions: &[Decision]) -> String {
        links_csv(&self.loaded.links, decisions)
    }

    /// The individuals table under `decisions` (see [`individuals_csv`]).
    pub fn individuals_csv(&self, decisions: &[Decision]) -> String {
        let (sourced, joint) = self.loaded.relink_with(decisions);
        let ev = joint_evidence(&joint.individuals, &joint.index, &sourced, self.genotype_links());
        individuals_csv(&self.catalog_names(), &joint.individuals, &ev)
    }

    /// The descriptor of the individuals table.
    pub fn individuals_resource(&self) -> serde_json::Value {
        individuals_resource(&self.catalog_names())
    }
}
