//! Services (seed 001's table; issue 10): what a project runs at the hosting company, where it
//! stands, and what a member may ask the back office to do with it. The rules of which action
//! applies to which service in which state live here, so the page offers exactly the buttons
//! the server accepts.

use super::one_line;
use serde::{Deserialize, Serialize};

keyed!(
    /// The kinds of service of seed 001.
    ServiceKind, "a service type" {
        Vps = "vps", "VPS";
        Iaas = "iaas", "IaaS (VMware)";
        Storage = "storage", "Storage";
        Dns = "dns", "DNS";
        Ssl = "ssl", "SSL";
        Monitoring = "monitoring", "Monitoring";
    }
);

keyed!(
    /// Where a service stands, as the back office reports it.
    ServiceStatus, "a service status" {
        Provisioning = "provisioning", "Provisioning";
        Running = "running", "Running";
        Stopped = "stopped", "Stopped";
        Suspended = "suspended", "Suspended";
        Cancelled = "cancelled", "Cancelled";
    }
);

keyed!(
    /// What a member may ask the back office to do with a service (seed 004's list).
    ServiceAction, "a service action" {
        Start = "start", "Start";
        Stop = "stop", "Stop";
        SoftRestart = "soft_restart", "Soft restart";
        HardRestart = "hard_restart", "Hard restart";
        CreateBackup = "create_backup", "Create backup";
        RestoreBackup = "restore_backup", "Restore backup";
        DeleteBackup = "delete_backup", "Delete backup";
        Cancel = "cancel", "Cancel service";
    }
);

keyed!(
    /// Where a requested action stands at the back office.
    OperationStatus, "an operation status" {
        Queued = "queued", "Queued";
        Running = "running", "Running";
        Done = "done", "Done";
        Failed = "failed", "Failed";
    }
);

impl ServiceKind {
    /// Machines: they can be started, stopped, restarted and backed up.
    fn is_machine(self) -> bool {
        matches!(self, ServiceKind::Vps | ServiceKind::Iaas)
    }
}

impl ServiceStatus {
    /// A service in this state is still billed and running somewhere: the project cannot be
    /// deleted while it has one.
    pub fn is_active(self) -> bool {
        !matches!(self, ServiceStatus::Cancelled)
    }
}

impl OperationStatus {
    pub fn is_pending(self) -> bool {
        matches!(self, OperationStatus::Queued | OperationStatus::Running)
    }

    /// The back office moves an operation forward only: queued → running → done or failed.
    pub fn may_become(self, next: OperationStatus) -> bool {
        use OperationStatus::*;
        matches!(
            (self, next),
            (Queued, Running) | (Queued | Running, Done | Failed)
        )
    }
}

/// Why an action cannot be asked for now, in words for the person who asked.
pub type Refusal = String;

impl ServiceAction {
    /// Whether `self` may be asked of a service of `kind` in `status`. `pending` is the action
    /// still with the back office, if any: one at a time, so two tabs or a double click cannot
    /// queue a restart twice.
    pub fn check(
        self,
        kind: ServiceKind,
        status: ServiceStatus,
        pending: Option<ServiceAction>,
    ) -> Result<(), Refusal> {
        use ServiceAction::*;
        use ServiceStatus::*;
        if let Some(p) = pending {
            return Err(format!(
                "“{}” is still in progress; wait until the back office has finished it.",
                p.label()
            ));
        }
        if status == Cancelled {
            return Err("This service is cancelled.".into());
        }
        // Every action but cancelling is on a machine (or its backups).
        let machine_only = self != Cancel;
        if machine_only && !kind.is_machine() {
            return Err(format!(
                "{} services cannot be asked to “{}”.",
                kind.label(),
                self.label().to_lowercase()
            ));
        }
        let allowed: &[ServiceStatus] = match self {
            Start => &[Stopped],
            Stop | SoftRestart | HardRestart => &[Running],
            CreateBackup | RestoreBackup => &[Running, Stopped],
            DeleteBackup => &[Provisioning, Running, Stopped, Suspended],
            Cancel => &[Provisioning, Running, Stopped, Suspended],
        };
        if allowed.contains(&status) {
            return Ok(());
        }
        let needed: Vec<String> = allowed.iter().map(|s| s.label().to_lowercase()).collect();
        Err(format!(
            "“{}” needs the service to be {}; it is {}.",
            self.label(),
            needed.join(" or "),
            status.label().to_lowercase()
        ))
    }

    /// Whether the action is on one of the service's backups (which the request names).
    pub fn needs_backup(self) -> bool {
        matches!(
            self,
            ServiceAction::RestoreBackup | ServiceAction::DeleteBackup
        )
    }

