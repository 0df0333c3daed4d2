//! Time series and distributions in the summary: what plots are drawn from.

use portsim::experiment::{Layout, Summary};
use portsim::model::ReplicationResult;

use crate::support::{model, run};

/// Monday 00:00 is hour 0 of the week.
fn hour_of_week(weekday: usize, hour: usize) -> usize {
    weekday * 24 + hour
}

fn business_hours() -> (Vec<ReplicationResult>, Summary) {
    run(&model("scenarios/validation/business-hours.toml", &[]))
}

fn values(xs: &[Option<f64>]) -> Vec<f64> {
    xs.iter()
        .map(|x| x.expect("every bin has window hours"))
        .collect()
}

/// The overall daily clearance means weighted by the shipments released, checked to give
/// the pooled mean of every counted shipment (one mode) and to count every release.
fn weighted_daily_mean(results: &[ReplicationResult], s: &Summary) -> f64 {
    let d = &s.overall.series.daily;
    assert_eq!(d.released.iter().sum::<u64>(), s.overall.released);
    let weighted: f64 = d
        .clearance_mean
        .iter()
        .zip(&d.released)
        .map(|(m, &n)| m.unwrap() * n as f64)
        .sum::<f64>()
        / s.overall.released as f64;
    let (sum, count) = results.iter().fold((0.0, 0), |(s, n), r| {
        (s + r.modes[0].clearance.sum, n + r.modes[0].clearance.count)
    });
    let pooled = sum / count as f64;
    assert!(
        (weighted - pooled).abs() < 1e-9 * pooled,
        "{weighted} vs {pooled}"
    );
    weighted
}

#[test]
fn series_by_hour_of_week_follow_the_roster_and_the_arrivals() {
    let (_, s) = business_hours();
    // Officers Mon-Fri 09:00-17:00: staff on duty is exactly the roster.
    let pool = &s.pools["servers"];
    let staff = values(&pool.hour_of_week.staff_on_duty);
    assert_eq!(staff.len(), 168);
    for (b, &x) in staff.iter().enumerate() {
        let (day, hour) = (b / 24, b % 24);
        let want = if day < 5 && (9..17).contains(&hour) {
            4.0
        } else {
            0.0
        };
        assert_eq!(x, want, "hour of week {b}");
    }
    assert_eq!(staff[hour_of_week(0, 8)], 0.0);
    assert_eq!(staff[hour_of_week(0, 10)], 4.0);
    assert_eq!(staff[hour_of_week(5, 12)], 0.0);
    assert!(
        pool.daily.staff_on_duty.iter().all(|x| {
            let x = x.unwrap();
            x == 0.0 || (x - 32.0 / 24.0).abs() < 1e-12
        }),
        "a day has 8 officer-hours of 4 officers or none"
    );

    // Shipments pile up from Friday 17:00 to Monday 09:00 and are cleared within hours.
    let l = values(&s.overall.series.hour_of_week.in_system);
    let top = (0..168).max_by(|&a, &b| l[a].total_cmp(&l[b])).unwrap();
    assert_eq!(
        top,
        hour_of_week(0, 8),
        "the backlog peaks Monday 08:00-09:00"
    );
    for b in hour_of_week(4, 17)..168 {
        assert!(l[b] > l[b - 1], "the weekend backlog grows at hour {b}");
    }
    for b in 0..hour_of_week(0, 9) {
        assert!(l[b] > l[167], "it grows into Monday at hour {b}");
    }
    let late_friday = l[hour_of_week(4, 16)];
    assert!(late_friday < 0.5, "Friday 16:00-17:00: {late_friday}");
    let low = (0..168).min_by(|&a, &b| l[a].total_cmp(&l[b])).unwrap();
    assert!(
        low / 24 < 5 && (10..17).contains(&(low % 24)),
        "the lowest hour ({low}) is a weekday afternoon"
    );
    // Outside office hours nothing is as low as late Friday.
    for (b, &x) in l.iter().enumerate() {
        if b / 24 >= 5 || !(9..17).contains(&(b % 24)) {
            assert!(x > late_friday, "hour {b}: {x} ≤ {late_friday}");
        }
    }
    // The bins are time-averages: weighted by the hours (equal here), they give the
    // overall mean in the system.
    let mean = l.iter().sum::<f64>() / 168.0;
    let want = s.overall.mean_in_system.mean;
    assert!((mean - want).abs() < 1e-9 * want, "{mean} vs {want}");
    // The queue waits for the office like the shipments do.
    let q = values(&pool.hour_of_week.queue);
    assert!(q[hour_of_week(0, 8)] > 100.0 && q[hour_of_week(2, 14)] < 0.5);

    // Poisson arrivals at 2 per hour, every hour of the week.
    let a = values(&s.overall.series.hour_of_week.arrivals_per_hour);
    let avg = a.iter().sum::<f64>() / 168.0;
    // About 168,000 arrivals: a standard error of 0.25 %.
    assert!((avg - 2.0).abs() < 0.02, "mean arrival rate {avg}");
    assert!((avg - s.overall.arrival_rate_per_hour).abs() < 1e-9);
    for (b, &x) in a.iter().enumerate() {
        // About 1,000 arrivals per bin: a standard error of 3 %.
        assert!((x - 2.0).abs() < 0.3, "hour of week {b}: {x} per hour");
    }
}

