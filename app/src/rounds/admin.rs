//! The organizer's pages: contests, a contest's rounds with the round form, and a round's
//! control room (live figures, proposed winners with reasons, disqualification, publication,
//! statistics, export).

use super::form::to_form;
use super::model::*;
use super::server_fns::{
    CreateContest, CreateRound, DisqualifyEntry, ReinstateEntry, RoundForm, SetRoundPublished, TIE_BREAK_PRESETS, UpdateRound, contest_detail, list_contests,
    round_dashboard,
};
use super::take::{duration_text, phase_key, score_text};
use crate::accounts::pages::{RequireOrganizer, load_error};
use crate::error::AppError;
use crate::i18n::{Lang, fill, t};
use crate::ui::forms::{FieldError, FormError, TextField, action_error, loading, table_head};
use crate::ui::{format_time, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ContestsPage() -> impl IntoView {
    view! { <RequireOrganizer><Contests/></RequireOrganizer> }
}

#[component]
fn Contests() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateContest>::new();
    let err = action_error(create.value());
    let contests = Resource::new(move || create.version().get(), |_| list_contests());
    view! {
        <section class="card">
            <h1>{t(lang, "contests.heading")}</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match contests.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t(lang, "contests.none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="round-list">
                                {list.into_iter().map(|c| view! {
                                    <li><A href=format!("/admin/contests/{}", c.id)>{c.title.clone()}</A>
                                        <span class="hint">{fill(&t(lang, "contests.rounds_count"), &[("n", &c.rounds.len().to_string()), ("year", &c.year.to_string())])}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
        <section class="card" aria-labelledby="new-contest">
            <h2 id="new-contest">{t(lang, "contests.new")}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError err/>
                <TextField err name="title" label_key="contests.title"/>
                <TextField err name="year" label_key="contests.year" inputmode="numeric" value="2026"/>
                <div class="field">
                    <label for="f-description">{t(lang, "contests.description")}</label>
                    <textarea id="f-description" name="description" rows="2"></textarea>
                </div>
                <div class="field">
                    <label for="f-tie_breaks">{t(lang, "contests.tie_breaks")}</label>
                    <select id="f-tie_breaks" name="tie_breaks">
                        {TIE_BREAK_PRESETS.iter().map(|(value, key)| view! { <option value=*value>{t(lang, key)}</option> }).collect_view()}
                    </select>
                    <FieldError err field="tie_breaks"/>
                </div>
                <div class="field">
                    <label for="f-name_display">{t(lang, "contests.name_display")}</label>
                    <select id="f-name_display" name="name_display">
                        <option value="masked">{t(lang, "contests.names_masked")}</option>
                        <option value="full">{t(lang, "contests.names_full")}</option>
                    </select>
                </div>
                <button type="submit" class="button">{t(lang, "units.create")}</button>
            </ActionForm>
        </section>
    }
}

fn param_id() -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse().ok()).unwrap_or(0)
}

#[component]
pub fn ContestPage() -> impl IntoView {
    view! { <RequireOrganizer><ContestDetail/></RequireOrganizer> }
}

#[component]
fn ContestDetail() -> impl IntoView {
    let lang = use_lang();
    let id = param_id();
    let create = ServerAction::<CreateRound>::new();
    let err = action_error(create.value());
    let contest = Resource::new(id, contest_detail);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let c = match contest.await {
                    Ok(c) => c,
                    Err(e) => return load_error(e),
                };
                view! {
                    <section class="card">
                        <p><A href="/admin/contests">{t(lang, "contests.heading")}</A></p>
                        <h1>{c.title.clone()}</h1>
                        {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
                        <RoundTable rounds=c.rounds.clone()/>
                    </section>
                    <section class="card" aria-labelledby="new-round">
                        <h2 id="new-round">{t(lang, "rounds.new")}</h2>
                        <ActionForm action=create attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="contest_id" value=c.id/>
                            <RoundFields err initial=default_form()/>
                            <button type="submit" class="button">{t(lang, "units.create")}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn default_form() -> RoundForm {
    RoundForm {
        audience: "staff".into(),
        draw_rules: "20".into(),
        shuffle_questions: Some("on".into()),
        shuffle_options: Some("on".into()),
        time_limit_minutes: "20".into(),
        max_attempts: "1".into(),
        counting: "best".into(),
        grace_minutes: "5".into(),
        review_after_submit: "score".into(),
        review_after_close: "full".into(),
        prediction_question: "Đợt thi này có bao nhiêu lượt dự thi?".into(),
        prediction_metric: "entries".into(),
        prizes: "Giải Nhất | 1\nGiải Nhì | 2\nGiải Ba | 3\nGiải Khuyến khích | 10".into(),
        ..RoundForm::default()
    }
}

#[component]
fn RoundTable(rounds: Vec<RoundSummary>) -> impl IntoView {
    let lang = use_lang();
    if rounds.is_empty() {
        return view! { <p class="empty">{t(lang, "rounds.none")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                {table_head(lang, &["rounds.title", "rounds.opens", "rounds.closes", "rounds.phase"])}
                <tbody>
                    {rounds.into_iter().map(|r| view! {
                        <tr>
                            <td><A href=format!("/admin/rounds/{}", r.id)>{r.title.clone()}</A></td>
                            <td>{format_time(r.opens_at)}</td>
                            <td>{format_time(r.closes_at)}</td>
                            <td>{t(lang, phase_key(r.phase))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[allow(clippy::too_many_arguments)]
fn select(lang: Lang, name: &'static str, label: &'static str, current: &str, options: &'static [(&'static str, &'static str)], err: Signal<Option<AppError>>, error_field: &'static str) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let current = current.to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label)}</label>
            <select id=id name=format!("form[{name}]")>
                {options.iter().map(|(value, key)| view! { <option value=*value selected=*value == current.as_str()>{t(lang, key)}</option> }).collect_view()}
            </select>
            <FieldError err field=error_field/>
        </div>
    }
}

/// The round's fields, named `form[…]` for the server function's `RoundForm`.
const REVIEW: [(&str, &str); 4] = [("none", "rounds.review_none"), ("score", "rounds.review_score"), ("answers", "rounds.review_answers"), ("full", "rounds.review_full")];

#[component]
fn RoundFields(err: Signal<Option<AppError>>, initial: RoundForm) -> impl IntoView {
    let lang = use_lang();
    let input = move |name: &'static str, label: &'static str, kind: &'static str, value: String, error_field: &'static str| {
        let id = format!("f-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(lang, label)}</label>
                <input id=id name=format!("form[{name}]") type=kind value=value/>
                <FieldError err field=error_field/>
            </div>
        }
    };
    let area = move |name: &'static str, label: &'static str, hint: &'static str, value: String| {
        let id = format!("f-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(lang, label)}</label>
                <p class="hint">{t(lang, hint)}</p>
                <textarea id=id name=format!("form[{name}]") rows="4">{value}</textarea>
                <FieldError err field=name/>
            </div>
        }
    };
    view! {
        <FormError err/>
        {input("title", "rounds.title", "text", initial.title.clone(), "title")}
        {input("opens_at", "rounds.opens", "datetime-local", initial.opens_at.clone(), "opens_at")}
        {input("closes_at", "rounds.closes", "datetime-local", initial.closes_at.clone(), "closes_at")}
        <p class="hint">{t(lang, "rounds.timezone_hint")}</p>
        {select(lang, "audience", "rounds.audience", &initial.audience, &[("staff", "rounds.audience_staff"), ("public", "rounds.audience_public")], err, "audience")}
        {area("draw_rules", "rounds.draw_rules", "rounds.draw_rules_hint", initial.draw_rules.clone())}
        <label class="check"><input type="checkbox" name="form[shuffle_questions]" checked=initial.shuffle_questions.is_some()/>" "{t(lang, "rounds.shuffle_questions")}</label>
        <label class="check"><input type="checkbox" name="form[shuffle_options]" checked=initial.shuffle_options.is_some()/>" "{t(lang, "rounds.shuffle_options")}</label>
        {input("time_limit_minutes", "rounds.time_limit_minutes", "number", initial.time_limit_minutes.clone(), "time_limit_secs")}
        {input("max_attempts", "rounds.max_attempts", "number", initial.max_attempts.clone(), "max_attempts")}
        {select(lang, "counting", "rounds.counting", &initial.counting, &[("best", "rounds.counting_best"), ("first", "rounds.counting_first"), ("last", "rounds.counting_last")], err, "counting")}
        {input("grace_minutes", "rounds.grace_minutes", "number", initial.grace_minutes.clone(), "grace_secs")}
        {select(lang, "review_after_submit", "rounds.review_after_submit", &initial.review_after_submit, &REVIEW, err, "review_after_submit")}
        {select(lang, "review_after_close", "rounds.review_after_close", &initial.review_after_close, &REVIEW, err, "review_after_close")}
        {input("prediction_question", "rounds.prediction_question", "text", initial.prediction_question.clone(), "prediction_question")}
        {select(lang, "prediction_metric", "rounds.prediction_metric", &initial.prediction_metric,
            &[("entries", "rounds.metric_entries"), ("participants", "rounds.metric_participants"), ("perfect_entries", "rounds.metric_perfect")], err, "prediction_metric")}
        {area("prizes", "rounds.prizes", "rounds.prizes_hint", initial.prizes.clone())}
    }
}

#[component]
pub fn RoundAdminPage() -> impl IntoView {
    view! { <RequireOrganizer><RoundAdmin/></RequireOrganizer> }
}

#[component]
fn RoundAdmin() -> impl IntoView {
    let lang = use_lang();
    let id = param_id();
    let update = ServerAction::<UpdateRound>::new();
    let disqualify = ServerAction::<DisqualifyEntry>::new();
    let reinstate = ServerAction::<ReinstateEntry>::new();
    let publish = ServerAction::<SetRoundPublished>::new();
    let update_err = action_error(update.value());
    let dq_err = action_error(disqualify.value());
    let publish_err = action_error(publish.value());
    let reinstate_err = action_error(reinstate.value());
    let overview = Resource::new(
        move || (id(), update.version().get(), disqualify.version().get(), reinstate.version().get(), publish.version().get()),
        |(id, ..)| round_dashboard(id),
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let o = match overview.await {
                    Ok(o) => o,
                    Err(e) => return load_error(e),
                };
                let round = o.round.clone();
                let stats = o.stats.clone();
                let truth = match (round.prediction_truth, round.truth_frozen_at) {
                    (Some(v), Some(at)) => fill(&t(lang, "rounds.truth_frozen"), &[("v", &v.to_string()), ("at", &format_time(at))]),
                    _ => t(lang, "rounds.truth_pending"),
                };
                let figures = vec![
                    ("rounds.phase", t(lang, phase_key(round.phase))),
                    ("rounds.entries", stats.entries.to_string()),
                    ("rounds.participants", stats.participants.to_string()),
                    ("rounds.open_attempts", stats.open_attempts.to_string()),
                    ("rounds.mean_score", stats.mean_score.map(|m| format!("{m:.2}")).unwrap_or_default()),
                    ("rounds.mean_time", stats.mean_time_ms.map(|m| duration_text(lang, m as i64)).unwrap_or_default()),
                    ("rounds.perfect_share", stats.perfect_share.map(|p| format!("{:.1}%", p * 100.0)).unwrap_or_default()),
                    ("rounds.prediction", format!("{} — {truth}", round.settings.prediction_question)),
                ];
                let published = round.published_at.is_some();
                let disqualified = o.ranking.disqualified.clone();
                view! {
                    <section class="card">
                        <p><A href=format!("/admin/contests/{}", round.contest_id)>{round.contest_title.clone()}</A></p>
                        <h1>{round.settings.title.clone()}</h1>
                        <dl class="facts wide">
                            {figures.into_iter().map(|(k, v)| view! { <dt>{t(lang, k)}</dt><dd>{v}</dd> }).collect_view()}
                        </dl>
                        <p class="actions">
                            <a class="button secondary" href=format!("/api/v1/rounds/{}/ranking.csv", round.id) download>{t(lang, "rounds.export_csv")}</a>
                            {published.then(|| view! { <a class="button secondary" href=format!("/ket-qua/{}", round.id)>{t(lang, "rounds.public_page")}</a> })}
                        </p>
                        <FormError err=publish_err/>
                        <ActionForm action=publish>
                            <input type="hidden" name="round_id" value=round.id/>
                            <input type="hidden" name="published" value=(!published).to_string()/>
                            <button type="submit" class=if published { "button danger" } else { "button" }>{t(lang, if published { "rounds.unpublish" } else { "rounds.publish" })}</button>
                        </ActionForm>
                    </section>
                    <section class="card" aria-labelledby="ranking">
                        <h2 id="ranking">{t(lang, "rounds.ranking")}</h2>
                        {round.truth_frozen_at.is_none().then(|| view! { <p class="hint">{t(lang, "rounds.provisional")}</p> })}
                        {(!o.ranking.ties_at_cutoff.is_empty()).then(|| view! { <div class="form-error">{fill(&t(lang, "rounds.ties_at_cutoff"), &[("tiers", &o.ranking.ties_at_cutoff.join(", "))])}</div> })}
                        <RankingTable entries=o.ranking.entries.clone()/>
                        <h3>{t(lang, "rounds.disqualify")}</h3>
                        <ActionForm action=disqualify attr:class="form grid-form">
                            <FormError err=dq_err/>
                            <input type="hidden" name="round_id" value=round.id/>
                            <TextField err=dq_err name="user_id" label_key="rounds.account_id" inputmode="numeric"/>
                            <TextField err=dq_err name="reason" label_key="rounds.reason"/>
                            <button type="submit" class="button danger">{t(lang, "rounds.disqualify")}</button>
                        </ActionForm>
                        {(!disqualified.is_empty()).then(move || view! {
                            <h3>{t(lang, "rounds.disqualified")}</h3>
                            <FormError err=reinstate_err/>
                            <ul>
                                {disqualified.into_iter().map(|d| view! {
                                    <li>
                                        {format!("#{} {} — {} ({})", d.user_id, d.full_name, d.reason, format_time(d.decided_at))}
                                        <ActionForm action=reinstate attr:class="inline-form">
                                            <input type="hidden" name="round_id" value=round.id/>
                                            <input type="hidden" name="user_id" value=d.user_id/>
                                            <label class="visually-hidden" for=format!("lift-{}", d.user_id)>{t(lang, "rounds.reason")}</label>
                                            <input id=format!("lift-{}", d.user_id) name="reason" type="text" placeholder=t(lang, "rounds.reason")/>
                                            <button type="submit" class="link-button">{t(lang, "rounds.reinstate")}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                    <StatsSection stats=stats/>
                    <section class="card" aria-labelledby="settings">
                        <h2 id="settings">{t(lang, "rounds.settings")}</h2>
                        <ActionForm action=update attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="round_id" value=round.id/>
                            <RoundFields err=update_err initial=to_form(&round.settings)/>
                            <button type="submit" class="button">{t(lang, "common.save")}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn reason_key(decided_by: &str) -> &'static str {
    match decided_by {
        "score" => "rounds.by_score",
        "prediction_gap" => "rounds.by_prediction",
        "time_taken" => "rounds.by_time",
        "submitted_at" => "rounds.by_submitted",
        _ => "rounds.by_tie",
    }
}

#[component]
fn RankingTable(entries: Vec<RankedEntry>) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="empty">{t(lang, "rounds.no_entries")}</p> }.into_any();
    }
    // The first 200 places: prizes never go further, and the CSV has everyone.
    view! {
        <div class="table-wrap">
            <table>
                {table_head(lang, &["rounds.place", "rounds.prize", "rounds.name", "rounds.unit", "rounds.score", "rounds.prediction_gap", "rounds.time_taken", "rounds.reason_place"])}
                <tbody>
                    {entries.into_iter().take(200).map(|e| view! {
                        <tr class=if e.tied { "tied" } else { "" }>
                            <td class="num">{e.place}</td>
                            <td>{e.prize.clone()}</td>
                            <td>{format!("{} (#{})", e.full_name, e.user_id)}</td>
                            <td>{e.unit_name.clone()}</td>
                            <td class="num">{score_text(e.score)}</td>
                            <td class="num">{e.prediction_gap.map(|g| g.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{duration_text(lang, e.time_taken_ms)}</td>
                            <td>{t(lang, reason_key(&e.decided_by))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn StatsSection(stats: RoundStats) -> impl IntoView {
    let lang = use_lang();
    let max = stats.score_distribution.iter().copied().max().unwrap_or(0).max(1);
    view! {
        <section class="card" aria-labelledby="stats">
            <h2 id="stats">{t(lang, "rounds.statistics")}</h2>
            <h3>{t(lang, "rounds.distribution")}</h3>
            <ol class="histogram" start="0">
                {stats.score_distribution.iter().enumerate().map(|(score, n)| view! {
                    <li><span class="bar-label">{score}</span><span class="bar" style=format!("width: {}%", n * 100 / max)></span><span class="num">{*n}</span></li>
                }).collect_view()}
            </ol>
            <h3>{t(lang, "rounds.per_question")}</h3>
            <div class="table-wrap">
                <table>
                    {table_head(lang, &["quiz.text", "rounds.answered", "rounds.facility", "rounds.discrimination"])}
                    <tbody>
                        {stats.questions.iter().map(|q| view! {
                            <tr>
                                <td>{q.text.clone()}</td>
                                <td class="num">{q.answered}</td>
                                <td class="num">{format!("{:.2}", q.facility)}</td>
                                <td class="num">{q.discrimination.map(|d| format!("{d:.2}")).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
