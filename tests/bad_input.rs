//! Bad input: every invalid file, key, value or flag makes `portsim` exit with code 2,
//! print nothing on stdout and exactly one line on stderr, starting `error: `, that says
//! where the problem is (the file and line and key path for a value written in the file;
//! the file and the key path for a value given with `--set`; the flag for a bad flag) and
//! what was expected. Nothing panics.
//!
//! Each case writes its scenario into a fresh temporary directory and runs the binary
//! there, so messages name the file as `negative-rate.toml`. Scenarios are tiny (two days,
//! two replications): errors in a file are checked with `portsim validate`, errors that
//! involve a flag with `portsim run`.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

/// The M/M/3 example of DESIGN §4.3, shrunk to two days. Line numbers below refer to it.
const MMC: &str = r#"name = "M/M/3"
start = "2024-01-01"
horizon_days = 2
warmup_days = 1
replications = 2
seed = 1

[[pools]]
name = "servers"
staff = 3

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.7 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ]
"#;

/// Lines of [`MMC`].
const MMC_START: usize = 2;
const MMC_WARMUP: usize = 4;
const MMC_SEED: usize = 6;
const MMC_STAFF: usize = 10;
const MMC_ARRIVALS: usize = 14;
const MMC_STAGES: usize = 15;

/// The business-hours example: one pool with one roster. Line numbers below refer to it.
const ROSTERED: &str = r#"name = "business hours"
start = "2024-01-01"
horizon_days = 2
warmup_days = 1
replications = 2
seed = 1

[[pools]]
name = "servers"
rosters.business-hours = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 4, holidays = false },
]

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.0 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "6m" } } ]
"#;

/// Line of the only shift in [`ROSTERED`].
const ROSTERED_SHIFT: usize = 11;

/// Two channels whose shares sum to 0.9. The `channels` key is on line 13.
const SHARES_NOT_ONE: &str = r#"name = "green and red"
start = "2024-01-01"
horizon_days = 2
warmup_days = 1

[[pools]]
name = "servers"
staff = 3

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.7 }
channels = [
  { name = "green", share = 0.7, stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ] },
  { name = "red", share = 0.2, stages = [ { name = "inspect", pool = "servers", time = { dist = "exponential", mean = "1h" } } ] },
]
"#;

/// `text` with `from` (which must occur exactly once) replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the fixture must contain {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// [`MMC`] with one edit.
fn mmc(from: &str, to: &str) -> String {
    edit(MMC, from, to)
}

/// [`ROSTERED`] with one edit.
fn rostered(from: &str, to: &str) -> String {
    edit(ROSTERED, from, to)
}

