//! Waterbirds of shared wetlands: a joint species list across national checklists and languages,
//! synchronised counts per site and per transboundary complex, Ramsar Criteria 6 and 5 by both
//! tests of "regularly", the EAAFP staging tests, and trends.
//!
//! Flow: [`sites::read_sites`] and [`counts::read_counts`] (names matched by [`taxonomy`]) →
//! [`peaks`] per unit (site or complex), species and [`seasons`] occurrence → [`criteria`] →
//! [`analyze`]'s [`WaterbirdResult`], whose serde form is what the CLI prints and the page shows.
//! [`demo`] writes the simulated Tumen estuary survey.
//!
//! ```
//! use borderless::io::InputFile;
//! use borderless::waterbirds::{analyze, WaterbirdOptions};
//! let sites = InputFile::new("sites.csv", "site,country,complex\nA,CN,T\nB,RU,T\n");
//! let mut rows = String::from("site,date,species,count\n");
//! for y in 2015..2020 {
//!     // 50 + 40 spoonbills on one date: 90 together, never 70 at one site.
//!     rows += &format!("A,{y}-04-10,Platalea minor,50\nB,{y}-04-10,Platalea minor,40\n");
//! }
//! let counts = [InputFile::new("c.csv", rows)];
//! let opts = WaterbirdOptions { seasons: vec!["spring=03-05".parse().unwrap()], ..Default::default() };
//! let r = analyze(&counts, &sites, None, &opts).unwrap();
//! let complex = r.criterion6.iter().find(|c| c.unit == "T").unwrap();
//! assert!(complex.qualifies && complex.threshold == 70.0);
//! assert!(r.criterion6.iter().filter(|c| c.unit != "T").all(|c| !c.qualifies));
//! ```

pub mod counts;
pub mod criteria;
pub mod demo;
pub mod grid;
pub mod message;
pub mod peaks;
pub mod seasons;
pub mod sites;
pub mod species_list;
pub mod taxonomy;
pub mod text;
pub mod trends;

use crate::io::{FileReport, InputFile, IoError};
use crate::model::lang::Lang;
use chrono::NaiveDate;
use counts::{CountRecord, UnmatchedName};
use criteria::{regularly, EaafpParams, FiveYearMean, Threshold, TwoThirds, CRITERION5_LEVEL};
use message::Msg;
use peaks::{seasonal_peaks, Peak, Unit, UnitKind};
use seasons::Season;
use serde::Serialize;
use sites::Sites;
use species_list::SpeciesEntry;
use std::collections::BTreeMap;
use taxonomy::Taxonomy;
use trends::Trend;

/// What to compute.
#[derive(Debug, Clone, Serialize)]
pub struct WaterbirdOptions {
    pub seasons: Vec<Season>,
    pub eaafp: EaafpParams,
    /// Language of species names in the results' `name` fields.
    pub lang: Lang,
}

impl Default for WaterbirdOptions {
    fn default() -> Self {
        WaterbirdOptions { seasons: Vec::new(), eaafp: EaafpParams::default(), lang: Lang::En }
    }
}

/// A unit's peak in one season occurrence, as a criteria-matrix cell shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeakCell {
    pub label: String,
    pub peak: u64,
    pub date: NaiveDate,
    pub partial: bool,
    pub sites_counted: usize,
    pub sites_in_unit: usize,
    pub reached: bool,
}

/// Criterion 6 for one unit, season and species (or Criterion 5 with `species` = `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionRow {
    pub unit: String,
    pub unit_kind: UnitKind,
    pub countries: Vec<String>,
    pub season: String,
    /// Accepted scientific name (Criterion 6 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub species: Option<String>,
    /// The species' name in the chosen language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The 1% threshold (Criterion 6) or 20,000 (Criterion 5).
    pub threshold: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_year: Option<i32>,
    /// Seasonal peak by season label.
    pub peaks: BTreeMap<String, u64>,
    pub peak_details: Vec<PeakCell>,
    pub two_thirds: TwoThirds,
    pub five_year_mean: Option<FiveYearMean>,
    pub qualifies: bool,
    /// Which test passed: "two_thirds", "five_year_mean", "both", or null.
    pub test: Option<&'static str>,
    pub explanation: Vec<Msg>,
}

/// Sum of site peaks against the synchronised peak, for one complex, season occurrence and species.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointRow {
    pub unit: String,
    pub season: String,
    pub species: String,
    pub label: String,
    pub sum_of_site_peaks: u64,
    pub synchronised_peak: u64,
    pub overcount_percent: Option<f64>,
    pub peak_date: NaiveDate,
    pub partial: bool,
    /// Each site's own peak: site ID, peak, date.
    pub site_peaks: Vec<(String, u64, NaiveDate)>,
}

/// One EAAFP staging test for one unit and season.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EaafpRow {
    pub unit: String,
    pub season: String,
    /// `None` for the total-of-waterbirds test.
    pub species: Option<String>,
    /// "population_share" or "staging_total".
    pub test: &'static str,
    pub level: f64,
    pub max_peak: u64,
    /// Season occurrences whose peak reached the level.
    pub reached_in: Vec<String>,
    pub passes: bool,
}

