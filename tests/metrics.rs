//! One metric table, every output's columns: the pools table, `replications.csv`, a
//! sweep's `results.csv`, `replications.csv` and table, and the regression check's
//! measures are what the table's column lists say — a column added in one place only
//! fails here.

use portsim::check::{Measure, measures};
use portsim::experiment::Layout;
use portsim::report::replications_csv::{csv_names, replications_csv};
use portsim::report::table::summary_table;
use portsim::results::metrics::{
    CHECK, Columns, Kind, Metric, POOL_TABLE, REPLICATIONS_CSV, SWEEP_CSV, SWEEP_TABLE,
};

use crate::support::{mmc, model, ok, run};

/// A short run of a shipped scenario with several modes and pools, an SLA and on-call
/// officers.
const SHORT: [&str; 2] = ["horizon_days=20", "warmup_days=5"];

/// A table's cells: separated by two spaces or more (labels hold single spaces).
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The labels of a list's columns, in order.
fn labels(c: &Columns) -> Vec<&'static str> {
    let run = c.run.iter().map(|m| m.spec().label);
    let overall = c.overall.iter().map(|m| m.spec().label);
    let after = c.run_after.iter().map(|m| m.spec().label);
    let mode = c.mode.iter().map(|m| m.spec().label);
    let pool = c.pool.iter().map(|m| m.spec().label);
    run.chain(overall)
        .chain(after)
        .chain(mode)
        .chain(pool)
        .collect()
}

#[test]
fn run_outputs_take_their_columns_from_the_table() {
    let mut model = model("scenarios/chongqing-2016.toml", &SHORT);
    model.replications = 2;
    let (results, summary) = run(&model);
    let layout = Layout::of(&model);
    let modes: Vec<&str> = layout.modes.iter().map(|m| m.name.as_str()).collect();
    let pools: Vec<&str> = layout.pools.iter().map(String::as_str).collect();
    assert!(modes.len() > 1 && pools.len() > 1);

    // replications.csv: its header, and as many cells in every row.
    let csv = replications_csv(&layout, &results);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header, csv_names(&REPLICATIONS_CSV, &modes, &pools));
    let per_flow = REPLICATIONS_CSV.run.len()
        + REPLICATIONS_CSV.overall.len()
        + REPLICATIONS_CSV.run_after.len();
    let per_part =
        modes.len() * REPLICATIONS_CSV.mode.len() + pools.len() * REPLICATIONS_CSV.pool.len();
    assert_eq!(header.len(), per_flow + per_part);
    assert_eq!(header[0], "replication");
    assert!(header.contains(&"pool.review.offered_load"));
    for line in lines {
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }

    // The pools' table: "pool", then the labels; a row per pool with a cell each.
    let table = summary_table(&summary);
    let mut lines = table.lines().skip_while(|l| !l.starts_with("pool "));
    let mut expected = vec!["pool"];
    expected.extend(labels(&POOL_TABLE));
    assert_eq!(cells(lines.next().unwrap()), expected);
    for (pool, row) in pools.iter().zip(lines) {
        let row: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(row[0], *pool);
        let n = row.iter().filter(|c| **c != "UNSTABLE").count();
        assert_eq!(n, 1 + POOL_TABLE.pool.len(), "{row:?}");
    }

    // The check's measures: the table's check list, named by their place in the
    // summary JSON (which holds each of them there), quantiles pooled.
    let measured = measures(&layout, &results);
    let mut expected: Vec<(String, Kind)> = Vec::new();
    for m in CHECK.run.iter().chain(CHECK.run_after) {
        expected.push((m.spec().path.to_string(), m.spec().kind));
    }
    for m in CHECK.overall {
        expected.push((format!("overall.{}", m.spec().path), m.spec().kind));
    }
    for mode in &modes {
        for m in CHECK.mode {
            expected.push((format!("modes.{mode}.{}", m.spec().path), m.spec().kind));
        }
    }
    for pool in &pools {
        for m in CHECK.pool {
            expected.push((format!("pools.{pool}.{}", m.spec().path), m.spec().kind));
        }
    }
    let names: Vec<&str> = measured.keys().map(String::as_str).collect();
    let expected_names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, expected_names);
    let doc: serde_json::Value = serde_json::from_str(&summary.to_json()).unwrap();
    for (name, kind) in &expected {
        let at = name.split('.').try_fold(&doc, |v, key| v.get(key));
        assert!(at.is_some_and(|v| v.is_number()), "{name} in the summary");
        let quantile = matches!(measured[name], Measure::Quantile { .. });
        assert_eq!(quantile, matches!(kind, Kind::Quantile(_)), "{name}");
    }
}

