//! Services (issue 10; seed 001's table): what the project runs at the hosting company, and
//! the actions members ask the back office to carry out.

use crate::{
    access::{can, service_action, Actor, Scope},
    domain::{OperationStatus, ServiceAction, ServiceKind, ServiceStatus},
    error::AppError,
};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::Action,
    ssr::{
        authorize,
        request::{app_state, finish, finish_form, redirect_with_notice},
        services,
        store::{is_id, services as store},
    },
};

/// An action asked of a service, and where it stands at the back office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationView {
    pub id: String,
    pub action: ServiceAction,
    pub status: OperationStatus,
    /// Who asked (kept as written when they asked).
    pub requester: String,
    /// The back office's words (why it failed, what it did).
    pub message: Option<String>,
    pub requested: String,
    pub updated: String,
    /// For a restore or delete: when the backup was made, and its id.
    pub backup: Option<String>,
    pub backup_id: Option<String>,
}

/// A backup of a machine, made by a "create backup" operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupView {
    pub id: String,
    /// When it was made ("12 May 2026, 14:05 UTC").
    pub created: String,
}

/// One service, with the operation still in progress on it, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub id: String,
    pub kind: ServiceKind,
    pub name: String,
    pub plan: String,
    pub region: String,
    pub status: ServiceStatus,
    pub created: String,
    pub pending: Option<OperationView>,
}

impl ServiceView {
    /// The actions `actor` may ask for now: the state rules and the access table, the same
    /// two checks the server makes when the form is posted.
    pub fn offered(&self, actor: &Actor) -> Vec<ServiceAction> {
        ServiceAction::available(
            self.kind,
            self.status,
            self.pending.as_ref().map(|p| p.action),
        )
        .into_iter()
        .filter(|a| can(actor, service_action(*a), Scope::Service(&self.id)))
        .collect()
    }

    /// The actions `actor` may ask for on each of its backups now (the same checks).
    pub fn offered_on_backups(&self, actor: &Actor) -> Vec<ServiceAction> {
        let pending = self.pending.as_ref().map(|p| p.action);
        [ServiceAction::RestoreBackup, ServiceAction::DeleteBackup]
            .into_iter()
            .filter(|a| a.check(self.kind, self.status, pending).is_ok())
            .filter(|a| can(actor, service_action(*a), Scope::Service(&self.id)))
            .collect()
    }
}

/// The Services page: the caller's place in the project and its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceList {
    pub actor: Actor,
    pub services: Vec<ServiceView>,
}

/// One service's page: the service, its latest operations (newest first) and what the caller
/// may ask of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub actor: Actor,
    pub service: ServiceView,
    /// Empty unless the caller may view the service's log (`Action::ViewLogs`).
    pub history: Vec<OperationView>,
    /// Newest first (machines only).
    pub backups: Vec<BackupView>,
}

#[server(endpoint = "services")]
pub async fn list_services(slug: String) -> Result<ServiceList, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::ViewServices).await?;
            let actor = project.actor;
            // Seed 004's resource access: a service the caller may not reach is not listed.
            let services = store::list(&app_state()?.db, &project.project_id)
                .await?
                .into_iter()
                .filter(|s| can(&actor, Action::ViewServices, Scope::Service(&s.id)))
                .collect();
            Ok(ServiceList { actor, services })
        }
        .await,
    )
}

#[server(endpoint = "service")]
pub async fn get_service(slug: String, id: String) -> Result<ServiceDetail, AppError> {
    finish(
        async {
            if !is_id(&id) {
                return Err(services::no_service());
            }
            let (_, project) = authorize::service_action(&slug, Action::ViewServices, &id).await?;
            let (service, history, backups) =
                store::detail(&app_state()?.db, &project.project_id, &id)
                    .await?
                    .ok_or_else(services::no_service)?;
            let actor = project.actor;
            let history = if can(&actor, Action::ViewLogs, Scope::Service(&id)) {
                history
            } else {
                Vec::new()
            };
            Ok(ServiceDetail {
                actor,
                service,
                history,
                backups,
            })
        }
        .await,
    )
}

/// Asks the back office to carry out `action` on service `id` (on its backup `backup`, to
/// restore or delete one); the service's page shows it queued at once and follows it live.
#[server(endpoint = "request_operation")]
pub async fn request_operation(
    slug: String,
    id: String,
    action: String,
    #[server(default)] backup: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let action = ServiceAction::parse(&action).map_err(|m| AppError::invalid("action", m))?;
        if !is_id(&id) {
            return Err(services::no_service());
        }
        let (user, project) = authorize::service_action(&slug, service_action(action), &id).await?;
        let state = app_state()?;
        let service = services::request(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            &id,
            action,
            backup.as_deref().filter(|b| !b.is_empty()),
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/services/{id}"),
            Some(&format!(
                "“{}” of {} is queued. This page follows it.",
                action.label(),
                service.name
            )),
        );
        Ok(())
    }
    .await;
    finish_form(RequestOperation::PATH, &[], result)
}
