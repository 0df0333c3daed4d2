//! Distributions as written: tagged by `dist`, a family and its parameters.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scenario::formats;
use crate::scenario::tagged::Tagged;

/// A distribution of durations; `dist` selects the family and its parameters.
// Durations are kept as written ("30m"): the checks parse them, with located messages.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "DurationDist", transform = formats::describe_dist)]
pub enum RawDurationDist {
    /// Exponential with mean `mean`.
    Exponential {
        /// Mean, a duration > 0.
        #[schemars(with = "formats::PositiveDuration")]
        mean: toml::Value,
    },
    /// Always `value`.
    Deterministic {
        /// The duration.
        #[schemars(with = "formats::Duration")]
        value: toml::Value,
    },
    /// Uniform between `min` and `max` (min ≤ max).
    Uniform {
        /// Lower bound.
        #[schemars(with = "formats::Duration")]
        min: toml::Value,
        /// Upper bound, ≥ min.
        #[schemars(with = "formats::Duration")]
        max: toml::Value,
    },
    /// Triangular from `min` to `max` with its peak at `mode` (min ≤ mode ≤ max, min < max).
    Triangular {
        /// Lower bound.
        #[schemars(with = "formats::Duration")]
        min: toml::Value,
        /// Most likely value.
        #[schemars(with = "formats::Duration")]
        mode: toml::Value,
        /// Upper bound.
        #[schemars(with = "formats::Duration")]
        max: toml::Value,
    },
    /// Log-normal with mean `mean` and coefficient of variation `cv`.
    Lognormal {
        /// Mean, a duration > 0.
        #[schemars(with = "formats::PositiveDuration")]
        mean: toml::Value,
        /// Coefficient of variation (standard deviation / mean), > 0.
        #[schemars(extend("exclusiveMinimum" = 0))]
        cv: f64,
    },
    /// Gamma with mean `mean` and coefficient of variation `cv`.
    Gamma {
        /// Mean, a duration > 0.
        #[schemars(with = "formats::PositiveDuration")]
        mean: toml::Value,
        /// Coefficient of variation (standard deviation / mean), > 0.
        #[schemars(extend("exclusiveMinimum" = 0))]
        cv: f64,
    },
    /// One of the listed durations, equally likely or in proportion to `weights`.
    Empirical {
        /// The durations drawn from.
        #[schemars(with = "Vec<formats::Duration>", length(min = 1))]
        values: Vec<toml::Value>,
        /// Weights ≥ 0, one per value, with a sum > 0 (default: all equal).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(inner(range(min = 0)))]
        weights: Option<Vec<f64>>,
    },
}

impl Tagged for RawDurationDist {
    const TAG: &'static str = "dist";
    const WHAT: &'static str = "distribution";
    type Keys = DistKeys;
}

/// A distribution of counts (batch sizes); `dist` selects the family and its parameters.
// Counts are kept as written: the checks take whole numbers in range, with located messages.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "CountDist", transform = formats::describe_dist)]
pub enum RawCountDist {
    /// Always `value`.
    Constant {
        /// The count, a whole number from 0 to 1000000.
        #[schemars(with = "i64", range(min = 0, max = 1_000_000))]
        value: toml::Value,
    },
    /// Poisson with mean `mean` (0 is a possible count).
    Poisson {
        /// Mean, a number > 0 (at most 1000000).
        #[schemars(with = "f64", extend("exclusiveMinimum" = 0), range(max = 1_000_000))]
        mean: toml::Value,
    },
    /// Whole numbers from `min` to `max`, equally likely.
    UniformInt {
        /// Smallest count, 0 to 1000000.
        #[schemars(with = "i64", range(min = 0, max = 1_000_000))]
        min: toml::Value,
        /// Largest count, ≥ min, at most 1000000.
        #[schemars(with = "i64", range(min = 0, max = 1_000_000))]
        max: toml::Value,
    },
    /// One of the listed counts, equally likely or in proportion to `weights`.
    Empirical {
        /// The counts drawn from, whole numbers from 0 to 1000000.
        #[schemars(
            with = "Vec<i64>",
            length(min = 1),
            inner(range(min = 0, max = 1_000_000))
        )]
        values: Vec<toml::Value>,
        /// Weights ≥ 0, one per value, with a sum > 0 (default: all equal).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(inner(range(min = 0)))]
        weights: Option<Vec<f64>>,
    },
}

impl Tagged for RawCountDist {
    const TAG: &'static str = "dist";
    const WHAT: &'static str = "count distribution";
    type Keys = DistKeys;
}

/// The keys any distribution may have, each with its type: what a distribution table is
/// read into first, so that a wrong value is reported at its key (see [`tagged`](crate::scenario::tagged)).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DistKeys {
    /// Family name.
    pub dist: String,
    /// Mean (a duration for durations, a number for counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<toml::Value>,
    /// Coefficient of variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<f64>,
    /// Fixed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<toml::Value>,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<toml::Value>,
    /// Mode (most likely value) of a triangular distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<toml::Value>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<toml::Value>,
    /// Empirical values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<toml::Value>>,
    /// Empirical weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
}
