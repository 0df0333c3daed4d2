//! Property tests of scenario loading: whatever the text or the `--set` overrides,
//! `load_str` returns a model or one located error, and never panics.
//!
//! Nothing here simulates but one short run (the summary the plot reader is fed): the
//! properties load and check scenarios and read JSON documents, so the
//! whole file runs in seconds.
//!
//! What "located" means, as the loader reports it ([`ScenarioError`]):
//! - the error always names the file it was given, and its text is
//!   `FILE[:LINE]: [KEY | --set KEY]: MESSAGE`;
//! - a TOML syntax error has a line and no key;
//! - an error about a key has its dotted path (arrays of tables by element name or
//!   index); when the value comes from the file it has the line where the key, or its
//!   nearest ancestor written in the file, is; the only keys without a line are keys the
//!   file does not have at all (`modes` when there is none);
//! - the only error with neither key nor line is a missing top-level key (`missing field
//!   \`name\``);
//! - an error caused by a `--set` value names the flag (`--set PATH`) instead of a line.

use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};

use portsim::model::{ArrivalProcess, DurationDist, Staffing, StageKind};
use portsim::scenario::{Override, ScenarioError, load_str};

use crate::support::repo;

/// Cases per property: enough to find the shallow problems, cheap enough for `cargo test`.
const CASES: u32 = 512;

/// The inputs `cargo test` tries unless `PROPTEST_RNG_SEED` says otherwise: the same on
/// every machine, so a test that passed here cannot fail on a CI server by drawing other
/// inputs.
const SEED: u64 = 20_261_130;

/// `PROPTEST_CASES=N` searches deeper, `PROPTEST_RNG_SEED=N` elsewhere.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let default = ProptestConfig::default();
    let rng_seed = match default.rng_seed {
        RngSeed::Random => RngSeed::Fixed(SEED),
        chosen => chosen,
    };
    ProptestConfig {
        cases,
        rng_seed,
        // Failures are reported with their minimal input; no files are written.
        failure_persistence: None,
        ..default
    }
}

fn mmc() -> String {
    std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap()
}

fn flagship() -> String {
    std::fs::read_to_string(repo("scenarios/chongqing-2017.toml")).unwrap()
}

// ---- What a located error is ---------------------------------------------------------

/// Checks that `e`, from loading `text` as `file` without overrides, says where it is,
/// as the module doc describes. Returns the error's text for further checks.
fn located(file: &str, text: &str, e: &ScenarioError) -> Result<String, TestCaseError> {
    let shown = e.to_string();
    prop_assert_eq!(&e.file, file);
    prop_assert!(shown.starts_with(file), "names the file: {}", shown);
    prop_assert!(
        !e.message.trim().is_empty(),
        "says what is wrong: {}",
        shown
    );
    prop_assert!(
        e.origin.is_none(),
        "no flag was given, yet the error blames one: {}",
        shown
    );
    let lines = text.lines().count().max(1);
    if let Some(line) = e.line {
        // TOML reports the end of a file without a final newline as one line further.
        prop_assert!(
            (1..=lines + 1).contains(&line),
            "line {} of a {}-line file: {}",
            line,
            lines,
            shown
        );
    }
    match (&e.key, e.line) {
        (Some(key), Some(line)) => {
            prop_assert_eq!(&shown, &format!("{file}:{line}: {key}: {}", e.message));
            prop_assert!(!e.message.starts_with("not valid TOML"), "{}", shown);
            // The line is where the key path is written: it mentions one of its segments
            // (a key, or an element's name), or opens the table or inline table of an
            // element addressed by index.
            let written = text.lines().nth(line - 1).unwrap_or("");
            prop_assert!(
                mentions(written, key),
                "line {} ({:?}) does not show where {} is: {}",
                line,
                written,
                key,
                shown
            );
        }
        (Some(key), None) => {
            prop_assert_eq!(&shown, &format!("{file}: {key}: {}", e.message));
            // Only a key the file does not have is without a line.
            let top = key.split('.').next().unwrap_or_default();
            let doc: toml::Table = text.parse().map_err(|err| {
                TestCaseError::fail(format!("a key error for text that is not TOML: {err}"))
            })?;
            prop_assert!(
                !doc.contains_key(top),
                "`{}` is in the file, but the error has no line: {}",
                top,
                shown
            );
        }
        (None, Some(line)) => {
            prop_assert_eq!(&shown, &format!("{file}:{line}: {}", e.message));
            prop_assert!(
                e.message.starts_with("not valid TOML: "),
                "a line without a key is a syntax error: {}",
                shown
            );
        }
        (None, None) => {
            prop_assert_eq!(&shown, &format!("{file}: {}", e.message));
            prop_assert!(
                e.message.starts_with("missing field `"),
                "an error with neither line nor key is a missing top-level key: {}",
                shown
            );
        }
    }
    Ok(shown)
}

