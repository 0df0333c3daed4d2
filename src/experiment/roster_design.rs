//! Designing a roster: the iterative staffing algorithm's requirement per hour of the
//! day, turned into the cheapest shifts that cover it (a set cover), as a roster the
//! scenario format can hold.
//!
//! Hours are pooled over every day of the window (a cycle of 24): the designed roster
//! is the same every day, holidays included, and a shift that runs past midnight covers
//! the next morning — the repeating day of [`Horizon::Cyclic`].

use std::fmt::Write as _;
use std::time::Duration;

use crate::calendar::{ClockTime, DaySet, Roster, Shift};
use crate::model::{Model, OccupancyPeriods, PoolId, Staffing};
use crate::roster::shift_cover::{self, CandidateShift, CoverError, CoverProblem, Horizon};

use super::iterative_staffing::{IsaIteration, IsaRequest, IsaResult, iterative_staffing};

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
    /// The integer program's time budget per pool.
    pub time_limit: Duration,
}

/// One shift of a designed roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DesignedShift {
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
    /// Officers required in each hour of the day (the staffing algorithm's answer).
    pub requirement: Vec<u32>,
    /// Officers on duty in each hour under the designed shifts (≥ the requirement).
    pub on_duty: Vec<u32>,
    /// The shifts with officers on them, by start.
    pub shifts: Vec<DesignedShift>,
    /// Officer-hours per day of the designed roster.
    pub officer_hours_per_day: u32,
    /// Whether the set cover was proven optimal.
    pub optimal: bool,
}

/// The designed rosters and how the requirement was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// One per requested pool, in request order.
    pub pools: Vec<PoolDesign>,
    /// The staffing algorithm's result (requirement, estimates, iterations, MOL).
    pub isa: IsaResult,
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
    let isa = iterative_staffing(
        model,
        &IsaRequest {
            pools: request.pools.clone(),
            periods: OccupancyPeriods {
                cycle: 24,
                offset: 0,
            },
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
            let cover = shift_cover::solve(&CoverProblem {
                requirement,
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
                .map(|(s, &n)| designed(s, n))
                .collect();
            Ok(PoolDesign {
                pool,
                requirement: requirement.clone(),
                on_duty: cover.on_duty,
                officer_hours_per_day: shifts.iter().map(|s| s.hours * s.staff).sum(),
                shifts,
                optimal: cover.optimal,
            })
        })
        .collect::<Result<_, DesignError>>()?;
    Ok(Design { pools, isa })
}

fn designed(s: &CandidateShift, staff: u32) -> DesignedShift {
    DesignedShift {
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

/// The model with each designed pool working its designed roster.
pub fn apply(model: &Model, design: &Design) -> Model {
    let mut m = model.clone();
    for d in &design.pools {
        let shifts = d
            .shifts
            .iter()
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
            .collect();
        m.pools[d.pool.index()].general = Staffing::Roster(Roster::new(shifts));
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
    for s in &design.shifts {
        let _ = writeln!(
            out,
            "  {{ days = \"Mon-Sun\", start = \"{}\", end = \"{}\", staff = {} }},",
            clock(s.start_hour),
            clock(end_hour(s)),
            s.staff
        );
    }
    out.push_str("]\n");
    out
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
                    start_hour: 6,
                    hours: 8,
                    staff: 12,
                },
                DesignedShift {
                    start_hour: 16,
                    hours: 8,
                    staff: 9,
                },
                DesignedShift {
                    start_hour: 22,
                    hours: 10,
                    staff: 4,
                },
            ],
            officer_hours_per_day: 208,
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
