//! The question bank: imports with Moodle's fixtures and the city's demo questions, versioned
//! edits, accent-insensitive search, exports, and who may touch it.

use crate::helpers::TestApp;
use crate::on_both_backends;
use leptos::server_fn::ServerFn;
use app::accounts::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    gift_import_previews_moodle_examples_and_refuses_unsupported_types_by_line,
    aiken_errors_are_reported_by_line_and_nothing_is_added,
    moodle_exports_import_with_their_topics_and_clean_text,
    demo_questions_import_search_and_export,
    edits_add_versions_and_old_versions_stay,
    only_organizers_reach_the_bank,
    editing_a_drawn_question_through_its_page_keeps_past_scores,
    the_import_template_is_vietnamese_and_bad_values_stay_in_their_column,
);

async fn import(app: &TestApp, format: &str, dry_run: bool, body: Vec<u8>) -> (StatusCode, Value) {
    let r = app.client.post(app.url(&format!("/api/v1/questions/import?format={format}&dry_run={dry_run}&topic=Moodle"))).body(body).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

fn lines(preview: &Value) -> Vec<i64> {
    preview["errors"].as_array().unwrap().iter().map(|e| e["line"].as_i64().unwrap()).collect()
}

async fn gift_import_previews_moodle_examples_and_refuses_unsupported_types_by_line(app: TestApp) {
    app.sign_in_organizer().await;
    let gift = include_bytes!("../fixtures/moodle/gift-examples.txt").to_vec();
    let (status, preview) = import(&app, "gift", false, gift).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(preview["accepted"], 18);
    assert_eq!(lines(&preview), vec![14, 16, 43, 45, 55, 61, 70, 72, 74, 76, 85, 90, 103, 108, 123]);
    assert_eq!(preview["applied"], false);
    assert_eq!(app.count("questions").await, 0, "a file with errors adds nothing");
}

async fn aiken_errors_are_reported_by_line_and_nothing_is_added(app: TestApp) {
    app.sign_in_organizer().await;
    let (status, preview) = import(&app, "aiken", false, include_bytes!("../fixtures/moodle/aiken-errors.txt").to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lines(&preview), vec![3, 5, 7, 18]);
    assert_eq!(preview["accepted"], 2);
    assert_eq!(app.count("questions").await, 0);
    let (status, preview) = import(&app, "aiken", false, include_bytes!("../fixtures/moodle/aiken-questions.txt").to_vec()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(preview["created"].as_array().unwrap().len(), 2);
    let (_, list) = app.json("/api/v1/questions?q=html").await;
    assert_eq!(list[0]["text"], "Moodle's abilities include handling user input that includes <html class=\"cool\"> & images:");
}

/// What a question holds, by topic: (topic, difficulty, text, options, correct options, explanation).
type Stored = (String, String, String, Vec<String>, Vec<String>, String);

async fn stored(app: &TestApp) -> Vec<Stored> {
    let (_, list) = app.json("/api/v1/questions").await;
    let text = |v: &Value| v.as_str().unwrap().to_string();
    list.as_array().unwrap().iter().map(|q| {
        let options = q["options"].as_array().unwrap();
        (text(&q["topic"]), text(&q["difficulty"]), text(&q["text"]), options.iter().map(|o| text(&o["text"])).collect(),
            options.iter().filter(|o| o["correct"] == true).map(|o| text(&o["text"])).collect(), text(&q["explanation"]))
    }).collect()
}

async fn moodle_exports_import_with_their_topics_and_clean_text(app: TestApp) {
    app.sign_in_organizer().await;
    // GIFT as Moodle exports it: `$CATEGORY:` lines give the topics (the default topic where
    // the category is `$course$/top`), `[html]` text is stored as plain text.
    let (status, preview) = import(&app, "gift", false, include_bytes!("../fixtures/moodle/gift-moodle-export.txt").to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["created"].as_array().unwrap().len(), 7);
    let gift = stored(&app).await;
    let topics: Vec<&str> = gift.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(topics, ["Thủ tục hành chính", "Thủ tục hành chính", "Thủ tục hành chính", "Chính quyền số", "Chính quyền số", "Chính quyền số", "Moodle"]);
    let first = &gift[0];
    assert_eq!(first.2, "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa có nhiệm vụ gì?");
    assert_eq!(first.3, ["Hướng dẫn, tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính", "Thẩm định hồ sơ", "Ban hành văn bản <quy phạm pháp luật>", "Thu phí & lệ phí thay cơ quan thuế"]);
    assert_eq!(first.5, "Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông.");
    assert_eq!(gift[2].4, ["Cổng Dịch vụ công quốc gia", "Đường dây nóng 1022\ncủa thành phố"]);
    assert_eq!(gift[3].2, "Chỉ số SIPAS đo lường điều gì?");
    assert_eq!(gift[4].2, "Chương trình 'Chính quyền số' của thành phố hướng tới điều gì?");

    // Moodle XML: the essay is refused by its line and nothing is added…
    let xml = include_str!("../fixtures/moodle/moodle-export.xml");
    let (status, preview) = import(&app, "moodle-xml", false, xml.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((lines(&preview), preview["accepted"].as_i64(), preview["errors"][0]["message"].as_str()), (vec![160], Some(5), Some("err.gift_essay")));
    assert_eq!(app.count("questions").await, 7);
    // …until the organizer takes it out of the file.
    let essay = xml.find("<!-- question: 2111").unwrap();
    let end = essay + xml[essay..].find("</question>").unwrap() + "</question>".len();
    let (status, preview) = import(&app, "xml", false, format!("{}{}", &xml[..essay], &xml[end..]).into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["created"].as_array().unwrap().len(), 5);
    let all = stored(&app).await;
    let xml_questions = &all[7..];
    let summary: Vec<(&str, &str, &str)> = xml_questions.iter().map(|q| (q.0.as_str(), q.1.as_str(), q.2.as_str())).collect();
    assert_eq!(summary, [
        ("Thủ tục hành chính", "easy", "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa có nhiệm vụ gì?"),
        ("Thủ tục hành chính", "medium", "Những kênh nào tiếp nhận phản ánh, kiến nghị của người dân?\n(chọn nhiều đáp án)"),
        ("Thủ tục hành chính", "medium", "Thời hạn giải quyết thủ tục hành chính được tính theo ngày làm việc."),
        ("Chính quyền số", "medium", "Chỉ số SIPAS đo lường điều gì?"),
        ("Chính quyền số", "medium", "Văn bản điện tử ký số có giá trị pháp lý như văn bản giấy."),
    ]);
    assert_eq!(xml_questions[0].5, "Xem Điều 8 Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông.");
    assert_eq!(xml_questions[2].4, ["Đúng"]);
    assert_eq!(xml_questions[3].3, ["Sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", "Chỉ số <PAR INDEX>"]);
    for q in &all {
        let texts = [&q.2, &q.5].into_iter().chain(&q.3);
        assert!(texts.into_iter().all(|t| !t.contains("<p") && !t.contains("&nbsp;") && !t.contains("[html]") && !t.contains("alert")), "{q:?}");
    }

    // The bank's Moodle XML export imports back whole, topics and difficulty included.
    let r = app.get("/api/v1/questions/export?format=moodle-xml").await;
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let exported = r.bytes().await.unwrap().to_vec();
    let (status, again) = import(&app, "moodle-xml", true, exported).await;
    assert_eq!((status, again["accepted"].as_i64()), (StatusCode::OK, Some(12)), "{again}");
    let back: Vec<(&str, &str)> = again["questions"].as_array().unwrap().iter().map(|q| (q["topic"].as_str().unwrap_or(""), q["difficulty"].as_str().unwrap_or(""))).collect();
    assert_eq!(back.iter().filter(|(t, _)| *t == "Thủ tục hành chính").count(), 6);
    assert_eq!(back.iter().filter(|(t, _)| *t == "Chính quyền số").count(), 5);
    assert_eq!(back.iter().filter(|(t, _)| *t == "Moodle").count(), 1);
    assert_eq!(back.iter().filter(|(_, d)| *d == "easy").count(), 1);
}

async fn demo_questions_import_search_and_export(app: TestApp) {
    app.sign_in_organizer().await;
    let csv = include_bytes!("../../server/seed/demo-questions-cchc.csv").to_vec();
    let (status, preview) = import(&app, "csv", true, csv.clone()).await;
    assert_eq!((status, preview["accepted"].as_i64()), (StatusCode::OK, Some(24)));
    assert_eq!(app.count("questions").await, 0, "a preview adds nothing");
    let (status, preview) = import(&app, "csv", false, csv).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(preview["created"].as_array().unwrap().len(), 24);

    let (_, found) = app.json("/api/v1/questions?q=thu%20tuc%20hanh%20chinh").await;
    assert!(!found.as_array().unwrap().is_empty());
    assert!(found.as_array().unwrap().iter().all(|q| app::text::matches("thu tuc hanh chinh", &format!("{} {}", q["topic"].as_str().unwrap(), q["text"].as_str().unwrap()))));

    let xlsx = app.get("/api/v1/questions/export?format=xlsx").await.bytes().await.unwrap().to_vec();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.clone())).expect("a real XLSX file");
    let rows: Vec<Vec<String>> = book.worksheet_range_at(0).unwrap().unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 25);
    assert_eq!(rows[1][0], "Chương trình tổng thể CCHC");
    assert_eq!(rows[1][10], "C");
    // The XLSX export and the GIFT export both import back cleanly.
    let (status, again) = import(&app, "xlsx", true, xlsx).await;
    assert_eq!((status, again["accepted"].as_i64()), (StatusCode::OK, Some(24)));
    let gift = app.get("/api/v1/questions/export?format=gift").await.bytes().await.unwrap().to_vec();
    let (status, again) = import(&app, "gift", true, gift).await;
    assert_eq!((status, again["accepted"].as_i64()), (StatusCode::OK, Some(24)), "{again}");
}

