//! Engine throughput: portsim against a hand-written M/M/c floor.
//!
//! Both benchmarks simulate the same queue, M/M/10 at λ = 9 per hour and μ = 1 per hour
//! (utilisation 0.9), for about 2,000,000 shipments. Both are built with the release
//! profile (lto = "fat", codegen-units = 1, panic = "abort"), which `cargo bench` uses.
//!
//! - `engine/portsim`: one replication of `scenarios/validation/mmc.toml` with
//!   `pools.servers.staff=10`, `modes.customers.arrivals.rate_per_hour=9` and a horizon
//!   of 20 warm-up days plus 2e6 / (9 × 24) ≈ 9259.26 counted days, full statistics on
//!   (tallies, histogram, time integrals; no trace). Throughput is the counted shipments
//!   released (`modes[0].clearance.count`, ≈ 2,000,000). The run also simulates the
//!   ≈ 4,320 warm-up shipments and the drain, which are not counted.
//! - `engine/floor`: a minimal hand-written loop: a `BinaryHeap` of (time, seq) events,
//!   arrivals and departures, a `VecDeque` FIFO queue, one Xoshiro256++ stream and
//!   `rand_distr::Exp1`; it computes the mean sojourn of exactly 2,000,000 customers.
//! - `engine/floor-stats`: the same loop, the same customers (its mean sojourn is the
//!   floor's to the bit), keeping the figures a portsim replication reports for this
//!   queue with portsim's own statistic types: tallies of sojourn and wait, the sojourn
//!   histogram, time integrals of customers in the system, in the queue and officers
//!   busy, and an hour-of-week series split at every hour. It prices the statistics:
//!   what a hand-written loop pays to give the answers portsim gives.
//!
//! Throughput counts shipments, not events: how many events a shipment takes differs
//! between the two by design (portsim's depends on the scenario's stages and rosters).
//!
//! # Reading the output
//!
//! `cargo bench --bench engine` prints, for each benchmark, a `time:` line and a
//! `thrpt:` line, each as `[low estimate high]`. The middle `thrpt:` figure is shipments
//! per second (criterion writes "elem/s"). The ratio the requirement asks about is
//!
//! ```text
//! ratio = thrpt(engine/portsim) / thrpt(engine/floor)    target: ≥ 0.7 (a first one, 0.5, is met)
//! ```
//!
//! and `thrpt(engine/portsim) / thrpt(engine/floor-stats)` the same against the floor
//! that keeps the statistics.
//!
//! (equivalently `time(floor) / time(portsim)` × counted shipments / 2,000,000, which is
//! within 0.1 % of `time(floor) / time(portsim)`). Before measuring, the bench checks
//! once that portsim releases 2,000,000 ± 1 % counted shipments and that the floor's mean
//! sojourn is within 3 % of Erlang C (1.6687 h), and prints both results on stderr.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp1};

use portsim::model::{Model, Replication};
use portsim::scenario::{Override, load};
use portsim::stats::{HoursHistogram, Tally, WindowedIntegral};

/// Officers (servers).
const SERVERS: u32 = 10;
/// Arrivals per hour.
const LAMBDA: f64 = 9.0;
/// Services per hour per officer (mmc.toml: exponential, mean 1 h).
const MU: f64 = 1.0;
/// Shipments per run.
const SHIPMENTS: u64 = 2_000_000;
/// Warm-up of mmc.toml, days.
const WARMUP_DAYS: f64 = 20.0;

/// The portsim model: mmc.toml as M/M/10 at utilisation 0.9 with ≈ 2 M counted shipments.
fn portsim_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation/mmc.toml");
    let horizon_days = WARMUP_DAYS + SHIPMENTS as f64 / (LAMBDA * 24.0);
    let overrides: Vec<Override> = [
        format!("pools.servers.staff={SERVERS}"),
        format!("modes.customers.arrivals.rate_per_hour={LAMBDA:?}"),
        format!("warmup_days={WARMUP_DAYS:?}"),
        format!("horizon_days={horizon_days:?}"),
        "replications=1".to_string(),
    ]
    .iter()
    .map(|s| Override::parse(s).expect("valid override"))
    .collect();
    load(&path, &overrides)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Runs one replication and returns the counted shipments released.
fn portsim_once(model: &Model) -> u64 {
    let result = Replication::new(model, 0, None).run();
    result.modes[0].clearance.count
}

/// A pending event of the floor loop.
#[derive(Clone, Copy)]
enum Kind {
    Arrival,
    /// A departure of the customer that arrived at `arrived`.
    Departure {
        arrived: f64,
    },
}

