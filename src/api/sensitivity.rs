//! One-at-a-time sensitivity: each varied scenario value run at a low and a high
//! setting, paired with the base run on common random numbers, and ranked by how far
//! the headline clearance (or a policy effect) swings.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::error::Error;
use super::observer::Observer;
use super::outputs::{claim, claim_plots, write_set};
use super::scenarios::{SimSettings, load_one, warn_loaded};
use crate::experiment::compare::Arm;
use crate::experiment::precision::parse_share;
use crate::experiment::sensitivity::{
    BaseRun, Figure, PathSensitivity, Point, SENSITIVITY_SCHEMA, SensitivityDocument, Series, rank,
    swing,
};
use crate::experiment::{RunOptions, settle, simulate};
use crate::report::out_dir::{OutDir, Outputs};
use crate::report::sensitivity::{FIGURES, FIGURES_EFFECT, sensitivity_csv, write_tornado};
use crate::scenario::perturb::{Setting, Varied};
use crate::scenario::{LoadedScenario, Override};

/// The relative change of `--by` when none is given: ∓25 %.
pub const DEFAULT_BY: f64 = 0.25;

/// The files `sensitivity --out` writes.
pub const SENSITIVITY_OUTPUTS: [&str; 2] = ["sensitivity.json", "sensitivity.csv"];

/// What to vary, and where the results go.
#[derive(Clone, Debug)]
pub struct SensitivityRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The `--set` paths to vary, one at a time.
    pub vary: Vec<String>,
    /// The relative change of a path without a range (0 < by < 1; 0.25 is ∓25 %).
    pub by: f64,
    /// Explicit low and high values, `PATH=LOW..HIGH` (PATH one of `vary`).
    pub ranges: Vec<String>,
    /// Two policies A and B: the figure is the effect B − A.
    pub policies: Option<(String, String)>,
    /// Overrides (the base run's values), policy, seed, replications and threads.
    pub sim: SimSettings,
    /// Write `sensitivity.json` and `sensitivity.csv` here.
    pub out: Option<PathBuf>,
    /// Draw the tornado charts here.
    pub plots: Option<PathBuf>,
    /// Let `out` and `plots` replace files portsim did not write there.
    pub force: bool,
}

impl Default for SensitivityRequest {
    fn default() -> SensitivityRequest {
        SensitivityRequest {
            scenario: PathBuf::new(),
            vary: Vec::new(),
            by: DEFAULT_BY,
            ranges: Vec::new(),
            policies: None,
            sim: SimSettings::default(),
            out: None,
            plots: None,
            force: false,
        }
    }
}

/// The analysis: its document.
pub struct SensitivityOutcome {
    /// The `portsim.sensitivity/1` document (what `--json` prints and `--out` writes).
    pub document: SensitivityDocument,
}

/// Parses `--by`: a share such as `25%` or `0.25`, above 0 and below 100 % (at 100 % a
/// value would fall to zero, beyond it below zero).
pub fn parse_by(text: &str) -> Result<f64, String> {
    parse_share("--by", text)
}

/// One path to vary: its value as loaded and its two ends.
struct Plan {
    varied: Varied,
    ends: [Setting; 2],
    from: &'static str,
}

/// A path to vary as asked: dotted, with its `--range` LOW and HIGH as written, if any.
type Asked = (String, Option<(String, String)>);

/// `--range PATH=LOW..HIGH` taken apart.
fn parse_range(text: &str) -> Result<(String, String, String), Error> {
    let expected = || {
        Error::bad_input(format!(
            "--range expects PATH=LOW..HIGH (e.g. pools.servers.staff=2..5, modes.air-cargo.lodgement=30m..2h), got \"{text}\""
        ))
    };
    let (path, values) = text.split_once('=').ok_or_else(expected)?;
    let (low, high) = values.split_once("..").ok_or_else(expected)?;
    let (path, low, high) = (path.trim(), low.trim(), high.trim());
    if path.is_empty() || low.is_empty() || high.is_empty() {
        return Err(expected());
    }
    Ok((path.to_string(), low.to_string(), high.to_string()))
}

