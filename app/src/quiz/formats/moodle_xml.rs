//! Moodle XML, the format Moodle users exchange most: `<quiz>` holding `<question>`s.
//!
//! Read: `category` questions set the topic of the questions after them (see
//! [`topic_of_category`]); `multichoice` (`<single>true</single>`: one answer, else several;
//! `fraction` is the answer's share of the points) and `truefalse` become questions; every
//! other type (essay, matching, short answer, numerical, cloze, description…) is refused with
//! the line of its `<question>`. Text in `format="html"` becomes plain text (see [`markup`]);
//! `<file>` attachments are ignored. `<generalfeedback>` is the explanation, a
//! `difficulty:easy|medium|hard` tag the difficulty.
//!
//! Written: one category per topic, text as `plain_text` (what the bank holds), the
//! explanation as general feedback and the difficulty as that tag, so an export imports back
//! as it was. XML is read and written with `quick-xml`, which expands no external entity.

use super::markup::{self, Markup};
use super::{category_of_topic, grouped_by_topic, topic_of_category};
use crate::quiz::model::{DraftOption, DraftQuestion, ImportIssue, ParsedFile, QuestionKind};
use quick_xml::Reader;
use quick_xml::encoding::Decoder;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};

/// Deeper than any Moodle file (about six levels); refused rather than risk the stack.
const MAX_DEPTH: usize = 64;

/// An element of the file with its text (CDATA included) and the line it starts on.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
    line: usize,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `<x><text>…</text></x>`, or older files' `<x>…</x>`, as it is written.
    fn raw_text(&self) -> &str {
        self.child("text").map_or(self.text.as_str(), |t| t.text.as_str())
    }

    /// The text of an element with a `format` attribute, in plain text.
    fn rich_text(&self) -> String {
        markup::to_text(Markup::of_xml(self.attr("format")), self.raw_text())
    }
}

fn issue(line: usize, key: &str, detail: &str) -> ImportIssue {
    let detail: String = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    let detail = if detail.chars().count() > 80 { format!("{}…", detail.chars().take(80).collect::<String>()) } else { detail };
    ImportIssue { line, message: key.to_string(), detail, field: None }
}

fn element_of(start: &BytesStart, decoder: Decoder, line: usize) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let value = attr.decode_and_unescape_value(decoder).map_err(|e| e.to_string())?;
        attrs.push((String::from_utf8_lossy(attr.key.as_ref()).into_owned(), value.into_owned()));
    }
    Ok(Element { name: String::from_utf8_lossy(start.name().as_ref()).into_owned(), attrs, line, ..Element::default() })
}

/// The whole document as a tree under a nameless root, or the first problem with its line.
fn read_tree(text: &str) -> Result<Element, ImportIssue> {
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    let line_at = |pos: u64| newlines.partition_point(|&nl| (nl as u64) < pos) + 1;
    let invalid = |pos: u64, detail: &str| issue(line_at(pos), "err.xml_invalid", detail);
    let mut reader = Reader::from_str(text);
    let mut stack = vec![Element { line: 1, ..Element::default() }];
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| invalid(reader.error_position().max(pos), &e.to_string()))?;
        let top = stack.last_mut().expect("the root stays");
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(invalid(pos, "nesting too deep"));
                }
                let element = element_of(&start, reader.decoder(), line_at(pos)).map_err(|e| invalid(pos, &e))?;
                stack.push(element);
            }
            Event::Empty(start) => top.children.push(element_of(&start, reader.decoder(), line_at(pos)).map_err(|e| invalid(pos, &e))?),
            Event::End(_) => {
                let done = stack.pop().expect("quick-xml matches end tags");
                stack.last_mut().ok_or_else(|| invalid(pos, "unexpected end tag"))?.children.push(done);
            }
            // Attachments (base64) are not kept.
            Event::Text(_) | Event::CData(_) if top.name == "file" => {}
            Event::Text(t) => top.text.push_str(&t.unescape().map_err(|e| invalid(pos, &e.to_string()))?),
            Event::CData(c) => top.text.push_str(&String::from_utf8_lossy(&c.into_inner())),
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() > 1 {
        let open = stack.last().expect("checked");
        return Err(issue(open.line, "err.xml_invalid", &format!("<{}> is not closed", open.name)));
    }
    Ok(stack.pop().expect("the root stays"))
}

