//! Robustness of the command line at the edges: malformed arrival logs, modes without
//! arrivals, pools without anyone on duty, a horizon inside the warm-up, and extreme
//! arrival rates. Every case either is refused as bad input (exit code 2, one line on
//! stderr naming the file, line and key) or runs to a sensible result; nothing panics or
//! hangs.
//!
//! Each case writes its files into a fresh temporary directory and runs the binary
//! there, so messages name files as written (`trace.toml`, `log.csv`). Runs are tiny (a
//! week at most, two replications) and each command has a time limit, so a hang fails
//! its test instead of stalling the suite.

use std::path::Path;
use std::time::Duration;

use crate::support::{NOBODY_COMES, portsim};

/// Longest a command here may take; every run is far shorter.
const LIMIT: Duration = Duration::from_secs(60);

/// What a command did: exit code (`None` when killed at the time limit), stdout, stderr.
#[derive(Debug)]
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Writes `files` into a fresh directory and runs `portsim ARGS` there, killed after
/// `limit`.
fn run_limited(files: &[(&str, &[u8])], args: &[&str], limit: Duration) -> Out {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    run_in(dir.path(), args, limit)
}

fn run_in(dir: &Path, args: &[&str], limit: Duration) -> Out {
    let out = portsim()
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .timeout(limit)
        .args(args)
        .output()
        .unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `portsim ARGS` on text files.
fn run(files: &[(&str, &str)], args: &[&str]) -> Out {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    run_limited(&files, args, LIMIT)
}

/// Asserts that `out` is a refusal of bad input: exit code 2, nothing on stdout, one
/// line on stderr starting `error: `, no panic. Returns the line.
fn refused(out: &Out, what: &str) -> String {
    assert_eq!(out.code, Some(2), "{what}: {out:?}");
    assert!(out.stdout.is_empty(), "{what}: {out:?}");
    assert!(
        out.stderr.ends_with('\n') && out.stderr.matches('\n').count() == 1,
        "{what}: one line on stderr: {out:?}"
    );
    assert!(out.stderr.starts_with("error: "), "{what}: {out:?}");
    assert!(!out.stderr.contains("panicked"), "{what}: {out:?}");
    out.stderr.trim_end().to_string()
}

/// Asserts that `out` succeeded and parses its stdout as the JSON summary.
fn summary(out: &Out, what: &str) -> serde_json::Value {
    assert_eq!(out.code, Some(0), "{what}: {out:?}");
    assert!(!out.stderr.contains("panicked"), "{what}: {out:?}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}: {out:?}"))
}

/// `text` with `from` (which must occur exactly once) replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} once in the fixture"
    );
    text.replacen(from, to, 1)
}

/// The 1-based line of `text` containing `needle` (exactly one must).
fn line_of(text: &str, needle: &str) -> usize {
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} on exactly one line");
    found[0]
}

/// A small M/M/3 queue: a week, a day of warm-up, two replications.
const MMC: &str = r#"name = "robust"
start = "2024-01-01"
horizon_days = 7
warmup_days = 1
replications = 2
seed = 1

[[pools]]
name = "servers"
staff = 3

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.0 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ]
"#;

/// `portsim run FILE --jobs 1 [--json]` on [`MMC`] edited.
fn run_mmc(text: &str, json: bool) -> Out {
    let mut args = vec!["run", "mmc.toml", "--jobs", "1"];
    if json {
        args.push("--json");
    }
    run(&[("mmc.toml", text)], &args)
}

/// The summary of a run in which no shipment was counted: zero released, no clearance
/// figures (null, not NaN), no events.
fn assert_empty(v: &serde_json::Value, what: &str) {
    assert_eq!(v["overall"]["released"], 0, "{what}");
    assert_eq!(v["overall"]["unreleased"], 0, "{what}");
    assert_eq!(v["overall"]["arrivals"], 0, "{what}");
    assert!(v["overall"]["clearance_hours"]["mean"].is_null(), "{what}");
    assert!(v["overall"]["clearance_hours"]["p90"].is_null(), "{what}");
    assert_eq!(v["unstable"], false, "{what}");
}

