//! The page shell, the layout and the routes: the one place that knows every page. Pages live
//! with their domain; the small pieces they share live in [`crate::ui`], which knows none of them.

use crate::accounts::auth_ui::{Auth, use_auth};
use crate::accounts::model::CurrentUser;
use crate::accounts::reset_pages::{ForgotPasswordPage, ResetPasswordPage};
use crate::accounts::pages::{LoginPage, PersonalDataLog, ProfilePage, RegisterPage, RequireOrganizer, UsersAdmin};
use crate::accounts::server_fns::{Logout, get_current_user};
use crate::citizens::pages::{CitizenSignupPage, ConfirmPhonePage, PublicParticipationPage, SentCodesPage};
use crate::awards::admin_pages::{AwardAdmin, AwardsAdmin};
use crate::awards::entry_pages::{AwardResultsPage, AwardsPage, EntryPage};
use crate::awards::judge_pages::{JudgeHomePage, ScorePage};
use crate::i18n::{Lang, t};
use crate::participation::annual_page::AnnualReport;
use crate::participation::page::ParticipationPage;
use crate::participation::roster_page::RosterPreviewPage;
use crate::quiz::pages::{QuestionBank, QuestionImport};
use crate::quiz::question_form::QuestionEdit;
use crate::rounds::admin::{ContestDetail, Contests};
use crate::rounds::attempt_page::{AttemptPage, SubmitConfirmPage};
use crate::rounds::home::HomePage;
use crate::rounds::round_admin::RoundAdmin;
use crate::rounds::take::{PublicResultsPage, ResultPage, RoundEntryPage, RoundList, RoundsPage};
use crate::ui::{Hydrated, detect_lang, tr, urlencode, use_lang};
use crate::units::pages::{ImportPreviewView, UnitHistoryView, UnitsAdmin};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

/// The HTML document. Rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    // The page's Content-Security-Policy, with this response's nonce (leptos_axum makes one
    // per request and puts it on every inline script it writes).
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(policy) = axum::http::HeaderValue::from_str(&crate::infra::csp::page_policy(&nonce)) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    let scripts = match request_path().map(|p| bundle_for(&p)).unwrap_or(Bundle::Full) {
        Bundle::Full => view! { <HydrationScripts options/> }.into_any(),
        Bundle::Islands(Some(name)) => {
            let mut options = options;
            options.output_name = name.into();
            view! { <HydrationScripts options islands=true/> }.into_any()
        }
        Bundle::Islands(None) => {
            // A page without islands: rendered as plain HTML, no WASM at all.
            if let Some(sc) = Owner::current_shared_context() {
                sc.set_is_hydrating(false);
            }
            ().into_any()
        }
    };
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href="/pkg/app.css"/>
                <link rel="icon" href="data:,"/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// What a page loads in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// The whole application, hydrated (organizer, judge and report pages).
    Full,
    /// A page people use on the day: plain HTML, plus the light bundle of its islands, if it
    /// has any (`/pkg/{name}.js`, `/pkg/{name}_bg.wasm`).
    Islands(Option<&'static str>),
}

impl Bundle {
    /// The name shown in `data-bundle` on the page (tests wait for hydration by it).
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Full => "full",
            Bundle::Islands(Some(name)) => name,
            Bundle::Islands(None) => "none",
        }
    }
}

/// Which bundle a page loads. The pages of a deadline day (home, sign-in, registration, the
/// round, the attempt, the result) stay light on a phone; the rest loads the whole app.
pub fn bundle_for(path: &str) -> Bundle {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match segments.as_slice() {
        ["register"] | ["dang-ky-cong-dan"] => Bundle::Islands(Some("register")),
        ["bai-thi", n] if id(n) => Bundle::Islands(Some("attempt")),
        [] | ["login"] | ["thi"] | ["quen-mat-khau"] | ["dat-lai-mat-khau"] | ["xac-nhan-ma"] => Bundle::Islands(None),
        ["thi", n] | ["ket-qua", n] if id(n) => Bundle::Islands(None),
        ["bai-thi", n, "ket-qua" | "nop"] if id(n) => Bundle::Islands(None),
        _ => Bundle::Full,
    }
}

fn request_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().map(|parts| parts.uri.path().to_string())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window().and_then(|w| w.location().pathname().ok())
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());
    view! {
        <Router>
            <Layout/>
        </Router>
    }
}

