// @ts-check
// MDT meetings for the coordinator: the meetings (set one up: a tumour site, a date, a name), the
// patients awaiting MDT (tests reported, no MDT since) to list for one, and a meeting's page: the
// list that prints, and an outcome grid recording each patient's structured outcome in one pass,
// one save per row (an mdt_discussed event dated the meeting day), with the next event (decision
// to treat, diagnosis told, onward referral, transfer) recorded from the same row.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, can, vocabulary } from './api.js';
import { today } from './live.js';
import { date, daysBadge, draw, eventLabel, label, nhsNumber, sentence, stageLabel } from './format.js';
import {
  choices,
  confirm,
  dateInput,
  errorSummary,
  fieldValue,
  onSubmit,
  readDate,
  select,
  showProblem,
  textInput,
} from './forms.js';
import { eventForm } from './event-form.js';

const main = document.getElementById('main');
/** What a coordinator records next from the MDT's row. */
const NEXT_EVENTS = ['decision_to_treat', 'diagnosis_communicated', 'referred_onward', 'transferred'];

/**
 * @param {URLSearchParams} params
 * @param {{ errors?: Record<string, string>, values?: { tumourSite: string, meetsOn: string, name: string } }} after
 *   the new-meeting form again, with its refusals and what was typed
 */
export async function showMdt(params, after = {}) {
  document.title = 'MDT – OpenPTL';
  const { tumourSites } = await vocabulary();
  const day = await today();
  const site = params.get('tumourSite') ?? '';
  const [{ body: meetings }, { body: awaiting }] = await Promise.all([
    api('GET', `/api/mdt/meetings?from=${day.slice(0, 8)}01`),
    api('GET', `/api/mdt/awaiting${site ? `?tumourSite=${encodeURIComponent(site)}` : ''}`),
  ]);
  /** @type {any[]} this month's and later meetings */
  const listed = meetings.meetings;
  /** @type {any[]} */
  const waiting = awaiting.entries;
  const upcoming = listed.filter((m) => m.meetsOn >= day);
  const tracker = can('mdt'); // MDT coordinators, trackers and admins
  const errors = after.errors ?? {};
  const v = after.values ?? { tumourSite: site, meetsOn: '', name: '' };
  const sites = choices(tumourSites);
  const setUp = async (/** @type {HTMLFormElement} */ form) => {
    const values = { tumourSite: fieldValue(form, 'tumourSite'), name: fieldValue(form, 'name') };
    const meetsOn = readDate(form, 'meetsOn');
    /** @type {Record<string, string>} */
    const found = {};
    if (!values.tumourSite) found.tumourSite = 'Choose the tumour site';
    if (typeof meetsOn === 'object') found.meetsOn = sentence('The date of the meeting', meetsOn.problem);
    else if (!meetsOn) found.meetsOn = 'Enter the date of the meeting';
    if (!values.name) found.name = 'Enter a name for the meeting';
    if (typeof meetsOn === 'object' || Object.keys(found).length)
      return showMdt(params, {
        errors: found,
        values: { ...values, meetsOn: typeof meetsOn === 'string' ? meetsOn : '' },
      });
    const r = await api('POST', '/api/mdt/meetings', { ...values, meetsOn });
    if (!r.ok)
      return showMdt(params, { errors: { name: sentence('', r.body?.message) }, values: { ...values, meetsOn } });
    await showMdt(params);
    confirm(document.getElementById('confirmation'), `${r.body.name} set up for ${date(r.body.meetsOn)}.`);
  };
  const listFor = async (/** @type {HTMLFormElement} */ form) => {
    const ids = new FormData(form).getAll('pathway');
    const meetingId = fieldValue(form, 'meeting');
    if (!ids.length || !meetingId)
      return showProblem(
        document.getElementById('confirmation'),
        ids.length ? 'Choose the meeting to add them to.' : 'Select the patients to add first.',
        'list-error',
      );
    const r = await api('POST', `/api/mdt/meetings/${meetingId}/patients`, { pathwayIds: ids });
    if (!r.ok) return;
    await showMdt(params);
    confirm(
      document.getElementById('confirmation'),
      `${r.body.added} ${r.body.added === 1 ? 'patient' : 'patients'} added to ${r.body.meeting.name}, ${date(r.body.meeting.meetsOn)}: ${r.body.meeting.patients} listed.`,
    );
  };
  draw(
    main,
    html`
    <h1 tabindex="-1">MDT meetings</h1>
    <div id="confirmation"></div>
    <div class="openptl-grid">
      <div>
        <table class="nhsuk-table openptl-compact" id="meetings"><caption class="nhsuk-table__caption">This month's and coming meetings</caption>
          <thead class="nhsuk-table__head"><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Tumour site</th><th scope="col" class="nhsuk-table__header--numeric">Patients</th></tr></thead>
          <tbody>${
            listed.length
              ? listed.map(
                  (m) =>
                    html`<tr class="nhsuk-table__row" data-meeting="${m.meetingId}"><td class="openptl-nowrap">${date(m.meetsOn)}</td><td><a href="#/mdt/${m.meetingId}">${m.name}</a></td><td>${label(m.tumourSite)}</td><td class="nhsuk-table__cell--numeric">${m.patients}</td></tr>`,
                )
              : html`<tr><td colspan="4">No meetings this month yet.</td></tr>`
          }</tbody></table>
      </div>
      ${
        tracker
          ? html`<form id="new-meeting" class="nhsuk-card" novalidate @submit=${onSubmit(setUp)}><div class="nhsuk-card__content"><h2 class="nhsuk-card__heading">Set up a meeting</h2>
        ${errorSummary(
          Object.entries(errors).map(([k, t]) => [k === 'meetsOn' ? 'm-meetsOn-day' : `m-${k}`, t]),
          'meeting-errors',
        )}
        ${select({ id: 'm-tumourSite', name: 'tumourSite', label: 'Tumour site', options: sites, value: v.tumourSite, error: errors.tumourSite })}
        ${dateInput({ id: 'm-meetsOn', name: 'meetsOn', label: 'Date of the meeting', value: v.meetsOn, error: errors.meetsOn })}
        ${textInput({ id: 'm-name', name: 'name', label: 'Name', hint: 'For example, Lung MDT (Tuesday)', value: v.name, error: errors.name })}
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">Set up meeting</button></div></form>`
          : nothing
      }
    </div>
    <h2 id="awaiting-heading">Awaiting MDT <span class="nhsuk-caption-m">tests reported, no MDT since</span></h2>
    <form id="awaiting-filter" class="openptl-filters" @submit=${onSubmit((form) => {
      const s = fieldValue(form, 'tumourSite');
      location.hash = s ? `#/mdt?tumourSite=${encodeURIComponent(s)}` : '#/mdt';
    })}>${select({ id: 'a-site', name: 'tumourSite', label: 'Tumour site', options: sites, value: site, choose: 'All' })}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Show</button></form>
    <form id="list-for" @submit=${onSubmit(listFor)}>
    <table class="nhsuk-table openptl-compact" id="awaiting"><caption class="nhsuk-u-visually-hidden">Patients awaiting MDT, longest waiting first</caption>
      <thead class="nhsuk-table__head"><tr>${tracker ? html`<th scope="col"><span class="nhsuk-u-visually-hidden">Select</span></th>` : nothing}<th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Stage</th><th scope="col">Tests reported since</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Listed for</th></tr></thead>
      <tbody>${
        waiting.length
          ? waiting.map(
              (
                e,
              ) => html`<tr class="nhsuk-table__row" data-pathway="${e.pathwayId}">${tracker ? html`<td><input type="checkbox" name="pathway" value="${e.pathwayId}" aria-label="Select ${e.patientName ?? e.pathwayId}"></td>` : nothing}
        <td><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${e.patientName ?? 'Name not recorded'}</a></td><td class="openptl-nowrap">${nhsNumber(e.nhsNumber)}</td><td>${label(e.tumourSite)}</td><td>${stageLabel(e.stage)}</td>
        <td class="openptl-nowrap">${date(e.testsReportedSince)}</td><td class="nhsuk-table__cell--numeric">${daysBadge(e.daysWaiting)}</td><td>${e.listedFor.map((/** @type {any} */ m, /** @type {number} */ k) => html`${k ? ', ' : ''}<a href="#/mdt/${m.meetingId}">${`${m.name}, ${date(m.meetsOn)}`}</a>`)}</td></tr>`,
            )
          : html`<tr><td colspan="${tracker ? 8 : 7}">No patients are waiting for MDT${site ? ' at this site' : ''}.</td></tr>`
      }</tbody></table>
    ${
      tracker
        ? html`<div class="openptl-inline-form">${select({ id: 'list-meeting', name: 'meeting', label: 'Add the selected patients to', options: upcoming.map((m) => [String(m.meetingId), `${m.name}, ${date(m.meetsOn)} (${label(m.tumourSite)})`]), choose: upcoming.length ? 'Choose a meeting…' : 'No meetings to come: set one up first' })}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Add to meeting</button></div>`
        : nothing
    }
    </form>`,
  );
  if (!after.errors) main?.querySelector('h1')?.focus();
  else document.getElementById('meeting-errors')?.focus();
}

/** @param {string} meetingId */
export async function showMeeting(meetingId) {
  const { status, body } = await api('GET', `/api/mdt/meetings/${encodeURIComponent(meetingId)}`);
  if (status !== 200) {
    draw(main, html`<h1 tabindex="-1">Meeting not found</h1><p><a href="#/mdt">MDT meetings</a></p>`);
    return;
  }
  const { trustName, mdtDecisions, tumourSites } = await vocabulary();
  /** @type {{ meeting: any, patients: any[] }} */
  const { meeting, patients } = body;
  // issue #28: later meetings a patient not discussed can be deferred to
  const later = (await api('GET', `/api/mdt/meetings?from=${body.asOf}`)).body.meetings.filter(
    (/** @type {any} */ m) => m.meetingId !== meeting.meetingId,
  );
  document.title = `${meeting.name}, ${date(meeting.meetsOn)} – OpenPTL`;
  const tracker = can('mdt');
  const held = meeting.meetsOn <= body.asOf;
  draw(
    main,
    html`
    <div class="openptl-print-header"><span>${trustName ?? ''}</span><span>${meeting.name}, ${date(meeting.meetsOn)}: patient list</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <a class="nhsuk-back-link" href="#/mdt">MDT meetings</a>
    <div class="openptl-list-head"><h1 tabindex="-1">${meeting.name} <span class="nhsuk-caption-m">${date(meeting.meetsOn)} · ${label(meeting.tumourSite)} · ${patients.length} ${patients.length === 1 ? 'patient' : 'patients'}</span></h1>
      <div class="openptl-actions"><button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" id="print" @click=${() => window.print()}>Print the list</button></div></div>
    <div id="meeting-saved"></div>
    ${
      tracker && held
        ? html`<div class="openptl-pair openptl-print-hide" id="meeting-people">${textInput({ id: 'mdt-lead', name: 'leadClinician', label: 'Lead clinician', hint: 'Recorded with each outcome saved', width: 20 })}${textInput({ id: 'mdt-attendees', name: 'attendees', label: 'Attendees', hint: 'Who was there, in a line', width: 30 })}</div>`
        : nothing
    }
    ${tracker && !held ? html`<p class="nhsuk-body-s">Outcomes can be recorded from ${date(meeting.meetsOn)}, the day of the meeting.</p>` : nothing}
    <table class="nhsuk-table openptl-compact openptl-meeting" id="meeting"><caption class="nhsuk-u-visually-hidden">Patients for discussion, with the outcome for each</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">Stage</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Breach date</th><th scope="col">Tests reported since</th><th scope="col">Latest comment</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${patients.map(
        (p, i) => html`<tr class="nhsuk-table__row" data-pathway="${p.pathwayId}" data-row="${i}">
        <td><a href="#/pathway/${encodeURIComponent(p.pathwayId)}">${p.patientName ?? 'Name not recorded'}</a><br><span class="openptl-nowrap">${nhsNumber(p.nhsNumber)}</span><br><span class="nhsuk-u-secondary-text-color">born ${date(p.dateOfBirth)}</span>${tracker && !p.outcome ? html`<br><button type="button" class="openptl-link-action openptl-print-hide" data-take-off="${p.pathwayId}" @click=${() => takeOff(meeting, p)}>Take off this list<span class="nhsuk-u-visually-hidden">: ${p.patientName ?? nhsNumber(p.nhsNumber)}</span></button>` : nothing}</td>
        <td id="stage-${i}">${stageLabel(p.stage)}</td><td class="nhsuk-table__cell--numeric">${daysBadge(p.daysWaiting)}</td><td class="openptl-nowrap">${date(p.breachDate)}</td><td class="openptl-nowrap">${date(p.testsReportedSince)}</td>
        <td class="openptl-wrap">${p.comment?.text ?? ''}</td><td class="openptl-outcome-cell" id="outcome-${i}"></td></tr>`,
      )}</tbody></table>`,
  );
  patients.forEach((p, i) =>
    outcomeCell(meeting, p, i, { tracker, held, mdtDecisions, tumourSites, later, trustName }),
  );
  main?.querySelector('h1')?.focus();
}

/**
 * Takes a patient off the meeting's list (issue #28): nothing is recorded on the pathway; the list
 * is drawn again and says so.
 * @param {any} meeting
 * @param {any} p
 */
async function takeOff(meeting, p) {
  const r = await api('DELETE', `/api/mdt/meetings/${meeting.meetingId}/patients/${encodeURIComponent(p.pathwayId)}`);
  await showMeeting(String(meeting.meetingId));
  if (r.ok)
    confirm(
      document.getElementById('meeting-saved'),
      `${p.patientName ?? nhsNumber(p.nhsNumber)} taken off the list of ${meeting.name}, ${date(meeting.meetsOn)}.`,
    );
}

/**
 * One row of the grid: the outcome to choose and save, or the outcome recorded and the next events.
 * @typedef {{ tracker: boolean, held: boolean, mdtDecisions: string[], tumourSites: string[], later: any[], trustName?: string | null }} Grid
 * @param {any} meeting
 * @param {any} p the row's patient, as GET /api/mdt/meetings/{id} lists them
 * @param {number} i
 * @param {Grid} ctx
 */
function outcomeCell(meeting, p, i, ctx, error = '', saved = '') {
  const cell = document.getElementById(`outcome-${i}`);
  const who = p.patientName ?? nhsNumber(p.nhsNumber);
  if (p.outcome) {
    const next = NEXT_EVENTS.filter((t) => p.allowedEvents.includes(t));
    /** @param {string} type */
    const record = (type) =>
      eventForm(document.getElementById(`next-${i}`), {
        pathway: { pathwayId: p.pathwayId, version: p.version, unusual: p.unusual },
        type,
        prefix: `next-${i}`,
        onSaved: async (_r, event) => refreshRow(meeting, p, i, ctx, `${eventLabel(event.type)}, ${date(event.on)}.`),
      });
    draw(
      cell,
      html`<div class="openptl-print-hide"><p class="openptl-outcome-saved" id="status-${i}" tabindex="-1"><strong>${outcomeWords(p.outcome)}</strong>${p.outcome.comment ? `: ${p.outcome.comment}` : ''}${saved ? html` <span class="nhsuk-tag nhsuk-tag--green">Saved</span>` : nothing}</p>
      ${recordedDetails(p.outcome)}
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-summary-of="${p.pathwayId}" @click=${() => outcomeSummary(meeting, p, ctx)}>Outcome summary to print<span class="nhsuk-u-visually-hidden">: ${who}</span></button>
      ${ctx.tracker && next.length ? html`<div class="openptl-events">${next.map((t) => html`<button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-next="${t}" aria-label="${`${eventLabel(t)} for ${who}`}" @click=${() => record(t)}>${eventLabel(t)}</button>`)}</div><div id="next-${i}"></div>` : nothing}</div>
      <span class="openptl-print-only">${label(p.outcome.decision ?? '')}</span>`,
    );
    if (saved) document.getElementById(`status-${i}`)?.focus();
    return;
  }
  if (!ctx.tracker || !ctx.held) {
    draw(
      cell,
      html`<span class="openptl-print-only openptl-write-in"></span><span class="openptl-print-hide nhsuk-u-secondary-text-color">Not recorded yet</span>`,
    );
    return;
  }
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    const decision = fieldValue(form, 'decision');
    if (!decision) {
      outcomeCell(meeting, p, i, ctx, 'Choose the outcome');
      return document.getElementById(`out-${i}-0`)?.focus();
    }
    const comment = fieldValue(form, 'comment');
    // issue #28: the stage and histology in words, the site referred to; the meeting's lead clinician and attendees
    const people = /** @type {HTMLInputElement | null} */ (document.getElementById('mdt-lead'))?.value.trim();
    const attendees = /** @type {HTMLInputElement | null} */ (document.getElementById('mdt-attendees'))?.value.trim();
    /** @type {Record<string, string>} */
    const recorded = {};
    for (const k of ['stage', 'histology', 'referredToSite'])
      if (fieldValue(form, k)) recorded[k] = fieldValue(form, k);
    if (people) recorded.leadClinician = people;
    if (attendees) recorded.attendees = attendees;
    if (recorded.referredToSite && decision !== 'refer_to_another_site') delete recorded.referredToSite;
    if (decision === 'refer_to_another_site' && !recorded.referredToSite) {
      outcomeCell(meeting, p, i, ctx, 'Choose the tumour site referred to');
      return document.getElementById(`out-${i}-referredToSite`)?.focus();
    }
    const r = await api('POST', `/api/mdt/meetings/${meeting.meetingId}/outcomes`, {
      pathwayId: p.pathwayId,
      expectedVersion: p.version,
      decision,
      ...(comment ? { comment } : {}),
      ...recorded,
    });
    if (r.ok || r.body?.error === 'mdt_outcome_recorded' || r.body?.error === 'stale_version')
      return refreshRow(
        meeting,
        p,
        i,
        ctx,
        r.ok ? `${label(decision)} saved for ${who}.` : '',
        r.ok ? '' : sentence('', r.body.message),
      );
    outcomeCell(meeting, p, i, ctx, sentence('', r.body?.message ?? `The server refused this (${r.status})`));
    document.getElementById(`out-${i}-0`)?.focus();
  };
  draw(
    cell,
    html`<span class="openptl-print-only openptl-write-in"></span><form class="openptl-outcome" id="outcome-form-${i}" novalidate @submit=${onSubmit(submit)}>
    <fieldset class="nhsuk-fieldset" aria-describedby=${error ? `out-${i}-error` : nothing}><legend class="nhsuk-fieldset__legend nhsuk-u-visually-hidden">MDT outcome for ${who}</legend>
      ${error ? html`<span class="nhsuk-error-message" id="out-${i}-error" role="alert"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : nothing}
      <div class="nhsuk-radios nhsuk-radios--small openptl-outcome-choices">${ctx.mdtDecisions.map((d, k) => html`<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="out-${i}-${k}" name="decision" type="radio" value="${d}"><label class="nhsuk-label nhsuk-radios__label" for="out-${i}-${k}">${label(d)}</label></div>`)}</div>
    </fieldset>
    <div class="openptl-outcome-line"><label class="nhsuk-label nhsuk-u-visually-hidden" for="out-${i}-comment">What the MDT said, for ${who} (optional)</label>
      <input class="nhsuk-input" id="out-${i}-comment" name="comment" type="text" maxlength="200" placeholder="What the MDT said (optional)">
      <button class="nhsuk-button nhsuk-button--small" type="submit" aria-label="Save the outcome for ${who}">Save</button></div>
    <div class="openptl-pair">${textInput({ id: `out-${i}-stage`, name: 'stage', label: `Stage, in words (optional)`, width: 10 })}${textInput({ id: `out-${i}-histology`, name: 'histology', label: 'Histology, in words (optional)', width: 20 })}
    ${select({ id: `out-${i}-referredToSite`, name: 'referredToSite', label: 'Referred to (refer to another site)', options: choices(ctx.tumourSites), choose: 'Not referred' })}</div></form>
    ${deferForm(meeting, p, i, ctx)}`,
  );
}

