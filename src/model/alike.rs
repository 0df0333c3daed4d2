//! Until when two models run alike: how long a replication of one, stopped part-way
//! ([`Replication::run_until`](super::Replication::run_until)) and continued under the
//! other ([`Checkpoint::resume`](super::flow::Checkpoint::resume)), is the other's own
//! run, bit for bit.
//!
//! A replication reads its model's staffing at three places only: the headcount at time
//! zero, the first change of headcount after it, and — at each change it handles — the
//! headcount then and the next change after it. It reads the dated regimes when a
//! shipment arrives (which variant is in force: its number, kept in the shipment, and
//! its modes and reservation rules) and the working-hour calendars by number. Everything
//! else it reads (modes, seed, horizon, peaks, recording) must be the same in both
//! models. So two models run alike up to an instant when all else is equal; every
//! variant in force before it has the same number and content in both; the calendars
//! both have are the same; and, for every pool, walking from one change to the next as a
//! run does, both visit the same instants with the same headcounts before it, and the
//! change pending there was scheduled alike in both. This is what lets a staffing search
//! or a sweep run the days before its candidates or variants differ (say, before a peak
//! whose extra hands it varies, or a regime it switches on) once for all of them.

use super::{Model, Pool, Regimes};
use crate::calendar::Calendar;
use crate::engine::SimTime;

impl Model {
    /// The latest instant at which a replication of `self` may be stopped and continued
    /// under `other` with the same figures, bit for bit, as `other`'s replication run
    /// from the start (any earlier stop will do too); `None` when the two differ from
    /// the start. At most the horizon: no run stops later
    /// ([`Replication::run_until`](super::Replication::run_until)).
    pub fn runs_alike_until(&self, other: &Model) -> Option<SimTime> {
        // Destructured so that a field added to the model must be considered here.
        let Model {
            name,
            calendar,
            horizon,
            warmup,
            warmup_rule,
            drain_hours,
            max_in_system,
            replications,
            seed,
            policy,
            pools,
            modes,
            calendars,
            clearance_interval,
            sla_hours,
            reservations,
            peaks,
            regimes,
            cost,
            occupancy,
        } = self;
        let all_else_equal = *name == other.name
            && *calendar == other.calendar
            && *horizon == other.horizon
            && *warmup == other.warmup
            && *warmup_rule == other.warmup_rule
            && drain_hours.to_bits() == other.drain_hours.to_bits()
            && *max_in_system == other.max_in_system
            && *replications == other.replications
            && *seed == other.seed
            && *policy == other.policy
            && pools.len() == other.pools.len()
            && *modes == other.modes
            // A calendar a regime changes is added under a new number: the calendars
            // both have must be the same (a variant in force before the instant is the
            // same in both, so its calendars are among them) — their hours, that is: a
            // run reads no name, and an added calendar's name lists the regimes in
            // force, which differ between variants.
            && calendars.iter().zip(&other.calendars).all(|(a, b)| a.1 == b.1)
            && *clearance_interval == other.clearance_interval
            && *sla_hours == other.sla_hours
            && *reservations == other.reservations
            && *peaks == other.peaks
            && *cost == other.cost
            && *occupancy == other.occupancy;
        if !all_else_equal {
            return None;
        }
        let mut until = regimes_alike_until(regimes, &other.regimes)?.min(*horizon);
        for (a, b) in pools.iter().zip(&other.pools) {
            if a.name != b.name {
                return None;
            }
            until = until.min(staffed_alike_until(a, b, calendar, *horizon)?);
        }
        Some(until)
    }
}

/// The first instant at which the variant in force differs between `a` and `b`, in
/// number or in content (modes, reservation rules); `INFINITY` if never, `None` if
/// from the start. Before the first segment both have the base (the models' own modes,
/// compared by the caller).
fn regimes_alike_until(a: &Regimes, b: &Regimes) -> Option<SimTime> {
    let mut starts: Vec<SimTime> = (a.segments.iter().chain(&b.segments))
        .map(|&(t, _)| t)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let same = |v: u16| {
        v == 0 || {
            let (x, y) = (
                &a.variants[usize::from(v) - 1],
                &b.variants[usize::from(v) - 1],
            );
            x.modes == y.modes && x.reservations == y.reservations
        }
    };
    for t in starts {
        let v = a.variant_at(t);
        if v != b.variant_at(t) || !same(v) {
            return (t > SimTime::ZERO).then_some(t);
        }
    }
    Some(SimTime::INFINITY)
}

