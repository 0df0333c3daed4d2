//! The metric table: every figure the outputs show of a run, a flow of shipments (the
//! headline modes together, or one mode) and a pool — its stable name (the CSV column
//! key), where the summary JSON holds it, a label for people, its unit and how it is read
//! from a replication's results — and the column lists of the outputs, drawn from it.
//!
//! Each output's columns are one [`Columns`] constant below ([`REPLICATIONS_CSV`],
//! [`SWEEP_CSV`], [`SWEEP_TABLE`], [`POOL_TABLE`], [`CHECK`]); an output formats the
//! figures, in its own way, and nothing else. A figure of a whole summary (a mean over
//! replications, an interval, a verdict) is read where summaries are known, above this
//! layer, by a match over the same metrics.

use std::borrow::Cow;

use super::replication::{ModeResult, PoolResult, ReplicationResult};
use crate::stats::{HoursHistogram, Tally};

/// What a metric is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A number of things: replications, events, shipments.
    Count,
    /// Hours of a shipment's time (clearance, waiting).
    Hours,
    /// Officer-hours: ∫ headcount dt.
    OfficerHours,
    /// Money (or weights) per the scenario's `[cost]` table.
    Cost,
    /// A time-average number of shipments (a queue).
    Shipments,
    /// A part of a whole, 0 to 1.
    Share,
    /// Work offered over the capacity that can take it: 1 saturates.
    Load,
    /// Growth of a queue per hour over the tokens joining per hour, signed.
    Growth,
    /// A verdict: yes or no, the measures that tripped, the date it began.
    Verdict,
}

/// The form of a metric's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// One value.
    Value,
    /// A 95 % interval: two values, its low and high ends.
    Interval,
    /// The `q` quantile of a flow's clearance times (pooled over replications where a
    /// figure is pooled).
    Quantile(f64),
}

/// One row of the metric table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// Stable key: the CSV column (after `mode.<mode>.` or `pool.<pool>.`); an
    /// interval's two columns add `_low` and `_high`.
    pub name: &'static str,
    /// Where the summary JSON (`portsim.summary/1`) holds it, under the summary, a flow
    /// or a pool: what the regression check names it by. The name where the summary
    /// holds no such key.
    pub path: &'static str,
    /// Heading for people, in tables.
    pub label: &'static str,
    /// What it is measured in.
    pub unit: Unit,
    /// One value, an interval or a quantile.
    pub kind: Kind,
}

/// A metric of the table: its row.
pub trait Metric: Copy {
    /// Its row of the table.
    fn spec(self) -> Spec;
}

/// A metric's value, as read from results.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// A count.
    Count(u64),
    /// A number; `None` when there was nothing to measure.
    Number(Option<f64>),
    /// A 95 % interval; `None` when there is none (a single replication).
    Interval(Option<[f64; 2]>),
    /// Yes or no.
    Flag(bool),
    /// Names, in order (the measures that tripped).
    Names(Vec<String>),
    /// A date (`YYYY-MM-DD`), if any.
    Date(Option<String>),
}

impl Figure {
    /// The figure as one number: a count or a number; `None` for the others.
    pub fn number(&self) -> Option<f64> {
        match self {
            Figure::Count(n) => Some(*n as f64),
            Figure::Number(x) => *x,
            _ => None,
        }
    }
}

/// Figures of a whole run (or of one replication).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMetric {
    /// The replication's number (0-based).
    Replication,
    /// Events processed.
    Events,
    /// Replications run.
    Replications,
    /// Rostered officer-hours of every pool together.
    StaffHours,
    /// Whether anything was overloaded, capped or left unreleased.
    Unstable,
    /// Rostered on-call officer-hours of every pool together.
    OnCallHours,
    /// Overtime officer-hours of every pool together.
    OvertimeHours,
    /// Regular, on-call and overtime officer-hours of every pool together.
    OfficerHours,
    /// What those hours cost under the scenario's `[cost]` weights (none without).
    Cost,
}