/**
 * Not discussed (issue #28): the patient is taken off this list and listed for a later meeting;
 * nothing is recorded on the pathway.
 * @param {any} meeting
 * @param {any} p
 * @param {number} i
 * @param {Grid} ctx
 */
function deferForm(meeting, p, i, ctx) {
  if (!ctx.later.length) return nothing;
  const defer = async (/** @type {HTMLFormElement} */ form) => {
    const to = ctx.later.find((m) => String(m.meetingId) === fieldValue(form, 'to'));
    if (!to) return;
    const r = await api(
      'POST',
      `/api/mdt/meetings/${meeting.meetingId}/patients/${encodeURIComponent(p.pathwayId)}/defer`,
      {
        toMeetingId: to.meetingId,
      },
    );
    await showMeeting(String(meeting.meetingId));
    if (r.ok)
      confirm(
        document.getElementById('meeting-saved'),
        `${p.patientName ?? nhsNumber(p.nhsNumber)} not discussed: deferred to ${to.name}, ${date(to.meetsOn)}.`,
      );
  };
  return html`<form class="openptl-inline-form openptl-print-hide" id="defer-${i}" @submit=${onSubmit(defer)}>${select({ id: `defer-${i}-to`, name: 'to', label: 'Not discussed: defer to', options: ctx.later.map((m) => [String(m.meetingId), `${m.name}, ${date(m.meetsOn)} (${label(m.tumourSite)})`]), choose: 'Choose a meeting…' })}<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Defer</button></form>`;
}