async fn edits_add_versions_and_old_versions_stay(app: TestApp) {
    app.sign_in_organizer().await;
    let q = json!({ "topic": "Thủ tục hành chính", "difficulty": "easy", "kind": "single", "text": "Bộ phận Một cửa tiếp nhận hồ sơ ở đâu?",
        "options": ["Trung tâm Phục vụ hành chính công", "Nhà văn hóa"], "correct": [0], "explanation": "Theo Nghị định 61/2018/NĐ-CP." });
    let r = app.post_json("/api/v1/questions", &q).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["version"], 1);

    let mut edited = q.clone();
    edited["text"] = "Hồ sơ thủ tục hành chính được tiếp nhận ở đâu?".into();
    edited["correct"] = json!([1]);
    let r = app.client.put(app.url(&format!("/api/v1/questions/{id}"))).json(&edited).send().await.unwrap();
    let now: Value = r.json().await.unwrap();
    assert_eq!((now["version"].as_i64(), now["current_version"].as_i64()), (Some(2), Some(2)));
    let (_, old) = app.json(&format!("/api/v1/questions/{id}?version=1")).await;
    assert_eq!(old["text"], "Bộ phận Một cửa tiếp nhận hồ sơ ở đâu?");
    assert_eq!(old["options"][0]["correct"], true, "version 1 keeps its own answer key");

    let mut bad = q.clone();
    bad["correct"] = json!([0, 1]);
    let r = app.client.put(app.url(&format!("/api/v1/questions/{id}"))).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"]["correct"]["code"], "err.single_one_correct");
    let (_, still) = app.json(&format!("/api/v1/questions/{id}")).await;
    assert_eq!(still["version"], 2, "a refused edit adds no version");

    assert_eq!(app.post_json(&format!("/api/v1/questions/{id}/retire"), &json!({})).await.status(), StatusCode::OK);
    let (_, active) = app.json("/api/v1/questions").await;
    assert!(active.as_array().unwrap().is_empty());
    let (_, all) = app.json("/api/v1/questions?include_retired=true").await;
    assert_eq!(all[0]["status"], "retired");
}

