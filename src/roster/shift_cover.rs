//! Shift scheduling as a set cover: how many officers to put on each candidate shift so
//! that every period has at least its required number on duty, at the lowest cost.
//!
//! The integer program (Dantzig's shift-scheduling formulation): minimise Σⱼ cⱼ·xⱼ
//! subject to Σ_{j on duty in t} xⱼ ≥ r(t) for every period t, xⱼ ∈ {0, 1, …, max}.
//! Over a window (shifts that do not wrap) the constraint matrix has consecutive ones
//! in every column, so it is totally unimodular and the linear relaxation already has an
//! integral optimum; over a repeating day (overnight shifts wrapping to the morning) it
//! is not, and branch and bound finishes the job. Solved with `microlp` (pure Rust).

use std::fmt;
use std::time::Duration;

use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// One shift that may be rostered: it starts at period `start` and is on duty for
/// `length` consecutive periods.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateShift {
    /// The first period on duty (0-based).
    pub start: usize,
    /// Periods on duty.
    pub length: usize,
    /// What one officer on this shift costs (officer-hours, or a weighted cost).
    pub cost: f64,
}

/// What lies beyond the last period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Horizon {
    /// Nothing: a window of dates, and a shift must end by its last period.
    Window,
    /// The first period again: a day type repeating, where a shift running past
    /// midnight covers the next morning of a day of the same type.
    Cyclic,
}

impl CandidateShift {
    /// Whether this shift is on duty in `period` of a horizon of `periods`.
    pub fn covers(&self, period: usize, periods: usize, horizon: Horizon) -> bool {
        match horizon {
            Horizon::Window => period >= self.start && period < self.start + self.length,
            // The distance forward from the start, round the cycle.
            Horizon::Cyclic => (period + periods - self.start % periods) % periods < self.length,
        }
    }

    /// Whether the shift lies on the horizon: it starts on it, has a length, and — in a
    /// window — ends by its last period (in a cycle it is at most a whole cycle long).
    pub fn fits(&self, periods: usize, horizon: Horizon) -> bool {
        self.length > 0
            && self.start < periods
            && match horizon {
                Horizon::Window => self.start + self.length <= periods,
                Horizon::Cyclic => self.length <= periods,
            }
    }
}

/// The candidate shifts of a grid: every `lengths` value starting every `starts_every`
/// periods from period 0, those that fit the horizon; one officer costs `cost_per_period`
/// per period on duty.
pub fn shift_grid(
    periods: usize,
    lengths: &[usize],
    starts_every: usize,
    horizon: Horizon,
    cost_per_period: f64,
) -> Vec<CandidateShift> {
    let mut shifts = Vec::new();
    for start in (0..periods).step_by(starts_every.max(1)) {
        for &length in lengths {
            let shift = CandidateShift {
                start,
                length,
                cost: cost_per_period * length as f64,
            };
            if shift.fits(periods, horizon) {
                shifts.push(shift);
            }
        }
    }
    shifts
}

/// A shift-scheduling problem.
#[derive(Clone, Debug)]
pub struct CoverProblem<'a> {
    /// Officers required in each period.
    pub requirement: &'a [u32],
    /// The shifts that may be rostered.
    pub shifts: &'a [CandidateShift],
    /// The most officers on one shift, if limited.
    pub max_per_shift: Option<u32>,
    /// What lies beyond the last period.
    pub horizon: Horizon,
    /// The solver's time budget; the best roster found by then is returned, marked as
    /// not proven optimal.
    pub time_limit: Duration,
}

/// The cheapest roster found.
#[derive(Clone, Debug, PartialEq)]
pub struct Cover {
    /// Officers on each candidate shift, in the order of [`CoverProblem::shifts`].
    pub headcounts: Vec<u32>,
    /// Σ cost × headcount.
    pub cost: f64,
    /// Officers on duty in each period.
    pub on_duty: Vec<u32>,
    /// Whether the solver proved no cheaper roster exists (false only when the time
    /// budget ran out first).
    pub optimal: bool,
}

/// Why no roster could be made.
#[derive(Clone, Debug, PartialEq)]
pub enum CoverError {
    /// A candidate shift lies off the horizon.
    ShiftOffHorizon {
        /// Its index among the candidates.
        index: usize,
        /// The shift.
        shift: CandidateShift,
    },
    /// A period needs more officers than the candidate shifts on duty in it can hold.
    Uncoverable {
        /// The period (0-based).
        period: usize,
        /// Officers it needs.
        required: u32,
        /// Officers the shifts on duty in it can hold at most (0 if none is).
        at_most: u64,
    },
    /// The solver failed (numerical trouble); its message.
    Solver(String),
}

