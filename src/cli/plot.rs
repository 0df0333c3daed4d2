//! `portsim plot`: redraw the figures and `report.html` from saved results, without
//! simulating again.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use portsim::api::outputs::{claim, draw};
use portsim::report::figures::check_document;
use portsim::report::out_dir::Outputs;
use portsim::report::plots::PlotInput;

use super::terminal::Terminal;
use super::{Failure, bad_input};

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

/// Reads the results and draws them.
pub fn plot(args: PlotArgs) -> Result<(), Failure> {
    let out = claim(&args.out, Outputs::Any, args.force)?;
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
                // With other files: the comparison's two sides as two more series.
                PlotInput::Comparison { summaries: s, .. } => summaries.extend(s),
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
    Ok(draw(&input, &out, &Terminal::new())?)
}
