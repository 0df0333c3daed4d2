//! `portsim sweep` and `portsim merge`: byte-identical results whatever the thread
//! count, sharding or interruptions; precision-driven replications; bad input.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{bad, mmc_with_rush, ok, portsim, repo};

const FILES: [&str; 3] = ["results.csv", "replications.csv", "results.json"];

/// A sweep file over the M/M/3 validation scenario: staff 3, 4 × rate 2.0, 2.5.
fn sweep_file(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let path = dir.join(name);
    let scenario = repo("scenarios/validation/mmc.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 4\nseed = 3\n{extra}\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [2.0, 2.5]\n",
            scenario.to_str().unwrap()
        ),
    )
    .unwrap();
    path
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

fn same_results(a: &Path, b: &Path) {
    for f in FILES {
        assert!(
            read(a, f) == read(b, f),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn results_do_not_depend_on_threads_or_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let run = |out: &str, extra: &[&str]| {
        let out = tmp.path().join(out);
        let mut args = vec![
            "sweep",
            s(&sweep),
            "--set",
            "horizon_days=100",
            "--out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        ok(&args);
        out
    };
    let one = run("one", &["--jobs", "1"]);
    let two = run("two", &["--jobs", "2"]);
    same_results(&one, &two);

    let shards: Vec<PathBuf> = (1..=3)
        .map(|i| run(&format!("shard{i}"), &["--shard", &format!("{i}/3")]))
        .collect();
    // With --json a shard prints one document saying what it did.
    let out = tmp.path().join("shard-json");
    let doc = ok(&[
        "sweep",
        s(&sweep),
        "--set",
        "horizon_days=100",
        "--shard",
        "2/3",
        "--json",
        "--out",
        s(&out),
    ]);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["schema"], "portsim.shard-run/1");
    assert_eq!(v["shard"], "2/3");
    assert_eq!(v["jobs"], 5, "16 jobs in 3 slices: 6, 5, 5");
    assert_eq!(read(&out, "shard.json"), read(&shards[1], "shard.json"));
    let merged = tmp.path().join("merged");
    // Shards in any order.
    ok(&[
        "merge",
        s(&shards[2]),
        s(&shards[0]),
        s(&shards[1]),
        "--out",
        s(&merged),
    ]);
    same_results(&one, &merged);

    // `--format long` on the merge writes the long files the unsharded sweep writes.
    let long = run("long", &["--format", "long"]);
    same_results(&one, &long);
    let merged_long = tmp.path().join("merged-long");
    let shard_dirs: Vec<&str> = shards.iter().map(|d| s(d)).collect();
    let mut args = vec!["merge"];
    args.extend(&shard_dirs);
    args.extend(["--out", s(&merged_long), "--format", "long"]);
    ok(&args);
    same_results(&long, &merged_long);
    for f in ["results-long.csv", "replications-long.csv"] {
        assert!(
            read(&long, f) == read(&merged_long, f),
            "{f} differs between the sweep and the merge"
        );
        assert!(
            !merged.join(f).exists(),
            "{f} written without --format long"
        );
    }
    // A shard writes only shard.json, so it refuses the long format by name.
    let err = bad(&[
        "sweep",
        s(&sweep),
        "--shard",
        "1/3",
        "--format",
        "long",
        "--out",
        s(&tmp.path().join("refused")),
    ]);
    assert!(err.contains("portsim merge --format long"), "{err}");

    // Rows in grid order, the last axis fastest; axis columns named by path.
    let csv = String::from_utf8(read(&one, "results.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][0], "pools.servers.staff");
    assert_eq!(rows[0][1], "modes.customers.arrivals.rate_per_hour");
    assert_eq!(rows[0][2], "replications");
    let axes: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        axes,
        [("3", "2.0"), ("3", "2.5"), ("4", "2.0"), ("4", "2.5")]
    );
    // More staff, shorter clearance; a higher rate, longer.
    let mean = |i: usize| rows[i][5].parse::<f64>().unwrap();
    assert!(mean(3) < mean(1) && mean(1) < mean(2));
    let reps = String::from_utf8(read(&one, "replications.csv")).unwrap();
    assert_eq!(reps.lines().count(), 1 + 16);
    let json: serde_json::Value = serde_json::from_slice(&read(&one, "results.json")).unwrap();
    assert_eq!(json["schema"], "portsim.sweep/1");
    assert_eq!(json["variants"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["variants"][1]["summary"]["schema"],
        "portsim.summary/1"
    );
    assert!(json["variants"][1]["summary"].get("wall_seconds").is_none());
}

#[test]
fn merge_refuses_missing_duplicate_and_foreign_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let shard = |out: &str, i: &str, extra: &[&str]| {
        let out = tmp.path().join(out);
        let mut args = vec![
            "sweep",
            s(&sweep),
            "--set",
            "horizon_days=40",
            "--shard",
            i,
            "--out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        ok(&args);
        out
    };
    let a = shard("a", "1/2", &[]);
    let b = shard("b", "2/2", &[]);
    let foreign = shard("c", "2/2", &["--seed", "9"]);
    let out = tmp.path().join("m");
    let err = bad(&["merge", s(&a), "--out", s(&out)]);
    assert!(err.contains("2/2 missing"), "{err}");
    let err = bad(&["merge", s(&a), s(&a), s(&b), "--out", s(&out)]);
    assert!(err.contains("given twice"), "{err}");
    let err = bad(&["merge", s(&a), s(&foreign), "--out", s(&out)]);
    assert!(err.contains("another sweep"), "{err}");
    let err = bad(&["merge", s(&a), s(tmp.path()), "--out", s(&out)]);
    assert!(err.contains("shard.json"), "{err}");
    std::fs::write(b.join("shard.json"), "{\"schema\": 1").unwrap();
    let err = bad(&["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(err.contains("not a shard file"), "{err}");
    assert!(
        !out.join("results.csv").exists(),
        "nothing written on refusal"
    );

    // Someone else's file in --out is not replaced without --force.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("results.csv"), "mine").unwrap();
    let b = shard("b2", "2/2", &[]);
    let err = bad(&["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("results.csv")).unwrap(),
        "mine"
    );
    ok(&["merge", s(&a), s(&b), "--out", s(&out), "--force"]);
    ok(&["merge", s(&a), s(&b), "--out", s(&out)]);
}

#[test]
fn a_killed_sweep_resumes_to_the_same_results() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let args = |out: &Path| {
        vec![
            "sweep".to_string(),
            s(&sweep).into(),
            "--set".into(),
            "horizon_days=60".into(),
            "--out".into(),
            s(out).into(),
        ]
    };
    let full = tmp.path().join("full");
    let a = args(&full);
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());

    // What a process killed mid-write leaves: the header, 5 jobs and half of a sixth,
    // and no result files yet.
    let cut = tmp.path().join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    let journal = String::from_utf8(read(&full, "jobs.jsonl")).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert_eq!(lines.len(), 1 + 16);
    let mut partial = lines[..6].join("\n");
    partial.push('\n');
    partial.push_str(&lines[6][..lines[6].len() / 2]);
    std::fs::write(cut.join("jobs.jsonl"), partial).unwrap();

    let mut again = args(&cut);
    let again_str: Vec<&str> = again.iter().map(String::as_str).collect();
    let err = bad(&again_str);
    assert!(err.contains("--resume"), "{err}");
    again.push("--resume".into());
    let out = portsim().args(&again).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("5 of 16 jobs already done"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    same_results(&full, &cut);

    // Another sweep's directory is refused.
    let mut other = args(&full);
    other.extend(["--seed".into(), "8".into(), "--resume".into()]);
    let err = bad(&other.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("another sweep"), "{err}");

    // So is a journal of another version of portsim: its results may differ in shape.
    let old = tmp.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(
        old.join("jobs.jsonl"),
        journal.replacen("portsim.journal/2", "portsim.journal/1", 1),
    )
    .unwrap();
    let mut resume_old = args(&old);
    resume_old.push("--resume".into());
    let err = bad(&resume_old.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        err.contains("jobs.jsonl:1: written by another version of portsim"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_complete_files_and_resume_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let out = tmp.path().join("out");
    // Long enough (16 jobs of ~20 years of arrivals, one thread) to be interrupted.
    let args = [
        "sweep",
        s(&sweep),
        "--set",
        "horizon_days=8000",
        "--jobs",
        "1",
        "--out",
        s(&out),
    ];
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_portsim"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first job is in the journal.
    let started = Instant::now();
    loop {
        let lines = std::fs::read_to_string(out.join("jobs.jsonl"))
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= 2 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no job finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted after"), "{err}");
    assert!(err.contains("--resume"), "{err}");
    // Complete files for what finished: the header and whole rows.
    let csv = String::from_utf8(read(&out, "replications.csv")).unwrap();
    let done = csv.lines().count() - 1;
    assert!((1..16).contains(&done), "{done} jobs done");
    let width = csv.lines().next().unwrap().split(',').count();
    assert!(csv.lines().all(|l| l.split(',').count() == width));
    serde_json::from_slice::<serde_json::Value>(&read(&out, "results.json")).unwrap();

    let mut resume: Vec<&str> = args.to_vec();
    resume.push("--resume");
    resume.push("--quiet");
    ok(&resume);
    let full = tmp.path().join("full");
    let mut whole: Vec<&str> = args.to_vec();
    whole[7] = s(&full);
    whole[5] = "2";
    ok(&whole);
    same_results(&full, &out);
}

#[test]
fn precision_adds_batches_until_the_target_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let run = |jobs: &str| {
        let out = tmp.path().join(format!("p{jobs}"));
        ok(&[
            "sweep",
            s(&sweep),
            "--set",
            "horizon_days=200",
            "--precision",
            "2%",
            "--batch",
            "3",
            "--jobs",
            jobs,
            "--out",
            s(&out),
        ]);
        out
    };
    let one = run("1");
    let two = run("2");
    same_results(&one, &two);
    let json: serde_json::Value = serde_json::from_slice(&read(&one, "results.json")).unwrap();
    let mut counts = Vec::new();
    for v in json["variants"].as_array().unwrap() {
        let p = &v["precision"];
        let reps = p["replications"].as_u64().unwrap();
        assert!(p["met"].as_bool().unwrap(), "{p}");
        assert!(p["half_width_relative"].as_f64().unwrap() <= 0.02);
        // Whole batches of 3 after the first 4.
        assert_eq!((reps - 4) % 3, 0, "{reps}");
        let c = &v["summary"]["overall"]["clearance_hours"];
        let [lo, hi] = [
            c["mean_ci95"][0].as_f64().unwrap(),
            c["mean_ci95"][1].as_f64().unwrap(),
        ];
        assert!((hi - lo) / 2.0 <= 0.02 * c["mean"].as_f64().unwrap());
        assert_eq!(v["summary"]["replications"].as_u64(), Some(reps));
        counts.push(reps);
    }
    // The busiest variant (3 staff, rate 2.5) needs the most.
    assert_eq!(counts.iter().max(), Some(&counts[1]), "{counts:?}");
    assert!(counts[1] > 4);
}

#[test]
fn listed_variants_and_dry_run() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("list.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 2\nvariants = [\n  {{ \"pools.servers.staff\" = 4 }},\n  {{ \"pools.servers.staff\" = 5, \"modes.customers.arrivals.rate_per_hour\" = 3.5 }},\n]\n",
            s(&repo("scenarios/validation/mmc.toml"))
        ),
    )
    .unwrap();
    let listing = ok(&["sweep", s(&path), "--dry-run"]);
    assert!(listing.contains("2 variants, 4 jobs"), "{listing}");
    assert!(listing.contains("pools.servers.staff=5 modes.customers.arrivals.rate_per_hour=3.5"));
    // With --json, the plan is one JSON document and nothing else.
    let plan: serde_json::Value =
        serde_json::from_str(&ok(&["sweep", s(&path), "--dry-run", "--json"])).unwrap();
    assert_eq!(plan["schema"], "portsim.sweep-plan/1");
    assert_eq!(plan["jobs"], 4);
    assert_eq!(plan["variants"][1]["values"]["pools.servers.staff"], 5);
    assert_eq!(
        plan["variants"][1]["values"]["modes.customers.arrivals.rate_per_hour"],
        3.5
    );
    assert_eq!(plan["variants"][0]["replications"], 2);
    let out = tmp.path().join("o");
    let table = ok(&[
        "sweep",
        s(&path),
        "--set",
        "horizon_days=60",
        "--out",
        s(&out),
    ]);
    assert!(table.contains("2 of 2 variants"), "{table}");
    let csv = String::from_utf8(read(&out, "results.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("pools.servers.staff,modes.customers.arrivals.rate_per_hour,"));
    assert!(lines[1].starts_with("4,,2,"), "{}", lines[1]);
    assert!(lines[2].starts_with("5,3.5,2,"), "{}", lines[2]);
}

#[test]
fn a_linked_axis_moves_its_paths_together() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("linked.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 2\n[[axes]]\nset = \"seed\"\nvalues = [1, 2]\n[[axes]]\nset = [\"pools.servers.staff\", \"modes.customers.arrivals.rate_per_hour\"]\nvalues = [[3, 2.0], [4, 3.0]]\n",
            s(&repo("scenarios/validation/mmc.toml"))
        ),
    )
    .unwrap();
    let listing = ok(&["sweep", s(&path), "--dry-run"]);
    assert!(listing.contains("4 variants, 8 jobs"), "{listing}");
    assert!(
        listing
            .contains("1: seed=1 pools.servers.staff=4 modes.customers.arrivals.rate_per_hour=3.0"),
        "{listing}"
    );
    let out = tmp.path().join("o");
    ok(&[
        "sweep",
        s(&path),
        "--set",
        "horizon_days=40",
        "--out",
        s(&out),
    ]);
    let csv = String::from_utf8(read(&out, "results.csv")).unwrap();
    assert!(csv.starts_with("seed,pools.servers.staff,modes.customers.arrivals.rate_per_hour,"));
    assert!(
        csv.lines().nth(4).unwrap().starts_with("2,4,3.0,2,"),
        "{csv}"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path(), "grid.toml", "");
    let out = portsim()
        .args(["sweep", s(&sweep), "--set", "horizon_days=40"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("ETA"), "{err}");
    assert_eq!(err.lines().count(), 1, "only the closing line: {err}");
    assert!(err.contains("4 variants, 16 jobs"), "{err}");
}

#[test]
fn bad_sweeps_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let mmc = repo("scenarios/validation/mmc.toml");
    let write = |name: &str, body: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, format!("scenario = {:?}\n{body}", s(&mmc))).unwrap();
        p
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write(
                "unknown.toml",
                "replicas = 3\n[[axes]]\nset = \"policy\"\nvalues = [\"a\"]\n",
            ),
            "unknown.toml:2",
        ),
        (
            write(
                "both.toml",
                "variants = [{ seed = 1 }]\n[[axes]]\nset = \"seed\"\nvalues = [1]\n",
            ),
            "not both",
        ),
        (write("none.toml", "seed = 2\n"), "expected [[axes]]"),
        (
            write("empty.toml", "[[axes]]\nset = \"seed\"\nvalues = []\n"),
            "empty.toml:4",
        ),
        (
            write(
                "dup.toml",
                "[[axes]]\nset = \"seed\"\nvalues = [1]\n[[axes]]\nset = \"seed\"\nvalues = [2]\n",
            ),
            "already an axis",
        ),
        (
            write(
                "path.toml",
                "[[axes]]\nset = \"pools.nobody.staff\"\nvalues = [1]\n",
            ),
            "path.toml:4",
        ),
        (
            write(
                "value.toml",
                "[[axes]]\nset = \"pools.servers.staff\"\nvalues = [2, -1]\n",
            ),
            "value.toml:4",
        ),
        (
            write(
                "linked.toml",
                "[[axes]]\nset = [\"seed\", \"pools.servers.staff\"]\nvalues = [[1, 3], [2]]\n",
            ),
            "linked.toml:4",
        ),
    ];
    for (file, expect) in &cases {
        let err = bad(&["sweep", s(file)]);
        assert!(err.contains(expect), "{}: {err}", file.display());
    }
    let good = sweep_file(tmp.path(), "good.toml", "");
    let err = bad(&["sweep", s(&good), "--set", "pools.servers.staff=9"]);
    assert!(err.contains("varies"), "{err}");
    let err = bad(&["sweep", s(&good), "--shard", "3/2", "--out", "x"]);
    assert!(err.contains("I/N"), "{err}");
    let err = bad(&[
        "sweep",
        s(&good),
        "--shard",
        "1/2",
        "--out",
        "x",
        "--precision",
        "1%",
    ]);
    assert!(err.contains("--precision"), "{err}");
    let err = bad(&["sweep", s(&good), "--precision", "150%"]);
    assert!(err.contains("--precision"), "{err}");
    let err = bad(&["sweep", s(&good), "--resume"]);
    assert!(err.contains("--out"), "{err}");
    let err = bad(&["sweep", s(&tmp.path().join("missing.toml"))]);
    assert!(err.contains("cannot read the sweep file"), "{err}");
}

#[test]
fn variants_that_share_their_first_days_give_each_their_own_runs_figures() {
    // mmc.toml with nine busier days from day 30 (2024-01-31): staff 3 or 4 (apart from
    // the start) × the rush's extra hands 0, 1, 2. With extra hands, a variant has a
    // change of staff pending at the rush; so 1 and 2 share their first 30 days, as do
    // 4 and 5; 0 and 3 (none) run on their own.
    let tmp = tempfile::tempdir().unwrap();
    let scenario = mmc_with_rush(tmp.path());
    let sweep = tmp.path().join("rush-sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 3\nseed = 4\n\n[[axes]]\nset = \"pools.servers.staff\"\n\
             values = [3, 4]\n\n[[axes]]\nset = \"peaks.rush.extra_staff.servers\"\nvalues = [0, 1, 2]\n",
            s(&scenario)
        ),
    )
    .unwrap();
    let horizon = "horizon_days=50";
    let run = |out: &str, extra: &[&str]| {
        let out = tmp.path().join(out);
        let mut args = vec!["sweep", s(&sweep), "--set", horizon, "--out", s(&out)];
        args.extend_from_slice(extra);
        let o = portsim().args(&args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (out, String::from_utf8(o.stderr).unwrap())
    };
    let (one, notes) = run("one", &["--jobs", "1"]);
    for group in ["variants 1, 2 ", "variants 4, 5 "] {
        let note = format!(
            "{group}run alike until 2024-01-31 00:00: each replication's days before it run once"
        );
        assert!(notes.contains(&note), "{notes}");
    }
    assert_eq!(notes.matches("run alike until").count(), 2, "{notes}");
    // Whatever the threads and slices.
    let (two, _) = run("two", &["--jobs", "2"]);
    same_results(&one, &two);
    let shards: Vec<PathBuf> = (1..=4)
        .map(|i| run(&format!("shard{i}"), &["--shard", &format!("{i}/4")]).0)
        .collect();
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged)]);
    ok(&args);
    same_results(&one, &merged);
    // Each variant's summary is its scenario's own run, from the start, bit for bit.
    let results: serde_json::Value = serde_json::from_slice(&read(&one, "results.json")).unwrap();
    let variants = results["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 6);
    for v in variants {
        let staff = format!("pools.servers.staff={}", v["values"]["pools.servers.staff"]);
        let extra = format!(
            "peaks.rush.extra_staff.servers={}",
            v["values"]["peaks.rush.extra_staff.servers"]
        );
        let own: serde_json::Value = serde_json::from_str(&ok(&[
            "run",
            s(&scenario),
            "--set",
            horizon,
            "--set",
            &staff,
            "--set",
            &extra,
            "--replications",
            "3",
            "--seed",
            "4",
            "--json",
        ]))
        .unwrap();
        for key in ["overall", "modes", "pools", "officer_hours", "events"] {
            assert_eq!(v["summary"][key], own[key], "{staff} {extra}: {key}");
        }
    }
}
