//! Printing what a stage did, for the commands that run it (poll, run,
//! demo, notify) and the lists that show documents.

use crate::alerts::deliver::NotifyReport;
use crate::crawl::PollReport;
use crate::job::JobReport;
use crate::norsk::format_date;

/// A date the Norwegian way, or a dash.
pub(crate) fn show_date(d: Option<jiff::civil::Date>) -> String {
    d.map(format_date).unwrap_or_else(|| "–".into())
}

/// The site's own word for the kind ("Høring", "NOU"), or the normalised one.
pub(crate) fn kind_label(d: &crate::store::StoredDocument) -> &str {
    if d.doc_type_text.is_empty() {
        d.doc_type.as_str()
    } else {
        &d.doc_type_text
    }
}

pub(crate) fn print_job(job: &JobReport, dry_run: bool) -> std::io::Result<()> {
    print_report(&job.poll, dry_run)?;
    outln!(
        "Temamatching: {} dokument(er) vurdert, {} relevante.",
        job.matching.matched,
        job.matching.relevant
    )?;
    outln!(
        "Oversikten: {} nye rader, {} koblet til dokumenter, {} celler oppdatert.",
        job.overview.added.len(),
        job.overview.linked.len(),
        job.overview.updated_cells
    )?;
    Ok(())
}

pub(crate) fn print_report(r: &PollReport, dry_run: bool) -> std::io::Result<()> {
    if dry_run {
        outln!("Prøvekjøring: ingenting er lagret.")?;
    }
    for s in &r.sources {
        let state = match &s.error {
            None => "ok".to_string(),
            Some(e) => format!("FEIL: {e}"),
        };
        outln!(
            "{}: {state} — {} side(r), {} element(er), {} nye, {} endret, {} dokumentside(r) lest",
            s.name,
            s.pages,
            s.items,
            s.new,
            s.changed,
            s.details_read
        )?;
        if s.pages_skipped > 0 || s.pages_waiting > 0 {
            outln!(
                "  {} dokumentside(r) ikke lest (listen sa nok), {} venter til senere kjøringer",
                s.pages_skipped,
                s.pages_waiting
            )?;
        }
        for w in &s.warnings {
            outln!("  advarsel: {w}")?;
        }
    }
    outln!(
        "{} forespørsler ({} betingede, {} uendret), {} byte; {} åpne høringer sjekket på nytt",
        r.requests,
        r.conditional_requests,
        r.not_modified,
        r.bytes,
        r.rechecked
    )?;
    Ok(())
}
pub(crate) fn print_notify(report: &NotifyReport, dry_run: bool) -> std::io::Result<()> {
    if dry_run {
        if report.planned.is_empty() {
            outln!("Prøvekjøring: ingen varsler å sende.")?;
        }
        for p in &report.planned {
            outln!(
                "=== Til {} ({} {}): {}",
                p.recipient,
                p.channel,
                p.address,
                p.message.subject
            )?;
            outln!("{}", p.message.text)?;
        }
        outln!(
            "Prøvekjøring: {} melding(er) ville blitt sendt; ingenting er sendt eller registrert.",
            report.planned.len()
        )?;
    } else {
        outln!(
            "Varsler: {} melding(er) sendt, {} feilet{}.",
            report.sent,
            report.failed.len(),
            if report.uncertain > 0 {
                format!(
                    ", {} varsel(er) med ukjent utfall holdt tilbake",
                    report.uncertain
                )
            } else {
                String::new()
            }
        )?;
        for f in &report.failed {
            outln!("  feilet: {f}")?;
        }
        if report.postponed > 0 {
            outln!(
                "  {} melding(er) ikke forsøkt: kjøringens tidsbudsjett var brukt opp; de sendes neste kjøring",
                report.postponed
            )?;
        }
    }
    Ok(())
}
