//! Where results go, checked before any work: output directories claimed, file
//! destinations refused when they cannot hold a file, figures drawn into a directory as
//! one set.

use std::path::Path;

use super::error::Error;
use super::observer::Observer;
use crate::files::check_file_destination;
use crate::plot::PlotError;
use crate::report::out_dir::{OutDir, Outputs};
use crate::report::plots::{PlotInput, write_plots};

/// Claims `dir` for `outputs` (see [`OutDir::claim`]): refused — bad input — when it is
/// not a writable directory, another portsim writes there, or (unless `force`) it holds
/// files portsim did not write.
pub fn claim(dir: &Path, outputs: Outputs<'_>, force: bool) -> Result<OutDir, Error> {
    OutDir::claim(dir, outputs, force).map_err(Error::bad_input)
}

/// Claims the `--plots` directory, if any, after refusing one that is a claimed
/// output directory (`outs`): each directory holds one set of files, and one set would
/// remove the other's.
pub fn claim_plots(
    plots: Option<&Path>,
    outs: &[OutDir],
    force: bool,
) -> Result<Option<OutDir>, Error> {
    let Some(plots) = plots else {
        return Ok(None);
    };
    if let Some(out) = outs.iter().find(|o| same_dir(o.path(), plots)) {
        return Err(Error::bad_input(format!(
            "--out {} and --plots {} are one directory: give each its own",
            out.path().display(),
            plots.display()
        )));
    }
    claim(plots, Outputs::Any, force).map(Some)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Checks a file destination (`--trace`, `--junit`, a baseline to record) before any
/// work; the message names the flag.
pub fn check_destination(flag: &str, path: &Path) -> Result<(), Error> {
    check_file_destination(path).map_err(|e| Error::bad_input(format!("{flag} {e}")))
}

/// Writes `files` into `out` as one set (see [`OutDir::write_set`]), keeping `keep`.
/// The directory was accepted, so a failure is the machine's (a full disk).
pub fn write_set(out: &OutDir, files: &[(&str, &[u8])], keep: &[&str]) -> Result<(), Error> {
    out.write_set(files, keep)
        .map_err(|e| Error::internal(format!("cannot write {e}")))
}

/// Draws `input` into `out` as one set (the previous drawing's files go; see
/// [`OutDir::commit`]) and notes where the report is. Results that cannot be drawn are
/// the input's fault; a figure that cannot be written is the machine's.
pub fn draw(input: &PlotInput, out: &OutDir, observer: &dyn Observer) -> Result<(), Error> {
    let dir = out.path();
    let cannot =
        |e: std::io::Error| Error::internal(format!("{}: cannot write: {e}", dir.display()));
    let stage = out.stage().map_err(cannot)?;
    let figures = write_plots(input, stage.path()).map_err(|e| {
        // Name the file where it will be, not where it was staged.
        let message = e.to_string().replace(
            &stage.path().display().to_string(),
            &dir.display().to_string(),
        );
        match e {
            PlotError::Data(_) => Error::bad_input(message),
            PlotError::Draw(_) | PlotError::Io { .. } => Error::internal(message),
        }
    })?;
    out.commit(stage, &[]).map_err(cannot)?;
    observer.note(&format!(
        "{} figures (PNG and SVG) and {} written",
        figures.len(),
        dir.join("report.html").display()
    ));
    Ok(())
}
