//! Ramsar Criteria 6 and 5, synchronised peaks and the EAAFP tests on hand-made count tables.
//! Every expected number is worked out by hand in the comments next to it (no output of the code
//! under test is used as an expectation).

use borderless::io::InputFile;
use borderless::waterbirds::{analyze, CriterionRow, WaterbirdOptions, WaterbirdResult};

fn opts(seasons: &[&str]) -> WaterbirdOptions {
    WaterbirdOptions { seasons: seasons.iter().map(|s| s.parse().unwrap()).collect(), ..Default::default() }
}

fn run(sites: &str, counts: &[(&str, String)], thresholds: Option<&str>, seasons: &[&str]) -> WaterbirdResult {
    let sites = InputFile::new("sites.csv", sites);
    let files: Vec<InputFile> = counts.iter().map(|(n, c)| InputFile::new(*n, c.clone())).collect();
    let t = thresholds.map(|t| InputFile::new("thresholds.csv", t));
    analyze(&files, &sites, t.as_ref(), &opts(seasons)).unwrap()
}

fn c6<'a>(r: &'a WaterbirdResult, unit: &str, season: &str, species: &str) -> &'a CriterionRow {
    r.criterion6
        .iter()
        .find(|c| c.unit == unit && c.season == season && c.species.as_deref() == Some(species))
        .unwrap_or_else(|| panic!("no criterion 6 row for {unit} {season} {species}"))
}

const TWO_SITES: &str =
    "site,name,country,latitude,longitude,complex\nA,Site A,CN,42.5,130.6,T\nB,Site B,RU,42.4,130.7,T\n";

/// One count per season on April 10th: `(year, count at A, count at B)`.
fn spring_rows(species: &str, rows: &[(i32, u64, u64)]) -> String {
    rows.iter().map(|(y, a, b)| format!("A,{y}-04-10,{species},{a}\nB,{y}-04-10,{species},{b}\n")).collect()
}

