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
//!   clocks set a little wrong. A time written coarsely (a date alone, or without seconds) stands
//!   for an interval `[t, t + precision)`; `|Δt|` is then the **largest** gap the two intervals
//!   allow, so that a pair is ruled out only when no true times consistent with the records would
//!   make the movement possible (two records of the same date may be up to 24 h apart), and the
//!   sentence says the times were known only to the day (or minute).
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
use crate::model::message::Message;
use crate::model::{Catalog, LatLon, TimePrecision};
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
pub struct CandidateError(pub Message);

impl CandidateError {
    /// The error as a message, to show it in any language.
    pub fn message(&self) -> Message {
        Message::new("identity.candidates.error").with("message", self.0.clone())
    }
}

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

/// One piece of evidence: its multiplicative weight and a sentence — in English (`text`, stable
/// for scripts) and as a message (`code` and `params`, to show it in any language).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub weight: f64,
    pub text: String,
    #[serde(flatten)]
    pub message: Message,
}

impl Evidence {
    /// Evidence of `kind` with its weight and sentence.
    pub fn new(kind: EvidenceKind, weight: f64, message: Message) -> Evidence {
        Evidence { kind, weight, text: message.to_string(), message }
    }
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
    /// Where σ came from (sentence, in English).
    pub sigma_source: String,
    /// The same as a message, to show it in any language.
    pub sigma_source_code: Message,
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
    /// Seconds since the epoch (UTC instant); for a coarse time, the start of its interval.
    t_s: i64,
    /// How precisely the time was written.
    precision: TimePrecision,
    station: usize,
    /// As written ([`TimePrecision::format`]).
    time: String,
}

impl Point {
    /// Width (s) of the interval the time stands for: 0 for a time to the second (taken as an
    /// instant, as before precision was kept), else the precision's length.
    fn width_s(&self) -> i64 {
        match self.precision {
            TimePrecision::Second => 0,
            p => p.seconds(),
        }
    }

    /// The largest time (s) between two detections that their written times allow: `|Δt|` for
    /// times to the second, else the farthest ends of the two intervals.
    fn largest_gap_s(&self, q: &Point) -> i64 {
        (self.t_s + self.width_s() - q.t_s).max(q.t_s + q.width_s() - self.t_s)
    }
}

