//! The figures of a run, a comparison or a sweep, drawn from their documents.
//!
//! Figures are drawn from the documents as they are saved (`portsim.summary/1`
//! summaries, or a sweep's `portsim.sweep/1` results), read as their types, never from
//! in-memory results, so `portsim plot` redraws exactly what `--plots` drew, from the
//! files alone.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::Value;

use crate::experiment::layout::CalendarLayout;
use crate::experiment::{FlowSummary, Summary};
use crate::plot::{self, PlotError, data::*};
use crate::results::sweep::{SweepResults, SweepVariant};

/// One drawn figure: `STEM.png` and `STEM.svg` in the plot directory.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// File stem, e.g. `clearance-ecdf`.
    pub name: String,
    /// A sentence saying what it shows.
    pub caption: String,
    /// The files written.
    pub files: Vec<PathBuf>,
}

impl Figure {
    /// The SVG file.
    pub fn svg(&self) -> Option<&Path> {
        self.files
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "svg"))
            .map(PathBuf::as_path)
    }
}

/// A figure JSON can hold: `None` for NaN and infinity (written `null`).
pub(super) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A series with its gaps (`null`) as NaN.
fn nums(v: &[Option<f64>]) -> Vec<f64> {
    v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()
}

/// Names for the series of several summaries: policies when they tell the summaries
/// apart, else scenario names, else numbers.
pub fn series_names(summaries: &[Summary]) -> Vec<String> {
    let pick = |key: fn(&Summary) -> Option<&str>| -> Option<Vec<String>> {
        let names: Vec<String> = summaries
            .iter()
            .map(|s| key(s).unwrap_or("").to_string())
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        (names.iter().all(|n| !n.is_empty()) && unique.len() == names.len()).then_some(names)
    };
    pick(|s| s.policy.as_deref())
        .or_else(|| pick(|s| Some(s.scenario.as_str())))
        .or_else(|| {
            let both: Vec<String> = summaries
                .iter()
                .map(|s| {
                    format!(
                        "{} ({})",
                        s.scenario,
                        s.policy.as_deref().unwrap_or("constant staff")
                    )
                })
                .collect();
            let mut unique = both.clone();
            unique.sort();
            unique.dedup();
            (unique.len() == both.len()).then_some(both)
        })
        .unwrap_or_else(|| {
            (1..=summaries.len())
                .map(|i| format!("[{i}] {}", summaries[i - 1].scenario))
                .collect()
        })
}

fn subtitle(summaries: &[Summary]) -> Option<String> {
    let s = summaries.first()?;
    let scenarios: Vec<&str> = summaries.iter().map(|s| s.scenario.as_str()).collect();
    let mut unique = scenarios.clone();
    unique.dedup();
    let n = s.replications;
    Some(format!(
        "{} · {n} replication{}, seed {} · shipments arriving after the warm-up",
        unique.join(" / "),
        if n == 1 { "" } else { "s" },
        s.seed
    ))
}

fn ecdf_series(name: &str, flow: &FlowSummary) -> Option<EcdfSeries> {
    let bins = &flow.distribution.bins;
    if bins.is_empty() {
        return None;
    }
    let mut s = EcdfSeries::from_bins(name, bins);
    // The exact pooled p90 of the summary, not one read off the bins.
    s.p90_hours = flow.clearance_hours.p90.and_then(finite).or(s.p90_hours);
    Some(s)
}

fn parse_date(s: &str) -> Option<Date> {
    s.parse().ok()
}

/// Figures for one or several run summaries (several: one series each — policies of a
/// comparison, or scenarios side by side), written into `dir`.
pub fn run_figures(summaries: &[Summary], dir: &Path) -> Result<Vec<Figure>, PlotError> {
    create_dir(dir)?;
    let set = RunSet {
        summaries,
        names: series_names(summaries),
        sub: subtitle(summaries),
        sla: summaries.first().and_then(|s| s.sla_hours.and_then(finite)),
        mode_names: summaries
            .first()
            .map(|s| s.modes.keys().cloned().collect())
            .unwrap_or_default(),
        dir,
    };
    let mut out = Vec::new();
    distribution_figures(&set, &mut out)?;
    mode_grid_figure(&set, &mut out)?;
    backlog_figure(&set, &mut out)?;
    season_figures(&set, &mut out)?;
    stages_figure(&set, &mut out)?;
    roster_figure(&set, &mut out)?;
    Ok(out)
}

/// `dir`, created if missing.
fn create_dir(dir: &Path) -> Result<(), PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| PlotError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })
}

/// What the figures of a set of run summaries share.
struct RunSet<'a> {
    /// The summaries, a series each.
    summaries: &'a [Summary],
    /// Each summary's series name.
    names: Vec<String>,
    /// The charts' subtitle.
    sub: Option<String>,
    /// The first summary's SLA, hours.
    sla: Option<f64>,
    /// The first summary's modes.
    mode_names: Vec<String>,
    /// Where the figures go.
    dir: &'a Path,
}

impl RunSet<'_> {
    /// Each summary with its series name.
    fn named(&self) -> impl Iterator<Item = (&Summary, &String)> {
        self.summaries.iter().zip(&self.names)
    }
}

/// Adds a drawn figure to `out`.
fn push(out: &mut Vec<Figure>, name: &str, caption: String, files: Vec<PathBuf>) {
    out.push(Figure {
        name: name.to_string(),
        caption,
        files,
    });
}

