//! THE role/permission table. The page asks it what to render, every server function asks it
//! what to allow; nothing else decides access. Pure: no I/O, no features.

use crate::domain::{Role, ServiceAction};
use serde::{Deserialize, Serialize};

/// Something a member may try to do inside a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    ViewDashboard,
    ViewMembers,
    ManageMembers,
    ManageOwners,
    ViewActivity,
    ViewServices,
    ManageServices,
    CancelServices,
    ViewInvoices,
    PayInvoices,
    UseTickets,
    EditSettings,
    DeleteProject,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::ViewDashboard,
        Action::ViewMembers,
        Action::ManageMembers,
        Action::ManageOwners,
        Action::ViewActivity,
        Action::ViewServices,
        Action::ManageServices,
        Action::CancelServices,
        Action::ViewInvoices,
        Action::PayInvoices,
        Action::UseTickets,
        Action::EditSettings,
        Action::DeleteProject,
    ];

    /// How the role reference describes the action.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ViewDashboard => "View the project dashboard",
            Action::ViewMembers => "View members and their roles",
            Action::ManageMembers => {
                "Invite people, manage pending invitations, change roles, remove members"
            }
            Action::ManageOwners => "Make someone Team Owner, demote or remove a Team Owner",
            Action::ViewActivity => "View the project's activity history",
            Action::ViewServices => "View services",
            Action::ManageServices => "Start, stop, restart and back up services",
            Action::CancelServices => "Cancel services",
            Action::ViewInvoices => "View invoices",
            Action::PayInvoices => "Pay invoices, manage billing accounts and payment methods",
            Action::UseTickets => "Open and follow support tickets",
            Action::EditSettings => "Edit project settings (name, defaults)",
            Action::DeleteProject => "Delete the project",
        }
    }

    /// The roles that may take this action: the table itself, one row per action.
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::ViewDashboard | Action::ViewMembers | Action::UseTickets => {
                &[Owner, Admin, Member, Developer, Accountant]
            }
            // Seed 003: the Accountant does not "view the history"; the history is of member
            // changes, so it goes with managing members.
            // Cancelling ends billing as well as the service: a decision for who runs the
            // project, not for everyone who operates its machines.
            Action::ManageMembers
            | Action::ViewActivity
            | Action::EditSettings
            | Action::CancelServices => &[Owner, Admin],
            Action::ManageOwners | Action::DeleteProject => &[Owner],
            Action::ViewServices | Action::ManageServices => &[Owner, Admin, Member, Developer],
            Action::ViewInvoices => &[Owner, Admin, Member, Accountant],
            Action::PayInvoices => &[Owner, Admin, Accountant],
        }
    }
}

/// What a role may do, in seed 003's words (its role table), adjusted where Roster follows
/// seed 001 (several Owners, ownership handed over). The unit test below checks every claim
/// against the table, so the words cannot drift from what is enforced.
pub fn rights(role: Role) -> &'static str {
    match role {
        Role::Owner => {
            "Full administrative rights. Whoever creates the project is its first Team Owner, \
             marked Project creator on the Members page. Ownership is handed over by making \
             another member Team Owner; the last Team Owner can neither leave nor be demoted."
        }
        Role::Admin => {
            "Full access to every feature — settings, services, invoices, members, payment \
             methods and billing accounts — except Team Owners and deleting the project."
        }
        Role::Member => {
            "Access to services, but no access to settings, billing accounts or inviting new \
             members."
        }
        Role::Developer => {
            "Can view and manage services. Cannot see invoices, make payments or edit project \
             details."
        }
        Role::Accountant => {
            "Sees everything financial (invoices, payment methods). Does not manage services \
             or view the history."
        }
    }
}

/// What asking the back office for `action` on a service takes.
pub fn service_action(action: ServiceAction) -> Action {
    match action {
        ServiceAction::Cancel => Action::CancelServices,
        _ => Action::ManageServices,
    }
}

