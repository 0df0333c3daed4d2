//! `portsim plot`: redraw the figures and `report.html` from saved results, without
//! simulating again.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use portsim::report::figures::check_document;
use portsim::report::out_dir::{check_dir, record_written};
use portsim::report::plots::{PLOT_DATA_FILE, PlotInput, write_plots};

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

/// Refuses a plot directory holding files portsim did not write, unless `force`; call it
/// before the work, so nothing is lost.
pub fn guard(dir: Option<&Path>, force: bool) -> Result<(), Failure> {
    match dir {
        Some(d) => check_dir(d, force).map_err(bad_input),
        None => Ok(()),
    }
}

/// Reads the results and draws them.
pub fn plot(args: PlotArgs) -> Result<(), Failure> {
    guard(Some(&args.out), args.force)?;
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
    draw(&input, &args.out)
}

/// Draws `input` into `dir` and says where the report is.
pub fn draw(input: &PlotInput, dir: &Path) -> Result<(), Failure> {
    let figures = write_plots(input, dir).map_err(|e| bad_input(e.to_string()))?;
    let mut names: Vec<String> = figures
        .iter()
        .flat_map(|f| &f.files)
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    names.extend([PLOT_DATA_FILE.to_string(), "report.html".to_string()]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    record_written(dir, &names)
        .map_err(|e| bad_input(format!("{}: cannot write its manifest: {e}", dir.display())))?;
    eprintln!(
        "{} figures (PNG and SVG) and {} written",
        figures.len(),
        dir.join("report.html").display()
    );
    Ok(())
}
