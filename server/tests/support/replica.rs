//! The real server binary in a process of its own (for the two-replica test and the
//! benchmarks that measure the server apart from its clients).

use std::time::Duration;

/// A server process of its own, on the given database, listening on a free port. Without a
/// `public_url` it is its own address.
pub struct Replica {
    child: std::process::Child,
    pub base: String,
}

impl Replica {
    pub async fn start(
        database_url: &str,
        public_url: Option<&str>,
        mail_dir: &std::path::Path,
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "roster")
            .env("MAIL_DIR", mail_dir)
            // Replicas share the key that seals secrets (required with PostgreSQL).
            .env(
                "ROSTER_SECRET_KEY",
                server::config::Config::for_tests("", Default::default())
                    .secret_key
                    .expect("the tests' key"),
            )
            .env("RUST_LOG", "warn");
        match public_url {
            Some(url) => command.env("PUBLIC_URL", url),
            None => command.env_remove("PUBLIC_URL"),
        };
        // Owned at once, so the process is killed and reaped (Drop) on every path.
        let replica = Self {
            child: command.spawn().expect("server binary starts"),
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..200 {
            if let Ok(res) = reqwest::get(format!("{}/healthz", replica.base)).await {
                if res.status().is_success() {
                    return replica;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("replica on port {port} did not become healthy");
    }
}

impl Replica {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
