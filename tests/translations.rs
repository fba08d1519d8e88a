//! Every language's catalog (`locales/<code>.json`) is complete: the keys the form uses, no others, no empty
//! text, and the same `{placeholders}` as English. A missing or misspelt key fails here, not in front of
//! a person.

use onboarding_form::i18n::{all_keys, parse_catalog, placeholders, Catalog, Lang, Texts, PLURAL_KEYS};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every catalog in the repository, by language: a language without a file does not compile.
fn catalogs() -> [(Lang, &'static str); 11] {
    [
        (Lang::De, include_str!("../locales/de.json")),
        (Lang::En, include_str!("../locales/en.json")),
        (Lang::Cs, include_str!("../locales/cs.json")),
        (Lang::Es, include_str!("../locales/es.json")),
        (Lang::Fr, include_str!("../locales/fr.json")),
        (Lang::It, include_str!("../locales/it.json")),
        (Lang::Nl, include_str!("../locales/nl.json")),
        (Lang::Pl, include_str!("../locales/pl.json")),
        (Lang::Ro, include_str!("../locales/ro.json")),
        (Lang::Sk, include_str!("../locales/sk.json")),
        (Lang::Tr, include_str!("../locales/tr.json")),
    ]
}

fn catalog(lang: Lang) -> Catalog {
    let (_, json) = catalogs().into_iter().find(|(l, _)| *l == lang).unwrap();
    parse_catalog(json).unwrap_or_else(|| panic!("locales/{}.json is not a JSON object of strings", lang.code()))
}

fn text<'a>(catalog: &'a Catalog, key: &str) -> Option<&'a str> {
    catalog.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The placeholders a key's text must have, from English (a plural form: `{n}`).
fn expected_placeholders(english: &Catalog, key: &str) -> Vec<String> {
    let mut names: Vec<String> = match key.rsplit_once('.') {
        Some((plural, _)) if PLURAL_KEYS.contains(&plural) => vec!["n".to_owned()],
        _ => placeholders(text(english, key).unwrap())
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    names.sort();
    names
}

#[wasm_bindgen_test]
fn every_language_has_every_key_and_no_other() {
    for (lang, _) in catalogs() {
        let (_, problems) = Texts::from_catalog(lang, &catalog(lang), None);
        assert!(
            problems.missing.is_empty(),
            "locales/{}.json misses {:?}",
            lang.code(),
            problems.missing
        );
        assert!(
            problems.unknown.is_empty(),
            "locales/{}.json has unknown keys {:?}",
            lang.code(),
            problems.unknown
        );
    }
}

#[wasm_bindgen_test]
fn every_text_keeps_the_placeholders_of_english_and_is_not_empty() {
    let english = catalog(Lang::En);
    for (lang, _) in catalogs() {
        let catalog = catalog(lang);
        for key in all_keys(lang) {
            let translated = text(&catalog, &key).unwrap_or_default();
            assert!(
                !translated.trim().is_empty(),
                "locales/{}.json: {key} is empty",
                lang.code()
            );
            let mut found: Vec<String> = placeholders(translated).into_iter().map(str::to_owned).collect();
            found.sort();
            assert_eq!(
                found,
                expected_placeholders(&english, &key),
                "locales/{}.json: {key}: {translated}",
                lang.code()
            );
        }
    }
}

#[wasm_bindgen_test]
fn a_catalog_missing_a_key_is_caught_and_falls_back_to_english() {
    let english = catalog(Lang::En);
    let mut french = catalog(Lang::Fr);
    french.retain(|(key, _)| key != "log_in_title" && key != "wait_minutes.other");
    french.push(("log_in_titel".to_owned(), "Connexion".to_owned()));
    let (texts, problems) = Texts::from_catalog(Lang::Fr, &french, Some(&english));
    assert_eq!(problems.missing, ["log_in_title", "wait_minutes.other"]);
    assert_eq!(problems.unknown, ["log_in_titel"]);
    assert_eq!(texts.log_in_title, "Log in", "a person still sees words");
    assert_eq!(
        texts.create_account_title,
        text(&catalog(Lang::Fr), "create_account_title").unwrap()
    );
}

#[wasm_bindgen_test]
fn the_form_speaks_the_languages_the_proxy_announces() {
    let codes: Vec<&str> = Lang::ALL.iter().map(|lang| lang.code()).collect();
    assert_eq!(codes, onboarding_api::settings::LANGUAGES);
}

#[wasm_bindgen_test]
fn the_compiled_in_languages_are_loaded_at_once() {
    assert_eq!(Lang::De.texts().log_in_title, "Anmelden");
    assert_eq!(Lang::En.texts().log_in_title, "Log in");
    assert_eq!(
        Lang::Pl.texts().lang,
        Lang::En,
        "a language not fetched yet speaks English"
    );
}

#[wasm_bindgen_test]
fn messages_with_numbers_use_each_languages_plural_forms() {
    let texts = |lang: Lang| {
        let (texts, problems) = Texts::from_catalog(lang, &catalog(lang), None);
        assert!(problems.is_empty());
        texts
    };
    let polish = texts(Lang::Pl);
    let [one, two, five] = [60, 120, 300].map(|seconds| polish.rate_limited(Some(seconds)));
    assert!(
        one != two && two != five && one != five,
        "1, 2 and 5 minutes in three forms: {one} / {two} / {five}"
    );
    let english = texts(Lang::En);
    assert_eq!(
        english.rate_limited(Some(1)),
        "Too many attempts. Please wait 1 second and try again."
    );
    assert_eq!(
        english.rate_limited(Some(90)),
        "Too many attempts. Please wait 2 minutes and try again."
    );
    assert_eq!(
        english.rate_limited(None),
        "Too many attempts. Please wait a few minutes and try again."
    );
    for (lang, _) in catalogs() {
        let texts = texts(lang);
        for seconds in [None, Some(1), Some(2), Some(5), Some(60), Some(300)] {
            let message = texts.rate_limited(seconds);
            assert!(!message.contains('{'), "{lang:?}: {message}");
        }
        let message = texts.field_error(
            onboarding_api::FormField::Id,
            finapi::FieldError::ForbiddenCharacter { character: '%' },
        );
        assert!(message.contains('%') && !message.contains('{'), "{lang:?}: {message}");
        assert!(
            texts.unexpected(Some("req-1")).contains("req-1"),
            "{lang:?}: the support reference is shown"
        );
    }
}
