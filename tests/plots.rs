//! Figures and report.html from the command line: every plot kind from a small run, a
//! comparison and a sweep; valid PNG and SVG with titles, labels and legends; the same
//! bytes for the same seed; `portsim plot` redraws them from saved results.

use std::path::Path;

use crate::support::{bad, ok, portsim, repo};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Width and height of a PNG, after checking its signature.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn svg(dir: &Path, stem: &str) -> String {
    let text = std::fs::read_to_string(dir.join(format!("{stem}.svg")))
        .unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
    assert!(text.contains("<svg"), "{stem}");
    text
}

/// Figure stem → texts its SVG must show (title, axis labels with units).
const RUN_FIGURES: [(&str, &[&str]); 9] = [
    (
        "clearance-ecdf",
        &[
            "share of shipments cleared",
            "clearance time (hours)",
            "shipments cleared (%)",
        ],
    ),
    ("clearance-ecdf-log", &["clearance time (hours)"]),
    (
        "clearance-histogram",
        &["distribution", "clearance time (hours)"],
    ),
    (
        "backlog-hour-of-week",
        &[
            "Backlog by hour of the week",
            "shipments in clearance",
            "Mon",
        ],
    ),
    (
        "season-clearance",
        &["by day of arrival", "mean clearance time (hours)"],
    ),
    (
        "season-backlog",
        &["Backlog through the season", "shipments in clearance"],
    ),
    ("stages", &["Where the time goes", "hours"]),
    (
        "roster-demand",
        &[
            "Roster against demand",
            "officers on duty",
            "shipments waiting",
        ],
    ),
    ("clearance-by-mode", &["Clearance time by mode"]),
];

/// The business-hours validation scenario with a second mode, so every figure has
/// something to show.
fn scenario(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/validation/business-hours.toml")).unwrap()
        + "\n[[modes]]\nname = \"parcels\"\narrivals = { kind = \"poisson\", rate_per_hour = 5 }\nstages = [ { name = \"scan\", delay = { dist = \"exponential\", mean = \"10m\" } } ]\n";
    let path = dir.join("two-modes.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn run_draws_every_figure_and_a_self_contained_report() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = scenario(tmp.path());
    let plots = tmp.path().join("plots");
    let flags = ["--set", "horizon_days=42", "--replications", "2"];
    ok(&[&["run", s(&scen), "--plots", s(&plots)][..], &flags[..]].concat());
    for (stem, texts) in RUN_FIGURES {
        let (w, h) = png_size(&plots.join(format!("{stem}.png")));
        assert!(w >= 1000 && h >= 400, "{stem}: {w}×{h}");
        let text = svg(&plots, stem);
        for t in texts {
            assert!(text.contains(t), "{stem}.svg lacks \"{t}\"");
        }
    }
    let html = std::fs::read_to_string(plots.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), RUN_FIGURES.len());
    for banned in ["<script", "<link", " src=", "url(http"] {
        assert!(!html.contains(banned), "report.html contains {banned}");
    }
    assert!(html.contains("Staff pools") && html.contains("servers"));

    // Same seed, same figures; `portsim plot` redraws them from the saved data.
    let again = tmp.path().join("again");
    ok(&[&["run", s(&scen), "--plots", s(&again)][..], &flags[..]].concat());
    let redrawn = tmp.path().join("redrawn");
    ok(&[
        "plot",
        s(&plots.join("plot-data.json")),
        "--out",
        s(&redrawn),
    ]);
    for (stem, _) in RUN_FIGURES {
        assert_eq!(svg(&plots, stem), svg(&again, stem), "{stem}: same seed");
        assert_eq!(svg(&plots, stem), svg(&redrawn, stem), "{stem}: redrawn");
    }
    // And from a run's summary.json.
    let out = tmp.path().join("out");
    ok(&[&["run", s(&scen), "--out", s(&out)][..], &flags[..]].concat());
    let from_summary = tmp.path().join("from-summary");
    ok(&[
        "plot",
        s(&out.join("summary.json")),
        "--out",
        s(&from_summary),
    ]);
    assert_eq!(
        svg(&plots, "clearance-ecdf"),
        svg(&from_summary, "clearance-ecdf")
    );
}

#[test]
fn compare_draws_both_policies_as_series() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = scenario(tmp.path());
    let plots = tmp.path().join("plots");
    ok(&[
        "compare",
        s(&scen),
        "--policies",
        "business-hours,extended",
        "--set",
        "pools.servers.rosters.extended=[{ days = \"Mon-Sun\", start = \"08:00\", end = \"20:00\", staff = 4 }]",
        "--set",
        "horizon_days=42",
        "--replications",
        "2",
        "--plots",
        s(&plots),
    ]);
    let ecdf = svg(&plots, "clearance-ecdf");
    assert!(ecdf.contains("business-hours") && ecdf.contains("extended"));
    let backlog = svg(&plots, "backlog-hour-of-week");
    assert!(backlog.contains("business-hours") && backlog.contains("extended"));
    let html = std::fs::read_to_string(plots.join("report.html")).unwrap();
    assert!(html.contains("extended vs business-hours"), "the headline");
}

