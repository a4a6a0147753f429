//! The run lock: an OS file lock beside the database, so two runs (or a
//! manual `poll` or `notify` and a running job) never overlap, and a killed
//! run leaves no stale lock behind.

use std::fs::File;
use std::path::{Path, PathBuf};

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

/// Takes the lock, or says that another run has it (`None`). Every
/// command that fetches or sends takes it, so two never overlap.
pub(crate) fn lock_or_say(db: &Path) -> anyhow::Result<Option<RunLock>> {
    let lock = take_lock(db)?;
    if lock.is_none() {
        eprintln!(
            "policywatch: en annen kjøring pågår (låsen {} er tatt); denne avslutter uten å gjøre noe",
            lock_path(db).display()
        );
    }
    Ok(lock)
}

/// The lock for a command that writes or sends; a dry run needs none.
/// `Err(())`: another run has it (and it has been said).
pub(crate) fn lock_unless_dry(
    db: &Path,
    dry_run: bool,
) -> anyhow::Result<Result<Option<RunLock>, ()>> {
    if dry_run {
        return Ok(Ok(None));
    }
    Ok(lock_or_say(db)?.map(Some).ok_or(()))
}