/// The request's flags checked before anything loads: the share, the paths, the ranges.
fn checked(request: &SensitivityRequest) -> Result<Vec<Asked>, Error> {
    if !(request.by > 0.0 && request.by < 1.0) {
        return Err(Error::bad_input(format!(
            "--by expects a share between 0 and 100 % (exclusive), got {}",
            request.by
        )));
    }
    if request.policies.is_some() && request.sim.policy.is_some() {
        return Err(Error::bad_input(
            "--policy and --policies together: give one policy to run, or two (A,B) whose effect to vary",
        ));
    }
    if request.vary.is_empty() {
        return Err(Error::bad_input("--vary: give at least one path to vary"));
    }
    let mut paths: Vec<Asked> = Vec::new();
    for path in &request.vary {
        if path.contains('=') {
            return Err(Error::bad_input(format!(
                "--vary takes a path without a value (its values come from --by or --range), got \"{path}\""
            )));
        }
        let dotted = Override::parse(&format!("{path}=0"))
            .map_err(|e| Error::bad_input(format!("--vary {path}: {e}")))?
            .dotted();
        if paths.iter().any(|(p, _)| *p == dotted) {
            return Err(Error::bad_input(format!(
                "--vary {path} is given twice: vary each path once"
            )));
        }
        paths.push((dotted, None));
    }
    for text in &request.ranges {
        let (path, low, high) = parse_range(text)?;
        let dotted = Override::parse(&format!("{path}=0"))
            .map_err(|e| Error::bad_input(format!("--range {text}: {e}")))?
            .dotted();
        let Some((_, range)) = paths.iter_mut().find(|(p, _)| *p == dotted) else {
            return Err(Error::bad_input(format!(
                "--range {text}: {dotted} is not varied; add --vary {dotted}"
            )));
        };
        if range.is_some() {
            return Err(Error::bad_input(format!(
                "--range {text}: {dotted} already has a range; give one per path"
            )));
        }
        *range = Some((low, high));
    }
    Ok(paths)
}

/// Each path's value as loaded and its low and high settings.
fn plan(file: &str, doc: &toml::Table, paths: &[Asked], by: f64) -> Result<Vec<Plan>, Error> {
    // The message names the file and the flag; the error carries both, and the path.
    let located = |flag: String, path: &str, message: String| {
        let mut e = Error::bad_input(format!("{file}: {flag}: {message}"));
        e.file = Some(file.to_string());
        e.key = Some(path.to_string());
        e.flag = Some(flag);
        e
    };
    paths
        .iter()
        .map(|(path, range)| {
            let varied =
                Varied::read(doc, path).map_err(|m| located(format!("--vary {path}"), path, m))?;
            let (ends, from) = match range {
                Some((low, high)) => {
                    let flag = format!("--range {path}={low}..{high}");
                    let at = |text: &str| {
                        varied
                            .explicit(text)
                            .map_err(|m| located(flag.clone(), path, m))
                    };
                    let ends = [at(low)?, at(high)?];
                    if ends[0].figure >= ends[1].figure {
                        return Err(located(
                            flag.clone(),
                            path,
                            format!(
                                "LOW ({}) must be below HIGH ({})",
                                ends[0].shown, ends[1].shown
                            ),
                        ));
                    }
                    (ends, "range")
                }
                None => (
                    varied.relative(by).map_err(|m| {
                        located(format!("--vary {path} (∓{})", percent(by)), path, m)
                    })?,
                    "by",
                ),
            };
            Ok(Plan { varied, ends, from })
        })
        .collect()
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 1e6).round() / 1e4)
}

/// The overrides of a run: the request's, the policy (with two), the varied value.
fn overrides(
    base: &[Override],
    policy: Option<&str>,
    set: Option<(&Plan, usize)>,
) -> Vec<Override> {
    let mut all = base.to_vec();
    if let Some(p) = policy {
        all.push(Override::from_flag(
            "--policies",
            "policy",
            toml::Value::String(p.into()),
        ));
    }
    if let Some((plan, end)) = set {
        let path = &plan.varied.path;
        let mut o = Override::parse(&format!("{path}=0")).expect("checked");
        o.value = plan.ends[end].value.clone();
        o.origin = format!(
            "--vary {path} ({} value {})",
            ["low", "high"][end],
            plan.ends[end].shown
        );
        all.push(o);
    }
    all
}

