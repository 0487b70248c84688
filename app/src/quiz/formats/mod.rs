//! Question import formats. Each parser turns a file into accepted questions and problems by
//! line; nothing is stored until the organizer applies a clean preview.
pub mod aiken;
pub mod gift;
#[cfg(feature = "ssr")]
pub mod table;
