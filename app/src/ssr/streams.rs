//! What one open event stream sends: a project's membership changes (Members page, Dashboard),
//! or the changes that concern one person (their Projects page). The HTTP layer turns these
//! frames into server-sent events.

use super::live::{Signal, StreamTicket};
use super::session::SessionUser;
use super::store::activity::{self, LiveRow};
use super::store::{members, sessions};
use super::{clock::Clock, database::Db, state::AppState};
use std::{collections::VecDeque, sync::Arc};
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Missed entries a reconnecting project stream gets replayed; further behind, it reloads.
pub const REPLAY_LIMIT: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// First on every stream: it is open, and (after a reconnect) whatever it replays follows.
    Ready,
    /// One activity entry. `id` is the entry's `seq` on project streams, where it lets a
    /// reconnecting client resume (`Last-Event-ID`).
    Change {
        id: Option<i64>,
        seq: i64,
        kind: String,
    },
    /// Too much was missed, or the client's position is unusable: fetch everything again.
    Reload,
    /// The person lost access (removed, left, signed out); the stream ends after this.
    Revoked { reason: &'static str },
}

/// Why a stream ended on the server's side, for the last frame.
const REMOVED: &str = "removed";
const SIGNED_OUT: &str = "signed-out";

struct Common {
    signals: Receiver<Signal>,
    user: SessionUser,
    queue: VecDeque<Frame>,
    done: bool,
    db: Db,
    clock: Clock,
    /// The project a project stream follows: membership is checked again with the session.
    project_id: Option<String>,
    recheck: tokio::time::Interval,
    _ticket: StreamTicket,
}

impl Common {
    fn new(
        state: &AppState,
        user: &SessionUser,
        project_id: Option<&str>,
        ticket: StreamTicket,
    ) -> Self {
        let mut recheck = tokio::time::interval(state.live.recheck);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            signals: state.live.subscribe(),
            user: user.clone(),
            queue: VecDeque::from([Frame::Ready]),
            done: false,
            db: state.db.clone(),
            clock: state.clock.clone(),
            project_id: project_id.map(str::to_owned),
            recheck,
            _ticket: ticket,
        }
    }

    /// Access read again from the table: the session is live, and (for a project stream) the
    /// person is still a member. A signal can be missed (a lagging stream, an expiry, which
    /// nobody announces); this cannot. A failed read keeps the stream (it is checked again).
    async fn recheck_access(&mut self) {
        let now = self.clock.now_ms();
        match sessions::is_live(&self.db, &self.user.token_hash, now).await {
            Ok(false) => return self.revoke(SIGNED_OUT),
            Ok(true) => {}
            Err(e) => tracing::warn!(error = %e, "live stream: could not check the session"),
        }
        if let Some(project_id) = self.project_id.clone() {
            match members::is_member(&self.db, &project_id, &self.user.user_id).await {
                Ok(false) => self.revoke(REMOVED),
                Ok(true) => {}
                Err(e) => tracing::warn!(error = %e, "live stream: could not check the membership"),
            }
        }
    }

    fn about_me(&self, row: &LiveRow) -> bool {
        row.subject_user_id.as_deref() == Some(self.user.user_id.as_str())
            || row.subject_email.as_deref() == Some(self.user.email.as_str())
    }

    fn revoke(&mut self, reason: &'static str) {
        self.queue.push_back(Frame::Revoked { reason });
        self.done = true;
    }

    /// What both kinds of stream do alike: hand out queued frames, end when revoked or closing,
    /// close on sign-out. Entries and lag are left to the stream.
    async fn next(&mut self) -> Step {
        loop {
            if let Some(frame) = self.queue.pop_front() {
                return Step::Frame(frame);
            }
            if self.done {
                return Step::End;
            }
            let signal = tokio::select! {
                signal = self.signals.recv() => signal,
                _ = self.recheck.tick() => {
                    self.recheck_access().await;
                    continue;
                }
            };
            match signal {
                Ok(Signal::Event(row)) => return Step::Entry(row),
                Ok(Signal::SessionEnded(hash)) if *hash == *self.user.token_hash => {
                    self.revoke(SIGNED_OUT)
                }
                Ok(Signal::SessionEnded(_)) => {}
                Ok(Signal::Closing) | Err(RecvError::Closed) => return Step::End,
                Err(RecvError::Lagged(_)) => return Step::Lagged,
            }
        }
    }
}

enum Step {
    Frame(Frame),
    Entry(Arc<LiveRow>),
    Lagged,
    End,
}

