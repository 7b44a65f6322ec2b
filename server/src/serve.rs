//! Accepting connections, with the limits a public server needs (issue 13): a client has
//! `header_timeout` to send a request's headers, the first request's and, on a kept-alive
//! connection, the next one's, so connections that send nothing or trickle their headers are
//! closed; at most `max_connections` are open at once (event streams count: each holds its
//! connection, but once its response has started no header timer runs); beyond that, new
//! connections wait in the kernel's backlog until one closes. Requests are served over HTTP/1.1
//! (a TLS proxy in front speaks HTTP/2 to browsers).

use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// `MAX_CONNECTIONS`: open connections at once, event streams included.
    pub max_connections: usize,
    /// `HEADER_TIMEOUT_SECS`: how long a connection may take to send a request's headers,
    /// and how long a kept-alive connection may sit idle before its next request.
    pub header_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            header_timeout: Duration::from_secs(15),
        }
    }
}

/// File descriptors the process keeps for itself beyond client connections (database pool,
/// mail, log, the listener).
const RESERVED_FILES: u64 = 64;

/// Raises the open-files soft limit to the hard limit (a connection is a file; the common
/// default of 1,024 would stop `accept` long before `max_connections`) and returns how many
/// connections fit under it.
pub fn fit_to_open_files(limits: ConnectionLimits) -> ConnectionLimits {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(e) => {
            tracing::warn!(error = %e, "could not read or raise the open-files limit");
            return limits;
        }
    };
    let fits = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    let max_connections = limits.max_connections.min(fits.max(1));
    tracing::info!(
        open_files = files,
        max_connections,
        header_timeout_secs = limits.header_timeout.as_secs_f64(),
        "connection limits"
    );
    ConnectionLimits {
        max_connections,
        ..limits
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (for at most `drain`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of files or memory for the moment: let connections close first.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |req: hyper::Request<Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Timeouts and clients that go away: routine, not worth more than debug.
                tracing::debug!(error = %e, %peer, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {drain:?}; stopping anyway");
    }
}