/// Annual peaks, trend and within-season pattern for one unit, season and species.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub unit: String,
    pub season: String,
    pub species: String,
    pub threshold: Option<f64>,
    pub annual_peaks: Vec<(String, u64)>,
    pub trend: Option<Trend>,
    /// Unit totals on every counted date: (label, date, total, partial).
    pub phenology: Vec<(String, NaiveDate, u64, bool)>,
}

/// Everything computed from the dropped files.
#[derive(Debug, Clone, Serialize)]
pub struct WaterbirdResult {
    pub criterion6: Vec<CriterionRow>,
    pub criterion5: Vec<CriterionRow>,
    pub joint: Vec<JointRow>,
    pub unmatched_names: Vec<UnmatchedName>,
    pub species_list: Vec<SpeciesEntry>,
    pub eaafp: Vec<EaafpRow>,
    pub eaafp_params: EaafpParams,
    pub trends: Vec<TrendRow>,
    pub thresholds: Vec<Threshold>,
    pub units: Vec<Unit>,
    pub sites: Sites,
    pub seasons: Vec<Season>,
    pub reports: Vec<FileReport>,
    /// Records used (for exports such as Darwin Core).
    #[serde(skip)]
    pub records: Vec<CountRecord>,
}

fn cells(peaks: &[(seasons::SeasonLabel, Peak)], level: f64) -> Vec<PeakCell> {
    peaks
        .iter()
        .map(|(l, p)| PeakCell {
            label: l.label.clone(),
            peak: p.synchronised_peak,
            date: p.peak_date,
            partial: p.partial,
            sites_counted: p.sites_counted,
            sites_in_unit: p.sites_in_unit,
            reached: p.synchronised_peak as f64 >= level,
        })
        .collect()
}

/// Reads every file and computes every result. Only an unreadable sites file is an error; a
/// count file that cannot be used is reported (in `reports`) and left out.
pub fn analyze(
    count_files: &[InputFile],
    sites_file: &InputFile,
    thresholds_file: Option<&InputFile>,
    opts: &WaterbirdOptions,
) -> Result<WaterbirdResult, IoError> {
    let taxonomy = Taxonomy::get();
    let (sites, site_report) = sites::read_sites(sites_file)?;
    let mut reports = vec![site_report];
    let mut user_thresholds = Vec::new();
    if let Some(f) = thresholds_file {
        let (t, r) = criteria::read_thresholds(f, taxonomy)?;
        user_thresholds = t;
        reports.push(r);
    }
    let thresholds = criteria::merge_thresholds(user_thresholds, criteria::default_thresholds(taxonomy));
    let mut records = Vec::new();
    let mut unmatched = Vec::new();
    for f in count_files {
        match counts::read_counts(f, &sites, taxonomy) {
            Ok(t) => {
                records.extend(t.records);
                unmatched.extend(t.unmatched);
                reports.push(t.report);
            }
            Err(e) => {
                let mut r = FileReport::new(&f.name, "waterbird counts");
                let issue = crate::io::Issue::new(
                    crate::io::Severity::Error,
                    &e.file,
                    e.row,
                    e.column.as_deref(),
                    e.message.clone(),
                );
                r.issues.push(issue);
                reports.push(r);
            }
        }
    }
    let series = peaks::series(&records, taxonomy);
    let units = peaks::units(&sites);
    let mut result = WaterbirdResult {
        criterion6: Vec::new(),
        criterion5: Vec::new(),
        joint: Vec::new(),
        unmatched_names: unmatched,
        species_list: species_list::joint_species_list(&records, &sites, taxonomy),
        eaafp: Vec::new(),
        eaafp_params: opts.eaafp.clone(),
        trends: Vec::new(),
        thresholds: thresholds.clone(),
        units: units.clone(),
        sites: sites.clone(),
        seasons: opts.seasons.clone(),
        reports,
        records: Vec::new(),
    };
    // Species in order of scientific name.
    let mut species: Vec<_> = series.by_species.keys().copied().collect();
    species.sort_by(|a, b| taxonomy.species(*a).scientific.cmp(&taxonomy.species(*b).scientific));
    for unit in &units {
        for season in &opts.seasons {
            let migration =
                opts.eaafp.migration_seasons.is_empty() || opts.eaafp.migration_seasons.contains(&season.name);
            for &sp in &species {
                species_rows(&mut result, unit, season, sp, &series, &thresholds, &sites, opts, migration);
            }
            let peaks = seasonal_peaks(&series.waterbirds, unit, season);
            if !peaks.is_empty() {
                let labelled: Vec<(String, u64)> =
                    peaks.iter().map(|(l, p)| (l.label.clone(), p.synchronised_peak)).collect();
                result.criterion5.push(criterion_row(unit, season, &peaks, CRITERION5_LEVEL, None));
                if migration {
                    let level = opts.eaafp.staging_total;
                    result.eaafp.push(eaafp_row(unit, season, None, "staging_total", level, &labelled));
                }
            }
        }
    }
    result.records = records;
    Ok(result)
}

