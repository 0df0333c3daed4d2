//! Sweep results: a metric against a swept value with 95 % CI bands, and a heatmap of a
//! metric over two swept values.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{HeatmapChart, SweepChart};
use super::{
    AXIS_DESC, Axis, Chart, INK, LegendEntry, MARKER, MUTED, NOTE, PAD, PlotError, Swatch, TICK,
    TICK_MARK, Ticked, axis_with_step, check_finite, clip_polyline, draw_boxed_text, draw_header,
    fmt_fixed, font, font_at, header_height, label_for, nice_axis, nice_step, series_color,
    style_mesh, svg_string, text_height, text_on, text_size, write_files, x_label_area,
    y_label_area,
};

/// Draws a metric against a swept value (lines, points and 95 % CI bands, one per group)
/// into `STEM.png` (1200×700) and `STEM.svg`; returns both paths.
pub fn sweep(chart: &SweepChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&SweepDraw(chart), path_stem)
}

/// [`sweep`] as an SVG document.
pub fn sweep_svg(chart: &SweepChart) -> Result<String, PlotError> {
    svg_string(&SweepDraw(chart))
}

/// Draws a heatmap (value printed in each cell, colour scale on the right) into `STEM.png`
/// (at least 1200×700, larger for many cells) and `STEM.svg`; returns both paths.
pub fn heatmap(chart: &HeatmapChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&HeatmapDraw(chart), path_stem)
}

/// [`heatmap`] as an SVG document.
pub fn heatmap_svg(chart: &HeatmapChart) -> Result<String, PlotError> {
    svg_string(&HeatmapDraw(chart))
}

// ---------------------------------------------------------------------------------------

struct SweepDraw<'a>(&'a SweepChart);

impl SweepDraw<'_> {
    fn any_ci(&self) -> bool {
        self.0
            .series
            .iter()
            .any(|s| s.points.iter().any(|p| p.ci95.is_some()))
    }
}

/// An x axis for the swept values: nice ticks inside the data, a little padding outside,
/// whole steps when the values are whole numbers.
fn sweep_x_axis(lo: f64, hi: f64) -> Axis {
    let whole = lo.fract() == 0.0 && hi.fract() == 0.0;
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let mut step = nice_step(span, 8);
    if whole {
        // Whole numbers (officers, shifts): every value up to 16 of them.
        step = if span <= 16.0 {
            1.0
        } else {
            step.max(1.0).round()
        };
    }
    let inner = axis_with_step(lo, hi, step);
    let ticks: Vec<f64> = inner
        .ticks
        .iter()
        .copied()
        .filter(|t| *t >= lo - 1e-9 && *t <= hi + 1e-9)
        .collect();
    let pad = span * 0.04;
    let (a, b) = if hi > lo {
        (lo - pad, hi + pad)
    } else {
        (lo - step, hi + step)
    };
    Axis {
        lo: a,
        hi: b,
        step,
        ticks: if ticks.is_empty() { vec![lo] } else { ticks },
    }
}

