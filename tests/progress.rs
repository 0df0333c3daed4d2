//! Progress on a terminal: every command that simulates for more than a moment draws
//! replications (or jobs) done of planned, with an ETA, on stderr — only when stderr is
//! a terminal, and not with `--quiet`. The terminal is a real pseudo-terminal, opened by
//! util-linux's `script`.

use std::process::Command;

use crate::support::{portsim, repo};

/// Enough work (about a second in all) that the bar is drawn before the run ends.
const LONG: [&str; 4] = ["--set", "horizon_days=30000", "--set", "warmup_days=10"];

/// Runs `portsim ARGS` with stdin, stdout and stderr on a pseudo-terminal; returns
/// everything the terminal showed.
fn on_a_terminal(args: &[String]) -> String {
    let bin = env!("CARGO_BIN_EXE_portsim");
    let line = std::iter::once(bin)
        .chain(args.iter().map(String::as_str))
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command", &line, "/dev/null"])
        .current_dir(repo(""))
        .output()
        .expect("util-linux script is installed");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "portsim {args:?} failed: {shown}");
    shown
}

/// Single-quotes a word for `sh -c`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `portsim COMMAND` on the long M/M/1 run, with `extra` flags.
fn mm1(command: &str, extra: &[&str]) -> Vec<String> {
    [command, "scenarios/validation/mm1.toml"]
        .iter()
        .chain(LONG.iter())
        .chain(extra.iter())
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn run_shows_replications_done_of_planned_and_an_eta_on_a_terminal() {
    let args = mm1("run", &["--replications", "8", "--jobs", "1"]);
    let shown = on_a_terminal(&args);
    assert!(shown.contains("/8 replications, ETA"), "{shown}");
    // The table still comes after it.
    assert!(shown.contains("M/M/1"), "{shown}");
}

#[test]
fn compare_counts_both_sides_as_one_piece_of_work() {
    let args = mm1(
        "compare",
        &[
            "--replications",
            "4",
            "--jobs",
            "1",
            "--set-b",
            "pools.servers.staff=2",
        ],
    );
    let shown = on_a_terminal(&args);
    assert!(shown.contains("/8 replications, ETA"), "{shown}");
    assert!(!shown.contains("/4 replications"), "{shown}");
}

#[test]
fn quiet_or_not_a_terminal_draws_nothing() {
    let args = mm1("run", &["--replications", "4", "--jobs", "1", "--quiet"]);
    let shown = on_a_terminal(&args);
    assert!(!shown.contains("ETA"), "{shown}");
    assert!(shown.contains("M/M/1"), "{shown}");
    // Not a terminal (a pipe, a CI log): no bar, nothing on stderr.
    let out = portsim()
        .args([
            "run",
            "scenarios/validation/mm1.toml",
            "--replications",
            "2",
        ])
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
