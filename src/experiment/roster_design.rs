//! Designing a roster: the iterative staffing algorithm's requirement per hour of the
//! day, turned into the cheapest shifts that cover it (a set cover), as a roster the
//! scenario format can hold.
//!
//! Without a window, hours are pooled over every day of the run (a cycle of 24): the
//! designed roster is the same every day, holidays included. With a window, the days
//! of the window are sorted into day types ([`DayTypes`]) and each type gets its own
//! requirement and shifts, worked on the days of that type; outside the window the pool
//! keeps its own staffing. Either way a type's day repeats: a shift that runs past
//! midnight covers the next morning — the repeating day of [`Horizon::Cyclic`] — and a
//! day of another type starts with that type's own overnight cover.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use crate::calendar::{ClockTime, DaySet, Roster, Shift};
use crate::engine::SimTime;
use crate::model::{Model, OccupancyPeriods, PoolId};
use crate::roster::day_types::DayTypes;
use crate::roster::shift_cover::{self, CandidateShift, CoverError, CoverProblem, Horizon};

use super::iterative_staffing::{
    IsaIteration, IsaRequest, IsaResult, iterative_staffing, place_rosters,
};

/// What to design.
#[derive(Clone, Debug)]
pub struct DesignRequest {
    /// The pools to design rosters for.
    pub pools: Vec<PoolId>,
    /// The per-hour delay probability the requirement keeps (α).
    pub delay_probability: f64,
    /// Shift lengths allowed, in whole hours (1–23).
    pub shift_lengths: Vec<u32>,
    /// Shifts may start every this many hours from 00:00 (1–24).
    pub starts_every: u32,
    /// The most officers on one shift, if limited.
    pub max_per_shift: Option<u32>,
    /// Iterations of the staffing algorithm at most.
    pub max_iterations: u32,
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// The integer program's time budget per pool and day type.
    pub time_limit: Duration,
    /// The days designed for, sorted into types (`None`: every day of the run alike).
    pub window: Option<DayTypes>,
}

impl DesignRequest {
    /// The periods the requirement is pooled by.
    pub fn periods(&self) -> OccupancyPeriods {
        match &self.window {
            None => OccupancyPeriods::DAY,
            Some(w) => OccupancyPeriods::DayTypes {
                first_day: w.first_day,
                day_types: Arc::from(w.of_day.clone()),
                types: w.names.len(),
            },
        }
    }
}

/// One shift of a designed roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DesignedShift {
    /// The day type it is worked on (0 without a window).
    pub day_type: u16,
    /// Starting hour of the day (0–23).
    pub start_hour: u32,
    /// Length in hours.
    pub hours: u32,
    /// Officers on it.
    pub staff: u32,
}

/// A pool's designed roster.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolDesign {
    /// The pool.
    pub pool: PoolId,
    /// Officers required in each hour of the day, day type after day type (the staffing
    /// algorithm's answer): `requirement[type * 24 + hour]`.
    pub requirement: Vec<u32>,
    /// Officers on duty in each hour under the designed shifts (≥ the requirement),
    /// indexed as `requirement`.
    pub on_duty: Vec<u32>,
    /// The shifts with officers on them, by day type and start.
    pub shifts: Vec<DesignedShift>,
    /// Officer-hours per day of each day type.
    pub officer_hours_per_day: Vec<u32>,
    /// Whether every set cover was proven optimal.
    pub optimal: bool,
}

impl PoolDesign {
    /// The designed roster of day type `t`, as the scenario's shifts.
    pub fn roster(&self, t: u16) -> Roster {
        Roster::new(
            self.shifts
                .iter()
                .filter(|s| s.day_type == t)
                .map(|s| {
                    let at = |h: u32| ClockTime::parse(&clock(h)).expect("a whole hour");
                    Shift::new(
                        DaySet::ALL,
                        at(s.start_hour),
                        at(end_hour(s)),
                        s.staff,
                        true,
                    )
                    .expect("a designed shift is a shift")
                })
                .collect(),
        )
    }
}

