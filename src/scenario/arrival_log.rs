//! Recorded arrival logs, replayed by `arrivals = { kind = "trace", file = "…" }`.
//!
//! A log is a CSV file whose first row names the columns:
//!
//! ```text
//! timestamp,mode,class,channel,vessel,declared_value
//! 2017-01-03 08:15,air,express,green,LH8400,1200
//! 2017-01-03 08:15:30,air,,red,LH8400,80
//! 2017-01-03T09:02,sea,bulk,,"MSC Anna",
//! ```
//!
//! - `timestamp` (or `time`, or `arrival`) is required: a local civil date-time written
//!   `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`, with `T` allowed in place of the space.
//!   Times with a time zone or an offset (`Z`, `+01:00`, `[Europe/Paris]`) are refused.
//! - `mode`, `class` and `channel` are optional; an empty cell means "not given".
//! - Column names are matched ignoring ASCII case; any other column is ignored (real logs
//!   carry many more, such as vessel or declared value above).
//! - Cells are trimmed; blank lines are skipped; a UTF-8 byte order mark is tolerated.
//!
//! Logs are taken as recorded, which may be slightly out of order: the rows are returned
//! sorted by time, rows with equal times keeping their order in the file.
//!
//! ```
//! use portsim::scenario::arrival_log::parse_arrival_log;
//!
//! let log = "timestamp,mode\n2017-01-03 09:00,sea\n2017-01-03 08:15,air\n";
//! let arrivals = parse_arrival_log(log, "air.csv").unwrap();
//! assert_eq!(arrivals[0].mode.as_deref(), Some("air"));
//! assert_eq!(arrivals[0].line, 3);
//! ```

use std::fmt;
use std::path::Path;

use jiff::civil::DateTime;

/// Accepted names of the timestamp column.
const TIMESTAMP_NAMES: [&str; 3] = ["timestamp", "time", "arrival"];

/// The accepted timestamp formats, as said in messages.
const FORMATS: &str = "YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (a T may replace the space)";

/// One recorded arrival.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedArrival {
    /// 1-based line in the file where the row starts.
    pub line: usize,
    /// When it arrived (local civil time).
    pub at: DateTime,
    /// The `mode` cell, if the column exists and the cell is not empty.
    pub mode: Option<String>,
    /// The `class` cell, if the column exists and the cell is not empty.
    pub class: Option<String>,
    /// The `channel` cell, if the column exists and the cell is not empty.
    pub channel: Option<String>,
}

/// A problem with an arrival log, located by file and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivalLogError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line; `None` for problems with the file as a whole.
    pub line: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ArrivalLogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ArrivalLogError {}

/// Reads and checks the whole log at `path`; `display_name` names the file in messages
/// (as the user wrote it). Rows come back sorted by time; see the module doc.
pub fn read_arrival_log(
    path: &Path,
    display_name: &str,
) -> Result<Vec<LoggedArrival>, ArrivalLogError> {
    let bytes = std::fs::read(path).map_err(|e| ArrivalLogError {
        file: display_name.to_string(),
        line: None,
        message: format!("cannot read the arrival log: {e}"),
    })?;
    // `from_utf8` takes the buffer over without copying it.
    let text = String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let line = LineCounter::new(e.as_bytes()).line_at(bad);
        ArrivalLogError {
            file: display_name.to_string(),
            line: Some(line),
            message: "the text is not valid UTF-8; save the log as UTF-8".to_string(),
        }
    })?;
    parse_arrival_log(&text, display_name)
}

