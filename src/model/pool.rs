//! Staff pools and their staffing.
//!
//! A pool has *general* officers, who serve any shipment, and optionally *restricted*
//! officers (shifts with `serves = "reserved"`), who serve only the priority class (the
//! fast track) and shipments that reserved service — on call otherwise. Peaks add extra
//! general officers to shifts on duty; they never open a pool outside its shifts.

use crate::calendar::{Calendar, RECHECK_DAYS, Roster, Timeline};
use crate::engine::SimTime;

/// A named pool of officers.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
pub enum Staffing {
    /// Always this many officers.
    Constant(u32),
    /// Officers by roster (the roster of the chosen policy).
    Roster(Roster),
    /// Staffing that changes with dated regimes: each part from its instant on, until
    /// the next part's (sorted by time; the first part from the start).
    Dated(Vec<(SimTime, Staffing)>),
    /// A roster with its step function over a span of days ([`Staffing::prepare`]): the
    /// same answers as [`Staffing::Roster`], bit for bit, by binary search instead of a
    /// walk over every shift and day.
    Prepared(Box<PreparedRoster>),
}

/// A roster and its headcount precomputed over a span of days.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedRoster {
    /// The roster.
    pub roster: Roster,
    timeline: Timeline,
}

impl Staffing {
    /// Officers on duty at `t`.
    pub fn headcount_at(&self, calendar: &Calendar, t: SimTime) -> u32 {
        match self {
            Staffing::Constant(n) => *n,
            Staffing::Roster(r) => r.headcount_at(calendar, t),
            Staffing::Dated(parts) => Self::part_at(parts, t).headcount_at(calendar, t),
            Staffing::Prepared(p) => p.timeline.headcount_at(&p.roster, calendar, t),
        }
    }

    /// Precomputes every roster's headcount from day `first_day` to `last_day` under
    /// `calendar` (a dated part over its own days only, plus the look-ahead of a change
    /// question); every answer stays the same, bit for bit. Every later question must
    /// pass the same calendar.
    pub fn prepare(&mut self, calendar: &Calendar, first_day: i64, last_day: i64) {
        match self {
            Staffing::Constant(_) => {}
            Staffing::Roster(r) => {
                let timeline = Timeline::new(r, calendar, first_day, last_day);
                *self = Staffing::Prepared(Box::new(PreparedRoster {
                    roster: std::mem::take(r),
                    timeline,
                }));
            }
            Staffing::Prepared(p) => {
                if !p.timeline.spans(first_day, last_day) {
                    p.timeline = Timeline::new(&p.roster, calendar, first_day, last_day);
                }
            }
            Staffing::Dated(parts) => {
                let starts: Vec<SimTime> = parts.iter().map(|&(from, _)| from).collect();
                for (i, (_, part)) in parts.iter_mut().enumerate() {
                    // The part is asked about from the day before its start (the first
                    // part: from the span's start) to its end and a look-ahead beyond.
                    let first = match i {
                        0 => first_day,
                        _ => (Calendar::day_index(starts[i]) - 1).max(first_day),
                    };
                    let last = starts.get(i + 1).map_or(last_day, |&to| {
                        (Calendar::day_index(to) + RECHECK_DAYS + 1).min(last_day)
                    });
                    if first <= last {
                        part.prepare(calendar, first, last);
                    }
                }
            }
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
            Staffing::Prepared(p) => Some(p.timeline.next_change_after(&p.roster, calendar, t)),
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
            Staffing::Prepared(p) => p.roster.is_ever_staffed(calendar),
            Staffing::Dated(parts) => parts.iter().any(|(_, s)| s.is_ever_staffed(calendar)),
        }
    }
}

