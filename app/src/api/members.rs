use crate::{api::projects::ProjectContext, domain::Role, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::{can, Action, Scope},
    domain::Email,
    ssr::{
        authorize, dates,
        membership::{self, InvitationChange},
        request::{app_state, finish, finish_form},
        session::hash_token,
        store::{activity, invitations, members, permissions, role_questions, services},
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub joined: String,
    /// Created the project (seeds 001 and 003: its first Team Owner).
    pub creator: bool,
    /// What the member may do with services: for those who manage members, and for the caller.
    pub access: Option<Access>,
}

/// A member's permission profile in brief (seed 004), for the Members page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Switches on, of those the role allows.
    pub switches: usize,
    pub of: usize,
    /// The names of the services the member reaches; `None`: every service.
    pub services: Option<Vec<String>>,
}

impl Access {
    /// Of `actor`, with the project's services as (id, name).
    pub fn of(actor: &crate::access::Actor, services: &[(String, String)]) -> Self {
        use crate::access::{Action, ServiceAccess};
        let of = Action::SWITCHES
            .iter()
            .filter(|a| a.allowed_roles().contains(&actor.role))
            .count();
        let reached = match &actor.permissions.services {
            _ if actor.role == Role::Owner => None,
            ServiceAccess::All => None,
            ServiceAccess::Only(ids) => Some(
                services
                    .iter()
                    .filter(|(id, _)| ids.contains(id))
                    .map(|(_, name)| name.clone())
                    .collect(),
            ),
        };
        Access {
            switches: actor.switches().len(),
            of,
            services: reached,
        }
    }

    /// "3 of 9 permissions · web-1, db-1", "All 9 permissions · every service".
    pub fn describe(&self) -> String {
        let switches = if self.of == 0 {
            "no service permissions".to_owned()
        } else if self.switches == self.of {
            format!("all {} permissions", self.of)
        } else {
            format!("{} of {} permissions", self.switches, self.of)
        };
        let services = match &self.services {
            None => "every service".to_owned(),
            Some(names) if names.is_empty() => "no service".to_owned(),
            Some(names) => names.join(", "),
        };
        let mut text = format!("{switches} · {services}");
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub sent: String,
    /// Seen from now: "in 7 days", "expired 2 days ago".
    pub expires: String,
    /// The full moment, for the hover text.
    pub expires_on: String,
    pub status: InvitationStatus,
}

/// Where a pending invitation stands: seed 001's "Awaiting confirmation", or one of the two
/// states it can no longer bring anyone in from (shown with Resend until cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    Awaiting,
    Expired,
    /// The outbox gave up on its email, for this reason.
    DeliveryFailed(String),
}

impl InvitationStatus {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Awaiting => "Awaiting confirmation",
            Self::Expired => "Expired",
            Self::DeliveryFailed(_) => "Delivery failed",
        }
    }
}

/// One line of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub seq: i64,
    pub kind: String,
    pub actor_name: String,
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub at: i64,
}

