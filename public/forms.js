// @ts-check
// Form controls in the NHS design system's markup, shared by every form: dates entered day,
// month, year (UK order), radios with nothing chosen in advance, the error summary, and the
// confirmation shown (and focused) after each save.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { draw, label as codeLabel } from './format.js';

/**
 * @typedef {object} Control
 * @property {string} id
 * @property {string} name
 * @property {string} label
 * @property {string} [value]
 * @property {string} [hint]
 * @property {string} [error]
 */

/** @param {string} id @param {string} error */
const errorMessage = (id, error) =>
  error
    ? html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>`
    : nothing;
/** @param {string} error @param {unknown} inner */
const group = (error, inner, extra = '') =>
  html`<div class="nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}${extra}">${inner}</div>`;
/** The hint and the error, for aria-describedby (no attribute when neither). @param {string} id @param {string} hint @param {string} error */
const described = (id, hint, error) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;
/** @param {string} id @param {string} hint */
const hintOf = (id, hint) => (hint ? html`<div class="nhsuk-hint" id="${id}-hint">${hint}</div>` : nothing);

/**
 * A date as three boxes, day, month, year (the NHS date input); `value` is ISO.
 * @param {Control} control
 */
export function dateInput({ id, name, label, value = '', hint = 'For example, 25 11 2026', error = '' }) {
  const [y, m, d] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-') : ['', '', ''];
  /** @param {string} part @param {string} text @param {number} width @param {string | undefined} v */
  const box = (part, text, width, v) =>
    html`<div class="nhsuk-date-input__item"><div class="nhsuk-form-group"><label class="nhsuk-label nhsuk-date-input__label" for="${id}-${part}">${text}</label>
    <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}" id="${id}-${part}" name="${name}-${part}" type="text" inputmode="numeric" autocomplete="off" value=${v ? String(Number(v)) : ''}></div></div>`;
  return group(
    error,
    html`<fieldset class="nhsuk-fieldset" role="group" aria-describedby=${described(id, hint, error)}>
    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${label}</legend>${hintOf(id, hint)}${errorMessage(id, error)}
    <div class="nhsuk-date-input" id="${id}">${box('day', 'Day', 2, d)}${box('month', 'Month', 2, m)}${box('year', 'Year', 4, y)}</div></fieldset>`,
    ' openptl-date',
  );
}

/**
 * What is typed in a field, trimmed ('' for nothing).
 * @param {HTMLFormElement} form
 * @param {string} name
 */
export const fieldValue = (form, name) => String(new FormData(form).get(name) ?? '').trim();

/**
 * The ISO date typed into a dateInput, '' when all three boxes are empty, or { problem } in words.
 * @param {HTMLFormElement} form
 * @param {string} name
 * @returns {string | { problem: string }}
 */
export function readDate(form, name) {
  /** @param {string} part */
  const get = (part) => fieldValue(form, `${name}-${part}`);
  const [d, m, y] = [get('day'), get('month'), get('year')];
  if (!d && !m && !y) return '';
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y))
    return { problem: 'must be a real date: day, month and a four-digit year' };
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso)
    return { problem: 'must be a real date: day, month and a four-digit year' };
  return iso;
}

/**
 * Radios, none chosen unless `value` is given.
 * @param {Control & { options: [string, string][] }} control
 */
export function radios({ id, name, label, options, value = '', hint = '', error = '' }) {
  /** @param {[string, string]} option @param {number} i */
  const item = ([v, text], i) =>
    html`<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="${id}-${i}" name="${name}" type="radio" value=${v} ?checked=${v === value}>
    <label class="nhsuk-label nhsuk-radios__label" for="${id}-${i}">${text}</label></div>`;
  return group(
    error,
    html`<fieldset class="nhsuk-fieldset" id="${id}" aria-describedby=${described(id, hint, error)}>
    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${label}</legend>${hintOf(id, hint)}${errorMessage(id, error)}
    <div class="nhsuk-radios nhsuk-radios--small">${options.map(item)}</div></fieldset>`,
  );
}

/**
 * Codes with their words, as options or radios offer them.
 * @param {string[]} codes
 * @param {(code: string) => string} words
 * @returns {[string, string][]}
 */
export const choices = (codes, words = codeLabel) => codes.map((c) => [c, words(c)]);