/// The distribution of the headline modes' clearance: ECDF (linear and logarithmic time
/// axis) and histogram.
fn distribution_figures(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let overall: Vec<EcdfSeries> = set
        .named()
        .filter_map(|(s, n)| ecdf_series(n, &s.overall))
        .collect();
    if overall.is_empty() {
        return Ok(());
    }
    let sla = set.sla;
    let chart = EcdfChart {
        title: "Clearance time: share of shipments cleared within a time".into(),
        subtitle: set.sub.clone(),
        series: overall,
        sla_hours: sla,
    };
    for (scale, stem, what) in [
        (TimeScale::Linear, "clearance-ecdf", "linear time axis"),
        (
            TimeScale::Log,
            "clearance-ecdf-log",
            "logarithmic time axis",
        ),
    ] {
        let files = plot::distribution::ecdf(&chart, scale, &set.dir.join(stem))?;
        let masses = if scale == TimeScale::Log {
            start_masses(&chart.series)
        } else {
            String::new()
        };
        push(
            out,
            stem,
            format!(
                "Share of headline shipments cleared within a given time ({what}); dashed lines mark each series' 90th percentile{}.{masses}",
                if sla.is_some() {
                    ", the solid line the SLA"
                } else {
                    ""
                }
            ),
            files,
        );
    }
    let hist = HistogramChart {
        title: "Clearance time: distribution".into(),
        subtitle: set.sub.clone(),
        series: set
            .named()
            .map(|(s, n)| HistogramSeries {
                name: n.clone(),
                bins: s.overall.distribution.bins.clone(),
            })
            .filter(|h| !h.bins.is_empty())
            .collect(),
        sla_hours: sla,
    };
    let files =
        plot::distribution::histogram(&hist, TimeScale::Log, &set.dir.join("clearance-histogram"))?;
    push(
        out,
        "clearance-histogram",
        "Share of headline shipments by clearance time (bins ten to a decade, logarithmic axis)."
            .into(),
        files,
    );
    Ok(())
}

