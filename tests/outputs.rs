//! Output files: never clobbered, never mixed. Destinations are checked before anything
//! is simulated; an output directory is locked by the process writing it and holds one
//! run's files; `--trace`, `--junit` and baselines are written whole; a disk that fills
//! half-way (simulated by the write layer's test hook, `PORTSIM_TEST_DISK_BYTES`) leaves
//! the previous files intact and no temporary file behind, and exits 3 (the machine
//! failed, not the input).
//!
//! Refusals that must come before simulating use a run that would take many minutes, and
//! a time limit far below that: refused in time means refused before the work.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::{MONTH as SHORT, mmc, portsim};

/// Longer than any refusal or short run here takes; far shorter than [`LONG`] runs.
const LIMIT: Duration = Duration::from_secs(60);

/// M/M/3 for 100 years, a thousand replications: many minutes of simulation.
const LONG: [&str; 4] = ["--set", "horizon_days=36500", "--replications", "1000"];

/// What a command did (`code` is `None` when it was killed at the limit).
#[derive(Debug)]
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `portsim ARGS` in `dir`, with `env` set.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = portsim();
    cmd.current_dir(dir).timeout(LIMIT).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Out {
    run_env(dir, args, &[])
}

/// Asserts a refusal (exit 2, one `error:` line containing every one of `texts`).
fn refused(out: &Out, texts: &[&str]) {
    failed(out, 2, texts);
}

/// Asserts an environment failure after the destination was accepted — here the disk
/// filling up (exit 3, one `error:` line containing every one of `texts`).
fn broke(out: &Out, texts: &[&str]) {
    failed(out, 3, texts);
}

/// Asserts exit `code` with one `error:` line containing every one of `texts`.
fn failed(out: &Out, code: i32, texts: &[&str]) {
    assert_eq!(out.code, Some(code), "{out:?}");
    let line = out.stderr.trim_end();
    assert!(
        line.starts_with("error: ") && line.lines().count() == 1,
        "{out:?}"
    );
    for t in texts {
        assert!(line.contains(t), "{t:?} in {line}");
    }
}

fn succeeded(out: &Out) {
    assert_eq!(out.code, Some(0), "{out:?}");
}

/// `args` followed by `tail`.
fn with<'a>(args: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    [args, tail].concat()
}

/// The names in `dir` but the lock file, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".portsim-lock")
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A sweep over the M/M/3 validation scenario's arrival rate (two variants).
fn sweep_file(dir: &Path) -> PathBuf {
    let path = dir.join("rates.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 2\nseed = 1\n\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [1.5, 2.0]\n",
            mmc()
        ),
    )
    .unwrap();
    path
}

#[test]
fn sweep_out_replaces_only_its_own_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    sweep_file(d);
    std::fs::create_dir(d.join("out")).unwrap();
    std::fs::write(d.join("out/results.csv"), "my own table").unwrap();
    let args = with(
        &["sweep", "rates.toml", "--quiet", "--out", "out"],
        &SHORT[..4],
    );
    refused(
        &run(d, &args),
        &["out/results.csv", "not written by portsim", "--force"],
    );
    assert_eq!(read(&d.join("out/results.csv")), b"my own table");
    succeeded(&run(d, &with(&args, &["--force"])));
    assert_ne!(read(&d.join("out/results.csv")), b"my own table");
    // Now the files are portsim's: a resumed sweep rewrites them without --force, and
    // keeps its journal.
    succeeded(&run(d, &with(&args, &["--resume"])));
    let manifest = std::fs::read_to_string(d.join("out/.portsim-files")).unwrap();
    for f in [
        "results.csv",
        "replications.csv",
        "results.json",
        "jobs.jsonl",
    ] {
        assert!(d.join("out").join(f).is_file(), "{f}");
        assert!(manifest.lines().any(|l| l == f), "{f} in {manifest}");
    }
    // A shard's directory too.
    std::fs::create_dir(d.join("s1")).unwrap();
    std::fs::write(d.join("s1/shard.json"), "mine").unwrap();
    let shard = ["sweep", "rates.toml", "--out", "s1", "--shard", "1/2"];
    refused(
        &run(d, &with(&shard, &SHORT[..4])),
        &["s1/shard.json", "--force"],
    );
    assert_eq!(read(&d.join("s1/shard.json")), b"mine");
}