/// The latest instant up to which runs of pools `a` and `b` handle the same changes of
/// headcount with the same headcounts, and have the same change pending (`None`: they
/// differ at time zero); at most `limit`.
fn staffed_alike_until(a: &Pool, b: &Pool, cal: &Calendar, limit: SimTime) -> Option<SimTime> {
    let mut t = SimTime::ZERO;
    if a.headcount_at(cal, t) != b.headcount_at(cal, t) {
        return None;
    }
    loop {
        let next = a.next_change_after(cal, t);
        if next != b.next_change_after(cal, t) {
            // The change pending at `t` was scheduled alike (at the previous instant); the
            // one after it would not be. At time zero, nothing was.
            return (t > SimTime::ZERO).then_some(t);
        }
        let Some(x) = next else {
            // Neither ever changes again.
            return Some(limit);
        };
        if x >= limit {
            return Some(limit);
        }
        if a.headcount_at(cal, x) != b.headcount_at(cal, x) {
            // Pending alike at `x`; handled, it gives different headcounts.
            return Some(x);
        }
        t = x;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::{Override, load_str};

    /// Office hours on weekdays (4 officers), a rush from 2024-01-15 (a Monday) to 2024-01-21 with
    /// `extra` more officers, and `set` overrides.
    pub(crate) fn model(extra: u32, set: &[&str]) -> Model {
        with_roster(
            extra,
            r#"[{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 4 }]"#,
            set,
        )
    }

    /// [`model`] with the officers' roster `office`.
    fn with_roster(extra: u32, office: &str, set: &[&str]) -> Model {
        with_text(extra, office, "", set)
    }

    /// [`with_roster`], `tail` (regimes, say) appended to the file.
    fn with_text(extra: u32, office: &str, tail: &str, set: &[&str]) -> Model {
        let text = format!(
            r#"
name = "rush"
start = "2024-01-01"
horizon_days = 40
warmup_days = 5
replications = 3
seed = 9
policy = "office"
calendars.office = [{{ days = "Mon-Fri", start = "08:00", end = "18:00" }}]

[[pools]]
name = "officers"
rosters.office = {office}
rosters.always = [{{ days = "Mon-Sun", start = "00:00", end = "24:00", staff = 3 }}]

[[pools]]
name = "always"
staff = 2

[[modes]]
name = "shipments"
arrivals = {{ kind = "poisson", rate_per_hour = 1.5 }}
stages = [
  {{ name = "papers", delay = {{ dist = "exponential", mean = "2h" }}, calendar = "office" }},
  {{ name = "check", pool = "always", time = {{ dist = "exponential", mean = "20m" }} }},
  {{ name = "serve", pool = "officers", time = {{ dist = "exponential", mean = "1h" }} }},
]

[[peaks]]
name = "rush"
from = "2024-01-15"
to = "2024-01-21"
arrival_factor = 1.3
extra_staff = {{ officers = {extra} }}
{tail}
"#
        );
        let overrides: Vec<Override> = set.iter().map(|s| Override::parse(s).unwrap()).collect();
        load_str("rush.toml", &text, &overrides)
            .unwrap_or_else(|e| panic!("{e}"))
            .model
    }

    fn day(d: f64) -> SimTime {
        SimTime::from_hours(24.0 * d)
    }

    #[test]
    fn a_model_runs_alike_with_itself_to_its_horizon() {
        let m = model(3, &[]);
        assert_eq!(m.runs_alike_until(&m), Some(m.horizon));
        assert_eq!(m.runs_alike_until(&m.clone()), Some(day(40.0)));
    }

    #[test]
    fn models_whose_rush_has_other_extra_hands_run_alike_until_it_starts() {
        // The rush starts at 00:00 on 2024-01-15, day 14; its extra hands join at 09:00,
        // but the change pending at 00:00 is handled alike (nobody is on duty then).
        let (a, b) = (model(3, &[]), model(7, &[]));
        assert_eq!(a.runs_alike_until(&b), Some(day(14.0) + 9.0));
        assert_eq!(b.runs_alike_until(&a), Some(day(14.0) + 9.0));
        // No extra hands at all: no change pending at 00:00 in that one, so the change
        // before (17:00 on Friday the 12th, day 11) is the last scheduled alike.
        assert_eq!(model(0, &[]).runs_alike_until(&b), Some(day(11.0) + 17.0));
    }

    #[test]
    fn models_that_differ_in_anything_else_do_not_run_alike() {
        let a = model(3, &[]);
        for set in [
            "modes.shipments.arrivals.rate_per_hour=1.6",
            "seed=10",
            "replications=4",
            "warmup_days=6",
            "peaks.rush.arrival_factor=1.2",
        ] {
            assert_eq!(a.runs_alike_until(&model(3, &[set])), None, "{set}");
        }
        // Other staff from the start: a headcount differs at time zero.
        assert_eq!(
            a.runs_alike_until(&model(3, &["pools.always.staff=3"])),
            None
        );
    }

    #[test]
    fn rosters_that_part_later_run_alike_until_the_last_change_both_scheduled() {
        // The same office hours, but Fridays end at 15:00 in the second: they part on the
        // first Friday (2024-01-05, day 4). A run handles the change at 09:00 that day
        // alike, but schedules the next at 17:00 in one and 15:00 in the other: only a
        // stop by 09:00 is safe.
        let a = model(3, &[]);
        let b = with_roster(
            3,
            r#"[
  { days = "Mon-Thu", start = "09:00", end = "17:00", staff = 4 },
  { days = "Fri", start = "09:00", end = "15:00", staff = 4 },
]"#,
            &[],
        );
        assert_eq!(a.runs_alike_until(&b), Some(day(4.0) + 9.0));
    }

    #[test]
    fn a_run_continued_at_the_instant_is_the_other_models_own() {
        use crate::model::Replication;
        let json = |r| serde_json::to_string(&r).unwrap();
        let first = model(7, &[]);
        let others = [model(3, &[]), model(0, &[]), model(7, &[]), model(12, &[])];
        let stop = others
            .iter()
            .map(|m| first.runs_alike_until(m).unwrap())
            .fold(first.horizon, SimTime::min);
        // Before the rush (and its busier days) starts: most of the run is shared.
        assert_eq!(stop, day(11.0) + 17.0);
        for r in 0..first.replications {
            let stopped = Replication::new(&first, r, None).run_until(stop);
            for m in &others {
                let own = json(Replication::new(m, r, None).run());
                assert_eq!(json(stopped.resume(m)), own, "replication {r}");
            }
        }
        // A stop after the instant would not do: continued, the model with twelve extra
        // hands would run with seven for a while (a check that the test can fail).
        let late = Replication::new(&first, 0, None).run_until(day(20.0));
        assert_ne!(
            json(late.resume(&others[3])),
            json(Replication::new(&others[3], 0, None).run())
        );
    }

    /// Two dated regimes, from 2024-01-22 (day 21) and 2024-01-29 (day 28): faster checks
    /// and the office open at weekends; then the officers round the clock. `on` says
    /// which are switched on.
    fn with_regimes(on: [bool; 2]) -> Model {
        let [a, b] = on;
        let office = r#"[{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 4 }]"#;
        let tail = format!(
            r#"
[[regimes]]
name = "faster checks"
from = "2024-01-22"
enabled = {a}
set = {{ "modes.shipments.stages.check.time" = {{ dist = "exponential", mean = "15m" }}, "calendars.office" = [{{ days = "Mon-Sun", start = "08:00", end = "18:00" }}] }}

[[regimes]]
name = "round the clock"
from = "2024-01-29"
enabled = {b}
set = {{ "pools.officers.roster" = "always" }}
"#
        );
        with_text(3, office, &tail, &[])
    }

    #[test]
    fn models_with_regimes_switched_on_or_off_run_alike_until_the_first_that_differs() {
        let none = with_regimes([false, false]);
        let first = with_regimes([true, false]);
        let second = with_regimes([false, true]);
        let both = with_regimes([true, true]);
        // The calendar the first regime changes is added under a new number in the models
        // that have it: the others' are the same as far as theirs go.
        assert_eq!(first.calendars.len(), none.calendars.len() + 1);
        assert_eq!(none.runs_alike_until(&first), Some(day(21.0)));
        // The second changes the roster: both runs handle the change at 17:00 on Friday
        // the 26th alike, but the next is 00:00 on the 29th in one, 09:00 in the other.
        assert_eq!(none.runs_alike_until(&second), Some(day(25.0) + 17.0));
        assert_eq!(first.runs_alike_until(&both), Some(day(25.0) + 17.0));
        assert_eq!(second.runs_alike_until(&both), Some(day(21.0)));
        for (a, b) in [
            (&none, &first),
            (&first, &both),
            (&none, &second),
            (&second, &both),
        ] {
            let stop = a.runs_alike_until(b).unwrap();
            for r in 0..2 {
                let json = |x| serde_json::to_string(&x).unwrap();
                let stopped = crate::model::Replication::new(a, r, None).run_until(stop);
                let own = json(crate::model::Replication::new(b, r, None).run());
                assert_eq!(json(stopped.resume(b)), own, "{stop:?}, replication {r}");
            }
        }
        // A day later would not do: shipments arriving on the 22nd would keep the old
        // checks (a check that the test can fail).
        let late = crate::model::Replication::new(&none, 0, None).run_until(day(22.0));
        assert_ne!(
            serde_json::to_string(&late.resume(&first)).unwrap(),
            serde_json::to_string(&crate::model::Replication::new(&first, 0, None).run()).unwrap()
        );
    }
}
