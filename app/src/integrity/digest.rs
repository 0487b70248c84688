//! The digest of a submitted attempt's answers, computed while it is scored (the answers are
//! in hand then): each question with the options chosen, in question order, so two attempts
//! with the same questions and the same choices have the same digest however the questions
//! and options were shuffled on screen. Stored only when at least a few answers were wrong:
//! an all-correct sheet is shared by every good participant and proves nothing.

use blake2::{Blake2s256, Digest};

#[derive(Default)]
pub struct AnswerDigest {
    answers: Vec<(i64, Vec<usize>)>,
    wrong: i64,
}

impl AnswerDigest {
    /// One question's stored answer (option indices in the bank's order) and whether it earned
    /// full credit. A blank is not a wrong answer.
    pub fn add(&mut self, question_id: i64, answer: &[usize], correct: bool) {
        let mut chosen = answer.to_vec();
        chosen.sort_unstable();
        if !correct && !chosen.is_empty() {
            self.wrong += 1;
        }
        self.answers.push((question_id, chosen));
    }

    /// `"{wrong}:{hex}"`, or `None` below `min_wrong` wrong answers.
    pub fn finish(mut self, min_wrong: i64) -> Option<String> {
        if self.wrong < min_wrong {
            return None;
        }
        self.answers.sort();
        let text: String = self.answers.iter().map(|(q, a)| format!("{q}={};", a.iter().map(usize::to_string).collect::<Vec<_>>().join(","))).collect();
        let hex: String = Blake2s256::digest(text.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect();
        Some(format!("{}:{hex}", self.wrong))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(answers: &[(i64, &[usize], bool)]) -> Option<String> {
        let mut d = AnswerDigest::default();
        for (q, a, ok) in answers {
            d.add(*q, a, *ok);
        }
        d.finish(2)
    }

    #[test]
    fn same_choices_in_any_order_give_the_same_digest_and_few_mistakes_none() {
        let a = digest(&[(1, &[0], true), (2, &[2], false), (3, &[1, 3], false)]);
        let b = digest(&[(3, &[3, 1], false), (1, &[0], true), (2, &[2], false)]);
        assert!(a.as_deref().is_some_and(|d| d.starts_with("2:")));
        assert_eq!(a, b);
        assert_ne!(a, digest(&[(1, &[0], true), (2, &[1], false), (3, &[1, 3], false)]));
        assert_eq!(digest(&[(1, &[0], true), (2, &[2], false), (3, &[], false)]), None, "a blank is not a mistake");
    }
}
