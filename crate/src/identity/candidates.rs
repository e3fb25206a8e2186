//! Candidate cross-border matches between photo-ID individuals of different catalogs, scored from the evidence the data hold.
//!
//! For every pair of individuals of two different catalogs, the plausibility that they are one
//! animal is the product of evidence weights in [0, 1]:
//!
//! * **distance** — the closest pair of their detections, `d` km apart: `exp(−d²/(4σ²))`. Under the
//!   half-normal (bivariate normal) home-range model of SECR (Efford 2004; Royle, Chandler,
//!   Sollmann & Gardner 2014, *Spatial Capture-Recapture*, ch. 5), each detection of one animal
//!   lies N(s, σ²I) around its activity centre `s`, so the difference of two of its detections is
//!   N(0, 2σ²I) and its density at distance `d`, relative to `d = 0`, is `exp(−d²/(4σ²))`. σ comes
//!   from an SECR fit, from a stated 95% home-range radius `R` (σ = R/√(−2 ln 0.05) = R/2.4477, the
//!   bivariate-normal 95% contour), or by default from the detections themselves with secr's
//!   `RPSV(capthist, CC = TRUE)` (root pooled spatial variance, an approximation to σ).
//! * **border** — an animal seen on both sides has its activity centre near the border: with
//!   `b_A`, `b_B` the smallest distances (geodesic km) of each one's detections from the border,
//!   `exp(−(b_A² + b_B²)/(2R²))`, R the 95% home-range radius (no border loaded: weight 1).
//! * **sex** — both known and equal: 1; either unknown: ½ (the chance two animals agree by chance);
//!   known and different: 0, **ruled out**.
//! * **time** — two detections `Δt` apart at stations `d` km apart need `d/(|Δt| + tolerance)`
//!   km/day; above `max_speed_km_per_day` the pair is **ruled out** (this includes simultaneous
//!   detections at distant stations). The tolerance (`clock_tolerance_hours`) allows for camera
//!   clocks set a little wrong.
//! * **genotype** — a unique genotype (allelematch, [`crate::identity::genotypes::am_unique`]) whose samples
//!   are linked to both individuals: the remaining doubt `1 − s` is divided by 100 (a convention:
//!   a genotype match is much stronger evidence than anything spatial).
//!
//! Already-linked pairs (links files or accepted decisions, transitively) are marked `linked`,
//! pairs whose latest decision is a reject `rejected`. Pairs further apart than
//! `max_pair_distance_km` (default 6σ, distance weight < 1.3·10⁻⁴) are pruned with a grid over the
//! projected detections, unless linked, decided or genotype-matched.

use crate::identity::genotype_links::GenotypeLink;
use crate::identity::review::{latest_decisions, pair_key, Decision, Verdict};
use crate::model::joint::JointCatalog;
use crate::model::joint::NationalId;
use crate::model::{Catalog, LatLon};
use crate::spatial::{Border, Utm};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// σ of the bivariate-normal home range per 95% home-range radius: √(−2 ln 0.05).
pub const RADIUS95_PER_SIGMA: f64 = 2.447_746_830_680_816;

/// Default maximum travel speed. Large felids rarely move more than 20–30 km in a day in straight
/// line; the cap only has to rule out the impossible, so it is generous.
pub const DEFAULT_MAX_SPEED_KM_PER_DAY: f64 = 50.0;

/// Which distance between two individuals' detections the distance evidence uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceMeasure {
    /// The closest pair of detections, `d`: weight `exp(−d²/(4σ²))`.
    #[default]
    ClosestPair,
    /// The distance `D` between the mean positions of the two individuals' detections (`n_a`,
    /// `n_b` detections): under the same model their difference is N(0, σ²(1/n_a + 1/n_b)) per
    /// axis, so the weight is `exp(−D²/(2σ²(1/n_a + 1/n_b)))` (equal to the closest-pair weight
    /// for one detection each).
    Centroids,
}

