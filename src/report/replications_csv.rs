//! `replications.csv`: one row per replication, its columns
//! [`REPLICATIONS_CSV`](crate::results::metrics::REPLICATIONS_CSV) of the metric table.

use super::csv_columns::column_keys;
use crate::experiment::Layout;
use crate::model::ReplicationResult;
use crate::results::metrics::{Columns, Figure, FlowTally, Kind, Metric, REPLICATIONS_CSV};

/// The CSV text: replication figures overall (headline modes), per mode and per pool.
pub fn replications_csv(model: &Layout, results: &[ReplicationResult]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(model)).expect("writing to memory");
    for r in results {
        w.write_record(row(model, r)).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 strings")
}

/// The column names of a replication row.
pub fn header(model: &Layout) -> Vec<String> {
    let modes: Vec<&str> = model.modes.iter().map(|m| m.name.as_str()).collect();
    let pools: Vec<&str> = model.pools.iter().map(String::as_str).collect();
    csv_names(&REPLICATIONS_CSV, &modes, &pools)
}

/// One replication's figures, in [`header`] order.
pub fn row(model: &Layout, r: &ReplicationResult) -> Vec<String> {
    let c = &REPLICATIONS_CSV;
    let headline = r
        .modes
        .iter()
        .zip(&model.modes)
        .filter(|(_, mode)| mode.headline)
        .map(|(m, _)| m);
    let overall = FlowTally::merged(headline);
    let mut row = Vec::new();
    for &m in c.run {
        push_cells(&mut row, m, m.of_replication(r));
    }
    for &m in c.overall {
        push_cells(&mut row, m, m.of_replication(&overall));
    }
    for &m in c.run_after {
        push_cells(&mut row, m, m.of_replication(r));
    }
    for mode in &r.modes {
        let t = FlowTally::of_mode(mode);
        for &m in c.mode {
            push_cells(&mut row, m, m.of_replication(&t));
        }
    }
    for p in &r.pools {
        for &m in c.pool {
            push_cells(&mut row, m, m.of_replication(p));
        }
    }
    row
}

/// The CSV column names of `columns` for these modes and pools: a figure of the run or
/// the overall flow by its name, a mode's as `mode.<mode>.<name>`, a pool's as
/// `pool.<pool>.<name>`; an interval is two columns, `<name>_low` and `<name>_high`.
pub fn csv_names(columns: &Columns, modes: &[&str], pools: &[&str]) -> Vec<String> {
    // One description of the columns serves the wide and the long files.
    column_keys(columns, modes, pools)
        .into_iter()
        .map(|k| k.wide)
        .collect()
}

/// Appends `metric`'s cells: its figure as CSV text, or empty cells where it has none.
pub fn push_cells(row: &mut Vec<String>, metric: impl Metric, figure: Option<Figure>) {
    let interval = metric.spec().kind == Kind::Interval;
    match figure {
        Some(Figure::Count(n)) => row.push(n.to_string()),
        Some(Figure::Number(x)) => row.push(opt(x)),
        Some(Figure::Interval(ci)) => {
            let [lo, hi] = ci.map_or([None, None], |[lo, hi]| [Some(lo), Some(hi)]);
            row.extend([opt(lo), opt(hi)]);
        }
        Some(Figure::Flag(yes)) => row.push(yes.to_string()),
        // One cell: the names joined by '+'.
        Some(Figure::Names(names)) => row.push(names.join("+")),
        Some(Figure::Date(date)) => row.push(date.unwrap_or_default()),
        None if interval => row.extend([String::new(), String::new()]),
        None => row.push(String::new()),
    }
}

/// A number as CSV text: shortest round-trip form, empty when not finite.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// An optional number as CSV text: empty when absent or not finite.
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}
