//! The event calendar: pending events ordered by (time, sequence number).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::time::SimTime;

/// One pending event. Ordered so that the earliest time leaves first and, at equal
/// times, the one scheduled first leaves first (FIFO) — never by floating-point accident.
///
/// The time is kept as its IEEE-754 bit pattern: for times ≥ 0 the bits order like the
/// value, so (time bits, sequence) compare as two integers — cheaper than a float
/// comparison with a tie-break.
#[derive(Clone)]
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

/// How far the near heap first reaches, hours (a quarter hour and three hours were
/// measured no better on the flagship scenario).
pub const NEAR_HOURS: f64 = 1.0;

/// A follow-up is held (see [`EventCalendar`]) only while the near heap holds more
/// entries than this.
const HOLD_ABOVE: usize = 64;

/// The near heap's reach is reviewed after this many events scheduled.
const REVIEW_AFTER: u64 = 4096;

/// The near heap reaches at most a week.
const MAX_NEAR_HOURS: f64 = 168.0;

/// The near heap is split when it holds more events than this (below, one heap is
/// cheaper than moving events between two).
pub const SPLIT_ABOVE: usize = 256;

/// When the near heap runs empty and fewer events than this wait in the later heap,
/// they all move over and the calendar is one heap again.
pub const MERGE_BELOW: usize = 64;