/// The text report of a run without shipments shows zeros and dashes, never NaN or inf.
fn assert_clean_table(out: &Out, what: &str) {
    assert_eq!(out.code, Some(0), "{what}: {out:?}");
    for garbage in ["NaN", "nan", "inf"] {
        assert!(
            !out.stdout.contains(garbage),
            "{what}: the table shows {garbage}:\n{}",
            out.stdout
        );
    }
}

// ---- Arrival logs ------------------------------------------------------------------------

/// One mode replaying `log.csv`, with two channels so that the log may fix one.
const TRACE: &str = r#"name = "replay"
start = "2024-01-01"
horizon_days = 7
replications = 1

[[pools]]
name = "servers"
staff = 1

[[modes]]
name = "air"
arrivals = { kind = "trace", file = "log.csv" }
channels = [
  { name = "green", share = 0.9, stages = [ { name = "release", delay = { dist = "deterministic", value = "0s" } } ] },
  { name = "red", share = 0.1, stages = [ { name = "inspect", pool = "servers", time = { dist = "deterministic", value = "30m" } } ] },
]
"#;

/// Runs `portsim ARGS` on [`TRACE`] with `log` as `log.csv`.
fn trace(log: &[u8], args: &[&str]) -> Out {
    run_limited(
        &[("trace.toml", TRACE.as_bytes()), ("log.csv", log)],
        args,
        LIMIT,
    )
}

/// A well-formed log replays every row of the mode, in time order whatever the order
/// of the rows.
#[test]
fn a_log_out_of_order_is_replayed_in_time_order() {
    let log = "timestamp,mode,class,channel\n\
               2024-01-03 09:00,air,,\n\
               2024-01-02 07:00,air,priority,red\n\
               2024-01-02 08:00:30,air,normal,green\n";
    let v = summary(
        &trace(log.as_bytes(), &["run", "trace.toml", "--json"]),
        "log",
    );
    assert_eq!(v["overall"]["arrivals"], 3);
    assert_eq!(v["overall"]["released"], 3);
    assert_eq!(v["overall"]["unreleased"], 0);
}

/// Every malformed row makes `validate` fail with one line naming the scenario's `file`
/// key, the log and the row's line.
#[test]
fn malformed_log_rows_are_refused_with_the_logs_line() {
    let file_line = line_of(TRACE, "kind = \"trace\"");
    let header = "timestamp,mode,class,channel\n2024-01-02 07:00,air,,\n";
    let cases: Vec<(String, Vec<u8>, usize, &str)> = vec![
        (
            "bad timestamp".into(),
            format!("{header}2024-01-02 7:00,air,,\n").into_bytes(),
            3,
            "malformed timestamp \"2024-01-02 7:00\"",
        ),
        (
            "date out of range".into(),
            format!("{header}2024-02-30 07:00,air,,\n").into_bytes(),
            3,
            "invalid timestamp \"2024-02-30 07:00\"",
        ),
        (
            "empty timestamp".into(),
            format!("{header},air,,\n").into_bytes(),
            3,
            "empty timestamp",
        ),
        (
            "time zone".into(),
            format!("{header}2024-01-02T07:00Z,air,,\n").into_bytes(),
            3,
            "has a time zone or offset",
        ),
        (
            "missing column".into(),
            format!("{header}2024-01-02 08:00,air\n").into_bytes(),
            3,
            "expected 4 fields (as in the header on line 1), got 2",
        ),
        (
            "extra column".into(),
            format!("{header}2024-01-02 08:00,air,,,x\n").into_bytes(),
            3,
            "expected 4 fields (as in the header on line 1), got 5",
        ),
        (
            "unclosed quote".into(),
            format!("{header}\"2024-01-02 08:00,air,,\n").into_bytes(),
            3,
            "expected 4 fields",
        ),
        (
            "unknown class".into(),
            format!("{header}2024-01-02 08:00,air,vip,\n").into_bytes(),
            3,
            "unknown class \"vip\"",
        ),
        (
            "unknown channel".into(),
            format!("{header}2024-01-02 08:00,air,,blue\n").into_bytes(),
            3,
            "mode \"air\" has no channel \"blue\" (channels: green, red)",
        ),
        (
            "no timestamp column".into(),
            b"when,mode\n2024-01-02 07:00,air\n".to_vec(),
            1,
            "no timestamp column",
        ),
        (
            "no header".into(),
            b"2024-01-02 07:00,air\n".to_vec(),
            1,
            "looks like a data row, not a header",
        ),
        (
            "non-UTF-8 bytes".into(),
            [header.as_bytes(), b"2024-01-02 08:00,\xff\xfeair,,\n"].concat(),
            3,
            "not valid UTF-8",
        ),
    ];
    for (what, log, line, expected) in cases {
        let message = refused(&trace(&log, &["validate", "trace.toml"]), &what);
        let located =
            format!("error: trace.toml:{file_line}: modes.air.arrivals.file: log.csv:{line}: ");
        assert!(
            message.starts_with(&located),
            "{what}: expected {located:?}…, got {message}"
        );
        assert!(message.contains(expected), "{what}: {message}");
    }
}

