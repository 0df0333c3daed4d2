//! The figures a regression check compares: per-replication samples of the means
//! (tested for a significant difference) and pooled quantiles (held to a tolerance).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::experiment::Layout;
use crate::model::ReplicationResult;
use crate::results::metrics::{CHECK, Figure, FlowMetric, FlowTally, Kind, Metric};
use crate::stats::HoursHistogram;

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
    /// Each replication's value (`None` where it has none), in replication order.
    pub fn values(&self) -> &[Option<f64>] {
        let (Measure::Sample { values } | Measure::Quantile { values, .. }) = self;
        values
    }

    /// The replications' finite values.
    pub fn finite_values(&self) -> Vec<f64> {
        self.values().iter().flatten().copied().collect()
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

/// The measures of a run, the metric table's [`CHECK`] columns named by their place in
/// the summary JSON (`overall.clearance_hours.mean`, `modes.<mode>.arrivals`,
/// `pools.<pool>.utilization`).
pub fn measures(layout: &Layout, results: &[ReplicationResult]) -> IndexMap<String, Measure> {
    let mut out = IndexMap::new();
    for &m in CHECK.run {
        let figures = results.iter().map(|r| m.of_replication(r));
        out.insert(m.spec().path.to_string(), sample(figures));
    }
    let overall: Vec<FlowTally> = results
        .iter()
        .map(|r| {
            let headline = r
                .modes
                .iter()
                .zip(&layout.modes)
                .filter(|(_, l)| l.headline);
            FlowTally::merged(headline.map(|(m, _)| m))
        })
        .collect();
    flow_measures(&mut out, "overall.", CHECK.overall, &overall);
    for &m in CHECK.run_after {
        let figures = results.iter().map(|r| m.of_replication(r));
        out.insert(m.spec().path.to_string(), sample(figures));
    }
    for (i, mode) in layout.modes.iter().enumerate() {
        let tallies: Vec<FlowTally> = results
            .iter()
            .map(|r| FlowTally::of_mode(&r.modes[i]))
            .collect();
        let prefix = format!("modes.{}.", mode.name);
        flow_measures(&mut out, &prefix, CHECK.mode, &tallies);
    }
    for (p, pool) in layout.pools.iter().enumerate() {
        for &m in CHECK.pool {
            let figures = results.iter().map(|r| m.of_replication(&r.pools[p]));
            out.insert(format!("pools.{pool}.{}", m.spec().path), sample(figures));
        }
    }
    out
}

/// Adds a flow's measures, named `<prefix><path>`, from its tallies in each replication:
/// a quantile pooled over the replications' histograms (and each one's own), the others
/// per replication.
fn flow_measures(
    out: &mut IndexMap<String, Measure>,
    prefix: &str,
    metrics: &[FlowMetric],
    tallies: &[FlowTally],
) {
    for &m in metrics {
        let spec = m.spec();
        let measure = match spec.kind {
            Kind::Quantile(q) => quantile(tallies.iter().map(|t| &*t.histogram), q),
            Kind::Value | Kind::Interval => sample(tallies.iter().map(|t| m.of_replication(t))),
        };
        out.insert(format!("{prefix}{}", spec.path), measure);
    }
}

/// The replications' values of a figure (`null` where one has none, or not a finite
/// number).
fn sample(figures: impl Iterator<Item = Option<Figure>>) -> Measure {
    Measure::Sample {
        values: figures
            .map(|f| f.and_then(|f| f.number()).filter(|x| x.is_finite()))
            .collect(),
    }
}

/// The `q` quantile pooled over `histograms` (one per replication) and of each.
fn quantile<'h>(histograms: impl Iterator<Item = &'h HoursHistogram> + Clone, q: f64) -> Measure {
    let mut pooled = HoursHistogram::new();
    for h in histograms.clone() {
        pooled.merge(h);
    }
    Measure::Quantile {
        value: pooled.quantile(q),
        values: histograms.map(|h| h.quantile(q)).collect(),
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
