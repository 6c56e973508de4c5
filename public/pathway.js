// The pathway page: summary, the three clocks, the timeline and a form for each event allowed now.
import { api, currentUser } from './api.js';
import { latestCounts } from './live.js';
import { dateTime, esc, label } from './format.js';

const main = document.getElementById('main');
const DATE_FIELDS = new Set(['on', 'appointmentOn', 'offeredFor', 'availableFrom', 'dateOfBirth']);
let eventSchemas = null;
let lists = null;

/** The national code lists with their labels (GET /api/code-lists), asked once: forms show labels, not codes. */
async function codeLists() {
  lists ??= api('GET', '/api/code-lists').then((r) => (r.ok ? r.body.lists : {}));
  return lists;
}

async function schemas() {
  if (!eventSchemas) {
    const doc = await (await fetch('/api/openapi.json')).json();
    eventSchemas = Object.fromEntries(doc.components.schemas.Event.oneOf.map((s) => [s.properties.type.enum[0], s]));
  }
  return eventSchemas;
}

/**
 * For each timeline entry (in the order recorded, as the API gives them): whether a later
 * event_voided names its id. Display only; the server's rule in src/domain/effective-timeline.ts
 * is the reference for which events count.
 */
function voidedFlags(entries) {
  const named = new Set();
  const flags = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const { eventId, event } = entries[i];
    flags[i] = named.has(eventId) || named.has(event.id);
    if (event.type === 'event_voided') named.add(event.voids);
  }
  return flags;
}

