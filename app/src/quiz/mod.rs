//! Thi trắc nghiệm: the question bank and the rules of contest rounds.
#[cfg(feature = "ssr")]
pub mod bank;
pub mod formats;
pub mod model;
pub mod pages;
pub mod question_form;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod repo;
