//! The iterative staffing algorithm (ISA) of Feldman, Mandelbaum, Massey & Whitt,
//! "Staffing of Time-Varying Queues to Achieve Time-Stable Performance", *Management
//! Science* 54(2), 2008, run on the simulator itself.
//!
//! Start with as many officers as could ever be needed — the first run is the
//! infinite-server model, whose mean occupancy is the offered load m(t), giving the
//! modified-offered-load staffing (Erlang C at m(t)) to start from — then repeat: simulate
//! under the current staffing, and set each period's staffing to the smallest s with
//! P(L(t) ≥ s) ≤ α, L(t) being the number of shipments at the pool (in service or
//! waiting) in period t, estimated from the time each replication spent at each level
//! in that period. Every iteration runs the same seed (common random numbers), so that
//! the staffing settles instead of jittering with the noise of fresh draws. It settles
//! to within an officer, not always exactly: in an hour whose P(L ≥ s) lies within the
//! noise of α, an officer more or less in the hour before moves the estimate across α
//! and back (seen on M_t/M/s_t at 100 arrivals an hour). So once no period would change
//! by more than [`IsaRequest::tolerance`] officers, the answer is the larger of the last
//! two staffings in each period, verified by one more run whose estimates are reported.
//! Without abandonment (the paper's model has it) and near α = 0.5 the plain iteration
//! can swing ever wider — one officer short in the trough and the backlog asks for
//! twenty more, which then ask for too few (seen on M_t/M/s_t) — so once any period
//! turns back, each step goes halfway towards what was asked.
//! That last staffing meets α in every period: with the same draws, more officers
//! anywhere never leave more shipments at the pool at any time (each shipment keeps its
//! service time and leaves no later), so where it kept the last run's count the
//! estimate can only fall, and where it took the asked-for count it was already ≤ α.
//!
//! Staffing is per hour pooled round a cycle ([`OccupancyPeriods`]): the hours of a
//! day (cycle 24) or of a week (168), written into the model as a roster of one-hour
//! shifts every day (holidays included) — a weekly roster, as the scenario format has.

use crate::calendar::{ClockTime, DaySet, Roster, Shift};
use crate::engine::SimTime;
use crate::model::{ExtraStaff, Model, OccupancyPeriods, PoolId, Staffing};

use crate::roster::requirement::mol_staffing;

use super::replications::{RunOptions, checkpoints, resume_replications, run_replications};

/// Staffing for "as many as could ever be needed": far more officers than shipments a
/// run can hold at once would be pointless, and the queue never forms.
const UNLIMITED: u32 = 1_000_000;

/// What to design and how.
#[derive(Clone, Debug)]
pub struct IsaRequest {
    /// The pools whose staffing is designed (the others keep their rosters).
    pub pools: Vec<PoolId>,
    /// The periods: hours of the day (cycle 24) or of the week (cycle 168).
    pub periods: OccupancyPeriods,
    /// The target probability that a shipment arriving at a pool finds every officer
    /// busy, per period (α).
    pub delay_probability: f64,
    /// Iterations at most (the first is the infinite-server run).
    pub max_iterations: u32,
    /// Settled when no period would change by more than this many officers (0: only an
    /// exact fixed point).
    pub tolerance: u32,
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
}

/// One iteration: the staffing it ran under and what its occupancy asked for next.
#[derive(Clone, Debug, PartialEq)]
pub struct IsaIteration {
    /// Per designed pool, the officers per period it ran with (`None`: unlimited).
    pub ran_with: Option<Vec<Vec<u32>>>,
    /// Per designed pool, the staffing its occupancy gives.
    pub next: Vec<Vec<u32>>,
    /// Whether this was the final run, of the larger of the last two staffings once they
    /// settled: what its occupancy gives (`next`) is reported, not applied.
    pub final_run: bool,
}

