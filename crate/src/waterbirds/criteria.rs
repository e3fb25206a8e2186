//! Ramsar Criteria 6 and 5 and the EAAFP Flyway Network Site staging tests.
//!
//! **Criterion 6**: a wetland is internationally important if it *regularly* supports 1% of the
//! individuals in a population of one species or subspecies of waterbird. **Criterion 5**: if it
//! regularly supports 20,000 or more waterbirds (Ramsar Convention, *Strategic Framework and
//! guidelines for the future development of the List of Wetlands of International Importance*,
//! Criteria 5 and 6). "Regularly" (Resolution VI.4 and the Strategic Framework's guidance) is met
//! by either of two tests, both computed here on the seasonal peaks of a unit:
//!
//! * **two thirds**: the level is reached in at least two thirds of the seasons for which
//!   adequate data are available, the total number of seasons being not less than three;
//! * **five-season mean**: the mean of the peaks of the five most recent seasons with data
//!   reaches the level. (With fewer than five seasons this test is not made: `null`.)
//!
//! A season has data at a unit when the species was counted there at least once (zeros are
//! data). Qualifies = either test passes; the result says which.
//!
//! 1% thresholds follow Wetlands International's *Waterbird Population Estimates* rounding:
//! 1% levels up to 10 to the nearest 1, 11–100 to the nearest 5, 101–1,000 to the nearest 10,
//! over 1,000 to the nearest 100; populations of 2,000,000 or more get 20,000 (Criterion 5 covers
//! them) — see [`ramsar_one_percent`].
//!
//! **EAAFP Flyway Site Network** (Partnership for the East Asian–Australasian Flyway,
//! Partnership Text, criteria for Flyway Network Sites): besides Ramsar Criteria 5/6, a site
//! qualifies if it supports a share of a population of a waterbird on migration at one time
//! (default 0.25%) or is a staging site supporting a total of waterbirds at one time during
//! migration (default 5,000). Both levels are parameters ([`EaafpParams`]).
//!
//! ```
//! use borderless::waterbirds::criteria::{regularly, ramsar_one_percent};
//! // Reached in 2 of 3 seasons: two thirds with three seasons -> passes.
//! let r = regularly(&[("2017".into(), 80), ("2018".into(), 40), ("2019".into(), 75)], 70.0);
//! assert!(r.two_thirds.passes && r.five_year_mean.is_none() && r.qualifies);
//! assert_eq!(ramsar_one_percent(7081.0), 70.0);
//! assert_eq!(ramsar_one_percent(13_100.0), 130.0);
//! ```

use super::message::Msg;
use super::taxonomy::{SpeciesId, Taxonomy};
use crate::io::{FileReport, InputFile, IoError};
use serde::Serialize;

/// The Criterion 5 level: 20,000 waterbirds.
pub const CRITERION5_LEVEL: f64 = 20_000.0;

const DEFAULT_THRESHOLDS: &str = include_str!("data/thresholds.csv");

/// The 1% threshold of a population estimate, rounded as the *Waterbird Population Estimates*
/// rounds it (Wetlands International; used for Ramsar Criterion 6 since Resolution VI.4).
pub fn ramsar_one_percent(estimate: f64) -> f64 {
    if estimate >= 2_000_000.0 {
        return 20_000.0;
    }
    let x = estimate / 100.0;
    let round_to = |step: f64| ((x / step) + 0.5).floor() * step;
    let r = if x <= 10.0 {
        round_to(1.0)
    } else if x <= 100.0 {
        round_to(5.0)
    } else if x <= 1000.0 {
        round_to(10.0)
    } else {
        round_to(100.0)
    };
    r.max(1.0)
}

/// A population threshold for Criterion 6, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    pub species: SpeciesId,
    /// Accepted scientific name.
    pub scientific: String,
    pub population: String,
    pub estimate: Option<f64>,
    pub threshold: f64,
    pub source: String,
    pub year: Option<i32>,
    pub quality: String,
    /// Loaded from the user's table (which takes precedence over the default).
    pub user_supplied: bool,
}

