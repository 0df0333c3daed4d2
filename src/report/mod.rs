//! Reports: the JSON summary, the terminal table, CSV files, traces, and the output
//! directory they are written to.

pub mod check;
pub mod compare;
pub mod figures;
pub mod html;
pub mod out_dir;
pub mod plots;
pub mod progress;
pub mod replications_csv;
pub mod staffing;
pub mod sweep;
pub mod table;
pub mod trace;

use crate::experiment::Summary;

/// The summary as a pretty-printed JSON document (with a trailing newline).
pub fn summary_json(summary: &Summary) -> String {
    let mut s = serde_json::to_string_pretty(summary).expect("the summary always serialises");
    s.push('\n');
    s
}