/// Header, navigation and routes. Pages create their own server actions (not this layout), because
/// `<Routes>` is what hands them the error a no-JavaScript form submission carried back in the URL.
#[component]
fn Layout() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let changed = RwSignal::new(0u32);
    let user = Resource::new(move || (changed.get(), logout.version().get()), |_| get_current_user());
    provide_context(Auth { user, logout, changed });
    let (hydrated, set_hydrated) = signal(false);
    provide_context(Hydrated(hydrated));
    // Read once: the full bundle hydrates only `Full` pages, where server and browser agree.
    let bundle = request_path().map(|p| bundle_for(&p)).unwrap_or(Bundle::Full).name();
    Effect::new(move |_| set_hydrated.set(true));
    let lang = use_lang();
    let location = use_location();
    // rel="external": the switch is a server route (it sets a cookie), not a client-side page.
    let switch_href = move |code: &str| format!("/lang/{code}?next={}", urlencode(&location.pathname.get()));

    view! {
        <Title text=move || crate::page_titles::page_title(lang, &location.pathname.get())/>
        <div id="app" data-hydrated=move || hydrated.get().to_string() data-bundle=bundle>
            <a class="skip-link" href="#main">{t(lang, "nav.skip")}</a>
            <header class="site-header">
                <A href="/" attr:class="brand">{t(lang, "app.short_title")}</A>
                <nav aria-label=t(lang, "nav.label")>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let user = user.await.ok().flatten();
                            view! { <NavLinks user/> }
                        })}
                    </Transition>
                </nav>
                <div class="lang-switch" aria-label=t(lang, "nav.language")>
                    <a href=move || switch_href("vi") rel="external" aria-current=(lang == Lang::Vi).then_some("true") lang="vi">"Tiếng Việt"</a>
                    " · "
                    <a href=move || switch_href("en") rel="external" aria-current=(lang == Lang::En).then_some("true") lang="en">"English"</a>
                </div>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/quen-mat-khau") view=ForgotPasswordPage/>
                    <Route path=path!("/dang-ky-cong-dan") view=CitizenSignupPage/>
                    <Route path=path!("/xac-nhan-ma") view=ConfirmPhonePage/>
                    <Route path=path!("/dat-lai-mat-khau") view=ResetPasswordPage ssr=SsrMode::Async/>
                    // Pages behind a login render completely before responding (Async), so a
                    // signed-out visitor gets a real 302 to the login page, JavaScript or not.
                    <Route path=path!("/profile") view=ProfileWithRounds ssr=SsrMode::Async/>
                    <Route path=path!("/admin/units") view=organizer_only(UnitsAdmin) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/units/import/:id") view=organizer_only(ImportPreviewView) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/units/:id") view=organizer_only(UnitHistoryView) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=organizer_only(UsersAdmin) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/nhat-ky-du-lieu") view=organizer_only(PersonalDataLog) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/ma-xac-nhan") view=organizer_only(SentCodesPage) ssr=SsrMode::Async/>
                    <Route path=path!("/tham-gia-cong-dan") view=organizer_only(PublicParticipationPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/questions") view=organizer_only(QuestionBank) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/questions/import/:id") view=organizer_only(QuestionImport) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/questions/:id") view=organizer_only(QuestionEdit) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/contests") view=organizer_only(Contests) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/contests/:id") view=organizer_only(ContestDetail) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rounds/:id") view=organizer_only(RoundAdmin) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rounds/:id/gian-lan") view=organizer_only(crate::integrity::page::IntegrityPage) ssr=SsrMode::Async/>
                    <Route path=path!("/tham-gia") view=ParticipationPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/bao-cao") view=organizer_only(AnnualReport) ssr=SsrMode::Async/>
                    <Route path=path!("/don-vi/:unit/danh-sach/:id") view=RosterPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/thi") view=RoundsPage/>
                    <Route path=path!("/thi/:id") view=RoundEntryPage ssr=SsrMode::Async/>
                    <Route path=path!("/bai-thi/:id") view=AttemptPage ssr=SsrMode::Async/>
                    <Route path=path!("/bai-thi/:id/nop") view=SubmitConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/bai-thi/:id/ket-qua") view=ResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/ket-qua/:id") view=PublicResultsPage/>
                    <Route path=path!("/giai-thuong") view=AwardsPage ssr=SsrMode::Async/>
                    <Route path=path!("/giai-thuong/:id/ket-qua") view=AwardResultsPage/>
                    <Route path=path!("/tac-pham/:id") view=EntryPage ssr=SsrMode::Async/>
                    <Route path=path!("/giam-khao") view=JudgeHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/giam-khao/:id") view=ScorePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/giai-thuong") view=organizer_only(AwardsAdmin) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/giai-thuong/:id") view=organizer_only(AwardAdmin) ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">{t(lang, "app.footer")}</footer>
        </div>
    }
}

