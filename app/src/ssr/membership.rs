//! The rules of membership changes, run inside one transaction that holds the project lock:
//! who may do what (the access table), the last Owner, invitations' lifecycle, the activity
//! record and the email to send. Server functions call these after authenticating.

use super::{
    database::Db,
    live::Hub,
    mail,
    session::{hash_token, new_token, SessionUser},
    state::AppState,
    store::{
        activity::{self, Entry, Kind, Subject},
        invitations::{self, InvitationRow, NewInvitation, Retired},
        members::{self, MemberRow},
        outbox::{self, MailKind},
        projects::Membership,
        role_questions,
    },
};
use crate::{
    access::{check_member_change, Actor},
    domain::{Email, Role},
    error::{AppError, FieldError},
};
use sqlx::{Any, Transaction};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Invitations (new or re-sent) one project may send per hour.
pub const INVITATIONS_PER_HOUR: i64 = 100;
/// Invitations (new or re-sent) one person may send per hour, across all their projects.
pub const INVITATIONS_PER_ACCOUNT_PER_HOUR: i64 = 200;
/// Project emails (invitations, role changes, removals) one address may receive per hour.
pub const MAILS_TO_ADDRESS_PER_HOUR: i64 = 10;
/// How long a role-change email waits for further changes to fold in.
pub const ROLE_MAIL_DELAY_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 3600 * 1000;

/// The caller's membership, read again under the lock: a role changed a moment ago counts.
async fn me(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    user: &SessionUser,
) -> Result<MemberRow, AppError> {
    members::find(tx, &project.project_id, &user.user_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("You are no longer a member of this project.".into()))
}

fn allowed(me: &MemberRow, from: Option<Role>, to: Option<Role>) -> Result<(), AppError> {
    check_member_change(&me.actor(), from, to).map_err(|d| AppError::Forbidden(d.message(me.role)))
}

fn last_owner(name: &str) -> AppError {
    AppError::conflict(
        "",
        format!("{name} is the project's last Team Owner. Make another member Team Owner first: a project always has at least one."),
    )
}

/// Refuses a change that would take away the project's last Owner. Runs under the project
/// lock, so two such changes cannot both see "another Owner is left".
async fn keep_an_owner(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    member: &MemberRow,
    refusal: impl FnOnce() -> AppError,
) -> Result<(), AppError> {
    if member.role == Role::Owner && members::owner_count(tx, &project.project_id).await? <= 1 {
        Err(refusal())
    } else {
        Ok(())
    }
}

async fn target(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    user_id: &str,
) -> Result<MemberRow, AppError> {
    let found = if super::store::is_id(user_id) {
        members::find(tx, &project.project_id, user_id).await?
    } else {
        None
    };
    found.ok_or_else(|| AppError::NotFound("That person is not a member of this project.".into()))
}

/// Commits a membership change, then wakes the mail worker (if it wrote mail) and the live
/// streams of the project.
async fn commit(
    state: &AppState,
    tx: Transaction<'_, Any>,
    project_id: &str,
    mail_written: bool,
) -> Result<(), AppError> {
    state.live.commit(tx, project_id).await?;
    if mail_written {
        state.mail_wake.notify_one();
    }
    Ok(())
}

