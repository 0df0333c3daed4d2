//! The terminal tables printed by `portsim run` without `--json`: one scenario in
//! detail, or several side by side.

use std::fmt::Write;

use crate::experiment::{FlowSummary, GroupSummary, PoolSummary, Summary};
use crate::results::metrics::{
    Figure, FlowMetric, Metric, POOL_TABLE, PoolMetric, RunMetric, Spec, Unit,
};

fn hours(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "—".into())
}

fn share(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| format!("{:.1}%", 100.0 * v))
        .unwrap_or_else(|| "—".into())
}

fn ci(c: Option<[f64; 2]>) -> String {
    c.map(|[lo, hi]| format!("{lo:.3} … {hi:.3}"))
        .unwrap_or_else(|| "—".into())
}

/// The header line naming the scenario and how it was run.
fn title(s: &Summary) -> String {
    let policy = s.policy.as_deref().unwrap_or("constant staff");
    let sla = s
        .sla_hours
        .map(|h| format!(", SLA {h} h"))
        .unwrap_or_default();
    let warmup = match s.warmup_method.as_str() {
        "fixed" => String::new(),
        method if method.starts_with("MSER") => format!(", {method} on a pilot run"),
        other => format!(", {other}"),
    };
    format!(
        "{} — policy {policy}, seed {}, {} replication{}, horizon {:.0} days (warm-up {:.0} days{warmup}); clearance = {}{sla}",
        s.scenario,
        s.seed,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        s.horizon_hours / 24.0,
        s.warmup_hours / 24.0,
        s.overall.clearance_interval.replace('-', " → "),
    )
}

/// Renders a summary as plain-text tables for people.
pub fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(s));
    if let Some(p) = &s.precision {
        let _ = writeln!(
            out,
            "replications: {} to reach a 95% CI half-width of {} of the mean (target {:.2}%{})",
            p.replications,
            p.achieved
                .map(|a| format!("{:.2}%", 100.0 * a))
                .unwrap_or_else(|| "—".into()),
            100.0 * p.target,
            if p.met {
                ""
            } else {
                ", NOT met: maximum reached"
            }
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>9} {:>21} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "clearance (hours)",
        "released",
        "mean",
        "95% CI",
        "p50",
        "p90",
        "p95",
        "p99",
        "max",
        "in SLA"
    );
    flow_row(&mut out, "overall", &s.overall);
    for (name, m) in &s.modes {
        let label = if m.headline == Some(false) {
            format!("  {name} (own KPI)")
        } else {
            format!("  {name}")
        };
        flow_row(&mut out, &label, m);
    }

    // Time Release Study breakdown: where the time goes, per mode and stage.
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>9} {:>9}",
        "stages (hours per visit)", "visits", "wait", "service"
    );
    for (name, m) in &s.modes {
        let _ = writeln!(out, "  {name}");
        for (stage, t) in &m.stages {
            let _ = writeln!(
                out,
                "    {:<22} {:>10} {:>9.3} {:>9.3}",
                stage, t.visits, t.mean_wait_hours, t.mean_service_hours
            );
        }
    }

    // Classes and channels, where a mode has more than one.
    let mut groups = String::new();
    for (name, m) in &s.modes {
        for (kind, list) in [("class", &m.classes), ("channel", &m.channels)] {
            if list.len() > 1 {
                for (g, v) in list {
                    group_row(&mut groups, &format!("  {name} {kind} {g}"), v);
                }
            }
        }
    }
    if !groups.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<34} {:>10} {:>9} {:>21} {:>7}",
            "by class and channel", "released", "mean", "95% CI", "in SLA"
        );
        out.push_str(&groups);
    }

    if !s.pools.is_empty() {
        pools_table(&mut out, s);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} events in {:.2} s{}",
        s.events,
        s.wall_seconds,
        if s.overall.unreleased > 0 {
            format!(
                "; {} counted shipments not released by the drain limit",
                s.overall.unreleased
            )
        } else {
            String::new()
        }
    );
    let turned_away = s.turned_away();
    if turned_away > 0 {
        let _ = writeln!(
            out,
            "CAPPED: {turned_away} arrivals turned away at the cap of {} shipments in the system (max_in_system): figures describe a capped system",
            s.max_in_system
        );
    } else if s.unstable {
        let _ = writeln!(
            out,
            "UNSTABLE: the system is overloaded: figures describe a growing backlog"
        );
    }
    out
}

