//! A scenario value varied one at a time (`portsim sensitivity`): the value at a `--set`
//! path as the loaded scenario holds it, what kind of value it is, and the values a
//! relative change (`--by`) or an explicit one (`--range`) give it.
//!
//! - A whole number changes by the share and is rounded; when rounding would leave it
//!   unchanged it changes by 1 instead (3 staff ∓ 25 % gives 2 and 4).
//! - A number changes by the share.
//! - A duration ("30m") changes by the share and keeps its unit ("22.5m", "37.5m").
//! - A distribution of durations is scaled: every duration in it (mean, value, min, mode,
//!   max, values) times the factor, cv and weights kept, so its mean scales by the factor.
//!   An explicit value for a distribution is the mean it is scaled to.
//!
//! Distributions of counts (batch sizes), strings other than durations, booleans, tables
//! and arrays are not varied.

use super::duration::parse_duration_hours;
use super::overrides::Override;

/// What kind of value a varied path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (staff, a headcount).
    Integer,
    /// A number (a rate, a share).
    Number,
    /// A duration with a unit ("30m").
    Duration,
    /// A distribution of durations (a table with `dist`).
    Distribution,
}

impl Kind {
    /// Its name in documents: `integer`, `number`, `duration`, `distribution`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Duration => "duration",
            Kind::Distribution => "distribution",
        }
    }

    /// The unit of its figures: hours for durations and distributions (their mean).
    pub fn unit(self) -> Option<&'static str> {
        match self {
            Kind::Integer | Kind::Number => None,
            Kind::Duration | Kind::Distribution => Some("hours"),
        }
    }
}

/// A value set at a varied path, and its figure: the number, or hours (a distribution's
/// mean).
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// What the scenario is given at the path.
    pub value: toml::Value,
    /// The number, or hours.
    pub figure: f64,
    /// How to show it: the number, the duration as written, a distribution's mean.
    pub shown: String,
}

/// The value at a path of the scenario as loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Varied {
    /// The path as written (`pools.servers.staff`).
    pub path: String,
    /// What kind of value it is.
    pub kind: Kind,
    /// The value as loaded.
    pub base: Setting,
}

/// Families of duration distributions (`RawDurationDist`'s tags).
const DURATION_DISTS: [&str; 7] = [
    "exponential",
    "deterministic",
    "uniform",
    "triangular",
    "lognormal",
    "gamma",
    "empirical",
];

/// The keys of a duration distribution that hold durations (and are scaled).
const DURATION_KEYS: [&str; 5] = ["mean", "value", "min", "mode", "max"];

/// The value at `path` of `doc`, tables entered by key and arrays by an element's
/// `name` or by 0-based index, as `--set` addresses them.
pub fn value_at<'a>(doc: &'a toml::Table, path: &[String]) -> Result<&'a toml::Value, String> {
    let mut here: Option<&toml::Value> = None;
    let mut i = 0;
    while i < path.len() {
        let seg = &path[i];
        let shown = path[..i].join(".");
        let next = match here {
            None => doc.get(seg),
            Some(toml::Value::Table(t)) => t.get(seg),
            Some(toml::Value::Array(items)) => items
                .iter()
                .find(|v| v.get("name").and_then(|x| x.as_str()) == Some(seg.as_str()))
                .or_else(|| seg.parse::<usize>().ok().and_then(|ix| items.get(ix))),
            Some(_) => return Err(format!("`{shown}` is a value, not a table")),
        };
        here = Some(next.ok_or_else(|| match here {
            Some(toml::Value::Array(items)) => {
                let names: Vec<&str> = items
                    .iter()
                    .filter_map(|v| v.get("name")?.as_str())
                    .collect();
                format!(
                    "`{shown}` has no element named or numbered \"{seg}\" (it has: {})",
                    if names.is_empty() {
                        format!("{} elements", items.len())
                    } else {
                        names.join(", ")
                    }
                )
            }
            _ if shown.is_empty() => format!("the scenario has no key `{seg}`"),
            _ => format!("`{shown}` has no key `{seg}`"),
        })?);
        i += 1;
    }
    here.ok_or_else(|| "an empty path".to_string())
}

