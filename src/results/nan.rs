//! Figures JSON cannot hold: serde_json writes NaN and infinity as `null`, and a
//! document's numbers that may be undefined read `null` back as NaN, so every document
//! portsim writes reads back as its type.

use serde::{Deserialize, Deserializer};

/// Reads a number, or `null` as NaN (for `#[serde(deserialize_with = "nan_if_null")]`).
pub fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
