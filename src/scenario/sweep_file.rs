//! Sweep files: a base scenario and the variants to run of it (DESIGN §4.4).
//!
//! ```toml
//! scenario = "../validation/mmc.toml"   # relative to the sweep file, or absolute
//! replications = 5
//! seed = 1
//! [[axes]]
//! set = "pools.servers.staff"           # any --set path, or "policy"
//! values = [3, 4, 5]
//! ```
//!
//! An axis may move several paths together: `set = ["pools.a.staff", "pools.b.staff"]`,
//! `values = [[3, 2], [4, 3]]` (one column per path). Axes form a full grid, the last
//! axis varying fastest, unless `variants` lists them:
//! `variants = [{ "pools.servers.staff" = 3, policy = "7x24" }, ...]`. Values reach each
//! variant's scenario as overrides: the scenario file, then the sweep file, then the
//! command line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::ScenarioError;
use super::locate::{Seg, error_path, line_of, toml_syntax_error, unknown_field};
use super::overrides::Override;
use super::{LoadedScenario, load};

/// Most variants a sweep file may make (a grid's product of value counts, or a list).
///
/// Every variant's scenario is loaded, checked and kept before anything runs (its model
/// and resolved TOML: tens of kilobytes for the shipped scenarios, more with a replayed
/// arrival log), and `--dry-run` lists them all, so the count bounds memory and the time
/// to start. Ten thousand is far beyond a study one reads — three axes of twenty values
/// make eight thousand — and is checked before a grid is expanded, so a few long axes
/// (six of a hundred values: 10¹² variants) are refused at once.
pub const MAX_VARIANTS: u64 = 10_000;

/// Most jobs (variant × replication pairs) one sweep may plan, counting the most a
/// `--precision` rule could add.
///
/// A planned job costs little (16 bytes in a list, a journal line, its results once it
/// runs), but the list, the progress count and the shards are walked per job, so the
/// count bounds both memory and bookkeeping time before anything is simulated. A million
/// is ten thousand variants of a hundred replications: at a tenth of a second a job,
/// more than a day of an eight-core machine — beyond any study that is not a mistake in
/// a sweep file, which this limit catches in a moment instead of an allocation failure.
pub const MAX_JOBS: u64 = 1_000_000;

/// A sweep file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    name: Option<String>,
    scenario: String,
    replications: Option<u32>,
    seed: Option<u64>,
    axes: Option<Vec<RawAxis>>,
    variants: Option<Vec<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAxis {
    set: AxisSet,
    values: Vec<toml::Value>,
}

/// One path, or several that move together (each value then a list, one per path).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum AxisSet {
    One(String),
    Linked(Vec<String>),
}

/// One axis of a grid, checked: its paths, its rows (a value per path) and the line of
/// the sweep file its values are on.
type GridAxis = (Vec<String>, Vec<Vec<toml::Value>>, Option<usize>);

/// One variant of a sweep: its axis values and its scenario, resolved.
#[derive(Clone, Debug)]
pub struct SweepVariant {
    /// Axis path → value, in column order (a variant listed explicitly may leave some
    /// columns out).
    pub values: Vec<(String, toml::Value)>,
    /// The base scenario with this variant's values (and the command line's) applied.
    pub scenario: LoadedScenario,
}

/// A sweep file read and every variant's scenario loaded and checked.
#[derive(Clone, Debug)]
pub struct LoadedSweep {
    /// The sweep file, as named by the user.
    pub file: String,
    /// The sweep's name (the file's stem unless it says `name`).
    pub name: String,
    /// The axis paths: the results' first columns.
    pub columns: Vec<String>,
    /// The variants, in order: grid order (last axis fastest) or as listed.
    pub variants: Vec<SweepVariant>,
}

/// One variant's values as planned: (path, value, the line of the sweep file it is
/// written on).
type PlannedValues = Vec<(String, toml::Value, Option<usize>)>;

/// The variants a sweep file makes, before their scenarios load.
struct Plan {
    /// The axis paths, in column order.
    columns: Vec<String>,
    /// Each variant's values, in column order.
    variants: Vec<PlannedValues>,
    /// The sweep's shape, for messages about its size: the grid's axes, or a list.
    shape: String,
}

/// The sweep file's text, for errors located in it.
struct SweepText {
    /// The file, as named by the user.
    file: String,
    text: String,
}

impl SweepText {
    fn error(&self, line: Option<usize>, key: Option<&str>, message: String) -> ScenarioError {
        ScenarioError {
            file: self.file.clone(),
            line,
            key: key.map(str::to_string),
            origin: None,
            message,
        }
    }

    /// The line `path` is written on.
    fn line(&self, path: &[Seg]) -> Option<usize> {
        line_of(&self.text, path)
    }

