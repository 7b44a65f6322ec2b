use super::{tickets::param, CurrentProject};
use crate::api::dashboard::{dashboard, DashboardFigures};
use crate::components::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;

/// The project's summary (seed 000): who you are in it, its members, and (for a role that
/// may open those sections) its services by status and its open tickets; live.
#[component]
pub fn Dashboard() -> impl IntoView {
    let current = expect_context::<CurrentProject>();
    let context = current.resource();
    let slug = param("slug");
    let figures = resource(
        move || (slug(), current.live.version.get()),
        |(slug, _)| dashboard(slug),
    );
    view! {
        <main class="section">
            <Transition fallback=|| ()>
                {move || {
                    context
                        .get()
                        .and_then(Result::ok)
                        .map(|project| {
                            view! {
                                <Title text=project.name.clone() />
                                <h1>{project.name.clone()}</h1>
                                <dl class="cards">
                                    <div class="card">
                                        <dt>"Your role"</dt>
                                        <dd>{project.actor.role.label()}</dd>
                                    </div>
                                    <div class="card">
                                        <dt>"Active members"</dt>
                                        <dd>{project.member_count}</dd>
                                    </div>
                                    <div class="card">
                                        <dt>"Address"</dt>
                                        <dd class="mono">{format!("/p/{}", project.slug)}</dd>
                                    </div>
                                </dl>
                            }
                        })
                }}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    figures.await.ok().map(|f| view! { <Figures slug=slug() figures=f /> })
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Figures(slug: String, figures: DashboardFigures) -> impl IntoView {
    let services = figures.services.map(|counts| {
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        let breakdown = if counts.is_empty() {
            "none yet".to_owned()
        } else {
            counts
                .iter()
                .map(|(s, n)| format!("{n} {}", s.label().to_lowercase()))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        view! {
            <div class="card">
                <dt>
                    <a href=format!("/p/{slug}/services")>"Services"</a>
                </dt>
                <dd>{total}</dd>
                <dd class="muted">{breakdown}</dd>
            </div>
        }
    });
    let tickets = figures.tickets.map(|t| {
        view! {
            <div class="card">
                <dt>
                    <a href=format!("/p/{slug}/tickets")>"Open tickets"</a>
                </dt>
                <dd>{t.with_support + t.awaiting_you}</dd>
                <dd class="muted">{format!("{} with support · {} awaiting your reply", t.with_support, t.awaiting_you)}</dd>
            </div>
        }
    });
    let invoices = figures.invoices.map(|unpaid| {
        let count: i64 = unpaid.iter().map(|u| u.count).sum();
        let due = if unpaid.is_empty() {
            "nothing due".to_owned()
        } else {
            unpaid
                .iter()
                .map(|u| format!("{} due", u.due))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        view! {
            <div class="card">
                <dt>
                    <a href=format!("/p/{slug}/invoices")>"Unpaid invoices"</a>
                </dt>
                <dd>{count}</dd>
                <dd class="muted">{due}</dd>
            </div>
        }
    });
    view! {
        <dl class="cards" aria-label="Project figures">
            {services}
            {invoices}
            {tickets}
        </dl>
    }
}
