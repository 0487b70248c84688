//! Đợt thi's persistence: every SQL statement of contests, rounds, attempts, answer saves and
//! results, with rows decoded into typed structs. The services beside it hold the rules and the
//! transactions; nothing here decides anything a participant or an organizer would recognise.

pub mod attempts;
pub mod contests;
pub mod results;
pub mod rounds;
pub mod saves;