#[test]
fn two_thirds_boundaries_and_five_season_mean() {
    // User thresholds of 100 (estimate column empty) for five species; they take precedence.
    let thresholds = "species,population,estimate,threshold\nAnser albifrons,test,,100\nCygnus cygnus,test,,100\n\
                      Anas crecca,test,,100\nAnser serrirostris,test,,100\nAythya fuligula,test,,10\n";
    let mut counts = String::from("site,date,species,count\n");
    // 3 of 4 seasons reach 100 at the complex (A + B): 120, 90, 110, 130.
    counts += &spring_rows("Anser albifrons", &[(2016, 70, 50), (2017, 45, 45), (2018, 60, 50), (2019, 65, 65)]);
    // 4 of 6: 120, 50, 110, 60, 130, 140; mean of the last five = (50+110+60+130+140)/5 = 98.
    counts += &spring_rows(
        "Cygnus cygnus",
        &[(2014, 60, 60), (2015, 25, 25), (2016, 55, 55), (2017, 30, 30), (2018, 65, 65), (2019, 70, 70)],
    );
    // 3 of 5 (150, 150, 20, 20, 170): 9 < 10, fails; mean = 510/5 = 102 >= 100: passes.
    counts +=
        &spring_rows("Anas crecca", &[(2015, 75, 75), (2016, 75, 75), (2017, 10, 10), (2018, 10, 10), (2019, 85, 85)]);
    // Only 2 seasons (200, 300): too few for either test.
    counts += &spring_rows("Anser serrirostris", &[(2018, 100, 100), (2019, 150, 150)]);
    // Zero counts are data: 12, 0, 15 -> 3 seasons with data, 2 reach 10 -> 2 of 3 passes.
    // (Without the zero season it would be 2 of 2, too few.)
    counts += &spring_rows("Aythya fuligula", &[(2017, 12, 0), (2018, 0, 0), (2019, 15, 0)]);
    let r = run(TWO_SITES, &[("c.csv", counts)], Some(thresholds), &["spring=03-05"]);

    let a = c6(&r, "T", "spring", "Anser albifrons");
    assert_eq!((a.two_thirds.seasons, a.two_thirds.reached, a.two_thirds.passes), (4, 3, true));
    assert!(a.five_year_mean.is_none() && a.qualifies && a.test == Some("two_thirds"));
    assert_eq!(a.peaks.values().copied().collect::<Vec<_>>(), [120, 90, 110, 130]);
    assert_eq!(a.threshold, 100.0);
    assert!(a.threshold_source.as_deref().unwrap().contains("thresholds.csv"));

    let w = c6(&r, "T", "spring", "Cygnus cygnus");
    assert_eq!((w.two_thirds.seasons, w.two_thirds.reached, w.two_thirds.passes), (6, 4, true));
    let f = w.five_year_mean.as_ref().unwrap();
    assert_eq!(f.seasons, ["2015", "2016", "2017", "2018", "2019"]);
    assert!((f.mean - 98.0).abs() < 1e-12 && !f.passes);
    assert_eq!(w.test, Some("two_thirds"));

    let t = c6(&r, "T", "spring", "Anas crecca");
    assert_eq!((t.two_thirds.reached, t.two_thirds.seasons, t.two_thirds.passes), (3, 5, false));
    let f = t.five_year_mean.as_ref().unwrap();
    assert!((f.mean - 102.0).abs() < 1e-12 && f.passes);
    assert!(t.qualifies && t.test == Some("five_year_mean"));

    let s = c6(&r, "T", "spring", "Anser serrirostris");
    assert!(!s.two_thirds.passes && s.five_year_mean.is_none() && !s.qualifies && s.test.is_none());

    let z = c6(&r, "T", "spring", "Aythya fuligula");
    assert_eq!((z.two_thirds.seasons, z.two_thirds.reached), (3, 2));
    assert!(z.qualifies);
    assert_eq!(z.peaks["2018"], 0);

    // Site A alone: albifrons 70, 45, 60, 65 -> none reaches 100.
    let sa = c6(&r, "A", "spring", "Anser albifrons");
    assert_eq!(sa.two_thirds.reached, 0);
    assert!(!sa.qualifies);
    // Every cell explains both tests.
    assert!(r.criterion6.iter().all(|c| c.explanation.len() == 2));
}

#[test]
fn synchronised_peak_sum_of_site_peaks_and_partial_coverage() {
    let sites = "site,country,complex\nA,CN,T\nB,KP,T\nC,RU,T\n";
    // Black-faced Spoonbill, spring 2019, three count dates:
    //   04-01: A 60, B 10, C 5   -> 75
    //   04-05: A 15, B 50, C 30  -> 95  (synchronised peak)
    //   04-09: A 20, C 80 (B not counted) -> 100 but partial -> still a total: the peak is 100.
    // Site peaks: A 60, B 50, C 80 -> sum 190; over-count (190 - 100) / 100 = 90%.
    let counts = "site,date,species,count\nA,2019-04-01,Platalea minor,60\nB,2019-04-01,Platalea minor,10\n\
                  C,2019-04-01,Platalea minor,5\nA,2019-04-05,Platalea minor,15\nB,2019-04-05,Platalea minor,50\n\
                  C,2019-04-05,Platalea minor,30\nA,2019-04-09,Platalea minor,20\nC,2019-04-09,Platalea minor,80\n";
    let r = run(sites, &[("c.csv", counts.to_string())], None, &["spring=03-05"]);
    let j = r.joint.iter().find(|j| j.unit == "T" && j.species == "Platalea minor").unwrap();
    assert_eq!((j.synchronised_peak, j.sum_of_site_peaks, j.label.as_str()), (100, 190, "2019"));
    assert_eq!(j.peak_date.to_string(), "2019-04-09");
    assert!(j.partial);
    assert!((j.overcount_percent.unwrap() - 90.0).abs() < 1e-12);
    let cell = &c6(&r, "T", "spring", "Platalea minor").peak_details[0];
    assert_eq!((cell.sites_counted, cell.sites_in_unit, cell.partial, cell.reached), (2, 3, true, true));
    // Site C alone: its peak is 80 on 04-09, fully covered (a site unit has one site).
    let c = &c6(&r, "C", "spring", "Platalea minor").peak_details[0];
    assert_eq!((c.peak, c.partial), (80, false));
    // The within-season pattern of the complex: three dates.
    let tr = r.trends.iter().find(|t| t.unit == "T" && t.species == "Platalea minor").unwrap();
    let totals: Vec<u64> = tr.phenology.iter().map(|p| p.2).collect();
    assert_eq!(totals, [75, 95, 100]);
}

