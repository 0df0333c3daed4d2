//! Clearance-time distributions: ECDF overlays with p90 and SLA markers, histograms, and
//! per-mode small multiples.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{EcdfChart, EcdfSeries, HistogramChart, ModeGridChart, TimeScale};
use super::{
    AXIS_DESC, Chart, LegendEntry, MARKER, NOTE, PAD, PANEL_TITLE, PlotError, Swatch, TICK,
    TICK_MARK, Ticked, check_finite, clip_polyline, draw_boxed_text, draw_header, fmt_fixed,
    fmt_hours, fmt_tick, font_at, header_height, hour_axis, label_for, log_hour_axis, nice_axis,
    series_color, stack_rows, style_mesh, svg_string, text_height, text_size, thin_in_pixels, tint,
    write_files, x_label_area, y_label_area,
};

const TIME_LABEL: &str = "clearance time (hours)";
const CLEARED_LABEL: &str = "shipments cleared (%)";
const BIN_LABEL: &str = "shipments in bin (%)";

/// Draws clearance-time ECDFs (one line per series, p90 and SLA markers) into `STEM.png`
/// (1200×700) and `STEM.svg`; returns both paths. Call once per [`TimeScale`] for a linear
/// and a log chart.
pub fn ecdf(
    chart: &EcdfChart,
    scale: TimeScale,
    path_stem: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&EcdfDraw { chart, scale }, path_stem)
}

/// [`ecdf`] as an SVG document, for embedding in a page.
pub fn ecdf_svg(chart: &EcdfChart, scale: TimeScale) -> Result<String, PlotError> {
    svg_string(&EcdfDraw { chart, scale })
}

/// Draws the share of shipments per clearance-time bin into `STEM.png` (1200×700) and
/// `STEM.svg`; returns both paths. A log scale suits bins that grow geometrically (e.g. ten
/// to a decade); there a bin from 0 h starts at the axis's left end.
pub fn histogram(
    chart: &HistogramChart,
    scale: TimeScale,
    path_stem: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&HistogramDraw { chart, scale }, path_stem)
}

/// [`histogram`] as an SVG document.
pub fn histogram_svg(chart: &HistogramChart, scale: TimeScale) -> Result<String, PlotError> {
    svg_string(&HistogramDraw { chart, scale })
}

/// Draws a grid of ECDF panels, one per mode, into `STEM.png` (about 560×430 per panel,
/// at least 1200 wide) and `STEM.svg`; returns both paths. Each panel has its own time
/// range, so a log scale usually reads best.
pub fn mode_grid(
    chart: &ModeGridChart,
    scale: TimeScale,
    path_stem: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&ModeGridDraw { chart, scale }, path_stem)
}

/// [`mode_grid`] as an SVG document.
pub fn mode_grid_svg(chart: &ModeGridChart, scale: TimeScale) -> Result<String, PlotError> {
    svg_string(&ModeGridDraw { chart, scale })
}

// ---------------------------------------------------------------------------------------
// ECDF panels (one chart, or one cell of the grid).

fn check_series(what: &str, series: &EcdfSeries) -> Result<(), PlotError> {
    let label = format!("{what} series {:?}", series.name);
    check_finite(&label, series.points.iter().flat_map(|&(x, y)| [x, y]))?;
    check_finite(&label, series.p90_hours)?;
    if series.points.windows(2).any(|w| w[1].0 < w[0].0) {
        return Err(PlotError::Data(format!("{label}: hours must be ascending")));
    }
    Ok(())
}

fn check_sla(sla: Option<f64>) -> Result<(), PlotError> {
    match sla {
        Some(v) if !(v.is_finite() && v > 0.0) => Err(PlotError::Data(format!(
            "the SLA must be a positive number of hours, not {v}"
        ))),
        _ => Ok(()),
    }
}

/// The legend: series lines (when more than one), then what the markers mean.
fn ecdf_legend(names: &[(RGBColor, &str)], any_p90: bool, sla: Option<f64>) -> Vec<LegendEntry> {
    let mut legend: Vec<LegendEntry> = if names.len() > 1 {
        names
            .iter()
            .map(|&(c, n)| LegendEntry::new(n, c, Swatch::Line))
            .collect()
    } else {
        Vec::new()
    };
    if any_p90 {
        legend.push(LegendEntry::new(
            "p90: 90 % cleared within",
            RGBColor(120, 120, 120),
            Swatch::Dashed,
        ));
    }
    if let Some(sla) = sla {
        legend.push(LegendEntry::new(
            format!("SLA {} h", fmt_hours(sla)),
            MARKER,
            Swatch::Line,
        ));
    }
    legend
}

