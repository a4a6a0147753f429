//! The run lock: an OS file lock beside the database, so two runs (or a
//! manual `poll` or `notify` and a running job) never overlap, and a killed
//! run leaves no stale lock behind.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Holds the run lock until dropped. An OS lock, so a killed run never
/// leaves a stale lock behind.
pub struct RunLock {
    _file: File,
}

pub fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

/// Takes the lock, or says who has it.
pub fn take_lock(db: &Path) -> anyhow::Result<Option<RunLock>> {
    let path = lock_path(db);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("kan ikke åpne låsefilen {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(RunLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::anyhow!("låsen {}: {e}", path.display()))
        }
    }
}

/// Takes the lock, or fails as [`ErrorKind::Locked`]. Every command that
/// fetches or sends takes it, so two never overlap.
pub(crate) fn lock(db: &Path) -> Result<RunLock> {
    take_lock(db)?.ok_or_else(|| {
        Error::new(
            ErrorKind::Locked,
            format!(
                "en annen kjøring pågår (låsen {} er tatt); denne avslutter uten å gjøre noe",
                lock_path(db).display()
            ),
        )
    })
}

/// The lock for a command that writes or sends; a dry run needs none.
pub(crate) fn lock_unless_dry(db: &Path, dry_run: bool) -> Result<Option<RunLock>> {
    if dry_run {
        return Ok(None);
    }
    lock(db).map(Some)
}
