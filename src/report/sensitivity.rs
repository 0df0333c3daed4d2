//! A sensitivity analysis (`portsim.sensitivity/1`) as a table for people, as JSON, as a
//! tidy CSV (`sensitivity.csv`) and as tornado charts.

use std::path::{Path, PathBuf};

use super::export::Export;
use super::replications_csv::{num, opt};
use crate::plot::{PlotError, TornadoBar, TornadoChart, tornado};
use crate::results::compare::Interval;
use crate::results::sensitivity::{Level, PathSensitivity, SensitivityDocument, Swing};

/// What the figures are, without policies (the document's `figures`).
pub const FIGURES: &str = "mean and 90th percentile of the headline modes' clearance time, hours; each change is paired with the base run by replication (common random numbers), with a Student-t 95 % interval of the per-replication differences";

/// What the figures are, with two policies A and B (the document's `figures`).
pub const FIGURES_EFFECT: &str = "the policy effect B − A on the mean and 90th percentile of the headline modes' clearance time, hours, paired by replication; each change of the effect is paired with the base run by replication (common random numbers), with a Student-t 95 % interval of the per-replication differences";

impl Export for SensitivityDocument {
    fn table(&self) -> String {
        sensitivity_table(self)
    }

    fn json(&self) -> String {
        self.to_json()
    }
}

fn hours(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}").replace('-', "−")
    } else {
        "—".into()
    }
}

/// Decimals for a change of `x` hours: two, or three below a tenth of an hour.
fn decimals(x: f64) -> usize {
    if x.abs() < 0.1 { 3 } else { 2 }
}

/// `x` with its sign, `d` decimals (no sign when it shows as zero).
fn signed(x: f64, d: usize) -> String {
    if x.is_finite() {
        let s = format!("{x:+.d$}");
        if s.trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            s.trim_start_matches(['+', '-']).into()
        } else {
            s.replace('-', "−")
        }
    } else {
        "—".into()
    }
}

