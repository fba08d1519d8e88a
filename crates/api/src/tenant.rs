//! `GET /api/tenant`: who the form is for. The form's URL names the tenant: under `/t/{tenant}/` the
//! form calls `/t/{tenant}/api/…` (see [`crate::paths::tenant_prefix`]); without a prefix it is the
//! deployment's default tenant.

use crate::appearance::{Appearance, Color, InvalidAppearance};
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

/// The tenant's look, applied by the form; the embed options override it setting by setting
/// ([`crate::appearance`], where the safe list of each value is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    /// The partner's name, for headings ("… with finAPI").
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "display_name")]
    pub display_name: Option<String>,
    /// The brand colour, `#rrggbb`: buttons and links.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "primary_color")]
    pub primary_color: Option<String>,
    /// The base theme: `light` (the default) or `dark`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "text_color")]
    pub text_color: Option<String>,
    /// `#rrggbb`: the form's card.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "background_color")]
    pub background_color: Option<String>,
    /// `0px` to `24px`.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "border_radius")]
    pub border_radius: Option<String>,
    /// `system`, `serif`, `rounded` or `monospace`.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "font_family")]
    pub font_family: Option<String>,
    /// `compact`, `normal` or `roomy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<String>,
}

impl Theme {
    /// `#` and six hex digits only: the value goes into CSS.
    pub fn is_valid_color(color: &str) -> bool {
        Color::parse(color).is_some()
    }

    /// The look this theme asks for; the first value off the safe list is an error naming it.
    pub fn appearance(&self) -> Result<Appearance, InvalidAppearance> {
        use crate::appearance::option_names::*;
        let settings = [
            (BASE, &self.base),
            (BRAND, &self.primary_color),
            (TEXT, &self.text_color),
            (BACKGROUND, &self.background_color),
            (RADIUS, &self.border_radius),
            (FONT, &self.font_family),
            (SPACING, &self.spacing),
        ];
        Appearance::from_pairs(
            settings
                .into_iter()
                .filter_map(|(name, value)| value.as_deref().map(|value| (name, value))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenants_theme_becomes_an_appearance_and_bad_values_are_named() {
        let theme = Theme {
            primary_color: Some("#0b6e4f".into()),
            base: Some("dark".into()),
            border_radius: Some("6px".into()),
            ..Theme::default()
        };
        let appearance = theme.appearance().unwrap();
        assert_eq!(appearance.brand, Color::parse("#0b6e4f"));
        assert_eq!(appearance.radius_px, Some(6));
        let bad = Theme {
            font_family: Some("url(https://evil.example/font)".into()),
            ..Theme::default()
        };
        assert_eq!(bad.appearance().unwrap_err().name, "font");
    }

    #[test]
    fn only_plain_hex_colors_pass() {
        assert!(Theme::is_valid_color("#00a0B0"));
        for bad in ["red", "#fff", "#00a0b0;}", "#00a0bg"] {
            assert!(!Theme::is_valid_color(bad), "{bad}");
        }
    }
}