/// An empty log (or one of blank lines) is refused as a whole file: there is no line to
/// point at.
#[test]
fn an_empty_log_is_refused() {
    let file_line = line_of(TRACE, "kind = \"trace\"");
    for log in ["", "\n\n", "\u{feff}"] {
        let message = refused(&trace(log.as_bytes(), &["validate", "trace.toml"]), log);
        assert_eq!(
            message,
            format!(
                "error: trace.toml:{file_line}: modes.air.arrivals.file: log.csv: the arrival log \
                 is empty; expected a header row naming the columns, one of them timestamp, time, arrival"
            )
        );
    }
}

/// A missing log is refused, naming it.
#[test]
fn a_missing_log_is_refused() {
    let out = run(&[("trace.toml", TRACE)], &["validate", "trace.toml"]);
    let message = refused(&out, "missing log");
    assert!(
        message.contains("modes.air.arrivals.file: log.csv: cannot read the arrival log"),
        "{message}"
    );
}

/// A log with only its header is a mode without arrivals: the run reports zero
/// shipments, as null figures in JSON and dashes in the table.
#[test]
fn a_log_with_only_a_header_gives_an_empty_summary() {
    let log = b"timestamp,mode,class,channel\n";
    assert_empty(
        &summary(&trace(log, &["run", "trace.toml", "--json"]), "header"),
        "header only",
    );
    assert_clean_table(&trace(log, &["run", "trace.toml"]), "header only");
}

/// Rows whose mode is another mode's are that mode's; rows whose mode is no mode of the
/// scenario at all (`Air`, `sea`) are skipped: names match exactly. A log that names only
/// other modes is refused (next test).
#[test]
fn log_rows_of_modes_the_scenario_lacks_are_skipped() {
    let log = "timestamp,mode\n\
               2024-01-02 07:00,air\n\
               2024-01-02 08:00,Air\n\
               2024-01-02 09:00,sea\n";
    let v = summary(
        &trace(log.as_bytes(), &["run", "trace.toml", "--json"]),
        "modes",
    );
    assert_eq!(v["overall"]["arrivals"], 1);
}

/// Arrivals turned away at the `max_in_system` cap still offer the work of the channel
/// the log names (not the mode's channel mix), so the offered load measures demand.
#[test]
fn arrivals_turned_away_offer_the_work_of_their_logged_channel() {
    // Three red shipments (30 minutes at `servers`) at once, one let in: 1.5 hours
    // offered over a week of one officer. By the mode's mix (10 % red) the two turned
    // away would offer only 0.1 hours between them.
    let log = "timestamp,mode,class,channel\n\
               2024-01-02 07:00,air,,red\n\
               2024-01-02 07:00,air,,red\n\
               2024-01-02 07:00,air,,red\n";
    let v = summary(
        &trace(
            log.as_bytes(),
            &["run", "trace.toml", "--json", "--set", "max_in_system=1"],
        ),
        "capped log",
    );
    assert_eq!(v["overall"]["arrivals"], 1);
    assert_eq!(v["modes"]["air"]["turned_away"], 2);
    let load = v["pools"]["servers"]["offered_load"].as_f64().unwrap();
    let hours = load * 7.0 * 24.0;
    assert!((hours - 1.5).abs() < 1e-9, "offered {hours} h");
}

