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

use components::{LanguageSwitch, Offer};
use i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding::Onboarding;
use onboarding_api::password_reset::RESET_FRAGMENT_KEY;
use onboarding_api::{ApiErrorCode, FormSettings, TenantSettings};

/// Where loading the settings stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SettingsState {
    Loading,
    /// `unknown_tenant`: the address names a tenant the proxy does not know; trying again will not help.
    Failed {
        unknown_tenant: bool,
    },
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

    // The look the partner asked for in the address, at once; the tenant's theme joins it once loaded.
    page::apply_appearance(&page::embed_appearance());
    // A reset link's code, taken out of the address at once.
    let reset_code = StoredValue::new(page::take_fragment_value(RESET_FRAGMENT_KEY));
    let tenant = RwSignal::new(None::<TenantSettings>);
    let state = RwSignal::new(SettingsState::Loading);
    let load = move || {
        state.set(SettingsState::Loading);
        if tenant.with_untracked(Option::is_none) {
            spawn_local(async move {
                if let Ok(settings) = api::fetch_tenant().await {
                    // The tenant's theme, each setting the embed options name overriding it.
                    let tenant_look = settings.theme.appearance().unwrap_or_default();
                    page::apply_appearance(&tenant_look.overridden_by(page::embed_appearance()));
                    tenant.set(Some(settings));
                }
            });
        }
        spawn_local(async move {
            state.set(match api::fetch_settings().await {
                Ok(settings) => SettingsState::Loaded(settings),
                Err(error) => SettingsState::Failed {
                    unknown_tenant: matches!(error, api::CallError::Api(e) if e.error == ApiErrorCode::UnknownTenant),
                },
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
        SettingsState::Failed { unknown_tenant } => {
            let retry = move |()| load();
            (move || {
                let t = lang.get().texts();
                let message = if unknown_tenant {
                    t.unknown_tenant
                } else {
                    t.settings_unavailable
                };
                view! {
                    <div class="step">
                        <h1 class="step__title">{t.create_account_title}</h1>
                        <div class="notice notice--error" id="settings-error" role="alert">
                            <p>{message}</p>
                        </div>
                        <Offer id="retry" label=t.try_again shown=!unknown_tenant on_click=retry />
                    </div>
                }
            })
            .into_any()
        }
        SettingsState::Loaded(settings) => {
            let reset_code = reset_code.get_value();
            view! { <Onboarding lang settings tenant reset_code /> }.into_any()
        }
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
