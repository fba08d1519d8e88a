//! The partner's look, like Stripe's appearance API but from a safe list: a base theme (light or dark)
//! and a few variables (brand colour, text, background, corner radius, font stack, spacing). A tenant sets
//! them in its configuration; the embed options (the form's address: `?theme=dark&brand=%23…`) override
//! them one by one. Every value is parsed into a closed type, so nothing a partner writes reaches the CSS
//! as free text, and the colours are checked against WCAG AA before they are used: a pair that fails
//! falls back to one that passes.

/// The base theme: the palette every variable starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BaseTheme {
    #[default]
    Light,
    Dark,
}

impl BaseTheme {
    pub fn parse(value: &str) -> Option<BaseTheme> {
        match value {
            "light" => Some(BaseTheme::Light),
            "dark" => Some(BaseTheme::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BaseTheme::Light => "light",
            BaseTheme::Dark => "dark",
        }
    }

    fn palette(self) -> Palette {
        match self {
            BaseTheme::Light => Palette {
                text: Color::rgb(0x10, 0x18, 0x28),
                background: Color::rgb(0xff, 0xff, 0xff),
                brand: Color::rgb(0x1d, 0x4e, 0xd8),
            },
            BaseTheme::Dark => Palette {
                text: Color::rgb(0xf2, 0xf4, 0xf7),
                background: Color::rgb(0x16, 0x1b, 0x26),
                brand: Color::rgb(0x84, 0xad, 0xff),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Palette {
    text: Color,
    background: Color,
    brand: Color,
}

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

/// WCAG 2.2 AA: normal text and the text on buttons.
pub const AA_TEXT_CONTRAST: f64 = 4.5;

impl Color {
    pub const WHITE: Color = Color::rgb(0xff, 0xff, 0xff);
    pub const BLACK: Color = Color::rgb(0, 0, 0);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }

    /// `#rrggbb` only (no names, no shorthand, nothing after it): the value goes into CSS.
    pub fn parse(value: &str) -> Option<Color> {
        let hex = value.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Color::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    pub fn to_hex(self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(7);
        hex.push('#');
        for channel in [self.r, self.g, self.b] {
            hex.push(DIGITS[usize::from(channel >> 4)] as char);
            hex.push(DIGITS[usize::from(channel & 0xf)] as char);
        }
        hex
    }

    /// WCAG 2.2 relative luminance.
    fn luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// The WCAG contrast ratio of two colours, from 1 to 21.
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// This colour moved `percent` of the way to black: the pressed and hovered shade of a button.
    fn darker(self, percent: u16) -> Color {
        let shade = |c: u8| (u16::from(c) * (100 - percent) / 100) as u8;
        Color::rgb(shade(self.r), shade(self.g), shade(self.b))
    }
}

/// Font stacks from a fixed list: a partner picks one by name; no font URL or free text reaches the CSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontStack {
    System,
    Serif,
    Rounded,
    Monospace,
}

impl FontStack {
    pub fn parse(value: &str) -> Option<FontStack> {
        match value {
            "system" => Some(FontStack::System),
            "serif" => Some(FontStack::Serif),
            "rounded" => Some(FontStack::Rounded),
            "monospace" => Some(FontStack::Monospace),
            _ => None,
        }
    }

    fn css(self) -> &'static str {
        match self {
            FontStack::System => {
                "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Noto Sans\", sans-serif"
            }
            FontStack::Serif => "Charter, \"Bitstream Charter\", \"Sitka Text\", Cambria, Georgia, serif",
            FontStack::Rounded => "ui-rounded, \"SF Pro Rounded\", \"Nunito\", \"Varela Round\", system-ui, sans-serif",
            FontStack::Monospace => "ui-monospace, \"Cascadia Code\", \"Source Code Pro\", Menlo, Consolas, monospace",
        }
    }
}

/// The space between things, as a factor of the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    Compact,
    Normal,
    Roomy,
}

impl Spacing {
    pub fn parse(value: &str) -> Option<Spacing> {
        match value {
            "compact" => Some(Spacing::Compact),
            "normal" => Some(Spacing::Normal),
            "roomy" => Some(Spacing::Roomy),
            _ => None,
        }
    }

    fn css(self) -> &'static str {
        match self {
            Spacing::Compact => "0.8",
            Spacing::Normal => "1",
            Spacing::Roomy => "1.25",
        }
    }
}

/// The largest corner radius: beyond it, inputs stop looking like inputs.
pub const MAX_RADIUS_PX: u8 = 24;

/// A corner radius in CSS pixels, `0px` to [`MAX_RADIUS_PX`].
pub fn parse_radius(value: &str) -> Option<u8> {
    let number = value.strip_suffix("px").unwrap_or(value);
    if number.is_empty() || number.len() > 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok().filter(|px| *px <= MAX_RADIUS_PX)
}

/// The appearance settings, each one optional: what a tenant configures, or what the embed options ask.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appearance {
    pub base: Option<BaseTheme>,
    pub brand: Option<Color>,
    pub text: Option<Color>,
    pub background: Option<Color>,
    pub radius_px: Option<u8>,
    pub font: Option<FontStack>,
    pub spacing: Option<Spacing>,
}