#[test]
fn row_level_partial_coverage_and_repeat_counts_of_one_day() {
    let sites = "site,country,complex\nA,CN,T\nB,RU,T\n";
    // A counted twice on 04-01 (07:00: 40, 16:00: 55): the larger, 55, is the day's value — never
    // 95. B says its count was partial. Complex total on 04-01 = 55 + 20 = 75, flagged partial.
    let counts = "site,date,time,species,count,coverage\nA,2019-04-01,07:00,Platalea minor,40,complete\n\
                  A,2019-04-01,16:00,Platalea minor,55,complete\nB,2019-04-01,08:00,Platalea minor,20,partial\n";
    let r = run(sites, &[("c.csv", counts.to_string())], None, &["spring=03-05"]);
    let cell = &c6(&r, "T", "spring", "Platalea minor").peak_details[0];
    assert_eq!((cell.peak, cell.partial, cell.sites_counted), (75, true, 2));
    let rep = r.reports.iter().find(|x| x.file == "c.csv").unwrap();
    assert!(rep.issues.iter().any(|i| i.message.contains("counted 2 times")));
    assert_eq!(rep.rows_used, 3);
}

#[test]
fn season_spanning_the_new_year() {
    let sites = "site,country\nA,CN\n";
    // Winter = November–March. 2019-11-20: 40 and 2020-02-10: 90 are one season, 2019/20 (peak 90);
    // 2020-12-01: 30 opens 2020/21; 2020-06-01 is outside the season.
    let counts = "site,date,species,count\nA,2019-11-20,Cygnus cygnus,40\nA,2020-02-10,Cygnus cygnus,90\n\
                  A,2020-12-01,Cygnus cygnus,30\nA,2020-06-01,Cygnus cygnus,500\n";
    let thresholds = "species,population,estimate,threshold\nCygnus cygnus,test,,50\n";
    let r = run(sites, &[("c.csv", counts.to_string())], Some(thresholds), &["winter=11-03"]);
    let w = c6(&r, "A", "winter", "Cygnus cygnus");
    assert_eq!(w.peaks.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("2019/20", 90), ("2020/21", 30)]);
    assert_eq!(w.peak_details[0].date.to_string(), "2020-02-10");
}

