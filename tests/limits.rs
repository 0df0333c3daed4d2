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
