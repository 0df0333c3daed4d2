//! Checking dated regimes as written: names, dates, which paths they may set, and that
//! two regimes in force at once never set the same value. What the set values do to the
//! scenario is checked when the loader compiles each combination
//! ([`crate::scenario::regimes`]).

use std::collections::BTreeSet;

use super::{Result, at, invalid, values::parse_date};
use crate::calendar::Calendar;
use crate::engine::SimTime;
use crate::model::RegimePeriod;
use crate::scenario::locate::{KeyPath, Seg};
use crate::scenario::raw::RawScenario;

/// The tables a regime may set values in.
pub const SETTABLE: [&str; 4] = ["calendars", "reservations", "pools", "modes"];

/// The regimes of `raw`, resolved, with the segments of each set path.
pub(super) fn regimes(raw: &RawScenario, calendar: &Calendar) -> Result<Vec<RegimePeriod>> {
    let mut names = BTreeSet::new();
    let mut out: Vec<RegimePeriod> = Vec::with_capacity(raw.regimes.len());
    for (i, r) in raw.regimes.iter().enumerate() {
        let path = vec![Seg::Key("regimes".into()), Seg::Index(i)];
        if r.name.trim().is_empty() {
            return invalid(at(&path, "name"), "expected a non-empty regime name");
        }
        if !names.insert(r.name.as_str()) {
            return invalid(
                at(&path, "name"),
                format!("a regime named \"{}\" is already defined", r.name),
            );
        }
        let date = |v: &toml::Value, key: &str| {
            parse_date(v).map_err(|m| super::Invalid {
                path: at(&path, key),
                message: m,
            })
        };
        let from = date(&r.from, "from")?;
        let to = r.to.as_ref().map(|v| date(v, "to")).transpose()?;
        if let Some(to) = to
            && to < from
        {
            return invalid(
                at(&path, "to"),
                format!("the regime ends ({to}) before it starts ({from})"),
            );
        }
        let midnight =
            |d: jiff::civil::Date| calendar.time_of(d.to_datetime(jiff::civil::Time::midnight()));
        let end = to
            .map(|to| {
                to.tomorrow().map_err(|_| super::Invalid {
                    path: at(&path, "to"),
                    message: "date out of range".into(),
                })
            })
            .transpose()?;
        if r.set.is_empty() {
            return invalid(
                at(&path, "set"),
                "expected at least one value to set, e.g. set = { \"pools.review.roster\" = \"7x24\" }",
            );
        }
        for key in r.set.keys() {
            set_path(key, &at(&at(&path, "set"), key.as_str()))?;
        }
        let period = RegimePeriod {
            name: r.name.clone(),
            from: midnight(from),
            to: end.map(midnight),
            sets: r.set.keys().cloned().collect(),
            enabled: r.enabled.unwrap_or(true),
        };
        for (j, other) in out
            .iter()
            .enumerate()
            .filter(|(_, o)| o.enabled && period.enabled)
        {
            if let Some((a, b)) = overlap(other, &period)
                && let Some((mine, theirs)) = shared_path(&period.sets, &other.sets)
            {
                let shown = |t: SimTime| calendar.datetime_at(t).date().to_string();
                let until = b.map_or("the end of the run".to_string(), |b| {
                    shown(SimTime::from_hours(b.hours() - 24.0))
                });
                return invalid(
                    at(&at(&path, "set"), mine.as_str()),
                    format!(
                        "regimes \"{}\" (regimes[{j}]) and \"{}\" are both in force from {} to {until} and both set `{}`: a value can follow one regime at a time (end one regime before the other starts, or set the value in one of them)",
                        other.name,
                        period.name,
                        shown(a),
                        if mine == theirs {
                            mine
                        } else {
                            format!("{mine}` (and `{theirs}`)")
                        }
                    ),
                );
            }
        }
        out.push(period);
    }
    Ok(out)
}

/// Checks one path of a regime's `set`.
fn set_path(key: &str, path: &KeyPath) -> Result<()> {
    let segs: Vec<&str> = key.split('.').map(str::trim).collect();
    if segs.iter().any(|s| s.is_empty()) {
        return invalid(
            path.clone(),
            format!("the path \"{key}\" has an empty segment"),
        );
    }
    // A peak's extra hands may change (a designed roster replaces them), nothing else
    // of a peak: its dates and arrival factor are what the regime would be.
    if segs[0] == "peaks" {
        if segs.len() == 4 && segs[2] == "extra_staff" {
            return Ok(());
        }
        return invalid(
            path.clone(),
            format!(
                "a regime may set a peak's extra hands (\"peaks.NAME.extra_staff.POOL\"), nothing else of it; not \"{key}\""
            ),
        );
    }
    if !SETTABLE.contains(&segs[0]) || segs.len() < 2 {
        return invalid(
            path.clone(),
            format!(
                "a regime sets values under {} (a path like \"pools.review.roster\") or a peak's extra hands (\"peaks.NAME.extra_staff.POOL\"), not \"{key}\"",
                SETTABLE.join(", ")
            ),
        );
    }
    let last = segs[segs.len() - 1];
    if matches!(last, "name" | "pool" | "headline" | "kind") {
        return invalid(
            path.clone(),
            format!(
                "a regime cannot change `{last}`: names, which pool a stage uses, headline flags and arrival kinds stay as in the file (what reports count must not change within a run)"
            ),
        );
    }
    Ok(())
}

/// Where two regimes are both in force: `(from, to)`, `to` exclusive (`None`: no end).
fn overlap(a: &RegimePeriod, b: &RegimePeriod) -> Option<(SimTime, Option<SimTime>)> {
    let from = a.from.max(b.from);
    let to = match (a.to, b.to) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    match to {
        Some(to) if to <= from => None,
        _ => Some((from, to)),
    }
}

/// A path of `mine` that sets the same value as one of `theirs`, or a value inside it (a
/// `*` matches any segment).
fn shared_path(mine: &[String], theirs: &[String]) -> Option<(String, String)> {
    for m in mine {
        for t in theirs {
            let (ms, ts): (Vec<&str>, Vec<&str>) = (m.split('.').collect(), t.split('.').collect());
            let covers = ms
                .iter()
                .zip(&ts)
                .all(|(x, y)| x.trim() == y.trim() || *x == "*" || *y == "*");
            if covers {
                return Some((m.clone(), t.clone()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_paths_include_prefixes_and_wildcards() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(shared_path(&s(&["pools.a.roster"]), &s(&["pools.a.roster"])).is_some());
        assert!(shared_path(&s(&["pools.a"]), &s(&["pools.a.roster"])).is_some());
        assert!(
            shared_path(
                &s(&["modes.*.channels.x.share"]),
                &s(&["modes.m.channels.x.share"])
            )
            .is_some()
        );
        assert!(shared_path(&s(&["pools.a.roster"]), &s(&["pools.b.roster"])).is_none());
    }
}
