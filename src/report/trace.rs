//! `--trace FILE.csv`: one row per counted shipment of the first replication, streamed
//! as shipments leave: its milestones, clearance time, and every stage visit (branch
//! stages included, in the order they were entered).

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::calendar::Calendar;
use crate::engine::SimTime;
use crate::files::Staged;
use crate::model::Model;
use crate::model::flow::{ShipmentRecord, TraceSink};

use super::replications_csv::num;

/// Writes trace rows to a CSV file, whole: rows go to a temporary file beside it, renamed
/// into place by [`CsvTrace::finish`] (a failed or abandoned trace leaves the previous file,
/// if any, and no partial one).
pub struct CsvTrace {
    writer: csv::Writer<BufWriter<Staged>>,
    calendar: Calendar,
    stages: usize,
    error: Option<csv::Error>,
}

impl CsvTrace {
    /// Starts the trace file `path` and writes the header for `model` (columns for as
    /// many stages as its longest channel).
    pub fn create(path: &Path, model: &Model) -> std::io::Result<CsvTrace> {
        let file = Staged::create(path)?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        let stages = model.max_stages();
        let mut header: Vec<String> = [
            "replication",
            "mode",
            "index",
            "class",
            "reserved",
            "channel",
            "arrival_hours",
            "lodgement_hours",
            "release_hours",
            "exit_hours",
            "clearance_hours",
            "arrival_at",
            "release_at",
        ]
        .map(String::from)
        .to_vec();
        for k in 1..=stages {
            for f in ["name", "entered", "started", "ended"] {
                header.push(format!("stage{k}_{f}"));
            }
        }
        writer
            .write_record(&header)
            .map_err(std::io::Error::other)?;
        Ok(CsvTrace {
            writer,
            calendar: model.calendar.clone(),
            stages,
            error: None,
        })
    }

    /// Flushes the rows and renames the file into place; reports the first error met
    /// while writing (then nothing replaces the destination).
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(std::io::Error::other(e));
        }
        let mut buffered = self.writer.into_inner().map_err(|e| e.into_error())?;
        buffered.flush()?;
        let staged = buffered.into_inner().map_err(|e| e.into_error())?;
        staged.commit()
    }
}

impl TraceSink for CsvTrace {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        if self.error.is_some() {
            return;
        }
        let at = |t: SimTime| self.calendar.datetime_at(t).to_string();
        let mut row = vec![
            r.replication.to_string(),
            r.mode.name.clone(),
            r.index.to_string(),
            if r.priority { "priority" } else { "normal" }.to_string(),
            r.reserved.to_string(),
            r.channel.name.clone(),
            num(r.arrival.hours()),
            num(r.lodgement.hours()),
            num(r.release.hours()),
            num(r.exit.hours()),
            num(r.clearance_hours),
            at(r.arrival),
            at(r.release),
        ];
        for k in 0..self.stages {
            match r.stages.get(k) {
                Some((name, t)) => {
                    row.extend([
                        name.to_string(),
                        num(t.entered),
                        num(t.started),
                        num(t.ended),
                    ]);
                }
                None => row.extend(std::iter::repeat_n(String::new(), 4)),
            }
        }
        if let Err(e) = self.writer.write_record(&row) {
            self.error = Some(e);
        }
    }
}
