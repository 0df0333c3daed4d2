//! The `portsim.compare/1` document: B against A, each side named, with the contrasts
//! of clearance (overall and per mode) and staff-hours, read back as its types.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::nan::nan_if_null;

/// Schema name of the comparison document.
pub const COMPARE_SCHEMA: &str = "portsim.compare/1";

/// An estimate and its 95 % confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The point estimate (NaN, written `null`, when there is nothing to estimate).
    #[serde(deserialize_with = "nan_if_null")]
    pub mean: f64,
    /// 95 % interval; `None` with fewer than two replications on a side.
    pub ci95: Option<[f64; 2]>,
}

impl Interval {
    /// Half-width of the interval, if any.
    pub fn half_width(&self) -> Option<f64> {
        self.ci95.map(|[lo, hi]| (hi - lo) / 2.0)
    }

    /// Nothing to estimate: NaN, no interval.
    pub fn none() -> Interval {
        Interval {
            mean: f64::NAN,
            ci95: None,
        }
    }
}

/// One measure on both sides: A, B, the difference B − A and the relative change
/// B/A − 1, each with a 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contrast {
    /// Mean over A's replications.
    pub a: Interval,
    /// Mean over B's replications.
    pub b: Interval,
    /// B − A.
    pub difference: Interval,
    /// B/A − 1 (a fraction: −0.469 is −46.9 %).
    pub relative: Interval,
    /// What pairing bought, from the same replications (paired comparisons with at least
    /// two pairs and some spread; absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairing: Option<PairingGain>,
}

/// What pairing bought on one measure, estimated from the paired replications themselves:
/// their intervals against Welch's intervals from the same values taken as two
/// independent samples (what independent streams with these spreads would give).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairingGain {
    /// Correlation of A's and B's values across replications.
    pub correlation: f64,
    /// Welch's half-width of B − A over the paired one: how many times narrower pairing
    /// made the interval of the difference.
    pub difference_narrower: f64,
    /// The same for the relative change B/A − 1.
    pub relative_narrower: f64,
}

/// Clearance time of one flow (the headline modes, or one mode) compared.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowComparison {
    /// Mean clearance time, hours.
    #[serde(flatten)]
    pub mean: Contrast,
    /// The 90th percentile of each replication's clearance times, hours.
    pub p90: Contrast,
}

/// A comparison of B against A.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Whether the replications were paired (common random numbers).
    pub paired: bool,
    /// The headline modes together (each side's own headline modes).
    pub overall: FlowComparison,
    /// Per mode present on both sides, in A's order.
    pub modes: IndexMap<String, FlowComparison>,
    /// Mean clearance per class ("priority", "normal") of the headline modes, for each
    /// class that released shipments on both sides (the priority class is a label when
    /// a side runs without the fast track: `fast_track = false`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub classes: IndexMap<String, Contrast>,
    /// Staff-hours: rostered officer-hours summed over pools, per replication.
    pub staff_hours: Contrast,
    /// Staff-hours per pool present on both sides, in A's order.
    pub pools: IndexMap<String, Contrast>,
    /// All pools' officer-hours by kind and in total, per replication.
    pub officer_hours: HoursContrast,
    /// What they cost, when both sides have `[cost]` weights in the same unit.
    pub cost: Option<CostContrast>,
}

/// Officer-hours of every pool together, by kind and in total, on both sides.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoursContrast {
    /// Regular (rostered) officer-hours.
    pub regular: Contrast,
    /// On-call officer-hours.
    pub on_call: Contrast,
    /// Overtime officer-hours.
    pub overtime: Contrast,
    /// The three together.
    pub total: Contrast,
}

/// The cost of the officer-hours on both sides, in one unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostContrast {
    /// What the figures are in (the scenarios' `[cost]` unit).
    pub unit: String,
    /// The total cost's contrast.
    #[serde(flatten)]
    pub total: Contrast,
}

/// One figure's value in every replication of both sides, and B − A replication by
/// replication when the sides are paired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationValues {
    /// What it is of: "overall" (the headline modes together), a mode's name, or "all
    /// pools".
    pub entity: String,
    /// Which figure: `clearance_mean`, `clearance_p90`, `officer_hours_regular`,
    /// `officer_hours_on_call`, `officer_hours_overtime`, `officer_hours_total`, `cost`.
    pub figure: String,
    /// Its unit: `hours`, `officer_hours`, or the `[cost]` unit.
    pub unit: String,
    /// A's value in each replication, in order (`null` where there is none).
    #[serde(with = "nan_as_null")]
    pub a: Vec<f64>,
    /// B's value in each replication.
    #[serde(with = "nan_as_null")]
    pub b: Vec<f64>,
    /// B − A in each pair of replications (paired comparisons only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "nan_as_null_opt"
    )]
    pub difference: Option<Vec<f64>>,
}

/// NaN (no value) as JSON `null`, and back.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(xs.iter().map(|x| x.is_finite().then_some(*x)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let xs: Vec<Option<f64>> = Vec::deserialize(d)?;
        Ok(xs.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }
}

