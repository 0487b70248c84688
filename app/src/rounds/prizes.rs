//! Cơ cấu giải: prize tiers handed out down the ranking, and why each place is where it is.

use super::model::PrizeTier;
use crate::quiz::ranking::{Placed, TieBreak};
use std::cmp::Ordering;

/// The prize of each placed entry (same order as `placed`), and the tiers whose cut-off falls
/// inside a complete tie.
///
/// Tiers are given in order, each to its `count` entries. Entries tied on every criterion are
/// never split: if a tie straddles a cut-off, every tied entry gets the higher prize, the
/// following tiers shrink by as many, and the tier is reported so the council can decide.
pub fn allocate(placed: &[Placed], tiers: &[PrizeTier]) -> (Vec<Option<String>>, Vec<String>) {
    let mut prizes = vec![None; placed.len()];
    let mut ties_at_cutoff = Vec::new();
    let total: i64 = tiers.iter().map(|t| t.count.max(0)).sum();
    let mut given: i64 = 0; // entries that have received any prize so far
    let mut quota_end: i64 = 0; // cumulative count through the current tier
    let mut i = 0usize;
    for tier in tiers {
        quota_end += tier.count.max(0);
        while (given as i64) < quota_end && i < placed.len() && given < total {
            // The block of entries sharing this place.
            let place = placed[i].place;
            let block_end = placed[i..].iter().position(|p| p.place != place).map(|n| i + n).unwrap_or(placed.len());
            let block = (block_end - i) as i64;
            if given + block > quota_end && !ties_at_cutoff.contains(&tier.name) {
                ties_at_cutoff.push(tier.name.clone());
            }
            for prize in prizes.iter_mut().take(block_end).skip(i) {
                *prize = Some(tier.name.clone());
            }
            given += block;
            i = block_end;
        }
    }
    (prizes, ties_at_cutoff)
}

/// What separates each entry from the next one down: the first criterion that differs.
pub fn decided_by(placed: &[Placed], tie_breaks: &[TieBreak]) -> Vec<&'static str> {
    (0..placed.len())
        .map(|i| {
            let Some(next) = placed.get(i + 1) else { return if placed[i].tied { "tie" } else { "score" } };
            let (a, b) = (&placed[i], next);
            if a.entry.score != b.entry.score {
                return "score";
            }
            for tb in tie_breaks {
                let differs = match tb {
                    TieBreak::PredictionGap => a.prediction_gap.cmp(&b.prediction_gap) != Ordering::Equal,
                    TieBreak::TimeTaken => a.entry.time_taken_ms != b.entry.time_taken_ms,
                    TieBreak::SubmittedAt => a.entry.submitted_at_ms != b.entry.submitted_at_ms,
                };
                if differs {
                    return match tb {
                        TieBreak::PredictionGap => "prediction_gap",
                        TieBreak::TimeTaken => "time_taken",
                        TieBreak::SubmittedAt => "submitted_at",
                    };
                }
            }
            "tie"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::ranking::{DEFAULT_TIE_BREAKS, Entry, rank};

    fn e(id: i64, score: i64) -> Entry {
        Entry { id, score, prediction: Some(10), time_taken_ms: 60, submitted_at_ms: id }
    }

    fn tiers(spec: &[(&str, i64)]) -> Vec<PrizeTier> {
        spec.iter().map(|(n, c)| PrizeTier { name: n.to_string(), count: *c }).collect()
    }

    #[test]
    fn prize_cut_offs() {
        let plan = tiers(&[("Nhất", 1), ("Nhì", 2), ("Ba", 3)]);
        // (scores, expected prizes, tiers with a tie at the cut-off); equal ids break no ties
        // here because submitted_at = id, so use SubmittedAt-less tie-breaks for real ties.
        let cases: Vec<(Vec<i64>, Vec<Option<&str>>, Vec<&str>)> = vec![
            // Fewer entries than prizes: everyone gets one, in order.
            (vec![900, 800], vec![Some("Nhất"), Some("Nhì")], vec![]),
            // Exactly the plan, then no prize.
            (vec![9, 8, 7, 6, 5, 4, 3], vec![Some("Nhất"), Some("Nhì"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec![]),
            // A tie across the first cut-off: both get Nhất, Nhì shrinks to one.
            (vec![9, 9, 8, 7, 6, 5, 4], vec![Some("Nhất"), Some("Nhất"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec!["Nhất"]),
            // A tie across the last cut-off: all tied entries get Ba.
            (vec![9, 8, 7, 6, 5, 4, 4, 3], vec![Some("Nhất"), Some("Nhì"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec!["Ba"]),
        ];
        for (scores, want, want_ties) in cases {
            let entries: Vec<Entry> = scores.iter().enumerate().map(|(i, s)| e(i as i64 + 1, *s)).collect();
            let placed = rank(entries, 10, &[TieBreak::PredictionGap, TieBreak::TimeTaken]);
            let (got, ties) = allocate(&placed, &plan);
            let got: Vec<Option<&str>> = got.iter().map(|p| p.as_deref()).collect();
            assert_eq!(got, want, "{scores:?}");
            assert_eq!(ties, want_ties, "{scores:?}");
        }
    }

    #[test]
    fn each_place_says_what_decided_it() {
        let entries = vec![
            Entry { id: 1, score: 900, prediction: Some(100), time_taken_ms: 50, submitted_at_ms: 1 },
            Entry { id: 2, score: 800, prediction: Some(100), time_taken_ms: 50, submitted_at_ms: 1 },
            Entry { id: 3, score: 800, prediction: Some(130), time_taken_ms: 50, submitted_at_ms: 1 },
            Entry { id: 4, score: 800, prediction: Some(130), time_taken_ms: 70, submitted_at_ms: 1 },
            Entry { id: 5, score: 800, prediction: Some(130), time_taken_ms: 70, submitted_at_ms: 2 },
            Entry { id: 6, score: 800, prediction: Some(130), time_taken_ms: 70, submitted_at_ms: 2 },
        ];
        let placed = rank(entries, 100, &DEFAULT_TIE_BREAKS);
        assert_eq!(decided_by(&placed, &DEFAULT_TIE_BREAKS), vec!["score", "prediction_gap", "time_taken", "submitted_at", "tie", "tie"]);
    }
}
