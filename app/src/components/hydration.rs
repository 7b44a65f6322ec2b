use leptos::prelude::*;

/// True once the page runs in the browser as the app (never on the server, never without
/// JavaScript). Controls that exist only for the plain-form fallback, such as the Save button
/// beside a role dropdown, hide when this turns true; the server-rendered page still has them,
/// so hydration matches.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
