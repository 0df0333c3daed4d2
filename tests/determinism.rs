//! Same seed → byte-identical JSON (apart from `wall_seconds`), whatever the thread count.

use crate::support::{first, model, portsim, repo, run};

fn summary_json(args: &[&str], threads: &str) -> String {
    let out = portsim()
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // Blank out the one field that measures the machine, not the model.
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with("\"wall_seconds\"") {
                "  \"wall_seconds\": _,"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn same_seed_same_bytes_for_one_and_two_threads() {
    for file in [
        "scenarios/validation/mmc.toml",
        "scenarios/validation/business-hours.toml",
    ] {
        let path = repo(file);
        let args = [
            "run",
            path.to_str().unwrap(),
            "--json",
            "--replications",
            "6",
            "--set",
            "horizon_days=120",
        ];
        let one = summary_json(&args, "1");
        let again = summary_json(&args, "1");
        let two = summary_json(&args, "2");
        assert_eq!(one, again, "{file}: two runs with the same seed differ");
        assert_eq!(one, two, "{file}: 1 and 2 threads differ");
        let jobs: Vec<&str> = args.iter().copied().chain(["--jobs", "2"]).collect();
        assert_eq!(one, summary_json(&jobs, "1"), "{file}: --jobs 2 differs");
        // A different seed gives different results.
        let other: Vec<&str> = args.iter().copied().chain(["--seed", "2"]).collect();
        assert_ne!(
            one,
            summary_json(&other, "1"),
            "{file}: the seed has no effect"
        );
    }
}

/// A replication depends on the seed and its own number only, not on how many run beside
/// it: the first three of six summarise exactly as a run of three (tests share one run
/// of a flagship file this way, `support::first`).
#[test]
fn the_first_replications_of_a_longer_run_are_the_shorter_run() {
    let sets = ["horizon_days=21", "warmup_days=7"];
    let six = model(
        "scenarios/chongqing-2017.toml",
        &[sets[0], sets[1], "replications=6"],
    );
    let three = model(
        "scenarios/chongqing-2017.toml",
        &[sets[0], sets[1], "replications=3"],
    );
    let (results, _) = run(&six);
    let json = |s: &portsim::experiment::Summary| serde_json::to_string(s).unwrap();
    let run_of_three = json(&run(&three).1);
    assert_eq!(json(&first(&three, &results, 3)), run_of_three);
    // And a different three are not the same.
    assert_ne!(json(&first(&three, &results[3..], 3)), run_of_three);
}
