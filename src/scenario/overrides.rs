//! `--set PATH=VALUE` overrides of single scenario values.

use std::fmt;

use super::locate::{KeyPath, Seg};

/// One override: a dotted key path and a TOML value.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Path segments as written (`modes`, `customers`, `arrivals`, `rate_per_hour`).
    pub path: Vec<String>,
    /// The value: parsed as TOML, or taken as a string when that fails (`1h`, `7x24`).
    pub value: toml::Value,
    /// How the user wrote it, for messages: `--set pools.servers.staff`, `--policy`.
    pub origin: String,
}

impl Override {
    /// Parses `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Override, String> {
        let (path, value) = text
            .split_once('=')
            .ok_or_else(|| format!("--set expects PATH=VALUE, got \"{text}\""))?;
        let path: Vec<String> = path
            .trim()
            .split('.')
            .map(|s| s.trim().to_string())
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(format!(
                "--set path \"{}\" has an empty segment",
                text.split('=').next().unwrap_or("")
            ));
        }
        let origin = format!("--set {}", path.join("."));
        Ok(Override {
            path,
            value: parse_value(value.trim()),
            origin,
        })
    }

    /// The override a dedicated flag makes, e.g. `--policy 7x24` sets `policy`.
    pub fn from_flag(flag: &str, key: &str, value: toml::Value) -> Override {
        Override {
            path: vec![key.to_string()],
            value,
            origin: flag.to_string(),
        }
    }

    /// The dotted path.
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// Applies the override to a parsed scenario document.
    ///
    /// Tables are entered by key (a missing table is created, a missing final key added:
    /// whether the format allows it is checked when the document is read); arrays by an
    /// element's `name`, or by 0-based index when no element has that name.
    pub fn apply(&self, doc: &mut toml::Table) -> Result<(), String> {
        self.apply_located(doc).map(|_| ())
    }

    /// Like [`apply`](Self::apply), and says where the value went: its key path in the
    /// document (array elements by index).
    pub fn apply_located(&self, doc: &mut toml::Table) -> Result<KeyPath, String> {
        let mut table = doc;
        let n = self.path.len();
        let mut i = 0;
        let mut resolved: KeyPath = Vec::with_capacity(n);
        while i < n - 1 {
            let seg = &self.path[i];
            resolved.push(Seg::Key(seg.clone()));
            let entry = table
                .entry(seg.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            table = match entry {
                toml::Value::Table(t) => t,
                toml::Value::Array(items) => {
                    i += 1;
                    let sel = &self.path[i];
                    let pos = items
                        .iter()
                        .position(|v| v.get("name").and_then(|x| x.as_str()) == Some(sel.as_str()))
                        .or_else(|| sel.parse::<usize>().ok().filter(|&ix| ix < items.len()))
                        .ok_or_else(|| {
                            let names: Vec<&str> = items
                                .iter()
                                .filter_map(|v| v.get("name")?.as_str())
                                .collect();
                            format!(
                                "`{}` has no element named or numbered \"{sel}\" (it has: {})",
                                self.path[..i].join("."),
                                if names.is_empty() {
                                    format!("{} elements", items.len())
                                } else {
                                    names.join(", ")
                                }
                            )
                        })?;
                    if i == n - 1 {
                        return Err(format!(
                            "cannot replace a whole element of `{}`",
                            self.path[..i].join(".")
                        ));
                    }
                    resolved.push(Seg::Index(pos));
                    match &mut items[pos] {
                        toml::Value::Table(t) => t,
                        _ => return Err(format!("`{}` is not a table", self.path[..=i].join("."))),
                    }
                }
                _ => {
                    return Err(format!(
                        "`{}` is a value, not a table",
                        self.path[..=i].join(".")
                    ));
                }
            };
            i += 1;
        }
        let last = &self.path[n - 1];
        resolved.push(Seg::Key(last.clone()));
        table.insert(last.clone(), self.value.clone());
        Ok(resolved)
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.dotted(), self.value)
    }
}