/// The designed rosters and how the requirement was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// One per requested pool, in request order.
    pub pools: Vec<PoolDesign>,
    /// The staffing algorithm's result (requirement, estimates, iterations, MOL).
    pub isa: IsaResult,
    /// The periods of the requirement.
    pub periods: OccupancyPeriods,
    /// The window's day types (`None`: every day of the run alike).
    pub window: Option<DayTypes>,
}

/// Why a design failed.
#[derive(Debug)]
pub enum DesignError {
    /// A request value out of range: which and why.
    Request(String),
    /// No shifts of the grid cover a pool's requirement.
    Cover {
        /// The pool's name.
        pool: String,
        /// What the set cover said.
        error: CoverError,
    },
    /// The worker threads could not be started.
    Threads(rayon::ThreadPoolBuildError),
}

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DesignError::Request(m) => f.write_str(m),
            DesignError::Cover { pool, error } => write!(f, "pool {pool}: {error}"),
            DesignError::Threads(e) => write!(f, "cannot start worker threads: {e}"),
        }
    }
}

impl std::error::Error for DesignError {}

/// Checks a request's own values.
fn check(request: &DesignRequest) -> Result<(), DesignError> {
    let bad = |m: String| Err(DesignError::Request(m));
    if request.pools.is_empty() {
        return bad("no pool to design a roster for".into());
    }
    if !(request.delay_probability > 0.0 && request.delay_probability < 1.0) {
        return bad(format!(
            "the delay probability must lie strictly between 0 and 1; got {}",
            request.delay_probability
        ));
    }
    if request.shift_lengths.is_empty() {
        return bad("no shift length given".into());
    }
    if let Some(l) = request
        .shift_lengths
        .iter()
        .find(|&&l| !(1..=23).contains(&l))
    {
        return bad(format!(
            "a shift length must be a whole number of hours from 1 to 23; got {l}"
        ));
    }
    if !(1..=24).contains(&request.starts_every) {
        return bad(format!(
            "shifts must start every 1 to 24 hours; got every {}",
            request.starts_every
        ));
    }
    if request.max_per_shift == Some(0) {
        return bad("the most officers per shift must be at least 1".into());
    }
    Ok(())
}

/// Designs a roster for each requested pool of `model`; `progress` hears each
/// iteration of the staffing algorithm.
pub fn design(
    model: &Model,
    request: &DesignRequest,
    progress: impl FnMut(&IsaIteration),
) -> Result<Design, DesignError> {
    check(request)?;
    let periods = request.periods();
    let types = periods.count() / 24;
    let isa = iterative_staffing(
        model,
        &IsaRequest {
            pools: request.pools.clone(),
            periods: periods.clone(),
            delay_probability: request.delay_probability,
            max_iterations: request.max_iterations,
            tolerance: 1,
            jobs: request.jobs,
        },
        progress,
    )
    .map_err(DesignError::Threads)?;
    let lengths: Vec<usize> = request.shift_lengths.iter().map(|&l| l as usize).collect();
    // Officer-hours are the cost: one officer on a shift costs its length.
    let grid = shift_cover::shift_grid(
        24,
        &lengths,
        request.starts_every as usize,
        Horizon::Cyclic,
        1.0,
    );
    let pools = request
        .pools
        .iter()
        .zip(&isa.staffing)
        .map(|(&pool, requirement)| {
            let mut design = PoolDesign {
                pool,
                requirement: requirement.clone(),
                on_duty: Vec::with_capacity(requirement.len()),
                shifts: Vec::new(),
                officer_hours_per_day: Vec::with_capacity(types),
                optimal: true,
            };
            // Each day type is its own repeating day.
            for (t, day) in requirement.chunks(24).enumerate() {
                let cover = shift_cover::solve(&CoverProblem {
                    requirement: day,
                    shifts: &grid,
                    max_per_shift: request.max_per_shift,
                    horizon: Horizon::Cyclic,
                    time_limit: request.time_limit,
                })
                .map_err(|error| DesignError::Cover {
                    pool: model.pools[pool.index()].name.clone(),
                    error,
                })?;
                let shifts: Vec<DesignedShift> = grid
                    .iter()
                    .zip(&cover.headcounts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(s, &n)| designed(t as u16, s, n))
                    .collect();
                design.on_duty.extend(cover.on_duty);
                design
                    .officer_hours_per_day
                    .push(shifts.iter().map(|s| s.hours * s.staff).sum());
                design.shifts.extend(shifts);
                design.optimal &= cover.optimal;
            }
            Ok(design)
        })
        .collect::<Result<_, DesignError>>()?;
    Ok(Design {
        pools,
        isa,
        periods,
        window: request.window.clone(),
    })
}