async fn only_organizers_reach_the_bank(app: TestApp) {
    app.sign_in_as("thisinh@x.vn", &[(Role::Participant, None)]).await;
    assert_eq!(app.get("/api/v1/questions").await.status(), StatusCode::FORBIDDEN);
    let (status, _) = import(&app, "gift", true, b"Q{T}".to_vec()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/questions/export").await.status(), StatusCode::FORBIDDEN);
}

/// The edit page (a plain form, as without JavaScript) saves a new version; an attempt already
/// scored keeps the version it drew and its key, so its score does not move.
async fn editing_a_drawn_question_through_its_page_keeps_past_scores(app: TestApp) {
    use crate::rounds::{call, participant, round_settings, setup, take};
    let (_, round) = setup(&app, round_settings(json!({ "draw_rules": [{ "count": 24 }] }))).await;
    let (p, _) = participant(&app, 1).await;
    let attempt = take(&app, &p, round, 24, 10).await;
    let (_, before) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert!(before["score"].as_i64().is_some_and(|s| s > 0), "{before}");

    // Every question changes its answer key through the page's form.
    let (_, bank) = app.json("/api/v1/questions").await;
    let first = bank[0].clone();
    let id = first["id"].as_i64().unwrap();
    let page = app.get(&format!("/admin/questions/{id}")).await.text().await.unwrap();
    assert!(page.contains("<h1>Sửa câu hỏi</h1>") && page.contains(first["text"].as_str().unwrap()), "the edit page shows the question");
    assert!(app.get("/admin/questions").await.text().await.unwrap().contains(&format!("href=\"/admin/questions/{id}\"")), "the bank links to it");
    for q in bank.as_array().unwrap() {
        let options: Vec<&str> = q["options"].as_array().unwrap().iter().map(|o| o["text"].as_str().unwrap()).collect();
        let wrong = q["options"].as_array().unwrap().iter().position(|o| o["correct"] == false).unwrap();
        let letter = ((b'A' + wrong as u8) as char).to_string();
        let kind = match q["kind"].as_str().unwrap() { "multiple" => "multi", "true_false" => "tf", other => other }.to_string();
        let id = q["id"].as_i64().unwrap().to_string();
        let form = [("id", id.as_str()), ("topic", q["topic"].as_str().unwrap()), ("difficulty", "hard"), ("kind", kind.as_str()),
            ("text", q["text"].as_str().unwrap()), ("options", &options.join("\n")), ("correct", letter.as_str()), ("explanation", "Đã sửa.")];
        let r = app.form_post(app::quiz::server_fns::UpdateQuestion::PATH, &format!("/admin/questions/{id}"), &form).send().await.unwrap();
        assert_eq!(r.headers()["location"], format!("/admin/questions?edited={id}"));
    }
    let (_, edited) = app.json(&format!("/api/v1/questions/{id}")).await;
    assert_eq!((edited["version"].as_i64(), edited["difficulty"].as_str(), edited["explanation"].as_str()), (Some(2), Some("hard"), Some("Đã sửa.")));
    let (_, after) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert_eq!((after["score"].clone(), after["correct_count"].clone()), (before["score"].clone(), before["correct_count"].clone()), "past scores stay");
    let (_, ranking) = app.json(&format!("/api/v1/rounds/{round}/ranking")).await;
    assert_eq!(ranking["entries"][0]["score"], before["score"]);

    // A bad edit is refused next to its field and adds no version.
    let form = [("id", "0"), ("topic", ""), ("difficulty", "easy"), ("kind", "single"), ("text", " "), ("options", "a\nb"), ("correct", "A"), ("explanation", "")];
    let id_text = id.to_string();
    let form: Vec<(&str, &str)> = form.into_iter().map(|(k, v)| if k == "id" { (k, id_text.as_str()) } else { (k, v) }).collect();
    let r = app.form_post(app::quiz::server_fns::UpdateQuestion::PATH, &format!("/admin/questions/{id}"), &form).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let back = app.client.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(back.contains("id=\"err-text\""), "the error is next to the question's text");
    assert_eq!(app.json(&format!("/api/v1/questions/{id}")).await.1["version"], 2);
}

async fn the_import_template_is_vietnamese_and_bad_values_stay_in_their_column(app: TestApp) {
    use calamine::{Reader, Xlsx};
    app.sign_in_organizer().await;
    let xlsx = app.get("/api/v1/questions/import-template").await.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.clone())).expect("a real XLSX file");
    let sheet = |book: &mut Xlsx<_>, i: usize| -> Vec<Vec<String>> { book.worksheet_range_at(i).unwrap().unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() };
    let rows = sheet(&mut book, 0);
    assert_eq!(rows[0][..4], ["Chủ đề", "Loại câu hỏi", "Độ khó", "Câu hỏi"]);
    assert_eq!(rows[0][10], "Đáp án đúng");
    assert_eq!(rows.len(), 2, "the headers and one example");
    assert_eq!((rows[1][1].as_str(), rows[1][2].as_str()), ("Một đáp án", "Dễ"));
    assert_eq!(book.sheet_names()[1], "Giá trị hợp lệ");
    let values = sheet(&mut book, 1).into_iter().map(|r| r.join(": ")).collect::<Vec<_>>().join("\n");
    assert!(values.contains("Độ khó: Dễ; Trung bình; Khó") && values.contains("Loại câu hỏi: Một đáp án; Nhiều đáp án; Đúng/Sai"), "{values}");
    // Both templates import as their example.
    let (status, preview) = import(&app, "xlsx", true, xlsx).await;
    assert_eq!((status, preview["accepted"].as_i64()), (StatusCode::OK, Some(1)), "{preview}");
    let r = app.get("/api/v1/questions/import-template?format=csv").await;
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.bytes().await.unwrap().to_vec();
    assert!(String::from_utf8_lossy(&csv).contains("# Độ khó: Dễ; Trung bình; Khó"));
    let (status, preview) = import(&app, "csv", true, csv).await;
    assert_eq!((status, preview["accepted"].as_i64(), preview["questions"][0]["text"].as_str()), (StatusCode::OK, Some(1), Some("Bộ phận Một cửa có nhiệm vụ gì?")));

    // A bad value is reported with its column and as written, not as the question's text.
    let csv = "Chủ đề,Loại câu hỏi,Độ khó,Câu hỏi,Phương án A,Phương án B,Đáp án đúng\nA,Một đáp án,Rất khó,Câu hỏi một?,x,y,A\nA,Một đáp án,Khó,Câu hỏi hai?,x,,A\n";
    let (status, preview) = import(&app, "csv", true, csv.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<(i64, &str, &str)> = preview["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap_or(""), e["detail"].as_str().unwrap())).collect();
    assert_eq!(errors, [(2, "difficulty", "Rất khó"), (3, "options", "x")]);
}
