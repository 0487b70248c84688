//! Moodle XML: a Moodle export (two categories, HTML in CDATA, true/false, an essay), the
//! rules for each question, refused types by line, broken files, and export → import.

use super::moodle_xml::{parse, write};
use crate::quiz::model::{DraftOption, DraftQuestion, QuestionKind};

const EXPORT: &str = include_str!("../../../../tests/fixtures/moodle/moodle-export.xml");

fn quiz(questions: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n{questions}\n</quiz>\n")
}

fn found(file: &str) -> (Vec<usize>, Vec<(usize, String)>) {
    let parsed = parse(file);
    (parsed.questions.iter().map(|q| q.line).collect(), parsed.errors.iter().map(|e| (e.line, e.message.clone())).collect())
}

#[test]
fn a_moodle_export_imports_by_category_and_refuses_the_essay_by_line() {
    let parsed = parse(EXPORT);
    use QuestionKind::*;
    let (tthc, cqs) = (Some("Thủ tục hành chính"), Some("Chính quyền số"));
    let got: Vec<_> = parsed.questions.iter().map(|q| (q.line, q.kind, q.topic.as_deref(), q.difficulty.as_deref())).collect();
    assert_eq!(got, vec![(15, Single, tthc, Some("easy")), (71, Multiple, tthc, None), (120, TrueFalse, tthc, None), (192, Single, cqs, None), (235, TrueFalse, cqs, None)]);
    let errors: Vec<_> = parsed.errors.iter().map(|e| (e.line, e.message.as_str(), e.detail.as_str())).collect();
    assert_eq!(errors, vec![(160, "err.gift_essay", "essay: Câu 4: Tự luận")]);
}

#[test]
fn html_in_the_export_becomes_clean_text() {
    let parsed = parse(EXPORT);
    let q = |line: usize| parsed.questions.iter().find(|q| q.line == line).unwrap();
    let texts = |line: usize| q(line).options.iter().map(|o| o.text.as_str()).collect::<Vec<_>>();
    assert_eq!(q(15).name.as_deref(), Some("Câu 1: Bộ phận Một cửa"));
    assert_eq!(q(15).text, "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa có nhiệm vụ gì?");
    assert_eq!(texts(15), vec!["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính", "Thẩm định hồ sơ", "Ban hành văn bản <quy phạm pháp luật>"]);
    assert_eq!(q(15).correct_options(), vec!["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính"]);
    assert_eq!(q(15).options[0].feedback.as_deref(), Some("Đúng & đủ."));
    assert_eq!(q(15).explanation.as_deref(), Some("Xem Điều 8 Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông."));
    assert_eq!(q(71).text, "Những kênh nào tiếp nhận phản ánh, kiến nghị của người dân?\n(chọn nhiều đáp án)");
    assert_eq!(q(71).correct_options(), vec!["Cổng Dịch vụ công quốc gia", "Đường dây nóng 1022"]);
    assert_eq!(q(71).options.iter().map(|o| o.weight).collect::<Vec<_>>(), vec![0.5, 0.5, -1.0]);
    assert_eq!(q(71).explanation, None);
    assert_eq!(q(120).correct_options(), vec!["Đúng"]);
    assert_eq!(q(120).options.iter().map(|o| o.feedback.as_deref()).collect::<Vec<_>>(), vec![Some("Chính xác !"), Some("Chưa đúng.")]);
    assert_eq!(q(120).explanation.as_deref(), Some("Trừ trường hợp văn bản quy phạm pháp luật quy định khác."));
    assert_eq!(q(192).text, "Chỉ số SIPAS đo lường điều gì?", "script content is dropped");
    assert_eq!(texts(192)[1], "Chỉ số <PAR INDEX>", "plain text is never read as HTML");
    assert_eq!(q(235).text, "Văn bản điện tử ký số có giá trị pháp lý như văn bản giấy.");
}

