//! Priority classes, several modes sharing a pool, headline modes, and overload.

use portsim::model::Replication;
use portsim::model::flow::{ShipmentRecord, TraceSink};
use portsim::scenario::load_str;

use crate::support::{portsim, repo};

#[derive(Default)]
struct Starts(Vec<(String, f64, f64)>);

impl TraceSink for Starts {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        self.0.push((
            r.mode.name.clone(),
            r.arrival.hours(),
            r.stages[0].1.started,
        ));
    }
}

const TWO_MODES: &str = r#"
name = "two modes"
start = "2024-01-01"
horizon_days = 7
replications = 1
[[pools]]
name = "servers"
rosters.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 }]
[[modes]]
name = "normal"
arrivals = { kind = "list", at = ["2024-01-01 08:00", "2024-01-01 08:10"] }
stages = [{ name = "serve", pool = "servers", time = { dist = "deterministic", value = "30m" } }]
[[modes]]
name = "urgent"
headline = false
priority_share = 1.0
arrivals = { kind = "list", at = ["2024-01-01 08:30", "2024-01-01 08:40"] }
stages = [{ name = "serve", pool = "servers", time = { dist = "deterministic", value = "30m" } }]
"#;

/// One replication of `text` (two modes on one pool, as [`TWO_MODES`]): who was served
/// in which order, as (mode, minutes after 08:00 it arrived), the service starts (hours)
/// and the result.
fn served_order(
    text: &str,
) -> (
    Vec<(String, i64)>,
    Vec<f64>,
    portsim::model::ReplicationResult,
) {
    let loaded = load_str("two-modes.toml", text, &[]).unwrap();
    let mut starts = Starts::default();
    let result = Replication::new(&loaded.model, 0, Some(&mut starts)).run();
    let mut order = starts.0;
    order.sort_by(|a, b| a.2.total_cmp(&b.2));
    let served = order
        .iter()
        .map(|(m, a, _)| (m.clone(), ((a - 8.0) * 60.0).round() as i64))
        .collect();
    (served, order.iter().map(|s| s.2).collect(), result)
}

fn pairs(v: &[(String, i64)]) -> Vec<(&str, i64)> {
    v.iter().map(|(m, t)| (m.as_str(), *t)).collect()
}

#[test]
fn priority_shipments_are_served_first_and_fifo_within_a_class() {
    let (served, starts, result) = served_order(TWO_MODES);
    let served = pairs(&served);
    // The office opens at 09:00: both urgent shipments (in arrival order) before both
    // normal ones (in arrival order), each 30 minutes.
    assert_eq!(
        served,
        [
            ("urgent", 30),
            ("urgent", 40),
            ("normal", 0),
            ("normal", 10)
        ]
    );
    assert_eq!(starts, [9.0, 9.5, 10.0, 10.5]);
    assert_eq!(result.modes[0].clearance.count, 2);
    assert_eq!(result.modes[1].clearance.count, 2);
}

#[test]
fn overall_covers_headline_modes_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two-modes.toml");
    std::fs::write(&file, TWO_MODES).unwrap();
    let out = portsim()
        .args(["run", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["policy"], "office");
    assert_eq!(v["modes"]["urgent"]["headline"], false);
    assert_eq!(v["modes"]["normal"]["headline"], true);
    assert_eq!(v["overall"]["released"], 2);
    // Normal shipments: arrived 08:00 and 08:10, served from 10:00 and 10:30.
    let mean = v["overall"]["clearance_hours"]["mean"].as_f64().unwrap();
    assert!(
        (mean - (2.5 + 2.8333333333333335) / 2.0).abs() < 1e-9,
        "{mean}"
    );
    assert_eq!(
        v["overall"]["clearance_hours"]["mean"],
        v["modes"]["normal"]["clearance_hours"]["mean"]
    );
}

