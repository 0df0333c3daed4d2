//! A sweep's result files (DESIGN §4.4): `results.csv` (one row per variant),
//! `replications.csv` (one row per variant × replication) and `results.json`.
//!
//! Only complete variants appear in `results.*`; rows are in variant order, and no file
//! holds a wall-clock field, so a sweep's files are byte-identical whatever the thread
//! count, sharding or interruptions.

use std::path::Path;

use indexmap::IndexMap;

use super::out_dir::write_atomic;
use super::replications_csv::{csv_names, header, push_cells, row};
use super::table::{flow_figure, pool_figure, run_figure};
use crate::experiment::Summary;
use crate::experiment::factorial::ClearanceEffects;
use crate::experiment::precision::PrecisionStatus;
use crate::experiment::summarize;
use crate::experiment::sweep::{SweepMeta, SweepState};
use crate::results::metrics::{
    Figure, FlowMetric, Kind, Metric, RunMetric, SWEEP_CSV, SWEEP_TABLE, Spec, Unit,
};
use crate::results::shard_run::{SHARD_RUN_SCHEMA, ShardRun};
pub use crate::results::sweep::SWEEP_SCHEMA;
use crate::results::sweep::{EffectEstimate, FactorialEffects};
use crate::results::sweep::{SweepResults, SweepVariant, VariantPrecision};
use crate::results::sweep_plan::{PlannedVariant, SWEEP_PLAN_SCHEMA, SweepPlan};
use crate::scenario::sweep_file::value_text;
use crate::stats::confidence::MeanCi;

/// The summary of every complete variant (`None` for the others), in variant order.
pub fn variant_summaries(meta: &SweepMeta, state: &SweepState) -> Vec<Option<Summary>> {
    (0..meta.variants.len())
        .map(|v| variant_summary(meta, state, v))
        .collect()
}

/// The summary of variant `v` if it is complete, made from the results the state keeps
/// (borrowed, not copied: a replication's histograms are large).
fn variant_summary(meta: &SweepMeta, state: &SweepState, v: usize) -> Option<Summary> {
    let variant = &meta.variants[v];
    state.complete(v).then(|| {
        let results: Vec<_> = state.results_of(v).collect();
        summarize(&variant.layout, &variant.scenario_sha256, &results, 0.0)
    })
}

/// The summaries of a running sweep's complete variants, each made once. A complete
/// variant's results no longer change (a settled variant gains no replications, and a
/// state never loses a job), so the result files written while a sweep runs — after
/// each variant, every few seconds, at its end — need not summarise every complete
/// variant again each time: with many variants that work grew with the square of their
/// number, on the thread that also takes the workers' results.
#[derive(Default)]
pub struct CompleteSummaries {
    summaries: Vec<Option<Summary>>,
}

impl CompleteSummaries {
    /// The summaries as [`variant_summaries`] gives them for `state`, summarising only
    /// the variants completed since the last call (`state` is the same sweep's, with at
    /// least the jobs it had then).
    pub fn update(&mut self, meta: &SweepMeta, state: &SweepState) -> &[Option<Summary>] {
        self.summaries.resize(meta.variants.len(), None);
        for (v, summary) in self.summaries.iter_mut().enumerate() {
            if summary.is_none() {
                *summary = variant_summary(meta, state, v);
            }
        }
        &self.summaries
    }

    /// The summaries of the last [`update`](CompleteSummaries::update).
    pub fn into_vec(self) -> Vec<Option<Summary>> {
        self.summaries
    }
}

/// Writes the three result files into `dir` (atomically, each); `summaries` are
/// [`variant_summaries`] of `state`.
pub fn write_sweep(
    dir: &Path,
    meta: &SweepMeta,
    state: &SweepState,
    summaries: &[Option<Summary>],
) -> std::io::Result<()> {
    write_atomic(dir, "results.csv", results_csv(meta, summaries).as_bytes())?;
    write_atomic(
        dir,
        "replications.csv",
        replications_csv(meta, state).as_bytes(),
    )?;
    write_atomic(
        dir,
        "results.json",
        results_json(meta, state, summaries).as_bytes(),
    )
}