/// What a logarithmic time axis cannot show, said in words: the share of each series
/// cleared at once (its first bin, from 0 hours), marked as a dot on the axis.
pub fn start_masses(series: &[EcdfSeries]) -> String {
    let parts: Vec<String> = series
        .iter()
        .filter_map(|s| {
            let (h, share) = s.start_mass()?;
            let whose = if series.len() > 1 {
                format!(" of {}", s.name)
            } else {
                String::new()
            };
            Some(format!(
                "{:.1} %{whose} within {} h",
                share * 100.0,
                plot_hours(h)
            ))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(
            " A log axis has no 0: the shipments cleared at once ({}) are a dot on the axis, not a slope.",
            parts.join(", ")
        )
    }
}

/// Hours as a caption prints them: two decimals under 1, one above.
fn plot_hours(h: f64) -> String {
    if h < 1.0 {
        format!("{h:.2}")
    } else {
        format!("{h:.1}")
    }
}

/// Clearance by mode, a panel each (when there is more than one).
fn mode_grid_figure(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let panels: Vec<ModePanel> = set
        .mode_names
        .iter()
        .map(|m| ModePanel {
            mode: m.clone(),
            series: set
                .named()
                .filter_map(|(s, n)| ecdf_series(n, s.modes.get(m)?))
                .collect(),
        })
        .filter(|p| !p.series.is_empty())
        .collect();
    if panels.len() <= 1 {
        return Ok(());
    }
    let chart = ModeGridChart {
        title: "Clearance time by mode".into(),
        subtitle: set.sub.clone(),
        panels,
        sla_hours: set.sla,
    };
    let files =
        plot::distribution::mode_grid(&chart, TimeScale::Log, &set.dir.join("clearance-by-mode"))?;
    push(
        out,
        "clearance-by-mode",
        "Share cleared within a given time, one panel per mode (logarithmic time axis); shipments cleared at once (the first bin, from 0 h) are a dot on the axis with their share, since a log axis has no 0.".into(),
        files,
    );
    Ok(())
}

/// The backlog by hour of the week.
fn backlog_figure(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let backlog: Vec<HourOfWeekSeries> = set
        .named()
        .map(|(s, n)| HourOfWeekSeries {
            name: n.clone(),
            values: nums(&s.overall.series.hour_of_week.in_system),
        })
        .filter(|h| h.values.len() == 168)
        .collect();
    if backlog.is_empty() {
        return Ok(());
    }
    let chart = HourOfWeekChart {
        title: "Backlog by hour of the week".into(),
        subtitle: set.sub.clone(),
        y_label: "shipments in clearance (mean)".into(),
        series: backlog,
        shading: None,
    };
    let files = plot::hour_of_week::hour_of_week(&chart, &set.dir.join("backlog-hour-of-week"))?;
    push(
        out,
        "backlog-hour-of-week",
        "Mean number of headline shipments in clearance by hour of the week (holidays count as Sundays).".into(),
        files,
    );
    Ok(())
}

/// Whole days per bin of a summary's daily series (1 in summaries older than the field;
/// a window longer than 1,000 days has bins of whole weeks).
fn days_per_bin(s: &Summary) -> u64 {
    s.calendar
        .as_ref()
        .map_or(1, |c| u64::from(c.days_per_bin))
        .max(1)
}

/// The first day of a summary's calendar, as written.
fn start(s: &Summary) -> Option<&str> {
    s.calendar.as_ref().map(|c| c.start.as_str())
}

/// The season: daily clearance and backlog, peaks and holidays shaded. Summaries on the
/// same calendar (and binned alike) share a chart; on different calendars (other years),
/// each has its own, since its days are other dates.
fn season_figures(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let summaries = set.summaries;
    let same_calendar = summaries.iter().all(|s| {
        start(s) == start(&summaries[0]) && days_per_bin(s) == days_per_bin(&summaries[0])
    });
    let groups: Vec<Vec<usize>> = if same_calendar {
        vec![(0..summaries.len()).collect()]
    } else {
        (0..summaries.len()).map(|i| vec![i]).collect()
    };
    for (g, members) in groups.iter().enumerate() {
        let group = (groups.len() > 1).then_some(g + 1);
        season_group(set, members, group, out)?;
    }
    Ok(())
}

/// The holidays, peaks and regimes of a summary's calendar, as shaded spans.
fn calendar_spans(cal: &CalendarLayout) -> Vec<DateSpan> {
    let mut spans: Vec<DateSpan> = cal
        .holidays
        .iter()
        .filter_map(|d| parse_date(d))
        .map(|d| DateSpan {
            label: String::new(),
            from: d,
            to: d,
            kind: SpanKind::Holiday,
        })
        .collect();
    spans.extend(cal.peaks.iter().filter_map(|p| {
        Some(DateSpan {
            label: p.name.clone(),
            from: parse_date(&p.from)?,
            to: parse_date(&p.to)?,
            kind: SpanKind::Peak,
        })
    }));
    spans.extend(cal.regimes.iter().filter_map(|p| {
        Some(DateSpan {
            label: p.name.clone(),
            from: parse_date(&p.from)?,
            to: parse_date(&p.to)?,
            kind: SpanKind::Regime,
        })
    }));
    spans
}

/// How a bin of `w` days is named: by what ("day"), over what ("each day"), and as a
/// mean ("daily").
fn bin_words(w: i64) -> (String, String, String) {
    match w {
        1 => (
            "day".to_string(),
            "each day".to_string(),
            "daily".to_string(),
        ),
        7 => ("week".into(), "each week".into(), "weekly".into()),
        _ => (
            format!("{}-week period", w / 7),
            format!("in each period of {} weeks", w / 7),
            format!("{}-week", w / 7),
        ),
    }
}

/// The season charts of one group of summaries on the same calendar (`group`: its
/// number when there are several groups).
fn season_group(
    set: &RunSet<'_>,
    members: &[usize],
    group: Option<usize>,
    out: &mut Vec<Figure>,
) -> Result<(), PlotError> {
    let first = &set.summaries[members[0]];
    let Some(cal) = &first.calendar else {
        return Ok(());
    };
    let Some(start) = parse_date(&cal.start) else {
        return Ok(());
    };
    let w = days_per_bin(first) as i64;
    let spans = calendar_spans(cal);
    let daily = |key: fn(&FlowSummary) -> &[Option<f64>]| -> Vec<DailySeries> {
        members
            .iter()
            .map(|&i| DailySeries {
                name: set.names[i].clone(),
                points: nums(key(&set.summaries[i].overall))
                    .into_iter()
                    .enumerate()
                    .filter_map(|(d, v)| {
                        let day = d as i64 * w;
                        Some((start.checked_add(jiff::Span::new().days(day)).ok()?, v))
                    })
                    .collect(),
                days_per_point: w as u32,
            })
            .filter(|d| !d.points.is_empty())
            .collect()
    };
    let sub = match group {
        Some(_) => subtitle(std::slice::from_ref(first)),
        None => set.sub.clone(),
    };
    let (by, each, mean) = bin_words(w);
    let clearance: fn(&FlowSummary) -> &[Option<f64>] = |f| &f.series.daily.clearance_mean;
    let in_system: fn(&FlowSummary) -> &[Option<f64>] = |f| &f.series.daily.in_system;
    for (key, stem, title, y, caption) in [
        (
            clearance,
            "season-clearance",
            format!("Mean clearance time by {by} of arrival"),
            "mean clearance time (hours)".to_string(),
            format!(
                "Mean clearance time of the headline shipments that arrived {each}; peaks shaded and named, holidays grey"
            ),
        ),
        (
            in_system,
            "season-backlog",
            "Backlog through the season".to_string(),
            format!("shipments in clearance ({mean} mean)"),
            format!(
                "Mean number of headline shipments in clearance {each}; peaks shaded and named, holidays grey"
            ),
        ),
    ] {
        let series = daily(key);
        if series.is_empty() {
            continue;
        }
        let chart = SeasonChart {
            title,
            subtitle: sub.clone(),
            x_label: "date".into(),
            y_label: y,
            series,
            spans: spans.clone(),
        };
        let (stem, whose) = match group {
            Some(g) => (
                format!("{stem}-{g}"),
                format!(" ({})", set.names[members[0]]),
            ),
            None => (stem.to_string(), String::new()),
        };
        let files = plot::season::season(&chart, &set.dir.join(&stem))?;
        push(out, &stem, format!("{caption}{whose}."), files);
    }
    Ok(())
}

/// The Time Release Study breakdown: a group per mode, a row per stage, a bar per
/// series.
fn stages_figure(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let Some(chart) = stages_chart(set.summaries) else {
        return Ok(());
    };
    let files = plot::stages::stages(&chart, &set.dir.join("stages"))?;
    push(
        out,
        "stages",
        "Time Release Study breakdown: mean hours per shipment waiting (light) and in service or delay (full colour) at each stage, by mode, with the mode's mean clearance (outline) above its stages. Each stage is its own bar, not stacked: a parallel block (two agencies at once) is a bar of its own whose time overlaps the stages of its branches, so stage bars do not add up to the clearance, and none is longer than it.".into(),
        files,
    );
    Ok(())
}

/// The stage bars of `summaries` (a series each): for each mode, the mean clearance of
/// each series, then a row per stage with each series' mean hours per shipment waiting
/// and in service; `None` when no mode has stages.
pub fn stages_chart(summaries: &[Summary]) -> Option<StagesChart> {
    let names = series_names(summaries);
    let modes: Vec<&String> = summaries
        .first()
        .map(|s| s.modes.keys().collect())
        .unwrap_or_default();
    let mut bars = Vec::new();
    for m in modes {
        let flows: Vec<(&FlowSummary, &String)> = summaries
            .iter()
            .zip(&names)
            .filter_map(|(s, n)| Some((s.modes.get(m)?, n)))
            .filter(|(f, _)| f.released > 0 && !f.stages.is_empty())
            .collect();
        if flows.is_empty() {
            continue;
        }
        for (flow, name) in &flows {
            if let Some(c) = finite(flow.clearance_hours.mean) {
                bars.push(StageBar {
                    group: m.clone(),
                    label: "mean clearance".into(),
                    series: (*name).clone(),
                    segments: vec![StageSegment {
                        stage: "clearance".into(),
                        part: StagePart::Clearance,
                        hours: c,
                    }],
                });
            }
        }
        let mut stages: Vec<&String> = Vec::new();
        for (flow, _) in &flows {
            for st in flow.stages.keys() {
                if !stages.contains(&st) {
                    stages.push(st);
                }
            }
        }
        for stage in stages {
            for (flow, name) in &flows {
                if let Some(bar) = stage_bar(flow, m, stage, name) {
                    bars.push(bar);
                }
            }
        }
    }
    (!bars.is_empty()).then(|| StagesChart {
        title: "Where the time goes: mean hours per shipment at each stage".into(),
        subtitle: subtitle(summaries),
        bars,
    })
}

/// One stage's bar of one series in a mode: hours per shipment waiting and in service
/// (none when the series has no such stage).
fn stage_bar(mode: &FlowSummary, group: &str, stage: &str, series: &str) -> Option<StageBar> {
    let t = mode.stages.get(stage)?;
    // Per shipment, not per visit: stages some shipments skip weigh less.
    let share = t.visits as f64 / mode.released as f64;
    let mut segments = Vec::new();
    for (part, hours) in [
        (StagePart::Waiting, t.mean_wait_hours),
        (StagePart::Service, t.mean_service_hours),
    ] {
        let h = share * finite(hours).unwrap_or(0.0);
        if h > 0.0 {
            segments.push(StageSegment {
                stage: stage.to_string(),
                part,
                hours: h,
            });
        }
    }
    Some(StageBar {
        group: group.to_string(),
        label: stage.to_string(),
        series: series.to_string(),
        segments,
    })
}

/// Each pool's officers on duty (and on call) against its own queue, by hour of the
/// week. A summary records no arrivals per pool, so the pool's demand is shown by what
/// waits for it: the mean queue in each hour (of the first series). On-call officers are
/// recorded as a total only, so they are drawn at their mean over the window.
fn roster_figure(set: &RunSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let first = set.summaries.first();
    let pool_names: Vec<String> = first
        .map(|s| s.pools.keys().cloned().collect())
        .unwrap_or_default();
    let week = |values: Vec<f64>| (values.len() == 168).then_some(values);
    let panels: Vec<RosterPanel> = pool_names
        .iter()
        .filter_map(|p| {
            let queue = week(nums(&first?.pools.get(p)?.hour_of_week.queue))?;
            Some(RosterPanel {
                pool: p.clone(),
                staff: set
                    .named()
                    .filter_map(|(s, n)| {
                        Some(HourOfWeekSeries {
                            name: n.clone(),
                            values: week(nums(&s.pools.get(p)?.hour_of_week.staff_on_duty))?,
                        })
                    })
                    .collect(),
                // The queue's gaps (hours the window lacks) as none waiting.
                demand: queue
                    .into_iter()
                    .map(|v| if v.is_finite() { v } else { 0.0 })
                    .collect(),
                on_call: set
                    .named()
                    .filter_map(|(s, n)| {
                        let officers = on_call_officers(s, p)?;
                        Some(HourOfWeekSeries {
                            name: n.clone(),
                            values: vec![officers; 168],
                        })
                    })
                    .collect(),
            })
        })
        .filter(|p| !p.staff.is_empty())
        .collect();
    if panels.is_empty() {
        return Ok(());
    }
    let whose = if set.summaries.len() > 1 {
        format!(" ({})", set.names[0])
    } else {
        String::new()
    };
    let chart = RosterDemandChart {
        title: "Roster against demand: officers and the queue at each pool by hour of the week"
            .into(),
        subtitle: set.sub.clone(),
        demand_label: format!("shipments waiting{whose}"),
        panels,
    };
    let files = plot::hour_of_week::roster_demand(&chart, &set.dir.join("roster-demand"))?;
    let on_call = if chart.panels.iter().any(|p| !p.on_call.is_empty()) {
        " Officers on call (dashed; they serve only priority and reserved work) are recorded as a total, so they are drawn flat at their mean over the window."
    } else {
        ""
    };
    push(
        out,
        "roster-demand",
        format!(
            "Officers on duty in each pool (lines, left axis) against that pool's own demand: the mean number of shipments waiting for it in each hour of the week (grey, right axis{whose}); results do not record arrivals per pool, so the queue stands for them.{on_call}"
        ),
        files,
    );
    Ok(())
}

/// The mean number of a pool's officers on call over the counting window (`None` when
/// it has none).
fn on_call_officers(s: &Summary, pool: &str) -> Option<f64> {
    let hours = finite(s.pools.get(pool)?.on_call_hours)?;
    let window = finite(s.horizon_hours - s.warmup_hours)?;
    (hours > 0.0 && window > 0.0).then(|| hours / window)
}

/// Figures of a sweep (`portsim.sweep/1`): mean clearance and the share within the SLA
/// against the first numeric axis with 95 % CI bands, a line per value of the other
/// axes; a heatmap when there are two numeric axes; bars with CIs when no axis is
/// numeric (policies, say).
pub fn sweep_figures(
    results: &SweepResults<Summary>,
    dir: &Path,
) -> Result<Vec<Figure>, PlotError> {
    create_dir(dir)?;
    let columns = &results.columns;
    let variants = &results.variants;
    let numeric: Vec<&String> = columns
        .iter()
        .filter(|c| !variants.is_empty() && variants.iter().all(|v| value(v, c).as_f64().is_some()))
        .collect();
    let mut out = Vec::new();
    let Some(x_axis) = numeric.first().map(|c| c.as_str()) else {
        category_figures(results, dir, &mut out)?;
        return Ok(out);
    };
    let sweep = SweepSet {
        sub: Some(format!(
            "sweep \"{}\" · {} variants",
            results.sweep,
            variants.len()
        )),
        columns,
        variants,
        x_axis,
        dir,
    };
    line_figures(&sweep, &mut out)?;
    // A heatmap of two numeric axes that are not linked.
    if let Some(y_axis) = numeric
        .iter()
        .skip(1)
        .find(|c| !linked_with(c, x_axis, variants))
    {
        heatmap_figure(&sweep, y_axis, &mut out)?;
    }
    Ok(out)
}

/// What the figures of a sweep share.
struct SweepSet<'a> {
    /// The charts' subtitle.
    sub: Option<String>,
    /// The axis paths.
    columns: &'a [String],
    /// The complete variants.
    variants: &'a [Variant],
    /// The first numeric axis: the x axis.
    x_axis: &'a str,
    /// Where the figures go.
    dir: &'a Path,
}

