//! Award pages.