#[test]
fn synonyms_and_five_languages_are_one_species() {
    let sites = "site,country,complex\nCN1,CN,T\nKP1,KP,T\nRU1,RU,T\nMN1,MN,T\nEN1,CN,T\n";
    // White-naped Crane on 2019-10-05, written five ways (and the BirdLife synonym Grus vipio):
    // 10 + 20 + 30 + 40 + 50 = 150 at the complex; threshold 130 -> reached.
    let files = [
        ("cn.csv", "site,date,species,count\nCN1,2019-10-05,白枕鹤,10\n".to_string()),
        ("kp.csv", "지점,날짜,종,개체수\nKP1,2019.10.05,재두루미,20\n".to_string()),
        ("ru.csv", "участок,дата,вид,количество\nRU1,05.10.2019,даурский  журавль,30\n".to_string()),
        ("mn.csv", "site,date,species,count\nMN1,2019-10-05,Цэн тогоруу,40\n".to_string()),
        (
            "en.csv",
            "site,date,species,count\nEN1,2019-10-05,Grus vipio,25\nEN1,2019-10-05T16:00,White-naped crane,50\n"
                .to_string(),
        ),
    ];
    let r = run(sites, &files, None, &["autumn=09-11"]);
    assert!(r.unmatched_names.is_empty(), "{:?}", r.unmatched_names);
    let t = c6(&r, "T", "autumn", "Antigone vipio");
    assert_eq!(t.peaks["2019"], 150); // EN1's two counts of the day: the larger (50) is used.
    assert_eq!(t.threshold, 130.0);
    let entry = r.species_list.iter().find(|e| e.scientific == "Antigone vipio").unwrap();
    assert_eq!(entry.countries, ["CN", "KP", "MN", "RU"]);
    assert_eq!(entry.names_used.len(), 6);
    assert!(entry.conflicts.iter().any(|m| m.to_string().contains("Grus vipio")));
    // Anser cygnoid (BirdLife) and Anser cygnoides (AviList/eBird) are one species.
    let both =
        "site,date,species,count\nCN1,2019-10-05,Anser cygnoid,7\nKP1,2019-10-05,Anser cygnoides,8\n".to_string();
    let r = run(sites, &[("g.csv", both)], None, &["autumn=09-11"]);
    assert_eq!(c6(&r, "T", "autumn", "Anser cygnoides").peaks["2019"], 15);
}

#[test]
fn unmatched_and_ambiguous_names_are_listed_and_left_out() {
    let sites = "site,country,complex\nA,CN,T\nB,RU,T\n";
    let counts = "site,date,species,count\nA,2019-10-05,Anser cygnoides,600\nB,2019-10-05,Grus monacka,9999\n\
                  B,2019-10-05,Bean Goose,5000\nB,2019-10-05,Anser cygnoides,100\n";
    let r = run(sites, &[("x.csv", counts.to_string())], None, &["autumn=09-11"]);
    let u: Vec<_> =
        r.unmatched_names.iter().map(|u| (u.file.as_str(), u.row, u.name.as_str(), u.column.as_str())).collect();
    assert_eq!(u, [("x.csv", 3, "Grus monacka", "species"), ("x.csv", 4, "Bean Goose", "species")]);
    assert_eq!(r.unmatched_names[0].suggestions[0], "Grus monacha");
    assert_eq!(r.unmatched_names[1].candidates, ["Anser fabalis", "Anser serrirostris"]);
    // Left out of every total: Criterion 5 total on the date = 600 + 100 = 700 only.
    let c5 = r.criterion5.iter().find(|c| c.unit == "T").unwrap();
    assert_eq!(c5.peaks["2019"], 700);
    assert!(!r.species_list.iter().any(|e| e.scientific == "Grus monacha"));
    let rep = r.reports.iter().find(|x| x.file == "x.csv").unwrap();
    assert_eq!((rep.rows_read, rep.rows_used, rep.rows_rejected), (4, 2, 2));
    assert!(rep.balanced());
}

