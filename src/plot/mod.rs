//! Charts for planners and reports, drawn from plain data into PNG and SVG.
//!
//! The module knows nothing of the simulator: every chart takes the plain structs of
//! [`data`], so a summary, a sweep's results or a trace can be adapted to them. Each chart
//! kind is a pair of functions: one writes `STEM.png` and `STEM.svg` and returns their paths,
//! the other (`…_svg`) returns the SVG as a string for embedding in an HTML page.
//!
//! | chart | functions |
//! | --- | --- |
//! | clearance-time ECDFs, p90 and SLA markers | [`ecdf`], [`ecdf_svg`] |
//! | share of shipments per time bin | [`histogram`], [`histogram_svg`] |
//! | ECDFs per mode, small multiples | [`mode_grid`], [`mode_grid_svg`] |
//! | a value by hour of week | [`hour_of_week()`], [`hour_of_week_svg`] |
//! | officers on duty vs demand, per pool | [`roster_demand`], [`roster_demand_svg`] |
//! | daily values with peaks and holidays | [`season()`], [`season_svg`] |
//! | a designed roster against demand, per day type | [`roster_design()`], [`roster_design_svg`] |
//! | Time Release Study stage bars | [`stages()`], [`stages_svg`] |
//! | a metric against a swept value, 95 % CI bands | [`sweep()`], [`sweep_svg`] |
//! | a metric over two swept values, cells within the noise of the best hatched | [`heatmap`], [`heatmap_svg`] |
//! | means of unordered categories with 95 % CI whiskers | [`category()`], [`category_svg`] |
//! | a figure's swing per input, base marked, CI whiskers | [`tornado()`], [`tornado_svg`] |
//!
//! Text is drawn with an embedded font (Noto Sans), registered once per process, so no
//! system font library is needed. Series take the colour-blind-friendly Okabe–Ito palette
//! ([`OKABE_ITO`]) in order. Output is deterministic: the same data gives the same bytes.

use std::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, TextStyle};

pub mod category;
pub mod data;
pub mod distribution;
pub mod hour_of_week;
pub mod roster_design;
pub mod season;
pub mod stages;
pub mod sweep;
mod text;
pub mod tornado;

pub use category::{category, category_svg};
pub use data::*;
pub use distribution::{ecdf, ecdf_svg, histogram, histogram_svg, mode_grid, mode_grid_svg};
pub use hour_of_week::{hour_of_week, hour_of_week_svg, roster_demand, roster_demand_svg};
pub use roster_design::{roster_design, roster_design_svg};
pub use season::{season, season_svg};
pub use stages::{stages, stages_svg};
pub use sweep::{heatmap, heatmap_svg, sweep, sweep_svg};
pub use tornado::{TornadoBar, TornadoChart, tornado, tornado_svg};

/// Why a chart could not be drawn or written.
#[derive(Debug, Clone, PartialEq)]
pub enum PlotError {
    /// The data cannot be drawn (no series, wrong length, not finite); the text says what.
    Data(String),
    /// Drawing failed inside the plotting library (font, backend, encoder).
    Draw(String),
    /// A file could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::Data(message) => write!(f, "cannot plot: {message}"),
            PlotError::Draw(message) => write!(f, "drawing failed: {message}"),
            PlotError::Io { path, message } => {
                write!(f, "cannot write {}: {message}", path.display())
            }
        }
    }
}

impl Error for PlotError {}

impl<E: Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        PlotError::Draw(error.to_string())
    }
}

/// The Okabe–Ito palette, ordered for lines on white: blue, vermillion, bluish green,
/// reddish purple, orange, sky blue, black, yellow. Series take these colours in order.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// The colour of the series at `index`: the palette in order, then (so no colour repeats
/// within a figure of up to 24 series) its colours darkened, then lightened.
pub fn series_color(index: usize) -> RGBColor {
    let c = OKABE_ITO[index % OKABE_ITO.len()];
    match (index / OKABE_ITO.len()) % 3 {
        0 => c,
        // Black cannot darken: grey instead.
        1 if c == RGBColor(0, 0, 0) => RGBColor(150, 150, 150),
        1 => RGBColor(
            (f64::from(c.0) * 0.55).round() as u8,
            (f64::from(c.1) * 0.55).round() as u8,
            (f64::from(c.2) * 0.55).round() as u8,
        ),
        _ => tint(c, 0.45),
    }
}

