//! Backlog growth: a model-free overload detector.
//!
//! The offered load compares work with rostered capacity, so it can be fooled by a
//! capacity that exists on paper but cannot take the work. This detector looks at what
//! happened instead: a pool is overloaded when its queue is still *growing* at the end of
//! the counting window, steadily and by a material share of its demand.
//!
//! How, for one pool:
//! 1. Each replication's queue is averaged over whole weeks of the window (whole weeks, so
//!    that the weekly rhythm of rosters and arrivals cancels out; a week needs at least
//!    six days of the window). In a window of over 1,000 days, whose daily series are
//!    binned by periods of whole weeks, a period stands for a week.
//! 2. The second half of those weeks (at least [`MIN_WEEKS`]) is fitted with a
//!    least-squares line: its slope is the queue's growth in tokens per hour. A backlog
//!    that rose in a holiday week and has been clearing since slopes down over the second
//!    half; one that rose and cleared within the first half does not show at all.
//! 3. The slope over the pool's arrival rate (tokens joining per hour over the window) is
//!    the *growth share*: the share of the work arriving at the pool that it fails to
//!    keep up with. For an overloaded queue with offered load ρ > 1 it tends to
//!    1 − 1/ρ (ρ = 1.02 gives 0.0196); for a stable one, to 0.
//! 4. The pool is growing when the growth share is at least [`MIN_GROWTH_SHARE`] *and* it
//!    is above zero beyond noise: the replications' growth shares are independent, so
//!    their one-sided 99.9 % Student-t lower bound must exceed zero. A replication's own
//!    fit also gives a test, from its residuals (weeks of one run are not quite
//!    independent, so it is less strict): with one replication it is the test, and with
//!    a few — whose between-replication quantile is huge, 318 for two — growth shown by
//!    every replication's own test counts as well.
//!
//! The two thresholds are chosen, not fitted: 99.9 % keeps false alarms from noise to one
//! pool in a thousand stable ones, and 1 % is the smallest overload worth a warning — a
//! backlog growing by 1 % of a pool's arrivals adds a day's demand in 100 days; smaller
//! drifts cannot be told from a slow approach to a heavily loaded steady state in windows
//! of a few months. `docs/experiments.md` ("Overload") reports how the rule does on M/M/10
//! queues with 50 seeds fixed in advance.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::linear_trend;

/// The fewest weeks the second half of the window must hold for a trend to be fitted:
/// a window of at least six whole weeks.
pub const MIN_WEEKS: usize = 3;

/// The smallest growth share that counts as overload: 1 % of the pool's arrivals.
pub const MIN_GROWTH_SHARE: f64 = 0.01;

/// One-sided confidence that the growth share exceeds zero.
pub const CONFIDENCE: f64 = 0.999;

/// One replication's series of a pool, as the summary has them.
#[derive(Clone, Copy, Debug)]
pub struct PoolSeriesOfReplication<'a> {
    /// ∫ queue dt in each bin of the daily series.
    pub queue_area: &'a [f64],
    /// Window hours in each bin.
    pub hours: &'a [f64],
    /// Tokens that joined the pool in the window.
    pub joined: u64,
}

/// What the detector found for one pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogGrowth {
    /// Growth of the queue per hour over the second half of the window, over the tokens
    /// joining the pool per hour: the mean over replications.
    pub share: f64,
    /// Its 95 % interval (over replications; from the fit's residuals with one
    /// replication).
    pub share_ci95: Option<[f64; 2]>,
    /// Weeks fitted (the second half of the window's whole weeks).
    pub weeks: u32,
    /// The first day of the fitted weeks (day of the window, 0 = its first).
    pub from_day: u32,
    /// Whether the backlog grows: share ≥ 1 % and above zero with 99.9 % confidence.
    pub growing: bool,
}

