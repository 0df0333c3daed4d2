//! The outputs the README and the user guide quote are what portsim prints now.
//!
//! Every fenced block without a language is a quoted output and carries a marker on the
//! line before it naming the command that prints it:
//!
//! ```text
//! <!-- output of `portsim compare scenarios/chongqing-2017.toml --policies business-hours,7x24` -->
//! ```
//!
//! optionally followed by `in SETUP` (a folder the test prepares, see [`prepare`]) or
//! `checked by tests/FILE.rs` (a test that already computes it). A block that is not an
//! output (a synopsis, a listing) says so with a language (`text`, `sh`, `toml`). The
//! test runs each command once and finds the quoted lines in what it printed, in order
//! and contiguous; a line `...` (or one starting `... `, as `... (8 more rows)`) in the
//! quote stands for lines left out. The README's table of the 2017 changes is marked
//! `table of` and checked row by row against the sweep's effects ([`factorial_table`]).
//!
//! The commands are the documents' own, at full size — the heavy ones (comparisons,
//! the staffing search, the peak roster, the sensitivity study and the factorial of the
//! 2017 changes, about four minutes in all on 2 cores) each in a test of their own, so they overlap
//! with the rest of the suite.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::doc_commands::command_args;
use crate::support::{portsim, repo};

/// The documents whose quoted outputs are checked.
const DOCS: [&str; 3] = ["README.md", "docs/guide.md", "docs/experiments.md"];

/// What a marker says: the command, and `in SETUP` or `checked by FILE`.
#[derive(Clone, Debug)]
struct Marker {
    args: Vec<String>,
    setup: Option<String>,
    checked_by: Option<String>,
    /// A markdown table (`table of`) rather than a fenced block.
    table: bool,
}

/// One quoted output: where, its marker, and the lines quoted.
#[derive(Clone, Debug)]
struct Quote {
    place: String,
    marker: Marker,
    lines: Vec<String>,
}

/// Reads a marker line.
fn parse_marker(line: &str) -> Option<Marker> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (table, rest) = if let Some(r) = inner.strip_prefix("output of `") {
        (false, r)
    } else {
        (true, inner.strip_prefix("table of `")?)
    };
    let (command, tail) = rest.split_once('`')?;
    let args = command_args(command)?;
    let tail = tail.trim().trim_start_matches(',').trim();
    let setup = tail.strip_prefix("in ").map(|s| s.trim().to_string());
    let checked_by = tail
        .strip_prefix("checked by ")
        .map(|s| s.trim().to_string());
    Some(Marker {
        args,
        setup,
        checked_by,
        table,
    })
}

