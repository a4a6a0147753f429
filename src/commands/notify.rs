//! `policywatch notify [--dry-run] [--test ADDRESS]` and `policywatch
//! calendar`.

use super::{Exit, GlobalArgs, config_and_store};
use crate::alerts::channels::{Mailer, WebhookSender};
use crate::alerts::deliver::{due_alerts, items, plan};
use crate::alerts::messages::OutMessage;
use crate::cli::{CalendarArgs, NotifyArgs};
use crate::config::Config;
use crate::store::DeliveryState;

pub fn run(g: &GlobalArgs, args: &NotifyArgs) -> super::Result<Exit> {
    if let Some(address) = &args.test {
        // A test message needs no database: it checks the channel.
        return send_test(&super::load_config(g)?, address);
    }
    let (config, mut store) = config_and_store(g)?;
    let clock = super::clock(g);
    // Two senders at once could both send an alert: take the run lock.
    let _lock = super::lock::lock_unless_dry(&config.database, args.dry_run)?;
    if let Some([key, outcome]) = args.settle.as_deref() {
        let state = match outcome.as_str() {
            "sent" => DeliveryState::Sent,
            "resend" => DeliveryState::Failed,
            other => {
                return Err(super::Error::usage(format!(
                    "«{other}»: bruk sent eller resend"
                )));
            }
        };
        let n = store.settle_delivery(key, state, clock.now())?;
        if n == 0 {
            return Err(super::Error::not_found(format!(
                "ingen uavgjort levering har nøkkelen «{key}» (se `policywatch status`)"
            )));
        }
        outln!(
            "{n} levering(er) av «{key}» avgjort: {}.",
            if state == DeliveryState::Sent {
                "regnes som sendt"
            } else {
                "sendes på nytt ved neste kjøring"
            }
        )?;
        return Ok(Exit::Ok);
    }
    if args.baseline {
        let alerts = due_alerts(&store, &config, clock.today(), clock.now())?;
        let (planned, _) = plan(&alerts, &config, &mut store)?;
        for p in &planned {
            store.delivery_sent(&p.ledger, &items(&p.message), clock.now())?;
        }
        let n: usize = planned.iter().map(|p| p.message.keys.len()).sum();
        outln!(
            "Grunnlinje: {n} varsel(er) registrert som sendt uten å sendes; bare det som kommer etter dette varsles."
        )?;
        return Ok(Exit::Ok);
    }
    let report = crate::alerts::notify(&config, &mut store, clock.as_ref(), args.dry_run, None)?;
    if args.json {
        super::json::print("notify", &super::json::Notify::from(&report))?;
    } else {
        super::report::print_notify(&report, args.dry_run)?;
    }
    Ok(if report.failed.is_empty() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}

fn send_test(config: &Config, address: &str) -> super::Result<Exit> {
    let msg = OutMessage::test(jiff::Timestamp::now());
    let rt = super::runtime()?;
    let result = if address.contains('@') {
        let Some(smtp) = &config.alerts.smtp else {
            return Err(super::Error::config(format!(
                "ingen [smtp] i {}",
                config.path.display()
            )));
        };
        let mailer = Mailer::new(smtp)?;
        rt.block_on(mailer.send(address, &msg))
    } else {
        let Some(hook) = config.alerts.webhooks.iter().find(|w| w.name == address) else {
            return Err(super::Error::config(format!(
                "ingen [[webhook]] heter «{address}»"
            )));
        };
        rt.block_on(WebhookSender::new(&config.fetch.user_agent)?.post(hook, &msg))
    };
    match result {
        Ok(()) => {
            outln!("Testmelding sendt til {address}.")?;
            Ok(Exit::Ok)
        }
        Err(e) => Err(super::Error::failed(format!(
            "testmeldingen kom ikke fram: {e}"
        ))),
    }
}

pub fn calendar(g: &GlobalArgs, args: &CalendarArgs) -> super::Result<Exit> {
    let (config, store) = config_and_store(g)?;
    if let Some(t) = &args.theme
        && config.themes.theme(t).is_none()
    {
        return Err(super::Error::usage(format!("ukjent tema «{t}»")));
    }
    let clock = super::clock(g);
    let ics = crate::alerts::calendar::calendar_text(
        &config,
        &store,
        clock.as_ref(),
        args.theme.as_deref(),
    )?;
    if let Some(path) = &args.output {
        super::write_atomic(path, ics.as_bytes())?;
    }
    if args.output.is_none() {
        out!("{ics}")?;
    }
    Ok(Exit::Ok)
}