/// A TOML value from text, or the text itself as a string.
///
/// A whole number beyond TOML's 64-bit integers (`99999999999999999999`) is read as the
/// decimal number it is: taken as text, it would be refused as "the text", when the
/// trouble is its size (a key taking numbers accepts it; one taking whole numbers says
/// it is too large).
fn parse_value(text: &str) -> toml::Value {
    let doc = format!("v = {text}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(text.to_string())),
        Err(_) => match whole_number_too_large(text) {
            Some(x) => toml::Value::Float(x),
            None => toml::Value::String(text.to_string()),
        },
    }
}

/// The value of `text` if it is written as a TOML integer (sign, digits, single
/// underscores between digits) too large for 64 bits.
fn whole_number_too_large(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits_only = digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    let bad_underscore = digits.starts_with('_') || digits.ends_with('_') || digits.contains("__");
    if digits.is_empty()
        || !digits_only
        || leading_zero
        || bad_underscore
        || text.replace('_', "").parse::<i64>().is_ok()
    {
        return None;
    }
    text.replace('_', "").parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        r#"
horizon_days = 10
[[pools]]
name = "servers"
staff = 3
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.7 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ]
"#
        .parse()
        .unwrap()
    }

    #[test]
    fn values_are_toml_or_strings() {
        assert_eq!(
            Override::parse("a=3").unwrap().value,
            toml::Value::Integer(3)
        );
        assert_eq!(
            Override::parse("a=2.5").unwrap().value,
            toml::Value::Float(2.5)
        );
        assert_eq!(
            Override::parse("a=1h").unwrap().value,
            toml::Value::String("1h".into())
        );
        assert_eq!(
            Override::parse("policy=7x24").unwrap().value,
            toml::Value::String("7x24".into())
        );
        assert_eq!(
            Override::parse("a=\"x y\"").unwrap().value,
            toml::Value::String("x y".into())
        );
        assert!(Override::parse("novalue").is_err());
        assert!(Override::parse("a..b=1").is_err());
        // Whole numbers beyond 64 bits are numbers, not text; other digit strings that
        // TOML refuses stay text.
        for (text, value) in [
            ("99999999999999999999", 1e20),
            ("-9_223_372_036_854_775_809", -(2f64.powi(63))),
        ] {
            assert_eq!(
                Override::parse(&format!("a={text}")).unwrap().value,
                toml::Value::Float(value)
            );
        }
        for text in ["0123", "1__0", "_1", "1_", "+", "12a"] {
            assert_eq!(
                Override::parse(&format!("a={text}")).unwrap().value,
                toml::Value::String(text.into()),
                "{text}"
            );
        }
    }

    #[test]
    fn addresses_arrays_by_name_or_index() {
        let mut d = doc();
        Override::parse("pools.servers.staff=5")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        Override::parse("modes.0.arrivals.rate_per_hour=4.5")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        Override::parse("modes.customers.stages.serve.time.mean=2h")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        Override::parse("horizon_days=800")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        Override::parse("warmup_days=3")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        assert_eq!(d["pools"][0]["staff"].as_integer(), Some(5));
        assert_eq!(
            d["modes"][0]["arrivals"]["rate_per_hour"].as_float(),
            Some(4.5)
        );
        assert_eq!(
            d["modes"][0]["stages"][0]["time"]["mean"].as_str(),
            Some("2h")
        );
        assert_eq!(d["horizon_days"].as_integer(), Some(800));
        assert_eq!(d["warmup_days"].as_integer(), Some(3));
    }

    #[test]
    fn unknown_elements_are_errors() {
        let mut d = doc();
        let e = Override::parse("pools.nobody.staff=5")
            .unwrap()
            .apply(&mut d)
            .unwrap_err();
        assert!(
            e.contains("no element named or numbered \"nobody\"") && e.contains("servers"),
            "{e}"
        );
        let e = Override::parse("horizon_days.x=5")
            .unwrap()
            .apply(&mut d)
            .unwrap_err();
        assert!(e.contains("is a value"), "{e}");
    }
}
