//! The data table every list page draws: a scrolling wrapper, one header row of locale keys,
//! and the page's rows.

use super::{ListOf, use_lang};
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;

/// `<div class="table-wrap"><table>` with a header row of `heads` (locale keys, each a
/// `<th scope="col">`; the keys also listed in `num` head a column of numbers and get the
/// class "num") and the rows (`<tr>`s) as children, inside `<tbody>`.
#[component]
pub fn Table(
    heads: &'static [&'static str],
    #[prop(optional)] num: &'static [&'static str],
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    // No `class` at all where there is none (an absent class would still render `class=""`).
    let cells = heads
        .iter()
        .map(|k| match num.contains(k) {
            true => view! { <th scope="col" class="num">{t(lang, k)}</th> }.into_any(),
            false => view! { <th scope="col">{t(lang, k)}</th> }.into_any(),
        })
        .collect_view();
    let (head, body) = (view! { <thead><tr>{cells}</tr></thead> }, view! { <tbody>{children()}</tbody> });
    let table = match class {
        Some(class) => view! { <table class=class id=id>{head}{body}</table> }.into_any(),
        None => view! { <table id=id>{head}{body}</table> }.into_any(),
    };
    view! { <div class="table-wrap">{table}</div> }
}

/// A loaded list as a [`Table`], one row per item from the children
/// (`<TableOf resource heads empty let:item><tr>…</tr></TableOf>`); an empty list is the text
/// of the locale key `empty`, as in [`ListOf`].
#[component]
pub fn TableOf<T, V, F>(resource: Resource<Result<Vec<T>, AppError>>, empty: &'static str, heads: &'static [&'static str], #[prop(optional)] num: &'static [&'static str], children: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + 'static,
{
    let table = move |list: Vec<T>| {
        let row = children.clone();
        view! { <Table heads num>{list.into_iter().map(row).collect_view()}</Table> }
    };
    view! { <ListOf resource empty children=table/> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn html(view: impl FnOnce() -> AnyView) -> String {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(Lang::Vi);
            view().to_html()
        })
    }

    #[test]
    fn the_table_keeps_its_wrapper_headings_and_rows() {
        let plain = html(|| view! { <Table heads=&["units.code", "units.headcount"]><tr><td>"A"</td></tr></Table> }.into_any());
        let code = t(Lang::Vi, "units.code");
        let headcount = t(Lang::Vi, "units.headcount");
        assert!(plain.contains(&format!(r#"<div class="table-wrap"><table><thead><tr><th scope="col">{code}</th><th scope="col">{headcount}</th><!></tr></thead><tbody><tr><td>A</td></tr></tbody></table></div>"#)), "{plain}");
        let marked = html(|| view! { <Table heads=&["units.code", "units.headcount"] num=&["units.headcount"] class="errors" id="import-errors"><tr/></Table> }.into_any());
        assert!(marked.contains(r#" id="import-errors""#) && marked.contains(r#" class="errors""#), "{marked}");
        assert!(marked.contains(&format!(r#"<thead><tr><th scope="col">{code}</th><th scope="col" class="num">{headcount}</th><!></tr></thead><tbody><tr></tr></tbody></table></div>"#)), "{marked}");
    }
}
