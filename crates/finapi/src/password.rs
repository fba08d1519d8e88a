//! Passwords: finAPI's rule (6–128 allowed characters) and our stricter onboarding policy (8–128).
//!
//! The onboarding policy follows NIST SP 800-63B and OWASP ASVS 5.0: a minimum length, a maximum of at
//! least 64, and no composition rules. The maximum stays at finAPI's 128, since finAPI refuses longer ones.

use crate::field::FieldError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub max_length: usize,
}

impl PasswordPolicy {
    /// What finAPI itself accepts (`UserCreateParams.password`).
    pub const FINAPI: PasswordPolicy = PasswordPolicy {
        min_length: 6,
        max_length: 128,
    };
    /// What the onboarding form asks of a new password.
    pub const ONBOARDING: PasswordPolicy = PasswordPolicy {
        min_length: 8,
        max_length: 128,
    };

    /// Checks a password exactly as typed: no trimming, no case change (ASVS 6.2.8).
    pub fn check(&self, password: &str) -> Result<(), FieldError> {
        crate::charset::check_length(password, self.min_length, self.max_length)?;
        crate::charset::check(password)
    }
}

/// A password that passed a policy. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str, policy: PasswordPolicy) -> Result<Self, FieldError> {
        policy.check(input)?;
        Ok(Password(input.to_owned()))
    }

    /// The password itself, for the one place that must send it on.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: PasswordPolicy = PasswordPolicy::ONBOARDING;

    #[test]
    fn onboarding_policy_refuses_7_and_accepts_8_characters() {
        assert_eq!(OURS.check("1234567"), Err(FieldError::TooShort { min: 8 }));
        assert_eq!(OURS.check("12345678"), Ok(()));
    }

    #[test]
    fn onboarding_policy_accepts_128_and_refuses_129_characters() {
        assert_eq!(OURS.check(&"x".repeat(128)), Ok(()));
        assert_eq!(OURS.check(&"x".repeat(129)), Err(FieldError::TooLong { max: 128 }));
    }

    #[test]
    fn finapi_policy_accepts_6_characters() {
        assert_eq!(PasswordPolicy::FINAPI.check("123456"), Ok(()));
        assert_eq!(
            PasswordPolicy::FINAPI.check("12345"),
            Err(FieldError::TooShort { min: 6 })
        );
        assert_eq!(
            PasswordPolicy::FINAPI.check(&"x".repeat(129)),
            Err(FieldError::TooLong { max: 128 })
        );
    }

    #[test]
    fn empty_password_is_missing() {
        assert_eq!(OURS.check(""), Err(FieldError::Missing));
    }

    #[test]
    fn no_composition_rules_apply() {
        for password in ["aaaaaaaa", "correct horse battery staple", "ÄÖÜäöüß€ł"] {
            assert_eq!(OURS.check(password), Ok(()), "{password}");
        }
    }

    #[test]
    fn characters_finapi_refuses_are_named() {
        assert_eq!(
            OURS.check("secret%secret"),
            Err(FieldError::ForbiddenCharacter { character: '%' })
        );
        assert_eq!(
            OURS.check("secret\"secret"),
            Err(FieldError::ForbiddenCharacter { character: '"' })
        );
        assert_eq!(
            OURS.check("tab\tinside!"),
            Err(FieldError::ForbiddenCharacter { character: '\t' })
        );
    }

    #[test]
    fn spaces_are_kept_and_count() {
        assert_eq!(OURS.check("   7 ch"), Err(FieldError::TooShort { min: 8 }));
        assert_eq!(Password::parse(" padded  ", OURS).unwrap().expose(), " padded  ");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = Password::parse("hunter2hunter2", OURS).unwrap();
        assert!(!format!("{password:?}").contains("hunter2"));
    }
}
