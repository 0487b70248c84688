//! The award's persistence: every SQL statement of editions, entries and their authors and
//! files, panels, assignments with their scores, and the council's decisions, with rows decoded
//! into typed structs (states as their enums, stored JSON through `codes::stored_json`). The
//! services beside it hold the rules and the transactions; nothing here decides anything an
//! entrant, a judge or an organizer would recognise.
//!
//! Reads take the pool (`&Db`); writes, and reads that must see a transaction's own writes or
//! its locks, take the transaction (`&mut WriteTx`).

pub mod decisions;
pub mod editions;
pub mod entries;
pub mod files;
pub mod panels;
pub mod people;
pub mod scores;

/// `IN (…)` over ids: integers only, so they can be written into the SQL.
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() { "NULL".into() } else { ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",") }
}