/// Options of [`Prepared::candidates`], as one serde struct (CLI, page and tests).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CandidateOptions {
    /// Movement scale σ (km) of the half-normal detection function, e.g. from an SECR fit.
    pub sigma_km: Option<f64>,
    /// Or a stated 95% home-range radius (km): σ = radius / 2.4477.
    pub home_range_radius_km: Option<f64>,
    /// Faster than this between two detections rules a pair out (default 50 km/day).
    pub max_speed_km_per_day: f64,
    /// Allowance for camera clocks, added to every time difference (default 1 h).
    pub clock_tolerance_hours: f64,
    /// Pairs whose closest detections are further apart are not listed (default 6σ).
    pub max_pair_distance_km: Option<f64>,
    /// List ruled-out pairs (last); otherwise drop them.
    pub include_ruled_out: bool,
    /// Distance used for the distance evidence.
    pub distance_measure: DistanceMeasure,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            sigma_km: None,
            home_range_radius_km: None,
            max_speed_km_per_day: DEFAULT_MAX_SPEED_KM_PER_DAY,
            clock_tolerance_hours: 1.0,
            max_pair_distance_km: None,
            include_ruled_out: true,
            distance_measure: DistanceMeasure::ClosestPair,
        }
    }
}

/// Bad options or data that cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("candidates: {0}")]
pub struct CandidateError(pub String);

/// What one piece of evidence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    Distance,
    Border,
    Sex,
    Time,
    Genotype,
    Link,
}

/// One piece of evidence: its multiplicative weight and a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub weight: f64,
    pub text: String,
}

/// Review status of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Linked,
    Rejected,
    Open,
}

/// One candidate pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub catalog_a: String,
    pub id_a: String,
    pub catalog_b: String,
    pub id_b: String,
    /// Plausibility in [0, 1]; 0 when ruled out.
    pub score: f64,
    /// 1 = most plausible.
    pub rank: usize,
    pub ruled_out: bool,
    pub evidence: Vec<Evidence>,
    pub status: Status,
}

/// The options as applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionsUsed {
    pub sigma_km: f64,
    /// Where σ came from (sentence).
    pub sigma_source: String,
    pub home_range_radius_km: f64,
    pub max_speed_km_per_day: f64,
    pub clock_tolerance_hours: f64,
    pub max_pair_distance_km: f64,
    pub include_ruled_out: bool,
    pub border: bool,
    /// Cross-catalog pairs of individuals in all.
    pub pairs_total: usize,
    /// Pairs scored after spatial pruning (plus linked, decided and genotype-matched ones).
    pub pairs_scored: usize,
}

/// The ranked list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateList {
    pub candidates: Vec<Candidate>,
    pub options_used: OptionsUsed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Sex {
    Female,
    Male,
}

fn sex_of(s: &str) -> Option<Sex> {
    match s.trim().to_ascii_lowercase().as_str() {
        "f" | "female" | "самка" | "雌" | "雌性" => Some(Sex::Female),
        "m" | "male" | "самец" | "雄" | "雄性" => Some(Sex::Male),
        _ => None,
    }
}

#[derive(Debug, Clone)]
struct Point {
    x_km: f64,
    y_km: f64,
    /// Seconds since the epoch (UTC instant).
    t_s: i64,
    station: usize,
    time: String,
}

#[derive(Debug, Clone)]
struct Individual {
    catalog: usize,
    id: String,
    points: Vec<Point>,
    /// Known sex; `None` unknown or recorded inconsistently.
    sex: Option<Sex>,
    sex_text: String,
    /// Smallest geodesic distance (km) of its detection stations from the border.
    border_km: Option<f64>,
}

/// Catalog data prepared once for repeated scoring: detections projected to UTM km, station
/// distances from the border, sex per individual, and the RPSV σ.
#[derive(Debug, Clone)]
pub struct Prepared {
    catalogs: Vec<String>,
    station_ids: Vec<Vec<String>>,
    individuals: Vec<Individual>,
    border: bool,
    /// secr's RPSV(CC = TRUE) over the national catalogs, if any individual moved.
    rpsv_km: Option<f64>,
}

