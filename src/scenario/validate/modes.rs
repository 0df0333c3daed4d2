//! Checking modes: channels, stages, parallel branches, delays in working hours,
//! lodgement and exit.

use std::collections::BTreeSet;

use super::arrivals::arrivals;
use super::values::{duration_dist, share};
use super::{Context, Result, at, invalid};
use crate::model::{
    ArrivalProcess, Branch, Channel, Delay, Mode, OnArrival, Pool, PoolId, Stage, StageKind,
};
use crate::scenario::locate::Seg;
use crate::scenario::raw::{
    RawBranch, RawChannel, RawDurationDist, RawMode, RawOnArrival, RawScenario, RawStage,
};

/// Every mode, resolved.
pub(super) fn modes(raw: &RawScenario, pools: &[Pool], cx: &Context<'_>) -> Result<Vec<Mode>> {
    if raw.modes.is_empty() {
        return invalid(
            vec![Seg::Key("modes".into())],
            "expected at least one [[modes]] entry",
        );
    }
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(raw.modes.len());
    for (i, m) in raw.modes.iter().enumerate() {
        let path = vec![Seg::Key("modes".into()), Seg::Index(i)];
        if m.name.trim().is_empty() {
            return invalid(at(&path, "name"), "expected a non-empty mode name");
        }
        if !names.insert(m.name.as_str()) {
            return invalid(
                at(&path, "name"),
                format!("a mode named \"{}\" is already defined", m.name),
            );
        }
        out.push(mode(m, &path, pools, cx)?);
    }
    Ok(out)
}

/// Resolves stage names to statistics slots, shared by name across channels.
struct StageNames(Vec<String>);

impl StageNames {
    fn slot(&mut self, name: &str) -> u32 {
        match self.0.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.0.push(name.to_string());
                (self.0.len() - 1) as u32
            }
        }
    }
}

/// The boundaries for drawing from `shares` with one uniform number: their running sums,
/// checked to reach 1 (within 1e-6; `what` names them in the error at `path`), with the
/// last share above 0 and any after it ending exactly at 1 so that every draw in [0, 1)
/// finds one and a share of 0 is never drawn.
fn boundaries(shares: &[f64], what: &str, path: &[Seg]) -> Result<Vec<f64>> {
    let mut sum = 0.0;
    let mut out: Vec<f64> = shares
        .iter()
        .map(|x| {
            sum += x;
            sum
        })
        .collect();
    if (sum - 1.0).abs() > 1e-6 {
        let terms: Vec<String> = shares.iter().map(f64::to_string).collect();
        return invalid(
            path.to_vec(),
            format!(
                "{what} must sum to 1, got {} = {}",
                terms.join(" + "),
                (sum * 1e9).round() / 1e9
            ),
        );
    }
    if let Some(k) = shares.iter().rposition(|&x| x > 0.0) {
        out[k..].fill(1.0);
    }
    Ok(out)
}