pub async fn change_role(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
    target_id: &str,
    role: Role,
    answer: Option<&str>,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &project.project_id).await?;
    let me = me(&mut tx, project, user).await?;
    let target = target(&mut tx, project, target_id).await?;
    allowed(&me, Some(target.role), Some(role))?;
    if target.role == role {
        return Ok(());
    }
    if target.role == Role::Owner || role == Role::Owner {
        let answered = match answer {
            Some(token) => {
                role_questions::take(
                    &mut tx,
                    &hash_token(token),
                    &user.token_hash,
                    &project.project_id,
                    &target.user_id,
                    target.role,
                    role,
                    now,
                )
                .await?
            }
            None => false,
        };
        if !answered {
            // Nothing changed: let the transaction go, then ask (again).
            drop(tx);
            return Err(ask_about_owner(state, project, user, &target, role, now).await?);
        }
    }
    keep_an_owner(&mut tx, project, &target, || last_owner(&target.name)).await?;
    members::set_role(&mut tx, &project.project_id, &target.user_id, role).await?;
    cancel_beyond_role(&mut tx, project, &target, role, &me, now).await?;
    activity::record(
        &mut tx,
        Entry {
            project_id: &project.project_id,
            kind: Kind::RoleChanged,
            actor_id: Some(&me.user_id),
            actor_name: &me.name,
            subject: Subject::member(&target.user_id, &target.name, &target.email),
            old_value: Some(target.role.key()),
            new_value: Some(role.key()),
            now,
        },
    )
    .await?;
    if target.user_id != me.user_id {
        tell_role_change(state, &mut tx, project, &me, &target, role, now).await?;
    }
    // The email waits a minute (folding), so the worker need not be woken.
    commit(state, tx, &project.project_id, false).await
}

/// A member hears of a role change a minute later, in one email however many changes that
/// minute saw (issue 9: role changes cannot be turned into a stream of emails); changed back to
/// where it started, they hear nothing.
async fn tell_role_change(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    me: &MemberRow,
    target: &MemberRow,
    role: Role,
    now: i64,
) -> Result<(), AppError> {
    let key = format!("role:{}:{}", project.project_id, target.user_id);
    let link = state.link(&format!("/p/{}", project.slug));
    let message = |from: Role| {
        mail::role_changed(
            &target.email,
            &project.name,
            &me.name,
            from,
            role,
            link.clone(),
        )
    };
    if let Some((id, from)) = outbox::waiting_under(tx, &key, now).await? {
        let from = Role::parse(&from).unwrap_or(target.role);
        let folded = (from != role).then(|| message(from));
        if outbox::fold(tx, &id, folded.as_ref()).await? {
            return Ok(());
        }
    }
    outbox::enqueue_foldable(
        tx,
        &message(target.role),
        now,
        now + ROLE_MAIL_DELAY_MS,
        &key,
        target.role.key(),
    )
    .await?;
    Ok(())
}

/// Whether `n` more invitations fit this hour's limits: the project's, and the sender's across
/// all their projects (so one person cannot spread a mailing over many projects).
async fn invitation_budget(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    me: &MemberRow,
    n: i64,
    now: i64,
) -> Result<(), AppError> {
    let since = now - HOUR_MS;
    // The sender's own count spans projects, which the project lock does not cover.
    super::store::users::lock(tx, &me.user_id).await?;
    let sent = invitations::sent_since(tx, &project.project_id, since).await?;
    if sent + n > INVITATIONS_PER_HOUR {
        return Err(AppError::RateLimited(format!(
            "This project can send at most {INVITATIONS_PER_HOUR} invitations an hour and has sent {sent}. Try again later."
        )));
    }
    let mine = invitations::sent_by_since(tx, &me.user_id, since).await?;
    if mine + n > INVITATIONS_PER_ACCOUNT_PER_HOUR {
        return Err(AppError::RateLimited(format!(
            "You can send at most {INVITATIONS_PER_ACCOUNT_PER_HOUR} invitations an hour across your projects and have sent {mine}. Try again later."
        )));
    }
    Ok(())
}

/// Whether one more project email may go to `email` this hour; the refusal names it.
async fn address_budget(
    tx: &mut Transaction<'_, Any>,
    email: &str,
    now: i64,
) -> Result<Result<(), String>, AppError> {
    let received = outbox::count_to(tx, MailKind::Project, email, now - HOUR_MS).await?;
    Ok(if received >= MAILS_TO_ADDRESS_PER_HOUR {
        Err(format!(
            "{email} has received {MAILS_TO_ADDRESS_PER_HOUR} emails from Roster in the last hour. Try again later."
        ))
    } else {
        Ok(())
    })
}

