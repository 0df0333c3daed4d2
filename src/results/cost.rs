//! Officer-hours by kind — regular (rostered), on-call (restricted) and overtime
//! (finishing the token in hand after a shift) — and what they cost under a scenario's
//! `[cost]` weights.

use serde::{Deserialize, Serialize};

use super::replication::PoolResult;

/// Officer-hours of one or more pools, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OfficerHours {
    /// Rostered (or constant) officer-hours of general officers.
    pub regular: f64,
    /// Rostered on-call officer-hours (officers who take only reserved or fast-track
    /// work).
    pub on_call: f64,
    /// Officer-hours beyond the headcount, finishing work in hand after a shift.
    pub overtime: f64,
    /// The three together.
    pub total: f64,
}

impl OfficerHours {
    /// From the three kinds; the total is their sum.
    pub fn new(regular: f64, on_call: f64, overtime: f64) -> OfficerHours {
        OfficerHours {
            regular,
            on_call,
            overtime,
            total: regular + on_call + overtime,
        }
    }

    /// One replication's pools together.
    pub fn of_pools<'a>(pools: impl IntoIterator<Item = &'a PoolResult>) -> OfficerHours {
        let (mut regular, mut on_call, mut overtime) = (0.0, 0.0, 0.0);
        for p in pools {
            regular += p.staff_hours;
            on_call += p.on_call_hours;
            overtime += p.overtime_hours;
        }
        OfficerHours::new(regular, on_call, overtime)
    }

    /// One pool's.
    pub fn of_pool(p: &PoolResult) -> OfficerHours {
        OfficerHours::of_pools([p])
    }
}

/// What an officer-hour of each kind costs (the scenario's `[cost]` table): any unit
/// the planner chooses — currency, or weights relative to a regular hour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostWeights {
    /// What the figures are in ("CNY", "regular-hour equivalents").
    pub unit: String,
    /// Per regular officer-hour.
    pub regular: f64,
    /// Per on-call officer-hour.
    pub on_call: f64,
    /// Per overtime officer-hour.
    pub overtime: f64,
}

impl CostWeights {
    /// The cost of `hours`, by kind and in total.
    pub fn cost(&self, hours: &OfficerHours) -> OfficerHours {
        OfficerHours::new(
            self.regular * hours.regular,
            self.on_call * hours.on_call,
            self.overtime * hours.overtime,
        )
    }
}

/// What a run's officer-hours cost: the weights, and the cost by kind and in total
/// (means over replications).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// The weights per officer-hour, and their unit.
    pub weights: CostWeights,
    /// The cost of each kind of hour, and the total.
    #[serde(flatten)]
    pub amount: OfficerHours,
}

impl Cost {
    /// The cost of mean `hours` under `weights`.
    pub fn of(weights: &CostWeights, hours: &OfficerHours) -> Cost {
        Cost {
            weights: weights.clone(),
            amount: weights.cost(hours),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(regular: f64, on_call: f64, overtime: f64) -> PoolResult {
        PoolResult {
            staff_hours: regular,
            on_call_hours: on_call,
            overtime_hours: overtime,
            ..PoolResult::default()
        }
    }

    #[test]
    fn hours_add_up_by_kind_and_cost_weighs_each_kind() {
        let h = OfficerHours::of_pools(&[pool(100.0, 20.0, 3.0), pool(50.0, 0.0, 1.0)]);
        assert_eq!(h, OfficerHours::new(150.0, 20.0, 4.0));
        assert_eq!(h.total, 174.0);
        let w = CostWeights {
            unit: "CNY".into(),
            regular: 10.0,
            on_call: 5.0,
            overtime: 15.0,
        };
        let c = w.cost(&h);
        assert_eq!((c.regular, c.on_call, c.overtime), (1500.0, 100.0, 60.0));
        assert_eq!(c.total, 1660.0);
    }
}
