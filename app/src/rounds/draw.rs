//! Bốc câu hỏi: the server draws each attempt's questions and option order once, at start, and
//! stores them; every later view of the attempt reads what was stored.

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

fn matches(rule: &DrawRule, q: &PoolQuestion) -> bool {
    (rule.topic.is_empty() || crate::text::fold(&rule.topic) == crate::text::fold(&q.topic))
        && (rule.difficulty.is_empty() || rule.difficulty == q.difficulty)
}

/// How many questions each rule could draw (for checking a round's rules against the bank).
/// Rules draw in order without repeats, so a later rule sees what earlier ones left.
pub fn shortfalls(pool: &[PoolQuestion], rules: &[DrawRule]) -> Vec<(usize, i64, i64)> {
    let mut taken = vec![false; pool.len()];
    let mut short = Vec::new();
    for (r, rule) in rules.iter().enumerate() {
        let mut available: Vec<usize> = (0..pool.len()).filter(|i| !taken[*i] && matches(rule, &pool[*i])).collect();
        available.truncate(rule.count.max(0) as usize);
        for i in &available {
            taken[*i] = true;
        }
        if (available.len() as i64) < rule.count {
            short.push((r, rule.count, available.len() as i64));
        }
    }
    short
}

/// Draws questions by the rules. `None` when the pool cannot satisfy them.
pub fn draw(pool: &[PoolQuestion], rules: &[DrawRule], shuffle_questions: bool, shuffle_options: bool, rng: &mut impl Rng) -> Option<Vec<Drawn>> {
    let mut taken = vec![false; pool.len()];
    let mut picked: Vec<usize> = Vec::new();
    for rule in rules {
        let available: Vec<usize> = (0..pool.len()).filter(|i| !taken[*i] && matches(rule, &pool[*i])).collect();
        let want = rule.count.max(0) as usize;
        if available.len() < want {
            return None;
        }
        let chosen: Vec<usize> = available.choose_multiple(rng, want).copied().collect();
        for i in &chosen {
            taken[*i] = true;
        }
        picked.extend(chosen);
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
    fn too_small_a_pool_is_reported() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert!(draw(&pool(), &[rule(11, "Thủ tục hành chính", "")], true, true, &mut rng).is_none());
        assert_eq!(shortfalls(&pool(), &[rule(25, "", ""), rule(10, "", "")]), vec![(1, 10, 5)]);
        assert!(shortfalls(&pool(), &[rule(10, "", "hard")]).is_empty());
    }
}
