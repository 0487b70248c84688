//! GIFT, Moodle's text format for questions. The platform takes multiple choice (one correct
//! answer, with optional partial-credit weights), multiple answers (no `=` answer, `%n%`
//! weights) and true/false. Short answer, matching, numerical, essay and description questions
//! are refused, each with its line, because the platform cannot score them.
//!
//! Questions are separated by blank lines; `//` lines are comments; `::name::` names a
//! question; `[markdown]`-style prefixes are accepted and dropped; `\~ \= \# \{ \} \\ \:` escape
//! control characters; `#text` after an answer is its feedback. A question with text after the
//! braces ("Grant is {…} in Grant's tomb.") becomes a fill-in-the-blank with `_____`.

use crate::quiz::model::{DraftOption, DraftQuestion, ImportIssue, ParsedFile, QuestionKind};

const ESCAPABLE: [char; 7] = ['~', '=', '#', '{', '}', '\\', ':'];

/// Resolves escapes: `\=` → `=`, `\n` → a line break, other pairs kept as they are.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&n) if ESCAPABLE.contains(&n) => {
                    out.push(n);
                    chars.next();
                }
                Some('n') => {
                    out.push('\n');
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte positions of unescaped occurrences of `target` in `s`.
fn unescaped_positions(s: &str, target: char) -> Vec<usize> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == target {
            out.push(i);
        }
    }
    out
}

fn find_unescaped(s: &str, target: char) -> Option<usize> {
    unescaped_positions(s, target).into_iter().next()
}

fn contains_unescaped_arrow(s: &str) -> bool {
    unescaped_positions(s, '-').into_iter().any(|i| s[i + 1..].starts_with('>'))
}

fn issue(line: usize, key: &str, detail: &str) -> ImportIssue {
    let detail: String = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    let detail = if detail.chars().count() > 80 { format!("{}…", detail.chars().take(80).collect::<String>()) } else { detail };
    ImportIssue { line, message: key.to_string(), detail }
}

/// Splits the file into question blocks with the line each starts on.
fn blocks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim_start().starts_with("//") {
            continue;
        }
        if line.trim().is_empty() {
            if let Some(block) = current.take() {
                out.push(block);
            }
            continue;
        }
        match &mut current {
            Some((_, body)) => {
                body.push('\n');
                body.push_str(line);
            }
            None => current = Some((i + 1, line.to_string())),
        }
    }
    out.extend(current);
    out
}

/// One `~`/`=` answer: its marker, weight, text and feedback.
struct Answer {
    exact: bool,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
}

fn split_answers(body: &str) -> Vec<Answer> {
    let mut starts: Vec<usize> = unescaped_positions(body, '~');
    starts.extend(unescaped_positions(body, '='));
    starts.sort_unstable();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(body.len());
            let exact = body[start..].starts_with('=');
            let mut rest = &body[start + 1..end];
            let mut weight = None;
            let trimmed = rest.trim_start();
            if let Some(after) = trimmed.strip_prefix('%') {
                if let Some(close) = after.find('%') {
                    weight = after[..close].trim().parse::<f64>().ok().map(|w| w / 100.0);
                    rest = &after[close + 1..];
                }
            }
            let (text, feedback) = match find_unescaped(rest, '#') {
                Some(i) => (&rest[..i], Some(unescape(rest[i + 1..].trim()))),
                None => (rest, None),
            };
            Answer { exact, weight, text: unescape(text.trim()), feedback: feedback.filter(|f| !f.is_empty()) }
        })
        .collect()
}

