//! `portsim._portsim`: the native half of the Python package, a thin layer over the
//! library's front door ([`portsim::api`]).
//!
//! Every simulating call runs on a thread of its own while the calling thread waits
//! with the GIL released, waking every few milliseconds to let Python handle signals:
//! Ctrl-C sets the observer's stop flag (no new replication starts) and raises
//! `KeyboardInterrupt` at once. Documents cross over as the command line's JSON text,
//! tables as JSON columns; the Python half (`portsim/__init__.py`) turns them into dicts
//! and DataFrames.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt, PyUserWarning};
use pyo3::prelude::*;
use serde_json::{Map, Value, json};

use portsim::api::compare::{CompareOutcome, CompareRequest, compare_sources};
use portsim::api::roster::{RosterOutcome, RosterRequest, requirement_csv, roster_source};
use portsim::api::run::{RunOutcome, run_source};
use portsim::api::scenarios::Source;
use portsim::api::staff::{StaffOutcome, StaffRequest, staff_source};
use portsim::api::sweep::{SweepRequest, sweep as run_sweep};
use portsim::api::{Error, ErrorKind, Observer, SimSettings};
use portsim::experiment::SummarizedRun;
use portsim::report::export::{Export, Format, Runs, Sweep};
use portsim::report::sweep::results_csv;
use portsim::results::metrics::{
    Figure, FlowMetric, FlowTally, Metric, PoolMetric, RunMetric, Spec, Unit,
};
use portsim::roster::day_types::DayTyping;
use portsim::scenario::LoadedScenario;

create_exception!(
    _portsim,
    PortsimError,
    PyException,
    "A portsim failure; `kind` says which: bad_input, not_met, internal or interrupted."
);
create_exception!(
    _portsim,
    ScenarioError,
    PortsimError,
    "Bad input: a scenario file, a `set` value, a policy or an argument. The message is \
     the command line's located line; `path`, `line`, `key` and `flag` say where, when known."
);
create_exception!(
    _portsim,
    PortsimWarning,
    PyUserWarning,
    "Something legal but most likely not meant: an overloaded pool, shipments left unreleased."
);

/// How often the waiting thread wakes to let Python handle signals (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(20);

/// The library's error as a Python exception, its location as attributes.
fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let err = match e.kind {
        ErrorKind::BadInput => ScenarioError::new_err(e.message.clone()),
        ErrorKind::Interrupted => PyKeyboardInterrupt::new_err(e.message.clone()),
        ErrorKind::NotMet | ErrorKind::Internal => PortsimError::new_err(e.message.clone()),
    };
    let kind = match e.kind {
        ErrorKind::BadInput => "bad_input",
        ErrorKind::NotMet => "not_met",
        ErrorKind::Internal => "internal",
        ErrorKind::Interrupted => "interrupted",
    };
    let value = err.value(py);
    // Attributes on a fresh exception object cannot fail to be set.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("path", e.file);
    let _ = value.setattr("line", e.line);
    let _ = value.setattr("key", e.key);
    let _ = value.setattr("flag", e.flag);
    err
}

/// The observer a Python call gives the library: warnings kept for the calling thread to
/// raise as Python warnings, progress passed to a callable, and a stop flag.
struct PyObserver {
    stop: AtomicBool,
    progress: Option<Py<PyAny>>,
    /// Done and total of the work so far, over pieces that each count from 0 (a
    /// comparison's two sides, a search's candidates): (base, last done, last total).
    counts: Mutex<(u64, u64, u64)>,
    warnings: Mutex<Vec<String>>,
    /// The first exception the progress callable raised; the work stops on it.
    failed: Mutex<Option<PyErr>>,
}

impl PyObserver {
    fn new(progress: Option<Py<PyAny>>) -> PyObserver {
        PyObserver {
            stop: AtomicBool::new(false),
            progress,
            counts: Mutex::new((0, 0, 0)),
            warnings: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
        }
    }
}

impl Observer for PyObserver {
    fn warning(&self, text: &str) {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(text.to_string());
    }

    fn progress(&self, done: u64, total: u64) {
        let Some(callback) = &self.progress else {
            return;
        };
        if self.stop.load(Ordering::SeqCst) {
            return;
        }
        let (done, total) = {
            let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            // A new piece starts from 0 after the last one finished: count on from it.
            if done == 0 && c.2 > 0 && c.1 == c.2 {
                c.0 += c.2;
            }
            (c.1, c.2) = (done, total);
            (c.0 + done, c.0 + total)
        };
        Python::with_gil(|py| {
            if let Err(e) = callback.call1(py, (done, total)) {
                self.stop.store(true, Ordering::SeqCst);
                self.failed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
            }
        });
    }