impl RunMetric {
    /// Every run metric.
    pub const ALL: [RunMetric; 9] = [
        RunMetric::Replication,
        RunMetric::Events,
        RunMetric::Replications,
        RunMetric::StaffHours,
        RunMetric::Unstable,
        RunMetric::OnCallHours,
        RunMetric::OvertimeHours,
        RunMetric::OfficerHours,
        RunMetric::Cost,
    ];

    /// The officer-hour figures, regular to total, and the cost.
    pub const HOURS: [RunMetric; 5] = [
        RunMetric::StaffHours,
        RunMetric::OnCallHours,
        RunMetric::OvertimeHours,
        RunMetric::OfficerHours,
        RunMetric::Cost,
    ];

    /// Its value in one replication; `None` for what only a whole run has.
    pub fn of_replication(self, r: &ReplicationResult) -> Option<Figure> {
        match self {
            RunMetric::Replication => Some(Figure::Count(u64::from(r.replication))),
            RunMetric::Events => Some(Figure::Count(r.events)),
            RunMetric::StaffHours => Some(Figure::Number(Some(
                r.pools.iter().map(|p| p.staff_hours).sum(),
            ))),
            RunMetric::OnCallHours => Some(Figure::Number(Some(
                r.pools.iter().map(|p| p.on_call_hours).sum(),
            ))),
            RunMetric::OvertimeHours => Some(Figure::Number(Some(
                r.pools.iter().map(|p| p.overtime_hours).sum(),
            ))),
            RunMetric::OfficerHours => Some(Figure::Number(Some(
                crate::results::OfficerHours::of_pools(&r.pools).total,
            ))),
            RunMetric::Cost => Some(Figure::Number(r.cost)),
            RunMetric::Replications | RunMetric::Unstable => None,
        }
    }
}

impl Metric for RunMetric {
    fn spec(self) -> Spec {
        use Kind::Value;
        let (name, path, label, unit) = match self {
            RunMetric::Replication => ("replication", "replication", "replication", Unit::Count),
            RunMetric::Events => ("events", "events", "events", Unit::Count),
            RunMetric::Replications => ("replications", "replications", "reps", Unit::Count),
            RunMetric::StaffHours => ("staff_hours", "staff_hours", "staff-h", Unit::OfficerHours),
            RunMetric::Unstable => ("unstable", "unstable", "status", Unit::Verdict),
            RunMetric::OnCallHours => (
                "on_call_hours",
                "officer_hours.on_call",
                "on-call-h",
                Unit::OfficerHours,
            ),
            RunMetric::OvertimeHours => (
                "overtime_hours",
                "officer_hours.overtime",
                "overtime-h",
                Unit::OfficerHours,
            ),
            RunMetric::OfficerHours => (
                "officer_hours",
                "officer_hours.total",
                "total-h",
                Unit::OfficerHours,
            ),
            RunMetric::Cost => ("cost", "cost.total", "cost", Unit::Cost),
        };
        Spec {
            name,
            path,
            label,
            unit,
            kind: Value,
        }
    }
}

/// Figures of a flow of counted shipments: the headline modes together (overall), or
/// one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowMetric {
    /// Counted arrivals.
    Arrivals,
    /// Counted shipments released.
    Released,
    /// Counted shipments not released by the drain limit.
    Unreleased,
    /// Mean clearance time.
    ClearanceMean,
    /// The mean clearance time's 95 % interval.
    ClearanceMeanCi,
    /// Median clearance time.
    ClearanceP50,
    /// 90th percentile of the clearance time.
    ClearanceP90,
    /// 95th percentile of the clearance time.
    ClearanceP95,
    /// 99th percentile of the clearance time.
    ClearanceP99,
    /// Longest clearance time.
    ClearanceMax,
    /// Share cleared within the SLA.
    SlaShare,
    /// That share's 95 % interval.
    SlaShareCi,
    /// Mean time waiting for officers.
    WaitMean,
    /// Share of shipments that waited at all.
    WaitedShare,
}

impl FlowMetric {
    /// Every flow metric.
    pub const ALL: [FlowMetric; 14] = [
        FlowMetric::Arrivals,
        FlowMetric::Released,
        FlowMetric::Unreleased,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceMeanCi,
        FlowMetric::ClearanceP50,
        FlowMetric::ClearanceP90,
        FlowMetric::ClearanceP95,
        FlowMetric::ClearanceP99,
        FlowMetric::ClearanceMax,
        FlowMetric::SlaShare,
        FlowMetric::SlaShareCi,
        FlowMetric::WaitMean,
        FlowMetric::WaitedShare,
    ];

