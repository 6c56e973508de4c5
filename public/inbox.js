// @ts-check
// The trackers' inbox (issue #17; second round, issue #28): events that messages from the hospital's
// patient administration system propose for open pathways, one line each in words, beside what the
// pathway has booked now. Nothing reaches a pathway until a tracker accepts it (as proposed, or
// edited in the row with the same form as the pathway page) or a clinic's rule does; a rejection
// keeps its reason. A missed appointment on a day with nothing booked is not guessed at: the tracker
// says which appointment it was. Messages for patients with no open pathway are counted and listed,
// and a tracker links one to the pathway it is for; all messages can be searched below.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, can } from './api.js';
import {
  bookingText,
  date,
  dateTime,
  draw,
  eventLabel,
  fieldLabel,
  focusFirst,
  label,
  nhsNumber,
  updateRows,
} from './format.js';
import { onSubmit, textInput } from './forms.js';
import { eventForm } from './event-form.js';

const main = document.getElementById('main');
const COLUMNS = 8;

/** What each message type the PAS sends is, in words. */
const MESSAGE_WORDS = /** @type {Record<string, string>} */ ({
  'SIU^S12': 'New booking',
  'SIU^S13': 'Rebooking',
  'SIU^S14': 'Booking changed',
  'SIU^S15': 'Booking cancelled',
  'SIU^S26': 'Did not attend',
  'ADT^A03': 'Discharge',
  'ADT^A04': 'Attendance',
  'ADT^A08': "Patient's details updated",
  'ADT^A28': "Patient's details added",
  'ADT^A31': "Patient's details updated",
  'ADT^A40': 'Two records merged',
});
/** @param {string} type */
export const messageWords = (type) => MESSAGE_WORDS[type] ?? type;

/** @param {string} kind 'first' | 'subsequent' */
const whichAppointment = (kind) => (kind === 'first' ? 'the first appointment' : 'a later appointment');

/**
 * What a proposed event says, in words, on one line: 'First appointment booked for 30 Nov 2026'.
 * @param {any} event
 */
export function describeProposal(event) {
  switch (event.type) {
    case 'appointment_booked':
      return `${event.appointment === 'first' ? 'First appointment' : 'Later appointment'} booked for ${date(event.appointmentOn)}`;
    case 'first_seen':
      return `First seen on ${date(event.on)}${event.clinic ? `, clinic ${event.clinic}` : ''}`;
    case 'dna':
      return `Did not attend ${whichAppointment(event.appointment)} on ${date(event.on)}`;
    case 'patient_cancelled':
      return `Cancelled by the patient on ${date(event.on)}${event.note ? `: ${event.note}` : ''}`;
    case 'removed':
      return `Remove from the PTL: ${label(event.reason)}, ${date(event.on)}`;
    case 'patient_details_updated':
      return `Update the patient's ${['nhsNumber', 'patientName', 'dateOfBirth', 'localPatientId']
        .filter((k) => event[k] !== undefined)
        .map(
          (k) =>
            `${fieldLabel(k).toLowerCase()} to ${k === 'dateOfBirth' ? date(event[k]) : k === 'nhsNumber' ? nhsNumber(event[k]) : event[k]}`,
        )
        .join(', ')}`;
    default:
      return `${eventLabel(event.type)}, ${date(event.on)}`;
  }
}

/**
 * A kept message's "what was done" in words: pathway ids and event codes as a person says them.
 * @param {string} detail
 */
const detailWords = (detail) =>
  detail
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}: /g, '')
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (code) => eventLabel(code).toLowerCase());

/** @param {any} p a proposal */
const patientOf = (p) => p.pathway?.patientName ?? 'the patient';

