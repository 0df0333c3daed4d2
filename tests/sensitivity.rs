//! `portsim sensitivity`: one-at-a-time changes paired with the base run, checked against
//! Erlang C; the same bytes for any thread count; the policy effect equal to what
//! `compare` finds at each value; the document read back as itself; bad input (exit 2).

use std::sync::Mutex;
use std::sync::atomic::Ordering;

use portsim::api::sensitivity::{SensitivityRequest, sensitivity};
use portsim::api::{Collect, ErrorKind, Observer, SimSettings};
use portsim::report::export::{Export, Format};
use portsim::results::sensitivity::SensitivityDocument;
use portsim::theory::Mmc;

use crate::support::{MONTH, bad, mmc, ok, repo};

/// M/M/c at 4.5 arrivals an hour, service 1 h, six servers (ρ = 0.75).
const RATE: &str = "modes.customers.arrivals.rate_per_hour=4.5";
const STAFF: &str = "pools.servers.staff=6";

/// `portsim sensitivity` on mmc.toml at RATE and STAFF with `extra`.
fn args(extra: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = ["sensitivity", &mmc(), "--set", RATE, "--set", STAFF]
        .iter()
        .map(|s| s.to_string())
        .collect();
    all.extend(extra.iter().map(|s| s.to_string()));
    all
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn document(text: &str) -> SensitivityDocument {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn inside(x: f64, ci: Option<[f64; 2]>) -> bool {
    let [lo, hi] = ci.expect("an interval");
    lo <= x && x <= hi
}

#[test]
fn staff_plus_and_minus_one_move_the_mean_as_erlang_c_says() {
    let sojourn = |c: u32| Mmc::new(4.5, 1.0, c).unwrap().mean_sojourn();
    // ∓10 % of 6 rounds to 5 and 7 (0.6 of a server, rounded to a whole one).
    let out = ok(&refs(&args(&[
        "--vary",
        "pools.servers.staff",
        "--by",
        "10%",
        "--jobs",
        "2",
        "--json",
    ])));
    let d = document(&out);
    assert_eq!(d.schema, "portsim.sensitivity/1");
    let p = &d.paths[0];
    assert_eq!((p.base, p.low, p.high), (6.0, 5.0, 7.0));
    assert_eq!((p.low_set.as_str(), p.high_set.as_str()), ("5", "7"));
    assert!(d.base.unstable.is_empty() && p.unstable_low.is_empty() && p.unstable_high.is_empty());
    // Each end's change from the base, against the theory's, inside its paired interval;
    // the intervals are narrow enough to tell a wrong model (the change of one server
    // more is a sixth of that of one fewer).
    let (low, high) = (sojourn(5) - sojourn(6), sojourn(7) - sojourn(6));
    for (what, level, theory) in [("low", &p.mean.low, low), ("high", &p.mean.high, high)] {
        let c = level.change;
        assert!(
            inside(theory, c.ci95),
            "{what}: change {:.3} ({:?}) vs Erlang C {theory:.3}",
            c.mean,
            c.ci95
        );
        assert!(
            c.half_width().unwrap() < 0.3 * theory.abs(),
            "{what}: {c:?}"
        );
        assert_eq!(c.mean.signum(), theory.signum(), "{what}");
    }
    assert!(inside(sojourn(6), d.base.figures.mean.ci95));
    assert!(inside(sojourn(5), p.mean.low.value.ci95));
    assert!(inside(sojourn(7), p.mean.high.value.ci95));
    assert!(
        (p.mean.width - (sojourn(5) - sojourn(7))).abs()
            < 3.0 * p.mean.low.change.half_width().unwrap()
    );
    // --range gives the same ends explicitly: the same runs, the same figures.
    let ranged = document(&ok(&refs(&args(&[
        "--vary",
        "pools.servers.staff",
        "--range",
        "pools.servers.staff=5..7",
        "--json",
    ]))));
    assert_eq!(ranged.paths[0].mean, p.mean);
    assert_eq!(ranged.paths[0].from, "range");
}

#[test]
fn the_document_is_the_same_bytes_for_any_thread_count() {
    let run = |jobs: &str| {
        ok(&refs(&args(
            &[
                &MONTH[..],
                &[
                    "--vary",
                    "pools.servers.staff",
                    "--vary",
                    "modes.customers.stages.serve.time",
                    "--jobs",
                    jobs,
                    "--json",
                ],
            ]
            .concat(),
        )))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let d = document(&one);
    // Sorted by the width of the mean's swing, widest first.
    assert!(
        d.paths
            .windows(2)
            .all(|w| w[0].mean.width >= w[1].mean.width)
    );
    assert_eq!(d.paths.iter().map(|p| p.rank).collect::<Vec<_>>(), [1, 2]);
}

/// The business-hours scenario with a round-the-clock roster of one officer added.
const BUSINESS_HOURS: &str = "scenarios/validation/business-hours.toml";
const ROUND_THE_CLOCK: &str =
    r#"pools.servers.rosters.7x24=[{days="Mon-Sun",start="00:00",end="24:00",staff=1}]"#;
const SHORT: [&str; 8] = [
    "--set",
    "horizon_days=42",
    "--set",
    "warmup_days=7",
    "--replications",
    "4",
    "--set",
    ROUND_THE_CLOCK,
];

/// `compare`'s effect 7x24 − business-hours on the mean clearance with `set`.
fn compare_effect(set: Option<&str>) -> (f64, Option<[f64; 2]>) {
    let file = repo(BUSINESS_HOURS).display().to_string();
    let mut a = vec![
        "compare",
        &file,
        "--policies",
        "business-hours,7x24",
        "--json",
    ];
    a.extend(SHORT);
    if let Some(s) = set {
        a.extend(["--set", s]);
    }
    let v: serde_json::Value = serde_json::from_str(&ok(&a)).unwrap();
    let d = &v["overall"]["difference"];
    let ci = d["ci95"]
        .as_array()
        .map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]);
    (d["mean"].as_f64().unwrap(), ci)
}

#[test]
fn with_two_policies_the_figure_is_the_effect_compare_finds_at_each_value() {
    let file = repo(BUSINESS_HOURS).display().to_string();
    let mut a = vec![
        "sensitivity",
        &file,
        "--policies",
        "business-hours,7x24",
        "--vary",
        "modes.customers.arrivals.rate_per_hour",
        "--json",
    ];
    a.extend(SHORT);
    let d = document(&ok(&a));
    assert_eq!(
        d.policies,
        Some(["business-hours".to_string(), "7x24".to_string()])
    );
    let p = &d.paths[0];
    assert_eq!((p.low_set.as_str(), p.high_set.as_str()), ("1.5", "2.5"));
    let base = compare_effect(None);
    let low = compare_effect(Some("modes.customers.arrivals.rate_per_hour=1.5"));
    let high = compare_effect(Some("modes.customers.arrivals.rate_per_hour=2.5"));
    assert_eq!((d.base.figures.mean.mean, d.base.figures.mean.ci95), base);
    assert_eq!((p.mean.low.value.mean, p.mean.low.value.ci95), low);
    assert_eq!((p.mean.high.value.mean, p.mean.high.value.ci95), high);
    assert!(base.0 < 0.0, "round the clock clears faster: {base:?}");
    // The change is of the effect (a difference in differences), paired by replication.
    assert!((p.mean.low.change.mean - (low.0 - base.0)).abs() < 1e-9);
    assert!((p.mean.width - (high.0 - low.0).abs()).abs() < 1e-12);
    // The table names the effect.
    let mut t = a.clone();
    t.retain(|x| *x != "--json");
    let table = ok(&t);
    assert!(
        table.contains("policy effect business-hours → 7x24"),
        "{table}"
    );
    assert!(table.contains("effect at low"), "{table}");
}

#[test]
fn the_document_reads_back_as_itself_and_the_files_match_it() {
    let dir = tempfile::tempdir().unwrap();
    let (out, plots) = (dir.path().join("out"), dir.path().join("plots"));
    let text = ok(&refs(&args(
        &[
            &MONTH[..],
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "modes.customers.stages.serve.time=45m..75m",
                "--vary",
                "modes.customers.stages.serve.time",
                "--json",
                "--out",
                out.to_str().unwrap(),
                "--plots",
                plots.to_str().unwrap(),
            ],
        ]
        .concat(),
    )));
    let d = document(&text);
    assert_eq!(d.to_json().trim_end(), text.trim_end());
    let written = std::fs::read_to_string(out.join("sensitivity.json")).unwrap();
    assert_eq!(written, d.to_json());
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("estimate_hours") && header.contains("change_ci95_low_hours"));
    // Two paths × three levels × two figures.
    assert_eq!(csv.lines().count(), 1 + 2 * 3 * 2);
    let dist = d.paths.iter().find(|p| p.kind == "distribution").unwrap();
    assert_eq!(
        (dist.low, dist.high, dist.from.as_str()),
        (0.75, 1.25, "range")
    );
    for f in [
        "tornado.png",
        "tornado.svg",
        "tornado-p90.png",
        "tornado-p90.svg",
    ] {
        assert!(plots.join(f).is_file(), "{f}");
    }
}

