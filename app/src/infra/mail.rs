//! Outgoing e-mail through the city's SMTP server, configured by one URL
//! (`APP_SMTP_URL`: `smtp://host:587?tls=required`, `smtps://user:pass@host:465`, or
//! `smtp://127.0.0.1:2525` for a local relay). Without one, messages are written to the log
//! instead: fine while developing, and the README says not to run a city that way.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer for `smtp_url` (none: log only), sending as `from`
    /// ("Hội thi CCHC Hải Phòng <no-reply@haiphong.gov.vn>").
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("APP_MAIL_FROM {from:?}: {e}"))?;
        let transport = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("APP_SMTP_URL: {e}"))?.build()),
            None => None,
        };
        Ok(Mailer { transport, from })
    }

    pub fn configured(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends a plain-text message. The error is for the log; people are never shown it.
    pub async fn send(&self, to: &str, to_name: &str, subject: &str, body: String) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            tracing::warn!(to, subject, body, "no SMTP server configured (APP_SMTP_URL): e-mail written to the log instead of sent");
            return Ok(());
        };
        let to = Mailbox::new(Some(to_name.to_string()), to.parse().map_err(|e| format!("address {to:?}: {e}"))?);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}
