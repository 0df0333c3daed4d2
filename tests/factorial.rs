//! A two-level factorial sweep reports its effects: each change alone and their
//! interaction, paired by replication, summing exactly to the factorial's total.

use portsim::api::sweep::{SweepRequest, sweep};
use portsim::api::{Silent, SimSettings};
use portsim::experiment::Summary;
use portsim::results::sweep::SweepResults;

use crate::support::{ok, repo};

/// M/M/c staff 3 → 4 and arrivals 2.0 → 2.5 an hour: a 2 × 2 factorial.
fn factorial_sweep(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("factorial.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 6\nseed = 3\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [2.0, 2.5]\n",
            repo("scenarios/validation/mmc.toml").to_str().unwrap()
        ),
    )
    .unwrap();
    path
}

/// `portsim sweep FILE` on 60 days with 3 replications, quiet, then `extra`.
fn short_sweep<'a>(file: &'a std::path::Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "horizon_days=60",
        "--replications",
        "3",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn effects_have_the_signs_queueing_gives_and_sum_to_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let request = SweepRequest {
        file: factorial_sweep(dir.path()),
        sim: SimSettings {
            set: vec!["horizon_days=120".into()],
            ..SimSettings::default()
        },
        ..SweepRequest::default()
    };
    let outcome = sweep(&request, &Silent).unwrap();
    let e = outcome.effects.expect("a 2 × 2 factorial");
    let names: Vec<String> = e.effects.iter().map(|x| x.factors.join(" × ")).collect();
    assert_eq!(
        names,
        [
            "pools.servers.staff",
            "modes.customers.arrivals.rate_per_hour",
            "pools.servers.staff × modes.customers.arrivals.rate_per_hour"
        ]
    );
    // More officers clear faster, more arrivals slower, each beyond its interval; and
    // an officer more helps most when arrivals are heavier (a negative interaction).
    let [staff, rate, both] = [&e.effects[0], &e.effects[1], &e.effects[2]];
    assert!(staff.value.ci95.unwrap()[1] < 0.0, "{staff:?}");
    assert!(rate.value.ci95.unwrap()[0] > 0.0, "{rate:?}");
    assert!(both.value.mean < 0.0, "{both:?}");
    let sum: f64 = e.effects.iter().map(|x| x.value.mean).sum();
    assert!((sum - e.total.mean).abs() < 1e-9, "{sum} vs {:?}", e.total);
    assert_eq!((e.replications, e.most_replications), (6, 6));

    // results.json carries them, and reads back as its type with the same bytes.
    let json = outcome.document.expect("a complete sweep's document");
    let doc: SweepResults<Summary> = serde_json::from_str(&json).unwrap();
    let effects = doc.effects.as_ref().expect("effects in results.json");
    assert_eq!(effects.figure, "clearance_mean_hours");
    assert_eq!(effects.effects.len(), 3);
    assert_eq!(effects.effects[2].mean, both.value.mean);
    assert_eq!(effects.total.mean, e.total.mean);
    assert_eq!(effects.replications, 6);
    assert_eq!(doc.to_json(), json);
}

/// Under `--precision` the variants may end with different numbers of replications; the
/// effects pair the first ones, which every variant has, and the table and
/// results.json say how many.
#[test]
fn under_precision_the_effects_say_which_replications_they_pair() {
    let dir = tempfile::tempdir().unwrap();
    let file = factorial_sweep(dir.path());
    let out_dir = dir.path().join("out");
    // 4 % of the mean within 3 to 12 replications: the heavier variants need more.
    let out = ok(&short_sweep(
        &file,
        &[
            "--precision",
            "4%",
            "--batch",
            "3",
            "--max-replications",
            "12",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    ));
    let doc: SweepResults<Summary> =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("results.json")).unwrap())
            .unwrap();
    let counts: Vec<u32> = doc
        .variants
        .iter()
        .map(|v| v.summary.replications)
        .collect();
    let (fewest, most) = (*counts.iter().min().unwrap(), *counts.iter().max().unwrap());
    assert!(
        most > fewest,
        "every variant ran {counts:?}: pick a tighter precision"
    );
    let effects = doc.effects.as_ref().expect("effects in results.json");
    assert_eq!(effects.replications, fewest as usize, "{counts:?}");
    assert!(
        out.contains(&format!("paired by replication, {fewest} replications")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "the first {fewest} of every variant; the further replications of some, up to {most} under --precision, are not paired"
        )),
        "{out}"
    );
}

#[test]
fn the_sweep_table_shows_them_and_a_sweep_that_is_not_factorial_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let file = factorial_sweep(dir.path());
    let out = ok(&short_sweep(&file, &[]));
    assert!(out.contains("Effects on the mean clearance time"), "{out}");
    assert!(out.contains("pools.servers.staff: 3 → 4"), "{out}");
    assert!(out.contains("total"), "{out}");
    let three = dir.path().join("three.toml");
    std::fs::write(
        &three,
        format!(
            "scenario = {:?}\nreplications = 2\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4, 5]\n",
            repo("scenarios/validation/mmc.toml").to_str().unwrap()
        ),
    )
    .unwrap();
    let out = ok(&[
        "sweep",
        three.to_str().unwrap(),
        "--set",
        "horizon_days=60",
        "--quiet",
    ]);
    assert!(!out.contains("Effects"), "{out}");
    let json = ok(&[
        "sweep",
        three.to_str().unwrap(),
        "--set",
        "horizon_days=60",
        "--quiet",
        "--json",
    ]);
    assert!(!json.contains("\"effects\""), "{json}");
}
