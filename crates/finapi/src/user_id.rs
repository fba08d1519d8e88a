//! finAPI's user identifier: 1–36 characters of `A-Z a-z 0-9 - _ . + @`, compared case-insensitively.

use crate::field::FieldError;
use std::fmt;
use std::hash::{Hash, Hasher};

pub const USER_ID_MAX_LENGTH: usize = 36;

/// A user id that follows finAPI's rule. Equality and hashing ignore ASCII case, as finAPI does.
#[derive(Debug, Clone, Eq)]
pub struct UserId(String);

/// Whether `c` may appear in a user id.
pub fn is_user_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '@')
}

impl UserId {
    /// Parses a user id. Surrounding spaces are ignored (people paste them); inner ones are an error.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = input.trim();
        crate::charset::check_length(value, 1, USER_ID_MAX_LENGTH)?;
        match value.chars().find(|c| !is_user_id_char(*c)) {
            Some(character) => Err(FieldError::ForbiddenCharacter { character }),
            None => Ok(UserId(value.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form under which finAPI treats ids as equal: ASCII lower case.
    pub fn canonical(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl PartialEq for UserId {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Hash for UserId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical().hash(state)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_allowed_character_class() {
        for id in [
            "a",
            "Z",
            "7",
            "jane.doe",
            "jane_doe",
            "jane-doe",
            "jane+test",
            "jane@example.com",
        ] {
            assert!(UserId::parse(id).is_ok(), "{id} should be accepted");
        }
    }

    #[test]
    fn accepts_36_characters_and_refuses_37() {
        assert!(UserId::parse(&"a".repeat(36)).is_ok());
        assert_eq!(UserId::parse(&"a".repeat(37)), Err(FieldError::TooLong { max: 36 }));
    }

    #[test]
    fn refuses_an_empty_id() {
        assert_eq!(UserId::parse(""), Err(FieldError::Missing));
        assert_eq!(UserId::parse("   "), Err(FieldError::Missing));
    }

    #[test]
    fn refuses_each_forbidden_character_class() {
        for (id, bad) in [
            ("jane doe", ' '),
            ("jane/doe", '/'),
            ("jäne", 'ä'),
            ("jane#1", '#'),
            ("jane%", '%'),
            ("jane'", '\''),
            ("ja<ne", '<'),
        ] {
            assert_eq!(
                UserId::parse(id),
                Err(FieldError::ForbiddenCharacter { character: bad }),
                "{id}"
            );
        }
    }

    #[test]
    fn ignores_surrounding_spaces() {
        assert_eq!(UserId::parse("  jane  ").unwrap().as_str(), "jane");
    }

    #[test]
    fn compares_case_insensitively() {
        let a = UserId::parse("Jane.Doe").unwrap();
        let b = UserId::parse("jane.doe").unwrap();
        assert_eq!(a, b);
        let mut set = std::collections::HashSet::new();
        set.insert(a);
        assert!(set.contains(&b));
        assert_eq!(UserId::parse("Jane").unwrap().canonical(), "jane");
    }
}