    fn stop_flag(&self) -> Option<&AtomicBool> {
        Some(&self.stop)
    }
}

/// Runs `work` on a thread of its own while this thread waits with the GIL released,
/// handling signals between waits: an exception from a signal handler (Ctrl-C's
/// `KeyboardInterrupt`) asks the work to stop and is raised at once — the worker ends
/// after the replications it has in hand, its results dropped. Warnings are raised as
/// `PortsimWarning` when the work is done.
fn detached<T: Send + 'static>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: impl FnOnce(&PyObserver) -> Result<T, Error> + Send + 'static,
) -> PyResult<T> {
    let observer = Arc::new(PyObserver::new(progress));
    let (tx, rx) = mpsc::channel();
    let worker = Arc::clone(&observer);
    std::thread::Builder::new()
        .name("portsim".into())
        .spawn(move || {
            // The receiver is gone only if the caller was interrupted: nothing to tell.
            let _ = tx.send(work(&worker));
        })
        .map_err(|e| PortsimError::new_err(format!("cannot start a worker thread: {e}")))?;
    // A receiver is not Sync; the lock lets the GIL-free closure borrow it.
    let rx = Mutex::new(rx);
    let result = loop {
        let got = py.allow_threads(|| {
            rx.lock()
                .unwrap_or_else(|e| e.into_inner())
                .recv_timeout(SIGNAL_POLL)
        });
        match got {
            Ok(result) => break result,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = py.check_signals() {
                    observer.stop.store(true, Ordering::SeqCst);
                    return Err(e);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PortsimError::new_err(
                    "the simulation thread ended without a result (a panic: please report it)",
                ));
            }
        }
    };
    if let Some(e) = observer
        .failed
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        return Err(e);
    }
    let warnings =
        std::mem::take(&mut *observer.warnings.lock().unwrap_or_else(|e| e.into_inner()));
    let warn = py.import("warnings")?.getattr("warn")?;
    for text in warnings {
        warn.call1((text, py.get_type::<PortsimWarning>(), 3))?;
    }
    result.map_err(|e| to_py(py, e))
}

/// The settings of a call: the scenario's overrides, then the call's own.
fn settings(
    set: &[String],
    policy: Option<String>,
    replications: Option<u32>,
    seed: Option<u64>,
    jobs: Option<usize>,
) -> SimSettings {
    SimSettings {
        set: set.to_vec(),
        policy,
        seed,
        replications,
        jobs,
    }
}

/// A scenario with its overrides, loaded and checked.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeScenario {
    source: Source,
    set: Vec<String>,
    policy: Option<String>,
    loaded: LoadedScenario,
}

impl NativeScenario {
    fn load(
        py: Python<'_>,
        source: Source,
        set: Vec<String>,
        policy: Option<String>,
    ) -> PyResult<Self> {
        let sim = settings(&set, policy.clone(), None, None, None);
        let loaded = sim
            .overrides()
            .and_then(|o| source.load(&o))
            .map_err(|e| to_py(py, e))?;
        Ok(NativeScenario {
            source,
            set,
            policy,
            loaded,
        })
    }
}

