//! Comparing a run with its baseline: which figures moved, and whether that is more than
//! chance (statistical) or any change at all (exact).
//!
//! A run checked with the baseline's seed and replications repeats its random numbers
//! replication by replication, so the two are compared pair by pair: a paired t-test of
//! the differences sees through the noise both share, which Welch's test of two
//! independent samples cannot (a 4.8 % rise of the M/M/c validation scenario's mean
//! clearance passed it). With another seed or replication count there are no pairs, and
//! Welch's test it is.

use super::baseline::Entry;
use super::measures::Measure;
pub use crate::results::check::{CHECK_SCHEMA, CheckReport, Method, Row, ScenarioCheck, Test};
use crate::stats::{Untestable, holm, paired_t, welch};

/// What a check allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The comparison.
    pub method: Method,
    /// Family-wise significance level of the t-tests (0.05: 95 %).
    pub alpha: f64,
    /// Relative change a quantile must exceed (besides being significant) to move; with
    /// one replication a side, the only test of any figure.
    pub tolerance: f64,
}

/// The share of the baseline's size a paired-tested mean must change by to move, however
/// significant: with common random numbers a systematic difference in the last bits
/// (another platform's floating-point maths) can be significant, and is no regression.
pub const MATERIAL_FLOOR: f64 = 1e-6;

