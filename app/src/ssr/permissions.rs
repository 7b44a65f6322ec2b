//! The rules of changing a member's permission profile and what new members start with (seed
//! 004), in one transaction under the project lock. A change is an activity entry, which is
//! also the live event that takes buttons and services off the member's open pages at once. It
//! emails nobody.

use super::{
    authorize,
    database::Db,
    live::Hub,
    session::SessionUser,
    store::{
        activity::{self, Entry, Kind, Subject},
        members, permissions,
        services::names,
    },
};
use crate::{
    access::{check_permissions_change, Action, Permissions, Scope, ServiceAccess},
    api::members::Access,
    domain::NewMemberAccess,
    error::AppError,
};

pub fn no_member() -> AppError {
    AppError::NotFound("This project has no such member.".into())
}

/// Sets the profile of member `target_id` to `wanted`, if the caller may (see
/// [`check_permissions_change`]). Services are named by id and must be the project's own.
pub async fn change(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    target_id: &str,
    wanted: Permissions,
    now: i64,
) -> Result<(), AppError> {
    if !super::store::is_id(target_id) {
        return Err(no_member());
    }
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::ManageMembers, Scope::Project).await?;
    // Under the lock, as the back office adds and cancels services under it: a service named
    // here cannot be cancelled before the profile that names it is saved.
    let known = names(&mut *tx, project_id).await?;
    if let ServiceAccess::Only(ids) = &wanted.services {
        if !ids.iter().all(|id| known.iter().any(|(k, _)| k == id)) {
            return Err(super::services::no_service());
        }
    }
    let me = members::find(&mut tx, project_id, &user.user_id)
        .await?
        .ok_or(AppError::Internal)?;
    let target = members::find(&mut tx, project_id, target_id)
        .await?
        .ok_or_else(no_member)?;
    check_permissions_change(&me.actor(), target.role, &target.permissions, &wanted)
        .map_err(|d| AppError::Forbidden(d.message(me.role)))?;
    let before = target.actor();
    let after = crate::access::Actor {
        role: target.role,
        permissions: wanted.clone(),
    };
    if before.switches() == after.switches() && target.permissions.services == wanted.services {
        // Nothing changes: no entry, no event.
        return Ok(());
    }
    permissions::set(&mut tx, project_id, target_id, &wanted).await?;
    let describe = |a: &crate::access::Actor| Access::of(a, &known).describe();
    activity::record(
        &mut tx,
        Entry {
            project_id,
            kind: Kind::PermissionsChanged,
            actor_id: Some(&me.user_id),
            actor_name: &me.name,
            subject: Subject::member(&target.user_id, &target.name, &target.email),
            old_value: Some(&describe(&before)),
            new_value: Some(&describe(&after)),
            now,
        },
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(())
}

/// Sets what the project's new members start with (Owners and Admins, with the settings).
pub async fn set_new_member_access(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    access: NewMemberAccess,
    now: i64,
) -> Result<(), AppError> {
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::EditSettings, Scope::Project).await?;
    let current = permissions::new_member_access(&mut tx, project_id).await?;
    if current == access {
        return Ok(());
    }
    permissions::set_new_member_access(&mut tx, project_id, access).await?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::NewMemberAccessChanged,
        (Some(&user.user_id), &user.name),
        access.label(),
        Some(access.key()),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(())
}