/// A logged class without a channel draws from its class's own channel mix.
#[test]
fn a_logged_class_without_a_channel_takes_its_class_mix() {
    let text = TRACE.replace(
        "{ name = \"red\", share = 0.1, stages",
        "{ name = \"red\", share = 0.1, share_priority = 1.0, stages",
    );
    assert_ne!(text, TRACE);
    let log = "timestamp,mode,class,channel\n\
               2024-01-02 07:00,air,priority,\n\
               2024-01-02 08:00,air,priority,\n\
               2024-01-02 09:00,air,priority,\n";
    let out = run_limited(
        &[("trace.toml", text.as_bytes()), ("log.csv", log.as_bytes())],
        &["run", "trace.toml", "--json"],
        LIMIT,
    );
    let v = summary(&out, "class mix");
    let channels = &v["modes"]["air"]["channels"];
    assert_eq!(channels["red"]["released"], 3, "{channels}");
    // Channels that released nothing are left out of the summary.
    assert!(channels.get("green").is_none(), "{channels}");
}

/// A log whose mode column never names the mode (a misspelling) would give it no
/// arrivals at all: refused, naming the modes the log has.
#[test]
fn a_log_without_rows_for_the_mode_is_refused() {
    let log = "timestamp,mode\n2024-01-02 08:00,Air\n2024-01-02 09:00,sea\n";
    let out = trace(log.as_bytes(), &["run", "trace.toml"]);
    let message = refused(&out, "misspelt mode");
    assert!(
        message.contains("has no rows for mode \"air\" (its mode column names: Air, sea)"),
        "{message}"
    );
}

/// Rows after the horizon are not replayed; a row far in the future is fine.
#[test]
fn log_rows_after_the_horizon_are_not_counted() {
    let log = "timestamp\n2024-01-02 07:00\n9999-12-31 23:59\n";
    let v = summary(
        &trace(log.as_bytes(), &["run", "trace.toml", "--json"]),
        "future",
    );
    assert_eq!(v["overall"]["arrivals"], 1);
    assert_eq!(v["overall"]["released"], 1);
}

/// A logged (or listed) arrival before the scenario's start is skipped, as rows after the
/// horizon are (it used to panic the event calendar).
#[test]
fn arrivals_before_the_start_do_not_panic() {
    let log = "timestamp\n2023-12-31 07:00\n2024-01-02 07:30\n";
    let out = trace(log.as_bytes(), &["run", "trace.toml", "--json"]);
    assert!(!out.stderr.contains("panicked"), "{out:?}");
    assert_eq!(summary(&out, "before start")["overall"]["arrivals"], 1);

    let listed = edit(
        MMC,
        "{ kind = \"poisson\", rate_per_hour = 2.0 }",
        "{ kind = \"list\", at = [\"2023-12-31 07:00\", \"2024-01-02 07:30\"] }",
    );
    let out = run_mmc(&listed, true);
    assert!(!out.stderr.contains("panicked"), "{out:?}");
    assert!(matches!(out.code, Some(0 | 2)), "{out:?}");
}

// ---- Modes without arrivals -----------------------------------------------------------------

/// A rate of zero, a tiny rate and an empty list of arrivals all give a run without
/// shipments: zero released, null figures, no NaN in the table.
#[test]
fn modes_without_arrivals_give_an_empty_summary() {
    for (what, arrivals) in [
        ("rate 0", "{ kind = \"poisson\", rate_per_hour = 0 }"),
        ("rate 1e-9", "{ kind = \"poisson\", rate_per_hour = 1e-9 }"),
        ("empty list", "{ kind = \"list\", at = [] }"),
    ] {
        let text = edit(MMC, "{ kind = \"poisson\", rate_per_hour = 2.0 }", arrivals);
        let v = summary(&run_mmc(&text, true), what);
        assert_empty(&v, what);
        assert_eq!(v["events"], 0, "{what}");
        assert_eq!(v["modes"]["customers"]["released"], 0, "{what}");
        assert_eq!(v["pools"]["servers"]["utilization"], 0.0, "{what}");
        assert_clean_table(&run_mmc(&text, false), what);
    }
}

