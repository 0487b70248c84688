//! Thi trắc nghiệm: the question bank and the rules of contest rounds.
pub mod formats;
pub mod model;
pub mod ranking;
