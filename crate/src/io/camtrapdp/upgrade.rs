//! Older Camtrap DP versions, read with Camtrap DP 1.0 semantics.
//!
//! The version is read from the descriptor's `profile` URL (e.g.
//! `https://raw.githubusercontent.com/tdwg/camtrap-dp/0.1.6/camtrap-dp-profile.json`), else from
//! a `$schema` or a resource's `schema` URL. Camtrap DP 0.1.x (Agouti's exports before 2023 and
//! camtraptor's example package) and the 1.0 release candidates are upgraded on read, as the
//! camtrapdp R package upgrades its datasets to the latest version:
//!
//! - column names are those of 1.0, whatever the older spelling (`deployment_id`, `start`,
//!   `end`, `sequenceID`, `timestamp` become `deploymentID`, `deploymentStart`,
//!   `deploymentEnd`, `eventID`, `eventStart`);
//! - 0.1.x has no `observationLevel`: an observation with a `mediaID` is media-level, one
//!   without (a sequence-level classification) is event-level, as camtraptor treats them.
//!
//! An unknown version is refused with a message naming it and the versions supported.

use crate::io::table::Table;
use crate::io::FileReport;
use crate::model::message::Message;

/// The versions read, in words (shown when a package has another one).
pub const SUPPORTED: &str = "0.1.x (e.g. 0.1.6), 1.0-rc.x, 1.0.x";

/// A Camtrap DP version the reader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// 0.1.x: upgraded on read.
    Legacy(String),
    /// A 1.0 release candidate (`1.0-rc.1`): upgraded on read.
    ReleaseCandidate(String),
    /// 1.0.x (or a later 1.x): read as it is.
    Current(String),
}

impl Version {
    /// The version as the package states it.
    pub fn as_str(&self) -> &str {
        match self {
            Version::Legacy(v) | Version::ReleaseCandidate(v) | Version::Current(v) => v,
        }
    }

    /// Whether the package is upgraded to 1.0 on read.
    pub fn upgraded(&self) -> bool {
        !matches!(self, Version::Current(_))
    }
}

/// What a descriptor says about its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// A version the reader accepts.
    Known(Version),
    /// A Camtrap DP version the reader does not know (refused).
    Unknown(String),
    /// No Camtrap DP version anywhere in the descriptor.
    Unstated,
}

/// The version in one URL: the path segment after `camtrap-dp/`, if it starts with a digit.
fn version_in(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let at = lower.find("camtrap-dp/")? + "camtrap-dp/".len();
    let seg = url[at..].split('/').next()?.trim();
    seg.starts_with(|c: char| c.is_ascii_digit()).then(|| seg.to_string())
}

/// Classifies a version string.
pub fn classify(v: &str) -> Declared {
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("0.1") && (lower.len() == 3 || lower[3..].starts_with('.')) {
        Declared::Known(Version::Legacy(v.to_string()))
    } else if lower.starts_with("1.0-rc") || lower.starts_with("1.0rc") {
        Declared::Known(Version::ReleaseCandidate(v.to_string()))
    } else if lower == "1" || (lower.starts_with("1.") && lower[2..].starts_with(|c: char| c.is_ascii_digit())) {
        Declared::Known(Version::Current(v.to_string()))
    } else {
        Declared::Unknown(v.to_string())
    }
}

/// The version `datapackage.json` declares: its `profile`, else its `$schema`, else the first
/// resource `schema` / `$schema` URL naming a Camtrap DP version.
pub fn declared_version(dp: &serde_json::Value) -> Declared {
    let mut urls: Vec<&str> = ["profile", "$schema"].iter().filter_map(|k| dp.get(*k)?.as_str()).collect();
    if let Some(resources) = dp.get("resources").and_then(|r| r.as_array()) {
        for r in resources {
            urls.extend(["schema", "$schema"].iter().filter_map(|k| r.get(*k)?.as_str()));
        }
    }
    urls.iter().find_map(|u| version_in(u)).map_or(Declared::Unstated, |v| classify(&v))
}

/// The message for a version that is not read.
pub fn unknown_version_message(version: &str) -> Message {
    Message::new("io.camtrapdp.unknown_version").with("version", version).with("supported", SUPPORTED)
}

/// Which table of a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Deployments,
    Observations,
}

/// Older spellings (lower case, without `_`, `-` or spaces) and the 1.0 column they are.
const DEPLOYMENT_COLUMNS: &[(&str, &str)] = &[
    ("deploymentid", "deploymentID"),
    ("locationid", "locationID"),
    ("locationname", "locationName"),
    ("start", "deploymentStart"),
    ("deploymentstart", "deploymentStart"),
    ("end", "deploymentEnd"),
    ("deploymentend", "deploymentEnd"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("deploymentgroups", "deploymentGroups"),
];

const OBSERVATION_COLUMNS: &[(&str, &str)] = &[
    ("observationid", "observationID"),
    ("deploymentid", "deploymentID"),
    ("sequenceid", "eventID"),
    ("eventid", "eventID"),
    ("mediaid", "mediaID"),
    ("timestamp", "eventStart"),
    ("eventstart", "eventStart"),
    ("observationlevel", "observationLevel"),
    ("observationtype", "observationType"),
    ("scientificname", "scientificName"),
    ("individualid", "individualID"),
    ("count", "count"),
    ("sex", "sex"),
    ("lifestage", "lifeStage"),
];

fn squash(h: &str) -> String {
    h.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

/// Upgrades one table of an older package to 1.0 in place: renames its columns to their 1.0
/// names (when the 1.0 name is not already there) and, for observations without
/// `observationLevel`, derives it from `mediaID`. Each change is a note in `report`.
pub fn upgrade_table(t: &mut Table, resource: Resource, version: &str, report: &mut FileReport) {
    let aliases = match resource {
        Resource::Deployments => DEPLOYMENT_COLUMNS,
        Resource::Observations => OBSERVATION_COLUMNS,
    };
    let mut renamed = Vec::new();
    for i in 0..t.header.len() {
        let key = squash(&t.header[i]);
        let Some(&(_, new)) = aliases.iter().find(|(old, _)| *old == key) else { continue };
        if t.header[i] == new || t.header.iter().any(|h| h == new) {
            continue;
        }
        renamed.push(format!("{} → {new}", t.header[i]));
        t.header[i] = new.to_string();
    }
    if !renamed.is_empty() {
        report.note(
            Message::new("io.camtrapdp.columns_renamed")
                .with("version", version)
                .with("columns", renamed.join(", "))
                .with("n", renamed.len()),
        );
    }
    if resource == Resource::Observations && t.col("observationLevel").is_none() {
        let c_media = t.col("mediaID");
        for row in &mut t.rows {
            let media = c_media.and_then(|c| row.get(c)).is_some();
            row.fields.push(if media { "media" } else { "event" }.to_string());
        }
        t.header.push("observationLevel".to_string());
        report.note(Message::new("io.camtrapdp.level_derived").with("version", version));
    }
}

/// For a reader that does not know the package's version (the all-species reader): upgrades
/// an observations table that lacks both `eventStart` and `observationLevel` (required since
/// 1.0), as from a package older than 1.0.
pub fn upgrade_if_older(t: &mut Table, report: &mut FileReport) {
    if t.col("eventStart").is_none() && t.col("observationLevel").is_none() {
        upgrade_table(t, Resource::Observations, "0.1", report);
    }
}
