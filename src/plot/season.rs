//! Daily values over a season: one line per series, peaks and holidays shaded and named.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{DailySeries, DateSpan, SeasonChart, SpanKind};
use super::{
    Axis, Chart, LegendEntry, NOTE, PAD, PlotError, Swatch, TICK, Ticked, clip_polyline,
    draw_header, font_at, label_for, nice_axis, series_color, stack_rows, style_mesh, svg_string,
    text_height, text_size, write_files, x_label_area, y_label_area,
};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Peak seasons: a light orange.
const PEAK: RGBColor = RGBColor(230, 159, 0);
/// Holidays: grey.
const HOLIDAY: RGBColor = RGBColor(125, 125, 125);
/// Colour of dated regimes' stripes (Okabe–Ito sky blue).
const REGIME: RGBColor = RGBColor(86, 180, 233);

/// Draws daily values over dates with peaks and holidays shaded into `STEM.png`
/// (1200×700) and `STEM.svg`; returns both paths.
pub fn season(chart: &SeasonChart, path_stem: &Path) -> Result<Vec<PathBuf>, PlotError> {
    write_files(&SeasonDraw(chart), path_stem)
}

/// [`season`] as an SVG document.
pub fn season_svg(chart: &SeasonChart) -> Result<String, PlotError> {
    svg_string(&SeasonDraw(chart))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn day_number(date: Date) -> i64 {
    let (y, m, d) = (date.year() as i64, date.month() as i64, date.day() as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number.
fn civil(n: i64) -> (i64, u32, u32) {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// "Jan 06".
fn fmt_date(n: i64) -> String {
    let (_, m, d) = civil(n);
    format!("{} {:02}", MONTHS[m as usize - 1], d)
}

/// Ticks for days `[first, last]` (day numbers) on a plot `width` pixels wide: the finest of
/// days, Mondays, month starts … whose labels fit. Returns (bold, light) day numbers.
fn date_ticks(first: i64, last_excl: i64, width: i32) -> (Vec<i64>, Vec<i64>) {
    let days = (last_excl - first).max(1);
    let px_per_day = width as f64 / days as f64;
    let need = text_size("Sep 30", TICK).0 as f64 + 18.0;
    let all: Vec<i64> = (first..=last_excl).collect();
    let mondays: Vec<i64> = all
        .iter()
        .copied()
        .filter(|n| (n + 3).rem_euclid(7) == 0)
        .collect();
    let month_starts: Vec<i64> = all.iter().copied().filter(|&n| civil(n).2 == 1).collect();
    let every_nth_month = |k: u32| -> Vec<i64> {
        month_starts
            .iter()
            .copied()
            .filter(|&n| (civil(n).1 - 1).is_multiple_of(k))
            .collect()
    };
    let candidates: Vec<(f64, Vec<i64>, Vec<i64>)> = vec![
        (1.0, all.clone(), Vec::new()),
        (
            2.0,
            all.iter()
                .copied()
                .filter(|n| (n - first) % 2 == 0)
                .collect(),
            all.clone(),
        ),
        (7.0, mondays.clone(), all.clone()),
        (
            14.0,
            mondays.iter().copied().step_by(2).collect(),
            mondays.clone(),
        ),
        (31.0, month_starts.clone(), mondays.clone()),
        (62.0, every_nth_month(2), month_starts.clone()),
        (92.0, every_nth_month(3), month_starts.clone()),
        (366.0, every_nth_month(12), every_nth_month(3)),
    ];
    // Long windows: every k-th year, with the years between as faint lines.
    let years: Vec<i64> = every_nth_month(12);
    let candidates = candidates
        .into_iter()
        .chain([2, 5, 10, 20, 50, 100].map(|k| {
            (
                366.0 * k as f64,
                years
                    .iter()
                    .copied()
                    .filter(|&n| civil(n).0.rem_euclid(k) == 0)
                    .collect(),
                years.clone(),
            )
        }));
    let candidates: Vec<(f64, Vec<i64>, Vec<i64>)> = candidates.collect();
    for (spacing, bold, light) in &candidates {
        if spacing * px_per_day >= need && !bold.is_empty() {
            // Faint lines only where they stay at least 5 pixels apart.
            let light = if light.len() < 2 || width as f64 / light.len() as f64 >= 5.0 {
                light.clone()
            } else {
                Vec::new()
            };
            return (bold.clone(), light);
        }
    }
    let (_, bold, light) = candidates.last().cloned().expect("candidates");
    (bold, light)
}

struct SeasonDraw<'a>(&'a SeasonChart);

impl SeasonDraw<'_> {
    /// First and one-past-last day numbers of the data (a point covers its bin's days).
    fn extent(&self) -> Option<(i64, i64)> {
        let bins = self.0.series.iter().flat_map(|s| {
            let step = i64::from(s.days_per_point.max(1));
            s.points.iter().map(move |p| (day_number(p.0), step))
        });
        let first = bins.clone().map(|(n, _)| n).min()?;
        let last_excl = bins.map(|(n, step)| n + step).max()?;
        Some((first, last_excl))
    }

    fn legend(&self) -> Vec<LegendEntry> {
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
        if c.spans.iter().any(|s| s.kind == SpanKind::Peak) {
            legend.push(LegendEntry::new(
                "peak season",
                super::tint(PEAK, 0.7),
                Swatch::Box,
            ));
        }
        if c.spans.iter().any(|s| s.kind == SpanKind::Holiday) {
            legend.push(LegendEntry::new(
                "holiday",
                super::tint(HOLIDAY, 0.6),
                Swatch::Box,
            ));
        }
        if c.spans.iter().any(|s| s.kind == SpanKind::Regime) {
            legend.push(LegendEntry::new(
                "regime in force (a stripe each, at the top)",
                REGIME,
                Swatch::Box,
            ));
        }
        legend
    }
}

impl Chart for SeasonDraw<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let c = self.0;
        if self.extent().is_none() {
            return Err(PlotError::Data(format!("\"{}\": no points", c.title)));
        }
        for s in &c.series {
            if s.points.windows(2).any(|w| w[1].0 <= w[0].0) {
                return Err(PlotError::Data(format!(
                    "series {:?}: dates must be ascending, each once",
                    s.name
                )));
            }
        }
        for span in &c.spans {
            if span.to < span.from {
                return Err(PlotError::Data(format!(
                    "span {:?} ends ({}) before it starts ({})",
                    span.label, span.to, span.from
                )));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.0;
        let (first, last_excl) = self.extent().expect("validated");
        let top = draw_header(root, &c.title, c.subtitle.as_deref(), &self.legend())?;
        let (_, body) = root.split_vertically(top);
        let body = body.margin(0, 16, PAD - 8, 0);
        let (bx, _) = body.get_base_pixel();
        let (bw, _) = body.dim_in_pixel();

        let y = self.y_axis();
        let y_labels = y.labels();
        let y_area = y_label_area(&y_labels);
        let right = 34;
        let plot_left = bx + y_area;
        let frame = Frame {
            first,
            last_excl,
            left: plot_left,
            width: bw as i32 - y_area - right,
        };
        let spans = self.visible_spans(first, last_excl);
        let labels = SpanLabels::place(&spans, &frame);
        let x = DateAxis::new(first, last_excl, frame.width);
        let x_desc = format!("{}, {}", c.x_label, x.years);

        let mut chart = ChartBuilder::on(&body)
            .margin_top(12 + labels.rows_needed() * labels.line)
            .margin_right(right)
            .x_label_area_size(x_label_area())
            .y_label_area_size(y_area)
            .build_cartesian_2d(x.coord.clone(), Ticked::new(y.lo, y.hi, y.ticks.clone()))?;
        {
            let x_fmt = |v: &f64| label_for(&x.ticks, &x.labels, *v);
            let y_fmt = |v: &f64| label_for(&y.ticks, &y_labels, *v);
            let mut mesh = chart.configure_mesh();
            style_mesh(&mut mesh);
            mesh.x_desc(x_desc.as_str())
                .y_desc(c.y_label.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()?;
        }
        shade_spans(&mut chart, &spans, &y)?;
        for (i, s) in c.series.iter().enumerate() {
            draw_line(&mut chart, s, series_color(i), &frame, &y)?;
        }
        let (_, py) = chart.plotting_area().get_pixel_range();
        labels.draw(root, py.start, &frame)
    }
}

impl SeasonDraw<'_> {
    /// The value axis: from 0 (or below, for negative values) to a little above the
    /// largest value.
    fn y_axis(&self) -> Axis {
        let values: Vec<f64> = self
            .0
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .filter(|v| v.is_finite())
            .collect();
        let lo = values.iter().copied().fold(0.0f64, f64::min);
        let hi = values.iter().copied().fold(0.0f64, f64::max);
        nice_axis(lo, if hi > lo { hi * 1.05 } else { lo + 1.0 }, 6)
    }

    /// The spans that show in the days `[first, last_excl)`, clipped to them: each with
    /// its first day and the day after its last.
    fn visible_spans(&self, first: i64, last_excl: i64) -> Vec<VisibleSpan<'_>> {
        self.0
            .spans
            .iter()
            .filter_map(|s| {
                let a = (day_number(s.from)).max(first) as f64;
                let b = (day_number(s.to) + 1).min(last_excl) as f64;
                (b > a).then_some((s, a, b))
            })
            .collect()
    }
}

/// A span with the days it covers in the plot: its first, and the day after its last.
type VisibleSpan<'a> = (&'a DateSpan, f64, f64);