/// Who is asking, as far as access is concerned. Built by the server from the membership row;
/// sent to the browser so the page can ask the same question. Per-member overrides and resource
/// allow-lists (seed 004) become fields here without changing any caller of [`can`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
}

/// May this member take this action in their project?
pub fn can(actor: &Actor, action: Action) -> bool {
    action.allowed_roles().contains(&actor.role)
}

/// Why a change to someone's membership is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denial {
    /// The role cannot manage members at all.
    CannotManageMembers,
    /// Only Owners make, demote, remove or invite Owners.
    OnlyOwnersManageOwners,
    /// Nobody grants a role above their own or acts on someone above them.
    AboveOwnRole,
}

impl Denial {
    pub fn message(self, actor: Role) -> String {
        match self {
            Denial::CannotManageMembers => {
                format!("Your role ({actor}) cannot manage members or invitations.")
            }
            Denial::OnlyOwnersManageOwners => {
                "Only a Team Owner can make someone Team Owner, or change, remove or invite a Team Owner.".into()
            }
            Denial::AboveOwnRole => {
                format!("As {actor} you cannot grant or act on a role above your own.")
            }
        }
    }
}

/// Seniority for the rule "nobody grants a role above their own or acts on a member above
/// them". The three non-managing roles are peers.
fn rank(role: Role) -> u8 {
    match role {
        Role::Owner => 2,
        Role::Admin => 1,
        Role::Member | Role::Developer | Role::Accountant => 0,
    }
}

/// May `actor` move someone (a member or a pending invitation) from role `from` to role `to`?
/// `from: None` is a new invitation; `to: None` is removing the member or cancelling or
/// resending the invitation. Whether the change leaves the project without an Owner is the
/// store's question, answered under a lock; this is only who may ask.
pub fn check_member_change(
    actor: &Actor,
    from: Option<Role>,
    to: Option<Role>,
) -> Result<(), Denial> {
    if !can(actor, Action::ManageMembers) {
        return Err(Denial::CannotManageMembers);
    }
    let touches_owner = from == Some(Role::Owner) || to == Some(Role::Owner);
    if touches_owner && !can(actor, Action::ManageOwners) {
        return Err(Denial::OnlyOwnersManageOwners);
    }
    let mine = rank(actor.role);
    if from.into_iter().chain(to).any(|r| rank(r) > mine) {
        return Err(Denial::AboveOwnRole);
    }
    Ok(())
}