#[test]
fn sweep_draws_metric_against_axis_and_a_heatmap() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("grid.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 2\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [2.0, 2.5]\n",
            s(&repo("scenarios/validation/mmc.toml"))
        ),
    )
    .unwrap();
    let plots = tmp.path().join("plots");
    let out = tmp.path().join("out");
    ok(&[
        "sweep",
        s(&sweep),
        "--set",
        "horizon_days=60",
        "--out",
        s(&out),
        "--plots",
        s(&plots),
    ]);
    for stem in ["sweep-mean", "sweep-heatmap"] {
        png_size(&plots.join(format!("{stem}.png")));
    }
    // A p90 has no confidence interval: no line chart of it (every line has a band).
    assert!(!plots.join("sweep-p90.png").exists());
    let mean = svg(&plots, "sweep-mean");
    assert!(
        mean.contains("pools.servers.staff (officers)"),
        "x label with unit"
    );
    assert!(mean.contains("mean clearance time (hours)"));
    assert!(
        mean.contains("rate_per_hour=2.5"),
        "a line per other-axis value"
    );
    let heat = svg(&plots, "sweep-heatmap");
    assert!(heat.contains("shipments per hour"));
    // Each cell says its noise, and the key says which cells are within it of the best.
    assert!(heat.matches('±').count() >= 4, "a ± per cell");
    assert!(heat.contains("hatched: its CI overlaps the best"));
    // Redrawn from the sweep's results.json.
    let redrawn = tmp.path().join("redrawn");
    ok(&["plot", s(&out.join("results.json")), "--out", s(&redrawn)]);
    assert_eq!(mean, svg(&redrawn, "sweep-mean"));
}

