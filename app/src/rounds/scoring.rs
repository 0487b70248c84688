//! Chấm điểm. A question is worth 100 points-hundredths; partial credit on a multiple-answer
//! question gives a share, so scores stay whole numbers and add up exactly.
//!
//! Answer keys are deserialised into `Key`, which deliberately does not implement `Serialize`:
//! nothing that holds a key can be turned into a response by mistake.

use crate::quiz::model::QuestionKind;

pub const FULL_CREDIT: i64 = 100;

/// The key of one option: only whether it is correct matters for scoring.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct KeyEntry {
    pub correct: bool,
}

/// A question's answer key in stored option order.
#[derive(Debug, Clone)]
pub struct Key {
    pub kind: QuestionKind,
    pub correct: Vec<bool>,
    pub partial_credit: bool,
}

impl Key {
    /// A stored key; one that does not parse is an error (logged), never a key with no
    /// right option that would score every answer 0 in silence.
    pub fn from_stored(kind: QuestionKind, answer_key_json: &str, partial_credit: bool) -> Result<Key, crate::error::AppError> {
        let entries: Vec<KeyEntry> = crate::codes::stored_json(answer_key_json, "answer key")?;
        Ok(Key { kind, correct: entries.into_iter().map(|e| e.correct).collect(), partial_credit })
    }

    /// Indices of the correct options, stored order.
    pub fn correct_indices(&self) -> Vec<usize> {
        self.correct.iter().enumerate().filter(|(_, c)| **c).map(|(i, _)| i).collect()
    }
}

/// Credit for an answer (stored option indices), 0..=100.
///
/// Single and true/false: full credit for the right option alone. Multiple: all or nothing,
/// unless the question allows partial credit; then each right option chosen earns an equal
/// share and each wrong option chosen takes one share back, never below zero (so ticking every
/// box earns nothing).
pub fn credit(key: &Key, answer: &[usize]) -> i64 {
    let mut chosen: Vec<usize> = answer.iter().copied().filter(|i| *i < key.correct.len()).collect();
    chosen.sort_unstable();
    chosen.dedup();
    let right = key.correct_indices();
    if chosen == right && !right.is_empty() {
        return FULL_CREDIT;
    }
    if key.kind != QuestionKind::Multiple || !key.partial_credit || right.is_empty() {
        return 0;
    }
    let hits = chosen.iter().filter(|i| key.correct[**i]).count() as i64;
    let misses = chosen.len() as i64 - hits;
    ((hits - misses).max(0) * FULL_CREDIT) / right.len() as i64
}

/// Maps answers between the order shown and the stored order. `order[shown] = stored`.
pub fn to_stored(order: &[usize], shown: &[usize]) -> Option<Vec<usize>> {
    let mut out: Vec<usize> = shown.iter().map(|s| order.get(*s).copied()).collect::<Option<_>>()?;
    out.sort_unstable();
    out.dedup();
    Some(out)
}

pub fn to_shown(order: &[usize], stored: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = stored.iter().filter_map(|s| order.iter().position(|o| o == s)).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_key_that_does_not_parse_is_an_error_not_a_zero() {
        let read = Key::from_stored(QuestionKind::Single, r#"[{"correct":false},{"correct":true}]"#, false).unwrap();
        assert_eq!(read.correct_indices(), vec![1]);
        for corrupt in ["", "not json", r#"[{"correct":"yes"}]"#, "{}"] {
            assert!(Key::from_stored(QuestionKind::Single, corrupt, false).is_err(), "{corrupt:?}");
        }
    }

    fn key(kind: QuestionKind, correct: &[bool], partial: bool) -> Key {
        Key { kind, correct: correct.to_vec(), partial_credit: partial }
    }

    #[test]
    fn credit_by_kind_and_policy() {
        use QuestionKind::*;
        let multi = [true, false, true, true];
        let cases: Vec<(Key, Vec<usize>, i64)> = vec![
            (key(Single, &[false, true, false], false), vec![1], 100),
            (key(Single, &[false, true, false], false), vec![0], 0),
            (key(Single, &[false, true, false], false), vec![], 0),
            (key(Single, &[false, true, false], false), vec![1, 2], 0),
            (key(TrueFalse, &[true, false], false), vec![0], 100),
            (key(Multiple, &multi, false), vec![0, 2, 3], 100),
            (key(Multiple, &multi, false), vec![3, 0, 2, 2], 100),
            (key(Multiple, &multi, false), vec![0, 2], 0),
            (key(Multiple, &multi, true), vec![0, 2], 66),
            (key(Multiple, &multi, true), vec![0], 33),
            (key(Multiple, &multi, true), vec![0, 1], 0),
            (key(Multiple, &multi, true), vec![0, 1, 2], 33),
            (key(Multiple, &multi, true), vec![0, 1, 2, 3], 66),
            (key(Multiple, &[true, true, false, false], true), vec![0, 1, 2, 3], 0),
            (key(Multiple, &multi, true), vec![9], 0),
        ];
        for (k, answer, want) in cases {
            assert_eq!(credit(&k, &answer), want, "{k:?} {answer:?}");
        }
    }

    #[test]
    fn shown_and_stored_orders_round_trip() {
        let order = [2, 0, 3, 1];
        assert_eq!(to_stored(&order, &[0, 3]), Some(vec![1, 2]));
        assert_eq!(to_shown(&order, &[1, 2]), vec![0, 3]);
        assert_eq!(to_stored(&order, &[4]), None);
    }
}
