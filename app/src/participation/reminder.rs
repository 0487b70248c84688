//! The message a unit's focal point pastes into the unit's group chat to chase who has not
//! taken the round yet: only while the round is running and someone is still missing.

use crate::i18n::{Lang, fill, t};

/// What the focal point is offered for the chosen round.
#[derive(Debug, Clone, PartialEq)]
pub enum Reminder {
    /// The round is running and people are missing: the message to send.
    Send(String),
    /// Everyone on the roster has taken part: nothing to chase.
    Complete,
    /// The round is over: a reminder would only confuse.
    Closed,
}

pub struct ReminderFacts<'a> {
    pub unit: &'a str,
    pub contest_title: &'a str,
    pub round_title: &'a str,
    /// The unit's rate as shown ("77,3%").
    pub rate: &'a str,
    pub missing: usize,
    pub link: &'a str,
    pub round_closed: bool,
}

pub fn reminder(lang: Lang, facts: &ReminderFacts) -> Reminder {
    if facts.round_closed {
        return Reminder::Closed;
    }
    if facts.missing == 0 {
        return Reminder::Complete;
    }
    // The contest's own title names it ("Hội thi trực tuyến …"); the template must not
    // prefix it with "Hội thi" again.
    let round = format!("{} ({})", facts.contest_title.trim(), facts.round_title.trim());
    Reminder::Send(fill(
        &t(lang, "part.reminder_text"),
        &[("unit", facts.unit), ("round", &round), ("rate", facts.rate), ("missing", &facts.missing.to_string()), ("link", facts.link)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(missing: usize, round_closed: bool) -> ReminderFacts<'static> {
        ReminderFacts {
            unit: "Sở Y tế",
            contest_title: "Hội thi trực tuyến tìm hiểu công tác cải cách hành chính năm 2026",
            round_title: "Đợt 3",
            rate: "77,3%",
            missing,
            link: "https://thi.haiphong.gov.vn/thi/3",
            round_closed,
        }
    }

    #[test]
    fn the_message_names_the_contest_once_and_only_while_the_round_runs() {
        let Reminder::Send(text) = reminder(Lang::Vi, &facts(5, false)) else { panic!("a running round with people missing gets a message") };
        assert!(!text.contains("Hội thi Hội thi"), "{text}");
        assert_eq!(text.matches("Hội thi").count(), 1, "{text}");
        assert!(text.contains("Hội thi trực tuyến tìm hiểu công tác cải cách hành chính năm 2026 (Đợt 3) đang diễn ra"), "{text}");
        assert!(text.contains("Sở Y tế") && text.contains("77,3%") && text.contains("còn 5 đồng chí") && text.contains("https://thi.haiphong.gov.vn/thi/3"), "{text}");
        assert_eq!(reminder(Lang::Vi, &facts(5, true)), Reminder::Closed);
        assert_eq!(reminder(Lang::Vi, &facts(0, false)), Reminder::Complete);
        let Reminder::Send(en) = reminder(Lang::En, &facts(2, false)) else { panic!() };
        assert!(en.contains("(Đợt 3) is under way"), "{en}");
    }
}
