//! The survey chart set: every chart with its title and a text alternative (a short
//! description carrying the key numbers), in the chosen language, drawn through
//! [`MeasuredSvg`] (no inline styles; runs in a Web Worker). Colours are Okabe–Ito; where
//! colour would carry meaning, marker shapes, dashes or direct labels carry it too.

use super::data::{Accumulation, CaptureMatrix, EstimateInterval, StationRai};
use super::text::{tr, trf};
use super::{caption, err, legend, rgb, ChartError, ChartOptions, MeasuredSvg};
use crate::activity::overlap::{bandwidth, density_fit, OverlapReport};
use crate::identity::summary::Analysis;
use crate::model::lang::Lang;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// One chart: a stable key, its title, the SVG and its text alternative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedChart {
    pub key: String,
    pub title: String,
    pub svg: String,
    pub alt: String,
}

fn sim(simulated: bool, lang: Lang) -> String {
    if simulated {
        tr(lang, "render.chart.sim_note")
    } else {
        String::new()
    }
}

/// Detections per individual, with its text alternative.
pub fn detections_individual_chart(a: &Analysis, co: &ChartOptions) -> Result<RenderedChart, ChartError> {
    let l = co.lang;
    Ok(RenderedChart {
        key: "detections_individual".into(),
        title: tr(l, "render.chart.det_ind_title"),
        svg: super::detections_per_individual(a, co)?,
        alt: alt_detections_individual(a, l),
    })
}

/// Crossings per individual, with its text alternative.
pub fn crossings_chart(a: &Analysis, co: &ChartOptions) -> Result<RenderedChart, ChartError> {
    let l = co.lang;
    Ok(RenderedChart {
        key: "crossings".into(),
        title: tr(l, "render.chart.crossings_title"),
        svg: super::crossings_histogram(a, co)?,
        alt: alt_crossings(a, l),
    })
}

/// Maximum distance from the border per individual, with its text alternative.
pub fn distance_chart(a: &Analysis, co: &ChartOptions) -> Result<RenderedChart, ChartError> {
    let l = co.lang;
    Ok(RenderedChart {
        key: "distance".into(),
        title: tr(l, "render.chart.distance_title"),
        svg: super::distance_histogram(a, co)?,
        alt: alt_distance(a, l),
    })
}

fn alt_detections_individual(a: &Analysis, l: Lang) -> String {
    trf(
        l,
        "render.chart.alt_det_ind",
        &[
            ("sim", sim(a.simulated, l)),
            ("n", l.number(a.crossborder.summary.unique_individuals as f64, 0)),
            ("t", l.number(a.crossborder.summary.transboundary_individuals as f64, 0)),
        ],
    )
}

