//! The survey chart set and the activity overlap of two species: the survey read once from
//! the dropped files (catalogs, the cross-border analysis and every animal observation), the
//! numbers each chart shows computed by the layers below, and each chart drawn by
//! [`crate::render::charts`].

use super::{apply_encodings, expand_archives, load_expanded, Analysis, AnalysisOptions, Loaded};
use crate::activity::overlap::{analyze_overlap, OverlapReport};
use crate::estimation::occasions;
use crate::io::camtrapdp::read_species_records;
use crate::io::{FileReport, InputFile};
use crate::model::lang::Lang;
use crate::model::message::Message;
use crate::model::SpeciesRecord;
use crate::render::charts::data::{
    accumulation, estimate_comparison, rai_per_station, species_counts, species_times, CaptureMatrix, EstimateInterval,
};
use crate::render::charts::set::{
    accumulation_chart, capture_matrix_chart, crossings_chart, detections_individual_chart, detections_per_country,
    diel_chart, distance_chart, estimates_chart, rai_chart, RenderedChart,
};
use crate::render::charts::{ChartError, ChartOptions};
use serde::{Deserialize, Serialize};

/// A survey read from dropped files: catalogs, the cross-border analysis and every animal
/// observation (identified or not).
#[derive(Debug, Clone)]
pub struct Survey {
    pub loaded: Loaded,
    pub analysis: Analysis,
    pub records: Vec<SpeciesRecord>,
    /// Reports of the observation files read again for all species.
    pub record_reports: Vec<FileReport>,
}

impl Survey {
    /// Reads the files as [`load_files`] does, then every animal observation.
    pub fn from_files(files: Vec<InputFile>, opts: &AnalysisOptions) -> Survey {
        let (mut files, mut reports) = expand_archives(files, &opts.zip_limits);
        apply_encodings(&mut files, &opts.encodings, &mut reports);
        let loaded = load_expanded(files.iter(), reports, opts, &mut |_| {});
        let (records, record_reports) = species_records(&files, &loaded);
        let analysis = loaded.clone().analysis(&mut |_| {});
        Survey { loaded, analysis, records, record_reports }
    }
}

/// Options of [`chart_set`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChartSetOptions {
    /// How the files are read and joined.
    pub analysis: AnalysisOptions,
    pub lang: Lang,
    pub width: u32,
    pub height: u32,
    pub font: String,
    /// Occasion length (days) of the capture histories and closed models.
    pub occasion_days: f64,
    /// SECR (or other) estimates to add to the comparison, e.g. from a fit on the page.
    pub secr: Vec<EstimateInterval>,
    /// The diel pair; by default the two most recorded species.
    pub species_a: Option<String>,
    pub species_b: Option<String>,
    /// Diel curves in sun time instead of local clock time.
    pub sun_time: bool,
}

impl Default for ChartSetOptions {
    fn default() -> Self {
        ChartSetOptions {
            analysis: AnalysisOptions::default(),
            lang: Lang::En,
            width: 640,
            height: 360,
            font: "sans-serif".into(),
            occasion_days: 15.0,
            secr: Vec::new(),
            species_a: None,
            species_b: None,
            sun_time: false,
        }
    }
}

impl ChartSetOptions {
    fn chart(&self) -> ChartOptions {
        ChartOptions {
            width: self.width,
            height: self.height,
            font: self.font.clone(),
            lang: self.lang,
            ..Default::default()
        }
    }
}

/// Species and their number of records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeciesCount {
    pub species: String,
    pub records: usize,
}

/// The chart set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartSet {
    pub charts: Vec<RenderedChart>,
    /// Every species recorded (for the overlap picker), most recorded first.
    pub species: Vec<SpeciesCount>,
    /// Why a chart is missing or limited (e.g. closed models could not be fitted), in English.
    pub notes: Vec<String>,
    /// The same notes as messages, to show them in any language.
    pub notes_codes: Vec<Message>,
}

/// Every chart of the survey.
pub fn chart_set(s: &Survey, o: &ChartSetOptions) -> Result<ChartSet, ChartError> {
    let a = &s.analysis;
    let co = o.chart();
    let l = o.lang;
    let mut charts = Vec::new();
    let mut notes: Vec<Message> = Vec::new();
    charts.push(detections_per_country(a, &co)?);
    charts.push(detections_individual_chart(a, &co)?);
    charts.push(crossings_chart(a, &co)?);
    if a.crossborder.individuals.iter().any(|i| i.max_distance_from_border_km.is_some()) {
        charts.push(distance_chart(a, &co)?);
    } else {
        notes.push(Message::new("pipeline.charts.no_border"));
    }
    match occasions::build(&s.loaded.catalogs, &s.loaded.joint, o.occasion_days) {
        Ok(h) => charts.push(capture_matrix_chart(&CaptureMatrix::from_histories(&h), a.simulated, &co)?),
        Err(e) => notes.push(Message::new("pipeline.charts.no_histories").with("message", e.message())),
    }
    let closed = match crate::estimation::closed_population(s.loaded.survey(), o.occasion_days) {
        Ok(c) => Some(c),
        Err(e) => {
            notes.push(Message::new("pipeline.charts.no_closed").with("message", e.message()));
            None
        }
    };
    let est = estimate_comparison(closed.as_ref(), &o.secr, a.crossborder.summary.sum_of_national_counts);
    charts.push(estimates_chart(&est, a.simulated, &co)?);
    charts.push(rai_chart(&rai_per_station(a), a.simulated, &co)?);
    let (by_station, by_day) = accumulation(&s.loaded.catalogs, &s.records);
    if by_day.observed > 0 {
        charts.push(accumulation_chart(&by_day, a.simulated, &co)?);
        charts.push(accumulation_chart(&by_station, a.simulated, &co)?);
    } else {
        notes.push(Message::new("pipeline.charts.no_species"));
    }
    let counts = species_counts(&s.records);
    let pick = |given: &Option<String>, k: usize| given.clone().or_else(|| counts.get(k).map(|c| c.0.clone()));
    match (pick(&o.species_a, 0), pick(&o.species_b, 1)) {
        (Some(sa), Some(sb)) => {
            let oo = OverlapChartOptions {
                species_a: sa,
                species_b: sb,
                sun_time: o.sun_time,
                lang: l,
                width: o.width,
                height: o.height,
                font: o.font.clone(),
                ..Default::default()
            };
            match activity_overlap(s, &oo) {
                Ok(r) => charts.push(r.chart),
                Err(e) => notes.push(e.to_message()),
            }
        }
        _ => notes.push(Message::new("pipeline.charts.no_pair")),
    }
    Ok(ChartSet {
        charts,
        species: counts.into_iter().map(|(species, records)| SpeciesCount { species, records }).collect(),
        notes: notes.iter().map(Message::to_string).collect(),
        notes_codes: notes,
    })
}