impl Chart for SweepDraw<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.series.iter().all(|s| s.points.is_empty()) {
            return Err(PlotError::Data(format!("\"{}\": no points", c.title)));
        }
        for s in &c.series {
            let what = format!("sweep series {:?}", s.name);
            check_finite(
                &what,
                s.points.iter().flat_map(|p| {
                    let (l, h) = p.ci95.unwrap_or((p.mean, p.mean));
                    [p.x, p.mean, l, h]
                }),
            )?;
            if s.points.windows(2).any(|w| w[1].x <= w[0].x) {
                return Err(PlotError::Data(format!(
                    "{what}: x must be ascending, each once"
                )));
            }
        }
        if let Some(r) = &c.reference {
            check_finite("the reference line", [r.value])?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let mut legend: Vec<LegendEntry> = Vec::new();
        if c.series.len() > 1 {
            legend.extend(
                c.series
                    .iter()
                    .enumerate()
                    .map(|(i, s)| LegendEntry::new(&s.name, series_color(i), Swatch::Line)),
            );
        }
        if self.any_ci() {
            legend.push(LegendEntry::new(
                "mean with 95 % confidence interval",
                RGBColor(110, 110, 110),
                Swatch::Band,
            ));
        }
        if let Some(r) = &c.reference {
            legend.push(LegendEntry::new(&r.label, MARKER, Swatch::Dashed));
        }
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);

        let points = || c.series.iter().flat_map(|s| s.points.iter());
        let xs = points().map(|p| p.x);
        let (x_lo, x_hi) = (
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
        );
        let ys = points()
            .flat_map(|p| {
                let (l, h) = p.ci95.unwrap_or((p.mean, p.mean));
                [p.mean, l, h]
            })
            .chain(c.reference.as_ref().map(|r| r.value));
        let (y_min, y_max) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        // From zero when the values are positive and zero is not far off.
        let y_lo = if y_min >= 0.0 && y_min < 0.4 * y_max {
            0.0
        } else {
            y_min - (y_max - y_min) * 0.05
        };
        let y = nice_axis(y_lo, y_max + (y_max - y_lo).abs() * 0.05, 6);
        let x = sweep_x_axis(x_lo, x_hi);
        let x_labels = x.labels();
        let y_labels = y.labels();

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_label_area(&y_labels))
            .build_cartesian_2d(
                Ticked::new(x.lo, x.hi, x.ticks.clone()),
                Ticked::new(y.lo, y.hi, y.ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x.ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y.ticks, &y_labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.x_desc(c.x_label.as_str())
                .y_desc(c.y_label.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }
        // Bands first, so every line lies on top of every band.
        for (i, s) in c.series.iter().enumerate() {
            let color = series_color(i);
            // A band over each run of consecutive points that have an interval.
            for run in s.points.split(|p| p.ci95.is_none()) {
                if run.len() >= 2 {
                    let mut poly: Vec<(f64, f64)> = run
                        .iter()
                        .map(|p| (p.x, p.ci95.expect("in run").1.clamp(y.lo, y.hi)))
                        .collect();
                    poly.extend(
                        run.iter()
                            .rev()
                            .map(|p| (p.x, p.ci95.expect("in run").0.clamp(y.lo, y.hi))),
                    );
                    chart.draw_series(std::iter::once(Polygon::new(
                        poly,
                        color.mix(0.16).filled(),
                    )))?;
                }
            }
        }
        for (i, s) in c.series.iter().enumerate() {
            let color = series_color(i);
            // Whiskers show the interval at every point, also where a band cannot.
            for p in &s.points {
                if let Some((l, h)) = p.ci95 {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(p.x, l.clamp(y.lo, y.hi)), (p.x, h.clamp(y.lo, y.hi))],
                        color.mix(0.7).stroke_width(2),
                    )))?;
                }
            }
            let line: Vec<(f64, f64)> = s.points.iter().map(|p| (p.x, p.mean)).collect();
            for run in clip_polyline(&line, (x.lo, x.hi), (y.lo, y.hi), false) {
                chart.draw_series(LineSeries::new(run, color.stroke_width(3)))?;
            }
            chart.draw_series(
                s.points
                    .iter()
                    .filter(|p| p.mean >= y.lo && p.mean <= y.hi)
                    .map(|p| Circle::new((p.x, p.mean), 5, color.filled())),
            )?;
        }
        if let Some(r) = &c.reference {
            chart.draw_series(DashedLineSeries::new(
                vec![(x.lo, r.value), (x.hi, r.value)],
                10,
                6,
                MARKER.stroke_width(2),
            ))?;
            let (px, py) = chart.plotting_area().get_pixel_range();
            let (_, ry) = chart.backend_coord(&(x.lo, r.value));
            let above = ry - text_height(NOTE) / 2 - 8;
            let y_text = if above - text_height(NOTE) / 2 > py.start {
                above
            } else {
                ry + text_height(NOTE) / 2 + 8
            };
            draw_boxed_text(
                root,
                &r.label,
                NOTE + 2.0,
                MARKER,
                (px.end - 8, y_text),
                HPos::Right,
            )?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// Viridis, sampled at nine points.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 45, 123),
    (59, 82, 139),
    (44, 114, 142),
    (33, 145, 140),
    (40, 174, 128),
    (94, 201, 98),
    (173, 220, 48),
    (253, 231, 37),
];

/// The viridis colour at `t` in 0..=1.
fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// No value: light grey.
const EMPTY_CELL: RGBColor = RGBColor(238, 238, 238);
const BAR_W: i32 = 26;

struct HeatmapDraw<'a>(&'a HeatmapChart);