/// Every kind of bad destination, of every command, is refused before the (long) run.
#[test]
fn bad_destinations_are_refused_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    std::fs::write(d.join("file.txt"), "a regular file").unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
    std::fs::create_dir(d.join("linked")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("file.txt"), d.join("link.csv")).unwrap();
        std::os::unix::fs::symlink(d.join("file.txt"), d.join("linked/summary.json")).unwrap();
    }
    sweep_file(d);
    let run_long = |tail: &[&str]| -> Out {
        let args = with(&with(&["run", &mmc], &LONG), tail);
        run(d, &args)
    };
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["--out", "file.txt"],
            vec!["file.txt", "not a directory"],
        ),
        (
            vec!["--out", "/dev/null"],
            vec!["/dev/null", "not a directory"],
        ),
        // Nothing can be created under a regular file, whoever runs the test.
        (
            vec!["--out", "file.txt/sub"],
            vec!["file.txt/sub", "cannot write there"],
        ),
        (
            vec!["--plots", "file.txt"],
            vec!["file.txt", "not a directory"],
        ),
        (
            vec!["--trace", "/dev/null"],
            vec!["--trace /dev/null", "a device"],
        ),
        (vec!["--trace", "dir"], vec!["--trace dir", "a directory"]),
        (
            vec!["--trace", "file.txt/t.csv"],
            vec!["file.txt/t.csv", "not a directory"],
        ),
        (
            vec!["--trace", "absent/t.csv"],
            vec!["absent/t.csv", "absent"],
        ),
        (
            vec!["--out", "out", "--plots", "out"],
            vec!["--plots", "one directory"],
        ),
    ];
    for (tail, texts) in cases {
        let started = Instant::now();
        let out = run_long(&tail);
        refused(&out, &texts);
        assert!(out.stdout.is_empty(), "{out:?}");
        // Refused before simulating: the run itself takes many times LIMIT.
        assert!(started.elapsed() < LIMIT, "{tail:?}");
    }
    #[cfg(unix)]
    {
        refused(
            &run_long(&["--trace", "link.csv"]),
            &["link.csv", "a symbolic link"],
        );
        refused(
            &run_long(&["--out", "linked"]),
            &["linked/summary.json", "a symbolic link"],
        );
        assert_eq!(read(&d.join("file.txt")), b"a regular file");
    }
    // A directory where nothing can be created even by root (procfs), if there is one.
    if Path::new("/proc/self").is_dir() {
        refused(
            &run_long(&["--out", "/proc"]),
            &["/proc", "cannot write there"],
        );
    }
    let sweep = [
        "sweep",
        "rates.toml",
        "--quiet",
        "--set",
        "horizon_days=36500",
    ];
    refused(
        &run(d, &with(&sweep, &["--out", "/dev/null"])),
        &["not a directory"],
    );
    refused(
        &run(d, &with(&sweep, &["--plots", "file.txt"])),
        &["not a directory"],
    );
    refused(
        &run(d, &["merge", "s1", "s2", "--out", "file.txt"]),
        &["file.txt", "not a directory"],
    );
    refused(
        &run(d, &["plot", "absent.json", "--out", "/dev/null"]),
        &["/dev/null", "not a directory"],
    );
    assert!(
        listing(d).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        listing(d)
    );
}

#[test]
fn check_refuses_devices_and_directories_as_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    std::fs::create_dir(d.join("dir")).unwrap();
    let check = with(&["check", &mmc], &LONG);
    // As root, an unguarded update would rename a new baseline over /dev/null.
    refused(
        &run(d, &with(&check, &["--baseline", "/dev/null", "--update"])),
        &["--baseline /dev/null", "a device", "regular file"],
    );
    refused(
        &run(d, &with(&check, &["--baseline", "dir", "--update"])),
        &["--baseline dir", "a directory"],
    );
    refused(
        &run(
            d,
            &with(&check, &["--baseline", "b.json", "--junit", "/dev/null"]),
        ),
        &["--junit /dev/null", "a device"],
    );
    assert!(
        Path::new("/dev/null")
            .metadata()
            .is_ok_and(|m| !m.is_file())
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_a_destination() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("pipe"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available here");
        return;
    }
    let mmc = mmc();
    refused(
        &run(d, &with(&with(&["run", &mmc], &LONG), &["--trace", "pipe"])),
        &["--trace pipe", "a FIFO"],
    );
}

