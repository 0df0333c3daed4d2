//! The queue discipline of a staff pool: who waits, and who is served next by whom.
//!
//! Rules:
//! - one officer serves one token; a token waits until an officer who may serve it is
//!   free, and nobody overtakes the queue while others wait;
//! - priority tokens (the fast track) first, then the normal class FIFO by arrival —
//!   whether or not a token holds a reservation;
//! - on-call officers serve only priority and reserved tokens (priority first, then
//!   reserved, FIFO); general officers serve anyone;
//! - the headcount can change at any time: a rise takes waiting tokens at once (the
//!   caller asks [`PoolQueue::start_next`]), a drop is non-preemptive — officers above it
//!   finish the token in hand, and nobody new starts while the busy are at or above it.
//!
//! Only the discipline lives here; the time integrals of busy officers, overtime and the
//! queue are the flow's (`model::flow`).

use std::collections::VecDeque;

use super::ids::TokenId;

/// What a waiting token may be served as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The priority class: served first, by either kind of officer.
    Priority,
    /// Normal class holding a reservation: on-call officers may serve it too.
    Reserved,
    /// Normal class without a reservation: general officers only.
    Plain,
}

impl Claim {
    /// The claim of a shipment of the priority class or not, holding a reservation or not.
    #[inline]
    pub fn of(priority: bool, reserved: bool) -> Claim {
        if priority {
            Claim::Priority
        } else if reserved {
            Claim::Reserved
        } else {
            Claim::Plain
        }
    }
}

/// Which kind of officer serves a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Officer {
    /// Rostered general officer: serves anyone.
    General,
    /// On call: serves priority and reserved tokens only.
    OnCall,
}

/// The waiting tokens and the officers of one pool. `T` is what waits (a token id in
/// a replication); the discipline never looks inside it.
#[derive(Clone, Debug)]
pub struct PoolQueue<T = TokenId> {
    general: u32,
    on_call: u32,
    busy_general: u32,
    busy_on_call: u32,
    /// Waiting tokens by claim. Reserved and plain carry an arrival sequence number so
    /// general officers take the earlier of the two: FIFO within the normal class.
    priority: VecDeque<T>,
    reserved: VecDeque<(u64, T)>,
    plain: VecDeque<(u64, T)>,
    next_seq: u64,
}

impl<T> Default for PoolQueue<T> {
    fn default() -> Self {
        PoolQueue {
            general: 0,
            on_call: 0,
            busy_general: 0,
            busy_on_call: 0,
            priority: VecDeque::new(),
            reserved: VecDeque::new(),
            plain: VecDeque::new(),
            next_seq: 0,
        }
    }
}

impl<T: Copy> PoolQueue<T> {
    /// Tokens waiting.
    #[inline]
    pub fn len(&self) -> usize {
        self.priority.len() + self.reserved.len() + self.plain.len()
    }

    /// Whether nobody waits.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Officers on duty: (general, on call).
    #[inline]
    pub fn headcount(&self) -> (u32, u32) {
        (self.general, self.on_call)
    }

    /// Officers serving: (general, on call).
    #[inline]
    pub fn busy(&self) -> (u32, u32) {
        (self.busy_general, self.busy_on_call)
    }

    /// Officers serving beyond the headcount of their kind (after a drop): overtime.
    #[inline]
    pub fn over(&self) -> u32 {
        self.busy_general.saturating_sub(self.general)
            + self.busy_on_call.saturating_sub(self.on_call)
    }

    /// Whether an officer of either kind is free (the waiting tokens may still all be
    /// ones they may not serve).
    #[inline]
    pub fn any_free(&self) -> bool {
        self.busy_general < self.general || self.busy_on_call < self.on_call
    }

    /// Sets the officers on duty; nobody is interrupted. Call [`PoolQueue::start_next`] after a
    /// rise.
    pub fn set_headcount(&mut self, general: u32, on_call: u32) {
        self.general = general;
        self.on_call = on_call;
    }

