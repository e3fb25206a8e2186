//! Seasons: named month ranges, labelled by year (`2019`) or, for a season that spans the new
//! year, by both years (`2019/20`: November 2019 to March 2020).
//!
//! ```
//! use borderless::waterbirds::seasons::Season;
//! use chrono::NaiveDate;
//! let winter: Season = "winter=11-03".parse().unwrap();
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! assert_eq!(winter.label(d(2019, 11, 20)).unwrap().label, "2019/20");
//! assert_eq!(winter.label(d(2020, 2, 1)).unwrap().label, "2019/20");
//! assert_eq!(winter.label(d(2020, 6, 1)), None);
//! let spring: Season = "spring=03-05".parse().unwrap();
//! assert_eq!(spring.label(d(2019, 4, 2)).unwrap().label, "2019");
//! ```

use super::message::Msg;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A named range of months, inclusive (`start` > `end` spans the new year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Season {
    pub name: String,
    pub start_month: u32,
    pub end_month: u32,
}

/// One occurrence of a season: its label and the year it starts in (for ordering).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SeasonLabel {
    pub start_year: i32,
    pub label: String,
}

impl Season {
    /// Checks the months (1–12) and the name.
    pub fn new(name: &str, start_month: u32, end_month: u32) -> Result<Season, Msg> {
        let name = name.trim();
        if name.is_empty() || !(1..=12).contains(&start_month) || !(1..=12).contains(&end_month) {
            return Err(Msg::BadSeason { value: format!("{name}={start_month:02}-{end_month:02}") });
        }
        Ok(Season { name: name.to_string(), start_month, end_month })
    }

    /// Whether the season runs over the new year.
    pub fn spans_new_year(&self) -> bool {
        self.start_month > self.end_month
    }

    /// The label of the season occurrence holding `date`, or `None` if the date is outside it.
    pub fn label(&self, date: NaiveDate) -> Option<SeasonLabel> {
        let (y, m) = (date.year(), date.month());
        if !self.spans_new_year() {
            return (self.start_month..=self.end_month)
                .contains(&m)
                .then(|| SeasonLabel { start_year: y, label: y.to_string() });
        }
        let start = if m >= self.start_month {
            y
        } else if m <= self.end_month {
            y - 1
        } else {
            return None;
        };
        Some(SeasonLabel { start_year: start, label: format!("{start}/{:02}", (start + 1).rem_euclid(100)) })
    }
}

impl std::str::FromStr for Season {
    type Err = Msg;
    /// `NAME=MM-MM`, e.g. `spring=03-05` or `winter=11-03`.
    fn from_str(s: &str) -> Result<Season, Msg> {
        let bad = || Msg::BadSeason { value: s.to_string() };
        let (name, range) = s.split_once('=').ok_or_else(bad)?;
        let (a, b) = range.split_once('-').ok_or_else(bad)?;
        let a: u32 = a.trim().parse().map_err(|_| bad())?;
        let b: u32 = b.trim().parse().map_err(|_| bad())?;
        Season::new(name, a, b).map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn century_and_bad_input() {
        let w = Season::new("winter", 12, 2).unwrap();
        let l = w.label(NaiveDate::from_ymd_opt(2000, 1, 5).unwrap()).unwrap();
        assert_eq!((l.start_year, l.label.as_str()), (1999, "1999/00"));
        assert!("spring".parse::<Season>().is_err());
        assert!("spring=13-05".parse::<Season>().is_err());
        assert!("=03-05".parse::<Season>().is_err());
    }
}
