//! Time integrals of a piecewise-constant quantity, clipped to a window.

/// ∫ x(t) dt over `[window_start, window_end)` of a step function x, updated at each
/// change. Used for staff on duty, officers busy, queue lengths and shipments in system.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WindowedIntegral {
    window_start: f64,
    window_end: f64,
    last_change: f64,
    value: f64,
    area: f64,
}

impl WindowedIntegral {
    /// Starts at value `value` at time `t0` with the window `[start, end)`.
    pub fn new(window_start: f64, window_end: f64, t0: f64, value: f64) -> Self {
        WindowedIntegral {
            window_start,
            window_end,
            last_change: t0,
            value,
            area: 0.0,
        }
    }

    /// The quantity becomes `value` at time `t` (t never decreases).
    #[inline]
    pub fn set(&mut self, t: f64, value: f64) {
        self.accumulate(t);
        self.value = value;
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }

    #[inline]
    fn accumulate(&mut self, t: f64) {
        let a = self.last_change.max(self.window_start);
        let b = t.min(self.window_end);
        if b > a {
            self.area += self.value * (b - a);
        }
        self.last_change = t;
    }

    /// The integral over the window, assuming the value holds until `t`.
    pub fn area_until(&self, t: f64) -> f64 {
        let mut copy = *self;
        copy.accumulate(t);
        copy.area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_to_the_window() {
        let mut x = WindowedIntegral::new(10.0, 20.0, 0.0, 2.0);
        x.set(5.0, 4.0); // before the window: nothing counts
        x.set(12.0, 1.0); // [10,12) at 4 = 8
        x.set(25.0, 7.0); // [12,20) at 1 = 8
        assert_eq!(x.area_until(30.0), 16.0);
        assert_eq!(x.value(), 7.0);
    }
}
