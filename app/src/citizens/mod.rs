//! Công dân: citizens taking public rounds. They sign up lightly (name, a mobile phone confirmed
//! by a one-time code, the commune, ward or special zone they live in), take public rounds only,
//! and are counted per commune for the reform-communication report, never in a unit's staff
//! participation. The code rules are in `rules`, the sign-up in `service`, the text-message
//! sender in `infra::sms`.
pub mod model;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod server_fns;
pub mod pages;
