//! Tables whose keys depend on a tag (`dist = "gamma"`, `kind = "poisson"`), read with
//! errors at the key they concern.
//!
//! serde reads an internally tagged enum from a buffered copy of the table, so a wrong
//! value inside it would be reported at the table, not at its key. Such a table is read
//! in two steps instead: first into the keys any of its kinds may have, each with its type
//! (a wrong value, an unknown key: located as anywhere else); then into the enum, whose
//! serde derive says which kind the tag names and which of the keys that kind takes. An
//! error of the second step names its key (the tag, a key of another kind, a missing one)
//! with [`keyed_message`], which the loader turns into a place in the file.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer, Serialize};

use super::locate::keyed_message;

/// A tagged enum of the raw layer, read through its keys.
pub trait Tagged: DeserializeOwned {
    /// The tag's key: `dist`, `kind`.
    const TAG: &'static str;
    /// What the tag names, in messages: "distribution", "arrival kind".
    const WHAT: &'static str;
    /// Every key any of the kinds takes, the tag among them, each with its type.
    type Keys: DeserializeOwned + Serialize;

    /// The message for the unknown tag value `name`, given the known ones.
    fn unknown(name: &str, known: &[&str]) -> String {
        format!(
            "unknown {} \"{name}\": expected one of {}",
            Self::WHAT,
            known.join(", ")
        )
    }

    /// The message for the key `key` that the kind `tag` needs and the table lacks.
    fn missing(tag: &str, key: &str) -> String {
        format!("{} = \"{tag}\" needs `{key}`", Self::TAG)
    }
}

/// Reads a `T` with located errors: `#[serde(deserialize_with = "tagged::read")]`.
pub fn read<'de, D: Deserializer<'de>, T: Tagged>(d: D) -> Result<T, D::Error> {
    let keys = T::Keys::deserialize(d)?;
    let table = toml::Value::try_from(&keys).map_err(D::Error::custom)?;
    let tag = table
        .get(T::TAG)
        .and_then(toml::Value::as_str)
        .unwrap_or("");
    T::deserialize(table.clone()).map_err(|e| {
        let (key, message) = explain::<T>(tag, e.message());
        D::Error::custom(keyed_message(key.as_deref(), &message))
    })
}

/// [`read`] for an optional key: `#[serde(default, deserialize_with = "tagged::some")]`.
pub fn some<'de, D: Deserializer<'de>, T: Tagged>(d: D) -> Result<Option<T>, D::Error> {
    read(d).map(Some)
}

/// The names in backquotes in `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The names the tag may take, as serde lists them for an unknown one.
fn kinds<T: Tagged>() -> Vec<String> {
    let mut probe = toml::Table::new();
    probe.insert(T::TAG.to_string(), toml::Value::String(String::new()));
    match T::deserialize(toml::Value::Table(probe)) {
        Err(e) => quoted(e.message().split_once(", expected").map_or("", |(_, l)| l))
            .into_iter()
            .map(str::to_string)
            .collect(),
        Ok(_) => Vec::new(),
    }
}

/// The key a message of serde's about a tagged table concerns, and the message in this
/// format's words, for a table tagged `tag`.
fn explain<T: Tagged>(tag: &str, message: &str) -> (Option<String>, String) {
    let (head, expected) = message.split_once(", expected").unwrap_or((message, ""));
    let Some(&name) = quoted(head).first() else {
        return (None, message.to_string());
    };
    let (tag_key, what) = (T::TAG, T::WHAT);
    if head.starts_with("unknown variant") {
        return (
            Some(tag_key.to_string()),
            T::unknown(name, &quoted(expected)),
        );
    }
    if head.starts_with("unknown field") {
        let takes = quoted(expected);
        let takes = if takes.is_empty() {
            "no other keys".to_string()
        } else {
            takes.join(", ")
        };
        let message = format!("`{name}` is not a key of {tag_key} = \"{tag}\" (it takes: {takes})");
        return (Some(name.to_string()), message);
    }
    if head.starts_with("missing field") {
        let message = if name == tag_key {
            format!(
                "expected `{tag_key}`, the {what}: one of {}",
                kinds::<T>().join(", ")
            )
        } else {
            T::missing(tag, name)
        };
        return (Some(name.to_string()), message);
    }
    (None, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::locate::message_key;
    use crate::scenario::raw::{RawArrivals, RawDurationDist};

    /// The inline table `text` as a TOML value.
    fn table(text: &str) -> toml::Value {
        toml::from_str::<toml::Table>(&format!("x = {text}")).unwrap()["x"].clone()
    }

    /// The key and message of the error of reading `text` as a `T`.
    fn error<T: Tagged + std::fmt::Debug>(text: &str) -> (Option<String>, String) {
        let e = read::<_, T>(table(text)).expect_err(text);
        let (key, message) = message_key(e.message());
        (key.map(str::to_string), message.to_string())
    }

    fn expect(key: &str, message: &str) -> (Option<String>, String) {
        (Some(key.to_string()), message.to_string())
    }

    #[test]
    fn an_error_names_the_key_it_concerns() {
        assert_eq!(
            error::<RawDurationDist>(r#"{ dist = "exp", mean = "1h" }"#),
            expect(
                "dist",
                "unknown distribution \"exp\": expected one of exponential, deterministic, uniform, triangular, lognormal, gamma, empirical"
            )
        );
        assert_eq!(
            error::<RawDurationDist>(r#"{ dist = "exponential", mean = "1h", cv = 1 }"#),
            expect(
                "cv",
                "`cv` is not a key of dist = \"exponential\" (it takes: mean)"
            )
        );
        assert_eq!(
            error::<RawDurationDist>(r#"{ dist = "uniform", min = "1h" }"#),
            expect("max", "dist = \"uniform\" needs `max`")
        );
        assert_eq!(
            error::<RawArrivals>(r#"{ kind = "list" }"#),
            expect(
                "at",
                "list arrivals need `at = [\"2024-01-05 17:30\", ...]`"
            )
        );
        assert_eq!(
            error::<RawArrivals>(r#"{ kind = "poison" }"#),
            expect(
                "kind",
                "unknown arrival kind \"poison\": expected \"poisson\", \"timetable\", \"list\" or \"trace\""
            )
        );
    }

    #[test]
    fn a_table_reads_and_writes_back_as_written() {
        let text = r#"{ dist = "gamma", mean = "1h", cv = 0.5 }"#;
        let dist: RawDurationDist = read(table(text)).unwrap();
        assert!(matches!(dist, RawDurationDist::Gamma { cv, .. } if cv == 0.5));
        assert_eq!(toml::Value::try_from(&dist).unwrap(), table(text));
    }
}
