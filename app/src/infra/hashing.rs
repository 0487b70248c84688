//! Password hashing with argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
//!
//! Each hash costs ~20 MiB and tens of milliseconds of CPU, so it runs on the blocking pool,
//! and a semaphore bounds how many run at once: a login storm at the start of a round then
//! queues for hashing instead of starving the threads that save exam answers.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB, t=2, p=1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// A password hash as stored. Deliberately not `Serialize`: it can never be sent to a client.
#[derive(Clone)]
pub struct StoredHash(pub String);

impl std::fmt::Debug for StoredHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredHash(***)")
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    max: usize,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A valid hash of a random password, verified against when the account does not exist so a
/// wrong login costs the same time either way and does not reveal which accounts exist.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2().hash_password(uuid::Uuid::new_v4().to_string().as_bytes(), &salt).expect("hash").to_string()
});

impl PasswordHasher {
    /// `max_concurrent` hashes may run at once (default: the number of CPU cores).
    pub fn new(max_concurrent: usize) -> Self {
        PasswordHasher { permits: Arc::new(Semaphore::new(max_concurrent.max(1))), max: max_concurrent.max(1) }
    }

    /// Hashes running now, and how many may run at once (for the metrics).
    pub fn in_use(&self) -> (usize, usize) {
        (self.max - self.permits.available_permits(), self.max)
    }

    pub async fn hash(&self, password: String) -> Result<StoredHash, crate::error::AppError> {
        let _permit = self.permits.acquire().await.map_err(crate::error::AppError::internal)?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            argon2().hash_password(password.as_bytes(), &salt).map(|h| StoredHash(h.to_string()))
        })
        .await
        .map_err(crate::error::AppError::internal)?
        .map_err(crate::error::AppError::internal)
    }

    /// Verifies `password`; with `None` (unknown account) verifies against a dummy hash and
    /// returns false, taking the same time.
    pub async fn verify(&self, password: String, stored: Option<StoredHash>) -> Result<bool, crate::error::AppError> {
        let _permit = self.permits.acquire().await.map_err(crate::error::AppError::internal)?;
        tokio::task::spawn_blocking(move || {
            let known = stored.is_some();
            let hash_text = stored.map(|s| s.0).unwrap_or_else(|| DUMMY_HASH.clone());
            let Ok(parsed) = PasswordHash::new(&hash_text) else { return false };
            argon2().verify_password(password.as_bytes(), &parsed).is_ok() && known
        })
        .await
        .map_err(crate::error::AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let hasher = PasswordHasher::new(2);
        let stored = hasher.hash("mật khẩu đủ dài".into()).await.unwrap();
        assert!(stored.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.0);
        assert!(hasher.verify("mật khẩu đủ dài".into(), Some(stored.clone())).await.unwrap());
        assert!(!hasher.verify("sai mật khẩu".into(), Some(stored)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn stored_hash_debug_hides_the_hash() {
        assert_eq!(format!("{:?}", StoredHash("$argon2id$secret".into())), "StoredHash(***)");
    }
}
