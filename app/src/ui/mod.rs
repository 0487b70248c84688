//! The UI kit: what every page shares and no page owns (the locale, texts, times, route
//! parameters, a page's load behind a suspense and the rendering of a failed one, data tables,
//! form pieces). It knows no domain; the routes
//! that put the pages together are in [`crate::routes`].

#[cfg(feature = "hydrate")]
pub mod browser;
mod confirm;
pub mod forms;
mod load;
mod table;

pub use confirm::{Confirm, ConfirmSubmit};
pub use load::{ListOf, Loaded};
pub use table::{Table, TableOf};

use crate::error::AppError;
use crate::i18n::{Lang, t};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};

/// The current page's path and query, on the server (the request) and in the browser alike;
/// for "sign in and come back here" links.
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().and_then(|p| p.uri.path_and_query().map(|pq| pq.to_string())).unwrap_or_else(|| "/".into())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window().and_then(|w| Some(format!("{}{}", w.location().pathname().ok()?, w.location().search().ok()?))).unwrap_or_else(|| "/".into())
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        "/".to_string()
    }
}

/// The locale of this request: the `lang` cookie, read the same way on the server and in the
/// browser so both render the same text.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::Vi
    }
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Translates a key in the current locale.
pub fn tr(key: &str) -> String {
    t(use_lang(), key)
}

/// Translates a key for a component that may run inside an island: there the texts come from
/// the island's [`Texts`](crate::i18n::Texts) prop (the light bundles carry no locale tables),
/// elsewhere from the locale.
pub fn text(key: &str) -> String {
    #[cfg(feature = "islands")]
    {
        use_context::<crate::i18n::Texts>().map(|texts| texts.get(key)).unwrap_or_else(|| key.to_string())
    }
    #[cfg(not(feature = "islands"))]
    {
        match use_context::<crate::i18n::Texts>() {
            Some(texts) => texts.get(key),
            None => tr(key),
        }
    }
}

/// Only same-site absolute paths are followed after login. Control characters and spaces are
/// refused outright: browsers drop tabs and newlines from URLs, so `/\t/evil.example` would
/// otherwise become `//evil.example`.
/// Non-ASCII characters (a search for "hải") are percent-encoded, as a `Location` header needs.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && n.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '\\') => {
            let mut out = String::with_capacity(n.len());
            for c in n.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
            out
        }
        _ => "/".to_string(),
    }
}


/// True once the WASM has hydrated the page; controls that need it stay disabled before.
#[derive(Clone, Copy)]
pub struct Hydrated(pub ReadSignal<bool>);

pub fn use_hydrated() -> ReadSignal<bool> {
    use_context::<Hydrated>().map(|h| h.0).unwrap_or_else(|| signal(false).0)
}

/// Percent-encodes a path for use in a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The numeric route parameter `name` of the current page (0 when absent or not a number).
pub fn param_id(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = use_params_map();
    move || params.read().get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// A query parameter as text, empty when absent: the search box's `q`, a notice's count.
pub fn query_text(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get(name).unwrap_or_default()
}

/// Sends a signed-out visitor to the login page, which brings them back here afterwards.
pub fn login_redirect() -> impl IntoView {
    let location = use_location();
    let here = format!("{}{}", location.pathname.get_untracked(), {
        let s = location.search.get_untracked();
        if s.is_empty() { String::new() } else { format!("?{s}") }
    });
    view! { <Redirect path=format!("/login?next={}", urlencode(&here))/> }
}

/// Renders the error of a page's data load, redirecting to login when the session is gone.
pub fn load_error(err: AppError) -> AnyView {
    if err == AppError::Unauthenticated {
        return login_redirect().into_any();
    }
    // The page answers with the error's own status (a page that is not there is a 404, not a
    // 200 with an error on it), and always offers the way home.
    set_response_status(err.status());
    let home = view! { <p><a href="/">{tr("nav.home")}</a></p> };
    match err {
        AppError::Forbidden => view! { <section class="card"><h1>{tr("err.forbidden")}</h1>{home}</section> }.into_any(),
        AppError::NotFound => view! { <section class="card"><h1>{tr("page.not_found")}</h1>{home}</section> }.into_any(),
        other => {
            let err = Signal::derive(move || Some(other.clone()));
            view! { <forms::FormError err/> {home} }.into_any()
        }
    }
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_response_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(resp), Ok(code)) = (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(status)) {
        resp.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(test)]
mod tests {
    use super::*;



    #[test]
    fn next_paths_stay_on_site() {
        assert_eq!(safe_next(Some("/admin/units?q=x")), "/admin/units?q=x");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/profile?welcome=1")), "/profile?welcome=1");
        assert_eq!(safe_next(Some("/admin/units?q=hải")), "/admin/units?q=h%E1%BA%A3i");
        assert_eq!(safe_next(Some("/\u{85}/evil.example")), "/");
        assert_eq!(urlencode("/admin/units?q=hải"), "/admin/units%3Fq%3Dh%E1%BA%A3i");
    }
}
