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
    // Seed 004's ten action permissions, mapped onto services: each is also a switch in a
    // member's permission profile (see [`Action::SWITCHES`]).
    ViewServices,
    RestartServices,
    OpenConsole,
    DeployBranches,
    StopServices,
    CancelServices,
    ManageBackups,
    ViewLogs,
    WebConsole,
    ServiceSettings,
    ManageSshKeys,
    ViewInvoices,
    PayInvoices,
    UseTickets,
    EditSettings,
    DeleteProject,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::ViewDashboard,
        Action::ViewMembers,
        Action::ManageMembers,
        Action::ManageOwners,
        Action::ViewActivity,
        Action::ViewServices,
        Action::RestartServices,
        Action::OpenConsole,
        Action::DeployBranches,
        Action::StopServices,
        Action::CancelServices,
        Action::ManageBackups,
        Action::ViewLogs,
        Action::WebConsole,
        Action::ServiceSettings,
        Action::ManageSshKeys,
        Action::ViewInvoices,
        Action::PayInvoices,
        Action::UseTickets,
        Action::EditSettings,
        Action::DeleteProject,
    ];

    /// Seed 004's action permissions, in its order: the switches of a member's profile. Each
    /// is about services, so each also asks whether the member may reach the service at hand.
    pub const SWITCHES: [Action; 10] = [
        Action::ViewServices,
        Action::RestartServices,
        Action::OpenConsole,
        Action::DeployBranches,
        Action::StopServices,
        Action::CancelServices,
        Action::ManageBackups,
        Action::ViewLogs,
        Action::WebConsole,
        Action::ServiceSettings,
    ];

    pub fn is_switch(self) -> bool {
        Self::SWITCHES.contains(&self)
    }

    /// The name a switch is stored and posted under.
    pub fn key(self) -> &'static str {
        match self {
            Action::ViewDashboard => "view_dashboard",
            Action::ViewMembers => "view_members",
            Action::ManageMembers => "manage_members",
            Action::ManageOwners => "manage_owners",
            Action::ViewActivity => "view_activity",
            Action::ViewServices => "view_services",
            Action::RestartServices => "restart_services",
            Action::OpenConsole => "open_console",
            Action::DeployBranches => "deploy_branches",
            Action::StopServices => "stop_services",
            Action::CancelServices => "cancel_services",
            Action::ManageBackups => "manage_backups",
            Action::ViewLogs => "view_logs",
            Action::WebConsole => "web_console",
            Action::ServiceSettings => "service_settings",
            Action::ManageSshKeys => "manage_ssh_keys",
            Action::ViewInvoices => "view_invoices",
            Action::PayInvoices => "pay_invoices",
            Action::UseTickets => "use_tickets",
            Action::EditSettings => "edit_settings",
            Action::DeleteProject => "delete_project",
        }
    }

    /// The switch stored or posted as `key`.
    pub fn parse_switch(key: &str) -> Result<Action, String> {
        Self::SWITCHES
            .into_iter()
            .find(|a| a.key() == key)
            .ok_or_else(|| "That is not one of the permissions a member can be given.".to_owned())
    }

    /// How the role reference and the permissions dialog describe the action.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ViewDashboard => "View the project dashboard",
            Action::ViewMembers => "View members and their roles",
            Action::ManageMembers => {
                "Invite people, manage pending invitations, change roles and permissions, remove members"
            }
            Action::ManageOwners => "Make someone Team Owner, demote or remove a Team Owner",
            Action::ViewActivity => "View the project's activity history",
            Action::ViewServices => "View the Services section and service details",
            Action::RestartServices => "Soft or hard restart services",
            Action::OpenConsole => "Open a console session (Connect As User)",
            Action::DeployBranches => "Deploy a branch (merge branches, app services)",
            Action::StopServices => "Stop and start services",
            Action::CancelServices => "Cancel (permanently delete) services",
            Action::ManageBackups => "Create, download, restore and delete backups",
            Action::ViewLogs => "View service logs (the operations history)",
            Action::WebConsole => "Use the web console or IDE",
            Action::ServiceSettings => "Open and change a service's Settings tab",
            Action::ManageSshKeys => "Add and remove the project's SSH keys",
            Action::ViewInvoices => "View invoices",
            Action::PayInvoices => "Pay invoices, manage billing accounts and payment methods",
            Action::UseTickets => "Open and follow support tickets",
            Action::EditSettings => "Edit project settings (name, defaults)",
            Action::DeleteProject => "Delete the project",
        }
    }

    /// The roles that may take this action: the table itself, one row per action. For a
    /// switch this is the ceiling: a member's profile can narrow it, never widen it.
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
            Action::ViewServices
            | Action::RestartServices
            | Action::OpenConsole
            | Action::DeployBranches
            | Action::StopServices
            | Action::ManageBackups
            | Action::ViewLogs
            | Action::WebConsole
            | Action::ServiceSettings
            | Action::ManageSshKeys => &[Owner, Admin, Member, Developer],
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
        ServiceAction::Start | ServiceAction::Stop => Action::StopServices,
        ServiceAction::SoftRestart | ServiceAction::HardRestart => Action::RestartServices,
        ServiceAction::CreateBackup
        | ServiceAction::RestoreBackup
        | ServiceAction::DeleteBackup => Action::ManageBackups,
    }
}

