//! Participation's persistence, by concern: the rosters and the decisions on candidate matches
//! (`rosters`), the matching computed from scratch (`matching`), the live reports read from the
//! counters (`reports`), the figures frozen at a round's close (`snapshots`), collective prizes
//! (`collective`) and the year's report (`annual`). The services above decide what to read and
//! when to write, inside their transactions; these modules only speak SQL and return typed rows.

pub mod annual;
pub mod collective;
pub mod matching;
pub mod reports;
pub mod rosters;
pub mod snapshots;
pub mod unrostered;

use std::collections::BTreeSet;

/// `AND <column> IN (…)` for a set of ids, or nothing for "all". The ids are integers from
/// the database, so writing them into the SQL is safe, and it lets a unit manager's query touch
/// only their subtree's rows instead of the city's.
pub fn in_clause(column: &str, ids: Option<&BTreeSet<i64>>) -> String {
    match ids {
        None => String::new(),
        Some(ids) if ids.is_empty() => " AND 1 = 0".into(),
        Some(ids) => format!(" AND {column} IN ({})", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
    }
}
