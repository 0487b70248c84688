//! Hàng chờ lưu: the attempt page's choices that the server has not yet confirmed.
//!
//! A choice is "saved" only when the server acknowledges it after its commit. Until then it
//! stays here, is retried with growing pauses while the page is open (a phone that drops its
//! network for a moment must not lose an answer), and is copied to the browser's storage so a
//! reload or a closed tab keeps it. Each choice carries a sequence number: the server's clock
//! as the page estimates it, strictly increasing per question. The server applies a save only
//! if its number is higher than the stored one, so an old choice that arrives late (queued
//! offline, replayed, duplicated) can never overwrite a newer one.
//!
//! This module is the pure part: no browser, no clock, no network. The attempt island feeds
//! it times and replies, and tests drive it by tables.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a choice is about: a question (by its position) or the prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Slot {
    Question(i64),
    Prediction,
}

/// A choice: the options ticked (indices as shown) or the predicted number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Options(Vec<usize>),
    Number(i64),
}

/// The server's answer to one save, as the queue needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Committed; `at_ms` is the server's time of the save.
    Saved { at_ms: i64 },
    /// The server already holds a newer choice for this slot (another tab or device): this
    /// one is dropped, never applied.
    Superseded,
    /// Offline, timed out, a server error or "slow down": try again later. `after_ms` is the
    /// server's own wish (Retry-After), if it gave one.
    Retry { after_ms: Option<i64> },
    /// The session has ended: kept, and retried slowly, in case the person signs in again in
    /// another tab.
    SignedOut,
    /// The server refused the value itself (a message key or text to show).
    Refused(String),
}

/// What the page shows beside a slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Sent, no answer yet.
    Saving,
    /// Confirmed by the server at this time.
    Saved(i64),
    /// Not saved yet; it will be sent again (when the network is back).
    Unsaved,
    /// The session ended; saved again after signing in.
    SignedOut,
    /// Refused by the server, with its message.
    Refused(String),
    /// Dropped because the server holds a newer choice from elsewhere.
    Superseded,
}

#[derive(Debug, Clone, PartialEq)]
struct Pending {
    value: Value,
    seq: i64,
    tries: u32,
    next_try_ms: i64,
    in_flight: bool,
}

/// One send to make: the slot, its value and its sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct Send {
    pub slot: Slot,
    pub value: Value,
    pub seq: i64,
}

/// The longest pause between two tries of the same choice.
pub const MAX_BACKOFF_MS: i64 = 30_000;
/// A signed-out session is retried this often (someone may sign in again in another tab).
pub const SIGNED_OUT_RETRY_MS: i64 = 15_000;

/// The pause before try number `tries + 1`: 1 s, 2 s, 4 s … up to 30 s, spread by `jitter`
/// (0..1) so a thousand phones coming back online at once do not retry in step.
pub fn backoff_ms(tries: u32, jitter: f64) -> i64 {
    let base = 1000i64.saturating_mul(1i64 << tries.saturating_sub(1).min(15)).min(MAX_BACKOFF_MS);
    (base as f64 * (0.75 + 0.5 * jitter.clamp(0.0, 1.0))) as i64
}

/// The unsaved choices of one attempt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    pending: BTreeMap<Slot, Pending>,
    /// The highest sequence number used or seen per slot, so numbers only grow.
    last_seq: BTreeMap<Slot, i64>,
}

impl Queue {
    /// A queue that knows the sequence numbers the server holds.
    pub fn new(server_seq: impl IntoIterator<Item = (Slot, i64)>) -> Queue {
        Queue { pending: BTreeMap::new(), last_seq: server_seq.into_iter().collect() }
    }

    /// Records a choice made now (`server_now_ms`: the page's estimate of the server clock) and
    /// returns its sequence number. A newer choice replaces an unsaved older one of the slot.
    pub fn choose(&mut self, slot: Slot, value: Value, server_now_ms: i64) -> i64 {
        let seq = server_now_ms.max(self.last_seq.get(&slot).map_or(i64::MIN, |s| s + 1));
        self.last_seq.insert(slot, seq);
        let in_flight = self.pending.get(&slot).is_some_and(|p| p.in_flight);
        self.pending.insert(slot, Pending { value, seq, tries: 0, next_try_ms: i64::MIN, in_flight });
        seq
    }

    /// Choices to send now: those not already on their way whose pause is over (or all of
    /// them when `force`, as when the network comes back or the person submits). Each is
    /// marked as on its way.
    pub fn take_due(&mut self, now_ms: i64, force: bool, limit: usize) -> Vec<Send> {
        let mut out = Vec::new();
        for (slot, p) in self.pending.iter_mut() {
            if out.len() >= limit {
                break;
            }
            if !p.in_flight && (force || p.next_try_ms <= now_ms) {
                p.in_flight = true;
                out.push(Send { slot: *slot, value: p.value.clone(), seq: p.seq });
            }
        }
        out
    }

