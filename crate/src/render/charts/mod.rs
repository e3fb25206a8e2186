//! Charts of the cross-border summary, drawn with `plotters` into SVG strings.
//!
//! On wasm32 plotters would measure text through the DOM (a `<span>` with an inline style:
//! impossible in a worker, and blocked by the page's Content-Security-Policy). So the charts
//! draw through [`MeasuredSvg`], which measures text itself, and draw their legends
//! themselves: they run the same natively, in the page and in a Web Worker.
//! Colours are the Okabe–Ito palette (Okabe & Ito 2008), distinguishable with colour-blindness.

pub mod data;
pub mod set;
pub mod text;

use crate::identity::summary::Analysis;
use crate::model::lang::Lang;
use crate::model::message::Message;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use serde::{Deserialize, Serialize};
use text::{tr, trf};

/// Width and height (px) of `text` as the SVG backend renders it at plotters size `size`
/// (the SVG backend writes `font-size = size / 1.24`). Advances are typical sans-serif ones:
/// 0.56 em for Latin and Cyrillic letters and digits, 0.3 em for narrow punctuation and
/// spaces, 1 em for CJK and Hangul.
pub fn measure_text(text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24;
    let w: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' | '(' | ')' => 0.3,
            c if is_wide(c) => 1.0,
            c if c.is_uppercase() => 0.66,
            _ => 0.56,
        })
        .sum::<f64>()
        * em;
    (w.ceil() as u32, (em * 1.2).ceil() as u32)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFF60)
}

/// plotters' SVG backend with text measured by [`measure_text`] instead of a font engine or
/// the DOM.
pub struct MeasuredSvg<'a>(SVGBackend<'a>);

impl<'a> MeasuredSvg<'a> {
    pub fn with_string(buf: &'a mut String, size: (u32, u32)) -> Self {
        MeasuredSvg(SVGBackend::with_string(buf, size))
    }
}

impl DrawingBackend for MeasuredSvg<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(p, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(p, s)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(measure_text(text, style.size()))
    }
}

/// Draws a legend box (colour swatch + label per entry) in the upper-right corner, measuring
/// the labels with [`measure_text`].
pub(crate) fn legend(
    root: &DrawingArea<MeasuredSvg, Shift>,
    entries: &[(String, RGBColor)],
    font: &str,
    top: i32,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let size = 13.0;
    let w = entries.iter().map(|(l, _)| measure_text(l, size).0).max().unwrap_or(0) as i32 + 34;
    let line = 20;
    let (x1, y0) = (root.dim_in_pixel().0 as i32 - 14, top);
    let x0 = x1 - w;
    root.draw(&Rectangle::new([(x0, y0), (x1, y0 + line * entries.len() as i32 + 8)], WHITE.mix(0.9).filled()))?;
    root.draw(&Rectangle::new(
        [(x0, y0), (x1, y0 + line * entries.len() as i32 + 8)],
        ShapeStyle::from(&BLACK).stroke_width(1),
    ))?;
    for (k, (label, colour)) in entries.iter().enumerate() {
        let y = y0 + 6 + line * k as i32;
        root.draw(&Rectangle::new([(x0 + 8, y + 3), (x0 + 20, y + 15)], colour.filled()))?;
        root.draw(&Text::new(label.clone(), (x0 + 26, y + 2), (font, size).into_font().color(&BLACK)))?;
    }
    Ok(())
}

/// Okabe–Ito colours, catalog by catalog.
pub const PALETTE: [(u8, u8, u8); 7] =
    [(0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233), (240, 228, 66)];

/// Hex colour of the catalog with load index `i`.
pub fn catalog_colour(i: usize) -> String {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

pub(crate) fn rgb(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Errors while drawing (or computing what a chart shows).
#[derive(Debug, thiserror::Error)]
#[error("chart '{chart}': {message}")]
pub struct ChartError {
    pub chart: &'static str,
    pub message: Message,
}

impl ChartError {
    /// The whole error as a message, to show it in any language.
    pub fn to_message(&self) -> Message {
        Message::new("render.chart.error").with("chart", self.chart).with("message", self.message.clone())
    }
}

/// A drawing backend's error (a bug, not the user's): its text as it is.
pub(crate) fn err<E: std::fmt::Display>(chart: &'static str) -> impl Fn(E) -> ChartError {
    move |e| ChartError { chart, message: Message::untranslated(e.to_string()) }
}

/// Size and language of the charts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChartOptions {
    pub width: u32,
    pub height: u32,
    pub font: String,
    /// Note added to titles of simulated data; the default English note is translated.
    pub simulated_note: String,
    /// Language of titles, axes, legends and text alternatives.
    pub lang: Lang,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 640,
            height: 360,
            font: "sans-serif".into(),
            simulated_note: "SIMULATED DATA".into(),
            lang: Lang::En,
        }
    }
}

