// @ts-check
// One form for any event, built from the event's schema in the OpenAPI document, in words
// (labels from /api/vocabulary): dates as day, month, year; outcomes with nothing chosen in
// advance; each refusal next to its field and in the error summary; an event the rules allow but
// that is unusual now (the pathway answer's `unusual`, cwt-rules R18) asks to be confirmed.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api } from './api.js';
import { today } from './live.js';
import {
  codeListLabel,
  date,
  draw,
  eventLabel,
  fieldLabel,
  focusFirst,
  label,
  providerChoices,
  sentence,
  siteChoices,
} from './format.js';
import {
  dateInput,
  errorSummary,
  fieldValue,
  onSubmit,
  radios,
  readDate,
  select,
  textarea,
  textInput,
} from './forms.js';

/**
 * An event's JSON schema from the OpenAPI document, with this project's x- annotations.
 * @typedef {{ properties: Record<string, FieldSchema>, required?: string[] }} EventSchema
 * @typedef {{ type?: string, format?: string, enum?: string[], maxLength?: number, 'x-code-list'?: string, 'x-items-by-type'?: Record<string, string[]>, 'x-value-labels'?: Record<string, string> }} FieldSchema
 * @typedef {[string, FieldSchema]} Field
 */
/** @type {Record<string, EventSchema> | null} */
let eventSchemas = null;
/** @type {Promise<Record<string, { code: string, label: string }[]>> | null} */
let codeLists = null;

/** The national code lists with their labels (GET /api/code-lists), asked once: forms show labels, not codes (#14). */
async function nationalLists() {
  codeLists ??= api('GET', '/api/code-lists').then((r) => (r.ok ? r.body.lists : {}));
  return codeLists;
}

async function schemas() {
  if (!eventSchemas) {
    const doc = await (await fetch('/api/openapi.json')).json();
    eventSchemas = Object.fromEntries(
      doc.components.schemas.Event.oneOf.map((/** @type {any} */ s) => [s.properties.type.enum[0], s]),
    );
  }
  return /** @type {Record<string, EventSchema>} */ (eventSchemas);
}

/** Fields that name a site or a provider by ODS code: chosen by name from the trust's lists (issue #28). */
const SITE_FIELDS = new Set(['site', 'upgradeSite']);
const PROVIDER_FIELDS = new Set(['provider', 'toProvider', 'treatingProvider']);

/**
 * Words for the code of a national item, from the code lists (issue #28): `(event type, field,
 * code) → words`, or null when the field has no code list or the code is not on it.
 * @returns {Promise<(type: string, field: string, code: unknown) => string | null>}
 */
export async function nationalWords() {
  const [all, lists] = await Promise.all([schemas(), nationalLists()]);
  return (type, field, code) => {
    const list = all[type]?.properties[field]?.['x-code-list'];
    const found = list ? lists[list]?.find((o) => o.code === String(code)) : undefined;
    return found ? codeListLabel(found.label) : null;
  };
}

/** Fields a person never types: the type and id, what a correction names, the MDT meeting (set by the MDT grid). */
const NOT_TYPED = new Set(['type', 'id', 'voids', 'meetingId']);
const LONG_TEXT = new Set(['text']);

/**
 * The field the API names ("body.event.on", "event.on", "on") as the form's field name.
 * @param {unknown} field
 */
export const formField = (field) => String(field ?? '').replace(/^(body\.)?(event\.)?/, '');

/**
 * National items for an earlier event (#14): the event they are for is chosen from those of the
 * pathway's entries that carry items, newest first; then only the items its type carries are asked.
 * @param {Pathway} pathway
 * @param {Field[]} fields
 * @param {string | undefined} target
 */
function itemsFor(pathway, fields, target) {
  const itemsByType = Object.fromEntries(fields).target?.['x-items-by-type'] ?? {};
  const events = pathway.events ?? [];
  const chosen = events.find((e) => e.eventId === target);
  const carries = new Set(chosen ? (itemsByType[chosen.event.type] ?? []) : []);
  /** @type {[string, string][]} */
  const targets = events
    .filter((e) => itemsByType[e.event.type])
    .reverse()
    .map((e) => [e.eventId, `${eventLabel(e.event.type)}, ${date(e.event.on)}`]);
  return { fields: fields.filter(([name]) => name === 'on' || name === 'target' || carries.has(name)), targets };
}