struct EcdfPanel<'a> {
    series: Vec<(RGBColor, &'a EcdfSeries)>,
    sla: Option<f64>,
    /// Whether the time axis must reach the SLA (else an SLA beyond it is only noted).
    sla_in_range: bool,
    scale: TimeScale,
    y_desc: bool,
    compact: bool,
}

/// The hours range a panel must show, before rounding to ticks.
fn ecdf_extent(panel: &EcdfPanel) -> (f64, f64) {
    let markers = panel
        .series
        .iter()
        .filter_map(|(_, s)| s.p90_hours)
        .chain(panel.sla.filter(|_| panel.sla_in_range));
    match panel.scale {
        TimeScale::Linear => {
            let hi = panel
                .series
                .iter()
                .filter_map(|(_, s)| s.quantile(0.995).or(s.points.last().map(|p| p.0)))
                .chain(markers)
                .fold(0.0f64, f64::max);
            (0.0, if hi > 0.0 { hi * 1.03 } else { 1.0 })
        }
        TimeScale::Log => {
            let positive = |v: &f64| *v > 0.0;
            let lo = panel
                .series
                .iter()
                .filter_map(|(_, s)| {
                    // A mass at 0 is marked at the axis: start a little below where the
                    // curve goes on from it.
                    if let Some((h, _)) = s.start_mass() {
                        return Some(h / 2.0);
                    }
                    s.quantile(0.01)
                        .filter(positive)
                        .or_else(|| s.points.iter().map(|p| p.0).find(positive))
                })
                .chain(markers.clone().filter(positive))
                .fold(f64::INFINITY, f64::min);
            let hi = panel
                .series
                .iter()
                .filter_map(|(_, s)| s.points.last().map(|p| p.0))
                .chain(markers)
                .fold(0.0f64, f64::max);
            let lo = if lo.is_finite() { lo } else { 0.1 };
            (lo, hi.max(lo * 10.0))
        }
    }
}

/// An hour axis for a plot `plot_w` pixels wide, in plot coordinates (log10 hours for a log
/// scale): `(lo, hi, ticks, labels)`.
fn time_axis(lo: f64, hi: f64, scale: TimeScale, plot_w: i32) -> (f64, f64, Vec<f64>, Vec<String>) {
    match scale {
        TimeScale::Linear => {
            let axis = hour_axis(hi, (plot_w / 75).clamp(4, 12) as usize);
            let labels = axis.labels();
            (axis.lo, axis.hi, axis.ticks, labels)
        }
        TimeScale::Log => {
            let axis = log_hour_axis(lo, hi, plot_w);
            let labels = axis.ticks.iter().map(|&t| fmt_hours(t)).collect();
            let ticks = axis.ticks.iter().map(|t| t.log10()).collect();
            (axis.lo.log10(), axis.hi.log10(), ticks, labels)
        }
    }
}

/// Hours → plot x.
fn to_x(hours: f64, scale: TimeScale) -> f64 {
    match scale {
        TimeScale::Linear => hours,
        TimeScale::Log => hours.max(1e-9).log10(),
    }
}

/// A vertical marker to draw and label.
struct Marker {
    x: f64,
    color: RGBColor,
    dashed: bool,
    /// Whether to draw the line (a note at the edge has none).
    line: bool,
    text: String,
}

/// Draws the markers' lines into the plot and returns nothing; the labels come later.
fn draw_marker_lines<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    markers: &[Marker],
    (y0, y1): (f64, f64),
    (xlo, xhi): (f64, f64),
) -> Result<(), PlotError> {
    for m in markers
        .iter()
        .filter(|m| m.line && m.x >= xlo && m.x <= xhi)
    {
        if m.dashed {
            chart.draw_series(DashedLineSeries::new(
                vec![(m.x, y0), (m.x, y1)],
                9,
                6,
                m.color.stroke_width(2),
            ))?;
        } else {
            chart.draw_series(LineSeries::new(
                vec![(m.x, y0), (m.x, y1)],
                m.color.stroke_width(2),
            ))?;
        }
    }
    Ok(())
}

