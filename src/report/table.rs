//! The terminal table printed by `portsim run` without `--json`.

use std::fmt::Write;

use crate::experiment::{FlowSummary, Summary};

/// Renders a summary as a plain-text table for people.
pub fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let policy = s.policy.as_deref().unwrap_or("constant staff");
    let _ = writeln!(
        out,
        "{} — policy {policy}, seed {}, {} replication{}, horizon {:.0} days (warm-up {:.0} days)",
        s.scenario,
        s.seed,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        s.horizon_hours / 24.0,
        s.warmup_hours / 24.0,
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<22} {:>10} {:>9} {:>21} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "clearance (hours)", "released", "mean", "95% CI", "p50", "p90", "p95", "p99", "max"
    );
    flow_row(&mut out, "overall", &s.overall);
    for (name, m) in &s.modes {
        let label = if m.headline == Some(false) {
            format!("  {name} (not headline)")
        } else {
            format!("  {name}")
        };
        flow_row(&mut out, &label, m);
    }
    if !s.pools.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<22} {:>11} {:>12} {:>11} {:>11} {:>13}",
            "pool", "utilisation", "staff-hours", "overtime-h", "mean queue", "offered load"
        );
        for (name, p) in &s.pools {
            let _ = writeln!(
                out,
                "{:<22} {:>10.1}% {:>12.1} {:>11.1} {:>11.2} {:>13.3}{}",
                name,
                100.0 * p.utilization,
                p.staff_hours,
                p.overtime_hours,
                p.mean_queue,
                p.offered_load,
                if p.unstable { "  UNSTABLE" } else { "" }
            );
        }
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
    if s.unstable {
        let _ = writeln!(
            out,
            "warning: the system is overloaded (unstable): figures describe a growing backlog"
        );
    }
    out
}

fn flow_row(out: &mut String, label: &str, f: &FlowSummary) {
    let c = &f.clearance_hours;
    let ci = match c.mean_ci95 {
        Some([lo, hi]) => format!("{lo:.3} … {hi:.3}"),
        None => "—".to_string(),
    };
    let q = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
    let mean = if c.mean.is_finite() {
        format!("{:.3}", c.mean)
    } else {
        "—".into()
    };
    let _ = writeln!(
        out,
        "{:<22} {:>10} {:>9} {:>21} {:>8} {:>8} {:>8} {:>8} {:>9}",
        label,
        f.released,
        mean,
        ci,
        q(c.p50),
        q(c.p90),
        q(c.p95),
        q(c.p99),
        q(c.max)
    );
}
