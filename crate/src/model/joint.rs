//! The joint catalog: national IDs, the links experts made between them, and the joint
//! individuals those links make (built by `identity::join`).

use crate::model::message::Message;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One (catalog, national ID) pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct NationalId {
    pub catalog: String,
    pub id: String,
}

impl NationalId {
    pub fn new(catalog: &str, id: &str) -> Self {
        NationalId { catalog: catalog.to_string(), id: id.to_string() }
    }
}

/// One row of the links table.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Spreadsheet row number (header = 1).
    pub row: usize,
    pub a: NationalId,
    pub b: NationalId,
}

/// One animal of the joint catalog and its IDs in each national catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JointIndividual {
    /// Stable joint ID: the national IDs in catalog order, e.g. `CN:T07+RU:A12`.
    pub id: String,
    /// National ID per catalog name.
    pub national_ids: BTreeMap<String, String>,
}

/// A link that was not applied because it contradicts the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub row: usize,
    pub a: NationalId,
    pub b: NationalId,
    /// Why, in English (the stable form scripts read).
    pub reason: String,
    /// Why, as a message (`code` and `params`), to show it in any language.
    #[serde(flatten)]
    pub message: Message,
}

impl Conflict {
    /// The conflict of the link in `row` between `a` and `b`, and why.
    pub fn new(row: usize, a: NationalId, b: NationalId, why: Message) -> Conflict {
        Conflict { row, a, b, reason: why.to_string(), message: why }
    }
}

/// The joint catalog and the conflicts met while building it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JointCatalog {
    pub individuals: Vec<JointIndividual>,
    pub conflicts: Vec<Conflict>,
    /// (catalog, national ID) -> index into `individuals`.
    #[serde(skip)]
    pub index: HashMap<NationalId, usize>,
}

/// National catalogs and the joint catalog built from them: what the estimators need of a
/// survey (borrowed, cheap to copy).
#[derive(Debug, Clone, Copy)]
pub struct JointSurvey<'a> {
    pub catalogs: &'a [crate::model::Catalog],
    pub joint: &'a JointCatalog,
}
