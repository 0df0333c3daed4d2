//! Running scenarios: load them all, claim every destination, then simulate each and
//! write its files — what `portsim run` does, for any caller.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::Instant;

use super::error::Error;
use super::observer::{Observer, Offset};
use super::outputs::{check_destination, claim, claim_plots, draw, write_set};
use super::scenarios::{SimSettings, Source, load_all, stem, warn_loaded};
use crate::engine::SimTime;
use crate::experiment::jobs::{Job, JobRecord, resume_jobs, run_jobs};
use crate::experiment::precision::Precision;
use crate::experiment::replications::checkpoints_unless_stopped;
use crate::experiment::{Layout, RunOptions, SummarizedRun, settle, simulate, summarize};
use crate::model::Model;
use crate::model::flow::{Checkpoint, TraceSink};
use crate::report::long_csv::{CsvFormat, long_name, replications_long_csv};
use crate::report::out_dir::{OutDir, Outputs};
use crate::report::plots::PlotInput;
use crate::report::replications_csv::replications_csv;
use crate::report::trace::{CsvTrace, size_warning};
use crate::scenario::LoadedScenario;

/// The files `run` writes into each output directory.
pub const RUN_OUTPUTS: [&str; 3] = ["summary.json", "replications.csv", "scenario.toml"];

/// What to run and where its results go.
#[derive(Clone, Debug, Default)]
pub struct RunRequest {
    /// Scenario files (TOML).
    pub scenarios: Vec<PathBuf>,
    /// Overrides and threads.
    pub sim: SimSettings,
    /// Add replications in batches until this precision is met.
    pub precision: Option<Precision>,
    /// Write `summary.json`, `replications.csv` and `scenario.toml` here (one
    /// subdirectory per scenario when there are several).
    pub out: Option<PathBuf>,
    /// Write one CSV row per counted shipment of the first replication here (one
    /// scenario only).
    pub trace: Option<PathBuf>,
    /// Draw the figures and `report.html` here.
    pub plots: Option<PathBuf>,
    /// Let `out` and `plots` replace files portsim did not write there.
    pub force: bool,
    /// `Long`: also write `replications-long.csv` into `out`.
    pub csv_format: CsvFormat,
}

/// The files `run` writes into each output directory in `format`.
pub fn run_outputs(format: CsvFormat) -> Vec<String> {
    let mut names: Vec<String> = RUN_OUTPUTS.map(String::from).to_vec();
    if format == CsvFormat::Long {
        names.push(long_name("replications.csv"));
    }
    names
}

/// One scenario's run.
pub struct RunOutcome {
    /// The scenario as loaded (overrides applied, warm-up settled).
    pub scenario: LoadedScenario,
    /// Its replications, layout and summary.
    pub run: SummarizedRun,
}

/// Runs every scenario of `request` in order and writes its files; nothing runs until
/// every scenario has loaded and every destination is accepted.
pub fn run(request: &RunRequest, observer: &dyn Observer) -> Result<Vec<RunOutcome>, Error> {
    let overrides = request.sim.overrides()?;
    let loaded = load_all(&request.scenarios, &overrides, observer)?;
    if request.trace.is_some() && loaded.len() > 1 {
        return Err(Error::bad_input(
            "--trace takes one scenario; give the scenarios one run each",
        ));
    }
    let mut outs = Vec::new();
    let out_names = run_outputs(request.csv_format);
    let out_names: Vec<&str> = out_names.iter().map(String::as_str).collect();
    if let Some(out) = &request.out {
        for path in &request.scenarios {
            let dir = if loaded.len() > 1 {
                out.join(stem(path))
            } else {
                out.clone()
            };
            outs.push(claim(&dir, Outputs::Named(&out_names), request.force)?);
        }
    }
    if let Some(path) = &request.trace {
        check_destination("--trace", path)?;
    }
    let plots = claim_plots(request.plots.as_deref(), &outs, request.force)?;
    let mut outcomes = Vec::with_capacity(loaded.len());
    // One progress display for all scenarios' replications.
    let total: u64 = loaded.iter().map(|s| u64::from(s.model.replications)).sum();
    let mut before = 0;
    for (i, mut scenario) in loaded.into_iter().enumerate() {
        let whole = Offset {
            inner: observer,
            before,
            total,
        };
        let run = run_scenario(&mut scenario, request, &whole)?;
        before += run.results.len() as u64;
        if let Some(out) = outs.get(i) {
            let csv = replications_csv(&run.layout, &run.results);
            let long = (request.csv_format == CsvFormat::Long)
                .then(|| replications_long_csv(&run.layout, &run.results));
            let files = RunFiles {
                json: &run.summary.to_json(),
                csv: &csv,
                long: long.as_deref(),
                scenario: &scenario.resolved_toml,
            };
            write_outputs(out, &files)?;
        }
        outcomes.push(RunOutcome { scenario, run });
    }
    observer.finished();
    if let Some(dir) = &plots {
        let input = PlotInput::Runs {
            summaries: outcomes.iter().map(|o| o.run.summary.clone()).collect(),
            notes: Vec::new(),
        };
        draw(&input, dir, observer)?;
    }
    Ok(outcomes)
}

