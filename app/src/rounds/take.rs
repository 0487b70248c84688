//! The participant's pages around an attempt: the rounds, a round's entry page, the result,
//! and the public results. The attempt itself is in `attempt_page`.

use crate::vn_time::show_secs;
use super::model::*;
use super::server_fns::{StartAttempt, load_attempt_result, public_rounds, published_results, round_entry};
use crate::ui::{Loaded, Table, load_error, param_id};
use crate::i18n::{Lang, fill, t};
use crate::ui::forms::{FormError, action_error, loading};
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

pub fn counting_key(counting: Counting) -> &'static str {
    match counting {
        Counting::Best => "rounds.counting_best",
        Counting::First => "rounds.counting_first",
        Counting::Last => "rounds.counting_last",
    }
}

/// Where a round sits in the participant's list: what can be taken now first, then what is
/// coming, then closed rounds (newest first within each group).
fn list_rank(phase: RoundPhase) -> u8 {
    match phase {
        RoundPhase::Closing | RoundPhase::Open => 0,
        RoundPhase::Upcoming => 1,
        RoundPhase::Closed => 2,
    }
}

/// The rounds a participant sees, in the order they are listed: closed rounds only once
/// their results are published.
pub fn listed_rounds(mut list: Vec<RoundSummary>) -> Vec<RoundSummary> {
    list.retain(|r| r.phase != RoundPhase::Closed || r.published);
    list.sort_by(|a, b| list_rank(a.phase).cmp(&list_rank(b.phase)).then(b.closes_at.cmp(&a.closes_at)));
    list
}

pub fn phase_key(phase: RoundPhase) -> &'static str {
    match phase {
        RoundPhase::Upcoming => "rounds.phase_upcoming",
        RoundPhase::Open => "rounds.phase_open",
        RoundPhase::Closing => "rounds.phase_closing",
        RoundPhase::Closed => "rounds.phase_closed",
    }
}

/// Hundredths of a question as shown: "18" or "17,66" (decimal comma in Vietnamese).
pub fn score_text(lang: Lang, hundredths: i64) -> String {
    crate::numbers::hundredths(lang, hundredths)
}

/// Milliseconds as "12 phút 05 giây" / "12 min 05 s".
pub fn duration_text(lang: Lang, ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    fill(&t(lang, "rounds.duration"), &[("m", &(secs / 60).to_string()), ("s", &format!("{:02}", secs % 60))])
}

