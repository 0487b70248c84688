//! Where the server's time goes: the histograms the application records by phase (session,
//! attempt lookup, the writer's queue and batches, a start's draw and view), read back from an
//! in-process recorder after each measurement.

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

/// Installs the recorder the application's `metrics::histogram!` calls write to.
pub fn install() -> Snapshotter {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder.install().expect("one metrics recorder");
    snapshotter
}

/// Prints each histogram recorded since the last call (count, p50, p99; milliseconds for
/// times), and forgets them.
pub fn report(snapshotter: &Snapshotter, title: &str) -> serde_json::Value {
    let mut rows = Vec::new();
    let mut json = serde_json::Map::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let DebugValue::Histogram(mut values) = value else { continue };
        if values.is_empty() {
            continue;
        }
        values.sort();
        let key = key.key();
        let labels: Vec<String> = key.labels().map(|l| l.value().to_string()).collect();
        let name = if labels.is_empty() { key.name().to_string() } else { format!("{} ({})", key.name(), labels.join(", ")) };
        let seconds = key.name().ends_with("_seconds");
        let scale = if seconds { 1000.0 } else { 1.0 };
        let q = |p: f64| values[((values.len() - 1) as f64 * p) as usize].0 * scale;
        let mean = values.iter().map(|v| v.0).sum::<f64>() / values.len() as f64 * scale;
        rows.push(format!("  {name:<62} n {:>7}  mean {mean:>8.2}  p50 {:>8.2}  p99 {:>8.2}{}", values.len(), q(0.5), q(0.99), if seconds { " ms" } else { "" }));
        json.insert(name, serde_json::json!({ "n": values.len(), "mean": mean, "p50": q(0.5), "p99": q(0.99) }));
    }
    rows.sort();
    println!("{title}:\n{}", rows.join("\n"));
    serde_json::Value::Object(json)
}
