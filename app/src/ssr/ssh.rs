//! SSH public keys as members paste them (issue 10): parsed by `ssh-key`, fingerprinted the
//! way `ssh-keygen -l` prints it, and stored without the comment (the key's name is separate).

use super::{
    authorize,
    database::Db,
    live::Hub,
    session::SessionUser,
    store::{
        activity::{self, Kind},
        is_id, ssh_keys,
    },
};
use crate::{
    access::{Action, Scope},
    error::AppError,
};
use ssh_key::{Algorithm, HashAlg, PublicKey};

#[derive(Debug)]
pub struct ParsedKey {
    pub algorithm: String,
    pub fingerprint: String,
    /// `<algorithm> <base64>`.
    pub openssh: String,
    pub comment: String,
}

/// The longest key line accepted (an RSA 16384-bit key is about 2,800 characters).
const MAX_LEN: usize = 8_192;

pub fn parse(raw: &str) -> Result<ParsedKey, String> {
    let line = raw.trim();
    if line.is_empty() {
        return Err("Paste the public key (the contents of a .pub file).".into());
    }
    if line.len() > MAX_LEN {
        return Err("This is too long for an SSH public key.".into());
    }
    if line.contains("PRIVATE KEY") {
        return Err(
            "This is a private key. Never share it: paste the public key (the .pub file) instead."
                .into(),
        );
    }
    let key = PublicKey::from_openssh(line).map_err(|_| {
        "This is not an SSH public key in OpenSSH format (such as “ssh-ed25519 AAAA… you@host”)."
            .to_owned()
    })?;
    if key.algorithm() == Algorithm::Dsa {
        return Err("DSA keys are no longer accepted by OpenSSH; use an Ed25519 key.".into());
    }
    if let Some(rsa) = key.key_data().rsa() {
        let bits = rsa.n.as_positive_bytes().map_or(0, |b| b.len() * 8);
        if bits < 2048 {
            return Err(format!(
                "This RSA key has {bits} bits; use at least 2048 (or an Ed25519 key)."
            ));
        }
    }
    let mut bare = key.clone();
    bare.set_comment("");
    Ok(ParsedKey {
        algorithm: key.algorithm().as_str().to_owned(),
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        openssh: bare
            .to_openssh()
            .map_err(|_| "This key could not be read.".to_owned())?
            .trim()
            .to_owned(),
        comment: key.comment().to_owned(),
    })
}

/// Keys one project may hold.
pub const MAX_KEYS: i64 = 100;

/// A member adds a key to the project (or removes one), under the project lock, recorded in
/// the activity log (the live event for open pages).
pub async fn add(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    name: &str,
    key: &ParsedKey,
    now: i64,
) -> Result<(), AppError> {
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::ManageSshKeys, Scope::Project).await?;
    if ssh_keys::count(&mut tx, project_id).await? >= MAX_KEYS {
        return Err(AppError::conflict(
            "public_key",
            format!("A project holds at most {MAX_KEYS} SSH keys; remove one first."),
        ));
    }
    if !ssh_keys::insert(&mut tx, project_id, name, key, &user.name, now).await? {
        return Err(AppError::conflict(
            "public_key",
            format!("This project has this key already ({}).", key.fingerprint),
        ));
    }
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::SshKeyAdded,
        (Some(&user.user_id), &user.name),
        name,
        Some(&key.fingerprint),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(())
}

pub async fn remove(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    id: &str,
    now: i64,
) -> Result<String, AppError> {
    let missing = || AppError::NotFound("This project has no such SSH key.".into());
    if !is_id(id) {
        return Err(missing());
    }
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::ManageSshKeys, Scope::Project).await?;
    let name = ssh_keys::delete(&mut tx, project_id, id)
        .await?
        .ok_or_else(missing)?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::SshKeyRemoved,
        (Some(&user.user_id), &user.name),
        &name,
        None,
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti foo@bar.com";

    #[test]
    fn parses_and_fingerprints_an_ed25519_key() {
        let k = parse(&format!("  {ED25519}\n")).unwrap();
        assert_eq!(k.algorithm, "ssh-ed25519");
        assert!(k.fingerprint.starts_with("SHA256:"), "{}", k.fingerprint);
        assert_eq!(k.fingerprint.len(), "SHA256:".len() + 43);
        assert_eq!(k.comment, "foo@bar.com");
        assert!(!k.openssh.contains("foo@bar.com"));
        assert!(k.openssh.starts_with("ssh-ed25519 AAAA"));
    }

    #[test]
    fn refuses_what_is_not_a_public_key() {
        assert!(parse("").is_err());
        assert!(parse("ssh-ed25519 not-base64").is_err());
        assert!(parse("hello world").is_err());
        assert!(parse("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")
            .unwrap_err()
            .contains("private key"));
        let truncated = &ED25519[..60];
        assert!(parse(truncated).is_err());
    }
}
