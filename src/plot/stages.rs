//! Time Release Study breakdown: one stacked horizontal bar per (mode, policy), segments
//! the mean waiting and service hours of each stage.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{StagePart, StagesChart};
use super::{
    Chart, LegendEntry, NOTE, PAD, PlotError, Swatch, TICK, TICK_MARK, Ticked, check_finite,
    draw_header, fmt_fixed, font_at, header_height, label_for, nice_axis, series_color, style_mesh,
    svg_string, text_on, text_size, tint, write_files, x_label_area,
};

const HOURS_LABEL: &str = "mean time per shipment (hours)";
/// Height of one bar's slot in pixels.
const SLOT_PX: f64 = 50.0;
/// Gap between groups, in slots.
const GROUP_GAP: f64 = 0.5;
/// Half a bar's thickness, in slots.
const HALF_BAR: f64 = 0.34;

/// Draws stacked stage bars into `STEM.png` (1200 wide, about 50 per bar, at least 560
/// high) and `STEM.svg`; returns both paths.
pub fn stages(chart: &StagesChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&StagesDraw(chart), path_stem)
}

/// [`stages`] as an SVG document.
pub fn stages_svg(chart: &StagesChart) -> Result<String, PlotError> {
    svg_string(&StagesDraw(chart))
}

struct StagesDraw<'a>(&'a StagesChart);

impl StagesDraw<'_> {
    /// Stage names in order of first appearance, which gives their colours.
    fn stages(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for bar in &self.0.bars {
            for seg in &bar.segments {
                if !names.contains(&seg.stage.as_str()) {
                    names.push(&seg.stage);
                }
            }
        }
        names
    }

    fn color(&self, stage: &str, part: StagePart) -> RGBColor {
        let k = self.stages().iter().position(|s| *s == stage).unwrap_or(0);
        let c = series_color(k);
        match part {
            StagePart::Waiting => tint(c, 0.58),
            StagePart::Service => c,
        }
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut legend = Vec::new();
        for stage in self.stages() {
            for (part, word) in [
                (StagePart::Waiting, "waiting"),
                (StagePart::Service, "service"),
            ] {
                let present = self
                    .0
                    .bars
                    .iter()
                    .flat_map(|b| &b.segments)
                    .any(|s| s.stage == stage && s.part == part);
                if present {
                    legend.push(LegendEntry::new(
                        format!("{stage}: {word}"),
                        self.color(stage, part),
                        Swatch::Box,
                    ));
                }
            }
        }
        legend
    }

    /// Each bar's centre (in slots from the top) and the total height in slots.
    fn positions(&self) -> (Vec<f64>, f64) {
        let mut centres = Vec::with_capacity(self.0.bars.len());
        let mut y = 0.0;
        for (i, bar) in self.0.bars.iter().enumerate() {
            if i > 0 && bar.group != self.0.bars[i - 1].group {
                y += GROUP_GAP;
            }
            centres.push(y + 0.5);
            y += 1.0;
        }
        (centres, y)
    }

    fn bar_label(&self, i: usize) -> String {
        let bar = &self.0.bars[i];
        match (bar.group.is_empty(), bar.label.is_empty()) {
            (true, _) => bar.label.clone(),
            (false, true) => bar.group.clone(),
            (false, false) if bar.group == bar.label => bar.label.clone(),
            (false, false) => format!("{} · {}", bar.group, bar.label),
        }
    }
}

