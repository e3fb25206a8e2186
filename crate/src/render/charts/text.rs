//! The words drawn on the charts and said in their text alternatives. They live in the message
//! catalogue with every other word Borderless shows (`crate/i18n/render.json`, codes
//! `render.chart.…`), in the five interface languages; `{…}` marks a value filled in.

use crate::model::lang::Lang;
use crate::model::message::Message;

/// The phrase `code` in `lang` (the code itself if unknown: a bug, visible on the chart; a test
/// checks that every code used exists).
///
/// ```
/// use borderless::{model::lang::Lang, render::charts::text::tr};
/// assert_eq!(tr(Lang::Ru, "render.chart.density"), "плотность");
/// ```
pub fn tr(lang: Lang, code: &str) -> String {
    Message::new(code).text(lang)
}

/// The phrase `code` in `lang` with each `{name}` replaced by its value.
///
/// ```
/// use borderless::{model::lang::Lang, render::charts::text::trf};
/// assert_eq!(trf(Lang::En, "render.chart.overlap", &[("d", "0.80".into())]), "overlap Δ̂ = 0.80");
/// ```
pub fn trf(lang: Lang, code: &str, vars: &[(&str, String)]) -> String {
    vars.iter().fold(Message::new(code), |m, (k, v)| m.with(k, v.as_str())).text(lang)
}
