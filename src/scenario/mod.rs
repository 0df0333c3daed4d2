//! Scenario files: the TOML format ([`raw`]) and its JSON Schema ([`schema`]), `--set`
//! overrides ([`overrides`]), checking with located errors ([`validate`], [`locate`]), and
//! loading it all into a [`Model`].

pub mod arrival_log;
pub mod duration;
pub mod error;
pub mod formats;
pub mod locate;
pub mod overrides;
pub mod perturb;
pub mod raw;
pub mod regimes;
pub mod schema;
pub mod sweep_file;
pub mod tagged;
pub mod validate;

pub use error::ScenarioError;
pub use overrides::Override;
pub use raw::RawScenario;
pub use schema::scenario_schema;

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::Model;
use locate::{
    KeyPath, Seg, display_path, error_path, line_of, message_key, plain_types, toml_syntax_error,
    unknown_field,
};

/// A scenario read from a file, overrides applied, checked and resolved.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    /// The file, as named by the user.
    pub file: String,
    /// The scenario as written, after overrides.
    pub raw: RawScenario,
    /// The resolved scenario as TOML (what `scenario.toml` holds).
    pub resolved_toml: String,
    /// SHA-256 of `resolved_toml`, hex.
    pub sha256: String,
    /// The model to simulate.
    pub model: Model,
    /// What is legal but most likely not meant (an arrival log with no rows): commands
    /// print these on stderr.
    pub warnings: Vec<String>,
}

/// Reads, overrides and checks the scenario file at `path`.
pub fn load(path: &Path, overrides: &[Override]) -> Result<LoadedScenario, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: file.clone(),
        line: None,
        key: None,
        origin: None,
        message: format!("cannot read the scenario file: {e}"),
    })?;
    load_text(&file, &text, overrides, path.parent())
}

/// Like [`load`], from text; `file` names it in messages, and relative paths in it
/// (arrival logs) are taken from the working directory.
pub fn load_str(
    file: &str,
    text: &str,
    overrides: &[Override],
) -> Result<LoadedScenario, ScenarioError> {
    load_text(file, text, overrides, None)
}

fn load_text(
    file: &str,
    text: &str,
    overrides: &[Override],
    base_dir: Option<&Path>,
) -> Result<LoadedScenario, ScenarioError> {
    let error = |line: Option<usize>,
                 key: Option<String>,
                 origin: Option<String>,
                 message: String| ScenarioError {
        file: file.to_string(),
        line,
        key,
        origin,
        message,
    };
    let mut doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, message) = toml_syntax_error(text, &e);
        error(line, None, None, format!("not valid TOML: {message}"))
    })?;
    // Where each override put its value.
    let mut applied: Vec<(KeyPath, &str)> = Vec::with_capacity(overrides.len());
    for o in overrides {
        let placed = o
            .apply_located(&mut doc)
            .map_err(|m| error(None, Some(o.dotted()), Some(o.origin.clone()), m))?;
        applied.push((placed, &o.origin));
    }

    // Where a problem is: the line in the file, unless a flag put the value there.
    // `unknown_field` names a key the format does not have, if that is the problem.
    // Returns the error, and the override blamed for a problem at a table above its value,
    // if that is how the blame fell (see `own_fault`).
    let locate = |path: &KeyPath, unknown_field: Option<&str>, message: String| {
        let mut path = path.clone();
        if let Some(f) = unknown_field
            && path.last() != Some(&Seg::Key(f.to_string()))
        {
            path.push(Seg::Key(f.to_string()));
        }
        let shown = display_path(&doc, &path);
        // A flag is to blame for a problem at or below the value it set, and, unless
        // `own_fault` finds the file has it too, for one at a table on the way there: a
        // table it created (`--set foo.bar=1`: `foo` is unknown), or a distribution whose
        // mean it set to 0. The latest override of a path wins, as it does when applied.
        let blamed = applied.iter().enumerate().rev().find(|(_, (set, _))| {
            path.starts_with(set) || (!path.is_empty() && set.starts_with(&path))
        });
        let origin = blamed.map(|(_, (_, origin))| origin.to_string());
        let above = blamed
            .filter(|(_, (set, _))| !path.starts_with(set))
            .map(|(i, _)| i);
        let line = if origin.is_some() {
            None
        } else {
            line_of(text, &path)
        };
        let key = if shown.is_empty() { None } else { Some(shown) };
        (error(line, key, origin, message), above, path)
    };
    // A problem at a table above a flag's value may be the file's own (a key the table
    // lacks whatever the flag set, or a value the flag set to what it was): the flag
    // keeps the blame only if the file without it does not have the same problem.
    let own_fault = |(e, above, path): (ScenarioError, Option<usize>, KeyPath)| {
        let Some(i) = above else { return e };
        let others: Vec<Override> = overrides
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, o)| o.clone())
            .collect();
        match load_text(file, text, &others, base_dir) {
            Err(f) if f.key == e.key && f.message == e.message => ScenarioError {
                origin: None,
                line: line_of(text, &path),
                ..e
            },
            _ => e,
        }
    };

    let raw: RawScenario = serde_path_to_error::deserialize(toml::Value::Table(doc.clone()))
        .map_err(|e| {
            let mut path = error_path(e.path());
            // A tagged table's reader names the key below it that the error concerns.
            let (below, message) = message_key(e.inner().message());
            path.extend(below.map(Seg::from));
            let message = plain_types(message.trim());
            let unknown = unknown_field(&message).map(str::to_string);
            let message = if unknown.is_some() {
                format!("{message} (unknown keys are errors)")
            } else {
                message
            };
            own_fault(locate(&path, unknown.as_deref(), message))
        })?;

    let (model, warnings) = validate::validate(&raw, base_dir)
        .and_then(|(model, warnings)| {
            let mut model = regimes::compile(&doc, base_dir, model)?;
            model.prepare_staffing();
            Ok((model, warnings))
        })
        .map_err(|inv| own_fault(locate(&inv.path, None, inv.message)))?;

    let resolved_toml = toml::to_string(&raw).map_err(|e| {
        error(
            None,
            None,
            None,
            format!("cannot write the resolved scenario: {e}"),
        )
    })?;
    let sha256 = Sha256::digest(resolved_toml.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(LoadedScenario {
        file: file.to_string(),
        raw,
        resolved_toml,
        sha256,
        model,
        warnings,
    })
}

// `RawScenario` must deserialize from a `toml::Value` as well as from text.
const _: fn() = || {
    fn assert_de<T: for<'de> Deserialize<'de>>() {}
    assert_de::<RawScenario>();
};
