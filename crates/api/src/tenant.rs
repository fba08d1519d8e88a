//! `GET /api/tenant`: who the form is for. The form's URL names the tenant: under `/t/{tenant}/` the
//! form calls `/t/{tenant}/api/…` (see [`crate::paths::tenant_prefix`]); without a prefix it is the
//! deployment's default tenant.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSettings {
    /// `default`, or the id in `/t/{id}/`.
    pub id: String,
    pub theme: Theme,
    /// Shown when a locked account cannot be reset by email (none on file): e.g. an address or phone.
    pub support_contact: Option<String>,
    /// Whether `POST /api/password-resets` can send links (email and the data decryption key are set up).
    /// When false, a locked account can only be helped through the support contact.
    pub password_reset_offered: bool,
}

/// The tenant's look, applied by the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    /// The partner's name, for headings ("… with finAPI").
    #[serde(default, alias = "display_name")]
    pub display_name: Option<String>,
    /// `#rrggbb`: buttons and links.
    #[serde(default, alias = "primary_color")]
    pub primary_color: Option<String>,
}

impl Theme {
    /// `#` and six hex digits only: the value goes into CSS.
    pub fn is_valid_color(color: &str) -> bool {
        color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_hex_colors_pass() {
        assert!(Theme::is_valid_color("#00a0B0"));
        for bad in ["red", "#fff", "#00a0b0;}", "#00a0bg"] {
            assert!(!Theme::is_valid_color(bad), "{bad}");
        }
    }
}
