//! The event calendar: pending events ordered by (time, sequence number).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

/// One pending event. Ordered so that the earliest time leaves first and, at equal
/// times, the one scheduled first leaves first (FIFO) — never by floating-point accident.
///
/// The time is kept as its IEEE-754 bit pattern: for times ≥ 0 the bits order like the
/// value, so (time bits, sequence) compare as two integers — cheaper than a float
/// comparison with a tie-break.
struct Entry<E> {
    time_bits: u64,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> SimTime {
        SimTime::from_hours(f64::from_bits(self.time_bits))
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time_bits == other.time_bits && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> Entry<E> {
    /// (time, sequence) as one integer: a single branch-free comparison.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time_bits) << 64) | u128::from(self.seq)
    }
}

// BinaryHeap is a max-heap: the order is reversed so that the smallest (time, seq) is on
// top. The comparison operators are spelled out so each is one integer comparison.
impl<E> PartialOrd for Entry<E> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
    #[inline]
    fn lt(&self, other: &Self) -> bool {
        self.key() > other.key()
    }
    #[inline]
    fn le(&self, other: &Self) -> bool {
        self.key() >= other.key()
    }
    #[inline]
    fn gt(&self, other: &Self) -> bool {
        self.key() < other.key()
    }
    #[inline]
    fn ge(&self, other: &Self) -> bool {
        self.key() <= other.key()
    }
}

impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Pending events of type `E` and the simulation clock.
///
/// The clock is the time of the event most recently taken out; events cannot be
/// scheduled in the past.
///
/// Taking an event out leaves its entry on top of the heap, marked stale: most handlers
/// schedule a follow-up at once, and the first one then *replaces* the stale top (one
/// sift down) instead of a pop followed by a push (two sifts). A stale top is removed
/// properly before anything else looks at the heap.
pub struct EventCalendar<E> {
    heap: BinaryHeap<Entry<E>>,
    stale_top: bool,
    next_seq: u64,
    now: SimTime,
    processed: u64,
}

impl<E: Clone> Default for EventCalendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Clone> EventCalendar<E> {
    /// An empty calendar with the clock at zero.
    pub fn new() -> Self {
        EventCalendar {
            heap: BinaryHeap::with_capacity(1024),
            stale_top: false,
            next_seq: 0,
            now: SimTime::ZERO,
            processed: 0,
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at time `at` (not earlier than now).
    #[inline]
    pub fn schedule(&mut self, at: SimTime, event: E) {
        assert!(
            at >= self.now,
            "event scheduled in the past: {at} < {}",
            self.now
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        // `+ 0.0` turns −0.0 into +0.0, whose bits sort correctly; times are never
        // negative because the clock starts at zero and never goes back.
        let entry = Entry {
            time_bits: (at.hours() + 0.0).to_bits(),
            seq,
            event,
        };
        if self.stale_top {
            self.stale_top = false;
            // Dropping the PeekMut sifts the new entry down to its place.
            *self.heap.peek_mut().expect("a stale top is an entry") = entry;
        } else {
            self.heap.push(entry);
        }
    }

    /// Schedules `event` `delay` hours from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(self.now + delay, event);
    }

    #[inline]
    fn settle(&mut self) {
        if self.stale_top {
            self.stale_top = false;
            self.heap.pop();
        }
    }

    /// The time of the next pending event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.settle();
        self.heap.peek().map(Entry::time)
    }

    /// Takes out the next event, advancing the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.settle();
        let top = self.heap.peek()?;
        let (time, event) = (top.time(), top.event.clone());
        self.stale_top = true;
        self.now = time;
        self.processed += 1;
        Some((time, event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.stale_top)
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of events taken out so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_events_leave_first_in_first_out() {
        let mut cal = EventCalendar::new();
        cal.schedule(SimTime::from_hours(2.0), "late");
        for name in ["a", "b", "c"] {
            cal.schedule(SimTime::from_hours(1.0), name);
        }
        cal.schedule(SimTime::from_hours(0.5), "early");
        let order: Vec<_> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["early", "a", "b", "c", "late"]);
        assert!(cal.is_empty());
        assert_eq!(cal.now().hours(), 2.0);
        assert_eq!(cal.processed(), 5);
    }

    #[test]
    fn scheduling_after_a_pop_keeps_the_order() {
        // A follow-up scheduled right after a pop replaces the taken entry in place.
        let mut cal = EventCalendar::new();
        for (t, e) in [(1.0, 1), (5.0, 5), (3.0, 3)] {
            cal.schedule(SimTime::from_hours(t), e);
        }
        assert_eq!(cal.pop(), Some((SimTime::from_hours(1.0), 1)));
        assert_eq!(cal.len(), 2);
        cal.schedule(SimTime::from_hours(4.0), 4);
        cal.schedule(SimTime::from_hours(2.0), 2);
        let order: Vec<i32> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, [2, 3, 4, 5]);
        assert_eq!(cal.peek_time(), None);
    }

    #[test]
    fn clock_follows_events() {
        let mut cal = EventCalendar::new();
        cal.schedule_in(3.0, 1u8);
        assert_eq!(cal.peek_time(), Some(SimTime::from_hours(3.0)));
        cal.pop();
        cal.schedule_in(1.5, 2u8);
        assert_eq!(cal.pop(), Some((SimTime::from_hours(4.5), 2u8)));
        assert!(cal.is_empty());
    }
}