export async function showInbox(
  /** @type {{ saved?: { text: string, pathwayId: string, patient: string } }} */ after = {},
) {
  document.title = 'Inbox – OpenPTL';
  const [{ body }, unmatched] = await Promise.all([
    api('GET', '/api/inbox?limit=500'),
    api('GET', '/api/inbox/unmatched?limit=100'),
  ]);
  /** @type {any[]} */
  const proposals = body?.proposals ?? [];
  const canDecide = can('record');
  /** The form open under a row: what to do with which proposal. @type {{ id: number, kind: 'edit' | 'reject' } | null} */
  let opened = null;
  // A form opens in its row, in place: what is ticked stays ticked.
  const showRows = () =>
    updateRows(
      'inbox',
      proposals.map(
        (p) =>
          html`${row(p, canDecide, open)}${opened?.id === p.proposalId ? html`<tr class="openptl-form-row"><td class="nhsuk-table__cell" colspan="${COLUMNS}"><div id="inbox-form"></div></td></tr>` : nothing}`,
      ),
    );
  /** @param {number} id @param {'edit' | 'reject'} kind */
  const open = (id, kind) => {
    opened = { id, kind };
    showRows();
    const p = proposals.find((x) => x.proposalId === id);
    const box = document.getElementById('inbox-form');
    if (kind === 'reject') {
      draw(box, rejectForm(id, close));
      focusFirst(box, 'input');
    } else editForm(box, p, close);
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
    for (const b of main?.querySelectorAll('[data-select]:not(:disabled)') ?? [])
      /** @type {HTMLInputElement} */ (b).checked = /** @type {HTMLInputElement} */ (e.currentTarget).checked;
    sync();
  };
  const acceptSelected = async () => {
    const r = await api('POST', '/api/inbox/accept', { ids: selected() });
    if (!r.ok) return problem(r.body?.message ?? `The server refused this (${r.status})`);
    const accepted = r.body.results.filter((/** @type {any} */ x) => x.status === 'accepted').length;
    const refused = r.body.results.length - accepted;
    await showInbox();
    if (refused) problem(`${refused} of ${r.body.results.length} could not be accepted; each shows why.`);
    else saidSaved(`${accepted} accepted.`);
  };
  const count = unmatched.ok ? unmatched.body.count : 0;
  draw(
    main,
    html`
    <h1 tabindex="-1">Inbox <span class="nhsuk-caption-m">from the hospital's patient administration system</span></h1>
    <div id="inbox-saved"></div>
    <p>Each row is an event a message suggests for an open pathway, beside what the pathway has booked now. It changes nothing until it is accepted.${count ? html` <a href="#unmatched">${count} ${count === 1 ? 'message' : 'messages'} matched no open pathway</a>.` : nothing}</p>
    <div class="nhsuk-error-summary" id="inbox-error" role="alert" tabindex="-1" hidden><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="inbox-error-message"></p></div>
    ${canDecide ? html`<button type="button" class="nhsuk-button" id="accept-selected" disabled @click=${acceptSelected}>Accept selected</button>` : nothing}
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact openptl-inbox" id="inbox" @change=${sync}><caption class="nhsuk-table__caption">Waiting for a tracker: <span id="inbox-total">${body?.open ?? 0}</span></caption>
      <thead class="nhsuk-table__head"><tr>${canDecide ? html`<th scope="col"><input type="checkbox" id="select-all" aria-label="Select all" @change=${selectAll}></th>` : nothing}<th scope="col">Received</th><th scope="col">Patient</th><th scope="col">Pathway</th><th scope="col">The message proposes</th><th scope="col">Booked now</th><th scope="col">From</th>${canDecide ? html`<th scope="col">Decide</th>` : nothing}</tr></thead>
      <tbody></tbody></table></div>
    <p id="inbox-empty" ?hidden=${proposals.length > 0}>Nothing is waiting.</p>
    <h2 id="unmatched" tabindex="-1">Messages for no open pathway: <span id="unmatched-count">${count}</span></h2>
    <div id="unmatched-list"></div>
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
  if (unmatched.ok) unmatchedList(unmatched.body.messages, canDecide);
  if (after.saved) {
    const { text, pathwayId, patient } = after.saved;
    saidSaved(
      text,
      html` <a href="#/pathway/${encodeURIComponent(pathwayId)}" id="saved-pathway">Open ${patient}'s pathway</a>`,
    );
  }
}

/**
 * The green confirmation above the table, focused; `more` after the words (a link to the pathway).
 * @param {string} text
 * @param {unknown} more
 */
function saidSaved(text, more = nothing) {
  const where = document.getElementById('inbox-saved');
  draw(
    where,
    html`<div class="nhsuk-notification-banner nhsuk-notification-banner--success openptl-saved" role="status" aria-labelledby="saved-title" tabindex="-1" id="saved">
    <div class="nhsuk-notification-banner__header"><h2 class="nhsuk-notification-banner__title" id="saved-title">Saved</h2></div>
    <div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">${text}${more}</p></div></div>`,
  );
  document.getElementById('saved')?.focus();
}

/**
 * A proposal's row; `open` opens the edit or reject form in it.
 * @param {any} p
 * @param {boolean} canDecide
 * @param {(id: number, kind: 'edit' | 'reject') => void} open
 */