impl HeatmapDraw<'_> {
    /// The smallest and largest value; `(0, 1)` when no cell has one.
    fn range(&self) -> (f64, f64) {
        let (lo, hi) = self
            .0
            .values
            .iter()
            .flatten()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        if lo <= hi { (lo, hi) } else { (0.0, 1.0) }
    }

    fn scale_axis(&self) -> Axis {
        let (lo, hi) = self.range();
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let step = nice_step(hi - lo, 5);
        let mut axis = axis_with_step(lo, hi, step);
        axis.ticks.retain(|t| *t >= lo - 1e-9 && *t <= hi + 1e-9);
        axis.lo = lo;
        axis.hi = hi;
        axis
    }

    /// Width of the colour scale area to the right of the plot.
    fn scale_area(&self) -> i32 {
        let axis = self.scale_axis();
        let widest = axis
            .ticks
            .iter()
            .map(|&t| text_size(&super::fmt_tick(t, axis.step), TICK).0)
            .max()
            .unwrap_or(0);
        36 + BAR_W + 10 + widest + 18 + text_height(AXIS_DESC) + 10
    }

    fn cell_text(&self, v: f64) -> String {
        fmt_fixed(v, self.0.decimals)
    }

    /// A cell's 95 % interval, if known.
    fn ci(&self, j: usize, i: usize) -> Option<(f64, f64)> {
        self.0
            .ci95
            .get(j)
            .and_then(|row| row.get(i))
            .copied()
            .flatten()
            .filter(|(l, h)| l.is_finite() && h.is_finite())
    }

    /// The best (lowest) cell, `(row, column)`.
    fn best(&self) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize, f64)> = None;
        for (j, row) in self.0.values.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                if let Some(v) = v.filter(|v| v.is_finite())
                    && best.is_none_or(|b| v < b.2)
                {
                    best = Some((j, i, v));
                }
            }
        }
        best.map(|(j, i, _)| (j, i))
    }

    /// Whether the cell at `(j, i)` is within the noise of the best: both intervals known
    /// and overlapping (the best cell itself included).
    fn near_best(&self, j: usize, i: usize) -> bool {
        let Some((bj, bi)) = self.best() else {
            return false;
        };
        match (self.ci(j, i), self.ci(bj, bi)) {
            (Some((l, _)), Some((_, bh))) => l <= bh,
            _ => false,
        }
    }

    /// The key to the marks, under the title (none without intervals).
    fn note(&self) -> Option<String> {
        let any = (0..self.0.values.len())
            .any(|j| (0..self.0.x_categories.len()).any(|i| self.ci(j, i).is_some()));
        any.then(|| {
            "± half-width of the 95 % CI · thick border: the best (lowest) cell · hatched: its CI overlaps the best's, so it does not differ from the best beyond the noise".to_string()
        })
    }
}

