//! Checking arrival processes: Poisson with profiles, timetables, listed times and
//! replayed logs; peak factors per mode.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::values::{count_dist, duration_dist, parse_datetime};
use super::{Context, Invalid, Result, at, invalid};
use crate::calendar::{ClockTime, DaySet};
use crate::model::{ArrivalProcess, Channel, LoggedShipment, PeakFactor, Service};
use crate::scenario::arrival_log::read_arrival_log;
use crate::scenario::locate::Seg;
use crate::scenario::raw::{RawArrivals, RawCountDist, RawDurationDist, RawMode, RawService};

/// The highest Poisson base rate accepted, shipments per hour: far beyond any port, and
/// low enough that a run's number of events stays computable.
pub const MAX_RATE_PER_HOUR: f64 = 1e6;

pub(super) fn arrivals(
    m: &RawMode,
    path: &[Seg],
    channels: &[Channel],
    cx: &Context<'_>,
) -> Result<ArrivalProcess> {
    let peaks: Vec<PeakFactor> = cx
        .peaks
        .iter()
        .map(|p| PeakFactor {
            from: p.from,
            to: p.to,
            factor: p.all * p.modes.get(&m.name).copied().unwrap_or(1.0),
        })
        .filter(|p| p.factor != 1.0)
        .collect();
    match &m.arrivals {
        RawArrivals::Poisson {
            rate_per_hour,
            hourly_profile,
            weekly_profile,
            hour_of_week_profile,
        } => {
            let rate = *rate_per_hour;
            if !(rate.is_finite() && rate >= 0.0) {
                return invalid(
                    at(path, "rate_per_hour"),
                    format!("expected a rate ≥ 0 shipments per hour, got {rate}"),
                );
            }
            if rate > MAX_RATE_PER_HOUR {
                return invalid(
                    at(path, "rate_per_hour"),
                    format!(
                        "expected at most {MAX_RATE_PER_HOUR} shipments per hour (a whole city's trade is thousands), got {rate:e}"
                    ),
                );
            }
            let profiles = Profiles {
                hourly: hourly_profile.as_deref(),
                weekly: weekly_profile.as_deref(),
                hour_of_week: hour_of_week_profile.as_deref(),
            };
            Ok(ArrivalProcess::Poisson {
                rate_per_hour: rate,
                profile: profile(&profiles, path)?,
                peaks,
            })
        }
        RawArrivals::Timetable {
            services,
            batch,
            jitter,
            cancel_probability,
        } => {
            let defaults = Defaults {
                batch: batch.as_ref(),
                jitter: jitter.as_ref(),
                cancel_probability: *cancel_probability,
            };
            Ok(ArrivalProcess::Timetable {
                services: timetable(services, &defaults, path)?,
                peaks,
            })
        }
        RawArrivals::List { at: list } => {
            let mut times = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let dt = parse_datetime(v).map_err(|m| Invalid {
                    path: at(&at(path, "at"), i),
                    message: m,
                })?;
                times.push(cx.calendar.time_of(dt));
            }
            times.sort();
            Ok(ArrivalProcess::List { times })
        }
        RawArrivals::Trace { file } => trace(m, file, path, channels, cx),
    }
}

/// What a timetable gives the services that give none.
struct Defaults<'a> {
    batch: Option<&'a RawCountDist>,
    jitter: Option<&'a RawDurationDist>,
    cancel_probability: Option<f64>,
}

fn timetable(
    services: &[RawService],
    defaults: &Defaults<'_>,
    path: &[Seg],
) -> Result<Vec<Service>> {
    if services.is_empty() {
        return invalid(at(path, "services"), "expected at least one service");
    }
    let default_batch = defaults
        .batch
        .map(|b| count_dist(b, &at(path, "batch")))
        .transpose()?;
    let default_jitter = defaults
        .jitter
        .map(|j| duration_dist(j, &at(path, "jitter")))
        .transpose()?;
    let probability = |p: Option<f64>, path: Vec<Seg>| -> Result<Option<f64>> {
        match p {
            Some(x) if !(0.0..=1.0).contains(&x) => {
                invalid(path, format!("expected a probability from 0 to 1, got {x}"))
            }
            other => Ok(other),
        }
    };
    let default_cancel =
        probability(defaults.cancel_probability, at(path, "cancel_probability"))?.unwrap_or(0.0);
    let mut out = Vec::with_capacity(services.len());
    for (i, s) in services.iter().enumerate() {
        let p = at(&at(path, "services"), i);
        let days = DaySet::parse(&s.days).map_err(|m| Invalid {
            path: at(&p, "days"),
            message: m,
        })?;
        let time = ClockTime::parse(&s.time).map_err(|m| Invalid {
            path: at(&p, "time"),
            message: m,
        })?;
        if time.minutes() >= 24 * 60 {
            return invalid(
                at(&p, "time"),
                "a service time must be before 24:00 (use 00:00 of the next day)",
            );
        }
        let batch = match (&s.batch, &default_batch) {
            (Some(b), _) => count_dist(b, &at(&p, "batch"))?,
            (None, Some(b)) => b.clone(),
            (None, None) => {
                return invalid(
                    at(&p, "batch"),
                    "each service needs a `batch` size distribution (or give one for the whole timetable)",
                );
            }
        };
        let jitter = match &s.jitter {
            Some(j) => Some(duration_dist(j, &at(&p, "jitter"))?),
            None => default_jitter.clone(),
        };
        let cancel_probability = probability(s.cancel_probability, at(&p, "cancel_probability"))?
            .unwrap_or(default_cancel);
        out.push(Service {
            name: s
                .name
                .clone()
                .unwrap_or_else(|| format!("{} {}", s.days, s.time)),
            days,
            minute: time.minutes(),
            batch,
            jitter,
            cancel_probability,
        });
    }
    Ok(out)
}

