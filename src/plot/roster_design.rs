//! A designed roster against its demand, one panel per day type over the 24 hours of
//! the day: the offered load m(t) (officers busy if there were always enough) as a grey
//! area, the requirement s(t) as dashed steps, and the officers on duty under the
//! designed and the scenario's own roster as solid steps — all in officers, on one axis
//! shared by every panel so that day types compare at a glance.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::RosterDesignChart;
use super::{
    Chart, LegendEntry, PAD, PANEL_TITLE, PlotError, Swatch, Ticked, axis_with_step, check_finite,
    draw_header, font_at, header_height, label_for, nice_step, series_color, style_mesh,
    svg_string, text_height, write_files, x_label_area, y_label_area,
};

/// Grey of the offered-load area.
const DEMAND: RGBColor = RGBColor(128, 128, 128);
/// Height of one panel, pixels.
const PANEL_H: u32 = 300;
/// Panels side by side.
const COLUMNS: usize = 2;
const WIDTH: u32 = 1400;

/// Draws the chart into `STEM.png` and `STEM.svg` (1400 wide, 300 per row of two
/// panels); returns both paths.
pub fn roster_design(
    chart: &RosterDesignChart,
    path_stem: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&DesignDraw(chart), path_stem)
}

/// [`roster_design`] as an SVG document.
pub fn roster_design_svg(chart: &RosterDesignChart) -> Result<String, PlotError> {
    svg_string(&DesignDraw(chart))
}

/// Hourly values as steps (each value holds for its hour).
fn steps(values: &[f64]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .flat_map(|(h, &v)| [(h as f64, v), (h as f64 + 1.0, v)])
        .collect()
}

struct DesignDraw<'a>(&'a RosterDesignChart);

impl DesignDraw<'_> {
    fn legend(&self) -> Vec<LegendEntry> {
        vec![
            LegendEntry::new(
                "offered load m(t): officers busy with always enough",
                super::tint(DEMAND, 0.55),
                Swatch::Box,
            ),
            LegendEntry::new("requirement s(t)", RGBColor(0, 0, 0), Swatch::Dashed),
            LegendEntry::new("designed roster: on duty", series_color(0), Swatch::Line),
            LegendEntry::new(
                "own roster: on duty (mean over the days)",
                series_color(1),
                Swatch::Line,
            ),
        ]
    }

    fn rows(&self) -> usize {
        self.0.panels.len().div_ceil(COLUMNS)
    }
}

impl Chart for DesignDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let header = header_height(self.0.subtitle.as_deref(), &self.legend(), WIDTH) as u32;
        (WIDTH, header + self.rows().max(1) as u32 * PANEL_H + 10)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.panels.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no day types", c.title)));
        }
        for p in &c.panels {
            for (what, v) in [
                ("offered load", &p.offered_load),
                ("requirement", &p.requirement),
                ("designed", &p.designed),
                ("own", &p.own),
            ] {
                if v.len() != 24 {
                    return Err(PlotError::Data(format!(
                        "{what} of {:?} has {} values; a day needs 24 (00:00 first)",
                        p.title,
                        v.len()
                    )));
                }
                check_finite(&format!("{what} of {:?}", p.title), v.iter().copied())?;
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &self.legend())?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 0, PAD - 8, 0);
        let cells = body.split_evenly((self.rows(), COLUMNS));
        // One axis for every panel.
        let max = c
            .panels
            .iter()
            .flat_map(|p| {
                p.offered_load
                    .iter()
                    .chain(&p.requirement)
                    .chain(&p.designed)
                    .chain(&p.own)
                    .copied()
            })
            .fold(0.0f64, f64::max);
        let hi = if max > 0.0 { max * 1.08 } else { 1.0 };
        let y = axis_with_step(0.0, hi, nice_step(hi, 5).max(1.0));
        let y_labels = y.labels();
        let left_w = y_label_area(&y_labels);
        let x_ticks: Vec<f64> = (0..=8).map(|k| f64::from(k) * 3.0).collect();
        let x_labels: Vec<String> = x_ticks.iter().map(|h| format!("{h:02}:00")).collect();
        for (p, area) in c.panels.iter().zip(&cells) {
            let (ax, ay) = area.get_base_pixel();
            root.draw_text(
                &p.title,
                &font_at(PANEL_TITLE, HPos::Left, VPos::Top),
                (ax + left_w - text_height(super::AXIS_DESC) - 8, ay + 4),
            )?;
            let (_, plot) = area.split_vertically(text_height(PANEL_TITLE) + 12);
            let mut chart = ChartBuilder::on(&plot)
                .margin_top(6)
                .margin_bottom(10)
                .margin_right(20)
                .x_label_area_size(x_label_area())
                .y_label_area_size(left_w)
                .build_cartesian_2d(
                    Ticked::new(0.0, 24.0, x_ticks.clone())
                        .with_light((0..24).map(f64::from).filter(|h| h % 3.0 != 0.0).collect()),
                    Ticked::new(y.lo, y.hi, y.ticks.clone()),
                )?;
            {
                let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
                let y_fmt = |v: &f64| label_for(&y.ticks, &y_labels, *v);
                let mut mesh = chart.configure_mesh();
                style_mesh(&mut mesh);
                mesh.x_desc("hour of the day")
                    .y_desc("officers")
                    .x_label_formatter(&x_fmt)
                    .y_label_formatter(&y_fmt)
                    .draw()?;
            }
            chart.draw_series(
                AreaSeries::new(steps(&p.offered_load), 0.0, DEMAND.mix(0.28).filled())
                    .border_style(DEMAND.stroke_width(1)),
            )?;
            chart.draw_series(LineSeries::new(
                steps(&p.own),
                series_color(1).stroke_width(3),
            ))?;
            chart.draw_series(LineSeries::new(
                steps(&p.designed),
                series_color(0).stroke_width(3),
            ))?;
            chart.draw_series(DashedLineSeries::new(
                steps(&p.requirement),
                8,
                6,
                RGBColor(0, 0, 0).stroke_width(2),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::DesignPanel;
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    fn sample() -> RosterDesignChart {
        let day = |scale: f64| DesignPanel {
            title: format!("day × {scale}"),
            offered_load: (0..24)
                .map(|h| scale * (10.0 + 5.0 * (f64::from(h) / 4.0).sin()))
                .collect(),
            requirement: (0..24)
                .map(|h| (scale * (12.0 + 5.0 * (f64::from(h) / 4.0).sin())).ceil())
                .collect(),
            designed: vec![scale * 18.0; 24],
            own: vec![20.0; 24],
        };
        RosterDesignChart {
            title: "review: designed roster".into(),
            subtitle: Some("a test".into()),
            panels: vec![day(1.0), day(1.3), day(0.6)],
        }
    }

    #[test]
    fn a_design_chart_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let paths = roster_design(&sample(), &dir.path().join("roster-review")).unwrap();
        assert_eq!(paths.len(), 2);
        let (w, h) = DesignDraw(&sample()).size();
        assert_png(&paths[0], w, h);
        assert_svg(&paths[1], &["requirement s(t)", "day × 1.3"]);
    }

    #[test]
    fn a_day_needs_24_hours() {
        let mut c = sample();
        c.panels[1].own.pop();
        let e = roster_design_svg(&c).unwrap_err();
        assert!(e.to_string().contains("a day needs 24"), "{e}");
    }
}
