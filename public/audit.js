// The Audit page (admins): the access log, newest first. Who viewed which pathway, who queried the
// PTL (with the filters and how many patients came back), reports made, sign-ins, changes to users.
import { api, currentUser } from './api.js';
import { dateTime, esc, label } from './format.js';

const main = document.getElementById('main');
const FILTERS = ['user', 'pathwayId', 'action', 'since'];

/** The detail of an entry in words: the PTL's filters and count, the credential used. */
function describe(detail) {
  if (!detail) return '';
  return Object.entries(detail)
    .map(
      ([k, v]) =>
        `${label(k)}: ${
          typeof v === 'object' && v !== null
            ? Object.entries(v)
                .map(([a, b]) => `${a}=${b}`)
                .join(', ') || 'none'
            : v
        }`,
    )
    .join('; ');
}

export async function showAudit(params) {
  document.title = 'Audit – OpenPTL';
  if (currentUser()?.role !== 'admin') {
    main.innerHTML = '<h1>Audit</h1><p>Only admins can read the access log.</p>';
    return;
  }
  const { actions } = await api('GET', '/api/openapi.json').then((r) => ({
    actions: r.body.paths['/api/audit'].get.parameters.find((p) => p.name === 'action').schema.enum,
  }));
  const query = new URLSearchParams();
  for (const key of FILTERS) if (params.get(key)) query.set(key, params.get(key));
  query.set('limit', '100');
  const field = (name, text, width, type = 'text') =>
    `<div class="nhsuk-form-group"><label class="nhsuk-label" for="a-${name}">${text}</label><input class="nhsuk-input nhsuk-input--width-${width}" id="a-${name}" name="${name}" type="${type}" value="${esc(params.get(name))}"></div>`;
  main.innerHTML = `
    <h1>Audit</h1>
    <p>Who saw what: each pathway viewed, each PTL query with its filters and how many patients it returned, each report, sign-in and change to a user. No patient details are kept here.</p>
    <form id="audit-filters" class="openptl-filters">
      ${field('user', 'User', 10)}${field('pathwayId', 'Pathway', 20)}
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="a-action">What</label><select class="nhsuk-select" id="a-action" name="action"><option value="">Anything</option>${actions.map((a) => `<option value="${esc(a)}" ${a === params.get('action') ? 'selected' : ''}>${esc(label(a))}</option>`).join('')}</select></div>
      ${field('since', 'Since', 10, 'date')}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Apply filters</button>
    </form>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="audit"><caption class="nhsuk-table__caption">Access log, newest first</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Pathway</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead><tbody></tbody></table></div>
    <p id="audit-empty" hidden>Nothing in the access log matches these filters.</p>
    <button class="nhsuk-button nhsuk-button--secondary" id="audit-more" hidden>Show more</button>`;
  document.getElementById('audit-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (v) next.set(k, String(v));
    location.hash = `#/audit?${next}`;
  });
  const tbody = main.querySelector('#audit tbody');
  const more = document.getElementById('audit-more');
  const load = async (before) => {
    if (before) query.set('before', before);
    const { body } = await api('GET', `/api/audit?${query}`);
    if (!body?.entries) return;
    tbody.insertAdjacentHTML(
      'beforeend',
      body.entries
        .map(
          (e) => `<tr class="nhsuk-table__row" data-entry="${esc(e.entryId)}">
      <td class="nhsuk-table__cell">${esc(dateTime(e.at))}</td><td class="nhsuk-table__cell">${esc(e.actor)}</td><td class="nhsuk-table__cell" data-field="action">${esc(label(e.action))}</td>
      <td class="nhsuk-table__cell">${e.pathwayId ? `<a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.pathwayId.slice(0, 12))}</a>` : ''}</td>
      <td class="nhsuk-table__cell">${esc(e.address ?? '')}</td><td class="nhsuk-table__cell">${esc(describe(e.detail))}</td></tr>`,
        )
        .join(''),
    );
    document.getElementById('audit-empty').hidden = tbody.children.length > 0;
    more.hidden = !body.nextBefore;
    more.onclick = () => load(body.nextBefore);
  };
  await load();
}
