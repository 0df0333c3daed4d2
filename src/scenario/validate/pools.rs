//! Checking staff pools: constant staff or rosters by policy, officers who serve
//! everyone or only priority and reserved shipments, extra hands in peaks.

use std::collections::BTreeSet;

use super::{Context, Result, at, invalid, officers, root, values};
use crate::calendar::{HolidayRule, Roster};
use crate::model::{ExtraStaff, Pool, Staffing};
use crate::scenario::locate::Seg;
use crate::scenario::raw::{RawPool, RawScenario, Serves};

/// The policy in force: the scenario's (or `--policy`), or the only one the rosters name.
pub(super) fn choose_policy(raw: &RawScenario) -> Result<Option<String>> {
    let named: BTreeSet<&str> = raw
        .pools
        .iter()
        .filter_map(|p| p.rosters.as_ref())
        .flat_map(|r| r.keys().map(String::as_str))
        .collect();
    let list = || named.iter().copied().collect::<Vec<_>>().join(", ");
    match (&raw.policy, named.len()) {
        (None, 0) => Ok(None),
        (Some(p), 0) => invalid(
            root("policy"),
            format!(
                "policy \"{p}\" was chosen, but no pool has rosters (every pool has constant `staff`), so a policy would change nothing"
            ),
        ),
        (Some(p), _) if !named.contains(p.as_str()) => invalid(
            root("policy"),
            format!(
                "no pool has a roster for policy \"{p}\" (rosters exist for: {})",
                list()
            ),
        ),
        (Some(p), _) => Ok(Some(p.clone())),
        (None, 1) => Ok(named.first().map(|s| s.to_string())),
        (None, _) => invalid(
            root("policy"),
            format!(
                "pools have rosters for several policies ({}): choose one with `policy = \"...\"` in the file or --policy",
                list()
            ),
        ),
    }
}

/// Every pool, resolved for `policy`.
pub(super) fn pools(
    raw: &RawScenario,
    policy: Option<&str>,
    cx: &Context<'_>,
) -> Result<Vec<Pool>> {
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(raw.pools.len());
    for (i, p) in raw.pools.iter().enumerate() {
        let path = vec![Seg::Key("pools".into()), Seg::Index(i)];
        if p.name.trim().is_empty() {
            return invalid(at(&path, "name"), "expected a non-empty pool name");
        }
        if !names.insert(p.name.as_str()) {
            return invalid(
                at(&path, "name"),
                format!("a pool named \"{}\" is already defined", p.name),
            );
        }
        let (general, restricted) = staffing(p, &path, policy)?;
        let extra = cx
            .peaks
            .iter()
            .filter_map(|k| {
                k.extra_staff.get(&p.name).map(|&staff| ExtraStaff {
                    from: k.from,
                    to: k.to,
                    staff,
                })
            })
            .filter(|e| e.staff > 0)
            .collect();
        out.push(Pool {
            name: p.name.clone(),
            general,
            restricted,
            extra,
        });
    }
    Ok(out)
}

/// (general, restricted) staffing of a pool.
fn staffing(
    p: &RawPool,
    path: &[Seg],
    policy: Option<&str>,
) -> Result<(Staffing, Option<Staffing>)> {
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
        (Some(_), None) if p.roster.is_some() => invalid(
            at(path, "roster"),
            format!(
                "pool \"{}\" has constant `staff`: `roster` names one of its `rosters`",
                p.name
            ),
        ),
        (Some(n), None) => Ok((Staffing::Constant(officers(at(path, "staff"), *n)?), None)),
        (None, Some(rosters)) => {
            let rpath = at(path, "rosters");
            // No policy is chosen only when no pool names one: an empty `rosters` table.
            let Some(policy) = policy.filter(|_| !rosters.is_empty()) else {
                return invalid(
                    rpath,
                    "expected at least one roster, e.g. rosters.7x24 = [{ days = \"Mon-Sun\", start = \"00:00\", end = \"24:00\", staff = 3 }]".to_string(),
                );
            };
            // A pool may work a named roster whatever the policy (a regime switches it).
            let (policy, chosen_by) = match &p.roster {
                Some(name) => (name.as_str(), "`roster`"),
                None => (policy, "policy"),
            };
            let Some(shifts) = rosters.get(policy) else {
                let have: Vec<&str> = rosters.keys().map(String::as_str).collect();
                if p.roster.is_some() {
                    return invalid(
                        at(path, "roster"),
                        format!(
                            "pool \"{}\" has no roster named \"{policy}\" (it has: {})",
                            p.name,
                            have.join(", ")
                        ),
                    );
                }
                return invalid(
                    rpath,
                    format!(
                        "pool \"{}\" has no roster for {chosen_by} \"{policy}\" (it has: {})",
                        p.name,
                        have.join(", ")
                    ),
                );
            };
            let spath = at(&rpath, policy);
            let (mut general, mut restricted) = (Vec::new(), Vec::new());
            for (i, s) in shifts.iter().enumerate() {
                let path = at(&spath, i);
                let staff = officers(at(&path, "staff"), s.staff)?;
                let shift = values::shift(
                    &s.days,
                    &s.start,
                    &s.end,
                    staff,
                    s.holidays.map_or(HolidayRule::Also, HolidayRule::from),
                    &path,
                )?;
                match s.serves.unwrap_or(Serves::All) {
                    Serves::All => general.push(shift),
                    Serves::Reserved => restricted.push(shift),
                }
            }
            let restricted =
                (!restricted.is_empty()).then(|| Staffing::Roster(Roster::new(restricted)));
            Ok((Staffing::Roster(Roster::new(general)), restricted))
        }
    }
}
