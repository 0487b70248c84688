use super::*;

const MIN: i64 = 60_000;

fn ev(kind: EventKind, user_id: i64, attempt_id: Option<i64>, device: &str, at_ms: i64) -> Event {
    Event { kind, user_id, attempt_id, device: device.to_string(), client_ip: "203.0.113.7".into(), at_ms }
}

fn stretch(attempt_id: i64, device: &str, first_ms: i64, last_ms: i64) -> DeviceStretch {
    DeviceStretch { attempt_id, device: device.to_string(), first_ms, last_ms }
}

fn attempt(attempt_id: i64, user_id: i64, started_min: i64, taken_min: i64, score: i64, digest: Option<&str>) -> AttemptFacts {
    let started_at_ms = started_min * MIN;
    let time_taken_ms = taken_min * MIN;
    AttemptFacts { attempt_id, user_id, started_at_ms, submitted_at_ms: started_at_ms + time_taken_ms, time_taken_ms, score, max_score: 2000, answer_digest: digest.map(str::to_string) }
}

fn kinds(flags: &[Flag], attempt_id: i64) -> Vec<&'static str> {
    flags.iter().find(|f| f.attempt_id == attempt_id).map(|f| f.evidence.iter().map(Evidence::code).collect()).unwrap_or_default()
}

/// A deterministic stream of numbers (no dependency for a test's spread of times and answers).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// 200 colleagues behind one office address, each on their own device, at a normal spread of
/// times and answers; `extra` adds people to it.
fn office() -> Input {
    let mut rng = Lcg(15);
    let mut input = Input::default();
    for n in 0..200i64 {
        let user = 1000 + n;
        let device = format!("dev{n:03}");
        let started = 8 * 60 + rng.next(240) as i64;
        let taken = 6 + rng.next(14) as i64;
        let wrong = rng.next(6) as i64;
        // Answers differ from person to person: the digest of what each chose.
        let digest = (wrong >= 2).then(|| format!("{wrong}:{:016x}", rng.next(u64::MAX)));
        let a = attempt(user, user, started, taken, (20 - wrong) * 100, digest.as_deref());
        input.registrations.push(ev(EventKind::Register, user, None, &device, 0));
        for (kind, at) in [(EventKind::Start, a.started_at_ms), (EventKind::Submit, a.submitted_at_ms)] {
            input.round_events.push(ev(kind, user, Some(user), &device, at));
        }
        input.device_stretches.push(stretch(user, &device, a.started_at_ms, a.submitted_at_ms));
        input.attempts.push(a);
    }
    input
}

#[test]
fn an_office_of_200_behind_one_address_flags_nobody() {
    let input = office();
    assert!(input.round_events.iter().all(|e| e.client_ip == "203.0.113.7"));
    assert_eq!(assess(&input, &Thresholds::default()), vec![]);
}

#[test]
fn one_device_used_by_three_accounts_flags_each_of_them() {
    let mut input = office();
    for user in [1000, 1001, 1002] {
        input.round_events.push(ev(EventKind::Start, user, Some(user), "shared-phone", 9 * 60 * MIN));
    }
    let flags = assess(&input, &Thresholds::default());
    for user in [1000, 1001, 1002] {
        assert_eq!(kinds(&flags, user), vec!["shared_device"], "attempt {user}");
    }
    assert_eq!(flags.len(), 3);
    match &flags[0].evidence[0] {
        Evidence::SharedDevice { accounts, device } => {
            assert_eq!(accounts.len(), 3);
            assert_eq!(device, "shared-p");
        }
        other => panic!("{other:?}"),
    }
    // Two accounts on one device (a couple sharing a computer) stays below the default.
    let mut two = office();
    for user in [1000, 1001] {
        two.round_events.push(ev(EventKind::Start, user, Some(user), "family-pc", 9 * 60 * MIN));
    }
    assert_eq!(assess(&two, &Thresholds::default()), vec![]);
}

#[test]
fn four_accounts_on_one_device_are_high_risk_three_medium() {
    let acc = |n: usize| (0..n as i64).map(|u| SeenAccount { user_id: u, full_name: String::new(), client_ip: String::new(), at_ms: 0 }).collect::<Vec<_>>();
    let table = [
        (vec![Evidence::SharedDevice { device: "d".into(), accounts: acc(3) }], RiskLevel::Medium),
        (vec![Evidence::SharedDevice { device: "d".into(), accounts: acc(4) }], RiskLevel::High),
        (vec![Evidence::TooFast { time_taken_ms: 1, median_ms: 10, threshold_ms: 2, score: 10, max_score: 10 }], RiskLevel::Low),
        (
            vec![
                Evidence::TooFast { time_taken_ms: 1, median_ms: 10, threshold_ms: 2, score: 10, max_score: 10 },
                Evidence::TwoDevices { devices: vec![], first_ms: 0, last_ms: 0 },
            ],
            RiskLevel::High,
        ),
        (vec![Evidence::RegistrationsFromDevice { device: "d".into(), accounts: acc(3) }], RiskLevel::Low),
        (vec![Evidence::IdenticalAnswers { wrong_answers: 2, others: vec![], window_minutes: 10 }], RiskLevel::High),
    ];
    for (evidence, expected) in table {
        assert_eq!(risk_of(&evidence), expected, "{evidence:?}");
    }
}

