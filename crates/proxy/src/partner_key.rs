//! The partner key that authenticates the exchange of a handoff code, server to server.
//! Only its SHA-256 digest is kept, and candidates are compared in constant time.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

pub struct PartnerKey {
    digest: [u8; 32],
}

impl PartnerKey {
    pub fn new(key: &SecretString) -> Self {
        PartnerKey {
            digest: Sha256::digest(key.expose_secret().as_bytes()).into(),
        }
    }

    /// From the hex SHA-256 of the key (`sha256sum`), so a configuration file never holds the key itself.
    pub fn from_hex_digest(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let mut digest = [0u8; 32];
        for (byte, pair) in digest.iter_mut().zip(hex.as_bytes().chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(PartnerKey { digest })
    }

    pub fn matches(&self, candidate: &str) -> bool {
        let candidate: [u8; 32] = Sha256::digest(candidate.as_bytes()).into();
        // Constant time: fold every byte's difference, never return early.
        self.digest
            .iter()
            .zip(candidate.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_key_matches() {
        let key = PartnerKey::new(&SecretString::from("k".repeat(40)));
        assert!(key.matches(&"k".repeat(40)));
        assert!(!key.matches(&"k".repeat(39)));
        assert!(!key.matches(""));
        let hex: String = Sha256::digest("k".repeat(40).as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(PartnerKey::from_hex_digest(&hex).unwrap().matches(&"k".repeat(40)));
        assert!(PartnerKey::from_hex_digest("abc").is_none());
    }
}
