//! Streaming statistics with bounded memory: histograms for quantiles, tallies for
//! means, time integrals for time-averages, and Student-t confidence intervals across
//! replications. Everything here merges, so parallel replications reduce in order.
//! Apart from these, [`mser`] finds where an output series' initial transient ends, and
//! [`paired_t`] (replications sharing random numbers) or [`welch`] (independent ones) with
//! [`holm`] tell whether two runs' means differ, many metrics at once, and
//! [`trend`] fits the slope of a short series (a backlog's growth).

pub mod confidence;
pub mod histogram;
pub mod holm;
pub mod mser;
pub mod paired;
pub mod tally;
pub mod time_integral;
pub mod trend;
pub mod welch;

pub use confidence::{MeanCi, mean_ci95};
pub use histogram::HoursHistogram;
pub use holm::{HolmDecision, holm};
pub use mser::{MSER5_BATCH, mser_truncation, mser5};
pub use paired::{PairedTest, paired_t};
pub use tally::Tally;
pub use time_integral::WindowedIntegral;
pub use trend::{Trend, linear_trend};
pub use welch::{Untestable, WelchTest, welch};
