//! Tỷ lệ tham gia: rates per unit, rolled up the tree and summed by block.
//!
//! Each unit has its own figures: eligible = its roster size, or its declared headcount when it
//! has no roster; participated = distinct eligible people of the unit who took part. A unit's
//! rate includes everything under it (a department includes its schools and hospitals); a
//! block's figures add up the units of that block, each counted once.

use crate::codes::Code;
use crate::units::model::Block;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// The roster's size.
    Roster,
    /// Khai báo: the headcount the unit's manager declared, for a unit without a roster.
    Declared,
}

crate::stored_code!(Denominator { Roster => "roster", Declared => "declared" });

/// Số CBCCVC thuộc diện tham gia of one unit, as every page, export and report shows it: its
/// roster's size when it has a roster (an upload, or people its manager added), else the
/// headcount its manager declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffCount {
    pub count: i64,
    pub source: Denominator,
}

pub fn staff_count(declared: i64, roster_size: Option<i64>) -> StaffCount {
    match roster_size {
        Some(size) => StaffCount { count: size, source: Denominator::Roster },
        None => StaffCount { count: declared, source: Denominator::Declared },
    }
}

/// One unit's own figures, before rolling up (as frozen in a round's snapshot, too).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OwnFigures {
    pub unit_id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub block: Block,
    pub eligible: i64,
    pub participated: i64,
    pub source: Denominator,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitRate {
    pub unit_id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub block: String,
    pub depth: usize,
    /// The unit itself.
    pub own_eligible: i64,
    pub own_participated: i64,
    pub source: Denominator,
    /// The unit with everything under it.
    pub eligible: i64,
    pub participated: i64,
    /// participated ÷ eligible, 0–1; `None` when nobody is eligible.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BlockRate {
    // Shown in the API document as the text it is.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub block: Block,
    pub units: i64,
    pub eligible: i64,
    pub participated: i64,
    pub rate: Option<f64>,
    pub units_at_100: i64,
}

/// A rate as people read it in Vietnamese: "66,7%", or "—" when nobody is eligible.
pub fn percent_text(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0).replace('.', ",")).unwrap_or_else(|| "—".into())
}

/// A rate as the page's language writes it: "66,7%" in Vietnamese, "66.7%" in English, "—"
/// when nobody is eligible.
pub fn percent(lang: crate::i18n::Lang, rate: Option<f64>) -> String {
    rate.map(|r| format!("{}%", crate::numbers::fixed(lang, r * 100.0, 1))).unwrap_or_else(|| "—".into())
}

pub fn ratio(participated: i64, eligible: i64) -> Option<f64> {
    (eligible > 0).then(|| participated as f64 / eligible as f64)
}

