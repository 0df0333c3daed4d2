//! Finding where a key path is written in a scenario file.

use toml::de::{DeTable, DeValue};

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A key of a table.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A key path into a scenario document.
pub type KeyPath = Vec<Seg>;

/// The key path of a deserialisation error.
pub fn error_path(path: &serde_path_to_error::Path) -> KeyPath {
    path.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            _ => None,
        })
        .collect()
}

/// The key a deserialisation `message` says the format does not have, if that is the
/// problem ("unknown field `ratee`, expected ...").
pub fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
}

impl From<&str> for Seg {
    fn from(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Seg {
        Seg::Index(i)
    }
}

/// Renders a path the way `--set` addresses it: an array element by its `name` when it
/// has one, else by its index.
pub fn display_path(doc: &toml::Table, path: &[Seg]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(path.len());
    let mut cur: Option<&toml::Value> = None;
    for (i, seg) in path.iter().enumerate() {
        let next = match (seg, cur) {
            (Seg::Key(k), None) if i == 0 => doc.get(k),
            (Seg::Key(k), Some(toml::Value::Table(t))) => t.get(k),
            (Seg::Index(ix), Some(toml::Value::Array(a))) => a.get(*ix),
            _ => None,
        };
        match seg {
            Seg::Key(k) => out.push(k.clone()),
            Seg::Index(ix) => {
                let name = next
                    .and_then(|v| v.get("name"))
                    .and_then(|n| n.as_str())
                    .map(str::to_string);
                out.push(name.unwrap_or_else(|| ix.to_string()));
            }
        }
        cur = next;
    }
    out.join(".")
}

/// The 1-based line where `path` (or its nearest written ancestor) appears in `text`.
pub fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut best: Option<usize> = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for seg in path {
        let found = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(key, v)| (key.span().start, v)),
            (Seg::Index(ix), _, Some(DeValue::Array(a))) => a.get(*ix).map(|v| (v.span().start, v)),
            _ => None,
        };
        let Some((offset, v)) = found else { break };
        best = Some(offset);
        value = Some(v.get_ref());
        table = match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    best.map(|offset| line_at(text, offset))
}

/// The 1-based line of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"x\"\n\n[[modes]]\nname = \"a\"\narrivals = { kind = \"poisson\", rate_per_hour = 1 }\n\n[[modes]]\nname = \"b\"\narrivals = { kind = \"poisson\",\n  rate_per_hour = -1 }\n";

    #[test]
    fn finds_lines_of_nested_keys() {
        assert_eq!(line_of(DOC, &[Seg::from("name")]), Some(1));
        assert_eq!(
            line_of(
                DOC,
                &[
                    Seg::from("modes"),
                    Seg::from(1usize),
                    Seg::from("arrivals"),
                    Seg::from("rate_per_hour")
                ]
            ),
            Some(10)
        );
        assert_eq!(
            line_of(
                DOC,
                &[Seg::from("modes"), Seg::from(0usize), Seg::from("arrivals")]
            ),
            Some(5)
        );
        // A missing key falls back to its nearest written ancestor: here the
        // `[[modes]]` header of the second mode.
        assert_eq!(
            line_of(
                DOC,
                &[Seg::from("modes"), Seg::from(1usize), Seg::from("stages")]
            ),
            Some(7)
        );
    }

    #[test]
    fn displays_elements_by_name() {
        let doc: toml::Table = DOC.parse().unwrap();
        assert_eq!(
            display_path(
                &doc,
                &[
                    Seg::from("modes"),
                    Seg::from(1usize),
                    Seg::from("arrivals"),
                    Seg::from("rate_per_hour")
                ]
            ),
            "modes.b.arrivals.rate_per_hour"
        );
    }
}
