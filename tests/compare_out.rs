//! `compare --out DIR`: the comparison kept — compare.json with every replication's
//! values of both sides, the paired differences and both summaries; a tidy compare.csv;
//! each side's resolved scenario — written as one set under the output rules; and
//! `portsim plot` redrawing the figures from it.

use serde_json::Value;

use crate::support::{mmc, portsim};

fn compare_into(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = dir.join("cmp");
    let mut args = vec![
        "compare".to_string(),
        mmc(),
        "--set".into(),
        "horizon_days=60".into(),
        "--replications".into(),
        "4".into(),
        "--set-b".into(),
        "pools.servers.staff=4".into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    portsim().args(&args).output().unwrap()
}

#[test]
fn the_kept_comparison_has_every_replication_and_redraws() {
    let dir = tempfile::tempdir().unwrap();
    let out = compare_into(dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp = dir.path().join("cmp");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(cmp.join("compare.json")).unwrap()).unwrap();
    assert_eq!(doc["schema"], "portsim.compare/1");
    let values = doc["per_replication"].as_array().unwrap();
    let overall = values
        .iter()
        .find(|v| v["entity"] == "overall" && v["figure"] == "clearance_mean")
        .unwrap();
    let nums = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let (a, b, d) = (
        nums(&overall["a"]),
        nums(&overall["b"]),
        nums(&overall["difference"]),
    );
    assert_eq!((a.len(), b.len(), d.len()), (4, 4, 4));
    for i in 0..4 {
        assert!((d[i] - (b[i] - a[i])).abs() < 1e-12);
    }
    // The mean of the per-replication values is the document's own A and B.
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((mean(&a) - doc["overall"]["a"]["mean"].as_f64().unwrap()).abs() < 1e-9);
    assert!((mean(&d) - doc["overall"]["difference"]["mean"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(doc["summaries"].as_array().unwrap().len(), 2);

    // The tidy CSV: a row per replication × entity × figure, the same numbers.
    let mut csv = csv::Reader::from_path(cmp.join("compare.csv")).unwrap();
    let head: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head,
        [
            "replication",
            "entity",
            "figure",
            "unit",
            "a",
            "b",
            "b_minus_a"
        ]
    );
    assert!(head.iter().all(|h| !h.contains(' ')));
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4 * values.len());
    let first = rows
        .iter()
        .find(|r| &r[1] == "overall" && &r[2] == "clearance_mean" && &r[0] == "0")
        .unwrap();
    assert_eq!(first[4].parse::<f64>().unwrap(), a[0]);
    assert_eq!(first[6].parse::<f64>().unwrap(), d[0]);

    // Each side's scenario, resolved: B has its fourth officer.
    let b_toml = std::fs::read_to_string(cmp.join("scenario-b.toml")).unwrap();
    let a_toml = std::fs::read_to_string(cmp.join("scenario-a.toml")).unwrap();
    assert!(
        b_toml.contains("staff = 4") && a_toml.contains("staff = 3"),
        "{a_toml}\n{b_toml}"
    );

    // Redrawn from the file alone.
    let figures = dir.path().join("figures");
    let plot = portsim()
        .args([
            "plot",
            &cmp.join("compare.json").display().to_string(),
            "--out",
        ])
        .arg(&figures)
        .output()
        .unwrap();
    assert!(
        plot.status.success(),
        "{}",
        String::from_utf8_lossy(&plot.stderr)
    );
    assert!(figures.join("clearance-ecdf.png").exists());
    let html = std::fs::read_to_string(figures.join("report.html")).unwrap();
    assert!(html.contains("B − A"), "the difference table");
}

#[test]
fn compare_out_follows_the_output_rules() {
    let dir = tempfile::tempdir().unwrap();
    // A folder holding someone else's file is refused, and left as it was.
    let cmp = dir.path().join("cmp");
    std::fs::create_dir(&cmp).unwrap();
    std::fs::write(cmp.join("compare.json"), "mine").unwrap();
    let out = compare_into(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(cmp.join("compare.json")).unwrap(),
        "mine"
    );
    // --force replaces it; a second run replaces portsim's own files without it.
    assert!(compare_into(dir.path(), &["--force"]).status.success());
    assert!(compare_into(dir.path(), &[]).status.success());
    // --out and --plots may not be one folder.
    let out = compare_into(dir.path(), &["--plots", &cmp.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one directory"));
}