/// The staffing the algorithm settled on, and how it got there.
#[derive(Clone, Debug, PartialEq)]
pub struct IsaResult {
    /// Per designed pool, officers per period: the staffing of the last run.
    pub staffing: Vec<Vec<u32>>,
    /// Per designed pool, the estimate of P(L(t) ≥ s) for s = 0, 1, … in each period,
    /// from the last run (under `staffing`).
    pub tail: Vec<Vec<Vec<f64>>>,
    /// Per designed pool, the offered load m(t) of each period: the mean occupancy of
    /// the first, infinite-server run.
    pub offered_load: Vec<Vec<f64>>,
    /// Per designed pool, the modified-offered-load staffing (Erlang C at m(t)): the
    /// algorithm's starting point.
    pub mol: Vec<Vec<u32>>,
    /// Every iteration.
    pub iterations: Vec<IsaIteration>,
    /// Whether it settled within the tolerance (then the last run verified the final
    /// staffing); false when it ran out of iterations first.
    pub converged: bool,
}

/// The model with `staffing[i]` officers per period in pool `pools[i]` (one-hour
/// shifts) and occupancy recorded by `periods`.
pub fn with_staffing(
    model: &Model,
    pools: &[PoolId],
    periods: &OccupancyPeriods,
    staffing: &[Vec<u32>],
) -> Model {
    let mut m = model.clone();
    m.occupancy = Some(periods.clone());
    for (&p, per_period) in pools.iter().zip(staffing) {
        let rosters = hourly_rosters(periods, per_period);
        place_rosters(&mut m, p, periods, rosters);
    }
    m
}

/// Pool `pool` of `model` works `rosters` where `periods` say: for a cycle, the one
/// roster throughout; for day types, from the first to the last day of the range the
/// roster of each day's type (`rosters[type]`, repeating day after day), and outside
/// the range its own staffing. There the rosters are the pool's whole general headcount:
/// extra hands of peaks are dropped (outside the range they are kept).
pub fn place_rosters(
    model: &mut Model,
    pool: PoolId,
    periods: &OccupancyPeriods,
    rosters: Vec<Roster>,
) {
    place(model, pool, periods, rosters);
    // The new rosters answer "who is on duty" from tables, as the loader's do.
    let (first_day, last_day) = model.staffing_days();
    model.pools[pool.index()].prepare(&model.calendar, first_day, last_day);
}

fn place(model: &mut Model, pool: PoolId, periods: &OccupancyPeriods, rosters: Vec<Roster>) {
    let pool = &mut model.pools[pool.index()];
    match periods {
        OccupancyPeriods::Cycle { .. } => {
            let roster = rosters.into_iter().next().unwrap_or_default();
            pool.general = Staffing::Roster(roster);
            pool.extra.clear();
        }
        OccupancyPeriods::DayTypes {
            first_day,
            day_types,
            ..
        } => {
            let day_start = |d: usize| SimTime::from_hours(d as f64 * 24.0);
            let (from, to) = (
                day_start(*first_day),
                day_start(first_day + day_types.len()),
            );
            let own = pool.general.clone();
            let mut parts = vec![(SimTime::ZERO, own.clone())];
            let mut last_type = None;
            for (i, &t) in day_types.iter().enumerate() {
                if last_type != Some(t) {
                    let roster = rosters[usize::from(t)].clone();
                    parts.push((day_start(first_day + i), Staffing::Roster(roster)));
                    last_type = Some(t);
                }
            }
            parts.push((to, own));
            // A part from time zero replaces the first.
            if parts.len() > 1 && parts[1].0 == SimTime::ZERO {
                parts.remove(0);
            }
            pool.general = Staffing::Dated(parts);
            pool.extra = pool
                .extra
                .iter()
                .flat_map(|e| {
                    // The parts of each extra period before and after the range.
                    let before = ExtraStaff {
                        to: e.to.min(from),
                        ..*e
                    };
                    let after = ExtraStaff {
                        from: e.from.max(to),
                        ..*e
                    };
                    [before, after]
                })
                .filter(|e| e.from < e.to)
                .collect();
        }
    }
}