fn alt_crossings(a: &Analysis, l: Lang) -> String {
    let inds = &a.crossborder.individuals;
    trf(
        l,
        "render.chart.alt_crossings",
        &[
            ("sim", sim(a.simulated, l)),
            ("t", l.number(inds.iter().filter(|i| i.crossings > 0).count() as f64, 0)),
            ("n", l.number(inds.len() as f64, 0)),
            ("max", l.number(inds.iter().map(|i| i.crossings).max().unwrap_or(0) as f64, 0)),
        ],
    )
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn alt_distance(a: &Analysis, l: Lang) -> String {
    let mut d: Vec<f64> = a.crossborder.individuals.iter().filter_map(|i| i.max_distance_from_border_km).collect();
    let max = d.iter().copied().fold(0.0, f64::max);
    let med = median(&mut d);
    trf(
        l,
        "render.chart.alt_distance",
        &[("sim", sim(a.simulated, l)), ("med", l.number(med, 1)), ("max", l.number(max, 1))],
    )
}

/// Bars of detections per country (catalog), each bar named under it.
pub fn detections_per_country(a: &Analysis, opts: &ChartOptions) -> Result<RenderedChart, ChartError> {
    const C: &str = "detections per country";
    let l = opts.lang;
    let cats: Vec<(String, usize)> = a.catalogs.iter().map(|c| (c.name.clone(), c.detections)).collect();
    let max = cats.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let n = cats.len().max(1) as i32;
    let title = tr(l, "render.chart.det_country_title");
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(a.simulated, opts, &title), (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d((0..n).into_segmented(), 0f64..max * 1.2)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(tr(l, "render.chart.detections"))
            .x_labels(n as usize)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) => cats.get(*k as usize).map(|c| c.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| l.number(*y, 0))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        for (k, (_, d)) in cats.iter().enumerate() {
            let (x0, x1) = (SegmentValue::Exact(k as i32), SegmentValue::Exact(k as i32 + 1));
            chart
                .draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, *d as f64)], rgb(k).filled())))
                .map_err(err(C))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    l.number(*d as f64, 0),
                    (SegmentValue::CenterOf(k as i32), *d as f64 + max * 0.03),
                    (opts.font.as_str(), 13).into_font().color(&BLACK),
                )))
                .map_err(err(C))?;
        }
        root.present().map_err(err(C))?;
    }
    let list = cats.iter().map(|(c, d)| format!("{c} {}", l.number(*d as f64, 0))).collect::<Vec<_>>().join(", ");
    Ok(RenderedChart {
        key: "detections_country".into(),
        title,
        svg,
        alt: trf(l, "render.chart.alt_det_country", &[("sim", sim(a.simulated, l)), ("list", list)]),
    })
}

/// The capture-history matrix: one row per individual, one column per occasion; one detection
/// in blue, two or more in vermillion with a white dot (so the difference is not colour alone).
pub fn capture_matrix_chart(
    m: &CaptureMatrix,
    simulated: bool,
    opts: &ChartOptions,
) -> Result<RenderedChart, ChartError> {
    const C: &str = "capture histories";
    let l = opts.lang;
    let n = m.animals.len();
    let k = m.occasions.max(1);
    let height = opts.height.max(14 * n as u32 + 110);
    let label_w = m.animals.iter().map(|a| super::measure_text(a, 10.0).0).max().unwrap_or(0) + 12;
    let title = tr(l, "render.chart.capture_title");
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(simulated, opts, &title), (opts.font.as_str(), 18))
            .margin(10)
            .margin_right(170)
            .x_label_area_size(40)
            .y_label_area_size(label_w.max(40))
            .build_cartesian_2d(0f64..k as f64, 0f64..n.max(1) as f64)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(trf(l, "render.chart.capture_x", &[("d", l.number(m.occasion_days, 0))]))
            .x_labels(k.min(20))
            .x_label_formatter(&|x| l.number(x.floor() + 1.0, 0))
            .y_labels(0)
            .label_style((opts.font.as_str(), 10))
            .draw()
            .map_err(err(C))?;
        // Row labels beside their rows, placed in pixels (plotters' own labels go to "nice" values).
        for (i, name) in m.animals.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, (n - 1 - i) as f64 + 0.5));
            let w = super::measure_text(name, 10.0).0 as i32;
            root.draw(&Text::new(
                name.clone(),
                (px - 6 - w, py - 5),
                (opts.font.as_str(), 10).into_font().color(&BLACK),
            ))
            .map_err(err(C))?;
        }
        let grey = RGBColor(220, 220, 220);
        for (i, row) in m.counts.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            for (j, &c) in row.iter().enumerate() {
                let x = j as f64;
                let fillc = match c {
                    0 => grey,
                    1 => rgb(0),
                    _ => rgb(1),
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x + 0.06, y + 0.1), (x + 0.94, y + 0.9)],
                        fillc.filled(),
                    )))
                    .map_err(err(C))?;
                if c > 1 {
                    chart
                        .draw_series(std::iter::once(Circle::new((x + 0.5, y + 0.5), 2, WHITE.filled())))
                        .map_err(err(C))?;
                }
            }
        }
        let entries = [(tr(l, "render.chart.once"), rgb(0)), (tr(l, "render.chart.more"), rgb(1))];
        legend(&root, &entries, &opts.font, 44).map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    let cells = m.counts.iter().flatten().filter(|&&c| c > 0).count();
    let recaptured = m.counts.iter().filter(|r| r.iter().filter(|&&c| c > 0).count() > 1).count();
    Ok(RenderedChart {
        key: "capture_matrix".into(),
        title,
        svg,
        alt: trf(
            l,
            "render.chart.alt_capture",
            &[
                ("sim", sim(simulated, l)),
                ("n", l.number(n as f64, 0)),
                ("k", l.number(m.occasions as f64, 0)),
                ("d", l.number(m.occasion_days, 0)),
                ("c", l.number(cells as f64, 0)),
                ("r", l.number(recaptured as f64, 0)),
            ],
        ),
    })
}

