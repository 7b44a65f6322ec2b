//! Starts the real server on port 0 with a fresh database, and talks to it over HTTP the way the
//! browser does (form posts, pages) and as an API client does (JSON back).
//!
//! The database is SQLite unless `ROSTER_TEST_POSTGRES` names a PostgreSQL server
//! (e.g. `postgres://postgres@127.0.0.1:5432`): then every test gets a database of its own there,
//! created for it and dropped when it ends.

#![allow(dead_code)]

pub mod postgres;
pub mod replica;

use reqwest::{header, redirect::Policy, Client, Response, StatusCode};
use serde_json::Value;
use server::{config::Config, Application};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct TestApp {
    pub base: String,
    pub origin: String,
    pub state: app::ssr::state::AppState,
    pub database: TestDatabase,
    _dir: tempfile::TempDir,
}

/// The database one test runs on.
pub struct TestDatabase {
    pub url: String,
    /// (server URL, database name) when it lives on PostgreSQL, to drop it afterwards.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn fresh(dir: &std::path::Path) -> Self {
        match std::env::var("ROSTER_TEST_POSTGRES")
            .ok()
            .filter(|v| !v.is_empty())
        {
            None => Self {
                url: format!("sqlite://{}/roster.db", dir.display()),
                postgres: None,
            },
            Some(_) => {
                let server = postgres::server();
                let (url, name) = postgres::create(&server, "roster_test")
                    .await
                    .expect("PostgreSQL server (ROSTER_TEST_POSTGRES) answers");
                Self {
                    url,
                    postgres: Some((server, name)),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((server, name)) = self.postgres.take() {
            // Drop runs outside any runtime that could still be polled: use a thread of its own.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(postgres::drop(&server, &name))
            })
            .join();
        }
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::fresh(dir.path()).await;
    let mut config = Config::for_tests(&database.url, dir.path().join("mail"));
    adjust(&mut config);
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let origin = app.state().public_origin();
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base,
        origin,
        state,
        database,
        _dir: dir,
    }
}

/// One browser: its own cookie jar, same-origin requests.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub http: Client,
}

static EMAILS: AtomicUsize = AtomicUsize::new(0);

pub fn unique_email(name: &str) -> String {
    format!(
        "{name}.{}@example.com",
        EMAILS.fetch_add(1, Ordering::Relaxed)
    )
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            http: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                // A response that never completes fails its test instead of stalling the run.
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .expect("count query")
    }
}

impl Browser<'_> {
    /// Calls a server function as an API client does (form-encoded, JSON back, same origin).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.app.base))
            .header(header::ORIGIN, &self.app.origin)
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Posts a form as a browser does from the page at `from` (a path): it wants a page back.
    pub async fn post_form(&self, endpoint: &str, form: &[(&str, &str)], from: &str) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.app.base))
            .header(header::ORIGIN, &self.app.origin)
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, format!("{}{from}", self.app.base))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Calls and expects success, returning the JSON answer.
    pub async fn ok(&self, endpoint: &str, form: &[(&str, &str)]) -> Value {
        let res = self.call(endpoint, form).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    /// Calls and expects the given error status, returning the error.
    pub async fn fails(&self, endpoint: &str, form: &[(&str, &str)], status: StatusCode) -> Value {
        let res = self.call(endpoint, form).await;
        let got = res.status();
        let body = res.text().await.unwrap();
        assert_eq!(got, status, "{endpoint}: {body}");
        serde_json::from_str(&body).expect("error body is JSON")
    }

    /// Signs up and confirms the address through the emailed link, as a person does; returns the
    /// confirmation's answer (the session cookie, the first project as `Location`).
    pub async fn sign_up(&self, name: &str, email: &str) -> Response {
        let before = self.app.mails_to_count(email);
        self.sign_up_unconfirmed(name, email).await;
        let mail = self.app.mails_to(email, before + 1).await.pop().unwrap();
        self.confirm(&link_token(&mail, "/confirm/")).await
    }

    /// Signs up and stops there: the address is not proven and no session started.
    pub async fn sign_up_unconfirmed(&self, name: &str, email: &str) -> Response {
        let res = self
            .call(
                "sign_up",
                &[("name", name), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "sign up {email}");
        assert_eq!(
            res.headers().get(header::LOCATION).unwrap(),
            "/signup/sent",
            "every sign-up is asked to check its email"
        );
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        res
    }

    /// Uses a confirmation link's token.
    pub async fn confirm(&self, token: &str) -> Response {
        let res = self
            .call("confirm_email", &[("token", token), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status(), StatusCode::OK, "confirm {token}");
        res
    }

    /// Signs up from an invitation's link (`/invite/<token>` as `next`): the link proves the
    /// address, so the account is confirmed and signed in at once.
    pub async fn sign_up_from_invitation(&self, name: &str, email: &str, token: &str) -> Response {
        let next = format!("/invite/{token}");
        let res = self
            .call(
                "sign_up",
                &[
                    ("name", name),
                    ("email", email),
                    ("password", PASSWORD),
                    ("next", &next),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "sign up {email}");
        assert_eq!(res.headers().get(header::LOCATION).unwrap(), next.as_str());
        res
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.app.base))
            .send()
            .await
            .expect("request")
    }
}

/// The message the server gave for one field of an `Invalid` or `Conflict` error.
pub fn field_message(error: &Value, field: &str) -> Option<String> {
    let list = error
        .get("Invalid")
        .or_else(|| error.get("Conflict"))?
        .as_array()?;
    list.iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .map(str::to_owned)
}

/// A delivered email, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
}

