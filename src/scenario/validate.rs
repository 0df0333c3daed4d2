//! From the file as written ([`RawScenario`]) to a [`Model`] ready to simulate: every
//! value checked, every name resolved, the policy's rosters chosen.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, DateTime};

use super::duration::parse_duration_hours;
use super::locate::{KeyPath, Seg};
use super::raw::{RawArrivals, RawDist, RawMode, RawPool, RawScenario, RawStage};
use crate::calendar::{Calendar, ClockTime, DaySet, Roster, Shift};
use crate::engine::SimTime;
use crate::model::{
    ArrivalProcess, Channel, DurationDist, Mode, Model, Pool, PoolId, Staffing, Stage, StageKind,
};

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

fn at(base: &[Seg], key: impl Into<Seg>) -> KeyPath {
    let mut p = base.to_vec();
    p.push(key.into());
    p
}

/// Checks a scenario and builds its model.
pub fn validate(raw: &RawScenario) -> Result<Model> {
    let root: KeyPath = Vec::new();
    if raw.name.trim().is_empty() {
        return invalid(at(&root, "name"), "expected a non-empty name");
    }
    let start = parse_date(&raw.start).map_err(|m| Invalid {
        path: at(&root, "start"),
        message: m,
    })?;
    let horizon_days = raw.horizon_days;
    if !(horizon_days.is_finite() && horizon_days > 0.0) {
        return invalid(
            at(&root, "horizon_days"),
            format!("expected a number of days > 0, got {horizon_days}"),
        );
    }
    let warmup_days = raw.warmup_days.unwrap_or(0.0);
    if !(warmup_days.is_finite() && warmup_days >= 0.0) {
        return invalid(
            at(&root, "warmup_days"),
            format!("expected a number of days ≥ 0, got {warmup_days}"),
        );
    }
    if warmup_days >= horizon_days {
        return invalid(
            at(&root, "warmup_days"),
            format!(
                "the warm-up ({warmup_days} days) must be shorter than the horizon ({horizon_days} days), which includes it"
            ),
        );
    }
    let drain_days = raw.drain_days.unwrap_or(60.0);
    if !(drain_days.is_finite() && drain_days >= 0.0) {
        return invalid(
            at(&root, "drain_days"),
            format!("expected a number of days ≥ 0, got {drain_days}"),
        );
    }
    let replications = raw.replications.unwrap_or(10);
    if !(1..=1_000_000).contains(&replications) {
        return invalid(
            at(&root, "replications"),
            format!("expected a whole number from 1 to 1000000, got {replications}"),
        );
    }
    let seed = raw.seed.unwrap_or(1);
    if seed < 0 {
        return invalid(
            at(&root, "seed"),
            format!("expected a whole number ≥ 0, got {seed}"),
        );
    }
    let mut holidays = Vec::with_capacity(raw.holidays.len());
    for (i, h) in raw.holidays.iter().enumerate() {
        holidays.push(parse_date(h).map_err(|m| Invalid {
            path: key(&["holidays"], i),
            message: m,
        })?);
    }
    let calendar = Calendar::new(start, holidays);

    let policy = choose_policy(raw)?;
    let mut pools = Vec::with_capacity(raw.pools.len());
    let mut pool_ids: HashMap<&str, PoolId> = HashMap::new();
    for (i, p) in raw.pools.iter().enumerate() {
        let path = key(&["pools"], i);
        if p.name.trim().is_empty() {
            return invalid(at(&path, "name"), "expected a non-empty pool name");
        }
        if pool_ids.insert(p.name.as_str(), PoolId(i as u32)).is_some() {
            return invalid(
                at(&path, "name"),
                format!("a pool named \"{}\" is already defined", p.name),
            );
        }
        pools.push(Pool {
            name: p.name.clone(),
            staffing: staffing(p, &path, policy.as_deref())?,
        });
    }

    let mut modes = Vec::with_capacity(raw.modes.len());
    let mut mode_names = BTreeSet::new();
    if raw.modes.is_empty() {
        return invalid(at(&root, "modes"), "expected at least one [[modes]] entry");
    }
    for (i, m) in raw.modes.iter().enumerate() {
        let path = key(&["modes"], i);
        if m.name.trim().is_empty() {
            return invalid(at(&path, "name"), "expected a non-empty mode name");
        }
        if !mode_names.insert(m.name.as_str()) {
            return invalid(
                at(&path, "name"),
                format!("a mode named \"{}\" is already defined", m.name),
            );
        }
        modes.push(mode(m, &path, &pool_ids, &pools, &calendar)?);
    }

    let hours = |d: f64| SimTime::from_hours(d * 24.0);
    Ok(Model {
        name: raw.name.clone(),
        calendar,
        horizon: hours(horizon_days),
        warmup: hours(warmup_days),
        drain_hours: drain_days * 24.0,
        replications: replications as u32,
        seed: seed as u64,
        policy,
        pools,
        modes,
    })
}

