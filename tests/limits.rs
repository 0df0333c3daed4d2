//! Bounded work and no panics: sweep files beyond the variant and job limits, baselines
//! and plotted documents of any content — refused at once with a located message.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{bad, ok, repo};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A sweep file over the M/M/3 validation scenario with `body` (axes or variants).
fn sweep_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    let scenario = repo("scenarios/validation/mmc.toml");
    std::fs::write(
        &path,
        format!("scenario = {:?}\n{body}", scenario.to_str().unwrap()),
    )
    .unwrap();
    path
}

/// An axis of `n` values 1..=n on `path`.
fn axis(path: &str, n: usize) -> String {
    let values: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    format!(
        "[[axes]]\nset = \"{path}\"\nvalues = [{}]\n",
        values.join(", ")
    )
}

/// A sweep file of `replications` each over `n` arrival rates.
fn rate_sweep(dir: &Path, name: &str, replications: u32, n: usize) -> PathBuf {
    let body = format!(
        "replications = {replications}\n{}",
        axis("modes.customers.arrivals.rate_per_hour", n)
    );
    sweep_file(dir, name, &body)
}

/// Runs `args` expecting a refusal (exit 2, one line) within a second; returns it.
fn refused_at_once(args: &[&str]) -> String {
    let started = Instant::now();
    let err = bad(args);
    // Generous for a loaded machine: expanding the grid would take minutes and
    // gigabytes, not a second.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    err
}

/// `sweep --dry-run` and `sweep` both refuse `sweep` at once, saying each of `needles`.
fn sweep_refused(sweep: &Path, needles: &[&str]) {
    for extra in [&["--dry-run"][..], &[]] {
        let mut args = vec!["sweep", s(sweep)];
        args.extend_from_slice(extra);
        let err = refused_at_once(&args);
        for n in needles {
            assert!(err.contains(n), "{n}: {err}");
        }
    }
}

#[test]
fn a_grid_of_a_trillion_variants_is_refused_before_it_is_expanded() {
    let tmp = tempfile::tempdir().unwrap();
    let axes: String = (0..6)
        .map(|i| axis(&format!("modes.customers.x{i}"), 100))
        .collect();
    let sweep = sweep_file(tmp.path(), "huge.toml", &axes);
    sweep_refused(
        &sweep,
        &[
            "huge.toml:2: axes:",
            "modes.customers.x0 (100 values) × modes.customers.x1 (100 values)",
            "1000000000000 variants",
            "at most 10000",
        ],
    );
}

#[test]
fn a_grid_past_two_to_the_64_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let axes: String = (0..11)
        .map(|i| axis(&format!("modes.customers.x{i}"), 100))
        .collect();
    let sweep = sweep_file(tmp.path(), "huger.toml", &axes);
    let err = refused_at_once(&["sweep", "--dry-run", s(&sweep)]);
    assert!(err.contains("more than 2⁶⁴ variants"), "{err}");
}

#[test]
fn one_variant_past_the_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // 100 × 101 = 10,100 > 10,000; the axes' paths are never reached.
    let over = sweep_file(
        tmp.path(),
        "over.toml",
        &(axis("modes.customers.x", 100) + &axis("modes.customers.y", 101)),
    );
    let err = refused_at_once(&["sweep", "--dry-run", s(&over)]);
    assert!(err.contains("10100 variants"), "{err}");
    // A listed sweep of more variants than allowed is refused too.
    let list: Vec<String> = (0..10_001)
        .map(|i| format!("{{ \"pools.servers.staff\" = {} }}", 3 + i % 3))
        .collect();
    let listed = sweep_file(
        tmp.path(),
        "listed.toml",
        &format!("variants = [{}]\n", list.join(", ")),
    );
    let err = refused_at_once(&["sweep", "--dry-run", s(&listed)]);
    assert!(err.contains("listed.toml:2: variants:"), "{err}");
    assert!(err.contains("10001 variants are listed"), "{err}");
}

#[test]
fn too_many_jobs_are_refused_after_a_few_variants() {
    let tmp = tempfile::tempdir().unwrap();
    // 150 variants × 10,000 replications: 1.5 million jobs.
    let sweep = rate_sweep(tmp.path(), "jobs.toml", 10000, 150);
    sweep_refused(
        &sweep,
        &[
            "jobs.toml:2:",
            "modes.customers.arrivals.rate_per_hour (150 values)",
            "150 variants",
            "1010000 jobs",
            "at most 1000000",
        ],
    );
    // Within the limit, the same axis plans its jobs.
    let small = rate_sweep(tmp.path(), "small.toml", 10000, 100);
    let out = ok(&["sweep", "--dry-run", s(&small)]);
    assert!(out.contains("100 variants, 1000000 jobs"), "{out}");
}

#[test]
fn precision_counts_the_most_replications_it_may_add() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = rate_sweep(tmp.path(), "precise.toml", 2, 101);
    let err = refused_at_once(&[
        "sweep",
        s(&sweep),
        "--precision",
        "1%",
        "--max-replications",
        "10000",
    ]);
    assert!(err.contains("precise.toml"), "{err}");
    assert!(err.contains("1010000 jobs (101 variants"), "{err}");
    assert!(err.contains("--max-replications"), "{err}");
}

