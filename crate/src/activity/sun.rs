//! Sunrise and sunset from the NOAA solar-position equations, and "sun time".
//!
//! The equations are those of NOAA's Solar Calculator spreadsheet (after Meeus 1991,
//! *Astronomical Algorithms*), as also used by R's `suntools::sunriset` (formerly in
//! `maptools`, which `overlap::sunTime` calls): sunrise and sunset are when the sun's centre is
//! 0.833° below the horizon (refraction and the sun's radius). Each event is computed twice,
//! the second time with the solar position at the first estimate of the event, so the
//! declination and equation of time belong to the event's own instant.
//!
//! Sun time follows `overlap::sunTime` (Nouvellet et al. 2012, J Zool 286:179): each clock time
//! is mapped piecewise linearly so that that day's sunrise falls at π/2 and sunset at 3π/2
//! (midnight stays at 0 = 2π). Vazquez et al. (2019, Methods Ecol Evol 10:2057) call this the
//! "equinoctial" transformation; their double anchoring is not implemented here.
//!
//! ```
//! use borderless::activity::sun::sunrise_sunset_utc_min;
//! // Ithaca, NY, 1 June 2023: suntools' README gives sunset 20:36:25 EDT = 00:36:25 UTC on 2 June.
//! let (_rise, set) = sunrise_sunset_utc_min(42.48, -76.4511, 2023, 6, 1).unwrap();
//! assert!((set - (24.0 * 60.0 + 36.0 + 25.0 / 60.0)).abs() < 1.0);
//! ```

use chrono::{Datelike, NaiveDate, Timelike};
use std::f64::consts::PI;

use crate::model::Timestamp;

fn rad(d: f64) -> f64 {
    d.to_radians()
}

/// Solar declination (degrees) and equation of time (minutes) at Julian day `jd` (UT).
fn declination_eqtime(jd: f64) -> (f64, f64) {
    let t = (jd - 2451545.0) / 36525.0;
    let l0 = (280.46646 + t * (36000.76983 + t * 0.0003032)).rem_euclid(360.0);
    let m = 357.52911 + t * (35999.05029 - 0.0001537 * t);
    let e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
    let c = rad(m).sin() * (1.914602 - t * (0.004817 + 0.000014 * t))
        + rad(2.0 * m).sin() * (0.019993 - 0.000101 * t)
        + rad(3.0 * m).sin() * 0.000289;
    let true_long = l0 + c;
    let omega = 125.04 - 1934.136 * t;
    let app_long = true_long - 0.00569 - 0.00478 * rad(omega).sin();
    let mean_obliq = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
    let obliq = mean_obliq + 0.00256 * rad(omega).cos();
    let decl = (rad(obliq).sin() * rad(app_long).sin()).asin().to_degrees();
    let y = (rad(obliq) / 2.0).tan().powi(2);
    let eq = y * (2.0 * rad(l0)).sin() - 2.0 * e * rad(m).sin() + 4.0 * e * y * rad(m).sin() * (2.0 * rad(l0)).cos()
        - 0.5 * y * y * (4.0 * rad(l0)).sin()
        - 1.25 * e * e * (2.0 * rad(m)).sin();
    (decl, 4.0 * eq.to_degrees())
}

/// Julian day of 0h UT of a calendar date.
fn julian_day(year: i32, month: u32, day: u32) -> f64 {
    let (y, m) = if month <= 2 { (year - 1, month + 12) } else { (year, month) };
    let a = (y as f64 / 100.0).floor();
    let b = 2.0 - a + (a / 4.0).floor();
    (365.25 * (y as f64 + 4716.0)).floor() + (30.6001 * (m as f64 + 1.0)).floor() + day as f64 + b - 1524.5
}