/// Seed 004's resource access: which of the project's services a member may see and act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ServiceAccess {
    /// Every service, present and future.
    #[default]
    All,
    /// Only these, by id. Empty means none (seed 004: "leave empty = no access"); a service
    /// activated later is added for every member who has a list (seed 002).
    Only(Vec<String>),
}

impl ServiceAccess {
    pub fn includes(&self, service_id: &str) -> bool {
        match self {
            ServiceAccess::All => true,
            ServiceAccess::Only(ids) => ids.iter().any(|i| i == service_id),
        }
    }
}

/// A member's permission profile (seed 004): the switches that are on and the services they
/// reach. It narrows what the role allows and never widens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Permissions {
    /// The switches that are on; `None` is every switch the role allows (the default).
    pub switches: Option<Vec<Action>>,
    pub services: ServiceAccess,
}

impl Permissions {
    /// Seed 004's "default (no) permissions": no switch, no service.
    pub fn none() -> Self {
        Permissions {
            switches: Some(Vec::new()),
            services: ServiceAccess::Only(Vec::new()),
        }
    }

    /// Whether the switch for `action` is on (true for what is not a switch).
    pub fn switched_on(&self, action: Action) -> bool {
        !action.is_switch() || self.switches.as_ref().is_none_or(|on| on.contains(&action))
    }
}

/// Who is asking, as far as access is concerned. Built by the server from the membership row;
/// sent to the browser so the page can ask the same question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub permissions: Permissions,
}

impl Actor {
    /// A member with everything their role allows (the profile of a member nobody narrowed).
    pub fn of_role(role: Role) -> Self {
        Actor {
            role,
            permissions: Permissions::default(),
        }
    }

    /// The switches this member has, in seed 004's order.
    pub fn switches(&self) -> Vec<Action> {
        Action::SWITCHES
            .into_iter()
            .filter(|a| can(self, *a, Scope::Project))
            .collect()
    }
}

/// What an action is taken on: the project itself, or one of its services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Project,
    Service(&'a str),
}

