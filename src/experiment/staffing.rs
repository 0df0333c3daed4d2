//! Staffing search: the smallest value of one or more integer scenario values (officers
//! of a pool, extra hands in a peak, one shift's headcount) at which clearance meets its
//! targets, e.g. "90 % of shipments cleared within 12 hours" (`p90<=12h`).
//!
//! Every candidate runs the same replications with the same seed (common random
//! numbers), so neighbouring candidates differ by their staffing, not by noise. The
//! search assumes that more staff never lengthens clearance, and bisects between the
//! range's ends; it does not test that assumption (a sweep over the same path shows the
//! whole response).
//!
//! A target is met when the *upper end* of the figure's 95 % confidence interval meets
//! it, not just the estimate: a planner asking for 90 % within 12 hours wants that with
//! confidence. With one replication there is no interval and the estimate decides. A
//! candidate whose run is overloaded (a pool unstable), turned arrivals away or left
//! counted shipments unreleased never meets its targets: its figures describe a
//! different system.

use crate::experiment::{Layout, SummarizedRun, Summary};
use crate::model::ReplicationResult;
pub use crate::results::staff::{Candidate, Figure, STAFF_SCHEMA, Search};
use crate::stats::{HoursHistogram, Tally, mean_ci95};

/// The clearance-time figure a target bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Mean clearance time.
    Mean,
    /// A quantile: p50, p90, p95 or p99.
    Quantile(u8),
}

impl Metric {
    /// The quantile level, if a quantile.
    fn level(self) -> Option<f64> {
        match self {
            Metric::Mean => None,
            Metric::Quantile(p) => Some(f64::from(p) / 100.0),
        }
    }

    /// How targets name it: `mean`, `p90`.
    pub fn name(self) -> String {
        match self {
            Metric::Mean => "mean".into(),
            Metric::Quantile(p) => format!("p{p}"),
        }
    }
}

/// A bound on a clearance-time figure: `p90<=12h`, `air-cargo.mean<8h`. (Documents
/// write it as [`StaffTarget`](crate::results::staff::StaffTarget).)
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// As written.
    pub text: String,
    /// The mode, or `None` for the headline modes together (`overall`).
    pub mode: Option<String>,
    /// The figure.
    pub metric: String,
    kind: Metric,
    /// `<=` or `<`.
    pub op: String,
    /// The bound, hours.
    pub hours: f64,
}

impl Target {
    /// Parses `[MODE.]METRIC<=DURATION` (or `<`): METRIC is `mean`, `p50`, `p90`, `p95` or
    /// `p99`; DURATION has a unit (`12h`, `90m`, `1.5d`).
    pub fn parse(text: &str) -> Result<Target, String> {
        let expected = || {
            format!(
                "--target expects [MODE.]METRIC<=DURATION, METRIC one of mean, p50, p90, p95, p99 (e.g. \"p90<=12h\", \"air-cargo.mean<8h\"); got \"{text}\""
            )
        };
        let (lhs, op, rhs) = if let Some((l, r)) = text.split_once("<=") {
            (l, "<=", r)
        } else if let Some((l, r)) = text.split_once('<') {
            (l, "<", r)
        } else {
            return Err(expected());
        };
        let lhs = lhs.trim();
        let (mode, metric) = match lhs.rsplit_once('.') {
            // `overall` is the headline modes together, as in the summary.
            Some((m, x)) if m.trim() == "overall" => (None, x.trim()),
            Some((m, x)) if !m.trim().is_empty() => (Some(m.trim().to_string()), x.trim()),
            Some(_) => return Err(expected()),
            None => (None, lhs),
        };
        let kind = match metric {
            "mean" => Metric::Mean,
            "p50" => Metric::Quantile(50),
            "p90" => Metric::Quantile(90),
            "p95" => Metric::Quantile(95),
            "p99" => Metric::Quantile(99),
            _ => return Err(expected()),
        };
        let hours = crate::scenario::duration::parse_duration_hours(rhs.trim())
            .map_err(|e| format!("--target \"{text}\": {e}"))?;
        Ok(Target {
            text: text.trim().to_string(),
            mode,
            metric: kind.name(),
            kind,
            op: op.into(),
            hours,
        })
    }