export async function showPathway(id, keepForm) {
  const { status, body: p } = await api('GET', `/api/pathways/${encodeURIComponent(id)}`);
  if (status === 404) { main.innerHTML = '<h1>Pathway not found</h1><p><a href="#/ptl">Back to the PTL</a></p>'; return; }
  document.title = `Pathway ${id} – OpenPTL`;
  const voided = voidedFlags(p.events);
  const clockRow = (name, text, c = p.clocks[name]) => {
    return `<tr class="nhsuk-table__row" data-clock="${name}"><th scope="row">${text}</th><td>${esc(label(c.state))}</td><td>${esc(c.start ?? '–')}</td><td>${esc(c.stop ?? '–')}</td>
      <td class="nhsuk-table__cell--numeric" data-field="days">${c.days ?? '–'}</td><td class="nhsuk-table__cell--numeric">${c.adjustmentDays}</td><td>${c.target}</td><td data-field="breachDate">${esc(c.breachDate ?? '–')}</td><td>${c.breached ? '<strong class="nhsuk-tag nhsuk-tag--red">Breached</strong>' : ''}</td></tr>`;
  };
  main.innerHTML = `
    <a class="nhsuk-back-link" href="#/ptl">Back to the PTL</a>
    <h1>Pathway <span class="nhsuk-caption-m">${esc(p.pathwayId)}</span></h1>
    ${p.needsReview ? `<div class="nhsuk-warning-callout" id="needs-review"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Needs review</span></h2>
      <p>An entry kept from before the current date checks would now be refused, so the clocks may be wrong. Correct it from the timeline (void it and record it again on the right date):</p><p>${esc(p.needsReview)}</p></div>` : ''}
    <dl class="nhsuk-summary-list">
      ${[['NHS number', p.patient.nhsNumber], ['Name', p.patient.name], ['Date of birth', p.patient.dateOfBirth], ['Tumour site', label(p.tumourSite)], ['Route', label(p.route)], ['Provider', p.provider], ['Stage', label(p.stage)], ['Status', p.status], ['Next action', p.nextAction ? `${p.nextAction.action}, due ${p.nextAction.due}` : 'none']]
        .map(([k, v]) => `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value" data-summary="${esc(k)}">${esc(v ?? '–')}</dd></div>`).join('')}
    </dl>
    <h2>Cancer Waiting Times clocks</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="clocks"><thead class="nhsuk-table__head"><tr><th scope="col">Standard</th><th scope="col">State</th><th scope="col">Start</th><th scope="col">Stop</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col" class="nhsuk-table__header--numeric">Adjustment</th><th scope="col">Target</th><th scope="col">Breach date</th><th scope="col"></th></tr></thead>
      <tbody>${clockRow('fds', '28-day Faster Diagnosis')}${clockRow('d31', '31-day')}${clockRow('d62', '62-day')}${(p.clocks.subsequent ?? []).map((c, i) => clockRow(`d31-${i + 2}`, `31-day, treatment ${i + 2}`, c)).join('')}</tbody></table></div>
    <h2>Record an event</h2>
    ${currentUser().role === 'viewer' ? '<p>Viewers cannot record events.</p>' : `<div class="openptl-events" id="allowed">${p.allowedEvents.map((t) => `<button type="button" class="nhsuk-button nhsuk-button--secondary" data-event="${esc(t)}">${esc(label(t))}</button>`).join('')}</div>`}
    <div id="event-form"></div>
    <h2>Timeline</h2>
    <ol class="nhsuk-list nhsuk-list--number openptl-timeline">${p.events.map((e, i) => `<li class="${voided[i] ? 'openptl-voided' : ''}"><strong>${esc(e.event.on)}</strong> ${esc(label(e.event.type))} ${esc(describe(e.event))} <span class="nhsuk-u-secondary-text-color">(id ${esc(e.eventId)}, recorded ${esc(dateTime(e.recordedAt))} by ${esc(e.actor)})</span></li>`).join('')}</ol>`;
  for (const b of main.querySelectorAll('[data-event]')) b.addEventListener('click', () => openForm(p, b.dataset.event));
  if (keepForm) openForm(p, keepForm.type, keepForm.values, keepForm.error);
}

// ---- national items for an earlier event (issue #14) ----

/** The events national items may be added to: those that carry some, newest first. */
function itemTargets(p, itemsByType) {
  return p.events.filter((e) => itemsByType?.[e.event.type]).reverse();
}

/** A choice of the event, described as the timeline describes it. */
function targetSelect(p, id, value, itemsByType) {
  const options = itemTargets(p, itemsByType).map((e) => `<option value="${esc(e.eventId)}" ${e.eventId === value ? 'selected' : ''}>${esc(`${e.event.on} ${label(e.event.type)} (id ${e.eventId})`)}</option>`);
  return `<select class="nhsuk-select" id="${id}" name="target"><option value=""></option>${options.join('')}</select>`;
}

/** The form's fields: the date, the event, and only the items its type carries once one is chosen. */
function itemsFields(p, fields, target) {
  const itemsByType = Object.fromEntries(fields)['target']?.['x-items-by-type'] ?? {};
  const chosen = p.events.find((e) => e.eventId === target);
  const carries = new Set(chosen ? itemsByType[chosen.event.type] ?? [] : []);
  return fields.filter(([name]) => name === 'on' || name === 'target' || carries.has(name));
}

function describe(event) {
  const { type: _t, on: _o, id: _i, nhsNumber: _n, patientName: _p, dateOfBirth: _d, ...rest } = event;
  return Object.entries(rest).map(([k, v]) => `${label(k)}: ${label(v)}`).join(', ');
}

async function openForm(p, type, values = {}, error) {
  const schema = (await schemas())[type];
  const codes = await codeLists();
  let fields = Object.entries(schema.properties).filter(([k]) => k !== 'type' && k !== 'id');
  if (type === 'national_items_added') fields = itemsFields(p, fields, values.target);
  const required = new Set(schema.required ?? []);
  const today = latestCounts()?.asOf ?? new Date().toISOString().slice(0, 10);
  const input = ([name, s]) => {
    const id = `ev-${name}`;
    const err = error?.field === name || error?.field === `event.${name}` ? error.message : '';
    const value = values[name] ?? (name === 'on' ? today : '');
    const list = s['x-code-list'] ? codes[s['x-code-list']] : null;
    const control = name === 'target' && type === 'national_items_added'
      ? targetSelect(p, id, value, s['x-items-by-type'])
      : list
        ? `<select class="nhsuk-select${err ? ' nhsuk-select--error' : ''}" id="${id}" name="${name}">${required.has(name) ? '' : '<option value=""></option>'}${(list ?? []).filter((o) => !s.enum || s.enum.includes(o.code)).map((o) => `<option value="${esc(o.code)}" ${o.code === value ? 'selected' : ''}>${esc(o.label)}</option>`).join('')}</select>`
      : s.enum
      ? `<select class="nhsuk-select${err ? ' nhsuk-select--error' : ''}" id="${id}" name="${name}">${required.has(name) ? '' : '<option value=""></option>'}${s.enum.map((o) => `<option value="${esc(o)}" ${o === value ? 'selected' : ''}>${esc(label(o))}</option>`).join('')}</select>`
      : `<input class="nhsuk-input${err ? ' nhsuk-input--error' : ''} nhsuk-input--width-20" id="${id}" name="${name}" type="${DATE_FIELDS.has(name) || s.format === 'date' ? 'date' : 'text'}" value="${esc(value)}" ${required.has(name) ? 'required' : ''}>`;
    return `<div class="nhsuk-form-group${err ? ' nhsuk-form-group--error' : ''}"><label class="nhsuk-label" for="${id}">${esc(s.title ?? label(name))}${required.has(name) ? '' : ' (optional)'}</label>${err ? `<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${esc(err)}</span>` : ''}${control}</div>`;
  };
  const general = error && !fields.some(([n]) => error.field === n || error.field === `event.${n}`) ? error.message : '';
  const box = document.getElementById('event-form');
  box.innerHTML = `<form id="record" class="nhsuk-card"><div class="nhsuk-card__content"><h3 class="nhsuk-card__heading">${esc(label(type))}</h3>
    ${general ? `<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="form-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${esc(general)}</p></div>` : ''}
    ${fields.map(input).join('')}
    <button class="nhsuk-button" type="submit">Record ${esc(label(type))}</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" id="cancel">Cancel</button></div></form>`;
  box.querySelector('#cancel').addEventListener('click', () => { box.innerHTML = ''; });
  // National items for an earlier event: the fields follow the event chosen (what is typed is kept).
  box.querySelector('#ev-target')?.addEventListener('change', (e) => {
    const typed = Object.fromEntries([...new FormData(e.target.form)].filter(([, v]) => v !== ''));
    openForm(p, type, typed);
  });
  (box.querySelector('.nhsuk-error-summary, .nhsuk-form-group--error input, .nhsuk-form-group--error select') ?? box.querySelector('input, select'))?.focus();
  box.querySelector('#record').addEventListener('submit', async (e) => {
    e.preventDefault();
    const entered = Object.fromEntries([...new FormData(e.target)].filter(([, v]) => v !== ''));
    const r = await api('POST', `/api/pathways/${encodeURIComponent(p.pathwayId)}/events`, { expectedVersion: p.version, event: { type, ...entered } });
    if (r.ok) return showPathway(p.pathwayId);
    // Keep what was typed; show the server's reason next to the field it names.
    const field = r.body?.field?.replace(/^body\.event\./, '');
    const message = r.status === 409 && r.body?.error === 'stale_version'
      ? `Someone else updated this pathway (now version ${r.body.currentVersion}). Check the timeline, then record again: your entries are kept.`
      : r.body?.message ?? `The server refused this (${r.status})`;
    if (r.status === 409 && r.body?.error === 'stale_version') return showPathway(p.pathwayId, { type, values: entered, error: { field: '', message } });
    openForm(p, type, entered, { field, message });
  });
}
