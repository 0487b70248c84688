//! Giải báo chí và tuyên truyền trên hệ thống phát thanh cơ sở: the broadcast-entry and
//! press-award competition. Entries with files and eligibility checks, two-stage panel judging
//! with rubrics, conflicts and blind mode, prize allocation with the council's overrides,
//! minutes, certificates and public results.
//!
//! Where things live, so a newcomer finds them:
//! - `model`: the types the pages and the API share (states are stored-code enums);
//! - `forms`: the forms as typed, parsed the same way on both sides;
//! - pure rules, table-tested: `entry_checks` (what an entry needs), `judging` (aggregating
//!   and ranking scores), `allocation` (prizes down a ranking, the council's moves),
//!   `file_types` (what a file may be);
//! - services, which hold the rules that need the database and the transactions:
//!   `setup` (editions and their phases), `entries`, `files` (uploads and downloads), `panels`
//!   (panels, assignment, recusal), `scoring` (the judge's side), `results` (rankings,
//!   shortlist, council, publication), `documents` (minutes, certificates), `export`;
//! - `repo`: every SQL statement of the award, and nothing else;
//! - `server_fns` and the `*_pages`: the web pages. Who may do what is `crate::policy`'s.
pub mod admin_pages;
mod council_pages;
mod entry_files;
pub mod entry_pages;
pub mod forms;
pub mod judge_pages;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod allocation;
#[cfg(feature = "ssr")]
pub mod document_views;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod entries;
#[cfg(feature = "ssr")]
pub mod entry_checks;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod file_types;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod judging;
#[cfg(feature = "ssr")]
pub mod panels;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod setup;