struct Event {
    time: f64,
    seq: u64,
    kind: Kind,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // Max-heap reversed: the earliest (time, seq) on top.
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// What the floor loop tells a watcher; every method does nothing unless a watcher
/// overrides it, so the plain floor (`()`) compiles to the bare loop.
trait Watch {
    /// An event at `now` is about to be handled.
    #[inline(always)]
    fn event(&mut self, _now: f64) {}
    /// A customer arrived at `now`.
    #[inline(always)]
    fn arrived(&mut self, _now: f64) {}
    /// A customer started a `service` of hours at `now` after waiting `waited`; `busy`
    /// officers are now busy.
    #[inline(always)]
    fn started(&mut self, _now: f64, _waited: f64, _service: f64, _busy: u32) {}
    /// The queue holds `len` customers from `now`.
    #[inline(always)]
    fn queued(&mut self, _now: f64, _len: usize) {}
    /// A customer left at `now` after `sojourn` hours.
    #[inline(always)]
    fn departed(&mut self, _now: f64, _sojourn: f64) {}
    /// An officer fell idle at `now`, leaving `busy` busy.
    #[inline(always)]
    fn freed(&mut self, _now: f64, _busy: u32) {}
}

/// The plain floor watches nothing.
impl Watch for () {}

/// A floor run: customers, servers, λ, μ and seed in; the mean sojourn out.
type Floor = fn(u64, u32, f64, f64, u64) -> f64;

/// The floor: M/M/c with `customers` customers, starting empty; returns the mean sojourn.
fn floor_mmc(customers: u64, servers: u32, lambda: f64, mu: f64, seed: u64) -> f64 {
    floor_loop(customers, servers, lambda, mu, seed, &mut ())
}

/// The floor with statistics: the same loop and customers keeping, in [`FloorStats`],
/// the figures a portsim replication reports for this queue. Returns the mean sojourn.
fn floor_stats_mmc(customers: u64, servers: u32, lambda: f64, mu: f64, seed: u64) -> f64 {
    let mut stats = FloorStats::new();
    let mean = floor_loop(customers, servers, lambda, mu, seed, &mut stats);
    assert_eq!(stats.clearance.count, customers);
    assert_eq!(stats.histogram.count(), customers);
    assert_eq!(stats.clearance.mean().to_bits(), mean.to_bits());
    black_box(&stats);
    mean
}

/// The floor loop: a `BinaryHeap` of arrivals and departures, a FIFO queue, one stream.
#[inline(always)]
fn floor_loop<W: Watch>(
    customers: u64,
    servers: u32,
    lambda: f64,
    mu: f64,
    seed: u64,
    watch: &mut W,
) -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut heap: BinaryHeap<Event> = BinaryHeap::with_capacity(64);
    let mut queue: VecDeque<f64> = VecDeque::with_capacity(64);
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<Event>, time: f64, kind: Kind| {
        heap.push(Event { time, seq, kind });
        seq += 1;
    };
    let mut exp = |rate: f64| -> f64 {
        let e: f64 = Exp1.sample(&mut rng);
        e / rate
    };

    push(&mut heap, exp(lambda), Kind::Arrival);
    let (mut arrived, mut busy, mut done) = (1u64, 0u32, 0u64);
    let mut sojourn_sum = 0.0;
    while let Some(Event {
        time: now, kind, ..
    }) = heap.pop()
    {
        watch.event(now);
        match kind {
            Kind::Arrival => {
                if arrived < customers {
                    arrived += 1;
                    push(&mut heap, now + exp(lambda), Kind::Arrival);
                }
                watch.arrived(now);
                if busy < servers {
                    busy += 1;
                    let service = exp(mu);
                    watch.started(now, 0.0, service, busy);
                    push(&mut heap, now + service, Kind::Departure { arrived: now });
                } else {
                    queue.push_back(now);
                    watch.queued(now, queue.len());
                }
            }
            Kind::Departure { arrived: a } => {
                sojourn_sum += now - a;
                done += 1;
                watch.departed(now, now - a);
                match queue.pop_front() {
                    Some(next) => {
                        watch.queued(now, queue.len());
                        let service = exp(mu);
                        watch.started(now, now - next, service, busy);
                        push(&mut heap, now + service, Kind::Departure { arrived: next });
                    }
                    None => {
                        busy -= 1;
                        watch.freed(now, busy);
                    }
                }
            }
        }
    }
    assert_eq!(done, customers);
    sojourn_sum / done as f64
}

