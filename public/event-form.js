// One form for any event, built from the event's schema in the OpenAPI document, in words
// (labels from /api/vocabulary): dates as day, month, year; outcomes with nothing chosen in
// advance; each refusal next to its field and in the error summary; an event the rules allow but
// that is unusual now (the pathway answer's `unusual`, cwt-rules R18) asks to be confirmed.
import { api } from './api.js';
import { today } from './live.js';
import { date, esc, eventLabel, fieldLabel, label, sentence } from './format.js';
import { dateInput, errorSummary, radios, readDate, select, textarea, textInput, wireErrorLinks } from './forms.js';

let eventSchemas = null;
let codeLists = null;

/** The national code lists with their labels (GET /api/code-lists), asked once: forms show labels, not codes (#14). */
async function nationalLists() {
  codeLists ??= api('GET', '/api/code-lists').then((r) => (r.ok ? r.body.lists : {}));
  return codeLists;
}

async function schemas() {
  if (!eventSchemas) {
    const doc = await (await fetch('/api/openapi.json')).json();
    eventSchemas = Object.fromEntries(doc.components.schemas.Event.oneOf.map((s) => [s.properties.type.enum[0], s]));
  }
  return eventSchemas;
}

/** Fields a person never types: the type and id, what a correction names, the MDT meeting (set by the MDT grid). */
const NOT_TYPED = new Set(['type', 'id', 'voids', 'meetingId']);
const LONG_TEXT = new Set(['text']);

/** The field the API names ("body.event.on", "event.on", "on") as the form's field name. */
export const formField = (field) => String(field ?? '').replace(/^(body\.)?(event\.)?/, '');

/**
 * National items for an earlier event (#14): the event they are for is chosen from those of the
 * pathway's entries that carry items, newest first; then only the items its type carries are asked.
 */
function itemsFor(pathway, fields, target) {
  const itemsByType = Object.fromEntries(fields).target?.['x-items-by-type'] ?? {};
  const chosen = pathway.events.find((e) => e.eventId === target);
  const carries = new Set(chosen ? (itemsByType[chosen.event.type] ?? []) : []);
  const targets = pathway.events
    .filter((e) => itemsByType[e.event.type])
    .reverse()
    .map((e) => [e.eventId, `${eventLabel(e.event.type)}, ${date(e.event.on)}`]);
  return { fields: fields.filter(([name]) => name === 'on' || name === 'target' || carries.has(name)), targets };
}

/**
 * Renders the form for `type` into `box`. `pathway` is { pathwayId, version, unusual, events }.
 * `onSaved(result, event)` after a save; `onStale(values)` when someone else wrote first.
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
  },
) {
  const schema = (await schemas())[type];
  const lists = await nationalLists();
  let fields = Object.entries(schema.properties).filter(
    ([name, s]) => !NOT_TYPED.has(name) && s.type !== 'number' && s.type !== 'integer',
  );
  const items = type === 'national_items_added' ? itemsFor(pathway, fields, values.target) : null;
  if (items) fields = items.fields;
  const required = new Set(schema.required ?? []);
  const day = await today();
  const id = (name) => `${prefix}-${name}`;
  const control = ([name, s]) => {
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
    const list = s['x-code-list']
      ? (lists[s['x-code-list']] ?? []).filter((o) => !s.enum || s.enum.includes(o.code))
      : null;
    if (list)
      return select({
        id: id(name),
        name,
        label: words,
        options: list.map((o) => [o.code, o.label]),
        value,
        error,
        choose: required.has(name) ? 'Choose…' : 'Not recorded',
      });
    if (s.enum) {
      const options = s.enum.map((v) => [v, label(v)]);
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
  const problems = Object.entries(errors).map(([name, text]) => [
    fields.some(([n, s]) => n === name && s.format === 'date')
      ? `${id(name)}-day`
      : fields.some(([n, s]) => n === name && s.enum && s.enum.length <= 6)
        ? `${id(name)}-0`
        : id(name),
    text,
  ]);
  if (general) problems.unshift(['', general]);
  box.innerHTML = `<form id="${prefix}-form" class="nhsuk-card openptl-event-form" novalidate><div class="nhsuk-card__content">
    <h3 class="nhsuk-card__heading" id="${prefix}-heading">${esc(eventLabel(type))}</h3>
    ${errorSummary(problems, `${prefix}-errors`)}
    ${unusual ? `<div class="nhsuk-warning-callout" id="${prefix}-unusual" tabindex="-1" role="alert"><h4 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Check before you record this</span></h4><p>${esc(unusual.reason)}</p><p>If it is right, select "Yes, record it".</p></div>` : ''}
    ${fields.map(control).join('')}
    <div class="nhsuk-button-group"><button class="nhsuk-button" type="submit" id="${prefix}-submit">${unusual ? 'Yes, record it' : 'Save'}</button>
    <button class="nhsuk-button nhsuk-button--secondary" type="button" id="${prefix}-cancel">Cancel</button></div></div></form>`;
  const form = box.querySelector('form');
  wireErrorLinks(form);
  box.querySelector(`#${prefix}-cancel`).addEventListener('click', () => {
    box.innerHTML = '';
    onCancel?.();
  });
  (
    form.querySelector(`#${prefix}-unusual, #${prefix}-errors`) ?? form.querySelector('input, select, textarea')
  )?.focus();
  // The items asked follow the entry chosen; what is typed is kept.
  form.querySelector(`#${id('target')}`)?.addEventListener('change', () => {
    const typed = Object.fromEntries(
      fields
        .map(([name, s]) => [
          name,
          s.format === 'date' ? readDate(form, name) : String(new FormData(form).get(name) ?? '').trim(),
        ])
        .filter(([, v]) => typeof v === 'string' && v !== ''),
    );
    eventForm(box, { pathway, type, values: typed, prefix, onSaved, onStale, onCancel });
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const entered = {};
    const found = {};
    for (const [name, s] of fields) {
      const value = s.format === 'date' ? readDate(form, name) : String(new FormData(form).get(name) ?? '').trim();
      if (typeof value === 'object') found[name] = sentence(fieldLabel(name, type), value.problem);
      else if (value !== '') entered[name] = value;
      else if (required.has(name)) found[name] = sentence(fieldLabel(name, type), 'must be filled in');
    }
    const again = (more) =>
      eventForm(box, { pathway, type, values: entered, prefix, onSaved, onStale, onCancel, ...more });
    if (Object.keys(found).length) return again({ errors: found });
    const rare = pathway.unusual.find((u) => u.type === type && (!u.when || entered[u.when.field] === u.when.equals));
    if (rare && !confirming) return again({ confirming: true });
    const event = { type, ...entered };
    const r = await api('POST', `/api/pathways/${encodeURIComponent(pathway.pathwayId)}/events`, {
      expectedVersion: pathway.version,
      event,
    });
    if (r.ok) return onSaved(r.body, event);
    if (r.status === 409 && r.body?.error === 'stale_version') {
      const message = `Someone else updated this pathway (now version ${r.body.currentVersion}). Check the timeline, then record again: your entries are kept.`;
      return onStale ? onStale({ type, values: entered, general: message }) : again({ general: message });
    }
    const name = formField(r.body?.field);
    const text = sentence(fieldLabel(name, type), r.body?.message ?? `The server refused this (${r.status})`);
    return fields.some(([n]) => n === name) ? again({ errors: { [name]: text } }) : again({ general: text });
  });
}
