//! Giải tập thể: collective prizes for units. Each block has its own formula: units below a
//! minimum rate are excluded, the rest are ordered by the criteria in turn (for example the
//! participation rate first, then the mean score), and the prize tiers go down the list. Every
//! line shows the unit's own computation, so the council can check it.

use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
// Named apart from the award rubric's `Criterion` in the API document.
#[cfg_attr(feature = "ssr", schema(as = CollectiveCriterion))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Participation rate, higher first.
    Rate,
    /// Mean score of the unit's entries, higher first.
    MeanScore,
    /// People who took part, more first.
    Participated,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CollectiveRule {
    /// Units below this rate (0–1) are not ranked.
    pub min_rate: f64,
    pub criteria: Vec<Criterion>,
    pub prizes: Vec<PrizeTier>,
}

impl Default for CollectiveRule {
    fn default() -> Self {
        CollectiveRule {
            min_rate: 0.5,
            criteria: vec![Criterion::Rate, Criterion::MeanScore],
            prizes: vec![PrizeTier { name: "Giải Nhất".into(), count: 1 }, PrizeTier { name: "Giải Nhì".into(), count: 2 }, PrizeTier { name: "Giải Ba".into(), count: 3 }],
        }
    }
}

/// The rules per block; a block without its own rule uses `default`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CollectiveRules {
    #[serde(default)]
    pub default: CollectiveRule,
    #[serde(default)]
    pub blocks: BTreeMap<String, CollectiveRule>,
}