impl SweepSet<'_> {
    /// A variant's line: the values of the axes other than x and those linked with it.
    fn label_of(&self, v: &Variant) -> String {
        let parts: Vec<String> = self
            .columns
            .iter()
            .filter(|c| c.as_str() != self.x_axis && !linked_with(c, self.x_axis, self.variants))
            .map(|c| {
                let x = value(v, c);
                let text = x
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string());
                if x.is_string() {
                    text
                } else {
                    format!("{}={text}", short(c))
                }
            })
            .collect();
        if parts.is_empty() {
            "all variants".into()
        } else {
            parts.join(", ")
        }
    }

    /// The label of the axis `path`.
    fn axis_label(&self, path: &str) -> String {
        axis_label(path, self.columns, self.variants)
    }
}

/// A variant of a sweep's results.
pub(super) type Variant = SweepVariant<Summary>;

/// A variant's value of the axis `c`, as JSON (`null` if it has none).
pub(super) fn value(v: &Variant, c: &str) -> Value {
    v.values.get(c).map_or(Value::Null, |x| {
        serde_json::to_value(x).expect("TOML values serialise")
    })
}

/// A sweep's figures, each a metric with its 95 % CI: `(metric, stem, axis label,
/// title)`. Only means have intervals (the p90 is pooled over replications, without
/// one), so the figures are the mean clearance and the share within the SLA.
const SWEEP_METRICS: [(&str, &str, &str, &str); 2] = [
    (
        "mean",
        "sweep-mean",
        "mean clearance time (hours)",
        "Mean clearance time across the sweep",
    ),
    (
        "sla",
        "sweep-sla",
        "shipments cleared within the SLA (%)",
        "Share cleared within the SLA across the sweep",
    ),
];

