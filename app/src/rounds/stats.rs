//! Thống kê đợt thi: classical test statistics of a round's submitted entries.
//!
//! Facility index: the share of entries that got a question fully right. Discrimination index:
//! the facility among the top 27% of entries (by total score) minus the facility among the
//! bottom 27% — Kelley's groups, the usual choice for item analysis. It needs at least one
//! entry in each group, so it is absent for tiny rounds.

use super::model::{QuestionStat, RoundStats};
use super::scoring::FULL_CREDIT;
use std::collections::BTreeMap;

pub struct EntryFacts {
    pub score: i64,
    pub max_score: i64,
    pub time_taken_ms: i64,
    /// (question id, points) for each question of the entry.
    pub items: Vec<(i64, i64)>,
}

pub fn compute(round_id: i64, participants: i64, open_attempts: i64, entries: &[EntryFacts], texts: &BTreeMap<i64, String>) -> RoundStats {
    let n = entries.len();
    let max_questions = entries.iter().map(|e| e.max_score / FULL_CREDIT).max().unwrap_or(0).max(0) as usize;
    let mut distribution = vec![0i64; max_questions + 1];
    for e in entries {
        let whole = (e.score / FULL_CREDIT).clamp(0, max_questions as i64) as usize;
        distribution[whole] += 1;
    }
    let mean = |f: &dyn Fn(&EntryFacts) -> f64| if n == 0 { None } else { Some(entries.iter().map(f).sum::<f64>() / n as f64) };

    // Entries ordered by score, to form the upper and lower groups.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| std::cmp::Reverse(entries[*i].score));
    let group = ((n as f64) * 0.27).round() as usize;
    let (upper, lower): (Vec<usize>, Vec<usize>) = if group >= 1 && n >= 2 * group {
        (order[..group].to_vec(), order[n - group..].to_vec())
    } else {
        (vec![], vec![])
    };

    // question id → (answered, right)
    let mut per_question: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for e in entries {
        for (q, points) in &e.items {
            let slot = per_question.entry(*q).or_default();
            slot.0 += 1;
            slot.1 += (*points >= FULL_CREDIT) as i64;
        }
    }
    let facility_in = |group: &[usize], q: i64| -> Option<f64> {
        let answered: Vec<bool> = group.iter().filter_map(|i| entries[*i].items.iter().find(|(id, _)| *id == q).map(|(_, p)| *p >= FULL_CREDIT)).collect();
        if answered.is_empty() { None } else { Some(answered.iter().filter(|r| **r).count() as f64 / answered.len() as f64) }
    };
    let questions = per_question
        .iter()
        .map(|(q, (answered, right))| QuestionStat {
            question_id: *q,
            text: texts.get(q).cloned().unwrap_or_default(),
            answered: *answered,
            facility: *right as f64 / (*answered).max(1) as f64,
            discrimination: match (facility_in(&upper, *q), facility_in(&lower, *q)) {
                (Some(u), Some(l)) => Some(u - l),
                _ => None,
            },
        })
        .collect();

    RoundStats {
        round_id,
        entries: n as i64,
        participants,
        open_attempts,
        score_distribution: distribution,
        mean_score: mean(&|e| e.score as f64 / FULL_CREDIT as f64),
        mean_time_ms: mean(&|e| e.time_taken_ms as f64),
        perfect_share: mean(&|e| (e.score >= e.max_score && e.max_score > 0) as i64 as f64),
        questions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(points: &[i64], time: i64) -> EntryFacts {
        EntryFacts {
            score: points.iter().sum(),
            max_score: points.len() as i64 * FULL_CREDIT,
            time_taken_ms: time,
            items: points.iter().enumerate().map(|(i, p)| (i as i64 + 1, *p)).collect(),
        }
    }

    #[test]
    fn facility_discrimination_and_distribution() {
        // Question 2 is answered right by the strong entries only (discriminates), question 3
        // mostly by the weak ones (negative discrimination).
        let entries = vec![
            entry(&[100, 100, 100], 1000),
            entry(&[100, 100, 0], 2000),
            entry(&[100, 100, 0], 3000),
            entry(&[100, 0, 0], 4000),
            entry(&[100, 0, 0], 5000),
            entry(&[0, 0, 100], 6000),
            entry(&[0, 0, 100], 7000),
        ];
        let stats = compute(1, 7, 0, &entries, &BTreeMap::new());
        assert_eq!(stats.entries, 7);
        assert_eq!(stats.score_distribution, vec![0, 4, 2, 1]);
        assert_eq!(stats.mean_time_ms, Some(4000.0));
        assert!((stats.perfect_share.unwrap() - 1.0 / 7.0).abs() < 1e-9);
        let q = |id: i64| stats.questions.iter().find(|s| s.question_id == id).unwrap();
        assert!((q(1).facility - 5.0 / 7.0).abs() < 1e-9);
        assert_eq!(q(2).discrimination, Some(1.0), "{:?}", q(2));
        assert_eq!(q(3).discrimination, Some(-0.5), "{:?}", q(3));
        assert!((q(3).facility - 3.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn empty_round() {
        let stats = compute(1, 0, 3, &[], &BTreeMap::new());
        assert_eq!(stats.entries, 0);
        assert_eq!(stats.mean_score, None);
        assert_eq!(stats.score_distribution, vec![0]);
        assert!(stats.questions.is_empty());
    }
}
