//! Values over the 168 hours of a week: backlog by hour of week (one line per policy) and
//! roster vs demand (officers on duty against arrivals, one panel per pool).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{HourOfWeekChart, RosterDemandChart};
use super::{
    Chart, LegendEntry, PAD, PANEL_TITLE, PlotError, SEPARATOR, Swatch, TICK, TICK_MARK, Ticked,
    axis_with_step, check_finite, clip_polyline, draw_header, font, font_at, header_height,
    label_for, nice_axis, nice_step, series_color, style_mesh, svg_string, text_height,
    write_files, x_label_area, y_label_area,
};

const HOUR_LABEL: &str = "hour of week";
const STAFF_LABEL: &str = "officers on duty";
const ON_CALL_LABEL: &str = "officers on call";
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Grey of the demand area.
const DEMAND: RGBColor = RGBColor(128, 128, 128);
/// Blue-grey of shaded office hours.
const SHADE: RGBColor = RGBColor(86, 180, 233);

/// Draws lines over the hour of the week (day separators, optional shading) into
/// `STEM.png` (1200×700) and `STEM.svg`; returns both paths.
pub fn hour_of_week(chart: &HourOfWeekChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&HourOfWeekDraw(chart), path_stem)
}

/// [`hour_of_week`] as an SVG document.
pub fn hour_of_week_svg(chart: &HourOfWeekChart) -> Result<String, PlotError> {
    svg_string(&HourOfWeekDraw(chart))
}

/// Draws roster vs demand, one panel per pool (officers on duty as steps on the left axis,
/// demand as a grey area on the right axis), into `STEM.png` (1400 wide, about 330 per
/// panel) and `STEM.svg`; returns both paths.
pub fn roster_demand(
    chart: &RosterDemandChart,
    path_stem: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&RosterDraw(chart), path_stem)
}

/// [`roster_demand`] as an SVG document.
pub fn roster_demand_svg(chart: &RosterDemandChart) -> Result<String, PlotError> {
    svg_string(&RosterDraw(chart))
}

fn check_week(what: &str, values: &[f64], allow_gaps: bool) -> Result<(), PlotError> {
    if values.len() != 168 {
        return Err(PlotError::Data(format!(
            "{what} has {} values; an hour-of-week series needs 168 (Monday 00:00 first)",
            values.len()
        )));
    }
    if !allow_gaps {
        check_finite(what, values.iter().copied())?;
    }
    Ok(())
}

/// The week axis: day boundaries (labelled with the day they start) and light lines every
/// six hours.
fn week_axis() -> (Ticked, Vec<f64>, Vec<String>) {
    let bold: Vec<f64> = (0..=7).map(|d| d as f64 * 24.0).collect();
    let light: Vec<f64> = (0..28)
        .map(|k| k as f64 * 6.0)
        .filter(|h| h % 24.0 != 0.0)
        .collect();
    let labels = (0..=7)
        .map(|d| DAYS.get(d).map(|s| s.to_string()).unwrap_or_default())
        .collect();
    (
        Ticked::new(0.0, 168.0, bold.clone()).with_light(light),
        bold,
        labels,
    )
}

/// Hourly values as a line through the middle of each hour, held flat for the half hours
/// at the week's ends.
fn centre_points(values: &[f64]) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(170);
    points.push((0.0, values[0]));
    points.extend(values.iter().enumerate().map(|(h, &v)| (h as f64 + 0.5, v)));
    points.push((168.0, values[167]));
    points
}

/// Hourly values as steps (each value holds for its hour).
fn step_points(values: &[f64]) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(337);
    for (h, &v) in values.iter().enumerate() {
        points.push((h as f64, v));
        points.push((h as f64 + 1.0, v));
    }
    points
}

