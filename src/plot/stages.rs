//! Time Release Study breakdown: a row per stage of each mode, a bar per series in each
//! row (mean waiting then service hours per shipment), and the mode's mean clearance as
//! an outlined bar. Stages are not stacked on each other: a parallel block overlaps the
//! stages of its branches, so a stack would add time that passes once.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{StagePart, StagesChart};
use super::{
    Chart, LegendEntry, NOTE, PAD, PlotError, Swatch, TICK, TICK_MARK, Ticked, check_finite,
    draw_header, fmt_fixed, font_at, header_height, label_for, nice_axis, series_color, style_mesh,
    svg_string, text_size, tint, write_files, x_label_area,
};

const HOURS_LABEL: &str = "mean time per shipment (hours)";
/// Height of one bar's slot in pixels.
const SLOT_PX: f64 = 19.0;
/// Gap between the rows of a group, in slots.
const ROW_GAP: f64 = 0.45;
/// Further gap between groups, in slots.
const GROUP_GAP: f64 = 0.9;
/// Half a bar's thickness, in slots.
const HALF_BAR: f64 = 0.4;

/// Draws the stage bars into `STEM.png` (1200 wide, about 19 pixels per bar, at least 560
/// high) and `STEM.svg`; returns both paths.
pub fn stages(chart: &StagesChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&StagesDraw(chart), path_stem)
}

/// [`stages`] as an SVG document.
pub fn stages_svg(chart: &StagesChart) -> Result<String, PlotError> {
    svg_string(&StagesDraw(chart))
}

struct StagesDraw<'a>(&'a StagesChart);

/// Where the bars go: each bar's centre and each row's centre (slots from the top), and
/// the total height in slots.
struct Layout {
    bar_centres: Vec<f64>,
    rows: Vec<(String, String)>,
    row_centres: Vec<f64>,
    slots: f64,
}