impl ActivityEntry {
    /// "Ada changed Grace's role from Developer to Accountant".
    pub fn describe(&self) -> String {
        let role = |v: &Option<String>| {
            v.as_deref()
                .and_then(|k| Role::parse(k).ok())
                .map(|r| r.label())
                .unwrap_or("?")
        };
        let action = |v: &Option<String>| {
            v.as_deref()
                .and_then(|k| crate::domain::ServiceAction::parse(k).ok())
                .map_or("?", |a| a.label())
        };
        let (a, s) = (&self.actor_name, &self.subject);
        match self.kind.as_str() {
            "invited" => format!("{a} invited {s} as {}", role(&self.new_value)),
            "resent" => format!("{a} resent the invitation to {s}"),
            "cancelled" => format!("{a} cancelled the invitation to {s}"),
            "pending_role_changed" => format!(
                "{a} changed the invitation to {s} from {} to {}",
                role(&self.old_value),
                role(&self.new_value)
            ),
            "accepted" => format!(
                "{a} ({s}) accepted the invitation as {}",
                role(&self.new_value)
            ),
            "declined" => format!("{s} declined the invitation"),
            "role_changed" => format!(
                "{a} changed {s}'s role from {} to {}",
                role(&self.old_value),
                role(&self.new_value)
            ),
            "removed" => format!("{a} removed {s} ({})", role(&self.old_value)),
            "left" => format!("{s} left the project"),
            "delivery_failed" => format!(
                "The invitation email to {s} could not be delivered: {}",
                self.new_value.as_deref().unwrap_or("unknown reason")
            ),
            "ticket_opened" => format!("{a} opened ticket {s}"),
            "ticket_replied" => format!("{a} replied to ticket {s}"),
            "staff_replied" => format!("Support ({a}) replied to ticket {s}"),
            "ticket_closed" => format!("{a} closed ticket {s}"),
            "ticket_reopened" => format!("{a} reopened ticket {s}"),
            "ticket_status_changed" => format!(
                "Support ({a}) marked ticket {s} {}",
                self.new_value
                    .as_deref()
                    .and_then(|k| crate::domain::TicketStatus::parse(k).ok())
                    .map_or("?", |s| s.label())
            ),
            "operation_requested" => format!("{a} asked for “{}” of {s}", action(&self.new_value)),
            "operation_started" => format!("{a} started “{}” of {s}", action(&self.new_value)),
            "operation_done" => format!("{a} finished “{}” of {s}", action(&self.new_value)),
            "operation_failed" => format!("“{}” of {s} failed", action(&self.new_value)),
            "service_added" => format!(
                "{a} added the {} service {s}",
                self.new_value
                    .as_deref()
                    .and_then(|k| crate::domain::ServiceKind::parse(k).ok())
                    .map_or("?", |k| k.label())
            ),
            "service_updated" => format!("{a} updated the service {s}"),
            "service_removed" => format!("{a} removed the service {s}"),
            "invoice_issued" => format!(
                "{a} issued invoice {s} ({})",
                self.new_value.as_deref().unwrap_or("?")
            ),
            "invoice_paid" => format!("{a} marked invoice {s} paid"),
            "invoice_voided" => format!("{a} voided invoice {s}"),
            "payment_requested" => format!(
                "{a} paid invoice {s} with {}",
                self.new_value.as_deref().unwrap_or("?")
            ),
            "payment_confirmed" => format!("The payment of invoice {s} went through"),
            "payment_failed" => format!(
                "The payment of invoice {s} failed: {}",
                self.new_value.as_deref().unwrap_or("no reason given")
            ),
            "payment_method_changed" => format!("{a} set the payment method to {s}"),
            "billing_account_added" => format!("{a} added the billing account {s}"),
            "billing_account_default" => format!("{a} made {s} the default billing account"),
            "billing_account_removed" => format!("{a} removed the billing account {s}"),
            "ssh_key_added" => format!(
                "{a} added the SSH key {s} ({})",
                self.new_value.as_deref().unwrap_or("?")
            ),
            "ssh_key_removed" => format!("{a} removed the SSH key {s}"),
            "permissions_changed" => format!(
                "{a} changed {s}'s permissions from {} to {}",
                self.old_value.as_deref().unwrap_or("?"),
                self.new_value.as_deref().unwrap_or("?")
            ),
            "new_member_access_changed" => format!("{a} set what new members start with: {s}"),
            "brand_color_changed" => format!("{a} set the primary colour to {s}"),
            "logo_changed" => format!("{a} changed the logo to {s}"),
            "ai_settings_changed" => format!("{a} set the AI provider to {s}"),
            "ai_key_replaced" => format!("{a} replaced the AI provider's API key"),
            "ai_key_cleared" => format!("{a} removed the AI provider's API key"),
            other => format!("{a}: {other} {s}"),
        }
    }
}

/// Everything the Members page shows (seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub project: ProjectContext,
    pub you: MemberView,
    pub others: Vec<MemberView>,
    pub pending: Vec<PendingInvitation>,
    pub owner_count: usize,
    /// Newest first; empty for roles that may not see it (`Action::ViewActivity`).
    pub activity: Vec<ActivityEntry>,
    /// When formatted on the server: `at` of each activity entry as text.
    pub activity_times: Vec<String>,
    pub invite_expiry_days: i64,
}

