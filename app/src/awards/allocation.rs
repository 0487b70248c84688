//! Phân bổ giải: the proposal that follows the plan down the final ranking, and the council's
//! decisions on top of it. Pure functions; `results` loads and stores around them.

use super::judging::Placed;
use crate::prizes::PrizeTier;
use crate::prizes::allocate_places;

/// The planned prize of each entry (same order as `placed`) and the tiers whose cut-off falls
/// inside a tie. Tied entries are never split: all get the higher prize and the tiers below
/// shrink, as in the contest rounds. Unplaced entries (no score) get nothing.
pub fn propose(placed: &[Placed], tiers: &[PrizeTier]) -> (Vec<Option<String>>, Vec<String>) {
    let places: Vec<i64> = placed.iter().map_while(|p| p.rank).collect();
    let (mut prizes, ties) = allocate_places(&places, tiers);
    prizes.resize(placed.len(), None);
    (prizes, ties)
}

/// A council decision to put one entry in a tier (`None`: no prize), with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub entry_id: i64,
    pub tier: Option<String>,
    pub reason: String,
}

/// The decided prize of each entry and, where the council moved it, the reason. Moves apply in
/// the order they were made, so a later decision on the same entry replaces an earlier one.
pub fn decide(entries: &[i64], proposed: &[Option<String>], moves: &[Move]) -> Vec<(Option<String>, Option<String>)> {
    entries
        .iter()
        .zip(proposed)
        .map(|(id, planned)| match moves.iter().rev().find(|m| m.entry_id == *id) {
            Some(m) => (m.tier.clone(), Some(m.reason.clone())),
            None => (planned.clone(), None),
        })
        .collect()
}

/// The entries of every tied block that straddles a tier's cut-off, in ranking order: the ones
/// the council must place (or whose shared higher prize it must accept).
pub fn tied_at_cutoff(placed: &[Placed], tiers: &[PrizeTier]) -> Vec<i64> {
    let places: Vec<i64> = placed.iter().map_while(|p| p.rank).collect();
    let total: i64 = tiers.iter().map(|t| t.count.max(0)).sum();
    let (mut given, mut quota_end, mut i) = (0i64, 0i64, 0usize);
    let mut out = vec![];
    for tier in tiers {
        quota_end += tier.count.max(0);
        while given < quota_end && i < places.len() && given < total {
            let end = places[i..].iter().position(|p| *p != places[i]).map(|n| i + n).unwrap_or(places.len());
            if given + (end - i) as i64 > quota_end {
                out.extend(placed[i..end].iter().map(|p| p.entry_id));
            }
            given += (end - i) as i64;
            i = end;
        }
    }
    out
}

/// How many entries each tier of `counts` holds in `decided`, in the tiers' order.
pub fn tier_counts(counts: &[PrizeTier], decided: &[Option<String>]) -> Vec<PrizeTier> {
    counts.iter().map(|t| PrizeTier { name: t.name.clone(), count: decided.iter().flatten().filter(|p| **p == t.name).count() as i64 }).collect()
}

/// Whether the decided prizes keep to the counts in force: no tier gives more prizes than it
/// has (fewer is fine: there may be too few entries). A tie at a cut-off breaks this until the
/// council places the tied entries or changes the counts.
pub fn within_counts(counts: &[PrizeTier], resulting: &[PrizeTier]) -> bool {
    counts.iter().zip(resulting).all(|(planned, got)| got.count <= planned.count.max(0))
}

/// Whether `tier` names a tier of `counts` (an empty name means "no prize" and is valid too).
pub fn is_tier(counts: &[PrizeTier], tier: &str) -> bool {
    tier.is_empty() || counts.iter().any(|t| t.name == tier)
}

#[cfg(test)]
mod tests {
    use super::super::judging::rank;
    use super::*;

    fn plan(spec: &[(&str, i64)]) -> Vec<PrizeTier> {
        spec.iter().map(|(n, c)| PrizeTier { name: n.to_string(), count: *c }).collect()
    }

    fn standard() -> Vec<PrizeTier> {
        plan(&[("A", 2), ("B", 3), ("C", 4), ("KK", 10)])
    }

    /// Entry ids 1..=n scoring 100, 99, 98… (all distinct).
    fn distinct(n: i64) -> Vec<Placed> {
        rank(&(1..=n).map(|i| (i, Some(10_000 - i * 100))).collect::<Vec<_>>())
    }

