//! The round form's draw rules: a builder of rows (count, topic, difficulty) with what the
//! bank holds next to each row, once the page's WASM runs. It writes the rules into the plain
//! text box the form submits, which is all a browser without JavaScript gets: the server reads
//! the same text either way (`draw_rules::parse_text`).

use super::draw_rules::{self, DrawPool, RowAvailability, availability, difficulty_code};
use super::model::DrawRule;
use super::server_fns::load_draw_pool;
use crate::error::AppError;
use crate::i18n::{fill, t};
use crate::quiz::model::DIFFICULTIES;
use crate::ui::forms::FieldError;
use crate::ui::use_lang;
use leptos::prelude::*;

/// One row as typed: the count stays text until the server reads it, so a half-typed number
/// is written as it stands and refused by its line.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    key: u32,
    count: String,
    topic: String,
    difficulty: String,
}

impl Row {
    fn rule(&self) -> DrawRule {
        DrawRule { count: self.count.trim().parse().unwrap_or(0), topic: self.topic.clone(), difficulty: self.difficulty.clone() }
    }
}

fn text_of(rows: &[Row]) -> String {
    rows.iter().map(|r| draw_rules::line_of(&r.count, &r.topic, &r.difficulty)).collect::<Vec<_>>().join("\n")
}

/// Changes the rows and writes them into the text the form submits.
fn edit(rows: RwSignal<Vec<Row>>, text: RwSignal<String>, change: impl FnOnce(&mut Vec<Row>)) {
    rows.update(change);
    text.set(rows.with_untracked(|list| text_of(list)));
}

fn difficulty_key(code: &str) -> &'static str {
    match code {
        "easy" => "quiz.easy",
        "hard" => "quiz.hard",
        _ => "quiz.medium",
    }
}

/// The draw-rule field of the round form. `audience` is the form's audience as chosen.
#[component]
pub fn DrawRuleField(err: Signal<Option<AppError>>, initial: String, audience: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(initial.clone());
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_key = StoredValue::new(0u32);
    // The builder takes over once this runs in the browser and the text reads as rules (it
    // always does for stored rules); otherwise the text box stays the form.
    let builder_on = RwSignal::new(false);
    Effect::new(move |_| {
        if let Ok(rules) = draw_rules::parse_text(&text.get_untracked()) {
            let start: Vec<Row> = rules
                .into_iter()
                .enumerate()
                .map(|(i, r)| Row { key: i as u32, count: r.count.to_string(), topic: r.topic, difficulty: r.difficulty })
                .collect();
            next_key.set_value(start.len() as u32);
            rows.set(start);
            builder_on.set(true);
        }
    });
    let pool = LocalResource::new(move || load_draw_pool(audience.get()));
    let pool_now = move || pool.get().and_then(|r| r.ok());
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        edit(rows, text, move |list| list.push(Row { key, count: "1".into(), topic: String::new(), difficulty: String::new() }));
    };
    let builder = move || {
        builder_on.get().then(|| {
            let figures = move || {
                let list = rows.get();
                let rules: Vec<DrawRule> = list.iter().map(Row::rule).collect();
                pool_now().map(|p| (availability(&p.groups, &rules), p.total, rules.iter().map(|r| r.count.max(0)).sum::<i64>()))
            };
            view! {
                <div class="rule-builder" id="rule-builder">
                    <For each=move || rows.get() key=|r| r.key children=move |row| view! {
                        <RuleRow row rows text pool=Signal::derive(pool_now) figures=Signal::derive(move || figures().map(|f| f.0))/>
                    }/>
                    <p class="actions">
                        <button type="button" class="button secondary" id="rule-add" on:click=add>{t(lang, "rounds.rule_add")}</button>
                    </p>
                    <p class="hint" id="rules-total" aria-live="polite">
                        {move || match figures() {
                            Some((_, pool, drawn)) => fill(&t(lang, "rounds.rules_total"), &[("drawn", &drawn.to_string()), ("pool", &pool.to_string())]),
                            None => t(lang, "rounds.pool_loading"),
                        }}
                    </p>
                </div>
            }
        })
    };
    view! {
        <div class="field">
            <label for="f-draw_rules" hidden=move || builder_on.get()>{t(lang, "rounds.draw_rules")}</label>
            <span class="label" hidden=move || !builder_on.get()>{t(lang, "rounds.draw_rules")}</span>
            <p class="hint" hidden=move || builder_on.get()>{t(lang, "rounds.draw_rules_hint")}</p>
            // Hidden, not disabled, under the builder: the form still submits it.
            <textarea id="f-draw_rules" name="form[draw_rules]" rows="4" hidden=move || builder_on.get()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))>{initial}</textarea>
            {builder}
            <FieldError err field="draw_rules"/>
        </div>
    }
}

