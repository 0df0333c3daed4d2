//! The scenarios a command names, loaded with the overrides its settings ask for.

use std::path::{Path, PathBuf};

use super::error::Error;
use super::observer::Observer;
use crate::scenario::{LoadedScenario, Override, load, load_str};

/// Where a scenario comes from: a file, or TOML text (a notebook's string, say) with a
/// name for messages in place of a file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A scenario file; relative paths in it (arrival logs) are taken from its folder.
    File(PathBuf),
    /// Scenario text; `name` stands for the file in messages, and relative paths in it
    /// are taken from the working directory.
    Text {
        /// What messages call it.
        name: String,
        /// The TOML.
        text: String,
    },
}

impl Source {
    /// What messages call it: the file as given, or the text's name.
    pub fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Text { name, .. } => name.clone(),
        }
    }

    /// Loads the scenario with `overrides`, as the command line loads a file.
    pub fn load(&self, overrides: &[Override]) -> Result<LoadedScenario, Error> {
        match self {
            Source::File(path) => load_one(path, overrides),
            Source::Text { name, text } => load_str(name, text, overrides).map_err(Error::from),
        }
    }
}

/// What every simulating command takes besides its scenarios: values that override the
/// scenario's, and how many worker threads to use.
#[derive(Clone, Debug, Default)]
pub struct SimSettings {
    /// Overrides as `PATH=VALUE` (`pools.servers.staff=5`), applied in order.
    pub set: Vec<String>,
    /// The policy whose rosters to use (the scenario's `policy`).
    pub policy: Option<String>,
    /// The master seed (the scenario's `seed`).
    pub seed: Option<u64>,
    /// Replications (the scenario's `replications`).
    pub replications: Option<u32>,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub jobs: Option<usize>,
}

impl SimSettings {
    /// The overrides asked for, in order: `set` first, then policy, seed, replications —
    /// each named by the flag that gives it, so a bad value is blamed on the flag.
    pub fn overrides(&self) -> Result<Vec<Override>, Error> {
        let mut out = Vec::with_capacity(self.set.len() + 3);
        for s in &self.set {
            out.push(Override::parse(s).map_err(Error::bad_input)?);
        }
        if let Some(p) = &self.policy {
            out.push(Override::from_flag(
                "--policy",
                "policy",
                toml::Value::String(p.clone()),
            ));
        }
        if let Some(seed) = self.seed {
            let seed = i64::try_from(seed)
                .map_err(|_| Error::bad_input(format!("--seed must be at most {}", i64::MAX)))?;
            out.push(Override::from_flag(
                "--seed",
                "seed",
                toml::Value::Integer(seed),
            ));
        }
        if let Some(r) = self.replications {
            out.push(Override::from_flag(
                "--replications",
                "replications",
                toml::Value::Integer(i64::from(r)),
            ));
        }
        Ok(out)
    }
}

/// Loads one scenario file with `overrides`.
pub fn load_one(path: &Path, overrides: &[Override]) -> Result<LoadedScenario, Error> {
    load(path, overrides).map_err(Error::from)
}

/// Loads every scenario (all before any runs), passing on each one's load-time warnings
/// with its file named.
pub fn load_all(
    paths: &[PathBuf],
    overrides: &[Override],
    observer: &dyn Observer,
) -> Result<Vec<LoadedScenario>, Error> {
    let loaded = paths
        .iter()
        .map(|p| load_one(p, overrides))
        .collect::<Result<Vec<_>, _>>()?;
    for s in &loaded {
        warn_loaded(&s.file, &s.warnings, observer);
    }
    Ok(loaded)
}

/// Passes on a scenario's load-time warnings, naming its file.
pub fn warn_loaded(file: &str, warnings: &[String], observer: &dyn Observer) {
    for w in warnings {
        observer.warning(&format!("{file}: {w}"));
    }
}

/// A scenario file's name without its extension (a run's subdirectory of `--out`).
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}