impl Chart for HeatmapDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let c = self.0;
        let widest_cell = c
            .values
            .iter()
            .flatten()
            .flatten()
            .map(|v| text_size(&self.cell_text(*v), NOTE + 2.0).0)
            .chain(c.x_categories.iter().map(|l| text_size(l, TICK).0))
            .max()
            .unwrap_or(40);
        let cell_w = (widest_cell + 24).max(70);
        let y_area = y_label_area(&c.y_categories);
        let w = 2 * PAD + y_area + c.x_categories.len() as i32 * cell_w + self.scale_area();
        let header = header_height(c.subtitle.as_deref(), &[], 1200)
            + self.note().map_or(0, |_| text_height(NOTE) + 10);
        let h = header + c.y_categories.len() as i32 * 58 + x_label_area() + 40;
        (w.max(1200) as u32, h.max(700) as u32)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.x_categories.is_empty() || c.y_categories.is_empty() {
            return Err(PlotError::Data(format!(
                "\"{}\": no rows or columns",
                c.title
            )));
        }
        if c.values.len() != c.y_categories.len()
            || c.values.iter().any(|row| row.len() != c.x_categories.len())
        {
            return Err(PlotError::Data(format!(
                "\"{}\": values must be {} rows of {} columns",
                c.title,
                c.y_categories.len(),
                c.x_categories.len()
            )));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let mut top = draw_header(root, &c.title, c.subtitle.as_deref(), &[])?;
        if let Some(note) = self.note() {
            root.draw_text(
                &note,
                &font_at(NOTE, HPos::Left, VPos::Top).color(&MUTED),
                (PAD, top - 4),
            )?;
            top += text_height(NOTE) + 10;
        }
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let (nx, ny) = (c.x_categories.len(), c.y_categories.len());
        let x_ticks: Vec<f64> = (0..nx).map(|i| i as f64 + 0.5).collect();
        let y_ticks: Vec<f64> = (0..ny).map(|j| j as f64 + 0.5).collect();
        let scale_area = self.scale_area();

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(scale_area)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_label_area(&c.y_categories))
            .build_cartesian_2d(
                Ticked::new(0.0, nx as f64, x_ticks.clone()),
                Ticked::new(0.0, ny as f64, y_ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x_ticks, &c.x_categories, *v);
            let y_fmt = |v: &f64| label_for(&y_ticks, &c.y_categories, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.disable_mesh()
                .x_desc(c.x_label.as_str())
                .y_desc(c.y_label.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }

        let axis = self.scale_axis();
        let t_of = |v: f64| (v - axis.lo) / (axis.hi - axis.lo);
        for (j, row) in c.values.iter().enumerate() {
            for (i, value) in row.iter().enumerate() {
                let v = value.filter(|v| v.is_finite());
                let fill = v.map_or(EMPTY_CELL, |v| viridis(t_of(v)));
                let (x0, y0) = (i as f64, j as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x0 + 1.0, y0 + 1.0)],
                    fill.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x0 + 1.0, y0 + 1.0)],
                    WHITE.stroke_width(2),
                )))?;
                if v.is_some() && self.near_best(j, i) {
                    // Diagonal hatching, clipped to the cell.
                    let (l, b) = chart.backend_coord(&(x0, y0));
                    let (r, t) = chart.backend_coord(&(x0 + 1.0, y0 + 1.0));
                    let hatch = text_on(fill).mix(0.55).stroke_width(1);
                    let mut k = l - (b - t);
                    while k < r {
                        let (mut xa, mut ya) = (k, b);
                        if xa < l {
                            ya -= l - xa;
                            xa = l;
                        }
                        let (mut xb, mut yb) = (k + (b - t), t);
                        if xb > r {
                            yb += xb - r;
                            xb = r;
                        }
                        root.draw(&PathElement::new(vec![(xa, ya), (xb, yb)], hatch))?;
                        k += 9;
                    }
                }
                if v.is_some() && self.best() == Some((j, i)) {
                    let (l, b) = chart.backend_coord(&(x0, y0));
                    let (r, t) = chart.backend_coord(&(x0 + 1.0, y0 + 1.0));
                    root.draw(&Rectangle::new(
                        [(l + 3, t + 3), (r - 3, b - 3)],
                        INK.stroke_width(4),
                    ))?;
                }
                let (px, py) = chart.backend_coord(&(x0 + 0.5, y0 + 0.5));
                let Some(v) = v else {
                    root.draw_text(
                        "–",
                        &font_at(NOTE + 2.0, HPos::Center, VPos::Center).color(&MUTED),
                        (px, py),
                    )?;
                    continue;
                };
                let ci = self.ci(j, i);
                let dy = if ci.is_some() {
                    text_height(NOTE) / 2 + 1
                } else {
                    0
                };
                // Values on white, readable over any colour and the hatching.
                let text = self.cell_text(v);
                draw_boxed_text(root, &text, NOTE + 2.0, INK, (px, py - dy), HPos::Center)?;
                if let Some((l, h)) = ci {
                    let half = fmt_fixed((h - l) / 2.0, c.decimals);
                    draw_boxed_text(
                        root,
                        &format!("±{half}"),
                        NOTE - 1.0,
                        INK,
                        (px, py + dy + 2),
                        HPos::Center,
                    )?;
                }
            }
        }

        // The colour scale: a vertical bar, its ticks, and its label.
        let (px, py) = chart.plotting_area().get_pixel_range();
        let bar_x = px.end + 36;
        let (top_y, bottom_y) = (py.start, py.end);
        let steps = 120;
        let h = (bottom_y - top_y) as f64;
        for k in 0..steps {
            let y0 = bottom_y as f64 - h * (k + 1) as f64 / steps as f64;
            let y1 = bottom_y as f64 - h * k as f64 / steps as f64;
            root.draw(&Rectangle::new(
                [
                    (bar_x, y0.floor() as i32),
                    (bar_x + BAR_W, y1.ceil() as i32),
                ],
                viridis((k as f64 + 0.5) / steps as f64).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(bar_x, top_y), (bar_x + BAR_W, bottom_y)],
            super::AXIS_LINE.stroke_width(1),
        ))?;
        let mut widest = 0;
        for &t in &axis.ticks {
            let y = bottom_y - (t_of(t) * h).round() as i32;
            root.draw(&PathElement::new(
                vec![(bar_x + BAR_W, y), (bar_x + BAR_W + TICK_MARK, y)],
                super::AXIS_LINE.stroke_width(1),
            ))?;
            let label = super::fmt_tick(t, axis.step);
            widest = widest.max(text_size(&label, TICK).0);
            root.draw_text(
                &label,
                &font_at(TICK, HPos::Left, VPos::Center),
                (bar_x + BAR_W + TICK_MARK + 5, y),
            )?;
        }
        let desc_x = bar_x + BAR_W + TICK_MARK + 5 + widest + 14;
        root.draw_text(
            &c.value_label,
            &font(AXIS_DESC).transform(FontTransform::Rotate90).pos(
                plotters::style::text_anchor::Pos::new(HPos::Center, VPos::Top),
            ),
            (desc_x + text_height(AXIS_DESC), (top_y + bottom_y) / 2),
        )?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::{Reference, SweepPoint, SweepSeries};
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    pub(crate) fn sample_sweep() -> SweepChart {
        let curve = |base: f64, k: f64| -> Vec<SweepPoint> {
            (3..=12)
                .map(|staff| {
                    let x = staff as f64;
                    let mean = base + k / (x - 2.5);
                    let half = 0.4 + 2.0 / x;
                    SweepPoint {
                        x,
                        mean,
                        ci95: Some((mean - half, mean + half)),
                    }
                })
                .collect()
        };
        SweepChart {
            title: "Mean clearance time vs review officers".into(),
            subtitle: Some("10 replications per point".into()),
            x_label: "officers per shift (review pool)".into(),
            y_label: "mean clearance time (hours)".into(),
            series: vec![
                SweepSeries {
                    name: "business hours".into(),
                    points: curve(14.0, 12.0),
                },
                SweepSeries {
                    name: "7×24".into(),
                    points: curve(7.0, 8.0),
                },
            ],
            reference: Some(Reference {
                value: 12.0,
                label: "target: mean ≤ 12 h".into(),
            }),
        }
    }

    pub(crate) fn sample_heatmap() -> HeatmapChart {
        let xs = [2, 3, 4, 5, 6, 7];
        let ys = [2, 3, 4, 5];
        HeatmapChart {
            title: "p90 clearance by review and inspection staff".into(),
            subtitle: Some("7×24 policy, 10 replications per cell".into()),
            x_label: "review officers per shift".into(),
            y_label: "inspection officers per shift".into(),
            value_label: "p90 clearance time (hours)".into(),
            x_categories: xs.iter().map(|x| x.to_string()).collect(),
            y_categories: ys.iter().map(|y| y.to_string()).collect(),
            values: ys
                .iter()
                .map(|&y| {
                    xs.iter()
                        .map(|&x| (x + y > 5).then(|| 6.0 + 60.0 / (x as f64 * y as f64 - 4.0)))
                        .collect()
                })
                .collect(),
            decimals: 1,
            ci95: ys
                .iter()
                .map(|&y| {
                    xs.iter()
                        .map(|&x| {
                            let v = 6.0 + 60.0 / (x as f64 * y as f64 - 4.0);
                            (x + y > 5).then_some((v - 1.5, v + 1.5))
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn sweep_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_sweep();
        let paths = sweep(&chart, &dir.path().join("sweep")).unwrap();
        assert_png(&paths[0], 1200, 700);
        assert_svg(
            &paths[1],
            &[
                "Mean clearance time vs review officers",
                "officers per shift (review pool)",
                "mean clearance time (hours)",
                "business hours",
                "7×24",
                "mean with 95 % confidence interval",
                "target: mean ≤ 12 h",
            ],
        );
        assert_eq!(sweep_svg(&chart).unwrap(), sweep_svg(&chart).unwrap());
    }

    #[test]
    fn heatmap_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_heatmap();
        let paths = heatmap(&chart, &dir.path().join("heat")).unwrap();
        let (w, h) = HeatmapDraw(&chart).size();
        assert_png(&paths[0], w, h);
        let svg = assert_svg(
            &paths[1],
            &[
                "p90 clearance by review and inspection staff",
                "review officers per shift",
                "inspection officers per shift",
                "p90 clearance time (hours)",
                "21.0",
                "–",
            ],
        );
        assert!(svg.contains("18.0"));
        assert_eq!(heatmap_svg(&chart).unwrap(), heatmap_svg(&chart).unwrap());
    }

    #[test]
    fn heatmap_checks_its_shape() {
        let mut chart = sample_heatmap();
        chart.values.pop();
        let err = heatmap_svg(&chart).unwrap_err();
        assert!(err.to_string().contains("4 rows of 6 columns"), "{err}");
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
    }
}
