//! Members' permission profiles (seed 004): the permissions dialog of the Members page, and what
//! a project's new members start with (Settings).

use crate::{access::Actor, domain::Role, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::{Action, Permissions, ServiceAccess},
    domain::NewMemberAccess,
    ssr::{
        authorize,
        permissions::{self, no_member},
        request::{app_state, finish, finish_form, redirect_with_notice},
        store::{is_id, members, services},
    },
};

/// What the permissions dialog shows for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    /// The member as the access table sees them now.
    pub member: Actor,
    /// The caller: what they may grant.
    pub editor: Actor,
    /// The project's services, as (id, name).
    pub services: Vec<(String, String)>,
}

#[server(endpoint = "member_permissions")]
pub async fn member_permissions(slug: String, user_id: String) -> Result<MemberProfile, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::ManageMembers).await?;
            if !is_id(&user_id) {
                return Err(no_member());
            }
            let state = app_state()?;
            let mut tx = state.db.begin().await?;
            let target = members::find(&mut tx, &project.project_id, &user_id)
                .await?
                .ok_or_else(no_member)?;
            drop(tx);
            Ok(MemberProfile {
                member: target.actor(),
                user_id: target.user_id,
                name: target.name,
                role: target.role,
                editor: project.actor,
                services: services::names(&state.db, &project.project_id).await?,
            })
        }
        .await,
    )
}

/// Sets a member's profile: the switches that are on (by key), and `services` "all" or "only"
/// the services in `service_ids`. Without JavaScript a failed post comes back to the dialog
/// with what was ticked.
#[server(endpoint = "set_member_permissions")]
pub async fn set_member_permissions(
    slug: String,
    user_id: String,
    #[server(default)] switches: Vec<String>,
    services: String,
    #[server(default)] service_ids: Vec<String>,
) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::ManageMembers).await?;
        let mut on = Vec::new();
        for key in &switches {
            let action = Action::parse_switch(key).map_err(|m| AppError::invalid("switches", m))?;
            if !on.contains(&action) {
                on.push(action);
            }
        }
        // Kept in seed 004's order, so the same choice is stored the same way.
        on.sort_by_key(|a| Action::SWITCHES.iter().position(|s| s == a));
        let reach = match services.as_str() {
            "all" => ServiceAccess::All,
            "only" => {
                let mut ids: Vec<String> = Vec::new();
                for id in &service_ids {
                    if !is_id(id) {
                        return Err(crate::ssr::services::no_service());
                    }
                    if !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
                ids.sort();
                ServiceAccess::Only(ids)
            }
            _ => {
                return Err(AppError::invalid(
                    "services",
                    "Choose every service or only some.",
                ))
            }
        };
        let state = app_state()?;
        permissions::change(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            &user_id,
            Permissions {
                switches: Some(on),
                services: reach,
            },
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/members"),
            Some("Permissions saved. They apply at once."),
        );
        Ok(())
    }
    .await;
    let mut typed: Vec<(&str, &str)> = vec![("permissions", user_id.as_str())];
    typed.extend(switches.iter().map(|s| ("switches[]", s.as_str())));
    typed.push(("services", services.as_str()));
    typed.extend(service_ids.iter().map(|s| ("service_ids[]", s.as_str())));
    finish_form(SetMemberPermissions::PATH, &typed, result)
}

#[server(endpoint = "set_new_member_access")]
pub async fn set_new_member_access(slug: String, access: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::EditSettings).await?;
        let access = NewMemberAccess::parse(&access).map_err(|m| AppError::invalid("access", m))?;
        let state = app_state()?;
        permissions::set_new_member_access(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            access,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/settings"),
            Some("Saved: new members start with this from now on."),
        );
        Ok(())
    }
    .await;
    finish_form(SetNewMemberAccess::PATH, &[], result)
}