impl Pool {
    /// Prepares the general and restricted staffing over days `first_day` to `last_day`
    /// (see [`Staffing::prepare`]).
    pub fn prepare(&mut self, calendar: &Calendar, first_day: i64, last_day: i64) {
        self.general.prepare(calendar, first_day, last_day);
        if let Some(r) = &mut self.restricted {
            r.prepare(calendar, first_day, last_day);
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_shift as shift;
    use jiff::civil::date;

    /// Dated staffing as the loader and the roster designer make it: office hours, then
    /// from day 10 round-the-clock shifts, from day 12 an overnight-heavy roster for two
    /// days, a constant from day 14, and office hours again from day 20.
    fn dated() -> Staffing {
        let office = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        let shifts = Roster::new(vec![
            shift("Mon-Sun", "08:00", "20:00", 3, true),
            shift("Mon-Sun", "20:00", "08:00", 2, true),
        ]);
        let nights = Roster::new(vec![
            shift("Mon-Sun", "22:00", "06:00", 5, true),
            shift("Mon-Sun", "06:00", "22:00", 1, true),
            shift("Sat", "10:00", "14:00", 2, false),
        ]);
        let day = |d: f64| SimTime::from_hours(d * 24.0);
        Staffing::Dated(vec![
            (SimTime::ZERO, Staffing::Roster(office.clone())),
            (day(10.0), Staffing::Roster(shifts)),
            (day(12.0), Staffing::Roster(nights)),
            (day(14.0), Staffing::Constant(6)),
            (day(20.0), Staffing::Roster(office)),
        ])
    }

    #[test]
    fn prepared_staffing_answers_as_the_walked_rosters_do() {
        let cal = Calendar::new(date(2017, 1, 1), [date(2017, 1, 2), date(2017, 1, 28)])
            .with_workdays([date(2017, 1, 22)]);
        let walked = dated();
        let mut prepared = walked.clone();
        // The table ends before the last part does: later days are walked.
        prepared.prepare(&cal, -3, 40);
        let Staffing::Dated(parts) = &prepared else {
            panic!("dated staffing stays dated")
        };
        assert!(
            parts
                .iter()
                .filter(|(_, s)| matches!(s, Staffing::Prepared(_)))
                .count()
                == 4
        );
        let mut times: Vec<SimTime> = (-5 * 24 * 4..60 * 24 * 4)
            .map(|q| SimTime::from_hours(q as f64 / 4.0))
            .collect();
        let mut t = SimTime::from_hours(-48.0);
        while t < SimTime::from_hours(60.0 * 24.0) {
            times.push(t);
            t = walked.next_change_after(&cal, t).unwrap();
        }
        times.extend([0.1, 1000.0 / 3.0, 239.999_999, 480.0].map(SimTime::from_hours));
        for t in times {
            assert_eq!(
                prepared.headcount_at(&cal, t),
                walked.headcount_at(&cal, t),
                "headcount at {t}"
            );
            assert_eq!(
                prepared
                    .next_change_after(&cal, t)
                    .map(|c| c.hours().to_bits()),
                walked
                    .next_change_after(&cal, t)
                    .map(|c| c.hours().to_bits()),
                "next change after {t}"
            );
        }
        // Preparing again over the same days changes nothing; over others, no answer.
        let mut again = prepared.clone();
        again.prepare(&cal, -3, 40);
        again.prepare(&cal, 0, 15);
        for q in 0..30 * 24 {
            let t = SimTime::from_hours(q as f64);
            assert_eq!(again.headcount_at(&cal, t), walked.headcount_at(&cal, t));
            assert_eq!(
                again.next_change_after(&cal, t),
                walked.next_change_after(&cal, t)
            );
        }
    }

    #[test]
    fn a_loaded_model_has_its_rosters_prepared() {
        let text = r#"
name = "two pools"
start = "2024-01-01"
horizon_days = 5
warmup_days = 1
replications = 1
seed = 1

[[pools]]
name = "office"
roster = "day"
rosters.day = [{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 2 }]

[[pools]]
name = "desk"
staff = 3

[[modes]]
name = "m"
arrivals = { kind = "poisson", rate_per_hour = 1.0 }
stages = [ { name = "s", pool = "office", time = { dist = "exponential", mean = "10m" } } ]
"#;
        let model = crate::scenario::load_str("t.toml", text, &[])
            .expect("loads")
            .model;
        assert!(matches!(model.pools[0].general, Staffing::Prepared(_)));
        assert!(matches!(model.pools[1].general, Staffing::Constant(3)));
    }
}
