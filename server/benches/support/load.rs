//! What the page benchmarks share: a server and a baseline to measure, a URL loaded with many
//! connections, and the comparison printed.
#![allow(dead_code)] // each benchmark uses part of it

use app::ssr::state::AppState;
use server::{config::Config, Application};
use std::time::{Duration, Instant};

/// Roster running on `url`, and a plain axum `baseline` beside it on the same state.
pub struct Bench {
    pub state: AppState,
    pub base: String,
    pub baseline_base: String,
    stop: std::sync::Arc<tokio::sync::Notify>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    baseline: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Bench {
    pub async fn start(
        url: &str,
        mail_dir: std::path::PathBuf,
        baseline: impl FnOnce(AppState) -> axum::Router,
    ) -> Self {
        let app = Application::build(Config::for_tests(url, mail_dir))
            .await
            .unwrap();
        let state = app.state().clone();
        let base = format!("http://{}", app.local_addr());
        let stop = std::sync::Arc::new(tokio::sync::Notify::new());
        let stopped = stop.clone();
        let server = tokio::spawn(app.run_until(async move { stopped.notified().await }));
        let router = baseline(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let baseline_base = format!("http://{}", listener.local_addr().unwrap());
        let baseline = tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            state,
            base,
            baseline_base,
            stop,
            server,
            baseline,
        }
    }

    pub async fn stop(self) {
        self.baseline.abort();
        self.stop.notify_one();
        let _ = self.server.await;
    }
}

/// Loads the baseline, then the page, and prints both and their ratio; returns the page's
/// figures.
pub async fn compare(what: &str, page: &str, json: &str, cookie: &str) -> Figures {
    let b = load(json, cookie).await;
    b.print("baseline: axum handler, same queries, JSON");
    let p = load(page, cookie).await;
    p.print(&format!("{what}, server-rendered (Leptos)"));
    let ratio = p.rps / b.rps * 100.0;
    println!(
        "  page / baseline throughput: {ratio:.0}% (budget ≥ 50%: {})",
        if ratio >= 50.0 { "met" } else { "NOT met" }
    );
    p
}

pub const CONNECTIONS: usize = 16;
pub const WARMUP: Duration = Duration::from_secs(2);
pub const MEASURE: Duration = Duration::from_secs(8);

/// Checks the answer and returns its size in bytes.
pub async fn check(url: &str, cookie: &str, needle: &str) -> usize {
    let body = reqwest::Client::new()
        .get(url)
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(needle), "{url} did not answer as expected");
    if std::env::var_os("DUMP_PAGE").is_some() {
        std::fs::write(format!("/tmp/bench-{}.out", body.len()), &body).unwrap();
    }
    body.len()
}

pub struct Figures {
    pub rps: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub requests: usize,
}

impl Figures {
    pub fn print(&self, label: &str) {
        println!(
            "  {label:<45} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests)",
            self.rps,
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.requests
        );
    }
}

/// Loads `url` with CONNECTIONS connections: with wrk (a separate, lean process, so the
/// figures are the server's rather than this process's HTTP client's) when it is installed,
/// otherwise with an in-process client.
pub async fn load(url: &str, cookie: &str) -> Figures {
    match wrk(url, cookie).await {
        Some(f) => f,
        None => {
            println!("  (wrk not found: loading from this process; `apt-get install wrk` for steadier figures)");
            load_in_process(url, cookie).await
        }
    }
}

async fn wrk(url: &str, cookie: &str) -> Option<Figures> {
    // The server runs in this process: wait for wrk off the runtime's threads.
    let run = |secs: u64| {
        let (url, cookie) = (url.to_owned(), cookie.to_owned());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("wrk")
                .args([
                    "-t",
                    "1",
                    "-c",
                    &CONNECTIONS.to_string(),
                    "-d",
                    &format!("{secs}s"),
                ])
                .args(["--latency", "-H", &format!("Cookie: {cookie}"), &url])
                .output()
        })
    };
    run(WARMUP.as_secs()).await.ok()?.ok()?;
    let out = run(MEASURE.as_secs()).await.ok()?.ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "{text}");
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    let ms = |v: String| -> Duration {
        let (n, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
        let n: f64 = n.parse().unwrap_or(0.0);
        Duration::from_secs_f64(match unit {
            "us" => n / 1e6,
            "ms" => n / 1e3,
            "s" => n,
            _ => n,
        })
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())?;
    Some(Figures {
        rps: field("Requests/sec:")?.parse().ok()?,
        p50: ms(field("50%")?),
        p99: ms(field("99%")?),
        requests,
    })
}

/// CONNECTIONS workers each send requests back to back; bounded by time, stops by itself.
async fn load_in_process(url: &str, cookie: &str) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let run = |until: Instant| {
        let mut workers = Vec::new();
        for _ in 0..CONNECTIONS {
            let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.to_owned());
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < until {
                    let start = Instant::now();
                    let res = client
                        .get(&url)
                        .header("Cookie", &cookie)
                        .send()
                        .await
                        .unwrap();
                    assert!(res.status().is_success());
                    res.bytes().await.unwrap();
                    latencies.push(start.elapsed());
                }
                latencies
            }));
        }
        workers
    };
    for w in run(Instant::now() + WARMUP) {
        w.await.unwrap();
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for w in run(started + MEASURE) {
        all.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Figures {
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        requests: all.len(),
    }
}
