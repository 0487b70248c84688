//! GIFT: Moodle's documented examples, its exports (`$CATEGORY:` lines, `[html]` text) and the
//! bank's own export read back.

use super::gift::{parse, write};
use crate::quiz::model::{DraftQuestion, ParsedFile, QuestionKind};

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

const MOODLE_EXPORT: &str = include_str!("../../../../tests/fixtures/moodle/gift-moodle-export.txt");

#[test]
fn a_moodle_export_imports_with_its_categories_as_topics() {
    let parsed = parse(MOODLE_EXPORT);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let got: Vec<(usize, QuestionKind, Option<&str>)> = parsed.questions.iter().map(|q| (q.line, q.kind, q.topic.as_deref())).collect();
    use QuestionKind::*;
    let (tthc, cqs) = (Some("Thủ tục hành chính"), Some("Chính quyền số"));
    assert_eq!(got, vec![(11, Single, tthc), (21, TrueFalse, tthc), (25, Multiple, tthc), (37, Single, cqs), (45, Single, cqs), (52, Single, cqs), (63, TrueFalse, None)]);
}

#[test]
fn moodle_export_text_is_clean_plain_text() {
    let parsed = parse(MOODLE_EXPORT);
    let q = |line: usize| at(&parsed, line);
    let texts = |line: usize| q(line).options.iter().map(|o| o.text.as_str()).collect::<Vec<_>>();
    // (line, name, text, explanation)
    let cases: Vec<(usize, Option<&str>, &str, Option<&str>)> = vec![
        (11, Some("Câu 1: Bộ phận Một cửa"), "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa có nhiệm vụ gì?", Some("Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông.")),
        (21, Some("Câu 2: Thời hạn"), "Thời hạn giải quyết thủ tục hành chính được tính theo ngày làm việc.", Some("Trừ trường hợp văn bản quy phạm pháp luật quy định khác.")),
        (25, Some("Câu 3: Kênh tiếp nhận phản ánh"), "Những kênh nào tiếp nhận phản ánh, kiến nghị của người dân?\n(chọn nhiều đáp án)", None),
        (37, Some("Câu 4: SIPAS"), "Chỉ số SIPAS đo lường điều gì?", None),
        (45, Some("Câu 5: Chương trình"), "Chương trình 'Chính quyền số' của thành phố hướng tới điều gì?", None),
        (52, Some("Câu 6: Văn bản"), "Văn bản nào phê duyệt **Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số**?", None),
        (63, Some("Câu 7: Cơ quan thường trực"), "Sở Nội vụ là cơ quan thường trực về cải cách hành chính của thành phố.", Some("Sở Nội vụ tham mưu… và là cơ quan thường trực.")),
    ];
    for (line, name, text, explanation) in cases {
        assert_eq!((q(line).name.as_deref(), q(line).text.as_str(), q(line).explanation.as_deref()), (name, text, explanation), "line {line}");
    }
    assert_eq!(texts(11), vec!["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính", "Thẩm định hồ sơ", "Ban hành văn bản <quy phạm pháp luật>", "Thu phí & lệ phí thay cơ quan thuế"]);
    assert_eq!(q(11).correct_options(), vec!["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính"]);
    assert_eq!(q(11).options[1].feedback.as_deref(), Some("Chưa đúng – việc thẩm định do cơ quan chuyên môn thực hiện."));
    assert_eq!(q(21).correct_options(), vec!["Đúng"]);
    assert_eq!(texts(25), vec!["Cổng Dịch vụ công quốc gia", "Đường dây nóng 1022\ncủa thành phố", "Trang mạng xã hội cá nhân của cán bộ"]);
    assert_eq!(q(25).options.iter().map(|o| o.weight).collect::<Vec<_>>(), vec![0.5, 0.5, -1.0]);
    assert_eq!(q(25).options[2].feedback.as_deref(), Some("Không phải kênh chính thức."));
    // `[plain]` text is never read as HTML; script content is dropped.
    assert_eq!(texts(37), vec!["Sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", "Năng lực cạnh tranh cấp tỉnh", "Chỉ số <PAR INDEX>"]);
    assert_eq!(texts(45), vec!["Phục vụ người dân và doanh nghiệp tốt hơn", "Tăng thêm giấy tờ"]);
    assert_eq!(texts(52), vec!["Quyết định 942/QĐ-TTg", "Luật Đất đai 2024"]);
    for q in &parsed.questions {
        for text in std::iter::once(&q.text).chain(q.options.iter().map(|o| &o.text)).chain(q.explanation.iter()) {
            assert!(!text.contains("[html]") && !text.contains("<p") && !text.contains("&nbsp;") && !text.contains("alert"), "{text:?}");
        }
    }
}

