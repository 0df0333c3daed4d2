//! Tidy exports and the report page: `--format long` writes `<name>-long.csv` beside
//! each wide CSV file (one row per replication or variant × entity × figure, the same
//! values, no spaces in column names); `--trace` writes gzip for `.csv.gz` and warns of
//! a trace expected over 100 MB; `report.html` of a run has the stage, class and
//! channel tables the terminal shows, and says a constant column once.

use std::io::Read;
use std::path::Path;

use portsim::report::html::{Block, table_blocks};
use portsim::report::plots::{PlotInput, report};
use portsim::report::trace::{LARGE_TRACE_BYTES, expected_size, size_warning};
use portsim::scenario::load_str;

use crate::support::{MONTH, bad, mmc, model, ok, portsim, repo, run};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A CSV file's rows, header first.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every column name is a word: no spaces.
fn no_spaces(head: &[String]) {
    for h in head {
        assert!(!h.contains(' ') && !h.is_empty(), "column name {h:?}");
    }
}

/// The long rows `long` (without header) agree with the wide row `wide` from column
/// `first` on: the same values in the same order, each long figure named after its wide
/// column (`pool.servers.utilization` → entity `servers`, figure `utilization_share`).
fn agree(head: &[String], wide: &[String], first: usize, long: &[Vec<String>], at: usize) {
    assert_eq!(long.len(), wide.len() - first, "one long row per wide cell");
    for (i, l) in long.iter().enumerate() {
        let column = &head[first + i];
        let (entity_kind, entity, figure, value) = (&l[at], &l[at + 1], &l[at + 2], &l[at + 4]);
        assert_eq!(value, &wide[first + i], "{column}");
        let base = column.rsplit('.').next().unwrap();
        assert!(figure.starts_with(base), "{column} → {figure}");
        if entity_kind == "mode" || entity_kind == "pool" {
            assert_eq!(column, &format!("{entity_kind}.{entity}.{base}"));
        }
    }
}

#[test]
fn format_long_writes_a_tidy_copy_of_replications_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let (wide_dir, long_dir) = (tmp.path().join("wide"), tmp.path().join("long"));
    let mmc = mmc();
    let mut args = vec!["run", &mmc, "--out", s(&wide_dir)];
    args.extend(MONTH);
    ok(&args);
    assert!(!wide_dir.join("replications-long.csv").exists());
    args[3] = s(&long_dir);
    args.extend(["--format", "long"]);
    ok(&args);
    assert_eq!(
        std::fs::read(wide_dir.join("replications.csv")).unwrap(),
        std::fs::read(long_dir.join("replications.csv")).unwrap(),
        "the wide file is the same with --format long"
    );
    let wide = rows(&long_dir.join("replications.csv"));
    let long = rows(&long_dir.join("replications-long.csv"));
    let head = &long[0];
    assert_eq!(
        head,
        &[
            "scenario",
            "policy",
            "replication",
            "entity_kind",
            "entity",
            "figure",
            "unit",
            "value"
        ]
    );
    no_spaces(head);
    // Two replications × every figure of the wide file but the replication's number.
    let figures = wide[0].len() - 1;
    assert_eq!(long.len() - 1, 2 * figures);
    for (r, wide_row) in wide[1..].iter().enumerate() {
        let block = &long[1 + r * figures..1 + (r + 1) * figures];
        assert!(block.iter().all(|l| l[2] == wide_row[0]), "replication {r}");
        agree(&wide[0], wide_row, 1, block, 3);
    }
    let units: Vec<(&str, &str)> = long[1..]
        .iter()
        .map(|l| (l[5].as_str(), l[6].as_str()))
        .collect();
    assert!(units.contains(&("clearance_mean_hours", "hours")));
    assert!(units.contains(&("utilization_share", "share")));
}

#[test]
fn a_sweep_with_format_long_keeps_axis_paths_as_values() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("grid.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 2\nseed = 3\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n",
            repo("scenarios/validation/mmc.toml").to_str().unwrap()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let args = ["sweep", s(&sweep), "--quiet", "--out", s(&out)];
    let short = ["--set", "horizon_days=30", "--set", "warmup_days=1"];
    ok(&[&args[..], &short, &["--format", "long"]].concat());
    let wide = rows(&out.join("results.csv"));
    let long = rows(&out.join("results-long.csv"));
    no_spaces(&long[0]);
    assert_eq!(
        long[0][..3],
        ["variant", "axis1", "axis1_value"].map(String::from)
    );
    let figures = wide[0].len() - 1;
    assert_eq!(long.len() - 1, 2 * figures, "two variants × figures");
    for (v, wide_row) in wide[1..].iter().enumerate() {
        let block = &long[1 + v * figures..1 + (v + 1) * figures];
        for l in block {
            assert_eq!(
                l[..3],
                [
                    v.to_string(),
                    "pools.servers.staff".into(),
                    wide_row[0].clone()
                ]
            );
        }
        agree(&wide[0], wide_row, 1, block, 3);
    }
    let wide = rows(&out.join("replications.csv"));
    let long = rows(&out.join("replications-long.csv"));
    no_spaces(&long[0]);
    // Axis, variant and replication lead the wide row; the rest are figures.
    let figures = wide[0].len() - 3;
    assert_eq!(
        long.len() - 1,
        4 * figures,
        "two variants × two replications"
    );
    agree(&wide[0], &wide[1], 3, &long[1..1 + figures], 4);
    // Without --format long, the long files go with the rest of the previous set.
    ok(&[&args[..], &short, &["--resume"]].concat());
    assert!(!out.join("results-long.csv").exists());
    assert!(out.join("results.csv").exists());
}