/// One-hour shifts giving `per_period[k]` officers in period k: for a cycle, one roster
/// (24: every day alike; 168: Monday 00:00 first, moved by the cycle's offset); for day
/// types, one roster of the 24 hours of each type, every day alike.
fn hourly_rosters(periods: &OccupancyPeriods, per_period: &[u32]) -> Vec<Roster> {
    match periods {
        OccupancyPeriods::Cycle { cycle, offset } => {
            vec![hourly_roster(*cycle, *offset, per_period)]
        }
        OccupancyPeriods::DayTypes { .. } => per_period
            .chunks(24)
            .map(|day| hourly_roster(24, 0, day))
            .collect(),
    }
}

/// A roster of one-hour shifts giving `per_period[k]` officers in period k of the
/// cycle (24: every day alike, holidays included; 168: Monday 00:00 first, moved by
/// `offset`).
fn hourly_roster(cycle: usize, offset: usize, per_period: &[u32]) -> Roster {
    let mut shifts = Vec::new();
    for (k, &staff) in per_period.iter().enumerate() {
        if staff == 0 {
            continue;
        }
        // Period k is hour h of the week (or day) with (h + offset) mod cycle = k.
        let h = (k + cycle - offset % cycle) % cycle;
        let hour = h % 24;
        let days = if cycle == 24 {
            DaySet::ALL
        } else {
            const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            DaySet::parse(NAMES[h / 24]).expect("a weekday's name")
        };
        let at = |hh: usize| {
            ClockTime::parse(&format!("{hh:02}:00")).expect("a whole hour is a clock time")
        };
        shifts.push(
            Shift::new(days, at(hour), at(hour + 1), staff, true)
                .expect("a one-hour shift is a shift"),
        );
    }
    Roster::new(shifts)
}

/// Whether any period's staffing moved one way from `before` to `ran` and is asked to
/// move the other way from `ran` to `next`.
fn turned_back(before: &[Vec<u32>], ran: &[Vec<u32>], next: &[Vec<u32>]) -> bool {
    before
        .iter()
        .flatten()
        .zip(ran.iter().flatten())
        .zip(next.iter().flatten())
        .any(|((b, r), n)| (r > b && n < r) || (r < b && n > r))
}

/// Halfway from `from` towards `to` in each period, rounded towards `from`: a period
/// asked to move by one stays (that is within the tolerance of one), by two or more
/// moves at least one.
fn halfway(from: &[Vec<u32>], to: &[Vec<u32>]) -> Vec<Vec<u32>> {
    from.iter()
        .zip(to)
        .map(|(f, t)| {
            f.iter()
                .zip(t)
                .map(|(&a, &b)| {
                    if b >= a {
                        a + (b - a) / 2
                    } else {
                        a - (a - b) / 2
                    }
                })
                .collect()
        })
        .collect()
}

/// The larger of `a` and `b` in each period.
fn elementwise_max(a: &[Vec<u32>], b: &[Vec<u32>]) -> Vec<Vec<u32>> {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| *p.max(q)).collect())
        .collect()
}

/// The largest change of any period's staffing between `a` and `b`.
fn largest_change(a: &[Vec<u32>], b: &[Vec<u32>]) -> u32 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

/// The time-average level, from the hours spent at each.
fn mean_level(hours: &[f64]) -> f64 {
    let total: f64 = hours.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    hours
        .iter()
        .enumerate()
        .map(|(l, h)| l as f64 * h)
        .sum::<f64>()
        / total
}

/// P(L ≥ s) for s = 0, 1, …, from the hours spent at each level.
fn tail_of(hours: &[f64]) -> Vec<f64> {
    let total: f64 = hours.iter().sum();
    let mut tail = vec![0.0; hours.len() + 1];
    let mut above = 0.0;
    for s in (0..hours.len()).rev() {
        above += hours[s];
        tail[s] = if total > 0.0 { above / total } else { 0.0 };
    }
    tail
}