/// Where the plot lies: the days it shows and its pixels across.
struct Frame {
    /// Its first day (days since 1970-01-01).
    first: i64,
    /// The day after its last.
    last_excl: i64,
    /// Its left edge, pixels.
    left: i32,
    /// Its width, pixels.
    width: i32,
}

impl Frame {
    /// The pixel column of a day.
    fn px(&self, day: f64) -> f64 {
        self.left as f64
            + (day - self.first as f64) / (self.last_excl - self.first) as f64 * self.width as f64
    }
}

/// The date axis: ticks (bold, labelled; light, not), labels and the years it covers.
struct DateAxis {
    /// The labelled ticks, as days.
    ticks: Vec<f64>,
    /// Their labels: dates, or years when every tick is a new year.
    labels: Vec<String>,
    /// The coordinate, with its light ticks.
    coord: Ticked,
    /// "2017", or "2016–2017".
    years: String,
}

impl DateAxis {
    fn new(first: i64, last_excl: i64, width: i32) -> DateAxis {
        let (bold, light) = date_ticks(first, last_excl, width);
        let ticks: Vec<f64> = bold.iter().map(|&n| n as f64).collect();
        // Yearly ticks are labelled by the year ("Jan 01" six times would not say which).
        let yearly = bold.len() > 1 && bold.iter().all(|&n| civil(n).1 == 1 && civil(n).2 == 1);
        let labels: Vec<String> = bold
            .iter()
            .map(|&n| {
                if yearly {
                    civil(n).0.to_string()
                } else {
                    fmt_date(n)
                }
            })
            .collect();
        let coord = Ticked::new(first as f64, last_excl as f64, ticks.clone())
            .with_light(light.iter().map(|&n| n as f64).collect());
        let (y0, _, _) = civil(first);
        let (y1, _, _) = civil(last_excl - 1);
        let years = if y0 == y1 {
            format!("{y0}")
        } else {
            format!("{y0}–{y1}")
        };
        DateAxis {
            ticks,
            labels,
            coord,
            years,
        }
    }
}