/// How long the answer to "make X Owner?" stays usable.
const QUESTION_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Asks the caller to confirm a change to or from Owner: a 409 on the `confirm` field with the
/// question, and on the `confirmation` field the single-use token that answers it (issue 9).
async fn ask_about_owner(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
    target: &MemberRow,
    role: Role,
    now: i64,
) -> Result<AppError, AppError> {
    let question = format!(
        "Change {}'s role from {} to {}? {}",
        target.name,
        target.role,
        role,
        if role == Role::Owner {
            "A Team Owner has full control of the project, including its other Team Owners."
        } else {
            "They will no longer be a Team Owner of this project."
        }
    );
    let (token, token_hash) = new_token();
    role_questions::ask(
        &state.db,
        role_questions::Question {
            token_hash: &token_hash,
            session_hash: &user.token_hash,
            project_id: &project.project_id,
            target_id: &target.user_id,
            from: target.role,
            to: role,
            question: &question,
            expires_at: now + QUESTION_LIFETIME_MS,
        },
    )
    .await?;
    Ok(AppError::Conflict(vec![
        FieldError {
            field: "confirm".into(),
            message: question,
        },
        FieldError {
            field: "confirmation".into(),
            message: token,
        },
    ]))
}

/// Invitations die with their sender's rights (issue 9): after `member` is given `role`, the
/// pending invitations they sent for roles `role` may not grant are cancelled.
async fn cancel_beyond_role(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    member: &MemberRow,
    role: Role,
    by: &MemberRow,
    now: i64,
) -> Result<(), AppError> {
    for invitation in invitations::pending_sent_by(tx, &project.project_id, &member.user_id).await?
    {
        if may_grant(role, invitation.role) {
            continue;
        }
        invitations::delete(tx, &invitation.id, Retired::Cancelled, now).await?;
        record_invitation(
            tx,
            project,
            by,
            Kind::Cancelled,
            &invitation.email,
            Some(invitation.role),
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Whether someone with role `sender` may invite people as `role` (the access table's rule).
fn may_grant(sender: Role, role: Role) -> bool {
    check_member_change(&Actor::of_role(sender), None, Some(role)).is_ok()
}

/// Removes a member; their pending invitations to this project are cancelled with them, so
/// nobody rejoins through an invitation they sent to another address of theirs.
pub async fn remove(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
    target_id: &str,
) -> Result<(), AppError> {
    if target_id == user.user_id {
        return Err(AppError::invalid(
            "",
            "To remove yourself, use Leave Project.",
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &project.project_id).await?;
    let me = me(&mut tx, project, user).await?;
    let target = target(&mut tx, project, target_id).await?;
    allowed(&me, Some(target.role), None)?;
    keep_an_owner(&mut tx, project, &target, || last_owner(&target.name)).await?;
    depart(&mut tx, project, &target, &me, Kind::Removed, now).await?;
    let message = mail::removed(&target.email, &project.name, &me.name);
    outbox::enqueue(&mut tx, MailKind::Project, &message, now).await?;
    commit(state, tx, &project.project_id, true).await
}

pub async fn leave(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &project.project_id).await?;
    let me = me(&mut tx, project, user).await?;
    keep_an_owner(&mut tx, project, &me, || {
        AppError::conflict(
            "",
            "You are the project's last Team Owner, so you cannot leave. Make another member Team Owner first.",
        )
    })
    .await?;
    depart(&mut tx, project, &me, &me, Kind::Left, now).await?;
    commit(state, tx, &project.project_id, false).await
}

async fn depart(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    who: &MemberRow,
    by: &MemberRow,
    kind: Kind,
    now: i64,
) -> Result<(), AppError> {
    members::delete(tx, &project.project_id, &who.user_id).await?;
    activity::record(
        tx,
        Entry {
            project_id: &project.project_id,
            kind,
            actor_id: Some(&by.user_id),
            actor_name: &by.name,
            subject: Subject::member(&who.user_id, &who.name, &who.email),
            old_value: Some(who.role.key()),
            new_value: None,
            now,
        },
    )
    .await?;
    for email in invitations::delete_sent_by(tx, &project.project_id, &who.user_id, now).await? {
        activity::record(
            tx,
            Entry {
                project_id: &project.project_id,
                kind: Kind::Cancelled,
                actor_id: Some(&by.user_id),
                actor_name: &by.name,
                subject: Subject::address(&email),
                old_value: None,
                new_value: None,
                now,
            },
        )
        .await?;
    }
    Ok(())
}

/// What happened to one address of a (possibly multi-address) invitation.
pub type InviteResult = Result<(), String>;

pub async fn invite(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
    emails: &[Email],
    role: Role,
) -> Result<Vec<InviteResult>, AppError> {
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &project.project_id).await?;
    let me = me(&mut tx, project, user).await?;
    allowed(&me, None, Some(role))?;
    invitation_budget(&mut tx, project, &me, emails.len() as i64, now).await?;
    let days = invitations::project_expiry_days(&mut tx, &project.project_id).await?;
    let mut results = Vec::with_capacity(emails.len());
    let mut any = false;
    for email in emails {
        if invitations::is_member_email(&mut tx, &project.project_id, email).await? {
            results.push(Err(format!("{email} is already a member of this project.")));
            continue;
        }
        if let Err(full) = address_budget(&mut tx, email.as_str(), now).await? {
            results.push(Err(full));
            continue;
        }
        // Only a live invitation blocks a new one (seed 002); an expired one, or one whose
        // email never arrived, is replaced, if its role is one this person may manage.
        if let Some(old) = invitations::pending_for(&mut tx, &project.project_id, email).await? {
            if !old.is_stale(now) {
                results.push(Err(format!(
                    "{email} already has a pending invitation: resend or change it under Members with Pending Invitations."
                )));
                continue;
            }
            if let Err(refused) = allowed(&me, Some(old.role), None) {
                results.push(Err(format!(
                    "{email} has an {} invitation as {} that you may not replace. {refused}",
                    if old.delivery_error.is_some() {
                        "undelivered"
                    } else {
                        "expired"
                    },
                    old.role
                )));
                continue;
            }
            invitations::delete(&mut tx, &old.id, Retired::Replaced, now).await?;
        }
        let (token, token_hash) = new_token();
        let expires_at = now + days * DAY_MS;
        let message = invitation_mail(
            state,
            project,
            &me,
            email.as_str(),
            role,
            &token,
            expires_at,
        );
        let outbox_id = outbox::enqueue(&mut tx, MailKind::Project, &message, now).await?;
        invitations::insert(
            &mut tx,
            NewInvitation {
                project_id: &project.project_id,
                email,
                role,
                token_hash: &token_hash,
                invited_by: &me.user_id,
                now,
                expires_at,
                outbox_id: &outbox_id,
            },
        )
        .await?;
        record_invitation(
            &mut tx,
            project,
            &me,
            Kind::Invited,
            email.as_str(),
            None,
            Some(role),
            now,
        )
        .await?;
        results.push(Ok(()));
        any = true;
    }
    commit(state, tx, &project.project_id, any).await?;
    Ok(results)
}

fn invitation_mail(
    state: &AppState,
    project: &Membership,
    me: &MemberRow,
    to: &str,
    role: Role,
    token: &str,
    expires_at: i64,
) -> mail::Message {
    mail::invitation(mail::Invitation {
        to,
        project_name: &project.name,
        inviter_name: &me.name,
        role,
        link: state.link(&format!("/invite/{token}")),
        expires_at,
    })
}

#[allow(clippy::too_many_arguments)]
async fn record_invitation(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    me: &MemberRow,
    kind: Kind,
    email: &str,
    old: Option<Role>,
    new: Option<Role>,
    now: i64,
) -> Result<(), AppError> {
    activity::record(
        tx,
        Entry {
            project_id: &project.project_id,
            kind,
            actor_id: Some(&me.user_id),
            actor_name: &me.name,
            subject: Subject::address(email),
            old_value: old.map(Role::key),
            new_value: new.map(Role::key),
            now,
        },
    )
    .await?;
    Ok(())
}

/// A pending invitation of this project; another project's id answers 404 like a missing one.
async fn pending_invitation(
    tx: &mut Transaction<'_, Any>,
    project: &Membership,
    id: &str,
) -> Result<InvitationRow, AppError> {
    let found = if super::store::is_id(id) {
        invitations::by_id(tx, id).await?
    } else {
        None
    };
    found
        .filter(|i| i.project_id == project.project_id && i.status == "pending")
        .ok_or_else(|| {
            AppError::NotFound(
                "That invitation no longer exists: it was accepted, declined or cancelled.".into(),
            )
        })
}

pub enum InvitationChange {
    Role(Role),
    Resend,
    Cancel,
}

pub async fn change_invitation(
    state: &AppState,
    project: &Membership,
    user: &SessionUser,
    id: &str,
    change: InvitationChange,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &project.project_id).await?;
    let me = me(&mut tx, project, user).await?;
    let invitation = pending_invitation(&mut tx, project, id).await?;
    let mut mail_written = false;
    match change {
        InvitationChange::Role(role) => {
            allowed(&me, Some(invitation.role), Some(role))?;
            if role == invitation.role {
                return Ok(());
            }
            invitations::set_role(&mut tx, id, role, &me.user_id).await?;
            record_invitation(
                &mut tx,
                project,
                &me,
                Kind::PendingRoleChanged,
                &invitation.email,
                Some(invitation.role),
                Some(role),
                now,
            )
            .await?;
        }
        InvitationChange::Resend => {
            allowed(&me, Some(invitation.role), None)?;
            invitation_budget(&mut tx, project, &me, 1, now).await?;
            address_budget(&mut tx, &invitation.email, now)
                .await?
                .map_err(AppError::RateLimited)?;
            let days = invitations::project_expiry_days(&mut tx, &project.project_id).await?;
            let (token, token_hash) = new_token();
            let expires_at = now + days * DAY_MS;
            let message = invitation_mail(
                state,
                project,
                &me,
                &invitation.email,
                invitation.role,
                &token,
                expires_at,
            );
            let outbox_id = outbox::enqueue(&mut tx, MailKind::Project, &message, now).await?;
            let renewal = invitations::Renewal {
                token_hash: &token_hash,
                now,
                expires_at,
                by: &me.user_id,
                outbox_id: &outbox_id,
            };
            invitations::renew(&mut tx, id, renewal).await?;
            record_invitation(
                &mut tx,
                project,
                &me,
                Kind::Resent,
                &invitation.email,
                None,
                Some(invitation.role),
                now,
            )
            .await?;
            mail_written = true;
        }
        InvitationChange::Cancel => {
            allowed(&me, Some(invitation.role), None)?;
            invitations::delete(&mut tx, id, Retired::Cancelled, now).await?;
            record_invitation(
                &mut tx,
                project,
                &me,
                Kind::Cancelled,
                &invitation.email,
                Some(invitation.role),
                None,
                now,
            )
            .await?;
        }
    }
    commit(state, tx, &project.project_id, mail_written).await
}

/// How an invitee's answer ended.
pub enum Answer {
    Accepted { slug: String },
    Declined,
}

/// Accepts (or declines) an invitation addressed to `user`. Under the project lock the
/// invitation is read again, so of two racing answers (or an answer and a cancel) one wins.
pub async fn answer(
    state: &AppState,
    user: &SessionUser,
    invitation: &InvitationRow,
    accept: bool,
) -> Result<Answer, AppError> {
    let now = state.clock.now_ms();
    let mut tx = members::begin_change(&state.db, &invitation.project_id).await?;
    let current = invitations::by_id(&mut tx, &invitation.id)
        .await?
        .ok_or_else(|| {
            AppError::NotFound("This invitation was cancelled by the project.".into())
        })?;
    if current.email != user.email {
        return Err(AppError::Forbidden(format!(
            "This invitation is for {}, but you are signed in as {}. Sign out and sign in as {} to accept it.",
            current.email, user.email, current.email
        )));
    }
    if current.status == "accepted" {
        return if members::find(&mut tx, &current.project_id, &user.user_id)
            .await?
            .is_some()
        {
            Ok(Answer::Accepted {
                slug: current.project_slug,
            })
        } else {
            Err(AppError::NotFound(
                "This invitation was already used.".into(),
            ))
        };
    }
    if current.status != "pending" {
        return Err(AppError::NotFound(
            "This invitation was already declined.".into(),
        ));
    }
    // An expired invitation can still be dismissed (declined), not accepted.
    if accept && current.expires_at <= now {
        return Err(expired(&current));
    }
    if accept {
        let inviter = members::find(&mut tx, &current.project_id, &current.invited_by).await?;
        if !inviter.is_some_and(|i| may_grant(i.role, current.role)) {
            return void(state, tx, &current).await;
        }
    }
    let status = if accept { "accepted" } else { "declined" };
    if !invitations::answer(&mut tx, &current.id, status, now).await? {
        return Err(AppError::NotFound(
            "This invitation was answered a moment ago.".into(),
        ));
    }
    if accept {
        members::add(
            &mut tx,
            &current.project_id,
            &user.user_id,
            current.role,
            now,
        )
        .await?;
    }
    activity::record(
        &mut tx,
        Entry {
            project_id: &current.project_id,
            kind: if accept {
                Kind::Accepted
            } else {
                Kind::Declined
            },
            actor_id: Some(&user.user_id),
            actor_name: &user.name,
            subject: Subject::member(&user.user_id, &user.email, &user.email),
            old_value: None,
            new_value: Some(current.role.key()),
            now,
        },
    )
    .await?;
    commit(state, tx, &current.project_id, false).await?;
    Ok(if accept {
        Answer::Accepted {
            slug: current.project_slug,
        }
    } else {
        Answer::Declined
    })
}

/// The outbox gave up on email `outbox_id` for `reason`. If it was a pending invitation's, the
/// project's history says so, and that entry is the live event that turns the inviter's row to
/// "Delivery failed" without a reload.
pub async fn delivery_failed(
    db: &Db,
    live: &Hub,
    outbox_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Some(invitation) = invitations::pending_by_outbox_id(db, outbox_id).await? else {
        return Ok(());
    };
    let mut tx = members::begin_change(db, &invitation.project_id).await?;
    activity::record(
        &mut tx,
        Entry {
            project_id: &invitation.project_id,
            kind: Kind::DeliveryFailed,
            actor_id: None,
            actor_name: "Roster",
            subject: Subject::address(&invitation.email),
            old_value: None,
            new_value: Some(reason),
            now,
        },
    )
    .await?;
    live.commit(tx, &invitation.project_id).await
}

/// The invitation's sender left the project or may no longer grant its role: it is cancelled,
/// and the invitee is told why (a removed member cannot let someone in through a link they sent
/// before, GitLab #26801).
async fn void(
    state: &AppState,
    mut tx: Transaction<'_, Any>,
    invitation: &InvitationRow,
) -> Result<Answer, AppError> {
    let now = state.clock.now_ms();
    invitations::delete(&mut tx, &invitation.id, Retired::Cancelled, now).await?;
    activity::record(
        &mut tx,
        Entry {
            project_id: &invitation.project_id,
            kind: Kind::Cancelled,
            actor_id: None,
            actor_name: "Roster",
            subject: Subject::address(&invitation.email),
            old_value: Some(invitation.role.key()),
            new_value: None,
            now,
        },
    )
    .await?;
    commit(state, tx, &invitation.project_id, false).await?;
    Err(AppError::Gone(format!(
        "This invitation to {} is no longer valid: {} can no longer invite people as {}. Ask a Team Owner of the project for a new invitation.",
        invitation.project_name, invitation.inviter_name, invitation.role
    )))
}

pub fn expired(invitation: &InvitationRow) -> AppError {
    AppError::Gone(format!(
        "This invitation to {} expired on {}; ask {} to resend it.",
        invitation.project_name,
        super::dates::day(invitation.expires_at),
        invitation.inviter_name
    ))
}
