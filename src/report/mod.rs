//! Reports: terminal tables, CSV files, documents of comparisons, sweeps, staffing and
//! checks, figures, traces, and the output directory they are written to. (The summary's
//! JSON is the summary's own: [`Summary::to_json`](crate::experiment::Summary::to_json).)

pub mod check;
pub mod compare;
pub mod compare_csv;
pub mod csv_columns;
pub mod export;
pub mod factorial;
pub mod figures;
pub mod html;
pub mod long_csv;
pub mod out_dir;
pub mod periods;
pub mod plots;
pub mod progress;
pub mod replications_csv;
pub mod roster;
pub mod sensitivity;
pub mod staffing;
pub mod sweep;
pub mod sweep_plan;
pub mod table;
pub mod trace;
