//! Tornado chart: how far a figure swings when each input moves to its low and its high
//! value, one row per input (widest first, as given), with the base value marked and a
//! 95 % interval whisker at each bar's end.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    Chart, LegendEntry, MARKER, NOTE, PAD, PlotError, Swatch, TICK, TICK_MARK, Ticked,
    check_finite, darken, draw_header, font_at, header_height, label_for, nice_axis, series_color,
    style_mesh, svg_string, text_size, write_files, x_label_area,
};

/// One input's row: the figure at its low and at its high value.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The input's name, left of its row.
    pub label: String,
    /// The low value, shown at its bar's end.
    pub low_label: String,
    /// The high value, shown at its bar's end.
    pub high_label: String,
    /// The figure at the low value.
    pub low: f64,
    /// The figure at the high value.
    pub high: f64,
    /// The 95 % interval of the figure at the low value, if any.
    pub low_ci: Option<[f64; 2]>,
    /// The 95 % interval of the figure at the high value, if any.
    pub high_ci: Option<[f64; 2]>,
}

/// A tornado chart: bars from the base value to each input's low and high figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: Option<String>,
    /// The figure's name and unit, under the x axis.
    pub x_label: String,
    /// The figure with every input at its base value (a vertical line).
    pub base: f64,
    /// The base line's label.
    pub base_label: String,
    /// The rows, top first.
    pub bars: Vec<TornadoBar>,
}

/// Height of one input's row in pixels (two half-bars: low above, high below).
const ROW_PX: f64 = 64.0;
/// Half a half-bar's thickness, in rows.
const HALF_BAR: f64 = 0.17;
/// Distance of each half-bar's centre from the row's centre, in rows.
const OFFSET: f64 = 0.2;

/// Draws a tornado chart into `STEM.png` (at least 1200 wide, 64 per row, at least 480
/// high) and `STEM.svg`; returns both paths.
pub fn tornado(chart: &TornadoChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&TornadoDraw(chart), path_stem)
}

/// [`tornado`] as an SVG document.
pub fn tornado_svg(chart: &TornadoChart) -> Result<String, PlotError> {
    svg_string(&TornadoDraw(chart))
}

struct TornadoDraw<'a>(&'a TornadoChart);

fn low_color() -> RGBColor {
    series_color(0)
}

fn high_color() -> RGBColor {
    series_color(1)
}

impl TornadoDraw<'_> {
    fn legend(&self) -> Vec<LegendEntry> {
        vec![
            LegendEntry::new("at the low value", low_color(), Swatch::Box),
            LegendEntry::new("at the high value", high_color(), Swatch::Box),
            LegendEntry::new(&self.0.base_label, MARKER, Swatch::Dashed),
        ]
    }

    fn label_width(&self) -> i32 {
        self.0
            .bars
            .iter()
            .map(|b| text_size(&b.label, TICK).0)
            .max()
            .unwrap_or(0)
            + 2 * TICK_MARK
            + 14
    }

    /// Each bar end's outer reach: the figure or its whisker, whichever is further from
    /// the base.
    fn reach(&self, value: f64, ci: Option<[f64; 2]>) -> f64 {
        let base = self.0.base;
        match ci {
            Some([lo, _]) if value < base => lo.min(value),
            Some([_, hi]) => hi.max(value),
            None => value,
        }
    }
}

