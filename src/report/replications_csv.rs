//! `replications.csv`: one row per replication.

use crate::experiment::Layout;
use crate::model::ReplicationResult;
use crate::stats::{HoursHistogram, Tally};

/// The CSV text: replication figures overall (headline modes), per mode and per pool.
pub fn replications_csv(model: &Layout, results: &[ReplicationResult]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(model)).expect("writing to memory");
    for r in results {
        w.write_record(row(model, r)).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 strings")
}

/// The column names of a replication row.
pub fn header(model: &Layout) -> Vec<String> {
    let mut header = vec![
        "replication".to_string(),
        "events".into(),
        "arrivals".into(),
        "released".into(),
        "unreleased".into(),
        "clearance_mean".into(),
        "clearance_p50".into(),
        "clearance_p90".into(),
        "clearance_max".into(),
        "wait_mean".into(),
        "waited_share".into(),
    ];
    for m in &model.modes {
        for k in ["arrivals", "released", "clearance_mean", "clearance_p90"] {
            header.push(format!("mode.{}.{k}", m.name));
        }
    }
    for p in &model.pools {
        for k in [
            "utilization",
            "staff_hours",
            "overtime_hours",
            "mean_queue",
            "offered_load",
        ] {
            header.push(format!("pool.{p}.{k}"));
        }
    }
    header
}

/// One replication's figures, in [`header`] order.
pub fn row(model: &Layout, r: &ReplicationResult) -> Vec<String> {
    {
        let (mut c, mut wait, mut hist) =
            (Tally::default(), Tally::default(), HoursHistogram::new());
        let mut arrivals = 0;
        for (m, mode) in r.modes.iter().zip(&model.modes) {
            if mode.headline {
                c.merge(&m.clearance);
                wait.merge(&m.wait);
                hist.merge(&m.histogram);
                arrivals += m.arrivals;
            }
        }
        let mut row = vec![
            r.replication.to_string(),
            r.events.to_string(),
            arrivals.to_string(),
            c.count.to_string(),
            (arrivals - c.count).to_string(),
            num(c.mean()),
            opt(hist.quantile(0.5)),
            opt(hist.quantile(0.9)),
            opt(hist.max()),
            num(wait.mean()),
            num(wait.positive_share()),
        ];
        for m in &r.modes {
            row.extend([
                m.arrivals.to_string(),
                m.clearance.count.to_string(),
                num(m.clearance.mean()),
                opt(m.histogram.quantile(0.9)),
            ]);
        }
        for p in &r.pools {
            row.extend([
                num(p.utilization()),
                num(p.staff_hours),
                num(p.overtime_hours),
                num(p.mean_queue),
                num(p.offered_load()),
            ]);
        }
        row
    }
}

/// A number as CSV text: shortest round-trip form, empty when not finite.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// An optional number as CSV text: empty when absent or not finite.
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}
