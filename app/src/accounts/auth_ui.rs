//! The signed-in user as every page sees it: one resource per page load, reloaded after a
//! sign-in, a registration or a sign-out.

use super::model::CurrentUser;
use super::server_fns::Logout;
use crate::error::AppError;
use leptos::prelude::*;

/// Session-wide things every page can reach: the signed-in user, reloaded whenever `changed`
/// is bumped (after login, registration or logout).
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub logout: ServerAction<Logout>,
    pub changed: RwSignal<u32>,
}

impl Auth {
    pub fn signed_in_or_out(&self) {
        self.changed.update(|v| *v += 1);
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
