//! The server side of the access table: every project server function starts here.

use super::{request, session::SessionUser, store::projects::Membership};
use crate::access::{can, Action, Actor};
use crate::error::AppError;
use leptos::prelude::use_context;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// Memberships already read while serving this request, by slug. A page renders several
/// server functions for one project (layout, section); authorising them costs one query.
/// Provided fresh for every request; never outlives it, so a change is seen by the next one.
#[derive(Clone, Default)]
pub struct RequestMemberships(Arc<Mutex<HashMap<String, Option<Membership>>>>);

async fn membership_of(slug: &str, user: &SessionUser) -> Result<Option<Membership>, AppError> {
    let cache = use_context::<RequestMemberships>();
    if let Some(found) = cache
        .as_ref()
        .and_then(|c| c.0.lock().ok()?.get(slug).cloned())
    {
        return Ok(found);
    }
    let state = request::app_state();
    let found = super::store::projects::membership(&state.db, slug, &user.user_id).await?;
    if let Some(cache) = cache {
        if let Ok(mut map) = cache.0.lock() {
            map.insert(slug.to_owned(), found.clone());
        }
    }
    Ok(found)
}

/// The signed-in caller and their membership of `slug`, if they may take `action` there.
/// A project the caller is not a member of answers 404, so its existence does not leak.
pub async fn project_action(
    slug: &str,
    action: Action,
) -> Result<(SessionUser, Membership), AppError> {
    let user = request::require_session()?;
    let membership = membership_of(slug, &user).await?.ok_or_else(|| {
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