/// The names of the settings, as the form's address (embed options) and the tenant configuration spell
/// them; the loader script uses the same names.
pub mod option_names {
    pub const BASE: &str = "theme";
    pub const BRAND: &str = "brand";
    pub const TEXT: &str = "text";
    pub const BACKGROUND: &str = "background";
    pub const RADIUS: &str = "radius";
    pub const FONT: &str = "font";
    pub const SPACING: &str = "spacing";
}

/// A setting whose value is not on the safe list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAppearance {
    pub name: &'static str,
    pub value: String,
}

impl std::fmt::Display for InvalidAppearance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let allowed = match self.name {
            option_names::BASE => "light or dark",
            option_names::BRAND | option_names::TEXT | option_names::BACKGROUND => "a colour written #rrggbb",
            option_names::RADIUS => "0px to 24px",
            option_names::FONT => "system, serif, rounded or monospace",
            _ => "compact, normal or roomy",
        };
        write!(f, "theme {} {:?} is not {allowed}", self.name, self.value)
    }
}

impl Appearance {
    /// Reads the settings from `(name, value)` pairs; unknown names are skipped, so that the form's
    /// other address parameters can be passed in as they are. Values off the safe list are errors.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Appearance, InvalidAppearance> {
        let mut appearance = Appearance::default();
        for (name, value) in pairs {
            appearance.set(name, value)?;
        }
        Ok(appearance)
    }

    /// Sets one setting by its name; unknown names are ignored.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), InvalidAppearance> {
        use option_names::*;
        let parsed = match name {
            BASE => BaseTheme::parse(value).map(|v| self.base = Some(v)),
            BRAND => Color::parse(value).map(|v| self.brand = Some(v)),
            TEXT => Color::parse(value).map(|v| self.text = Some(v)),
            BACKGROUND => Color::parse(value).map(|v| self.background = Some(v)),
            RADIUS => parse_radius(value).map(|v| self.radius_px = Some(v)),
            FONT => FontStack::parse(value).map(|v| self.font = Some(v)),
            SPACING => Spacing::parse(value).map(|v| self.spacing = Some(v)),
            _ => return Ok(()),
        };
        let name = [BASE, BRAND, TEXT, BACKGROUND, RADIUS, FONT, SPACING]
            .into_iter()
            .find(|known| *known == name)
            .unwrap_or(SPACING);
        parsed.ok_or_else(|| InvalidAppearance {
            name,
            value: value.chars().take(40).collect(),
        })
    }

    /// These settings, with every one that `over` sets replaced by its value (the embed options over the
    /// tenant's theme).
    pub fn overridden_by(self, over: Appearance) -> Appearance {
        Appearance {
            base: over.base.or(self.base),
            brand: over.brand.or(self.brand),
            text: over.text.or(self.text),
            background: over.background.or(self.background),
            radius_px: over.radius_px.or(self.radius_px),
            font: over.font.or(self.font),
            spacing: over.spacing.or(self.spacing),
        }
    }

    /// The CSS custom properties to set on the page's root, and what had to fall back for contrast.
    pub fn resolve(&self) -> ResolvedAppearance {
        let base = self.base.unwrap_or_default();
        let palette = base.palette();
        let mut fallbacks = Vec::new();

        let (text, background) = match (
            self.text.unwrap_or(palette.text),
            self.background.unwrap_or(palette.background),
        ) {
            (text, background) if text.contrast(background) >= AA_TEXT_CONTRAST => (text, background),
            _ => {
                fallbacks.push(Fallback::TextOnBackground);
                (palette.text, palette.background)
            }
        };
        let brand = self.brand.unwrap_or(palette.brand);
        // The text on a brand-coloured button: white or black, whichever passes (one always does).
        let on_brand = if Color::WHITE.contrast(brand) >= AA_TEXT_CONTRAST {
            Color::WHITE
        } else {
            if self.brand.is_some() {
                fallbacks.push(Fallback::ButtonText);
            }
            Color::BLACK
        };
        // Links are brand-coloured text on the background; when that fails, they take the text colour.
        let link = if brand.contrast(background) >= AA_TEXT_CONTRAST {
            brand
        } else {
            fallbacks.push(Fallback::LinkColor);
            text
        };
        let mut variables = vec![
            ("--brand", brand.to_hex()),
            ("--brand-dark", brand.darker(15).to_hex()),
            ("--on-brand", on_brand.to_hex()),
            ("--link", link.to_hex()),
            ("--text", text.to_hex()),
            ("--card-bg", background.to_hex()),
        ];
        if let Some(radius) = self.radius_px {
            variables.push(("--radius", format!("{radius}px")));
        }
        if let Some(font) = self.font {
            variables.push(("--font", font.css().to_owned()));
        }
        if let Some(spacing) = self.spacing {
            variables.push(("--space", spacing.css().to_owned()));
        }
        ResolvedAppearance {
            base,
            variables,
            fallbacks,
        }
    }
}

