//! Tham gia 100%: staff rosters, matching them to accounts, participation rates per unit and
//! block, the list of who has not taken part, and figures frozen at each round's close.
pub mod model;
pub mod page;
pub mod rates;
pub mod reminder;
pub mod roster;
pub mod roster_page;
pub mod server_fns;
pub mod settings_page;
pub mod unrostered;
pub mod unrostered_page;

#[cfg(feature = "ssr")]
pub mod annual;
#[cfg(feature = "ssr")]
pub mod annual_files;
pub mod annual_page;
#[cfg(feature = "ssr")]
pub mod annual_pdf;
pub mod charts;
pub mod collective;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod matching;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
