//! The journal of a sweep: `jobs.jsonl` in its output directory, one line per finished
//! job, appended as jobs finish, so an interrupted sweep can be resumed.
//!
//! The first line names the sweep (its hash); a resumed sweep must be the same sweep.
//! A last line cut short by a killed process is dropped on resume.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::jobs::{Job, JobRecord};
use crate::model::ReplicationResult;

/// The journal's file name in an output directory.
pub const JOURNAL_FILE: &str = "jobs.jsonl";

/// Schema name of the journal's first line. `/2`: daily series of windows longer than
/// 1,000 days are binned by weeks, so results of `/1` journals cannot be mixed in.
pub const JOURNAL_SCHEMA: &str = "portsim.journal/2";

#[derive(Serialize, Deserialize)]
struct Header {
    schema: String,
    sweep_sha256: String,
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(flatten)]
    job: Job,
    result: &'a ReplicationResult,
}

/// An open journal, appending.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens the journal of the sweep `sweep_sha256` in `dir` and returns the jobs it
    /// already holds. Without `resume`, a directory already holding a journal is refused
    /// (its results would be overwritten); with it, the journal must be of the same sweep.
    pub fn open(
        dir: &Path,
        sweep_sha256: &str,
        resume: bool,
    ) -> Result<(Journal, Vec<JobRecord>), String> {
        let path = dir.join(JOURNAL_FILE);
        let shown = path.display();
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the directory: {e}", dir.display()))?;
        if !path.exists() {
            let mut file = File::create(&path).map_err(|e| format!("{shown}: {e}"))?;
            let header = Header {
                schema: JOURNAL_SCHEMA.into(),
                sweep_sha256: sweep_sha256.into(),
            };
            writeln!(
                file,
                "{}",
                serde_json::to_string(&header).expect("serialises")
            )
            .map_err(|e| format!("{shown}: {e}"))?;
            return Ok((Journal { file, path }, Vec::new()));
        }
        if !resume {
            return Err(format!(
                "{}: already holds a sweep's results ({JOURNAL_FILE}); add --resume to continue that sweep, or choose another --out",
                dir.display()
            ));
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| format!("{shown}: {e}"))?;
        let mut records = Vec::new();
        let mut good_end = 0u64;
        {
            let mut reader = BufReader::new(&mut file);
            let mut text = String::new();
            let mut line_no = 0usize;
            loop {
                text.clear();
                let n = reader
                    .read_line(&mut text)
                    .map_err(|e| format!("{shown}: {e}"))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                let complete = text.ends_with('\n');
                if line_no == 1 {
                    let header: Header = serde_json::from_str(text.trim_end())
                        .ok()
                        .filter(|h: &Header| h.schema == JOURNAL_SCHEMA)
                        .ok_or_else(|| {
                            if text.contains("\"portsim.journal/") {
                                format!(
                                    "{shown}:1: written by another version of portsim, whose results cannot be mixed with this one's; run the sweep into a new --out"
                                )
                            } else {
                                format!("{shown}:1: expected a {JOURNAL_SCHEMA} header line")
                            }
                        })?;
                    if header.sweep_sha256 != sweep_sha256 {
                        return Err(format!(
                            "{}: holds another sweep's results (the sweep file, its scenario or a --set value changed); choose another --out",
                            dir.display()
                        ));
                    }
                } else {
                    match serde_json::from_str::<JobRecord>(text.trim_end()) {
                        Ok(r) if complete => records.push(r),
                        // A line cut short when the process was killed: drop it.
                        _ if !complete => break,
                        Ok(_) => unreachable!(),
                        Err(e) => {
                            return Err(format!(
                                "{shown}:{line_no}: not a finished job ({e}); the journal is damaged"
                            ));
                        }
                    }
                }
                good_end += n as u64;
            }
        }
        // Drop a cut-short last line, then append after the good ones.
        file.set_len(good_end)
            .and_then(|()| file.seek(SeekFrom::End(0)).map(|_| ()))
            .map_err(|e| format!("{shown}: {e}"))?;
        Ok((Journal { file, path }, records))
    }

    /// Appends a finished job.
    pub fn append(&mut self, job: Job, result: &ReplicationResult) -> Result<(), String> {
        let text = serde_json::to_string(&Line { job, result }).expect("serialises");
        writeln!(self.file, "{text}")
            .and_then(|()| self.file.flush())
            .map_err(|e| format!("{}: cannot append: {e}", self.path.display()))
    }
}
