//! Tham gia 100%: staff rosters, matching them to accounts, participation rates per unit and
//! block, the list of who has not taken part, and figures frozen at each round's close.
pub mod model;
pub mod page;
pub mod reminder;
pub mod rates;
pub mod roster;
pub mod roster_page;
pub mod server_fns;
pub mod unrostered;
pub mod unrostered_page;
pub mod settings_page;

#[cfg(feature = "ssr")]
pub mod annual;
#[cfg(feature = "ssr")]
pub mod annual_files;
pub mod annual_page;
pub mod charts;
pub mod collective;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod matching;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod repo;
