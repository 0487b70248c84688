//! Shared helpers live in api/helpers.rs; this crate exists only to host the integration test binary.