/// A number to four significant digits, trailing zeros dropped (6.724303554275 → 6.724).
fn brief_number(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let d = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A path's low, base or high value as the table and charts show it: numbers briefly,
/// the rest as set.
fn shown(p: &PathSensitivity, value: f64, set: &str) -> String {
    if p.kind == "number" {
        brief_number(value)
    } else {
        set.to_string()
    }
}

/// "9.52 (+5.80 ±0.31)": the figure, its change from the base and the change's
/// half-width.
fn level_cell(l: &Level, unstable: bool) -> String {
    let change = l.change.mean;
    let half = l.change.half_width();
    // The change and its half-width to the same decimals, three when either is small.
    let d = decimals(half.map_or(change.abs(), |h| h.min(change.abs())));
    let half = half.map(|h| format!(" ±{h:.d$}")).unwrap_or_default();
    let mark = if unstable { " !" } else { "" };
    format!(
        "{} ({}{half}){mark}",
        hours(l.value.mean),
        signed(change, d)
    )
}

fn interval_text(i: &Interval) -> String {
    match i.ci95 {
        Some([lo, hi]) => format!(
            "{} h (95 % CI {} … {})",
            hours(i.mean),
            hours(lo),
            hours(hi)
        ),
        None => format!("{} h", hours(i.mean)),
    }
}

/// The base value as shown in the table (numbers briefly, unless `exact`).
fn base_shown(p: &PathSensitivity, exact: bool) -> String {
    match (p.kind.as_str(), &p.unit) {
        ("integer", _) => format!("{}", p.base as i64),
        ("number", _) if !exact => brief_number(p.base),
        // A mean computed from a distribution's parameters carries float noise
        // (4.800000000000001): shown briefly unless `exact`.
        ("distribution", _) if !exact => format!("mean {}h", brief_number(p.base)),
        ("distribution", _) => format!("mean {}h", p.base),
        (_, Some(_)) if !exact => format!("{}h", brief_number(p.base)),
        (_, Some(_)) => format!("{}h", p.base),
        _ => format!("{}", p.base),
    }
}

/// The analysis as a table: a header, the base run, one row per path (widest swing of
/// the mean first), and a note on unstable runs.
pub fn sensitivity_table(d: &SensitivityDocument) -> String {
    let mut out = String::new();
    let policy = match (&d.policies, &d.policy) {
        (Some([a, b]), _) => format!(", policy effect {a} → {b} (B − A)"),
        (None, Some(p)) => format!(", policy {p}"),
        (None, None) => String::new(),
    };
    out.push_str(&format!(
        "sensitivity: {} ({}){policy}, seed {}, {} replications per run, warm-up {} h\n",
        d.scenario,
        d.file,
        d.seed,
        d.replications,
        hours(d.warmup_hours)
    ));
    out.push_str(&format!(
        "one at a time: each value ∓{}% (whole numbers rounded, by at least 1) unless given by --range; every run on the base's seed (common random numbers)\n",
        (d.by * 1e6).round() / 1e4
    ));
    let (mean, p90) = if d.policies.is_some() {
        ("effect B − A on mean clearance", "on p90")
    } else {
        ("mean clearance", "p90")
    };
    out.push_str(&format!(
        "base run: {mean} {}, {p90} {}\n\n",
        interval_text(&d.base.figures.mean),
        interval_text(&d.base.figures.p90)
    ));
    let what = if d.policies.is_some() {
        "effect"
    } else {
        "mean"
    };
    let header: Vec<String> = vec![
        "#".into(),
        "path".into(),
        "low · base · high".into(),
        format!("{what} at low (Δ ±95%)"),
        format!("{what} at high (Δ ±95%)"),
        "swing".into(),
        "p90 at low (Δ ±95%)".into(),
        "p90 at high (Δ ±95%)".into(),
        "p90 swing".into(),
    ];
    let mut rows = vec![header];
    for p in &d.paths {
        let (ul, uh) = (!p.unstable_low.is_empty(), !p.unstable_high.is_empty());
        rows.push(vec![
            p.rank.to_string(),
            p.path.clone(),
            format!(
                "{} · {} · {}",
                shown(p, p.low, &p.low_set),
                base_shown(p, false),
                shown(p, p.high, &p.high_set)
            ),
            level_cell(&p.mean.low, ul),
            level_cell(&p.mean.high, uh),
            hours(p.mean.width),
            level_cell(&p.p90.low, ul),
            level_cell(&p.p90.high, uh),
            hours(p.p90.width),
        ]);
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
                let pad = " ".repeat(w - cell.chars().count());
                if i == 0 {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(
        "\nhours; Δ: change from the base run, the mean of per-replication differences with its 95 % interval; swing: |high − low|\n",
    );
    let mut unstable: Vec<String> = Vec::new();
    if !d.base.unstable.is_empty() {
        unstable.push(format!("base run: {}", d.base.unstable.join("; ")));
    }
    for p in &d.paths {
        for (end, set, parts) in [
            ("low", &p.low_set, &p.unstable_low),
            ("high", &p.high_set, &p.unstable_high),
        ] {
            if !parts.is_empty() {
                unstable.push(format!("{} = {set} ({end}): {}", p.path, parts.join("; ")));
            }
        }
    }
    if !unstable.is_empty() {
        out.push_str("! unstable (its figures describe an overloaded or capped system):\n");
        for line in unstable {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The CSV's columns.
const CSV_HEADER: [&str; 17] = [
    "rank",
    "path",
    "kind",
    "from",
    "level",
    "value",
    "value_unit",
    "value_set",
    "figure",
    "estimate_hours",
    "ci95_low_hours",
    "ci95_high_hours",
    "change_hours",
    "change_ci95_low_hours",
    "change_ci95_high_hours",
    "swing_hours",
    "unstable",
];

/// `sensitivity.csv`: tidy, one row per path, level (low, base, high) and figure (the
/// mean and the p90 of clearance, or the effect on each), units in the column names
/// (`value` is in `value_unit`: `hours`, or empty for numbers).
pub fn sensitivity_csv(d: &SensitivityDocument) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("writing to memory");
    let prefix = if d.policies.is_some() { "effect_" } else { "" };
    for p in &d.paths {
        for (figure, swing, base) in [
            ("mean_clearance", &p.mean, &d.base.figures.mean),
            ("p90_clearance", &p.p90, &d.base.figures.p90),
        ] {
            let figure = format!("{prefix}{figure}");
            let base_level = Level {
                value: *base,
                change: Interval {
                    mean: 0.0,
                    ci95: None,
                },
            };
            for (level, value, set, l, unstable) in [
                (
                    "low",
                    p.low,
                    p.low_set.clone(),
                    &swing.low,
                    !p.unstable_low.is_empty(),
                ),
                (
                    "base",
                    p.base,
                    base_shown(p, true),
                    &base_level,
                    !d.base.unstable.is_empty(),
                ),
                (
                    "high",
                    p.high,
                    p.high_set.clone(),
                    &swing.high,
                    !p.unstable_high.is_empty(),
                ),
            ] {
                let ci = |i: &Interval, k: usize| opt(i.ci95.map(|c| c[k]));
                w.write_record([
                    p.rank.to_string(),
                    p.path.clone(),
                    p.kind.clone(),
                    p.from.clone(),
                    level.into(),
                    num(value),
                    p.unit.clone().unwrap_or_default(),
                    set,
                    figure.clone(),
                    num(l.value.mean),
                    ci(&l.value, 0),
                    ci(&l.value, 1),
                    num(l.change.mean),
                    ci(&l.change, 0),
                    ci(&l.change, 1),
                    num(swing.width),
                    unstable.to_string(),
                ])
                .expect("writing to memory");
            }
        }
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 strings")
}

/// The whisker of a level on the figure's scale: the base's estimate plus the paired
/// interval of the change.
fn whisker(base: f64, l: &Level) -> Option<[f64; 2]> {
    l.change.ci95.map(|[lo, hi]| [base + lo, base + hi])
}

/// The tornado chart of one figure: rows by the width of that figure's swing, widest
/// first; `None` when nothing can be drawn (no figure defined).
fn chart(d: &SensitivityDocument, p90: bool) -> Option<TornadoChart> {
    let pick = |p: &PathSensitivity| -> Swing { if p90 { p.p90 } else { p.mean } };
    let base = if p90 {
        d.base.figures.p90.mean
    } else {
        d.base.figures.mean.mean
    };
    let mut paths: Vec<&PathSensitivity> = d
        .paths
        .iter()
        .filter(|p| {
            let s = pick(p);
            s.low.value.mean.is_finite() && s.high.value.mean.is_finite()
        })
        .collect();
    if paths.is_empty() || !base.is_finite() {
        return None;
    }
    paths.sort_by(|x, y| pick(y).width.total_cmp(&pick(x).width));
    let what = if p90 {
        "the 90th percentile of clearance time"
    } else {
        "the mean clearance time"
    };
    let (title, x_label) = match &d.policies {
        Some([a, b]) => (
            format!("Sensitivity of the effect of {b} against {a} on {what}"),
            format!("effect on {what}, {b} − {a} (hours)").replace("on the ", "on "),
        ),
        None => (
            format!("Sensitivity of {what}"),
            format!("{} (hours)", what.trim_start_matches("the ")),
        ),
    };
    let bars = paths
        .iter()
        .map(|p| {
            let s = pick(p);
            let clean = |l: &Level| whisker(base, l).filter(|w| w.iter().all(|x| x.is_finite()));
            TornadoBar {
                label: p.path.clone(),
                low_label: shown(p, p.low, &p.low_set),
                high_label: shown(p, p.high, &p.high_set),
                low: s.low.value.mean,
                high: s.high.value.mean,
                low_ci: clean(&s.low),
                high_ci: clean(&s.high),
            }
        })
        .collect();
    Some(TornadoChart {
        title,
        subtitle: Some(format!(
            "{} · each value ±{}% or as given · {} replications per run, paired with the base run; whiskers: 95 % CI",
            d.scenario,
            (d.by * 1e6).round() / 1e4,
            d.replications
        )),
        x_label,
        base,
        base_label: format!("base run ({} h)", hours(base)),
        bars,
    })
}

/// Draws `tornado.png`/`.svg` (the mean, or the effect on it) and `tornado-p90.png`/`.svg`
/// into `dir`; returns the files written.
pub fn write_tornado(d: &SensitivityDocument, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    for (p90, stem) in [(false, "tornado"), (true, "tornado-p90")] {
        if let Some(c) = chart(d, p90) {
            written.extend(tornado(&c, &dir.join(stem))?);
        }
    }
    Ok(written)
}
