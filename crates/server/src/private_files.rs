//! The data directory and the database hold live session ids and sealed
//! cluster passwords: only the console's own user may read them. The
//! directory is made 0700 and the database file 0600 (SQLite gives its
//! `-wal` and `-shm` files the database file's permissions); existing ones
//! are tightened at start-up.

use anyhow::Context;
use std::path::{Path, PathBuf};

/// Creates `dir` (and its parents) if missing, and makes it 0700.
pub fn directory(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    restrict(dir, 0o700)
}

/// Creates `file` empty if missing, and makes it 0600, before SQLite opens it.
pub fn file(file: &Path) -> anyhow::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            directory(dir)?;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(file)
        .with_context(|| format!("cannot create the database file {}", file.display()))?;
    restrict(file, 0o600)
}

/// Makes an existing file 0600 (the secret key of an older install).
pub fn tighten(file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        restrict(file, 0o600)?;
    }
    Ok(())
}

/// The file of a `sqlite://` URL; `None` for an in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .permissions()
        .mode()
        & 0o777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot make {} private (mode {mode:o})", path.display()))?;
        tracing::info!(path = %path.display(), from = format!("{current:o}"), to = format!("{mode:o}"), "made private");
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/sro/app.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/sro/app.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://data/x.db"),
            Some(PathBuf::from("data/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_and_keys_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).expect("dir");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        directory(&data).expect("directory");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        let db = data.join("console.db");
        std::fs::write(&db, b"").expect("write");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        file(&db).expect("file");
        assert_eq!(mode(&db), 0o600);
        let fresh = data.join("sub").join("new.db");
        file(&fresh).expect("new file");
        assert_eq!(mode(&fresh), 0o600);
        assert_eq!(mode(&data.join("sub")), 0o700);
    }
}
