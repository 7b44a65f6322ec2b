//! Support tickets and their messages (issue 10).

use super::new_id;
use crate::api::tickets::{TicketMessage, TicketSummary};
use crate::domain::TicketStatus;
use crate::ssr::{database::Db, dates::moment};
use sqlx::{any::AnyRow, Any, Row, Transaction};

/// A ticket as the rules need it.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub id: String,
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
}

/// Who wrote a message.
pub struct Author<'a> {
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub staff: bool,
}

/// Opens a ticket with its first message; returns its number. The caller holds the project
/// lock, so numbers are gap-free per project.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    subject: &str,
    author: &Author<'_>,
    body: &str,
    now: i64,
) -> Result<TicketRow, sqlx::Error> {
    let id = new_id();
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (id, project_id, number, subject, status, opened_by, created_at, updated_at)
         SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, 'open', $4, $5, $5 FROM tickets WHERE project_id = $2
         RETURNING number",
    )
    .bind(&id)
    .bind(project_id)
    .bind(subject)
    .bind(author.user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    add_message(tx, &id, author, body, now).await?;
    Ok(TicketRow {
        id,
        number,
        subject: subject.to_owned(),
        status: TicketStatus::Open,
    })
}

pub async fn add_message(
    tx: &mut Transaction<'_, Any>,
    ticket_id: &str,
    author: &Author<'_>,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ticket_messages (id, ticket_id, seq, author_id, author_name, from_staff, body, created_at)
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7 FROM ticket_messages WHERE ticket_id = $2",
    )
    .bind(new_id())
    .bind(ticket_id)
    .bind(author.user_id)
    .bind(author.name)
    .bind(i64::from(author.staff))
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    ticket_id: &str,
    status: TicketStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tickets SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.key())
        .bind(now)
        .bind(ticket_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ticket `number` of the project, read under the caller's lock.
pub async fn find(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    number: i64,
) -> Result<Option<TicketRow>, sqlx::Error> {
    sqlx::query(
        "SELECT id, number, subject, status FROM tickets WHERE project_id = $1 AND number = $2",
    )
    .bind(project_id)
    .bind(number)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(ticket_from_row)
    .transpose()
}

fn ticket_from_row(row: &AnyRow) -> Result<TicketRow, sqlx::Error> {
    Ok(TicketRow {
        id: row.try_get(0)?,
        number: row.try_get(1)?,
        subject: row.try_get(2)?,
        status: status(row.try_get(3)?)?,
    })
}

fn status(key: String) -> Result<TicketStatus, sqlx::Error> {
    TicketStatus::parse(&key).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// One row per ticket: what the list and a thread's heading show.
const SUMMARY: &str = "SELECT t.number, t.subject, t.status, t.created_at, t.updated_at,
        (SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = t.id)
     FROM tickets t WHERE t.project_id = $1";

fn summary_from_row(r: &AnyRow) -> Result<TicketSummary, sqlx::Error> {
    Ok(TicketSummary {
        number: r.try_get(0)?,
        subject: r.try_get(1)?,
        status: status(r.try_get(2)?)?,
        opened: moment(r.try_get(3)?),
        updated: moment(r.try_get(4)?),
        messages: r.try_get(5)?,
    })
}

/// The project's tickets, the most recently active first.
pub async fn list(db: &Db, project_id: &str) -> Result<Vec<TicketSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "{SUMMARY} ORDER BY t.updated_at DESC, t.number DESC"
    ))
    .bind(project_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(summary_from_row)
    .collect()
}

/// Ticket `number` of the project and its messages, oldest first.
pub async fn thread(
    db: &Db,
    project_id: &str,
    number: i64,
) -> Result<Option<(TicketSummary, Vec<TicketMessage>)>, sqlx::Error> {
    let Some(ticket) = sqlx::query(&format!("{SUMMARY} AND t.number = $2"))
        .bind(project_id)
        .bind(number)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let ticket = summary_from_row(&ticket)?;
    let rows = sqlx::query(
        "SELECT m.author_name, m.from_staff, m.body, m.created_at FROM ticket_messages m
         JOIN tickets t ON t.id = m.ticket_id
         WHERE t.project_id = $1 AND t.number = $2 ORDER BY m.seq",
    )
    .bind(project_id)
    .bind(number)
    .fetch_all(db)
    .await?;
    let messages = rows
        .iter()
        .map(|r| {
            Ok(TicketMessage {
                author: r.try_get(0)?,
                from_staff: r.try_get::<i64, _>(1)? != 0,
                body: r.try_get(2)?,
                at: moment(r.try_get(3)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some((ticket, messages)))
}

/// Tickets the project opened since `since` (the hourly limit), read under the lock.
pub async fn opened_since(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE project_id = $1 AND created_at >= $2")
        .bind(project_id)
        .bind(since)
        .fetch_one(&mut **tx)
        .await
}

/// Tickets waiting for the staff, and tickets waiting for the project (the Dashboard).
pub async fn open_counts(db: &Db, project_id: &str) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'awaiting_reply' THEN 1 ELSE 0 END), 0)
         FROM tickets WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(db)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}
