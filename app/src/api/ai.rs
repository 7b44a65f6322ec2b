//! A project's AI settings (Settings → AI; seed 004) and the one feature that uses them: "Draft
//! with AI" on the Tickets page.

use crate::{domain::AiProvider, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::{can, Action, Scope},
    domain::{AiModel, MessageBody, TicketSubject},
    error::FieldErrors,
    ssr::{
        ai::{draft_prompt, parse_draft, Provider},
        authorize, dates,
        request::{app_state, finish, finish_form, redirect_with_notice},
        store::{
            activity::{self, Kind},
            ai::{self as store, KeyChange},
            services,
        },
    },
};

/// What Settings → AI shows. The key itself never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiSettingsView {
    pub provider: Option<AiProvider>,
    pub model: String,
    pub base_url: String,
    /// "…f3a9, set 28 Nov 2026", when a key is stored.
    pub key: Option<String>,
}

/// A ticket drafted from a short description; the person edits it before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDraft {
    pub subject: String,
    pub body: String,
}

#[server(endpoint = "ai_settings")]
pub async fn ai_settings(slug: String) -> Result<AiSettingsView, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::EditSettings).await?;
            let row = store::get(&app_state()?.db, &project.project_id).await?;
            Ok(match row {
                None => AiSettingsView {
                    provider: None,
                    model: String::new(),
                    base_url: String::new(),
                    key: None,
                },
                Some(r) => AiSettingsView {
                    provider: Some(r.provider),
                    model: r.model,
                    base_url: r.base_url.unwrap_or_default(),
                    key: r.key_last4.map(|last4| {
                        let when = r.key_set_at.map(dates::day).unwrap_or_default();
                        format!("…{last4}, set {when}")
                    }),
                },
            })
        }
        .await,
    )
}

/// Saves the provider, model and base URL; `api_key` replaces the stored key when given (empty
/// keeps it), `clear_key` removes it. The key is sealed before it is stored.
#[server(endpoint = "save_ai_settings")]
pub async fn save_ai_settings(
    slug: String,
    provider: String,
    model: String,
    base_url: String,
    api_key: String,
    #[server(default)] clear_key: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::EditSettings).await?;
        let mut errors = FieldErrors::default();
        let parsed_provider = errors.check(
            "provider",
            if provider.trim().is_empty() {
                Err("Choose a provider.".to_owned())
            } else {
                AiProvider::parse(&provider)
            },
        );
        let parsed_model = errors.check("model", AiModel::parse(&model));
        let url = errors.check("base_url", parse_base_url(&base_url, parsed_provider));
        let key = api_key.trim();
        let key_ok = errors.check(
            "api_key",
            if key.chars().count() > 500 || !key.bytes().all(|b| b.is_ascii_graphic()) {
                Err("An API key is one line of visible characters, at most 500.".to_owned())
            } else {
                Ok(())
            },
        );
        let (Some(provider), Some(model), Some(url), Some(())) =
            (parsed_provider, parsed_model, url, key_ok)
        else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        let now = state.clock.now_ms();
        let sealed = (!key.is_empty()).then(|| state.secrets.seal(key, &project.project_id));
        let last4: String = key
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let change = match (&sealed, clear_key.is_some()) {
            (Some(sealed), _) => KeyChange::Replace(sealed, &last4),
            (None, true) => KeyChange::Clear,
            (None, false) => KeyChange::Keep,
        };
        let mut tx = authorize::lock_for(
            &state.db,
            &project.project_id,
            &user,
            Action::EditSettings,
            Scope::Project,
        )
        .await?;
        // Read under the lock, in the transaction: what the change replaces is what was stored
        // when it was made, and a save never waits for a second connection while it holds one.
        let had_key = store::get(&mut *tx, &project.project_id)
            .await?
            .is_some_and(|r| r.key_sealed.is_some());
        let key_kind = match change {
            KeyChange::Replace(..) => Some(Kind::AiKeyReplaced),
            KeyChange::Clear if had_key => Some(Kind::AiKeyCleared),
            _ => None,
        };
        store::save(
            &mut tx,
            &project.project_id,
            provider,
            model.as_str(),
            url.as_deref(),
            change,
            now,
        )
        .await?;
        let who = (Some(user.user_id.as_str()), user.name.as_str());
        let what = format!("{provider}, {model}");
        activity::record_thing(
            &mut tx,
            &project.project_id,
            Kind::AiSettingsChanged,
            who,
            &what,
            None,
            now,
        )
        .await?;
        if let Some(kind) = key_kind {
            // Never the key, nor any part of it.
            activity::record_thing(
                &mut tx,
                &project.project_id,
                kind,
                who,
                "the API key",
                None,
                now,
            )
            .await?;
        }
        state.live.commit(tx, &project.project_id).await?;
        redirect_with_notice(&format!("/p/{slug}/settings"), Some("AI settings saved."));
        Ok(())
    }
    .await;
    finish_form(
        SaveAiSettings::PATH,
        &[
            ("provider", &provider),
            ("model", &model),
            ("base_url", &base_url),
        ],
        result,
    )
}

