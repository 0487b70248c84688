//! CPU time spent by the server, the load generator and the database during a measurement.
//!
//! The application runs in this process on a runtime whose threads are named `srv`; SQLite's
//! connection threads (`sqlx-sqlite-worker-*`) work for it. Generators in this process run on
//! threads named `gen`; the deadline scenario's phones run in a child process, which reports
//! its own CPU. Linux accounts CPU time per thread (`/proc/self/task/*/stat`), so the split is
//! exact. PostgreSQL's own processes (`postgres`) are counted as the database.

use std::time::Instant;

/// Clock ticks per second of `/proc` times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

#[derive(Debug, Clone, Copy, Default)]
pub struct Split {
    pub server_s: f64,
    pub generator_s: f64,
    pub database_s: f64,
}

fn ticks_of(stat: &str) -> Option<u64> {
    // The name is in parentheses and may hold spaces; fields 14 and 15 (utime, stime) follow.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// CPU seconds used so far, by side.
pub fn used() -> Split {
    let mut split = Split::default();
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            let path = task.path();
            let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
            let Some(ticks) = std::fs::read_to_string(path.join("stat")).ok().and_then(|s| ticks_of(&s)) else { continue };
            let secs = ticks as f64 / TICKS;
            if name.starts_with("srv") || name.starts_with("sqlx-sqlite") {
                split.server_s += secs;
            } else if name.starts_with("gen") {
                split.generator_s += secs;
            }
        }
    }
    if let Ok(procs) = std::fs::read_dir("/proc") {
        for p in procs.flatten() {
            let path = p.path();
            if std::fs::read_to_string(path.join("comm")).is_ok_and(|c| c.trim() == "postgres") {
                if let Some(ticks) = std::fs::read_to_string(path.join("stat")).ok().and_then(|s| ticks_of(&s)) {
                    split.database_s += ticks as f64 / TICKS;
                }
            }
        }
    }
    split
}

/// CPU seconds this whole process has used.
pub fn own_process_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| ticks_of(&s)).map(|t| t as f64 / TICKS).unwrap_or(0.0)
}

/// CPU used between `start` and now, with the wall time, printed as shares of the machine.
pub struct Meter {
    start: Split,
    at: Instant,
}

impl Meter {
    pub fn start() -> Meter {
        Meter { start: used(), at: Instant::now() }
    }

    pub fn stop(&self) -> (Split, f64) {
        let now = used();
        (Split { server_s: now.server_s - self.start.server_s, generator_s: now.generator_s - self.start.generator_s, database_s: now.database_s - self.start.database_s }, self.at.elapsed().as_secs_f64())
    }

    /// "CPU: server 61.2 s (0.85 cores), generator 20.1 s (0.28 cores), database 0.0 s".
    pub fn report(&self, label: &str) -> Split {
        let (split, wall) = self.stop();
        let cores = |s: f64| s / wall.max(1e-9);
        println!(
            "{label}: CPU server {:.1} s ({:.2} cores), generator {:.1} s ({:.2} cores), database {:.1} s ({:.2} cores), over {:.1} s",
            split.server_s, cores(split.server_s), split.generator_s, cores(split.generator_s), split.database_s, cores(split.database_s), wall
        );
        split
    }
}
