//! `--format long`: tidy copies of the wide CSV files, written beside them as
//! `<name>-long.csv` — one row per replication (or variant) × entity × figure, with the
//! figure's unit in its name and in a column of its own, and no spaces in any column
//! name (a sweep's axis paths are values, not column names).
//!
//! Each wide column is described once, by [`column_keys`], from the same metric table
//! as the wide header ([`csv_names`](super::replications_csv::csv_names) is drawn from
//! it), and a long row's value is the very cell of the wide row: the two files cannot
//! disagree, and a figure added to the table appears in both.

use std::str::FromStr;

use super::csv_columns::{ColumnKey, column_keys};
use super::replications_csv::{header, push_cells, row};
use super::table::{flow_figure, pool_figure, run_figure};
use crate::experiment::sweep::{SweepMeta, SweepState, VariantMeta};
use crate::experiment::{Layout, Summary};
use crate::model::ReplicationResult;
use crate::results::metrics::{Metric, REPLICATIONS_CSV, RunMetric, SWEEP_CSV};
use crate::scenario::sweep_file::value_text;

/// The shape of the CSV files written into an output directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvFormat {
    /// The wide files only: one row per replication (or variant), a column per figure.
    #[default]
    Wide,
    /// The wide files and, beside each, its long (tidy) copy `<name>-long.csv`.
    Long,
}

impl CsvFormat {
    /// Reads `wide` or `long` (what `--format` takes); the message says what is expected.
    pub fn parse(text: &str) -> Result<CsvFormat, String> {
        text.parse()
    }
}

impl FromStr for CsvFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<CsvFormat, String> {
        match text.trim() {
            "wide" => Ok(CsvFormat::Wide),
            "long" => Ok(CsvFormat::Long),
            other => Err(format!(
                "expected `wide` (the CSV files only) or `long` (also a tidy <name>-long.csv beside each), got `{other}`"
            )),
        }
    }
}

/// The long file written beside the wide file `wide` (`replications.csv` →
/// `replications-long.csv`).
pub fn long_name(wide: &str) -> String {
    match wide.strip_suffix(".csv") {
        Some(stem) => format!("{stem}-long.csv"),
        None => format!("{wide}-long.csv"),
    }
}

/// The keys of a run's `replications.csv` columns.
fn replication_keys(layout: &Layout) -> Vec<ColumnKey> {
    let modes: Vec<&str> = layout.modes.iter().map(|m| m.name.as_str()).collect();
    let pools: Vec<&str> = layout.pools.iter().map(String::as_str).collect();
    column_keys(&REPLICATIONS_CSV, &modes, &pools)
}

/// The column of the wide file that is the long file's row key, not a figure.
fn is_row_key(key: &ColumnKey) -> bool {
    key.wide == RunMetric::Replication.spec().name
}

/// The columns every long file ends with.
const FIGURE_COLUMNS: [&str; 5] = ["entity_kind", "entity", "figure", "unit", "value"];

/// Writes `record` to an in-memory CSV writer.
fn put(w: &mut csv::Writer<Vec<u8>>, record: &[String]) {
    w.write_record(record).expect("writing to memory");
}

fn text(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 strings")
}

/// A long row: `lead` cells, then the key's and the value.
fn long_row(lead: &[String], key: &ColumnKey, value: &str) -> Vec<String> {
    let mut r = lead.to_vec();
    r.extend([
        key.entity_kind.to_string(),
        key.entity.clone(),
        key.figure.clone(),
        key.unit.to_string(),
        value.to_string(),
    ]);
    r
}

/// `replications-long.csv` of `portsim run --out`: `scenario`, `policy`, `replication`,
/// then one row per figure of `replications.csv` (the replication's number is the key,
/// not a figure), in the wide file's column order.
pub fn replications_long_csv(layout: &Layout, results: &[ReplicationResult]) -> String {
    let keys = replication_keys(layout);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = ["scenario", "policy", "replication"]
        .map(String::from)
        .to_vec();
    head.extend(FIGURE_COLUMNS.map(String::from));
    put(&mut w, &head);
    let policy = layout.policy.clone().unwrap_or_default();
    for r in results {
        let lead = [
            layout.scenario.clone(),
            policy.clone(),
            r.replication.to_string(),
        ];
        for (key, cell) in keys.iter().zip(row(layout, r)) {
            if !is_row_key(key) {
                put(&mut w, &long_row(&lead, key, &cell));
            }
        }
    }
    text(w)
}