/// Labels the markers near the bottom of the plot, stacked upwards so none overlap.
fn draw_marker_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    markers: &[Marker],
    (xlo, xhi): (f64, f64),
    y_bottom: f64,
    size: f64,
) -> Result<(), PlotError> {
    let (px_range, py_range) = chart.plotting_area().get_pixel_range();
    let mut visible: Vec<&Marker> = markers
        .iter()
        .filter(|m| m.x >= xlo && m.x <= xhi)
        .collect();
    visible.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut placed = Vec::new(); // (x, anchor, extent)
    for m in &visible {
        let (px, _) = chart.backend_coord(&(m.x, y_bottom));
        let w = text_size(&m.text, size).0;
        let (h, l, r) = if px + 6 + w + 6 <= px_range.end {
            (HPos::Left, px + 6, px + 6 + w)
        } else {
            (HPos::Right, px - 6 - w, px - 6)
        };
        placed.push((px, h, (l, r)));
    }
    let extents: Vec<(i32, i32)> = placed.iter().map(|p| p.2).collect();
    let rows = stack_rows(&extents, 12);
    let line = text_height(size) + 8;
    for ((m, (px, h, _)), row) in visible.iter().zip(&placed).zip(rows) {
        let y = py_range.end - 16 - line / 2 - row as i32 * line;
        let x = if matches!(h, HPos::Left) {
            px + 6
        } else {
            px - 6
        };
        draw_boxed_text(root, &m.text, size, darker_text(m.color), (x, y), *h)?;
    }
    Ok(())
}

/// Pale palette colours (orange, yellow, sky blue) are hard to read as text: darken them.
fn darker_text(color: RGBColor) -> RGBColor {
    let luminance = 0.299 * color.0 as f64 + 0.587 * color.1 as f64 + 0.114 * color.2 as f64;
    if luminance > 150.0 {
        RGBColor(
            (color.0 as f64 * 0.7) as u8,
            (color.1 as f64 * 0.7) as u8,
            (color.2 as f64 * 0.7) as u8,
        )
    } else {
        color
    }
}

/// Draws one ECDF plot (axes, markers, curves, marker labels) into `area`.
fn draw_ecdf_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    panel: &EcdfPanel,
) -> Result<(), PlotError> {
    let (aw, _) = area.dim_in_pixel();
    let y_step = if panel.compact { 20.0 } else { 10.0 };
    let y_ticks: Vec<f64> = (0..=(100.0 / y_step) as usize)
        .map(|k| k as f64 * y_step)
        .collect();
    let y_labels: Vec<String> = y_ticks.iter().map(|&t| fmt_tick(t, y_step)).collect();
    let y_area = if panel.y_desc {
        y_label_area(&y_labels)
    } else {
        y_labels
            .iter()
            .map(|l| text_size(l, TICK).0)
            .max()
            .unwrap_or(0)
            + 2 * TICK_MARK
            + 14
    };
    let right = if panel.compact { 22 } else { 34 };
    let plot_w = aw as i32 - y_area - right;
    let (lo, hi) = ecdf_extent(panel);
    let (xlo, xhi, x_ticks, x_labels) = time_axis(lo, hi, panel.scale, plot_w);

    let mut chart = ChartBuilder::on(area)
        .margin_top(12)
        .margin_right(right)
        .x_label_area_size(x_label_area())
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            Ticked::new(xlo, xhi, x_ticks.clone()),
            Ticked::new(0.0, 100.0, y_ticks.clone()),
        )?;
    {
        let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
        let y_fmt = |v: &f64| label_for(&y_ticks, &y_labels, *v);
        let mut mesh = chart.configure_mesh();
        style_mesh(&mut mesh);
        mesh.x_desc(TIME_LABEL)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt);
        if panel.y_desc {
            mesh.y_desc(CLEARED_LABEL);
        }
        mesh.draw()?;
    }

    let mut markers = Vec::new();
    for (color, s) in &panel.series {
        if let Some(p90) = s.p90_hours {
            markers.push(Marker {
                x: to_x(p90, panel.scale),
                color: *color,
                dashed: true,
                line: true,
                text: format!("p90 {} h", fmt_marker(p90)),
            });
        }
    }
    if let Some(sla) = panel.sla {
        markers.push(Marker {
            x: to_x(sla, panel.scale),
            color: MARKER,
            dashed: false,
            line: true,
            text: format!("SLA {} h", fmt_hours(sla)),
        });
    }
    draw_marker_lines(&mut chart, &markers, (0.0, 100.0), (xlo, xhi))?;
    if let Some(sla) = panel.sla
        && to_x(sla, panel.scale) > xhi
    {
        // The SLA lies beyond the axis: say so at the right edge.
        markers.push(Marker {
            x: xhi,
            color: MARKER,
            dashed: false,
            line: false,
            text: format!("SLA {} h →", fmt_hours(sla)),
        });
    }

    let width = if panel.compact { 2 } else { 3 };
    let mut masses = Vec::new();
    for (color, s) in &panel.series {
        let log = panel.scale == TimeScale::Log;
        let mass = if log { s.start_mass() } else { None };
        let mut points: Vec<(f64, f64)> = s
            .points
            .iter()
            // On a log axis the curve goes on from its mass at 0 (marked at the axis).
            .filter(|p| mass.is_none() || p.0 > 0.0)
            .map(|&(h, share)| (to_x(h, panel.scale), share * 100.0))
            .collect();
        if let Some((h, share)) = mass {
            masses.push((*color, h, share));
        }
        if let Some(&(x, y)) = points.first()
            && x > xlo
            && mass.is_none()
        {
            points.insert(
                0,
                (
                    xlo,
                    if y > 0.0 && panel.scale == TimeScale::Log {
                        y
                    } else {
                        0.0
                    },
                ),
            );
        }
        if let Some(&(x, y)) = points.last()
            && x < xhi
        {
            points.push((xhi, y));
        }
        for run in clip_polyline(&points, (xlo, xhi), (0.0, 100.0), false) {
            let run = thin_in_pixels(run, |p| chart.backend_coord(p), 3.0);
            chart.draw_series(LineSeries::new(run, color.stroke_width(width)))?;
        }
    }
    let size = if panel.compact { NOTE - 1.0 } else { NOTE };
    draw_start_masses(root, &mut chart, &masses, (xlo, xhi), size)?;
    draw_marker_labels(root, &chart, &markers, (xlo, xhi), 0.0, size)?;
    Ok(())
}

