// @ts-check
// The trackers' inbox (issue #17): events that messages from the hospital's patient administration
// system propose for open pathways. Nothing reaches a pathway until a tracker accepts it (as
// proposed, or edited) or a clinic's rule does; a rejection keeps its reason. Messages for patients
// with no open pathway are not listed, but can be searched below.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, can } from './api.js';
import { dateTime, draw, focusFirst, label, nhsNumber, updateRows } from './format.js';
import { onSubmit } from './forms.js';

const main = document.getElementById('main');
const DATE_FIELDS = new Set(['on', 'appointmentOn']);
/** @type {Record<string, string[]>} */
const CHOICES = { appointment: ['first', 'subsequent'] };

/**
 * What a proposed event says, in words: 'appointment booked for 2026-11-30 (first), booked 2026-11-24'.
 * @param {any} event
 */
function describe(event) {
  switch (event.type) {
    case 'appointment_booked':
      return `appointment booked for ${event.appointmentOn} (${event.appointment}), booked ${event.on}`;
    case 'first_seen':
      return `first seen ${event.on}${event.clinic ? ` in clinic ${event.clinic}` : ''}`;
    case 'dna':
      return `did not attend (${event.appointment} appointment) ${event.on}`;
    case 'patient_cancelled':
      return `patient cancelled ${event.on}${event.note ? `: ${event.note}` : ''}`;
    case 'removed':
      return `remove from the PTL (${label(event.reason)}) ${event.on}`;
    default:
      return `${label(event.type)} ${event.on}`;
  }
}

export async function showInbox() {
  document.title = 'Inbox – OpenPTL';
  const { body } = await api('GET', '/api/inbox?limit=500');
  /** @type {any[]} */
  const proposals = body?.proposals ?? [];
  const canDecide = can('record');
  /** The form open under a row: what to do with which proposal. @type {{ id: number, kind: 'edit' | 'reject' } | null} */
  let opened = null;
  // A form opens under a row, in place: what is ticked stays ticked.
  const showRows = () =>
    updateRows(
      'inbox',
      proposals.map(
        (p) =>
          html`${row(p, canDecide, open)}${opened?.id === p.proposalId ? html`<tr class="openptl-form-row"><td class="nhsuk-table__cell" colspan="7">${opened?.kind === 'edit' ? editForm(p, close) : rejectForm(p.proposalId, close)}</td></tr>` : nothing}`,
      ),
    );
  /** @param {number} id @param {'edit' | 'reject'} kind */
  const open = (id, kind) => {
    opened = { id, kind };
    showRows();
    focusFirst(main?.querySelector('.openptl-form-row') ?? null, 'input, select');
  };
  const close = () => {
    opened = null;
    showRows();
  };
  const selected = () =>
    [...(main?.querySelectorAll('[data-select]:checked') ?? [])].map((b) =>
      Number(/** @type {HTMLElement} */ (b).dataset.select),
    );
  const sync = () => {
    const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('accept-selected'));
    if (button) button.disabled = selected().length === 0;
  };
  const selectAll = (/** @type {Event} */ e) => {
    for (const b of main?.querySelectorAll('[data-select]') ?? [])
      /** @type {HTMLInputElement} */ (b).checked = /** @type {HTMLInputElement} */ (e.currentTarget).checked;
    sync();
  };
  const acceptSelected = async () => {
    const r = await api('POST', '/api/inbox/accept', { ids: selected() });
    if (!r.ok) return problem(r.body?.message ?? `The server refused this (${r.status})`);
    await showInbox();
    const refused = r.body.results.filter((/** @type {any} */ x) => x.status === 'refused');
    if (refused.length) problem(`${refused.length} of ${r.body.results.length} could not be accepted; each shows why.`);
  };
  draw(
    main,
    html`
    <h1>Inbox <span class="nhsuk-caption-m">from the hospital's patient administration system</span></h1>
    <p>Each row is an event a message suggests for an open pathway. It changes nothing until it is accepted.</p>
    <div class="nhsuk-error-summary" id="inbox-error" role="alert" tabindex="-1" hidden><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="inbox-error-message"></p></div>
    ${canDecide ? html`<button type="button" class="nhsuk-button" id="accept-selected" disabled @click=${acceptSelected}>Accept selected</button>` : nothing}
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="inbox" @change=${sync}><caption class="nhsuk-table__caption">Waiting for a tracker: <span id="inbox-total">${body?.open ?? 0}</span></caption>
      <thead class="nhsuk-table__head"><tr>${canDecide ? html`<th scope="col"><input type="checkbox" id="select-all" aria-label="Select all" @change=${selectAll}></th>` : nothing}<th scope="col">Received</th><th scope="col">Patient</th><th scope="col">Pathway</th><th scope="col">Proposed</th><th scope="col">From</th>${canDecide ? html`<th scope="col">Decide</th>` : nothing}</tr></thead>
      <tbody></tbody></table></div>
    <p id="inbox-empty" ?hidden=${proposals.length > 0}>Nothing is waiting.</p>
    <h2>Messages received</h2>
    <form id="message-search" class="openptl-filters" @submit=${onSubmit((form) =>
      searchMessages(
        new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== '').map(([k, v]) => [k, String(v)])),
      ),
    )}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-nhs">NHS number</label><input class="nhsuk-input nhsuk-input--width-10" id="s-nhs" name="nhsNumber"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-local">Hospital number</label><input class="nhsuk-input nhsuk-input--width-10" id="s-local" name="localPatientId"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-control">Message control id</label><input class="nhsuk-input nhsuk-input--width-10" id="s-control" name="controlId"></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Search</button>
    </form>
    <div id="messages"></div>`,
  );
  showRows();
}

