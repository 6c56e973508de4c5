// The national returns (trackers and admins): the monthly CWT submission with its validation
// problems as a work list (each linked to the pathway's form for the missing item) and its files,
// and the weekly cancer PTL return as at 23:59 on a Sunday with its files.
import { api, vocabulary } from './api.js';
import { today } from './live.js';
import { addDays, date, esc, label, nhsNumber } from './format.js';

const main = document.getElementById('main');

/** From today in England as the server counts it: the month before, as YYYY-MM; the Sunday on or before yesterday. */
async function defaults() {
  const day = await today();
  const [y, m] = day.split('-').map(Number);
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const yesterday = addDays(day, -1);
  const sunday = addDays(yesterday, -new Date(`${yesterday}T00:00:00Z`).getUTCDay());
  return { month, sunday };
}

export async function showReturns(params) {
  document.title = 'Returns – OpenPTL';
  const d = await defaults();
  const period = params.get('period') ?? d.month;
  const weekEnding = params.get('weekEnding') ?? d.sunday;
  main.innerHTML = `
    <h1>National returns</h1>
    <div class="openptl-grid">
      <form id="cwt-form" class="nhsuk-card"><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Monthly Cancer Waiting Times submission</h2>
        <p class="nhsuk-body-s">One record per treatment and per faster diagnosis outcome with no treatment, in the month of its date; at most 8,500 records a file.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="period">Month</label><input class="nhsuk-input nhsuk-input--width-10" type="month" id="period" name="period" value="${esc(period)}" required></div>
        <button class="nhsuk-button" type="submit">Prepare the submission</button>
      </div></form>
      <form id="canptl-form" class="nhsuk-card"><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Weekly cancer PTL</h2>
        <p class="nhsuk-body-s">A snapshot as at 23:59 on a Sunday: open 62-day pathways by suspected cancer type and band, and the week's activity.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="week-ending">Week ending (a Sunday)</label><input class="nhsuk-input nhsuk-input--width-10" type="date" id="week-ending" name="weekEnding" value="${esc(weekEnding)}" required></div>
        <button class="nhsuk-button" type="submit">Prepare the return</button>
      </div></form>
    </div>
    <div id="return-error"></div>
    <div id="return-result"></div>`;
  document.getElementById('cwt-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/returns?period=${encodeURIComponent(new FormData(e.target).get('period'))}`;
  });
  document.getElementById('canptl-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/returns?weekEnding=${encodeURIComponent(new FormData(e.target).get('weekEnding'))}`;
  });
  if (params.get('period')) await showCwt(params.get('period'));
  else if (params.get('weekEnding')) await showCanptl(params.get('weekEnding'));
}

function showError(r) {
  const box = document.getElementById('return-error');
  box.innerHTML = `<div class="nhsuk-error-summary" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${esc(r.body?.message ?? `The server refused this (${r.status})`)}</p></div>`;
  box.firstElementChild.focus();
}

/** Links that download a return's files with the signed-in session (the server sends them as attachments). */
function downloads(base, files) {
  return `<ul class="nhsuk-list" id="return-files">${files.map((f) => `<li><a href="${esc(`${base}&file=${encodeURIComponent(f)}`)}" download="${esc(f)}">${esc(f)}</a></li>`).join('')}</ul>`;
}

