//! A regression check for people (a table), for programs (`portsim.check/1` JSON) and
//! for CI servers (JUnit XML: a test suite per scenario, a test case per figure).

use std::fmt::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::{CheckReport, Method, Row, Test};

/// The check as a table: per scenario, the figures that changed and their verdicts.
pub fn check_table(report: &CheckReport) -> String {
    table(report, false)
}

/// What `check --update` replaces: the same table, comparing the new results with the
/// entries they replace, worded as a change rather than a failure.
pub fn update_table(report: &CheckReport) -> String {
    table(report, true)
}

fn table(report: &CheckReport, update: bool) -> String {
    let mut out = String::new();
    let rows = report.scenarios.iter().flat_map(|s| &s.rows);
    let count = |kind: fn(&Test) -> bool| rows.clone().filter(|r| kind(&r.test)).count();
    let paired = count(|t| matches!(t, Test::Paired { .. }));
    let welch = count(|t| matches!(t, Test::Welch { .. }));
    let tested = paired + welch;
    // The tests actually made: paired where the replications share random numbers with
    // the baseline's, Welch's where they do not (named only if some figure had one).
    const PAIRED: &str = "paired t-tests (replications share random numbers)";
    const WELCH: &str = "Welch tests (replications independent of the baseline's)";
    let tests = match (paired, welch) {
        (_, 0) => PAIRED.to_string(),
        (0, _) => WELCH.to_string(),
        (p, w) => format!("{PAIRED} for {p} and {WELCH} for {w}"),
    };
    // The other figures, said here so that the counts below add up: those without a
    // t-test (no spread, one replication) are held to the tolerance alone, and each
    // scenario's unstable flag must match.
    let held = match count(|t| matches!(t, Test::Tolerance { .. })) {
        0 => String::new(),
        n => format!(
            " (and {n} held to ±{} % alone: no t-test possible)",
            percent(report.tolerance)
        ),
    };
    let flags = match report.scenarios.len() {
        1 => "beside the unstable flag, which must match",
        _ => "beside each scenario's unstable flag, which must match",
    };
    let _ = match report.method {
        Method::Statistical => writeln!(
            out,
            "portsim check (statistical): {tests} at {:.0} % with Holm's correction over {tested} figures{held}, {flags}; a quantile moves only if also beyond ±{} %",
            100.0 * (1.0 - report.alpha),
            percent(report.tolerance)
        ),
        Method::Exact => writeln!(
            out,
            "portsim check (exact): results byte for byte, apart from timing"
        ),
    };
    for s in &report.scenarios {
        let moved = s.moved().count();
        let changed: Vec<&Row> = s.rows.iter().filter(|r| r.differs()).collect();
        let _ = writeln!(out);
        let _ = if moved > 0 {
            writeln!(
                out,
                "{} ({}): {}, {moved} of {} figures moved",
                s.file,
                s.scenario,
                if update { "updated" } else { "FAIL" },
                s.rows.len()
            )
        } else {
            writeln!(
                out,
                "{} ({}): pass, {} figures compared",
                s.file,
                s.scenario,
                s.rows.len()
            )
        };
        for note in &s.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if !changed.is_empty() {
            let width = changed
                .iter()
                .map(|r| r.metric.chars().count())
                .max()
                .unwrap_or(0)
                .max(6);
            let tests: Vec<String> = changed.iter().map(|r| test_text(&r.test)).collect();
            let test_width = tests
                .iter()
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(0)
                .max(36);
            let _ = writeln!(
                out,
                "  {:<width$}  {:>12}  {:>12}  {:>12}  {:>9}  {:<test_width$}  verdict",
                "figure", "baseline", "current", "change", "relative", "test"
            );
            // What moved first, then what changed within the noise.
            let mut ordered: Vec<(&Row, &String)> = changed.iter().copied().zip(&tests).collect();
            ordered.sort_by_key(|(r, _)| !r.moved);
            for (r, test) in ordered {
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:>12}  {:>12}  {:>12}  {:>9}  {:<test_width$}  {}",
                    r.metric,
                    value(r.baseline),
                    value(r.current),
                    r.change.map(signed).unwrap_or_else(|| "-".into()),
                    r.relative
                        .map(|x| format!("{:+.1} %", 100.0 * x))
                        .unwrap_or_else(|| "-".into()),
                    test,
                    if r.moved { "MOVED" } else { "ok" }
                );
            }
        }
        let identical = s.rows.len() - changed.len();
        if identical > 0 {
            let _ = writeln!(out, "  {identical} figures identical to the baseline");
        }
    }
    let _ = writeln!(out);
    let failed = report
        .scenarios
        .iter()
        .filter(|s| s.moved().next().is_some())
        .count();
    let _ = if report.passed {
        writeln!(
            out,
            "{}: nothing moved ({} figures in {} scenarios)",
            if update { "UPDATE" } else { "PASS" },
            report.compared(),
            report.scenarios.len()
        )
    } else {
        writeln!(
            out,
            "{}: {} of {} figures moved, in {failed} of {} scenarios",
            if update { "UPDATE" } else { "FAIL" },
            report.moved(),
            report.compared(),
            report.scenarios.len()
        )
    };
    out
}

