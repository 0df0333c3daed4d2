//! The hot paths a replication leans on, each timed alone so that a change that slows
//! one shows here before it shows in a whole run:
//!
//! - `working-hours/*`: a delay counted in a trader's office hours (Mon–Fri
//!   08:30–18:00, the 2017 holidays and make-up days) — `advance` and
//!   `last_open_at_or_before`, with the open intervals precomputed (as a loaded model
//!   has them: each question answered from its day's count of changes, no search) and
//!   without (the roster walked every time);
//! - `calendar/hour-of-week`: which hour of the week a time falls in (arrival profiles,
//!   time series);
//! - `event-calendar/hold`: the classic hold model — 1,000 pending events, each pop
//!   followed by one schedule at an exponential delay;
//! - `event-calendar/port`: a port's mix — a thousand long waits (a laboratory, a closed
//!   office: 2–40 hours) pending behind a stream of short stages (1–10 minutes), a
//!   tenth of them ending at once (a zero delay): the near and later heaps and the
//!   line of events due now;
//! - `arrivals/poisson-profile`: the next arrival of a Poisson process with an
//!   hour-of-week profile and a peak (the rate of each hour taken from the day's
//!   table), about 1,250 an hour;
//! - `regimes/variant-kept` and `regimes/variant-searched`: the regime variant in force
//!   for arrivals moving forward through a year of five dated segments, from the span a
//!   run keeps (asked again only when the clock leaves it) and from a search of the
//!   segments each time.
//! - `staffing/change-prepared` and `staffing/change-walked`: when a pool's headcount
//!   next changes, asked at each of 10,000 changes in a row (about 14 months, as a
//!   run's staff changes ask), of an hour-by-hour roster of 24 shifts such as the
//!   roster designer makes — from the table a loaded or designed model has, and by
//!   walking the shifts; `staffing/table` makes the table for a year.
//! - `checkpoint/continued` and `checkpoint/from-start`: the last 10 of 40 days of a
//!   one-pool port (50 arrivals an hour, a roster of three shifts), continued from a
//!   replication stopped at day 30 — its state and pending events copied, as each
//!   iteration of the roster designer does — against the whole 40 days from the start.
//! - `sweep-results/summaries-kept` and `sweep-results/summaries-remade`: the result
//!   files a running sweep writes after each variant and every few seconds, of a sweep
//!   of 9 variants × 4 replications (the Lunar New Year staffing sweep over 3 days) —
//!   with the complete variants' summaries made once and kept, as `portsim sweep` does,
//!   and with every complete variant summarised again for each write, as it did before;
//! - `sweep-results/histogram-stored` and `histogram-stored-level-6`: one replication's
//!   clearance times (1,000,000 lognormal values, mean 10 h) as a sweep's journal stores
//!   each histogram — the JSON of HdrHistogram's compressed V2 encoding at deflate level
//!   1, base64, as portsim writes it — and the bytes alone of `hdrhistogram`'s own
//!   serializer, at its default level 6.
//!
//! `cargo bench --bench levers`; each prints a time per batch of 10,000 queries
//! (criterion's `thrpt:` line is queries per second), the checkpoint benches a time per
//! replication.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use portsim::calendar::{Calendar, ClockTime, DaySet, Shift, WorkingHours};
use portsim::engine::{EventCalendar, SimTime};
use portsim::model::arrivals::{ArrivalCursor, ArrivalProcess, PeakFactor};
use portsim::model::regime::{Regimes, VariantSpan};
use portsim::model::{Replication, Staffing};