#[test]
fn merge_bounds_the_jobs_a_shard_file_claims() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(
        tmp.path(),
        "tiny.toml",
        &format!("replications = 2\n{}", axis("pools.servers.staff", 1)),
    );
    let shard = tmp.path().join("shard");
    ok(&[
        "sweep",
        s(&sweep),
        "--set",
        "horizon_days=30",
        "--set",
        "warmup_days=0",
        "--shard",
        "1/1",
        "--out",
        s(&shard),
        "--quiet",
    ]);
    // Replications are not part of the sweep's identity: a file claiming four billion
    // of them passes the identity check and would be listed job by job.
    let path = shard.join("shard.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["sweep"]["variants"][0]["replications"] = 4_000_000_000u32.into();
    std::fs::write(&path, doc.to_string()).unwrap();
    let err = refused_at_once(&["merge", s(&shard), "--out", s(&tmp.path().join("m"))]);
    assert!(err.contains("4000000000 jobs"), "{err}");
    assert!(err.contains("at most 1000000"), "{err}");
}

/// A baseline of the M/M/1 validation scenario (short, four replications) in `dir`:
/// (scenario, baseline, the flags it was recorded with).
fn recorded(dir: &Path) -> (String, String, Vec<&'static str>) {
    let scenario = dir.join("mm1.toml");
    std::fs::copy(repo("scenarios/validation/mm1.toml"), &scenario).unwrap();
    let baseline = dir.join("baseline.json");
    let flags = vec![
        "--set",
        "horizon_days=60",
        "--set",
        "warmup_days=5",
        "--replications",
        "4",
    ];
    let mut args = vec![
        "check",
        s(&scenario),
        "--baseline",
        s(&baseline),
        "--update",
    ];
    args.extend_from_slice(&flags);
    ok(&args);
    (
        scenario.display().to_string(),
        baseline.display().to_string(),
        flags,
    )
}

/// A change to a JSON document.
type Edit = dyn Fn(&mut serde_json::Value);

/// Rewrites the baseline's JSON with `edit`.
fn edit_baseline(path: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

/// Every value of every measure of the first entry, mapped by `f` (replication, value).
fn map_values(doc: &mut serde_json::Value, f: impl Fn(usize, f64) -> f64) {
    for m in doc["entries"][0]["measures"]
        .as_object_mut()
        .unwrap()
        .values_mut()
    {
        for (r, v) in m["values"].as_array_mut().unwrap().iter_mut().enumerate() {
            if let Some(x) = v.as_f64() {
                *v = f(r, x).into();
            }
        }
        if let Some(x) = m.get("value").and_then(|v| v.as_f64()) {
            m["value"] = f(0, x).into();
        }
    }
}

/// Runs `portsim check` on the recorded baseline: (exit code, stdout, stderr).
fn check(scenario: &str, baseline: &str, flags: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["check", scenario, "--baseline", baseline];
    args.extend_from_slice(flags);
    let out = crate::support::portsim().args(&args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stdout, stderr)
}

#[test]
fn check_judges_baselines_of_any_size_without_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let (scenario, baseline, flags) = recorded(tmp.path());
    // Values a hundred orders of magnitude off: each figure tested and moved.
    edit_baseline(&baseline, |d| map_values(d, |_, x| x * 1e100 + 1e100));
    let (code, out, err) = check(&scenario, &baseline, &flags);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("paired t p < 0.0001"), "{out}");
    // At the end of the range, where sums and squares overflow: still a mean, still
    // a test.
    edit_baseline(&baseline, |d| map_values(d, |_, _| f64::MAX));
    let (code, out, err) = check(&scenario, &baseline, &flags);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("overall.clearance_hours.mean"), "{out}");
    assert!(!out.contains("inf"), "{out}");
    // Noise as large as numbers go: nothing can be told apart, and that is the verdict.
    edit_baseline(&baseline, |d| {
        map_values(d, |r, _| if r % 2 == 0 { f64::MAX } else { -f64::MAX })
    });
    let (code, out, err) = check(&scenario, &baseline, &flags);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("paired t p = 1.0000"), "{out}");
}

#[test]
fn an_untestable_figure_gets_a_verdict_with_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let (scenario, baseline, flags) = recorded(tmp.path());
    // One replication recorded: no noise estimate, the tolerance decides and says why.
    edit_baseline(&baseline, |d| {
        let e = &mut d["entries"][0];
        e["replications"] = 1.into();
        for m in e["measures"].as_object_mut().unwrap().values_mut() {
            m["values"].as_array_mut().unwrap().truncate(1);
        }
    });
    let (code, out, err) = check(&scenario, &baseline, &flags);
    assert!(matches!(code, Some(0 | 1)), "{out}{err}");
    assert!(
        out.contains("(fewer than two replications a side)"),
        "{out}"
    );
}

