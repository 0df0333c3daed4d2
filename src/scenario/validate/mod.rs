//! From the file as written ([`RawScenario`]) to a [`Model`] ready to simulate: every
//! value checked, every name resolved, the policy's rosters chosen.
//!
//! Every problem is reported as an [`Invalid`]: the key path where it is and what was
//! expected; the loader turns the path into a file line.

pub mod arrivals;
mod modes;
mod pools;
mod regimes;
pub mod values;

pub use regimes::SETTABLE;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::locate::{KeyPath, Seg};
use super::raw::RawScenario;
use crate::calendar::{Calendar, RECHECK_DAYS, WorkingHours};
use crate::engine::SimTime;
use crate::model::{
    CalendarId, ClearanceInterval, Milestone, Model, PeakPeriod, Reservations, WarmupRule,
};
use values::{date_list, duration, parse_date};

/// The longest horizon (and drain) accepted, days: 100 years.
pub const MAX_DAYS: f64 = 36525.0;
/// The most replications accepted: each one's results are kept until the summary.
pub const MAX_REPLICATIONS: u32 = 10_000;
/// The largest peak arrival factor accepted: a rush multiplies arrivals by a few, not by
/// thousands.
pub const MAX_PEAK_FACTOR: f64 = 1000.0;

/// A problem found while checking, with the key path where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    /// Where.
    pub path: KeyPath,
    /// What is wrong and what was expected.
    pub message: String,
}

type Result<T> = std::result::Result<T, Invalid>;

fn invalid<T>(path: KeyPath, message: impl Into<String>) -> Result<T> {
    Err(Invalid {
        path,
        message: message.into(),
    })
}

/// A headcount (a pool's `staff`, a shift's, a peak's extra hands) checked: a whole
/// number of officers from 0 to a million, the bound that keeps every sum of them exact.
fn officers(path: KeyPath, n: i64) -> Result<u32> {
    const MOST: i64 = 1_000_000;
    if (0..=MOST).contains(&n) {
        Ok(n as u32)
    } else {
        invalid(
            path,
            format!("expected a whole number of officers from 0 to {MOST}, got {n}"),
        )
    }
}

fn at(base: &[Seg], key: impl Into<Seg>) -> KeyPath {
    let mut p = base.to_vec();
    p.push(key.into());
    p
}

fn root(key: &str) -> KeyPath {
    vec![Seg::Key(key.to_string())]
}

/// A peak period, resolved.
struct Peak {
    name: String,
    from: SimTime,
    to: SimTime,
    /// Factor for every mode.
    all: f64,
    /// Factors by mode.
    modes: BTreeMap<String, f64>,
    /// Extra officers by pool.
    extra_staff: BTreeMap<String, u32>,
}

/// What the checks of modes and pools need to know about the rest of the scenario.
struct Context<'a> {
    calendar: Calendar,
    calendar_ids: HashMap<String, CalendarId>,
    peaks: Vec<Peak>,
    reservations: bool,
    /// Directory relative paths (arrival logs) are resolved against.
    base_dir: Option<&'a Path>,
    /// What is legal but most likely not meant (a log with no rows), said on stderr by
    /// the commands; collected here as the checks only borrow the context.
    warnings: std::cell::RefCell<Vec<String>>,
}

impl Context<'_> {
    /// The id of working-hour calendar `name`, for a key at `path`.
    fn calendar_id(&self, name: &str, path: KeyPath) -> Result<CalendarId> {
        self.calendar_ids.get(name).copied().ok_or_else(|| {
            let known: Vec<&str> = self.calendar_ids.keys().map(String::as_str).collect();
            Invalid {
                path,
                message: format!(
                    "unknown calendar \"{name}\" (calendars: {})",
                    if known.is_empty() {
                        "none — define them as calendars.NAME = [...]".to_string()
                    } else {
                        sorted(known)
                    }
                ),
            }
        })
    }
}

fn sorted(mut names: Vec<&str>) -> String {
    names.sort_unstable();
    names.join(", ")
}

