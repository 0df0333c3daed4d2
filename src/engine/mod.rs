//! A small, generic discrete-event engine: simulated time, an event calendar ordered by
//! (time, sequence number), a run loop with a horizon and a drain phase, and named,
//! seeded random streams.
//!
//! Nothing in here knows what is being simulated.

pub mod calendar;
pub mod rng;
pub mod run;
pub mod time;

pub use calendar::EventCalendar;
pub use rng::{StreamFamily, StreamKey, stream_rng};
pub use run::{Process, RunOutcome, advance, run};
pub use time::SimTime;
