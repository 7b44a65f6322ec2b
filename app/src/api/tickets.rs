//! Support tickets (issue 10; seed 001 "Support" is open to every role): a project's
//! conversations with the hosting company's staff.

use crate::{domain::TicketStatus, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::Action,
    domain::{MessageBody, TicketSubject},
    error::FieldErrors,
    ssr::{
        authorize,
        request::{app_state, finish, finish_form, redirect_with_notice},
        store::tickets as store,
        tickets::{self, Writer},
    },
};

/// One row of the Tickets page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
    /// When it was opened and last written to, as people read dates ("12 May 2026, 14:05 UTC").
    pub opened: String,
    pub updated: String,
    pub messages: i64,
}

/// One message of a ticket's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMessage {
    pub author: String,
    /// Written by the hosting company's staff.
    pub from_staff: bool,
    pub body: String,
    pub at: String,
}

/// A ticket and its thread, oldest message first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketThread {
    pub ticket: TicketSummary,
    pub messages: Vec<TicketMessage>,
}

/// A ticket number from an address or a form: anything but a positive whole number names no
/// ticket (404, like a number that does not exist).
#[cfg(feature = "ssr")]
fn number(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::NotFound(format!("There is no ticket “{raw}” in this project.")))
}

#[server(endpoint = "tickets")]
pub async fn list_tickets(slug: String) -> Result<Vec<TicketSummary>, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::UseTickets).await?;
            Ok(store::list(&app_state()?.db, &project.project_id).await?)
        }
        .await,
    )
}

#[server(endpoint = "ticket")]
pub async fn get_ticket(slug: String, number: String) -> Result<TicketThread, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::UseTickets).await?;
            let n = self::number(&number)?;
            let (ticket, messages) = store::thread(&app_state()?.db, &project.project_id, n)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("This project has no ticket #{n}.")))?;
            Ok(TicketThread { ticket, messages })
        }
        .await,
    )
}

/// Opens a ticket and goes to it.
#[server(endpoint = "open_ticket")]
pub async fn open_ticket(slug: String, subject: String, body: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::UseTickets).await?;
        let mut errors = FieldErrors::default();
        let parsed_subject = errors.check("subject", TicketSubject::parse(&subject));
        let parsed_body = errors.check("body", MessageBody::parse(&body));
        let (Some(subject), Some(body)) = (parsed_subject, parsed_body) else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        let n = tickets::open(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            &subject,
            &body,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/tickets/{n}"),
            Some(&format!("Ticket #{n} is open. Support answers here.")),
        );
        Ok(())
    }
    .await;
    finish_form(
        OpenTicket::PATH,
        &[("subject", &subject), ("body", &body)],
        result,
    )
}

#[server(endpoint = "reply_ticket")]
pub async fn reply_ticket(slug: String, number: String, body: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::UseTickets).await?;
        let n = self::number(&number)?;
        let body = MessageBody::parse(&body).map_err(|m| AppError::invalid("body", m))?;
        let state = app_state()?;
        tickets::reply(
            &state.db,
            &state.live,
            &project.project_id,
            &Writer::Member(&user),
            n,
            &body,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(&format!("/p/{slug}/tickets/{n}"), Some("Reply sent."));
        Ok(())
    }
    .await;
    finish_form(ReplyTicket::PATH, &[("body", &body)], result)
}

/// Close (`status` = "closed") or reopen ("open") a ticket.
#[server(endpoint = "set_ticket_status")]
pub async fn set_ticket_status(
    slug: String,
    number: String,
    status: String,
) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::UseTickets).await?;
        let n = self::number(&number)?;
        let status = TicketStatus::parse(&status).map_err(|m| AppError::invalid("status", m))?;
        let state = app_state()?;
        tickets::set_status(
            &state.db,
            &state.live,
            &project.project_id,
            &Writer::Member(&user),
            n,
            status,
            state.clock.now_ms(),
        )
        .await?;
        let notice = match status {
            TicketStatus::Closed => format!("Ticket #{n} is closed."),
            _ => format!("Ticket #{n} is open again."),
        };
        redirect_with_notice(&format!("/p/{slug}/tickets/{n}"), Some(&notice));
        Ok(())
    }
    .await;
    finish_form(SetTicketStatus::PATH, &[], result)
}
