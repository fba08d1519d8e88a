//! What can be wrong with one field's value. Errors are data; the form turns them into words in the
//! user's language, the emulator into finAPI's error messages.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FieldError {
    /// Nothing was entered where something is required.
    Missing,
    /// Fewer characters than `min`.
    TooShort { min: usize },
    /// More characters than `max`.
    TooLong { max: usize },
    /// A character the field does not accept, e.g. `%` in a password.
    ForbiddenCharacter { character: char },
    /// Not shaped like `name@example.com`.
    NotAnEmailAddress,
    /// Not shaped like a phone number (digits, spaces, `+ - ( ) .`).
    NotAPhoneNumber,
}
