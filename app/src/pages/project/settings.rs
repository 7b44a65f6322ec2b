use super::CurrentProject;
use crate::access::{can, Action, Scope};
use crate::api::ai::{ai_settings, SaveAiSettings, TestAiConnection};
use crate::api::branding::{upload_logo, RemoveLogo, SetBrandColor, UploadLogo};
use crate::api::permissions::SetNewMemberAccess;
use crate::api::projects::{DeleteProject, RenameProject, SetInviteExpiry};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::components::notice::Notice;
use crate::components::resource::{resource, Resource};
use crate::domain::NewMemberAccess;
use crate::domain::{AiProvider, MIN_CONTRAST, SWATCHES};
use crate::error::AppError;
use crate::pages::initial_query;
use leptos::server_fn::ServerFn;
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

/// Settings → rename and invitation expiry. The server refuses roles without `EditSettings`
/// whatever this page shows. The forms are built once: a live change elsewhere never
/// overwrites what is being typed here.
#[component]
pub fn Settings() -> impl IntoView {
    let current = expect_context::<CurrentProject>();
    let actions = SettingsActions {
        rename: FormAction::new(),
        expiry: FormAction::new(),
        new_members: FormAction::new(),
    };
    // The sidebar shows the name these change.
    current.refresh_after(move || {
        actions.rename.version().get()
            + actions.expiry.version().get()
            + actions.new_members.version().get()
    });
    let context = current.resource();
    let project = Memo::new(move |_| context.get().and_then(Result::ok));
    provide_context(AiState::new());
    // Only a change of access re-renders the page.
    let allowed = Memo::new(move |_| {
        project.with(|p| {
            p.as_ref()
                .map(|p| can(&p.actor, Action::EditSettings, Scope::Project))
        })
    });
    view! {
        // Plain text, as on every page: leptos_axum reads the title after the page's owner is
        // gone, and a title that read a signal then panicked under load, or read another
        // request's page in the reused slot and sent its project's name (tests/isolation.rs).
        <Title text="Settings" />
        <Transition fallback=|| ()>
            // Waits for the data (on the server and while loading); renders an empty placeholder
            // (a closure rendering `()` leaves no node, and erased views then fail to hydrate).
            {move || context.with(|_| None::<&str>)}
            {move || {
                allowed
                    .get()
                    .map(|allowed| {
                        if allowed {
                            Either::Left(view! { <SettingsForms actions project /> })
                        } else {
                            // Seed 003: not a section for this role. The server says 403 too.
                            crate::pages::respond_with(403);
                            let role = project
                                .get_untracked()
                                .map(|p| p.actor.role.to_string())
                                .unwrap_or_default();
                            Either::Right(
                                view! {
                                    <main class="section">
                                        <h1>"Settings"</h1>
                                        <p role="alert">
                                            {format!("Your role ({role}) cannot change this project's settings.")}
                                        </p>
                                    </main>
                                },
                            )
                        }
                    })
            }}
        </Transition>
    }
}

/// The Settings forms' actions, made with the page.
#[derive(Clone, Copy)]
struct SettingsActions {
    rename: FormAction<RenameProject>,
    expiry: FormAction<SetInviteExpiry>,
    new_members: FormAction<SetNewMemberAccess>,
}

#[component]
fn SettingsForms(
    actions: SettingsActions,
    project: Memo<Option<crate::api::projects::ProjectContext>>,
) -> impl IntoView {
    let Some(start) = project.get_untracked() else {
        return Either::Left(());
    };
    let (rename, expiry) = (actions.rename, actions.expiry);
    let error = last_error(rename.value());
    let expiry_error = last_error(expiry.value());
    let typed = initial_query("name");
    let typed_days = initial_query("days");
    let name = if typed.is_empty() {
        start.name.clone()
    } else {
        typed
    };
    let days = if typed_days.is_empty() {
        start.invite_expiry_days.to_string()
    } else {
        typed_days
    };
    let deletable = can(&start.actor, Action::DeleteProject, Scope::Project);
    let (project_name, slug3) = (start.name.clone(), start.slug.clone());
    let (slug, slug2) = (start.slug.clone(), start.slug);
    Either::Right(view! {
        <main class="section">
            <h1>"Settings"</h1>
            <Notice />
            <p>
                <a href=format!("/p/{slug3}/settings/billing")>"Billing accounts and payment method"</a>
            </p>
            <section aria-labelledby="rename-heading">
                <h2 id="rename-heading">"Rename project"</h2>
                <ActionForm action=rename attr:novalidate=true attr:aria-label="Rename project">
                    <FormError error />
                    <input type="hidden" name="slug" value=slug />
                    <Field label="Project name" name="name" value=name error=field_error(error, "name") />
                    <button type="submit" class="primary">
                        "Save name"
                    </button>
                </ActionForm>
            </section>
            <section aria-labelledby="expiry-heading">
                <h2 id="expiry-heading">"Invitations"</h2>
                <ActionForm action=expiry attr:novalidate=true attr:aria-label="Invitation expiry">
                    <FormError error=expiry_error />
                    <input type="hidden" name="slug" value=slug2 />
                    <Field
                        label="Invitation links expire after (days)"
                        name="days"
                        kind="number"
                        value=days
                        hint="From 1 to 30 days. Applies to invitations sent from now on."
                        error=field_error(expiry_error, "days")
                    />
                    <button type="submit" class="primary">
                        "Save expiry"
                    </button>
                </ActionForm>
            </section>
            <NewMembersSection action=actions.new_members slug=slug3.clone() access=start.new_member_access />
            <AppearanceSection slug=slug3.clone() project />
            <AiSection slug=slug3.clone() />
            {deletable.then(|| view! { <DeleteSection slug=slug3 name=project_name /> })}
        </main>
    })
}