/// Checks a scenario and builds its model, with warnings about what is legal but most
/// likely not meant. `base_dir` is the scenario file's directory.
pub fn validate(raw: &RawScenario, base_dir: Option<&Path>) -> Result<(Model, Vec<String>)> {
    if raw.name.trim().is_empty() {
        return invalid(root("name"), "expected a non-empty name");
    }
    let start = parse_date(&raw.start).map_err(|m| Invalid {
        path: root("start"),
        message: m,
    })?;
    let horizon_days = raw.horizon_days;
    if !(horizon_days.is_finite() && horizon_days > 0.0) {
        return invalid(
            root("horizon_days"),
            format!("expected a number of days > 0, got {horizon_days}"),
        );
    }
    if horizon_days > MAX_DAYS {
        return invalid(
            root("horizon_days"),
            format!("expected at most {MAX_DAYS} days (100 years), got {horizon_days:e}"),
        );
    }
    let warmup_days = raw.warmup_days.unwrap_or(0.0);
    if !(warmup_days.is_finite() && warmup_days >= 0.0) {
        return invalid(
            root("warmup_days"),
            format!("expected a number of days ≥ 0, got {warmup_days}"),
        );
    }
    if warmup_days >= horizon_days {
        return invalid(
            root("warmup_days"),
            format!(
                "the warm-up ({warmup_days} days) must be shorter than the horizon ({horizon_days} days), which includes it"
            ),
        );
    }
    let warmup_rule = warmup_rule(raw)?;
    let drain_days = raw.drain_days.unwrap_or(60.0);
    if !(drain_days.is_finite() && (0.0..=MAX_DAYS).contains(&drain_days)) {
        return invalid(
            root("drain_days"),
            format!("expected a number of days from 0 to {MAX_DAYS}, got {drain_days}"),
        );
    }
    let max_in_system = raw
        .max_in_system
        .unwrap_or(crate::model::DEFAULT_MAX_IN_SYSTEM as i64);
    if max_in_system < 1 {
        return invalid(
            root("max_in_system"),
            format!("expected a number of shipments ≥ 1, got {max_in_system}"),
        );
    }
    let replications = raw.replications.unwrap_or(10);
    if !(1..=i64::from(MAX_REPLICATIONS)).contains(&replications) {
        return invalid(
            root("replications"),
            format!("expected a whole number from 1 to {MAX_REPLICATIONS}, got {replications}"),
        );
    }
    let seed = raw.seed.unwrap_or(1);
    if seed < 0 {
        return invalid(
            root("seed"),
            format!("expected a whole number ≥ 0, got {seed}"),
        );
    }
    let holidays = date_list(&raw.holidays, &root("holidays"))?;
    let workdays = date_list(&raw.workdays, &root("workdays"))?;
    let calendar = Calendar::new(start, holidays).with_workdays(workdays);
    let clearance_interval = clearance_interval(raw.clearance_interval.as_deref())?;
    let sla_hours = raw
        .sla
        .as_deref()
        .map(|s| duration(s, &root("sla")))
        .transpose()?;

    let (mut calendars, calendar_ids) = working_hours(raw)?;
    let mut cx = Context {
        calendar,
        calendar_ids,
        peaks: Vec::new(),
        reservations: false,
        base_dir,
        warnings: Default::default(),
    };
    let reservations = match &raw.reservations {
        None => None,
        Some(r) => {
            let path = root("reservations");
            let office = cx.calendar_id(&r.office_hours, at(&path, "office_hours"))?;
            let lead_hours = duration(&r.lead_time, &at(&path, "lead_time"))?;
            Some(Reservations { office, lead_hours })
        }
    };
    cx.reservations = reservations.is_some();
    let cost = raw.cost.as_ref().map(cost_weights).transpose()?;
    cx.peaks = peaks(raw, &cx.calendar)?;
    let regime_periods = regimes::regimes(raw, &cx.calendar)?;

    let policy = pools::choose_policy(raw)?;
    let pools = pools::pools(raw, policy.as_deref(), &cx)?;
    let modes = modes::modes(raw, &pools, &cx)?;

    // The open hours' intervals as tables over every day a run can ask about: a month
    // before the start (the last opening before an early arrival) to a month past the
    // drain and the look-ahead. Later days are answered the slow way, with the same
    // result.
    let last_day = (horizon_days + drain_days).ceil() as i64 + RECHECK_DAYS + 31;
    for (_, wh) in &mut calendars {
        wh.prepare(&cx.calendar, -31, last_day);
    }
    let hours = |d: f64| SimTime::from_hours(d * 24.0);
    let model = Model {
        name: raw.name.clone(),
        calendar: cx.calendar,
        horizon: hours(horizon_days),
        warmup: hours(warmup_days),
        warmup_rule,
        drain_hours: drain_days * 24.0,
        max_in_system: max_in_system as u64,
        replications: replications as u32,
        seed: seed as u64,
        policy,
        pools,
        modes,
        calendars,
        clearance_interval,
        sla_hours,
        reservations,
        peaks: cx
            .peaks
            .iter()
            .map(|p| PeakPeriod {
                name: p.name.clone(),
                from: p.from,
                to: p.to,
            })
            .collect(),
        regimes: crate::model::Regimes {
            periods: regime_periods,
            ..Default::default()
        },
        cost,
        occupancy: None,
    };
    Ok((model, cx.warnings.into_inner()))
}