/// The result files of a sweep, written from kept and from remade summaries, and the
/// stored form of a histogram at two deflate levels (see the module's list).
fn sweep_results(c: &mut Criterion) {
    use hdrhistogram::serialization::{Serializer as _, V2DeflateSerializer};
    use portsim::api::sweep::{SweepRequest, sweep};
    use portsim::api::{Silent, SimSettings};
    use portsim::report::long_csv::CsvFormat;
    use portsim::report::sweep::{CompleteSummaries, variant_summaries, write_sweep};
    use portsim::stats::HoursHistogram;
    use rand_distr::{Distribution, LogNormal};

    let request = SweepRequest {
        file: "scenarios/sweeps/lny-staffing.toml".into(),
        sim: SimSettings {
            set: vec!["horizon_days=3".into(), "warmup_days=0".into()],
            replications: Some(4),
            ..Default::default()
        },
        out: None,
        resume: false,
        shard: None,
        precision: None,
        plots: None,
        force: false,
        csv_format: CsvFormat::Wide,
    };
    let outcome = sweep(&request, &Silent).expect("the bench's sweep runs");
    let (meta, state) = (&outcome.meta, &outcome.state);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut kept = CompleteSummaries::default();
    kept.update(meta, state);
    let mut group = c.benchmark_group("sweep-results");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("summaries-kept", |b| {
        b.iter(|| write_sweep(dir.path(), meta, state, kept.update(meta, state)).expect("writes"))
    });
    group.bench_function("summaries-remade", |b| {
        b.iter(|| {
            let summaries = variant_summaries(meta, state);
            write_sweep(dir.path(), meta, state, &summaries).expect("writes")
        })
    });

    // Clearance times in hours; the same values in milliseconds, as HoursHistogram keeps
    // them, in a plain hdrhistogram for its own serializer.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let sigma = (1.0f64 + 1.0).ln().sqrt(); // cv 1
    let times = LogNormal::new(10f64.ln() - sigma * sigma / 2.0, sigma).expect("valid");
    let mut hours = HoursHistogram::new();
    let mut plain = hdrhistogram::Histogram::<u64>::new(3).expect("valid");
    for _ in 0..1_000_000 {
        let h: f64 = times.sample(&mut rng);
        hours.record(h);
        plain
            .record((h * 3_600_000.0 + 0.5) as u64)
            .expect("auto-resizing");
    }
    group.bench_function("histogram-stored", |b| {
        b.iter(|| {
            serde_json::to_string(black_box(&hours))
                .expect("serialises")
                .len()
        })
    });
    group.bench_function("histogram-stored-level-6", |b| {
        b.iter(|| {
            let mut bytes = Vec::new();
            V2DeflateSerializer::new()
                .serialize(black_box(&plain), &mut bytes)
                .expect("serialises");
            bytes.len()
        })
    });
    group.finish();
}

/// Queries per batch.
const QUERIES: usize = 10_000;

/// A group timing batches of [`QUERIES`] for `seconds` each.
fn group<'a>(c: &'a mut Criterion, name: &str, seconds: u64) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .throughput(Throughput::Elements(QUERIES as u64))
        .measurement_time(Duration::from_secs(seconds));
    group
}

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
    let mut group = group(c, "working-hours", 4);
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
    let mut group = group(c, "calendar", 3);
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
    let mut group = group(c, "event-calendar", 3);
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
    group.bench_function("port", |b| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        // Events 0..1000 are long waits, the rest short stages.
        let long = |rng: &mut Xoshiro256PlusPlus| 2.0 + 38.0 * rng.random::<f64>();
        let short = |rng: &mut Xoshiro256PlusPlus| {
            if rng.random::<f64>() < 0.1 {
                0.0
            } else {
                (1.0 + 9.0 * rng.random::<f64>()) / 60.0
            }
        };
        let mut cal: EventCalendar<u32> = EventCalendar::new();
        for i in 0..1000 {
            cal.schedule_in(long(&mut rng), i);
        }
        for i in 1000..1100 {
            cal.schedule_in(short(&mut rng), i);
        }
        b.iter(|| {
            for _ in 0..QUERIES {
                let (_, e) = cal.pop().unwrap();
                let delay = if e < 1000 {
                    long(&mut rng)
                } else {
                    short(&mut rng)
                };
                cal.schedule_in(delay, black_box(e));
            }
            cal.len()
        })
    });
    group.finish();
}

fn arrivals(c: &mut Criterion) {
    let cal = calendar();
    // Busy days, quiet nights and weekends, as the e-commerce parcels of the 2017 file.
    let mut profile = [0.4; 168];
    for day in 0..7 {
        for hour in 7..22 {
            profile[day * 24 + hour] = if day < 5 { 1.5 } else { 1.0 };
        }
    }
    let peak = PeakFactor {
        from: SimTime::from_hours(5.0 * 24.0),
        to: SimTime::from_hours(26.0 * 24.0),
        factor: 1.4,
    };
    let process = ArrivalProcess::Poisson {
        rate_per_hour: 1000.0,
        profile: Some(Box::new(profile)),
        peaks: vec![peak],
    };
    let until = SimTime::from_hours(400.0 * 24.0);
    let mut group = group(c, "arrivals", 3);
    group.bench_function("poisson-profile", |b| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut cursor = ArrivalCursor::default();
        let mut t = SimTime::ZERO;
        b.iter(|| {
            for _ in 0..QUERIES {
                match process.next(t, until, &mut cursor, &cal, &mut rng) {
                    Some(a) => t = a.at,
                    // Past the year: start over (a fresh cursor, as a new replication).
                    None => {
                        t = SimTime::ZERO;
                        cursor = ArrivalCursor::default();
                    }
                }
            }
            t
        })
    });
    group.finish();
}

