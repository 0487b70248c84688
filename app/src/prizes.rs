//! Cơ cấu giải: a prize plan ("Giải Nhất | 1" per line) and how its tiers go down a ranking.
//! The same rule serves the contest rounds, the collective prizes and the press award: tiers
//! in order, each to its count of places, and a tie is never split.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrizeTier {
    /// "Giải Nhất", "Giải Khuyến khích"…
    pub name: String,
    pub count: i64,
}

/// A plan as typed, one tier per line: `Giải Nhất | 1`. `None` when a line is malformed.
pub fn parse_plan(text: &str) -> Option<Vec<PrizeTier>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, count) = line.rsplit_once('|')?;
            Some(PrizeTier { name: name.trim().to_string(), count: count.trim().parse().ok()? })
        })
        .collect()
}

/// A plan as the form shows it, one tier per line.
pub fn plan_text(plan: &[PrizeTier]) -> String {
    plan.iter().map(|t| format!("{} | {}", t.name, t.count)).collect::<Vec<_>>().join("\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(spec: &[(&str, i64)]) -> Vec<PrizeTier> {
        spec.iter().map(|(n, c)| PrizeTier { name: n.to_string(), count: *c }).collect()
    }

    #[test]
    fn tiers_go_down_the_places_and_ties_are_never_split() {
        let tiers = plan(&[("Nhất", 1), ("Nhì", 2), ("Ba", 3)]);
        // (places in ranking order, expected prizes, tiers with a tie at their cut-off)
        let cases: Vec<(Vec<i64>, Vec<Option<&str>>, Vec<&str>)> = vec![
            // Fewer entries than prizes: everyone gets one, in order.
            (vec![1, 2], vec![Some("Nhất"), Some("Nhì")], vec![]),
            // Exactly the plan, then no prize.
            (vec![1, 2, 3, 4, 5, 6, 7], vec![Some("Nhất"), Some("Nhì"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec![]),
            // A tie across the first cut-off: both get Nhất, Nhì shrinks to one.
            (vec![1, 1, 3, 4, 5, 6, 7], vec![Some("Nhất"), Some("Nhất"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec!["Nhất"]),
            // A tie across the last cut-off: all tied entries get Ba.
            (vec![1, 2, 3, 4, 5, 6, 6, 8], vec![Some("Nhất"), Some("Nhì"), Some("Nhì"), Some("Ba"), Some("Ba"), Some("Ba"), Some("Ba"), None], vec!["Ba"]),
            // No entries.
            (vec![], vec![], vec![]),
        ];
        for (places, want, want_ties) in cases {
            let (got, ties) = allocate_places(&places, &tiers);
            let got: Vec<Option<&str>> = got.iter().map(|p| p.as_deref()).collect();
            assert_eq!(got, want, "{places:?}");
            assert_eq!(ties, want_ties, "{places:?}");
        }
    }

    #[test]
    fn plans_are_typed_one_tier_per_line() {
        let typed = "Giải Nhất | 1\n\n Giải Khuyến khích|5 ";
        let parsed = parse_plan(typed).unwrap();
        assert_eq!(parsed, plan(&[("Giải Nhất", 1), ("Giải Khuyến khích", 5)]));
        assert_eq!(plan_text(&parsed), "Giải Nhất | 1\nGiải Khuyến khích | 5");
        assert_eq!(parse_plan("Giải Nhất"), None);
        assert_eq!(parse_plan("Giải Nhất | một"), None);
        assert_eq!(parse_plan(""), Some(vec![]));
    }
}