impl CollectiveRules {
    pub fn for_block(&self, block: &str) -> &CollectiveRule {
        self.blocks.get(block).unwrap_or(&self.default)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitFigures {
    pub unit_id: i64,
    pub name: String,
    pub block: String,
    pub eligible: i64,
    pub participated: i64,
    pub mean_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CollectiveEntry {
    pub unit: UnitFigures,
    pub rate: Option<f64>,
    /// None when excluded.
    pub place: Option<i64>,
    pub prize: Option<String>,
    /// "Tỷ lệ 45/50 = 90,0%; điểm TB 8,75" and why a unit is excluded.
    pub computation: String,
    pub excluded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BlockRanking {
    pub block: String,
    pub rule: CollectiveRule,
    pub entries: Vec<CollectiveEntry>,
}

fn value(u: &UnitFigures, c: Criterion) -> f64 {
    match c {
        Criterion::Rate => if u.eligible > 0 { u.participated as f64 / u.eligible as f64 } else { 0.0 },
        Criterion::MeanScore => u.mean_score.unwrap_or(0.0),
        Criterion::Participated => u.participated as f64,
    }
}

/// "Tỷ lệ 45/50 = 90,0%; điểm TB 8,75" (the mean only when the rule ranks by it), and for a
/// unit under the threshold why it is not ranked, in `lang`.
pub fn computation_text(lang: crate::i18n::Lang, u: &UnitFigures, excluded: bool, rule: &CollectiveRule) -> String {
    use crate::i18n::{fill, t};
    use crate::numbers::fixed;
    let rate = (u.eligible > 0).then(|| u.participated as f64 / u.eligible as f64);
    let mut parts = vec![fill(&t(lang, "part.comp_rate"), &[("p", &u.participated.to_string()), ("e", &u.eligible.to_string()), ("r", &rate.map(|r| fixed(lang, r * 100.0, 1)).unwrap_or_else(|| "—".into()))])];
    if rule.criteria.contains(&Criterion::MeanScore) {
        parts.push(fill(&t(lang, "part.comp_mean"), &[("m", &u.mean_score.map(|m| fixed(lang, m, 2)).unwrap_or_else(|| "—".into()))]));
    }
    let text = parts.join("; ");
    if excluded { fill(&t(lang, "part.comp_excluded"), &[("c", &text), ("t", &fixed(lang, rule.min_rate * 100.0, 0))]) } else { text }
}

/// Ranks the units of each block by its rule.
pub fn rank(units: &[UnitFigures], rules: &CollectiveRules) -> Vec<BlockRanking> {
    let mut by_block: BTreeMap<String, Vec<&UnitFigures>> = BTreeMap::new();
    for u in units {
        by_block.entry(u.block.clone()).or_default().push(u);
    }
    by_block
        .into_iter()
        .map(|(block, members)| {
            let rule = rules.for_block(&block).clone();
            let rate = |u: &UnitFigures| (u.eligible > 0).then(|| u.participated as f64 / u.eligible as f64);
            let (mut ranked, excluded): (Vec<&UnitFigures>, Vec<&UnitFigures>) = members.into_iter().partition(|u| rate(u).is_some_and(|r| r >= rule.min_rate));
            let cmp = |a: &&UnitFigures, b: &&UnitFigures| {
                rule.criteria.iter().map(|c| value(b, *c).partial_cmp(&value(a, *c)).unwrap_or(Ordering::Equal)).find(|o| *o != Ordering::Equal).unwrap_or(Ordering::Equal)
            };
            ranked.sort_by(|a, b| cmp(a, b).then_with(|| crate::text::sort_key(&a.name).cmp(&crate::text::sort_key(&b.name))));
            // The API keeps the Vietnamese text; pages render it in their own language.
            let computation = |u: &UnitFigures, excluded: bool| computation_text(crate::i18n::Lang::Vi, u, excluded, &rule);
            let mut entries: Vec<CollectiveEntry> = Vec::new();
            let mut tiers = rule.prizes.iter().flat_map(|t| std::iter::repeat_n(t.name.clone(), t.count.max(0) as usize));
            for (i, u) in ranked.iter().enumerate() {
                // Units equal on every criterion share a place and the better prize.
                let tied_with_previous = i > 0 && cmp(&ranked[i - 1], u) == Ordering::Equal;
                let place = if tied_with_previous { entries[i - 1].place } else { Some(i as i64 + 1) };
                let prize = if tied_with_previous { entries[i - 1].prize.clone().or_else(|| tiers.next()) } else { tiers.next() };
                if tied_with_previous && entries[i - 1].prize.is_some() {
                    // The tie took a prize from the tiers below.
                    tiers.next();
                }
                entries.push(CollectiveEntry { unit: (*u).clone(), rate: rate(u), place, prize, computation: computation(u, false), excluded: false });
            }
            for u in excluded {
                entries.push(CollectiveEntry {
                    unit: u.clone(),
                    rate: rate(u),
                    place: None,
                    prize: None,
                    computation: computation(u, true),
                    excluded: true,
                });
            }
            BlockRanking { block, rule, entries }
        })
        .collect()
}

/// A rule as the organizer's form sends it: the threshold in percent ("50", "72,5"), the first
/// and second criteria (codes; the second may be empty), the prize plan "Giải Nhất | 1" per
/// line. Every problem is reported against its field (locale keys).
pub fn rule_from_form(min_rate_percent: &str, first: &str, second: &str, prizes: &str) -> Result<CollectiveRule, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let min_rate = match min_rate_percent.trim().replace(',', ".").parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => p / 100.0,
        _ if min_rate_percent.trim().is_empty() => {
            errors.push(("min_rate", "err.required"));
            0.0
        }
        _ => {
            errors.push(("min_rate", "err.collective_min_rate"));
            0.0
        }
    };
    let criterion = |code: &str| match code.trim() {
        "rate" => Some(Criterion::Rate),
        "mean_score" => Some(Criterion::MeanScore),
        "participated" => Some(Criterion::Participated),
        _ => None,
    };
    let mut criteria = Vec::new();
    match criterion(first) {
        Some(c) => criteria.push(c),
        None => errors.push(("criterion1", "err.required")),
    }
    match (second.trim(), criterion(second)) {
        ("", _) => {}
        (_, Some(c)) if criteria.contains(&c) => errors.push(("criterion2", "err.collective_same_criterion")),
        (_, Some(c)) => criteria.push(c),
        (_, None) => errors.push(("criterion2", "err.collective_criterion")),
    }
    let prizes = match crate::prizes::parse_plan(prizes) {
        Some(plan) if plan.iter().any(|t| t.name.is_empty() || t.count < 0 || t.count > 1000 || crate::text::too_long(&t.name, 100)) => {
            errors.push(("prizes", "err.prizes_format"));
            vec![]
        }
        Some(plan) if !plan.is_empty() => plan,
        Some(_) => {
            errors.push(("prizes", "err.required"));
            vec![]
        }
        None => {
            errors.push(("prizes", "err.prizes_format"));
            vec![]
        }
    };
    if errors.is_empty() { Ok(CollectiveRule { min_rate, criteria, prizes }) } else { Err(errors) }
}

/// Per unit, the (sum, count) of the counting scores taken for it or any unit below it.
/// `scores`: (unit the attempt was taken for, score); `parent`: each unit's parent.
pub fn sums_up_the_tree(scores: &[(Option<i64>, i64)], parent: &BTreeMap<i64, Option<i64>>) -> BTreeMap<i64, (i64, i64)> {
    let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (unit, score) in scores {
        let mut unit = *unit;
        while let Some(u) = unit {
            let s = sums.entry(u).or_default();
            s.0 += score;
            s.1 += 1;
            unit = parent.get(&u).copied().flatten();
        }
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: i64, block: &str, eligible: i64, participated: i64, mean: f64) -> UnitFigures {
        UnitFigures { unit_id: id, name: format!("Đơn vị {id}"), block: block.into(), eligible, participated, mean_score: Some(mean) }
    }

    #[test]
    fn the_organizers_form_becomes_a_rule_or_errors_by_field() {
        let ok = rule_from_form("72,5", "rate", "mean_score", "Giải Nhất | 1\nGiải Nhì | 2").unwrap();
        assert_eq!((ok.min_rate, ok.criteria.clone(), ok.prizes.len()), (0.725, vec![Criterion::Rate, Criterion::MeanScore], 2));
        assert_eq!(rule_from_form("0", "participated", "", "A | 1").unwrap().criteria, vec![Criterion::Participated]);
        // (min_rate, first, second, prizes, errors)
        let cases: [(&str, &str, &str, &str, Vec<(&str, &str)>); 6] = [
            ("", "rate", "", "A | 1", vec![("min_rate", "err.required")]),
            ("120", "rate", "", "A | 1", vec![("min_rate", "err.collective_min_rate")]),
            ("năm mươi", "rate", "", "A | 1", vec![("min_rate", "err.collective_min_rate")]),
            ("50", "", "rate", "A | 1", vec![("criterion1", "err.required")]),
            ("50", "rate", "rate", "", vec![("criterion2", "err.collective_same_criterion"), ("prizes", "err.required")]),
            ("50", "rate", "speed", "Giải Nhất 1", vec![("criterion2", "err.collective_criterion"), ("prizes", "err.prizes_format")]),
        ];
        for (min, first, second, prizes, errors) in cases {
            assert_eq!(rule_from_form(min, first, second, prizes).unwrap_err(), errors, "{min} {first} {second} {prizes}");
        }
    }

    #[test]
    fn scores_add_up_the_tree() {
        // 1 ⊃ 2 ⊃ 3, and 4 beside; one attempt without a unit.
        let parent = BTreeMap::from([(1, None), (2, Some(1)), (3, Some(2)), (4, Some(1))]);
        let sums = sums_up_the_tree(&[(Some(3), 800), (Some(2), 600), (Some(4), 1000), (None, 500)], &parent);
        assert_eq!(sums[&3], (800, 1));
        assert_eq!(sums[&2], (1400, 2));
        assert_eq!(sums[&4], (1000, 1));
        assert_eq!(sums[&1], (2400, 3));
    }

    #[test]
    fn rate_then_mean_score_with_a_threshold_per_block() {
        let units = vec![u(1, "so_nganh", 10, 10, 7.0), u(2, "so_nganh", 10, 10, 8.5), u(3, "so_nganh", 10, 9, 9.9), u(4, "so_nganh", 10, 4, 10.0), u(5, "xa_phuong", 20, 12, 6.0)];
        let mut rules = CollectiveRules::default();
        // Communes: any rate counts, by people who took part.
        rules.blocks.insert("xa_phuong".into(), CollectiveRule { min_rate: 0.0, criteria: vec![Criterion::Participated], prizes: vec![PrizeTier { name: "Giải Nhất".into(), count: 1 }] });
        let ranking = rank(&units, &rules);
        let so = ranking.iter().find(|b| b.block == "so_nganh").unwrap();
        let order: Vec<(i64, Option<i64>, Option<&str>, bool)> = so.entries.iter().map(|e| (e.unit.unit_id, e.place, e.prize.as_deref(), e.excluded)).collect();
        assert_eq!(order, vec![(2, Some(1), Some("Giải Nhất"), false), (1, Some(2), Some("Giải Nhì"), false), (3, Some(3), Some("Giải Nhì"), false), (4, None, None, true)]);
        assert_eq!(so.entries[0].computation, "Tỷ lệ 10/10 = 100,0%; điểm TB 8,50");
        assert!(so.entries[3].computation.contains("dưới ngưỡng 50%"));
        // The page in English says the same in English, with dot decimals.
        let en = |e: &CollectiveEntry| computation_text(crate::i18n::Lang::En, &e.unit, e.excluded, &so.rule);
        assert_eq!(en(&so.entries[0]), "Rate 10/10 = 100.0%; mean score 8.50");
        assert!(en(&so.entries[3]).ends_with("below the 50% threshold, not ranked"), "{}", en(&so.entries[3]));
        let xa = ranking.iter().find(|b| b.block == "xa_phuong").unwrap();
        assert_eq!((xa.entries[0].place, xa.entries[0].prize.as_deref()), (Some(1), Some("Giải Nhất")));
    }

    #[test]
    fn equal_units_share_a_place_and_the_better_prize() {
        let units = vec![u(1, "b", 10, 10, 8.0), u(2, "b", 10, 10, 8.0), u(3, "b", 10, 9, 8.0)];
        let rules = CollectiveRules { default: CollectiveRule { min_rate: 0.5, criteria: vec![Criterion::Rate, Criterion::MeanScore], prizes: vec![PrizeTier { name: "Nhất".into(), count: 1 }, PrizeTier { name: "Nhì".into(), count: 1 }] }, ..Default::default() };
        let entries = &rank(&units, &rules)[0].entries;
        let got: Vec<(Option<i64>, Option<&str>)> = entries.iter().map(|e| (e.place, e.prize.as_deref())).collect();
        assert_eq!(got, vec![(Some(1), Some("Nhất")), (Some(1), Some("Nhất")), (Some(3), None)]);
    }
}
