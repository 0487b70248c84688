//! A page's data behind `<Suspense>`: "Đang tải…" while it comes, the failed load's message
//! (or the way to login) if it fails, else what the page makes of it.

use super::forms::loading;
use super::{load_error, use_lang};
use crate::error::AppError;
use crate::i18n::{fill, t};
use leptos::prelude::*;

fn suspended<T, V>(resource: Resource<Result<T, AppError>>, show: impl Fn(T) -> V + Clone + Send + 'static) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=loading>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => show(data).into_any(),
                        Err(e) => load_error(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// The loaded value, shown by the children: `<Loaded resource let:data>…</Loaded>`.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + 'static,
{
    suspended(resource, children)
}

/// A loaded list, shown by the children; an empty one is `<p class="empty">` with the text
/// of the locale key `empty`. `count`, a locale key with `{n}`, puts the length in a hint
/// above the list.
#[component]
pub fn ListOf<T, V, F>(resource: Resource<Result<Vec<T>, AppError>>, empty: &'static str, #[prop(optional)] count: Option<&'static str>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(Vec<T>) -> V + Clone + Send + 'static,
{
    let lang = use_lang();
    suspended(resource, move |list: Vec<T>| {
        if list.is_empty() {
            return view! { <p class="empty">{t(lang, empty)}</p> }.into_any();
        }
        match count {
            Some(key) => {
                let count = fill(&t(lang, key), &[("n", &list.len().to_string())]);
                view! { <p class="hint">{count}</p> {children(list)} }.into_any()
            }
            None => children(list).into_any(),
        }
    })
}
