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

/// How long a webhook may take, from connecting to the answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(30);

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
    /// server's answer, never the credentials.
    pub async fn send(&self, to: &str, msg: &OutMessage) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("mottakeradressen «{to}»: {e}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(&msg.subject)
            .message_id(Some(msg.message_id(to.email.as_ref())))
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(msg.text.clone())
            .map_err(|e| format!("meldingen kunne ikke lages: {e}"))?;
        match tokio::time::timeout(self.deadline, self.transport.send(email)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(format!("SMTP ({}): {e}", self.host)),
            Err(_) => Err(format!(
                "SMTP ({}): ingen svar innen {} s; meldingen regnes som ikke sendt",
                self.host,
                self.deadline.as_secs()
            )),
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
    timeout: Duration,
}

impl WebhookSender {
    pub fn new(timeout: Duration) -> anyhow::Result<WebhookSender> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(WebhookSender {
            client: reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(crate::config::DEFAULT_USER_AGENT)
                .build()?,
            timeout,
        })
    }

    /// Posts one message. The error names the webhook and its host; the
    /// URL, which holds the channel's secret, never appears.
    pub async fn post(&self, hook: &Webhook, msg: &OutMessage) -> Result<(), String> {
        let send = self
            .client
            .post(hook.url.clone())
            .json(&webhook_payload(hook.format, msg))
            .send();
        let resp = match tokio::time::timeout(self.timeout, send).await {
            Err(_) => {
                return Err(format!(
                    "webhook {}: ingen svar innen {} s",
                    hook.label(),
                    self.timeout.as_secs()
                ));
            }
            Ok(Err(e)) => {
                let e = e.without_url();
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    text.push_str(": ");
                    text.push_str(&s.to_string());
                    source = s.source();
                }
                return Err(format!(
                    "webhook {}: {}",
                    hook.label(),
                    text.replace(hook.url.as_str(), "…")
                ));
            }
            Ok(Ok(resp)) => resp,
        };
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "webhook {}: HTTP {}",
                hook.label(),
                resp.status().as_u16()
            ))
        }
    }
}
