// @ts-check
// The pathway page: who the patient is, where they are and what is next, the three clocks, a form
// for each event allowed now, a tracking comment, the tracker and MDT listing, and the timeline,
// where each entry can be corrected (voided, with a reason) without typing any id.
import { html, nothing, render } from '/vendor/lit-html/lit-html.js';
import { api, canRecord } from './api.js';
import { today } from './live.js';
import {
  bookingText,
  clockLabel,
  date,
  dateTime,
  draw,
  eventLabel,
  fieldLabel,
  label,
  milestoneTag,
  nextActionText,
  nhsNumber,
  addDays,
  providerLabel,
  sentence,
  siteLabel,
  stageLabel,
} from './format.js';
import {
  confirm,
  dateInput,
  errorSummary,
  fieldValue,
  onSubmit,
  readDate,
  select,
  textarea,
  textInput,
} from './forms.js';
import { eventForm, formField, nationalWords } from './event-form.js';
import { backToList, takeFlash } from './nav.js';

const main = document.getElementById('main');
/** Stages at which nothing is awaited; a pathway closed at another stage is only off the 62-day PTL, awaiting a treatment on the 31-day standard (issue #24). */
const FINAL_STAGES = ['treated', 'treatment_plan_complete', 'cancer_ruled_out', 'interval_scan_planned', 'removed'];
const OFF_62 = 'Off the 62-day PTL: the 31-day standard only';
/**
 * A timeline entry as GET /api/pathways/{id} lists them.
 * @typedef {{ eventId: string, event: { type: string, on: string, id?: string } & Record<string, any>, recordedAt: string, actor: string, source?: { sendingApplication: string, messageControlId: string } }} Entry
 */
/**
 * The pathway as GET /api/pathways/{id} answers it (typed where this page needs more than a value).
 * @typedef {{ pathwayId: string, version: number, events: Entry[], allowedEvents: string[], unusual: import('./event-form.js').Unusual[], mdtMeetings: { meetingId: number, name: string, meetsOn: string }[], clocks: Record<string, any> & { subsequent?: any[] } } & Record<string, any>} Pathway
 */
/** Recorded from elsewhere on the page (a comment, a correction), not from the event buttons. */
const OWN_FORMS = new Set(['note', 'event_voided']);

/**
 * For each timeline entry (in the order recorded, as the API gives them): whether a later
 * event_voided names its id. Display only; the server's rule in src/vocabulary/effective-timeline.ts
 * is the reference for which events count.
 * @param {Entry[]} entries
 */
function voidedFlags(entries) {
  const named = new Set();
  /** @type {boolean[]} */
  const flags = [];
  for (const { eventId, event } of [...entries].reverse()) {
    flags.unshift(named.has(eventId) || named.has(event.id));
    if (event.type === 'event_voided') named.add(event.voids);
  }
  return flags;
}

/** Words for a national item's code (event-form.js nationalWords), set before the page draws. */
/** @type {(type: string, field: string, code: unknown) => string | null} */
let codeWords = () => null;
const PROVIDER_FIELDS = new Set(['provider', 'toProvider', 'treatingProvider']);
const SITE_FIELDS = new Set(['site', 'upgradeSite']);

/**
 * A field's value in words (issue #28): a code list's label, a provider or site by name, a date as
 * a tracker reads it, else the code's words.
 * @param {string} type the event's type (the code lists are per event)
 * @param {string} field
 * @param {unknown} v
 */
function valueText(type, field, v) {
  const coded = codeWords(type, field, v);
  if (coded) return coded;
  if (PROVIDER_FIELDS.has(field)) return providerLabel(String(v));
  if (SITE_FIELDS.has(field)) return siteLabel(String(v));
  return /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? date(v) : label(v);
}

/**
 * An event's details in words, for the timeline.
 * @param {Entry['event']} event
 * @param {Entry[]} entries
 */
