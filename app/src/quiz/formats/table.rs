//! The spreadsheet format of the question bank (CSV or XLSX, with a downloadable template):
//! `Chủ đề, Loại câu hỏi, Độ khó, Câu hỏi, Phương án A … F, Đáp án đúng, Giải thích`, or the
//! same columns under their older English names (`topic, type, difficulty, question,
//! option_a … option_f, correct, explanation`). Kinds and difficulties may be written in
//! Vietnamese or as codes; `correct` lists option letters ("C", "ABD", "A, C"). Rows whose
//! first cell starts with `#` are notes (the CSV template lists the allowed values that way).

use crate::quiz::model::{DraftOption, DraftQuestion, ImportIssue, QuestionKind};

/// The columns by their internal names, in the files' order.
pub const HEADER: [&str; 12] = ["topic", "type", "difficulty", "question", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f", "correct", "explanation"];

/// The same columns as Vietnamese files head them (the template and the export).
pub const HEADER_VI: [&str; 12] =
    ["Chủ đề", "Loại câu hỏi", "Độ khó", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Phương án E", "Phương án F", "Đáp án đúng", "Giải thích"];

/// A header cell as typed, in either language, to its internal name.
fn column_name(header: &str) -> String {
    let folded = crate::text::fold(header);
    let vi = match folded.as_str() {
        "chu de" => Some("topic"),
        "loai cau hoi" | "loai" => Some("type"),
        "do kho" => Some("difficulty"),
        "cau hoi" | "noi dung cau hoi" | "noi dung" => Some("question"),
        "dap an dung" | "dap an" => Some("correct"),
        "giai thich" => Some("explanation"),
        _ => None,
    };
    if let Some(name) = vi {
        return name.to_string();
    }
    match folded.strip_prefix("phuong an ") {
        Some(letter) if letter.len() == 1 => format!("option_{letter}"),
        _ => folded.replace(' ', "_"),
    }
}

/// The Vietnamese name of a kind, as the template and the export write it.
pub fn kind_word(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "Một đáp án",
        QuestionKind::Multiple => "Nhiều đáp án",
        QuestionKind::TrueFalse => "Đúng/Sai",
    }
}

/// The Vietnamese name of a stored difficulty.
pub fn difficulty_word(code: &str) -> &str {
    match code {
        "easy" => "Dễ",
        "medium" => "Trung bình",
        "hard" => "Khó",
        other => other,
    }
}

/// The allowed values of the coded columns, for the template's notes.
pub fn allowed_values() -> Vec<(&'static str, String)> {
    vec![
        ("Loại câu hỏi", [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::TrueFalse].map(kind_word).join("; ")),
        ("Độ khó", crate::quiz::model::DIFFICULTIES.map(difficulty_word).join("; ")),
        ("Đáp án đúng", "Chữ cái của phương án đúng: A … F; nhiều đáp án viết liền hoặc cách nhau bằng dấu phẩy (A, C)".to_string()),
        ("Chủ đề", "Tự do; bỏ trống thì dùng chủ đề chọn khi nhập".to_string()),
    ]
}

/// The template's example row.
pub fn example_row() -> Vec<String> {
    let mut row: Vec<String> = ["Thủ tục hành chính", kind_word(QuestionKind::Single), "Dễ", "Bộ phận Một cửa có nhiệm vụ gì?",
        "Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính", "Thẩm định hồ sơ", "Ban hành văn bản quy phạm pháp luật", ""]
        .map(str::to_string)
        .to_vec();
    row.extend(["".to_string(), "".to_string(), "A".to_string(), "Theo Nghị định 61/2018/NĐ-CP.".to_string()]);
    row
}

/// The CSV template: Vietnamese headers, the example row, then the allowed values as notes.
pub fn csv_template() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER_VI);
    let _ = w.write_record(example_row());
    for (column, values) in allowed_values() {
        let _ = w.write_record([format!("# {column}: {values}")]);
    }
    // A UTF-8 mark so Excel opens the Vietnamese text as it is.
    format!("\u{feff}{}", String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
}

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
        "tf" | "true false" | "true_false" | "dung sai" | "dung/sai" | "dung / sai" => Some(QuestionKind::TrueFalse),
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
    ImportIssue { line, message: key.into(), detail: detail.chars().take(80).collect(), field: None }
}