#[pymethods]
impl NativeScenario {
    /// Loads a scenario file with `set` (`PATH=VALUE` strings, in order) and a policy.
    #[staticmethod]
    #[pyo3(signature = (path, set, policy=None))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        set: Vec<String>,
        policy: Option<String>,
    ) -> PyResult<Self> {
        NativeScenario::load(py, Source::File(path), set, policy)
    }

    /// Loads scenario text; `name` stands for the file in messages.
    #[staticmethod]
    #[pyo3(signature = (text, name, set, policy=None))]
    fn from_text(
        py: Python<'_>,
        text: String,
        name: String,
        set: Vec<String>,
        policy: Option<String>,
    ) -> PyResult<Self> {
        NativeScenario::load(py, Source::Text { name, text }, set, policy)
    }

    /// What the scenario is, as JSON: file, name, policy, seed, replications, window,
    /// modes and pools, the resolved TOML and its hash, load-time warnings.
    fn info_json(&self) -> String {
        let s = &self.loaded;
        let m = &s.model;
        json!({
            "file": s.file,
            "name": m.name,
            "policy": m.policy,
            "seed": m.seed,
            "replications": m.replications,
            "horizon_hours": m.horizon.hours(),
            "modes": m.modes.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
            "pools": m.pools.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
            "resolved_toml": s.resolved_toml,
            "scenario_sha256": s.sha256,
            "warnings": s.warnings,
        })
        .to_string()
    }

    /// Simulates the scenario as `portsim run` does.
    #[pyo3(signature = (replications=None, seed=None, jobs=None, progress=None))]
    fn run(
        &self,
        py: Python<'_>,
        replications: Option<u32>,
        seed: Option<u64>,
        jobs: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativeRun> {
        let source = self.source.clone();
        let sim = settings(&self.set, self.policy.clone(), replications, seed, jobs);
        let outcome = detached(py, progress, move |o| run_source(&source, &sim, o))?;
        Ok(NativeRun { outcome })
    }

    /// Compares two policies of this scenario (`policies`), or this scenario (A) with
    /// `other` (B), as `portsim compare` does.
    #[pyo3(signature = (policies=None, other=None, replications=None, seed=None, jobs=None, progress=None))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments, one each.
    fn compare(
        &self,
        py: Python<'_>,
        policies: Option<(String, String)>,
        other: Option<PyRef<'_, NativeScenario>>,
        replications: Option<u32>,
        seed: Option<u64>,
        jobs: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativeCompare> {
        let (sources, sim, only) = match &other {
            // Two scenarios: each side's own overrides are its `--set-a`/`--set-b`.
            Some(b) => {
                let own = |s: &NativeScenario| {
                    let mut set = s.set.clone();
                    set.extend(s.policy.as_ref().map(|p| format!("policy={p}")));
                    set
                };
                (
                    vec![self.source.clone(), b.source.clone()],
                    settings(&[], None, replications, seed, jobs),
                    [own(self), own(b)],
                )
            }
            // One scenario: both policies replace its own.
            None => (
                vec![self.source.clone()],
                settings(&self.set, None, replications, seed, jobs),
                [Vec::new(), Vec::new()],
            ),
        };
        if other.is_some() && policies.is_some() {
            return Err(to_py(
                py,
                Error::bad_input(
                    "compare takes two policies of one scenario, or two scenarios: not both",
                ),
            ));
        }
        let request = CompareRequest {
            scenarios: Vec::new(),
            policies,
            sim,
            only,
            ..CompareRequest::default()
        };
        let outcome = detached(py, progress, move |o| {
            compare_sources(&sources, &request, o)
        })?;
        Ok(NativeCompare { outcome })
    }

    /// Searches the smallest value of the `vary` paths meeting every target, as
    /// `portsim staff` does.
    #[pyo3(signature = (vary, targets, max, min=1, replications=None, seed=None, jobs=None, progress=None))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments, one each.
    fn staff(
        &self,
        py: Python<'_>,
        vary: Vec<String>,
        targets: Vec<String>,
        max: i64,
        min: i64,
        replications: Option<u32>,
        seed: Option<u64>,
        jobs: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativeStaff> {
        let source = self.source.clone();
        let request = StaffRequest {
            scenario: PathBuf::new(),
            targets,
            vary,
            min,
            max,
            sim: settings(&self.set, self.policy.clone(), replications, seed, jobs),
        };
        let outcome = detached(py, progress, move |o| staff_source(&source, &request, o))?;
        Ok(NativeStaff { outcome })
    }

    /// Designs the cheapest roster of `pools` over `window`, as `portsim roster` does.
    #[pyo3(signature = (pools, window=None, day_types="peak-workday".to_string(), targets=Vec::new(), delay_probability=0.2, shift_lengths=vec![8, 10, 12], starts_every=1, max_per_shift=None, max_iterations=20, replications=None, seed=None, jobs=None, progress=None))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments, one each.
    fn roster(
        &self,
        py: Python<'_>,
        pools: Vec<String>,
        window: Option<String>,
        day_types: String,
        targets: Vec<String>,
        delay_probability: f64,
        shift_lengths: Vec<u32>,
        starts_every: u32,
        max_per_shift: Option<u32>,
        max_iterations: u32,
        replications: Option<u32>,
        seed: Option<u64>,
        jobs: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativeRoster> {
        let day_typing = DayTyping::parse(&day_types)
            .map_err(|m| to_py(py, Error::bad_input(format!("day_types: {m}"))))?;
        let source = self.source.clone();
        let request = RosterRequest {
            pools,
            window,
            day_typing,
            targets,
            delay_probability,
            shift_lengths,
            starts_every,
            max_per_shift,
            max_iterations,
            sim: settings(&self.set, self.policy.clone(), replications, seed, jobs),
            ..RosterRequest::default()
        };
        let outcome = detached(py, progress, move |o| roster_source(&source, &request, o))?;
        Ok(NativeRoster { outcome })
    }
}

/// A column name with its unit where the name does not say it (hours: `_h`).
fn column(spec: Spec) -> String {
    match spec.unit {
        Unit::Hours => format!("{}_h", spec.name),
        _ => spec.name.to_string(),
    }
}

/// A figure as a JSON value (a number, or null when there was nothing to measure).
fn figure(f: Option<Figure>) -> Value {
    match f {
        Some(Figure::Count(n)) => json!(n),
        Some(Figure::Number(x)) => json!(x),
        Some(Figure::Flag(b)) => json!(b),
        _ => Value::Null,
    }
}

/// Rows as JSON columns: `{"column": [values...]}`, in the order first seen.
#[derive(Default)]
struct Columns(Map<String, Value>);

impl Columns {
    fn push(&mut self, row: Vec<(String, Value)>) {
        for (name, value) in row {
            if let Value::Array(cells) = self.0.entry(name).or_insert_with(|| json!([])) {
                cells.push(value);
            }
        }
    }

    fn json(self) -> String {
        Value::Object(self.0).to_string()
    }
}

/// One row per replication × flow (`overall`, the headline modes together, then each
/// mode), as JSON columns.
fn replication_columns(run: &SummarizedRun) -> String {
    let mut out = Columns::default();
    for r in &run.results {
        let head = |flow: &str, headline: Option<bool>| {
            vec![
                ("replication".to_string(), json!(r.replication)),
                ("mode".to_string(), json!(flow)),
                ("headline".to_string(), json!(headline)),
                (
                    column(RunMetric::Events.spec()),
                    figure(RunMetric::Events.of_replication(r)),
                ),
            ]
        };
        let flow_cells = |row: &mut Vec<(String, Value)>, t: &FlowTally<'_>| {
            for m in FlowMetric::ALL {
                if let Some(f) = m.of_replication(t) {
                    row.push((column(m.spec()), figure(Some(f))));
                }
            }
        };
        let headline = r
            .modes
            .iter()
            .zip(&run.layout.modes)
            .filter(|(_, mode)| mode.headline)
            .map(|(m, _)| m);
        let mut row = head("overall", None);
        flow_cells(&mut row, &FlowTally::merged(headline));
        out.push(row);
        for (m, mode) in r.modes.iter().zip(&run.layout.modes) {
            let mut row = head(&mode.name, Some(mode.headline));
            flow_cells(&mut row, &FlowTally::of_mode(m));
            out.push(row);
        }
    }
    out.json()
}

/// One row per replication × pool, as JSON columns.
fn pool_columns(run: &SummarizedRun) -> String {
    let mut out = Columns::default();
    for r in &run.results {
        for (p, name) in r.pools.iter().zip(&run.layout.pools) {
            let mut row = vec![
                ("replication".to_string(), json!(r.replication)),
                ("pool".to_string(), json!(name)),
            ];
            for m in PoolMetric::ALL {
                if let Some(f) = m.of_replication(p) {
                    row.push((column(m.spec()), figure(Some(f))));
                }
            }
            out.push(row);
        }
    }
    out.json()
}

/// One scenario's run: its replications and summary.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeRun {
    outcome: RunOutcome,
}

#[pymethods]
impl NativeRun {
    /// The `portsim.summary/1` document, as `portsim run --json` prints it.
    fn summary_json(&self) -> String {
        Runs(std::slice::from_ref(&self.outcome.run.summary)).render(Format::Json)
    }

    /// One row per replication × flow (`overall`, the headline modes together, then each
    /// mode), as JSON columns.
    fn replications_json(&self) -> String {
        replication_columns(&self.outcome.run)
    }

    /// One row per replication × pool, as JSON columns.
    fn pools_json(&self) -> String {
        pool_columns(&self.outcome.run)
    }

    /// The scenario as resolved after the overrides (what `run --out` writes as
    /// `scenario.toml`).
    fn resolved_toml(&self) -> String {
        self.outcome.scenario.resolved_toml.clone()
    }
}

/// A comparison of B against A.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeCompare {
    outcome: CompareOutcome,
}