/// A scenario needs at least one mode, and a timetable at least one service.
#[test]
fn no_modes_or_no_services_are_refused() {
    let modes_at = MMC.find("[[modes]]").unwrap();
    let without = &MMC[..modes_at];
    let message = refused(&run_mmc(without, false), "no modes");
    assert_eq!(
        message,
        "error: mmc.toml: modes: expected at least one [[modes]] entry"
    );

    let empty = format!("modes = []\n{without}");
    let message = refused(&run_mmc(&empty, false), "modes = []");
    assert_eq!(
        message,
        "error: mmc.toml:1: modes: expected at least one [[modes]] entry"
    );

    let text = edit(
        MMC,
        "{ kind = \"poisson\", rate_per_hour = 2.0 }",
        "{ kind = \"timetable\", services = [] }",
    );
    let message = refused(&run_mmc(&text, false), "no services");
    assert_eq!(
        message,
        format!(
            "error: mmc.toml:{}: modes.customers.arrivals.services: expected at least one service",
            line_of(MMC, "arrivals = ")
        )
    );
}

// ---- Pools without staff ---------------------------------------------------------------------

/// A pool with nobody on duty, ever, cannot serve a stage: refused, at the stage.
#[test]
fn a_pool_without_staff_is_refused() {
    let stage_line = line_of(MMC, "stages = ");
    for (what, staffing) in [
        ("staff = 0", "staff = 0".to_string()),
        (
            "a roster of 0",
            "rosters.office = [ { days = \"Mon-Sun\", start = \"00:00\", end = \"24:00\", staff = 0 } ]"
                .to_string(),
        ),
        ("an empty roster", "rosters.office = []".to_string()),
    ] {
        let text = edit(MMC, "staff = 3", &staffing);
        let message = refused(&run_mmc(&text, false), what);
        assert_eq!(
            message,
            format!(
                "error: mmc.toml:{stage_line}: modes.customers.stages.serve.pool: pool \"servers\" never \
                 has anyone on duty, so stage \"serve\" could never be served"
            ),
            "{what}"
        );
    }
}

