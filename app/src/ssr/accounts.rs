//! The rules of accounts (issue 9): signing up without telling anyone which addresses have an
//! account, and proving an address before invitations sent to it count.

use super::{
    mail,
    session::{hash_token, new_token, SessionUser},
    state::AppState,
    store::{
        confirmations, invitations,
        outbox::{self, MailKind},
        users::{self, Registration},
    },
};
use crate::{
    domain::{Email, PersonName, Slug},
    error::AppError,
};
use sqlx::{Any, Transaction};

const HOUR_MS: i64 = 3600 * 1000;
/// A confirmation link works for a day.
pub const CONFIRMATION_LIFETIME_MS: i64 = 24 * HOUR_MS;
/// Account emails (confirmations, "you already have an account") one address receives per hour;
/// beyond it, sign-ups for the address still answer as usual but send nothing.
pub const ACCOUNT_MAILS_PER_HOUR: i64 = 5;
/// A new confirmation link at most this often.
pub const RESEND_INTERVAL_MS: i64 = 60 * 1000;

pub enum SignedUp {
    /// The address was proven by the invitation link the person came from: signed in at once.
    Proven {
        user_id: String,
        first_project: Slug,
    },
    /// A confirmation link (or, for an address that has an account, a note to its owner) is on
    /// its way; the answer is the same either way.
    CheckEmail,
}

pub async fn sign_up(
    state: &AppState,
    name: &PersonName,
    email: &Email,
    password_hash: &str,
    invitation_token: Option<&str>,
) -> Result<SignedUp, AppError> {
    let now = state.clock.now_ms();
    let proven = match invitation_token {
        Some(token) => invitation_proves(state, token, email, now).await?,
        None => false,
    };
    let mut tx = state.db.begin().await?;
    let (outcome, wrote) =
        match users::register(&mut tx, name, email, password_hash, proven, now).await? {
            Registration::EmailTaken => {
                let note = mail::already_registered(email.as_str(), state.link("/signin"));
                (SignedUp::CheckEmail, send(&mut tx, &note, now).await?)
            }
            Registration::Created {
                user_id,
                first_project,
            } if proven => (
                SignedUp::Proven {
                    user_id,
                    first_project,
                },
                false,
            ),
            Registration::Created { user_id, .. } => {
                let wrote =
                    new_link(state, &mut tx, &user_id, name.as_str(), email.as_str(), now).await?;
                (SignedUp::CheckEmail, wrote)
            }
        };
    tx.commit().await?;
    if wrote {
        state.mail_wake.notify_one();
    }
    Ok(outcome)
}

/// A pending, unexpired invitation to exactly this address was opened through its link: the
/// person read that address's mail.
async fn invitation_proves(
    state: &AppState,
    token: &str,
    email: &Email,
    now: i64,
) -> Result<bool, AppError> {
    Ok(invitations::by_token_hash(&state.db, &hash_token(token))
        .await?
        .is_some_and(|i| i.status == "pending" && i.expires_at > now && i.email == email.as_str()))
}

/// Writes account mail unless the address already had its hourly share (then nothing: the
/// person at the form must not learn more from a refusal than from a success).
async fn send(
    tx: &mut Transaction<'_, Any>,
    message: &mail::Message,
    now: i64,
) -> Result<bool, AppError> {
    if outbox::count_to(tx, MailKind::Account, &message.to, now - HOUR_MS).await?
        >= ACCOUNT_MAILS_PER_HOUR
    {
        tracing::warn!("account mail limit reached for an address; not sending");
        return Ok(false);
    }
    outbox::enqueue(tx, MailKind::Account, message, now).await?;
    Ok(true)
}

/// A new confirmation link for the account, replacing any earlier one.
async fn new_link(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    name: &str,
    email: &str,
    now: i64,
) -> Result<bool, AppError> {
    let (token, token_hash) = new_token();
    let expires_at = now + CONFIRMATION_LIFETIME_MS;
    confirmations::replace(tx, &token_hash, user_id, email, now, expires_at).await?;
    let link = state.link(&format!("/confirm/{token}"));
    send(
        tx,
        &mail::confirm_address(email, name, link, expires_at),
        now,
    )
    .await
}

