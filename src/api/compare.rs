//! Comparing two policies of one scenario, or two scenarios: both sides loaded and
//! checked to pair, run with common random numbers (or, independent, with a derived
//! seed), and compared replication by replication.

use std::path::PathBuf;

use super::error::Error;
use super::observer::{Observer, Offset};
use super::outputs::{claim, claim_plots, draw, write_set};
use super::run::{shared_days, simulate_observed_from};
use super::scenarios::{SimSettings, Source, warn_loaded};
use crate::engine::SimTime;
use crate::experiment::compare::replication_values;
use crate::experiment::{
    Arm, Comparison, Pairing, SummarizedRun, compare, independent_seed, settle,
};
use crate::report::compare::{CompareReport, Side};
use crate::report::compare_csv::compare_csv;
use crate::report::out_dir::Outputs;
use crate::report::plots::PlotInput;
use crate::results::compare::CompareDocument;
use crate::scenario::{LoadedScenario, Override};

/// What to compare.
#[derive(Clone, Debug, Default)]
pub struct CompareRequest {
    /// One scenario file (with `policies`) or two, A and B.
    pub scenarios: Vec<PathBuf>,
    /// The two policies of the one scenario, A and B.
    pub policies: Option<(String, String)>,
    /// Overrides (both sides) and threads; no policy (the sides name theirs).
    pub sim: SimSettings,
    /// Overrides of side A alone, then of side B alone (`--set-a`, `--set-b`:
    /// `PATH=VALUE`): one scenario against itself with a value changed.
    pub only: [Vec<String>; 2],
    /// Run B with a seed derived from A's and compare unpaired (Welch).
    pub independent: bool,
    /// Draw both sides' figures and `report.html` here.
    pub plots: Option<PathBuf>,
    /// Write [`COMPARE_OUTPUTS`] here: the comparison with every replication's values
    /// and both summaries, the tidy CSV and each side's resolved scenario.
    pub out: Option<PathBuf>,
    /// Let `out` and `plots` replace files portsim did not write there.
    pub force: bool,
}

/// The files `compare --out` writes.
pub const COMPARE_OUTPUTS: [&str; 4] = [
    "compare.json",
    "compare.csv",
    "scenario-a.toml",
    "scenario-b.toml",
];

/// Both sides and their comparison.
pub struct CompareOutcome {
    /// What identifies A and B.
    pub sides: [Side; 2],
    /// A's and B's runs.
    pub runs: [SummarizedRun; 2],
    /// B against A.
    pub comparison: Comparison,
}

impl CompareOutcome {
    /// The comparison as its report borrows it.
    pub fn report(&self) -> CompareReport<'_> {
        CompareReport {
            a: &self.sides[0],
            b: &self.sides[1],
            comparison: &self.comparison,
        }
    }

    /// `(side, what made it unstable)` for each side, for
    /// [`fail_on_unstable`](super::unstable::fail_on_unstable).
    pub fn unstable_parts(&self) -> Vec<(String, Vec<String>)> {
        ["A", "B"]
            .into_iter()
            .zip(&self.sides)
            .zip(&self.runs)
            .map(|((name, side), run)| {
                (
                    format!(
                        "side {name}: {}{}",
                        side.file,
                        policy_note(side.policy.as_deref())
                    ),
                    run.summary.unstable_parts(),
                )
            })
            .collect()
    }
}

/// The two policies named by `A,B`.
pub fn parse_policies(text: &str) -> Result<(String, String), Error> {
    let names: Vec<&str> = text.split(',').map(str::trim).collect();
    match names.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() && a != b => Ok((a.to_string(), b.to_string())),
        [a, b] if !a.is_empty() && a == b => Err(Error::bad_input(format!(
            "--policies names \"{a}\" twice: give two different policies, A,B"
        ))),
        _ => Err(Error::bad_input(format!(
            "--policies expects two policies separated by a comma, A,B (B is compared against A); got \"{text}\""
        ))),
    }
}

fn with(base: &[Override], extra: Override) -> Vec<Override> {
    let mut out = base.to_vec();
    out.push(extra);
    out
}

fn policy_override(name: &str) -> Override {
    Override::from_flag("--policies", "policy", toml::Value::String(name.into()))
}

/// " (policy NAME)" when a side runs a policy, to name it in messages.
fn policy_note(policy: Option<&str>) -> String {
    policy.map(|p| format!(" (policy {p})")).unwrap_or_default()
}

