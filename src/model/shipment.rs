//! A shipment in flight.

use super::ids::{ModeId, ShipmentId, TokenId};
use crate::engine::SimTime;
use crate::engine::rng::StreamRng;

/// When a shipment entered a stage, started being served, and left it (hours).
/// For a delay stage, `started` equals `entered`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StageTimes {
    /// Entered the stage (joined the queue).
    pub entered: f64,
    /// An officer started the service (or the delay began).
    pub started: f64,
    /// Left the stage.
    pub ended: f64,
}

/// Where a shipment is in its journey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Arrived; the declaration is not lodged yet.
    Lodging,
    /// In its channel's stages.
    InProcess,
    /// Released; leaving the port.
    Exiting,
}

/// One shipment's state while it is in the system.
#[derive(Clone, Debug)]
pub struct Shipment {
    /// Its own random stream: class, channel, reservation, then each stage's time, in
    /// order.
    pub rng: StreamRng,
    /// Arrival time.
    pub arrival: SimTime,
    /// Lodgement of the declaration.
    pub lodgement: SimTime,
    /// Release.
    pub release: SimTime,
    /// Total time spent waiting for officers so far, hours.
    pub wait_hours: f64,
    /// Number within its mode in this replication (0-based).
    pub index: u64,
    /// Its mode.
    pub mode: ModeId,
    /// The variant of the model its regimes make (0: no regime in force at arrival).
    pub variant: u16,
    /// Channel index within the mode.
    pub channel: u32,
    /// Branches of the current parallel stage still running.
    pub open_branches: u32,
    /// The token walking the channel's stages.
    pub main_token: TokenId,
    /// Where it is.
    pub phase: Phase,
    /// Priority class (the fast track, when its mode gives it one).
    pub priority: bool,
    /// Whether it takes the fast track: served first at every pool, by on-call officers
    /// too (the priority class of a mode with `fast_track`).
    pub fast_track: bool,
    /// Whether it holds a reservation for service outside office hours.
    pub reserved: bool,
    /// Whether branches of its channel's first stage started on arrival, before
    /// lodgement (so that stage starts only the others).
    pub early_branches: bool,
    /// Whether it arrived in the counting window.
    pub counted: bool,
    /// Bin of the daily series it arrived in (a day of the counting window, or a period
    /// of days in a long one), if counted.
    pub period: u32,
}

/// Storage for shipments in the system: slots are reused, so memory follows the number
/// in the system, not the number that ever arrived.
#[derive(Clone, Debug, Default)]
pub struct ShipmentSlab {
    slots: Vec<Shipment>,
    free: Vec<ShipmentId>,
}

impl ShipmentSlab {
    /// Stores a shipment, returning its slot.
    #[inline]
    pub fn insert(&mut self, shipment: Shipment) -> ShipmentId {
        match self.free.pop() {
            Some(id) => {
                self.slots[id.index()] = shipment;
                id
            }
            None => {
                self.slots.push(shipment);
                ShipmentId((self.slots.len() - 1) as u32)
            }
        }
    }

    /// Frees a slot for reuse.
    #[inline]
    pub fn remove(&mut self, id: ShipmentId) {
        self.free.push(id);
    }

    /// The shipment in slot `id`.
    #[inline]
    pub fn get(&self, id: ShipmentId) -> &Shipment {
        &self.slots[id.index()]
    }

    /// The shipment in slot `id`, mutably.
    #[inline]
    pub fn get_mut(&mut self, id: ShipmentId) -> &mut Shipment {
        &mut self.slots[id.index()]
    }

    /// Shipments in the system.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Whether no shipment is in the system.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