/// What [`Appearance::resolve`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedAppearance {
    /// Set as `data-theme` on the root: the stylesheet holds each base theme's full palette.
    pub base: BaseTheme,
    /// `(custom property, value)`, every value made from a parsed type.
    pub variables: Vec<(&'static str, String)>,
    /// The colours that failed WCAG AA and were replaced.
    pub fallbacks: Vec<Fallback>,
}

/// A colour pair that failed WCAG AA (4.5:1), and what was used instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The text and background colours: the base theme's pair is used.
    TextOnBackground,
    /// White on the brand colour: button text is black instead.
    ButtonText,
    /// The brand colour on the background: links take the text colour.
    LinkColor,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(resolved: &ResolvedAppearance, name: &str) -> Option<String> {
        resolved
            .variables
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    #[test]
    fn only_plain_hex_colours_parse() {
        assert_eq!(Color::parse("#00a0B0"), Some(Color::rgb(0, 0xa0, 0xb0)));
        for bad in ["red", "#fff", "#00a0b0;}", "#00a0bg", "00a0b0", "#00a0b0 ", "#ÿÿÿ"] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
        assert_eq!(Color::parse("#0B6E4F").unwrap().to_hex(), "#0b6e4f");
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((Color::WHITE.contrast(Color::BLACK) - 21.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1 grey.
        let grey = Color::parse("#767676").unwrap();
        assert!((grey.contrast(Color::WHITE) - 4.54).abs() < 0.01);
        assert_eq!(grey.contrast(Color::WHITE), Color::WHITE.contrast(grey));
    }

    #[test]
    fn only_safe_list_values_are_taken_and_errors_name_the_setting() {
        let ok = Appearance::from_pairs([
            ("theme", "dark"),
            ("brand", "#0b6e4f"),
            ("radius", "10px"),
            ("font", "serif"),
            ("spacing", "roomy"),
            ("lang", "en"),
            ("parent", "https://partner.example"),
        ])
        .unwrap();
        assert_eq!(ok.base, Some(BaseTheme::Dark));
        assert_eq!(ok.radius_px, Some(10));
        for (name, value) in [
            ("theme", "neon"),
            ("brand", "red;background:url(x)"),
            ("radius", "25px"),
            ("radius", "-1"),
            ("font", "Comic Sans'; }"),
            ("spacing", "huge"),
        ] {
            let error = Appearance::from_pairs([(name, value)]).unwrap_err();
            assert_eq!(error.name, name);
            assert!(error.to_string().starts_with(&format!("theme {name} ")), "{error}");
        }
    }

    #[test]
    fn embed_options_override_the_tenant_one_setting_at_a_time() {
        let tenant = Appearance::from_pairs([("brand", "#0b6e4f"), ("radius", "4")]).unwrap();
        let embed = Appearance::from_pairs([("radius", "12px"), ("theme", "dark")]).unwrap();
        let both = tenant.overridden_by(embed);
        assert_eq!(both.brand, Color::parse("#0b6e4f"));
        assert_eq!(both.radius_px, Some(12));
        assert_eq!(both.base, Some(BaseTheme::Dark));
    }

    #[test]
    fn a_pale_brand_colour_gets_black_button_text_and_links_in_the_text_colour() {
        let yellow = Appearance::from_pairs([("brand", "#ffe066")]).unwrap().resolve();
        assert_eq!(variable(&yellow, "--on-brand").as_deref(), Some("#000000"));
        assert_eq!(variable(&yellow, "--link").as_deref(), Some("#101828"));
        assert_eq!(yellow.fallbacks, vec![Fallback::ButtonText, Fallback::LinkColor]);
        let green = Appearance::from_pairs([("brand", "#0b6e4f")]).unwrap().resolve();
        assert_eq!(variable(&green, "--on-brand").as_deref(), Some("#ffffff"));
        assert_eq!(variable(&green, "--link").as_deref(), Some("#0b6e4f"));
        assert!(green.fallbacks.is_empty());
    }

    #[test]
    fn unreadable_text_on_background_falls_back_to_the_base_pair() {
        let grey_on_grey = Appearance::from_pairs([("text", "#777777"), ("background", "#888888")])
            .unwrap()
            .resolve();
        assert_eq!(grey_on_grey.fallbacks, vec![Fallback::TextOnBackground]);
        assert_eq!(variable(&grey_on_grey, "--text").as_deref(), Some("#101828"));
        assert_eq!(variable(&grey_on_grey, "--card-bg").as_deref(), Some("#ffffff"));
    }

    #[test]
    fn every_resolved_pair_passes_aa_whatever_the_brand_colour() {
        for base in ["light", "dark"] {
            for step in (0..=255).step_by(15) {
                for brand in [
                    Color::rgb(step, 0, 0),
                    Color::rgb(0, step, step),
                    Color::rgb(step, step, step),
                ] {
                    let resolved = Appearance::from_pairs([("theme", base), ("brand", brand.to_hex().as_str())])
                        .unwrap()
                        .resolve();
                    let get = |n| Color::parse(&variable(&resolved, n).unwrap()).unwrap();
                    assert!(
                        get("--on-brand").contrast(get("--brand")) >= AA_TEXT_CONTRAST,
                        "{base} {brand:?}"
                    );
                    assert!(
                        get("--link").contrast(get("--card-bg")) >= AA_TEXT_CONTRAST,
                        "{base} {brand:?}"
                    );
                    assert!(
                        get("--text").contrast(get("--card-bg")) >= AA_TEXT_CONTRAST,
                        "{base} {brand:?}"
                    );
                }
            }
        }
    }
}
