//! The flagship Chongqing pair: the reference result (16.10 h → 8.57 h, headline mean
//! clearance, lodgement → release) within 3 %, and two files that differ only in the
//! policy and the year's calendar.

use crate::support::{model, repo, run};

fn check(file: &str, target: f64) {
    let m = model(file, &[]);
    let (_, summary) = run(&m);
    let c = &summary.overall.clearance_hours;
    let [lo, hi] = c.mean_ci95.expect("several replications");
    eprintln!(
        "{file}: {:.3} h (95 % CI {lo:.3} … {hi:.3}), target {target} h",
        c.mean
    );
    assert!(
        (c.mean - target).abs() <= 0.03 * target,
        "{file}: mean {:.3} h is not within 3 % of {target} h",
        c.mean
    );
    assert!(
        (hi - lo) / 2.0 < 0.01 * c.mean,
        "{file}: CI half-width is not under 1 % of the mean"
    );
    assert!(!summary.unstable, "{file}: a pool is overloaded");
    // E-commerce parcels and luggage have KPIs of their own, outside the headline.
    for own in ["ecommerce", "air-luggage"] {
        assert_eq!(summary.modes[own].headline, Some(false), "{own}");
    }
}

#[test]
fn chongqing_2016_business_hours_clears_in_about_16_10_hours() {
    check("scenarios/chongqing-2016.toml", 16.10);
}

#[test]
fn chongqing_2017_7x24_clears_in_about_8_57_hours() {
    check("scenarios/chongqing-2017.toml", 8.57);
}

/// Removes what may differ between the two years: names, dates, the year's calendar and
/// the chosen policy.
fn without_year(path: &str) -> toml::Table {
    let mut doc: toml::Table = std::fs::read_to_string(repo(path))
        .unwrap()
        .parse()
        .unwrap();
    for key in [
        "name",
        "description",
        "start",
        "horizon_days",
        "policy",
        "holidays",
        "workdays",
    ] {
        doc.remove(key);
    }
    if let Some(toml::Value::Array(peaks)) = doc.get_mut("peaks") {
        for p in peaks.iter_mut().filter_map(toml::Value::as_table_mut) {
            p.remove("from");
            p.remove("to");
        }
    }
    doc
}

#[test]
fn the_pair_differs_only_in_policy_and_calendar() {
    let (a, b) = (
        without_year("scenarios/chongqing-2016.toml"),
        without_year("scenarios/chongqing-2017.toml"),
    );
    for (k, v) in &a {
        assert_eq!(Some(v), b.get(k), "key `{k}` differs between the two years");
    }
    assert_eq!(a.len(), b.len());
    let policy = |p: &str| -> String {
        let doc: toml::Table = std::fs::read_to_string(repo(p)).unwrap().parse().unwrap();
        doc["policy"].as_str().unwrap().to_string()
    };
    assert_eq!(policy("scenarios/chongqing-2016.toml"), "business-hours");
    assert_eq!(policy("scenarios/chongqing-2017.toml"), "7x24");
}

#[test]
fn the_lunar_new_year_season_runs_under_reservable_7x24() {
    let m = model("scenarios/chongqing-peak-2017.toml", &["replications=2"]);
    assert_eq!(m.policy.as_deref(), Some("7x24-reservation"));
    assert!(m.reservations.is_some() && m.modes.iter().any(|x| x.reservation_share > 0.0));
    let (_, summary) = run(&m);
    assert!(!summary.unstable);
    // Off-hours officers on call served the fast track and reserved shipments.
    let on_call_busy: f64 = summary.pools.values().map(|p| p.on_call_busy_hours).sum();
    assert!(on_call_busy > 0.0, "nobody on call served anyone");
    // The season is harder than the seven-month average of the 7x24 year.
    assert!(summary.overall.clearance_hours.mean > 8.57);
}
