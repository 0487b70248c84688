//! Integration tests: the real application, in process, on SQLite and on PostgreSQL.
mod helpers;
mod import_fuzz;

mod accounts;
mod awards;
mod demo;
mod pages;
mod platform;
mod participation;
mod participation_counts;
mod questions;
mod rounds;
mod saves;
mod security;
mod throttling;
mod units;