/**
 * An outcome's decision in words; "refer to another site" names the site.
 * @param {any} o
 */
const outcomeWords = (o) =>
  o.decision === 'refer_to_another_site' && o.referredToSite
    ? `Refer to another site: ${label(o.referredToSite)}`
    : label(o.decision ?? 'recorded');

/** What else the MDT recorded, in words. @param {any} o */
function recordedDetails(o) {
  const rows = [
    ['Stage', o.stage],
    ['Histology', o.histology],
    ['Lead clinician', o.leadClinician],
  ].filter(([, v]) => v);
  return rows.length
    ? html`<p class="nhsuk-body-s openptl-recorded-details">${rows.map(([k, v]) => `${k}: ${v}`).join('; ')}</p>`
    : nothing;
}

/**
 * The outcome summary for one patient (issue #28), to print: the letter to the GP is made from what
 * the MDT recorded. Drawn in place of the meeting; "Back to the meeting" returns to it.
 * @param {any} meeting
 * @param {any} p
 * @param {Grid} ctx
 */
function outcomeSummary(meeting, p, ctx) {
  const o = p.outcome;
  const rows = [
    ['Patient', p.patientName ?? 'Name not recorded'],
    ['NHS number', nhsNumber(p.nhsNumber)],
    ['Date of birth', date(p.dateOfBirth)],
    ['Meeting', `${meeting.name}, ${date(meeting.meetsOn)} (${label(meeting.tumourSite)})`],
    ['Lead clinician', o.leadClinician],
    ['Attendees', o.attendees],
    ['Outcome', outcomeWords(o)],
    ['Stage', o.stage],
    ['Histology', o.histology],
    ['What the MDT said', o.comment],
  ];
  document.title = `MDT outcome: ${p.patientName ?? 'patient'} – OpenPTL`;
  draw(
    main,
    html`<div class="openptl-print-header"><span>${ctx.trustName ?? ''}</span><span>MDT outcome summary</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <a class="nhsuk-back-link openptl-print-hide" href="#/mdt/${meeting.meetingId}" @click=${(
      /** @type {Event} */ e,
    ) => {
      e.preventDefault();
      showMeeting(String(meeting.meetingId));
    }}>Back to the meeting</a>
    <h1 tabindex="-1" id="summary-heading">MDT outcome: ${p.patientName ?? nhsNumber(p.nhsNumber)}</h1>
    <dl class="nhsuk-summary-list" id="outcome-summary">${rows.map(([k, v]) => html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value">${v || 'Not recorded'}</dd></div>`)}</dl>
    <button class="nhsuk-button openptl-print-hide" type="button" id="print-summary" @click=${() => window.print()}>Print</button>`,
  );
  document.getElementById('summary-heading')?.focus();
}

/**
 * The row again from the server (its version, outcome and allowed events have moved on).
 * @param {any} meeting
 * @param {any} p
 * @param {number} i
 * @param {Grid} ctx
 * @param {string} saved
 */
async function refreshRow(meeting, p, i, ctx, saved, error = '') {
  const { body } = await api('GET', `/api/mdt/meetings/${meeting.meetingId}`);
  /** @type {any[]} */
  const patients = body.patients;
  const fresh = patients.find((x) => x.pathwayId === p.pathwayId) ?? p;
  const stage = document.getElementById(`stage-${i}`);
  if (stage) stage.textContent = stageLabel(fresh.stage);
  outcomeCell(meeting, fresh, i, ctx, error, saved);
  if (error) document.getElementById(`status-${i}`)?.focus();
}