/// Like [`read_arrival_log`], from the text of the log.
pub fn parse_arrival_log(
    text: &str,
    display_name: &str,
) -> Result<Vec<LoggedArrival>, ArrivalLogError> {
    let error = |line: Option<usize>, message: String| ArrivalLogError {
        file: display_name.to_string(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    // csv's own `Position::line()` is off after blank lines and with CRLF line ends, so
    // lines are counted here from the byte offsets csv reports.
    let mut lines = LineCounter::new(bytes);
    let mut record = csv::StringRecord::new();
    let mut columns: Option<Columns> = None;
    // About one row a line: reserving up front avoids growing a large Vec by doubling.
    let mut arrivals = Vec::with_capacity(bytes.iter().filter(|&&b| b == b'\n').count());
    loop {
        let from = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        let more = reader.read_record(&mut record);
        let to = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        let line = lines.line_at(record_start(bytes, from, to));
        match more {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error(Some(line), format!("cannot read the row: {e}"))),
        }
        if record.len() == 1 && record[0].trim().is_empty() {
            continue; // A blank line (csv skips only the truly empty ones).
        }
        let Some(cols) = &columns else {
            columns = Some(Columns::from_header(&record, line).map_err(|m| error(Some(line), m))?);
            continue;
        };
        if record.len() != cols.count {
            return Err(error(
                Some(line),
                format!(
                    "expected {} fields (as in the header on line {}), got {}",
                    cols.count,
                    cols.header_line,
                    record.len()
                ),
            ));
        }
        let at =
            parse_timestamp(record[cols.timestamp].trim()).map_err(|m| error(Some(line), m))?;
        let cell = |index: Option<usize>| {
            index
                .map(|i| record[i].trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        arrivals.push(LoggedArrival {
            line,
            at,
            mode: cell(cols.mode),
            class: cell(cols.class),
            channel: cell(cols.channel),
        });
    }
    if columns.is_none() {
        return Err(error(
            None,
            format!(
                "the arrival log is empty; expected a header row naming the columns, one of them {}",
                TIMESTAMP_NAMES.join(", ")
            ),
        ));
    }
    // Lines grow through the file, so this is a stable sort by time, without the buffer
    // of half the rows that `sort_by_key` would allocate.
    arrivals.sort_unstable_by_key(|a| (a.at, a.line));
    Ok(arrivals)
}

/// Where the columns of interest are, from the header row.
struct Columns {
    header_line: usize,
    count: usize,
    timestamp: usize,
    mode: Option<usize>,
    class: Option<usize>,
    channel: Option<usize>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord, line: usize) -> Result<Columns, String> {
        // (role, accepted names, index found)
        let mut roles: [(&str, &[&str], Option<usize>); 4] = [
            ("timestamp", &TIMESTAMP_NAMES, None),
            ("mode", &["mode"], None),
            ("class", &["class"], None),
            ("channel", &["channel"], None),
        ];
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            for (role, names, found) in roles.iter_mut() {
                if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    continue;
                }
                if let Some(first) = *found {
                    return Err(format!(
                        "columns {} ({:?}) and {} ({name:?}) both give the {role}; keep only one",
                        first + 1,
                        header[first].trim(),
                        index + 1,
                    ));
                }
                *found = Some(index);
            }
        }
        let [
            (_, _, timestamp),
            (_, _, mode),
            (_, _, class),
            (_, _, channel),
        ] = roles;
        let Some(timestamp) = timestamp else {
            let accepted = TIMESTAMP_NAMES.join(", ");
            if header
                .iter()
                .any(|cell| parse_timestamp(cell.trim()).is_ok())
            {
                return Err(format!(
                    "this looks like a data row, not a header; the first row must name the \
                     columns, one of them {accepted}"
                ));
            }
            let found: Vec<String> = header.iter().map(|c| format!("{:?}", c.trim())).collect();
            return Err(format!(
                "no timestamp column; expected one named {accepted}, found {}",
                found.join(", ")
            ));
        };
        Ok(Columns {
            header_line: line,
            count: header.len(),
            timestamp,
            mode,
            class,
            channel,
        })
    }
}

