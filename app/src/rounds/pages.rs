//! Pages of contests and rounds.
