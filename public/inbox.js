// The trackers' inbox (issue #17): events that messages from the hospital's patient administration
// system propose for open pathways. Nothing reaches a pathway until a tracker accepts it (as
// proposed, or edited) or a clinic's rule does; a rejection keeps its reason. Messages for patients
// with no open pathway are not listed, but can be searched below.
import { api, currentUser } from './api.js';
import { dateTime, esc, label, nhsNumber } from './format.js';

const main = document.getElementById('main');
const DATE_FIELDS = new Set(['on', 'appointmentOn']);
const CHOICES = { appointment: ['first', 'subsequent'] };

/** What a proposed event says, in words: 'appointment booked for 2026-11-30 (first), booked 2026-11-24'. */
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
  const proposals = body?.proposals ?? [];
  const canDecide = currentUser()?.role !== 'viewer';
  main.innerHTML = `
    <h1>Inbox <span class="nhsuk-caption-m">from the hospital's patient administration system</span></h1>
    <p>Each row is an event a message suggests for an open pathway. It changes nothing until it is accepted.</p>
    <div class="nhsuk-error-summary" id="inbox-error" role="alert" tabindex="-1" hidden><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="inbox-error-message"></p></div>
    ${canDecide ? '<button type="button" class="nhsuk-button" id="accept-selected" disabled>Accept selected</button>' : ''}
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="inbox"><caption class="nhsuk-table__caption">Waiting for a tracker: <span id="inbox-total">${body?.open ?? 0}</span></caption>
      <thead class="nhsuk-table__head"><tr>${canDecide ? '<th scope="col"><input type="checkbox" id="select-all" aria-label="Select all"></th>' : ''}<th scope="col">Received</th><th scope="col">Patient</th><th scope="col">Pathway</th><th scope="col">Proposed</th><th scope="col">From</th>${canDecide ? '<th scope="col">Decide</th>' : ''}</tr></thead>
      <tbody>${proposals.map((p) => row(p, canDecide)).join('')}</tbody></table></div>
    <p id="inbox-empty" ${proposals.length ? 'hidden' : ''}>Nothing is waiting.</p>
    <h2>Messages received</h2>
    <form id="message-search" class="openptl-filters">
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-nhs">NHS number</label><input class="nhsuk-input nhsuk-input--width-10" id="s-nhs" name="nhsNumber"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-local">Hospital number</label><input class="nhsuk-input nhsuk-input--width-10" id="s-local" name="localPatientId"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="s-control">Message control id</label><input class="nhsuk-input nhsuk-input--width-10" id="s-control" name="controlId"></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Search</button>
    </form>
    <div id="messages"></div>`;
  if (!canDecide) return;
  const selected = () => [...main.querySelectorAll('[data-select]:checked')].map((b) => Number(b.dataset.select));
  const acceptSelected = document.getElementById('accept-selected');
  const sync = () => {
    acceptSelected.disabled = selected().length === 0;
  };
  document.getElementById('select-all').addEventListener('change', (e) => {
    for (const b of main.querySelectorAll('[data-select]')) b.checked = e.target.checked;
    sync();
  });
  for (const b of main.querySelectorAll('[data-select]')) b.addEventListener('change', sync);
  acceptSelected.addEventListener('click', async () => {
    const r = await api('POST', '/api/inbox/accept', { ids: selected() });
    if (!r.ok) return problem(r.body?.message ?? `The server refused this (${r.status})`);
    await showInbox();
    const refused = r.body.results.filter((x) => x.status === 'refused');
    if (refused.length) problem(`${refused.length} of ${r.body.results.length} could not be accepted; each shows why.`);
  });
  for (const b of main.querySelectorAll('[data-accept]'))
    b.addEventListener('click', () => accept(Number(b.dataset.accept)));
  for (const b of main.querySelectorAll('[data-edit]'))
    b.addEventListener('click', () => openEdit(proposals.find((p) => p.proposalId === Number(b.dataset.edit))));
  for (const b of main.querySelectorAll('[data-reject]'))
    b.addEventListener('click', () => openReject(Number(b.dataset.reject)));
  document.getElementById('message-search').addEventListener('submit', (e) => {
    e.preventDefault();
    searchMessages(new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v !== '')));
  });
}

