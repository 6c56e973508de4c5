// The 31-day PTL of treatments after the first: pathways whose first treatment is given and
// that await a later one, each on its own 31-day clock; earliest breach date first.
import { api, vocabulary } from './api.js';
import { date, esc, label, nhsNumber } from './format.js';

const main = document.getElementById('main');

export async function showPtl31(params) {
  document.title = '31-day PTL – OpenPTL';
  const { tumourSites } = await vocabulary();
  const query = new URLSearchParams();
  for (const key of ['tumourSite', 'provider']) if (params.get(key)) query.set(key, params.get(key));
  query.set('limit', '50');
  main.innerHTML = `
    <h1>31-day PTL <span class="nhsuk-caption-m">treatments after the first</span></h1>
    <form id="ptl31-filters" class="openptl-filters">
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f31-site">Tumour site</label><select class="nhsuk-select" id="f31-site" name="tumourSite"><option value="">All</option>${tumourSites.map((s) => `<option value="${esc(s)}" ${s === params.get('tumourSite') ? 'selected' : ''}>${esc(label(s))}</option>`).join('')}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f31-provider">Provider</label><input class="nhsuk-input nhsuk-input--width-5" id="f31-provider" name="provider" value="${esc(params.get('provider'))}"></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Apply filters</button>
    </form>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="ptl31"><caption class="nhsuk-table__caption">Treatments awaited</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Provider</th><th scope="col">Treatment</th><th scope="col">Decision to treat</th><th scope="col">31-day start</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col">Breach date</th></tr></thead><tbody></tbody></table></div>
    <p id="ptl31-empty" hidden>No treatments after the first are awaited.</p>
    <button class="nhsuk-button nhsuk-button--secondary" id="more31" hidden>Show more</button>`;
  document.getElementById('ptl31-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (v) next.set(k, String(v));
    location.hash = `#/ptl31?${next}`;
  });
  const tbody = main.querySelector('#ptl31 tbody');
  const more = document.getElementById('more31');
  const load = async (cursor) => {
    if (cursor) query.set('cursor', cursor);
    const { body } = await api('GET', `/api/ptl/subsequent?${query}`);
    if (!body?.entries) return;
    tbody.insertAdjacentHTML(
      'beforeend',
      body.entries
        .map(
          (e) => `<tr class="nhsuk-table__row" data-pathway="${esc(e.pathwayId)}">
      <td><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.patientName ?? 'Name not recorded')}</a></td><td class="openptl-nowrap">${esc(nhsNumber(e.nhsNumber))}</td>
      <td>${esc(label(e.tumourSite))}</td><td>${esc(e.provider)}</td><td>${e.treatmentNumber === 2 ? 'second' : e.treatmentNumber === 3 ? 'third' : `number ${e.treatmentNumber}`}</td>
      <td>${esc(date(e.decisionToTreat))}</td><td>${esc(date(e.start))}</td><td class="nhsuk-table__cell--numeric">${e.daysWaiting}${e.breached ? ' <strong class="nhsuk-tag nhsuk-tag--red">Breached</strong>' : ''}</td><td>${esc(date(e.breachDate))}</td></tr>`,
        )
        .join(''),
    );
    document.getElementById('ptl31-empty').hidden = tbody.children.length > 0;
    more.hidden = !body.nextCursor;
    more.onclick = () => load(body.nextCursor);
  };
  await load();
}