/// The check as one JSON document (`portsim.check/1`).
pub fn check_json(report: &CheckReport) -> String {
    report.to_json()
}

/// The check as JUnit XML: one test suite per scenario, one test case per figure (a
/// failure where it moved, with the numbers in its message).
pub fn check_junit(report: &CheckReport) -> String {
    let mut junit = Report::new("portsim check");
    for s in &report.scenarios {
        let mut suite = TestSuite::new(s.file.clone());
        for note in &s.notes {
            suite.add_property(quick_junit::Property::new("note", note.clone()));
        }
        for r in &s.rows {
            let status = if r.moved {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_type("regression")
                    .set_message(failure_message(r));
                status
            } else {
                TestCaseStatus::success()
            };
            let mut case = TestCase::new(r.metric.clone(), status);
            case.set_classname(s.file.clone());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().expect("JUnit XML serialises")
}

fn failure_message(r: &Row) -> String {
    let mut m = format!(
        "{} moved: baseline {}, now {}",
        r.metric,
        value(r.baseline),
        value(r.current)
    );
    if let Some(rel) = r.relative {
        let _ = write!(m, " ({:+.1} %)", 100.0 * rel);
    }
    let _ = write!(m, "; {}", test_text(&r.test));
    m
}

fn test_text(t: &Test) -> String {
    match t {
        Test::Paired {
            p_value,
            threshold,
            tolerance,
        } => t_test_text("paired t", *p_value, *threshold, *tolerance),
        Test::Welch {
            p_value,
            threshold,
            tolerance,
        } => t_test_text("Welch", *p_value, *threshold, *tolerance),
        Test::Tolerance { tolerance, reason } => {
            format!("within ±{} % ({reason})", percent(*tolerance))
        }
        Test::Identical => "identical".into(),
        Test::Missing { side } => format!("missing in the {side} run"),
    }
}

/// A t-test's verdict: `Welch p = 0.0123, limit 0.0050` (`; ±5 %` for a quantile).
fn t_test_text(name: &str, p_value: f64, threshold: f64, tolerance: Option<f64>) -> String {
    let p = if p_value < 1e-4 {
        "p < 0.0001".to_string()
    } else {
        format!("p = {p_value:.4}")
    };
    match tolerance {
        Some(t) => format!("{name} {p}, limit {threshold:.4}; ±{} %", percent(t)),
        None => format!("{name} {p}, limit {threshold:.4}"),
    }
}

fn percent(share: f64) -> String {
    let p = 100.0 * share;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}")
    } else {
        format!("{p}")
    }
}

fn value(x: Option<f64>) -> String {
    match x {
        None => "-".into(),
        Some(x) if x.abs() >= 1e5 => format!("{x:.0}"),
        Some(x) if x.abs() >= 100.0 => format!("{x:.2}"),
        Some(x) => format!("{x:.4}"),
    }
}

