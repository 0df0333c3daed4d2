//! Output directories (`--out`, `--plots`): claimed before any work, and holding the
//! files of one run only.
//!
//! - A manifest, `.portsim-files`, lists the files portsim wrote there; any other file
//!   is someone else's and is never replaced without `--force`, nor ever deleted.
//! - [`OutDir::claim`] checks the directory before anything is simulated (a path that is
//!   not a directory, a directory where files cannot be created — tried, not read from
//!   permission bits —, a destination that is a link, device or FIFO, a foreign file)
//!   and takes an advisory lock on `.portsim-lock`, held while the process lives: a
//!   second portsim writing the same directory is refused at once, and a killed
//!   process's lock vanishes with it.
//! - A set of files is written into a staging directory and then swapped in by
//!   [`OutDir::commit`]: the previous run's files (those of the manifest) go first, then
//!   the new ones are renamed in, so a write that fails half-way (disk full) leaves the
//!   previous set whole and never a new `summary.json` beside an old `replications.csv`.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::files::write_atomic;
use crate::files::{is_temporary, not_regular, remove_stale_temporaries};

/// The file in an output directory listing the files portsim wrote there.
pub const MANIFEST: &str = ".portsim-files";

/// The lock file of an output directory (an advisory lock; the file itself stays).
pub const LOCK: &str = ".portsim-lock";

/// The prefix of staging directories inside an output directory.
const STAGING: &str = ".portsim-staging-";

/// Whether `name` is one of portsim's own bookkeeping entries (manifest, lock, staging
/// directories, temporary files), which no check counts as anyone's output.
fn bookkeeping(name: &str) -> bool {
    name == MANIFEST || name == LOCK || name.starts_with(STAGING) || is_temporary(name)
}

fn manifest(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .map(|t| {
            t.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn write_manifest(dir: &Path, names: &[String]) -> std::io::Result<()> {
    let mut text = names.join("\n");
    text.push('\n');
    write_atomic(dir, MANIFEST, text.as_bytes())
}

/// Checks that writing `names` into `dir` replaces only files portsim wrote there
/// before (listed in its manifest), unless `force`; names the first file it would not
/// replace. Call it before the work whose results go there, so nothing is lost.
pub fn check_overwrite(dir: &Path, names: &[&str], force: bool) -> Result<(), String> {
    if force {
        return Ok(());
    }
    let ours = manifest(dir);
    match names
        .iter()
        .find(|n| dir.join(n).exists() && !ours.iter().any(|o| o == *n))
    {
        Some(n) => Err(format!(
            "{}: exists and was not written by portsim; add --force to overwrite it, or choose another directory",
            dir.join(n).display()
        )),
        None => Ok(()),
    }
}

/// Checks that `dir` holds only files portsim wrote there (or does not exist yet), unless
/// `force`: for directories whose file names are known only after the work (figures).
pub fn check_dir(dir: &Path, force: bool) -> Result<(), String> {
    if force {
        return Ok(());
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        // Absent (created later) or unreadable (writing will say so).
        return Ok(());
    };
    let ours = manifest(dir);
    let mut theirs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !bookkeeping(n) && !ours.iter().any(|o| o == n))
        .collect();
    theirs.sort();
    match theirs.first() {
        Some(n) => Err(format!(
            "{}: exists and was not written by portsim; add --force to overwrite files there, or choose another directory",
            dir.join(n).display()
        )),
        None => Ok(()),
    }
}

/// The files a command will write into its directory.
#[derive(Clone, Copy, Debug)]
pub enum Outputs<'a> {
    /// These names: only they are checked against the manifest.
    Named(&'a [&'a str]),
    /// Names known only after the work (figures): every file there must be portsim's.
    Any,
}

/// An output directory claimed by this process: checked, locked, and written a whole
/// set at a time.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    /// Holds the advisory lock until the process ends (or this is dropped).
    _lock: File,
}

/// A staging directory inside an output directory: write a set of files into
/// [`Stage::path`], then hand it to [`OutDir::commit`]. Dropped uncommitted, it is
/// removed with what it holds.
#[derive(Debug)]
pub struct Stage {
    path: PathBuf,
}