/// An organizer's page: shown to organizers and admins, the login page or a refusal to anyone
/// else. The server functions behind it check the role again (`policy`).
fn organizer_only<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send + 'static {
    move || view! { <RequireOrganizer>{page()}</RequireOrganizer> }.into_any()
}

/// The profile; right after registering (`?welcome=1`) it also lists the rounds, open ones
/// first, so the next step is one tap away.
#[component]
fn ProfileWithRounds() -> impl IntoView {
    let welcome = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("welcome").is_some());
    view! {
        {welcome.then(|| view! {
            <div class="notice" role="status">{tr("profile.welcome")}</div>
            <section class="card" id="welcome-rounds">
                <h2>{tr("rounds.heading")}</h2>
                <RoundList/>
            </section>
        })}
        <ProfilePage/>
    }
}

#[component]
fn NavLinks(user: Option<CurrentUser>) -> impl IntoView {
    let lang = use_lang();
    let logout = use_auth().logout;
    match user {
        None => view! {
            <A href="/login">{t(lang, "nav.login")}</A>
            <A href="/register">{t(lang, "nav.register")}</A>
        }
        .into_any(),
        Some(user) => {
            let organizer = user.is_organizer();
            let admin = user.is_admin();
            let reports = organizer || !user.managed_units().is_empty();
            // The award is for civil servants' initiatives; a citizen's account is for public rounds.
            let staff = !user.citizen;
            view! {
                <A href="/thi">{t(lang, "nav.rounds")}</A>
                <Show when=move || staff>
                    <A href="/giai-thuong">{t(lang, "nav.awards")}</A>
                </Show>
                <Show when=move || reports>
                    <A href="/tham-gia">{t(lang, "nav.participation")}</A>
                </Show>
                <Show when=move || organizer>
                    <A href="/admin/contests">{t(lang, "nav.contests")}</A>
                    <A href="/admin/bao-cao">{t(lang, "nav.report")}</A>
                    <A href="/admin/units">{t(lang, "nav.units")}</A>
                    <A href="/admin/questions">{t(lang, "nav.questions")}</A>
                    <A href="/admin/users">{t(lang, "nav.users")}</A>
                    <A href="/tham-gia-cong-dan">{t(lang, "nav.public_participation")}</A>
                    <A href="/admin/ma-xac-nhan">{t(lang, "nav.sent_codes")}</A>
                </Show>
                <Show when=move || admin>
                    <A href="/admin/nhat-ky-du-lieu">{t(lang, "nav.data_log")}</A>
                </Show>
                <A href="/profile">{user.full_name.clone()}</A>
                <ActionForm action=logout attr:class="inline-form">
                    <button type="submit" class="link-button">{t(lang, "nav.logout")}</button>
                </ActionForm>
            }
            .into_any()
        }
    }
}

#[component]
fn NotFound() -> impl IntoView {
    crate::ui::set_response_status(404);
    view! {
        <section class="card">
            <h1>{tr("page.not_found")}</h1>
            <p><A href="/">{tr("nav.home")}</A></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_loads_its_bundle() {
        let cases = [
            ("/", Bundle::Islands(None)),
            ("/login", Bundle::Islands(None)),
            ("/quen-mat-khau", Bundle::Islands(None)),
            ("/dat-lai-mat-khau", Bundle::Islands(None)),
            ("/register", Bundle::Islands(Some("register"))),
            ("/dang-ky-cong-dan", Bundle::Islands(Some("register"))),
            ("/xac-nhan-ma", Bundle::Islands(None)),
            ("/admin/ma-xac-nhan", Bundle::Full),
            ("/thi", Bundle::Islands(None)),
            ("/thi/12", Bundle::Islands(None)),
            ("/bai-thi/12", Bundle::Islands(Some("attempt"))),
            ("/bai-thi/12/", Bundle::Islands(Some("attempt"))),
            ("/bai-thi/12/ket-qua", Bundle::Islands(None)),
            ("/bai-thi/12/nop", Bundle::Islands(None)),
            ("/ket-qua/3", Bundle::Islands(None)),
            ("/thi/abc", Bundle::Full),
            ("/profile", Bundle::Full),
            ("/admin/rounds/3", Bundle::Full),
            ("/admin/rounds/3/gian-lan", Bundle::Full),
            ("/tham-gia", Bundle::Full),
            ("/giam-khao/1", Bundle::Full),
        ];
        for (path, bundle) in cases {
            assert_eq!(bundle_for(path), bundle, "{path}");
        }
    }
}