/**
 * The pathway as the form needs it: its events only to choose the entry national items are for.
 * @typedef {{ pathwayId: string, version: number, unusual: Unusual[], events?: any[] }} Pathway
 * @typedef {{ type: string, reason: string, when?: { field: string, equals: string } }} Unusual
 */

/**
 * Renders the form for `type` into `box`. `onSaved(result, event)` after a save; `onStale(values)`
 * when someone else wrote first (without it, the form says so itself).
 * @param {HTMLElement | null} box
 * @param {object} form
 * @param {Pathway} form.pathway
 * @param {string} form.type
 * @param {Record<string, string>} [form.values] what was typed
 * @param {Record<string, string>} [form.errors] refusals by field
 * @param {string} [form.general] a refusal that is no one field's
 * @param {boolean} [form.confirming] asking to confirm an unusual event
 * @param {string} [form.prefix] of the form's ids
 * @param {(result: any, event: { type: string } & Record<string, string>) => unknown} form.onSaved
 * @param {(keep: { type: string, values: Record<string, string>, general: string }) => unknown} [form.onStale]
 * @param {() => void} [form.onCancel]
 * @param {(event: Record<string, string>) => Promise<{ ok: boolean, status: number, body: any }>} [form.send]
 *   how the event is recorded (the inbox accepts a proposal as edited, issue #28); default, appended to the pathway
 * @param {string} [form.submitText] the Save button's words
 */
