//! Sets of weekdays, parsed from text such as "Mon-Fri" or "Sat,Sun".

use std::fmt;
use std::str::FromStr;

use jiff::civil::Weekday;

/// Weekday names as accepted by [`DaySet::parse`], Monday first.
const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// What [`DaySet::parse`] accepts, for error messages.
const ACCEPTED: &str = "weekday names Mon, Tue, Wed, Thu, Fri, Sat, Sun (any case), \
                        ranges such as \"Mon-Fri\" or \"Fri-Mon\", lists such as \"Mon-Wed,Fri\"";

/// A non-empty set of weekdays: bit `i` is weekday `i`, Monday = 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DaySet(u8);

impl DaySet {
    /// Every day of the week.
    pub const ALL: DaySet = DaySet(0b111_1111);
    /// Monday to Friday: a set containing all of these runs on make-up working days
    /// (see [`Calendar::is_workday`](super::Calendar::is_workday)).
    pub const WEEKDAYS: DaySet = DaySet(0b001_1111);

    /// Parses a comma-separated list of weekdays and ranges: `"Mon-Fri"`, `"Sat,Sun"`,
    /// `"Mon-Sun"`, `"Mon"`, `"Fri-Mon"` (a range wraps past Sunday), `"Mon-Wed,Fri"`.
    ///
    /// Names are the three-letter English abbreviations in any case; whitespace around
    /// names, dashes and commas is ignored. An empty entry or unknown name is an error.
    pub fn parse(s: &str) -> Result<DaySet, String> {
        let mut bits = 0u8;
        for entry in s.split(',') {
            let entry = entry.trim();
            if entry.is_empty() {
                return Err(format!("expected {ACCEPTED}; got an empty entry in {s:?}"));
            }
            let (first, last) = match entry.split_once('-') {
                Some((first, last)) => (first.trim(), last.trim()),
                None => (entry, entry),
            };
            let first = weekday_offset(first, s)?;
            let last = weekday_offset(last, s)?;
            let mut day = first;
            loop {
                bits |= 1 << day;
                if day == last {
                    break;
                }
                day = (day + 1) % 7;
            }
        }
        Ok(DaySet(bits))
    }

    /// Whether `wd` is in the set.
    pub fn contains(&self, wd: Weekday) -> bool {
        self.0 & (1 << wd.to_monday_zero_offset()) != 0
    }

    /// Whether every day of `other` is in the set.
    pub fn contains_all(&self, other: DaySet) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The Monday-zero offset of the weekday called `name` in `whole`.
fn weekday_offset(name: &str, whole: &str) -> Result<u8, String> {
    NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .map(|i| i as u8)
        .ok_or_else(|| format!("unknown weekday {name:?} in {whole:?}: expected {ACCEPTED}"))
}

impl FromStr for DaySet {
    type Err = String;
    fn from_str(s: &str) -> Result<DaySet, String> {
        DaySet::parse(s)
    }
}

impl fmt::Display for DaySet {
    /// Formats as runs from Monday to Sunday, e.g. `"Mon-Wed,Fri"`; parses back to the
    /// same set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut day = 0;
        while day < 7 {
            if self.0 & (1 << day) == 0 {
                day += 1;
                continue;
            }
            let start = day;
            while day + 1 < 7 && self.0 & (1 << (day + 1)) != 0 {
                day += 1;
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            f.write_str(NAMES[start])?;
            if day > start {
                write!(f, "-{}", NAMES[day])?;
            }
            day += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    const WEEK: [Weekday; 7] = [
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
    ];

    fn days(s: &str) -> Vec<Weekday> {
        let set = DaySet::parse(s).unwrap();
        WEEK.into_iter().filter(|&wd| set.contains(wd)).collect()
    }

    #[test]
    fn parses_names_ranges_and_lists() {
        assert_eq!(
            days("Mon-Fri"),
            [Monday, Tuesday, Wednesday, Thursday, Friday]
        );
        assert_eq!(days("Sat,Sun"), [Saturday, Sunday]);
        assert_eq!(days("Mon-Sun"), WEEK);
        assert_eq!(DaySet::parse("Mon-Sun").unwrap(), DaySet::ALL);
        assert_eq!(days("Mon"), [Monday]);
        assert_eq!(days("Mon-Mon"), [Monday]);
        assert_eq!(days("Fri-Mon"), [Monday, Friday, Saturday, Sunday]);
        assert_eq!(days("Sun-Sat"), WEEK);
        assert_eq!(days("Mon-Wed,Fri"), [Monday, Tuesday, Wednesday, Friday]);
        assert_eq!(
            days("  mon - WED , fRi  "),
            [Monday, Tuesday, Wednesday, Friday]
        );
        assert_eq!(days("Tue,Tue,Mon-Tue"), [Monday, Tuesday]);
    }

    #[test]
    fn weekdays_and_contains_all() {
        assert_eq!(DaySet::parse("Mon-Fri").unwrap(), DaySet::WEEKDAYS);
        for (s, all_weekdays) in [
            ("Mon-Fri", true),
            ("Mon-Sun", true),
            ("Sun-Fri", true),
            ("Mon-Thu,Sat", false),
            ("Mon,Wed", false),
            ("Sat,Sun", false),
        ] {
            let set = DaySet::parse(s).unwrap();
            assert_eq!(set.contains_all(DaySet::WEEKDAYS), all_weekdays, "{s}");
            assert!(set.contains_all(set));
            assert!(DaySet::ALL.contains_all(set));
        }
    }

    #[test]
    fn rejects_empty_and_unknown_names() {
        let err = DaySet::parse("").unwrap_err();
        assert!(err.contains("empty entry"), "{err}");
        assert!(err.contains("Mon, Tue, Wed, Thu, Fri, Sat, Sun"), "{err}");
        let err = DaySet::parse("Mon-Funday").unwrap_err();
        assert!(err.contains("unknown weekday \"Funday\""), "{err}");
        assert!(err.contains("Mon, Tue, Wed, Thu, Fri, Sat, Sun"), "{err}");
        for (bad, token) in [
            ("Monday", "\"Monday\""),
            ("Mon-", "\"\""),
            ("-Fri", "\"\""),
            ("Mon-Wed-Fri", "\"Wed-Fri\""),
            ("Mon Tue", "\"Mon Tue\""),
            ("Mo", "\"Mo\""),
        ] {
            let err = DaySet::parse(bad).unwrap_err();
            assert!(
                err.contains(&format!("unknown weekday {token}")),
                "{bad}: {err}"
            );
        }
        for bad in ["Mon,,Tue", "Mon,", ",Mon", "  ", " , "] {
            assert!(
                DaySet::parse(bad).unwrap_err().contains("empty entry"),
                "{bad}"
            );
        }
    }

    #[test]
    fn displays_runs_that_parse_back() {
        for s in [
            "Mon-Fri",
            "Sat-Sun",
            "Mon",
            "Mon,Fri-Sun",
            "Mon-Wed,Fri",
            "Mon-Sun",
            "Tue,Thu,Sun",
        ] {
            let set = DaySet::parse(s).unwrap();
            assert_eq!(set.to_string(), s);
            assert_eq!(set.to_string().parse::<DaySet>().unwrap(), set);
        }
        assert_eq!(DaySet::parse("Fri-Mon").unwrap().to_string(), "Mon,Fri-Sun");
    }
}
