//! Cross-border identity exports: candidate pairs, expert decisions, links and individuals resources.
//!
//! `new IdentitySession(files, options)` parses once; every later call works on the parsed data.
//! The decisions given to `analysis` are remembered for `candidates` (so their status is current).

use super::{err, from_js, inputs_from_js, to_js};
use crate::identity::candidates::CandidateOptions;
use crate::identity::review::Decision;
use crate::pipeline::review::ReviewSession;
use crate::pipeline::AnalysisOptions;
use wasm_bindgen::prelude::*;

fn decisions_from_js(v: JsValue) -> Result<Vec<Decision>, JsError> {
    from_js(v, "decisions")
}

/// Files parsed once for review (catalogs, border, links tables, genotype tables).
#[wasm_bindgen]
pub struct IdentitySession {
    session: ReviewSession,
    decisions: Vec<Decision>,
}

#[wasm_bindgen]
impl IdentitySession {
    /// `files`: `Array<{name, bytes: Uint8Array}>`; `options`: AnalysisOptions JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(files: JsValue, options: JsValue) -> Result<IdentitySession, JsError> {
        let opts: AnalysisOptions = from_js(options, "options")?;
        let inputs = inputs_from_js(&files)?;
        Ok(IdentitySession { session: ReviewSession::open(inputs.files, &opts, &mut |_| {}), decisions: Vec::new() })
    }

    /// Ranked candidate pairs (`CandidateOptions` JSON or undefined) under the decisions last
    /// given to `analysis`.
    pub fn candidates(&self, options: JsValue) -> Result<JsValue, JsError> {
        let opts: CandidateOptions = from_js(options, "candidate options")?;
        let list = self.session.candidates(&self.decisions, &opts).map_err(err)?;
        to_js(&list)
    }

    /// The Analysis with links = file links ⊕ `decisions` (Decision[]), conflicts and evidence.
    pub fn analysis(&mut self, decisions: JsValue) -> Result<JsValue, JsError> {
        self.decisions = decisions_from_js(decisions)?;
        to_js(&self.session.analysis(&self.decisions))
    }

    /// The links CSV (catalog_a,id_a,catalog_b,id_b,verdict,who,when,why).
    #[wasm_bindgen(js_name = linksCsv)]
    pub fn links_csv(&self, decisions: JsValue) -> Result<String, JsError> {
        Ok(self.session.links_csv(&decisions_from_js(decisions)?))
    }

    /// The Camtrap DP-style individuals table (CSV).
    #[wasm_bindgen(js_name = individualsCsv)]
    pub fn individuals_csv(&self, decisions: JsValue) -> Result<String, JsError> {
        Ok(self.session.individuals_csv(&decisions_from_js(decisions)?))
    }

    /// The tabular-data-resource descriptor of the individuals table.
    #[wasm_bindgen(js_name = individualsResource)]
    pub fn individuals_resource(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.individuals_resource())
    }

    /// Unique-genotype counts and cross-catalog genotype links, or null without genotype tables.
    pub fn genotypes(&self) -> Result<JsValue, JsError> {
        match self.session.genotypes() {
            Some(g) => to_js(g),
            None => Ok(JsValue::NULL),
        }
    }
}

/// Decisions from links CSVs (plain links become accepts by `file:<name>`) or individuals CSVs:
/// `parseDecisions(files)` → the decisions of every file, in order.
#[wasm_bindgen(js_name = parseDecisions)]
pub fn parse_decisions(files: JsValue) -> Result<JsValue, JsError> {
    let mut all = Vec::new();
    for f in inputs_from_js(&files)?.files {
        all.extend(crate::identity::review::parse_decisions(&f.name, &f.bytes).map_err(err)?);
    }
    to_js(&all)
}