/// Seed 004: what a new member starts with, their role's every permission or none until
/// granted (from the Members page's permissions dialog).
#[component]
fn NewMembersSection(
    action: FormAction<SetNewMemberAccess>,
    slug: String,
    access: NewMemberAccess,
) -> impl IntoView {
    let error = last_error(action.value());
    view! {
        <section aria-labelledby="new-members-heading">
            <h2 id="new-members-heading">"New members"</h2>
            <ActionForm action attr:aria-label="New members">
                <FormError error />
                <input type="hidden" name="slug" value=slug />
                <fieldset>
                    <legend>"A member who joins starts with"</legend>
                    {NewMemberAccess::ALL
                        .iter()
                        .map(|choice| {
                            let id = format!("new-members-{}", choice.key());
                            view! {
                                <div class="check">
                                    <input type="radio" id=id.clone() name="access" value=choice.key() checked=*choice == access />
                                    <label for=id>{choice.label()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <p class="hint">"Applies to people who join from now on. Team Owners always have every permission."</p>
                </fieldset>
                <button type="submit" class="primary">"Save"</button>
            </ActionForm>
        </section>
    }
}

/// Settings → Appearance (seed 004, Workspace Customization): the primary colour (a swatch or a
/// hex code; white text must stay readable on it) and the logo (PNG, JPEG or WebP).
#[component]
fn AppearanceSection(
    slug: String,
    project: Memo<Option<crate::api::projects::ProjectContext>>,
) -> impl IntoView {
    let set_color = FormAction::<SetBrandColor>::new();
    let color_error = last_error(set_color.value());
    let remove = FormAction::<RemoveLogo>::new();
    let remove_error = last_error(remove.value());
    // The stored colour and logo follow the project (a save here, or one in another tab).
    let color =
        Memo::new(move |_| project.with(|p| p.as_ref().and_then(|p| p.brand_color.clone())));
    let logo = Memo::new(move |_| project.with(|p| p.as_ref().and_then(|p| p.logo.clone())));
    let typed = initial_query("color");
    let hex = if typed.is_empty() {
        color.get_untracked().unwrap_or_default()
    } else {
        typed
    };
    let current = move || color.get().unwrap_or_else(|| "Roster's own".to_owned());
    let (slug2, slug3) = (slug.clone(), slug.clone());
    let swatches = SWATCHES
        .iter()
        .enumerate()
        .map(|(i, (value, name))| {
            let slug = slug.clone();
            let chosen = move || (color.get().as_deref() == Some(*value)).to_string();
            view! {
                <ActionForm action=set_color attr:class="inline">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="color" value=*value />
                    <button type="submit" class=format!("swatch swatch-{i}") aria-pressed=chosen aria-label=format!("Use {name} ({value})")>
                        {*name}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="appearance-heading">
            <h2 id="appearance-heading">"Appearance"</h2>
            <h3>"Primary colour"</h3>
            <p class="hint">{move || format!("Now: {}. Links and buttons take it; white text must stay readable on it (at least {MIN_CONTRAST}:1).", current())}</p>
            <div class="swatches">{swatches}</div>
            <ActionForm action=set_color attr:novalidate=true attr:aria-label="Primary colour">
                <FormError error=color_error />
                <input type="hidden" name="slug" value=slug.clone() />
                <Field label="Hex code" name="color" value=hex hint="Such as #1F5FBF. Leave empty for Roster's own colour." error=field_error(color_error, "color") />
                <button type="submit" class="primary">"Save colour"</button>
            </ActionForm>
            <h3>"Logo"</h3>
            {move || logo.get().map(|v| {
                let slug2 = slug2.clone();
                view! {
                    <p><img class="logo preview" src=format!("/brand/{slug2}/logo.png?v={v}") alt="The current logo" /></p>
                    <ActionForm action=remove attr:aria-label="Remove logo">
                        <FormError error=remove_error />
                        <input type="hidden" name="slug" value=slug2 />
                        <button type="submit">"Remove logo"</button>
                    </ActionForm>
                }
            })}
            <LogoForm slug=slug3 />
        </section>
    }
}

/// The logo upload: a multipart form that works as it is without JavaScript; in the app it is
/// sent in place, and its error shows next to the field.
#[component]
fn LogoForm(slug: String) -> impl IntoView {
    let upload = leptos::prelude::Action::new_local(|data: &leptos::web_sys::FormData| {
        upload_logo(data.clone().into())
    });
    let error = last_error(upload.value());
    let query = leptos_router::hooks::use_query_map();
    // A refused plain-form upload comes back with its error in the address.
    let page_error = move || {
        query.with(|q| {
            q.get_str("__err")
                .filter(|_| q.get_str("__path") == Some(UploadLogo::PATH))
                .map(leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err)
        })
    };
    let message = move || {
        error
            .get()
            .or_else(page_error)
            .map(|e| e.for_field("logo").unwrap_or_else(|| e.to_string()))
    };
    view! {
        <form
            method="post"
            action=UploadLogo::url()
            enctype="multipart/form-data"
            aria-label="Upload logo"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                use leptos::wasm_bindgen::JsCast;
                ev.prevent_default();
                let Some(form) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok()) else {
                    return;
                };
                if let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) {
                    upload.dispatch_local(data);
                }
            }
        >
            <input type="hidden" name="slug" value=slug />
            <div class="field">
                <label for="logo-file">"Logo image"</label>
                <input id="logo-file" type="file" name="logo" accept="image/png,image/jpeg,image/webp" aria-describedby="logo-hint logo-error" />
                <p class="hint" id="logo-hint">"PNG, JPEG or WebP, at most 512 KB. Shown in the sidebar and the header, scaled to fit 256 × 256."</p>
                <p class="field-error" id="logo-error" role="alert">{message}</p>
            </div>
            <button type="submit" class="primary">"Upload logo"</button>
        </form>
    }
}

/// The AI section's actions and data, made with the page (not inside its boundary: a resource
/// made there gets another place in the order resources are matched to their server-rendered
/// data on each side, and the page then fails to hydrate).
#[derive(Clone, Copy)]
struct AiState {
    save: FormAction<SaveAiSettings>,
    test: FormAction<TestAiConnection>,
    settings: Resource<Result<crate::api::ai::AiSettingsView, AppError>>,
}

impl AiState {
    fn new() -> Self {
        let save = FormAction::<SaveAiSettings>::new();
        let test = FormAction::<TestAiConnection>::new();
        // Read again after a save that went through, not after a refused one: the form would be
        // built anew and lose what was typed.
        let saved = RwSignal::new(0u32);
        Effect::new(move |_| {
            if matches!(save.value().get(), Some(Ok(()))) {
                saved.update(|n| *n += 1);
            }
        });
        let slug = super::tickets::param("slug");
        let settings = resource(move || (slug(), saved.get()), |(slug, _)| ai_settings(slug));
        AiState {
            save,
            test,
            settings,
        }
    }
}

/// Settings → AI (seed 004, AI Settings): provider, model, API key (stored sealed, shown only
/// by its last four characters) and base URL, and a test call with what is stored.
#[component]
fn AiSection(slug: String) -> impl IntoView {
    let AiState {
        save,
        test,
        settings,
    } = expect_context::<AiState>();
    let error = last_error(save.value());
    let test_error = last_error(test.value());
    view! {
        <section aria-labelledby="ai-heading">
            <h2 id="ai-heading">"AI"</h2>
            <p class="hint">"The provider Roster calls for AI-assisted features (“Draft with AI” on Tickets). Off until a provider is saved."</p>
            <Suspense fallback=|| view! { <p>"Loading AI settings…"</p> }>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        settings.await.ok().map(|s| {
                            let typed = |k: &'static str, stored: String| {
                                let t = initial_query(k);
                                if t.is_empty() { stored } else { t }
                            };
                            let provider = typed("provider", s.provider.map(|p| p.key().to_owned()).unwrap_or_default());
                            let model = typed("model", s.model.clone());
                            let base_url = typed("base_url", s.base_url.clone());
                            let has_key = s.key.is_some();
                            let key_hint = s.key.clone().map_or("No key stored.".to_owned(), |k| format!("Stored: {k}. Leave empty to keep it."));
                            let configured = s.provider.is_some();
                            let test_slug = slug.clone();
                            view! {
                                <ActionForm action=save attr:novalidate=true attr:aria-label="AI settings">
                                    <FormError error />
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <div class="field">
                                        <label for="ai-provider">"Provider"</label>
                                        <select id="ai-provider" name="provider" aria-describedby="ai-provider-error">
                                            <option value="" selected=provider.is_empty()>"Choose a provider"</option>
                                            {AiProvider::ALL.iter().map(|p| view! { <option value=p.key() selected=provider == p.key()>{p.label()}</option> }).collect_view()}
                                        </select>
                                        <p class="field-error" id="ai-provider-error">{move || field_error(error, "provider").get()}</p>
                                    </div>
                                    <div class="field">
                                        <label for="ai-model">"Model"</label>
                                        <input id="ai-model" name="model" list="ai-models" value=model aria-describedby="ai-model-error" />
                                        <datalist id="ai-models">
                                            {AiProvider::ALL.iter().flat_map(|p| p.suggested_models().iter()).map(|m| view! { <option value=*m></option> }).collect_view()}
                                        </datalist>
                                        <p class="field-error" id="ai-model-error">{move || field_error(error, "model").get()}</p>
                                    </div>
                                    <div class="field">
                                        <label for="ai-key">"API key"</label>
                                        // Emptied each time the stored settings are shown again (a rebuilt view keeps its
                                        // elements, and with them what was typed).
                                        <input id="ai-key" name="api_key" type="password" autocomplete="off" prop:value="" aria-describedby="ai-key-hint ai-key-error" />
                                        <p class="hint" id="ai-key-hint">{key_hint}</p>
                                        <p class="field-error" id="ai-key-error">{move || field_error(error, "api_key").get()}</p>
                                    </div>
                                    {has_key.then(|| view! {
                                        <div class="check">
                                            <input type="checkbox" id="ai-clear-key" name="clear_key" value="1" />
                                            <label for="ai-clear-key">"Remove the stored key"</label>
                                        </div>
                                    })}
                                    <div class="field">
                                        <label for="ai-base-url">"Base URL"</label>
                                        <input id="ai-base-url" name="base_url" type="url" value=base_url aria-describedby="ai-base-url-hint ai-base-url-error" />
                                        <p class="hint" id="ai-base-url-hint">"Required for Ollama and Custom (e.g. http://localhost:11434/v1); the others have their own."</p>
                                        <p class="field-error" id="ai-base-url-error">{move || field_error(error, "base_url").get()}</p>
                                    </div>
                                    <button type="submit" class="primary">"Save AI settings"</button>
                                </ActionForm>
                                {configured.then(|| view! {
                                    <ActionForm action=test attr:aria-label="Test connection">
                                        <input type="hidden" name="slug" value=test_slug />
                                        <button type="submit">"Test connection"</button>
                                    </ActionForm>
                                })}
                            }
                        })
                    })
                }}
            </Suspense>
            <p class="form-error" role="alert">{move || test_error.get().map(|e| e.to_string())}</p>
        </section>
    }
}

/// Settings → Delete project (Team Owner only; the server checks again): typing the project's
/// name is the confirmation, with or without JavaScript.
#[component]
fn DeleteSection(slug: String, name: String) -> impl IntoView {
    let delete = FormAction::<DeleteProject>::new();
    let error = last_error(delete.value());
    view! {
        <section aria-labelledby="delete-heading" class="danger-zone">
            <h2 id="delete-heading">"Delete project"</h2>
            <p>
                {format!("Deleting {name} removes it for everyone, with its members, pending invitations and history. It cannot be undone. To confirm, type its name: {name}")}
            </p>
            <ActionForm action=delete attr:novalidate=true attr:aria-label="Delete project">
                <FormError error />
                <input type="hidden" name="slug" value=slug />
                <Field
                    label="Type the project's name to confirm"
                    name="confirm_name"
                    value=initial_query("confirm_name")
                    error=field_error(error, "confirm_name")
                />
                <button type="submit" class="danger">
                    "Delete project"
                </button>
            </ActionForm>
        </section>
    }
}
