//! A plot directory: every figure as PNG and SVG, `report.html` (tables and the figures
//! inline) and `plot-data.json`, the documents they were drawn from — what
//! `portsim plot` reads to redraw them.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::compare::{CompareReport, difference_rows, headline};
use super::figures::{Figure, finite, run_figures, series_names, sweep_figures, value};
use super::html::{Block, HtmlReport, Section, table_blocks};
use super::out_dir::write_atomic;
use super::sweep::run_after_columns;
use super::table::{figure_text, flow_figure, officer_hours_line, pool_figure, run_figure};
use crate::experiment::{PoolSummary, Summary};
use crate::plot::PlotError;
use crate::results::compare::CompareDocument;
use crate::results::metrics::{
    Figure as Fig, FlowMetric, Metric, POOL_TABLE, REPORT_FLOWS, RunMetric, SWEEP_TABLE,
};
use crate::results::sweep::SweepResults;

/// The file in a plot directory holding what the plots were drawn from.
pub const PLOT_DATA_FILE: &str = "plot-data.json";

/// What to plot.
#[derive(Clone, Debug, PartialEq)]
pub enum PlotInput {
    /// Summaries (`portsim.summary/1`) drawn as series of the same figures, with lines
    /// of text for the report (e.g. a comparison's headline).
    Runs {
        /// The summaries, one series each.
        summaries: Vec<Summary>,
        /// Text shown above the tables.
        notes: Vec<String>,
    },
    /// A sweep's `results.json` (`portsim.sweep/1`).
    Sweep(Box<SweepResults<Summary>>),
    /// A comparison (`portsim.compare/1`, as `compare --out` writes it: with both
    /// sides' summaries): both sides' figures, and the difference table in the report.
    Comparison {
        /// The comparison.
        doc: Box<CompareDocument>,
        /// Its two sides' summaries, read.
        summaries: Vec<Summary>,
    },
}

/// `doc` read as a `T`; what does not fit is named by its JSON path under `root`.
fn typed<T: DeserializeOwned>(doc: Value, root: &str) -> Result<T, String> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            format!("{root}: {inner}")
        } else {
            format!("{root}.{path}: {inner}")
        }
    })
}

impl PlotInput {
    /// Reads a saved document: a summary, an array of summaries, a sweep's results, or
    /// a plot directory's `plot-data.json`, as their types.
    pub fn from_json(doc: Value) -> Result<PlotInput, String> {
        PlotInput::read(doc, "$")
    }

