//! One file per subcommand; each wires the stages together and prints.

/// `println!` that hands back the error instead of panicking: when stdout
/// is closed (`policywatch list --json | head -1`) the command ends
/// quietly (see [`is_broken_pipe`]).
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout())
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)
    }};
}

/// `print!`, the same way as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*)
    }};
}

mod demo;
mod extract;
mod history;
pub(crate) mod json;
mod list;
mod lock;
mod matching;
mod meeting;
mod notify;
pub(crate) mod overview;
mod poll;
mod report;
mod run;
mod serve;
mod status;
mod track;

use std::path::Path;

use crate::cli::{Cli, Command, GlobalArgs, LogFormat};
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::config::Config;
use crate::store::Store;

pub use crate::error::{Error, ErrorKind, Exit, Result};

pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("POLICYWATCH_LOG")
        .unwrap_or_else(|_| EnvFilter::new("policywatch=info"));
    use std::io::IsTerminal;
    let terminal = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal);
    let _ = match format {
        // Crawled and configured text can carry control characters: in the
        // text format they are written escaped (JSON escapes its own).
        LogFormat::Text if !terminal => builder.with_writer(|| EscapedStderr).try_init(),
        LogFormat::Text => builder.with_writer(std::io::stderr).try_init(),
        LogFormat::Json => builder.json().with_writer(std::io::stderr).try_init(),
    };
}

/// Standard error with every control character but a line's final line
/// break written as `\u{…}`, so a crawled title cannot forge a log line
/// or send an escape sequence to whoever reads the log.
struct EscapedStderr;

impl std::io::Write for EscapedStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = escape_log_line(&String::from_utf8_lossy(buf));
        std::io::stderr().write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// A log line with its control characters escaped (a final line break
/// kept).
pub fn escape_log_line(text: &str) -> String {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in body.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    if body.len() < text.len() {
        out.push('\n');
    }
    out
}

pub fn run(cli: Cli) -> Result<Exit> {
    let g = &cli.global;
    match &cli.command {
        Command::Demo => demo::run(g),
        Command::Extract(args) => extract::run(g, args),
        Command::Poll(args) => poll::run(g, args),
        Command::List(args) => list::run(g, args),
        Command::History(args) => history::run(g, args),
        Command::Rematch => matching::rematch(g),
        Command::Explain(args) => matching::explain(g, args),
        Command::Pin(args) => matching::set_override(g, args, crate::store::OverrideKind::Pin),
        Command::Dismiss(args) => {
            matching::set_override(g, args, crate::store::OverrideKind::Dismiss)
        }
        Command::Classify(args) => matching::classify(g, args),
        Command::Overview(cmd) => overview::run(g, cmd),
        Command::Case(args) => overview::case(g, args),
        Command::Notify(args) => notify::run(g, args),
        Command::Calendar(args) => notify::calendar(g, args),
        Command::Run(args) => run::run(g, args),
        Command::Status { json } => status::status(g, *json),
        Command::Backup { file, force } => run::backup(g, file, *force),
        Command::Serve { listen } => serve::serve(g, *listen),
        Command::User(cmd) => serve::user(g, cmd),
        Command::Meeting(cmd) => meeting::run(g, cmd),
    }
}

/// The clock: `--now` if given, else the system's.
pub(crate) fn clock(g: &GlobalArgs) -> Box<dyn Clock> {
    match g.now {
        Some(ts) => Box::new(FixedClock(ts)),
        None => Box::new(SystemClock),
    }
}

/// Loads the config, with `--db` over its database.
pub(crate) fn load_config(g: &GlobalArgs) -> Result<Config> {
    let mut config = Config::load(&g.config)?;
    if let Some(db) = &g.db {
        config.database = db.clone();
    }
    Ok(config)
}

/// The config and its database, which must exist: a mistyped `--db` is
/// refused rather than answered from an empty database.
pub(crate) fn config_and_store(g: &GlobalArgs) -> Result<(Config, Store)> {
    config_with_store(g, false)
}

/// The config, its database, and the meeting calendar as kept in it. The
/// database is created when `create` (the commands that start one: `run`,
/// `poll`, `demo`, `overview import` and `add`, `meeting add`, `user
/// add`); otherwise it must exist.
pub(crate) fn config_with_store(g: &GlobalArgs, create: bool) -> Result<(Config, Store)> {
    let mut config = load_config(g)?;
    let store = if create {
        Store::open(&config.database)?
    } else {
        existing_store(&config.database)?
    };
    with_kept_meetings(&mut config, &store)?;
    Ok((config, store))
}

/// The meeting calendar as the secretariat keeps it: `sources.toml`'s
/// meetings, with those added, moved or removed since (`policywatch
/// meeting …`) over them, in date order.
pub(crate) fn with_kept_meetings(config: &mut Config, store: &Store) -> anyhow::Result<()> {
    for m in store.stored_meetings()? {
        config.meetings.retain(|x| x.id != m.id);
        if let Some(date) = m.date {
            config
                .meetings
                .push(crate::config::Meeting { id: m.id, date });
        }
    }
    config
        .meetings
        .sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    Ok(())
}

/// The database named by `--db`, or else by the config; it must exist
/// unless `create`.
pub(crate) fn open_store(g: &GlobalArgs, create: bool) -> Result<Store> {
    let path = match &g.db {
        Some(db) => db.clone(),
        None => load_config(g)?.database,
    };
    if create {
        Ok(Store::open(Path::new(&path))?)
    } else {
        existing_store(Path::new(&path))
    }
}

fn existing_store(path: &Path) -> Result<Store> {
    if !path.exists() {
        return Err(Error::config(format!(
            "databasen {} finnes ikke (skrivefeil i --db eller database?); `policywatch run`, `poll`, `demo` og `overview import` oppretter den",
            path.display()
        )));
    }
    Ok(Store::open(path)?)
}

/// The stored document a reference names (`3167072`, or
/// `stortinget:104523` when a number is on more than one site).
pub(crate) fn require_doc(store: &Store, reference: &str) -> Result<crate::store::StoredDocument> {
    store.document_named(reference)?.map_err(Error::not_found)
}

pub(crate) use crate::job::runtime;

/// Writes a file next to its target and renames it into place, so a web
/// server or reader never sees half a file.
pub(crate) fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)
        .map_err(|e| anyhow::anyhow!("kan ikke skrive {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("kan ikke flytte {} på plass: {e}", path.display()))?;
    Ok(())
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_lines_carry_no_raw_control_characters() {
        assert_eq!(
            super::escape_log_line("innlogging feilet user=x\nINFO forfalsket\u{1b}[31m\n"),
            "innlogging feilet user=x\\u{a}INFO forfalsket\\u{1b}[31m\n"
        );
    }
}
