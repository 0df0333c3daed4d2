//! The columns of the CSV files, each described once: its wide name (`mode.<mode>.<name>`,
//! `pool.<pool>.<name>`, an interval's `_low` and `_high`) and its long key (entity kind,
//! entity, figure with its unit, unit) — what
//! [`csv_names`](super::replications_csv::csv_names) and the long files
//! ([`long_csv`](super::long_csv)) are both drawn from.

use crate::results::metrics::{Columns, Kind, Metric, Spec, Unit};

/// What one wide column holds, as the long file names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnKey {
    /// The wide file's column name.
    pub wide: String,
    /// `run`, `overall` (the headline modes together), `mode` or `pool`.
    pub entity_kind: &'static str,
    /// The mode's or pool's name; `all` for the run, `headline` for the overall flow.
    pub entity: String,
    /// The figure, its unit in its name (`clearance_mean_hours`); an interval's ends
    /// are two figures (`clearance_mean_ci_low_hours`, `..._high_hours`).
    pub figure: String,
    /// Its unit, as [`unit_name`] writes it.
    pub unit: &'static str,
}

/// A unit as the long files write it (a word without spaces).
pub fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "count",
        Unit::Hours => "hours",
        Unit::OfficerHours => "officer_hours",
        Unit::Cost => "cost",
        Unit::Shipments => "shipments",
        Unit::Share => "share",
        Unit::Load => "load",
        Unit::Growth => "growth",
        Unit::Verdict => "verdict",
    }
}

/// `name` with its unit appended where the name does not already say it (a count or a
/// verdict says itself): `clearance_mean` → `clearance_mean_hours`, `utilization` →
/// `utilization_share`, `staff_hours` stays.
fn with_unit(name: &str, unit: Unit) -> String {
    let word = match unit {
        Unit::Count | Unit::Verdict => return name.to_string(),
        // Officer-hours already named as hours (staff_hours) are not renamed.
        Unit::OfficerHours if name.ends_with("_hours") => return name.to_string(),
        u => unit_name(u),
    };
    if name.split('_').any(|part| part == word) || name.ends_with(word) {
        name.to_string()
    } else {
        format!("{name}_{word}")
    }
}

/// The keys of `spec`'s wide columns (two for an interval), the wide name after `prefix`.
fn keys_of(
    out: &mut Vec<ColumnKey>,
    prefix: &str,
    entity_kind: &'static str,
    entity: &str,
    spec: Spec,
) {
    let key = |suffix: &str| ColumnKey {
        wide: format!("{prefix}{}{suffix}", spec.name),
        entity_kind,
        entity: entity.to_string(),
        figure: with_unit(&format!("{}{suffix}", spec.name), spec.unit),
        unit: unit_name(spec.unit),
    };
    match spec.kind {
        Kind::Interval => {
            out.push(key("_low"));
            out.push(key("_high"));
        }
        Kind::Value | Kind::Quantile(_) => out.push(key("")),
    }
}

/// Every wide column of `columns` for these modes and pools, in the wide file's order
/// (what [`csv_names`](super::replications_csv::csv_names) lists).
pub fn column_keys(columns: &Columns, modes: &[&str], pools: &[&str]) -> Vec<ColumnKey> {
    let mut out = Vec::new();
    for m in columns.run {
        keys_of(&mut out, "", "run", "all", m.spec());
    }
    for m in columns.overall {
        keys_of(&mut out, "", "overall", "headline", m.spec());
    }
    for m in columns.run_after {
        keys_of(&mut out, "", "run", "all", m.spec());
    }
    for mode in modes {
        for m in columns.mode {
            keys_of(&mut out, &format!("mode.{mode}."), "mode", mode, m.spec());
        }
    }
    for pool in pools {
        for m in columns.pool {
            keys_of(&mut out, &format!("pool.{pool}."), "pool", pool, m.spec());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::metrics::{FlowMetric, PoolMetric, SWEEP_CSV};

    #[test]
    fn units_are_named_once() {
        let name = |m: &dyn Fn() -> Spec| {
            let s = m();
            with_unit(s.name, s.unit)
        };
        assert_eq!(
            name(&|| FlowMetric::ClearanceMean.spec()),
            "clearance_mean_hours"
        );
        assert_eq!(name(&|| FlowMetric::SlaShare.spec()), "sla_share");
        assert_eq!(name(&|| FlowMetric::Arrivals.spec()), "arrivals");
        assert_eq!(
            name(&|| PoolMetric::Utilization.spec()),
            "utilization_share"
        );
        assert_eq!(name(&|| PoolMetric::StaffHours.spec()), "staff_hours");
        assert_eq!(name(&|| PoolMetric::OfferedLoad.spec()), "offered_load");
        assert_eq!(
            name(&|| PoolMetric::MeanQueue.spec()),
            "mean_queue_shipments"
        );
    }

    #[test]
    fn keys_follow_the_wide_header() {
        let keys = column_keys(&SWEEP_CSV, &["air cargo"], &["release"]);
        let wide =
            crate::report::replications_csv::csv_names(&SWEEP_CSV, &["air cargo"], &["release"]);
        assert_eq!(
            keys.iter().map(|k| k.wide.clone()).collect::<Vec<_>>(),
            wide
        );
        let ci = keys
            .iter()
            .find(|k| k.wide == "clearance_mean_ci_low")
            .unwrap();
        assert_eq!(ci.figure, "clearance_mean_ci_low_hours");
        assert_eq!(ci.unit, "hours");
    }
}