/// `warmup = "auto"`, or the fixed `warmup_days` (checked by the caller).
fn warmup_rule(raw: &RawScenario) -> Result<WarmupRule> {
    let Some(value) = &raw.warmup else {
        return Ok(WarmupRule::Fixed);
    };
    if value.as_str() != Some("auto") {
        return invalid(
            root("warmup"),
            format!(
                "expected \"auto\" (a warm-up estimated by MSER-5 from a pilot run; for a fixed one give warmup_days), got {value}"
            ),
        );
    }
    if raw.warmup_days.is_some() {
        return invalid(
            root("warmup"),
            "give either warmup = \"auto\" or warmup_days, not both",
        );
    }
    Ok(WarmupRule::Auto(None))
}

fn clearance_interval(text: Option<&str>) -> Result<ClearanceInterval> {
    let Some(text) = text else {
        return Ok(ClearanceInterval::CUSTOMS);
    };
    let milestone = |s: &str| match s {
        "arrival" => Some(Milestone::Arrival),
        "lodgement" => Some(Milestone::Lodgement),
        "release" => Some(Milestone::Release),
        "exit" => Some(Milestone::Exit),
        _ => None,
    };
    let order = |m: Milestone| m as u8;
    match text
        .split_once('-')
        .map(|(a, b)| (milestone(a), milestone(b)))
    {
        Some((Some(from), Some(to))) if order(from) < order(to) => {
            Ok(ClearanceInterval { from, to })
        }
        _ => invalid(
            root("clearance_interval"),
            format!(
                "expected two milestones in order, FROM-TO, from arrival, lodgement, release, exit (e.g. \"lodgement-release\", \"arrival-exit\"), got \"{text}\""
            ),
        ),
    }
}

type Calendars = (Vec<(String, WorkingHours)>, HashMap<String, CalendarId>);

fn working_hours(raw: &RawScenario) -> Result<Calendars> {
    let mut list = Vec::new();
    let mut ids = HashMap::new();
    for (name, hours) in raw.calendars.iter().flatten() {
        let path = vec![Seg::Key("calendars".into()), Seg::Key(name.clone())];
        let mut shifts = Vec::with_capacity(hours.len());
        for (i, h) in hours.iter().enumerate() {
            let shift = values::shift(
                &h.days,
                &h.start,
                &h.end,
                1,
                h.holidays.unwrap_or(false),
                &at(&path, i),
            )?;
            shifts.push(shift);
        }
        let wh = WorkingHours::new(shifts);
        if !wh.is_ever_open() {
            return invalid(
                path,
                format!("calendar \"{name}\" is never open: give it open hours"),
            );
        }
        ids.insert(name.clone(), CalendarId(list.len() as u32));
        list.push((name.clone(), wh));
    }
    Ok((list, ids))
}

