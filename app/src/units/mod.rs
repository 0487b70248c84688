//! Đơn vị: the unit tree, its rules, storage, import/export and pages.
pub mod model;
pub mod tree;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod imports;
#[cfg(feature = "ssr")]
pub mod transfer;
pub mod server_fns;
pub mod pages;
pub mod picker;
pub mod retire_page;
