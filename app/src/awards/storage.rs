//! Entry files behind the `object_store` interface: a local folder by default (`./data/files`),
//! any S3-compatible store in production. Uploads stream through in bounded parts; the type is
//! decided by the content's magic bytes and must agree with the file's extension.

use bytes::Bytes;
use object_store::path::Path as StorePath;
use object_store::{GetOptions, GetRange, GetResult, ObjectStore, ObjectStoreExt, WriteMultipart};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
}

/// What a file's extension declares, and the content types its bytes may sniff as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Declared {
    pub kind: &'static str,
    /// The Content-Type it is served with.
    pub content_type: &'static str,
    accepted: &'static [&'static str],
}

/// The accepted formats: audio (mp3, m4a, wav), video (mp4), PDF and images.
pub fn declared(filename: &str) -> Option<Declared> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    let d = |kind, content_type, accepted| Some(Declared { kind, content_type, accepted });
    match ext.as_str() {
        "mp3" => d("audio", "audio/mpeg", &["audio/mpeg"]),
        // An .m4a is an MP4 container; many encoders write the generic "isom" brand.
        "m4a" => d("audio", "audio/mp4", &["audio/m4a", "video/mp4"]),
        "wav" => d("audio", "audio/wav", &["audio/x-wav"]),
        "mp4" => d("video", "video/mp4", &["video/mp4", "video/x-m4v"]),
        "pdf" => d("pdf", "application/pdf", &["application/pdf"]),
        "jpg" | "jpeg" => d("image", "image/jpeg", &["image/jpeg"]),
        "png" => d("image", "image/png", &["image/png"]),
        "webp" => d("image", "image/webp", &["image/webp"]),
        _ => None,
    }
}

/// Bytes enough to recognise every accepted format.
pub const SNIFF_BYTES: usize = 4096;

/// The content type the bytes themselves show. `infer` knows every format here; MPEG audio
/// frames without an ID3 tag are recognised by their frame header (sync bits, layer III),
/// which `infer` only checks for one of its variants.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if let Some(t) = infer::get(head) {
        return Some(t.mime_type());
    }
    let mpeg_frame = head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 && (head[1] >> 1) & 0x03 == 0x01;
    mpeg_frame.then_some("audio/mpeg")
}

/// Whether the head of a file agrees with its declared type.
pub fn content_matches(declared: &Declared, head: &[u8]) -> bool {
    sniff(head).is_some_and(|t| declared.accepted.contains(&t))
}

/// An upload in progress: parts go to the store as they fill, so memory holds at most a few
/// parts however large the file. Dropped without `finish`, nothing is left behind
/// (`abort` removes what was written).
pub struct Upload {
    writer: WriteMultipart,
    pub bytes: u64,
    pub head: Vec<u8>,
}

/// Parts in flight per upload: with 5 MB parts, about 15 MB of memory per upload at most.
const PARTS_IN_FLIGHT: usize = 2;

impl Upload {
    pub async fn write(&mut self, chunk: Bytes) -> object_store::Result<()> {
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.bytes += chunk.len() as u64;
        // Back-pressure: wait for the store before taking more from the network.
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.writer.put(chunk);
        Ok(())
    }

    pub async fn finish(self) -> object_store::Result<()> {
        self.writer.finish().await.map(|_| ())
    }

    pub async fn abort(self) {
        if let Err(e) = self.writer.abort().await {
            tracing::warn!(error = %e, "could not abort an upload");
        }
    }
}

impl FileStore {
    /// Files under `dir` on local disk.
    pub fn local(dir: &std::path::Path) -> std::io::Result<FileStore> {
        std::fs::create_dir_all(dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(FileStore { store: Arc::new(store) })
    }

    /// Any other store (S3-compatible, in memory for tests).
    pub fn new(store: Arc<dyn ObjectStore>) -> FileStore {
        FileStore { store }
    }

    pub async fn begin(&self, key: &str) -> object_store::Result<Upload> {
        let upload = self.store.put_multipart(&StorePath::from(key)).await?;
        Ok(Upload { writer: WriteMultipart::new(upload), bytes: 0, head: Vec::with_capacity(SNIFF_BYTES) })
    }

    /// The object, or the byte range `start..end` of it.
    pub async fn get(&self, key: &str, range: Option<std::ops::Range<u64>>) -> object_store::Result<GetResult> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..Default::default() };
        self.store.get_opts(&StorePath::from(key), options).await
    }

    pub async fn size(&self, key: &str) -> object_store::Result<u64> {
        Ok(self.store.head(&StorePath::from(key)).await?.size)
    }

    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        self.store.delete(&StorePath::from(key)).await
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> object_store::Result<()> {
        self.store.put(&StorePath::from(key), bytes.into()).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_head() -> Vec<u8> {
        let mut h = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
        h.extend_from_slice(&[16, 0, 0, 0, 1, 0, 1, 0]);
        h
    }

    #[test]
    fn content_must_match_the_extension() {
        let mp4 = [&[0u8, 0, 0, 0x18][..], b"ftypmp42", &[0, 0, 0, 0], b"mp42isom"].concat();
        let m4a = [&[0u8, 0, 0, 0x18][..], b"ftypM4A ", &[0, 0, 0, 0], b"M4A isom"].concat();
        let id3 = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
        let mpeg2_frame = vec![0xFF, 0xF3, 0x64, 0xC4, 0, 0, 0, 0];
        let pdf = b"%PDF-1.7\n".to_vec();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
        let text = "Kịch bản phát thanh".as_bytes().to_vec();
        // (file name, head, accepted)
        let wav = wav_head();
        let cases: Vec<(&str, &Vec<u8>, bool)> = vec![
            ("phong-su.wav", &wav, true),
            ("phong-su.WAV", &wav, true),
            ("phong-su.mp3", &id3, true),
            ("phong-su.mp3", &mpeg2_frame, true),
            ("phong-su.m4a", &m4a, true),
            ("phong-su.m4a", &mp4, true),
            ("phong-su.mp4", &mp4, true),
            ("kich-ban.pdf", &pdf, true),
            ("anh.png", &png, true),
            ("anh.jpg", &jpeg, true),
            // A renamed file is caught by its content.
            ("phong-su.mp3", &pdf, false),
            ("phong-su.mp4", &wav, false),
            ("kich-ban.pdf", &text, false),
            ("anh.jpg", &png, false),
            ("phong-su.wav", &id3, false),
        ];
        for (name, head, ok) in cases {
            let d = declared(name).expect(name);
            assert_eq!(content_matches(&d, head), ok, "{name}");
        }
        assert_eq!(declared("bai-bao.docx"), None);
        assert_eq!(declared("khong-duoi"), None);
        assert_eq!(declared("a.mp4").unwrap().kind, "video");
    }
}
