//! Xếp hạng: how the winners of a round are decided.
//!
//! The contest rules rank by score (high first), then by the prediction question: the distance
//! |prediction − true value| (small first), where the true value is computed when the round
//! closes and frozen; then by time taken (short first); then by submission time (early first).
//! Provinces differ, so the tie-breaks after the score are a list the organizer can reorder or
//! shorten. Entries equal on every criterion share a place (1, 2, 2, 4), and are shown as tied.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// |prediction − frozen true value|, smaller first; entries without a prediction go last.
    PredictionGap,
    /// Milliseconds from start to submission, shorter first.
    TimeTaken,
    /// Submission time, earlier first.
    SubmittedAt,
}

pub const DEFAULT_TIE_BREAKS: [TieBreak; 3] = [TieBreak::PredictionGap, TieBreak::TimeTaken, TieBreak::SubmittedAt];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    /// Points, in hundredths so partial credit adds up exactly.
    pub score: i64,
    pub prediction: Option<i64>,
    pub time_taken_ms: i64,
    /// Unix milliseconds.
    pub submitted_at_ms: i64,
}

/// An entry in its place, with the figures that put it there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub entry: Entry,
    pub place: usize,
    pub prediction_gap: Option<i64>,
    /// True when another entry is equal on every criterion.
    pub tied: bool,
}

fn gap(entry: &Entry, truth: i64) -> Option<i64> {
    entry.prediction.map(|p| (p - truth).abs())
}

fn compare(a: &Entry, b: &Entry, truth: i64, tie_breaks: &[TieBreak]) -> Ordering {
    let mut order = b.score.cmp(&a.score);
    for tb in tie_breaks {
        if order != Ordering::Equal {
            break;
        }
        order = match tb {
            // None sorts after every Some: a missing prediction is the worst guess.
            TieBreak::PredictionGap => match (gap(a, truth), gap(b, truth)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            TieBreak::TimeTaken => a.time_taken_ms.cmp(&b.time_taken_ms),
            TieBreak::SubmittedAt => a.submitted_at_ms.cmp(&b.submitted_at_ms),
        };
    }
    order
}

/// Ranks entries against the frozen true value of the prediction question.
pub fn rank(mut entries: Vec<Entry>, truth: i64, tie_breaks: &[TieBreak]) -> Vec<Placed> {
    entries.sort_by(|a, b| compare(a, b, truth, tie_breaks).then(a.id.cmp(&b.id)));
    let mut placed: Vec<Placed> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let same_as_previous = i > 0 && compare(&entries[i - 1], entry, truth, tie_breaks) == Ordering::Equal;
        let place = if same_as_previous { placed[i - 1].place } else { i + 1 };
        if same_as_previous {
            placed[i - 1].tied = true;
        }
        placed.push(Placed { entry: entry.clone(), place, prediction_gap: gap(entry, truth), tied: same_as_previous });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(id: i64, score: i64, prediction: Option<i64>, time: i64, at: i64) -> Entry {
        Entry { id, score, prediction, time_taken_ms: time, submitted_at_ms: at }
    }

    fn order(placed: &[Placed]) -> Vec<(i64, usize)> {
        placed.iter().map(|p| (p.entry.id, p.place)).collect()
    }

    #[test]
    fn each_tie_break_level_decides_in_turn() {
        let truth = 12_000;
        let entries = vec![
            e(1, 900, Some(12_500), 300, 5_000),  // same score as 2-5, gap 500
            e(2, 900, Some(11_900), 300, 9_000),  // gap 100, same time as 3, later
            e(3, 900, Some(12_100), 300, 1_000),  // gap 100, same time as 2, earlier
            e(4, 900, Some(12_100), 200, 8_000),  // gap 100, faster
            e(5, 900, None, 100, 100),            // no prediction: last among equals
            e(6, 1000, Some(50_000), 900, 99_000), // best score wins regardless
            e(7, 500, Some(12_000), 10, 10),
        ];
        let placed = rank(entries, truth, &DEFAULT_TIE_BREAKS);
        assert_eq!(order(&placed), vec![(6, 1), (4, 2), (3, 3), (2, 4), (1, 5), (5, 6), (7, 7)]);
        assert_eq!(placed[1].prediction_gap, Some(100));
        assert!(placed.iter().all(|p| !p.tied));
    }

    #[test]
    fn organizers_can_reorder_or_drop_criteria() {
        let truth = 100;
        let entries = vec![e(1, 10, Some(100), 500, 2), e(2, 10, Some(150), 100, 1)];
        // Default: the prediction decides.
        assert_eq!(order(&rank(entries.clone(), truth, &DEFAULT_TIE_BREAKS)), vec![(1, 1), (2, 2)]);
        // Earliest submission alone, as some provinces rule.
        assert_eq!(order(&rank(entries.clone(), truth, &[TieBreak::SubmittedAt])), vec![(2, 1), (1, 2)]);
        // Time before prediction.
        assert_eq!(order(&rank(entries, truth, &[TieBreak::TimeTaken, TieBreak::PredictionGap])), vec![(2, 1), (1, 2)]);
    }

    #[test]
    fn complete_ties_share_a_place_and_are_flagged() {
        let entries = vec![e(1, 10, Some(5), 60, 1), e(2, 10, Some(5), 60, 1), e(3, 9, None, 1, 1)];
        let placed = rank(entries, 5, &DEFAULT_TIE_BREAKS);
        assert_eq!(order(&placed), vec![(1, 1), (2, 1), (3, 3)]);
        assert!(placed[0].tied && placed[1].tied && !placed[2].tied);
        // With no tie-breaks at all, equal scores tie.
        let placed = rank(vec![e(1, 10, Some(1), 1, 1), e(2, 10, Some(9), 9, 9)], 5, &[]);
        assert_eq!(order(&placed), vec![(1, 1), (2, 1)]);
    }
}