pub const ACTIVITY_PAGE: i64 = 20;

/// `activity_before` is the position of the activity entry to page back from. It arrives as
/// text and is parsed here: server_fn's form decoding reads a mistyped number in an optional
/// field as "absent", which would answer a wrong request as if it were another, right one.
#[server(endpoint = "members")]
pub async fn get_members(
    slug: String,
    activity_before: Option<String>,
) -> Result<MembersPage, AppError> {
    finish(
        async {
            let activity_before = match activity_before.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(raw) => Some(raw.parse::<i64>().map_err(|_| {
                    AppError::invalid(
                        "activity_before",
                        "Must be the number of an activity entry.",
                    )
                })?),
            };
            let (user, membership) = authorize::project_action(&slug, Action::ViewMembers).await?;
            let state = app_state()?;
            let now = state.clock.now_ms();
            let actor = membership.actor.clone();
            let rows = members::list(&state.db, &membership.project_id).await?;
            let owner_count = rows.iter().filter(|m| m.role == Role::Owner).count();
            // Profiles: everyone's for those who manage members, otherwise only the caller's.
            let manager = can(&actor, Action::ManageMembers, Scope::Project);
            let mut profiles = if manager {
                let mut conn = state.db.acquire().await?;
                permissions::of_project(&mut conn, &membership.project_id).await?
            } else {
                Default::default()
            };
            profiles.insert(user.user_id.clone(), actor.permissions.clone());
            let service_names = services::names(&state.db, &membership.project_id).await?;
            let view = |m: members::MemberRow| MemberView {
                creator: m.user_id == membership.created_by,
                access: profiles.get(&m.user_id).map(|p| {
                    let who = crate::access::Actor {
                        role: m.role,
                        permissions: p.clone(),
                    };
                    Access::of(&who, &service_names)
                }),
                user_id: m.user_id,
                name: m.name,
                email: m.email,
                role: m.role,
                joined: dates::day(m.joined_at),
            };
            let (mine, others): (Vec<_>, Vec<_>) =
                rows.into_iter().partition(|m| m.user_id == user.user_id);
            let you = mine
                .into_iter()
                .next()
                .map(view)
                .ok_or(AppError::Internal)?;
            let pending = invitations::pending_for_project(&state.db, &membership.project_id)
                .await?
                .into_iter()
                .map(|i| PendingInvitation {
                    id: i.id,
                    email: i.email,
                    role: i.role,
                    invited_by: i.inviter_name,
                    sent: dates::day(i.sent_at),
                    expires: dates::until(i.expires_at, now),
                    expires_on: dates::moment(i.expires_at),
                    status: match i.delivery_error {
                        Some(reason) => InvitationStatus::DeliveryFailed(reason),
                        None if i.expires_at <= now => InvitationStatus::Expired,
                        None => InvitationStatus::Awaiting,
                    },
                })
                .collect();
            let activity = if can(&actor, Action::ViewActivity, Scope::Project) {
                activity::page(
                    &state.db,
                    &membership.project_id,
                    activity_before,
                    ACTIVITY_PAGE,
                )
                .await?
            } else {
                Vec::new()
            };
            let activity_times = activity.iter().map(|a| dates::moment(a.at)).collect();
            let member_count = (others.len() + 1) as i64;
            Ok(MembersPage {
                project: ProjectContext {
                    slug: membership.slug,
                    name: membership.name,
                    actor,
                    member_count,
                    invite_expiry_days: membership.invite_expiry_days,
                    new_member_access: membership.new_member_access,
                    brand_color: membership.brand_color.clone(),
                    logo: membership.logo.clone(),
                    ai: membership.ai,
                },
                you,
                others: others.into_iter().map(view).collect(),
                pending,
                owner_count,
                activity,
                activity_times,
                invite_expiry_days: membership.invite_expiry_days,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn parse_role(role: &str) -> Result<Role, AppError> {
    Role::parse(role).map_err(|m| AppError::invalid("role", m))
}

/// Back to the Members page after a change, with an optional notice for the person: the redirect
/// a form post follows (sent in place or not), which also closes any confirmation dialog (they
/// live in the query).
#[cfg(feature = "ssr")]
fn back_to_members(slug: &str, notice: Option<&str>) {
    crate::ssr::request::redirect_with_notice(&format!("/p/{slug}/members"), notice);
}

/// Changes a member's role. Making someone Owner, or changing an Owner's role, needs the
/// answer to a question the server asks: without `confirmation` (or with one that does not
/// answer exactly this change in this session) the answer is a 409 with the question on the
/// `confirm` field and a single-use token on `confirmation`, which the page shows in a dialog
/// and sends back (issue 9).
#[server(endpoint = "change_role")]
pub async fn change_role(
    slug: String,
    user_id: String,
    role: String,
    confirmation: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let parsed = parse_role(&role)?;
        let (user, project) = authorize::project_action(&slug, Action::ViewMembers).await?;
        let answer = confirmation.as_deref().filter(|t| !t.is_empty());
        // No redirect: the app saves in place; a plain form post is sent back to its page.
        membership::change_role(&app_state()?, &project, &user, &user_id, parsed, answer).await
    }
    .await;
    // Nothing is refilled from the address: the dialog reads the question from the server.
    finish_form(ChangeRole::PATH, &[], result)
}

/// A question the server asked about a role change, for the dialog that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleQuestion {
    pub question: String,
    pub user_id: String,
    pub role: Role,
}

/// The open question behind `token`, if it was asked in this session about this project; a
/// token from anywhere else (a crafted link) finds nothing.
#[server(endpoint = "role_question")]
pub async fn open_role_question(
    slug: String,
    token: String,
) -> Result<Option<RoleQuestion>, AppError> {
    finish(
        async {
            let (user, project) = authorize::project_action(&slug, Action::ViewMembers).await?;
            let state = app_state()?;
            let found = role_questions::open(
                &state.db,
                &hash_token(&token),
                &user.token_hash,
                &project.project_id,
                state.clock.now_ms(),
            )
            .await?;
            Ok(found.map(|(question, user_id, role)| RoleQuestion {
                question,
                user_id,
                role,
            }))
        }
        .await,
    )
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(slug: String, user_id: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::ViewMembers).await?;
        membership::remove(&app_state()?, &project, &user, &user_id).await?;
        back_to_members(&slug, None);
        Ok(())
    }
    .await;
    finish_form(RemoveMember::PATH, &[], result)
}

#[server(endpoint = "leave_project")]
pub async fn leave_project(slug: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::ViewDashboard).await?;
        membership::leave(&app_state()?, &project, &user).await?;
        leptos_axum::redirect("/projects");
        Ok(())
    }
    .await;
    finish_form(LeaveProject::PATH, &[], result)
}