/// Colour index and legend text of an estimate's kind.
fn kind_style(kind: &str, l: Lang) -> (usize, String) {
    match kind {
        "closed" => (0, tr(l, "render.chart.closed")),
        "jackknife" => (2, tr(l, "render.chart.jackknife")),
        "secr" => (1, tr(l, "render.chart.secr")),
        _ => (3, tr(l, "render.chart.naive")),
    }
}

/// Dot-and-whisker chart of population estimates: a dot per estimate and its 95% interval;
/// closed models as circles, the jackknife as triangles, SECR as squares and the naive sum as a
/// cross, each in its own Okabe–Ito colour.
pub fn estimates_chart(
    est: &[EstimateInterval],
    simulated: bool,
    opts: &ChartOptions,
) -> Result<RenderedChart, ChartError> {
    const C: &str = "estimates";
    let l = opts.lang;
    let n = est.len().max(1) as i32;
    let values: Vec<f64> =
        est.iter().flat_map(|e| [Some(e.estimate), e.lcl, e.ucl]).flatten().filter(|v| v.is_finite()).collect();
    let mut ests: Vec<f64> = est.iter().map(|e| e.estimate).collect();
    let med = median(&mut ests);
    let cap = if med.is_finite() { med * 4.0 } else { f64::INFINITY };
    let xmin = values.iter().copied().fold(f64::INFINITY, f64::min).min(cap);
    let xmax = values.iter().copied().fold(f64::NEG_INFINITY, f64::max).min(cap);
    let (xmin, xmax) = if xmin.is_finite() && xmax > xmin { (xmin, xmax) } else { (0.0, 1.0) };
    let pad = (xmax - xmin) * 0.08;
    let (x0, x1) = ((xmin - pad).max(0.0), xmax + pad);
    let height = opts.height.max(26 * n as u32 + 110);
    let label_w = est.iter().map(|e| super::measure_text(&e.label_in(l), 12.0).0).max().unwrap_or(0) + 14;
    let title = tr(l, "render.chart.estimates_title");
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        // The legend sits right of the plot; the title is drawn over the whole width.
        let (w, _) = super::measure_text(&caption(simulated, opts, &title), 17.0);
        root.draw(&Text::new(
            caption(simulated, opts, &title),
            ((opts.width as i32 - w as i32).max(0) / 2, 8),
            (opts.font.as_str(), 17).into_font().color(&BLACK),
        ))
        .map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_top(36)
            .margin_right(190)
            .x_label_area_size(40)
            .y_label_area_size(label_w)
            .build_cartesian_2d(x0..x1, (0..n).into_segmented())
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(tr(l, "render.chart.animals_n"))
            .x_label_formatter(&|x| l.number(*x, 0))
            .y_labels(n as usize)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) => est.get(*k as usize).map(|e| e.label_in(l)).unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        for (k, e) in est.iter().enumerate() {
            let (ci, _) = kind_style(&e.kind, l);
            let colour = rgb(ci);
            let y = || SegmentValue::CenterOf(k as i32);
            if let (Some(lo), Some(hi)) = (e.lcl, e.ucl) {
                let (lo, hi) = (lo.clamp(x0, x1), hi.clamp(x0, x1));
                chart
                    .draw_series(std::iter::once(PathElement::new(vec![(lo, y()), (hi, y())], colour.stroke_width(2))))
                    .map_err(err(C))?;
            }
            let x = e.estimate.clamp(x0, x1);
            let style = colour.filled();
            match e.kind.as_str() {
                "closed" => chart.draw_series(std::iter::once(Circle::new((x, y()), 5, style))).map(|_| ()),
                "jackknife" => chart.draw_series(std::iter::once(TriangleMarker::new((x, y()), 7, style))).map(|_| ()),
                "secr" => chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((x, y())) + Rectangle::new([(-5, -5), (5, 5)], style),
                    ))
                    .map(|_| ()),
                _ => chart.draw_series(std::iter::once(Cross::new((x, y()), 6, colour.stroke_width(3)))).map(|_| ()),
            }
            .map_err(err(C))?;
        }
        let mut entries: Vec<(String, RGBColor)> =
            est.iter().map(|e| kind_style(&e.kind, l)).map(|(c, text)| (text, rgb(c))).collect();
        entries.dedup();
        legend(&root, &entries, &opts.font, 44).map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    let list = est
        .iter()
        .map(|e| match (e.lcl, e.ucl) {
            (Some(lo), Some(hi)) => {
                format!("{} {} ({}–{})", e.label_in(l), l.number(e.estimate, 1), l.number(lo, 1), l.number(hi, 1))
            }
            _ => format!("{} {}", e.label_in(l), l.number(e.estimate, 1)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(RenderedChart {
        key: "estimates".into(),
        title,
        svg,
        alt: trf(l, "render.chart.alt_estimates", &[("sim", sim(simulated, l)), ("list", list)]),
    })
}

/// RAI per station as bars, grouped by country (each group named above it), highest first.
pub fn rai_chart(rai: &[StationRai], simulated: bool, opts: &ChartOptions) -> Result<RenderedChart, ChartError> {
    const C: &str = "rai";
    let l = opts.lang;
    let mut cats: Vec<&str> = rai.iter().map(|r| r.catalog.as_str()).collect();
    cats.dedup();
    let mut ordered: Vec<(usize, &StationRai)> = Vec::new();
    for (ci, c) in cats.iter().enumerate() {
        let mut g: Vec<&StationRai> = rai.iter().filter(|r| r.catalog == *c).collect();
        g.sort_by(|a, b| b.rai.unwrap_or(-1.0).total_cmp(&a.rai.unwrap_or(-1.0)));
        ordered.extend(g.into_iter().map(|r| (ci, r)));
    }
    let n = ordered.len().max(1) as f64;
    let max = rai.iter().filter_map(|r| r.rai).fold(0.0, f64::max).max(1e-9);
    let title = tr(l, "render.chart.rai_title");
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(simulated, opts, &title), (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..n, 0f64..max * 1.25)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(tr(l, "render.chart.stations_by_rai"))
            .y_desc(tr(l, "render.chart.rai_y"))
            .x_labels(0)
            .y_label_formatter(&|y| l.number(*y, 1))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        for (i, (ci, r)) in ordered.iter().enumerate() {
            if let Some(v) = r.rai.filter(|v| *v > 0.0) {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(i as f64 + 0.1, 0.0), (i as f64 + 0.9, v)],
                        rgb(*ci).filled(),
                    )))
                    .map_err(err(C))?;
            }
        }
        let mut start = 0usize;
        for (ci, c) in cats.iter().enumerate() {
            let len = ordered.iter().filter(|(k, _)| *k == ci).count();
            if start > 0 {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(start as f64, 0.0), (start as f64, max * 1.25)],
                        BLACK.stroke_width(1),
                    )))
                    .map_err(err(C))?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    c.to_string(),
                    (start as f64 + 0.5, max * 1.2),
                    (opts.font.as_str(), 14).into_font().color(&rgb(ci)),
                )))
                .map_err(err(C))?;
            start += len;
        }
        root.present().map_err(err(C))?;
    }
    let with: Vec<&StationRai> = rai.iter().filter(|r| r.rai.is_some()).collect();
    let mean = with.iter().filter_map(|r| r.rai).sum::<f64>() / with.len().max(1) as f64;
    let top = with.iter().max_by(|a, b| a.rai.unwrap_or(0.0).total_cmp(&b.rai.unwrap_or(0.0)));
    let zero = rai.iter().filter(|r| r.detections == 0).count();
    Ok(RenderedChart {
        key: "rai".into(),
        title,
        svg,
        alt: trf(
            l,
            "render.chart.alt_rai",
            &[
                ("sim", sim(simulated, l)),
                ("n", l.number(rai.len() as f64, 0)),
                ("mean", l.number(mean, 2)),
                ("max", l.number(top.and_then(|r| r.rai).unwrap_or(0.0), 2)),
                ("top", top.map(|r| format!("{}:{}", r.catalog, r.station)).unwrap_or_default()),
                ("zero", l.number(zero as f64, 0)),
            ],
        ),
    })
}

