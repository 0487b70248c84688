//! Quy tắc bốc câu hỏi as organizers write them and as the bank can meet them: the text form
//! ("3 | Thủ tục hành chính | dễ", one rule a line), and how many questions each rule can still
//! get from the pool. Pure and shared by the server and the round form's builder in the browser.
//!
//! Rules draw in order without repeats, so rules that overlap (a topic with any difficulty, and
//! any topic of one difficulty) compete for the questions they share. Whether a set of rules can
//! be met is a flow problem: rules on one side (each wants `count`), groups of interchangeable
//! questions (same topic and difficulty) on the other. [`availability`] and the draw both use it,
//! so what the form promises is what the draw delivers.

use super::model::DrawRule;
use serde::{Deserialize, Serialize};

/// Active questions of one topic and difficulty in an audience's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolGroup {
    pub topic: String,
    /// The stored code: easy, medium or hard.
    pub difficulty: String,
    pub count: i64,
}

/// What the round form needs to build rules for an audience: its pool by topic and difficulty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DrawPool {
    /// Topics in the bank's own spelling, sorted.
    pub topics: Vec<String>,
    pub groups: Vec<PoolGroup>,
    /// Active questions in the pool.
    pub total: i64,
}

impl DrawPool {
    /// Groups questions (topic, difficulty) into the pool; topics that fold alike are one topic.
    pub fn of<'a>(questions: impl IntoIterator<Item = (&'a str, &'a str)>) -> DrawPool {
        let mut groups: Vec<PoolGroup> = Vec::new();
        for (topic, difficulty) in questions {
            match groups.iter_mut().find(|g| same_topic(&g.topic, topic) && g.difficulty == difficulty) {
                Some(g) => g.count += 1,
                None => groups.push(PoolGroup { topic: topic.to_string(), difficulty: difficulty.to_string(), count: 1 }),
            }
        }
        groups.sort_by(|a, b| (crate::text::fold(&a.topic), difficulty_rank(&a.difficulty)).cmp(&(crate::text::fold(&b.topic), difficulty_rank(&b.difficulty))));
        let mut topics: Vec<String> = Vec::new();
        for g in &groups {
            if !topics.iter().any(|t| same_topic(t, &g.topic)) {
                topics.push(g.topic.clone());
            }
        }
        DrawPool { total: groups.iter().map(|g| g.count).sum(), topics, groups }
    }
}

fn same_topic(a: &str, b: &str) -> bool {
    crate::text::fold(a) == crate::text::fold(b)
}

fn difficulty_rank(code: &str) -> usize {
    crate::quiz::model::DIFFICULTIES.iter().position(|d| *d == code).unwrap_or(usize::MAX)
}

/// Whether a rule takes questions of this topic and difficulty (an empty filter takes any).
pub fn rule_takes(rule: &DrawRule, topic: &str, difficulty: &str) -> bool {
    (rule.topic.is_empty() || same_topic(&rule.topic, topic)) && (rule.difficulty.is_empty() || rule.difficulty == difficulty)
}

/// A difficulty as people write it: the stored codes, or Vietnamese with or without accents, in
/// any case. `Some("")` is "any".
pub fn difficulty_code(word: &str) -> Option<&'static str> {
    match crate::text::fold(word).as_str() {
        "" | "bat ky" | "any" | "*" => Some(""),
        "easy" | "de" => Some("easy"),
        "medium" | "trung binh" | "tb" => Some("medium"),
        "hard" | "kho" => Some("hard"),
        _ => None,
    }
}

/// The Vietnamese word the text form writes for a stored difficulty.
pub fn difficulty_word(code: &str) -> &str {
    match code {
        "easy" => "dễ",
        "medium" => "trung bình",
        "hard" => "khó",
        other => other,
    }
}

/// A line of the text form that could not be read: its number (from 1, blank lines counted,
/// as the text box shows them) and the locale key of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub key: &'static str,
}

impl LineError {
    /// The field error: the key with the line as its detail ("Dòng 2: …"); line 0 is the
    /// text as a whole.
    pub fn field_key(&self) -> String {
        if self.line == 0 { self.key.to_string() } else { format!("{}:{}", self.key, self.line) }
    }
}

/// Reads "count | topic | difficulty" lines; topic and difficulty may be left out or empty.
/// The first problem wins, by its line.
pub fn parse_text(text: &str) -> Result<Vec<DrawRule>, LineError> {
    let mut rules = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() > 3 {
            return Err(LineError { line: line_no, key: "err.draw_rule_parts" });
        }
        let count = match parts[0].parse::<i64>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(LineError { line: line_no, key: "err.draw_rule_count" }),
        };
        let topic = parts.get(1).copied().unwrap_or("");
        let topic = if difficulty_code(topic) == Some("") { "" } else { topic };
        let difficulty = difficulty_code(parts.get(2).copied().unwrap_or("")).ok_or(LineError { line: line_no, key: "err.draw_rule_difficulty" })?;
        rules.push(DrawRule { count, topic: topic.to_string(), difficulty: difficulty.to_string() });
    }
    if rules.is_empty() {
        return Err(LineError { line: 0, key: "err.draw_rule_none" });
    }
    Ok(rules)
}

