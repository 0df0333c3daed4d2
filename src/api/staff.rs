//! The staffing search: the smallest whole-number scenario value (a pool's staff, a
//! shift's headcount) whose run meets every clearance target, bisected on common random
//! numbers with one warm-up for all candidates.

use std::cell::OnceCell;
use std::path::PathBuf;

use super::error::Error;
use super::observer::Observer;
use super::run::{shared_days, simulate_observed_from};
use super::scenarios::{SimSettings, Source, warn_loaded};
use crate::engine::SimTime;
use crate::experiment::staffing::{Candidate, Search, Target, search};
use crate::experiment::{Layout, settle};
use crate::model::flow::Checkpoint;
use crate::report::staffing::StaffReport;
use crate::scenario::{LoadedScenario, Override};

/// What to search.
#[derive(Clone, Debug, Default)]
pub struct StaffRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Clearance targets, `[MODE.]METRIC<=DURATION` (all must be met).
    pub targets: Vec<String>,
    /// The `--set` paths every candidate value is given to.
    pub vary: Vec<String>,
    /// The smallest value to try.
    pub min: i64,
    /// The largest value to try (it runs first).
    pub max: i64,
    /// Overrides (not of the varied paths) and threads.
    pub sim: SimSettings,
}

/// What was searched and found.
pub struct StaffOutcome {
    /// The scenario file as given.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The policy whose rosters ran.
    pub policy: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications per candidate.
    pub replications: u32,
    /// The warm-up every candidate used, hours.
    pub warmup_hours: f64,
    /// The varied paths.
    pub vary: Vec<String>,
    /// The range searched, both ends included.
    pub range: [i64; 2],
    /// The targets, parsed.
    pub targets: Vec<Target>,
    /// The candidates run and the answer.
    pub search: Search,
}

impl StaffOutcome {
    /// The search as its report borrows it.
    pub fn report(&self) -> StaffReport<'_> {
        StaffReport {
            file: &self.file,
            scenario: &self.scenario,
            policy: self.policy.as_deref(),
            seed: self.seed,
            replications: self.replications,
            warmup_hours: self.warmup_hours,
            vary: &self.vary,
            range: self.range,
            targets: &self.targets,
            search: &self.search,
        }
    }

    /// `Err` ([`NotMet`](super::ErrorKind::NotMet)) when no value met every target.
    pub fn verdict(&self) -> Result<i64, Error> {
        self.search.answer.ok_or_else(|| {
            Error::not_met(format!(
                "no value of {} up to {} meets every target",
                self.vary.join(", "),
                self.range[1]
            ))
        })
    }
}

/// The overrides that give every varied path `value`, after `base`.
fn with_value(base: &[Override], vary: &[String], value: i64) -> Result<Vec<Override>, Error> {
    let mut all = base.to_vec();
    for path in vary {
        let mut o = Override::parse(&format!("{path}=0")).map_err(Error::bad_input)?;
        o.value = toml::Value::Integer(value);
        o.origin = format!("--vary {} (= {value})", o.path.join("."));
        all.push(o);
    }
    Ok(all)
}

/// Checks the request's range, targets and varied paths before anything loads.
fn checked(request: &StaffRequest) -> Result<(Vec<Target>, Vec<Override>), Error> {
    if request.min > request.max {
        return Err(Error::bad_input(format!(
            "--min {} is above --max {}: give a range of values to search, --min ≤ --max",
            request.min, request.max
        )));
    }
    let targets = request
        .targets
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::bad_input)?;
    let base = request.sim.overrides()?;
    for path in &request.vary {
        if path.contains('=') {
            return Err(Error::bad_input(format!(
                "--vary takes a path without a value (the search sets it), got \"{path}\""
            )));
        }
        let segments = Override::parse(&format!("{path}=0"))
            .map_err(Error::bad_input)?
            .path;
        if base.iter().any(|o| o.path == segments) {
            return Err(Error::bad_input(format!(
                "--vary {path} is also given with --set: the search sets it; leave out the --set"
            )));
        }
    }
    Ok((targets, base))
}

/// Runs the search. Both ends of the range load before anything runs; `--max` runs
/// first; every candidate is judged on the same seed and warm-up.
pub fn staff(request: &StaffRequest, observer: &dyn Observer) -> Result<StaffOutcome, Error> {
    staff_source(&Source::File(request.scenario.clone()), request, observer)
}

