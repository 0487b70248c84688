//! The few browser facilities the islands use, over `web-sys`: the clock, timers, the
//! `localStorage` copy of unsaved work, window events, and `fetch` with a timeout for the JSON
//! API. Only compiled into the browser bundles.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A number in 0..1, to spread retries.
pub fn random() -> f64 {
    js_sys::Math::random()
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// Runs `f` once after `ms` milliseconds.
pub fn after(ms: i64, f: impl FnOnce() + 'static) {
    let closure = Closure::once_into_js(f);
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), ms.clamp(0, i32::MAX as i64) as i32);
}

pub async fn sleep(ms: i64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.clamp(0, i32::MAX as i64) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Calls `f` on every `event` of the window (e.g. "online") for the life of the page.
pub fn on_window(event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = window().add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes (or, for `None`, removes) a stored value. Storage may be full or disabled (private
/// browsing): then the page still works, only without the copy that survives a reload.
pub fn storage_set(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

pub fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
    window().document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// Moves the keyboard focus to an element once the current update has been drawn (a dialog
/// that just appeared), so keyboard and screen-reader users land on it.
pub fn focus(id: &'static str) {
    after(0, move || {
        if let Some(el) = window().document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

pub fn go_to(url: &str) {
    let _ = window().location().set_href(url);
}

/// A JSON API call's outcome: the status and body, or no answer at all (offline, timed out).
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// `Retry-After` in milliseconds, when the server sent one.
    pub retry_after_ms: Option<i64>,
}

/// `fetch` of a same-site JSON endpoint, abandoned after `timeout_ms`: a request hanging on a
/// poor mobile network must not hold a choice back forever.
pub async fn fetch_json(method: &str, url: &str, body: Option<String>, timeout_ms: i64) -> Option<Answer> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().ok()?;
    headers.set("accept", "application/json").ok()?;
    if let Some(body) = &body {
        headers.set("content-type", "application/json").ok()?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let abort = web_sys::AbortController::new().ok()?;
    init.set_signal(Some(&abort.signal()));
    after(timeout_ms, move || abort.abort());
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await.ok()?.dyn_into().ok()?;
    let status = response.status();
    let retry_after_ms = response.headers().get("retry-after").ok().flatten().and_then(|v| v.trim().parse::<i64>().ok()).map(|s| s * 1000);
    let body = JsFuture::from(response.text().ok()?).await.ok()?.as_string().unwrap_or_default();
    Some(Answer { status, body, retry_after_ms })
}