/// Sunrise and sunset of the given date at (`lat_deg`, `lon_deg`, east positive), in minutes
/// after 0h UTC of that date (they may be negative or exceed 1440 away from Greenwich).
/// `None` during polar day or night.
pub fn sunrise_sunset_utc_min(lat_deg: f64, lon_deg: f64, year: i32, month: u32, day: u32) -> Option<(f64, f64)> {
    let jd0 = julian_day(year, month, day);
    let event = |rising: bool| -> Option<f64> {
        // First guess at local solar noon, then at the event itself.
        let mut minutes = 720.0 - 4.0 * lon_deg;
        for _ in 0..3 {
            let (decl, eqt) = declination_eqtime(jd0 + minutes / 1440.0);
            let cos_ha =
                rad(90.833).cos() / (rad(lat_deg).cos() * rad(decl).cos()) - rad(lat_deg).tan() * rad(decl).tan();
            if !(-1.0..=1.0).contains(&cos_ha) {
                return None;
            }
            let ha = cos_ha.acos().to_degrees();
            let noon = 720.0 - 4.0 * lon_deg - eqt;
            minutes = if rising { noon - 4.0 * ha } else { noon + 4.0 * ha };
        }
        Some(minutes)
    };
    Some((event(true)?, event(false)?))
}

/// Time of day of `t` in its own recorded UTC offset, as a fraction of the day in [0, 1).
pub fn local_day_fraction(t: &Timestamp) -> f64 {
    let l = t.naive_local();
    (l.num_seconds_from_midnight() as f64 + l.nanosecond() as f64 * 1e-9) / 86_400.0
}

/// Sunrise and sunset of `t`'s local date at a place, as fractions of `t`'s local day
/// (its own UTC offset).
pub fn sunrise_sunset_local(t: &Timestamp, lat_deg: f64, lon_deg: f64) -> Option<(f64, f64)> {
    let d: NaiveDate = t.naive_local().date();
    let (rise, set) = sunrise_sunset_utc_min(lat_deg, lon_deg, d.year(), d.month(), d.day())?;
    let off_min = t.offset().local_minus_utc() as f64 / 60.0;
    Some(((rise + off_min) / 1440.0, (set + off_min) / 1440.0))
}

/// `overlap::sunTime`'s mapping of one clock time (radians, local) given that day's sunrise and
/// sunset (radians, local): [0, sunrise] → [0, π/2], [sunrise, sunset] → [π/2, 3π/2],
/// [sunset, 2π] → [3π/2, 2π].
///
/// ```
/// use borderless::activity::sun::sun_time;
/// use std::f64::consts::PI;
/// let (rise, set) = (0.25 * 2.0 * PI, 0.75 * 2.0 * PI); // an equinox day: nothing moves
/// assert!((sun_time(1.0, rise, set) - 1.0).abs() < 1e-12);
/// assert!((sun_time(rise, 0.2 * 2.0 * PI, set) - PI / 2.0).abs() > 0.1);
/// ```
pub fn sun_time(clock_rad: f64, sunrise_rad: f64, sunset_rad: f64) -> f64 {
    if clock_rad < sunrise_rad {
        clock_rad * (PI / 2.0) / sunrise_rad
    } else if clock_rad < sunset_rad {
        PI / 2.0 + (clock_rad - sunrise_rad) * PI / (sunset_rad - sunrise_rad)
    } else {
        3.0 * PI / 2.0 + (clock_rad - sunset_rad) * (PI / 2.0) / (2.0 * PI - sunset_rad)
    }
}

/// Time of day of `t` (radians, local clock), or its sun time at the given place when `sun`
/// is true. `None` when the sun does not rise or set that day there (polar day or night), or
/// when sunrise or sunset falls on another local day.
pub fn time_of_day_rad(t: &Timestamp, lat_deg: f64, lon_deg: f64, sun: bool) -> Option<f64> {
    let clock = local_day_fraction(t) * 2.0 * PI;
    if !sun {
        return Some(clock);
    }
    let (rise, set) = sunrise_sunset_local(t, lat_deg, lon_deg)?;
    if !(rise > 0.0 && rise < set && set < 1.0) {
        return None;
    }
    Some(sun_time(clock, rise * 2.0 * PI, set * 2.0 * PI))
}
