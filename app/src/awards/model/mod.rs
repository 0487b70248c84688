//! Giải báo chí / phát thanh cơ sở as the client and the server both see it, one file per part
//! of the award: the edition and its settings (`editions`), entries (`entries`), panels and
//! scores (`judging`), rankings, the council's allocation and the winners (`results`).
//!
//! Every state is an enum with one stored code per variant (`crate::codes`), the same in the
//! database, the JSON API and the forms, so no page or service compares strings.

mod editions;
mod entries;
mod judging;
mod results;

pub use editions::*;
pub use entries::*;
pub use judging::*;
pub use results::*;

/// The number judges, minutes and certificates use for an entry, e.g. "TP-0012".
pub fn entry_code(id: i64) -> String {
    format!("TP-{id:04}")
}

/// Points with two decimals and a decimal comma ("91,50"); "—" for no score.
pub fn points_vi(points: Option<f64>) -> String {
    points.map(|s| format!("{s:.2}").replace('.', ",")).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::serde_agrees;

    #[test]
    fn stored_codes_are_the_json_names() {
        assert!(serde_agrees::<Genre>() && serde_agrees::<Stage>() && serde_agrees::<Phase>() && serde_agrees::<Aggregation>());
        assert!(serde_agrees::<EntryStatus>() && serde_agrees::<FileKind>() && serde_agrees::<AssignmentStatus>() && serde_agrees::<DecisionKind>());
    }
}