impl Varied {
    /// Reads the value at `path` (dotted, as `--set` takes it) of the scenario document
    /// `doc`; refused, saying what was found, when it is not a number, a duration or a
    /// distribution of durations.
    pub fn read(doc: &toml::Table, path: &str) -> Result<Varied, String> {
        let segments = Override::parse(&format!("{path}=0"))?.path;
        let value = value_at(doc, &segments)?;
        let expected = "expected a number, a duration (\"30m\") or a distribution of durations";
        let (kind, figure) = match value {
            toml::Value::Integer(n) => (Kind::Integer, *n as f64),
            toml::Value::Float(x) => (Kind::Number, *x),
            toml::Value::String(s) => match parse_duration_hours(s) {
                Ok(h) => (Kind::Duration, h),
                Err(_) => return Err(format!("is \"{s}\": {expected}")),
            },
            toml::Value::Table(t) => match t.get("dist").and_then(|d| d.as_str()) {
                Some(d) if DURATION_DISTS.contains(&d) && !is_count_table(t) => {
                    (Kind::Distribution, dist_mean(t)?)
                }
                Some(d) => {
                    return Err(format!(
                        "is a distribution of counts (\"{d}\"), which is not scaled: vary one of its numbers, e.g. {path}.mean"
                    ));
                }
                None => return Err(format!("is a table: {expected}")),
            },
            other => return Err(format!("is {}: {expected}", describe(other))),
        };
        if !figure.is_finite() {
            return Err(format!("is {value}, not a finite value"));
        }
        Ok(Varied {
            path: path.to_string(),
            kind,
            base: Setting {
                shown: show(kind, value, figure),
                value: value.clone(),
                figure,
            },
        })
    }

    /// The low and high values of a relative change by `share` (0 < share < 1): the base
    /// times 1 ∓ share, whole numbers rounded and changed by at least 1. Refused for a
    /// value of zero that is not a whole number (a relative change leaves it unchanged).
    pub fn relative(&self, share: f64) -> Result<[Setting; 2], String> {
        if self.kind == Kind::Integer {
            let n = self.base.figure;
            let low = ((n * (1.0 - share)).round()).min(n - 1.0);
            let high = ((n * (1.0 + share)).round()).max(n + 1.0);
            return Ok([low, high].map(|x| {
                let v = toml::Value::Integer(x as i64);
                Setting {
                    shown: show(Kind::Integer, &v, x),
                    value: v,
                    figure: x,
                }
            }));
        }
        if self.base.figure == 0.0 {
            return Err(
                "is 0: a relative change leaves it at 0; give its values with --range PATH=LOW..HIGH"
                    .into(),
            );
        }
        Ok([1.0 - share, 1.0 + share].map(|f| self.scaled(f)))
    }

    /// The base scaled by `factor`.
    fn scaled(&self, factor: f64) -> Setting {
        let value = match &self.base.value {
            toml::Value::Float(x) => toml::Value::Float(tidy(x * factor)),
            toml::Value::String(s) => toml::Value::String(scale_duration(s, factor)),
            toml::Value::Table(t) => {
                let mut t = t.clone();
                for key in DURATION_KEYS {
                    if let Some(toml::Value::String(s)) = t.get(key) {
                        let scaled = scale_duration(s, factor);
                        t.insert(key.into(), toml::Value::String(scaled));
                    }
                }
                if let Some(toml::Value::Array(values)) = t.get_mut("values") {
                    for v in values.iter_mut() {
                        if let toml::Value::String(s) = v {
                            *s = scale_duration(s, factor);
                        }
                    }
                }
                toml::Value::Table(t)
            }
            other => other.clone(),
        };
        let figure = self.figure_of(&value).unwrap_or(self.base.figure * factor);
        Setting {
            shown: show(self.kind, &value, figure),
            value,
            figure,
        }
    }

    /// The figure of a value of this kind.
    fn figure_of(&self, value: &toml::Value) -> Option<f64> {
        match value {
            toml::Value::Integer(n) => Some(*n as f64),
            toml::Value::Float(x) => Some(*x),
            toml::Value::String(s) => parse_duration_hours(s).ok(),
            toml::Value::Table(t) => dist_mean(t).ok(),
            _ => None,
        }
    }