fn key(base: &[&str], index: usize) -> KeyPath {
    let mut p: KeyPath = base.iter().map(|s| Seg::Key(s.to_string())).collect();
    p.push(Seg::Index(index));
    p
}

/// The policy in force: the scenario's (or `--policy`), or the only one the rosters name.
fn choose_policy(raw: &RawScenario) -> Result<Option<String>> {
    let named: BTreeSet<&str> = raw
        .pools
        .iter()
        .filter_map(|p| p.rosters.as_ref())
        .flat_map(|r| r.keys().map(String::as_str))
        .collect();
    if named.is_empty() {
        if let Some(p) = &raw.policy {
            return invalid(
                vec![Seg::Key("policy".into())],
                format!(
                    "policy \"{p}\" was chosen, but no pool has rosters (every pool has constant `staff`), so a policy would change nothing"
                ),
            );
        }
        return Ok(None);
    }
    match &raw.policy {
        Some(p) => {
            if !named.contains(p.as_str()) {
                return invalid(
                    vec![Seg::Key("policy".into())],
                    format!(
                        "no pool has a roster for policy \"{p}\" (rosters exist for: {})",
                        join(&named)
                    ),
                );
            }
            Ok(Some(p.clone()))
        }
        None if named.len() == 1 => Ok(named.first().map(|s| s.to_string())),
        None => invalid(
            vec![Seg::Key("policy".into())],
            format!(
                "pools have rosters for several policies ({}): choose one with `policy = \"...\"` in the file or --policy",
                join(&named)
            ),
        ),
    }
}

fn join<'a>(names: impl IntoIterator<Item = &'a &'a str>) -> String {
    names.into_iter().copied().collect::<Vec<_>>().join(", ")
}

fn staffing(p: &RawPool, path: &[Seg], policy: Option<&str>) -> Result<Staffing> {
    match (&p.staff, &p.rosters) {
        (Some(_), Some(_)) => invalid(
            at(path, "staff"),
            format!(
                "pool \"{}\" has both `staff` and `rosters`: give one (rosters vary by policy, staff is constant)",
                p.name
            ),
        ),
        (None, None) => invalid(
            at(path, "staff"),
            format!(
                "pool \"{}\" needs `staff = N` or `rosters.<policy> = [...]`",
                p.name
            ),
        ),
        (Some(n), None) => {
            if !(0..=1_000_000).contains(n) {
                return invalid(
                    at(path, "staff"),
                    format!("expected a whole number of officers ≥ 0, got {n}"),
                );
            }
            Ok(Staffing::Constant(*n as u32))
        }
        (None, Some(rosters)) => {
            let rpath = at(path, "rosters");
            if rosters.is_empty() {
                return invalid(
                    rpath,
                    "expected at least one roster, e.g. `rosters.7x24 = [...]`",
                );
            }
            let Some(policy) = policy else {
                unreachable!("choose_policy picks a policy whenever a pool has rosters")
            };
            let Some(shifts) = rosters.get(policy) else {
                let have: Vec<&str> = rosters.keys().map(String::as_str).collect();
                return invalid(
                    rpath,
                    format!(
                        "pool \"{}\" has no roster for policy \"{policy}\" (it has: {})",
                        p.name,
                        have.join(", ")
                    ),
                );
            };
            let spath = at(&rpath, policy);
            let mut out = Vec::with_capacity(shifts.len());
            for (i, s) in shifts.iter().enumerate() {
                let path = at(&spath, i);
                let days = DaySet::parse(&s.days).map_err(|m| Invalid {
                    path: at(&path, "days"),
                    message: m,
                })?;
                let start = ClockTime::parse(&s.start).map_err(|m| Invalid {
                    path: at(&path, "start"),
                    message: m,
                })?;
                let end = ClockTime::parse(&s.end).map_err(|m| Invalid {
                    path: at(&path, "end"),
                    message: m,
                })?;
                if !(0..=1_000_000).contains(&s.staff) {
                    return invalid(
                        at(&path, "staff"),
                        format!("expected a whole number of officers ≥ 0, got {}", s.staff),
                    );
                }
                let shift =
                    Shift::new(days, start, end, s.staff as u32, s.holidays.unwrap_or(true))
                        .map_err(|m| Invalid {
                            path: at(&path, "end"),
                            message: m,
                        })?;
                out.push(shift);
            }
            Ok(Staffing::Roster(Roster::new(out)))
        }
    }
}

