//! Activity overlap of two species from times of day (camera-trap detections).
//!
//! A port of the R package overlap 0.3.9 (Meredith & Ridout): von Mises kernel densities with the
//! Ridout & Linkie (2009, JABES 14:322) bandwidth (`getBandWidth`), the overlap estimators
//! Dhat1, Dhat4 and Dhat5 (`overlapEst`, adjust = 0.8, 1, 4), the smoothed bootstrap
//! (`resample(…, smooth = TRUE)` + `bootEst`) and its confidence intervals (`bootCI`); plus the
//! activity level of Rowcliffe et al. (2014, Methods Ecol Evol 5:1170; R package activity `fitact`).
//!
//! Differences from R, on purpose: the concentration equations are solved by bisection to machine
//! precision instead of `uniroot`'s default tolerance (so results match R only to ~1e-8), and the
//! bootstrap uses a seeded xoshiro256++ generator, so its draws are reproducible (natively and in
//! WebAssembly) but are not R's draws.

use crate::model::message::Message;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use std::f64::consts::PI;

/// Lower and upper ends of the interval overlap searches for the concentration κ.
const KAPPA_LO: f64 = 0.0001;
const KAPPA_HI: f64 = 345.0;

/// Problems with the input or the estimation.
#[derive(Debug, thiserror::Error)]
pub enum OverlapError {
    /// A value in the input file; `row` is the row as a spreadsheet shows it (header = row 1).
    #[error("{file}: row {row}, column {column}: {message}")]
    Cell { file: String, row: usize, column: String, message: Message },
    /// A problem with a whole column (missing column, unknown species, too few records).
    #[error("{file}: column {column}: {message}")]
    Column { file: String, column: String, message: Message },
    /// The bandwidth could not be estimated (e.g. all times identical).
    #[error("{0}")]
    Estimation(Message),
}

impl OverlapError {
    /// The whole error (with file, row and column) as a message, to show it in any language.
    pub fn message(&self) -> Message {
        match self {
            OverlapError::Cell { file, row, column, message } => Message::new("activity.error.cell")
                .with("file", file)
                .with("row", *row)
                .with("column", column)
                .with("message", message.clone()),
            OverlapError::Column { file, column, message } => Message::new("activity.error.column")
                .with("file", file)
                .with("column", column)
                .with("message", message.clone()),
            OverlapError::Estimation(m) => m.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Special functions

/// `e^{-x} I_0(x)` and the ratios `I_k(x) / I_0(x)` for k = 0..=kmax (x ≥ 0), from the continued
/// fraction `I_k / I_{k-1} = 1 / (2k/x + I_{k+1} / I_k)` evaluated backwards (Miller's algorithm),
/// and `e^x = I_0 + 2 Σ_{k≥1} I_k` for the scaling.
fn bessel_i_ratios(x: f64, kmax: usize) -> (f64, Vec<f64>) {
    let mut out = vec![0.0; kmax + 1];
    out[0] = 1.0;
    if x == 0.0 {
        return (1.0, out);
    }
    let top = kmax.max(1) + 60 + (20.0 * x.sqrt()) as usize;
    // r[k] = I_k / I_{k-1}
    let mut r = vec![0.0; top + 2];
    for k in (1..=top).rev() {
        r[k] = 1.0 / (2.0 * k as f64 / x + r[k + 1]);
    }
    let mut prod = 1.0;
    let mut sum = 0.0;
    for (k, rk) in r.iter().enumerate().take(top + 1).skip(1) {
        prod *= rk;
        if k <= kmax {
            out[k] = prod;
        }
        sum += prod;
        if prod < 1e-300 {
            break;
        }
    }
    (1.0 / (1.0 + 2.0 * sum), out)
}

/// `e^{-x} I_0(x)` (R's `besselI(x, 0, expon.scaled = TRUE)`).
pub fn bessel_i0_scaled(x: f64) -> f64 {
    bessel_i_ratios(x.abs(), 0).0
}

/// `I_k(x) / I_0(x)`, the k-th trigonometric moment of a von Mises with concentration x.
pub fn bessel_ratio(x: f64, k: usize) -> f64 {
    bessel_i_ratios(x, k).1[k]
}

/// Standard normal quantile (Wichura's AS 241; the central and intermediate branches, which cover
/// p in [1.4e-11, 1 − 1.4e-11]; beyond that the intermediate branch is extrapolated).
#[allow(clippy::excessive_precision)] // AS 241 constants as published
pub fn qnorm(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let mut r = if q > 0.0 { 1.0 - p } else { p };
    r = (-r.ln()).sqrt() - 1.6;
    let val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
        + 1.27045825245236838258)
        * r
        + 3.64784832476320460504)
        * r
        + 5.7694972214606914055)
        * r
        + 4.6303378461565452959)
        * r
        + 1.42343711074968357734)
        / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
            + 0.14810397642748007459)
            * r
            + 0.68976733498510000455)
            * r
            + 1.6763848301838038494)
            * r
            + 2.05319162663775882187)
            * r
            + 1.0);
    if q < 0.0 {
        -val
    } else {
        val
    }
}

