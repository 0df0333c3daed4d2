//! Stages as written: a service, a delay or parallel branches, told apart by their keys.

use schemars::JsonSchema;
use serde::de::Error;
use serde::{Deserialize, Deserializer, Serialize};

use super::dist::RawDurationDist;
use crate::scenario::locate::keyed_message;
use crate::scenario::tagged;

/// A stage: service by one officer of `pool` for `time`, a `delay` (time passes, no
/// officer), or parallel `branches`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Stage", deny_unknown_fields)]
pub enum RawStage {
    /// Service by one officer of `pool` for `time`.
    Service {
        /// Stage name (unique within its list of stages).
        name: String,
        /// Pool serving the stage (a pool's `name`).
        pool: String,
        /// Service time (a duration distribution).
        time: RawDurationDist,
    },
    /// Time passes without an officer, in a working-hour `calendar` if given.
    Delay {
        /// Stage name (unique within its list of stages).
        name: String,
        /// How long (a duration distribution).
        delay: RawDurationDist,
        /// Working-hour calendar the delay counts in (a key of `calendars`).
        #[serde(skip_serializing_if = "Option::is_none")]
        calendar: Option<String>,
        /// The calendar a fast-tracked shipment's delay counts in instead (a key of
        /// `calendars`): a laboratory that tests perishables out of its hours, say.
        #[serde(skip_serializing_if = "Option::is_none")]
        calendar_fast_track: Option<String>,
    },
    /// Branches that run in parallel; the stage ends when the last branch ends.
    Parallel {
        /// Stage name (unique within its list of stages).
        name: String,
        /// At least two branches, each with its own stages (no nested branches).
        #[schemars(length(min = 2))]
        branches: Vec<RawBranch>,
    },
}

impl RawStage {
    /// The stage's name.
    pub fn name(&self) -> &str {
        match self {
            RawStage::Service { name, .. }
            | RawStage::Delay { name, .. }
            | RawStage::Parallel { name, .. } => name,
        }
    }
}

/// A stage of a parallel branch: a service or a delay (branches do not nest).
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "BranchStage", deny_unknown_fields)]
pub enum RawBranchStage {
    /// Service by one officer of `pool` for `time`.
    Service {
        /// Stage name (unique within the branch).
        name: String,
        /// Pool serving the stage (a pool's `name`).
        pool: String,
        /// Service time (a duration distribution).
        time: RawDurationDist,
    },
    /// Time passes without an officer, in a working-hour `calendar` if given.
    Delay {
        /// Stage name (unique within the branch).
        name: String,
        /// How long (a duration distribution).
        delay: RawDurationDist,
        /// Working-hour calendar the delay counts in (a key of `calendars`).
        #[serde(skip_serializing_if = "Option::is_none")]
        calendar: Option<String>,
        /// The calendar a fast-tracked shipment's delay counts in instead (a key of
        /// `calendars`): a laboratory that tests perishables out of its hours, say.
        #[serde(skip_serializing_if = "Option::is_none")]
        calendar_fast_track: Option<String>,
    },
}

impl From<RawBranchStage> for RawStage {
    fn from(s: RawBranchStage) -> RawStage {
        match s {
            RawBranchStage::Service { name, pool, time } => RawStage::Service { name, pool, time },
            RawBranchStage::Delay {
                name,
                delay,
                calendar,
                calendar_fast_track,
            } => RawStage::Delay {
                name,
                delay,
                calendar,
                calendar_fast_track,
            },
        }
    }
}

/// One branch of a parallel stage.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Branch")]
pub struct RawBranch {
    /// Branch name (unique within the stage).
    pub name: String,
    /// Its stages, in order (services and delays).
    #[schemars(length(min = 1))]
    pub stages: Vec<RawBranchStage>,
    /// Whether the branch starts when the shipment arrives rather than when its
    /// declaration is lodged (only in a channel's first stage): "fast-track" for
    /// fast-tracked shipments (perishables inspected on arrival), "all" for every one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_arrival: Option<RawOnArrival>,
}