/// Marks each series' mass at 0 hours on a log axis: a dot on the axis at the share
/// cleared at once, a dotted line to where the curve goes on, and the share as text.
fn draw_start_masses<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    masses: &[(RGBColor, f64, f64)],
    (xlo, xhi): (f64, f64),
    size: f64,
) -> Result<(), PlotError> {
    let mut taken: Vec<i32> = Vec::new();
    let line = text_height(size) + 6;
    for &(color, h, share) in masses {
        let y = share * 100.0;
        let x1 = to_x(h, TimeScale::Log).min(xhi);
        chart.draw_series(DashedLineSeries::new(
            vec![(xlo, y), (x1, y)],
            3,
            4,
            color.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            vec![(xlo, 0.0), (xlo, y)],
            color.stroke_width(4),
        ))?;
        chart.draw_series(std::iter::once(Circle::new((xlo, y), 6, color.filled())))?;
        let (px, mut py) = chart.backend_coord(&(xlo, y));
        // Labels of close masses go above one another, off the line.
        while taken.iter().any(|t| (t - py).abs() < line) {
            py -= line;
        }
        taken.push(py);
        let text = format!(
            "{} % within {} h",
            fmt_fixed(share * 100.0, 1),
            fmt_marker(h)
        );
        // Plain text, no white box: a box would hide the curve just above the mass.
        root.draw_text(
            &text,
            &font_at(size, HPos::Left, VPos::Bottom).color(&darker_text(color)),
            (px + 12, py - 6),
        )?;
    }
    Ok(())
}

/// A marker's hours: one decimal, two under an hour.
fn fmt_marker(hours: f64) -> String {
    fmt_fixed(hours, if hours < 1.0 { 2 } else { 1 })
}

// ---------------------------------------------------------------------------------------
// The single ECDF chart.

struct EcdfDraw<'a> {
    chart: &'a EcdfChart,
    scale: TimeScale,
}

impl Chart for EcdfDraw<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        if self.chart.series.iter().all(|s| s.points.is_empty()) {
            return Err(PlotError::Data(format!(
                "\"{}\": no series with points",
                self.chart.title
            )));
        }
        for s in &self.chart.series {
            check_series("ECDF", s)?;
        }
        check_sla(self.chart.sla_hours)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.chart;
        let names: Vec<(RGBColor, &str)> = c
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (series_color(i), s.name.as_str()))
            .collect();
        let any_p90 = c.series.iter().any(|s| s.p90_hours.is_some());
        let legend = ecdf_legend(&names, any_p90, c.sla_hours);
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let panel = EcdfPanel {
            series: c
                .series
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.points.is_empty())
                .map(|(i, s)| (series_color(i), s))
                .collect(),
            sla: c.sla_hours,
            sla_in_range: true,
            scale: self.scale,
            y_desc: true,
            compact: false,
        };
        draw_ecdf_panel(root, &body, &panel)
    }
}