/// Names over every variant, in order of first appearance.
fn union<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `results.csv`: axis columns, then the metrics, one row per complete variant.
pub fn results_csv(meta: &SweepMeta, summaries: &[Option<Summary>]) -> String {
    let mode_names = union(
        meta.variants
            .iter()
            .flat_map(|v| v.layout.modes.iter().map(|m| m.name.as_str())),
    );
    let pool_names = union(
        meta.variants
            .iter()
            .flat_map(|v| v.layout.pools.iter().map(String::as_str)),
    );
    let mut head: Vec<String> = meta.columns.clone();
    head.extend(csv_names(&SWEEP_CSV, &mode_names, &pool_names));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&head).expect("writing to memory");
    for (variant, summary) in meta.variants.iter().zip(summaries) {
        let Some(s) = summary else { continue };
        let mut r: Vec<String> = meta
            .columns
            .iter()
            .map(|c| variant.values.get(c).map(value_text).unwrap_or_default())
            .collect();
        for &m in SWEEP_CSV.run {
            push_cells(&mut r, m, run_figure(m, s));
        }
        for &m in SWEEP_CSV.overall {
            push_cells(&mut r, m, Some(flow_figure(m, &s.overall)));
        }
        for &m in SWEEP_CSV.run_after {
            push_cells(&mut r, m, run_figure(m, s));
        }
        // A mode or pool this variant lacks: empty cells.
        for mode in &mode_names {
            for &m in SWEEP_CSV.mode {
                push_cells(&mut r, m, s.modes.get(*mode).map(|f| flow_figure(m, f)));
            }
        }
        for pool in &pool_names {
            for &m in SWEEP_CSV.pool {
                push_cells(&mut r, m, s.pools.get(*pool).map(|p| pool_figure(m, p)));
            }
        }
        w.write_record(&r).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("UTF-8")
}

/// `replications.csv`: axis columns, `variant`, then the replication columns of
/// `portsim run`'s file; one row per finished job, in job order.
pub fn replications_csv(meta: &SweepMeta, state: &SweepState) -> String {
    // Columns over every variant (they normally share one layout).
    let mut columns: Vec<String> = Vec::new();
    for v in &meta.variants {
        for c in header(&v.layout) {
            if !columns.contains(&c) {
                columns.push(c);
            }
        }
    }
    let mut head = meta.columns.clone();
    head.push("variant".into());
    head.extend(columns.iter().cloned());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&head).expect("writing to memory");
    for (job, result) in &state.done {
        let Some(variant) = meta.variants.get(job.variant) else {
            continue;
        };
        let cells: IndexMap<String, String> = header(&variant.layout)
            .into_iter()
            .zip(row(&variant.layout, result))
            .collect();
        let mut r: Vec<String> = meta
            .columns
            .iter()
            .map(|c| variant.values.get(c).map(value_text).unwrap_or_default())
            .collect();
        r.push(job.variant.to_string());
        r.extend(
            columns
                .iter()
                .map(|c| cells.get(c).cloned().unwrap_or_default()),
        );
        w.write_record(&r).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("UTF-8")
}

/// `results.json`: every complete variant's values and summary (`portsim.summary/1`
/// without `wall_seconds`).
pub fn results_json(meta: &SweepMeta, state: &SweepState, summaries: &[Option<Summary>]) -> String {
    sweep_results(meta, state, summaries).to_json()
}

/// The `portsim.sweep/1` document of the complete variants.
pub fn sweep_results(
    meta: &SweepMeta,
    state: &SweepState,
    summaries: &[Option<Summary>],
) -> SweepResults<Summary> {
    let variants: Vec<SweepVariant<Summary>> = meta
        .variants
        .iter()
        .zip(summaries)
        .enumerate()
        .filter_map(|(v, (variant, s))| {
            let precision = state
                .precision
                .get(v)
                .copied()
                .flatten()
                .map(|p: PrecisionStatus| VariantPrecision {
                    replications: p.replications,
                    half_width_relative: p.achieved,
                    met: p.met,
                });
            Some(SweepVariant {
                variant: v,
                values: variant.values.clone(),
                precision,
                summary: s.clone()?,
            })
        })
        .collect();
    SweepResults {
        schema: SWEEP_SCHEMA.into(),
        portsim_version: env!("CARGO_PKG_VERSION").into(),
        sweep: meta.name.clone(),
        sweep_sha256: meta.sweep_sha256.clone(),
        columns: meta.columns.clone(),
        variants_total: meta.variants.len(),
        variants_complete: variants.len(),
        effects: effects_document(meta, state, summaries),
        variants,
    }
}

