//! Pages rendered at the same time for different people never mix: each answer holds only what
//! its own session may see. Under load, a page's title was once taken from another person's
//! page being rendered at the same moment (their project's name), or the render panicked; and
//! about one render in ten thousand never finished: its worker thread blocked on a resource's
//! lock (see server/src/render.rs). With ROUNDS at 400 that showed within a few runs; with
//! pages rendered on one thread each, 25 runs at 400 rounds (60,000 pages) showed none.

mod support;

use reqwest::StatusCode;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_at_once_for_different_people_never_mix() {
    let app = spawn().await;
    const PEOPLE: usize = 6;
    const ROUNDS: usize = 25;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let b = app.browser();
        b.sign_up(&format!("Person {i}"), &format!("person{i}@example.com"))
            .await;
        b.ok(
            "create_project",
            &[("name", &format!("Secret {i} project")), ("slug", "")],
        )
        .await;
        people.push(b);
    }
    let sections = ["/settings", "/members", "", "/settings"];
    let mut tasks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let http = person.http.clone();
        let base = app.base.clone();
        tasks.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for round in 0..ROUNDS {
                let section = sections[round % sections.len()];
                let path = format!("/p/secret-{i}-project{section}");
                let res = http.get(format!("{base}{path}")).send().await;
                answers.push(match res {
                    Ok(res) => (path, res.status(), res.text().await.unwrap_or_default()),
                    // `{e:?}` names the cause (a page that never answered says TimedOut).
                    Err(e) => (path, StatusCode::INTERNAL_SERVER_ERROR, format!("{e:?}")),
                });
            }
            (i, answers)
        }));
    }
    for task in tasks {
        let (i, answers) = task.await.unwrap();
        for (path, status, html) in answers {
            // The end of the answer only: debug builds print a screenful of warnings per page,
            // and a whole page here pushed the reason out of CI's log.
            let end = html.char_indices().rev().nth(300).map_or(0, |(k, _)| k);
            assert_eq!(
                status,
                StatusCode::OK,
                "Person {i} {path}: …{}",
                &html[end..]
            );
            assert!(
                html.contains(&format!("Secret {i} project")),
                "Person {i} {path}"
            );
            for other in (0..PEOPLE).filter(|&o| o != i) {
                let name = format!("Secret {other} project");
                if let Some(at) = html.find(&name) {
                    let from = html[..at]
                        .char_indices()
                        .rev()
                        .nth(80)
                        .map_or(0, |(k, _)| k);
                    panic!(
                        "Person {i} was shown {name} on {path}: …{}…",
                        &html[from..(at + name.len() + 40).min(html.len())]
                    );
                }
            }
        }
    }
}
