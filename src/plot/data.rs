//! The plain data the charts draw: no simulator types, so any summary can be adapted.
//!
//! Every chart takes a title, an optional subtitle (scenario, replications, seed …) and its
//! series. Series are coloured by their position in the chart's list (the first series takes
//! the first colour of [`super::OKABE_ITO`]), so list policies in the same order in every
//! chart of a report and each policy keeps its colour. Times are hours.

use jiff::civil::Date;

/// How a time axis is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeScale {
    /// Hours on a linear axis from 0; the axis ends near the largest 99.5th percentile.
    Linear,
    /// Hours on a logarithmic axis: short and long clearances both readable.
    Log,
}

/// One curve of the share of shipments cleared against time (an empirical CDF).
#[derive(Debug, Clone, PartialEq)]
pub struct EcdfSeries {
    /// Legend name, e.g. the policy or scenario.
    pub name: String,
    /// `(hours, share cleared within that time)`, hours ascending, share in 0..=1 and
    /// non-decreasing. Points are joined by straight lines; give two points per jump for a
    /// step (as [`EcdfSeries::from_samples`] does).
    pub points: Vec<(f64, f64)>,
    /// The 90th percentile in hours, drawn as a dashed marker; `None` draws no marker
    /// (use [`EcdfSeries::quantile`] to read it off the points).
    pub p90_hours: Option<f64>,
}

impl EcdfSeries {
    /// The curve of raw clearance times in hours (any order; non-finite values ignored).
    /// Up to 200 samples give the exact step curve; more are reduced to the times at 1,000
    /// equally spaced shares. The p90 marker is the sample's 90th percentile.
    pub fn from_samples(name: impl Into<String>, hours: &[f64]) -> Self {
        let mut sorted: Vec<f64> = hours.iter().copied().filter(|h| h.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let mut points = Vec::new();
        if n > 0 && n <= 200 {
            points.push((sorted[0], 0.0));
            for (i, &x) in sorted.iter().enumerate() {
                points.push((x, i as f64 / n as f64));
                points.push((x, (i + 1) as f64 / n as f64));
            }
            points.dedup();
        } else if n > 0 {
            points.push((sorted[0], 0.0));
            let keep = 1000;
            for k in 1..=keep {
                // The k-th of `keep` equally spaced ranks, the last being the maximum.
                let rank = (k * n).div_ceil(keep);
                points.push((sorted[rank - 1], rank as f64 / n as f64));
            }
            points.dedup();
        }
        let p90_hours = (n > 0).then(|| {
            let rank = (0.9 * n as f64).ceil().max(1.0) as usize;
            sorted[rank - 1]
        });
        Self {
            name: name.into(),
            points,
            p90_hours,
        }
    }

    /// The curve of a histogram given as `[from_hours, to_hours, share]` bins (shares of all
    /// shipments, bins ascending); the p90 marker is interpolated within its bin.
    pub fn from_bins(name: impl Into<String>, bins: &[[f64; 3]]) -> Self {
        let mut points = Vec::with_capacity(bins.len() + 1);
        let mut cumulative = 0.0;
        if let Some(first) = bins.first() {
            points.push((first[0], 0.0));
        }
        for bin in bins {
            cumulative += bin[2];
            points.push((bin[1], cumulative.min(1.0)));
        }
        let mut series = Self {
            name: name.into(),
            points,
            p90_hours: None,
        };
        series.p90_hours = series.quantile(0.9);
        series
    }

    /// The share cleared at once, as a log time axis must show it: when the curve starts
    /// at 0 hours (shipments cleared in no time, or a first bin from 0), its first point
    /// after 0 hours `(hours, share)`, the share cleared within that time (`None` when
    /// the curve does not start at 0 or under 0.05 % clears that soon). A log axis has no
    /// 0: this mass is drawn as a point at the axis, not as a slope.
    pub fn start_mass(&self) -> Option<(f64, f64)> {
        let i = self.points.iter().position(|p| p.0 > 0.0)?;
        let first = self.points[i];
        // Less than 0.05 % would print as "0.0 %" and cannot be seen as a slope either.
        (i > 0 && first.1 >= 0.0005).then_some(first)
    }

    /// The time by which a share `q` (0..=1) of shipments is cleared, interpolated along
    /// the points; `None` when the curve never reaches `q`.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let mut prev: Option<(f64, f64)> = None;
        for &(x, share) in &self.points {
            if share >= q {
                return Some(match prev {
                    Some((px, ps)) if share > ps && q > ps => {
                        px + (x - px) * (q - ps) / (share - ps)
                    }
                    _ => x,
                });
            }
            prev = Some((x, share));
        }
        None
    }
}