/// Settles the warm-up and simulates one loaded scenario as `run` does — `request`
/// gives the threads, the precision rule and the trace file (its scenarios, `out` and
/// `plots` are not looked at) — passing on the summary's warnings. For callers that
/// load scenarios themselves (from text, say: [`crate::scenario::load_str`]).
pub fn run_scenario(
    scenario: &mut LoadedScenario,
    request: &RunRequest,
    observer: &dyn Observer,
) -> Result<SummarizedRun, Error> {
    settle(&mut scenario.model);
    if let Some(warning) = request
        .trace
        .as_deref()
        .and_then(|path| size_warning(path, &scenario.model))
    {
        observer.warning(&warning);
    }
    let mut trace = match &request.trace {
        Some(path) => Some(CsvTrace::create(path, &scenario.model).map_err(|e| {
            Error::internal(format!(
                "{}: cannot create the trace file: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let run = simulate_reporting(
        &scenario.model,
        &scenario.sha256,
        request.precision.as_ref(),
        request.sim.jobs,
        trace.as_mut().map(|t| t as &mut dyn TraceSink),
        observer,
    )?;
    if let (Some(path), Some(trace)) = (&request.trace, trace) {
        trace.finish().map_err(|e| {
            Error::internal(format!(
                "{}: cannot write the trace file: {e}",
                path.display()
            ))
        })?;
    }
    for warning in run.summary.warnings() {
        observer.warning(&format!("{}: {warning}", scenario.file));
    }
    Ok(run)
}

/// Loads `source` with `sim`'s overrides (in the command line's order: `set`, policy,
/// seed, replications) and simulates it as `run` does — the same summary, byte for byte
/// apart from `wall_seconds` — on `sim.jobs` threads, telling `observer` of each
/// replication done and stopping between replications when its stop flag is set
/// ([`ErrorKind::Interrupted`](super::ErrorKind::Interrupted)). For callers without
/// files to write (the Python package, say).
pub fn run_source(
    source: &Source,
    sim: &SimSettings,
    observer: &dyn Observer,
) -> Result<RunOutcome, Error> {
    let mut scenario = source.load(&sim.overrides()?)?;
    warn_loaded(&scenario.file, &scenario.warnings, observer);
    settle(&mut scenario.model);
    let run = simulate_observed(&scenario.model, &scenario.sha256, sim.jobs, observer)?;
    for warning in run.summary.warnings() {
        observer.warning(&format!("{}: {warning}", scenario.file));
    }
    Ok(RunOutcome { scenario, run })
}

/// Simulates `model` as [`simulate`] does — the same summary — telling `observer` of
/// each replication done. The replications run on a scoped thread of their own, so that
/// `observer` hears the news on this thread, as [`Observer`] promises.
pub fn simulate_reporting(
    model: &Model,
    scenario_sha256: &str,
    precision: Option<&Precision>,
    jobs: Option<usize>,
    trace: Option<&mut dyn TraceSink>,
    observer: &dyn Observer,
) -> Result<SummarizedRun, Error> {
    let (tx, rx) = mpsc::channel::<(u64, u64)>();
    observer.progress(0, u64::from(model.replications));
    let run = std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut trace = trace;
            // Reborrowed with the run's (shorter) lifetime, that of `tell`: the object's
            // lifetime must shrink too, which `as_deref_mut` does not do.
            #[allow(clippy::option_as_ref_deref)]
            let trace = trace.as_mut().map(|t| -> &mut dyn TraceSink { &mut **t });
            // The sender goes with the closure: when the run ends, the loop below ends.
            let tell = move |done, planned| {
                // The receiver lives until the run ends; a failed send cannot happen.
                let _ = tx.send((done, planned));
            };
            let options = RunOptions {
                jobs,
                trace,
                progress: Some(&tell),
            };
            simulate(model, scenario_sha256, precision, options)
        });
        for (done, planned) in rx {
            observer.progress(done, planned);
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    run.map_err(Error::no_threads)
}

/// Runs `model`'s replications on `jobs` threads (`None`: one per core) and summarises
/// them as [`simulate`] does without a precision rule (the same results: a replication
/// depends only on the model and its number). `observer` hears `progress` after each
/// replication, on this thread; once its stop flag is set no new replication starts and
/// the call returns [`Error::interrupted`] when the running ones are done.
pub fn simulate_observed(
    model: &Model,
    scenario_sha256: &str,
    jobs: Option<usize>,
    observer: &dyn Observer,
) -> Result<SummarizedRun, Error> {
    simulate_observed_from(model, None, scenario_sha256, jobs, observer)
}

/// The instant `t` of `model`'s run as its calendar's date and time to the minute, as
/// notes about shared days name it.
pub(crate) fn instant_text(model: &Model, t: SimTime) -> String {
    model
        .calendar
        .datetime_at(t)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// `model`'s replications run to `until` and stopped there, to be continued by
/// [`simulate_observed_from`] under every model that runs alike that far
/// ([`Model::runs_alike_until`]). `observer` hears `note`, if any (its `{}` the instant
/// as a date and time), and may stop it: no replication starts once its flag is set,
/// and the call returns [`Error::interrupted`] naming `what` was being run.
pub fn shared_days<'a>(
    model: &'a Model,
    until: SimTime,
    jobs: Option<usize>,
    observer: &dyn Observer,
    note: Option<&str>,
    what: &str,
) -> Result<Vec<Checkpoint<'a>>, Error> {
    if let Some(note) = note {
        observer.note(&note.replace("{}", &instant_text(model, until)));
    }
    let never = AtomicBool::new(false);
    let stop = observer.stop_flag().unwrap_or(&never);
    checkpoints_unless_stopped(model, until, jobs, stop)
        .map_err(Error::no_threads)?
        .ok_or_else(|| Error::interrupted(format!("stopped while running {what}")))
}

/// [`simulate_observed`], each replication continued from `stopped` (one checkpoint per
/// replication, in order) when given: the same results when `model` is the same as the
/// stopped replications' up to their stop (see [`Checkpoint::resume`]).
pub fn simulate_observed_from(
    model: &Model,
    stopped: Option<&[Checkpoint<'_>]>,
    scenario_sha256: &str,
    jobs: Option<usize>,
    observer: &dyn Observer,
) -> Result<SummarizedRun, Error> {
    let started = Instant::now();
    let total = u64::from(model.replications);
    let list: Vec<Job> = (0..model.replications)
        .map(|replication| Job {
            variant: 0,
            replication,
        })
        .collect();
    let never = AtomicBool::new(false);
    let stop = observer.stop_flag().unwrap_or(&never);
    let mut results = Vec::with_capacity(list.len());
    observer.progress(0, total);
    let on_done = |record: JobRecord| {
        results.push(record.result);
        observer.progress(results.len() as u64, total);
    };
    match stopped {
        Some(stopped) => resume_jobs(&[model], stopped, &list, jobs, stop, on_done),
        None => run_jobs(&[model], &list, jobs, stop, on_done),
    }
    .map_err(Error::no_threads)?;
    if results.len() < list.len() {
        return Err(Error::interrupted(format!(
            "stopped after {} of {total} replications",
            results.len()
        )));
    }
    // Jobs finish in any order; the summary reads them in replication order.
    results.sort_by_key(|r| r.replication);
    let layout = Layout::of(model);
    let summary = summarize(
        &layout,
        scenario_sha256,
        &results,
        started.elapsed().as_secs_f64(),
    );
    Ok(SummarizedRun {
        results,
        layout,
        summary,
    })
}

/// The texts of one run's files.
struct RunFiles<'a> {
    json: &'a str,
    csv: &'a str,
    /// `replications-long.csv`, with `--format long`.
    long: Option<&'a str>,
    scenario: &'a str,
}

/// Writes one run's files into `out` as one set (see [`OutDir::commit`]).
fn write_outputs(out: &OutDir, f: &RunFiles<'_>) -> Result<(), Error> {
    let mut files: Vec<(&str, &[u8])> = RUN_OUTPUTS
        .into_iter()
        .zip([f.json.as_bytes(), f.csv.as_bytes(), f.scenario.as_bytes()])
        .collect();
    let long_file = long_name("replications.csv");
    if let Some(long) = f.long {
        files.push((&long_file, long.as_bytes()));
    }
    write_set(out, &files, &[])
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::api::ErrorKind;

    /// The M/M/1 validation scenario's text (a short window is set where it runs).
    fn mm1() -> String {
        std::fs::read_to_string("scenarios/validation/mm1.toml").expect("shipped")
    }

    /// A short window: the run only has to agree with itself.
    fn short() -> Vec<String> {
        ["horizon_days=30", "warmup_days=2", "replications=4"]
            .map(String::from)
            .to_vec()
    }

    /// Keeps the progress it hears; stops once `stop` is set.
    #[derive(Default)]
    struct Recorder {
        progress: Mutex<Vec<(u64, u64)>>,
        stop: AtomicBool,
    }

    impl Observer for Recorder {
        fn progress(&self, done: u64, total: u64) {
            self.progress.lock().unwrap().push((done, total));
        }

        fn stop_flag(&self) -> Option<&AtomicBool> {
            Some(&self.stop)
        }
    }

    fn text() -> Source {
        Source::Text {
            name: "mm1".into(),
            text: mm1(),
        }
    }

    #[test]
    fn an_observed_run_summarises_as_run_does() {
        let mut set = short();
        set.push("pools.servers.staff=2".into());
        let sim = SimSettings {
            set,
            seed: Some(9),
            jobs: Some(2),
            ..SimSettings::default()
        };
        let recorder = Recorder::default();
        let observed = run_source(&text(), &sim, &recorder).unwrap();
        let mut loaded = text().load(&sim.overrides().unwrap()).unwrap();
        settle(&mut loaded.model);
        let plain = simulate(&loaded.model, &loaded.sha256, None, RunOptions::default()).unwrap();
        let mut a = observed.run.summary;
        let mut b = plain.summary;
        (a.wall_seconds, b.wall_seconds) = (0.0, 0.0);
        assert_eq!(a.to_json(), b.to_json());
        assert_eq!(a.seed, 9);
        assert_eq!(observed.scenario.model.pools[0].name, "servers");
        let heard = recorder.progress.lock().unwrap().clone();
        assert_eq!(heard.first(), Some(&(0, 4)));
        assert_eq!(heard.last(), Some(&(4, 4)));
    }

    #[test]
    fn a_stopped_run_is_interrupted() {
        let recorder = Recorder::default();
        recorder.stop.store(true, Ordering::SeqCst);
        let sim = SimSettings {
            set: short(),
            ..SimSettings::default()
        };
        let err = run_source(&text(), &sim, &recorder)
            .err()
            .expect("stopped before any replication");
        assert_eq!(err.kind, ErrorKind::Interrupted);
    }

    #[test]
    fn text_is_named_in_its_errors() {
        let bad = Source::Text {
            name: "notebook".into(),
            text: mm1().replace("staff = 1", "staff = -1"),
        };
        assert_eq!(bad.name(), "notebook");
        let err = bad.load(&[]).expect_err("a negative staff is refused");
        assert_eq!(err.kind, ErrorKind::BadInput);
        assert_eq!(err.file.as_deref(), Some("notebook"));
        assert_eq!(err.line, Some(13));
        assert!(
            err.message
                .starts_with("notebook:13: pools.servers.staff: ")
        );
    }
}
