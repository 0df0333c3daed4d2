//! Compiling dated regimes: the scenario under every combination of regimes in force at
//! some time, checked like the file itself, folded into the base [`Model`].
//!
//! Each combination is the file with its regimes' `set` values applied (as `--set`
//! overrides are), read and validated; a problem is reported at the regime's `set` key
//! with the regime named. Then:
//! - shipments take the combination in force when they arrive ([`Variant`]): modes with
//!   their class and channel mixes and stages, whose delays count in calendars the model
//!   holds (a calendar a regime changes is added under a new id);
//! - a pool whose roster or staff a regime changes gets dated staffing, and extra hands
//!   a regime changes (a peak's `extra_staff`) count only while it is in force;
//! - an arrival rate a regime changes becomes an arrival factor of its period, as peaks
//!   are; a regime may scale arrivals but not reshape them.

use std::collections::BTreeMap;
use std::path::Path;

use super::locate::{KeyPath, Seg};
use super::overrides::Override;
use super::raw::RawScenario;
use super::validate::{Invalid, validate};
use crate::engine::SimTime;
use crate::model::{
    ArrivalProcess, CalendarId, Delay, Mode, Model, PeakFactor, Staffing, Stage, StageKind, Variant,
};

type Result<T> = std::result::Result<T, Invalid>;

