//! Designing the cheapest roster that keeps each hour's delay probability (or the
//! clearance targets) over a window: the iterative staffing algorithm on the scenario
//! itself, per pool, day type and hour, then the cheapest shifts covering it, verified
//! by a run of the scenario with the designed roster pasted in.

use std::cell::OnceCell;
use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;

use super::error::Error;
use super::observer::Observer;
use super::outputs::{claim, claim_plots, write_set};
use super::run::{shared_days, simulate_observed, simulate_observed_from};
use super::scenarios::{SimSettings, Source, warn_loaded};
use crate::engine::SimTime;
use crate::experiment::roster_design::{
    Design, DesignError, DesignRequest, apply, design, regimes_toml,
};
use crate::experiment::settle;
use crate::experiment::staffing::{Candidate, Target};
use crate::experiment::{Layout, SummarizedRun};
use crate::model::flow::Checkpoint;
use crate::model::occupancy::OccupancyPeriods;
use crate::model::{Model, PoolId};
use crate::report::out_dir::Outputs;
use crate::results::roster::{
    ClearanceRow, DayTypeDoc, DelayTrial, Estimate, IsaDoc, PoolDayDoc, PoolRosterDoc,
    ROSTER_SCHEMA, RosterDocument, RosterWindow, ShiftDoc,
};
use crate::roster::day_types::{DayTypes, DayTyping, classify};
use crate::scenario::LoadedScenario;
use crate::scenario::regimes::{on_call_shifts, roster_in_force};

/// The per-hour delay probabilities the target search tries, from the fewest officers
/// to the most. It stops at 0.5: beyond, the staffing algorithm without abandonment
/// swings rather than settles, and an hour's officers would be busy more often than not.
pub const DELAY_LADDER: [f64; 9] = [0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.05, 0.02, 0.01];

/// How a target is judged, in words (as `staff` judges it).
pub const DECISION: &str = "a target is met when the upper end of its 95 % interval (the estimate, with one replication) meets it, and no pool is overloaded";

/// The files `--out` holds.
pub const ROSTER_OUTPUTS: [&str; 3] = ["roster.toml", "roster.json", "requirement.csv"];

/// What to design.
#[derive(Clone, Debug)]
pub struct RosterRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The pools to design rosters for, by name.
    pub pools: Vec<String>,
    /// `FROM..TO` (dates, both included); `None`: the counting window.
    pub window: Option<String>,
    /// How the window's days are sorted into types.
    pub day_typing: DayTyping,
    /// Clearance targets, `[MODE.]METRIC<=DURATION`: with any, the delay probability is
    /// searched ([`DELAY_LADDER`]) for the cheapest roster meeting them all.
    pub targets: Vec<String>,
    /// The per-hour delay probability (α) without targets.
    pub delay_probability: f64,
    /// Shift lengths allowed, whole hours.
    pub shift_lengths: Vec<u32>,
    /// Shifts start every this many hours from 00:00.
    pub starts_every: u32,
    /// The most officers on one shift.
    pub max_per_shift: Option<u32>,
    /// Iterations of the staffing algorithm at most, per design.
    pub max_iterations: u32,
    /// Overrides, seed, replications, threads.
    pub sim: SimSettings,
    /// Directory for `roster.toml`, `roster.json` and `requirement.csv`.
    pub out: Option<PathBuf>,
    /// Directory for a figure per pool.
    pub plots: Option<PathBuf>,
    /// Overwrite files portsim did not write in `out` and `plots`.
    pub force: bool,
}

impl Default for RosterRequest {
    fn default() -> RosterRequest {
        RosterRequest {
            scenario: PathBuf::new(),
            pools: Vec::new(),
            window: None,
            day_typing: DayTyping::PeakWorkday,
            targets: Vec::new(),
            delay_probability: 0.2,
            shift_lengths: vec![8, 10, 12],
            starts_every: 1,
            max_per_shift: None,
            max_iterations: 20,
            sim: SimSettings::default(),
            out: None,
            plots: None,
            force: false,
        }
    }
}

/// A designed roster, with the document that states it.
pub struct RosterOutcome {
    /// The document (`--json`, `roster.json`).
    pub document: RosterDocument,
    /// The design shown (the chosen delay probability's).
    pub design: Design,
}

