//! Services (seed 001; issue 10): the project's services, each with its page, where members
//! whose role allows it ask the back office to start, stop, restart, back up or cancel, and
//! follow the operation live from queued to done.

use super::{tickets::param, CurrentProject};
use crate::access::{can, Action, Scope};
use crate::api::services::{
    get_service, list_services, BackupView, OperationView, RequestOperation, ServiceView,
};
use crate::components::field::last_error;
use crate::components::form::{ActionForm, FormAction};
use crate::components::notice::Notice;
use crate::components::resource::resource;
use crate::components::settled::Settled;
use crate::domain::{OperationStatus, ServiceAction, ServiceKind};
use crate::pages::respond_with;
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

fn status_cell(s: &ServiceView) -> impl IntoView {
    let pending = s.pending.as_ref().map(|p| {
        view! {
            " "
            <span class="tag">{format!("{} {}", p.action.label(), p.status.label().to_lowercase())}</span>
        }
    });
    view! {
        <span class=format!("status status-{}", s.status.key())>{s.status.label()}</span>
        {pending}
    }
}

#[component]
pub fn Services() -> impl IntoView {
    let slug = param("slug");
    let live = expect_context::<CurrentProject>().live;
    let list = resource(
        move || (slug(), live.version.get()),
        |(slug, _)| list_services(slug),
    );
    view! {
        <Title text="Services" />
        <main class="section services">
            <h1>"Services"</h1>
            <Transition fallback=|| view! { <p>"Loading services…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        // The table holds nothing async: rendered as built (see `Settled`).
                        Ok(list) => Either::Left(Settled(view! { <ServiceTable slug=slug() services=list.services /> })),
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> })
                        }
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn ServiceTable(slug: String, services: Vec<ServiceView>) -> impl IntoView {
    if services.is_empty() {
        return Either::Left(view! {
            <p class="empty">"No services yet. Services you order from the hosting company appear here."</p>
        });
    }
    let rows = services
        .into_iter()
        .map(|s| {
            let href = format!("/p/{slug}/services/{}", s.id);
            view! {
                <tr>
                    <td>
                        <a href=href>{s.name.clone()}</a>
                    </td>
                    <td>{s.kind.label()}</td>
                    <td>{s.plan.clone()}</td>
                    <td>{status_cell(&s)}</td>
                    <td>{s.region.clone()}</td>
                    <td>{s.created.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <table class="services-table">
            <caption class="visually-hidden">"Services"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Plan"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Region"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}

/// One service: what it is, the actions the caller may ask for, and its operations.
#[component]
pub fn Service() -> impl IntoView {
    let (slug, id) = (param("slug"), param("id"));
    let live = expect_context::<CurrentProject>().live;
    let request = FormAction::<RequestOperation>::new();
    let detail = resource(
        move || (slug(), id(), live.version.get(), request.version().get()),
        |(slug, id, ..)| get_service(slug, id),
    );
    let error = last_error(request.value());
    view! {
        <main class="section service">
            <p>
                <a href=move || format!("/p/{}/services", slug())>"← All services"</a>
            </p>
            <Transition fallback=|| view! { <p>"Loading the service…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => {
                            let offered = d.service.offered(&d.actor);
                            let on_backups = d.service.offered_on_backups(&d.actor);
                            let machine = matches!(d.service.kind, ServiceKind::Vps | ServiceKind::Iaas);
                            let s = d.service;
                            Either::Left(view! {
                                <Title text=s.name.clone() />
                                <h1>{s.name.clone()}</h1>
                                <dl class="facts">
                                    <dt>"Type"</dt>
                                    <dd>{s.kind.label()}</dd>
                                    <dt>"Plan"</dt>
                                    <dd>{s.plan.clone()}</dd>
                                    <dt>"Status"</dt>
                                    <dd>{status_cell(&s)}</dd>
                                    <dt>"Region"</dt>
                                    <dd>{s.region.clone()}</dd>
                                    <dt>"Created"</dt>
                                    <dd>{s.created.clone()}</dd>
                                </dl>
                                <Actions slug=slug() id=s.id.clone() offered request />
                                {machine.then(|| view! {
                                    <Backups slug=slug() id=s.id.clone() backups=d.backups offered=on_backups request />
                                })}
                                {if can(&d.actor, Action::ViewLogs, Scope::Service(&s.id)) {
                                    Either::Left(view! { <History history=d.history /> })
                                } else {
                                    Either::Right(view! {
                                        <section aria-labelledby="history-heading">
                                            <h2 id="history-heading">"History"</h2>
                                            <p class="empty">"Your permissions do not include this service's log."</p>
                                        </section>
                                    })
                                }}
                            })
                        }
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! {
                                <h1>"Service unavailable"</h1>
                                <p class="form-error" role="alert">{e.to_string()}</p>
                            })
                        }
                    }
                })}
            </Transition>
            <Notice />
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
        </main>
    }
}

