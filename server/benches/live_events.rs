//! Live events (issue 4), on SQLite and — when a server answers at `ROSTER_TEST_POSTGRES`
//! (default `postgres://postgres@127.0.0.1:5432`) — on PostgreSQL:
//!
//! - propagation: from sending a membership change (a pending invitation's role, changed through
//!   its server function) to the `change` event arriving at each SSE client, p50/p99, with 1
//!   and with 1,000 subscribers on one project. Timed from *before the request is sent*, so the
//!   figure includes the server function itself: an upper bound on commit-to-arrival.
//!   Budget: p99 ≤ 50 ms at 1,000 subscribers.
//! - memory: the server's resident set growth per open stream at 1,000 and 5,000 streams.
//!   Budget: ≤ 32 KB.
//!
//! The server is the release binary in a process of its own, so its memory is its own; the
//! clients run here, on the same two cores. Run: `cargo bench -p server --bench live_events`.

#[path = "../tests/support/postgres.rs"]
mod postgres;
#[path = "../tests/support/replica.rs"]
mod replica;

use replica::Replica;
use reqwest::Client;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const ROUNDS: usize = 40;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("Live events: a server process, SSE clients in this one, loopback.");
    run(
        "SQLite",
        &format!("sqlite://{}/live.db", dir.path().display()),
        dir.path(),
    )
    .await;
    let pg = postgres::server();
    match postgres::create(&pg, "roster_bench").await {
        Ok((url, name)) => {
            run("PostgreSQL", &url, dir.path()).await;
            postgres::drop(&pg, &name).await;
        }
        Err(e) => println!("\n!! PostgreSQL SKIPPED: nothing usable at {pg} ({e})"),
    }
}

async fn run(label: &str, database_url: &str, dir: &std::path::Path) {
    println!("\n{label}:");
    let server = Replica::start(database_url, None, &dir.join(format!("mail-{label}"))).await;
    let base = server.base.clone();
    let http = Client::builder().cookie_store(true).build().unwrap();
    let call = |endpoint: &str, form: Vec<(&'static str, String)>| {
        http.post(format!("{base}/api/{endpoint}"))
            .header("Origin", &base)
            .header("Accept", "application/json")
            .form(&form)
            .send()
    };
    let res = call(
        "sign_up",
        vec![
            ("name", "Bench".into()),
            ("email", "bench@example.com".into()),
            ("password", "correct horse battery".into()),
        ],
    )
    .await
    .unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("roster_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let slug = "bench-s-project".to_owned();
    assert!(call(
        "invite",
        vec![
            ("slug", slug.clone()),
            ("emails", "pending@example.com".into()),
            ("role", "member".into()),
        ]
    )
    .await
    .unwrap()
    .status()
    .is_success());
    let page: serde_json::Value = call("members", vec![("slug", slug.clone())])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let invitation = page["pending"][0]["id"].as_str().unwrap().to_owned();
    let mut role_flip = 0usize;
    let mut change = || {
        role_flip += 1;
        let role = if role_flip.is_multiple_of(2) {
            "member"
        } else {
            "developer"
        };
        call(
            "change_invitation_role",
            vec![
                ("slug", slug.clone()),
                ("invitation_id", invitation.clone()),
                ("role", role.into()),
            ],
        )
    };
    // Warm up the server's paths before taking its baseline memory.
    for _ in 0..5 {
        assert!(change().await.unwrap().status().is_success());
    }
    let rss_base = rss_kb(server.pid());

    let url = format!("{base}/events/p/{slug}");
    let (arrivals, mut arrived) = mpsc::unbounded_channel();
    let streams = Client::builder().build().unwrap();
    let mut open = Subscribers::default();
    open.add(1, &streams, &url, &cookie, &arrivals).await;
    propagation(1, &mut change, &mut arrived).await;
    open.add(999, &streams, &url, &cookie, &arrivals).await;
    let rss_1000 = rss_kb(server.pid());
    propagation(1000, &mut change, &mut arrived).await;
    open.add(4000, &streams, &url, &cookie, &arrivals).await;
    let rss_5000 = rss_kb(server.pid());
    for (n, rss) in [(1000, rss_1000), (5000, rss_5000)] {
        let per = (rss.saturating_sub(rss_base)) as f64 / n as f64;
        println!(
            "  memory: {n:>5} streams open: RSS {rss_base} → {rss} KB, {per:.1} KB per stream (budget ≤ 32 KB: {})",
            if per <= 32.0 { "met" } else { "NOT met" }
        );
    }
    // Memory freed before the baseline may be reused by the first streams; the step from 1,000
    // to 5,000 streams is free of that.
    println!(
        "  memory: from 1000 to 5000 streams: {:.1} KB per added stream",
        rss_5000.saturating_sub(rss_1000) as f64 / 4000.0
    );
    drop(open);
    drop(server);
}

/// Open streams; each task reports when a `change` event reaches it.
#[derive(Default)]
struct Subscribers {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Subscribers {
    async fn add(
        &mut self,
        n: usize,
        client: &Client,
        url: &str,
        cookie: &str,
        arrivals: &mpsc::UnboundedSender<Instant>,
    ) {
        let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
        for _ in 0..n {
            let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.to_owned());
            let (arrivals, ready) = (arrivals.clone(), ready_tx.clone());
            self.tasks.push(tokio::spawn(async move {
                let mut res = client
                    .get(&url)
                    .header("Cookie", cookie)
                    .send()
                    .await
                    .expect("stream opens");
                assert!(
                    res.status().is_success(),
                    "stream refused: {}",
                    res.status()
                );
                let mut buf = String::new();
                while let Ok(Some(chunk)) = res.chunk().await {
                    buf.push_str(&String::from_utf8_lossy(&chunk));
                    while let Some(end) = buf.find("\n\n") {
                        let block: String = buf.drain(..end + 2).collect();
                        if block.contains("event: change") {
                            let _ = arrivals.send(Instant::now());
                        } else if block.contains("event: ready") {
                            let _ = ready.send(());
                        }
                    }
                }
            }));
        }
        for _ in 0..n {
            ready_rx.recv().await.expect("every stream opens");
        }
    }
}

impl Drop for Subscribers {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn propagation<F, Fut>(
    subscribers: usize,
    change: &mut F,
    arrived: &mut mpsc::UnboundedReceiver<Instant>,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>>,
{
    let mut latencies = Vec::with_capacity(ROUNDS * subscribers);
    for _ in 0..ROUNDS {
        let sent = Instant::now();
        let res = change().await.unwrap();
        assert!(res.status().is_success());
        for _ in 0..subscribers {
            let at = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
                .await
                .expect("every subscriber gets the event")
                .unwrap();
            latencies.push(at.saturating_duration_since(sent));
        }
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  propagation, {subscribers:>4} subscriber(s), {ROUNDS} changes: p50 {:.2} ms, p99 {:.2} ms{}",
        ms(at(0.50)),
        ms(at(0.99)),
        if subscribers >= 1000 {
            format!(
                " (budget p99 ≤ 50 ms: {})",
                if at(0.99) <= Duration::from_millis(50) { "met" } else { "NOT met" }
            )
        } else {
            String::new()
        }
    );
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
