//! Writing a file whole: the contents go to a temporary file beside the destination
//! (`.NAME.tmp-PID-N`), locked while it is written, then renamed over the destination, so
//! a reader sees the old file or the new one, never half of one. Only regular files are
//! replaced: a destination that is a symbolic link, a directory, a device or a FIFO is
//! refused, never renamed over. A temporary file that nobody holds locked was left by a
//! killed process and is removed the next time that destination is written.
//!
//! Every byte goes through [`Staged`]'s `Write`, which is also the place of the test hook
//! [`DISK_BYTES_ENV`]: a simulated disk with a given number of bytes free.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Test hook: when set to N, files written through this module behave as if the disk had
/// N bytes free for the whole process (writes beyond fail with "no space left"), so tests
/// can show what a disk-full write leaves behind without a small filesystem. Not for use
/// outside tests.
pub const DISK_BYTES_ENV: &str = "PORTSIM_TEST_DISK_BYTES";

/// Bytes the simulated disk holds, when the hook is set.
fn disk_room() -> Option<u64> {
    static ROOM: OnceLock<Option<u64>> = OnceLock::new();
    *ROOM.get_or_init(|| std::env::var(DISK_BYTES_ENV).ok()?.trim().parse().ok())
}

/// Bytes written through this module so far (counted only with the hook set).
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// How many of `want` bytes still fit on the simulated disk (all of them without it).
fn admit(want: usize) -> usize {
    let Some(room) = disk_room() else {
        return want;
    };
    let before = WRITTEN.fetch_add(want as u64, Ordering::SeqCst);
    room.saturating_sub(before).min(want as u64) as usize
}

fn disk_full() -> io::Error {
    io::Error::new(
        io::ErrorKind::StorageFull,
        format!("No space left on device (simulated by {DISK_BYTES_ENV})"),
    )
}

/// What `path` is when it exists and is not a regular file ("a symbolic link", "a
/// directory", "a device", ...); `None` for a regular file or nothing at all.
pub fn not_regular(path: &Path) -> Option<&'static str> {
    let kind = std::fs::symlink_metadata(path).ok()?.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_symlink() {
        return Some("a symbolic link");
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The directory a file path lives in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> io::Result<&OsStr> {
    path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file (it ends in \"..\" or is a root)",
        )
    })
}

/// The prefix of the temporary files of destination `name`.
fn tmp_prefix(name: &OsStr) -> String {
    format!(".{}.tmp-", name.to_string_lossy())
}

/// Whether `name` is one of this module's temporary files (of any destination).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp-")
}

/// Removes temporary files of `name` in `dir` that no process holds: a process writing
/// one keeps it locked until it is renamed, so an unlocked one was left by a killed
/// process. Where locks are unsupported, leftovers are left alone (they are hidden, and
/// every other reader of a directory skips them).
fn remove_leftovers(dir: &Path, name: &OsStr) {
    let prefix = tmp_prefix(name);
    remove_unheld(dir, |n| n.starts_with(&prefix));
}

/// Removes the temporary files in `dir`, of any destination, that no process holds (see
/// [`Staged`]): what killed processes left there.
pub fn remove_stale_temporaries(dir: &Path) {
    remove_unheld(dir, is_temporary);
}

/// Removes the regular files of `dir` whose names pass `pick` and that no process holds
/// locked.
fn remove_unheld(dir: &Path, pick: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if !pick(&entry.file_name().to_string_lossy())
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let path = entry.path();
        if let Ok(f) = File::open(&path)
            && f.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// A file being written: a locked temporary file beside `dest`, renamed over it by
/// [`Staged::commit`]; dropped without committing, it is removed.
pub struct Staged {
    file: Option<File>,
    tmp: PathBuf,
    dest: PathBuf,
}

impl Staged {
    /// Starts writing `dest` (whose directory must exist): refuses a destination that is
    /// not a regular file, removes leftovers of killed processes, and creates the
    /// temporary file.
    pub fn create(dest: &Path) -> io::Result<Staged> {
        if let Some(kind) = not_regular(dest) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("is {kind}, not a regular file: portsim replaces only regular files"),
            ));
        }
        let name = file_name(dest)?;
        let dir = parent_of(dest);
        remove_leftovers(dir, name);
        // Several files of one destination in one process (a probe, then the write) get
        // their own names.
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let tmp = dir.join(format!(
            "{}{}-{}",
            tmp_prefix(name),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        // Held until the rename: an unlocked temporary file is a leftover. Where locks are
        // unsupported the write goes on (leftovers are then only ignored, not removed).
        let _ = file.try_lock();
        Ok(Staged {
            file: Some(file),
            tmp,
            dest: dest.to_path_buf(),
        })
    }

    /// The destination.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes the contents to disk and renames the temporary file over the destination
    /// (checked again: it must still be a regular file or absent).
    pub fn commit(mut self) -> io::Result<()> {
        let file = self.file.take().expect("committed once");
        file.sync_all()?;
        if let Some(kind) = not_regular(&self.dest) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("is {kind}, not a regular file: portsim replaces only regular files"),
            ));
        }
        std::fs::rename(&self.tmp, &self.dest)?;
        // Renamed: nothing for Drop to remove.
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = admit(buf.len());
        if n == 0 && !buf.is_empty() {
            return Err(disk_full());
        }
        self.file
            .as_mut()
            .expect("open until committed")
            .write(&buf[..n])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("open until committed").flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.file = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `contents` to `path` whole (see the module): the old file or the new one,
