//! The button that switches between German and English at once, keeping what was typed.

use crate::i18n::Lang;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="language-switch"
            id="language-switch"
            lang=move || lang.get().other().code()
            on:click=move |_| lang.update(|lang| *lang = lang.other())
        >
            {move || lang.get().other().texts().language_name}
        </button>
    }
}
