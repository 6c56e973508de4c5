// @ts-check
// Timed pathways (issue #26): where the days go. Per timed pathway (prostate first), over the last
// 4 or 12 weeks, each milestone's patients met on time, met late and late (each number a link to
// the patients behind it), the days each step took (median and 90th percentile) against the days
// allowed, and the step that adds the most days; the definitions in force and where each day
// comes from; and FIT for lower GI referrals: the weekly shares and the referrals to review.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api } from './api.js';
import { date, draw, focusFirst, label, milestoneTag, nhsNumber, percent } from './format.js';

const main = document.getElementById('main');

/** @param {URLSearchParams} params */
export async function showTimedPathways(params) {
  document.title = 'Timed pathways – OpenPTL';
  const weeks = params.get('weeks') === '12' ? '12' : '4';
  const [{ body: stats }, { body: fit }] = await Promise.all([
    api('GET', `/api/timed-pathways?weeks=${weeks}`),
    api('GET', '/api/timed-pathways/fit?weeks=12'),
  ]);
  if (!stats?.pathways || !fit?.weeks) return;
  /** @param {string} w @param {string} text */
  const period = (w, text) =>
    html`<a class="openptl-view" href="#/timed?weeks=${w}" aria-current=${w === weeks ? 'page' : nothing}>${text}</a>`;
  const definitions = new Map(stats.definitions.map((/** @type {any} */ d) => [d.pathway, d]));
  draw(
    main,
    html`
    <h1 tabindex="-1">Timed pathways</h1>
    <p class="nhsuk-body-s">Milestones due from ${date(stats.from)} to ${date(stats.to)}, as recorded by now. Each step runs from the milestone before (or the referral); a patient still waiting counts with the days so far. Select a number to see the patients behind it.</p>
    <nav class="openptl-views" aria-label="Period">${period('4', 'Last 4 weeks')}${period('12', 'Last 12 weeks')}</nav>
    ${stats.pathways.map((/** @type {any} */ p) => pathwayTable(p, definitions.get(p.pathway), weeks))}
    ${fitSection(fit)}`,
  );
  focusFirst(main, 'h1');
}

/**
 * One timed pathway: its steps, and the definition's sources.
 * @param {any} p
 * @param {any} definition
 * @param {string} weeks
 */