// ---------------------------------------------------------------------------------------
// Per-mode small multiples.

struct ModeGridDraw<'a> {
    chart: &'a ModeGridChart,
    scale: TimeScale,
}

impl ModeGridDraw<'_> {
    fn columns(&self) -> usize {
        match self.chart.panels.len() {
            0..=2 => self.chart.panels.len().max(1),
            3..=4 => 2,
            5..=9 => 3,
            _ => 4,
        }
    }

    fn rows(&self) -> usize {
        self.chart.panels.len().div_ceil(self.columns()).max(1)
    }

    /// Series names in order of first appearance, which gives their colours.
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for panel in &self.chart.panels {
            for s in &panel.series {
                if !names.contains(&s.name.as_str()) {
                    names.push(&s.name);
                }
            }
        }
        names
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let colored: Vec<(RGBColor, &str)> = self
            .names()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (series_color(i), n))
            .collect();
        let any_p90 = self
            .chart
            .panels
            .iter()
            .any(|p| p.series.iter().any(|s| s.p90_hours.is_some()));
        ecdf_legend(&colored, any_p90, self.chart.sla_hours)
    }

    fn width(&self) -> u32 {
        (self.columns() as u32 * CELL_W + 2 * PAD as u32).max(1200)
    }
}

const CELL_W: u32 = 560;
const CELL_H: u32 = 430;

impl Chart for ModeGridDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let w = self.width();
        let header = header_height(self.chart.subtitle.as_deref(), &self.legend(), w) as u32;
        (w, header + self.rows() as u32 * CELL_H + 10)
    }

    fn validate(&self) -> Result<(), PlotError> {
        if self.chart.panels.is_empty() {
            return Err(PlotError::Data(format!(
                "\"{}\": no panels",
                self.chart.title
            )));
        }
        for p in &self.chart.panels {
            for s in &p.series {
                check_series(&format!("mode {:?}", p.mode), s)?;
            }
        }
        check_sla(self.chart.sla_hours)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.chart;
        let names = self.names();
        let legend = self.legend();
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 0, PAD - 14, PAD - 14);
        let cols = self.columns();
        let cells = body.split_evenly((self.rows(), cols));
        for (i, (panel, cell)) in c.panels.iter().zip(cells).enumerate() {
            let (cx, cy) = cell.get_base_pixel();
            let title_h = text_height(PANEL_TITLE) + 14;
            root.draw_text(
                &panel.mode,
                &font_at(PANEL_TITLE, HPos::Left, VPos::Top),
                (cx + 8, cy + 6),
            )?;
            let (_, plot) = cell.split_vertically(title_h);
            let plot = plot.margin(0, 14, 0, 0);
            let series: Vec<(RGBColor, &EcdfSeries)> = panel
                .series
                .iter()
                .filter(|s| !s.points.is_empty())
                .map(|s| {
                    let k = names.iter().position(|n| *n == s.name).unwrap_or(0);
                    (series_color(k), s)
                })
                .collect();
            if series.is_empty() {
                let (w, h) = plot.dim_in_pixel();
                plot.draw_text(
                    "no shipments",
                    &font_at(AXIS_DESC, HPos::Center, VPos::Center).color(&super::MUTED),
                    (w as i32 / 2, h as i32 / 2),
                )?;
                continue;
            }
            let p = EcdfPanel {
                series,
                sla: c.sla_hours,
                sla_in_range: false,
                scale: self.scale,
                y_desc: i % cols == 0,
                compact: true,
            };
            draw_ecdf_panel(root, &plot, &p)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Histogram.

struct HistogramDraw<'a> {
    chart: &'a HistogramChart,
    scale: TimeScale,
}