/// Reads a thresholds table `species,population,estimate,threshold[,source,year,quality]`: a
/// missing threshold is computed from the estimate by [`ramsar_one_percent`].
pub fn read_thresholds(file: &InputFile, taxonomy: &Taxonomy) -> Result<(Vec<Threshold>, FileReport), IoError> {
    let mut report = FileReport::new(&file.name, "population thresholds");
    let grid = super::grid::read_grid(file, &mut report)?;
    let Some(species_col) = grid.column(&["species", "scientificName", "scientific_name"]) else {
        let m = Msg::MissingColumns { columns: "species".into(), kind: "thresholds table".into() };
        return Err(IoError::at(&file.name, Some(1), Some("species"), m));
    };
    let c = |n: &[&str]| grid.column(n);
    let (pop_col, est_col, thr_col) =
        (c(&["population"]), c(&["estimate", "population_estimate"]), c(&["threshold", "1%", "one_percent"]));
    if est_col.is_none() && thr_col.is_none() {
        let m = Msg::MissingColumns { columns: "estimate, threshold".into(), kind: "thresholds table".into() };
        return Err(IoError::at(&file.name, Some(1), Some("estimate, threshold"), m));
    }
    let (src_col, year_col, q_col) = (c(&["source"]), c(&["year"]), c(&["quality", "estimate_quality"]));
    let user = !file.name.starts_with("default:");
    let mut out = Vec::new();
    for (row, f) in &grid.rows {
        report.rows_read += 1;
        let get = |col: Option<usize>| col.and_then(|i| f.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty());
        let Some(name) = get(Some(species_col)) else {
            report.reject(*row, Some(&grid.header[species_col]), Msg::EmptyField);
            continue;
        };
        let species = match taxonomy.lookup(name).species() {
            Some(s) => s,
            None => {
                report.reject(*row, Some(&grid.header[species_col]), Msg::UnmatchedName { name: name.into() });
                continue;
            }
        };
        let num = |col: Option<usize>| -> Result<Option<f64>, (String, Msg)> {
            match get(col) {
                None => Ok(None),
                Some(v) => match v.replace([',', ' '], "").parse::<f64>() {
                    Ok(x) if x > 0.0 && x.is_finite() => Ok(Some(x)),
                    _ => Err((grid.header[col.unwrap_or(0)].clone(), Msg::BadThreshold { value: v.into() })),
                },
            }
        };
        let (estimate, threshold) = match (num(est_col), num(thr_col)) {
            (Err((c, m)), _) | (_, Err((c, m))) => {
                report.reject(*row, Some(&c), m);
                continue;
            }
            (Ok(e), Ok(Some(t))) => (e, t),
            (Ok(Some(e)), Ok(None)) => (Some(e), ramsar_one_percent(e)),
            (Ok(None), Ok(None)) => {
                report.reject(*row, thr_col.or(est_col).map(|i| grid.header[i].as_str()), Msg::NoThreshold);
                continue;
            }
        };
        out.push(Threshold {
            species,
            scientific: taxonomy.species(species).scientific.clone(),
            population: get(pop_col).unwrap_or("").to_string(),
            estimate,
            threshold,
            source: get(src_col)
                .map_or_else(|| if user { format!("user table {}", file.name) } else { String::new() }, str::to_string),
            year: get(year_col).and_then(|y| y.parse().ok()),
            quality: get(q_col).unwrap_or("").to_string(),
            user_supplied: user,
        });
        report.rows_used += 1;
    }
    Ok((out, report))
}

/// The shipped default thresholds (`data/thresholds.csv`, sources in its README).
pub fn default_thresholds(taxonomy: &Taxonomy) -> Vec<Threshold> {
    let f = InputFile::new("default:thresholds.csv", DEFAULT_THRESHOLDS);
    read_thresholds(&f, taxonomy).map(|(t, _)| t).unwrap_or_default()
}

/// The user's thresholds first, then the defaults for species the user did not give.
pub fn merge_thresholds(user: Vec<Threshold>, defaults: Vec<Threshold>) -> Vec<Threshold> {
    let mut out = user;
    for d in defaults {
        if !out.iter().any(|u| u.species == d.species) {
            out.push(d);
        }
    }
    out
}

/// The two-thirds test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoThirds {
    /// Seasons with data.
    pub seasons: usize,
    /// Seasons whose peak reached the level.
    pub reached: usize,
    pub passes: bool,
}

/// The five-season mean test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiveYearMean {
    /// The five most recent seasons with data.
    pub seasons: Vec<String>,
    pub mean: f64,
    pub passes: bool,
}

/// Both tests of "regularly" on a series of seasonal peaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regularly {
    pub two_thirds: TwoThirds,
    pub five_year_mean: Option<FiveYearMean>,
    pub qualifies: bool,
    /// "two_thirds", "five_year_mean", "both", or `None` when neither passes.
    pub test: Option<&'static str>,
    /// Why, test by test.
    pub explanation: Vec<Msg>,
}

