//! Staff pools and their staffing.
//!
//! A pool has *general* officers, who serve any shipment, and optionally *restricted*
//! officers (shifts with `serves = "reserved"`), who serve only the priority class (the
//! fast track) and shipments that reserved service — on call otherwise. Peaks add extra
//! general officers to shifts on duty; they never open a pool outside its shifts.

use crate::calendar::{Calendar, Roster};
use crate::engine::SimTime;

/// A named pool of officers.
#[derive(Clone, Debug)]
pub struct Pool {
    /// Pool name.
    pub name: String,
    /// Officers who serve any shipment.
    pub general: Staffing,
    /// Officers who serve only priority and reserved shipments (on call otherwise).
    pub restricted: Option<Staffing>,
    /// Extra general officers in peak periods, added while general officers are on duty.
    pub extra: Vec<ExtraStaff>,
}

/// Extra hands for a date range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExtraStaff {
    /// First moment of the period.
    pub from: SimTime,
    /// End of the period (exclusive).
    pub to: SimTime,
    /// Extra officers.
    pub staff: u32,
}

/// Headcount over time.
#[derive(Clone, Debug)]
pub enum Staffing {
    /// Always this many officers.
    Constant(u32),
    /// Officers by roster (the roster of the chosen policy).
    Roster(Roster),
    /// Staffing that changes with dated regimes: each part from its instant on, until
    /// the next part's (sorted by time; the first part from the start).
    Dated(Vec<(SimTime, Staffing)>),
}

impl Staffing {
    /// Officers on duty at `t`.
    pub fn headcount_at(&self, calendar: &Calendar, t: SimTime) -> u32 {
        match self {
            Staffing::Constant(n) => *n,
            Staffing::Roster(r) => r.headcount_at(calendar, t),
            Staffing::Dated(parts) => Self::part_at(parts, t).headcount_at(calendar, t),
        }
    }

    /// The part of dated staffing in force at `t`.
    fn part_at(parts: &[(SimTime, Staffing)], t: SimTime) -> &Staffing {
        let i = parts.partition_point(|&(from, _)| from <= t).max(1);
        &parts[i - 1].1
    }

    /// The next time after `t` the headcount may change (`None` if never).
    pub fn next_change_after(&self, calendar: &Calendar, t: SimTime) -> Option<SimTime> {
        match self {
            Staffing::Constant(_) => None,
            Staffing::Roster(r) => Some(r.next_change_after(calendar, t)),
            Staffing::Dated(parts) => {
                let i = parts.partition_point(|&(from, _)| from <= t).max(1);
                let within = parts[i - 1].1.next_change_after(calendar, t);
                let next_part = parts.get(i).map(|&(from, _)| from);
                match (within, next_part) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
        }
    }

    /// Whether anyone is ever on duty under `calendar`.
    pub fn is_ever_staffed(&self, calendar: &Calendar) -> bool {
        match self {
            Staffing::Constant(n) => *n > 0,
            Staffing::Roster(r) => r.is_ever_staffed(calendar),
            Staffing::Dated(parts) => parts.iter().any(|(_, s)| s.is_ever_staffed(calendar)),
        }
    }
}

impl Pool {
    /// (general, restricted) officers on duty at `t`, extra hands included.
    pub fn headcount_at(&self, calendar: &Calendar, t: SimTime) -> (u32, u32) {
        let mut general = self.general.headcount_at(calendar, t);
        if general > 0 {
            general += self
                .extra
                .iter()
                .filter(|e| e.from <= t && t < e.to)
                .map(|e| e.staff)
                .sum::<u32>();
        }
        let restricted = self
            .restricted
            .as_ref()
            .map_or(0, |r| r.headcount_at(calendar, t));
        (general, restricted)
    }

    /// The next time after `t` either headcount may change (`None` if never).
    pub fn next_change_after(&self, calendar: &Calendar, t: SimTime) -> Option<SimTime> {
        let candidates = [
            self.general.next_change_after(calendar, t),
            self.restricted
                .as_ref()
                .and_then(|r| r.next_change_after(calendar, t)),
            self.extra
                .iter()
                .flat_map(|e| [e.from, e.to])
                .filter(|&b| b > t)
                .min(),
        ];
        candidates.into_iter().flatten().min()
    }

    /// General officers on duty (extra hands included) on average in each of `hours`
    /// whole hours from hour `first_hour` (hours since the start's 00:00).
    pub fn hourly_general(&self, calendar: &Calendar, first_hour: usize, hours: usize) -> Vec<f64> {
        let mut out = vec![0.0; hours];
        let end = SimTime::from_hours((first_hour + hours) as f64);
        let mut t = SimTime::from_hours(first_hour as f64);
        while t < end {
            let n = f64::from(self.headcount_at(calendar, t).0);
            let next = self
                .next_change_after(calendar, t)
                .map_or(end, |c| c.min(end));
            // Spread [t, next) over the hours it covers.
            let (mut a, b) = (t.hours(), next.hours());
            while a < b {
                let hour = a.floor();
                let until = (hour + 1.0).min(b);
                out[hour as usize - first_hour] += n * (until - a);
                a = until;
            }
            t = next;
        }
        out
    }

    /// Whether anyone who could serve `priority_or_reserved` shipments is ever on duty.
    pub fn can_ever_serve(&self, calendar: &Calendar, priority_or_reserved: bool) -> bool {
        self.general.is_ever_staffed(calendar)
            || (priority_or_reserved
                && self
                    .restricted
                    .as_ref()
                    .is_some_and(|r| r.is_ever_staffed(calendar)))
    }
}
