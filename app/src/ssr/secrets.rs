//! Secrets at rest (issue 12: a project's AI API key). Sealed with AES-256-GCM under the
//! server's key-encryption key, a fresh random nonce each time, and the project's id as
//! associated data: a sealed value copied into another project's row does not open.
//!
//! The key-encryption key is `ROSTER_SECRET_KEY` (32 bytes, base64), or for the embedded
//! default a key generated on first start into a file beside the database.

use aes_gcm::{
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
    Aes256Gcm, Key, Nonce,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use std::path::Path;

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct Secrets(Aes256Gcm);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

impl Secrets {
    pub fn new(key: &[u8; 32]) -> Self {
        Secrets(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)))
    }

    /// `plaintext` sealed for `owner` (a project's id), as base64 of nonce and ciphertext.
    pub fn seal(&self, plaintext: &str, owner: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a short text cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        STANDARD.encode(out)
    }

    /// The text sealed for `owner`; `None` if it was sealed under another key or for another
    /// owner, or was altered.
    pub fn open(&self, sealed: &str, owner: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// The key-encryption key: `configured` (base64 of 32 bytes) if given, else the one in `file`,
/// which is created with a new random key (readable by its owner only) if it does not exist.
pub fn load_key(configured: Option<&str>, file: &Path) -> Result<[u8; 32], String> {
    let decode = |text: &str, from: &str| -> Result<[u8; 32], String> {
        STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                format!("{from} must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)")
            })
    };
    if let Some(text) = configured {
        return decode(text, "ROSTER_SECRET_KEY");
    }
    match std::fs::read_to_string(file) {
        Ok(text) => decode(&text, &file.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = Aes256Gcm::generate_key(&mut OsRng).into();
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            write_private(file, &STANDARD.encode(key))
                .map_err(|e| format!("{}: {e}", file.display()))?;
            tracing::info!(file = %file.display(), "generated the key that seals stored secrets");
            Ok(key)
        }
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

#[cfg(unix)]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_with_its_key_and_owner() {
        let secrets = Secrets::new(&[7; 32]);
        let a = secrets.seal("sk-live-1234", "project-a");
        let b = secrets.seal("sk-live-1234", "project-a");
        assert_ne!(a, b, "a fresh nonce every time");
        assert!(!a.contains("1234"));
        assert_eq!(
            secrets.open(&a, "project-a").as_deref(),
            Some("sk-live-1234")
        );
        assert_eq!(secrets.open(&a, "project-b"), None, "bound to its project");
        assert_eq!(Secrets::new(&[8; 32]).open(&a, "project-a"), None);
        let mut tampered = STANDARD.decode(&a).unwrap();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(secrets.open(&STANDARD.encode(tampered), "project-a"), None);
        assert_eq!(secrets.open("junk", "project-a"), None);
    }

    #[test]
    fn the_key_comes_from_the_setting_or_a_file_made_once() {
        let dir = std::env::temp_dir().join(format!("roster-key-{}", std::process::id()));
        let file = dir.join("secret.key");
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_key(None, &file).unwrap();
        assert_eq!(load_key(None, &file).unwrap(), first, "kept across starts");
        let configured = STANDARD.encode([9u8; 32]);
        assert_eq!(load_key(Some(&configured), &file).unwrap(), [9u8; 32]);
        assert!(load_key(Some("too short"), &file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