#[test]
fn overlapping_activity_on_two_devices_is_flagged_a_single_hand_over_is_not() {
    let a = attempt(1, 1, 600, 20, 1500, None);
    let (start, end) = (a.started_at_ms, a.submitted_at_ms);
    let table = [
        // The laptop takes the attempt (start to submission) while the owner signs in on their
        // phone.
        (vec![stretch(1, "laptop", start, end), stretch(1, "phone", start + 5 * MIN, start + 5 * MIN)], true),
        // Started on the phone, then moved to a computer, signed in and submitted there.
        (vec![stretch(1, "phone", start, start), stretch(1, "pc", start + 5 * MIN, end)], false),
        // Two stretches that touch at the same millisecond still overlap.
        (vec![stretch(1, "phone", start, start + 5 * MIN), stretch(1, "pc", start + 5 * MIN, end)], true),
        // One device throughout.
        (vec![stretch(1, "pc", start, end)], false),
        // Three devices, the last two overlapping.
        (vec![stretch(1, "a", start, start), stretch(1, "b", start + MIN, end), stretch(1, "c", start + 2 * MIN, start + 3 * MIN)], true),
    ];
    for (stretches, flagged) in table {
        let found = two_devices(&stretches);
        assert_eq!(!found.is_empty(), flagged, "{stretches:?}");
    }
    // Stretches of different attempts never overlap each other.
    assert_eq!(two_devices(&[stretch(1, "pc", start, end), stretch(2, "phone", start, end)]), vec![]);
    // The evidence names every device of the attempt and its whole stretch.
    let found = two_devices(&[stretch(7, "laptop", start, end), stretch(7, "phone", start + MIN, start + 2 * MIN)]);
    assert_eq!(found.len(), 1);
    let (attempt_id, Evidence::TwoDevices { devices, first_ms, last_ms }) = &found[0] else { panic!("{found:?}") };
    assert_eq!((*attempt_id, devices.len(), *first_ms, *last_ms), (7, 2, start, end));
}

#[test]
fn a_perfect_score_in_a_fraction_of_the_rounds_median_is_too_fast() {
    let mut input = office();
    // The office's median is about 12 minutes: 2 minutes for 20/20 is under a quarter of it.
    input.attempts.push(attempt(5000, 5000, 600, 2, 2000, None));
    // As fast but a poor score: guessing, not evidence of a stand-in.
    input.attempts.push(attempt(5001, 5001, 600, 2, 800, None));
    // A perfect score in 8 minutes: quick, plausible.
    input.attempts.push(attempt(5002, 5002, 600, 8, 2000, None));
    let flags = assess(&input, &Thresholds::default());
    assert_eq!(kinds(&flags, 5000), vec!["too_fast"]);
    assert!(kinds(&flags, 5001).is_empty() && kinds(&flags, 5002).is_empty());
    assert_eq!(flags.len(), 1);
    // Too few attempts to know what is usual: nothing is flagged.
    let few = vec![attempt(1, 1, 0, 2, 2000, None), attempt(2, 2, 0, 30, 1000, None), attempt(3, 3, 0, 30, 1000, None)];
    assert!(too_fast(&few, &Thresholds::default()).is_empty());
}

#[test]
fn identical_answers_with_shared_mistakes_within_minutes_are_flagged() {
    let t = Thresholds::default();
    let same = Some("3:abc");
    let table = [
        // Two accounts, the same three mistakes, four minutes apart.
        (vec![attempt(1, 1, 600, 10, 1700, same), attempt(2, 2, 604, 10, 1700, same)], vec![1, 2]),
        // The same answers a day apart: a common misconception, not a shared sheet.
        (vec![attempt(1, 1, 600, 10, 1700, same), attempt(2, 2, 600 + 24 * 60, 10, 1700, same)], vec![]),
        // A chain: each within ten minutes of the next.
        (vec![attempt(1, 1, 600, 10, 1700, same), attempt(2, 2, 608, 10, 1700, same), attempt(3, 3, 616, 10, 1700, same)], vec![1, 2, 3]),
        // One person's two attempts: their own business.
        (vec![attempt(1, 1, 600, 10, 1700, same), attempt(2, 1, 605, 10, 1700, same)], vec![]),
        // Only one shared mistake: below the threshold.
        (vec![attempt(1, 1, 600, 10, 1900, Some("1:abc")), attempt(2, 2, 601, 10, 1900, Some("1:abc"))], vec![]),
    ];
    for (attempts, expected) in table {
        let mut got: Vec<i64> = identical_answers(&attempts, &t).into_iter().map(|(a, _)| a).collect();
        got.sort();
        assert_eq!(got, expected, "{attempts:?}");
    }
}

#[test]
fn a_device_that_registered_several_accounts_flags_their_attempts() {
    let mut input = office();
    for user in [1010, 1011, 1012] {
        input.registrations.push(ev(EventKind::Register, user, None, "one-phone", 0));
    }
    let flags = assess(&input, &Thresholds::default());
    assert_eq!(flags.iter().map(|f| f.attempt_id).collect::<Vec<_>>(), vec![1010, 1011, 1012]);
    assert!(flags.iter().all(|f| f.risk == RiskLevel::Low && kinds(&flags, f.attempt_id) == vec!["registrations_from_device"]));
}

#[test]
fn medians_and_digests() {
    assert_eq!(median(vec![]), None);
    assert_eq!(median(vec![5, 1, 3]), Some(3));
    assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
    assert_eq!(wrong_in_digest("3:ab12"), 3);
    assert_eq!(wrong_in_digest("garbage"), 0);
}
