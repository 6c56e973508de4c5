// MDT meetings for the coordinator: the meetings (set one up: a tumour site, a date, a name), the
// patients awaiting MDT (tests reported, no MDT since) to list for one, and a meeting's page: the
// list that prints, and an outcome grid recording each patient's structured outcome in one pass,
// one save per row (an mdt_discussed event dated the meeting day), with the next event (decision
// to treat, diagnosis told, onward referral, transfer) recorded from the same row.
import { api, canRecord, vocabulary } from './api.js';
import { today } from './live.js';
import { date, daysBadge, esc, eventLabel, label, nhsNumber, sentence, stageLabel } from './format.js';
import { confirm, dateInput, errorSummary, readDate, select, textInput, wireErrorLinks } from './forms.js';
import { eventForm } from './event-form.js';

const main = document.getElementById('main');
/** What a coordinator records next from the MDT's row. */
const NEXT_EVENTS = ['decision_to_treat', 'diagnosis_communicated', 'referred_onward', 'transferred'];

export async function showMdt(params, after = {}) {
  document.title = 'MDT – OpenPTL';
  const { tumourSites } = await vocabulary();
  const day = await today();
  const site = params.get('tumourSite') ?? '';
  const [{ body: meetings }, { body: awaiting }] = await Promise.all([
    api('GET', `/api/mdt/meetings?from=${day.slice(0, 8)}01`),
    api('GET', `/api/mdt/awaiting${site ? `?tumourSite=${encodeURIComponent(site)}` : ''}`),
  ]);
  const upcoming = meetings.meetings.filter((m) => m.meetsOn >= day);
  const tracker = canRecord();
  const errors = after.errors ?? {};
  const v = after.values ?? { tumourSite: site, meetsOn: '', name: '' };
  main.innerHTML = `
    <h1 tabindex="-1">MDT meetings</h1>
    <div id="confirmation"></div>
    <div class="openptl-grid">
      <div>
        <table class="nhsuk-table openptl-compact" id="meetings"><caption class="nhsuk-table__caption">This month's and coming meetings</caption>
          <thead class="nhsuk-table__head"><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Tumour site</th><th scope="col" class="nhsuk-table__header--numeric">Patients</th></tr></thead>
          <tbody>${meetings.meetings.map((m) => `<tr class="nhsuk-table__row" data-meeting="${m.meetingId}"><td class="openptl-nowrap">${esc(date(m.meetsOn))}</td><td><a href="#/mdt/${m.meetingId}">${esc(m.name)}</a></td><td>${esc(label(m.tumourSite))}</td><td class="nhsuk-table__cell--numeric">${m.patients}</td></tr>`).join('') || '<tr><td colspan="4">No meetings this month yet.</td></tr>'}</tbody></table>
      </div>
      ${
        tracker
          ? `<form id="new-meeting" class="nhsuk-card" novalidate><div class="nhsuk-card__content"><h2 class="nhsuk-card__heading">Set up a meeting</h2>
        ${errorSummary(
          Object.entries(errors).map(([k, t]) => [k === 'meetsOn' ? 'm-meetsOn-day' : `m-${k}`, t]),
          'meeting-errors',
        )}
        ${select({ id: 'm-tumourSite', name: 'tumourSite', label: 'Tumour site', options: tumourSites.map((s) => [s, label(s)]), value: v.tumourSite, error: errors.tumourSite })}
        ${dateInput({ id: 'm-meetsOn', name: 'meetsOn', label: 'Date of the meeting', value: v.meetsOn, error: errors.meetsOn })}
        ${textInput({ id: 'm-name', name: 'name', label: 'Name', hint: 'For example, Lung MDT (Tuesday)', value: v.name, error: errors.name })}
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">Set up meeting</button></div></form>`
          : ''
      }
    </div>
    <h2 id="awaiting-heading">Awaiting MDT <span class="nhsuk-caption-m">tests reported, no MDT since</span></h2>
    <form id="awaiting-filter" class="openptl-filters">${select({ id: 'a-site', name: 'tumourSite', label: 'Tumour site', options: tumourSites.map((s) => [s, label(s)]), value: site, choose: 'All' })}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Show</button></form>
    <form id="list-for">
    <table class="nhsuk-table openptl-compact" id="awaiting"><caption class="nhsuk-u-visually-hidden">Patients awaiting MDT, longest waiting first</caption>
      <thead class="nhsuk-table__head"><tr>${tracker ? '<th scope="col"><span class="nhsuk-u-visually-hidden">Select</span></th>' : ''}<th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Stage</th><th scope="col">Tests reported since</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Listed for</th></tr></thead>
      <tbody>${
        awaiting.entries
          .map(
            (
              e,
            ) => `<tr class="nhsuk-table__row" data-pathway="${esc(e.pathwayId)}">${tracker ? `<td><input type="checkbox" name="pathway" value="${esc(e.pathwayId)}" aria-label="Select ${esc(e.patientName ?? e.pathwayId)}"></td>` : ''}
        <td><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.patientName ?? 'Name not recorded')}</a></td><td class="openptl-nowrap">${esc(nhsNumber(e.nhsNumber))}</td><td>${esc(label(e.tumourSite))}</td><td>${esc(stageLabel(e.stage))}</td>
        <td class="openptl-nowrap">${esc(date(e.testsReportedSince))}</td><td class="nhsuk-table__cell--numeric">${daysBadge(e.daysWaiting)}</td><td>${e.listedFor.map((m) => `<a href="#/mdt/${m.meetingId}">${esc(`${m.name}, ${date(m.meetsOn)}`)}</a>`).join(', ')}</td></tr>`,
          )
          .join('') ||
        `<tr><td colspan="${tracker ? 8 : 7}">No patients are waiting for MDT${site ? ' at this site' : ''}.</td></tr>`
      }</tbody></table>
    ${
      tracker
        ? `<div class="openptl-inline-form">${select({ id: 'list-meeting', name: 'meeting', label: 'Add the selected patients to', options: upcoming.map((m) => [String(m.meetingId), `${m.name}, ${date(m.meetsOn)} (${label(m.tumourSite)})`]), choose: upcoming.length ? 'Choose a meeting…' : 'No meetings to come: set one up first' })}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Add to meeting</button></div>`
        : ''
    }
    </form>`;
  wireErrorLinks(main);
  document.getElementById('awaiting-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    const s = new FormData(e.target).get('tumourSite');
    location.hash = s ? `#/mdt?tumourSite=${encodeURIComponent(s)}` : '#/mdt';
  });
  if (tracker) {
    document.getElementById('new-meeting').addEventListener('submit', async (e) => {
      e.preventDefault();
      const form = e.target;
      const values = {
        tumourSite: String(new FormData(form).get('tumourSite') ?? ''),
        name: String(new FormData(form).get('name') ?? '').trim(),
      };
      const meetsOn = readDate(form, 'meetsOn');
      const found = {};
      if (!values.tumourSite) found.tumourSite = 'Choose the tumour site';
      if (typeof meetsOn === 'object') found.meetsOn = sentence('The date of the meeting', meetsOn.problem);
      else if (!meetsOn) found.meetsOn = 'Enter the date of the meeting';
      if (!values.name) found.name = 'Enter a name for the meeting';
      if (Object.keys(found).length)
        return showMdt(params, {
          errors: found,
          values: { ...values, meetsOn: typeof meetsOn === 'string' ? meetsOn : '' },
        });
      const r = await api('POST', '/api/mdt/meetings', { ...values, meetsOn });
      if (!r.ok)
        return showMdt(params, { errors: { name: sentence('', r.body?.message) }, values: { ...values, meetsOn } });
      await showMdt(params);
      confirm(document.getElementById('confirmation'), `${r.body.name} set up for ${date(r.body.meetsOn)}.`);
    });
    document.getElementById('list-for').addEventListener('submit', async (e) => {
      e.preventDefault();
      const ids = [...e.target.querySelectorAll('input[name="pathway"]:checked')].map((c) => c.value);
      const meetingId = e.target.querySelector('#list-meeting').value;
      const where = document.getElementById('confirmation');
      if (!ids.length || !meetingId) {
        where.innerHTML = `<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="list-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${ids.length ? 'Choose the meeting to add them to.' : 'Select the patients to add first.'}</p></div>`;
        where.querySelector('#list-error').focus();
        return;
      }
      const r = await api('POST', `/api/mdt/meetings/${meetingId}/patients`, { pathwayIds: ids });
      if (!r.ok) return;
      await showMdt(params);
      confirm(
        document.getElementById('confirmation'),
        `${r.body.added} ${r.body.added === 1 ? 'patient' : 'patients'} added to ${r.body.meeting.name}, ${date(r.body.meeting.meetsOn)}: ${r.body.meeting.patients} listed.`,
      );
    });
  }
  if (!after.errors) main.querySelector('h1').focus();
  else main.querySelector('#meeting-errors')?.focus();
}