    /// Takes the server's reply to the send of `slot` numbered `seq`, and returns what to show
    /// beside the slot (`None` while a newer choice of the slot is still to be sent).
    pub fn settle(&mut self, slot: Slot, seq: i64, reply: Reply, now_ms: i64, jitter: f64) -> Option<Status> {
        let Some(p) = self.pending.get_mut(&slot) else {
            // Already settled (a duplicate reply): nothing changes.
            return None;
        };
        p.in_flight = false;
        if p.seq != seq {
            // The person changed their mind while this send was on its way: the newer choice
            // is due now, whatever this reply was.
            p.next_try_ms = i64::MIN;
            return None;
        }
        match reply {
            Reply::Saved { at_ms } => {
                self.pending.remove(&slot);
                Some(Status::Saved(at_ms))
            }
            Reply::Superseded => {
                self.pending.remove(&slot);
                Some(Status::Superseded)
            }
            Reply::Refused(message) => {
                self.pending.remove(&slot);
                Some(Status::Refused(message))
            }
            Reply::Retry { after_ms } => {
                p.tries += 1;
                let pause = backoff_ms(p.tries, jitter).max(after_ms.unwrap_or(0));
                p.next_try_ms = now_ms + pause;
                Some(Status::Unsaved)
            }
            Reply::SignedOut => {
                p.tries += 1;
                p.next_try_ms = now_ms + SIGNED_OUT_RETRY_MS;
                Some(Status::SignedOut)
            }
        }
    }

    /// The attempt is over (the server answered that it was submitted or its time is up):
    /// every unsaved choice is dropped; returns their slots, to tell the person.
    pub fn close(&mut self) -> Vec<Slot> {
        std::mem::take(&mut self.pending).into_keys().collect()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Slots with a choice the server has not confirmed.
    pub fn unsaved(&self) -> Vec<Slot> {
        self.pending.keys().copied().collect()
    }

    /// Whether any send is on its way.
    pub fn in_flight(&self) -> bool {
        self.pending.values().any(|p| p.in_flight)
    }

    /// When the next waiting choice is due, if any is waiting.
    pub fn next_wake(&self) -> Option<i64> {
        self.pending.values().filter(|p| !p.in_flight).map(|p| p.next_try_ms).min()
    }

    /// The copy kept in the browser's storage: values and sequence numbers only.
    pub fn stored(&self) -> Stored {
        Stored { items: self.pending.iter().map(|(slot, p)| StoredItem { slot: *slot, value: p.value.clone(), seq: p.seq }).collect() }
    }

    /// Takes back what the browser kept from an earlier visit. Only choices newer than what
    /// the server holds come back (the server may have received them after all, or a newer
    /// one from another device); returns those, to be shown and sent.
    pub fn restore(&mut self, stored: Stored) -> Vec<StoredItem> {
        let mut back = Vec::new();
        for item in stored.items {
            let known = self.last_seq.get(&item.slot).copied().unwrap_or(i64::MIN);
            if item.seq > known {
                self.last_seq.insert(item.slot, item.seq);
                self.pending.insert(item.slot, Pending { value: item.value.clone(), seq: item.seq, tries: 0, next_try_ms: i64::MIN, in_flight: false });
                back.push(item);
            }
        }
        back
    }
}

/// The unsaved choices as kept in `localStorage` under the attempt's id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub items: Vec<StoredItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredItem {
    pub slot: Slot,
    pub value: Value,
    pub seq: i64,
}

