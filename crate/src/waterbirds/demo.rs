//! The SIMULATED demo survey of the Tumen estuary complex: four wetlands in three countries —
//! Jingxin and Fangchuan (China), Rason Migratory Bird Reserve (DPRK) and the Khasansky wetlands
//! (Russia) — counted on the same dates each spring and autumn, 2016–2023, each country writing
//! its own file in its own language (Chinese, Korean and Russian species names and column
//! names; Russian dates as dd.mm.yyyy). Everything is labelled SIMULATED: file names, a header
//! comment and a `notes` column.
//!
//! The birds move between the wetlands: on every date each species' complex total is shared among
//! the sites with no site holding more than half of it. So the complex, assessed as one
//! transboundary site, reaches the 1% levels of Black-faced Spoonbill (spring), White-naped
//! Crane and Swan Goose (autumn) and 20,000 waterbirds (autumn), while no single wetland does.
//! Counts are seeded ([`DEMO_SEED`]), so the files are byte-for-byte reproducible.
//!
//! ```
//! use borderless::waterbirds::demo::{demo_files, DEMO_SEED};
//! let files = demo_files(DEMO_SEED);
//! assert!(files.iter().all(|(name, _)| name.contains("SIMULATED") || name == "README.md"));
//! assert_eq!(files, demo_files(DEMO_SEED));
//! ```

use super::taxonomy::Taxonomy;
use crate::model::lang::Lang;
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The seed of the shipped demo files.
pub const DEMO_SEED: u64 = 20_191_104;

/// Years counted.
pub const YEARS: std::ops::RangeInclusive<i32> = 2016..=2023;

struct DemoSite {
    id: &'static str,
    name: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
    /// Relative preference of the birds for this wetland.
    weight: f64,
}

const SITES: [DemoSite; 4] = [
    DemoSite {
        id: "CN-JX", name: "Jingxin wetland (敬信湿地)", country: "CN", lat: 42.585, lon: 130.625, weight: 1.0
    },
    DemoSite {
        id: "CN-FC",
        name: "Fangchuan wetland (防川湿地)",
        country: "CN",
        lat: 42.440,
        lon: 130.600,
        weight: 0.8,
    },
    DemoSite {
        id: "KP-RS",
        name: "Rason Migratory Bird Reserve (라선철새보호구)",
        country: "KP",
        lat: 42.360,
        lon: 130.440,
        weight: 1.0,
    },
    DemoSite {
        id: "RU-KH",
        name: "Khasansky wetlands (Хасанские водно-болотные угодья)",
        country: "RU",
        lat: 42.430,
        lon: 130.690,
        weight: 0.9,
    },
];

/// (scientific name, spring complex peak range, autumn complex peak range, zero rows written).
type SpeciesPlan = (&'static str, (f64, f64), (f64, f64), bool);

const PLAN: [SpeciesPlan; 20] = [
    ("Platalea minor", (85.0, 135.0), (30.0, 60.0), true),
    ("Antigone vipio", (60.0, 110.0), (150.0, 250.0), true),
    ("Anser cygnoides", (200.0, 400.0), (600.0, 1060.0), true),
    ("Grus monacha", (40.0, 90.0), (60.0, 120.0), true),
    ("Ciconia boyciana", (10.0, 25.0), (20.0, 40.0), true),
    ("Grus japonensis", (6.0, 14.0), (8.0, 16.0), true),
    ("Anser serrirostris", (1500.0, 3000.0), (5000.0, 7000.0), false),
    ("Anser albifrons", (1000.0, 2000.0), (3000.0, 4500.0), false),
    ("Cygnus cygnus", (300.0, 600.0), (600.0, 900.0), false),
    ("Anas platyrhynchos", (800.0, 1500.0), (2500.0, 3500.0), false),
    ("Anas crecca", (500.0, 1000.0), (1500.0, 2200.0), false),
    ("Aythya fuligula", (300.0, 700.0), (1000.0, 1600.0), false),
    ("Bucephala clangula", (200.0, 500.0), (900.0, 1400.0), false),
    ("Mergus merganser", (100.0, 250.0), (300.0, 600.0), false),
    ("Phalacrocorax carbo", (150.0, 300.0), (400.0, 700.0), false),
    ("Ardea cinerea", (60.0, 120.0), (100.0, 180.0), false),
    ("Larus crassirostris", (800.0, 1500.0), (1200.0, 2000.0), false),
    ("Larus vegae", (500.0, 900.0), (1500.0, 2500.0), false),
    ("Calidris alpina", (600.0, 1200.0), (800.0, 1600.0), false),
    ("Numenius madagascariensis", (20.0, 45.0), (15.0, 35.0), false),
];

/// Count dates of a season: four synchronised counts, shifted by a few days each year.
fn count_dates(rng: &mut Xoshiro256PlusPlus, year: i32, autumn: bool) -> Vec<NaiveDate> {
    let base = if autumn { [(9, 18), (10, 3), (10, 18), (11, 2)] } else { [(3, 24), (4, 8), (4, 23), (5, 8)] };
    let shift = rng.gen_range(-3..=3);
    base.iter().map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default() + Duration::days(shift)).collect()
}

