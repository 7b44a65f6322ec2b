use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::{Email, Password, PersonName},
    error::FieldErrors,
    ssr::{
        accounts::{self, SignedUp},
        password_hash,
        request::{self, app_state, finish_form, safe_next},
        session,
        state::AppState,
        store::{projects, sessions, users},
    },
};

/// The signed-in person as the browser may know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    /// The address is proven; until it is, invitations sent to it wait.
    pub confirmed: bool,
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    Ok(request::session().map(|s| Me {
        name: s.name,
        email: s.email,
        confirmed: s.email_confirmed,
    }))
}

/// Registers an account and its first project (seed 000). The answer never tells whether the
/// address already had an account (issue 9): either way the person is asked to open the link
/// emailed to the address, and its owner gets either that link or a note that they have an
/// account. Coming from an invitation link sent to the address, that link proved it: signed in
/// at once and on to the invitation.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let mut errors = FieldErrors::default();
        let parsed_name = errors.check("name", PersonName::parse(&name));
        let parsed_email = errors.check("email", Email::parse(&email));
        let parsed_password = errors.check("password", Password::parse(&password));
        let (Some(name), Some(email), Some(password)) =
            (parsed_name, parsed_email, parsed_password)
        else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        state.throttle.sign_up(request::client_ip())?;
        let next = next.filter(|n| !n.is_empty()).map(|n| safe_next(Some(&n)));
        let invitation_token = next
            .as_deref()
            .and_then(|n| n.strip_prefix("/invite/"))
            .and_then(|t| t.split(['?', '#', '/']).next());
        let hash = password_hash::hash(password).await?;
        match accounts::sign_up(&state, &name, &email, &hash, invitation_token).await? {
            SignedUp::Proven {
                user_id,
                first_project,
            } => {
                start_session(&state, &user_id).await?;
                leptos_axum::redirect(&next.unwrap_or_else(|| format!("/p/{first_project}")));
            }
            SignedUp::CheckEmail => leptos_axum::redirect("/signup/sent"),
        }
        Ok(())
    }
    .await;
    finish_form(SignUp::PATH, &[("name", &name), ("email", &email)], result)
}

/// The address a confirmation link (`/confirm/<token>`) is for, shown before it is used: opening
/// the link changes nothing, so a mail scanner that follows it confirms nothing.
#[server(endpoint = "confirmation_address")]
pub async fn confirmation_address(token: String) -> Result<String, AppError> {
    request::finish(
        async {
            let state = app_state()?;
            accounts::link_address(&state, &token).await
        }
        .await,
    )
}

/// Uses a confirmation link with the account's password: the address is proven, the browser is
/// signed in to that account, and lands on its first project.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String, password: String) -> Result<(), AppError> {
    let result = async {
        let state = app_state()?;
        let user_id = accounts::confirm(&state, &token, &password, request::client_ip()).await?;
        start_session(&state, &user_id).await?;
        let landing = projects::first_owned(&state.db, &user_id)
            .await?
            .map(|slug| format!("/p/{slug}"))
            .unwrap_or_else(|| "/projects".to_owned());
        leptos_axum::redirect(&landing);
        Ok(())
    }
    .await;
    finish_form(ConfirmEmail::PATH, &[], result)
}

/// A new confirmation link for the signed-in person's address.
#[server(endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    let result = async {
        let user = request::require_session()?;
        let state = app_state()?;
        accounts::resend(&state, &user).await?;
        request::redirect_with_notice(
            "/projects",
            Some(&format!(
                "We sent a new confirmation link to {}. It works for 24 hours.",
                user.email
            )),
        );
        Ok(())
    }
    .await;
    finish_form(ResendConfirmation::PATH, &[], result)
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let mut errors = FieldErrors::default();
        let parsed_email = errors.check("email", Email::parse(&email));
        let password_given = errors.check(
            "password",
            if password.is_empty() {
                Err("Enter your password.".to_owned())
            } else if password.chars().count() > Password::MAX_LEN {
                // Not worth hashing: no stored password is this long.
                Err(format!(
                    "A password can be at most {} characters long.",
                    Password::MAX_LEN
                ))
            } else {
                Ok(())
            },
        );
        let (Some(email), Some(())) = (parsed_email, password_given) else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        state
            .throttle
            .sign_in(email.as_str(), request::client_ip())?;
        let credentials = users::credentials(&state.db, &email).await?;
        let user_id = credentials.as_ref().map(|c| c.user_id.clone());
        let verified =
            password_hash::verify(password.clone(), credentials.map(|c| c.password_hash)).await?;
        match (verified, user_id) {
            (true, Some(user_id)) => {
                start_session(&state, &user_id).await?;
                leptos_axum::redirect(&safe_next(next.as_deref()));
                Ok(())
            }
            _ => Err(AppError::BadCredentials),
        }
    }
    .await;
    finish_form(SignIn::PATH, &[("email", &email)], result)
}

/// Ends this browser's session; `next` (a path inside Roster) is where to go afterwards, e.g.
/// back to an invitation to sign in with the invited address.
#[server(endpoint = "sign_out")]
pub async fn sign_out(next: Option<String>) -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(current) = request::session() {
        sessions::delete(&state.db, &current.token_hash).await?;
        state
            .live
            .session_ended(&state.db, &current.token_hash)
            .await;
    }
    request::set_cookie(&session::clearing_cookie(&state));
    match next.filter(|n| !n.is_empty()) {
        Some(next) => leptos_axum::redirect(&safe_next(Some(&next))),
        None => leptos_axum::redirect("/signin"),
    }
    Ok(())
}

/// Replaces whatever session the browser had with a brand-new one: a fresh id at every sign-in
/// means a token planted before sign-in is worthless after it.
#[cfg(feature = "ssr")]
async fn start_session(state: &AppState, user_id: &str) -> Result<(), AppError> {
    if let Some(previous) = request::session() {
        sessions::delete(&state.db, &previous.token_hash).await?;
        state
            .live
            .session_ended(&state.db, &previous.token_hash)
            .await;
    }
    let (token, token_hash) = session::new_token();
    sessions::create(&state.db, &token_hash, user_id, state.clock.now_ms()).await?;
    request::set_cookie(&session::session_cookie(state, &token));
    Ok(())
}