/// The expected species accumulation curve (exact rarefaction, Colwell et al. 2004).
pub fn accumulation_chart(
    acc: &Accumulation,
    simulated: bool,
    opts: &ChartOptions,
) -> Result<RenderedChart, ChartError> {
    const C: &str = "accumulation";
    let l = opts.lang;
    let by_days = acc.sample == "days";
    let (key, title, xdesc) = if by_days {
        ("accumulation_days", tr(l, "render.chart.accum_title_days"), tr(l, "render.chart.survey_days"))
    } else {
        ("accumulation_stations", tr(l, "render.chart.accum_title_stations"), tr(l, "render.chart.stations"))
    };
    let n = acc.samples.max(1);
    let ymax = (acc.observed as f64).max(1.0) * 1.15;
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(simulated, opts, &title), (opts.font.as_str(), 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..n as f64, 0f64..ymax)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .x_desc(xdesc.as_str())
            .y_desc(tr(l, "render.chart.species_expected"))
            .x_label_formatter(&|x| l.number(*x, 0))
            .y_label_formatter(&|y| l.number(*y, 1))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
            .chain(acc.expected.iter().enumerate().map(|(h, s)| ((h + 1) as f64, *s)))
            .collect();
        chart.draw_series(LineSeries::new(pts, rgb(0).stroke_width(3))).map_err(err(C))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, acc.observed as f64), (n as f64, acc.observed as f64)],
                RGBColor(120, 120, 120).stroke_width(1),
            )))
            .map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    let at = |h: usize| acc.expected.get(h.saturating_sub(1)).copied().unwrap_or(f64::NAN);
    let half = n.div_ceil(2);
    let species = acc.incidence.keys().cloned().collect::<Vec<_>>().join(", ");
    Ok(RenderedChart {
        key: key.into(),
        title,
        svg,
        alt: trf(
            l,
            "render.chart.alt_accum",
            &[
                ("sim", sim(simulated, l)),
                ("what", xdesc.clone()),
                ("first", l.number(at(1), 2)),
                ("half", l.number(at(half), 2)),
                ("h", l.number(half as f64, 0)),
                ("all", l.number(at(n), 2)),
                ("n", l.number(n as f64, 0)),
                ("species", species),
            ],
        ),
    })
}