impl fmt::Display for CoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoverError::ShiftOffHorizon { index, shift } => write!(
                f,
                "candidate shift {index} (start {}, {} periods) lies off the horizon",
                shift.start, shift.length
            ),
            CoverError::Uncoverable {
                period,
                required,
                at_most: 0,
            } => write!(
                f,
                "period {period} needs {required} officers but no candidate shift is on duty in it"
            ),
            CoverError::Uncoverable {
                period,
                required,
                at_most,
            } => write!(
                f,
                "period {period} needs {required} officers but the shifts on duty in it hold at most {at_most}"
            ),
            CoverError::Solver(m) => write!(f, "the integer program could not be solved: {m}"),
        }
    }
}

impl std::error::Error for CoverError {}

/// Officers on duty in each of `periods` periods when shift j has `headcounts[j]`.
pub fn on_duty(
    shifts: &[CandidateShift],
    headcounts: &[u32],
    periods: usize,
    horizon: Horizon,
) -> Vec<u32> {
    (0..periods)
        .map(|t| {
            shifts
                .iter()
                .zip(headcounts)
                .filter(|(s, _)| s.covers(t, periods, horizon))
                .map(|(_, &n)| n)
                .sum()
        })
        .collect()
}

/// The cheapest headcounts covering every period's requirement.
pub fn solve(problem: &CoverProblem) -> Result<Cover, CoverError> {
    let periods = problem.requirement.len();
    let shifts = problem.shifts;
    if let Some((index, shift)) = shifts
        .iter()
        .enumerate()
        .find(|(_, s)| !s.fits(periods, problem.horizon))
    {
        return Err(CoverError::ShiftOffHorizon {
            index,
            shift: shift.clone(),
        });
    }
    // No optimal roster puts more officers on one shift than the largest requirement.
    let most = problem.requirement.iter().copied().max().unwrap_or(0);
    let cap = problem.max_per_shift.map_or(most, |m| m.min(most));
    let covering: Vec<Vec<usize>> = (0..periods)
        .map(|t| {
            (0..shifts.len())
                .filter(|&j| shifts[j].covers(t, periods, problem.horizon))
                .collect()
        })
        .collect();
    for (t, (&required, on)) in problem.requirement.iter().zip(&covering).enumerate() {
        let at_most = on.len() as u64 * u64::from(cap);
        if u64::from(required) > at_most {
            return Err(CoverError::Uncoverable {
                period: t,
                required,
                at_most: on.len() as u64 * u64::from(problem.max_per_shift.unwrap_or(required)),
            });
        }
    }
    if most == 0 {
        return Ok(Cover {
            headcounts: vec![0; shifts.len()],
            cost: 0.0,
            on_duty: vec![0; periods],
            optimal: true,
        });
    }
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let cap_i32 = i32::try_from(cap).unwrap_or(i32::MAX);
    let vars: Vec<_> = shifts
        .iter()
        .map(|s| lp.add_integer_var(s.cost, (0, cap_i32)))
        .collect();
    for (&required, on) in problem.requirement.iter().zip(&covering) {
        if required > 0 {
            let terms: Vec<_> = on.iter().map(|&j| (vars[j], 1.0)).collect();
            lp.add_constraint(terms.as_slice(), ComparisonOp::Ge, f64::from(required));
        }
    }
    lp.set_time_limit(problem.time_limit);
    let outcome = lp.solve().map_err(|e| CoverError::Solver(e.to_string()))?;
    let optimal = outcome.is_optimal();
    let solution = outcome.into_solution().map_err(|_| {
        CoverError::Solver(format!(
            "no roster found within the time budget of {:?}",
            problem.time_limit
        ))
    })?;
    // Integer variables come back within a tolerance of their integer.
    let headcounts: Vec<u32> = vars
        .iter()
        .map(|&v| solution.var_value(v).round().max(0.0) as u32)
        .collect();
    let on_duty = on_duty(shifts, &headcounts, periods, problem.horizon);
    if let Some(t) = (0..periods).find(|&t| on_duty[t] < problem.requirement[t]) {
        return Err(CoverError::Solver(format!(
            "the solver's roster leaves period {t} short ({} of {})",
            on_duty[t], problem.requirement[t]
        )));
    }
    let cost = shifts
        .iter()
        .zip(&headcounts)
        .map(|(s, &n)| s.cost * f64::from(n))
        .sum();
    Ok(Cover {
        headcounts,
        cost,
        on_duty,
        optimal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn problem<'a>(
        requirement: &'a [u32],
        shifts: &'a [CandidateShift],
        max_per_shift: Option<u32>,
        horizon: Horizon,
    ) -> CoverProblem<'a> {
        CoverProblem {
            requirement,
            shifts,
            max_per_shift,
            horizon,
            time_limit: Duration::from_secs(60),
        }
    }

    /// The cheapest cover by trying every headcount vector (0..=cap per shift).
    fn exhaustive(p: &CoverProblem) -> Option<f64> {
        let periods = p.requirement.len();
        let cap = p
            .max_per_shift
            .unwrap_or(*p.requirement.iter().max().unwrap());
        let n = p.shifts.len();
        let mut counts = vec![0u32; n];
        let mut best: Option<f64> = None;
        loop {
            let duty = on_duty(p.shifts, &counts, periods, p.horizon);
            if duty.iter().zip(p.requirement).all(|(d, r)| d >= r) {
                let cost: f64 = p
                    .shifts
                    .iter()
                    .zip(&counts)
                    .map(|(s, &c)| s.cost * f64::from(c))
                    .sum();
                if best.is_none_or(|b| cost < b - 1e-9) {
                    best = Some(cost);
                }
            }
            // The next vector in base cap + 1.
            let mut i = 0;
            loop {
                if i == n {
                    return best;
                }
                if counts[i] < cap {
                    counts[i] += 1;
                    break;
                }
                counts[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn cyclic_and_window_shifts_cover_the_right_periods() {
        let night = CandidateShift {
            start: 22,
            length: 8,
            cost: 8.0,
        };
        let on: Vec<usize> = (0..24)
            .filter(|&t| night.covers(t, 24, Horizon::Cyclic))
            .collect();
        assert_eq!(on, [0, 1, 2, 3, 4, 5, 22, 23]);
        assert!(!night.fits(24, Horizon::Window));
        assert!(night.fits(30, Horizon::Window));
        let on: Vec<usize> = (0..30)
            .filter(|&t| night.covers(t, 30, Horizon::Window))
            .collect();
        assert_eq!(on, (22..30).collect::<Vec<_>>());
        let grid = shift_grid(24, &[8, 12], 4, Horizon::Window, 1.0);
        assert!(
            grid.iter()
                .all(|s| s.start % 4 == 0 && s.start + s.length <= 24)
        );
        assert_eq!(grid.len(), 5 + 4); // 8 h from 0,4,…,16; 12 h from 0,4,8,12
        assert_eq!(shift_grid(24, &[8, 12], 4, Horizon::Cyclic, 1.0).len(), 12);
    }

    #[test]
    fn the_integer_program_finds_the_exhaustive_optimum() {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(5);
        for case in 0..60 {
            let periods = rng.random_range(4..9usize);
            let horizon = if case % 2 == 0 {
                Horizon::Cyclic
            } else {
                Horizon::Window
            };
            let lengths = [2, 3, 4];
            let mut shifts = shift_grid(periods, &lengths, rng.random_range(1..3), horizon, 1.0);
            // Uneven prices, so that the cheapest cover is not just the fewest hours.
            for s in &mut shifts {
                s.cost = s.length as f64 * rng.random_range(0.8..1.3);
            }
            // Keep the exhaustive search small: at most 6 shifts, 0..=3 officers each.
            shifts.truncate(6);
            let max = if case % 3 == 0 { Some(2) } else { None };
            let requirement: Vec<u32> = (0..periods)
                .map(|t| {
                    if shifts.iter().any(|s| s.covers(t, periods, horizon)) {
                        rng.random_range(0..4)
                    } else {
                        0
                    }
                })
                .collect();
            let p = problem(&requirement, &shifts, max, horizon);
            match (solve(&p), exhaustive(&p)) {
                (Ok(cover), Some(best)) => {
                    assert!(cover.optimal);
                    assert!(
                        (cover.cost - best).abs() < 1e-6,
                        "case {case}: {} vs exhaustive {best}; {requirement:?} {shifts:?}",
                        cover.cost
                    );
                    assert!(cover.on_duty.iter().zip(&requirement).all(|(d, r)| d >= r));
                    if let Some(m) = max {
                        assert!(cover.headcounts.iter().all(|&n| n <= m));
                    }
                }
                (Err(CoverError::Uncoverable { .. }), None) => {}
                (got, want) => panic!("case {case}: {got:?} against exhaustive {want:?}"),
            }
        }
    }

    #[test]
    fn a_constant_requirement_over_three_eight_hour_shifts_is_covered_evenly() {
        let shifts = shift_grid(24, &[8], 8, Horizon::Cyclic, 1.0);
        let requirement = [7u32; 24];
        let cover = solve(&problem(&requirement, &shifts, None, Horizon::Cyclic)).unwrap();
        assert_eq!(cover.headcounts, [7, 7, 7]);
        assert_eq!(cover.cost, 168.0);
    }

    #[test]
    fn impossible_problems_say_where() {
        let shifts = [CandidateShift {
            start: 0,
            length: 4,
            cost: 4.0,
        }];
        let err = solve(&problem(&[1, 1, 1, 1, 1], &shifts, None, Horizon::Window)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "period 4 needs 1 officers but no candidate shift is on duty in it"
        );
        let err = solve(&problem(&[3, 1, 1, 1], &shifts, Some(2), Horizon::Window)).unwrap_err();
        assert!(matches!(
            err,
            CoverError::Uncoverable {
                period: 0,
                required: 3,
                at_most: 2
            }
        ));
        let off = [CandidateShift {
            start: 2,
            length: 4,
            cost: 4.0,
        }];
        let err = solve(&problem(&[1, 1, 1, 1], &off, None, Horizon::Window)).unwrap_err();
        assert!(matches!(err, CoverError::ShiftOffHorizon { index: 0, .. }));
    }
}