#[test]
fn daily_series_cover_the_window() {
    let (results, s) = business_hours();
    let cal = s.calendar.as_ref().expect("the summary has the calendar");
    assert_eq!(
        cal.start, "2024-01-15",
        "warm-up of 14 days from 2024-01-01"
    );
    assert_eq!(cal.days, 350);
    assert!(cal.holidays.is_empty() && cal.peaks.is_empty());
    let d = &s.overall.series.daily;
    assert_eq!(d.clearance_mean.len(), 350);
    assert_eq!(d.in_system.len(), 350);
    assert_eq!(d.released.len(), 350);
    assert_eq!(s.pools["servers"].daily.queue.len(), 350);
    assert_eq!(s.modes["customers"].series.daily, *d);

    // Weighted by the shipments released, the daily means give the pooled mean.
    let weighted = weighted_daily_mean(&results, &s);
    // ... and the overall mean is the mean of per-replication means: nearly the same.
    let mean = s.overall.clearance_hours.mean;
    assert!(
        (weighted - mean).abs() < 1e-3 * mean,
        "{weighted} vs {mean}"
    );
    // Mondays are quick (the office opens that morning), Fridays slow (the weekend).
    let monday = d.clearance_mean[0].unwrap();
    let friday = d.clearance_mean[4].unwrap();
    assert!(monday < 10.0 && friday > 15.0, "{monday} {friday}");
    let days: Vec<f64> = values(&d.in_system);
    let daily_mean = days.iter().sum::<f64>() / days.len() as f64;
    let want = s.overall.mean_in_system.mean;
    assert!((daily_mean - want).abs() < 1e-9 * want);
}

/// A window longer than 1,000 days is binned by weeks, so the series stay at most 1,000
/// long and memory does not grow with the horizon; the bins still add up.
#[test]
fn a_long_window_is_binned_by_weeks() {
    // 2,100 days of window (from Monday 15 January 2024): 300 weeks.
    let (results, s) = run(&model(
        "scenarios/validation/business-hours.toml",
        &["horizon_days=2114", "replications=2"],
    ));
    let cal = s.calendar.as_ref().unwrap();
    assert_eq!((cal.days, cal.days_per_bin), (2100, 7));
    let d = &s.overall.series.daily;
    assert_eq!(d.clearance_mean.len(), 300);
    assert_eq!(d.in_system.len(), 300);
    assert_eq!(s.pools["servers"].daily.staff_on_duty.len(), 300);
    weighted_daily_mean(&results, &s);
    // Every week has 5 working days of 32 officer-hours, over 168 hours.
    let staff = values(&s.pools["servers"].daily.staff_on_duty);
    for (i, x) in staff.iter().enumerate() {
        assert!((x - 160.0 / 168.0).abs() < 1e-12, "week {i}: {x}");
    }
    // Equal bins: their mean is the window's time-average.
    let bins = values(&d.in_system);
    let mean = bins.iter().sum::<f64>() / bins.len() as f64;
    let want = s.overall.mean_in_system.mean;
    assert!((mean - want).abs() < 1e-9 * want, "{mean} vs {want}");
}

#[test]
fn the_distribution_matches_the_quantiles_and_covers_every_shipment() {
    let (_, s) = business_hours();
    let c = &s.overall.clearance_hours;
    let dist = &s.overall.distribution;
    let q = &dist.quantiles;
    assert_eq!(q.len(), 200);
    assert_eq!(q[0][0], 0.005);
    assert_eq!(q[198][0], 0.995);
    assert_eq!(q[199][0], 0.999);
    for w in q.windows(2) {
        assert!(w[1][0] > w[0][0] && w[1][1] >= w[0][1], "{w:?}");
    }
    let at = |p: f64| q.iter().find(|x| x[0] == p).unwrap()[1];
    assert_eq!(Some(at(0.5)), c.p50);
    assert_eq!(Some(at(0.9)), c.p90);
    assert_eq!(Some(at(0.95)), c.p95);
    assert_eq!(Some(at(0.99)), c.p99);
    assert!(at(0.999) <= c.max.unwrap());

    let bins = &dist.bins;
    assert_eq!(bins[0][0], 0.0);
    assert!((bins[0][1] - 1.0 / 60.0).abs() < 0.002, "about a minute");
    for w in bins.windows(2) {
        assert_eq!(w[0][1], w[1][0], "contiguous");
        // Ten per decade.
        assert!((w[1][1] / w[1][0] - 10f64.powf(0.1)).abs() < 1e-9);
    }
    let last = bins.last().unwrap();
    assert!(last[0] <= c.max.unwrap() && c.max.unwrap() < last[1]);
    let total: f64 = bins.iter().map(|b| b[2]).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert!(bins.iter().all(|b| b[2] >= 0.0));
    // The share below 16 hours is about where the quantiles put it.
    let below: f64 = bins.iter().filter(|b| b[1] <= 15.85).map(|b| b[2]).sum();
    let p = q.iter().filter(|x| x[1] < 15.85).count() as f64 / 200.0;
    assert!((below - p).abs() < 0.01, "{below} vs {p}");
}