    /// Its value in one replication's tallies of the flow; `None` for what only a whole
    /// run has (intervals) or what the tallies cannot tell (the SLA, not known here).
    pub fn of_replication(self, t: &FlowTally) -> Option<Figure> {
        let number = |x: f64| Some(Figure::Number(Some(x)));
        match self {
            FlowMetric::Arrivals => Some(Figure::Count(t.arrivals)),
            FlowMetric::Released => Some(Figure::Count(t.clearance.count)),
            FlowMetric::Unreleased => Some(Figure::Count(t.arrivals - t.clearance.count)),
            FlowMetric::ClearanceMean => number(t.clearance.mean()),
            FlowMetric::ClearanceP50
            | FlowMetric::ClearanceP90
            | FlowMetric::ClearanceP95
            | FlowMetric::ClearanceP99 => match self.spec().kind {
                Kind::Quantile(q) => Some(Figure::Number(t.histogram.quantile(q))),
                Kind::Value | Kind::Interval => None,
            },
            FlowMetric::ClearanceMax => Some(Figure::Number(t.histogram.max())),
            FlowMetric::WaitMean => number(t.wait.mean()),
            FlowMetric::WaitedShare => number(t.wait.positive_share()),
            FlowMetric::ClearanceMeanCi | FlowMetric::SlaShare | FlowMetric::SlaShareCi => None,
        }
    }
}

impl Metric for FlowMetric {
    fn spec(self) -> Spec {
        use Kind::{Interval, Quantile, Value};
        use Unit::{Count, Hours, Share};
        let (name, path, label, unit, kind) = match self {
            FlowMetric::Arrivals => ("arrivals", "arrivals", "arrivals", Count, Value),
            FlowMetric::Released => ("released", "released", "released", Count, Value),
            FlowMetric::Unreleased => ("unreleased", "unreleased", "unreleased", Count, Value),
            FlowMetric::ClearanceMean => {
                let path = "clearance_hours.mean";
                ("clearance_mean", path, "mean h", Hours, Value)
            }
            FlowMetric::ClearanceMeanCi => {
                let path = "clearance_hours.mean_ci95";
                ("clearance_mean_ci", path, "95% CI", Hours, Interval)
            }
            FlowMetric::ClearanceP50 => {
                let path = "clearance_hours.p50";
                ("clearance_p50", path, "p50 h", Hours, Quantile(0.5))
            }
            FlowMetric::ClearanceP90 => {
                let path = "clearance_hours.p90";
                ("clearance_p90", path, "p90 h", Hours, Quantile(0.9))
            }
            FlowMetric::ClearanceP95 => {
                let path = "clearance_hours.p95";
                ("clearance_p95", path, "p95 h", Hours, Quantile(0.95))
            }
            FlowMetric::ClearanceP99 => {
                let path = "clearance_hours.p99";
                ("clearance_p99", path, "p99 h", Hours, Quantile(0.99))
            }
            FlowMetric::ClearanceMax => {
                let path = "clearance_hours.max";
                ("clearance_max", path, "max h", Hours, Value)
            }
            FlowMetric::SlaShare => ("sla_share", "sla_share.mean", "in SLA", Share, Value),
            FlowMetric::SlaShareCi => {
                let path = "sla_share.mean_ci95";
                ("sla_share_ci", path, "in SLA 95% CI", Share, Interval)
            }
            FlowMetric::WaitMean => ("wait_mean", "wait_hours.mean", "wait h", Hours, Value),
            FlowMetric::WaitedShare => {
                let path = "waited_share.mean";
                ("waited_share", path, "waited", Share, Value)
            }
        };
        Spec {
            name,
            path,
            label,
            unit,
            kind,
        }
    }
}