/// [`nan_as_null`] of an optional list.
mod nan_as_null_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(xs: &Option<Vec<f64>>, s: S) -> Result<S::Ok, S::Error> {
        match xs {
            Some(xs) => s.collect_seq(xs.iter().map(|x| x.is_finite().then_some(*x))),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
        let xs: Option<Vec<Option<f64>>> = Option::deserialize(d)?;
        Ok(xs.map(|xs| xs.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()))
    }
}

/// What identifies one side of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// The scenario file, as named by the user.
    pub file: String,
    /// Scenario name.
    pub scenario: String,
    /// Policy used; `None` when no pool has rosters.
    pub policy: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// SHA-256 of the resolved scenario.
    pub scenario_sha256: String,
    /// Whether this side's run was unstable as its summary says: a pool overloaded,
    /// arrivals turned away at the cap, or counted shipments left unreleased.
    pub unstable: bool,
    /// What made it unstable: each overloaded pool with the measures that found it so
    /// and from when, shipments unreleased or turned away (empty when stable).
    pub unstable_reasons: Vec<String>,
    /// Overrides of this side alone (`--set-a` / `--set-b`), `PATH=VALUE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

/// One side in the document: what identifies it, and its mean clearance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideDocument {
    /// What identifies the side.
    #[serde(flatten)]
    pub side: Side,
    /// Mean clearance time (headline modes) with its 95 % CI.
    pub clearance_hours: Interval,
}

/// Staff-hours in the document: the total's contrast, and each pool's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffHours {
    /// Summed over pools.
    #[serde(flatten)]
    pub total: Contrast,
    /// Per pool present on both sides, in A's order.
    pub pools: IndexMap<String, Contrast>,
}

/// The `portsim.compare/1` document (`portsim compare --json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareDocument {
    /// Always [`COMPARE_SCHEMA`].
    pub schema: String,
    /// Version of portsim that wrote it.
    pub portsim_version: String,
    /// The baseline.
    pub a: SideDocument,
    /// The alternative.
    pub b: SideDocument,
    /// A's seed (in an independent comparison `b.seed` differs).
    pub seed: u64,
    /// A's replications.
    pub replications: u32,
    /// Whether the replications were paired (common random numbers).
    pub paired: bool,
    /// Whether either side was unstable.
    pub unstable: bool,
    /// The headline modes together.
    pub overall: FlowComparison,
    /// Per mode present on both sides, in A's order.
    pub modes: IndexMap<String, FlowComparison>,
    /// Mean clearance per class of the headline modes (absent in documents written
    /// before classes were compared).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub classes: IndexMap<String, Contrast>,
    /// Rostered officer-hours in the counting window.
    pub staff_hours: StaffHours,
    /// All officer-hours by kind (regular, on-call, overtime) and in total (absent in
    /// documents written before they were compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_hours: Option<HoursContrast>,
    /// Their cost, when both sides have `[cost]` weights in the same unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostContrast>,
    /// Every compared figure's value in each replication of both sides and, paired, the
    /// differences (in the file `compare --out` writes; absent on stdout).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_replication: Vec<ReplicationValues>,
    /// Both sides' `portsim.summary/1` documents, A then B: what `portsim plot` redraws
    /// the figures from (in the file `compare --out` writes; absent on stdout).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summaries: Vec<serde_json::Value>,
}

impl CompareDocument {
    /// The document of `comparison`, B (`b`) against A (`a`).
    pub fn new(a: &Side, b: &Side, comparison: &Comparison) -> CompareDocument {
        let c = comparison;
        CompareDocument {
            schema: COMPARE_SCHEMA.into(),
            portsim_version: env!("CARGO_PKG_VERSION").into(),
            a: SideDocument {
                side: a.clone(),
                clearance_hours: c.overall.mean.a,
            },
            b: SideDocument {
                side: b.clone(),
                clearance_hours: c.overall.mean.b,
            },
            seed: a.seed,
            replications: a.replications,
            paired: c.paired,
            unstable: a.unstable || b.unstable,
            overall: c.overall,
            modes: c.modes.clone(),
            classes: c.classes.clone(),
            staff_hours: StaffHours {
                total: c.staff_hours,
                pools: c.pools.clone(),
            },
            officer_hours: Some(c.officer_hours),
            cost: c.cost.clone(),
            per_replication: Vec::new(),
            summaries: Vec::new(),
        }
    }

    /// The comparison the document was written from; `None` for a document written
    /// before officer-hours were compared.
    pub fn comparison(&self) -> Option<Comparison> {
        Some(Comparison {
            paired: self.paired,
            overall: self.overall,
            modes: self.modes.clone(),
            classes: self.classes.clone(),
            staff_hours: self.staff_hours.total,
            pools: self.staff_hours.pools.clone(),
            officer_hours: self.officer_hours?,
            cost: self.cost.clone(),
        })
    }

    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the comparison always serialises");
        s.push('\n');
        s
    }
}
