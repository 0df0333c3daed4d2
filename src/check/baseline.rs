//! Baseline files: the stored results a regression check compares against
//! (`portsim.baseline/1`), one entry per scenario file.

use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::measures::Measure;
use crate::experiment::Summary;
use crate::files::write_atomic;

/// Schema name of a baseline file.
pub const BASELINE_SCHEMA: &str = "portsim.baseline/1";

/// A baseline file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Always [`BASELINE_SCHEMA`].
    pub schema: String,
    /// One entry per scenario file, sorted by file.
    pub entries: Vec<Entry>,
}

/// What one scenario file gave when the baseline was recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The scenario file, relative to the baseline file's directory, `/`-separated.
    pub file: String,
    /// SHA-256 of the scenario file's bytes.
    pub file_sha256: String,
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the resolved scenario (after `--set`), as in the summary.
    pub scenario_sha256: String,
    /// SHA-256 of the summary JSON with `wall_seconds` set to 0: equal hashes mean
    /// byte-identical results.
    pub summary_sha256: String,
    /// The portsim version that recorded it.
    pub portsim_version: String,
    /// Master seed.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
    /// Policy used.
    pub policy: Option<String>,
    /// Whether a pool was overloaded.
    pub unstable: bool,
    /// The overloaded pools, each with the measures that found it so and from when
    /// (absent when none was, and in baselines recorded before it was kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overloaded: Vec<String>,
    /// The compared figures, by summary path.
    pub measures: IndexMap<String, Measure>,
}

impl Entry {
    /// The entry for a finished run of the scenario file `file` (key relative to the
    /// baseline) whose bytes are `file_bytes`.
    pub fn observe(
        file: String,
        file_bytes: &[u8],
        summary: &Summary,
        measures: IndexMap<String, Measure>,
    ) -> Entry {
        Entry {
            file,
            file_sha256: sha256_hex(file_bytes),
            scenario: summary.scenario.clone(),
            scenario_sha256: summary.scenario_sha256.clone(),
            summary_sha256: summary_hash(summary),
            portsim_version: summary.portsim_version.to_string(),
            seed: summary.seed,
            replications: summary.replications,
            policy: summary.policy.clone(),
            unstable: summary.unstable,
            overloaded: summary
                .pools
                .iter()
                .filter(|(_, p)| p.unstable)
                .map(|(name, p)| p.overload_brief(name))
                .collect(),
            measures,
        }
    }
}

/// SHA-256 of the summary JSON apart from its timing (`wall_seconds`).
pub fn summary_hash(summary: &Summary) -> String {
    let mut s = summary.clone();
    s.wall_seconds = 0.0;
    sha256_hex(s.to_json().as_bytes())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a baseline could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no file (yet).
    Missing,
    /// The file is not a baseline; the message says where.
    Invalid(String),
}

impl Baseline {
    /// An empty baseline.
    pub fn new() -> Baseline {
        Baseline {
            schema: BASELINE_SCHEMA.into(),
            entries: Vec::new(),
        }
    }

