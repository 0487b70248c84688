//! Đợt thi: contests, rounds, attempts, scoring, ranking, prizes and statistics.
//! The pure rules (`draw`, `scoring`, `prizes`, `stats`) are separate from the services that
//! store and load, so they can be tested table by table.
pub mod admin;
pub mod attempt_island;
pub mod attempt_page;
pub mod draw_rules;
pub mod form;
pub mod home;
pub mod model;
pub mod round_admin;
mod rule_builder;
pub mod save_queue;
pub mod server_fns;
pub mod take;
pub mod winners;

#[cfg(feature = "ssr")]
pub mod attempts;
#[cfg(feature = "ssr")]
mod attempt_items;
#[cfg(feature = "ssr")]
pub mod draw;
#[cfg(feature = "ssr")]
pub mod drafts;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod stats;
#[cfg(feature = "ssr")]
pub mod writer;