/// A directory portsim wrote earlier holds the new run's files only: the previous run's
/// other files go, files portsim did not write stay.
#[test]
fn rerunning_into_a_directory_leaves_only_the_new_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    sweep_file(d);
    succeeded(&run(
        d,
        &with(
            &["sweep", "rates.toml", "--quiet", "--out", "out"],
            &SHORT[..4],
        ),
    ));
    std::fs::write(d.join("out/notes.txt"), "mine").unwrap();
    succeeded(&run(d, &with(&["run", &mmc, "--out", "out"], &SHORT)));
    assert_eq!(
        listing(&d.join("out")),
        [
            ".portsim-files",
            "notes.txt",
            "replications.csv",
            "scenario.toml",
            "summary.json"
        ]
    );
    let manifest = std::fs::read_to_string(d.join("out/.portsim-files")).unwrap();
    assert_eq!(manifest, "replications.csv\nscenario.toml\nsummary.json\n");
}

/// The disk fills while the second run writes: the first run's files stay, whole, and
/// nothing of the second is left (no new summary.json beside an old replications.csv).
#[test]
fn a_disk_full_half_way_leaves_the_previous_run_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    let first = with(&["run", &mmc, "--out", "out", "--seed", "1"], &SHORT);
    let second = with(&["run", &mmc, "--seed", "2"], &SHORT);
    succeeded(&run(d, &first));
    // How big the second run's files are (written elsewhere, disk not full).
    succeeded(&run(d, &with(&second, &["--out", "sizes"])));
    let size = |f: &str| std::fs::metadata(d.join("sizes").join(f)).unwrap().len();
    let (summary, csv) = (size("summary.json"), size("replications.csv"));
    assert!(csv > 100, "{csv}");
    // Room for summary.json and half of replications.csv.
    let room = (summary + csv / 2).to_string();
    let contents = || -> Vec<Vec<u8>> {
        ["summary.json", "replications.csv", "scenario.toml"]
            .iter()
            .map(|f| read(&d.join("out").join(f)))
            .collect()
    };
    let before = contents();
    let listed = listing(&d.join("out"));
    let out = run_env(
        d,
        &with(&second, &["--out", "out"]),
        &[("PORTSIM_TEST_DISK_BYTES", &room)],
    );
    broke(&out, &["out", "No space left on device"]);
    assert!(before == contents(), "the first run's files, unchanged");
    assert_eq!(listing(&d.join("out")), listed, "nothing left behind");
}

#[test]
fn a_disk_full_trace_leaves_the_old_trace_and_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    std::fs::write(d.join("t.csv"), "the previous trace").unwrap();
    // A temporary file of a killed process: removed by the next write of the trace.
    std::fs::write(d.join(".t.csv.tmp-999999-0"), "cut short").unwrap();
    let args = with(&["run", &mmc, "--trace", "t.csv"], &SHORT);
    let out = run_env(d, &args, &[("PORTSIM_TEST_DISK_BYTES", "5000")]);
    broke(&out, &["t.csv", "No space left on device"]);
    assert_eq!(read(&d.join("t.csv")), b"the previous trace");
    assert_eq!(listing(d), ["t.csv"]);
    succeeded(&run(d, &args));
    let trace = String::from_utf8(read(&d.join("t.csv"))).unwrap();
    assert!(trace.starts_with("replication,mode,"), "{trace:.60}");
    assert_eq!(listing(d), ["t.csv"]);
}

#[test]
fn a_failed_junit_leaves_no_empty_xml() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    let check = with(&["check", &mmc, "--baseline", "b.json"], &SHORT);
    succeeded(&run(d, &with(&check, &["--update"])));
    let out = run_env(
        d,
        &with(&check, &["--junit", "j.xml"]),
        &[("PORTSIM_TEST_DISK_BYTES", "100")],
    );
    broke(&out, &["j.xml", "No space left on device"]);
    assert_eq!(listing(d), ["b.json"], "no j.xml, whole or empty");
    succeeded(&run(d, &with(&check, &["--junit", "j.xml"])));
    assert!(
        String::from_utf8(read(&d.join("j.xml")))
            .unwrap()
            .contains("<testsuites")
    );
}