/// The smallest s with P(L ≥ s) ≤ α.
fn staff_for(tail: &[f64], alpha: f64) -> u32 {
    tail.iter().position(|&p| p <= alpha).unwrap_or(tail.len()) as u32
}

/// Runs the iterative staffing algorithm on `model`.
///
/// # Panics
///
/// If the periods' cycle is not 24 or 168: the staffing is written as a weekly roster.
pub fn iterative_staffing(
    model: &Model,
    request: &IsaRequest,
    mut progress: impl FnMut(&IsaIteration),
) -> Result<IsaResult, rayon::ThreadPoolBuildError> {
    if let OccupancyPeriods::Cycle { cycle, .. } = request.periods {
        assert!(
            matches!(cycle, 24 | 168),
            "iterative staffing pools hours of the day (24) or of the week (168), not a cycle of {cycle}"
        );
    }
    let cycle = request.periods.count();
    let unlimited = vec![vec![UNLIMITED; cycle]; request.pools.len()];
    let mut current: Option<Vec<Vec<u32>>> = None;
    let mut iterations = Vec::new();
    let mut tail: Vec<Vec<Vec<f64>>>;
    let mut offered = Vec::new();
    let mut mol = Vec::new();
    let mut converged = false;
    let mut verifying = false;
    // The staffing before the last run's, and whether steps are damped.
    let mut previous_step: Option<Vec<Vec<u32>>> = None;
    let mut damped = false;
    let model_with = |staffing: &[Vec<u32>]| -> Model {
        let mut m = with_staffing(model, &request.pools, &request.periods, staffing);
        // Nothing after a range of days is recorded: the runs stop at its end (the same
        // draws up to there, so the same occupancy), without draining.
        if let OccupancyPeriods::DayTypes {
            first_day,
            day_types,
            ..
        } = &request.periods
        {
            let end = SimTime::from_hours(((first_day + day_types.len()) * 24) as f64);
            if m.warmup < end && end < m.horizon {
                m.horizon = end;
                m.drain_hours = 0.0;
            }
        }
        m
    };
    // Before a range of days, every iteration's model is the scenario's own (the
    // staffing is placed from the range's first day on, where a dated part of it
    // starts): those days are run once, and each iteration continues from there —
    // with the same figures, bit for bit, as running it from the start.
    let before_range;
    let stopped = match &request.periods {
        OccupancyPeriods::DayTypes { first_day, .. } if *first_day > 0 => {
            before_range = model_with(&unlimited);
            let start = SimTime::from_hours((first_day * 24) as f64);
            Some(checkpoints(&before_range, start, request.jobs)?)
        }
        _ => None,
    };
    loop {
        let staffing = current.as_deref().unwrap_or(&unlimited);
        let m = model_with(staffing);
        let results = match &stopped {
            Some(stopped) => resume_replications(stopped, &m, request.jobs)?,
            None => run_replications(
                &m,
                RunOptions {
                    jobs: request.jobs,
                    ..RunOptions::default()
                },
            )?,
        };
        // Per pool and period, the hours at each level, pooled over replications.
        let hours: Vec<Vec<Vec<f64>>> = request
            .pools
            .iter()
            .map(|p| {
                (0..cycle)
                    .map(|k| {
                        let mut hours: Vec<f64> = Vec::new();
                        for r in &results {
                            let row = &r.pools[p.index()].occupancy[k];
                            if hours.len() < row.len() {
                                hours.resize(row.len(), 0.0);
                            }
                            for (h, x) in hours.iter_mut().zip(row) {
                                *h += x;
                            }
                        }
                        hours
                    })
                    .collect()
            })
            .collect();
        tail = hours
            .iter()
            .map(|pool| pool.iter().map(|h| tail_of(h)).collect())
            .collect();
        let alpha = request.delay_probability;
        let next: Vec<Vec<u32>> = if current.is_none() {
            // The infinite-server run: its mean occupancy is the offered load m(t), and
            // the first staffing is Erlang C at it (modified offered load). Staffing
            // from this run's own P(L ≥ s) would put s near the Poisson quantile of
            // m(t) — for α = 0.5 about m(t) itself, a critically loaded queue whose
            // backlog then asks for far too many, and round it goes.
            offered = hours
                .iter()
                .map(|pool| pool.iter().map(|h| mean_level(h)).collect())
                .collect();
            mol = offered
                .iter()
                .map(|loads: &Vec<f64>| mol_staffing(loads, alpha))
                .collect();
            mol.clone()
        } else {
            tail.iter()
                .map(|pool| pool.iter().map(|t| staff_for(t, alpha)).collect())
                .collect()
        };
        let iteration = IsaIteration {
            ran_with: current.clone(),
            next: next.clone(),
            final_run: verifying,
        };
        progress(&iteration);
        iterations.push(iteration);
        if verifying {
            break;
        }
        if let Some(ran) = &current
            && largest_change(ran, &next) <= request.tolerance
        {
            converged = true;
            if *ran == next {
                break;
            }
            // Settled within the tolerance: the larger of the two, run once more.
            current = Some(elementwise_max(ran, &next));
            verifying = true;
            continue;
        }
        if iterations.len() as u32 >= request.max_iterations.max(1) {
            break;
        }
        let Some(ran) = current else {
            current = Some(next);
            continue;
        };
        // Damped once any period turns back: halfway towards what was asked, as a
        // step of the full size would overshoot again.
        if let Some(before) = &previous_step {
            damped |= turned_back(before, &ran, &next);
        }
        let step = if damped { halfway(&ran, &next) } else { next };
        previous_step = Some(ran);
        current = Some(step);
    }
    Ok(IsaResult {
        // The staffing of the last run, the one its estimates describe (after only the
        // infinite-server run, what that run asked for).
        staffing: current.unwrap_or_else(|| iterations[0].next.clone()),
        tail,
        offered_load: offered,
        mol,
        iterations,
        converged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "not a cycle of 12")]
    fn a_cycle_other_than_a_day_or_a_week_is_refused() {
        let text = r#"
name = "t"
start = "2024-01-01"
horizon_days = 2
[[pools]]
name = "p"
staff = 1
[[modes]]
name = "m"
arrivals = { kind = "poisson", rate_per_hour = 1.0 }
stages = [ { name = "s", pool = "p", time = { dist = "exponential", mean = "1h" } } ]
"#;
        let model = crate::scenario::load_str("t.toml", text, &[])
            .unwrap()
            .model;
        let request = IsaRequest {
            pools: vec![PoolId(0)],
            periods: OccupancyPeriods::Cycle {
                cycle: 12,
                offset: 0,
            },
            delay_probability: 0.2,
            max_iterations: 2,
            tolerance: 1,
            jobs: Some(1),
        };
        let _ = iterative_staffing(&model, &request, |_| {});
    }

    #[test]
    fn the_staffing_is_the_smallest_count_whose_tail_is_within_the_target() {
        // Hours at 0, 1, 2, 3: P(L ≥ s) = 1, 0.9, 0.6, 0.2, 0.
        let tail = tail_of(&[1.0, 3.0, 4.0, 2.0]);
        let want = [1.0, 0.9, 0.6, 0.2, 0.0];
        for (a, b) in tail.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{tail:?}");
        }
        assert_eq!(staff_for(&tail, 0.5), 3);
        assert_eq!(staff_for(&tail, 0.2), 3);
        assert_eq!(staff_for(&tail, 0.1), 4);
        assert_eq!(staff_for(&tail, 0.95), 1);
    }
}