/// The head of a sweep's long files: `variant`, then `axis<k>` (the path) and
/// `axis<k>_value` for each axis.
fn sweep_head(meta: &SweepMeta) -> Vec<String> {
    let mut head = vec!["variant".to_string()];
    for k in 1..=meta.columns.len() {
        head.push(format!("axis{k}"));
        head.push(format!("axis{k}_value"));
    }
    head
}

/// The cells of [`sweep_head`] for variant number `v`.
fn sweep_lead(meta: &SweepMeta, v: usize, variant: &VariantMeta) -> Vec<String> {
    let mut lead = vec![v.to_string()];
    for c in &meta.columns {
        lead.push(c.clone());
        lead.push(variant.values.get(c).map(value_text).unwrap_or_default());
    }
    lead
}

/// A sweep's `results-long.csv`: one row per complete variant × entity × figure of
/// `results.csv` (a mode or pool a variant lacks has no rows), led by the variant's
/// number and its axes as path–value pairs.
pub fn sweep_results_long_csv(meta: &SweepMeta, summaries: &[Option<Summary>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = sweep_head(meta);
    head.extend(FIGURE_COLUMNS.map(String::from));
    put(&mut w, &head);
    for (v, (variant, summary)) in meta.variants.iter().zip(summaries).enumerate() {
        let Some(s) = summary else { continue };
        let lead = sweep_lead(meta, v, variant);
        let modes: Vec<&str> = s.modes.keys().map(String::as_str).collect();
        let pools: Vec<&str> = s.pools.keys().map(String::as_str).collect();
        let keys = column_keys(&SWEEP_CSV, &modes, &pools);
        let cells = summary_cells(s, &modes, &pools);
        for (key, cell) in keys.iter().zip(&cells) {
            put(&mut w, &long_row(&lead, key, cell));
        }
    }
    text(w)
}

/// A summary's cells of `results.csv`, formatted as the wide file formats them, for
/// these modes and pools (which the summary has), in [`column_keys`] order.
fn summary_cells(s: &Summary, modes: &[&str], pools: &[&str]) -> Vec<String> {
    let c = &SWEEP_CSV;
    let mut r = Vec::new();
    for &m in c.run {
        push_cells(&mut r, m, run_figure(m, s));
    }
    for &m in c.overall {
        push_cells(&mut r, m, Some(flow_figure(m, &s.overall)));
    }
    for &m in c.run_after {
        push_cells(&mut r, m, run_figure(m, s));
    }
    for mode in modes {
        for &m in c.mode {
            push_cells(&mut r, m, s.modes.get(*mode).map(|f| flow_figure(m, f)));
        }
    }
    for pool in pools {
        for &m in c.pool {
            push_cells(&mut r, m, s.pools.get(*pool).map(|p| pool_figure(m, p)));
        }
    }
    r
}

/// A sweep's `replications-long.csv`: one row per finished job × entity × figure of its
/// `replications.csv`, in job order, led by the variant and its axes (as
/// [`sweep_results_long_csv`]) and the replication's number.
pub fn sweep_replications_long_csv(meta: &SweepMeta, state: &SweepState) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = sweep_head(meta);
    head.push("replication".into());
    head.extend(FIGURE_COLUMNS.map(String::from));
    put(&mut w, &head);
    for (job, result) in &state.done {
        let Some(variant) = meta.variants.get(job.variant) else {
            continue;
        };
        let mut lead = sweep_lead(meta, job.variant, variant);
        lead.push(result.replication.to_string());
        let keys = replication_keys(&variant.layout);
        debug_assert_eq!(keys.len(), header(&variant.layout).len());
        for (key, cell) in keys.iter().zip(row(&variant.layout, result)) {
            if !is_row_key(key) {
                put(&mut w, &long_row(&lead, key, &cell));
            }
        }
    }
    text(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_is_wide_or_long() {
        assert_eq!("long".parse::<CsvFormat>(), Ok(CsvFormat::Long));
        assert_eq!("wide".parse::<CsvFormat>(), Ok(CsvFormat::Wide));
        let err = "tall".parse::<CsvFormat>().unwrap_err();
        assert!(err.contains("`wide`") && err.contains("`tall`"), "{err}");
        assert_eq!(long_name("results.csv"), "results-long.csv");
    }
}
