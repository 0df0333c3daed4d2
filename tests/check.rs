//! `portsim check`: a baseline recorded, then checked against unchanged and changed
//! scenarios, by both methods; JUnit XML and JSON; bad input.

use std::path::Path;

use crate::support::{bad, ok, portsim, repo};

/// A copy of the M/M/3 validation scenario in `dir`, with `staff` servers.
fn scenario(dir: &Path, staff: u32) -> String {
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml"))
        .unwrap()
        .replace("staff = 3 ", &format!("staff = {staff} "));
    let path = dir.join("mmc.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Records a baseline of the scenario with four servers.
fn record(dir: &Path) -> (String, String) {
    let s = scenario(dir, 4);
    let b = dir.join("baseline.json").display().to_string();
    ok(&["check", &s, "--baseline", &b, "--update"]);
    (s, b)
}

/// Runs `portsim check ARGS`; returns (exit code, stdout, stderr).
fn check(args: &[&str]) -> (i32, String, String) {
    let out = portsim().arg("check").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn unchanged_scenarios_pass_by_both_methods() {
    let dir = tempfile::tempdir().unwrap();
    let (s, b) = record(dir.path());
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b).unwrap()).unwrap();
    let entry = &baseline["entries"][0];
    assert_eq!(baseline["schema"], "portsim.baseline/1");
    assert_eq!(entry["file"], "mmc.toml", "relative to the baseline");
    assert_eq!(entry["seed"], 1);
    assert_eq!(entry["replications"], 10);
    assert_eq!(entry["portsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(entry["file_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        entry["measures"]["overall.clearance_hours.mean"]["values"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    for method in ["statistical", "exact"] {
        let (code, out, err) = check(&[&s, "--baseline", &b, "--method", method]);
        assert_eq!(code, 0, "{method}: {out}{err}");
        assert!(
            out.contains("mmc.toml (M/M/3): pass, 16 figures compared"),
            "{out}"
        );
        assert!(
            out.contains("16 figures identical to the baseline"),
            "{out}"
        );
        assert!(
            out.trim_end()
                .ends_with("PASS: nothing moved (16 figures in 1 scenarios)")
        );
    }
    // The heading's counts add up to the figures compared: 15 tested and the flag.
    let (_, out, _) = check(&[&s, "--baseline", &b]);
    assert!(
        out.starts_with("portsim check (statistical): paired t-tests (replications share random numbers) at 95 % with Holm's correction over 15 figures, beside the unstable flag, which must match;"),
        "{out}"
    );
}

#[test]
fn one_officer_fewer_fails_with_a_table_and_junit() {
    let dir = tempfile::tempdir().unwrap();
    let (_, b) = record(dir.path());
    // One officer fewer: 4 → 3 servers, utilisation 0.675 → 0.9.
    let s = scenario(dir.path(), 3);
    let junit = dir.path().join("check.xml");
    let (code, out, err) = check(&[&s, "--baseline", &b, "--junit", junit.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("error: check failed:"), "{err}");
    assert!(out.contains("mmc.toml (M/M/3): FAIL"), "{out}");
    assert!(
        out.contains("note: the scenario file changed since the baseline (sha256 "),
        "{out}"
    );
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("overall.clearance_hours.mean"))
        .expect("the mean clearance time row");
    assert!(
        row.contains("MOVED") && row.contains("paired t p < 0.0001"),
        "{row}"
    );
    assert!(row.contains("1.3019") && row.contains("3.8201"), "{row}");
    assert!(row.contains("+193.4 %"), "{row}");
    assert!(out.contains("pools.servers.staff_hours"), "{out}");

    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suite = root
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("mmc.toml"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 16);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert!(
        failed.contains(&"overall.clearance_hours.mean"),
        "{failed:?}"
    );
    assert!(
        !failed.contains(&"overall.arrivals"),
        "arrivals did not move"
    );
    assert_eq!(
        suite.attribute("failures").unwrap(),
        failed.len().to_string()
    );
}

#[test]
fn another_seed_is_noise_to_the_statistical_method_but_not_to_exact() {
    let dir = tempfile::tempdir().unwrap();
    let (s, b) = record(dir.path());
    let (code, out, _) = check(&[&s, "--baseline", &b, "--seed", "2"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("note: seed 1 → 2"), "{out}");
    // Nothing to pair: Welch's test, and the heading and a note say so.
    assert!(
        out.starts_with("portsim check (statistical): Welch tests (replications independent of the baseline's) at 95 %"),
        "{out}"
    );
    assert!(
        out.contains("note: no replication shares its random numbers with the baseline's: Welch tests, unpaired"),
        "{out}"
    );
    assert!(!out.contains("paired t p"), "{out}");
    assert!(
        out.contains(" ok"),
        "values changed within the noise: {out}"
    );
    let (code, out, _) = check(&[&s, "--baseline", &b, "--seed", "2", "--method", "exact"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("identical") && out.contains("MOVED"), "{out}");
}

#[test]
fn a_half_percent_slower_service_moves_the_mean_by_pairing() {
    // The same seed and replications as the baseline: replication r of each draws the
    // same random numbers, so a service 0.5 % slower lifts every replication's mean
    // clearance alike (+4.8 %). Welch's test, taking the runs as independent samples,
    // passed this change (p = 0.39).
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    let s = dir.path().join("mmc.toml");
    std::fs::write(&s, &text).unwrap();
    let s = s.display().to_string();
    let b = dir.path().join("baseline.json").display().to_string();
    ok(&["check", &s, "--baseline", &b, "--update"]);

    let slower = text.replace("mean = \"1h\"", "mean = \"1.005h\"");
    assert_ne!(slower, text, "the service time is where it was");
    std::fs::write(&s, &slower).unwrap();
    let (code, out, err) = check(&[&s, "--baseline", &b]);
    assert_eq!(code, 1, "{out}{err}");
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("overall.clearance_hours.mean"))
        .expect("the mean clearance time row");
    assert!(
        row.contains("+4.8 %") && row.contains("paired t p < 0.0001"),
        "{row}"
    );
    assert!(row.trim_end().ends_with("MOVED"), "{row}");

    // The unchanged file still passes.
    std::fs::write(&s, &text).unwrap();
    let (code, out, err) = check(&[&s, "--baseline", &b]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("PASS: nothing moved"), "{out}");
}

#[test]
fn json_and_update_keep_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (s, b) = record(dir.path());
    let other = dir.path().join("md1.toml");
    std::fs::copy(repo("scenarios/validation/md1.toml"), &other).unwrap();
    let other = other.display().to_string();
    ok(&["check", &other, "--baseline", &b, "--update"]);
    let text = ok(&["check", &s, &other, "--baseline", &b, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(v["schema"], "portsim.check/1");
    assert_eq!(v["passed"], true);
    assert_eq!(v["method"], "statistical");
    let files: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["mmc.toml", "md1.toml"]);
}

#[test]
fn the_baseline_is_found_from_any_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (_, b) = record(dir.path());
    // Same files, named relative to the directory portsim runs in.
    let out = portsim()
        .current_dir(dir.path())
        .args(["check", "mmc.toml", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let out = portsim()
        .current_dir(&sub)
        .args(["check", "../mmc.toml", "--baseline", &b])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), 3);
    let b = dir.path().join("baseline.json").display().to_string();
    let e = bad(&["check", &s, "--baseline", &b]);
    assert!(
        e.contains("no such baseline; record one with --update"),
        "{e}"
    );

    std::fs::write(
        &b,
        "{\n  \"schema\": \"portsim.baseline/1\",\n  \"entries\": [}\n",
    )
    .unwrap();
    let e = bad(&["check", &s, "--baseline", &b]);
    assert!(
        e.contains("baseline.json: line 3: not a portsim baseline"),
        "{e}"
    );

    std::fs::write(&b, "{\"schema\": \"portsim.baseline/1\", \"entries\": []}").unwrap();
    let e = bad(&["check", &s, "--baseline", &b]);
    assert!(
        e.contains("no entry for") && e.contains("\"mmc.toml\""),
        "{e}"
    );

    let e = bad(&["check", &s, "--baseline", &b, "--tolerance", "x"]);
    assert!(e.contains("--tolerance"), "{e}");
    let e = bad(&["check", &s, "--baseline", &b, "--method", "fuzzy"]);
    assert!(e.contains("fuzzy"), "{e}");
    let e = bad(&["check", &s]);
    assert!(e.contains("--baseline"), "{e}");
    // Recording is not a test: no JUnit report of it.
    let e = bad(&[
        "check",
        &s,
        "--baseline",
        &b,
        "--update",
        "--junit",
        "x.xml",
    ]);
    assert!(e.contains("--junit") && e.contains("--update"), "{e}");
    let e = bad(&[
        "check",
        &s,
        "--baseline",
        &b,
        "--set",
        "pools.servers.staff=x",
    ]);
    assert!(e.contains("staff"), "{e}");
}

#[test]
fn update_shows_what_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), 4);
    let b = dir.path().join("baseline.json").display().to_string();
    let (code, out, err) = check(&[&s, "--baseline", &b, "--update"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "", "a first recording has nothing to compare");
    assert!(err.contains("(1 new, 0 replaced"), "{err}");

    // One officer fewer, recorded: the table says what the new entry changes.
    scenario(dir.path(), 3);
    let (code, out, err) = check(&[&s, "--baseline", &b, "--update"]);
    assert_eq!(code, 0, "an update is not a failure: {out}{err}");
    assert!(out.contains("mmc.toml (M/M/3): updated, "), "{out}");
    assert!(out.contains("overall.clearance_hours.mean"), "{out}");
    assert!(out.contains("MOVED") && out.contains("\nUPDATE: "), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
    assert!(err.contains("(0 new, 1 replaced with "), "{err}");

    // The new baseline holds: the same scenario now passes.
    let (code, out, _) = check(&[&s, "--baseline", &b]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("PASS: nothing moved"), "{out}");
}
