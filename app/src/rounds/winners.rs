//! Xếp hạng và giải: how the winners of a round are decided, in one place.
//!
//! 1. **Which attempt counts** for each participant is the round's rule (best, first or last);
//!    a disqualified participant leaves the ranking with every attempt.
//! 2. **The ranking** is by score (high first), then by the contest's tie-breaks in the
//!    organizer's order. The default is the prediction question: the distance |prediction −
//!    true value| (small first), where the true value is computed when the round closes and
//!    frozen; then time taken (short first); then submission time (early first). Provinces
//!    differ, so the tie-breaks can be reordered or dropped. Entries equal on every criterion
//!    share a place (1, 2, 2, 4) and are shown as tied.
//! 3. **Prizes** go down the ranking tier by tier ([`crate::prizes::allocate_places`]): a tie
//!    across a cut-off gives every tied entry the higher prize, shrinks the next tier, and is
//!    flagged for the council.
//! 4. **Each place says what decided it**: the first criterion that differs from the next
//!    entry down.
//!
//! Pure rules, tested by tables; `results` loads the attempts and stores nothing here.

use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Which of a participant's attempts ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    Best,
    First,
    Last,
}
crate::stored_code!(Counting { Best => "best", First => "first", Last => "last" });

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
crate::stored_code!(TieBreak { PredictionGap => "prediction_gap", TimeTaken => "time_taken", SubmittedAt => "submitted_at" });

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

/// The attempt that ranks for each participant, by the round's counting rule, leaving out the
/// disqualified. `key` gives (participant, attempt number, score). Best keeps the highest
/// score, and the earlier attempt on equal scores.
pub fn counting_attempts<T>(attempts: Vec<T>, key: impl Fn(&T) -> (i64, i64, i64), counting: Counting, disqualified: &BTreeSet<i64>) -> Vec<T> {
    let mut chosen: BTreeMap<i64, T> = BTreeMap::new();
    let mut sorted = attempts;
    sorted.sort_by_key(|a| {
        let (user, number, _) = key(a);
        (user, number)
    });
    for a in sorted {
        let (user, _, score) = key(&a);
        if disqualified.contains(&user) {
            continue;
        }
        let replace = match (chosen.get(&user), counting) {
            (None, _) => true,
            (Some(_), Counting::First) => false,
            (Some(_), Counting::Last) => true,
            (Some(prev), Counting::Best) => score > key(prev).2,
        };
        if replace {
            chosen.insert(user, a);
        }
    }
    chosen.into_values().collect()
}

/// The prize of each placed entry (same order as `placed`), and the tiers whose cut-off falls
/// inside a complete tie.
pub fn allocate(placed: &[Placed], tiers: &[PrizeTier]) -> (Vec<Option<String>>, Vec<String>) {
    crate::prizes::allocate_places(&placed.iter().map(|p| p.place as i64).collect::<Vec<_>>(), tiers)
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

    fn scored(id: i64, score: i64) -> Entry {
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
            let entries: Vec<Entry> = scores.iter().enumerate().map(|(i, s)| scored(i as i64 + 1, *s)).collect();
            let placed = rank(entries, 10, &[TieBreak::PredictionGap, TieBreak::TimeTaken]);
            let (got, ties) = allocate(&placed, &plan);
            let got: Vec<Option<&str>> = got.iter().map(|p| p.as_deref()).collect();
            assert_eq!(got, want, "{scores:?}");
            assert_eq!(ties, want_ties, "{scores:?}");
        }
    }

    #[test]
    fn counting_rules_and_disqualification() {
        // (user, attempt number, score)
        let attempts = vec![(1, 1, 500), (1, 2, 900), (1, 3, 700), (2, 1, 800), (2, 2, 800), (3, 1, 300)];
        let none = BTreeSet::new();
        let cases: Vec<(Counting, BTreeSet<i64>, Vec<(i64, i64, i64)>)> = vec![
            (Counting::Best, none.clone(), vec![(1, 2, 900), (2, 1, 800), (3, 1, 300)]),
            (Counting::First, none.clone(), vec![(1, 1, 500), (2, 1, 800), (3, 1, 300)]),
            (Counting::Last, none.clone(), vec![(1, 3, 700), (2, 2, 800), (3, 1, 300)]),
            // A disqualified participant leaves the ranking with every attempt.
            (Counting::Best, BTreeSet::from([1]), vec![(2, 1, 800), (3, 1, 300)]),
        ];
        for (counting, dq, want) in cases {
            let mut shuffled = attempts.clone();
            shuffled.reverse();
            assert_eq!(counting_attempts(shuffled, |a| *a, counting, &dq), want, "{counting:?}");
        }
        // Disqualification recomputes places and prizes for everyone below.
        let plan = tiers(&[("Nhất", 1), ("Nhì", 1)]);
        let ranked = |dq: &BTreeSet<i64>| {
            let kept = counting_attempts(attempts.clone(), |a| *a, Counting::Best, dq);
            let placed = rank(kept.iter().map(|(u, _, s)| scored(*u, *s)).collect(), 10, &DEFAULT_TIE_BREAKS);
            let (prizes, _) = allocate(&placed, &plan);
            placed.iter().zip(prizes).map(|(p, prize)| (p.entry.id, p.place, prize)).collect::<Vec<_>>()
        };
        assert_eq!(ranked(&none), vec![(1, 1, Some("Nhất".into())), (2, 2, Some("Nhì".into())), (3, 3, None)]);
        assert_eq!(ranked(&BTreeSet::from([1])), vec![(2, 1, Some("Nhất".into())), (3, 2, Some("Nhì".into()))]);
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
