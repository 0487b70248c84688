//! Thi hộ: evidence that someone took a round for someone else, for an organizer to judge.
//! Nothing here decides anything: flagged attempts are listed with their evidence in words
//! and a risk level; the organizer dismisses a flag with a note or disqualifies the entry
//! through the round's own audited flow (`rounds::results::disqualify`).
//!
//! - `model`: the flags, their evidence and risk levels, as the page and the API show them;
//! - `signals`: the pure rules that turn loaded rows into flags (table-tested);
//! - `origin`: the device and address of the current request, recorded with sign-ins,
//!   registrations, attempt starts and submissions;
//! - `repo`, `service`: the SQL, and computing a round's flags; `retention`: deleting the
//!   records a configured number of days after the contest.
pub mod model;
pub mod page;
pub mod server_fns;
pub mod signals;

#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
pub mod origin;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;
