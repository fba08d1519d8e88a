//! The language menu: the eleven languages by their own names. Choosing one changes the words at once
//! (a language not compiled in is fetched first), keeping what was typed.

use crate::i18n::{self, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

#[component]
pub fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    let choose = move |event: leptos::ev::Event| {
        let Some(select) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return;
        };
        let Some(chosen) = Lang::from_tag(&select.value()) else {
            return;
        };
        spawn_local(async move {
            match i18n::load(chosen).await {
                Ok(_) => lang.set(chosen),
                // Not loaded (offline, say): stay in the language the words are in, and show it.
                Err(_) => select.set_value(lang.get_untracked().code()),
            }
        });
    };
    view! {
        <div class="language-switch">
            <label class="visually-hidden" for="language-switch">
                {move || lang.get().texts().language_label}
            </label>
            <select id="language-switch" class="language-switch__menu" on:change=choose>
                {Lang::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option
                                value=option.code()
                                lang=option.code()
                                selected=move || lang.get() == option
                            >
                                {option.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