/**
 * A proposal's row; `open` opens the edit or reject form under it.
 * @param {any} p
 * @param {boolean} canDecide
 * @param {(id: number, kind: 'edit' | 'reject') => void} open
 */
function row(p, canDecide, open) {
  const patient = p.pathway
    ? html`${p.pathway.patientName ?? '–'}<br><span class="nhsuk-u-secondary-text-color">${nhsNumber(p.pathway.nhsNumber)}</span>`
    : '–';
  const pathway = p.pathway
    ? html`<a href="#/pathway/${encodeURIComponent(p.pathwayId)}">${label(p.pathway.tumourSite)}</a><br><span class="nhsuk-u-secondary-text-color">${label(p.pathway.stage)}</span>`
    : p.pathwayId;
  return html`<tr class="nhsuk-table__row" data-proposal="${p.proposalId}">
    ${canDecide ? html`<td class="nhsuk-table__cell"><input type="checkbox" data-select="${p.proposalId}" aria-label="Select proposal ${p.proposalId}"></td>` : nothing}
    <td class="nhsuk-table__cell">${dateTime(p.message.receivedAt)}</td>
    <td class="nhsuk-table__cell">${patient}</td>
    <td class="nhsuk-table__cell">${pathway}</td>
    <td class="nhsuk-table__cell" data-field="proposed">${describe(p.event)}${p.refusal ? html`<span class="nhsuk-error-message" data-field="refusal"><span class="nhsuk-u-visually-hidden">Error:</span> Not accepted: ${p.refusal}</span>` : nothing}</td>
    <td class="nhsuk-table__cell">${p.message.messageType}<br><span class="nhsuk-u-secondary-text-color">${p.message.sendingApplication} ${p.message.controlId}</span></td>
    ${
      canDecide
        ? html`<td class="nhsuk-table__cell openptl-decide"><button type="button" class="nhsuk-button nhsuk-button--small" data-accept="${p.proposalId}" @click=${() => accept(p.proposalId)}>Accept</button>
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-edit="${p.proposalId}" @click=${() => open(p.proposalId, 'edit')}>Edit</button>
      <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" data-reject="${p.proposalId}" @click=${() => open(p.proposalId, 'reject')}>Reject</button></td>`
        : nothing
    }
  </tr>`;
}

/** @param {string} message */
function problem(message) {
  const box = document.getElementById('inbox-error');
  const text = document.getElementById('inbox-error-message');
  if (!box || !text) return;
  text.textContent = message;
  box.hidden = false;
  box.focus();
}

/** @param {number} id @param {object} change */
async function accept(id, change = {}) {
  const r = await api('POST', `/api/inbox/${id}/accept`, change);
  if (r.ok) return showInbox();
  await showInbox(); // the row now shows why
  problem(r.body?.message ?? `The server refused this (${r.status})`);
}

/**
 * Under the row: one input per field of the proposed event, then accept it as edited.
 * @param {any} p
 * @param {() => void} close
 */
function editForm(p, close) {
  /** @type {[string, string][]} */
  const fields = Object.entries(p.event).filter(([k]) => k !== 'type');
  /** @param {[string, string]} field */
  const input = ([name, value]) => {
    const id = `edit-${name}`;
    const choices = CHOICES[name];
    const control = choices
      ? html`<select class="nhsuk-select" id="${id}" name="${name}">${choices.map((o) => html`<option value="${o}" ?selected=${o === value}>${label(o)}</option>`)}</select>`
      : html`<input class="nhsuk-input nhsuk-input--width-20" id="${id}" name="${name}" type="${DATE_FIELDS.has(name) ? 'date' : 'text'}" value="${value ?? ''}">`;
    return html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="${id}">${label(name)}</label>${control}</div>`;
  };
  return html`<form id="edit-form" @submit=${onSubmit((form) => {
    const edited = Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
    accept(p.proposalId, { event: { type: p.event.type, ...edited } });
  })}><h3 class="nhsuk-heading-s">Edit, then accept: ${label(p.event.type)}</h3>${fields.map(input)}
    <button class="nhsuk-button" type="submit">Accept as edited</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" @click=${close}>Cancel</button></form>`;
}