/// The outcome for one address of a New Member submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteOutcome {
    pub email: String,
    pub error: Option<String>,
}

/// Invites one or more addresses (comma, space or newline separated, up to 50) with one role.
#[server(endpoint = "invite")]
pub async fn invite(
    slug: String,
    emails: String,
    role: String,
) -> Result<Vec<InviteOutcome>, AppError> {
    let result = async {
        let role = parse_role(&role)?;
        let raw: Vec<&str> = emails
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect();
        if raw.is_empty() {
            return Err(AppError::invalid(
                "emails",
                "Enter at least one email address.",
            ));
        }
        if raw.len() > 50 {
            return Err(AppError::invalid(
                "emails",
                format!("Invite at most 50 addresses at once ({} given).", raw.len()),
            ));
        }
        let mut parsed = Vec::new();
        let mut outcomes: Vec<InviteOutcome> = Vec::new();
        for r in &raw {
            match Email::parse(r) {
                Ok(e) if parsed.contains(&e) => {}
                Ok(e) => parsed.push(e),
                Err(m) => outcomes.push(InviteOutcome {
                    email: r.to_string(),
                    error: Some(m),
                }),
            }
        }
        if !outcomes.is_empty() {
            // One bad address stops the whole submission: nothing is sent until all parse.
            let message = outcomes
                .iter()
                .filter_map(|o| o.error.clone())
                .collect::<Vec<_>>()
                .join(" ");
            return Err(AppError::invalid("emails", message));
        }
        let (user, project) = authorize::project_action(&slug, Action::ViewMembers).await?;
        let results = membership::invite(&app_state()?, &project, &user, &parsed, role).await?;
        let outcomes: Vec<InviteOutcome> = parsed
            .into_iter()
            .zip(results)
            .map(|(email, r)| InviteOutcome {
                email: email.to_string(),
                error: r.err(),
            })
            .collect();
        back_to_members(&slug, Some(&invite_summary(&outcomes)));
        Ok(outcomes)
    }
    .await;
    finish_form(
        Invite::PATH,
        &[("emails", &emails), ("role", &role)],
        result,
    )
}

