//! The form in a language other than German or English, in a real browser against the release build: the
//! first load fetches no catalog, choosing French in the menu fetches `locales/fr.json` once and changes
//! every word at once, keeping what was typed, and `?lang=pl` opens the form in Polish. The expected words
//! come from the catalogs themselves, so a changed translation does not break this test; a catalog the
//! proxy does not serve does.

mod support;

use fantoccini::{Client, Locator};
use support::browser::{find, in_browser, type_into, wait_for_text};
use support::recording_proxy::{Recording, RecordingProxy};
use support::stack::Stack;

fn catalog(code: &str) -> serde_json::Value {
    let path = format!("{}/../../locales/{code}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn word(catalog: &serde_json::Value, key: &str) -> String {
    catalog[key].as_str().unwrap_or_else(|| panic!("no {key}")).to_owned()
}

async fn html_lang(client: &Client) -> String {
    client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn catalog_fetches(recording: &Recording) -> Vec<String> {
    recording
        .exchanges()
        .into_iter()
        .filter(|e| e.url.contains("/locales/"))
        .map(|e| format!("{} {}", e.status, e.url))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn french_is_fetched_when_chosen_and_polish_opens_from_the_address() {
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let form = stack.form_url();
    let (french, polish) = (catalog("fr"), catalog("pl"));
    let recording = recorder.recording.clone();
    in_browser(recorder.addr, move |client| async move {
        client.goto(&format!("{form}?lang=de")).await.unwrap();
        wait_for_text(&client, "label[for=signup-id]", |t| t.contains("Benutzerkennung")).await;
        assert_eq!(
            catalog_fetches(&recording),
            Vec::<String>::new(),
            "German and English are compiled in"
        );
        type_into(&client, "#signup-id", "jean.dupont").await;

        find(&client, "#language-switch option[value=fr]")
            .await
            .click()
            .await
            .unwrap();
        let label = word(&french, "user_id_label");
        wait_for_text(&client, "label[for=signup-id]", |t| t.starts_with(&label)).await;
        assert_eq!(html_lang(&client).await, "fr");
        let title = client
            .find(Locator::Css("main h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(title, word(&french, "create_account_title"));
        let fetched = catalog_fetches(&recording);
        assert_eq!(fetched.len(), 1, "one catalog, once: {fetched:?}");
        assert!(
            fetched[0].starts_with("200 ") && fetched[0].ends_with("/locales/fr.json"),
            "{fetched:?}"
        );
        let kept = find(&client, "#signup-id").await.prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("jean.dupont"), "what was typed is kept");

        // A problem in French, in the summary and at the field.
        find(&client, "#create-account button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let summary = wait_for_text(&client, "#error-summary-title", |t| !t.is_empty()).await;
        assert_eq!(summary, word(&french, "error_summary_title"));
        let page_title = client.title().await.unwrap();
        assert!(
            page_title.starts_with(&word(&french, "error_title_prefix").trim_end().to_owned()),
            "{page_title}"
        );
        assert!(
            client.current_url().await.unwrap().as_str().contains("lang=fr"),
            "a reload keeps French"
        );

        client.goto(&format!("{form}?lang=pl")).await.unwrap();
        let label = word(&polish, "user_id_label");
        wait_for_text(&client, "label[for=signup-id]", |t| t.starts_with(&label)).await;
        assert_eq!(html_lang(&client).await, "pl");
        let chosen = find(&client, "#language-switch").await.prop("value").await.unwrap();
        assert_eq!(chosen.as_deref(), Some("pl"), "the menu shows Polish");
    })
    .await;
}
