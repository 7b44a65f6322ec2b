//! Following a live event stream from the browser. A page's resources read `version`, so each
//! change refetches their data through server functions and the keyed views update in place;
//! `LiveIndicator` says whether the page is live. On the server (and without JavaScript)
//! nothing connects and the page is simply not live.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    /// Not connected yet (always so before hydration).
    Offline,
    Live,
    Reconnecting,
    /// The server ended access (removed from the project, signed out): no reconnecting.
    Ended,
}

#[derive(Clone, Copy)]
pub struct Live {
    /// Moves on every change, reload or end of access the stream reports.
    pub version: ReadSignal<u64>,
    pub status: ReadSignal<LiveStatus>,
}

/// Opens the stream at `url()` once hydrated (again whenever `url()` changes, e.g. after
/// navigating to another project), reconnecting with backoff and resuming from the last event
/// id it saw. The stream closes when the page that follows it goes away.
pub fn follow(url: impl Fn() -> String + Send + Sync + 'static) -> Live {
    let (version, set_version) = signal(0u64);
    let (status, set_status) = signal(LiveStatus::Offline);
    #[cfg(feature = "hydrate")]
    client::start(url, set_version, set_status);
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, set_version, set_status);
    Live { version, status }
}

#[component]
pub fn LiveIndicator(live: Live) -> impl IntoView {
    let text = move || match live.status.get() {
        LiveStatus::Offline => "Not live: reload to see changes",
        LiveStatus::Live => "Live: changes by others show as they happen",
        LiveStatus::Reconnecting => "Reconnecting… changes show once the connection is back",
        LiveStatus::Ended => "Access ended",
    };
    let class = move || match live.status.get() {
        LiveStatus::Live => "live on",
        LiveStatus::Ended => "live ended",
        _ => "live off",
    };
    view! {
        <p class=class role="status" aria-live="polite">
            {text}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::LiveStatus;
    use futures::{
        channel::oneshot,
        future::{select, Either},
        stream::select_all,
        StreamExt,
    };
    use gloo_net::eventsource::futures::EventSource;
    use leptos::{prelude::*, task::spawn_local};
    use std::sync::{Arc, Mutex};

    const FIRST_RETRY_MS: u32 = 1_000;
    const LAST_RETRY_MS: u32 = 30_000;

    pub fn start(
        url: impl Fn() -> String + Send + Sync + 'static,
        set_version: WriteSignal<u64>,
        set_status: WriteSignal<LiveStatus>,
    ) {
        // The running stream's stop switch: replacing or dropping it closes that stream, when
        // the URL changes and when the page goes away.
        let stop: Arc<Mutex<Option<oneshot::Sender<()>>>> = Arc::default();
        let current = stop.clone();
        Effect::new(move |previous: Option<String>| {
            let url = url();
            if previous.as_ref() == Some(&url) {
                return url;
            }
            let (switch, stopped) = oneshot::channel();
            if let Ok(mut slot) = current.lock() {
                *slot = Some(switch);
            }
            spawn_local(run(url.clone(), stopped, set_version, set_status));
            url
        });
        on_cleanup(move || {
            if let Ok(mut slot) = stop.lock() {
                slot.take();
            }
        });
    }

    async fn run(
        url: String,
        mut stopped: oneshot::Receiver<()>,
        set_version: WriteSignal<u64>,
        set_status: WriteSignal<LiveStatus>,
    ) {
        // The page may be gone by the time an event arrives: a disposed signal is ignored.
        let bump = move || {
            set_version.try_update(|v| *v += 1);
        };
        let status = move |s| {
            set_status.try_set(s);
        };
        let mut last_id: Option<String> = None;
        let mut retry = FIRST_RETRY_MS;
        let mut reconnecting = false;
        loop {
            let address = match &last_id {
                Some(id) => format!("{url}?last_event_id={id}"),
                None => url.clone(),
            };
            let Ok(mut source) = EventSource::new(&address) else {
                status(LiveStatus::Offline);
                return;
            };
            let subscriptions = ["ready", "change", "reload", "revoked"]
                .into_iter()
                .filter_map(|kind| source.subscribe(kind).ok())
                .collect::<Vec<_>>();
            let mut events = select_all(subscriptions);
            let (mut ended, mut opened) = (false, false);
            loop {
                let item = match select(events.next(), &mut stopped).await {
                    Either::Left((Some(item), _)) => item,
                    Either::Left((None, _)) => break,
                    // The page went away (or follows another URL now).
                    Either::Right(_) => {
                        drop(events);
                        source.close();
                        return;
                    }
                };
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
                        status(LiveStatus::Live);
                        retry = FIRST_RETRY_MS;
                        // What happened while away that no replay covers: fetch it.
                        if reconnecting {
                            bump();
                        }
                    }
                    "revoked" => {
                        status(LiveStatus::Ended);
                        bump();
                        ended = true;
                        break;
                    }
                    _ => bump(),
                }
            }
            drop(events);
            source.close();
            if ended {
                return;
            }
            status(LiveStatus::Reconnecting);
            // Refused before it opened (access ended? server down?): the page fetches again and
            // shows what is true now rather than what it showed before.
            if !opened {
                bump();
            }
            reconnecting = true;
            let wait = gloo_timers::future::TimeoutFuture::new(retry);
            if let Either::Right(_) = select(wait, &mut stopped).await {
                return;
            }
            retry = (retry * 2).min(LAST_RETRY_MS);
        }
    }
}