    /// An explicit value, written as a `--set` value: a whole number for a whole number,
    /// a number for a number, a duration ("90m") for a duration, and for a distribution
    /// the duration its mean is scaled to.
    pub fn explicit(&self, text: &str) -> Result<Setting, String> {
        let parsed = Override::parse(&format!("v={text}"))?.value;
        let wrong = |what: &str| {
            format!(
                "expected {what} (the path holds {}), got \"{text}\"",
                self.describe()
            )
        };
        let value = match (self.kind, &parsed) {
            (Kind::Integer, toml::Value::Integer(_)) => parsed.clone(),
            (Kind::Integer, _) => return Err(wrong("a whole number")),
            (Kind::Number, toml::Value::Integer(n)) => toml::Value::Float(*n as f64),
            (Kind::Number, toml::Value::Float(_)) => parsed.clone(),
            (Kind::Number, _) => return Err(wrong("a number")),
            (Kind::Duration, toml::Value::String(s)) if parse_duration_hours(s).is_ok() => {
                parsed.clone()
            }
            (Kind::Duration, _) => return Err(wrong("a duration with a unit such as \"90m\"")),
            (Kind::Distribution, toml::Value::String(s)) => {
                let hours = parse_duration_hours(s).map_err(|_| {
                    wrong("a duration with a unit such as \"90m\", the mean to scale the distribution to")
                })?;
                if self.base.figure <= 0.0 {
                    return Err("is a distribution with a mean of 0, which no factor scales to another mean".into());
                }
                return Ok(self.scaled(hours / self.base.figure));
            }
            (Kind::Distribution, _) => {
                return Err(wrong(
                    "a duration with a unit such as \"90m\", the mean to scale the distribution to",
                ));
            }
        };
        let figure = self.figure_of(&value).unwrap_or(f64::NAN);
        Ok(Setting {
            shown: show(self.kind, &value, figure),
            value,
            figure,
        })
    }

    /// "a whole number (3)", "a duration (30m)".
    fn describe(&self) -> String {
        let what = match self.kind {
            Kind::Integer => "a whole number",
            Kind::Number => "a number",
            Kind::Duration => "a duration",
            Kind::Distribution => "a distribution",
        };
        format!("{what}, {}", self.base.shown)
    }
}

/// Whether a `dist = "empirical"` table lists counts (whole numbers), not durations.
fn is_count_table(t: &toml::Table) -> bool {
    matches!(t.get("values"), Some(toml::Value::Array(v)) if v.iter().any(|x| x.is_integer()))
}

/// What a TOML value is, in words.
fn describe(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Array(_) => "an array",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Table(_) => "a table",
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
    }
}

/// How a setting is shown: numbers as written, durations as written, a distribution by
/// its mean.
fn show(kind: Kind, value: &toml::Value, figure: f64) -> String {
    match (kind, value) {
        (_, toml::Value::String(s)) => s.clone(),
        (Kind::Distribution, _) => format!("mean {}h", tidy(figure)),
        (_, toml::Value::Integer(n)) => n.to_string(),
        (_, toml::Value::Float(x)) => tidy(*x).to_string(),
        (_, other) => other.to_string(),
    }
}

/// The mean, in hours, of a distribution of durations as written; a message naming the
/// key that is not a duration.
fn dist_mean(t: &toml::Table) -> Result<f64, String> {
    let hours = |key: &str| -> Result<f64, String> {
        match t.get(key) {
            Some(toml::Value::String(s)) => {
                parse_duration_hours(s).map_err(|e| format!("{key}: {e}"))
            }
            Some(other) => Err(format!("{key} is {other}, expected a duration")),
            None => Err(format!("has no {key}")),
        }
    };
    let dist = t.get("dist").and_then(|d| d.as_str()).unwrap_or("");
    Ok(match dist {
        "exponential" | "lognormal" | "gamma" => hours("mean")?,
        "deterministic" => hours("value")?,
        "uniform" => (hours("min")? + hours("max")?) / 2.0,
        "triangular" => (hours("min")? + hours("mode")? + hours("max")?) / 3.0,
        "empirical" => {
            let values: Vec<f64> = match t.get("values") {
                Some(toml::Value::Array(v)) => v
                    .iter()
                    .map(|x| match x {
                        toml::Value::String(s) => parse_duration_hours(s),
                        other => Err(format!("values holds {other}, expected durations")),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err("has no values".into()),
            };
            let weights: Vec<f64> = match t.get("weights") {
                Some(toml::Value::Array(w)) => w
                    .iter()
                    .map(|x| {
                        x.as_float()
                            .or(x.as_integer().map(|n| n as f64))
                            .unwrap_or(f64::NAN)
                    })
                    .collect(),
                _ => vec![1.0; values.len()],
            };
            let total: f64 = weights.iter().sum();
            values.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / total
        }
        other => return Err(format!("is a distribution \"{other}\" that is not scaled")),
    })
}

/// A duration as written ("30m") with its number times `factor`, in the same unit.
fn scale_duration(text: &str, factor: f64) -> String {
    let s = text.trim();
    match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => match s[..at].trim().parse::<f64>() {
            Ok(n) => format!("{}{}", tidy(n * factor), s[at..].trim()),
            Err(_) => text.to_string(),
        },
        None => text.to_string(),
    }
}

/// `x` rounded to 12 significant digits: 0.3 × 1.25 shows as 0.375, not 0.37500000000000006.
fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 12 - x.abs().log10().ceil() as i32;
    let p = 10f64.powi(digits);
    let y = (x * p).round() / p;
    if y.is_finite() { y } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        r#"
[[pools]]
name = "servers"
staff = 3
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.7, batch = { dist = "poisson", mean = 2.0 } }
exit = "30m"
stages = [ { name = "serve", pool = "servers", time = { dist = "triangular", min = "30m", mode = "1h", max = "1.5h" } },
           { name = "pick", pool = "servers", time = { dist = "empirical", values = ["1h", "3h"], weights = [3, 1] } } ]
