//! The documentation cannot drift from the command line: every `portsim` command shown
//! in a code block of the README and the user guide is one portsim accepts — the
//! command, every flag and every value parse (`PORTSIM_PARSE_ONLY`), and every shipped
//! file it names exists — and every one runs and succeeds (those whose output is quoted
//! in `doc_outputs`, which also matches what they print).

use std::path::Path;

use crate::support::{portsim, repo};

/// The documents whose commands are checked.
const DOCS: [&str; 2] = ["README.md", "docs/guide.md"];

/// One shown command: where it is, and its arguments after `portsim`.
#[derive(Debug)]
struct Shown {
    place: String,
    args: Vec<String>,
}

/// The `portsim` commands in `text`'s fenced code blocks: a line (with its `\`
/// continuations) starting `portsim`, `$ portsim` or `cargo run [--release] [--locked]
/// --`; a synopsis (placeholders in capitals, `[optional]` parts, `|` alternatives) or a
/// line using shell variables is not a command and is skipped.
fn shown_commands(doc: &str, text: &str) -> Vec<Shown> {
    let mut out = Vec::new();
    // A fenced block's lines, from its first line's number.
    let mut block: Option<Vec<(usize, &str)>> = None;
    // Prose: a paragraph's lines joined (an inline `portsim ...` may wrap), from its line.
    let mut paragraph: Option<(usize, String)> = None;
    let flush = |paragraph: &mut Option<(usize, String)>, out: &mut Vec<Shown>| {
        if let Some((start, text)) = paragraph.take() {
            out.extend(inline_commands(&text).into_iter().map(|args| Shown {
                place: format!("{doc}:{start}"),
                args,
            }));
        }
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            flush(&mut paragraph, &mut out);
            match block.take() {
                Some(lines) => out.extend(block_commands(doc, &lines)),
                None => block = Some(Vec::new()),
            }
            continue;
        }
        if let Some(lines) = block.as_mut() {
            lines.push((i + 1, line));
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            match paragraph.as_mut() {
                Some((_, text)) => {
                    text.push(' ');
                    text.push_str(line.trim());
                }
                None => paragraph = Some((i + 1, line.trim().to_string())),
            }
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// The commands of a fenced block: each line with its `\` continuations; in a console
/// transcript (some line starts `$ `) only the prompted lines, the rest being output.
fn block_commands(doc: &str, lines: &[(usize, &str)]) -> Vec<Shown> {
    let transcript = lines.iter().any(|(_, l)| l.trim_start().starts_with("$ "));
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for &(number, line) in lines {
        let (start, joined) = match pending.take() {
            Some((start, before)) => (start, format!("{before} {}", line.trim())),
            None if transcript && !line.trim_start().starts_with("$ ") => continue,
            None => (number, line.trim().to_string()),
        };
        if let Some(cut) = joined.strip_suffix('\\') {
            pending = Some((start, cut.trim_end().to_string()));
            continue;
        }
        if let Some(args) = command_args(&joined) {
            out.push(Shown {
                place: format!("{doc}:{start}"),
                args,
            });
        }
    }
    out
}

/// The commands in a paragraph's inline code spans (`` `portsim run a.toml` ``): those
/// that name a file — prose also names a command alone ("`portsim check` compares…"),
/// which is a reference, not a command to run.
fn inline_commands(paragraph: &str) -> Vec<Vec<String>> {
    let names_a_file = |args: &Vec<String>| {
        args.iter()
            .skip(1)
            .any(|w| w.contains('/') || w.ends_with(".toml") || w.ends_with(".json"))
    };
    paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(command_args)
        .filter(names_a_file)
        .collect()
}

/// The arguments after `portsim` of a command line, or `None` when it is not one.
pub fn command_args(line: &str) -> Option<Vec<String>> {
    let line = line.strip_prefix("$ ").unwrap_or(line);
    // A trailing comment goes (a `#` inside a quoted value is not one here).
    let line = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    let mut words = shlex::split(line)?;
    // A timed command: what is timed.
    if words.first().map(String::as_str) == Some("/usr/bin/time") {
        let at = words
            .iter()
            .position(|w| !w.starts_with('-') && w != "/usr/bin/time")?;
        words.drain(..at);
    }
    let rest: Vec<String> = match words.first().map(String::as_str) {
        Some("portsim" | "target/release/portsim" | "target/debug/portsim") => words[1..].to_vec(),
        Some("cargo") if words.get(1).map(String::as_str) == Some("run") => {
            let dashes = words.iter().position(|w| w == "--")?;
            words[dashes + 1..].to_vec()
        }
        _ => return None,
    };
    // Up to a redirection or a pipe.
    let rest: Vec<String> = rest
        .into_iter()
        .take_while(|w| !matches!(w.as_str(), ">" | "|" | "&&" | ";" | "2>&1"))
        .collect();
    let synopsis = |w: &String| {
        w.contains('[')
            || w.contains("...")
            || w.contains('…')
            || w.contains('$')
            || w.contains('|')
            || placeholder(w)
    };
    if rest.is_empty() || rest.iter().any(synopsis) {
        return None;
    }
    Some(rest)
}

/// A placeholder word such as `SCENARIO`, `DIR`, `A,B` or `PATH=VALUE`: capitals (and
/// punctuation) only, at least one capital, or a flag's value that is one.
fn placeholder(word: &str) -> bool {
    let value = word.split_once('=').map_or(word, |(_, v)| v);
    let letters: Vec<char> = value.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) && !value.starts_with('-')
}

fn all_shown() -> Vec<Shown> {
    DOCS.iter()
        .flat_map(|doc| {
            let text = std::fs::read_to_string(repo(doc)).unwrap_or_else(|e| panic!("{doc}: {e}"));
            shown_commands(doc, &text)
        })
        .collect()
}

#[test]
fn every_command_shown_is_one_portsim_accepts() {
    let shown = all_shown();
    // The documents show dozens; finding few means the extraction broke.
    assert!(
        shown.len() >= 20,
        "only {} commands found: {shown:#?}",
        shown.len()
    );
    let mut failures = Vec::new();
    for s in &shown {
        let out = portsim()
            .current_dir(repo(""))
            .env("PORTSIM_PARSE_ONLY", "1")
            .args(&s.args)
            .output()
            .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{}: portsim {}: {}",
                s.place,
                s.args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        // Shipped files it names exist (outputs it would write need not).
        for w in &s.args {
            let shipped = ["scenarios/", "benches/", "tests/", "examples/"]
                .iter()
                .any(|d| w.starts_with(d));
            if shipped && !w.contains('*') && !Path::new(&repo(w)).exists() {
                failures.push(format!("{}: no such file {w}", s.place));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Flags that only choose where or how results are written (with their value, if they
/// take one): two commands that differ in these run the same simulations.
const OUTPUT_FLAGS: [(&str, bool); 9] = [
    ("--json", false),
    ("--quiet", false),
    ("-q", false),
    ("--force", false),
    ("--update", false),
    ("--out", true),
    ("--plots", true),
    ("--junit", true),
    ("--format", true),
];

/// A command's arguments without its output flags.
fn simulated(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = args.iter();
    while let Some(w) = words.next() {
        match OUTPUT_FLAGS.iter().find(|(f, _)| f == w) {
            Some((_, true)) => drop(words.next()),
            Some((_, false)) => {}
            None => out.push(w.clone()),
        }
    }
    out
}

/// Every command shown runs: those whose output is quoted are run by `doc_outputs`
/// (which matches their output); every other one runs here, from the repository, with
/// its globs expanded and each output it writes (`--out`, `--plots`, `--junit`) sent to
/// a scratch folder, and must succeed. Commands that differ only in output flags are
/// one run; a check shown recording its baseline (`--update`) and the same check
/// comparing with it run the same scenarios, and run once, comparing: the committed
/// baseline is never rewritten by a test. That check of the shipped scenarios against
/// the committed baseline is the project's own regression check (`.ci/run` checks the
/// validation scenarios).
#[test]
fn every_command_shown_runs() {
    let quoted: Vec<Vec<String>> = crate::doc_outputs::quoted_commands()
        .iter()
        .map(|a| simulated(a))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut ran: Vec<Vec<String>> = Vec::new();
    // Shown and quoted: run by the quote's test instead.
    let mut left_to_quotes: Vec<Vec<String>> = Vec::new();
    let mut failures = Vec::new();
    for s in all_shown() {
        let key = simulated(&s.args);
        if quoted.contains(&key) {
            if !left_to_quotes.contains(&key) {
                left_to_quotes.push(key);
            }
            continue;
        }
        if ran.contains(&key) {
            continue;
        }
        ran.push(key.clone());
        let scratch = tmp.path().join(ran.len().to_string());
        let mut args: Vec<String> = Vec::new();
        for w in &key {
            if w.contains('*') {
                let mut files: Vec<String> = glob(w);
                assert!(!files.is_empty(), "{}: {w} matches no file", s.place);
                args.append(&mut files);
            } else {
                args.push(w.clone());
            }
        }
        for flag in ["--out", "--plots", "--junit"] {
            if s.args.iter().any(|a| a == flag) {
                args.extend([
                    flag.to_string(),
                    scratch.join(&flag[2..]).display().to_string(),
                ]);
            }
        }
        let out = portsim()
            .current_dir(repo(""))
            .args(&args)
            .output()
            .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{}: portsim {}: {}",
                s.place,
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    // The documents show more commands than this: fewer means they were not found.
    assert!(
        ran.len() + left_to_quotes.len() >= 12,
        "only {} commands found: {ran:?}, and quoted {left_to_quotes:?}",
        ran.len() + left_to_quotes.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The repository files a shell glob such as `scenarios/*.toml` matches (a `*` in the
/// last part of the path only), sorted as a shell sorts them.
fn glob(pattern: &str) -> Vec<String> {
    let (dir, name) = pattern.rsplit_once('/').unwrap_or((".", pattern));
    let (before, after) = name.split_once('*').unwrap();
    let mut files: Vec<String> = std::fs::read_dir(repo(dir))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.starts_with(before) && f.ends_with(after) && f.len() >= name.len() - 1)
        .map(|f| format!("{dir}/{f}"))
        .collect();
    files.sort();
    files
}

#[test]
fn synopses_and_shell_variables_are_not_taken_for_commands() {
    let text = "```\nportsim run SCENARIO... [--jobs N]\nportsim sweep s.toml --shard \"$I/8\"\ncargo run --release -- validate scenarios/x.toml\n```\n\n```\n$ portsim compare a.toml \\\n  --policies x,y   # note\nportsim check (statistical): output, not a command\n```\nportsim run outside.toml, and `portsim run\nwrapped.toml` in prose, `portsim check` named\n";
    let shown = shown_commands("t.md", text);
    let args: Vec<Vec<String>> = shown.iter().map(|s| s.args.clone()).collect();
    assert_eq!(
        args,
        vec![
            vec!["validate", "scenarios/x.toml"],
            vec!["compare", "a.toml", "--policies", "x,y"],
            vec!["run", "wrapped.toml"],
        ]
    );
    assert_eq!(shown[1].place, "t.md:8");
}
