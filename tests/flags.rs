//! Command-line flags at their edges: `--fail-on-unstable` on `run`, `compare` and
//! `sweep` (exit 1 after every result is out, naming what was unstable), and negative
//! numbers given to numeric flags (refused naming the flag and what it expects), and
//! the exit codes `--help` lists.

use std::path::Path;

use crate::support::{MONTH as SHORT, bad, mmc, portsim, repo};

/// Arrivals per hour at which the M/M/3 validation scenario is overloaded (ρ = 4/3)...
const OVERLOADED: &str = "modes.customers.arrivals.rate_per_hour=4";
/// ...and at which it keeps up with room to spare (ρ = 2/3).
const STABLE: &str = "modes.customers.arrivals.rate_per_hour=2";

/// What a command did.
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Out {
    let out = portsim().current_dir(dir).args(args).output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The last line on stderr (the error line, after any warnings).
fn last_line(stderr: &str) -> &str {
    stderr.trim_end().lines().last().unwrap_or("")
}

#[test]
fn run_fails_on_unstable_after_writing_its_results() {
    let tmp = tempfile::tempdir().unwrap();
    let mmc = mmc();
    let mut args = vec!["run", &mmc, "--json", "--out", "out", "--set", OVERLOADED];
    args.extend(SHORT);
    // Without the flag an overloaded run is a warning only.
    let plain = run_in(tmp.path(), &args);
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    args.extend(["--fail-on-unstable", "--force"]);
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let line = last_line(&out.stderr);
    assert!(
        line.starts_with("error: --fail-on-unstable: ")
            && line.contains("mmc.toml")
            && line.contains("pool \"servers\""),
        "{line}"
    );
    // Every result is still out: the JSON on stdout and the files in --out.
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["unstable"], true);
    for f in ["summary.json", "replications.csv", "scenario.toml"] {
        assert!(tmp.path().join("out").join(f).is_file(), "{f}");
    }

    let mut args = vec!["run", &mmc, "--set", STABLE, "--fail-on-unstable"];
    args.extend(SHORT);
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stdout.is_empty());
}

#[test]
fn compare_fails_on_unstable_naming_the_side() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    for (name, rate) in [("a.toml", "2.0"), ("b.toml", "4.0"), ("c.toml", "1.5")] {
        let edited = text.replace("rate_per_hour = 2.7", &format!("rate_per_hour = {rate}"));
        assert_ne!(
            edited, text,
            "the fixture's rate is where the test expects it"
        );
        std::fs::write(tmp.path().join(name), edited).unwrap();
    }
    let mut args = vec![
        "compare",
        "a.toml",
        "b.toml",
        "--json",
        "--fail-on-unstable",
    ];
    args.extend(SHORT);
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let line = last_line(&out.stderr);
    assert!(
        line.contains("side B: b.toml") && !line.contains("a.toml") && line.contains("\"servers\""),
        "{line}"
    );
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["unstable"], true, "the comparison is printed in full");

    let mut args = vec!["compare", "a.toml", "c.toml", "--fail-on-unstable"];
    args.extend(SHORT);
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

/// A sweep over the arrival rate of a month of the M/M/3 validation scenario.
fn rate_sweep(dir: &Path, rates: &str) {
    std::fs::write(
        dir.join("rates.toml"),
        format!(
            "scenario = {:?}\nreplications = 2\nseed = 1\n\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [{rates}]\n",
            mmc()
        ),
    )
    .unwrap();
}