/// The locale key for a question type the platform cannot hold.
fn refused(kind: &str) -> &'static str {
    match kind {
        "essay" => "err.gift_essay",
        "matching" | "randomsamatch" => "err.gift_matching",
        "shortanswer" => "err.gift_short_answer",
        "numerical" => "err.gift_numerical",
        _ => "err.xml_type_unsupported",
    }
}

fn question(q: &Element, kind: &str) -> Result<DraftQuestion, ImportIssue> {
    let line = q.line;
    let name = q.child("name").map(|n| n.raw_text().trim().to_string()).filter(|n| !n.is_empty());
    let text = q.child("questiontext").map(Element::rich_text).unwrap_or_default();
    if text.is_empty() {
        return Err(issue(line, "err.gift_no_text", name.as_deref().unwrap_or("")));
    }
    let explanation = q.child("generalfeedback").map(Element::rich_text).filter(|e| !e.is_empty());
    let mut difficulty = None;
    for tag in q.child("tags").into_iter().flat_map(|t| t.children("tag")) {
        let tag = tag.raw_text().trim();
        if let Some(value) = tag.get(..11).filter(|p| p.eq_ignore_ascii_case("difficulty:")).map(|_| &tag[11..]) {
            difficulty = Some(super::table::difficulty_of(value).ok_or_else(|| issue(line, "err.difficulty_unknown", tag))?.to_string());
        }
    }
    // (share of the points, text, feedback) of each answer.
    let answers: Vec<(f64, String, Option<String>)> = q
        .children("answer")
        .map(|a| {
            let weight = a.attr("fraction").and_then(|f| f.trim().parse::<f64>().ok()).filter(|f| f.is_finite()).unwrap_or(0.0) / 100.0;
            (weight, a.rich_text(), a.child("feedback").map(Element::rich_text).filter(|f| !f.is_empty()))
        })
        .collect();
    let draft = |kind, options| DraftQuestion { line, name: name.clone(), text: text.clone(), kind, options, explanation: explanation.clone(), topic: None, difficulty: difficulty.clone() };
    if kind == "truefalse" {
        let find = |label: &str| answers.iter().find(|(_, t, _)| t.trim().eq_ignore_ascii_case(label));
        let (Some(yes), Some(no)) = (find("true"), find("false")) else {
            return Err(issue(line, "err.xml_truefalse_answers", &text));
        };
        if (yes.0 > 0.0) == (no.0 > 0.0) {
            return Err(issue(line, "err.xml_truefalse_answers", &text));
        }
        let option = |label: &str, answer: &(f64, String, Option<String>)| {
            let correct = answer.0 > 0.0;
            DraftOption { text: label.into(), correct, weight: if correct { 1.0 } else { 0.0 }, feedback: answer.2.clone() }
        };
        return Ok(draft(QuestionKind::TrueFalse, vec![option("Đúng", yes), option("Sai", no)]));
    }
    let single = !matches!(q.child("single").map(|s| s.raw_text().trim().to_lowercase()).as_deref(), Some("false" | "0"));
    let kind = if single { QuestionKind::Single } else { QuestionKind::Multiple };
    // A one-answer question's right answer is the one worth all the points; the others may
    // still carry partial credit, as in GIFT.
    let options: Vec<DraftOption> = answers
        .into_iter()
        .map(|(weight, text, feedback)| DraftOption { text, correct: if single { weight >= 0.99999 } else { weight > 0.0 }, weight, feedback })
        .collect();
    if options.len() < 2 {
        return Err(issue(line, "err.too_few_options", &text));
    }
    if options.iter().any(|o| o.text.is_empty()) {
        return Err(issue(line, "err.empty_option", &text));
    }
    match options.iter().filter(|o| o.correct).count() {
        0 => Err(issue(line, "err.no_correct_option", &text)),
        n if single && n > 1 => Err(issue(line, "err.xml_many_correct", &text)),
        _ => Ok(draft(kind, options)),
    }
}

