//! Question import formats. Each parser turns a file into accepted questions and problems by
//! line; nothing is stored until the organizer applies a clean preview. Only the server reads
//! and writes files, so none of this is in the browser bundle.
#[cfg(feature = "ssr")]
pub mod aiken;
#[cfg(feature = "ssr")]
pub mod gift;
#[cfg(feature = "ssr")]
pub mod markup;
#[cfg(feature = "ssr")]
pub mod moodle_xml;
#[cfg(feature = "ssr")]
pub mod table;
#[cfg(all(test, feature = "ssr"))]
mod gift_tests;
#[cfg(all(test, feature = "ssr"))]
mod moodle_xml_tests;

/// The topic a Moodle category path gives its questions (GIFT `$CATEGORY:` lines, Moodle XML
/// category questions): the last segment, trimmed. The context (`$course$`, `$system$`…), the
/// `top` category and Moodle's automatic "Default for …" category name no topic, so `None`
/// (the import's default topic applies). Moodle writes a `/` inside a name as `//`.
pub fn topic_of_category(path: &str) -> Option<String> {
    let path = path.trim().replace("//", "\u{1f}");
    let mut segments: Vec<String> = path.split('/').map(|s| s.replace('\u{1f}', "/").trim().to_string()).filter(|s| !s.is_empty()).collect();
    if segments.first().is_some_and(|s| s.len() > 1 && s.starts_with('$') && s.ends_with('$')) {
        segments.remove(0);
    }
    if segments.first().is_some_and(|s| s == "top") {
        segments.remove(0);
    }
    let last = segments.pop()?;
    let automatic = ["Default for ", "Mặc định cho "].iter().any(|p| last.starts_with(p));
    (!automatic).then_some(last)
}

/// The path a topic is written under in Moodle files (`$course$/top/Topic`), `/` doubled.
pub fn category_of_topic(topic: &str) -> String {
    if topic.trim().is_empty() { "$course$/top".to_string() } else { format!("$course$/top/{}", topic.trim().replace('/', "//")) }
}

/// Questions in the order the exports write them: those without a topic first, then each
/// topic's questions together, topics in the order they first appear, so each topic is one
/// Moodle category.
#[cfg(feature = "ssr")]
pub fn grouped_by_topic(questions: &[crate::quiz::model::DraftQuestion]) -> Vec<&crate::quiz::model::DraftQuestion> {
    fn topic(q: &crate::quiz::model::DraftQuestion) -> Option<&str> {
        q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
    let mut order: Vec<Option<&str>> = vec![None];
    for q in questions {
        if !order.contains(&topic(q)) {
            order.push(topic(q));
        }
    }
    order.into_iter().flat_map(|t| questions.iter().filter(move |q| topic(q) == t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_from_category_paths() {
        let cases = [
            ("$course$/top/Default for CCHC 2025/Thủ tục hành chính", Some("Thủ tục hành chính")),
            ("$course$/top/ Cải cách  ", Some("Cải cách")),
            ("$course$/Iota/Kappa", Some("Kappa")),
            ("$system$/top/Chung", Some("Chung")),
            ("tom/dick/harry", Some("harry")),
            ("Luật 2025/Nghị định 61//2018", Some("Nghị định 61/2018")),
            ("$course$/top", None),
            ("top", None),
            ("$course$/top/Default for CCHC 2025", None),
            ("$course$/top/Mặc định cho Khóa học", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(topic_of_category(path).as_deref(), want, "{path:?}");
        }
        for topic in ["Thủ tục hành chính", "Nghị định 61/2018", ""] {
            let back = topic_of_category(&category_of_topic(topic)).unwrap_or_default();
            assert_eq!(back, topic);
        }
    }
}
