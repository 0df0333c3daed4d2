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

/// A deserialisation `message` in a planner's words: serde names Rust types ("invalid
/// type: string \"four\", expected i64"); a scenario's reader is told what was found and
/// what kind of value the key takes ("found the text \"four\", expected a whole
/// number"). Messages of any other shape are returned as they are.
pub fn plain_types(message: &str) -> String {
    const EXPECTED: [(&str, &str); 11] = [
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i16", "expected a whole number"),
        ("expected i8", "expected a whole number"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u16", "expected a whole number, 0 or more"),
        ("expected u8", "expected a whole number, 0 or more"),
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
    ];
    const FOUND: [(&str, &str); 6] = [
        ("invalid type: string ", "found the text "),
        ("invalid type: floating point ", "found the decimal number "),
        ("invalid type: integer ", "found the whole number "),
        ("invalid type: boolean ", "found the true/false value "),
        ("invalid value: integer ", "found "),
        ("invalid value: floating point ", "found "),
    ];
    let mut out = message.to_string();
    // A whole number too large for 64 bits arrives as a decimal (`1e20`): say so, not
    // that it is a decimal, where a whole number is expected.
    if let Some(found) = message
        .strip_prefix("invalid type: floating point `")
        .and_then(|rest| rest.split_once("`, expected "))
        .filter(|(_, expected)| expected.starts_with('i') || expected.starts_with('u'))
        .map(|(found, _)| found)
        .filter(|found| {
            found
                .parse::<f64>()
                .is_ok_and(|x| x.fract() == 0.0 && x.abs() >= 2f64.powi(63))
        })
    {
        let size = if found.starts_with('-') {
            format!("too far below zero (whole numbers go down to {})", i64::MIN)
        } else {
            format!("too large (whole numbers go up to {})", i64::MAX)
        };
        out = message.replacen(
            &format!("invalid type: floating point `{found}`"),
            &format!("found a whole number {size}"),
            1,
        );
    }
    if let Some((stem, plain)) = EXPECTED
        .iter()
        .find_map(|(rust, plain)| out.strip_suffix(rust).map(|stem| (stem, plain)))
    {
        out = format!("{stem}{plain}");
    }
    if let Some((rest, plain)) = FOUND
        .iter()
        .find_map(|(serde, plain)| out.strip_prefix(serde).map(|rest| (rest, plain)))
    {
        out = format!("{plain}{rest}");
    }
    out
}

/// The key a deserialisation `message` says the format does not have, if that is the
/// problem ("unknown field `ratee`, expected ...").
pub fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
}

/// Marks the key below the table being read that a deserialisation error concerns (see
/// [`keyed_message`]); a control character, so no message of serde's starts with it.
const KEY_MARK: char = '\u{1}';

/// A deserialisation error's message about `key` of the table being read, which the
/// deserialiser can only place at the table: [`message_key`] takes the key back out.
pub fn keyed_message(key: Option<&str>, message: &str) -> String {
    match key {
        Some(key) => format!("{KEY_MARK}{key}{KEY_MARK}{message}"),
        None => message.to_string(),
    }
}

/// The key a [`keyed_message`] concerns, if it names one, and its message.
pub fn message_key(message: &str) -> (Option<&str>, &str) {
    message
        .strip_prefix(KEY_MARK)
        .and_then(|rest| rest.split_once(KEY_MARK))
        .map_or((None, message), |(key, message)| (Some(key), message))
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

/// Dotted parts of a key the TOML parser reads; one more is its "recursion limit" (the
/// `toml` crate's `LIMIT`, which that error does not place).
const TOML_KEY_DEPTH: usize = 80;

/// Where a TOML syntax error is, and what it is: the parser's span when it gives one;
/// for a key nested past its recursion limit, which it reports without a span, the first
/// line with a key of more dotted parts than it reads.
pub fn toml_syntax_error(text: &str, e: &toml::de::Error) -> (Option<usize>, String) {
    let message = e.message().trim().to_string();
    if let Some(span) = e.span() {
        // The parser says "duplicate key" and points at it: name it, as it is written.
        let key = text
            .get(span.clone())
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 200 && !k.contains('\n') && !k.contains('='));
        let header = text[..span.start]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.trim_start().starts_with('['));
        let message = match key {
            Some(key) if message == "duplicate key" && header => {
                format!("the table `[{key}]` is defined twice")
            }
            Some(key) if message == "duplicate key" => {
                format!("duplicate key `{key}`: it is given twice in the same table")
            }
            // An integer beyond 64 bits: the parser names its own wider type.
            _ if message.starts_with("invalid type: integer `")
                && message.contains("` as i128") =>
            {
                let number = message
                    .trim_start_matches("invalid type: integer `")
                    .split('`')
                    .next()
                    .unwrap_or("");
                let size = if number.starts_with('-') {
                    format!("too far below zero (whole numbers go down to {})", i64::MIN)
                } else {
                    format!("too large (whole numbers go up to {})", i64::MAX)
                };
                format!("the whole number {number} is {size}")
            }
            _ => message,
        };
        return (Some(line_at(text, span.start)), message);
    }
    if message == "recursion limit" {
        let line = text
            .lines()
            .position(|l| longest_dotted_key(l) > TOML_KEY_DEPTH)
            .map(|i| i + 1);
        let message = format!(
            "a key of more than {TOML_KEY_DEPTH} dotted parts (a table header or a dotted key) is nested deeper than the parser reads"
        );
        return (line, message);
    }
    (None, message)
}