/// Options of [`activity_overlap`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OverlapChartOptions {
    /// How the files are read and joined.
    pub analysis: AnalysisOptions,
    pub species_a: String,
    pub species_b: String,
    /// Sun time (sunrise at 6 h, sunset at 18 h) instead of local clock time.
    pub sun_time: bool,
    /// Smoothed bootstrap resamples (0: none).
    pub bootstrap: usize,
    pub seed: u64,
    pub lang: Lang,
    pub width: u32,
    pub height: u32,
    pub font: String,
}

impl Default for OverlapChartOptions {
    fn default() -> Self {
        OverlapChartOptions {
            analysis: AnalysisOptions::default(),
            species_a: String::new(),
            species_b: String::new(),
            sun_time: false,
            bootstrap: 0,
            seed: 1,
            lang: Lang::En,
            width: 640,
            height: 360,
            font: "sans-serif".into(),
        }
    }
}

/// Activity overlap of two species of a survey, with its chart.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityOverlap {
    /// Dhat1/4/5, bandwidths, activity levels and bootstrap CIs (see [`crate::activity::overlap`]).
    pub report: OverlapReport,
    /// `"clock"` (local time, each record's own UTC offset) or `"sun"`.
    pub time_basis: String,
    /// Records left out: known only to the day (no time of day), or, with sun time, without a
    /// sunrise or sunset that day.
    pub dropped_a: usize,
    pub dropped_b: usize,
    pub chart: RenderedChart,
}

/// Dhat1/4/5 (Ridout & Linkie 2009), bandwidths, activity levels (Rowcliffe et al. 2014),
/// optional seeded smoothed-bootstrap CIs, and the diel chart: each species' von Mises kernel
/// density (overlap's bandwidth) over the day, the overlap (pointwise minimum) shaded.
pub fn activity_overlap(s: &Survey, o: &OverlapChartOptions) -> Result<ActivityOverlap, ChartError> {
    const C: &str = "diel activity";
    let e = |m: Message| ChartError { chart: C, message: m };
    let present = species_counts(&s.records).into_iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
    let (ta, da) = species_times(&s.loaded.catalogs, &s.records, &o.species_a, o.sun_time);
    let (tb, db) = species_times(&s.loaded.catalogs, &s.records, &o.species_b, o.sun_time);
    for (sp, t) in [(&o.species_a, &ta), (&o.species_b, &tb)] {
        if t.len() < 2 {
            return Err(e(Message::new("activity.too_few_times")
                .with("species", sp.as_str())
                .with("n", t.len())
                .with("present", present.as_str())));
        }
    }
    let boot = (o.bootstrap > 0).then_some((o.bootstrap, o.seed));
    let report = analyze_overlap(&ta, &tb, (&o.species_a, &o.species_b), None, boot).map_err(|x| e(x.message()))?;
    let co =
        ChartOptions { width: o.width, height: o.height, font: o.font.clone(), lang: o.lang, ..Default::default() };
    let chart = diel_chart(&ta, &tb, &report, o.sun_time, s.analysis.simulated, &co)?;
    Ok(ActivityOverlap {
        report,
        time_basis: if o.sun_time { "sun" } else { "clock" }.into(),
        dropped_a: da,
        dropped_b: db,
        chart,
    })
}

/// Every animal observation of the catalogs in `loaded`, from `files` (the same files, zips
/// already expanded, that `loaded` was read from). A catalog without an `observations.csv`
/// (camtrapR tables) contributes its detections: every record there is identified.
pub fn species_records(files: &[InputFile], loaded: &Loaded) -> (Vec<SpeciesRecord>, Vec<FileReport>) {
    let mut out = Vec::new();
    let mut reports = Vec::new();
    for (ci, cat) in loaded.catalogs.iter().enumerate() {
        let name = if cat.source.is_empty() {
            "observations.csv".to_string()
        } else {
            format!("{}/observations.csv", cat.source)
        };
        match files.iter().find(|f| f.name == name) {
            Some(file) => {
                let mut report =
                    FileReport::new(&file.name, &Message::new("pipeline.kind.observations_all").to_string());
                read_species_records(file, ci, cat, &mut report, &mut out);
                reports.push(report);
            }
            None => out.extend(cat.detections.iter().filter_map(|d| {
                d.species.as_ref().map(|s| SpeciesRecord {
                    catalog: ci,
                    station: d.station,
                    species: s.clone(),
                    time: d.time,
                    precision: d.precision,
                    individual: Some(d.individual.clone()),
                })
            })),
        }
    }
    (out, reports)
}