    fn counts(prizes: &[Option<String>]) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = vec![];
        for p in prizes.iter().flatten() {
            match out.iter_mut().find(|(n, _)| n == p) {
                Some(e) => e.1 += 1,
                None => out.push((p.clone(), 1)),
            }
        }
        out
    }

    #[test]
    fn the_plan_goes_down_the_ranking() {
        // (entries, plan, expected counts per tier, ties at cut-off)
        let cases: Vec<(Vec<Placed>, Vec<PrizeTier>, Vec<(&str, usize)>, Vec<&str>)> = vec![
            (distinct(25), standard(), vec![("A", 2), ("B", 3), ("C", 4), ("KK", 10)], vec![]),
            // Fewer entries than prizes: the lower tiers stay partly empty.
            (distinct(6), standard(), vec![("A", 2), ("B", 3), ("C", 1)], vec![]),
            // The council's 3 A and 2 B instead of 2 A and 3 B, as in a recent edition.
            (distinct(25), plan(&[("A", 3), ("B", 2), ("C", 4), ("KK", 10)]), vec![("A", 3), ("B", 2), ("C", 4), ("KK", 10)], vec![]),
            // A tie for 2nd across the A/B cut-off: both get A, B shrinks, A is flagged.
            (
                rank(&[(1, Some(9000)), (2, Some(8800)), (3, Some(8800)), (4, Some(8000)), (5, Some(7000)), (6, Some(6000)), (7, Some(5000))]),
                standard(),
                vec![("A", 3), ("B", 2), ("C", 2)],
                vec!["A"],
            ),
            // Unscored entries never get a prize.
            (rank(&[(1, Some(9000)), (2, None), (3, None)]), standard(), vec![("A", 1)], vec![]),
        ];
        for (n, (placed, tiers, want, ties)) in cases.into_iter().enumerate() {
            let (prizes, got_ties) = propose(&placed, &tiers);
            assert_eq!(prizes.len(), placed.len());
            let want: Vec<(String, usize)> = want.into_iter().map(|(t, c)| (t.to_string(), c)).collect();
            assert_eq!(counts(&prizes), want, "case {n}");
            assert_eq!(got_ties, ties.into_iter().map(String::from).collect::<Vec<_>>(), "case {n}");
        }
    }

    #[test]
    fn tied_entries_get_the_same_prize() {
        let placed = rank(&[(1, Some(9000)), (2, Some(8800)), (3, Some(8800))]);
        let (prizes, _) = propose(&placed, &plan(&[("A", 2), ("B", 1)]));
        assert_eq!(prizes, vec![Some("A".into()), Some("A".into()), Some("A".into())]);
    }

    #[test]
    fn council_moves_override_the_proposal() {
        let placed = distinct(5);
        let ids: Vec<i64> = placed.iter().map(|p| p.entry_id).collect();
        let (proposed, _) = propose(&placed, &plan(&[("A", 1), ("B", 2)]));
        assert_eq!(proposed, vec![Some("A".into()), Some("B".into()), Some("B".into()), None, None]);
        let mv = |entry_id: i64, tier: Option<&str>, reason: &str| Move { entry_id, tier: tier.map(String::from), reason: reason.into() };
        // (moves, expected decided prizes)
        let cases: Vec<(Vec<Move>, Vec<Option<&str>>)> = vec![
            (vec![], vec![Some("A"), Some("B"), Some("B"), None, None]),
            // Promote the 4th into B.
            (vec![mv(4, Some("B"), "Tác phẩm có tính phát hiện")], vec![Some("A"), Some("B"), Some("B"), Some("B"), None]),
            // Take the prize from the 3rd (e.g. found to copy another work).
            (vec![mv(3, None, "Vi phạm quy chế")], vec![Some("A"), Some("B"), None, None, None]),
            // A later decision on the same entry replaces the earlier one.
            (vec![mv(2, Some("A"), "lần 1"), mv(2, Some("B"), "lần 2")], vec![Some("A"), Some("B"), Some("B"), None, None]),
        ];
        for (n, (moves, want)) in cases.into_iter().enumerate() {
            let got = decide(&ids, &proposed, &moves);
            let prizes: Vec<Option<&str>> = got.iter().map(|(p, _)| p.as_deref()).collect();
            assert_eq!(prizes, want, "case {n}");
            for m in &moves {
                let i = ids.iter().position(|id| *id == m.entry_id).unwrap();
                assert_eq!(got[i].1.as_deref(), Some(moves.iter().rev().find(|x| x.entry_id == m.entry_id).unwrap().reason.as_str()));
            }
        }
    }

    #[test]
    fn the_entries_tied_at_a_cut_off_and_whether_the_counts_hold() {
        // (scores of entries 1.., plan, tied at a cut-off, resulting counts)
        let cases: Vec<(Vec<i64>, Vec<PrizeTier>, Vec<i64>, Vec<i64>)> = vec![
            (vec![9000, 8000, 7000], plan(&[("A", 1), ("B", 1)]), vec![], vec![1, 1]),
            // 3 A planned, the 3rd and 4th tie: both A, B shrinks (the council's 3 A + 2 B
            // that became 4 A + 1 B).
            (vec![9500, 9000, 8800, 8800, 8000, 7000], plan(&[("A", 3), ("B", 2)]), vec![3, 4], vec![4, 1]),
            // A tie inside a tier does not matter.
            (vec![9000, 9000, 8000], plan(&[("A", 2), ("B", 1)]), vec![], vec![2, 1]),
            // A tie at the last prize: both get it, one prize more than planned.
            (vec![9000, 8000, 8000], plan(&[("A", 1), ("B", 1)]), vec![2, 3], vec![1, 2]),
        ];
        for (n, (scores, tiers, tied, resulting)) in cases.into_iter().enumerate() {
            let placed = rank(&scores.iter().enumerate().map(|(i, s)| (i as i64 + 1, Some(*s))).collect::<Vec<_>>());
            assert_eq!(tied_at_cutoff(&placed, &tiers), tied, "case {n}");
            let (prizes, _) = propose(&placed, &tiers);
            let got = tier_counts(&tiers, &prizes);
            assert_eq!(got.iter().map(|t| t.count).collect::<Vec<_>>(), resulting, "case {n}");
            assert_eq!(within_counts(&tiers, &got), tied.is_empty(), "case {n}");
        }
        // The council moves one tied entry down: the counts hold again.
        let tiers = plan(&[("A", 3), ("B", 2)]);
        let decided = vec![Some("A".into()), Some("A".into()), Some("A".into()), Some("B".into()), Some("B".into()), None];
        assert!(within_counts(&tiers, &tier_counts(&tiers, &decided)));
        // Fewer entries than prizes is not a breach.
        assert!(within_counts(&tiers, &tier_counts(&tiers, &[Some("A".into())])));
    }

    #[test]
    fn tiers_are_checked_by_name() {
        assert!(is_tier(&standard(), "B"));
        assert!(is_tier(&standard(), ""));
        assert!(!is_tier(&standard(), "D"));
    }
}