/// Figures of a staff pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolMetric {
    /// Busy general officer-time over on-duty general officer-time.
    Utilization,
    /// Rostered general officer-hours.
    StaffHours,
    /// Officer-hours beyond the headcount (finishing the token in hand).
    OvertimeHours,
    /// Time-average number waiting.
    MeanQueue,
    /// Work offered over the capacity that can take it (the larger of the two below).
    OfferedLoad,
    /// Work only general officers may take over general officer-hours.
    OfferedLoadGeneral,
    /// All work over officer-hours of both kinds.
    OfferedLoadAll,
    /// Rostered on-call (restricted) officer-hours.
    OnCallHours,
    /// How fast the backlog grows over the window's second half.
    BacklogGrowth,
    /// Whether the pool is overloaded.
    Unstable,
    /// The measures that found it overloaded.
    UnstableReasons,
    /// The date it became overloaded.
    UnstableSince,
}

impl PoolMetric {
    /// Every pool metric.
    pub const ALL: [PoolMetric; 12] = [
        PoolMetric::Utilization,
        PoolMetric::StaffHours,
        PoolMetric::OvertimeHours,
        PoolMetric::MeanQueue,
        PoolMetric::OfferedLoad,
        PoolMetric::OfferedLoadGeneral,
        PoolMetric::OfferedLoadAll,
        PoolMetric::OnCallHours,
        PoolMetric::BacklogGrowth,
        PoolMetric::Unstable,
        PoolMetric::UnstableReasons,
        PoolMetric::UnstableSince,
    ];

    /// Its value in one replication; `None` for what only a whole run has (the backlog
    /// trend and the verdicts drawn from it).
    pub fn of_replication(self, p: &PoolResult) -> Option<Figure> {
        let x = match self {
            PoolMetric::Utilization => p.utilization(),
            PoolMetric::StaffHours => p.staff_hours,
            PoolMetric::OvertimeHours => p.overtime_hours,
            PoolMetric::MeanQueue => p.mean_queue,
            PoolMetric::OfferedLoad => p.offered_load(),
            PoolMetric::OfferedLoadGeneral => p.offered_load_general(),
            PoolMetric::OfferedLoadAll => p.offered_load_all(),
            PoolMetric::OnCallHours => p.on_call_hours,
            PoolMetric::BacklogGrowth
            | PoolMetric::Unstable
            | PoolMetric::UnstableReasons
            | PoolMetric::UnstableSince => return None,
        };
        Some(Figure::Number(Some(x)))
    }
}

impl Metric for PoolMetric {
    fn spec(self) -> Spec {
        use Unit::{Load, OfficerHours, Verdict};
        let (name, label, unit) = match self {
            PoolMetric::Utilization => ("utilization", "utilisation", Unit::Share),
            PoolMetric::StaffHours => ("staff_hours", "staff-hours", OfficerHours),
            PoolMetric::OvertimeHours => ("overtime_hours", "overtime-h", OfficerHours),
            PoolMetric::MeanQueue => ("mean_queue", "mean queue", Unit::Shipments),
            PoolMetric::OfferedLoad => ("offered_load", "offered load", Load),
            PoolMetric::OfferedLoadGeneral => ("offered_load_general", "general load", Load),
            PoolMetric::OfferedLoadAll => ("offered_load_all", "all load", Load),
            PoolMetric::OnCallHours => ("on_call_hours", "on-call-h", OfficerHours),
            PoolMetric::BacklogGrowth => ("backlog_growth", "backlog growth", Unit::Growth),
            PoolMetric::Unstable => ("unstable", "status", Verdict),
            PoolMetric::UnstableReasons => ("unstable_reasons", "overloaded by", Verdict),
            PoolMetric::UnstableSince => ("unstable_since", "overloaded since", Verdict),
        };
        // The summary holds the growth with its interval and the weeks fitted.
        let path = match self {
            PoolMetric::BacklogGrowth => "backlog_growth.share",
            _ => name,
        };
        Spec {
            name,
            path,
            label,
            unit,
            kind: Kind::Value,
        }
    }
}

/// One replication's tallies of a flow, what flow metrics are read from: one mode's, or
/// the headline modes' merged (borrowed where they are one mode's).
#[derive(Clone, Debug)]
pub struct FlowTally<'a> {
    /// Counted arrivals.
    pub arrivals: u64,
    /// Clearance times, hours.
    pub clearance: Tally,
    /// Time waiting for officers, hours.
    pub wait: Tally,
    /// Clearance times for quantiles.
    pub histogram: Cow<'a, HoursHistogram>,
}