"#
        .parse()
        .unwrap()
    }

    fn read(path: &str) -> Result<Varied, String> {
        Varied::read(&doc(), path)
    }

    #[test]
    fn whole_numbers_round_and_move_by_at_least_one() {
        let v = read("pools.servers.staff").unwrap();
        assert_eq!(v.kind, Kind::Integer);
        let [lo, hi] = v.relative(0.25).unwrap();
        assert_eq!(
            (lo.value.as_integer(), hi.value.as_integer()),
            (Some(2), Some(4))
        );
        let [lo, hi] = v.relative(0.05).unwrap();
        assert_eq!((lo.figure, hi.figure), (2.0, 4.0));
        let [lo, hi] = v.relative(0.5).unwrap();
        assert_eq!(
            (lo.figure, hi.figure),
            (2.0, 5.0),
            "1.5 and 4.5 round away from zero"
        );
        assert_eq!(v.explicit("5").unwrap().figure, 5.0);
        assert!(v.explicit("2.5").unwrap_err().contains("whole number"));
    }

    #[test]
    fn numbers_and_durations_scale_by_the_share() {
        let v = read("modes.customers.arrivals.rate_per_hour").unwrap();
        let [lo, hi] = v.relative(0.1).unwrap();
        assert_eq!((lo.figure, hi.figure), (2.43, 2.97));
        assert_eq!(v.explicit("3").unwrap().value, toml::Value::Float(3.0));
        let d = read("modes.0.exit").unwrap();
        assert_eq!(d.kind, Kind::Duration);
        let [lo, hi] = d.relative(0.25).unwrap();
        assert_eq!((lo.shown.as_str(), hi.shown.as_str()), ("22.5m", "37.5m"));
        assert_eq!(hi.figure, 0.625);
        assert_eq!(d.explicit("2h").unwrap().figure, 2.0);
        assert!(d.explicit("2").unwrap_err().contains("duration"));
    }

    #[test]
    fn distributions_scale_every_duration_and_keep_their_shape() {
        let v = read("modes.customers.stages.serve.time").unwrap();
        assert_eq!((v.kind, v.base.figure), (Kind::Distribution, 1.0));
        let [lo, hi] = v.relative(0.5).unwrap();
        assert_eq!(lo.value["min"].as_str(), Some("15m"));
        assert_eq!(hi.value["max"].as_str(), Some("2.25h"));
        assert_eq!((lo.figure, hi.figure), (0.5, 1.5));
        let e = read("modes.customers.stages.pick.time").unwrap();
        assert_eq!(e.base.figure, 1.5, "weighted mean of 1 h and 3 h, 3:1");
        let to = e.explicit("3h").unwrap();
        assert_eq!(to.value["values"][1].as_str(), Some("6h"));
        assert_eq!(to.value["weights"], e.base.value["weights"]);
        assert_eq!(to.figure, 3.0);
    }

    #[test]
    fn other_values_are_refused_saying_what_they_are() {
        let e = read("pools.servers.name").unwrap_err();
        assert!(
            e.contains("\"servers\"") && e.contains("expected a number"),
            "{e}"
        );
        let e = read("modes.customers.arrivals.batch").unwrap_err();
        assert!(e.contains("counts"), "{e}");
        let e = read("modes.customers.arrivals").unwrap_err();
        assert!(e.contains("is a table"), "{e}");
        let e = read("pools.nobody.staff").unwrap_err();
        assert!(e.contains("no element") && e.contains("servers"), "{e}");
        let e = read("pools.servers.overtime").unwrap_err();
        assert!(e.contains("has no key `overtime`"), "{e}");
        let zero: toml::Table = "x = 0.0".parse().unwrap();
        let e = Varied::read(&zero, "x")
            .unwrap()
            .relative(0.25)
            .unwrap_err();
        assert!(e.contains("--range"), "{e}");
    }
}