/// Rolls the figures up the tree; the result is in tree order (parents before children,
/// siblings by name as given).
pub fn roll_up(own: &[OwnFigures]) -> Vec<UnitRate> {
    let index: BTreeMap<i64, usize> = own.iter().enumerate().map(|(i, f)| (f.unit_id, i)).collect();
    let mut children: BTreeMap<Option<i64>, Vec<usize>> = BTreeMap::new();
    for (i, f) in own.iter().enumerate() {
        // A parent outside the set (e.g. a manager's view of a subtree) makes this a root.
        let parent = f.parent_id.filter(|p| index.contains_key(p));
        children.entry(parent).or_default().push(i);
    }
    let mut out = Vec::with_capacity(own.len());
    // Iterative depth-first walk: deep trees do not recurse.
    fn totals(i: usize, own: &[OwnFigures], children: &BTreeMap<Option<i64>, Vec<usize>>, memo: &mut BTreeMap<usize, (i64, i64)>) -> (i64, i64) {
        let mut stack = vec![(i, false)];
        while let Some((n, expanded)) = stack.pop() {
            if memo.contains_key(&n) {
                continue;
            }
            let kids = children.get(&Some(own[n].unit_id)).cloned().unwrap_or_default();
            if expanded || kids.is_empty() {
                let (mut e, mut p) = (own[n].eligible, own[n].participated);
                for k in &kids {
                    let (ke, kp) = memo[k];
                    e += ke;
                    p += kp;
                }
                memo.insert(n, (e, p));
            } else {
                stack.push((n, true));
                stack.extend(kids.iter().map(|k| (*k, false)));
            }
        }
        memo[&i]
    }
    let mut memo = BTreeMap::new();
    let mut stack: Vec<(usize, usize)> = children.get(&None).map(|roots| roots.iter().rev().map(|r| (*r, 0)).collect()).unwrap_or_default();
    while let Some((i, depth)) = stack.pop() {
        let f = &own[i];
        let (eligible, participated) = totals(i, own, &children, &mut memo);
        out.push(UnitRate {
            unit_id: f.unit_id,
            parent_id: f.parent_id,
            code: f.code.clone(),
            name: f.name.clone(),
            block: f.block.code().to_string(),
            depth,
            own_eligible: f.eligible,
            own_participated: f.participated,
            source: f.source,
            eligible,
            participated,
            rate: ratio(participated, eligible),
        });
        if let Some(kids) = children.get(&Some(f.unit_id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

/// Totals by block, each unit's own figures counted once, in the order of the blocks' codes.
pub fn by_block(own: &[OwnFigures]) -> Vec<BlockRate> {
    let mut blocks: BTreeMap<&str, BlockRate> = BTreeMap::new();
    for f in own {
        let b = blocks.entry(f.block.code()).or_insert_with(|| BlockRate { block: f.block, units: 0, eligible: 0, participated: 0, rate: None, units_at_100: 0 });
        b.units += 1;
        b.eligible += f.eligible;
        b.participated += f.participated;
        b.units_at_100 += (f.eligible > 0 && f.participated >= f.eligible) as i64;
    }
    blocks
        .into_values()
        .map(|mut b| {
            b.rate = ratio(b.participated, b.eligible);
            b
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: i64, parent: Option<i64>, block: &str, eligible: i64, participated: i64) -> OwnFigures {
        let block = Block::from_code(block).unwrap();
        OwnFigures { unit_id: id, parent_id: parent, code: format!("U{id}"), name: format!("Đơn vị {id}"), block, eligible, participated, source: Denominator::Roster }
    }

    #[test]
    fn rates_are_written_in_the_pages_language() {
        use crate::i18n::Lang;
        let cases = [(Lang::Vi, Some(2.0 / 3.0), "66,7%"), (Lang::En, Some(2.0 / 3.0), "66.7%"), (Lang::En, Some(1.0), "100.0%"), (Lang::Vi, None, "—")];
        for (lang, rate, shown) in cases {
            assert_eq!(percent(lang, rate), shown);
        }
    }

    #[test]
    fn a_roster_decides_the_staff_count_else_the_declared_headcount() {
        // (declared, roster size, shown)
        let cases = [
            (40, None, (40, Denominator::Declared)),
            (0, None, (0, Denominator::Declared)),
            (40, Some(12), (12, Denominator::Roster)),
            (1000, Some(0), (0, Denominator::Roster)),
        ];
        for (declared, roster, (count, source)) in cases {
            assert_eq!(staff_count(declared, roster), StaffCount { count, source }, "{declared} {roster:?}");
        }
    }

    #[test]
    fn rates_roll_up_the_tree() {
        // 1 city ─ 2 department (10/8) ─ 3 school (20/20), 4 hospital (30/15); 5 ward (40/40)
        let own = vec![f(1, None, "city", 0, 0), f(2, Some(1), "so_nganh", 10, 8), f(3, Some(2), "su_nghiep", 20, 20), f(4, Some(2), "su_nghiep", 30, 15), f(5, Some(1), "xa_phuong", 40, 40)];
        let rates = roll_up(&own);
        let get = |id: i64| rates.iter().find(|r| r.unit_id == id).unwrap();
        assert_eq!((get(2).eligible, get(2).participated), (60, 43));
        assert_eq!((get(1).eligible, get(1).participated), (100, 83));
        assert_eq!(get(3).rate, Some(1.0));
        assert_eq!(get(4).depth, 2);
        assert_eq!(rates.iter().map(|r| r.unit_id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5], "tree order");
        assert_eq!(get(1).own_eligible, 0);
        let blocks = by_block(&own);
        let su_nghiep = blocks.iter().find(|b| b.block == Block::SuNghiep).unwrap();
        assert_eq!((su_nghiep.units, su_nghiep.eligible, su_nghiep.participated, su_nghiep.units_at_100), (2, 50, 35, 1));
        assert_eq!(blocks.iter().find(|b| b.block == Block::City).unwrap().rate, None);
        assert_eq!(blocks.iter().map(|b| b.block.code()).collect::<Vec<_>>(), ["city", "so_nganh", "su_nghiep", "xa_phuong"], "by code");
    }

    #[test]
    fn a_subtree_view_starts_at_its_own_root() {
        let own = vec![f(2, Some(1), "so_nganh", 10, 5), f(3, Some(2), "su_nghiep", 10, 10)];
        let rates = roll_up(&own);
        assert_eq!((rates[0].unit_id, rates[0].depth, rates[0].eligible, rates[0].participated), (2, 0, 20, 15));
        assert_eq!(rates[0].rate, Some(0.75));
    }

    #[test]
    fn a_deep_tree_does_not_overflow() {
        let own: Vec<OwnFigures> = (1..=20_000).map(|i| f(i, if i == 1 { None } else { Some(i - 1) }, "city", 1, 1)).collect();
        let rates = roll_up(&own);
        assert_eq!(rates[0].eligible, 20_000);
        assert_eq!(rates.last().unwrap().depth, 19_999);
    }
}
