// @ts-check
// The 31-day PTL of treatments after the first: pathways whose first treatment is given and
// that await a later one, each on its own 31-day clock; earliest breach date first.
import { html } from '/vendor/lit-html/lit-html.js';
import { api, vocabulary } from './api.js';
import { date, draw, label, nhsNumber, updateRows } from './format.js';
import { choices, onSubmit, options } from './forms.js';

const main = document.getElementById('main');

/** @param {URLSearchParams} params */
export async function showPtl31(params) {
  document.title = '31-day PTL – OpenPTL';
  const { tumourSites } = await vocabulary();
  const query = new URLSearchParams();
  for (const key of ['tumourSite', 'provider']) {
    const value = params.get(key);
    if (value) query.set(key, value);
  }
  query.set('limit', '50');
  /** @type {any[]} */
  const rows = [];
  /** @param {string} [cursor] */
  const load = async (cursor) => {
    if (cursor) query.set('cursor', cursor);
    const { body } = await api('GET', `/api/ptl/subsequent?${query}`);
    if (!body?.entries) return;
    rows.push(...body.entries);
    updateRows(
      'ptl31',
      rows.map(
        (e) => html`<tr class="nhsuk-table__row" data-pathway="${e.pathwayId}">
      <td><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${e.patientName ?? 'Name not recorded'}</a></td><td class="openptl-nowrap">${nhsNumber(e.nhsNumber)}</td>
      <td>${label(e.tumourSite)}</td><td>${e.provider}</td><td>${e.treatmentNumber === 1 ? 'first (31-day only)' : e.treatmentNumber === 2 ? 'second' : e.treatmentNumber === 3 ? 'third' : `number ${e.treatmentNumber}`}</td>
      <td>${date(e.decisionToTreat)}</td><td>${date(e.start)}</td><td class="nhsuk-table__cell--numeric">${e.daysWaiting}${e.breached ? html` <strong class="nhsuk-tag nhsuk-tag--red">Breached</strong>` : ''}</td><td>${date(e.breachDate)}</td></tr>`,
      ),
    );
    const empty = document.getElementById('ptl31-empty');
    const more = document.getElementById('more31');
    if (empty) empty.hidden = rows.length > 0;
    if (more) {
      more.hidden = !body.nextCursor;
      more.onclick = () => load(body.nextCursor);
    }
  };
  draw(
    main,
    html`
    <h1>31-day PTL <span class="nhsuk-caption-m">treatments after the first</span></h1>
    <form id="ptl31-filters" class="openptl-filters" @submit=${onSubmit((form) => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
      location.hash = `#/ptl31?${next}`;
    })}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f31-site">Tumour site</label><select class="nhsuk-select" id="f31-site" name="tumourSite"><option value="">All</option>${options(
        choices(tumourSites),
        params.get('tumourSite'),
      )}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f31-provider">Provider</label><input class="nhsuk-input nhsuk-input--width-5" id="f31-provider" name="provider" value="${params.get('provider') ?? ''}"></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Apply filters</button>
    </form>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="ptl31"><caption class="nhsuk-table__caption">Treatments awaited</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Provider</th><th scope="col">Treatment</th><th scope="col">Decision to treat</th><th scope="col">31-day start</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Breach date</th></tr></thead><tbody></tbody></table></div>
    <p id="ptl31-empty" hidden>No treatments after the first are awaited.</p>
    <button class="nhsuk-button nhsuk-button--secondary" id="more31" hidden>Show more</button>`,
  );
  await load();
}