/// One line of the text form: parts left out from the end when they are "any", the difficulty
/// in Vietnamese.
pub fn line_of(count: &str, topic: &str, difficulty: &str) -> String {
    let count = count.trim();
    match (topic.trim(), difficulty) {
        ("", "") => count.to_string(),
        (topic, "") => format!("{count} | {topic}"),
        (topic, d) => format!("{count} | {topic} | {}", difficulty_word(d)),
    }
}

/// The text form of rules; [`parse_text`] reads it back.
pub fn to_text(rules: &[DrawRule]) -> String {
    rules.iter().map(|r| line_of(&r.count.to_string(), &r.topic, &r.difficulty)).collect::<Vec<_>>().join("\n")
}

/// How one rule stands against the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowAvailability {
    /// Active questions the rule's filters take, ignoring the other rules.
    pub matching: i64,
    /// What the rule can still get once the rules before it have theirs.
    pub available: i64,
}

impl RowAvailability {
    pub fn short(&self, count: i64) -> bool {
        count > self.available
    }
}

/// For each rule, in order: its matching questions, and how many it can get after the rules
/// above it (overlaps counted once, as the draw takes them).
pub fn availability(groups: &[PoolGroup], rules: &[DrawRule]) -> Vec<RowAvailability> {
    let mut out = Vec::with_capacity(rules.len());
    let mut before = 0;
    for (i, rule) in rules.iter().enumerate() {
        let matching: i64 = groups.iter().filter(|g| rule_takes(rule, &g.topic, &g.difficulty)).map(|g| g.count).sum();
        // Earlier rules take what they can; this rule, unbounded, adds what is left for it.
        let mut wants: Vec<i64> = rules[..i].iter().map(|r| r.count.max(0)).collect();
        wants.push(matching);
        let with = max_assignment(groups, &rules[..=i], &wants);
        out.push(RowAvailability { matching, available: with - before });
        let capped: Vec<i64> = rules[..=i].iter().map(|r| r.count.max(0)).collect();
        before = max_assignment(groups, &rules[..=i], &capped);
    }
    out
}

/// Whether every rule can have its count at once.
pub fn feasible(groups: &[PoolGroup], rules: &[DrawRule]) -> bool {
    let wants: Vec<i64> = rules.iter().map(|r| r.count.max(0)).collect();
    max_assignment(groups, rules, &wants) == wants.iter().sum::<i64>()
}

