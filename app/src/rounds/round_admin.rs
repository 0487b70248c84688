//! A round's control room for organizers: live figures, proposed winners with the reason for
//! each place, disqualification, publication, statistics, export and the settings.

use crate::vn_time::show_secs;
use super::admin::RoundFields;
use super::form::to_form;
use super::model::*;
use super::server_fns::{ChangeRoundDraft, DisqualifyEntry, ReinstateEntry, SetRoundPublished, UpdateRound, round_dashboard, round_settings};
use super::take::{duration_text, phase_key, score_text};
use crate::i18n::{fill, t};
use crate::ui::forms::{FieldError, FormError, TextField, action_error, loading};
use crate::ui::{ConfirmSubmit, Loaded, Table, load_error, param_id, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn RoundAdmin() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let update = ServerAction::<UpdateRound>::new();
    let disqualify = ServerAction::<DisqualifyEntry>::new();
    let reinstate = ServerAction::<ReinstateEntry>::new();
    let publish = ServerAction::<SetRoundPublished>::new();
    let draft = ServerAction::<ChangeRoundDraft>::new();
    let draft_err = action_error(draft.value());
    let update_err = action_error(update.value());
    let dq_err = action_error(disqualify.value());
    let publish_err = action_error(publish.value());
    let reinstate_err = action_error(reinstate.value());
    // While a round runs the figures refresh every 15 s (once the WASM is there); the page
    // keeps showing the last figures meanwhile.
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let handle = set_interval_with_handle(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(15));
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    let overview = Resource::new(
        move || (id(), update.version().get(), disqualify.version().get(), reinstate.version().get(), publish.version().get(), draft.version().get(), tick.get()),
        |(id, ..)| round_dashboard(id),
    );
    // The settings form loads on its own, again only after a save: the figures' refresh must
    // not rebuild it under the organizer's hands.
    let settings = Resource::new(move || (id(), update.version().get()), |(id, _)| round_settings(id));
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                let o = match overview.await {
                    Ok(o) => o,
                    Err(e) => return load_error(e),
                };
                let round = o.round.clone();
                let stats = o.stats.clone();
                let truth = match (round.prediction_truth, round.truth_frozen_at) {
                    (Some(v), Some(at)) => fill(&t(lang, "rounds.truth_frozen"), &[("v", &v.to_string()), ("at", &show_secs(at))]),
                    _ => t(lang, "rounds.truth_pending"),
                };
                let figures = vec![
                    ("rounds.phase", t(lang, phase_key(round.phase))),
                    ("rounds.entries", stats.entries.to_string()),
                    ("rounds.participants", stats.participants.to_string()),
                    ("rounds.open_attempts", stats.open_attempts.to_string()),
                    ("rounds.mean_score", stats.mean_score.map(|m| crate::numbers::fixed(lang, m, 2)).unwrap_or_default()),
                    ("rounds.mean_time", stats.mean_time_ms.map(|m| duration_text(lang, m as i64)).unwrap_or_default()),
                    ("rounds.perfect_share", stats.perfect_share.map(|p| crate::numbers::percent(lang, p)).unwrap_or_default()),
                    ("rounds.prediction", format!("{} — {truth}", round.settings.prediction_question)),
                ];
                let published = round.published_at.is_some();
                let visible = round.visible();
                let taken = stats.entries + stats.open_attempts > 0;
                let draft_round = round.clone();
                let disqualified = o.ranking.disqualified.clone();
                view! {
                    <section class="card">
                        <p>
                            <A href=format!("/admin/contests/{}", round.contest_id)>{round.contest_title.clone()}</A>" · "
                            <A href=format!("/admin/rounds/{}/gian-lan", round.id) attr:id="integrity-link">{t(lang, "integrity.link")}</A>
                        </p>
                        <h1>{round.settings.title.clone()}</h1>
                        <dl class="facts wide">
                            {figures.into_iter().map(|(k, v)| view! { <dt>{t(lang, k)}</dt><dd>{v}</dd> }).collect_view()}
                        </dl>
                        <p class="actions">
                            <a class="button secondary" href=format!("/api/v1/rounds/{}/ranking.csv", round.id) download>{t(lang, "rounds.export_csv")}</a>
                            {published.then(|| view! { <a class="button secondary" href=format!("/ket-qua/{}", round.id)>{t(lang, "rounds.public_page")}</a> })}
                        </p>
                        <RoundDraftActions round=draft_round taken action=draft err=draft_err/>
                        <FormError err=publish_err/>
                        {visible.then(|| view! {
                            <ActionForm action=publish>
                                <input type="hidden" name="round_id" value=round.id/>
                                <input type="hidden" name="published" value=(!published).to_string()/>
                                <ConfirmSubmit id="publish-results" danger=published label=t(lang, if published { "rounds.unpublish" } else { "rounds.publish" })
                                    message=t(lang, if published { "rounds.unpublish_confirm" } else { "rounds.publish_confirm" })/>
                            </ActionForm>
                        })}
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
                            {if published {
                                // Public results change at once: ask, and say how to undo.
                                view! { <ConfirmSubmit id="disqualify-published" danger=true label=t(lang, "rounds.disqualify") message=t(lang, "rounds.disqualify_published_confirm")/> }.into_any()
                            } else {
                                view! { <button type="submit" class="button danger">{t(lang, "rounds.disqualify")}</button> }.into_any()
                            }}
                        </ActionForm>
                        {(!disqualified.is_empty()).then(move || view! {
                            <h3>{t(lang, "rounds.disqualified")}</h3>
                            <FormError err=reinstate_err/>
                            <FieldError err=reinstate_err field="reason"/>
                            <ul>
                                {disqualified.into_iter().map(|d| view! {
                                    <li>
                                        {format!("#{} {} — {} ({})", d.user_id, d.full_name, d.reason, show_secs(d.decided_at))}
                                        <ActionForm action=reinstate attr:class="inline-form">
                                            <input type="hidden" name="round_id" value=round.id/>
                                            <input type="hidden" name="user_id" value=d.user_id/>
                                            <label class="visually-hidden" for=format!("lift-{}", d.user_id)>{t(lang, "rounds.reason")}</label>
                                            <input id=format!("lift-{}", d.user_id) name="reason" type="text" required placeholder=t(lang, "rounds.reason")/>
                                            <button type="submit" class="link-button">{t(lang, "rounds.reinstate")}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                    <StatsSection stats=stats/>
                }.into_any()
            })}
        </Transition>
        <Loaded resource=settings let:round>
            <section class="card" aria-labelledby="settings">
                <h2 id="settings">{t(lang, "rounds.settings")}</h2>
                <ActionForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="round_id" value=round.id/>
                    <RoundFields err=update_err initial=to_form(&round.settings)/>
                    <button type="submit" class="button">{t(lang, "common.save")}</button>
                </ActionForm>
            </section>
        </Loaded>
    }
}

/// A draft round's banner with Announce and Delete; a public round nobody has started can go
/// back to draft. A round of a draft contest says the contest hides it.
#[component]
fn RoundDraftActions(round: Round, taken: bool, action: ServerAction<ChangeRoundDraft>, err: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let lang = use_lang();
    let form = move |change: &'static str, id: &'static str, label: &'static str, message: String, danger: bool| view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="round_id" value=round.id/>
            <input type="hidden" name="contest_id" value=round.contest_id/>
            <input type="hidden" name="change" value=change/>
            <ConfirmSubmit id label=t(lang, label) message danger/>
        </ActionForm>
    };
    let opens = show_secs(round.settings.opens_at);
    let untaken = !taken && round.phase != RoundPhase::Closed;
    view! {
        <FormError err/>
        {round.contest_draft.then(|| view! { <p class="draft-banner" id="contest-hides-round">{t(lang, "drafts.contest_hides_round")}</p> })}
        {if round.draft {
            view! {
                <div class="draft-banner" id="round-draft">
                    <p>{t(lang, "drafts.round_banner")}</p>
                    {form("announce", "round-announce", "drafts.announce", fill(&t(lang, "drafts.announce_round_confirm"), &[("opens", &opens)]), false)}
                    {form("delete", "round-delete", "drafts.delete", t(lang, "drafts.delete_round_confirm"), true)}
                </div>
            }.into_any()
        } else if untaken {
            form("back_to_draft", "round-back-to-draft", "drafts.back_to_draft", t(lang, "drafts.back_to_draft_confirm"), true).into_any()
        } else {
            ().into_any()
        }}
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

/// Places per page of the control room's ranking (the CSV has everyone).
const RANKING_PAGE: usize = 200;

/// The 1-based page of `total` places to show, from `?trang=`, within range.
fn ranking_page(asked: &str, total: usize) -> usize {
    let pages = total.div_ceil(RANKING_PAGE).max(1);
    asked.trim().parse::<usize>().unwrap_or(1).clamp(1, pages)
}

#[component]
fn RankingTable(entries: Vec<RankedEntry>) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="empty">{t(lang, "rounds.no_entries")}</p> }.into_any();
    }
    // A page of places at a time, and always how many there are: nobody should take the
    // first page for the whole ranking.
    let total = entries.len();
    let page = ranking_page(&crate::ui::query_text("trang")(), total);
    let from = (page - 1) * RANKING_PAGE;
    let to = (from + RANKING_PAGE).min(total);
    let summary = fill(&t(lang, "rounds.ranking_page"), &[("from", &(from + 1).to_string()), ("to", &to.to_string()), ("total", &total.to_string())]);
    let pager = (total > RANKING_PAGE).then(|| view! {
        <p class="actions" id="ranking-pages">
            {(page > 1).then(|| view! { <a href=format!("?trang={}#ranking", page - 1)>{t(lang, "rounds.ranking_prev")}</a> })}
            {(to < total).then(|| view! { <a href=format!("?trang={}#ranking", page + 1)>{t(lang, "rounds.ranking_next")}</a> })}
        </p>
    });
    view! {
        <p class="hint" id="ranking-count">{summary}</p>
        {pager}
        <Table heads=&["rounds.place", "rounds.prize", "rounds.name", "rounds.unit", "rounds.score", "rounds.prediction_gap", "rounds.time_taken", "rounds.reason_place"]>
            {entries.into_iter().skip(from).take(RANKING_PAGE).map(|e| view! {
                <tr class=if e.tied { "tied" } else { "" }>
                    <td class="num">{e.place}</td>
                    <td>{e.prize.clone()}</td>
                    <td>{format!("{} (#{})", e.full_name, e.user_id)}</td>
                    <td>{e.unit_name.clone()}</td>
                    <td class="num">{score_text(lang, e.score)}</td>
                    <td class="num">{e.prediction_gap.map(|g| crate::numbers::group_digits(lang, g)).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{duration_text(lang, e.time_taken_ms)}</td>
                    <td>{t(lang, reason_key(&e.decided_by))}</td>
                </tr>
            }).collect_view()}
        </Table>
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
            <p class="hint" id="stats-help">{t(lang, "rounds.facility_help")}" "{t(lang, "rounds.discrimination_help")}</p>
            <Table heads=&["quiz.text", "rounds.answered", "rounds.facility", "rounds.discrimination"]>
                {stats.questions.iter().map(|q| view! {
                    <tr>
                        <td>{q.text.clone()}</td>
                        <td class="num">{q.answered}</td>
                        <td class="num">{crate::numbers::fixed(lang, q.facility, 2)}</td>
                        <td class="num">{q.discrimination.map(|d| crate::numbers::fixed(lang, d, 2)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }).collect_view()}
            </Table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ranking_page_stays_in_range() {
        let cases = [("", 684, 1), ("2", 684, 2), ("4", 684, 4), ("9", 684, 4), ("0", 684, 1), ("x", 684, 1), ("3", 150, 1), ("1", 0, 1)];
        for (asked, total, page) in cases {
            assert_eq!(super::ranking_page(asked, total), page, "{asked:?} of {total}");
        }
    }
}
