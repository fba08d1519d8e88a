//! Helpers for the browser tests: mount a view in a fresh container, read the page as a person sees it,
//! type and click, and stand in for the proxy.

#![allow(dead_code)]

use leptos::mount::mount_to;
use leptos::prelude::*;
use onboarding_api::FormSettings;
use onboarding_api::PasswordRules;
use onboarding_form::api::{Answer, ApiCall, CallError};
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

const ROOT_ID: &str = "test-root";

/// Mounts `view` into a new `<main>` (the one an earlier test left is removed). Keep the returned
/// handle alive for the whole test: dropping it unmounts.
pub fn mount<F, N>(view: F) -> Box<dyn std::any::Any>
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
    N::State: 'static,
{
    let document = document();
    // Only our own container: the test runner keeps its output in the body too.
    if let Some(earlier) = document.get_element_by_id(ROOT_ID) {
        earlier.remove();
    }
    document.set_title("test");
    let main = document.create_element("main").unwrap();
    main.set_id(ROOT_ID);
    document.body().unwrap().append_child(&main).unwrap();
    Box::new(mount_to(main.unchecked_into(), view))
}

/// Waits (real time, up to 5 s) until `condition` holds, e.g. for a real network answer.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..100 {
        if condition() {
            return;
        }
        sleep(50).await;
    }
    panic!("waited 5 s in vain for: {what}");
}

pub async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets the reactive system and the stand-in calls run to the end.
pub async fn settle() {
    for _ in 0..12 {
        leptos::task::tick().await;
    }
}

pub fn settings(auto_update_offered: bool) -> FormSettings {
    FormSettings {
        auto_update_offered,
        password: PasswordRules {
            min_length: 8,
            max_length: 128,
        },
        languages: vec!["de".into(), "en".into()],
        parent_origins: vec!["https://partner.example".into()],
    }
}

pub fn find(selector: &str) -> Option<Element> {
    document().query_selector(selector).unwrap()
}

pub fn element(id: &str) -> Element {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no element #{id} in {}", root_html()))
}

pub fn exists(id: &str) -> bool {
    document().get_element_by_id(id).is_some()
}

/// The text of an element, spaces collapsed.
pub fn text(id: &str) -> String {
    collapse(&element(id).text_content().unwrap_or_default())
}

pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn attribute(id: &str, name: &str) -> Option<String> {
    element(id).get_attribute(name)
}

/// The text of the label of the input `id`.
pub fn label_of(id: &str) -> String {
    let label = find(&format!("label[for='{id}']")).unwrap_or_else(|| panic!("no label for #{id}"));
    collapse(&label.text_content().unwrap_or_default())
}

pub fn input(id: &str) -> HtmlInputElement {
    element(id).unchecked_into()
}

pub fn value(id: &str) -> String {
    input(id).value()
}

/// Types into an input as a person would: the value changes and an `input` event fires.
pub fn type_into(id: &str, value: &str) {
    let input = input(id);
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

pub fn focus(id: &str) {
    element(id).unchecked_into::<HtmlElement>().focus().unwrap();
}

pub fn click(id: &str) {
    element(id).unchecked_into::<HtmlElement>().click();
}

/// Chooses a language in the language menu, as a person does: the option, then `change`.
pub fn choose_language(code: &str) {
    let select = element("language-switch").unchecked_into::<web_sys::HtmlSelectElement>();
    select.set_value(code);
    let event = web_sys::Event::new("change").unwrap();
    select.dispatch_event(&event).unwrap();
}

/// The language the language menu shows as chosen.
pub fn chosen_language() -> String {
    element("language-switch")
        .unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

/// The id of the focused element.
pub fn focused_id() -> String {
    document().active_element().map(|e| e.id()).unwrap_or_default()
}

/// The texts and targets of the error summary's items.
pub fn summary_items() -> Vec<(Option<String>, String)> {
    let items = document().query_selector_all("#error-summary li").unwrap();
    (0..items.length())
        .map(|i| {
            let item: Element = items.item(i).unwrap().unchecked_into();
            let href = item.query_selector("a").unwrap().and_then(|a| a.get_attribute("href"));
            (href, collapse(&item.text_content().unwrap_or_default()))
        })
        .collect()
}

/// Stands in for a proxy call: records every input and answers with `answer` (or never, while `None`).
pub struct Stand<I, O> {
    pub calls: Rc<RefCell<Vec<I>>>,
    pub answer: Rc<RefCell<Option<Result<O, CallError>>>>,
}

impl<I, O> Clone for Stand<I, O> {
    fn clone(&self) -> Self {
        Stand {
            calls: self.calls.clone(),
            answer: self.answer.clone(),
        }
    }
}

impl<I: Clone + 'static, O: Clone + 'static> Stand<I, O> {
    pub fn answering(answer: Result<O, CallError>) -> Self {
        Stand {
            calls: Rc::default(),
            answer: Rc::new(RefCell::new(Some(answer))),
        }
    }

    pub fn never_answering() -> Self {
        Stand {
            calls: Rc::default(),
            answer: Rc::default(),
        }
    }

    pub fn answer_next(&self, answer: Result<O, CallError>) {
        *self.answer.borrow_mut() = Some(answer);
    }

    pub fn calls(&self) -> Vec<I> {
        self.calls.borrow().clone()
    }

    /// The call a step takes.
    pub fn call(&self) -> ApiCall<I, O> {
        let stand = SendWrapper::new(self.clone());
        Callback::new(move |input: I| -> Answer<O> {
            stand.calls.borrow_mut().push(input);
            let answer = stand.answer.borrow().clone();
            Box::pin(async move {
                match answer {
                    Some(answer) => answer,
                    None => std::future::pending().await,
                }
            })
        })
    }
}

fn root_html() -> String {
    document()
        .get_element_by_id(ROOT_ID)
        .map(|root| root.inner_html())
        .unwrap_or_default()
}