fn signed(x: f64) -> String {
    let v = value(Some(x.abs()));
    if x < 0.0 {
        format!("-{v}")
    } else {
        format!("+{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ScenarioCheck;

    fn report(moved: bool) -> CheckReport {
        let row = Row {
            metric: "overall.clearance_hours.mean".into(),
            baseline: Some(2.0),
            current: Some(2.5),
            change: Some(0.5),
            relative: Some(0.25),
            test: Test::Welch {
                p_value: 0.00001,
                threshold: 0.0025,
                tolerance: None,
            },
            moved,
            material: true,
        };
        CheckReport {
            schema: crate::check::CHECK_SCHEMA.into(),
            method: Method::Statistical,
            alpha: 0.05,
            tolerance: 0.05,
            passed: !moved,
            scenarios: vec![ScenarioCheck {
                file: "a & b.toml".into(),
                scenario: "M/M/3".into(),
                file_changed: true,
                notes: vec!["the scenario file changed <x>".into()],
                rows: vec![row],
            }],
        }
    }

    #[test]
    fn the_table_names_what_moved_and_by_how_much() {
        let t = check_table(&report(true));
        assert!(
            t.contains("a & b.toml (M/M/3): FAIL, 1 of 1 figures moved"),
            "{t}"
        );
        assert!(t.contains("note: the scenario file changed"), "{t}");
        let line = t
            .lines()
            .find(|l| l.contains("overall.clearance_hours.mean"))
            .unwrap();
        for part in [
            "2.0000",
            "2.5000",
            "+0.5000",
            "+25.0 %",
            "p < 0.0001",
            "MOVED",
        ] {
            assert!(line.contains(part), "{part}: {line}");
        }
        assert!(
            t.trim_end()
                .ends_with("FAIL: 1 of 1 figures moved, in 1 of 1 scenarios")
        );
    }

    #[test]
    fn the_heading_names_the_tests_made() {
        let mut r = report(true);
        let heading = |r: &CheckReport| check_table(r).lines().next().unwrap().to_string();
        assert!(
            heading(&r).starts_with("portsim check (statistical): Welch tests (replications independent of the baseline's) at 95 % with Holm's correction over 1 figures, "),
            "{}",
            heading(&r)
        );
        r.scenarios[0].rows[0].test = Test::Paired {
            p_value: 0.2,
            threshold: 0.0042,
            tolerance: Some(0.05),
        };
        let t = check_table(&r);
        assert!(
            t.starts_with("portsim check (statistical): paired t-tests (replications share random numbers) at 95 % with Holm's correction over 1 figures, beside the unstable flag, which must match; a quantile moves only if also beyond ±5 %\n"),
            "{t}"
        );
        assert!(!t.contains("Welch"), "{t}");
        let line = t
            .lines()
            .find(|l| l.contains("overall.clearance_hours.mean"))
            .unwrap();
        assert!(
            line.contains("  paired t p = 0.2000, limit 0.0042; ±5 %  MOVED"),
            "{line}"
        );
        // Both kinds: each named with its count.
        let mut welch = r.scenarios[0].rows[0].clone();
        welch.test = Test::Welch {
            p_value: 0.00001,
            threshold: 0.05,
            tolerance: None,
        };
        r.scenarios[0].rows.push(welch);
        assert!(
            heading(&r).starts_with("portsim check (statistical): paired t-tests (replications share random numbers) for 1 and Welch tests (replications independent of the baseline's) for 1 at 95 % with Holm's correction over 2 figures, "),
            "{}",
            heading(&r)
        );
        let v: serde_json::Value = serde_json::from_str(&check_json(&r)).unwrap();
        assert_eq!(v["scenarios"][0]["rows"][0]["test"]["kind"], "paired");
        assert_eq!(v["scenarios"][0]["rows"][1]["test"]["kind"], "welch");
    }

    #[test]
    fn junit_is_well_formed_with_a_failure_per_moved_figure() {
        let xml = check_junit(&report(true));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 1);
        assert!(
            failures[0]
                .attribute("message")
                .unwrap()
                .contains("+25.0 %")
        );
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("name"), Some("a & b.toml"));
        let passing = check_junit(&report(false));
        assert!(!passing.contains("<failure"));
    }

    #[test]
    fn json_carries_the_schema() {
        let v: serde_json::Value = serde_json::from_str(&check_json(&report(false))).unwrap();
        assert_eq!(v["schema"], "portsim.check/1");
        assert_eq!(v["scenarios"][0]["rows"][0]["test"]["kind"], "welch");
    }
}
