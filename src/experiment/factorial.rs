//! Effects of a two-level factorial sweep: what each change, and each combination of
//! changes beyond the sum of its parts, adds to a figure — paired by replication, so
//! each effect's interval reflects the common random numbers of the sweep.
//!
//! A sweep is a 2^k factorial when each of its k axes takes exactly two values and its
//! variants are the full grid. The first value of each axis (variant 0's) is its
//! baseline level. With y(T) the figure of the variant in which the axes of T are at
//! their second level and the others at baseline, the effect of a set S of axes is the
//! interaction contrast against the baseline (Möbius inversion over subsets):
//!
//! ```text
//! Δ(S) = Σ_{T ⊆ S} (−1)^{|S|−|T|} y(T)
//! ```
//!
//! so Δ({i}) = y({i}) − y(∅) is the change i alone makes, Δ({i, j}) = y({i, j}) − y({i})
//! − y({j}) + y(∅) what making both adds beyond the two alone, and the effects of all
//! non-empty sets sum exactly to y(all) − y(∅), the factorial's own total. Each effect is
//! computed per replication (replication r of every variant shares its random numbers)
//! and reported as a mean with a Student-t 95 % interval over replications.

use indexmap::IndexMap;

use super::sweep::{SweepMeta, SweepState};
use crate::stats::Tally;
use crate::stats::confidence::{MeanCi, mean_ci95};

/// The factorial structure of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Factorial {
    /// The axes (factors), in the sweep's column order.
    pub factors: Vec<String>,
    /// Each factor's two values, baseline first, as the sweep writes them.
    pub levels: Vec<[toml::Value; 2]>,
    /// The variant at each cell: index `mask`, bit i set when factor i is at its second
    /// level.
    pub cells: Vec<usize>,
}

/// One effect: a set of factors and what changing them together adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// The factors in the set (one: a main effect; more: their interaction).
    pub factors: Vec<String>,
    /// The set as a bit mask over [`Factorial::factors`].
    pub mask: usize,
    /// The effect's mean over replications and its 95 % interval.
    pub value: MeanCi,
}

/// Most factors a factorial may have: 2^10 = 1,024 variants.
pub const MAX_FACTORS: usize = 10;

impl Factorial {
    /// The factorial structure of `meta`, or why it has none: an axis without exactly
    /// two values, a cell missing or given twice, more than [`MAX_FACTORS`] axes.
    pub fn of(meta: &SweepMeta) -> Result<Factorial, String> {
        let k = meta.columns.len();
        if k == 0 || k > MAX_FACTORS {
            return Err(format!(
                "a factorial needs 1 to {MAX_FACTORS} axes; the sweep has {k}"
            ));
        }
        let mut levels: Vec<Vec<toml::Value>> = vec![Vec::new(); k];
        for v in &meta.variants {
            for (i, column) in meta.columns.iter().enumerate() {
                let value = v
                    .values
                    .get(column)
                    .ok_or_else(|| format!("a variant has no value of the axis \"{column}\""))?;
                if !levels[i].contains(value) {
                    levels[i].push(value.clone());
                }
            }
        }
        if let Some((i, l)) = levels.iter().enumerate().find(|(_, l)| l.len() != 2) {
            return Err(format!(
                "the axis \"{}\" takes {} values; a two-level factorial needs exactly two",
                meta.columns[i],
                l.len()
            ));
        }
        let mut cells = vec![usize::MAX; 1 << k];
        for (index, v) in meta.variants.iter().enumerate() {
            let mask = (0..k)
                .filter(|&i| v.values[&meta.columns[i]] == levels[i][1])
                .fold(0, |m, i| m | (1 << i));
            if cells[mask] != usize::MAX {
                return Err(format!(
                    "variants {} and {index} are the same cell of the factorial",
                    cells[mask]
                ));
            }
            cells[mask] = index;
        }
        if cells.contains(&usize::MAX) {
            return Err(format!(
                "the sweep has {} variants; a full factorial of {k} two-level axes has {}",
                meta.variants.len(),
                1 << k
            ));
        }
        Ok(Factorial {
            factors: meta.columns.clone(),
            levels: levels
                .into_iter()
                .map(|l| [l[0].clone(), l[1].clone()])
                .collect(),
            cells,
        })
    }

    /// How many replications are paired in `y[variant][replication]`: those every
    /// cell's variant has (the first ones; a precision rule may give some variants more).
    pub fn paired_replications(&self, y: &[Vec<f64>]) -> usize {
        self.cells
            .iter()
            .map(|&v| y.get(v).map_or(0, Vec::len))
            .min()
            .unwrap_or(0)
    }

