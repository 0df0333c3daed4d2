//! A designed roster for people: the table `portsim roster` prints, and its figures — one
//! per pool, demand, requirement and officers on duty by hour for each day type.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::export::Export;
use crate::plot::{DesignPanel, PlotError, RosterDesignChart, roster_design};
use crate::results::roster::{Estimate, RosterDocument};

impl Export for RosterDocument {
    fn table(&self) -> String {
        roster_table(self)
    }

    fn json(&self) -> String {
        self.to_json()
    }
}

fn estimate(e: &Estimate) -> String {
    if !e.estimate.is_finite() {
        return "—".into();
    }
    match e.ci95 {
        Some([lo, hi]) => format!("{:.2} ({lo:.2} … {hi:.2})", e.estimate),
        None => format!("{:.2}", e.estimate),
    }
}

fn change(own: f64, designed: f64) -> String {
    if own > 0.0 {
        format!("{:+.1} %", 100.0 * (designed - own) / own)
    } else {
        "—".into()
    }
}

/// The table: window and method, officer-hours against the scenario's own roster, the
/// clearance figures of both runs, the search over delay probabilities (with targets),
/// and each pool's shifts by day type.
pub fn roster_table(d: &RosterDocument) -> String {
    let mut out = String::new();
    let policy = d
        .policy
        .as_deref()
        .map(|p| format!(", policy {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "roster design: {} ({}){policy}, seed {}, {} replications per run",
        d.scenario, d.file, d.seed, d.replications
    );
    let _ = writeln!(
        out,
        "window {} to {} ({} days), {} day types ({}); per-hour delay probability {}{}",
        d.window.from,
        d.window.to,
        d.window.days,
        d.day_types.len(),
        d.window.day_typing,
        d.delay_probability,
        if d.isa.converged {
            format!(", settled in {} runs", d.isa.iterations)
        } else {
            format!(", NOT settled after {} runs", d.isa.iterations)
        }
    );
    if !d.targets.is_empty() {
        let _ = writeln!(out, "targets: {} ({})", d.targets.join(", "), d.decision);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28} {:>12} {:>12} {:>9}",
        "officer-hours in the window", "own roster", "designed", "change"
    );
    for p in &d.pools {
        let _ = writeln!(
            out,
            "{:<28} {:>12.0} {:>12.0} {:>9}{}",
            p.pool,
            p.own_officer_hours,
            p.designed_officer_hours,
            change(p.own_officer_hours, p.designed_officer_hours),
            if p.optimal {
                ""
            } else {
                "  (cover not proven optimal)"
            }
        );
    }
    let (own, designed) = d.officer_hours();
    let _ = writeln!(
        out,
        "{:<28} {:>12.0} {:>12.0} {:>9}",
        "designed pools together",
        own,
        designed,
        change(own, designed)
    );
    let _ = writeln!(
        out,
        "{:<28} {:>12.0} {:>12.0} {:>9}",
        "every pool, counted period",
        d.own.officer_hours.total,
        d.designed.officer_hours.total,
        change(d.own.officer_hours.total, d.designed.officer_hours.total)
    );
    if let (Some(a), Some(b)) = (&d.own.cost, &d.designed.cost) {
        let _ = writeln!(
            out,
            "{:<28} {:>12.0} {:>12.0} {:>9}",
            format!("cost ({}), all pools", a.weights.unit),
            a.amount.total,
            b.amount.total,
            change(a.amount.total, b.amount.total)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28} {:>26} {:>26}",
        "clearance (hours, 95% CI)", "own roster", "designed"
    );
    for row in &d.clearance {
        let _ = writeln!(
            out,
            "{:<28} {:>26} {:>26}",
            row.figure,
            estimate(&row.own),
            estimate(&row.designed)
        );
    }
    if !d.targets.is_empty() {
        let verdict = |met: bool| if met { "met" } else { "not met" };
        let _ = writeln!(
            out,
            "{:<28} {:>26} {:>26}",
            "targets",
            verdict(d.own.met),
            verdict(d.designed.met)
        );
    }
    for (who, c) in [("own roster", &d.own), ("designed", &d.designed)] {
        if c.unstable {
            let _ = writeln!(out, "{who}: overloaded: {}", c.overloaded.join("; "));
        }
    }
    if !d.searched.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<28} {:>12} {:>16}",
            "delay probability tried", "officer-h", "targets"
        );
        for t in &d.searched {
            let _ = writeln!(
                out,
                "{:<28} {:>12.0} {:>16}",
                t.delay_probability,
                t.designed_officer_hours,
                if t.met { "met" } else { "not met" }
            );
        }
    }
    for p in &d.pools {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}: shifts by day type (officers, start–end)", p.pool);
        for day in &p.days {
            let shifts: Vec<String> = day
                .shifts
                .iter()
                .map(|s| format!("{} × {}–{}", s.staff, s.start, s.end))
                .collect();
            let _ = writeln!(
                out,
                "  {} ({} officer-h a day): {}",
                day.day_type,
                day.officer_hours_per_day,
                shifts.join(", ")
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "the designed roster as scenario TOML to append: --out DIR writes it to DIR/roster.toml (also in --json as \"toml\")"
    );
    out
}

/// Draws one figure per designed pool into `dir` (`roster-POOL.png` and `.svg`);
/// returns the files written.
pub fn write_figures(d: &RosterDocument, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    for p in &d.pools {
        let chart = RosterDesignChart {
            title: format!("{}: designed roster against demand, by day type", p.pool),
            subtitle: Some(format!(
                "{}, {} to {}; per-hour delay probability {}; officer-hours {:.0} own roster, {:.0} designed",
                d.scenario,
                d.window.from,
                d.window.to,
                d.delay_probability,
                p.own_officer_hours,
                p.designed_officer_hours
            )),
            panels: p
                .days
                .iter()
                .map(|day| DesignPanel {
                    title: format!(
                        "{} ({} days)",
                        day.day_type,
                        d.day_types
                            .iter()
                            .find(|t| t.name == day.day_type)
                            .map_or(0, |t| t.days)
                    ),
                    offered_load: day.offered_load.clone(),
                    requirement: day.requirement.iter().map(|&x| f64::from(x)).collect(),
                    designed: day.on_duty.iter().map(|&x| f64::from(x)).collect(),
                    own: day.own_on_duty.clone(),
                })
                .collect(),
        };
        let stem = dir.join(format!("roster-{}", file_safe(&p.pool)));
        written.extend(roster_design(&chart, &stem)?);
    }
    Ok(written)
}

/// A pool name as part of a file name.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