/// The list of rounds: open now, upcoming, and those with published results.
#[component]
pub fn RoundList() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| public_rounds());
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match rounds.await.map(listed_rounds) {
                    Ok(list) if !list.is_empty() => view! {
                        <ul class="round-list">
                            {list.into_iter().map(|r| {
                                let href = if r.phase == RoundPhase::Closed { format!("/ket-qua/{}", r.id) } else { format!("/thi/{}", r.id) };
                                let when = fill(&t(lang, "rounds.when"), &[("from", &show_secs(r.opens_at)), ("to", &show_secs(r.closes_at))]);
                                view! {
                                    <li class=format!("round-item phase-{:?}", r.phase).to_lowercase()>
                                        <span class="badge">{t(lang, phase_key(r.phase))}</span>
                                        <A href=href>{format!("{} — {}", r.contest_title, r.title)}</A>
                                        <span class="hint">{when}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(_) => view! { <p class="empty">{t(lang, "home.no_contests")}</p> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{t(use_lang(), "rounds.heading")}</h1>
            <RoundList/>
        </section>
    }
}

#[component]
pub fn RoundEntryPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let start = ServerAction::<StartAttempt>::new();
    let start_err = action_error(start.value());
    let entry = Resource::new(id, round_entry);
    view! {
        <Loaded resource=entry let:e>
            {
                let facts = vec![
                    ("rounds.phase", t(lang, phase_key(e.round.phase))),
                    ("rounds.opens", show_secs(e.round.opens_at)),
                    ("rounds.closes", show_secs(e.round.closes_at)),
                    ("rounds.questions", e.question_count.to_string()),
                    ("rounds.time_limit", fill(&t(lang, "rounds.minutes"), &[("n", &(e.time_limit_secs / 60).to_string())])),
                    ("rounds.max_attempts", e.max_attempts.to_string()),
                    ("rounds.counting", t(lang, counting_key(e.counting))),
                ];
                let closed = e.round.phase == RoundPhase::Closed;
                let open = e.attempts.iter().find(|a| a.status == AttemptStatus::Open).map(|a| a.id);
                view! {
                    <section class="card narrow">
                        <p class="hint">{e.round.contest_title.clone()}</p>
                        <h1>{e.round.title.clone()}</h1>
                        <dl class="facts">
                            {facts.into_iter().map(|(k, v)| view! { <dt>{t(lang, k)}</dt><dd>{v}</dd> }).collect_view()}
                        </dl>
                        <p><strong>{t(lang, "rounds.prediction")}": "</strong>{e.prediction_question.clone()}</p>
                        {(closed && e.round.published).then(|| view! {
                            <p><a class="button" href=format!("/ket-qua/{}", e.round.id)>{t(lang, "rounds.see_results")}</a></p>
                        })}
                        {(closed && !e.round.published).then(|| view! { <p class="notice">{t(lang, "rounds.results_pending")}</p> })}
                        <FormError err=start_err/>
                        {e.can_start.then(|| view! {
                            <ActionForm action=start>
                                <input type="hidden" name="round_id" value=e.round.id/>
                                <button type="submit" class="button big">{t(lang, if open.is_some() { "rounds.resume" } else { "rounds.start" })}</button>
                            </ActionForm>
                        })}
                        {(!e.attempts.is_empty()).then(|| view! {
                            <h2>{t(lang, "rounds.my_attempts")}</h2>
                            <ul>
                                {e.attempts.iter().map(|a| {
                                    let (href, label) = if a.status == AttemptStatus::Open { (format!("/bai-thi/{}", a.id), t(lang, "rounds.resume")) } else { (format!("/bai-thi/{}/ket-qua", a.id), t(lang, "rounds.view_result")) };
                                    let text = fill(&t(lang, "rounds.attempt_n"), &[("n", &a.number.to_string()), ("at", &show_secs(a.started_at_ms / 1000))]);
                                    view! { <li>{text}" — "<A href=href>{label}</A></li> }
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                }
            }
        </Loaded>
    }
}

/// The attempt page sends the person here with `?chua-luu=3,7,p` when time ran out before some
/// choices reached the server: they are named, so nobody believes a lost answer counted.
fn unsaved_note(lang: Lang, codes: &str) -> Option<String> {
    let names: Vec<String> = codes
        .split(',')
        .filter_map(|c| match c.trim() {
            "p" => Some(t(lang, "rounds.prediction")),
            n => n.parse::<u32>().ok().map(|n| fill(&t(lang, "rounds.question_short"), &[("n", &n.to_string())])),
        })
        .collect();
    (!names.is_empty()).then(|| fill(&t(lang, "rounds.unsaved_at_timeup"), &[("list", &names.join(", "))]))
}

#[component]
pub fn ResultPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let result = Resource::new(id, load_attempt_result);
    let unsaved = StoredValue::new(leptos_router::hooks::use_query_map().with_untracked(|q| q.get("chua-luu")).and_then(|codes| unsaved_note(lang, &codes)));
    view! {
        <Loaded resource=result let:r>
            {
                let score = r.score.map(|s| format!("{} / {}", score_text(lang, s), score_text(lang, r.max_score)));
                view! {
                    <section class="card narrow result">
                        <h1>{t(lang, "rounds.result_heading")}</h1>
                        <p class="hint">{r.round_title.clone()}</p>
                        {(r.submitted_by == Some(Submitter::Server)).then(|| view! { <div class="notice">{t(lang, "rounds.auto_submitted")}</div> })}
                        {unsaved.get_value().map(|text| view! { <div class="form-error" role="alert" id="unsaved-note">{text}</div> })}
                        <dl class="facts">
                            {score.map(|s| view! { <dt>{t(lang, "rounds.score")}</dt><dd class="score">{s}</dd> })}
                            {r.correct_count.map(|c| view! { <dt>{t(lang, "rounds.correct_count")}</dt><dd>{c}</dd> })}
                            <dt>{t(lang, "rounds.time_taken")}</dt><dd>{r.time_taken_ms.map(|ms| duration_text(lang, ms))}</dd>
                            <dt>{t(lang, "rounds.prediction")}</dt>
                            <dd>{r.prediction_question.clone()}" — "<strong>{r.prediction.map(|p| p.to_string()).unwrap_or_else(|| t(lang, "rounds.no_prediction"))}</strong></dd>
                        </dl>
                        {(r.review_level < ReviewLevel::Score).then(|| view! { <p class="hint">{t(lang, "rounds.review_later")}</p> })}
                        {(r.attempts_left > 0).then(|| view! { <p><a class="button secondary" href=format!("/thi/{}", r.round_id)>{fill(&t(lang, "rounds.attempts_left"), &[("n", &r.attempts_left.to_string())])}</a></p> })}
                    </section>
                    {(!r.review.is_empty()).then(|| view! { <Review items=r.review.clone()/> })}
                }
            }
        </Loaded>
    }
}

#[component]
fn Review(items: Vec<ReviewItem>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card review">
            <h2>{t(lang, "rounds.review")}</h2>
            {items.into_iter().map(|item| {
                let mark = match item.is_correct {
                    Some(true) => ("right", t(lang, "rounds.right")),
                    Some(false) => ("wrong", t(lang, "rounds.wrong")),
                    None => ("", String::new()),
                };
                view! {
                    <div class=format!("review-item {}", mark.0)>
                        <p><strong>{fill(&t(lang, "rounds.question_n"), &[("n", &item.position.to_string())])}</strong>" "{item.text.clone()}" "<span class="mark">{mark.1}</span></p>
                        <ul>
                            {item.options.iter().enumerate().map(|(i, o)| {
                                let mine = item.answer.contains(&i);
                                let key = item.correct.as_ref().map(|c| c.contains(&i)).unwrap_or(false);
                                let class = format!("{}{}", if mine { "mine " } else { "" }, if key { "key" } else { "" });
                                let suffix = match (mine, key) {
                                    (true, true) => t(lang, "rounds.your_answer_key"),
                                    (true, false) => t(lang, "rounds.your_answer"),
                                    (false, true) => t(lang, "rounds.the_key"),
                                    _ => String::new(),
                                };
                                view! { <li class=class>{o.clone()}<span class="hint">{suffix}</span></li> }
                            }).collect_view()}
                        </ul>
                        {item.explanation.map(|e| view! { <p class="explanation">{e}</p> })}
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let results = Resource::new(id, published_results);
    view! {
        <Loaded resource=results let:r>
            <section class="card">
                <p class="hint">{r.contest_title.clone()}</p>
                <h1>{fill(&t(lang, "rounds.results_heading"), &[("round", &r.round_title)])}</h1>
                <dl class="facts">
                    <dt>{t(lang, "rounds.prediction")}</dt><dd>{r.prediction_question.clone()}</dd>
                    <dt>{t(lang, "rounds.prediction_truth")}</dt>
                    <dd id="prediction-truth"><strong>{r.prediction_truth.map(|v| crate::numbers::group_digits(lang, v))}</strong></dd>
                </dl>
                <p class="hint">{fill(&t(lang, "rounds.published_at"), &[("at", &show_secs(r.published_at))])}</p>
                <Table heads=&["rounds.place", "rounds.prize", "rounds.name", "rounds.unit", "rounds.score", "rounds.time_taken", "rounds.prediction_short"] class="stack" id="winners">
                    {r.winners.iter().map(|w| {
                        let label = |key: &str| t(lang, key);
                        view! {
                            <tr>
                                <td class="num" data-label=label("rounds.place")>{w.place}</td>
                                <td data-label=label("rounds.prize")>{w.prize.clone()}</td>
                                <td data-label=label("rounds.name")>{w.name.clone()}</td>
                                <td data-label=label("rounds.unit")>{w.unit_name.clone()}</td>
                                <td class="num" data-label=label("rounds.score")>{score_text(lang, w.score)}</td>
                                <td class="num" data-label=label("rounds.time_taken")>{duration_text(lang, w.time_taken_ms)}</td>
                                <td class="num" data-label=label("rounds.prediction_short")>{w.prediction.map(|p| crate::numbers::group_digits(lang, p))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </Table>
            </section>
        </Loaded>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(id: i64, phase: RoundPhase, closes_at: i64, published: bool) -> RoundSummary {
        RoundSummary { id, contest_id: 1, contest_title: "Hội thi".into(), title: format!("Đợt {id}"), opens_at: 0, closes_at, phase, draft: false, published, audience: Default::default() }
    }

    #[test]
    fn open_rounds_come_first_and_unpublished_closed_ones_are_left_out() {
        let list = vec![
            round(1, RoundPhase::Closed, 100, true),
            round(2, RoundPhase::Closed, 200, false),
            round(3, RoundPhase::Upcoming, 900, false),
            round(4, RoundPhase::Open, 500, false),
            round(5, RoundPhase::Closed, 300, true),
            round(6, RoundPhase::Closing, 400, false),
        ];
        let ids: Vec<i64> = listed_rounds(list).iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![4, 6, 3, 5, 1]);
    }
}
