//! Outgoing text messages (the citizens' one-time codes). Two senders, chosen by configuration:
//! - `Log` (no `APP_SMS__URL`): the message is written to the log and kept in memory, newest
//!   first, for the admin screen `/admin/ma-xac-nhan`. For development and demos only: the
//!   README says not to run a city that way.
//! - `Http` (`APP_SMS__URL`, `APP_SMS__TOKEN`): a POST of `{"phone", "message"}` as JSON to the
//!   gateway with `Authorization: Bearer <token>`, within 10 seconds. A refusal or a timeout is
//!   logged with the request id; the person is told to try again.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// How many messages the development sender keeps for the admin screen.
const KEPT: usize = 50;
/// How long the gateway has to answer: a person is waiting on the sign-up page.
const GATEWAY_TIMEOUT: Duration = Duration::from_secs(10);

/// A message the development sender wrote to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedMessage {
    pub phone: String,
    pub message: String,
    /// Unix seconds.
    pub at: i64,
}

pub enum SmsSender {
    Log { kept: Mutex<VecDeque<LoggedMessage>> },
    Http { url: String, token: String, client: reqwest::Client },
}

impl SmsSender {
    /// The sender for a gateway address and token; without an address, the log.
    pub fn new(url: Option<&str>, token: Option<&str>) -> Result<SmsSender, String> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(SmsSender::Log { kept: Mutex::new(VecDeque::new()) }),
            Some(url) => {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!("APP_SMS__URL must start with http:// or https://, not {url:?}"));
                }
                let client = reqwest::Client::builder().timeout(GATEWAY_TIMEOUT).build().map_err(|e| format!("SMS gateway client: {e}"))?;
                Ok(SmsSender::Http { url: url.to_string(), token: token.unwrap_or_default().to_string(), client })
            }
        }
    }

    /// Whether messages really leave (a gateway is configured).
    pub fn configured(&self) -> bool {
        matches!(self, SmsSender::Http { .. })
    }

    /// Sends `message` to `phone`. The error is for the log; people are never shown it.
    pub async fn send(&self, phone: &str, message: &str, request_id: &str) -> Result<(), String> {
        match self {
            SmsSender::Log { kept } => {
                tracing::warn!(phone, message, request_id, "no SMS gateway configured (APP_SMS__URL): message written to the log instead of sent");
                let mut kept = kept.lock().map_err(|_| "SMS log poisoned".to_string())?;
                kept.push_front(LoggedMessage { phone: phone.to_string(), message: message.to_string(), at: crate::vn_time::now_secs() });
                kept.truncate(KEPT);
                Ok(())
            }
            SmsSender::Http { url, token, client } => {
                let body = serde_json::json!({ "phone": phone, "message": message }).to_string();
                let answer = client
                    .post(url)
                    .bearer_auth(token)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header("x-request-id", request_id)
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| format!("SMS gateway unreachable: {e}"))?;
                let status = answer.status();
                if status.is_success() {
                    Ok(())
                } else {
                    let text: String = answer.text().await.unwrap_or_default().chars().take(200).collect();
                    Err(format!("SMS gateway answered {status}: {text}"))
                }
            }
        }
    }

    /// The messages the development sender kept, newest first (none with a gateway).
    pub fn recent(&self) -> Vec<LoggedMessage> {
        match self {
            SmsSender::Log { kept } => kept.lock().map(|k| k.iter().cloned().collect()).unwrap_or_default(),
            SmsSender::Http { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_log_sender_keeps_the_newest_messages_first() {
        let sender = SmsSender::new(None, None).unwrap();
        assert!(!sender.configured());
        for i in 0..(KEPT + 3) {
            sender.send("0912345678", &format!("Mã {i}"), "req").await.unwrap();
        }
        let kept = sender.recent();
        assert_eq!(kept.len(), KEPT);
        assert_eq!(kept[0].message, format!("Mã {}", KEPT + 2));
    }

    #[test]
    fn a_gateway_address_must_be_http() {
        assert!(SmsSender::new(Some("ftp://sms.example"), Some("t")).is_err());
        assert!(SmsSender::new(Some("https://sms.example/send"), Some("t")).unwrap().configured());
        assert!(!SmsSender::new(Some("  "), None).unwrap().configured());
    }
}
