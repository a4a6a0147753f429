//! The command line, defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "policywatch",
    version,
    about = "Følger høringer, NOU-er, stortingsmeldinger og strategier på regjeringen.no for HelseOmsorg21-rådet"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The configuration file.
    #[arg(
        long,
        global = true,
        default_value = "sources.toml",
        env = "POLICYWATCH_CONFIG"
    )]
    pub config: PathBuf,
    /// The database (overrides `database` in the configuration).
    #[arg(long, global = true, env = "POLICYWATCH_DB")]
    pub db: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Pretend the time is this (RFC 3339, e.g. 2026-07-04T08:00:00Z): for
    /// tests and the demo.
    #[arg(long, global = true, hide = true, env = "POLICYWATCH_NOW")]
    pub now: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole job against a built-in offline demo site.
    Demo,
    /// Fetch the sources and store what is new or changed.
    Poll(PollArgs),
    /// Show what the parsers read from one page (a file or a URL).
    Extract(ExtractArgs),
    /// List stored documents.
    List(ListArgs),
    /// Show a document's history of changes.
    History(HistoryArgs),
    /// Match every stored document against the themes again.
    Rematch,
    /// Explain why a document matched the themes, or did not.
    Explain(IdArgs),
    /// Mark a document relevant, whatever the matcher says.
    Pin(OverrideArgs),
    /// Mark a document not relevant, whatever the matcher says.
    Dismiss(OverrideArgs),
    /// Classify documents given as JSON lines on stdin (no database).
    Classify(ClassifyArgs),
    /// The overview table "Oversikt meldinger og strategier".
    #[command(subcommand)]
    Overview(OverviewCommand),
    /// The standing case (saksfremlegg) with the table as Vedlegg 1.
    Case(CaseArgs),
    /// Send due alerts to the recipients, each exactly once.
    Notify(NotifyArgs),
    /// Write the deadline calendar (iCalendar).
    Calendar(CalendarArgs),
    /// The cron job: poll, match, update the overview, notify, and write
    /// the outputs.
    Run(RunArgs),
    /// Each source's health, the next deadlines, and the database.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the live database to FILE.
    Backup {
        file: std::path::PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Walk N list pages back (a first load).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub backfill: Option<u32>,
    /// Do everything but send alerts (they are sent by the next run).
    #[arg(long)]
    pub no_notify: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// Print exactly what would be sent to whom; send and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send a test message to this e-mail address or webhook name, to
    /// check the channel. Records nothing.
    #[arg(long, value_name = "ADDRESS")]
    pub test: Option<String>,
    /// Record every alert due now as delivered without sending it: a silent
    /// start after the first load, so members hear only of what comes next.
    #[arg(long, conflicts_with_all = ["dry_run", "test"])]
    pub baseline: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Only deadlines of documents matching this theme.
    #[arg(long)]
    pub theme: Option<String>,
    /// Write here (default: stdout).
    #[arg(short = 'o', long)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum OverviewCommand {
    /// List the rows with their ids.
    List {
        /// Archived and dismissed rows too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One row: every cell (the crawler's and the secretariat's text) and
    /// its history.
    Show { row: i64 },
    /// Add a row by hand (an item not published yet, say).
    Add(AddRowArgs),
    /// Edit a cell. The secretariat's text is shown instead of the
    /// crawler's, and the crawler never overwrites it.
    Edit {
        row: i64,
        /// title, input, launch, hearing or followup (or tittel, innspill,
        /// lansering, høring, oppfølging).
        #[arg(long)]
        column: String,
        /// The text; `[text](url)` makes a link. Several lines with \n.
        #[arg(long, required_unless_present = "clear")]
        text: Option<String>,
        /// Remove the secretariat's text: the crawler's shows again.
        #[arg(long, conflicts_with = "text")]
        clear: bool,
    },
    /// Link a row to a regjeringen.no document (or with --hearing, to a
    /// hearing about it).
    Link {
        row: i64,
        doc: u64,
        #[arg(long)]
        hearing: bool,
    },
    /// Take a row off the table (launched, done); it stays in history.
    Archive { row: i64 },
    /// Reject a row the crawler proposed; it does not come back.
    Dismiss { row: i64 },
    /// Put an archived or dismissed row back on the table.
    Restore { row: i64 },
    /// Import an existing table (tab-separated or Markdown). Without a
    /// file, the council's table from meeting 3/2026 is imported.
    Import { file: Option<std::path::PathBuf> },
    /// Render the table for a meeting.
    Render(RenderArgs),
}

#[derive(Debug, Args)]
pub struct AddRowArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub input: Option<String>,
    #[arg(long)]
    pub launch: Option<String>,
    #[arg(long)]
    pub hearing: Option<String>,
    #[arg(long)]
    pub followup: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The meeting, e.g. 3/2026 (default: the next one).
    #[arg(long)]
    pub meeting: Option<String>,
    /// md, html, csv or docx.
    #[arg(long, default_value = "md")]
    pub format: crate::overview::render::Format,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CaseArgs {
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The regjeringen.no id (the number in /id<N>/).
    pub id: u64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OverrideArgs {
    /// The regjeringen.no id (the number in /id<N>/).
    pub id: u64,
    /// Why (shown by `explain`).
    #[arg(long)]
    pub reason: Option<String>,
    /// Remove the secretariat's word again: the matcher decides.
    #[arg(long, conflicts_with = "reason")]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// A themes file to use instead of the configured one.
    #[arg(long)]
    pub themes: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct PollArgs {
    /// Poll only this source (may be repeated).
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Walk N list pages back (a first load of the archive).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub backfill: Option<u32>,
    /// Fetch and show what would change, but store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A saved page, or an http(s) URL (fetched politely, as `poll` does).
    pub path_or_url: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The address a saved page came from, for resolving its links.
    #[arg(long, default_value = "https://www.regjeringen.no/")]
    pub base: url::Url,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only open hearings, by deadline.
    #[arg(long)]
    pub open: bool,
    /// Only documents that are relevant to the council (matched or pinned,
    /// and not dismissed).
    #[arg(long)]
    pub relevant: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The regjeringen.no id (the number in /id<N>/).
    pub id: u64,
    #[arg(long)]
    pub json: bool,
}
