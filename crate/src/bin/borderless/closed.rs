//! `borderless closed`: closed-population capture–recapture models (Rcapture).

use super::common::{file_error, gather, pad, print_issues, say, CatalogArgs};
use borderless::model::message::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct ClosedArgs {
    /// Capture histories CSV: header row, one 0/1 column per occasion (optional ID column first).
    #[arg(long, required_unless_present = "catalogs")]
    pub(crate) histories: Option<PathBuf>,
    /// Or: camera-trap catalogs joined by --links: one history per joint individual.
    #[command(flatten)]
    pub(crate) inputs: Box<CatalogArgs>,
    /// With catalogs: occasion length in days.
    #[arg(long, default_value_t = 15.0)]
    pub(crate) occasion_days: f64,
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
            let bytes = std::fs::read(path).map_err(|e| file_error(path.display(), e))?;
            borderless::io::histories::read_histories_csv(&path.display().to_string(), &bytes)
                .map_err(|e| borderless::pipeline::located(&e))?
        }
        None => {
            let (files, opts) = gather(&a.inputs)?;
            let loaded = borderless::pipeline::load_files(files, &opts, &mut |_| {});
            if print_issues(loaded.reports.iter().flat_map(|r| r.issues.iter())).0 {
                return Ok(2);
            }
            let dh = borderless::estimation::occasions::build(&loaded.catalogs, &loaded.joint, a.occasion_days)
                .map_err(|e| e.message())?;
            eprintln!(
                "{}",
                say(Message::new("cli.closed.note")
                    .with("animals", dh.animals.len())
                    .with("occasions", dh.occasions)
                    .with("days", a.occasion_days))
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