fn designed(day_type: u16, s: &CandidateShift, staff: u32) -> DesignedShift {
    DesignedShift {
        day_type,
        start_hour: s.start as u32,
        hours: s.length as u32,
        staff,
    }
}

/// "HH:00" for hour `h` of the day (24 → "24:00").
fn clock(h: u32) -> String {
    format!("{h:02}:00")
}

/// The end of a shift on the clock: past midnight it wraps (an overnight shift).
fn end_hour(s: &DesignedShift) -> u32 {
    let end = s.start_hour + s.hours;
    if end == 24 { 24 } else { end % 24 }
}

/// The model with each designed pool working its designed roster (in the window, if
/// there is one; there the designed roster is the pool's whole general headcount, extra
/// hands of peaks dropped).
pub fn apply(model: &Model, design: &Design) -> Model {
    let mut m = model.clone();
    let types = design.periods.count() / 24;
    for d in &design.pools {
        let rosters = (0..types as u16).map(|t| d.roster(t)).collect();
        place_rosters(&mut m, d.pool, &design.periods, rosters);
    }
    m
}

/// A pool's designed roster as scenario TOML, to paste into its `[[pools]]` table in
/// place of its `staff`, `roster` and `rosters` keys: the roster the pool works
/// whatever the policy, named `name`, with a comment saying how it was made.
pub fn roster_toml(design: &PoolDesign, name: &str, how: &str) -> String {
    let mut out = String::new();
    for line in how.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "roster = \"{name}\"");
    let _ = writeln!(out, "rosters.{name} = [");
    for s in design.shifts.iter().filter(|s| s.day_type == 0) {
        let _ = writeln!(out, "  {},", shift_toml(s));
    }
    out.push_str("]\n");
    out
}

/// One designed shift as the scenario's inline table.
fn shift_toml(s: &DesignedShift) -> String {
    format!(
        "{{ days = \"Mon-Sun\", start = \"{}\", end = \"{}\", staff = {} }}",
        clock(s.start_hour),
        clock(end_hour(s)),
        s.staff
    )
}

/// A TOML string literal of `text`.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The roster's name for day type `name`: `designed-` and the name in lower case, words
/// joined by hyphens ("designed-lunar-new-year-rush-working-day").
pub fn roster_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!("designed-{}", words.join("-"))
}

