//! Streaming statistics with bounded memory: histograms for quantiles, tallies for
//! means, time integrals for time-averages, and Student-t confidence intervals across
//! replications. Everything here merges, so parallel replications reduce in order.

pub mod confidence;
pub mod histogram;
pub mod tally;
pub mod time_integral;

pub use confidence::{MeanCi, mean_ci95};
pub use histogram::HoursHistogram;
pub use tally::Tally;
pub use time_integral::WindowedIntegral;