/// Shares of the four sites on one date: preference × log-normal noise, none above one half.
fn shares(rng: &mut Xoshiro256PlusPlus) -> [f64; 4] {
    let noise = Normal::<f64>::new(0.0, 0.6).unwrap_or_else(|_| unreachable!());
    let mut w: [f64; 4] = std::array::from_fn(|i| SITES[i].weight * f64::exp(noise.sample(rng)));
    for _ in 0..10 {
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= total);
        let over: f64 = w.iter().map(|x| (x - 0.5).max(0.0)).sum();
        if over <= 0.0 {
            break;
        }
        let under: f64 = w.iter().filter(|x| **x < 0.5).sum();
        w = w.map(|x| if x > 0.5 { 0.5 } else { x + over * x / under });
    }
    w
}

/// The demo files: `(file name, bytes)`, with a README.
pub fn demo_files(seed: u64) -> Vec<(String, Vec<u8>)> {
    let taxonomy = Taxonomy::get();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let banner = "# SIMULATED DATA — made by `borderless waterbirds --write-demo`; not real counts";
    let mut sites = format!("{banner}\nsite,name,country,latitude,longitude,complex,notes\n");
    for s in &SITES {
        sites += &format!("{},\"{}\",{},{},{},Tumen estuary,SIMULATED\n", s.id, s.name, s.country, s.lat, s.lon);
    }
    let headers = [
        ("CN", Lang::Zh, "地点,日期,时间,物种,数量,覆盖,观察者,备注"),
        ("KP", Lang::Ko, "지점,날짜,시간,종,개체수,조사범위,조사자,비고"),
        ("RU", Lang::Ru, "участок,дата,время,вид,количество,охват,наблюдатель,примечания"),
    ];
    let mut tables: Vec<String> = headers.iter().map(|(_, _, h)| format!("{banner}\n{h}\n")).collect();
    let curve = [0.55, 1.0, 0.8, 0.45];
    let jitter = Normal::<f64>::new(0.0, 0.12).unwrap_or_else(|_| unreachable!());
    for year in YEARS {
        for autumn in [false, true] {
            let dates = count_dates(&mut rng, year, autumn);
            // Partial coverage: the DPRK reserve missed one count in two seasons.
            let missed = match (year, autumn) {
                (2018, false) => Some(2),
                (2021, true) => Some(0),
                _ => None,
            };
            let peaks: Vec<f64> = PLAN
                .iter()
                .map(|p| {
                    let (lo, hi) = if autumn { p.2 } else { p.1 };
                    rng.gen_range(lo..=hi)
                })
                .collect();
            for (k, date) in dates.iter().enumerate() {
                for (sp, plan) in PLAN.iter().enumerate() {
                    let total = (peaks[sp] * curve[k] * f64::exp(jitter.sample(&mut rng))).min(peaks[sp]);
                    let share = shares(&mut rng);
                    let species = taxonomy.by_scientific(plan.0).map(|i| taxonomy.species(i));
                    for (i, site) in SITES.iter().enumerate() {
                        if missed == Some(k) && site.country == "KP" {
                            continue;
                        }
                        let n = (total * share[i]).round() as u64;
                        if n == 0 && !plan.3 {
                            continue;
                        }
                        let t = headers.iter().position(|h| h.0 == site.country).unwrap_or(0);
                        let lang = headers[t].1;
                        let name = species.map_or(plan.0, |s| s.name(lang));
                        let date_txt = match site.country {
                            "RU" => date.format("%d.%m.%Y").to_string(),
                            "KP" => date.format("%Y.%m.%d").to_string(),
                            _ => date.to_string(),
                        };
                        let coverage = if site.country == "RU" && year == 2020 && autumn && k == 1 {
                            "partial"
                        } else {
                            "complete"
                        };
                        let observer = ["Zhang", "Kim", "Ivanov"][t];
                        tables[t] += &format!(
                            "{},{},08:00,{},{},{},{},SIMULATED\n",
                            site.id, date_txt, name, n, coverage, observer
                        );
                    }
                }
            }
        }
    }
    let readme = format!(
        "# SIMULATED waterbird counts of the Tumen estuary\n\n\
         These files are **SIMULATED**: made by a seeded generator (`borderless waterbirds --write-demo www/demo/waterbirds`, \
         seed {seed}, `crate/src/waterbirds/demo.rs`), not real counts. They show how Borderless assesses a wetland complex \
         shared by three countries.\n\n\
         * `SIMULATED-tumen-sites.csv`: Jingxin and Fangchuan wetlands (China), Rason Migratory Bird Reserve (DPRK) and the \
         Khasansky wetlands (Russia), at approximate real positions; complex = \"Tumen estuary\".\n\
         * `SIMULATED-tumen-CN-counts.csv` (Chinese names and columns), `SIMULATED-tumen-KP-counts.csv` (Korean), \
         `SIMULATED-tumen-RU-counts.csv` (Russian, dates dd.mm.yyyy): four synchronised counts each spring (March–May) and \
         autumn (September–November), 2016–2023, one row per species per site per count. Korean names are the Republic of \
         Korea's (DPRK names may differ); a species without a confirmed Korean name is written by its scientific name.\n\n\
         On every date each species' complex total is shared among the four wetlands, none holding more than half. So the \
         complex as one transboundary site regularly holds 1% of the flyway populations of Black-faced Spoonbill (spring), \
         White-naped Crane and Swan Goose (autumn), and over 20,000 waterbirds (autumn) — while no wetland does alone. \
         The DPRK reserve missed one count in spring 2018 and autumn 2021 (partial coverage), and one Russian count is marked \
         partial.\n\n\
         Try: `borderless waterbirds --counts SIMULATED-tumen-CN-counts.csv --counts SIMULATED-tumen-KP-counts.csv \
         --counts SIMULATED-tumen-RU-counts.csv --sites SIMULATED-tumen-sites.csv --season spring=03-05 --season autumn=09-11`\n"
    );
    let mut out = vec![("SIMULATED-tumen-sites.csv".to_string(), sites.into_bytes())];
    for ((c, _, _), t) in headers.iter().zip(tables) {
        out.push((format!("SIMULATED-tumen-{c}-counts.csv"), t.into_bytes()));
    }
    out.push(("README.md".to_string(), readme.into_bytes()));
    out
}

/// Writes the demo files into `dir`.
pub fn write_demo(dir: &std::path::Path, seed: u64) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut names = Vec::new();
    for (name, bytes) in demo_files(seed) {
        std::fs::write(dir.join(&name), bytes)?;
        names.push(name);
    }
    Ok(names)
}