pub fn parse(text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    let root = match read_tree(text.trim_start_matches('\u{feff}')) {
        Ok(root) => root,
        Err(e) => {
            parsed.errors.push(e);
            return parsed;
        }
    };
    let Some(quiz) = root.children.first().filter(|e| e.name == "quiz" && root.children.len() == 1) else {
        let found = root.children.first().map(|e| format!("<{}>", e.name)).unwrap_or_default();
        parsed.errors.push(issue(root.children.first().map_or(1, |e| e.line), "err.xml_not_quiz", &found));
        return parsed;
    };
    let mut topic = None;
    for q in quiz.children("question") {
        match q.attr("type").unwrap_or("").trim() {
            "category" => topic = topic_of_category(q.child("category").map(Element::raw_text).unwrap_or("")),
            kind @ ("multichoice" | "truefalse") => match question(q, kind) {
                Ok(d) => parsed.questions.push(DraftQuestion { topic: topic.clone(), ..d }),
                Err(e) => parsed.errors.push(e),
            },
            other => {
                let name = q.child("name").map(Element::raw_text).unwrap_or("");
                parsed.errors.push(issue(q.line, refused(other), &format!("{other}: {name}")));
            }
        }
    }
    parsed
}

/// Text as XML character data: escaped, and without the control characters XML cannot hold.
fn xml_text(s: &str) -> String {
    let kept: String = s.chars().filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control() || (*c as u32) >= 0x7f).collect();
    escape(kept.as_str()).into_owned()
}

/// A fraction as Moodle writes it: a percentage with at most five decimals ("33.33333").
fn fraction(weight: f64) -> String {
    let s = format!("{:.5}", weight * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn text_block(out: &mut String, indent: &str, tag: &str, format: &str, text: &str) {
    out.push_str(&format!("{indent}<{tag} format=\"{format}\">\n{indent}  <text>{}</text>\n{indent}</{tag}>\n", xml_text(text)));
}

/// The questions as a Moodle XML file.
pub fn write(questions: &[DraftQuestion]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut topic: Option<&str> = None;
    for q in grouped_by_topic(questions) {
        let this = q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if this.is_some() && this != topic {
            out.push_str(&format!("  <question type=\"category\">\n    <category>\n      <text>{}</text>\n    </category>\n  </question>\n\n", xml_text(&category_of_topic(this.unwrap_or("")))));
            topic = this;
        }
        let kind = if q.kind == QuestionKind::TrueFalse { "truefalse" } else { "multichoice" };
        // Moodle wants a name: the file's, or the start of the text.
        let name = q.name.clone().unwrap_or_else(|| {
            let line = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.chars().count() > 60 { format!("{}…", line.chars().take(60).collect::<String>()) } else { line }
        });
        out.push_str(&format!("  <question type=\"{kind}\">\n    <name>\n      <text>{}</text>\n    </name>\n", xml_text(&name)));
        text_block(&mut out, "    ", "questiontext", "plain_text", &q.text);
        text_block(&mut out, "    ", "generalfeedback", "plain_text", q.explanation.as_deref().unwrap_or(""));
        out.push_str("    <defaultgrade>1</defaultgrade>\n    <hidden>0</hidden>\n");
        let answers: Vec<(String, &str, Option<&str>)> = match q.kind {
            QuestionKind::TrueFalse => {
                // The first option is "true", as in GIFT's export.
                let truth = q.options.first().is_some_and(|o| o.correct);
                let feedback = |i: usize| q.options.get(i).and_then(|o| o.feedback.as_deref());
                vec![(fraction(if truth { 1.0 } else { 0.0 }), "true", feedback(0)), (fraction(if truth { 0.0 } else { 1.0 }), "false", feedback(1))]
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                let single = q.kind == QuestionKind::Single;
                out.push_str(&format!("    <single>{single}</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n"));
                q.options
                    .iter()
                    .map(|o| {
                        let weight = if single && o.correct { 1.0 } else if o.correct && o.weight <= 0.0 { 1.0 } else { o.weight };
                        (fraction(weight), o.text.as_str(), o.feedback.as_deref())
                    })
                    .collect()
            }
        };
        let format = if q.kind == QuestionKind::TrueFalse { "moodle_auto_format" } else { "plain_text" };
        for (fraction, text, feedback) in answers {
            out.push_str(&format!("    <answer fraction=\"{fraction}\" format=\"{format}\">\n      <text>{}</text>\n", xml_text(text)));
            text_block(&mut out, "      ", "feedback", "plain_text", feedback.unwrap_or(""));
            out.push_str("    </answer>\n");
        }
        if let Some(d) = q.difficulty.as_deref().filter(|d| !d.is_empty()) {
            out.push_str(&format!("    <tags>\n      <tag>\n        <text>difficulty:{}</text>\n      </tag>\n    </tags>\n", xml_text(d)));
        }
        out.push_str("  </question>\n\n");
    }
    out.push_str("</quiz>\n");
    out
}