impl Chart for StagesDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let header = header_height(self.0.subtitle.as_deref(), &self.legend(), 1200);
        let (_, slots) = self.positions();
        let plot = (slots * SLOT_PX) as i32 + 24;
        (1200, (header + plot + x_label_area() + 24).max(560) as u32)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.bars.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no bars", c.title)));
        }
        for (i, bar) in c.bars.iter().enumerate() {
            check_finite(
                &format!("bar {:?}", self.bar_label(i)),
                bar.segments.iter().map(|s| s.hours),
            )?;
            if bar.segments.iter().any(|s| s.hours < 0.0) {
                return Err(PlotError::Data(format!(
                    "bar {:?}: a segment has negative hours",
                    self.bar_label(i)
                )));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &self.legend())?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let (centres, slots) = self.positions();
        let labels: Vec<String> = (0..c.bars.len()).map(|i| self.bar_label(i)).collect();
        // Plot y runs upwards: a centre `k` slots from the top sits at `slots - k`.
        let y_ticks: Vec<f64> = centres.iter().map(|k| slots - k).collect();
        let y_area = labels
            .iter()
            .map(|l| text_size(l, TICK).0)
            .max()
            .unwrap_or(0)
            + 2 * TICK_MARK
            + 14;

        let totals: Vec<f64> = c
            .bars
            .iter()
            .map(|b| b.segments.iter().map(|s| s.hours).sum())
            .collect();
        let max_total = totals.iter().copied().fold(0.0f64, f64::max);
        // Room to the right of the longest bar for its total.
        let (bw, _) = body.dim_in_pixel();
        let plot_w = (bw as i32 - y_area - 34) as f64;
        let label_w = text_size("000.0 h", NOTE).0 as f64 + 16.0;
        let hi = if max_total > 0.0 {
            max_total / (1.0 - label_w / plot_w).max(0.5)
        } else {
            1.0
        };
        let x = nice_axis(0.0, hi, 8);
        let x_labels = x.labels();

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Ticked::new(x.lo, x.hi, x.ticks.clone()),
                Ticked::new(0.0, slots, y_ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x.ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y_ticks, &labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.disable_y_mesh()
                .x_desc(HOURS_LABEL)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }

        for (i, bar) in c.bars.iter().enumerate() {
            let yc = y_ticks[i];
            let (y0, y1) = (yc - HALF_BAR, yc + HALF_BAR);
            let mut from = 0.0;
            for seg in &bar.segments {
                let to = from + seg.hours;
                let color = self.color(&seg.stage, seg.part);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(from, y0), (to.min(x.hi), y1)],
                    color.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(from, y0), (to.min(x.hi), y1)],
                    WHITE.stroke_width(1),
                )))?;
                // The segment's hours inside it, where they fit.
                let (l, yy) = chart.backend_coord(&(from, yc));
                let (r, _) = chart.backend_coord(&(to.min(x.hi), yc));
                let text = fmt_fixed(seg.hours, 1);
                if r - l >= text_size(&text, NOTE).0 + 12 {
                    root.draw_text(
                        &text,
                        &font_at(NOTE, HPos::Center, VPos::Center).color(&text_on(color)),
                        ((l + r) / 2, yy),
                    )?;
                }
                from = to;
            }
            let (px, py) = chart.backend_coord(&(totals[i].min(x.hi), yc));
            let total = fmt_fixed(totals[i], if totals[i] < 1.0 { 2 } else { 1 });
            root.draw_text(
                &format!("{total} h"),
                &font_at(NOTE + 1.0, HPos::Left, VPos::Center),
                (px + 8, py),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::{StageBar, StageSegment};
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    fn bar(group: &str, label: &str, parts: &[(&str, f64, f64)]) -> StageBar {
        StageBar {
            group: group.into(),
            label: label.into(),
            segments: parts
                .iter()
                .flat_map(|&(stage, wait, service)| {
                    [
                        StageSegment {
                            stage: stage.into(),
                            part: StagePart::Waiting,
                            hours: wait,
                        },
                        StageSegment {
                            stage: stage.into(),
                            part: StagePart::Service,
                            hours: service,
                        },
                    ]
                })
                .collect(),
        }
    }

    pub(crate) fn sample() -> StagesChart {
        StagesChart {
            title: "Where clearance time goes (Time Release Study)".into(),
            subtitle: Some("mean hours per released shipment, by stage".into()),
            bars: vec![
                bar(
                    "air cargo",
                    "business hours",
                    &[
                        ("review", 9.5, 0.4),
                        ("inspection", 6.0, 1.2),
                        ("release", 4.1, 0.3),
                    ],
                ),
                bar(
                    "air cargo",
                    "7×24",
                    &[
                        ("review", 4.2, 0.4),
                        ("inspection", 3.5, 1.2),
                        ("release", 2.6, 0.3),
                    ],
                ),
                bar(
                    "rail",
                    "business hours",
                    &[
                        ("review", 8.8, 0.5),
                        ("inspection", 7.0, 1.5),
                        ("release", 2.5, 0.3),
                    ],
                ),
                bar(
                    "rail",
                    "7×24",
                    &[
                        ("review", 4.0, 0.5),
                        ("inspection", 3.4, 1.5),
                        ("release", 1.0, 0.3),
                    ],
                ),
                bar(
                    "e-commerce",
                    "business hours",
                    &[("review", 0.2, 0.05), ("release", 0.1, 0.02)],
                ),
                bar(
                    "e-commerce",
                    "7×24",
                    &[("review", 0.05, 0.05), ("release", 0.03, 0.02)],
                ),
            ],
        }
    }

    #[test]
    fn stages_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample();
        let paths = stages(&chart, &dir.path().join("stages")).unwrap();
        let (w, h) = StagesDraw(&chart).size();
        assert_png(&paths[0], w, h);
        assert_svg(
            &paths[1],
            &[
                "Where clearance time goes (Time Release Study)",
                HOURS_LABEL,
                "air cargo · business hours",
                "rail · 7×24",
                "review: waiting",
                "review: service",
                "inspection: waiting",
                "release: service",
                "21.5 h",
            ],
        );
        assert_eq!(stages_svg(&chart).unwrap(), stages_svg(&chart).unwrap());
    }

    #[test]
    fn stages_refuses_negative_hours() {
        let mut chart = sample();
        chart.bars[1].segments[0].hours = -1.0;
        let err = stages_svg(&chart).unwrap_err();
        assert!(err.to_string().contains("air cargo · 7×24"), "{err}");
    }
}