fn parse_block(line: usize, block: &str) -> Result<DraftQuestion, ImportIssue> {
    let mut rest = block.trim();
    let mut name = None;
    if let Some(after) = rest.strip_prefix("::") {
        if let Some(end) = after.find("::") {
            name = Some(unescape(after[..end].trim()));
            rest = after[end + 2..].trim_start();
        }
    }
    if rest.starts_with('[') {
        if let Some(end) = rest.find(']') {
            let format = &rest[1..end];
            if ["markdown", "html", "plain", "moodle"].contains(&format) {
                rest = &rest[end + 1..];
            }
        }
    }
    let Some(open) = find_unescaped(rest, '{') else {
        return Err(issue(line, "err.gift_no_answers", rest));
    };
    let Some(close_rel) = find_unescaped(&rest[open + 1..], '}') else {
        return Err(issue(line, "err.gift_unclosed", rest));
    };
    let close = open + 1 + close_rel;
    let before = &rest[..open];
    let body = rest[open + 1..close].trim();
    let after = rest[close + 1..].trim();
    let text = if after.is_empty() || after == "." && before.trim_end().ends_with(['?', ':']) {
        unescape(before.trim())
    } else {
        format!("{}_____{}", unescape(before.trim_start()), unescape(rest[close + 1..].trim_end()))
    };
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(issue(line, "err.gift_no_text", block));
    }

    let upper = body.split('#').next().unwrap_or("").trim().to_uppercase();
    if body.is_empty() {
        return Err(issue(line, "err.gift_essay", &text));
    }
    if body.starts_with('#') {
        return Err(issue(line, "err.gift_numerical", &text));
    }
    if matches!(upper.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let truth = upper.starts_with('T');
        let explanation = find_unescaped(body, '#').map(|i| unescape(body[i + 1..].split('#').next().unwrap_or("").trim())).filter(|s| !s.is_empty());
        let option = |label: &str, correct: bool| DraftOption { text: label.into(), correct, weight: if correct { 1.0 } else { 0.0 }, feedback: None };
        return Ok(DraftQuestion { line, name, text, kind: QuestionKind::TrueFalse, options: vec![option("Đúng", truth), option("Sai", !truth)], explanation });
    }
    if contains_unescaped_arrow(body) {
        return Err(issue(line, "err.gift_matching", &text));
    }
    let answers = split_answers(body);
    let has_wrong_marker = answers.iter().any(|a| !a.exact);
    if !has_wrong_marker {
        return Err(issue(line, "err.gift_short_answer", &text));
    }
    let exact = answers.iter().filter(|a| a.exact).count();
    // Moodle's rule: an `=` answer makes it a one-answer question; without one, the `%n%`
    // weights say which of several answers are right.
    let kind = if exact > 0 { QuestionKind::Single } else { QuestionKind::Multiple };
    if exact > 1 {
        return Err(issue(line, "err.gift_many_correct", &text));
    }
    let options: Vec<DraftOption> = answers
        .into_iter()
        .map(|a| {
            let weight = a.weight.unwrap_or(if a.exact { 1.0 } else { 0.0 });
            let correct = if kind == QuestionKind::Single { a.exact } else { weight > 0.0 };
            DraftOption { text: a.text, correct, weight, feedback: a.feedback }
        })
        .collect();
    if options.len() < 2 {
        return Err(issue(line, "err.too_few_options", &text));
    }
    if options.iter().any(|o| o.text.is_empty()) {
        return Err(issue(line, "err.empty_option", &text));
    }
    if !options.iter().any(|o| o.correct) {
        return Err(issue(line, "err.no_correct_option", &text));
    }
    Ok(DraftQuestion { line, name, text, kind, options, explanation: None })
}

pub fn parse(text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    for (line, block) in blocks(text.trim_start_matches('\u{feff}')) {
        match parse_block(line, &block) {
            Ok(q) => parsed.questions.push(q),
            Err(e) => parsed.errors.push(e),
        }
    }
    parsed
}

