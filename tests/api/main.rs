//! Integration tests: the real application, in process, on SQLite and on PostgreSQL.
mod helpers;
mod import_fuzz;

mod accounts;
mod award_council;
mod award_drafts;
mod awards;
mod backup;
mod demo;
mod drafts;
mod operations;
mod draw_rules;
mod pages;
mod platform;
mod participation;
mod password_reset;
mod participation_counts;
mod participation_settings;
mod questions;
mod rounds;
mod s3_files;
mod saves;
mod security;
mod server_fns;
mod throttling;
mod units;