#[pymethods]
impl NativeCompare {
    /// The `portsim.compare/1` document, as `portsim compare --json` prints it.
    fn summary_json(&self) -> String {
        self.outcome.report().render(Format::Json)
    }

    /// Side `k`'s (0: A, 1: B) `portsim.summary/1` document.
    fn side_summary_json(&self, k: usize) -> PyResult<String> {
        Ok(Runs(std::slice::from_ref(&self.side(k)?.summary)).render(Format::Json))
    }

    /// Side `k`'s replications, as [`NativeRun::replications_json`].
    fn side_replications_json(&self, k: usize) -> PyResult<String> {
        Ok(replication_columns(self.side(k)?))
    }

    /// Side `k`'s pools, as [`NativeRun::pools_json`].
    fn side_pools_json(&self, k: usize) -> PyResult<String> {
        Ok(pool_columns(self.side(k)?))
    }
}

impl NativeCompare {
    fn side(&self, k: usize) -> PyResult<&SummarizedRun> {
        self.outcome
            .runs
            .get(k)
            .ok_or_else(|| PortsimError::new_err(format!("no side {k}: 0 is A, 1 is B")))
    }
}

/// A staffing search.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeStaff {
    outcome: StaffOutcome,
}

#[pymethods]
impl NativeStaff {
    /// The smallest value meeting every target, or None.
    #[getter]
    fn answer(&self) -> Option<i64> {
        self.outcome.search.answer
    }