/// The pools' table of [`summary_table`] (columns [`POOL_TABLE`]), with a line per
/// overloaded pool saying why.
fn pools_table(out: &mut String, s: &Summary) {
    let _ = writeln!(out);
    let mut head = format!("{:<26}", "pool");
    for &m in POOL_TABLE.pool {
        let _ = write!(head, " {:>w$}", m.spec().label, w = pool_width(m));
    }
    let _ = writeln!(out, "{head}");
    for (name, p) in &s.pools {
        let mut line = format!("{name:<26}");
        for &m in POOL_TABLE.pool {
            let text = pool_text(m, pool_figure(m, p));
            let _ = write!(line, " {text:>w$}", w = pool_width(m));
        }
        let _ = writeln!(out, "{line}{}", if p.unstable { "  UNSTABLE" } else { "" });
    }
    // Why, and from when: the same words as the warning on stderr.
    for (name, p) in s.pools.iter().filter(|(_, p)| p.unstable) {
        let _ = writeln!(out, "  UNSTABLE {}", p.overload_warning(name));
    }
    for (name, p) in &s.pools {
        for warning in p.peak_warnings(name) {
            let _ = writeln!(out, "  PEAK OVERLOAD {warning}");
        }
    }
    let _ = writeln!(out, "{}", officer_hours_line(s));
}

/// All pools' officer-hours by kind and in total, and their cost if the scenario has
/// `[cost]` weights: "officer-hours: 180440 regular + 50880 on-call + 312 overtime =
/// 231632 (cost 2431890 CNY)".
pub fn officer_hours_line(s: &Summary) -> String {
    let h = &s.officer_hours;
    let cost = match &s.cost {
        Some(c) => format!(" (cost {:.0} {})", c.amount.total, c.weights.unit),
        None => String::new(),
    };
    format!(
        "officer-hours: {:.0} regular + {:.0} on-call + {:.0} overtime = {:.0}{cost}",
        h.regular, h.on_call, h.overtime, h.total
    )
}

/// The width of a pool metric's column in the pools' table.
fn pool_width(m: PoolMetric) -> usize {
    match m {
        PoolMetric::Utilization => 11,
        PoolMetric::StaffHours | PoolMetric::OnCallHours => 12,
        // The others: their label and a space.
        _ => m.spec().label.chars().count() + 1,
    }
}

/// A pool's figure as the pools' table shows it, by its unit ("-" where there is none:
/// a pool with no staff-hours in the window has no utilisation or offered load).
fn pool_text(m: PoolMetric, figure: Figure) -> String {
    figure_text(m.spec(), figure)
}

/// A figure as the tables for people show it, by its metric's unit: "-" where there is
/// none, a verdict as "UNSTABLE" or "ok".
pub fn figure_text(spec: Spec, figure: Figure) -> String {
    match figure {
        Figure::Number(Some(x)) if x.is_finite() => match spec.unit {
            Unit::Share => format!("{:.1}%", 100.0 * x),
            Unit::Growth => growth_percent(x),
            Unit::Load => format!("{x:.3}"),
            Unit::Shipments | Unit::Hours => format!("{x:.2}"),
            Unit::OfficerHours | Unit::Count | Unit::Verdict => format!("{x:.1}"),
            Unit::Cost => format!("{x:.0}"),
        },
        Figure::Count(n) => n.to_string(),
        Figure::Flag(unstable) => if unstable { "UNSTABLE" } else { "ok" }.into(),
        Figure::Names(names) if !names.is_empty() => names.join(", "),
        Figure::Date(Some(date)) => date,
        Figure::Interval(Some([lo, hi])) => format!("{lo:.3} … {hi:.3}"),
        Figure::Number(_) | Figure::Names(_) | Figure::Date(None) | Figure::Interval(None) => {
            "-".into()
        }
    }
}

