//! The documents that go to leadership, fetched through their endpoints on demo-like data and
//! read back with poppler: the annual report, the council minutes and the certificates print
//! every expected text whole (long Vietnamese names, a name made of Typst syntax, full round and
//! prize names, the blocks Decree 30/2020/NĐ-CP asks for), inside the page, with no heading left
//! at a page foot.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::pdf_check::ReadPdf;
use reqwest::StatusCode;

on_both_backends!(the_annual_report_is_a_decree_30_report_laid_out_whole, the_minutes_and_certificates_are_laid_out_whole);

/// A name a person could type that is Typst syntax through and through.
const ODD_NAME: &str = "Tổ #1 *Đặc biệt* $x$ [a] \\ @b <c>";
/// A long unit name, as the city's units are named.
const LONG_UNIT: &str = "Trung tâm Phục vụ hành chính công và Chuyển đổi số thành phố Hải Phòng";

/// The national motto and the number line of Decree 30/2020/NĐ-CP.
const DECREE_30: [&str; 3] = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:"];

/// `Hải Phòng, ngày 06 tháng 12 năm 2026` for today (Vietnam time).
fn todays_place_date() -> String {
    app::typeset::admin::place_date(app::vn_time::now_secs())
}

async fn rename_unit(app: &TestApp, from: &str, to: &str) {
    let id = app.unit_id(from).await;
    sqlx::query("UPDATE units SET name = $1 WHERE id = $2").bind(to).bind(id).execute(&app.state.db.pool).await.unwrap();
}

async fn fetch(app: &TestApp, client: &reqwest::Client, path: &str) -> (Vec<u8>, std::time::Duration) {
    let started = std::time::Instant::now();
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap().to_vec();
    (bytes, started.elapsed())
}

async fn the_annual_report_is_a_decree_30_report_laid_out_whole(app: TestApp) {
    app.seed_units().await;
    // A department with a long name and one whose name is Typst syntax, before the rounds
    // freeze the tree.
    rename_unit(&app, "Sở Y tế", LONG_UNIT).await;
    rename_unit(&app, "Sở Tư pháp", ODD_NAME).await;
    server::seed::seed_demo_accounts(&app.state).await.unwrap();
    server::seed::seed_demo_questions(&app.state).await.unwrap();
    server::seed_contest::seed_demo_contest(&app.state, 200).await.unwrap();
    app.sign_in_organizer().await;
    let (_, units) = app.json("/api/v1/reports/annual?year=2026").await;
    let top_units = units["unit_rates"].as_array().unwrap().len();

    let (pdf, took) = fetch(&app, &app.client, "/api/v1/reports/annual?year=2026&format=pdf").await;
    eprintln!("annual report PDF ({top_units} units under the city): {} bytes in {took:?}", pdf.len());
    let read = ReadPdf::new("annual", &pdf);
    read.assert_unbroken(&DECREE_30);
    read.assert_unbroken(&[
        &todays_place_date(),
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "BAN TỔ CHỨC HỘI THI",
        "BÁO CÁO",
        "/BC-BTC",
        "I. Kết quả chung",
        "Số lượt dự thi",
        "III. Tỷ lệ tham gia các đơn vị (đợt đã kết thúc gần nhất)",
        "Xã, phường, đặc khu",
        "TM. BAN TỔ CHỨC",
        "TRƯỞNG BAN",
        "Nơi nhận:",
        "PHỤ LỤC 2",
        ODD_NAME,
        // Round names are headings, printed whole.
        "Hội thi trực tuyến",
        "Đợt 1",
        "Đợt 2",
    ]);
    read.assert_whole(&["Kết quả tham gia Hội thi trực tuyến về cải cách hành chính năm 2026", LONG_UNIT]);
    // The units' chart is compact: the body (header to signature) takes at most three pages
    // even with every unit of the city, then the appendices.
    let body_pages = read.pages.iter().position(|p| p.lines.iter().any(|l| l.text.contains("PHỤ LỤC 1"))).unwrap();
    assert!(body_pages <= 3, "the body runs over {body_pages} pages");
    assert!(read.pages[..body_pages].iter().any(|p| p.lines.iter().any(|l| l.text.contains("TRƯỞNG BAN"))), "signed before the appendices");
    // The detail table runs over pages with its header row on each.
    let detail_pages: Vec<&crate::pdf_check::Page> =
        read.pages.iter().skip_while(|p| !p.lines.iter().any(|l| l.text.contains("PHỤ LỤC 2"))).take_while(|p| !p.lines.iter().any(|l| l.text.contains("PHỤ LỤC 3"))).collect();
    assert!(detail_pages.len() >= 2, "the detail table runs over pages");
    for page in &detail_pages {
        assert!(page.lines.iter().any(|l| l.text.contains("Thuộc diện") && l.text.contains("Đã tham gia")), "a header row on each page of the detail table");
    }
    read.assert_words_inside(28.0);
    read.assert_outer_band_white(20.0);
    read.assert_no_heading_at_page_foot(&[
        "I. Kết quả chung",
        "II. Tỷ lệ tham gia theo khối",
        "III. Tỷ lệ tham gia",
        "IV. Số bài dự thi",
        "PHỤ LỤC",
        "Tổng hợp theo khối",
        "Chi tiết theo đơn vị",
    ]);
}

