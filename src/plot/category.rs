//! Means of unordered categories (a sweep over policies, say): a bar from 0 each, with
//! its 95 % CI as a whisker and its value written above.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::CategoryChart;
use super::{
    Chart, INK, LegendEntry, NOTE, PAD, PlotError, Swatch, Ticked, check_finite, draw_header,
    fmt_fixed, font_at, header_height, label_for, nice_axis, series_color, style_mesh, svg_string,
    text_size, tint, write_files, x_label_area, y_label_area,
};

/// Draws the bars into `STEM.png` (at least 1200×700) and `STEM.svg`; returns both paths.
pub fn category(chart: &CategoryChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&CategoryDraw(chart), path_stem)
}

/// [`category`] as an SVG document.
pub fn category_svg(chart: &CategoryChart) -> Result<String, PlotError> {
    svg_string(&CategoryDraw(chart))
}

struct CategoryDraw<'a>(&'a CategoryChart);

impl CategoryDraw<'_> {
    fn legend(&self) -> Vec<LegendEntry> {
        let mut legend = vec![LegendEntry::new(
            "mean",
            tint(series_color(0), 0.35),
            Swatch::Box,
        )];
        if self.0.bars.iter().any(|b| b.ci95.is_some()) {
            legend.push(LegendEntry::new(
                "95 % confidence interval",
                INK,
                Swatch::Line,
            ));
        }
        legend
    }
}

impl Chart for CategoryDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let widest = self
            .0
            .bars
            .iter()
            .map(|b| text_size(&b.name, NOTE + 2.0).0)
            .max()
            .unwrap_or(0);
        let w = 2 * PAD + 160 + self.0.bars.len() as i32 * (widest + 30).max(90);
        (w.max(1200) as u32, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.bars.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no bars", c.title)));
        }
        for b in &c.bars {
            let (l, h) = b.ci95.unwrap_or((b.mean, b.mean));
            check_finite(&format!("bar {:?}", b.name), [b.mean, l, h])?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let legend = self.legend();
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        debug_assert!(top <= header_height(c.subtitle.as_deref(), &legend, self.size().0));
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let n = c.bars.len();
        let tops = c
            .bars
            .iter()
            .map(|b| b.ci95.map_or(b.mean, |(_, h)| h.max(b.mean)));
        let lows = c
            .bars
            .iter()
            .map(|b| b.ci95.map_or(b.mean, |(l, _)| l.min(b.mean)));
        let hi = tops.fold(0.0f64, f64::max);
        let lo = lows.fold(0.0f64, f64::min);
        // Bars start at 0: room above the tallest whisker for its value.
        let y = nice_axis(lo, hi * 1.12 + 1e-9, 6);
        let y_labels = y.labels();
        let x_ticks: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
        let x_labels: Vec<String> = c.bars.iter().map(|b| b.name.clone()).collect();
        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_label_area(&y_labels))
            .build_cartesian_2d(
                Ticked::new(0.0, n as f64, x_ticks.clone()),
                Ticked::new(y.lo, y.hi, y.ticks.clone()),
            )?;
        {
            let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y.ticks, &y_labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.disable_x_mesh()
                .x_desc(c.x_label.as_str())
                .y_desc(c.y_label.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }
        let fill = tint(series_color(0), 0.35);
        let decimals = if hi < 1.0 { 3 } else { 2 };
        for (i, b) in c.bars.iter().enumerate() {
            let x0 = i as f64 + 0.2;
            let x1 = i as f64 + 0.8;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, 0.0), (x1, b.mean)],
                fill.filled(),
            )))?;
            let mut label_at = b.mean;
            if let Some((l, h)) = b.ci95 {
                let xm = i as f64 + 0.5;
                let cap = 0.08;
                for seg in [
                    vec![(xm, l), (xm, h)],
                    vec![(xm - cap, l), (xm + cap, l)],
                    vec![(xm - cap, h), (xm + cap, h)],
                ] {
                    chart
                        .draw_series(std::iter::once(PathElement::new(seg, INK.stroke_width(2))))?;
                }
                label_at = h.max(b.mean);
            }
            let text = match b.ci95 {
                Some((l, h)) => format!(
                    "{} ± {}",
                    fmt_fixed(b.mean, decimals),
                    fmt_fixed((h - l) / 2.0, decimals)
                ),
                None => fmt_fixed(b.mean, decimals),
            };
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, label_at));
            root.draw_text(
                &text,
                &font_at(NOTE, HPos::Center, VPos::Bottom),
                (px, py - 6),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::CategoryBar;
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    pub(crate) fn sample() -> CategoryChart {
        CategoryChart {
            title: "Mean clearance time by policy".into(),
            subtitle: Some("3 variants".into()),
            x_label: "policy".into(),
            y_label: "mean clearance time (hours)".into(),
            bars: vec![
                CategoryBar {
                    name: "business-hours".into(),
                    mean: 15.4,
                    ci95: Some((15.3, 15.5)),
                },
                CategoryBar {
                    name: "7x24".into(),
                    mean: 9.0,
                    ci95: Some((8.9, 9.1)),
                },
                CategoryBar {
                    name: "extended".into(),
                    mean: 11.2,
                    ci95: None,
                },
            ],
        }
    }

    #[test]
    fn category_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample();
        let paths = category(&chart, &dir.path().join("bars")).unwrap();
        let (w, h) = CategoryDraw(&chart).size();
        assert_png(&paths[0], w, h);
        assert_svg(
            &paths[1],
            &[
                "Mean clearance time by policy",
                "business-hours",
                "9.00 ± 0.10",
                "95 % confidence interval",
            ],
        );
    }

    #[test]
    fn category_refuses_no_bars() {
        let mut chart = sample();
        chart.bars.clear();
        assert!(category_svg(&chart).is_err());
    }
}