    /// An error at the top-level key `key`.
    fn at_key(&self, key: &str, message: String) -> ScenarioError {
        self.error(self.line(&top(key)), Some(key), message)
    }

    /// "FILE:LINE", or the file alone when the line is not known.
    fn place(&self, line: Option<usize>) -> String {
        match line {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.clone(),
        }
    }
}

/// The path of a top-level key.
fn top(key: &str) -> Vec<Seg> {
    vec![Seg::Key(key.to_string())]
}

/// Reads the sweep file at `path` and loads every variant; `cli` overrides come last.
///
/// A `--set` of a path the sweep varies is refused: it would make the variants equal.
pub fn load_sweep(path: &Path, cli: &[Override]) -> Result<LoadedSweep, ScenarioError> {
    let (sweep, raw) = read_sweep(path)?;
    let plan = match (&raw.axes, &raw.variants) {
        (Some(_), Some(_)) => {
            return Err(sweep.at_key(
                "variants",
                "give either [[axes]] (a full grid) or variants (a list), not both".into(),
            ));
        }
        (None, None) => {
            return Err(sweep.error(
                None,
                None,
                "expected [[axes]] (set = PATH, values = [...]) or variants = [{ PATH = VALUE, ... }, ...]"
                    .into(),
            ));
        }
        (Some(axes), None) => grid(&sweep, axes)?,
        (None, Some(list)) => listed(&sweep, list)?,
    };
    if let Some(o) = cli.iter().find(|o| plan.columns.contains(&o.dotted())) {
        return Err(ScenarioError {
            file: sweep.file.clone(),
            line: None,
            key: None,
            origin: Some(o.origin.clone()),
            message: format!(
                "the sweep varies \"{}\"; a command-line value would make its variants equal",
                o.dotted()
            ),
        });
    }
    let base_dir = path.parent().unwrap_or(Path::new(""));
    let scenario_path = {
        let p = PathBuf::from(&raw.scenario);
        if p.is_absolute() { p } else { base_dir.join(p) }
    };
    let own = sweep_overrides(&sweep, &raw)?;
    let Plan {
        columns,
        variants,
        shape,
    } = plan;
    let count = variants.len();
    let mut loaded = Vec::with_capacity(count);
    let mut jobs: u64 = 0;
    for (i, values) in variants.into_iter().enumerate() {
        let mut overrides = own.clone();
        overrides.extend(values.iter().map(|(path, value, from)| Override {
            path: path.split('.').map(str::to_string).collect(),
            value: value.clone(),
            origin: format!("{}: {path}", sweep.place(*from)),
        }));
        overrides.extend(cli.iter().cloned());
        let scenario = load(&scenario_path, &overrides)
            .map_err(|e| variant_error(&sweep.file, i, &values, &overrides, &scenario_path, e))?;
        // Jobs are counted as the variants load, so a sweep far beyond the limit is
        // refused after a few of them rather than after loading them all.
        jobs += u64::from(scenario.model.replications);
        if jobs > MAX_JOBS {
            let at = if raw.replications.is_some() {
                "replications"
            } else if raw.axes.is_some() {
                "axes"
            } else {
                "variants"
            };
            return Err(sweep.error(
                sweep.line(&top(at)),
                None,
                format!(
                    "{shape} makes {count} variants, and their jobs (variants × replications) pass {MAX_JOBS} by variant {i} ({jobs} jobs so far); at most {MAX_JOBS} are allowed: lower the replications or use fewer variants"
                ),
            ));
        }
        loaded.push(SweepVariant {
            values: values.into_iter().map(|(p, v, _)| (p, v)).collect(),
            scenario,
        });
    }
    let name = raw.name.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sweep".into())
    });
    Ok(LoadedSweep {
        file: sweep.file,
        name,
        columns,
        variants: loaded,
    })
}

/// The sweep file at `path`, read and deserialised, with errors located in it.
fn read_sweep(path: &Path) -> Result<(SweepText, RawSweep), ScenarioError> {
    let mut sweep = SweepText {
        file: path.display().to_string(),
        text: String::new(),
    };
    sweep.text = std::fs::read_to_string(path)
        .map_err(|e| sweep.error(None, None, format!("cannot read the sweep file: {e}")))?;
    let doc: toml::Table = sweep.text.parse().map_err(|e: toml::de::Error| {
        let (line, message) = toml_syntax_error(&sweep.text, &e);
        sweep.error(line, None, format!("not valid TOML: {message}"))
    })?;
    let raw: RawSweep = serde_path_to_error::deserialize(toml::Value::Table(doc)).map_err(|e| {
        let message = super::locate::plain_types(e.inner().message().trim());
        let mut at = error_path(e.path());
        if let Some(f) = unknown_field(&message) {
            at.push(Seg::Key(f.to_string()));
        }
        let key = e.path().to_string();
        let key = (key != ".").then_some(key);
        sweep.error(sweep.line(&at), key.as_deref(), message)
    })?;
    Ok((sweep, raw))
}