/// The effects of a complete two-level factorial sweep (`None` for any other sweep, or
/// before every variant is complete).
fn effects_document(
    meta: &SweepMeta,
    state: &SweepState,
    summaries: &[Option<Summary>],
) -> Option<FactorialEffects> {
    if summaries.iter().any(Option::is_none) {
        return None;
    }
    let e = ClearanceEffects::of(meta, state)?;
    let estimate = |factors: Vec<String>, m: &MeanCi| EffectEstimate {
        factors,
        mean: m.mean,
        ci95: m.ci95,
    };
    Some(FactorialEffects {
        figure: "clearance_mean_hours".into(),
        replications: e.replications,
        levels: e
            .factorial
            .factors
            .iter()
            .cloned()
            .zip(e.factorial.levels.iter().cloned())
            .collect(),
        effects: e
            .effects
            .iter()
            .map(|x| estimate(x.factors.clone(), &x.value))
            .collect(),
        total: estimate(e.factorial.factors.clone(), &e.total),
    })
}

/// The terminal table: one row per complete variant with its axis values, mean
/// clearance and its 95 % CI, p90, staff-hours and whether anything is overloaded.
///
/// (The status names the overloaded pools; the CSV and stderr say by what and from when.)
pub fn sweep_table(meta: &SweepMeta, summaries: &[Option<Summary>]) -> String {
    let t = &SWEEP_TABLE;
    let (after, after_labels) = run_after_columns(summaries.iter().flatten());
    let mut head: Vec<String> = short_labels(&meta.columns);
    let labels = (t.run.iter().map(|m| m.spec().label.to_string()))
        .chain(t.overall.iter().map(|m| m.spec().label.to_string()))
        .chain(after_labels);
    head.extend(labels);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (variant, s) in meta.variants.iter().zip(summaries) {
        let Some(s) = s else { continue };
        let mut r: Vec<String> = meta
            .columns
            .iter()
            .map(|col| variant.values.get(col).map(value_text).unwrap_or_default())
            .collect();
        let run = |m: RunMetric| match m {
            RunMetric::Unstable => status(s),
            _ => table_text(run_figure(m, s), m.spec()),
        };
        r.extend(t.run.iter().map(|&m| run(m)));
        let overall = |m: FlowMetric| table_text(Some(flow_figure(m, &s.overall)), m.spec());
        r.extend(t.overall.iter().map(|&m| overall(m)));
        r.extend(after.iter().map(|&m| run(m)));
        rows.push(r);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            // Axis values and labels left, figures right.
            if i < meta.columns.len() || i == cells.len() - 1 {
                out.push_str(&format!("{c:<w$}"));
            } else {
                out.push_str(&format!("{c:>w$}"));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = format!(
        "sweep \"{}\": {} of {} variants\n",
        meta.name,
        rows.len(),
        meta.variants.len()
    );
    out.push_str(&line(&head));
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

/// The run figures after the flow's in a sweep's table (terminal and report), with their
/// labels: the cost column only when the summaries price their hours, labelled with the
/// unit.
pub fn run_after_columns<'s>(
    summaries: impl IntoIterator<Item = &'s Summary>,
) -> (Vec<RunMetric>, Vec<String>) {
    let unit =
        (summaries.into_iter()).find_map(|s| s.cost.as_ref().map(|c| c.weights.unit.clone()));
    let after: Vec<RunMetric> = (SWEEP_TABLE.run_after.iter().copied())
        .filter(|&m| m != RunMetric::Cost || unit.is_some())
        .collect();
    let labels = (after.iter())
        .map(|&m| match (m, &unit) {
            (RunMetric::Cost, Some(unit)) => format!("cost ({unit})"),
            _ => m.spec().label.to_string(),
        })
        .collect();
    (after, labels)
}

/// A figure as the sweep table shows it: staff-hours to the hour, quantiles to a tenth
/// of an hour, other figures to a hundredth; "—" where there is none.
fn table_text(figure: Option<Figure>, spec: Spec) -> String {
    let d = match (spec.unit, spec.kind) {
        (Unit::OfficerHours | Unit::Cost, _) => 0,
        (_, Kind::Quantile(_)) => 1,
        _ => 2,
    };
    match figure {
        Some(Figure::Count(n)) => n.to_string(),
        Some(Figure::Number(Some(x))) => format!("{x:.d$}"),
        Some(Figure::Interval(Some([lo, hi]))) => format!("{lo:.d$}–{hi:.d$}"),
        Some(Figure::Flag(yes)) => yes.to_string(),
        Some(Figure::Names(names)) => names.join(", "),
        Some(Figure::Date(Some(date))) => date,
        Some(Figure::Number(None) | Figure::Interval(None) | Figure::Date(None)) | None => {
            "—".into()
        }
    }
}

/// Column labels for a narrow table: the shortest trailing part of each path (whole
/// segments) that no other column ends with.
fn short_labels(columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let segs: Vec<&str> = c.split('.').collect();
            (1..=segs.len())
                .map(|k| segs[segs.len() - k..].join("."))
                .find(|label| {
                    columns
                        .iter()
                        .filter(|o| *o == label || o.ends_with(&format!(".{label}")))
                        .count()
                        == 1
                })
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

/// What `sweep --dry-run --json` prints: the variants a sweep would run, with their
/// values and replications, and the job count (`portsim.sweep-plan/1`).
pub fn plan_json(sweep: &crate::scenario::sweep_file::LoadedSweep) -> String {
    SweepPlan {
        schema: SWEEP_PLAN_SCHEMA.into(),
        file: sweep.file.clone(),
        sweep: sweep.name.clone(),
        scenario: sweep.variants[0].scenario.file.clone(),
        jobs: sweep
            .variants
            .iter()
            .map(|v| v.scenario.model.replications)
            .sum(),
        variants: sweep
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| PlannedVariant {
                variant: i,
                values: v.values.iter().cloned().collect(),
                replications: v.scenario.model.replications,
            })
            .collect(),
    }
    .to_json()
}

/// What a finished `sweep --shard I/N --json` prints: what a job script needs to know
/// (`portsim.shard-run/1`); the results themselves are in `shard_file`, for merge.
pub fn shard_run_json(sweep: &str, shard: &str, jobs: usize, shard_file: &Path) -> String {
    ShardRun {
        schema: SHARD_RUN_SCHEMA.into(),
        sweep: sweep.into(),
        shard: shard.into(),
        jobs,
        shard_file: shard_file.display().to_string(),
    }
    .to_json()
}

/// "ok", or "UNSTABLE" with the overloaded pools ("UNSTABLE: release, review"), or for a
/// stable run whose peaks overload pools, those pools ("peak overload: release").
fn status(s: &Summary) -> String {
    if !s.unstable {
        let peaks: Vec<&str> = s
            .pools
            .iter()
            .filter(|(_, p)| p.overloaded_peaks().next().is_some())
            .map(|(name, _)| name.as_str())
            .collect();
        if peaks.is_empty() {
            return "ok".into();
        }
        return format!("peak overload: {}", peaks.join(", "));
    }
    let pools: Vec<&str> = s
        .pools
        .iter()
        .filter(|(_, p)| p.unstable)
        .map(|(name, _)| name.as_str())
        .collect();
    if pools.is_empty() {
        "UNSTABLE".into()
    } else {
        format!("UNSTABLE: {}", pools.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_shortest_unique_tails() {
        let cols = [
            "policy",
            "peaks.rush.extra_staff.review",
            "pools.review.staff",
            "pools.release.staff",
        ]
        .map(String::from);
        assert_eq!(
            short_labels(&cols),
            ["policy", "review", "review.staff", "release.staff"]
        );
    }
}
