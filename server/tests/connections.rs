//! Connections that send nothing, trickle, or stay open (issue 13, item 2): they are closed
//! after the header timeout, they never stop the server answering others, at most
//! `max_connections` are served at once, and event streams count but are not timed out.

mod support;

use reqwest::{redirect::Policy, Client, StatusCode};
use std::time::Duration;
use support::*;
use tokio::{io::AsyncReadExt, net::TcpStream};

/// Reads until the server closes the connection; fails if it is still open after `within`.
async fn closed_by_server(mut conn: TcpStream, within: Duration) {
    let mut buf = [0u8; 1024];
    tokio::time::timeout(within, async {
        loop {
            match conn.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await
    .expect("the server closes an idle connection after its header timeout");
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .expect("connect")
}

/// A client that keeps no idle connection, so each request's connection is its own.
fn unpooled(timeout: Duration) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .pool_max_idle_per_host(0)
        .timeout(timeout)
        .build()
        .expect("client")
}

#[tokio::test]
async fn eleven_hundred_silent_connections_neither_stop_the_server_nor_stay_open() {
    let app = spawn_with(|c| c.connections.header_timeout = Duration::from_secs(2)).await;
    let mut silent = Vec::with_capacity(1100);
    for _ in 0..1100 {
        silent.push(connect(&app).await);
    }

    let res = unpooled(Duration::from_secs(1))
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("/healthz answers within 1 s beside 1,100 silent connections");
    assert_eq!(res.status(), StatusCode::OK);

    futures::future::join_all(
        silent
            .into_iter()
            .map(|c| closed_by_server(c, Duration::from_secs(15))),
    )
    .await;
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let app = spawn_with(|c| c.connections.header_timeout = Duration::from_secs(1)).await;
    let mut conn = connect(&app).await;
    use tokio::io::AsyncWriteExt;
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // The request's headers never end: the connection must not be kept for them.
    closed_by_server(conn, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn beyond_the_cap_a_connection_waits_for_one_to_close_and_event_streams_count() {
    let app = spawn_with(|c| {
        c.connections.max_connections = 2;
        c.connections.header_timeout = Duration::from_secs(1);
    })
    .await;
    let ada = Browser {
        app: &app,
        http: unpooled(Duration::from_secs(30)),
    };
    ada.sign_up("Ada", "ada@example.com").await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;
    // One connection is the event stream, the other a client that sends nothing.
    let mut stream = ada.events("/events/p/acme-web").await;
    let silent = connect(&app).await;

    let probe = unpooled(Duration::from_secs(30));
    let waiting = tokio::time::timeout(
        Duration::from_millis(300),
        probe.get(format!("{}/healthz", app.base)).send(),
    )
    .await;
    assert!(waiting.is_err(), "a third connection is served beside two");

    // The silent one is closed after the header timeout; the stream, older, is not.
    closed_by_server(silent, Duration::from_secs(10)).await;
    let res = probe
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("served once a connection closed");
    assert_eq!(res.status(), StatusCode::OK);
    invite(&ada, "grace@example.com", "member").await;
    let ev = stream
        .next()
        .await
        .expect("the stream outlived the header timeout");
    assert_eq!(EventStream::kind(&ev), "invited", "{ev:?}");
}
