//! The spreadsheet format of the question bank (CSV or XLSX, with a downloadable template):
//! `topic, type, difficulty, question, option_a … option_f, correct, explanation`. `type` is
//! single, multi or tf (Vietnamese names accepted); `correct` lists option letters ("C",
//! "ABD", "A, C").

use crate::quiz::model::{DraftOption, DraftQuestion, ImportIssue, QuestionKind};

pub const HEADER: [&str; 12] = ["topic", "type", "difficulty", "question", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f", "correct", "explanation"];

/// A table row: the question plus its topic and difficulty, which GIFT and Aiken do not carry.
pub struct TableQuestion {
    pub question: DraftQuestion,
    pub topic: String,
    pub difficulty: String,
}

fn kind_of(text: &str) -> Option<QuestionKind> {
    match crate::text::fold(text).as_str() {
        "single" | "mot dap an" | "1" => Some(QuestionKind::Single),
        "multi" | "multiple" | "nhieu dap an" => Some(QuestionKind::Multiple),
        "tf" | "true false" | "dung sai" | "dung/sai" => Some(QuestionKind::TrueFalse),
        _ => None,
    }
}

/// A difficulty as people write it (English codes or Vietnamese, accents optional).
pub(crate) fn difficulty_of(text: &str) -> Option<&'static str> {
    match crate::text::fold(text).as_str() {
        "" | "medium" | "trung binh" => Some("medium"),
        "easy" | "de" => Some("easy"),
        "hard" | "kho" => Some("hard"),
        _ => None,
    }
}

fn issue(line: usize, key: &str, detail: &str) -> ImportIssue {
    ImportIssue { line, message: key.into(), detail: detail.chars().take(80).collect() }
}

pub fn parse(bytes: &[u8]) -> (Vec<TableQuestion>, Vec<ImportIssue>) {
    let rows = match crate::tabular::read(bytes) {
        Ok(rows) => rows,
        Err(key) => return (vec![], vec![issue(1, key, "")]),
    };
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else { return (vec![], vec![issue(1, "err.import_empty", "")]) };
    let header: Vec<String> = header.iter().map(|h| crate::text::fold(h).replace(' ', "_")).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = ["type", "question", "correct"].into_iter().filter(|c| col(c).is_none()).collect();
    if let Some(first) = missing.first() {
        return (vec![], vec![issue(1, "err.import_missing_column", first)]);
    }
    let option_cols: Vec<usize> = header.iter().enumerate().filter(|(_, h)| h.starts_with("option_")).map(|(i, _)| i).collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| col(name).and_then(|i| cells.get(i)).map(|c| c.trim().to_string()).unwrap_or_default();
        let text = get("question");
        let Some(kind) = kind_of(&get("type")) else {
            errors.push(issue(line, "err.question_type_unknown", &get("type")));
            continue;
        };
        let Some(difficulty) = difficulty_of(&get("difficulty")) else {
            errors.push(issue(line, "err.difficulty_unknown", &get("difficulty")));
            continue;
        };
        let options: Vec<String> = option_cols.iter().filter_map(|i| cells.get(*i)).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        let letters: Vec<usize> = get("correct").to_uppercase().chars().filter(|c| c.is_ascii_alphabetic()).map(|c| (c as u8 - b'A') as usize).collect();
        if letters.iter().any(|i| *i >= options.len()) {
            errors.push(issue(line, "err.correct_unknown", &get("correct")));
            continue;
        }
        let draft = DraftQuestion {
            line,
            name: None,
            text,
            kind,
            options: options.into_iter().enumerate().map(|(i, text)| {
                let correct = letters.contains(&i);
                DraftOption { text, correct, weight: if correct { 1.0 } else { 0.0 }, feedback: None }
            }).collect(),
            explanation: Some(get("explanation")).filter(|e| !e.is_empty()),
            topic: None,
            difficulty: None,
        };
        out.push(TableQuestion { question: draft, topic: get("topic"), difficulty: difficulty.into() });
    }
    (out, errors)
}

/// Rows for the export and the template, in the import's own columns.
pub fn row_of(topic: &str, difficulty: &str, q: &DraftQuestion) -> Vec<String> {
    let mut row = vec![topic.to_string(), crate::codes::Code::code(q.kind).to_string(), difficulty.to_string(), q.text.clone()];
    for i in 0..6 {
        row.push(q.options.get(i).map(|o| o.text.clone()).unwrap_or_default());
    }
    row.push(q.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| (b'A' + i as u8) as char).collect());
    row.push(q.explanation.clone().unwrap_or_default());
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_demo_questions_import_cleanly() {
        let (questions, errors) = parse(include_bytes!("../../../../server/seed/demo-questions-cchc.csv"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(questions.len(), 24);
        let first = &questions[0];
        assert_eq!(first.topic, "Chương trình tổng thể CCHC");
        assert_eq!(first.question.correct_options(), vec!["2021 - 2030"]);
        let multi = questions.iter().find(|q| q.question.kind == QuestionKind::Multiple).unwrap();
        assert!(multi.question.correct_options().len() >= 2);
        let tf = questions.iter().find(|q| q.question.kind == QuestionKind::TrueFalse).unwrap();
        assert_eq!(tf.question.options.len(), 2);
    }

    #[test]
    fn bad_rows_are_reported_by_line() {
        let csv = "topic,type,difficulty,question,option_a,option_b,correct\nA,essay,easy,Q1,x,y,A\nA,single,rất khó,Q2,x,y,A\nA,single,easy,Q3,x,y,D\n";
        let (ok, errors) = parse(csv.as_bytes());
        assert!(ok.is_empty());
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(got, vec![(2, "err.question_type_unknown"), (3, "err.difficulty_unknown"), (4, "err.correct_unknown")]);
    }
}