/// The backlog growth of a pool from its replications' series; `None` when the window
/// holds too few whole weeks or nothing joined the pool.
pub fn backlog_growth(
    replications: &[PoolSeriesOfReplication<'_>],
    days_per_bin: usize,
) -> Option<BacklogGrowth> {
    // Bins per block and the block's length in days: a week, or one long bin.
    let (per_block, block_days) = if days_per_bin <= 1 {
        (7, 7)
    } else {
        (1, days_per_bin)
    };
    let block_hours = block_days as f64 * 24.0;
    // Per replication: its growth share and the standard error of its own fit.
    let mut fits: Vec<(f64, Option<f64>)> = Vec::with_capacity(replications.len());
    let mut span: Option<(usize, usize)> = None;
    for r in replications {
        // Whole blocks: their index and mean queue.
        let blocks: Vec<(usize, f64)> = r
            .queue_area
            .chunks(per_block)
            .zip(r.hours.chunks(per_block))
            .enumerate()
            .filter_map(|(i, (q, h))| {
                let hours: f64 = h.iter().sum();
                (hours >= block_hours * 6.0 / 7.0).then(|| (i, q.iter().sum::<f64>() / hours))
            })
            .collect();
        let half = &blocks[blocks.len() / 2..];
        if half.len() < MIN_WEEKS {
            return None;
        }
        let window_hours: f64 = r.hours.iter().sum();
        if r.joined == 0 || window_hours <= 0.0 {
            return None;
        }
        let rate = r.joined as f64 / window_hours;
        let points: Vec<(f64, f64)> = half
            .iter()
            .map(|&(i, q)| (i as f64 * block_hours, q))
            .collect();
        let trend = linear_trend(&points)?;
        fits.push((
            trend.slope / rate,
            trend.slope_std_error.map(|se| se / rate),
        ));
        span.get_or_insert((half[0].0 * block_days, half.len()));
    }
    let (from_day, weeks) = span?;
    let n = fits.len();
    let share = fits.iter().map(|f| f.0).sum::<f64>() / n as f64;
    let t = |df: f64, p: f64| {
        StudentsT::new(0.0, 1.0, df)
            .expect("at least one degree of freedom")
            .inverse_cdf(p)
    };
    // Each replication's own test: its fit's residuals (weeks − 2 degrees of freedom).
    let own_df = weeks.saturating_sub(2).max(1) as f64;
    let own_growing = |(s, se): (f64, Option<f64>)| {
        se.is_some_and(|se| s >= MIN_GROWTH_SHARE && s - t(own_df, CONFIDENCE) * se > 0.0)
    };
    // Above zero beyond noise: by the spread between replications (n − 1 degrees of
    // freedom) — or, since with few replications that quantile is huge (318 for two),
    // when every replication passes its own test, which is no less strict than a
    // single-replication run.
    let (se, df) = if n >= 2 {
        let var = fits.iter().map(|f| (f.0 - share).powi(2)).sum::<f64>() / (n - 1) as f64;
        ((var / n as f64).sqrt(), (n - 1) as f64)
    } else {
        (fits[0].1?, own_df)
    };
    let between = share - t(df, CONFIDENCE) * se > 0.0;
    let every_one = fits.iter().all(|&f| own_growing(f));
    let half_width = t(df, 0.975) * se;
    Some(BacklogGrowth {
        share,
        share_ci95: Some([share - half_width, share + half_width]),
        weeks: weeks as u32 * (block_days as u32 / 7),
        from_day: from_day as u32,
        growing: share >= MIN_GROWTH_SHARE && (between || every_one),
    })
}

/// The day from which a backlog has been growing: the last day on which the mean queue
/// (`daily`, one value per bin of `days_per_bin` days) was at its lowest before `until`
/// (a day of the window).
pub fn growing_since(daily: &[Option<f64>], days_per_bin: usize, until: usize) -> usize {
    let bins = until.div_ceil(days_per_bin.max(1)).min(daily.len());
    let mut best: Option<(usize, f64)> = None;
    for (i, q) in daily[..bins].iter().enumerate() {
        if let Some(q) = *q
            && best.is_none_or(|(_, b)| q <= b)
        {
            best = Some((i, q));
        }
    }
    best.map_or(0, |(i, _)| i * days_per_bin.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Daily bins of a queue that is `level(day)` all day, over `days` full days.
    fn series(days: usize, level: impl Fn(usize) -> f64) -> (Vec<f64>, Vec<f64>) {
        let area = (0..days).map(|d| level(d) * 24.0).collect();
        (area, vec![24.0; days])
    }

    fn run(reps: &[(Vec<f64>, Vec<f64>)], joined: u64) -> Option<BacklogGrowth> {
        let r: Vec<PoolSeriesOfReplication<'_>> = reps
            .iter()
            .map(|(q, h)| PoolSeriesOfReplication {
                queue_area: q,
                hours: h,
                joined,
            })
            .collect();
        backlog_growth(&r, 1)
    }

    #[test]
    fn a_steady_rise_is_the_share_of_arrivals_not_kept_up_with() {
        // 10 tokens an hour join over 70 days; the queue rises 0.2 an hour (4.8 a day)
        // with a little noise per replication: growth share 0.02.
        let reps: Vec<_> = (0..5)
            .map(|r| series(70, |d| 4.8 * d as f64 + ((d * 7 + r * 3) % 5) as f64))
            .collect();
        let g = run(&reps, 10 * 70 * 24).unwrap();
        assert!((g.share - 0.02).abs() < 0.002, "{g:?}");
        assert!(g.growing);
        assert_eq!((g.weeks, g.from_day), (5, 35));
    }

    #[test]
    fn a_hump_that_clears_or_a_flat_queue_is_not_growth() {
        // Rises for a week in the middle of the window, then clears.
        let hump = |d: usize| if (28..35).contains(&d) { 500.0 } else { 20.0 };
        let reps: Vec<_> = (0..5).map(|_| series(70, hump)).collect();
        assert!(!run(&reps, 10_000).unwrap().growing);
        // Rises through the holiday week that opens the second half, then clears: the
        // second half slopes down.
        let late = |d: usize| {
            if (35..42).contains(&d) {
                50.0 * (d - 34) as f64
            } else {
                20.0
            }
        };
        let reps: Vec<_> = (0..5).map(|_| series(70, late)).collect();
        let g = run(&reps, 10_000).unwrap();
        assert!(g.share < 0.0 && !g.growing, "{g:?}");
        let flat: Vec<_> = (0..5)
            .map(|r| series(70, |d| ((d + r) % 3) as f64))
            .collect();
        assert!(!run(&flat, 10_000).unwrap().growing);
    }

    #[test]
    fn growth_below_one_percent_or_within_noise_is_not_flagged() {
        // 0.5 % of arrivals: steady but small.
        let reps: Vec<_> = (0..5).map(|_| series(70, |d| 1.2 * d as f64)).collect();
        let g = run(&reps, 10 * 70 * 24).unwrap();
        assert!((g.share - 0.005).abs() < 1e-9 && !g.growing, "{g:?}");
        // 2 % on average, but one replication falls faster than the others rise.
        let reps: Vec<_> = [2.0, 2.0, 2.0, 2.0, -3.0]
            .iter()
            .map(|&s| series(70, move |d| 5.0 * s * d as f64 + 1000.0))
            .collect();
        let g = run(&reps, 10 * 70 * 24).unwrap();
        assert!(g.share > 0.01 && !g.growing, "{g:?}");
    }

    #[test]
    fn one_replication_uses_its_own_residuals() {
        let one = [series(70, |d| 4.8 * d as f64 + (d % 2) as f64)];
        assert!(run(&one, 10 * 70 * 24).unwrap().growing);
        let noisy = [series(
            70,
            |d| if d % 14 < 7 { 0.0 } else { 4.8 * d as f64 },
        )];
        assert!(!run(&noisy, 10 * 70 * 24).unwrap().growing);
    }

    #[test]
    fn a_few_replications_that_each_show_growth_are_growing() {
        // Two replications growing at 2 % and 3 %: the between-replication bound (t of 1
        // degree of freedom at 99.9 %: 318) cannot clear zero, but each one's own fit
        // does; one that does not show growth on its own keeps the pool unflagged.
        let rise = |k: f64| series(70, move |d| k * 4.8 * d as f64 + (d % 2) as f64);
        let g = run(&[rise(1.0), rise(1.5)], 10 * 70 * 24).unwrap();
        assert!(g.growing, "{g:?}");
        let noisy = series(70, |d| if d % 14 < 7 { 0.0 } else { 7.2 * d as f64 });
        let g = run(&[rise(1.0), noisy], 10 * 70 * 24).unwrap();
        assert!(g.share > 0.01 && !g.growing, "{g:?}");
    }

    #[test]
    fn short_windows_and_idle_pools_give_nothing() {
        // Three whole weeks and six days (a week): two to fit, too few.
        assert_eq!(run(&[series(27, |_| 1.0)], 100), None);
        assert!(run(&[series(42, |_| 1.0)], 100).is_some());
        assert_eq!(run(&[series(70, |_| 0.0)], 0), None);
    }

    #[test]
    fn partial_weeks_are_left_out_and_long_bins_count_as_weeks() {
        // A last week of three days is dropped: 10 whole weeks, 5 fitted.
        let g = run(&[series(73, |d| d as f64)], 1000).unwrap();
        assert_eq!(g.weeks, 5);
        // Bins of two weeks: each is one point, and weeks count its days.
        let (q, h): (Vec<f64>, Vec<f64>) = (0..10)
            .map(|b| (b as f64 * 14.0 * 24.0 * 100.0, 14.0 * 24.0))
            .unzip();
        let r = [PoolSeriesOfReplication {
            queue_area: &q,
            hours: &h,
            joined: 10 * 140 * 24,
        }];
        let g = backlog_growth(&r, 14).unwrap();
        assert_eq!((g.weeks, g.from_day), (10, 70));
        assert!(g.growing);
    }

    #[test]
    fn growing_since_is_the_last_lowest_day() {
        let daily = [Some(3.0), Some(1.0), Some(1.0), Some(5.0), None, Some(9.0)];
        assert_eq!(growing_since(&daily, 1, 6), 2);
        assert_eq!(growing_since(&daily, 7, 42), 14);
        assert_eq!(growing_since(&daily, 1, 1), 0);
        assert_eq!(growing_since(&[], 1, 10), 0);
    }
}
