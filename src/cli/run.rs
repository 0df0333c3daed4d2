//! `portsim run`: simulate scenarios and summarise them.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use portsim::experiment::precision::run_to_precision;
use portsim::experiment::{
    Layout, PrecisionReport, RunOptions, run_replications, settle, summarize,
};
use portsim::model::flow::TraceSink;
use portsim::report::out_dir::{OutDir, Outputs};
use portsim::report::plots::PlotInput;
use portsim::report::replications_csv::replications_csv;
use portsim::report::table::{side_by_side, summary_table};
use portsim::report::trace::CsvTrace;

use super::{
    Failure, PrecisionArgs, RUN_OUTPUTS, SimArgs, bad_input, check_destination, distinct_dirs,
    fail_on_unstable, internal, load_all, no_threads, overrides, print_out, stem, write_outputs,
};

/// Flags of `portsim run`.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the summary as one JSON document (schema portsim.summary/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write summary.json, replications.csv and scenario.toml into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write one CSV row per counted shipment of the first replication to FILE.
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Draw the figures (PNG and SVG) and report.html into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after writing every result) when any scenario's run is flagged unstable:
    /// an overloaded pool, shipments left unreleased or turned away.
    #[arg(long)]
    pub fail_on_unstable: bool,
}

/// Runs each scenario and prints its summary (or the scenarios side by side).
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let overrides = overrides(&args.sim)?;
    let mut loaded = load_all(&args.scenarios, &overrides)?;
    if args.trace.is_some() && loaded.len() > 1 {
        return Err(bad_input(
            "--trace takes one scenario; give the scenarios one run each",
        ));
    }
    // Every destination is checked (and the directories claimed) before simulating.
    let mut outs = Vec::new();
    if let Some(out) = &args.out {
        for i in 0..loaded.len() {
            let dir = if loaded.len() > 1 {
                out.join(stem(&args.scenarios[i]))
            } else {
                out.clone()
            };
            let claimed =
                OutDir::claim(&dir, Outputs::Named(&RUN_OUTPUTS), args.force).map_err(bad_input)?;
            distinct_dirs(&claimed, args.plots.as_deref())?;
            outs.push(claimed);
        }
    }
    if let Some(path) = &args.trace {
        check_destination("--trace", path)?;
    }
    let plots = super::plot::guard(args.plots.as_deref(), args.force)?;
    // `warmup = "auto"`: each such warm-up is estimated from a pilot run first.
    for s in &mut loaded {
        settle(&mut s.model);
    }
    let mut documents = Vec::with_capacity(loaded.len());
    let mut summaries = Vec::with_capacity(loaded.len());
    let mut stdout = std::io::stdout().lock();
    for (i, s) in loaded.iter().enumerate() {
        let mut trace = match &args.trace {
            Some(path) => Some(CsvTrace::create(path, &s.model).map_err(|e| {
                internal(format!(
                    "{}: cannot create the trace file: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let started = Instant::now();
        let options = RunOptions {
            jobs: args.sim.jobs.map(|j| j as usize),
            trace: trace.as_mut().map(|t| t as &mut dyn TraceSink),
        };
        let (results, status) = match args.precision.rule() {
            Some(rule) => run_to_precision(&s.model, &rule, options)
                .map(|(r, status)| (r, Some((rule, status)))),
            None => run_replications(&s.model, options).map(|r| (r, None)),
        }
        .map_err(no_threads)?;
        let layout = Layout::of(&s.model);
        let mut summary = summarize(
            &layout,
            &s.sha256,
            &results,
            started.elapsed().as_secs_f64(),
        );
        summary.precision = status.map(|(rule, status)| PrecisionReport {
            target: rule.relative,
            achieved: status.achieved,
            met: status.met,
            replications: status.replications,
            max_replications: rule.max_replications,
        });
        if let (Some(path), Some(trace)) = (&args.trace, trace) {
            trace.finish().map_err(|e| {
                internal(format!(
                    "{}: cannot write the trace file: {e}",
                    path.display()
                ))
            })?;
        }
        for warning in summary.warnings() {
            eprintln!("warning: {}: {warning}", s.file);
        }
        let json = summary.to_json();
        if let Some(out) = outs.get(i) {
            write_outputs(
                out,
                &json,
                &replications_csv(&layout, &results),
                &s.resolved_toml,
            )?;
        }
        if args.json {
            documents.push(json);
        } else if loaded.len() == 1 {
            print_out(&mut stdout, summary_table(&summary).trim_end())?;
        }
        summaries.push(summary);
    }
    if !args.json && summaries.len() > 1 {
        print_out(&mut stdout, side_by_side(&summaries).trim_end())?;
    }
    if let Some(dir) = &plots {
        let values = summaries.clone();
        super::plot::draw(
            &PlotInput::Runs {
                summaries: values,
                notes: Vec::new(),
            },
            dir,
        )?;
    }
    if args.json {
        let doc = if documents.len() == 1 {
            documents.pop().unwrap_or_default()
        } else {
            // Several scenarios: one JSON array of summaries, still one document.
            let parsed: Vec<serde_json::Value> = documents
                .iter()
                .map(|d| serde_json::from_str(d).expect("our own JSON"))
                .collect();
            let mut s = serde_json::to_string_pretty(&parsed).expect("serialises");
            s.push('\n');
            s
        };
        print_out(&mut stdout, doc.trim_end())?;
    }
    if args.fail_on_unstable {
        let verdicts: Vec<(String, Vec<String>)> = loaded
            .iter()
            .zip(&summaries)
            .map(|(s, summary)| (s.file.clone(), summary.unstable_parts()))
            .collect();
        fail_on_unstable(&verdicts)?;
    }
    Ok(())
}