/// The most questions rules can take together, rule `r` at most `wants[r]`, each question once:
/// a maximum flow from rules through the groups they take (Edmonds–Karp on a graph of a few
/// dozen nodes; the form recomputes it on every keystroke without noticing).
fn max_assignment(groups: &[PoolGroup], rules: &[DrawRule], wants: &[i64]) -> i64 {
    let (r, g) = (rules.len(), groups.len());
    let n = 2 + r + g;
    let (source, sink) = (0, n - 1);
    let mut cap = vec![vec![0i64; n]; n];
    for (i, rule) in rules.iter().enumerate() {
        cap[source][1 + i] = wants[i].max(0);
        for (j, group) in groups.iter().enumerate() {
            if rule_takes(rule, &group.topic, &group.difficulty) {
                cap[1 + i][1 + r + j] = i64::MAX / 4;
            }
        }
    }
    for (j, group) in groups.iter().enumerate() {
        cap[1 + r + j][sink] = group.count.max(0);
    }
    let mut flow = 0;
    loop {
        let mut parent = vec![usize::MAX; n];
        parent[source] = source;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            for v in 0..n {
                if parent[v] == usize::MAX && cap[u][v] > 0 {
                    parent[v] = u;
                    queue.push_back(v);
                }
            }
        }
        if parent[sink] == usize::MAX {
            return flow;
        }
        let mut push = i64::MAX;
        let mut v = sink;
        while v != source {
            push = push.min(cap[parent[v]][v]);
            v = parent[v];
        }
        let mut v = sink;
        while v != source {
            cap[parent[v]][v] -= push;
            cap[v][parent[v]] += push;
            v = parent[v];
        }
        flow += push;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(count: i64, topic: &str, difficulty: &str) -> DrawRule {
        DrawRule { count, topic: topic.into(), difficulty: difficulty.into() }
    }

    #[test]
    fn difficulty_words_in_either_language() {
        let cases = [
            ("dễ", Some("easy")), ("DỄ", Some("easy")), ("de", Some("easy")), ("Easy", Some("easy")),
            ("trung bình", Some("medium")), ("Trung Binh", Some("medium")), ("medium", Some("medium")),
            ("khó", Some("hard")), ("KHO", Some("hard")), ("hard", Some("hard")),
            ("", Some("")), ("bất kỳ", Some("")), ("any", Some("")), ("rất khó", None), ("3", None),
        ];
        for (word, code) in cases {
            assert_eq!(difficulty_code(word), code, "{word:?}");
        }
    }

    #[test]
    fn lines_become_rules_or_name_their_problem() {
        let ok: [(&str, Vec<DrawRule>); 4] = [
            ("3 | Thủ tục hành chính | Dễ", vec![rule(3, "Thủ tục hành chính", "easy")]),
            ("10\n\n 2 |  | KHÓ ", vec![rule(10, "", ""), rule(2, "", "hard")]),
            ("4 | Chuyển đổi số | trung binh\n5 | bất kỳ | easy", vec![rule(4, "Chuyển đổi số", "medium"), rule(5, "", "easy")]),
            ("7 | Chỉ số đánh giá", vec![rule(7, "Chỉ số đánh giá", "")]),
        ];
        for (text, rules) in ok {
            assert_eq!(parse_text(text), Ok(rules.clone()), "{text:?}");
            assert_eq!(parse_text(&to_text(&rules)), Ok(rules), "{text:?} round-trips");
        }
        let bad = [
            ("mười câu", 1, "err.draw_rule_count"),
            ("3 | A | dễ\n0 | B", 2, "err.draw_rule_count"),
            ("3\n\n-1", 3, "err.draw_rule_count"),
            ("3 | A | rất khó", 1, "err.draw_rule_difficulty"),
            ("2\n3 | A | dễ | thêm", 2, "err.draw_rule_parts"),
            ("  \n", 0, "err.draw_rule_none"),
        ];
        for (text, line, key) in bad {
            assert_eq!(parse_text(text), Err(LineError { line, key }), "{text:?}");
        }
        assert_eq!(LineError { line: 2, key: "err.draw_rule_count" }.field_key(), "err.draw_rule_count:2");
        assert_eq!(LineError { line: 0, key: "err.draw_rule_none" }.field_key(), "err.draw_rule_none");
        let lines = [(("5", "", ""), "5"), ((" 3 ", "Chuyển đổi số", ""), "3 | Chuyển đổi số"), (("2", "", "hard"), "2 |  | khó"), (("x", "A", "easy"), "x | A | dễ")];
        for ((count, topic, difficulty), line) in lines {
            assert_eq!(line_of(count, topic, difficulty), line);
        }
    }

    fn groups() -> Vec<PoolGroup> {
        vec![
            PoolGroup { topic: "Thủ tục hành chính".into(), difficulty: "easy".into(), count: 6 },
            PoolGroup { topic: "Thủ tục hành chính".into(), difficulty: "hard".into(), count: 4 },
            PoolGroup { topic: "Chuyển đổi số".into(), difficulty: "easy".into(), count: 5 },
            PoolGroup { topic: "Chuyển đổi số".into(), difficulty: "hard".into(), count: 2 },
        ]
    }

    #[test]
    fn availability_counts_overlaps_once() {
        // (rules, expected (matching, available) per row)
        let cases: Vec<(Vec<DrawRule>, Vec<(i64, i64)>)> = vec![
            (vec![rule(3, "thu tuc hanh chinh", "easy")], vec![(6, 6)]),
            (vec![rule(5, "", "")], vec![(17, 17)]),
            // Two disjoint rows.
            (vec![rule(3, "Thủ tục hành chính", ""), rule(2, "Chuyển đổi số", "hard")], vec![(10, 10), (2, 2)]),
            // Overlap: any topic of "hard" after the first topic whole: the first takes 10 only
            // if the hard ones are left to the second when they can be.
            (vec![rule(8, "Thủ tục hành chính", ""), rule(5, "", "hard")], vec![(10, 10), (6, 4)]),
            // A row asking for more than there is, and the rows after it.
            (vec![rule(12, "Thủ tục hành chính", ""), rule(3, "", "")], vec![(10, 10), (17, 7)]),
            (vec![rule(15, "", ""), rule(4, "", "hard")], vec![(17, 17), (6, 2)]),
            (vec![rule(2, "Không có", "")], vec![(0, 0)]),
        ];
        for (rules, expected) in cases {
            let got: Vec<(i64, i64)> = availability(&groups(), &rules).iter().map(|a| (a.matching, a.available)).collect();
            assert_eq!(got, expected, "{rules:?}");
            let all_fit = rules.iter().zip(&got).all(|(r, (_, avail))| r.count <= *avail);
            assert_eq!(feasible(&groups(), &rules), all_fit, "{rules:?}");
        }
    }

    #[test]
    fn the_pool_groups_topics_that_fold_alike() {
        let pool = DrawPool::of([("Thủ tục hành chính", "hard"), ("Thủ tục hành chính", "easy"), ("Chuyển đổi số", "easy"), ("thủ tục hành chính", "easy")]);
        assert_eq!(pool.topics, ["Chuyển đổi số", "Thủ tục hành chính"]);
        assert_eq!(pool.total, 4);
        let counts: Vec<(&str, i64)> = pool.groups.iter().map(|g| (g.difficulty.as_str(), g.count)).collect();
        assert_eq!(counts, [("easy", 1), ("easy", 2), ("hard", 1)]);
    }
}