#[test]
fn criterion5_only_for_the_complex_and_eaafp_tests() {
    let sites = "site,country,complex\nA,CN,T\nB,RU,T\n";
    // Autumn totals of all waterbirds on one date, three seasons:
    //   2017: A 12,000 + B 9,000 = 21,000; 2018: 11,000 + 8,500 = 19,500; 2019: 13,000 + 10,000 = 23,000.
    // Complex: 2 of 3 reach 20,000 -> qualifies (two thirds); sites never reach it.
    // A raptor (White-tailed Eagle, not a waterbird family) is not counted in the total.
    let mut counts = String::from("site,date,species,count\n");
    for (y, a, b) in [(2017, 12_000, 9_000), (2018, 11_000, 8_500), (2019, 13_000, 10_000)] {
        counts += &format!("A,{y}-10-01,Anser serrirostris,{}\nA,{y}-10-01,Anser albifrons,{}\n", a / 2, a / 2);
        counts += &format!("B,{y}-10-01,Anser serrirostris,{b}\nB,{y}-10-01,Haliaeetus albicilla,40\n");
    }
    let r = run(sites, &[("c.csv", counts)], None, &["autumn=09-11"]);
    let t = r.criterion5.iter().find(|c| c.unit == "T").unwrap();
    assert_eq!(t.peaks.values().copied().collect::<Vec<_>>(), [21_000, 19_500, 23_000]);
    assert!(t.qualifies && t.test == Some("two_thirds") && t.five_year_mean.is_none());
    assert!(r.criterion5.iter().filter(|c| c.unit != "T").all(|c| !c.qualifies));
    // EAAFP staging total (5,000 at one time): every unit-season with a peak >= 5,000.
    let st = r.eaafp.iter().find(|e| e.unit == "B" && e.test == "staging_total").unwrap();
    assert_eq!((st.max_peak, st.reached_in.len()), (10_000, 3));
    // Population share 0.25% of the shipped Black-faced Spoonbill estimate 7,081 = 17.7025.
    let sp = "site,date,species,count\nA,2019-04-02,Platalea minor,18\nB,2019-04-02,Platalea minor,17\n".to_string();
    let r = run(sites, &[("s.csv", sp)], None, &["spring=03-05"]);
    let a = r.eaafp.iter().find(|e| e.unit == "A" && e.species.as_deref() == Some("Platalea minor")).unwrap();
    let b = r.eaafp.iter().find(|e| e.unit == "B" && e.species.as_deref() == Some("Platalea minor")).unwrap();
    assert!((a.level - 17.7025).abs() < 1e-9);
    assert!(a.passes && !b.passes);
}

#[test]
fn user_thresholds_take_precedence_and_estimates_are_rounded() {
    // Estimate 4,630 -> 1% = 46.3 -> nearest 5 -> 45 (WPE rounding), replacing the default 70.
    let t = "species,population,estimate,threshold\nPlatalea minor,my population,4630,\n";
    let counts = "site,date,species,count\nA,2019-04-02,Platalea minor,46\n".to_string();
    let r = run("site,country\nA,CN\n", &[("c.csv", counts)], Some(t), &["spring=03-05"]);
    let row = c6(&r, "A", "spring", "Platalea minor");
    assert_eq!(row.threshold, 45.0);
    assert!(row.peak_details[0].reached);
    let th = r.thresholds.iter().find(|x| x.scientific == "Platalea minor").unwrap();
    assert!(th.user_supplied && th.estimate == Some(4630.0));
    // The other defaults are still there, with their sources and years.
    assert!(r.thresholds.iter().any(|x| x.scientific == "Grus monacha" && x.year == Some(2025) && !x.user_supplied));
}

#[test]
fn trend_of_annual_peaks() {
    // Complex peaks 100, 110, 121, 133: +10% a season up to rounding (133.1 would be exact), so
    // the fitted annual change is 10% within 0.2 points.
    let counts = spring_rows("Platalea minor", &[(2016, 50, 50), (2017, 55, 55), (2018, 60, 61), (2019, 66, 67)]);
    let r = run(TWO_SITES, &[("c.csv", format!("site,date,species,count\n{counts}"))], None, &["spring=03-05"]);
    let tr = r.trends.iter().find(|t| t.unit == "T" && t.species == "Platalea minor").unwrap();
    assert_eq!(tr.annual_peaks.iter().map(|p| p.1).collect::<Vec<_>>(), [100, 110, 121, 133]);
    let t = tr.trend.as_ref().unwrap();
    assert!((t.annual_change_percent - 10.0).abs() < 0.2, "{}", t.annual_change_percent);
    assert!(t.ci_low_percent < t.annual_change_percent && t.annual_change_percent < t.ci_high_percent);
    assert_eq!(tr.threshold, Some(70.0));
}