#[test]
fn channel_shares_are_followed() {
    let text = r#"
name = "channels"
start = "2024-01-01"
horizon_days = 200
replications = 2
[[pools]]
name = "servers"
staff = 5
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2 }
[[modes.channels]]
name = "green"
share = 0.7
stages = [{ name = "release", delay = { dist = "deterministic", value = "0s" } }]
[[modes.channels]]
name = "red"
share = 0.3
stages = [{ name = "inspect", pool = "servers", time = { dist = "deterministic", value = "1h" } }]
"#;
    let loaded = load_str("channels.toml", text, &[]).unwrap();
    let result = Replication::new(&loaded.model, 0, None).run();
    let m = &result.modes[0];
    // Green takes no time, red exactly 1 h plus a rare wait: the mean is ≈ the red share.
    let share_red = m.clearance.sum / m.clearance.count as f64;
    let n = m.clearance.count as f64;
    let se = (0.3 * 0.7 / n).sqrt();
    assert!((share_red - 0.3).abs() < 4.0 * se + 0.002, "{share_red}");
}

/// The priority class can have its own channel mix (`share_priority`): perishables all
/// inspected while other shipments mostly are not.
#[test]
fn the_priority_class_follows_its_own_channel_mix() {
    let text = r#"
name = "perishables"
start = "2024-01-01"
horizon_days = 100
replications = 1
[[pools]]
name = "servers"
staff = 5
[[modes]]
name = "air"
priority_share = 0.25
arrivals = { kind = "poisson", rate_per_hour = 2 }
[[modes.channels]]
name = "green"
share = 0.8
stages = [{ name = "release", delay = { dist = "deterministic", value = "0s" } }]
[[modes.channels]]
name = "red"
share = 0.2
share_priority = 1.0
stages = [{ name = "inspect", pool = "servers", time = { dist = "deterministic", value = "1h" } }]
"#;
    /// (shipment index, priority, channel) of every released shipment.
    #[derive(Default)]
    struct Channels(Vec<(u64, bool, String)>);
    impl TraceSink for Channels {
        fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
            self.0.push((r.index, r.priority, r.channel.name.clone()));
        }
    }
    let channels = |text: &str| {
        let loaded = load_str("perishables.toml", text, &[]).unwrap();
        let mut seen = Channels::default();
        Replication::new(&loaded.model, 0, Some(&mut seen)).run();
        seen.0.sort();
        seen.0
    };
    let red_share = |seen: &[(u64, bool, String)], priority: bool| {
        let class: Vec<_> = seen.iter().filter(|x| x.1 == priority).collect();
        let red = class.iter().filter(|x| x.2 == "red").count();
        (red as f64 / class.len() as f64, class.len() as f64)
    };
    let own = channels(text);
    let (priority_red, _) = red_share(&own, true);
    let (normal_red, normal) = red_share(&own, false);
    assert_eq!(priority_red, 1.0, "every priority shipment is inspected");
    let se = (0.2 * 0.8 / normal).sqrt();
    assert!((normal_red - 0.2).abs() < 4.0 * se, "{normal_red}");
    // Without share_priority both classes share one mix.
    let blended = channels(&text.replace("share_priority = 1.0\n", ""));
    let (blended_red, n) = red_share(&blended, true);
    let se = (0.2 * 0.8 / n).sqrt();
    assert!((blended_red - 0.2).abs() < 4.0 * se, "{blended_red}");
    // Common random numbers: the same shipments, and every normal one takes the same
    // channel either way.
    assert_eq!(own.len(), blended.len());
    for (a, b) in own.iter().zip(&blended) {
        assert_eq!((a.0, a.1), (b.0, b.1));
        if !a.1 {
            assert_eq!(a.2, b.2, "normal shipment {}", a.0);
        }
    }
    // `class_mix = false` keeps share_priority in the file but draws the class from the
    // others' mix: every shipment on the same channel as without share_priority.
    let off = channels(&text.replace(
        "priority_share = 0.25",
        "priority_share = 0.25\nclass_mix = false",
    ));
    assert_eq!(off, blended);
}