function pathwayTable(p, definition, weeks) {
  /** @param {number} n @param {string} milestone @param {string} outcome */
  const patients = (n, milestone, outcome) =>
    n
      ? html`<a href="#/timed/patients?${new URLSearchParams({ weeks, pathway: p.pathway, milestone, outcome })}" aria-label="${n} patients ${label(outcome).toLowerCase()}: ${milestone}">${n}</a>`
      : '0';
  return html`<section class="openptl-timed" data-pathway="${p.pathway}">
    <h2>${p.label} <span class="nhsuk-caption-m">${p.patients} patients</span></h2>
    ${
      p.slowestStep
        ? html`<p class="openptl-slowest" data-slowest="${p.slowestStep}">The step that adds the most days: <strong>${p.slowestStep}</strong>.</p>`
        : nothing
    }
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact"><caption class="nhsuk-u-visually-hidden">${p.label}: milestones due in the period</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Milestone</th><th scope="col" class="nhsuk-table__header--numeric">Due by day</th><th scope="col" class="nhsuk-table__header--numeric">Due</th><th scope="col" class="nhsuk-table__header--numeric">Met on time</th><th scope="col" class="nhsuk-table__header--numeric">Met late</th><th scope="col" class="nhsuk-table__header--numeric">Late</th><th scope="col" class="nhsuk-table__header--numeric">Step: days allowed</th><th scope="col" class="nhsuk-table__header--numeric">Median days</th><th scope="col" class="nhsuk-table__header--numeric">90th percentile</th><th scope="col" class="nhsuk-table__header--numeric">Days beyond</th></tr></thead>
      <tbody>${p.steps.map(
        (/** @type {any} */ s) =>
          html`<tr data-step="${s.name}"><th scope="row">${s.name}</th><td class="nhsuk-table__cell--numeric">${s.day}</td><td class="nhsuk-table__cell--numeric">${s.due}</td>
          <td class="nhsuk-table__cell--numeric">${patients(s.met, s.name, 'met')} <span class="openptl-share">${percent(s.metShare)}</span></td>
          <td class="nhsuk-table__cell--numeric">${patients(s.metLate, s.name, 'met_late')}</td><td class="nhsuk-table__cell--numeric">${patients(s.late, s.name, 'late')}</td>
          <td class="nhsuk-table__cell--numeric">${s.allowed}</td><td class="nhsuk-table__cell--numeric">${s.medianDays ?? '–'}</td><td class="nhsuk-table__cell--numeric">${s.p90Days ?? '–'}</td><td class="nhsuk-table__cell--numeric">${s.daysBeyond}</td></tr>`,
      )}</tbody></table></div>
    ${
      definition
        ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Where the days come from</span></summary><div class="nhsuk-details__text"><ul>${definition.milestones.map(
            (/** @type {any} */ m) =>
              html`<li><strong>${m.name}, day ${m.day}</strong>${m.confirmed ? '' : html` <strong class="nhsuk-tag nhsuk-tag--grey">Not confirmed</strong>`}: ${m.source}</li>`,
          )}</ul></div></details>`
        : nothing
    }
  </section>`;
}

/**
 * FIT for lower GI referrals: the weekly shares and the referrals awaiting triage to review.
 * @param {any} fit
 */
function fitSection(fit) {
  return html`<section id="fit">
    <h2>FIT for lower GI referrals</h2>
    <p class="nhsuk-body-s">Urgent suspected cancer referrals by week received: with a FIT result, and with one of ${fit.threshold} micrograms of haemoglobin per gram or more (NICE DG56). A referral without a result, or below ${fit.threshold}, is not refused: it is listed below for clinical triage review.</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="fit-weeks"><caption class="nhsuk-u-visually-hidden">FIT by week</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Week</th><th scope="col" class="nhsuk-table__header--numeric">Referrals</th><th scope="col" class="nhsuk-table__header--numeric">With a FIT result</th><th scope="col" class="nhsuk-table__header--numeric">FIT ${fit.threshold} or more</th></tr></thead>
      <tbody>${fit.weeks.map(
        (/** @type {any} */ w) =>
          html`<tr><th scope="row">${date(w.from)} to ${date(w.to)}</th><td class="nhsuk-table__cell--numeric">${w.referrals}</td><td class="nhsuk-table__cell--numeric">${w.withResult} (${percent(w.withResultShare)})</td><td class="nhsuk-table__cell--numeric">${w.atThreshold} (${percent(w.atThresholdShare)})</td></tr>`,
      )}</tbody></table></div>
    <h3>Awaiting triage without a FIT result or below ${fit.threshold} (${fit.review.length})</h3>
    ${
      fit.review.length
        ? html`<div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="fit-review"><caption class="nhsuk-u-visually-hidden">Referrals to review</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Referred</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">FIT</th></tr></thead>
      <tbody>${fit.review.map(
        (/** @type {any} */ r) =>
          html`<tr><td><a href="#/pathway/${encodeURIComponent(r.pathwayId)}">${r.patientName ?? 'Name not recorded'}</a></td><td>${nhsNumber(r.nhsNumber)}</td><td>${date(r.referralOn)}</td><td class="nhsuk-table__cell--numeric">${r.daysWaiting}</td>
          <td>${r.fitResult !== null ? `${r.fitResult}${r.fitTestedOn ? ` (${date(r.fitTestedOn)})` : ''}` : `No result${r.fitNotDoneReason ? `: ${r.fitNotDoneReason}` : ''}`}</td></tr>`,
      )}</tbody></table></div>`
        : html`<p>None.</p>`
    }
  </section>`;
}

/** @param {URLSearchParams} params */
export async function showTimedPatients(params) {
  document.title = 'Timed pathway patients – OpenPTL';
  const query = new URLSearchParams();
  for (const key of ['weeks', 'pathway', 'milestone', 'outcome']) {
    const v = params.get(key);
    if (v) query.set(key, v);
  }
  const { body } = await api('GET', `/api/timed-pathways/patients?${query}`);
  if (!body?.entries) return;
  const what = [params.get('milestone'), params.get('outcome') ? label(params.get('outcome')).toLowerCase() : '']
    .filter(Boolean)
    .join(': ');
  draw(
    main,
    html`<a class="nhsuk-back-link" href="#/timed?weeks=${params.get('weeks') ?? '4'}">Back to timed pathways</a>
    <h1 tabindex="-1">${what || 'Patients'} <span class="nhsuk-caption-m">${body.entries.length} patients, last ${params.get('weeks') ?? '4'} weeks</span></h1>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="timed-patients"><caption class="nhsuk-u-visually-hidden">The patients behind the number</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Milestone</th><th scope="col">Due</th><th scope="col">Met on</th><th scope="col" class="nhsuk-table__header--numeric">Step days</th><th scope="col" class="nhsuk-table__header--numeric">Allowed</th></tr></thead>
      <tbody>${body.entries.map(
        (/** @type {any} */ e) =>
          html`<tr><td><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${e.patientName ?? 'Name not recorded'}</a></td><td>${nhsNumber(e.nhsNumber)}</td><td>${e.milestone} ${milestoneTag(e.outcome)}</td><td>${date(e.dueOn)}</td><td>${date(e.metOn) || '–'}</td><td class="nhsuk-table__cell--numeric">${e.stepDays ?? '–'}</td><td class="nhsuk-table__cell--numeric">${e.allowed}</td></tr>`,
      )}</tbody></table></div>`,
  );
  focusFirst(main, 'h1');
}