/// What a summary says of a run metric; `None` for what only a replication has.
pub fn run_figure(m: RunMetric, s: &Summary) -> Option<Figure> {
    Some(match m {
        RunMetric::Replication => return None,
        RunMetric::Events => Figure::Count(s.events),
        RunMetric::Replications => Figure::Count(u64::from(s.replications)),
        RunMetric::StaffHours => {
            Figure::Number(Some(s.pools.values().map(|p| p.staff_hours).sum()))
        }
        RunMetric::Unstable => Figure::Flag(s.unstable),
        RunMetric::OnCallHours => Figure::Number(Some(s.officer_hours.on_call)),
        RunMetric::OvertimeHours => Figure::Number(Some(s.officer_hours.overtime)),
        RunMetric::OfficerHours => Figure::Number(Some(s.officer_hours.total)),
        RunMetric::Cost => Figure::Number(s.cost.as_ref().map(|c| c.amount.total)),
    })
}

/// What a flow's summary says of a flow metric.
pub fn flow_figure(m: FlowMetric, f: &FlowSummary) -> Figure {
    let c = &f.clearance_hours;
    match m {
        FlowMetric::Arrivals => Figure::Count(f.arrivals),
        FlowMetric::Released => Figure::Count(f.released),
        FlowMetric::Unreleased => Figure::Count(f.unreleased),
        FlowMetric::ClearanceMean => Figure::Number(Some(c.mean)),
        FlowMetric::ClearanceMeanCi => Figure::Interval(c.mean_ci95),
        FlowMetric::ClearanceP50 => Figure::Number(c.p50),
        FlowMetric::ClearanceP90 => Figure::Number(c.p90),
        FlowMetric::ClearanceP95 => Figure::Number(c.p95),
        FlowMetric::ClearanceP99 => Figure::Number(c.p99),
        FlowMetric::ClearanceMax => Figure::Number(c.max),
        FlowMetric::SlaShare => Figure::Number(f.sla_share.map(|b| b.mean)),
        FlowMetric::SlaShareCi => Figure::Interval(f.sla_share.and_then(|b| b.mean_ci95)),
        FlowMetric::WaitMean => Figure::Number(Some(f.wait_hours.mean)),
        FlowMetric::WaitedShare => Figure::Number(Some(f.waited_share.mean)),
    }
}

/// What a pool's summary says of a pool metric.
pub fn pool_figure(m: PoolMetric, p: &PoolSummary) -> Figure {
    let number = |x: f64| Figure::Number(Some(x));
    match m {
        PoolMetric::Utilization => number(p.utilization),
        PoolMetric::StaffHours => number(p.staff_hours),
        PoolMetric::OvertimeHours => number(p.overtime_hours),
        PoolMetric::MeanQueue => number(p.mean_queue),
        PoolMetric::OfferedLoad => number(p.offered_load),
        PoolMetric::OfferedLoadGeneral => number(p.offered_load_general),
        PoolMetric::OfferedLoadAll => number(p.offered_load_all),
        PoolMetric::OnCallHours => number(p.on_call_hours),
        PoolMetric::BacklogGrowth => Figure::Number(p.backlog_growth.as_ref().map(|g| g.share)),
        PoolMetric::Unstable => Figure::Flag(p.unstable),
        PoolMetric::UnstableReasons => Figure::Names(p.unstable_reasons.clone()),
        PoolMetric::UnstableSince => Figure::Date(p.unstable_since.clone()),
    }
}

/// A backlog growth share as a signed percentage with two decimals ("+7.44%"), "0.00%"
/// when it rounds to zero (no "-0.00%").
pub fn growth_percent(share: f64) -> String {
    let pct = 100.0 * share;
    if pct.abs() < 0.005 {
        "0.00%".into()
    } else {
        format!("{pct:+.2}%")
    }
}

fn flow_row(out: &mut String, label: &str, f: &FlowSummary) {
    let c = &f.clearance_hours;
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>9} {:>21} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7}",
        label,
        f.released,
        hours(Some(c.mean)),
        ci(c.mean_ci95),
        hours(c.p50),
        hours(c.p90),
        hours(c.p95),
        hours(c.p99),
        hours(c.max),
        share(f.sla_share.map(|s| s.mean)),
    );
}

fn group_row(out: &mut String, label: &str, g: &GroupSummary) {
    let _ = writeln!(
        out,
        "{:<34} {:>10} {:>9} {:>21} {:>7}",
        label,
        g.released,
        hours(Some(g.clearance_hours.mean)),
        ci(g.clearance_hours.mean_ci95),
        share(g.sla_share.map(|s| s.mean)),
    );
}

