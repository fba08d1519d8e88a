//! Phone numbers: finAPI's rule (≤ 50 allowed characters) and our onboarding rule, which also asks for
//! something shaped like a number (digits with `+ - ( ) .` and spaces), e.g. `+49 99 999999-999`.

use crate::field::FieldError;

pub const PHONE_MAX_LENGTH: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// finAPI's rule only. Surrounding spaces are ignored.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = input.trim();
        crate::charset::check_length(value, 1, PHONE_MAX_LENGTH)?;
        crate::charset::check(value)?;
        Ok(Phone(value.to_owned()))
    }

    /// finAPI's rule plus the shape of a phone number.
    pub fn parse_number(input: &str) -> Result<Self, FieldError> {
        let phone = Phone::parse(input)?;
        let shaped = phone.0.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && phone.0.chars().filter(char::is_ascii_digit).count() >= 3;
        if shaped {
            Ok(phone)
        } else {
            Err(FieldError::NotAPhoneNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_50_characters_and_refuses_51() {
        assert!(Phone::parse_number(&"1".repeat(50)).is_ok());
        assert_eq!(
            Phone::parse_number(&"1".repeat(51)),
            Err(FieldError::TooLong { max: 50 })
        );
    }

    #[test]
    fn accepts_finapis_example() {
        assert_eq!(
            Phone::parse_number("+49 99 999999-999").unwrap().as_str(),
            "+49 99 999999-999"
        );
    }

    #[test]
    fn onboarding_rule_refuses_words() {
        assert_eq!(Phone::parse_number("call me"), Err(FieldError::NotAPhoneNumber));
        assert_eq!(Phone::parse_number("+"), Err(FieldError::NotAPhoneNumber));
        assert!(
            Phone::parse("call me").is_ok(),
            "finAPI itself accepts any allowed text"
        );
    }

    #[test]
    fn forbidden_characters_are_named_first() {
        assert_eq!(
            Phone::parse_number("0171/123456"),
            Err(FieldError::ForbiddenCharacter { character: '/' })
        );
    }
}