    /// Checks that the target's mode exists.
    pub fn check(&self, layout: &Layout) -> Result<(), String> {
        match &self.mode {
            Some(m) if !layout.modes.iter().any(|x| &x.name == m) => Err(format!(
                "--target \"{}\": the scenario has no mode \"{m}\" (modes: {})",
                self.text,
                layout
                    .modes
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => Ok(()),
        }
    }

    /// Whether `value` hours meets the bound.
    fn holds(&self, value: f64) -> bool {
        if self.op == "<" {
            value < self.hours
        } else {
            value <= self.hours
        }
    }

    /// The target's figure in one run, and whether it is met.
    pub fn figure(&self, layout: &Layout, results: &[ReplicationResult]) -> Figure {
        let chosen: Vec<usize> = layout
            .modes
            .iter()
            .enumerate()
            .filter(|(_, m)| match &self.mode {
                Some(name) => &m.name == name,
                None => m.headline,
            })
            .map(|(i, _)| i)
            .collect();
        let (estimate, ci95) = match self.kind.level() {
            None => {
                let means: Vec<f64> = results
                    .iter()
                    .map(|r| {
                        let mut t = Tally::default();
                        for &i in &chosen {
                            t.merge(&r.modes[i].clearance);
                        }
                        t.mean()
                    })
                    .collect();
                let m = mean_ci95(&means);
                (m.mean, m.ci95)
            }
            Some(q) => {
                let histograms: Vec<HoursHistogram> = results
                    .iter()
                    .map(|r| {
                        let mut h = HoursHistogram::new();
                        for &i in &chosen {
                            h.merge(&r.modes[i].histogram);
                        }
                        h
                    })
                    .collect();
                let mut pooled = HoursHistogram::new();
                for h in &histograms {
                    pooled.merge(h);
                }
                let estimate = pooled.quantile(q).unwrap_or(f64::NAN);
                // The pooled quantile is what the summary reports; its noise is that of
                // the replications' own quantiles (the interval of their mean, centred
                // on the pooled figure).
                let own: Vec<f64> = histograms
                    .iter()
                    .map(|h| h.quantile(q).unwrap_or(f64::NAN))
                    .collect();
                // Each replication's quantile is known only to within its histogram
                // bucket: replications that agree to the bucket (two of a few, by
                // chance) would give an interval of no width, and a target judged on
                // it. No interval is narrower than that resolution.
                let floor = pooled.resolution_at(estimate);
                let half = mean_ci95(&own).half_width().map(|h| h.max(floor));
                (estimate, half.map(|h| [estimate - h, estimate + h]))
            }
        };
        // Several replications but no interval (only one released anything to measure):
        // not judged met, since the estimate alone would claim a confidence it lacks.
        let judged = match ci95 {
            Some([_, hi]) => Some(hi),
            None if results.len() <= 1 => Some(estimate),
            None => None,
        };
        Figure {
            target: self.text.clone(),
            estimate,
            ci95,
            met: judged.is_some_and(|x| x.is_finite() && self.holds(x)),
        }
    }
}

impl Candidate {
    /// The candidate `value` judged from its run.
    pub fn judge(value: i64, targets: &[Target], run: &SummarizedRun) -> Candidate {
        let figures: Vec<Figure> = targets
            .iter()
            .map(|t| t.figure(&run.layout, &run.results))
            .collect();
        let s: &Summary = &run.summary;
        let staff_hours = s
            .pools
            .values()
            .map(|p| p.staff_hours + p.on_call_hours)
            .sum();
        // The summary's own `unstable` also covers capped and unreleased runs; here each
        // is told apart, so the verdict can say which.
        let overloaded: Vec<String> = s
            .pools
            .iter()
            .filter(|(_, p)| p.unstable)
            .map(|(name, p)| p.overload_brief(name))
            .collect();
        let unstable = !overloaded.is_empty();
        let turned_away = s.turned_away();
        let unreleased = s.modes.values().map(|m| m.unreleased).sum();
        let met = figures.iter().all(|f| f.met) && !unstable && turned_away == 0 && unreleased == 0;
        Candidate {
            value,
            figures,
            mean_clearance_hours: s.overall.clearance_hours.mean,
            staff_hours,
            unstable,
            overloaded,
            turned_away,
            unreleased,
            officer_hours: s.officer_hours,
            cost: s.cost.clone(),
            met,
        }
    }
}

/// Bisects `[min, max]` for the smallest value whose candidate meets every target,
/// assuming that a value meeting them means every larger one does. `max` is tried first:
/// if it fails, there is no answer. At most ⌈log₂(max − min + 1)⌉ + 1 candidates run.
pub fn search<E>(
    min: i64,
    max: i64,
    mut run: impl FnMut(i64) -> Result<Candidate, E>,
) -> Result<Search, E> {
    assert!(min <= max, "the range is checked before searching");
    let mut candidates = Vec::new();
    let top = run(max)?;
    let top_met = top.met;
    candidates.push(top);
    let answer = if top_met {
        // Invariant: `lo` fails (or is below the range), `hi` meets.
        let (mut lo, mut hi) = (min - 1, max);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            let c = run(mid)?;
            if c.met {
                hi = mid;
            } else {
                lo = mid;
            }
            candidates.push(c);
        }
        Some(hi)
    } else {
        None
    };
    candidates.sort_by_key(|c| c.value);
    Ok(Search { answer, candidates })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replications that agree on a quantile to the histogram's bucket (here every one:
    /// the same ten shipments a day, served one after another) give no spread: the
    /// interval is then the bucket's width, never none, and the target is judged on its
    /// upper end.
    #[test]
    fn a_quantile_every_replication_agrees_on_has_the_histograms_resolution() {
        let text = "name = \"t\"\nstart = \"2024-01-01\"\nhorizon_days = 20\nwarmup_days = 2\nreplications = 3\n[[pools]]\nname = \"p\"\nstaff = 1\n[[modes]]\nname = \"m\"\narrivals = { kind = \"timetable\", services = [{ days = \"Mon-Sun\", time = \"08:00\", batch = { dist = \"constant\", value = 10 } }] }\nstages = [{ name = \"s\", pool = \"p\", time = { dist = \"deterministic\", value = \"1h\" } }]\n";
        let model = crate::scenario::load_str("t.toml", text, &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .model;
        let results = crate::experiment::run_replications(&model, Default::default()).unwrap();
        let layout = crate::experiment::Layout::of(&model);
        let mut h = HoursHistogram::new();
        h.record(9.0);
        let resolution = h.resolution_at(9.0);
        assert!(resolution > 0.0 && resolution < 0.01, "{resolution}");
        // Sojourns 1, 2, …, 10 h every day: the p90 is 9 h in every replication.
        let at = |bound: &str| {
            Target::parse(&format!("p90<={bound}"))
                .unwrap()
                .figure(&layout, &results)
        };
        let f = at("9h");
        assert!((f.estimate - 9.0).abs() <= resolution, "{f:?}");
        let [lo, hi] = f.ci95.expect("an interval");
        assert!((hi - lo - 2.0 * resolution).abs() < 1e-12, "{f:?}");
        // Judged on the upper end: 9 h plus the bucket does not meet p90 ≤ 9 h.
        assert!(hi > 9.0 && !f.met, "{f:?}");
        assert!(at("9.1h").met);
    }

    fn candidate(value: i64, met: bool) -> Candidate {
        Candidate {
            value,
            figures: vec![],
            mean_clearance_hours: 1.0,
            staff_hours: 0.0,
            unstable: false,
            overloaded: Vec::new(),
            turned_away: 0,
            unreleased: 0,
            met,
            officer_hours: Default::default(),
            cost: None,
        }
    }

    #[test]
    fn targets_parse_with_a_mode_a_metric_and_a_duration() {
        let t = Target::parse("p90<=12h").unwrap();
        assert_eq!((t.mode.as_deref(), t.metric.as_str()), (None, "p90"));
        assert_eq!((t.op.as_str(), t.hours), ("<=", 12.0));
        let t = Target::parse(" air-cargo.mean < 90m ").unwrap();
        assert_eq!(t.mode.as_deref(), Some("air-cargo"));
        assert_eq!(
            (t.metric.as_str(), t.op.as_str(), t.hours),
            ("mean", "<", 1.5)
        );
        assert!(t.holds(1.4) && !t.holds(1.5));
        assert!(Target::parse("p99<=2d").unwrap().holds(48.0));
        assert_eq!(Target::parse("overall.p90<=12h").unwrap().mode, None);
    }

    #[test]
    fn malformed_targets_are_refused_saying_what_is_expected() {
        for bad in [
            "p90", "p90>=12h", "p80<=12h", "p90<=12", "p90<=-1h", ".p90<=1h", "mean<=h",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert!(
                e.contains(bad) && (e.contains("METRIC") || e.contains("duration")),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn bisection_finds_the_smallest_value_that_meets() {
        for answer in 1..=40 {
            let mut ran = vec![];
            let s = search::<()>(1, 40, |v| {
                ran.push(v);
                Ok(candidate(v, v >= answer))
            })
            .unwrap();
            assert_eq!(s.answer, Some(answer));
            // The answer and the value below it (unless the range starts there) ran.
            assert!(ran.contains(&answer));
            assert!(answer == 1 || ran.contains(&(answer - 1)));
            assert!(ran.len() <= 7, "{} runs for 40 values", ran.len());
            assert!(s.candidates.windows(2).all(|w| w[0].value < w[1].value));
        }
    }

    #[test]
    fn no_answer_when_the_top_of_the_range_fails() {
        let s = search::<()>(3, 9, |v| Ok(candidate(v, false))).unwrap();
        assert_eq!(s.answer, None);
        assert_eq!(s.candidates.len(), 1);
        assert_eq!(s.candidates[0].value, 9);
        let one = search::<()>(5, 5, |v| Ok(candidate(v, true))).unwrap();
        assert_eq!((one.answer, one.candidates.len()), (Some(5), 1));
    }

    #[test]
    fn a_failing_run_stops_the_search() {
        let r = search(1, 10, |v| {
            if v == 10 {
                Err("boom")
            } else {
                Ok(candidate(v, true))
            }
        });
        assert_eq!(r.unwrap_err(), "boom");
        // Also in the middle of the bisection.
        let mut ran = vec![];
        let r = search(1, 10, |v| {
            ran.push(v);
            if v == 5 {
                Err("mid")
            } else {
                Ok(candidate(v, true))
            }
        });
        assert_eq!(r.unwrap_err(), "mid");
        assert_eq!(ran, [10, 5]);
    }
}
