//! Streaming statistics with bounded memory: histograms for quantiles, tallies for
//! means, time integrals for time-averages, and Student-t confidence intervals across
//! replications. Everything here merges, so parallel replications reduce in order.
//! Apart from these, [`mser`] finds where an output series' initial transient ends.

pub mod confidence;
pub mod histogram;
pub mod mser;
pub mod tally;
pub mod time_integral;

pub use confidence::{MeanCi, mean_ci95};
pub use histogram::HoursHistogram;
pub use mser::{MSER5_BATCH, mser_truncation, mser5};
pub use tally::Tally;
pub use time_integral::WindowedIntegral;
