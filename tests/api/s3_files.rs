//! Entry files on S3-compatible storage: the platform against a real S3 server (moto in server
//! mode, from PyPI; `scripts/test.sh` installs it into `target/moto-venv` and names it in
//! `MOTO_SERVER`). A large file streams up in parts, the player seeks with range requests,
//! deletion empties the bucket, and an upload cut mid-way leaves neither an object nor an
//! unfinished multipart upload.

use crate::awards::{competition, entry, upload, wav};
use crate::helpers::{Backend, TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};

struct S3Server {
    child: Child,
    url: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3_server() -> S3Server {
    let moto = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {moto} ({e}); scripts/test.sh installs it (pip install \"moto[server]\") and sets MOTO_SERVER"));
    let server = S3Server { child, url: format!("http://127.0.0.1:{port}") };
    for _ in 0..200 {
        if reqwest::get(&server.url).await.is_ok() {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("moto did not start on port {port}");
}

/// What the bucket holds: (key, size) of every object, and the unfinished multipart uploads.
async fn bucket(s3: &S3Server, name: &str) -> (Vec<(String, u64)>, usize) {
    let list = reqwest::get(format!("{}/{name}?list-type=2", s3.url)).await.unwrap().text().await.unwrap();
    let objects = list
        .split("<Contents>")
        .skip(1)
        .map(|c| {
            let tag = |t: &str| c.split(&format!("<{t}>")).nth(1).and_then(|r| r.split(&format!("</{t}>")).next()).unwrap_or_default().to_string();
            (tag("Key"), tag("Size").parse().unwrap_or(0))
        })
        .collect();
    let uploads = reqwest::get(format!("{}/{name}?uploads", s3.url)).await.unwrap().text().await.unwrap();
    (objects, uploads.matches("<Upload>").count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_files_stream_to_an_s3_bucket_seek_delete_and_leave_nothing_when_cut() {
    let s3 = s3_server().await;
    let name = format!("cchc-{}", uuid::Uuid::new_v4().simple());
    // moto takes any credentials; creating the bucket needs no signature there.
    assert!(reqwest::Client::new().put(format!("{}/{name}", s3.url)).send().await.unwrap().status().is_success());
    let (url, bucket_name) = (s3.url.clone(), name.clone());
    let app: TestApp = spawn_app_with(Backend::Sqlite, move |c| {
        c.s3 = Some(server::config::S3Config { bucket: bucket_name, endpoint: Some(url), region: "us-east-1".into(), access_key_id: Some("test".into()), secret_access_key: Some("test".into()) });
    })
    .await
    .unwrap();

    app.seed_units().await;
    app.sign_in_organizer().await;
    let mut c = competition(app::vn_time::now_secs() + 3600);
    c["max_file_mb"] = json!(50);
    let cid = app.post_json("/api/v1/award-competitions", &c).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let unit = app.unit_id("Phường Hải An").await;
    let e: Value = app.post_json(&format!("/api/v1/award-competitions/{cid}/entries"), &entry("Phóng sự", "Lê Văn Tâm", unit, "2026-03-01")).await.json().await.unwrap();
    let eid = e["id"].as_i64().unwrap();

    // A 24 MB recording: several 5 MB parts of a multipart upload.
    let mut big = wav(1.0);
    let header = big.len();
    big.extend((0..(24 << 20) - header).map(|i| (i % 251) as u8));
    let r = upload(&app, &app.client, eid, "phong-su-dai.wav", big.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    let file = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (objects, pending) = bucket(&s3, &name).await;
    assert_eq!(objects.len(), 1, "{objects:?}");
    assert_eq!(objects[0].1, big.len() as u64, "the whole file is in the bucket");
    assert_eq!(pending, 0);
    assert!(std::fs::read_dir(&app.files_dir).map(|d| d.count()).unwrap_or(0) == 0, "nothing on local disk");

    // The player seeks: a range from the middle of the object.
    let r = app.client.get(app.url(&format!("/api/v1/award-files/{file}"))).header("Range", "bytes=10000000-10000099").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &big[10_000_000..10_000_100]);
    let r = app.client.get(app.url(&format!("/api/v1/award-files/{file}"))).header("Range", "bytes=99999999-").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    // Deleted through the platform: gone from the bucket.
    let r = app.client.delete(app.url(&format!("/api/v1/award-files/{file}"))).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(bucket(&s3, &name).await, (vec![], 0));

    // Cut after 12 of a declared 20 MB (two parts already sent): nothing stays behind.
    let head = wav(1.0);
    let chunks = futures_util::stream::iter((0..13).map(move |i| {
        if i < 12 { Ok::<Vec<u8>, std::io::Error>(if i == 0 { let mut v = head.clone(); v.resize(1 << 20, 0); v } else { vec![7u8; 1 << 20] }) } else { Err(std::io::Error::other("cable pulled")) }
    }));
    let boundary = "XBOUNDARYX";
    let prefix = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n").into_bytes();
    let body = futures_util::StreamExt::chain(futures_util::stream::iter(vec![Ok(prefix)]), chunks);
    let r = app.client.post(app.url(&format!("/api/v1/award-entries/{eid}/files")))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await;
    assert!(r.is_err() || !r.unwrap().status().is_success());
    let mut left = (vec![("?".to_string(), 0)], 1);
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = bucket(&s3, &name).await;
        if left == (vec![], 0) {
            break;
        }
    }
    assert_eq!(left, (vec![], 0), "no object and no unfinished multipart upload after the cut");
    assert_eq!(app.count("award_files").await, 0);
}
