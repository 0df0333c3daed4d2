//! Officer-hours by kind (regular, on-call, overtime) and in total, and the optional
//! `[cost]` weights, wherever figures appear: the summary (JSON and table),
//! `replications.csv`, a sweep's `results.csv` and table, `compare` and `staff`.

use serde_json::Value;

use crate::support::{mmc, ok, portsim, rejected_text};

/// One general officer Mon–Fri 09:00–17:00 (40 h in the week), one on call every night
/// 17:00–09:00 (16 h × 7 = 112 h). A general shipment arriving Wednesday 16:50 for 30
/// minutes keeps its officer 20 minutes past 17:00: a third of an hour of overtime.
const WEEK: &str = r#"
name = "a priced week"
start = "2024-01-01"
horizon_days = 7
replications = 2
[[pools]]
name = "officers"
rosters.base = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 },
  { days = "Mon-Sun", start = "17:00", end = "09:00", staff = 1, serves = "reserved" },
]
[[modes]]
name = "general"
arrivals = { kind = "list", at = ["2024-01-03 16:50"] }
stages = [{ name = "serve", pool = "officers", time = { dist = "deterministic", value = "30m" } }]
"#;

const COST: &str = "[cost]\nunit = \"CNY\"\nregular = 100\non_call = 60\novertime = 150\n";

fn priced() -> String {
    // After the modes: a table before the file's top-level keys would take them.
    format!("{WEEK}{COST}")
}

/// Runs `portsim ARGS` in a folder holding `files`; asserts success, returns stdout.
fn ok_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = portsim().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "portsim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn folder(scenario: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("week.toml"), scenario).unwrap();
    dir
}

fn num(v: &Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v}"))
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-6, "{what}: got {got}, want {want}");
}

#[test]
fn the_summary_counts_every_kind_of_hour_and_prices_them() {
    let dir = folder(&priced());
    let v: Value = serde_json::from_str(&ok_in(dir.path(), &["run", "week.toml", "--json"]))
        .expect("one JSON document");
    close(num(&v, "/officer_hours/regular"), 40.0, "regular");
    close(num(&v, "/officer_hours/on_call"), 112.0, "on-call");
    close(num(&v, "/officer_hours/overtime"), 1.0 / 3.0, "overtime");
    close(num(&v, "/officer_hours/total"), 152.0 + 1.0 / 3.0, "total");
    assert_eq!(v.pointer("/cost/weights/unit"), Some(&Value::from("CNY")));
    close(num(&v, "/cost/regular"), 4000.0, "regular cost");
    close(num(&v, "/cost/on_call"), 6720.0, "on-call cost");
    close(num(&v, "/cost/overtime"), 50.0, "overtime cost");
    close(num(&v, "/cost/total"), 10770.0, "total cost");

    let table = ok_in(dir.path(), &["run", "week.toml"]);
    assert!(
        table.contains(
            "officer-hours: 40 regular + 112 on-call + 0 overtime = 152 (cost 10770 CNY)"
        ),
        "{table}"
    );

    // Without [cost]: the hours, and no cost at all.
    let plain = folder(WEEK);
    let v: Value =
        serde_json::from_str(&ok_in(plain.path(), &["run", "week.toml", "--json"])).unwrap();
    close(num(&v, "/officer_hours/total"), 152.0 + 1.0 / 3.0, "total");
    assert_eq!(v.get("cost"), None, "{v}");
}

#[test]
fn replication_and_sweep_csvs_carry_the_hours_and_the_cost() {
    let dir = folder(&priced());
    ok_in(dir.path(), &["run", "week.toml", "--out", "out"]);
    let mut csv = csv::Reader::from_path(dir.path().join("out/replications.csv")).unwrap();
    let head = csv.headers().unwrap().clone();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {head:?}"))
    };
    for row in csv.records() {
        let row = row.unwrap();
        let x = |name: &str| row[col(name)].parse::<f64>().unwrap();
        close(x("staff_hours"), 40.0, "staff_hours");
        close(x("on_call_hours"), 112.0, "on_call_hours");
        close(x("overtime_hours"), 1.0 / 3.0, "overtime_hours");
        close(x("officer_hours"), 152.0 + 1.0 / 3.0, "officer_hours");
        close(x("cost"), 10770.0, "cost");
        close(
            x("pool.officers.on_call_hours"),
            112.0,
            "the pool's on-call hours",
        );
    }

    std::fs::write(
        dir.path().join("sweep.toml"),
        "scenario = \"week.toml\"\n[[axes]]\nset = \"cost.on_call\"\nvalues = [60, 120]\n",
    )
    .unwrap();
    let table = ok_in(dir.path(), &["sweep", "sweep.toml", "--out", "sweep"]);
    assert!(table.contains("on-call-h"), "{table}");
    assert!(table.contains("cost (CNY)"), "{table}");
    assert!(table.contains("17490"), "112 h at 120 CNY: {table}");
    let mut csv = csv::Reader::from_path(dir.path().join("sweep/results.csv")).unwrap();
    let head = csv.headers().unwrap().clone();
    let costs: Vec<f64> = csv
        .records()
        .map(|r| {
            r.unwrap()[head.iter().position(|h| h == "cost").unwrap()]
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(costs, vec![10770.0, 17490.0]);
    for name in ["on_call_hours", "overtime_hours", "officer_hours"] {
        assert!(head.iter().any(|h| h == name), "{name}: {head:?}");
    }
}

#[test]
fn compare_and_staff_show_every_kind_of_hour_and_the_cost() {
    let dir = folder(&priced());
    let v: Value = serde_json::from_str(&ok_in(
        dir.path(),
        &[
            "compare",
            "week.toml",
            "--set-b",
            "cost.regular=200",
            "--json",
        ],
    ))
    .unwrap();
    close(
        num(&v, "/officer_hours/on_call/a/mean"),
        112.0,
        "A's on-call",
    );
    close(
        num(&v, "/officer_hours/total/difference/mean"),
        0.0,
        "same hours",
    );
    assert_eq!(v.pointer("/cost/unit"), Some(&Value::from("CNY")));
    close(
        num(&v, "/cost/difference/mean"),
        4000.0,
        "40 h dearer by 100",
    );
    let table = ok_in(
        dir.path(),
        &["compare", "week.toml", "--set-b", "cost.regular=200"],
    );
    assert!(table.contains("cost (CNY)"), "{table}");
    assert!(table.contains("on-call"), "{table}");

    let out = ok(&[
        "staff",
        &mmc(),
        "--vary",
        "pools.servers.staff",
        "--min",
        "3",
        "--max",
        "4",
        "--target",
        "mean<=10h",
        "--replications",
        "2",
        "--set",
        "horizon_days=30",
        "--set",
        "cost.regular=2",
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let candidates = v["candidates"].as_array().expect("candidates");
    assert!(!candidates.is_empty());
    for c in candidates {
        let total = num(c, "/officer_hours/total");
        assert!(total > 0.0);
        close(num(c, "/cost/total"), 2.0 * total, "priced at 2 an hour");
    }
}

#[test]
fn bad_cost_weights_are_refused_where_they_are_written() {
    rejected_text(
        &format!("{WEEK}\n[cost]\nregular = -1\n"),
        18,
        &["cost.regular", "≥ 0", "-1"],
    );
    rejected_text(
        &format!("{WEEK}\n[cost]\nregular = 1\nrate = 2\n"),
        19,
        &["rate"],
    );
    rejected_text(
        &format!("{WEEK}\n[cost]\nunit = \" \"\nregular = 1\n"),
        18,
        &["cost.unit", "non-empty"],
    );
}