/// The most parts of a dotted key (`a.b."c.d"`) on a line: runs of bare or quoted keys
/// joined by dots, outside strings that are not keys. Good enough to find a line whose
/// key the parser refused; it is not a TOML parser.
fn longest_dotted_key(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut best, mut run, mut i) = (0, 0, 0);
    // Whether the previous token was a key part followed by a dot (the run continues).
    let mut after_dot = false;
    while i < bytes.len() {
        let c = bytes[i];
        let part_end = if c == b'"' || c == b'\'' {
            // A quoted part (or a string value): to its closing quote.
            let close = bytes[i + 1..]
                .iter()
                .position(|&b| b == c)
                .map_or(bytes.len(), |p| i + 1 + p + 1);
            Some(close)
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
            let len = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                .count();
            Some(i + len)
        } else {
            None
        };
        match part_end {
            Some(end) => {
                run = if after_dot { run + 1 } else { 1 };
                best = best.max(run);
                i = end;
                // Spaces may surround the dot.
                let mut j = i;
                while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                    j += 1;
                }
                after_dot = j < bytes.len() && bytes[j] == b'.';
                if after_dot {
                    i = j + 1;
                    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                        i += 1;
                    }
                }
            }
            None => {
                after_dot = false;
                i += 1;
            }
        }
    }
    best
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

    #[test]
    fn a_duplicate_key_or_table_is_named_at_its_second_line() {
        for (text, line, message) in [
            (
                "seed = 1\nname = \"x\"\nseed = 2\n",
                3,
                "duplicate key `seed`: it is given twice in the same table",
            ),
            (
                "[pools]\nstaff = 1\n[pools]\nstaff = 2\n",
                3,
                "the table `[pools]` is defined twice",
            ),
        ] {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            assert_eq!(
                toml_syntax_error(text, &e),
                (Some(line), message.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn serde_types_are_said_in_words() {
        for (serde, plain) in [
            (
                "invalid type: string \"four\", expected i64",
                "found the text \"four\", expected a whole number",
            ),
            (
                "invalid type: floating point `2.5`, expected u32",
                "found the decimal number `2.5`, expected a whole number, 0 or more",
            ),
            (
                "invalid type: string \"abc\", expected f64",
                "found the text \"abc\", expected a number",
            ),
            (
                "invalid value: integer `-3`, expected u64",
                "found `-3`, expected a whole number, 0 or more",
            ),
            (
                "invalid type: boolean `true`, expected a string",
                "found the true/false value `true`, expected a string",
            ),
            (
                "invalid type: floating point `100000000000000000000.0`, expected i64",
                "found a whole number too large (whole numbers go up to 9223372036854775807), expected a whole number",
            ),
            (
                "invalid type: floating point `-1e19`, expected u32",
                "found a whole number too far below zero (whole numbers go down to -9223372036854775808), expected a whole number, 0 or more",
            ),
            (
                "invalid type: floating point `1e20`, expected f64",
                "found the decimal number `1e20`, expected a number",
            ),
            // Others as they are.
            ("unknown field `ratee`", "unknown field `ratee`"),
            ("expected i64 somewhere", "expected i64 somewhere"),
        ] {
            assert_eq!(plain_types(serde), plain);
        }
    }

    #[test]
    fn integers_beyond_64_bits_are_too_large() {
        for (value, words) in [
            (
                "99999999999999999999",
                "the whole number 99999999999999999999 is too large (whole numbers go up to 9223372036854775807)",
            ),
            (
                "-99999999999999999999",
                "the whole number -99999999999999999999 is too far below zero (whole numbers go down to -9223372036854775808)",
            ),
        ] {
            let text = format!("x = 1\nstaff = {value}\n");
            let e = text.parse::<toml::Table>().unwrap_err();
            assert_eq!(toml_syntax_error(&text, &e), (Some(2), words.to_string()));
        }
    }

    #[test]
    fn keys_nested_past_the_parser_name_their_line() {
        let deep = vec!["a"; 100].join(".");
        for (text, line) in [
            (format!("x = 1\n\n{deep} = 1\n"), 3),
            (format!("x = 1\n[{deep}]\n"), 2),
            (format!("x = 1\n[[{deep}]]\n"), 2),
            (
                format!("x = 1\ny = {{ {} = 1 }}\n", vec!["\"a.b\""; 90].join(" . ")),
                2,
            ),
        ] {
            let e = text.parse::<toml::Table>().unwrap_err();
            let (at, message) = toml_syntax_error(&text, &e);
            assert_eq!(at, Some(line), "{text}: {message}");
            assert!(message.contains("more than 80 dotted parts"), "{message}");
        }
        // Numbers and strings are not keys.
        assert_eq!(longest_dotted_key("x = [1.5, 2.5, 3.5]"), 2);
        assert_eq!(longest_dotted_key("a.b = \"c.d.e.f\""), 2);
    }

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