/**
 * Options for a select, `value` chosen.
 * @param {[string, string][]} options [value, words]
 * @param {string | null | undefined} value
 */
export const options = (options, value) =>
  options.map(([v, text]) => html`<option value=${v} ?selected=${v === (value ?? '')}>${text}</option>`);

/**
 * A select; `choose` is the first, empty option ("Choose…"), so nothing is chosen in advance.
 * @param {Control & { options: [string, string][], choose?: string }} control
 */
export function select({ id, name, label, options: list, value = '', choose = 'Choose…', hint = '', error = '' }) {
  return group(
    error,
    html`<label class="nhsuk-label" for="${id}">${label}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <select class="nhsuk-select${error ? ' nhsuk-select--error' : ''}" id="${id}" name="${name}" aria-describedby=${described(id, hint, error)}>${options([['', choose], ...list], value)}</select>`,
  );
}

/**
 * A text box. `numeric` asks for the number keypad; `plain` (an identifier or a name) turns off
 * the browser's autofill and spelling check.
 * @param {Control & { width?: number, numeric?: boolean, plain?: boolean }} control
 */
export function textInput({ id, name, label, value = '', hint = '', error = '', width = 20, numeric, plain }) {
  return group(
    error,
    html`<label class="nhsuk-label" for="${id}">${label}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <input class="nhsuk-input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}" id="${id}" name="${name}" type="text" value=${value} aria-describedby=${described(id, hint, error)} inputmode=${numeric ? 'numeric' : nothing} autocomplete=${plain ? 'off' : nothing} spellcheck=${plain ? 'false' : nothing}>`,
  );
}

/** @param {Control & { rows?: number }} control */
export function textarea({ id, name, label, value = '', hint = '', error = '', rows = 2 }) {
  // A textarea's text is its value: bound as the property (lit-html binds no text inside a textarea).
  return group(
    error,
    html`<label class="nhsuk-label" for="${id}">${label}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <textarea class="nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}" id="${id}" name="${name}" rows="${rows}" aria-describedby=${described(id, hint, error)} .value=${value}></textarea>`,
  );
}

/**
 * Moves focus to the field an error summary's link names, instead of following the address.
 * @param {string} field
 */
const focusField = (field) => (/** @type {Event} */ e) => {
  e.preventDefault();
  const target = document.getElementById(field);
  /** @type {HTMLElement | null | undefined} */
  const control = target?.matches('input, select, textarea')
    ? target
    : target?.querySelector('input, select, textarea');
  control?.focus();
};

/**
 * The error summary: each problem links to its field. `items` are [fieldId, text].
 * @param {[string, string][]} items
 */
export function errorSummary(items, id = 'error-summary') {
  if (!items.length) return nothing;
  return html`<div class="nhsuk-error-summary" id="${id}" aria-labelledby="${id}-title" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title" id="${id}-title">There is a problem</h2>
    <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">${items.map(([field, text]) => html`<li>${field ? html`<a href="#${field}" @click=${focusField(field)}>${text}</a>` : text}</li>`)}</ul></div></div>`;
}

/**
 * A refusal that is no one field's, in `where`, focused.
 * @param {HTMLElement | null} where
 * @param {string} message
 * @param {string} id
 */
export function showProblem(where, message, id) {
  draw(
    where,
    html`<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="${id}"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${message}</p></div>`,
  );
  document.getElementById(id)?.focus();
}

/**
 * A submit listener: the browser's own submission stopped, and `fn` given the form.
 * @param {(form: HTMLFormElement) => unknown} fn
 */
export const onSubmit = (fn) => (/** @type {SubmitEvent} */ e) => {
  e.preventDefault();
  fn(/** @type {HTMLFormElement} */ (e.currentTarget));
};

/**
 * A green confirmation banner; put it in `where` and move focus to it.
 * @param {HTMLElement | null} where
 * @param {string} text
 */
export function confirm(where, text, id = 'saved') {
  draw(
    where,
    html`<div class="nhsuk-notification-banner nhsuk-notification-banner--success openptl-saved" role="status" aria-labelledby="${id}-title" tabindex="-1" id="${id}">
    <div class="nhsuk-notification-banner__header"><h2 class="nhsuk-notification-banner__title" id="${id}-title">Saved</h2></div>
    <div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">${text}</p></div></div>`,
  );
  document.getElementById(id)?.focus();
}