impl ChartOptions {
    /// The simulated-data note in the chart's language.
    pub fn simulated_note(&self) -> String {
        if self.simulated_note == "SIMULATED DATA" {
            tr(self.lang, "render.chart.simulated")
        } else {
            self.simulated_note.clone()
        }
    }
}

/// The three charts of the cross-border view, as SVG.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Charts {
    pub detections: String,
    pub crossings: String,
    pub distance: String,
}

/// Draws all charts of an analysis.
pub fn cross_border_charts(a: &Analysis, opts: &ChartOptions) -> Result<Charts, ChartError> {
    Ok(Charts {
        detections: detections_per_individual(a, opts)?,
        crossings: crossings_histogram(a, opts)?,
        distance: distance_histogram(a, opts)?,
    })
}

pub(crate) fn caption(simulated: bool, opts: &ChartOptions, title: &str) -> String {
    if simulated {
        format!("{title} — {}", opts.simulated_note())
    } else {
        title.to_string()
    }
}

/// Stacked bars: detections of each joint individual in each catalog.
///
/// ```
/// # use borderless::{analyze_files, AnalysisOptions, io::InputFile};
/// let a = analyze_files(vec![], &AnalysisOptions::default(), &mut |_| {});
/// let svg = borderless::render::charts::detections_per_individual(&a, &Default::default()).unwrap();
/// assert!(svg.starts_with("<svg"));
/// ```
pub fn detections_per_individual(a: &Analysis, opts: &ChartOptions) -> Result<String, ChartError> {
    const C: &str = "detections";
    let inds = &a.crossborder.individuals;
    let names: Vec<&str> = a.catalogs.iter().map(|c| c.name.as_str()).collect();
    let max = inds.iter().map(|i| i.detections.values().sum::<usize>()).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(a.simulated, opts, &tr(opts.lang, "render.chart.det_ind_title")), (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..inds.len().max(1) as f64, 0f64..max as f64 * 1.25)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(tr(opts.lang, "render.chart.det_ind_x"))
            .y_desc(tr(opts.lang, "render.chart.detections"))
            .x_labels(0)
            .y_label_formatter(&|y| opts.lang.number(*y, 0))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        for (i, ind) in inds.iter().enumerate() {
            let mut base = 0.0;
            for (ci, name) in names.iter().enumerate() {
                let n = *ind.detections.get(*name).unwrap_or(&0) as f64;
                if n > 0.0 {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(i as f64 + 0.1, base), (i as f64 + 0.9, base + n)],
                            rgb(ci).filled(),
                        )))
                        .map_err(err(C))?;
                }
                base += n;
            }
        }
        let entries: Vec<(String, RGBColor)> =
            names.iter().enumerate().map(|(ci, n)| (n.to_string(), rgb(ci))).collect();
        legend(&root, &entries, &opts.font, 44).map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    Ok(svg)
}