/// Clearance-time ECDFs overlaid: one line per series, p90 markers and an optional SLA.
#[derive(Debug, Clone, PartialEq)]
pub struct EcdfChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title (scenario, replications …), if any.
    pub subtitle: Option<String>,
    /// The curves, one per policy or scenario.
    pub series: Vec<EcdfSeries>,
    /// The service-level target in hours, drawn as a solid marker.
    pub sla_hours: Option<f64>,
}

/// One series of a histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSeries {
    /// Legend name.
    pub name: String,
    /// `[from_hours, to_hours, share]`: the share (0..=1) of all shipments whose clearance
    /// falls in `[from, to)`. Bins ascending and not overlapping; widths may differ.
    pub bins: Vec<[f64; 3]>,
}

/// Share of shipments per clearance-time bin; several series are drawn as outlines over
/// light fills.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The series, one per policy or scenario.
    pub series: Vec<HistogramSeries>,
    /// The service-level target in hours, drawn as a solid marker.
    pub sla_hours: Option<f64>,
}

/// One panel of the per-mode small multiples.
#[derive(Debug, Clone, PartialEq)]
pub struct ModePanel {
    /// Panel title: the mode (air cargo, rail …).
    pub mode: String,
    /// The curves of this mode. A series keeps its colour across panels by its name.
    pub series: Vec<EcdfSeries>,
}

/// A grid of ECDF panels, one per mode, the series overlaid in each, one shared legend.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeGridChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The panels, drawn left to right, top to bottom.
    pub panels: Vec<ModePanel>,
    /// The service-level target in hours, drawn in every panel.
    pub sla_hours: Option<f64>,
}

/// One line over the 168 hours of a week.
#[derive(Debug, Clone, PartialEq)]
pub struct HourOfWeekSeries {
    /// Legend name.
    pub name: String,
    /// 168 values, hour 0 = Monday 00:00–01:00; each value covers its hour.
    /// Non-finite values leave a gap.
    pub values: Vec<f64>,
}

/// Shaded spans of the week, e.g. office hours.
#[derive(Debug, Clone, PartialEq)]
pub struct HourSpans {
    /// Legend text, e.g. "office hours".
    pub label: String,
    /// `(from, to)` in hours of the week, 0..=168.
    pub spans: Vec<(f64, f64)>,
}

impl HourSpans {
    /// The same hours on each of `days` (0 = Monday … 6 = Sunday), e.g. office hours
    /// `daily("office hours", 0..5, 9.0, 17.0)`; `to_hour` may pass 24 for an overnight span.
    pub fn daily(
        label: impl Into<String>,
        days: std::ops::Range<usize>,
        from_hour: f64,
        to_hour: f64,
    ) -> Self {
        let mut spans = Vec::new();
        for day in days {
            let start = day as f64 * 24.0 + from_hour;
            let end = day as f64 * 24.0 + to_hour;
            if end > 168.0 {
                spans.push((start, 168.0));
                spans.push((0.0, end - 168.0));
            } else {
                spans.push((start, end));
            }
        }
        Self {
            label: label.into(),
            spans,
        }
    }
}