fn regimes(c: &mut Criterion) {
    let day = |d: f64| SimTime::from_hours(d * 24.0);
    // Regimes coming into force through the year, as the 2017 file's do.
    let regimes = Regimes {
        periods: Vec::new(),
        variants: Vec::new(),
        segments: vec![
            (day(90.0), 1),
            (day(152.0), 2),
            (day(182.0), 3),
            (day(212.0), 4),
            (day(300.0), 5),
        ],
    };
    // Arrival moments forward through the year, each batch crossing every change.
    let step = 365.0 * 24.0 / QUERIES as f64;
    let times: Vec<SimTime> = (0..QUERIES)
        .map(|i| SimTime::from_hours(i as f64 * step))
        .collect();
    let mut group = group(c, "regimes", 3);
    group.bench_function("variant-kept", |b| {
        b.iter(|| {
            let mut span = VariantSpan::EMPTY;
            let mut sum = 0u64;
            for &t in &times {
                sum += u64::from(span.variant_at(&regimes, black_box(t)));
            }
            sum
        })
    });
    group.bench_function("variant-searched", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &t in &times {
                sum += u64::from(regimes.variant_at(black_box(t)));
            }
            sum
        })
    });
    group.finish();
}

/// An hour-by-hour roster: 24 one-hour shifts, staff varying over the day.
fn hourly_roster() -> portsim::calendar::Roster {
    let t = |h: u32| ClockTime::parse(&format!("{:02}:00", h)).unwrap();
    portsim::calendar::Roster::new(
        (0..24)
            .map(|h| {
                let end = if h == 23 { t(0) } else { t(h + 1) };
                Shift::new(
                    DaySet::parse("Mon-Sun").unwrap(),
                    t(h),
                    end,
                    3 + (h * 7) % 5,
                    true,
                )
                .unwrap()
            })
            .collect(),
    )
}

fn staffing(c: &mut Criterion) {
    let cal = calendar();
    let walked = Staffing::Roster(hourly_roster());
    let mut prepared = walked.clone();
    // Covering every ask below (about 420 days) and its look-ahead.
    prepared.prepare(&cal, -31, 460);
    // The instants a run asks at: each change, from the start on.
    let mut asks = vec![SimTime::ZERO];
    while asks.len() < QUERIES {
        let last = *asks.last().unwrap();
        asks.push(walked.next_change_after(&cal, last).unwrap());
    }
    let mut group = group(c, "staffing", 3);
    for (name, s) in [("prepared", &prepared), ("walked", &walked)] {
        group.bench_function(format!("change-{name}"), |b| {
            b.iter(|| {
                asks.iter()
                    .map(|&t| s.next_change_after(&cal, black_box(t)).unwrap().hours())
                    .sum::<f64>()
            })
        });
    }
    group.bench_function("table", |b| {
        b.iter(|| {
            let mut s = walked.clone();
            s.prepare(&cal, black_box(-31), 365);
            s
        })
    });
    group.finish();
}

fn checkpoint(c: &mut Criterion) {
    let text = r#"
name = "one-pool port"
start = "2024-01-01"
horizon_days = 40
warmup_days = 5
replications = 1
seed = 3

[[pools]]
name = "officers"
roster = "three-shifts"
rosters.three-shifts = [
  { days = "Mon-Sun", start = "06:00", end = "14:00", staff = 35 },
  { days = "Mon-Sun", start = "14:00", end = "22:00", staff = 35 },
  { days = "Mon-Sun", start = "22:00", end = "06:00", staff = 20 },
]

[[modes]]
name = "shipments"
arrivals = { kind = "poisson", rate_per_hour = 50.0 }
stages = [ { name = "check", pool = "officers", time = { dist = "lognormal", mean = "30m", cv = 0.8 } } ]
"#;
    let model = portsim::scenario::load_str("port.toml", text, &[])
        .expect("the bench's scenario loads")
        .model;
    let stopped = Replication::new(&model, 0, None).run_until(SimTime::from_hours(30.0 * 24.0));
    let mut group = c.benchmark_group("checkpoint");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("continued", |b| {
        b.iter(|| stopped.resume(black_box(&model)).events)
    });
    group.bench_function("from-start", |b| {
        b.iter(|| Replication::new(black_box(&model), 0, None).run().events)
    });
    group.finish();
}

criterion_group!(
    benches,
    working_hours,
    hour_of_week,
    event_calendar,
    arrivals,
    regimes,
    staffing,
    checkpoint,
    sweep_results
);
criterion_main!(benches);