/// Where the message must place the problem.
#[derive(Debug)]
enum Where {
    /// A value written in the file: `FILE:LINE:` and ` KEY.PATH: `.
    Line(usize, &'static str),
    /// A place in the file that has no key (a TOML syntax error): `FILE:LINE:`.
    LineOnly(usize),
    /// A required key the file leaves out: the file and the key's name.
    Missing(&'static str),
    /// A value given with `--set`: the file and `--set KEY.PATH: `.
    Set(&'static str),
    /// A value given with a dedicated flag that applies to the scenario (`--policy`): the
    /// file and the flag as the user typed it.
    FlagOn(&'static str),
    /// A bad flag, whatever the scenario: the flag.
    Flag(&'static str),
    /// A file that cannot be read: the file.
    File,
}

/// One invocation of `portsim` with its scenario files.
struct Case {
    /// Files written into the temporary directory before the run.
    files: Vec<(&'static str, String)>,
    /// Command-line arguments.
    args: Vec<&'static str>,
    /// The file the message must name (when it must name one).
    blamed: &'static str,
}

/// `portsim validate FILE` on `text`.
fn validate(file: &'static str, text: impl Into<String>) -> Case {
    Case {
        files: vec![(file, text.into())],
        args: vec!["validate", file],
        blamed: file,
    }
}

/// `portsim run FILE FLAGS...` on `text`.
fn run(file: &'static str, text: impl Into<String>, flags: &[&'static str]) -> Case {
    let mut args = vec!["run", file];
    args.extend_from_slice(flags);
    Case {
        files: vec![(file, text.into())],
        args,
        blamed: file,
    }
}

impl Case {
    /// Runs the case and checks that it is rejected as bad input, at `place`, with a
    /// message containing every one of `expected`. Reports every failed check at once,
    /// with the actual output.
    fn fails(self, place: Where, expected: &[&str]) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in &self.files {
            std::fs::write(dir.path().join(name), text).expect("writes the scenario");
        }
        let (code, stdout, stderr) = portsim(dir.path(), &self.args);

        let mut problems: Vec<String> = Vec::new();
        let mut check = |ok: bool, what: String| {
            if !ok {
                problems.push(what);
            }
        };
        check(
            code == Some(2),
            format!("exit code is {code:?}, expected 2 (bad input)"),
        );
        check(stdout.is_empty(), "stdout is not empty".into());
        check(
            stderr.ends_with('\n') && stderr.matches('\n').count() == 1,
            format!(
                "stderr has {} lines, expected exactly one",
                stderr.lines().count()
            ),
        );
        check(
            stderr.starts_with("error: "),
            "stderr does not start with `error: `".into(),
        );
        check(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "portsim panicked".into(),
        );
        let file = self.blamed;
        let mut must_contain = |needle: String, why: &str| {
            if !stderr.contains(&needle) {
                problems.push(format!("stderr does not contain {needle:?} ({why})"));
            }
        };
        match place {
            Where::Line(line, key) => {
                must_contain(format!("{file}:{line}:"), "the file and line");
                must_contain(format!(" {key}: "), "the key path");
            }
            Where::LineOnly(line) => must_contain(format!("{file}:{line}:"), "the file and line"),
            Where::Missing(key) => {
                must_contain(file.to_string(), "the file");
                must_contain(key.to_string(), "the missing key");
            }
            Where::Set(key) => {
                must_contain(file.to_string(), "the file");
                must_contain(format!("--set {key}: "), "the --set key path");
            }
            Where::FlagOn(flag) => {
                must_contain(file.to_string(), "the file");
                must_contain(flag.to_string(), "the flag as typed");
            }
            Where::Flag(flag) => must_contain(flag.to_string(), "the flag"),
            Where::File => must_contain(file.to_string(), "the file"),
        }
        for e in expected {
            must_contain(e.to_string(), "what was expected");
        }

        if !problems.is_empty() {
            panic!(
                "`portsim {}` does not reject its input as it should:\n  - {}\n\
                 exit code: {code:?}\nstdout: {stdout:?}\nstderr: {stderr:?}",
                self.args.join(" "),
                problems.join("\n  - "),
            );
        }
    }
}

/// Runs `portsim ARGS` in `dir`: exit code, stdout, stderr.
fn portsim(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let assert = cargo_bin_cmd!("portsim")
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .args(args)
        .assert();
    let out = assert.get_output();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The fixtures themselves are valid, and the line constants point where they say, so a
/// rejected case is rejected for the one thing it breaks.
#[test]
fn the_fixtures_are_valid() {
    let line = |text: &str, n: usize| text.lines().nth(n - 1).unwrap_or_default().to_string();
    assert!(line(MMC, MMC_START).starts_with("start = "));
    assert!(line(MMC, MMC_WARMUP).starts_with("warmup_days = "));
    assert!(line(MMC, MMC_SEED).starts_with("seed = "));
    assert!(line(MMC, MMC_STAFF).starts_with("staff = "));
    assert!(line(MMC, MMC_ARRIVALS).starts_with("arrivals = "));
    assert!(line(MMC, MMC_STAGES).starts_with("stages = "));
    assert!(line(ROSTERED, ROSTERED_SHIFT).starts_with("  { days = "));
    assert!(line(SHARES_NOT_ONE, 13).starts_with("channels = "));

    let dir = tempfile::tempdir().unwrap();
    let fixed = edit(SHARES_NOT_ONE, "share = 0.2", "share = 0.3");
    for (name, text) in [
        ("mmc.toml", MMC),
        ("rostered.toml", ROSTERED),
        ("channels.toml", fixed.as_str()),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        for args in [vec!["validate", name], vec!["run", name, "--jobs", "1"]] {
            let (code, stdout, stderr) = portsim(dir.path(), &args);
            assert_eq!(code, Some(0), "portsim {args:?}: {stderr}");
            assert!(
                !stdout.is_empty() && stderr.is_empty(),
                "portsim {args:?}: {stderr}"
            );
        }
    }
}

// ---- Values in the file --------------------------------------------------------------

#[test]
fn negative_rate() {
    validate(
        "negative-rate.toml",
        mmc("rate_per_hour = 2.7", "rate_per_hour = -1"),
    )
    .fails(
        Where::Line(MMC_ARRIVALS, "modes.customers.arrivals.rate_per_hour"),
        &["expected a rate ≥ 0"],
    );
}

#[test]
fn zero_staff_with_a_service_stage() {
    validate("zero-staff.toml", mmc("staff = 3", "staff = 0")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.pool"),
        &["\"servers\"", "never has anyone on duty"],
    );
}

#[test]
fn unknown_pool() {
    validate(
        "unknown-pool.toml",
        mmc("pool = \"servers\"", "pool = \"officers\""),
    )
    .fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.pool"),
        &["unknown pool \"officers\"", "servers"],
    );
}

#[test]
fn channel_shares_not_summing_to_one() {
    validate("shares.toml", SHARES_NOT_ONE)
        .fails(Where::Line(13, "modes.customers.channels"), &["sum to 1"]);
}

#[test]
fn duration_with_a_spelled_out_unit() {
    validate("one-hour.toml", mmc("mean = \"1h\"", "mean = \"1 hour\"")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.time.mean"),
        &["expected a duration", "\"1 hour\""],
    );
}

#[test]
fn duration_without_a_unit() {
    validate("ninety.toml", mmc("mean = \"1h\"", "mean = \"90\"")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.time.mean"),
        &["expected a duration", "\"90\""],
    );
}

#[test]
fn numeric_duration() {
    validate("numeric-mean.toml", mmc("mean = \"1h\"", "mean = 1")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.time.mean"),
        &["expected a duration", "unit"],
    );
}

#[test]
fn shift_with_start_equal_to_end() {
    validate(
        "same-start-end.toml",
        rostered("end = \"17:00\"", "end = \"09:00\""),
    )
    .fails(
        Where::Line(ROSTERED_SHIFT, "pools.servers.rosters.business-hours.0.end"),
        &["cannot start and end at the same time"],
    );
}

#[test]
fn time_of_24_30() {
    validate(
        "half-past-24.toml",
        rostered("end = \"17:00\"", "end = \"24:30\""),
    )
    .fails(
        Where::Line(ROSTERED_SHIFT, "pools.servers.rosters.business-hours.0.end"),
        &["between 00:00 and 24:00", "\"24:30\""],
    );
}

#[test]
fn holidays_neither_a_flag_nor_only() {
    validate(
        "sometimes.toml",
        rostered("holidays = false", "holidays = \"sometimes\""),
    )
    .fails(
        Where::Line(
            ROSTERED_SHIFT,
            "pools.servers.rosters.business-hours.0.holidays",
        ),
        &["true, false or \"only\"", "\"sometimes\""],
    );
}

#[test]
fn unknown_weekday() {
    validate("funday.toml", rostered("\"Mon-Fri\"", "\"Mon-Funday\"")).fails(
        Where::Line(
            ROSTERED_SHIFT,
            "pools.servers.rosters.business-hours.0.days",
        ),
        &["unknown weekday \"Funday\"", "Mon-Fri"],
    );
}

#[test]
fn several_rosters_and_no_policy() {
    let text = rostered(
        "]\n\n[[modes]]",
        "]\nrosters.7x24 = [\n  { days = \"Mon-Sun\", start = \"00:00\", end = \"24:00\", staff = 2 },\n]\n\n[[modes]]",
    );
    validate("two-rosters.toml", text).fails(
        Where::Missing("policy"),
        &["7x24", "business-hours", "--policy"],
    );
}

#[test]
fn unknown_key_in_a_table() {
    validate("meen.toml", mmc("mean = \"1h\"", "meen = \"1h\"")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.time.meen"),
        &["unknown field `meen`", "`mean`"],
    );
}

#[test]
fn unknown_top_level_key() {
    validate("sede.toml", mmc("seed = 1", "sede = 1")).fails(
        Where::Line(MMC_SEED, "sede"),
        &["unknown field `sede`", "`seed`"],
    );
}

#[test]
fn unknown_distribution() {
    validate("exp.toml", mmc("\"exponential\"", "\"exp\"")).fails(
        Where::Line(MMC_STAGES, "modes.customers.stages.serve.time.dist"),
        &["unknown distribution \"exp\"", "exponential"],
    );
}

#[test]
fn unknown_arrival_kind() {
    validate("poison.toml", mmc("\"poisson\"", "\"poison\"")).fails(
        Where::Line(MMC_ARRIVALS, "modes.customers.arrivals.kind"),
        &["\"poison\"", "\"poisson\""],
    );
}

#[test]
fn hourly_profile_with_the_wrong_number_of_values() {
    validate(
        "profile.toml",
        mmc(
            "rate_per_hour = 2.7",
            "rate_per_hour = 2.7, hourly_profile = [1.0, 2.0, 3.0]",
        ),
    )
    .fails(
        Where::Line(MMC_ARRIVALS, "modes.customers.arrivals.hourly_profile"),
        &["24 values", "3"],
    );
}

#[test]
fn warmup_not_shorter_than_the_horizon() {
    validate("warmup.toml", mmc("warmup_days = 1", "warmup_days = 2")).fails(
        Where::Line(MMC_WARMUP, "warmup_days"),
        &["shorter than the horizon"],
    );
}

#[test]
fn invalid_start_date() {
    validate("month-13.toml", mmc("\"2024-01-01\"", "\"2024-13-01\"")).fails(
        Where::Line(MMC_START, "start"),
        &["expected a date like", "\"2024-13-01\""],
    );
}

#[test]
fn both_stages_and_channels() {
    let text = mmc(
        "\"1h\" } } ]\n",
        "\"1h\" } } ]\nchannels = [ { name = \"green\", share = 1.0, stages = [ { name = \"wait\", delay = { dist = \"deterministic\", value = \"1h\" } } ] } ]\n",
    );
    validate("stages-and-channels.toml", text).fails(
        Where::Line(16, "modes.customers.channels"),
        &["both `stages` and `channels`"],
    );
}

#[test]
fn duplicate_pool_name() {
    let text = mmc(
        "staff = 3\n",
        "staff = 3\n\n[[pools]]\nname = \"servers\"\nstaff = 2\n",
    );
    validate("two-pools.toml", text).fails(
        Where::Line(13, "pools.servers.name"),
        &["\"servers\"", "already defined"],
    );
}

#[test]
fn priority_share_above_one() {
    let text = mmc(
        "name = \"customers\"\n",
        "name = \"customers\"\npriority_share = 1.5\n",
    );
    validate("priority.toml", text).fails(
        Where::Line(14, "modes.customers.priority_share"),
        &["share from 0 to 1", "1.5"],
    );
}

#[test]
fn wrong_type_in_the_file() {
    validate("three.toml", mmc("staff = 3", "staff = \"three\"")).fails(
        Where::Line(MMC_STAFF, "pools.servers.staff"),
        &["\"three\"", "expected"],
    );
}

#[test]
fn empty_modes() {
    let text = mmc("seed = 1\n", "seed = 1\nmodes = []\n");
    let text = text[..text.find("[[modes]]").unwrap()].to_string();
    validate("no-modes.toml", text).fails(Where::Line(7, "modes"), &["at least one"]);
}

#[test]
fn missing_required_key() {
    validate("no-horizon.toml", mmc("horizon_days = 2\n", ""))
        .fails(Where::Missing("horizon_days"), &["missing"]);
}

#[test]
fn toml_syntax_error() {
    validate("syntax.toml", mmc("staff = 3", "staff = = 3"))
        .fails(Where::LineOnly(MMC_STAFF), &["not valid TOML"]);
}

#[test]
fn missing_file() {
    let case = Case {
        files: Vec::new(),
        args: vec!["validate", "missing.toml"],
        blamed: "missing.toml",
    };
    case.fails(Where::File, &["cannot read"]);
}

#[test]
fn the_bad_file_among_several_is_named() {
    let case = Case {
        files: vec![
            ("good.toml", MMC.to_string()),
            ("bad.toml", mmc("rate_per_hour = 2.7", "rate_per_hour = -1")),
        ],
        args: vec!["validate", "good.toml", "bad.toml"],
        blamed: "bad.toml",
    };
    case.fails(
        Where::Line(MMC_ARRIVALS, "modes.customers.arrivals.rate_per_hour"),
        &["expected a rate ≥ 0"],
    );
}

// ---- Values and paths given with --set and --policy -----------------------------------

#[test]
fn unknown_set_key_in_a_table() {
    run(
        "mmc.toml",
        MMC,
        &["--set", "modes.customers.arrivals.ratee=3"],
    )
    .fails(
        Where::Set("modes.customers.arrivals.ratee"),
        &["unknown field `ratee`", "`rate_per_hour`"],
    );
}

#[test]
fn unknown_set_top_level_key() {
    run("mmc.toml", MMC, &["--set", "horizon=5"]).fails(
        Where::Set("horizon"),
        &["unknown field `horizon`", "`horizon_days`"],
    );
}

#[test]
fn unknown_set_element() {
    run("mmc.toml", MMC, &["--set", "pools.nobody.staff=3"])
        .fails(Where::Set("pools.nobody.staff"), &["\"nobody\"", "servers"]);
}

#[test]
fn set_path_through_a_value() {
    run(
        "mmc.toml",
        MMC,
        &["--set", "modes.customers.arrivals.rate_per_hour.x=3"],
    )
    .fails(
        Where::Set("modes.customers.arrivals.rate_per_hour.x"),
        &["not a table"],
    );
}

#[test]
fn set_negative_rate() {
    run(
        "mmc.toml",
        MMC,
        &["--set", "modes.customers.arrivals.rate_per_hour=-2"],
    )
    .fails(
        Where::Set("modes.customers.arrivals.rate_per_hour"),
        &["expected a rate ≥ 0"],
    );
}

#[test]
fn set_time_of_24_30() {
    run(
        "rostered.toml",
        ROSTERED,
        &[
            "--set",
            "pools.servers.rosters.business-hours.0.start=24:30",
        ],
    )
    .fails(
        Where::Set("pools.servers.rosters.business-hours.0.start"),
        &["between 00:00 and 24:00"],
    );
}

#[test]
fn set_value_of_the_wrong_type() {
    run("mmc.toml", MMC, &["--set", "pools.servers.staff=three"]).fails(
        Where::Set("pools.servers.staff"),
        &["\"three\"", "expected"],
    );
}

#[test]
fn set_without_a_value() {
    run("mmc.toml", MMC, &["--set", "novalue"])
        .fails(Where::Flag("--set"), &["PATH=VALUE", "\"novalue\""]);
}

#[test]
fn a_file_error_stays_located_in_the_file_despite_an_unrelated_set() {
    run(
        "negative-rate.toml",
        mmc("rate_per_hour = 2.7", "rate_per_hour = -1"),
        &["--set", "pools.servers.staff=4"],
    )
    .fails(
        Where::Line(MMC_ARRIVALS, "modes.customers.arrivals.rate_per_hour"),
        &["expected a rate ≥ 0"],
    );
}

#[test]
fn policy_no_pool_has() {
    run("rostered.toml", ROSTERED, &["--policy", "night"])
        .fails(Where::FlagOn("--policy"), &["\"night\"", "business-hours"]);
}

#[test]
fn policy_given_when_no_pool_has_rosters() {
    run("mmc.toml", MMC, &["--policy", "night"]).fails(Where::FlagOn("--policy"), &["\"night\""]);
}

// ---- Flags -----------------------------------------------------------------------------

#[test]
fn zero_jobs() {
    run("mmc.toml", MMC, &["--jobs", "0"])
        .fails(Where::Flag("--jobs"), &["a whole number from 1 to 4096"]);
}

#[test]
fn zero_replications() {
    run("mmc.toml", MMC, &["--replications", "0"]).fails(
        Where::Flag("--replications"),
        &["a whole number from 1 to 10000"],
    );
}

#[test]
fn unknown_flag() {
    run("mmc.toml", MMC, &["--bogus"]).fails(Where::Flag("--bogus"), &["unexpected argument"]);
}