fn mode(
    m: &RawMode,
    path: &[Seg],
    pool_ids: &HashMap<&str, PoolId>,
    pools: &[Pool],
    calendar: &Calendar,
) -> Result<Mode> {
    let priority_share = m.priority_share.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&priority_share) {
        return invalid(
            at(path, "priority_share"),
            format!("expected a share from 0 to 1, got {priority_share}"),
        );
    }
    let arrivals = arrivals(&m.arrivals, &at(path, "arrivals"), calendar)?;
    let channels = match (&m.stages, &m.channels) {
        (Some(_), Some(_)) => {
            return invalid(
                at(path, "channels"),
                format!(
                    "mode \"{}\" has both `stages` and `channels`: give one",
                    m.name
                ),
            );
        }
        (None, None) => {
            return invalid(
                at(path, "stages"),
                format!(
                    "mode \"{}\" needs `stages = [...]` or `channels = [...]`",
                    m.name
                ),
            );
        }
        (Some(stages), None) => vec![Channel {
            name: "all".to_string(),
            share: 1.0,
            cumulative: 1.0,
            stages: stage_list(stages, &at(path, "stages"), pool_ids, pools)?,
        }],
        (None, Some(channels)) => {
            let cpath = at(path, "channels");
            if channels.is_empty() {
                return invalid(cpath, "expected at least one channel");
            }
            let mut names = BTreeSet::new();
            let mut out = Vec::with_capacity(channels.len());
            let mut cumulative = 0.0;
            for (i, c) in channels.iter().enumerate() {
                let path = at(&cpath, i);
                if !names.insert(c.name.as_str()) {
                    return invalid(
                        at(&path, "name"),
                        format!("a channel named \"{}\" is already defined", c.name),
                    );
                }
                if !(c.share.is_finite() && c.share >= 0.0) {
                    return invalid(
                        at(&path, "share"),
                        format!("expected a share ≥ 0, got {}", c.share),
                    );
                }
                cumulative += c.share;
                out.push(Channel {
                    name: c.name.clone(),
                    share: c.share,
                    cumulative,
                    stages: stage_list(&c.stages, &at(&path, "stages"), pool_ids, pools)?,
                });
            }
            if (cumulative - 1.0).abs() > 1e-6 {
                let shares: Vec<String> = channels.iter().map(|c| c.share.to_string()).collect();
                return invalid(
                    cpath,
                    format!(
                        "channel shares must sum to 1, got {} = {}",
                        shares.join(" + "),
                        (cumulative * 1e9).round() / 1e9
                    ),
                );
            }
            // Make the last boundary exactly 1 so that every draw in [0, 1) finds a channel.
            if let Some(last) = out.last_mut() {
                last.cumulative = 1.0;
            }
            out
        }
    };
    Ok(Mode {
        name: m.name.clone(),
        headline: m.headline.unwrap_or(true),
        priority_share,
        arrivals,
        channels,
    })
}

fn arrivals(a: &RawArrivals, path: &[Seg], calendar: &Calendar) -> Result<ArrivalProcess> {
    match a.kind.as_str() {
        "poisson" => {
            if a.at.is_some() {
                return invalid(
                    at(path, "at"),
                    "`at` belongs to kind = \"list\", not \"poisson\"",
                );
            }
            let Some(rate) = a.rate_per_hour else {
                return invalid(
                    at(path, "rate_per_hour"),
                    "poisson arrivals need `rate_per_hour`",
                );
            };
            if !(rate.is_finite() && rate >= 0.0) {
                return invalid(
                    at(path, "rate_per_hour"),
                    format!("expected a rate ≥ 0 shipments per hour, got {rate}"),
                );
            }
            let profile = profile(a, path)?;
            Ok(ArrivalProcess::Poisson {
                rate_per_hour: rate,
                profile,
            })
        }
        "list" => {
            for (k, present) in [
                ("rate_per_hour", a.rate_per_hour.is_some()),
                ("hourly_profile", a.hourly_profile.is_some()),
                ("weekly_profile", a.weekly_profile.is_some()),
                ("hour_of_week_profile", a.hour_of_week_profile.is_some()),
            ] {
                if present {
                    return invalid(
                        at(path, k),
                        format!("`{k}` belongs to kind = \"poisson\", not \"list\""),
                    );
                }
            }
            let Some(list) = &a.at else {
                return invalid(
                    at(path, "at"),
                    "list arrivals need `at = [\"2024-01-05 17:30\", ...]`",
                );
            };
            let mut times = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let dt = parse_datetime(v).map_err(|m| Invalid {
                    path: at(&at(path, "at"), i),
                    message: m,
                })?;
                times.push(calendar.time_of(dt));
            }
            times.sort();
            Ok(ArrivalProcess::List { times })
        }
        other => invalid(
            at(path, "kind"),
            format!("unknown arrival kind \"{other}\": expected \"poisson\" or \"list\""),
        ),
    }
}