    /// The `portsim.staff/1` document, as `portsim staff --json` prints it.
    fn summary_json(&self) -> String {
        self.outcome.report().render(Format::Json)
    }
}

/// A designed roster.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeRoster {
    outcome: RosterOutcome,
}

#[pymethods]
impl NativeRoster {
    /// The `portsim.roster/1` document, as `portsim roster --json` prints it.
    fn summary_json(&self) -> String {
        self.outcome.document.render(Format::Json)
    }

    /// The roster as scenario TOML to append to the scenario (`roster.toml`).
    fn toml(&self) -> String {
        self.outcome.document.toml.clone()
    }

    /// The requirement hour by hour as CSV (`requirement.csv`).
    fn requirement_csv(&self) -> String {
        requirement_csv(&self.outcome.document)
    }
}

/// A sweep's results.
#[pyclass(module = "portsim._portsim", frozen)]
struct NativeSweep {
    document: String,
    results_csv: String,
}

#[pymethods]
impl NativeSweep {
    /// The `portsim.sweep/1` document, as `portsim sweep --json` prints it.
    fn summary_json(&self) -> String {
        self.document.clone()
    }

    /// The sweep's `results.csv`: one row per variant.
    fn results_csv(&self) -> String {
        self.results_csv.clone()
    }
}

/// Runs a sweep file as `portsim sweep` does (without output files).
#[pyfunction]
#[pyo3(signature = (path, set, replications=None, seed=None, jobs=None, progress=None))]
fn sweep(
    py: Python<'_>,
    path: PathBuf,
    set: Vec<String>,
    replications: Option<u32>,
    seed: Option<u64>,
    jobs: Option<usize>,
    progress: Option<Py<PyAny>>,
) -> PyResult<NativeSweep> {
    let request = SweepRequest {
        file: path,
        sim: settings(&set, None, replications, seed, jobs),
        ..SweepRequest::default()
    };
    detached(py, progress, move |o| {
        let outcome = run_sweep(&request, o)?;
        outcome.verdict(None)?;
        let (Some(summaries), Some(document)) = (&outcome.summaries, &outcome.document) else {
            return Err(Error::internal(
                "a whole sweep came back without its results",
            ));
        };
        let doc = Sweep {
            meta: &outcome.meta,
            summaries,
            document,
            effects: outcome.effects.as_ref(),
        };
        Ok(NativeSweep {
            document: doc.render(Format::Json),
            results_csv: results_csv(&outcome.meta, summaries),
        })
    })
}

/// The native module.
#[pymodule]
fn _portsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", portsim::VERSION)?;
    m.add("PortsimError", m.py().get_type::<PortsimError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("PortsimWarning", m.py().get_type::<PortsimWarning>())?;
    m.add_class::<NativeScenario>()?;
    m.add_class::<NativeRun>()?;
    m.add_class::<NativeCompare>()?;
    m.add_class::<NativeStaff>()?;
    m.add_class::<NativeRoster>()?;
    m.add_class::<NativeSweep>()?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    Ok(())
}