/// Registers the embedded font as "sans-serif" (once per process; later calls are free).
/// Every chart function calls it; call it yourself only to draw with plotters directly.
pub fn register_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, ttf_noto_sans::REGULAR)
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Draw(
            "the embedded font could not be loaded".into(),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Style shared by the charts.

/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text (subtitles, notes).
pub(crate) const MUTED: RGBColor = RGBColor(95, 95, 95);
/// Axis lines and tick marks.
pub(crate) const AXIS_LINE: RGBColor = RGBColor(110, 110, 110);
/// Major grid lines.
pub(crate) const GRID: RGBColor = RGBColor(222, 222, 222);
/// Minor grid lines.
pub(crate) const GRID_LIGHT: RGBColor = RGBColor(241, 241, 241);
/// Day separators and other structural lines.
pub(crate) const SEPARATOR: RGBColor = RGBColor(170, 170, 170);
/// Markers such as the SLA.
pub(crate) const MARKER: RGBColor = RGBColor(60, 60, 60);

/// Font sizes as asked of plotters (it renders about 20 % smaller).
pub(crate) const TITLE: f64 = 36.0;
pub(crate) const SUBTITLE: f64 = 24.0;
pub(crate) const PANEL_TITLE: f64 = 26.0;
pub(crate) const AXIS_DESC: f64 = 25.0;
pub(crate) const TICK: f64 = 22.0;
pub(crate) const LEGEND: f64 = 23.0;
pub(crate) const NOTE: f64 = 20.0;

/// Left and right padding of the image.
pub(crate) const PAD: i32 = 28;
/// Tick mark length; plotters puts labels twice as far from the axis.
pub(crate) const TICK_MARK: i32 = 5;

/// A text style of the embedded font.
pub(crate) fn font<'a>(size: f64) -> TextStyle<'a> {
    TextStyle::from(("sans-serif", size).into_font()).color(&INK)
}

/// A text style anchored at `(h, v)` of its box.
pub(crate) fn font_at<'a>(size: f64, h: HPos, v: VPos) -> TextStyle<'a> {
    font(size).pos(Pos::new(h, v))
}

/// Width and height in pixels of `text` at `size`, as the embedded font draws it in a PNG,
/// widened by 8 %: an SVG viewer draws with its own sans-serif, which runs a little wider.
pub(crate) fn text_size(text: &str, size: f64) -> (i32, i32) {
    match ("sans-serif", size).into_font().box_size(text) {
        Ok((w, h)) => ((w as f64 * 1.08).ceil() as i32, h as i32),
        Err(_) => (
            (text.chars().count() as f64 * size * 0.45) as i32,
            (size * 0.8) as i32,
        ),
    }
}

/// Height in pixels of a line of text at `size`.
pub(crate) fn text_height(size: f64) -> i32 {
    text_size("Ag", size).1
}

/// `color` mixed with white: 0 keeps it, 1 gives white.
pub(crate) fn tint(color: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (c as f64 + (255.0 - c as f64) * amount).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

/// Black or white, whichever reads better on `color`.
pub(crate) fn text_on(color: RGBColor) -> RGBColor {
    let luminance = 0.299 * color.0 as f64 + 0.587 * color.1 as f64 + 0.114 * color.2 as f64;
    if luminance > 140.0 { INK } else { WHITE }
}

/// Applies the shared look to an axis mesh.
pub(crate) fn style_mesh<X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
) {
    mesh.label_style(font(TICK))
        .axis_desc_style(font(AXIS_DESC))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(GRID_LIGHT.stroke_width(1))
        .axis_style(AXIS_LINE.stroke_width(1))
        .set_all_tick_mark_size(TICK_MARK);
}

/// Width of a left (or right) label area that holds `labels` and a rotated axis title.
pub(crate) fn y_label_area(labels: &[String]) -> i32 {
    let widest = labels
        .iter()
        .map(|l| text_size(l, TICK).0)
        .max()
        .unwrap_or(0);
    widest + 2 * TICK_MARK + 14 + text_height(AXIS_DESC) + 8
}

/// Height of a bottom label area that holds tick labels and an axis title.
pub(crate) fn x_label_area() -> i32 {
    text_height(TICK) + 2 * TICK_MARK + 16 + text_height(AXIS_DESC) + 6
}

// ---------------------------------------------------------------------------------------
// Titles and legends.

/// What a legend entry shows before its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A filled box with a darker border.
    Box,
    /// A light band with a line through it (a mean with its CI).
    Band,
    /// An empty box with a thick border.
    Outline,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub(crate) fn new(label: impl Into<String>, color: RGBColor, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            color,
            swatch,
        }
    }
}

