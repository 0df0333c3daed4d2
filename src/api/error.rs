//! What went wrong, as a value: its kind (which decides the exit code at the command line,
//! an exception class in Python) and, for bad input, where.

use std::fmt;

use crate::scenario::ScenarioError;

/// The kinds of failure a caller tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input the user gave — a file, a flag, a value — is wrong.
    BadInput,
    /// The work ran and its answer is "no": a check found results moved, a staffing search
    /// found no value meeting the targets, or a run asked to fail on instability was
    /// unstable. Everything was written first.
    NotMet,
    /// The machine, not the input: worker threads that cannot start, an accepted
    /// destination that cannot be written (a full disk), standard output failing.
    Internal,
    /// Stopped by the caller (Ctrl-C); what was finished is kept.
    Interrupted,
}

/// A failure: its kind, one line saying what and where, and the location's parts when
/// the input is at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Which kind of failure.
    pub kind: ErrorKind,
    /// One line, naming the file (and line, key or flag) when there is one.
    pub message: String,
    /// The file at fault, as named by the user.
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// Dotted key path in `file`.
    pub key: Option<String>,
    /// The flag that gave the offending value (`--set a.b`, `--policy`).
    pub flag: Option<String>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            file: None,
            line: None,
            key: None,
            flag: None,
        }
    }

    /// Bad input, said in `message`.
    pub fn bad_input(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::BadInput, message)
    }

    /// A "no" answer (see [`ErrorKind::NotMet`]).
    pub fn not_met(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::NotMet, message)
    }

    /// A failure of the machine (see [`ErrorKind::Internal`]).
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal, message)
    }

    /// Stopped by the caller.
    pub fn interrupted(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Interrupted, message)
    }

    /// Worker threads that could not start.
    pub fn no_threads(e: impl fmt::Display) -> Error {
        Error::internal(format!("cannot start worker threads: {e}"))
    }

    /// The same error with `context: ` before its message (the location is kept).
    pub fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Error {
        Error {
            kind: ErrorKind::BadInput,
            message: e.to_string(),
            file: Some(e.file),
            line: e.line,
            key: e.key,
            flag: e.origin,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_error_keeps_its_location_and_its_one_line() {
        let e = ScenarioError {
            file: "a.toml".into(),
            line: Some(3),
            key: Some("pools.x.staff".into()),
            origin: None,
            message: "expected a whole number".into(),
        };
        let line = e.to_string();
        let err = Error::from(e);
        assert_eq!(err.kind, ErrorKind::BadInput);
        assert_eq!(err.message, line);
        assert_eq!(err.file.as_deref(), Some("a.toml"));
        assert_eq!(err.line, Some(3));
        assert_eq!(err.key.as_deref(), Some("pools.x.staff"));
        assert_eq!(err.flag, None);
    }

    #[test]
    fn context_goes_before_the_message() {
        let e = Error::bad_input("no such pool").context("at N = 3");
        assert_eq!(e.to_string(), "at N = 3: no such pool");
    }
}