#[test]
fn bad_input_is_one_message_naming_the_flag_and_path() {
    let cases: [(&[&str], &[&str]); 12] = [
        (
            &["--vary", "pools.nobody.staff"],
            &["--vary pools.nobody.staff", "no element", "servers"],
        ),
        (
            &["--vary", "pools.servers.name"],
            &["--vary pools.servers.name", "expected a number"],
        ),
        (
            &["--vary", "pools.servers.overtime"],
            &["--vary pools.servers.overtime", "no key"],
        ),
        (
            &["--vary", "pools.servers.staff", "--by", "abc"],
            &["--by", "abc"],
        ),
        (
            &["--vary", "pools.servers.staff", "--by", "-5%"],
            &["--by", "between 0 and 100"],
        ),
        (
            &["--vary", "pools.servers.staff", "--by", "150%"],
            &["--by", "between 0 and 100"],
        ),
        (
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "pools.servers.staff=2-4",
            ],
            &["--range", "PATH=LOW..HIGH"],
        ),
        (
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "pools.servers.staff=7..5",
            ],
            &["--range pools.servers.staff=7..5", "must be below"],
        ),
        (
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "pools.servers.staff=4.5..7",
            ],
            &["--range pools.servers.staff=4.5..7", "whole number"],
        ),
        (
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "modes.customers.arrivals.rate_per_hour=1..2",
            ],
            &[
                "--range",
                "not varied",
                "--vary modes.customers.arrivals.rate_per_hour",
            ],
        ),
        (
            &[
                "--vary",
                "pools.servers.staff",
                "--range",
                "pools.servers.staff=-1..7",
            ],
            &["--vary pools.servers.staff (low value -1)"],
        ),
        (
            &[
                "--vary",
                "modes.customers.stages.serve.time",
                "--range",
                "modes.customers.stages.serve.time=0h..2h",
            ],
            &["--vary modes.customers.stages.serve.time (low value mean 0h)"],
        ),
    ];
    for (extra, words) in cases {
        let err = bad(&refs(&args(extra)));
        for w in words {
            assert!(err.contains(w), "{extra:?}: {err}");
        }
    }
    // Shares that no longer sum to 1: the path and the value named.
    let flagship = repo("scenarios/chongqing-2017.toml").display().to_string();
    let err = bad(&[
        "sensitivity",
        &flagship,
        "--vary",
        "modes.road.channels.green-auto.share",
    ]);
    assert!(
        err.contains("--vary modes.road.channels.green-auto.share (low value 0.212625)")
            && err.contains("shares must sum to 1"),
        "{err}"
    );
    let err = bad(&refs(&args(&[
        "--vary",
        "pools.servers.staff",
        "--policy",
        "x",
        "--policies",
        "a,b",
    ])));
    assert!(err.contains("--policies"), "{err}");
}