/// One small form per action: each works without JavaScript, and each button says what it
/// does.
#[component]
fn Actions(
    slug: String,
    id: String,
    offered: Vec<ServiceAction>,
    request: FormAction<RequestOperation>,
) -> impl IntoView {
    if offered.is_empty() {
        return Either::Left(());
    }
    let forms = offered
        .into_iter()
        .map(|action| {
            let (slug, id) = (slug.clone(), id.clone());
            view! {
                <ActionForm action=request attr:class="inline">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="action" value=action.key() />
                    <button type="submit" class:danger=action == ServiceAction::Cancel>
                        {action.label()}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            <div class="actions">{forms}</div>
        </section>
    })
}

/// The machine's backups, newest first, each with Restore and Delete when they may be asked.
#[component]
fn Backups(
    slug: String,
    id: String,
    backups: Vec<BackupView>,
    offered: Vec<ServiceAction>,
    request: FormAction<RequestOperation>,
) -> impl IntoView {
    let body = if backups.is_empty() {
        Either::Left(view! { <p class="empty">"No backups yet."</p> })
    } else {
        let items = backups
            .into_iter()
            .map(|b| {
                let forms = offered
                    .clone()
                    .into_iter()
                    .map(|action| {
                        let label = format!("{} of {}", action.label(), b.created);
                        let (slug, id, backup) = (slug.clone(), id.clone(), b.id.clone());
                        view! {
                            <ActionForm action=request attr:class="inline">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="action" value=action.key() />
                                <input type="hidden" name="backup" value=backup />
                                <button type="submit" class:danger=action == ServiceAction::DeleteBackup>
                                    {label}
                                </button>
                            </ActionForm>
                        }
                    })
                    .collect_view();
                view! {
                    <li>
                        <span>{format!("Backup of {}", b.created)}</span>
                        " "
                        {forms}
                    </li>
                }
            })
            .collect_view();
        Either::Right(view! { <ul class="backups" aria-label="Backups">{items}</ul> })
    };
    view! {
        <section aria-labelledby="backups-heading">
            <h2 id="backups-heading">"Backups"</h2>
            {body}
        </section>
    }
}

#[component]
fn History(history: Vec<OperationView>) -> impl IntoView {
    let body = if history.is_empty() {
        Either::Left(view! { <p class="empty">"Nothing asked of this service yet."</p> })
    } else {
        let rows = history
            .into_iter()
            .map(|o| {
                let failed = o.status == OperationStatus::Failed;
                view! {
                    <tr>
                        <td>
                            {o.action.label()}
                            {o.backup.map(|b| format!(" of {b}"))}
                        </td>
                        <td>
                            <span class=format!("status op-{}", o.status.key())>{o.status.label()}</span>
                            {o.message.map(|m| view! { <span class:form-error=failed>{format!(" — {m}")}</span> })}
                        </td>
                        <td>{o.requester}</td>
                        <td>{o.requested}</td>
                        <td>{o.updated}</td>
                    </tr>
                }
            })
            .collect_view();
        Either::Right(view! {
            <table class="operations-table">
                <caption class="visually-hidden">"Operations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Asked by"</th>
                        <th scope="col">"Asked"</th>
                        <th scope="col">"Last change"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <section aria-labelledby="operations-heading">
            <h2 id="operations-heading">"Operations"</h2>
            {body}
        </section>
    }
}
