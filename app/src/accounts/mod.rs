//! Tài khoản: registration, login, sessions, profiles and roles.
pub mod model;
pub mod personal;
pub mod validate;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod devices;
pub mod server_fns;
pub mod auth_ui;
pub mod pages;
