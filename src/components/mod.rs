//! Building blocks the steps are made of.

pub mod checkbox_field;
pub mod error_summary;
pub mod field;
pub mod language_switch;
pub mod offer;
pub mod password_field;
pub mod submit_button;
pub mod text_field;

pub use checkbox_field::CheckboxField;
pub use error_summary::ErrorSummary;
pub use language_switch::LanguageSwitch;
pub use offer::Offer;
pub use password_field::PasswordField;
pub use submit_button::SubmitButton;
pub use text_field::TextField;