/// [`staff`] with the scenario given as a source (a file or text) in place of
/// `request.scenario`. `observer` hears each candidate's progress (from 0 for each) and
/// may stop the search between replications.
pub fn staff_source(
    source: &Source,
    request: &StaffRequest,
    observer: &dyn Observer,
) -> Result<StaffOutcome, Error> {
    let (targets, base) = checked(request)?;
    let vary = &request.vary;
    let load_at = |value: i64| -> Result<LoadedScenario, Error> {
        source
            .load(&with_value(&base, vary, value)?)
            .map_err(|e| e.context(format!("at N = {value} ({})", vary.join(", "))))
    };
    let mut lowest = load_at(request.min)?;
    let mut first = load_at(request.max)?;
    warn_loaded(&first.file, &first.warnings, observer);
    // One warm-up for every candidate: with `warmup = "auto"` it is estimated once, at
    // the top of the range, so all candidates count the same window.
    settle(&mut first.model);
    let (warmup, warmup_rule) = (first.model.warmup, first.model.warmup_rule);
    let layout = Layout::of(&first.model);
    for t in &targets {
        t.check(&layout).map_err(Error::bad_input)?;
    }
    let (file, scenario, policy) = (
        first.file.clone(),
        first.model.name.clone(),
        first.model.policy.clone(),
    );
    let (seed, replications) = (first.model.seed, first.model.replications);
    // The candidates run alike until the varied values first make a difference (say, a
    // peak's extra hands, from the peak's start): the top of the range's replications
    // are run to that instant once, and each candidate that runs alike with it so far
    // continues from them — the same figures, bit for bit, as running it from the start.
    // The instant is the one the bottom of the range gives, known before anything runs;
    // if that one differs from the start (no extra hands at all, where the others have a
    // change of staff pending), the first candidate after the top decides it.
    lowest.model.warmup = warmup;
    lowest.model.warmup_rule = warmup_rule;
    let planned = first
        .model
        .runs_alike_until(&lowest.model)
        .filter(|&t| t > SimTime::ZERO);
    drop(lowest);
    let prefix_model = first.model.clone();
    let stopped: OnceCell<(SimTime, Vec<Checkpoint<'_>>)> = OnceCell::new();
    let mut loaded = Some(first);
    let run = |value: i64| -> Result<Candidate, Error> {
        let mut s = match loaded.take().filter(|_| value == request.max) {
            Some(s) => s,
            None => load_at(value)?,
        };
        s.model.warmup = warmup;
        s.model.warmup_rule = warmup_rule;
        let alike = prefix_model.runs_alike_until(&s.model);
        let stop = match stopped.get() {
            Some((at, _)) => Some(*at),
            None if value == request.max => planned,
            None => planned.or(alike.filter(|&t| t > SimTime::ZERO)),
        };
        let runs = match stop.filter(|&at| alike >= Some(at)) {
            Some(at) => {
                if stopped.get().is_none() {
                    let runs = shared_days(
                        &prefix_model,
                        at,
                        request.sim.jobs,
                        observer,
                        Some("the candidates run alike until {}: the days before it run once"),
                        "the days the candidates share",
                    )?;
                    let _ = stopped.set((at, runs));
                }
                stopped.get().map(|(_, runs)| runs.as_slice())
            }
            None => None,
        };
        let run = simulate_observed_from(&s.model, runs, &s.sha256, request.sim.jobs, observer)?;
        let c = Candidate::judge(value, &targets, &run);
        let verdict = if c.met {
            "meets the targets"
        } else {
            "does not meet them"
        };
        observer.note(&format!("N = {value}: {verdict}"));
        Ok(c)
    };
    if replications == 1 {
        observer.warning(
            "one replication per candidate: targets are judged on estimates without confidence intervals",
        );
    }
    let found = search(request.min, request.max, run)?;
    if found.all_alike() {
        observer.warning(&format!(
            "every candidate ran the same (staff-hours and mean clearance): does {} change anything under this policy and window?",
            vary.join(", ")
        ));
    }
    Ok(StaffOutcome {
        file,
        scenario,
        policy,
        seed,
        replications,
        warmup_hours: warmup.hours(),
        vary: vary.clone(),
        range: [request.min, request.max],
        targets,
        search: found,
    })
}