#[test]
fn inconsistent_baselines_are_refused_with_the_path_of_the_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let (scenario, baseline, flags) = recorded(tmp.path());
    let pristine = std::fs::read_to_string(&baseline).unwrap();
    let cases: [(&str, Box<Edit>, &str); 5] = [
        (
            "no replications",
            Box::new(|d| d["entries"][0]["replications"] = 0.into()),
            "entries[0].replications: not a usable baseline: expected at least 1 replication",
        ),
        (
            "more replications than values",
            Box::new(|d| d["entries"][0]["replications"] = 5.into()),
            "entries[0].measures[\"overall.arrivals\"].values: not a usable baseline: 4 values for 5 replications",
        ),
        (
            "a value missing in one figure",
            Box::new(|d| {
                d["entries"][0]["measures"]["overall.clearance_hours.p90"]["values"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
            "entries[0].measures[\"overall.clearance_hours.p90\"].values: not a usable baseline: 3 values for 4 replications",
        ),
        (
            "two entries for one file",
            Box::new(|d| {
                let e = d["entries"][0].clone();
                d["entries"].as_array_mut().unwrap().push(e);
            }),
            "entries[1].file: not a usable baseline: a second entry for \"mm1.toml\" (the first is entries[0])",
        ),
        (
            "a string for a number",
            Box::new(|d| {
                d["entries"][0]["measures"]["overall.arrivals"]["values"][2] = "12".into()
            }),
            "not a portsim baseline: entries[0].measures.overall.arrivals: invalid type: string \"12\", expected f64",
        ),
    ];
    for (what, edit, expected) in cases {
        std::fs::write(&baseline, &pristine).unwrap();
        edit_baseline(&baseline, edit);
        let mut args = vec!["check", scenario.as_str(), "--baseline", baseline.as_str()];
        args.extend_from_slice(&flags);
        let err = bad(&args);
        assert!(err.contains(&format!("{baseline}: ")), "{what}: {err}");
        assert!(err.contains(expected), "{what}: {err}");
    }
}

/// A real summary of a short M/M/1 run, with a holiday in its calendar.
fn summary_json(dir: &Path) -> serde_json::Value {
    let scenario = dir.join("mm1.toml");
    std::fs::copy(repo("scenarios/validation/mm1.toml"), &scenario).unwrap();
    let out = ok(&[
        "run",
        s(&scenario),
        "--json",
        "--replications",
        "2",
        "--set",
        "horizon_days=30",
        "--set",
        "warmup_days=2",
        "--set",
        "holidays=[\"2024-01-10\"]",
    ]);
    serde_json::from_str(&out).unwrap()
}

#[test]
fn plot_refuses_documents_it_cannot_read_naming_the_json_path() {
    let tmp = tempfile::tempdir().unwrap();
    let summary = summary_json(tmp.path());
    assert!(
        summary["calendar"]["holidays"][0].is_string(),
        "{}",
        summary["calendar"]
    );
    let file = tmp.path().join("summary.json");
    let cases: [(Box<Edit>, &str); 7] = [
        (
            Box::new(|d| d["overall"]["clearance_hours"]["p90"] = "12h".into()),
            "$.overall.clearance_hours.p90: expected a number, got the string \"12h\"",
        ),
        (
            Box::new(|d| d["calendar"]["start"] = "2024-02-30".into()),
            "$.calendar.start: expected a date like \"2024-01-01\", got the string \"2024-02-30\"",
        ),
        (
            Box::new(|d| d["calendar"]["holidays"][0] = "2024-13-01".into()),
            "$.calendar.holidays[0]: expected a date",
        ),
        (
            Box::new(|d| d["calendar"]["days_per_bin"] = 0.into()),
            "$.calendar.days_per_bin: expected a whole number of days ≥ 1, got 0",
        ),
        (
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("overall");
            }),
            "$.overall: expected an object, got nothing",
        ),
        (
            Box::new(|d| d["overall"]["distribution"]["bins"][1] = serde_json::json!([1, 2])),
            "$.overall.distribution.bins[1]: expected a bin [from, to, share], got a list",
        ),
        (
            Box::new(|d| d["modes"]["customers"]["series"]["daily"]["in_system"][3] = true.into()),
            "$.modes.customers.series.daily.in_system[3]: expected a number, got true",
        ),
    ];
    let out = tmp.path().join("plots");
    for (edit, expected) in cases {
        let mut doc = summary.clone();
        edit(&mut doc);
        std::fs::write(&file, doc.to_string()).unwrap();
        let err = bad(&["plot", s(&file), "--out", s(&out)]);
        assert!(err.contains(&format!("{}: ", file.display())), "{err}");
        assert!(err.contains(expected), "{expected}\n{err}");
        // Within a list of summaries, the path says which.
        std::fs::write(&file, serde_json::json!([summary, doc]).to_string()).unwrap();
        let err = bad(&["plot", s(&file), "--out", s(&out)]);
        assert!(err.contains(&expected.replacen('$', "$[1]", 1)), "{err}");
    }
    // The document as written draws.
    std::fs::write(&file, summary.to_string()).unwrap();
    ok(&["plot", s(&file), "--out", s(&out)]);
}
