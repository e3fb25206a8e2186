//! Seasonal peaks per unit (a site, or a complex = all its sites).
//!
//! * A site's count of a species on a date is the largest of that day's counts (different times
//!   or count IDs): counts of one site on one day are never added.
//! * A unit's total on a date is the sum over its sites counted that date (a site is counted for a
//!   species when a row names it, zeros included). A date on which only some of the unit's sites
//!   were counted, or a row says coverage was partial, still gives a total, flagged partial.
//! * The **synchronised peak** of a season is the largest unit total on one date (the earliest
//!   such date is reported). The **sum of site peaks** adds each site's own seasonal peak, taken
//!   on whatever date it fell — what adding national peak counts gives — and its over-count is
//!   (sum − synchronised) / synchronised.
//!
//! ```
//! use borderless::waterbirds::peaks::{peak_of, SiteDay};
//! use chrono::NaiveDate;
//! let d = |day| NaiveDate::from_ymd_opt(2019, 4, day).unwrap();
//! // Two sites; the birds move between them: 60 at A on the 1st, 50 at B on the 2nd.
//! let days = vec![
//!     SiteDay { site: 0, date: d(1), value: 60, partial: false },
//!     SiteDay { site: 1, date: d(1), value: 10, partial: false },
//!     SiteDay { site: 0, date: d(2), value: 15, partial: false },
//!     SiteDay { site: 1, date: d(2), value: 50, partial: false },
//! ];
//! let p = peak_of(&days, &[0, 1]).unwrap();
//! assert_eq!((p.synchronised_peak, p.peak_date, p.sum_of_site_peaks), (70, d(1), 110));
//! assert!((p.overcount_percent.unwrap() - 57.142857).abs() < 1e-5);
//! ```

use super::counts::CountRecord;
use super::seasons::{Season, SeasonLabel};
use super::sites::Sites;
use super::taxonomy::{SpeciesId, Taxonomy};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Site,
    Complex,
}

/// A site, or a complex of sites assessed as one transboundary site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Site ID, or complex name.
    pub name: String,
    pub kind: UnitKind,
    /// Indices of its sites.
    pub sites: Vec<usize>,
    /// Countries of its sites, in order of first appearance.
    pub countries: Vec<String>,
}

/// Every site as a unit, then every complex.
pub fn units(sites: &Sites) -> Vec<Unit> {
    let countries = |idx: &[usize]| {
        let mut c: Vec<String> = Vec::new();
        for &i in idx {
            let k = &sites.sites[i].country;
            if !k.is_empty() && !c.contains(k) {
                c.push(k.clone());
            }
        }
        c
    };
    let mut out: Vec<Unit> = (0..sites.sites.len())
        .map(|i| Unit {
            name: sites.sites[i].id.clone(),
            kind: UnitKind::Site,
            sites: vec![i],
            countries: countries(&[i]),
        })
        .collect();
    for (name, idx) in sites.complexes() {
        out.push(Unit { name, kind: UnitKind::Complex, countries: countries(&idx), sites: idx });
    }
    out
}

/// One site's value on one date (the day's largest count), with the partial-coverage flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteDay {
    pub site: usize,
    pub date: NaiveDate,
    pub value: u64,
    pub partial: bool,
}

/// A unit's total on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedTotal {
    pub date: NaiveDate,
    pub total: u64,
    pub sites_counted: usize,
    pub partial: bool,
}

/// The peaks of one unit in one season occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    pub synchronised_peak: u64,
    pub peak_date: NaiveDate,
    /// Sites counted on the peak date, of the unit's sites.
    pub sites_counted: usize,
    pub sites_in_unit: usize,
    /// The peak date's total is partial (not all sites counted, or a row says partial).
    pub partial: bool,
    pub sum_of_site_peaks: u64,
    /// (sum − synchronised) / synchronised × 100; `None` when the synchronised peak is 0.
    pub overcount_percent: Option<f64>,
    /// Each counted site's own peak: (site index, peak, date).
    pub site_peaks: Vec<(usize, u64, NaiveDate)>,
    /// The unit total on every counted date, in date order (the within-season pattern).
    pub dates: Vec<DatedTotal>,
}

