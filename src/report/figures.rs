//! The figures of a run, a comparison or a sweep, drawn from their JSON documents.
//!
//! Figures are drawn from the saved JSON (`portsim.summary/1` documents, or a sweep's
//! `portsim.sweep/1`), never from in-memory results, so `portsim plot` redraws exactly
//! what `--plots` drew, from the files alone.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::Value;

use crate::plot::{self, PlotError, data::*};

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

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

fn triples(v: &Value) -> Vec<[f64; 3]> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    let t = nums(t);
                    (t.len() == 3).then(|| [t[0], t[1], t[2]])
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Names for the series of several summaries: policies when they tell the summaries
/// apart, else scenario names, else numbers.
pub fn series_names(summaries: &[Value]) -> Vec<String> {
    let pick = |key: &str| -> Option<Vec<String>> {
        let names: Vec<String> = summaries
            .iter()
            .map(|s| s[key].as_str().unwrap_or("").to_string())
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        (names.iter().all(|n| !n.is_empty()) && unique.len() == names.len()).then_some(names)
    };
    pick("policy")
        .or_else(|| pick("scenario"))
        .or_else(|| {
            let both: Vec<String> = summaries
                .iter()
                .map(|s| {
                    format!(
                        "{} ({})",
                        s["scenario"].as_str().unwrap_or("?"),
                        s["policy"].as_str().unwrap_or("constant staff")
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
                .map(|i| {
                    format!(
                        "[{i}] {}",
                        summaries[i - 1]["scenario"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
}

fn subtitle(summaries: &[Value]) -> Option<String> {
    let s = summaries.first()?;
    let scenarios: Vec<&str> = summaries
        .iter()
        .filter_map(|s| s["scenario"].as_str())
        .collect();
    let mut unique = scenarios.clone();
    unique.dedup();
    let n = &s["replications"];
    Some(format!(
        "{} · {n} replication{}, seed {} · shipments arriving after the warm-up",
        unique.join(" / "),
        if n.as_u64() == Some(1) { "" } else { "s" },
        s["seed"]
    ))
}

fn ecdf_series(name: &str, flow: &Value) -> Option<EcdfSeries> {
    let bins = triples(&flow["distribution"]["bins"]);
    if bins.is_empty() {
        return None;
    }
    let mut s = EcdfSeries::from_bins(name, &bins);
    // The exact pooled p90 of the summary, not one read off the bins.
    s.p90_hours = f(&flow["clearance_hours"]["p90"]).or(s.p90_hours);
    Some(s)
}

fn parse_date(s: &Value) -> Option<Date> {
    s.as_str()?.parse().ok()
}

/// Figures for one or several run summaries (several: one series each — policies of a
/// comparison, or scenarios side by side), written into `dir`.
pub fn run_figures(summaries: &[Value], dir: &Path) -> Result<Vec<Figure>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| PlotError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let names = series_names(summaries);
    let sub = subtitle(summaries);
    let sla = summaries.first().and_then(|s| f(&s["sla_hours"]));
    let mut out = Vec::new();
    let mut add = |name: &str, caption: String, files: Vec<PathBuf>| {
        out.push(Figure {
            name: name.to_string(),
            caption,
            files,
        })
    };

    // 1. Distribution: ECDF (linear and log), histogram, per-mode small multiples.
    let overall: Vec<EcdfSeries> = summaries
        .iter()
        .zip(&names)
        .filter_map(|(s, n)| ecdf_series(n, &s["overall"]))
        .collect();
    if !overall.is_empty() {
        let chart = EcdfChart {
            title: "Clearance time: share of shipments cleared within a time".into(),
            subtitle: sub.clone(),
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
            let files = plot::distribution::ecdf(&chart, scale, &dir.join(stem))?;
            add(
                stem,
                format!(
                    "Share of headline shipments cleared within a given time ({what}); dashed lines mark each series' 90th percentile{}.",
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
            subtitle: sub.clone(),
            series: summaries
                .iter()
                .zip(&names)
                .map(|(s, n)| HistogramSeries {
                    name: n.clone(),
                    bins: triples(&s["overall"]["distribution"]["bins"]),
                })
                .filter(|h| !h.bins.is_empty())
                .collect(),
            sla_hours: sla,
        };
        let files =
            plot::distribution::histogram(&hist, TimeScale::Log, &dir.join("clearance-histogram"))?;
        add(
            "clearance-histogram",
            "Share of headline shipments by clearance time (bins ten to a decade, logarithmic axis).".into(),
            files,
        );
    }
    let mode_names: Vec<String> = summaries
        .first()
        .and_then(|s| s["modes"].as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let panels: Vec<ModePanel> = mode_names
        .iter()
        .map(|m| ModePanel {
            mode: m.clone(),
            series: summaries
                .iter()
                .zip(&names)
                .filter_map(|(s, n)| ecdf_series(n, &s["modes"][m]))
                .collect(),
        })
        .filter(|p| !p.series.is_empty())
        .collect();
    if panels.len() > 1 {
        let chart = ModeGridChart {
            title: "Clearance time by mode".into(),
            subtitle: sub.clone(),
            panels,
            sla_hours: sla,
        };
        let files =
            plot::distribution::mode_grid(&chart, TimeScale::Log, &dir.join("clearance-by-mode"))?;
        add(
            "clearance-by-mode",
            "Share cleared within a given time, one panel per mode (logarithmic time axis).".into(),
            files,
        );
    }

    // 2. Backlog by hour of week.
    let backlog: Vec<HourOfWeekSeries> = summaries
        .iter()
        .zip(&names)
        .map(|(s, n)| HourOfWeekSeries {
            name: n.clone(),
            values: nums(&s["overall"]["series"]["hour_of_week"]["in_system"]),
        })
        .filter(|h| h.values.len() == 168)
        .collect();
    if !backlog.is_empty() {
        let chart = HourOfWeekChart {
            title: "Backlog by hour of the week".into(),
            subtitle: sub.clone(),
            y_label: "shipments in clearance (mean)".into(),
            series: backlog,
            shading: None,
        };
        let files = plot::hour_of_week::hour_of_week(&chart, &dir.join("backlog-hour-of-week"))?;
        add(
            "backlog-hour-of-week",
            "Mean number of headline shipments in clearance by hour of the week (holidays count as Sundays).".into(),
            files,
        );
    }

    // 3. Season: daily clearance and backlog, peaks and holidays shaded. Summaries on
    // the same calendar share a chart; on different calendars (other years), each its
    // own, since its days are other dates.
    // (Binned alike too: a window longer than 1,000 days has bins of whole weeks.)
    let days_per_bin = |s: &Value| s["calendar"]["days_per_bin"].as_u64().unwrap_or(1).max(1);
    let same_calendar = summaries.iter().all(|s| {
        s["calendar"]["start"] == summaries[0]["calendar"]["start"]
            && days_per_bin(s) == days_per_bin(&summaries[0])
    });
    let groups: Vec<Vec<usize>> = if same_calendar {
        vec![(0..summaries.len()).collect()]
    } else {
        (0..summaries.len()).map(|i| vec![i]).collect()
    };
    for (g, members) in groups.iter().enumerate() {
        let suffix = if groups.len() > 1 {
            format!("-{}", g + 1)
        } else {
            String::new()
        };
        let cal = &summaries[members[0]]["calendar"];
        let Some(start) = parse_date(&cal["start"]) else {
            continue;
        };
        // Whole days per bin of the daily series (1 in summaries older than the field).
        let w = days_per_bin(&summaries[members[0]]) as i64;
        let mut spans: Vec<DateSpan> = cal["holidays"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(parse_date)
            .map(|d| DateSpan {
                label: String::new(),
                from: d,
                to: d,
                kind: SpanKind::Holiday,
            })
            .collect();
        spans.extend(
            cal["peaks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    Some(DateSpan {
                        label: p["name"].as_str()?.to_string(),
                        from: parse_date(&p["from"])?,
                        to: parse_date(&p["to"])?,
                        kind: SpanKind::Peak,
                    })
                }),
        );
        let daily = |key: &str| -> Vec<DailySeries> {
            members
                .iter()
                .map(|&i| DailySeries {
                    name: names[i].clone(),
                    points: nums(&summaries[i]["overall"]["series"]["daily"][key])
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
        let sub = if groups.len() > 1 {
            subtitle(&[summaries[members[0]].clone()])
        } else {
            sub.clone()
        };
        let (by, each, mean) = match w {
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
        };
        for (key, stem, title, y, caption) in [
            (
                "clearance_mean",
                "season-clearance",
                format!("Mean clearance time by {by} of arrival"),
                "mean clearance time (hours)".to_string(),
                format!(
                    "Mean clearance time of the headline shipments that arrived {each}; peaks shaded and named, holidays grey"
                ),
            ),
            (
                "in_system",
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
            let stem = format!("{stem}{suffix}");
            let files = plot::season::season(&chart, &dir.join(&stem))?;
            let whose = if groups.len() > 1 {
                format!(" ({})", names[members[0]])
            } else {
                String::new()
            };
            add(&stem, format!("{caption}{whose}."), files);
        }
    }

    // 4. Stage breakdown (Time Release Study): per mode and series.
    let mut bars = Vec::new();
    for m in &mode_names {
        for (s, n) in summaries.iter().zip(&names) {
            let Some(stages) = s["modes"][m]["stages"].as_object() else {
                continue;
            };
            // Per shipment, not per visit: stages some shipments skip weigh less.
            let released = s["modes"][m]["released"].as_f64().unwrap_or(0.0);
            if released <= 0.0 {
                continue;
            }
            let mut segments = Vec::new();
            for (stage, t) in stages {
                let share = f(&t["visits"]).unwrap_or(0.0) / released;
                let (w, sv) = (
                    share * f(&t["mean_wait_hours"]).unwrap_or(0.0),
                    share * f(&t["mean_service_hours"]).unwrap_or(0.0),
                );
                if w > 0.0 {
                    segments.push(StageSegment {
                        stage: stage.clone(),
                        part: StagePart::Waiting,
                        hours: w,
                    });
                }
                if sv > 0.0 {
                    segments.push(StageSegment {
                        stage: stage.clone(),
                        part: StagePart::Service,
                        hours: sv,
                    });
                }
            }
            if !segments.is_empty() {
                bars.push(StageBar {
                    group: m.clone(),
                    label: n.clone(),
                    segments,
                });
            }
        }
    }
    if !bars.is_empty() {
        let chart = StagesChart {
            title: "Where the time goes: mean hours per shipment at each stage".into(),
            subtitle: sub.clone(),
            bars,
        };
        let files = plot::stages::stages(&chart, &dir.join("stages"))?;
        add(
            "stages",
            "Time Release Study breakdown: mean hours per shipment waiting (light) and in service or delay (full colour) at each stage, by mode; a parallel block (two agencies at once) overlaps the stages of its branches, so bars can exceed the clearance time.".into(),
            files,
        );
    }

    // 5. Roster vs demand, per pool.
    let pool_names: Vec<String> = summaries
        .first()
        .and_then(|s| s["pools"].as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let demand: Vec<f64> = {
        let mut total = vec![0.0; 168];
        if let Some(modes) = summaries.first().and_then(|s| s["modes"].as_object()) {
            for m in modes.values() {
                for (t, v) in total
                    .iter_mut()
                    .zip(nums(&m["series"]["hour_of_week"]["arrivals_per_hour"]))
                {
                    if v.is_finite() {
                        *t += v;
                    }
                }
            }
        }
        total
    };
    let panels: Vec<RosterPanel> = pool_names
        .iter()
        .map(|p| RosterPanel {
            pool: p.clone(),
            staff: summaries
                .iter()
                .zip(&names)
                .map(|(s, n)| HourOfWeekSeries {
                    name: n.clone(),
                    values: nums(&s["pools"][p]["hour_of_week"]["staff_on_duty"]),
                })
                .filter(|h| h.values.len() == 168)
                .collect(),
            demand: demand.clone(),
        })
        .filter(|p| !p.staff.is_empty())
        .collect();
    if !panels.is_empty() {
        let chart = RosterDemandChart {
            title: "Roster against demand by hour of the week".into(),
            subtitle: sub.clone(),
            demand_label: "arrivals per hour".into(),
            panels,
        };
        let files = plot::hour_of_week::roster_demand(&chart, &dir.join("roster-demand"))?;
        add(
            "roster-demand",
            "Officers on duty in each pool (lines, left axis) against shipments arriving per hour, all modes (grey, right axis).".into(),
            files,
        );
    }
    Ok(out)
}

/// Figures of a sweep (`portsim.sweep/1`): mean and p90 clearance against the first
/// numeric axis with 95 % CI bands, a line per value of the other axes; a heatmap when
/// there are two numeric axes.
pub fn sweep_figures(results: &Value, dir: &Path) -> Result<Vec<Figure>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| PlotError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let columns: Vec<String> = results["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    let variants: Vec<&Value> = results["variants"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let value = |v: &Value, c: &str| -> Value { v["values"][c].clone() };
    let numeric: Vec<&String> = columns
        .iter()
        .filter(|c| !variants.is_empty() && variants.iter().all(|v| value(v, c).as_f64().is_some()))
        .collect();
    let mut out = Vec::new();
    let sub = Some(format!(
        "sweep \"{}\" · {} variants",
        results["sweep"].as_str().unwrap_or(""),
        variants.len()
    ));
    let Some(x_axis) = numeric.first().map(|c| c.as_str()) else {
        return Ok(out);
    };
    let label_of = |v: &Value| -> String {
        let parts: Vec<String> = columns
            .iter()
            .filter(|c| c.as_str() != x_axis && !linked_with(c, x_axis, &variants))
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
    };
    for (metric, stem, y_label, title) in [
        (
            "mean",
            "sweep-mean",
            "mean clearance time (hours)",
            "Mean clearance time across the sweep",
        ),
        (
            "p90",
            "sweep-p90",
            "90th percentile of clearance time (hours)",
            "90th percentile of clearance time across the sweep",
        ),
    ] {
        let mut series: Vec<SweepSeries> = Vec::new();
        for v in &variants {
            let c = &v["summary"]["overall"]["clearance_hours"];
            let Some(x) = value(v, x_axis).as_f64() else {
                continue;
            };
            let Some(mean) = f(&c[metric]) else { continue };
            let ci95 = (metric == "mean")
                .then(|| Some((f(&c["mean_ci95"][0])?, f(&c["mean_ci95"][1])?)))
                .flatten();
            let name = label_of(v);
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
        if series.is_empty() {
            continue;
        }
        let chart = SweepChart {
            title: title.into(),
            subtitle: sub.clone(),
            x_label: axis_label(x_axis, &columns, &variants),
            y_label: y_label.into(),
            series,
            reference: None,
        };
        let files = plot::sweep::sweep(&chart, &dir.join(stem))?;
        out.push(Figure {
            name: stem.into(),
            caption: format!(
                "{title} against {x_axis}{}.",
                if metric == "mean" {
                    ", with 95 % confidence bands"
                } else {
                    ""
                }
            ),
            files,
        });
    }
    // A heatmap of two numeric axes that are not linked.
    if let Some(y_axis) = numeric
        .iter()
        .skip(1)
        .find(|c| !linked_with(c, x_axis, &variants))
    {
        let cats = |c: &str| -> Vec<f64> {
            let mut xs: Vec<f64> = variants
                .iter()
                .filter_map(|v| value(v, c).as_f64())
                .collect();
            xs.sort_by(f64::total_cmp);
            xs.dedup();
            xs
        };
        let (xs, ys) = (cats(x_axis), cats(y_axis));
        let mut values = vec![vec![None; xs.len()]; ys.len()];
        let mut counts = vec![vec![0u32; xs.len()]; ys.len()];
        for v in &variants {
            let (Some(x), Some(y)) = (value(v, x_axis).as_f64(), value(v, y_axis).as_f64()) else {
                continue;
            };
            let (Some(i), Some(j)) = (
                xs.iter().position(|a| *a == x),
                ys.iter().position(|a| *a == y),
            ) else {
                continue;
            };
            if let Some(m) = f(&v["summary"]["overall"]["clearance_hours"]["mean"]) {
                // Other axes averaged: the heatmap shows the two axes' effect.
                let cell: &mut Option<f64> = &mut values[j][i];
                *cell = Some(cell.unwrap_or(0.0) + m);
                counts[j][i] += 1;
            }
        }
        for (row, crow) in values.iter_mut().zip(&counts) {
            for (cell, &n) in row.iter_mut().zip(crow) {
                if let Some(sum) = cell {
                    *cell = Some(*sum / f64::from(n.max(1)));
                }
            }
        }
        let chart = HeatmapChart {
            title: "Mean clearance time over two axes".into(),
            subtitle: sub.clone(),
            x_label: axis_label(x_axis, &columns, &variants),
            y_label: axis_label(y_axis, &columns, &variants),
            value_label: "mean clearance time (hours)".into(),
            x_categories: xs.iter().map(|x| format!("{x}")).collect(),
            y_categories: ys.iter().map(|y| format!("{y}")).collect(),
            values,
            decimals: 2,
        };
        let files = plot::sweep::heatmap(&chart, &dir.join("sweep-heatmap"))?;
        out.push(Figure {
            name: "sweep-heatmap".into(),
            caption: format!(
                "Mean clearance time for each pair of {x_axis} and {y_axis} (averaged over any other axes)."
            ),
            files,
        });
    }
    Ok(out)
}

/// Whether column `c` moves together with `x` in every variant (a linked axis): each
/// value of `x` always comes with the same value of `c`.
fn linked_with(c: &str, x: &str, variants: &[&Value]) -> bool {
    if c == x {
        return true;
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for v in variants {
        let key = (v["values"][x].to_string(), v["values"][c].to_string());
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
fn axis_label(path: &str, columns: &[String], variants: &[&Value]) -> String {
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
