// Form controls in the NHS design system's markup, shared by every form: dates entered day,
// month, year (UK order), radios with nothing chosen in advance, the error summary, and the
// confirmation shown (and focused) after each save.
import { html } from '/vendor/lit-html/lit-html.js';
import { draw, esc, label as codeLabel } from './format.js';

const errorMessage = (id, error) =>
  error
    ? `<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${esc(error)}</span>`
    : '';
const group = (error, inner, extra = '') =>
  `<div class="nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}${extra}">${inner}</div>`;
const described = (id, hint, error) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
const hintOf = (id, hint) => (hint ? `<div class="nhsuk-hint" id="${id}-hint">${esc(hint)}</div>` : '');

/** A date as three boxes, day, month, year (the NHS date input); `value` is ISO. */
export function dateInput({
  id,
  name,
  label,
  value = '',
  hint = 'For example, 25 11 2026',
  error = '',
  small = false,
}) {
  const [y, m, d] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-') : ['', '', ''];
  const box = (
    part,
    text,
    width,
    v,
  ) => `<div class="nhsuk-date-input__item"><div class="nhsuk-form-group"><label class="nhsuk-label nhsuk-date-input__label" for="${id}-${part}">${text}</label>
    <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}" id="${id}-${part}" name="${name}-${part}" type="text" inputmode="numeric" autocomplete="off" value="${esc(v ? String(Number(v)) : '')}"></div></div>`;
  return group(
    error,
    `<fieldset class="nhsuk-fieldset" role="group" ${described(id, hint, error) ? `aria-describedby="${described(id, hint, error)}"` : ''}>
    <legend class="nhsuk-fieldset__legend ${small ? 'nhsuk-fieldset__legend--s' : 'nhsuk-fieldset__legend--s'}">${esc(label)}</legend>${hintOf(id, hint)}${errorMessage(id, error)}
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

/** The ISO date typed into a dateInput, '' when all three boxes are empty, or { problem } in words. */
export function readDate(form, name) {
  const get = (part) => String(new FormData(form).get(`${name}-${part}`) ?? '').trim();
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

/** Radios, none chosen unless `value` is given. */
export function radios({ id, name, label, options, value = '', hint = '', error = '', inline = false }) {
  const items = options
    .map(
      (
        [v, text],
        i,
      ) => `<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="${id}-${i}" name="${name}" type="radio" value="${esc(v)}" ${v === value ? 'checked' : ''}>
    <label class="nhsuk-label nhsuk-radios__label" for="${id}-${i}">${esc(text)}</label></div>`,
    )
    .join('');
  return group(
    error,
    `<fieldset class="nhsuk-fieldset" id="${id}" ${described(id, hint, error) ? `aria-describedby="${described(id, hint, error)}"` : ''}>
    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${esc(label)}</legend>${hintOf(id, hint)}${errorMessage(id, error)}
    <div class="nhsuk-radios nhsuk-radios--small${inline ? ' nhsuk-radios--inline' : ''}">${items}</div></fieldset>`,
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

/** A select; `choose` is the first, empty option ("Choose…"), so nothing is chosen in advance. */
export function select({ id, name, label, options, value = '', choose = 'Choose…', hint = '', error = '' }) {
  const opts = [['', choose], ...options]
    .map(([v, text]) => `<option value="${esc(v)}" ${v === value ? 'selected' : ''}>${esc(text)}</option>`)
    .join('');
  return group(
    error,
    `<label class="nhsuk-label" for="${id}">${esc(label)}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <select class="nhsuk-select${error ? ' nhsuk-select--error' : ''}" id="${id}" name="${name}" ${described(id, hint, error) ? `aria-describedby="${described(id, hint, error)}"` : ''}>${opts}</select>`,
  );
}

export function textInput({ id, name, label, value = '', hint = '', error = '', width = 20, attrs = '' }) {
  return group(
    error,
    `<label class="nhsuk-label" for="${id}">${esc(label)}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <input class="nhsuk-input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}" id="${id}" name="${name}" type="text" value="${esc(value)}" ${described(id, hint, error) ? `aria-describedby="${described(id, hint, error)}"` : ''} ${attrs}>`,
  );
}

export function textarea({ id, name, label, value = '', hint = '', error = '', rows = 2 }) {
  return group(
    error,
    `<label class="nhsuk-label" for="${id}">${esc(label)}</label>${hintOf(id, hint)}${errorMessage(id, error)}
    <textarea class="nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}" id="${id}" name="${name}" rows="${rows}" ${described(id, hint, error) ? `aria-describedby="${described(id, hint, error)}"` : ''}>${esc(value)}</textarea>`,
  );
}

/** The error summary: each problem links to its field. `items` are [fieldId, text]. */
export function errorSummary(items, id = 'error-summary') {
  if (!items.length) return '';
  return `<div class="nhsuk-error-summary" id="${id}" aria-labelledby="${id}-title" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title" id="${id}-title">There is a problem</h2>
    <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">${items.map(([field, text]) => `<li>${field ? `<a href="#${esc(field)}" data-focus="${esc(field)}">${esc(text)}</a>` : esc(text)}</li>`).join('')}</ul></div></div>`;
}

/** Links in an error summary move focus to their field instead of following the address. */
export function wireErrorLinks(root) {
  for (const a of root.querySelectorAll('[data-focus]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(a.dataset.focus);
      (target?.matches('input, select, textarea') ? target : target?.querySelector('input, select, textarea'))?.focus();
    });
  }
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

/** A green confirmation banner; put it in `where` and move focus to it. */
export function confirm(where, text, id = 'saved') {
  where.innerHTML = `<div class="nhsuk-notification-banner nhsuk-notification-banner--success openptl-saved" role="status" aria-labelledby="${id}-title" tabindex="-1" id="${id}">
    <div class="nhsuk-notification-banner__header"><h2 class="nhsuk-notification-banner__title" id="${id}-title">Saved</h2></div>
    <div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">${esc(text)}</p></div></div>`;
  where.querySelector(`#${id}`).focus();
}