function row(p, canDecide, open) {
  const patient = p.pathway
    ? html`${p.pathway.patientName ?? '–'} <span class="nhsuk-u-secondary-text-color">${nhsNumber(p.pathway.nhsNumber)}</span>`
    : '–';
  const pathway = p.pathway
    ? html`<a href="#/pathway/${encodeURIComponent(p.pathwayId)}">${label(p.pathway.tumourSite)}</a>, <span class="nhsuk-u-secondary-text-color">${label(p.pathway.stage)}</span>`
    : 'Not found';
  const booked = p.needsAppointment
    ? html`<strong class="nhsuk-tag nhsuk-tag--orange" data-field="needs-appointment">Nothing booked on ${date(p.event.on)}</strong> ${p.bookedNow ? html`<span>(booked: ${bookingText(p.bookedNow)})</span>` : nothing} Which appointment was it?`
    : bookingText(p.bookedNow) || 'Nothing booked';
  return html`<tr class="nhsuk-table__row" data-proposal="${p.proposalId}">
    ${canDecide ? html`<td class="nhsuk-table__cell"><input type="checkbox" data-select="${p.proposalId}" ?disabled=${p.needsAppointment} aria-label="Select: ${describeProposal(p.event)}, ${patientOf(p)}"></td>` : nothing}
    <td class="nhsuk-table__cell">${dateTime(p.message.receivedAt)}</td>
    <td class="nhsuk-table__cell">${patient}</td>
    <td class="nhsuk-table__cell">${pathway}</td>
    <td class="nhsuk-table__cell" data-field="proposed">${describeProposal(p.event)}${p.refusal ? html`<span class="nhsuk-error-message" data-field="refusal"><span class="nhsuk-u-visually-hidden">Error:</span> Not accepted: ${p.refusal}</span>` : nothing}</td>
    <td class="nhsuk-table__cell" data-field="booked">${booked}</td>
    <td class="nhsuk-table__cell">${messageWords(p.message.messageType)}, ${p.message.sendingApplication || 'the PAS'}</td>
    ${
      canDecide
        ? html`<td class="nhsuk-table__cell openptl-decide">${
            p.needsAppointment
              ? html`<button type="button" class="nhsuk-button nhsuk-button--small" data-edit="${p.proposalId}" @click=${() => open(p.proposalId, 'edit')}>Say which, then accept</button>`
              : html`<button type="button" class="nhsuk-button nhsuk-button--small" data-accept="${p.proposalId}" aria-label="Accept: ${describeProposal(p.event)}, ${patientOf(p)}" @click=${() => accept(p)}>Accept</button>
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-edit="${p.proposalId}" aria-label="Edit: ${describeProposal(p.event)}, ${patientOf(p)}" @click=${() => open(p.proposalId, 'edit')}>Edit</button>`
          }
      <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" data-reject="${p.proposalId}" aria-label="Reject: ${describeProposal(p.event)}, ${patientOf(p)}" @click=${() => open(p.proposalId, 'reject')}>Reject</button></td>`
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

/** Accepts a proposal as proposed; the page then says so, with a link to the pathway. @param {any} p */
async function accept(p) {
  const r = await api('POST', `/api/inbox/${p.proposalId}/accept`, {});
  if (r.ok)
    return showInbox({
      saved: { text: `Accepted: ${describeProposal(p.event)}.`, pathwayId: p.pathwayId, patient: patientOf(p) },
    });
  await showInbox(); // the row now shows why
  problem(r.body?.message ?? `The server refused this (${r.status})`);
}

/**
 * In the row: the proposed event in the pathway page's own form (the same labels, dates as day,
 * month, year), then accept it as edited. A missed appointment that cannot be placed leaves
 * "which appointment" unchosen, so the tracker says.
 * @param {HTMLElement | null} box
 * @param {any} p
 * @param {() => void} close
 */
function editForm(box, p, close) {
  /** @type {Record<string, string>} */
  const values = Object.fromEntries(
    Object.entries(p.event)
      .filter(([k, v]) => k !== 'type' && !(p.needsAppointment && k === 'appointment') && typeof v === 'string')
      .map(([k, v]) => [k, String(v)]),
  );
  eventForm(box, {
    pathway: { pathwayId: p.pathwayId, version: p.pathway?.version ?? 0, unusual: [] },
    type: p.event.type,
    values,
    prefix: 'edit',
    submitText: 'Accept as edited',
    send: (event) => api('POST', `/api/inbox/${p.proposalId}/accept`, { event }),
    onSaved: (_r, event) =>
      showInbox({
        saved: {
          text: `Accepted as edited: ${describeProposal(event)}.`,
          pathwayId: p.pathwayId,
          patient: patientOf(p),
        },
      }),
    onCancel: close,
  });
}

/**
 * In the row: the reason, then reject.
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

/**
 * The messages that matched no open pathway, newest first; a tracker finds the pathway one is for
 * (by name, NHS number or hospital number) and links it: what it says then waits in the inbox.
 * @param {any[]} messages
 * @param {boolean} canDecide
 */
function unmatchedList(messages, canDecide) {
  const box = document.getElementById('unmatched-list');
  if (!messages.length) return draw(box, html`<p>Every message matched an open pathway.</p>`);
  /** @type {{ messageId: number, found?: any[], query?: string } | null} */
  let finding = null;
  const show = () =>
    draw(
      box,
      html`<p>Kept, and proposing nothing, until a tracker links each to the pathway it is for.</p>
      <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="unmatched-messages"><thead class="nhsuk-table__head"><tr><th scope="col">Received</th><th scope="col">Patient in the message</th><th scope="col">What it says</th>${canDecide ? html`<th scope="col">Link</th>` : nothing}</tr></thead>
      <tbody>${messages.map(
        (
          m,
        ) => html`<tr class="nhsuk-table__row" data-message="${m.messageId}"><td class="nhsuk-table__cell">${dateTime(m.receivedAt)}</td>
        <td class="nhsuk-table__cell">${m.patient.name ?? 'No name'} <span class="nhsuk-u-secondary-text-color">${[m.patient.nhsNumber ? `NHS ${nhsNumber(m.patient.nhsNumber)}` : '', m.patient.localPatientId ? `hospital number ${m.patient.localPatientId}` : '', m.patient.dateOfBirth ? `born ${date(m.patient.dateOfBirth)}` : ''].filter(Boolean).join(', ')}</span></td>
        <td class="nhsuk-table__cell">${messageWords(m.messageType)}${m.appointmentOn ? `, ${date(m.appointmentOn)}` : ''}${m.clinic ? `, clinic ${m.clinic}` : ''}</td>
        ${canDecide ? html`<td class="nhsuk-table__cell"><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-link="${m.messageId}" aria-label="Link to a pathway: ${messageWords(m.messageType)}, ${m.patient.name ?? 'no name'}" @click=${() => find(m)}>Link to a pathway</button></td>` : nothing}</tr>
        ${finding?.messageId === m.messageId ? html`<tr class="openptl-form-row"><td class="nhsuk-table__cell" colspan="4">${linkForm(m)}</td></tr>` : nothing}`,
      )}</tbody></table></div>`,
    );
  /** @param {any} m */
  const find = async (m, query = m.patient.name ?? m.patient.localPatientId ?? '') => {
    finding = { messageId: m.messageId, query };
    const r = query.length >= 2 ? await api('GET', `/api/search?q=${encodeURIComponent(query)}`) : null;
    finding.found = (r?.body?.results ?? []).filter((/** @type {any} */ x) => x.status === 'open');
    show();
    focusFirst(box, '#link-q');
  };
  /** @param {any} m */
  const linkForm = (
    m,
  ) => html`<form id="link-form" class="openptl-filters" @submit=${onSubmit((form) => find(m, String(new FormData(form).get('q') ?? '').trim()))}>
      ${textInput({ id: 'link-q', name: 'q', label: 'Find the pathway: name, NHS number or hospital number', value: finding?.query ?? '', plain: true })}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Find</button></form>
    ${
      finding?.found?.length
        ? html`<ul class="nhsuk-list" id="link-choices">${finding.found.map((x) => html`<li>${x.patientName ?? 'No name'}, ${nhsNumber(x.nhsNumber)}, ${label(x.tumourSite)} referred ${date(x.referralOn)} <button type="button" class="nhsuk-button nhsuk-button--small" data-link-to="${x.pathwayId}" @click=${() => link(m, x)}>Link to this pathway</button></li>`)}</ul>`
        : html`<p>No open pathway found: search by another word.</p>`
    }`;
  /** @param {any} m @param {any} x */
  const link = async (m, x) => {
    const r = await api('POST', `/api/inbox/unmatched/${m.messageId}/link`, { pathwayId: x.pathwayId });
    if (!r.ok) return problem(r.body?.message ?? `The server refused this (${r.status})`);
    const n = r.body.proposalIds.length;
    await showInbox({
      saved: {
        text: `Linked: ${n ? `${n} ${n === 1 ? 'proposal' : 'proposals'} now wait above.` : 'the message proposes nothing new.'}`,
        pathwayId: x.pathwayId,
        patient: x.patientName ?? 'the patient',
      },
    });
  };
  show();
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
      : html`<table class="nhsuk-table" id="message-results"><thead class="nhsuk-table__head"><tr><th scope="col">Received</th><th scope="col">Message</th><th scope="col">Control id</th><th scope="col">Outcome</th><th scope="col">What was done</th></tr></thead>
    <tbody>${r.body.messages.map((/** @type {any} */ m) => html`<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">${dateTime(m.receivedAt)}</td><td class="nhsuk-table__cell">${messageWords(m.messageType)}</td><td class="nhsuk-table__cell">${m.sendingApplication} ${m.controlId}</td><td class="nhsuk-table__cell">${label(m.outcome)}${m.ackCode === 'AA' ? '' : ` (answered ${m.ackCode})`}</td><td class="nhsuk-table__cell">${detailWords(m.detail)}</td></tr>`)}</tbody></table>`,
  );
}
