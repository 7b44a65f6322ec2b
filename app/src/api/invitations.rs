//! The invitee's side: invitations addressed to the signed-in person, and the email link.

use crate::{domain::Role, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{
    accounts, dates,
    membership::{self, Answer},
    request::{app_state, finish, finish_form, require_session, session},
    session::hash_token,
    store::{invitations, members},
};

/// A row of Projects → Project Invitations (seed 000).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MyInvitation {
    pub id: String,
    pub project_name: String,
    pub role: Role,
    pub inviter: String,
    pub sent: String,
    /// When it expired (a day), if it has: shown with a Dismiss button instead of Accept.
    pub expired_on: Option<String>,
}

#[server(endpoint = "my_invitations")]
pub async fn my_invitations() -> Result<Vec<MyInvitation>, AppError> {
    finish(
        async {
            let user = require_session()?;
            let state = app_state()?;
            let now = state.clock.now_ms();
            // An unproven address sees none: the Projects page asks to confirm it instead.
            if !user.email_confirmed {
                return Ok(Vec::new());
            }
            Ok(invitations::pending_for_email(&state.db, &user.email)
                .await?
                .into_iter()
                .map(|i| MyInvitation {
                    id: i.id,
                    project_name: i.project_name,
                    role: i.role,
                    inviter: i.inviter_name,
                    sent: dates::day(i.sent_at),
                    expired_on: (i.expires_at <= now).then(|| dates::day(i.expires_at)),
                })
                .collect())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn answer_by_id(
    id: &str,
    accept: bool,
) -> Result<(Answer, invitations::InvitationRow), AppError> {
    let user = require_session()?;
    accounts::require_confirmed(&user)?;
    let state = app_state()?;
    let invitation = invitations::pending_for_email(&state.db, &user.email)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| {
            AppError::NotFound("That invitation is no longer waiting for you.".into())
        })?;
    let answer = membership::answer(&state, &user, &invitation, accept).await?;
    Ok((answer, invitation))
}

/// Back to the Projects page with a confirmation for the person.
#[cfg(feature = "ssr")]
fn back_to_projects(notice: &str) {
    crate::ssr::request::redirect_with_notice("/projects", Some(notice));
}

/// Accept from the Projects table: the project moves to Shared Projects.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(invitation_id: String) -> Result<String, AppError> {
    let result = async {
        match answer_by_id(&invitation_id, true).await? {
            (Answer::Accepted { slug }, invitation) => {
                back_to_projects(&format!(
                    "You joined {} as {}. It is now under Shared Projects.",
                    invitation.project_name, invitation.role
                ));
                Ok(slug)
            }
            (Answer::Declined, _) => Err(AppError::Internal),
        }
    }
    .await;
    finish_form(AcceptInvitation::PATH, &[], result)
}

#[server(endpoint = "decline_invitation")]
pub async fn decline_invitation(invitation_id: String) -> Result<(), AppError> {
    let result = async {
        let now = app_state()?.clock.now_ms();
        let (_, invitation) = answer_by_id(&invitation_id, false).await?;
        back_to_projects(&if invitation.expires_at <= now {
            format!(
                "You dismissed the expired invitation to {}.",
                invitation.project_name
            )
        } else {
            format!(
                "You declined the invitation to {}.",
                invitation.project_name
            )
        });
        Ok(())
    }
    .await;
    finish_form(DeclineInvitation::PATH, &[], result)
}

/// What the email link's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationLanding {
    /// Signed in with the invited address: joined just now (or earlier).
    Joined {
        slug: String,
        project_name: String,
        role: Role,
    },
    /// Not signed in: who invited whom to what, and where to sign in or register.
    SignInFirst {
        project_name: String,
        role: Role,
        inviter: String,
        email: String,
    },
    /// Signed in as somebody else: the invitation stays pending.
    WrongAccount {
        project_name: String,
        invited: String,
        signed_in_as: String,
    },
    /// Expired, used, declined or cancelled, with the reason.
    Unavailable { message: String },
}

/// What the page of a cancelled or replaced link says (seed 001): which project, and what to do.
#[cfg(feature = "ssr")]
fn retired_message(link: &invitations::RetiredLink) -> String {
    let (project, email, inviter) = (&link.project_name, &link.email, &link.inviter_name);
    match link.why {
        invitations::Retired::Cancelled => format!(
            "The invitation to {project} for {email} was cancelled. If you still need access, ask a Team Owner or Team Admin of {project} to invite you again."
        ),
        invitations::Retired::Replaced => format!(
            "This link to join {project} was replaced by a newer one when the invitation to {email} was sent again. Open the most recent invitation email for {project}, or ask {inviter} to resend it."
        ),
    }
}

/// The email link (`/invite/<token>`): visiting it signed in with the invited address joins the
/// project (seed 000: "auto-accepts on visit").
#[server(endpoint = "open_invitation")]
pub async fn open_invitation(token: String) -> Result<InvitationLanding, AppError> {
    finish(
        async {
            let state = app_state()?;
            let unavailable = |m: &str| Ok(InvitationLanding::Unavailable { message: m.to_owned() });
            let hash = hash_token(&token);
            let Some(invitation) = invitations::by_token_hash(&state.db, &hash).await? else {
                return match invitations::retired_link(&state.db, &hash).await? {
                    Some(link) => unavailable(&retired_message(&link)),
                    None => unavailable("This invitation link is not valid. Check that the whole link was copied from the email, or ask the project for a new invitation."),
                };
            };
            let Some(user) = session() else {
                if invitation.status != "pending" {
                    return unavailable("This invitation was already used. Sign in to open the project.");
                }
                if invitation.expires_at <= state.clock.now_ms() {
                    return unavailable(&membership::expired(&invitation).to_string());
                }
                return Ok(InvitationLanding::SignInFirst {
                    project_name: invitation.project_name,
                    role: invitation.role,
                    inviter: invitation.inviter_name,
                    email: invitation.email,
                });
            };
            if user.email != invitation.email {
                return Ok(InvitationLanding::WrongAccount {
                    project_name: invitation.project_name,
                    invited: invitation.email,
                    signed_in_as: user.email,
                });
            }
            // The link was mailed to this address: opening it proves the address is theirs.
            if invitation.status == "pending" && invitation.expires_at > state.clock.now_ms() {
                accounts::proven_by_invitation(&state, &user).await?;
            }
            match membership::answer(&state, &user, &invitation, true).await {
                Ok(Answer::Accepted { slug }) => {
                    let mut tx = state.db.begin().await?;
                    let role = members::find(&mut tx, &invitation.project_id, &user.user_id)
                        .await?
                        .map(|m| m.role)
                        .unwrap_or(invitation.role);
                    tx.commit().await?;
                    Ok(InvitationLanding::Joined { slug, project_name: invitation.project_name, role })
                }
                Ok(Answer::Declined) => unavailable("This invitation was declined."),
                Err(e @ (AppError::Gone(_) | AppError::NotFound(_))) => unavailable(&e.to_string()),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}
