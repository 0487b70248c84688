//! The text formats Moodle gives question text, options and feedback: `html`, `moodle` (auto
//! format), `plain` and `markdown`. The bank holds plain text only, shown as text and never
//! rendered as markup, so HTML is turned into the text a reader sees: tags dropped, character
//! references decoded (`&nbsp;` `&amp;` `&lt;` …), paragraphs and `<br>` as line breaks, and
//! the content of `<script>`, `<style>` and the like dropped. The other formats are kept as
//! written. HTML is tokenized by `html5gum` (the WHATWG tokenizer), not by hand.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// A text format, as GIFT's `[html]` markers and Moodle XML's `format` attributes name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Moodle's auto format (GIFT's default): kept as written.
    Moodle,
    Html,
    Plain,
    /// Kept as written: Markdown reads well as it is.
    Markdown,
}

impl Markup {
    /// GIFT's marker names.
    fn of_marker(name: &str) -> Option<Markup> {
        match name {
            "html" => Some(Markup::Html),
            "moodle" => Some(Markup::Moodle),
            "plain" => Some(Markup::Plain),
            "markdown" => Some(Markup::Markdown),
            _ => None,
        }
    }

    /// Moodle XML's `format` attribute; Moodle's own default (auto format) when absent or unknown.
    pub fn of_xml(format: Option<&str>) -> Markup {
        match format.map(str::trim) {
            Some("html") => Markup::Html,
            Some("plain_text") => Markup::Plain,
            Some("markdown") => Markup::Markdown,
            _ => Markup::Moodle,
        }
    }
}

/// A GIFT `[html]`-style marker at the start of `text` (after spaces): its format and the text
/// after it. Text without a known marker comes back whole.
pub fn split_marker(text: &str) -> (Option<Markup>, &str) {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            if let Some(markup) = Markup::of_marker(&rest[..end]) {
                return (Some(markup), &rest[end + 1..]);
            }
        }
    }
    (None, text)
}

/// The plain text of `text` written in `markup`, trimmed.
pub fn to_text(markup: Markup, text: &str) -> String {
    match markup {
        Markup::Html => html_to_text(text),
        Markup::Moodle | Markup::Plain | Markup::Markdown => text.trim().to_string(),
    }
}

/// Elements whose content is never shown as text.
const HIDDEN: [&str; 12] = ["script", "style", "template", "head", "title", "noscript", "iframe", "object", "svg", "math", "textarea", "select"];

/// Elements that start and end on their own line.
const BLOCKS: [&str; 30] = [
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody", "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "address", "hr",
];

struct Text {
    out: String,
    /// A space is owed before the next word (collapsed HTML whitespace).
    space: bool,
}

impl Text {
    fn word(&mut self, s: &str, keep_spaces: bool) {
        for c in s.chars() {
            let c = if c == '\u{a0}' { ' ' } else { c };
            if keep_spaces {
                self.out.push(c);
            } else if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
                    self.out.push(' ');
                }
                self.space = false;
                self.out.push(c);
            }
        }
    }

    /// Ends the current line unless it is already ended (a block boundary).
    fn end_line(&mut self) {
        self.space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// A `<br>`: always a line break, so two make an empty line.
    fn line_break(&mut self) {
        self.space = false;
        self.out.push('\n');
    }
}

/// The text a reader sees in an HTML fragment: one line per paragraph or `<br>` (at most one
/// empty line in a row), list items with "- ", spaces collapsed, no tags, no script.
pub fn html_to_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // `<script>`, `<style>`, `<textarea>`… hold raw text, not tags.
    emitter.naively_switch_states(true);
    let mut text = Text { out: String::new(), space: false };
    let mut hidden = 0usize;
    let mut pre = 0usize;
    for Ok(token) in Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                if HIDDEN.contains(&name.as_str()) {
                    hidden += usize::from(!tag.self_closing);
                    continue;
                }
                if hidden > 0 {
                    continue;
                }
                match name.as_str() {
                    "br" => text.line_break(),
                    "pre" => {
                        pre += usize::from(!tag.self_closing);
                        text.end_line();
                    }
                    "li" => {
                        text.end_line();
                        text.out.push_str("- ");
                    }
                    "td" | "th" => text.space = true,
                    n if BLOCKS.contains(&n) => text.end_line(),
                    _ => {}
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                if HIDDEN.contains(&name.as_str()) {
                    hidden = hidden.saturating_sub(1);
                } else if hidden == 0 {
                    if name == "pre" {
                        pre = pre.saturating_sub(1);
                    }
                    if name == "br" {
                        text.line_break();
                    } else if BLOCKS.contains(&name.as_str()) {
                        text.end_line();
                    }
                }
            }
            Token::String(s) if hidden == 0 => text.word(&String::from_utf8_lossy(&s.value), pre > 0),
            _ => {}
        }
    }
    tidy(&text.out)
}