impl<'a> FlowTally<'a> {
    /// One mode's tallies.
    pub fn of_mode(m: &'a ModeResult) -> FlowTally<'a> {
        FlowTally {
            arrivals: m.arrivals,
            clearance: m.clearance,
            wait: m.wait,
            histogram: Cow::Borrowed(&m.histogram),
        }
    }

    /// These modes' tallies merged, in order.
    pub fn merged<'m>(modes: impl IntoIterator<Item = &'m ModeResult>) -> FlowTally<'a> {
        let mut t = FlowTally {
            arrivals: 0,
            clearance: Tally::default(),
            wait: Tally::default(),
            histogram: Cow::Owned(HoursHistogram::new()),
        };
        for m in modes {
            t.clearance.merge(&m.clearance);
            t.wait.merge(&m.wait);
            t.histogram.to_mut().merge(&m.histogram);
            t.arrivals += m.arrivals;
        }
        t
    }
}

/// The columns of one output, in order: figures of the run, of the overall flow, more
/// of the run, then each mode's (mode by mode) and each pool's (pool by pool).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Columns {
    /// The run's figures, first.
    pub run: &'static [RunMetric],
    /// The overall flow's (the headline modes together).
    pub overall: &'static [FlowMetric],
    /// More of the run's, after the overall flow's.
    pub run_after: &'static [RunMetric],
    /// Each mode's.
    pub mode: &'static [FlowMetric],
    /// Each pool's.
    pub pool: &'static [PoolMetric],
}

impl Columns {
    /// No columns: what the lists below start from.
    const NONE: Columns = Columns {
        run: &[],
        overall: &[],
        run_after: &[],
        mode: &[],
        pool: &[],
    };
}

/// `replications.csv` (of `run --out` and of a sweep, after the sweep's own columns): one
/// replication a row.
pub const REPLICATIONS_CSV: Columns = Columns {
    run: &[RunMetric::Replication, RunMetric::Events],
    overall: &[
        FlowMetric::Arrivals,
        FlowMetric::Released,
        FlowMetric::Unreleased,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceP50,
        FlowMetric::ClearanceP90,
        FlowMetric::ClearanceMax,
        FlowMetric::WaitMean,
        FlowMetric::WaitedShare,
    ],
    run_after: &RunMetric::HOURS,
    mode: &[
        FlowMetric::Arrivals,
        FlowMetric::Released,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceP90,
    ],
    pool: &[
        PoolMetric::Utilization,
        PoolMetric::StaffHours,
        PoolMetric::OvertimeHours,
        PoolMetric::MeanQueue,
        PoolMetric::OfferedLoad,
        PoolMetric::OnCallHours,
    ],
};

/// A sweep's `results.csv`, after the axis columns: one variant a row.
pub const SWEEP_CSV: Columns = Columns {
    run: &[RunMetric::Replications],
    overall: &[
        FlowMetric::Released,
        FlowMetric::Unreleased,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceMeanCi,
        FlowMetric::ClearanceP50,
        FlowMetric::ClearanceP90,
        FlowMetric::ClearanceP95,
        FlowMetric::ClearanceP99,
        FlowMetric::ClearanceMax,
        FlowMetric::SlaShare,
        FlowMetric::SlaShareCi,
        FlowMetric::WaitMean,
        FlowMetric::WaitedShare,
    ],
    run_after: &[
        RunMetric::StaffHours,
        RunMetric::Unstable,
        RunMetric::OnCallHours,
        RunMetric::OvertimeHours,
        RunMetric::OfficerHours,
        RunMetric::Cost,
    ],
    mode: &[
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceMeanCi,
        FlowMetric::ClearanceP90,
    ],
    pool: &[
        PoolMetric::Utilization,
        PoolMetric::StaffHours,
        PoolMetric::OvertimeHours,
        PoolMetric::MeanQueue,
        PoolMetric::OfferedLoad,
        PoolMetric::Unstable,
        PoolMetric::OfferedLoadGeneral,
        PoolMetric::OfferedLoadAll,
        PoolMetric::BacklogGrowth,
        PoolMetric::UnstableReasons,
        PoolMetric::UnstableSince,
        PoolMetric::OnCallHours,
    ],
};