/// Whether `line` of a scenario is where `key` (a dotted path) is written.
fn mentions(line: &str, key: &str) -> bool {
    let code = line.trim_start();
    key.split('.').any(|seg| line.contains(seg)) || code.starts_with('[') || code.contains('{')
}

// ---- (a) Arbitrary text ------------------------------------------------------------------

/// Text made of TOML's punctuation, scenario key names and values, so that more of it
/// gets past the TOML parser than arbitrary text does.
fn tomlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\n".to_string()),
        Just(" = ".to_string()),
        Just("[[modes]]\n".to_string()),
        Just("[[pools]]\n".to_string()),
        Just("{ ".to_string()),
        Just(" }".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(", ".to_string()),
        Just(".".to_string()),
        Just("\"".to_string()),
        prop::sample::select(KEYS).prop_map(str::to_string),
        scalar(),
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(config())]

    /// Arbitrary Unicode text never panics the loader, and an error is located.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Err(e) = load_str("any.toml", &text, &[]) {
            located("any.toml", &text, &e)?;
        }
    }

    /// Arbitrary bytes, read as a scenario file would be after a lossy decoding.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = load_str("bytes.toml", &text, &[]) {
            located("bytes.toml", &text, &e)?;
        }
    }

    /// TOML-like text with the format's key names.
    #[test]
    fn tomlish_text_never_panics(text in tomlish()) {
        if let Err(e) = load_str("tomlish.toml", &text, &[]) {
            located("tomlish.toml", &text, &e)?;
        }
    }
}

// ---- (b) Mutations of valid scenarios ------------------------------------------------------

/// A random TOML scalar as written in a file, including awkward ones.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        prop::sample::select(vec![
            "0",
            "-1",
            "1e308",
            "-1e308",
            "1e-320",
            "nan",
            "+inf",
            "-inf",
            "-0.0",
            "0.5",
            "9223372036854775807",
            "true",
            "false",
            "[]",
            "{}",
            "[1, 2]",
            "1979-05-27",
            "1979-05-27T07:32:00",
            "07:32:00",
            "\"\"",
            "\" \"",
            "\"1h\"",
            "\"0s\"",
            "\"-1h\"",
            "\"1x\"",
            "\"NaNh\"",
            "\"infh\"",
            "\"1e400h\"",
            "\"1e300w\"",
            "\"24:30\"",
            "\"24:00\"",
            "\"00:00\"",
            "\"Mon-Funday\"",
            "\"Sun-Mon\"",
            "\"2024-02-30\"",
            "\"9999-12-31\"",
            "\"-9999-01-01\"",
            "\"poisson\"",
            "\"exponential\"",
            "\"7x24\"",
            "\"auto\"",
            "\"servers\"",
            "\"customers\"",
        ])
        .prop_map(str::to_string),
        "[ -~&&[^\"\\\\]]{0,12}".prop_map(|s| format!("\"{s}\"")),
    ]
}

/// Key names of the format, for unknown-key insertions and `--set` paths.
const KEYS: &[&str] = &[
    "name",
    "description",
    "start",
    "horizon_days",
    "warmup_days",
    "warmup",
    "drain_days",
    "replications",
    "seed",
    "policy",
    "holidays",
    "workdays",
    "clearance_interval",
    "sla",
    "calendars",
    "reservations",
    "office_hours",
    "lead_time",
    "peaks",
    "from",
    "to",
    "arrival_factor",
    "arrival_factors",
    "extra_staff",
    "pools",
    "staff",
    "rosters",
    "days",
    "end",
    "serves",
    "modes",
    "headline",
    "priority_share",
    "reservation_share",
    "lodgement",
    "exit",
    "arrivals",
    "kind",
    "rate_per_hour",
    "hourly_profile",
    "weekly_profile",
    "hour_of_week_profile",
    "at",
    "services",
    "batch",
    "jitter",
    "cancel_probability",
    "file",
    "stages",
    "channels",
    "share",
    "pool",
    "time",
    "delay",
    "calendar",
    "branches",
    "dist",
    "mean",
    "cv",
    "value",
    "min",
    "mode",
    "max",
    "values",
    "weights",
];