/// Sends a signed-in person whose address is not proven yet a new confirmation link.
pub async fn resend(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    if user.email_confirmed {
        return Err(AppError::invalid("", "Your address is already confirmed."));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.begin().await?;
    users::lock(&mut tx, &user.user_id).await?;
    if let Some(last) = confirmations::last_sent(&mut tx, &user.user_id).await? {
        if now - last < RESEND_INTERVAL_MS {
            return Err(AppError::RateLimited(
                "We sent you a link less than a minute ago. Check your inbox (and spam folder), or try again in a minute."
                    .into(),
            ));
        }
    }
    if !new_link(state, &mut tx, &user.user_id, &user.name, &user.email, now).await? {
        return Err(AppError::RateLimited(format!(
            "We already sent {ACCOUNT_MAILS_PER_HOUR} emails to {} in the last hour. Try again later.",
            user.email
        )));
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// What a confirmation link is about, shown before it is used.
pub async fn link_address(state: &AppState, token: &str) -> Result<String, AppError> {
    let row = confirmations::by_token_hash(&state.db, &hash_token(token))
        .await?
        .ok_or_else(unknown_link)?;
    if row.expires_at <= state.clock.now_ms() {
        return Err(expired_link());
    }
    Ok(row.email)
}

/// Uses a confirmation link: the account's address is proven. Returns the account.
///
/// The link proves the mailbox, the password proves the account: without it, whoever
/// registered someone else's address could have its owner confirm it for them (a Resend
/// mails the owner a genuine link) and then take the invitations sent to it. Every other
/// session of the account ends, so one opened before the address was proven is gone.
pub async fn confirm(
    state: &AppState,
    token: &str,
    password: &str,
    ip: Option<std::net::IpAddr>,
) -> Result<String, AppError> {
    let token_hash = hash_token(token);
    let row = confirmations::by_token_hash(&state.db, &token_hash)
        .await?
        .ok_or_else(unknown_link)?;
    if row.expires_at <= state.clock.now_ms() {
        return Err(expired_link());
    }
    state.throttle.sign_in(&row.email, ip)?;
    let stored = users::password_hash(&state.db, &row.user_id).await?;
    if password.is_empty()
        || password.chars().count() > crate::domain::Password::MAX_LEN
        || !super::password_hash::verify(password.to_owned(), stored).await?
    {
        return Err(AppError::invalid(
            "password",
            "That is not this account's password. Enter the one you chose when you signed up.",
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.begin().await?;
    let row = confirmations::take(&mut tx, &token_hash)
        .await?
        .ok_or_else(unknown_link)?;
    if row.expires_at <= now {
        return Err(expired_link());
    }
    if !users::confirm_email(&mut tx, &row.user_id, &row.email, now).await? {
        return Err(unknown_link());
    }
    confirmations::delete_for_user(&mut tx, &row.user_id).await?;
    let ended = users::end_sessions(&mut tx, &row.user_id).await?;
    tx.commit().await?;
    for session in ended {
        state.live.session_ended(&state.db, &session).await;
    }
    Ok(row.user_id)
}

/// The person opened an invitation link sent to their account's address: that proves it.
pub async fn proven_by_invitation(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    if user.email_confirmed {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    users::confirm_email(&mut tx, &user.user_id, &user.email, state.clock.now_ms()).await?;
    confirmations::delete_for_user(&mut tx, &user.user_id).await?;
    tx.commit().await?;
    Ok(())
}

fn unknown_link() -> AppError {
    AppError::NotFound(
        "This confirmation link is not valid: it was already used, or replaced by a newer one. Sign in and send yourself a new link from Projects if your address is not confirmed yet."
            .into(),
    )
}

fn expired_link() -> AppError {
    AppError::Gone(
        "This confirmation link has expired. Sign in and send yourself a new one from Projects."
            .into(),
    )
}

/// Refuses what needs a proven address.
pub fn require_confirmed(user: &SessionUser) -> Result<(), AppError> {
    if user.email_confirmed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "Confirm your address first: open the link we sent to {}, or send yourself a new one from Projects. Invitations to it reach you once it is confirmed.",
            user.email
        )))
    }
}
