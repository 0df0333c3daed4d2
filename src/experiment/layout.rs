//! What a summary needs to know of a model besides the replication results: names,
//! headline flags, the counting window. Stored in shard files so that `portsim merge`
//! can summarise results without the scenario files (or their arrival logs).

use serde::{Deserialize, Serialize};

use crate::model::Model;

/// The shape of a model's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Scenario name.
    pub scenario: String,
    /// Policy used; `None` when no pool has rosters.
    pub policy: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Horizon, hours from start (warm-up included).
    pub horizon_hours: f64,
    /// Warm-up, hours.
    pub warmup_hours: f64,
    /// How the warm-up was chosen: `fixed` or `MSER-5`.
    #[serde(default = "fixed")]
    pub warmup_method: String,
    /// The service-level target, hours.
    pub sla_hours: Option<f64>,
    /// Which milestones bound the clearance time ("lodgement-release", ...).
    pub clearance_interval: String,
    /// Modes, in model order.
    pub modes: Vec<ModeLayout>,
    /// Pool names, in model order.
    pub pools: Vec<String>,
}

/// The warm-up method of layouts written before it was recorded.
fn fixed() -> String {
    "fixed".to_string()
}

/// The shape of one mode's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeLayout {
    /// Mode name.
    pub name: String,
    /// Whether it counts in `overall`.
    pub headline: bool,
    /// Stage names, in the order of the mode's stage tallies.
    pub stages: Vec<String>,
    /// Channel names, in the order of the mode's channel tallies.
    pub channels: Vec<String>,
}

impl Layout {
    /// The layout of `model`.
    pub fn of(model: &Model) -> Layout {
        Layout {
            scenario: model.name.clone(),
            policy: model.policy.clone(),
            seed: model.seed,
            horizon_hours: model.horizon.hours(),
            warmup_hours: model.warmup.hours(),
            warmup_method: model.warmup_rule.method().to_string(),
            sla_hours: model.sla_hours,
            clearance_interval: model.clearance_interval.name(),
            modes: model
                .modes
                .iter()
                .map(|m| ModeLayout {
                    name: m.name.clone(),
                    headline: m.headline,
                    stages: m.stage_names.clone(),
                    channels: m.channels.iter().map(|c| c.name.clone()).collect(),
                })
                .collect(),
            pools: model.pools.iter().map(|p| p.name.clone()).collect(),
        }
    }

    /// Hours in the counting window [warm-up end, horizon).
    pub fn window_hours(&self) -> f64 {
        self.horizon_hours - self.warmup_hours
    }
}