/// The peak of a unit over the site-days given (all in one season occurrence); `None` if no site
/// of the unit was counted.
pub fn peak_of(days: &[SiteDay], unit_sites: &[usize]) -> Option<Peak> {
    let mut by_date: BTreeMap<NaiveDate, DatedTotal> = BTreeMap::new();
    let mut site_peak: BTreeMap<usize, (u64, NaiveDate)> = BTreeMap::new();
    for d in days.iter().filter(|d| unit_sites.contains(&d.site)) {
        let t =
            by_date.entry(d.date).or_insert(DatedTotal { date: d.date, total: 0, sites_counted: 0, partial: false });
        t.total += d.value;
        t.sites_counted += 1;
        t.partial |= d.partial;
        let p = site_peak.entry(d.site).or_insert((d.value, d.date));
        if d.value > p.0 || (d.value == p.0 && d.date < p.1) {
            *p = (d.value, d.date);
        }
    }
    for t in by_date.values_mut() {
        t.partial |= t.sites_counted < unit_sites.len();
    }
    let best = by_date.values().fold(None::<&DatedTotal>, |b, t| match b {
        Some(b) if b.total >= t.total => Some(b),
        _ => Some(t),
    })?;
    let sum: u64 = site_peak.values().map(|p| p.0).sum();
    Some(Peak {
        synchronised_peak: best.total,
        peak_date: best.date,
        sites_counted: best.sites_counted,
        sites_in_unit: unit_sites.len(),
        partial: best.partial,
        sum_of_site_peaks: sum,
        overcount_percent: (best.total > 0).then(|| (sum as f64 - best.total as f64) / best.total as f64 * 100.0),
        site_peaks: site_peak.into_iter().map(|(s, (v, d))| (s, v, d)).collect(),
        dates: by_date.into_values().collect(),
    })
}

/// Site-days per series: one series per species, and one for all waterbirds together (`None`).
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub by_species: BTreeMap<SpeciesId, Vec<SiteDay>>,
    /// All waterbird species summed per site and date (Criterion 5).
    pub waterbirds: Vec<SiteDay>,
}

/// Builds the series from count records: per species, site and date the largest count of the day.
pub fn series(records: &[CountRecord], taxonomy: &Taxonomy) -> Series {
    // (species, site, date) -> (value, partial): the day's largest event.
    let mut day: HashMap<(SpeciesId, usize, NaiveDate), (u64, bool)> = HashMap::new();
    for r in records {
        let e = day.entry((r.species, r.site, r.date)).or_insert((r.count, r.partial));
        if r.count > e.0 {
            *e = (r.count, r.partial || e.1);
        } else {
            e.1 |= r.partial;
        }
    }
    let mut out = Series::default();
    let mut all: BTreeMap<(usize, NaiveDate), (u64, bool)> = BTreeMap::new();
    let mut keys: Vec<_> = day.into_iter().collect();
    keys.sort_by_key(|((sp, s, d), _)| (*sp, *d, *s));
    for ((sp, site, date), (value, partial)) in keys {
        out.by_species.entry(sp).or_default().push(SiteDay { site, date, value, partial });
        if taxonomy.species(sp).waterbird {
            let a = all.entry((site, date)).or_insert((0, false));
            a.0 += value;
            a.1 |= partial;
        }
    }
    out.waterbirds =
        all.into_iter().map(|((site, date), (value, partial))| SiteDay { site, date, value, partial }).collect();
    out
}

/// Splits site-days by season occurrence.
pub fn by_label(days: &[SiteDay], season: &Season) -> BTreeMap<SeasonLabel, Vec<SiteDay>> {
    let mut out: BTreeMap<SeasonLabel, Vec<SiteDay>> = BTreeMap::new();
    for d in days {
        if let Some(l) = season.label(d.date) {
            out.entry(l).or_default().push(*d);
        }
    }
    out
}

/// The seasonal peaks of one series at one unit, by season occurrence (chronological).
pub fn seasonal_peaks(days: &[SiteDay], unit: &Unit, season: &Season) -> Vec<(SeasonLabel, Peak)> {
    by_label(days, season).into_iter().filter_map(|(l, d)| peak_of(&d, &unit.sites).map(|p| (l, p))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_still_give_totals() {
        let d = |day| NaiveDate::from_ymd_opt(2019, 4, day).unwrap();
        let days = vec![
            SiteDay { site: 0, date: d(1), value: 5, partial: false },
            SiteDay { site: 0, date: d(2), value: 90, partial: false },
            SiteDay { site: 1, date: d(1), value: 30, partial: false },
        ];
        let p = peak_of(&days, &[0, 1, 2]).unwrap();
        assert_eq!((p.synchronised_peak, p.peak_date, p.sites_counted, p.partial), (90, d(2), 1, true));
        assert_eq!(p.sum_of_site_peaks, 120);
        assert!(peak_of(&days, &[5]).is_none());
        // Zero counts are data: a unit counted with zero has a peak of 0 and no over-count.
        let z = peak_of(&[SiteDay { site: 0, date: d(3), value: 0, partial: false }], &[0]).unwrap();
        assert_eq!((z.synchronised_peak, z.overcount_percent), (0, None));
    }
}