/// Each side's source and overrides, as the request names them.
fn inputs<'s>(
    sources: &'s [Source],
    request: &CompareRequest,
) -> Result<[(&'s Source, Vec<Override>); 2], Error> {
    let [a, b] = sides(sources, request)?;
    let own = |flag: &str, sets: &[String]| -> Result<Vec<Override>, Error> {
        sets.iter()
            .map(|text| {
                let mut o = Override::parse(text).map_err(|m| Error {
                    flag: Some(flag.to_string()),
                    ..Error::bad_input(m.replace("--set", flag))
                })?;
                o.origin = format!("{flag} {}", o.dotted());
                Ok(o)
            })
            .collect()
    };
    let (oa, ob) = (
        own("--set-a", &request.only[0])?,
        own("--set-b", &request.only[1])?,
    );
    Ok([
        (a.0, a.1.into_iter().chain(oa).collect()),
        (b.0, b.1.into_iter().chain(ob).collect()),
    ])
}

/// Each side's source and the overrides both sides share, before `--set-a`/`--set-b`.
fn sides<'s>(
    sources: &'s [Source],
    request: &CompareRequest,
) -> Result<[(&'s Source, Vec<Override>); 2], Error> {
    let base = request.sim.overrides()?;
    let own = request.only.iter().any(|o| !o.is_empty());
    match (sources, &request.policies) {
        ([file], Some((pa, pb))) => Ok([
            (file, with(&base, policy_override(pa))),
            (file, with(&base, policy_override(pb))),
        ]),
        ([file], None) if own => Ok([(file, base.clone()), (file, base)]),
        ([file], None) => Err(Error::bad_input(format!(
            "{}: comparing within one scenario needs --policies A,B (two policies), or a value changed on one side (--set-a / --set-b PATH=VALUE); or give two scenario files, A and B",
            file.name()
        ))),
        ([a, b], None) => Ok([(a, base.clone()), (b, base)]),
        ([_, _], Some(_)) => Err(Error::bad_input(
            "--policies compares two policies of one scenario; with two scenario files (A and B) leave it out",
        )),
        _ => Err(Error::bad_input(
            "compare takes one scenario file with two policies, or two scenario files",
        )),
    }
}

/// Loads both sides, refusing sides that cannot pair; with `independent`, B is loaded
/// again with its derived seed.
fn load_sides(
    sources: &[Source],
    request: &CompareRequest,
    observer: &dyn Observer,
) -> Result<[LoadedScenario; 2], Error> {
    let [(fa, oa), (fb, ob)] = inputs(sources, request)?;
    let a = fa.load(&oa)?;
    let mut b = fb.load(&ob)?;
    // Load-time warnings (an arrival log without rows), once per file.
    warn_loaded(&a.file, &a.warnings, observer);
    if b.file != a.file {
        warn_loaded(&b.file, &b.warnings, observer);
    }
    for (what, x, y) in [
        ("seed", a.model.seed, b.model.seed),
        (
            "replications",
            u64::from(a.model.replications),
            u64::from(b.model.replications),
        ),
    ] {
        if x != y {
            return Err(Error::bad_input(format!(
                "{} and {} differ in {what} ({x} vs {y}): paired replications need the same seed and replications on both sides; set them with --seed N --replications R",
                a.file, b.file
            )));
        }
    }
    if request.independent {
        let seed = independent_seed(a.model.seed);
        let seed = i64::try_from(seed).expect("independent seeds stay below 2^63");
        let seed = Override::from_flag("--independent", "seed", toml::Value::Integer(seed));
        b = fb.load(&with(&ob, seed))?;
    }
    Ok([a, b])
}

/// Runs A and B and compares them; draws both sides' figures when asked.
pub fn compare_sides(
    request: &CompareRequest,
    observer: &dyn Observer,
) -> Result<CompareOutcome, Error> {
    let sources: Vec<Source> = request
        .scenarios
        .iter()
        .cloned()
        .map(Source::File)
        .collect();
    compare_sources(&sources, request, observer)
}

/// [`compare_sides`] with the scenarios given as sources (files or text) in place of
/// `request.scenarios`: one source with two policies or a value changed on one side, or
/// two sources, A and B. `observer` hears the progress of both sides' replications as one count
/// and may stop the work between replications.
pub fn compare_sources(
    sources: &[Source],
    request: &CompareRequest,
    observer: &dyn Observer,
) -> Result<CompareOutcome, Error> {
    if request.sim.policy.is_some() {
        return Err(Error::bad_input(
            "compare takes no --policy: name the two policies with --policies A,B, or give two scenario files",
        ));
    }
    let outs = match &request.out {
        Some(dir) => vec![claim(dir, Outputs::Named(&COMPARE_OUTPUTS), request.force)?],
        None => Vec::new(),
    };
    let plots = claim_plots(request.plots.as_deref(), &outs, request.force)?;
    let mut sides = load_sides(sources, request, observer)?;
    // `warmup = "auto"`: each side's warm-up is estimated as `portsim run` would.
    for s in &mut sides {
        settle(&mut s.model);
    }
    // Sides that differ only from some date on (a regime switched on, a peak's extra
    // hands) run the days before it once: A's replications are stopped there and both
    // sides continue them — the same figures, bit for bit, as each run from the start.
    let stopped = match (sides[0].model)
        .runs_alike_until(&sides[1].model)
        .filter(|&t| t > SimTime::ZERO)
    {
        Some(at) => Some(shared_days(
            &sides[0].model,
            at,
            request.sim.jobs,
            observer,
            Some("the two sides run alike until {}: the days before it run once"),
            "the days both sides share",
        )?),
        None => None,
    };
    // One progress display for both sides' replications.
    let total = sides.iter().map(|s| u64::from(s.model.replications)).sum();
    let run_side = |s: &LoadedScenario, before: u64| -> Result<SummarizedRun, Error> {
        let whole = Offset {
            inner: observer,
            before,
            total,
        };
        let run = simulate_observed_from(
            &s.model,
            stopped.as_deref(),
            &s.sha256,
            request.sim.jobs,
            &whole,
        )?;
        let note = policy_note(s.model.policy.as_deref());
        for warning in run.summary.warnings() {
            observer.warning(&format!("{}{note}: {warning}", s.file));
        }
        Ok(run)
    };
    let first = run_side(&sides[0], 0)?;
    let second = run_side(&sides[1], first.results.len() as u64)?;
    observer.finished();
    let runs = [first, second];
    let pairing = if request.independent {
        Pairing::Independent
    } else {
        Pairing::Paired
    };
    fn arm(r: &SummarizedRun) -> Arm<'_> {
        Arm {
            layout: &r.layout,
            results: &r.results,
        }
    }
    let comparison = compare(arm(&runs[0]), arm(&runs[1]), pairing)
        .map_err(|e| Error::bad_input(e.to_string()))?;
    let side = |s: &LoadedScenario, run: &SummarizedRun| Side {
        file: s.file.clone(),
        scenario: s.model.name.clone(),
        policy: s.model.policy.clone(),
        seed: s.model.seed,
        replications: s.model.replications,
        scenario_sha256: s.sha256.clone(),
        unstable: run.summary.unstable,
        unstable_reasons: run.summary.unstable_parts(),
        overrides: Vec::new(),
    };
    let with_own = |mut s: Side, k: usize| {
        s.overrides = request.only[k]
            .iter()
            .map(|o| o.trim().to_string())
            .collect();
        s
    };
    let outcome = CompareOutcome {
        sides: [
            with_own(side(&sides[0], &runs[0]), 0),
            with_own(side(&sides[1], &runs[1]), 1),
        ],
        runs,
        comparison,
    };
    if outs.is_empty() && plots.is_none() {
        return Ok(outcome);
    }
    // The kept comparison: every replication's values and both summaries.
    let runs = &outcome.runs;
    let mut doc = CompareDocument::new(&outcome.sides[0], &outcome.sides[1], &outcome.comparison);
    doc.per_replication =
        replication_values(arm(&runs[0]), arm(&runs[1]), outcome.comparison.paired);
    doc.summaries = (runs.iter())
        .map(|r| serde_json::to_value(&r.summary).expect("a summary always serialises"))
        .collect();
    if let Some(out) = outs.first() {
        let json = doc.to_json();
        let csv = compare_csv(&doc.per_replication);
        let texts = [
            json.as_bytes(),
            csv.as_bytes(),
            sides[0].resolved_toml.as_bytes(),
            sides[1].resolved_toml.as_bytes(),
        ];
        let files: Vec<(&str, &[u8])> = COMPARE_OUTPUTS.into_iter().zip(texts).collect();
        write_set(out, &files, &[])?;
    }
    if let Some(dir) = &plots {
        let input = PlotInput::comparison(doc, "$.summaries").map_err(Error::internal)?;
        draw(&input, dir, observer)?;
    }
    Ok(outcome)
}