export async function showMeeting(meetingId) {
  const { status, body } = await api('GET', `/api/mdt/meetings/${encodeURIComponent(meetingId)}`);
  if (status !== 200) {
    main.innerHTML = '<h1 tabindex="-1">Meeting not found</h1><p><a href="#/mdt">MDT meetings</a></p>';
    return;
  }
  const { trustName, mdtDecisions } = await vocabulary();
  const { meeting, patients } = body;
  document.title = `${meeting.name}, ${date(meeting.meetsOn)} – OpenPTL`;
  const tracker = canRecord();
  const held = meeting.meetsOn <= body.asOf;
  main.innerHTML = `
    <div class="openptl-print-header"><span>${esc(trustName ?? '')}</span><span>${esc(meeting.name)}, ${esc(date(meeting.meetsOn))}: patient list</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <a class="nhsuk-back-link" href="#/mdt">MDT meetings</a>
    <div class="openptl-list-head"><h1 tabindex="-1">${esc(meeting.name)} <span class="nhsuk-caption-m">${esc(date(meeting.meetsOn))} · ${esc(label(meeting.tumourSite))} · ${patients.length} ${patients.length === 1 ? 'patient' : 'patients'}</span></h1>
      <div class="openptl-actions"><button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" id="print">Print the list</button></div></div>
    ${tracker && !held ? `<p class="nhsuk-body-s">Outcomes can be recorded from ${esc(date(meeting.meetsOn))}, the day of the meeting.</p>` : ''}
    <table class="nhsuk-table openptl-compact openptl-meeting" id="meeting"><caption class="nhsuk-u-visually-hidden">Patients for discussion, with the outcome for each</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">Stage</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Breach date</th><th scope="col">Tests reported since</th><th scope="col">Latest comment</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${patients
        .map(
          (p, i) => `<tr class="nhsuk-table__row" data-pathway="${esc(p.pathwayId)}" data-row="${i}">
        <td><a href="#/pathway/${encodeURIComponent(p.pathwayId)}">${esc(p.patientName ?? 'Name not recorded')}</a><br><span class="openptl-nowrap">${esc(nhsNumber(p.nhsNumber))}</span><br><span class="nhsuk-u-secondary-text-color">born ${esc(date(p.dateOfBirth))}</span></td>
        <td id="stage-${i}">${esc(stageLabel(p.stage))}</td><td class="nhsuk-table__cell--numeric">${daysBadge(p.daysWaiting)}</td><td class="openptl-nowrap">${esc(date(p.breachDate))}</td><td class="openptl-nowrap">${esc(date(p.testsReportedSince))}</td>
        <td class="openptl-wrap">${esc(p.comment?.text ?? '')}</td><td class="openptl-outcome-cell" id="outcome-${i}"></td></tr>`,
        )
        .join('')}</tbody></table>`;
  document.getElementById('print').addEventListener('click', () => window.print());
  patients.forEach((p, i) => outcomeCell(meeting, p, i, { tracker, held, mdtDecisions }));
  main.querySelector('h1').focus();
}

