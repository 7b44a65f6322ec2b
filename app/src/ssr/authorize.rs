//! The server side of the access table: every project server function starts here.

use super::{request, session::SessionUser, store::projects::Membership};
use crate::access::{can, Action, Actor};
use crate::error::AppError;

/// The signed-in caller and their membership of `slug`, if they may take `action` there.
/// A project the caller is not a member of answers 404, so its existence does not leak.
pub async fn project_action(
    slug: &str,
    action: Action,
) -> Result<(SessionUser, Membership), AppError> {
    let user = request::require_session()?;
    let state = request::app_state();
    let membership = super::store::projects::membership(&state.db, slug, &user.user_id)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "There is no project at /p/{slug}, or you are not a member of it."
            ))
        })?;
    if !can(
        &Actor {
            role: membership.role,
        },
        action,
    ) {
        return Err(AppError::Forbidden(format!(
            "Your role in {} is {}, which cannot do this: {}.",
            membership.name,
            membership.role,
            action.describe().to_lowercase()
        )));
    }
    Ok((user, membership))
}
