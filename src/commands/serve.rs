//! `policywatch serve` and `policywatch user …`: the web page and its
//! accounts.

use std::io::BufRead;
use std::sync::Arc;

use super::{Error, Exit, GlobalArgs, config_and_store};
use crate::cli::UserCommand;

pub fn serve(g: &GlobalArgs, listen: Option<std::net::SocketAddr>) -> super::Result<Exit> {
    let (config, store) = config_and_store(g)?;
    if store.users()?.is_empty() {
        return Err(Error::refused(
            "ingen brukere: legg til en med `policywatch user add NAVN --password-stdin` først",
        ));
    }
    let listen = listen.unwrap_or(config.web.listen);
    let clock: Box<dyn crate::clock::Clock + Send + Sync> = match g.now {
        Some(ts) => Box::new(crate::clock::FixedClock(ts)),
        None => Box::new(crate::clock::SystemClock),
    };
    let app = Arc::new(crate::web::App::new(config, store, clock));
    eprintln!("policywatch: nettsiden på http://{listen}/ (Ctrl-C stopper)");
    // Pages are served on a few threads; password checks run on the
    // blocking pool beside them.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .map_err(|e| Error::new(crate::ErrorKind::Failed, format!("kan ikke starte: {e}")))?;
    rt.block_on(crate::web::serve(app, listen))?;
    Ok(Exit::Ok)
}

/// The shortest password taken.
const MIN_PASSWORD: usize = 12;

pub fn user(g: &GlobalArgs, cmd: &UserCommand) -> super::Result<Exit> {
    let store = super::open_store(g, matches!(cmd, UserCommand::Add { .. }))?;
    match cmd {
        UserCommand::Add { name, .. } => {
            let name = name.trim();
            if name.is_empty()
                || name.len() > 64
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
            {
                return Err(Error::usage(
                    "brukernavnet kan ha bokstaver, tall og . - _ @ (høyst 64 tegn)",
                ));
            }
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < MIN_PASSWORD {
                return Err(Error::usage(format!(
                    "passordet må ha minst {MIN_PASSWORD} tegn"
                )));
            }
            let hash = crate::web::hash_password(password)?;
            if !store.add_user(name, &hash, super::clock(g).now())? {
                return Err(Error::refused(format!("brukeren {name} finnes fra før")));
            }
            outln!("Brukeren {name} er lagt til.")?;
        }
        UserCommand::Remove { name } => {
            let mut store = store;
            if !store.remove_user(name)? {
                return Err(Error::not_found(format!("ingen bruker heter {name}")));
            }
            outln!("Brukeren {name} og brukerens økter er fjernet.")?;
        }
        UserCommand::List => {
            for u in store.users()? {
                outln!("{u}")?;
            }
        }
    }
    Ok(Exit::Ok)
}
