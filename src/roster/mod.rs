//! Designing a roster: from demand to the officers each hour needs, and from that
//! requirement to shifts people can work.
//!
//! The method follows Feldman, Mandelbaum, Massey & Whitt, "Staffing of Time-Varying
//! Queues to Achieve Time-Stable Performance", *Management Science* 54(2), 2008:
//!
//! 1. [`offered_load`]: the offered load m(t) of a pool — the mean number of busy
//!    officers if there were always enough of them (the infinite-server model) — for
//!    hourly step profiles of demand and any service-time distribution.
//! 2. [`requirement`]: the modified-offered-load (MOL) staffing s(t), stationary
//!    Erlang C applied at m(t), the starting point of the iterative staffing algorithm.
//! 3. [`shift_cover`]: shift scheduling as a set cover — the cheapest headcount per
//!    candidate shift such that the officers on duty cover s(t) in every period — an
//!    integer program solved by a pure-Rust solver.
//!
//! [`day_types`] sorts the days of a window into kinds (peak period, working or rest
//! day) whose hours share one requirement and one set of shifts.

pub mod day_types;
pub mod offered_load;
pub mod requirement;
pub mod shift_cover;