/// Trims every line and the whole, and keeps at most one empty line in a row.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut empty = 0;
    for line in text.lines().map(str::trim_end) {
        let line = line.trim_start_matches(' ');
        if line.is_empty() {
            empty += 1;
            if empty > 1 || out.is_empty() {
                continue;
            }
        } else {
            empty = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_the_text_a_reader_sees() {
        let cases = [
            ("<p>Thủ tục hành chính</p>", "Thủ tục hành chính"),
            ("<p>Một&nbsp;cửa &amp; một cửa liên thông</p>", "Một cửa & một cửa liên thông"),
            ("2 &lt; 3 &gt; 1 &quot;x&quot; &#39;y&#39; &#x110;", "2 < 3 > 1 \"x\" 'y' Đ"),
            ("<p>Dòng 1<br>Dòng 2<br/>Dòng 3</p>", "Dòng 1\nDòng 2\nDòng 3"),
            ("<p>Đoạn 1</p><p>Đoạn 2</p>", "Đoạn 1\nĐoạn 2"),
            ("Nghe:<br /><br />Câu hỏi?", "Nghe:\n\nCâu hỏi?"),
            ("<b>Sở</b>   <i>Nội\n  vụ</i>", "Sở Nội vụ"),
            ("<span style=\"color:red\">đỏ</span>", "đỏ"),
            ("a<script>alert('<p>x</p>')</script>b", "ab"),
            ("<style>p { color: red }</style><p>c</p>", "c"),
            ("Chọn:<ul><li>một</li><li>hai</li></ul>", "Chọn:\n- một\n- hai"),
            ("<img src=\"@@PLUGINFILE@@/a.png\" alt=\"logo\"> chữ", "chữ"),
            ("<!-- ghi chú --><p>x</p>", "x"),
            ("<p>không đóng", "không đóng"),
            ("a < b và c > d", "a < b và c > d"),
            ("<pre>  giữ   khoảng</pre>", "giữ   khoảng"),
            ("<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>", "A B\nC"),
            ("", ""),
        ];
        for (html, want) in cases {
            assert_eq!(html_to_text(html), want, "{html:?}");
        }
    }

    #[test]
    fn markers_are_recognised_and_removed() {
        let cases: [(&str, Option<Markup>, &str); 6] = [
            ("[html]<p>x</p>", Some(Markup::Html), "<p>x</p>"),
            ("  [moodle]x", Some(Markup::Moodle), "x"),
            ("[plain]x", Some(Markup::Plain), "x"),
            ("[markdown]**x**", Some(Markup::Markdown), "**x**"),
            ("[note] x", None, "[note] x"),
            ("x [html]", None, "x [html]"),
        ];
        for (text, markup, rest) in cases {
            assert_eq!(split_marker(text), (markup, rest), "{text:?}");
        }
        assert_eq!(to_text(Markup::Html, "<p>a&amp;b</p>"), "a&b");
        assert_eq!(to_text(Markup::Plain, " <p>a&amp;b</p> "), "<p>a&amp;b</p>", "plain text is never read as HTML");
        assert_eq!(Markup::of_xml(Some("plain_text")), Markup::Plain);
        assert_eq!(Markup::of_xml(Some("moodle_auto_format")), Markup::Moodle);
        assert_eq!(Markup::of_xml(None), Markup::Moodle);
    }
}
