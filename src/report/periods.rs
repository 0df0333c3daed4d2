//! A scenario's dated periods in words: its peaks and regimes, one line each, as
//! `portsim validate` lists them.

use crate::engine::SimTime;
use crate::model::{Model, WarmupRule};

/// One line per peak and per regime of `model`, in file order: name, dates (both
/// inclusive), for a regime the paths it sets, and a note when the period cannot move
/// the counted figures (outside the run, or within a fixed warm-up).
pub fn lines(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = model
        .peaks
        .iter()
        .map(|p| {
            format!(
                "peak \"{}\": {} to {}{}",
                p.name,
                date(model, p.from),
                last_date(model, p.to),
                reach(model, p.from, Some(p.to))
            )
        })
        .collect();
    out.extend(model.regimes.periods.iter().map(|r| {
        format!(
            "regime \"{}\": {} to {}; sets {}{}{}",
            r.name,
            date(model, r.from),
            r.to.map_or("the end of the run".to_string(), |t| last_date(model, t)),
            sets(&r.sets),
            if r.enabled { "" } else { " (disabled)" },
            if r.enabled {
                reach(model, r.from, r.to)
            } else {
                String::new()
            }
        )
    }));
    out
}

/// Why a period from `from` to `to` (exclusive; `None`: no end) does not reach the
/// counted window, as a note to append; empty when it does. A scenario shared by
/// several years (as the Chongqing pair is) holds periods of the other year: listed,
/// and said to be idle here rather than silently so.
fn reach(model: &Model, from: SimTime, to: Option<SimTime>) -> String {
    if from >= model.horizon {
        return format!(
            " — after the run's last day ({}): never in force",
            last_date(model, model.horizon)
        );
    }
    if to.is_some_and(|t| t <= SimTime::ZERO) {
        return format!(
            " — before the run's first day ({}): never in force",
            date(model, SimTime::ZERO)
        );
    }
    // An estimated warm-up is not known before the pilot run.
    if model.warmup_rule == WarmupRule::Fixed
        && model.warmup > SimTime::ZERO
        && to.is_some_and(|t| t <= model.warmup)
    {
        return format!(
            " — within the warm-up (to {}): its days are not counted",
            last_date(model, model.warmup)
        );
    }
    String::new()
}

/// The date of `t`.
fn date(model: &Model, t: SimTime) -> String {
    model.calendar.datetime_at(t).date().to_string()
}

/// The last date of a period ending (exclusive) at `t`, a midnight.
fn last_date(model: &Model, t: SimTime) -> String {
    date(model, SimTime::from_hours(t.hours() - 24.0))
}

/// The paths a regime sets: all of them when a few, else the first three and the count.
fn sets(paths: &[String]) -> String {
    match paths.len() {
        0..=4 => paths.join(", "),
        n => format!("{n} values ({}, …)", paths[..3].join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 10-day run from 2024-03-01 with a 3-day warm-up, and the periods given.
    fn listed(periods: &str) -> Vec<String> {
        let text = format!(
            "name = \"t\"\nstart = \"2024-03-01\"\nhorizon_days = 10\nwarmup_days = 3\n{periods}\n[[pools]]\nname = \"p\"\nstaff = 1\n[[modes]]\nname = \"m\"\narrivals = {{ kind = \"poisson\", rate_per_hour = 0.1 }}\nstages = [{{ name = \"s\", pool = \"p\", time = {{ dist = \"exponential\", mean = \"1h\" }} }}]\n"
        );
        let model = crate::scenario::load_str("t.toml", &text, &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .model;
        lines(&model)
    }

    #[test]
    fn periods_outside_the_counted_window_say_so_to_the_day() {
        let peaks = |from: &str, to: &str| {
            listed(&format!(
                "[[peaks]]\nname = \"x\"\nfrom = \"{from}\"\nto = \"{to}\"\narrival_factor = 1.5\n"
            ))
        };
        // Ends on the warm-up's last day (2024-03-03): not counted; a day later it is.
        assert_eq!(
            peaks("2024-03-02", "2024-03-03"),
            [
                "peak \"x\": 2024-03-02 to 2024-03-03 — within the warm-up (to 2024-03-03): its days are not counted"
            ]
        );
        assert_eq!(
            peaks("2024-03-02", "2024-03-04"),
            ["peak \"x\": 2024-03-02 to 2024-03-04"]
        );
        // The run's last day is 2024-03-10: a period from it is in force, from the day
        // after never.
        assert_eq!(
            peaks("2024-03-10", "2024-03-12"),
            ["peak \"x\": 2024-03-10 to 2024-03-12"]
        );
        assert_eq!(
            peaks("2024-03-11", "2024-03-12"),
            [
                "peak \"x\": 2024-03-11 to 2024-03-12 — after the run's last day (2024-03-10): never in force"
            ]
        );
    }
}
