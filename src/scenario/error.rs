//! Errors in scenario files, located by file, line and key path.

use std::fmt;

/// One problem with a scenario, said once, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (as given on the command line).
    pub file: String,
    /// 1-based line in the file, when the key is written there.
    pub line: Option<usize>,
    /// Dotted key path, arrays of tables addressed by element name (`modes.customers.arrivals`).
    pub key: Option<String>,
    /// The command-line flag that put the offending value there (`--set a.b`,
    /// `--policy`), when it did not come from the file.
    pub origin: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(origin) = &self.origin {
            write!(f, "{origin}: ")?;
        } else if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}
