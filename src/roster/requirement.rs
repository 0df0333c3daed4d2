//! Officers required per period by the modified-offered-load (MOL) approximation:
//! stationary Erlang C applied at each period's offered load m(t) — the starting point
//! of the iterative staffing algorithm (Feldman, Mandelbaum, Massey & Whitt 2008),
//! whose results it approximates closely when service is not much longer than the
//! periods over which demand changes.

use crate::theory::erlang_c;

/// The fewest officers `s` with Erlang C `C(s, load) ≤ delay_probability`: the
/// probability that an arrival waits, in a stationary M/M/s queue offered `load`
/// (mean number in service with unlimited officers). 0 for no load; `s > load` always,
/// as a queue with fewer officers than its load grows without end.
pub fn erlang_c_staff(load: f64, delay_probability: f64) -> u32 {
    if load <= 0.0 {
        return 0;
    }
    // Erlang C falls as s grows (beyond the load): start at the first stable s.
    let mut s = load.floor() as u32 + 1;
    while erlang_c(s, load).is_none_or(|c| c > delay_probability) {
        s += 1;
    }
    s
}

/// MOL staffing: [`erlang_c_staff`] at each period's offered load.
pub fn mol_staffing(offered_loads: &[f64], delay_probability: f64) -> Vec<u32> {
    offered_loads
        .iter()
        .map(|&m| erlang_c_staff(m, delay_probability))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_staffing_is_the_smallest_stable_count_meeting_the_delay_target() {
        for load in [0.3, 1.0, 4.7, 25.0, 100.0, 400.0] {
            for alpha in [0.05, 0.1, 0.3, 0.5, 0.9] {
                let s = erlang_c_staff(load, alpha);
                assert!(f64::from(s) > load);
                assert!(erlang_c(s, load).unwrap() <= alpha);
                // One fewer either fails the target or is unstable.
                assert!(
                    erlang_c(s - 1, load).is_none_or(|c| c > alpha),
                    "{load} {alpha}"
                );
            }
        }
        assert_eq!(erlang_c_staff(0.0, 0.2), 0);
        // 100 erlangs: C(105, 100) = 0.516 and C(106, 100) = 0.446 (computed
        // independently), so keeping the probability of waiting at most one half takes 106.
        assert_eq!(erlang_c_staff(100.0, 0.5), 106);
        assert_eq!(mol_staffing(&[0.0, 100.0], 0.5), [0, 106]);
    }
}