/// Every email written to `dir` (the file transport), oldest first.
pub fn mails_in(dir: &std::path::Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| (e.metadata().and_then(|m| m.modified()).ok(), e.path()))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(_, path)| parse_mail(&std::fs::read(path).unwrap()))
        .collect()
}

impl TestApp {
    pub fn mail_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("mail")
    }

    /// Every email written so far (the file transport), oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        mails_in(&self.mail_dir())
    }

    pub fn mails_to_count(&self, to: &str) -> usize {
        self.mails().iter().filter(|m| m.to.contains(to)).count()
    }

    /// Waits (bounded) until at least `n` emails went to `to`, and returns them.
    pub async fn mails_to(&self, to: &str, n: usize) -> Vec<Mail> {
        for _ in 0..200 {
            let found: Vec<Mail> = self
                .mails()
                .into_iter()
                .filter(|m| m.to.contains(to))
                .collect();
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("expected {n} emails to {to}; have {:?}", self.mails());
    }
}

pub fn parse_mail(raw: &[u8]) -> Mail {
    let parsed = mailparse::parse_mail(raw).expect("a valid email");
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    };
    let text = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_else(|| parsed.get_body().unwrap());
    Mail {
        to: header("To"),
        subject: header("Subject"),
        message_id: header("Message-ID"),
        text,
    }
}

/// The invitation token in an email's accept link.
pub fn invite_token(mail: &Mail) -> String {
    link_token(mail, "/invite/")
}

/// The token of the first link under `prefix` (e.g. `/confirm/`) in an email.
pub fn link_token(mail: &Mail, prefix: &str) -> String {
    let start = mail.text.find(prefix).expect("a link") + prefix.len();
    mail.text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// One server-sent event as a client sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// An open event stream, read frame by frame (heartbeat comments skipped).
pub struct EventStream {
    res: Response,
    buf: String,
}

impl EventStream {
    pub async fn open(http: &Client, url: &str, last_event_id: Option<&str>) -> Response {
        let mut req = http.get(url).header(header::ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        req.send().await.expect("event stream request")
    }

    /// Wraps an accepted stream and reads its opening `ready` event.
    pub async fn new(res: Response) -> Self {
        assert_eq!(res.status(), StatusCode::OK, "event stream refused");
        let mut stream = Self {
            res,
            buf: String::new(),
        };
        let first = stream.next().await.expect("a first event");
        assert_eq!(first.event, "ready", "{first:?}");
        stream
    }

    /// The next event, or `None` when the server ended the stream. Fails after 10 s of nothing.
    pub async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut ev = SseEvent::default();
                let mut any = false;
                for line in block.lines() {
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "event" => (ev.event, any) = (value.to_owned(), true),
                        "id" => (ev.id, any) = (Some(value.to_owned()), true),
                        "data" => (ev.data, any) = (value.to_owned(), true),
                        _ => {}
                    }
                }
                if any {
                    return Some(ev);
                }
                continue;
            }
            let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), self.res.chunk())
                .await
                .expect("an event within 10 s")
                .expect("stream read");
            match chunk {
                Some(bytes) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                None => return None,
            }
        }
    }

    /// Asserts nothing but heartbeats arrives for `wait`.
    pub async fn quiet_for(&mut self, wait: std::time::Duration) {
        if let Ok(ev) = tokio::time::timeout(wait, self.next()).await {
            panic!("expected no event, got {ev:?}");
        }
    }

    /// The `kind` in a `change` event's data.
    pub fn kind(ev: &SseEvent) -> String {
        let v: Value = serde_json::from_str(&ev.data).expect("JSON data");
        v["kind"].as_str().unwrap_or_default().to_owned()
    }
}

