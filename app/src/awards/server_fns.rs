//! Server functions behind the award pages.
