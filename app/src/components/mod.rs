//! Components used by several pages.

pub mod auth;
pub mod confirm;
pub mod field;
pub mod form;
pub mod header;
pub mod hydration;
pub mod live;
pub mod notice;
pub mod resource;
pub mod settled;

use leptos::prelude::*;

/// Moves `counter` whenever `version` (an action's completion count, or a sum of them) moves
/// past zero: resources that read the counter fetch again after the action, even when the
/// action belongs to another component.
pub fn count_changes(counter: RwSignal<u32>, version: impl Fn() -> usize + Send + Sync + 'static) {
    Effect::new(move |_| {
        if version() > 0 {
            counter.update(|n| *n += 1);
        }
    });
}
