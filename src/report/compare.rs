//! Reports of `portsim compare`: the `portsim.compare/1` JSON document and the terminal
//! tables.

use std::fmt::Write;

use crate::experiment::{Comparison, Contrast, FlowComparison, Interval};
use crate::results::compare::CompareDocument;
pub use crate::results::compare::Side;

/// A comparison of B against A, with what identifies each side.
#[derive(Clone, Copy, Debug)]
pub struct CompareReport<'a> {
    /// The baseline.
    pub a: &'a Side,
    /// The alternative.
    pub b: &'a Side,
    /// The figures.
    pub comparison: &'a Comparison,
}

/// The comparison as a pretty-printed `portsim.compare/1` JSON document (with a
/// trailing newline). `seed` is A's; in an independent comparison `b.seed` differs.
pub fn compare_json(r: &CompareReport<'_>) -> String {
    CompareDocument::new(r.a, r.b, r.comparison).to_json()
}

/// How each side is named in the headline: two scenarios (files) by their names (or
/// files), with each policy when the policies differ too — the difference is then not
/// the policy's alone, and the headline must not say so; one scenario by policy when the
/// policies differ, else by what was set on each side.
pub fn labels(a: &Side, b: &Side) -> (String, String) {
    let policies = match (&a.policy, &b.policy) {
        (Some(pa), Some(pb)) if pa != pb => Some((pa.clone(), pb.clone())),
        _ => None,
    };
    if a.file != b.file || a.scenario != b.scenario {
        let (na, nb) = if a.scenario != b.scenario {
            (a.scenario.clone(), b.scenario.clone())
        } else {
            (a.file.clone(), b.file.clone())
        };
        return match policies {
            Some((pa, pb)) => (format!("{na} ({pa})"), format!("{nb} ({pb})")),
            None => (na, nb),
        };
    }
    if let Some(p) = policies {
        return p;
    }
    if a.overrides != b.overrides {
        let named = |s: &Side| {
            if s.overrides.is_empty() {
                "as loaded".to_string()
            } else {
                s.overrides.join(" ")
            }
        };
        (named(a), named(b))
    } else if a.scenario != b.scenario {
        (a.scenario.clone(), b.scenario.clone())
    } else if a.file != b.file {
        (a.file.clone(), b.file.clone())
    } else {
        ("A".into(), "B".into())
    }
}

/// A number with a real minus sign.
fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{x:.decimals$}");
    // No "−0.0": a value that rounds to zero has no sign.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return s.trim_start_matches('-').to_string();
    }
    s.replace('-', "−")
}

/// A change with its sign: "+1.2", "−7.5".
fn signed(x: f64, decimals: usize) -> String {
    let s = num(x, decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// Decimals for a change of hours in the headline: one, or more for small changes.
fn hour_decimals(x: f64) -> usize {
    match x.abs() {
        v if v >= 1.0 || v == 0.0 || !v.is_finite() => 1,
        v if v >= 0.1 => 2,
        _ => 3,
    }
}

/// Decimals for a relative change in per cent: enough to tell the ends of its interval
/// apart.
fn percent_decimals(c: &Interval) -> usize {
    match c.half_width().map(|h| 100.0 * h) {
        // An exact figure (no spread between replications) needs no more digits.
        Some(0.0) => 1,
        Some(h) if h < 0.01 => 3,
        Some(h) if h < 0.1 => 2,
        _ => 1,
    }
}

fn ci(c: Option<[f64; 2]>, scale: f64, decimals: usize, unit: &str) -> String {
    c.map(|[lo, hi]| {
        format!(
            "{} … {}{unit}",
            num(scale * lo, decimals),
            num(scale * hi, decimals)
        )
    })
    .unwrap_or_else(|| "—".into())
}

/// The one line a planner reads: B against A, mean clearance, the relative change and
/// its 95 % CI.
pub fn headline(r: &CompareReport<'_>) -> String {
    let (la, lb) = labels(r.a, r.b);
    let m = &r.comparison.overall.mean;
    let d = m.difference.mean;
    let rel = m.relative.mean;
    let p = percent_decimals(&m.relative);
    let interval = match m.relative.ci95 {
        Some(_) => format!("95 % CI {}", ci(m.relative.ci95, 100.0, p, " %")),
        None => "no CI with one replication".into(),
    };
    format!(
        "{lb} vs {la}: mean clearance {} h ({} %, {interval})",
        signed(d, hour_decimals(d)),
        signed(100.0 * rel, p),
    )
}

fn side_line(name: &str, label: &str, s: &Side) -> String {
    format!(
        "{name}: {label} — {} ({}), policy {}, seed {}, {} replication{}{}{}",
        s.scenario,
        s.file,
        s.policy.as_deref().unwrap_or("constant staff"),
        s.seed,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        if s.overrides.is_empty() {
            String::new()
        } else {
            format!(", with {}", s.overrides.join(", "))
        },
        if s.unstable {
            format!(
                " — UNSTABLE ({}): its figures describe that, not a steady state",
                if s.unstable_reasons.is_empty() {
                    "overloaded, capped or left shipments unreleased".to_string()
                } else {
                    s.unstable_reasons.join("; ")
                }
            )
        } else {
            String::new()
        },
    )
}

fn header(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>10} {:>10} {:>21} {:>9} {:>19}",
        title, "A", "B", "B − A", "95% CI", "B/A − 1", "95% CI"
    );
}

fn row(out: &mut String, label: &str, c: &Contrast, decimals: usize) {
    let p = percent_decimals(&c.relative);
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>10} {:>10} {:>21} {:>9} {:>19}",
        label,
        num(c.a.mean, decimals),
        num(c.b.mean, decimals),
        signed(c.difference.mean, decimals),
        ci(c.difference.ci95, 1.0, decimals, ""),
        // No relative change from zero (no on-call hours on either side, say).
        if c.relative.mean.is_finite() {
            format!("{}%", signed(100.0 * c.relative.mean, p))
        } else {
            "—".into()
        },
        ci(c.relative.ci95, 100.0, p, "%"),
    );
}