/// The key the mutations insert; the format has no such key.
const UNKNOWN: &str = "zz_not_a_key";

/// One edit of a scenario text.
#[derive(Clone, Debug)]
enum Mutation {
    /// Remove the line at this index (modulo the line count).
    DeleteLine(usize),
    /// Write the line at this index twice.
    DuplicateLine(usize),
    /// Replace the value after the n-th `= ` (modulo their count) by a scalar.
    ReplaceValue(usize, String),
    /// Cut the text at this byte (modulo its length, moved to a character boundary).
    Truncate(usize),
    /// Insert `UNKNOWN = 1` as a line before the line at this index.
    InsertKeyLine(usize),
    /// Insert `UNKNOWN = 1, ` after the n-th `{ ` (an inline table).
    InsertKeyInline(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), scalar()).prop_map(|(i, s)| Mutation::ReplaceValue(i, s)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::InsertKeyLine),
        any::<usize>().prop_map(Mutation::InsertKeyInline),
    ]
}

/// Where a mutation put a key, for the checks that follow from it.
#[derive(Debug)]
struct Edited {
    text: String,
    /// The 1-based line of an inserted unknown key.
    inserted_at: Option<usize>,
    /// The 1-based line of a replaced value, and the key it belongs to.
    replaced: Option<(usize, String)>,
}