#[test]
fn the_calendar_lists_the_holidays_and_peaks_of_the_window() {
    let layout = Layout::of(&model("scenarios/chongqing-peak-2017.toml", &[]));
    let cal = layout.calendar.unwrap();
    // December 2016 is the warm-up: January and February 2017 are counted.
    assert_eq!(cal.start, "2017-01-01");
    assert_eq!(cal.days, 59);
    assert_eq!(
        cal.holidays,
        [
            "2017-01-01",
            "2017-01-02",
            "2017-01-27",
            "2017-01-28",
            "2017-01-29",
            "2017-01-30",
            "2017-01-31",
            "2017-02-01",
            "2017-02-02"
        ]
    );
    let peaks: Vec<(&str, &str, &str)> = cal
        .peaks
        .iter()
        .map(|p| (p.name.as_str(), p.from.as_str(), p.to.as_str()))
        .collect();
    // The New Year rush ends in the warm-up; the New Year holiday reaches into the window.
    assert_eq!(
        peaks,
        [
            ("New Year holiday", "2016-12-31", "2017-01-02"),
            ("Lunar New Year rush", "2017-01-06", "2017-01-26"),
            ("Lunar New Year holiday week", "2017-01-27", "2017-02-02"),
            ("Lunar New Year recovery", "2017-02-03", "2017-02-16"),
        ]
    );
}

#[test]
fn results_keep_their_series_in_files_and_older_files_still_load() {
    let m = model(
        "scenarios/validation/business-hours.toml",
        &["replications=2", "horizon_days=42"],
    );
    let (results, summary) = run(&m);
    let text = serde_json::to_string(&results).unwrap();
    let back: Vec<ReplicationResult> = serde_json::from_str(&text).unwrap();
    assert_eq!(back[1].series_hours, results[1].series_hours);
    assert_eq!(back[1].modes[0].series, results[1].modes[0].series);
    assert_eq!(back[1].pools[0].series, results[1].pools[0].series);
    assert_eq!(results[0].series_hours.daily.len(), 28);

    // A result stored before series were recorded loads, and summarises with nulls.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    for r in old.as_array_mut().unwrap() {
        let r = r.as_object_mut().unwrap();
        r.remove("series_hours");
        for key in ["modes", "pools"] {
            for x in r[key].as_array_mut().unwrap() {
                x.as_object_mut().unwrap().remove("series");
            }
        }
    }
    let old: Vec<ReplicationResult> = serde_json::from_value(old).unwrap();
    let mut layout = serde_json::to_value(Layout::of(&m)).unwrap();
    layout.as_object_mut().unwrap().remove("calendar");
    let layout: Layout = serde_json::from_value(layout).unwrap();
    let s = portsim::experiment::summarize(&layout, "test", &old, 0.0);
    assert_eq!(s.overall.clearance_hours, summary.overall.clearance_hours);
    assert!(s.calendar.is_none());
    let how = &s.overall.series.hour_of_week;
    assert_eq!(how.in_system.len(), 168);
    assert!(how.in_system.iter().all(Option::is_none));
    assert!(s.overall.series.daily.clearance_mean.is_empty());
    assert_eq!(s.overall.distribution, summary.overall.distribution);
}

#[test]
fn an_arrival_on_the_hour_counts_in_the_hour_it_starts() {
    // One week counted (from Monday 15 January): arrivals at exactly 09:00 on Monday
    // (when the office opens) and at 17:30 on Tuesday.
    let m = model(
        "scenarios/validation/business-hours.toml",
        &[
            "replications=1",
            "horizon_days=21",
            r#"modes.customers.arrivals={ kind = "list", at = ["2024-01-15 09:00", "2024-01-16 17:30", "2024-01-22 00:00"] }"#,
        ],
    );
    let (_, s) = run(&m);
    let a = values(&s.overall.series.hour_of_week.arrivals_per_hour);
    let hits: Vec<(usize, f64)> = a
        .iter()
        .copied()
        .enumerate()
        .filter(|x| x.1 > 0.0)
        .collect();
    assert_eq!(
        hits,
        [(hour_of_week(0, 9), 1.0), (hour_of_week(1, 17), 1.0)]
    );
    let d = &s.overall.series.daily;
    assert_eq!(d.released, [1, 1, 0, 0, 0, 0, 0]);
    assert_eq!(d.clearance_mean[2], None);
    // Served at once on Monday; Tuesday's waits for Wednesday 09:00.
    assert!(d.clearance_mean[0].unwrap() < 2.0);
    assert!(d.clearance_mean[1].unwrap() > 15.5);
    let l = values(&s.overall.series.hour_of_week.in_system);
    assert_eq!(l[hour_of_week(0, 8)], 0.0);
    assert!(l[hour_of_week(1, 18)] == 1.0 && l[hour_of_week(2, 8)] == 1.0);
}