/// The variants of a grid: every combination of the axes' values, the last axis varying
/// fastest, counted before anything is expanded.
fn grid(sweep: &SweepText, axes: &[RawAxis]) -> Result<Plan, ScenarioError> {
    if axes.is_empty() {
        return Err(sweep.at_key("axes", "expected at least one axis".into()));
    }
    let mut columns: Vec<String> = Vec::new();
    let mut checked: Vec<GridAxis> = Vec::new();
    for (i, axis) in axes.iter().enumerate() {
        let gathered = grid_axis(sweep, i, axis, &columns)?;
        columns.extend(gathered.0.iter().cloned());
        checked.push(gathered);
    }
    // Counted before anything is expanded: a few long axes multiply into more variants
    // than memory holds.
    let count = checked
        .iter()
        .try_fold(1u64, |n, (_, rows, _)| n.checked_mul(rows.len() as u64));
    let shown: Vec<String> = checked
        .iter()
        .map(|(paths, rows, _)| format!("{} ({} values)", paths.join(" + "), rows.len()))
        .collect();
    let shape = format!("the grid of {}", shown.join(" × "));
    if count.is_none_or(|n| n > MAX_VARIANTS) {
        return Err(sweep.at_key(
            "axes",
            format!(
                "{shape} has {} variants; at most {MAX_VARIANTS} are allowed: use fewer values, or list the variants wanted",
                count.map_or_else(|| "more than 2⁶⁴".to_string(), |n| n.to_string())
            ),
        ));
    }
    let mut variants: Vec<PlannedValues> = vec![Vec::new()];
    for (paths, rows, from) in &checked {
        // Grid order: the last axis varies fastest.
        variants = variants
            .into_iter()
            .flat_map(|v| {
                rows.iter().map(move |xs| {
                    let mut v = v.clone();
                    for (p, x) in paths.iter().zip(xs) {
                        v.push((p.clone(), x.clone(), *from));
                    }
                    v
                })
            })
            .collect();
    }
    Ok(Plan {
        columns,
        variants,
        shape,
    })
}

/// Axis `i` checked (its paths new, not among `columns`) and its rows gathered: a value
/// per path.
fn grid_axis(
    sweep: &SweepText,
    i: usize,
    axis: &RawAxis,
    columns: &[String],
) -> Result<GridAxis, ScenarioError> {
    let at = |k: &str| vec![Seg::Key("axes".into()), Seg::Index(i), Seg::Key(k.into())];
    let error = |k: &str, message: String| {
        sweep.error(sweep.line(&at(k)), Some(&format!("axes[{i}].{k}")), message)
    };
    let paths: Vec<String> = match &axis.set {
        AxisSet::One(p) => vec![p.clone()],
        AxisSet::Linked(ps) => ps.clone(),
    };
    if paths.is_empty() {
        return Err(error(
            "set",
            "expected a path, or a list of paths that move together".into(),
        ));
    }
    for p in &paths {
        check_path(p).map_err(|m| error("set", m))?;
        if columns.contains(p) {
            return Err(error("set", format!("\"{p}\" is already an axis")));
        }
    }
    if axis.values.is_empty() {
        return Err(error("values", "expected at least one value".into()));
    }
    // Each value of a linked axis: a list with one value per path.
    let mut rows: Vec<Vec<toml::Value>> = Vec::new();
    for x in &axis.values {
        match (&axis.set, x) {
            (AxisSet::One(_), x) => rows.push(vec![x.clone()]),
            (AxisSet::Linked(_), toml::Value::Array(xs)) if xs.len() == paths.len() => {
                rows.push(xs.clone())
            }
            (AxisSet::Linked(_), other) => {
                return Err(error(
                    "values",
                    format!(
                        "set names {} paths that move together, so each value must be a list of {} values; got {other}",
                        paths.len(),
                        paths.len()
                    ),
                ));
            }
        }
    }
    Ok((paths, rows, sweep.line(&at("values"))))
}

