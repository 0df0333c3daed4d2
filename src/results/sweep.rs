//! A sweep's `results.json` (`portsim.sweep/1`): every complete variant's axis values,
//! precision and summary, read back as its types.
//!
//! The summary type is a parameter (`experiment::Summary` in the document portsim
//! writes): this layer lies below the one that defines it. Summaries are stored without
//! their `wall_seconds`, so a sweep's files are the same bytes however it ran.

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Schema name of `results.json`.
pub const SWEEP_SCHEMA: &str = "portsim.sweep/1";

/// The `portsim.sweep/1` document: `results.json`, and what `sweep --json` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "S: Serialize", deserialize = "S: DeserializeOwned"))]
pub struct SweepResults<S> {
    /// Always [`SWEEP_SCHEMA`].
    pub schema: String,
    /// Version of portsim that wrote it.
    pub portsim_version: String,
    /// The sweep's name.
    pub sweep: String,
    /// What identifies the sweep (its variants, scenarios and replications).
    pub sweep_sha256: String,
    /// The axis paths.
    pub columns: Vec<String>,
    /// Variants in the sweep.
    pub variants_total: usize,
    /// Variants complete (those listed).
    pub variants_complete: usize,
    /// Every complete variant, in variant order.
    pub variants: Vec<SweepVariant<S>>,
    /// A complete two-level factorial sweep's effects (absent for any other sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<FactorialEffects>,
}

/// A two-level factorial sweep's effects on one figure: each axis alone and each
/// combination beyond its parts, against the baseline (every axis at its first value),
/// paired by replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactorialEffects {
    /// The figure: `clearance_mean_hours`, the headline mean clearance time.
    pub figure: String,
    /// The replications paired: the first ones, which every variant has (a variant's
    /// further replications under `--precision` are not in the effects).
    #[serde(default)]
    pub replications: usize,
    /// Each axis' two values, baseline first.
    pub levels: IndexMap<String, [toml::Value; 2]>,
    /// Main effects, then interactions by order.
    pub effects: Vec<EffectEstimate>,
    /// Every axis changed against none: what the effects sum to exactly.
    pub total: EffectEstimate,
}

/// One effect's estimate: the mean over replications of its paired contrast and the
/// 95 % interval (none with one replication).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectEstimate {
    /// The axes changed (one: a main effect; more: their interaction; all: the total).
    pub factors: Vec<String>,
    /// The mean (`null` in JSON when not a number).
    #[serde(deserialize_with = "crate::results::nan::nan_if_null")]
    pub mean: f64,
    /// The 95 % interval.
    pub ci95: Option<[f64; 2]>,
}

/// One complete variant of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "S: Serialize", deserialize = "S: DeserializeOwned"))]
pub struct SweepVariant<S> {
    /// Its position among the sweep's variants (from 0).
    pub variant: usize,
    /// Axis path → value.
    pub values: IndexMap<String, toml::Value>,
    /// How its replications were chosen with `--precision` (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<VariantPrecision>,
    /// Its summary, without `wall_seconds`.
    #[serde(with = "untimed")]
    pub summary: S,
}

/// Where `--precision` left a variant.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantPrecision {
    /// Replications run.
    pub replications: u32,
    /// Half-width of the 95 % CI of the headline mean over the mean (`null` when it
    /// could not be estimated).
    pub half_width_relative: Option<f64>,
    /// Whether the target was met.
    pub met: bool,
}

impl<S: Serialize> SweepResults<S> {
    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the results serialise");
        s.push('\n');
        s
    }
}

/// A summary stored without its wall-clock field, read back with it unknown (NaN).
mod untimed {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    /// The one field of a summary that varies between identical runs.
    const WALL: &str = "wall_seconds";

    pub fn serialize<T: Serialize, S: Serializer>(summary: &T, s: S) -> Result<S::Ok, S::Error> {
        let mut v = serde_json::to_value(summary).map_err(S::Error::custom)?;
        if let Some(o) = v.as_object_mut() {
            o.shift_remove(WALL);
        }
        v.serialize(s)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let mut v = Value::deserialize(d)?;
        if let Some(o) = v.as_object_mut() {
            o.entry(WALL).or_insert(Value::Null);
        }
        T::deserialize(v).map_err(D::Error::custom)
    }
}