/// Parses a trimmed timestamp cell; the error is the whole message.
fn parse_timestamp(value: &str) -> Result<DateTime, String> {
    if value.is_empty() {
        return Err(format!("empty timestamp; expected {FORMATS}"));
    }
    let len = datetime_prefix_len(value);
    if len == value.len() {
        // The shape is right; jiff checks the ranges (month 13, 30 February, 24:00).
        return value
            .parse::<DateTime>()
            .map_err(|e| format!("invalid timestamp {value:?}: {e}"));
    }
    if len > 0 {
        let rest = value[len..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        let zone = rest.trim();
        if zone.starts_with(['Z', 'z', '+', '-', '['])
            || zone.eq_ignore_ascii_case("UTC")
            || zone.eq_ignore_ascii_case("GMT")
        {
            return Err(format!(
                "timestamp {value:?} has a time zone or offset ({zone:?}); only local times \
                 are accepted, as {FORMATS}"
            ));
        }
    }
    Err(format!("malformed timestamp {value:?}; expected {FORMATS}"))
}

/// Length of the longest `YYYY-MM-DD[ T]HH:MM[:SS]` at the start of `s`, or 0.
fn datetime_prefix_len(s: &str) -> usize {
    const MINUTES: &[u8] = b"dddd-dd-ddsdd:dd";
    let b = s.as_bytes();
    let fits = |pattern: &[u8], at: usize| {
        b.len() >= at + pattern.len()
            && pattern.iter().zip(&b[at..]).all(|(&p, &c)| match p {
                b'd' => c.is_ascii_digit(),
                b's' => c == b' ' || c == b'T',
                _ => c == p,
            })
    };
    if !fits(MINUTES, 0) {
        0
    } else if fits(b":dd", MINUTES.len()) {
        MINUTES.len() + 3
    } else {
        MINUTES.len()
    }
}

/// Where the record csv read from `bytes[from..to]` starts: csv skips empty lines, and the
/// `\n` of a CRLF ending is consumed with the next record.
fn record_start(bytes: &[u8], from: usize, to: usize) -> usize {
    let to = to.min(bytes.len());
    let from = from.min(to);
    from + bytes[from..to]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count()
}

/// Counts physical lines (ended by `\n`, `\r\n` or a lone `\r`) up to increasing offsets.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line holding byte `offset`; offsets must not decrease between calls.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset > self.pos {
            let breaks = self.bytes[self.pos..offset]
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\n' || (b == b'\r' && self.bytes.get(self.pos + i + 1) != Some(&b'\n'))
                })
                .count();
            self.line += breaks;
            self.pos = offset;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn parse(text: &str) -> Result<Vec<LoggedArrival>, ArrivalLogError> {
        parse_arrival_log(text, "logs/air.csv")
    }

    fn err(text: &str) -> (Option<usize>, String) {
        let e = parse(text).unwrap_err();
        assert_eq!(e.file, "logs/air.csv");
        (e.line, e.message)
    }

    fn times(arrivals: &[LoggedArrival]) -> Vec<(usize, DateTime)> {
        arrivals.iter().map(|a| (a.line, a.at)).collect()
    }

    #[test]
    fn each_timestamp_format() {
        let log = "timestamp\n2017-01-03 08:15\n2017-01-03 08:15:30\n2017-01-03T08:16\n\
                   2017-01-03T08:16:30\n";
        let arrivals = parse(log).unwrap();
        assert_eq!(
            times(&arrivals),
            vec![
                (2, dt("2017-01-03T08:15:00")),
                (3, dt("2017-01-03T08:15:30")),
                (4, dt("2017-01-03T08:16:00")),
                (5, dt("2017-01-03T08:16:30")),
            ]
        );
    }

    #[test]
    fn alternative_timestamp_names_and_case() {
        for name in ["time", "arrival", "Timestamp", " TIME "] {
            let arrivals = parse(&format!("{name}\n2017-01-03 08:15\n")).unwrap();
            assert_eq!(arrivals[0].at, dt("2017-01-03T08:15"), "{name}");
        }
    }

    #[test]
    fn optional_columns_present() {
        let log = "mode,timestamp,class,channel\nair,2017-01-03 08:15,express,green\n";
        let arrivals = parse(log).unwrap();
        assert_eq!(
            arrivals,
            vec![LoggedArrival {
                line: 2,
                at: dt("2017-01-03T08:15"),
                mode: Some("air".into()),
                class: Some("express".into()),
                channel: Some("green".into()),
            }]
        );
    }

    #[test]
    fn optional_columns_absent() {
        let arrivals = parse("timestamp\n2017-01-03 08:15\n").unwrap();
        assert_eq!(arrivals[0].mode, None);
        assert_eq!(arrivals[0].class, None);
        assert_eq!(arrivals[0].channel, None);
    }

    #[test]
    fn optional_columns_empty_cells_are_none() {
        let log = "timestamp,mode,class,channel\n2017-01-03 08:15,,  ,\"\"\n";
        let a = &parse(log).unwrap()[0];
        assert_eq!((&a.mode, &a.class, &a.channel), (&None, &None, &None));
    }

    #[test]
    fn other_columns_ignored_and_cells_trimmed() {
        let log = "vessel , timestamp ,Mode,declared_value\n\
                   LH8400 ,  2017-01-03 08:15 , air ,1200\n";
        let a = &parse(log).unwrap()[0];
        assert_eq!(a.at, dt("2017-01-03T08:15"));
        assert_eq!(a.mode.as_deref(), Some("air"));
    }

    #[test]
    fn unsorted_input_is_sorted_stably() {
        let log = "timestamp,mode\n\
                   2017-01-03 09:00,a\n\
                   2017-01-03 08:00,b\n\
                   2017-01-03 09:00,c\n\
                   2017-01-03 08:00,d\n";
        let arrivals = parse(log).unwrap();
        let order: Vec<(usize, &str)> = arrivals
            .iter()
            .map(|a| (a.line, a.mode.as_deref().unwrap()))
            .collect();
        assert_eq!(order, vec![(3, "b"), (5, "d"), (2, "a"), (4, "c")]);
    }

    #[test]
    fn header_only_is_empty_log() {
        assert_eq!(parse("timestamp,mode\n").unwrap(), vec![]);
        assert_eq!(parse("timestamp").unwrap(), vec![]);
    }

    #[test]
    fn quoted_newlines_keep_line_numbers() {
        let log = "timestamp,class,note\n\
                   2017-01-03 08:15,a,\"two\nlines\"\n\
                   2017-01-03 08:16,\"b\r\nc\",x\n\
                   2017-01-03 08:17,d,y\n\
                   bad,e,z\n";
        let (line, _) = err(log);
        assert_eq!(line, Some(7));
        let ok = log.replace("bad,e,z\n", "");
        let arrivals = parse(&ok).unwrap();
        assert_eq!(
            arrivals.iter().map(|a| a.line).collect::<Vec<_>>(),
            [2, 4, 6]
        );
        assert_eq!(arrivals[1].class.as_deref(), Some("b\r\nc"));
    }

    #[test]
    fn blank_lines_skipped_and_counted() {
        let log = "\n\ntimestamp\n\n2017-01-03 08:15\n   \n\n2017-01-03 08:16\n\n";
        let arrivals = parse(log).unwrap();
        assert_eq!(arrivals.iter().map(|a| a.line).collect::<Vec<_>>(), [5, 8]);
        assert_eq!(
            err("\n\ntimestamp\n\n2017-01-03 08:15\n\nnope\n").0,
            Some(7)
        );
    }

    #[test]
    fn crlf_and_lone_cr_line_ends() {
        let log = "timestamp\r\n2017-01-03 08:15\r\n\r\n2017-01-03 08:16\r\nnope\r\n";
        assert_eq!(err(log).0, Some(5));
        let ok = &log[..log.len() - "nope\r\n".len()];
        assert_eq!(
            parse(ok)
                .unwrap()
                .iter()
                .map(|a| a.line)
                .collect::<Vec<_>>(),
            [2, 4]
        );
        assert_eq!(err("timestamp\r2017-01-03 08:15\rnope").0, Some(3));
    }

    #[test]
    fn bom_is_tolerated() {
        let arrivals = parse("\u{feff}timestamp,mode\n2017-01-03 08:15,air\n").unwrap();
        assert_eq!(times(&arrivals), vec![(2, dt("2017-01-03T08:15"))]);
        assert_eq!(err("\u{feff}timestamp\nx\n").0, Some(2));
    }

    #[test]
    fn no_final_newline() {
        let arrivals = parse("timestamp\n2017-01-03 08:15").unwrap();
        assert_eq!(times(&arrivals), vec![(2, dt("2017-01-03T08:15"))]);
    }

    #[test]
    fn empty_file() {
        let expected = "the arrival log is empty; expected a header row naming the columns, \
                        one of them timestamp, time, arrival";
        for text in ["", "\n\n", " \n \r\n", "\u{feff}"] {
            assert_eq!(err(text), (None, expected.to_string()), "{text:?}");
        }
    }

    #[test]
    fn no_timestamp_column() {
        assert_eq!(
            err("when,mode\n2017-01-03 08:15,air\n"),
            (
                Some(1),
                "no timestamp column; expected one named timestamp, time, arrival, \
                 found \"when\", \"mode\""
                    .to_string()
            )
        );
    }

    #[test]
    fn data_row_instead_of_header() {
        assert_eq!(
            err("2017-01-03 08:15,air\n2017-01-03 08:16,sea\n"),
            (
                Some(1),
                "this looks like a data row, not a header; the first row must name the \
                 columns, one of them timestamp, time, arrival"
                    .to_string()
            )
        );
    }

    #[test]
    fn repeated_columns() {
        assert_eq!(
            err("time,mode,arrival\n"),
            (
                Some(1),
                "columns 1 (\"time\") and 3 (\"arrival\") both give the timestamp; keep only one"
                    .to_string()
            )
        );
        assert_eq!(
            err("timestamp,mode,Mode\n"),
            (
                Some(1),
                "columns 2 (\"mode\") and 3 (\"Mode\") both give the mode; keep only one"
                    .to_string()
            )
        );
    }

    #[test]
    fn wrong_field_count() {
        let log = "timestamp,mode,class\n2017-01-03 08:15,air,x\n2017-01-03 08:16,air\n";
        assert_eq!(
            err(log),
            (
                Some(3),
                "expected 3 fields (as in the header on line 1), got 2".to_string()
            )
        );
        let log = "\ntimestamp,mode\n2017-01-03 08:15,air,\n";
        assert_eq!(
            err(log),
            (
                Some(3),
                "expected 2 fields (as in the header on line 2), got 3".to_string()
            )
        );
    }

    #[test]
    fn malformed_timestamps() {
        for bad in [
            "03/01/2017 08:15",
            "2017-01-03",
            "2017-01-03 8:15",
            "2017-01-03  08:15",
            "2017-01-03 08:15:30.250",
            "2017-01-03 08:15 CET",
            "2017-1-3 08:15",
        ] {
            let log = format!("timestamp\n2017-01-03 08:00\n\"{bad}\"\n");
            assert_eq!(
                err(&log),
                (
                    Some(3),
                    format!(
                        "malformed timestamp {bad:?}; expected YYYY-MM-DD HH:MM or \
                         YYYY-MM-DD HH:MM:SS (a T may replace the space)"
                    )
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_timestamp() {
        assert_eq!(
            err("timestamp,mode\n,air\n"),
            (
                Some(2),
                "empty timestamp; expected YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS \
                 (a T may replace the space)"
                    .to_string()
            )
        );
    }

    #[test]
    fn out_of_range_timestamps() {
        for bad in ["2017-02-30 08:15", "2017-13-01 08:15", "2017-01-03 24:00"] {
            let (line, message) = err(&format!("timestamp\n{bad}\n"));
            assert_eq!(line, Some(2));
            assert!(
                message.starts_with(&format!("invalid timestamp {bad:?}: ")),
                "{message}"
            );
        }
        let (_, message) = err("timestamp\n2017-02-30 08:15\n");
        assert!(message.contains("day"), "{message}");
    }

    #[test]
    fn time_zones_and_offsets_refused() {
        for (bad, zone) in [
            ("2017-01-03T08:15:30Z", "Z"),
            ("2017-01-03 08:15+01:00", "+01:00"),
            ("2017-01-03T08:15:30-0500", "-0500"),
            ("2017-01-03T08:15:30.5+01:00", "+01:00"),
            (
                "2017-01-03T08:15:30+01:00[Europe/Paris]",
                "+01:00[Europe/Paris]",
            ),
            ("2017-01-03T08:15[Europe/Paris]", "[Europe/Paris]"),
            ("2017-01-03 08:15 UTC", "UTC"),
        ] {
            let log = format!("timestamp\n{bad}\n");
            assert_eq!(
                err(&log),
                (
                    Some(2),
                    format!(
                        "timestamp {bad:?} has a time zone or offset ({zone:?}); only local \
                         times are accepted, as YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS \
                         (a T may replace the space)"
                    )
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn first_error_wins() {
        let log = "timestamp,mode\nnope,air\n2017-01-03 08:15\n";
        assert_eq!(err(log).0, Some(2));
    }

    #[test]
    fn display() {
        let located = ArrivalLogError {
            file: "logs/air.csv".into(),
            line: Some(4),
            message: "bad".into(),
        };
        assert_eq!(located.to_string(), "logs/air.csv:4: bad");
        let whole = ArrivalLogError {
            line: None,
            ..located
        };
        assert_eq!(whole.to_string(), "logs/air.csv: bad");
    }

    #[test]
    fn read_file() {
        let dir = std::env::temp_dir().join(format!("portsim-arrival-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("air.csv");
        std::fs::write(&path, "\u{feff}timestamp,mode\r\n2017-01-03 08:15,air\r\n").unwrap();
        let arrivals = read_arrival_log(&path, "logs/air.csv").unwrap();
        assert_eq!(times(&arrivals), vec![(2, dt("2017-01-03T08:15"))]);

        std::fs::write(
            &path,
            b"timestamp,mode\n2017-01-03 08:15,air\n2017-01-03 08:16,\xff\n",
        )
        .unwrap();
        let e = read_arrival_log(&path, "logs/air.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "logs/air.csv:3: the text is not valid UTF-8; save the log as UTF-8"
        );
        std::fs::remove_dir_all(&dir).unwrap();

        let e = read_arrival_log(&dir.join("missing.csv"), "logs/missing.csv").unwrap_err();
        assert_eq!(e.line, None);
        assert!(
            e.to_string()
                .starts_with("logs/missing.csv: cannot read the arrival log: "),
            "{e}"
        );
    }
}
