//! Participation as the pages and the API see it.

use super::rates::{BlockRate, UnitRate};
use super::roster::RosterPlan;
use serde::{Deserialize, Serialize};

/// Units below this rate are highlighted (100% is the target; the city chases the laggards).
pub const LOW_RATE_THRESHOLD: f64 = 0.8;

/// Whether a roster entry is on its unit's current roster. A new upload replaces the roster;
/// the entries that leave stay, removed, for history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterEntryStatus {
    Active,
    Removed,
}

crate::stored_code!(RosterEntryStatus { Active => "active", Removed => "removed" });

/// A decision on a candidate match: the roster entry is (or is not) the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    Confirmed,
    Rejected,
}

crate::stored_code!(MatchDecision { Confirmed => "confirmed", Rejected => "rejected" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterImport {
    pub unit_id: i64,
    pub accepted: usize,
    pub plan: RosterPlan,
    pub applied: bool,
    /// Entries of the previous roster that this one replaced.
    pub replaced: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// YYYY-MM-DD in Vietnam time.
    pub day: String,
    pub entries: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ParticipationReport {
    pub round_id: i64,
    pub round_title: String,
    pub contest_title: String,
    /// True once the round has closed: figures and tree as they were then.
    pub frozen: bool,
    pub threshold: f64,
    pub eligible: i64,
    pub participated: i64,
    pub rate: Option<f64>,
    pub blocks: Vec<BlockRate>,
    pub units: Vec<UnitRate>,
    pub per_day: Vec<DayCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NonParticipant {
    pub roster_entry_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_name: String,
    pub email: Option<String>,
    /// Shown to the unit's manager and organizers (see `policy::reveal_missing_staff_contacts`).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub phone: Option<crate::accounts::personal::Phone>,
    /// Whether the person has an account at all (if not, they must register first).
    pub has_account: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct AccountRef {
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoubleMatch {
    pub roster_entry_id: i64,
    pub full_name: String,
    pub user_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatchAnomalies {
    /// Took part for the unit but are on none of its rosters.
    pub unmatched_participants: Vec<AccountRef>,
    pub roster_entries_with_two_accounts: Vec<DoubleMatch>,
    /// Same-name accounts in the unit, waiting for the unit manager's decision.
    pub candidates: Vec<Candidate>,
    /// The same CCCD, e-mail or phone as an account registered in a unit outside the roster's
    /// subtree: counted only once an organizer confirms it.
    #[serde(default)]
    pub cross_unit: Vec<Candidate>,
}

/// A same-name account in the same unit as a roster entry that matched no account by identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct Candidate {
    pub roster_entry_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: String,
    /// The account's e-mail, for the manager to recognise the person.
    pub email: String,
}

/// Participation over a whole contest (any of its rounds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContestParticipation {
    pub contest_id: i64,
    pub contest_title: String,
    pub eligible: i64,
    pub participated: i64,
    pub rate: Option<f64>,
    pub blocks: Vec<BlockRate>,
    pub units: Vec<UnitRate>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::serde_agrees;

    #[test]
    fn stored_codes_are_the_json_names() {
        assert!(serde_agrees::<RosterEntryStatus>());
        assert!(serde_agrees::<MatchDecision>());
        assert!(serde_agrees::<super::super::rates::Denominator>());
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MergedUnit {
    pub old_code: String,
    pub old_name: String,
    pub new_code: String,
    pub new_name: String,
    /// The year's entries by staff of the old unit, counted toward the new one.
    pub entries: i64,
}