impl Browser<'_> {
    pub async fn events(&self, path: &str) -> EventStream {
        EventStream::new(
            EventStream::open(&self.http, &format!("{}{path}", self.app.base), None).await,
        )
        .await
    }
}

// Shared steps of the membership tests.

/// Ada owns Acme Web (`/p/acme-web`).
pub async fn project_with_owner(app: &TestApp) -> Browser<'_> {
    let ada = app.browser();
    ada.sign_up("Ada", "ada@example.com").await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;
    ada
}

pub async fn invite(by: &Browser<'_>, email: &str, role: &str) -> Value {
    by.ok(
        "invite",
        &[("slug", "acme-web"), ("emails", email), ("role", role)],
    )
    .await
}

/// Invites `email` as `role`, and has them sign up and accept through the emailed link.
pub async fn join<'a>(
    app: &'a TestApp,
    owner: &Browser<'_>,
    name: &str,
    email: &str,
    role: &str,
) -> Browser<'a> {
    let before = app.mails().iter().filter(|m| m.to.contains(email)).count();
    let outcome = invite(owner, email, role).await;
    assert!(outcome[0]["error"].is_null(), "{outcome}");
    let mail = app.mails_to(email, before + 1).await.pop().unwrap();
    let token = invite_token(&mail);
    let browser = app.browser();
    browser.sign_up_from_invitation(name, email, &token).await;
    let landing = browser.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["Joined"]["slug"], "acme-web", "{landing}");
    browser
}

pub async fn members(b: &Browser<'_>) -> Value {
    b.ok("members", &[("slug", "acme-web")]).await
}

pub fn user_id(page: &Value, name: &str) -> String {
    page["others"]
        .as_array()
        .unwrap()
        .iter()
        .chain(std::iter::once(&page["you"]))
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {page}"))["user_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The pending invitation of `email` on a Members page.
pub fn pending<'a>(page: &'a Value, email: &str) -> &'a Value {
    page["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == email)
        .unwrap_or_else(|| panic!("{email} pending in {page}"))
}

pub fn pending_id(page: &Value, email: &str) -> String {
    pending(page, email)["id"].as_str().unwrap().to_owned()
}

pub const TOKEN: &str = "operator-token-for-tests-0123456789abcdef";

pub async fn with_operator() -> TestApp {
    spawn_with(|c| c.operator_tokens = vec![TOKEN.to_owned()]).await
}

/// A call to the operator API as the back office makes it: no cookie, no Origin, a token.
pub async fn operator(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut req =
        reqwest::Client::new().request(method, format!("{}/api/operator/v1{path}", app.base));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// A VPS in `status`, as the back office describes one.
pub fn vps(name: &str, status: &str) -> serde_json::Value {
    serde_json::json!({"kind": "vps", "name": name, "plan": "VPS 4 GB", "region": "Amsterdam 2", "status": status})
}

/// The back office sets up a service in `slug`; returns its id.
pub async fn add_service(app: &TestApp, slug: &str, body: serde_json::Value) -> String {
    let (status, created) = operator(
        app,
        reqwest::Method::POST,
        &format!("/projects/{slug}/services"),
        Some(TOKEN),
        Some(body),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_owned()
}
