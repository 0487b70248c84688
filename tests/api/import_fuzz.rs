//! Importers fed mutated files through the API, applied for real: a file with any error
//! changes nothing (every table is compared before and after), a file without errors is
//! applied whole, and no answer is a server error. The pure parsers get many more cases in
//! `app/src/import_fuzz.rs`.

use crate::helpers::TestApp;
use crate::on_both_backends;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::StatusCode;

on_both_backends!(a_file_with_errors_changes_nothing);

const UNITS: &str = "code,name,parent_code,block,headcount\nX01,Sở Thử Nghiệm,HP,so_nganh,40\nX01-01,Trung tâm Thử,X01,su_nghiep,12\nX02,Phường Thử,HP,xa_phuong,55\n";
const ROSTER: &str = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n\
    Nguyễn Văn An,031095000001,an@haiphong.gov.vn,0912345678,Chuyên viên,\n\
    Trần Thị Bình,BV-0002,,+84 91 234 5679,Bác sĩ,Bệnh viện Hữu nghị Việt Tiệp\n";
const GIFT: &str = include_str!("../fixtures/moodle/gift-examples.txt");

fn mutate(seed: &[u8], edits: &[(u8, usize, u8)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (kind, at, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 3 {
            0 => bytes[at] = *byte,
            1 => bytes.insert(at, *byte),
            _ => {
                bytes.remove(at);
            }
        }
    }
    bytes
}

/// Rows of the tables an import may touch.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["units", "roster_entries", "questions", "question_versions", "audit_log", "roster_matches", "unit_roster_sizes"] {
        out.push(app.count(table).await);
    }
    out
}

async fn a_file_with_errors_changes_nothing(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let health = app.unit_id("Sở Y tế").await;
    let targets: Vec<(String, &[u8])> = vec![
        ("/api/v1/units/import?dry_run=false&filename=fuzz.csv".into(), UNITS.as_bytes()),
        (format!("/api/v1/units/{health}/roster?dry_run=false"), ROSTER.as_bytes()),
        ("/api/v1/questions/import?format=gift&dry_run=false&topic=Fuzz".into(), GIFT.as_bytes()),
    ];
    let handle = tokio::runtime::Handle::current();
    let (refused, applied) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    for (path, seed) in &targets {
        let edits = prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 0..6);
        let mut runner = TestRunner::new(Config { cases: 24, failure_persistence: None, ..Config::default() });
        runner
            .run(&edits, |edits| {
                let bytes = mutate(seed, &edits);
                tokio::task::block_in_place(|| {
                    handle.block_on(async {
                        let before = footprint(&app).await;
                        let r = app.client.post(app.url(path)).body(bytes.clone()).send().await.unwrap();
                        let status = r.status();
                        let body: serde_json::Value = r.json().await.unwrap_or_default();
                        assert!(status.is_success() || status.is_client_error(), "{path}: {status} {body}");
                        let after = footprint(&app).await;
                        let has_errors = body.get("errors").and_then(|e| e.as_array()).is_some_and(|e| !e.is_empty())
                            || body.pointer("/plan/errors").and_then(|e| e.as_array()).is_some_and(|e| !e.is_empty());
                        if status == StatusCode::UNPROCESSABLE_ENTITY || has_errors {
                            assert_eq!(before, after, "{path}: a refused file changed something: {body}");
                            refused.set(refused.get() + 1);
                        } else {
                            applied.set(applied.get() + 1);
                        }
                    })
                });
                Ok(())
            })
            .unwrap();
    }
    let (refused, applied) = (refused.get(), applied.get());
    assert!(refused > 0 && applied > 0, "both outcomes were exercised: {refused} refused, {applied} applied");
}
