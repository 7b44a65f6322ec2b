//! Delivers the webhook outbox (issue 10) to the back office: each event is POSTed as JSON to
//! `WEBHOOK_URL` with `Roster-Event`, `Roster-Delivery` (the event's id: the same on a retry,
//! so the receiver can drop repeats) and `Roster-Signature` (see `app::ssr::webhooks::signature`).
//! A 2xx answer is delivery; anything else is retried with backoff (30 s, 1 min, 2 min …, up to
//! an hour), 10 attempts in all. The claim is a lease in the database, so of several replicas
//! one delivers each event. Delivery is at least once: a crash after the receiver answered and
//! before the row is marked repeats it after the lease.

use crate::config::WebhookTarget;
use app::ssr::{
    clock::Clock, database::Db, live::Hub, mailer::retry_delay_ms, store::webhooks as outbox,
    webhooks::signature,
};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

const LEASE_MS: i64 = 30_000;
/// Under the lease, so an attempt never outlives its claim.
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_ATTEMPTS: i64 = 10;
const POLL: Duration = Duration::from_secs(5);
const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;
const KEEP_UNSENT_MS: i64 = 24 * 3600 * 1000;

pub async fn run(
    db: Db,
    clock: Clock,
    target: Option<WebhookTarget>,
    live: Hub,
    shutdown: Arc<Notify>,
) {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Roster-Webhooks/1")
        .build()
        .expect("an HTTP client");
    // Every committed change nudges the hub; an event may be among them.
    let mut changes = live.subscribe();
    let mut purge = tokio::time::interval(Duration::from_secs(3600));
    loop {
        if let Some(target) = &target {
            if let Err(e) = deliver_due(&db, &clock, &client, target).await {
                tracing::warn!(error = %e, "webhook worker could not read the outbox");
            }
        }
        tokio::select! {
            _ = changes.recv() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = purge.tick() => {
                let now = clock.now_ms();
                let purged = match target {
                    Some(_) => outbox::purge(&db, now - KEEP_MS, false).await,
                    None => outbox::purge(&db, now - KEEP_UNSENT_MS, true).await,
                };
                if let Err(e) = purged {
                    tracing::warn!(error = %e, "could not purge old webhooks");
                }
            }
            _ = shutdown.notified() => return,
        }
    }
}

/// Sends every event due now; returns how many were delivered.
pub async fn deliver_due(
    db: &Db,
    clock: &Clock,
    client: &reqwest::Client,
    target: &WebhookTarget,
) -> Result<usize, sqlx::Error> {
    let mut delivered = 0;
    while let Some(event) = outbox::claim_next(db, clock.now_ms(), LEASE_MS).await? {
        let timestamp = clock.now_ms() / 1000;
        let sent = client
            .post(target.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Roster-Event", &event.event)
            .header("Roster-Delivery", &event.id)
            .header(
                "Roster-Signature",
                signature(target.secret.as_bytes(), timestamp, &event.payload),
            )
            .body(event.payload.clone())
            .send()
            .await;
        let failure = match sent {
            Ok(res) if res.status().is_success() => None,
            Ok(res) => Some(format!("answered {}", res.status())),
            // No URL or body in the message: it may carry the receiver's address details.
            Err(e) if e.is_timeout() => Some("no answer within 10 s".to_owned()),
            Err(_) => Some("could not connect".to_owned()),
        };
        let now = clock.now_ms();
        match failure {
            None => {
                outbox::mark_delivered(db, &event.id, now).await?;
                delivered += 1;
            }
            Some(error) => {
                let retry_at =
                    (event.attempts < MAX_ATTEMPTS).then(|| now + retry_delay_ms(event.attempts));
                tracing::warn!(
                    event = %event.event,
                    attempts = event.attempts,
                    give_up = retry_at.is_none(),
                    %error,
                    "webhook delivery failed"
                );
                outbox::mark_failed(db, &event.id, &error, now, retry_at).await?;
            }
        }
    }
    Ok(delivered)
}
