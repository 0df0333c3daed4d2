//! The iterative staffing algorithm behaves as in its paper (Feldman, Mandelbaum, Massey
//! & Whitt 2008) on M_t/M/s_t: demand in hourly steps approximating a sinusoid, mean
//! 100 an hour, exponential service of mean 1 h. In every hour the staffing is the
//! smallest count whose estimated delay probability P(L(t) ≥ s(t)) is at most α — with
//! one officer fewer in that hour it would exceed α (both within ±0.02) — and it lies
//! within 2 of the modified-offered-load answer (Erlang C at m(t), with m(t) solved here
//! from its differential equation, independently of the library).

use portsim::experiment::iterative_staffing::{IsaRequest, iterative_staffing, with_staffing};
use portsim::experiment::{RunOptions, run_replications};
use portsim::model::{OccupancyPeriods, PoolId};
use portsim::scenario::load_str;
use portsim::theory::erlang_c;

/// The hourly multipliers of 1 + amplitude·sin(2π(h + ½)/period): they average 1 over
/// the day when the period divides 24.
fn profile(amplitude: f64, period_hours: f64) -> Vec<f64> {
    (0..24)
        .map(|h| {
            1.0 + amplitude * (2.0 * std::f64::consts::PI * (h as f64 + 0.5) / period_hours).sin()
        })
        .collect()
}

/// M_t/M/s_t: 10 replications of 350 days after a 5-day warm-up (3,500 counted days).
fn scenario(profile: &[f64]) -> String {
    let hourly: Vec<String> = profile.iter().map(|x| format!("{x:.6}")).collect();
    format!(
        r#"
name = "Mt/M/st"
start = "2024-01-01"
horizon_days = 355
warmup_days = 5
replications = 10
seed = 11

[[pools]]
name = "officers"
staff = 150

[[modes]]
name = "shipments"
arrivals = {{ kind = "poisson", rate_per_hour = 100.0, hourly_profile = [{}] }}
stages = [ {{ name = "serve", pool = "officers", time = {{ dist = "exponential", mean = "1h" }} }} ]
"#,
        hourly.join(", ")
    )
}

/// The offered load averaged over each hour: m' = λ(t) − m (mean service 1 h), solved
/// in closed form within each step and run round the day until it repeats.
fn offered_load(rates: &[f64]) -> Vec<f64> {
    let decay = (-1.0f64).exp();
    let mut m = rates.iter().sum::<f64>() / rates.len() as f64;
    let mut averages = vec![0.0; rates.len()];
    for _ in 0..100 {
        for (k, &l) in rates.iter().enumerate() {
            averages[k] = l + (m - l) * (1.0 - decay);
            m = l + (m - l) * decay;
        }
    }
    averages
}

/// The fewest servers with Erlang C at most α.
fn mol(load: f64, alpha: f64) -> u32 {
    (load.floor() as u32 + 1..)
        .find(|&s| erlang_c(s, load).is_some_and(|c| c <= alpha))
        .unwrap()
}

/// ISA on the one pool, hours of the day, settled within one officer.
fn request(alpha: f64) -> IsaRequest {
    IsaRequest {
        pools: vec![PoolId(0)],
        periods: OccupancyPeriods::Cycle {
            cycle: 24,
            offset: 0,
        },
        delay_probability: alpha,
        max_iterations: 12,
        tolerance: 1,
        jobs: None,
    }
}