#[test]
fn plot_refuses_what_it_cannot_draw() {
    let tmp = tempfile::tempdir().unwrap();
    let not_json = tmp.path().join("x.json");
    std::fs::write(&not_json, "{ nope").unwrap();
    let other = tmp.path().join("y.json");
    std::fs::write(&other, "{\"schema\": \"something/1\"}").unwrap();
    for (file, expect) in [
        (not_json.clone(), "not JSON"),
        (other, "something/1"),
        (tmp.path().join("missing.json"), "cannot read"),
    ] {
        let out = portsim()
            .args(["plot", s(&file), "--out", s(&tmp.path().join("p"))])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn plot_directories_keep_files_portsim_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = scenario(tmp.path());
    let plots = tmp.path().join("plots");
    let flags = ["--set", "horizon_days=21", "--replications", "1"];
    let run = |extra: &[&str]| {
        portsim()
            .args(
                [
                    &["run", s(&scen), "--plots", s(&plots)][..],
                    &flags[..],
                    extra,
                ]
                .concat(),
            )
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    // Drawing again replaces portsim's own figures.
    assert!(run(&[]).status.success());
    std::fs::write(plots.join("minutes.txt"), "the planners' notes").unwrap();
    let redraw = plots.join("plot-data.json");
    for args in [
        [&["run", s(&scen), "--plots", s(&plots)][..], &flags[..]].concat(),
        vec!["plot", s(&redraw), "--out", s(&plots)],
    ] {
        let e = bad(&args);
        assert!(
            e.contains("minutes.txt: exists and was not written by portsim")
                && e.contains("--force"),
            "{e}"
        );
    }
    assert!(run(&["--force"]).status.success());
    assert_eq!(
        std::fs::read_to_string(plots.join("minutes.txt")).unwrap(),
        "the planners' notes",
        "--force lets portsim write its files; it deletes nothing"
    );
}

#[test]
fn plot_reads_summaries_as_their_type_naming_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let mmc = crate::support::mmc();
    let text = ok(&[&["run", &mmc, "--json"][..], &crate::support::MONTH[..]].concat());
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    // A field no figure draws, but the summary has: the document is not a summary.
    doc.as_object_mut().unwrap().remove("max_in_system");
    let file = tmp.path().join("summary.json");
    let out = tmp.path().join("plots");
    for (wrapped, root) in [
        (serde_json::json!([doc]), "$[0]"),
        (
            serde_json::json!({"schema": "portsim.plot-data/1", "kind": "runs", "summaries": [doc]}),
            "$.summaries[0]",
        ),
    ] {
        std::fs::write(&file, wrapped.to_string()).unwrap();
        let err = bad(&["plot", s(&file), "--out", s(&out)]);
        assert!(
            err.contains(&format!("{root}: missing field `max_in_system`")),
            "{err}"
        );
    }
    // As written, it draws.
    std::fs::write(&file, &text).unwrap();
    ok(&["plot", s(&file), "--out", s(&out)]);
}

/// The Chongqing peak season at small scale: its stages (a parallel block of customs and
/// quarantine among them), each drawn as its own bar, are never longer than the mode's
/// mean clearance, though stacked they would be; the log ECDF marks the share cleared
/// at once.
#[test]
fn stage_bars_never_exceed_the_clearance_they_explain() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let plots = tmp.path().join("plots");
    ok(&[
        "run",
        s(&repo("scenarios/chongqing-peak-2017.toml")),
        "--set",
        "horizon_days=38",
        "--replications",
        "2",
        "--out",
        s(&out),
        "--plots",
        s(&plots),
    ]);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: portsim::experiment::Summary = serde_json::from_str(&text).unwrap();
    let chart =
        portsim::report::figures::stages_chart(std::slice::from_ref(&summary)).expect("stage bars");
    let mut checked = 0;
    for (mode, flow) in &summary.modes {
        let clearance = flow.clearance_hours.mean;
        let bars: Vec<_> = chart.bars.iter().filter(|b| b.group == *mode).collect();
        let drawn = bars
            .iter()
            .find(|b| b.label == "mean clearance")
            .map(|b| b.segments.iter().map(|g| g.hours).sum::<f64>());
        assert_eq!(drawn, Some(clearance), "{mode}: its clearance bar");
        for bar in bars.iter().filter(|b| b.label != "mean clearance") {
            let total: f64 = bar.segments.iter().map(|g| g.hours).sum();
            assert!(
                total <= clearance + 1e-9,
                "{mode} · {}: {total} h drawn against a mean clearance of {clearance} h",
                bar.label
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} bars");
    // Air cargo has a parallel block: its stages stacked would exceed the clearance.
    let air = &summary.modes["air-cargo"];
    assert!(air.stages.contains_key("checks"));
    let stacked: f64 = chart
        .bars
        .iter()
        .filter(|b| b.group == "air-cargo" && b.label != "mean clearance")
        .flat_map(|b| &b.segments)
        .map(|g| g.hours)
        .sum();
    assert!(
        stacked > air.clearance_hours.mean,
        "stacked {stacked} h vs {} h",
        air.clearance_hours.mean
    );
    // The stage figure's colours: one per part of the one series.
    let stages = svg(&plots, "stages");
    for t in [
        "waiting",
        "service or delay",
        "mean clearance",
        "air-cargo · mean clearance",
    ] {
        assert!(stages.contains(t), "stages.svg lacks {t:?}");
    }
    // Shipments cleared at once are a point on the log axis, with their share.
    let log = svg(&plots, "clearance-ecdf-log");
    assert!(log.contains(" % within "), "the mass at 0 is written");
    let html = std::fs::read_to_string(plots.join("report.html")).unwrap();
    assert!(
        html.contains("A log axis has no 0"),
        "and said in the caption"
    );
    // The roster shows on-call officers where a pool has them (quarantine does).
    assert!(svg(&plots, "roster-demand").contains("officers on call"));
}

/// A sweep over policies alone has no numeric axis: it gets bars with CIs.
#[test]
fn a_policy_sweep_draws_bars_with_confidence_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = scenario(tmp.path());
    let sweep = tmp.path().join("policies.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 2\n[[axes]]\nset = \"policy\"\nvalues = [\"business-hours\", \"extended\"]\n",
            s(&scen)
        ),
    )
    .unwrap();
    let plots = tmp.path().join("plots");
    ok(&[
        "sweep",
        s(&sweep),
        "--set",
        "horizon_days=42",
        "--set",
        "pools.servers.rosters.extended=[{ days = \"Mon-Sun\", start = \"08:00\", end = \"20:00\", staff = 4 }]",
        "--plots",
        s(&plots),
    ]);
    let (w, h) = png_size(&plots.join("sweep-mean-bars.png"));
    assert!(w >= 1000 && h >= 400);
    let bars = svg(&plots, "sweep-mean-bars");
    for t in [
        "business-hours",
        "extended",
        "95 % confidence interval",
        "mean clearance time (hours)",
    ] {
        assert!(bars.contains(t), "sweep-mean-bars.svg lacks {t:?}");
    }
    assert!(
        bars.matches(" ± ").count() >= 2,
        "each bar's interval written"
    );
}
