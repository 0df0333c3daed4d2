//! What a trace sees: each counted shipment at the end of its journey, handed to a sink.

use super::mode::{Channel, Mode};
use super::shipment::StageTimes;
use crate::engine::SimTime;

/// One counted shipment, at the end of its journey: what a trace row shows.
#[derive(Debug)]
pub struct ShipmentRecord<'a> {
    /// Replication (0-based).
    pub replication: u32,
    /// The shipment's mode.
    pub mode: &'a Mode,
    /// Its number within the mode in this replication.
    pub index: u64,
    /// Priority class.
    pub priority: bool,
    /// Whether it held a reservation.
    pub reserved: bool,
    /// Its channel.
    pub channel: &'a Channel,
    /// Arrival time.
    pub arrival: SimTime,
    /// Lodgement of the declaration.
    pub lodgement: SimTime,
    /// Release time.
    pub release: SimTime,
    /// Exit time.
    pub exit: SimTime,
    /// Clearance time over the scenario's interval, hours.
    pub clearance_hours: f64,
    /// Stage visits in the order they were entered, with the stage's name.
    pub stages: &'a [(&'a str, StageTimes)],
}

/// Receives every counted shipment at its exit. `Sync` so that a replication holding
/// one can be shared between threads (a stopped one is continued by several).
pub trait TraceSink: Send + Sync {
    /// Called once per counted shipment, in exit order.
    fn shipment_released(&mut self, record: &ShipmentRecord<'_>);
}
