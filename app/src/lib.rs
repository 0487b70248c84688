//! The platform's application crate: domain rules, server functions, pages and components.
//! Built twice: with `ssr` into the server, and with `hydrate` into the browser's WASM.
#![recursion_limit = "256"]

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod awards;
#[cfg(feature = "ssr")]
pub mod cells;
pub mod citizens;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod counters;
pub mod error;
pub mod i18n;
#[cfg(all(test, feature = "ssr"))]
mod import_fuzz;
#[cfg(feature = "ssr")]
pub mod infra;
pub mod integrity;
pub mod numbers;
pub mod page_titles;
pub mod participation;
pub mod policy;
pub mod prizes;
pub mod quiz;
pub mod rounds;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod sweeper;
#[cfg(feature = "ssr")]
pub mod tabular;
pub mod text;
#[cfg(feature = "ssr")]
pub mod typeset;
pub mod ui;
pub mod units;
#[cfg(feature = "ssr")]
pub mod uploads;
pub mod vn_time;

pub use routes::{App, shell};

/// Entry point of the WASM bundle: attaches the client to the server-rendered page.
#[cfg(all(feature = "hydrate", not(feature = "islands")))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

/// Entry point of the light participant bundle: only the islands of the participant's pages.
#[cfg(feature = "islands")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