/// Hourly values as steps, capped at `hi`, split where a value is missing (not finite).
fn finite_runs(values: &[f64], hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    for (x, v) in step_points(values) {
        if v.is_finite() {
            run.push((x, v.min(hi)));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Vertical lines at the day boundaries inside the plot.
fn draw_day_separators<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    (y0, y1): (f64, f64),
) -> Result<(), PlotError> {
    for d in 1..7 {
        let x = d as f64 * 24.0;
        chart.draw_series(LineSeries::new(
            vec![(x, y0), (x, y1)],
            SEPARATOR.stroke_width(1),
        ))?;
    }
    Ok(())
}

/// A y axis from 0 for values `max`, with steps of at least `min_step`.
fn zero_axis(max: f64, min_step: f64) -> super::Axis {
    let hi = if max > 0.0 { max * 1.08 } else { 1.0 };
    let step = nice_step(hi, 5).max(min_step);
    axis_with_step(0.0, hi, step)
}

// ---------------------------------------------------------------------------------------

struct HourOfWeekDraw<'a>(&'a HourOfWeekChart);

impl Chart for HourOfWeekDraw<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.series.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no series", c.title)));
        }
        for s in &c.series {
            check_week(&format!("series {:?}", s.name), &s.values, true)?;
        }
        if let Some(shade) = &c.shading {
            check_finite("shading", shade.spans.iter().flat_map(|&(a, b)| [a, b]))?;
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
        if let Some(shade) = &c.shading {
            legend.push(LegendEntry::new(
                &shade.label,
                super::tint(SHADE, 0.75),
                Swatch::Box,
            ));
        }
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &legend)?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);

        let max = c
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let y = nice_axis(0.0, if max > 0.0 { max * 1.05 } else { 1.0 }, 6);
        let y_labels = y.labels();
        let (x_coord, x_ticks, x_labels) = week_axis();
        let mut chart = ChartBuilder::on(&body)
            .margin_top(12)
            .margin_right(34)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_label_area(&y_labels))
            .build_cartesian_2d(x_coord, Ticked::new(y.lo, y.hi, y.ticks.clone()))?;
        let day_px = chart.plotting_area().dim_in_pixel().0 as i32 / 7;
        {
            let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
            let y_fmt = |v: &f64| label_for(&y.ticks, &y_labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.x_desc(HOUR_LABEL)
                .y_desc(&c.y_label)
                .x_label_offset(day_px / 2)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }
        if let Some(shade) = &c.shading {
            chart.draw_series(shade.spans.iter().map(|&(a, b)| {
                Rectangle::new(
                    [(a.clamp(0.0, 168.0), y.lo), (b.clamp(0.0, 168.0), y.hi)],
                    SHADE.mix(0.16).filled(),
                )
            }))?;
        }
        draw_day_separators(&mut chart, (y.lo, y.hi))?;
        for (i, s) in c.series.iter().enumerate() {
            let points = centre_points(&s.values);
            for run in clip_polyline(&points, (0.0, 168.0), (y.lo, y.hi), false) {
                chart.draw_series(LineSeries::new(run, series_color(i).stroke_width(3)))?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

struct RosterDraw<'a>(&'a RosterDemandChart);

const PANEL_H: u32 = 330;

impl RosterDraw<'_> {
    /// Staff series names in order of first appearance, which gives their colours.
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for p in &self.0.panels {
            for s in &p.staff {
                if !names.contains(&s.name.as_str()) {
                    names.push(&s.name);
                }
            }
        }
        names
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut legend = Vec::new();
        for (i, n) in self.names().iter().enumerate() {
            legend.push(LegendEntry::new(
                format!("{n}: {STAFF_LABEL}"),
                series_color(i),
                Swatch::Line,
            ));
            let on_call = self
                .0
                .panels
                .iter()
                .flat_map(|p| &p.on_call)
                .any(|s| s.name == *n);
            if on_call {
                legend.push(LegendEntry::new(
                    format!("{n}: {ON_CALL_LABEL}"),
                    series_color(i),
                    Swatch::Dashed,
                ));
            }
        }
        legend.push(LegendEntry::new(
            format!("{} (right axis)", self.0.demand_label),
            super::tint(DEMAND, 0.55),
            Swatch::Box,
        ));
        legend
    }
}

