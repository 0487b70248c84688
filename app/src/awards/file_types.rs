//! What an entry file may be: audio (mp3, m4a, wav), video (mp4), PDF and images. The type is
//! decided by the content's magic bytes and must agree with the file's extension, so a renamed
//! file is caught.

use super::model::FileKind;

/// What a file's extension declares, and the content types its bytes may sniff as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Declared {
    pub kind: FileKind,
    /// The Content-Type it is served with.
    pub content_type: &'static str,
    accepted: &'static [&'static str],
}

/// The accepted formats: audio (mp3, m4a, wav), video (mp4), PDF and images.
pub fn declared(filename: &str) -> Option<Declared> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    let d = |kind, content_type, accepted| Some(Declared { kind, content_type, accepted });
    match ext.as_str() {
        "mp3" => d(FileKind::Audio, "audio/mpeg", &["audio/mpeg"]),
        // An .m4a is an MP4 container; many encoders write the generic "isom" brand.
        "m4a" => d(FileKind::Audio, "audio/mp4", &["audio/m4a", "video/mp4"]),
        "wav" => d(FileKind::Audio, "audio/wav", &["audio/x-wav"]),
        "mp4" => d(FileKind::Video, "video/mp4", &["video/mp4", "video/x-m4v"]),
        "pdf" => d(FileKind::Pdf, "application/pdf", &["application/pdf"]),
        "jpg" | "jpeg" => d(FileKind::Image, "image/jpeg", &["image/jpeg"]),
        "png" => d(FileKind::Image, "image/png", &["image/png"]),
        "webp" => d(FileKind::Image, "image/webp", &["image/webp"]),
        _ => None,
    }
}

/// Bytes enough to recognise every accepted format.
pub const SNIFF_BYTES: usize = crate::infra::storage::HEAD_BYTES;

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
        assert_eq!(declared("a.mp4").unwrap().kind, FileKind::Video);
    }
}