fn trace(
    m: &RawMode,
    file: &str,
    path: &[Seg],
    channels: &[Channel],
    cx: &Context<'_>,
) -> Result<ArrivalProcess> {
    let fpath = at(path, "file");
    let full: PathBuf = match cx.base_dir {
        Some(dir) if PathBuf::from(file).is_relative() => dir.join(file),
        _ => PathBuf::from(file),
    };
    let log = read_arrival_log(&full, file).map_err(|e| Invalid {
        path: fpath.clone(),
        message: e.to_string(),
    })?;
    if log.is_empty() {
        // Legal (a quiet day has no arrivals), but far more often a log cut short or
        // exported without its rows: the mode would run with no arrivals at all.
        cx.warnings.borrow_mut().push(format!(
            "mode \"{}\": the arrival log {file} has a header and no rows, so the mode has no arrivals",
            m.name
        ));
    }
    // A log naming modes, none of them this one, gives it no arrivals at all: most likely
    // a misspelt mode (`Air` for `air`), refused rather than run empty.
    let named: BTreeSet<&str> = log.iter().filter_map(|r| r.mode.as_deref()).collect();
    if !log.is_empty() && log.iter().all(|r| r.mode.is_some()) && !named.contains(m.name.as_str()) {
        let shown: Vec<&str> = named.iter().copied().take(8).collect();
        return invalid(
            fpath,
            format!(
                "{file} has no rows for mode \"{}\" (its mode column names: {}{})",
                m.name,
                shown.join(", "),
                if named.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
    let mut shipments = Vec::new();
    for r in &log {
        if r.mode.as_deref().is_some_and(|mode| mode != m.name) {
            continue;
        }
        let row_error = |message: String| Invalid {
            path: fpath.clone(),
            message: format!("{file}:{}: {message}", r.line),
        };
        let priority = match r.class.as_deref() {
            None => None,
            Some("priority" | "fast-track" | "perishable") => Some(true),
            Some("normal") => Some(false),
            Some(other) => {
                return Err(row_error(format!(
                    "unknown class \"{other}\": expected \"priority\" (or \"fast-track\") or \"normal\""
                )));
            }
        };
        let channel = match r.channel.as_deref() {
            None => None,
            Some(c) => match channels.iter().position(|ch| ch.name == c) {
                Some(i) => Some(i as u32),
                None => {
                    let known: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
                    return Err(row_error(format!(
                        "mode \"{}\" has no channel \"{c}\" (channels: {})",
                        m.name,
                        known.join(", ")
                    )));
                }
            },
        };
        shipments.push(LoggedShipment {
            at: cx.calendar.time_of(r.at),
            priority,
            channel,
        });
    }
    Ok(ArrivalProcess::Log { shipments })
}

/// A Poisson process's profiles, as given.
struct Profiles<'a> {
    hourly: Option<&'a [f64]>,
    weekly: Option<&'a [f64]>,
    hour_of_week: Option<&'a [f64]>,
}

fn profile(a: &Profiles<'_>, path: &[Seg]) -> Result<Option<Box<[f64; 168]>>> {
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
    if let Some(how) = a.hour_of_week {
        for (k, present) in [("hourly_profile", a.hourly), ("weekly_profile", a.weekly)] {
            if present.is_some() {
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
    if a.hourly.is_none() && a.weekly.is_none() {
        return Ok(None);
    }
    let hourly = a.hourly.map_or_else(|| vec![1.0; 24], <[f64]>::to_vec);
    let weekly = a.weekly.map_or_else(|| vec![1.0; 7], <[f64]>::to_vec);
    check("hourly_profile", &hourly, 24)?;
    check("weekly_profile", &weekly, 7)?;
    let mut p = Box::new([0.0; 168]);
    for (i, v) in p.iter_mut().enumerate() {
        *v = hourly[i % 24] * weekly[i / 24];
    }
    Ok(Some(p))
}
