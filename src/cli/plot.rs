//! `portsim plot`: redraw the figures and `report.html` from saved results, without
//! simulating again.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use portsim::plot::PlotError;
use portsim::report::figures::check_document;
use portsim::report::out_dir::{OutDir, Outputs};
use portsim::report::plots::{PlotInput, write_plots};

use super::{Failure, bad_input, internal};

/// Flags of `portsim plot`.
#[derive(Args)]
pub struct PlotArgs {
    /// Saved results: a summary.json (or a `run --json` array), a sweep's results.json,
    /// or a plot directory's plot-data.json. Several summary files are drawn as series
    /// of the same figures.
    #[arg(required = true)]
    pub results: Vec<PathBuf>,
    /// Where to write the figures (PNG and SVG) and report.html.
    #[arg(long, value_name = "DIR", required = true)]
    pub out: PathBuf,
    /// Let --out replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
}

fn read(path: &Path) -> Result<PlotInput, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| bad_input(format!("{}:{}: not JSON: {e}", path.display(), e.line())))?;
    // Checked like any input: a wrong type or an impossible value is named by its JSON
    // path rather than drawn as a default.
    check_document(&doc)
        .and_then(|()| PlotInput::from_json(doc))
        .map_err(|m| bad_input(format!("{}: {m}", path.display())))
}

/// Claims a plot directory before the work (see [`OutDir::claim`]): refused when it is
/// not a writable directory, another portsim is writing there, or — unless `force` — it
/// holds files portsim did not write.
pub fn guard(dir: Option<&Path>, force: bool) -> Result<Option<OutDir>, Failure> {
    dir.map(|d| OutDir::claim(d, Outputs::Any, force).map_err(bad_input))
        .transpose()
}

/// Reads the results and draws them.
pub fn plot(args: PlotArgs) -> Result<(), Failure> {
    let out = OutDir::claim(&args.out, Outputs::Any, args.force).map_err(bad_input)?;
    let mut inputs = args
        .results
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let input = if inputs.len() == 1 {
        inputs.pop().expect("one input")
    } else {
        // Several files: their summaries become the series of one set of figures.
        let mut summaries = Vec::new();
        for (path, input) in args.results.iter().zip(inputs) {
            match input {
                PlotInput::Runs { summaries: s, .. } => summaries.extend(s),
                PlotInput::Sweep(_) => {
                    return Err(bad_input(format!(
                        "{}: a sweep's results are plotted on their own; give it alone",
                        path.display()
                    )));
                }
            }
        }
        PlotInput::Runs {
            summaries,
            notes: Vec::new(),
        }
    };
    draw(&input, &out)
}

/// Draws `input` into `out` as one set (the previous drawing's files go; see
/// [`OutDir::commit`]) and says where the report is.
pub fn draw(input: &PlotInput, out: &OutDir) -> Result<(), Failure> {
    let dir = out.path();
    let cannot = |e: std::io::Error| internal(format!("{}: cannot write: {e}", dir.display()));
    let stage = out.stage().map_err(cannot)?;
    let figures = write_plots(input, stage.path()).map_err(|e| {
        // Name the file where it will be, not where it was staged.
        let message = e.to_string().replace(
            &stage.path().display().to_string(),
            &dir.display().to_string(),
        );
        match e {
            // Results that cannot be drawn came from the user's file.
            PlotError::Data(_) => bad_input(message),
            PlotError::Draw(_) | PlotError::Io { .. } => internal(message),
        }
    })?;
    out.commit(stage, &[]).map_err(cannot)?;
    eprintln!(
        "{} figures (PNG and SVG) and {} written",
        figures.len(),
        dir.join("report.html").display()
    );
    Ok(())
}