/// A windowed design as scenario TOML to append to the scenario file: one dated regime
/// per run of days of one type, each giving every designed pool the shifts of that type
/// and, for the peaks in force, no extra hands in those pools (the designed roster is
/// the whole headcount). The shifts replace the roster the pool works then —
/// `in_force(pool, t)` names it (see [`crate::scenario::regimes::roster_in_force`]) — so
/// that the file's own regimes choosing rosters are left alone, and keeps its on-call
/// shifts (`in_force` gives them too, as inline tables: the design is of general
/// officers); a pool with no roster in force gets a roster of its own name
/// (`designed-…`), chosen by the regime. `how` becomes a comment above them. Without a
/// window, `None` (use [`roster_toml`]).
pub fn regimes_toml(
    model: &Model,
    design: &Design,
    how: &str,
    in_force: &dyn Fn(PoolId, SimTime) -> Option<(String, Vec<String>)>,
) -> Option<String> {
    let window = design.window.as_ref()?;
    let mut out = String::new();
    for line in how.lines() {
        let _ = writeln!(out, "# {line}");
    }
    for (first, last, t) in window.blocks() {
        let name = &window.names[usize::from(t)];
        let date = |d: usize| model.calendar.date_of_day(d as i64);
        let _ = writeln!(out, "\n[[regimes]]");
        let _ = writeln!(
            out,
            "name = {}",
            quoted(&format!(
                "designed roster: {name}, {} to {}",
                date(first),
                date(last)
            ))
        );
        let _ = writeln!(out, "from = \"{}\"", date(first));
        let _ = writeln!(out, "to = \"{}\"", date(last));
        let _ = writeln!(out, "[regimes.set]");
        let (from, to) = (
            SimTime::from_hours(first as f64 * 24.0),
            SimTime::from_hours((last + 1) as f64 * 24.0),
        );
        for d in &design.pools {
            let pool = &model.pools[d.pool.index()].name;
            let (roster, kept, choose) = match in_force(d.pool, from) {
                Some((r, kept)) => (r, kept, false),
                None => (roster_name(name), Vec::new(), true),
            };
            let _ = writeln!(
                out,
                "{} = [",
                quoted(&format!("pools.{pool}.rosters.{roster}"))
            );
            for s in d.shifts.iter().filter(|s| s.day_type == t) {
                let _ = writeln!(out, "  {},", shift_toml(s));
            }
            for k in &kept {
                let _ = writeln!(out, "  {k},  # on call, as the roster had it");
            }
            let _ = writeln!(out, "]");
            if choose {
                let _ = writeln!(
                    out,
                    "{} = {}",
                    quoted(&format!("pools.{pool}.roster")),
                    quoted(&roster)
                );
            }
            for peak in model
                .peaks
                .iter()
                .filter(|p| p.from < to && from < p.to && has_extra(model, d.pool, p))
            {
                let _ = writeln!(
                    out,
                    "{} = 0",
                    quoted(&format!("peaks.{}.extra_staff.{pool}", peak.name))
                );
            }
        }
    }
    Some(out)
}

/// Whether peak `p` gives pool `pool` extra hands.
fn has_extra(model: &Model, pool: PoolId, p: &crate::model::PeakPeriod) -> bool {
    model.pools[pool.index()]
        .extra
        .iter()
        .any(|e| e.from == p.from && e.to == p.to && e.staff > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_print_as_the_scenario_format_with_overnight_ends() {
        let d = PoolDesign {
            pool: PoolId(0),
            requirement: vec![],
            on_duty: vec![],
            shifts: vec![
                DesignedShift {
                    day_type: 0,
                    start_hour: 6,
                    hours: 8,
                    staff: 12,
                },
                DesignedShift {
                    day_type: 0,
                    start_hour: 16,
                    hours: 8,
                    staff: 9,
                },
                DesignedShift {
                    day_type: 0,
                    start_hour: 22,
                    hours: 10,
                    staff: 4,
                },
            ],
            officer_hours_per_day: vec![208],
            optimal: true,
        };
        let text = roster_toml(&d, "designed", "made by a test");
        assert_eq!(
            text,
            "# made by a test\n\
             roster = \"designed\"\n\
             rosters.designed = [\n  \
             { days = \"Mon-Sun\", start = \"06:00\", end = \"14:00\", staff = 12 },\n  \
             { days = \"Mon-Sun\", start = \"16:00\", end = \"24:00\", staff = 9 },\n  \
             { days = \"Mon-Sun\", start = \"22:00\", end = \"08:00\", staff = 4 },\n\
             ]\n"
        );
    }
}