    /// The actions on the service itself to offer, in the order the page shows them (those on
    /// a backup are offered next to each backup).
    pub fn available(
        kind: ServiceKind,
        status: ServiceStatus,
        pending: Option<ServiceAction>,
    ) -> Vec<ServiceAction> {
        Self::ALL
            .iter()
            .copied()
            .filter(|a| !a.needs_backup() && a.check(kind, status, pending).is_ok())
            .collect()
    }

    /// The service's status once the back office has done it.
    pub fn outcome(self, before: ServiceStatus) -> ServiceStatus {
        match self {
            ServiceAction::Start | ServiceAction::SoftRestart | ServiceAction::HardRestart => {
                ServiceStatus::Running
            }
            ServiceAction::Stop => ServiceStatus::Stopped,
            ServiceAction::Cancel => ServiceStatus::Cancelled,
            ServiceAction::CreateBackup
            | ServiceAction::RestoreBackup
            | ServiceAction::DeleteBackup => before,
        }
    }
}

/// A service's name, plan or region as the back office writes it: one line of 1–80 visible
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServiceText(String);

impl ServiceText {
    pub const MAX_LEN: usize = 80;

    pub fn parse(input: &str) -> Result<Self, String> {
        one_line(input, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(ServiceText);

#[cfg(test)]
mod tests {
    use super::*;
    use ServiceAction::*;
    use ServiceStatus::*;

    #[test]
    fn keys_round_trip() {
        for k in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(k.key()), Ok(*k));
        }
        for s in ServiceStatus::ALL {
            assert_eq!(ServiceStatus::parse(s.key()), Ok(*s));
        }
        for a in ServiceAction::ALL {
            assert_eq!(ServiceAction::parse(a.key()), Ok(*a));
        }
        for o in OperationStatus::ALL {
            assert_eq!(OperationStatus::parse(o.key()), Ok(*o));
        }
        assert!(ServiceAction::parse("reboot")
            .unwrap_err()
            .contains("soft_restart"));
    }

    #[test]
    fn machines_offer_what_their_state_allows() {
        let vps = ServiceKind::Vps;
        assert_eq!(
            ServiceAction::available(vps, Running, None),
            vec![Stop, SoftRestart, HardRestart, CreateBackup, Cancel]
        );
        assert_eq!(
            ServiceAction::available(vps, Stopped, None),
            vec![Start, CreateBackup, Cancel]
        );
        assert_eq!(
            ServiceAction::available(vps, Provisioning, None),
            vec![Cancel]
        );
        assert!(ServiceAction::available(vps, Cancelled, None).is_empty());
    }

    #[test]
    fn other_services_can_only_be_cancelled() {
        for kind in [
            ServiceKind::Storage,
            ServiceKind::Dns,
            ServiceKind::Ssl,
            ServiceKind::Monitoring,
        ] {
            assert_eq!(ServiceAction::available(kind, Running, None), vec![Cancel]);
            assert!(Start
                .check(kind, Stopped, None)
                .unwrap_err()
                .contains(kind.label()));
        }
    }

    #[test]
    fn one_action_at_a_time() {
        let err = Stop
            .check(ServiceKind::Vps, Running, Some(SoftRestart))
            .unwrap_err();
        assert!(err.contains("Soft restart"), "{err}");
        assert!(ServiceAction::available(ServiceKind::Vps, Running, Some(Stop)).is_empty());
    }

    #[test]
    fn outcomes_and_operation_steps() {
        assert_eq!(Stop.outcome(Running), Stopped);
        assert_eq!(HardRestart.outcome(Running), Running);
        assert_eq!(CreateBackup.outcome(Stopped), Stopped);
        assert_eq!(RestoreBackup.outcome(Running), Running);
        assert!(RestoreBackup.needs_backup() && DeleteBackup.needs_backup());
        assert!(RestoreBackup.check(ServiceKind::Vps, Stopped, None).is_ok());
        assert!(DeleteBackup.check(ServiceKind::Dns, Running, None).is_err());
        assert_eq!(Cancel.outcome(Running), Cancelled);
        use OperationStatus as O;
        assert!(O::Queued.may_become(O::Running));
        assert!(O::Running.may_become(O::Done));
        assert!(O::Queued.may_become(O::Failed));
        assert!(!O::Done.may_become(O::Failed));
        assert!(!O::Running.may_become(O::Queued));
        assert!(!O::Failed.may_become(O::Done));
    }

    #[test]
    fn service_text() {
        assert_eq!(ServiceText::parse("  web-1 ").unwrap().as_str(), "web-1");
        assert!(ServiceText::parse("").is_err());
        assert!(ServiceText::parse("a\nb").is_err());
        assert!(ServiceText::parse(&"x".repeat(81)).is_err());
    }
}
