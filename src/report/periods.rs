//! A scenario's dated periods in words: its peaks and regimes, one line each, as
//! `portsim validate` lists them.

use crate::engine::SimTime;
use crate::model::Model;

/// One line per peak and per regime of `model`, in file order: name, dates (both
/// inclusive) and, for a regime, the paths it sets.
pub fn lines(model: &Model) -> Vec<String> {
    let date = |t: SimTime| model.calendar.datetime_at(t).date().to_string();
    // The last date of a period ending (exclusive) at `t`, a midnight.
    let last = |t: SimTime| date(SimTime::from_hours(t.hours() - 24.0));
    let mut out: Vec<String> = model
        .peaks
        .iter()
        .map(|p| format!("peak \"{}\": {} to {}", p.name, date(p.from), last(p.to)))
        .collect();
    out.extend(model.regimes.periods.iter().map(|r| {
        format!(
            "regime \"{}\": {} to {}; sets {}{}",
            r.name,
            date(r.from),
            r.to.map_or("the end of the run".to_string(), last),
            sets(&r.sets),
            if r.enabled { "" } else { " (disabled)" }
        )
    }));
    out
}

/// The paths a regime sets: all of them when a few, else the first three and the count.
fn sets(paths: &[String]) -> String {
    match paths.len() {
        0..=4 => paths.join(", "),
        n => format!("{n} values ({}, …)", paths[..3].join(", ")),
    }
}