impl Chart for HistogramDraw<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.chart;
        if c.series.iter().all(|s| s.bins.is_empty()) {
            return Err(PlotError::Data(format!("\"{}\": no bins", c.title)));
        }
        for s in &c.series {
            check_finite(
                &format!("histogram series {:?}", s.name),
                s.bins.iter().flatten().copied(),
            )?;
            if s.bins.iter().any(|b| b[1] < b[0] || b[2] < 0.0) {
                return Err(PlotError::Data(format!(
                    "histogram series {:?}: a bin ends before it starts or has a negative share",
                    s.name
                )));
            }
        }
        check_sla(c.sla_hours)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.chart;
        let many = c.series.len() > 1;
        let mut legend: Vec<LegendEntry> = if many {
            c.series
                .iter()
                .enumerate()
                .map(|(i, s)| LegendEntry::new(&s.name, series_color(i), Swatch::Box))
                .collect()
        } else {
            Vec::new()
        };
        if let Some(sla) = c.sla_hours {
            legend.push(LegendEntry::new(
                format!("SLA {} h", fmt_hours(sla)),
                MARKER,
                Swatch::Line,
            ));
        }
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let (aw, _) = body.dim_in_pixel();

        // Ranges.
        let log = self.scale == TimeScale::Log;
        let mut lo = f64::INFINITY;
        let mut hi = 0.0f64;
        let mut top_share = 0.0f64;
        for s in &c.series {
            let mut cumulative = 0.0;
            let mut reached = false;
            for b in s.bins.iter().filter(|b| b[2] > 0.0) {
                top_share = top_share.max(b[2]);
                let from = if b[0] > 0.0 { b[0] } else { b[1] / 2.0 };
                if from > 0.0 {
                    lo = lo.min(from);
                }
                cumulative += b[2];
                if !reached || log {
                    hi = hi.max(b[1]);
                }
                if cumulative >= 0.995 {
                    reached = true;
                }
            }
        }
        if let Some(sla) = c.sla_hours {
            hi = hi.max(sla * 1.03);
            lo = lo.min(sla);
        }
        let lo = if lo.is_finite() { lo } else { 0.1 };
        let y_axis = nice_axis(0.0, top_share * 100.0 * 1.08, 6);
        let y_labels = y_axis.labels();
        let y_area = y_label_area(&y_labels);
        let plot_w = aw as i32 - y_area - 34;
        let (xlo, xhi, x_ticks, x_labels) = time_axis(lo, hi, self.scale, plot_w);

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Ticked::new(xlo, xhi, x_ticks.clone()),
                Ticked::new(y_axis.lo, y_axis.hi, y_axis.ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y_axis.ticks, &y_labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.x_desc(TIME_LABEL)
                .y_desc(BIN_LABEL)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }

        let clamp = |h: f64| to_x(h, self.scale).clamp(xlo, xhi);
        for (i, s) in c.series.iter().enumerate() {
            let color = series_color(i);
            let fill = if many {
                color.mix(0.22).filled()
            } else {
                tint(color, 0.15).filled()
            };
            let bars: Vec<((f64, f64), (f64, f64))> = s
                .bins
                .iter()
                .filter(|b| b[2] > 0.0)
                // A bin from 0 h starts at the left end of a log axis.
                .map(|b| {
                    (
                        (clamp(b[0]), 0.0),
                        (clamp(b[1]), (b[2] * 100.0).min(y_axis.hi)),
                    )
                })
                .filter(|(a, b)| b.0 > a.0)
                .collect();
            chart.draw_series(bars.iter().map(|&(a, b)| Rectangle::new([a, b], fill)))?;
            if many {
                // An outline over the fills, as steps: down to the axis only at gaps.
                let mut outline = Vec::new();
                let mut end: Option<f64> = None;
                for &(a, b) in &bars {
                    if end != Some(a.0) {
                        if let Some(e) = end {
                            outline.push((e, 0.0));
                        }
                        outline.push((a.0, 0.0));
                    }
                    outline.push((a.0, b.1));
                    outline.push((b.0, b.1));
                    end = Some(b.0);
                }
                if let Some(e) = end {
                    outline.push((e, 0.0));
                }
                chart.draw_series(LineSeries::new(outline, color.stroke_width(2)))?;
            } else {
                chart.draw_series(
                    bars.iter()
                        .map(|&(a, b)| Rectangle::new([a, b], WHITE.stroke_width(1))),
                )?;
            }
        }
        let mut markers = Vec::new();
        if let Some(sla) = c.sla_hours {
            markers.push(Marker {
                x: to_x(sla, self.scale),
                color: MARKER,
                dashed: false,
                line: true,
                text: format!("SLA {} h", fmt_hours(sla)),
            });
        }
        draw_marker_lines(&mut chart, &markers, (0.0, y_axis.hi), (xlo, xhi))?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::{HistogramSeries, ModePanel};
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    /// Deterministic pseudo-random clearance times: a mix of quick and overnight waits.
    pub(crate) fn sample_hours(seed: u64, n: usize, scale: f64) -> Vec<f64> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| {
                let u = next().max(1e-12);
                let quick = -u.ln() * scale * 0.3;
                if next() < 0.35 {
                    quick + 14.0 * scale / 8.0 + next() * 40.0 * scale / 8.0
                } else {
                    quick
                }
            })
            .collect()
    }

    pub(crate) fn sample_ecdf() -> EcdfChart {
        EcdfChart {
            title: "Clearance time: business hours vs 7×24".into(),
            subtitle: Some("Chongqing 2016 vs 2017 · 10 replications · lodgement → release".into()),
            series: vec![
                EcdfSeries::from_samples("business hours (2016)", &sample_hours(1, 4000, 8.0)),
                EcdfSeries::from_samples("7×24 (2017)", &sample_hours(2, 4000, 4.0)),
                EcdfSeries::from_samples("7×24 with reservations", &sample_hours(3, 4000, 3.0)),
            ],
            sla_hours: Some(24.0),
        }
    }

    fn bins_of(hours: &[f64], width: f64, count: usize) -> Vec<[f64; 3]> {
        let mut bins: Vec<[f64; 3]> = (0..count)
            .map(|k| [k as f64 * width, (k + 1) as f64 * width, 0.0])
            .collect();
        for h in hours {
            let k = ((h / width) as usize).min(count - 1);
            bins[k][2] += 1.0 / hours.len() as f64;
        }
        bins
    }

    pub(crate) fn sample_histogram() -> HistogramChart {
        HistogramChart {
            title: "Clearance time distribution".into(),
            subtitle: Some("share of released shipments per 2-hour bin".into()),
            series: vec![
                HistogramSeries {
                    name: "business hours".into(),
                    bins: bins_of(&sample_hours(1, 4000, 8.0), 2.0, 40),
                },
                HistogramSeries {
                    name: "7×24".into(),
                    bins: bins_of(&sample_hours(2, 4000, 4.0), 2.0, 40),
                },
            ],
            sla_hours: Some(24.0),
        }
    }

    /// Bins ten to a decade from 0.01 h, for a log axis.
    pub(crate) fn sample_histogram_log() -> HistogramChart {
        let bins = |hours: &[f64]| -> Vec<[f64; 3]> {
            let edges: Vec<f64> = (0..=50)
                .map(|k| 0.01 * 10f64.powf(k as f64 / 10.0))
                .collect();
            let mut bins: Vec<[f64; 3]> = edges.windows(2).map(|w| [w[0], w[1], 0.0]).collect();
            bins.insert(0, [0.0, 0.01, 0.0]);
            for h in hours {
                let k = bins
                    .iter()
                    .position(|b| *h < b[1])
                    .unwrap_or(bins.len() - 1);
                bins[k][2] += 1.0 / hours.len() as f64;
            }
            bins
        };
        HistogramChart {
            title: "Clearance time distribution".into(),
            subtitle: Some("bins ten to a decade".into()),
            series: vec![
                HistogramSeries {
                    name: "business hours".into(),
                    bins: bins(&sample_hours(1, 4000, 8.0)),
                },
                HistogramSeries {
                    name: "7×24".into(),
                    bins: bins(&sample_hours(2, 4000, 4.0)),
                },
            ],
            sla_hours: Some(24.0),
        }
    }

    pub(crate) fn sample_grid() -> ModeGridChart {
        let modes = [
            ("air cargo", 10.0),
            ("air luggage", 0.1),
            ("rail", 9.0),
            ("river", 5.0),
            ("road", 7.0),
            ("e-commerce", 0.3),
            ("bonded IT", 6.0),
        ];
        ModeGridChart {
            title: "Clearance time by mode".into(),
            subtitle: None,
            panels: modes
                .iter()
                .enumerate()
                .map(|(i, (mode, scale))| ModePanel {
                    mode: mode.to_string(),
                    series: vec![
                        EcdfSeries::from_samples(
                            "business hours",
                            &sample_hours(10 + i as u64, 1500, *scale),
                        ),
                        EcdfSeries::from_samples(
                            "7×24",
                            &sample_hours(20 + i as u64, 1500, scale / 2.0),
                        ),
                    ],
                })
                .collect(),
            sla_hours: Some(24.0),
        }
    }

    #[test]
    fn ecdf_writes_png_and_svg_in_both_scales() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_ecdf();
        for (scale, name) in [(TimeScale::Linear, "lin"), (TimeScale::Log, "log")] {
            let paths = ecdf(&chart, scale, &dir.path().join(name)).unwrap();
            assert_eq!(
                paths,
                vec![
                    dir.path().join(format!("{name}.png")),
                    dir.path().join(format!("{name}.svg"))
                ]
            );
            assert_png(&paths[0], 1200, 700);
            assert_svg(
                &paths[1],
                &[
                    "Clearance time: business hours vs 7×24",
                    TIME_LABEL,
                    CLEARED_LABEL,
                    "business hours (2016)",
                    "7×24 (2017)",
                    "SLA 24 h",
                    "p90 ",
                ],
            );
        }
        assert!(!dir.path().join("lin.part.png").exists());
    }

    #[test]
    fn ecdf_is_deterministic() {
        let chart = sample_ecdf();
        let a = ecdf_svg(&chart, TimeScale::Log).unwrap();
        let b = ecdf_svg(&chart, TimeScale::Log).unwrap();
        assert_eq!(a, b);
        let dir = tempfile::tempdir().unwrap();
        let p1 = ecdf(&chart, TimeScale::Linear, &dir.path().join("a")).unwrap();
        let p2 = ecdf(&chart, TimeScale::Linear, &dir.path().join("b")).unwrap();
        assert_eq!(
            std::fs::read(&p1[0]).unwrap(),
            std::fs::read(&p2[0]).unwrap()
        );
        assert_eq!(
            std::fs::read(&p1[1]).unwrap(),
            std::fs::read(&p2[1]).unwrap()
        );
    }

    #[test]
    fn ecdf_refuses_bad_data_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let mut chart = sample_ecdf();
        chart.series.clear();
        let err = ecdf(&chart, TimeScale::Linear, &dir.path().join("x")).unwrap_err();
        assert!(matches!(err, PlotError::Data(_)), "{err}");
        assert!(!dir.path().join("x.png").exists());
        let mut chart = sample_ecdf();
        chart.series[0].points.push((f64::NAN, 1.0));
        assert!(ecdf_svg(&chart, TimeScale::Linear).is_err());
        let err = ecdf(
            &sample_ecdf(),
            TimeScale::Linear,
            &dir.path().join("missing/x"),
        )
        .unwrap_err();
        assert!(matches!(err, PlotError::Io { .. }), "{err}");
    }

    #[test]
    fn series_helpers() {
        let s = EcdfSeries::from_samples("x", &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
        assert_eq!(s.p90_hours, Some(9.0));
        assert_eq!(s.points.last(), Some(&(10.0, 1.0)));
        assert_eq!(s.quantile(0.5), Some(5.0));
        let b = EcdfSeries::from_bins("b", &[[0.0, 1.0, 0.5], [1.0, 2.0, 0.5]]);
        assert_eq!(b.points, vec![(0.0, 0.0), (1.0, 0.5), (2.0, 1.0)]);
        assert!((b.p90_hours.unwrap() - 1.8).abs() < 1e-9);
    }

    #[test]
    fn histogram_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_histogram();
        let paths = histogram(&chart, TimeScale::Linear, &dir.path().join("h")).unwrap();
        assert_png(&paths[0], 1200, 700);
        assert_svg(
            &paths[1],
            &[
                "Clearance time distribution",
                TIME_LABEL,
                BIN_LABEL,
                "business hours",
                "7×24",
                "SLA 24 h",
            ],
        );
        assert_eq!(
            histogram_svg(&chart, TimeScale::Log).unwrap(),
            histogram_svg(&chart, TimeScale::Log).unwrap()
        );
    }

    #[test]
    fn mode_grid_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_grid();
        super::super::register_font().unwrap();
        let draw = ModeGridDraw {
            chart: &chart,
            scale: TimeScale::Log,
        };
        let (w, h) = draw.size();
        let paths = mode_grid(&chart, TimeScale::Log, &dir.path().join("m")).unwrap();
        assert_png(&paths[0], w, h);
        assert_svg(
            &paths[1],
            &[
                "Clearance time by mode",
                "air cargo",
                "bonded IT",
                TIME_LABEL,
                CLEARED_LABEL,
                "business hours",
                "7×24",
            ],
        );
        assert_eq!(
            mode_grid_svg(&chart, TimeScale::Linear).unwrap(),
            mode_grid_svg(&chart, TimeScale::Linear).unwrap()
        );
    }
}