fn line_of_byte(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// The scalar token starting at byte `at`: a quoted string, or up to a delimiter.
fn token_end(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    if let Some(quoted) = rest.strip_prefix('"') {
        return match quoted.find('"') {
            Some(i) => at + i + 2,
            None => text.len(),
        };
    }
    at + rest
        .find([',', ' ', '}', ']', '\n', '\r', '#'])
        .unwrap_or(rest.len())
}

/// The key written just before byte `eq` (the position of `=`).
fn key_before(text: &str, eq: usize) -> String {
    text[..eq]
        .trim_end()
        .rsplit([' ', '{', ',', '\n', '.'])
        .next()
        .unwrap_or("")
        .to_string()
}

fn apply(text: &str, m: &Mutation) -> Edited {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut edited = Edited {
        text: String::new(),
        inserted_at: None,
        replaced: None,
    };
    edited.text = match m {
        Mutation::DeleteLine(i) => {
            let mut l = lines.clone();
            l.remove(i % lines.len());
            l.join("\n")
        }
        Mutation::DuplicateLine(i) => {
            let mut l = lines.clone();
            let i = i % lines.len();
            l.insert(i, lines[i]);
            l.join("\n")
        }
        Mutation::ReplaceValue(n, value) => {
            let eqs: Vec<usize> = text.match_indices("= ").map(|(i, _)| i).collect();
            let Some(&eq) = eqs.get(n % eqs.len().max(1)) else {
                edited.text = text.to_string();
                return edited;
            };
            let from = eq + 2;
            let to = token_end(text, from);
            edited.replaced = Some((line_of_byte(text, from), key_before(text, eq)));
            format!("{}{value}{}", &text[..from], &text[to..])
        }
        Mutation::Truncate(at) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
        Mutation::InsertKeyLine(i) => {
            let i = i % (lines.len() + 1);
            let mut l = lines.clone();
            let line = format!("{UNKNOWN} = 1");
            l.insert(i, &line);
            edited.inserted_at = Some(i + 1);
            l.join("\n")
        }
        Mutation::InsertKeyInline(n) => {
            let opens: Vec<usize> = text.match_indices("{ ").map(|(i, _)| i).collect();
            let Some(&open) = opens.get(n % opens.len().max(1)) else {
                edited.text = text.to_string();
                return edited;
            };
            let at = open + 2;
            edited.inserted_at = Some(line_of_byte(text, at));
            format!("{}{UNKNOWN} = 1, {}", &text[..at], &text[at..])
        }
    };
    edited
}

/// Loads a mutated scenario: it loads, or its error is located; an inserted unknown key
/// is always an error, at the line it was inserted on; a bad value put in place of
/// another is reported at its line.
fn check_mutation(file: &str, original: &str, m: &Mutation) -> Result<(), TestCaseError> {
    let edited = apply(original, m);
    let text = edited.text.as_str();
    let result = load_str(file, text, &[]);
    if let Some(line) = edited.inserted_at {
        let Err(e) = &result else {
            return Err(TestCaseError::fail(format!(
                "the unknown key `{UNKNOWN}` on line {line} was accepted"
            )));
        };
        let shown = located(file, text, e)?;
        // An error about the inserted key names it, at the line it was inserted on.
        let names_it = e.key.as_deref().is_some_and(|k| k.ends_with(UNKNOWN));
        if names_it || e.message.contains(UNKNOWN) {
            prop_assert!(names_it, "the key path is not given: {}", shown);
            prop_assert_eq!(e.line, Some(line), "{}", shown);
        }
        return Ok(());
    }
    let Err(e) = &result else { return Ok(()) };
    let shown = located(file, text, e)?;
    if let (Some((line, replaced)), Some(key)) = (&edited.replaced, &e.key) {
        // An error about the replaced key itself is on its line.
        if key.rsplit('.').next() == Some(replaced.as_str()) && !replaced.is_empty() {
            prop_assert_eq!(e.line, Some(*line), "{}", shown);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Mutations of the M/M/3 validation scenario.
    #[test]
    fn mutated_mmc_loads_or_is_located(m in mutation()) {
        check_mutation("mmc.toml", &mmc(), &m)?;
    }

    /// Mutations of the 2017 flagship scenario (750 lines, every feature).
    #[test]
    fn mutated_flagship_loads_or_is_located(m in mutation()) {
        check_mutation("chongqing-2017.toml", &flagship(), &m)?;
    }

    /// Two mutations at once, on the M/M/3 scenario.
    #[test]
    fn twice_mutated_mmc_never_panics(a in mutation(), b in mutation()) {
        let once = apply(&mmc(), &a).text;
        let twice = apply(&once, &b).text;
        if let Err(e) = load_str("mmc.toml", &twice, &[]) {
            located("mmc.toml", &twice, &e)?;
        }
    }
}

// ---- (c) --set overrides ---------------------------------------------------------------------

/// A path segment: a key of the format, an element name or index of mmc.toml, or noise.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_string),
        2 => prop::sample::select(vec!["servers", "customers", "serve", "0", "1", "99", "-1"])
            .prop_map(str::to_string),
        1 => "[a-z_0-9-]{1,8}",
    ]
}

/// A dotted path, mostly made of real names.
fn set_path() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "horizon_days",
            "warmup_days",
            "drain_days",
            "replications",
            "seed",
            "policy",
            "name",
            "start",
            "sla",
            "warmup",
            "clearance_interval",
            "pools.servers.staff",
            "pools.0.staff",
            "pools.servers.name",
            "modes.customers.arrivals.rate_per_hour",
            "modes.customers.arrivals.kind",
            "modes.customers.stages.serve.time.mean",
            "modes.customers.stages.serve.time.dist",
            "modes.customers.stages.serve.pool",
            "modes.customers.priority_share",
        ])
        .prop_map(str::to_string),
        prop::collection::vec(segment(), 1..6).prop_map(|s| s.join(".")),
    ]
}

