//! Cuộc thi, đợt thi, bài thi: contests, their rounds and attempts, as both the server and the
//! browser see them. Nothing a participant receives before submitting carries an answer key:
//! the keyed types live in `scoring` on the server only.

use crate::quiz::model::{Audience, QuestionKind};
pub use super::winners::Counting;
use super::winners::TieBreak;
use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};

mod attempt;
mod prediction;
mod results;
mod setup;
pub use attempt::*;
pub use prediction::*;
pub use results::*;
pub use setup::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::serde_agrees;

    #[test]
    fn stored_codes_are_the_api_names() {
        assert!(serde_agrees::<NameDisplay>());
        assert!(serde_agrees::<ReviewLevel>());
        assert!(serde_agrees::<PredictionMetric>());
        assert!(serde_agrees::<AttemptStatus>());
        assert!(serde_agrees::<Submitter>());
        assert!(serde_agrees::<Counting>());
        assert!(serde_agrees::<TieBreak>());
    }
}