#[test]
fn rules_for_each_question() {
    let mc = |single: &str, answers: &[(&str, &str)]| {
        let answers: String = answers.iter().map(|(f, t)| format!("<answer fraction=\"{f}\" format=\"html\"><text><![CDATA[{t}]]></text></answer>")).collect();
        quiz(&format!("<question type=\"multichoice\">\n<questiontext format=\"html\"><text>Q?</text></questiontext><single>{single}</single>{answers}</question>"))
    };
    let tf = |yes: &str, no: &str| quiz(&format!("<question type=\"truefalse\">\n<questiontext><text>Q</text></questiontext><answer fraction=\"{yes}\"><text>true</text></answer><answer fraction=\"{no}\"><text>false</text></answer></question>"));
    let cases: Vec<(String, Result<Vec<&str>, &str>)> = vec![
        (mc("true", &[("100", "a"), ("0", "b")]), Ok(vec!["a"])),
        (mc("1", &[("50", "a"), ("100", "b"), ("0", "c")]), Ok(vec!["b"])),
        (mc("false", &[("33.33333", "a"), ("33.33333", "b"), ("33.33333", "c"), ("-100", "d")]), Ok(vec!["a", "b", "c"])),
        (mc("true", &[("100", "a"), ("100", "b")]), Err("err.xml_many_correct")),
        (mc("true", &[("50", "a"), ("0", "b")]), Err("err.no_correct_option")),
        (mc("false", &[("0", "a"), ("-50", "b")]), Err("err.no_correct_option")),
        (mc("true", &[("100", "a")]), Err("err.too_few_options")),
        (mc("true", &[("100", "a"), ("0", "<img src=\"x.png\">")]), Err("err.empty_option")),
        (tf("0", "100"), Ok(vec!["Sai"])),
        (tf("100", "100"), Err("err.xml_truefalse_answers")),
        (quiz("<question type=\"truefalse\">\n<questiontext><text>Q</text></questiontext><answer fraction=\"100\"><text>yes</text></answer></question>"), Err("err.xml_truefalse_answers")),
        (quiz("<question type=\"multichoice\">\n<questiontext format=\"html\"><text><![CDATA[<p> </p>]]></text></questiontext></question>"), Err("err.gift_no_text")),
        (quiz("<question type=\"multichoice\">\n<questiontext><text>Q</text></questiontext><answer fraction=\"100\"><text>a</text></answer><answer fraction=\"0\"><text>b</text></answer><tags><tag><text>difficulty:rất khó</text></tag></tags></question>"), Err("err.difficulty_unknown")),
    ];
    for (file, want) in cases {
        let parsed = parse(&file);
        match (parsed.questions.first(), parsed.errors.first(), want) {
            (Some(q), None, Ok(correct)) => assert_eq!(q.correct_options(), correct, "{file}"),
            (None, Some(e), Err(key)) => assert_eq!((e.line, e.message.as_str()), (3, key), "{file}"),
            (q, e, want) => panic!("{file}: got {q:?} / {e:?}, want {want:?}"),
        }
    }
}

#[test]
fn types_the_platform_cannot_hold_are_refused_by_line() {
    let types = ["essay", "matching", "shortanswer", "numerical", "description", "multianswer", "ddwtos", "calculated"];
    let file = quiz(&types.iter().map(|t| format!("<question type=\"{t}\">\n<name><text>{t} 1</text></name>\n</question>")).collect::<Vec<_>>().join("\n"));
    let (accepted, errors) = found(&file);
    assert!(accepted.is_empty());
    let keys = ["err.gift_essay", "err.gift_matching", "err.gift_short_answer", "err.gift_numerical", "err.xml_type_unsupported", "err.xml_type_unsupported", "err.xml_type_unsupported", "err.xml_type_unsupported"];
    let want: Vec<(usize, String)> = keys.iter().enumerate().map(|(i, k)| (3 + 3 * i, k.to_string())).collect();
    assert_eq!(errors, want);
}