impl RosterOutcome {
    /// `Err` ([`NotMet`](super::ErrorKind::NotMet)) when targets were given and the
    /// designed roster does not meet them.
    pub fn verdict(&self) -> Result<(), Error> {
        let d = &self.document;
        if d.targets.is_empty() || d.designed.met {
            return Ok(());
        }
        Err(Error::not_met(format!(
            "no delay probability down to {} gives a roster meeting {}",
            DELAY_LADDER[DELAY_LADDER.len() - 1],
            d.targets.join(", ")
        )))
    }
}

/// `FROM..TO` as two dates.
fn parse_window(text: &str) -> Result<(Date, Date), Error> {
    let bad = |why: String| {
        Error::bad_input(format!(
            "--window {text}: {why}; expected FROM..TO, two dates YYYY-MM-DD (both included), e.g. 2017-01-06..2017-01-26"
        ))
    };
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| bad("no \"..\" between the dates".into()))?;
    let date = |s: &str| {
        s.trim()
            .parse::<Date>()
            .map_err(|e| bad(format!("\"{}\" is not a date ({e})", s.trim())))
    };
    let (from, to) = (date(a)?, date(b)?);
    if to < from {
        return Err(bad(format!("{to} is before {from}")));
    }
    Ok((from, to))
}

/// Checks the request's own values before anything loads.
fn checked(request: &RosterRequest) -> Result<Vec<Target>, Error> {
    if request.pools.is_empty() {
        return Err(Error::bad_input(
            "no pool to design a roster for: give --pool NAME (repeatable)",
        ));
    }
    if !(request.delay_probability > 0.0 && request.delay_probability < 1.0) {
        return Err(Error::bad_input(format!(
            "--delay-probability {}: expected a probability strictly between 0 and 1, e.g. 0.2",
            request.delay_probability
        )));
    }
    if request.shift_lengths.is_empty() {
        return Err(Error::bad_input(
            "--shift-lengths: no length given; expected whole hours from 1h to 23h, e.g. 8h,10h,12h",
        ));
    }
    if let Some(l) = request
        .shift_lengths
        .iter()
        .find(|&&l| !(1..=23).contains(&l))
    {
        return Err(Error::bad_input(format!(
            "--shift-lengths: {l}h is not a shift length; expected whole hours from 1h to 23h"
        )));
    }
    if !(1..=24).contains(&request.starts_every) || 24 % request.starts_every != 0 {
        return Err(Error::bad_input(format!(
            "--shift-starts-every {}h: expected a whole number of hours that divides a day (1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h)",
            request.starts_every
        )));
    }
    if request.max_per_shift == Some(0) {
        return Err(Error::bad_input(
            "--max-per-shift 0: expected at least 1 officer per shift",
        ));
    }
    if let Some(w) = &request.window {
        parse_window(w)?;
    }
    request
        .targets
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::bad_input)
}

/// The window's days (days since the start date), checked against the counting window.
fn window_days(
    request: &RosterRequest,
    file: &str,
    model: &Model,
) -> Result<(usize, usize), Error> {
    let first_counted = (model.warmup.hours() / 24.0).ceil() as usize;
    let last = (model.horizon.hours() / 24.0).floor() as usize;
    if last == 0 || first_counted >= last {
        return Err(Error::bad_input(format!(
            "{file}: the counting window holds no whole day to design for"
        )));
    }
    let Some(text) = &request.window else {
        return Ok((first_counted, last - 1));
    };
    let (from, to) = parse_window(text)?;
    let date = |d: usize| model.calendar.date_of_day(d as i64);
    let day = |d: Date| -> i64 { (d - model.calendar.start()).get_days() as i64 };
    let (a, b) = (day(from), day(to));
    if a < first_counted as i64 || b > last as i64 - 1 {
        return Err(Error::bad_input(format!(
            "--window {text}: the days must lie in the counting window, {} to {} (after the warm-up, within the horizon)",
            date(first_counted),
            date(last - 1)
        )));
    }
    Ok((a as usize, b as usize))
}