#[component]
fn RuleRow(
    row: Row,
    rows: RwSignal<Vec<Row>>,
    text: RwSignal<String>,
    pool: Signal<Option<DrawPool>>,
    figures: Signal<Option<Vec<RowAvailability>>>,
) -> impl IntoView {
    let lang = use_lang();
    let key = row.key;
    let index = move || rows.with(|list| list.iter().position(|r| r.key == key));
    let current = move || rows.with(|list| list.iter().find(|r| r.key == key).cloned());
    let set = move |f: fn(&mut Row, String), value: String| {
        edit(rows, text, move |list| {
            if let Some(r) = list.iter_mut().find(|r| r.key == key) {
                f(r, value)
            }
        })
    };
    let count_id = format!("rule-count-{key}");
    let topic_id = format!("rule-topic-{key}");
    let difficulty_id = format!("rule-difficulty-{key}");
    // The row's topic stays a choice even when the pool no longer has it (0 available).
    let topics = move || {
        let mut list = pool.get().map(|p| p.topics).unwrap_or_default();
        let mine = current().map(|r| r.topic).unwrap_or_default();
        if !mine.is_empty() && !list.iter().any(|t| crate::text::fold(t) == crate::text::fold(&mine)) {
            list.push(mine);
        }
        list
    };
    let status = move || {
        let (i, r) = (index()?, current()?);
        let a = figures.get()?.get(i).copied()?;
        let count = r.rule().count;
        let note = if a.available < a.matching {
            fill(&t(lang, "rounds.rule_available_after"), &[("n", &a.matching.to_string()), ("left", &a.available.to_string())])
        } else {
            fill(&t(lang, "rounds.rule_available"), &[("n", &a.matching.to_string())])
        };
        Some((note, a.short(count).then(|| fill(&t(lang, "rounds.rule_short"), &[("count", &count.to_string()), ("left", &a.available.to_string())]))))
    };
    view! {
        <fieldset class="rule-row">
            <legend class="visually-hidden">{move || format!("{} {}", t(lang, "import.line"), index().map(|i| i + 1).unwrap_or(0))}</legend>
            <div class="field">
                <label for=count_id.clone()>{t(lang, "rounds.rule_count")}</label>
                <input id=count_id class="rule-count" type="number" min="1" inputmode="numeric" prop:value=row.count.clone()
                    on:input=move |ev| set(|r, v| r.count = v, event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=topic_id.clone()>{t(lang, "rounds.rule_topic")}</label>
                <select id=topic_id class="rule-topic" on:change=move |ev| set(|r, v| r.topic = v, event_target_value(&ev))>
                    <option value="" selected=row.topic.is_empty()>{t(lang, "rounds.any_topic")}</option>
                    {move || {
                        let mine = current().map(|r| r.topic).unwrap_or_default();
                        topics().into_iter().map(|topic| {
                            let selected = crate::text::fold(&topic) == crate::text::fold(&mine);
                            view! { <option value=topic.clone() selected=selected>{topic.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for=difficulty_id.clone()>{t(lang, "rounds.rule_difficulty")}</label>
                <select id=difficulty_id class="rule-difficulty" on:change=move |ev| set(|r, v| r.difficulty = difficulty_code(&v).unwrap_or("").to_string(), event_target_value(&ev))>
                    <option value="" selected=row.difficulty.is_empty()>{t(lang, "rounds.any_difficulty")}</option>
                    {DIFFICULTIES.iter().map(|d| view! { <option value=*d selected=row.difficulty == *d>{t(lang, difficulty_key(d))}</option> }).collect_view()}
                </select>
            </div>
            <button type="button" class="link-button rule-remove" on:click=move |_| edit(rows, text, move |list| list.retain(|r| r.key != key))
                disabled=move || rows.with(|l| l.len() <= 1)>{t(lang, "rounds.rule_remove")}</button>
            <p class="hint rule-available" aria-live="polite">{move || status().map(|s| s.0)}</p>
            {move || status().and_then(|s| s.1).map(|warning| view! { <p class="field-error rule-warning" role="alert">{warning}</p> })}
        </fieldset>
    }
}