/// A variant's figure of `metric` with its 95 % CI (the SLA share in %).
fn metric_of(v: &Variant, metric: &str) -> Option<(f64, Option<(f64, f64)>)> {
    let o = &v.summary.overall;
    let (mean, ci, scale) = match metric {
        "mean" => (o.clearance_hours.mean, o.clearance_hours.mean_ci95, 1.0),
        _ => {
            let b = o.sla_share.as_ref()?;
            (b.mean, b.mean_ci95, 100.0)
        }
    };
    let mean = finite(mean)? * scale;
    let ci = ci.and_then(|[lo, hi]| Some((finite(lo)? * scale, finite(hi)? * scale)));
    Some((mean, ci))
}

/// The figures of a sweep without a numeric axis (policies, say): a bar per variant for
/// each metric, with its 95 % CI.
fn category_figures(
    results: &SweepResults<Summary>,
    dir: &Path,
    out: &mut Vec<Figure>,
) -> Result<(), PlotError> {
    let columns = &results.columns;
    let label = |v: &Variant| -> String {
        let parts: Vec<String> = columns
            .iter()
            .map(|c| {
                let x = value(v, c);
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect();
        parts.join(", ")
    };
    for (metric, stem, y_label, title) in SWEEP_METRICS {
        let bars: Vec<CategoryBar> = results
            .variants
            .iter()
            .filter_map(|v| {
                let (mean, ci95) = metric_of(v, metric)?;
                Some(CategoryBar {
                    name: label(v),
                    mean,
                    ci95,
                })
            })
            .collect();
        if bars.is_empty() {
            continue;
        }
        let stem = format!("{stem}-bars");
        let chart = CategoryChart {
            title: title.replace("across the sweep", "by variant"),
            subtitle: Some(format!(
                "sweep \"{}\" · {} variants",
                results.sweep,
                results.variants.len()
            )),
            x_label: columns.join(", "),
            y_label: y_label.into(),
            bars,
        };
        let files = plot::category::category(&chart, &dir.join(&stem))?;
        push(
            out,
            &stem,
            format!(
                "{} for each variant of {} (bars from 0), with 95 % confidence intervals (whiskers, ± written above).",
                title.replace(" across the sweep", ""),
                columns.join(", ")
            ),
            files,
        );
    }
    Ok(())
}

/// Mean clearance and the share within the SLA against the x axis, a line per value of
/// the other axes, with 95 % CI bands.
fn line_figures(sweep: &SweepSet<'_>, out: &mut Vec<Figure>) -> Result<(), PlotError> {
    let x_axis = sweep.x_axis;
    for (metric, stem, y_label, title) in SWEEP_METRICS {
        let series = sweep_series(sweep, metric);
        if series.is_empty() {
            continue;
        }
        let chart = SweepChart {
            title: title.into(),
            subtitle: sweep.sub.clone(),
            x_label: sweep.axis_label(x_axis),
            y_label: y_label.into(),
            series,
            reference: None,
        };
        let files = plot::sweep::sweep(&chart, &sweep.dir.join(stem))?;
        push(
            out,
            stem,
            format!("{title} against {x_axis}, with 95 % confidence bands and whiskers."),
            files,
        );
    }
    Ok(())
}

/// The lines of one figure (`mean` clearance or `sla` share, each with its CI) against
/// the x axis, their points in order of x.
fn sweep_series(sweep: &SweepSet<'_>, metric: &str) -> Vec<SweepSeries> {
    let mut series: Vec<SweepSeries> = Vec::new();
    for v in sweep.variants {
        let Some(x) = value(v, sweep.x_axis).as_f64() else {
            continue;
        };
        let Some((mean, ci95)) = metric_of(v, metric) else {
            continue;
        };
        let name = sweep.label_of(v);
        let point = SweepPoint { x, mean, ci95 };
        match series.iter_mut().find(|s| s.name == name) {
            Some(s) => s.points.push(point),
            None => series.push(SweepSeries {
                name,
                points: vec![point],
            }),
        }
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    series
}

/// Mean clearance over the x axis and `y_axis`, other axes averaged.
fn heatmap_figure(
    sweep: &SweepSet<'_>,
    y_axis: &str,
    out: &mut Vec<Figure>,
) -> Result<(), PlotError> {
    let x_axis = sweep.x_axis;
    let cats = |c: &str| -> Vec<f64> {
        let mut xs: Vec<f64> = sweep
            .variants
            .iter()
            .filter_map(|v| value(v, c).as_f64())
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        xs
    };
    let (xs, ys) = (cats(x_axis), cats(y_axis));
    let (values, ci95) = heatmap_cells(sweep, y_axis, &xs, &ys);
    let chart = HeatmapChart {
        title: "Mean clearance time over two axes".into(),
        subtitle: sweep.sub.clone(),
        x_label: sweep.axis_label(x_axis),
        y_label: sweep.axis_label(y_axis),
        value_label: "mean clearance time (hours)".into(),
        x_categories: xs.iter().map(|x| format!("{x}")).collect(),
        y_categories: ys.iter().map(|y| format!("{y}")).collect(),
        values,
        decimals: 2,
        ci95,
    };
    let files = plot::sweep::heatmap(&chart, &sweep.dir.join("sweep-heatmap"))?;
    push(
        out,
        "sweep-heatmap",
        format!(
            "Mean clearance time for each pair of {x_axis} and {y_axis} (averaged over any other axes), ± the half-width of its 95 % confidence interval; the best (lowest) cell has a thick border, and a hatched cell's interval overlaps the best's, so it does not differ from the best beyond the noise. The colour scale spans only the values, however close."
        ),
        files,
    );
    Ok(())
}

/// The heatmap's cells, a row per value of `y_axis` (`ys`) and a column per value of
/// the x axis (`xs`): the mean of the variants' mean clearance there (other axes
/// averaged, so the heatmap shows the two axes' effect), `None` where there is none;
/// and each cell's 95 % CI (of a mean of k variants: the half-widths combined as
/// independent, √Σh² / k; `None` when a variant has none).
#[allow(clippy::type_complexity)]
fn heatmap_cells(
    sweep: &SweepSet<'_>,
    y_axis: &str,
    xs: &[f64],
    ys: &[f64],
) -> (Vec<Vec<Option<f64>>>, Vec<Vec<Option<(f64, f64)>>>) {
    let mut sums = vec![vec![(0.0, 0.0, 0u32, true); xs.len()]; ys.len()];
    for v in sweep.variants {
        let (Some(x), Some(y)) = (value(v, sweep.x_axis).as_f64(), value(v, y_axis).as_f64())
        else {
            continue;
        };
        let (Some(i), Some(j)) = (
            xs.iter().position(|a| *a == x),
            ys.iter().position(|a| *a == y),
        ) else {
            continue;
        };
        if let Some((m, ci)) = metric_of(v, "mean") {
            let cell = &mut sums[j][i];
            cell.0 += m;
            match ci {
                Some((lo, hi)) => cell.1 += ((hi - lo) / 2.0).powi(2),
                None => cell.3 = false,
            }
            cell.2 += 1;
        }
    }
    let values = sums
        .iter()
        .map(|row| {
            row.iter()
                .map(|&(sum, _, n, _)| (n > 0).then(|| sum / f64::from(n)))
                .collect()
        })
        .collect();
    let cis = sums
        .iter()
        .map(|row| {
            row.iter()
                .map(|&(sum, sq, n, all)| {
                    (n > 0 && all).then(|| {
                        let (m, h) = (sum / f64::from(n), sq.sqrt() / f64::from(n));
                        (m - h, m + h)
                    })
                })
                .collect()
        })
        .collect();
    (values, cis)
}

/// Whether column `c` moves together with `x` in every variant (a linked axis): each
/// value of `x` always comes with the same value of `c`.
fn linked_with(c: &str, x: &str, variants: &[Variant]) -> bool {
    if c == x {
        return true;
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for v in variants {
        let key = (value(v, x).to_string(), value(v, c).to_string());
        if let Some(other) = seen.iter().find(|(a, _)| *a == key.0) {
            if other.1 != key.1 {
                return false;
            }
        } else {
            seen.push(key);
        }
    }
    // Linked only if c also varies (a constant column is not an axis of interest).
    let mut cs: Vec<&String> = seen.iter().map(|(_, b)| b).collect();
    cs.dedup();
    cs.len() > 1
}

/// An axis label: the path, what its values count, and the paths moving with it.
fn axis_label(path: &str, columns: &[String], variants: &[Variant]) -> String {
    let last = short(path);
    let unit = if path.contains("staff") {
        "officers"
    } else if last.ends_with("per_hour") {
        "shipments per hour"
    } else if last.ends_with("_days") {
        "days"
    } else if last.ends_with("_share") || last == "share" {
        "share"
    } else {
        "value"
    };
    let linked: Vec<&str> = columns
        .iter()
        .filter(|c| c.as_str() != path && linked_with(c, path, variants))
        .map(|c| short(c))
        .collect();
    if linked.is_empty() {
        format!("{path} ({unit})")
    } else {
        format!("{path} ({unit}; with {})", linked.join(", "))
    }
}

/// The last segment of a dotted path.
fn short(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A place in a JSON document being checked: the value there (`None` when missing) and
/// its JSON path (`$.overall.distribution.bins[3]`), for messages.
#[derive(Clone, Copy)]
struct At<'a> {
    value: Option<&'a Value>,
    path: &'a str,
}

impl<'a> At<'a> {
    /// The member `key`, shown as `.key`, or `["key"]` unless it is a plain name.
    fn key(&self, key: &str, path: &'a mut String) -> At<'a> {
        path.clear();
        path.push_str(self.path);
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            path.push('.');
            path.push_str(key);
        } else {
            path.push_str(&format!("[{key:?}]"));
        }
        At {
            value: self.value.and_then(|v| v.get(key)),
            path,
        }
    }

    /// `got …` for a message: what is here instead.
    fn got(&self) -> String {
        match self.value {
            None => "nothing".into(),
            Some(Value::String(s)) => format!("the string {s:?}"),
            Some(Value::Array(_)) => "a list".into(),
            Some(Value::Object(_)) => "an object".into(),
            Some(other) => other.to_string(),
        }
    }

    fn fail<T>(&self, expected: &str) -> Result<T, String> {
        Err(format!(
            "{}: expected {expected}, got {}",
            self.path,
            self.got()
        ))
    }

    /// Missing (or null, when `nullable`) is fine; anything else must pass `ok`.
    fn optional(
        &self,
        nullable: bool,
        expected: &str,
        ok: impl Fn(&Value) -> bool,
    ) -> Result<(), String> {
        match self.value {
            None => Ok(()),
            Some(Value::Null) if nullable => Ok(()),
            Some(v) if ok(v) => Ok(()),
            Some(_) => self.fail(expected),
        }
    }

    /// A whole number ≥ 1; if not `required`, only when present.
    fn whole_at_least_one(&self, required: bool, expected: &str) -> Result<(), String> {
        match self.value {
            None if !required => Ok(()),
            Some(v) if v.as_u64().is_some_and(|n| n >= 1) => Ok(()),
            _ => self.fail(expected),
        }
    }

    /// A number or null, if present.
    fn number(&self) -> Result<(), String> {
        self.optional(true, "a number", Value::is_number)
    }

    /// An object (or null), if present; its members, for checking each.
    fn object(&self) -> Result<Vec<(&'a String, &'a Value)>, String> {
        self.optional(true, "an object", Value::is_object)?;
        Ok(self
            .value
            .and_then(Value::as_object)
            .map(|m| m.iter().collect())
            .unwrap_or_default())
    }

    /// A list (or null), if present; its items.
    fn list(&self) -> Result<&'a [Value], String> {
        self.optional(true, "a list", Value::is_array)?;
        Ok(self
            .value
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice))
    }

    /// A list of numbers (or nulls), if present.
    fn numbers(&self) -> Result<(), String> {
        for (i, x) in self.list()?.iter().enumerate() {
            let path = format!("{}[{i}]", self.path);
            At {
                value: Some(x),
                path: &path,
            }
            .number()?;
        }
        Ok(())
    }

    /// A date of the calendar ("2024-01-01"), required when `required`.
    fn date(&self, required: bool) -> Result<(), String> {
        if self.value.is_none() && !required {
            return Ok(());
        }
        match self.value.and_then(Value::as_str).map(str::parse::<Date>) {
            Some(Ok(_)) => Ok(()),
            _ => self.fail("a date like \"2024-01-01\""),
        }
    }
}

/// The members `keys` of `at`, each checked by `check`.
fn each_key(
    at: At<'_>,
    keys: &[&str],
    check: impl Fn(At<'_>) -> Result<(), String>,
) -> Result<(), String> {
    for k in keys {
        let mut path = String::new();
        check(at.key(k, &mut path))?;
    }
    Ok(())
}

/// A flow of a summary (`overall`, or a mode): the parts its figures and report read.
fn check_flow(flow: At<'_>) -> Result<(), String> {
    flow.object()?;
    each_key(flow, &["released", "arrivals"], |a| a.number())?;
    let mut p = String::new();
    let clearance = flow.key("clearance_hours", &mut p);
    clearance.object()?;
    each_key(clearance, &["mean", "p50", "p90", "p95", "p99"], |a| {
        a.number()
    })?;
    let mut p2 = String::new();
    clearance.key("mean_ci95", &mut p2).numbers()?;
    let mut p3 = String::new();
    let sla = flow.key("sla_share", &mut p3);
    sla.object()?;
    each_key(sla, &["mean"], |a| a.number())?;
    let mut p4 = String::new();
    let mut p5 = String::new();
    let bins = flow.key("distribution", &mut p4).key("bins", &mut p5);
    for (i, b) in bins.list()?.iter().enumerate() {
        let path = format!("{}[{i}]", bins.path);
        let bin = At {
            value: Some(b),
            path: &path,
        };
        if bin.list()?.len() != 3 {
            return bin.fail("a bin [from, to, share]");
        }
        bin.numbers()?;
    }
    let mut p6 = String::new();
    let series = flow.key("series", &mut p6);
    series.object()?;
    for (part, keys) in [
        ("hour_of_week", &["in_system", "arrivals_per_hour"][..]),
        ("daily", &["clearance_mean", "in_system"][..]),
    ] {
        let mut p7 = String::new();
        let s = series.key(part, &mut p7);
        s.object()?;
        each_key(s, keys, |a| a.numbers())?;
    }
    Ok(())
}

/// Checks what the figures and `report.html` read of a run summary, `$` being its JSON
/// path: each part of its type, dates that exist, at least one replication and one day
/// per bin; an error gives the JSON path and what was expected. Parts a summary may lack
/// (older versions, a run without modes) may be missing.
pub fn check_summary(doc: &Value, root: &str) -> Result<(), String> {
    let at = At {
        value: Some(doc),
        path: root,
    };
    at.object()?;
    let mut p = String::new();
    let replications = at.key("replications", &mut p);
    replications.whole_at_least_one(true, "a whole number of replications ≥ 1")?;
    each_key(
        at,
        &["scenario", "policy", "warmup_method", "portsim_version"],
        |a| a.optional(true, "a string", Value::is_string),
    )?;
    each_key(
        at,
        &["seed", "sla_hours", "horizon_hours", "warmup_hours"],
        |a| a.number(),
    )?;
    each_key(at, &["unstable"], |a| {
        a.optional(true, "true or false", Value::is_boolean)
    })?;
    let mut p1 = String::new();
    let calendar = at.key("calendar", &mut p1);
    calendar.object()?;
    if calendar.value.is_some() {
        let mut p2 = String::new();
        calendar.key("start", &mut p2).date(true)?;
        let mut p3 = String::new();
        let bin = calendar.key("days_per_bin", &mut p3);
        bin.whole_at_least_one(false, "a whole number of days ≥ 1")?;
        let mut p4 = String::new();
        let holidays = calendar.key("holidays", &mut p4);
        for (i, d) in holidays.list()?.iter().enumerate() {
            let path = format!("{}[{i}]", holidays.path);
            At {
                value: Some(d),
                path: &path,
            }
            .date(true)?;
        }
        // Peaks, and regimes (absent when the scenario has none in the window): named
        // periods with dates.
        for (key, required) in [("peaks", true), ("regimes", false)] {
            let mut p5 = String::new();
            let periods = calendar.key(key, &mut p5);
            if !required && periods.value.is_none() {
                continue;
            }
            for (i, period) in periods.list()?.iter().enumerate() {
                let path = format!("{}[{i}]", periods.path);
                let period = At {
                    value: Some(period),
                    path: &path,
                };
                period.object()?;
                let mut q = String::new();
                period
                    .key("name", &mut q)
                    .optional(false, "a string", Value::is_string)?;
                each_key(period, &["from", "to"], |a| a.date(true))?;
            }
        }
    }
    let mut p6 = String::new();
    let overall = at.key("overall", &mut p6);
    if !overall.value.is_some_and(Value::is_object) {
        return overall.fail("an object");
    }
    check_flow(overall)?;
    let mut p7 = String::new();
    let modes = at.key("modes", &mut p7);
    for (name, _) in modes.object()? {
        let mut q = String::new();
        let mode = modes.key(name, &mut q);
        check_flow(mode)?;
        let mut q2 = String::new();
        let stages = mode.key("stages", &mut q2);
        for (stage, _) in stages.object()? {
            let mut q3 = String::new();
            let s = stages.key(stage, &mut q3);
            s.object()?;
            each_key(
                s,
                &["visits", "mean_wait_hours", "mean_service_hours"],
                |a| a.number(),
            )?;
        }
    }
    let mut p8 = String::new();
    let pools = at.key("pools", &mut p8);
    for (name, _) in pools.object()? {
        let mut q = String::new();
        let pool = pools.key(name, &mut q);
        pool.object()?;
        each_key(
            pool,
            &[
                "utilization",
                "staff_hours",
                "overtime_hours",
                "mean_queue",
                "offered_load",
            ],
            |a| a.number(),
        )?;
        let mut q2 = String::new();
        let mut q3 = String::new();
        pool.key("hour_of_week", &mut q2)
            .key("staff_on_duty", &mut q3)
            .numbers()?;
    }
    Ok(())
}

/// Checks what the figures and report read of a sweep's results (`portsim.sweep/1`),
/// like [`check_summary`]: the columns (names), each variant's values and summary.
pub fn check_sweep(doc: &Value, root: &str) -> Result<(), String> {
    let at = At {
        value: Some(doc),
        path: root,
    };
    at.object()?;
    let mut p = String::new();
    let columns = at.key("columns", &mut p);
    if !columns.value.is_some_and(Value::is_array) {
        return columns.fail("a list of axis paths");
    }
    for (i, c) in columns.list()?.iter().enumerate() {
        let path = format!("{}[{i}]", columns.path);
        At {
            value: Some(c),
            path: &path,
        }
        .optional(false, "an axis path", Value::is_string)?;
    }
    each_key(at, &["sweep", "portsim_version"], |a| {
        a.optional(true, "a string", Value::is_string)
    })?;
    let mut p1 = String::new();
    let variants = at.key("variants", &mut p1);
    if !variants.value.is_some_and(Value::is_array) {
        return variants.fail("a list of variants");
    }
    for (i, v) in variants.list()?.iter().enumerate() {
        let path = format!("{}[{i}]", variants.path);
        let variant = At {
            value: Some(v),
            path: &path,
        };
        variant.object()?;
        let mut q = String::new();
        let values = variant.key("values", &mut q);
        if !values.value.is_some_and(Value::is_object) {
            return values.fail("an object of axis values");
        }
        let mut q2 = String::new();
        let summary = variant.key("summary", &mut q2);
        if summary.value.is_some_and(|s| !s.is_null()) {
            check_summary(summary.value.unwrap_or(&Value::Null), summary.path)?;
        }
    }
    Ok(())
}

/// Checks a document `portsim plot` reads before anything is drawn: a summary, a list of
/// them, a sweep's results or a plot directory's `plot-data.json` (see [`check_summary`]).
/// Documents of another kind are left to the reader, which names what it expected.
pub fn check_document(doc: &Value) -> Result<(), String> {
    let each = |items: &[Value], root: &str| {
        items
            .iter()
            .enumerate()
            .try_for_each(|(i, s)| check_summary(s, &format!("{root}[{i}]")))
    };
    match doc {
        Value::Array(items) => each(items, "$"),
        d if d["kind"] == "runs" => match &d["summaries"] {
            Value::Array(items) => each(items, "$.summaries"),
            other => Err(format!(
                "$.summaries: expected a list of summaries, got {}",
                At {
                    value: Some(other),
                    path: ""
                }
                .got()
            )),
        },
        d if d["kind"] == "sweep" => check_sweep(&d["results"], "$.results"),
        d if d["schema"] == "portsim.summary/1" => check_summary(d, "$"),
        d if d["schema"] == "portsim.sweep/1" => check_sweep(d, "$"),
        _ => Ok(()),
    }
}