    /// A token arrives with its claim. When nobody waits and an officer who may serve it
    /// is free — an on-call officer first, for a claim they may serve, so general officers
    /// stay free for plain work — it starts at once: that officer is now busy and is
    /// returned. Otherwise it joins the queue (`None`); the caller then asks
    /// [`PoolQueue::start_next`] if anyone is free.
    #[inline]
    pub fn arrive(&mut self, token: T, claim: Claim) -> Option<Officer> {
        if self.is_empty() {
            if claim != Claim::Plain && self.busy_on_call < self.on_call {
                self.busy_on_call += 1;
                return Some(Officer::OnCall);
            }
            if self.busy_general < self.general {
                self.busy_general += 1;
                return Some(Officer::General);
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        match claim {
            Claim::Priority => self.priority.push_back(token),
            Claim::Reserved => self.reserved.push_back((seq, token)),
            Claim::Plain => self.plain.push_back((seq, token)),
        }
        None
    }

    /// The next waiting token to start and the officer (now busy) who serves it, while
    /// one may: a free on-call officer takes the first priority token, else the first
    /// reserved one; else a free general officer takes the first priority token, else
    /// the earlier of the first reserved and first plain.
    #[inline]
    pub fn start_next(&mut self) -> Option<(T, Officer)> {
        if self.busy_on_call < self.on_call
            && let Some(t) = self
                .priority
                .pop_front()
                .or_else(|| self.reserved.pop_front().map(|x| x.1))
        {
            self.busy_on_call += 1;
            return Some((t, Officer::OnCall));
        }
        if self.busy_general < self.general {
            let t = self.priority.pop_front().or_else(|| {
                let take_reserved = match (self.reserved.front(), self.plain.front()) {
                    (Some(r), Some(q)) => r.0 < q.0,
                    (r, _) => r.is_some(),
                };
                if take_reserved {
                    self.reserved.pop_front()
                } else {
                    self.plain.pop_front()
                }
                .map(|x| x.1)
            })?;
            self.busy_general += 1;
            return Some((t, Officer::General));
        }
        None
    }

    /// An officer of kind `by` finishes a token.
    #[inline]
    pub fn finish(&mut self, by: Officer) {
        match by {
            Officer::General => self.busy_general -= 1,
            Officer::OnCall => self.busy_on_call -= 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token `next` starts now, in order.
    fn drain(q: &mut PoolQueue<u32>) -> Vec<(u32, Officer)> {
        std::iter::from_fn(|| q.start_next()).collect()
    }

    #[test]
    fn priority_before_the_normal_class_whatever_the_order_of_arrival() {
        let mut q = PoolQueue::<u32>::default();
        // Nobody on duty: everyone waits.
        assert_eq!(q.arrive(1, Claim::Plain), None);
        assert_eq!(q.arrive(2, Claim::Reserved), None);
        assert_eq!(q.arrive(3, Claim::Priority), None);
        assert_eq!(q.arrive(4, Claim::Priority), None);
        q.set_headcount(4, 0);
        let order: Vec<u32> = drain(&mut q).iter().map(|x| x.0).collect();
        assert_eq!(order, [3, 4, 1, 2]);
        assert_eq!(q.busy(), (4, 0));
        assert!(q.is_empty());
    }

    #[test]
    fn reserved_and_plain_are_served_fifo_by_arrival_by_general_officers() {
        let mut q = PoolQueue::<u32>::default();
        for (t, c) in [
            (1, Claim::Reserved),
            (2, Claim::Plain),
            (3, Claim::Plain),
            (4, Claim::Reserved),
            (5, Claim::Plain),
        ] {
            assert_eq!(q.arrive(t, c), None);
        }
        q.set_headcount(1, 0);
        let mut order = Vec::new();
        while let Some((t, by)) = q.start_next() {
            assert_eq!(by, Officer::General);
            order.push(t);
            q.finish(by);
        }
        assert_eq!(order, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn on_call_officers_refuse_plain_work_and_take_the_fast_track_and_reservations() {
        let mut q = PoolQueue::<u32>::default();
        q.set_headcount(0, 2);
        // A plain token waits although an on-call officer is free.
        assert_eq!(q.arrive(1, Claim::Plain), None);
        assert!(q.any_free());
        assert_eq!(q.start_next(), None);
        // Reserved and priority ones behind it are served: the plain one cannot be.
        assert_eq!(q.arrive(2, Claim::Reserved), None);
        assert_eq!(q.arrive(3, Claim::Priority), None);
        assert_eq!(drain(&mut q), [(3, Officer::OnCall), (2, Officer::OnCall)]);
        assert_eq!(q.len(), 1);
        // With nobody waiting, a reserved arrival starts at once with an on-call
        // officer, who is preferred so general officers stay free for plain work.
        q.finish(Officer::OnCall);
        q.finish(Officer::OnCall);
        q.set_headcount(1, 1);
        assert_eq!(q.start_next(), Some((1, Officer::General)));
        assert_eq!(q.arrive(4, Claim::Reserved), Some(Officer::OnCall));
        assert_eq!(q.busy(), (1, 1));
        // The on-call shift ends while its officer still serves: overtime, not preempted.
        q.set_headcount(1, 0);
        assert_eq!(q.over(), 1, "one on-call officer above the new headcount");
    }

    #[test]
    fn a_drop_in_headcount_mid_queue_is_non_preemptive() {
        let mut q = PoolQueue::<u32>::default();
        q.set_headcount(3, 0);
        for t in 1..=3 {
            assert_eq!(q.arrive(t, Claim::Plain), Some(Officer::General));
        }
        for t in 4..=6 {
            assert_eq!(q.arrive(t, Claim::Plain), None);
        }
        // The shift ends for two of them: all three finish what they hold.
        q.set_headcount(1, 0);
        assert_eq!(q.busy(), (3, 0));
        assert_eq!(q.over(), 2);
        assert_eq!(
            q.start_next(),
            None,
            "busy at or above the headcount: nobody new starts"
        );
        q.finish(Officer::General);
        assert_eq!(q.start_next(), None);
        q.finish(Officer::General);
        assert_eq!((q.start_next(), q.over()), (None, 0));
        q.finish(Officer::General);
        assert_eq!(q.start_next(), Some((4, Officer::General)));
        assert_eq!(q.start_next(), None);
        // A rise takes waiting tokens at once, in order.
        q.set_headcount(3, 0);
        assert_eq!(
            drain(&mut q),
            [(5, Officer::General), (6, Officer::General)]
        );
    }

    #[test]
    fn nobody_overtakes_a_waiting_queue() {
        let mut q = PoolQueue::<u32>::default();
        q.set_headcount(1, 0);
        assert_eq!(q.arrive(1, Claim::Plain), Some(Officer::General));
        assert_eq!(q.arrive(2, Claim::Plain), None);
        q.finish(Officer::General);
        // An officer is free but token 2 waits: a new arrival queues behind it.
        assert_eq!(q.arrive(3, Claim::Priority), None);
        // ... and the priority one is still served first.
        assert_eq!(q.start_next(), Some((3, Officer::General)));
    }
}
