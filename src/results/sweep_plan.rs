//! The `portsim.sweep-plan/1` document: what `sweep --dry-run --json` prints — the
//! variants a sweep would run, with their values and replications, and the job count.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Schema name of the sweep plan.
pub const SWEEP_PLAN_SCHEMA: &str = "portsim.sweep-plan/1";

/// The `portsim.sweep-plan/1` document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPlan {
    /// Always [`SWEEP_PLAN_SCHEMA`].
    pub schema: String,
    /// The sweep file, as named by the user.
    pub file: String,
    /// The sweep's name.
    pub sweep: String,
    /// The base scenario file.
    pub scenario: String,
    /// Jobs (variant × replication) the sweep would run.
    pub jobs: u32,
    /// Every variant, in order.
    pub variants: Vec<PlannedVariant>,
}

/// One variant a sweep would run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedVariant {
    /// Its position among the sweep's variants (from 0).
    pub variant: usize,
    /// Axis path → value.
    pub values: IndexMap<String, toml::Value>,
    /// Replications it would run.
    pub replications: u32,
}

impl SweepPlan {
    /// Pretty-printed JSON, without a trailing newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the plan serialises")
    }
}
