//! Dated regimes: periods during which some values of a scenario differ.
//!
//! The loader compiles the scenario once for every combination of regimes in force at
//! some time (a [`Variant`]); a shipment takes the variant in force when it arrives — its
//! class and channel mix, every stage's distribution and the calendars its delays count
//! in. What is not a shipment's (arrival rates, who is on duty) is folded into the base
//! model: rates as arrival factors of the periods, rosters as dated staffing
//! ([`Staffing::Dated`](super::Staffing::Dated)).

use super::Reservations;
use super::mode::Mode;
use crate::engine::SimTime;

/// A named regime, as reports show it.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimePeriod {
    /// Name ("national clearance integration").
    pub name: String,
    /// Start: 00:00 of its first date.
    pub from: SimTime,
    /// End, exclusive: 00:00 of the day after its last date; `None`: never ends.
    pub to: Option<SimTime>,
    /// The paths it sets, as written.
    pub sets: Vec<String>,
    /// Whether it applies (`enabled = false`: listed, but never in force).
    pub enabled: bool,
}

/// What a shipment takes from the regimes in force when it arrives.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Which regimes are in force (indices into [`Regimes::periods`]), for messages.
    pub regimes: Vec<usize>,
    /// The modes under these regimes, indexed like the model's. Their stages' calendar
    /// ids refer to the model's calendars (the loader adds any calendar a regime changes).
    pub modes: Vec<Mode>,
    /// Reservation rules under these regimes.
    pub reservations: Option<Reservations>,
}

/// The regimes of a model and which variant is in force when.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regimes {
    /// Every regime, in file order.
    pub periods: Vec<RegimePeriod>,
    /// Variants other than the base (variant 0 is the model itself); variant `v` is
    /// `variants[v - 1]`.
    pub variants: Vec<Variant>,
    /// From which instant which variant is in force, sorted by time; before the first
    /// entry, the base.
    pub segments: Vec<(SimTime, u16)>,
}

impl Regimes {
    /// Whether no regime ever changes anything.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The variant in force at `t` (0: the base).
    #[inline]
    pub fn variant_at(&self, t: SimTime) -> u16 {
        self.variant_span_at(t).variant
    }

    /// The variant in force at `t` and the span over which it stays in force: from the
    /// start of its segment (−∞ before the first) to the start of the next (+∞ after
    /// the last). A caller whose clock only moves forward keeps the span and asks again
    /// only when the clock leaves it (see [`VariantSpan`]).
    pub fn variant_span_at(&self, t: SimTime) -> VariantSpan {
        // The last segment starting at or before `t`: a regime starting at 00:00 covers
        // a shipment arriving at 00:00 exactly.
        let i = self.segments.partition_point(|&(from, _)| from <= t);
        let from = match i {
            0 => SimTime::from_hours(f64::NEG_INFINITY),
            i => self.segments[i - 1].0,
        };
        let until = self.segments.get(i).map_or(SimTime::INFINITY, |s| s.0);
        let variant = if i == 0 { 0 } else { self.segments[i - 1].1 };
        VariantSpan {
            from,
            until,
            variant,
        }
    }

    /// The modes of variant `v`, `base` for variant 0.
    #[inline]
    pub fn modes<'a>(&'a self, v: u16, base: &'a [Mode]) -> &'a [Mode] {
        match v {
            0 => base,
            v => &self.variants[usize::from(v) - 1].modes,
        }
    }

    /// The reservation rules of variant `v`, `base` for variant 0.
    pub fn reservations(&self, v: u16, base: Option<Reservations>) -> Option<Reservations> {
        match v {
            0 => base,
            v => self.variants[usize::from(v) - 1].reservations,
        }
    }
}

/// The variant in force over `[from, until)`: the answer of
/// [`Regimes::variant_at`] for every instant of the span, kept so that a run asks the
/// segments (a binary search) once per change of regime instead of once per arrival.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VariantSpan {
    /// Start of the span (inclusive).
    pub from: SimTime,
    /// End of the span (exclusive).
    pub until: SimTime,
    /// The variant in force throughout.
    pub variant: u16,
}

impl VariantSpan {
    /// A span covering no instant: the first question fills it.
    pub const EMPTY: VariantSpan = VariantSpan {
        from: SimTime::INFINITY,
        until: SimTime::ZERO,
        variant: 0,
    };

    /// The variant in force at `t`, from the span when `t` is in it, else from
    /// `regimes` (and the span moves to the one holding `t`).
    #[inline]
    pub fn variant_at(&mut self, regimes: &Regimes, t: SimTime) -> u16 {
        if !(self.from <= t && t < self.until) {
            *self = regimes.variant_span_at(t);
        }
        self.variant
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variant_in_force_changes_at_the_segment_start_exactly() {
        let h = SimTime::from_hours;
        let r = Regimes {
            periods: Vec::new(),
            variants: Vec::new(),
            segments: vec![(h(24.0), 1), (h(48.0), 0), (h(72.0), 2)],
        };
        assert_eq!(r.variant_at(h(0.0)), 0);
        assert_eq!(r.variant_at(h(24.0 - 1.0 / 60.0)), 0);
        assert_eq!(r.variant_at(h(24.0)), 1);
        assert_eq!(r.variant_at(h(47.9)), 1);
        assert_eq!(r.variant_at(h(48.0)), 0);
        assert_eq!(r.variant_at(h(1000.0)), 2);
        assert_eq!(Regimes::default().variant_at(h(5.0)), 0);
    }

    #[test]
    fn a_kept_span_answers_like_the_segments_at_every_quarter_hour_and_boundary() {
        let h = SimTime::from_hours;
        let r = Regimes {
            periods: Vec::new(),
            variants: Vec::new(),
            segments: vec![(h(24.0), 1), (h(48.0), 0), (h(72.0), 2)],
        };
        let mut span = VariantSpan::EMPTY;
        let mut asked = 0;
        let mut times: Vec<f64> = (0..400).map(|q| f64::from(q) * 0.25).collect();
        // Just before and at each boundary, and a step back in time (the span must not
        // assume that the clock only moves forward to answer right).
        times.extend([
            24.0 - 1e-9,
            24.0,
            48.0 - 1e-9,
            48.0,
            72.0 - 1e-9,
            72.0,
            30.0,
            0.0,
        ]);
        for t in times {
            let before = span;
            assert_eq!(span.variant_at(&r, h(t)), r.variant_at(h(t)), "at {t} h");
            asked += usize::from(span != before);
        }
        // Forward through 100 h the segments are asked once per span (4), then for
        // the steps back.
        assert!(asked <= 4 + 8, "asked {asked} times");
        let s = r.variant_span_at(h(50.0));
        assert_eq!((s.from, s.until, s.variant), (h(48.0), h(72.0), 0));
        let s = Regimes::default().variant_span_at(h(5.0));
        assert_eq!((s.until, s.variant), (SimTime::INFINITY, 0));
    }
}