/** One row of the grid: the outcome to choose and save, or the outcome recorded and the next events. */
function outcomeCell(meeting, p, i, ctx, error = '', saved = '') {
  const cell = document.getElementById(`outcome-${i}`);
  const who = p.patientName ?? nhsNumber(p.nhsNumber);
  if (p.outcome) {
    const next = NEXT_EVENTS.filter((t) => p.allowedEvents.includes(t));
    cell.innerHTML = `<div class="openptl-print-hide"><p class="openptl-outcome-saved" id="status-${i}" tabindex="-1"><strong>${esc(label(p.outcome.decision ?? 'recorded'))}</strong>${p.outcome.comment ? `: ${esc(p.outcome.comment)}` : ''}${saved ? ' <span class="nhsuk-tag nhsuk-tag--green">Saved</span>' : ''}</p>
      ${ctx.tracker && next.length ? `<div class="openptl-events">${next.map((t) => `<button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-next="${t}" aria-label="${esc(`${eventLabel(t)} for ${who}`)}">${esc(eventLabel(t))}</button>`).join('')}</div><div id="next-${i}"></div>` : ''}</div>
      <span class="openptl-print-only">${esc(label(p.outcome.decision ?? ''))}</span>`;
    for (const b of cell.querySelectorAll('[data-next]')) {
      b.addEventListener('click', () =>
        eventForm(document.getElementById(`next-${i}`), {
          pathway: { pathwayId: p.pathwayId, version: p.version, unusual: p.unusual },
          type: b.dataset.next,
          prefix: `next-${i}`,
          onSaved: async (_r, event) => refreshRow(meeting, p, i, ctx, `${eventLabel(event.type)}, ${date(event.on)}.`),
        }),
      );
    }
    if (saved) cell.querySelector(`#status-${i}`).focus();
    return;
  }
  if (!ctx.tracker || !ctx.held) {
    cell.innerHTML =
      '<span class="openptl-print-only openptl-write-in"></span><span class="openptl-print-hide nhsuk-u-secondary-text-color">Not recorded yet</span>';
    return;
  }
  cell.innerHTML = `<span class="openptl-print-only openptl-write-in"></span><form class="openptl-outcome" id="outcome-form-${i}" novalidate>
    <fieldset class="nhsuk-fieldset" ${error ? `aria-describedby="out-${i}-error"` : ''}><legend class="nhsuk-fieldset__legend nhsuk-u-visually-hidden">MDT outcome for ${esc(who)}</legend>
      ${error ? `<span class="nhsuk-error-message" id="out-${i}-error" role="alert"><span class="nhsuk-u-visually-hidden">Error:</span> ${esc(error)}</span>` : ''}
      <div class="nhsuk-radios nhsuk-radios--small openptl-outcome-choices">${ctx.mdtDecisions.map((d, k) => `<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="out-${i}-${k}" name="decision" type="radio" value="${d}"><label class="nhsuk-label nhsuk-radios__label" for="out-${i}-${k}">${esc(label(d))}</label></div>`).join('')}</div>
    </fieldset>
    <div class="openptl-outcome-line"><label class="nhsuk-label nhsuk-u-visually-hidden" for="out-${i}-comment">What the MDT said, for ${esc(who)} (optional)</label>
      <input class="nhsuk-input" id="out-${i}-comment" name="comment" type="text" maxlength="200" placeholder="What the MDT said (optional)">
      <button class="nhsuk-button nhsuk-button--small" type="submit" aria-label="Save the outcome for ${esc(who)}">Save</button></div></form>`;
  cell.querySelector('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const decision = data.get('decision');
    if (!decision)
      return (outcomeCell(meeting, p, i, ctx, 'Choose the outcome'), document.getElementById(`out-${i}-0`).focus());
    const comment = String(data.get('comment') ?? '').trim();
    const r = await api('POST', `/api/mdt/meetings/${meeting.meetingId}/outcomes`, {
      pathwayId: p.pathwayId,
      expectedVersion: p.version,
      decision,
      ...(comment ? { comment } : {}),
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
  });
}

/** The row again from the server (its version, outcome and allowed events have moved on). */
async function refreshRow(meeting, p, i, ctx, saved, error = '') {
  const { body } = await api('GET', `/api/mdt/meetings/${meeting.meetingId}`);
  const fresh = body.patients.find((x) => x.pathwayId === p.pathwayId) ?? p;
  document.getElementById(`stage-${i}`).textContent = stageLabel(fresh.stage);
  outcomeCell(meeting, fresh, i, ctx, error, saved);
  if (error) document.getElementById(`status-${i}`)?.focus();
}