/// Kernel densities of two samples of times (radians) over 0–24 h (per hour), the overlap
/// shaded; species A solid with circles, B dashed with triangles.
pub fn diel_chart(
    a: &[f64],
    b: &[f64],
    r: &OverlapReport,
    sun: bool,
    simulated: bool,
    opts: &ChartOptions,
) -> Result<RenderedChart, ChartError> {
    const C: &str = "diel activity";
    let l = opts.lang;
    let grid: Vec<f64> = (0..=240).map(|i| i as f64 / 240.0 * 2.0 * PI).collect();
    let per_hour = 2.0 * PI / 24.0;
    let dens =
        |x: &[f64], bw: f64| -> Vec<f64> { density_fit(x, &grid, bw).into_iter().map(|d| d * per_hour).collect() };
    let fa = dens(a, bandwidth(a, 3).unwrap_or(r.bandwidth_a));
    let fb = dens(b, bandwidth(b, 3).unwrap_or(r.bandwidth_b));
    let hours: Vec<f64> = grid.iter().map(|g| g / per_hour).collect();
    let ymax = fa.iter().chain(&fb).copied().fold(0.0, f64::max).max(1e-9) * 1.3;
    // Title and legend name the species in the chosen language; the text alternative keeps the
    // scientific names as well.
    let (name_a, name_b) =
        (crate::model::species::common_name(&r.species_a, l), crate::model::species::common_name(&r.species_b, l));
    let title = trf(l, "render.chart.diel_title", &[("a", name_a.clone()), ("b", name_b.clone())]);
    let dhat = l.number(r.recommended_estimate, 3);
    let mut svg = String::new();
    {
        let root = MeasuredSvg::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(C))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption(simulated, opts, &title), (opts.font.as_str(), 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(52)
            .build_cartesian_2d(0f64..24.0, 0f64..ymax)
            .map_err(err(C))?;
        chart
            .configure_mesh()
            .x_desc(if sun { tr(l, "render.chart.sun_hours") } else { tr(l, "render.chart.clock_hours") })
            .y_desc(tr(l, "render.chart.density"))
            .x_labels(9)
            .x_label_formatter(&|x| l.number(*x, 0))
            .y_label_formatter(&|y| l.number(*y, 3))
            .label_style((opts.font.as_str(), 12))
            .draw()
            .map_err(err(C))?;
        let mut poly: Vec<(f64, f64)> =
            hours.iter().zip(fa.iter().zip(&fb)).map(|(h, (x, y))| (*h, x.min(*y))).collect();
        poly.push((24.0, 0.0));
        poly.push((0.0, 0.0));
        chart
            .draw_series(std::iter::once(Polygon::new(poly, RGBColor(120, 120, 120).mix(0.35).filled())))
            .map_err(err(C))?;
        let ca = rgb(0);
        let cb = rgb(1);
        chart
            .draw_series(LineSeries::new(hours.iter().copied().zip(fa.iter().copied()), ca.stroke_width(3)))
            .map_err(err(C))?;
        chart
            .draw_series((0..=240).step_by(20).map(|i| Circle::new((hours[i], fa[i]), 4, ca.filled())))
            .map_err(err(C))?;
        chart
            .draw_series(DashedLineSeries::new(hours.iter().copied().zip(fb.iter().copied()), 8, 5, cb.stroke_width(3)))
            .map_err(err(C))?;
        chart
            .draw_series((10..=240).step_by(20).map(|i| TriangleMarker::new((hours[i], fb[i]), 6, cb.filled())))
            .map_err(err(C))?;
        let entries = [
            (format!("{} (n = {})", name_a, l.number(r.n_a as f64, 0)), ca),
            (format!("{} (n = {})", name_b, l.number(r.n_b as f64, 0)), cb),
            (trf(l, "render.chart.overlap", &[("d", dhat.clone())]), RGBColor(170, 170, 170)),
        ];
        legend(&root, &entries, &opts.font, 40).map_err(err(C))?;
        root.present().map_err(err(C))?;
    }
    let act = |v: Option<f64>| v.map_or("—".to_string(), |x| l.number(x, 2));
    Ok(RenderedChart {
        key: "diel".into(),
        title,
        svg,
        alt: trf(
            l,
            "render.chart.alt_diel",
            &[
                ("sim", sim(simulated, l)),
                ("a", r.species_a.clone()),
                ("b", r.species_b.clone()),
                ("na", l.number(r.n_a as f64, 0)),
                ("nb", l.number(r.n_b as f64, 0)),
                ("aa", act(r.activity_a)),
                ("ab", act(r.activity_b)),
                ("d", dhat),
                ("est", r.recommended.clone()),
            ],
        ),
    })
}
