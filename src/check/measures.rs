//! The figures a regression check compares: per-replication samples of the means
//! (tested for a significant difference) and pooled quantiles (held to a tolerance).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::experiment::Layout;
use crate::model::ReplicationResult;
use crate::stats::{HoursHistogram, Tally};

/// One compared figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// A quantile of the clearance time: pooled over every counted shipment of every
    /// replication (the figure reported), and per replication (its noise).
    Quantile {
        /// The pooled quantile; `null` when nothing was counted.
        value: Option<f64>,
        /// Each replication's own quantile.
        values: Vec<Option<f64>>,
    },
    /// One value per replication (`null` where a replication had nothing to measure);
    /// compared by their means.
    #[serde(rename = "mean")]
    Sample {
        /// The replications' values, in replication order.
        values: Vec<Option<f64>>,
    },
}

impl Measure {
    /// The replications' finite values.
    pub fn finite_values(&self) -> Vec<f64> {
        let (Measure::Sample { values } | Measure::Quantile { values, .. }) = self;
        values.iter().flatten().copied().collect()
    }

    /// The figure a reader compares: the sample's mean, or the pooled quantile.
    pub fn headline(&self) -> Option<f64> {
        match self {
            Measure::Quantile { value, .. } => *value,
            Measure::Sample { .. } => {
                let xs = self.finite_values();
                let n = xs.len() as f64;
                let mean = xs.iter().sum::<f64>() / n;
                // Values near the largest number overflow a plain sum: divide first then
                // (not always, which would change the last bits of ordinary figures).
                let mean = if mean.is_finite() {
                    mean
                } else {
                    xs.iter().map(|x| x / n).sum()
                };
                (!xs.is_empty()).then_some(mean)
            }
        }
    }
}

/// Quantiles compared, by name and level.
const QUANTILES: [(&str, f64); 4] = [("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)];

/// The measures of a run, named by their place in the summary JSON
/// (`overall.clearance_hours.mean`, `modes.<mode>.arrivals`, `pools.<pool>.utilization`).
pub fn measures(layout: &Layout, results: &[ReplicationResult]) -> IndexMap<String, Measure> {
    let mut out = IndexMap::new();
    let sample = |f: &dyn Fn(&ReplicationResult) -> f64| Measure::Sample {
        values: results
            .iter()
            .map(|r| Some(f(r)).filter(|x| x.is_finite()))
            .collect(),
    };
    let headline = |r: &ReplicationResult| {
        let (mut c, mut w, mut arrivals) = (Tally::default(), Tally::default(), 0);
        for (m, mode) in r.modes.iter().zip(&layout.modes) {
            if mode.headline {
                c.merge(&m.clearance);
                w.merge(&m.wait);
                arrivals += m.arrivals;
            }
        }
        (c, w, arrivals)
    };
    out.insert("overall.arrivals".into(), sample(&|r| headline(r).2 as f64));
    out.insert(
        "overall.unreleased".into(),
        sample(&|r| {
            let (c, _, arrivals) = headline(r);
            (arrivals - c.count) as f64
        }),
    );
    out.insert(
        "overall.clearance_hours.mean".into(),
        sample(&|r| headline(r).0.mean()),
    );
    out.insert(
        "overall.wait_hours.mean".into(),
        sample(&|r| headline(r).1.mean()),
    );
    let headline_histograms: Vec<HoursHistogram> = results
        .iter()
        .map(|r| {
            let mut h = HoursHistogram::new();
            for (m, mode) in r.modes.iter().zip(&layout.modes) {
                if mode.headline {
                    h.merge(&m.histogram);
                }
            }
            h
        })
        .collect();
    for (name, q) in QUANTILES {
        out.insert(
            format!("overall.clearance_hours.{name}"),
            quantile(&headline_histograms, q),
        );
    }
    for (i, mode) in layout.modes.iter().enumerate() {
        let key = |k: &str| format!("modes.{}.{k}", mode.name);
        out.insert(key("arrivals"), sample(&|r| r.modes[i].arrivals as f64));
        out.insert(
            key("clearance_hours.mean"),
            sample(&|r| r.modes[i].clearance.mean()),
        );
        let histograms: Vec<HoursHistogram> = results
            .iter()
            .map(|r| r.modes[i].histogram.clone())
            .collect();
        out.insert(key("clearance_hours.p90"), quantile(&histograms, 0.9));
    }
    for (p, pool) in layout.pools.iter().enumerate() {
        let key = |k: &str| format!("pools.{pool}.{k}");
        out.insert(key("utilization"), sample(&|r| r.pools[p].utilization()));
        out.insert(key("mean_queue"), sample(&|r| r.pools[p].mean_queue));
        out.insert(key("staff_hours"), sample(&|r| r.pools[p].staff_hours));
        out.insert(
            key("overtime_hours"),
            sample(&|r| r.pools[p].overtime_hours),
        );
    }
    out
}

/// The `q` quantile pooled over `histograms` (one per replication) and of each.
fn quantile(histograms: &[HoursHistogram], q: f64) -> Measure {
    let mut pooled = HoursHistogram::new();
    for h in histograms {
        pooled.merge(h);
    }
    Measure::Quantile {
        value: pooled.quantile(q),
        values: histograms.iter().map(|h| h.quantile(q)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_is_the_mean_or_the_pooled_value() {
        let m = Measure::Sample {
            values: vec![Some(1.0), None, Some(3.0)],
        };
        assert_eq!(m.headline(), Some(2.0));
        let q = Measure::Quantile {
            value: Some(5.0),
            values: vec![Some(4.0), Some(7.0)],
        };
        assert_eq!(q.headline(), Some(5.0));
        assert_eq!(q.finite_values(), [4.0, 7.0]);
    }

    #[test]
    fn serialises_tagged_by_kind() {
        let s = Measure::Sample {
            values: vec![Some(1.5), None],
        };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"kind":"mean","values":[1.5,null]}"#);
        assert_eq!(serde_json::from_str::<Measure>(&text).unwrap(), s);
        let q: Measure =
            serde_json::from_str(r#"{"kind":"quantile","value":2.0,"values":[1.0,3.0]}"#).unwrap();
        assert_eq!(
            q,
            Measure::Quantile {
                value: Some(2.0),
                values: vec![Some(1.0), Some(3.0)]
            }
        );
    }
}