    /// Every effect of a figure — main effects first, then interactions by order —
    /// from `y[variant][replication]`; replications are paired by index, and only those
    /// every variant has are used ([`paired_replications`](Self::paired_replications)).
    pub fn effects(&self, y: &[Vec<f64>]) -> Vec<Effect> {
        let replications = self.paired_replications(y);
        let mut masks: Vec<usize> = (1..self.cells.len()).collect();
        masks.sort_by_key(|m| (m.count_ones(), *m));
        masks
            .into_iter()
            .map(|mask| {
                let per_replication: Vec<f64> = (0..replications)
                    .map(|r| self.contrast(mask, |cell| y[self.cells[cell]][r]))
                    .collect();
                Effect {
                    factors: (0..self.factors.len())
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| self.factors[i].clone())
                        .collect(),
                    mask,
                    value: mean_ci95(&per_replication),
                }
            })
            .collect()
    }

    /// The factorial's total, y(all factors changed) − y(none), per replication pair,
    /// with its interval: what the effects sum to (over the same replications).
    pub fn total(&self, y: &[Vec<f64>]) -> MeanCi {
        let (none, all) = (self.cells[0], self.cells[self.cells.len() - 1]);
        let n = self.paired_replications(y);
        let d: Vec<f64> = (0..n).map(|r| y[all][r] - y[none][r]).collect();
        mean_ci95(&d)
    }

    /// Σ_{T ⊆ S} (−1)^{|S|−|T|} y(T) for the set `mask`.
    fn contrast(&self, mask: usize, y: impl Fn(usize) -> f64) -> f64 {
        // Every subset of `mask`, by the standard walk t = (t − 1) & mask.
        let mut sum = 0.0;
        let mut t = mask;
        loop {
            let sign = if (mask.count_ones() - t.count_ones()).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            sum += sign * y(t);
            if t == 0 {
                break;
            }
            t = (t - 1) & mask;
        }
        sum
    }
}

/// The effects of a completed two-level factorial sweep on its headline mean clearance
/// time, with their total; `None` when the sweep is not such a factorial.
pub struct ClearanceEffects {
    /// The factorial.
    pub factorial: Factorial,
    /// Main effects, then interactions by order, hours.
    pub effects: Vec<Effect>,
    /// y(all changed) − y(none), hours: what the effects sum to.
    pub total: MeanCi,
    /// The replications paired: the first ones, which every variant has.
    pub replications: usize,
    /// The most replications any variant has (more than `replications` when a
    /// precision rule gave some variants more: those are not in the effects).
    pub most_replications: usize,
}

impl ClearanceEffects {
    /// The effects on the headline mean clearance of `meta`'s sweep, from `state`'s
    /// replications; `None` unless the sweep is a full two-level factorial.
    pub fn of(meta: &SweepMeta, state: &SweepState) -> Option<ClearanceEffects> {
        let factorial = Factorial::of(meta).ok()?;
        let y: Vec<Vec<f64>> = meta
            .variants
            .iter()
            .enumerate()
            .map(|(v, variant)| {
                state
                    .results_of(v)
                    .map(|r| {
                        // The headline modes' clearance tallies merged (no histograms:
                        // only the mean is needed).
                        let mut clearance = Tally::default();
                        for (m, _) in r
                            .modes
                            .iter()
                            .zip(&variant.layout.modes)
                            .filter(|(_, m)| m.headline)
                        {
                            clearance.merge(&m.clearance);
                        }
                        clearance.mean()
                    })
                    .collect()
            })
            .collect();
        Some(ClearanceEffects {
            effects: factorial.effects(&y),
            total: factorial.total(&y),
            replications: factorial.paired_replications(&y),
            most_replications: y.iter().map(Vec::len).max().unwrap_or(0),
            factorial,
        })
    }
}

