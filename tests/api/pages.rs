//! Server-rendered pages and the forms that work before the WASM loads: a plain HTML form post
//! to a server function is redirected back with its error, and the page shows the Vietnamese
//! message next to the field.

use crate::helpers::TestApp;
use crate::on_both_backends;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

on_both_backends!(
    pages_render_in_vietnamese_with_the_unit_picker,
    protected_pages_send_signed_out_visitors_to_login_and_back,
    no_js_form_errors_come_back_next_to_the_field,
    no_js_registration_signs_in_and_lands_on_the_profile,
    english_is_one_click_away,
    unit_import_upload_preview_and_apply_through_the_pages,
    question_import_through_the_pages,
    each_page_has_its_own_title_and_errors_their_status,
    upload_forms_come_back_with_their_error_and_the_roster_preview_speaks_the_file_s_language,
);

async fn pages_render_in_vietnamese_with_the_unit_picker(app: TestApp) {
    app.seed_units().await;
    let html = app.get("/register").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains("Đăng ký tài khoản dự thi"));
    assert!(html.contains("Phường Hải An"), "the picker lists the units in the HTML itself");
    assert!(html.contains("Trường THPT Trần Phú — Sở Giáo dục và Đào tạo"));
    assert!(html.contains("for=\"f-cccd\""), "fields are labelled");
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Hiện chưa có cuộc thi nào đang mở"));
    assert_eq!(app.get("/khong-co-trang-nay").await.status(), StatusCode::NOT_FOUND);
}

async fn protected_pages_send_signed_out_visitors_to_login_and_back(app: TestApp) {
    // As a browser navigates: asking for HTML.
    let r = app.client.get(app.url("/admin/units?q=hai")).header("accept", "text/html").send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers()["location"], "/login?next=/admin/units%3Fq%3Dhai");

    let email = "btc@x.vn";
    app::accounts::service::create_staff_account(&app.state, "Ban Tổ Chức", email, "mật khẩu btc 1".into(), &[(app::accounts::model::Role::Organizer, None)]).await.unwrap();
    let path = app::accounts::server_fns::Login::PATH;
    let r = app.form_post(path, "/login?next=%2Fadmin%2Funits%3Fq%3Dhai", &[("identifier", email), ("password", "mật khẩu btc 1"), ("next", "/admin/units?q=hai")]).send().await.unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/admin/units?q=hai", "back to the page the user was on");
    let page = app.get("/admin/units?q=hai").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Cây đơn vị"));
}

async fn no_js_form_errors_come_back_next_to_the_field(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await.to_string();
    let path = app::accounts::server_fns::Register::PATH;
    let form = [("full_name", "Trần Văn Bình"), ("unit_id", unit.as_str()), ("position", "Chuyên viên"), ("phone", "0912 345 678"),
        ("email", "binh@haiphong.gov.vn"), ("cccd", "12345"), ("password", "mật-khẩu-đủ-dài"), ("password_confirm", "mật-khẩu-đủ-dài")];
    let r = app.form_post(path, "/register", &form).send().await.unwrap();
    assert!(r.status().is_redirection());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let back = app.client.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(back.contains("Số CCCD phải gồm đúng 12 chữ số."), "the field error is rendered server-side");
    assert!(back.contains("id=\"err-cccd\""));
    assert_eq!(app.count("users").await, 0);
}

async fn no_js_registration_signs_in_and_lands_on_the_profile(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await.to_string();
    let path = app::accounts::server_fns::Register::PATH;
    let form = [("full_name", "Trần Văn Bình"), ("unit_id", unit.as_str()), ("position", "Chuyên viên"), ("phone", "0912 345 678"),
        ("email", "binh@haiphong.gov.vn"), ("cccd", "031095001234"), ("password", "mật-khẩu-đủ-dài"), ("password_confirm", "mật-khẩu-đủ-dài")];
    let r = app.form_post(path, "/register", &form).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/profile?welcome=1");
    let profile = app.get("/profile?welcome=1").await.text().await.unwrap();
    assert!(profile.contains("Đăng ký thành công"));
    assert!(profile.contains("Trần Văn Bình"));
    assert!(profile.contains("031*******34"), "the CCCD is masked on the profile");
    assert!(!profile.contains("031095001234"));
}

async fn english_is_one_click_away(app: TestApp) {
    let r = app.get("/lang/en?next=/register").await;
    assert_eq!(r.headers()["location"], "/register");
    let html = app.get("/register").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Register to take part"));
    app.get("/lang/vi?next=//evil.example").await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("Đợt thi và kết quả"));
}

async fn unit_import_upload_preview_and_apply_through_the_pages(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let before = app.count("units").await;
    // An XLSX typed by hand, with Vietnamese headers and block names.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Khối", "Số người"].iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["S09-05", "Trường THPT Lê Quý Đôn", "S09", "Đơn vị sự nghiệp"].iter().enumerate() {
        sheet.write(1, c as u16, *v).unwrap();
    }
    sheet.write(1, 4, 86.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("truong-hoc.xlsx"));
    let r = app.client.post(app.url("/admin/units/import")).header("origin", app.base.clone()).multipart(form).send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let preview_path = r.headers()["location"].to_str().unwrap().to_string();
    assert!(preview_path.starts_with("/admin/units/import/"));
    let html = app.get(&preview_path).await.text().await.unwrap();
    assert!(html.contains("Tệp truong-hoc.xlsx: 1 đơn vị mới, 0 cập nhật, 0 không đổi, 0 lỗi."), "preview summary");
    assert!(html.contains("Trường THPT Lê Quý Đôn"));
    assert_eq!(app.count("units").await, before, "a preview changes nothing");

    let import_id = preview_path.rsplit('/').next().unwrap();
    let r = app.form_post(app::units::server_fns::ApplyUnitImport::PATH, &preview_path, &[("import_id", import_id)]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/admin/units?imported=1");
    assert_eq!(app.count("units").await, before + 1);
    let (_, found) = app.json("/api/v1/units?q=le quy don").await;
    assert_eq!(found[0]["unit"]["headcount"], 86);
    assert_eq!(found[0]["parent_name"], "Sở Giáo dục và Đào tạo");
}

