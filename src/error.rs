//! The one error a command ends with, and the one place its exit code is
//! chosen. Library code below the commands keeps `anyhow` for context;
//! what reaches a command's edge is sorted into an [`ErrorKind`] here, so
//! scripts read the exit code and tests match the kind, never the words.

use std::fmt;

/// Exit codes, for cron and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Something failed that stopped the whole command.
    Failure = 1,
    /// The command line asks for something that cannot be (clap's own
    /// usage errors exit 2 too).
    Usage = 2,
    /// The configuration is missing, invalid or lacks what the command
    /// needs (a meeting calendar for the case).
    Config = 3,
    /// Some sources (or alert deliveries) failed; the rest ran.
    SourcesFailed = 4,
    /// Another run holds the lock.
    Locked = 5,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(e as u8)
    }
}

/// What kind of failure ended a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The arguments ask for something that cannot be.
    Usage,
    /// The configuration is missing, invalid or incomplete.
    Config,
    /// What the command names is not there (a document, a row, a
    /// delivery), or names more than one thing.
    NotFound,
    /// The command would do harm (overwrite a file, move a document from
    /// the secretariat's row) and did nothing.
    Refused,
    /// Another run holds the lock.
    Locked,
    /// The reader closed stdout (`| head`): not a failure.
    BrokenPipe,
    /// Anything else: a store, a network or a file that failed.
    Failed,
}

/// A command's failure: its kind and what to tell the user.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    inner: anyhow::Error,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl fmt::Display) -> Error {
        Error {
            kind,
            inner: anyhow::anyhow!("{message}"),
        }
    }

    pub fn usage(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    pub fn config(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Config, format!("konfigurasjonsfeil: {message}"))
    }

    /// Input a command cannot take (a row that is not there, a date that
    /// is not a date): exit 3, as for the configuration, and nothing
    /// changed.
    pub fn bad_input(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    pub fn not_found(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::NotFound, message)
    }

    pub fn refused(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Refused, message)
    }

    pub fn failed(message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Failed, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The exit code: the one place a failure becomes a number.
    pub fn exit(&self) -> Exit {
        match self.kind {
            ErrorKind::Usage => Exit::Usage,
            ErrorKind::Config => Exit::Config,
            ErrorKind::Locked => Exit::Locked,
            ErrorKind::BrokenPipe => Exit::Ok,
            ErrorKind::NotFound | ErrorKind::Refused | ErrorKind::Failed => Exit::Failure,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.inner)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

/// Whether an error is stdout closed under us (a pager quit, `head`):
/// not a failure, the reader has what it wanted.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

impl From<anyhow::Error> for Error {
    fn from(inner: anyhow::Error) -> Error {
        let kind = if is_broken_pipe(&inner) {
            ErrorKind::BrokenPipe
        } else if inner.chain().any(|c| c.is::<crate::config::ConfigError>()) {
            ErrorKind::Config
        } else {
            ErrorKind::Failed
        };
        Error { kind, inner }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::from(anyhow::Error::from(e))
    }
}

impl From<crate::matching::ThemeError> for Error {
    fn from(e: crate::matching::ThemeError) -> Error {
        Error::config(e)
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::config(e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::from(anyhow::Error::from(e))
    }
}

/// Errors that end a command as plain failures.
macro_rules! failed_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::from(anyhow::Error::from(e))
            }
        }
    )*};
}

failed_from!(
    serde_json::Error,
    url::ParseError,
    crate::fetch::FetchError,
    crate::sources::ParseError,
    crate::overview::import::ImportError,
    std::string::FromUtf8Error
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_their_exit_codes() {
        assert_eq!(Error::usage("x").exit() as u8, 2);
        assert_eq!(Error::config("x").exit() as u8, 3);
        assert_eq!(Error::not_found("x").exit() as u8, 1);
        assert_eq!(Error::new(ErrorKind::Locked, "x").exit() as u8, 5);
        let pipe = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed");
        let e = Error::from(anyhow::Error::from(pipe).context("writing"));
        assert_eq!((e.kind(), e.exit()), (ErrorKind::BrokenPipe, Exit::Ok));
    }

    #[test]
    fn a_config_error_deep_in_a_chain_is_a_config_error() {
        let e = crate::config::ConfigError {
            file: "sources.toml".into(),
            key: "global.x".into(),
            message: "x".into(),
        };
        let e = Error::from(anyhow::Error::from(e).context("loading"));
        assert_eq!(e.kind(), ErrorKind::Config);
    }
}