// ---------------------------------------------------------------------------------------------
// Bandwidth and density

/// overlap's `TrigMomRad`: length of the p-th trigonometric moment about the circular mean.
pub fn trig_moment(x: &[f64], p: usize) -> f64 {
    let mean = x.iter().map(|v| v.sin()).sum::<f64>().atan2(x.iter().map(|v| v.cos()).sum::<f64>());
    let n = x.len() as f64;
    let p = p as f64;
    let s = x.iter().map(|v| (p * (v - mean)).sin()).sum::<f64>() / n;
    let c = x.iter().map(|v| (p * (v - mean)).cos()).sum::<f64>() / n;
    (s * s + c * c).sqrt()
}

/// Root of the increasing function `f` in [lo, hi] (f(lo) ≤ 0 ≤ f(hi)), by bisection until the
/// bracket cannot shrink (machine precision).
fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    if f(lo) == 0.0 {
        return lo;
    }
    if f(hi) == 0.0 {
        return hi;
    }
    loop {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            return mid;
        }
        let v = f(mid);
        if v == 0.0 {
            return mid;
        }
        if v < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}

/// The concentration κ_k solving `I_k(κ)/I_0(κ) = trig_moment(x, k)` in [0.0001, 345], as
/// `getBandWidth` does (k = 1 is the maximum-likelihood κ of a von Mises); None if no root there.
pub fn kappa_k(x: &[f64], k: usize) -> Option<f64> {
    kappa_k_in(x, k, KAPPA_LO, KAPPA_HI)
}

fn kappa_k_in(x: &[f64], k: usize, lo: f64, hi: f64) -> Option<f64> {
    let tm = trig_moment(x, k);
    let f = |kap: f64| bessel_ratio(kap, k) - tm;
    if f(lo) * f(hi) <= 0.0 {
        Some(bisect(f, lo, hi))
    } else {
        None
    }
}

/// `getBandWidth`'s κ̂: the largest κ_k, k = 1..=kmax (0 where there is no root); None if all fail.
pub fn kappa_hat(x: &[f64], kmax: usize) -> Option<f64> {
    let k = (1..=kmax).map(|k| kappa_k(x, k).unwrap_or(0.0)).fold(0.0, f64::max);
    (k > 0.0).then_some(k)
}

/// Ridout & Linkie's rule: `(3 n κ² I_2(2κ) / (4 √π I_0(κ)²))^(2/5)`.
pub fn bandwidth_from_kappa(n: usize, kappa: f64) -> f64 {
    // I_2(2κ) / I_0(κ)² with the exponential scalings cancelling: e^{2κ} / (e^{κ})².
    let (i0s_2k, r2k) = bessel_i_ratios(2.0 * kappa, 2);
    let i2s_2k = i0s_2k * r2k[2];
    let i0s_k = bessel_i0_scaled(kappa);
    (3.0 * n as f64 * kappa * kappa * i2s_2k / (4.0 * PI.sqrt() * i0s_k * i0s_k)).powf(0.4)
}