/// Runs the analysis: every run loads before any runs, the destinations are claimed,
/// the warm-up is settled once (at the base), then the base and each path's low and high
/// runs, with progress and the stop flag between runs.
pub fn sensitivity(
    request: &SensitivityRequest,
    observer: &dyn Observer,
) -> Result<SensitivityOutcome, Error> {
    let paths = checked(request)?;
    let base = request.sim.overrides()?;
    let policies: Vec<Option<&str>> = match &request.policies {
        Some((a, b)) => vec![Some(a.as_str()), Some(b.as_str())],
        None => vec![None],
    };
    let load_with = |overrides: &[Override]| load_one(&request.scenario, overrides);
    let mut bases: Vec<LoadedScenario> = policies
        .iter()
        .map(|p| load_with(&overrides(&base, *p, None)))
        .collect::<Result<_, _>>()?;
    warn_loaded(&bases[0].file, &bases[0].warnings, observer);
    let doc: toml::Table = bases[0]
        .resolved_toml
        .parse()
        .map_err(|e| Error::internal(format!("cannot read the resolved scenario back: {e}")))?;
    let plans = plan(&bases[0].file, &doc, &paths, request.by)?;
    // Every end of every path, for every policy, loads before anything runs.
    let mut ends: Vec<[Vec<LoadedScenario>; 2]> = Vec::with_capacity(plans.len());
    for plan in &plans {
        let mut pair: [Vec<LoadedScenario>; 2] = [Vec::new(), Vec::new()];
        for (end, runs) in pair.iter_mut().enumerate() {
            for p in &policies {
                let loaded = load_with(&overrides(&base, *p, Some((plan, end)))).map_err(|e| {
                    let shown = &plan.ends[end].shown;
                    if e.message.contains(&plan.varied.path) {
                        e
                    } else {
                        e.context(format!(
                            "--vary {} at its {} value {shown}",
                            plan.varied.path,
                            ["low", "high"][end]
                        ))
                    }
                })?;
                runs.push(loaded);
            }
        }
        ends.push(pair);
    }
    let out = match &request.out {
        Some(dir) => Some(claim(
            dir,
            Outputs::Named(&SENSITIVITY_OUTPUTS),
            request.force,
        )?),
        None => None,
    };
    let plots = claim_plots(request.plots.as_deref(), out.as_slice(), request.force)?;
    // One warm-up for every run, settled at the base (policy A's): paired runs count the
    // same window.
    settle(&mut bases[0].model);
    let (warmup, warmup_rule) = (bases[0].model.warmup, bases[0].model.warmup_rule);
    let (seed, replications) = (bases[0].model.seed, bases[0].model.replications);
    if replications == 1 {
        observer.warning(
            "one replication per run: the changes are estimates without confidence intervals",
        );
    }
    let total = ((1 + 2 * plans.len()) * policies.len()) as u64 * u64::from(replications);
    let mut done = 0u64;
    observer.progress(done, total);
    let mut run_point = |runs: &mut [LoadedScenario],
                         what: &str|
     -> Result<(Point, Vec<String>), Error> {
        let mut series = Vec::with_capacity(runs.len());
        let mut unstable = Vec::new();
        for (s, p) in runs.iter_mut().zip(&policies) {
            if observer
                .stop_flag()
                .is_some_and(|f| f.load(Ordering::SeqCst))
            {
                return Err(Error::interrupted(
                    "sensitivity stopped: nothing was written",
                ));
            }
            s.model.warmup = warmup;
            s.model.warmup_rule = warmup_rule;
            let options = RunOptions {
                jobs: request.sim.jobs,
                trace: None,
                progress: None,
            };
            let run = simulate(&s.model, &s.sha256, None, options).map_err(Error::no_threads)?;
            let policy = p.map(|p| format!(", policy {p}")).unwrap_or_default();
            for warning in run.summary.warnings() {
                observer.warning(&format!("{} ({what}{policy}): {warning}", s.file));
            }
            unstable.extend(
                run.summary
                    .unstable_parts()
                    .into_iter()
                    .map(|part| match p {
                        Some(p) => format!("policy {p}: {part}"),
                        None => part,
                    }),
            );
            series.push(Series::of(Arm {
                layout: &run.layout,
                results: &run.results,
            }));
            done += u64::from(replications);
            observer.progress(done, total);
        }
        let mut each = series.into_iter();
        let a = each.next().expect("at least one run");
        Ok((Point { a, b: each.next() }, unstable))
    };
    let (base_point, base_unstable) = run_point(&mut bases, "base")?;
    let mut results = Vec::with_capacity(plans.len());
    for (plan, [low_runs, high_runs]) in plans.iter().zip(ends.iter_mut()) {
        let path = &plan.varied.path;
        let (low, unstable_low) = run_point(low_runs, &format!("{path} = {}", plan.ends[0].shown))?;
        let (high, unstable_high) =
            run_point(high_runs, &format!("{path} = {}", plan.ends[1].shown))?;
        results.push(PathSensitivity {
            rank: 0,
            path: path.clone(),
            kind: plan.varied.kind.name().into(),
            unit: plan.varied.kind.unit().map(String::from),
            from: plan.from.into(),
            base: plan.varied.base.figure,
            low: plan.ends[0].figure,
            high: plan.ends[1].figure,
            low_set: plan.ends[0].shown.clone(),
            high_set: plan.ends[1].shown.clone(),
            mean: swing(&base_point, &low, &high, Figure::Mean),
            p90: swing(&base_point, &low, &high, Figure::P90),
            unstable_low,
            unstable_high,
        });
    }
    observer.finished();
    rank(&mut results);
    let first = &bases[0];
    let document = SensitivityDocument {
        schema: SENSITIVITY_SCHEMA.into(),
        portsim_version: env!("CARGO_PKG_VERSION").into(),
        file: first.file.clone(),
        scenario: first.model.name.clone(),
        policy: match &request.policies {
            Some(_) => None,
            None => first.model.policy.clone(),
        },
        policies: request
            .policies
            .as_ref()
            .map(|(a, b)| [a.clone(), b.clone()]),
        seed,
        replications,
        warmup_hours: warmup.hours(),
        by: request.by,
        figures: if request.policies.is_some() {
            FIGURES_EFFECT
        } else {
            FIGURES
        }
        .into(),
        base: BaseRun {
            figures: base_point.figures(),
            unstable: base_unstable,
        },
        paths: results,
    };
    if let Some(out) = &out {
        let json = document.to_json();
        let csv = sensitivity_csv(&document);
        write_set(
            out,
            &[
                (SENSITIVITY_OUTPUTS[0], json.as_bytes()),
                (SENSITIVITY_OUTPUTS[1], csv.as_bytes()),
            ],
            &[],
        )?;
        observer.note(&format!(
            "{} and {} written",
            out.path().join(SENSITIVITY_OUTPUTS[0]).display(),
            SENSITIVITY_OUTPUTS[1]
        ));
    }
    if let Some(dir) = &plots {
        draw(&document, dir, observer)?;
    }
    Ok(SensitivityOutcome { document })
}

