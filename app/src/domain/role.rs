use serde::{Deserialize, Serialize};
use std::fmt;

/// A member's role in one project (seed 003). Stored and sent as its lower-case key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
    Developer,
    Accountant,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Member,
        Role::Developer,
        Role::Accountant,
    ];

    pub fn parse(input: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.key() == input.trim())
            .ok_or_else(|| format!("“{}” is not a role in Roster.", input.trim()))
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Developer => "developer",
            Role::Accountant => "accountant",
        }
    }

    /// The role's name as seed 003 writes it, everywhere a person reads one.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Team Owner",
            Role::Admin => "Team Admin",
            Role::Member => "Team Member",
            Role::Developer => "Developer",
            Role::Accountant => "Accountant",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
        assert!(Role::parse("Owner").is_err());
    }
}

keyed!(
    /// What a project's new members start with (seed 004): everything their role allows, or
    /// no permission and no service until someone grants them ("default (no) permissions").
    NewMemberAccess, "a choice for new members" {
        Role = "role", "Everything their role allows";
        Nothing = "none", "No permissions until granted";
    }
);