async fn the_minutes_and_certificates_are_laid_out_whole(app: TestApp) {
    app.seed_units().await;
    server::seed::seed_demo_accounts(&app.state).await.unwrap();
    let (cid, created) = server::seed_awards::seed_demo_award(&app.state).await.unwrap();
    assert!(created);
    // The first winner's work and ward get Typst-syntax names, a final judge too, and every
    // lead author a long Vietnamese name.
    let published: serde_json::Value = app.new_client().get(app.url(&format!("/api/v1/award-competitions/{cid}/published"))).send().await.unwrap().json().await.unwrap();
    let first = published["winners"][0]["entry_id"].as_i64().unwrap();
    let odd_title = "Phóng sự: #Một cửa* $điện tử$ [a] \\ @b <c> // _x_";
    let pool = &app.state.db.pool;
    sqlx::query("UPDATE award_entries SET title = $1 WHERE id = $2").bind(odd_title).bind(first).execute(pool).await.unwrap();
    sqlx::query("UPDATE units SET name = $1 WHERE id = (SELECT unit_id FROM award_entries WHERE id = $2)").bind(ODD_NAME).bind(first).execute(pool).await.unwrap();
    let odd_judge = "Bùi #Quang* $Vinh$";
    sqlx::query("UPDATE users SET full_name = $1 WHERE email = 'giamkhao3@demo.haiphong.gov.vn'").bind(odd_judge).execute(pool).await.unwrap();
    let long_author = "Nguyễn Hoàng Thị Thanh Hương Tôn Nữ";
    sqlx::query("UPDATE award_authors SET full_name = $1 WHERE position = 0").bind(long_author).execute(pool).await.unwrap();
    app.sign_in_organizer().await;

    let (pdf, took) = fetch(&app, &app.client, &format!("/api/v1/award-competitions/{cid}/minutes.pdf")).await;
    eprintln!("minutes PDF: {} bytes in {took:?}", pdf.len());
    let minutes = ReadPdf::new("minutes", &pdf);
    minutes.assert_unbroken(&DECREE_30);
    minutes.assert_unbroken(&[
        &todays_place_date(),
        "HỘI ĐỒNG CHUNG KHẢO",
        "/BB-HĐCK",
        "BIÊN BẢN",
        "Giải Khuyến khích",
        "Giải A",
        "Quyết định",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "(Ký, ghi rõ họ tên)",
        odd_judge,
        "Hoàng Minh Châu",
    ]);
    minutes.assert_whole(&[
        "Họp Hội đồng chung khảo Giải báo chí và tuyên truyền cải cách hành chính trên hệ thống phát thanh cơ sở (mẫu) năm 2026",
        odd_title,
        "Ba tác phẩm dẫn đầu có chất lượng tương đương, Hội đồng thống nhất trao 3 giải A và 2 giải B",
    ]);
    minutes.assert_words_inside(28.0);
    minutes.assert_outer_band_white(20.0);
    minutes.assert_no_heading_at_page_foot(&["1. Thành phần", "2. Tác phẩm dự thi", "3. Kết quả chấm", "4. Quyết định điều chỉnh", "5. Giám khảo từ chối", "Nhóm giải:"]);

    // Certificates: public, one landscape page per winner, everything inside the frames.
    let winners = published["winners"].as_array().unwrap();
    let (pdf, took) = fetch(&app, &app.new_client(), &format!("/api/v1/award-competitions/{cid}/certificates.pdf")).await;
    eprintln!("{} certificates: {} bytes in {took:?}", winners.len(), pdf.len());
    let all = ReadPdf::new("certificates", &pdf);
    assert_eq!(all.pages.len(), winners.len(), "one page per winner");
    assert!(all.pages.iter().all(|p| p.width > p.height), "landscape");
    all.assert_unbroken(&[
        "GIẤY CHỨNG NHẬN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đạt Giải Khuyến khích",
        "Đạt Giải A",
        "TRƯỞNG BAN",
        long_author,
    ]);
    all.assert_whole(&["BAN TỔ CHỨC GIẢI BÁO CHÍ VÀ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH TRÊN HỆ THỐNG PHÁT THANH CƠ SỞ (MẪU)"]);
    // The frames are at 9 and 12 mm from the edge: every word stays inside the inner one.
    all.assert_words_inside(12.0 / 25.4 * 72.0 + 4.0);
    all.assert_outer_band_white(20.0);
    for page in &all.pages {
        // The page is used: the text spans most of its height.
        let (top, bottom) = page.words.iter().fold((f64::MAX, 0.0_f64), |(t, b), w| (t.min(w.1), b.max(w.3)));
        assert!(bottom - top > page.height * 0.7, "the certificate's text spans {:.0} of {:.0} pt", bottom - top, page.height);
    }

    // The first winner's certificate alone, with the Typst-syntax title and ward.
    let (pdf, _) = fetch(&app, &app.new_client(), &format!("/api/v1/award-entries/{first}/certificate.pdf")).await;
    let one = ReadPdf::new("certificate", &pdf);
    assert_eq!(one.pages.len(), 1);
    one.assert_unbroken(&[&format!("Đơn vị: {ODD_NAME}"), "Đạt Giải A"]);
    one.assert_whole(&[&format!("Tác phẩm: “{odd_title}”")]);
}