/// never a mix, and nothing left behind on failure.
pub fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut staged = Staged::create(path)?;
    staged.write_all(contents)?;
    staged.commit()
}

/// Writes `contents` to `dir/name` whole, creating `dir` if needed.
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_file(&dir.join(name), contents)
}

/// Checks, before any work, that `path` can take a file portsim writes: it is a regular
/// file or absent, its directory exists, and a file can be created there (tried, not read
/// from permission bits, which do not bind root). The message names the path.
pub fn check_file_destination(path: &Path) -> Result<(), String> {
    let shown = path.display();
    if let Some(kind) = not_regular(path) {
        return Err(format!(
            "{shown}: is {kind}, not a regular file; portsim writes results only to regular files (it replaces them whole): give the path of a file"
        ));
    }
    let dir = parent_of(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "{shown}: cannot be written: {} is not a directory",
                dir.display()
            ));
        }
        Err(e) => {
            return Err(format!(
                "{shown}: cannot be written: its directory {}: {e}",
                dir.display()
            ));
        }
    }
    // The probe is the temporary file a write would use, removed at once.
    Staged::create(path)
        .map(drop)
        .map_err(|e| format!("{shown}: cannot be written there: {e}"))
}

/// The names in `dir`, sorted (for tests of what a write leaves behind).
#[cfg(test)]
pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_leaving_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("out");
        write_atomic(&sub, "a.txt", b"one").unwrap();
        write_atomic(&sub, "a.txt", b"two").unwrap();
        assert_eq!(std::fs::read(sub.join("a.txt")).unwrap(), b"two");
        assert_eq!(names(&sub), ["a.txt"]);
    }

    #[test]
    fn an_unfinished_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_file(&path, b"old").unwrap();
        let mut staged = Staged::create(&path).unwrap();
        staged.write_all(b"half of the new").unwrap();
        drop(staged);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    #[test]
    fn leftovers_of_a_killed_process_go_and_held_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        // A killed process's temporary file: nobody holds it.
        std::fs::write(dir.path().join(".a.txt.tmp-999999-0"), b"cut short").unwrap();
        // One being written right now (held by `live`).
        let live = Staged::create(&path).unwrap();
        let live_name = live.tmp.file_name().unwrap().to_string_lossy().into_owned();
        write_file(&path, b"new").unwrap();
        assert_eq!(names(dir.path()), [live_name, "a.txt".to_string()]);
        drop(live);
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        for (path, kind) in [
            (link.as_path(), "symbolic link"),
            (sub.as_path(), "directory"),
            (Path::new("/dev/null"), "device"),
        ] {
            let err = write_file(path, b"x").unwrap_err();
            assert!(err.to_string().contains(kind), "{err}");
            let err = check_file_destination(path).unwrap_err();
            assert!(err.contains(kind) && err.contains("regular file"), "{err}");
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert!(link.is_symlink());
    }

    #[test]
    fn a_destination_under_a_file_or_missing_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file.txt");
        std::fs::write(&file, b"x").unwrap();
        let err = check_file_destination(&file.join("out.csv")).unwrap_err();
        assert!(err.contains("not a directory"), "{err}");
        let err = check_file_destination(&dir.path().join("absent/out.csv")).unwrap_err();
        assert!(err.contains("absent"), "{err}");
        assert!(check_file_destination(&dir.path().join("new.csv")).is_ok());
        assert_eq!(names(dir.path()), ["file.txt"], "the probe is gone");
    }
}
