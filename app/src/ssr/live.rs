//! The live-event hub: membership changes, read from the activity log, fanned out to the open
//! server-sent-event streams of this process.
//!
//! A change only *nudges* the hub with its project's id; the hub's one reader task then reads
//! that project's new entries from the table (after the highest `seq` it has delivered) and
//! broadcasts them. So the table stays the single record, and a nudge lost or merged never loses
//! an event: the next read picks it up. `seq` is assigned under the project lock, so a project's
//! entries commit in order and reading "after the cursor" never skips one.
//!
//! On SQLite (one replica) the nudge is an in-process message sent after commit. On PostgreSQL
//! the change's own transaction runs `pg_notify`, delivered at commit to the LISTEN connection of
//! every replica, this one included; when that connection drops, the hub catches up from the
//! table once it is back.

use super::database::{Backend, Db};
use super::store::activity::{self, LiveRow};
use sqlx::{Any, Transaction};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::{broadcast, mpsc};

/// The PostgreSQL channel every replica listens on.
pub const CHANNEL: &str = "roster_live";
/// Signals held for slow streams; one that falls further behind catches up from the table.
const BUFFER: usize = 4096;
/// Entries read per query when catching up.
const BATCH: i64 = 500;

/// What the hub tells the streams.
#[derive(Debug, Clone)]
pub enum Signal {
    /// A new activity entry.
    Event(Arc<LiveRow>),
    /// A session ended (signed out): streams opened with it close.
    SessionEnded(Arc<str>),
    /// The server is shutting down: every stream ends so connections can drain.
    Closing,
}

#[derive(Debug)]
enum Nudge {
    Project(String),
    Session(String),
    /// Read every project's new entries: after the listener reconnected, or a failed read.
    CatchUp,
}

/// Event streams one session may hold open at once (tabs on the Projects, Members and Dashboard
/// pages); one more is refused with 429.
pub const STREAMS_PER_SESSION: usize = 8;

#[derive(Clone)]
pub struct Hub {
    backend: Backend,
    signals: broadcast::Sender<Signal>,
    nudges: mpsc::UnboundedSender<Nudge>,
    /// How often an open stream checks again that its session and membership still hold, so
    /// one whose signal was missed (lag, expiry, another replica) still ends.
    pub recheck: Duration,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// A place among a session's open streams, given back when the stream ends.
pub struct StreamTicket {
    open: Arc<Mutex<HashMap<String, usize>>>,
    session: String,
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.session) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.session);
            }
        }
    }
}

impl Hub {
    /// Starts the reader task (and, on PostgreSQL, the listener). Needs a Tokio runtime.
    pub fn start(db: Db, recheck: Duration) -> Self {
        let backend = Backend::of(&db);
        let (signals, _) = broadcast::channel(BUFFER);
        let (nudges, inbox) = mpsc::unbounded_channel();
        tokio::spawn(read_loop(
            db.clone(),
            inbox,
            signals.clone(),
            nudges.clone(),
        ));
        if backend == Backend::Postgres {
            let url = db.connect_options().database_url.to_string();
            tokio::spawn(listen_loop(url, nudges.clone()));
        }
        Self {
            backend,
            signals,
            nudges,
            recheck,
            open: Arc::default(),
        }
    }

    /// A place for one more stream of this session, unless it holds the most already.
    pub fn admit(&self, session: &str) -> Option<StreamTicket> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(session.to_owned()).or_default();
        if *n >= STREAMS_PER_SESSION {
            return None;
        }
        *n += 1;
        Some(StreamTicket {
            open: self.open.clone(),
            session: session.to_owned(),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    /// Ends every stream (graceful shutdown waits for open responses to finish).
    pub fn close_all(&self) {
        let _ = self.signals.send(Signal::Closing);
    }

    /// Streams open in this process (for metrics and tests).
    pub fn streams(&self) -> usize {
        self.signals.receiver_count()
    }

    /// Commits a membership change's transaction and nudges the project's streams: on
    /// PostgreSQL the nudge is part of the transaction (it leaves with the commit, and not at
    /// all on rollback); on SQLite it is sent to the reader once the commit is done.
    pub async fn commit(
        &self,
        mut tx: Transaction<'_, Any>,
        project_id: &str,
    ) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("p:{project_id}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        if self.backend == Backend::Sqlite {
            let _ = self.nudges.send(Nudge::Project(project_id.to_owned()));
        }
        Ok(())
    }

    /// A session was signed out: its streams close, on every replica.
    pub async fn session_ended(&self, db: &Db, token_hash: &str) {
        match self.backend {
            Backend::Sqlite => {
                let _ = self.nudges.send(Nudge::Session(token_hash.to_owned()));
            }
            Backend::Postgres => {
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(format!("s:{token_hash}"))
                    .execute(db)
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "could not announce a sign-out; closing local streams only");
                    let _ = self.nudges.send(Nudge::Session(token_hash.to_owned()));
                }
            }
        }
    }
}