/// Who starts a branch on arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RawOnArrival {
    /// Fast-tracked shipments (the priority class of a mode with the fast track).
    FastTrack,
    /// Every shipment of the channel.
    All,
}

/// The keys any stage may have, each with its type: what a stage is read into first, so
/// that a wrong value is reported at its key; which keys it has then says its kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageKeys {
    name: String,
    #[serde(default)]
    pool: Option<String>,
    #[serde(default, deserialize_with = "tagged::some")]
    time: Option<RawDurationDist>,
    #[serde(default, deserialize_with = "tagged::some")]
    delay: Option<RawDurationDist>,
    #[serde(default)]
    calendar: Option<String>,
    #[serde(default)]
    calendar_fast_track: Option<String>,
    #[serde(default)]
    branches: Option<Vec<RawBranch>>,
}

/// A problem with a stage's keys: the key it concerns (none: the stage as a whole) and
/// what was expected.
type KindError = (Option<&'static str>, String);

impl StageKeys {
    /// The stage these keys make, or what is wrong with them.
    fn into_stage(self) -> Result<RawStage, KindError> {
        let StageKeys {
            name,
            pool,
            time,
            delay,
            calendar,
            calendar_fast_track,
            branches,
        } = self;
        // A calendar has no place in a service or parallel stage: said rather than dropped.
        let no_calendar = |what: &str| -> Result<(), KindError> {
            let key = match (&calendar, &calendar_fast_track) {
                (Some(_), _) => "calendar",
                (None, Some(_)) => "calendar_fast_track",
                (None, None) => return Ok(()),
            };
            Err((Some(key), format!("`{key}` applies to delays; {what}")))
        };
        match (pool, time, delay, branches) {
            (Some(pool), Some(time), None, None) => {
                no_calendar("officers work their pool's roster")?;
                Ok(RawStage::Service { name, pool, time })
            }
            (None, None, Some(delay), None) => Ok(RawStage::Delay {
                name,
                delay,
                calendar,
                calendar_fast_track,
            }),
            (None, None, None, Some(branches)) => {
                no_calendar("each branch's delays may have their own")?;
                Ok(RawStage::Parallel { name, branches })
            }
            (None, None, None, None) => Err((
                None,
                format!(
                    "stage \"{name}\" needs `pool` and `time` (service), `delay`, or `branches`"
                ),
            )),
            (Some(_), None, None, None) => Err((
                Some("time"),
                format!("service stage \"{name}\" needs `time = {{ dist = ... }}`"),
            )),
            (None, Some(_), None, None) => Err((
                Some("pool"),
                format!("stage \"{name}\" has a service `time` but no `pool`"),
            )),
            _ => Err((
                None,
                format!(
                    "stage \"{name}\" mixes kinds: a stage is a service (`pool`, `time`), a `delay`, or `branches` — one of them"
                ),
            )),
        }
    }
}

/// The error of a stage's keys, for the deserialiser `D`.
fn kind_error<E: Error>((key, message): KindError) -> E {
    E::custom(keyed_message(key, &message))
}

impl<'de> Deserialize<'de> for RawStage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StageKeys::deserialize(d)?.into_stage().map_err(kind_error)
    }
}

impl<'de> Deserialize<'de> for RawBranchStage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match RawStage::deserialize(d)? {
            RawStage::Service { name, pool, time } => Ok(Self::Service { name, pool, time }),
            RawStage::Delay {
                name,
                delay,
                calendar,
                calendar_fast_track,
            } => Ok(Self::Delay {
                name,
                delay,
                calendar,
                calendar_fast_track,
            }),
            RawStage::Parallel { .. } => Err(kind_error((
                Some("branches"),
                "parallel branches cannot be nested inside a branch".into(),
            ))),
        }
    }
}
