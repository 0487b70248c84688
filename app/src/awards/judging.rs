//! The arithmetic of judging, free of storage so it can be tested table by table: per-judge
//! normalisation, the mean or trimmed mean, places with ties, and the shortlist for the final.
//!
//! Scores travel in hundredths of a point (`i64`); aggregates are rounded back to hundredths
//! before ranking, so two entries shown with the same score always share a place.

use super::model::{Aggregation, ShortlistRule};
use std::collections::BTreeMap;

/// One judge's total for one entry, in hundredths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JudgeTotal {
    pub entry_id: i64,
    pub judge_id: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    pub judge_count: i64,
    /// Plain mean of the raw totals, hundredths.
    pub mean: i64,
    /// The ranking score, hundredths.
    pub score: i64,
}

fn hundredths(points_x100: f64) -> i64 {
    points_x100.round() as i64
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn std_dev(values: &[f64]) -> f64 {
    let m = mean(values);
    (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

/// Per-judge z-scores put back on the scale of all totals: each judge's totals are
/// standardised over the entries that judge scored, then multiplied by the standard deviation
/// of all totals and shifted by their mean. A lenient judge and a strict one then weigh alike,
/// and the result still reads as points. A judge whose totals do not vary (or who scored one
/// entry) carries no information about order and maps to the overall mean.
pub fn normalise(totals: &[JudgeTotal]) -> Vec<(JudgeTotal, f64)> {
    if totals.is_empty() {
        return vec![];
    }
    let all: Vec<f64> = totals.iter().map(|t| t.total as f64).collect();
    let (overall_mean, overall_sd) = (mean(&all), std_dev(&all));
    let mut by_judge: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for t in totals {
        by_judge.entry(t.judge_id).or_default().push(t.total as f64);
    }
    let stats: BTreeMap<i64, (f64, f64)> = by_judge.iter().map(|(j, v)| (*j, (mean(v), std_dev(v)))).collect();
    totals
        .iter()
        .map(|t| {
            let (m, sd) = stats[&t.judge_id];
            let z = if sd > 0.0 { (t.total as f64 - m) / sd } else { 0.0 };
            (*t, overall_mean + z * overall_sd)
        })
        .collect()
}

/// Each entry's judge count, plain mean and ranking score.
pub fn aggregate(totals: &[JudgeTotal], method: Aggregation, trim_each_side: i64, normalised: bool) -> BTreeMap<i64, Aggregate> {
    let values: Vec<(JudgeTotal, f64)> = if normalised { normalise(totals) } else { totals.iter().map(|t| (*t, t.total as f64)).collect() };
    let mut per_entry: BTreeMap<i64, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (t, v) in values {
        let e = per_entry.entry(t.entry_id).or_default();
        e.0.push(t.total as f64);
        e.1.push(v);
    }
    per_entry
        .into_iter()
        .map(|(entry, (raw, mut vals))| {
            vals.sort_by(|a, b| a.total_cmp(b));
            let trim = trim_each_side.max(0) as usize;
            // Trimming needs at least one value left; with too few judges it is the plain mean.
            let kept: &[f64] = if method == Aggregation::Trimmed && vals.len() > 2 * trim { &vals[trim..vals.len() - trim] } else { &vals };
            (entry, Aggregate { judge_count: raw.len() as i64, mean: hundredths(mean(&raw)), score: hundredths(mean(kept)) })
        })
        .collect()
}

/// A place in a ranking. Entries without a score (nobody scored them) come last, unplaced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub entry_id: i64,
    pub score: Option<i64>,
    pub rank: Option<i64>,
    pub tied: bool,
}

/// Best score first; equal scores share the higher place ("1, 2, 2, 4") and are marked tied.
/// Order within a tie is by entry id, only so that the list is stable.
pub fn rank(scores: &[(i64, Option<i64>)]) -> Vec<Placed> {
    let mut sorted: Vec<(i64, Option<i64>)> = scores.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<Placed> = Vec::with_capacity(sorted.len());
    for (i, (entry_id, score)) in sorted.iter().enumerate() {
        let rank = score.map(|s| if i > 0 && sorted[i - 1].1 == Some(s) { out[i - 1].rank.unwrap_or(i as i64 + 1) } else { i as i64 + 1 });
        out.push(Placed { entry_id: *entry_id, score: *score, rank, tied: false });
    }
    for i in 0..out.len() {
        let same = |j: usize| out.get(j).is_some_and(|p: &Placed| p.score.is_some() && p.score == out[i].score);
        out[i].tied = (i > 0 && same(i - 1)) || same(i + 1);
    }
    out
}

/// The entries that go to the final, and whether a tie at the cut-off took in more than N.
pub fn shortlist(placed: &[Placed], rule: ShortlistRule) -> (Vec<i64>, bool) {
    match rule {
        ShortlistRule::Top(n) => {
            let chosen: Vec<i64> = placed.iter().filter(|p| p.rank.is_some_and(|r| r <= n)).map(|p| p.entry_id).collect();
            let extended = chosen.len() as i64 > n.max(0);
            (chosen, extended)
        }
        ShortlistRule::Threshold(min) => (placed.iter().filter(|p| p.score.is_some_and(|s| s >= min)).map(|p| p.entry_id).collect(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(entry_id: i64, judge_id: i64, points: f64) -> JudgeTotal {
        JudgeTotal { entry_id, judge_id, total: (points * 100.0).round() as i64 }
    }

    #[test]
    fn mean_and_trimmed_mean() {
        // (totals of one entry, method, trim, expected score in hundredths)
        let cases: Vec<(Vec<f64>, Aggregation, i64, i64)> = vec![
            (vec![80.0, 70.0, 90.0], Aggregation::Mean, 1, 8000),
            (vec![80.0, 70.0, 60.0], Aggregation::Mean, 1, 7000),
            // One outlier judge: the trimmed mean drops the highest and the lowest.
            (vec![80.0, 82.0, 81.0, 20.0, 99.0], Aggregation::Trimmed, 1, 8100),
            (vec![80.0, 82.0, 81.0, 20.0, 99.0], Aggregation::Mean, 1, 7240),
            // Two judges cannot be trimmed by one each side: plain mean.
            (vec![80.0, 60.0], Aggregation::Trimmed, 1, 7000),
            // Trim 2 of 5 each side leaves the median.
            (vec![10.0, 50.0, 60.0, 70.0, 100.0], Aggregation::Trimmed, 2, 6000),
            // Thirds round to the nearest hundredth.
            (vec![80.0, 80.0, 81.0], Aggregation::Mean, 1, 8033),
            (vec![80.5, 80.25, 80.0], Aggregation::Mean, 0, 8025),
        ];
        for (n, (values, method, trim, want)) in cases.into_iter().enumerate() {
            let totals: Vec<JudgeTotal> = values.iter().enumerate().map(|(j, v)| t(1, j as i64, *v)).collect();
            let got = aggregate(&totals, method, trim, false)[&1];
            assert_eq!(got.score, want, "case {n}");
            assert_eq!(got.judge_count, values.len() as i64, "case {n}");
        }
    }

    #[test]
    fn normalisation_evens_out_lenient_and_strict_judges() {
        // Judge 1 is lenient (90, 80), judge 2 strict (60, 50): both put entry 10 first by 10
        // points. Entry 20 is scored by judge 1 only, entry 30 by judge 2 only, each as their
        // judge's lowest. Raw, entry 20 (80) beats entry 30 (50) by 30 points only because of
        // who scored it; normalised, both sit one standard deviation below their judge's mean.
        let totals = vec![t(10, 1, 90.0), t(20, 1, 80.0), t(10, 2, 60.0), t(30, 2, 50.0)];
        let raw = aggregate(&totals, Aggregation::Mean, 1, false);
        assert_eq!((raw[&20].score, raw[&30].score), (8000, 5000));
        let norm = aggregate(&totals, Aggregation::Mean, 1, true);
        assert_eq!(norm[&20].score, norm[&30].score, "equal after normalisation");
        assert!(norm[&10].score > norm[&20].score);
        // The scale stays in points: the mean of all normalised totals is the raw mean (70).
        let all: f64 = normalise(&totals).iter().map(|(_, v)| v).sum::<f64>() / 4.0;
        assert!((all - 7000.0).abs() < 1e-6);
        // The plain mean is reported unnormalised beside the score.
        assert_eq!(norm[&20].mean, 8000);
    }

    #[test]
    fn a_judge_who_gives_everyone_the_same_maps_to_the_overall_mean() {
        let totals = vec![t(1, 1, 70.0), t(2, 1, 70.0), t(1, 2, 90.0), t(2, 2, 50.0)];
        let n = normalise(&totals);
        let overall = 70.0 * 100.0;
        assert!((n[0].1 - overall).abs() < 1e-6 && (n[1].1 - overall).abs() < 1e-6);
        assert!(n[2].1 > n[3].1);
    }

    #[test]
    fn places_share_ties_and_show_them() {
        // (scores, expected (entry, rank, tied) in order)
        let cases: Vec<(Vec<(i64, Option<i64>)>, Vec<(i64, Option<i64>, bool)>)> = vec![
            (vec![(1, Some(8000)), (2, Some(9000)), (3, Some(7000))], vec![(2, Some(1), false), (1, Some(2), false), (3, Some(3), false)]),
            (
                vec![(1, Some(8000)), (2, Some(8000)), (3, Some(9000)), (4, Some(7000))],
                vec![(3, Some(1), false), (1, Some(2), true), (2, Some(2), true), (4, Some(4), false)],
            ),
            // Unscored entries come last, unplaced and never "tied".
            (vec![(5, None), (6, Some(5000)), (7, None)], vec![(6, Some(1), false), (5, None, false), (7, None, false)]),
            // Three-way tie at the top.
            (vec![(1, Some(1)), (2, Some(1)), (3, Some(1))], vec![(1, Some(1), true), (2, Some(1), true), (3, Some(1), true)]),
        ];
        for (n, (scores, want)) in cases.into_iter().enumerate() {
            let got: Vec<(i64, Option<i64>, bool)> = rank(&scores).iter().map(|p| (p.entry_id, p.rank, p.tied)).collect();
            assert_eq!(got, want, "case {n}");
        }
    }

    #[test]
    fn shortlist_by_top_n_and_threshold() {
        let placed = rank(&[(1, Some(9000)), (2, Some(8500)), (3, Some(8500)), (4, Some(8000)), (5, None)]);
        // (rule, expected finalists, extended by a tie)
        let cases = vec![
            (ShortlistRule::Top(1), vec![1], false),
            // The 2nd place is a tie: both tied entries go through, and that is flagged.
            (ShortlistRule::Top(2), vec![1, 2, 3], true),
            (ShortlistRule::Top(3), vec![1, 2, 3], false),
            (ShortlistRule::Top(10), vec![1, 2, 3, 4], false),
            (ShortlistRule::Top(0), vec![], false),
            (ShortlistRule::Threshold(8500), vec![1, 2, 3], false),
            (ShortlistRule::Threshold(9001), vec![], false),
            (ShortlistRule::Threshold(0), vec![1, 2, 3, 4], false),
        ];
        for (rule, want, extended) in cases {
            assert_eq!(shortlist(&placed, rule), (want, extended), "{rule:?}");
        }
    }
}