/// Applies both tests to `(label, peak)` pairs in chronological order.
pub fn regularly(peaks: &[(String, u64)], level: f64) -> Regularly {
    let n = peaks.len();
    let reached = peaks.iter().filter(|(_, p)| *p as f64 >= level).count();
    let tt_pass = n >= 3 && 3 * reached >= 2 * n;
    let mut explanation = vec![if n < 3 {
        Msg::TooFewSeasons { seasons: n }
    } else if tt_pass {
        Msg::TwoThirdsPass { reached, seasons: n }
    } else {
        Msg::TwoThirdsFail { reached, seasons: n }
    }];
    let five = (n >= 5).then(|| {
        let last = &peaks[n - 5..];
        let mean = last.iter().map(|(_, p)| *p as f64).sum::<f64>() / 5.0;
        FiveYearMean { seasons: last.iter().map(|(l, _)| l.clone()).collect(), mean, passes: mean >= level }
    });
    explanation.push(match &five {
        None => Msg::FiveYearNotEnough { seasons: n },
        Some(f) if f.passes => Msg::FiveYearPass { mean: f.mean, threshold: level },
        Some(f) => Msg::FiveYearFail { mean: f.mean, threshold: level },
    });
    let fy_pass = five.as_ref().is_some_and(|f| f.passes);
    let test = match (tt_pass, fy_pass) {
        (true, true) => Some("both"),
        (true, false) => Some("two_thirds"),
        (false, true) => Some("five_year_mean"),
        (false, false) => None,
    };
    Regularly {
        two_thirds: TwoThirds { seasons: n, reached, passes: tt_pass },
        five_year_mean: five,
        qualifies: tt_pass || fy_pass,
        test,
        explanation,
    }
}

/// Parameters of the EAAFP staging tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EaafpParams {
    /// Share of a population on migration at one time, in percent (default 0.25).
    pub population_share_percent: f64,
    /// Total of migratory waterbirds at one time during migration (default 5,000).
    pub staging_total: f64,
    /// The seasons that are migration seasons (by name); empty = every season.
    pub migration_seasons: Vec<String>,
    pub source: String,
}

impl Default for EaafpParams {
    fn default() -> Self {
        EaafpParams {
            population_share_percent: 0.25,
            staging_total: 5000.0,
            migration_seasons: Vec::new(),
            source: "Partnership for the East Asian-Australasian Flyway, Partnership Text (2006), criteria for the Flyway Site Network: 0.25% of a population on migration; 5,000 waterbirds at one time during migration".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[u64]) -> Vec<(String, u64)> {
        v.iter().enumerate().map(|(i, x)| ((2010 + i).to_string(), *x)).collect()
    }

    #[test]
    fn two_thirds_boundaries() {
        assert!(!regularly(&p(&[100, 100]), 50.0).two_thirds.passes); // 2 of 2: fewer than 3 seasons
        assert!(regularly(&p(&[100, 0, 100]), 50.0).two_thirds.passes); // 2 of 3
        assert!(!regularly(&p(&[100, 0, 0, 100]), 50.0).two_thirds.passes); // 2 of 4
        assert!(regularly(&p(&[100, 0, 100, 100]), 50.0).two_thirds.passes); // 3 of 4
        assert!(!regularly(&p(&[100, 0, 0, 100, 100]), 50.0).two_thirds.passes); // 3 of 5
        assert!(regularly(&p(&[100, 0, 100, 0, 100, 100]), 50.0).two_thirds.passes);
        // 4 of 6
    }

    #[test]
    fn rounding_rule() {
        assert_eq!(ramsar_one_percent(450.0), 5.0);
        assert_eq!(ramsar_one_percent(1049.0), 10.0);
        assert_eq!(ramsar_one_percent(1260.0), 15.0); // 12.6 -> nearest 5
        assert_eq!(ramsar_one_percent(9_999.0), 100.0);
        assert_eq!(ramsar_one_percent(54_400.0), 540.0);
        assert_eq!(ramsar_one_percent(250_000.0), 2_500.0);
        assert_eq!(ramsar_one_percent(3_000_000.0), 20_000.0);
        assert_eq!(ramsar_one_percent(20.0), 1.0);
    }

    #[test]
    fn defaults_follow_the_rule() {
        let t = default_thresholds(Taxonomy::get());
        assert_eq!(t.len(), 5);
        for x in &t {
            assert_eq!(x.threshold, ramsar_one_percent(x.estimate.unwrap()), "{}", x.scientific);
            assert!(!x.source.is_empty() && x.year.is_some() && !x.user_supplied);
        }
    }
}