#[test]
fn shipments_stuck_without_staff_are_reported_unreleased() {
    let out = run(
        &[("stuck.toml", NOBODY_COMES)],
        &["run", "stuck.toml", "--jobs", "1", "--json"],
    );
    let v = summary(&out, "stuck");
    assert_eq!(v["overall"]["released"], 0);
    let unreleased = v["overall"]["unreleased"].as_u64().unwrap();
    assert!(unreleased > 100, "about 2 × 72 arrivals: {unreleased}");
    assert_eq!(v["overall"]["arrivals"].as_u64(), Some(unreleased));
    assert!(v["overall"]["clearance_hours"]["mean"].is_null());
    assert_eq!(v["unstable"], true);
    assert_eq!(v["pools"]["servers"]["unstable"], true);
    assert_eq!(v["pools"]["servers"]["staff_hours"], 0.0);
    // Nothing on duty: utilisation and offered load are undefined, and null.
    assert!(v["pools"]["servers"]["utilization"].is_null());
    assert!(v["pools"]["servers"]["offered_load"].is_null());
    assert!(
        out.stderr.contains(&format!(
            "warning: stuck.toml: {unreleased} counted shipments were still in the system at the drain limit"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "warning: stuck.toml: pool \"servers\" has no staff on duty in the counting window, but shipments need it"
        ),
        "{}",
        out.stderr
    );
}

/// The same run as a table: the pool's utilisation and offered load are undefined and
/// should show as dashes, as clearance figures do.
#[test]
fn shipments_stuck_without_staff_print_no_nan() {
    let out = run(
        &[("stuck.toml", NOBODY_COMES)],
        &["run", "stuck.toml", "--jobs", "1"],
    );
    assert_clean_table(&out, "stuck");
    assert!(
        !out.stderr.contains("NaN") && !out.stderr.contains(" inf "),
        "{}",
        out.stderr
    );
}

// ---- Horizon and warm-up ---------------------------------------------------------------------

/// A horizon that does not reach past the warm-up is refused, naming the warm-up's key
/// and both lengths; given with `--set`, naming the flag.
#[test]
fn a_horizon_within_the_warmup_is_refused() {
    let warmup_line = line_of(MMC, "warmup_days = ");
    for (horizon, warmup) in [("7", "7"), ("1", "3"), ("0.5", "0.5")] {
        let text = edit(
            &edit(
                MMC,
                "horizon_days = 7",
                &format!("horizon_days = {horizon}"),
            ),
            "warmup_days = 1",
            &format!("warmup_days = {warmup}"),
        );
        let message = refused(&run_mmc(&text, false), horizon);
        assert_eq!(
            message,
            format!(
                "error: mmc.toml:{warmup_line}: warmup_days: the warm-up ({warmup} days) must be \
                 shorter than the horizon ({horizon} days), which includes it"
            )
        );
    }
    let out = run(
        &[("mmc.toml", MMC)],
        &["run", "mmc.toml", "--set", "warmup_days=7"],
    );
    assert_eq!(
        refused(&out, "--set warmup_days"),
        "error: mmc.toml: --set warmup_days: the warm-up (7 days) must be shorter than the \
         horizon (7 days), which includes it"
    );
    // The horizon given on the command line, the warm-up in the file: the error is at
    // the file's warm-up, and does not name the flag.
    let out = run(
        &[("mmc.toml", MMC)],
        &["run", "mmc.toml", "--set", "horizon_days=1"],
    );
    assert_eq!(
        refused(&out, "--set horizon_days"),
        format!(
            "error: mmc.toml:{warmup_line}: warmup_days: the warm-up (1 days) must be shorter \
             than the horizon (1 days), which includes it"
        )
    );
}

/// The horizon must be a positive number of days.
#[test]
fn a_horizon_that_is_not_positive_is_refused() {
    let line = line_of(MMC, "horizon_days = ");
    for bad in ["0", "-1", "nan", "-inf"] {
        let text = edit(MMC, "horizon_days = 7", &format!("horizon_days = {bad}"));
        let message = refused(&run_mmc(&text, false), bad);
        assert!(
            message.starts_with(&format!(
                "error: mmc.toml:{line}: horizon_days: expected a number of days > 0, got "
            )),
            "{message}"
        );
    }
}

/// An absurd horizon (10¹² days) is refused: unchecked, the process would abort trying to
/// allocate 8 TB for its daily series.
#[test]
fn an_absurd_horizon_is_refused_or_bounded() {
    let text = edit(MMC, "horizon_days = 7", "horizon_days = 1e12");
    let text = edit(&text, "rate_per_hour = 2.0", "rate_per_hour = 0");
    let out = run_limited(
        &[("mmc.toml", text.as_bytes())],
        &["run", "mmc.toml", "--jobs", "1", "--replications", "1"],
        Duration::from_secs(10),
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr
            .contains("horizon_days: expected at most 36525 days (100 years), got 1e12"),
        "{}",
        out.stderr
    );
}

// ---- Extreme arrival rates -------------------------------------------------------------------

/// Rates that are not a number of shipments per hour ≥ 0 are refused at their line.
#[test]
fn bad_rates_are_refused() {
    let line = line_of(MMC, "arrivals = ");
    for (bad, expected) in [
        ("-1", "expected a rate ≥ 0 shipments per hour, got -1"),
        (
            "-1e-300",
            "expected a rate ≥ 0 shipments per hour, got -0.000",
        ),
        ("nan", "expected a rate ≥ 0 shipments per hour, got NaN"),
        ("inf", "expected a rate ≥ 0 shipments per hour, got inf"),
        ("-inf", "expected a rate ≥ 0 shipments per hour, got -inf"),
        ("\"NaN\"", "found the text \"NaN\", expected a number"),
        ("\"inf\"", "found the text \"inf\", expected a number"),
        ("\"\"", "found the text \"\", expected a number"),
    ] {
        let text = edit(
            MMC,
            "rate_per_hour = 2.0",
            &format!("rate_per_hour = {bad}"),
        );
        let message = refused(&run_mmc(&text, false), bad);
        let located = format!("error: mmc.toml:{line}: modes.customers.arrivals.rate_per_hour: ");
        assert!(message.starts_with(&located), "{bad}: {message}");
        assert!(message.contains(expected), "{bad}: {message}");
    }
    // The same from the command line, where `NaN` is taken as a string.
    for (bad, expected) in [
        ("-5", "got -5"),
        ("nan", "got NaN"),
        ("NaN", "found the text \"NaN\""),
        ("", "found the text \"\""),
    ] {
        let set = format!("modes.customers.arrivals.rate_per_hour={bad}");
        let out = run(&[("mmc.toml", MMC)], &["run", "mmc.toml", "--set", &set]);
        let message = refused(&out, &set);
        assert!(
            message.starts_with("error: mmc.toml: --set modes.customers.arrivals.rate_per_hour: "),
            "{message}"
        );
        assert!(message.contains(expected), "{set}: {message}");
    }
}

/// A high but finite load (10 000 an hour for a day, at three servers) runs quickly:
/// the pool is flagged unstable and the backlog reported unreleased.
#[test]
fn an_overloaded_day_is_a_bounded_run() {
    let text = edit(MMC, "rate_per_hour = 2.0", "rate_per_hour = 1e4");
    let text = edit(&text, "horizon_days = 7", "horizon_days = 1");
    let text = edit(&text, "warmup_days = 1", "warmup_days = 0\ndrain_days = 0");
    let out = run_mmc(&text, true);
    let v = summary(&out, "1e4 an hour");
    let arrivals = v["overall"]["arrivals"].as_u64().unwrap();
    assert!(
        (2 * 230_000..2 * 250_000).contains(&arrivals),
        "two days' worth of 240 000: {arrivals}"
    );
    assert!(v["overall"]["unreleased"].as_u64().unwrap() > arrivals / 2);
    assert_eq!(v["unstable"], true);
    assert!(out.stderr.contains("overloaded"), "{}", out.stderr);
}

/// Absurd rates (10⁹ and 10³⁰⁸ an hour) are refused: unchecked, a run would grow by about
/// 300 MB a second (at 10³⁰⁸ the clock cannot even advance: t + 1/rate == t).
#[test]
fn absurd_rates_are_refused_or_bounded() {
    for rate in ["1e9", "1e308"] {
        let text = edit(
            MMC,
            "rate_per_hour = 2.0",
            &format!("rate_per_hour = {rate}"),
        );
        let text = edit(&text, "horizon_days = 7", "horizon_days = 1");
        let text = edit(&text, "warmup_days = 1", "warmup_days = 0");
        let out = run_limited(
            &[("mmc.toml", text.as_bytes())],
            &["run", "mmc.toml", "--jobs", "1", "--replications", "1"],
            Duration::from_secs(5),
        );
        assert_eq!(out.code, Some(2), "rate {rate}: {out:?}");
        assert!(
            out.stderr.contains(
                "modes.customers.arrivals.rate_per_hour: expected at most 1000000 shipments per hour"
            ),
            "{}",
            out.stderr
        );
    }
}

/// A pool with an empty `rosters` table is refused at its key (it used to reach an
/// unreachable branch).
#[test]
fn an_empty_rosters_table_is_refused() {
    let text = edit(MMC, "staff = 3", "rosters = {}");
    let out = run_mmc(&text, false);
    let message = refused(&out, "rosters = {}");
    assert!(
        message.contains("pools.servers.rosters: expected at least one roster"),
        "{message}"
    );
}

/// Batches and peak factors have practical limits too: a batch of a billion shipments or
/// a rush of a million times the arrivals is a typo, refused at its key.
#[test]
fn absurd_batches_and_peak_factors_are_refused() {
    let batch = edit(
        MMC,
        "staff = 3",
        "staff = 3\n\n[[modes]]\nname = \"rail\"\narrivals = { kind = \"timetable\", services = [ { days = \"Mon\", time = \"08:00\", batch = { dist = \"constant\", value = 1000000000 } } ] }\nstages = [ { name = \"serve\", pool = \"servers\", time = { dist = \"exponential\", mean = \"1h\" } } ]",
    );
    let message = refused(&run_mmc(&batch, false), "batch");
    assert!(
        message.contains("expected a batch of at most 1000000 shipments, got 1000000000"),
        "{message}"
    );
    let peak = format!(
        "{MMC}\n[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-02\"\nto = \"2024-01-03\"\narrival_factor = 1e6\n"
    );
    let message = refused(&run_mmc(&peak, false), "peak");
    assert!(
        message.contains("peaks")
            && message.contains("arrival_factor: expected a multiplier from 0 to 1000"),
        "{message}"
    );
}
