//! Server functions of contests and rounds.