/// The names of the spans, above the plot in as many rows as they need.
struct SpanLabels<'a> {
    /// Each named span with its label's pixel extent and row (0 nearest the plot).
    placed: Vec<(VisibleSpan<'a>, (i32, i32), usize)>,
    /// The height of a row, pixels.
    line: i32,
}

impl<'a> SpanLabels<'a> {
    /// Lays out the labels of the named `spans` over the plot.
    fn place(spans: &[VisibleSpan<'a>], frame: &Frame) -> SpanLabels<'a> {
        let labelled: Vec<VisibleSpan<'a>> = spans
            .iter()
            .filter(|s| !s.0.label.is_empty())
            .copied()
            .collect();
        let extents: Vec<(i32, i32)> = labelled
            .iter()
            .map(|(s, a, b)| {
                let w = text_size(&s.label, NOTE).0;
                let centre = ((frame.px(*a) + frame.px(*b)) / 2.0) as i32;
                let l = (centre - w / 2).clamp(frame.left, frame.left + frame.width - w);
                (l, l + w)
            })
            .collect();
        let rows = stack_rows(&extents, 14);
        SpanLabels {
            placed: labelled
                .into_iter()
                .zip(extents)
                .zip(rows)
                .map(|((s, e), r)| (s, e, r))
                .collect(),
            line: text_height(NOTE) + 10,
        }
    }

    /// Rows of labels.
    fn rows_needed(&self) -> i32 {
        self.placed.iter().map(|p| p.2).max().map_or(0, |r| r + 1) as i32
    }

    /// Draws the labels above the plot (whose top is at pixel `top`), with a leader
    /// line down to the plot for upper rows.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        top: i32,
        frame: &Frame,
    ) -> Result<(), PlotError> {
        let line = self.line;
        for &((span, a, b), (l, _), row) in &self.placed {
            let color = match span.kind {
                SpanKind::Peak => RGBColor(150, 95, 0),
                SpanKind::Holiday => RGBColor(80, 80, 80),
                SpanKind::Regime => RGBColor(0, 95, 150),
            };
            let y_text = top - 8 - line / 2 - row as i32 * line;
            if row > 0 {
                let cx = ((frame.px(a) + frame.px(b)) / 2.0) as i32;
                root.draw(&PathElement::new(
                    vec![(cx, y_text + line / 2 - 2), (cx, top)],
                    color.mix(0.6).stroke_width(1),
                ))?;
            }
            root.draw_text(
                &span.label,
                &font_at(NOTE, HPos::Left, VPos::Center).color(&color),
                (l, y_text),
            )?;
        }
        Ok(())
    }
}

/// Shades peaks and holidays over the whole height of the plot (holidays over peaks,
/// both under the lines). Regimes, which are long and may overlap each other, are a
/// stripe each along the top of the plot — one row per regime — so that they never tint
/// the peaks' colour or stack into a darker shade.
fn shade_spans<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    spans: &[VisibleSpan<'_>],
    y: &Axis,
) -> Result<(), PlotError> {
    for kind in [SpanKind::Peak, SpanKind::Holiday] {
        let fill = match kind {
            SpanKind::Peak => PEAK.mix(0.22).filled(),
            _ => HOLIDAY.mix(0.32).filled(),
        };
        chart.draw_series(
            spans
                .iter()
                .filter(|s| s.0.kind == kind)
                .map(|&(_, a, b)| Rectangle::new([(a, y.lo), (b, y.hi)], fill)),
        )?;
    }
    let row = (y.hi - y.lo) * 0.03;
    chart.draw_series(
        spans
            .iter()
            .filter(|s| s.0.kind == SpanKind::Regime)
            .enumerate()
            .map(|(i, &(_, a, b))| {
                let top = y.hi - i as f64 * row * 1.25;
                Rectangle::new([(a, top - row), (b, top)], REGIME.mix(0.75).filled())
            }),
    )?;
    Ok(())
}

/// Draws one series: a point stands for its bin's days, drawn at their middle; a
/// missing bin is a gap, and a lone bin between gaps a dot.
fn draw_line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
    s: &DailySeries,
    color: RGBColor,
    frame: &Frame,
    y: &Axis,
) -> Result<(), PlotError> {
    let mut points = Vec::with_capacity(s.points.len() + 8);
    let mut prev: Option<i64> = None;
    let step = i64::from(s.days_per_point.max(1));
    for &(date, v) in &s.points {
        let n = day_number(date);
        if prev.is_some_and(|p| n > p + step) {
            points.push((f64::NAN, f64::NAN));
        }
        points.push((n as f64 + step as f64 / 2.0, v));
        prev = Some(n);
    }
    let runs = clip_polyline(
        &points,
        (frame.first as f64, frame.last_excl as f64),
        (y.lo, y.hi),
        false,
    );
    for run in &runs {
        chart.draw_series(LineSeries::new(run.clone(), color.stroke_width(3)))?;
    }
    let dots: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter(|&(k, p)| {
            p.0.is_finite()
                && p.1.is_finite()
                && points
                    .get(k.wrapping_sub(1))
                    .is_none_or(|q| !q.0.is_finite())
                && points.get(k + 1).is_none_or(|q| !q.0.is_finite())
        })
        .map(|(_, p)| *p)
        .collect();
    chart.draw_series(dots.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::data::{DailySeries, DateSpan};
    use super::super::tests::{assert_png, assert_svg};
    use super::*;
    use jiff::civil::date;

    pub(crate) fn sample() -> SeasonChart {
        let start = date(2017, 1, 1);
        let days: Vec<Date> = (0..120)
            .map(|k| start.checked_add(jiff::Span::new().days(k)).unwrap())
            .collect();
        let wave = |k: usize, base: f64, amp: f64| {
            let rush = if (15..27).contains(&k) { 1.8 } else { 1.0 };
            base * rush + amp * ((k as f64) / 7.0 * std::f64::consts::TAU).sin()
        };
        SeasonChart {
            title: "Mean clearance time by arrival day".into(),
            subtitle: Some("Lunar New Year season, 2017".into()),
            x_label: "arrival date".into(),
            y_label: "mean clearance time (hours)".into(),
            series: vec![
                DailySeries {
                    name: "business hours".into(),
                    points: days
                        .iter()
                        .enumerate()
                        .map(|(k, d)| (*d, wave(k, 16.0, 4.0)))
                        .collect(),
                    days_per_point: 1,
                },
                DailySeries {
                    name: "7×24".into(),
                    points: days
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| !(60..63).contains(k))
                        .map(|(k, d)| (*d, wave(k, 8.5, 1.5)))
                        .collect(),
                    days_per_point: 1,
                },
            ],
            spans: vec![
                DateSpan {
                    label: "pre-holiday rush".into(),
                    from: date(2017, 1, 14),
                    to: date(2017, 1, 26),
                    kind: SpanKind::Peak,
                },
                DateSpan {
                    label: "Spring Festival".into(),
                    from: date(2017, 1, 27),
                    to: date(2017, 2, 2),
                    kind: SpanKind::Holiday,
                },
                DateSpan {
                    label: "recovery".into(),
                    from: date(2017, 2, 3),
                    to: date(2017, 2, 12),
                    kind: SpanKind::Peak,
                },
                DateSpan {
                    label: "Qingming".into(),
                    from: date(2017, 4, 2),
                    to: date(2017, 4, 4),
                    kind: SpanKind::Holiday,
                },
            ],
        }
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2017, 1, 1)), 17_167);
        for n in [-1000, 0, 17_167, 20_000, 60_000] {
            let (y, m, d) = civil(n);
            assert_eq!(day_number(date(y as i16, m as i8, d as i8)), n);
        }
        assert_eq!(fmt_date(day_number(date(2017, 1, 6))), "Jan 06");
        // 2017-01-02 was a Monday.
        assert_eq!((day_number(date(2017, 1, 2)) + 3).rem_euclid(7), 0);
    }

    #[test]
    fn date_ticks_fit_the_range() {
        super::super::register_font().unwrap();
        let first = day_number(date(2017, 1, 1));
        // A year on 1,100 pixels: month starts, Mondays as faint lines.
        let (bold, light) = date_ticks(first, first + 365, 1100);
        assert_eq!(bold.len(), 13, "Jan 01 to Jan 01 of the next year");
        assert!(bold.iter().all(|&n| civil(n).2 == 1));
        assert_eq!(light.len(), 53, "2017-01-02 … 2018-01-01");
        // Ten days: every day.
        let (bold, _) = date_ticks(first, first + 10, 1100);
        assert_eq!(bold.len(), 11);
        // 110 years: every tenth (or twentieth) year, the years as faint lines.
        let (bold, light) = date_ticks(first, first + 40_000, 1100);
        let years: Vec<i64> = bold.iter().map(|&n| civil(n).0).collect();
        assert!(years.len() >= 5 && years.len() <= 12, "{years:?}");
        assert!(years.iter().all(|y| y % 10 == 0), "{years:?}");
        assert!(bold.iter().all(|&n| civil(n).1 == 1 && civil(n).2 == 1));
        assert_eq!(light.len(), 110);
    }

    #[test]
    fn season_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let chart = sample();
        let paths = season(&chart, &dir.path().join("season")).unwrap();
        assert_png(&paths[0], 1200, 700);
        assert_svg(
            &paths[1],
            &[
                "Mean clearance time by arrival day",
                "arrival date, 2017",
                "mean clearance time (hours)",
                "business hours",
                "7×24",
                "pre-holiday rush",
                "Spring Festival",
                "peak season",
                "holiday",
                "Jan 16",
            ],
        );
        assert_eq!(season_svg(&chart).unwrap(), season_svg(&chart).unwrap());
    }

    #[test]
    fn season_refuses_unordered_dates() {
        let mut chart = sample();
        chart.series[0].points.swap(0, 1);
        assert!(matches!(season_svg(&chart), Err(PlotError::Data(_))));
    }
}
