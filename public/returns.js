// @ts-check
// The national returns (trackers and admins): the monthly CWT submission with its validation
// problems as a work list (each linked to the pathway's form for the missing item) and its files,
// and the weekly cancer PTL return as at 23:59 on a Sunday with its files.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, vocabulary } from './api.js';
import { today } from './live.js';
import { addDays, date, draw, label, nhsNumber } from './format.js';
import { fieldValue, onSubmit, showProblem } from './forms.js';

const main = document.getElementById('main');

/** From today in England as the server counts it: the month before, as YYYY-MM; the Sunday on or before yesterday. */
async function defaults() {
  const day = await today();
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const yesterday = addDays(day, -1);
  const sunday = addDays(yesterday, -new Date(`${yesterday}T00:00:00Z`).getUTCDay());
  return { month, sunday };
}

/** @param {URLSearchParams} params */
export async function showReturns(params) {
  document.title = 'Returns – OpenPTL';
  const d = await defaults();
  const period = params.get('period');
  const weekEnding = params.get('weekEnding');
  draw(
    main,
    html`
    <h1>National returns</h1>
    <div class="openptl-grid">
      <form id="cwt-form" class="nhsuk-card" @submit=${onSubmit((form) => {
        location.hash = `#/returns?period=${encodeURIComponent(fieldValue(form, 'period'))}`;
      })}><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Monthly Cancer Waiting Times submission</h2>
        <p class="nhsuk-body-s">One record per treatment and per faster diagnosis outcome with no treatment, in the month of its date; at most 8,500 records a file.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="period">Month</label><input class="nhsuk-input nhsuk-input--width-10" type="month" id="period" name="period" value="${period ?? d.month}" required></div>
        <button class="nhsuk-button" type="submit">Prepare the submission</button>
      </div></form>
      <form id="canptl-form" class="nhsuk-card" @submit=${onSubmit((form) => {
        location.hash = `#/returns?weekEnding=${encodeURIComponent(fieldValue(form, 'weekEnding'))}`;
      })}><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Weekly cancer PTL</h2>
        <p class="nhsuk-body-s">A snapshot as at 23:59 on a Sunday: open 62-day pathways by suspected cancer type and band, and the week's activity.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="week-ending">Week ending (a Sunday)</label><input class="nhsuk-input nhsuk-input--width-10" type="date" id="week-ending" name="weekEnding" value="${weekEnding ?? d.sunday}" required></div>
        <button class="nhsuk-button" type="submit">Prepare the return</button>
      </div></form>
    </div>
    <div id="return-error"></div>
    <div id="return-result"></div>`,
  );
  if (period) await showCwt(period);
  else if (weekEnding) await showCanptl(weekEnding);
}

/** @param {{ status: number, body: any }} r */
function showError(r) {
  showProblem(
    document.getElementById('return-error'),
    r.body?.message ?? `The server refused this (${r.status})`,
    'return-problem',
  );
}

/**
 * Links that download a return's files with the signed-in session (the server sends them as attachments).
 * @param {string} base
 * @param {string[]} files
 */
function downloads(base, files) {
  return html`<ul class="nhsuk-list" id="return-files">${files.map((f) => html`<li><a href="${`${base}&file=${encodeURIComponent(f)}`}" download="${f}">${f}</a></li>`)}</ul>`;
}

/** @param {string} period */
async function showCwt(period) {
  const r = await api('GET', `/api/returns/cwt?period=${encodeURIComponent(period)}`);
  if (!r.ok) return showError(r);
  const c = r.body;
  // Downloads as at the same moment as this page: the files hold exactly what is shown.
  const base = `/api/returns/cwt?period=${encodeURIComponent(c.period)}&asAt=${encodeURIComponent(c.asAt)}`;
  /** @param {any} w a work-list entry */
  const fix = (w) =>
    w.eventId
      ? `#/pathway/${encodeURIComponent(w.pathwayId)}?form=national_items_added&target=${encodeURIComponent(w.eventId)}&field=${encodeURIComponent(w.field ?? '')}&problem=${encodeURIComponent(w.problem)}`
      : `#/pathway/${encodeURIComponent(w.pathwayId)}`;
  draw(
    document.getElementById('return-result'),
    html`
    <h2>Submission for ${c.period} <span class="nhsuk-caption-m">as at ${c.asAt.slice(0, 16).replace('T', ' ')} UTC</span></h2>
    <dl class="nhsuk-summary-list" id="cwt-summary">
      ${[
        ['Records ready to submit', c.records],
        ['Files', c.parts.length],
        ['Records that cannot go as they stand', c.heldBack],
        ['Problems to fix', c.problems],
        ['Test NHS numbers (999) left out', c.testNumbersLeftOut],
      ].map(
        ([k, v]) =>
          html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value">${v ?? ''}</dd></div>`,
      )}
    </dl>
    ${c.unconfirmedCodes.length ? html`<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Provisional codes</span></h3><p>These codes from the trust's lists are not yet confirmed against the DCB0147 specification: ${c.unconfirmedCodes.join(', ')}. Check them (openptl codes) before uploading.</p></div>` : nothing}
    <h3>Files</h3>
    ${downloads(base, c.files)}
    <h3>Work list: records that cannot go as they stand (${c.workList.length} ${c.workList.length === 1 ? 'problem' : 'problems'})</h3>
    ${
      c.workList.length
        ? html`<div class="openptl-table-wrap"><table class="nhsuk-table" id="work-list"><thead class="nhsuk-table__head"><tr><th scope="col">Pathway</th><th scope="col">NHS number</th><th scope="col">Record</th><th scope="col">Date</th><th scope="col">Item</th><th scope="col">Problem</th></tr></thead><tbody>
      ${c.workList.map((/** @type {any} */ w) => html`<tr class="nhsuk-table__row"><td><a href="${fix(w)}">${w.pathwayId}</a></td><td class="openptl-nowrap">${nhsNumber(w.nhsNumber)}</td><td>${w.record}</td><td class="openptl-nowrap">${date(w.recordDate)}</td><td>${w.element}</td><td>${w.problem}</td></tr>`)}
    </tbody></table></div>`
        : html`<p>None: every record can go.</p>`
    }`,
  );
}

/** @param {string} weekEnding */
async function showCanptl(weekEnding) {
  const r = await api('GET', `/api/returns/canptl?weekEnding=${encodeURIComponent(weekEnding)}`);
  if (!r.ok) return showError(r);
  const c = r.body;
  /** @type {{ bands: string[] }} */
  const { bands } = await vocabulary();
  /** @type {[string, any][]} */
  const types = Object.entries(c.open62ByType).filter(([, t]) => /** @type {any} */ (t).total > 0);
  /** @param {Record<string, number>} b */
  const cells = (b) => bands.map((band) => html`<td class="nhsuk-table__cell--numeric">${b[band]}</td>`);
  draw(
    document.getElementById('return-result'),
    html`
    <h2>Cancer PTL, week ending ${date(c.weekEnding)} <span class="nhsuk-caption-m">as at 23:59 that Sunday</span></h2>
    <p id="canptl-open">Open 62-day pathways: <strong>${c.open62}</strong>. Passed day 28 of the faster diagnosis standard this week: <strong>${c.passedDay28.total}</strong>. Referrals and upgrades received: <strong>${c.referralsReceived.total}</strong>. First seen (urgent suspected cancer): <strong>${c.firstSeen.total}</strong>.</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="canptl-table"><caption class="nhsuk-table__caption">Open 62-day pathways by suspected cancer type</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Suspected cancer type</th><th scope="col">Decision to treat</th>${bands.map((b) => html`<th scope="col" class="nhsuk-table__header--numeric">${b === '105+' ? 'over 104' : b} days</th>`)}</tr></thead>
      <tbody>${types.map(([type, t]) => html`<tr><th scope="row" rowspan="2">${label(type)}</th><td>with</td>${cells(t.withDecisionToTreat)}</tr><tr><td>without</td>${cells(t.withoutDecisionToTreat)}</tr>`)}
      <tr><th scope="row" colspan="2">All</th>${cells(c.open62Bands)}</tr></tbody></table></div>
    <h3>Referrals and upgrades received this week</h3>
    <p>${Object.entries(c.referralsReceived.byRoute)
      .map(([route, n]) => `${label(route)}: ${n}`)
      .join('; ')}</p>
    <p id="canptl-programmes">Screening referrals by programme: ${Object.entries(
      c.referralsReceived.byScreeningProgramme ?? {},
    )
      .map(([programme, n]) => `${label(programme)}: ${n}`)
      .join('; ')}.</p>
    <h3>Files</h3>
    ${downloads(`/api/returns/canptl?weekEnding=${encodeURIComponent(c.weekEnding)}`, c.files)}`,
  );
}