    /// Reads the baseline at `path`.
    pub fn read(path: &Path) -> Result<Baseline, ReadError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
            Err(e) => {
                return Err(ReadError::Invalid(format!(
                    "{}: cannot read the baseline: {e}",
                    path.display()
                )));
            }
        };
        let invalid = |line: usize, what: String| {
            ReadError::Invalid(format!(
                "{}: line {line}: not a portsim baseline: {what}",
                path.display()
            ))
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| invalid(e.line(), e.to_string()))?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(BASELINE_SCHEMA) => {}
            Some(other) => {
                return Err(invalid(
                    1,
                    format!("schema is \"{other}\", expected \"{BASELINE_SCHEMA}\""),
                ));
            }
            None => return Err(invalid(1, format!("no \"schema\": \"{BASELINE_SCHEMA}\""))),
        }
        // Read from the text (not the value) so a wrong type is placed by line as well
        // as by its path in the document.
        let mut de = serde_json::Deserializer::from_str(&text);
        let baseline: Baseline = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let line = e.inner().line();
            invalid(line, format!("{}: {}", e.path(), e.inner()))
        })?;
        baseline.check().map_err(|(at, what)| {
            ReadError::Invalid(format!(
                "{}: {at}: not a usable baseline: {what}",
                path.display()
            ))
        })?;
        Ok(baseline)
    }

    /// What the types cannot say: each entry has at least one replication and a value
    /// per replication in each figure, and each scenario file has one entry. A problem
    /// comes back with the JSON path of the entry or field.
    fn check(&self) -> Result<(), (String, String)> {
        for (i, e) in self.entries.iter().enumerate() {
            let at = |field: &str| format!("entries[{i}].{field}");
            if let Some(j) = self.entries[..i].iter().position(|f| f.file == e.file) {
                return Err((
                    at("file"),
                    format!(
                        "a second entry for \"{}\" (the first is entries[{j}]); keep one",
                        e.file
                    ),
                ));
            }
            if e.replications == 0 {
                return Err((
                    at("replications"),
                    "expected at least 1 replication, got 0".into(),
                ));
            }
            for (name, m) in &e.measures {
                let (Measure::Sample { values } | Measure::Quantile { values, .. }) = m;
                if values.len() != e.replications as usize {
                    return Err((
                        at(&format!("measures[{name:?}].values")),
                        format!(
                            "{} values for {} replications; expected one per replication",
                            values.len(),
                            e.replications
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Writes the baseline to `path` atomically (entries sorted by file).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut sorted = self.clone();
        sorted.entries.sort_by(|a, b| a.file.cmp(&b.file));
        let mut text = serde_json::to_string_pretty(&sorted).expect("a baseline serialises");
        text.push('\n');
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| std::io::Error::other("the baseline path names no file"))?;
        write_atomic(dir, &name.to_string_lossy(), text.as_bytes())
    }

    /// The entry for `file`, if any.
    pub fn entry(&self, file: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.file == file)
    }

    /// Adds `entry`, replacing the one for the same file.
    pub fn upsert(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.file == entry.file) {
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
    }
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}

/// How a baseline at `baseline` names the scenario file at `scenario`: its path relative
/// to the baseline's directory, `/`-separated, so a baseline can be committed and used
/// from any working directory.
pub fn entry_key(baseline: &Path, scenario: &Path) -> String {
    let absolute = |p: &Path| normalise(&std::path::absolute(p).unwrap_or_else(|_| p.into()));
    let base = absolute(baseline);
    let base_dir = base.parent().unwrap_or(Path::new("/"));
    let target = absolute(scenario);
    let (a, b): (Vec<Component>, Vec<Component>) = (
        base_dir.components().collect(),
        target.components().collect(),
    );
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `p` without `.` and with `..` applied, lexically (symbolic links are not followed).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_relative_to_the_baseline() {
        assert_eq!(
            entry_key(
                Path::new("/r/ci/baseline.json"),
                Path::new("/r/scenarios/a.toml")
            ),
            "../scenarios/a.toml"
        );
        assert_eq!(
            entry_key(
                Path::new("/r/scenarios/baseline.json"),
                Path::new("/r/scenarios/./validation/../b.toml")
            ),
            "b.toml"
        );
    }

    #[test]
    fn relative_paths_resolve_from_the_working_directory() {
        assert_eq!(
            entry_key(Path::new("baseline.json"), Path::new("scenarios/a.toml")),
            "scenarios/a.toml"
        );
    }

    #[test]
    fn upsert_replaces_by_file() {
        let mut b = Baseline::new();
        let entry = |file: &str, seed| Entry {
            file: file.into(),
            file_sha256: String::new(),
            scenario: "s".into(),
            scenario_sha256: String::new(),
            summary_sha256: String::new(),
            portsim_version: String::new(),
            seed,
            replications: 1,
            policy: None,
            unstable: false,
            overloaded: Vec::new(),
            measures: IndexMap::new(),
        };
        b.upsert(entry("a", 1));
        b.upsert(entry("b", 1));
        b.upsert(entry("a", 2));
        assert_eq!(b.entries.len(), 2);
        assert_eq!(b.entry("a").unwrap().seed, 2);
    }

    #[test]
    fn reading_names_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        assert!(matches!(Baseline::read(&p), Err(ReadError::Missing)));
        std::fs::write(&p, "{\n\"schema\": \"portsim.summary/1\"}").unwrap();
        let Err(ReadError::Invalid(m)) = Baseline::read(&p) else {
            panic!()
        };
        assert!(m.contains("expected \"portsim.baseline/1\""), "{m}");
        std::fs::write(
            &p,
            "{\n\"schema\": \"portsim.baseline/1\",\n\"entries\": 3}",
        )
        .unwrap();
        let Err(ReadError::Invalid(m)) = Baseline::read(&p) else {
            panic!()
        };
        assert!(m.contains("line 3"), "{m}");
    }
}