/// overlap's `getBandWidth(x, kmax)`: the von Mises kernel concentration; None if κ̂ fails.
pub fn bandwidth(x: &[f64], kmax: usize) -> Option<f64> {
    kappa_hat(x, kmax).map(|k| bandwidth_from_kappa(x.len(), k))
}

/// overlap's `densityFit` (C `densRad`): von Mises kernel density of `x` (radians) at `grid`,
/// kernel concentration `bw`.
pub fn density_fit(x: &[f64], grid: &[f64], bw: f64) -> Vec<f64> {
    let cons = 2.0 * PI * bessel_i0_scaled(bw);
    let n = x.len() as f64;
    grid.iter()
        .map(|g| {
            let s: f64 = x.iter().map(|xj| (bw * ((g - xj).cos() - 1.0)).exp()).sum();
            s / n / cons
        })
        .collect()
}

/// R's `seq(0, 2*pi, length = n)`.
pub fn circle_grid(n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![0.0];
    }
    let by = 2.0 * PI / (n - 1) as f64;
    (0..n).map(|i| if i == n - 1 { 2.0 * PI } else { i as f64 * by }).collect()
}

/// R's `approx(grid, y, xout)$y` (linear; `grid` increasing, xout inside it).
fn approx(grid: &[f64], y: &[f64], xout: &[f64]) -> Vec<f64> {
    xout.iter()
        .map(|&v| {
            let j = grid.partition_point(|g| *g <= v).clamp(1, grid.len() - 1);
            let (x0, x1) = (grid[j - 1], grid[j]);
            if x1 == x0 {
                y[j - 1]
            } else {
                y[j - 1] + (y[j] - y[j - 1]) * (v - x0) / (x1 - x0)
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Overlap estimators

/// Options of `overlapEst` (defaults: kmax 3, adjust 0.8/1/4, n.grid 128).
#[derive(Debug, Clone, Copy)]
pub struct OverlapOptions {
    pub kmax: usize,
    /// Bandwidth divisors for Dhat1, Dhat4, Dhat5.
    pub adjust: [f64; 3],
    pub n_grid: usize,
}

impl Default for OverlapOptions {
    fn default() -> Self {
        OverlapOptions { kmax: 3, adjust: [0.8, 1.0, 4.0], n_grid: 128 }
    }
}

/// Dhat1, Dhat4, Dhat5 of Ridout & Linkie (2009).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimates {
    pub dhat1: f64,
    pub dhat4: f64,
    pub dhat5: f64,
}

impl Estimates {
    fn get(&self, i: usize) -> f64 {
        [self.dhat1, self.dhat4, self.dhat5][i]
    }
}

/// overlap's `overlapEst(A, B)` (times in radians); None if a bandwidth cannot be estimated.
pub fn overlap_est(a: &[f64], b: &[f64], opt: &OverlapOptions) -> Option<Estimates> {
    let bw_a = bandwidth(a, opt.kmax)?;
    let bw_b = bandwidth(b, opt.kmax)?;
    Some(overlap_est_bw(a, b, bw_a, bw_b, opt))
}

fn overlap_est_bw(a: &[f64], b: &[f64], bw_a: f64, bw_b: f64, opt: &OverlapOptions) -> Estimates {
    let grid = circle_grid(opt.n_grid);
    let [adj1, adj4, adj5] = opt.adjust;
    // Dhat1: densities on the grid, first point (= last, midnight) dropped, each scaled to sum 1.
    let da = density_fit(a, &grid, bw_a / adj1);
    let db = density_fit(b, &grid, bw_b / adj1);
    let (sa, sb): (f64, f64) = (da[1..].iter().sum(), db[1..].iter().sum());
    let dhat1 = da[1..].iter().zip(&db[1..]).map(|(x, y)| (x / sa).min(y / sb)).sum();
    // Dhat4 and Dhat5: densities at the observations (interpolated from the grid when there are
    // more than 1.1 n.grid observations, as overlap does).
    let n1 = a.len();
    let all: Vec<f64> = a.iter().chain(b).copied().collect();
    let at_obs = |adj: f64| {
        if all.len() as f64 > opt.n_grid as f64 * 1.1 {
            let da = density_fit(a, &grid, bw_a / adj);
            let db = density_fit(b, &grid, bw_b / adj);
            (approx(&grid, &da, &all), approx(&grid, &db, &all))
        } else {
            (density_fit(a, &all, bw_a / adj), density_fit(b, &all, bw_b / adj))
        }
    };
    let (dax, dbx) = at_obs(adj4);
    let m = |v: Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let dhat4 = (m((0..n1).map(|i| (dbx[i] / dax[i]).min(1.0)).collect())
        + m((n1..all.len()).map(|i| (dax[i] / dbx[i]).min(1.0)).collect()))
        / 2.0;
    let (dax, dbx) = at_obs(adj5);
    let frac = |c: usize, n: usize| c as f64 / n as f64;
    let dhat5 = frac((0..n1).filter(|&i| dbx[i] > dax[i]).count(), n1)
        + frac((n1..all.len()).filter(|&i| dax[i] >= dbx[i]).count(), all.len() - n1);
    Estimates { dhat1, dhat4, dhat5 }
}

// ---------------------------------------------------------------------------------------------
// Bootstrap

/// overlap's `resample(x, nb, smooth = TRUE)`: `nb` samples of `x.len()` times drawn by rejection
/// sampling from the kernel density on a 512-point grid (bandwidth `getBandWidth(x)`).
pub fn resample_smooth(x: &[f64], nb: usize, rng: &mut Xoshiro256PlusPlus) -> Option<Vec<Vec<f64>>> {
    let grid = circle_grid(512);
    let bw = bandwidth(x, 3)?;
    let d = density_fit(x, &grid, bw);
    let up = d.iter().copied().fold(0.0, f64::max);
    let nx = grid.len() - 1; // first and last grid points are both midnight
    let draw = |rng: &mut Xoshiro256PlusPlus| loop {
        let i = rng.gen_range(0..nx);
        if d[i] > rng.gen::<f64>() * up {
            return grid[i];
        }
    };
    Some((0..nb).map(|_| (0..x.len()).map(|_| draw(rng)).collect()).collect())
}

/// The intervals of overlap's `bootCI` (all five).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootCi {
    pub norm: [f64; 2],
    pub norm0: [f64; 2],
    pub basic: [f64; 2],
    pub basic0: [f64; 2],
    /// NaN (null in JSON) when there are too few bootstrap samples.
    pub perc: [f64; 2],
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (m, (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

/// overlap's `quantileInter`: normally interpolated percentile interval.
fn quantile_inter(bt: &[f64], conf: f64) -> [f64; 2] {
    let r = bt.len();
    let alpha = [(1.0 - conf) / 2.0, (1.0 + conf) / 2.0];
    let rk = alpha.map(|a| (r as f64 + 1.0) * a);
    if !rk.iter().all(|&v| v > 1.0 && v < r as f64) {
        return [f64::NAN; 2];
    }
    let mut s = bt.to_vec();
    s.sort_by(f64::total_cmp);
    let k = rk.map(|v| v.trunc());
    let ki = k.map(|v| v as usize); // 1-based
    if k == rk {
        return [s[ki[0] - 1], s[ki[1] - 1]];
    }
    let mut out = [0.0; 2];
    for j in 0..2 {
        let wanted = qnorm(alpha[j]);
        let too_lo = qnorm(k[j] / (r as f64 + 1.0));
        let too_hi = qnorm((k[j] + 1.0) / (r as f64 + 1.0));
        let (t_lo, t_hi) = (s[ki[j] - 1], s[ki[j]]);
        out[j] = t_lo + (wanted - too_lo) / (too_hi - too_lo) * (t_hi - t_lo);
    }
    out
}

/// overlap's `bootCI(t0, bt, conf)`; non-finite bootstrap values are dropped first.
pub fn boot_ci(t0: f64, bt: &[f64], conf: f64) -> BootCi {
    let bt: Vec<f64> = bt.iter().copied().filter(|v| v.is_finite()).collect();
    let (m, sd) = mean_sd(&bt);
    let bias = m - t0;
    let merr = sd * qnorm((1.0 + conf) / 2.0);
    let perc = quantile_inter(&bt, conf);
    BootCi {
        norm: [t0 - bias - merr, t0 - bias + merr],
        norm0: [t0 - merr, t0 + merr],
        basic: [2.0 * t0 - perc[1], 2.0 * t0 - perc[0]],
        basic0: [perc[0] - bias, perc[1] - bias],
        perc,
    }
}

/// Summary of a smoothed bootstrap of the three estimators.
#[derive(Debug, Clone, Serialize)]
pub struct BootstrapSummary {
    pub n: usize,
    pub seed: u64,
    pub conf: f64,
    /// Bootstrap means and standard deviations of Dhat1, Dhat4, Dhat5.
    pub mean: Estimates,
    pub sd: Estimates,
    pub ci_dhat1: BootCi,
    pub ci_dhat4: BootCi,
    pub ci_dhat5: BootCi,
    /// The bootstrap estimates (rows: samples).
    #[serde(skip)]
    pub samples: Vec<Estimates>,
}

/// Smoothed bootstrap: `resample` each species `n` times (species A first, then B, from one
/// xoshiro256++ stream seeded with `seed`), `bootEst` with the default options, `bootCI`.
pub fn bootstrap(a: &[f64], b: &[f64], t0: &Estimates, n: usize, seed: u64, conf: f64) -> Option<BootstrapSummary> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let ra = resample_smooth(a, n, &mut rng)?;
    let rb = resample_smooth(b, n, &mut rng)?;
    let opt = OverlapOptions::default();
    let samples: Vec<Estimates> = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| {
            overlap_est(x, y, &opt).unwrap_or(Estimates { dhat1: f64::NAN, dhat4: f64::NAN, dhat5: f64::NAN })
        })
        .collect();
    let col = |i: usize| samples.iter().map(|e| e.get(i)).filter(|v| v.is_finite()).collect::<Vec<_>>();
    let ms: Vec<(f64, f64)> = (0..3).map(|i| mean_sd(&col(i))).collect();
    Some(BootstrapSummary {
        n,
        seed,
        conf,
        mean: Estimates { dhat1: ms[0].0, dhat4: ms[1].0, dhat5: ms[2].0 },
        sd: Estimates { dhat1: ms[0].1, dhat4: ms[1].1, dhat5: ms[2].1 },
        ci_dhat1: boot_ci(t0.dhat1, &col(0), conf),
        ci_dhat4: boot_ci(t0.dhat4, &col(1), conf),
        ci_dhat5: boot_ci(t0.dhat5, &col(2), conf),
        samples,
    })
}

// ---------------------------------------------------------------------------------------------
// Activity level

/// Activity level (Rowcliffe et al. 2014; activity's `fitact` with a circular kernel, no
/// bootstrap): `1 / (2π max f)`, f the von Mises kernel density on `seq(0, 2π, π/256)`.
/// The bandwidth is activity's `bwcalc`: overlap's rule with κ_k searched in (0, 100] (activity
/// minimises the squared moment difference with `optimise` over (0, 100); here the root is
/// solved exactly and capped at 100).
pub fn activity_level(x: &[f64]) -> Option<f64> {
    let kap = (1..=3)
        .map(|k| {
            let tm = trig_moment(x, k);
            if bessel_ratio(100.0, k) <= tm {
                100.0
            } else {
                kappa_k_in(x, k, 1e-12, 100.0).unwrap_or(0.0)
            }
        })
        .fold(0.0, f64::max);
    if kap <= 0.0 {
        return None;
    }
    let bw = bandwidth_from_kappa(x.len(), kap);
    let grid: Vec<f64> = (0..=512).map(|i| i as f64 * PI / 256.0).collect();
    let max = density_fit(x, &grid, bw).into_iter().fold(0.0, f64::max);
    Some(1.0 / (2.0 * PI * max))
}

// ---------------------------------------------------------------------------------------------
// Input and the whole analysis

/// One detection: zone (as written), species, time of day in radians.
#[derive(Debug, Clone)]
pub struct TimeRecord {
    pub zone: String,
    pub species: String,
    pub radians: f64,
}

/// Reads a CSV with overlap's kerinci columns `Zone` (optional), `Sps`, `Time` (fraction of the
/// day in [0, 1]); times become radians (2π·fraction).
pub fn read_times_csv(text: &str, file: &str) -> Result<Vec<TimeRecord>, OverlapError> {
    let index = crate::io::table::RowIndex::new(file, text, b',').map_err(|e| OverlapError::Cell {
        file: file.to_string(),
        row: e.row.unwrap_or(1),
        column: "(record)".to_string(),
        message: e.message,
    })?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let col_err = |column: &str, message: Message| OverlapError::Column {
        file: file.to_string(),
        column: column.to_string(),
        message,
    };
    let headers = rdr.headers().map_err(|e| col_err("(header)", Message::untranslated(e.to_string())))?.clone();
    let find = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let zone = find("Zone");
    let missing = || Message::new("activity.times.missing_column");
    let sps = find("Sps").ok_or_else(|| col_err("Sps", missing()))?;
    let time = find("Time").ok_or_else(|| col_err("Time", missing()))?;
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = match &rec {
            Ok(r) => r.position().map_or(i + 2, |p| index.row(text, p.byte() as usize)),
            Err(e) => e.position().map_or(i + 2, |p| index.row(text, p.byte() as usize)),
        };
        let cell = |column: &str, message: Message| OverlapError::Cell {
            file: file.to_string(),
            row,
            column: column.to_string(),
            message,
        };
        let rec = rec.map_err(|e| cell("(record)", Message::untranslated(e.to_string())))?;
        let get = |j: usize| rec.get(j).unwrap_or("").to_string();
        let species = get(sps);
        if species.is_empty() {
            return Err(cell("Sps", Message::new("activity.times.empty_species")));
        }
        let t_text = get(time);
        let t: f64 = t_text
            .parse()
            .map_err(|_| cell("Time", Message::new("activity.times.not_a_number").with("value", t_text.as_str())))?;
        if !(0.0..=1.0).contains(&t) {
            return Err(cell("Time", Message::new("activity.times.outside_day").with("value", t.to_string())));
        }
        out.push(TimeRecord { zone: zone.map(get).unwrap_or_default(), species, radians: 2.0 * PI * t });
    }
    Ok(out)
}

/// The times (radians) of `species`, optionally in `zone`; errors name the file and column.
pub fn select_times(
    records: &[TimeRecord],
    species: &str,
    zone: Option<&str>,
    file: &str,
) -> Result<Vec<f64>, OverlapError> {
    let col_err = |column: &str, message: Message| OverlapError::Column {
        file: file.to_string(),
        column: column.to_string(),
        message,
    };
    if !records.iter().any(|r| r.species == species) {
        let mut names: Vec<&str> = records.iter().map(|r| r.species.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        return Err(col_err(
            "Sps",
            Message::new("activity.times.unknown_species").with("species", species).with("present", names.join(", ")),
        ));
    }
    if let Some(z) = zone {
        let same = |a: &str| a == z || matches!((a.parse::<f64>(), z.parse::<f64>()), (Ok(x), Ok(y)) if x == y);
        if !records.iter().any(|r| same(&r.zone)) {
            return Err(col_err("Zone", Message::new("activity.times.empty_zone").with("zone", z)));
        }
        let t: Vec<f64> = records.iter().filter(|r| r.species == species && same(&r.zone)).map(|r| r.radians).collect();
        if t.len() < 2 {
            return Err(col_err(
                "Sps",
                Message::new("activity.times.too_few_in_zone")
                    .with("species", species)
                    .with("n", t.len())
                    .with("zone", z),
            ));
        }
        return Ok(t);
    }
    let t: Vec<f64> = records.iter().filter(|r| r.species == species).map(|r| r.radians).collect();
    if t.len() < 2 {
        return Err(col_err("Sps", Message::new("activity.times.too_few").with("species", species).with("n", t.len())));
    }
    Ok(t)
}

/// Everything `borderless overlap` reports.
#[derive(Debug, Clone, Serialize)]
pub struct OverlapReport {
    pub species_a: String,
    pub species_b: String,
    pub zone: Option<String>,
    pub n_a: usize,
    pub n_b: usize,
    pub dhat1: f64,
    pub dhat4: f64,
    pub dhat5: f64,
    /// overlap's `getBandWidth`: the von Mises kernel concentration (before `adjust`).
    pub bandwidth_a: f64,
    pub bandwidth_b: f64,
    /// Maximum-likelihood von Mises concentration of each species' times (κ_1).
    pub kappa_ml_a: Option<f64>,
    pub kappa_ml_b: Option<f64>,
    /// overlap's advice: "Dhat1" if the smaller sample has fewer than 50 records, else "Dhat4".
    pub recommended: String,
    pub recommended_estimate: f64,
    /// Activity level of each species (Rowcliffe et al. 2014).
    pub activity_a: Option<f64>,
    pub activity_b: Option<f64>,
    pub bootstrap: Option<BootstrapSummary>,
}

/// Overlap of two samples of times (radians); `boot` = (number of resamples, seed).
pub fn analyze_overlap(
    a: &[f64],
    b: &[f64],
    names: (&str, &str),
    zone: Option<&str>,
    boot: Option<(usize, u64)>,
) -> Result<OverlapReport, OverlapError> {
    let opt = OverlapOptions::default();
    let failed = |name: &str| OverlapError::Estimation(Message::new("activity.bandwidth_failed").with("species", name));
    let bw_a = bandwidth(a, opt.kmax).ok_or_else(|| failed(names.0))?;
    let bw_b = bandwidth(b, opt.kmax).ok_or_else(|| failed(names.1))?;
    let est = overlap_est_bw(a, b, bw_a, bw_b, &opt);
    let (rec, rec_est) = if a.len().min(b.len()) < 50 { ("Dhat1", est.dhat1) } else { ("Dhat4", est.dhat4) };
    let bootstrap = match boot {
        Some((n, seed)) => {
            if n < 2 {
                return Err(OverlapError::Estimation(Message::new("activity.bootstrap_too_few")));
            }
            Some(
                bootstrap(a, b, &est, n, seed, 0.95)
                    .ok_or_else(|| OverlapError::Estimation(Message::new("activity.bootstrap_failed")))?,
            )
        }
        None => None,
    };
    Ok(OverlapReport {
        species_a: names.0.to_string(),
        species_b: names.1.to_string(),
        zone: zone.map(str::to_string),
        n_a: a.len(),
        n_b: b.len(),
        dhat1: est.dhat1,
        dhat4: est.dhat4,
        dhat5: est.dhat5,
        bandwidth_a: bw_a,
        bandwidth_b: bw_b,
        kappa_ml_a: kappa_k(a, 1),
        kappa_ml_b: kappa_k(b, 1),
        recommended: rec.to_string(),
        recommended_estimate: rec_est,
        activity_a: activity_level(a),
        activity_b: activity_level(b),
        bootstrap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_functions() {
        // I_0(1), I_1(1) and e^{-100} I_0(100) (Abramowitz & Stegun / R's besselI).
        let (i0s, r) = bessel_i_ratios(1.0, 3);
        assert!((i0s * 1f64.exp() - 1.2660658777520082).abs() < 1e-14);
        assert!((r[1] * i0s * 1f64.exp() - 0.5651591039924851).abs() < 1e-14);
        assert!((bessel_i0_scaled(100.0) - 0.03994437929909668).abs() < 1e-15);
        // Truncation of the continued fraction is not what limits accuracy at the top of the range.
        for x in [0.0001, 3.0, 50.0, 345.0, 690.0] {
            let mut rr = 0.0;
            let mut ratio = 1.0;
            for j in (1..=20000).rev() {
                rr = 1.0 / (2.0 * j as f64 / x + rr);
                if j <= 3 {
                    ratio *= rr;
                }
            }
            let got = bessel_ratio(x, 3);
            assert!((got - ratio).abs() <= 1e-14 * ratio, "x {x}: {got} vs {ratio}");
        }
        assert!((qnorm(0.975) - 1.959963984540054).abs() < 1e-14);
        assert!((qnorm(0.001) + 3.090232306167814).abs() < 1e-13);
        assert_eq!(circle_grid(3), vec![0.0, PI, 2.0 * PI]);
    }
}
