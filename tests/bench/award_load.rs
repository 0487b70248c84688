//! `--scenario awards`: a 500 MB video upload (memory growth of the whole process, server and
//! generator, from the kernel's peak-RSS counter) and seeking in a 100 MB audio file (range
//! requests as a browser player makes them: time to the first byte and to 64 KB of audio).

use app::infra::state::AppState;
use std::time::{Duration, Instant};

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Resets the peak-RSS counter (Linux `clear_refs` 5), so VmHWM shows the peak from now on.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A multipart body of `size` bytes of file content, generated chunk by chunk: a real header
/// (`head`), then zeros. Nothing of it is held in memory beyond one chunk.
fn streamed_body(boundary: &'static str, filename: &'static str, head: Vec<u8>, size: usize) -> reqwest::Body {
    const CHUNK: usize = 256 * 1024;
    let prefix = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n").into_bytes();
    let suffix = format!("\r\n--{boundary}--\r\n").into_bytes();
    let chunks = size.div_ceil(CHUNK);
    let body = futures_util::stream::iter((0..chunks + 2).map(move |i| {
        Ok::<Vec<u8>, std::io::Error>(if i == 0 {
            prefix.clone()
        } else if i == chunks + 1 {
            suffix.clone()
        } else {
            let n = CHUNK.min(size - (i - 1) * CHUNK);
            let mut v = vec![0u8; n];
            if i == 1 {
                v[..head.len()].copy_from_slice(&head);
            }
            v
        })
    }));
    reqwest::Body::wrap_stream(body)
}

async fn draft(state: &AppState, client: &reqwest::Client, base: &str) -> i64 {
    use app::awards::model::*;
    let organizer = app::accounts::service::create_staff_account(state, "Ban Tổ Chức", "btc.bench@haiphong.gov.vn", "mật khẩu đo tải".into(), &[(app::accounts::model::Role::Organizer, None)]).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer).await.unwrap().unwrap();
    let rubric = vec![Criterion { code: "c1".into(), label: "Nội dung".into(), max: 100 }];
    let c = app::awards::setup::create(state, &organizer, CompetitionInput {
        edition: 2026, title: "Giải đo tải".into(), description: String::new(), genres: vec![Genre::Tv, Genre::Radio], window_from: "2025-11-01".into(), window_to: "2026-10-31".into(),
        deadline: app::vn_time::now_secs() + 86_400, max_entries_per_author: 5, max_file_mb: 1024, required_fields: vec![], prize_per_genre: false,
        prize_plan: vec![app::prizes::PrizeTier { name: "Giải A".into(), count: 1 }], rubric_preliminary: rubric.clone(), rubric_final: rubric,
        judges_per_entry: 1, aggregation: Aggregation::Mean, trim_each_side: 1, normalise: false, shortlist: ShortlistRule::Top(1), blind: false,
    }).await.unwrap();
    app::accounts::service::create_staff_account(state, "Đài Truyền Hình", "dai.bench@haiphong.gov.vn", "mật khẩu đo tải".into(), &[]).await.unwrap();
    client.post(format!("{base}/api/v1/auth/login")).json(&serde_json::json!({ "identifier": "dai.bench@haiphong.gov.vn", "password": "mật khẩu đo tải" })).send().await.unwrap();
    let body = serde_json::json!({ "genre": "tv", "title": "Phóng sự truyền hình", "authors": [{ "full_name": "Lê Thị Hoa", "share_percent": 100 }], "outlet": "Đài", "published_on": "2026-05-01", "duration_secs": 900, "script": "" });
    let r: serde_json::Value = client.post(format!("{base}/api/v1/award-competitions/{}/entries", c.id)).json(&body).send().await.unwrap().json().await.unwrap();
    r["id"].as_i64().unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub async fn run(base: &str, state: &AppState) {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let entry = draft(state, &client, base).await;
    let mp4_head = [&[0u8, 0, 0, 0x18][..], b"ftypmp42", &[0, 0, 0, 0], b"mp42isom"].concat();
    const VIDEO: usize = 500 * 1024 * 1024;
    let before = status_kb("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/award-entries/{entry}/files"))
        .header("content-type", "multipart/form-data; boundary=BENCHBOUNDARY")
        .body(streamed_body("BENCHBOUNDARY", "phong-su.mp4", mp4_head, VIDEO))
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let peak = status_kb("VmHWM:");
    println!(
        "upload 500 MB mp4: {:.1} s ({:.0} MB/s); process RSS before {} MB, peak during {} MB: growth {} MB (limit 50 MB)",
        took.as_secs_f64(),
        500.0 / took.as_secs_f64(),
        before / 1024,
        peak / 1024,
        peak.saturating_sub(before) / 1024
    );

    // A 100 MB WAV, then seeks as a player makes them: a range from a random offset.
    const AUDIO: usize = 100 * 1024 * 1024;
    let wav_head = server::seed_awards::tone_wav(440.0, 1.0);
    let r = client
        .post(format!("{base}/api/v1/award-entries/{entry}/files"))
        .header("content-type", "multipart/form-data; boundary=BENCHBOUNDARY")
        .body(streamed_body("BENCHBOUNDARY", "phong-su.wav", wav_head[..4096].to_vec(), AUDIO))
        .send()
        .await
        .unwrap();
    let file: serde_json::Value = r.json().await.unwrap();
    let id = file["id"].as_i64().unwrap();
    let (mut first_byte, mut complete) = (vec![], vec![]);
    for i in 0..200u64 {
        let offset = (i * 7_919_993) % (AUDIO as u64 - 65_536);
        let started = Instant::now();
        let r = client.get(format!("{base}/api/v1/award-files/{id}")).header("Range", format!("bytes={offset}-")).send().await.unwrap();
        assert_eq!(r.status(), 206);
        first_byte.push(started.elapsed());
        // A player reads what it needs to start, then lets the rest stream or cancels.
        let mut got = 0usize;
        let mut r = r;
        while got < 65_536 {
            match r.chunk().await.unwrap() {
                Some(c) => got += c.len(),
                None => break,
            }
        }
        complete.push(started.elapsed());
    }
    first_byte.sort();
    complete.sort();
    println!(
        "seek in 100 MB WAV, 200 range requests: headers p50 {:.2} ms p99 {:.2} ms; first 64 KB of audio p50 {:.2} ms p99 {:.2} ms (limit 300 ms)",
        percentile(&first_byte, 0.5).as_secs_f64() * 1000.0,
        percentile(&first_byte, 0.99).as_secs_f64() * 1000.0,
        percentile(&complete, 0.5).as_secs_f64() * 1000.0,
        percentile(&complete, 0.99).as_secs_f64() * 1000.0
    );
}
