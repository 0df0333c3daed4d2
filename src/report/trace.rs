//! `--trace FILE.csv`: one row per counted shipment of the first replication, streamed
//! as shipments leave: its milestones, clearance time, and every stage visit (branch
//! stages included, in the order they were entered). A name ending in `.csv.gz` is
//! written gzip-compressed; a trace expected to exceed [`LARGE_TRACE_BYTES`] is warned
//! of before the run ([`size_warning`]).

use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::calendar::Calendar;
use crate::engine::SimTime;
use crate::files::Staged;
use crate::model::flow::{ShipmentRecord, TraceSink};
use crate::model::{ArrivalProcess, Model};

use super::replications_csv::num;

/// A trace larger than this (bytes, uncompressed) is warned of before the run.
pub const LARGE_TRACE_BYTES: u64 = 100_000_000;

/// Bytes of a trace row besides its stage columns: numbers of hours in full precision,
/// two dates, names (measured on the shipped scenarios' traces).
const ROW_BYTES: f64 = 180.0;

/// Bytes a row's trace takes per stage column group (mostly empty: a shipment visits
/// few of the stages of the longest channel).
const STAGE_BYTES: f64 = 12.0;

/// The expected size of `model`'s trace, bytes uncompressed, and its expected rows:
/// the counted shipments of one replication (every mode's mean arrival rate over the
/// counting window; listed and logged arrivals as many as they are) times the bytes of
/// a row.
pub fn expected_size(model: &Model) -> (u64, u64) {
    let window = model.window_hours().max(0.0);
    let rows: f64 = model
        .modes
        .iter()
        .map(|m| match &m.arrivals {
            ArrivalProcess::List { times } => times.len() as f64,
            ArrivalProcess::Log { shipments } => shipments.len() as f64,
            other => other.mean_rate_per_hour() * window,
        })
        .sum();
    let bytes = rows * (ROW_BYTES + STAGE_BYTES * model.max_stages() as f64);
    (bytes.round() as u64, rows.round() as u64)
}

/// The warning for a trace of `model` written to `path` when it is expected to exceed
/// [`LARGE_TRACE_BYTES`]: its expected size and rows, and how to make it smaller.
pub fn size_warning(path: &Path, model: &Model) -> Option<String> {
    let (bytes, rows) = expected_size(model);
    if bytes <= LARGE_TRACE_BYTES {
        return None;
    }
    let compressed = if is_gzip(path) {
        " before compression"
    } else {
        "; a name ending in .csv.gz writes it compressed"
    };
    Some(format!(
        "{}: the trace is expected to be about {} MB ({rows} shipments){compressed}; a shorter horizon_days (--set horizon_days=N) makes it smaller",
        path.display(),
        bytes.div_ceil(1_000_000)
    ))
}

/// Whether `path` names a gzip-compressed trace (ends in `.gz`).
pub fn is_gzip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Where trace rows go: the staged file, through gzip or not.
enum Sink {
    Plain(BufWriter<Staged>),
    Gzip(GzEncoder<BufWriter<Staged>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
        }
    }
}

impl Sink {
    /// Ends the stream (the gzip trailer) and hands back the staged file, flushed.
    fn finish(self) -> std::io::Result<Staged> {
        let mut buffered = match self {
            Sink::Plain(w) => w,
            Sink::Gzip(w) => w.finish()?,
        };
        buffered.flush()?;
        buffered.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes trace rows to a CSV file, whole: rows go to a temporary file beside it, renamed
/// into place by [`CsvTrace::finish`] (a failed or abandoned trace leaves the previous file,
/// if any, and no partial one).
pub struct CsvTrace {
    writer: csv::Writer<Sink>,
    calendar: Calendar,
    stages: usize,
    error: Option<csv::Error>,
}

impl CsvTrace {
    /// Starts the trace file `path` and writes the header for `model` (columns for as
    /// many stages as its longest channel); gzip-compressed when `path` ends in `.gz`.
    pub fn create(path: &Path, model: &Model) -> std::io::Result<CsvTrace> {
        let file = BufWriter::new(Staged::create(path)?);
        let sink = if is_gzip(path) {
            // flate2's header has no time or name in it: the same run gives the same bytes.
            Sink::Gzip(GzEncoder::new(file, Compression::default()))
        } else {
            Sink::Plain(file)
        };
        let mut writer = csv::Writer::from_writer(sink);
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
        let sink = self.writer.into_inner().map_err(|e| e.into_error())?;
        sink.finish()?.commit()
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