/// A base URL: required for Ollama and Custom, optional otherwise; http(s) only.
#[cfg(feature = "ssr")]
fn parse_base_url(raw: &str, provider: Option<AiProvider>) -> Result<Option<String>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return match provider {
            Some(p) if p.needs_base_url() => Err(format!(
                "{p} needs a base URL, such as http://localhost:11434/v1."
            )),
            _ => Ok(None),
        };
    }
    let url = url::Url::parse(raw)
        .map_err(|_| "Enter a full address, such as https://llm.example.com/v1.")?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("The base URL must start with http:// or https:// and name a host.".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Put credentials in the API key field, not in the address.".into());
    }
    Ok(Some(url.as_str().trim_end_matches('/').to_owned()))
}

/// The project's provider with its key opened, or why there is none to call.
#[cfg(feature = "ssr")]
async fn provider_of(project_id: &str) -> Result<Provider, AppError> {
    let state = app_state()?;
    let row = store::get(&state.db, project_id).await?.ok_or_else(|| {
        AppError::conflict("", "AI is not set up for this project: a Team Owner or Team Admin can set it up in Settings → AI.")
    })?;
    let api_key = match &row.key_sealed {
        Some(sealed) => Some(state.secrets.open(sealed, project_id).ok_or_else(|| {
            tracing::error!(project_id, "a stored AI key does not open with this server's key");
            AppError::conflict("api_key", "The stored API key cannot be read (the server's secret key changed). Enter it again.")
        })?),
        None => None,
    };
    Ok(Provider {
        provider: row.provider,
        model: row.model,
        base_url: row.base_url,
        api_key,
    })
}

/// Calls the provider with the stored settings and says how it went (as a notice on the
/// Settings page, with or without JavaScript).
#[server(endpoint = "test_ai_connection")]
pub async fn test_ai_connection(slug: String) -> Result<String, AppError> {
    let result = async {
        let (_, project) = authorize::project_action(&slug, Action::EditSettings).await?;
        let p = provider_of(&project.project_id).await?;
        let state = app_state()?;
        state.throttle.ai_call(&project.project_id)?;
        let answer = state
            .ai
            .complete(
                &p,
                "You are a connection test.",
                "Reply with the word OK.",
                10,
            )
            .await
            .map_err(AppError::Provider)?;
        let answer: String = answer.trim().chars().take(60).collect();
        let said = format!(
            "Connected: {} ({}) answered “{answer}”.",
            p.provider, p.model
        );
        redirect_with_notice(&format!("/p/{slug}/settings"), Some(&said));
        Ok(said)
    }
    .await;
    finish_form(TestAiConnection::PATH, &[], result)
}

/// Turns a short description into a ticket's subject and body, with the project's services (those
/// the caller may see) as context.
#[server(endpoint = "draft_ticket")]
pub async fn draft_ticket(slug: String, description: String) -> Result<TicketDraft, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::UseTickets).await?;
            let description = MessageBody::parse(&description)
                .map_err(|m| AppError::invalid("description", m))?;
            let p = provider_of(&project.project_id).await?;
            let state = app_state()?;
            state.throttle.ai_call(&project.project_id)?;
            let actor = project.actor;
            let context: Vec<String> = if can(&actor, Action::ViewServices, Scope::Project) {
                services::list(&state.db, &project.project_id)
                    .await?
                    .into_iter()
                    .filter(|s| can(&actor, Action::ViewServices, Scope::Service(&s.id)))
                    .map(|s| {
                        format!(
                            "- {} ({}, {}, {})",
                            s.name,
                            s.kind.label(),
                            s.plan,
                            s.status.label()
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let (system, prompt) = draft_prompt(description.as_str(), &context);
            let answer = state
                .ai
                .complete(&p, &system, &prompt, 800)
                .await
                .map_err(AppError::Provider)?;
            let (subject, body) = parse_draft(&answer);
            // What the model wrote must pass as a ticket would; cut the subject to fit.
            let subject: String = subject.chars().take(120).collect();
            let subject = TicketSubject::parse(&subject).map_err(|_| {
                AppError::Provider(
                    "The model's draft had no usable subject; try again or write it yourself."
                        .into(),
                )
            })?;
            let body = MessageBody::parse(&body).map_err(|_| {
                AppError::Provider(
                    "The model's draft had no usable message; try again or write it yourself."
                        .into(),
                )
            })?;
            Ok(TicketDraft {
                subject: subject.to_string(),
                body: body.to_string(),
            })
        }
        .await,
    )
}