#[test]
fn a_bad_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mmc = mmc();
    let err = bad(&["run", &mmc, "--out", s(tmp.path()), "--format", "tall"]);
    assert!(
        err.contains("--format") && err.contains("`wide`") && err.contains("`long`"),
        "{err}"
    );
    assert!(!tmp.path().join("replications.csv").exists());
}

#[test]
fn a_gzip_trace_holds_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, gz) = (tmp.path().join("t.csv"), tmp.path().join("t.csv.gz"));
    let mmc = mmc();
    for path in [&plain, &gz] {
        let out = portsim()
            .args(["run", &mmc, "--trace", s(path)])
            .args(MONTH)
            .output()
            .unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("expected to be about"), "{stderr}");
    }
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_end(&mut unzipped)
        .unwrap();
    let plain = std::fs::read(&plain).unwrap();
    assert!(plain.len() > 1000, "a month of shipments");
    assert_eq!(unzipped, plain);
    assert!(std::fs::metadata(&gz).unwrap().len() < plain.len() as u64 / 2);
}

#[test]
fn a_trace_over_100_mb_is_warned_of_with_its_size() {
    // The flagship year: millions of e-commerce parcels.
    let big = model("scenarios/chongqing-2017.toml", &[]);
    let (bytes, rows) = expected_size(&big);
    assert!(bytes > LARGE_TRACE_BYTES, "{bytes}");
    assert!(rows > 1_000_000, "{rows}");
    let warning = size_warning(Path::new("t.csv"), &big).expect("warned");
    let mb = bytes.div_ceil(1_000_000).to_string();
    assert!(warning.contains(&format!("about {mb} MB")), "{warning}");
    assert!(warning.contains(".csv.gz"), "{warning}");
    // M/M/3 for 400 days: about 26 000 shipments, a few MB.
    let small = model("scenarios/validation/mmc.toml", &[]);
    let (bytes, rows) = expected_size(&small);
    assert!((20_000..30_000).contains(&rows), "{rows}");
    assert!(bytes < LARGE_TRACE_BYTES);
    assert_eq!(size_warning(Path::new("t.csv"), &small), None);
}

/// Two classes and three channels of one mode, two stages on the red channel.
const CHANNELS: &str = r#"
name = "channels"
start = "2024-01-01"
horizon_days = 20
warmup_days = 1
replications = 2
[[pools]]
name = "officers"
staff = 1
[[modes]]
name = "cargo"
priority_share = 0.3
arrivals = { kind = "poisson", rate_per_hour = 2.0 }
channels = [
  { name = "green", share = 0.6, stages = [{ name = "auto-check", delay = { dist = "deterministic", value = "5m" } }] },
  { name = "yellow", share = 0.3, stages = [{ name = "review", pool = "officers", time = { dist = "exponential", mean = "20m" } }] },
  { name = "red", share = 0.1, stages = [
    { name = "review", pool = "officers", time = { dist = "exponential", mean = "20m" } },
    { name = "inspect", pool = "officers", time = { dist = "exponential", mean = "1h" } },
  ] },
]
"#;

#[test]
fn a_run_report_has_the_stage_class_and_channel_tables() {
    let loaded = load_str("channels.toml", CHANNELS, &[]).unwrap();
    let (_, summary) = run(&loaded.model);
    let input = PlotInput::Runs {
        summaries: vec![summary.clone()],
        notes: Vec::new(),
    };
    let html = report(&input, &[]).unwrap().render();
    for text in [
        "Stages (Time Release Study)",
        ">stage</th>",
        ">visits</th>",
        ">wait h</th>",
        ">service h</th>",
        ">auto-check<",
        ">inspect<",
        "Classes and channels",
        ">priority<",
        ">yellow<",
        ">red<",
        // One mode: said once, not a column.
        "In every row: mode: cargo",
    ] {
        assert!(html.contains(text), "report.html lacks {text}");
    }
    assert!(!html.contains(">series</th>"), "a constant column");
    // Two series (a comparison): the column tells them apart.
    let mut other = summary;
    other.policy = Some("other".into());
    let two = PlotInput::Runs {
        summaries: vec![other.clone(), {
            let mut s = other.clone();
            s.policy = Some("more".into());
            s
        }],
        notes: Vec::new(),
    };
    let html = report(&two, &[]).unwrap().render();
    assert!(html.contains(">series</th>"));
}

#[test]
fn a_constant_column_is_said_once_above_its_table() {
    let head = ["series", "pool", "status"].map(String::from).to_vec();
    let row = |p: &str| ["run", p, "ok"].map(String::from).to_vec();
    let blocks = table_blocks(head.clone(), vec![row("a"), row("b")]);
    assert_eq!(
        blocks,
        [
            Block::Same("In every row: series: run · status: ok.".into()),
            Block::Table {
                head: vec!["pool".into()],
                rows: vec![vec!["a".into()], vec!["b".into()]],
            },
        ]
    );
    // One row: nothing is repeated, the table stays whole.
    assert_eq!(table_blocks(head.clone(), vec![row("a")]).len(), 1);
    // A figure the same in every row stays in its column.
    let figures = vec![
        vec!["overall".into(), "8.5".into()],
        vec!["rail".into(), "8.5".into()],
    ];
    let head = vec!["flow".to_string(), "mean h".to_string()];
    assert_eq!(
        table_blocks(head.clone(), figures.clone()),
        [Block::Table {
            head,
            rows: figures
        }]
    );
}