#[test]
fn sweep_outputs_take_their_columns_from_the_table() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("staff.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 2\n\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n",
            mmc()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let args = ["--set", "horizon_days=30", "--set", "warmup_days=1"];
    let table = ok(&[
        &[
            "sweep",
            sweep.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ][..],
        &args,
    ]
    .concat());
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let (modes, pools) = (["customers"], ["servers"]);
    let axis = "pools.servers.staff".to_string();

    // results.csv: the axis, then the table's sweep list.
    let results = read("results.csv");
    let mut expected = vec![axis.clone()];
    expected.extend(csv_names(&SWEEP_CSV, &modes, &pools));
    let header: Vec<&str> = results.lines().next().unwrap().split(',').collect();
    assert_eq!(header, expected);
    assert!(header.contains(&"clearance_mean_ci_low"));
    for line in results.lines().skip(1) {
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }

    // replications.csv: the axis, the variant, then run's replication columns.
    let replications = read("replications.csv");
    let mut expected = vec![axis, "variant".to_string()];
    expected.extend(csv_names(&REPLICATIONS_CSV, &modes, &pools));
    let header: Vec<&str> = replications.lines().next().unwrap().split(',').collect();
    assert_eq!(header, expected);

    // The table: the axis's short label, then the table's labels.
    let head = table.lines().nth(1).unwrap();
    let mut expected = vec!["staff"];
    // No cost column: the scenario has no `[cost]` weights.
    expected.extend(labels(&SWEEP_TABLE).into_iter().filter(|l| *l != "cost"));
    assert_eq!(cells(head), expected);
    assert!(SWEEP_TABLE.mode.is_empty() && SWEEP_TABLE.pool.is_empty());
}

/// The header cells of every table in an HTML page, table by table.
fn html_heads(html: &str) -> Vec<Vec<String>> {
    html.split("<thead><tr>")
        .skip(1)
        .map(|t| {
            let row = t.split("</tr>").next().unwrap_or("");
            // A heading cell may carry a class; its text may hold <wbr> break points.
            row.split("<th")
                .skip(1)
                .map(|c| {
                    let text = c.split_once('>').map_or("", |(_, rest)| rest);
                    let text = text.split("</th>").next().unwrap_or("");
                    text.replace("<wbr>", "")
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_reports_tables_are_the_metric_tables_lists() {
    use portsim::results::metrics::REPORT_FLOWS;
    let dir = tempfile::tempdir().unwrap();
    let plots = dir.path().join("plots");
    ok(&[
        "run",
        crate::support::repo("scenarios/validation/mmc.toml")
            .to_str()
            .unwrap(),
        "--replications",
        "2",
        "--set",
        "horizon_days=40",
        "--plots",
        plots.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(plots.join("report.html")).unwrap();
    let heads = html_heads(&html);
    let with = |first: &[&str], c: &Columns, last: &[&str]| -> Vec<String> {
        first
            .iter()
            .copied()
            .chain(labels(c))
            .chain(last.iter().copied())
            .map(String::from)
            .collect()
    };
    // One run: its one series is named above the tables, not in a column.
    assert!(
        heads.contains(&with(&["flow"], &REPORT_FLOWS, &[])),
        "{heads:?}"
    );
    assert!(
        heads.contains(&with(&["pool"], &POOL_TABLE, &["status"])),
        "{heads:?}"
    );
}