impl StagesDraw<'_> {
    /// Series names in order of first appearance, which gives their colours.
    fn series(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for bar in &self.0.bars {
            if !names.contains(&bar.series.as_str()) {
                names.push(&bar.series);
            }
        }
        names
    }

    fn series_index(&self, name: &str) -> usize {
        self.series().iter().position(|s| *s == name).unwrap_or(0)
    }

    /// The fill of a part of series `k` (`None`: an outline only).
    fn fill(k: usize, part: StagePart) -> Option<RGBColor> {
        let c = series_color(k);
        match part {
            StagePart::Waiting => Some(tint(c, 0.58)),
            StagePart::Service => Some(c),
            StagePart::Clearance => None,
        }
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let series = self.series();
        let mut legend = Vec::new();
        for (k, name) in series.iter().enumerate() {
            for (part, word, swatch) in [
                (StagePart::Waiting, "waiting", Swatch::Box),
                (StagePart::Service, "service or delay", Swatch::Box),
                (StagePart::Clearance, "mean clearance", Swatch::Outline),
            ] {
                let present = self
                    .0
                    .bars
                    .iter()
                    .filter(|b| b.series == *name)
                    .flat_map(|b| &b.segments)
                    .any(|s| s.part == part);
                if !present {
                    continue;
                }
                let label = if series.len() == 1 {
                    word.to_string()
                } else {
                    format!("{name}: {word}")
                };
                let color = Self::fill(k, part).unwrap_or(series_color(k));
                legend.push(LegendEntry::new(label, color, swatch));
            }
        }
        legend
    }

    fn layout(&self) -> Layout {
        let n = self.series().len().max(1) as f64;
        let mut rows: Vec<(String, String)> = Vec::new();
        for bar in &self.0.bars {
            let key = (bar.group.clone(), bar.label.clone());
            if !rows.contains(&key) {
                rows.push(key);
            }
        }
        let mut row_tops = Vec::with_capacity(rows.len());
        let mut y = 0.0;
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                y += ROW_GAP;
                if row.0 != rows[i - 1].0 {
                    y += GROUP_GAP;
                }
            }
            row_tops.push(y);
            y += n;
        }
        let bar_centres = self
            .0
            .bars
            .iter()
            .map(|b| {
                let r = rows
                    .iter()
                    .position(|(g, l)| *g == b.group && *l == b.label)
                    .unwrap_or(0);
                row_tops[r] + self.series_index(&b.series) as f64 + 0.5
            })
            .collect();
        let row_centres = row_tops.iter().map(|t| t + n / 2.0).collect();
        Layout {
            bar_centres,
            rows,
            row_centres,
            slots: y,
        }
    }

    /// A row's label: the group's name on its first row.
    fn row_label(layout: &Layout, r: usize) -> String {
        let (group, label) = &layout.rows[r];
        let first = r == 0 || layout.rows[r - 1].0 != *group;
        if first && !group.is_empty() {
            format!("{group} · {label}")
        } else {
            label.clone()
        }
    }

    fn bar_label(&self, i: usize) -> String {
        let bar = &self.0.bars[i];
        [&bar.group, &bar.label, &bar.series]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

impl Chart for StagesDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let header = header_height(self.0.subtitle.as_deref(), &self.legend(), 1200);
        let plot = (self.layout().slots * SLOT_PX) as i32 + 24;
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
        let layout = self.layout();
        let slots = layout.slots;
        let labels: Vec<String> = (0..layout.rows.len())
            .map(|r| Self::row_label(&layout, r))
            .collect();
        // Plot y runs upwards: a centre `k` slots from the top sits at `slots - k`.
        let y_ticks: Vec<f64> = layout.row_centres.iter().map(|k| slots - k).collect();
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
            let yc = slots - layout.bar_centres[i];
            let (y0, y1) = (yc - HALF_BAR, yc + HALF_BAR);
            let k = self.series_index(&bar.series);
            let mut from = 0.0;
            for seg in &bar.segments {
                let to = from + seg.hours;
                let rect = [(from, y0), (to.min(x.hi), y1)];
                match Self::fill(k, seg.part) {
                    Some(color) => {
                        chart.draw_series(std::iter::once(Rectangle::new(rect, color.filled())))?;
                    }
                    None => {
                        chart.draw_series(std::iter::once(Rectangle::new(
                            rect,
                            series_color(k).stroke_width(2),
                        )))?;
                    }
                }
                from = to;
            }
            let (px, py) = chart.backend_coord(&(totals[i].min(x.hi), yc));
            let total = fmt_fixed(totals[i], if totals[i] < 1.0 { 2 } else { 1 });
            root.draw_text(
                &format!("{total} h"),
                &font_at(NOTE, HPos::Left, VPos::Center),
                (px + 6, py),
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

    fn bar(group: &str, stage: &str, series: &str, wait: f64, service: f64) -> StageBar {
        StageBar {
            group: group.into(),
            label: stage.into(),
            series: series.into(),
            segments: vec![
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
            ],
        }
    }

    fn clearance(group: &str, series: &str, hours: f64) -> StageBar {
        StageBar {
            group: group.into(),
            label: "mean clearance".into(),
            series: series.into(),
            segments: vec![StageSegment {
                stage: "clearance".into(),
                part: StagePart::Clearance,
                hours,
            }],
        }
    }

    pub(crate) fn sample() -> StagesChart {
        let mut bars = Vec::new();
        for (mode, scale) in [("air cargo", 1.0), ("rail", 0.8), ("e-commerce", 0.05)] {
            for (series, f) in [("business hours", 1.0), ("7×24", 0.5)] {
                bars.push(clearance(mode, series, 21.5 * scale * f));
            }
            for (stage, w, sv) in [
                ("review", 9.5, 0.4),
                ("checks", 0.0, 6.0),
                ("release", 4.1, 0.3),
            ] {
                for (series, f) in [("business hours", 1.0), ("7×24", 0.5)] {
                    bars.push(bar(mode, stage, series, w * scale * f, sv * scale));
                }
            }
        }
        StagesChart {
            title: "Where clearance time goes (Time Release Study)".into(),
            subtitle: Some("mean hours per released shipment, by stage".into()),
            bars,
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
                "air cargo · mean clearance",
                "business hours: waiting",
                "7×24: service or delay",
                "7×24: mean clearance",
                "21.5 h",
            ],
        );
        assert_eq!(stages_svg(&chart).unwrap(), stages_svg(&chart).unwrap());
    }

    /// Every part of every series has its own colour: no two legend entries share one.
    #[test]
    fn stage_colours_do_not_repeat() {
        let legend = StagesDraw(&sample()).legend();
        assert_eq!(legend.len(), 6);
        for (i, a) in legend.iter().enumerate() {
            for b in &legend[i + 1..] {
                assert!(
                    a.color != b.color || a.swatch != b.swatch,
                    "{} and {} look alike",
                    a.label,
                    b.label
                );
            }
        }
    }

    #[test]
    fn stages_refuses_negative_hours() {
        let mut chart = sample();
        chart.bars[1].segments[0].hours = -1.0;
        let err = stages_svg(&chart).unwrap_err();
        assert!(
            err.to_string()
                .contains("air cargo · mean clearance · 7×24"),
            "{err}"
        );
    }
}
