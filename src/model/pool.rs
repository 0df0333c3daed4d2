//! Staff pools and their staffing.

use crate::calendar::{Calendar, Roster};
use crate::engine::SimTime;

/// Index of a pool in [`super::Model::pools`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PoolId(pub u32);

/// A named pool of officers.
#[derive(Clone, Debug)]
pub struct Pool {
    /// Pool name.
    pub name: String,
    /// How many officers are on duty when.
    pub staffing: Staffing,
}

/// Headcount over time.
#[derive(Clone, Debug)]
pub enum Staffing {
    /// Always this many officers.
    Constant(u32),
    /// Officers by roster (the roster of the chosen policy).
    Roster(Roster),
}

impl Staffing {
    /// Officers on duty at `t`.
    pub fn headcount_at(&self, calendar: &Calendar, t: SimTime) -> u32 {
        match self {
            Staffing::Constant(n) => *n,
            Staffing::Roster(r) => r.headcount_at(calendar, t),
        }
    }

    /// The next time after `t` the headcount may change (`None` if never).
    pub fn next_change_after(&self, calendar: &Calendar, t: SimTime) -> Option<SimTime> {
        match self {
            Staffing::Constant(_) => None,
            Staffing::Roster(r) => Some(r.next_change_after(calendar, t)),
        }
    }
}
