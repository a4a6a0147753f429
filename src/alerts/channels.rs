//! Delivery channels: e-mail over SMTP (STARTTLS, TLS, or plain for a
//! local relay) and webhooks that take JSON. Every exchange has a hard
//! deadline for the whole send, so a server that accepts a connection and
//! then says nothing cannot hold up the job. Errors name the server and
//! the webhook, never a password or a webhook's URL.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, MIME_VERSION_1_0};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::messages::{OutMessage, webhook_payload};
use crate::config::{Security, SmtpSettings, Webhook};

/// How long a webhook may take to connect, at most.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a message did not get its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// It was not delivered (the server said no, or could not be reached
    /// before anything was sent): the next run sends it again.
    Failed(String),
    /// It may have been delivered: the exchange broke after the message
    /// could have been handed over (the connection dropped or went silent
    /// while the final answer was awaited). Never sent again by itself;
    /// the secretariat settles it (`notify --settle`).
    Uncertain(String),
}

impl SendError {
    pub fn message(&self) -> &str {
        match self {
            SendError::Failed(m) | SendError::Uncertain(m) => m,
        }
    }
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
    /// The whole exchange with the server, for one message.
    deadline: Duration,
}

impl Mailer {
    pub fn new(s: &SmtpSettings) -> anyhow::Result<Mailer> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(s.port)
            .timeout(Some(s.timeout));
        let mut b = match s.security {
            Security::StartTls => transport.tls(Tls::Required(tls_parameters(s)?)),
            Security::Tls => transport.tls(Tls::Wrapper(tls_parameters(s)?)),
            Security::None => transport.tls(Tls::None),
        };
        if let Some(user) = &s.username {
            let password = s.password()?.unwrap_or_default();
            b = b.credentials(Credentials::new(user.clone(), password));
        }
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("smtp.from «{}»: {e}", s.from))?;
        Ok(Mailer {
            transport: b.build(),
            from,
            host: s.host.clone(),
            deadline: s.timeout,
        })
    }

    /// Sends one message, within the deadline. The error names the
    /// server's answer, never the credentials. A server that cannot be
    /// reached, or does not get through its greeting, fails the message;
    /// one that breaks off after that may have taken it (uncertain).
    pub async fn send(&self, to: &str, msg: &OutMessage) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::Failed(format!("mottakeradressen «{to}»: {e}")))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(&msg.subject)
            .message_id(Some(msg.message_id(to.email.as_ref())))
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(msg.text.clone())
            .map_err(|e| SendError::Failed(format!("meldingen kunne ikke lages: {e}")))?;
        let silent = |what: &str| {
            format!(
                "SMTP ({}): ingen svar innen {} s{what}",
                self.host,
                self.deadline.as_secs()
            )
        };
        // First the greeting and a NOOP: a server that fails here has been
        // given nothing.
        match tokio::time::timeout(self.deadline, self.transport.test_connection()).await {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                return Err(SendError::Failed(format!(
                    "SMTP ({}): serveren svarer ikke på NOOP",
                    self.host
                )));
            }
            Ok(Err(e)) => return Err(SendError::Failed(format!("SMTP ({}): {e}", self.host))),
            Err(_) => {
                return Err(SendError::Failed(silent(
                    "; meldingen regnes som ikke sendt",
                )));
            }
        }
        match tokio::time::timeout(self.deadline, self.transport.send(email)).await {
            Ok(Ok(_)) => Ok(()),
            // The server answered with a code: it did not take the message.
            Ok(Err(e)) if e.is_permanent() || e.is_transient() || e.is_client() || e.is_tls() => {
                Err(SendError::Failed(format!("SMTP ({}): {e}", self.host)))
            }
            Ok(Err(e)) => Err(SendError::Uncertain(format!(
                "SMTP ({}): forbindelsen brøt underveis ({e}); meldingen kan være levert",
                self.host
            ))),
            Err(_) => Err(SendError::Uncertain(silent(
                " på slutten av sendingen; meldingen kan være levert",
            ))),
        }
    }
}

/// TLS with the public roots, and the configured CA file if any. The
/// server's certificate must name `host`.
fn tls_parameters(s: &SmtpSettings) -> anyhow::Result<TlsParameters> {
    let mut b = TlsParameters::builder(s.host.clone());
    if let Some(ca) = &s.ca_file {
        let pem =
            std::fs::read(ca).map_err(|e| anyhow::anyhow!("smtp.ca_file {}: {e}", ca.display()))?;
        b = b.add_root_certificate(
            Certificate::from_pem(&pem)
                .map_err(|e| anyhow::anyhow!("smtp.ca_file {}: {e}", ca.display()))?,
        );
    }
    Ok(b.build_rustls()?)
}

pub struct WebhookSender {
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new(user_agent: &str) -> anyhow::Result<WebhookSender> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(WebhookSender {
            client: reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(user_agent)
                .build()?,
        })
    }

    /// Posts one message, within the webhook's timeout. The error names
    /// the webhook and its host; the URL, which holds the channel's
    /// secret, never appears. A webhook that could not be reached fails
    /// the message; one that took the body and then answered late or not
    /// at all may have posted it (uncertain).
    pub async fn post(&self, hook: &Webhook, msg: &OutMessage) -> Result<(), SendError> {
        let send = self
            .client
            .post(hook.url.clone())
            .timeout(hook.timeout)
            .json(&webhook_payload(hook.format, msg))
            .send();
        let late = || {
            SendError::Uncertain(format!(
                "webhook {}: ingen svar innen {} s; meldingen kan være postet",
                hook.label(),
                hook.timeout.as_secs()
            ))
        };
        let resp = match tokio::time::timeout(hook.timeout + Duration::from_secs(1), send).await {
            Err(_) => return Err(late()),
            Ok(Err(e)) => {
                let connect = e.is_connect();
                let timeout = e.is_timeout();
                let e = e.without_url();
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    text.push_str(": ");
                    text.push_str(&s.to_string());
                    source = s.source();
                }
                let text = format!(
                    "webhook {}: {}",
                    hook.label(),
                    text.replace(hook.url.as_str(), "…")
                );
                return Err(if connect {
                    SendError::Failed(text)
                } else if timeout {
                    late()
                } else {
                    SendError::Uncertain(format!("{text}; meldingen kan være postet"))
                });
            }
            Ok(Ok(resp)) => resp,
        };
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(SendError::Failed(format!(
                "webhook {}: HTTP {}",
                hook.label(),
                resp.status().as_u16()
            )))
        }
    }
}
