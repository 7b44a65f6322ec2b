//! The site's build output under `/pkg`: the gzip copy the build leaves beside each file is sent
//! as it is to browsers that accept gzip, unless the file has changed since (issue 8).

mod support;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, VARY};
use std::{fs, path::Path, time::Duration, time::SystemTime};
use support::*;

fn touch(path: &Path, at: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(at)
        .unwrap();
}

#[tokio::test]
async fn a_fresh_gzip_copy_is_sent_as_is_and_a_stale_one_never() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    let (file, copy) = (pkg.join("app.js"), pkg.join("app.js.gz"));
    let js = "console.log('this build of Roster');\n".repeat(40);
    fs::write(&file, &js).unwrap();
    // Not real gzip: the point is that the server sends the copy's bytes, untouched.
    let packed = b"\x1f\x8bthe copy made at build time".to_vec();
    fs::write(&copy, &packed).unwrap();
    let built = SystemTime::now() - Duration::from_secs(60);
    touch(&file, built);
    touch(&copy, built + Duration::from_secs(1));
    let root = site.path().to_str().unwrap().to_owned();
    let app = spawn_with(move |c| c.leptos.site_root = root.into()).await;
    let http = reqwest::Client::new();
    let get = |path: &'static str, gzip: bool| {
        let req = http.get(format!("{}{path}", app.base));
        let req = if gzip {
            req.header(ACCEPT_ENCODING, "gzip")
        } else {
            req
        };
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let header = |name| {
                res.headers()
                    .get(name)
                    .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_owned())
            };
            let encoding = header(CONTENT_ENCODING);
            if encoding.is_some() {
                // A cache must not hand gzip to a browser that did not ask for it.
                assert_eq!(header(VARY).as_deref(), Some("accept-encoding"), "{path}");
            }
            (status, encoding, res.bytes().await.unwrap().to_vec())
        }
    };

    let (status, encoding, body) = get("/pkg/app.js", true).await;
    assert_eq!(status, 200);
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(body, packed, "the copy, not compressed again");
    let (_, encoding, body) = get("/pkg/app.js", false).await;
    assert_eq!(encoding, None);
    assert_eq!(body, js.as_bytes());

    // A build that wrote no copy replaced the file: the old copy must not be sent with it.
    let rebuilt = "console.log('the next build');\n".repeat(40);
    fs::write(&file, &rebuilt).unwrap();
    touch(&file, built + Duration::from_secs(30));
    let (status, encoding, body) = get("/pkg/app.js", true).await;
    assert_eq!(status, 200);
    assert_eq!(encoding.as_deref(), Some("gzip"), "compressed on the fly");
    assert_ne!(body, packed);
    let (_, _, body) = get("/pkg/app.js", false).await;
    assert_eq!(body, rebuilt.as_bytes());

    // Nothing outside the site, with or without a copy named after it. Sent as raw bytes: an
    // HTTP client would resolve the dots before sending.
    let outside =
        (site.path().parent().unwrap()).join(format!("roster-secret-{}.txt", std::process::id()));
    fs::write(&outside, "not for browsers").unwrap();
    fs::write(outside.with_extension("txt.gz"), "not for browsers").unwrap();
    let name = outside.file_name().unwrap().to_str().unwrap();
    let root = site.path().file_name().unwrap().to_str().unwrap();
    for path in [
        format!("/pkg/../../{name}"),
        format!("/pkg/%2e%2e/%2e%2e/{name}"),
        format!("/pkg/..%2f..%2f{name}"),
        format!("/pkg/../../{root}/pkg/app.js"),
    ] {
        let answer = raw_get(&app.base, &path).await;
        assert!(!answer.starts_with("HTTP/1.1 200"), "{path}: {answer}");
        assert!(!answer.contains("not for browsers"), "{path}");
    }
    fs::remove_file(&outside).unwrap();
    fs::remove_file(outside.with_extension("txt.gz")).unwrap();
}

/// The answer to a GET of `path` exactly as written, gzip accepted.
async fn raw_get(base: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}
