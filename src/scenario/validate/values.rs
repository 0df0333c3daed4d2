//! Checking single values: dates, durations, shares, distributions.

use jiff::civil::{Date, DateTime};

use super::{Invalid, Result, at, invalid};
use crate::calendar::{ClockTime, DaySet, HolidayRule, Shift};
use crate::model::{CountDist, DurationDist};
use crate::scenario::duration::parse_duration_hours;
use crate::scenario::locate::Seg;
use crate::scenario::raw::{RawCountDist, RawDurationDist};

/// A share in [0, 1].
pub fn share(value: Option<f64>, path: &[Seg], key: &str) -> Result<f64> {
    let v = value.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&v) {
        return invalid(
            at(path, key),
            format!("expected a share from 0 to 1, got {v}"),
        );
    }
    Ok(v)
}

/// A duration string ("30m") in hours.
pub fn duration(text: &str, path: KeyPathRef<'_>) -> Result<f64> {
    parse_duration_hours(text).map_err(|message| Invalid {
        path: path.to_vec(),
        message,
    })
}

/// A borrowed key path.
pub type KeyPathRef<'a> = &'a [Seg];

/// A duration at key `key` of the table at `path`.
fn duration_at(path: &[Seg], key: &str, v: &toml::Value) -> Result<f64> {
    duration_value(v).map_err(|message| Invalid {
        path: at(path, key),
        message,
    })
}

/// A count at key `key` of the table at `path`.
fn count_at(path: &[Seg], key: &str, v: &toml::Value) -> Result<u64> {
    count_value(v).map_err(|message| Invalid {
        path: at(path, key),
        message,
    })
}

/// Each of `values` (the key `values` of the table at `path`) read by `read`.
fn each<T>(
    values: &[toml::Value],
    path: &[Seg],
    read: fn(&toml::Value) -> std::result::Result<T, String>,
) -> Result<Vec<T>> {
    let list = at(path, "values");
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            read(v).map_err(|message| Invalid {
                path: at(&list, i),
                message,
            })
        })
        .collect()
}

/// Builds a distribution of durations from its table.
pub fn duration_dist(d: &RawDurationDist, path: &[Seg]) -> Result<DurationDist> {
    let dur = |k: &str, v: &toml::Value| duration_at(path, k, v);
    let built = match d {
        RawDurationDist::Exponential { mean } => DurationDist::exponential(dur("mean", mean)?),
        RawDurationDist::Deterministic { value } => {
            DurationDist::deterministic(dur("value", value)?)
        }
        RawDurationDist::Uniform { min, max } => {
            DurationDist::uniform(dur("min", min)?, dur("max", max)?)
        }
        RawDurationDist::Triangular { min, mode, max } => {
            DurationDist::triangular(dur("min", min)?, dur("mode", mode)?, dur("max", max)?)
        }
        RawDurationDist::Lognormal { mean, cv } => DurationDist::lognormal(dur("mean", mean)?, *cv),
        RawDurationDist::Gamma { mean, cv } => DurationDist::gamma(dur("mean", mean)?, *cv),
        RawDurationDist::Empirical { values, weights } => {
            DurationDist::empirical(each(values, path, duration_value)?, weights.clone())
        }
    };
    built.map_err(|m| Invalid {
        path: path.to_vec(),
        message: m,
    })
}

/// Builds a distribution of counts (batch sizes) from its table.
pub fn count_dist(d: &RawCountDist, path: &[Seg]) -> Result<CountDist> {
    let int = |k: &str, v: &toml::Value| count_at(path, k, v);
    let built = match d {
        RawCountDist::Constant { value } => CountDist::constant(int("value", value)?),
        RawCountDist::Poisson { mean } => {
            let mean = match mean {
                toml::Value::Float(x) => *x,
                toml::Value::Integer(n) => *n as f64,
                other => {
                    return invalid(at(path, "mean"), format!("expected a number, got {other}"));
                }
            };
            if mean > MAX_BATCH as f64 {
                return invalid(
                    at(path, "mean"),
                    format!("expected a mean batch of at most {MAX_BATCH} shipments, got {mean}"),
                );
            }
            CountDist::poisson(mean)
        }
        RawCountDist::UniformInt { min, max } => {
            CountDist::uniform_int(int("min", min)?, int("max", max)?)
        }
        RawCountDist::Empirical { values, weights } => {
            CountDist::empirical(each(values, path, count_value)?, weights.clone())
        }
    };
    built.map_err(|m| Invalid {
        path: path.to_vec(),
        message: m,
    })
}

/// The largest batch accepted, shipments: far beyond any train or ship, and small enough
/// that a batch never stalls a run.
pub const MAX_BATCH: u64 = 1_000_000;

fn count_value(v: &toml::Value) -> std::result::Result<u64, String> {
    match v {
        toml::Value::Integer(n) if (0..=MAX_BATCH as i64).contains(n) => Ok(*n as u64),
        toml::Value::Integer(n) if *n > 0 => Err(format!(
            "expected a batch of at most {MAX_BATCH} shipments, got {n}"
        )),
        other => Err(format!("expected a whole number ≥ 0, got {other}")),
    }
}