/// The figures the floor with statistics keeps — those a portsim replication reports
/// for this queue — with portsim's own statistic types.
struct FloorStats {
    /// Customers arrived.
    arrivals: u64,
    /// Service hours offered and services begun.
    offered_hours: f64,
    joined: u64,
    /// Customers in the system, in the queue and officers busy, as time integrals.
    in_system: WindowedIntegral,
    queue: WindowedIntegral,
    busy: WindowedIntegral,
    /// Sojourn (clearance) and wait per customer; the stage's wait and work.
    clearance: Tally,
    wait: Tally,
    stage_wait: f64,
    stage_work: f64,
    /// Sojourns within the service level, and their histogram for quantiles.
    within_sla: u64,
    histogram: HoursHistogram,
    /// Hour-of-week series: releases and their clearance hours by the hour of release,
    /// and queue hours and customer hours in the system split at every whole hour.
    next_split: u64,
    series_released: [u64; 168],
    series_clearance: [f64; 168],
    series_queue: [f64; 168],
    series_in_system: [f64; 168],
    queue_at_split: f64,
    in_system_at_split: f64,
}

/// Service level of the floor with statistics, hours.
const SLA_HOURS: f64 = 4.0;

impl FloorStats {
    fn new() -> Self {
        let integral = || WindowedIntegral::new(0.0, f64::INFINITY, 0.0, 0.0);
        FloorStats {
            arrivals: 0,
            offered_hours: 0.0,
            joined: 0,
            in_system: integral(),
            queue: integral(),
            busy: integral(),
            clearance: Tally::default(),
            wait: Tally::default(),
            stage_wait: 0.0,
            stage_work: 0.0,
            within_sla: 0,
            histogram: HoursHistogram::new(),
            next_split: 1,
            series_released: [0; 168],
            series_clearance: [0.0; 168],
            series_queue: [0.0; 168],
            series_in_system: [0.0; 168],
            queue_at_split: 0.0,
            in_system_at_split: 0.0,
        }
    }

    /// Customers in the system: arrived and not yet departed.
    fn in_system_now(&self) -> f64 {
        (self.arrivals - self.clearance.count) as f64
    }

    /// Splits the integrals at the whole hour `hour` into its hour-of-week bin.
    fn split(&mut self, hour: u64) {
        let (t, bin) = (hour as f64, (hour % 168) as usize);
        let q = self.queue.area_until(t);
        self.series_queue[bin] += q - self.queue_at_split;
        self.queue_at_split = q;
        let n = self.in_system.area_until(t);
        self.series_in_system[bin] += n - self.in_system_at_split;
        self.in_system_at_split = n;
    }
}

impl Watch for FloorStats {
    #[inline(always)]
    fn event(&mut self, now: f64) {
        while self.next_split as f64 <= now {
            self.split(self.next_split);
            self.next_split += 1;
        }
    }

    #[inline(always)]
    fn arrived(&mut self, now: f64) {
        self.arrivals += 1;
        self.in_system.set(now, self.in_system_now());
    }

    #[inline(always)]
    fn started(&mut self, now: f64, waited: f64, service: f64, busy: u32) {
        self.busy.set(now, f64::from(busy));
        self.joined += 1;
        self.offered_hours += service;
        self.wait.add(waited);
        self.stage_wait += waited;
        self.stage_work += service;
    }

    #[inline(always)]
    fn queued(&mut self, now: f64, len: usize) {
        self.queue.set(now, len as f64);
    }

    #[inline(always)]
    fn departed(&mut self, now: f64, sojourn: f64) {
        self.clearance.add(sojourn);
        self.within_sla += u64::from(sojourn <= SLA_HOURS);
        self.histogram.record(sojourn);
        let bin = (now as u64 % 168) as usize;
        self.series_released[bin] += 1;
        self.series_clearance[bin] += sojourn;
        self.in_system.set(now, self.in_system_now());
    }

    #[inline(always)]
    fn freed(&mut self, now: f64, busy: u32) {
        self.busy.set(now, f64::from(busy));
    }
}