async function showCwt(period) {
  const r = await api('GET', `/api/returns/cwt?period=${encodeURIComponent(period)}`);
  if (!r.ok) return showError(r);
  const c = r.body;
  // Downloads as at the same moment as this page: the files hold exactly what is shown.
  const base = `/api/returns/cwt?period=${encodeURIComponent(c.period)}&asAt=${encodeURIComponent(c.asAt)}`;
  const fix = (w) =>
    w.eventId
      ? `#/pathway/${encodeURIComponent(w.pathwayId)}?form=national_items_added&target=${encodeURIComponent(w.eventId)}&field=${encodeURIComponent(w.field ?? '')}&problem=${encodeURIComponent(w.problem)}`
      : `#/pathway/${encodeURIComponent(w.pathwayId)}`;
  document.getElementById('return-result').innerHTML = `
    <h2>Submission for ${esc(c.period)} <span class="nhsuk-caption-m">as at ${esc(c.asAt.slice(0, 16).replace('T', ' '))} UTC</span></h2>
    <dl class="nhsuk-summary-list" id="cwt-summary">
      ${[
        ['Records ready to submit', c.records],
        ['Files', c.parts.length],
        ['Records that cannot go as they stand', c.heldBack],
        ['Problems to fix', c.problems],
        ['Test NHS numbers (999) left out', c.testNumbersLeftOut],
      ]
        .map(
          ([k, v]) =>
            `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value">${esc(v)}</dd></div>`,
        )
        .join('')}
    </dl>
    ${c.unconfirmedCodes.length ? `<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Provisional codes</span></h3><p>These codes from the trust's lists are not yet confirmed against the DCB0147 specification: ${esc(c.unconfirmedCodes.join(', '))}. Check them (openptl codes) before uploading.</p></div>` : ''}
    <h3>Files</h3>
    ${downloads(base, c.files)}
    <h3>Work list: records that cannot go as they stand (${c.workList.length} ${c.workList.length === 1 ? 'problem' : 'problems'})</h3>
    ${
      c.workList.length
        ? `<div class="openptl-table-wrap"><table class="nhsuk-table" id="work-list"><thead class="nhsuk-table__head"><tr><th scope="col">Pathway</th><th scope="col">NHS number</th><th scope="col">Record</th><th scope="col">Date</th><th scope="col">Item</th><th scope="col">Problem</th></tr></thead><tbody>
      ${c.workList.map((w) => `<tr class="nhsuk-table__row"><td><a href="${esc(fix(w))}">${esc(w.pathwayId)}</a></td><td class="openptl-nowrap">${esc(nhsNumber(w.nhsNumber))}</td><td>${esc(w.record)}</td><td class="openptl-nowrap">${esc(date(w.recordDate))}</td><td>${esc(w.element)}</td><td>${esc(w.problem)}</td></tr>`).join('')}
    </tbody></table></div>`
        : '<p>None: every record can go.</p>'
    }`;
}

async function showCanptl(weekEnding) {
  const r = await api('GET', `/api/returns/canptl?weekEnding=${encodeURIComponent(weekEnding)}`);
  if (!r.ok) return showError(r);
  const c = r.body;
  const { bands } = await vocabulary();
  const types = Object.entries(c.open62ByType).filter(([, t]) => t.total > 0);
  const cells = (b) => bands.map((band) => `<td class="nhsuk-table__cell--numeric">${b[band]}</td>`).join('');
  document.getElementById('return-result').innerHTML = `
    <h2>Cancer PTL, week ending ${esc(date(c.weekEnding))} <span class="nhsuk-caption-m">as at 23:59 that Sunday</span></h2>
    <p id="canptl-open">Open 62-day pathways: <strong>${c.open62}</strong>. Passed day 28 of the faster diagnosis standard this week: <strong>${c.passedDay28.total}</strong>. Referrals and upgrades received: <strong>${c.referralsReceived.total}</strong>. First seen (urgent suspected cancer): <strong>${c.firstSeen.total}</strong>.</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="canptl-table"><caption class="nhsuk-table__caption">Open 62-day pathways by suspected cancer type</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Suspected cancer type</th><th scope="col">Decision to treat</th>${bands.map((b) => `<th scope="col" class="nhsuk-table__header--numeric">${esc(b === '105+' ? 'over 104' : b)} days</th>`).join('')}</tr></thead>
      <tbody>${types.map(([type, t]) => `<tr><th scope="row" rowspan="2">${esc(label(type))}</th><td>with</td>${cells(t.withDecisionToTreat)}</tr><tr><td>without</td>${cells(t.withoutDecisionToTreat)}</tr>`).join('')}
      <tr><th scope="row" colspan="2">All</th>${cells(c.open62Bands)}</tr></tbody></table></div>
    <h3>Referrals and upgrades received this week</h3>
    <p>${Object.entries(c.referralsReceived.byRoute)
      .map(([route, n]) => `${esc(label(route))}: ${n}`)
      .join('; ')}</p>
    <h3>Files</h3>
    ${downloads(`/api/returns/canptl?weekEnding=${encodeURIComponent(c.weekEnding)}`, c.files)}`;
}
