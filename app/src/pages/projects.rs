use crate::api::projects::{list_projects, ProjectSummary};
use leptos::prelude::*;
use leptos_meta::Title;

/// Menu → Projects (seed 000): three tables, each with its own empty state.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <Title text="Projects" />
        <main class="wide">
            <div class="page-head">
                <h1>"Projects"</h1>
                <a class="button primary" href="/projects/new">
                    "+ New Project"
                </a>
            </div>
            <Suspense fallback=|| view! { <p>"Loading projects…"</p> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Ok(overview) => {
                            view! {
                                <ProjectTable
                                    title="Your Projects"
                                    empty="You do not own any project yet. Create one with + New Project."
                                    rows=overview.yours
                                />
                                <ProjectTable
                                    title="Shared Projects"
                                    empty="No one has shared a project with you yet. When you accept an invitation, the project appears here."
                                    rows=overview.shared
                                />
                                <section aria-labelledby="invitations-heading">
                                    <h2 id="invitations-heading">"Project Invitations"</h2>
                                    <p class="empty">"No invitations are waiting for you."</p>
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ProjectTable(
    title: &'static str,
    empty: &'static str,
    rows: Vec<ProjectSummary>,
) -> impl IntoView {
    let heading_id = format!("{}-heading", title.to_lowercase().replace(' ', "-"));
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visually-hidden">{title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Project"</th>
                                <th scope="col">"Address"</th>
                                <th scope="col">"Your role"</th>
                                <th scope="col">"Members"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|p| {
                                    let href = format!("/p/{}", p.slug);
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=href.clone()>{p.name}</a>
                                            </td>
                                            <td class="mono">{href}</td>
                                            <td>{p.role.label()}</td>
                                            <td>{p.member_count}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}