impl Stage {
    /// Where to write the files of the set.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl OutDir {
    /// Claims `dir` for writing `outputs` (see the module): creates it if absent, takes
    /// its lock, tries creating a file there, removes what killed processes left (staging
    /// directories), and refuses destinations that are not regular files and — unless
    /// `force` — files portsim did not write. Every refusal names the path.
    pub fn claim(dir: &Path, outputs: Outputs<'_>, force: bool) -> Result<OutDir, String> {
        let shown = dir.display();
        match std::fs::metadata(dir) {
            // Followed through a symbolic link: a link to a directory is a directory.
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(format!(
                    "{shown}: exists and is not a directory; give a directory for the output files"
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("{shown}: cannot create the directory: {e}"))?;
            }
            // e.g. a path under a regular file ("Not a directory").
            Err(e) => return Err(format!("{shown}: cannot write there: {e}")),
        }
        let lock_path = dir.join(LOCK);
        if let Some(kind) = not_regular(&lock_path) {
            return Err(format!(
                "{}: is {kind}; portsim keeps its lock file there: remove it",
                lock_path.display()
            ));
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| format!("{shown}: cannot write there: {e}"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(format!(
                    "{shown}: another portsim process is writing there (it holds {LOCK}); wait for it to finish, or choose another directory"
                ));
            }
            // A filesystem without locks: go on unlocked rather than refuse to work.
            Err(TryLockError::Error(_)) => {}
        }
        let claimed = OutDir {
            dir: dir.to_path_buf(),
            _lock: lock,
        };
        // We hold the lock: any staging directory there is a killed process's, and so is
        // any temporary file nobody holds.
        claimed.remove_leftovers();
        // Tried, not read from mode bits: creating the staging directory is the probe.
        drop(
            claimed
                .stage()
                .map_err(|e| format!("{shown}: cannot write there: {e}"))?,
        );
        match outputs {
            Outputs::Named(names) => {
                for n in names {
                    let path = dir.join(n);
                    if let Some(kind) = not_regular(&path) {
                        return Err(format!(
                            "{}: is {kind}; portsim replaces only regular files: remove it, or choose another directory",
                            path.display()
                        ));
                    }
                }
                check_overwrite(dir, names, force)?;
            }
            Outputs::Any => check_dir(dir, force)?,
        }
        Ok(claimed)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn remove_leftovers(&self) {
        remove_stale_temporaries(&self.dir);
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            if e.file_name().to_string_lossy().starts_with(STAGING)
                && e.file_type().is_ok_and(|t| t.is_dir())
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }

    /// A fresh staging directory for the next set of files.
    pub fn stage(&self) -> std::io::Result<Stage> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let path = self.dir.join(format!(
            "{STAGING}{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path)?;
        Ok(Stage { path })
    }

    /// Swaps the set of files in `stage` in, as the directory's one run: the manifest
    /// first lists old and new files (so a crash leaves nothing unlisted), the previous
    /// set's files go (files portsim did not write are never touched), the new ones are
    /// renamed in, and the manifest then lists the new set and `keep` (files of this run
    /// written elsewhere, e.g. a sweep's journal) that exist. Returns the set's names.
    pub fn commit(&self, stage: Stage, keep: &[&str]) -> std::io::Result<Vec<String>> {
        let mut names: Vec<String> = std::fs::read_dir(stage.path())?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !is_temporary(n))
            .collect();
        names.sort();
        for n in &names {
            if let Some(kind) = not_regular(&self.dir.join(n)) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{n} is {kind}; portsim replaces only regular files"),
                ));
            }
        }
        let old = manifest(&self.dir);
        let mut both = old.clone();
        both.extend(names.iter().filter(|n| !old.contains(n)).cloned());
        write_manifest(&self.dir, &both)?;
        for n in old.iter().filter(|n| !keep.contains(&n.as_str())) {
            let path = self.dir.join(n);
            if not_regular(&path).is_none() && path.exists() {
                std::fs::remove_file(&path)?;
            }
        }
        for n in &names {
            std::fs::rename(stage.path().join(n), self.dir.join(n))?;
        }
        let mut now = names.clone();
        now.extend(
            keep.iter()
                .filter(|k| !names.iter().any(|n| n == *k) && self.dir.join(k).is_file())
                .map(|k| k.to_string()),
        );
        write_manifest(&self.dir, &now)?;
        Ok(names)
    }

    /// Adds `names` (files of this run written in place, e.g. a sweep's journal) to the
    /// manifest.
    pub fn record(&self, names: &[&str]) -> std::io::Result<()> {
        let mut all = manifest(&self.dir);
        for n in names {
            if !all.iter().any(|o| o == n) {
                all.push(n.to_string());
            }
        }
        write_manifest(&self.dir, &all)
    }

    /// Writes `files` (name, contents) as one set: staged, then committed (see
    /// [`OutDir::commit`]); on failure the previous set stays whole.
    pub fn write_set(&self, files: &[(&str, &[u8])], keep: &[&str]) -> std::io::Result<()> {
        let stage = self.stage()?;
        for (name, contents) in files {
            // Named as it will be, not as staged.
            write_atomic(stage.path(), name, contents).map_err(|e| {
                std::io::Error::new(e.kind(), format!("{}: {e}", self.dir.join(name).display()))
            })?;
        }
        self.commit(stage, keep).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir` but the lock file.
    fn listing(dir: &Path) -> Vec<String> {
        let mut v = crate::files::names(dir);
        v.retain(|n| n != LOCK);
        v
    }

    #[test]
    fn only_files_portsim_wrote_are_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(check_overwrite(d, &["a.csv"], false).is_ok(), "absent");
        std::fs::write(d.join("a.csv"), "theirs").unwrap();
        let err = check_overwrite(d, &["a.csv", "b.csv"], false).unwrap_err();
        assert!(err.contains("a.csv") && err.contains("--force"), "{err}");
        assert!(check_overwrite(d, &["a.csv"], true).is_ok());
        let out = OutDir::claim(d, Outputs::Named(&["a.csv"]), true).unwrap();
        out.write_set(&[("a.csv", b"ours")], &[]).unwrap();
        assert!(check_overwrite(d, &["a.csv"], false).is_ok(), "ours now");
    }

    #[test]
    fn a_directory_is_ours_when_every_file_in_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(check_dir(&d.join("absent"), false).is_ok());
        assert!(check_dir(d, false).is_ok(), "empty");
        std::fs::create_dir(d.join("sub")).unwrap();
        let out = OutDir::claim(d, Outputs::Any, false).unwrap();
        out.write_set(&[("fig.png", b"png")], &[]).unwrap();
        assert!(
            check_dir(d, false).is_ok(),
            "ours, a subdirectory and the lock"
        );
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let err = check_dir(d, false).unwrap_err();
        assert!(
            err.contains("notes.txt") && err.contains("--force"),
            "{err}"
        );
        assert!(check_dir(d, true).is_ok());
    }

    #[test]
    fn a_new_set_replaces_the_previous_one_whole_and_keeps_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let out = OutDir::claim(d, Outputs::Named(&["a", "b"]), false).unwrap();
        out.write_set(&[("a", b"1"), ("b", b"1")], &[]).unwrap();
        std::fs::write(d.join("journal"), "kept").unwrap();
        out.record(&["journal"]).unwrap();
        out.write_set(&[("a", b"2"), ("c", b"2")], &["journal"])
            .unwrap();
        assert_eq!(
            listing(d),
            [".portsim-files", "a", "c", "journal", "notes.txt"],
            "b of the previous set is gone; the foreign file and the kept one stay"
        );
        assert_eq!(std::fs::read(d.join("a")).unwrap(), b"2");
        assert_eq!(manifest(d), ["a", "c", "journal"]);
    }

    #[test]
    fn a_second_claim_is_refused_while_the_first_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutDir::claim(dir.path(), Outputs::Any, false).unwrap();
        let err = OutDir::claim(dir.path(), Outputs::Any, false).unwrap_err();
        assert!(err.contains("another portsim process"), "{err}");
        drop(first);
        assert!(OutDir::claim(dir.path(), Outputs::Any, false).is_ok());
    }

    #[test]
    fn staging_left_by_a_killed_process_is_removed_on_claim() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!("{STAGING}999999-0"));
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("summary.json"), "{").unwrap();
        let _out = OutDir::claim(dir.path(), Outputs::Any, false).unwrap();
        assert!(!stale.exists());
        assert!(listing(dir.path()).is_empty());
    }

    #[test]
    fn not_a_directory_or_not_writable_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file.txt");
        std::fs::write(&file, "x").unwrap();
        let err = OutDir::claim(&file, Outputs::Any, true).unwrap_err();
        assert!(err.contains("not a directory"), "{err}");
        // Under a regular file nothing can be created, not even by root.
        let err = OutDir::claim(&file.join("sub"), Outputs::Any, true).unwrap_err();
        assert!(err.contains("cannot write there"), "{err}");
    }
}
