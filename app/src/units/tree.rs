//! Pure rules of the unit tree: ordering for display, subtrees, cycles and merge resolution.
//! No I/O here, so every rule is tested by tables.

use super::model::{Block, Unit, UnitNode, UnitStatus};
use std::collections::{HashMap, HashSet};

/// True if making `new_parent` the parent of `unit` would put `unit` under itself.
pub fn would_create_cycle(parent_of: &HashMap<i64, Option<i64>>, unit: i64, new_parent: i64) -> bool {
    let mut cursor = Some(new_parent);
    let mut steps = 0;
    while let Some(id) = cursor {
        if id == unit {
            return true;
        }
        steps += 1;
        if steps > parent_of.len() + 1 {
            return true; // already cyclic data: refuse rather than loop
        }
        cursor = parent_of.get(&id).copied().flatten();
    }
    false
}

/// `root` and every unit below it (through any status, so history stays in scope).
pub fn subtree(units: &[Unit], root: i64) -> HashSet<i64> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for u in units {
        if let Some(p) = u.parent_id {
            children.entry(p).or_default().push(u.id);
        }
    }
    let mut seen = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for child in children.get(&id).into_iter().flatten() {
            if seen.insert(*child) {
                stack.push(*child);
            }
        }
    }
    seen
}

/// Follows merges to the unit that carries a merged unit on today. Records keep pointing to
/// the old unit (history); reports use this to add them to their successor.
pub fn resolve_current(units: &HashMap<i64, Unit>, id: i64) -> i64 {
    let mut current = id;
    for _ in 0..units.len() + 1 {
        match units.get(&current) {
            Some(u) if u.status == UnitStatus::Merged => match u.merged_into_id {
                Some(next) => current = next,
                None => return current,
            },
            _ => return current,
        }
    }
    current
}

fn block_rank(block: Block) -> u8 {
    match block {
        Block::City => 0,
        Block::SoNganh => 1,
        Block::XaPhuong => 2,
        Block::SuNghiep => 3,
    }
}

/// Depth-first order for display: siblings by block, then Vietnamese name. Units whose parent
/// is missing from `units` are treated as roots.
pub fn as_tree(units: Vec<Unit>) -> Vec<UnitNode> {
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let ids: HashSet<i64> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i64>, Vec<Unit>> = HashMap::new();
    for u in units {
        let parent = u.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by_cached_key(|u| (block_rank(u.block), crate::text::sort_key(&u.name)));
    }
    let mut out = Vec::with_capacity(names.len());
    let mut stack: Vec<(Unit, usize)> = children.remove(&None).unwrap_or_default().into_iter().rev().map(|u| (u, 0)).collect();
    while let Some((unit, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(unit.id)) {
            stack.extend(kids.into_iter().rev().map(|u| (u, depth + 1)));
        }
        out.push(UnitNode {
            parent_name: unit.parent_id.and_then(|p| names.get(&p).cloned()),
            merged_into_name: unit.merged_into_id.and_then(|m| names.get(&m).cloned()),
            unit,
            depth,
            staff: None,
        });
    }
    out
}

/// Codes are short identifiers typed into spreadsheets: letters, digits, `-`, `_`, `.`.
pub fn validate_code(code: &str) -> Result<(), &'static str> {
    if code.is_empty() {
        return Err("err.required");
    }
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err("err.code_format");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>, name: &str, block: Block) -> Unit {
        Unit {
            id,
            code: format!("U{id}"),
            name: name.into(),
            kind: "subordinate".into(),
            block,
            parent_id: parent,
            headcount: 0,
            status: UnitStatus::Active,
            merged_into_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn cycles_are_detected_at_every_depth() {
        // 1 ← 2 ← 3 ← 4, and 5 on its own under 1.
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2)), (4, Some(3)), (5, Some(1))]);
        let cases = [(2, 4, true), (2, 2, true), (1, 3, true), (4, 5, false), (3, 1, false), (5, 4, false)];
        for (unit, new_parent, expected) in cases {
            assert_eq!(would_create_cycle(&parents, unit, new_parent), expected, "move {unit} under {new_parent}");
        }
    }

    #[test]
    fn subtree_includes_all_descendants() {
        let units = vec![unit(1, None, "HP", Block::City), unit(2, Some(1), "Sở Y tế", Block::SoNganh),
            unit(3, Some(2), "Bệnh viện", Block::SuNghiep), unit(4, Some(3), "Khoa", Block::SuNghiep), unit(5, Some(1), "Sở Nội vụ", Block::SoNganh)];
        assert_eq!(subtree(&units, 2), HashSet::from([2, 3, 4]));
        assert_eq!(subtree(&units, 1).len(), 5);
        assert_eq!(subtree(&units, 4), HashSet::from([4]));
    }

    #[test]
    fn merges_resolve_through_chains() {
        let mut a = unit(1, None, "Xã A", Block::XaPhuong);
        a.status = UnitStatus::Merged;
        a.merged_into_id = Some(2);
        let mut b = unit(2, None, "Xã B", Block::XaPhuong);
        b.status = UnitStatus::Merged;
        b.merged_into_id = Some(3);
        let c = unit(3, None, "Xã C", Block::XaPhuong);
        let map: HashMap<i64, Unit> = [a, b, c].into_iter().map(|u| (u.id, u)).collect();
        assert_eq!(resolve_current(&map, 1), 3);
        assert_eq!(resolve_current(&map, 3), 3);
        assert_eq!(resolve_current(&map, 99), 99);
    }

    #[test]
    fn tree_order_is_depth_first_by_block_then_vietnamese_name() {
        let units = vec![
            unit(1, None, "Thành phố Hải Phòng", Block::City),
            unit(2, Some(1), "Phường Đồ Sơn", Block::XaPhuong),
            unit(3, Some(1), "Sở Y tế", Block::SoNganh),
            unit(4, Some(1), "Phường Dương Kinh", Block::XaPhuong),
            unit(5, Some(3), "Bệnh viện Việt Tiệp", Block::SuNghiep),
            unit(6, Some(1), "Sở Nội vụ", Block::SoNganh),
        ];
        let order: Vec<(i64, usize)> = as_tree(units).iter().map(|n| (n.unit.id, n.depth)).collect();
        assert_eq!(order, vec![(1, 0), (6, 1), (3, 1), (5, 2), (4, 1), (2, 1)]);
    }

    #[test]
    fn codes() {
        assert_eq!(validate_code("10510"), Ok(()));
        assert_eq!(validate_code("SYT-01.a"), Ok(()));
        assert_eq!(validate_code(""), Err("err.required"));
        assert_eq!(validate_code("Sở Y tế"), Err("err.code_format"));
    }
}