/// A baseline that cannot be recorded, and a sweep's results that cannot be written,
/// for a full disk: exit 3 (not bad input), naming the file or directory, and the old
/// baseline whole.
#[test]
fn a_disk_full_baseline_or_sweep_is_an_environment_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    let record = with(&["check", &mmc, "--baseline", "b.json", "--update"], &SHORT);
    succeeded(&run(d, &record));
    let before = read(&d.join("b.json"));
    let seed = with(&record, &["--seed", "2"]);
    let out = run_env(d, &seed, &[("PORTSIM_TEST_DISK_BYTES", "100")]);
    broke(&out, &["b.json", "No space left on device"]);
    assert_eq!(read(&d.join("b.json")), before);
    sweep_file(d);
    let out = run_env(
        d,
        &["sweep", "rates.toml", "--quiet", "--out", "out"],
        &[("PORTSIM_TEST_DISK_BYTES", "100")],
    );
    broke(
        &out,
        &["out", "cannot write results", "No space left on device"],
    );
}

/// Standard output that cannot take the results (Linux's `/dev/full` is a disk that is
/// always full): exit 3 with one line saying so.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_environment_failure() {
    let mmc = mmc();
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portsim"))
        .args(["validate", &mmc])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    let out = Out {
        code: out.status.code(),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    broke(
        &out,
        &["cannot write to standard output", "No space left on device"],
    );
}

/// Figures that cannot be written say which file: the error names it, and the plot
/// directory keeps no part of the failed drawing.
#[test]
fn a_figure_that_cannot_be_written_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    let out = run_env(
        d,
        &with(&["run", &mmc, "--plots", "plots"], &SHORT),
        &[("PORTSIM_TEST_DISK_BYTES", "1000")],
    );
    broke(&out, &["plots/", ".png", "No space left on device"]);
    assert!(!out.stderr.contains("staging"), "{}", out.stderr);
    assert!(
        listing(&d.join("plots")).is_empty(),
        "{:?}",
        listing(&d.join("plots"))
    );
}

/// Leftovers of a killed process in an output directory are removed, and not taken
/// for someone else's files.
#[test]
fn staging_left_by_a_killed_process_is_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    let stale = d.join("plots/.portsim-staging-999999-0");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("report.html"), "<html>").unwrap();
    std::fs::write(d.join("plots/.report.html.tmp-999999-1"), "<ht").unwrap();
    succeeded(&run(d, &with(&["run", &mmc, "--plots", "plots"], &SHORT)));
    assert!(!stale.exists());
    assert!(
        listing(&d.join("plots"))
            .iter()
            .all(|n| n == ".portsim-files" || !n.starts_with('.')),
        "{:?}",
        listing(&d.join("plots"))
    );
}

/// Kills the child when dropped, so a failing assertion does not leave it running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Two portsim processes, one directory: the second is refused at once; once the first
/// is killed, its lock is gone with it.
#[test]
fn a_second_process_writing_the_same_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mmc = mmc();
    sweep_file(d);
    let first = std::process::Command::new(env!("CARGO_BIN_EXE_portsim"))
        .current_dir(d)
        .args([
            "sweep",
            "rates.toml",
            "--quiet",
            "--out",
            "out",
            "--jobs",
            "1",
        ])
        .args(LONG)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = Running(first);
    // The journal is opened after the directory is claimed: from then on it is locked.
    let started = Instant::now();
    while !d.join("out/jobs.jsonl").exists() {
        assert!(
            first.0.try_wait().unwrap().is_none(),
            "the long sweep ended early"
        );
        assert!(started.elapsed() < LIMIT, "the sweep never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let expected = ["out", "another portsim process is writing there"];
    refused(
        &run(
            d,
            &with(
                &["sweep", "rates.toml", "--quiet", "--out", "out", "--resume"],
                &LONG,
            ),
        ),
        &expected,
    );
    refused(
        &run(d, &with(&["run", &mmc, "--out", "out", "--force"], &LONG)),
        &expected,
    );
    refused(
        &run(d, &with(&["run", &mmc, "--plots", "out", "--force"], &LONG)),
        &expected,
    );
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    // The killed process's lock went with it.
    succeeded(&run(d, &with(&["run", &mmc, "--out", "out"], &SHORT)));
}
