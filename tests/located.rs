//! Errors and warnings that say where: dates with a time of day or an offset, keys
//! nested past the TOML parser's limit, arrival logs without rows, and sweep variants
//! whose values break the scenario.

use std::path::Path;

use crate::support::{bad, portsim, repo};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The M/M/1 validation scenario (18 lines, `start` on line 5) with its `start` line
/// replaced by `start` and `tail` appended, written to `dir` as `name`.
fn mm1_with(dir: &Path, name: &str, start: &str, tail: &str) -> String {
    let text = std::fs::read_to_string(repo("scenarios/validation/mm1.toml")).unwrap();
    let text = text.replacen("start = \"2024-01-01\"", start, 1) + tail;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn dates_with_a_time_of_day_or_an_offset_are_refused_where_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let date = "start = \"2024-01-01\"";
    for when in [
        "\"2024-01-01T13:45:00+08:00\"",
        "\"2024-01-01 13:45\"",
        "\"2024-01-01T13:45:00\"",
        "2024-01-01T13:45:00+08:00",
        "2024-01-01 13:45:00",
        "2024-01-01T13:45:00",
    ] {
        let peak = |from: &str, to: &str| {
            format!("\n[[peaks]]\nname = \"p\"\nfrom = {from}\nto = {to}\narrival_factor = 1.5\n")
        };
        // (the start line, the appended text, the line and key the error names)
        let cases = [
            (format!("start = {when}"), String::new(), "5: start:"),
            (
                format!("{date}\nholidays = [\"2024-02-10\", {when}]"),
                String::new(),
                "6: holidays.1:",
            ),
            (
                format!("{date}\nworkdays = [{when}]"),
                String::new(),
                "6: workdays.0:",
            ),
            (
                date.to_string(),
                peak(when, "\"2024-02-03\""),
                "22: peaks.p.from:",
            ),
            (
                date.to_string(),
                peak("\"2024-01-01\"", when),
                "23: peaks.p.to:",
            ),
        ];
        for (start, tail, at) in cases {
            let file = mm1_with(tmp.path(), "dated.toml", &start, &tail);
            let err = bad(&["validate", &file]);
            assert!(err.contains(&format!("{file}:{at}")), "{when}: {err}");
            assert!(
                err.contains("without a time of day or offset"),
                "{when}: {err}"
            );
        }
    }
}

#[test]
fn keys_nested_past_the_parser_limit_name_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = vec!["a"; 200].join(".");
    for tail in [
        format!("\n{deep} = 1\n"),
        format!("\n[{deep}]\n"),
        format!("\n[[{deep}]]\n"),
    ] {
        let file = mm1_with(tmp.path(), "deep.toml", "start = \"2024-01-01\"", &tail);
        let err = bad(&["validate", &file]);
        assert!(err.contains(&format!("{file}:20: not valid TOML")), "{err}");
        assert!(err.contains("more than 80 dotted parts"), "{err}");
    }
    // In a sweep file as well.
    let sweep = tmp.path().join("deep-sweep.toml");
    std::fs::write(&sweep, format!("scenario = \"x.toml\"\n\n{deep} = 1\n")).unwrap();
    let err = bad(&["sweep", "--dry-run", s(&sweep)]);
    assert!(err.contains("deep-sweep.toml:3: not valid TOML"), "{err}");
}

/// A scenario replaying `log.csv` in `dir`.
fn replay(dir: &Path, log: &str) -> String {
    std::fs::write(dir.join("log.csv"), log).unwrap();
    let path = dir.join("replay.toml");
    std::fs::write(
        &path,
        "name = \"replay\"\nstart = \"2024-01-01\"\nhorizon_days = 7\nreplications = 1\n\n[[pools]]\nname = \"servers\"\nstaff = 1\n\n[[modes]]\nname = \"air\"\narrivals = { kind = \"trace\", file = \"log.csv\" }\nstages = [ { name = \"serve\", pool = \"servers\", time = { dist = \"deterministic\", value = \"30m\" } } ]\n",
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn an_arrival_log_without_rows_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = replay(tmp.path(), "timestamp,mode\n\n");
    let warning = "warning: ";
    let says = "mode \"air\": the arrival log log.csv has a header and no rows";
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "scenario = \"replay.toml\"\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [1, 2]\n",
    )
    .unwrap();
    for args in [
        vec!["validate", scenario.as_str()],
        vec!["run", scenario.as_str(), "--json"],
        vec!["sweep", s(&sweep), "--quiet"],
    ] {
        let out = portsim().args(&args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{args:?}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(says)).collect();
        assert_eq!(lines.len(), 1, "{args:?}: once: {err}");
        assert!(lines[0].starts_with(warning), "{err}");
        assert!(lines[0].contains("replay.toml: "), "{err}");
    }
    // compare (the same file on both sides: warned once) and staff (whatever its
    // verdict on a mode without arrivals) warn too.
    for args in [
        vec![
            "compare",
            scenario.as_str(),
            scenario.as_str(),
            "--replications",
            "2",
        ],
        vec![
            "staff",
            scenario.as_str(),
            "--vary",
            "pools.servers.staff",
            "--target",
            "mean<=100h",
            "--min",
            "1",
            "--max",
            "2",
        ],
    ] {
        let out = portsim().args(&args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(says)).collect();
        assert_eq!(lines.len(), 1, "{args:?}: once: {err}");
    }
    // A log with rows, none in the horizon, is not the case warned about.
    let scenario = replay(tmp.path(), "timestamp,mode\n2030-01-01 08:00,air\n");
    let out = portsim().args(["validate", &scenario]).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8(out.stderr).unwrap().contains("no rows"));
}

#[test]
fn a_sweep_variant_error_names_the_sweep_file_the_axis_value_and_the_scenario_line() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/validation/mm1.toml");
    let sweep = |name: &str, axes: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, format!("scenario = {:?}\n{axes}", s(&scenario))).unwrap();
        path
    };
    // A value the scenario's check refuses at the key the axis sets (line 13 of mm1.toml).
    let negative = sweep(
        "negative.toml",
        "[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [0.5]\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [1, -1]\n",
    );
    // A value that leaves the pool nobody on duty: the problem is at the stage's pool.
    let nobody = sweep(
        "nobody.toml",
        "[[axes]]\nset = \"pools.servers.staff\"\nvalues = [1, 0]\n",
    );
    let mm1 = scenario.display().to_string();
    for (file, expected) in [
        (
            &negative,
            format!(
                "negative.toml:7: variant 1 (modes.customers.arrivals.rate_per_hour = 0.5, pools.servers.staff = -1): {mm1}:13: pools.servers.staff: expected a whole number of officers from 0 to 1000000, got -1"
            ),
        ),
        (
            &nobody,
            format!(
                "nobody.toml:4: variant 1 (pools.servers.staff = 0): {mm1}:18: modes.customers.stages.serve.pool: pool \"servers\" never has anyone on duty"
            ),
        ),
    ] {
        let err = bad(&["sweep", "--dry-run", s(file)]);
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
}
