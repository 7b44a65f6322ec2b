//! Notices shown after a form post ("Name saved."). They travel in the address (a plain form
//! post is answered with a redirect), so each carries a seal: an HMAC of its text keyed by the
//! session it was written for. A link someone else crafted, or one from another session, shows
//! nothing (issue 9: no free text from the address bar in Roster's voice).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type Seal = Hmac<Sha256>;

fn mac(session_hash: &str, notice: &str) -> Seal {
    let mut mac =
        Seal::new_from_slice(session_hash.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(notice.as_bytes());
    mac
}

pub fn seal(session_hash: &str, notice: &str) -> String {
    let tag = mac(session_hash, notice).finalize().into_bytes();
    tag.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `seal` was made for `notice` in this session (compared in constant time).
pub fn is_sealed(session_hash: &str, notice: &str, seal: &str) -> bool {
    let Some(tag) = decode_hex(seal) else {
        return false;
    };
    mac(session_hash, notice).verify_slice(&tag).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_opens_only_its_own_text_in_its_own_session() {
        let s = seal("session-a", "Name saved.");
        assert!(is_sealed("session-a", "Name saved.", &s));
        assert!(!is_sealed("session-b", "Name saved.", &s));
        assert!(!is_sealed("session-a", "Your account is suspended.", &s));
        assert!(!is_sealed("session-a", "Name saved.", "not hex"));
        assert!(!is_sealed("session-a", "Name saved.", ""));
    }
}
