//! GIFT, Moodle's text format for questions. The platform takes multiple choice (one correct
//! answer, with optional partial-credit weights), multiple answers (no `=` answer, `%n%`
//! weights) and true/false. Short answer, matching, numerical, essay and description questions
//! are refused, each with its line, because the platform cannot score them.
//!
//! Questions are separated by blank lines; `//` lines are comments (Moodle's exports write
//! `// question: 123  name: …` there); `::name::` names a question; `\~ \= \# \{ \} \\ \:`
//! escape control characters and `\n` is a line break; `#text` after an answer is its feedback
//! and `####text` the question's general feedback (its explanation). A question with text after
//! the braces ("Grant is {…} in Grant's tomb.") becomes a fill-in-the-blank with `_____`.
//!
//! `[html]`, `[moodle]`, `[plain]` and `[markdown]` before question text, an answer or a
//! feedback give its format and are dropped; answers and feedback without one take the
//! question's, as in Moodle. HTML becomes plain text (see [`markup`]). `$CATEGORY: path` lines,
//! which start Moodle's exports, set the topic of the questions after them (see
//! [`topic_of_category`]).

use super::markup::{self, Markup};
use super::topic_of_category;
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
    ImportIssue { line, message: key.to_string(), detail, field: None }
}

/// A question block with the line it starts on, or a `$CATEGORY:` line's path.
enum Block {
    Question(usize, String),
    Category(String),
}

/// Splits the file into question blocks and category switches.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim_start().starts_with("//") {
            continue;
        }
        if let Some(path) = line.trim_start().strip_prefix("$CATEGORY:") {
            out.extend(current.take().map(|(n, b)| Block::Question(n, b)));
            out.push(Block::Category(path.to_string()));
            continue;
        }
        if line.trim().is_empty() {
            if let Some((n, block)) = current.take() {
                out.push(Block::Question(n, block));
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
    out.extend(current.map(|(n, b)| Block::Question(n, b)));
    out
}

/// The plain text of a piece of GIFT: escapes resolved, its own format marker or else the
/// question's format applied.
fn formatted(raw: &str, default: Markup) -> String {
    let text = unescape(raw);
    let (markup, rest) = markup::split_marker(&text);
    markup::to_text(markup.unwrap_or(default), rest)
}

/// Where the general feedback (`####text`) starts in the answers, if it is there.
fn general_feedback_at(body: &str) -> Option<usize> {
    unescaped_positions(body, '#').into_iter().find(|&i| body[i..].starts_with("####"))
}

/// One `~`/`=` answer: its marker, weight, text and feedback.
struct Answer {
    exact: bool,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
}

fn split_answers(body: &str, markup: Markup) -> Vec<Answer> {
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
                Some(i) => (&rest[..i], Some(formatted(&rest[i + 1..], markup))),
                None => (rest, None),
            };
            Answer { exact, weight, text: formatted(text, markup), feedback: feedback.filter(|f| !f.is_empty()) }
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
    let (markup, after_marker) = markup::split_marker(rest);
    let markup = markup.unwrap_or(Markup::Moodle);
    rest = after_marker;
    let Some(open) = find_unescaped(rest, '{') else {
        return Err(issue(line, "err.gift_no_answers", rest));
    };
    let Some(close_rel) = find_unescaped(&rest[open + 1..], '}') else {
        return Err(issue(line, "err.gift_unclosed", rest));
    };
    let close = open + 1 + close_rel;
    let before = &rest[..open];
    let mut body = rest[open + 1..close].trim();
    let after = &rest[close + 1..];
    let lead = markup::to_text(markup, &unescape(before));
    let tail = markup::to_text(markup, &unescape(after));
    let text = if tail.is_empty() || tail == "." && lead.ends_with(['?', ':']) {
        lead
    } else {
        markup::to_text(markup, &format!("{}_____{}", unescape(before.trim_start()), unescape(after.trim_end())))
    };
    if text.is_empty() {
        return Err(issue(line, "err.gift_no_text", block));
    }
    let mut general = None;
    if let Some(at) = general_feedback_at(body) {
        general = Some(formatted(&body[at + 4..], markup)).filter(|g| !g.is_empty());
        body = body[..at].trim();
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
        // The general feedback explains; without it, the first feedback (Moodle's: the one for
        // a wrong answer) does.
        let hashes = unescaped_positions(body, '#');
        let first = hashes.first().map(|&i| formatted(&body[i + 1..hashes.get(1).copied().unwrap_or(body.len())], markup)).filter(|s| !s.is_empty());
        let option = |label: &str, correct: bool| DraftOption { text: label.into(), correct, weight: if correct { 1.0 } else { 0.0 }, feedback: None };
        let options = vec![option("Đúng", truth), option("Sai", !truth)];
        return Ok(DraftQuestion { line, name, text, kind: QuestionKind::TrueFalse, options, explanation: general.or(first), topic: None, difficulty: None });
    }
    if contains_unescaped_arrow(body) {
        return Err(issue(line, "err.gift_matching", &text));
    }
    let answers = split_answers(body, markup);
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
    Ok(DraftQuestion { line, name, text, kind, options, explanation: general, topic: None, difficulty: None })
}

pub fn parse(text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    let mut topic = None;
    for block in blocks(text.trim_start_matches('\u{feff}')) {
        match block {
            Block::Category(path) => topic = topic_of_category(&path),
            Block::Question(line, block) => match parse_block(line, &block) {
                Ok(q) => parsed.questions.push(DraftQuestion { topic: topic.clone(), ..q }),
                Err(e) => parsed.errors.push(e),
            },
        }
    }
    parsed
}

/// Writes questions back as GIFT (the bank's export), escaping control characters and line
/// breaks; a `$CATEGORY:` line before each topic's questions keeps the topics (questions without
/// one come first, under none).
pub fn write(questions: &[DraftQuestion]) -> String {
    let esc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if ESCAPABLE.contains(&c) {
                out.push('\\');
            }
            if c == '\n' {
                out.push_str("\\n");
            } else if c != '\r' {
                out.push(c);
            }
        }
        out
    };
    // Text that itself starts with "[html]" and the like is marked as written, so it reads back
    // the same.
    let text = |s: &str| if markup::split_marker(s).0.is_some() { format!("[moodle]{}", esc(s)) } else { esc(s) };
    let mut out = String::new();
    let mut topic: Option<&str> = None;
    for q in super::grouped_by_topic(questions) {
        let this = q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if this.is_some() && this != topic {
            out.push_str(&format!("$CATEGORY: {}\n\n", super::category_of_topic(this.unwrap_or(""))));
            topic = this;
        }
        if let Some(name) = &q.name {
            out.push_str(&format!("::{}::", esc(name)));
        }
        out.push_str(&text(&q.text));
        // The explanation is Moodle's general feedback.
        let general = q.explanation.as_deref().filter(|e| !e.is_empty()).map(|e| format!("####{}", text(e)));
        match q.kind {
            QuestionKind::TrueFalse => {
                let truth = q.options.first().is_some_and(|o| o.correct);
                out.push_str(if truth { "{TRUE" } else { "{FALSE" });
                out.push_str(general.as_deref().unwrap_or(""));
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
                    out.push_str(&format!("  {marker}{}", text(&o.text)));
                    if let Some(f) = &o.feedback {
                        out.push_str(&format!("#{}", text(f)));
                    }
                    out.push('\n');
                }
                if let Some(g) = &general {
                    out.push_str(&format!("  {g}\n"));
                }
                out.push('}');
            }
        }
        out.push_str("\n\n");
    }
    out
}