/**
 * Under the row: the reason, then reject.
 * @param {number} id
 * @param {() => void} close
 */
function rejectForm(id, close) {
  return html`<form id="reject-form" @submit=${onSubmit(async (form) => {
    const r = await api('POST', `/api/inbox/${id}/reject`, { reason: new FormData(form).get('reason') });
    if (r.ok) return showInbox();
    problem(r.body?.message ?? `The server refused this (${r.status})`);
  })}><div class="nhsuk-form-group"><label class="nhsuk-label" for="reject-reason">Why is this not for the pathway?</label>
    <input class="nhsuk-input" id="reject-reason" name="reason" required maxlength="200"></div>
    <button class="nhsuk-button nhsuk-button--warning" type="submit">Reject</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" @click=${close}>Cancel</button></form>`;
}

/** @param {URLSearchParams} query */
async function searchMessages(query) {
  const box = document.getElementById('messages');
  const r = await api('GET', `/api/inbox/messages?${query}`);
  if (!r.ok) {
    draw(box, html`<p class="nhsuk-error-message">${r.body?.message ?? 'The search was refused'}</p>`);
    return;
  }
  draw(
    box,
    r.body.messages.length === 0
      ? html`<p>No messages found.</p>`
      : html`<table class="nhsuk-table" id="message-results"><thead class="nhsuk-table__head"><tr><th scope="col">Received</th><th scope="col">Type</th><th scope="col">Control id</th><th scope="col">Outcome</th><th scope="col">What was done</th></tr></thead>
    <tbody>${r.body.messages.map((/** @type {any} */ m) => html`<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">${dateTime(m.receivedAt)}</td><td class="nhsuk-table__cell">${m.messageType}</td><td class="nhsuk-table__cell">${m.sendingApplication} ${m.controlId}</td><td class="nhsuk-table__cell">${m.ackCode} ${label(m.outcome)}</td><td class="nhsuk-table__cell">${m.detail}</td></tr>`)}</tbody></table>`,
  );
}
