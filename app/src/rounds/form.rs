//! The round form as people fill it in: local times in Asia/Ho_Chi_Minh, minutes instead of
//! seconds, draw rules (see `draw_rules`) and prizes one per line. Parsed into settings with every problem by
//! field; settings turn back into the form to edit them.

use super::model::*;
use crate::quiz::model::Audience;
use crate::codes::Code;
use crate::error::{AppError, Validator};

/// An account id as the control room shows it ("#204") or as typed ("204", " # 204 ").
pub fn account_id(text: &str) -> Option<i64> {
    text.trim().trim_start_matches('#').trim().parse::<i64>().ok().filter(|id| *id > 0)
}

pub fn parse(form: &RoundForm) -> Result<RoundInput, AppError> {
    let mut v = Validator::new();
    let mut time = |field: &str, text: &str| crate::vn_time::parse_local_secs(text).unwrap_or_else(|| {
        v.add(field, "err.datetime_format");
        0
    });
    let (opens_at, closes_at) = (time("opens_at", &form.opens_at), time("closes_at", &form.closes_at));
    let mut number = |field: &str, text: &str| text.trim().parse::<i64>().unwrap_or_else(|_| {
        v.add(field, "err.number_format");
        0
    });
    let time_limit = number("time_limit_minutes", &form.time_limit_minutes);
    let max_attempts = number("max_attempts", &form.max_attempts);
    let grace = number("grace_minutes", &form.grace_minutes);
    // The builder writes the same text the no-JavaScript form types; each problem names its line.
    let rules = super::draw_rules::parse_text(&form.draw_rules).unwrap_or_else(|e| {
        v.add("draw_rules", &e.field_key());
        vec![]
    });
    let audience = Audience::from_code(form.audience.trim()).unwrap_or_else(|| {
        v.add("audience", "err.audience_unknown");
        Audience::Staff
    });
    let prize_plan = crate::prizes::parse_plan(&form.prizes).unwrap_or_else(|| {
        v.add("prizes", "err.prizes_format");
        vec![]
    });
    v.finish()?;
    let input = RoundInput {
        title: form.title.clone(),
        opens_at,
        closes_at,
        audience,
        draw_rules: rules,
        shuffle_questions: form.shuffle_questions.is_some(),
        shuffle_options: form.shuffle_options.is_some(),
        time_limit_secs: time_limit * 60,
        max_attempts,
        counting: Code::from_code(form.counting.trim()).unwrap_or(Counting::Best),
        grace_secs: grace * 60,
        review_after_submit: Code::from_code(form.review_after_submit.trim()).unwrap_or(ReviewLevel::Score),
        review_after_close: Code::from_code(form.review_after_close.trim()).unwrap_or(ReviewLevel::Full),
        prediction_question: form.prediction_question.clone(),
        prediction_metric: Code::from_code(form.prediction_metric.trim()).unwrap_or(PredictionMetric::Entries),
        prizes: prize_plan,
    };
    Ok(input)
}

pub fn to_form(s: &RoundInput) -> RoundForm {
    RoundForm {
        title: s.title.clone(),
        opens_at: crate::vn_time::local_input_of_secs(s.opens_at),
        closes_at: crate::vn_time::local_input_of_secs(s.closes_at),
        audience: s.audience.code().to_string(),
        draw_rules: super::draw_rules::to_text(&s.draw_rules),
        shuffle_questions: s.shuffle_questions.then(|| "on".into()),
        shuffle_options: s.shuffle_options.then(|| "on".into()),
        time_limit_minutes: (s.time_limit_secs / 60).to_string(),
        max_attempts: s.max_attempts.to_string(),
        counting: s.counting.code().to_string(),
        grace_minutes: (s.grace_secs / 60).to_string(),
        review_after_submit: s.review_after_submit.code().to_string(),
        review_after_close: s.review_after_close.code().to_string(),
        prediction_question: s.prediction_question.clone(),
        prediction_metric: s.prediction_metric.code().to_string(),
        prizes: crate::prizes::plan_text(&s.prizes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_read_as_shown_or_typed() {
        let cases = [("204", Some(204)), ("#204", Some(204)), (" # 204 ", Some(204)), ("", None), ("#", None), ("0", None), ("-3", None), ("abc", None), ("#20 4", None)];
        for (text, expected) in cases {
            assert_eq!(account_id(text), expected, "{text:?}");
        }
    }
    use crate::prizes::PrizeTier;


    #[test]
    fn lines_become_rules_and_prizes() {
        let form = RoundForm {
            title: "Đợt 1".into(),
            opens_at: "2026-11-22T08:00".into(),
            closes_at: "2026-11-29T17:00".into(),
            audience: "staff".into(),
            draw_rules: "10 | Thủ tục hành chính | Dễ\n5\n".into(),
            shuffle_questions: Some("on".into()),
            shuffle_options: None,
            time_limit_minutes: "20".into(),
            max_attempts: "2".into(),
            counting: "last".into(),
            grace_minutes: "5".into(),
            review_after_submit: "score".into(),
            review_after_close: "full".into(),
            prediction_question: "Bao nhiêu lượt?".into(),
            prediction_metric: "entries".into(),
            prizes: "Giải Nhất | 1\nGiải Khuyến khích | 10".into(),
        };
        let input = parse(&form).unwrap();
        assert_eq!(input.draw_rules, vec![DrawRule { count: 10, topic: "Thủ tục hành chính".into(), difficulty: "easy".into() }, DrawRule { count: 5, topic: "".into(), difficulty: "".into() }]);
        assert_eq!((input.time_limit_secs, input.grace_secs, input.counting, input.shuffle_options), (1200, 300, Counting::Last, false));
        assert_eq!(input.prizes[1], PrizeTier { name: "Giải Khuyến khích".into(), count: 10 });
        assert_eq!(input.closes_at - input.opens_at, 7 * 86_400 + 9 * 3600);
        let back = to_form(&input);
        assert_eq!(parse(&back).unwrap(), input);

        let bad = RoundForm { opens_at: "mai".into(), draw_rules: "mười câu".into(), prizes: "Giải Nhất".into(), ..form };
        let err = parse(&bad).unwrap_err();
        let fields = err.field_errors().unwrap();
        assert_eq!((fields["opens_at"].as_str(), fields["draw_rules"].as_str(), fields["prizes"].as_str()), ("err.datetime_format", "err.draw_rule_count:1", "err.prizes_format"));
    }
}
