//! The Dashboard's figures (seed 000: "Summary — active members, services, unpaid invoices,
//! active tickets"), each only for a role that may open that section.

use crate::{domain::ServiceStatus, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::{can, Action, Scope, ServiceAccess},
    domain::Role,
    ssr::{
        authorize, money,
        request::{app_state, finish},
        store::{invoices, services, tickets},
    },
};

/// Tickets that are not closed, by who has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTickets {
    /// Waiting for the hosting company's staff.
    pub with_support: i64,
    /// The staff answered; waiting for the project.
    pub awaiting_you: i64,
}

/// Unpaid invoices in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unpaid {
    pub count: i64,
    /// Formatted ("EUR 1,234.50").
    pub due: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    /// Unpaid invoices by currency; `None` when the role cannot see invoices.
    pub invoices: Option<Vec<Unpaid>>,
    /// Services by status (only statuses that occur); `None` when the role cannot see services.
    pub services: Option<Vec<(ServiceStatus, i64)>>,
    /// `None` when the role cannot use tickets.
    pub tickets: Option<OpenTickets>,
}

#[server(endpoint = "dashboard")]
pub async fn dashboard(slug: String) -> Result<DashboardFigures, AppError> {
    finish(
        async {
            let (user, project) = authorize::project_action(&slug, Action::ViewDashboard).await?;
            let actor = project.actor;
            let db = &app_state()?.db;
            let services = if can(&actor, Action::ViewServices, Scope::Project) {
                // Only the services the caller may reach count (seed 004's resource access).
                let listed =
                    actor.role != Role::Owner && actor.permissions.services != ServiceAccess::All;
                let listed_for = listed.then_some(user.user_id.as_str());
                Some(services::count_by_status(db, &project.project_id, listed_for).await?)
            } else {
                None
            };
            let tickets = if can(&actor, Action::UseTickets, Scope::Project) {
                let (with_support, awaiting_you) =
                    tickets::open_counts(db, &project.project_id).await?;
                Some(OpenTickets {
                    with_support,
                    awaiting_you,
                })
            } else {
                None
            };
            let invoices = if can(&actor, Action::ViewInvoices, Scope::Project) {
                Some(
                    invoices::unpaid(db, &project.project_id)
                        .await?
                        .into_iter()
                        .map(|(currency, count, due)| Unpaid {
                            count,
                            due: money::format(due, &currency),
                        })
                        .collect(),
                )
            } else {
                None
            };
            Ok(DashboardFigures {
                invoices,
                services,
                tickets,
            })
        }
        .await,
    )
}