/// One criteria-matrix cell: both tests of "regularly" on a unit's seasonal peaks, with the
/// species (scientific name, display name, threshold) for Criterion 6.
fn criterion_row(
    unit: &Unit,
    season: &Season,
    peaks: &[(seasons::SeasonLabel, Peak)],
    level: f64,
    species: Option<(String, String, &Threshold)>,
) -> CriterionRow {
    let labelled: Vec<(String, u64)> = peaks.iter().map(|(l, p)| (l.label.clone(), p.synchronised_peak)).collect();
    let reg = regularly(&labelled, level);
    CriterionRow {
        unit: unit.name.clone(),
        unit_kind: unit.kind,
        countries: unit.countries.clone(),
        season: season.name.clone(),
        threshold_source: species.as_ref().map(|s| s.2.source.clone()),
        threshold_year: species.as_ref().and_then(|s| s.2.year),
        name: species.as_ref().map(|s| s.1.clone()),
        species: species.map(|s| s.0),
        threshold: level,
        peaks: labelled.into_iter().collect(),
        peak_details: cells(peaks, level),
        two_thirds: reg.two_thirds,
        five_year_mean: reg.five_year_mean,
        qualifies: reg.qualifies,
        test: reg.test,
        explanation: reg.explanation,
    }
}

/// Criterion 6, EAAFP population-share, joint and trend rows of one species at one unit in one season.
#[allow(clippy::too_many_arguments)]
fn species_rows(
    result: &mut WaterbirdResult,
    unit: &Unit,
    season: &Season,
    sp: taxonomy::SpeciesId,
    series: &peaks::Series,
    thresholds: &[Threshold],
    sites: &Sites,
    opts: &WaterbirdOptions,
    migration: bool,
) {
    let taxonomy = Taxonomy::get();
    let s = taxonomy.species(sp);
    let peaks = seasonal_peaks(&series.by_species[&sp], unit, season);
    if peaks.is_empty() {
        return;
    }
    let threshold = thresholds.iter().find(|t| t.species == sp);
    let labelled: Vec<(String, u64)> = peaks.iter().map(|(l, p)| (l.label.clone(), p.synchronised_peak)).collect();
    if let Some(t) = threshold {
        let about = Some((s.scientific.clone(), s.name(opts.lang).to_string(), t));
        result.criterion6.push(criterion_row(unit, season, &peaks, t.threshold, about));
        if migration {
            if let Some(est) = t.estimate {
                let level = est * opts.eaafp.population_share_percent / 100.0;
                result.eaafp.push(eaafp_row(
                    unit,
                    season,
                    Some(s.scientific.clone()),
                    "population_share",
                    level,
                    &labelled,
                ));
            }
        }
    }
    if unit.kind == UnitKind::Complex {
        for (l, p) in &peaks {
            result.joint.push(JointRow {
                unit: unit.name.clone(),
                season: season.name.clone(),
                species: s.scientific.clone(),
                label: l.label.clone(),
                sum_of_site_peaks: p.sum_of_site_peaks,
                synchronised_peak: p.synchronised_peak,
                overcount_percent: p.overcount_percent,
                peak_date: p.peak_date,
                partial: p.partial,
                site_peaks: p.site_peaks.iter().map(|(i, v, d)| (sites.sites[*i].id.clone(), *v, *d)).collect(),
            });
        }
    }
    let points: Vec<(f64, f64)> =
        peaks.iter().map(|(l, p)| (l.start_year as f64, p.synchronised_peak as f64)).collect();
    result.trends.push(TrendRow {
        unit: unit.name.clone(),
        season: season.name.clone(),
        species: s.scientific.clone(),
        threshold: threshold.map(|t| t.threshold),
        annual_peaks: labelled,
        trend: trends::log_linear_trend(&points),
        phenology: peaks
            .iter()
            .flat_map(|(l, p)| p.dates.iter().map(move |d| (l.label.clone(), d.date, d.total, d.partial)))
            .collect(),
    });
}

fn eaafp_row(
    unit: &Unit,
    season: &Season,
    species: Option<String>,
    test: &'static str,
    level: f64,
    peaks: &[(String, u64)],
) -> EaafpRow {
    let reached_in: Vec<String> = peaks.iter().filter(|(_, p)| *p as f64 >= level).map(|(l, _)| l.clone()).collect();
    EaafpRow {
        unit: unit.name.clone(),
        season: season.name.clone(),
        species,
        test,
        level,
        max_peak: peaks.iter().map(|p| p.1).max().unwrap_or(0),
        passes: !reached_in.is_empty(),
        reached_in,
    }
}

impl WaterbirdResult {
    /// The JSON the CLI prints with `--json` (field names as issue 11 specifies, plus the
    /// details the page uses).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