fn peaks(raw: &RawScenario, calendar: &Calendar) -> Result<Vec<Peak>> {
    let modes: BTreeSet<&str> = raw.modes.iter().map(|m| m.name.as_str()).collect();
    let pools: BTreeSet<&str> = raw.pools.iter().map(|p| p.name.as_str()).collect();
    let mut out = Vec::with_capacity(raw.peaks.len());
    for (i, p) in raw.peaks.iter().enumerate() {
        let path = vec![Seg::Key("peaks".into()), Seg::Index(i)];
        let from = parse_date(&p.from).map_err(|m| Invalid {
            path: at(&path, "from"),
            message: m,
        })?;
        let to = parse_date(&p.to).map_err(|m| Invalid {
            path: at(&path, "to"),
            message: m,
        })?;
        if to < from {
            return invalid(
                at(&path, "to"),
                format!("the peak ends ({to}) before it starts ({from})"),
            );
        }
        let factor_ok = |f: f64| f.is_finite() && (0.0..=MAX_PEAK_FACTOR).contains(&f);
        let all = p.arrival_factor.unwrap_or(1.0);
        if !factor_ok(all) {
            return invalid(
                at(&path, "arrival_factor"),
                format!("expected a multiplier from 0 to {MAX_PEAK_FACTOR}, got {all}"),
            );
        }
        let mut per_mode = BTreeMap::new();
        for (m, f) in p.arrival_factors.iter().flatten() {
            let fpath = at(&at(&path, "arrival_factors"), m.as_str());
            if !modes.contains(m.as_str()) {
                return invalid(
                    fpath,
                    format!(
                        "unknown mode \"{m}\" (modes: {})",
                        sorted(modes.iter().copied().collect())
                    ),
                );
            }
            if !factor_ok(*f) {
                return invalid(
                    fpath,
                    format!("expected a multiplier from 0 to {MAX_PEAK_FACTOR}, got {f}"),
                );
            }
            per_mode.insert(m.clone(), *f);
        }
        let mut extra_staff = BTreeMap::new();
        for (pool, n) in p.extra_staff.iter().flatten() {
            let spath = at(&at(&path, "extra_staff"), pool.as_str());
            if !pools.contains(pool.as_str()) {
                return invalid(
                    spath,
                    format!(
                        "unknown pool \"{pool}\" (pools: {})",
                        sorted(pools.iter().copied().collect())
                    ),
                );
            }
            extra_staff.insert(pool.clone(), officers(spath, *n)?);
        }
        let midnight =
            |d: jiff::civil::Date| calendar.time_of(d.to_datetime(jiff::civil::Time::midnight()));
        let end = to.tomorrow().map_err(|_| Invalid {
            path: at(&path, "to"),
            message: "date out of range".into(),
        })?;
        out.push(Peak {
            name: p.name.clone(),
            from: midnight(from),
            to: midnight(end),
            all,
            modes: per_mode,
            extra_staff,
        });
    }
    Ok(out)
}

/// The `[cost]` table's weights: non-negative numbers; on-call and overtime default to
/// the regular weight.
fn cost_weights(raw: &crate::scenario::raw::RawCost) -> Result<crate::results::CostWeights> {
    let path = root("cost");
    let weight = |key: &str, value: f64| -> Result<f64> {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            invalid(
                at(&path, key),
                format!("expected a cost per officer-hour ≥ 0, got {value}"),
            )
        }
    };
    let regular = weight("regular", raw.regular)?;
    let unit = raw.unit.clone().unwrap_or_else(|| "cost".into());
    if unit.trim().is_empty() {
        return invalid(
            at(&path, "unit"),
            "expected a non-empty unit name (\"CNY\")",
        );
    }
    Ok(crate::results::CostWeights {
        unit,
        regular,
        on_call: weight("on_call", raw.on_call.unwrap_or(regular))?,
        overtime: weight("overtime", raw.overtime.unwrap_or(regular))?,
    })
}
