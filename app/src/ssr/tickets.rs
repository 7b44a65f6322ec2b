//! The rules of support tickets (issue 10), shared by the members' server functions and the
//! operator API the hosting company's staff write through. Every change runs under the
//! project lock, is recorded in the activity log, and that entry is the live event that
//! updates every open Tickets page of the project.

use super::{
    live::Hub,
    session::SessionUser,
    store::{
        activity::{self, Entry, Kind, Subject},
        members,
        tickets::{self, Author, TicketRow},
    },
    webhooks::{self, Event},
};
use crate::{
    access::Action,
    domain::{MessageBody, TicketStatus, TicketSubject},
    error::AppError,
};
use serde_json::json;
use sqlx::{Any, Transaction};

/// Tickets one project may open per hour: enough for a bad day, not for a script.
pub const OPENED_PER_HOUR: i64 = 20;

/// Who writes: a member of the project, or the hosting company's staff (operator API).
pub enum Writer<'a> {
    Member(&'a SessionUser),
    Staff { name: &'a str },
}

impl Writer<'_> {
    fn author(&self) -> Author<'_> {
        match self {
            Writer::Member(user) => Author {
                user_id: Some(&user.user_id),
                name: &user.name,
                staff: false,
            },
            Writer::Staff { name } => Author {
                user_id: None,
                name,
                staff: true,
            },
        }
    }
}

fn not_found(number: i64) -> AppError {
    AppError::NotFound(format!("This project has no ticket #{number}."))
}

/// Starts a change: the project lock, and (for a member) proof that they are still one.
async fn begin(
    db: &super::database::Db,
    project_id: &str,
    writer: &Writer<'_>,
) -> Result<Transaction<'static, Any>, AppError> {
    Ok(match writer {
        Writer::Member(user) => {
            super::authorize::lock_for(
                db,
                project_id,
                user,
                Action::UseTickets,
                crate::access::Scope::Project,
            )
            .await?
        }
        Writer::Staff { .. } => members::begin_change(db, project_id).await?,
    })
}

async fn record(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    kind: Kind,
    writer: &Writer<'_>,
    ticket: &TicketRow,
    status: Option<TicketStatus>,
    now: i64,
) -> Result<(), AppError> {
    let author = writer.author();
    let subject = format!("#{} {}", ticket.number, ticket.subject);
    activity::record(
        tx,
        Entry {
            project_id,
            kind,
            actor_id: author.user_id,
            actor_name: author.name,
            subject: Subject::thing(&subject),
            old_value: None,
            new_value: status.map(TicketStatus::key),
            now,
        },
    )
    .await?;
    Ok(())
}

/// Gives the ticket its new status, records why, and commits (which tells the live streams).
#[allow(clippy::too_many_arguments)]
async fn settle(
    mut tx: Transaction<'static, Any>,
    live: &Hub,
    project_id: &str,
    writer: &Writer<'_>,
    ticket: &TicketRow,
    status: TicketStatus,
    kind: Kind,
    now: i64,
) -> Result<(), AppError> {
    tickets::set_status(&mut tx, &ticket.id, status, now).await?;
    record(&mut tx, project_id, kind, writer, ticket, Some(status), now).await?;
    live.commit(tx, project_id).await?;
    Ok(())
}

/// A member opens a ticket; returns its number.
pub async fn open(
    db: &super::database::Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    subject: &TicketSubject,
    body: &MessageBody,
    now: i64,
) -> Result<i64, AppError> {
    let writer = Writer::Member(user);
    let mut tx = begin(db, project_id, &writer).await?;
    let recent = tickets::opened_since(&mut tx, project_id, now - 3600 * 1000).await?;
    if recent >= OPENED_PER_HOUR {
        return Err(AppError::RateLimited(format!(
            "This project opened {recent} tickets in the last hour, the most Roster allows. \
             Add to an open ticket, or try again later."
        )));
    }
    let ticket = tickets::insert(
        &mut tx,
        project_id,
        subject.as_str(),
        &writer.author(),
        body.as_str(),
        now,
    )
    .await?;
    webhooks::enqueue(
        &mut tx,
        project_id,
        Event::TicketOpened,
        json!({
            "number": ticket.number,
            "subject": ticket.subject,
            "body": body.as_str(),
            "author": user.name,
        }),
        now,
    )
    .await?;
    record(
        &mut tx,
        project_id,
        Kind::TicketOpened,
        &writer,
        &ticket,
        None,
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(ticket.number)
}

/// A message on ticket `number`. A member's reply puts the ticket back with the staff (and
/// reopens a closed one); the staff's reply waits for the customer.
pub async fn reply(
    db: &super::database::Db,
    live: &Hub,
    project_id: &str,
    writer: &Writer<'_>,
    number: i64,
    body: &MessageBody,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin(db, project_id, writer).await?;
    let ticket = tickets::find(&mut tx, project_id, number)
        .await?
        .ok_or_else(|| not_found(number))?;
    tickets::add_message(&mut tx, &ticket.id, &writer.author(), body.as_str(), now).await?;
    // The staff's own replies are not announced back to them.
    if let Writer::Member(user) = writer {
        webhooks::enqueue(
            &mut tx,
            project_id,
            Event::TicketReplied,
            json!({
                "number": ticket.number,
                "subject": ticket.subject,
                "body": body.as_str(),
                "author": user.name,
            }),
            now,
        )
        .await?;
    }
    let (status, kind) = match writer {
        Writer::Member(_) => (TicketStatus::Open, Kind::TicketReplied),
        Writer::Staff { .. } => (TicketStatus::AwaitingReply, Kind::StaffReplied),
    };
    settle(tx, live, project_id, writer, &ticket, status, kind, now).await
}

/// Closes or reopens ticket `number` (the staff may also set "awaiting reply"). Setting the
/// status it already has changes nothing and records nothing (a second tab, a replayed post).
pub async fn set_status(
    db: &super::database::Db,
    live: &Hub,
    project_id: &str,
    writer: &Writer<'_>,
    number: i64,
    status: TicketStatus,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin(db, project_id, writer).await?;
    let ticket = tickets::find(&mut tx, project_id, number)
        .await?
        .ok_or_else(|| not_found(number))?;
    if ticket.status == status {
        return Ok(());
    }
    let kind = match status {
        TicketStatus::Closed => Kind::TicketClosed,
        TicketStatus::Open if ticket.status == TicketStatus::Closed => Kind::TicketReopened,
        _ if matches!(writer, Writer::Member(_)) => {
            return Err(AppError::invalid(
                "status",
                "A ticket can be closed or reopened here; the staff's answer sets the rest.",
            ))
        }
        _ => Kind::TicketStatusChanged,
    };
    settle(tx, live, project_id, writer, &ticket, status, kind, now).await
}