fn mode(m: &RawMode, path: &[Seg], pools: &[Pool], cx: &Context<'_>) -> Result<Mode> {
    let priority_share = share(m.priority_share, path, "priority_share")?;
    let reservation_share = share(m.reservation_share, path, "reservation_share")?;
    if reservation_share > 0.0 && !cx.reservations {
        return invalid(
            at(path, "reservation_share"),
            "shipments can only reserve service when the scenario has [reservations] (office_hours, lead_time)",
        );
    }
    let mut names = StageNames(Vec::new());
    let stage_cx = StageContext {
        pools,
        cx,
        may_be_priority: (priority_share > 0.0 && m.fast_track.unwrap_or(true))
            || reservation_share > 0.0,
    };
    // Whether the priority class has its own channel mix: by default when a channel
    // gives one; `class_mix = false` keeps the class on the others' mix.
    let gives_mix = m
        .channels
        .as_ref()
        .is_some_and(|cs| cs.iter().any(|c| c.share_priority.is_some()));
    let class_mix = match m.class_mix {
        None => gives_mix,
        Some(true) if !gives_mix => {
            return invalid(
                at(path, "class_mix"),
                format!(
                    "`class_mix = true` needs the priority class's mix: give mode \"{}\"'s channels `share_priority`",
                    m.name
                ),
            );
        }
        Some(own) => own,
    };
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
            share_priority: 1.0,
            cumulative_priority: 1.0,
            stages: stage_list(stages, &at(path, "stages"), &stage_cx, &mut names)?,
        }],
        (None, Some(channels)) => channel_list(
            channels,
            &at(path, "channels"),
            &stage_cx,
            &mut names,
            class_mix,
        )?,
    };
    let arrivals = arrivals(m, &at(path, "arrivals"), &channels, cx)?;
    // A priority mix nobody draws from is a mistake: only a replayed log can bring
    // priority shipments to a mode without a priority share.
    if class_mix && priority_share == 0.0 && !matches!(arrivals, ArrivalProcess::Log { .. }) {
        return invalid(
            at(path, "channels"),
            format!(
                "the channels give share_priority (the priority class's mix), but mode \"{}\" has no priority class: set priority_share above 0, or leave share_priority out",
                m.name
            ),
        );
    }
    let delay = |d: &Option<RawDurationDist>,
                 cal: &Option<String>,
                 key: &str,
                 cal_key: &str|
     -> Result<Option<Delay>> {
        match d {
            None if cal.is_some() => invalid(
                at(path, cal_key),
                format!("`{cal_key}` needs `{key}` (a distribution)"),
            ),
            None => Ok(None),
            Some(d) => Ok(Some(Delay {
                time: duration_dist(d, &at(path, key))?,
                calendar: cal
                    .as_deref()
                    .map(|c| cx.calendar_id(c, at(path, cal_key)))
                    .transpose()?,
                calendar_fast_track: None,
            })),
        }
    };
    Ok(Mode {
        name: m.name.clone(),
        headline: m.headline.unwrap_or(true),
        class_mix,
        priority_share,
        fast_track: m.fast_track.unwrap_or(true),
        reservation_share,
        arrivals,
        lodgement: delay(
            &m.lodgement,
            &m.lodgement_calendar,
            "lodgement",
            "lodgement_calendar",
        )?,
        exit: delay(&m.exit, &m.exit_calendar, "exit", "exit_calendar")?,
        channels,
        stage_names: names.0,
    })
}

