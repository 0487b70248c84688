//! Results: stage rankings, the council's allocation of prizes, and the published winners.

use super::{Author, Competition, Entry, Genre, Panel, Recusal, Stage};
use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageRow {
    pub entry_id: i64,
    pub title: String,
    pub genre: Genre,
    pub unit_name: Option<String>,
    pub judge_count: i64,
    /// The plain mean of the judges' totals (points, two decimals).
    pub mean_score: Option<f64>,
    /// The score that ranks: mean or trimmed mean, of normalised totals if configured.
    pub final_score: Option<f64>,
    /// Equal final scores share a place.
    pub rank: Option<i64>,
    pub tied: bool,
    pub finalist: bool,
}

/// A prize pool: `all`, or a genre code when the plan applies per genre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolResults {
    pub pool: String,
    pub rows: Vec<StageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageResults {
    pub stage: Stage,
    /// False while any panel of the stage is open: scores are confidential until then.
    pub complete: bool,
    pub pools: Vec<PoolResults>,
}

/// One entry in the allocation: what the plan proposes and what the council decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AllocationRow {
    pub entry_id: i64,
    pub title: String,
    pub genre: Genre,
    pub authors: Vec<Author>,
    pub unit_name: Option<String>,
    pub final_score: Option<f64>,
    pub rank: Option<i64>,
    pub tied: bool,
    pub proposed: Option<String>,
    pub decided: Option<String>,
    /// The council's reason when it moved this entry.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolAllocation {
    pub pool: String,
    pub planned: Vec<PrizeTier>,
    /// The tier counts in force (the plan, or the council's change).
    pub counts: Vec<PrizeTier>,
    pub counts_reason: Option<String>,
    /// Tiers whose cut-off falls inside a tie: every tied entry got the higher prize.
    pub ties_at_cutoff: Vec<String>,
    /// The tie at a cut-off and what it does to the counts, while there is one.
    pub tie: Option<TieAtCutoff>,
    pub rows: Vec<AllocationRow>,
}

/// Đồng điểm tại ngưỡng giải: tied entries share the higher prize, so a tier gives more prizes
/// than the counts in force (the council's 3 A + 2 B becomes 4 A + 1 B). The council resolves
/// it (places a tied entry, or changes the counts) or accepts it explicitly; until then the
/// results cannot be published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TieAtCutoff {
    /// The tiers whose cut-off falls inside the tie.
    pub tiers: Vec<String>,
    /// The tied entries at those cut-offs, in ranking order.
    pub entry_ids: Vec<i64>,
    /// The counts in force (the plan or the council's change)…
    pub planned: Vec<PrizeTier>,
    /// …and how many prizes each tier gives as decided now.
    pub resulting: Vec<PrizeTier>,
    /// True once no tier gives more prizes than planned (the council placed the tied entries
    /// or changed the counts).
    pub resolved: bool,
    /// The council's reason when it accepted the resulting counts as they are.
    pub accepted: Option<String>,
}

impl TieAtCutoff {
    /// Still waiting for the council: neither resolved nor accepted.
    pub fn open(&self) -> bool {
        !self.resolved && self.accepted.is_none()
    }
}

impl Allocation {
    /// The pools whose tie at a cut-off the council has not yet resolved or accepted.
    pub fn open_ties(&self) -> Vec<&str> {
        self.pools.iter().filter(|p| p.tie.as_ref().is_some_and(TieAtCutoff::open)).map(|p| p.pool.as_str()).collect()
    }
}

/// What a council decision changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// A pool's tier counts.
    TierCounts,
    /// One entry to a tier (or to no prize).
    Move,
    /// The council accepts the counts a tie at a cut-off produced, as they are.
    AcceptTie,
}
crate::stored_code!(DecisionKind { TierCounts => "tier_counts", Move => "move", AcceptTie => "accept_tie" });

/// A council decision, for the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: i64,
    pub kind: DecisionKind,
    pub pool: String,
    pub entry_id: Option<i64>,
    pub tier: Option<String>,
    pub counts: Option<Vec<PrizeTier>>,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub competition_id: i64,
    pub pools: Vec<PoolAllocation>,
    pub decisions: Vec<Decision>,
}

/// A council decision as submitted: change a pool's tier counts, or move an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    TierCounts { pool: String, counts: Vec<PrizeTier>, reason: String },
    /// `tier`: a tier name of the pool, or empty for no prize.
    Move { entry_id: i64, tier: String, reason: String },
    /// Accept a pool's tie at a cut-off and the counts it gives, with the reason (for the
    /// minutes). Only while the pool has an open tie.
    AcceptTie { pool: String, reason: String },
}

/// A published winner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Winner {
    pub entry_id: i64,
    pub prize: String,
    pub title: String,
    pub genre: Genre,
    pub authors: Vec<Author>,
    pub unit_name: Option<String>,
    pub outlet: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedResults {
    pub competition_id: i64,
    pub title: String,
    pub edition: i64,
    pub published_at: i64,
    pub winners: Vec<Winner>,
}

/// The organizer's overview of a competition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompetitionOverview {
    pub competition: Competition,
    pub entries: Vec<Entry>,
    pub panels: Vec<Panel>,
    pub recusals: Vec<Recusal>,
}

/// What an automatic assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssignmentReport {
    pub created: i64,
    /// Entries still short of the planned number of judges (too few judges without a conflict).
    pub short: Vec<i64>,
}