/// The browser storage key of an attempt's unsaved choices.
pub fn storage_key(attempt_id: i64) -> String {
    format!("hp.unsaved.{attempt_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q1: Slot = Slot::Question(1);
    const Q2: Slot = Slot::Question(2);

    fn opts(v: &[usize]) -> Value {
        Value::Options(v.to_vec())
    }

    #[test]
    fn backoff_grows_and_stops_at_thirty_seconds() {
        let cases = [(1, 0.5, 1000), (2, 0.5, 2000), (3, 0.5, 4000), (5, 0.5, 16_000), (6, 0.5, 30_000), (40, 0.5, 30_000), (1, 0.0, 750), (1, 1.0, 1250)];
        for (tries, jitter, expected) in cases {
            assert_eq!(backoff_ms(tries, jitter), expected, "tries {tries} jitter {jitter}");
        }
    }

    #[test]
    fn sequence_numbers_only_grow_per_slot() {
        let mut q = Queue::new([(Q1, 5_000)]);
        // The page's clock estimate is behind what the server holds: the number still grows.
        assert_eq!(q.choose(Q1, opts(&[0]), 4_000), 5_001);
        assert_eq!(q.choose(Q1, opts(&[1]), 4_000), 5_002);
        assert_eq!(q.choose(Q1, opts(&[2]), 9_000), 9_000);
        assert_eq!(q.choose(Q2, opts(&[0]), 9_000), 9_000);
        assert_eq!(q.len(), 2, "one pending choice per slot");
    }

    #[test]
    fn a_failed_save_waits_then_is_sent_again() {
        let mut q = Queue::default();
        let seq = q.choose(Q1, opts(&[2]), 1_000);
        let sent = q.take_due(1_000, false, 8);
        assert_eq!(sent, vec![Send { slot: Q1, value: opts(&[2]), seq }]);
        assert!(q.take_due(1_000, false, 8).is_empty(), "not sent twice while on its way");
        assert_eq!(q.settle(Q1, seq, Reply::Retry { after_ms: None }, 1_000, 0.5), Some(Status::Unsaved));
        assert!(q.take_due(1_500, false, 8).is_empty(), "waits its pause");
        assert_eq!(q.next_wake(), Some(2_000));
        assert_eq!(q.take_due(2_000, false, 8).len(), 1);
        assert_eq!(q.settle(Q1, seq, Reply::Retry { after_ms: Some(10_000) }, 2_000, 0.5), Some(Status::Unsaved));
        assert_eq!(q.next_wake(), Some(12_000), "the server's Retry-After wins when longer");
        // Back online: everything goes at once.
        assert_eq!(q.take_due(2_100, true, 8).len(), 1);
        assert_eq!(q.settle(Q1, seq, Reply::Saved { at_ms: 2_200 }, 2_200, 0.5), Some(Status::Saved(2_200)));
        assert!(q.is_empty());
    }

    #[test]
    fn a_newer_choice_made_while_sending_is_sent_after_the_reply() {
        let mut q = Queue::default();
        let first = q.choose(Q1, opts(&[0]), 1_000);
        q.take_due(1_000, false, 8);
        let second = q.choose(Q1, opts(&[3]), 1_100);
        assert!(q.take_due(1_100, false, 8).is_empty(), "one send per slot at a time");
        // The first one's acknowledgement does not mark the slot saved: the newer one is due.
        assert_eq!(q.settle(Q1, first, Reply::Saved { at_ms: 1_050 }, 1_150, 0.5), None);
        assert_eq!(q.take_due(1_150, false, 8), vec![Send { slot: Q1, value: opts(&[3]), seq: second }]);
        assert_eq!(q.settle(Q1, second, Reply::Saved { at_ms: 1_200 }, 1_200, 0.5), Some(Status::Saved(1_200)));
        assert!(q.is_empty());
    }

    #[test]
    fn replies_end_a_choice_as_the_server_says() {
        let cases = [
            (Reply::Saved { at_ms: 7 }, Some(Status::Saved(7)), 0),
            (Reply::Superseded, Some(Status::Superseded), 0),
            (Reply::Refused("err.prediction_range".into()), Some(Status::Refused("err.prediction_range".into())), 0),
            (Reply::Retry { after_ms: None }, Some(Status::Unsaved), 1),
            (Reply::SignedOut, Some(Status::SignedOut), 1),
        ];
        for (reply, status, left) in cases {
            let mut q = Queue::default();
            let seq = q.choose(Q2, opts(&[1]), 10);
            q.take_due(10, false, 8);
            assert_eq!(q.settle(Q2, seq, reply.clone(), 20, 0.5), status, "{reply:?}");
            assert_eq!(q.len(), left, "{reply:?}");
        }
    }

    #[test]
    fn a_closed_attempt_drops_every_unsaved_choice() {
        let mut q = Queue::default();
        q.choose(Q1, opts(&[0]), 10);
        q.choose(Slot::Prediction, Value::Number(1234), 10);
        assert_eq!(q.close(), vec![Q1, Slot::Prediction]);
        assert!(q.is_empty());
        assert_eq!(q.settle(Q1, 10, Reply::Saved { at_ms: 11 }, 11, 0.5), None, "a late reply changes nothing");
    }

    #[test]
    fn sends_are_limited_per_pump() {
        let mut q = Queue::default();
        for p in 1..=10 {
            q.choose(Slot::Question(p), opts(&[0]), 10);
        }
        assert_eq!(q.take_due(10, true, 4).len(), 4);
        assert_eq!(q.take_due(10, true, 4).len(), 4);
        assert_eq!(q.take_due(10, true, 4).len(), 2);
    }

    #[test]
    fn restoring_keeps_only_choices_newer_than_the_server() {
        let mut earlier = Queue::default();
        earlier.choose(Q1, opts(&[1]), 100);
        earlier.choose(Q2, opts(&[2]), 100);
        earlier.choose(Slot::Prediction, Value::Number(5000), 100);
        let kept = earlier.stored();
        // Meanwhile the server received question 2 (same number) and a newer prediction.
        let mut q = Queue::new([(Q2, 100), (Slot::Prediction, 150)]);
        let back = q.restore(kept);
        assert_eq!(back, vec![StoredItem { slot: Q1, value: opts(&[1]), seq: 100 }]);
        assert_eq!(q.unsaved(), vec![Q1]);
        // A later choice of question 1 still gets a higher number than the restored one.
        assert_eq!(q.choose(Q1, opts(&[0]), 90), 101);
    }

    #[test]
    fn the_stored_copy_round_trips_through_json() {
        let mut q = Queue::default();
        q.choose(Q1, opts(&[0, 2]), 42);
        q.choose(Slot::Prediction, Value::Number(5000), 43);
        let json = serde_json::to_string(&q.stored()).unwrap();
        assert_eq!(serde_json::from_str::<Stored>(&json).unwrap(), q.stored());
    }
}
