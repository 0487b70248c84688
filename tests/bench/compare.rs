//! Compares a run's headline figures with the last recorded ones, as ratios to a reference
//! measured in the same run (the fixed CPU-bound query, or the database's raw ceiling), so a
//! slower or busier machine does not read as a slower platform.
//!
//! `loadgen … --json NEW.json --compare tests/bench/recorded/NAME.json` prints one line per
//! headline and ends with a loud `WORSE` line, and a failing exit code, when any ratio is more
//! than 50 % worse than recorded. `scripts/bench-check.sh` runs the recorded scenarios so.

use serde_json::Value;

/// How much worse than recorded a ratio may get before the check fails.
const TOLERANCE: f64 = 1.5;

/// One headline ratio: its name, its value, and whether lower is better.
#[derive(Debug, PartialEq)]
pub struct Headline {
    pub name: &'static str,
    pub value: f64,
    pub lower_is_better: bool,
}

fn number(record: &Value, path: &[&str]) -> Option<f64> {
    path.iter().try_fold(record, |v, key| v.get(key)).and_then(Value::as_f64)
}

/// The headline ratios a record holds (only those its scenario produced).
pub fn headlines(record: &Value) -> Vec<Headline> {
    let reference = number(record, &["reference", "cpu_query_ms"]).filter(|r| *r > 0.0);
    let mut out = Vec::new();
    let mut per_reference = |name, path: &[&str]| {
        if let (Some(r), Some(v)) = (reference, number(record, path)) {
            out.push(Headline { name, value: v / r, lower_is_better: true });
        }
    };
    per_reference("deadline save p99 / reference query", &["deadline", "save_p99_ms"]);
    per_reference("deadline start p99 / reference query", &["deadline", "start_p99_ms"]);
    per_reference("full live report / reference query", &["participation", "full_report_ms"]);
    per_reference("unit manager page / reference query", &["participation", "manager_page_ms"]);
    if let (Some(held), Some(ceiling)) = (number(record, &["saturation", "held"]), number(record, &["saturation", "ceiling"]).filter(|c| *c > 0.0)) {
        out.push(Headline { name: "saturation point / raw database ceiling", value: held / ceiling, lower_is_better: false });
    }
    if let (Some(during), Some(alone)) =
        (number(record, &["participation", "saturated_during_reports"]), number(record, &["participation", "saturated_alone"]).filter(|a| *a > 0.0))
    {
        out.push(Headline { name: "saturated saves during reports / alone", value: during / alone, lower_is_better: false });
    }
    out
}

/// How many times worse `now` is than `then` (1.0 = the same, 2.0 = twice as bad).
pub fn worsening(h: &Headline, then: f64) -> f64 {
    match (h.lower_is_better, then > 0.0, h.value > 0.0) {
        (true, true, _) => h.value / then,
        (false, _, true) => then / h.value,
        // A zero recorded cost, or a zero rate now.
        (true, false, _) => if h.value > 0.0 { f64::INFINITY } else { 1.0 },
        (false, _, false) => if then > 0.0 { f64::INFINITY } else { 1.0 },
    }
}

/// Prints the comparison; returns false when a headline got more than 50 % worse.
pub fn compare(now: &Value, recorded: &Value) -> bool {
    let then: Vec<Headline> = headlines(recorded);
    let mut ok = true;
    println!("compared with the recorded run (ratios to a reference of the same run):");
    for h in headlines(now) {
        let Some(old) = then.iter().find(|t| t.name == h.name) else {
            println!("  {:<44} {:>10.4}  (nothing recorded)", h.name, h.value);
            continue;
        };
        let factor = worsening(&h, old.value);
        let verdict = if factor > TOLERANCE {
            ok = false;
            "WORSE by more than 50 %"
        } else if factor < 1.0 {
            "better"
        } else {
            "within 50 %"
        };
        println!("  {:<44} {:>10.4}  recorded {:>10.4}  ×{factor:.2} worse  {verdict}", h.name, h.value, old.value);
    }
    if !ok {
        println!("!!! WORSE: at least one headline is more than 50 % worse than recorded; find out why before recording new figures !!!");
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(save_p99: f64, reference: f64, held: f64, ceiling: f64) -> Value {
        json!({ "reference": { "cpu_query_ms": reference }, "deadline": { "save_p99_ms": save_p99, "start_p99_ms": 10.0 }, "saturation": { "held": held, "ceiling": ceiling } })
    }

    #[test]
    fn ratios_follow_the_reference_so_a_slower_machine_is_not_a_slower_platform() {
        // Everything twice as slow, reference included: the same ratios.
        assert!(compare(&record(80.0, 100.0, 1000.0, 4000.0), &record(40.0, 50.0, 1000.0, 4000.0)));
    }

    #[test]
    fn more_than_half_again_worse_fails_either_way() {
        let table = [
            // (save p99 now, held now, passes)
            (59.0, 1000.0, true),
            (61.0, 1000.0, false),
            (40.0, 670.0, true),
            (40.0, 660.0, false),
            (40.0, 0.0, false),
        ];
        for (p99, held, passes) in table {
            assert_eq!(compare(&record(p99, 100.0, held, 4000.0), &record(40.0, 100.0, 1000.0, 4000.0)), passes, "p99 {p99} held {held}");
        }
    }

    #[test]
    fn only_the_figures_a_scenario_produced_are_headlines() {
        let names: Vec<&str> = headlines(&json!({ "reference": { "cpu_query_ms": 50.0 }, "participation": { "full_report_ms": 500.0 } })).into_iter().map(|h| h.name).collect();
        assert_eq!(names, ["full live report / reference query"]);
    }
}
