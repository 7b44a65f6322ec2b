//! Following the page's event stream (hydrate only).

use super::{LiveStatus, Region};
use futures::{stream::select_all, StreamExt};
use gloo_net::eventsource::futures::EventSource;
use leptos::prelude::*;

const FIRST_RETRY_MS: u32 = 1_000;
const LAST_RETRY_MS: u32 = 30_000;

/// Follows the stream, reconnecting with backoff and resuming from the last event id seen.
pub(super) async fn run(url: String, region: Region) {
    let status = region.status;
    let mut last_id: Option<String> = None;
    let mut retry = FIRST_RETRY_MS;
    let mut reconnecting = false;
    loop {
        let address = match &last_id {
            Some(id) => format!("{url}?last_event_id={id}"),
            None => url.clone(),
        };
        let Ok(mut source) = EventSource::new(&address) else {
            status.set(LiveStatus::Offline);
            return;
        };
        let subscriptions = ["ready", "change", "reload", "revoked"]
            .into_iter()
            .filter_map(|kind| source.subscribe(kind).ok())
            .collect::<Vec<_>>();
        let mut events = select_all(subscriptions);
        let (mut ended, mut opened) = (false, false);
        while let Some(item) = events.next().await {
            let Ok((kind, message)) = item else {
                // Lost: close it and come back on our own terms (backoff, position).
                break;
            };
            let id = message.last_event_id();
            if !id.is_empty() {
                last_id = Some(id);
            }
            match kind.as_str() {
                "ready" => {
                    opened = true;
                    status.set(LiveStatus::Live);
                    retry = FIRST_RETRY_MS;
                    // What happened while away that no replay covers: load it.
                    if reconnecting {
                        region.refresh();
                    }
                }
                "revoked" => {
                    status.set(LiveStatus::Ended);
                    region.refresh();
                    ended = true;
                    break;
                }
                _ => region.refresh(),
            }
        }
        drop(events);
        source.close();
        if ended {
            return;
        }
        status.set(LiveStatus::Reconnecting);
        // Refused before it opened (access ended? server down?): show what is true now
        // rather than what the page showed before.
        if !opened {
            region.refresh();
        }
        reconnecting = true;
        gloo_timers::future::TimeoutFuture::new(retry).await;
        retry = (retry * 2).min(LAST_RETRY_MS);
    }
}