/// Mean sojourn of M/M/c by Erlang C (Erlang B recursion), in units of 1/μ.
fn erlang_c_sojourn(servers: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    let mut b = 1.0;
    for k in 1..=servers {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(servers);
    let c = b / (1.0 - rho * (1.0 - b));
    c / (f64::from(servers) * mu - lambda) + 1.0 / mu
}

fn engine(c: &mut Criterion) {
    let model = portsim_model();

    // Sanity checks, once, outside the timed loops.
    let counted = portsim_once(&model);
    let off = (counted as f64 - SHIPMENTS as f64).abs() / SHIPMENTS as f64;
    eprintln!("portsim: {counted} counted shipments released (target {SHIPMENTS} ± 1 %)");
    assert!(
        off < 0.01,
        "portsim released {counted} counted shipments, expected {SHIPMENTS} ± 1 %"
    );
    let want = erlang_c_sojourn(SERVERS, LAMBDA, MU);
    let got = floor_mmc(SHIPMENTS, SERVERS, LAMBDA, MU, 1);
    eprintln!("floor: mean sojourn {got:.4} h, Erlang C {want:.4} h");
    assert!(
        (got - want).abs() / want < 0.03,
        "floor mean sojourn {got} vs Erlang C {want}"
    );
    let with_stats = floor_stats_mmc(SHIPMENTS, SERVERS, LAMBDA, MU, 1);
    eprintln!("floor with statistics: mean sojourn {with_stats:.4} h");
    assert_eq!(
        with_stats.to_bits(),
        got.to_bits(),
        "the floor with statistics simulates the floor's queue"
    );

    let mut group = c.benchmark_group("engine");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));

    group.throughput(Throughput::Elements(counted));
    group.bench_function("portsim", |b| b.iter(|| portsim_once(black_box(&model))));

    // The two floors simulate the same 2,000,000 customers.
    let floors: [(&str, Floor); 2] = [("floor", floor_mmc), ("floor-stats", floor_stats_mmc)];
    for (name, floor) in floors {
        group.throughput(Throughput::Elements(SHIPMENTS));
        group.bench_function(name, |b| {
            b.iter(|| {
                floor(
                    black_box(SHIPMENTS),
                    black_box(SERVERS),
                    black_box(LAMBDA),
                    black_box(MU),
                    1,
                )
            });
        });
    }
    group.finish();
}

/// One replication of the flagship 2017 scenario (seven months of all seven modes plus
/// the warm-up), single-threaded; throughput in events per second. The event count is
/// checked against the first run, so a change that alters the model shows up here.
fn chongqing_2017(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/chongqing-2017.toml");
    let model = portsim::scenario::load(&path, &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    let events = Replication::new(&model, 0, None).run().events;
    eprintln!("chongqing-2017: {events} events in one replication");
    let mut group = c.benchmark_group("scenario");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(25));
    group.throughput(Throughput::Elements(events));
    group.bench_function("chongqing-2017", |b| {
        b.iter(|| {
            let r = Replication::new(black_box(&model), 0, None).run();
            assert_eq!(
                r.events, events,
                "the same replication must process the same events"
            );
            r.events
        })
    });
    group.finish();
}

/// A sweep's speed-up on two threads: 16 equal jobs (replications 0..16 of M/M/10 at
/// utilisation 0.9, ≈ 500,000 shipments each) run by `experiment::jobs::run_jobs`, the
/// executor of `portsim sweep`, on one thread and on two. speed-up = time(jobs-1) /
/// time(jobs-2); wall and CPU seconds of whole `portsim sweep` commands are measured by
/// `benches/sweep-speedup.sh`.
fn sweep_speedup(c: &mut Criterion) {
    use portsim::experiment::jobs::{Job, run_jobs};
    use std::sync::atomic::AtomicBool;
    let mut model = portsim_model();
    model.horizon =
        portsim::engine::SimTime::from_hours((WARMUP_DAYS + 500_000.0 / (LAMBDA * 24.0)) * 24.0);
    let jobs: Vec<Job> = (0..16)
        .map(|replication| Job {
            variant: 0,
            replication,
        })
        .collect();
    let models = [&model];
    let stop = AtomicBool::new(false);
    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(jobs.len() as u64));
    for threads in [1, 2] {
        group.bench_function(format!("16-jobs/threads-{threads}"), |b| {
            b.iter(|| {
                let mut done = 0;
                run_jobs(&models, &jobs, Some(threads), &stop, |_| done += 1)
                    .expect("a thread pool");
                assert_eq!(done, 16);
                done
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine, chongqing_2017, sweep_speedup);

/// `criterion_main!` by hand, plus two modes of its own: with `--floor-once` the binary
/// runs the floor loop once on the 2,000,000 shipments and prints its mean sojourn, so
/// that the floor can be timed as a whole process beside `portsim run` (the user guide's
/// "Performance" section shows how); `--floor-stats-once` does the same with the floor
/// that keeps the statistics.
fn main() {
    if std::env::args().any(|a| a == "--floor-once") {
        let got = floor_mmc(SHIPMENTS, SERVERS, LAMBDA, MU, 1);
        println!("{{\"mean_sojourn_hours\": {got}}}");
        return;
    }
    if std::env::args().any(|a| a == "--floor-stats-once") {
        let got = floor_stats_mmc(SHIPMENTS, SERVERS, LAMBDA, MU, 1);
        println!("{{\"mean_sojourn_hours\": {got}}}");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
