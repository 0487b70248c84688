//! Where the current request came from: the hash of its `hp_device` cookie's token and its
//! client address. The server's middleware (`server::web::device_cookie`) sets the cookie on a
//! first visit and runs the request inside [`scope`]; the services read [`current`] when they
//! record a sign-in, a registration, a start or a submission. Work of the server's own (the
//! sweeper submitting overdue attempts) runs outside any request and records nothing.

use super::repo;
use super::signals::EventKind;
use crate::infra::db::WriteTx;

/// The device (hash of the token, never the token) and address of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub device_hash: String,
    pub client_ip: String,
}

tokio::task_local! {
    static ORIGIN: Origin;
}

/// Runs `work` (the rest of a request) with `origin` as its origin.
pub async fn scope<F: std::future::Future>(origin: Origin, work: F) -> F::Output {
    ORIGIN.scope(origin, work).await
}

/// The origin of the request being handled, if any.
pub fn current() -> Option<Origin> {
    ORIGIN.try_with(Clone::clone).ok()
}

/// What happened, for whom, in which round and attempt.
#[derive(Debug, Clone, Copy)]
pub struct Happened {
    pub kind: EventKind,
    pub user_id: i64,
    pub round_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub at_ms: i64,
}

/// Records `what` from `origin` in the caller's write transaction (one insert: a start or a
/// submission must not get slower).
pub async fn record(tx: &mut WriteTx, origin: Option<&Origin>, what: Happened) -> Result<(), sqlx::Error> {
    match origin {
        Some(o) => repo::insert_event(tx, o, &what).await,
        None => Ok(()),
    }
}