/// The variants a sweep file lists, each a table of paths and values.
fn listed(sweep: &SweepText, list: &[toml::Table]) -> Result<Plan, ScenarioError> {
    if list.is_empty() {
        return Err(sweep.at_key("variants", "expected at least one variant".into()));
    }
    if list.len() as u64 > MAX_VARIANTS {
        return Err(sweep.at_key(
            "variants",
            format!(
                "{} variants are listed; at most {MAX_VARIANTS} are allowed",
                list.len()
            ),
        ));
    }
    let mut columns: Vec<String> = Vec::new();
    let mut variants = Vec::with_capacity(list.len());
    for (i, table) in list.iter().enumerate() {
        let at = vec![Seg::Key("variants".into()), Seg::Index(i)];
        let from = sweep.line(&at);
        if table.is_empty() {
            return Err(sweep.error(
                from,
                Some(&format!("variants[{i}]")),
                "expected at least one PATH = VALUE".into(),
            ));
        }
        let mut v = Vec::new();
        for (path, value) in table {
            check_path(path)
                .map_err(|m| sweep.error(from, Some(&format!("variants[{i}].\"{path}\"")), m))?;
            if !columns.contains(path) {
                columns.push(path.clone());
            }
            v.push((path.clone(), value.clone(), from));
        }
        variants.push(v);
    }
    // A listed variant's keys come in the table's (alphabetical) order: show them in
    // column order.
    for v in &mut variants {
        v.sort_by_key(|(path, _, _)| columns.iter().position(|c| c == path));
    }
    Ok(Plan {
        columns,
        variants,
        shape: "the listed variants".into(),
    })
}

/// The sweep file's own `replications` and `seed`, as overrides: they sit between the
/// scenario file and the command line.
fn sweep_overrides(sweep: &SweepText, raw: &RawSweep) -> Result<Vec<Override>, ScenarioError> {
    let mut out = Vec::new();
    let origin = |key: &str| sweep.place(sweep.line(&top(key)));
    if let Some(r) = raw.replications {
        if r == 0 {
            return Err(sweep.at_key("replications", "expected at least 1 replication".into()));
        }
        out.push(Override {
            path: vec!["replications".into()],
            value: toml::Value::Integer(i64::from(r)),
            origin: origin("replications"),
        });
    }
    if let Some(s) = raw.seed {
        let s = i64::try_from(s).map_err(|_| {
            sweep.at_key("seed", format!("expected a seed of at most {}", i64::MAX))
        })?;
        out.push(Override {
            path: vec!["seed".into()],
            value: toml::Value::Integer(s),
            origin: origin("seed"),
        });
    }
    Ok(out)
}

/// The error of variant `index` (its `values` applied as `overrides`) of the sweep file
/// `file`: where in the sweep file the variant is (the value to blame, if the problem is
/// at or below it), which values it has, and the scenario's own located message — with
/// the scenario's line of the blamed key rather than the sweep's, as that is said already.
fn variant_error(
    file: &str,
    index: usize,
    values: &[(String, toml::Value, Option<usize>)],
    overrides: &[Override],
    scenario_path: &Path,
    e: ScenarioError,
) -> ScenarioError {
    let shown: Vec<String> = values
        .iter()
        .map(|(path, value, _)| format!("{path} = {value}"))
        .collect();
    // The override the scenario's loader blamed, if it is one of this variant's values.
    let blamed = e.origin.as_ref().and_then(|origin| {
        overrides
            .iter()
            .zip(0..)
            .find(|(o, _)| &o.origin == origin)
            .and_then(|(o, k)| {
                let (_, _, line) = values.iter().find(|(p, _, _)| *p == o.dotted())?;
                Some((k, *line))
            })
    });
    let (line, inner) = match blamed {
        Some((k, line)) => {
            let inner = ScenarioError {
                origin: None,
                line: scenario_line(scenario_path, &overrides[..=k]),
                ..e
            };
            (line, inner)
        }
        None => {
            // Not one value's doing: the variant's line, if its values share one.
            let mut lines: Vec<Option<usize>> = values.iter().map(|(_, _, l)| *l).collect();
            lines.dedup();
            let line = if lines.len() == 1 { lines[0] } else { None };
            (line, e)
        }
    };
    ScenarioError {
        file: file.to_string(),
        line,
        key: None,
        origin: None,
        message: format!("variant {index} ({}): {inner}", shown.join(", ")),
    }
}

/// The line of the scenario file at `path` where the last of `overrides` puts its value,
/// if the file writes that key (the others applied first, as the loader does).
fn scenario_line(path: &Path, overrides: &[Override]) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut doc: toml::Table = text.parse().ok()?;
    let mut placed = None;
    for o in overrides {
        placed = Some(o.apply_located(&mut doc).ok()?);
    }
    line_of(&text, &placed?)
}

/// An axis path: dotted segments, none empty.
fn check_path(path: &str) -> Result<(), String> {
    if path.trim().is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
        Err(format!(
            "expected a dotted scenario path such as \"pools.officers.staff\" or \"policy\", got \"{path}\""
        ))
    } else {
        Ok(())
    }
}

/// An axis value as a results column shows it: strings bare, other values as TOML.
pub fn value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
