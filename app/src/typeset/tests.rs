use super::*;

/// Prints each string of the data as a paragraph of its own.
const ECHO: Template = Template { name: "echo", source: "#let d = json(\"/data.json\")\n#set text(font: \"DejaVu Sans\", size: 9pt)\n#for s in d { par(s) }\n" };

/// Text typed by users that is Typst syntax, printed back as it is: data reaches the
/// templates as JSON strings, never as markup, so there is nothing to escape and nothing to get
/// wrong. Each row is one name as a participant or an organizer might type it.
#[test]
fn typst_syntax_in_user_text_prints_literally() {
    let table = [
        "Phường #Lê Chân",
        "Tổ *đậm* và _nghiêng_",
        "Giá $x^2$ đồng",
        "Liên kết [a](b) và \\ gạch chéo \\n",
        "Thư @nhan-xet <nhan>",
        "= Không phải tiêu đề",
        "- không phải danh sách",
        "+ không phải đánh số",
        "1. không phải đánh số",
        "/ Thuật ngữ: không phải",
        "// không phải chú thích",
        "/* không phải khối */",
        "`không phải mã`",
        "~ -- --- ... -?",
        "#let x = 1",
        "#import \"/data.json\": *",
        "#panic(\"không chạy\")",
        "\"Trích\" và 'dẫn'",
        "#{ 1 + 1 } #(2) #[nội dung]",
        "\\u{41} không phải chữ A",
        "Giải Khuyến khích",
    ];
    let document = layout(ECHO, &table).unwrap();
    let text = page_texts(&document).join(" ");
    for s in table {
        assert!(text.contains(s), "{s:?} printed as it is; the page has {text:?}");
    }
    assert!(!text.contains("không chạy\")") || text.contains("#panic(\"không chạy\")"), "the panic is text, not code");
}

#[test]
fn vietnamese_text_is_set_in_the_bundled_faces() {
    let document = layout(ECHO, &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]).unwrap();
    let text = page_texts(&document).join(" ");
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && text.contains("Độc lập - Tự do - Hạnh phúc"), "{text}");
    // Bold, regular and oblique: the three bundled faces, nothing else.
    assert_eq!(SHARED.fonts.len(), 3);
    assert!(SHARED.fonts.iter().all(|f| f.info().family == "DejaVu Sans"));
}

#[test]
fn a_template_cannot_read_files_beyond_its_data() {
    let reader = Template { name: "reader", source: "#read(\"/etc/passwd\")" };
    let err = layout(reader, &()).unwrap_err().to_string();
    assert!(err.contains("reader"), "{err}");
    let package = Template { name: "package", source: "#import \"@preview/cetz:0.3.0\": *" };
    assert!(layout(package, &()).is_err(), "no package imports");
}

#[test]
fn a_pdf_is_written() {
    let pdf = pdf(ECHO, &["Giải Khuyến khích"]).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}