/// A value as typed after `=`: TOML, or text taken as a string.
fn set_value() -> impl Strategy<Value = String> {
    prop_oneof![
        scalar(),
        prop::sample::select(vec![
            "",
            " ",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "1e309",
            "-1e309",
            "99999999999999999999",
            "-5",
            "0",
            "1h",
            "1x",
            "1 hour",
            "-1h",
            "NaNh",
            "1e999h",
            "7x24",
            "[",
            "{",
            "\"",
            "a=b",
            "1.2.3",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,10}",
    ]
}

/// The value at a dotted key path as errors show it (array elements by `name`, or by
/// index when no element has that name), if the document has one.
fn value_at<'a>(doc: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut segs = key.split('.');
    let mut cur = doc.get(segs.next()?)?;
    for seg in segs {
        cur = match cur {
            toml::Value::Table(t) => t.get(seg)?,
            toml::Value::Array(items) => items
                .iter()
                .find(|v| v.get("name").and_then(toml::Value::as_str) == Some(seg))
                .or_else(|| items.get(seg.parse::<usize>().ok()?))?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The weak promise, kept today: an error from a `--set` on mmc.toml names the file and
/// either the flag or a key path.
fn check_set(o: &Override, e: &ScenarioError) -> Result<(), TestCaseError> {
    let shown = e.to_string();
    prop_assert_eq!(&e.file, "mmc.toml");
    prop_assert!(shown.starts_with("mmc.toml"), "{}", shown);
    match &e.origin {
        Some(origin) => {
            prop_assert_eq!(origin, &o.origin);
            prop_assert!(shown.contains(&format!(": {}: ", o.origin)), "{}", shown);
            prop_assert_eq!(e.line, None, "a flag's value has no line: {}", shown);
        }
        None => prop_assert!(e.key.is_some(), "names no key: {}", shown),
    }
    Ok(())
}

/// The full promise: when the value the error is about is the one the flag changed, the
/// error names the flag (`--set PATH`) and no line of the file; when the flag is fine in
/// itself but conflicts with a value of the file (staff = 0 for a pool a stage needs, a
/// horizon shorter than the file's warm-up), the error is at that value, on its line.
fn check_set_blame(text: &str, o: &Override, e: &ScenarioError) -> Result<(), TestCaseError> {
    check_set(o, e)?;
    let shown = e.to_string();
    let Some(key) = &e.key else { return Ok(()) };
    let file: toml::Table = text.parse().unwrap();
    let mut set = file.clone();
    if o.apply(&mut set).is_err() {
        // Refused while applying: always blamed on the flag (checked above).
        prop_assert!(e.origin.is_some(), "{}", shown);
        return Ok(());
    }
    let changed = value_at(&file, key) != value_at(&set, key);
    if changed {
        prop_assert_eq!(
            e.origin.as_deref(),
            Some(o.origin.as_str()),
            "{} changed `{}`, yet the error blames the file: {}",
            &o.origin,
            key,
            shown
        );
    } else {
        prop_assert!(
            e.origin.is_none() && e.line.is_some(),
            "`{}` is as the file has it, yet the error is not on its line: {}",
            key,
            shown
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// `--set PATH=VALUE` with real and made-up paths and awkward values never panics,
    /// and the error names the flag or a key path.
    #[test]
    fn overrides_never_panic(path in set_path(), value in set_value()) {
        let arg = format!("{path}={value}");
        let o = Override::parse(&arg).map_err(|m| TestCaseError::fail(format!("{arg}: {m}")))?;
        prop_assert_eq!(o.dotted(), path.clone());
        prop_assert_eq!(&o.origin, &format!("--set {path}"));
        if let Err(e) = load_str("mmc.toml", &mmc(), std::slice::from_ref(&o)) {
            check_set(&o, &e)?;
        }
    }

    /// The same overrides: an error about the value a flag changed names the flag.
    #[test]
    fn overrides_errors_blame_the_flag(path in set_path(), value in set_value()) {
        let text = mmc();
        let o = Override::parse(&format!("{path}={value}")).unwrap();
        if let Err(e) = load_str("mmc.toml", &text, std::slice::from_ref(&o)) {
            check_set_blame(&text, &o, &e)?;
        }
    }

    /// `Override::parse` on arbitrary text never panics, and what it accepts can be
    /// applied.
    #[test]
    fn any_set_argument_never_panics(arg in any::<String>()) {
        if let Ok(o) = Override::parse(&arg) {
            prop_assert!(!o.path.is_empty() && o.path.iter().all(|s| !s.is_empty()));
            let _ = load_str("mmc.toml", &mmc(), &[o]);
        }
    }
}

/// `--set PATH=VALUE` on mmc.toml: the error, or `None` when it loads.
fn set_error(arg: &str) -> Option<ScenarioError> {
    let o = Override::parse(arg).unwrap();
    load_str("mmc.toml", &mmc(), &[o]).err()
}

/// The error of `--set ARG` on mmc.toml, checked to name the flag and no line.
fn blames_the_flag(arg: &str) -> ScenarioError {
    let e = set_error(arg).unwrap_or_else(|| panic!("{arg} was accepted"));
    let path = arg.split('=').next().unwrap();
    assert_eq!(
        e.origin.as_deref(),
        Some(format!("--set {path}").as_str()),
        "{arg}: {e}"
    );
    assert_eq!(e.line, None, "{arg}: {e}");
    e
}

/// Errors about the value a flag set name the flag and no line, whatever the value.
#[test]
fn set_errors_that_name_the_flag() {
    for (arg, message) in [
        (
            "modes.customers.arrivals.rate_per_hour=-2.7",
            "expected a rate ≥ 0 shipments per hour, got -2.7",
        ),
        ("modes.customers.arrivals.rate_per_hour=nan", "got NaN"),
        ("modes.customers.arrivals.rate_per_hour=inf", "got inf"),
        (
            "modes.customers.arrivals.rate_per_hour=NaN",
            "found the text \"NaN\"",
        ),
        (
            "modes.customers.arrivals.rate_per_hour=",
            "found the text \"\"",
        ),
        (
            "pools.servers.staff=-1",
            "expected a whole number of officers from 0 to 1000000, got -1",
        ),
        (
            "pools.servers.staff=99999999999999999999",
            "found a whole number too large (whole numbers go up to 9223372036854775807), expected a whole number",
        ),
        (
            "modes.customers.stages.serve.time.mean=1x",
            "expected a duration with a unit",
        ),
        ("modes.customers.stages.serve.time.mean=-1h", "not negative"),
        (
            "modes.customers.stages.serve.time.mean=1e999h",
            "expected a duration",
        ),
        // The error is about the distribution, a table above the value the flag set.
        (
            "modes.customers.stages.serve.time.mean=\"0s\"",
            "exponential needs finite mean > 0, got 0.0",
        ),
        ("modes.customers.arrivals.ratee=1", "unknown field `ratee`"),
        ("horizon_days=-1", "expected a number of days > 0, got -1"),
        ("warmup_days=400", "must be shorter than the horizon"),
        (
            "modes.customers=1",
            "cannot replace a whole element of `modes`",
        ),
        (
            "pools.nobody.staff=1",
            "no element named or numbered \"nobody\"",
        ),
        ("horizon_days.x=1", "`horizon_days` is a value, not a table"),
    ] {
        let e = blames_the_flag(arg);
        let path = arg.split('=').next().unwrap();
        assert!(
            e.to_string()
                .starts_with(&format!("mmc.toml: --set {path}: ")),
            "{arg}: {e}"
        );
        assert!(e.message.contains(message), "{arg}: {e}");
    }
}

/// A flag that conflicts with a value of the file: the error is at that value's line.
#[test]
fn set_conflicts_are_located_in_the_file() {
    let e = set_error("pools.servers.staff=0").unwrap();
    assert_eq!(
        e.to_string(),
        "mmc.toml:17: modes.customers.stages.serve.pool: pool \"servers\" never has anyone on duty, so stage \"serve\" could never be served"
    );
    let e = set_error("horizon_days=10").unwrap();
    assert_eq!(
        e.to_string(),
        "mmc.toml:6: warmup_days: the warm-up (20 days) must be shorter than the horizon (10 days), which includes it"
    );
}

/// A problem at a table above the flag's value that the file has without the flag is the
/// file's: a pool without a name, whatever the flag sets in it; a flag that sets the
/// value the file already has.
#[test]
fn problems_the_file_has_without_the_flag_stay_on_its_line() {
    let noname = mmc().replace("name = \"servers\"\n", "");
    for arg in ["pools.0.staff=4", "pools.0.staff=3"] {
        let o = Override::parse(arg).unwrap();
        let e = load_str("mmc.toml", &noname, &[o]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mmc.toml:10: pools.0: missing field `name`",
            "{arg}"
        );
    }
    let zero = mmc().replace("mean = \"1h\"", "mean = \"0s\"");
    for value in ["\"0s\"", "\"0h\""] {
        let o =
            Override::parse(&format!("modes.customers.stages.serve.time.mean={value}")).unwrap();
        let e = load_str("mmc.toml", &zero, &[o]).unwrap_err();
        assert_eq!(e.origin, None, "{value}: {e}");
        assert_eq!(e.line, Some(17), "{value}: {e}");
    }
    // The same flag on a file without the problem is to blame.
    let e = set_error("modes.customers.stages.serve.time.mean=\"0s\"").unwrap();
    assert_eq!(
        e.origin.as_deref(),
        Some("--set modes.customers.stages.serve.time.mean")
    );
}

/// Regression: a `--set` whose path goes on below the key in error is blamed on the
/// file, with no line, and the flag is not named.
#[test]
fn set_deeper_than_the_error_names_the_flag() {
    for arg in [
        "foo.bar=1",
        "warmup.x=1",
        "peaks.name=x",
        "clearance_interval.x=1",
        "modes.customers.arrivals.ratee.x=1",
        "pools.servers.bogus.x=1",
    ] {
        blames_the_flag(arg);
    }
}

/// Regression: a `--set` that addresses an array element by index, or renames an
/// element, is blamed on the file's line for that key, where the file's value is fine.
#[test]
fn set_by_index_or_renaming_names_the_flag() {
    for arg in [
        "pools.0.staff=x",
        "modes.0.arrivals.rate_per_hour=-1",
        "pools.servers.name=-0.0",
        "pools.servers.name=",
        "modes.customers.name=",
        "modes.customers.stages.0.time.mean=1x",
        "modes.customers.stages.serve.name=1",
    ] {
        blames_the_flag(arg);
    }
}

// ---- (d) Valid M/M/c scenarios load as written ------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// A generated M/M/c scenario loads, and the model holds what the file says.
    #[test]
    fn generated_mmc_loads_as_written(
        rate in 0.0f64..1000.0,
        staff in 1i64..500,
        mean_minutes in 1u32..10_000,
        horizon in 1u32..2000,
        warmup_share in 0.0f64..0.99,
        replications in 1i64..100,
        seed in 0i64..i64::MAX,
    ) {
        let warmup = (f64::from(horizon) * warmup_share).floor();
        let text = format!(
            r#"name = "M/M/c {staff}"
start = "2024-01-01"
horizon_days = {horizon}
warmup_days = {warmup:?}
replications = {replications}
seed = {seed}

[[pools]]
name = "servers"
staff = {staff}

[[modes]]
name = "customers"
arrivals = {{ kind = "poisson", rate_per_hour = {rate:?} }}
stages = [ {{ name = "serve", pool = "servers", time = {{ dist = "exponential", mean = "{mean_minutes}m" }} }} ]
"#
        );
        let loaded = load_str("gen.toml", &text, &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let m = &loaded.model;
        prop_assert_eq!(&m.name, &format!("M/M/c {staff}"));
        prop_assert_eq!(m.horizon.hours(), f64::from(horizon) * 24.0);
        prop_assert_eq!(m.warmup.hours(), warmup * 24.0);
        prop_assert_eq!(i64::from(m.replications), replications);
        prop_assert_eq!(m.seed, seed as u64);
        prop_assert_eq!(m.policy.as_deref(), None);
        prop_assert_eq!(m.pools.len(), 1);
        prop_assert_eq!(&m.pools[0].name, "servers");
        prop_assert!(
            matches!(m.pools[0].general, Staffing::Constant(n) if i64::from(n) == staff),
            "{:?}",
            m.pools[0].general
        );
        prop_assert_eq!(m.modes.len(), 1);
        let mode = &m.modes[0];
        prop_assert_eq!(&mode.name, "customers");
        prop_assert!(
            matches!(&mode.arrivals, ArrivalProcess::Poisson { rate_per_hour, profile: None, peaks } if *rate_per_hour == rate && peaks.is_empty()),
            "{:?}",
            mode.arrivals
        );
        prop_assert_eq!(mode.channels.len(), 1);
        let stages = &mode.channels[0].stages;
        prop_assert_eq!(stages.len(), 1);
        prop_assert_eq!(&stages[0].name, "serve");
        match &stages[0].kind {
            StageKind::Service { pool, time } => {
                prop_assert_eq!(pool.0, 0);
                let DurationDist::Exponential { mean } = time else {
                    return Err(TestCaseError::fail(format!("{time:?}")));
                };
                prop_assert!((mean - f64::from(mean_minutes) / 60.0).abs() < 1e-12, "{}", mean);
            }
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
        // The resolved scenario loads again to the same resolved text.
        let again = load_str("gen.toml", &loaded.resolved_toml, &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", loaded.resolved_toml)))?;
        prop_assert_eq!(&again.resolved_toml, &loaded.resolved_toml);
        prop_assert_eq!(&again.sha256, &loaded.sha256);
    }
}

// ---- JSON readers: check's baseline, plot's documents ------------------------------------

/// Arbitrary JSON a few levels deep; keys are often names the readers look for.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![
            any::<f64>(),
            Just(f64::MAX),
            Just(1e100),
            Just(-1e300),
            Just(0.0)
        ]
        .prop_map(Value::from),
        "[a-z0-9:. +-]{0,12}".prop_map(Value::from),
        Just(Value::from("2024-02-30")),
    ];
    let key = prop_oneof![
        "[a-z_.]{1,8}",
        prop::sample::select(vec![
            "values",
            "value",
            "kind",
            "replications",
            "file",
            "start",
            "days_per_bin",
            "overall",
            "bins",
            "summaries",
            "columns",
            "variants",
            "summary",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((key.clone(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// `doc` with the node that `steps` lead to replaced by `value` (or, for a member of an
/// object when `remove`, removed).
fn mutate(doc: &mut serde_json::Value, steps: &[usize], value: serde_json::Value, remove: bool) {
    use serde_json::Value;
    let Some((&step, rest)) = steps.split_first() else {
        *doc = value;
        return;
    };
    match doc {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(step % m.len()).unwrap().clone();
            if rest.is_empty() && remove {
                m.shift_remove(&key);
            } else {
                mutate(m.get_mut(&key).unwrap(), rest, value, remove);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[step % n], rest, value, remove);
        }
        other => *other = value,
    }
}

/// A small real run summary, drawn once.
fn a_summary() -> &'static serde_json::Value {
    static SUMMARY: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SUMMARY.get_or_init(|| {
        let model = crate::support::model(
            "scenarios/validation/mm1.toml",
            &["horizon_days=20", "warmup_days=1", "replications=2"],
        );
        let (_, summary) = crate::support::run(&model);
        serde_json::from_str(&summary.to_json()).unwrap()
    })
}

proptest! {
    #![proptest_config(config())]

    /// Whatever a baseline holds, `check` reads it or refuses it naming the file and a
    /// line or the JSON path of the entry; it never panics.
    #[test]
    fn baselines_are_read_or_refused_where_they_are_wrong(
        steps in prop::collection::vec(any::<usize>(), 1..7),
        value in json(),
        remove in any::<bool>(),
    ) {
        use portsim::check::{Baseline, ReadError};
        let text = std::fs::read_to_string(repo("scenarios/baseline.json")).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        mutate(&mut doc, &steps, value, remove);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        match Baseline::read(&path) {
            Ok(b) => {
                for e in &b.entries {
                    prop_assert!(e.replications >= 1);
                }
            }
            Err(ReadError::Missing) => prop_assert!(false, "the file is there"),
            Err(ReadError::Invalid(m)) => {
                let shown = path.display().to_string();
                prop_assert!(m.starts_with(&format!("{shown}: ")), "{}", m);
                prop_assert!(m.contains(": line ") || m.contains(": entries["), "{}", m);
            }
        }
    }

    /// Whatever a summary (alone, in a list or in a plot-data.json) holds, `plot`'s reader
    /// accepts it or names the JSON path of what is wrong; it never panics.
    #[test]
    fn plotted_summaries_are_read_or_refused_at_a_json_path(
        steps in prop::collection::vec(any::<usize>(), 1..8),
        value in json(),
        remove in any::<bool>(),
        wrap in 0..3usize,
    ) {
        use portsim::report::figures::check_document;
        use portsim::report::plots::PlotInput;
        let mut doc = a_summary().clone();
        mutate(&mut doc, &steps, value, remove);
        let (doc, root) = match wrap {
            0 => (doc, "$"),
            1 => (serde_json::json!([doc]), "$[0]"),
            _ => (
                serde_json::json!({"schema": "portsim.plot-data/1", "kind": "runs", "summaries": [doc]}),
                "$.summaries[0]",
            ),
        };
        match check_document(&doc) {
            Ok(()) => {
                // What passes the check is read (or refused as another kind of document).
                let _ = PlotInput::from_json(doc);
            }
            Err(m) => prop_assert!(m.starts_with(root), "{}", m),
        }
    }
}