/// Writes questions back as GIFT (the bank's export), escaping control characters.
pub fn write(questions: &[DraftQuestion]) -> String {
    let esc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if ESCAPABLE.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    };
    let mut out = String::new();
    for q in questions {
        if let Some(name) = &q.name {
            out.push_str(&format!("::{}::", esc(name)));
        }
        out.push_str(&esc(&q.text));
        match q.kind {
            QuestionKind::TrueFalse => {
                let truth = q.options.first().is_some_and(|o| o.correct);
                out.push_str(if truth { "{TRUE" } else { "{FALSE" });
                if let Some(e) = &q.explanation {
                    out.push_str(&format!("#{}", esc(e)));
                }
                out.push('}');
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                out.push_str(" {\n");
                for o in &q.options {
                    let marker = match (q.kind, o.correct, o.weight) {
                        (QuestionKind::Single, true, _) => "=".to_string(),
                        (_, _, w) if w == 0.0 => "~".to_string(),
                        (_, _, w) => format!("~%{}%", (w * 100.0).round()),
                    };
                    out.push_str(&format!("  {marker}{}", esc(&o.text)));
                    if let Some(f) = &o.feedback {
                        out.push_str(&format!("#{}", esc(f)));
                    }
                    out.push('\n');
                }
                out.push('}');
            }
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLES: &str = include_str!("../../../../tests/fixtures/moodle/gift-examples.txt");

    #[test]
    fn moodle_examples_accept_what_the_platform_scores_and_refuse_the_rest_by_line() {
        let parsed = parse(EXAMPLES);
        let accepted: Vec<(usize, QuestionKind)> = parsed.questions.iter().map(|q| (q.line, q.kind)).collect();
        use QuestionKind::*;
        assert_eq!(accepted, vec![
            (8, Single), (10, Single), (12, TrueFalse), (25, Single), (27, Single), (29, Single), (35, Single),
            (49, TrueFalse), (51, TrueFalse), (93, Single), (98, Single), (113, TrueFalse), (115, Single), (117, Single),
            (130, Multiple), (136, Multiple), (143, Single), (148, Single),
        ]);
        let refused: Vec<(usize, &str)> = parsed.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(refused, vec![
            (14, "err.gift_short_answer"), (16, "err.gift_numerical"), (43, "err.gift_short_answer"), (45, "err.gift_short_answer"),
            (55, "err.gift_matching"), (61, "err.gift_matching"), (70, "err.gift_numerical"), (72, "err.gift_numerical"),
            (74, "err.gift_numerical"), (76, "err.gift_numerical"), (85, "err.gift_numerical"), (90, "err.gift_short_answer"),
            (103, "err.gift_short_answer"), (108, "err.gift_short_answer"), (123, "err.gift_short_answer"),
        ]);
    }

    fn at(parsed: &ParsedFile, line: usize) -> &DraftQuestion {
        parsed.questions.iter().find(|q| q.line == line).expect("question at line")
    }

    #[test]
    fn details_of_the_documented_examples() {
        let parsed = parse(EXAMPLES);
        let q = at(&parsed, 8);
        assert_eq!(q.text, "Who's buried in Grant's tomb?");
        assert_eq!(q.correct_options(), vec!["no one"]);
        assert_eq!(q.options.len(), 3);

        assert_eq!(at(&parsed, 10).text, "Grant is _____ in Grant's tomb.");
        assert_eq!(at(&parsed, 29).text, "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.");
        assert_eq!(at(&parsed, 29).correct_options(), vec!["fourth"]);
        assert_eq!(at(&parsed, 12).correct_options(), vec!["Sai"]);
        assert_eq!(at(&parsed, 51).correct_options(), vec!["Đúng"]);

        let named = at(&parsed, 93);
        assert_eq!(named.name.as_deref(), Some("Thanksgiving Date"));

        let feedback = at(&parsed, 98);
        assert_eq!(feedback.options[2].feedback.as_deref(), Some("Very good!"));
        assert_eq!(at(&parsed, 113).explanation.as_deref(), Some("No one is buried in Grant's tomb."));

        let partial = at(&parsed, 115);
        assert_eq!(partial.options.iter().map(|o| o.weight).collect::<Vec<_>>(), vec![0.0, 0.5, 1.0]);
        assert_eq!(partial.correct_options(), vec!["full credit answer"]);
        assert_eq!(at(&parsed, 117).text, "Jesus Christ was from _____.");

        let multi = at(&parsed, 136);
        assert_eq!(multi.correct_options(), vec!["Grant", "Grant's wife"]);
        assert_eq!(multi.options[0].weight, -0.5);

        let escapes = at(&parsed, 143);
        assert_eq!(escapes.options.iter().map(|o| o.text.as_str()).collect::<Vec<_>>(), vec!["= 2 + 2", "= 2 + 3", "= 2 + 4"]);
        assert_eq!(escapes.correct_options(), vec!["= 2 + 3"]);

        let control = at(&parsed, 148);
        assert_eq!(control.name.as_deref(), Some("GIFT Control Characters"));
        assert_eq!(control.options.iter().map(|o| o.text.as_str()).collect::<Vec<_>>(), vec!["~", "=", "#", "{", "}", "\\"]);
        assert_eq!(control.correct_options(), vec!["\\"]);
        assert!(control.options[5].feedback.as_deref().unwrap().starts_with("Correct! \\ (backslash)"));
    }

    #[test]
    fn export_round_trips() {
        let parsed = parse(EXAMPLES);
        let again = parse(&write(&parsed.questions));
        assert!(again.errors.is_empty(), "{:?}", again.errors);
        assert_eq!(again.questions.len(), parsed.questions.len());
        for (a, b) in parsed.questions.iter().zip(&again.questions) {
            assert_eq!((a.kind, &a.text, a.correct_options()), (b.kind, &b.text, b.correct_options()));
        }
    }

    #[test]
    fn vietnamese_questions() {
        let parsed = parse("::CCHC::Chỉ số SIPAS đo lường nội dung gì? {\n~Năng lực cạnh tranh\n=Mức độ hài lòng của người dân#Đúng, SIPAS là chỉ số hài lòng.\n}");
        assert_eq!(parsed.questions[0].correct_options(), vec!["Mức độ hài lòng của người dân"]);
    }
}