/// Every quoted output of `text`; a fenced block without a language and without a
/// marker is an error (so a new quote cannot escape the check), as is a marker that
/// does not parse.
fn quotes(doc: &str, text: &str) -> Result<Vec<Quote>, Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    // The marker governing the next block or table: the nearest non-blank line above.
    let marker_above = |i: usize| {
        lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .filter(|l| l.trim_start().starts_with("<!--"))
            .copied()
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(info) = line.trim_start().strip_prefix("```") {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].trim_start().starts_with("```"))
                .unwrap_or(lines.len());
            if info.trim().is_empty() {
                let place = format!("{doc}:{}", i + 1);
                // A block indented under a list item: its lines without the fence's indent.
                let indent = line.len() - line.trim_start().len();
                let body = lines[i + 1..end]
                    .iter()
                    .map(|l| l.get(indent..).unwrap_or(l.trim_start()).to_string())
                    .collect();
                match marker_above(i).map(|m| (m, parse_marker(m))) {
                    Some((_, Some(marker))) if !marker.table => found.push(Quote {
                        place,
                        marker,
                        lines: body,
                    }),
                    Some((m, _)) => errors.push(format!("{place}: a marker that does not parse: {m}")),
                    None => errors.push(format!(
                        "{place}: a fenced block without a language and without an `<!-- output of `portsim …` -->` marker (give a non-output block a language, e.g. text)"
                    )),
                }
            }
            i = end + 1;
            continue;
        }
        let table_starts = line.trim_start().starts_with('|')
            && (i == 0 || !lines[i - 1].trim_start().starts_with('|'));
        if table_starts {
            let end = (i..lines.len())
                .find(|&j| !lines[j].trim_start().starts_with('|'))
                .unwrap_or(lines.len());
            if let Some(marker) = marker_above(i).and_then(parse_marker).filter(|m| m.table) {
                found.push(Quote {
                    place: format!("{doc}:{}", i + 1),
                    marker,
                    lines: lines[i..end].iter().map(|l| l.to_string()).collect(),
                });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

fn all_quotes() -> Vec<Quote> {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for doc in DOCS {
        let text = std::fs::read_to_string(repo(doc)).unwrap_or_else(|e| panic!("{doc}: {e}"));
        match quotes(doc, &text) {
            Ok(q) => all.extend(q),
            Err(e) => errors.extend(e),
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    all
}

/// The shipped M/M/c scenario with `from` replaced by `to` (which must be there).
fn mmc(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    assert!(text.contains(from), "mmc.toml no longer has {from:?}");
    text.replacen(from, to, 1)
}

/// Prepares the folder `dir` a quoted transcript runs in.
fn prepare(setup: &str, dir: &Path) {
    match setup {
        // The check transcript: a baseline recorded with four officers, then the shipped
        // scenario's three.
        "a folder where mmc.toml had 4 officers when baseline.json was recorded and has 3 now" => {
            let shipped = mmc("staff = 3", "staff = 3");
            std::fs::write(dir.join("mmc.toml"), mmc("staff = 3", "staff = 4")).unwrap();
            // Recorded with four officers.
            portsim()
                .current_dir(dir)
                .args([
                    "check",
                    "mmc.toml",
                    "--baseline",
                    "baseline.json",
                    "--update",
                ])
                .assert()
                .success();
            std::fs::write(dir.join("mmc.toml"), shipped).unwrap();
        }
        // A located error: the rate on line 16.
        "a folder where mmc.toml's arrival rate is -2.7" => {
            let bad = mmc("rate_per_hour = 2.7", "rate_per_hour = -2.7");
            std::fs::write(dir.join("mmc.toml"), bad).unwrap();
        }
        other => panic!("no such setup: {other:?} (tests/doc_outputs.rs knows the setups)"),
    }
}

/// What `portsim ARGS` prints: stdout and stderr, run once per command and setup.
/// Any exit code: a quoted failure (a check that fails, an error) is output too, and a
/// command that fails unexpectedly prints an error the quote will not match.
fn printed(args: &[String], setup: Option<&str>) -> (String, String) {
    type Runs = BTreeMap<(Vec<String>, Option<String>), (String, String)>;
    static RUNS: OnceLock<Mutex<Runs>> = OnceLock::new();
    let key = (args.to_vec(), setup.map(String::from));
    if let Some(text) = RUNS.get_or_init(Default::default).lock().unwrap().get(&key) {
        return text.clone();
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = match setup {
        Some(s) => {
            prepare(s, tmp.path());
            tmp.path().to_path_buf()
        }
        None => repo(""),
    };
    let out = portsim().current_dir(&dir).args(args).output().unwrap();
    let text = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    RUNS.get()
        .unwrap()
        .lock()
        .unwrap()
        .insert(key, text.clone());
    text
}

/// Where `quoted` (with `...` lines standing for lines left out) differs from `printed`:
/// each run of quoted lines between elisions must be found, contiguous, after the last.
fn mismatch(quoted: &[String], printed: &str) -> Option<String> {
    let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
    let elided = |l: &str| l.trim() == "..." || l.trim_start().starts_with("... ");
    // A transcript's command (`$ portsim …` and its `\` continuations) is not output.
    let mut continued = false;
    let quoted: Vec<&str> = quoted
        .iter()
        .map(|l| l.trim_end())
        .filter(|l| {
            let command = continued || l.starts_with("$ ");
            continued = command && l.ends_with('\\');
            !command
        })
        .collect();
    let mut from = 0;
    for run in quoted.split(|l| elided(l)) {
        let run: Vec<&str> = run.to_vec();
        let run = trim_blank(&run);
        if run.is_empty() {
            continue;
        }
        let at = (from..=printed.len().saturating_sub(run.len()))
            .find(|&k| printed[k..k + run.len()] == *run);
        match at {
            Some(k) => from = k + run.len(),
            None => {
                // Name the first line that is not printed after the point reached.
                let missing = run
                    .iter()
                    .find(|l| !printed[from..].contains(l))
                    .unwrap_or(&run[0]);
                return Some(format!(
                    "quoted: {missing:?}\nprinted:\n{}",
                    printed.join("\n")
                ));
            }
        }
    }
    None
}

fn trim_blank<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    &lines[start..end]
}

/// The README's table of the 2017 changes against the sweep's factorial effects
/// (`--json`): each named row's effect and interval at two decimals, "other
/// interactions" the sum of the rest (and their count), the total, and the pair's row
/// from the main job's quoted means.
fn factorial_table(q: &Quote) -> Result<(), String> {
    let doc: serde_json::Value = serde_json::from_str(&printed(&q.marker.args, None).0)
        .map_err(|e| format!("{}: not a sweep document: {e}", q.place))?;
    let effects = &doc["effects"];
    let name = |v: &serde_json::Value| -> String {
        v["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" × ")
    };
    let all: BTreeMap<String, (f64, f64, f64)> = effects["effects"]
        .as_array()
        .ok_or_else(|| format!("{}: the sweep printed no factorial effects", q.place))?
        .iter()
        .map(|e| {
            let ci = e["ci95"].as_array().unwrap();
            (
                name(e),
                (
                    e["mean"].as_f64().unwrap(),
                    ci[0].as_f64().unwrap(),
                    ci[1].as_f64().unwrap(),
                ),
            )
        })
        .collect();
    let h = |x: f64| format!("{x:+.2}").replace('-', "−");
    let ci = |(_, lo, hi): (f64, f64, f64)| format!("{} … {}", h(lo), h(hi)).replace('+', "");
    let named = [
        ("customs 7×24 rosters", "policy"),
        ("I&Q round the clock", "regimes.I&Q round the clock.enabled"),
        (
            "national clearance integration (July)",
            "regimes.national clearance integration.enabled",
        ),
        (
            "fresh-goods fast track (June)",
            "regimes.fresh-goods fast track.enabled",
        ),
        ("7×24 × I&Q", "policy × regimes.I&Q round the clock.enabled"),
        (
            "7×24 × July reforms",
            "policy × regimes.national clearance integration.enabled",
        ),
    ];
    let cells = |row: &str| -> Vec<String> {
        row.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace("**", ""))
            .collect()
    };
    let rows: Vec<Vec<String>> = q.lines.iter().skip(2).map(|r| cells(r)).collect();
    let row = |label: &str| {
        rows.iter()
            .find(|r| r[0].starts_with(label))
            .ok_or_else(|| format!("{}: no row {label:?}", q.place))
    };
    let mut errors = Vec::new();
    let expect = |label: &str, got: &[String], want: [String; 2]| {
        (got[1..3] != want)
            .then(|| format!("{label}: quoted {:?}, the sweep gives {want:?}", &got[1..3]))
    };
    for (label, effect) in named {
        let e = all[effect];
        errors.extend(expect(label, row(label)?, [format!("{} h", h(e.0)), ci(e)]));
    }
    let rest: Vec<f64> = all
        .iter()
        .filter(|(k, _)| !named.iter().any(|(_, n)| n == k))
        .map(|(_, e)| e.0)
        .collect();
    let other = row("other interactions")?;
    let count = [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    ];
    if !other[0].contains(&format!("({})", count[rest.len()])) {
        errors.push(format!(
            "{:?}: the sweep has {} other interactions",
            other[0],
            rest.len()
        ));
    }
    errors.extend(expect(
        "other interactions",
        other,
        [format!("{} h", h(rest.iter().sum())), String::new()],
    ));
    let total = &effects["total"];
    let t = total["ci95"].as_array().unwrap();
    let total = (
        total["mean"].as_f64().unwrap(),
        t[0].as_f64().unwrap(),
        t[1].as_f64().unwrap(),
    );
    errors.extend(expect(
        "total",
        row("total")?,
        [format!("{} h", h(total.0)), ci(total)],
    ));
    // The pair: the main job's quoted overall means, 2017 − 2016.
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let overall: Vec<f64> = readme
        .lines()
        .find(|l| l.starts_with("overall "))
        .expect("the main job's quoted table")
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let pair = row("the pair")?;
    let quoted = pair[1].split(" / ").next().unwrap().to_string();
    let want = format!("{} h", h(overall[2] - overall[0]));
    if quoted != want {
        errors.push(format!(
            "the pair: quoted {quoted:?}, the main job's quoted means give {want:?}"
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n{}", q.place, errors.join("\n")))
    }
}

/// Checks every quote whose command is `portsim SUBCOMMAND` (any, with `None`, of those
/// no other test takes); returns how many it checked.
fn check_quotes(pick: impl Fn(&Quote) -> bool) -> usize {
    let mut failures = Vec::new();
    let mut n = 0;
    for q in all_quotes().iter().filter(|q| pick(q)) {
        n += 1;
        let m = &q.marker;
        if let Some(file) = &m.checked_by {
            assert!(repo(file).exists(), "{}: no such test {file}", q.place);
            continue;
        }
        let result = if m.table {
            factorial_table(q)
        } else {
            let (stdout, stderr) = printed(&m.args, m.setup.as_deref());
            mismatch(&q.lines, &(stdout + &stderr)).map_or(Ok(()), |m| {
                Err(format!(
                    "{}: portsim {}:\n{m}",
                    q.place,
                    q.marker.args.join(" ")
                ))
            })
        };
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    n
}

/// The commands whose output is quoted (run by the tests here, or by the test a marker
/// names): `doc_commands` need not run them again.
pub fn quoted_commands() -> Vec<Vec<String>> {
    all_quotes().into_iter().map(|q| q.marker.args).collect()
}

/// The heavy commands, each checked by a test of its own.
const HEAVY: [&str; 5] = ["compare", "staff", "roster", "sensitivity", "sweep"];

fn heavy(q: &Quote, command: &str) -> bool {
    let args = &q.marker.args;
    args[0] == command && (command != "sweep" || args[1].contains("chongqing"))
}

#[test]
fn every_quoted_output_is_marked_and_the_light_ones_are_printed() {
    let all = all_quotes();
    assert!(all.len() >= 10, "only {} quoted outputs found", all.len());
    let n = check_quotes(|q| !HEAVY.iter().any(|c| heavy(q, c)));
    assert!(n >= 4, "only {n} light quoted outputs");
}

#[test]
fn quoted_comparisons_are_printed() {
    assert!(check_quotes(|q| heavy(q, "compare")) >= 2);
}

#[test]
fn the_quoted_staffing_search_is_printed() {
    assert!(check_quotes(|q| heavy(q, "staff")) >= 1);
}

#[test]
fn the_quoted_peak_roster_is_printed() {
    assert!(check_quotes(|q| heavy(q, "roster")) >= 1);
}

#[test]
fn the_quoted_sensitivity_study_is_printed() {
    assert!(check_quotes(|q| heavy(q, "sensitivity")) >= 1);
}

#[test]
fn the_quoted_effects_of_the_2017_changes_are_the_sweeps() {
    assert!(check_quotes(|q| heavy(q, "sweep")) >= 1);
}

#[test]
fn elisions_and_mismatches_are_found() {
    let quoted: Vec<String> = [
        "$ portsim x",
        "a",
        "b",
        "...",
        "d",
        "  ... (2 more rows)",
        "f",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(mismatch(&quoted, "0\na\nb\nc\nd\ne\ne\nf\n"), None);
    assert!(
        mismatch(&quoted, "a\nc\nb\nd\nf\n").is_some(),
        "a, b not contiguous"
    );
    assert!(mismatch(&quoted, "a\nb\nf\nd\n").is_some(), "f before d");
    let marked = "<!-- output of `portsim run a.toml` -->\n```\nx\n```\n\n```text\nsynopsis\n```\n";
    let q = quotes("t.md", marked).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].marker.args, ["run", "a.toml"]);
    assert_eq!(q[0].lines, ["x"]);
    let err = quotes("t.md", "text\n\n```\nunmarked\n```\n").unwrap_err();
    assert!(
        err[0].starts_with("t.md:3: a fenced block without a language"),
        "{err:?}"
    );
    let setup = parse_marker("<!-- output of `portsim check m.toml`, in a folder -->").unwrap();
    assert_eq!(setup.setup.as_deref(), Some("a folder"));
}