#[test]
fn broken_files_are_refused_with_a_line() {
    let cases: Vec<(&str, (usize, &str))> = vec![
        ("<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"multichoice\">\n<name><text>x</name>\n</question>\n</quiz>", (4, "err.xml_invalid")),
        ("<quiz>\n<question type=\"truefalse\">\n<questiontext><text>a &nbsp; b</text></questiontext>\n</question>\n</quiz>", (3, "err.xml_invalid")),
        ("<quiz>\n<question type=\"truefalse\">\n", (2, "err.xml_invalid")),
        ("<?xml version=\"1.0\"?>\n\n<questions><question/></questions>", (3, "err.xml_not_quiz")),
        ("Câu hỏi?\nA. x\nANSWER: A", (1, "err.xml_not_quiz")),
    ];
    for (file, want) in cases {
        let (accepted, errors) = found(file);
        assert!(accepted.is_empty(), "{file}");
        assert_eq!(errors.iter().map(|(l, k)| (*l, k.as_str())).collect::<Vec<_>>(), vec![want], "{file}");
    }
    let deep = format!("<quiz>{}{}</quiz>", "<a>".repeat(200), "</a>".repeat(200));
    assert_eq!(found(&deep).1, vec![(1, "err.xml_invalid".to_string())]);
}

fn key(q: &DraftQuestion) -> impl PartialEq + std::fmt::Debug {
    (q.kind, q.topic.clone(), q.difficulty.clone(), q.name.clone(), q.text.clone(), q.explanation.clone(), q.options.iter().map(|o| (o.text.clone(), o.correct, o.feedback.clone())).collect::<Vec<_>>())
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let parsed = parse(EXPORT);
    let again = parse(&write(&parsed.questions));
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    assert_eq!(again.questions.iter().map(key).collect::<Vec<_>>(), parsed.questions.iter().map(key).collect::<Vec<_>>());

    let option = |text: &str, correct: bool, weight: f64| DraftOption { text: text.into(), correct, weight, feedback: None };
    let draft = |topic: Option<&str>, kind, text: &str, options| DraftQuestion { line: 0, name: None, text: text.into(), kind, options, explanation: Some("Giải thích: a < b & \"c\"".into()), topic: topic.map(String::from), difficulty: Some("hard".into()) };
    let bank = vec![
        draft(Some("Nghị định 61/2018"), QuestionKind::Single, "Dòng 1\nDòng 2 <b>không phải thẻ</b> & ký tự \u{1}lạ", vec![option("]]> x", true, 1.0), option("y", false, 0.0)]),
        draft(None, QuestionKind::Multiple, "Nhiều?", vec![option("a", true, 1.0 / 3.0), option("b", true, 1.0 / 3.0), option("c", true, 1.0 / 3.0), option("d", false, 0.0)]),
        draft(Some("Nghị định 61/2018"), QuestionKind::TrueFalse, "Đúng hay sai?", vec![option("Đúng", false, 0.0), option("Sai", true, 1.0)]),
    ];
    let xml = write(&bank);
    assert!(xml.contains("<text>$course$/top/Nghị định 61//2018</text>") && xml.contains("<text>difficulty:hard</text>"), "{xml}");
    let back = parse(&xml);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let texts: Vec<(Option<&str>, &str, Vec<&str>)> = back.questions.iter().map(|q| (q.topic.as_deref(), q.text.as_str(), q.correct_options())).collect();
    assert_eq!(texts, vec![
        (None, "Nhiều?", vec!["a", "b", "c"]),
        (Some("Nghị định 61/2018"), "Dòng 1\nDòng 2 <b>không phải thẻ</b> & ký tự lạ", vec!["]]> x"]),
        (Some("Nghị định 61/2018"), "Đúng hay sai?", vec!["Sai"]),
    ]);
    assert!(back.questions.iter().all(|q| q.difficulty.as_deref() == Some("hard") && q.explanation.as_deref() == Some("Giải thích: a < b & \"c\"")));
    assert_eq!(back.questions[0].name.as_deref(), Some("Nhiều?"), "a question without a name is named by its text");
}

#[test]
fn a_cut_file_never_panics_and_every_problem_is_on_a_line_of_the_file() {
    for (cut, _) in EXPORT.char_indices().step_by(7) {
        let part = &EXPORT[..cut];
        let parsed = parse(part);
        let last = part.lines().count().max(1);
        assert!(parsed.errors.iter().all(|e| (1..=last).contains(&e.line)), "cut at {cut}: {:?}", parsed.errors);
        assert!(parsed.questions.iter().all(|q| (1..=last).contains(&q.line)), "cut at {cut}");
        assert!(!parsed.questions.is_empty() || !parsed.errors.is_empty() || part.trim().is_empty() || !part.contains("<quiz>"), "cut at {cut}: nothing said");
    }
}