fn profile(a: &RawArrivals, path: &[Seg]) -> Result<Option<Box<[f64; 168]>>> {
    let check = |name: &str, values: &[f64], len: usize| -> Result<()> {
        if values.len() != len {
            return invalid(
                at(path, name),
                format!("expected {len} values, got {}", values.len()),
            );
        }
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return invalid(
                at(&at(path, name), i),
                format!("expected a multiplier ≥ 0, got {v}"),
            );
        }
        Ok(())
    };
    if let Some(how) = &a.hour_of_week_profile {
        for k in ["hourly_profile", "weekly_profile"] {
            let present = if k == "hourly_profile" {
                a.hourly_profile.is_some()
            } else {
                a.weekly_profile.is_some()
            };
            if present {
                return invalid(
                    at(path, k),
                    format!("give either `hour_of_week_profile` or `{k}`, not both"),
                );
            }
        }
        check("hour_of_week_profile", how, 168)?;
        let mut p = Box::new([0.0; 168]);
        p.copy_from_slice(how);
        return Ok(Some(p));
    }
    if a.hourly_profile.is_none() && a.weekly_profile.is_none() {
        return Ok(None);
    }
    let hourly = a.hourly_profile.clone().unwrap_or_else(|| vec![1.0; 24]);
    let weekly = a.weekly_profile.clone().unwrap_or_else(|| vec![1.0; 7]);
    check("hourly_profile", &hourly, 24)?;
    check("weekly_profile", &weekly, 7)?;
    let mut p = Box::new([0.0; 168]);
    for (i, v) in p.iter_mut().enumerate() {
        *v = hourly[i % 24] * weekly[i / 24];
    }
    Ok(Some(p))
}

fn stage_list(
    stages: &[RawStage],
    path: &[Seg],
    pool_ids: &HashMap<&str, PoolId>,
    pools: &[Pool],
) -> Result<Vec<Stage>> {
    if stages.is_empty() {
        return invalid(path.to_vec(), "expected at least one stage");
    }
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(stages.len());
    for (i, s) in stages.iter().enumerate() {
        let path = at(path, i);
        if !names.insert(s.name.as_str()) {
            return invalid(
                at(&path, "name"),
                format!("a stage named \"{}\" is already defined here", s.name),
            );
        }
        let kind = match (&s.pool, &s.time, &s.delay) {
            (Some(pool), Some(time), None) => {
                let Some(&id) = pool_ids.get(pool.as_str()) else {
                    let known: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
                    return invalid(
                        at(&path, "pool"),
                        format!(
                            "unknown pool \"{pool}\" (pools: {})",
                            if known.is_empty() {
                                "none".into()
                            } else {
                                known.join(", ")
                            }
                        ),
                    );
                };
                let never = match &pools[id.0 as usize].staffing {
                    Staffing::Constant(n) => *n == 0,
                    Staffing::Roster(r) => !r.is_ever_staffed(),
                };
                if never {
                    return invalid(
                        at(&path, "pool"),
                        format!(
                            "pool \"{pool}\" never has anyone on duty, so stage \"{}\" could never be served",
                            s.name
                        ),
                    );
                }
                StageKind::Service {
                    pool: id,
                    time: duration_dist(time, &at(&path, "time"))?,
                }
            }
            (None, None, Some(delay)) => StageKind::Delay {
                time: duration_dist(delay, &at(&path, "delay"))?,
            },
            (_, _, Some(_)) => {
                return invalid(
                    at(&path, "delay"),
                    format!(
                        "stage \"{}\" has a `delay` and a `pool`/`time`: a stage is service or delay, not both",
                        s.name
                    ),
                );
            }
            (Some(_), None, None) => {
                return invalid(
                    at(&path, "time"),
                    format!(
                        "service stage \"{}\" needs `time = {{ dist = ... }}`",
                        s.name
                    ),
                );
            }
            (None, Some(_), None) => {
                return invalid(
                    at(&path, "pool"),
                    format!("stage \"{}\" has a service `time` but no `pool`", s.name),
                );
            }
            (None, None, None) => {
                return invalid(
                    path,
                    format!(
                        "stage \"{}\" needs `pool` and `time` (service) or `delay`",
                        s.name
                    ),
                );
            }
        };
        out.push(Stage {
            name: s.name.clone(),
            kind,
        });
    }
    Ok(out)
}

