//! Integration tests: the real application, in process, on SQLite and on PostgreSQL.
mod helpers;
mod import_fuzz;

mod accounts;
mod awards;
mod demo;
mod draw_rules;
mod pages;
mod platform;
mod participation;
mod password_reset;
mod participation_counts;
mod questions;
mod rounds;
mod saves;
mod security;
mod server_fns;
mod throttling;
mod units;
