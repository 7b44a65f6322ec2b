//! The operator API's project lookup: who a project's people are, for support and billing.

use super::{ApiError, ErrorBody};
use crate::routes::ServerState;
use app::{
    domain::Slug,
    ssr::store::{billing_accounts, members, projects, ssh_keys},
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub(super) struct Person {
    name: String,
    email: String,
    /// owner, admin, member, developer or accountant.
    role: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct BillingAccount {
    id: String,
    company_name: String,
    /// VAT or registration number.
    tax_id: String,
    /// Lines separated by a line break.
    address: String,
    billing_email: String,
    is_default: bool,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Project {
    slug: String,
    name: String,
    payment_method: Option<String>,
    /// Team Owners first, then everyone else, each by when they joined.
    members: Vec<Person>,
    /// Who invoices are addressed to: the default first.
    billing_accounts: Vec<BillingAccount>,
}

/// A project, its members (its owners are those with role `owner`) and billing accounts.
#[utoipa::path(
    get,
    path = "/projects/{slug}",
    params(("slug" = String, Path, description = "The project's address name")),
    responses(
        (status = 200, body = Project),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
    )
)]
pub(super) async fn get_project(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
) -> Result<Json<Project>, ApiError> {
    let missing = || {
        ApiError(
            StatusCode::NOT_FOUND,
            format!("There is no project at {slug}."),
        )
    };
    let parsed = Slug::parse(&slug).map_err(|_| missing())?;
    let (id, name, payment_method) = projects::lookup(&state.app.db, &parsed)
        .await?
        .ok_or_else(missing)?;
    let mut people = members::list(&state.app.db, &id).await?;
    let accounts = billing_accounts::list(&state.app.db, &id).await?;
    people.sort_by_key(|m| (m.role != app::domain::Role::Owner, m.joined_at));
    Ok(Json(Project {
        slug: parsed.as_str().to_owned(),
        name,
        payment_method,
        members: people
            .into_iter()
            .map(|m| Person {
                name: m.name,
                email: m.email,
                role: m.role.key().to_owned(),
            })
            .collect(),
        billing_accounts: accounts
            .into_iter()
            .map(|a| BillingAccount {
                id: a.id,
                company_name: a.company_name,
                tax_id: a.tax_id,
                address: a.address,
                billing_email: a.billing_email,
                is_default: a.is_default,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub(super) struct SshKey {
    name: String,
    algorithm: String,
    /// "SHA256:…", as `ssh-keygen -l` prints it.
    fingerprint: String,
    /// The OpenSSH line (`<algorithm> <base64>`), ready for `authorized_keys`.
    public_key: String,
}

/// The project's SSH public keys, to install on the machines it provisions.
#[utoipa::path(
    get,
    path = "/projects/{slug}/ssh-keys",
    params(("slug" = String, Path, description = "The project's address name")),
    responses(
        (status = 200, body = [SshKey]),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
    )
)]
pub(super) async fn list_ssh_keys(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<SshKey>>, ApiError> {
    let project = super::project_id(&state, &slug).await?;
    let keys = ssh_keys::list(&state.app.db, &project).await?;
    Ok(Json(
        keys.into_iter()
            .map(|k| SshKey {
                name: k.name,
                algorithm: k.algorithm,
                fingerprint: k.fingerprint,
                public_key: k.public_key,
            })
            .collect(),
    ))
}
