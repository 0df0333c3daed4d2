//! The regression check: run scenarios and compare them with a stored baseline — or, when
//! recording, replace their entries (saying what the replacement moves).

use std::path::PathBuf;

use super::error::Error;
use super::observer::{Observer, Offset};
use super::outputs::check_destination;
use super::run::simulate_reporting;
use super::scenarios::{SimSettings, load_all};
use crate::check::{self, Baseline, CheckReport, Entry, ReadError, Settings, entry_key};
use crate::experiment::settle;
use crate::files::write_file;
use crate::report::check::check_junit;

/// What to check.
#[derive(Clone, Debug)]
pub struct CheckRequest {
    /// Scenario files.
    pub scenarios: Vec<PathBuf>,
    /// The baseline file (`portsim.baseline/1`).
    pub baseline: PathBuf,
    /// Record these scenarios' results in the baseline (other entries are kept).
    pub update: bool,
    /// Also write the verdicts as JUnit XML here (not when recording).
    pub junit: Option<PathBuf>,
    /// How to compare.
    pub settings: Settings,
    /// Overrides and threads.
    pub sim: SimSettings,
}

/// What the check found (and, when recording, what it recorded).
pub struct CheckOutcome {
    /// The verdicts: every scenario when checking; when recording, the entries replaced.
    pub report: CheckReport,
    /// Entries compared (when recording: entries replaced).
    pub compared: usize,
    /// When recording: scenarios recorded and the baseline's entries in all.
    pub recorded: Option<(usize, usize)>,
    /// Figures the recording moved against the entries it replaced.
    pub moved: usize,
}

impl CheckOutcome {
    /// `Err` ([`NotMet`](super::ErrorKind::NotMet)) when a checked figure moved.
    pub fn verdict(&self, baseline: &std::path::Path) -> Result<(), Error> {
        if self.recorded.is_some() || self.report.passed {
            return Ok(());
        }
        Err(Error::not_met(format!(
            "check failed: {} of {} figures moved against {}",
            self.report.moved(),
            self.report.compared(),
            baseline.display()
        )))
    }
}

/// Reads the baseline (a missing one is new when recording) and refuses, before
/// anything runs, a scenario without an entry when checking.
fn read_baseline(request: &CheckRequest) -> Result<(Baseline, Vec<String>), Error> {
    let baseline = match Baseline::read(&request.baseline) {
        Ok(b) => b,
        Err(ReadError::Missing) if request.update => Baseline::new(),
        Err(ReadError::Missing) => {
            return Err(Error::bad_input(format!(
                "{}: no such baseline; record one with --update",
                request.baseline.display()
            )));
        }
        Err(ReadError::Invalid(message)) => return Err(Error::bad_input(message)),
    };
    let keys: Vec<String> = request
        .scenarios
        .iter()
        .map(|p| entry_key(&request.baseline, p))
        .collect();
    if !request.update
        && let Some((i, _)) = keys
            .iter()
            .enumerate()
            .find(|(_, k)| baseline.entry(k).is_none())
    {
        return Err(Error::bad_input(format!(
            "{}: no entry for {} (as \"{}\"); record it with --update",
            request.baseline.display(),
            request.scenarios[i].display(),
            keys[i]
        )));
    }
    Ok((baseline, keys))
}

/// Runs each scenario and compares it with its entry; when recording, writes the new
/// baseline. The JUnit file is written when asked.
pub fn check(request: &CheckRequest, observer: &dyn Observer) -> Result<CheckOutcome, Error> {
    let overrides = request.sim.overrides()?;
    let mut loaded = load_all(&request.scenarios, &overrides, observer)?;
    // Destinations are checked before simulating: a device, FIFO or link is refused,
    // never renamed over.
    if request.update {
        check_destination("--baseline", &request.baseline)?;
    }
    if let Some(path) = &request.junit {
        check_destination("--junit", path)?;
    }
    let (mut baseline, keys) = read_baseline(request)?;
    let mut current = Vec::with_capacity(loaded.len());
    // One progress display for all scenarios' replications.
    let total = loaded.iter().map(|s| u64::from(s.model.replications)).sum();
    let mut before = 0;
    for ((s, path), key) in loaded.iter_mut().zip(&request.scenarios).zip(&keys) {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::bad_input(format!("{}: cannot read: {e}", path.display())))?;
        settle(&mut s.model);
        let whole = Offset {
            inner: observer,
            before,
            total,
        };
        let run = simulate_reporting(&s.model, &s.sha256, None, request.sim.jobs, None, &whole)?;
        before += run.results.len() as u64;
        for warning in run.summary.warnings() {
            observer.warning(&format!("{}: {warning}", s.file));
        }
        let measures = check::measures(&run.layout, &run.results);
        current.push(Entry::observe(key.clone(), &bytes, &run.summary, measures));
    }
    observer.finished();
    // Compared: every scenario when checking; when recording, those that replace an
    // entry, so the one who updates sees what the new baseline changes.
    let pairs: Vec<(&Entry, &Entry)> = keys
        .iter()
        .zip(&current)
        .filter_map(|(k, c)| Some((baseline.entry(k)?, c)))
        .collect();
    let report = check::check(&pairs, &request.settings);
    let compared = pairs.len();
    if let Some(path) = &request.junit {
        write_file(path, check_junit(&report).as_bytes())
            .map_err(|e| Error::internal(format!("{}: cannot write: {e}", path.display())))?;
    }
    let mut recorded = None;
    if request.update {
        let n = current.len();
        for entry in current {
            baseline.upsert(entry);
        }
        baseline.write(&request.baseline).map_err(|e| {
            Error::internal(format!("{}: cannot write: {e}", request.baseline.display()))
        })?;
        recorded = Some((n, baseline.entries.len()));
    }
    Ok(CheckOutcome {
        moved: report.moved(),
        report,
        compared,
        recorded,
    })
}
