//! The verdict of `--fail-on-unstable`: every result was written; any unstable one makes
//! the answer "no".

use super::error::Error;

/// `Err` ([`NotMet`](super::ErrorKind::NotMet)) with one line naming each unstable
/// result and what made it so, from `(what, parts)` pairs of
/// [`Summary::unstable_parts`](crate::experiment::Summary::unstable_parts); `Ok` when none
/// is unstable.
pub fn fail_on_unstable(results: &[(String, Vec<String>)]) -> Result<(), Error> {
    let named: Vec<String> = results
        .iter()
        .filter(|(_, parts)| !parts.is_empty())
        .map(|(what, parts)| format!("{what} ({})", parts.join(", ")))
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    Err(Error::not_met(format!(
        "--fail-on-unstable: unstable: {} (results were written in full)",
        named.join("; ")
    )))
}
