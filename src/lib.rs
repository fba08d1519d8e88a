//! The finAPI onboarding form: create account → log in → done (hand off to the partner).
//!
//! A Leptos CSR app built by Trunk. It talks only to our proxy under `/api` ([`api`]); the JSON contract
//! and the sign-up rules are `onboarding_api`'s, so the form and the proxy check the same things.

pub mod api;
pub mod components;
pub mod embed;
pub mod i18n;
pub mod json;
pub mod onboarding;
pub mod page;
pub mod problem;
pub mod steps;

use components::LanguageSwitch;
use i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding::Onboarding;
use onboarding_api::FormSettings;

/// Where loading the settings stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SettingsState {
    Loading,
    Failed,
    Loaded(FormSettings),
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::from_page_address());
    Effect::new(move |previous: Option<Lang>| {
        let current = lang.get();
        page::set_language(current.code());
        if previous.is_some() {
            page::remember_language(current.code());
        }
        current
    });

    let state = RwSignal::new(SettingsState::Loading);
    let load = move || {
        state.set(SettingsState::Loading);
        spawn_local(async move {
            state.set(match api::fetch_settings().await {
                Ok(settings) => SettingsState::Loaded(settings),
                Err(_) => SettingsState::Failed,
            });
        });
    };
    load();

    let content = move || match state.get() {
        SettingsState::Loading => view! {
            <p class="loading" role="status">
                {move || lang.get().texts().loading}
            </p>
        }
        .into_any(),
        SettingsState::Failed => {
            let retry = move |_| load();
            (move || {
                let t = lang.get().texts();
                view! {
                    <div class="step">
                        <h1 class="step__title">{t.create_account_title}</h1>
                        <div class="notice notice--error" id="settings-error" role="alert">
                            <p>{t.settings_unavailable}</p>
                        </div>
                        <div class="actions">
                            <button type="button" class="button" id="retry" on:click=retry>
                                {t.try_again}
                            </button>
                        </div>
                    </div>
                }
            })
            .into_any()
        }
        SettingsState::Loaded(settings) => view! { <Onboarding lang settings /> }.into_any(),
    };

    view! {
        <div class="page">
            <header class="page__header">
                <span class="brand">"finAPI"</span>
                <LanguageSwitch lang />
            </header>
            <main class="card" id="main">
                {content}
            </main>
        </div>
    }
}