/// A mode's channels at `cpath`, each with its stages, and their drawing boundaries: one
/// mix for both classes, or with `class_mix` the priority class's own.
fn channel_list(
    channels: &[RawChannel],
    cpath: &[Seg],
    stage_cx: &StageContext<'_>,
    names: &mut StageNames,
    class_mix: bool,
) -> Result<Vec<Channel>> {
    if channels.is_empty() {
        return invalid(cpath.to_vec(), "expected at least one channel");
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(channels.len());
    for (i, c) in channels.iter().enumerate() {
        let path = at(cpath, i);
        if !seen.insert(c.name.as_str()) {
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
        if let Some(x) = c.share_priority
            && !(x.is_finite() && x >= 0.0)
        {
            return invalid(
                at(&path, "share_priority"),
                format!("expected a share ≥ 0, got {x}"),
            );
        }
        out.push(Channel {
            name: c.name.clone(),
            share: c.share,
            cumulative: 0.0,
            share_priority: c.share_priority.unwrap_or(0.0),
            cumulative_priority: 0.0,
            stages: stage_list(&c.stages, &at(&path, "stages"), stage_cx, names)?,
        });
    }
    let shares: Vec<f64> = out.iter().map(|c| c.share).collect();
    let bounds = boundaries(&shares, "channel shares", cpath)?;
    for (c, b) in out.iter_mut().zip(bounds) {
        c.cumulative = b;
    }
    if class_mix {
        // The priority class's own mix: its shares sum to 1 as well.
        let shares: Vec<f64> = out.iter().map(|c| c.share_priority).collect();
        let what = "the channels' share_priority (the priority class's mix; missing ones count 0)";
        for (c, b) in out.iter_mut().zip(boundaries(&shares, what, cpath)?) {
            c.cumulative_priority = b;
        }
    } else {
        // One mix for both classes.
        for c in &mut out {
            c.share_priority = c.share;
            c.cumulative_priority = c.cumulative;
        }
    }
    Ok(out)
}

struct StageContext<'a> {
    pools: &'a [Pool],
    cx: &'a Context<'a>,
    /// Whether the mode has priority or reserved shipments (which on-call officers serve).
    may_be_priority: bool,
}

fn stage_list(
    stages: &[RawStage],
    path: &[Seg],
    sc: &StageContext<'_>,
    names: &mut StageNames,
) -> Result<Vec<Stage>> {
    if stages.is_empty() {
        return invalid(path.to_vec(), "expected at least one stage");
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(stages.len());
    for (i, s) in stages.iter().enumerate() {
        let path = at(path, i);
        let name = s.name();
        if !seen.insert(name) {
            return invalid(
                at(&path, "name"),
                format!("a stage named \"{name}\" is already defined here"),
            );
        }
        let kind = match s {
            RawStage::Service { pool, time, .. } => StageKind::Service {
                pool: pool_id(pool, name, &path, sc)?,
                time: duration_dist(time, &at(&path, "time"))?,
            },
            RawStage::Delay {
                delay,
                calendar,
                calendar_fast_track,
                ..
            } => StageKind::Delay(Delay {
                time: duration_dist(delay, &at(&path, "delay"))?,
                calendar: calendar
                    .as_deref()
                    .map(|c| sc.cx.calendar_id(c, at(&path, "calendar")))
                    .transpose()?,
                calendar_fast_track: calendar_fast_track
                    .as_deref()
                    .map(|c| sc.cx.calendar_id(c, at(&path, "calendar_fast_track")))
                    .transpose()?,
            }),
            RawStage::Parallel { branches, .. } => {
                parallel(branches, &at(&path, "branches"), i, sc, names)?
            }
        };
        out.push(Stage {
            name: name.to_string(),
            stat: names.slot(name),
            kind,
        });
    }
    Ok(out)
}

/// A parallel stage's branches at `bpath`, each with its stages (services and delays);
/// `position` is the stage's place in its list (a branch may start on arrival only in a
/// channel's first stage: later ones start after earlier stages, which need lodgement).
fn parallel(
    branches: &[RawBranch],
    bpath: &[Seg],
    position: usize,
    sc: &StageContext<'_>,
    names: &mut StageNames,
) -> Result<StageKind> {
    if branches.len() < 2 {
        return invalid(
            bpath.to_vec(),
            "a parallel stage needs at least two branches",
        );
    }
    let mut bnames = BTreeSet::new();
    let mut list = Vec::with_capacity(branches.len());
    for (j, b) in branches.iter().enumerate() {
        let p = at(bpath, j);
        if !bnames.insert(b.name.as_str()) {
            return invalid(
                at(&p, "name"),
                format!("a branch named \"{}\" is already defined here", b.name),
            );
        }
        if b.on_arrival.is_some() && position > 0 {
            return invalid(
                at(&p, "on_arrival"),
                format!(
                    "`on_arrival` applies to branches of a channel's first stage (they start before the declaration is lodged); this parallel stage comes after {position} other stage(s)"
                ),
            );
        }
        let stages: Vec<RawStage> = b.stages.iter().cloned().map(RawStage::from).collect();
        list.push(Branch {
            name: b.name.clone(),
            stages: stage_list(&stages, &at(&p, "stages"), sc, names)?,
            on_arrival: b.on_arrival.map(|o| match o {
                RawOnArrival::FastTrack => OnArrival::FastTrack,
                RawOnArrival::All => OnArrival::All,
            }),
        });
    }
    Ok(StageKind::Parallel { branches: list })
}

fn pool_id(pool: &str, stage: &str, path: &[Seg], sc: &StageContext<'_>) -> Result<PoolId> {
    let Some(i) = sc.pools.iter().position(|p| p.name == pool) else {
        let known: Vec<&str> = sc.pools.iter().map(|p| p.name.as_str()).collect();
        return invalid(
            at(path, "pool"),
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
    if !sc.pools[i].can_ever_serve(&sc.cx.calendar, sc.may_be_priority) {
        return invalid(
            at(path, "pool"),
            format!(
                "pool \"{pool}\" never has anyone on duty, so stage \"{stage}\" could never be served"
            ),
        );
    }
    Ok(PoolId(i as u32))
}
