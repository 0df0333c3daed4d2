//! The staffing search as a table for people and as a JSON document (`portsim.staff/1`).

use crate::experiment::staffing::{Candidate, STAFF_SCHEMA, Search, Target};
use crate::results::staff::{StaffDocument, StaffTarget};

/// What was searched, and what was found.
pub struct StaffReport<'a> {
    /// The scenario file as given.
    pub file: &'a str,
    /// The scenario's name.
    pub scenario: &'a str,
    /// The policy whose rosters ran, if any.
    pub policy: Option<&'a str>,
    /// Master seed (the same for every candidate).
    pub seed: u64,
    /// Replications per candidate.
    pub replications: u32,
    /// The warm-up every candidate used, hours (estimated once with `warmup = "auto"`).
    pub warmup_hours: f64,
    /// The `--set` paths set to each candidate value.
    pub vary: &'a [String],
    /// The range searched, both ends included.
    pub range: [i64; 2],
    /// The targets.
    pub targets: &'a [Target],
    /// The outcome.
    pub search: &'a Search,
}

/// How a target is judged, in words (also in the JSON).
const DECISION: &str = "a target is met when the upper end of its 95 % confidence interval meets it (the estimate, with one replication), in a run that is neither overloaded nor capped and releases every counted shipment";

/// The search as one JSON document.
pub fn staff_json(r: &StaffReport<'_>) -> String {
    StaffDocument {
        schema: STAFF_SCHEMA.into(),
        portsim_version: env!("CARGO_PKG_VERSION").into(),
        file: r.file.into(),
        scenario: r.scenario.into(),
        policy: r.policy.map(String::from),
        seed: r.seed,
        replications: r.replications,
        warmup_hours: r.warmup_hours,
        vary: r.vary.to_vec(),
        range: r.range,
        targets: r.targets.iter().map(stated).collect(),
        decision: DECISION.into(),
        answer: r.search.answer,
        candidates: r.search.candidates.clone(),
    }
    .to_json()
}

/// A target as the document states it.
fn stated(t: &Target) -> StaffTarget {
    StaffTarget {
        text: t.text.clone(),
        mode: t.mode.clone(),
        metric: t.metric.clone(),
        op: t.op.clone(),
        hours: t.hours,
    }
}

fn hours(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2} h")
    } else {
        "—".into()
    }
}

/// The search as a table: one row per candidate run, then the answer.
pub fn staff_table(r: &StaffReport<'_>) -> String {
    let mut out = String::new();
    let policy = r
        .policy
        .map(|p| format!(", policy {p}"))
        .unwrap_or_default();
    out.push_str(&format!(
        "staffing search: {} ({}){policy}, seed {}, {} replications per candidate\n",
        r.scenario, r.file, r.seed, r.replications
    ));
    out.push_str(&format!(
        "N = {} over {} … {}; targets: {} (met when the 95 % CI's upper end meets it)\n\n",
        r.vary.join(", "),
        r.range[0],
        r.range[1],
        r.targets
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let mut header = vec!["N".to_string()];
    header.extend(r.targets.iter().map(|t| t.text.clone()));
    header.extend([
        "mean clearance".into(),
        "regular-h".into(),
        "on-call-h".into(),
        "overtime-h".into(),
        "total-h".into(),
    ]);
    // The cost column only when the scenario prices its hours.
    let unit = (r.search.candidates.iter()).find_map(|c| c.cost.as_ref().map(|c| &c.weights.unit));
    if let Some(unit) = unit {
        header.push(format!("cost ({unit})"));
    }
    header.push("verdict".into());
    let mut rows = vec![header];
    for c in &r.search.candidates {
        let mut row = vec![c.value.to_string()];
        for f in &c.figures {
            let ci = f
                .ci95
                .map(|[lo, hi]| format!(" ({lo:.2} … {hi:.2})"))
                .unwrap_or_default();
            let mark = if f.met { "met" } else { "not met" };
            row.push(format!("{}{ci} {mark}", hours(f.estimate)));
        }
        row.push(hours(c.mean_clearance_hours));
        let h = &c.officer_hours;
        for x in [h.regular, h.on_call, h.overtime, h.total] {
            row.push(format!("{x:.0}"));
        }
        if unit.is_some() {
            row.push(match &c.cost {
                Some(cost) => format!("{:.0}", cost.amount.total),
                None => "—".into(),
            });
        }
        row.push(match verdict(c) {
            // Which pool, by which measure, from when.
            "overloaded" => format!("overloaded ({})", c.overloaded.join("; ")),
            v => v.into(),
        });
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                let pad = w - cell.chars().count();
                if i == 0 {
                    format!("{}{cell}", " ".repeat(pad))
                } else {
                    format!("{cell}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&answer_line(r));
    out.push('\n');
    out
}

fn verdict(c: &Candidate) -> &'static str {
    if c.unstable {
        "overloaded"
    } else if c.turned_away > 0 {
        "capped"
    } else if c.unreleased > 0 {
        "unreleased left"
    } else if c.met {
        "meets"
    } else {
        "fails"
    }
}

/// The sentence under the table.
pub fn answer_line(r: &StaffReport<'_>) -> String {
    let [min, max] = r.range;
    match r.search.answer {
        Some(n) if n == min => format!(
            "answer: N = {n}, the bottom of the range, meets every target (try a lower --min to search below it)"
        ),
        Some(n) => format!(
            "answer: N = {n} is the smallest value that meets every target (N = {} does not)",
            n - 1
        ),
        None => {
            let top = r.search.candidates.iter().find(|c| c.value == max);
            let why = top
                .map(|c| match verdict(c) {
                    "fails" => c
                        .figures
                        .iter()
                        .filter(|f| !f.met)
                        .map(|f| {
                            let upper = f
                                .ci95
                                .map(|[_, hi]| format!(", 95 % CI up to {hi:.2} h"))
                                .unwrap_or_default();
                            format!("{} is {}{upper}", f.target, hours(f.estimate))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    v => format!("the run is {v}"),
                })
                .unwrap_or_default();
            format!(
                "no answer: even N = {max}, the top of the range, fails ({why}); raise --max or change the targets"
            )
        }
    }
}