/// The sweep's terminal table, after the axis columns: one variant a row.
pub const SWEEP_TABLE: Columns = Columns {
    run: &[RunMetric::Replications],
    overall: &[
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceMeanCi,
        FlowMetric::ClearanceP90,
    ],
    run_after: &[
        RunMetric::StaffHours,
        RunMetric::OnCallHours,
        RunMetric::OvertimeHours,
        RunMetric::OfficerHours,
        RunMetric::Cost,
        RunMetric::Unstable,
    ],
    ..Columns::NONE
};

/// The clearance table of `report.html`: the overall flow and each mode, a row each.
pub const REPORT_FLOWS: Columns = Columns {
    overall: &[
        FlowMetric::Released,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceMeanCi,
        FlowMetric::ClearanceP50,
        FlowMetric::ClearanceP90,
        FlowMetric::ClearanceP99,
        FlowMetric::SlaShare,
    ],
    ..Columns::NONE
};

/// The pools' table of `portsim run` (and of `report.html`): one pool a row.
pub const POOL_TABLE: Columns = Columns {
    pool: &[
        PoolMetric::Utilization,
        PoolMetric::StaffHours,
        PoolMetric::OvertimeHours,
        PoolMetric::MeanQueue,
        PoolMetric::OfferedLoad,
        PoolMetric::OnCallHours,
        PoolMetric::BacklogGrowth,
    ],
    ..Columns::NONE
};

/// The figures a regression check compares (each read per replication; quantiles also
/// pooled).
pub const CHECK: Columns = Columns {
    overall: &[
        FlowMetric::Arrivals,
        FlowMetric::Unreleased,
        FlowMetric::ClearanceMean,
        FlowMetric::WaitMean,
        FlowMetric::ClearanceP50,
        FlowMetric::ClearanceP90,
        FlowMetric::ClearanceP95,
        FlowMetric::ClearanceP99,
    ],
    mode: &[
        FlowMetric::Arrivals,
        FlowMetric::ClearanceMean,
        FlowMetric::ClearanceP90,
    ],
    pool: &[
        PoolMetric::Utilization,
        PoolMetric::MeanQueue,
        PoolMetric::StaffHours,
        PoolMetric::OvertimeHours,
    ],
    ..Columns::NONE
};

#[cfg(test)]
mod tests {
    use super::*;

    fn unique(names: impl Iterator<Item = &'static str>) -> bool {
        let names: Vec<&str> = names.collect();
        names
            .iter()
            .enumerate()
            .all(|(i, n)| !names[..i].contains(n))
    }

    #[test]
    fn names_and_paths_are_unique_within_a_scope() {
        assert!(unique(RunMetric::ALL.iter().map(|m| m.spec().name)));
        assert!(unique(FlowMetric::ALL.iter().map(|m| m.spec().name)));
        assert!(unique(FlowMetric::ALL.iter().map(|m| m.spec().path)));
        assert!(unique(PoolMetric::ALL.iter().map(|m| m.spec().name)));
        assert!(unique(PoolMetric::ALL.iter().map(|m| m.spec().path)));
    }

    #[test]
    fn what_a_check_compares_is_read_per_replication() {
        let r = ReplicationResult {
            replication: 0,
            events: 0,
            unreleased: 0,
            first_turned_away: None,
            capped_by: None,
            modes: Vec::new(),
            pools: vec![PoolResult::default()],
            series_hours: Default::default(),
            cost: None,
        };
        let flow = FlowTally::merged([]);
        assert!(CHECK.run.iter().all(|m| m.of_replication(&r).is_some()));
        for m in CHECK.overall.iter().chain(CHECK.mode) {
            assert!(m.of_replication(&flow).is_some(), "{m:?}");
            assert_ne!(m.spec().kind, Kind::Interval, "{m:?}");
        }
        for m in CHECK.pool {
            assert!(m.of_replication(&r.pools[0]).is_some(), "{m:?}");
        }
    }
}