/// The effects by name ("a", "a × b"), for tables.
pub fn by_name(effects: &[Effect]) -> IndexMap<String, &Effect> {
    effects.iter().map(|e| (e.factors.join(" × "), e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Layout;
    use crate::experiment::sweep::VariantMeta;

    /// A sweep meta of the full grid of `axes` (each with its values), last axis fastest.
    fn grid(axes: &[(&str, &[i64])]) -> SweepMeta {
        let mut variants: Vec<Vec<(String, toml::Value)>> = vec![Vec::new()];
        for (name, values) in axes {
            variants = variants
                .into_iter()
                .flat_map(|v| {
                    values.iter().map(move |x| {
                        let mut v = v.clone();
                        v.push((name.to_string(), toml::Value::Integer(*x)));
                        v
                    })
                })
                .collect();
        }
        let text = "name = \"t\"\nstart = \"2024-01-01\"\nhorizon_days = 1\n[[pools]]\nname = \"p\"\nstaff = 1\n[[modes]]\nname = \"m\"\narrivals = { kind = \"poisson\", rate_per_hour = 0.1 }\nstages = [{ name = \"s\", pool = \"p\", time = { dist = \"exponential\", mean = \"1h\" } }]\n";
        let model = crate::scenario::load_str("t.toml", text, &[])
            .unwrap()
            .model;
        let layout = Layout::of(&model);
        SweepMeta::new(
            "t".into(),
            axes.iter().map(|(n, _)| n.to_string()).collect(),
            variants
                .into_iter()
                .map(|values| VariantMeta {
                    values: values.into_iter().collect(),
                    scenario_sha256: String::new(),
                    replications: 3,
                    layout: layout.clone(),
                })
                .collect(),
        )
    }

    #[test]
    fn effects_of_a_known_response_and_their_sum() {
        let meta = grid(&[("a", &[0, 1]), ("b", &[10, 20]), ("c", &[5, 7])]);
        let f = Factorial::of(&meta).unwrap();
        assert_eq!(f.factors, ["a", "b", "c"]);
        // y = 1 + 2a + 3b' + 4c' + 5 a b' (b', c' the 0/1 levels), plus noise shared by
        // every variant of a replication (common random numbers cancel it exactly).
        let noise = [0.3, -1.0, 2.5];
        let y: Vec<Vec<f64>> = meta
            .variants
            .iter()
            .map(|v| {
                let a = v.values["a"].as_integer().unwrap() as f64;
                let b = (v.values["b"].as_integer().unwrap() == 20) as i32 as f64;
                let c = (v.values["c"].as_integer().unwrap() == 7) as i32 as f64;
                noise
                    .iter()
                    .map(|e| 1.0 + 2.0 * a + 3.0 * b + 4.0 * c + 5.0 * a * b + e)
                    .collect()
            })
            .collect();
        let effects = f.effects(&y);
        let named = by_name(&effects);
        let expect = [
            ("a", 2.0),
            ("b", 3.0),
            ("c", 4.0),
            ("a × b", 5.0),
            ("a × c", 0.0),
            ("b × c", 0.0),
            ("a × b × c", 0.0),
        ];
        assert_eq!(named.len(), expect.len());
        for (name, want) in expect {
            let e = named[name];
            assert!((e.value.mean - want).abs() < 1e-12, "{name}: {e:?}");
            // Every replication gives the same effect: a zero-width interval.
            let [lo, hi] = e.value.ci95.unwrap();
            assert!((hi - lo).abs() < 1e-12, "{name}: {e:?}");
        }
        let sum: f64 = effects.iter().map(|e| e.value.mean).sum();
        assert!((sum - f.total(&y).mean).abs() < 1e-12);
        assert!((f.total(&y).mean - 14.0).abs() < 1e-12);
    }

    /// A precision rule may give one variant more replications: the effects and the
    /// total pair the replications every variant has, so they still sum exactly.
    #[test]
    fn effects_and_total_pair_the_replications_every_variant_has() {
        let meta = grid(&[("a", &[0, 1]), ("b", &[0, 1])]);
        let f = Factorial::of(&meta).unwrap();
        // Variant 3 (a and b changed) has two replications more, far from the rest.
        let y = vec![
            vec![1.0, 2.0],
            vec![3.0, 5.0],
            vec![4.0, 4.0],
            vec![9.0, 10.0, 100.0, 100.0],
        ];
        assert_eq!(f.paired_replications(&y), 2);
        let sum: f64 = f.effects(&y).iter().map(|e| e.value.mean).sum();
        let total = f.total(&y).mean;
        assert!((total - 8.0).abs() < 1e-12, "{total}");
        assert!((sum - total).abs() < 1e-12, "{sum} vs {total}");
    }

    #[test]
    fn a_sweep_that_is_not_a_two_level_factorial_says_why() {
        let e = Factorial::of(&grid(&[("a", &[0, 1, 2])])).unwrap_err();
        assert!(e.contains("takes 3 values"), "{e}");
        let mut meta = grid(&[("a", &[0, 1]), ("b", &[0, 1])]);
        meta.variants.pop();
        let e = Factorial::of(&meta).unwrap_err();
        assert!(e.contains("has 3 variants"), "{e}");
        let mut meta = grid(&[("a", &[0, 1])]);
        let first = meta.variants[0].clone();
        meta.variants.push(first);
        let e = Factorial::of(&meta).unwrap_err();
        assert!(e.contains("the same cell"), "{e}");
    }
}
