//! Backups that restore: `server backup` during a round under load, `server restore` into a
//! fresh database, and every answer acknowledged before the backup started is there.

use crate::helpers::{Backend, TestApp, fresh_database};
use crate::on_both_backends;
use crate::rounds::{call, participant, round_settings, setup};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(a_backup_taken_under_load_restores_every_acknowledged_answer,);

/// (attempt, position, stored answer) of every answered item of these attempts.
async fn answers(db: &app::infra::db::Db, attempts: &[i64]) -> Vec<(i64, i64, String)> {
    let mut out = Vec::new();
    for &a in attempts {
        let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as("SELECT attempt_id, position, answer FROM attempt_items WHERE attempt_id = $1 ORDER BY position").bind(a).fetch_all(&db.pool).await.unwrap();
        out.extend(rows.into_iter().filter_map(|(a, p, answer)| Some((a, p, answer?))));
    }
    out
}

async fn a_backup_taken_under_load_restores_every_acknowledged_answer(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let mut people = Vec::new();
    for n in 1..=6 {
        let (client, _) = participant(&app, n).await;
        let (status, attempt) = call(&app, &client, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
        assert_eq!(status, StatusCode::OK, "{attempt}");
        people.push((client, attempt["id"].as_i64().unwrap()));
    }
    let attempts: Vec<i64> = people.iter().map(|(_, a)| *a).collect();

    // Before the backup: questions 1–5 answered and acknowledged by everyone.
    let mut acknowledged = 0;
    for (client, attempt) in &people {
        for position in 1..=5 {
            let (status, ack) = call(&app, client, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{position}"), Some(json!({ "answer": [position as usize % 2] }))).await;
            assert_eq!((status, ack["applied"].clone()), (StatusCode::OK, json!(true)), "{ack}");
            acknowledged += 1;
        }
    }
    let before = answers(&app.state.db, &attempts).await;
    assert_eq!(before.len(), acknowledged);

    // The backup runs while everyone goes on answering questions 6–10.
    let dir = std::env::temp_dir().join(format!("hp_backup_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(if app.backend == Backend::Sqlite { "sao-luu.db" } else { "sao-luu.dump" });
    let load = people.iter().map(|(client, attempt)| {
        let (client, attempt, base) = (client.clone(), *attempt, app.base.clone());
        tokio::spawn(async move {
            let mut saved = 0;
            for round in 0..4 {
                for position in 6..=10 {
                    let r = client.put(format!("{base}/api/v1/attempts/{attempt}/answers/{position}")).json(&json!({ "answer": [(position + round) % 2] })).send().await.unwrap();
                    assert_eq!(r.status(), StatusCode::OK);
                    saved += 1;
                }
            }
            saved
        })
    });
    let load: Vec<_> = load.collect();
    let kind = server::backup::backup(&app.database_url, &file).await.expect("backup");
    let mut during = 0;
    for task in load {
        during += task.await.unwrap();
    }
    assert_eq!(during, 6 * 4 * 5, "the load ran beside the backup, every save answered");
    assert_eq!(server::backup::kind_of(&std::fs::read(&file).unwrap()[..16]), Some(kind));
    assert!(!dir.join(format!("{}.partial", file.file_name().unwrap().to_string_lossy())).exists(), "no partial file left");
    // A second backup never overwrites the first.
    assert!(server::backup::backup(&app.database_url, &file).await.is_err());

    // Restored into a fresh database: every answer acknowledged before the backup is there.
    let target = fresh_database(app.backend).await.expect("a fresh database");
    let _cleanup = crate::helpers::DropDatabase::new(app.backend, target.clone());
    server::backup::restore(&target, &file).await.expect("restore");
    let restored_db = app::infra::db::Db::connect(&target, 2).await.unwrap();
    let restored = answers(&restored_db, &attempts).await;
    for item in &before {
        assert!(restored.contains(item), "acknowledged before the backup, missing after restoring: {item:?}");
    }
    // The rest of the platform came back too: the round and its people.
    let rounds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE id = $1").bind(round).fetch_one(&restored_db.pool).await.unwrap();
    assert_eq!(rounds, 1);
    restored_db.pool.close().await;
    // Restoring over data is refused and changes nothing.
    let err = server::backup::restore(&target, &file).await.expect_err("the target is no longer empty");
    assert!(err.to_string().contains("không trống"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
