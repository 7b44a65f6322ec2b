use crate::{
    access::Actor,
    domain::{NewMemberAccess, Role},
    error::AppError,
};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::Action,
    domain::{ProjectName, Slug},
    error::FieldErrors,
    ssr::{
        authorize,
        request::{app_state, finish, finish_form, redirect_with_notice, require_session},
        store::projects,
    },
};

/// One row of the Projects page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub slug: String,
    pub name: String,
    pub role: Role,
    /// The person's role and permissions there: which sections the project switcher may lead to.
    pub actor: Actor,
    /// The logo's version, if the project has one (the header shows it).
    pub logo: Option<String>,
    pub joined_at: i64,
    pub member_count: i64,
    /// You created it (and, listed under Your Projects, still own it).
    pub created_by_you: bool,
}

/// The Projects page (seed 000): projects you created and still own, every other project you
/// belong to (a project someone else created is shared with you, whatever your role in it),
/// and invitations waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectsOverview {
    pub yours: Vec<ProjectSummary>,
    pub shared: Vec<ProjectSummary>,
}

/// What a project's pages need to know about the project and the caller's place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectContext {
    pub slug: String,
    pub name: String,
    pub actor: Actor,
    pub member_count: i64,
    pub invite_expiry_days: i64,
    /// What new members start with (seed 004).
    pub new_member_access: NewMemberAccess,
    /// The primary colour (`#RRGGBB`), if chosen (seed 004).
    pub brand_color: Option<String>,
    /// The logo's version (its ETag), if the project has one.
    pub logo: Option<String>,
    /// An AI provider is set up (seed 004's AI Settings).
    pub ai: bool,
}

#[server(endpoint = "projects")]
pub async fn list_projects() -> Result<ProjectsOverview, AppError> {
    finish(
        async {
            let user = require_session()?;
            let all = projects::list_for_user(&app_state()?.db, &user.user_id).await?;
            let (yours, shared) = all
                .into_iter()
                .partition(|p| p.created_by_you && p.role == Role::Owner);
            Ok(ProjectsOverview { yours, shared })
        }
        .await,
    )
}

/// The slug a name would get now, for the live preview in the New Project form.
#[server(endpoint = "suggest_slug")]
pub async fn suggest_slug(name: String) -> Result<String, AppError> {
    finish(
        async {
            require_session()?;
            if name.chars().count() > 4 * ProjectName::MAX_LEN {
                return Err(AppError::invalid("name", "That name is far too long."));
            }
            Ok(projects::suggest_free_slug(&app_state()?.db, &name)
                .await?
                .to_string())
        }
        .await,
    )
}

/// Creates a project owned by the caller and opens its dashboard. An empty slug means "make one
/// from the name"; a slug the person typed is used as typed or refused with a free alternative.
#[server(endpoint = "create_project")]
pub async fn create_project(name: String, slug: Option<String>) -> Result<(), AppError> {
    let slug = slug.unwrap_or_default();
    let result = async {
        let user = require_session()?;
        let state = app_state()?;
        let now = state.clock.now_ms();
        let mut errors = FieldErrors::default();
        let parsed_name = errors.check("name", ProjectName::parse(&name));
        let wanted_slug = if slug.trim().is_empty() {
            Some(None)
        } else {
            errors.check("slug", Slug::parse(&slug)).map(Some)
        };
        let (Some(name), Some(wanted_slug)) = (parsed_name, wanted_slug) else {
            return Err(errors.into_error());
        };
        let made = projects::created_since(&state.db, &user.user_id, now - 3600 * 1000).await?;
        if made >= projects::PROJECTS_PER_HOUR {
            return Err(AppError::RateLimited(format!(
                "You created {made} projects in the last hour, the most Roster allows. Try again later."
            )));
        }
        let slug = match wanted_slug {
            Some(slug) => {
                if !projects::create(&state.db, &name, &slug, &user.user_id, now).await? {
                    let free = projects::suggest_free_slug(&state.db, slug.as_str()).await?;
                    return Err(AppError::conflict(
                        "slug",
                        format!("The URL name “{slug}” is already taken. “{free}” is free."),
                    ));
                }
                slug
            }
            None => {
                let mut tx = state.db.begin().await?;
                let slug = projects::insert_with_generated_slug(&mut tx, &name, &user.user_id, now)
                    .await?;
                tx.commit().await?;
                slug
            }
        };
        leptos_axum::redirect(&format!("/p/{slug}"));
        Ok(())
    }
    .await;
    finish_form(
        CreateProject::PATH,
        &[("name", &name), ("slug", &slug)],
        result,
    )
}