#[test]
fn class_mix_without_a_priority_mix_is_refused() {
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    let (head, mode) = text.split_once("[[modes]]").unwrap();
    let name_line = mode.lines().position(|l| l.starts_with("name")).unwrap();
    let mut lines: Vec<&str> = mode.lines().collect();
    lines.insert(name_line + 1, "class_mix = true");
    let bad = format!("{head}[[modes]]{}", lines.join("\n"));
    let line = bad.lines().position(|l| l == "class_mix = true").unwrap() + 1;
    crate::support::rejected_text(
        &bad,
        line,
        &[
            "modes.customers.class_mix",
            "`class_mix = true` needs",
            "share_priority",
        ],
    );
}

/// The priority class's shares must sum to 1, like the channel shares, and a priority
/// mix needs a priority class.
#[test]
fn a_priority_mix_not_summing_to_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mix.toml");
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    let stages = "stages = [ { name = \"serve\", pool = \"servers\", time = { dist = \"exponential\", mean = \"1h\" } } ]";
    assert!(text.contains(stages));
    let channels = "priority_share = 0.1\nchannels = [\n  { name = \"a\", share = 0.5, share_priority = 0.5, stages = [ { name = \"serve\", pool = \"servers\", time = { dist = \"exponential\", mean = \"1h\" } } ] },\n  { name = \"b\", share = 0.5, stages = [ { name = \"serve\", pool = \"servers\", time = { dist = \"exponential\", mean = \"1h\" } } ] },\n]";
    // `portsim validate` on mmc.toml with `channels` for its stages: exit 2, one message.
    let refused = |channels: &str| {
        std::fs::write(&file, text.replace(stages, channels)).unwrap();
        let out = portsim()
            .args(["validate", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("mix.toml:"), "located: {err}");
        err
    };
    let err = refused(channels);
    assert!(
        err.contains("modes.customers.channels: the channels' share_priority")
            && err.contains("must sum to 1, got 0.5 + 0 = 0.5"),
        "{err}"
    );
    let err = refused(&channels.replace("share_priority = 0.5", "share_priority = -0.5"));
    assert!(
        err.contains("modes.customers.channels.a.share_priority: expected a share ≥ 0, got -0.5"),
        "{err}"
    );
    // A priority mix in a mode without a priority class would never be drawn.
    let err = refused(
        &channels
            .replace("priority_share = 0.1\n", "")
            .replace("share_priority = 0.5", "share_priority = 1.0"),
    );
    assert!(
        err.contains("modes.customers.channels: the channels give share_priority")
            && err.contains("has no priority class"),
        "{err}"
    );
}

#[test]
fn an_overloaded_pool_is_flagged_but_the_run_succeeds() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let out = portsim()
        .args([
            "run",
            mmc.to_str().unwrap(),
            "--json",
            "--replications",
            "2",
            "--set",
            "pools.servers.staff=2",
        ])
        .args(["--set", "horizon_days=100", "--set", "drain_days=5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("pool \"servers\" is overloaded"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unstable"], true);
    assert_eq!(v["pools"]["servers"]["unstable"], true);
    assert!(v["pools"]["servers"]["offered_load"].as_f64().unwrap() > 1.2);
    assert!(v["overall"]["unreleased"].as_u64().unwrap() > 0);
}

#[test]
fn without_the_fast_track_the_priority_class_is_only_a_label() {
    // The same file with `fast_track = false` on the urgent mode: everyone in arrival
    // order (FIFO), and the class still counted as priority.
    let text = TWO_MODES.replace(
        "priority_share = 1.0",
        "priority_share = 1.0\nfast_track = false",
    );
    let (served, _, result) = served_order(&text);
    let served = pairs(&served);
    assert_eq!(
        served,
        [
            ("normal", 0),
            ("normal", 10),
            ("urgent", 30),
            ("urgent", 40)
        ]
    );
    // Recorded as the priority class all the same (index 0: priority).
    assert_eq!(result.modes[1].classes[0].clearance.count, 2);
}