/// Several summaries side by side: a column per scenario, overall and by mode, the mean
/// clearance with its 95 % CI and the p90, then each pool's staff-hours.
pub fn side_by_side(summaries: &[Summary]) -> String {
    let mut out = String::new();
    for (i, s) in summaries.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}", i + 1, title(s));
    }
    let width = 26;
    let _ = writeln!(out);
    let mut header = format!("{:<24}", "clearance (hours)");
    for (i, _) in summaries.iter().enumerate() {
        let _ = write!(
            header,
            " {:>width$}",
            format!("[{}] mean ±95% CI · p90", i + 1)
        );
    }
    let pair = summaries.len() == 2;
    if pair {
        let _ = write!(header, " {:>12}", "[2] vs [1]");
    }
    let _ = writeln!(out, "{header}");
    let mut rows: Vec<(String, Vec<Option<&FlowSummary>>)> = vec![(
        "overall".into(),
        summaries.iter().map(|s| Some(&s.overall)).collect(),
    )];
    let mut names: Vec<&String> = Vec::new();
    for s in summaries {
        for n in s.modes.keys() {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    for n in names {
        rows.push((
            format!("  {n}"),
            summaries.iter().map(|s| s.modes.get(n)).collect(),
        ));
    }
    for (label, cells) in rows {
        let mut line = format!("{label:<24}");
        for &cell in &cells {
            let text = match cell {
                Some(f) => {
                    let c = &f.clearance_hours;
                    let hw = c
                        .mean_ci95
                        .map(|[lo, hi]| format!(" ±{:.2}", (hi - lo) / 2.0))
                        .unwrap_or_default();
                    format!("{}{hw} · {}", hours(Some(c.mean)), hours(c.p90))
                }
                None => "—".into(),
            };
            let _ = write!(line, " {text:>width$}");
        }
        if pair {
            // The relative change of the mean: what the second scenario buys.
            let change = match (cells[0], cells[1]) {
                (Some(a), Some(b)) if a.clearance_hours.mean > 0.0 => {
                    let r = b.clearance_hours.mean / a.clearance_hours.mean - 1.0;
                    if r.is_finite() {
                        format!("{:+.1}%", 100.0 * r).replace('-', "−")
                    } else {
                        "—".into()
                    }
                }
                _ => "—".into(),
            };
            let _ = write!(line, " {change:>12}");
        }
        let _ = writeln!(out, "{line}");
    }
    let mut pools: Vec<&String> = Vec::new();
    for s in summaries {
        for n in s.pools.keys() {
            if !pools.contains(&n) {
                pools.push(n);
            }
        }
    }
    if !pools.is_empty() {
        let _ = writeln!(out);
        // The utilisation is the general officers' (busy over rostered general hours),
        // not that of every hour beside it: on-call officers are mostly idle by design.
        let _ = writeln!(
            out,
            "{:<24}",
            "officer-hours, all kinds (general officers' utilisation)"
        );
        for n in pools {
            let mut line = format!("  {n:<22}");
            for s in summaries {
                // Every kind: rostered general and on-call officers, and overtime.
                let text = s
                    .pools
                    .get(n)
                    .map(|p| {
                        format!(
                            "{:.0} ({:.0}%)",
                            p.staff_hours + p.on_call_hours + p.overtime_hours,
                            100.0 * p.utilization
                        )
                    })
                    .unwrap_or_else(|| "—".into());
                let _ = write!(line, " {text:>width$}");
            }
            let _ = writeln!(out, "{line}");
        }
        // All pools by kind, and the cost where the scenarios price their hours.
        let by_kind = |s: &Summary| {
            let h = &s.officer_hours;
            [h.regular, h.on_call, h.overtime, h.total]
        };
        let _ = writeln!(out, "  all pools");
        for (k, label) in ["regular", "on-call", "overtime", "total"]
            .into_iter()
            .enumerate()
        {
            let mut line = format!("    {label:<20}");
            for s in summaries {
                let _ = write!(line, " {:>width$}", format!("{:.0}", by_kind(s)[k]));
            }
            let _ = writeln!(out, "{line}");
        }
        if let Some(unit) = summaries
            .iter()
            .find_map(|s| s.cost.as_ref().map(|c| c.weights.unit.clone()))
        {
            let mut line = format!("    {:<20}", format!("cost ({unit})"));
            for s in summaries {
                let text = s
                    .cost
                    .as_ref()
                    .map_or("—".into(), |c| format!("{:.0}", c.amount.total));
                let _ = write!(line, " {text:>width$}");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