/// Keeps warnings and every progress report.
#[derive(Default)]
struct Watch {
    warnings: Mutex<Vec<String>>,
    progress: Mutex<Vec<(u64, u64)>>,
}

impl Observer for Watch {
    fn warning(&self, text: &str) {
        self.warnings.lock().unwrap().push(text.into());
    }

    fn progress(&self, done: u64, total: u64) {
        self.progress.lock().unwrap().push((done, total));
    }
}

#[test]
fn through_the_api_overloaded_ends_are_warned_about_and_progress_is_reported() {
    // M/M/3 at ρ = 0.9: two servers (3 ∓ 25 %) are overloaded.
    let request = SensitivityRequest {
        scenario: repo("scenarios/validation/mmc.toml"),
        vary: vec!["pools.servers.staff".into()],
        sim: SimSettings {
            set: vec!["horizon_days=30".into(), "warmup_days=1".into()],
            replications: Some(3),
            ..SimSettings::default()
        },
        ..SensitivityRequest::default()
    };
    let watch = Watch::default();
    let outcome = sensitivity(&request, &watch).unwrap();
    let d = &outcome.document;
    let p = &d.paths[0];
    assert_eq!((p.low, p.high), (2.0, 4.0));
    assert!(
        !p.unstable_low.is_empty() && p.unstable_high.is_empty(),
        "{p:?}"
    );
    let warnings = watch.warnings.lock().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("pools.servers.staff = 2") && w.contains("overloaded")),
        "{warnings:?}"
    );
    // Three runs of three replications, reported as each run ends.
    let progress = watch.progress.lock().unwrap();
    assert_eq!(progress.first(), Some(&(0, 9)));
    assert_eq!(progress.last(), Some(&(9, 9)));
    let table = d.render(Format::Table);
    assert!(table.contains("2 (low): pool \"servers\""), "{table}");
    // The same document as the command line's.
    let cli = ok(&[
        "sensitivity",
        &mmc(),
        "--vary",
        "pools.servers.staff",
        "--set",
        "horizon_days=30",
        "--set",
        "warmup_days=1",
        "--replications",
        "3",
        "--json",
    ]);
    assert_eq!(d.to_json().trim_end(), cli.trim_end());
    // A path that is not in the scenario: bad input, located.
    let wrong = SensitivityRequest {
        vary: vec!["pools.nobody.staff".into()],
        ..request.clone()
    };
    let e = sensitivity(&wrong, &Collect::default()).err().unwrap();
    assert_eq!(e.kind, ErrorKind::BadInput);
    assert_eq!(e.flag.as_deref(), Some("--vary pools.nobody.staff"));
    assert_eq!(e.key.as_deref(), Some("pools.nobody.staff"));
    assert!(e.file.as_deref().is_some_and(|f| f.ends_with("mmc.toml")));
    // A stop request before the first run: nothing runs.
    let stopped = Collect::default();
    stopped.stop.store(true, Ordering::SeqCst);
    let e = sensitivity(&request, &stopped).err().unwrap();
    assert_eq!(e.kind, ErrorKind::Interrupted);
}