/// Folds the regimes of `model` (checked as written by `validate`) into it. `doc` is the
/// scenario document the model was read from, overrides applied.
pub fn compile(doc: &toml::Table, base_dir: Option<&Path>, mut model: Model) -> Result<Model> {
    let periods = model.regimes.periods.clone();
    if !periods.iter().any(|p| p.enabled) {
        return Ok(model);
    }
    let raw_regimes: Vec<(String, Vec<(String, toml::Value)>)> = doc
        .get("regimes")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .map(|r| {
                    let name = r.get("name").and_then(|n| n.as_str()).unwrap_or("");
                    let set = r
                        .get("set")
                        .and_then(|s| s.as_table())
                        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default();
                    (name.to_string(), set)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut base_doc = doc.clone();
    base_doc.remove("regimes");

    // The instants where the regimes in force change, and which are in force from each.
    let mut points: Vec<SimTime> = vec![SimTime::ZERO];
    for p in &periods {
        points.extend(
            [Some(p.from), p.to]
                .into_iter()
                .flatten()
                .filter(|&t| t > SimTime::ZERO),
        );
    }
    points.sort();
    points.dedup();
    let mut combos: BTreeMap<Vec<usize>, u16> = BTreeMap::new();
    let mut segments: Vec<(SimTime, u16)> = Vec::new();
    let mut variants: Vec<Variant> = Vec::new();
    let mut variant_pools: Vec<Vec<crate::model::Pool>> = Vec::new();
    let mut variant_docs: Vec<toml::Table> = Vec::new();
    for &t in &points {
        let active: Vec<usize> = periods
            .iter()
            .enumerate()
            .filter(|(_, p)| p.enabled && p.from <= t && p.to.is_none_or(|to| t < to))
            .map(|(i, _)| i)
            .collect();
        let v = if active.is_empty() {
            0
        } else if let Some(&v) = combos.get(&active) {
            v
        } else {
            let (vdoc, vmodel) =
                variant(&base_doc, &raw_regimes, &active, &periods, &model, base_dir)?;
            let v = u16::try_from(variants.len() + 1).map_err(|_| Invalid {
                path: vec![Seg::Key("regimes".into())],
                message: "more than 65535 combinations of regimes".into(),
            })?;
            // The variant's pools matter only here, to date the staffing of pools the
            // regimes change; shipments take the rest.
            variant_pools.push(vmodel.pools.clone());
            variants.push(adopt(&mut model, vmodel, &active));
            variant_docs.push(vdoc);
            combos.insert(active, v);
            v
        };
        if segments.last().map_or(v != 0, |&(_, last)| last != v) {
            segments.push((t, v));
        }
    }

    // What is not a shipment's: arrival rates and pools, by period.
    let spans: Vec<(SimTime, SimTime, u16)> = segments
        .iter()
        .enumerate()
        .map(|(i, &(from, v))| {
            let to = segments.get(i + 1).map_or(SimTime::INFINITY, |s| s.0);
            (from, to, v)
        })
        .collect();
    for (m, mode) in model.modes.iter_mut().enumerate() {
        for &(from, to, v) in spans.iter().filter(|s| s.2 != 0) {
            let vmode = &variants[usize::from(v) - 1].modes[m];
            let factor = arrival_factor(&mode.arrivals, &vmode.arrivals).map_err(|message| {
                blame(
                    &raw_regimes,
                    &variants[usize::from(v) - 1].regimes,
                    &periods,
                    &["modes", &mode.name, "arrivals"],
                    message,
                )
            })?;
            if factor != 1.0 {
                let peak = PeakFactor { from, to, factor };
                match &mut mode.arrivals {
                    ArrivalProcess::Poisson { peaks, .. }
                    | ArrivalProcess::Timetable { peaks, .. } => peaks.push(peak),
                    ArrivalProcess::List { .. } | ArrivalProcess::Log { .. } => {}
                }
            }
        }
    }
    let base_pools = base_doc
        .get("pools")
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    // Every stretch of time and the combination in force, the file's own (0) included.
    let mut all_spans = Vec::with_capacity(spans.len() + 1);
    let first = spans.first().map_or(SimTime::INFINITY, |s| s.0);
    if first > SimTime::ZERO {
        all_spans.push((SimTime::ZERO, first, 0u16));
    }
    all_spans.extend(spans.iter().copied());
    for (k, pool) in model.pools.iter_mut().enumerate() {
        // Extra hands a regime changes (a peak's `extra_staff`) count only while it is in
        // force: each stretch takes its combination's extra periods, clipped to it.
        if variant_pools.iter().any(|vp| vp[k].extra != pool.extra) {
            let base_extra = pool.extra.clone();
            pool.extra = all_spans
                .iter()
                .flat_map(|&(from, to, v)| {
                    let extra = match v {
                        0 => &base_extra,
                        v => &variant_pools[usize::from(v) - 1][k].extra,
                    };
                    extra
                        .iter()
                        .map(move |e| crate::model::ExtraStaff {
                            from: e.from.max(from),
                            to: e.to.min(to),
                            staff: e.staff,
                        })
                        .filter(|e| e.from < e.to && e.staff > 0)
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        let changed = variant_docs.iter().any(|d| {
            d.get("pools")
                .and_then(|p| p.as_array())
                .and_then(|a| a.get(k))
                != base_pools.get(k)
        });
        if !changed {
            continue;
        }
        let staffing_of = |v: u16| -> (Staffing, Staffing) {
            let pool_v = match v {
                0 => pool.clone(),
                v => variant_pools[usize::from(v) - 1][k].clone(),
            };
            (
                pool_v.general,
                pool_v.restricted.unwrap_or(Staffing::Constant(0)),
            )
        };
        let mut general = vec![(SimTime::ZERO, staffing_of(0).0)];
        let mut restricted = vec![(SimTime::ZERO, staffing_of(0).1)];
        for &(from, _, v) in &spans {
            let (g, r) = staffing_of(v);
            general.push((from, g));
            restricted.push((from, r));
        }
        pool.general = Staffing::Dated(general);
        pool.restricted = Some(Staffing::Dated(restricted));
    }
    model.regimes.variants = variants;
    model.regimes.segments = segments;
    Ok(model)
}

/// The on-call shifts (`serves = ...`) of roster `roster` of pool `pool` as written, each
/// as an inline TOML table: what a designed roster of general officers keeps.
pub fn on_call_shifts(raw: &RawScenario, pool: &str, roster: &str) -> Vec<String> {
    raw.pools
        .iter()
        .find(|p| p.name == pool)
        .and_then(|p| p.rosters.as_ref())
        .and_then(|r| r.get(roster))
        .map(|shifts| {
            shifts
                .iter()
                .filter(|s| s.serves.is_some())
                .filter_map(|s| toml::Value::try_from(s).ok())
                .map(|v| match v {
                    toml::Value::Table(t) => inline(&t),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A table as one inline table, `{ key = value, ... }`.
fn inline(t: &toml::Table) -> String {
    let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// The name of the roster pool `pool` works at `t`: the last regime in force then (in
/// file order) that sets `pools.POOL.roster` (or `pools.*.roster`), else the pool's own
/// `roster`, else the policy; `None` for a pool of constant `staff` (or unknown).
pub fn roster_in_force(raw: &RawScenario, model: &Model, pool: &str, t: SimTime) -> Option<String> {
    let own = raw.pools.iter().find(|p| p.name == pool)?;
    if own.staff.is_some() {
        return None;
    }
    let by_regime = raw
        .regimes
        .iter()
        .zip(&model.regimes.periods)
        .rev() // the last in file order wins
        .filter(|(_, p)| p.enabled && p.from <= t && p.to.is_none_or(|to| t < to))
        .filter_map(|(r, _)| {
            r.set.iter().find_map(|(key, value)| {
                let segs: Vec<&str> = key.split('.').map(str::trim).collect();
                let names_pool = segs.len() == 3
                    && segs[0] == "pools"
                    && (segs[1] == pool || segs[1] == "*")
                    && segs[2] == "roster";
                if names_pool {
                    value.as_str().map(str::to_string)
                } else {
                    None
                }
            })
        })
        .next();
    by_regime
        .or_else(|| own.roster.clone())
        .or_else(|| model.policy.clone())
}

/// The scenario under the regimes `active`: its document and model.
fn variant(
    base_doc: &toml::Table,
    raw_regimes: &[(String, Vec<(String, toml::Value)>)],
    active: &[usize],
    periods: &[crate::model::RegimePeriod],
    base: &Model,
    base_dir: Option<&Path>,
) -> Result<(toml::Table, Model)> {
    let mut vdoc = base_doc.clone();
    for &i in active {
        for (key, value) in &raw_regimes[i].1 {
            let at = set_key(i, key);
            let paths = expand(&vdoc, key).map_err(|message| Invalid {
                path: at.clone(),
                message,
            })?;
            for path in paths {
                let o = Override {
                    path,
                    value: value.clone(),
                    origin: format!("regime \"{}\"", raw_regimes[i].0),
                };
                o.apply(&mut vdoc).map_err(|message| Invalid {
                    path: at.clone(),
                    message,
                })?;
            }
        }
    }
    let under = |path: &KeyPath, message: String| {
        let segs: Vec<String> = path
            .iter()
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            })
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        blame(raw_regimes, active, periods, &segs, message)
    };
    let raw: RawScenario = serde_path_to_error::deserialize(toml::Value::Table(vdoc.clone()))
        .map_err(|e| {
            let mut path = super::locate::error_path(e.path());
            // A tagged table's reader names the key below it that the error concerns.
            let (below, message) = super::locate::message_key(e.inner().message());
            path.extend(below.map(Seg::from));
            let shown = super::locate::display_path(&vdoc, &path);
            let message = super::locate::plain_types(message.trim());
            under(&path, format!("`{shown}`: {message}"))
        })?;
    let (model, _) = validate(&raw, base_dir).map_err(|inv| {
        let shown = super::locate::display_path(&vdoc, &inv.path);
        under(&inv.path, format!("`{shown}`: {}", inv.message))
    })?;
    same_shape(base, &model).map_err(|(path, message)| {
        let segs: Vec<&str> = path.iter().map(String::as_str).collect();
        blame(raw_regimes, active, periods, &segs, message)
    })?;
    Ok((vdoc, model))
}

/// Takes what shipments need from a variant's model: its modes (calendar ids moved to
/// the base model's list, adding any calendar the regimes changed) and reservations.
fn adopt(base: &mut Model, v: Model, active: &[usize]) -> Variant {
    let mut ids: Vec<CalendarId> = Vec::with_capacity(v.calendars.len());
    for (name, hours) in &v.calendars {
        let same = base
            .calendars
            .iter()
            .position(|(n, h)| n == name && h == hours);
        let id = match same {
            Some(i) => i,
            None => {
                // A calendar the regimes changed (or added): kept beside the file's under
                // a name that says whose it is.
                let shown = format!("{name} (regimes {active:?})");
                match base
                    .calendars
                    .iter()
                    .position(|(n, h)| n == &shown && h == hours)
                {
                    Some(i) => i,
                    None => {
                        base.calendars.push((shown, hours.clone()));
                        base.calendars.len() - 1
                    }
                }
            }
        };
        ids.push(CalendarId(id as u32));
    }
    let remap = |d: &mut Delay| {
        for c in [&mut d.calendar, &mut d.calendar_fast_track]
            .into_iter()
            .flatten()
        {
            *c = ids[c.0 as usize];
        }
    };
    fn stages(list: &mut [Stage], remap: &dyn Fn(&mut Delay)) {
        for s in list {
            match &mut s.kind {
                StageKind::Delay(d) => remap(d),
                StageKind::Service { .. } => {}
                StageKind::Parallel { branches } => {
                    for b in branches {
                        stages(&mut b.stages, remap);
                    }
                }
            }
        }
    }
    let mut modes = v.modes;
    for m in &mut modes {
        m.lodgement.as_mut().map(remap);
        m.exit.as_mut().map(remap);
        for c in &mut m.channels {
            stages(&mut c.stages, &remap);
        }
    }
    let reservations = v.reservations.map(|mut r| {
        r.office = ids[r.office.0 as usize];
        r
    });
    Variant {
        regimes: active.to_vec(),
        modes,
        reservations,
    }
}

/// The multiplier that turns `base` arrivals into `variant`'s, or why there is none.
fn arrival_factor(
    base: &ArrivalProcess,
    variant: &ArrivalProcess,
) -> std::result::Result<f64, String> {
    use ArrivalProcess as A;
    let scale = |a: f64, b: f64| {
        if a == b {
            Ok(1.0)
        } else if a > 0.0 {
            Ok(b / a)
        } else {
            Err("a regime cannot scale a zero arrival rate".to_string())
        }
    };
    match (base, variant) {
        (
            A::Poisson { rate_per_hour: a, profile: pa, .. },
            A::Poisson { rate_per_hour: b, profile: pb, .. },
        ) if pa == pb => scale(*a, *b),
        (A::Timetable { services: sa, .. }, A::Timetable { services: sb, .. })
            if sa.len() == sb.len()
                && sa.iter().zip(sb).all(|(x, y)| {
                    x.days == y.days
                        && x.minute == y.minute
                        && x.jitter == y.jitter
                        && x.cancel_probability == y.cancel_probability
                }) =>
        {
            let mut factor: Option<f64> = None;
            for (x, y) in sa.iter().zip(sb) {
                use crate::model::CountDist as C;
                let f = match (&x.batch, &y.batch) {
                    (a, b) if a == b => 1.0,
                    (C::Poisson { mean: a, .. }, C::Poisson { mean: b, .. }) => scale(*a, *b)?,
                    _ => {
                        return Err("a regime may scale a timetable's Poisson batches (their `mean`), not reshape them".into());
                    }
                };
                match factor {
                    Some(g) if (g - f).abs() > 1e-12 * g.abs().max(1.0) => {
                        return Err("a regime may scale a timetable's batches only by one factor for every service".into());
                    }
                    _ => factor = Some(f),
                }
            }
            Ok(factor.unwrap_or(1.0))
        }
        (A::List { times: a }, A::List { times: b }) if a == b => Ok(1.0),
        (A::Log { shipments: a }, A::Log { shipments: b }) if a == b => Ok(1.0),
        _ => Err("a regime may change an arrival rate (`rate_per_hour`, a timetable's batch sizes) but not the shape of arrivals (profiles, services, lists, logs)".into()),
    }
}

/// Whether a variant keeps the base's shape: the same modes, channels, stages and pools
/// by name, each stage of the same kind at the same pool. `Err`: the path and why.
fn same_shape(base: &Model, v: &Model) -> std::result::Result<(), (Vec<String>, String)> {
    fn stages(
        a: &[Stage],
        b: &[Stage],
        path: &[String],
    ) -> std::result::Result<(), (Vec<String>, String)> {
        let names = |s: &[Stage]| s.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
        if names(a) != names(b) {
            return Err((
                path.to_vec(),
                "a regime cannot add, remove or reorder stages".into(),
            ));
        }
        for (x, y) in a.iter().zip(b) {
            let mut here = path.to_vec();
            here.push(x.name.clone());
            match (&x.kind, &y.kind) {
                (StageKind::Service { pool: p, .. }, StageKind::Service { pool: q, .. })
                    if p == q => {}
                (StageKind::Delay(_), StageKind::Delay(_)) => {}
                (StageKind::Parallel { branches: p }, StageKind::Parallel { branches: q })
                    if p.len() == q.len() && p.iter().zip(q).all(|(u, w)| u.name == w.name) =>
                {
                    for (u, w) in p.iter().zip(q) {
                        let mut b = here.clone();
                        b.extend(["branches".to_string(), u.name.clone(), "stages".to_string()]);
                        stages(&u.stages, &w.stages, &b)?;
                    }
                }
                _ => {
                    return Err((here, "a regime cannot change what a stage is (a service at a pool, a delay, branches)".into()));
                }
            }
        }
        Ok(())
    }
    let mode_names = |m: &Model| m.modes.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
    let pool_names = |m: &Model| m.pools.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
    if mode_names(base) != mode_names(v) || pool_names(base) != pool_names(v) {
        return Err((
            vec!["modes".into()],
            "a regime cannot add or remove modes or pools".into(),
        ));
    }
    for (a, b) in base.modes.iter().zip(&v.modes) {
        let path = vec!["modes".to_string(), a.name.clone(), "channels".to_string()];
        let names = |m: &Mode| {
            m.channels
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        if names(a) != names(b) {
            return Err((
                path,
                "a regime cannot add, remove or reorder channels".into(),
            ));
        }
        for (c, d) in a.channels.iter().zip(&b.channels) {
            let mut p = path.clone();
            p.extend([c.name.clone(), "stages".to_string()]);
            stages(&c.stages, &d.stages, &p)?;
        }
        if a.lodgement.is_some() != b.lodgement.is_some() || a.exit.is_some() != b.exit.is_some() {
            return Err((
                vec!["modes".into(), a.name.clone()],
                "a regime cannot add or remove a mode's lodgement or exit time".into(),
            ));
        }
    }
    Ok(())
}

/// The key path of regime `i`'s `set` entry `key`.
fn set_key(i: usize, key: &str) -> KeyPath {
    vec![
        Seg::Key("regimes".into()),
        Seg::Index(i),
        Seg::Key("set".into()),
        Seg::Key(key.to_string()),
    ]
}

/// An error in the scenario under regimes `active`, at `path` of the file: reported at
/// the `set` entry of the (latest) active regime whose path covers it, else at the latest
/// active regime's first entry, naming the regimes in force.
fn blame(
    raw_regimes: &[(String, Vec<(String, toml::Value)>)],
    active: &[usize],
    periods: &[crate::model::RegimePeriod],
    path: &[&str],
    message: String,
) -> Invalid {
    let covers = |key: &str| {
        let segs: Vec<&str> = key.split('.').map(str::trim).collect();
        segs.iter()
            .zip(path)
            .all(|(k, p)| k == p || *k == "*" || p.parse::<usize>().is_ok())
            || path.iter().zip(&segs).all(|(p, k)| k == p || *k == "*")
    };
    let found = active.iter().rev().find_map(|&i| {
        raw_regimes[i]
            .1
            .iter()
            .find(|(k, _)| covers(k))
            .map(|(k, _)| (i, k.clone()))
    });
    let (i, key) = found.unwrap_or_else(|| {
        let i = *active.last().unwrap_or(&0);
        (
            i,
            raw_regimes[i]
                .1
                .first()
                .map(|(k, _)| k.clone())
                .unwrap_or_default(),
        )
    });
    let names: Vec<String> = active
        .iter()
        .map(|&j| format!("\"{}\"", periods[j].name))
        .collect();
    // An error inside the value a key sets (a shift of a calendar it replaces, say) is
    // placed at that part of the value: the key, then the rest of the error's path.
    let mut at = set_key(i, &key);
    let depth = key.split('.').count();
    if depth < path.len() && !key.contains('*') {
        at.extend(path[depth..].iter().map(|p| match p.parse::<usize>() {
            Ok(n) => Seg::Index(n),
            Err(_) => Seg::Key((*p).to_string()),
        }));
    }
    Invalid {
        path: at,
        message: format!("under regime {}: {message}", names.join(" and ")),
    }
}

/// The concrete paths of a `set` key: itself, or with each `*` replaced by every element
/// name (or index) of the array, or key of the table, found there. A path under a `*`
/// that an element lacks is skipped; a key that matches nothing is an error.
fn expand(doc: &toml::Table, key: &str) -> std::result::Result<Vec<Vec<String>>, String> {
    let segs: Vec<String> = key.split('.').map(|s| s.trim().to_string()).collect();
    if !segs.iter().any(|s| s == "*") {
        return Ok(vec![segs]);
    }
    if segs.last().is_some_and(|s| s == "*") {
        return Err(format!(
            "the path \"{key}\" ends in `*`: name the value to set"
        ));
    }
    fn walk(
        v: &toml::Value,
        rest: &[String],
        prefix: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) {
        if rest.len() == 1 {
            if v.is_table() {
                let mut p = prefix.clone();
                p.push(rest[0].clone());
                out.push(p);
            }
            return;
        }
        let (seg, rest) = (&rest[0], &rest[1..]);
        let children: Vec<(String, &toml::Value)> = match v {
            toml::Value::Table(t) if seg == "*" => t.iter().map(|(k, x)| (k.clone(), x)).collect(),
            toml::Value::Table(t) => t
                .get(seg)
                .map(|x| vec![(seg.clone(), x)])
                .unwrap_or_default(),
            toml::Value::Array(a) => a
                .iter()
                .enumerate()
                .filter_map(|(i, x)| {
                    let name = x.get("name").and_then(|n| n.as_str()).map(str::to_string);
                    let label = name.clone().unwrap_or_else(|| i.to_string());
                    (seg == "*"
                        || name.as_deref() == Some(seg.as_str())
                        || (name.is_none() && &label == seg))
                        .then_some((label, x))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (label, child) in children {
            prefix.push(label);
            walk(child, rest, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(
        &toml::Value::Table(doc.clone()),
        &segs,
        &mut Vec::new(),
        &mut out,
    );
    if out.is_empty() {
        return Err(format!(
            "the path \"{key}\" matches nothing in the scenario"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_expand_over_array_elements_and_skip_what_an_element_lacks() {
        let doc: toml::Table = r#"
            [[modes]]
            name = "a"
            channels = [{ name = "x", stages = [{ name = "duty" }] }, { name = "y", stages = [{ name = "review" }] }]
            [[modes]]
            name = "b"
            channels = [{ name = "x", stages = [{ name = "duty" }] }]
        "#
        .parse()
        .unwrap();
        let got = expand(&doc, "modes.*.channels.*.stages.duty.calendar").unwrap();
        let dotted: Vec<String> = got.iter().map(|p| p.join(".")).collect();
        assert_eq!(
            dotted,
            [
                "modes.a.channels.x.stages.duty.calendar",
                "modes.b.channels.x.stages.duty.calendar"
            ]
        );
        assert!(expand(&doc, "modes.*.channels.*.stages.lab.calendar").is_err());
        assert!(expand(&doc, "modes.*").is_err());
        assert_eq!(expand(&doc, "modes.a.priority_share").unwrap().len(), 1);
    }
}