async fn question_import_through_the_pages(app: TestApp) {
    app.sign_in_organizer().await;
    let upload = |bytes: Vec<u8>, name: &str, format: &str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()))
            .text("format", format.to_string())
            .text("topic", "Moodle".to_string());
        app.client.post(app.url("/admin/questions/import")).header("origin", app.base.clone()).multipart(form).send()
    };
    // GIFT with unsupported types: the preview lists them by line and offers no apply button.
    let r = upload(include_bytes!("../fixtures/moodle/gift-examples.txt").to_vec(), "gift-examples.txt", "gift").await.unwrap();
    let path = r.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&path).await.text().await.unwrap();
    assert!(html.contains("18 câu hỏi hợp lệ, 15 lỗi."), "summary");
    assert!(html.contains("Câu hỏi trả lời ngắn (short answer) không được hỗ trợ."));
    assert!(!html.contains("id=\"apply-import\""));

    // The city's demo questions: preview, apply, and they are in the bank.
    let r = upload(include_bytes!("../../server/seed/demo-questions-cchc.csv").to_vec(), "cau-hoi.csv", "csv").await.unwrap();
    let path = r.headers()["location"].to_str().unwrap().to_string();
    assert!(app.get(&path).await.text().await.unwrap().contains("24 câu hỏi hợp lệ, 0 lỗi."));
    let id = path.split('/').nth(4).unwrap().split('?').next().unwrap().to_string();
    let r = app.form_post(app::quiz::server_fns::ApplyQuestionImport::PATH, &path, &[("import_id", id.as_str()), ("format", "csv"), ("topic", "Moodle")]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/admin/questions?imported=24");
    assert_eq!(app.count("questions").await, 24);
    let bank = app.get("/admin/questions?q=sipas").await.text().await.unwrap();
    assert!(bank.contains("Chỉ số SIPAS đo lường nội dung gì?"));
    // Each question's state is a state ("Đang dùng"), its change an action, its difficulty shown.
    assert!(bank.contains("<td class=\"status\">Đang dùng</td>"), "an active question reads as in use");
    assert!(bank.contains("Ngừng dùng câu này") && !bank.contains("<td class=\"status\">Ngừng dùng</td>"));
    assert!(bank.contains("<th scope=\"col\">Độ khó</th>"));
}

async fn each_page_has_its_own_title_and_errors_their_status(app: TestApp) {
    app.seed_units().await;
    let title = |html: &str| html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).map(str::to_string).unwrap_or_default();
    let home = app.get("/").await.text().await.unwrap();
    assert_eq!(title(&home), "Hội thi trực tuyến tìm hiểu công tác cải cách hành chính — Hải Phòng");
    assert_eq!(title(&app.get("/login").await.text().await.unwrap()), "Đăng nhập · Cải cách hành chính Hải Phòng");
    assert_eq!(title(&app.get("/register").await.text().await.unwrap()), "Đăng ký dự thi · Cải cách hành chính Hải Phòng");
    assert_eq!(title(&app.get("/quen-mat-khau").await.text().await.unwrap()), "Quên mật khẩu · Cải cách hành chính Hải Phòng");

    // A record that is not there: 404, with the way home.
    let unit = app.unit_id("Phường Hải An").await;
    let r = app.post_json("/api/v1/auth/register?sign_in=true", &crate::helpers::registration(3, unit)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    for path in ["/thi/999999", "/bai-thi/999999", "/bai-thi/999999/ket-qua", "/khong-co-trang-nay"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("<a href=\"/\">Trang chủ</a>"), "{path}: a link home");
    }
    // Not allowed: 403, with the way home.
    let r = app.get("/admin/units").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("<a href=\"/\">Trang chủ</a>"));
}

async fn upload_forms_come_back_with_their_error_and_the_roster_preview_speaks_the_file_s_language(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Sở Tư pháp").await;
    app.sign_in_as("daumoi.stp@test.vn", &[(app::accounts::model::Role::UnitManager, Some(unit))]).await;
    let post = |bytes: Vec<u8>, name: &str| {
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        app.client.post(app.url(&format!("/don-vi/{unit}/danh-sach"))).header("origin", app.base.clone()).multipart(form).send()
    };
    // "Xem trước" with no file: back to the page, the message next to the file field.
    let r = post(vec![], "").await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/tham-gia?loi=err.import_empty#roster");
    let page = app.get(location.split('#').next().unwrap()).await.text().await.unwrap();
    assert!(page.contains("id=\"err-roster-file\""), "the error sits next to the roster's file field");

    // A bad phone: the column as the file names it, the value in its own cell.
    let csv = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nĐinh Thị Hương,STP-01,,12ab,Chuyên viên,\n";
    let r = post(csv.as_bytes().to_vec(), "danh-sach.csv").await.unwrap();
    let preview = r.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&preview).await.text().await.unwrap();
    let errors = html.split("id=\"roster-errors\"").nth(1).expect("an error table").split("</table>").next().unwrap();
    assert!(errors.contains("<td>Số điện thoại</td>"), "{errors}");
    assert!(errors.contains("<td>12ab</td>"), "the bad value in its own cell: {errors}");
    assert!(!errors.contains(">phone<"), "{errors}");
}
