//! SSH keys (seed 001 "SSH configuration"; issue 10): the project's public keys, which the back
//! office installs when it provisions a machine. Everyone who sees services sees them; whoever
//! manages services adds and removes them.

use crate::{
    access::{can, Action, Actor, Scope},
    error::AppError,
};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::ServiceText,
    error::FieldErrors,
    ssr::{
        authorize,
        request::{app_state, finish, finish_form, redirect_with_notice},
        ssh,
        store::ssh_keys as store,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKey {
    pub id: String,
    pub name: String,
    pub algorithm: String,
    /// "SHA256:…", as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub public_key: String,
    pub added_by: String,
    pub added: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKeys {
    pub actor: Actor,
    pub keys: Vec<SshKey>,
}

impl SshKeys {
    /// Whether the page offers Add and Remove (the server checks the same).
    pub fn manageable(&self) -> bool {
        can(&self.actor, Action::ManageSshKeys, Scope::Project)
    }
}

#[server(endpoint = "ssh_keys")]
pub async fn list_ssh_keys(slug: String) -> Result<SshKeys, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::ViewServices).await?;
            Ok(SshKeys {
                actor: project.actor.clone(),
                keys: store::list(&app_state()?.db, &project.project_id).await?,
            })
        }
        .await,
    )
}

/// Adds a key; an empty name takes the key's comment.
#[server(endpoint = "add_ssh_key")]
pub async fn add_ssh_key(slug: String, name: String, public_key: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::ManageSshKeys).await?;
        let mut errors = FieldErrors::default();
        let parsed = errors.check("public_key", ssh::parse(&public_key));
        let name = parsed.as_ref().and_then(|key| {
            let wanted = if name.trim().is_empty() {
                key.comment.as_str()
            } else {
                name.as_str()
            };
            let fallback = if wanted.trim().is_empty() {
                "SSH key"
            } else {
                wanted
            };
            errors.check("name", ServiceText::parse(fallback))
        });
        let (Some(key), Some(name)) = (parsed, name) else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        ssh::add(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            name.as_str(),
            &key,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/ssh-keys"),
            Some(&format!(
                "SSH key {} added ({}).",
                name.as_str(),
                key.fingerprint
            )),
        );
        Ok(())
    }
    .await;
    finish_form(
        AddSshKey::PATH,
        &[("name", &name), ("public_key", &public_key)],
        result,
    )
}

#[server(endpoint = "remove_ssh_key")]
pub async fn remove_ssh_key(slug: String, id: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::ManageSshKeys).await?;
        let state = app_state()?;
        let name = ssh::remove(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            &id,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/ssh-keys"),
            Some(&format!("SSH key {name} removed.")),
        );
        Ok(())
    }
    .await;
    finish_form(RemoveSshKey::PATH, &[], result)
}