impl Prepared {
    /// Projects every detection (UTM zone of the stations' centroid) and measures the stations'
    /// geodesic distance from the border.
    pub fn new(catalogs: &[Catalog], border: Option<&Border>) -> Prepared {
        let all: Vec<LatLon> = catalogs.iter().flat_map(|c| c.stations.iter().map(|s| s.position)).collect();
        let utm = Utm::for_centroid(&all).unwrap_or(Utm { zone: 31, north: true });
        let mut individuals = Vec::new();
        let (mut ss, mut df) = (0.0, 0.0);
        for (ci, c) in catalogs.iter().enumerate() {
            let xy: Vec<(f64, f64)> = c
                .stations
                .iter()
                .map(|s| {
                    let (x, y) = utm.from_latlon(s.position);
                    (x / 1000.0, y / 1000.0)
                })
                .collect();
            let bd: Vec<Option<f64>> =
                c.stations.iter().map(|s| border.map(|b| b.geodesic_distance_km(s.position))).collect();
            let mut by: BTreeMap<&str, Vec<&crate::model::Detection>> = BTreeMap::new();
            for d in &c.detections {
                by.entry(d.individual.as_str()).or_default().push(d);
            }
            for (id, dets) in by {
                let points: Vec<Point> = dets
                    .iter()
                    .map(|d| Point {
                        x_km: xy[d.station].0,
                        y_km: xy[d.station].1,
                        t_s: d.time.timestamp(),
                        station: d.station,
                        time: d.time.to_rfc3339(),
                    })
                    .collect();
                let sexes: HashSet<Option<Sex>> =
                    dets.iter().filter_map(|d| d.sex.as_deref()).map(sex_of).filter(|s| s.is_some()).collect();
                let sex = if sexes.len() == 1 { sexes.into_iter().next().flatten() } else { None };
                let recorded: Vec<&str> = dets.iter().filter_map(|d| d.sex.as_deref()).collect();
                let sex_text = match (sex, recorded.is_empty()) {
                    (Some(Sex::Female), _) => "female".into(),
                    (Some(Sex::Male), _) => "male".into(),
                    (None, true) => "unknown".into(),
                    (None, false) => {
                        let mut r = recorded.clone();
                        r.sort_unstable();
                        r.dedup();
                        format!("unclear ({})", r.join("/"))
                    }
                };
                let border_km = points
                    .iter()
                    .filter_map(|p| bd[p.station])
                    .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))));
                // secr RPSV: Σ over individuals of (Σx² − (Σx)²/n + Σy² − (Σy)²/n), df Σ(n − 1).
                let n = points.len() as f64;
                let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), p| (a + p.x_km, b + p.y_km));
                let (mx, my) = (sx / n, sy / n);
                ss += points.iter().map(|p| (p.x_km - mx).powi(2) + (p.y_km - my).powi(2)).sum::<f64>();
                df += n - 1.0;
                individuals.push(Individual { catalog: ci, id: id.to_string(), points, sex, sex_text, border_km });
            }
        }
        let rpsv_km = (df > 0.0 && ss > 0.0).then(|| (ss / (2.0 * df)).sqrt());
        Prepared {
            catalogs: catalogs.iter().map(|c| c.name.clone()).collect(),
            station_ids: catalogs.iter().map(|c| c.stations.iter().map(|s| s.id.clone()).collect()).collect(),
            individuals,
            border: border.is_some(),
            rpsv_km,
        }
    }

    /// secr's `RPSV(capthist, CC = TRUE)` of the national catalogs (km): √(Σ_i Σ_j |x_ij − x̄_i|² /
    /// (2 Σ_i (n_i − 1))); `None` when no individual was detected twice at different places.
    pub fn rpsv_km(&self) -> Option<f64> {
        self.rpsv_km
    }

    fn sigma(&self, o: &CandidateOptions) -> Result<(f64, String), CandidateError> {
        let check = |v: f64, name: &str| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(CandidateError(format!("{name} must be a positive number of km (got {v})")))
            }
        };
        match (o.sigma_km, o.home_range_radius_km) {
            (Some(_), Some(_)) => Err(CandidateError("give sigma_km or home_range_radius_km, not both".into())),
            (Some(s), None) => Ok((check(s, "sigma_km")?, "stated σ (e.g. from an SECR fit)".into())),
            (None, Some(r)) => Ok((
                check(r, "home_range_radius_km")? / RADIUS95_PER_SIGMA,
                format!("stated 95% home-range radius {r} km ÷ 2.4477 (bivariate normal)"),
            )),
            (None, None) => self
                .rpsv_km
                .map(|s| (s, "RPSV of the national catalogs (secr's RPSV, CC = TRUE)".into()))
                .ok_or_else(|| {
                    CandidateError(
                        "no individual was detected at two places, so σ cannot be estimated: give sigma_km or home_range_radius_km".into(),
                    )
                }),
        }
    }

    /// Scores and ranks the cross-catalog pairs. `joint` is the joint catalog under the current
    /// links (for `linked`), `decisions` the expert decisions (for `rejected`), `genotypes` the
    /// genotype links.
    pub fn candidates(
        &self,
        joint: &JointCatalog,
        decisions: &[Decision],
        genotypes: &[GenotypeLink],
        o: &CandidateOptions,
    ) -> Result<CandidateList, CandidateError> {
        let (sigma, sigma_source) = self.sigma(o)?;
        for (v, name) in
            [(o.max_speed_km_per_day, "max_speed_km_per_day"), (o.clock_tolerance_hours, "clock_tolerance_hours")]
        {
            if !v.is_finite() || v < 0.0 {
                return Err(CandidateError(format!("{name} must be a non-negative number (got {v})")));
            }
        }
        let cutoff = o.max_pair_distance_km.unwrap_or(6.0 * sigma);
        if !cutoff.is_finite() || cutoff <= 0.0 {
            return Err(CandidateError(format!("max_pair_distance_km must be positive (got {cutoff})")));
        }
        let radius = sigma * RADIUS95_PER_SIGMA;
        let index: HashMap<NationalId, usize> = self
            .individuals
            .iter()
            .enumerate()
            .map(|(i, ind)| (NationalId::new(&self.catalogs[ind.catalog], &ind.id), i))
            .collect();
        let order = |a: usize, b: usize| {
            if self.individuals[a].catalog <= self.individuals[b].catalog {
                (a, b)
            } else {
                (b, a)
            }
        };
        // Pairs to score: spatially close ones (grid of cell = cutoff), plus linked / decided /
        // genotype-matched ones wherever they are.
        let mut pairs: HashSet<(usize, usize)> = HashSet::new();
        let cell = |x: f64| (x / cutoff).floor() as i64;
        let mut grid: HashMap<(usize, i64, i64), Vec<usize>> = HashMap::new();
        for (i, ind) in self.individuals.iter().enumerate() {
            let mut cells: Vec<(i64, i64)> = ind.points.iter().map(|p| (cell(p.x_km), cell(p.y_km))).collect();
            cells.sort_unstable();
            cells.dedup();
            for (cx, cy) in cells {
                grid.entry((ind.catalog, cx, cy)).or_default().push(i);
            }
        }
        for (i, ind) in self.individuals.iter().enumerate() {
            for p in &ind.points {
                let (cx, cy) = (cell(p.x_km), cell(p.y_km));
                for c in (ind.catalog + 1)..self.catalogs.len() {
                    for dx in -1..=1 {
                        for dy in -1..=1 {
                            if let Some(v) = grid.get(&(c, cx + dx, cy + dy)) {
                                pairs.extend(v.iter().map(|&j| (i, j)));
                            }
                        }
                    }
                }
            }
        }
        let mut add = |a: &NationalId, b: &NationalId| {
            if let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) {
                if self.individuals[i].catalog != self.individuals[j].catalog {
                    pairs.insert(order(i, j));
                }
            }
        };
        let latest = latest_decisions(decisions);
        for (a, b) in latest.keys() {
            add(a, b);
        }
        for g in genotypes {
            add(&g.a, &g.b);
        }
        for j in &joint.individuals {
            let ids: Vec<NationalId> = j.national_ids.iter().map(|(c, i)| NationalId::new(c, i)).collect();
            for x in 0..ids.len() {
                for y in x + 1..ids.len() {
                    add(&ids[x], &ids[y]);
                }
            }
        }
        let geno: HashMap<(NationalId, NationalId), &GenotypeLink> =
            genotypes.iter().map(|g| (pair_key(&g.a, &g.b), g)).collect();
        let mut per_catalog = vec![0usize; self.catalogs.len()];
        for ind in &self.individuals {
            per_catalog[ind.catalog] += 1;
        }
        let pairs_total = (0..per_catalog.len())
            .flat_map(|x| (x + 1..per_catalog.len()).map(move |y| (x, y)))
            .map(|(x, y)| per_catalog[x] * per_catalog[y])
            .sum();
        let pairs_scored = pairs.len();
        let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
        pairs.sort_unstable();
        let mut out = Vec::with_capacity(pairs.len());
        for (i, j) in pairs {
            let (a, b) = (&self.individuals[i], &self.individuals[j]);
            let (na, nb) =
                (NationalId::new(&self.catalogs[a.catalog], &a.id), NationalId::new(&self.catalogs[b.catalog], &b.id));
            let key = pair_key(&na, &nb);
            let mut c = self.score(a, b, sigma, radius, o, geno.get(&key).copied());
            let linked = matches!((joint.index.get(&na), joint.index.get(&nb)), (Some(x), Some(y)) if x == y);
            c.status = match latest.get(&key) {
                Some(d) if d.verdict == Verdict::Reject => Status::Rejected,
                _ if linked => Status::Linked,
                _ => Status::Open,
            };
            match latest.get(&key) {
                Some(d) => c.evidence.push(Evidence {
                    kind: EvidenceKind::Link,
                    weight: 1.0,
                    text: format!(
                        "{} by {} at {}{}",
                        if d.verdict == Verdict::Accept { "accepted" } else { "rejected" },
                        d.who,
                        d.when,
                        if d.why.is_empty() { String::new() } else { format!(": {}", d.why) }
                    ),
                }),
                None if linked => c.evidence.push(Evidence {
                    kind: EvidenceKind::Link,
                    weight: 1.0,
                    text: "already one animal in the joint catalog (links table)".into(),
                }),
                None => {}
            }
            if c.ruled_out && !o.include_ruled_out {
                continue;
            }
            out.push(c);
        }
        out.sort_by(|x, y| {
            x.ruled_out.cmp(&y.ruled_out).then(y.score.total_cmp(&x.score)).then_with(|| {
                (&x.catalog_a, &x.id_a, &x.catalog_b, &x.id_b).cmp(&(&y.catalog_a, &y.id_a, &y.catalog_b, &y.id_b))
            })
        });
        for (k, c) in out.iter_mut().enumerate() {
            c.rank = k + 1;
        }
        Ok(CandidateList {
            candidates: out,
            options_used: OptionsUsed {
                sigma_km: sigma,
                sigma_source,
                home_range_radius_km: radius,
                max_speed_km_per_day: o.max_speed_km_per_day,
                clock_tolerance_hours: o.clock_tolerance_hours,
                max_pair_distance_km: cutoff,
                include_ruled_out: o.include_ruled_out,
                border: self.border,
                pairs_total,
                pairs_scored,
            },
        })
    }

    fn score(
        &self,
        a: &Individual,
        b: &Individual,
        sigma: f64,
        radius: f64,
        o: &CandidateOptions,
        genotype: Option<&GenotypeLink>,
    ) -> Candidate {
        let (ca, cb) = (&self.catalogs[a.catalog], &self.catalogs[b.catalog]);
        let st = |ind: &Individual, p: &Point| self.station_ids[ind.catalog][p.station].clone();
        let mut evidence = Vec::new();
        // Closest pair of detections, and the hardest movement in time.
        let mut best = (f64::INFINITY, 0, 0);
        let mut worst: Option<(f64, f64, f64, usize, usize)> = None; // (speed needed, km, hours, pa, pb)
        for (pa, p) in a.points.iter().enumerate() {
            for (pb, q) in b.points.iter().enumerate() {
                let d = ((p.x_km - q.x_km).powi(2) + (p.y_km - q.y_km).powi(2)).sqrt();
                if d < best.0 {
                    best = (d, pa, pb);
                }
                let hours = (p.t_s - q.t_s).abs() as f64 / 3600.0;
                let speed = d / ((hours + o.clock_tolerance_hours) / 24.0);
                if worst.is_none_or(|w| speed > w.0) {
                    worst = Some((speed, d, hours, pa, pb));
                }
            }
        }
        let d = best.0;
        let closest = format!(
            "closest detections {d:.1} km apart ({} {} – {} {}); σ = {sigma:.2} km",
            ca,
            st(a, &a.points[best.1]),
            cb,
            st(b, &b.points[best.2])
        );
        let (w_dist, text) = match o.distance_measure {
            DistanceMeasure::ClosestPair => ((-d * d / (4.0 * sigma * sigma)).exp(), closest),
            DistanceMeasure::Centroids => {
                let mean = |ind: &Individual| {
                    let n = ind.points.len() as f64;
                    let (x, y) = ind.points.iter().fold((0.0, 0.0), |(x, y), p| (x + p.x_km, y + p.y_km));
                    (x / n, y / n, n)
                };
                let ((xa, ya, na), (xb, yb, nb)) = (mean(a), mean(b));
                let dc2 = (xa - xb).powi(2) + (ya - yb).powi(2);
                let v = 1.0 / na + 1.0 / nb;
                (
                    (-dc2 / (2.0 * sigma * sigma * v)).exp(),
                    format!(
                        "mean detection positions {:.1} km apart ({na} and {nb} detections); {closest}",
                        dc2.sqrt()
                    ),
                )
            }
        };
        evidence.push(Evidence { kind: EvidenceKind::Distance, weight: w_dist, text });
        let w_border = match (a.border_km, b.border_km) {
            (Some(ba), Some(bb)) => {
                let w = (-(ba * ba + bb * bb) / (2.0 * radius * radius)).exp();
                evidence.push(Evidence {
                    kind: EvidenceKind::Border,
                    weight: w,
                    text: format!(
                        "nearest detections to the border: {ba:.1} km ({ca}) and {bb:.1} km ({cb}); 95% home-range radius {radius:.1} km"
                    ),
                });
                w
            }
            _ => 1.0,
        };
        let (w_sex, sex_out) = match (a.sex, b.sex) {
            (Some(x), Some(y)) if x != y => (0.0, true),
            (Some(_), Some(_)) => (1.0, false),
            _ => (0.5, false),
        };
        evidence.push(Evidence {
            kind: EvidenceKind::Sex,
            weight: w_sex,
            text: if sex_out {
                format!("different sexes ({} {}, {} {}): ruled out", a.id, a.sex_text, b.id, b.sex_text)
            } else if w_sex == 1.0 {
                format!("both {}", a.sex_text)
            } else {
                format!("sex not known for both ({} {}, {} {})", a.id, a.sex_text, b.id, b.sex_text)
            },
        });
        let mut time_out = false;
        if let Some((speed, km, hours, pa, pb)) = worst {
            time_out = speed > o.max_speed_km_per_day;
            let (p, q) = (&a.points[pa], &b.points[pb]);
            evidence.push(Evidence {
                kind: EvidenceKind::Time,
                weight: if time_out { 0.0 } else { 1.0 },
                text: format!(
                    "{} at {} {} and {} at {} {}: {km:.1} km in {hours:.1} h (+{} h clock tolerance) needs {speed:.1} km/day{}",
                    a.id,
                    st(a, p),
                    p.time,
                    b.id,
                    st(b, q),
                    q.time,
                    o.clock_tolerance_hours,
                    if time_out {
                        format!(" > {} km/day: ruled out", o.max_speed_km_per_day)
                    } else {
                        format!(" ≤ {} km/day: feasible", o.max_speed_km_per_day)
                    }
                ),
            });
        }
        let ruled_out = sex_out || time_out;
        let mut score = w_dist * w_border * w_sex;
        if let Some(g) = genotype {
            score = 1.0 - (1.0 - score) / 100.0;
            evidence.push(Evidence {
                kind: EvidenceKind::Genotype,
                weight: 100.0,
                text: format!(
                    "same unique genotype {} (samples {} of {}, {} of {})",
                    g.genotype,
                    g.samples_a.join(" "),
                    g.a.id,
                    g.samples_b.join(" "),
                    g.b.id
                ),
            });
        }
        if ruled_out {
            score = 0.0;
        }
        Candidate {
            catalog_a: ca.clone(),
            id_a: a.id.clone(),
            catalog_b: cb.clone(),
            id_b: b.id.clone(),
            score,
            rank: 0,
            ruled_out,
            evidence,
            status: Status::Open,
        }
    }
}