fn check_case(amplitude: f64, period_hours: f64, alpha: f64) {
    let p = profile(amplitude, period_hours);
    let model = load_str("mtmst.toml", &scenario(&p), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    let request = request(alpha);
    let result = iterative_staffing(&model, &request, |_| {}).unwrap();
    let case = format!("amplitude {amplitude}, period {period_hours} h, α = {alpha}");
    assert!(
        result.converged,
        "{case}: not converged in {} iterations: {:?}",
        result.iterations.len(),
        result.iterations.last()
    );
    // Only a final run of the larger of the last two staffings is marked final: it is
    // the last iteration, it ran with the staffing reported, and it follows one that
    // asked for at most the tolerance's change.
    let finals: Vec<usize> = (result.iterations.iter().enumerate())
        .filter(|(_, it)| it.final_run)
        .map(|(i, _)| i)
        .collect();
    let n = result.iterations.len();
    if let [i] = finals[..] {
        assert_eq!(i, n - 1, "{case}");
        assert_eq!(
            result.iterations[i].ran_with.as_ref(),
            Some(&result.staffing)
        );
        let before = &result.iterations[i - 1];
        let (ran, next) = (before.ran_with.as_ref().unwrap(), &before.next);
        let widest = (ran.iter().flatten().zip(next.iter().flatten()))
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(widest <= request.tolerance && ran != next, "{case}");
    } else {
        assert!(finals.is_empty(), "{case}: {finals:?}");
        let last = result.iterations.last().unwrap();
        assert_eq!(last.ran_with.as_ref(), Some(&last.next), "{case}");
    }
    let rates: Vec<f64> = p.iter().map(|x| 100.0 * x).collect();
    let loads = offered_load(&rates);
    let staffing = &result.staffing[0];
    // The delay probability with one officer fewer in an hour: one run with every
    // even hour one short, one with every odd hour (so that an hour's neighbours keep
    // their staffing).
    let fewer: Vec<Vec<Vec<f64>>> = (0..2)
        .map(|parity| {
            let short: Vec<u32> = (0..24)
                .map(|h| staffing[h] - u32::from(h % 2 == parity))
                .collect();
            let m = with_staffing(&model, &request.pools, &request.periods, &[short]);
            let results = run_replications(&m, RunOptions::default()).unwrap();
            (0..24)
                .map(|h| {
                    let mut hours: Vec<f64> = vec![];
                    for r in &results {
                        let row = &r.pools[0].occupancy[h];
                        hours.resize(hours.len().max(row.len()), 0.0);
                        hours.iter_mut().zip(row).for_each(|(a, b)| *a += b);
                    }
                    hours
                })
                .collect()
        })
        .collect();
    for hour in 0..24 {
        let s = staffing[hour] as usize;
        // P(L ≥ s) in this hour with s officers (PASTA: what an arrival finds).
        let with_s = result.tail[0][hour].get(s).copied().unwrap_or(0.0);
        let hours = &fewer[hour % 2][hour];
        let with_fewer = hours[s - 1..].iter().sum::<f64>() / hours.iter().sum::<f64>();
        // s is the smallest count meeting α: α between the delay probabilities with s
        // and with s − 1 officers (within ±0.02).
        assert!(
            with_s <= alpha + 0.02 && with_fewer >= alpha - 0.02,
            "{case}, hour {hour}: s = {s}, delay probability {with_s:.3}, with one fewer {with_fewer:.3}"
        );
        let want = mol(loads[hour], alpha);
        assert!(
            (i64::from(staffing[hour]) - i64::from(want)).abs() <= 2,
            "{case}, hour {hour}: ISA {} against MOL {want} (m = {:.2}); ISA by hour {staffing:?}",
            staffing[hour],
            loads[hour]
        );
    }
    // The staffing follows the demand: more officers in the busiest hour than the quietest.
    let busiest = (0..24)
        .max_by(|&a, &b| loads[a].total_cmp(&loads[b]))
        .unwrap();
    let quietest = (0..24)
        .min_by(|&a, &b| loads[a].total_cmp(&loads[b]))
        .unwrap();
    assert!(
        staffing[busiest] > staffing[quietest] + 10,
        "{case}: {staffing:?}"
    );
}

#[test]
fn isa_meets_the_delay_target_hour_by_hour_and_agrees_with_mol_on_a_daily_sinusoid() {
    for alpha in [0.1, 0.3, 0.5] {
        check_case(0.4, 24.0, alpha);
    }
}

#[test]
fn isa_follows_a_six_hour_cycle_of_demand() {
    check_case(0.3, 6.0, 0.3);
}

/// Stationary sanity: constant Poisson demand of 10 an hour (load 10) gives the Erlang C
/// staffing in every hour, and a grid of three 8-hour shifts puts that many on each.
/// The targets sit well inside the gaps — C(13) = 0.285 > 0.22 > C(14) = 0.174 and
/// C(14) > 0.12 > C(15) = 0.102 — so that noise over a shift's hours cannot tip them.
#[test]
fn constant_demand_gives_three_equal_shifts_of_the_erlang_c_answer() {
    use portsim::roster::requirement::erlang_c_staff;
    use portsim::roster::shift_cover::{CoverProblem, Horizon, shift_grid, solve};
    let model = load_str("constant.toml", &scenario(&[0.1; 24]), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    for (alpha, c) in [(0.22, 14), (0.12, 15)] {
        assert_eq!(erlang_c_staff(10.0, alpha), c);
        let request = request(alpha);
        let result = iterative_staffing(&model, &request, |_| {}).unwrap();
        assert!(result.converged);
        assert_eq!(result.staffing[0], vec![c; 24], "α = {alpha}");
        let shifts = shift_grid(24, &[8], 8, Horizon::Cyclic, 1.0);
        assert_eq!(shifts.len(), 3);
        let cover = solve(&CoverProblem {
            requirement: &result.staffing[0],
            shifts: &shifts,
            max_per_shift: None,
            horizon: Horizon::Cyclic,
            time_limit: std::time::Duration::from_secs(60),
        })
        .unwrap();
        assert_eq!(cover.headcounts, [c, c, c], "α = {alpha}");
        assert_eq!(cover.cost, f64::from(24 * c));
    }
}

/// The staffing algorithm runs the days before its window once and continues every
/// iteration from there (`checkpoints`, `resume_replications`). On the Lunar New Year
/// file — regimes, peaks with extra hands, parallel branches, working-hour delays — a
/// run continued from 6 January under two different staffings of the window is the run
/// of that model from the start, figure for figure; and a staffing that differs before
/// the stop is not (the comparison can tell).
#[test]
fn a_run_continued_from_before_the_window_is_the_run_from_the_start() {
    use portsim::engine::SimTime;
    use portsim::experiment::replications::{checkpoints, resume_replications};
    use portsim::roster::day_types::{DayTyping, classify};
    use portsim::scenario::{Override, load};

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join("chongqing-peak-2017.toml");
    let two = Override::parse("replications=2").unwrap();
    let base = load(&path, &[two]).unwrap().model;
    // 1 December 2016 is day 0: the window is 6 to 26 January 2017.
    let (first, last) = (36, 56);
    let window = classify(
        &base.calendar,
        &base.peaks,
        first,
        last,
        DayTyping::PeakWorkday,
    );
    let periods = OccupancyPeriods::DayTypes {
        first_day: first,
        day_types: window.of_day.clone().into(),
        types: window.names.len(),
    };
    let pools: Vec<PoolId> = ["review", "inspection", "quarantine"]
        .iter()
        .map(|name| PoolId(base.pools.iter().position(|p| p.name == *name).unwrap() as u32))
        .collect();
    let cells = 24 * window.names.len();
    let staffed = |f: &dyn Fn(usize) -> u32| -> portsim::model::Model {
        let staffing: Vec<Vec<u32>> = pools.iter().map(|_| (0..cells).map(f).collect()).collect();
        let mut m = with_staffing(&base, &pools, &periods, &staffing);
        // As the algorithm runs it: to the window's end, without draining.
        m.horizon = SimTime::from_hours(((last + 1) * 24) as f64);
        m.drain_hours = 0.0;
        m
    };
    let json = |r: &[portsim::model::ReplicationResult]| serde_json::to_string(r).unwrap();
    let before = staffed(&|_| 1_000_000);
    let stop = SimTime::from_hours((first * 24) as f64);
    let stopped = checkpoints(&before, stop, Some(2)).unwrap();
    // Stopped at the last event before 6 January, 00:00 (the busy port has one within
    // the hour), nothing at or after it handled.
    assert!(
        stopped
            .iter()
            .all(|c| c.now() < stop && c.now().hours() > stop.hours() - 1.0)
    );
    // Forty officers in every hour of the window; then six to twelve, hour by hour.
    let flat = |_: usize| 40u32;
    let uneven = |k: usize| 6 + (k % 24) as u32 % 7;
    for f in [&flat as &dyn Fn(usize) -> u32, &uneven] {
        let m = staffed(f);
        let from_start = run_replications(&m, RunOptions::default()).unwrap();
        let continued = resume_replications(&stopped, &m, Some(2)).unwrap();
        assert!(from_start[0].events > 1_000_000, "{}", from_start[0].events);
        assert_eq!(json(&continued), json(&from_start));
    }
    // Staffing that differs before the stop: continuing is then not the same run.
    let mut earlier = staffed(&flat);
    for &p in &pools {
        earlier.pools[p.index()].general = portsim::model::Staffing::Constant(3);
    }
    let from_start = run_replications(&earlier, RunOptions::default()).unwrap();
    let continued = resume_replications(&stopped, &earlier, Some(2)).unwrap();
    assert_ne!(json(&continued), json(&from_start));
}