function row(p, canDecide) {
  const patient = p.pathway
    ? `${esc(p.pathway.patientName ?? '–')}<br><span class="nhsuk-u-secondary-text-color">${esc(nhsNumber(p.pathway.nhsNumber))}</span>`
    : '–';
  const pathway = p.pathway
    ? `<a href="#/pathway/${encodeURIComponent(p.pathwayId)}">${esc(label(p.pathway.tumourSite))}</a><br><span class="nhsuk-u-secondary-text-color">${esc(label(p.pathway.stage))}</span>`
    : esc(p.pathwayId);
  return `<tr class="nhsuk-table__row" data-proposal="${p.proposalId}">
    ${canDecide ? `<td class="nhsuk-table__cell"><input type="checkbox" data-select="${p.proposalId}" aria-label="Select proposal ${p.proposalId}"></td>` : ''}
    <td class="nhsuk-table__cell">${esc(dateTime(p.message.receivedAt))}</td>
    <td class="nhsuk-table__cell">${patient}</td>
    <td class="nhsuk-table__cell">${pathway}</td>
    <td class="nhsuk-table__cell" data-field="proposed">${esc(describe(p.event))}${p.refusal ? `<span class="nhsuk-error-message" data-field="refusal"><span class="nhsuk-u-visually-hidden">Error:</span> Not accepted: ${esc(p.refusal)}</span>` : ''}</td>
    <td class="nhsuk-table__cell">${esc(p.message.messageType)}<br><span class="nhsuk-u-secondary-text-color">${esc(p.message.sendingApplication)} ${esc(p.message.controlId)}</span></td>
    ${
      canDecide
        ? `<td class="nhsuk-table__cell openptl-decide"><button type="button" class="nhsuk-button nhsuk-button--small" data-accept="${p.proposalId}">Accept</button>
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-edit="${p.proposalId}">Edit</button>
      <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" data-reject="${p.proposalId}">Reject</button></td>`
        : ''
    }
  </tr>`;
}

function problem(message) {
  const box = document.getElementById('inbox-error');
  document.getElementById('inbox-error-message').textContent = message;
  box.hidden = false;
  box.focus();
}

async function accept(id, change = {}) {
  const r = await api('POST', `/api/inbox/${id}/accept`, change);
  if (r.ok) return showInbox();
  await showInbox(); // the row now shows why
  problem(r.body?.message ?? `The server refused this (${r.status})`);
}

/** A form under the row: one input per field of the proposed event, then accept it as edited. */
function openEdit(p) {
  closeForms();
  const fields = Object.entries(p.event).filter(([k]) => k !== 'type');
  const input = ([name, value]) => {
    const id = `edit-${name}`;
    const control = CHOICES[name]
      ? `<select class="nhsuk-select" id="${id}" name="${name}">${CHOICES[name].map((o) => `<option value="${o}" ${o === value ? 'selected' : ''}>${esc(label(o))}</option>`).join('')}</select>`
      : `<input class="nhsuk-input nhsuk-input--width-20" id="${id}" name="${name}" type="${DATE_FIELDS.has(name) ? 'date' : 'text'}" value="${esc(value)}">`;
    return `<div class="nhsuk-form-group"><label class="nhsuk-label" for="${id}">${esc(label(name))}</label>${control}</div>`;
  };
  formRow(
    p.proposalId,
    `<form id="edit-form"><h3 class="nhsuk-heading-s">Edit, then accept: ${esc(label(p.event.type))}</h3>${fields.map(input).join('')}
    <button class="nhsuk-button" type="submit">Accept as edited</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" data-cancel>Cancel</button></form>`,
  );
  document.getElementById('edit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const edited = Object.fromEntries([...new FormData(e.target)].filter(([, v]) => v !== ''));
    accept(p.proposalId, { event: { type: p.event.type, ...edited } });
  });
}

function openReject(id) {
  closeForms();
  formRow(
    id,
    `<form id="reject-form"><div class="nhsuk-form-group"><label class="nhsuk-label" for="reject-reason">Why is this not for the pathway?</label>
    <input class="nhsuk-input" id="reject-reason" name="reason" required maxlength="200"></div>
    <button class="nhsuk-button nhsuk-button--warning" type="submit">Reject</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" data-cancel>Cancel</button></form>`,
  );
  document.getElementById('reject-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api('POST', `/api/inbox/${id}/reject`, { reason: new FormData(e.target).get('reason') });
    if (r.ok) return showInbox();
    problem(r.body?.message ?? `The server refused this (${r.status})`);
  });
}

function formRow(id, html) {
  const anchor = main.querySelector(`[data-proposal="${id}"]`);
  anchor.insertAdjacentHTML(
    'afterend',
    `<tr class="openptl-form-row"><td class="nhsuk-table__cell" colspan="7">${html}</td></tr>`,
  );
  const form = anchor.nextElementSibling;
  form.querySelector('[data-cancel]').addEventListener('click', closeForms);
  form.querySelector('input, select')?.focus();
}

function closeForms() {
  for (const r of main.querySelectorAll('.openptl-form-row')) r.remove();
}

async function searchMessages(query) {
  const box = document.getElementById('messages');
  const r = await api('GET', `/api/inbox/messages?${query}`);
  if (!r.ok) {
    box.innerHTML = `<p class="nhsuk-error-message">${esc(r.body?.message ?? 'The search was refused')}</p>`;
    return;
  }
  box.innerHTML =
    r.body.messages.length === 0
      ? '<p>No messages found.</p>'
      : `<table class="nhsuk-table" id="message-results"><thead class="nhsuk-table__head"><tr><th scope="col">Received</th><th scope="col">Type</th><th scope="col">Control id</th><th scope="col">Outcome</th><th scope="col">What was done</th></tr></thead>
    <tbody>${r.body.messages.map((m) => `<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">${esc(dateTime(m.receivedAt))}</td><td class="nhsuk-table__cell">${esc(m.messageType)}</td><td class="nhsuk-table__cell">${esc(m.sendingApplication)} ${esc(m.controlId)}</td><td class="nhsuk-table__cell">${esc(m.ackCode)} ${esc(label(m.outcome))}</td><td class="nhsuk-table__cell">${esc(m.detail)}</td></tr>`).join('')}</tbody></table>`;
}
