//! `borderless closed`: closed-population capture–recapture models (Rcapture).

use super::common::{gather, pad, print_issues, read_input, say, CatalogArgs};
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct ClosedArgs {
    /// Capture histories CSV: header row, one 0/1 column per occasion (optional ID column first).
    /// Rows with no capture (all zeros) are skipped and counted, as Rcapture does.
    #[arg(long, required_unless_present_any = ["catalogs", "camtrapr"])]
    pub(crate) histories: Option<PathBuf>,
    /// Or: camera-trap catalogs (--catalog, --camtrapr) joined by --links: one history per joint
    /// individual.
    #[command(flatten)]
    pub(crate) inputs: Box<CatalogArgs>,
    /// With catalogs: occasion length in days; the closed models take 2 to 16 occasions.
    /// Default: 15 days when that gives 2 to 12 occasions; for surveys over 180 days the
    /// shortest whole number of days giving at most 12 occasions (⌈span / 12⌉: more occasions
    /// cost twice the time each); for surveys of at most 15 days ⌊span / 5⌋ (at least 1). The
    /// length chosen is printed as a note.
    #[arg(long)]
    pub(crate) occasion_days: Option<f64>,
    /// Models to fit: "all" or a comma-separated list of Rcapture names (M0,Mt,MhC,MhP,MhD,MhG,MthC,...,Mb,Mbh).
    #[arg(long, default_value = "all")]
    pub(crate) models: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn closed(a: ClosedArgs) -> Result<i32, Message> {
    use borderless::estimation::closed::{fit, jackknife, ClosedModel};
    let h = match &a.histories {
        Some(path) => {
            let input = read_input(path, path.display().to_string())?;
            let (h, report) =
                borderless::io::histories::read_histories(&input).map_err(|e| borderless::pipeline::located(&e))?;
            print_issues([&report]);
            h
        }
        None => {
            let (files, opts) = gather(&a.inputs)?;
            let loaded = borderless::pipeline::load_files(files, &opts, &mut |_| {});
            if print_issues(&loaded.reports).0 {
                return Ok(2);
            }
            let days = occasion_days(&loaded.catalogs, a.occasion_days)?;
            let dh = borderless::estimation::occasions::build(&loaded.catalogs, &loaded.joint, days)
                .map_err(|e| e.message())?;
            eprintln!(
                "{}",
                say(Message::new("cli.closed.note")
                    .with("animals", dh.animals.len())
                    .with("occasions", dh.occasions)
                    .with("days", days))
            );
            dh.closed_histories().map_err(|e| e.message())?
        }
    };
    let models: Vec<ClosedModel> = if a.models.trim().eq_ignore_ascii_case("all") {
        ClosedModel::ALL.into_iter().filter(|m| h.occasions() >= m.min_occasions()).collect()
    } else {
        a.models.split(',').map(|m| m.parse::<ClosedModel>()).collect::<Result<_, _>>()?
    };
    let fits: Vec<_> = models.iter().map(|&m| (m, fit(&h, m))).collect();
    let failed = fits.iter().any(|(_, r)| r.is_err());
    if a.json {
        let rows: Vec<serde_json::Value> = fits
            .iter()
            .map(|(m, r)| match r {
                Ok(f) => serde_json::json!({
                    "model": f.model, "N": f.abundance, "se": f.se, "deviance": f.deviance, "df": f.df,
                    "aic": f.aic, "bic": f.bic, "lcl": f.lcl, "ucl": f.ucl, "converged": f.converged,
                    "iterations": f.iterations, "termination": f.termination, "info_fit": f.info_fit,
                    "warnings": f.warnings, "warnings_codes": f.warnings_codes,
                }),
                Err(e) => {
                    serde_json::json!({ "model": m.name(), "error": e.to_string(), "error_code": e.message() })
                }
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?);
    } else {
        println!("{}\n", say(Message::new("cli.closed.units").with("n", h.animals()).with("occasions", h.occasions())));
        println!(
            "{} {:>10} {:>8} {} {:>4} {:>9} {:>9} {:>9} {:>9}  {}",
            pad(&say(Message::new("cli.closed.model")), 14, false),
            "N",
            "se",
            pad(&say(Message::new("cli.closed.deviance")), 9, true),
            "df",
            "AIC",
            "BIC",
            "lcl",
            "ucl",
            say(Message::new("cli.closed.fit"))
        );
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into());
        for (m, r) in &fits {
            match r {
                Ok(f) => println!(
                    "{:<14} {:>10.1} {:>8.1} {:>9.3} {:>4} {:>9.3} {:>9.3} {:>9} {:>9}  {}{}",
                    f.model,
                    f.abundance,
                    f.se,
                    f.deviance,
                    f.df,
                    f.aic,
                    f.bic,
                    opt(f.lcl),
                    opt(f.ucl),
                    say(Message::new(if f.converged { "cli.closed.converged" } else { "cli.closed.max_iterations" })),
                    if f.warnings_codes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", f.warnings_codes.iter().map(|w| say(w.clone())).collect::<Vec<_>>().join("; "))
                    }
                ),
                Err(e) => {
                    println!("{:<14} {}", m.name(), say(Message::new("cli.closed.error").with("message", e.message())))
                }
            }
        }
        let j = jackknife(&h);
        println!(
            "\n{}",
            say(Message::new("cli.closed.jackknife")
                .with("order", j.selected_order)
                .with("n", j.abundance)
                .with("se", j.se)
                .with("lcl", opt(j.lcl))
                .with("ucl", opt(j.ucl)))
        );
    }
    Ok(if failed { 1 } else { 0 })
}

/// The occasion length for the closed models on catalogs: the user's, when it gives 2 to 16
/// occasions over the survey (else an error naming the whole-day lengths that do), or the
/// default of [`borderless::estimation::occasions::default_closed_occasion_days`], printed as a note.
fn occasion_days(catalogs: &[borderless::model::Catalog], given: Option<f64>) -> Result<f64, Message> {
    use borderless::estimation::occasions::{
        closed_occasion_day_range, default_closed_occasion_days, occasion_count, survey_days,
    };
    use borderless::model::histories::MAX_OCCASIONS;
    let Some(span) = survey_days(catalogs) else {
        return Ok(given.unwrap_or(15.0)); // no stations: `build` says so
    };
    let span_text = format!("{span:.1}");
    match given {
        Some(d) if d.is_finite() && d > 0.0 => {
            let n = occasion_count(span, d);
            if (2..=MAX_OCCASIONS).contains(&n) {
                return Ok(d);
            }
            let m = Message::new("cli.closed.occasion_days_fit")
                .with("days", d)
                .with("n", n)
                .with("span", span_text)
                .with("max", MAX_OCCASIONS);
            Err(match closed_occasion_day_range(span) {
                Some((lo, hi)) => {
                    m.with("range", Message::new("cli.closed.occasion_days_range").with("lo", lo).with("hi", hi))
                }
                None => m.with("range", Message::new("cli.closed.occasion_days_none")),
            })
        }
        Some(d) => Ok(d), // not a positive length: `build` says so
        None => {
            let d = default_closed_occasion_days(span);
            let m = Message::new("cli.closed.occasion_days_chosen")
                .with("days", d)
                .with("n", occasion_count(span, d))
                .with("span", span_text);
            eprintln!("{}", say(m));
            Ok(d)
        }
    }
}