#[test]
fn categories_markers_and_general_feedback() {
    // (file, text, topics of its questions, explanation of the first)
    let cases: Vec<(&str, Vec<Option<&str>>, Option<&str>)> = vec![
        ("$CATEGORY: $course$/top/Luật\n\nQ{T}", vec![Some("Luật")], None),
        ("$CATEGORY: top\n\nQ{T}", vec![None], None),
        ("Q1{T}\n\n$CATEGORY: tom/dick/ harry \n\nQ2{T}\n\n$CATEGORY: $course$/top\n\nQ3{T}", vec![None, Some("harry"), None], None),
        // A category line right after a question, without a blank line, still ends it.
        ("$CATEGORY: A\nQ1{T}\n$CATEGORY: B\nQ2{F}", vec![Some("A"), Some("B")], None),
        ("[html]<p>Q</p>{=<b>a</b> ~b ####<i>x</i> &amp; y}", vec![None], Some("x & y")),
        ("Q{TRUE#sai#đúng####chung}", vec![None], Some("chung")),
        ("Q{TRUE#sai#đúng}", vec![None], Some("sai")),
    ];
    for (file, topics, explanation) in cases {
        let parsed = parse(file);
        assert!(parsed.errors.is_empty(), "{file:?}: {:?}", parsed.errors);
        assert_eq!(parsed.questions.iter().map(|q| q.topic.as_deref()).collect::<Vec<_>>(), topics, "{file:?}");
        assert_eq!(parsed.questions[0].explanation.as_deref(), explanation, "{file:?}");
    }
    // Answers take the question's format unless they name their own.
    let q = &parse("[html]Q &amp; A{=<b>a</b>#<i>ok</i> ~[plain]<b>b</b>}").questions[0];
    assert_eq!(q.text, "Q & A");
    assert_eq!(q.options.iter().map(|o| (o.text.as_str(), o.feedback.as_deref())).collect::<Vec<_>>(), vec![("a", Some("ok")), ("<b>b</b>", None)]);
}

#[test]
fn the_export_keeps_topics_explanations_and_line_breaks() {
    let parsed = parse(MOODLE_EXPORT);
    let written = write(&parsed.questions);
    assert!(written.starts_with("::Câu 7\\: Cơ quan thường trực::"), "questions without a topic come first: {written}");
    let again = parse(&written);
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    let key = |q: &DraftQuestion| (q.kind, q.topic.clone(), q.text.clone(), q.options.iter().map(|o| (o.text.clone(), o.correct)).collect::<Vec<_>>(), q.explanation.clone());
    let mut want: Vec<_> = parsed.questions.iter().map(key).collect();
    let mut got: Vec<_> = again.questions.iter().map(key).collect();
    want.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    got.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(got, want);
    // A text that looks like a marker stays text.
    let tricky = parse("::n::[moodle][html]<b>x</b>{=[plain][html]y ~z}");
    let back = parse(&write(&tricky.questions));
    assert_eq!((back.questions[0].text.as_str(), back.questions[0].options[0].text.as_str()), ("[html]<b>x</b>", "[html]y"));
}
