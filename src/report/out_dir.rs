//! Writing result files atomically: a reader never sees half a file.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `dir/name` through a temporary file renamed into place.
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(name))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The file in an output directory listing the files portsim wrote there.
pub const MANIFEST: &str = ".portsim-files";

fn manifest(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
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
        .filter(|n| n != MANIFEST && !ours.iter().any(|o| o == n))
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

/// Adds `names` to `dir`'s manifest of files portsim wrote.
pub fn record_written(dir: &Path, names: &[&str]) -> std::io::Result<()> {
    let mut all = manifest(dir);
    for n in names {
        if !all.iter().any(|o| o == n) {
            all.push(n.to_string());
        }
    }
    write_atomic(dir, MANIFEST, (all.join("\n") + "\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("out");
        write_atomic(&sub, "a.txt", b"one").unwrap();
        write_atomic(&sub, "a.txt", b"two").unwrap();
        assert_eq!(std::fs::read(sub.join("a.txt")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
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
        record_written(d, &["a.csv"]).unwrap();
        assert!(check_overwrite(d, &["a.csv"], false).is_ok(), "ours now");
    }

    #[test]
    fn a_directory_is_ours_when_every_file_in_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(check_dir(&d.join("absent"), false).is_ok());
        assert!(check_dir(d, false).is_ok(), "empty");
        std::fs::create_dir(d.join("sub")).unwrap();
        write_atomic(d, "fig.png", b"png").unwrap();
        record_written(d, &["fig.png"]).unwrap();
        assert!(check_dir(d, false).is_ok(), "ours, and a subdirectory");
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let err = check_dir(d, false).unwrap_err();
        assert!(
            err.contains("notes.txt") && err.contains("--force"),
            "{err}"
        );
        assert!(check_dir(d, true).is_ok());
    }
}
