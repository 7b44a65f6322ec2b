//! The server side of the access table: every project server function starts here.

use super::{
    database::Db,
    request,
    session::SessionUser,
    store::{members, projects::Membership},
};
use crate::access::{can, Action, Scope};
use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::{Any, Transaction};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::sync::OnceCell;

/// Memberships read while serving this request, by slug. A page renders several server
/// functions for one project (layout, section), concurrently; they share one lookup, so
/// authorising them all costs one query. Provided fresh for every request; never outlives it,
/// so a change is seen by the next one.
#[derive(Clone, Default)]
pub struct RequestMemberships(Arc<Mutex<HashMap<String, Lookup>>>);

type Lookup = Arc<OnceCell<Option<Membership>>>;

async fn membership_of(slug: &str, user: &SessionUser) -> Result<Option<Membership>, AppError> {
    let lookup: Lookup = match use_context::<RequestMemberships>() {
        Some(cache) => cache
            .0
            .lock()
            .map_err(|_| AppError::Internal)?
            .entry(slug.to_owned())
            .or_default()
            .clone(),
        None => Lookup::default(),
    };
    // A slug that does not parse names no project: no query (and no NUL byte for PostgreSQL).
    let Ok(slug) = crate::domain::Slug::parse(slug) else {
        return Ok(None);
    };
    // The first caller queries; the others wait for its answer. A failed query is not cached.
    let found = lookup
        .get_or_try_init(|| async {
            let state = request::app_state()?;
            Ok::<_, AppError>(
                super::store::projects::membership(&state.db, &slug, &user.user_id).await?,
            )
        })
        .await?;
    Ok(found.clone())
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
    if !can(&membership.actor, action, Scope::Project) {
        return Err(refusal(&membership.name, membership.actor.role, action));
    }
    Ok((user, membership))
}

/// Why `action` is refused to a member with `role` in project `name`: their role, or (for a
/// switch the role allows) their permission profile.
fn refusal(name: &str, role: crate::domain::Role, action: Action) -> AppError {
    let what = action.describe().to_lowercase();
    AppError::Forbidden(if action.allowed_roles().contains(&role) {
        format!("Your permissions in {name} do not include this: {what}.")
    } else {
        format!("Your role in {name} is {role}, which cannot do this: {what}.")
    })
}

/// The caller's membership of `slug`, if they may take `action` on its service `service_id`. A
/// service they may not reach is answered as one that does not exist.
pub async fn service_action(
    slug: &str,
    action: Action,
    service_id: &str,
) -> Result<(SessionUser, Membership), AppError> {
    let (user, membership) = project_action(slug, Action::ViewServices).await?;
    if !can(
        &membership.actor,
        Action::ViewServices,
        Scope::Service(service_id),
    ) {
        return Err(super::services::no_service());
    }
    if !can(&membership.actor, action, Scope::Service(service_id)) {
        return Err(refusal(&membership.name, membership.actor.role, action));
    }
    Ok((user, membership))
}

/// Starts a change to the project: takes its lock and reads the caller's membership again
/// under it, so a role changed or a removal a moment ago counts even if the check above
/// passed.
pub async fn lock_for(
    db: &Db,
    project_id: &str,
    user: &SessionUser,
    action: Action,
    on: Scope<'_>,
) -> Result<Transaction<'static, Any>, AppError> {
    let mut tx = members::begin_change(db, project_id).await?;
    let me = members::find(&mut tx, project_id, &user.user_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("You are no longer a member of this project.".into()))?;
    if !can(&me.actor(), action, on) {
        return Err(AppError::Forbidden(format!(
            "Your role or permissions changed a moment ago: you can no longer do this: {}.",
            action.describe().to_lowercase()
        )));
    }
    Ok(tx)
}
