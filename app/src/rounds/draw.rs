//! Bốc câu hỏi: the server draws each attempt's questions and option order once, at start, and
//! stores them; every later view of the attempt reads what was stored.

use super::draw_rules::{PoolGroup, availability, feasible, rule_takes};
use super::model::DrawRule;
use crate::quiz::model::QuestionKind;
use rand::Rng;
use rand::seq::SliceRandom;


#[derive(Debug, Clone)]
pub struct PoolQuestion {
    pub id: i64,
    pub version: i64,
    pub topic: String,
    pub difficulty: String,
    pub kind: QuestionKind,
    pub option_count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub question_id: i64,
    pub version: i64,
    /// `option_order[shown] = stored index`.
    pub option_order: Vec<usize>,
}

/// The pool as groups of interchangeable questions (same topic and difficulty), and the group
/// of each question.
pub fn groups_of(pool: &[PoolQuestion]) -> (Vec<PoolGroup>, Vec<usize>) {
    let mut groups: Vec<PoolGroup> = Vec::new();
    let mut group_of = Vec::with_capacity(pool.len());
    for q in pool {
        let found = groups.iter().position(|g| crate::text::fold(&g.topic) == crate::text::fold(&q.topic) && g.difficulty == q.difficulty);
        let index = found.unwrap_or_else(|| {
            groups.push(PoolGroup { topic: q.topic.clone(), difficulty: q.difficulty.clone(), count: 0 });
            groups.len() - 1
        });
        groups[index].count += 1;
        group_of.push(index);
    }
    (groups, group_of)
}

/// Rules that cannot have their count from the pool, with what they ask and what they can get
/// after the rules before them: `(rule index, count, available)`.
pub fn shortfalls(pool: &[PoolQuestion], rules: &[DrawRule]) -> Vec<(usize, i64, i64)> {
    let (groups, _) = groups_of(pool);
    availability(&groups, rules).into_iter().enumerate().filter(|(i, a)| a.short(rules[*i].count)).map(|(i, a)| (i, rules[i].count, a.available)).collect()
}

