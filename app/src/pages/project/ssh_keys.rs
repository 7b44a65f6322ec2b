//! SSH keys (seed 001 "SSH configuration"; issue 10): the project's public keys with their
//! fingerprints; a role that manages services adds and removes them.

use super::{tickets::param, CurrentProject};
use crate::api::ssh_keys::{list_ssh_keys, AddSshKey, RemoveSshKey, SshKey};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::components::notice::Notice;
use crate::components::resource::resource;
use crate::pages::{initial_query, respond_with};
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

#[component]
pub fn SshKeys() -> impl IntoView {
    let slug = param("slug");
    let live = expect_context::<CurrentProject>().live;
    let add = FormAction::<AddSshKey>::new();
    let remove = FormAction::<RemoveSshKey>::new();
    let keys = resource(
        move || {
            (
                slug(),
                live.version.get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |(slug, ..)| list_ssh_keys(slug),
    );
    let error = last_error(add.value());
    let remove_error = last_error(remove.value());
    let add_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) {
            if let Some(form) = add_form.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <Title text="SSH keys" />
        <main class="section ssh-keys">
            <h1>"SSH keys"</h1>
            <p class="muted">"The hosting company installs these keys on the machines it sets up for this project."</p>
            <Notice />
            {move || remove_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <p>"Loading SSH keys…"</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(k) => {
                            let manageable = k.manageable();
                            Either::Left(view! {
                                <KeyList slug=slug() keys=k.keys remove=manageable.then_some(remove) />
                                {manageable.then(|| view! {
                                    <section aria-labelledby="add-key-heading">
                                        <h2 id="add-key-heading">"Add an SSH key"</h2>
                                        <ActionForm action=add node_ref=add_form attr:novalidate=true attr:aria-label="Add an SSH key">
                                            <FormError error />
                                            <input type="hidden" name="slug" value=slug() />
                                            <Field label="Name" name="name" hint="Optional: the key's comment is used when empty." value=initial_query("name") error=field_error(error, "name") />
                                            <Field label="Public key" name="public_key" rows=4 value=initial_query("public_key") error=field_error(error, "public_key") />
                                            <button type="submit" class="primary">"Add SSH key"</button>
                                        </ActionForm>
                                    </section>
                                })}
                            })
                        }
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
fn KeyList(
    slug: String,
    keys: Vec<SshKey>,
    remove: Option<FormAction<RemoveSshKey>>,
) -> impl IntoView {
    if keys.is_empty() {
        return Either::Left(view! { <p class="empty">"No SSH keys yet."</p> });
    }
    let rows = keys
        .into_iter()
        .map(|k| {
            let button = remove.map(|remove| {
                let (slug, id) = (slug.clone(), k.id.clone());
                let label = format!("Remove {}", k.name);
                view! {
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="danger">{label}</button>
                    </ActionForm>
                }
            });
            view! {
                <tr>
                    <td>{k.name.clone()}</td>
                    <td>{k.algorithm.clone()}</td>
                    <td class="mono">{k.fingerprint.clone()}</td>
                    <td>{format!("{} · {}", k.added_by, k.added)}</td>
                    <td>{button}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <table class="ssh-keys-table">
            <caption class="visually-hidden">"SSH keys"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Fingerprint"</th>
                    <th scope="col">"Added"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}
