//! `warmup = "auto"`: the warm-up estimated by MSER-5 from a deterministic pilot run.
//!
//! The pilot is one replication of the model with no warm-up, keyed by a replication
//! number no real replication uses ([`PILOT_REPLICATION`]): it depends on the seed and
//! the scenario only — not on `--jobs`, nor on the number of replications — and its
//! random streams are independent of every replication that is counted.
//!
//! The series is the mean clearance time of the headline shipments by *arrival* day
//! (day = ⌊arrival hours / 24⌋). Days on which no headline shipment arrived (and was
//! released) are skipped, not carried: a carried value would be a run of made-up
//! constant observations that MSER reads as a calm stretch. A truncation of d
//! observations therefore ends the warm-up at the start of the d-th observed day, in
//! whole days; it is cut down to half the horizon at most.

use super::replications::thread_pool;
use crate::engine::SimTime;
use crate::model::flow::{ShipmentRecord, TraceSink};
use crate::model::{Model, Replication, WarmupEstimate, WarmupRule};
use crate::stats::mser5;

/// The replication number of the pilot run. Real replications are numbered from 0 and
/// validation allows at most a million, so this one is never counted.
pub const PILOT_REPLICATION: u32 = u32::MAX;

/// The name of the rule, as reports show it.
pub const MSER5: &str = "MSER-5";

/// Settles the warm-up of every model (a pilot run each, in parallel on `threads`
/// workers; each estimate depends only on its model).
pub fn settle_all(
    models: &mut [Model],
    threads: Option<usize>,
) -> Result<(), rayon::ThreadPoolBuildError> {
    use rayon::prelude::*;
    thread_pool(threads)?.install(|| {
        models.par_iter_mut().for_each(|m| {
            settle(m);
        })
    });
    Ok(())
}

/// Settles a model's warm-up: with `WarmupRule::Auto` not yet estimated, runs the pilot,
/// sets `model.warmup` and returns the estimate. An already settled model is not
/// re-estimated (its estimate is returned again); a fixed warm-up is left alone (`None`).
pub fn settle(model: &mut Model) -> Option<WarmupEstimate> {
    match model.warmup_rule {
        WarmupRule::Fixed => None,
        WarmupRule::Auto(Some(estimate)) => Some(estimate),
        WarmupRule::Auto(None) => {
            let estimate = estimate(model);
            model.warmup = SimTime::from_hours(f64::from(estimate.days) * 24.0);
            model.warmup_rule = WarmupRule::Auto(Some(estimate));
            Some(estimate)
        }
    }
}

/// Runs the pilot of `model` (with its warm-up set to 0) and applies MSER-5 to its
/// daily mean clearance times. Leaves `model` as it was.
fn estimate(model: &mut Model) -> WarmupEstimate {
    let horizon_hours = model.horizon.hours();
    let pilot_days = (horizon_hours / 24.0).ceil() as u32;
    let mut sink = DailyClearance::new(pilot_days as usize);
    let kept = std::mem::replace(&mut model.warmup, SimTime::ZERO);
    Replication::new(&*model, PILOT_REPLICATION, Some(&mut sink)).run();
    model.warmup = kept;

    let (days, series) = sink.series();
    let cut = mser5(&series);
    let truncation_day = days.get(cut).copied().unwrap_or(0);
    let half = (horizon_hours / 48.0).floor() as u32;
    WarmupEstimate {
        days: truncation_day.min(half),
        method: MSER5,
        pilot_days,
        series_days: days.len() as u32,
        capped: truncation_day > half,
    }
}

/// Sums and counts of headline clearance times by arrival day.
struct DailyClearance {
    sums: Vec<f64>,
    counts: Vec<u64>,
}

impl DailyClearance {
    fn new(days: usize) -> Self {
        DailyClearance {
            sums: vec![0.0; days],
            counts: vec![0; days],
        }
    }

    /// The observed days and their mean clearance, days without shipments skipped.
    fn series(&self) -> (Vec<u32>, Vec<f64>) {
        self.counts
            .iter()
            .zip(&self.sums)
            .enumerate()
            .filter(|(_, (n, _))| **n > 0)
            .map(|(day, (n, sum))| (day as u32, sum / *n as f64))
            .unzip()
    }
}

impl TraceSink for DailyClearance {
    fn shipment_released(&mut self, record: &ShipmentRecord<'_>) {
        if !record.mode.headline || !record.clearance_hours.is_finite() {
            return;
        }
        let day = (record.arrival.hours() / 24.0).floor();
        if day >= 0.0 && (day as usize) < self.sums.len() {
            self.sums[day as usize] += record.clearance_hours;
            self.counts[day as usize] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    const MM1: &str = r#"name = "M/M/1"
start = "2024-01-01"
horizon_days = 60
replications = 2
warmup = "auto"
[[pools]]
name = "servers"
staff = 1
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 0.5 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ]
"#;

    #[test]
    fn settles_once_and_deterministically() {
        let mut a = load_str("a.toml", MM1, &[]).unwrap().model;
        let mut b = a.clone();
        let ea = settle(&mut a).expect("an automatic warm-up");
        assert_eq!(ea.method, MSER5);
        assert_eq!(ea.pilot_days, 60);
        assert!(ea.days <= 30 && !ea.capped, "{ea:?}");
        assert_eq!(a.warmup.hours(), f64::from(ea.days) * 24.0);
        assert_eq!(a.warmup_rule, WarmupRule::Auto(Some(ea)));
        // Again: the same estimate, no new pilot (the warm-up is not reset to 0 first).
        assert_eq!(settle(&mut a), Some(ea));
        assert_eq!(a.warmup.hours(), f64::from(ea.days) * 24.0);
        // Another copy of the same model: the same estimate, whatever R says.
        b.replications = 7;
        assert_eq!(settle(&mut b), Some(ea));
    }

    #[test]
    fn a_fixed_warmup_is_left_alone() {
        let text = MM1.replace("warmup = \"auto\"", "warmup_days = 3");
        let mut m = load_str("f.toml", &text, &[]).unwrap().model;
        assert_eq!(settle(&mut m), None);
        assert_eq!(m.warmup.hours(), 72.0);
        assert_eq!(m.warmup_rule, WarmupRule::Fixed);
        assert_eq!(m.warmup_rule.method(), "fixed");
    }
}