export async function eventForm(
  box,
  {
    pathway,
    type,
    values = {},
    errors = {},
    general = '',
    confirming = false,
    prefix = 'ev',
    onSaved,
    onStale,
    onCancel,
    send,
    submitText = 'Save',
  },
) {
  const schema = (await schemas())[type];
  if (!schema) return; // not an event (a link's ?form= can name anything)
  const lists = await nationalLists();
  /** @type {Field[]} */
  let fields = Object.entries(schema.properties).filter(
    ([name, s]) => !NOT_TYPED.has(name) && s.type !== 'number' && s.type !== 'integer',
  );
  const items = type === 'national_items_added' ? itemsFor(pathway, fields, values.target) : null;
  if (items) fields = items.fields;
  const required = new Set(schema.required ?? []);
  const day = await today();
  const id = (/** @type {string} */ name) => `${prefix}-${name}`;
  const control = (/** @type {Field} */ [name, s]) => {
    const words =
      fieldLabel(name, type) +
      (required.has(name) || name === 'on' || /optional|if known/.test(fieldLabel(name, type)) ? '' : ' (optional)');
    const value = values[name] ?? (name === 'on' ? day : '');
    const error = errors[name] ?? '';
    if (s.format === 'date') return dateInput({ id: id(name), name, label: words, value, error });
    if (items && name === 'target')
      return select({
        id: id(name),
        name,
        label: words,
        options: items.targets,
        value,
        error,
        choose: 'Choose the entry…',
      });
    const named = SITE_FIELDS.has(name) ? siteChoices() : PROVIDER_FIELDS.has(name) ? providerChoices() : [];
    if (named.length)
      return select({
        id: id(name),
        name,
        label: words,
        // a code recorded before the list had it stays choosable
        options: value && !named.some(([c]) => c === value) ? [...named, [value, value]] : named,
        value,
        error,
        choose: required.has(name) ? 'Choose…' : 'Not recorded',
      });
    const codeList = s['x-code-list'];
    const list = codeList ? (lists[codeList] ?? []).filter((o) => !s.enum || s.enum.includes(o.code)) : null;
    if (list)
      return select({
        id: id(name),
        name,
        label: words,
        options: list.map((o) => [o.code, codeListLabel(o.label)]),
        value,
        error,
        choose: required.has(name) ? 'Choose…' : 'Not recorded',
      });
    if (s.enum) {
      /** @type {[string, string][]} */
      const options = s.enum.map((v) => [v, s['x-value-labels']?.[v] ?? label(v)]); // issue #27: a list's own words
      return options.length <= 6
        ? radios({ id: id(name), name, label: words, options, value, error })
        : select({
            id: id(name),
            name,
            label: words,
            options,
            value,
            error,
            choose: required.has(name) ? 'Choose…' : 'Not recorded',
          });
    }
    if (LONG_TEXT.has(name)) return textarea({ id: id(name), name, label: words, value, error, rows: 3 });
    return textInput({
      id: id(name),
      name,
      label: words,
      value,
      error,
      width: s.maxLength && s.maxLength <= 10 ? 10 : 20,
    });
  };
  const unusual = confirming ? pathway.unusual.find((u) => u.type === type) : null;
  /** @type {[string, string][]} */
  const problems = Object.entries(errors).map(([name, text]) => [
    fields.some(([n, s]) => n === name && s.format === 'date')
      ? `${id(name)}-day`
      : fields.some(([n, s]) => n === name && s.enum && s.enum.length <= 6)
        ? `${id(name)}-0`
        : id(name),
    text,
  ]);
  if (general) problems.unshift(['', general]);
  /**
   * The form again with `values` (and `more`: errors, a confirmation asked).
   * @param {Record<string, string>} values
   */
  const again = (values, more = {}) =>
    eventForm(box, { pathway, type, values, prefix, onSaved, onStale, onCancel, send, submitText, ...more });
  // The items asked follow the entry chosen; what is typed is kept.
  const retarget = (/** @type {Event} */ e) => {
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    if (!items || /** @type {HTMLElement} */ (e.target).id !== id('target')) return;
    const typed = fields
      .map(([name, s]) => [name, s.format === 'date' ? readDate(form, name) : fieldValue(form, name)])
      .filter(([, v]) => typeof v === 'string' && v !== '');
    again(Object.fromEntries(typed));
  };
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    /** @type {Record<string, string>} */
    const entered = {};
    /** @type {Record<string, string>} */
    const found = {};
    for (const [name, s] of fields) {
      const value = s.format === 'date' ? readDate(form, name) : fieldValue(form, name);
      if (typeof value === 'object') found[name] = sentence(fieldLabel(name, type), value.problem);
      else if (value !== '') entered[name] = value;
      else if (required.has(name)) found[name] = sentence(fieldLabel(name, type), 'must be filled in');
    }
    if (Object.keys(found).length) return again(entered, { errors: found });
    const rare = pathway.unusual.find((u) => u.type === type && (!u.when || entered[u.when.field] === u.when.equals));
    if (rare && !confirming) return again(entered, { confirming: true });
    const event = { type, ...entered };
    const r = send
      ? await send(event)
      : await api('POST', `/api/pathways/${encodeURIComponent(pathway.pathwayId)}/events`, {
          expectedVersion: pathway.version,
          event,
        });
    if (r.ok) return onSaved(r.body, event);
    if (r.status === 409 && r.body?.error === 'stale_version') {
      const message = `Someone else updated this pathway (now version ${r.body.currentVersion}). Check the timeline, then record again: your entries are kept.`;
      return onStale ? onStale({ type, values: entered, general: message }) : again(entered, { general: message });
    }
    const name = formField(r.body?.field);
    const text = sentence(fieldLabel(name, type), r.body?.message ?? `The server refused this (${r.status})`);
    return fields.some(([n]) => n === name)
      ? again(entered, { errors: { [name]: text } })
      : again(entered, { general: text });
  };
  draw(
    box,
    html`<form id="${prefix}-form" class="nhsuk-card openptl-event-form" novalidate @submit=${onSubmit(submit)} @change=${retarget}><div class="nhsuk-card__content">
    <h3 class="nhsuk-card__heading" id="${prefix}-heading">${eventLabel(type)}</h3>
    ${errorSummary(problems, `${prefix}-errors`)}
    ${unusual ? html`<div class="nhsuk-warning-callout" id="${prefix}-unusual" tabindex="-1" role="alert"><h4 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Check before you record this</span></h4><p>${unusual.reason}</p><p>If it is right, select "Yes, record it".</p></div>` : nothing}
    ${fields.map(control)}
    <div class="nhsuk-button-group"><button class="nhsuk-button" type="submit" id="${prefix}-submit">${unusual ? 'Yes, record it' : submitText}</button>
    <button class="nhsuk-button nhsuk-button--secondary" type="button" id="${prefix}-cancel" @click=${() => {
      draw(box, nothing);
      onCancel?.();
    }}>Cancel</button></div></div></form>`,
  );
  focusFirst(box, `#${prefix}-unusual, #${prefix}-errors`, 'input, select, textarea');
}