/// Draws the tornado charts into `out` as one set.
fn draw(
    document: &SensitivityDocument,
    out: &OutDir,
    observer: &dyn Observer,
) -> Result<(), Error> {
    let dir: &Path = out.path();
    let cannot =
        |e: std::io::Error| Error::internal(format!("{}: cannot write: {e}", dir.display()));
    let stage = out.stage().map_err(cannot)?;
    let written = write_tornado(document, stage.path()).map_err(|e| {
        Error::internal(e.to_string().replace(
            &stage.path().display().to_string(),
            &dir.display().to_string(),
        ))
    })?;
    out.commit(stage, &[]).map_err(cannot)?;
    observer.note(&format!(
        "{} figures (PNG and SVG) written to {}",
        written.len() / 2,
        dir.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_malformed_ones_say_what_is_expected() {
        assert_eq!(
            parse_range("pools.servers.staff=2..5").unwrap(),
            ("pools.servers.staff".into(), "2".into(), "5".into())
        );
        assert_eq!(
            parse_range(" a.b = 1.5 .. 2.5h ").unwrap(),
            ("a.b".into(), "1.5".into(), "2.5h".into())
        );
        for bad in ["a.b", "a.b=1", "a.b=..2", "=1..2", "a.b=1.."] {
            let e = parse_range(bad).unwrap_err();
            assert!(e.message.contains("PATH=LOW..HIGH"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_share_is_checked() {
        assert_eq!(parse_by("25%").unwrap(), 0.25);
        assert_eq!(parse_by("0.1").unwrap(), 0.1);
        for bad in ["abc", "-5%", "0", "100%", "150%"] {
            assert!(parse_by(bad).unwrap_err().contains("--by"), "{bad}");
        }
    }
}
