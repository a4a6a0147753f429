//! The command line, defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "policywatch",
    version,
    about = "Følger høringer, NOU-er, stortingsmeldinger og strategier på regjeringen.no for HelseOmsorg21-rådet",
    after_help = "Dokumentasjon: README.md. Avslutningskoder: 0 ok, 1 feil, 2 ugyldig kommandolinje, 3 konfigurasjonsfeil, 4 noen kilder eller varsler feilet, 5 en annen kjøring pågår."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Konfigurasjonsfilen.
    #[arg(
        long,
        global = true,
        default_value = "sources.toml",
        env = "POLICYWATCH_CONFIG"
    )]
    pub config: PathBuf,
    /// Databasen (overstyrer `database` i konfigurasjonen).
    #[arg(long, global = true, env = "POLICYWATCH_DB")]
    pub db: Option<PathBuf>,
    /// Loggformat på stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Lat som klokka er dette (RFC 3339, f.eks. 2026-07-04T08:00:00Z): for
    /// tester og demoen.
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
    /// Kjør hele jobben mot et innebygd testnettsted, uten nett.
    Demo,
    /// Hent kildene og lagre det som er nytt eller endret.
    Poll(PollArgs),
    /// Vis hva tolkerne leser ut av én side (en fil eller en adresse).
    Extract(ExtractArgs),
    /// List lagrede dokumenter.
    List(ListArgs),
    /// Vis et dokuments endringshistorikk.
    History(HistoryArgs),
    /// Vurder alle lagrede dokumenter mot temaene på nytt.
    Rematch,
    /// Forklar hvorfor et dokument traff temaene, eller ikke.
    Explain(IdArgs),
    /// Marker et dokument som relevant, uansett hva temamatchingen sier.
    Pin(OverrideArgs),
    /// Marker et dokument som ikke relevant, uansett hva temamatchingen sier.
    Dismiss(OverrideArgs),
    /// Klassifiser dokumenter gitt som JSON-linjer på stdin (uten database).
    Classify(ClassifyArgs),
    /// Tabellen «Oversikt meldinger og strategier».
    #[command(subcommand)]
    Overview(OverviewCommand),
    /// Den faste saken (saksfremlegg) med tabellen som vedlegg 1.
    Case(CaseArgs),
    /// Send varsler som er klare, til hver mottaker nøyaktig én gang.
    Notify(NotifyArgs),
    /// Skriv kalenderen med høringsfrister (iCalendar).
    Calendar(CalendarArgs),
    /// Cron-jobben: hent, vurder, oppdater oversikten, varsle og skriv
    /// ut filene.
    Run(RunArgs),
    /// Hver kildes tilstand, de neste fristene og databasen.
    Status {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Skriv en konsistent kopi av databasen til FIL.
    Backup {
        file: std::path::PathBuf,
        /// Overskriv FIL om den finnes.
        #[arg(long)]
        force: bool,
    },
    /// Sekretariatets nettside (oversikt, nye treff, dokumenter, status,
    /// saken), på 127.0.0.1:8080 om ikke `[web] listen` eller --listen sier
    /// noe annet.
    Serve {
        /// Adressen nettsiden lytter på (127.0.0.1:8080).
        #[arg(long, value_name = "ADRESSE")]
        listen: Option<std::net::SocketAddr>,
    },
    /// Brukerkontoer for nettsiden.
    #[command(subcommand)]
    User(UserCommand),
    /// Rådsmøtene: legg til, flytt, fjern og list (over møtene i sources.toml).
    #[command(subcommand)]
    Meeting(MeetingCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Legg til en bruker; passordet leses fra første linje på stdin.
    Add {
        name: String,
        /// Les passordet fra stdin (det eneste som godtas: et passord
        /// skal aldri stå på kommandolinjen).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Fjern en bruker og brukerens økter.
    Remove { name: String },
    /// List brukerne.
    List,
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Legg til et møte, eller flytt det: `meeting add 4/2026 2026-10-01`.
    Add {
        /// Møtet, som 4/2026.
        id: String,
        /// Datoen (ÅÅÅÅ-MM-DD).
        date: String,
    },
    /// List møtene, i datoorden.
    List {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fjern et møte.
    Remove { id: String },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Gå N listesider bakover (første innlasting).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub backfill: Option<u32>,
    /// Gjør alt unntatt å sende varsler (de sendes av neste kjøring).
    #[arg(long)]
    pub no_notify: bool,
    /// Lagre endringene selv om mange dokumenter endres på én gang (når
    /// sekretariatet har sett at nettstedet virkelig har endret dem).
    #[arg(long)]
    pub accept_changes: bool,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// Skriv ut nøyaktig hva som ville blitt sendt til hvem; send og registrer ingenting.
    #[arg(long)]
    pub dry_run: bool,
    /// Send en testmelding til denne e-postadressen eller webhooken, for å
    /// sjekke kanalen. Registrerer ingenting.
    #[arg(long, value_name = "ADDRESS")]
    pub test: Option<String>,
    /// Registrer alle varsler som er klare nå, som sendt uten å sende dem: en
    /// stille start etter første innlasting, så medlemmene bare hører om det som kommer.
    #[arg(long, conflicts_with_all = ["dry_run", "test"])]
    pub baseline: bool,
    /// Avgjør et varsel med ukjent utfall (eller et som feilet), med nøkkelen
    /// `status` viser: `sent` (det kom fram; sendes ikke igjen) eller
    /// `resend` (send det på nytt ved neste kjøring).
    #[arg(long, num_args = 2, value_names = ["NØKKEL", "sent|resend"], conflicts_with_all = ["dry_run", "test", "baseline"])]
    pub settle: Option<Vec<String>>,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Bare frister for dokumenter som treffer dette temaet.
    #[arg(long)]
    pub theme: Option<String>,
    /// Skriv hit (standard: stdout).
    #[arg(short = 'o', long)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum OverviewCommand {
    /// List radene med id-ene deres.
    List {
        /// Også arkiverte og avviste rader.
        #[arg(long)]
        all: bool,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Én rad: hver celle (teksten fra nettstedet og sekretariatets) og
    /// historikken.
    Show { row: i64 },
    /// Legg til en rad for hånd (for eksempel noe som ikke er publisert ennå).
    Add(AddRowArgs),
    /// Rediger en celle. Sekretariatets tekst vises i stedet for den fra
    /// nettstedet, og den overskrives aldri.
    Edit {
        row: i64,
        /// tittel, innspill, lansering, høring eller oppfølging (eller title,
        /// input, launch, hearing, followup).
        #[arg(long)]
        column: String,
        /// Teksten; `[tekst](adresse)` gir en lenke. Flere linjer med \n.
        #[arg(long, required_unless_present = "clear")]
        text: Option<String>,
        /// Fjern sekretariatets tekst: teksten fra nettstedet vises igjen.
        #[arg(long, conflicts_with = "text")]
        clear: bool,
    },
    /// Koble en rad til et dokument policywatch har funnet (eller med --hearing,
    /// til en høring om det).
    Link {
        row: i64,
        /// Dokumentet: nummeret på nettstedet (3167072), eller med nettstedet
        /// foran når nummeret finnes flere steder (stortinget:104523).
        doc: String,
        #[arg(long)]
        hearing: bool,
        /// Avvis en foreslått kobling (se `overview list`); den foreslås ikke igjen.
        #[arg(long, conflicts_with = "hearing")]
        reject: bool,
    },
    /// Teksten som står under raden i saken (i stedet for dokumentets
    /// sammendrag fra nettstedet).
    Note {
        row: i64,
        /// Teksten; `[tekst](adresse)` gir en lenke. Flere avsnitt med \n.
        #[arg(long, required_unless_present = "clear")]
        text: Option<String>,
        /// Fjern teksten: sammendraget fra nettstedet brukes igjen.
        #[arg(long, conflicts_with = "text")]
        clear: bool,
    },
    /// Ta en rad ut av oversikten (lansert, ferdig); den blir i historikken.
    Archive { row: i64 },
    /// Avvis en rad policywatch foreslo; den kommer ikke tilbake.
    Dismiss { row: i64 },
    /// Sett en arkivert eller avvist rad tilbake i oversikten.
    Restore { row: i64 },
    /// Rådets vedtak om saken: answer (gi innspill eller høringssvar),
    /// no-input, inform (ingen innspill, men orienteres), not-relevant,
    /// eller open (ikke avgjort). Påminnelser om fristen går bare for
    /// answer og open.
    Decide {
        row: i64,
        /// answer, no-input, inform, not-relevant eller open.
        decision: String,
        /// Møtet vedtaket ble gjort i (3/2026).
        #[arg(long)]
        meeting: Option<String>,
        /// Vedtaket med rådets ord.
        #[arg(long)]
        text: Option<String>,
    },
    /// Noe rådet har sendt: et innspill, et høringssvar eller et brev.
    /// Et høringssvar stopper påminnelsene om fristen.
    Sent {
        row: i64,
        /// Datoen det ble sendt (ÅÅÅÅ-MM-DD).
        #[arg(long)]
        date: String,
        /// input, response eller letter.
        #[arg(long)]
        kind: String,
        /// Lenke til det som ble sendt.
        #[arg(long)]
        url: Option<String>,
        /// Tittel eller kort beskrivelse.
        #[arg(long)]
        text: Option<String>,
    },
    /// Importer en eksisterende tabell (tabulatorseparert eller Markdown).
    /// Uten fil importeres rådets tabell fra møte 3/2026.
    Import { file: Option<std::path::PathBuf> },
    /// Lag tabellen for et møte.
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
    /// Møtet, f.eks. 3/2026 (standard: det neste).
    #[arg(long)]
    pub meeting: Option<String>,
    /// md, html, csv, docx eller xlsx.
    #[arg(long, default_value = "md")]
    pub format: crate::config::Format,
    /// Skriv til denne filen i stedet for stdout.
    #[arg(short = 'o', long)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CaseArgs {
    #[command(flatten)]
    pub render: RenderArgs,
    /// Saksnummeret i året (28 gir «Sak 28/3/2026»).
    #[arg(long, value_name = "NR", value_parser = clap::value_parser!(u32).range(1..=999))]
    pub sak: Option<u32>,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// Dokumentet: nummeret på nettstedet (3167072), eller med nettstedet
    /// foran når nummeret finnes flere steder (stortinget:104523).
    pub id: String,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OverrideArgs {
    /// Dokumentet: nummeret på nettstedet (3167072), eller med nettstedet
    /// foran når nummeret finnes flere steder (stortinget:104523).
    pub id: String,
    /// Hvorfor (vises av `explain`).
    #[arg(long)]
    pub reason: Option<String>,
    /// Fjern sekretariatets vurdering igjen: temamatchingen avgjør.
    #[arg(long, conflicts_with = "reason")]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// En temafil som brukes i stedet for den konfigurerte.
    #[arg(long)]
    pub themes: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct PollArgs {
    /// Hent bare denne kilden (kan gjentas).
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Gå N listesider bakover (første innlasting av arkivet).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub backfill: Option<u32>,
    /// Hent og vis hva som ville endret seg, men lagre ingenting.
    #[arg(long)]
    pub dry_run: bool,
    /// Lagre endringene selv om mange dokumenter endres på én gang (når
    /// sekretariatet har sett at nettstedet virkelig har endret dem).
    #[arg(long)]
    pub accept_changes: bool,
    /// Lagre hver side som hentes i MAPPE, byte for byte, med adresse, tid
    /// og headere ved siden av (for å lage testdata fra de virkelige sidene).
    #[arg(long, value_name = "MAPPE")]
    pub save_pages: Option<std::path::PathBuf>,
    /// Skriv rapporten som JSON på stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// En lagret side, eller en http(s)-adresse (hentes høflig, som `poll` gjør).
    pub path_or_url: String,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
    /// Adressen en lagret side kom fra, for å løse opp lenkene (uten den:
    /// nettstedets forside).
    #[arg(long)]
    pub base: Option<url::Url>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Bare åpne høringer, etter frist.
    #[arg(long)]
    pub open: bool,
    /// Bare dokumenter som er relevante for rådet (truffet eller markert,
    /// og ikke avvist).
    #[arg(long)]
    pub relevant: bool,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Dokumentet: nummeret på nettstedet (3167072), eller med nettstedet
    /// foran når nummeret finnes flere steder (stortinget:104523).
    pub id: String,
    /// Skriv JSON.
    #[arg(long)]
    pub json: bool,
}
