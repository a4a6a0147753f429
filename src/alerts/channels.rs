//! Delivery channels: e-mail over SMTP (STARTTLS, TLS, or plain for a
//! local relay) and webhooks that take JSON.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::messages::{OutMessage, webhook_payload};
use crate::config::{Security, SmtpSettings, Webhook};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
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
        })
    }

    /// Sends one message. The error names the server's answer, never the
    /// credentials.
    pub async fn send(&self, to: &str, msg: &OutMessage) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("mottakeradressen «{to}»: {e}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(&msg.subject)
            .message_id(Some(msg.message_id(to.email.as_ref())))
            .header(ContentType::TEXT_PLAIN)
            .body(msg.text.clone())
            .map_err(|e| format!("meldingen kunne ikke lages: {e}"))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
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
    pub fn new(timeout: std::time::Duration) -> anyhow::Result<WebhookSender> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(WebhookSender {
            client: reqwest::Client::builder()
                .timeout(timeout)
                .user_agent(crate::config::DEFAULT_USER_AGENT)
                .build()?,
        })
    }

    pub async fn post(&self, hook: &Webhook, msg: &OutMessage) -> Result<(), String> {
        let resp = self
            .client
            .post(hook.url.clone())
            .json(&webhook_payload(hook.format, msg))
            .send()
            .await
            .map_err(|e| format!("webhook {}: {e}", hook.name))?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "webhook {}: HTTP {}",
                hook.name,
                resp.status().as_u16()
            ))
        }
    }
}
