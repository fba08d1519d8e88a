//! finAPI's *data decryption key* (DDK) scheme, which protects user data that a client sees outside a
//! user's context: the `passwordChangeToken` and `userEmail` of `POST /api/v2/users/requestPasswordChange`.
//!
//! The emulator encrypts exactly as finAPI documents it ("How to decrypt data with your data decryption
//! key", documentation.finapi.io), so that code written against it decrypts finAPI's values too:
//!
//! - the DDK is 32 hexadecimal digits (128 bits);
//! - AES key = PBKDF2-HMAC-SHA1(password = the DDK's text as UTF-8, salt = the DDK's 16 bytes
//!   (hex-decoded), 1000 iterations, 128-bit output);
//! - cipher = AES-128-CBC with PKCS#5 (PKCS#7) padding; IV = the DDK's 16 bytes (hex-decoded);
//! - the ciphertext travels as standard Base64 (with `=` padding).
//!
//! The IV is fixed, so equal plaintexts give equal ciphertexts: that is finAPI's scheme, copied, not a
//! recommendation. [`decrypt`] is what a client of finAPI (the proxy) needs.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use std::fmt;

type Aes128CbcEncryptor = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDecryptor = cbc::Decryptor<aes::Aes128>;

/// PBKDF2 iterations finAPI uses.
const ITERATIONS: u32 = 1000;
/// Hex digits of a DDK (16 bytes).
pub const KEY_HEX_LENGTH: usize = 32;

/// A client's data decryption key: 32 hexadecimal digits (either case; the text is used as given).
#[derive(Clone, PartialEq, Eq)]
pub struct DataDecryptionKey {
    text: String,
    bytes: [u8; 16],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKey {
    #[error("a data decryption key is {KEY_HEX_LENGTH} hexadecimal digits, this one has {0} characters")]
    Length(usize),
    #[error("a data decryption key is {KEY_HEX_LENGTH} hexadecimal digits; it contains another character")]
    NotHex,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    #[error("the value is not Base64")]
    NotBase64,
    #[error("the value does not decrypt with this key (wrong key, or not encrypted data)")]
    WrongKeyOrData,
    #[error("the decrypted value is not UTF-8 text")]
    NotText,
}

impl DataDecryptionKey {
    pub fn parse(text: &str) -> Result<Self, InvalidKey> {
        if text.chars().count() != KEY_HEX_LENGTH {
            return Err(InvalidKey::Length(text.chars().count()));
        }
        // Checked first: `from_str_radix` alone would also take a sign ("+f").
        if !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(InvalidKey::NotHex);
        }
        let mut bytes = [0u8; 16];
        for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| InvalidKey::NotHex)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| InvalidKey::NotHex)?;
        }
        Ok(DataDecryptionKey {
            text: text.to_owned(),
            bytes,
        })
    }

    /// A fresh random key (lower-case hex).
    pub fn generate() -> Self {
        let bytes: [u8; 16] = rand::random();
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        DataDecryptionKey { text, bytes }
    }

    /// The key as configured, for showing it to the developer who owns it (never log it).
    pub fn reveal(&self) -> &str {
        &self.text
    }

    fn aes_key(&self) -> [u8; 16] {
        pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 16>(self.text.as_bytes(), &self.bytes, ITERATIONS)
    }
}

impl fmt::Debug for DataDecryptionKey {
    // The key never reaches a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataDecryptionKey(…)")
    }
}

/// Encrypts `plaintext` as finAPI does; the result is Base64.
pub fn encrypt(key: &DataDecryptionKey, plaintext: &str) -> String {
    let ciphertext = Aes128CbcEncryptor::new(&key.aes_key().into(), &key.bytes.into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext.as_bytes());
    BASE64.encode(ciphertext)
}

/// Decrypts a Base64 value finAPI (or the emulator) encrypted with `key`.
pub fn decrypt(key: &DataDecryptionKey, encrypted: &str) -> Result<String, DecryptError> {
    let ciphertext = BASE64.decode(encrypted.trim()).map_err(|_| DecryptError::NotBase64)?;
    let plaintext = Aes128CbcDecryptor::new(&key.aes_key().into(), &key.bytes.into())
        .decrypt_padded_vec_mut::<Pkcs7>(&ciphertext)
        .map_err(|_| DecryptError::WrongKeyOrData)?;
    String::from_utf8(plaintext).map_err(|_| DecryptError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "3c9f1e7a5b2d4c6e8f0a1b2c3d4e5f60";

    /// Computed independently of this code, with OpenSSL 3 and Python's hashlib:
    /// `openssl kdf -keylen 16 -kdfopt digest:SHA1 -kdfopt pass:$KEY -kdfopt hexsalt:$KEY -kdfopt iter:1000 PBKDF2`
    /// then `printf %s 45a611d8-8a19-4a02-8726-a24b6a691ce9 | openssl enc -aes-128-cbc -K $AES -iv $KEY -base64 -A`.
    const TOKEN: &str = "45a611d8-8a19-4a02-8726-a24b6a691ce9";
    const TOKEN_ENCRYPTED: &str = "R9wvK2E0RX3fbys4TE5g//hirC+2+GWOkks4jUDoq7OIqo7I9XlZB8qmZUVpDMVE";

    #[test]
    fn matches_an_independent_implementation() {
        let key = DataDecryptionKey::parse(KEY).unwrap();
        assert_eq!(encrypt(&key, TOKEN), TOKEN_ENCRYPTED);
        assert_eq!(decrypt(&key, TOKEN_ENCRYPTED).unwrap(), TOKEN);
    }

    #[test]
    fn round_trips_and_refuses_a_wrong_key() {
        let key = DataDecryptionKey::generate();
        let encrypted = encrypt(&key, "jane@example.com");
        assert_eq!(decrypt(&key, &encrypted).unwrap(), "jane@example.com");
        let other = DataDecryptionKey::generate();
        assert_ne!(decrypt(&other, &encrypted), Ok("jane@example.com".to_owned()));
        assert_eq!(decrypt(&key, "not base64!"), Err(DecryptError::NotBase64));
    }

    #[test]
    fn keys_are_32_hex_digits_and_never_printed() {
        assert!(DataDecryptionKey::parse(KEY).is_ok());
        assert!(DataDecryptionKey::parse(&KEY.to_uppercase()).is_ok());
        assert_eq!(DataDecryptionKey::parse("abc"), Err(InvalidKey::Length(3)));
        assert_eq!(DataDecryptionKey::parse(&"g".repeat(32)), Err(InvalidKey::NotHex));
        assert_eq!(DataDecryptionKey::parse(&"é".repeat(16)), Err(InvalidKey::Length(16)));
        assert_eq!(
            DataDecryptionKey::parse(&format!("+f{}", &KEY[2..])),
            Err(InvalidKey::NotHex)
        );
        assert!(!format!("{:?}", DataDecryptionKey::parse(KEY).unwrap()).contains("3c9f"));
    }
}
