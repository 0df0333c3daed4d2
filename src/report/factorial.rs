//! A two-level factorial sweep's effects as a table for people: each change alone, each
//! interaction, and their sum — the factorial's total.

use std::fmt::Write;

use crate::experiment::factorial::ClearanceEffects;
use crate::scenario::sweep_file::value_text;
use crate::stats::confidence::MeanCi;

fn interval(m: &MeanCi) -> String {
    match m.ci95 {
        Some([lo, hi]) => format!("{:+8.2} h  ({lo:+.2} … {hi:+.2})", m.mean),
        None => format!("{:+8.2} h", m.mean),
    }
}

fn count(replications: usize) -> String {
    match replications {
        1 => "1 replication".into(),
        n => format!("{n} replications"),
    }
}

/// The effects on the headline mean clearance time, with the levels compared.
pub fn effects_table(e: &ClearanceEffects) -> String {
    let mut out = format!(
        "Effects on the mean clearance time (paired by replication, {}; 95 % CI):\n",
        count(e.replications)
    );
    if e.most_replications > e.replications {
        // A precision rule gave some variants more: pairing needs replication r of
        // every variant, so the effects rest on the first ones only.
        let _ = writeln!(
            out,
            "  (the first {} of every variant; the further replications of some, up to {} under --precision, are not paired)",
            e.replications, e.most_replications
        );
    }
    for (name, [low, high]) in e.factorial.factors.iter().zip(&e.factorial.levels) {
        let _ = writeln!(out, "  {name}: {} → {}", value_text(low), value_text(high));
    }
    let width = e
        .effects
        .iter()
        .map(|x| x.factors.join(" × ").chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    for x in &e.effects {
        let _ = writeln!(
            out,
            "  {:<width$}  {}",
            x.factors.join(" × "),
            interval(&x.value)
        );
    }
    let _ = writeln!(
        out,
        "  {:<width$}  {}  (all changed − none; the effects' sum)",
        "total",
        interval(&e.total)
    );
    out
}