/// "Invitation sent to a@example.com. Not sent: b@example.com is already a member."
pub fn invite_summary(outcomes: &[InviteOutcome]) -> String {
    let sent: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.error.is_none())
        .map(|o| o.email.as_str())
        .collect();
    let failed: Vec<&str> = outcomes.iter().filter_map(|o| o.error.as_deref()).collect();
    let mut summary = String::new();
    if !sent.is_empty() {
        let noun = if sent.len() == 1 {
            "Invitation"
        } else {
            "Invitations"
        };
        summary.push_str(&format!("{noun} sent to {}.", sent.join(", ")));
    }
    if !failed.is_empty() {
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(&format!("Not sent: {}", failed.join(" ")));
    }
    summary
}

#[cfg(feature = "ssr")]
async fn change_pending(
    slug: &str,
    id: &str,
    change: InvitationChange,
    notice: Option<&str>,
) -> Result<(), AppError> {
    let (user, project) = authorize::project_action(slug, Action::ViewMembers).await?;
    membership::change_invitation(&app_state()?, &project, &user, id, change).await?;
    // A role saved in place stays where it is; a resend or cancel says what it did.
    if notice.is_some() {
        back_to_members(slug, notice);
    }
    Ok(())
}

/// Changes the role a pending invitation grants; it takes effect on acceptance (seed 003).
#[server(endpoint = "change_invitation_role")]
pub async fn change_invitation_role(
    slug: String,
    invitation_id: String,
    role: String,
) -> Result<(), AppError> {
    // In place (the dropdown, the app's dialog) the role stays where it is; a plain form post
    // goes back to the Members page with a notice, which also closes the Change Role dialog.
    let notice = crate::ssr::request::posted_from_page().then_some("Invitation role changed.");
    let result = match parse_role(&role) {
        Ok(parsed) => {
            change_pending(
                &slug,
                &invitation_id,
                InvitationChange::Role(parsed),
                notice,
            )
            .await
        }
        Err(e) => Err(e),
    };
    // The dialog shows the role that was picked again, next to the error.
    finish_form(ChangeInvitationRole::PATH, &[("role", &role)], result)
}

/// Sends the invitation again with a new link and a fresh expiry; the old link stops working.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(slug: String, invitation_id: String) -> Result<(), AppError> {
    let result = change_pending(
        &slug,
        &invitation_id,
        InvitationChange::Resend,
        Some("Invitation resent with a new link."),
    )
    .await;
    finish_form(ResendInvitation::PATH, &[], result)
}

/// Revokes the invitation: the link stops working and the row disappears (seed 003).
#[server(endpoint = "cancel_invitation")]
pub async fn cancel_invitation(slug: String, invitation_id: String) -> Result<(), AppError> {
    let result = change_pending(
        &slug,
        &invitation_id,
        InvitationChange::Cancel,
        Some("Invitation cancelled."),
    )
    .await;
    finish_form(CancelInvitation::PATH, &[], result)
}