/// The roles `actor` may offer in a role dropdown or an invitation.
pub fn assignable_roles(actor: &Actor) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| check_member_change(actor, None, Some(*r)).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { role }
    }

    #[test]
    fn the_whole_table() {
        use Role::*;
        // (action, [Owner, Admin, Member, Developer, Accountant])
        let expected: [(Action, [bool; 5]); 13] = [
            (Action::ViewDashboard, [true, true, true, true, true]),
            (Action::ViewMembers, [true, true, true, true, true]),
            (Action::ManageMembers, [true, true, false, false, false]),
            (Action::ManageOwners, [true, false, false, false, false]),
            (Action::ViewActivity, [true, true, false, false, false]),
            (Action::ViewServices, [true, true, true, true, false]),
            (Action::ManageServices, [true, true, true, true, false]),
            (Action::CancelServices, [true, true, false, false, false]),
            (Action::ViewInvoices, [true, true, true, false, true]),
            (Action::PayInvoices, [true, true, false, false, true]),
            (Action::UseTickets, [true, true, true, true, true]),
            (Action::EditSettings, [true, true, false, false, false]),
            (Action::DeleteProject, [true, false, false, false, false]),
        ];
        assert_eq!(expected.len(), Action::ALL.len());
        for (action, row) in expected {
            for (role, allowed) in [Owner, Admin, Member, Developer, Accountant]
                .into_iter()
                .zip(row)
            {
                assert_eq!(can(&actor(role), action), allowed, "{role:?} {action:?}");
            }
        }
    }

    /// Each sentence of `rights` is a claim about the table; here it is checked.
    #[test]
    fn the_role_descriptions_say_what_the_table_enforces() {
        use Action::*;
        let may = |role, action| can(&actor(role), action);
        // Team Owner: everything.
        assert!(Action::ALL.iter().all(|&a| may(Role::Owner, a)));
        // Team Admin: every feature but Owners (and deleting the project).
        for a in [
            EditSettings,
            ViewServices,
            ManageServices,
            ViewInvoices,
            PayInvoices,
            ManageMembers,
        ] {
            assert!(may(Role::Admin, a), "{a:?}");
        }
        assert!(!may(Role::Admin, ManageOwners));
        // Team Member: services, no settings, billing or inviting.
        assert!(may(Role::Member, ViewServices) && may(Role::Member, ManageServices));
        for a in [EditSettings, PayInvoices, ManageMembers] {
            assert!(!may(Role::Member, a), "{a:?}");
        }
        // Developer: services; no invoices, payments or project details.
        assert!(may(Role::Developer, ViewServices) && may(Role::Developer, ManageServices));
        for a in [ViewInvoices, PayInvoices, EditSettings] {
            assert!(!may(Role::Developer, a), "{a:?}");
        }
        // Accountant: invoices and payments; not services.
        assert!(may(Role::Accountant, ViewInvoices) && may(Role::Accountant, PayInvoices));
        assert!(!may(Role::Accountant, ManageServices));
        assert!(!may(Role::Accountant, ViewActivity));
        assert!(rights(Role::Accountant).contains("Does not manage services or view the history"));
    }

    #[test]
    fn every_service_action_is_in_the_table() {
        use Role::*;
        for &a in ServiceAction::ALL {
            let who: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| can(&actor(*r), service_action(a)))
                .collect();
            let expected = if a == ServiceAction::Cancel {
                vec![Owner, Admin]
            } else {
                vec![Owner, Admin, Member, Developer]
            };
            assert_eq!(who, expected, "{a:?}");
        }
    }

    #[test]
    fn only_owners_and_admins_see_settings() {
        // Seed 003: "Team Member and Developer do not see the Settings item".
        assert!(!can(&actor(Role::Member), Action::EditSettings));
        assert!(!can(&actor(Role::Developer), Action::EditSettings));
    }

    #[test]
    fn member_changes_for_every_role_and_target() {
        use Role::*;
        let targets: Vec<Option<Role>> = std::iter::once(None).chain(Role::ALL.map(Some)).collect();
        for actor_role in Role::ALL {
            for from in &targets {
                for to in &targets {
                    let got = check_member_change(&actor(actor_role), *from, *to);
                    let expected = match actor_role {
                        Owner => Ok(()),
                        Admin if *from == Some(Owner) || *to == Some(Owner) => {
                            Err(Denial::OnlyOwnersManageOwners)
                        }
                        Admin => Ok(()),
                        Member | Developer | Accountant => Err(Denial::CannotManageMembers),
                    };
                    assert_eq!(got, expected, "{actor_role:?}: {from:?} -> {to:?}");
                }
            }
        }
    }

    #[test]
    fn admins_cannot_offer_owner() {
        assert_eq!(assignable_roles(&actor(Role::Owner)), Role::ALL.to_vec());
        assert_eq!(
            assignable_roles(&actor(Role::Admin)),
            vec![Role::Admin, Role::Member, Role::Developer, Role::Accountant]
        );
        assert!(assignable_roles(&actor(Role::Member)).is_empty());
    }

    #[test]
    fn denials_explain_themselves() {
        let m = Denial::OnlyOwnersManageOwners.message(Role::Admin);
        assert!(m.contains("Only a Team Owner"));
        assert!(Denial::CannotManageMembers
            .message(Role::Developer)
            .contains("Developer"));
    }
}