#[test]
fn sweep_fails_on_unstable_naming_the_variant() {
    let tmp = tempfile::tempdir().unwrap();
    rate_sweep(tmp.path(), "2.0, 4.0");
    let args = [
        "sweep",
        "rates.toml",
        "--quiet",
        "--out",
        "out",
        "--set",
        "horizon_days=30",
        "--set",
        "warmup_days=1",
        "--fail-on-unstable",
    ];
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let line = last_line(&out.stderr);
    assert!(
        line.contains("variant 1 [modes.customers.arrivals.rate_per_hour=4")
            && !line.contains("variant 0"),
        "{line}"
    );
    let results = std::fs::read_to_string(tmp.path().join("out/results.csv")).unwrap();
    assert_eq!(
        results.lines().count(),
        3,
        "both variants written: {results}"
    );
    assert!(out.stdout.contains("UNSTABLE"), "the table is printed");

    rate_sweep(tmp.path(), "1.5, 2.0");
    let mut stable: Vec<&str> = args.to_vec();
    stable[4] = "out2";
    let out = run_in(tmp.path(), &stable);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn fail_on_unstable_is_not_for_a_shard() {
    let tmp = tempfile::tempdir().unwrap();
    rate_sweep(tmp.path(), "2.0");
    let err = bad(&[
        "sweep",
        tmp.path().join("rates.toml").to_str().unwrap(),
        "--out",
        tmp.path().join("s").to_str().unwrap(),
        "--shard",
        "1/2",
        "--fail-on-unstable",
    ]);
    assert!(
        err.contains("--fail-on-unstable") && err.contains("--shard"),
        "{err}"
    );
}

/// Negative numbers reach the flag's own check: the message names the flag and says what
/// it takes, instead of clap reading `-1` as an unknown flag.
#[test]
fn negative_numbers_name_the_flag_and_what_it_expects() {
    let mmc = mmc();
    let staff = "staff MMC --target p90<=9h --vary pools.servers.staff";
    // (command line, with MMC for the scenario; the flag; what the message expects)
    let cases = [
        (
            "run MMC --seed -1".to_string(),
            "--seed",
            "whole number from 0",
        ),
        (
            "run MMC --jobs -1".into(),
            "--jobs",
            "whole number from 1 to 4096",
        ),
        (
            "run MMC --replications -1".into(),
            "--replications",
            "from 1 to 10000",
        ),
        (
            "run MMC --precision -1%".into(),
            "--precision",
            "share between 0 and 100",
        ),
        (
            "run MMC --precision 1% --batch -5".into(),
            "--batch",
            "from 1 to",
        ),
        (
            "run MMC --precision 1% --max-replications -5".into(),
            "--max-replications",
            "from 2 to",
        ),
        (
            "check MMC --baseline b.json --tolerance -1".into(),
            "--tolerance",
            "share between",
        ),
        (
            format!("{staff} --max -1"),
            "--max",
            "whole number from 0 to 1000000",
        ),
        (
            format!("{staff} --max 5 --min -2"),
            "--min",
            "whole number from 0",
        ),
        (
            "sweep s.toml --out o --shard -1/2".into(),
            "--shard",
            "I/N with 1 ≤ I ≤ N",
        ),
    ];
    for (line, flag, expected) in cases {
        let args: Vec<&str> = line
            .split(' ')
            .map(|a| if a == "MMC" { mmc.as_str() } else { a })
            .collect();
        let err = bad(&args);
        assert!(
            err.contains(&format!("'{flag} <"))
                && err.contains(expected)
                && !err.contains("unexpected argument"),
            "{line}: {err}"
        );
    }
}

/// `portsim --help` (and `-h`) ends with every exit code and what it means, 3 (the
/// machine failed, not the input) among them.
#[test]
fn help_lists_the_exit_codes() {
    for flag in ["--help", "-h"] {
        let out = portsim().arg(flag).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        let (_, codes) = text.split_once("Exit codes:\n").expect(&text);
        let listed: Vec<&str> = codes
            .lines()
            .filter_map(|l| l.strip_prefix("  "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| w.parse::<u8>().is_ok())
            .collect();
        assert_eq!(listed, ["0", "1", "2", "3", "130"], "{codes}");
        for words in [
            "bad input",
            "environment failure",
            "Ctrl-C",
            "--fail-on-unstable",
        ] {
            assert!(codes.contains(words), "{words:?} in {codes}");
        }
    }
}

/// Every command's `--help` ends with a one-line example of it and the exit codes.
#[test]
fn every_command_s_help_has_an_example_and_the_exit_codes() {
    let commands = [
        "run",
        "compare",
        "staff",
        "sensitivity",
        "sweep",
        "merge",
        "check",
        "plot",
        "schema",
        "validate",
    ];
    for command in commands {
        let out = portsim().args([command, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command}");
        let text = String::from_utf8(out.stdout).unwrap();
        let (_, after) = text
            .split_once("Example:\n  ")
            .unwrap_or_else(|| panic!("{command}: no example in\n{text}"));
        let example = after.lines().next().unwrap();
        assert!(
            example.starts_with(&format!("portsim {command}")),
            "{command}: {example}"
        );
        assert!(after.contains("Exit codes:\n  0    success"), "{command}");
    }
}

/// Bare `portsim` lists the commands (on stderr, exit 2: nothing was asked).
#[test]
fn bare_portsim_lists_the_commands() {
    let out = portsim().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let text = String::from_utf8(out.stderr).unwrap();
    for command in ["run", "compare", "staff", "sweep", "check", "validate"] {
        assert!(
            text.contains(&format!("\n  {command} ")),
            "{command} in {text}"
        );
    }
    assert!(text.contains("Exit codes:"), "{text}");
}

/// A mistyped flag or command keeps clap's suggestion, on the one line of the message.
#[test]
fn a_typo_keeps_the_suggestion_on_one_line() {
    let err = bad(&["run", "--jsn", "x.toml"]);
    assert!(
        err.contains("unexpected argument '--jsn'")
            && err.contains("tip: a similar argument exists: '--json'"),
        "{err}"
    );
    let err = bad(&["comapre", "x.toml"]);
    assert!(
        err.contains("a similar subcommand exists: 'compare'"),
        "{err}"
    );
}
