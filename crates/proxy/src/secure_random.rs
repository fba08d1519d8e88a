//! Unguessable handles and codes, from the operating system's CSPRNG.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;

/// 256 random bits, base64url: for session handles and handoff codes.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let (a, b) = (super::token(), super::token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