impl Chart for RosterDraw<'_> {
    fn size(&self) -> (u32, u32) {
        let header = header_height(self.0.subtitle.as_deref(), &self.legend(), 1400) as u32;
        (
            1400,
            header + self.0.panels.len().max(1) as u32 * PANEL_H + 10,
        )
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if c.panels.is_empty() {
            return Err(PlotError::Data(format!("\"{}\": no pools", c.title)));
        }
        for p in &c.panels {
            check_week(&format!("demand of pool {:?}", p.pool), &p.demand, false)?;
            // Hours the window does not cover are gaps.
            for s in p.staff.iter().chain(&p.on_call) {
                check_week(
                    &format!("staff {:?} of pool {:?}", s.name, p.pool),
                    &s.values,
                    true,
                )?;
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let names = self.names();
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &self.legend())?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 0, PAD - 8, 0);
        let panels = body.split_evenly((c.panels.len(), 1));

        // One label width for every panel, so the plots line up.
        let mut staff_axes = Vec::new();
        let mut demand_axes = Vec::new();
        let (mut left_w, mut right_w) = (0, 0);
        for p in &c.panels {
            let smax = p
                .staff
                .iter()
                .chain(&p.on_call)
                .flat_map(|s| s.values.iter().copied())
                .fold(0.0f64, f64::max);
            let dmax = p.demand.iter().copied().fold(0.0f64, f64::max);
            let sa = zero_axis(smax, 1.0);
            let da = zero_axis(dmax, 0.0);
            left_w = left_w.max(y_label_area(&sa.labels()));
            right_w = right_w.max(y_label_area(&da.labels()));
            staff_axes.push(sa);
            demand_axes.push(da);
        }

        for (((p, area), sa), da) in c
            .panels
            .iter()
            .zip(&panels)
            .zip(&staff_axes)
            .zip(&demand_axes)
        {
            let (ax, ay) = area.get_base_pixel();
            root.draw_text(
                &p.pool,
                &font_at(PANEL_TITLE, HPos::Left, VPos::Top),
                (ax + left_w - text_height(super::AXIS_DESC) - 8, ay + 4),
            )?;
            let (_, plot) = area.split_vertically(text_height(PANEL_TITLE) + 12);
            let (x_coord, x_ticks, x_labels) = week_axis();
            let s_labels = sa.labels();
            let d_labels = da.labels();
            let mut chart = ChartBuilder::on(&plot)
                .margin_top(6)
                .margin_bottom(10)
                .margin_right(12)
                .x_label_area_size(x_label_area())
                .y_label_area_size(left_w)
                .right_y_label_area_size(right_w)
                .build_cartesian_2d(x_coord.clone(), Ticked::new(sa.lo, sa.hi, sa.ticks.clone()))?
                .set_secondary_coord(x_coord, Ticked::new(da.lo, da.hi, da.ticks.clone()));
            let day_px = chart.plotting_area().dim_in_pixel().0 as i32 / 7;
            {
                let x_fmt = |v: &f64| label_for(&x_ticks, &x_labels, *v);
                let y_fmt = |v: &f64| label_for(&sa.ticks, &s_labels, *v);
                let mut mesh = chart.configure_mesh();
                style_mesh(&mut mesh);
                mesh.x_desc(HOUR_LABEL)
                    .y_desc(STAFF_LABEL)
                    .x_label_offset(day_px / 2)
                    .x_label_formatter(&x_fmt)
                    .y_label_formatter(&y_fmt)
                    .draw()?;
            }
            {
                let d_fmt = |v: &f64| label_for(&da.ticks, &d_labels, *v);
                chart
                    .configure_secondary_axes()
                    .label_style(font(TICK).color(&RGBColor(90, 90, 90)))
                    .axis_desc_style(font(super::AXIS_DESC).color(&RGBColor(90, 90, 90)))
                    .axis_style(super::AXIS_LINE.stroke_width(1))
                    .set_all_tick_mark_size(TICK_MARK)
                    .y_desc(c.demand_label.as_str())
                    .y_label_formatter(&d_fmt)
                    .draw()?;
            }
            chart.draw_secondary_series(
                AreaSeries::new(step_points(&p.demand), 0.0, DEMAND.mix(0.28).filled())
                    .border_style(DEMAND.stroke_width(1)),
            )?;
            for d in 1..7 {
                let x = d as f64 * 24.0;
                chart.draw_series(LineSeries::new(
                    vec![(x, sa.lo), (x, sa.hi)],
                    SEPARATOR.stroke_width(1),
                ))?;
            }
            for s in &p.staff {
                let k = names.iter().position(|n| *n == s.name).unwrap_or(0);
                for run in finite_runs(&s.values, sa.hi) {
                    chart.draw_series(LineSeries::new(run, series_color(k).stroke_width(3)))?;
                }
            }
            for s in &p.on_call {
                let k = names.iter().position(|n| *n == s.name).unwrap_or(0);
                for run in finite_runs(&s.values, sa.hi) {
                    chart.draw_series(DashedLineSeries::new(
                        run,
                        10,
                        7,
                        series_color(k).stroke_width(2),
                    ))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::{HourOfWeekSeries, HourSpans, RosterPanel};
    use super::super::tests::{assert_png, assert_svg};
    use super::*;

    fn week(f: impl Fn(usize, usize) -> f64) -> Vec<f64> {
        (0..168).map(|h| f(h / 24, h % 24)).collect()
    }

    pub(crate) fn sample_backlog() -> HourOfWeekChart {
        // Business hours: the backlog builds overnight and over the weekend, drains 09–17.
        let business = week(|d, h| {
            let open = d < 5 && (9..17).contains(&h);
            let base = if d >= 5 {
                40.0 + (d - 5) as f64 * 24.0 + h as f64
            } else {
                30.0
            };
            if open {
                (base * 0.6 - (h - 9) as f64 * 2.0).max(2.0)
            } else {
                base + h as f64 * 0.8
            }
        });
        let all_day =
            week(|_, h| 8.0 + 4.0 * ((h as f64 - 14.0) / 24.0 * std::f64::consts::TAU).cos());
        HourOfWeekChart {
            title: "Backlog by hour of week".into(),
            subtitle: Some("mean shipments waiting or in service, 10 replications".into()),
            y_label: "shipments in system".into(),
            series: vec![
                HourOfWeekSeries {
                    name: "business hours".into(),
                    values: business,
                },
                HourOfWeekSeries {
                    name: "7×24".into(),
                    values: all_day,
                },
            ],
            shading: Some(HourSpans::daily(
                "office hours (Mon–Fri 09:00–17:00)",
                0..5,
                9.0,
                17.0,
            )),
        }
    }

    pub(crate) fn sample_roster() -> RosterDemandChart {
        let demand = |scale: f64| {
            week(move |d, h| {
                let day = if d >= 5 { 0.6 } else { 1.0 };
                scale * day * (1.0 + 0.8 * ((h as f64 - 13.0) / 24.0 * std::f64::consts::TAU).cos())
            })
        };
        let business = |staff: f64| {
            week(move |d, h| {
                if d < 5 && (9..17).contains(&h) {
                    staff
                } else {
                    0.0
                }
            })
        };
        let shifts =
            |day: f64, night: f64| week(move |_, h| if (8..20).contains(&h) { day } else { night });
        RosterDemandChart {
            title: "Roster vs demand".into(),
            subtitle: None,
            demand_label: "arrivals per hour".into(),
            panels: vec![
                RosterPanel {
                    pool: "review".into(),
                    staff: vec![
                        HourOfWeekSeries {
                            name: "business hours".into(),
                            values: business(12.0),
                        },
                        HourOfWeekSeries {
                            name: "7×24".into(),
                            values: shifts(8.0, 4.0),
                        },
                    ],
                    demand: demand(30.0),
                    on_call: vec![HourOfWeekSeries {
                        name: "7×24".into(),
                        values: week(|_, _| 2.0),
                    }],
                },
                RosterPanel {
                    pool: "inspection".into(),
                    staff: vec![
                        HourOfWeekSeries {
                            name: "business hours".into(),
                            values: business(6.0),
                        },
                        HourOfWeekSeries {
                            name: "7×24".into(),
                            values: shifts(4.0, 2.0),
                        },
                    ],
                    demand: demand(6.0),
                    on_call: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn hour_of_week_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_backlog();
        let paths = hour_of_week(&chart, &dir.path().join("how")).unwrap();
        assert_png(&paths[0], 1200, 700);
        let svg = assert_svg(
            &paths[1],
            &[
                "Backlog by hour of week",
                HOUR_LABEL,
                "shipments in system",
                "business hours",
                "7×24",
                "office hours (Mon–Fri 09:00–17:00)",
            ],
        );
        for day in DAYS {
            assert!(svg.contains(day), "{day}");
        }
        assert_eq!(
            hour_of_week_svg(&chart).unwrap(),
            hour_of_week_svg(&chart).unwrap()
        );
    }

    #[test]
    fn hour_of_week_needs_168_values() {
        let mut chart = sample_backlog();
        chart.series[0].values.pop();
        let err = hour_of_week_svg(&chart).unwrap_err();
        assert!(err.to_string().contains("167 values"), "{err}");
    }

    #[test]
    fn roster_demand_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample_roster();
        super::super::register_font().unwrap();
        let (w, h) = RosterDraw(&chart).size();
        let paths = roster_demand(&chart, &dir.path().join("roster")).unwrap();
        assert_png(&paths[0], w, h);
        assert_svg(
            &paths[1],
            &[
                "Roster vs demand",
                "review",
                "inspection",
                STAFF_LABEL,
                "arrivals per hour",
                HOUR_LABEL,
                "business hours: officers on duty",
                "7×24: officers on duty",
                "arrivals per hour (right axis)",
                "7×24: officers on call",
            ],
        );
        assert_eq!(
            roster_demand_svg(&chart).unwrap(),
            roster_demand_svg(&chart).unwrap()
        );
    }

    /// Hours a short window does not cover (a holiday counted as a Sunday) are gaps in
    /// the staff lines, not an error.
    #[test]
    fn roster_staff_may_have_gaps() {
        let mut chart = sample_roster();
        chart.panels[0].staff[0].values[30] = f64::NAN;
        let svg = roster_demand_svg(&chart).unwrap();
        assert!(svg.contains("officers on duty"));
        assert_eq!(finite_runs(&chart.panels[0].staff[0].values, 99.0).len(), 2);
    }
}