/// An open stream, as the HTTP layer consumes it.
pub trait FrameSource: Send + 'static {
    /// The next frame, or `None` when the stream is over.
    fn next(&mut self) -> impl std::future::Future<Output = Option<Frame>> + Send;
}

/// A project's changes, for one member.
pub struct ProjectStream {
    common: Common,
    db: Db,
    project_id: String,
    /// The highest `seq` sent (or known to the client).
    cursor: i64,
}

impl ProjectStream {
    /// Subscribes first, then reads the log, so nothing committed in between is missed (an
    /// entry seen twice is dropped by `seq`). `last_event_id` is the client's position when it
    /// reconnects; anything unusable (not a number, another project's, ahead of the log) reloads.
    pub async fn open(
        state: &AppState,
        user: &SessionUser,
        project_id: &str,
        last_event_id: Option<&str>,
        ticket: StreamTicket,
    ) -> Result<Self, sqlx::Error> {
        let common = Common::new(state, user, Some(project_id), ticket);
        let head = activity::head(&state.db, project_id).await?;
        let mut stream = Self {
            common,
            db: state.db.clone(),
            project_id: project_id.to_owned(),
            cursor: head,
        };
        if let Some(raw) = last_event_id {
            match raw.trim().parse::<i64>() {
                Ok(seen) if (0..=head).contains(&seen) && head - seen <= REPLAY_LIMIT => {
                    stream.cursor = seen;
                    stream.catch_up().await;
                }
                _ => stream.common.queue.push_back(Frame::Reload),
            }
        }
        Ok(stream)
    }

    async fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match self.common.next().await {
                Step::Frame(frame) => return Some(frame),
                Step::End => return None,
                Step::Entry(row) if row.project_id == self.project_id => {
                    if row.seq == self.cursor + 1 {
                        self.push(&row);
                    } else if row.seq > self.cursor {
                        // A gap: this stream missed a nudge's entries. The table has them.
                        self.catch_up().await;
                    }
                }
                Step::Entry(_) => {}
                Step::Lagged => self.catch_up().await,
            }
        }
    }

    fn push(&mut self, row: &LiveRow) {
        self.cursor = row.seq;
        self.common.queue.push_back(Frame::Change {
            id: Some(row.seq),
            seq: row.seq,
            kind: row.kind.clone(),
        });
        if matches!(row.kind.as_str(), "removed" | "left")
            && row.subject_user_id.as_deref() == Some(self.common.user.user_id.as_str())
        {
            self.common.revoke(REMOVED);
        }
    }

    /// Sends what the table holds after the cursor, or a reload when that is too much. A
    /// reload skips entries, a removal among them perhaps: access is read again first.
    async fn catch_up(&mut self) {
        match activity::since(&self.db, &self.project_id, self.cursor, REPLAY_LIMIT + 1).await {
            Ok(rows) if rows.len() as i64 > REPLAY_LIMIT => {
                self.cursor = rows.last().map_or(self.cursor, |r| r.seq);
                self.common.recheck_access().await;
                if !self.common.done {
                    self.common.queue.push_back(Frame::Reload);
                }
            }
            Ok(rows) => {
                for row in rows {
                    if !self.common.done {
                        self.push(&row);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "live stream: catch-up failed; asking for a reload");
                self.common.queue.push_back(Frame::Reload);
            }
        }
    }
}

/// The changes that concern one person, across projects: invitations to their address, and
/// their own memberships (joined in another tab, role changed, removed).
pub struct PersonStream {
    common: Common,
}

impl PersonStream {
    /// A reconnecting client (`last_event_id` present) may have missed anything: it reloads.
    pub fn open(
        state: &AppState,
        user: &SessionUser,
        reconnecting: bool,
        ticket: StreamTicket,
    ) -> Self {
        let mut common = Common::new(state, user, None, ticket);
        if reconnecting {
            common.queue.push_back(Frame::Reload);
        }
        Self { common }
    }

    async fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match self.common.next().await {
                Step::Frame(frame) => return Some(frame),
                Step::End => return None,
                Step::Entry(row) if self.common.about_me(&row) => {
                    self.common.queue.push_back(Frame::Change {
                        id: None,
                        seq: row.seq,
                        kind: row.kind.clone(),
                    })
                }
                Step::Entry(_) => {}
                Step::Lagged => self.common.queue.push_back(Frame::Reload),
            }
        }
    }
}

impl FrameSource for ProjectStream {
    fn next(&mut self) -> impl std::future::Future<Output = Option<Frame>> + Send {
        self.next_frame()
    }
}

impl FrameSource for PersonStream {
    fn next(&mut self) -> impl std::future::Future<Output = Option<Frame>> + Send {
        self.next_frame()
    }
}