/// Lines over the hour of the week, e.g. mean shipments in the system by hour of week, one
/// line per policy; day separators and optional shaded office hours.
#[derive(Debug, Clone, PartialEq)]
pub struct HourOfWeekChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The y axis label with its unit, e.g. "shipments in system".
    pub y_label: String,
    /// The lines.
    pub series: Vec<HourOfWeekSeries>,
    /// Spans shaded behind the lines, e.g. office hours.
    pub shading: Option<HourSpans>,
}

/// One pool's roster against its demand over the week.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterPanel {
    /// Panel title: the pool.
    pub pool: String,
    /// Officers on duty by hour of week (drawn as steps, left axis), one series per policy
    /// or roster.
    pub staff: Vec<HourOfWeekSeries>,
    /// Demand by hour of week (168 values, drawn as a grey area, right axis).
    pub demand: Vec<f64>,
    /// Officers on call (serving only priority and reserved work) by hour of week, one
    /// series per policy or roster, named as in `staff` (drawn as dashed steps in the
    /// series' colour, left axis); empty for none.
    pub on_call: Vec<HourOfWeekSeries>,
}

/// Roster vs demand: one panel per pool, staff on duty on the left axis and demand on the
/// right axis.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterDemandChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The right axis label with its unit, e.g. "arrivals per hour" or
    /// "work arriving (officer-hours per hour)".
    pub demand_label: String,
    /// The panels, top to bottom.
    pub panels: Vec<RosterPanel>,
}

/// One line of daily values.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    /// Legend name.
    pub name: String,
    /// `(date, value)`, dates ascending: the first day of each bin; a missing bin or a
    /// non-finite value leaves a gap.
    pub points: Vec<(Date, f64)>,
    /// Whole days each point stands for (1: a value a day).
    pub days_per_point: u32,
}

/// What a shaded date span stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// A peak season (light colour, named above the plot).
    Peak,
    /// A public holiday (grey).
    Holiday,
    /// A dated regime: a period under changed rules (a blue stripe along the top, named
    /// above the plot).
    Regime,
}

/// A shaded span of dates.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSpan {
    /// Name shown above the plot, e.g. "Lunar New Year rush"; empty for none.
    pub label: String,
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// Peak, holiday or regime.
    pub kind: SpanKind,
}

/// Daily values over dates, e.g. mean clearance by arrival day or backlog, with peaks and
/// holidays shaded.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The x axis label, e.g. "arrival date"; the year is appended.
    pub x_label: String,
    /// The y axis label with its unit, e.g. "mean clearance time (hours)".
    pub y_label: String,
    /// The lines.
    pub series: Vec<DailySeries>,
    /// Peaks and holidays.
    pub spans: Vec<DateSpan>,
}

/// Waiting or being served (or delayed) in a stage, or a flow's whole clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagePart {
    /// Waiting for an officer (drawn in a light shade of the series' colour).
    Waiting,
    /// Service by an officer or a delay (drawn in the series' full colour).
    Service,
    /// The mean clearance time the stages explain (drawn as an outline in the series'
    /// colour).
    Clearance,
}

/// One segment of a stage bar.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSegment {
    /// The stage, e.g. "review".
    pub stage: String,
    /// Waiting, service or the clearance.
    pub part: StagePart,
    /// Mean hours per shipment.
    pub hours: f64,
}

/// One bar: a stage (or the clearance) of a group, for one series. Bars are not stacked
/// on each other: each stands alone, so none can add time that overlaps another's (a
/// parallel block and the stages of its branches).
#[derive(Debug, Clone, PartialEq)]
pub struct StageBar {
    /// The group the bar belongs to, e.g. the mode; bars of a group are drawn together.
    pub group: String,
    /// The row within the group: the stage, or e.g. "mean clearance"; the series of a
    /// row are drawn side by side.
    pub label: String,
    /// The series, e.g. the policy; a series keeps its colour across rows.
    pub series: String,
    /// The bar's parts from left to right: waiting then service, or the clearance.
    pub segments: Vec<StageSegment>,
}