/// Compares each `(baseline, current)` pair. With the statistical method, Holm's
/// correction runs over every figure t-tested in the whole check (paired and Welch alike),
/// so the chance of a false alarm anywhere in it stays at most `alpha`.
pub fn check(pairs: &[(&Entry, &Entry)], settings: &Settings) -> CheckReport {
    let mut scenarios: Vec<ScenarioCheck> = pairs
        .iter()
        .map(|(base, current)| scenario_check(base, current, settings))
        .collect();
    if settings.method == Method::Statistical {
        // Every t-tested row across scenarios, then Holm over them all.
        let mut places = Vec::new();
        let mut p_values = Vec::new();
        for (s, sc) in scenarios.iter().enumerate() {
            for (r, row) in sc.rows.iter().enumerate() {
                if let Test::Welch { p_value, .. } | Test::Paired { p_value, .. } = row.test {
                    places.push((s, r));
                    p_values.push(p_value);
                }
            }
        }
        for ((s, r), d) in places.into_iter().zip(holm(&p_values, settings.alpha)) {
            let row = &mut scenarios[s].rows[r];
            if let Test::Welch { threshold, .. } | Test::Paired { threshold, .. } = &mut row.test {
                *threshold = d.threshold;
            }
            row.moved = d.reject && row.material;
        }
    }
    let passed = scenarios.iter().all(|s| s.moved().next().is_none());
    CheckReport {
        schema: CHECK_SCHEMA.into(),
        method: settings.method,
        alpha: settings.alpha,
        tolerance: settings.tolerance,
        passed,
        scenarios,
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn scenario_check(base: &Entry, current: &Entry, settings: &Settings) -> ScenarioCheck {
    let mut notes = Vec::new();
    let file_changed = base.file_sha256 != current.file_sha256;
    if file_changed {
        notes.push(format!(
            "the scenario file changed since the baseline (sha256 {} → {})",
            short(&base.file_sha256),
            short(&current.file_sha256)
        ));
    } else if base.scenario_sha256 != current.scenario_sha256 {
        notes.push(
            "the file is unchanged but the resolved scenario differs (other --set, --policy, --seed or --replications than the baseline's)".into(),
        );
    }
    if base.seed != current.seed {
        notes.push(format!("seed {} → {}", base.seed, current.seed));
    }
    if base.replications != current.replications {
        notes.push(format!(
            "replications {} → {}",
            base.replications, current.replications
        ));
    }
    // Same seed and replications: replication r of each ran on the same random numbers.
    let paired = base.seed == current.seed && base.replications == current.replications;
    if settings.method == Method::Statistical && !paired {
        notes.push(
            "no replication shares its random numbers with the baseline's: Welch tests, unpaired"
                .into(),
        );
    }
    if base.policy != current.policy {
        let name = |p: &Option<String>| p.clone().unwrap_or_else(|| "none".into());
        notes.push(format!(
            "policy {} → {}",
            name(&base.policy),
            name(&current.policy)
        ));
    }
    if base.portsim_version != current.portsim_version {
        notes.push(format!(
            "the baseline was recorded by portsim {}, this is {}",
            base.portsim_version, current.portsim_version
        ));
    }

    if !current.overloaded.is_empty() {
        // Which pool, by which measure, from when: beside the unstable row's 0 → 1.
        notes.push(format!("overloaded: {}", current.overloaded.join("; ")));
    }

    let mut rows = Vec::new();
    let flag = |b: bool| Some(if b { 1.0 } else { 0.0 });
    rows.push(row(
        "unstable",
        flag(base.unstable),
        flag(current.unstable),
        Test::Identical,
        base.unstable != current.unstable,
    ));
    for (name, b) in &base.measures {
        let r = match current.measures.get(name) {
            Some(c) => compare(name, b, c, paired, settings),
            None => row(
                name,
                b.headline(),
                None,
                Test::Missing {
                    side: "current".into(),
                },
                true,
            ),
        };
        rows.push(r);
    }
    for (name, c) in &current.measures {
        if !base.measures.contains_key(name) {
            rows.push(row(
                name,
                None,
                c.headline(),
                Test::Missing {
                    side: "baseline".into(),
                },
                true,
            ));
        }
    }
    if settings.method == Method::Exact
        && base.summary_sha256 != current.summary_sha256
        && !rows.iter().any(|r| r.moved)
    {
        // The compared figures agree, but something else in the summary does not.
        rows.push(row(
            "summary (other fields)",
            None,
            None,
            Test::Identical,
            true,
        ));
    }
    ScenarioCheck {
        file: base.file.clone(),
        scenario: current.scenario.clone(),
        file_changed,
        notes,
        rows,
    }
}

fn row(metric: &str, baseline: Option<f64>, current: Option<f64>, test: Test, moved: bool) -> Row {
    let change = baseline.zip(current).map(|(b, c)| c - b);
    let relative = baseline
        .zip(change)
        .and_then(|(b, d)| (b != 0.0).then(|| d / b.abs()));
    Row {
        metric: metric.to_string(),
        baseline,
        current,
        change,
        relative,
        test,
        moved,
        material: true,
    }
}

/// Compares one figure: by a paired t-test where the runs' replications pair up
/// (`paired`), by Welch's test otherwise, by the tolerance where neither can be made.
fn compare(name: &str, b: &Measure, c: &Measure, paired: bool, settings: &Settings) -> Row {
    let (hb, hc) = (b.headline(), c.headline());
    if settings.method == Method::Exact {
        return row(name, hb, hc, Test::Identical, b != c);
    }
    let beyond_tolerance = match (hb, hc) {
        (None, None) => false,
        (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
            (y - x).abs() > settings.tolerance * x.abs()
        }
        // A mean past the range of numbers (huge values summed): only the same passes.
        (Some(x), Some(y)) => x.to_bits() != y.to_bits(),
        _ => true,
    };
    let quantile = matches!(b, Measure::Quantile { .. });
    let tolerance = quantile.then_some(settings.tolerance);
    let threshold = settings.alpha;
    let paired = paired && b.values().len() == c.values().len();
    let tested: Result<Test, Untestable> = if paired {
        // Aligned by replication; a replication without a value on either side drops out.
        let side = |m: &Measure| -> Vec<f64> {
            m.values().iter().map(|v| v.unwrap_or(f64::NAN)).collect()
        };
        paired_t(&side(b), &side(c)).map(|t| Test::Paired {
            p_value: t.p_value,
            threshold,
            tolerance,
        })
    } else {
        welch(&b.finite_values(), &c.finite_values()).map(|w| Test::Welch {
            p_value: w.p_value,
            threshold,
            tolerance,
        })
    };
    match tested {
        // `moved` and the threshold are decided by Holm over the whole check.
        Ok(test) => {
            let mut r = row(name, hb, hc, test, false);
            // A quantile moves only if it is beyond the tolerance too, a paired mean only
            // if beyond the rounding floor (both applied after Holm).
            r.material = if quantile {
                beyond_tolerance
            } else if paired {
                match (hb, hc) {
                    (Some(x), Some(y)) => (y - x).abs() > MATERIAL_FLOOR * x.abs(),
                    _ => true,
                }
            } else {
                true
            };
            r
        }
        // No noise estimate (fewer than two replications a side, or pairs) or no test
        // possible: the tolerance decides, and says why.
        Err(why) => {
            let test = Test::Tolerance {
                tolerance: settings.tolerance,
                reason: why.to_string(),
            };
            row(name, hb, hc, test, beyond_tolerance)
        }
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;

    use super::*;

    fn entry(measures: Vec<(&str, Measure)>) -> Entry {
        Entry {
            file: "s.toml".into(),
            file_sha256: "f".repeat(64),
            scenario: "s".into(),
            scenario_sha256: "r".repeat(64),
            summary_sha256: "x".into(),
            portsim_version: "0".into(),
            seed: 1,
            replications: 5,
            policy: None,
            unstable: false,
            overloaded: Vec::new(),
            measures: measures
                .into_iter()
                .map(|(k, m)| (k.to_string(), m))
                .collect::<IndexMap<_, _>>(),
        }
    }

    fn sample(xs: &[f64]) -> Measure {
        Measure::Sample {
            values: xs.iter().map(|&x| Some(x)).collect(),
        }
    }

    const STAT: Settings = Settings {
        method: Method::Statistical,
        alpha: 0.05,
        tolerance: 0.05,
    };

    #[test]
    fn noise_passes_and_a_shift_fails() {
        let base = entry(vec![("m", sample(&[10.0, 10.2, 9.9, 10.1, 9.8]))]);
        let noisy = entry(vec![("m", sample(&[10.1, 9.9, 10.0, 10.2, 9.9]))]);
        let shifted = entry(vec![("m", sample(&[11.0, 11.2, 10.9, 11.1, 10.8]))]);
        assert!(check(&[(&base, &noisy)], &STAT).passed);
        let r = check(&[(&base, &shifted)], &STAT);
        assert!(!r.passed);
        let moved: Vec<&str> = r.scenarios[0].moved().map(|r| r.metric.as_str()).collect();
        assert_eq!(moved, ["m"]);
        let row = &r.scenarios[0].rows[1];
        assert!((row.change.unwrap() - 1.0).abs() < 1e-9);
        assert!((row.relative.unwrap() - 0.1).abs() < 1e-9);
    }

    /// `entry(measures)` run with another seed: nothing pairs with a seed-1 baseline.
    fn other_seed(measures: Vec<(&str, Measure)>) -> Entry {
        Entry {
            seed: 2,
            ..entry(measures)
        }
    }

    #[test]
    fn holm_counts_every_mean_of_the_check() {
        // p ≈ 0.03 passes alone but not among 20 tests.
        let a = sample(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let b = sample(&[2.8, 3.8, 4.8, 5.8, 6.8, 7.8]);
        let p = welch(&a.finite_values(), &b.finite_values())
            .unwrap()
            .p_value;
        assert!(p < 0.05 && p > 0.0025, "{p}");
        let one = (
            entry(vec![("m", a.clone())]),
            other_seed(vec![("m", b.clone())]),
        );
        assert!(!check(&[(&one.0, &one.1)], &STAT).passed);
        let mut base = vec![("m", a)];
        let mut cur = vec![("m", b)];
        let names: Vec<String> = (0..19).map(|i| format!("same{i}")).collect();
        for n in &names {
            base.push((n, sample(&[1.0, 2.0, 3.0])));
            cur.push((n, sample(&[1.0, 2.0, 3.0])));
        }
        let (base, cur) = (entry(base), other_seed(cur));
        assert!(check(&[(&base, &cur)], &STAT).passed);
    }

    #[test]
    fn the_same_seed_pairs_replications_and_sees_what_welch_cannot() {
        // Replications that vary a lot, shifted by 1 % with a little noise of their own:
        // the common noise hides the shift from Welch's test, not from the paired one.
        let base = [10.0, 14.0, 8.0, 12.0, 9.0, 13.0];
        let shifted: Vec<f64> = base
            .iter()
            .zip([0.01, -0.01, 0.0, 0.01, -0.005, 0.0])
            .map(|(x, e)| x * 1.01 + e)
            .collect();
        let b = entry(vec![("m", sample(&base))]);
        let paired = check(&[(&b, &entry(vec![("m", sample(&shifted))]))], &STAT);
        assert!(!paired.passed);
        let row = &paired.scenarios[0].rows[1];
        assert!(
            matches!(row.test, Test::Paired { p_value, tolerance: None, .. } if p_value < 1e-3),
            "{row:?}"
        );
        assert!(row.moved);
        assert!(paired.scenarios[0].notes.is_empty(), "{paired:?}");
        let unpaired = check(&[(&b, &other_seed(vec![("m", sample(&shifted))]))], &STAT);
        assert!(unpaired.passed);
        let s = &unpaired.scenarios[0];
        assert!(
            matches!(s.rows[1].test, Test::Welch { p_value, .. } if p_value > 0.5),
            "{:?}",
            s.rows[1]
        );
        assert!(
            s.notes.iter().any(|n| n.contains("Welch tests, unpaired")),
            "{:?}",
            s.notes
        );
    }

    #[test]
    fn a_change_at_rounding_level_never_moves_a_mean() {
        // Every replication off by one part in 10^9, systematically: as significant as it
        // gets (p = 0), but below the floor.
        let base = [3.7, 3.9, 3.8, 4.1, 3.6];
        let ulps: Vec<f64> = base.iter().map(|x| x * (1.0 + 1e-9)).collect();
        let r = check(
            &[(
                &entry(vec![("m", sample(&base))]),
                &entry(vec![("m", sample(&ulps))]),
            )],
            &STAT,
        );
        let row = &r.scenarios[0].rows[1];
        assert!(
            matches!(row.test, Test::Paired { p_value, .. } if p_value < 1e-4),
            "{row:?}"
        );
        assert!(r.passed, "{row:?}");
        // Ten times the floor moves.
        let small: Vec<f64> = base.iter().map(|x| x * (1.0 + 1e-5)).collect();
        let r = check(
            &[(
                &entry(vec![("m", sample(&base))]),
                &entry(vec![("m", sample(&small))]),
            )],
            &STAT,
        );
        assert!(!r.passed);
    }

    #[test]
    fn paired_figures_without_two_pairs_are_held_to_the_tolerance() {
        let values = |xs: [Option<f64>; 3]| Measure::Sample {
            values: xs.to_vec(),
        };
        // Two values a side, but only the last replication has both.
        let base = entry(vec![("m", values([Some(2.0), None, Some(2.0)]))]);
        let near = entry(vec![("m", values([None, Some(2.0), Some(2.05)]))]);
        let r = check(&[(&base, &near)], &STAT);
        match &r.scenarios[0].rows[1].test {
            Test::Tolerance { reason, .. } => {
                assert_eq!(
                    reason,
                    "fewer than two replications with values on both sides"
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(r.passed, "+1.25 % is within 5 %: {r:?}");
        let far = entry(vec![("m", values([None, Some(3.0), Some(3.0)]))]);
        assert!(!check(&[(&base, &far)], &STAT).passed);
    }

    #[test]
    fn holm_runs_over_paired_and_welch_rows_together() {
        let m = |xs: &[f64]| vec![("m", sample(xs))];
        let base = entry(m(&[1.0, 2.0, 3.0, 4.0]));
        let shifted = m(&[1.5, 2.5, 3.4, 4.6]);
        let r = check(
            &[
                (&base, &entry(shifted.clone())),
                (&base, &other_seed(shifted)),
            ],
            &STAT,
        );
        let thresholds: Vec<(bool, f64)> = r
            .scenarios
            .iter()
            .map(|s| match s.rows[1].test {
                Test::Paired { threshold, .. } => (true, threshold),
                Test::Welch { threshold, .. } => (false, threshold),
                ref other => panic!("{other:?}"),
            })
            .collect();
        // Two tests in one family: the paired one (smaller p) at α/2, Welch's at α.
        assert_eq!(thresholds, [(true, 0.025), (false, 0.05)]);
        assert!(r.scenarios[0].rows[1].moved && !r.scenarios[1].rows[1].moved);
    }

    fn quantile(pooled: f64, per_rep: &[f64]) -> Measure {
        Measure::Quantile {
            value: Some(pooled),
            values: per_rep.iter().map(|&x| Some(x)).collect(),
        }
    }

    #[test]
    fn quantiles_move_when_beyond_the_tolerance_and_the_noise() {
        let base = entry(vec![("q", quantile(10.0, &[9.9, 10.0, 10.1, 10.0]))]);
        // Significant but within 5 %.
        let near = entry(vec![("q", quantile(10.4, &[10.3, 10.4, 10.5, 10.4]))]);
        // 8 % off, but the replications scatter widely: noise.
        let noisy = entry(vec![("q", quantile(10.8, &[6.0, 15.0, 8.0, 14.0]))]);
        // 8 % off and significant.
        let far = entry(vec![("q", quantile(10.8, &[10.7, 10.8, 10.9, 10.8]))]);
        assert!(check(&[(&base, &near)], &STAT).passed);
        assert!(check(&[(&base, &noisy)], &STAT).passed);
        assert!(!check(&[(&base, &far)], &STAT).passed);
        // One replication: the tolerance alone decides.
        let one = |v| entry(vec![("q", quantile(v, &[v]))]);
        assert!(check(&[(&one(10.0), &one(10.4))], &STAT).passed);
        assert!(!check(&[(&one(10.0), &one(10.6))], &STAT).passed);
    }

    #[test]
    fn exact_wants_every_bit() {
        let mut base = entry(vec![("m", sample(&[1.0, 2.0]))]);
        let mut cur = entry(vec![("m", sample(&[1.0, 2.000000000001]))]);
        let exact = Settings {
            method: Method::Exact,
            ..STAT
        };
        assert!(!check(&[(&base, &cur)], &exact).passed);
        assert!(check(&[(&base, &cur)], &STAT).passed);
        cur.measures = base.measures.clone();
        assert!(check(&[(&base, &cur)], &exact).passed);
        // Same figures, other summary: still a failure, named.
        base.summary_sha256 = "y".into();
        let r = check(&[(&base, &cur)], &exact);
        assert!(!r.passed);
        assert_eq!(
            r.scenarios[0].moved().next().unwrap().metric,
            "summary (other fields)"
        );
    }

    #[test]
    fn missing_figures_and_changed_files_are_reported() {
        let base = entry(vec![("gone", sample(&[1.0, 2.0]))]);
        let mut cur = entry(vec![("new", sample(&[1.0, 2.0]))]);
        cur.file_sha256 = "0".repeat(64);
        cur.seed = 2;
        let r = check(&[(&base, &cur)], &STAT);
        let s = &r.scenarios[0];
        assert!(s.file_changed);
        assert!(
            s.notes[0].contains("scenario file changed"),
            "{:?}",
            s.notes
        );
        assert!(s.notes.iter().any(|n| n == "seed 1 → 2"));
        let moved: Vec<&str> = s.moved().map(|r| r.metric.as_str()).collect();
        assert_eq!(moved, ["gone", "new"]);
    }

    #[test]
    fn becoming_unstable_is_a_regression() {
        let base = entry(vec![]);
        let mut cur = entry(vec![]);
        cur.unstable = true;
        cur.overloaded = vec!["release: backlog_growth from 2016-03-07".into()];
        let report = check(&[(&base, &cur)], &STAT);
        assert!(!report.passed);
        // The note says which pool, by which measure and from when.
        let notes = &report.scenarios[0].notes;
        assert!(
            notes.contains(&"overloaded: release: backlog_growth from 2016-03-07".to_string()),
            "{notes:?}"
        );
    }
}