/// Resolves pool names, refusing unknown and repeated ones and constant-staff pools
/// (a dated roster replaces a roster; a pool of constant `staff` has none).
fn pool_ids(request: &RosterRequest, loaded: &LoadedScenario) -> Result<Vec<PoolId>, Error> {
    let model = &loaded.model;
    let names: Vec<&str> = model.pools.iter().map(|p| p.name.as_str()).collect();
    let mut ids = Vec::new();
    for name in &request.pools {
        let Some(i) = names.iter().position(|n| n == name) else {
            return Err(Error::bad_input(format!(
                "--pool {name}: no such pool in {}; its pools: {}",
                loaded.file,
                names.join(", ")
            )));
        };
        if ids.contains(&PoolId(i as u32)) {
            return Err(Error::bad_input(format!("--pool {name} is given twice")));
        }
        if loaded.raw.pools.get(i).is_some_and(|p| p.staff.is_some()) {
            return Err(Error::bad_input(format!(
                "--pool {name}: the pool has constant `staff`, so a designed roster has nothing to replace; give it a roster first (rosters.NAME = [...])"
            )));
        }
        ids.push(PoolId(i as u32));
    }
    Ok(ids)
}

/// One design at `alpha` and its verification run.
struct Tried {
    alpha: f64,
    design: Design,
    run: SummarizedRun,
    candidate: Candidate,
    hours: f64,
}

/// The clearance figures both runs show: the headline modes' mean, p90 and p95, then
/// each target's figure.
fn clearance_rows(
    targets: &[Target],
    own: &SummarizedRun,
    designed: &SummarizedRun,
) -> Vec<ClearanceRow> {
    // Targets only to name the figures: their bound is never read here.
    let mut shown: Vec<Target> = ["mean", "p90", "p95"]
        .iter()
        .map(|m| Target::parse(&format!("{m}<=1h")).expect("a target"))
        .collect();
    for t in targets {
        if !shown
            .iter()
            .any(|s| s.mode == t.mode && s.metric == t.metric)
        {
            shown.push(t.clone());
        }
    }
    shown
        .iter()
        .map(|t| {
            let est = |run: &SummarizedRun| {
                let f = t.figure(&run.layout, &run.results);
                Estimate {
                    estimate: f.estimate,
                    ci95: f.ci95,
                }
            };
            ClearanceRow {
                figure: match &t.mode {
                    Some(m) => format!("{m}.{}", t.metric),
                    None => t.metric.clone(),
                },
                own: est(own),
                designed: est(designed),
            }
        })
        .collect()
}

/// Designs the roster (see the module).
pub fn roster(request: &RosterRequest, observer: &dyn Observer) -> Result<RosterOutcome, Error> {
    roster_source(&Source::File(request.scenario.clone()), request, observer)
}