/// Draws questions by the rules, in order, each question at random among those that leave the
/// remaining rules satisfiable (so an early "any topic" rule never takes what a later, narrower
/// rule needs). `None` when the pool cannot satisfy them.
pub fn draw(pool: &[PoolQuestion], rules: &[DrawRule], shuffle_questions: bool, shuffle_options: bool, rng: &mut impl Rng) -> Option<Vec<Drawn>> {
    let (mut groups, group_of) = groups_of(pool);
    if !feasible(&groups, rules) {
        return None;
    }
    // Rules that share no group cannot take from each other: then any pick is a safe one.
    let overlapping = groups.iter().any(|g| rules.iter().filter(|r| rule_takes(r, &g.topic, &g.difficulty)).count() > 1);
    let mut remaining: Vec<DrawRule> = rules.to_vec();
    let mut taken = vec![false; pool.len()];
    let mut picked: Vec<usize> = Vec::new();
    for r in 0..rules.len() {
        let mut block = Vec::new();
        while remaining[r].count > 0 {
            let mut candidates: Vec<usize> = (0..pool.len()).filter(|i| !taken[*i] && rule_takes(&rules[r], &pool[*i].topic, &pool[*i].difficulty)).collect();
            candidates.shuffle(rng);
            // The first candidate whose group can spare a question; groups that cannot are
            // checked once per pick.
            let mut refused = vec![false; groups.len()];
            let mut chosen = None;
            for i in candidates {
                let g = group_of[i];
                if refused[g] {
                    continue;
                }
                groups[g].count -= 1;
                remaining[r].count -= 1;
                if !overlapping || feasible(&groups, &remaining) {
                    chosen = Some(i);
                    break;
                }
                groups[g].count += 1;
                remaining[r].count += 1;
                refused[g] = true;
            }
            let i = chosen?;
            taken[i] = true;
            block.push(i);
        }
        picked.extend(block);
    }
    if shuffle_questions {
        picked.shuffle(rng);
    } else {
        // Unshuffled rounds show questions in bank order within each rule's block.
        let mut start = 0;
        for rule in rules {
            let end = start + rule.count.max(0) as usize;
            picked[start..end].sort_by_key(|i| pool[*i].id);
            start = end;
        }
    }
    Some(
        picked
            .into_iter()
            .map(|i| {
                let q = &pool[i];
                let mut order: Vec<usize> = (0..q.option_count).collect();
                // Đúng/Sai keeps its natural order.
                if shuffle_options && q.kind != QuestionKind::TrueFalse {
                    order.shuffle(rng);
                }
                Drawn { question_id: q.id, version: q.version, option_order: order }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn pool() -> Vec<PoolQuestion> {
        (1..=30)
            .map(|id| PoolQuestion {
                id,
                version: 1,
                topic: if id <= 10 { "Thủ tục hành chính".into() } else { "Chuyển đổi số".into() },
                difficulty: if id % 3 == 0 { "hard".into() } else { "easy".into() },
                kind: if id == 1 { QuestionKind::TrueFalse } else { QuestionKind::Single },
                option_count: if id == 1 { 2 } else { 4 },
            })
            .collect()
    }

    fn rule(count: i64, topic: &str, difficulty: &str) -> DrawRule {
        DrawRule { count, topic: topic.into(), difficulty: difficulty.into() }
    }

    #[test]
    fn draws_by_rule_without_repeats() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let rules = [rule(5, "thu tuc hanh chinh", ""), rule(3, "", "hard"), rule(4, "", "")];
        for _ in 0..50 {
            let drawn = draw(&pool(), &rules, true, true, &mut rng).unwrap();
            assert_eq!(drawn.len(), 12);
            let mut ids: Vec<i64> = drawn.iter().map(|d| d.question_id).collect();
            assert_eq!(ids.iter().filter(|id| **id <= 10).count() >= 5, true);
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), 12, "no question twice");
            for d in &drawn {
                let mut o = d.option_order.clone();
                o.sort();
                assert_eq!(o, (0..o.len()).collect::<Vec<_>>(), "a permutation");
                if d.question_id == 1 {
                    assert_eq!(d.option_order, vec![0, 1], "true/false keeps its order");
                }
            }
        }
    }

    #[test]
    fn unshuffled_draw_keeps_bank_order_and_option_order() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let drawn = draw(&pool(), &[rule(30, "", "")], false, false, &mut rng).unwrap();
        assert_eq!(drawn.iter().map(|d| d.question_id).collect::<Vec<_>>(), (1..=30).collect::<Vec<_>>());
        assert!(drawn.iter().all(|d| d.option_order.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn a_broad_rule_leaves_a_later_narrow_rule_what_it_needs() {
        // 27 of any topic, then 3 of the first topic: drawn blindly, the first rule would
        // usually take some of the questions the second one needs.
        let rules = [rule(27, "", ""), rule(3, "Thủ tục hành chính", "")];
        for seed in 0..40 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let drawn = draw(&pool(), &rules, false, true, &mut rng).expect("the rules can be met");
            assert_eq!(drawn.len(), 30);
            assert!(drawn[27..].iter().all(|d| d.question_id <= 10), "the last block is of the narrow rule");
        }
        // Two partly overlapping rules (the first topic has 7 easy and 3 hard questions, the pool
        // 10 hard), and a third that takes the rest.
        let rules = [rule(8, "Thủ tục hành chính", ""), rule(9, "", "hard"), rule(13, "", "")];
        assert_eq!(shortfalls(&pool(), &[rule(8, "Thủ tục hành chính", ""), rule(10, "", "hard")]), vec![(1, 10, 9)]);
        assert!(shortfalls(&pool(), &rules).is_empty());
        for seed in 0..40 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let drawn = draw(&pool(), &rules, true, false, &mut rng).expect("the rules can be met");
            let mut ids: Vec<i64> = drawn.iter().map(|d| d.question_id).collect();
            ids.sort();
            assert_eq!(ids, (1..=30).collect::<Vec<_>>());
        }
    }

    #[test]
    fn too_small_a_pool_is_reported() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert!(draw(&pool(), &[rule(11, "Thủ tục hành chính", "")], true, true, &mut rng).is_none());
        assert_eq!(shortfalls(&pool(), &[rule(25, "", ""), rule(10, "", "")]), vec![(1, 10, 5)]);
        assert!(shortfalls(&pool(), &[rule(10, "", "hard")]).is_empty());
    }
}
