//! What a summary needs to know of a model besides the replication results: names,
//! headline flags, the counting window and its calendar. Stored in shard files so that `portsim merge`
//! can summarise results without the scenario files (or their arrival logs).

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::model::Model;
use crate::model::series::SeriesClock;

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
    /// The cap on shipments in the system at once.
    #[serde(default = "default_max_in_system")]
    pub max_in_system: u64,
    /// The counting window's days, holidays and peaks (`None` in layouts stored before
    /// it was recorded).
    #[serde(default)]
    pub calendar: Option<CalendarLayout>,
    /// What an officer-hour of each kind costs, if the scenario says (`[cost]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::results::CostWeights>,
}

/// The counting window in civil dates, for plots of the daily series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarLayout {
    /// The window's first day (the day containing the warm-up end): day 0 of the daily
    /// series, "YYYY-MM-DD".
    pub start: String,
    /// Days in the window.
    pub days: u32,
    /// Whole days in each bin of the daily series: 1 (a value a day) unless the window is
    /// longer than [`MAX_PERIODS`](crate::model::series::MAX_PERIODS) days; bin i then
    /// holds days i·w … i·w + w − 1 (the last bin may hold fewer). Results stored before
    /// it was recorded had daily bins.
    #[serde(default = "one")]
    pub days_per_bin: u32,
    /// Holidays in the window.
    pub holidays: Vec<String>,
    /// Peak periods that overlap the window, in scenario order.
    pub peaks: Vec<PeakLayout>,
    /// Dated regimes that overlap the window, in scenario order (dates clipped to the
    /// window; layouts stored before regimes existed have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<PeakLayout>,
}

/// A named period (a peak, a regime), with its dates (both inclusive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakLayout {
    /// Name.
    pub name: String,
    /// First date.
    pub from: String,
    /// Last date.
    pub to: String,
}

/// Days per bin of the daily series in layouts written before it was recorded.
fn one() -> u32 {
    1
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
            max_in_system: model.max_in_system,
            calendar: Some(CalendarLayout::of(model)),
            cost: model.cost.clone(),
        }
    }

    /// Hours in the counting window [warm-up end, horizon).
    pub fn window_hours(&self) -> f64 {
        self.horizon_hours - self.warmup_hours
    }
}

fn default_max_in_system() -> u64 {
    crate::model::DEFAULT_MAX_IN_SYSTEM
}

impl CalendarLayout {
    /// The window of `model` in civil dates.
    pub fn of(model: &Model) -> CalendarLayout {
        let cal = &model.calendar;
        let clock = SeriesClock::new(cal, model.warmup.hours(), model.horizon.hours());
        let first = clock.first_day();
        let days = clock.days() as i64;
        let date = |day: i64| cal.date_of_day(day).to_string();
        CalendarLayout {
            start: date(first),
            days: days as u32,
            days_per_bin: clock.days_per_bin() as u32,
            holidays: (first..first + days)
                .filter(|&d| cal.is_holiday(d))
                .map(date)
                .collect(),
            peaks: model
                .peaks
                .iter()
                .filter(|p| p.to > model.warmup && p.from < model.horizon)
                .map(|p| PeakLayout {
                    name: p.name.clone(),
                    from: date(Calendar::day_index(p.from)),
                    to: date(Calendar::day_index(p.to) - 1),
                })
                .collect(),
            regimes: model
                .regimes
                .periods
                .iter()
                .filter(|r| {
                    r.enabled && r.to.is_none_or(|to| to > model.warmup) && r.from < model.horizon
                })
                .map(|r| PeakLayout {
                    name: r.name.clone(),
                    from: date(Calendar::day_index(r.from).max(first)),
                    to: date(
                        r.to.map_or(first + days, Calendar::day_index)
                            .min(first + days)
                            - 1,
                    ),
                })
                .collect(),
        }
    }
}