/// Time Release Study breakdown: a row of horizontal bars per stage (mean waiting and
/// service hours per shipment), a group per mode, each series a colour.
#[derive(Debug, Clone, PartialEq)]
pub struct StagesChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The bars, top to bottom.
    pub bars: Vec<StageBar>,
}

/// One point of a sweep: a mean and its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    /// The swept value.
    pub x: f64,
    /// The mean of the metric.
    pub mean: f64,
    /// The 95 % confidence interval `(low, high)`, if known.
    pub ci95: Option<(f64, f64)>,
}

/// One line of a sweep, e.g. a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSeries {
    /// Legend name.
    pub name: String,
    /// Points, `x` ascending.
    pub points: Vec<SweepPoint>,
}

/// A horizontal reference line, e.g. a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The value on the y axis.
    pub value: f64,
    /// Its label, e.g. "target p90 ≤ 12 h".
    pub label: String,
}

/// A metric against a swept numeric value, with 95 % CI bands.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The x axis label with its unit, e.g. "officers on duty (review pool)".
    pub x_label: String,
    /// The y axis label with its unit, e.g. "mean clearance time (hours)".
    pub y_label: String,
    /// The lines, one per group.
    pub series: Vec<SweepSeries>,
    /// A horizontal reference line, if any.
    pub reference: Option<Reference>,
}

/// A metric over two swept axes: coloured cells with the value printed in each.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The x axis label with its unit.
    pub x_label: String,
    /// The y axis label with its unit.
    pub y_label: String,
    /// The colour scale's label with its unit, e.g. "p90 clearance (hours)".
    pub value_label: String,
    /// Column labels, left to right.
    pub x_categories: Vec<String>,
    /// Row labels, bottom to top.
    pub y_categories: Vec<String>,
    /// `values[row][column]`, rows as `y_categories`; `None` (or non-finite) for no value.
    pub values: Vec<Vec<Option<f64>>>,
    /// Decimals printed in the cells.
    pub decimals: usize,
    /// `ci95[row][column]`: each cell's 95 % confidence interval, if known (empty: none
    /// known). A cell shows its half-width, and a cell whose interval overlaps the best
    /// (lowest) cell's is hatched: it does not differ from the best beyond the noise.
    pub ci95: Vec<Vec<Option<(f64, f64)>>>,
}

/// One bar of a categorical chart: a mean and its 95 % confidence interval.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryBar {
    /// The category, e.g. a policy.
    pub name: String,
    /// The mean.
    pub mean: f64,
    /// Its 95 % confidence interval `(low, high)`, if known (drawn as a whisker).
    pub ci95: Option<(f64, f64)>,
}

/// Means of unordered categories (e.g. the policies of a sweep): a bar from 0 each,
/// with 95 % CI whiskers.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The category axis label, e.g. "policy".
    pub x_label: String,
    /// The value axis label with its unit.
    pub y_label: String,
    /// The bars, left to right.
    pub bars: Vec<CategoryBar>,
}

/// A designed roster against its demand: one panel per day type, 24 hourly values each,
/// all in officers.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterDesignChart {
    /// Chart title.
    pub title: String,
    /// A smaller line under the title, if any.
    pub subtitle: Option<String>,
    /// The panels, in reading order (two to a row).
    pub panels: Vec<DesignPanel>,
}

/// One day type's hours.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignPanel {
    /// Panel title: the day type.
    pub title: String,
    /// Offered load m(t) by hour (drawn as a grey area).
    pub offered_load: Vec<f64>,
    /// Requirement s(t) by hour (dashed steps).
    pub requirement: Vec<f64>,
    /// Officers on duty under the designed roster (solid steps).
    pub designed: Vec<f64>,
    /// Officers on duty under the scenario's own roster (solid steps).
    pub own: Vec<f64>,
}
