//! Delivers the outbox: real SMTP through lettre when `SMTP_URL` is set, otherwise one `.eml`
//! file per message under `MAIL_DIR` (the embedded default for trying Roster out).
//! Retries with exponential backoff; a message recorded as sent is never sent again.
//!
//! Delivery is at least once, as SMTP allows no better: a crash after the mail server took a
//! message and before it is recorded as sent delivers it again after the lease. A repeat is
//! made harmless and rare: every message carries a Message-ID derived from its outbox row (the
//! same on every attempt, so receiving systems can drop the repeat); an `.eml` file is named
//! by that row and written atomically, so a repeat replaces it; and the lease is short and
//! renewed while an attempt runs, so a crashed worker's message waits seconds, not a minute.

use super::{clock::Clock, database::Db, live::Hub, mail::Message, membership, store::outbox};
use lettre::{
    message::{Mailbox, MultiPart},
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
};
use std::{future::Future, path::PathBuf, sync::Arc, time::Duration};
use tokio::sync::Notify;

/// Attempts before a message is marked failed (at once when the receiving server refuses it
/// for good).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed message is reserved for one delivery attempt; renewed every `RENEW`
/// while the attempt runs, so only a worker that died lets it lapse.
const LEASE_MS: i64 = 15_000;
const RENEW: Duration = Duration::from_secs(5);
/// How often the worker looks for due retries when nobody wakes it.
const POLL: Duration = Duration::from_secs(2);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl Mailer {
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport: Arc::new(Transport::Smtp(transport)),
            from: from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?,
        })
    }

    pub fn files(dir: PathBuf, from: &str) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("MAIL_DIR {}: {e}", dir.display()))?;
        Ok(Self {
            transport: Arc::new(Transport::Files(dir)),
            from: from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?,
        })
    }

    pub fn describe(&self) -> String {
        match &*self.transport {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Hands one outbox row's message over. `id` (the row's) names it the same on every
    /// attempt.
    pub async fn deliver(&self, id: &str, message: &Message) -> Result<(), Failure> {
        let to = message.to.parse::<Mailbox>().map_err(|e| Failure {
            reason: "the address cannot be written in an email".to_owned(),
            detail: e.to_string(),
            permanent: true,
        })?;
        let email = lettre::Message::builder()
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|e| Failure::ours(e.to_string()))?;
        match &*self.transport {
            Transport::Smtp(smtp) => smtp.send(email).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    // The receiving side's own words ("550 5.1.1 no such user") are what the
                    // inviter needs to fix the address.
                    Failure {
                        reason: format!("the mail server refused it ({e})"),
                        detail: e.to_string(),
                        permanent: true,
                    }
                } else {
                    Failure::ours(e.to_string())
                }
            }),
            Transport::Files(dir) => {
                // Written beside its final name, then renamed: a reader (or a crash) never sees
                // half a message, and a repeat of this row replaces the file instead of adding one.
                let file = dir.join(format!("{id}.eml"));
                let partial = dir.join(format!(".{id}.eml.partial"));
                tokio::fs::write(&partial, email.formatted())
                    .await
                    .map_err(|e| Failure::ours(e.to_string()))?;
                tokio::fs::rename(&partial, &file)
                    .await
                    .map_err(|e| Failure::ours(e.to_string()))?;
                tracing::info!(to = %message.to, subject = %message.subject, file = %file.display(), "mail written");
                // A link is a credential (an invitation, a confirmation): only at debug level,
                // for a developer who asks for it (RUST_LOG=app=debug).
                let link = message
                    .text
                    .split_whitespace()
                    .find(|w| w.starts_with("http://") || w.starts_with("https://"));
                tracing::debug!(link = link.unwrap_or("-"), "mail link");
                Ok(())
            }
        }
    }
}

/// Why one attempt to deliver failed.
#[derive(Debug)]
pub struct Failure {
    /// For the person who asked for the email (an inviter sees it): no internals.
    pub reason: String,
    /// For the log.
    pub detail: String,
    /// Trying again cannot help (the receiving server refused the address for good).
    pub permanent: bool,
}

impl Failure {
    /// A failure on Roster's side of the handover (network, mail server down, disk): retried.
    fn ours(detail: String) -> Self {
        Self {
            reason: "Roster could not hand it to the mail server".to_owned(),
            detail,
            permanent: false,
        }
    }
}

/// When to try again after `attempts` failed attempts: 30 s, 1 min, 2 min … capped at an hour.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 7) as u32;
    (30_000i64 * 2i64.pow(exp)).min(3_600_000)
}

/// Delivers due messages until `shutdown` is notified. `wake` is notified after a request
/// commits a message, so it goes out at once rather than at the next poll.
pub async fn run(
    db: Db,
    clock: Clock,
    mailer: Mailer,
    live: Hub,
    wake: Arc<Notify>,
    shutdown: Arc<Notify>,
) {
    tracing::info!(transport = %mailer.describe(), "mail worker started");
    loop {
        match deliver_due(&db, &clock, &mailer, &live).await {
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail worker could not read the outbox"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.notified() => {
                tracing::info!("mail worker stopped");
                return;
            }
        }
    }
}

/// Delivers every message due now; returns how many were sent.
pub async fn deliver_due(
    db: &Db,
    clock: &Clock,
    mailer: &Mailer,
    live: &Hub,
) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    while let Some(claimed) = outbox::claim_next(db, clock.now_ms(), LEASE_MS).await? {
        let attempt = mailer.deliver(&claimed.id, &claimed.message);
        match holding_lease(db, clock, &claimed.id, attempt).await {
            Ok(()) => {
                outbox::mark_sent(db, &claimed.id, clock.now_ms()).await?;
                sent += 1;
            }
            Err(failure) => {
                let now = clock.now_ms();
                let retry_at = (!failure.permanent && claimed.attempts < MAX_ATTEMPTS)
                    .then(|| now + retry_delay_ms(claimed.attempts));
                tracing::warn!(
                    to = %claimed.message.to,
                    attempts = claimed.attempts,
                    give_up = retry_at.is_none(),
                    error = %failure.detail,
                    "mail delivery failed"
                );
                outbox::mark_failed(db, &claimed.id, &failure.reason, now, retry_at).await?;
                if retry_at.is_none() {
                    // Its own transaction: should it not commit, the page still shows the
                    // failure (read from the outbox); only the live nudge and log line are lost.
                    membership::delivery_failed(db, live, &claimed.id, &failure.reason, now)
                        .await?;
                }
            }
        }
    }
    Ok(sent)
}

/// Runs `attempt`, renewing the claim on row `id` until it ends (an SMTP server may take its
/// time; the lease must not lapse under a live attempt and let a second worker send it too).
async fn holding_lease<T>(db: &Db, clock: &Clock, id: &str, attempt: impl Future<Output = T>) -> T {
    let mut attempt = std::pin::pin!(attempt);
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + RENEW, RENEW);
    loop {
        tokio::select! {
            done = &mut attempt => return done,
            _ = renew.tick() => {
                if let Err(e) = outbox::renew_lease(db, id, clock.now_ms() + LEASE_MS).await {
                    tracing::warn!(error = %e, "could not renew a mail lease");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(super::retry_delay_ms(1), 30_000);
        assert_eq!(super::retry_delay_ms(2), 60_000);
        assert_eq!(super::retry_delay_ms(3), 120_000);
        assert_eq!(super::retry_delay_ms(8), 3_600_000);
    }
}
