//! Alerts: from stored changes to messages, delivered exactly once per
//! recipient and channel, and the deadline calendar.

pub mod calendar;
pub mod channels;
pub mod deliver;
pub mod events;
pub mod messages;

pub use events::{Alert, AlertKind, DocFacts, derive_alerts, source_alerts};

use crate::config::Config;
use crate::store::Store;
use deliver::{NotifyReport, deliver, due_alerts, plan};

/// The alert stage: plan, and unless dry, deliver (starting no send after
/// `deadline`).
pub fn notify(
    config: &Config,
    store: &mut Store,
    clock: &dyn crate::clock::Clock,
    dry_run: bool,
    deadline: Option<std::time::Instant>,
) -> anyhow::Result<NotifyReport> {
    let alerts = due_alerts(store, config, clock.today(), clock.now())?;
    let (planned, uncertain) = if dry_run {
        // A dry run records nothing, not even a ledger re-keying.
        plan(&alerts, config, &mut store.scratch_copy()?)?
    } else {
        plan(&alerts, config, store)?
    };
    if uncertain > 0 {
        tracing::warn!(
            uncertain,
            "varsler med ukjent utfall (en kjøring stoppet mellom sending og registrering) sendes ikke på nytt; se `policywatch status`"
        );
    }
    let mut report = if dry_run {
        NotifyReport {
            planned,
            ..NotifyReport::default()
        }
    } else {
        crate::job::runtime()?.block_on(deliver(planned, config, store, clock, deadline))?
    };
    report.uncertain = uncertain;
    Ok(report)
}
