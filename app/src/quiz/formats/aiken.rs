//! Aiken, Moodle's simplest format: a question line, options `A) …` or `A. …` (the space after
//! the letter is optional), then `ANSWER: X`. Text is kept exactly as written: something that
//! looks like HTML is text to show, never markup to render.

use crate::quiz::model::{DraftOption, DraftQuestion, ImportIssue, ParsedFile, QuestionKind};

struct Pending {
    line: usize,
    text: String,
    options: Vec<(char, String)>,
}

fn option_of(line: &str) -> Option<(char, String)> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    let sep = chars.next()?;
    if letter.is_ascii_uppercase() && (sep == ')' || sep == '.') {
        Some((letter, chars.as_str().trim().to_string()))
    } else {
        None
    }
}

fn issue(line: usize, key: &str, detail: &str) -> ImportIssue {
    ImportIssue { line, message: key.into(), detail: detail.chars().take(80).collect(), field: None }
}

pub fn parse(text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    let mut pending: Option<Pending> = None;
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(answer) = line.strip_prefix("ANSWER:") {
            let Some(q) = pending.take() else {
                parsed.errors.push(issue(n, "err.aiken_not_started", line));
                continue;
            };
            if q.options.len() < 2 {
                parsed.errors.push(issue(n, "err.too_few_options", &q.text));
                continue;
            }
            let letter = answer.trim().chars().next().unwrap_or(' ');
            if answer.trim().chars().count() != 1 || !q.options.iter().any(|(l, _)| *l == letter) {
                parsed.errors.push(issue(n, "err.aiken_answer_unknown", answer.trim()));
                continue;
            }
            let options = q.options.into_iter().map(|(l, text)| DraftOption { text, correct: l == letter, weight: if l == letter { 1.0 } else { 0.0 }, feedback: None }).collect();
            parsed.questions.push(DraftQuestion { line: q.line, name: None, text: q.text, kind: QuestionKind::Single, options, explanation: None, topic: None, difficulty: None });
            continue;
        }
        if let Some((letter, option)) = option_of(line) {
            match &mut pending {
                Some(q) => q.options.push((letter, option)),
                None => parsed.errors.push(issue(n, "err.aiken_not_started", line)),
            }
            continue;
        }
        match &mut pending {
            // More question text before the first option.
            Some(q) if q.options.is_empty() => {
                q.text.push('\n');
                q.text.push_str(line);
            }
            Some(q) => {
                parsed.errors.push(issue(n, "err.aiken_not_finished", &q.text));
                pending = Some(Pending { line: n, text: line.to_string(), options: Vec::new() });
            }
            None => pending = Some(Pending { line: n, text: line.to_string(), options: Vec::new() }),
        }
    }
    if let Some(q) = pending {
        parsed.errors.push(issue(q.line, "err.aiken_not_finished", &q.text));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moodle_questions_fixture() {
        let parsed = parse(include_str!("../../../../tests/fixtures/moodle/aiken-questions.txt"));
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.questions.len(), 2);
        assert_eq!(parsed.questions[0].options.len(), 4);
        assert_eq!(parsed.questions[0].correct_options(), vec!["Martin Dougiamas"]);
        assert_eq!(parsed.questions[1].options.len(), 2);
        assert_eq!(parsed.questions[1].correct_options(), vec!["True"]);
        assert_eq!(parsed.questions[1].text, "Moodle's abilities include handling user input that includes <html class=\"cool\"> & images:");
    }

    #[test]
    fn moodle_errors_fixture_reports_each_problem_by_line() {
        let parsed = parse(include_str!("../../../../tests/fixtures/moodle/aiken-errors.txt"));
        let good: Vec<(&str, Vec<&str>)> = parsed.questions.iter().map(|q| (q.text.as_str(), q.correct_options())).collect();
        assert_eq!(good, vec![("A good question", vec!["Correct"]), ("A second good question", vec!["Correct (No space)"])]);
        let errors: Vec<(usize, &str)> = parsed.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(errors, vec![(3, "err.too_few_options"), (5, "err.aiken_not_started"), (7, "err.aiken_not_started"), (18, "err.aiken_not_finished")]);
    }
}