/// Pending events of type `E` and the simulation clock.
///
/// The clock is the time of the event most recently taken out; events cannot be
/// scheduled in the past.
///
/// Taking an event out leaves its entry on top of the heap, marked stale: most handlers
/// schedule a follow-up at once, and the first one then *replaces* the stale top (one
/// sift down) instead of a pop followed by a push (two sifts). In a large heap the first
/// follow-up is held back until the handler schedules a second (or the next event is
/// taken out): the earlier of the two replaces the top and the later is pushed, so that
/// neither crosses the whole heap (a next arrival due in seconds and a stage due in
/// minutes, say). A stale top is removed properly before anything else looks at the
/// heap.
///
/// Two heaps once many events are pending: the near one holds the events due before a
/// boundary, the later one the rest. When most events are due soon after they are
/// scheduled while many wait long, the many are sifted through a small heap. When the
/// near heap holds more than [`SPLIT_ABOVE`] events, it is split at its reach (first
/// [`NEAR_HOURS`]) from now; when it runs empty, the boundary moves to the reach past
/// the earliest later event and the events before it move over — or all of them, when fewer than [`MERGE_BELOW`]
/// remain, and the calendar is one heap again. Every near event is due before every
/// later one, so the order is unchanged.
///
/// Events due at the current instant while nothing else pending is due then (a zero
/// delay) skip both heaps: they wait in a first-in, first-out line that is emptied
/// before the heaps are looked at again. The order is the same as through the heap:
/// such an event would have the largest sequence number of the events due now, and
/// every event in the line is due before anything in the heaps.
///
/// A clone is the same calendar: its events leave in the same order, with the same
/// sequence numbers for what is scheduled next (a stopped run can be continued twice).
#[derive(Clone)]
pub struct EventCalendar<E> {
    /// Events due before `boundary` (hours).
    heap: BinaryHeap<Entry<E>>,
    stale_top: bool,
    /// A follow-up scheduled while the top is stale, not yet in the heap (only then).
    held: Option<Entry<E>>,
    /// Events due at or after `boundary`.
    later: BinaryHeap<Entry<E>>,
    boundary: f64,
    /// How far the near heap reaches, hours: from [`NEAR_HOURS`], doubled while more
    /// than an eighth of the events scheduled go to the later heap.
    near_hours: f64,
    /// Events scheduled into the heaps while there are two, and of them into the later
    /// heap, since the reach was last reviewed.
    sent: u64,
    sent_later: u64,
    /// Events due now, in the order scheduled; while it holds any, nothing in the heaps
    /// is due now.
    due_now: VecDeque<E>,
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
            held: None,
            later: BinaryHeap::with_capacity(1024),
            boundary: f64::INFINITY,
            near_hours: NEAR_HOURS,
            sent: 0,
            sent_later: 0,
            due_now: VecDeque::with_capacity(64),
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
        if at == self.now && (!self.due_now.is_empty() || !self.heap_has_due_now()) {
            self.due_now.push_back(event);
            return;
        }
        // `+ 0.0` turns −0.0 into +0.0, whose bits sort correctly; times are never
        // negative because the clock starts at zero and never goes back.
        let entry = Entry {
            time_bits: (at.hours() + 0.0).to_bits(),
            seq,
            event,
        };
        // With one heap (the boundary at +∞) there is no reach to review: nothing counted.
        if self.boundary != f64::INFINITY {
            self.sent += 1;
            if at.hours() >= self.boundary {
                self.sent_later += 1;
                self.later.push(entry);
                return;
            }
        }
        if !self.stale_top {
            self.heap.push(entry);
            return;
        }
        // The first follow-up waits for a second one: the earlier of the two replaces
        // the stale top (a short sift down: it is due soon) and the later one is pushed
        // (a short sift up: it belongs low in the heap). The order of events is the
        // keys', whichever way they go in.
        let Some(held) = self.held.take() else {
            if self.heap.len() > HOLD_ABOVE {
                self.held = Some(entry);
            } else {
                // A small heap is crossed quickly: holding would cost more.
                self.stale_top = false;
                *self.heap.peek_mut().expect("a stale top is an entry") = entry;
            }
            return;
        };
        let (earlier, later) = if entry.key() < held.key() {
            (entry, held)
        } else {
            (held, entry)
        };
        self.stale_top = false;
        // Dropping the PeekMut sifts the new entry down to its place.
        *self.heap.peek_mut().expect("a stale top is an entry") = earlier;
        self.heap.push(later);
    }

    /// Schedules `event` `delay` hours from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Whether an event pending in the near heap is due now (none in the later heap
    /// is: the boundary is after now). The stale top (already taken out) does not
    /// count: the earliest pending entry is then one of its two children.
    #[inline]
    fn heap_has_due_now(&self) -> bool {
        let entries = self.heap.as_slice();
        let pending = if self.stale_top {
            entries.get(1..3.min(entries.len())).unwrap_or_default()
        } else {
            entries.get(..1.min(entries.len())).unwrap_or_default()
        };
        pending.iter().any(|e| e.time() == self.now)
            || self.held.as_ref().is_some_and(|e| e.time() == self.now)
    }

    #[inline]
    fn settle(&mut self) {
        if self.stale_top {
            self.stale_top = false;
            match self.held.take() {
                Some(entry) => *self.heap.peek_mut().expect("a stale top is an entry") = entry,
                None => {
                    self.heap.pop();
                }
            }
        }
        if self.heap.is_empty() {
            self.refill();
        }
    }

    /// The near heap is empty: the boundary moves to the reach past the earliest later
    /// event, and the events before it move into the near heap (all of them if
    /// few).
    #[cold]
    #[inline(never)]
    fn refill(&mut self) {
        self.review_reach();
        let Some(first) = self.later.peek() else {
            return;
        };
        self.boundary = if self.later.len() < MERGE_BELOW {
            f64::INFINITY
        } else {
            first.time().hours() + self.near_hours
        };
        while let Some(entry) = self.later.peek_mut() {
            if entry.time().hours() >= self.boundary {
                break;
            }
            self.heap
                .push(std::collections::binary_heap::PeekMut::pop(entry));
        }
    }

    /// The near heap has grown past [`SPLIT_ABOVE`] events and all events are in it (no
    /// stale top): those due the reach or more from now move to the later heap.
    #[cold]
    #[inline(never)]
    fn split(&mut self) {
        self.review_reach();
        self.boundary = self.now.hours() + self.near_hours;
        let boundary = self.boundary;
        let (near, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.heap)
            .into_vec()
            .into_iter()
            .partition(|e| e.time().hours() < boundary);
        self.heap = BinaryHeap::from(near);
        self.later.extend(later);
        if self.heap.is_empty() {
            self.refill();
        }
    }

    /// Doubles the near heap's reach if more than an eighth of the events scheduled
    /// since the last review went to the later heap (each of them is moved again):
    /// delays mostly longer than the reach gain nothing from two heaps.
    fn review_reach(&mut self) {
        if self.sent >= REVIEW_AFTER {
            if self.sent_later * 8 > self.sent {
                self.near_hours = (self.near_hours * 2.0).min(MAX_NEAR_HOURS);
            }
            self.sent = 0;
            self.sent_later = 0;
        }
    }

    /// The time of the next pending event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if !self.due_now.is_empty() {
            return Some(self.now);
        }
        self.settle();
        self.heap.peek().map(Entry::time)
    }

    /// Takes out the next event, advancing the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.take(None)
    }

    /// Takes out the next event if it is due before `limit` (else leaves it pending):
    /// [`peek_time`](Self::peek_time) and [`pop`](Self::pop) in one step, for a run
    /// loop that stops at a horizon.
    #[inline]
    pub fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        self.take(Some(limit))
    }

    #[inline(always)]
    fn take(&mut self, limit: Option<SimTime>) -> Option<(SimTime, E)> {
        let due = |t: SimTime| limit.is_none_or(|l| t < l);
        // A stale top may stay while the line is emptied: a follow-up scheduled by one
        // of its events still replaces it.
        if !self.due_now.is_empty() {
            if !due(self.now) {
                return None;
            }
            let event = self.due_now.pop_front().expect("not empty");
            self.processed += 1;
            return Some((self.now, event));
        }
        self.settle();
        if self.heap.len() > SPLIT_ABOVE && self.boundary == f64::INFINITY {
            self.split();
        }
        let top = self.heap.peek()?;
        let time = top.time();
        if !due(time) {
            return None;
        }
        let event = top.event.clone();
        self.stale_top = true;
        self.now = time;
        self.processed += 1;
        Some((time, event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.stale_top)
            + usize::from(self.held.is_some())
            + self.later.len()
            + self.due_now.len()
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
    fn pop_before_takes_only_what_is_due_before_the_limit_and_keeps_the_rest() {
        let h = SimTime::from_hours;
        let mut cal = EventCalendar::new();
        for t in [3.0, 1.0, 2.0] {
            cal.schedule(h(t), t);
        }
        assert_eq!(cal.pop_before(h(2.0)), Some((h(1.0), 1.0)));
        // Due now (a zero delay: the line), then at the limit exactly: neither is before
        // a limit at now, both stay pending and the clock stays.
        cal.schedule(h(1.0), 1.5);
        assert_eq!(cal.pop_before(h(1.0)), None);
        assert_eq!((cal.len(), cal.now()), (3, h(1.0)));
        assert_eq!(cal.pop_before(h(2.0)), Some((h(1.0), 1.5)));
        assert_eq!(cal.pop_before(h(2.0)), None);
        assert_eq!(cal.len(), 2);
        assert_eq!(cal.processed(), 2);
        let rest: Vec<f64> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(rest, [2.0, 3.0]);
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

    #[test]
    fn events_leave_by_time_then_scheduling_through_line_and_heaps() {
        // A reference: every pending (time, sequence) in an ordered set. Times from a
        // small grid, and many follow-ups due at once, so ties are common and events due
        // now meet both an empty heap and one holding others due now; the number pending
        // grows past the split and falls back below the merge, twice.
        use std::collections::BTreeSet;
        let mut cal = EventCalendar::new();
        let mut reference: BTreeSet<(u64, u64)> = BTreeSet::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut draw = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut seq = 0;
        let mut schedule = |cal: &mut EventCalendar<u64>, reference: &mut BTreeSet<_>, at: f64| {
            cal.schedule(SimTime::from_hours(at), seq);
            reference.insert((at.to_bits(), seq));
            seq += 1;
        };
        for _ in 0..20 {
            let at = draw(4) as f64;
            schedule(&mut cal, &mut reference, at);
        }
        let (mut split, mut merged) = (0, 0);
        for round in 0..40_000 {
            let Some((t, e)) = cal.pop() else { break };
            let want = reference.pop_first().unwrap();
            assert_eq!((t.hours().to_bits(), e), want, "round {round}");
            // Growing: up to three follow-ups; shrinking: at most one. Each is due now,
            // within the near heap's reach or beyond it.
            let growing = (round / 10_000) % 2 == 0;
            for _ in 0..draw(if growing { 4 } else { 2 }) {
                let at = t.hours() + [0.0, 0.0, 0.5, 1.0, 2.0, 7.5][draw(6) as usize];
                schedule(&mut cal, &mut reference, at);
            }
            assert_eq!(cal.len(), reference.len());
            split += usize::from(cal.boundary.is_finite() && !cal.later.is_empty());
            merged += usize::from(reference.len() > 10 && cal.boundary.is_infinite());
            if reference.is_empty() {
                schedule(&mut cal, &mut reference, t.hours() + 1.0);
            }
        }
        assert_eq!(cal.processed(), 40_000);
        assert!(split > 1000 && merged > 1000, "{split} {merged}");
    }
}
