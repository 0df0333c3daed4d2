//! What a command prints on standard output, in the one format chosen from its flags:
//! a table for people or one JSON document for programs. (Files — CSV, JUnit, figures
//! and report — are destinations of the experiment requests, written by the library.)

use std::path::Path;

use super::check::{check_json, check_table, update_table};
use super::compare::{CompareReport, compare_json, compare_table};
use super::factorial::effects_table;
use super::staffing::{StaffReport, staff_json, staff_table};
use super::sweep::{plan_json, shard_run_json, sweep_table};
use super::sweep_plan::plan_table;
use super::table::{side_by_side, summary_table};
use crate::check::CheckReport;
use crate::experiment::Summary;
use crate::experiment::factorial::ClearanceEffects;
use crate::experiment::sweep::SweepMeta;
use crate::scenario::sweep_file::LoadedSweep;

/// The format of what a command prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// One JSON document (its schema named in `schema`).
    Json,
}

impl Format {
    /// `Json` when `--json` was given, else `Table`.
    pub fn from_json_flag(json: bool) -> Format {
        if json { Format::Json } else { Format::Table }
    }
}

/// Something a command prints, in either format.
pub trait Export {
    /// The table for people (may be empty: nothing to print).
    fn table(&self) -> String;
    /// One JSON document.
    fn json(&self) -> String;
    /// In `format`, without a trailing newline.
    fn render(&self, format: Format) -> String {
        let text = match format {
            Format::Table => self.table(),
            Format::Json => self.json(),
        };
        text.trim_end().to_string()
    }
}

/// The summaries of `run`: one scenario's table, several side by side; one summary
/// document, several as one JSON array.
pub struct Runs<'a>(pub &'a [Summary]);

impl Export for Runs<'_> {
    fn table(&self) -> String {
        match self.0 {
            [one] => summary_table(one),
            many => side_by_side(many),
        }
    }

    fn json(&self) -> String {
        match self.0 {
            [one] => one.to_json(),
            many => {
                let parsed: Vec<serde_json::Value> = many
                    .iter()
                    .map(|s| serde_json::from_str(&s.to_json()).expect("our own JSON"))
                    .collect();
                serde_json::to_string_pretty(&parsed).expect("serialises")
            }
        }
    }
}

impl Export for CompareReport<'_> {
    fn table(&self) -> String {
        compare_table(self)
    }

    fn json(&self) -> String {
        compare_json(self)
    }
}

impl Export for StaffReport<'_> {
    fn table(&self) -> String {
        staff_table(self)
    }

    fn json(&self) -> String {
        staff_json(self)
    }
}

/// A check's verdicts; when recording, worded as what the update replaces.
pub struct Check<'a> {
    /// The verdicts.
    pub report: &'a CheckReport,
    /// Whether the baseline was being recorded.
    pub update: bool,
}

impl Export for Check<'_> {
    fn table(&self) -> String {
        if self.update {
            update_table(self.report)
        } else {
            check_table(self.report)
        }
    }

    fn json(&self) -> String {
        check_json(self.report)
    }
}

/// A completed sweep: its table, or its results document.
pub struct Sweep<'a> {
    /// What the results are about.
    pub meta: &'a SweepMeta,
    /// Each variant's summary.
    pub summaries: &'a [Option<Summary>],
    /// The `portsim.sweep/1` document (as written to `results.json`).
    pub document: &'a str,
    /// A two-level factorial's effects, shown below the table.
    pub effects: Option<&'a ClearanceEffects>,
}

impl Export for Sweep<'_> {
    fn table(&self) -> String {
        let mut text = sweep_table(self.meta, self.summaries);
        if let Some(e) = self.effects {
            text.push('\n');
            text.push_str(&effects_table(e));
        }
        text
    }

    fn json(&self) -> String {
        self.document.to_string()
    }
}

impl Export for LoadedSweep {
    fn table(&self) -> String {
        plan_table(self)
    }

    fn json(&self) -> String {
        plan_json(self)
    }
}

/// A finished shard: nothing for people on stdout (a line on stderr says it), and a
/// `portsim.shard-run/1` document for job scripts.
pub struct ShardRun<'a> {
    /// The sweep's name.
    pub sweep: &'a str,
    /// The shard, `I/N`.
    pub shard: String,
    /// Jobs it ran.
    pub jobs: usize,
    /// Where its results are.
    pub shard_file: &'a Path,
}

impl Export for ShardRun<'_> {
    fn table(&self) -> String {
        String::new()
    }

    fn json(&self) -> String {
        shard_run_json(self.sweep, &self.shard, self.jobs, self.shard_file)
    }
}