fn histogram(
    a: &Analysis,
    opts: &ChartOptions,
    chart_name: &'static str,
    title: &str,
    x_desc: &str,
    bins: &[(String, [usize; 2])],
) -> Result<String, ChartError> {
    let max = bins.iter().map(|b| b.1[0] + b.1[1]).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(chart_name))?;
        let labels: Vec<String> = bins.iter().map(|b| b.0.clone()).collect();
        let n = bins.len().max(1) as i32;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(a.simulated, opts, title), (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(44)
            .build_cartesian_2d((0..n).into_segmented(), 0f64..max as f64 * 1.35)
            .map_err(err(chart_name))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(x_desc)
            .y_desc(tr(opts.lang, "render.chart.individuals"))
            .x_labels(n as usize)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) => labels.get(*k as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| opts.lang.number(*y, 0))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(chart_name))?;
        let colours = [rgb(0), rgb(1)];
        for (k, (_, counts)) in bins.iter().enumerate() {
            let mut base = 0.0;
            for (s, &c) in counts.iter().enumerate() {
                if c > 0 {
                    let top = base + c as f64;
                    let (l, r) = (SegmentValue::Exact(k as i32), SegmentValue::Exact(k as i32 + 1));
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(l, base), (r, top)],
                            colours[s].mix(0.9).filled(),
                        )))
                        .map_err(err(chart_name))?;
                    base = top;
                }
            }
        }
        let entries = [
            (tr(opts.lang, "render.chart.one_country"), colours[0]),
            (tr(opts.lang, "render.chart.transboundary"), colours[1]),
        ];
        legend(&root, &entries, &opts.font, 44).map_err(err(chart_name))?;
        root.present().map_err(err(chart_name))?;
    }
    Ok(svg)
}

fn is_transboundary(d: &std::collections::BTreeMap<String, usize>) -> bool {
    d.values().filter(|&&v| v > 0).count() > 1
}

/// Histogram of border crossings per individual, split into one-country and transboundary.
pub fn crossings_histogram(a: &Analysis, opts: &ChartOptions) -> Result<String, ChartError> {
    let inds = &a.crossborder.individuals;
    let max = inds.iter().map(|i| i.crossings).max().unwrap_or(0);
    let mut bins: Vec<(String, [usize; 2])> = (0..=max).map(|k| (k.to_string(), [0, 0])).collect();
    for i in inds {
        bins[i.crossings].1[is_transboundary(&i.detections) as usize] += 1;
    }
    let l = opts.lang;
    histogram(a, opts, "crossings", &tr(l, "render.chart.crossings_title"), &tr(l, "render.chart.crossings_x"), &bins)
}

/// Histogram of each individual's largest distance from the border (1 km bins).
pub fn distance_histogram(a: &Analysis, opts: &ChartOptions) -> Result<String, ChartError> {
    let inds = &a.crossborder.individuals;
    let ds: Vec<(f64, bool)> = inds
        .iter()
        .filter_map(|i| i.max_distance_from_border_km.map(|d| (d, is_transboundary(&i.detections))))
        .collect();
    let max = ds.iter().map(|d| d.0).fold(0.0f64, f64::max);
    let width = if max > 40.0 { 5.0 } else { 1.0 };
    let n = ((max / width).floor() as usize + 1).max(1);
    let mut bins: Vec<(String, [usize; 2])> = (0..n)
        .map(|k| (format!("{}–{}", (k as f64 * width) as u32, ((k + 1) as f64 * width) as u32), [0, 0]))
        .collect();
    for (d, t) in ds {
        bins[((d / width).floor() as usize).min(n - 1)].1[t as usize] += 1;
    }
    histogram(
        a,
        opts,
        "distance",
        &tr(opts.lang, "render.chart.distance_title"),
        &trf(opts.lang, "render.chart.distance_x", &[("w", opts.lang.number(width, 0))]),
        &bins,
    )
}

/// The fitted detection function against distance from the activity centre (km); `y_desc`
/// says per what unit of effort the probability is.
pub fn detection_function_chart(
    curve: &[(f64, f64)],
    label: &str,
    y_desc: &str,
    simulated: bool,
    opts: &ChartOptions,
) -> Result<String, ChartError> {
    const C: &str = "detection function";
    let xmax = curve.last().map_or(1.0, |p| p.0 / 1000.0).max(1e-6);
    let ymax = curve.iter().map(|p| p.1).fold(0.0f64, f64::max).max(1e-9) * 1.15;
    let title = caption(simulated, opts, &trf(opts.lang, "render.chart.fitted_detection", &[("m", label.to_string())]));
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..xmax, 0f64..ymax)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .x_desc(tr(opts.lang, "render.chart.distance_centre"))
            .y_desc(y_desc)
            .y_label_formatter(&|y| opts.lang.number(*y, 3))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        chart
            .draw_series(LineSeries::new(
                curve.iter().map(|&(d, g)| (d / 1000.0, g)),
                ShapeStyle::from(&rgb(0)).stroke_width(3),
            ))
            .map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    Ok(svg)
}