/// The comparison as plain-text tables for people: the sides, the headline, mean and
/// p90 clearance overall and per mode, and staff-hours.
pub fn compare_table(r: &CompareReport<'_>) -> String {
    let c = r.comparison;
    let (la, lb) = labels(r.a, r.b);
    let mut out = String::new();
    let _ = writeln!(out, "{}", side_line("A", &la, r.a));
    let _ = writeln!(out, "{}", side_line("B", &lb, r.b));
    if c.paired {
        let _ = writeln!(
            out,
            "paired by replication (common random numbers: same seed; shipment k of a mode draws the same random numbers on both sides)"
        );
    } else {
        let _ = writeln!(
            out,
            "independent samples (B ran with another seed): Welch intervals, no pairing"
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", headline(r));
    if let Some(g) = c.overall.mean.pairing {
        let _ = writeln!(
            out,
            "pairing narrowed the intervals of the mean's change {:.2}× (difference) and {:.2}× (relative) against the same replications taken as independent samples (correlation {:.2})",
            g.difference_narrower, g.relative_narrower, g.correlation
        );
    }
    let _ = writeln!(out);
    let flows = |out: &mut String, title: &str, pick: &dyn Fn(&FlowComparison) -> &Contrast| {
        header(out, title);
        row(out, "overall", pick(&c.overall), 2);
        for (name, m) in &c.modes {
            row(out, &format!("  {name}"), pick(m), 2);
        }
    };
    flows(&mut out, "mean clearance (hours)", &|f| &f.mean);
    for (name, class) in &c.classes {
        row(&mut out, &format!("  {name} class"), class, 2);
    }
    let _ = writeln!(out);
    flows(&mut out, "p90 clearance (hours)", &|f| &f.p90);
    let _ = writeln!(out);
    header(&mut out, "staff-hours");
    row(&mut out, "total", &c.staff_hours, 0);
    for (name, p) in &c.pools {
        row(&mut out, &format!("  {name}"), p, 0);
    }
    let _ = writeln!(out);
    header(&mut out, "officer-hours, all pools");
    let h = &c.officer_hours;
    row(&mut out, "regular", &h.regular, 0);
    row(&mut out, "on-call", &h.on_call, 0);
    row(&mut out, "overtime", &h.overtime, 0);
    row(&mut out, "total", &h.total, 0);
    if let Some(cost) = &c.cost {
        row(&mut out, &format!("cost ({})", cost.unit), &cost.total, 0);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "A and B are means over replications; p90 is the mean of each replication's 90th percentile; staff-hours are rostered (regular) officer-hours in the counting window, per pool; on-call hours are rostered on-call officers', overtime is work finished after a shift."
    );
    out
}

/// The difference table of a comparison for `report.html`: one row per figure — mean
/// and p90 clearance overall and per mode, per class, officer-hours by kind, the cost —
/// with A, B, B − A and B/A − 1 and their 95 % CIs, and how many times narrower pairing
/// made the difference's interval.
pub fn difference_rows(c: &Comparison) -> (Vec<String>, Vec<Vec<String>>) {
    let head = [
        "figure",
        "A",
        "B",
        "B − A",
        "95 % CI",
        "B/A − 1",
        "95 % CI ",
        "pairing ×",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let mut push = |label: String, x: &Contrast, decimals: usize| {
        let p = percent_decimals(&x.relative);
        let relative = if x.relative.mean.is_finite() {
            format!("{} %", signed(100.0 * x.relative.mean, p))
        } else {
            "—".into()
        };
        rows.push(vec![
            label,
            num(x.a.mean, decimals),
            num(x.b.mean, decimals),
            signed(x.difference.mean, decimals),
            ci(x.difference.ci95, 1.0, decimals, ""),
            relative,
            ci(x.relative.ci95, 100.0, p, " %"),
            x.pairing
                .map(|g| format!("{:.2}", g.difference_narrower))
                .unwrap_or_else(|| "—".into()),
        ]);
    };
    push("mean clearance h, overall".into(), &c.overall.mean, 2);
    for (name, m) in &c.modes {
        push(format!("mean clearance h, {name}"), &m.mean, 2);
    }
    for (name, class) in &c.classes {
        push(format!("mean clearance h, {name} class"), class, 2);
    }
    push("p90 clearance h, overall".into(), &c.overall.p90, 2);
    for (name, m) in &c.modes {
        push(format!("p90 clearance h, {name}"), &m.p90, 2);
    }
    let h = &c.officer_hours;
    push("officer-hours, regular".into(), &h.regular, 0);
    push("officer-hours, on-call".into(), &h.on_call, 0);
    push("officer-hours, overtime".into(), &h.overtime, 0);
    push("officer-hours, total".into(), &h.total, 0);
    if let Some(cost) = &c.cost {
        push(format!("cost ({})", cost.unit), &cost.total, 0);
    }
    (head, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_a_real_minus_sign() {
        assert_eq!(num(-7.54, 1), "−7.5");
        assert_eq!(num(-0.01, 1), "0.0");
        assert_eq!(signed(2.0, 1), "+2.0");
        assert_eq!(signed(-2.0, 1), "−2.0");
        assert_eq!(signed(0.0, 1), "0.0");
        assert_eq!(num(f64::NAN, 1), "—");
        assert_eq!(
            ci(Some([-0.476, -0.461]), 100.0, 1, " %"),
            "−47.6 … −46.1 %"
        );
    }
}