const SWATCH_W: i32 = 36;

/// Draws the legend's swatch with its left edge at `x`, centred on `y`.
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entry: &LegendEntry,
    x: i32,
    y: i32,
) -> Result<(), PlotError> {
    let c = entry.color;
    match entry.swatch {
        Swatch::Line => {
            area.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_W, y)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::Dashed => {
            for k in 0..3 {
                let x0 = x + k * 14;
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 8, y)],
                    c.stroke_width(2),
                ))?;
            }
        }
        Swatch::Box => {
            area.draw(&Rectangle::new(
                [(x + 4, y - 9), (x + SWATCH_W - 4, y + 9)],
                c.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x + 4, y - 9), (x + SWATCH_W - 4, y + 9)],
                darken(c).stroke_width(1),
            ))?;
        }
        Swatch::Outline => {
            area.draw(&Rectangle::new(
                [(x + 4, y - 9), (x + SWATCH_W - 4, y + 9)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::Band => {
            area.draw(&Rectangle::new(
                [(x, y - 9), (x + SWATCH_W, y + 9)],
                tint(c, 0.78).filled(),
            ))?;
            area.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_W, y)],
                c.stroke_width(3),
            ))?;
            area.draw(&Circle::new((x + SWATCH_W / 2, y), 4, c.filled()))?;
        }
    }
    Ok(())
}

/// A slightly darker shade (for box outlines).
pub(crate) fn darken(color: RGBColor) -> RGBColor {
    let d = |c: u8| (c as f64 * 0.75).round() as u8;
    RGBColor(d(color.0), d(color.1), d(color.2))
}

/// Rows of a legend laid out in `width`: each entry's `(x offset, row)` and the row count.
fn legend_layout(entries: &[LegendEntry], width: i32) -> (Vec<(i32, i32)>, i32) {
    let mut out = Vec::with_capacity(entries.len());
    let (mut cx, mut row) = (0, 0);
    for entry in entries {
        let w = SWATCH_W + 10 + text_size(&entry.label, LEGEND).0;
        if cx > 0 && cx + w > width {
            cx = 0;
            row += 1;
        }
        out.push((cx, row));
        cx += w + 34;
    }
    (out, if entries.is_empty() { 0 } else { row + 1 })
}

fn legend_row_height() -> i32 {
    text_height(LEGEND).max(18) + 12
}

/// Draws legend entries left to right from `(x, y)`, wrapping within `width`; returns the
/// y below the legend.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    x: i32,
    y: i32,
    width: i32,
) -> Result<i32, PlotError> {
    let row_h = legend_row_height();
    let (layout, rows) = legend_layout(entries, width);
    for (entry, (dx, row)) in entries.iter().zip(layout) {
        let mid = y + row * row_h + row_h / 2;
        draw_swatch(area, entry, x + dx, mid)?;
        area.draw_text(
            &entry.label,
            &font_at(LEGEND, HPos::Left, VPos::Center),
            (x + dx + SWATCH_W + 10, mid),
        )?;
    }
    Ok(y + rows * row_h)
}

/// The height [`draw_header`] takes in an image `width` wide (the font must be registered).
pub(crate) fn header_height(subtitle: Option<&str>, legend: &[LegendEntry], width: u32) -> i32 {
    let mut y = 18 + text_height(TITLE) + 12;
    if subtitle.is_some_and(|s| !s.is_empty()) {
        y += text_height(SUBTITLE) + 10;
    }
    if !legend.is_empty() {
        y += 2 + legend_layout(legend, width as i32 - 2 * PAD).1 * legend_row_height();
    }
    y + 10
}

