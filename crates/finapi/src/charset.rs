//! finAPI's allowed character set for free text ("allowed characters" in finAPI's documentation).
//!
//! A-Z, a-z, 0-9, space, `& ( ) { } [ ] . : , ; ? ! + - _ $ @ # ~ ` ^ €`, and U+00A1–U+02AF.
//! Notably *not* allowed: `" ' % * / \ < > = |` and control characters.

use crate::field::FieldError;

/// Whether finAPI accepts `c` in a free-text field (email, phone, password).
pub fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || " &(){}[].:,;?!+-_$@#~`^€".contains(c) || ('\u{00A1}'..='\u{02AF}').contains(&c)
}

/// The first character of `value` that finAPI would refuse, as a field error.
pub fn check(value: &str) -> Result<(), FieldError> {
    match value.chars().find(|c| !is_allowed(*c)) {
        Some(character) => Err(FieldError::ForbiddenCharacter { character }),
        None => Ok(()),
    }
}

/// Checks a length in characters (finAPI counts characters, not bytes).
pub fn check_length(value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let length = value.chars().count();
    if length == 0 && min > 0 {
        Err(FieldError::Missing)
    } else if length < min {
        Err(FieldError::TooShort { min })
    } else if length > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_digits_and_listed_punctuation_are_allowed() {
        for c in "azAZ09 &(){}[].:,;?!+-_$@#~`^€".chars() {
            assert!(is_allowed(c), "{c:?} should be allowed");
        }
    }

    #[test]
    fn latin_supplement_and_extended_are_allowed_at_their_edges() {
        for c in ['\u{00A1}', 'ä', 'ß', '\u{00FF}', '\u{0100}', 'ł', '\u{02AF}'] {
            assert!(is_allowed(c), "{c:?} should be allowed");
        }
    }

    #[test]
    fn characters_outside_the_set_are_refused() {
        for c in [
            '"', '\'', '%', '*', '/', '\\', '<', '>', '=', '|', '\n', '\t', '\u{00A0}', '\u{02B0}', 'Ж', '😀',
        ] {
            assert!(!is_allowed(c), "{c:?} should be refused");
        }
    }

    #[test]
    fn check_names_the_first_forbidden_character() {
        assert_eq!(check("abc%d*"), Err(FieldError::ForbiddenCharacter { character: '%' }));
        assert_eq!(check("Grüße aus Köln"), Ok(()));
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert_eq!(check_length("ääää", 1, 4), Ok(()));
        assert_eq!(check_length("äääää", 1, 4), Err(FieldError::TooLong { max: 4 }));
        assert_eq!(check_length("", 1, 4), Err(FieldError::Missing));
        assert_eq!(check_length("a", 2, 4), Err(FieldError::TooShort { min: 2 }));
    }
}
