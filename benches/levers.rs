//! The hot paths a replication leans on, each timed alone so that a change that slows
//! one shows here before it shows in a whole run:
//!
//! - `working-hours/*`: a delay counted in a trader's office hours (Mon–Fri
//!   08:30–18:00, the 2017 holidays and make-up days) — `advance` and
//!   `last_open_at_or_before`, with the open intervals precomputed (as a loaded model
//!   has them) and without (the roster walked every time);
//! - `calendar/hour-of-week`: which hour of the week a time falls in (arrival profiles,
//!   time series);
//! - `event-calendar/hold`: the classic hold model — 1,000 pending events, each pop
//!   followed by one schedule at an exponential delay.
//!
//! `cargo bench --bench levers`; each prints a time per batch of 10,000 queries
//! (criterion's `thrpt:` line is queries per second).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use portsim::calendar::{Calendar, ClockTime, DaySet, Shift, WorkingHours};
use portsim::engine::{EventCalendar, SimTime};

/// Queries per batch.
const QUERIES: usize = 10_000;

/// The 2017 calendar: New Year, Lunar New Year, Qingming, Labour Day, Dragon Boat and
/// two make-up Sundays.
fn calendar() -> Calendar {
    let holidays = [
        date(2017, 1, 2),
        date(2017, 1, 27),
        date(2017, 1, 30),
        date(2017, 1, 31),
        date(2017, 2, 1),
        date(2017, 2, 2),
        date(2017, 4, 4),
        date(2017, 5, 1),
        date(2017, 5, 30),
    ];
    Calendar::new(date(2017, 1, 1), holidays).with_workdays([date(2017, 1, 22), date(2017, 2, 4)])
}

/// A trader's office: Mon–Fri 08:30–18:00, not on holidays.
fn office() -> WorkingHours {
    let t = |s| ClockTime::parse(s).unwrap();
    WorkingHours::new(vec![
        Shift::new(
            DaySet::parse("Mon-Fri").unwrap(),
            t("08:30"),
            t("18:00"),
            1,
            false,
        )
        .unwrap(),
    ])
}

/// Deterministic query times over seven months, and delays of up to a day.
fn queries() -> Vec<(SimTime, f64)> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    (0..QUERIES)
        .map(|_| {
            (
                SimTime::from_hours(rng.random::<f64>() * 212.0 * 24.0),
                rng.random::<f64>() * 24.0,
            )
        })
        .collect()
}

fn working_hours(c: &mut Criterion) {
    let cal = calendar();
    let plain = office();
    let mut prepared = office();
    prepared.prepare(&cal, -31, 300);
    let qs = queries();
    let mut group = c.benchmark_group("working-hours");
    group
        .throughput(Throughput::Elements(QUERIES as u64))
        .measurement_time(Duration::from_secs(4));
    for (name, wh) in [("prepared", &prepared), ("walked", &plain)] {
        group.bench_function(format!("advance/{name}"), |b| {
            b.iter(|| {
                qs.iter()
                    .map(|&(t, h)| wh.advance(&cal, black_box(t), h).unwrap().hours())
                    .sum::<f64>()
            })
        });
        group.bench_function(format!("last-open/{name}"), |b| {
            b.iter(|| {
                qs.iter()
                    .map(|&(t, _)| {
                        wh.last_open_at_or_before(&cal, black_box(t))
                            .unwrap()
                            .hours()
                    })
                    .sum::<f64>()
            })
        });
    }
    group.finish();
}

fn hour_of_week(c: &mut Criterion) {
    let cal = calendar();
    let qs = queries();
    let mut group = c.benchmark_group("calendar");
    group
        .throughput(Throughput::Elements(QUERIES as u64))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("hour-of-week", |b| {
        b.iter(|| {
            qs.iter()
                .map(|&(t, _)| cal.hour_of_week(black_box(t)))
                .sum::<usize>()
        })
    });
    group.finish();
}

fn event_calendar(c: &mut Criterion) {
    let mut group = c.benchmark_group("event-calendar");
    group
        .throughput(Throughput::Elements(QUERIES as u64))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("hold", |b| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut cal: EventCalendar<u32> = EventCalendar::new();
        for i in 0..1000 {
            cal.schedule(SimTime::from_hours(rng.random::<f64>()), i);
        }
        b.iter(|| {
            for _ in 0..QUERIES {
                let (_, e) = cal.pop().unwrap();
                let delay = -(1.0 - rng.random::<f64>()).ln();
                cal.schedule_in(delay, black_box(e));
            }
            cal.len()
        })
    });
    group.finish();
}

criterion_group!(benches, working_hours, hour_of_week, event_calendar);
criterion_main!(benches);