fn duration_value(v: &toml::Value) -> std::result::Result<f64, String> {
    match v {
        toml::Value::String(s) => parse_duration_hours(s),
        other => Err(format!(
            "expected a duration string with a unit such as \"30m\" or \"1.5h\", got {other}"
        )),
    }
}

/// A civil date, written as a string or a TOML date: a whole day of the port's calendar,
/// so a time of day or an offset (which jiff's parser would drop) is refused.
pub fn parse_date(v: &toml::Value) -> std::result::Result<Date, String> {
    let dated = |shown: String| {
        format!(
            "expected a date like \"2024-01-01\" (a whole day of the port's calendar, without a time of day or offset), got {shown}"
        )
    };
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
        toml::Value::Datetime(d) => return Err(dated(d.to_string())),
        other => return Err(format!("expected a date like \"2024-01-01\", got {other}")),
    };
    // A date is digits and hyphens; anything else (`T`, a space, `:`, `+`, `Z`, `[`)
    // starts a time, an offset or a zone.
    if text.contains(|c: char| !(c.is_ascii_digit() || c == '-')) {
        return Err(dated(format!("\"{text}\"")));
    }
    text.parse::<Date>()
        .map_err(|_| format!("expected a date like \"2024-01-01\", got \"{text}\""))
}

/// A local date and time ("2024-01-05 17:30"), as a string or a TOML local date-time.
pub fn parse_datetime(v: &toml::Value) -> std::result::Result<DateTime, String> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.offset.is_none() && d.date.is_some() && d.time.is_some() => {
            d.to_string()
        }
        other => {
            return Err(format!(
                "expected a local date and time like \"2024-01-05 17:30\", got {other}"
            ));
        }
    };
    let iso = text.replacen(' ', "T", 1);
    // Scenario times are the port's civil time: an offset or zone would be ignored, so it
    // is refused rather than silently dropped.
    if iso
        .split_once('T')
        .is_some_and(|(_, time)| time.contains(['+', '-', 'Z', 'z', '[']))
    {
        return Err(format!(
            "expected a local date and time like \"2024-01-05 17:30\" (the port's civil time, without an offset or zone), got \"{text}\""
        ));
    }
    iso.parse::<DateTime>().map_err(|_| {
        format!("expected a local date and time like \"2024-01-05 17:30\", got \"{text}\"")
    })
}

/// A list of dates (holidays, make-up working days).
pub fn date_list(values: &[toml::Value], path: &[Seg]) -> Result<Vec<Date>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            parse_date(v).map_err(|m| Invalid {
                path: at(path, i),
                message: m,
            })
        })
        .collect()
}

/// A shift (or a calendar's open hours) from its `days`, `start` and `end` at `path`.
pub fn shift(
    days: &str,
    start: &str,
    end: &str,
    staff: u32,
    holidays: impl Into<HolidayRule>,
    path: &[Seg],
) -> Result<Shift> {
    let located = |key: &'static str| {
        move |message: String| Invalid {
            path: at(path, key),
            message,
        }
    };
    let days = DaySet::parse(days).map_err(located("days"))?;
    let start = ClockTime::parse(start).map_err(located("start"))?;
    let end = ClockTime::parse(end).map_err(located("end"))?;
    Shift::new(days, start, end, staff, holidays).map_err(located("end"))
}

#[cfg(test)]
mod datetime_tests {
    use super::*;

    #[test]
    fn dates_are_whole_days() {
        assert!(parse_date(&toml::Value::String("2024-01-01".into())).is_ok());
        let local: toml::Value =
            toml::from_str::<toml::Table>("d = 2024-01-01").unwrap()["d"].clone();
        assert!(parse_date(&local).is_ok());
        for bad in [
            "2024-01-01T13:45:00+08:00",
            "2024-01-01 13:45",
            "2024-01-01T13:45:00",
            "2024-01-01T00:00:00Z",
            "2024-01-01-08:00",
            "2024-01-01[Asia/Shanghai]",
        ] {
            let e = parse_date(&toml::Value::String(bad.into())).unwrap_err();
            assert!(e.contains("without a time of day or offset"), "{bad}: {e}");
        }
        for bad in [
            "2024-01-01T13:45:00+08:00",
            "2024-01-01T13:45:00",
            "2024-01-01 13:45:00",
        ] {
            let v = toml::from_str::<toml::Table>(&format!("d = {bad}")).unwrap()["d"].clone();
            let e = parse_date(&v).unwrap_err();
            assert!(e.contains("without a time of day or offset"), "{bad}: {e}");
        }
    }

    #[test]
    fn local_times_only() {
        let ok = toml::Value::String("2024-01-05 17:30".into());
        assert!(parse_datetime(&ok).is_ok());
        for bad in [
            "2024-01-05T17:30+08:00",
            "2024-01-05 17:30Z",
            "2024-01-05T17:30-05:00",
        ] {
            let e = parse_datetime(&toml::Value::String(bad.into())).unwrap_err();
            assert!(e.contains("without an offset or zone"), "{bad}: {e}");
        }
    }
}