/// [`roster`] with the scenario given as a source (a file or text) in place of
/// `request.scenario`; `observer` hears notes of every iteration and the progress of
/// each verification run.
pub fn roster_source(
    source: &Source,
    request: &RosterRequest,
    observer: &dyn Observer,
) -> Result<RosterOutcome, Error> {
    let targets = checked(request)?;
    let mut loaded = source.load(&request.sim.overrides()?)?;
    warn_loaded(&loaded.file, &loaded.warnings, observer);
    settle(&mut loaded.model);
    let model = loaded.model.clone();
    let layout = Layout::of(&model);
    for t in &targets {
        t.check(&layout).map_err(Error::bad_input)?;
    }
    let pools = pool_ids(request, &loaded)?;
    let (first, last) = window_days(request, &loaded.file, &model)?;
    let window = classify(
        &model.calendar,
        &model.peaks,
        first,
        last,
        request.day_typing,
    );
    // Destinations before any work.
    let out = match &request.out {
        Some(dir) => Some(claim(dir, Outputs::Named(&ROSTER_OUTPUTS), request.force)?),
        None => None,
    };
    let plots = claim_plots(request.plots.as_deref(), out.as_slice(), request.force)?;

    observer.note(&format!(
        "designing {} over {} to {} ({} days, {} day types)",
        request.pools.join(", "),
        model.calendar.date_of_day(first as i64),
        model.calendar.date_of_day(last as i64),
        last + 1 - first,
        window.names.len()
    ));
    let own_run = simulate_observed(&model, &loaded.sha256, request.sim.jobs, observer)?;
    let own = Candidate::judge(0, &targets, &own_run);
    let hours_of = |m: &Model| -> f64 {
        pools
            .iter()
            .map(|p| {
                m.pools[p.index()]
                    .hourly_general(&m.calendar, first * 24, (last + 1 - first) * 24)
                    .iter()
                    .sum::<f64>()
            })
            .sum()
    };

    // Every designed model is the scenario's own until the window's first midnight, where
    // each has its designed staffing start (a change of headcount pending there in every
    // one): the first designed model's replications are stopped there once, and each
    // designed model's run continues from them — the same figures, bit for bit, as
    // running it from the start (`Model::runs_alike_until` checks it).
    let first_designed: OnceCell<Model> = OnceCell::new();
    let stopped: OnceCell<(SimTime, Vec<Checkpoint<'_>>)> = OnceCell::new();
    let try_alpha = |alpha: f64| -> Result<Tried, Error> {
        let req = DesignRequest {
            pools: pools.clone(),
            delay_probability: alpha,
            shift_lengths: request.shift_lengths.clone(),
            starts_every: request.starts_every,
            max_per_shift: request.max_per_shift,
            max_iterations: request.max_iterations,
            jobs: request.sim.jobs,
            time_limit: Duration::from_secs(30),
            window: Some(window.clone()),
        };
        let mut iteration = 0;
        let d = design(&model, &req, |it| {
            iteration += 1;
            let what = match &it.ran_with {
                None => "infinite-server run: offered load and MOL start".to_string(),
                Some(ran) => {
                    let (mut changed, mut largest) = (0, 0);
                    for (a, b) in ran.iter().flatten().zip(it.next.iter().flatten()) {
                        if a != b {
                            changed += 1;
                            largest = largest.max(a.abs_diff(*b));
                        }
                    }
                    let officers = if largest == 1 { "officer" } else { "officers" };
                    match (it.final_run, changed) {
                        (false, 0) => "settled".to_string(),
                        (false, _) => format!(
                            "{changed} hours would change, by up to {largest} {officers}"
                        ),
                        // Not a failure to settle: the larger of the last two staffings
                        // is run once more, and its own request is only reported.
                        (true, 0) => "final run of the larger of the last two staffings: settled".to_string(),
                        (true, _) => format!(
                            "final run of the larger of the last two staffings (kept; its occupancy alone would move {changed} hours, by up to {largest} {officers})"
                        ),
                    }
                }
            };
            observer.note(&format!("α = {alpha}: iteration {iteration}, {what}"));
        })
        .map_err(|e| match e {
            DesignError::Threads(e) => Error::no_threads(e),
            e => Error::bad_input(e.to_string()),
        })?;
        let designed = apply(&model, &d);
        // Checked, not assumed: a design that would not run alike with the first up to
        // the window (none should) runs from the start.
        let shared_start = window_start(&d.periods).filter(|&start| {
            first_designed
                .get()
                .is_none_or(|first| first.runs_alike_until(&designed) >= Some(start))
        });
        let run = match shared_start {
            Some(start) => {
                if stopped.get().is_none() {
                    let first = first_designed.get_or_init(|| designed.clone());
                    let runs = shared_days(
                        first,
                        start,
                        request.sim.jobs,
                        observer,
                        None,
                        "the days before the window",
                    )?;
                    let _ = stopped.set((start, runs));
                }
                let (at, runs) = stopped.get().expect("just set");
                assert_eq!(*at, start, "every design has the same window");
                simulate_observed_from(
                    &designed,
                    Some(runs),
                    &loaded.sha256,
                    request.sim.jobs,
                    observer,
                )?
            }
            None => simulate_observed(&designed, &loaded.sha256, request.sim.jobs, observer)?,
        };
        let candidate = Candidate::judge(0, &targets, &run);
        let hours = hours_of(&designed);
        observer.note(&format!(
            "α = {alpha}: {hours:.0} officer-hours, {}",
            if targets.is_empty() {
                "verified".to_string()
            } else if candidate.met {
                "meets the targets".to_string()
            } else {
                "does not meet them".to_string()
            }
        ));
        Ok(Tried {
            alpha,
            hours,
            design: d,
            run,
            candidate,
        })
    };

    let mut searched: Vec<Tried> = Vec::new();
    let chosen = if targets.is_empty() {
        try_alpha(request.delay_probability)?
    } else {
        // Bisect the ladder for the largest α (fewest officers) that meets the targets,
        // on the same seed throughout, from the rung nearest --delay-probability: met,
        // look among the larger ones; not, among the smaller, the most generous first
        // (if even it fails, there is no answer).
        let top = DELAY_LADDER.len() - 1;
        let start = DELAY_LADDER
            .iter()
            .enumerate()
            .min_by(|a, b| {
                (a.1 - request.delay_probability)
                    .abs()
                    .total_cmp(&(b.1 - request.delay_probability).abs())
            })
            .map_or(0, |(i, _)| i);
        let first = try_alpha(DELAY_LADDER[start])?;
        // Invariant: rung `lo` fails (or is above the ladder, -1), rung `hi` meets.
        let (mut lo, mut hi): (i64, Option<i64>) = if first.candidate.met {
            (-1, Some(start as i64))
        } else {
            (start as i64, None)
        };
        searched.push(first);
        if hi.is_none() && start < top {
            let t = try_alpha(DELAY_LADDER[top])?;
            if t.candidate.met {
                hi = Some(top as i64);
            }
            searched.push(t);
        }
        if let Some(mut h) = hi {
            while h - lo > 1 {
                let mid = (lo + h) / 2;
                let t = try_alpha(DELAY_LADDER[mid as usize])?;
                if t.candidate.met {
                    h = mid;
                } else {
                    lo = mid;
                }
                searched.push(t);
            }
            hi = Some(h);
        }
        let best = hi.map(|h| h as usize);
        searched.sort_by(|a, b| b.alpha.total_cmp(&a.alpha));
        let alpha = DELAY_LADDER[best.unwrap_or(top)];
        let i = searched
            .iter()
            .position(|t| t.alpha == alpha)
            .expect("the chosen rung ran");
        searched.remove(i)
    };

    // The document.
    let designed_model = apply(&model, &chosen.design);
    let in_force = |p: PoolId, t: crate::engine::SimTime| {
        let pool = &model.pools[p.index()].name;
        roster_in_force(&loaded.raw, &model, pool, t)
            .map(|r| (r.clone(), on_call_shifts(&loaded.raw, pool, &r)))
    };
    let how = format!(
        "Designed by `portsim roster` (iterative staffing to a per-hour delay probability of {},\n\
         then the cheapest shifts of {} h starting every {} h) for {} to {}, seed {}, {} replications.\n\
         Append to {}: each regime gives the pools their designed shifts on the days of one day type.",
        chosen.alpha,
        request
            .shift_lengths
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        request.starts_every,
        model.calendar.date_of_day(first as i64),
        model.calendar.date_of_day(last as i64),
        model.seed,
        model.replications,
        loaded.file
    );
    let toml =
        regimes_toml(&model, &chosen.design, &how, &in_force).expect("the design has a window");
    // With targets, every delay probability tried, from the fewest officers to the most.
    let mut tried: Vec<DelayTrial> = if targets.is_empty() {
        Vec::new()
    } else {
        searched
            .iter()
            .chain(std::iter::once(&chosen))
            .map(|t| DelayTrial {
                delay_probability: t.alpha,
                designed_officer_hours: t.hours,
                met: t.candidate.met,
                run: t.candidate.clone(),
            })
            .collect()
    };
    tried.sort_by(|a, b| b.delay_probability.total_cmp(&a.delay_probability));
    let document = document(
        request,
        &loaded,
        &model,
        &designed_model,
        &window,
        (first, last),
        &chosen,
        own,
        clearance_rows(&targets, &own_run, &chosen.run),
        tried,
        toml,
    );

    if let Some(out) = &out {
        let csv = requirement_csv(&document);
        let json = document.to_json();
        write_set(
            out,
            &[
                ("roster.toml", document.toml.as_bytes()),
                ("roster.json", json.as_bytes()),
                ("requirement.csv", csv.as_bytes()),
            ],
            &[],
        )?;
        observer.note(&format!(
            "roster.toml, roster.json and requirement.csv written to {}",
            out.path().display()
        ));
    }
    if let Some(dir) = &plots {
        let cannot = |e: std::io::Error| {
            Error::internal(format!("{}: cannot write: {e}", dir.path().display()))
        };
        let stage = dir.stage().map_err(cannot)?;
        let figures = crate::report::roster::write_figures(&document, stage.path())
            .map_err(|e| Error::internal(e.to_string()))?;
        dir.commit(stage, &[]).map_err(cannot)?;
        observer.note(&format!(
            "{} figures (PNG and SVG) written to {}",
            figures.len() / 2,
            dir.path().display()
        ));
    }
    observer.finished();
    Ok(RosterOutcome {
        document,
        design: chosen.design,
    })
}

/// The requirement hour by hour as CSV: one row per pool, day type and hour.
pub fn requirement_csv(d: &RosterDocument) -> String {
    let mut out =
        String::from("pool,day_type,days,hour,offered_load,mol,requirement,on_duty,own_on_duty\n");
    let days_of = |name: &str| {
        d.day_types
            .iter()
            .find(|t| t.name == name)
            .map_or(0, |t| t.days)
    };
    for p in &d.pools {
        for day in &p.days {
            for h in 0..24 {
                out.push_str(&format!(
                    "{},\"{}\",{},{h},{:.4},{},{},{},{:.4}\n",
                    p.pool,
                    day.day_type,
                    days_of(&day.day_type),
                    day.offered_load[h],
                    day.mol[h],
                    day.requirement[h],
                    day.on_duty[h],
                    day.own_on_duty[h]
                ));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn document(
    request: &RosterRequest,
    loaded: &LoadedScenario,
    model: &Model,
    designed_model: &Model,
    window: &DayTypes,
    (first, last): (usize, usize),
    chosen: &Tried,
    own: Candidate,
    clearance: Vec<ClearanceRow>,
    searched: Vec<DelayTrial>,
    toml: String,
) -> RosterDocument {
    let days = last + 1 - first;
    let d = &chosen.design;
    let pools = d
        .pools
        .iter()
        .enumerate()
        .map(|(i, pd)| {
            let pool = &model.pools[pd.pool.index()];
            let own_hourly = pool.hourly_general(&model.calendar, first * 24, days * 24);
            let designed_hourly = designed_model.pools[pd.pool.index()].hourly_general(
                &designed_model.calendar,
                first * 24,
                days * 24,
            );
            let days_doc = window
                .names
                .iter()
                .enumerate()
                .map(|(t, name)| {
                    let range = t * 24..(t + 1) * 24;
                    // The own roster's mean on duty in each hour of this type's days.
                    let mut own_on_duty = vec![0.0; 24];
                    for (k, &ty) in window.of_day.iter().enumerate() {
                        if usize::from(ty) == t {
                            for h in 0..24 {
                                own_on_duty[h] += own_hourly[k * 24 + h];
                            }
                        }
                    }
                    let n = f64::from(window.days[t]);
                    own_on_duty.iter_mut().for_each(|x| *x /= n);
                    PoolDayDoc {
                        day_type: name.clone(),
                        offered_load: d.isa.offered_load[i][range.clone()].to_vec(),
                        mol: d.isa.mol[i][range.clone()].to_vec(),
                        requirement: pd.requirement[range.clone()].to_vec(),
                        on_duty: pd.on_duty[range].to_vec(),
                        own_on_duty,
                        officer_hours_per_day: pd.officer_hours_per_day[t],
                        shifts: pd
                            .shifts
                            .iter()
                            .filter(|s| usize::from(s.day_type) == t)
                            .map(|s| ShiftDoc {
                                start: format!("{:02}:00", s.start_hour),
                                end: format!("{:02}:00", (s.start_hour + s.hours) % 24),
                                hours: s.hours,
                                staff: s.staff,
                            })
                            .collect(),
                    }
                })
                .collect();
            PoolRosterDoc {
                pool: pool.name.clone(),
                own_officer_hours: own_hourly.iter().sum(),
                designed_officer_hours: designed_hourly.iter().sum(),
                optimal: pd.optimal,
                days: days_doc,
            }
        })
        .collect();
    RosterDocument {
        schema: ROSTER_SCHEMA.into(),
        portsim_version: env!("CARGO_PKG_VERSION").into(),
        file: loaded.file.clone(),
        scenario: model.name.clone(),
        policy: model.policy.clone(),
        seed: model.seed,
        replications: model.replications,
        window: RosterWindow {
            from: model.calendar.date_of_day(first as i64).to_string(),
            to: model.calendar.date_of_day(last as i64).to_string(),
            days: days as u32,
            day_typing: request.day_typing.to_string(),
        },
        day_types: window
            .names
            .iter()
            .zip(&window.days)
            .map(|(name, &days)| DayTypeDoc {
                name: name.clone(),
                days,
            })
            .collect(),
        targets: request.targets.clone(),
        decision: DECISION.into(),
        delay_probability: chosen.alpha,
        searched,
        isa: IsaDoc {
            iterations: d.isa.iterations.len() as u32,
            converged: d.isa.converged,
        },
        pools,
        own,
        designed: chosen.candidate.clone(),
        clearance,
        toml,
    }
}

/// The first midnight of a design's window, if after the start: before it, the designed
/// model is the scenario's own.
fn window_start(periods: &OccupancyPeriods) -> Option<SimTime> {
    match periods {
        OccupancyPeriods::DayTypes { first_day, .. } if *first_day > 0 => {
            Some(SimTime::from_hours((*first_day * 24) as f64))
        }
        _ => None,
    }
}