impl Chart for TornadoDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let width = (self.label_width() + 1000).max(1200) as u32;
        let header = header_height(self.0.subtitle.as_deref(), &self.legend(), width);
        let plot = (self.0.bars.len() as f64 * ROW_PX) as i32 + 24;
        (width, (header + plot + x_label_area() + 24).max(480) as u32)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.bars.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no bars", c.title)));
        }
        check_finite("the base", [c.base])?;
        for bar in &c.bars {
            check_finite(
                &format!("bar {:?}", bar.label),
                [bar.low, bar.high]
                    .into_iter()
                    .chain(bar.low_ci.into_iter().flatten())
                    .chain(bar.high_ci.into_iter().flatten()),
            )?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &self.legend())?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let rows = c.bars.len() as f64;
        let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
        // Plot y runs upwards: row k (0 at the top) is centred at rows − k − 0.5.
        let y_ticks: Vec<f64> = (0..c.bars.len()).map(|k| rows - k as f64 - 0.5).collect();
        let y_area = self.label_width();

        // The data's extent, then room for the value labels beyond each end.
        let mut lo = c.base;
        let mut hi = c.base;
        let mut left_px = 0;
        let mut right_px = 0;
        for bar in &c.bars {
            for (value, ci, text) in [
                (bar.low, bar.low_ci, &bar.low_label),
                (bar.high, bar.high_ci, &bar.high_label),
            ] {
                let r = self.reach(value, ci);
                lo = lo.min(r);
                hi = hi.max(r);
                let w = text_size(text, NOTE).0 + 26;
                if value < c.base {
                    left_px = left_px.max(w);
                } else {
                    right_px = right_px.max(w);
                }
            }
        }
        let (bw, _) = body.dim_in_pixel();
        let plot_w = (bw as i32 - y_area - 34).max(200) as f64;
        let span = if hi > lo {
            hi - lo
        } else {
            c.base.abs().max(1.0)
        };
        let free = (1.0 - f64::from(left_px + right_px) / plot_w).max(0.4);
        let total = span / free;
        let x = nice_axis(
            lo - f64::from(left_px) / plot_w * total,
            hi + f64::from(right_px) / plot_w * total,
            8,
        );
        let x_labels = x.labels();

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Ticked::new(x.lo, x.hi, x.ticks.clone()),
                Ticked::new(0.0, rows, y_ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x.ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y_ticks, &labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.disable_y_mesh()
                .x_desc(c.x_label.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }

        for (k, bar) in c.bars.iter().enumerate() {
            let yc = y_ticks[k];
            for (value, ci, text, color, y) in [
                (
                    bar.low,
                    bar.low_ci,
                    &bar.low_label,
                    low_color(),
                    yc + OFFSET,
                ),
                (
                    bar.high,
                    bar.high_ci,
                    &bar.high_label,
                    high_color(),
                    yc - OFFSET,
                ),
            ] {
                let (y0, y1) = (y - HALF_BAR, y + HALF_BAR);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(c.base, y0), (value, y1)],
                    color.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(c.base, y0), (value, y1)],
                    darken(color).stroke_width(1),
                )))?;
                if let Some([wlo, whi]) = ci {
                    let cap = HALF_BAR * 0.8;
                    let ink = RGBColor(40, 40, 40).stroke_width(2);
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(wlo, y), (whi, y)],
                        ink,
                    )))?;
                    for end in [wlo, whi] {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(end, y - cap), (end, y + cap)],
                            ink,
                        )))?;
                    }
                }
                // The value beyond the bar's outer end (and its whisker).
                let outer = self.reach(value, ci);
                let (px, py) = chart.backend_coord(&(outer, y));
                let (anchor, dx) = if value < c.base {
                    (HPos::Right, -8)
                } else {
                    (HPos::Left, 8)
                };
                root.draw_text(
                    text,
                    &font_at(NOTE, anchor, VPos::Center).color(&darken(color)),
                    (px + dx, py),
                )?;
            }
        }
        chart.draw_series(DashedLineSeries::new(
            vec![(c.base, 0.0), (c.base, rows)],
            9,
            6,
            MARKER.stroke_width(2),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    pub(crate) fn sample() -> TornadoChart {
        TornadoChart {
            title: "Sensitivity of mean clearance time".into(),
            subtitle: Some("each value ±25 %, paired with the base run".into()),
            x_label: "mean clearance time (hours)".into(),
            base: 3.72,
            base_label: "base run (3.72 h)".into(),
            bars: vec![
                TornadoBar {
                    label: "pools.servers.staff".into(),
                    low_label: "2".into(),
                    high_label: "4".into(),
                    low: 9.5,
                    high: 1.6,
                    low_ci: Some([9.1, 9.9]),
                    high_ci: Some([1.55, 1.65]),
                },
                TornadoBar {
                    label: "modes.customers.arrivals.rate_per_hour".into(),
                    low_label: "2.025".into(),
                    high_label: "3.375".into(),
                    low: 1.9,
                    high: 6.1,
                    low_ci: Some([1.85, 1.95]),
                    high_ci: None,
                },
            ],
        }
    }

    #[test]
    fn tornado_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample();
        let paths = tornado(&chart, &dir.path().join("tornado")).unwrap();
        let (w, h) = TornadoDraw(&chart).size();
        assert_png(&paths[0], w, h);
        assert_svg(
            &paths[1],
            &[
                "Sensitivity of mean clearance time",
                "mean clearance time (hours)",
                "pools.servers.staff",
                "modes.customers.arrivals.rate_per_hour",
                "at the low value",
                "base run (3.72 h)",
                "3.375",
            ],
        );
        assert_eq!(tornado_svg(&chart).unwrap(), tornado_svg(&chart).unwrap());
    }

    #[test]
    fn tornado_refuses_values_that_are_not_finite() {
        let mut chart = sample();
        chart.bars[1].high = f64::NAN;
        let err = tornado_svg(&chart).unwrap_err();
        assert!(err.to_string().contains("rate_per_hour"), "{err}");
    }
}