/// Builds a duration distribution from its table.
pub fn duration_dist(d: &RawDist, path: &[Seg]) -> Result<DurationDist> {
    let allowed: &[&str] = match d.dist.as_str() {
        "exponential" => &["mean"],
        "deterministic" => &["value"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        "lognormal" | "gamma" => &["mean", "cv"],
        "empirical" => &["values", "weights"],
        other => {
            return invalid(
                at(path, "dist"),
                format!(
                    "unknown distribution \"{other}\": expected one of exponential, deterministic, uniform, triangular, lognormal, gamma, empirical"
                ),
            );
        }
    };
    let present = [
        ("mean", d.mean.is_some()),
        ("cv", d.cv.is_some()),
        ("value", d.value.is_some()),
        ("min", d.min.is_some()),
        ("mode", d.mode.is_some()),
        ("max", d.max.is_some()),
        ("values", d.values.is_some()),
        ("weights", d.weights.is_some()),
    ];
    for (k, is) in present {
        if is && !allowed.contains(&k) {
            return invalid(
                at(path, k),
                format!(
                    "`{k}` is not a parameter of {} (it takes: {})",
                    d.dist,
                    allowed.join(", ")
                ),
            );
        }
    }
    let dur = |k: &str, v: &Option<toml::Value>| -> Result<f64> {
        match v {
            None => invalid(at(path, k), format!("{} needs `{k}`", d.dist)),
            Some(v) => duration_value(v).map_err(|m| Invalid {
                path: at(path, k),
                message: m,
            }),
        }
    };
    let built = match d.dist.as_str() {
        "exponential" => DurationDist::exponential(dur("mean", &d.mean)?),
        "deterministic" => DurationDist::deterministic(dur("value", &d.value)?),
        "uniform" => DurationDist::uniform(dur("min", &d.min)?, dur("max", &d.max)?),
        "triangular" => DurationDist::triangular(
            dur("min", &d.min)?,
            dur("mode", &d.mode)?,
            dur("max", &d.max)?,
        ),
        "lognormal" | "gamma" => {
            let mean = dur("mean", &d.mean)?;
            let Some(cv) = d.cv else {
                return invalid(at(path, "cv"), format!("{} needs `cv`", d.dist));
            };
            if d.dist == "lognormal" {
                DurationDist::lognormal(mean, cv)
            } else {
                DurationDist::gamma(mean, cv)
            }
        }
        _ => {
            let Some(values) = &d.values else {
                return invalid(at(path, "values"), "empirical needs `values`");
            };
            let mut hours = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                hours.push(duration_value(v).map_err(|m| Invalid {
                    path: at(&at(path, "values"), i),
                    message: m,
                })?);
            }
            DurationDist::empirical(hours, d.weights.clone())
        }
    };
    built.map_err(|m| Invalid {
        path: path.to_vec(),
        message: m,
    })
}

fn duration_value(v: &toml::Value) -> std::result::Result<f64, String> {
    match v {
        toml::Value::String(s) => parse_duration_hours(s),
        other => Err(format!(
            "expected a duration string with a unit such as \"30m\" or \"1.5h\", got {other}"
        )),
    }
}

fn parse_date(v: &toml::Value) -> std::result::Result<Date, String> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
        other => return Err(format!("expected a date like \"2024-01-01\", got {other}")),
    };
    text.parse::<Date>()
        .map_err(|_| format!("expected a date like \"2024-01-01\", got \"{text}\""))
}

fn parse_datetime(v: &toml::Value) -> std::result::Result<DateTime, String> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.offset.is_none() => d.to_string(),
        other => {
            return Err(format!(
                "expected a local date and time like \"2024-01-05 17:30\", got {other}"
            ));
        }
    };
    text.replacen(' ', "T", 1).parse::<DateTime>().map_err(|_| {
        format!("expected a local date and time like \"2024-01-05 17:30\", got \"{text}\"")
    })
}