#[server(endpoint = "project")]
pub async fn get_project(slug: String) -> Result<ProjectContext, AppError> {
    finish(
        async {
            let (_, membership) = authorize::project_action(&slug, Action::ViewDashboard).await?;
            Ok(ProjectContext {
                slug: membership.slug,
                name: membership.name,
                actor: membership.actor,
                member_count: membership.member_count,
                invite_expiry_days: membership.invite_expiry_days,
                new_member_access: membership.new_member_access,
                brand_color: membership.brand_color,
                logo: membership.logo,
                ai: membership.ai,
            })
        }
        .await,
    )
}

#[server(endpoint = "rename_project")]
pub async fn rename_project(slug: String, name: String) -> Result<(), AppError> {
    let result = async {
        let (_, membership) = authorize::project_action(&slug, Action::EditSettings).await?;
        let name = ProjectName::parse(&name).map_err(|m| AppError::invalid("name", m))?;
        projects::rename(&app_state()?.db, &membership.project_id, &name).await?;
        redirect_with_notice(&format!("/p/{slug}/settings"), Some("Name saved."));
        Ok(())
    }
    .await;
    finish_form(RenameProject::PATH, &[("name", &name)], result)
}

/// Settings → how many days a new invitation link stays valid (1–30; seed 002's default is 7).
#[server(endpoint = "set_invite_expiry")]
pub async fn set_invite_expiry(slug: String, days: String) -> Result<(), AppError> {
    let result = async {
        let (_, membership) = authorize::project_action(&slug, Action::EditSettings).await?;
        let days = days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=30).contains(d))
            .ok_or_else(|| {
                AppError::invalid("days", "Choose a whole number of days from 1 to 30.")
            })?;
        projects::set_invite_expiry_days(&app_state()?.db, &membership.project_id, days).await?;
        redirect_with_notice(
            &format!("/p/{slug}/settings"),
            Some(&format!("New invitations expire after {days} days.")),
        );
        Ok(())
    }
    .await;
    finish_form(SetInviteExpiry::PATH, &[("days", &days)], result)
}

/// Settings → Delete project (seed 000; Team Owner only): the project, its members,
/// invitations and history go for good, and invitation emails not yet sent are withdrawn.
/// `confirm_name` must be the project's name as it is now, typed by the person: a stale form
/// or a forged post for another name changes nothing.
#[server(endpoint = "delete_project")]
pub async fn delete_project(slug: String, confirm_name: String) -> Result<(), AppError> {
    let result = async {
        let (_, membership) = authorize::project_action(&slug, Action::DeleteProject).await?;
        if confirm_name.trim() != membership.name {
            return Err(AppError::invalid(
                "confirm_name",
                format!(
                    "Type the project's name exactly as it is: {}",
                    membership.name
                ),
            ));
        }
        let active = projects::delete(&app_state()?.db, &membership.project_id).await?;
        if active > 0 {
            return Err(AppError::conflict(
                "confirm_name",
                format!(
                    "{} still has {active} active service{}. Cancel {} first (Services), then delete the project.",
                    membership.name,
                    if active == 1 { "" } else { "s" },
                    if active == 1 { "it" } else { "them" }
                ),
            ));
        }
        redirect_with_notice(
            "/projects",
            Some(&format!("{} was deleted.", membership.name)),
        );
        Ok(())
    }
    .await;
    finish_form(
        DeleteProject::PATH,
        &[("confirm_name", &confirm_name)],
        result,
    )
}
