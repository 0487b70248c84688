//! Cơ cấu giải: prize tiers handed out down the ranking, and why each place is where it is.

use super::model::{Counting, PrizeTier};
use crate::quiz::ranking::{Placed, TieBreak};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

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
    allocate_places(&placed.iter().map(|p| p.place as i64).collect::<Vec<_>>(), tiers)
}

/// The prize of each entry given its place (places in ranking order, equal places tied).
///
/// Tiers are given in order, each to its `count` entries. Entries tied on every criterion are
/// never split: if a tie straddles a cut-off, every tied entry gets the higher prize, the
/// following tiers shrink by as many, and the tier is reported so the council can decide.
/// Used by the contest rounds and by the press awards alike.
pub fn allocate_places(places: &[i64], tiers: &[PrizeTier]) -> (Vec<Option<String>>, Vec<String>) {
    let mut prizes = vec![None; places.len()];
    let mut ties_at_cutoff = Vec::new();
    let total: i64 = tiers.iter().map(|t| t.count.max(0)).sum();
    let mut given: i64 = 0; // entries that have received any prize so far
    let mut quota_end: i64 = 0; // cumulative count through the current tier
    let mut i = 0usize;
    for tier in tiers {
        quota_end += tier.count.max(0);
        while given < quota_end && i < places.len() && given < total {
            // The block of entries sharing this place.
            let place = places[i];
            let block_end = places[i..].iter().position(|p| *p != place).map(|n| i + n).unwrap_or(places.len());
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
            let placed = rank(kept.iter().map(|(u, _, s)| e(*u, *s)).collect(), 10, &DEFAULT_TIE_BREAKS);
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