#[derive(Debug, Clone)]
struct Individual {
    catalog: usize,
    id: String,
    points: Vec<Point>,
    /// Known sex; `None` unknown or recorded inconsistently.
    sex: Option<Sex>,
    /// Sex as recorded: `female`, `male`, `unknown` or `unclear (F/M)`.
    sex_text: Message,
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
                        precision: d.precision,
                        station: d.station,
                        time: d.precision.format(&d.time),
                    })
                    .collect();
                let sexes: HashSet<Option<Sex>> =
                    dets.iter().filter_map(|d| d.sex.as_deref()).map(sex_of).filter(|s| s.is_some()).collect();
                let sex = if sexes.len() == 1 { sexes.into_iter().next().flatten() } else { None };
                let recorded: Vec<&str> = dets.iter().filter_map(|d| d.sex.as_deref()).collect();
                let sex_text = match (sex, recorded.is_empty()) {
                    (Some(Sex::Female), _) => Message::new("identity.sex.female"),
                    (Some(Sex::Male), _) => Message::new("identity.sex.male"),
                    (None, true) => Message::new("identity.sex.unknown"),
                    (None, false) => {
                        let mut r = recorded.clone();
                        r.sort_unstable();
                        r.dedup();
                        Message::new("identity.sex.unclear").with("recorded", r.join("/"))
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

    fn sigma(&self, o: &CandidateOptions) -> Result<(f64, Message), CandidateError> {
        let check = |v: f64, name: &str| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(CandidateError(
                    Message::new("identity.candidates.not_positive_km").with("name", name).with("value", v.to_string()),
                ))
            }
        };
        match (o.sigma_km, o.home_range_radius_km) {
            (Some(_), Some(_)) => Err(CandidateError(Message::new("identity.candidates.sigma_and_radius"))),
            (Some(s), None) => Ok((check(s, "sigma_km")?, Message::new("identity.sigma.stated"))),
            (None, Some(r)) => Ok((
                check(r, "home_range_radius_km")? / RADIUS95_PER_SIGMA,
                Message::new("identity.sigma.radius").with("radius", r.to_string()),
            )),
            (None, None) => self
                .rpsv_km
                .map(|s| (s, Message::new("identity.sigma.rpsv")))
                .ok_or_else(|| CandidateError(Message::new("identity.candidates.no_sigma"))),
        }
    }

    /// Checks the speed and clock options and the pruning distance (default 6σ).
    fn cutoff(o: &CandidateOptions, sigma: f64) -> Result<f64, CandidateError> {
        for (v, name) in
            [(o.max_speed_km_per_day, "max_speed_km_per_day"), (o.clock_tolerance_hours, "clock_tolerance_hours")]
        {
            if !v.is_finite() || v < 0.0 {
                return Err(CandidateError(
                    Message::new("identity.candidates.negative").with("name", name).with("value", v.to_string()),
                ));
            }
        }
        let cutoff = o.max_pair_distance_km.unwrap_or(6.0 * sigma);
        if !cutoff.is_finite() || cutoff <= 0.0 {
            return Err(CandidateError(
                Message::new("identity.candidates.cutoff_not_positive").with("value", cutoff.to_string()),
            ));
        }
        Ok(cutoff)
    }

    /// The pairs to score: spatially close ones (a grid of cell = `cutoff` over the projected
    /// detections), plus linked, decided and genotype-matched ones wherever they are; sorted.
    fn pairs_to_score(
        &self,
        joint: &JointCatalog,
        decided: &[(NationalId, NationalId)],
        genotypes: &[GenotypeLink],
        cutoff: f64,
    ) -> Vec<(usize, usize)> {
        let index: HashMap<NationalId, usize> = self
            .individuals
            .iter()
            .enumerate()
            .map(|(i, ind)| (NationalId::new(&self.catalogs[ind.catalog], &ind.id), i))
            .collect();
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
                let (ci, cj) = (self.individuals[i].catalog, self.individuals[j].catalog);
                if ci != cj {
                    pairs.insert(if ci <= cj { (i, j) } else { (j, i) });
                }
            }
        };
        for (a, b) in decided {
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
        let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
        pairs.sort_unstable();
        pairs
    }

    /// Cross-catalog pairs of individuals in all.
    fn pairs_total(&self) -> usize {
        let mut per_catalog = vec![0usize; self.catalogs.len()];
        for ind in &self.individuals {
            per_catalog[ind.catalog] += 1;
        }
        (0..per_catalog.len())
            .flat_map(|x| (x + 1..per_catalog.len()).map(move |y| (x, y)))
            .map(|(x, y)| per_catalog[x] * per_catalog[y])
            .sum()
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
        let cutoff = Self::cutoff(o, sigma)?;
        let radius = sigma * RADIUS95_PER_SIGMA;
        let latest = latest_decisions(decisions);
        let decided: Vec<(NationalId, NationalId)> = latest.keys().cloned().collect();
        let pairs = self.pairs_to_score(joint, &decided, genotypes, cutoff);
        let pairs_scored = pairs.len();
        let geno: HashMap<(NationalId, NationalId), &GenotypeLink> =
            genotypes.iter().map(|g| (pair_key(&g.a, &g.b), g)).collect();
        let mut out = Vec::with_capacity(pairs.len());
        for (i, j) in pairs {
            let (a, b) = (&self.individuals[i], &self.individuals[j]);
            let (na, nb) =
                (NationalId::new(&self.catalogs[a.catalog], &a.id), NationalId::new(&self.catalogs[b.catalog], &b.id));
            let key = pair_key(&na, &nb);
            let mut c = self.score(a, b, sigma, radius, o, geno.get(&key).copied());
            let linked = matches!((joint.index.get(&na), joint.index.get(&nb)), (Some(x), Some(y)) if x == y);
            let decision = latest.get(&key).copied();
            c.status = match decision {
                Some(d) if d.verdict == Verdict::Reject => Status::Rejected,
                _ if linked => Status::Linked,
                _ => Status::Open,
            };
            c.evidence.extend(link_evidence(decision, linked));
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
                sigma_source: sigma_source.to_string(),
                sigma_source_code: sigma_source,
                home_range_radius_km: radius,
                max_speed_km_per_day: o.max_speed_km_per_day,
                clock_tolerance_hours: o.clock_tolerance_hours,
                max_pair_distance_km: cutoff,
                include_ruled_out: o.include_ruled_out,
                border: self.border,
                pairs_total: self.pairs_total(),
                pairs_scored,
            },
        })
    }

    /// The station ID of a detection.
    fn station(&self, ind: &Individual, p: &Point) -> String {
        self.station_ids[ind.catalog][p.station].clone()
    }

    /// The distance evidence: its weight and sentence. `best` is the closest pair of detections
    /// (km, index in `a`, index in `b`).
    fn distance_evidence(
        &self,
        a: &Individual,
        b: &Individual,
        best: (f64, usize, usize),
        sigma: f64,
        o: &CandidateOptions,
    ) -> Evidence {
        let (ca, cb) = (&self.catalogs[a.catalog], &self.catalogs[b.catalog]);
        let d = best.0;
        let closest = Message::new("identity.evidence.closest")
            .with("d", d)
            .with("catalog_a", ca)
            .with("station_a", self.station(a, &a.points[best.1]))
            .with("catalog_b", cb)
            .with("station_b", self.station(b, &b.points[best.2]))
            .with("sigma", sigma);
        let (w, message) = match o.distance_measure {
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
                    Message::new("identity.evidence.centroids")
                        .with("d", dc2.sqrt())
                        .with("na", na)
                        .with("nb", nb)
                        .with("closest", closest),
                )
            }
        };
        Evidence::new(EvidenceKind::Distance, w, message)
    }

    /// The time evidence of the hardest movement between two detections, `worst` = (speed
    /// needed, km, hours, index in `a`, index in `b`).
    fn time_evidence(
        &self,
        a: &Individual,
        b: &Individual,
        worst: (f64, f64, f64, usize, usize),
        o: &CandidateOptions,
    ) -> Evidence {
        let (speed, km, hours, pa, pb) = worst;
        let out = speed > o.max_speed_km_per_day;
        let (p, q) = (&a.points[pa], &b.points[pb]);
        let coarsest = p.precision.min(q.precision);
        let code = match (out, coarsest) {
            (true, TimePrecision::Second) => "identity.evidence.time_ruled_out",
            (false, TimePrecision::Second) => "identity.evidence.time_feasible",
            (true, _) => "identity.evidence.time_ruled_out_coarse",
            (false, _) => "identity.evidence.time_feasible_coarse",
        };
        let mut message = Message::new(code)
            .with("id_a", &a.id)
            .with("station_a", self.station(a, p))
            .with("time_a", &p.time)
            .with("id_b", &b.id)
            .with("station_b", self.station(b, q))
            .with("time_b", &q.time)
            .with("km", km)
            .with("hours", hours)
            .with("tolerance", o.clock_tolerance_hours)
            .with("speed", speed)
            .with("max", o.max_speed_km_per_day);
        match coarsest {
            TimePrecision::Day => message = message.with("precision", Message::new("identity.precision.day")),
            TimePrecision::Minute => message = message.with("precision", Message::new("identity.precision.minute")),
            TimePrecision::Second => {}
        }
        Evidence::new(EvidenceKind::Time, if out { 0.0 } else { 1.0 }, message)
    }

    /// The closest pair of detections (km, index in `a`, index in `b`) and the movement needing
    /// the highest speed (km/day, km, hours, index in `a`, index in `b`), in one pass. The hours
    /// are the largest gap the written times allow ([`Point::largest_gap_s`]), so the speed is the
    /// least any true times consistent with the records need.
    #[allow(clippy::type_complexity)]
    fn closest_and_fastest(
        a: &Individual,
        b: &Individual,
        o: &CandidateOptions,
    ) -> ((f64, usize, usize), Option<(f64, f64, f64, usize, usize)>) {
        let mut best = (f64::INFINITY, 0, 0);
        let mut worst: Option<(f64, f64, f64, usize, usize)> = None;
        for (pa, p) in a.points.iter().enumerate() {
            for (pb, q) in b.points.iter().enumerate() {
                let d = ((p.x_km - q.x_km).powi(2) + (p.y_km - q.y_km).powi(2)).sqrt();
                if d < best.0 {
                    best = (d, pa, pb);
                }
                let hours = p.largest_gap_s(q) as f64 / 3600.0;
                let speed = d / ((hours + o.clock_tolerance_hours) / 24.0);
                if worst.is_none_or(|w| speed > w.0) {
                    worst = Some((speed, d, hours, pa, pb));
                }
            }
        }
        (best, worst)
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
        let (best, worst) = Self::closest_and_fastest(a, b, o);
        let mut evidence = vec![self.distance_evidence(a, b, best, sigma, o)];
        let w_dist = evidence[0].weight;
        let w_border = match (a.border_km, b.border_km) {
            (Some(ba), Some(bb)) => {
                let w = (-(ba * ba + bb * bb) / (2.0 * radius * radius)).exp();
                let m = Message::new("identity.evidence.border")
                    .with("ba", ba)
                    .with("catalog_a", ca)
                    .with("bb", bb)
                    .with("catalog_b", cb)
                    .with("radius", radius);
                evidence.push(Evidence::new(EvidenceKind::Border, w, m));
                w
            }
            _ => 1.0,
        };
        let sex = sex_evidence(a, b);
        let (w_sex, sex_out) = (sex.weight, sex.weight == 0.0);
        evidence.push(sex);
        let time = worst.map(|w| self.time_evidence(a, b, w, o));
        let time_out = time.as_ref().is_some_and(|t| t.weight == 0.0);
        evidence.extend(time);
        let ruled_out = sex_out || time_out;
        let mut score = w_dist * w_border * w_sex;
        if let Some(g) = genotype {
            score = 1.0 - (1.0 - score) / 100.0;
            let m = Message::new("identity.evidence.genotype")
                .with("genotype", &g.genotype)
                .with("samples_a", g.samples_a.join(" "))
                .with("id_a", &g.a.id)
                .with("samples_b", g.samples_b.join(" "))
                .with("id_b", &g.b.id);
            evidence.push(Evidence::new(EvidenceKind::Genotype, 100.0, m));
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

/// The sex evidence: both known and equal 1, either unknown ½, known and different 0 (ruled out).
fn sex_evidence(a: &Individual, b: &Individual) -> Evidence {
    let both = |code: &str| {
        Message::new(code)
            .with("id_a", &a.id)
            .with("sex_a", a.sex_text.clone())
            .with("id_b", &b.id)
            .with("sex_b", b.sex_text.clone())
    };
    match (a.sex, b.sex) {
        (Some(x), Some(y)) if x != y => Evidence::new(EvidenceKind::Sex, 0.0, both("identity.evidence.sex_different")),
        (Some(_), Some(_)) => Evidence::new(
            EvidenceKind::Sex,
            1.0,
            Message::new("identity.evidence.sex_same").with("sex", a.sex_text.clone()),
        ),
        _ => Evidence::new(EvidenceKind::Sex, 0.5, both("identity.evidence.sex_unknown")),
    }
}

/// The evidence of an expert decision on the pair, or of a link that already joins it.
fn link_evidence(decision: Option<&Decision>, linked: bool) -> Option<Evidence> {
    let message = match decision {
        Some(d) => {
            let code = match (d.verdict, d.why.is_empty()) {
                (Verdict::Accept, true) => "identity.evidence.accepted",
                (Verdict::Accept, false) => "identity.evidence.accepted_why",
                (Verdict::Reject, true) => "identity.evidence.rejected",
                (Verdict::Reject, false) => "identity.evidence.rejected_why",
            };
            Message::new(code).with("who", &d.who).with("when", &d.when).with("why", &d.why)
        }
        None if linked => Message::new("identity.evidence.linked"),
        None => return None,
    };
    Some(Evidence::new(EvidenceKind::Link, 1.0, message))
}