/// A problem with one column's value: the value under its column, not the question's text.
fn bad_value(line: usize, key: &str, column: &str, value: &str) -> ImportIssue {
    ImportIssue { field: Some(column.to_string()), ..issue(line, key, value) }
}

pub fn parse(bytes: &[u8]) -> (Vec<TableQuestion>, Vec<ImportIssue>) {
    let rows = match crate::tabular::read(bytes) {
        Ok(rows) => rows,
        Err(key) => return (vec![], vec![issue(1, key, "")]),
    };
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else { return (vec![], vec![issue(1, "err.import_empty", "")]) };
    let header: Vec<String> = header.iter().map(|h| column_name(h.trim_start_matches('\u{feff}'))).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = ["type", "question", "correct"].into_iter().filter(|c| col(c).is_none()).collect();
    if let Some(first) = missing.first() {
        return (vec![], vec![issue(1, "err.import_missing_column", first)]);
    }
    let option_cols: Vec<usize> = header.iter().enumerate().filter(|(_, h)| h.starts_with("option_")).map(|(i, _)| i).collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) || cells.first().is_some_and(|c| c.trim_start().starts_with('#')) {
            continue;
        }
        let get = |name: &str| col(name).and_then(|i| cells.get(i)).map(|c| c.trim().to_string()).unwrap_or_default();
        let text = get("question");
        let Some(kind) = kind_of(&get("type")) else {
            errors.push(bad_value(line, "err.question_type_unknown", "type", &get("type")));
            continue;
        };
        let Some(difficulty) = difficulty_of(&get("difficulty")) else {
            errors.push(bad_value(line, "err.difficulty_unknown", "difficulty", &get("difficulty")));
            continue;
        };
        let options: Vec<String> = option_cols.iter().filter_map(|i| cells.get(*i)).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        let letters: Vec<usize> = get("correct").to_uppercase().chars().filter(|c| c.is_ascii_alphabetic()).map(|c| (c as u8 - b'A') as usize).collect();
        if letters.iter().any(|i| *i >= options.len()) {
            errors.push(bad_value(line, "err.correct_unknown", "correct", &get("correct")));
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

/// Rows for the export, in the import's own columns, kinds and difficulties in Vietnamese.
pub fn row_of(topic: &str, difficulty: &str, q: &DraftQuestion) -> Vec<String> {
    let mut row = vec![topic.to_string(), kind_word(q.kind).to_string(), difficulty_word(difficulty).to_string(), q.text.clone()];
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
        let got: Vec<(usize, &str, Option<&str>, &str)> = errors.iter().map(|e| (e.line, e.message.as_str(), e.field.as_deref(), e.detail.as_str())).collect();
        assert_eq!(got, vec![(2, "err.question_type_unknown", Some("type"), "essay"), (3, "err.difficulty_unknown", Some("difficulty"), "rất khó"), (4, "err.correct_unknown", Some("correct"), "D")]);
    }

    #[test]
    fn vietnamese_headers_and_values_read_like_the_english_ones() {
        let headers = [
            ("Chủ đề", "topic"), ("LOẠI CÂU HỎI", "type"), ("Độ khó", "difficulty"), ("Câu hỏi", "question"), ("Phương án A", "option_a"),
            ("phuong an f", "option_f"), ("Đáp án đúng", "correct"), ("Giải thích", "explanation"), ("option_b", "option_b"), ("Explanation", "explanation"),
        ];
        for (typed, name) in headers {
            assert_eq!(column_name(typed), name, "{typed:?}");
        }
        // The CSV template imports as its one example row; its notes are skipped.
        let (rows, errors) = parse(csv_template().as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].topic.as_str(), rows[0].difficulty.as_str(), rows[0].question.kind), ("Thủ tục hành chính", "easy", QuestionKind::Single));
        assert_eq!(rows[0].question.correct_options(), vec!["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính"]);
        assert!(csv_template().contains("# Độ khó: Dễ; Trung bình; Khó"));
        // An exported row reads back the same.
        for kind in [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::TrueFalse] {
            assert_eq!(kind_of(kind_word(kind)), Some(kind));
        }
        for code in crate::quiz::model::DIFFICULTIES {
            assert_eq!(difficulty_of(difficulty_word(code)), Some(code));
        }
    }
}