/// Fills the image white and draws the title, subtitle and legend; returns the height they
/// take, below which the plot goes.
pub(crate) fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
    legend: &[LegendEntry],
) -> Result<i32, PlotError> {
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let mut y = 18;
    root.draw_text(title, &font_at(TITLE, HPos::Left, VPos::Top), (PAD, y))?;
    y += text_height(TITLE) + 12;
    if let Some(subtitle) = subtitle.filter(|s| !s.is_empty()) {
        root.draw_text(
            subtitle,
            &font_at(SUBTITLE, HPos::Left, VPos::Top).color(&MUTED),
            (PAD, y),
        )?;
        y += text_height(SUBTITLE) + 10;
    }
    if !legend.is_empty() {
        y = draw_legend(root, legend, PAD, y + 2, w as i32 - 2 * PAD)?;
    }
    Ok(y + 10)
}

/// Draws `text` on a white box (for labels laid over a plot).
pub(crate) fn draw_boxed_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    color: RGBColor,
    (x, y): (i32, i32),
    h: HPos,
) -> Result<(), PlotError> {
    let (w, th) = text_size(text, size);
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    area.draw(&Rectangle::new(
        [(left - 5, y - th / 2 - 3), (left + w + 5, y + th / 2 + 3)],
        WHITE.filled(),
    ))?;
    area.draw_text(
        text,
        &font_at(size, HPos::Left, VPos::Center).color(&color),
        (left, y),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Axes.

/// A linear axis: its range and the ticks to label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

impl Axis {
    /// The tick labels.
    pub(crate) fn labels(&self) -> Vec<String> {
        self.ticks.iter().map(|&t| fmt_tick(t, self.step)).collect()
    }
}

/// A "nice" step (1, 2, 2.5 or 5 × 10^k) that cuts `span` into about `target` parts.
pub(crate) fn nice_step(span: f64, target: usize) -> f64 {
    let raw = (span / target.max(1) as f64).max(1e-12);
    let magnitude = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0] {
        if m * magnitude >= raw * (1.0 - 1e-9) {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// An axis over `[lo, hi]` widened to whole steps, with about `target` intervals.
pub(crate) fn nice_axis(lo: f64, hi: f64, target: usize) -> Axis {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo - lo.abs() * 0.1, hi + hi.abs() * 0.1)
    };
    let step = nice_step(hi - lo, target);
    axis_with_step(lo, hi, step)
}

/// An axis over `[lo, hi]` widened to multiples of `step`.
pub(crate) fn axis_with_step(lo: f64, hi: f64, step: f64) -> Axis {
    let lo = (lo / step + 1e-9).floor() * step;
    let hi = (hi / step - 1e-9).ceil() * step;
    let hi = if hi > lo { hi } else { lo + step };
    let n = ((hi - lo) / step).round() as usize;
    let ticks = (0..=n).map(|k| clean(lo + k as f64 * step, step)).collect();
    Axis {
        lo: clean(lo, step),
        hi: clean(hi, step),
        step,
        ticks,
    }
}

/// A linear time axis from 0 to at least `hi` hours, stepped in hours a planner counts in.
pub(crate) fn hour_axis(hi: f64, max_ticks: usize) -> Axis {
    const STEPS: [f64; 20] = [
        0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0, 336.0,
        720.0, 1440.0, 4320.0, 8760.0,
    ];
    let hi = if hi > 0.0 { hi } else { 1.0 };
    let step = STEPS
        .iter()
        .copied()
        .find(|s| hi / s <= max_ticks as f64)
        .unwrap_or_else(|| nice_step(hi, max_ticks));
    axis_with_step(0.0, hi, step)
}

/// Rounds away floating-point noise from a multiple of `step`.
fn clean(v: f64, step: f64) -> f64 {
    let d = decimals(step) as i32 + 2;
    let f = 10f64.powi(d);
    let r = (v * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// Decimals needed to print multiples of `step`.
pub(crate) fn decimals(step: f64) -> usize {
    let mut d = 0;
    while d < 6 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0) {
            return d;
        }
        d += 1;
    }
    d
}

/// A tick label: as many decimals as the step needs, thousands grouped from 10,000.
pub(crate) fn fmt_tick(v: f64, step: f64) -> String {
    fmt_fixed(v, decimals(step))
}

/// `v` with `d` decimals, thousands grouped from 10,000, no "-0".
pub(crate) fn fmt_fixed(v: f64, d: usize) -> String {
    let s = format!("{:.*}", d, v);
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    if v.abs() < 10_000.0 {
        return s;
    }
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{frac}")
}

/// Hours printed briefly: up to three decimals, trailing zeros dropped.
pub(crate) fn fmt_hours(v: f64) -> String {
    let d = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else if v.abs() >= 1.0 {
        2
    } else {
        3
    };
    let s = fmt_fixed(v, d);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Candidate ticks of a logarithmic hour axis with their priority (0 first): decades,
/// a day and a week first, then halves and doubles, then the rest.
const LOG_HOUR_TICKS: [(f64, u8); 27] = [
    (0.001, 0),
    (0.002, 2),
    (0.005, 1),
    (0.01, 0),
    (0.02, 2),
    (0.05, 1),
    (0.1, 0),
    (0.25, 1),
    (0.5, 1),
    (1.0, 0),
    (2.0, 1),
    (4.0, 1),
    (8.0, 2),
    (12.0, 1),
    (24.0, 0),
    (48.0, 1),
    (72.0, 2),
    (168.0, 0),
    (336.0, 1),
    (720.0, 0),
    (1440.0, 1),
    (2160.0, 2),
    (4320.0, 1),
    (8760.0, 0),
    (17520.0, 1),
    (43800.0, 2),
    (87600.0, 0),
];

/// A logarithmic hour axis covering `[lo, hi]` (both > 0), ending on candidate ticks; the
/// ticks are those whose labels fit side by side in `width_px`.
pub(crate) fn log_hour_axis(lo: f64, hi: f64, width_px: i32) -> Axis {
    let lo = lo.max(LOG_HOUR_TICKS[0].0);
    let hi = hi.max(lo * 2.0);
    let ends: Vec<f64> = LOG_HOUR_TICKS.iter().map(|(v, _)| *v).collect();
    let a = ends
        .iter()
        .copied()
        .rev()
        .find(|&v| v <= lo * (1.0 + 1e-9))
        .unwrap_or(ends[0]);
    let b = ends
        .iter()
        .copied()
        .find(|&v| v >= hi * (1.0 - 1e-9))
        .unwrap_or(*ends.last().expect("ticks"));
    let px = |v: f64| (v.ln() - a.ln()) / (b.ln() - a.ln()) * width_px as f64;
    let mut order: Vec<(f64, u8)> = LOG_HOUR_TICKS
        .iter()
        .copied()
        .filter(|(v, _)| *v >= a * (1.0 - 1e-9) && *v <= b * (1.0 + 1e-9))
        .collect();
    // Both ends first, then by priority, then left to right.
    order.sort_by(|x, y| {
        let end = |v: f64| !(v == a || v == b);
        (end(x.0), x.1)
            .cmp(&(end(y.0), y.1))
            .then(x.0.total_cmp(&y.0))
    });
    let mut kept: Vec<(f64, f64)> = Vec::new(); // (left, right) pixels of kept labels
    let mut ticks = Vec::new();
    for (v, _) in order {
        let w = text_size(&fmt_hours(v), TICK).0 as f64;
        let c = px(v);
        let (l, r) = (c - w / 2.0 - 8.0, c + w / 2.0 + 8.0);
        if kept.iter().all(|&(kl, kr)| r <= kl || l >= kr) {
            kept.push((l, r));
            ticks.push(v);
        }
    }
    ticks.sort_by(f64::total_cmp);
    Axis {
        lo: a,
        hi: b,
        step: 0.0,
        ticks,
    }
}

/// An f64 axis with explicit ticks: bold points get labels and grid lines, light points
/// only faint grid lines. Labels come from the mesh's formatter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticked {
    pub lo: f64,
    pub hi: f64,
    pub bold: Vec<f64>,
    pub light: Vec<f64>,
}

impl Ticked {
    pub(crate) fn new(lo: f64, hi: f64, bold: Vec<f64>) -> Self {
        Self {
            lo,
            hi,
            bold,
            light: Vec::new(),
        }
    }

    pub(crate) fn with_light(mut self, light: Vec<f64>) -> Self {
        self.light = light;
        self
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        if self.hi == self.lo {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - self.lo) / (self.hi - self.lo);
        let length = (limit.1 - limit.0) as f64;
        limit.0 + (length * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// The label of tick `v`, looked up in parallel lists of ticks and labels.
pub(crate) fn label_for(ticks: &[f64], labels: &[String], v: f64) -> String {
    ticks
        .iter()
        .position(|t| (t - v).abs() < 1e-9)
        .map(|i| labels[i].clone())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Geometry.

/// Clips a polyline to the box `x × y`, in log space on x when `log_x`; non-finite points
/// break the line. Returns the visible runs.
pub(crate) fn clip_polyline(
    points: &[(f64, f64)],
    x: (f64, f64),
    y: (f64, f64),
    log_x: bool,
) -> Vec<Vec<(f64, f64)>> {
    let fwd = |v: f64| {
        if !log_x {
            v
        } else if v > 0.0 {
            v.ln()
        } else {
            x.0.ln() - 50.0
        }
    };
    let back = |v: f64| if log_x { v.exp() } else { v };
    let (x0, x1) = (fwd(x.0), fwd(x.1));
    let mut runs = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, runs: &mut Vec<Vec<(f64, f64)>>| {
        if run.len() >= 2 {
            runs.push(std::mem::take(run));
        } else {
            run.clear();
        }
    };
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
            flush(&mut run, &mut runs);
            continue;
        }
        match clip_segment((fwd(a.0), a.1), (fwd(b.0), b.1), (x0, x1), y) {
            Some((p, q, cut_start, cut_end)) => {
                let p = (back(p.0), p.1);
                let q = (back(q.0), q.1);
                if cut_start || run.last() != Some(&p) {
                    flush(&mut run, &mut runs);
                    run.push(p);
                }
                run.push(q);
                if cut_end {
                    flush(&mut run, &mut runs);
                }
            }
            None => flush(&mut run, &mut runs),
        }
    }
    flush(&mut run, &mut runs);
    runs
}

/// A clipped segment: its two ends, and whether the first and the last were cut.
type Clipped = ((f64, f64), (f64, f64), bool, bool);

/// Liang–Barsky: the part of segment `p`–`q` inside the box, and whether each end was cut.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    (xmin, xmax): (f64, f64),
    (ymin, ymax): (f64, f64),
) -> Option<Clipped> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (pp, qq) in [
        (-dx, p.0 - xmin),
        (dx, xmax - p.0),
        (-dy, p.1 - ymin),
        (dy, ymax - p.1),
    ] {
        if pp == 0.0 {
            if qq < 0.0 {
                return None;
            }
        } else {
            let r = qq / pp;
            if pp < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    let at = |t: f64| (p.0 + t * dx, p.1 + t * dy);
    Some((at(t0), at(t1), t0 > 0.0, t1 < 1.0))
}

/// Drops points closer than `min_px` pixels to the last point kept (the last point always
/// stays), so dense curves draw as clean thick lines in a bitmap.
pub(crate) fn thin_in_pixels(
    points: Vec<(f64, f64)>,
    to_px: impl Fn(&(f64, f64)) -> (i32, i32),
    min_px: f64,
) -> Vec<(f64, f64)> {
    let n = points.len();
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(n);
    let mut last: Option<(i32, i32)> = None;
    for (i, p) in points.into_iter().enumerate() {
        let q = to_px(&p);
        let far = last.is_none_or(|l| {
            let (dx, dy) = ((q.0 - l.0) as f64, (q.1 - l.1) as f64);
            dx * dx + dy * dy >= min_px * min_px
        });
        if far || i + 1 == n {
            out.push(p);
            last = Some(q);
        }
    }
    out
}

/// Places labels of the given pixel extents `(left, right)` in rows so that none overlap;
/// returns each label's row (0 first).
pub(crate) fn stack_rows(extents: &[(i32, i32)], gap: i32) -> Vec<usize> {
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut out = Vec::with_capacity(extents.len());
    for &(l, r) in extents {
        let row = rows
            .iter()
            .position(|row| row.iter().all(|&(a, b)| r + gap <= a || l >= b + gap))
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(Vec::new());
        }
        rows[row].push((l, r));
        out.push(row);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Output.

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Chart {
    /// Image size in pixels.
    fn size(&self) -> (u32, u32);
    /// Checks the data before anything is drawn or written.
    fn validate(&self) -> Result<(), PlotError>;
    /// Draws the whole image.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// `stem` with `.ext` appended (any dot already in the file name is kept).
fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut s = OsString::from(stem.as_os_str());
    s.push(suffix);
    PathBuf::from(s)
}

/// Draws `chart` into `STEM.png` and `STEM.svg` (each drawn in memory, then written whole
/// through [`crate::files`]) and returns their paths. Every error names the file.
pub(crate) fn write_files<C: Chart>(chart: &C, stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    register_font()?;
    chart.validate()?;
    let png_path = with_suffix(stem, ".png");
    let svg_path = with_suffix(stem, ".svg");
    if let Some(dir) = png_path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(PlotError::Io {
            path: png_path,
            message: "the directory does not exist".into(),
        });
    }
    // A drawing error says which figure it was drawing.
    let named = |path: &Path| {
        let path = path.to_path_buf();
        move |e: PlotError| match e {
            PlotError::Draw(message) => PlotError::Io {
                path: path.clone(),
                message: format!("drawing failed: {message}"),
            },
            other => other,
        }
    };
    let png = png_bytes(chart).map_err(named(&png_path))?;
    let svg = svg_string(chart).map_err(named(&svg_path))?;
    for (path, bytes) in [(&png_path, png.as_slice()), (&svg_path, svg.as_bytes())] {
        crate::files::write_file(path, bytes).map_err(|e| PlotError::Io {
            path: path.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(vec![png_path, svg_path])
}

/// Draws `chart` as a PNG image in memory.
fn png_bytes<C: Chart>(chart: &C) -> Result<Vec<u8>, PlotError> {
    let (w, h) = chart.size();
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        // Text placed glyph by glyph (see `text`), so letters are evenly spaced.
        let root =
            text::PngBackend(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        chart.draw(&root)?;
        root.present()?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &rgb,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| PlotError::Draw(format!("PNG encoding: {e}")))?;
    Ok(png)
}

/// Draws `chart` as an SVG document.
pub(crate) fn svg_string<C: Chart>(chart: &C) -> Result<String, PlotError> {
    register_font()?;
    chart.validate()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, chart.size()).into_drawing_area();
        chart.draw(&root)?;
        root.present()?;
    }
    Ok(out)
}

/// Checks that every value is finite.
pub(crate) fn check_finite(
    what: &str,
    values: impl IntoIterator<Item = f64>,
) -> Result<(), PlotError> {
    if values.into_iter().all(f64::is_finite) {
        Ok(())
    } else {
        Err(PlotError::Data(format!(
            "{what} holds a value that is not a finite number"
        )))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks a PNG's signature and IHDR size.
    pub(crate) fn assert_png(path: &Path, width: u32, height: u32) {
        let bytes = std::fs::read(path).expect("png written");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        assert_eq!(&bytes[12..16], b"IHDR");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((w, h), (width, height), "PNG size");
    }

    /// Checks an SVG holds each of `texts` (escaped as in the file).
    pub(crate) fn assert_svg(path: &Path, texts: &[&str]) -> String {
        let svg = std::fs::read_to_string(path).expect("svg written");
        assert!(svg.contains("<svg"), "an SVG document");
        for text in texts {
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(svg.contains(&escaped), "SVG lacks {text:?}");
        }
        svg
    }

    #[test]
    fn nice_axes() {
        let a = nice_axis(0.0, 47.3, 8);
        assert_eq!(a.lo, 0.0);
        assert_eq!(a.hi, 50.0);
        assert_eq!(a.labels().first().map(String::as_str), Some("0"));
        let h = hour_axis(57.9, 10);
        assert_eq!(h.step, 6.0);
        assert_eq!(h.hi, 60.0);
        let l = log_hour_axis(0.03, 60.0, 1000);
        assert_eq!((l.lo, l.hi), (0.02, 72.0));
        assert!(l.ticks.contains(&1.0) && l.ticks.contains(&24.0));
        assert_eq!(fmt_tick(0.25, 0.05), "0.25");
        assert_eq!(fmt_tick(12000.0, 2000.0), "12,000");
        assert_eq!(fmt_hours(0.25), "0.25");
        assert_eq!(fmt_hours(12.0), "12");
    }

    #[test]
    fn clipping_cuts_at_the_box() {
        let runs = clip_polyline(
            &[(0.0, 0.0), (10.0, 10.0), (20.0, 0.0)],
            (0.0, 15.0),
            (0.0, 8.0),
            false,
        );
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], vec![(0.0, 0.0), (8.0, 8.0)]);
        assert_eq!(runs[1][1], (15.0, 5.0));
        let log = clip_polyline(&[(0.1, 1.0), (100.0, 1.0)], (1.0, 10.0), (0.0, 2.0), true);
        assert_eq!(log.len(), 1);
        assert!((log[0][0].0 - 1.0).abs() < 1e-9 && (log[0][1].0 - 10.0).abs() < 1e-9);
    }

    /// No two of the first 24 series share a colour.
    #[test]
    fn series_colours_do_not_repeat() {
        let colours: Vec<RGBColor> = (0..24).map(series_color).collect();
        for (i, a) in colours.iter().enumerate() {
            assert!(!colours[i + 1..].contains(a), "series {i} repeats");
        }
        assert_eq!(series_color(0), OKABE_ITO[0]);
    }

    #[test]
    fn errors_read_well() {
        let e = PlotError::Data("no series".into());
        assert_eq!(e.to_string(), "cannot plot: no series");
        let io = PlotError::Io {
            path: PathBuf::from("out/x.png"),
            message: "denied".into(),
        };
        assert_eq!(io.to_string(), "cannot write out/x.png: denied");
    }

    /// Small and degenerate data still draws: one series, one point, one day, no values.
    #[test]
    fn degenerate_data_still_draws() {
        let one = EcdfChart {
            title: "One series".into(),
            subtitle: None,
            series: vec![EcdfSeries::from_samples("only", &[2.0])],
            sla_hours: None,
        };
        for scale in [TimeScale::Linear, TimeScale::Log] {
            let svg = ecdf_svg(&one, scale).unwrap();
            assert!(!svg.contains(">only\n<"), "no legend for a single series");
        }
        let mut sweep_chart = sweep::tests::sample_sweep();
        sweep_chart.series.truncate(1);
        sweep_chart.series[0].points.truncate(1);
        sweep_chart.reference = None;
        sweep_svg(&sweep_chart).unwrap();
        let mut heat = sweep::tests::sample_heatmap();
        for row in &mut heat.values {
            row.iter_mut().for_each(|v| *v = None);
        }
        heatmap_svg(&heat).unwrap();
        let mut days = season::tests::sample();
        days.series.truncate(1);
        days.series[0].points.truncate(1);
        season_svg(&days).unwrap();
        let mut week = hour_of_week::tests::sample_backlog();
        week.series[0].values = vec![f64::NAN; 168];
        hour_of_week_svg(&week).unwrap();
        let mut bars = stages::tests::sample();
        bars.bars.truncate(1);
        bars.bars[0].segments.iter_mut().for_each(|s| s.hours = 0.0);
        stages_svg(&bars).unwrap();
    }

    /// Writes every chart of synthetic data into `$PORTSIM_PLOT_GALLERY` to look at:
    /// `PORTSIM_PLOT_GALLERY=/some/dir cargo test --lib plot::tests::gallery -- --ignored`.
    #[test]
    #[ignore]
    fn gallery() {
        let dir = PathBuf::from(
            std::env::var_os("PORTSIM_PLOT_GALLERY").expect("set PORTSIM_PLOT_GALLERY"),
        );
        std::fs::create_dir_all(&dir).unwrap();
        let ecdf_chart = distribution::tests::sample_ecdf();
        ecdf(&ecdf_chart, TimeScale::Linear, &dir.join("ecdf-linear")).unwrap();
        ecdf(&ecdf_chart, TimeScale::Log, &dir.join("ecdf-log")).unwrap();
        let hist = distribution::tests::sample_histogram();
        histogram(&hist, TimeScale::Linear, &dir.join("histogram")).unwrap();
        let hist_log = distribution::tests::sample_histogram_log();
        histogram(&hist_log, TimeScale::Log, &dir.join("histogram-log")).unwrap();
        let grid = distribution::tests::sample_grid();
        mode_grid(&grid, TimeScale::Log, &dir.join("modes-log")).unwrap();
        mode_grid(&grid, TimeScale::Linear, &dir.join("modes-linear")).unwrap();
        hour_of_week(
            &hour_of_week::tests::sample_backlog(),
            &dir.join("backlog-hour-of-week"),
        )
        .unwrap();
        roster_demand(
            &hour_of_week::tests::sample_roster(),
            &dir.join("roster-demand"),
        )
        .unwrap();
        season(&season::tests::sample(), &dir.join("season")).unwrap();
        stages(&stages::tests::sample(), &dir.join("stages")).unwrap();
        sweep(&sweep::tests::sample_sweep(), &dir.join("sweep")).unwrap();
        heatmap(&sweep::tests::sample_heatmap(), &dir.join("heatmap")).unwrap();
        category(&category::tests::sample(), &dir.join("category")).unwrap();
    }
}