/// May this member take this action in their project, on this resource? The one question of
/// access: the browser asks it to render, the server to refuse.
///
/// The role is the ceiling (seed 003); Team Owners bypass every profile (seed 004); anyone else
/// needs the action's switch on, the switch to see services for any other service action, and
/// for a service, that service in their resource access.
pub fn can(actor: &Actor, action: Action, on: Scope) -> bool {
    if !action.allowed_roles().contains(&actor.role) {
        return false;
    }
    if actor.role == Role::Owner || !action.is_switch() {
        return true;
    }
    let p = &actor.permissions;
    p.switched_on(action)
        && p.switched_on(Action::ViewServices)
        && match on {
            Scope::Project => true,
            Scope::Service(id) => p.services.includes(id),
        }
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
    /// A Team Owner's profile is moot: Owners bypass every check (seed 004).
    OwnersHaveEverything,
    /// The member's role does not allow this switch at all.
    BeyondRole(Action, Role),
    /// Nobody grants a switch they lack themselves.
    NotYoursToGrant(Action),
    /// Nobody grants access to a service (or to every service) they cannot reach themselves.
    ServicesNotYoursToGrant,
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
            Denial::OwnersHaveEverything => {
                "A Team Owner has every permission on every service; there is nothing to change.".into()
            }
            Denial::BeyondRole(action, role) => format!(
                "“{}” is beyond the {role} role: change the role first.",
                action.describe()
            ),
            Denial::NotYoursToGrant(action) => format!(
                "You cannot grant “{}”: you do not have it yourself.",
                action.describe()
            ),
            Denial::ServicesNotYoursToGrant => {
                "You can only grant access to services you can reach yourself.".into()
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
    if !can(actor, Action::ManageMembers, Scope::Project) {
        return Err(Denial::CannotManageMembers);
    }
    let touches_owner = from == Some(Role::Owner) || to == Some(Role::Owner);
    if touches_owner && !can(actor, Action::ManageOwners, Scope::Project) {
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

/// May `editor` change the profile of a member with role `role` from `before` to `after`?
/// Those who manage the member may narrow it; widening it grants, and nobody grants a switch
/// or a service they lack themselves, or a switch beyond the member's role. What the member
/// already had may stay.
pub fn check_permissions_change(
    editor: &Actor,
    role: Role,
    before: &Permissions,
    after: &Permissions,
) -> Result<(), Denial> {
    check_member_change(editor, Some(role), Some(role))?;
    if role == Role::Owner {
        return Err(Denial::OwnersHaveEverything);
    }
    let had = Actor {
        role,
        permissions: before.clone(),
    };
    // No list: every switch the role allows.
    let wanted: Vec<Action> = after.switches.clone().unwrap_or_else(|| {
        Action::SWITCHES
            .into_iter()
            .filter(|a| a.allowed_roles().contains(&role))
            .collect()
    });
    for action in wanted {
        if !action.allowed_roles().contains(&role) {
            return Err(Denial::BeyondRole(action, role));
        }
        if !had.permissions.switched_on(action) && !can(editor, action, Scope::Project) {
            return Err(Denial::NotYoursToGrant(action));
        }
    }
    let reaches =
        |who: &Actor, id: &str| who.role == Role::Owner || who.permissions.services.includes(id);
    let granted_ok = match &after.services {
        ServiceAccess::All => {
            before.services == ServiceAccess::All
                || editor.role == Role::Owner
                || editor.permissions.services == ServiceAccess::All
        }
        ServiceAccess::Only(ids) => ids
            .iter()
            .all(|id| reaches(&had, id) || reaches(editor, id)),
    };
    if granted_ok {
        Ok(())
    } else {
        Err(Denial::ServicesNotYoursToGrant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor::of_role(role)
    }

    fn may(a: &Actor, action: Action) -> bool {
        can(a, action, Scope::Project)
    }

    #[test]
    fn the_whole_table() {
        use Role::*;
        // (action, [Owner, Admin, Member, Developer, Accountant])
        let expected: [(Action, [bool; 5]); 21] = [
            (Action::ViewDashboard, [true, true, true, true, true]),
            (Action::ViewMembers, [true, true, true, true, true]),
            (Action::ManageMembers, [true, true, false, false, false]),
            (Action::ManageOwners, [true, false, false, false, false]),
            (Action::ViewActivity, [true, true, false, false, false]),
            (Action::ViewServices, [true, true, true, true, false]),
            (Action::RestartServices, [true, true, true, true, false]),
            (Action::OpenConsole, [true, true, true, true, false]),
            (Action::DeployBranches, [true, true, true, true, false]),
            (Action::StopServices, [true, true, true, true, false]),
            (Action::CancelServices, [true, true, false, false, false]),
            (Action::ManageBackups, [true, true, true, true, false]),
            (Action::ViewLogs, [true, true, true, true, false]),
            (Action::WebConsole, [true, true, true, true, false]),
            (Action::ServiceSettings, [true, true, true, true, false]),
            (Action::ManageSshKeys, [true, true, true, true, false]),
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
                assert_eq!(may(&actor(role), action), allowed, "{role:?} {action:?}");
            }
        }
    }

    /// Each sentence of `rights` is a claim about the table; here it is checked.
    #[test]
    fn the_role_descriptions_say_what_the_table_enforces() {
        use Action::*;
        let may = |role, action| may(&actor(role), action);
        // Team Owner: everything.
        assert!(Action::ALL.iter().all(|&a| may(Role::Owner, a)));
        // Team Admin: every feature but Owners (and deleting the project).
        for a in [
            EditSettings,
            ViewServices,
            RestartServices,
            ViewInvoices,
            PayInvoices,
            ManageMembers,
        ] {
            assert!(may(Role::Admin, a), "{a:?}");
        }
        assert!(!may(Role::Admin, ManageOwners));
        // Team Member: services, no settings, billing or inviting.
        assert!(may(Role::Member, ViewServices) && may(Role::Member, StopServices));
        for a in [EditSettings, PayInvoices, ManageMembers] {
            assert!(!may(Role::Member, a), "{a:?}");
        }
        // Developer: services; no invoices, payments or project details.
        assert!(may(Role::Developer, ViewServices) && may(Role::Developer, RestartServices));
        for a in [ViewInvoices, PayInvoices, EditSettings] {
            assert!(!may(Role::Developer, a), "{a:?}");
        }
        // Accountant: invoices and payments; not services.
        assert!(may(Role::Accountant, ViewInvoices) && may(Role::Accountant, PayInvoices));
        assert!(!may(Role::Accountant, StopServices));
        assert!(!may(Role::Accountant, ViewActivity));
        assert!(rights(Role::Accountant).contains("Does not manage services or view the history"));
    }

    #[test]
    fn every_service_action_is_in_the_table() {
        use Role::*;
        for &a in ServiceAction::ALL {
            let who: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| may(&actor(*r), service_action(a)))
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
        assert!(!may(&actor(Role::Member), Action::EditSettings));
        assert!(!may(&actor(Role::Developer), Action::EditSettings));
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

    fn profile(role: Role, switches: &[Action], services: ServiceAccess) -> Actor {
        Actor {
            role,
            permissions: Permissions {
                switches: Some(switches.to_vec()),
                services,
            },
        }
    }

    /// Role × switch × resource: the profile narrows the role, the role caps the profile,
    /// Owners bypass it, and a service outside the member's access is out of reach.
    #[test]
    fn every_role_switch_and_resource() {
        let only_a = || ServiceAccess::Only(vec!["a".into()]);
        for role in Role::ALL {
            for switch in Action::SWITCHES {
                for access in [ServiceAccess::All, only_a(), ServiceAccess::Only(vec![])] {
                    for on in [true, false] {
                        let mut switches = vec![Action::ViewServices];
                        if on {
                            switches.push(switch);
                        }
                        let who = profile(role, &switches, access.clone());
                        let ceiling = switch.allowed_roles().contains(&role);
                        let owner = role == Role::Owner;
                        let switched = on || switch == Action::ViewServices;
                        for (resource, reachable) in [
                            (Scope::Project, true),
                            (Scope::Service("a"), access.includes("a")),
                            (Scope::Service("b"), access.includes("b")),
                        ] {
                            let expected = ceiling && (owner || (switched && reachable));
                            assert_eq!(
                                can(&who, switch, resource),
                                expected,
                                "{role:?} {switch:?} on={on} {access:?} {resource:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn without_the_services_switch_no_service_action_is_possible() {
        let who = profile(
            Role::Developer,
            &[Action::RestartServices],
            ServiceAccess::All,
        );
        assert!(!can(&who, Action::RestartServices, Scope::Service("a")));
        assert!(!may(&who, Action::ViewServices));
        // What is not a switch stays with the role.
        assert!(may(&who, Action::UseTickets) && may(&who, Action::ManageSshKeys));
    }

    #[test]
    fn no_permissions_means_nothing_on_services() {
        let who = Actor {
            role: Role::Admin,
            permissions: Permissions::none(),
        };
        assert!(who.switches().is_empty());
        assert!(may(&who, Action::ManageMembers));
        let owner = Actor {
            role: Role::Owner,
            permissions: Permissions::none(),
        };
        assert_eq!(owner.switches(), Action::SWITCHES.to_vec());
    }

    #[test]
    fn nobody_grants_what_they_lack() {
        let all = Permissions::default();
        let nothing = Permissions::none();
        let admin_without_backups = profile(
            Role::Admin,
            &[Action::ViewServices, Action::RestartServices],
            ServiceAccess::Only(vec!["a".into()]),
        );
        let grant = |switches: &[Action], services: ServiceAccess| Permissions {
            switches: Some(switches.to_vec()),
            services,
        };
        // Narrowing is always allowed to those who manage the member.
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Developer, &all, &nothing),
            Ok(())
        );
        // Granting a switch the editor lacks is not; keeping one the member had is.
        let backups = grant(
            &[Action::ViewServices, Action::ManageBackups],
            ServiceAccess::Only(vec![]),
        );
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Developer, &nothing, &backups),
            Err(Denial::NotYoursToGrant(Action::ManageBackups))
        );
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Developer, &backups, &backups),
            Ok(())
        );
        // Services: only those the editor reaches, and "all" only from someone who has all.
        let b = grant(&[], ServiceAccess::Only(vec!["b".into()]));
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Member, &nothing, &b),
            Err(Denial::ServicesNotYoursToGrant)
        );
        let a = grant(&[], ServiceAccess::Only(vec!["a".into()]));
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Member, &nothing, &a),
            Ok(())
        );
        assert_eq!(
            check_permissions_change(&admin_without_backups, Role::Member, &nothing, &all),
            Err(Denial::NotYoursToGrant(Action::OpenConsole))
        );
        assert_eq!(
            check_permissions_change(
                &admin_without_backups,
                Role::Member,
                &nothing,
                &grant(&[], ServiceAccess::All)
            ),
            Err(Denial::ServicesNotYoursToGrant)
        );
        // The role caps the profile; Owners have everything; only managers edit.
        let owner = actor(Role::Owner);
        assert_eq!(
            check_permissions_change(
                &owner,
                Role::Developer,
                &nothing,
                &grant(&[Action::CancelServices], ServiceAccess::All)
            ),
            Err(Denial::BeyondRole(Action::CancelServices, Role::Developer))
        );
        assert_eq!(
            check_permissions_change(&owner, Role::Developer, &nothing, &all),
            Ok(())
        );
        assert_eq!(
            check_permissions_change(&owner, Role::Owner, &all, &nothing),
            Err(Denial::OwnersHaveEverything)
        );
        assert_eq!(
            check_permissions_change(&actor(Role::Admin), Role::Owner, &all, &nothing),
            Err(Denial::OnlyOwnersManageOwners)
        );
        assert_eq!(
            check_permissions_change(&actor(Role::Developer), Role::Member, &all, &nothing),
            Err(Denial::CannotManageMembers)
        );
        assert_eq!(
            check_permissions_change(&owner, Role::Admin, &nothing, &all),
            Ok(())
        );
    }

    #[test]
    fn switches_have_keys() {
        for a in Action::SWITCHES {
            assert_eq!(Action::parse_switch(a.key()), Ok(a));
        }
        assert!(Action::parse_switch("manage_members").is_err());
        assert!(Action::parse_switch("").is_err());
    }
}
