//! A password input with a show/hide button. No `maxlength`, paste allowed (WCAG 3.3.8).

use super::field::{described_by, FieldHead};
use crate::i18n::Texts;
use leptos::prelude::*;

#[component]
pub fn PasswordField(
    /// The input's id; its hint and error get `<id>-hint` and `<id>-error`, the button `<id>-toggle`.
    id: &'static str,
    texts: &'static Texts,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    error: Signal<Option<String>>,
    value: RwSignal<String>,
    /// `new-password` when signing up, `current-password` when logging in.
    autocomplete: &'static str,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let has_error = move || error.with(Option::is_some);
    let shown = RwSignal::new(false);
    view! {
        <div class="field" class:field--error=has_error>
            <FieldHead id texts label optional=false hint error />
            <div class="password">
                <input
                    class="field__input password__input"
                    id=id
                    name=id
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    spellcheck="false"
                    autocapitalize="off"
                    aria-invalid=move || has_error().then_some("true")
                    aria-describedby=move || described_by(id, has_hint, has_error())
                    prop:value=value
                    on:input:target=move |event| value.set(event.target().value())
                />
                <button
                    type="button"
                    class="button button--secondary password__toggle"
                    id=format!("{id}-toggle")
                    aria-controls=id
                    aria-label=move || if shown.get() { texts.hide_password } else { texts.show_password }
                    on:click=move |_| shown.update(|shown| *shown = !*shown)
                >
                    {move || if shown.get() { texts.hide } else { texts.show }}
                </button>
            </div>
        </div>
    }
}
