//! Devices a person has signed in from: a random, long-lived, first-party cookie (`hp_device`,
//! no fingerprinting) set at a successful sign-in and remembered with the account (only its
//! hash is stored). A sign-in from such a device is not slowed down by the failures of
//! strangers elsewhere (see `throttle`).

use super::repo::devices as repo;
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::vn_time::now_secs;
use blake2::{Blake2s256, Digest};

pub const COOKIE: &str = "hp_device";
/// A device cookie lasts a year from the last sign-in on it.
pub const MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// A fresh token: 128 random bits, hex.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored of a token.
pub fn hash(token: &str) -> String {
    Blake2s256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The device token a request carries, if it looks like one of ours.
pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Set-Cookie` value for `token`.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!("{COOKIE}={token}; Path=/; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" })
}

/// Whether `user_id` has signed in from the device with this token before.
pub async fn known(db: &Db, token: &str, user_id: i64) -> Result<bool, AppError> {
    Ok(repo::is_known(db, &hash(token), user_id).await?)
}

/// Remembers that `user_id` signed in from this device.
pub async fn remember(tx: &mut WriteTx, token: &str, user_id: i64) -> Result<(), AppError> {
    Ok(repo::seen(tx, &hash(token), user_id, now_secs()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_read_back_from_the_cookie_header() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(axum::http::header::COOKIE, format!("hp_session=x; {COOKIE}={a}; lang=vi").parse().unwrap());
        assert_eq!(from_headers(&headers), Some(a.clone()));
        headers.insert(axum::http::header::COOKIE, format!("{COOKIE}=../../etc").parse().unwrap());
        assert_eq!(from_headers(&headers), None);
        assert_ne!(hash(&a), a);
        assert!(set_cookie(&a, true).ends_with("SameSite=Lax; Secure"));
    }
}