/// The one task that reads new entries and broadcasts them, keeping per project the highest
/// `seq` already delivered.
async fn read_loop(
    db: Db,
    mut inbox: mpsc::UnboundedReceiver<Nudge>,
    signals: broadcast::Sender<Signal>,
    nudges: mpsc::UnboundedSender<Nudge>,
) {
    // Start from what is already there: only entries written from now on are news.
    let mut cursors: HashMap<String, i64> = loop {
        match activity::heads(&db).await {
            Ok(heads) => break heads.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "live events: cannot read the activity log yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut retry_pending = false;
    while let Some(nudge) = inbox.recv().await {
        let result = match nudge {
            Nudge::Session(hash) => {
                let _ = signals.send(Signal::SessionEnded(hash.into()));
                Ok(())
            }
            Nudge::Project(project_id) => deliver(&db, &mut cursors, &project_id, &signals).await,
            Nudge::CatchUp => {
                retry_pending = false;
                catch_up(&db, &mut cursors, &signals).await
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "live events: read failed; retrying");
            if !retry_pending {
                retry_pending = true;
                let nudges = nudges.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let _ = nudges.send(Nudge::CatchUp);
                });
            }
        }
    }
}

async fn deliver(
    db: &Db,
    cursors: &mut HashMap<String, i64>,
    project_id: &str,
    signals: &broadcast::Sender<Signal>,
) -> Result<(), sqlx::Error> {
    loop {
        let after = cursors.get(project_id).copied().unwrap_or(0);
        let rows = activity::since(db, project_id, after, BATCH).await?;
        let full = rows.len() as i64 == BATCH;
        for row in rows {
            cursors.insert(project_id.to_owned(), row.seq);
            // No stream listening is not an error.
            let _ = signals.send(Signal::Event(Arc::new(row)));
        }
        if !full {
            return Ok(());
        }
    }
}

async fn catch_up(
    db: &Db,
    cursors: &mut HashMap<String, i64>,
    signals: &broadcast::Sender<Signal>,
) -> Result<(), sqlx::Error> {
    for (project_id, head) in activity::heads(db).await? {
        if cursors.get(&project_id).copied().unwrap_or(0) < head {
            deliver(db, cursors, &project_id, signals).await?;
        }
    }
    Ok(())
}

/// PostgreSQL: one LISTEN connection per process, reconnected with backoff. Every (re)connect
/// is followed by a catch-up, so what was committed while it was down is still delivered.
async fn listen_loop(url: String, nudges: mpsc::UnboundedSender<Nudge>) {
    use sqlx::postgres::PgListener;
    let mut backoff = Duration::from_millis(200);
    loop {
        let listener = async {
            let mut l = PgListener::connect(&url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        }
        .await;
        let mut listener = match listener {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "live events: cannot LISTEN; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        backoff = Duration::from_millis(200);
        let _ = nudges.send(Nudge::CatchUp);
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    let payload = n.payload();
                    let nudge = if let Some(p) = payload.strip_prefix("p:") {
                        Nudge::Project(p.to_owned())
                    } else if let Some(s) = payload.strip_prefix("s:") {
                        Nudge::Session(s.to_owned())
                    } else {
                        continue;
                    };
                    if nudges.send(nudge).is_err() {
                        return;
                    }
                }
                // The connection dropped. Listen again on a new one before catching up, so
                // nothing committed in between is missed.
                Ok(None) => {
                    tracing::warn!("live events: LISTEN connection lost; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "live events: LISTEN failed; reconnecting");
                    tokio::time::sleep(backoff).await;
                    break;
                }
            }
        }
    }
}