function describe(event, entries) {
  if (event.type === 'event_voided') {
    const target = entries.find((e) => e.eventId === event.voids || e.event.id === event.voids);
    return `${target ? `${eventLabel(target.event.type)} of ${date(target.event.on)}` : 'an entry'} taken out: ${event.reason}`;
  }
  if (event.type === 'national_items_added') {
    const target = entries.find((e) => e.eventId === event.target || e.event.id === event.target);
    const { type: _t, on: _o, id: _i, target: _g, ...items } = event;
    return `for ${target ? `${eventLabel(target.event.type)} of ${date(target.event.on)}` : 'an entry'}: ${Object.entries(
      items,
    )
      .map(([k, v]) => `${fieldLabel(k, target?.event.type)}: ${valueText(target?.event.type ?? '', k, v)}`)
      .join('; ')}`;
  }
  if (event.type === 'referral_corrected') return `${fromTo(event, entries, CORRECTED)}. Reason: ${event.reason}`;
  if (event.type === 'patient_details_updated')
    return `${fromTo(event, entries, DETAILS)} (${label(event.reason)}${event.note ? `: ${event.note}` : ''})`;
  if (event.type === 'note')
    return `${event.text}${event.followUpOn ? ` (follow up on ${date(event.followUpOn)})` : ''}`;
  const skip = new Set(['type', 'on', 'id', 'nhsNumber', 'patientName', 'dateOfBirth', 'meetingId']);
  return Object.entries(event)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${fieldLabel(k, event.type)}: ${valueText(event.type, k, v)}`)
    .join('; ');
}

/** What a referral correction may give, and the referral's own field it replaces (issue #28). */
const CORRECTED = /** @type {const} */ ([
  ['receivedOn', 'on'],
  ['route', 'route'],
  ['tumourSite', 'tumourSite'],
]);
/** The patient's details an update may give (issue #17), named as the referral names them. */
const DETAILS = /** @type {const} */ ([
  ['nhsNumber', 'nhsNumber'],
  ['patientName', 'patientName'],
  ['localPatientId', 'localPatientId'],
  ['dateOfBirth', 'dateOfBirth'],
]);

/**
 * A value of the referral or the patient's details in words.
 * @param {string} field
 * @param {unknown} v
 */
function valueWords(field, v) {
  if (v === undefined || v === null || v === '') return 'not recorded';
  if (field === 'on' || field === 'dateOfBirth') return date(v);
  if (field === 'nhsNumber') return nhsNumber(String(v));
  if (field === 'patientName' || field === 'localPatientId') return String(v);
  if (field === 'provider') return providerLabel(String(v));
  return label(v);
}

/**
 * A correction of the referral or of the patient's details in words (issue #28), each value from
 * what it was to what it is now: the referral as first recorded, with the corrections of the same
 * kind recorded before this one (a voided one counts as never made).
 * @param {Entry['event']} event
 * @param {Entry[]} entries
 * @param {readonly (readonly [string, string])[]} fields [the correction's field, the referral's]
 */
function fromTo(event, entries, fields) {
  const voided = voidedFlags(entries);
  const at = entries.findIndex((e) => e.event === event);
  /** @type {Record<string, any>} */
  const was = { ...(entries.find((e) => e.event.type === 'referral_received')?.event ?? {}) };
  entries.slice(0, at).forEach((e, i) => {
    if (e.event.type !== event.type || voided[i]) return;
    for (const [field, own] of fields) if (e.event[field] !== undefined) was[own] = e.event[field];
  });
  return fields
    .filter(([field]) => event[field] !== undefined)
    .map(
      ([field, own]) =>
        `${fieldLabel(own, 'referral_received')}: ${valueWords(own, was[own])} → ${valueWords(own, event[field])}`,
    )
    .join('; ');
}

/**
 * What to show once the pathway is drawn: a confirmation (focused), or a form to reopen with what
 * was typed (after someone else wrote first, or from a link naming the item missing).
 * After a save (issue #28) the page keeps its place (`scrollY`) and says so beside the form used (`near`).
 * @typedef {{ saved?: string, near?: string, scrollY?: number, form?: { type: string, values?: Record<string, string>, errors?: Record<string, string>, general?: string } }} After
 */

/**
 * The events each stage expects next, offered first (issue #28); the others the stage allows follow.
 * @type {Record<string, string[]>}
 */
const EXPECTED = {
  awaiting_triage: ['triaged', 'appointment_booked', 'test_requested'],
  awaiting_first_appointment: ['appointment_booked', 'first_seen', 'dna', 'patient_cancelled'],
  first_appointment_missed: ['appointment_booked', 'patient_cancelled'],
  straight_to_test: ['test_requested', 'test_reported'],
  rapid_diagnostic_centre: ['first_seen', 'test_requested', 'test_reported'],
  under_investigation: ['test_requested', 'test_reported', 'mdt_discussed', 'diagnosis_communicated'],
  discussed_at_mdt: ['diagnosis_communicated', 'decision_to_treat', 'test_requested'],
  awaiting_decision_to_treat: ['decision_to_treat', 'diagnosis_communicated'],
  awaiting_treatment: ['treatment_started', 'treatment_offer_declined'],
  awaiting_subsequent_treatment: ['decision_to_treat', 'treatment_started', 'treatment_plan_completed'],
  treated: ['decision_to_treat', 'treatment_plan_completed'],
};
/** A button's words where the event's own label reads oddly as an action. */
const BUTTON_WORDS = /** @type {Record<string, string>} */ ({ referral_corrected: 'Correct the referral' });

/**
 * Shows a pathway.
 * @param {string} id
 * @param {After} after
 */
export async function showPathway(id, after = {}) {
  const [{ status, body }, words] = await Promise.all([
    api('GET', `/api/pathways/${encodeURIComponent(id)}`),
    nationalWords(),
  ]);
  codeWords = words;
  /** @type {Pathway} */
  const p = body;
  if (status === 404) {
    draw(main, html`<h1 tabindex="-1">Pathway not found</h1><p><a href="${backToList()}">Back to the PTL</a></p>`);
    return;
  }
  document.title = `${p.patient.name ?? 'Patient'} – OpenPTL`;
  const voided = voidedFlags(p.events);
  const tracker = canRecord();
  // The first treatment's three clocks, then each treatment after the first on its own 31-day clock (#14).
  /** @param {string} name */
  const clockRow = (name, text = clockLabel(name), c = p.clocks[name]) => {
    return html`<tr class="nhsuk-table__row" data-clock="${name}"><th scope="row">${text}</th><td data-field="state">${label(c.state)}</td><td>${date(c.start) || '–'}</td><td>${date(c.stop) || '–'}</td>
      <td class="nhsuk-table__cell--numeric" data-field="days">${c.days ?? '–'}</td><td class="nhsuk-table__cell--numeric">${c.adjustmentDays}</td><td class="nhsuk-table__cell--numeric">${c.target}</td><td data-field="breachDate">${date(c.breachDate) || '–'}</td><td>${c.breached ? html`<strong class="nhsuk-tag nhsuk-tag--red">Breached</strong>` : nothing}</td></tr>`;
  };
  const summary = [
    ['NHS number', nhsNumber(p.patient.nhsNumber)],
    ['Date of birth', date(p.patient.dateOfBirth)],
    ['Suspected tumour site', label(p.tumourSite)],
    ['Referral route', label(p.route)],
    ['Provider', providerLabel(p.provider)],
    ['Stage', stageLabel(p.stage)],
    ['Status', p.status === 'open' ? 'Open' : FINAL_STAGES.includes(p.stage) ? 'Closed' : OFF_62],
    [
      'Next action',
      p.status === 'open'
        ? `${nextActionText(p.nextAction?.action, p.nextAction?.due, p.nextAction?.kind)}${p.nextAction?.due && p.nextAction.due < p.asOf ? ' (overdue)' : ''}`
        : FINAL_STAGES.includes(p.stage)
          ? 'None: the pathway is closed'
          : 'The treatment awaited, on the 31-day PTL once decided',
    ],
    ['Booked', bookingText(p.booked) || 'Nothing booked'],
    // issue #26
    ['Timed pathway', p.timedPathway?.label ?? 'None (consultant upgrade)'],
    [
      'Next milestone',
      p.nextMilestone
        ? `${p.nextMilestone.name}, due by ${date(p.nextMilestone.dueOn)} (${label(p.nextMilestone.status)})`
        : 'None',
    ],
    ...timedItemRows(p.timedItems),
    [
      'Latest comment',
      p.comment ? `${p.comment.text} (${date(p.comment.on)}, ${p.comment.actor.replace(/^user:/, '')})` : 'None',
    ],
    ['Tracker', p.assignee ?? 'Not assigned'],
    [
      'MDT',
      [
        p.awaitingMdtSince ? `Awaiting MDT: tests reported since ${date(p.awaitingMdtSince)}` : '',
        ...p.mdtMeetings.map((m) => `Listed: ${m.name}, ${date(m.meetsOn)}`),
      ]
        .filter(Boolean)
        .join('; ') || 'Not listed',
    ],
  ];
  const buttons = p.allowedEvents.filter((t) => !OWN_FORMS.has(t));
  const expected = (EXPECTED[p.stage] ?? []).filter((t) => buttons.includes(t));
  const others = buttons.filter((t) => !expected.includes(t));
  const reopen = (/** @type {After} */ what) => showPathway(id, what);
  /** Saved: drawn again where the tracker was, the confirmation beside the form used. */
  const saved = (/** @type {string} */ text, near = 'event-saved') =>
    reopen({ saved: text, near, scrollY: window.scrollY });
  const pathway = { pathwayId: p.pathwayId, version: p.version, unusual: p.unusual, events: p.events };
  /** @param {string} type @param {object} more */
  const open = (type, more = {}) =>
    eventForm(document.getElementById('event-form'), {
      pathway,
      type,
      ...more,
      onSaved: (_r, event) => saved(`${eventLabel(type)}, ${date(event.on)}.`),
      onStale: (keep) => reopen({ form: keep }),
    });
  draw(
    main,
    html`
    <a class="nhsuk-back-link" href="${backToList()}">Back to the PTL</a>
    <div id="confirmation"></div>
    <h1 tabindex="-1">${p.patient.name ?? 'Patient (name not recorded)'} <span class="nhsuk-caption-m">${nhsNumber(p.patient.nhsNumber)} · ${label(p.tumourSite)} · ${p.status === 'open' ? 'open pathway' : 'closed pathway'}</span></h1>
    ${
      p.needsReview
        ? html`<div class="nhsuk-warning-callout" id="needs-review"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Needs review</span></h2>
      <p>An entry kept from before the current date checks would now be refused, so the clocks may be wrong. Correct it from the timeline (select "Correct this" on it, then record it again on the right date):</p><p>${p.needsReview}</p></div>`
        : nothing
    }
    <div class="openptl-pathway-grid">
      <dl class="nhsuk-summary-list openptl-summary">
        ${summary.map(([k, v]) => html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value" data-summary="${k}">${v || '–'}</dd></div>`)}
      </dl>
      <div>
        ${
          tracker
            ? html`<section aria-labelledby="record-heading" id="record"><h2 class="nhsuk-heading-s" id="record-heading">Record an event</h2>
          <div id="event-saved"></div>
          <div class="openptl-events" id="allowed">${expected.map((t) => eventButton(t, open, true))}${others.map((t) => eventButton(t, open, false))}</div>
          <div id="event-form"></div></section>`
            : nothing
        }
        <div id="tracker-saved"></div>
        <div id="tracker-forms"></div>
      </div>
    </div>
    <h2>Cancer Waiting Times clocks</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="clocks"><thead class="nhsuk-table__head"><tr><th scope="col">Standard</th><th scope="col">State</th><th scope="col">Start</th><th scope="col">Stop</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col" class="nhsuk-table__header--numeric">Adjustment</th><th scope="col" class="nhsuk-table__header--numeric">Target</th><th scope="col">Breach date</th><th scope="col"><span class="nhsuk-u-visually-hidden">Breached</span></th></tr></thead>
      <tbody>${clockRow('fds')}${clockRow('d31')}${clockRow('d62')}${(p.clocks.subsequent ?? []).map((c, i) => clockRow(`d31-${i + 2}`, `${clockLabel('d31')}, treatment ${i + 2}`, c))}</tbody></table></div>
    ${milestonesTable(p)}
    ${tracker ? nothing : html`<p>Viewers cannot record events.</p>`}
    ${tracker ? html`<h2>Add a tracking comment</h2><div id="note-saved"></div><div id="note-box"></div>` : nothing}
    <h2>Timeline</h2><div id="timeline-saved"></div>
    <ol class="nhsuk-list openptl-timeline" id="timeline">${p.events.map((e, i) => {
      const correctable =
        tracker && !voided[i] && e.event.type !== 'referral_received' && e.event.type !== 'event_voided';
      const detail = describe(e.event, p.events);
      return html`<li class="${voided[i] ? 'openptl-voided' : ''}" data-entry="${e.eventId}"><strong>${date(e.event.on)}</strong> ${eventLabel(e.event.type)}${voided[i] ? html` <span class="nhsuk-tag nhsuk-tag--grey">Taken out</span>` : nothing}
        ${detail ? html`<span class="openptl-entry-detail">– ${detail}</span>` : nothing} <span class="nhsuk-u-secondary-text-color openptl-recorded">recorded ${dateTime(e.recordedAt)} by ${e.actor.replace(/^user:/, '')}${e.source ? `, from ${e.source.sendingApplication} message ${e.source.messageControlId}` : ''}</span>
        ${correctable ? html`<button type="button" class="openptl-link-action" data-correct="${e.eventId}" aria-label="Correct this: ${eventLabel(e.event.type)} of ${date(e.event.on)}" @click=${() => correctionForm(p, e.eventId, saved)}>Correct this</button><div class="openptl-correct" id="correct-${e.eventId}"></div>` : nothing}</li>`;
    })}</ol>`,
  );
  if (tracker) {
    noteForm(p, saved);
    trackerForms(p, saved);
  }
  if (after.scrollY !== undefined) window.scrollTo(0, after.scrollY);
  const saidSaved = after.saved ?? takeFlash();
  if (after.form)
    open(after.form.type, { values: after.form.values, errors: after.form.errors, general: after.form.general });
  else if (saidSaved) confirm(document.getElementById((after.saved && after.near) || 'confirmation'), saidSaved);
  else main?.querySelector('h1')?.focus();
}

/**
 * A button that opens an event's form: those the stage expects first, in the primary colour.
 * @param {string} type
 * @param {(type: string) => void} open
 * @param {boolean} expected
 */
const eventButton = (type, open, expected) =>
  html`<button type="button" class="nhsuk-button nhsuk-button--small${expected ? ' openptl-expected' : ' nhsuk-button--secondary'}" data-event="${type}" data-expected=${expected ? 'yes' : nothing} @click=${() => open(type)}>${BUTTON_WORDS[type] ?? eventLabel(type)}</button>`;

/**
 * The referral's timed-pathway items that were given, as summary rows (issue #26).
 * @param {Record<string, any>} items
 * @returns {[string, string][]}
 */
function timedItemRows(items) {
  /** @type {[string, string][]} */
  const rows = [];
  if (items.suspectedSite) rows.push(['Suspected site', label(items.suspectedSite)]);
  if (items.fitResult !== null)
    rows.push([
      'FIT result',
      `${items.fitResult} µg Hb/g${items.fitTestedOn ? `, tested ${date(items.fitTestedOn)}` : ''}`,
    ]);
  else if (items.fitNotDoneReason) rows.push(['FIT result', `None: ${items.fitNotDoneReason}`]);
  if (items.screeningProgramme)
    rows.push([
      'Screening programme',
      `${label(items.screeningProgramme)}${items.lowDoseCtOn ? `, low-dose CT ${date(items.lowDoseCtOn)}` : ''}`,
    ]);
  return rows;
}

/**
 * The timed pathway's milestones as a short timeline against the days allowed (issue #26).
 * @param {Pathway} p
 */
function milestonesTable(p) {
  if (!p.timedPathway) return nothing;
  return html`<h2>Timed pathway: ${p.timedPathway.label}</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="milestones"><thead class="nhsuk-table__head"><tr><th scope="col">Milestone</th><th scope="col">Due by</th><th scope="col">Status</th><th scope="col">Met on</th><th scope="col">Days against those allowed</th></tr></thead>
    <tbody>${p.milestones.map(
      (/** @type {any} */ m) =>
        html`<tr data-milestone="${m.name}"><th scope="row">${m.name}</th><td>${date(m.dueOn)} (day ${m.day})</td><td>${milestoneTag(m.status)}</td><td>${m.metOn ? `${date(m.metOn)} (day ${m.metDay})` : '–'}</td>
        <td>${m.metOn ? `day ${m.metDay} of ${m.day}${m.metDay > m.day ? `: ${m.metDay - m.day} beyond` : ''}` : `${m.day} allowed`}</td></tr>`,
    )}</tbody></table></div>
    ${p.milestones.length ? nothing : html`<p>No milestones: the pathway closed before any was due.</p>`}`;
}

/**
 * The comment form: the text and an optional follow-up date, which becomes the next action.
 * @param {Pathway} p
 * @param {(text: string, near?: string) => void} saved
 * @param {{ text?: string, followUpOn?: string }} values
 * @param {{ text?: string, followUpOn?: string }} errors
 */
function noteForm(p, saved, values = {}, errors = {}) {
  const box = document.getElementById('note-box');
  /** @type {[string, string][]} */
  const problems = Object.entries(errors).map(([k, v]) => [
    k === 'followUpOn' ? 'note-followUpOn-day' : 'note-text',
    v,
  ]);
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    const text = fieldValue(form, 'text');
    const followUpOn = readDate(form, 'followUpOn');
    /** @type {{ text?: string, followUpOn?: string }} */
    const found = {};
    if (!text) found.text = 'Comment must be filled in';
    if (typeof followUpOn === 'object') found.followUpOn = sentence('Follow-up date', followUpOn.problem);
    if (!text || typeof followUpOn === 'object') return noteForm(p, saved, { text, followUpOn: '' }, found);
    const event = { type: 'note', on: await today(), text, ...(followUpOn ? { followUpOn } : {}) };
    const r = await api('POST', `/api/pathways/${encodeURIComponent(p.pathwayId)}/events`, {
      expectedVersion: p.version,
      event,
    });
    if (r.ok) return saved(`Comment added${followUpOn ? `; follow up on ${date(followUpOn)}` : ''}.`, 'note-saved');
    const field = formField(r.body?.field);
    return noteForm(
      p,
      saved,
      { text, followUpOn },
      { [field === 'followUpOn' ? 'followUpOn' : 'text']: sentence(fieldLabel(field, 'note'), r.body?.message) },
    );
  };
  draw(
    box,
    html`<form id="note-form" novalidate @submit=${onSubmit(submit)}>${errorSummary(problems, 'note-errors')}
    ${textarea({ id: 'note-text', name: 'text', label: 'Comment', hint: 'What was done or is waited for; shown against the patient in the PTL', value: values.text, error: errors.text })}
    ${dateInput({ id: 'note-followUpOn', name: 'followUpOn', label: 'Follow up on (optional)', hint: 'It becomes the next action until anything else is recorded', value: values.followUpOn, error: errors.followUpOn })}
    <button class="nhsuk-button nhsuk-button--secondary" type="submit">Add comment</button></form>`,
  );
  if (problems.length) document.getElementById('note-errors')?.focus();
}

/**
 * "Correct this": asks the reason and voids the entry (cwt-rules R13); the server says when a correction cannot stand.
 * @param {Pathway} p
 * @param {string} eventId
 * @param {(text: string, near?: string) => void} saved
 */
function correctionForm(p, eventId, saved, error = '') {
  const box = document.getElementById(`correct-${eventId}`);
  const entry = p.events.find((e) => e.eventId === eventId);
  if (!entry) return;
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    const reason = fieldValue(form, 'reason');
    if (!reason) return correctionForm(p, eventId, saved, 'Enter the reason');
    const r = await api('POST', `/api/pathways/${encodeURIComponent(p.pathwayId)}/events`, {
      expectedVersion: p.version,
      event: { type: 'event_voided', on: await today(), voids: eventId, reason },
    });
    if (r.ok) return saved(`${eventLabel(entry.event.type)} of ${date(entry.event.on)} taken out.`, 'timeline-saved');
    return correctionForm(p, eventId, saved, sentence('The correction', r.body?.message ?? `refused (${r.status})`));
  };
  draw(
    box,
    html`<form class="openptl-correct-form" novalidate @submit=${onSubmit(submit)}>
    ${textInput({ id: `reason-${eventId}`, name: 'reason', label: `Why is "${eventLabel(entry.event.type)}" of ${date(entry.event.on)} wrong?`, hint: 'It is taken out of the clocks and struck through here; nothing is deleted. Record it again if it belongs on another date.', error, width: 30 })}
    <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="submit">Take this entry out</button> <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" @click=${() => draw(box, nothing)}>Cancel</button></form>`,
  );
  box?.querySelector('input')?.focus();
}

/**
 * The tracker and MDT-listing forms. Their lists come after the page is drawn: until then the
 * selects say "Loading…" and a Save does nothing; then the same elements get their options. The
 * MDT list offers the meetings of the pathway's own tumour site first, and meetings of the last 7
 * days too (a late addition); listing for another site's meeting asks to be confirmed; each
 * meeting the patient is listed for can be taken off (issue #28).
 * @param {Pathway} p
 * @param {(text: string, near?: string) => void} saved
 */
function trackerForms(p, saved) {
  const box = document.getElementById('tracker-forms');
  /** @type {{ assignees?: string[], meetings?: any[], otherSite?: any, day?: string }} */
  const lists = {};
  const meetingText = (/** @type {any} */ m) =>
    `${m.name}, ${date(m.meetsOn)} (${label(m.tumourSite)}${m.tumourSite === p.tumourSite ? '' : ': another site'})`;
  const forms = () => {
    const { assignees, meetings, otherSite } = lists;
    return html`<form id="assign-form" class="openptl-inline-form" @submit=${onSubmit((form) => assignees && assign(form))}>${select({ id: 'assignee', name: 'assignee', label: 'Tracker', options: (assignees ?? []).map((n) => [n, n]), value: assignees ? (p.assignee ?? '') : '', choose: assignees ? 'Not assigned' : 'Loading…' })}<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Save tracker</button></form>
        ${
          p.mdtMeetings.length
            ? html`<ul class="nhsuk-list openptl-listed" id="mdt-listed">${p.mdtMeetings.map((m) => html`<li>Listed: <a href="#/mdt/${m.meetingId}">${m.name}, ${date(m.meetsOn)}</a> <button type="button" class="openptl-link-action" data-take-off="${m.meetingId}" @click=${() => takeOff(m)}>Take off this list<span class="nhsuk-u-visually-hidden">: ${m.name}, ${date(m.meetsOn)}</span></button></li>`)}</ul>`
            : nothing
        }
        <form id="mdt-form" class="openptl-inline-form" ?hidden=${p.status !== 'open'} @submit=${onSubmit((form) => meetings && list(form, meetings))}>${select({ id: 'mdt-meeting', name: 'meeting', label: 'List for an MDT meeting', hint: `${label(p.tumourSite)} meetings first; meetings of the last 7 days take late additions`, options: (meetings ?? []).map((m) => [String(m.meetingId), meetingText(m)]), value: otherSite ? String(otherSite.meetingId) : '', choose: !meetings ? 'Loading…' : meetings.length ? 'Choose a meeting…' : 'No meetings to come: set one up on the MDT page' })}<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">${otherSite ? 'Yes, add to this meeting' : 'Add to meeting'}</button></form>
        ${
          otherSite
            ? html`<div class="nhsuk-warning-callout" id="mdt-other-site" role="alert" tabindex="-1"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Another tumour site's meeting</span></h3><p>${otherSite.name} is a ${label(otherSite.tumourSite)} meeting; this pathway is ${label(p.tumourSite)}. Select "Yes, add to this meeting" if the patient is to be discussed there.</p></div>`
            : nothing
        }`;
  };
  const show = () => box && render(forms(), box);
  /** @param {HTMLFormElement} form */
  const assign = async (form) => {
    const assignee = fieldValue(form, 'assignee') || null;
    const r = await api('POST', '/api/assignments', { pathwayIds: [p.pathwayId], assignee });
    if (r.ok) saved(assignee ? `Assigned to ${assignee}.` : 'No longer assigned to a tracker.', 'tracker-saved');
  };
  /** @param {HTMLFormElement} form @param {any[]} meetings */
  const list = async (form, meetings) => {
    const meeting = meetings.find((m) => String(m.meetingId) === fieldValue(form, 'meeting'));
    if (!meeting) return;
    if (meeting.tumourSite !== p.tumourSite && lists.otherSite?.meetingId !== meeting.meetingId) {
      lists.otherSite = meeting; // asks once: the same choice again confirms it
      show();
      return document.getElementById('mdt-other-site')?.focus();
    }
    const r = await api('POST', `/api/mdt/meetings/${meeting.meetingId}/patients`, { pathwayIds: [p.pathwayId] });
    if (r.ok) saved(`Listed for ${meeting.name}, ${date(meeting.meetsOn)}.`, 'tracker-saved');
  };
  /** @param {{ meetingId: number, name: string, meetsOn: string }} m */
  const takeOff = async (m) => {
    const r = await api('DELETE', `/api/mdt/meetings/${m.meetingId}/patients/${encodeURIComponent(p.pathwayId)}`);
    if (r.ok) saved(`Taken off ${m.name}, ${date(m.meetsOn)}.`, 'tracker-saved');
  };
  show();
  api('GET', '/api/assignees').then(({ body }) => {
    lists.assignees = body.assignees;
    show();
  });
  today()
    .then((day) => api('GET', `/api/mdt/meetings?from=${addDays(day, -7)}`))
    .then(({ body }) => {
      const listed = new Set(p.mdtMeetings.map((m) => m.meetingId));
      const open = body.meetings.filter((/** @type {any} */ m) => !listed.has(m.meetingId));
      const own = (/** @type {any} */ m) => (m.tumourSite === p.tumourSite ? 0 : 1);
      lists.meetings = open.sort(
        (/** @type {any} */ a, /** @type {any} */ b) => own(a) - own(b) || a.meetsOn.localeCompare(b.meetsOn),
      );
      show();
    });
}