    /// [`PlotInput::from_json`] of the document at JSON path `root`.
    fn read(doc: Value, root: &str) -> Result<PlotInput, String> {
        let schema = |v: &Value| v["schema"].as_str().unwrap_or("").to_string();
        if doc["kind"] == "runs" {
            let summaries = doc["summaries"].as_array().cloned().unwrap_or_default();
            let notes = doc["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            return PlotInput::runs(summaries, notes, &format!("{root}.summaries"));
        }
        if doc["kind"] == "sweep" {
            return PlotInput::read(doc["results"].clone(), &format!("{root}.results"));
        }
        if doc["kind"] == "comparison" {
            return PlotInput::read(doc["comparison"].clone(), &format!("{root}.comparison"));
        }
        match doc {
            Value::Array(items) => PlotInput::runs(items, Vec::new(), root),
            v if schema(&v) == "portsim.summary/1" => Ok(PlotInput::Runs {
                summaries: vec![typed(v, root)?],
                notes: Vec::new(),
            }),
            v if schema(&v) == "portsim.sweep/1" => Ok(PlotInput::Sweep(Box::new(typed(v, root)?))),
            v if schema(&v) == "portsim.compare/1" => {
                let doc: CompareDocument = typed(v, root)?;
                if doc.summaries.len() != 2 || doc.comparison().is_none() {
                    return Err(format!(
                        "{root}: this comparison holds no summaries to draw: write it with `portsim compare --out DIR` and plot DIR/compare.json"
                    ));
                }
                PlotInput::comparison(doc, &format!("{root}.summaries"))
            }
            v => Err(format!(
                "expected a portsim.summary/1 document (or an array of them), a sweep's portsim.sweep/1 results or a plot-data.json; got schema \"{}\"",
                schema(&v)
            )),
        }
    }

    /// A comparison with its summaries read (at JSON path `root`).
    pub fn comparison(doc: CompareDocument, root: &str) -> Result<PlotInput, String> {
        let summaries = (doc.summaries.iter().cloned().enumerate())
            .map(|(i, s)| typed(s, &format!("{root}[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(PlotInput::Comparison {
            doc: Box::new(doc),
            summaries,
        })
    }

    /// Summaries (the list at JSON path `root`) with notes.
    fn runs(summaries: Vec<Value>, notes: Vec<String>, root: &str) -> Result<PlotInput, String> {
        if summaries.is_empty() {
            return Err("no summaries to plot".into());
        }
        if let Some((i, s)) = summaries
            .iter()
            .enumerate()
            .find(|(_, s)| s["schema"] != "portsim.summary/1")
        {
            return Err(format!(
                "item {i} is not a portsim.summary/1 document (schema {})",
                s["schema"]
            ));
        }
        let summaries = summaries
            .into_iter()
            .enumerate()
            .map(|(i, s)| typed(s, &format!("{root}[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(PlotInput::Runs { summaries, notes })
    }

    fn to_json(&self) -> Value {
        match self {
            PlotInput::Runs { summaries, notes } => {
                json!({"schema": "portsim.plot-data/1", "kind": "runs", "notes": notes, "summaries": summaries})
            }
            PlotInput::Sweep(results) => {
                json!({"schema": "portsim.plot-data/1", "kind": "sweep", "results": results})
            }
            PlotInput::Comparison { doc, .. } => {
                json!({"schema": "portsim.plot-data/1", "kind": "comparison", "comparison": doc})
            }
        }
    }
}

/// Draws every figure of `input` into `dir`, writes `report.html` and
/// `plot-data.json`; returns the figures.
pub fn write_plots(input: &PlotInput, dir: &Path) -> Result<Vec<Figure>, PlotError> {
    let io = |path: &Path, e: std::io::Error| PlotError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let figures = match input {
        PlotInput::Runs { summaries, .. } => run_figures(summaries, dir)?,
        PlotInput::Sweep(results) => sweep_figures(results, dir)?,
        PlotInput::Comparison { summaries, .. } => run_figures(summaries, dir)?,
    };
    let report = report(input, &figures)?;
    let mut data = serde_json::to_string_pretty(&input.to_json()).expect("serialises");
    data.push('\n');
    write_atomic(dir, PLOT_DATA_FILE, data.as_bytes()).map_err(|e| io(dir, e))?;
    write_atomic(dir, "report.html", report.render().as_bytes()).map_err(|e| io(dir, e))?;
    Ok(figures)
}

/// The `report.html` page of `input`: its tables, then `figures` (drawn, their SVG files
/// read) inline.
pub fn report(input: &PlotInput, figures: &[Figure]) -> Result<HtmlReport, PlotError> {
    match input {
        PlotInput::Runs { summaries, notes } => runs_report(summaries, notes, figures),
        PlotInput::Sweep(results) => sweep_report(results, figures),
        PlotInput::Comparison { doc, summaries } => comparison_report(doc, summaries, figures),
    }
}

fn figure_blocks(figures: &[Figure]) -> Result<Vec<Block>, PlotError> {
    if !figures.iter().any(|f| f.svg().is_some()) {
        return Ok(vec![Block::Text(
            "No figures were drawn from these results.".into(),
        )]);
    }
    figures
        .iter()
        .filter_map(|fig| fig.svg().map(|p| (fig, p)))
        .map(|(fig, path)| {
            let svg = std::fs::read_to_string(path).map_err(|e| PlotError::Io {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            Ok(Block::Figure {
                svg,
                caption: fig.caption.clone(),
            })
        })
        .collect()
}

/// "ok", or "UNSTABLE" with the measures that tripped and from when, or for a stable
/// pool that a peak overloads, the peak and its load.
fn pool_status(v: &PoolSummary) -> String {
    if !v.unstable {
        let peaks: Vec<String> = v
            .overloaded_peaks()
            .map(|p| format!("{} (offered load {:.2})", p.name, p.offered_load))
            .collect();
        if peaks.is_empty() {
            return "ok".into();
        }
        return format!("overloaded in peak: {}", peaks.join(", "));
    }
    let mut out = "UNSTABLE".to_string();
    if !v.unstable_reasons.is_empty() {
        out.push_str(&format!(": {}", v.unstable_reasons.join(", ")));
    }
    if let Some(d) = &v.unstable_since {
        out.push_str(&format!(" from {d}"));
    }
    out
}

/// A table heading: `first`, then the labels of `metrics`.
fn heading<M: Metric>(first: &[&str], metrics: &[M]) -> Vec<String> {
    first
        .iter()
        .map(|f| f.to_string())
        .chain(metrics.iter().map(|m| m.spec().label.to_string()))
        .collect()
}

/// A table of the runs' report whose first column is the series: dropped when there is
/// one series (named above the tables), then constant columns said once.
fn series_table(summaries: &[Summary], head: Vec<String>, rows: Vec<Vec<String>>) -> Vec<Block> {
    if summaries.len() > 1 {
        return table_blocks(head, rows);
    }
    let rest = |cells: Vec<String>| cells.into_iter().skip(1).collect::<Vec<_>>();
    table_blocks(rest(head), rows.into_iter().map(rest).collect())
}

/// The Time Release Study table, as `portsim run` prints it: where the time goes, per
/// mode and stage — visits and the mean hours waiting and in service per visit.
fn stage_blocks(summaries: &[Summary], names: &[String]) -> Vec<Block> {
    let mut rows = Vec::new();
    for (s, name) in summaries.iter().zip(names) {
        for (mode, m) in &s.modes {
            for (stage, t) in &m.stages {
                rows.push(vec![
                    name.clone(),
                    mode.clone(),
                    stage.clone(),
                    t.visits.to_string(),
                    format!("{:.3}", t.mean_wait_hours),
                    format!("{:.3}", t.mean_service_hours),
                ]);
            }
        }
    }
    if rows.is_empty() {
        return vec![Block::Text("No stage visits were recorded.".into())];
    }
    let head = ["series", "mode", "stage", "visits", "wait h", "service h"];
    let mut blocks = vec![Block::Text(
        "Hours per visit: waiting for an officer, then in service.".into(),
    )];
    blocks.extend(series_table(
        summaries,
        head.map(String::from).to_vec(),
        rows,
    ));
    blocks
}

/// Clearance by class and by channel, where a mode has more than one (as `portsim run`
/// prints it).
fn group_blocks(summaries: &[Summary], names: &[String]) -> Vec<Block> {
    let hours = |x: f64| figure_text(FlowMetric::ClearanceMean.spec(), Fig::Number(Some(x)));
    let mut rows = Vec::new();
    for (s, name) in summaries.iter().zip(names) {
        for (mode, m) in &s.modes {
            for (kind, list) in [("class", &m.classes), ("channel", &m.channels)] {
                if list.len() < 2 {
                    continue;
                }
                for (g, v) in list {
                    rows.push(vec![
                        name.clone(),
                        mode.clone(),
                        kind.to_string(),
                        g.clone(),
                        v.released.to_string(),
                        hours(v.clearance_hours.mean),
                        figure_text(
                            FlowMetric::ClearanceMeanCi.spec(),
                            Fig::Interval(v.clearance_hours.mean_ci95),
                        ),
                        figure_text(
                            FlowMetric::SlaShare.spec(),
                            Fig::Number(v.sla_share.map(|b| b.mean)),
                        ),
                    ]);
                }
            }
        }
    }
    if rows.is_empty() {
        return vec![Block::Text(
            "No mode has more than one class or channel.".into(),
        )];
    }
    let head = [
        "series", "mode", "by", "name", "released", "mean h", "95% CI", "in SLA",
    ];
    series_table(summaries, head.map(String::from).to_vec(), rows)
}

/// A comparison's report: both sides as a run's report shows them, after the headline
/// and the difference table with its CIs and the pairing gain.
fn comparison_report(
    doc: &CompareDocument,
    summaries: &[Summary],
    figures: &[Figure],
) -> Result<HtmlReport, PlotError> {
    let comparison = doc.comparison().expect("checked when read");
    let report = CompareReport {
        a: &doc.a.side,
        b: &doc.b.side,
        comparison: &comparison,
    };
    let mut html = runs_report(summaries, &[headline(&report)], figures)?;
    let (head, rows) = difference_rows(&comparison);
    let mut blocks = vec![Block::Text(if comparison.paired {
        "B against A, paired by replication (common random numbers). \"pairing ×\": how many times narrower pairing made the interval of B − A than the same replications taken as independent samples.".into()
    } else {
        "B against A as independent samples (Welch intervals).".into()
    })];
    blocks.push(Block::Table { head, rows });
    html.sections.insert(
        0,
        Section {
            title: "Comparison: B − A".into(),
            blocks,
        },
    );
    Ok(html)
}

fn runs_report(
    summaries: &[Summary],
    notes: &[String],
    figures: &[Figure],
) -> Result<HtmlReport, PlotError> {
    let names = series_names(summaries);
    let first = &summaries[0];
    let mut blocks: Vec<Block> = notes.iter().map(|n| Block::Text(n.clone())).collect();
    for (s, name) in summaries.iter().zip(&names) {
        blocks.push(Block::Text(format!(
            "{name}: scenario \"{}\", policy {}, seed {}, {} replications, horizon {:.0} days (warm-up {:.0} days, {}); clearance = {}.",
            s.scenario,
            s.policy.as_deref().unwrap_or("constant staff"),
            s.seed,
            s.replications,
            finite(s.horizon_hours).unwrap_or(0.0) / 24.0,
            finite(s.warmup_hours).unwrap_or(0.0) / 24.0,
            s.warmup_method,
            s.overall.clearance_interval.replace('-', " → "),
        )));
    }
    let mut rows = Vec::new();
    for (s, name) in summaries.iter().zip(&names) {
        let mut flows = vec![("overall".to_string(), &s.overall)];
        flows.extend(s.modes.iter().map(|(m, v)| (format!("  {m}"), v)));
        for (flow, v) in flows {
            let mut row = vec![name.clone(), flow];
            row.extend(
                REPORT_FLOWS
                    .overall
                    .iter()
                    .map(|&m| figure_text(m.spec(), flow_figure(m, v))),
            );
            rows.push(row);
        }
    }
    let clearance = series_table(
        summaries,
        heading(&["series", "flow"], REPORT_FLOWS.overall),
        rows,
    );
    let mut pool_rows = Vec::new();
    for (s, name) in summaries.iter().zip(&names) {
        for (p, v) in &s.pools {
            let mut row = vec![name.clone(), p.clone()];
            row.extend(
                POOL_TABLE
                    .pool
                    .iter()
                    .map(|&m| figure_text(m.spec(), pool_figure(m, v))),
            );
            row.push(pool_status(v));
            pool_rows.push(row);
        }
    }
    let mut head = heading(&["series", "pool"], POOL_TABLE.pool);
    head.push("status".into());
    let mut pools = series_table(summaries, head, pool_rows);
    // Every kind of officer-hour, their total and cost, as the terminal says them.
    for (s, name) in summaries.iter().zip(&names) {
        let line = officer_hours_line(s);
        pools.push(Block::Text(if summaries.len() > 1 {
            format!("{name}: {line}")
        } else {
            line
        }));
    }
    blocks.extend(clearance);
    Ok(HtmlReport {
        title: {
            let mut scenarios: Vec<&str> = summaries.iter().map(|s| s.scenario.as_str()).collect();
            scenarios.dedup();
            if scenarios.len() == 1 && summaries.len() > 1 {
                format!("portsim report: {} — {}", scenarios[0], names.join(" vs "))
            } else {
                format!("portsim report: {}", scenarios.join(" vs "))
            }
        },
        subtitle: format!(
            "portsim {} · clearance times in hours · 95 % confidence intervals from replications",
            first.portsim_version
        ),
        sections: vec![
            Section {
                title: "Clearance".into(),
                blocks,
            },
            Section {
                title: "Stages (Time Release Study)".into(),
                blocks: stage_blocks(summaries, &names),
            },
            Section {
                title: "Classes and channels".into(),
                blocks: group_blocks(summaries, &names),
            },
            Section {
                title: "Staff pools".into(),
                blocks: pools,
            },
            Section {
                title: "Figures".into(),
                blocks: figure_blocks(figures)?,
            },
        ],
    })
}

fn sweep_report(
    results: &SweepResults<Summary>,
    figures: &[Figure],
) -> Result<HtmlReport, PlotError> {
    let columns = &results.columns;
    let t = &SWEEP_TABLE;
    let (after, after_labels) = run_after_columns(results.variants.iter().map(|v| &v.summary));
    let mut head = columns.clone();
    head.extend(t.run.iter().map(|m| m.spec().label.to_string()));
    head.extend(t.overall.iter().map(|m| m.spec().label.to_string()));
    head.extend(after_labels);
    let rows = results
        .variants
        .iter()
        .map(|v| {
            let s = &v.summary;
            let mut r: Vec<String> = columns
                .iter()
                .map(|col| {
                    let x = value(v, col);
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect();
            let run = |m: &RunMetric| {
                run_figure(*m, s).map_or_else(|| "—".into(), |f| figure_text(m.spec(), f))
            };
            r.extend(t.run.iter().map(run));
            r.extend(
                t.overall
                    .iter()
                    .map(|&m| figure_text(m.spec(), flow_figure(m, &s.overall))),
            );
            r.extend(after.iter().map(run));
            r
        })
        .collect();
    Ok(HtmlReport {
        title: format!("portsim sweep report: {}", results.sweep),
        subtitle: format!(
            "portsim {} · {} of {} variants complete · clearance times in hours",
            results.portsim_version, results.variants_complete, results.variants_total
        ),
        sections: vec![
            Section {
                title: "Variants".into(),
                blocks: table_blocks(head, rows),
            },
            Section {
                title: "Figures".into(),
                blocks: figure_blocks(figures)?,
            },
        ],
    })
}
