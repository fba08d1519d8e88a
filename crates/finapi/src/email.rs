//! Email addresses: finAPI's rule (≤ 320 allowed characters, no syntax check) and our onboarding rule,
//! which also asks for the shape of an address so a typo is caught before finAPI stores it.

use crate::field::FieldError;

pub const EMAIL_MAX_LENGTH: usize = 320;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// finAPI's rule only. Surrounding spaces are ignored.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = input.trim();
        crate::charset::check_length(value, 1, EMAIL_MAX_LENGTH)?;
        crate::charset::check(value)?;
        Ok(Email(value.to_owned()))
    }

    /// finAPI's rule plus the shape `local@domain.tld`, without spaces.
    pub fn parse_address(input: &str) -> Result<Self, FieldError> {
        let email = Email::parse(input)?;
        if looks_like_an_address(&email.0) {
            Ok(email)
        } else {
            Err(FieldError::NotAnEmailAddress)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn looks_like_an_address(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|label| !label.is_empty());
    !local.is_empty() && !value.contains(' ') && labels_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address_of_length(n: usize) -> String {
        let domain = "@example.com";
        format!("{}{}", "a".repeat(n - domain.len()), domain)
    }

    #[test]
    fn accepts_320_characters_and_refuses_321() {
        assert!(Email::parse_address(&address_of_length(320)).is_ok());
        assert_eq!(
            Email::parse_address(&address_of_length(321)),
            Err(FieldError::TooLong { max: 320 })
        );
    }

    #[test]
    fn onboarding_rule_asks_for_an_address_shape() {
        for bad in [
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@example.",
            "jane doe@example.com",
        ] {
            assert_eq!(Email::parse_address(bad), Err(FieldError::NotAnEmailAddress), "{bad}");
        }
        assert!(Email::parse_address("jane.doe+bank@example.co.uk").is_ok());
    }

    #[test]
    fn finapi_rule_only_checks_length_and_characters() {
        assert!(Email::parse("not an address").is_ok());
        assert_eq!(
            Email::parse("jane<@example.com"),
            Err(FieldError::ForbiddenCharacter { character: '<' })
        );
    }

    #[test]
    fn empty_is_missing_and_spaces_are_trimmed() {
        assert_eq!(Email::parse_address("  "), Err(FieldError::Missing));
        assert_eq!(
            Email::parse_address(" jane@example.com ").unwrap().as_str(),
            "jane@example.com"
        );
    }
}
